"""The speed-ups must not change a single answer.

- `from_doc` builds the same records as the plain dataclass constructor;
- the rule engine's once-per-record class ranks equal the records' own, and its
  blocked-day map is the one the record-by-record version gave.
"""

from __future__ import annotations

import sys
from planner.domain.values import fields
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_support import generator  # noqa: E402

from planner.domain import models  # noqa: E402
from planner.domain.models import Exclusion, Reason, parse_iso  # noqa: E402
from planner.service.tables import SINGLES, TABLES  # noqa: E402


def original_from_doc(cls, doc):  # models.from_doc as it was, verbatim
    kwargs = {}
    names = {f.name: f for f in fields(cls)}
    for k, v in doc.items():
        if k not in names:
            continue
        if k in models._DATE_FIELDS and isinstance(v, str):
            v = date.fromisoformat(v)
        elif k == "violations":
            v = tuple(Reason.from_json(r) for r in v or ())
        elif k == "exclusions":
            v = tuple(Exclusion(e["zone"], e["reason"], parse_iso(e.get("until")))
                      for e in v or ())
        elif isinstance(v, list):
            v = tuple(v)
        kwargs[k] = v
    return cls(**kwargs)


def _result(f, cls, doc):
    try:
        r = f(cls, doc)
    except Exception as e:  # noqa: BLE001 - the same failure is part of "the same"
        return ("error", type(e), str(e))
    return ("ok", repr(r), r, tuple(type(getattr(r, f.name)) for f in fields(cls)))


def test_from_doc_builds_the_same_records_as_the_constructor():
    tables = generator().make_tables(2, seed=3)
    n = 0
    for table, cls in {**TABLES, **SINGLES}.items():
        for doc in tables.get(table, []):
            variants = [doc, {**doc, "unknown": [1, 2]}, {k: v for k, v in doc.items() if k != "id"},
                        {**doc, "note": ["a", "list"]}, {**doc, "date": None},
                        {**doc, "date": "2026-02-30"}, {**doc, "date": ["2026-01-01"]}]
            for d in variants:
                a, b = _result(models.from_doc, cls, d), _result(original_from_doc, cls, d)
                assert a[:2] == b[:2] and a[2:] == b[2:] if a[0] == "ok" else a == b, (table, d)
                n += 1
    assert n > 1000


@settings(max_examples=200, deadline=None)
@given(doc=st.dictionaries(st.sampled_from(["id", "date", "kind", "redness", "flags",
                                            "violations", "exclusions", "start", "end",
                                            "resolved_on", "until", "x"]),
                           st.none() | st.integers(-3, 3) | st.text(max_size=3)
                           | st.sampled_from(["2026-01-01", "2026-13-01"])
                           | st.lists(st.text(max_size=2), max_size=2), max_size=8),
       cls=st.sampled_from([*TABLES.values(), *SINGLES.values()]))
def test_from_doc_on_arbitrary_docs(doc, cls):
    a, b = _result(models.from_doc, cls, doc), _result(original_from_doc, cls, doc)
    assert (a[:2] == b[:2] and a[3:] == b[3:]) if a[0] == "ok" else a == b


def test_engine_ranks_equal_the_records_own():
    from planner.domain.rules import Engine
    from planner.service.tables import state_from

    tables = generator().make_tables(3, seed=9)
    st_ = state_from(lambda t: tables.get(t, []))
    eng = Engine(st_.history, st_.settings, date(2026, 12, 1))
    assert eng._skin_ranks == [r.rank for r in eng._skin]
    assert len(set(eng._skin_ranks)) >= 3  # the generated journal has several classes


def _table_verdict(table, need_ids):
    from planner.store import reader

    try:
        reader._check_table("t", table, need_ids)
    except reader.BadJournal as e:
        return e.reason
    return None


doc_st = st.none() | st.integers(0, 2) | st.text(max_size=2) | st.lists(st.integers(), max_size=1) \
    | st.dictionaries(st.sampled_from(["id", "date"]),
                      st.none() | st.integers(0, 2) | st.sampled_from(["", "a", "b", "c"]),
                      max_size=2)
table_st = st.dictionaries(st.sampled_from(["1", "2", "3", "10", "", "x", "0١", "-1"]), doc_st,
                           max_size=5)


@settings(max_examples=500, deadline=None)
@given(table=table_st, need_ids=st.booleans())
def test_whole_table_check_only_passes_what_the_per_document_check_passes(table, need_ids):
    from planner.store import reader

    if reader._looks_right(table, need_ids):
        assert _table_verdict(table, need_ids) is None
    data = {"t": table}
    try:
        reader.check_tables(data, need_ids=need_ids)
        got = None
    except reader.BadJournal as e:
        got = e.reason
    assert got == _table_verdict(table, need_ids)  # the same message as before


def test_whole_table_check_takes_a_generated_journal_in_one_step():
    from planner.store import reader

    tables = generator().make_tables(2, seed=5)
    raw = {name: {str(i + 1): doc for i, doc in enumerate(docs)} for name, docs in tables.items()}
    assert sum(map(len, raw.values())) > 500
    assert all(reader._looks_right(t, True) for t in raw.values())


def test_an_engine_moved_to_another_day_answers_as_one_built_for_it():
    from datetime import timedelta

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


def original_checkin_streaks(history, today):  # streaks._checkin_streaks as it was, verbatim
    days = sorted({r.date.toordinal() for r in history.skin
                   if r.kind == "checkin" and r.date <= today})
    if not days:
        return 0, 0
    longest = run = 1
    for a, b in zip(days, days[1:]):
        run = run + 1 if b == a + 1 else 1
        longest = max(longest, run)
    have = set(days)
    n = today.toordinal()
    if n not in have:
        n -= 1
    current = 0
    while n in have:
        current += 1
        n -= 1
    return current, longest


@settings(max_examples=300, deadline=None)
@given(offsets=st.lists(st.tuples(st.integers(-30, 3), st.sampled_from(["checkin", "reaction"])),
                        max_size=40))
def test_checkin_streaks_as_before(offsets):
    from datetime import timedelta

    from planner.domain.models import History, SkinRecord
    from planner.domain.streaks import _checkin_streaks

    today = date(2026, 12, 1)
    recs = tuple(SkinRecord(id=f"r{i}", date=today + timedelta(days=o), kind=k, seq=i)
                 for i, (o, k) in enumerate(offsets))
    h = History(skin=recs)
    assert _checkin_streaks(h, today) == original_checkin_streaks(h, today)


def original_score_walk(completed, flags, first, today, cadence):  # as it was, verbatim
    from planner.domain.streaks import loop_multiplier

    m = loop_multiplier(cadence)
    window = 2 * cadence
    per_day: dict[int, int] = {}
    for s in completed:
        per_day[s.date.toordinal()] = per_day.get(s.date.toordinal(), 0) + 1
    score, rolling = 0.0, 0
    a = first.toordinal()
    for n in range(a, today.toordinal() + 1):
        rolling += per_day.get(n, 0) - per_day.get(n - window, 0)
        if not flags[n - a]:
            score = score * m + min(1.0, rolling / 2) * (1 - m)
        yield n, score


@settings(max_examples=200, deadline=None)
@given(days=st.lists(st.integers(0, 120), min_size=1, max_size=30),
       blocked=st.lists(st.integers(0, 120), max_size=30), cadence=st.integers(1, 10),
       span=st.integers(0, 150))
def test_score_as_before(days, blocked, cadence, span):
    from datetime import timedelta

    from planner.domain.models import Session
    from planner.domain.streaks import _scores

    d0 = date(2026, 1, 1)
    completed = sorted((Session(f"s{i}", d0 + timedelta(days=n), 5) for i, n in enumerate(days)),
                       key=lambda s: (s.date, s.id))
    first, today = completed[0].date, d0 + timedelta(days=max(days) + span)
    flags = bytearray((today - first).days + 1)
    for n in blocked:
        if 0 <= n - (first - d0).days < len(flags):
            flags[n - (first - d0).days] = 1

    class Counter:  # the part of _BlockedCounter the score reads
        pass

    c = Counter()
    c.flags = flags
    assert _scores(completed, c, first, today, cadence) == [
        v for _, v in original_score_walk(completed, flags, first, today, cadence)]


def test_the_stored_today_view_is_the_view(tmp_path):
    import json
    from datetime import timedelta

    from planner.service.planner import Planner
    from planner.store.journal import Journal
    from planner.service.view_docs import view_from_doc, view_to_doc

    tables = generator().make_tables(2, seed=21)
    raw = {name: {str(i + 1): doc for i, doc in enumerate(docs)} for name, docs in tables.items()}
    path = tmp_path / "j.json"
    path.write_text(json.dumps(raw))
    base = Planner(Journal(path), date(2026, 11, 1))
    seen = set()
    for n in range(0, 60, 2):
        view = base.on(date(2026, 11, 1) + timedelta(days=n)).today_view()
        doc = json.loads(json.dumps(view_to_doc(view)))  # through JSON, as the cache is
        assert view_from_doc(doc) == view
        seen.add((view.verdict.allowed, view.next_plan is None, view.earliest_cap is None))
    assert len(seen) >= 3  # allowed and blocked days, with and without a plan ahead
