"""Streaks and habit score (SPEC §4): they reward regular, safe sessions and never
punish a day on which the rules said no.
"""

from __future__ import annotations

from .values import frozen
from datetime import date
from itertools import accumulate
from math import sqrt
from operator import attrgetter

from .models import History, Settings
from .rules import Engine


@frozen
class StreakInfo:
    sessions_current: int
    sessions_longest: int
    days_until_break: int | None
    checkins_current: int
    checkins_longest: int
    score: float
    runs: tuple[tuple[date, date, int], ...] = ()  # (first, last, length) of each session run

    def to_json(self) -> dict:
        return {
            "sessions": {
                "current": self.sessions_current,
                "longest": self.sessions_longest,
                "days_until_break": self.days_until_break,
            },
            "checkins": {"current": self.checkins_current, "longest": self.checkins_longest},
            "score": round(self.score, 6),
        }


class _BlockedCounter:
    """Blocked days strictly between two dates, from one prefix sum over the range."""

    def __init__(self, engine: Engine, start: date, end: date):
        self.start = start.toordinal()
        self.flags = engine.blocked_days(start, end)
        self.prefix = [0, *accumulate(self.flags)]

    def between(self, a: date, b: date) -> int:
        lo = max(a.toordinal() + 1, self.start) - self.start
        hi = min(b.toordinal() - 1 - self.start, len(self.flags) - 1)
        if hi < lo:
            return 0
        return self.prefix[hi + 1] - self.prefix[lo]

    def is_blocked(self, d: date) -> bool:
        i = d.toordinal() - self.start
        return 0 <= i < len(self.flags) and bool(self.flags[i])


def loop_multiplier(cadence: int) -> float:
    """Loop Habit Tracker's daily decay for a once-every-`cadence`-days habit."""
    return 0.5 ** (sqrt(1.0 / cadence) / 13.0)


def compute_streaks(history: History, settings: Settings, today: date,
                    engine: Engine | None = None) -> StreakInfo:
    engine = engine or Engine(history, settings, today)
    completed = sorted((s for s in history.sessions if s.completed and s.date <= today),
                       key=attrgetter("date", "id"))
    g, k, grace = settings.spacing_days, settings.cadence_days, settings.grace_days
    score = 0.0
    runs: list[tuple[date, date, int]] = []
    current = longest = 0
    until_break = None
    if completed:
        first = completed[0].date
        blocked = _BlockedCounter(engine, first, today)
        run, run_start, prev = 0, first, None
        for s in completed:
            if s.violations:
                if run:
                    runs.append((run_start, prev.date, run))  # type: ignore[union-attr]
                run, prev = 0, s
                continue
            if prev is None or run == 0:
                ok = False
            else:
                gap = (s.date - prev.date).days
                ok = g <= gap <= k + grace + blocked.between(prev.date, s.date)
            if ok:
                run += 1
            else:
                if run:
                    runs.append((run_start, prev.date, run))  # type: ignore[union-attr]
                run, run_start = 1, s.date
            prev = s
        if run:
            runs.append((run_start, prev.date, run))  # type: ignore[union-attr]
        longest = max((r[2] for r in runs), default=0)
        last = completed[-1]
        allowance = k + grace + blocked.between(last.date, today)
        if not last.violations and (today - last.date).days <= allowance:
            current = run
            until_break = (last.date - today).days + allowance
        for _, score in _score_walk(completed, blocked, first, today, k):
            pass
    cur_c, long_c = _checkin_streaks(history, today)
    return StreakInfo(current, longest, until_break, cur_c, long_c, score, tuple(runs))


def _score_walk(completed, blocked: _BlockedCounter, first: date, today: date, cadence: int):
    """Loop's score for 1-per-K days, day by day: numerator 2, window 2K days, decay m.

    Blocked days keep the previous value, so a safety hold never lowers the score.
    """
    m = loop_multiplier(cadence)
    window = 2 * cadence
    per_day: dict[int, int] = {}
    for s in completed:
        per_day[s.date.toordinal()] = per_day.get(s.date.toordinal(), 0) + 1
    score, rolling = 0.0, 0
    a = first.toordinal()
    for n in range(a, today.toordinal() + 1):
        rolling += per_day.get(n, 0) - per_day.get(n - window, 0)
        if not blocked.flags[n - a]:
            score = score * m + min(1.0, rolling / 2) * (1 - m)
        yield n, score


def score_series(history: History, settings: Settings, today: date,
                 engine: Engine | None = None) -> list[tuple[date, float]]:
    """The score day by day, for the History chart."""
    engine = engine or Engine(history, settings, today)
    completed = [s for s in history.sessions if s.completed and s.date <= today]
    if not completed:
        return []
    first = min(s.date for s in completed)
    blocked = _BlockedCounter(engine, first, today)
    return [(date.fromordinal(n), v)
            for n, v in _score_walk(completed, blocked, first, today, settings.cadence_days)]


def _checkin_streaks(history: History, today: date) -> tuple[int, int]:
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


__all__ = ["StreakInfo", "compute_streaks", "score_series", "loop_multiplier"]
