"""Every state a power loss may leave, for each journal write path (ALICE / CrashMonkey style).

Support module for test_crash_states.py and benchmarks/crash_states.py (which
prints the table the README quotes). In the spirit of ALICE (Pillai et al.,
"All File Systems Are Not Created Equal", OSDI 2014) and CrashMonkey (Mohan et
al., OSDI 2018): record what the store asks of the file system, then work out
which subsets of it a crash could have made durable, and open each result.

1. Record. A write path runs once on a real directory while the os-level calls
   the store makes (os.open, write, fsync, close, replace/rename, link, unlink,
   mkdir, chmod/fchmod) are performed and logged (`Recorder`) as logical
   operations on a model of names and inodes:

       mkdir(d)  creat(f)  write(f, offset, bytes)  trunc(f)  fsync(f)  fsync_dir(d)
       rename(a, b)  link(a, b)  unlink(f)  chmod(f)

   A rename, link or unlink refers to the inode the name held when the call ran
   ("rename(tmp, journal)" means: journal now names inode X, tmp names nothing).
   Calls the model does not know (ftruncate, truncate, rmdir, symlink, pwrite,
   writev) on the directory stop the recording, and replaying the whole trace
   in the model must give exactly the directory the real calls left (names,
   bytes, hard links): nothing the store did was missed.

2. Enumerate. A power loss after the first k operations (every k from 0 to n)
   keeps what was durable and any of what was not. The abstract persistence
   model is ext4 (data=ordered)-like, as ALICE's, but weaker wherever that is
   the conservative choice:

   * The directory as it was before the write is durable.
   * File data: the writes (and truncations) of a file before its last fsync
     are durable. Those after it persist as an in-order prefix, and the last
     one kept may be torn: any subset of its 512-byte sectors persists, with
     the file's size either covering only what persisted (ordered mode: no
     garbage) or already the new size, the missing sectors reading as zeros
     (writeback mode: the size reached the disk before the data).
   * Directory entries: an operation on directory d (creat, mkdir, rename,
     link, unlink) is durable once an fsync of d follows it. Each one after
     d's last fsync may be lost, independently of the others: every subset
     (ext4's journal would keep them in order; this is weaker). A rename is
     atomic: kept whole (the new name holds the inode, the old name is gone)
     or lost whole. An fsync of a file does not make its own name durable.
   * Kept directory operations apply in program order. Operations on
     different names commute, and the ones that share a name are causally
     ordered (a create, then the rename of that name), which no file system
     persists the other way round: so the subsets cover every order the model
     allows.
   * A name in a directory that did not persist is gone; an inode no name
     reaches is lost. Symbolic links that exist before the write are kept as
     they are (no path under test makes or removes one).
   * Modes are not modelled; mtimes are (`newest_readable` orders versions by
     them): an inode's mtime is that of its last persisted write.

3. Check. Each distinct state is materialised in a fresh directory (the
   pre-write directory with the kept operations replayed: names, bytes, hard
   links, symlinks, mtimes) and opened with `Journal(path).snapshot()`. The
   outcome must be one of:

   * "old": the records before the write. Allowed only while the write was not
     acknowledged (the crash came before the call returned: k < n). For a
     restore over an unreadable file, "old-unreadable": that file, unchanged
     (exit 4 as before; restoring again is what the user does);
   * "new": the records after the write;
   * "restorable-old" / "restorable-new": the file is unreadable (JournalUnreadable,
     exit 4), `versions.newest_readable` names a version holding the old or the
     new records, and `versions.restore` brings them back.

   Anything else fails: an acknowledged write (k = n, every state the full trace
   may leave) that is not "new"; a journal that reads as other records (a silent
   loss, e.g. an empty journal); an unreadable file without a good version.
   Then one more write must succeed on the recovered journal: what the crash
   left behind (temp files, versions, the aside file) must not block it.

Each path runs with hard links and again with versions kept as copies (os.link
failing, as on file systems without hard links). Quick mode (`make test`) uses
a coarser data model (a write's sectors: every subset up to 3 sectors, else a
few cuts) and checks QUICK_CAP states per path and mode besides the ones it
always checks: every state of the full trace, and for each prefix the state
keeping nothing pending and the one keeping everything; the rest is a
fixed-seed sample. Full mode (ACUPLAN_TORTURE=full, `make torture`) checks
every state, with the fine data model (every subset of up to 10 sectors).
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import json
import os
import posixpath
import random
import shutil
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from planner.store import Journal, JournalUnreadable, exchange, layout, versions

SECTOR = 512
QUICK_CAP = 40
DIR_OPS = frozenset({"mkdir", "creat", "rename", "link", "unlink"})
DATA_OPS = frozenset({"write", "trunc"})
JOURNAL = "data/journal.json"  # where every path's journal lives, relative to its root
DAY = date(2026, 12, 1)


class NotModelled(AssertionError):
    """The store made a call the model does not cover: the recording is incomplete."""


# ---------------------------------------------------------------- the model

@dataclass(frozen=True)
class Op:
    kind: str         # mkdir creat write trunc fsync fsync_dir rename link unlink chmod
    name: str         # path relative to the root ("" is the root itself)
    dest: str = ""    # rename / link: the new name
    ino: int = 0      # the model inode the operation is about (file operations)
    offset: int = 0   # write: where; trunc: the new size
    data: bytes = b""
    mtime: int = 0    # the file's mtime (ns) right after a creat / write

    @property
    def directory(self) -> str:
        return posixpath.dirname(self.name)

    def __str__(self) -> str:
        if self.kind == "write":
            return f"write({self.name}, @{self.offset}, {len(self.data)} bytes)"
        if self.kind == "trunc":
            return f"trunc({self.name}, {self.offset})"
        if self.kind in ("rename", "link"):
            return f"{self.kind}({self.name}, {self.dest})"
        return f"{self.kind}({self.name or '.'})"


@dataclass
class Image:
    """A directory tree: names -> inode (None for a directory), inode data and mtimes,
    and symbolic links (name -> target) that no operation touches."""

    names: dict[str, int | None]
    data: dict[int, bytes]
    mtime: dict[int, int]
    links: dict[str, str] = field(default_factory=dict)

    def key(self, *, mtimes: bool = True) -> tuple:
        """Equal for two images that materialise to the same directory."""
        group: dict[int, int] = {}
        out = []
        for name in sorted(self.names):
            ino = self.names[name]
            if ino is None:
                out.append((name,))
                continue
            g = group.setdefault(ino, len(group))
            out.append((name, g, hashlib.sha1(self.data[ino]).digest(),
                        self.mtime[ino] if mtimes else 0))
        return tuple(out) + tuple(sorted(self.links.items()))


def scan(root: Path) -> tuple[Image, dict[tuple[int, int], int]]:
    """The model of a real directory tree, and its (st_dev, st_ino) -> inode id map."""
    root = Path(root)
    names: dict[str, int | None] = {}
    data: dict[int, bytes] = {}
    mtime: dict[int, int] = {}
    links: dict[str, str] = {}
    ids: dict[tuple[int, int], int] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        base = os.path.relpath(dirpath, root)
        for n in sorted(dirnames + filenames):
            p = os.path.join(dirpath, n)
            rel = posixpath.normpath(posixpath.join(base.replace(os.sep, "/"), n))
            st = os.lstat(p)
            if stat.S_ISDIR(st.st_mode):
                names[rel] = None
            elif stat.S_ISLNK(st.st_mode):
                links[rel] = os.readlink(p)
            elif stat.S_ISREG(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key not in ids:
                    ids[key] = len(ids) + 1
                    with open(p, "rb") as f:
                        data[ids[key]] = f.read()
                    mtime[ids[key]] = st.st_mtime_ns
                names[rel] = ids[key]
            else:
                raise NotModelled(f"{p} is neither a file, a directory nor a link")
    return Image(names, data, mtime, links), ids


def materialise(img: Image, dest: Path) -> None:
    """Make `dest` (which must not exist) the directory `img` describes."""
    dest = Path(dest)
    os.mkdir(dest, 0o700)
    for name in sorted(n for n, i in img.names.items() if i is None):
        os.mkdir(dest / name, 0o700)  # sorted: parents first
    first: dict[int, Path] = {}
    for name in sorted(n for n, i in img.names.items() if i is not None):
        ino = img.names[name]
        p = dest / name
        if ino in first:
            os.link(first[ino], p)
            continue
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(img.data[ino])
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.utime(p, ns=(img.mtime[ino], img.mtime[ino]))
        first[ino] = p
    for name, target in img.links.items():
        os.symlink(target, dest / name)


def _apply_data(content: bytes, op: Op) -> bytes:
    if op.kind == "trunc":
        return content[:op.offset] + bytes(max(0, op.offset - len(content)))
    if op.offset > len(content):
        content += bytes(op.offset - len(content))
    return content[:op.offset] + op.data + content[op.offset + len(op.data):]


def _torn(base: bytes, op: Op, kept: tuple[int, ...], writeback: bool) -> bytes:
    """`op` (a write) persisted only in the sectors `kept`; the size as the mode says."""
    full = _apply_data(base, op)
    out = bytearray(base)
    if writeback:
        out.extend(bytes(len(full) - len(out)))
    for s in kept:
        lo, hi = s * SECTOR, min((s + 1) * SECTOR, len(full))
        if hi > len(out):
            out.extend(bytes(hi - len(out)))  # a hole before it reads as zeros
        out[lo:hi] = full[lo:hi]
    return bytes(out)


def _sectors(op: Op) -> list[int]:
    return list(range(op.offset // SECTOR, -(-(op.offset + len(op.data)) // SECTOR)))


def _tears(op: Op, fine: bool, rng: random.Random) -> Iterator[tuple[tuple[int, ...], bool]]:
    """Which sectors of a write persist, and the size mode, for the torn variants."""
    secs = _sectors(op)
    n = len(secs)
    limit = 10 if fine else 3
    if n <= limit:
        subsets = [c for r in range(n + 1) for c in itertools.combinations(secs, r)]
    else:
        cuts = range(n + 1) if fine else sorted({0, 1, n // 2, n - 1, n})
        subsets = [tuple(secs[:i]) for i in cuts]
        for _ in range(128 if fine else 2):
            subsets.append(tuple(s for s in secs if rng.random() < 0.5))
    for kept in subsets:
        for writeback in (False, True):
            yield kept, writeback


@dataclass
class CrashState:
    image: Image
    k: int             # operations before the power loss
    extreme: bool      # kept nothing pending, or everything


class Trace:
    """A recorded write: the directory before it and the operations it made."""

    def __init__(self, initial: Image, ops: list[Op]) -> None:
        self.initial = initial
        self.ops = ops

    def replay(self) -> Image:
        """Every operation made durable: the directory the write left."""
        return next(s.image for s in self.states(len(self.ops), fine=False,
                                                 rng=random.Random(0), everything=True))

    def states(self, k: int, *, fine: bool, rng: random.Random,
               everything: bool = False) -> Iterator[CrashState]:
        """Every state a power loss after `k` operations may leave (with repeats)."""
        ops = self.ops[:k]
        last_dir_sync: dict[str, int] = {}
        last_sync: dict[int, int] = {}
        for i, op in enumerate(ops):
            if op.kind == "fsync_dir":
                last_dir_sync[op.name] = i
            elif op.kind == "fsync":
                last_sync[op.ino] = i
        durable, pending = [], []
        for i, op in enumerate(ops):
            if op.kind in DIR_OPS:
                (durable if last_dir_sync.get(op.directory, -1) > i else pending).append(i)
        # file data: what is durable, and the contents the pending part may leave
        content = dict(self.initial.data)
        mtime = dict(self.initial.mtime)
        waiting: dict[int, list[Op]] = {}
        for i, op in enumerate(ops):
            if op.kind == "creat":
                content[op.ino], mtime[op.ino] = b"", op.mtime
            elif op.kind in DATA_OPS:
                if i < last_sync.get(op.ino, -1):
                    content[op.ino], mtime[op.ino] = _apply_data(content[op.ino], op), op.mtime
                else:
                    waiting.setdefault(op.ino, []).append(op)
        choices: dict[int, list[tuple[bytes, int]]] = {}
        for ino, todo in waiting.items():
            seen: dict[bytes, int] = {content[ino]: mtime[ino]}
            cur = content[ino]
            for op in todo:
                if op.kind == "write" and not everything:
                    for kept, wb in _tears(op, fine, rng):
                        seen.setdefault(_torn(cur, op, kept, wb), op.mtime)
                cur = _apply_data(cur, op)
                seen.pop(cur, None)
                seen[cur] = op.mtime  # the full prefix last: choices[-1] keeps everything
            choices[ino] = list(seen.items()) if not everything else [(cur, todo[-1].mtime)]
        subsets: Iterator[tuple[int, ...]]
        if everything:
            subsets = iter([tuple(pending)])
        else:
            subsets = (c for r in range(len(pending) + 1)
                       for c in itertools.combinations(pending, r))
        for kept in subsets:
            names = dict(self.initial.names)
            for i in sorted(durable + list(kept)):
                _apply_dir(names, ops[i])
            names = _reachable(names)
            live = sorted({i for i in names.values() if i is not None})
            varying = [i for i in live if i in choices]
            for pick in itertools.product(*(range(len(choices[i])) for i in varying)):
                data = {i: content[i] for i in live}
                mt = {i: mtime[i] for i in live}
                for ino, c in zip(varying, pick):
                    data[ino], mt[ino] = choices[ino][c]
                none = len(kept) == 0 and all(c == 0 for c in pick)
                every = len(kept) == len(pending) and all(
                    c == len(choices[i]) - 1 for i, c in zip(varying, pick))
                links = {n: t for n, t in self.initial.links.items()
                         if not posixpath.dirname(n) or posixpath.dirname(n) in names}
                yield CrashState(Image(names, data, mt, links), k, none or every)


def _apply_dir(names: dict[str, int | None], op: Op) -> None:
    if op.kind == "mkdir":
        names.setdefault(op.name, None)
    elif op.kind == "creat":
        names[op.name] = op.ino
    elif op.kind == "rename":
        if names.get(op.name) == op.ino:
            del names[op.name]
        names[op.dest] = op.ino
    elif op.kind == "link":
        names[op.dest] = op.ino
    elif op.kind == "unlink" and names.get(op.name) == op.ino:
        del names[op.name]


def _reachable(names: dict[str, int | None]) -> dict[str, int | None]:
    def ok(name: str) -> bool:
        d = posixpath.dirname(name)
        while d:
            if names.get(d, 0) is not None:  # missing, or not a directory
                return False
            d = posixpath.dirname(d)
        return True

    return {n: i for n, i in names.items() if ok(n)}


# ---------------------------------------------------------------- recording

class Recorder:
    """Perform and log the file-system calls made under `root` (see the module doc)."""

    WRAPPED = ("open", "write", "fsync", "fdatasync", "close", "replace", "rename", "link",
               "unlink", "remove", "mkdir", "chmod", "fchmod")
    REFUSED = ("ftruncate", "truncate", "rmdir", "symlink", "pwrite", "writev", "pwritev",
               "removedirs", "renames", "lchmod")

    def __init__(self, root: Path, ids: dict[tuple[int, int], int], *, links: bool = True):
        self.root = os.path.realpath(root)
        self.ids = dict(ids)
        self.next_id = max(ids.values(), default=0) + 1
        self.links = links
        self.ops: list[Op] = []
        self.fds: dict[int, tuple[str, int | None]] = {}
        self.real: dict[str, Any] = {}

    def rel(self, path: Any) -> str | None:
        a = os.path.abspath(os.fspath(path))
        if a == self.root:
            return ""
        if a.startswith(self.root + os.sep):
            return a[len(self.root) + 1:].replace(os.sep, "/")
        return None

    def __enter__(self) -> Recorder:
        for name in self.WRAPPED + self.REFUSED:
            if hasattr(os, name):
                self.real[name] = getattr(os, name)
                setattr(os, name, getattr(self, f"_{name}", None) or self._refuse(name))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, fn in self.real.items():
            setattr(os, name, fn)
        self.real.clear()

    # helpers

    def _ino(self, rel: str, path: Any) -> int:
        st = os.stat(path, follow_symlinks=False)
        try:
            return self.ids[(st.st_dev, st.st_ino)]
        except KeyError:
            raise NotModelled(f"{rel} was made by a call the recorder did not see") from None

    def _new_ino(self, st: os.stat_result) -> int:
        ino = self.next_id
        self.next_id += 1
        self.ids[(st.st_dev, st.st_ino)] = ino  # a reused inode number gets a new id
        return ino

    def _pair(self, src: Any, dst: Any) -> tuple[str, str] | None:
        a, b = self.rel(src), self.rel(dst)
        if a is None and b is None:
            return None
        if a is None or b is None or posixpath.dirname(a) != posixpath.dirname(b):
            raise NotModelled(f"{src} -> {dst}: across directories")
        return a, b

    def _refuse(self, name: str) -> Callable[..., Any]:
        def refused(*a: Any, **k: Any) -> Any:
            raise NotModelled(f"os.{name} is not in the persistence model")
        return refused

    # the wrapped calls

    def _open(self, path: Any, flags: int, mode: int = 0o777, *, dir_fd: Any = None) -> int:
        rel = self.rel(path) if dir_fd is None else None
        if rel is None:
            return self.real["open"](path, flags, mode, dir_fd=dir_fd)
        existed = os.path.lexists(path)
        if flags & os.O_APPEND:
            raise NotModelled("O_APPEND")
        fd = self.real["open"](path, flags, mode)
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            self.fds[fd] = (rel, None)
            return fd
        writing = flags & (os.O_WRONLY | os.O_RDWR)
        if not existed:
            ino = self._new_ino(st)
            self.ops.append(Op("creat", rel, ino=ino, mtime=st.st_mtime_ns))
        else:
            ino = self.ids.get((st.st_dev, st.st_ino), 0)
            if not ino and writing:
                raise NotModelled(f"{rel} was made by a call the recorder did not see")
            if flags & os.O_TRUNC and writing:
                self.ops.append(Op("trunc", rel, ino=ino, offset=0,
                                   mtime=os.fstat(fd).st_mtime_ns))
        self.fds[fd] = (rel, ino)
        return fd

    def _write(self, fd: int, data: Any) -> int:
        entry = self.fds.get(fd)
        if entry is None or entry[1] is None:
            return self.real["write"](fd, data)
        offset = os.lseek(fd, 0, os.SEEK_CUR)
        n = self.real["write"](fd, data)
        self.ops.append(Op("write", entry[0], ino=entry[1], offset=offset,
                           data=bytes(memoryview(data)[:n]), mtime=os.fstat(fd).st_mtime_ns))
        return n

    def _fsync(self, fd: int) -> None:
        # Recorded, not performed: the directory is scratch, the model decides durability
        # (and real fsyncs would make the suite wait on the disk for nothing).
        entry = self.fds.get(fd)
        if entry is None:
            self.real["fsync"](fd)
            return
        rel, ino = entry
        self.ops.append(Op("fsync_dir", rel) if ino is None else Op("fsync", rel, ino=ino))

    def _fdatasync(self, fd: int) -> None:
        entry = self.fds.get(fd)
        if entry is None:
            self.real["fdatasync"](fd)
        else:
            if entry[1] is None:
                self.ops.append(Op("fsync_dir", entry[0]))
            else:
                self.ops.append(Op("fsync", entry[0], ino=entry[1]))

    def _close(self, fd: int) -> None:
        self.fds.pop(fd, None)
        self.real["close"](fd)

    def _replace(self, src: Any, dst: Any, **kw: Any) -> None:
        pair = self._pair(src, dst)
        ino = self._ino(pair[0], src) if pair else 0
        self.real["replace"](src, dst, **kw)
        if pair:
            self.ops.append(Op("rename", pair[0], dest=pair[1], ino=ino))

    def _rename(self, src: Any, dst: Any, **kw: Any) -> None:
        pair = self._pair(src, dst)
        ino = self._ino(pair[0], src) if pair else 0
        self.real["rename"](src, dst, **kw)
        if pair:
            self.ops.append(Op("rename", pair[0], dest=pair[1], ino=ino))

    def _link(self, src: Any, dst: Any, **kw: Any) -> None:
        pair = self._pair(src, dst)
        if pair and not self.links:
            raise OSError(errno.EPERM, "Operation not permitted (no hard links here)",
                          os.fspath(src))
        ino = self._ino(pair[0], src) if pair else 0
        self.real["link"](src, dst, **kw)
        if pair:
            self.ops.append(Op("link", pair[0], dest=pair[1], ino=ino))

    def _unlink(self, path: Any, **kw: Any) -> None:
        rel = self.rel(path)
        ino = self._ino(rel, path) if rel is not None and os.path.lexists(path) else 0
        self.real["unlink"](path, **kw)
        if rel is not None:
            self.ops.append(Op("unlink", rel, ino=ino))

    _remove = _unlink

    def _mkdir(self, path: Any, mode: int = 0o777, **kw: Any) -> None:
        self.real["mkdir"](path, mode, **kw)
        rel = self.rel(path)
        if rel is not None:
            self.ops.append(Op("mkdir", rel))

    def _chmod(self, path: Any, mode: int, **kw: Any) -> None:
        self.real["chmod"](path, mode, **kw)
        rel = self.rel(path)
        if rel is not None:
            self.ops.append(Op("chmod", rel))

    def _fchmod(self, fd: int, mode: int) -> None:
        self.real["fchmod"](fd, mode)
        entry = self.fds.get(fd)
        if entry is not None:
            self.ops.append(Op("chmod", entry[0]))


# ---------------------------------------------------------------- the write paths

def _clock(day: date) -> Callable[[], date]:
    return lambda: day


def _checkin(n: int) -> dict[str, Any]:
    return {"id": f"c{n}", "date": f"2026-11-{n + 1:02d}", "kind": "checkin", "redness": 0,
            "note": f"day {n}: " + "calm, slight dryness on the cheeks; " * 8}


# No process has this pid: Linux pids stay below PID_MAX_LIMIT (2**22).
DEAD_PID = 2**22 + 1


def _leftovers(path: Path) -> None:
    """What earlier crashes leave: a journal temp of a killed writer, and status-cache temps
    whose writers are gone (as written now, and as earlier versions named them). The next
    write removes them all."""
    (path.with_name(f".{path.name}.tmp-{DEAD_PID}-0badc0de")).write_bytes(b'{"skin": {"1')
    (path.with_name(f".{path.name}.status-cache.tmp-{DEAD_PID}-0badc0de")
     ).write_bytes(b'{"key": "1-')
    (path.with_name(f"{path.name}.status-cache.tmp-{DEAD_PID}")).write_bytes(b'{"key": [')


def seed_base(path: Path) -> None:
    """Eight writes on one day (about 2.5 kB, five sectors): five previous versions and
    a daily, so a write prunes; and the leftovers of earlier crashes."""
    j = Journal(path, clock=_clock(DAY))
    for n in range(7):
        j.insert("skin", _checkin(n))
    j.insert("plans", {"id": "p1", "date": "2026-12-08", "minutes": 10, "fulfilled_by": None})
    _leftovers(layout.target(path))


def seed_days(path: Path) -> None:
    """One write on each of nine days: five previous and seven daily versions kept, so
    the next write, on a new day, prunes one of each."""
    for n in range(9):
        Journal(path, clock=_clock(DAY - timedelta(days=9 - n))).insert("skin", _checkin(n))


def seed_unreadable(path: Path) -> None:
    seed_base(path)
    size = os.path.getsize(path)
    with open(path, "r+b") as f:  # damaged in place: the versions stay good
        f.truncate(size // 2)


def seed_symlink(path: Path) -> None:
    """`data/journal.json` is a link to `real/journal.json`."""
    (path.parent.parent / "real").mkdir(mode=0o700)
    path.parent.mkdir(mode=0o700)
    os.symlink(os.path.join("..", "real", "journal.json"), path)
    seed_base(path)


def seed_nothing(path: Path) -> None:
    """No journal and no directory for it yet."""


def seed_old_schema(path: Path) -> None:
    """A schema-0 file (plain TinyDB: no meta, no ids): the next write migrates it after
    keeping it as `pre-vN`."""
    path.parent.mkdir(mode=0o700)
    path.write_text(json.dumps({"skin": {str(n + 1): {k: v for k, v in _checkin(n).items()
                                                      if k != "id"} for n in range(4)}}))
    os.chmod(path, 0o600)
    _leftovers(path)


def run_insert(path: Path) -> None:
    Journal(path, clock=_clock(DAY)).insert("skin", {"id": "new", "date": "2026-12-01",
                                                     "kind": "checkin", "redness": 1})


def run_update(path: Path) -> None:
    Journal(path, clock=_clock(DAY)).update("skin", "c3", {"note": "edited"})


def run_delete(path: Path) -> None:
    Journal(path, clock=_clock(DAY)).delete("skin", "c1")


def run_transaction(path: Path) -> None:
    with Journal(path, clock=_clock(DAY)).transaction() as tx:
        tx.insert("sessions", {"id": "s1", "date": "2026-12-01", "minutes": 8})
        tx.update("plans", "p1", {"fulfilled_by": "s1"})
        tx.delete("skin", "c0")


def run_restore(path: Path) -> None:
    versions.restore(path, versions.list_versions(path)[-1].label)  # the oldest


def run_restore_newest(path: Path) -> None:
    versions.restore(path, versions.newest_readable(path))


EXPORT = exchange.export_json({
    "skin": [_checkin(0), _checkin(1)],
    "plans": [{"id": "p1", "date": "2026-12-08", "minutes": 10, "fulfilled_by": None}],
})


def run_import(path: Path) -> None:
    exchange.import_json(Journal(path, clock=_clock(DAY)), EXPORT)


def _has(*fragments: str) -> Callable[[list[Op]], list[str]]:
    """The trace must show each fragment ("a|b": either) in some operation as printed,
    e.g. "unlink(data/journal.json.prev-"."""
    def check(ops: list[Op]) -> list[str]:
        shown = [str(op) for op in ops]
        return [f for f in fragments
                if not any(alt in line for alt in f.split("|") for line in shown)]
    return check


@dataclass(frozen=True)
class WritePath:
    name: str
    seed: Callable[[Path], None]
    run: Callable[[Path], None]
    expect: Callable[[list[Op]], list[str]]   # what the trace must show (else: not this path)
    about: str


J = "data/journal.json"
KEEP = f"link({J}, {J}.prev-|creat({J}.prev-"                  # links, or copies
ASIDE = f"link({J}, {J}.unreadable-|creat({J}.unreadable-"
REPLACE = "rename(data/.journal.json.tmp-"
CLEANUP = (f"unlink(data/.journal.json.tmp-{DEAD_PID}-",
           f"unlink(data/.journal.json.status-cache.tmp-{DEAD_PID}-",
           f"unlink({J}.status-cache.tmp-{DEAD_PID})")

PATHS: dict[str, WritePath] = {p.name: p for p in [
    WritePath("insert", seed_base, run_insert,
              _has("creat(data/.journal.json.tmp-", "fsync(data/.journal.json.tmp-", KEEP,
                   REPLACE, "fsync_dir(data)", f"unlink({J}.prev-", *CLEANUP),
              "Journal.insert (keeps prev-N, prunes the oldest and crash leftovers)"),
    WritePath("update", seed_base, run_update, _has(KEEP, REPLACE, "fsync_dir(data)"),
              "Journal.update"),
    WritePath("delete", seed_base, run_delete, _has(KEEP, REPLACE, "fsync_dir(data)"),
              "Journal.delete"),
    WritePath("transaction", seed_base, run_transaction, _has(KEEP, REPLACE, "fsync_dir(data)"),
              "one transaction: insert + update + delete"),
    WritePath("restore", seed_base, run_restore, _has(ASIDE, REPLACE, "fsync_dir(data)"),
              "versions.restore of the oldest version over a readable journal"),
    WritePath("restore-unreadable", seed_unreadable, run_restore_newest,
              _has(ASIDE, REPLACE, "fsync_dir(data)"),
              "versions.restore of the newest readable version over a damaged journal"),
    WritePath("import", seed_nothing, run_import,
              _has("mkdir(data)", "fsync_dir(.)", f"creat({J}.lock)", REPLACE,
                   "fsync_dir(data)"),
              "exchange.import_json into a journal whose directory does not exist yet"),
    WritePath("migrate", seed_old_schema, run_insert,
              _has(f"link({J}, {J}.pre-v|creat({J}.pre-v", REPLACE, "fsync_dir(data)",
                   *CLEANUP[1:]),
              "first write to a schema-0 journal: keeps it as pre-vN, then migrates"),
    WritePath("prune", seed_days, run_insert,
              _has(KEEP, f"link({J}, {J}.day-|creat({J}.day-", f"unlink({J}.prev-",
                   f"unlink({J}.day-"),
              "first write of a day with 5 previous + 7 daily versions: keeps and prunes "
              "one of each"),
    WritePath("symlink", seed_symlink, run_insert,
              _has("creat(real/.journal.json.tmp-",
                   "link(real/journal.json, real/journal.json.prev-|"
                   "creat(real/journal.json.prev-",
                   "rename(real/.journal.json.tmp-", "fsync_dir(real)"),
              "Journal.insert through data/journal.json -> ../real/journal.json"),
]}


# ---------------------------------------------------------------- exploring

@dataclass
class Result:
    path: str
    links: bool
    full: bool
    ops: list[Op]
    combos: int = 0        # states enumerated (with repeats)
    distinct: int = 0      # distinct directory states
    checked: int = 0
    outcomes: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.path + ("" if self.links else " (copies)")

    def figure(self) -> str:
        o = self.outcomes
        return (f"crash states, {self.label}: {len(self.ops)} recorded operations, "
                f"{self.distinct} distinct states ({self.combos} enumerated), "
                f"{self.checked} checked: old {o['old']}, "
                + (f"old-unreadable {o['old-unreadable']}, " if o["old-unreadable"] else "")
                + f"new {o['new']}, restorable {o['restorable-old'] + o['restorable-new']}, "
                f"failures {len(self.failures)}")


def _expected(path: Path) -> tuple[Any, bytes | None]:
    """(records, None), or (None, bytes) when the file is unreadable."""
    try:
        return Journal(path).snapshot(), None
    except JournalUnreadable:
        return None, path.read_bytes()


@contextmanager
def _no_fsync() -> Iterator[None]:
    """For scratch directories (seeding, checking a materialised state): what they hold
    matters, not whether it would survive a power loss."""
    real = os.fsync
    os.fsync = lambda fd: None
    try:
        yield
    finally:
        os.fsync = real


def explore(spec: WritePath, workdir: Path, *, full: bool, links: bool = True,
            mutate: Callable[[list[Op]], list[Op]] | None = None,
            during: Callable[[], Any] | None = None, cap: int | None = None) -> Result:
    """Record `spec`'s write, enumerate its crash states and check them (see the module doc).

    `mutate` edits the recorded trace and `during` wraps the recorded write (a context
    manager factory): both only serve to show that a broken store is caught (the
    trace then need not look like `spec.expect` says).
    """
    workdir = Path(workdir)
    template = workdir / "template"
    template.mkdir(parents=True)
    with _no_fsync():  # seeding scratch directories: durability is not the point
        spec.seed(template / JOURNAL)
    before, _ = scan(template)
    old, old_bytes = _expected(template / JOURNAL)

    recorded = workdir / "recorded"
    materialise(before, recorded)
    initial, ids = scan(recorded)
    with (during() if during is not None else nullcontext()):
        with Recorder(recorded, ids, links=links) as rec:
            spec.run(recorded / JOURNAL)
    new, new_bytes = _expected(recorded / JOURNAL)
    if new is None or new == old:
        raise AssertionError(f"{spec.name}: the write left {new!r}, not new records")
    ops = rec.ops
    result = Result(spec.name, links, full, ops)
    missing = spec.expect(ops) if mutate is None and during is None else []
    if missing:
        raise AssertionError(f"{spec.name}: the trace lacks {missing}:\n  "
                             + "\n  ".join(map(str, ops)))
    trace = Trace(initial, ops)
    after, _ = scan(recorded)
    if trace.replay().key(mtimes=False) != after.key(mtimes=False):
        raise AssertionError(f"{spec.name}: replaying the trace does not give the directory "
                             f"the write left (a call was not recorded)")
    if mutate is not None:
        trace = Trace(initial, mutate(ops))

    rng = random.Random(f"{spec.name}/{links}/{full}")
    found: dict[tuple, list[Any]] = {}  # key -> [image, acknowledged, must-check]
    n = len(trace.ops)
    for k in range(n + 1):
        for st in trace.states(k, fine=full, rng=rng):
            result.combos += 1
            key = st.image.key()
            entry = found.get(key)
            if entry is None:
                found[key] = [st.image, k == n, st.extreme or k == n]
            else:
                entry[1] = entry[1] or k == n
                entry[2] = entry[2] or st.extreme or k == n
    result.distinct = len(found)
    chosen = list(found.values())
    limit = None if full else (cap or QUICK_CAP)
    if limit is not None:
        must = [e for e in chosen if e[2]]
        rest = [e for e in chosen if not e[2]]
        chosen = must + rng.sample(rest, min(len(rest), limit))

    with tempfile.TemporaryDirectory(prefix="acuplan-crash-", dir=_scratch(workdir)) as states, \
            _no_fsync():
        for i, (image, acked, _) in enumerate(chosen):
            where = Path(states) / str(i)
            materialise(image, where)
            outcome, problem = check(where / JOURNAL, old, old_bytes, new, acked)
            result.checked += 1
            result.outcomes[outcome] += 1
            if problem is not None:
                result.failures.append(f"{result.label}: {problem}; state: "
                                       f"{_describe(image)}")
            shutil.rmtree(where)
    return result


def _scratch(workdir: Path) -> str:
    """Where states are materialised: a RAM file system if there is one (thousands of
    small directories made and removed: about 3x faster than a disk), else `workdir`."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return str(workdir)


def check(path: Path, old: Any, old_bytes: bytes | None, new: Any,
          acknowledged: bool) -> tuple[str, str | None]:
    """The outcome of one crash state, and what is wrong with it (None: nothing)."""
    try:
        snap = Journal(path).snapshot()
    except JournalUnreadable as e:
        if e.exit_code != 4:
            return "bad-exit", f"unreadable but exit {e.exit_code}"
        try:
            now = path.read_bytes()
        except OSError:
            now = None
        if old is None and now == old_bytes:
            outcome = "old-unreadable"
            recovered = None
        else:
            newest = versions.newest_readable(path)
            if newest is None:
                return "lost", "unreadable, and no readable version to restore"
            held = Journal(newest).snapshot()
            which = "old" if held == old else "new" if held == new else None
            if which is None:
                return "lost", (f"unreadable, and the newest readable version "
                                f"({newest.name}) holds neither the old nor the new records")
            versions.restore(path, newest)
            if Journal(path).snapshot() != held:
                return "lost", f"restoring {newest.name} did not bring its records back"
            outcome = f"restorable-{which}"
            recovered = held
    else:
        if snap == new:
            outcome, recovered = "new", snap
        elif old is not None and snap == old:
            outcome, recovered = "old", snap
        else:
            return "wrong", ("the journal reads as records that are neither the old nor the "
                             f"new ones (a silent loss): {_summary(snap)}")
    if acknowledged and outcome != "new":
        return outcome, f"an acknowledged write is lost (the state after the call returned " \
                        f"is {outcome})"
    return outcome, _write_after(path, recovered)


def _kept_twice(path: Path) -> str | None:
    """Files the store never prunes (pre-migration backups, aside files) that hold the
    same bytes: a write or restore killed before its replace, whose kept file the next
    one kept again instead of taking it as its own."""
    for kind, part in (("pre-migration backups", ".pre-v"), ("aside files", ".unreadable-")):
        names = sorted(n for n in os.listdir(path.parent)
                       if n.startswith(path.name + part))
        seen: dict[bytes, str] = {}
        for name in names:
            data = (path.parent / name).read_bytes()
            if data in seen:
                return f"{kind} {seen[data]} and {name} hold the same bytes"
            seen[data] = name
    return None


def _write_after(path: Path, recovered: Any) -> str | None:
    """One more write on the recovered journal must work and keep what it held; nothing
    the crash left is kept a second time."""
    try:
        if recovered is None:  # still the damaged file: restore as the user would
            newest = versions.newest_readable(path)
            if newest is None:
                return "no readable version to restore the damaged file from"
            versions.restore(path, newest)
            recovered = Journal(path).snapshot()
        Journal(path, clock=_clock(DAY)).insert("skin", {"id": "after-crash",
                                                         "date": "2026-12-02"})
        after = Journal(path).snapshot()
    except Exception as e:  # noqa: BLE001 - any failure is the finding
        return f"the next write after recovery failed: {type(e).__name__}: {e}"
    added = [d for d in after.get("skin", []) if d.get("id") == "after-crash"]
    rest = {t: [d for d in docs if d.get("id") != "after-crash"] for t, docs in after.items()}
    rest = {t: docs for t, docs in rest.items() if docs or t in recovered}
    if len(added) != 1 or rest != recovered:
        return "the next write after recovery lost or changed records"
    return _kept_twice(path)


def _summary(snap: Any) -> str:
    return "{" + ", ".join(f"{t}: {len(d)}" for t, d in sorted(snap.items())) + "}"


def _describe(img: Image) -> str:
    parts = []
    for name in sorted(img.names):
        ino = img.names[name]
        if ino is not None and (name.endswith("journal.json") or ".tmp-" in name):
            parts.append(f"{name}={len(img.data[ino])}B#{ino}")
        elif ino is not None:
            parts.append(f"{name}#{ino}")
    return " ".join(parts)


def explore_all(workdir: Path, *, full: bool,
                names: list[str] | None = None) -> list[Result]:
    """Every path, with hard links and with versions kept as copies."""
    out = []
    for name in names or list(PATHS):
        for links in (True, False):
            where = Path(workdir) / f"{name}-{'links' if links else 'copies'}"
            out.append(explore(PATHS[name], where, full=full, links=links))
    return out
