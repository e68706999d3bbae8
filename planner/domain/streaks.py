"""Streaks and habit score (SPEC §4): they reward regular, safe sessions and never
punish a day on which the rules said no.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from datetime import date
from itertools import accumulate, compress, repeat
from math import sqrt
from operator import attrgetter, eq, sub

from planner.domain.models import History, Settings
from planner.domain.rules import Engine
from planner.domain.values import Value


class StreakInfo(Value, frozen=True):
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
    # Completed and partial sessions count (SPEC §3.2), with their derived violations.
    completed = sorted((s for s in engine.history.sessions if s.counts and s.date <= today),
                       key=attrgetter("date", "logged", "id"))
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
                if run and prev is not None:
                    runs.append((run_start, prev.date, run))
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
        score = _scores(completed, blocked, first, today, k)[-1]
    cur_c, long_c = _checkin_streaks(history, today)
    return StreakInfo(current, longest, until_break, cur_c, long_c, score, tuple(runs))


def _scores(completed, blocked: _BlockedCounter, first: date, today: date,
            cadence: int) -> list[float]:
    """Loop's score for 1-per-K days, day by day from `first`: numerator 2, window 2K days,
    decay m. Blocked days keep the previous value, so a safety hold never lowers the score.
    """
    m = loop_multiplier(cadence)
    keep = 1 - m
    window = 2 * cadence
    a = first.toordinal()
    counts = [0] * (today.toordinal() - a + 1)  # completed sessions per day
    for s in completed:
        counts[s.date.toordinal() - a] += 1
    leaving = [0] * window + counts[:-window]  # the count that drops out of the window
    # Each day's sessions in the window, and what that adds, min(1, count / 2) * (1 - m):
    # worked out in C (a table by count), leaving one multiply-add per day to Python.
    rolling = list(accumulate(map(sub, counts, leaving)))
    adds = [min(1.0, c / 2) * keep for c in range(max(rolling) + 1)]
    out: list[float] = []
    append = out.append
    score = 0.0
    for add, is_blocked in zip(map(adds.__getitem__, rolling), blocked.flags):
        if not is_blocked:
            score = score * m + add
        append(score)
    return out


def score_series(history: History, settings: Settings, today: date,
                 engine: Engine | None = None) -> list[tuple[date, float]]:
    """The score day by day, for the History chart."""
    engine = engine or Engine(history, settings, today)
    completed = [s for s in engine.history.sessions if s.counts and s.date <= today]
    if not completed:
        return []
    first = min(s.date for s in completed)
    blocked = _BlockedCounter(engine, first, today)
    a = first.toordinal()
    return [(date.fromordinal(a + i), v)
            for i, v in enumerate(_scores(completed, blocked, first, today,
                                          settings.cadence_days))]


_DATE = attrgetter("date")
_KIND = attrgetter("kind")


def _checkin_streaks(history: History, today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days with a check-in, up to today."""
    skin = history.skin  # ~3,650 check-ins in 10 years: every step below runs in C
    checkins = compress(map(_DATE, skin), map(eq, map(_KIND, skin), repeat("checkin")))
    days = sorted(set(map(date.toordinal, checkins)))
    n = today.toordinal()
    del days[bisect_right(days, n):]
    if not days:
        return 0, 0
    # Distinct sorted days: those of one run of consecutive days share `day - position`.
    runs = Counter(map(sub, days, range(len(days))))
    longest = max(runs.values())
    if days[-1] < n - 1:
        return 0, longest
    return runs[days[-1] - (len(days) - 1)], longest


__all__ = ["StreakInfo", "compute_streaks", "score_series", "loop_multiplier"]
