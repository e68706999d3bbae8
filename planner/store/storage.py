"""TinyDB as the document layer, with the file I/O taken away from it.

`BufferedStorage` is a `tinydb.Storage` that holds one transaction's data in
memory: TinyDB's `read()` gets the data loaded under the lock, its `write()`
only records the new state. The journal then writes the file once, atomically,
when the transaction ends (TinyDB's own JSONStorage would rewrite the whole
file, non-atomically, after every operation; CachingMiddleware would lose
unflushed writes).
"""

from __future__ import annotations

from typing import Any, cast

from tinydb import Storage, TinyDB
from tinydb.table import Table

from planner.store.migrations import Raw


class BufferedStorage(Storage):
    """In-memory state of one transaction; `dirty` once TinyDB has written."""

    def __init__(self, data: Raw) -> None:
        # A fresh top-level dict: TinyDB assigns tables into it. Table dicts
        # are rebuilt (not mutated) by TinyDB, so the caller's data is safe.
        self.data: Raw = dict(data)
        self.dirty = False

    def read(self) -> Raw:
        return self.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.data = data
        self.dirty = True


class SafeTable(Table):
    """A TinyDB table that replaces a document instead of mutating it in place.

    Documents of the loaded state are shared with snapshots already handed
    out, so an update must swap in a new dict (TinyDB's `update` edits it).
    """

    def replace(self, doc_id: int, doc: dict[str, Any]) -> None:
        def updater(table: dict[int, Any]) -> None:
            if doc_id not in table:
                raise KeyError(doc_id)
            table[doc_id] = doc

        self._update_table(updater)


class TxDB(TinyDB):
    table_class = SafeTable

    def table(self, name: str, **kwargs: Any) -> SafeTable:
        """The table, typed as what `table_class` makes it."""
        return cast(SafeTable, super().table(name, **kwargs))


def open_db(data: Raw) -> tuple[TxDB, BufferedStorage]:
    """A TinyDB over `data` (not copied deeply, never mutated) and its storage."""
    db = TxDB(storage=BufferedStorage, data=data)
    return db, db.storage  # type: ignore[return-value]
