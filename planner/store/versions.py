"""The versions kept beside the journal: list them, find the newest good one, restore.

Restoring never deletes anything: the current file is moved aside as
`journal.json.unreadable-<UTC timestamp>` and a copy of the chosen version
takes its place atomically, under the journal lock. The journal name holds a
complete file at every moment of a restore (the aside name is a hard link,
or a copy where links are not possible), so a crash or power loss midway
leaves the old file or the restored one in place, never no journal.

A journal path that is a symbolic link is resolved (`layout.target`): the
versions listed are those beside its target, and a restore replaces the
target, keeping the link.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from planner.store import atomic, layout, reader
from planner.store.errors import (
    JournalNotDurable,
    JournalUnreadable,
    JournalWriteError,
    NewerSchema,
    UnknownVersion,
)
from planner.store.lock import locked, timeout_from_env
from planner.store.migrations import CURRENT_SCHEMA, SYSTEM_TABLES
from planner.store.rotation import holds

_RANK = {layout.PREVIOUS: 0, layout.DAILY: 1, layout.PRE_MIGRATION: 2}


class Version(NamedTuple):
    path: Path
    kind: str                # "previous" | "daily" | "pre-migration"
    label: str               # what `acuplan restore LABEL` takes, e.g. "prev-000123"
    mtime: float             # when this content was written (seconds since the epoch)
    readable: bool
    counts: dict[str, int]   # records per table ({} when unreadable)
    error: str | None        # why it is unreadable (None when readable)


def _ordered(journal: Path) -> list[tuple[float, layout.Sibling]]:
    """Version files, newest first (ties: previous, daily, pre-migration; higher number)."""
    out = []
    for s in layout.siblings(layout.target(journal)):
        try:
            mtime = os.stat(s.path).st_mtime
        except OSError:
            continue
        out.append((mtime, s))
    out.sort(key=lambda ms: (-ms[0], _RANK[ms[1].kind], -ms[1].number))
    return out


def _check(path: Path) -> tuple[dict[str, int] | None, str | None]:
    try:
        loaded = reader.read(path)
    except reader.BadJournal as e:
        return None, e.reason
    if loaded is None:
        return None, "it no longer exists"
    return {n: len(t) for n, t in loaded.raw.items() if n not in SYSTEM_TABLES}, None


def list_versions(path: Path) -> list[Version]:
    """Every kept version of the journal at `path`, newest first, each checked."""
    path = Path(path)
    versions = []
    try:
        ordered = _ordered(path)
    except OSError as e:  # the directory cannot be listed: a storage problem (exit 4)
        raise JournalWriteError(path, e) from e
    for mtime, s in ordered:
        counts, error = _check(s.path)
        versions.append(Version(s.path, s.kind, s.label, mtime, error is None,
                                counts or {}, error))
    return versions


def newest_readable(path: Path) -> Path | None:
    """The newest version that would load (parses only until one does)."""
    for _, s in _ordered(Path(path)):
        if _check(s.path)[1] is None:
            return s.path
    return None


def find_version(path: Path, version: str | Path) -> Path:
    """A version by label ("prev-000123"), file name, or path; UnknownVersion if none."""
    path = Path(path)
    try:
        known = layout.siblings(layout.target(path))
    except OSError as e:  # the directory cannot be listed: a storage problem (exit 4)
        raise JournalWriteError(path, e) from e
    if isinstance(version, str):
        for s in known:
            if version in (s.label, s.path.name):
                return s.path
    candidate = Path(version)
    if candidate.is_file():
        return candidate
    raise UnknownVersion(str(version), [v.label for _, v in _ordered(path)])


def restore(path: Path, version: str | Path, *, lock_timeout: float | None = None) -> Path | None:
    """Put a copy of `version` in place of the journal; returns where the old file went.

    Refuses (JournalUnreadable/NewerSchema, nothing changed) a version that
    does not load. Returns None when there was no journal file to move aside.
    A symbolic link journal keeps its link: the target is what gets replaced.
    """
    path = Path(path)
    source = find_version(path, version)
    timeout = timeout_from_env() if lock_timeout is None else lock_timeout
    try:
        atomic.ensure_dir(path.parent)
        real = layout.target(path)
    except OSError as e:
        raise JournalWriteError(path, e) from e
    with locked(real, timeout):
        try:
            payload = source.read_bytes()
            reader.parse(payload)
        except OSError as e:
            raise JournalUnreadable(source, f"cannot read it ({e.strerror})",
                                    newest_readable(path)) from None
        except reader.TooNew as e:
            raise NewerSchema(source, e.found, CURRENT_SCHEMA, newest_readable(path)) from None
        except reader.BadJournal as e:
            raise JournalUnreadable(source, e.reason, newest_readable(path)) from None
        mover = _Aside(real)
        try:
            atomic.atomic_write(real, payload, before_replace=mover.move)
        except atomic.NotDurable as e:  # restored, and the bad file is aside: keep both
            raise JournalNotDurable(path, e) from e
        except OSError as e:
            mover.undo()
            raise JournalWriteError(path, e) from e
        return mover.aside


class _Aside:
    """Keep the current journal under an `unreadable-…` name just before it is replaced.

    By a hard link, or where links are not possible by a copy: never by renaming
    the journal away, which would leave no journal at all until the replace (a
    crash there, or a power loss that keeps that rename and drops the replace,
    would show an empty journal).

    A restore killed between the two leaves an aside file that is the journal
    under a second name; the next restore takes that file as the journal's aside
    instead of keeping the same bytes twice.
    """

    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self.aside: Path | None = None
        self.created = False

    def move(self) -> None:
        if not os.path.lexists(self.journal):
            return
        self.aside = self._left_by_a_killed_restore()
        if self.aside is not None:
            return
        n = 1
        while True:
            dest = layout.aside_path(self.journal, n=n)
            try:
                os.link(self.journal, dest)  # the replace then drops the old name
            except FileExistsError:
                n += 1
                continue
            except OSError:
                if os.path.lexists(dest):
                    n += 1
                    continue
                try:  # 0600, fsynced; made durable by the replace's directory fsync
                    atomic.write_new(dest, self.journal.read_bytes())
                except FileExistsError:
                    n += 1
                    continue
            break
        self.aside = dest
        self.created = True
        try:
            os.chmod(dest, atomic.FILE_MODE)
        except OSError:
            pass

    def _left_by_a_killed_restore(self) -> Path | None:
        """An aside file already holding the journal's bytes, or None."""
        try:
            st = os.stat(self.journal)
        except OSError:
            return None
        for name in sorted(layout.list_names(self.journal.parent)):
            if layout.is_aside(self.journal, name):
                aside = self.journal.with_name(name)
                if holds(aside, self.journal, st):
                    return aside
        return None

    def undo(self) -> None:
        if self.aside is None:
            return
        if self.created:  # one found already there stays: it holds the journal's bytes
            try:
                os.unlink(self.aside)
            except OSError:
                pass
        self.aside = None
        self.created = False
