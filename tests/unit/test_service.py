"""The use cases over a real journal file: checks under the lock, nothing written on refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.service.planner import BadInput, Deleted, Planner, Refused
from planner.store.journal import Journal


@pytest.fixture
def planner(journal_path, today):
    return Planner(Journal(journal_path), today)


def days(today, n):
    return today + timedelta(days=n)


def test_plan_then_refuse_a_second_plan_too_close(planner, today, journal_path):
    pv = planner.plan(days(today, 7), 10)
    assert pv.verdict.allowed and pv.plan.id
    before = journal_path.read_bytes()
    with pytest.raises(Refused) as e:
        planner.plan(days(today, 10), 10)
    assert [r.rule for r in e.value.reasons] == ["spacing"]
    assert journal_path.read_bytes() == before
    assert [p.plan.id for p in planner.plan_views()] == [pv.plan.id]


def test_plan_refuses_over_the_cap_and_the_past(planner, today, journal_path):
    with pytest.raises(Refused) as e:
        planner.plan(today, 15)
    assert e.value.reasons[0].rule == "duration"
    with pytest.raises(BadInput, match="past"):
        planner.plan(days(today, -1), 5)
    assert not journal_path.exists()


def test_a_later_product_blocks_a_plan_and_the_plan_can_move(planner, today):
    pv = planner.plan(days(today, 3), 8)
    planner.log_product("retinoid", today)
    view = planner.plan_views()[0]
    assert not view.verdict.allowed and view.verdict.earliest == days(today, 4)
    moved = planner.move_plan(pv.plan.id, view.verdict.earliest)
    assert moved.verdict.allowed
    assert planner.plan_views()[0].plan.date == days(today, 4)


def test_logging_the_past_keeps_violations_and_fulfils_the_plan(planner, today):
    planner.log_product("scrub", days(today, -1))
    s = planner.log_session(today, 12)
    assert [r.rule for r in s.violations] == ["duration", "product-blackout"]
    assert planner.streak().sessions_current == 0
    with pytest.raises(BadInput, match="future"):
        planner.log_session(days(today, 1), 5)


def test_session_on_a_plan_day_fulfils_it(journal_path, today):
    early = Planner(Journal(journal_path), days(today, -7))
    early.plan(today, 5)
    p = Planner(Journal(journal_path), today)
    s = p.log_session(today, 5)
    assert s.violations == () and p.plan_views() == []
    assert p.state().history.plans[0].fulfilled_by == s.id


def test_red_flag_needs_clearance_to_resolve(planner, today, journal_path):
    res = planner.log_skin("checkin", today, flags=["pus"], note="Retinol [0.5%] 🙂")
    assert res.cls == "red-flag" and res.advice
    assert "medical-hold" in {r.rule for r in planner.today_view().verdict.reasons}
    before = journal_path.read_bytes()
    with pytest.raises(Refused):
        planner.resolve([res.record.id], today)
    assert journal_path.read_bytes() == before
    planner.resolve([res.record.id], today, cleared_by_clinician=True)
    # the hold is lifted; the record still counts as unsettled skin for its 3 days
    assert [r.rule for r in planner.check(today).reasons] == ["skin-state"]
    assert planner.check(days(today, 3)).allowed
    assert planner.history_items()[0]["note"] == "Retinol [0.5%] 🙂"


def test_resolve_all_lifts_severe_holds(planner, today):
    planner.log_skin("checkin", days(today, -3), redness=3)
    assert planner.check(today).earliest is None
    assert len(planner.resolve(None, today)) == 1
    assert planner.check(today).allowed
    with pytest.raises(BadInput, match="no open hold"):
        planner.resolve(None, today)


def test_bad_skin_values_write_nothing(planner, today, journal_path):
    for kw in ({"redness": 5}, {"itch": -1}, {"flags": ["sparkles"]}, {"zone": "eyeball"}):
        with pytest.raises(BadInput):
            planner.log_skin("checkin", today, **kw)
    assert not journal_path.exists()


def test_settings_refuse_looser_values(planner):
    with pytest.raises(BadInput, match="7–28"):
        planner.set_settings(spacing_days=6)
    assert planner.set_settings(spacing_days=9, cadence_days=9).spacing_days == 9
    assert planner.settings().spacing_days == 9


def test_exclusions_and_profile(planner, today):
    planner.set_profile(pregnant=True)
    planner.exclude("cheek", "mole", days(today, 10))
    prof = planner.profile()
    assert prof.pregnant and prof.exclusions[0].zone == "cheek"
    planner.include("cheek")
    assert planner.profile().exclusions == ()
    with pytest.raises(BadInput):
        planner.set_profile(pregnant="yes")


def test_month_grid_marks_days(planner, today):
    planner.plan(days(today, 7), 5)
    grid = planner.month(today.year, today.month)
    assert len(grid) == 42 and grid[0].date.weekday() == 0
    by_date = {c.date: c for c in grid}
    assert by_date[days(today, 7)].status == "planned"
    assert by_date[days(today, 3)].status == "blocked"  # within 7 days of the plan
    assert by_date[days(today, 14)].status == "allowed"
    assert by_date[days(today, -1)].status == "past"


def test_history_is_oldest_first_with_types(planner, today):
    planner.log_product("retinoid", days(today, -20))
    planner.pause(days(today, -30), days(today, -25), "travel")
    planner.log_session(days(today, -10), 6)
    planner.log_skin("checkin", days(today, -10), redness=1)
    items = planner.history_items()
    assert [i["type"] for i in items] == ["pause", "product", "session", "checkin"]
    assert items[-1]["class"] == "mild"
    assert planner.history_items(start=days(today, -15)) == items[2:]


def test_resolve_refuses_records_that_are_not_open_holds(planner, today, journal_path):
    mild = planner.log_skin("checkin", days(today, -1), redness=1).record
    severe = planner.log_skin("checkin", today, swelling=3).record
    with pytest.raises(BadInput, match="not a hold"):
        planner.resolve([mild.id], today)
    planner.resolve([severe.id], today)
    before = journal_path.read_bytes()
    with pytest.raises(BadInput, match="already resolved"):
        planner.resolve([severe.id], today)
    assert journal_path.read_bytes() == before


def test_planning_today_then_starting_today(planner, today):
    planner.plan(today, 5)
    assert planner.today_view().verdict.allowed
    assert planner.start_check(5).allowed
    with pytest.raises(Refused):
        planner.plan(today, 5)


def test_first_allowed_for_a_new_plan_counts_the_plans_already_made(planner, today):
    """Found walking the app: "Plan next" pressed twice proposed the day of the plan it had
    just made, and the plan command then refused it (a plan on that day counts)."""
    first = planner.first_allowed(today, 10)
    planner.plan(first, 10)
    second = planner.first_allowed(today, 10)
    assert second is not None and second >= first + timedelta(days=7)
    assert planner.plan(second, 10).verdict.allowed


def test_a_plan_cannot_be_moved_onto_another_plans_day(planner, today, journal_path):
    a = planner.plan(days(today, 7), 10)
    b = planner.plan(days(today, 14), 10)
    before = journal_path.read_bytes()
    with pytest.raises(Refused) as e:
        planner.move_plan(b.plan.id, a.plan.date)
    assert [r.rule for r in e.value.reasons] == ["spacing"]
    assert journal_path.read_bytes() == before


def test_the_skin_check_trims_a_routine_for_the_day_and_stores_nothing(planner, today,
                                                                      journal_path):
    routine = planner.library().routines["brow-and-forehead-points"]
    whole = planner.prepare_session(routine)
    checked = planner.prepare_session(routine, {"forehead": "broken-skin"})
    assert len(checked.steps) == len(whole.steps) - 1
    assert any("forehead left out for the day: broken skin" in why
               for _what, why in checked.dropped)
    fit = planner.routine_fit(routine.id, today, {"forehead": "broken-skin"})
    assert not fit.fits and "forehead" in fit.reasons[0].message
    assert planner.routine_fit(routine.id, today + timedelta(days=1)).fits
    assert not journal_path.exists()


def test_plan_next_goes_to_a_preferred_day(planner, today):
    planner.set_preferences("wed", "18:30")
    pv = planner.plan_next()
    assert pv.plan.date.strftime("%a") == "Wed" and pv.plan.date >= today
    assert planner.profile().preferred_time == "18:30"
    assert planner.today_view().next_preferred == planner.next_preferred_allowed()


def test_remember_preparation_writes_only_a_change(planner, journal_path):
    planner.remember_preparation(["face", "hands"])
    assert planner.profile().preparation == ("hands", "face")
    before = journal_path.read_bytes()
    planner.remember_preparation(["hands", "face"])
    assert journal_path.read_bytes() == before
    with pytest.raises(BadInput, match="feet"):
        planner.remember_preparation(["feet"])


def test_undo_puts_a_deleted_session_back_with_its_links(planner, today, journal_path):
    pv = planner.plan(today, 10)
    s = planner.log_session(today, 10)
    r = planner.log_skin("reaction", today, session_id=s.id, redness=1)
    before = planner.journal.snapshot()
    gone = planner.delete_record(s.id)
    assert gone.table == "sessions" and sorted(gone.links) == [("plans", pv.plan.id),
                                                                ("skin", r.record.id)]
    assert planner.plan_views(include_past=True)[0].plan.fulfilled_by is None
    back = planner.undo_delete(gone)
    assert back.id == s.id
    assert _same_records(planner.journal.snapshot(), before)
    with pytest.raises(BadInput, match="back already"):
        planner.undo_delete(gone)


def _same_records(a, b) -> bool:
    key = lambda docs: sorted(docs, key=lambda d: d["id"])  # noqa: E731
    return {t: key(d) for t, d in a.items()} == {t: key(d) for t, d in b.items()}


def test_undo_of_an_unplan_is_refused_when_the_day_is_now_blocked(planner, today,
                                                                   journal_path):
    pv = planner.plan(days(today, 2), 10)
    gone = planner.delete_record(pv.plan.id)
    planner.log_product("retinoid", today)  # three product-free days: the 2nd is blocked
    before = journal_path.read_bytes()
    with pytest.raises(Refused) as e:
        planner.undo_delete(gone)
    assert [r.rule for r in e.value.reasons] == ["product-blackout"]
    assert journal_path.read_bytes() == before


def test_undo_of_a_product_brings_its_blackout_back(planner, today):
    p = planner.log_product("scrub", today)
    gone = planner.delete_record(p.id)
    assert planner.check(days(today, 1)).allowed
    planner.undo_delete(gone)
    assert not planner.check(days(today, 1)).allowed


def test_undo_checks_the_record_like_an_import(planner, today, journal_path):
    planner.log_product("scrub", days(today, -5))
    before = journal_path.read_bytes()
    for bad in (Deleted("products", {"id": "x1", "kind": "lotion", "date": today.isoformat()}),
                Deleted("profile", {"id": "x2"}),
                Deleted("sessions", {"id": "x3", "date": days(today, 3).isoformat(),
                                     "minutes": 10})):
        with pytest.raises(BadInput):
            planner.undo_delete(bad)
    assert journal_path.read_bytes() == before
