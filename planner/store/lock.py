"""An exclusive inter-process lock on `<journal>.lock`, with a timeout.

`fcntl.flock` is released by the kernel when its holder exits, even after
kill -9, so a dead holder never blocks the next process. It is polled
non-blocking so a lock held too long ends in `JournalBusy`, not a hang.
The lock file is never deleted: deleting it would let two processes lock
two different files. For the same reason it lives beside the journal's
target when the journal path is a symbolic link: a process that opens the
journal by the link and one that opens it by the target lock the same file.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planner.store import layout
from planner.store.atomic import FILE_MODE
from planner.store.errors import JournalBusy, JournalWriteError

DEFAULT_TIMEOUT = 10.0


def lock_path(journal: Path) -> Path:
    """`<journal>.lock` beside the file the journal path names (OSError(ELOOP) for a loop)."""
    journal = layout.target(journal)
    return journal.with_name(journal.name + ".lock")


def timeout_from_env(default: float = DEFAULT_TIMEOUT) -> float:
    """`ACUPLAN_LOCK_TIMEOUT` in seconds; a missing or malformed value means the default."""
    raw = os.environ.get("ACUPLAN_LOCK_TIMEOUT", "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value >= 0 and value == value else default  # rejects NaN


@contextmanager
def locked(journal: Path, timeout: float) -> Iterator[None]:
    """Hold the journal's lock for the block; JournalBusy after `timeout` seconds."""
    try:
        fd = os.open(lock_path(journal), os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as e:
        raise JournalWriteError(journal, e) from e
    try:
        deadline = time.monotonic() + timeout
        pause = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise JournalBusy(journal, timeout) from None
                time.sleep(min(pause, remaining))
                pause = min(pause * 2, 0.025)
            except OSError as e:  # e.g. a filesystem without flock
                raise JournalWriteError(journal, e) from e
        yield
    finally:
        os.close(fd)  # closing releases the flock
