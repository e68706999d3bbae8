"""Errors of the storage layer, each with a one-line message a user can act on.

`StoreError` and its subclasses mean "the data file is unusable right now"
(exit 4); the others are user errors (exit 2). The CLI prints `str(err)`.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The journal cannot be used; nothing was written (exit 4)."""

    exit_code = 4

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))  # always one line


def restore_command(path: Path) -> str:
    """The restore command for this journal, naming it, so the advice works whichever
    journal (--db, ACUPLAN_DB or the default) the failing command used."""
    import shlex

    return f"acuplan --db {shlex.quote(str(path))} restore"


def _restore_hint(path: Path, newest_version: Path | None) -> str:
    if newest_version is None:
        return (f"no readable earlier version exists; run `{restore_command(path)}` to see "
                "the versions")
    return (f"the newest readable version is {newest_version}; "
            f"run `{restore_command(path)}` to list the versions and restore one")


class JournalUnreadable(StoreError):
    """The file exists but cannot be read as a journal; it is left untouched."""

    def __init__(self, path: Path, reason: str, newest_version: Path | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.newest_version = newest_version
        super().__init__(f"cannot read journal {self.path}: {reason}; "
                         f"it was left untouched; {_restore_hint(self.path, newest_version)}")


class BadRecordInJournal(JournalUnreadable):
    """The file reads as a journal, but a record in it has a field the rules cannot use."""

    def __init__(self, path: Path, detail: str, newest_version: Path | None = None) -> None:
        StoreError.__init__(self, f"cannot use journal {Path(path)}: {detail} (changed by "
                            f"hand?); {_restore_hint(Path(path), newest_version)}")
        self.path = Path(path)
        self.reason = detail
        self.newest_version = newest_version


class NewerSchema(JournalUnreadable):
    """The file was written by a newer acuplan; upgrade rather than overwrite it."""

    def __init__(self, path: Path, found: int, supported: int,
                 newest_version: Path | None = None) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            path,
            f"it uses schema version {found} but this acuplan only knows up to "
            f"{supported} (upgrade acuplan to use it)",
            newest_version,
        )


class CopyUnusable(StoreError):
    """Another copy given to `merge` cannot be read or used; nothing was written."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"cannot merge {source}: {reason}; nothing was written")


class JournalBusy(StoreError):
    """Another process held the lock longer than the timeout."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = Path(path)
        self.timeout = timeout
        super().__init__(f"busy: another acuplan is writing {self.path}; try again "
                         f"(waited {timeout:g} s)")


class JournalWriteError(StoreError):
    """Writing failed (disk full, read-only, permission); the journal is unchanged."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = Path(path)
        self.error = error
        what = error.strerror or str(error)
        named = error.filename and str(error.filename) != str(path)
        where = f" ({error.filename})" if named else ""
        super().__init__(f"cannot write {self.path}: {what}{where}; "
                         f"the journal is unchanged")


class JournalNotDurable(StoreError):
    """The change is in the file, but the directory sync failed: a power cut may undo it."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = Path(path)
        self.error = error
        what = error.strerror or str(error)
        super().__init__(f"wrote {self.path}, but could not sync its directory ({what}); "
                         "the change is saved but may not survive a power loss")


class RecordNotFound(KeyError):
    """No record with that id in that table: a user error (exit 2)."""

    exit_code = 2

    def __init__(self, table: str, id: str) -> None:
        self.table = table
        self.id = id
        super().__init__(table, id)

    def __str__(self) -> str:
        return f"no {self.table} record with id {self.id}"


class ImportRefused(ValueError):
    """An import that would lose or mangle data: bad file, or a non-empty journal (exit 2)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class UnknownVersion(ValueError):
    """`restore` was asked for a version that does not exist (exit 2)."""

    exit_code = 2

    def __init__(self, label: str, known: list[str]) -> None:
        self.label = label
        self.known = known
        names = ", ".join(known) if known else "none"
        super().__init__(f"no version {label!r}; available: {names}")


__all__ = [
    "StoreError", "JournalUnreadable", "NewerSchema", "JournalBusy", "JournalWriteError",
    "RecordNotFound", "ImportRefused", "UnknownVersion",
]
