"""The rule engine against the brute-force oracle (rules_oracle.py), on generated
histories whose records were entered in a random order (SPEC §3, §3.2, §4)."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.models import (
    History,
    Injectable,
    Pause,
    Plan,
    Procedure,
    ProductUse,
    Session,
    Settings,
    SkinRecord,
)
from planner.domain.rules import Engine
from planner.domain.streaks import compute_streaks
from planner.domain.values import replace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rules_oracle import Oracle  # noqa: E402

T0 = date(2026, 3, 1)
SPAN = 70  # days of history
FLAG_POOL = ["bruising", "peeling", "pus", "warmth", "fever", "dizziness", "pustules",
             "vision-change", "faint"]


def day(n: int) -> date:
    return T0 + timedelta(days=n)


offsets = st.integers(0, SPAN)


@st.composite
def histories(draw):
    """Records on random days, each with a distinct entry stamp in a random order."""
    n = draw(st.integers(0, 6))
    sessions = [Session(f"s{i}", day(draw(offsets)), draw(st.integers(3, 35)),
                        outcome=draw(st.sampled_from(("completed", "completed", "partial",
                                                      "aborted"))))
                for i in range(n)]
    plans = tuple(Plan(f"p{i}", day(draw(offsets)), 10) for i in range(draw(st.integers(0, 3))))
    products = [ProductUse(f"u{i}", day(draw(offsets)), "retinoid")
                for i in range(draw(st.integers(0, 3)))]
    procedures = [Procedure(f"c{i}", day(draw(offsets)), "laser")
                  for i in range(draw(st.integers(0, 2)))]
    injectables = [Injectable(f"j{i}", day(draw(offsets)), "filler")
                   for i in range(draw(st.integers(0, 2)))]
    skin = []
    for i in range(draw(st.integers(0, 8))):
        d = draw(offsets)
        resolved = draw(st.one_of(st.none(), st.integers(0, 30)))
        tied = draw(st.one_of(st.none(), st.sampled_from([x.id for x in sessions] or [None])))
        skin.append(SkinRecord(
            f"k{i}", day(d), redness=draw(st.integers(0, 4)), swelling=draw(st.integers(0, 4)),
            itch=draw(st.integers(0, 10)), burning=draw(st.integers(0, 10)),
            flags=tuple(draw(st.lists(st.sampled_from(FLAG_POOL), max_size=2, unique=True))),
            session_id=tied, resolved_on=None if resolved is None else day(d + resolved),
            cleared_by_clinician=draw(st.booleans()), seq=i))
    pauses = []
    for i in range(draw(st.integers(0, 2))):
        a = draw(offsets)
        pauses.append(Pause(f"z{i}", day(a), day(a + draw(st.integers(0, 10))), "travel"))
    stamped = [*sessions, *products, *procedures, *injectables, *skin, *pauses]
    order = draw(st.permutations(range(len(stamped))))
    by_id = {x.id: replace(x, logged=order[k] + 1) for k, x in enumerate(stamped)}
    pick = lambda xs: tuple(by_id[x.id] for x in xs)  # noqa: E731
    skin_sorted = sorted(pick(skin), key=lambda r: r.logged)  # seq follows entry order
    skin_sorted = [replace(r, seq=i) for i, r in enumerate(skin_sorted)]
    return History(sessions=pick(sessions), plans=plans, products=pick(products),
                   procedures=pick(procedures), injectables=pick(injectables),
                   skin=tuple(sorted(skin_sorted, key=lambda r: (r.date, r.seq))),
                   pauses=pick(pauses))


settings_strategy = st.builds(
    Settings,
    spacing_days=st.integers(7, 10),
    cadence_days=st.integers(10, 12),
    product_blackout_days=st.integers(3, 5),
    procedure_wait_days=st.integers(7, 10),
    injectable_wait_days=st.integers(14, 16),
    starter_count=st.integers(3, 4),
    ramp_step=st.integers(1, 5),
    ceiling=st.integers(10, 30),
)


@given(histories(), settings_strategy, st.integers(0, SPAN))
def test_engine_agrees_with_oracle_on_every_date(h, s, today_offset):
    today = day(today_offset)
    eng = Engine(h, s, today)
    o = Oracle(h, s, today)
    for n in range(0, SPAN + 20, 3):
        D = day(n)
        expected = o.blocking(D)
        got = {r.rule: r.until for r in eng.reasons(D)}
        assert got == expected, (D, got, expected)
        assert eng.earliest(D) == o.earliest(D), D
        assert eng.cap(D) == o.cap(D), D
        assert eng.check(D, 5).allowed == (not expected and o.cap(D) >= 5)


@given(histories(), settings_strategy)
def test_derived_violations_agree_with_oracle(h, s):
    """What each recorded session broke is worked out from the whole history (SPEC §3.2)."""
    eng = Engine(h, s, day(SPAN))
    o = Oracle(h, s, day(SPAN))
    for x in eng.history.sessions:
        got = {r.rule: r.until for r in x.violations}
        assert got == o.violations(x), (x, got, o.violations(x))


@given(histories(), settings_strategy, st.integers(0, SPAN + 10))
def test_streaks_agree_with_oracle(h, s, today_offset):
    today = day(today_offset)
    info = compute_streaks(h, s, today)
    assert (info.sessions_current, info.sessions_longest) == Oracle(h, s, today).session_streak()


@given(st.lists(st.tuples(st.integers(-40, 3), st.sampled_from(["checkin", "reaction"])),
                max_size=40))
def test_checkin_streaks_agree_with_oracle(offsets):
    today = day(SPAN)
    skin = tuple(SkinRecord(id=f"r{i}", date=today + timedelta(days=n), kind=kind, seq=i)
                 for i, (n, kind) in enumerate(offsets))
    h = History(skin=tuple(sorted(skin, key=lambda r: (r.date, r.seq))))
    info = compute_streaks(h, Settings(), today)
    assert (info.checkins_current, info.checkins_longest) == \
        Oracle(h, Settings(), today).checkin_streak()


@given(histories(), settings_strategy, st.randoms(use_true_random=False))
def test_the_order_of_logging_across_days_changes_nothing(h, s, rnd):
    """Restamping the records in another order that keeps each day's own order gives
    the same derived answers: only what was entered first on the same day matters."""
    stamped = [*h.sessions, *h.products, *h.procedures, *h.injectables, *h.skin, *h.pauses]
    by_day: dict[date, list] = {}
    for x in sorted(stamped, key=lambda x: x.logged):
        by_day.setdefault(getattr(x, "date", None) or x.start, []).append(x.id)
    # a random interleaving of the days' queues, each queue kept in its order
    queues = [list(q) for q in by_day.values()]
    new, n = {}, 0
    while queues:
        q = rnd.choice(queues)
        n += 1
        new[q.pop(0)] = n
        queues = [q for q in queues if q]
    re = lambda xs: tuple(replace(x, logged=new[x.id]) for x in xs)  # noqa: E731
    h2 = History(sessions=re(h.sessions), plans=h.plans, products=re(h.products),
                 procedures=re(h.procedures), injectables=re(h.injectables),
                 skin=re(h.skin), pauses=re(h.pauses))
    today = day(SPAN)
    a, b = Engine(h, s, today), Engine(h2, s, today)
    assert {x.id: x.violations for x in a.history.sessions} == \
        {x.id: x.violations for x in b.history.sessions}
    assert compute_streaks(h, s, today, a) == compute_streaks(h2, s, today, b)
    for n in range(0, SPAN + 10, 5):
        assert a.cap(day(n)) == b.cap(day(n))


def test_a_product_logged_later_with_an_earlier_date_marks_the_session():
    """The retinoid of issue 8: logged after the session, dated two days before it. The
    session is marked either way, and the streak ends either way."""
    s = Settings()
    first = Session("a", day(0), 10, logged=1)
    second = Session("b", day(7), 10, logged=2)
    late = ProductUse("u", day(5), "retinoid", logged=3)
    early = replace(late, logged=0)
    for product in (late, early):
        h = History(sessions=(first, second), products=(product,))
        eng = Engine(h, s, day(7))
        assert [r.rule for r in eng.violations_of("b")] == ["product-blackout"]
        assert compute_streaks(h, s, day(7), eng).sessions_current == 0


def test_on_the_same_day_what_was_entered_after_the_session_does_not_count():
    s = Settings()
    session = Session("a", day(3), 10, logged=2)
    evening = ProductUse("u", day(3), "retinoid", logged=3)
    morning = replace(evening, logged=1)
    assert Engine(History(sessions=(session,), products=(evening,)), s,
                  day(3)).violations_of("a") == ()
    assert [r.rule for r in Engine(History(sessions=(session,), products=(morning,)), s,
                                   day(3)).violations_of("a")] == ["product-blackout"]


def test_a_reaction_tied_to_a_session_never_counts_against_it():
    s = Settings()
    session = Session("a", day(3), 10, logged=1)
    own = SkinRecord("k", day(3), itch=9, session_id="a", logged=0)  # even if stamped first
    assert Engine(History(sessions=(session,), skin=(own,)), s, day(3)).violations_of("a") == ()



@given(histories(), settings_strategy)
def test_blocked_days_match_the_oracle_day_by_day(h, s):
    """The interval sweep the streaks use equals asking the oracle day by day."""
    today = day(SPAN)
    eng = Engine(h, s, today)
    o = Oracle(h, s, today)
    flags = eng.blocked_days(day(0), day(SPAN + 10))
    for i, f in enumerate(flags):
        blocking = set(o.blocking(day(i))) - {"spacing"}
        assert bool(f) == bool(blocking), (day(i), blocking)
