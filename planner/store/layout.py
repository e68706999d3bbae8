"""How the journal's sibling files are named, and how to recognise them.

All live beside the journal (same directory, so links and renames stay on
one filesystem):

    journal.json.lock                    the lock file
    journal.json.prev-000123             numbered previous versions (keep 5)
    journal.json.day-2026-12-01          first version of a wall-clock day (keep 7)
    journal.json.pre-v1[-N]              backup taken before migrating to schema 1
    journal.json.unreadable-20261201T101530Z[-N]   a file moved aside by restore
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone
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


def previous_path(journal: Path, seq: int) -> Path:
    return journal.with_name(f"{journal.name}.prev-{seq:06d}")


def daily_path(journal: Path, day: date) -> Path:
    return journal.with_name(f"{journal.name}.day-{day.isoformat()}")


def pre_migration_path(journal: Path, schema: int, n: int = 1) -> Path:
    suffix = "" if n == 1 else f"-{n}"
    return journal.with_name(f"{journal.name}.pre-v{schema}{suffix}")


def aside_path(journal: Path, now: datetime | None = None, n: int = 1) -> Path:
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    suffix = "" if n == 1 else f"-{n}"
    return journal.with_name(f"{journal.name}.unreadable-{stamp}{suffix}")


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
