"""The Journal's search line (issue 11): words, a date range, classes."""

from __future__ import annotations

from datetime import date

import pytest

from planner.service.search import Query, parse_query, search

ITEMS = [
    {"type": "product", "date": "2026-01-05", "kind": "retinoid", "name": "Night Serum",
     "note": ""},
    {"type": "checkin", "date": "2026-02-10", "class": "severe", "flags": ["peeling"],
     "note": "after the trip"},
    {"type": "session", "date": "2026-03-01", "routine": "calm-evening-points",
     "note": "felt calm [ok]"},
]


def test_parse_words_dates_and_classes():
    q = parse_query("Serum  from:2026-01-01 to:2026-02-28 class:severe class:mild")
    assert q == Query(("serum",), date(2026, 1, 1), date(2026, 2, 28), ("severe", "mild"))
    assert parse_query("   ").empty


@pytest.mark.parametrize("text,word", [("from:2026-13-01", "from:"), ("class:bad", "bad"),
                                       ("from:2026-03-01 to:2026-01-01", "before")])
def test_bad_queries_say_why(text, word):
    with pytest.raises(ValueError, match=word):
        parse_query(text)


@pytest.mark.parametrize("text,dates", [
    ("serum", ["2026-01-05"]), ("NIGHT retinoid", ["2026-01-05"]), ("peeling", ["2026-02-10"]),
    ("calm [ok]", ["2026-03-01"]), ("class:severe", ["2026-02-10"]),
    ("from:2026-02-01", ["2026-02-10", "2026-03-01"]), ("to:2026-01-31", ["2026-01-05"]),
    ("calm class:severe", []), ("", ["2026-01-05", "2026-02-10", "2026-03-01"]),
])
def test_search(text, dates):
    assert [i["date"] for i in search(ITEMS, parse_query(text))] == dates
