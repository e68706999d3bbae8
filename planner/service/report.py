"""The clinician report (SPEC §10): what a dermatologist is shown, gathered from a Planner
into plain values. planner.service.report_html and report_pdf render the same values.

`gather(planner, start, end)` reads the journal as it is now: the profile's conditions,
the rule settings, every session, product use, procedure, injectable, skin record and
pause dated in [start, end] (one timeline row each), the redness and swelling of the
skin records in that period (one chart), every record that held sessions in the period
and every hold still open whatever its date (open ones first, each with its resolution),
and the safety notice the user accepted.

Every string that came from the user or a file (notes, product names, zones, routine
names, ids) goes through `safe` here: control and bidi characters (SPEC §7) and lone
surrogates are shown as visible escapes, so neither renderer has to think about them;
the HTML renderer still escapes everything it writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from planner.domain.classify import is_emergency, red_flag_advice
from planner.domain.models import RANGES, History, Settings, SkinRecord
from planner.domain.notice import SAFETY_NOTICE
from planner.domain.profile_questions import PROFILE_QUESTIONS
from planner.domain.values import Value
from planner.domain.vocabulary import REDNESS_SWELLING_ANCHORS, class_rank
from planner.service.text import terminal_safe

if TYPE_CHECKING:
    from planner.service.planner import Planner


TITLE = "Skin and self-care record"
ABOUT = (
    "Kept by the person themselves with acuplan, a planner for needle-free facial "
    "self-care at home (fingertip acupressure, gua sha, jade rolling). Redness and "
    "swelling are self-rated 0-4 (0 none, 1 very slight, 2 well-defined, 3 moderate, "
    "4 severe); itch and burning 0-10. This is not a clinical assessment."
)

# Paper sizes in millimetres (width, height): the HTML's @page and the PDF's pages.
PAPERS: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}

# The order of record types on one day in the timeline.
TYPE_ORDER = ("injectable", "procedure", "product", "session", "reaction", "check-in",
              "pause")
TYPE_LABELS = {"session": "Session", "product": "Product", "procedure": "Procedure",
               "injectable": "Injectable", "check-in": "Check-in", "reaction": "Reaction",
               "pause": "Pause"}
SEVERE_RANK = class_rank("severe")


def safe(text: object) -> str:
    """User text fit for a document: control and bidi characters, and lone surrogates,
    shown as visible escapes (newlines and tabs stay)."""
    s = "" if text is None else str(text)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-8", "backslashreplace").decode("utf-8")
    return terminal_safe(s)


# ------------------------------------------------------------------ the values


class Entry(Value, frozen=True):
    """One timeline row: a record of the period."""

    day: date
    type: str                   # a TYPE_ORDER word
    title: str                  # "12 min, completed", "Retinol 0.5% (retinoid)", …
    details: tuple[str, ...]    # further facts, one short phrase each
    note: str
    record_id: str
    skin_class: str | None = None  # for skin records: none, mild, … red-flag


class Hold(Value, frozen=True):
    """A skin record that held sessions (severe) or called for care (red flag)."""

    day: date
    type: str                   # "check-in" or "reaction"
    skin_class: str             # "severe" or "red-flag"
    summary: str                # its ratings, flags and zone in words
    is_open: bool               # still holds sessions today
    resolution: str             # how (or whether) it was lifted
    advice: tuple[str, ...]     # what the app told the person to do (red flags)
    emergency: bool
    outside: str                # "": dated in the period; else "before …"/"after this period"
    note: str
    record_id: str


class SettingRow(Value, frozen=True):
    name: str        # the Settings field
    meaning: str     # "days between sessions"
    value: int
    default: int
    low: int
    high: int

    @property
    def changed(self) -> bool:
        return self.value != self.default


class Answer(Value, frozen=True):
    question: str    # "Pregnant", "Taking anticoagulants", …
    yes: bool
    effect: str      # what a yes changes in the planner


class ChartPoint(Value, frozen=True):
    day: date
    redness: int     # the highest of that day's skin records
    swelling: int


class Chart(Value, frozen=True):
    """Each point is the highest redness and swelling of the skin records of one day, or,
    over a long period, of `days` days from the point's date (so that a ten-year report
    still shows each flare as a peak, not a solid band)."""

    start: date
    end: date
    points: tuple[ChartPoint, ...]
    sessions: tuple[date, ...]
    exposures: tuple[date, ...]   # product uses, procedures, injectables
    days: int = 1

    @property
    def per(self) -> str:
        """What one point stands for, in words."""
        return "day" if self.days == 1 else f"{self.days} days"


class Report(Value, frozen=True):
    made_on: date
    start: date
    end: date
    answers: tuple[Answer, ...]
    exclusions: tuple[str, ...]
    own_products: tuple[str, ...]
    settings: tuple[SettingRow, ...]
    counts: tuple[tuple[str, str], ...]   # (what, how many, in words)
    timeline: tuple[Entry, ...]
    chart: Chart
    holds: tuple[Hold, ...]
    notice: str = SAFETY_NOTICE

    @property
    def open_holds(self) -> int:
        return sum(1 for h in self.holds if h.is_open)


# ------------------------------------------------------------------ gathering


def period(history: History, today: date, start: date | None,
           end: date | None) -> tuple[date, date]:
    """The report's dates: as given, else from the first record to today."""
    if end is None:
        end = max(today, start) if start is not None else today
    if start is None:
        days = [d for d in _record_days(history) if d <= end]
        start = min(days) if days else end
    return start, end


def _record_days(h: History) -> Iterable[date]:
    for rows in (h.sessions, h.products, h.procedures, h.injectables, h.skin):
        for r in rows:
            yield r.date
    for p in h.pauses:
        yield p.start


def gather(planner: Planner, start: date | None = None, end: date | None = None) -> Report:
    """The report of the records dated from `start` to `end` (both included)."""
    st = planner.state()
    h = st.history
    start, end = period(h, planner.today, start, end)

    def within(d: date) -> bool:
        return start <= d <= end

    names = planner.routine_names(s.routine for s in h.sessions if within(s.date))
    session_days = {s.id: s.date for s in h.sessions}
    open_ids = {r.id for r in planner.open_holds()}
    timeline: list[tuple[tuple, Entry]] = []
    for s in h.sessions:
        if within(s.date):
            timeline.append(((s.date, "session", s.logged, s.id), _session_entry(s, names)))
    for table, kind in ((h.products, "product"), (h.procedures, "procedure"),
                        (h.injectables, "injectable")):
        for r in table:
            if within(r.date):
                name = getattr(r, "name", None)
                title = f"{safe(name)} ({safe(r.kind)})" if name else safe(r.kind)
                timeline.append(((r.date, kind, r.logged, r.id),
                                 Entry(r.date, kind, title, (), safe(r.note), safe(r.id))))
    for rec in h.skin:
        if within(rec.date):
            kind = "reaction" if rec.kind == "reaction" else "check-in"
            timeline.append(((rec.date, kind, rec.seq, rec.id),
                             _skin_entry(rec, kind, session_days)))
    for p in h.pauses:
        if within(p.start):
            n = (p.end - p.start).days + 1
            title = f"until {p.end.isoformat()} ({_plural(n, 'day')})"
            timeline.append(((p.start, "pause", p.logged, p.id),
                             Entry(p.start, "pause", title, (
                                 f"no sessions; reason: {safe(p.reason)}",),
                                   safe(p.note), safe(p.id))))
    timeline.sort(key=lambda x: (x[0][0], TYPE_ORDER.index(x[0][1]), x[0][2], x[0][3]))

    # Every hold of the period, and every hold still open whatever its date: an open one
    # is today's state (no sessions until it is lifted), as the profile and settings are.
    holds = [_hold(r, r.id in open_ids, _outside(r.date, start, end)) for r in h.skin
             if r.rank >= SEVERE_RANK and (within(r.date) or r.id in open_ids)]
    holds.sort(key=lambda x: (not x.is_open, x.day, x.record_id))

    return Report(
        made_on=planner.today, start=start, end=end,
        answers=tuple(Answer(q.label, bool(getattr(st.profile, q.field)), q.effect)
                      for q in PROFILE_QUESTIONS),
        exclusions=tuple(_exclusion(e) for e in st.profile.exclusions),
        own_products=tuple(_own_product(p) for p in st.profile.products),
        settings=_settings(st.settings),
        counts=_counts(h, within),
        timeline=tuple(e for _, e in timeline),
        chart=_chart(h, start, end),
        holds=tuple(holds),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _session_entry(s, names: dict[str, str]) -> Entry:
    title = f"{s.minutes} min, {s.outcome}"
    details = []
    if s.routine:
        name = names.get(s.routine)
        details.append(f"routine: {safe(name)} ({safe(s.routine)})" if name
                       else f"routine: {safe(s.routine)}")
    if s.violations:
        rules = ", ".join(dict.fromkeys(v.rule for v in s.violations))
        details.append(f"broke the rule{'s' if ', ' in rules else ''}: {rules}")
    return Entry(s.date, "session", title, tuple(details), safe(s.note), safe(s.id))


def ratings(r: SkinRecord) -> str:
    """A skin record's values in words: the four scales (non-zero ones), flags, zone."""
    parts = []
    if r.redness:
        parts.append(f"redness {r.redness}/4 ({REDNESS_SWELLING_ANCHORS[r.redness]})")
    if r.swelling:
        parts.append(f"swelling {r.swelling}/4 ({REDNESS_SWELLING_ANCHORS[r.swelling]})")
    if r.itch:
        parts.append(f"itch {r.itch}/10")
    if r.burning:
        parts.append(f"burning {r.burning}/10")
    if r.flags:
        parts.append("signs: " + ", ".join(safe(f) for f in r.flags))
    if r.zone:
        parts.append(f"zone: {safe(r.zone)}")
    return "; ".join(parts) if parts else "nothing noticed"


def _skin_entry(r: SkinRecord, kind: str, session_days: dict[str, date]) -> Entry:
    details = [ratings(r)]
    if r.session_id:
        day = session_days.get(r.session_id)
        details.append(f"after the session of {day.isoformat()}" if day
                       else f"after session {safe(r.session_id)}")
    if r.rank >= SEVERE_RANK:
        details.append(resolution(r))
    return Entry(r.date, kind, f"class {r.cls}", tuple(details), safe(r.note), safe(r.id),
                 r.cls)


def resolution(r: SkinRecord) -> str:
    """How a record that held sessions was lifted, or that it still holds them."""
    if r.resolved_on is not None:
        when = r.resolved_on.isoformat()
        if r.cls != "red-flag":
            return f"resolved on {when}"
        if r.cleared_by_clinician:
            return f"resolved on {when}, cleared by a clinician"
        return (f"marked resolved on {when} without a clinician's clearance: still holds "
                "sessions")
    if r.cls == "red-flag":
        return "open: holds sessions until a clinician has cleared the person"
    return "open: holds sessions until the person marks it resolved"


def _outside(d: date, start: date, end: date) -> str:
    return "before this period" if d < start else "after this period" if d > end else ""


def _hold(r: SkinRecord, is_open: bool, outside: str) -> Hold:
    kind = "reaction" if r.kind == "reaction" else "check-in"
    advice = tuple(red_flag_advice(r.flags)) if r.cls == "red-flag" else ()
    return Hold(r.date, kind, r.cls, ratings(r), is_open, resolution(r), advice,
                is_emergency(r.flags), outside, safe(r.note), safe(r.id))


def _exclusion(e) -> str:
    until = f" until {e.until.isoformat()}" if e.until is not None else ""
    return f"{safe(e.zone)} ({safe(e.reason)}){until}"


def _own_product(p) -> str:
    brand = f", {safe(p.brand)}" if p.brand else ""
    return f"{safe(p.name)} ({safe(p.kind)}{brand})"


def _settings(s: Settings) -> tuple[SettingRow, ...]:
    defaults = Settings()
    return tuple(SettingRow(name, r.meaning[:1].upper() + r.meaning[1:], getattr(s, name),
                            getattr(defaults, name), r.low, r.high)
                 for name, r in RANGES.items())


def _counts(h: History, within) -> tuple[tuple[str, str], ...]:
    sessions = [s for s in h.sessions if within(s.date)]
    by_outcome = {o: sum(1 for s in sessions if s.outcome == o)
                  for o in ("completed", "partial", "aborted")}
    outcome_words = ", ".join(f"{n} {o}" for o, n in by_outcome.items() if n)
    broke = sum(1 for s in sessions if s.violations)
    minutes = sum(s.minutes for s in sessions)
    skin = [r for r in h.skin if within(r.date)]
    checkins = sum(1 for r in skin if r.kind != "reaction")
    rows = [("Sessions", f"{len(sessions)}" + (f" ({outcome_words}; {minutes} minutes in "
                                               "all)" if sessions else ""))]
    if broke:
        rows.append(("Sessions logged although a safety rule advised against them", str(broke)))
    rows += [
        ("Product uses", str(sum(1 for r in h.products if within(r.date)))),
        ("Procedures", str(sum(1 for r in h.procedures if within(r.date)))),
        ("Injectables", str(sum(1 for r in h.injectables if within(r.date)))),
        ("Check-ins", str(checkins)),
        ("Reactions", str(len(skin) - checkins)),
        ("Records of class mild or worse",
         str(sum(1 for r in skin if r.rank >= class_rank("mild")))),
        ("Pauses", str(sum(1 for p in h.pauses if within(p.start)))),
    ]
    return tuple(rows)


CHART_POINTS = 183  # at most this many points: a day each up to half a year


def _chart(h: History, start: date, end: date) -> Chart:
    days = -(-((end - start).days + 1) // CHART_POINTS)  # ceil: 1 up to 183 days
    by_day: dict[date, tuple[int, int]] = {}
    for r in h.skin:
        if start <= r.date <= end:
            first = start + timedelta(days=(r.date - start).days // days * days)
            red, swell = by_day.get(first, (0, 0))
            by_day[first] = (max(red, r.redness), max(swell, r.swelling))
    exposures = {r.date for rows in (h.products, h.procedures, h.injectables) for r in rows
                 if start <= r.date <= end}
    return Chart(start, end,
                 tuple(ChartPoint(d, *by_day[d]) for d in sorted(by_day)),
                 tuple(sorted({s.date for s in h.sessions if start <= s.date <= end})),
                 tuple(sorted(exposures)), days)


# ------------------------------------------------------------------ the chart's drawing


class ChartLayout(Value, frozen=True):
    """The chart in a renderer's own units (SVG pixels, PDF millimetres), y downwards.

    The plot area is [left, right] x [top, bottom]; the session and exposure marks sit on
    two rows below it (`session_y`, `exposure_y`), the date labels under those."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    y_ticks: tuple[tuple[float, str], ...]     # (y, "0 none")
    x_ticks: tuple[tuple[float, str], ...]     # (x, "2026-11-03")
    redness: tuple[tuple[float, float], ...]   # the points, left to right
    swelling: tuple[tuple[float, float], ...]
    session_y: float
    sessions: tuple[float, ...]
    exposure_y: float
    exposures: tuple[float, ...]
    label_y: float


def chart_layout(chart: Chart, width: float, height: float, unit: float) -> ChartLayout:
    """Where everything goes in a chart of `width` x `height`; `unit` is about one line of
    small text (so the margins scale with the renderer's units)."""
    left, right = 7.5 * unit, width - 1.5 * unit
    top = 1.0 * unit
    label_y = height - 0.4 * unit
    exposure_y = label_y - 1.6 * unit
    session_y = exposure_y - 1.1 * unit
    bottom = session_y - 1.3 * unit
    span = (chart.end - chart.start).days

    def x(d: date) -> float:
        if span <= 0:
            return (left + right) / 2
        return left + (right - left) * (d - chart.start).days / span

    def y(v: int) -> float:
        return bottom - (bottom - top) * v / 4

    return ChartLayout(
        width, height, left, right, top, bottom,
        y_ticks=tuple((y(v), f"{v} {REDNESS_SWELLING_ANCHORS[v]}") for v in range(5)),
        x_ticks=tuple((x(d), d.isoformat()) for d in _tick_days(chart.start, chart.end)),
        redness=tuple((x(p.day), y(p.redness)) for p in chart.points),
        swelling=tuple((x(p.day), y(p.swelling)) for p in chart.points),
        session_y=session_y, sessions=tuple(x(d) for d in chart.sessions),
        exposure_y=exposure_y, exposures=tuple(x(d) for d in chart.exposures),
        label_y=label_y)


def _tick_days(start: date, end: date, most: int = 5) -> list[date]:
    """Up to `most` dates from start to end, evenly spread, both ends included."""
    span = (end - start).days
    if span <= 0:
        return [start]
    n = min(most - 1, span)
    return sorted({start + timedelta(days=round(span * i / n)) for i in range(n + 1)})


__all__ = [
    "SAFETY_NOTICE", "TITLE", "ABOUT", "PAPERS", "TYPE_LABELS", "Entry", "Hold",
    "SettingRow", "Answer", "Chart", "ChartPoint", "Report", "ChartLayout", "gather",
    "period", "chart_layout", "ratings", "resolution", "safe",
]
