"""The speed-ups must not change a single answer, shown through public calls only:

- the journal's shape check passes exactly the tables its rules allow, checked against
  those rules written out one document at a time (the check itself looks at a whole
  table at once);
- an engine moved to another day answers as one built for that day;
- the stored Today view is the view.

The score and the check-in streaks, once compared here with copies of the code they
replaced, are held against SPEC §4 instead (test_score_loop.py, test_rules_oracle.py).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_support import generator  # noqa: E402

DIGITS = set("0123456789")


def shape_allows(table: dict, need_ids: bool) -> bool:
    """check_tables' rules, a document at a time: keys are TinyDB ids (ASCII digits), each
    document an object, and with `need_ids` each has a string id no other one has."""
    ids: set[str] = set()
    for key, doc in table.items():
        if not (isinstance(key, str) and key and set(key) <= DIGITS):
            return False
        if not isinstance(doc, dict):
            return False
        if need_ids:
            rid = doc.get("id")
            if not isinstance(rid, str) or not rid or rid in ids:
                return False
            ids.add(rid)
    return True


near_valid_doc = st.fixed_dictionaries({"id": st.sampled_from(["a", "b", "c", "", 1])},
                                       optional={"date": st.none() | st.integers(0, 2)})
odd_doc = st.one_of(  # anything but an object, or an object with no id
    st.none(), st.integers(0, 2), st.text(max_size=2), st.lists(st.integers(), max_size=1),
    st.dictionaries(st.sampled_from(["date", "note"]), st.none() | st.integers(0, 2),
                    max_size=2))
odd_key = st.sampled_from(["", "x", "0١", "-1", "1.0", " 1"])


@st.composite
def tables(draw):
    """A table of documents with ids from a few values (so two often share one, or one is
    not a usable id), then perhaps one wrong key or one document that is no object."""
    keys = draw(st.lists(st.integers(1, 12).map(str), max_size=5, unique=True))
    table = {k: draw(near_valid_doc) for k in keys}
    if keys and draw(st.booleans()):
        k = draw(st.sampled_from(keys))
        if draw(st.booleans()):
            table[draw(odd_key)] = table.pop(k)
        else:
            table[k] = draw(odd_doc)
    return table


@given(table=tables(), need_ids=st.booleans())
def test_the_shape_check_passes_exactly_what_its_rules_allow(table, need_ids):
    from planner.store import reader

    try:
        reader.check_tables({"t": table}, need_ids=need_ids)
        passed = True
    except reader.BadJournal as e:
        passed = False
        assert e.reason.startswith("wrong shape: ") and "'t'" in e.reason, e.reason
    assert passed == shape_allows(table, need_ids)


def test_the_shape_check_passes_a_generated_journal():
    from planner.store import reader

    tables = generator().make_tables(2, seed=5)
    raw = {name: {str(i + 1): doc for i, doc in enumerate(docs)} for name, docs in tables.items()}
    assert sum(map(len, raw.values())) > 500
    assert all(shape_allows(t, True) for t in raw.values())
    reader.check_tables(raw, need_ids=True)


def test_an_engine_moved_to_another_day_answers_as_one_built_for_it():
    from planner.domain.rules import Engine
    from planner.domain.streaks import compute_streaks
    from planner.service.tables import state_from

    tables = generator().make_tables(2, seed=11)
    st_ = state_from(lambda t: tables.get(t, []))
    base = Engine(st_.history, st_.settings, date(2026, 11, 20))
    base.cap(date(2026, 11, 20)), base.check(date(2026, 11, 20))  # fill its lazy indexes
    for n in range(0, 40, 3):
        day = date(2026, 11, 20) + timedelta(days=n)
        moved, fresh = base.on(day), Engine(st_.history, st_.settings, day)
        for k in range(-3, 12):
            d = day + timedelta(days=k)
            assert moved.check(d) == fresh.check(d), (day, d)
        assert moved.earliest(day) == fresh.earliest(day)
        assert (compute_streaks(st_.history, st_.settings, day, moved)
                == compute_streaks(st_.history, st_.settings, day, fresh))
    assert base.today == date(2026, 11, 20)  # the original is left as it was


def test_the_stored_today_view_is_the_view(tmp_path):
    import json

    import msgspec

    from planner.service.planner import Planner, TodayView
    from planner.store.journal import Journal

    tables = generator().make_tables(2, seed=21)
    raw = {name: {str(i + 1): doc for i, doc in enumerate(docs)} for name, docs in tables.items()}
    path = tmp_path / "j.json"
    path.write_text(json.dumps(raw))
    base = Planner(Journal(path), date(2026, 11, 1))
    seen = set()
    for n in range(0, 60, 2):
        view = base.on(date(2026, 11, 1) + timedelta(days=n)).today_view()
        data = msgspec.json.encode(view)  # through JSON and typed back, as the cache is
        assert msgspec.json.decode(data, type=TodayView) == view
        seen.add((view.verdict.allowed, view.next_plan is None, view.earliest_cap is None))
    assert len(seen) >= 3  # allowed and blocked days, with and without a plan ahead
