"""Two copies of one journal folded together (service/merge.py, Planner.merge_copy).

Copies are made as a user makes them: one journal file, copied to a second machine,
then each changed through the store or the service with its own clock."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.service.merge import OTHER, THIS, Copy, merge_copies
from planner.service.planner import Planner, Refused
from planner.store import stamps
from planner.store.errors import CopyUnusable
from planner.store.journal import Journal
from planner.store.migrations import CURRENT_SCHEMA, migrate
from tests.clocks import TickingClock

TODAY = date(2026, 12, 1)


def machine(path: Path, hours: int = 0) -> Journal:
    return Journal(path, now=TickingClock(datetime(2026, 12, 1, 8 + hours, tzinfo=UTC)))


def copy_of(j: Journal) -> Copy:
    return Copy({t: list(d) for t, d in j.snapshot().items()}, dict(j.stamps()))


def records(c: Copy) -> dict[str, list[str]]:
    """What a copy holds, as comparable text (record order aside)."""
    return {t: sorted(json.dumps(d, sort_keys=True) for d in docs)
            for t, docs in c.tables.items() if docs}


def apply(path: Path, merged, hours: int = 5) -> Journal:
    """A journal holding the merge's result (what merge_copy writes)."""
    j = machine(path, hours)
    with j.transaction() as tx:
        tx.replace_all(merged.tables, merged.stamps)
    return j


@pytest.fixture
def pair(tmp_path):
    """A journal with a session, a plan and a product, copied to a laptop."""
    home = machine(tmp_path / "home.json")
    home.insert("sessions", {"id": "s1", "date": "2026-11-20", "minutes": 8, "note": ""})
    home.insert("plans", {"id": "p1", "date": "2026-12-08", "minutes": 10})
    home.insert("products", {"id": "u1", "date": "2026-11-10", "kind": "retinoid"})
    shutil.copyfile(tmp_path / "home.json", tmp_path / "laptop.json")
    return home, machine(tmp_path / "laptop.json", hours=1)


# ------------------------------------------------------------------ one side changed

def test_a_change_on_one_side_is_taken_without_a_conflict(pair):
    home, laptop = pair
    laptop.update("sessions", "s1", {"note": "felt calm"})
    laptop.insert("products", {"id": "u2", "date": "2026-11-29", "kind": "acid"})
    home.delete("plans", "p1")
    m = merge_copies(copy_of(home), copy_of(laptop))
    assert m.conflicts == ()
    assert m.added == (("products", "u2"),) and m.updated == (("sessions", "s1"),)
    assert "plans" not in m.tables  # deleted here, unchanged there: stays deleted
    assert [d["note"] for d in m.tables["sessions"]] == ["felt calm"]


def test_a_deletion_on_the_other_side_reaches_this_one(pair):
    home, laptop = pair
    laptop.delete("products", "u1")
    m = merge_copies(copy_of(home), copy_of(laptop))
    assert m.deleted == (("products", "u1"),) and m.conflicts == ()
    assert "products" not in m.tables


# ------------------------------------------------------------------ both sides changed

def test_changed_on_both_sides_the_later_change_wins_and_the_other_is_listed(pair):
    home, laptop = pair
    home.update("sessions", "s1", {"minutes": 9})      # 08:00 and a few seconds
    laptop.update("sessions", "s1", {"minutes": 6})    # 09:00: later
    for ours, theirs, kept in ((home, laptop, OTHER), (laptop, home, THIS)):
        m = merge_copies(copy_of(ours), copy_of(theirs))
        assert [d["minutes"] for d in m.tables["sessions"]] == [6]
        (c,) = m.conflicts
        assert (c.table, c.record_id, c.kept, c.what) == ("sessions", "s1", kept,
                                                          "changed on both sides")
        assert c.kept_when.startswith("2026-12-01 09:00:") and c.kept_when.endswith(" UTC")
        assert c.other_when.startswith("2026-12-01 08:00:")


def test_deleted_on_one_side_and_changed_on_the_other_is_kept(pair):
    home, laptop = pair
    laptop.delete("plans", "p1")
    home.update("plans", "p1", {"date": "2026-12-09"})
    m = merge_copies(copy_of(home), copy_of(laptop))
    assert [d["date"] for d in m.tables["plans"]] == ["2026-12-09"]
    (c,) = m.conflicts
    assert c.what.startswith("deleted on one side, changed on the other") and c.kept == THIS


def test_the_same_change_on_both_sides_is_no_conflict_and_is_then_one_version(pair, tmp_path):
    home, laptop = pair
    home.update("sessions", "s1", {"note": "same"})
    laptop.update("sessions", "s1", {"note": "same"})
    m = merge_copies(copy_of(home), copy_of(laptop))
    assert m.conflicts == () and m.updated == () and m.restamped == (("sessions", "s1"),)
    merged = apply(tmp_path / "m.json", m)
    again = merge_copies(copy_of(merged), copy_of(laptop))
    assert not again.changed


def test_a_session_deleted_on_one_side_stays_when_the_other_logged_a_reaction_to_it(pair):
    home, laptop = pair
    home.delete("sessions", "s1")
    laptop.insert("skin", {"id": "r1", "date": "2026-11-21", "kind": "reaction",
                           "redness": 1, "session_id": "s1"})
    m = merge_copies(copy_of(home), copy_of(laptop))
    assert [d["id"] for d in m.tables["sessions"]] == ["s1"]
    assert any(c.record_id == "s1" and "points to it" in c.what for c in m.conflicts)


def test_a_hold_is_kept_over_a_later_version_that_lifts_it_without_resolve(tmp_path):
    home = machine(tmp_path / "home.json")
    home.insert("skin", {"id": "k1", "date": "2026-11-25", "kind": "checkin", "redness": 1})
    shutil.copyfile(tmp_path / "home.json", tmp_path / "laptop.json")
    laptop = machine(tmp_path / "laptop.json", hours=3)
    home.update("skin", "k1", {"redness": 4})                # severe: a hold
    laptop.update("skin", "k1", {"note": "looked fine"})                # later, mild
    for a, b in ((home, laptop), (laptop, home)):
        m = merge_copies(copy_of(a), copy_of(b))
        (doc,) = m.tables["skin"]
        assert doc["redness"] == 4 and doc.get("resolved_on") is None
        assert "holds sessions" in m.conflicts[0].what


def test_profile_and_settings_changed_on_both_sides_keep_every_caution(tmp_path):
    home = machine(tmp_path / "home.json")
    p = Planner(home, TODAY)
    p.set_profile(pregnant=False, sensitive_skin=False)
    p.set_settings(spacing_days=7)
    shutil.copyfile(tmp_path / "home.json", tmp_path / "laptop.json")
    lp = Planner(machine(tmp_path / "laptop.json", hours=2), TODAY)
    p.set_profile(pregnant=True)
    p.set_settings(spacing_days=10, cadence_days=10)
    lp.set_profile(sensitive_skin=True)         # later: its other answers win
    lp.set_settings(spacing_days=8, cadence_days=8)
    for a, b in ((p, lp), (lp, p)):
        m = merge_copies(copy_of(a.journal), copy_of(b.journal))
        (prof,), (sett,) = m.tables["profile"], m.tables["settings"]
        assert prof["pregnant"] and prof["sensitive_skin"]
        assert sett["spacing_days"] == 10 and sett["cadence_days"] == 10
        assert {c.table for c in m.conflicts} == {"profile", "settings"}


# ------------------------------------------------------------------ properties

OPS = st.lists(st.tuples(st.sampled_from(("insert", "update", "delete")),
                         st.integers(0, 7), st.integers(0, 3)), max_size=8)


def _run(j: Journal, ops, tag: str) -> None:
    for op, k, v in ops:
        ids = [d["id"] for d in j.snapshot().get("sessions", [])]
        if op == "insert" or not ids:
            j.insert("sessions", {"id": f"{tag}{k}", "date": "2026-11-01", "minutes": 5 + v}) \
                if f"{tag}{k}" not in ids else None
        elif op == "update":
            j.update("sessions", ids[k % len(ids)], {"minutes": 5 + v})
        else:
            j.delete("sessions", ids[k % len(ids)])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=OPS, left=OPS, right=OPS, hours=st.integers(-2, 2))
def test_merging_is_symmetric_and_merging_twice_changes_nothing(tmp_path_factory, base, left,
                                                                 right, hours):
    d = tmp_path_factory.mktemp("m")
    origin = machine(d / "a.json")
    _run(origin, base, "b")
    if not (d / "a.json").exists():
        origin.insert("plans", {"id": "p", "date": "2026-12-10", "minutes": 5})
    shutil.copyfile(d / "a.json", d / "b.json")
    a, b = machine(d / "a.json", 1), machine(d / "b.json", 1 + hours)
    _run(a, left, "x")
    _run(b, right, "x")  # the same ids on both sides: the same record, changed twice
    ab = merge_copies(copy_of(a), copy_of(b))
    ba = merge_copies(copy_of(b), copy_of(a))
    assert records(Copy(ab.tables, ab.stamps)) == records(Copy(ba.tables, ba.stamps))
    assert ab.stamps == ba.stamps
    assert sorted((c.table, c.record_id) for c in ab.conflicts) == \
        sorted((c.table, c.record_id) for c in ba.conflicts)
    m = apply(d / "m.json", ab)
    for side in (a, b, m):
        again = merge_copies(copy_of(m), copy_of(side))
        assert not again.changed and again.conflicts == ()
    # nothing lost: a record only one side changed since the copy is there as changed
    left_only = {x["id"]: x for x in a.snapshot().get("sessions", [])}
    right_ids = {x["id"] for x in b.snapshot().get("sessions", [])}
    for rid, doc in left_only.items():
        if rid not in right_ids and ("sessions", rid) not in {k for k in ab.deleted}:
            assert doc in ab.tables["sessions"]


# ------------------------------------------------------------------ the command

def test_merge_copy_writes_once_and_reports_what_the_rules_now_say(tmp_path):
    home = Planner(machine(tmp_path / "home.json"), TODAY)
    home.set_profile(pregnant=False)
    home.plan(TODAY + timedelta(days=3))
    shutil.copyfile(tmp_path / "home.json", tmp_path / "laptop.json")
    laptop = Planner(machine(tmp_path / "laptop.json", 1), TODAY)
    laptop.log_session(TODAY - timedelta(days=2), 8)    # 5 days before the plan
    other = (tmp_path / "laptop.json").read_bytes()
    before = (tmp_path / "home.json").read_bytes()
    dry = home.merge_copy(other, "laptop.json", dry_run=True)
    assert not dry.written and dry.merged.added
    assert (tmp_path / "home.json").read_bytes() == before
    report = home.merge_copy(other, "laptop.json")
    assert report.written and (tmp_path / "laptop.json").read_bytes() == other
    assert [r.rule for _, rs in report.now_blocked for r in rs] == ["spacing"]
    assert [s.date for s in home.state().history.sessions] == [TODAY - timedelta(days=2)]
    again = home.merge_copy(other, "laptop.json")
    assert not again.written and not again.merged.changed


@pytest.mark.parametrize("payload, words", [
    (b"", "empty"),
    (b"{ not json", "not valid JSON"),
    (json.dumps({"meta": {"1": {"schema_version": CURRENT_SCHEMA + 1}}}).encode(),
     "upgrade acuplan"),
    (json.dumps({"sessions": {"1": {"id": "s", "date": "2026-11-01", "minutes": 999}},
                 "meta": {"1": {"schema_version": CURRENT_SCHEMA}}}).encode(), "minutes"),
])
def test_an_unusable_other_copy_is_exit_4_and_nothing_is_written(tmp_path, payload, words):
    p = Planner(machine(tmp_path / "home.json"), TODAY)
    p.log_session(TODAY, 8)
    before = (tmp_path / "home.json").read_bytes()
    with pytest.raises(CopyUnusable) as e:
        p.merge_copy(payload, "other.json")
    assert e.value.exit_code == 4 and words in str(e.value) and "other.json" in str(e.value)
    assert "\n" not in str(e.value)
    assert (tmp_path / "home.json").read_bytes() == before


def test_an_open_hold_here_is_never_lifted_by_a_merge(tmp_path):
    """A hand-made other copy whose tombstone claims to follow the hold: refused (exit 3)."""
    p = Planner(machine(tmp_path / "home.json"), TODAY)
    hold = p.log_skin("checkin", TODAY, redness=4).record
    raw = json.loads((tmp_path / "home.json").read_text())
    k = stamps.key("skin", hold.id)
    (entry,) = [e for e in raw["stamps"].values() if e["id"] == k]
    entry.update(earlier=[entry["changed"]], changed="2999-01-01T00:00:00.000000Z~ffffffff",
                 deleted=True)
    raw["skin"] = {}
    before = (tmp_path / "home.json").read_bytes()
    with pytest.raises(Refused, match="resolve"):
        p.merge_copy(json.dumps(raw).encode(), "forged.json")
    assert (tmp_path / "home.json").read_bytes() == before


def test_stamps_that_acuplan_would_not_write_are_ignored_not_copied(pair, tmp_path):
    """A hand-made copy whose stamps hold escape sequences, or are not stamps at all: its
    records count as unstamped, and none of that text reaches this journal or a report."""
    home, laptop = pair
    laptop.update("sessions", "s1", {"minutes": 6})
    raw = json.loads((tmp_path / "laptop.json").read_text())
    for e in raw["stamps"].values():
        e["changed"] = "\x1b]52;c;aGk=\x07" + e["changed"]
    raw["stamps"]["99"] = {"id": "sessions/\x1b[2J", "changed": "2026-12-01T10:00:00.000000Z~"
                           "0000000a", "deleted": True}
    theirs = Copy({t: list(d.values()) for t, d in raw.items() if t not in ("meta", "stamps")},
                  {e["id"]: e for e in raw["stamps"].values()})
    m = merge_copies(copy_of(home), theirs)
    text = json.dumps(m.stamps) + json.dumps([repr(c) for c in m.conflicts])
    assert "\x1b" not in text and "\\u001b" not in text
    # their session now reads as unstamped, older than any stamped change: this one's kept,
    # and theirs listed
    assert [d["minutes"] for d in m.tables["sessions"]] == [8]
    (c,) = m.conflicts
    assert (c.record_id, c.kept, c.other_when) == ("s1", THIS, "before version stamps")


# ------------------------------------------------------------------ the migration

V2 = {"sessions": {"1": {"id": "s1", "date": "2026-11-20", "minutes": 8,
                         "outcome": "completed", "note": "", "logged": 1}},
      "meta": {"1": {"schema_version": 2}}}


def test_a_v2_file_migrates_without_stamps_and_its_first_change_grows_from_its_content(
        tmp_path):
    """Both machines upgrade the same v2 file; one then edits the session: the other's
    copy is that edit's ancestor, so the merge takes the edit with no conflict."""
    migrated = migrate(json.loads(json.dumps(V2)), 2)
    assert migrated["meta"]["1"]["schema_version"] == CURRENT_SCHEMA
    assert "stamps" not in migrated and migrated["sessions"] == V2["sessions"]
    for name in ("home.json", "laptop.json"):
        (tmp_path / name).write_text(json.dumps(V2))
    home, laptop = machine(tmp_path / "home.json"), machine(tmp_path / "laptop.json", 1)
    assert not merge_copies(copy_of(home), copy_of(laptop)).changed
    laptop.update("sessions", "s1", {"minutes": 6})
    (entry,) = laptop.stamps().values()
    assert entry["earlier"] == [stamps.base_stamp(V2["sessions"]["1"])]
    for a, b in ((home, laptop), (laptop, home)):
        m = merge_copies(copy_of(a), copy_of(b))
        assert m.conflicts == () and [d["minutes"] for d in m.tables["sessions"]] == [6]


def test_a_stamp_is_later_than_the_one_it_replaces_even_when_the_clock_went_back():
    first = stamps.new_stamp(datetime(2026, 12, 1, 9, tzinfo=UTC), None, "a")
    second = stamps.new_stamp(datetime(2026, 12, 1, 8, tzinfo=UTC), first, "b")
    assert second > first and second.startswith("2026-12-01T09:00:00.000001Z")
    assert stamps.new_stamp(datetime(2026, 12, 1, 9, tzinfo=UTC), None, "a") == first


def test_a_journal_with_version_stamps_is_read_in_one_typed_decode(tmp_path):
    """The stamps table is skipped by the typed read (tables._decode), not a reason to
    take the careful path, which parses every document (measured 19 ms more on a
    10-year journal when it did)."""
    from planner.service.tables import _decode

    p = Planner(machine(tmp_path / "j.json"), TODAY)
    p.log_session(TODAY, 8)
    p.delete_record(p.log_product("retinoid", TODAY).id)
    raw = json.loads((tmp_path / "j.json").read_text())
    assert len(raw["stamps"]) >= 2
    assert _decode((tmp_path / "j.json").read_bytes()) is not None
