"""A transaction's operations, applied in memory through TinyDB.

The journal owns locking and the single write at the end; a `Tx` only turns
record-level operations (by app id) into TinyDB table operations on the
buffered storage, keeping an id index so lookups need no scan.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tinydb.table import Document

from planner.store import codec, stamps
from planner.store.errors import RecordNotFound
from planner.store.migrations import META, STAMPS, SYSTEM_TABLES, Raw
from planner.store.state import Doc, FileState, Index
from planner.store.storage import open_db


class Tx:
    """Record operations of one transaction (use `Journal.transaction()`).

    Records are addressed by their app id (the `"id"` field), never by
    TinyDB's doc id. Docs passed in are copied (and must be JSON data);
    docs returned are shallow copies: do not mutate nested lists/dicts.
    Every insert, change and delete also leaves the record a new version stamp
    (store/stamps.py), taken at `now()`.
    """

    def __init__(self, state: FileState, now: Callable[[], datetime]) -> None:
        self._db, self._storage = open_db(state.raw)
        self._now = now
        self._own_stamps: dict[str, Doc] | None = None  # the stamps table, once changed
        self._base: FileState | None = state  # None once replace_all dropped it
        self._own: dict[str, Index] = {}   # indexes this transaction changed
        self._migrating = state.needs_migration
        self._open = True

    @property
    def dirty(self) -> bool:
        return self._storage.dirty

    # reads

    def all(self, table: str) -> list[Doc]:
        return [dict(d) for d in self._raw_table(table).values()]

    def get(self, table: str, id: str) -> Doc:
        return dict(self._raw_table(table)[str(self._doc_id(table, id))])

    def find(self, table: str, /, **eq: Any) -> list[Doc]:
        """Docs whose fields equal all of `eq` (a missing field matches nothing)."""
        missing = object()
        return [dict(d) for d in self._raw_table(table).values()
                if all(d.get(k, missing) == v for k, v in eq.items())]

    def get_single(self, table: str) -> Doc | None:
        docs = self._raw_table(table)
        return dict(next(iter(docs.values()))) if docs else None

    def tables(self) -> list[str]:
        return [n for n in self._storage.data if n not in SYSTEM_TABLES]

    def is_empty(self, ignore: tuple[str, ...] = ()) -> bool:
        """True when no table holds a record (empty tables, and those in `ignore`, do not
        count)."""
        return not any(t for n, t in self._storage.data.items()
                       if n not in SYSTEM_TABLES and n not in ignore)

    # writes

    def insert(self, table: str, doc: Doc) -> str:
        """Add a record; returns its id (generated when `doc` has none)."""
        doc = _clean(doc, "document")
        _check_name(table)
        ix = self._index(table, own=True)
        rid = doc.get("id")
        if rid is None:
            rid = self._new_id(ix.ids)
            doc = {"id": rid, **doc}
        elif not isinstance(rid, str) or not rid:
            raise ValueError(f"a record id must be a non-empty string, not {rid!r}")
        elif rid in ix.ids:
            raise ValueError(f"{table} already has a record with id {rid!r}")
        doc_id = ix.next_doc_id
        self._db.table(table).insert(Document(doc, doc_id))
        ix.ids[rid] = doc_id
        ix.next_doc_id = doc_id + 1
        self._stamp(table, rid)
        return rid

    def update(self, table: str, id: str, changes: Doc) -> None:
        """Set the given fields of a record (others are kept)."""
        changes = _clean(changes, "changes")
        if changes.get("id", id) != id:
            raise ValueError("a record's id cannot change")
        doc_id = self._doc_id(table, id)
        old = self._raw_table(table)[str(doc_id)]
        new = {**old, **changes}
        if new != old:
            self._db.table(table).replace(doc_id, new)
            self._stamp(table, id, was=old)

    def delete(self, table: str, id: str) -> None:
        doc_id = self._doc_id(table, id)
        was = self._raw_table(table)[str(doc_id)]
        self._db.table(table).remove(doc_ids=[doc_id])
        del self._index(table, own=True).ids[id]
        self._stamp(table, id, deleted=True, was=was)

    def set_single(self, table: str, doc: Doc) -> str:
        """Make `doc` the one document of `table` (replacing it whole); returns its id."""
        doc = _clean(doc, "document")
        current = self.get_single(table)
        if current is None:
            return self.insert(table, doc)
        rid = current["id"]
        new = {"id": rid, **{k: v for k, v in doc.items() if k != "id"}}
        if new != current:
            self._db.table(table).replace(self._doc_id(table, rid), new)
            self._stamp(table, rid, was=current)
        return rid

    def stamps(self) -> dict[str, Doc]:
        """Every version stamp (tombstones included), by "table/id"."""
        self._check_open()
        return {d["id"]: dict(d) for d in (self._storage.data.get(STAMPS) or {}).values()}

    def replace_all(self, tables: dict[str, list[Doc]],
                    versions: dict[str, Doc] | None = None) -> None:
        """Make the journal exactly `tables`: every doc needs a unique string id per table.
        Each record gets a new stamp, or with `versions` (a merge's result) the stamps
        given, tombstones included, as they are."""
        self._check_open()
        clean = _clean(tables, "tables")
        for name, docs in clean.items():
            _check_name(name)
            if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
                raise ValueError(f"table {name!r} must be a list of objects")
            seen: set[str] = set()
            for d in docs:
                rid = d.get("id")
                if not isinstance(rid, str) or not rid or rid in seen:
                    raise ValueError(f"table {name!r}: missing or duplicate id {rid!r}")
                seen.add(rid)
        meta = self._storage.data.get(META)
        self._db.drop_tables()  # TinyDB forgets its table objects (and their caches)
        self._base = None
        self._own.clear()
        self._own_stamps = None
        # TinyDB's raw form, built here: its insert_multiple rebuilds the table per call
        data: Raw = {name: {str(i): d for i, d in enumerate(docs, 1)}
                     for name, docs in clean.items()}
        if versions is None:
            now = self._now()
            fresh = [stamps.next_entry(stamps.key(name, d["id"]), None, now, d)
                     for name, docs in clean.items() for d in docs]
        else:
            fresh = list(_clean(versions, "versions").values())
        if fresh:
            data[STAMPS] = {str(i): e for i, e in enumerate(fresh, 1)}
        if meta is not None:
            data[META] = meta
        self._storage.write(data)

    # internals

    def _stamp(self, table: str, rid: str, *, deleted: bool = False, was: Doc | None = None
               ) -> None:
        """Give the record (or its deletion) a new version stamp, grown from its last one
        (or, for a record written before stamps, from `was`, its content). The stamps table is
        changed in place in this transaction's own copy (through TinyDB each change would
        rebuild the whole table, and it holds an entry for every record)."""
        k = stamps.key(table, rid)
        ix = self._index(STAMPS, own=True)
        own = self._own_stamps
        if own is None:
            own = self._own_stamps = dict(self._storage.data.get(STAMPS) or {})
        doc_id = ix.ids.get(k)
        if doc_id is None:
            doc_id = ix.next_doc_id
            ix.ids[k] = doc_id
            ix.next_doc_id = doc_id + 1
        old = own.get(str(doc_id))
        doc = None if deleted else self._raw_table(table)[str(self._doc_id(table, rid))]
        own[str(doc_id)] = stamps.next_entry(k, old, self._now(), doc, deleted=deleted,
                                             was=was)
        self._storage.data[STAMPS] = own
        self._storage.dirty = True

    def _force_write(self) -> None:
        self._storage.dirty = True

    def _data(self) -> Raw:
        return self._storage.data

    def _raw_table(self, table: str) -> dict[str, Doc]:
        self._check_open()
        _check_name(table)
        return self._storage.data.get(table) or {}

    def _index(self, table: str, *, own: bool = False) -> Index:
        """The table's index; `own` makes it a private copy this transaction may change."""
        self._check_open()
        ix = self._own.get(table)
        if ix is not None:
            return ix
        if self._base is not None:
            ix = self._base.index(table)
            if not own:
                return ix
            ix = ix.copy()
        else:
            ix = Index.build(self._storage.data.get(table) or {})
        self._own[table] = ix
        return ix

    def _indexes(self) -> dict[str, Index]:
        """Indexes valid for the data this transaction leaves, for the next state."""
        out = {} if self._base is None else dict(self._base._index)
        out.update(self._own)
        return out

    def _doc_id(self, table: str, id: str) -> int:
        self._check_open()
        _check_name(table)
        try:
            return self._index(table).ids[id]
        except (KeyError, TypeError):
            raise RecordNotFound(table, id) from None

    @staticmethod
    def _new_id(taken: dict[str, int]) -> str:
        while (rid := os.urandom(4).hex()) in taken:
            pass
        return rid

    def _check_open(self) -> None:
        if not self._open:
            raise RuntimeError("the transaction is over")


def _check_name(table: str) -> None:
    if not isinstance(table, str) or not table or table in SYSTEM_TABLES:
        raise ValueError(f"not a record table: {table!r}")


def _clean(value: Any, what: str) -> Any:
    """A private JSON copy of caller data, so later caller edits cannot leak in."""
    try:
        out = codec.copy(value)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{what} is not JSON data: {e}") from None
    if not isinstance(out, dict):
        raise ValueError(f"{what} must be an object")
    return out
