"""Version keeping after a writer died mid-write, and clean-up of side-file temps.

A writer killed after keeping the outgoing file as `prev-N` and before its
replace leaves `prev-N` holding the current file (a hard link to it, or a
byte copy where links are not possible). The next write must not keep the
same bytes again as `prev-N+1`: that wastes one of the five slots and pushes
a real older version out. The kill is simulated by an exception the store
does not handle (it propagates like a signal would stop the process: no undo).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from datetime import date

import pytest

from planner.store import Journal
from planner.store.rotation import KEEP_PREVIOUS

DAY = date(2026, 12, 1)
REAL_REPLACE = os.replace


class Killed(BaseException):
    """Stands for kill -9: not an OSError, so the store neither reports nor undoes it."""


def journal(path) -> Journal:
    return Journal(path, clock=lambda: DAY)


def prev_files(d) -> list[str]:
    return sorted(n for n in os.listdir(d) if ".prev-" in n)


def killed_before_the_replace(monkeypatch, j: Journal, n: int) -> None:
    def die(*a, **k):
        raise Killed()

    monkeypatch.setattr(os, "replace", die)
    with pytest.raises(Killed):
        j.insert("t", {"id": f"lost{n}", "n": n})
    monkeypatch.undo()


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "copies"])
def test_a_version_kept_by_a_killed_writer_is_not_kept_twice(tmp_path, monkeypatch, links):
    path = tmp_path / "journal.json"
    j = journal(path)
    states = []
    for n in range(4):
        j.insert("t", {"id": f"r{n}", "n": n})
        states.append(path.read_bytes())
    # journal = states[3]; prev-1..3 = states[0..2]
    if not links:
        def no_links(*a, **k):
            raise OSError(errno.EPERM, "Operation not permitted")
        monkeypatch.setattr(os, "link", no_links)
        killed_before_the_replace(monkeypatch, j, 0)
        monkeypatch.setattr(os, "link", no_links)
    else:
        killed_before_the_replace(monkeypatch, j, 0)
    leftover = path.with_name("journal.json.prev-000004")
    assert leftover.read_bytes() == path.read_bytes() == states[3]  # the kill's leftover
    if links:
        assert os.path.samefile(leftover, path)
    j = journal(path)
    j.insert("t", {"id": "r4", "n": 4})
    monkeypatch.undo()
    # prev-4 is the version of the file this write replaced; no prev-5 duplicates it
    assert prev_files(tmp_path) == [f"journal.json.prev-{s:06d}" for s in (1, 2, 3, 4)]
    assert [path.with_name(n).read_bytes() for n in prev_files(tmp_path)] == states
    assert not os.path.samefile(leftover, path)
    # the five slots go on holding five different states
    for n in range(5, 12):
        j.insert("t", {"id": f"r{n}", "n": n})
    kept = [path.with_name(n).read_bytes() for n in prev_files(tmp_path)]
    assert len(kept) == KEEP_PREVIOUS and len(set(kept)) == KEEP_PREVIOUS


def test_an_older_version_with_the_same_size_is_still_kept(tmp_path):
    """Same size, other bytes (an edit that keeps the length): a new version is kept."""
    path = tmp_path / "journal.json"
    j = journal(path)
    j.insert("t", {"id": "a", "v": 1})
    j.update("t", "a", {"v": 2})
    # the file as it was, edited by hand to the same length (a version stamp grows a
    # record's entry at each change, so two writes never give the same size)
    first = path.with_name(prev_files(tmp_path)[0]).read_bytes()
    path.write_bytes(first.replace(b'"v":1', b'"v":7'))
    j.update("t", "a", {"v": 3})
    assert prev_files(tmp_path) == ["journal.json.prev-000001", "journal.json.prev-000002"]
    one, two = (path.with_name(n).read_bytes() for n in prev_files(tmp_path))
    assert len(one) == len(two) and one != two


def _no_links(monkeypatch) -> None:
    def no_links(*a, **k):
        raise OSError(errno.EPERM, "Operation not permitted")
    monkeypatch.setattr(os, "link", no_links)


def _names(d, part: str) -> list[str]:
    return sorted(n for n in os.listdir(d) if part in n)


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "copies"])
def test_a_pre_migration_backup_kept_by_a_killed_writer_is_not_kept_twice(
        tmp_path, monkeypatch, links):
    """Killed after keeping `pre-vN` and before the migrating replace: the journal is still
    the old-schema file, and `pre-vN` is that file under a second name. The next write
    migrates again; the backup is there already, it must not be kept as `pre-vN-2`."""
    from planner.store.migrations import CURRENT_SCHEMA

    path = tmp_path / "journal.json"
    old = json.dumps({"t": {"1": {"note": "schema 0"}}}).encode()
    path.write_bytes(old)
    if not links:
        _no_links(monkeypatch)
    j = journal(path)

    def die(*a, **k):
        raise Killed()

    monkeypatch.setattr(os, "replace", die)
    with pytest.raises(Killed):
        j.insert("t", {"id": "lost"})
    monkeypatch.setattr(os, "replace", REAL_REPLACE)
    backup = f"journal.json.pre-v{CURRENT_SCHEMA}"
    assert _names(tmp_path, ".pre-v") == [backup]
    assert path.read_bytes() == old == path.with_name(backup).read_bytes()
    j = journal(path)
    j.insert("t", {"id": "kept"})
    monkeypatch.undo()
    assert _names(tmp_path, ".pre-v") == [backup]  # no pre-vN-2 holding the same bytes
    assert path.with_name(backup).read_bytes() == old
    assert [d.get("note") for d in journal(path).snapshot()["t"]] == ["schema 0", None]


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "copies"])
def test_an_aside_file_left_by_a_killed_restore_is_not_kept_twice(tmp_path, monkeypatch, links):
    """Killed after keeping the damaged journal as `unreadable-…` and before the replace:
    the next restore takes that file as the journal's aside, not a second copy."""
    from planner.store import versions

    path = tmp_path / "journal.json"
    j = journal(path)
    for n in range(3):
        j.insert("t", {"id": f"r{n}"})
    damaged = b'{"t": {"1": {"id": "r0"'
    path.write_bytes(damaged)
    if not links:
        _no_links(monkeypatch)

    def die(*a, **k):
        raise Killed()

    monkeypatch.setattr(os, "replace", die)
    with pytest.raises(Killed):
        versions.restore(path, "prev-000002")
    monkeypatch.setattr(os, "replace", REAL_REPLACE)
    [left] = _names(tmp_path, ".unreadable-")
    assert path.with_name(left).read_bytes() == damaged == path.read_bytes()
    aside = versions.restore(path, "prev-000002")
    monkeypatch.undo()
    assert aside == path.with_name(left)
    assert _names(tmp_path, ".unreadable-") == [left]
    assert aside.read_bytes() == damaged
    assert [d["id"] for d in journal(path).snapshot()["t"]] == ["r0", "r1"]


def test_an_older_aside_with_the_same_bytes_is_kept_apart(tmp_path):
    """Not left by a killed restore (older than the journal): a new aside is kept."""
    from planner.store import versions

    path = tmp_path / "journal.json"
    j = journal(path)
    for n in range(2):
        j.insert("t", {"id": f"r{n}"})
    damaged = b'{"t": '
    old = path.with_name("journal.json.unreadable-20200101T000000Z")
    old.write_bytes(damaged)
    os.utime(old, (1_000_000_000, 1_000_000_000))
    path.write_bytes(damaged)
    aside = versions.restore(path, "prev-000001")
    assert aside != old and aside.read_bytes() == damaged and old.exists()


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_status_cache_temps_of_dead_writers_go_at_the_next_write(tmp_path):
    path = tmp_path / "journal.json"
    j = journal(path)
    j.insert("t", {"id": "a"})
    dead = _dead_pid()
    stale = tmp_path / f"journal.json.status-cache.tmp-{dead}"
    mine = tmp_path / f"journal.json.status-cache.tmp-{os.getpid()}"
    parent = tmp_path / f"journal.json.status-cache.tmp-{os.getppid()}"
    foreign = [tmp_path / f"other.json.status-cache.tmp-{dead}",
               tmp_path / f"journal.json.status-cache.tmp-{dead}x",
               tmp_path / f"journal.json.notes.tmp-{dead}",
               tmp_path / "journal.json.status-cache"]
    for p in [stale, mine, parent, *foreign]:
        p.write_text("{")
    j.insert("t", {"id": "b"})
    assert not stale.exists()
    for p in [mine, parent, *foreign]:  # live writers' temps and other files stay
        assert p.exists(), p.name
