"""Journal tables <-> domain values. The only place that knows table names."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import Callable

from planner.domain.models import (
    OUTCOMES, History, Injectable, Pause, Plan, Procedure, ProductUse, Profile, Session,
    Settings, SkinRecord, from_doc, from_docs, to_doc,
)
from planner.domain.settings_rules import RANGES
from planner.domain.values import frozen
from planner.domain.vocabulary import FIRST_DATE, FLAGS, LAST_DATE

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
class Records:
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
    "sessions": (("date", date), ("minutes", int), ("outcome", str), ("logged", int),
                 ("routine", (str, _NONE)), ("note", str)),
    "plans": (("date", date), ("minutes", int), ("fulfilled_by", (str, _NONE)),
              ("routine", (str, _NONE))),
    "products": (("date", date), ("logged", int), ("kind", str), ("note", str)),
    "procedures": (("date", date), ("logged", int), ("kind", str), ("note", str)),
    "injectables": (("date", date), ("logged", int), ("kind", str), ("note", str)),
    "skin": (("date", date), ("redness", int), ("swelling", int), ("itch", int),
             ("burning", int), ("flags", tuple), ("resolved_on", (date, _NONE)),
             ("logged", int), ("session_id", (str, _NONE)), ("kind", str),
             ("zone", (str, _NONE)), ("note", str)),
    "pauses": (("start", date), ("end", date), ("logged", int), ("reason", str),
               ("note", str)),
}
# Value ranges of fields the rules compute with: (low, high) inclusive.
_RANGED: dict[str, tuple[tuple[str, object, object], ...]] = {
    "sessions": (("date", FIRST_DATE, LAST_DATE), ("minutes", 1, 180)),
    "plans": (("date", FIRST_DATE, LAST_DATE), ("minutes", 1, 180)),
    "products": (("date", FIRST_DATE, LAST_DATE),),
    "procedures": (("date", FIRST_DATE, LAST_DATE),),
    "injectables": (("date", FIRST_DATE, LAST_DATE),),
    "skin": (("date", FIRST_DATE, LAST_DATE), ("redness", 0, 4), ("swelling", 0, 4),
             ("itch", 0, 10), ("burning", 0, 10)),
    "pauses": (("start", FIRST_DATE, LAST_DATE), ("end", FIRST_DATE, LAST_DATE)),
}


_WANT = {date: "a YYYY-MM-DD date", int: "a whole number", tuple: "a list", str: "text"}


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


def _check_values(table: str, items: list) -> None:
    """Ranges (C-level min/max per field), outcomes and flags, else BadRecord naming the
    first record out of bounds: a hand edit must not loosen or crash a rule."""
    what = TYPE_OF_TABLE.get(table, "skin")
    for name, low, high in _RANGED[table]:
        values = list(map(attrgetter(name), items))
        if values and (min(values) < low or max(values) > high):  # type: ignore[operator]
            r = next(r for r in items if not low <= getattr(r, name) <= high)  # type: ignore[operator]
            v = getattr(r, name)
            shown = v.isoformat() if isinstance(v, date) else repr(v)
            lo = low.isoformat() if isinstance(low, date) else low
            hi = high.isoformat() if isinstance(high, date) else high
            raise BadRecord(f"{what} record {r.id!r}: {name} is {shown}, outside {lo} to {hi}")
    if table == "sessions" and not set(map(attrgetter("outcome"), items)) <= set(OUTCOMES):
        r = next(r for r in items if r.outcome not in OUTCOMES)
        raise BadRecord(f"session record {r.id!r}: outcome is {r.outcome!r}, not one of "
                        f"{', '.join(OUTCOMES)}")
    if table == "skin":
        try:
            used = set().union(*map(attrgetter("flags"), items)) if items else set()
        except TypeError:  # a flag that is a list or an object
            used = {None}
        if not used <= set(FLAGS):
            r = next(r for r in items
                     if not all(isinstance(f, str) and f in FLAGS for f in r.flags))
            bad = next(repr(f) for f in r.flags if not (isinstance(f, str) and f in FLAGS))
            raise BadRecord(f"skin record {r.id!r}: flag {bad} is not one of "
                            f"{', '.join(FLAGS)}")


def check_settings(settings: Settings) -> None:
    """Every rule value inside its range (SPEC §3: a file never makes a rule looser)."""
    for name, rng in RANGES.items():
        v = getattr(settings, name)
        if isinstance(v, bool) or not isinstance(v, int) or not rng.low <= v <= rng.high:
            raise BadRecord(f"settings: {name} is {v!r}, outside the allowed range "
                            f"{rng.low} to {rng.high} ({rng.meaning})")
    if settings.cadence_days < settings.spacing_days:
        raise BadRecord(f"settings: cadence_days is {settings.cadence_days}, below "
                        f"spacing_days {settings.spacing_days}")
    if not isinstance(settings.theme, str):
        raise BadRecord(f"settings: theme is {settings.theme!r}, not a theme name")


def _check_profile(profile: Profile) -> None:
    for name, v in to_doc(profile).items():
        if name == "exclusions":
            continue
        if not isinstance(v, bool):
            raise BadRecord(f"profile: {name} is {v!r}, not true or false")
    for e in profile.exclusions:
        if not isinstance(e.zone, str) or not isinstance(e.reason, str) or not (
                e.until is None or isinstance(e.until, date)):
            raise BadRecord(f"profile: the exclusion {e.zone!r} is not a zone, reason and "
                            "optional date")


def state_from(all_docs: Callable[[str], list[dict]], *, same: Records | None = None,
               unchanged: frozenset[str] = frozenset()) -> Records:
    """Build the domain state from a function returning each table's docs in entry order.

    The tables named in `unchanged` are taken from `same` as they are (a write that did
    not touch them; their records keep what was worked out for them, such as a skin
    record's class). BadRecord if a record cannot be built or has a field the rules
    cannot use."""
    kw = {}
    for table, cls in TABLES.items():
        if same is not None and table in unchanged:
            kw[table] = getattr(same.history, table)
            continue
        docs = all_docs(table)
        try:
            if table == "skin":  # seq = position in the table
                items = from_docs(cls, docs, numbered=True)
            elif table == "sessions":  # violations are derived later, never read
                items = from_docs(cls, docs, last=())
            else:
                items = from_docs(cls, docs)
        except (TypeError, ValueError, AttributeError, KeyError) as e:
            raise BadRecord(_first_unbuildable(table, cls, docs) or f"{table}: {e}") from None
        _check(table, items)
        _check_values(table, items)
        kw[table] = _by_date(table, items)
    history = History(
        sessions=kw["sessions"], plans=kw["plans"], products=kw["products"],
        procedures=kw["procedures"], injectables=kw["injectables"], skin=kw["skin"],
        pauses=kw["pauses"],
    )
    singles = {}
    for table, cls in SINGLES.items():
        if same is not None and table in unchanged:
            singles[table] = getattr(same, table)
            continue
        docs = all_docs(table)
        try:
            singles[table] = from_doc(cls, docs[0]) if docs else cls()
        except (TypeError, ValueError, AttributeError, KeyError) as e:
            raise BadRecord(f"{table}: {e}") from None
    check_settings(singles["settings"])
    _check_profile(singles["profile"])
    return Records(history, singles["profile"], singles["settings"])


def _first_unbuildable(table: str, cls: type, docs: list[dict]) -> str | None:
    for d in docs:
        try:
            from_doc(cls, d)
        except (TypeError, ValueError, AttributeError, KeyError) as e:
            return f"{TYPE_OF_TABLE.get(table, 'skin')} record {d.get('id')!r}: {e}"
    return None


def doc_of(record) -> dict:
    """A record as stored: no derived fields (a skin record's position, a session's
    violations)."""
    d = to_doc(record)
    d.pop("seq", None)
    if isinstance(record, Session):
        d.pop("violations", None)
    return d
