"""Crash-safe file replacement: a reader sees the old bytes or the new, never a mix.

Recipe: private temp file in the same directory (so `os.replace` is a rename
on one filesystem), write, fsync, replace, fsync the directory (so the rename
itself survives a power loss). The temp file is removed on any failure.

A path that is a symbolic link is written through to the file it points at
(`layout.target`): the temp file and the replace happen beside the target, so
the link stays a link. Directories created on the way are fsynced into their
parents, so a first write into a new directory survives a power loss too.

Every file the program writes goes through `atomic_write`: the journal, the
status cache (`durable=False`: a cache lost in a power cut is worked out again),
exports and the user's routine files. A writer killed mid-write leaves its temp
file (`.<name>.tmp-<pid>-<hex>`); `writer_gone(pid)` tells when it may go (see
rotation.remove_dead_side_temps).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from planner.store import layout

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_MARK = ".tmp-"


def temp_prefix(path: Path) -> str:
    """Temp files are hidden siblings: `.journal.json.tmp-<pid>-<random>`."""
    return f".{path.name}{TEMP_MARK}"


def writer_gone(pid: int) -> bool:
    """Whether process `pid` is certainly gone (when in doubt: no, its file is kept)."""
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError, ValueError):
        return False  # EPERM: alive, another user's
    return False


def ensure_dir(directory: Path) -> None:
    """Create missing directories as 0700 (existing ones are left as they are)."""
    missing = []
    d = Path(directory)
    while not d.exists():
        missing.append(d)
        if d.parent == d:
            break
        d = d.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(d, DIR_MODE)  # mkdir's mode is filtered by the umask
        # The new entry is in the parent: without this, a power loss after a first
        # write (whose own directory fsync covers only what is inside the new
        # directory) could drop the whole directory.
        fsync_dir(d.parent)


def fsync_dir(directory: Path) -> None:
    """Make renames/links in `directory` durable (a no-op where dirs cannot be fsynced)."""
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as e:
        if e.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def write_new(path: Path, data: bytes, *, sync: bool = True) -> os.stat_result:
    """Write `data` to a file that must not exist yet, mode 0600, fsynced (unless `sync`
    is false: a cache, whose loss costs nothing); removed on failure."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        try:
            os.fchmod(fd, FILE_MODE)  # exactly 0600 whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if sync:
                os.fsync(fd)
            return os.fstat(fd)
        finally:
            os.close(fd)
    except BaseException:
        _unlink_quietly(path)
        raise


class NotDurable(OSError):
    """The new file is in place, but its directory could not be fsynced."""

    def __init__(self, errno_: int | None, strerror: str | None, stat: os.stat_result):
        super().__init__(errno_, strerror)
        self.stat = stat


def atomic_write(path: Path, data: bytes, *,
                 before_replace: Callable[[], None] | None = None,
                 durable: bool = True, through_links: bool = True) -> os.stat_result:
    """Replace `path` with `data` atomically and durably; return the new file's stat.

    A symbolic link is written through: its target is replaced, the link is kept
    (`through_links=False`: the link itself is replaced, for a cache).

    `before_replace` runs after the data is safely on disk and before the
    rename (used to keep the old file as a version). Any OSError propagates
    with the old file untouched and no temp file left behind.

    `durable=False` skips both fsyncs: still atomic (a reader sees the old bytes or
    the new), but a power cut may lose the new file; for a cache, whose loss costs
    nothing.
    """
    path = layout.target(Path(path)) if through_links else Path(path)
    tmp = path.with_name(f"{temp_prefix(path)}{os.getpid()}-{os.urandom(4).hex()}")
    try:
        st = write_new(tmp, data) if durable else write_new(tmp, data, sync=False)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    if not durable:
        return st
    try:
        fsync_dir(path.parent)
    except OSError as e:
        # The rename is visible, so "unchanged" would be false; but it may not be durable.
        raise NotDurable(e.errno, e.strerror, st) from e
    return st


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
