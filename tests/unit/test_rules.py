"""Each safety rule of SPEC §3, edge by edge."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.domain.classify import classify, is_emergency, red_flag_advice
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
from planner.domain.settings_rules import SettingsError, apply_settings

T = date(2026, 12, 1)


def d(n: int) -> date:
    return T + timedelta(days=n)


def rules_on(h: History, day: date, settings: Settings | None = None, today: date = T):
    return {r.rule: r.until for r in Engine(h, settings or Settings(), today).check(day).reasons}


def test_spacing_day_6_blocked_day_7_allowed():
    h = History(sessions=(Session("a", d(0), 10),))
    assert rules_on(h, d(6), today=d(6)) == {"spacing": d(7)}
    assert rules_on(h, d(7), today=d(7)) == {}
    assert rules_on(h, d(-6)) == {"spacing": d(7)}  # a session after the date counts too


def test_spacing_counts_live_plans_but_not_missed_ones():
    h = History(plans=(Plan("p", d(10), 10),))
    assert rules_on(h, d(5)) == {"spacing": d(10)}  # on d(10) a session carries the plan out
    assert {r.rule: r.until for r in Engine(h, Settings(), T).check(d(5), fulfil=False).reasons
            } == {"spacing": d(17)}  # a second plan must keep 7 days from it
    # on d(12) the plan on d(10) is in the past and did not happen: it does not block
    assert rules_on(h, d(13), today=d(12)) == {}


def test_spacing_until_skips_over_a_chain_of_sessions():
    h = History(sessions=(Session("a", d(0), 10),), plans=(Plan("p", d(8), 10),))
    r = Engine(h, Settings(), T).spacing(d(3))
    assert r is not None and r.until == d(8)  # d(7) is 1 day before the plan; d(8) is its day
    r = Engine(h, Settings(), T).spacing(d(3), fulfil=False)
    assert r is not None and r.until == d(15)


def test_check_excludes_the_plan_being_checked():
    plan = Plan("p", d(3), 10)
    eng = Engine(History(plans=(plan,)), Settings(), T)
    assert eng.plan_verdict(plan).allowed
    assert eng.check(d(3)).allowed  # a session that day carries the plan out
    assert not eng.check(d(3), fulfil=False).allowed  # a second plan that day does not
    assert not eng.check(d(4)).allowed


def test_product_blackout_p3_blocked_p4_allowed():
    h = History(products=(ProductUse("u", d(0), "retinoid"),))
    assert rules_on(h, d(0)) == {"product-blackout": d(4)}
    assert rules_on(h, d(3)) == {"product-blackout": d(4)}
    assert rules_on(h, d(4)) == {}
    assert rules_on(h, d(-1)) == {}  # a product after the date does not block it


def test_stricter_blackout_setting_extends_it():
    h = History(products=(ProductUse("u", d(0), "home-peel"),))
    s = Settings(product_blackout_days=5)
    assert rules_on(h, d(5), s) == {"product-blackout": d(6)}
    assert rules_on(h, d(6), s) == {}


def test_procedure_wait_p6_blocked_p7_allowed():
    h = History(procedures=(Procedure("c", d(0), "laser"),))
    assert rules_on(h, d(6)) == {"procedure-wait": d(7)}
    assert rules_on(h, d(7)) == {}


def test_injectable_wait_i13_blocked_i14_allowed():
    h = History(injectables=(Injectable("j", d(0), "botulinum-toxin"),))
    assert rules_on(h, d(13)) == {"injectable-wait": d(14)}
    assert rules_on(h, d(14)) == {}


def test_skin_state_moderate_blocks_three_days():
    h = History(skin=(SkinRecord("k", d(0), redness=2),))
    for n in (0, 1, 2):
        assert rules_on(h, d(n)) == {"skin-state": d(3)}
    assert rules_on(h, d(3)) == {}


def test_skin_state_lifted_by_a_newer_calm_record():
    h = History(skin=(SkinRecord("k", d(0), redness=2, seq=0),
                      SkinRecord("m", d(1), redness=1, seq=1)))
    assert rules_on(h, d(0)) == {"skin-state": d(1)}
    assert rules_on(h, d(1)) == {}


def test_skin_state_same_day_uses_entry_order():
    calm_later = History(skin=(SkinRecord("k", d(0), redness=2, seq=0),
                               SkinRecord("m", d(0), seq=1)))
    assert rules_on(calm_later, d(0)) == {}
    worse_later = History(skin=(SkinRecord("m", d(0), seq=0),
                                SkinRecord("k", d(0), redness=2, seq=1)))
    assert rules_on(worse_later, d(0)) == {"skin-state": d(3)}


def test_reaction_hold_until_resolved():
    open_ = History(skin=(SkinRecord("k", d(0), redness=3),))
    eng = Engine(open_, Settings(), T)
    assert rules_on(open_, d(30)) == {"reaction-hold": None}
    assert eng.earliest(d(0)) is None
    assert eng.check(d(0)).earliest is None
    resolved = History(skin=(SkinRecord("k", d(0), redness=3, resolved_on=d(4)),))
    assert rules_on(resolved, d(3)) == {"reaction-hold": d(4)}
    assert rules_on(resolved, d(4)) == {}


def test_medical_hold_needs_clinician_clearance():
    not_cleared = History(skin=(SkinRecord("k", d(0), flags=("pus",), resolved_on=d(2)),))
    assert rules_on(not_cleared, d(10)) == {"medical-hold": None}
    cleared = History(skin=(SkinRecord("k", d(0), flags=("pus",), resolved_on=d(2),
                                       cleared_by_clinician=True),))
    assert rules_on(cleared, d(1)) == {"medical-hold": d(2), "skin-state": d(3)}
    assert rules_on(cleared, d(2)) == {"skin-state": d(3)}  # a resolved one still settles
    assert rules_on(cleared, d(3)) == {}


def test_pause_blocks_inclusive_range():
    h = History(pauses=(Pause("z", d(2), d(5), "travel"),))
    assert rules_on(h, d(1)) == {}
    assert rules_on(h, d(2)) == {"pause": d(6)}
    assert rules_on(h, d(5)) == {"pause": d(6)}
    assert rules_on(h, d(6)) == {}


def test_earliest_jumps_across_several_rules():
    h = History(products=(ProductUse("u", d(0), "scrub"),),
                pauses=(Pause("z", d(4), d(6), "illness"),),
                sessions=(Session("s", d(-3), 10),))
    v = Engine(h, Settings(), T).check(d(0))
    assert {r.rule for r in v.reasons} == {"spacing", "product-blackout"}
    assert v.earliest == d(7)


def test_duration_bounds_and_every_reason_listed():
    eng = Engine(History(products=(ProductUse("u", d(0), "retinoid"),)), Settings(), T)
    v = eng.check(d(0), minutes=4)
    assert [r.rule for r in v.reasons] == ["duration", "product-blackout"]
    assert v.max_minutes == 10 and v.min_minutes == 5
    assert Engine(History(), Settings(), T).check(T, 10).allowed
    assert not Engine(History(), Settings(), T).check(T, 11).allowed
    assert Engine(History(), Settings(), T).check(T, 11).earliest == T


# ------------------------------------------------------------------ the ramp

def clean_sessions(n: int, gap: int = 7, minutes: int = 10):
    return tuple(Session(f"s{i}", d(i * gap), minutes) for i in range(n))


def test_ramp_sequence_10_10_10_15_20_25_30_30():
    caps = []
    for i in range(8):
        eng = Engine(History(sessions=clean_sessions(i)), Settings(), d(i * 7))
        caps.append(eng.cap(d(i * 7)))
    assert caps == [10, 10, 10, 15, 20, 25, 30, 30]


def test_ramp_respects_stricter_settings():
    s = Settings(starter_count=4, ramp_step=2, ceiling=14)
    caps = [Engine(History(sessions=clean_sessions(i)), s, d(i * 7)).cap(d(i * 7))
            for i in range(8)]
    assert caps == [10, 10, 10, 10, 12, 14, 14, 14]


@pytest.mark.parametrize("reset", ["aborted", "moderate", "resolved", "gap"])
def test_ramp_resets(reset):
    sessions = list(clean_sessions(5))  # cap would be 25 on d(35)
    skin = []
    when = d(35)
    if reset == "aborted":
        sessions.append(Session("x", d(35), 6, outcome="aborted"))
        when = d(42)
    elif reset == "moderate":
        skin.append(SkinRecord("k", d(33), swelling=2))
    elif reset == "resolved":
        skin.append(SkinRecord("k", d(29), itch=8, resolved_on=d(34)))
    else:
        when = d(28 + 57)
    eng = Engine(History(sessions=tuple(sessions), skin=tuple(skin)), Settings(), when)
    assert Engine(History(sessions=clean_sessions(5)), Settings(), d(35)).cap(d(35)) == 25
    assert eng.cap(when) == 10


def test_exactly_56_days_keeps_the_ramp():
    eng = Engine(History(sessions=clean_sessions(5)), Settings(), d(28 + 56))
    assert eng.cap(d(28 + 56)) == 25
    later = Engine(History(sessions=clean_sessions(5)), Settings(), d(28 + 57))
    assert later.cap(d(28 + 57)) == 10


def test_mild_reaction_within_three_days_makes_a_session_unclean():
    sessions = clean_sessions(4)
    assert Engine(History(sessions=sessions), Settings(), d(28)).cap(d(28)) == 20
    mild_after = History(sessions=sessions, skin=(SkinRecord("k", d(21 + 3), itch=1),))
    assert Engine(mild_after, Settings(), d(28)).cap(d(28)) == 15  # one fewer clean
    mild_later = History(sessions=sessions, skin=(SkinRecord("k", d(21 + 4), itch=1),))
    assert Engine(mild_later, Settings(), d(28)).cap(d(28)) == 20


def test_short_or_violating_sessions_are_not_clean():
    short = tuple(Session(f"s{i}", d(i * 7), 4) for i in range(4))
    assert Engine(History(sessions=short), Settings(), d(28)).cap(d(28)) == 10


# --------------------------------------------------------- logging the past

def test_logged_session_violations_are_judged_against_what_happened():
    def violations(outcome):
        h = History(sessions=(Session("a", d(-3), 10, logged=1),
                              Session("s", T, 25, outcome=outcome, logged=3)),
                    plans=(Plan("p", d(2), 10),),
                    products=(ProductUse("u", d(-1), "retinoid", logged=2),))
        return Engine(h, Settings(), T).violations_of("s")
    v = violations("completed")
    assert [r.rule for r in v] == ["spacing", "duration", "product-blackout"]
    for short in ("partial", "aborted"):  # only a completed session can break the cap
        assert [r.rule for r in violations(short)] == ["spacing", "product-blackout"]
    assert all(r.rule != "spacing" or "planned" not in r.message for r in v)


def test_plan_becomes_blocked_by_a_later_product():
    plan = Plan("p", d(5), 10)
    before = Engine(History(plans=(plan,)), Settings(), T)
    after = Engine(History(plans=(plan,), products=(ProductUse("u", d(3), "acid-exfoliant"),)),
                   Settings(), T)
    assert before.plan_verdict(plan).allowed
    v = after.plan_verdict(plan)
    assert not v.allowed and v.reasons[0].rule == "product-blackout" and v.earliest == d(7)


# ------------------------------------------------------------------ classes

@pytest.mark.parametrize("kw,cls", [
    ({}, "none"),
    ({"redness": 1}, "mild"), ({"itch": 3}, "mild"), ({"burning": 1}, "mild"),
    ({"redness": 2}, "moderate"), ({"burning": 4}, "moderate"), ({"itch": 6}, "moderate"),
    ({"flags": ("peeling",)}, "moderate"), ({"flags": ("bruising",)}, "moderate"),
    ({"redness": 3}, "severe"), ({"swelling": 4}, "severe"), ({"burning": 7}, "severe"),
    ({"flags": ("dizziness",)}, "severe"), ({"flags": ("warmth",), "redness": 2}, "moderate"),
    ({"flags": ("warmth",), "redness": 3}, "red-flag"), ({"flags": ("pus",)}, "red-flag"),
    ({"flags": ("skin-blanching",)}, "red-flag"),
])
def test_classes(kw, cls):
    assert classify(SkinRecord("k", T, **kw)) == cls


def test_red_flag_advice_puts_emergencies_first_and_never_suggests_a_point():
    assert is_emergency(("breathing-difficulty",))
    assert is_emergency(("faint", "fever"))
    assert not is_emergency(("fever",))
    emergency = red_flag_advice(("lip-tongue-throat-swelling", "pus"))
    assert "emergency" in emergency[0].lower() and len(emergency) == 2
    clinician = red_flag_advice(("pus",))
    assert clinician and "clinician" in clinician[0].lower()
    for text in emergency + clinician:
        assert "press" not in text.lower() and "point" not in text.lower()


# ----------------------------------------------------------------- settings

def test_settings_only_stricter():
    with pytest.raises(SettingsError, match="7–28"):
        apply_settings(Settings(), {"spacing_days": 5})
    with pytest.raises(SettingsError, match="3–7"):
        apply_settings(Settings(), {"product_blackout_days": 2})
    with pytest.raises(SettingsError, match="10–30"):
        apply_settings(Settings(), {"ceiling": 40})
    with pytest.raises(SettingsError, match="cadence"):
        apply_settings(Settings(), {"spacing_days": 10})  # cadence 7 would be below spacing
    s = apply_settings(Settings(), {"spacing_days": 10, "cadence_days": 14})
    assert (s.spacing_days, s.cadence_days) == (10, 14)


def test_a_session_on_a_plans_day_carries_it_out_but_a_second_plan_conflicts():
    h = History(plans=(Plan("p", T, 10),))
    eng = Engine(h, Settings(), T)
    assert eng.check(T, 10).allowed  # starting today's planned session
    assert not eng.check(d(3)).allowed  # another day near the plan
    second = eng.check(T, 10, fulfil=False)  # planning the same day again
    assert [r.rule for r in second.reasons] == ["spacing"] and second.earliest == d(7)
