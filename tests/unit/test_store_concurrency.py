"""Several real processes on one journal: no lost writes, no stuck locks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import planner
from planner.store import Journal, JournalBusy

ROOT = str(Path(planner.__file__).resolve().parent.parent)


def spawn(code: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


WRITER = """
    import sys
    from pathlib import Path
    from planner.store import Journal
    j = Journal(Path(sys.argv[1]), lock_timeout=60)
    for n in range(int(sys.argv[3])):
        j.insert("checkins", {"writer": sys.argv[2], "n": n})
        print(n, flush=True)  # this write returned
"""

# Holds the lock, mid-transaction, until killed (or its parent goes and closes its stdin).
HOLDER = """
    import sys
    from pathlib import Path
    from planner.store import Journal
    j = Journal(Path(sys.argv[1]))
    with j.transaction() as tx:
        tx.insert("t", {"by": "holder"})
        print("locked", flush=True)
        sys.stdin.read()
"""


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "journal.json"
    writers, each = 4, 40
    procs = [spawn(WRITER, str(path), f"w{w}", str(each)) for w in range(writers)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    docs = Journal(path).snapshot()["checkins"]
    assert len(docs) == writers * each
    assert len({d["id"] for d in docs}) == writers * each
    for w in range(writers):  # each writer's records, all there and in its order
        assert [d["n"] for d in docs if d["writer"] == f"w{w}"] == list(range(each))
    assert not any(".tmp-" in n for n in os.listdir(tmp_path))


def test_another_process_write_is_picked_up_under_the_lock(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    j.insert("checkins", {"writer": "parent", "n": 0})
    assert len(j.snapshot()["checkins"]) == 1  # cached
    p = spawn(WRITER, str(path), "child", "1")
    assert p.wait(timeout=60) == 0
    j.insert("checkins", {"writer": "parent", "n": 1})
    assert [d["writer"] for d in Journal(path).snapshot()["checkins"]] == [
        "parent", "child", "parent"]


def hold_lock(path: Path) -> subprocess.Popen:
    p = spawn(HOLDER, str(path))
    line = p.stdout.readline()
    assert line.strip() == "locked", p.stderr.read()
    return p


def test_lock_held_too_long_gives_busy(tmp_path):
    path = tmp_path / "journal.json"
    Journal(path).insert("t", {"by": "first"})
    before = path.read_bytes()
    p = hold_lock(path)
    try:
        start = time.monotonic()
        with pytest.raises(JournalBusy) as ei:
            Journal(path, lock_timeout=0.3).insert("t", {"by": "late"})
        assert time.monotonic() - start >= 0.3  # it waited its timeout out before giving up
        assert str(ei.value).startswith(f"busy: another acuplan is writing {path}; try again")
        assert ei.value.exit_code == 4
        assert path.read_bytes() == before
        assert len(Journal(path).snapshot()["t"]) == 1  # reading does not need the lock
    finally:
        p.kill()
        p.wait()


def test_killed_lock_holder_does_not_block_the_next_writer(tmp_path):
    path = tmp_path / "journal.json"
    Journal(path).insert("t", {"by": "first"})
    before = path.read_bytes()
    p = hold_lock(path)
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=10)
    assert path.read_bytes() == before  # the holder's unfinished transaction left no trace
    Journal(path, lock_timeout=0).insert("t", {"by": "next"})  # one try: the lock is free
    assert [d["by"] for d in Journal(path).snapshot()["t"]] == ["first", "next"]


def test_kill_during_writes_leaves_a_readable_journal(tmp_path):
    """A writer killed mid-stream: the file is always whole and earlier writes stay."""
    import random

    path = tmp_path / "journal.json"
    j = Journal(path)
    seen = 0
    for round_ in range(6):
        p = spawn(WRITER, str(path), f"r{round_}", "100000")
        # the kill lands after 1 to 5 confirmed writes, somewhere in the next one
        for _ in range(random.randint(1, 5)):
            assert p.stdout.readline(), p.stderr.read()
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=10)
        docs = j.snapshot()["checkins"]
        assert len(docs) > seen  # this round wrote, and nothing earlier was lost
        seen = len(docs)
        for w in range(round_ + 1):
            ns = [d["n"] for d in docs if d["writer"] == f"r{w}"]
            assert ns == list(range(len(ns))) and ns
    j.insert("checkins", {"writer": "after", "n": 0})  # also clears stale temp files
    assert not any(".tmp-" in n for n in os.listdir(tmp_path))
