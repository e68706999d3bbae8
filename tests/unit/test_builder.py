"""The routine builder and the profile filter (SPEC §5)."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.builder import (
    PREGNANCY_AVOIDED,
    Dropped,
    build_routine,
    filter_routine_for_profile,
)
from planner.domain.models import Exclusion, Profile
from planner.domain.routine import Point, routine_zone
from planner.domain.values import replace
from planner.domain.vocabulary import CONCERNS, FORBIDDEN_ZONES, TECHNIQUES
from planner.library import Library, load_library, routine_to_toml, validate_routine_doc

LIBRARY = load_library()
TODAY = date(2025, 3, 10)
FACE_ZONES = ("forehead", "brow", "temple", "under-eye", "cheek", "nose", "mouth-corner", "chin",
              "jaw", "ear", "neck")

profiles = st.builds(
    Profile, pregnant=st.booleans(), anticoagulants=st.booleans(), rosacea=st.booleans(),
    sensitive_skin=st.booleans(), eczema=st.booleans(),
    exclusions=st.lists(st.builds(Exclusion, st.sampled_from(FACE_ZONES), st.just("mole"),
                                  st.none() | st.dates(date(2025, 3, 1), date(2025, 3, 20))),
                        max_size=3).map(tuple))
requests = st.tuples(st.lists(st.sampled_from(CONCERNS), max_size=3),
                     st.lists(st.sampled_from(TECHNIQUES), max_size=2),
                     st.integers(0, 40), st.integers(0, 40), profiles)


def build(concerns=(), techniques=(), minutes=10, cap=10, profile=None, today=TODAY, **kw):
    return build_routine(LIBRARY, concerns, techniques, minutes, cap, profile or Profile(), today,
                         **kw)


def zones(routine):
    return [routine_zone(s, LIBRARY.points) for s in routine.steps]


@given(requests)
def test_built_routines_keep_every_rule(request):
    concerns, techniques, minutes, cap, profile = request
    result = build(concerns, techniques, minutes, cap, profile)
    again = build(list(reversed(concerns)), list(reversed(techniques)), minutes, cap, profile)
    assert again == result  # deterministic, whatever the order of the words
    routine = result.routine
    if min(minutes, cap) < 5:
        assert routine is None and result.notes
        return
    if minutes > cap:
        assert any(f"cap is {cap}" in n for n in result.notes)
    if routine is None:
        assert any("not enough safe steps" in n for n in result.notes)
        return
    assert 300 <= routine.total_seconds <= min(minutes, cap) * 60
    assert routine.minutes <= min(minutes, cap)
    assert set(routine.techniques) <= set(techniques or TECHNIQUES)
    excluded = {e.zone for e in profile.exclusions if e.active_on(TODAY)}
    for step, zone in zip(routine.steps, zones(routine)):
        assert zone not in FORBIDDEN_ZONES and zone not in excluded
        if profile.pregnant:
            assert step.point not in PREGNANCY_AVOIDED
        if profile.light_pressure_only and step.technique == "gua-sha":
            assert step.pressure == "light"
    keys = [(s.technique, s.point, s.zone, s.side) for s in routine.steps]
    assert len(keys) == len(set(keys))
    back, issues = validate_routine_doc(tomllib.loads(routine_to_toml(routine)), "b",
                                        LIBRARY.points)
    assert issues == [] and back == routine


@pytest.mark.parametrize("minutes, cap", [(m, c) for m in (5, 7, 10, 15, 20, 25, 30)
                                          for c in (5, 10, 15, 20, 30)])
def test_cap_is_never_exceeded(minutes, cap):
    routine = build(minutes=minutes, cap=cap).routine
    assert routine is not None and routine.minutes <= min(minutes, cap)


def test_too_short_requests_give_no_routine():
    low_cap = build(minutes=10, cap=4)
    assert low_cap.routine is None and "5-minute minimum" in low_cap.notes[0]
    low_ask = build(minutes=3, cap=10)
    assert low_ask.routine is None and "at least 5 minutes" in low_ask.notes[0]


def test_asking_above_the_cap_uses_the_cap_and_says_so():
    result = build(minutes=25, cap=10)
    assert result.routine.minutes <= 10
    assert "asked for 25 minutes; today's cap is 10" in result.notes[0]


def test_pregnancy_drops_li4_and_sp6_with_the_reason():
    result = build(["stress", "headache"], ["acupressure"], 30, 30, Profile(pregnant=True))
    assert Dropped("LI4 (Hegu)", "traditionally avoided in pregnancy") in result.dropped
    assert Dropped("SP6 (Sanyinjiao)", "traditionally avoided in pregnancy") in result.dropped
    assert {s.point for s in result.routine.steps}.isdisjoint(PREGNANCY_AVOIDED)
    not_pregnant = build(["stress", "headache"], ["acupressure"], 30, 30)
    assert {"LI4", "SP6"} <= {s.point for s in not_pregnant.routine.steps}
    assert not_pregnant.dropped == []


def test_pregnancy_codes_are_dropped_even_without_the_catalog_flag():
    points = dict(LIBRARY.points)
    points["LI4"] = replace(points["LI4"], avoid_in=(), cautions=())
    points["GB21"] = Point("GB21", "Jianjing", "Shoulder Well", "neck", "top of the shoulder", "x")
    desk = LIBRARY.routines["desk-break-headache"]
    desk = replace(desk, steps=desk.steps + (replace(desk.steps[2], point="GB21"),))
    library = Library(points, {desk.id: desk}, [])
    result = build_routine(library, ["headache"], ["acupressure"], 10, 10,
                           Profile(pregnant=True), TODAY)
    assert [d.what for d in result.dropped] == ["LI4 (Hegu)", "GB21 (Jianjing)"]
    assert all(d.reason == "traditionally avoided in pregnancy" for d in result.dropped)


def test_excluded_zone_is_dropped_until_the_end_date():
    until = TODAY + timedelta(days=3)
    profile = Profile(exclusions=(Exclusion("cheek", "active-cyst", until),))
    for day, active in ((TODAY, True), (until, True), (until + timedelta(days=1), False)):
        result = build(["puffiness"], ["gua-sha"], 10, 10, profile, day)
        assert ("cheek" not in zones(result.routine)) == active
        why = ("cheek left out for the day: active cyst" if day == until
               else f"cheek excluded: active cyst until {until}")
        expected = Dropped("gua sha on the cheek", why, "excluded-zone")
        assert (expected in result.dropped) == active


def test_excluding_a_zone_drops_its_points_too():
    profile = Profile(exclusions=(Exclusion("neck", "mole"),))
    result = build(["headache"], ["acupressure"], 15, 15, profile)
    assert "GB20" not in {s.point for s in result.routine.steps}
    assert Dropped("GB20 (Fengchi)", "neck excluded: mole", "excluded-zone") in result.dropped


def test_light_pressure_only_keeps_gua_sha_light():
    profile = Profile(anticoagulants=True)
    jaw = LIBRARY.routines["jaw-and-neck-gua-sha"]
    assert jaw.steps[0].pressure == "medium"
    filtered, dropped = filter_routine_for_profile(jaw, profile, TODAY, LIBRARY.points)
    assert dropped == [] and all(s.pressure == "light" for s in filtered.steps)
    library = Library(LIBRARY.points, {jaw.id: jaw}, [])
    result = build_routine(library, ["jaw-tension"], ["gua-sha"], 10, 10, profile, TODAY)
    assert all(s.pressure == "light" for s in result.routine.steps)
    assert "gua sha kept at light pressure (anticoagulants)" in result.notes
    usual = build_routine(library, ["jaw-tension"], ["gua-sha"], 10, 10, Profile(), TODAY)
    assert usual.routine.steps[0].pressure == "medium"


def test_firm_acupressure_is_not_changed_by_light_pressure_only():
    result = build(["headache"], ["acupressure"], 10, 10, Profile(bleeding_disorder=True))
    assert "firm" in {s.pressure for s in result.routine.steps}
    assert not any("light pressure" in n for n in result.notes)


def test_same_inputs_same_routine():
    profile = Profile(pregnant=True, exclusions=(Exclusion("jaw", "wart"),))
    first = build(["puffiness", "stress"], [], 20, 15, profile)
    assert first == build(("stress", "puffiness", "stress"), (), 20, 15, profile)
    assert first.routine.id.startswith("built-")
    assert first.routine.id == build(["puffiness", "stress"], [], 20, 15, profile).routine.id
    assert first.routine.id != build(["puffiness"], [], 20, 15, profile).routine.id


def test_steps_come_in_a_safe_order():
    routine = build([], [], 25, 25).routine
    techniques = [s.technique for s in routine.steps]
    assert techniques == sorted(techniques, key=["acupressure", "gua-sha", "jade-rolling"].index)
    for technique in ("gua-sha", "jade-rolling"):
        assert [s for s in routine.steps if s.technique == technique][0].zone == "neck"


def test_not_enough_safe_steps_is_said_plainly():
    everything = tuple(Exclusion(z, "inflamed") for z in FACE_ZONES)
    result = build(["puffiness"], ["jade-rolling"], 10, 10, Profile(exclusions=everything))
    assert result.routine is None
    assert "not enough safe steps for puffiness with jade rolling" in result.notes[-1]
    assert result.dropped


def test_short_pools_are_padded_by_repeating_steps():
    points = LIBRARY.points
    roll = LIBRARY.routines["morning-depuff-roll"]
    library = Library(points, {roll.id: roll}, [])
    profile = Profile(exclusions=(Exclusion("cheek", "scar"),))
    result = build_routine(library, ["puffiness"], ["jade-rolling"], 10, 10, profile, TODAY)
    assert result.routine.total_seconds >= 300
    assert max(s.repetitions for s in result.routine.steps) == 2


def test_names_become_slugs_and_never_shadow_shipped_ids():
    assert build(name="My Calm Face").routine.id == "my-calm-face"
    assert build(name="My Calm Face").routine.name == "My Calm Face"
    shadow = build(name="Morning depuff roll").routine.id
    assert shadow.startswith("morning-depuff-roll-") and shadow not in LIBRARY.routines
    assert build(name="🌿🌿").routine.id.startswith("built-")


def test_built_routine_is_a_user_routine_saying_uses_are_traditional():
    routine = build(["dullness"], ["gua-sha"], 10, 10).routine
    assert routine.source == "user" and not routine.starter
    assert "traditional, not proven" in routine.summary and "oil" in routine.summary


def test_unknown_words_are_refused():
    with pytest.raises(ValueError, match="unknown technique 'acupuncture'"):
        build(techniques=["acupuncture"])
    with pytest.raises(ValueError, match="unknown concern"):
        build(concerns=["wrinkles"])


def test_filter_for_profile_drops_points_and_keeps_the_rest():
    calm = LIBRARY.routines["calm-evening-points"]
    filtered, dropped = filter_routine_for_profile(calm, Profile(pregnant=True), TODAY,
                                                   LIBRARY.points)
    assert [d.what for d in dropped] == ["LI4 (Hegu)", "SP6 (Sanyinjiao)"]
    assert [s.point for s in filtered.steps] == ["EX-HN3", "GB20", "EX-HN5"]
    same, none = filter_routine_for_profile(calm, Profile(), TODAY, LIBRARY.points)
    assert same == calm and none == []


def test_filter_updates_techniques_when_a_technique_is_gone():
    mixed = LIBRARY.routines["depuff-points-and-roll"]
    profile = Profile(exclusions=tuple(Exclusion(z, "sunburn")
                                       for z in ("neck", "cheek", "under-eye")))
    filtered, dropped = filter_routine_for_profile(mixed, profile, TODAY, LIBRARY.points)
    assert filtered.techniques == ("acupressure",)
    assert {d.what for d in dropped} == {
        "ST2 (Sibai)", "ST3 (Juliao)", "jade rolling on the neck", "jade rolling on the cheek",
        "jade rolling on the under-eye"}
