"""Schema versions of the journal file and the steps that move a file forward.

`STEPS[n]` turns a schema-n file (TinyDB's raw form: table -> doc_id -> doc)
into schema n+1. To add v4: write `_v3_to_v4`, append it, bump CURRENT_SCHEMA.
Steps must be pure and deterministic: a file that is only read (not yet
written back) must show the same migrated records every time it is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

META = "meta"
STAMPS = "stamps"  # each record's version stamp (store/stamps.py); not a record table
SYSTEM_TABLES = frozenset((META, STAMPS))
CURRENT_SCHEMA = 3

Raw = dict[str, dict[str, Any]]


def _v0_to_v1(raw: Raw) -> Raw:
    """Schema 0 is a plain TinyDB file: give every record an app id and add meta.

    New ids derive from the TinyDB doc id (hex, 8 chars) so repeated reads
    agree; a non-string id found in a doc is kept as `legacy_id`.
    """
    out: Raw = {}
    for name, table in raw.items():
        if name == META:
            continue
        taken = {d["id"] for d in table.values() if isinstance(d.get("id"), str) and d["id"]}
        new_table = {}
        for doc_id, doc in table.items():
            if not (isinstance(doc.get("id"), str) and doc["id"]):
                doc = dict(doc)
                if "id" in doc:
                    doc["legacy_id"] = doc.pop("id")
                n = int(doc_id)
                while (candidate := f"{n:08x}") in taken:
                    n += 0x10000000
                taken.add(candidate)
                doc = {"id": candidate, **doc}
            new_table[doc_id] = doc
        out[name] = new_table
    out[META] = {"1": {"schema_version": 1}}
    return out


# Tables whose records carry an entry stamp, in the order v1 records of one day are
# stamped: whatever happened on a session's day is taken to have come before it (the
# careful reading, as v1 judged a session against everything recorded when it was logged).
_STAMPED = ("products", "procedures", "injectables", "pauses", "skin", "sessions")
_SESSION_FIELDS = ("id", "date", "minutes", "routine", "outcome", "note")


def _day_key(doc: dict[str, Any]) -> str:
    day = doc.get("date", doc.get("start"))
    return day if isinstance(day, str) else ""


def _v1_to_v2(raw: Raw) -> Raw:
    """Sessions get an outcome (`aborted` true -> "aborted", else "completed") and lose the
    stored violations (now derived from the history). Every dated record gets `logged`, its
    place in the order of entry across the journal; plans get `confirmed_missed`."""
    out: Raw = {name: dict(table) for name, table in raw.items()}
    order = []
    for rank, name in enumerate(_STAMPED):
        for doc_id, doc in (raw.get(name) or {}).items():
            if isinstance(doc, dict):
                order.append((_day_key(doc), rank, int(doc_id) if doc_id.isdigit() else 0,
                              name, doc_id))
    order.sort()
    stamp = {(name, doc_id): n for n, (*_, name, doc_id) in enumerate(order, 1)}
    for name in _STAMPED:
        for doc_id, doc in (raw.get(name) or {}).items():
            if not isinstance(doc, dict):
                continue
            if name == "sessions":
                rest = {k: v for k, v in doc.items()
                        if k not in _SESSION_FIELDS and k not in ("aborted", "violations")}
                doc = {"id": doc.get("id"), "date": doc.get("date"),
                       "minutes": doc.get("minutes"), "routine": doc.get("routine"),
                       "outcome": "aborted" if doc.get("aborted") is True else "completed",
                       "note": doc.get("note", ""), **rest}
            out[name][doc_id] = {**doc, "logged": stamp[(name, doc_id)]}
    for doc_id, doc in (raw.get("plans") or {}).items():
        if isinstance(doc, dict) and "confirmed_missed" not in doc:
            out["plans"][doc_id] = {**doc, "confirmed_missed": False}
    out[META] = {"1": {"schema_version": 2}}
    return out


def _v2_to_v3(raw: Raw) -> Raw:
    """Schema 3 keeps a version stamp for each record changed from now on, in a `stamps`
    table (store/stamps.py, for `merge`). Records written before have none: their stamp
    is made from their content when it is needed, so nothing is added to them here."""
    out: Raw = {name: table for name, table in raw.items() if name != STAMPS}
    out[META] = {"1": {"schema_version": 3}}
    return out


STEPS: list[Callable[[Raw], Raw]] = [_v0_to_v1, _v1_to_v2, _v2_to_v3]

assert len(STEPS) == CURRENT_SCHEMA, "one step per schema version"


def migrate(raw: Raw, from_version: int) -> Raw:
    """Apply every step from `from_version` up to CURRENT_SCHEMA (no-op when current)."""
    for step in STEPS[from_version:]:
        raw = step(raw)
    return raw
