"""The journal: one TinyDB JSON file, read without locks, written under one.

Reads parse the file only when its stat signature changed. A transaction
locks, re-reads if another process wrote meanwhile, lets TinyDB apply the
operations in memory, and on success writes the file once, atomically,
keeping the outgoing file as a version. An exception, an unreadable file or
a failed write leaves the file byte-identical.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.store import atomic, codec, reader
from planner.store.errors import (
    JournalNotDurable,
    JournalUnreadable,
    JournalWriteError,
    NewerSchema,
)
from planner.store.lock import locked, timeout_from_env
from planner.store.migrations import CURRENT_SCHEMA, META, STAMPS, Raw
from planner.store.rotation import Rotation
from planner.store.state import Doc, FileState, Index, Snapshot

if TYPE_CHECKING:
    from planner.store.tx import Tx

__all__ = ["Journal", "Tx"]


def __getattr__(name: str) -> object:
    """`Tx` on first use: it brings TinyDB, which only a write needs (importing it is
    30 M instructions, 7% of a `status` worked out from the records)."""
    if name == "Tx":
        from planner.store.tx import Tx

        return Tx
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Journal:
    """The journal file at `path`; safe to share between threads and processes."""

    def __init__(self, path: Path, *, lock_timeout: float | None = None,
                 clock: Callable[[], date] | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self.lock_timeout = timeout_from_env() if lock_timeout is None else float(lock_timeout)
        self.clock = clock or date.today  # the day, for the versions kept
        self.now = now or _utc_now        # the moment, for the records' version stamps
        self._state: FileState | None = None
        self.writes = 0  # files this object has written (the journal replaced)
        self._mutex = threading.Lock()
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # -- reading ---------------------------------------------------------

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def signature(self) -> Any:
        """A hashable value that changes whenever the file does (poll it to refresh)."""
        try:
            return reader.signature_of(os.stat(self.path))
        except FileNotFoundError:
            return None
        except OSError as e:
            return ("error", e.errno)

    def written_signature(self) -> Any:
        """The signature of the file as this object last wrote or read it (from the write's
        own stat, so a later write by another process is never mistaken for ours)."""
        with self._mutex:
            return self._state.signature if self._state is not None else None

    def snapshot(self) -> Snapshot:
        """Every table (meta excluded) as a list of docs in insertion order. Read-only!"""
        with self._mutex:
            return self._current().view()

    def payload(self) -> tuple[Any, bytes | None]:
        """The file's signature and bytes (None: no file), as last read: cached while the
        signature holds, and not parsed here (a reader that decodes them straight into
        typed records needs no dicts). After a write, the bytes written."""
        with self._mutex:
            state = self._current(parse=False)
            return state.signature, state.payload

    def get_single(self, table: str) -> Doc | None:
        """The document of a one-document table (profile, settings), or None."""
        docs = self.snapshot().get(table) or []
        return dict(docs[0]) if docs else None

    # -- writing ---------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """Lock, re-read if changed, yield a Tx; write once on success, nothing on error."""
        if getattr(self._local, "active", False):
            raise RuntimeError("nested transaction on the same Journal (it would wait for itself)")
        self._local.active = True
        try:
            try:
                atomic.ensure_dir(self.path.parent)
            except OSError as e:
                raise JournalWriteError(self.path, e) from e
            with locked(self.path, self.lock_timeout):
                with self._mutex:
                    state = self._current()
                from planner.store.tx import Tx

                tx = Tx(state, self.now)
                try:
                    yield tx
                finally:
                    tx._open = False
                if tx.dirty:
                    self._commit(state, tx._data(), tx._indexes())
        finally:
            self._local.active = False

    def insert(self, table: str, doc: Doc) -> str:
        with self.transaction() as tx:
            return tx.insert(table, doc)

    def update(self, table: str, id: str, changes: Doc) -> None:
        with self.transaction() as tx:
            tx.update(table, id, changes)

    def delete(self, table: str, id: str) -> None:
        with self.transaction() as tx:
            tx.delete(table, id)

    def set_single(self, table: str, doc: Doc) -> str:
        with self.transaction() as tx:
            return tx.set_single(table, doc)

    def replace_all(self, tables: dict[str, list[Doc]]) -> None:
        """Make the journal exactly `tables` (import); atomic, under the lock."""
        with self.transaction() as tx:
            tx.replace_all(tables)

    def stamps(self) -> dict[str, Doc]:
        """Every record's version stamp (tombstones included), by "table/id". Read-only!"""
        with self._mutex:
            raw = self._current().raw.get(STAMPS) or {}
        return {d["id"]: d for d in raw.values()}

    def migrate(self) -> bool:
        """Write an older-schema file forward now (after its backup); True if it did."""
        with self.transaction() as tx:
            needed = tx._migrating
            if needed:
                tx._force_write()
        return needed

    # -- internals -------------------------------------------------------

    def _current(self, parse: bool = True) -> FileState:
        """The reading of the file as it is now (cached while its signature holds), its
        bytes parsed and checked unless `parse` is false."""
        try:
            sig: Any = reader.signature_of(os.stat(self.path))
        except FileNotFoundError:
            sig = None
        except OSError:
            sig = "unknown"  # let the read below report the error
        state = self._state
        try:
            if state is None or state.signature != sig:
                loaded = reader.read_bytes(self.path)
                if loaded is None:
                    state = FileState(None, {}, CURRENT_SCHEMA)
                else:
                    state = FileState(loaded[0], None, payload=loaded[1])
                self._state = state
            if parse:
                state.parse()
        except reader.TooNew as e:
            raise NewerSchema(self.path, e.found, CURRENT_SCHEMA, self._newest()) from None
        except reader.BadJournal as e:
            raise JournalUnreadable(self.path, e.reason, self._newest()) from None
        return state

    def _newest(self) -> Path | None:
        from planner.store.versions import newest_readable

        try:
            return newest_readable(self.path)
        except OSError:
            return None

    def _commit(self, state: FileState, data: Raw, index: dict[str, Index]) -> None:
        if META not in data:
            data[META] = {"1": {"schema_version": CURRENT_SCHEMA}}
        payload = codec.encode(data)
        today = self.clock()
        if isinstance(today, datetime):
            today = today.date()
        migrating = state.needs_migration
        rotation = None
        try:
            rotation = Rotation(self.path, today,
                                migrating_to=CURRENT_SCHEMA if migrating else None)
            st = atomic.atomic_write(self.path, payload, before_replace=rotation.keep)
        except atomic.NotDurable as e:
            if rotation is not None:
                rotation.prune()
            with self._mutex:
                self._state = FileState(reader.signature_of(e.stat), data, CURRENT_SCHEMA,
                                        index, payload=payload)
                self.writes += 1
            raise JournalNotDurable(self.path, e) from e
        except OSError as e:
            if rotation is not None:
                rotation.undo()
            raise JournalWriteError(self.path, e) from e
        rotation.prune()
        with self._mutex:
            self._state = FileState(reader.signature_of(st), data, CURRENT_SCHEMA, index,
                                    payload=payload)
            self.writes += 1
