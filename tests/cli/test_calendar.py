"""`acuplan calendar -o FILE.ics [--alarm HH:MM]` through the command line: a private file
that two parsers and the strict line check read, the same UIDs on every export, and bad
input refused with one line and nothing written."""

from __future__ import annotations

import errno
import stat
from datetime import date, datetime, time

import pytest

from planner.service.planner import Planner
from planner.store.journal import Journal
from tests.unit.test_calendar_export import alarm_at, read_back


def _fill(acu):
    acu.ok("plan", "2026-12-08")
    acu.ok("plan", "2026-12-20")
    acu.ok("log", "product", "retinoid", "--date", "2026-11-30")
    acu.ok("pause", "--from", "2027-01-10", "--to", "2027-01-14", "--reason", "travel")


def _plan_ids(acu) -> list[str]:
    return [p["id"] for p in acu.ok_json("plans")]


def test_calendar_writes_a_private_file_two_parsers_read(acu, tmp_path):
    _fill(acu)
    target = tmp_path / "acuplan.ics"
    before = acu.raw()
    r = acu.ok("calendar", "-o", str(target))
    assert str(target) in r.stdout
    assert "2 plans" in r.stdout and "2 product-free stretches" in r.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert acu.raw() == before  # the journal is only read
    events = read_back(target.read_bytes())
    a, b = _plan_ids(acu)
    plan = events[f"plan-{a}@acuplan"]
    assert plan["DTSTART"].dt == date(2026, 12, 8)
    assert alarm_at(plan) == datetime(2026, 12, 7, 19, 0)
    assert f"free-{b}@acuplan" in events
    assert {u.rsplit("-", 1)[0] for u in events if u.startswith("blocked-")} == {
        "blocked-product-blackout", "blocked-pause"}


def test_calendar_json_counts_what_it_wrote(acu, tmp_path):
    _fill(acu)
    target = tmp_path / "c.ics"
    doc = acu.ok_json("calendar", "-o", str(target))
    events = read_back(target.read_bytes())
    assert doc["file"] == str(target)
    assert doc["events"] == len(events)
    assert doc["plans"] == sum(u.startswith("plan-") for u in events) == 2
    assert doc["blocked"] == sum(u.startswith("blocked-") for u in events)


def test_alarm_time_and_preferred_time(acu, tmp_path):
    acu.ok("profile", "set", "--preferred-time", "18:45")
    acu.ok("plan", "2026-12-09", "--minutes", "7")
    target = tmp_path / "c.ics"
    acu.ok("calendar", "-o", str(target), "--alarm", "8:10")
    (plan,) = [e for u, e in read_back(target.read_bytes()).items() if u.startswith("plan-")]
    assert plan["DTSTART"].dt == datetime(2026, 12, 9, 18, 45)
    assert plan["DTEND"].dt == datetime(2026, 12, 9, 18, 52)
    assert alarm_at(plan) == datetime.combine(date(2026, 12, 8), time(8, 10))


def test_no_plans_give_a_valid_empty_calendar_and_no_journal(acu, tmp_path):
    target = tmp_path / "empty.ics"
    r = acu.ok("calendar", "-o", str(target))
    assert "0 plans" in r.stdout
    assert read_back(target.read_bytes()) == {}
    assert acu.raw() is None


def test_uids_stay_across_exports_and_a_moved_plan_keeps_its_uid(acu, tmp_path):
    _fill(acu)
    one, two, three = (tmp_path / f"{n}.ics" for n in ("one", "two", "three"))
    acu.ok("calendar", "-o", str(one))
    acu.ok("calendar", "-o", str(two), today="2026-12-02")  # another day, same events
    first, second = read_back(one.read_bytes()), read_back(two.read_bytes())
    assert set(first) == set(second)
    a, _ = _plan_ids(acu)
    Planner(Journal(acu.path), date(2026, 12, 1)).move_plan(a, date(2026, 12, 9))
    acu.ok("calendar", "-o", str(three))
    moved = read_back(three.read_bytes())
    assert set(moved) == set(first)
    assert first[f"plan-{a}@acuplan"]["DTSTART"].dt == date(2026, 12, 8)
    assert moved[f"plan-{a}@acuplan"]["DTSTART"].dt == date(2026, 12, 9)
    assert moved[f"free-{a}@acuplan"]["DTEND"].dt == date(2026, 12, 9)


def test_a_second_export_replaces_the_file(acu, tmp_path):
    target = tmp_path / "c.ics"
    acu.ok("calendar", "-o", str(target))
    acu.ok("plan", "2026-12-08")
    acu.ok("calendar", "-o", str(target))
    assert len(read_back(target.read_bytes())) == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".c.ics")) == []


@pytest.mark.parametrize("alarm", ["25:00", "7pm", "", "none", "19:5", "12:00:00"])
def test_a_bad_alarm_is_refused_and_nothing_written(acu, tmp_path, alarm):
    _fill(acu)
    target = tmp_path / "c.ics"
    acu.bad(acu("calendar", "-o", str(target), "--alarm", alarm), "--alarm", "HH:MM")
    assert not target.exists()


def test_the_journal_and_its_versions_are_refused(acu, tmp_path):
    _fill(acu)
    before = acu.raw()
    acu.bad(acu("calendar", "-o", str(acu.path)), "journal")
    acu.bad(acu("calendar", "-o", str(acu.path) + ".prev-000001"), "journal")
    acu.bad(acu("calendar", "-o", str(acu.path.parent)), "directory")
    acu.bad(acu("calendar", "-o", str(tmp_path / "no-such-folder" / "c.ics")), "folder")
    acu.bad(acu("calendar", "-o", ""), "-o")
    acu.bad(acu("calendar", "-o", str(tmp_path / "a\x00b.ics")), "NUL")
    acu.bad(acu("calendar"), "--output")
    assert acu.raw() == before


def test_a_disk_full_is_exit_4_and_leaves_the_old_file(acu, tmp_path, monkeypatch):
    from planner.store import atomic

    _fill(acu)
    target = tmp_path / "c.ics"
    acu.ok("calendar", "-o", str(target))
    old = target.read_bytes()

    def full(path, data, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "atomic_write", full)
    r = acu("calendar", "-o", str(target), today="2026-12-02")
    assert r.exit_code == 4, r.stderr
    acu.no_traceback(r)
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: ")
    assert "No space left on device" in r.err_lines[0] and str(target) in r.err_lines[0]
    assert target.read_bytes() == old
