"""I/O fault injection (issue item 2): every step of a write may fail, once or for good.

For each step of a journal write (lock file, listing the directory, temp file
creation, fchmod, write, fsync of the file, keeping the outgoing version by
link or copy, replace, directory open/fsync, pruning) the k-th call during
one operation raises an OSError, either that call only ("once") or that call
and every later one ("persistent"), for k = 1, 2, ... until the operation
succeeds. Each failure must reach the caller as a one-line StoreError (exit
4) naming the file and the cause; the journal and every file beside it must
hold the old state (or the new one if the failure came after the replace),
no temp file may remain, and the same Journal object must keep working.

There is no separate "flush" step: the journal layer writes the temp file
with unbuffered os.write calls, so the fsync is the flush. Short writes
(os.write taking only part of the buffer) are tested at the end.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_support import dir_state, temp_files  # noqa: E402

from planner.store import Journal, StoreError, versions  # noqa: E402


class Injected(OSError):
    pass


def _is_dir_fd(fd) -> bool:
    try:
        return stat.S_ISDIR(os.fstat(fd).st_mode)
    except OSError:
        return False


def _path_has(fragment):
    return lambda *a, **k: fragment in os.fspath(a[0])


# step name -> (os function, which calls count, errno)
STEPS = {
    "lock-open": ("open", _path_has(".lock"), errno.EACCES),
    "list-dir": ("listdir", lambda *a, **k: True, errno.EIO),
    "temp-create": ("open", _path_has(".tmp-"), errno.ENOSPC),
    "fchmod": ("fchmod", lambda *a, **k: True, errno.EPERM),
    "write": ("write", lambda *a, **k: True, errno.ENOSPC),
    "write-chunk": ("write", lambda *a, **k: True, errno.ENOSPC),  # 64-byte short writes
    "fsync-file": ("fsync", lambda fd: not _is_dir_fd(fd), errno.EIO),
    "keep-version-link": ("link", lambda *a, **k: True, errno.EMLINK),
    "keep-version-copy": ("open", _path_has(".prev-"), errno.ENOSPC),
    "replace": ("replace", lambda *a, **k: True, errno.EXDEV),
    "dir-open": ("open", lambda p, flags, *a, **k: bool(flags & getattr(os, "O_DIRECTORY", 0)),
                 errno.EACCES),
    "fsync-dir": ("fsync", _is_dir_fd, errno.EIO),
    "prune-unlink": ("unlink", lambda *a, **k: True, errno.EBUSY),
}
# Steps after the rename: the new state is already what every reader sees.
AFTER_REPLACE = {"dir-open", "fsync-dir", "prune-unlink"}


class Fault:
    """Make the k-th matching call of os.<name> fail (and, if persistent, every later one)."""

    def __init__(self, monkeypatch, step: str, k: int, persistent: bool) -> None:
        name, matches, code = STEPS[step]
        self.calls = 0
        self.fired = 0
        real = getattr(os, name)
        if step == "write-chunk":
            real_write = real

            def real(fd, data):
                return real_write(fd, bytes(data[:64]))

        def wrapper(*a, **kw):
            if matches(*a, **kw):
                self.calls += 1
                if self.calls == k or (persistent and self.calls > k):
                    self.fired += 1
                    raise Injected(code, os.strerror(code), os.fspath(a[0])
                                   if name in ("open", "listdir", "unlink", "link") else None)
            return real(*a, **kw)

        monkeypatch.setattr(os, name, wrapper)
        if step == "keep-version-copy":  # the copy is the fallback when linking fails
            def no_link(*a, **kw):
                raise OSError(errno.EXDEV, "Invalid cross-device link")
            monkeypatch.setattr(os, "link", no_link)


# ------------------------------------------------------------------ operations

def _seed(path: Path) -> None:
    j = Journal(path)
    for n in range(7):  # 7 writes: 5 previous versions kept, so each write prunes one
        j.insert("skin", {"id": f"c{n}", "date": f"2026-11-0{n + 1}", "kind": "checkin",
                          "redness": 0, "note": f"day {n}"})
    j.insert("plans", {"id": "p1", "date": "2026-12-08", "minutes": 10, "fulfilled_by": None})


def op_insert(j: Journal) -> None:
    j.insert("skin", {"id": "new", "date": "2026-12-01", "kind": "checkin", "redness": 1})


def op_update(j: Journal) -> None:
    j.update("skin", "c3", {"note": "edited"})


def op_delete(j: Journal) -> None:
    j.delete("skin", "c1")


def op_transaction(j: Journal) -> None:
    with j.transaction() as tx:
        tx.insert("sessions", {"id": "s1", "date": "2026-12-01", "minutes": 8})
        tx.update("plans", "p1", {"fulfilled_by": "s1"})
        tx.delete("skin", "c0")


def op_restore(j: Journal) -> None:
    versions.restore(j.path, versions.list_versions(j.path)[-1].label)


OPS = {"insert": op_insert, "update": op_update, "delete": op_delete,
       "transaction": op_transaction, "restore": op_restore}


@pytest.fixture(autouse=True)
def clock_standing_still():
    """The same operation gives the same bytes in the reference run and the faulty one:
    version stamps from a clock that stands still. Set by hand, not with monkeypatch,
    which the test undoes after each fault."""
    from datetime import UTC, datetime

    from planner.store import journal

    real = journal._utc_now
    journal._utc_now = lambda: datetime(2026, 1, 1, tzinfo=UTC)
    yield
    journal._utc_now = real


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    d = tmp_path_factory.mktemp("template") / "data"
    _seed(d / "journal.json")
    return d


def _fresh(template: Path, where: Path) -> Path:
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(template, where)  # copies, so each run starts from the same bytes
    return where / "journal.json"


def _reference(template: Path, tmp_path: Path, op) -> bytes:
    path = _fresh(template, tmp_path / "reference")
    op(Journal(path))
    return path.read_bytes()


@pytest.mark.parametrize("op_name", [
    "insert", "transaction", "restore",
    pytest.param("update", marks=pytest.mark.torture),
    pytest.param("delete", marks=pytest.mark.torture),
])
def test_every_step_failing_once_or_for_good(template, tmp_path, monkeypatch, op_name,
                                             figures):
    op = OPS[op_name]
    new_bytes = _reference(template, tmp_path, op)
    old_bytes = (template / "journal.json").read_bytes()
    assert new_bytes != old_bytes
    summary: Counter = Counter()
    by_step: Counter = Counter()
    for step in STEPS:
        if op_name == "restore" and step.startswith("keep-version"):
            continue  # a restore keeps the old file aside by rename/link, not as a version
        for persistent in (False, True):
            for k in range(1, 60):
                path = _fresh(template, tmp_path / "run")
                before = dir_state(path.parent)
                j = Journal(path)
                j.snapshot()  # a warm journal, as in the app; the fault hits the write
                fault = Fault(monkeypatch, step, k, persistent)
                error = None
                try:
                    op(j)
                except StoreError as e:
                    error = e
                finally:
                    monkeypatch.undo()
                where = f"{op_name}: {step} call {k} failing {'for good' if persistent else 'once'}"
                assert temp_files(path.parent) == [], where
                if error is not None:
                    summary["failed cleanly"] += 1
                    by_step[step] += 1
                    msg = str(error)
                    assert fault.fired, where
                    assert error.exit_code == 4, where
                    assert "\n" not in msg and str(path) in msg, (where, msg)
                    assert os.strerror(STEPS[step][2]) in msg or "busy" in msg, (where, msg)
                    if step in AFTER_REPLACE:
                        assert path.read_bytes() == new_bytes, where
                    else:
                        # nothing changed: the journal, its versions, the lock file
                        assert dir_state(path.parent) == before, where
                        assert j.snapshot() == Journal(path).snapshot(), where
                    # the same journal object goes on working after the failure
                    j.insert("skin", {"id": "after", "date": "2026-12-02", "kind": "checkin"})
                    assert any(d["id"] == "after" for d in Journal(path).snapshot()["skin"])
                    continue
                # the operation succeeded (the fault hit nothing, or was recovered from)
                summary["succeeded" if not fault.fired else "recovered"] += 1
                assert path.read_bytes() == new_bytes, where
                assert j.snapshot() == Journal(path).snapshot(), where
                break
            else:
                pytest.fail(f"{op_name}: {step} never succeeded")
    figures(f"I/O faults, {op_name}: {sum(summary.values())} runs (steps × once/persistent × k): "
            f"{summary['failed cleanly']} clean exit-4 errors with the old state kept, "
            f"{summary['recovered']} succeeded despite the fault (link->copy fallback, or after "
            f"the replace), {summary['succeeded']} with k past the last call")
    assert summary["failed cleanly"] >= 2 * 6  # the core steps really were hit
    assert by_step["write-chunk"] >= 2 * 2  # ... and k rose through the chunks of the file


def test_the_core_steps_are_all_reached(template, tmp_path, monkeypatch):
    """Guard against a fault table that silently matches nothing."""
    path = _fresh(template, tmp_path / "run")
    j = Journal(path)
    j.snapshot()
    for step in ("lock-open", "temp-create", "fchmod", "write", "fsync-file",
                 "keep-version-link", "replace", "fsync-dir", "prune-unlink"):
        fault = Fault(monkeypatch, step, 10_000, False)  # counts, never fires
        op_update(j)
        monkeypatch.undo()
        assert fault.calls >= 1, step
        j.update("skin", "c3", {"note": "reset"})


def test_short_writes_still_give_the_whole_file(template, tmp_path, monkeypatch):
    path = _fresh(template, tmp_path / "run")
    expected = _reference(template, tmp_path, op_transaction)
    real = os.write
    calls = []

    def short(fd, data):
        calls.append(len(data))
        return real(fd, bytes(data[:7]))

    monkeypatch.setattr(os, "write", short)
    op_transaction(Journal(path))
    monkeypatch.undo()
    assert len(calls) > len(expected) // 7
    assert path.read_bytes() == expected


def test_a_failed_write_in_one_process_is_not_seen_by_another(template, tmp_path, monkeypatch):
    """The reader's cached state never holds a write that did not reach the disk."""
    path = _fresh(template, tmp_path / "run")
    reader, writer = Journal(path), Journal(path)
    before = reader.snapshot()
    Fault(monkeypatch, "replace", 1, True)
    with pytest.raises(StoreError):
        op_insert(writer)
    monkeypatch.undo()
    assert writer.snapshot() == before == reader.snapshot()
    assert not any(d["id"] == "new" for d in writer.snapshot()["skin"])


def test_restore_when_the_directory_cannot_be_listed(template, tmp_path, monkeypatch):
    path = _fresh(template, tmp_path / "run")
    before = dir_state(path.parent)
    label = versions.list_versions(path)[-1].label
    Fault(monkeypatch, "list-dir", 1, True)
    try:
        with pytest.raises(StoreError):
            versions.restore(path, label)
    finally:
        monkeypatch.undo()
    assert dir_state(path.parent) == before
