"""Insights (SPEC §10): Wilson and Newcombe intervals against published values, the
exposures of a session, "too little data", and generated histories with and without an
effect."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from planner.domain.insights import (
    MIN_SESSIONS,
    NOTE,
    Z95,
    compare,
    insights,
    newcombe,
    observations,
    sentence,
    wilson,
)
from planner.domain.models import History, ProductUse, Session, SkinRecord
from planner.domain.routine import Routine, Step

# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of
# seven methods. Statistics in Medicine 1998; 17: 857-872. Table I, method 3 (Wilson
# score interval without continuity correction), 95%.
WILSON_PUBLISHED = [
    ((81, 263), (0.2553, 0.3662)),
    ((15, 148), (0.0624, 0.1605)),
    ((0, 20), (0.0000, 0.1611)),
    ((1, 29), (0.0061, 0.1718)),
]

# Newcombe RG. Interval estimation for the difference between independent proportions:
# comparison of eleven methods. Statistics in Medicine 1998; 17: 873-890. Table II,
# method 10 (hybrid score from Wilson intervals without continuity correction), 95%,
# examples (a) to (h): (k1, n1, k2, n2) -> (lower, upper) of p1 - p2.
NEWCOMBE_PUBLISHED = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),    # (a)
    ((9, 10, 3, 10), (0.1705, 0.8090)),      # (b)
    ((6, 7, 2, 7), (0.0582, 0.8062)),        # (c)
    ((5, 56, 0, 29), (-0.0381, 0.1926)),     # (d)
    ((0, 10, 0, 20), (-0.1611, 0.2775)),     # (e)
    ((0, 10, 0, 10), (-0.2775, 0.2775)),     # (f)
    ((10, 10, 0, 20), (0.6791, 1.0000)),     # (g)
    ((10, 10, 0, 10), (0.6075, 1.0000)),     # (h)
]


def test_z_is_the_two_sided_95_percent_quantile():
    assert round(Z95, 6) == 1.959964


@pytest.mark.parametrize(("counts", "published"), WILSON_PUBLISHED)
def test_wilson_matches_newcombe_1998_table_i(counts, published):
    low, high = wilson(*counts)
    assert (round(low, 4), round(high, 4)) == published


@pytest.mark.parametrize(("counts", "published"), NEWCOMBE_PUBLISHED)
def test_newcombe_matches_newcombe_1998_table_ii_method_10(counts, published):
    k1, n1, k2, n2 = counts
    d, low, high = newcombe(*counts)
    assert d == pytest.approx(k1 / n1 - k2 / n2)
    assert (round(low, 4), round(high, 4)) == published


@pytest.mark.parametrize(("counts", "_"), NEWCOMBE_PUBLISHED)
def test_swapping_the_groups_mirrors_the_interval(counts, _):
    k1, n1, k2, n2 = counts
    d, low, high = newcombe(k1, n1, k2, n2)
    d2, low2, high2 = newcombe(k2, n2, k1, n1)
    assert (d2, low2, high2) == pytest.approx((-d, -high, -low))
    assert -1 <= low <= d <= high <= 1


def test_wilson_refuses_an_empty_sample():
    with pytest.raises(ValueError):
        wilson(0, 0)
    with pytest.raises(ValueError):
        wilson(3, 2)


# ............................................................ exposures, by hand

D0 = date(2026, 1, 5)
TODAY = date(2026, 12, 1)


def step(technique: str, pressure: str = "light") -> Step:
    action = {"acupressure": "press-hold", "gua-sha": "stroke", "jade-rolling": "roll"}
    return Step(technique, action[technique], 60, 5, zone="cheek", pressure=pressure)


def routine(rid: str, *steps: Step) -> Routine:
    return Routine(rid, rid.replace("-", " ").title(), "", tuple(dict.fromkeys(
        s.technique for s in steps)), ("stress",), steps)


ROUTINES = {r.id: r for r in (
    routine("gs-face", step("gua-sha", "medium"), step("acupressure", "light")),
    routine("gs-roll", step("gua-sha", "light"), step("jade-rolling", "light")),
    routine("gs-neck", step("gua-sha", "firm")),
    routine("gs-brow", step("gua-sha", "light"), step("acupressure", "medium")),
    routine("gs-jaw", step("acupressure", "firm"), step("gua-sha", "medium")),
    routine("gs-full", step("jade-rolling", "light"), step("gua-sha", "light")),
    routine("points", step("acupressure", "firm")),
    routine("roll", step("jade-rolling", "light")),
    routine("mix", step("acupressure", "medium"), step("jade-rolling", "light")),
    routine("press", step("acupressure", "medium")),
)}


def sess(n: int, day: date, minutes: int = 10, routine_id: str | None = None) -> Session:
    return Session(f"s{n}", day, minutes, routine_id)


def skin(n: int, day: date, redness: int = 1, kind: str = "reaction") -> SkinRecord:
    return SkinRecord(f"k{n}", day, kind, redness=redness)


def levels_of(history: History, today: date = TODAY) -> dict[str, frozenset]:
    obs, _ = observations(history, ROUTINES, today)
    return {o.session_id: o.levels for o in obs}


def test_a_session_names_its_routines_techniques_firmest_pressure_and_band():
    h = History(sessions=(sess(1, D0, 12, "gs-face"), sess(2, D0 + timedelta(7), 25),
                          sess(3, D0 + timedelta(14), 7, "deleted-routine")))
    lv = levels_of(h)
    assert lv["s1"] == {("routine", "gs-face"), ("technique", "gua-sha"),
                        ("technique", "acupressure"), ("pressure", "medium"),
                        ("minutes", "11-20")}
    assert lv["s2"] == {("minutes", "21-30")}  # no routine: no technique, no pressure
    assert lv["s3"] == {("routine", "deleted-routine"), ("minutes", "5-10")}


def test_products_count_in_the_week_before_and_two_days_before_is_its_own_exposure():
    day = D0 + timedelta(20)
    h = History(sessions=(sess(1, day), sess(2, day + timedelta(30))),
                products=(ProductUse("p1", day - timedelta(7), "retinoid"),
                          ProductUse("p2", day - timedelta(2), "scrub"),
                          ProductUse("p3", day + timedelta(30) - timedelta(3), "home-peel"),
                          ProductUse("p4", day + timedelta(30) - timedelta(8), "retinoid")))
    lv = levels_of(h)
    assert {x for x in lv["s1"] if x[0] != "minutes"} == {
        ("product", "retinoid"), ("product", "scrub"), ("after-product", "within 2 days")}
    assert {x for x in lv["s2"] if x[0] != "minutes"} == {("product", "home-peel")}


def test_a_reaction_counts_from_the_session_day_to_three_days_after():
    days = [D0 + timedelta(10 * i) for i in range(6)]
    h = History(sessions=tuple(sess(i, d) for i, d in enumerate(days)),
                skin=(skin(0, days[0]),                        # same day: counts
                      skin(1, days[1] + timedelta(3)),         # 3 days after: counts
                      skin(2, days[2] + timedelta(4)),         # 4 days after: not
                      skin(3, days[3] - timedelta(1)),         # the day before: not
                      skin(4, days[4] + timedelta(1), 0, "checkin"),  # class none: not
                      SkinRecord("k5", days[5] + timedelta(2), "checkin", itch=2)))  # mild
    obs, _ = observations(h, ROUTINES, TODAY)
    assert [o.reacted for o in obs] == [True, True, False, False, False, True]


def test_the_range_and_an_unfinished_follow_up_leave_sessions_out():
    days = [TODAY - timedelta(d) for d in (40, 30, 3, 2, 0)]
    h = History(sessions=tuple(sess(i, d) for i, d in enumerate(days)))
    obs, left = observations(h, ROUTINES, TODAY)
    assert [o.session_id for o in obs] == ["s0", "s1", "s2"] and left == 2
    obs, left = observations(h, ROUTINES, TODAY, start=days[1], end=days[3])
    assert [o.session_id for o in obs] == ["s1", "s2"] and left == 1


def spaced(n: int, **kw) -> list[Session]:
    return [sess(i, D0 + timedelta(days=7 * i), **kw) for i in range(n)]


@pytest.mark.parametrize("with_it", [MIN_SESSIONS - 1, MIN_SESSIONS])
def test_under_five_sessions_on_a_side_gives_too_little_data_and_no_figure(with_it):
    sessions = spaced(2 * MIN_SESSIONS + 2)
    sessions = [s if i >= with_it else Session(s.id, s.date, s.minutes, "points")
                for i, s in enumerate(sessions)]
    h = History(sessions=tuple(sessions), skin=(skin(0, sessions[0].date),))
    rows = {(r.exposure, r.level): r for r in insights(h, ROUTINES, TODAY).rows}
    row = rows["technique", "acupressure"]
    assert (row.with_sessions, row.without_sessions) == (with_it, len(sessions) - with_it)
    assert row.too_little_data is (with_it < MIN_SESSIONS)
    if row.too_little_data:
        assert (row.difference, row.low, row.high, row.with_share) == (None,) * 4
        assert row.to_json()["too_little_data"] is True
        assert "too little data" in sentence(row)
    else:
        assert row.low is not None and row.high is not None
        assert row.low <= row.difference <= row.high
    # every session is 5-10 minutes: nothing is left to compare it with
    assert rows["minutes", "5-10"].too_little_data
    assert rows["minutes", "5-10"].without_sessions == 0


def test_rows_are_sorted_by_lower_bound_and_too_little_data_comes_last():
    rng = random.Random(3)
    h = generated(rng, effect=0.4)
    rows = insights(h, ROUTINES, TODAY).rows
    lows = [r.low for r in rows if not r.too_little_data]
    assert lows == sorted(lows, reverse=True)
    seen_little = False
    for r in rows:
        seen_little = seen_little or r.too_little_data
        assert r.too_little_data or not seen_little


def test_the_words_say_went_with_and_never_caused():
    rows = insights(generated(random.Random(5), effect=0.4), ROUTINES, TODAY).rows
    for r in rows:
        words = sentence(r)
        assert "caus" not in words.lower()
        assert r.too_little_data or " went with " in words
    assert "associations in one person's records" in NOTE


# ............................................................ generated histories

N_SESSIONS = 260  # five years of weekly sessions
BASE_RATE = 0.1


def generated(rng: random.Random, effect: float = 0.0, base: float = BASE_RATE) -> History:
    """N_SESSIONS sessions 7 to 10 days apart (their 3-day windows never overlap), each
    with a routine drawn at random, 5-30 minutes, products on random days; a session is
    followed by a reaction 0-3 days later with probability `base`, plus `effect` when its
    routine uses gua sha."""
    sessions, skins, products = [], [], []
    day = date(2020, 1, 6)
    for i in range(N_SESSIONS):
        rid = rng.choice(sorted(ROUTINES))
        sessions.append(Session(f"s{i}", day, rng.randint(5, 30), rid))
        uses_gua_sha = "gua-sha" in ROUTINES[rid].techniques
        if rng.random() < base + (effect if uses_gua_sha else 0.0):
            skins.append(SkinRecord(f"r{i}", day + timedelta(days=rng.randint(0, 3)),
                                    "reaction", redness=rng.choice((1, 1, 2)),
                                    session_id=f"s{i}"))
        else:
            skins.append(SkinRecord(f"c{i}", day + timedelta(days=1), "checkin"))
        if rng.random() < 0.35:
            back = rng.randint(1, 6)
            products.append(ProductUse(f"p{i}", day - timedelta(days=back),
                                       rng.choice(("retinoid", "acid-exfoliant", "scrub"))))
        day += timedelta(days=rng.randint(7, 10))
    return History(sessions=tuple(sessions), skin=tuple(skins),
                   products=tuple(sorted(products, key=lambda p: p.date)))


SEEDS = range(50)


def test_an_exposure_made_to_raise_reactions_ranks_first():
    for seed in SEEDS:
        result = insights(generated(random.Random(seed), effect=0.5), ROUTINES, TODAY)
        first = result.rows[0]
        assert result.sessions == N_SESSIONS
        assert (first.exposure, first.level) == ("technique", "gua-sha"), seed
        assert first.low is not None and first.low > 0, seed


def test_with_no_effect_the_intervals_cover_zero():
    covered = total = gua_sha_covered = 0
    for seed in SEEDS:
        rows = insights(generated(random.Random(seed), base=0.3), ROUTINES, TODAY).rows
        figures = [r for r in rows if not r.too_little_data]
        assert len(figures) >= 10
        for r in figures:
            assert r.low is not None and r.high is not None
            total += 1
            covered += r.low <= 0 <= r.high
        (gs,) = [r for r in figures if (r.exposure, r.level) == ("technique", "gua-sha")]
        assert gs.low is not None and gs.high is not None
        gua_sha_covered += gs.low <= 0 <= gs.high
    assert gua_sha_covered >= 0.9 * len(SEEDS)
    assert covered >= 0.9 * total


def test_compare_of_nothing_is_empty():
    assert compare([]) == []
    empty = insights(History(), ROUTINES, TODAY)
    assert (empty.rows, empty.sessions, empty.left_out, empty.first) == ((), 0, 0, None)
