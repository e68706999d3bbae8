"""Schema versions of the journal file and the steps that move a file forward.

`STEPS[n]` turns a schema-n file (TinyDB's raw form: table -> doc_id -> doc)
into schema n+1. To add v2: write `_v1_to_v2`, append it, bump CURRENT_SCHEMA.
Steps must be pure and deterministic: a file that is only read (not yet
written back) must show the same migrated records every time it is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

META = "meta"
CURRENT_SCHEMA = 1

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


STEPS: list[Callable[[Raw], Raw]] = [_v0_to_v1]

assert len(STEPS) == CURRENT_SCHEMA, "one step per schema version"


def migrate(raw: Raw, from_version: int) -> Raw:
    """Apply every step from `from_version` up to CURRENT_SCHEMA (no-op when current)."""
    for step in STEPS[from_version:]:
        raw = step(raw)
    return raw
