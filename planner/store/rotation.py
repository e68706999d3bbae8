"""Keep the file being replaced as a version, and prune old versions.

The journal is never modified in place, only replaced, so the outgoing file
can be kept by hard-linking it: no copy, no extra I/O. Where links are not
possible the file is copied (0600) instead. Runs under the journal lock.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from . import atomic, layout

KEEP_PREVIOUS = 5
KEEP_DAILY = 7


class Rotation:
    """Version keeping for one write: `keep()` before the replace, `prune()` after."""

    def __init__(self, journal: Path, today: date, *, migrating_to: int | None = None) -> None:
        self.journal = journal
        self.today = today
        self.migrating_to = migrating_to
        self.names = layout.list_names(journal.parent)
        self.versions = layout.siblings(journal, self.names)
        self.created: list[Path] = []

    def keep(self) -> None:
        """Link the current journal as the next previous version (and daily, pre-migration)."""
        if not os.path.exists(self.journal):
            return
        if os.stat(self.journal).st_mode & 0o777 != atomic.FILE_MODE:
            try:  # versions are 0600 like the journal (links share the file's mode)
                os.chmod(self.journal, atomic.FILE_MODE)
            except OSError:
                pass
        seq = 1 + max((v.number for v in self.versions if v.kind == layout.PREVIOUS), default=0)
        while not self._keep_as(layout.previous_path(self.journal, seq)):
            seq += 1
        day = layout.daily_path(self.journal, self.today)
        if day.name not in self.names:
            self._keep_as(day)
        if self.migrating_to is not None:
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


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # pruning is housekeeping: it never fails a write that succeeded
