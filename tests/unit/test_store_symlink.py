"""A journal path that is a symbolic link is written through to its target (SPEC §6).

The link stays a link; the temp file, the replace, the lock and the kept
versions all live beside the target, and versions are regular files holding
the old bytes, never links to the link. A dangling link whose target's
directory exists gets its target created by the first write; one whose
target's directory is missing, and a link loop, are exit 4 with nothing
created.
"""

from __future__ import annotations

import os
import stat
from datetime import date

import pytest

from planner.store import (
    Journal,
    JournalUnreadable,
    JournalWriteError,
    StoreError,
    atomic,
    versions,
)
from planner.store.exchange import write_private
from planner.store.lock import lock_path

DAY = date(2026, 12, 1)


def journal(path) -> Journal:
    return Journal(path, clock=lambda: DAY)


def regular(p) -> bool:
    return stat.S_ISREG(os.lstat(p).st_mode)


def names(d) -> list[str]:
    return sorted(os.listdir(d))


def versions_in(d) -> list[str]:
    return [n for n in names(d) if ".prev-" in n or ".day-" in n]


@pytest.fixture
def linked(tmp_path):
    """`home/journal.json` -> `../real/journal.json` (relative), with two writes done
    through the link; returns (link, target, bytes after the first write)."""
    (tmp_path / "home").mkdir()
    (tmp_path / "real").mkdir()
    link = tmp_path / "home" / "journal.json"
    target = tmp_path / "real" / "journal.json"
    os.symlink(os.path.join("..", "real", "journal.json"), link)
    j = journal(link)
    j.insert("skin", {"id": "a", "date": "2026-11-30"})
    first = target.read_bytes()
    j.insert("skin", {"id": "b", "date": "2026-12-01"})
    return link, target, first


def test_write_through_a_link_keeps_the_link_and_writes_the_target(linked):
    link, target, first = linked
    assert os.path.islink(link)
    assert os.readlink(link) == os.path.join("..", "real", "journal.json")
    assert regular(target)
    assert [d["id"] for d in Journal(target).snapshot()["skin"]] == ["a", "b"]
    assert [d["id"] for d in Journal(link).snapshot()["skin"]] == ["a", "b"]  # read by link
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    # nothing but the link beside the link: no versions, lock or temp file there
    assert names(link.parent) == ["journal.json"]


def test_versions_beside_the_target_are_regular_files_with_the_old_bytes(linked):
    link, target, first = linked
    prev = target.with_name("journal.json.prev-000001")
    day = target.with_name("journal.json.day-2026-12-01")
    assert versions_in(target.parent) == [day.name, prev.name]
    for v in (prev, day):
        assert regular(v) and not os.path.islink(v)
        assert v.read_bytes() == first
        assert not os.path.samefile(v, target)  # not the current file under another name
        assert stat.S_IMODE(os.stat(v).st_mode) == 0o600
    # the store finds them through the link
    assert [v.label for v in versions.list_versions(link)] == ["prev-000001", "day-2026-12-01"]
    assert versions.newest_readable(link) in (prev, day)
    assert versions.find_version(link, "prev-000001") == prev


def test_lock_lives_beside_the_target(linked, tmp_path):
    link, target, _ = linked
    assert lock_path(link) == target.with_name("journal.json.lock")
    assert target.with_name("journal.json.lock").is_file()
    assert not os.path.lexists(link.with_name("journal.json.lock"))
    # the link and the target share one lock: opened either way, it is the same file
    assert lock_path(target) == lock_path(link)


def test_no_temp_file_is_left_and_many_writes_prune_beside_the_target(linked):
    link, target, _ = linked
    j = journal(link)
    for n in range(8):
        j.insert("skin", {"id": f"n{n}", "date": "2026-12-01"})
    assert os.path.islink(link)
    prev = [n for n in names(target.parent) if ".prev-" in n]
    assert len(prev) == 5
    assert not any(atomic.TEMP_MARK in n for n in names(target.parent))
    assert all(regular(target.with_name(n)) for n in prev)


def test_restore_into_a_symlinked_journal_writes_the_target(linked):
    link, target, first = linked
    bad = b'{"skin": {"1": {"id": "a"'
    with open(target, "r+b") as f:  # damaged in place (a disk error, an editor)
        f.truncate(0)
        f.write(bad)
    with pytest.raises(JournalUnreadable) as ei:
        Journal(link).snapshot()
    assert ei.value.exit_code == 4
    assert str(target.parent) in str(ei.value)  # the newest version it names is by the target
    aside = versions.restore(link, "prev-000001")
    assert os.path.islink(link) and os.readlink(link) == os.path.join("..", "real",
                                                                      "journal.json")
    assert target.read_bytes() == first
    assert aside.parent == target.parent and regular(aside) and aside.read_bytes() == bad
    assert [d["id"] for d in Journal(link).snapshot()["skin"]] == ["a"]
    assert names(link.parent) == ["journal.json"]


def test_a_dangling_link_whose_directory_exists_gets_its_target_created(tmp_path):
    (tmp_path / "real").mkdir()
    link = tmp_path / "journal.json"
    target = tmp_path / "real" / "journal.json"
    os.symlink(target, link)
    assert Journal(link).snapshot() == {}  # no file yet: an empty journal, as without a link
    journal(link).insert("skin", {"id": "a", "date": "2026-12-01"})
    assert os.path.islink(link) and os.readlink(link) == str(target)
    assert regular(target)
    assert [d["id"] for d in Journal(target).snapshot()["skin"]] == ["a"]
    assert versions_in(target.parent) == []  # there was nothing to keep
    assert names(tmp_path) == ["journal.json", "real"]


def test_a_dangling_link_into_a_missing_directory_is_exit_4_and_creates_nothing(tmp_path):
    link = tmp_path / "journal.json"
    os.symlink(tmp_path / "unmounted" / "journal.json", link)
    with pytest.raises(JournalWriteError) as ei:
        journal(link).insert("skin", {"id": "a", "date": "2026-12-01"})
    assert ei.value.exit_code == 4
    assert "No such file or directory" in str(ei.value)
    # the directory is not made up (it may be a drive that is not mounted)
    assert names(tmp_path) == ["journal.json"] and os.path.islink(link)


def test_a_link_to_a_link_writes_the_final_target(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    target = tmp_path / "b" / "journal.json"
    middle = tmp_path / "a" / "middle.json"
    link = tmp_path / "journal.json"
    os.symlink(target, middle)
    os.symlink(middle, link)
    j = journal(link)
    j.insert("skin", {"id": "a", "date": "2026-12-01"})
    first = target.read_bytes()
    j.insert("skin", {"id": "b", "date": "2026-12-01"})
    assert os.readlink(link) == str(middle) and os.readlink(middle) == str(target)
    assert regular(target)
    assert [d["id"] for d in Journal(link).snapshot()["skin"]] == ["a", "b"]
    prev = target.with_name("journal.json.prev-000001")
    assert regular(prev) and prev.read_bytes() == first
    assert target.with_name("journal.json.lock").is_file()
    assert names(tmp_path / "a") == ["middle.json"]
    assert names(tmp_path) == ["a", "b", "journal.json"]


def test_a_link_loop_is_exit_4_for_reads_and_writes(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    os.symlink(b, a)
    os.symlink(a, b)
    with pytest.raises(StoreError) as read:
        Journal(a).snapshot()
    with pytest.raises(JournalWriteError) as write:
        journal(a).insert("skin", {"id": "a", "date": "2026-12-01"})
    for e in (read.value, write.value):
        assert e.exit_code == 4 and "symbolic links" in str(e)
    assert names(tmp_path) == ["a.json", "b.json"]
    assert os.readlink(a) == str(b) and os.readlink(b) == str(a)


def test_an_export_to_a_link_writes_its_target(tmp_path):
    out = tmp_path / "export.json"
    real = tmp_path / "real.json"
    real.write_text("old")
    os.symlink(real, out)
    write_private(out, "new\n")
    assert os.path.islink(out) and real.read_text() == "new\n"
    assert names(tmp_path) == ["export.json", "real.json"]


def test_versions_without_hard_links_are_copies_beside_the_target(linked, monkeypatch):
    link, target, _ = linked
    before = target.read_bytes()

    def no_links(*a, **k):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    journal(link).insert("skin", {"id": "c", "date": "2026-12-01"})
    prev = target.with_name("journal.json.prev-000002")
    assert regular(prev) and prev.read_bytes() == before
    assert os.path.islink(link)
