"""Journal tables <-> domain values. The only place that knows table names."""

from __future__ import annotations

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


def state_from(all_docs: Callable[[str], list[dict]]) -> State:
    """Build the domain state from a function returning each table's docs in entry order."""
    kw = {}
    for table, cls in TABLES.items():
        docs = all_docs(table)
        items = from_docs(cls, docs, numbered=table == "skin")  # skin: seq = entry order
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


def doc_of(record) -> dict:
    """A record as stored: no derived fields."""
    d = to_doc(record)
    d.pop("seq", None)
    return d
