"""Previous/daily versions beside the journal, listing them, and restore."""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import date, timedelta

import pytest

from planner.store import Journal, JournalUnreadable, UnknownVersion
from planner.store.versions import find_version, list_versions, newest_readable, restore


class Clock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def names(d, part: str) -> list[str]:
    return sorted(n for n in os.listdir(d) if part in n)


def mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def test_previous_versions_keep_the_newest_five(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path, clock=Clock(date(2026, 12, 1)))
    states = []
    for n in range(12):
        if path.exists():
            states.append(path.read_bytes())
        j.insert("t", {"n": n})
    prev = names(tmp_path, ".prev-")
    assert prev == [f"journal.json.prev-{s:06d}" for s in range(7, 12)]
    # prev-N holds the file as it was before write N+1 (the first write had none)
    for s in range(7, 12):
        assert path.with_name(f"journal.json.prev-{s:06d}").read_bytes() == states[s - 1]
        assert mode(path.with_name(f"journal.json.prev-{s:06d}")) == 0o600
    assert names(tmp_path, ".day-") == ["journal.json.day-2026-12-01"]
    assert path.with_name("journal.json.day-2026-12-01").read_bytes() == states[0]


def test_versions_are_hard_links_of_the_replaced_file(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    j.insert("t", {})
    ino = os.stat(path).st_ino
    j.insert("t", {})
    assert os.stat(path.with_name("journal.json.prev-000001")).st_ino == ino


def test_daily_copies_one_per_day_keep_seven(tmp_path):
    path = tmp_path / "journal.json"
    clock = Clock(date(2026, 11, 20))
    j = Journal(path, clock=clock)
    j.insert("t", {"n": -1})
    first_of_day = {}
    for i in range(10):
        clock.day = date(2026, 11, 20) + timedelta(days=i)
        first_of_day[clock.day] = path.read_bytes()
        j.insert("t", {"n": i})
        j.insert("t", {"n": i, "again": True})
    days = names(tmp_path, ".day-")
    want = [date(2026, 11, 20) + timedelta(days=i) for i in range(3, 10)]
    assert days == [f"journal.json.day-{d.isoformat()}" for d in want]
    for d in want:  # the file as it was before that day's first write
        assert path.with_name(f"journal.json.day-{d.isoformat()}").read_bytes() == first_of_day[d]
    assert len(names(tmp_path, ".prev-")) == 5


def test_list_versions_newest_first_with_counts(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path, clock=Clock(date(2026, 12, 1)))
    for n in range(4):
        j.insert("t", {"n": n})
        os.utime(path, (1e9 + n, 1e9 + n))  # distinct, increasing mtimes
    vs = list_versions(path)
    assert [v.label for v in vs] == ["prev-000003", "prev-000002", "prev-000001",
                                    "day-2026-12-01"]
    assert [v.kind for v in vs] == ["previous"] * 3 + ["daily"]
    assert [v.counts for v in vs] == [{"t": 3}, {"t": 2}, {"t": 1}, {"t": 1}]
    assert all(v.readable and v.error is None for v in vs)
    assert vs[0].mtime >= vs[1].mtime
    bad = path.with_name("journal.json.prev-000003")
    os.unlink(bad)
    bad.write_bytes(b"{")
    os.utime(bad, (2e9, 2e9))
    vs = list_versions(path)
    assert vs[0].label == "prev-000003" and not vs[0].readable
    assert vs[0].counts == {} and "JSON" in vs[0].error
    assert newest_readable(path) == path.with_name("journal.json.prev-000002")


def test_other_files_are_not_versions(tmp_path):
    path = tmp_path / "journal.json"
    Journal(path).insert("t", {})
    for n in ("journal.json.prev-1", "journal.json.day-2026-13-40", "other.json.prev-000001",
              "journal.json.unreadable-20261201T000000Z", ".journal.json.tmp-1-aa"):
        (tmp_path / n).write_text("{}")
    assert list_versions(path) == []
    assert newest_readable(path) is None


def test_restore_moves_the_bad_file_aside_and_brings_back_the_version(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    ids = [j.insert("t", {"n": n}) for n in range(3)]
    good = path.with_name("journal.json.prev-000002").read_bytes()
    path.write_bytes(b'{"t": {"1": {"id": "x"')  # truncated
    os.chmod(path, 0o644)
    with pytest.raises(JournalUnreadable):
        j.snapshot()
    aside = restore(path, "prev-000002")
    assert re.fullmatch(r"journal\.json\.unreadable-\d{8}T\d{6}Z", aside.name)
    assert aside.read_bytes() == b'{"t": {"1": {"id": "x"'
    assert mode(aside) == 0o600
    assert path.read_bytes() == good and mode(path) == 0o600
    assert path.with_name("journal.json.prev-000002").read_bytes() == good  # version kept
    assert [d["id"] for d in j.snapshot()["t"]] == ids[:2]
    assert not any(".tmp-" in n for n in os.listdir(tmp_path))
    # a second restore in the same second does not overwrite the first aside file
    second = restore(path, "journal.json.prev-000001")
    assert second != aside and aside.exists() and second.read_bytes() == good
    assert [d["id"] for d in Journal(path).snapshot()["t"]] == ids[:1]


def test_restore_without_a_current_file(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    j.insert("t", {})
    j.insert("t", {})
    os.unlink(path)
    assert restore(path, "prev-000001") is None
    assert len(Journal(path).snapshot()["t"]) == 1


def test_restore_refuses_an_unreadable_version_and_changes_nothing(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    j.insert("t", {})
    j.insert("t", {})
    bad = path.with_name("journal.json.prev-000001")
    os.unlink(bad)
    bad.write_bytes(b"\xff\xff")
    path.write_bytes(b"garbage")
    before = {n: (tmp_path / n).read_bytes() for n in os.listdir(tmp_path)}
    with pytest.raises(JournalUnreadable) as ei:
        restore(path, "prev-000001")
    assert ei.value.path == bad
    assert {n: (tmp_path / n).read_bytes() for n in os.listdir(tmp_path)} == before


def test_restore_unknown_version(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    j.insert("t", {})
    j.insert("t", {})
    with pytest.raises(UnknownVersion) as ei:
        restore(path, "prev-000099")
    assert "prev-000001" in str(ei.value) and ei.value.exit_code == 2


def test_restore_from_a_path(tmp_path):
    path = tmp_path / "journal.json"
    elsewhere = tmp_path / "copy.json"
    elsewhere.write_text(json.dumps({"t": {"1": {"id": "z"}},
                                     "meta": {"1": {"schema_version": 1}}}))
    assert find_version(path, elsewhere) == elsewhere
    restore(path, str(elsewhere))
    assert Journal(path).snapshot() == {"t": [{"id": "z"}]}
