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
    exchange.py    JSON/CSV export, JSON import, private writes
    errors.py      the errors and their exit codes
"""

from planner.store.errors import (ImportRefused, JournalBusy, JournalUnreadable, JournalWriteError,
                     NewerSchema, RecordNotFound, StoreError, UnknownVersion)
from planner.store.journal import Journal, Tx
from planner.store.migrations import CURRENT_SCHEMA

__all__ = [
    "Journal", "Tx", "CURRENT_SCHEMA", "StoreError", "JournalUnreadable", "NewerSchema",
    "JournalBusy", "JournalWriteError", "RecordNotFound", "ImportRefused", "UnknownVersion",
]
