"""A calendar heat map of sessions and check-ins: one cell per day, weeks as columns.

Each day has a glyph as well as a colour, so it reads under NO_COLOR:
✕ aborted session, ● completed session, ▲ skin record of class moderate or worse,
○ check-in or reaction, · nothing recorded. The glyph of the most important
event wins. Today is shown reversed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from rich.text import Text
from textual.widget import Widget

GLYPHS = {
    "aborted": ("✕", "bold red"),
    "session": ("●", "bold green"),
    "warning": ("▲", "bold yellow"),
    "checkin": ("○", "cyan"),
    "empty": ("·", "dim"),
    "future": (" ", ""),
}
LEGEND = "● session  ✕ aborted  ○ check-in  ▲ moderate or worse skin  · nothing"
WEEKDAYS = ("Mo", "", "We", "", "Fr", "", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LABEL_WIDTH = 3
CELL_WIDTH = 2


@dataclass
class DayMarks:
    completed: int = 0   # sessions that count (completed or partial)
    partial: int = 0     # of which ended early
    aborted: int = 0
    skin: int = 0
    worst_rank: int = 0
    minutes: int = 0
    kinds: set = field(default_factory=set)

    @property
    def kind(self) -> str:
        if self.aborted:
            return "aborted"
        if self.completed:
            return "session"
        if self.skin and self.worst_rank >= 2:
            return "warning"
        if self.skin:
            return "checkin"
        return "empty"


class HeatMap(Widget):
    """Sessions and check-ins of the last weeks, as many as fit the width (at most 53)."""

    DEFAULT_CSS = """
    HeatMap { height: 8; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = date.today()
        self.end: date | None = None  # last day shown; None: today
        self.marks: dict[date, DayMarks] = {}
        self.max_weeks = 53

    def set_data(self, today: date, sessions, skin) -> None:
        """`sessions`: Session values; `skin`: SkinRecord values."""
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

    # ............................................................ geometry

    def weeks_for(self, width: int) -> int:
        return max(4, min(self.max_weeks, (width - LABEL_WIDTH) // CELL_WIDTH))

    @property
    def last_day(self) -> date:
        return min(self.end or self.today, self.today)

    def first_day(self, weeks: int) -> date:
        """The Monday starting the first column."""
        last = self.last_day
        return last - timedelta(days=last.weekday()) - timedelta(weeks=weeks - 1)

    def shift(self, weeks: int) -> None:
        """Show earlier (negative) or later (positive) weeks, never past today."""
        end = self.last_day + timedelta(weeks=weeks)
        self.end = None if end >= self.today else end
        self.refresh()

    def cells(self, weeks: int | None = None) -> dict[date, str]:
        """The glyph kind of every day shown (future days of this week left out)."""
        weeks = weeks or self.weeks_for(self.size.width or 80)
        start = self.first_day(weeks)
        out = {}
        for i in range(weeks * 7):
            d = start + timedelta(days=i)
            if d > self.today or (self.end is not None and d > self.end + timedelta(
                    days=6 - self.end.weekday())):
                break
            m = self.marks.get(d)
            out[d] = m.kind if m else "empty"
        return out

    def counts(self, weeks: int | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for kind in self.cells(weeks).values():
            out[kind] = out.get(kind, 0) + 1
        return out

    # ............................................................. drawing

    def render_text(self, width: int) -> Text:
        weeks = self.weeks_for(width)
        start = self.first_day(weeks)
        cells = self.cells(weeks)
        text = Text(no_wrap=True, overflow="crop")
        # month labels over the first column of each month (if there is room)
        row_width = LABEL_WIDTH + weeks * CELL_WIDTH
        header = [" "] * (max(width, row_width) + 4)
        last_month = None
        free_from = 0
        for w in range(weeks):
            monday = start + timedelta(weeks=w)
            if monday.month != last_month:
                label = MONTHS[monday.month - 1]
                pos = LABEL_WIDTH + w * CELL_WIDTH
                if pos >= free_from:
                    header[pos:pos + len(label)] = list(label)
                    free_from = pos + len(label) + 1
                last_month = monday.month
        text.append("".join(header[:max(width, row_width)]).rstrip() + "\n", style="bold")
        for wd in range(7):
            text.append(f"{WEEKDAYS[wd]:<{LABEL_WIDTH}}", style="dim")
            for w in range(weeks):
                d = start + timedelta(weeks=w, days=wd)
                kind = cells.get(d, "future")
                glyph, style = GLYPHS[kind]
                if d == self.today:
                    style = (style + " reverse").strip()
                text.append(glyph, style=style)
                text.append(" ")
            if wd < 6:
                text.append("\n")
        return text

    def render(self) -> Text:
        return self.render_text(self.size.width or 80)
