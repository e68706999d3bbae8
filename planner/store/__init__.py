"""Storage of the journal: one TinyDB JSON file that survives crashes (SPEC §6).

    journal.py     Journal / Tx: cached reads, locked atomic transactions
    storage.py     the TinyDB Storage that buffers a transaction in memory
    reader.py      bytes -> checked current-schema data (or why not)
    migrations.py  schema versions and the steps between them
    codec.py       the JSON codec (one pair of functions)
    atomic.py      temp + fsync + replace + fsync dir, 0600/0700
    lock.py        flock on <journal>.lock with a timeout
    rotation.py    keep previous/daily versions on each write, prune
    versions.py    list versions, newest readable, restore
    layout.py      names of the files beside the journal
    status_cache.py  the status answers kept beside the journal, keyed by its content
    exchange.py    JSON/CSV export, JSON import, private writes
    errors.py      the errors and their exit codes
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing would cost the prompt ~2 ms
if TYPE_CHECKING:
    from planner.store.errors import (
        ImportRefused,
        JournalBusy,
        JournalUnreadable,
        JournalWriteError,
        NewerSchema,
        RecordNotFound,
        StoreError,
        UnknownVersion,
    )
    from planner.store.journal import Journal, Tx
    from planner.store.migrations import CURRENT_SCHEMA

# Loaded on first use (PEP 562): the shell prompt's cached `status` reads only
# status_cache.py, and importing journal.py (TinyDB) would cost it more than a third.
_HOME = {"Journal": "journal", "Tx": "journal", "CURRENT_SCHEMA": "migrations",
         **{name: "errors" for name in (
             "StoreError", "JournalUnreadable", "NewerSchema", "JournalBusy",
             "JournalWriteError", "RecordNotFound", "ImportRefused", "UnknownVersion")}}


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value

__all__ = [
    "Journal", "Tx", "CURRENT_SCHEMA", "StoreError", "JournalUnreadable", "NewerSchema",
    "JournalBusy", "JournalWriteError", "RecordNotFound", "ImportRefused", "UnknownVersion",
]
