"""The pure parts of the session start (SPEC §7, §8): skin-check exclusions, preferred
days and time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.models import Exclusion, Profile
from planner.domain.session_prep import (
    WEEKDAYS,
    is_preferred,
    next_preferred,
    parse_time,
    parse_weekdays,
    skin_check_profile,
)

DAY = date(2026, 12, 4)  # a Friday


def test_a_skin_check_zone_is_excluded_that_day_only():
    p = skin_check_profile(Profile(), DAY, {"cheek": "sunburn"})
    assert p.exclusions == (Exclusion("cheek", "sunburn", DAY),)
    assert p.exclusions[0].active_on(DAY)
    assert not p.exclusions[0].active_on(DAY + timedelta(days=1))


def test_a_longer_exclusion_already_there_is_kept_and_a_shorter_one_replaced():
    mole = Exclusion("cheek", "mole")
    short = Exclusion("jaw", "active-cyst", DAY)
    p = skin_check_profile(Profile(exclusions=(mole, short)), DAY,
                           {"cheek": "inflamed", "jaw": "inflamed"}, until=DAY + timedelta(3))
    assert mole in p.exclusions  # open-ended: stricter than the skin check's
    assert Exclusion("jaw", "inflamed", DAY + timedelta(3)) in p.exclusions
    assert short not in p.exclusions and len(p.exclusions) == 2


@pytest.mark.parametrize("skipped,word", [({"elbow": "inflamed"}, "elbow"),
                                          ({"cheek": "acne"}, "acne")])
def test_unknown_zone_or_reason_is_refused(skipped, word):
    with pytest.raises(ValueError, match=word):
        skin_check_profile(Profile(), DAY, skipped)


def test_until_before_the_day_is_refused():
    with pytest.raises(ValueError, match="before"):
        skin_check_profile(Profile(), DAY, {"cheek": "sunburn"}, until=DAY - timedelta(1))


@pytest.mark.parametrize("text,days", [
    ("sat,sun", ("sat", "sun")), ("Sunday, saturday", ("sat", "sun")),
    ("mon tue", ("mon", "tue")), ("", ()), ("none", ()), ("fri,fri", ("fri",)),
])
def test_parse_weekdays(text, days):
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text", ["sa", "funday", "weekend", "sat;sun"])
def test_parse_weekdays_refuses(text):
    with pytest.raises(ValueError, match="accepted"):
        parse_weekdays(text)


@pytest.mark.parametrize("text,value", [("19:00", "19:00"), ("7:05", "07:05"),
                                        ("none", None), ("", None), ("23:59", "23:59")])
def test_parse_time(text, value):
    assert parse_time(text) == value


@pytest.mark.parametrize("text", ["24:00", "7pm", "19.00", "19:60", "1900"])
def test_parse_time_refuses(text):
    with pytest.raises(ValueError, match="HH:MM"):
        parse_time(text)


@given(st.sets(st.sampled_from(WEEKDAYS)), st.integers(0, 3000))
def test_next_preferred_is_the_first_preferred_day_on_or_after(days, offset):
    start = date(2020, 1, 1) + timedelta(days=offset)
    found = next_preferred(start, days)
    assert is_preferred(found, days)
    assert all(not is_preferred(start + timedelta(i), days)
               for i in range((found - start).days))
    assert (found - start).days < 7
