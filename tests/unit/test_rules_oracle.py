"""The rule engine against a brute-force oracle written straight from SPEC §3.

The oracle loops over every record for every date, with no indexes and no
shortcuts, so it shares no code (and no cleverness) with planner.domain.rules.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from planner.domain.models import (
    History, Injectable, Pause, Plan, Procedure, ProductUse, Session, Settings, SkinRecord,
)
from planner.domain.rules import Engine

T0 = date(2026, 3, 1)
SPAN = 70  # days of history
FLAG_POOL = ["bruising", "peeling", "pus", "warmth", "fever", "dizziness", "pustules",
             "vision-change"]


def day(n: int) -> date:
    return T0 + timedelta(days=n)


# ----------------------------------------------------------------- the oracle

def oracle_class(r: SkinRecord) -> str:
    f = set(r.flags)
    red = {"pus", "fever", "spreading-redness", "lip-tongue-throat-swelling",
           "breathing-difficulty", "vision-change", "eye-pain", "skin-blanching"}
    if f & red or ("warmth" in f and r.redness >= 3):
        return "red-flag"
    if r.redness >= 3 or r.swelling >= 3 or r.burning >= 7 or r.itch >= 7 or \
            f & {"dizziness", "faint", "extreme-discomfort"}:
        return "severe"
    if r.redness == 2 or r.swelling == 2 or r.burning in (4, 5, 6) or r.itch in (4, 5, 6) or \
            f & {"bruising", "peeling", "broken-skin", "pustules"}:
        return "moderate"
    if r.redness == 1 or r.swelling == 1 or r.burning in (1, 2, 3) or r.itch in (1, 2, 3):
        return "mild"
    return "none"


def oracle_blocking(h: History, s: Settings, D: date, today: date) -> dict[str, object]:
    """rule id -> until (date or None) for every rule but duration that blocks D."""
    out: dict[str, object] = {}

    def conflicts(d: date) -> bool:
        for x in h.sessions:
            if abs((d - x.date).days) < s.spacing_days:
                return True
        live = sorted((p for p in h.plans if p.fulfilled_by is None and p.date >= today),
                      key=lambda p: (p.date, p.id))
        own = next((p for p in live if p.date == d), None)  # a session on d carries it out
        for p in live:
            if p is not own and abs((d - p.date).days) < s.spacing_days:
                return True
        return False

    if conflicts(D):
        d = D
        while conflicts(d):
            d += timedelta(days=1)
        out["spacing"] = d
    ps = [p.date for p in h.products if 0 <= (D - p.date).days <= s.product_blackout_days]
    if ps:
        out["product-blackout"] = max(ps) + timedelta(days=s.product_blackout_days + 1)
    ps = [p.date for p in h.procedures if 0 <= (D - p.date).days < s.procedure_wait_days]
    if ps:
        out["procedure-wait"] = max(ps) + timedelta(days=s.procedure_wait_days)
    ps = [p.date for p in h.injectables if 0 <= (D - p.date).days < s.injectable_wait_days]
    if ps:
        out["injectable-wait"] = max(ps) + timedelta(days=s.injectable_wait_days)

    def skin_blocks(d: date) -> bool:
        window = [r for r in h.skin if d - timedelta(days=2) <= r.date <= d]
        if not window:
            return False
        latest = max(window, key=lambda r: (r.date, r.seq))
        return oracle_class(latest) == "moderate"

    if skin_blocks(D):
        d = D + timedelta(days=1)
        while skin_blocks(d):
            d += timedelta(days=1)
        out["skin-state"] = d
    severe = [r for r in h.skin if oracle_class(r) == "severe" and r.date <= D
              and not (r.resolved_on and r.resolved_on <= D)]
    if severe:
        out["reaction-hold"] = (None if any(r.resolved_on is None for r in severe)
                                else max(r.resolved_on for r in severe))
    red = [r for r in h.skin if oracle_class(r) == "red-flag" and r.date <= D
           and not (r.resolved_on and r.cleared_by_clinician and r.resolved_on <= D)]
    if red:
        out["medical-hold"] = (None if any(r.resolved_on is None or not r.cleared_by_clinician
                                           for r in red) else max(r.resolved_on for r in red))
    ends = [p.end for p in h.pauses if p.start <= D <= p.end]
    if ends:
        out["pause"] = max(ends) + timedelta(days=1)
    return out


def oracle_earliest(h: History, s: Settings, D: date, today: date) -> date | None:
    for i in range(400):
        d = D + timedelta(days=i)
        if not oracle_blocking(h, s, d, today):
            return d
    return None


def oracle_cap(h: History, s: Settings, D: date) -> int:
    """Clean sessions since the last reset, by replaying the definition day by day."""
    c, last = 0, None
    for n in range((D - T0).days + SPAN + 60):
        d = T0 - timedelta(days=60) + timedelta(days=n)
        if d > D:
            break
        # resets dated d (records of class >= moderate, resolved holds)
        for r in h.skin:
            if r.date == d and oracle_class(r) in ("moderate", "severe", "red-flag"):
                c = 0
            if r.resolved_on == d and oracle_class(r) in ("severe", "red-flag"):
                c = 0
        if d == D:
            break
        for x in sorted((x for x in h.sessions if x.date == d), key=lambda x: x.id):
            if last is not None and (d - last).days > 56:
                c = 0
            if x.aborted:
                c = 0
            else:
                clean = x.minutes >= 5 and not x.violations and not any(
                    x.date <= r.date <= x.date + timedelta(days=3)
                    and oracle_class(r) != "none" for r in h.skin)
                if clean:
                    c += 1
            last = d
    if last is not None and (D - last).days > 56:
        c = 0
    if c < s.starter_count:
        return 10
    return min(s.ceiling, 10 + s.ramp_step * (c - s.starter_count + 1))


# ------------------------------------------------------------- generation

offsets = st.integers(0, SPAN)


@st.composite
def histories(draw):
    n = draw(st.integers(0, 6))
    sessions = tuple(
        Session(f"s{i}", day(draw(offsets)), draw(st.integers(3, 35)), aborted=draw(st.booleans()))
        for i in range(n))
    plans = tuple(Plan(f"p{i}", day(draw(offsets)), 10) for i in range(draw(st.integers(0, 3))))
    products = tuple(ProductUse(f"u{i}", day(draw(offsets)), "retinoid")
                     for i in range(draw(st.integers(0, 3))))
    procedures = tuple(Procedure(f"c{i}", day(draw(offsets)), "laser")
                       for i in range(draw(st.integers(0, 2))))
    injectables = tuple(Injectable(f"j{i}", day(draw(offsets)), "filler")
                        for i in range(draw(st.integers(0, 2))))
    skin = []
    for i in range(draw(st.integers(0, 8))):
        d = draw(offsets)
        resolved = draw(st.one_of(st.none(), st.integers(0, 30)))
        skin.append(SkinRecord(
            f"k{i}", day(d), redness=draw(st.integers(0, 4)), swelling=draw(st.integers(0, 4)),
            itch=draw(st.integers(0, 10)), burning=draw(st.integers(0, 10)),
            flags=tuple(draw(st.lists(st.sampled_from(FLAG_POOL), max_size=2, unique=True))),
            resolved_on=None if resolved is None else day(d + resolved),
            cleared_by_clinician=draw(st.booleans()), seq=i))
    pauses = []
    for i in range(draw(st.integers(0, 2))):
        a = draw(offsets)
        pauses.append(Pause(f"z{i}", day(a), day(a + draw(st.integers(0, 10))), "travel"))
    return History(sessions=tuple(sorted(sessions, key=lambda x: x.date)), plans=plans,
                   products=products, procedures=procedures, injectables=injectables,
                   skin=tuple(sorted(skin, key=lambda r: (r.date, r.seq))), pauses=tuple(pauses))


settings_strategy = st.builds(
    Settings,
    spacing_days=st.integers(7, 10),
    product_blackout_days=st.integers(3, 5),
    procedure_wait_days=st.integers(7, 10),
    injectable_wait_days=st.integers(14, 16),
    starter_count=st.integers(3, 4),
    ramp_step=st.integers(1, 5),
    ceiling=st.integers(10, 30),
)


@settings(max_examples=400, deadline=None)
@given(histories(), settings_strategy, st.integers(0, SPAN))
def test_engine_agrees_with_oracle_on_every_date(h, s, today_offset):
    today = day(today_offset)
    eng = Engine(h, s, today)
    for n in range(0, SPAN + 20, 3):
        D = day(n)
        expected = oracle_blocking(h, s, D, today)
        got = {r.rule: r.until for r in eng.reasons(D)}
        assert got == expected, (D, got, expected)
        assert eng.earliest(D) == oracle_earliest(h, s, D, today), D
        assert eng.cap(D) == oracle_cap(h, s, D), D
        verdict = eng.check(D, 5)
        assert verdict.allowed == (not expected and oracle_cap(h, s, D) >= 5)


@settings(max_examples=200, deadline=None)
@given(histories(), settings_strategy)
def test_blocked_days_match_per_day_rules(h, s):
    """The interval sweep used by streaks equals asking the rules day by day."""
    today = day(SPAN)
    eng = Engine(h, s, today)
    flags = eng.blocked_days(day(0), day(SPAN + 10))
    for i, f in enumerate(flags):
        blocking = set(oracle_blocking(h, s, day(i), today)) - {"spacing"}
        assert bool(f) == bool(blocking), (day(i), blocking)
