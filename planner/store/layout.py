"""How the journal's sibling files are named, and how to recognise them.

All live beside the journal (same directory, so links and renames stay on
one filesystem). When the journal path is a symbolic link, "the journal" is
the file the link points at (`target`): the link is never replaced, and the
files below live beside the target:

    journal.json.lock                    the lock file
    journal.json.prev-000123             numbered previous versions (keep 5)
    journal.json.day-2026-12-01          first version of a wall-clock day (keep 7)
    journal.json.pre-v1[-N]              backup taken before migrating to schema 1
    journal.json.unreadable-20261201T101530Z[-N]   a file moved aside by restore
    .journal.json.tmp-<pid>-<hex>        a write in progress (or of a writer that died)
    journal.json.status-cache            answers kept for `acuplan status` (status_cache.py)
    .journal.json.status-cache.tmp-<pid>-<hex>   the cache being written (without the lock)
"""

from __future__ import annotations

import errno
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

PREVIOUS, DAILY, PRE_MIGRATION = "previous", "daily", "pre-migration"

_PATTERNS = (
    (PREVIOUS, re.compile(r"prev-(\d{6,})")),
    (DAILY, re.compile(r"day-(\d{4}-\d{2}-\d{2})")),
    (PRE_MIGRATION, re.compile(r"pre-v(\d+)(?:-(\d+))?")),
)


class Sibling(NamedTuple):
    """A recognised version file: kind, label (the suffix after the journal name), path."""

    kind: str
    label: str
    path: Path
    number: int  # sequence for previous, ordinal day for daily, schema for pre-migration


def target(journal: Path) -> Path:
    """The file the journal path names: the path itself, or, when it is a symbolic link
    (or a chain of links), the file the link finally points at, which may not exist yet.

    Writes, the lock and the versions all go there, so a link stays a link and its
    target gets the new bytes. A link loop is OSError(ELOOP). Costs one lstat when the
    path is not a link.
    """
    journal = Path(journal)
    if not os.path.islink(journal):
        return journal
    real = Path(os.path.realpath(journal))
    if os.path.islink(real):  # realpath stops where it meets a loop
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(journal))
    return real


def previous_path(journal: Path, seq: int) -> Path:
    return journal.with_name(f"{journal.name}.prev-{seq:06d}")


def daily_path(journal: Path, day: date) -> Path:
    return journal.with_name(f"{journal.name}.day-{day.isoformat()}")


def pre_migration_path(journal: Path, schema: int, n: int = 1) -> Path:
    suffix = "" if n == 1 else f"-{n}"
    return journal.with_name(f"{journal.name}.pre-v{schema}{suffix}")


def aside_path(journal: Path, now: datetime | None = None, n: int = 1) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    suffix = "" if n == 1 else f"-{n}"
    return journal.with_name(f"{journal.name}.unreadable-{stamp}{suffix}")


_ASIDE = re.compile(r"\.unreadable-\d{8}T\d{6}Z(?:-\d+)?")


def is_aside(journal: Path, name: str) -> bool:
    """Whether `name` is a file `aside_path` names for this journal."""
    return name.startswith(journal.name) and _ASIDE.fullmatch(name, len(journal.name)) is not None


# Files written beside the journal without its lock (see status_cache.py), through
# atomic.atomic_write's temp files `.<journal>.<side>.tmp-<pid>-<hex>`. A writer killed
# mid-write leaves its temp: whoever writes next (the cache's writer, or a journal write
# under the lock) removes the temps whose writers are gone. Earlier versions named them
# `<journal>.<side>.tmp-<pid>`: recognised too, so their leftovers go the same way.
SIDE_FILES = ("status-cache",)
_SIDES = "|".join(map(re.escape, SIDE_FILES))
_SIDE_TEMP = re.compile(rf"\.(?:{_SIDES})\.tmp-(\d{{1,10}})-[0-9a-f]+")
_OLD_SIDE_TEMP = re.compile(rf"\.(?:{_SIDES})\.tmp-(\d{{1,10}})")


def side_temp_pid(journal: Path, name: str) -> int | None:
    """The writer's pid if `name` is the temp file of a side file of the journal."""
    if name.startswith("." + journal.name):
        m = _SIDE_TEMP.fullmatch(name, len(journal.name) + 1)
    elif name.startswith(journal.name):
        m = _OLD_SIDE_TEMP.fullmatch(name, len(journal.name))
    else:
        return None
    return int(m.group(1)) if m else None


def recognise(journal: Path, name: str) -> Sibling | None:
    """The version a directory entry is, or None (temp, lock, aside and foreign files)."""
    prefix = journal.name + "."
    if not name.startswith(prefix):
        return None
    label = name[len(prefix):]
    for kind, pattern in _PATTERNS:
        m = pattern.fullmatch(label)
        if m is None:
            continue
        if kind == DAILY:
            try:
                number = date.fromisoformat(m.group(1)).toordinal()
            except ValueError:
                return None
        else:
            number = int(m.group(1))
        return Sibling(kind, label, journal.with_name(name), number)
    return None


def siblings(journal: Path, names: list[str] | None = None) -> list[Sibling]:
    """Every version file beside the journal (unordered)."""
    if names is None:
        names = list_names(journal.parent)
    found = (recognise(journal, n) for n in names)
    return [s for s in found if s is not None]


def list_names(directory: Path) -> list[str]:
    """Entry names of a directory; empty if it does not exist."""
    try:
        return os.listdir(directory)
    except FileNotFoundError:
        return []


def in_journal_family(path: Path, journal: Path) -> bool:
    """True when writing `path` would clobber the journal or a file kept beside it (its
    versions, lock, cache, temporary files), also through a symbolic link: an export, a
    calendar or a report must never be written there."""
    try:
        p = Path(path).expanduser().resolve()
        j = Path(journal).expanduser().resolve()
    except (OSError, RuntimeError):
        return False
    return p == j or (p.parent == j.parent and (p.name.startswith(j.name + ".")
                                                or p.name.startswith("." + j.name + ".")))
