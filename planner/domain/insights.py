"""Insights (SPEC §10): what went with a skin reaction after a session, in one person's
records. Pure statistics, no I/O.

Each session is an observation. Its outcome: a skin record (check-in or reaction) of
class `mild` or worse dated 0 to FOLLOW_UP_DAYS days after it. Its exposures, one level
each of:

- technique: every technique its routine's steps use (no routine, or one no longer in
  the library: none);
- routine: its routine's id;
- pressure: the firmest pressure its routine's steps ask for (one level a session);
- minutes: its band, 5–10, 11–20 or 21–30 minutes (under 5 and over 30 are their own);
- product: each product kind used in the PRODUCT_DAYS days before it or on its day
  (peel guidance: no scrubbing or massage for a week before, reference/domain.md);
- after a product: any product used in the AFTER_PRODUCT_DAYS days before it or on its day
  (the window the product blackout rule keeps free).

For each level: the share of sessions with it that a reaction followed, against the
share of the other sessions; their difference with a 95% interval by Newcombe's hybrid
score method (method 10 of Newcombe 1998) from two Wilson score intervals. Fewer than
MIN_SESSIONS on either side: "too little data", no figure. Rows are sorted by the
interval's lower bound, highest first: the first row is the one the records most
clearly say went with reactions.

These are associations: sessions are not randomised, a reaction may have other causes,
and a session whose window overlaps another's shares its records. Sessions whose
follow-up is not over yet (fewer than FOLLOW_UP_DAYS days before today) are left out:
a reaction may still come.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from math import sqrt
from statistics import NormalDist

from planner.domain.models import History, ProductUse, Session, SkinRecord
from planner.domain.routine import Routine
from planner.domain.values import Value
from planner.domain.vocabulary import PRESSURES, PRODUCT_KINDS, TECHNIQUE_WORDS, class_rank

Z95 = NormalDist().inv_cdf(0.975)  # 1.959964…: the two-sided 95% normal quantile
FOLLOW_UP_DAYS = 3        # a reaction counts 0 to 3 days after the session
MIN_SESSIONS = 5          # fewer on either side: too little data
PRODUCT_DAYS = 7          # product kind: used in the week before the session
AFTER_PRODUCT_DAYS = 2    # "session within 2 days after a product"
REACTION_RANK = class_rank("mild")

# Exposures in the order they are listed when nothing else orders them.
EXPOSURES = ("technique", "routine", "pressure", "minutes", "product", "after-product")
MINUTE_BANDS = ((1, 4, "under 5"), (5, 10, "5-10"), (11, 20, "11-20"), (21, 30, "21-30"))
OVER_BANDS = "over 30"
AFTER_PRODUCT_LEVEL = "within 2 days"

NOTE = "These are associations in one person's records, not causes."


# ..................................................................... statistics

def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for the proportion k/n (no continuity correction)."""
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"wilson needs 0 <= k <= n and n > 0, got {k}/{n}")
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(k1: int, n1: int, k2: int, n2: int,
             z: float = Z95) -> tuple[float, float, float]:
    """k1/n1 - k2/n2 and its interval by Newcombe's hybrid score method (method 10):
    the difference less (plus) the root of the squared distances from each proportion
    to the near ends of the two Wilson intervals."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    low = d - sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, max(-1.0, low), min(1.0, high)


# ..................................................................... rows

class Row(Value, frozen=True):
    """One exposure level against the sessions without it."""

    exposure: str             # one of EXPOSURES
    level: str                # a technique, routine id, pressure, band or product kind
    label: str                # the level in words: "gua sha", "11-20 minutes"
    with_sessions: int
    with_reactions: int
    without_sessions: int
    without_reactions: int
    difference: float | None = None   # share with - share without (None: too little data)
    low: float | None = None
    high: float | None = None

    @property
    def too_little_data(self) -> bool:
        return self.difference is None

    @property
    def with_share(self) -> float | None:
        return None if self.too_little_data else self.with_reactions / self.with_sessions

    @property
    def without_share(self) -> float | None:
        return (None if self.too_little_data
                else self.without_reactions / self.without_sessions)

    def to_json(self) -> dict:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "exposure": self.exposure, "level": self.level, "label": self.label,
            "with_sessions": self.with_sessions, "with_reactions": self.with_reactions,
            "with_share": r(self.with_share),
            "without_sessions": self.without_sessions,
            "without_reactions": self.without_reactions,
            "without_share": r(self.without_share),
            "difference": r(self.difference), "low": r(self.low), "high": r(self.high),
            "too_little_data": self.too_little_data,
        }


class Insights(Value, frozen=True):
    """The rows, sorted, and what they were worked out from."""

    rows: tuple[Row, ...]
    sessions: int             # sessions compared
    left_out: int             # sessions in range whose follow-up is not over yet
    first: date | None = None
    last: date | None = None


class Observation(Value, frozen=True):
    """One session as the comparison sees it."""

    session_id: str
    date: date
    levels: frozenset[tuple[str, str]]
    reacted: bool


# ..................................................................... exposures

def minutes_band(minutes: int) -> str:
    for low, high, label in MINUTE_BANDS:
        if low <= minutes <= high:
            return label
    return OVER_BANDS


def firmest(pressures: Iterable[str]) -> str | None:
    ranked = [PRESSURES.index(p) for p in pressures if p in PRESSURES]
    return PRESSURES[max(ranked)] if ranked else None


def session_levels(session: Session, routines: Mapping[str, Routine],
                   products: Sequence[ProductUse]) -> frozenset[tuple[str, str]]:
    """The (exposure, level) pairs of one session; `products`: those used from
    PRODUCT_DAYS days before it to its day."""
    levels: set[tuple[str, str]] = {("minutes", minutes_band(session.minutes))}
    if session.routine:
        levels.add(("routine", session.routine))
        routine = routines.get(session.routine)
        if routine is not None:
            techniques = {s.technique for s in routine.steps} or set(routine.techniques)
            levels.update(("technique", t) for t in techniques)
            pressure = firmest(s.pressure for s in routine.steps)
            if pressure is not None:
                levels.add(("pressure", pressure))
    for p in products:
        levels.add(("product", p.kind))
        if (session.date - p.date).days <= AFTER_PRODUCT_DAYS:
            levels.add(("after-product", AFTER_PRODUCT_LEVEL))
    return frozenset(levels)


def observations(history: History, routines: Mapping[str, Routine], today: date,
                 start: date | None = None, end: date | None = None
                 ) -> tuple[list[Observation], int]:
    """The sessions from `start` to `end` (both included) whose follow-up is over by
    `today`, as observations; and how many in range were left out for that."""
    reacted_days = sorted({r.date for r in history.skin if _reaction(r)})
    by_day: dict[date, list[ProductUse]] = defaultdict(list)
    for p in history.products:
        by_day[p.date].append(p)
    last_complete = today - timedelta(days=FOLLOW_UP_DAYS)
    out: list[Observation] = []
    left_out = 0
    for s in history.sessions:
        if (start and s.date < start) or (end and s.date > end):
            continue
        if s.date > last_complete:
            left_out += 1
            continue
        near = [p for back in range(PRODUCT_DAYS + 1)
                for p in by_day.get(s.date - timedelta(days=back), ())]
        window_end = s.date + timedelta(days=FOLLOW_UP_DAYS)
        i = bisect_left(reacted_days, s.date)
        reacted = i < len(reacted_days) and reacted_days[i] <= window_end
        out.append(Observation(s.id, s.date, session_levels(s, routines, near), reacted))
    return out, left_out


def _reaction(r: SkinRecord) -> bool:
    return r.rank >= REACTION_RANK


def label(exposure: str, level: str, routines: Mapping[str, Routine] | None = None) -> str:
    """A level in a few words, as a table row shows it."""
    if exposure == "technique":
        return TECHNIQUE_WORDS.get(level, level)
    if exposure == "routine":
        return f"routine {_routine_name(level, routines)}"
    if exposure == "pressure":
        return f"{level} pressure"
    if exposure == "minutes":
        return f"{level.replace('-', '–')} minutes"
    if exposure == "product":
        return f"{level}, week before"
    if exposure == "after-product":
        return "2 days after a product"
    return level


def _routine_name(level: str, routines: Mapping[str, Routine] | None) -> str:
    routine = (routines or {}).get(level)
    return routine.name if routine is not None else level


def compare(obs: Sequence[Observation], routines: Mapping[str, Routine] | None = None
            ) -> list[Row]:
    """Every level some session has, against the sessions without it, sorted: rows with
    a figure by the interval's lower bound (highest first), then those with too little
    data."""
    levels = sorted({lv for o in obs for lv in o.levels}, key=_level_order)
    total = len(obs)
    reactions = sum(o.reacted for o in obs)
    rows = []
    for exposure, level in levels:
        n1 = sum(1 for o in obs if (exposure, level) in o.levels)
        k1 = sum(1 for o in obs if o.reacted and (exposure, level) in o.levels)
        n2, k2 = total - n1, reactions - k1
        row = Row(exposure, level, label(exposure, level, routines), n1, k1, n2, k2)
        if n1 >= MIN_SESSIONS and n2 >= MIN_SESSIONS:
            d, low, high = newcombe(k1, n1, k2, n2)
            row = Row(exposure, level, row.label, n1, k1, n2, k2, d, low, high)
        rows.append(row)
    figures = sorted((r for r in rows if not r.too_little_data),
                     key=lambda r: (-(r.low or 0.0), -(r.difference or 0.0)))
    return figures + [r for r in rows if r.too_little_data]


def _level_order(lv: tuple[str, str]) -> tuple[int, int, str]:
    exposure, level = lv
    fixed = {"technique": tuple(TECHNIQUE_WORDS), "pressure": PRESSURES,
             "product": PRODUCT_KINDS,
             "minutes": tuple(b[2] for b in MINUTE_BANDS) + (OVER_BANDS,)}.get(exposure, ())
    return (EXPOSURES.index(exposure), fixed.index(level) if level in fixed else len(fixed),
            level)


def insights(history: History, routines: Mapping[str, Routine], today: date,
             start: date | None = None, end: date | None = None) -> Insights:
    """The comparison for the sessions from `start` to `end` seen from `today`."""
    obs, left_out = observations(history, routines, today, start, end)
    return Insights(tuple(compare(obs, routines)), len(obs), left_out,
                    min((o.date for o in obs), default=None),
                    max((o.date for o in obs), default=None))


# ..................................................................... words

def percent(x: float) -> str:
    return f"{x * 100:.0f}%"


def points(x: float) -> str:
    """A difference in percentage points, signed: "+30", "-4", "0"."""
    v = round(x * 100)
    return f"{v:+d}" if v else "0"


def interval_words(row: Row) -> str:
    """ "+30 points (95% interval +2 to +55)" """
    assert row.difference is not None and row.low is not None and row.high is not None
    return (f"{points(row.difference)} points (95% interval {points(row.low)} to "
            f"{points(row.high)})")


def subject(row: Row) -> str:
    """The sessions a row is about, in words: "Sessions with gua sha"."""
    level = row.level
    if row.exposure == "technique":
        return f"Sessions with {TECHNIQUE_WORDS.get(level, level)}"
    if row.exposure == "routine":
        return f"Sessions of {row.label}"
    if row.exposure == "pressure":
        return f"Sessions whose firmest pressure was {level}"
    if row.exposure == "minutes":
        return f"Sessions of {row.label}"
    if row.exposure == "product":
        return f"Sessions with {level} used in the {PRODUCT_DAYS} days before"
    if row.exposure == "after-product":
        return f"Sessions within {AFTER_PRODUCT_DAYS} days after a product"
    return f"Sessions with {row.label}"


def sentence(row: Row) -> str:
    """The row in words. It says "went with", never that anything caused a reaction."""
    what = subject(row)
    if row.too_little_data:
        return (f"{what}: too little data ({row.with_sessions} with it, "
                f"{row.without_sessions} without; {MIN_SESSIONS} on each side are needed "
                "for a figure).")
    assert row.with_share is not None and row.without_share is not None
    return (f"{what} went with a skin reaction (mild or worse, within {FOLLOW_UP_DAYS} "
            f"days) {row.with_reactions} times in {row.with_sessions} "
            f"({percent(row.with_share)}); the other sessions "
            f"{row.without_reactions} in {row.without_sessions} "
            f"({percent(row.without_share)}): {interval_words(row)}.")


__all__ = [
    "Z95", "FOLLOW_UP_DAYS", "MIN_SESSIONS", "PRODUCT_DAYS", "AFTER_PRODUCT_DAYS",
    "EXPOSURES", "NOTE", "wilson", "newcombe", "Row", "Insights", "Observation",
    "minutes_band", "firmest", "session_levels", "observations", "compare", "insights",
    "label", "percent", "points", "interval_words", "subject", "sentence",
]
