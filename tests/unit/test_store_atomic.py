"""Atomic writes: permissions, durability steps, and failures that change nothing."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from planner.store import Journal, JournalWriteError, atomic
from planner.store.exchange import write_private


def mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def listing(d) -> list[str]:
    return sorted(os.listdir(d))


def test_new_journal_file_is_0600_in_new_0700_dirs(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "a" / "b" / "journal.json"
        Journal(path).insert("checkins", {"date": "2024-01-01"})
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert mode(tmp_path / "a") == 0o700
    assert mode(tmp_path / "a" / "b") == 0o700
    assert mode(path.with_name("journal.json.lock")) == 0o600


def test_existing_directory_mode_is_left_alone(tmp_path):
    os.chmod(tmp_path, 0o755)
    Journal(tmp_path / "journal.json").insert("t", {})
    assert mode(tmp_path) == 0o755


def test_replacing_a_0644_file_gives_0600(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    j.insert("t", {})
    os.chmod(path, 0o644)
    j.insert("t", {})
    assert mode(path) == 0o600
    for name in os.listdir(tmp_path):
        if ".prev-" in name or ".day-" in name:
            assert mode(tmp_path / name) == 0o600, name


def test_atomic_write_fsyncs_file_and_directory(tmp_path, monkeypatch):
    synced = []
    real = os.fsync

    def spy(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        return real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    atomic.atomic_write(tmp_path / "f", b"x")
    assert synced == [False, True]  # the file, then its directory after the rename
    assert (tmp_path / "f").read_bytes() == b"x"


def test_readers_never_see_partial_content(tmp_path, monkeypatch):
    """While the temp file is written, the journal still holds the old bytes."""
    path = tmp_path / "f"
    path.write_bytes(b"old")
    seen = []
    real = os.write

    def spy(fd, data):
        seen.append(path.read_bytes())
        return real(fd, data)

    monkeypatch.setattr(os, "write", spy)
    atomic.atomic_write(path, b"new" * 1000)
    assert seen and all(s == b"old" for s in seen)
    assert path.read_bytes() == b"new" * 1000


def _enospc(*a, **k):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("target", ["replace", "fsync", "write", "link"])
def test_write_failure_raises_and_changes_nothing(tmp_path, monkeypatch, target):
    path = tmp_path / "journal.json"
    j = Journal(path)
    j.insert("checkins", {"date": "2024-01-01"})
    j.insert("checkins", {"date": "2024-01-02"})
    before_bytes, before_files = path.read_bytes(), listing(tmp_path)
    if target == "link":  # keeping the version fails: link and the fallback copy
        real_write_new = atomic.write_new

        def write_new(p, data):
            if ".prev-" in p.name:
                _enospc()
            return real_write_new(p, data)

        monkeypatch.setattr(os, "link", _enospc)
        monkeypatch.setattr(atomic, "write_new", write_new)
    else:
        monkeypatch.setattr(os, target, _enospc)
    with pytest.raises(JournalWriteError) as ei:
        j.insert("checkins", {"date": "2024-01-03"})
    monkeypatch.undo()
    assert "No space left on device" in str(ei.value)
    assert str(path) in str(ei.value) and "unchanged" in str(ei.value)
    assert ei.value.exit_code == 4
    assert path.read_bytes() == before_bytes
    assert listing(tmp_path) == before_files  # no temp file, no extra version
    # the journal still works afterwards and the failed record is not there
    assert len(j.snapshot()["checkins"]) == 2
    j.insert("checkins", {"date": "2024-01-04"})
    assert [d["date"] for d in Journal(path).snapshot()["checkins"]] == [
        "2024-01-01", "2024-01-02", "2024-01-04"]


def test_versions_fall_back_to_copies_without_hard_links(tmp_path, monkeypatch):
    def no_links(*a, **k):
        raise OSError(errno.EPERM, "Operation not permitted")

    path = tmp_path / "journal.json"
    j = Journal(path)
    j.insert("t", {"n": 1})
    first = path.read_bytes()
    monkeypatch.setattr(os, "link", no_links)
    j.insert("t", {"n": 2})
    prev = path.with_name("journal.json.prev-000001")
    assert prev.read_bytes() == first
    assert os.stat(prev).st_ino != os.stat(path).st_ino
    assert mode(prev) == 0o600


def test_first_write_failure_creates_no_journal(tmp_path, monkeypatch):
    path = tmp_path / "journal.json"
    monkeypatch.setattr(os, "replace", _enospc)
    with pytest.raises(JournalWriteError):
        Journal(path).insert("t", {})
    assert listing(tmp_path) == ["journal.json.lock"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_gives_write_error(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    j.insert("t", {})
    before = path.read_bytes()
    os.chmod(tmp_path, 0o500)
    try:
        with pytest.raises(JournalWriteError):
            Journal(path).insert("t", {})
    finally:
        os.chmod(tmp_path, 0o700)
    assert path.read_bytes() == before


def test_write_private_is_atomic_and_0600(tmp_path):
    out = tmp_path / "export.json"
    out.write_text("old")
    os.chmod(out, 0o644)
    write_private(out, "new ✓\n")
    assert out.read_text(encoding="utf-8") == "new ✓\n"
    assert mode(out) == 0o600
    assert listing(tmp_path) == ["export.json"]


def test_write_private_failure_is_a_store_error(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", _enospc)
    with pytest.raises(JournalWriteError):
        write_private(tmp_path / "x.csv", "a")
    monkeypatch.undo()
    assert listing(tmp_path) == []
