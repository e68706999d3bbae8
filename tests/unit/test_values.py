"""The domain's values are frozen, typed msgspec Structs: built positionally or by keyword
with defaults, equal and hashed by fields, never assigned after construction, copied with
`replace`; records decode straight from JSON with every field checked."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain import values
from planner.domain.models import (
    Exclusion,
    Plan,
    Profile,
    Reason,
    Session,
    Settings,
    SkinRecord,
    from_doc,
    to_doc,
)
from planner.domain.vocabulary import FLAGS

T = date(2026, 1, 2)


def test_construction_positional_keyword_and_defaults():
    s = Session("s", T, 5)
    assert s == Session(id="s", date=T, minutes=5)
    assert (s.routine, s.outcome, s.note, s.logged, s.violations) == (None, "completed", "",
                                                                      0, ())
    with pytest.raises(TypeError):
        Session("s", T)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Session("s", T, 5, colour="red")  # type: ignore[call-arg]


sessions = st.builds(lambda i, d, m, o: Session(i, date(2026, 1, 1 + d), m, outcome=o),
                     st.sampled_from("ab"), st.integers(0, 2), st.integers(1, 3),
                     st.sampled_from(["completed", "aborted"]))


@given(a=sessions, b=sessions)
def test_equality_and_hash_by_fields(a, b):
    same = (a.id, a.date, a.minutes, a.outcome) == (b.id, b.date, b.minutes, b.outcome)
    assert (a == b) is same
    if same:
        assert hash(a) == hash(b)
    assert a != Plan(a.id, a.date, a.minutes)  # only values of the same class are equal


def test_assignment_and_deletion_are_refused():
    s = Session("s", T, 5)
    with pytest.raises(AttributeError):
        s.minutes = 9  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del s.id
    assert s.minutes == 5


def test_replace_builds_a_new_value_and_checks_names():
    s = Session("s", T, 5, note="n")
    w = values.replace(s, minutes=8)
    assert (w.minutes, w.note, s.minutes) == (8, "n", 5)
    with pytest.raises(TypeError):
        values.replace(s, colour="red")
    assert [f.name for f in values.fields(Reason)] == ["rule", "message", "until"]
    assert values.fields(Reason)[2].default is None


def test_skin_class_is_derived_from_the_fields():
    r = SkinRecord("r1", T, redness=2)
    assert r.cls == "moderate" and r.rank == 2
    assert values.replace(r, redness=0, flags=("pus",)).cls == "red-flag"
    assert r == SkinRecord("r1", T, redness=2)


def test_domain_records_have_match_args():
    match Session("s", T, 5):
        case Session(sid, day, minutes):
            assert (sid, day, minutes) == ("s", T, 5)


def test_to_doc_and_from_doc_round_trip():
    records = [
        Session("s", T, 5, violations=(Reason("spacing", "m", T),)),
        SkinRecord("k", T, flags=("pus", "fever"), resolved_on=T),
        Profile(pregnant=True, exclusions=(Exclusion("cheek", "mole", T),)),
        Settings(spacing_days=9, cadence_days=9),
    ]
    for r in records:
        doc = to_doc(r)
        assert msgspec.json.decode(msgspec.json.encode(doc)) == doc  # plain JSON data
        assert from_doc(type(r), doc) == r
    assert to_doc(records[1])["resolved_on"] == "2026-01-02"
    assert to_doc(records[1])["flags"] == ["pus", "fever"]


@pytest.mark.parametrize(("cls", "doc"), [
    (Session, {"id": "s", "date": "2026-01-02", "minutes": 181}),
    (Session, {"id": "s", "date": "2026-01-02", "minutes": 5, "outcome": "done"}),
    (Session, {"id": "", "date": "2026-01-02", "minutes": 5}),
    (Session, {"id": "s", "date": "2026-02-30", "minutes": 5}),
    (Session, {"id": "s", "date": "2026-01-02", "minutes": True}),
    (SkinRecord, {"id": "k", "date": "2026-01-02", "redness": 5}),
    (SkinRecord, {"id": "k", "date": "2026-01-02", "flags": ["itchy"]}),
    (Settings, {"spacing_days": 6}),
    (Profile, {"pregnant": "yes"}),
])
def test_from_doc_refuses_what_the_annotations_refuse(cls, doc):
    with pytest.raises(msgspec.ValidationError):
        from_doc(cls, doc)


def test_every_flag_word_is_accepted_and_unknown_keys_are_ignored():
    r = from_doc(SkinRecord, {"id": "k", "date": "2026-01-02", "flags": list(FLAGS),
                              "from_the_future": 1})
    assert r.flags == FLAGS
