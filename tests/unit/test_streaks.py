"""Streaks and score (SPEC §4), with Loop Habit Tracker's formula as the reference."""

from __future__ import annotations

from datetime import date, timedelta
from math import sqrt

import pytest

from planner.domain.advice import advice_for
from planner.domain.models import (
    History,
    Pause,
    Plan,
    ProductUse,
    Reason,
    Session,
    Settings,
    SkinRecord,
)
from planner.domain.streaks import compute_streaks, loop_multiplier, score_series

T = date(2026, 12, 1)


def d(n: int) -> date:
    return T + timedelta(days=n)


def streak(sessions, today, **hist):
    return compute_streaks(History(sessions=tuple(sessions), **hist), Settings(), today)


def test_loop_score_first_session_day():
    info = streak([Session("a", T, 5)], T)
    assert info.score == pytest.approx(0.009975, abs=5e-7)


def test_loop_score_matches_reference_recurrence():
    """Re-derive Loop's numbers for a 1-per-7-days habit with no shared code."""
    sessions = [Session(f"s{i}", d(i * 7), 10) for i in range(6)]
    today = d(40)
    m = 0.5 ** (sqrt(1 / 7) / 13)
    done = {i * 7 for i in range(6)}
    expected = 0.0
    for n in range(0, 41):
        in_window = sum(1 for k in done if n - 14 < k <= n)
        expected = expected * m + min(1.0, in_window / 2) * (1 - m)
    assert loop_multiplier(7) == pytest.approx(m)
    assert streak(sessions, today).score == pytest.approx(expected, rel=1e-12)
    series = score_series(History(sessions=tuple(sessions)), Settings(), today)
    assert series[-1][1] == pytest.approx(expected, rel=1e-12) and len(series) == 41


def test_blocked_days_keep_the_score():
    base = [Session("a", T, 10)]
    blocked = streak(base, d(10), pauses=(Pause("z", d(1), d(10), "travel"),))
    assert blocked.score == pytest.approx(streak(base, T).score)
    assert streak(base, d(10)).score > blocked.score  # unblocked days keep adding


def test_weekly_sessions_make_a_run():
    info = streak([Session(f"s{i}", d(i * 7), 10) for i in range(5)], d(28))
    assert (info.sessions_current, info.sessions_longest) == (5, 5)
    assert info.days_until_break == 10  # K + R after the last session


def test_gap_of_k_plus_grace_keeps_the_run_and_one_more_breaks_it():
    ok = streak([Session("a", T, 10), Session("b", d(10), 10)], d(10))
    assert ok.sessions_current == 2
    broken = streak([Session("a", T, 10), Session("b", d(11), 10)], d(11))
    assert broken.sessions_current == 1 and broken.sessions_longest == 1


def test_safety_blocked_days_stretch_the_allowed_gap():
    prod = (ProductUse("u", d(8), "retinoid"),)  # blocks d(8)..d(11): 4 days
    info = streak([Session("a", T, 10), Session("b", d(14), 10)], d(14), products=prod)
    assert info.sessions_current == 2


def test_current_streak_expires_and_days_until_break_counts_down():
    sessions = [Session("a", T, 10), Session("b", d(7), 10)]
    assert streak(sessions, d(17)).sessions_current == 2
    assert streak(sessions, d(17)).days_until_break == 0
    gone = streak(sessions, d(18))
    assert gone.sessions_current == 0 and gone.sessions_longest == 2
    assert gone.days_until_break is None
    held = streak(sessions, d(18), skin=(SkinRecord("k", d(12), redness=3),))
    assert held.sessions_current == 2  # an open hold blocks days: the streak waits


def test_violating_session_ends_the_run():
    bad = Session("b", d(7), 10)
    # a retinoid the day before b: b broke the product blackout (derived, SPEC §3.2)
    retinoid = (ProductUse("u", d(6), "retinoid"),)
    info = streak([Session("a", T, 10), bad, Session("c", d(14), 10)], d(14), products=retinoid)
    assert info.sessions_current == 1 and info.sessions_longest == 1
    ended = streak([Session("a", T, 10), bad], d(7), products=retinoid)
    assert ended.sessions_current == 0 and ended.days_until_break is None
    # stored violations are ignored: without the retinoid the same sessions are clean
    claimed = Session("b", d(7), 10, violations=(Reason("product-blackout", "x", d(8)),))
    assert streak([Session("a", T, 10), claimed], d(7)).sessions_current == 2


def test_aborted_session_does_not_break_the_run():
    # x is aborted: it is not in the run (though it counts for spacing: b is 7 days after it)
    s = [Session("a", T, 10), Session("x", d(1), 5, outcome="aborted"), Session("b", d(8), 10)]
    assert streak(s, d(8)).sessions_current == 2


def test_partial_session_counts_for_the_streak():
    s = [Session("a", T, 10), Session("b", d(7), 4, outcome="partial")]
    assert streak(s, d(7)).sessions_current == 2


def test_checkin_streak_today_or_yesterday():
    skin = tuple(SkinRecord(f"k{i}", d(-i)) for i in range(1, 4))  # yesterday and before
    info = compute_streaks(History(skin=skin), Settings(), T)
    assert (info.checkins_current, info.checkins_longest) == (3, 3)
    info = compute_streaks(History(skin=skin), Settings(), d(1))
    assert info.checkins_current == 0
    reaction_only = (SkinRecord("r", T, kind="reaction"),)
    assert compute_streaks(History(skin=reaction_only), Settings(), T).checkins_current == 0


def test_json_shape():
    j = streak([Session("a", T, 10)], T).to_json()
    assert set(j) == {"sessions", "checkins", "score"}
    assert set(j["sessions"]) == {"current", "longest", "days_until_break"}
    assert set(j["checkins"]) == {"current", "longest"}


def test_advice_around_sessions():
    h = History(sessions=(Session("a", d(-2), 10),), plans=(Plan("p", d(3), 10),))
    lines = advice_for(h, T)
    assert len(lines) == 2 and all("avoid retinoids, acids, scrubs and peels" in x for x in lines)
    assert advice_for(h, d(-6)) == []  # 9 days before the plan, 4 before the session
    assert advice_for(History(sessions=(Session("a", d(-3), 10),)), T) == []
