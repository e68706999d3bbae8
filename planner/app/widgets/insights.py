"""History's Insights tab (SPEC §10): what went with a skin reaction after a session.

A note that these are associations in one person's records, a line on what was compared,
one table row per exposure level (highest lower bound first) and, under the table, the
highlighted row in words ("went with", never "caused"). Fits 80x24: the table scrolls.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from planner.domain.insights import (
    FOLLOW_UP_DAYS,
    MIN_SESSIONS,
    NOTE,
    Insights,
    Row,
    percent,
    points,
    sentence,
)

HEAD = (f"What went with a skin reaction (mild or worse, 0–{FOLLOW_UP_DAYS} days after a "
        "session)")
EXPOSURE_WIDTH = 28
COLUMNS = (("With it", "with", 10), ("Without", "without", 10), ("Difference", "difference", 17))


def side(row: Row, with_it: bool) -> str:
    """ "4/10 40%", or "3 sessions" when there is too little data for a share."""
    n = row.with_sessions if with_it else row.without_sessions
    k = row.with_reactions if with_it else row.without_reactions
    share = row.with_share if with_it else row.without_share
    return f"{n} sessions" if share is None else f"{k}/{n} {percent(share)}"


def figure(row: Row) -> str:
    """ "+30 (+2 to +55)" in percentage points, or "too little data"."""
    if row.difference is None or row.low is None or row.high is None:
        return "too little data"
    return f"{points(row.difference)} ({points(row.low)} to {points(row.high)})"


def summary(result: Insights) -> str:
    left = ""
    if result.left_out:
        n = result.left_out
        left = (f" {n} recent session{'s' if n != 1 else ''} left out: "
                f"{FOLLOW_UP_DAYS} days have not passed yet.")
    if not result.sessions or result.first is None or result.last is None:
        return "No sessions to compare yet." + left
    n = result.sessions
    return (f"{n} session{'s' if n != 1 else ''} {result.first.isoformat()} to "
            f"{result.last.isoformat()} · highest first · points, 95% interval.{left}")


class InsightsView(Vertical):
    """The Insights tab: `show(result)` fills it."""

    DEFAULT_CSS = """
    InsightsView { height: 1fr; padding: 0 1; }
    InsightsView #insights-head { text-style: bold; }
    InsightsView #insights-note { color: $text-muted; }
    InsightsView #insights-table { height: 1fr; }
    InsightsView #insights-row { height: auto; min-height: 3; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: tuple[Row, ...] = ()
        self._width = EXPOSURE_WIDTH

    def compose(self) -> ComposeResult:
        yield Static(Content(HEAD), id="insights-head")
        yield Static(Content(NOTE), id="insights-note")
        yield Static("", id="insights-summary")
        yield DataTable(id="insights-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="insights-row")

    def on_mount(self) -> None:
        self._columns(EXPOSURE_WIDTH)

    def _columns(self, exposure_width: int) -> None:
        table = self.query_one("#insights-table", DataTable)
        table.clear(columns=True)
        table.add_column("Exposure", key="exposure", width=exposure_width)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        self._width = exposure_width

    def exposure_width(self) -> int:
        """The exposure column: its longest label when it fits, else what is left of the
        width (the highlighted row's words below say it whole)."""
        width = self.size.width or self.app.size.width
        room = width - 2 - 2 - sum(w for _, _, w in COLUMNS) - 2 * (len(COLUMNS) + 1)
        longest = max((len(r.label) for r in self.rows), default=EXPOSURE_WIDTH)
        return max(12, min(longest, room))

    def show(self, result: Insights) -> None:
        self.rows = result.rows
        self.query_one("#insights-summary", Static).update(Content(summary(result)))
        self._fill(keep_cursor=False)
        self._describe(0 if result.rows else None)

    def _fill(self, keep_cursor: bool = True) -> None:
        table = self.query_one("#insights-table", DataTable)
        cursor = table.cursor_row if keep_cursor else 0
        self._columns(self.exposure_width())
        for i, row in enumerate(self.rows):
            table.add_row(Text(row.label, overflow="ellipsis", no_wrap=True),
                          Text(side(row, True)), Text(side(row, False)), Text(figure(row)),
                          key=str(i))
        if 0 < cursor < len(self.rows):
            table.move_cursor(row=cursor)

    def on_resize(self) -> None:
        if self.rows and self.exposure_width() != self._width:
            self._fill()

    def _describe(self, index: int | None) -> None:
        words = ""
        if index is not None and 0 <= index < len(self.rows):
            words = sentence(self.rows[index])
        elif not self.rows:
            words = (f"A row needs at least {MIN_SESSIONS} sessions with an exposure and "
                     f"{MIN_SESSIONS} without it; log sessions with a routine and your skin "
                     "check-ins to see what went with reactions.")
        self.query_one("#insights-row", Static).update(Content(words))

    @on(DataTable.RowHighlighted, "#insights-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)


__all__ = ["InsightsView", "side", "figure", "summary", "HEAD"]
