"""Reading a file someone handed us (an import, a routine file) without trusting it:
a FIFO would block `open`, /dev/zero never ends, a huge file exhausts memory. The kind
and size are checked before opening, again on the open descriptor (opened non-blocking,
in case the path was swapped in between), and no more than the limit is ever read.
"""

from __future__ import annotations

import os
import stat

MIB = 1024 * 1024


class NotAPlainFile(Exception):
    """Not a regular file within the size limit (a FIFO, a device, a directory, too big)."""


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _limit_text(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit} bytes"


def _check(st: os.stat_result, limit: int, what: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise NotAPlainFile(f"it is {_kind(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise NotAPlainFile(f"it is {st.st_size} bytes; {what} is at most "
                            f"{_limit_text(limit)} ({limit} bytes)")


def read_bounded(path: str | os.PathLike, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; NotAPlainFile for a wrong kind
    or size, OSError when the path cannot be read at all. `what` names the file's kind in
    messages ("a routine file")."""
    _check(os.stat(path), limit, what)
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_CLOEXEC", 0))
    fd = os.open(path, flags)
    try:
        _check(os.fstat(fd), limit, what)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:  # it grew after the stat
        raise NotAPlainFile(f"it grew past {_limit_text(limit)}; {what} is at most "
                            f"{limit} bytes")
    return b"".join(chunks)


__all__ = ["MIB", "NotAPlainFile", "read_bounded"]
