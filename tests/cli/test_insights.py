"""`acuplan insights` (SPEC §10): JSON rows, the words, dates, an empty journal."""

from __future__ import annotations

from datetime import date, timedelta

from planner.domain.insights import newcombe
from planner.service.planner import Planner
from planner.store.journal import Journal

TODAY = date(2026, 12, 1)
FIRST = date(2026, 6, 1)
KEYS = {"exposure", "level", "label", "with_sessions", "with_reactions", "with_share",
        "without_sessions", "without_reactions", "without_share", "difference", "low",
        "high", "too_little_data"}


def seed(path, pairs: int = 6) -> list[date]:
    """`pairs` weeks with a full-face gua sha session (15 min, a mild reaction the next
    day) and `pairs` with calm evening points (8 min, a clear check-in the next day),
    alternating weekly; and one session yesterday, whose 3 days are not over."""
    p = Planner(Journal(path), TODAY)
    days = []
    for i in range(2 * pairs):
        day = FIRST + timedelta(days=7 * i)
        days.append(day)
        if i % 2 == 0:
            sid = p.log_session(day, 15, "full-face-gua-sha").id
            p.log_skin("reaction", day + timedelta(days=1), session_id=sid, redness=1)
        else:
            p.log_session(day, 8, "calm-evening-points")
            p.log_skin("checkin", day + timedelta(days=1))
    p.log_session(TODAY - timedelta(days=1), 8)
    return days


def test_json_rows_have_counts_shares_and_the_newcombe_interval(acu):
    seed(acu.path)
    rows = acu.ok_json("insights")
    assert rows and all(set(r) == KEYS for r in rows)
    by = {(r["exposure"], r["level"]): r for r in rows}
    gs = by["technique", "gua-sha"]
    assert (gs["with_sessions"], gs["with_reactions"]) == (6, 6)
    assert (gs["without_sessions"], gs["without_reactions"]) == (6, 0)  # yesterday's: left out
    assert (gs["with_share"], gs["without_share"], gs["difference"]) == (1.0, 0.0, 1.0)
    _, low, high = newcombe(6, 6, 0, 6)
    assert (gs["low"], gs["high"]) == (round(low, 4), round(high, 4))
    assert gs["too_little_data"] is False and gs["label"] == "gua sha"
    assert by["routine", "full-face-gua-sha"]["with_sessions"] == 6
    assert by["minutes", "11-20"]["with_reactions"] == 6
    acu_row = by["technique", "acupressure"]
    assert acu_row["difference"] == -1.0 and acu_row["high"] == -gs["low"]
    lows = [r["low"] for r in rows if not r["too_little_data"]]
    assert lows == sorted(lows, reverse=True) and rows[0]["low"] == max(lows)
    assert "after-product" not in {r["exposure"] for r in rows}  # no products logged


def test_under_five_on_a_side_is_flagged_with_no_figure(acu):
    days = seed(acu.path)
    rows = acu.ok_json("insights", "--to", days[7].isoformat())  # 4 and 4 sessions
    assert rows
    for r in rows:
        assert r["too_little_data"] is True
        assert [r[k] for k in ("with_share", "without_share", "difference", "low", "high")] \
            == [None] * 5
        assert r["with_sessions"] + r["without_sessions"] == 8
    r = acu.ok("insights", "--to", days[7].isoformat()).stdout
    assert "too little data" in r and "Too little data: fewer than 5" in r


def test_the_text_says_went_with_and_that_these_are_associations(acu):
    seed(acu.path)
    text = acu.ok("insights").stdout
    assert "What went with a skin reaction" in text
    assert "associations in one person's records, not causes" in text
    assert "caused" not in text
    assert "1 recent session left out" in text
    assert "12 sessions from 2026-06-01 to 2026-08-17" in text
    assert "gua sha" in text and "6/6 100%" in text and "0/6 0%" in text


def test_the_range_limits_the_sessions_compared(acu):
    days = seed(acu.path)
    rows = acu.ok_json("insights", "--from", days[2].isoformat(), "--to", days[10].isoformat())
    gs = next(r for r in rows if r["level"] == "gua-sha")
    assert (gs["with_sessions"], gs["without_sessions"]) == (5, 4)  # days 2..10
    assert "in that range" in acu.ok("insights", "--from", "2026-09-01", "--to",
                                     "2026-09-30").stdout
    assert acu.ok_json("insights", "--from", "2026-09-01", "--to", "2026-09-30") == []


def test_bad_dates_are_one_error_line_and_nothing_is_written(acu):
    seed(acu.path)
    before = acu.raw()
    acu.bad(acu("insights", "--from", "2026-02-30"), "--from", "not a real date")
    acu.bad(acu("insights", "--to", "26-12-01"), "--to")
    acu.bad(acu("insights", "--from", "2026-12-01", "--to", "2026-11-01"), "--to",
            "before --from")
    acu.bad(acu("insights", "--from", "1899-12-31"), "--from")
    assert acu.raw() == before


def test_an_empty_journal_has_nothing_to_compare_and_is_not_created(acu):
    assert acu.ok_json("insights") == []
    text = acu.ok("insights").stdout
    assert "No sessions to compare yet." in text
    assert "associations in one person's records" in text
    assert acu.raw() is None


def test_a_session_without_a_routine_has_no_technique(acu):
    p = Planner(Journal(acu.path), TODAY)
    for i in range(12):
        p.log_session(FIRST + timedelta(days=7 * i), 8 if i % 2 else 25)
    rows = acu.ok_json("insights")
    assert {r["exposure"] for r in rows} == {"minutes"}
    assert {r["level"] for r in rows} == {"5-10", "21-30"}
