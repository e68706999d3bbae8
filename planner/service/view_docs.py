"""Today's view as plain JSON data and back, exactly, for the app's first frame.

`TodayView.to_json` is the public `status --json` shape (SPEC §7): it rounds the
score and leaves out what a prompt does not need. The app keeps a complete copy
in the status cache so that it can draw Today before the records are loaded;
`view_from_doc(view_to_doc(v)) == v` for every view (tested).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planner.domain.models import Plan, Reason, from_doc, parse_iso, to_doc
from planner.domain.rules import Verdict
from planner.domain.streaks import StreakInfo
from planner.service.planner import PlanView, TodayView


def _verdict(d: dict[str, Any]) -> Verdict:
    return Verdict(date.fromisoformat(d["date"]), d["allowed"], d["min_minutes"],
                   d["max_minutes"], parse_iso(d["earliest"]),
                   tuple(Reason.from_json(r) for r in d["reasons"]))


def view_to_doc(view: TodayView) -> dict[str, Any]:
    s = view.streak
    np = view.next_plan
    return {
        "today": view.today.isoformat(),
        "verdict": view.verdict.to_json(),
        "next_plan": None if np is None else {"plan": to_doc(np.plan),
                                              "verdict": np.verdict.to_json()},
        "streak": [s.sessions_current, s.sessions_longest, s.days_until_break,
                   s.checkins_current, s.checkins_longest, s.score,
                   [[a.isoformat(), b.isoformat(), n] for a, b, n in s.runs]],
        "advice": list(view.advice),
        "earliest_cap": view.earliest_cap,
        "missed_plans": [to_doc(p) for p in view.missed_plans],
    }


def view_from_doc(d: dict[str, Any]) -> TodayView:
    """The view `view_to_doc` was given; KeyError/TypeError/ValueError if `d` is not one."""
    np = d["next_plan"]
    cur, longest, until, c_cur, c_long, score, runs = d["streak"]
    streak = StreakInfo(cur, longest, until, c_cur, c_long, score,
                        tuple((date.fromisoformat(a), date.fromisoformat(b), n)
                              for a, b, n in runs))
    return TodayView(
        date.fromisoformat(d["today"]), _verdict(d["verdict"]),
        None if np is None else PlanView(from_doc(Plan, np["plan"]), _verdict(np["verdict"])),
        streak, tuple(d["advice"]), d["earliest_cap"],
        tuple(from_doc(Plan, p) for p in d["missed_plans"]))
