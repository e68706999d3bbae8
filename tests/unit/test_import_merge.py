"""An import over a first run's answers never loosens them (settings, profile)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.models import RANGES, Exclusion, Profile, Settings
from planner.domain.profile_questions import cautious_union
from planner.domain.settings_rules import STRICTER, stricter_of


@st.composite
def settings(draw) -> Settings:
    values = {n: draw(st.integers(r.low, r.high)) for n, r in RANGES.items()}
    values["cadence_days"] = max(values["cadence_days"], values["spacing_days"])
    return Settings(**values)


@given(settings(), settings())
def test_each_safety_value_is_at_least_as_strict_as_both(a, b):
    m = stricter_of(a, b)
    for name, pick in STRICTER.items():
        assert getattr(m, name) == pick(getattr(a, name), getattr(b, name))
    assert m.cadence_days >= m.spacing_days and m.grace_days == b.grace_days


def test_stricter_of_defaults_and_theirs_is_theirs():
    theirs = Settings(spacing_days=9, ceiling=20, ramp_step=2, cadence_days=12, theme="x")
    assert stricter_of(Settings(), theirs) == theirs


@given(st.fixed_dictionaries({f: st.booleans() for f in ("pregnant", "rosacea", "eczema")}),
       st.fixed_dictionaries({f: st.booleans() for f in ("pregnant", "rosacea", "eczema")}))
def test_a_caution_either_gives_stays(a, b):
    m = cautious_union(Profile(**a), Profile(**b))
    assert all(getattr(m, f) == (a[f] or b[f]) for f in a)


def test_excluded_zones_of_both_stay_with_the_later_end():
    a = Profile(exclusions=(Exclusion("cheek", "mole"), Exclusion("jaw", "scar",
                                                                   date(2027, 1, 1))))
    b = Profile(exclusions=(Exclusion("cheek", "wart", date(2026, 12, 9)),
                            Exclusion("jaw", "scar", date(2027, 3, 1))),
                preferred_days=("sat",))
    m = cautious_union(a, b)
    assert set(m.exclusions) == {Exclusion("cheek", "mole"),
                                 Exclusion("jaw", "scar", date(2027, 3, 1))}
    assert m.preferred_days == ("sat",)
