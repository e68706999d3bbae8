"""Search over the history (issue 11): words in notes and names, a date range, a class.

A query is typed in one line, as a user would in a search box:
    retinol from:2026-01-01 to:2026-03-31 class:severe
Words match (case-insensitively, every word) the note, a product's name, the kind, the
routine, the zone, flags and the type of an entry; `from:` and `to:` bound the date;
`class:` keeps skin records of that class (several `class:` words: any of them). Pure:
it filters the dicts `Planner.history_items` returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from planner.domain.values import Value
from planner.domain.vocabulary import CLASSES
from planner.service.context import parse_date

SEARCHED = ("note", "name", "kind", "routine", "zone", "type", "reason", "outcome")


class Query(Value, frozen=True):
    words: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    classes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.words or self.start or self.end or self.classes)


def parse_query(text: str) -> Query:
    """The query a line of text asks for; ValueError (one line) for a bad date or class."""
    words: list[str] = []
    start = end = None
    classes: list[str] = []
    for token in text.split():
        key, sep, value = token.partition(":")
        key = key.lower()
        if sep and key in ("from", "to"):
            try:
                day = parse_date(value, f"{key}:")
            except ValueError as e:
                raise ValueError(str(e)) from None
            if key == "from":
                start = day
            else:
                end = day
        elif sep and key == "class":
            if value.lower() not in CLASSES:
                raise ValueError(f"class:{value} is not a class; accepted: "
                                 + ", ".join(CLASSES))
            classes.append(value.lower())
        else:
            words.append(token.casefold())
    if start and end and end < start:
        raise ValueError(f"to:{end.isoformat()} is before from:{start.isoformat()}")
    return Query(tuple(words), start, end, tuple(classes))


def _text(item: dict) -> str:
    parts = [str(item[k]) for k in SEARCHED if item.get(k)]
    parts.extend(str(f) for f in item.get("flags") or ())
    return " ".join(parts).casefold()


def matches(item: dict, q: Query) -> bool:
    day = date.fromisoformat(item["date"])
    if (q.start and day < q.start) or (q.end and day > q.end):
        return False
    if q.classes and item.get("class") not in q.classes:
        return False
    text = _text(item) if q.words else ""
    return all(w in text for w in q.words)


def search(items: Iterable[dict], q: Query) -> list[dict]:
    return [it for it in items if matches(it, q)]


__all__ = ["Query", "parse_query", "matches", "search", "SEARCHED"]
