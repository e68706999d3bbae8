"""A month calendar of DayViews: a symbol and a colour per day, a keyboard cursor.

Every status has its own symbol so the calendar reads without colour (NO_COLOR):
✓ done · ◐ partial (ended early) · ⊘ aborted (stopped: unwell) · ⚠ a session that broke
a rule · ◇ missed (a past plan with no session) · ◆ planned · ! planned but blocked ·
· allowed · ✕ blocked · (blank) past.
"""

from __future__ import annotations

import calendar as _cal
from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from textual import getters

    from planner.app.app import AcuplanApp

CELL = 5
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

# status -> (symbol, style, words)
STATUS = {
    "done": ("✓", "bold $success", "done"),
    "partial": ("◐", "bold $success", "partial session (ended early)"),
    "aborted": ("⊘", "bold $warning", "aborted session (stopped: unwell)"),
    "broke": ("⚠", "bold $error", "session that broke a rule"),
    "missed": ("◇", "$warning", "missed plan (no session)"),
    "planned": ("◆", "bold $accent", "planned"),
    "planned-blocked": ("!", "bold $error", "planned but blocked"),
    "allowed": ("·", "$success", "allowed"),
    "blocked": ("✕", "bold $text-error", "blocked"),  # bold: still seen under NO_COLOR
    "past": (" ", "$text-disabled", "past"),
}
# Days that were: their number is not greyed out.
HAPPENED = frozenset({"done", "partial", "aborted", "broke", "missed"})
# The legend: (status, short words) per line, each line within the calendar's width.
LEGEND = (
    (("done", "done"), ("partial", "partial"), ("aborted", "aborted")),
    (("broke", "broke a rule"), ("missed", "missed"), ("planned", "planned")),
    (("allowed", "allowed"), ("blocked", "blocked"), ("planned-blocked", "plan blocked")),
)


def cell_status(day) -> str:
    """The calendar status of a DayView, telling blocked plans apart."""
    if day.status == "planned" and any(pv.verdict is not None and not pv.verdict.allowed
                                       for pv in day.plans):
        return "planned-blocked"
    return day.status


def status_look(status: str) -> tuple[str, str, str]:
    """(symbol, style, words) of a status; an unknown one still reads (as "?")."""
    return STATUS.get(status) or ("?", "bold", status)


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, _cal.monthrange(y, m)[1]))


def legend_content() -> Content:
    parts: list = []
    for n, line in enumerate(LEGEND):
        if n:
            parts.append("\n")
        for i, (key, words) in enumerate(line):
            sym, style, _ = STATUS[key]
            if i:
                parts.append("  ")
            parts += [(sym, style), " ", words]
    return Content.assemble(*parts)


class MonthCalendar(Widget, can_focus=True):
    if TYPE_CHECKING:
        app = getters.app(AcuplanApp)
    """Shows one month (42 cells, Monday first); the cursor may move across months."""

    BINDINGS = [
        Binding("left", "move(-1)", "Day before", show=False),
        Binding("right", "move(1)", "Day after", show=False),
        Binding("up", "move(-7)", "Week before", show=False),
        Binding("down", "move(7)", "Week after", show=False),
    ]

    cursor: reactive[date] = reactive(date(2000, 1, 1), always_update=True, init=False)

    class Moved(Message):
        """The cursor is on a new day (or the data under it changed)."""

        def __init__(self, calendar: MonthCalendar, day: date) -> None:
            super().__init__()
            self.calendar = calendar
            self.day = day

    def __init__(self, today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.days: list = []
        self.shown: tuple[int, int] = (today.year, today.month)
        self.set_reactive(MonthCalendar.cursor, today)

    # ------------------------------------------------------------- data

    def load(self) -> None:
        """(Re)read the shown month from the planner."""
        y, m = self.cursor.year, self.cursor.month
        self.shown = (y, m)
        self.days = self.app.planner.month(y, m)
        self.refresh()

    def day_view(self, d: date | None = None):
        d = d or self.cursor
        for dv in self.days:
            if dv.date == d:
                return dv
        return None

    def set_cursor(self, d: date) -> None:
        self.cursor = d

    def watch_cursor(self, old: date, new: date) -> None:
        if (new.year, new.month) != self.shown or not self.days:
            from planner.store.errors import StoreError

            try:
                self.load()
            except StoreError as exc:
                self.app.show_store_error(exc)
                return
        else:
            self.refresh()
        self.post_message(self.Moved(self, new))

    def action_move(self, delta: int) -> None:
        self.cursor = self.cursor + timedelta(days=delta)

    # ----------------------------------------------------------- render

    def get_content_width(self, container, viewport) -> int:
        return CELL * 7

    def get_content_height(self, container, viewport, width) -> int:
        return 7

    def render(self) -> Content:
        header = Content.assemble(*[(f"{w:>4} ", "bold $text-muted") for w in WEEKDAYS])
        lines = [header]
        for row in range(6):
            parts: list = []
            for col in range(7):
                i = row * 7 + col
                if i >= len(self.days):
                    parts.append(" " * CELL)
                    continue
                dv = self.days[i]
                sym, style, _ = status_look(cell_status(dv))
                num_style = "" if dv.in_month else "$text-disabled"
                if dv.date < self.today and cell_status(dv) not in HAPPENED:
                    num_style = "$text-disabled"
                if dv.date == self.today:
                    num_style = "bold underline"
                cell_style = ""
                if dv.date == self.cursor:
                    cell_style = "reverse" if self.has_focus else "underline"
                num = (f"{dv.date.day:>3}", f"{num_style} {cell_style}".strip())
                symbol = (sym, f"{style if dv.in_month else '$text-disabled'} {cell_style}")
                parts += [num, symbol, (" ", cell_style)]
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        row, col = event.y - 1, event.x // CELL
        if 0 <= row < 6 and 0 <= col < 7:
            i = row * 7 + col
            if i < len(self.days):
                self.focus()
                self.cursor = self.days[i].date


__all__ = ["MonthCalendar", "STATUS", "HAPPENED", "cell_status", "status_look", "add_months",
           "legend_content"]
