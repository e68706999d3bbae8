"""`@frozen` must behave as `@dataclass(frozen=True)` does for the classes the domain declares.

Each check runs the same declaration through both and compares what a caller sees:
construction (positional, keyword, defaults, every kind of wrong call), equality,
hashing, repr, refusing assignment, and replace.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain import values
from planner.domain.models import Session, SkinRecord


def _pair():
    @dataclasses.dataclass(frozen=True)
    class D:
        id: str
        day: date
        minutes: int = 5
        tags: tuple[str, ...] = ()
        note: str | None = None

    @values.frozen
    class V:
        id: str
        day: date
        minutes: int = 5
        tags: tuple[str, ...] = ()
        note: str | None = None

    return D, V


D, V = _pair()
CALLS = [
    ((), {}), (("a",), {}), (("a", date(2026, 1, 2)), {}),
    (("a", date(2026, 1, 2), 7, ("x",), "n"), {}),
    (("a", date(2026, 1, 2), 7, ("x",), "n", "extra"), {}),
    ((), {"id": "a", "day": date(2026, 1, 2)}),
    (("a",), {"day": date(2026, 1, 2), "note": "n"}),
    (("a",), {"id": "b", "day": date(2026, 1, 2)}),
    (("a",), {"day": date(2026, 1, 2), "colour": "red"}),
    ((), {"minutes": 3}),
]


def _outcome(cls, args, kwargs):
    try:
        obj = cls(*args, **kwargs)
    except TypeError as e:
        # The messages differ only in the class's name.
        return ("TypeError", str(e).replace(cls.__qualname__, "C"))
    return ("ok", repr(obj).replace(cls.__qualname__, "C"))


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_matches_dataclass(args, kwargs):
    assert _outcome(V, args, kwargs) == _outcome(D, args, kwargs)


values_st = st.builds(lambda i, m, t, n: (i, date(2026, 1, 1 + m % 28), m, tuple(t), n),
                      st.sampled_from("abc"), st.integers(0, 3),
                      st.lists(st.sampled_from("xy"), max_size=2), st.none() | st.just("n"))


@given(a=values_st, b=values_st)
def test_equality_and_hash_match_dataclass(a, b):
    assert (V(*a) == V(*b)) == (D(*a) == D(*b))
    if V(*a) == V(*b):
        assert hash(V(*a)) == hash(V(*b))
    assert V(*a) != D(*a) and V(*a) != a  # only values of the same class are equal
    assert len({V(*a), V(*b)}) == len({D(*a), D(*b)})


def test_assignment_and_deletion_are_refused():
    v = V("a", date(2026, 1, 2))
    with pytest.raises(values.FrozenInstanceError):
        v.minutes = 9  # type: ignore[misc]
    with pytest.raises(values.FrozenInstanceError):
        del v.id
    assert isinstance(values.FrozenInstanceError("x"), AttributeError)
    assert v.minutes == 5


def test_replace_builds_a_new_value_and_checks_names():
    v = V("a", date(2026, 1, 2), tags=("x",))
    w = values.replace(v, minutes=8)
    assert (w.minutes, w.tags, v.minutes) == (8, ("x",), 5)
    with pytest.raises(TypeError, match="no field 'colour'"):
        values.replace(v, colour="red")
    assert [f.name for f in values.fields(V)] == ["id", "day", "minutes", "tags", "note"]
    assert values.fields(v)[2].default == 5 and values.fields(V)[0].default is values.MISSING
    with pytest.raises(TypeError):
        values.fields(object())


def test_mutable_defaults_and_misordered_fields_are_refused():
    with pytest.raises(TypeError, match="mutable default"):
        @values.frozen
        class Bad:
            items: list = []  # noqa: RUF012

    with pytest.raises(TypeError, match="without a default follows"):
        @values.frozen
        class Bad2:
            a: int = 1
            b: int


def test_cached_property_and_own_methods_survive():
    r = SkinRecord("r1", date(2026, 1, 2), redness=2)
    assert r.cls == "moderate" and r.cls is r.cls
    assert r == SkinRecord("r1", date(2026, 1, 2), redness=2)  # the cache is not a field

    @values.frozen
    class Own:
        x: int

        def __repr__(self) -> str:
            return "mine"

    assert repr(Own(1)) == "mine" and Own(1) == Own(1)


def test_domain_records_have_match_args():
    match Session("s", date(2026, 1, 2), 5):
        case Session(sid, day, minutes):
            assert (sid, day, minutes) == ("s", date(2026, 1, 2), 5)
