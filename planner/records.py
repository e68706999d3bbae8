"""Journal tables <-> domain values. The only place that knows table names."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import Callable

from .domain.models import (
    History, Injectable, Pause, Plan, Procedure, ProductUse, Profile, Session, Settings,
    SkinRecord, from_doc, from_docs, to_doc,
)
from .domain.values import frozen

TABLES: dict[str, type] = {
    "sessions": Session,
    "plans": Plan,
    "products": ProductUse,
    "procedures": Procedure,
    "injectables": Injectable,
    "skin": SkinRecord,
    "pauses": Pause,
}
SINGLES = {"profile": Profile, "settings": Settings}

# The record type word shown in history/export for each table.
TYPE_OF_TABLE = {
    "sessions": "session", "plans": "plan", "products": "product",
    "procedures": "procedure", "injectables": "injectable", "pauses": "pause",
}


def record_type(table: str, doc: dict) -> str:
    if table == "skin":
        return "reaction" if doc.get("kind") == "reaction" else "checkin"
    return TYPE_OF_TABLE[table]


@frozen
class State:
    """One consistent reading of the journal as domain values."""

    history: History
    profile: Profile
    settings: Settings


_BY_DATE = attrgetter("date", "id")
_BY_START = attrgetter("start", "id")


def _by_date(table: str, items: list) -> tuple:
    return tuple(sorted(items, key=_BY_START if table == "pauses" else _BY_DATE))


class BadRecord(ValueError):
    """A record whose fields the rules cannot use (a hand-edited journal, say)."""


_NONE = type(None)
# The fields the rules compute with, and the type (or types) each must have once built.
_CHECKED: dict[str, tuple[tuple[str, type | tuple[type, ...]], ...]] = {
    "sessions": (("date", date), ("minutes", int)),
    "plans": (("date", date), ("minutes", int)),
    "products": (("date", date),),
    "procedures": (("date", date),),
    "injectables": (("date", date),),
    "skin": (("date", date), ("redness", int), ("swelling", int), ("itch", int),
             ("burning", int), ("flags", tuple), ("resolved_on", (date, _NONE))),
    "pauses": (("start", date), ("end", date)),
}


_WANT = {date: "a YYYY-MM-DD date", int: "a whole number", tuple: "a list"}


def _check(table: str, items: list) -> None:
    """Every checked field has its type (one C-level pass per field), else BadRecord
    naming the first record that does not."""
    for name, typ in _CHECKED[table]:
        allowed = set(typ) if isinstance(typ, tuple) else {typ}
        if set(map(type, map(attrgetter(name), items))) <= allowed:
            continue
        for r in items:
            v = getattr(r, name)
            if type(v) not in allowed:
                main = typ[0] if isinstance(typ, tuple) else typ
                empty = " or empty" if _NONE in allowed else ""
                raise BadRecord(f"{TYPE_OF_TABLE.get(table, 'skin')} record {r.id!r}: "
                                f"{name} is {v!r}, not {_WANT[main]}{empty}")


def state_from(all_docs: Callable[[str], list[dict]]) -> State:
    """Build the domain state from a function returning each table's docs in entry order.

    BadRecord if a record cannot be built or has a field the rules cannot use."""
    kw = {}
    for table, cls in TABLES.items():
        docs = all_docs(table)
        try:
            items = from_docs(cls, docs, numbered=table == "skin")  # skin: seq = entry order
        except (TypeError, ValueError, AttributeError, KeyError) as e:
            raise BadRecord(_first_unbuildable(table, cls, docs) or f"{table}: {e}") from None
        _check(table, items)
        kw[table] = _by_date(table, items)
    history = History(
        sessions=kw["sessions"], plans=kw["plans"], products=kw["products"],
        procedures=kw["procedures"], injectables=kw["injectables"], skin=kw["skin"],
        pauses=kw["pauses"],
    )
    singles = {}
    for table, cls in SINGLES.items():
        docs = all_docs(table)
        singles[table] = from_doc(cls, docs[0]) if docs else cls()
    return State(history, singles["profile"], singles["settings"])


def _first_unbuildable(table: str, cls: type, docs: list[dict]) -> str | None:
    for d in docs:
        try:
            from_doc(cls, d)
        except (TypeError, ValueError, AttributeError, KeyError) as e:
            return f"{TYPE_OF_TABLE.get(table, 'skin')} record {d.get('id')!r}: {e}"
    return None


def doc_of(record) -> dict:
    """A record as stored: no derived fields."""
    d = to_doc(record)
    d.pop("seq", None)
    return d
