"""A calendar heat map of sessions and skin records: one cell per day, weeks as columns.

A cell has two places and a space, so a session and a skin record on the same day both
show: the session's mark first, then the worst skin class of the day (an aborted session
with a red-flag reaction reads "⊘!"); a day with skin records only has its class mark in
the second place. Every mark has its own shape as well as a colour, so the map reads
under NO_COLOR:

    ● session  ◐ partial (ended early)  ⊘ aborted (stopped: unwell)  · nothing
    ○ skin fine  △ mild  ▲ moderate  ◆ severe  ! red flag

A keyboard cursor (arrows, home/end) picks a day; `DaySelected` tells the screen, which
shows the day's records. Today is underlined.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from planner.app.entries import CLASS_GLYPH
from planner.domain.vocabulary import CLASSES

# kind -> (mark, style). Sessions: the best-known outcome of the day's sessions.
SESSION_MARKS = {
    "session": ("●", "bold $success"),
    "partial": ("◐", "bold $success"),
    "aborted": ("⊘", "bold $warning"),
}
# Skin classes (vocabulary.CLASSES, worst of the day), in rank order.
SKIN_MARKS = {cls: (CLASS_GLYPH[cls], style) for cls, style in (
    ("none", "$accent"), ("mild", "$accent"), ("moderate", "bold $warning"),
    ("severe", "bold $error"), ("red-flag", "bold $error"))}
EMPTY = ("·", "$text-disabled")
WORDS = {
    "session": "session", "partial": "partial", "aborted": "aborted",
    "none": "skin fine", "mild": "mild", "moderate": "moderate", "severe": "severe",
    "red-flag": "red flag",
}
WEEKDAYS = ("Mo", "", "We", "", "Fr", "", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LABEL_WIDTH = 3
CELL_WIDTH = 3  # session mark, skin mark, space


def legend() -> Content:
    """Two lines, each within 76 columns: the session marks, then the skin marks."""
    def item(mark: tuple[str, str], words: str) -> Content:
        return Content.assemble(mark, f" {words}  ")

    sessions = [item(SESSION_MARKS["session"], "session"),
                item(SESSION_MARKS["partial"], "partial"),
                item(SESSION_MARKS["aborted"], "aborted"), item(EMPTY, "nothing"),
                Content.assemble(SESSION_MARKS["aborted"], SKIN_MARKS["red-flag"],
                                 " both on one day")]
    skin = [item(mark, WORDS[cls]) for cls, mark in SKIN_MARKS.items()]
    return Content("\n").join([Content("").join(sessions).rstrip(),
                               Content("").join(skin).rstrip()])


LEGEND = legend().plain


@dataclass
class DayMarks:
    completed: int = 0   # sessions that count (completed or partial)
    partial: int = 0     # of which ended early
    aborted: int = 0
    skin: int = 0
    worst_rank: int = 0  # of the skin records (vocabulary.CLASSES)
    minutes: int = 0

    @property
    def session_kind(self) -> str | None:
        """The day's session mark: a full session wins over one ended early, which wins
        over an aborted one (the aborted one still shows in the day's records)."""
        if self.completed > self.partial:
            return "session"
        if self.partial:
            return "partial"
        if self.aborted:
            return "aborted"
        return None

    @property
    def skin_kind(self) -> str | None:
        """The worst skin class of the day, or None without skin records."""
        return CLASSES[self.worst_rank] if self.skin else None

    @property
    def records(self) -> int:
        return self.completed + self.aborted + self.skin


class HeatMap(Widget, can_focus=True):
    """Sessions and skin records of the last weeks, as many as fit the width (at most 53)."""

    DEFAULT_CSS = """
    HeatMap { height: 8; width: 1fr; }
    """

    BINDINGS = [
        Binding("left", "move(-7)", "Week before", show=False),
        Binding("right", "move(7)", "Week after", show=False),
        Binding("up", "move(-1)", "Day before", show=False),
        Binding("down", "move(1)", "Day after", show=False),
        Binding("home", "first", "First day shown", show=False),
        Binding("end", "last", "Today", show=False),
    ]

    class DaySelected(Message):
        """The cursor is on a new day (or the data under it changed)."""

        def __init__(self, heatmap: HeatMap, day: date) -> None:
            super().__init__()
            self.heatmap = heatmap
            self.day = day

        @property
        def control(self) -> HeatMap:
            return self.heatmap

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = date.today()
        self.end: date | None = None  # last day shown; None: today
        self.cursor = self.today
        self.marks: dict[date, DayMarks] = {}
        self.max_weeks = 53

    def set_data(self, today: date, sessions, skin) -> None:
        """`sessions`: Session values; `skin`: SkinRecord values."""
        if self.cursor == self.today or self.cursor > today:
            self.cursor = today
        self.today = today
        marks: dict[date, DayMarks] = {}
        for s in sessions:
            m = marks.setdefault(s.date, DayMarks())
            if s.aborted:
                m.aborted += 1
            else:
                m.completed += 1
                m.partial += s.partial
            m.minutes += s.minutes
        for r in skin:
            m = marks.setdefault(r.date, DayMarks())
            m.skin += 1
            m.worst_rank = max(m.worst_rank, r.rank)
        self.marks = marks
        self.refresh()
        self._selected()

    # ............................................................ geometry

    def weeks_for(self, width: int) -> int:
        return max(4, min(self.max_weeks, (width - LABEL_WIDTH) // CELL_WIDTH))

    @property
    def weeks(self) -> int:
        """Weeks shown at the present width."""
        return self.weeks_for(self.size.width or 80)

    @property
    def last_day(self) -> date:
        return min(self.end or self.today, self.today)

    def first_day(self, weeks: int) -> date:
        """The Monday starting the first column."""
        last = self.last_day
        return last - timedelta(days=last.weekday()) - timedelta(weeks=weeks - 1)

    def last_shown(self, weeks: int) -> date:
        """The last day with a cell: today, or the Sunday ending the last column."""
        last = self.last_day
        return min(last + timedelta(days=6 - last.weekday()), self.today)

    def shift(self, weeks: int) -> None:
        """Show earlier (negative) or later (positive) weeks, never past today; the cursor
        moves along."""
        end = self.last_day + timedelta(weeks=weeks)
        self.end = None if end >= self.today else end
        self.cursor = min(self.cursor + timedelta(weeks=weeks), self.today)
        self.refresh()
        self._selected()

    def cells(self, weeks: int | None = None) -> dict[date, tuple[str | None, str | None]]:
        """(session kind, skin class) of every day shown, None where there is none
        (future days of this week left out)."""
        weeks = weeks or self.weeks
        start = self.first_day(weeks)
        last = self.last_shown(weeks)
        out: dict[date, tuple[str | None, str | None]] = {}
        d = start
        while d <= last:
            m = self.marks.get(d)
            out[d] = (m.session_kind, m.skin_kind) if m else (None, None)
            d += timedelta(days=1)
        return out

    def counts(self, weeks: int | None = None) -> dict[str, int]:
        """Days shown per mark: session kinds, skin classes, and "empty" days."""
        out: dict[str, int] = {}
        for session, skin in self.cells(weeks).values():
            for kind in (session, skin) if session or skin else ("empty",):
                if kind:
                    out[kind] = out.get(kind, 0) + 1
        return out

    def month_labels(self, weeks: int) -> list[tuple[int, str]]:
        """(column, month name) over the map: each month over the week holding its 1st;
        the first column's month too when there is room before the next label."""
        start = self.first_day(weeks)
        labels: list[tuple[int, str]] = []
        for w in range(weeks):
            monday = start + timedelta(weeks=w)
            sunday = monday + timedelta(days=6)
            if sunday.day <= 7:  # the week holds a 1st (Monday .. Sunday)
                labels.append((w, MONTHS[sunday.month - 1]))
            elif w == 0:
                labels.append((w, MONTHS[monday.month - 1]))
        # A label takes 3 columns of text and a space: 2 cells. Only the first column's
        # month may be too close to the next one (months are 4 weeks or more apart).
        if len(labels) > 1 and (labels[1][0] - labels[0][0]) * CELL_WIDTH < 4:
            del labels[0]
        return labels

    # ............................................................. drawing

    def render_text(self, width: int) -> Content:
        weeks = self.weeks_for(width)
        start = self.first_day(weeks)
        cells = self.cells(weeks)
        header = [" "] * (LABEL_WIDTH + weeks * CELL_WIDTH + 2)
        for w, name in self.month_labels(weeks):
            pos = LABEL_WIDTH + w * CELL_WIDTH
            header[pos:pos + len(name)] = list(name)
        lines = [Content.styled("".join(header).rstrip(), "bold")]
        cursor_style = "reverse" if self.has_focus else "underline"
        for wd in range(7):
            parts: list[tuple[str, str] | str] = [(f"{WEEKDAYS[wd]:<{LABEL_WIDTH}}",
                                                   "$text-muted")]
            for w in range(weeks):
                d = start + timedelta(weeks=w, days=wd)
                if d not in cells:
                    parts.append(" " * CELL_WIDTH)
                    continue
                session, skin = cells[d]
                first = SESSION_MARKS[session] if session else EMPTY if not skin else (" ", "")
                second = SKIN_MARKS[skin] if skin else (" ", "")
                extra = ("bold underline" if d == self.today else "")
                if d == self.cursor:
                    extra = f"{extra} {cursor_style}".strip()
                for glyph, style in (first, second):
                    parts.append((glyph, f"{style} {extra}".strip()))
                parts.append(" " * (CELL_WIDTH - 2))
            lines.append(Content.assemble(*parts).rstrip())
        return Content("\n").join(lines)

    def render(self) -> Content:
        return self.render_text(self.size.width or 80)

    # ............................................................. cursor

    def day_marks(self, d: date | None = None) -> DayMarks:
        return self.marks.get(d or self.cursor) or DayMarks()

    def set_cursor(self, d: date) -> None:
        """Put the cursor on `d` (never after today), paging the map to show it."""
        d = min(d, self.today)
        weeks = self.weeks
        if d < self.first_day(weeks):
            # the cursor's week becomes the first column
            monday = d - timedelta(days=d.weekday())
            self.end = monday + timedelta(weeks=weeks - 1, days=6)
        elif d > self.last_shown(weeks):
            self.end = None if d >= self.today - timedelta(days=self.today.weekday()) else d
        self.cursor = d
        self.refresh()
        self._selected()

    def _selected(self) -> None:
        self.post_message(self.DaySelected(self, self.cursor))

    def action_move(self, days: int) -> None:
        self.set_cursor(self.cursor + timedelta(days=days))

    def action_first(self) -> None:
        self.set_cursor(self.first_day(self.weeks))

    def action_last(self) -> None:
        self.end = None
        self.set_cursor(self.today)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        row, col = event.y - 1, (event.x - LABEL_WIDTH) // CELL_WIDTH
        if 0 <= row < 7 and col >= 0 and event.x >= LABEL_WIDTH:
            d = self.first_day(self.weeks) + timedelta(weeks=col, days=row)
            if d in self.cells():
                self.focus()
                self.set_cursor(d)


__all__ = ["HeatMap", "DayMarks", "LEGEND", "SESSION_MARKS", "SKIN_MARKS", "WORDS", "legend"]
