"""Keep the file being replaced as a version, and prune old versions.

The journal is never modified in place, only replaced, so the outgoing file
can be kept by hard-linking it: no copy, no extra I/O. Where links are not
possible the file is copied (0600) instead. Runs under the journal lock.

A symbolic link journal is resolved first: the versions are of its target,
beside the target, and are the target's bytes (a link to the file, or a
copy), never a link to the link.

A writer killed after keeping a version and before its replace leaves that
version holding the current file (a second name for it). The next write does
not keep the same bytes again under a new name (a previous version would push
a real older one out; a pre-migration backup would be there twice): the version
already kept is the one this write's replace makes real.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from planner.store import atomic, layout

KEEP_PREVIOUS = 5
KEEP_DAILY = 7


class Rotation:
    """Version keeping for one write: `keep()` before the replace, `prune()` after."""

    def __init__(self, journal: Path, today: date, *, migrating_to: int | None = None) -> None:
        self.journal = layout.target(journal)
        self.today = today
        self.migrating_to = migrating_to
        self.names = layout.list_names(self.journal.parent)
        self.versions = layout.siblings(self.journal, self.names)
        self.created: list[Path] = []

    def keep(self) -> None:
        """Link the current journal as the next previous version (and daily, pre-migration)."""
        if not os.path.exists(self.journal):
            return
        st = os.stat(self.journal)
        if st.st_mode & 0o777 != atomic.FILE_MODE:
            try:  # versions are 0600 like the journal (links share the file's mode)
                os.chmod(self.journal, atomic.FILE_MODE)
            except OSError:
                pass
        newest = max((v for v in self.versions if v.kind == layout.PREVIOUS),
                     key=lambda v: v.number, default=None)
        if newest is None or not holds(newest.path, self.journal, st):
            seq = 1 + (newest.number if newest is not None else 0)
            while not self._keep_as(layout.previous_path(self.journal, seq)):
                seq += 1
        day = layout.daily_path(self.journal, self.today)
        if day.name not in self.names:
            self._keep_as(day)
        if self.migrating_to is not None and not any(
                v.kind == layout.PRE_MIGRATION and v.number == self.migrating_to
                and holds(v.path, self.journal, st) for v in self.versions):
            n = 1
            while not self._keep_as(layout.pre_migration_path(self.journal, self.migrating_to, n)):
                n += 1

    def undo(self) -> None:
        """Remove what `keep()` made (the write failed; the journal is unchanged)."""
        for p in self.created:
            try:
                os.unlink(p)
            except OSError:
                pass
        self.created.clear()

    def prune(self) -> None:
        """Drop the oldest previous/daily versions and temp files of crashed writers."""
        kept = self.versions + [v for p in self.created
                                if (v := layout.recognise(self.journal, p.name)) is not None]
        for kind, keep in ((layout.PREVIOUS, KEEP_PREVIOUS), (layout.DAILY, KEEP_DAILY)):
            of_kind = sorted((v for v in kept if v.kind == kind),
                             key=lambda v: v.number, reverse=True)
            for v in of_kind[keep:]:
                _remove(v.path)
        prefix = atomic.temp_prefix(self.journal)
        for name in self.names:  # listed before our own temp existed: all stale
            if name.startswith(prefix):
                _remove(self.journal.with_name(name))
        remove_dead_side_temps(self.journal, self.names)

    def _keep_as(self, dest: Path) -> bool:
        """Link (or copy) the journal to `dest`; False if `dest` already exists."""
        try:
            os.link(self.journal, dest)
        except FileExistsError:
            return False
        except OSError:
            try:
                atomic.write_new(dest, Path(self.journal).read_bytes())
            except FileExistsError:
                return False
        self.created.append(dest)
        return True


def holds(version: Path, journal: Path, journal_stat: os.stat_result) -> bool:
    """True when `version` already holds the journal's bytes (its writer died before the
    replace). Free for a link (same inode); a copy is compared only when it is as large
    as the journal and not older than it, which an older version rarely is."""
    try:
        st = os.stat(version)
        if os.path.samestat(st, journal_stat):
            return True
        if st.st_size != journal_stat.st_size or st.st_mtime_ns < journal_stat.st_mtime_ns:
            return False
        return version.read_bytes() == journal.read_bytes()
    except OSError:
        return False


def remove_dead_side_temps(journal: Path, names: list[str]) -> None:
    """Remove, among `names`, the temp files of side files (the status cache) whose
    writers are gone: written without the lock, a live writer's temp is never touched."""
    for name in names:
        pid = layout.side_temp_pid(journal, name)
        if pid is not None and atomic.writer_gone(pid):
            _remove(journal.with_name(name))


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # pruning is housekeeping: it never fails a write that succeeded
