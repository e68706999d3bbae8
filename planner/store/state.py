"""One reading of the journal file, shared read-only by snapshots and transactions.

A `FileState` is never mutated once published (its lazily built caches only
grow), so snapshots handed out earlier stay valid after later writes. It keeps
the file's bytes; they are parsed into TinyDB's raw form only when something
asks for documents (a transaction, a snapshot): a reader that decodes the
bytes straight into typed records (planner.service.tables) never pays for it.
"""

from __future__ import annotations

from typing import Any

from planner.store.migrations import CURRENT_SCHEMA, SYSTEM_TABLES, Raw
from planner.store.reader import Signature, parse

Doc = dict[str, Any]
Snapshot = dict[str, list[Doc]]


class FileState:
    """One reading of the file; never mutated once published."""

    __slots__ = ("signature", "payload", "_raw", "_schema_on_disk", "_view", "_index")

    def __init__(self, signature: Signature | None, raw: Raw | None,
                 schema_on_disk: int = CURRENT_SCHEMA, index: dict[str, Index] | None = None,
                 *, payload: bytes | None = None) -> None:
        self.signature = signature  # None: the file does not exist
        self.payload = payload      # the file's bytes (None: no file, or not kept)
        self._raw = raw             # None: not parsed yet (`parse` does it from payload)
        self._schema_on_disk = schema_on_disk
        self._view: Snapshot | None = None
        self._index: dict[str, Index] = index or {}

    @property
    def parsed(self) -> bool:
        return self._raw is not None

    def parse(self) -> None:
        """Parse and check the bytes (reader.parse), once: BadJournal or TooNew if they
        are not a usable journal."""
        if self._raw is None:
            assert self.payload is not None, "a state without data keeps its bytes"
            self._raw, self._schema_on_disk = parse(self.payload)

    @property
    def raw(self) -> Raw:
        """Current-schema data in TinyDB's raw form, meta included."""
        self.parse()
        assert self._raw is not None
        return self._raw

    @property
    def schema_on_disk(self) -> int:
        self.parse()
        return self._schema_on_disk

    @property
    def needs_migration(self) -> bool:
        """The file exists in an older schema (its data here is already migrated)."""
        return self.signature is not None and self.schema_on_disk < CURRENT_SCHEMA

    def view(self) -> Snapshot:
        if self._view is None:
            self._view = {name: list(table.values())
                          for name, table in self.raw.items() if name not in SYSTEM_TABLES}
        return self._view

    def index(self, table: str) -> Index:
        """Record id -> TinyDB doc id for a table, built once per parse."""
        ix = self._index.get(table)
        if ix is None:
            ix = self._index[table] = Index.build(self.raw.get(table) or {})
        return ix


class Index:
    """Where each record id lives in a TinyDB table, and the next free doc id."""

    __slots__ = ("ids", "next_doc_id")

    def __init__(self, ids: dict[str, int], next_doc_id: int) -> None:
        self.ids = ids
        self.next_doc_id = next_doc_id

    @classmethod
    def build(cls, table: dict[str, Doc]) -> Index:
        ids = {d["id"]: int(k) for k, d in table.items()}
        return cls(ids, max(ids.values(), default=0) + 1)

    def copy(self) -> Index:
        return Index(dict(self.ids), self.next_doc_id)
