"""History: heat map, charts (minutes, redness/swelling, score), streak runs and tables.

The only module that imports textual-plotext, so the app does not pay for it at start.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual_plotext import PlotextPlot

from planner.app import sections
from planner.app.base import AppScreen
from planner.app.entries import TYPE_FILTERS, item_summary
from planner.app.forms.dialogs import RECORDS_CSS, FieldError, guard, parse_day
from planner.app.screens.section import ShowsJournal
from planner.app.widgets.heatmap import LEGEND, HeatMap
from planner.domain.streaks import score_series

SECTION = sections.HISTORY

MAX_ROWS = 1000        # newest records in the table
MAX_BARS = 40          # sessions in the minutes chart
SKIN_DAYS = 180        # days of skin records in the redness/swelling chart
SCORE_DAYS = 365       # days of the score chart


def _short(d: date) -> str:
    return d.strftime("%d/%m/%Y")


class MinutesPlot(PlotextPlot):
    """Minutes of the last sessions; partial and aborted ones marked apart."""

    def show(self, sessions) -> None:
        plt = self.plt
        plt.clear_figure()
        recent = list(sessions)[-MAX_BARS:]
        if not recent:
            plt.title("Minutes per session — no sessions yet")
        else:
            xs = list(range(1, len(recent) + 1))
            done = [s.minutes if s.completed else 0 for s in recent]
            partial = [s.minutes if s.partial else 0 for s in recent]
            aborted = [s.minutes if s.aborted else 0 for s in recent]
            plt.bar(xs, done, label="completed", color="green")
            if any(partial):
                plt.bar(xs, partial, label="partial (▞)", color="yellow", marker="▞")
            if any(aborted):
                plt.bar(xs, aborted, label="aborted (╳)", color="red", marker="╳")
            step = max(1, len(recent) // 6)
            ticks = xs[::step]
            plt.xticks([float(t) for t in ticks],
                       [recent[i - 1].date.strftime("%m-%d") for i in ticks])
            plt.title(f"Minutes per session (last {len(recent)})")
            plt.ylim(0, max(10, max(s.minutes for s in recent)))
        plt.ylabel("min")
        self.refresh()


class SkinPlot(PlotextPlot):
    """Worst redness and swelling per day."""

    def show(self, skin, today: date) -> None:
        plt = self.plt
        plt.clear_figure()
        start = today - timedelta(days=SKIN_DAYS)
        by_day: dict[date, tuple[int, int]] = {}
        for r in skin:
            if start <= r.date <= today:
                red, sw = by_day.get(r.date, (0, 0))
                by_day[r.date] = (max(red, r.redness), max(sw, r.swelling))
        if not by_day:
            plt.title("Redness and swelling — no skin records yet")
        else:
            days_ = sorted(by_day)
            xs = [(d - days_[0]).days for d in days_]
            plt.plot(xs, [by_day[d][0] for d in days_], label="redness", marker="●",
                     color="red")
            plt.plot(xs, [by_day[d][1] for d in days_], label="swelling", marker="○",
                     color="blue")
            step = max(1, len(xs) // 5)
            plt.xticks([float(x) for x in xs[::step]],
                       [d.strftime("%m-%d") for d in days_][::step])
            plt.title("Redness and swelling (0 none … 4 severe)")
        plt.ylim(0, 4)
        plt.yticks([0, 1, 2, 3, 4])
        self.refresh()


class ScorePlot(PlotextPlot):
    """The habit score over the last year, in percent."""

    def show(self, series) -> None:
        plt = self.plt
        plt.clear_figure()
        series = list(series)[-SCORE_DAYS:]
        if not series:
            plt.title("Score — starts with the first session")
        else:
            xs = list(range(len(series)))
            plt.plot(xs, [v * 100 for _, v in series], marker="braille", color="green")
            step = max(1, len(xs) // 5)
            plt.xticks([float(x) for x in xs[::step]],
                       [d.strftime("%m-%d") for d, _ in series][::step])
            plt.title(f"Score {series[-1][1] * 100:.0f}% (habit strength)")
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        plt.ylabel("%")
        self.refresh()


class HistoryScreen(ShowsJournal, AppScreen):
    """Looking back: what happened, how often, and how the skin did."""

    CSS_PATH = RECORDS_CSS

    TITLE = "History"
    BINDINGS = [
        *sections.tab_bindings(SECTION),
        Binding("left_square_bracket", "earlier", "Earlier", key_display="["),
        Binding("right_square_bracket", "later", "Later", key_display="]"),
        Binding("f", "filter", "Filter records"),
        Binding("x", "clear_filter", "Clear filter"),
    ]
    PALETTE_COMMANDS = sections.tab_palette(SECTION)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with TabbedContent(id="history-tabs", initial="calendar"):
            with _pane("calendar"):
                with VerticalScroll(classes="rec-pane"):
                    yield Static("", id="heat-title", classes="rec-section-title")
                    yield HeatMap(id="heatmap")
                    yield Static(LEGEND, id="heat-legend", classes="rec-hint")
                    yield Static("", id="heat-summary", classes="rec-summary")
                    yield Static("", id="streak-summary", classes="rec-summary")
            with _pane("minutes"):
                yield MinutesPlot(id="minutes-plot")
            with _pane("skin"):
                yield SkinPlot(id="skin-plot")
            with _pane("score"):
                yield ScorePlot(id="score-plot")
            with _pane("streaks"):
                with Vertical(classes="rec-pane"):
                    yield Static("", id="runs-summary", classes="rec-summary")
                    yield DataTable(id="runs-table", cursor_type="row", zebra_stripes=True)
            with _pane("records"):
                with Vertical(classes="rec-pane"):
                    with Horizontal(classes="rec-toolbar rec-filter-row"):
                        yield Select(TYPE_FILTERS, allow_blank=False, value="all",
                                     id="h-type", compact=True)
                        yield Label("from", classes="rec-toolbar-label")
                        yield Input(placeholder="YYYY-MM-DD", id="h-from", max_length=10,
                                    compact=True)
                        yield Label("to", classes="rec-toolbar-label")
                        yield Input(placeholder="YYYY-MM-DD", id="h-to", max_length=10,
                                    compact=True)
                        yield Static("", id="h-count", classes="rec-toolbar-info")
                    yield FieldError(id="err-filter")
                    yield DataTable(id="h-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    @guard
    def on_mount(self) -> None:
        self.title = "acuplan · History"
        self._stale: set[str] = set(self.TABS)
        runs = self.query_one("#runs-table", DataTable)
        runs.add_column("First", key="first", width=10)
        runs.add_column("Last", key="last", width=10)
        runs.add_column("Sessions", key="length", width=8)
        runs.add_column("Days", key="days", width=6)
        table = self.query_one("#h-table", DataTable)
        table.add_column("Date", key="date", width=10)
        table.add_column("Type", key="type", width=10)
        table.add_column("Summary", key="summary")
        table.add_column("Note", key="note")
        self.loaded()
        self.refresh_data()

    # .............................................................. data

    TABS = tuple(t.id for t in SECTION.tabs)

    @guard
    def refresh_data(self) -> None:
        """Mark every tab stale and redraw the one on screen; others redraw when shown."""
        self._stale = set(self.TABS)
        if not self.query("#history-tabs"):
            return  # not composed yet: on_mount loads it
        self._refresh_active()

    def _refresh_active(self) -> None:
        tab = self.query_one("#history-tabs", TabbedContent).active or "calendar"
        if tab not in getattr(self, "_stale", ()):
            return
        self._stale.discard(tab)
        getattr(self, f"_fill_{tab}")()

    @on(TabbedContent.TabActivated, "#history-tabs")
    @guard
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._refresh_active()

    def _fill_calendar(self) -> None:
        planner = self.app.planner
        history = planner.state().history
        today = planner.today
        heat = self.query_one("#heatmap", HeatMap)
        heat.set_data(today, [s for s in history.sessions if s.date <= today],
                      [r for r in history.skin if r.date <= today])
        self._heat_texts()
        streak = planner.streak()
        until = ("—" if streak.days_until_break is None
                 else f"{streak.days_until_break} days until it breaks")
        self.query_one("#streak-summary", Static).update(Content(
            f"Session streak {streak.sessions_current} (longest {streak.sessions_longest}), "
            f"{until} · check-in streak {streak.checkins_current} "
            f"(longest {streak.checkins_longest}) · score {streak.score * 100:.0f}%"))

    def _fill_minutes(self) -> None:
        planner = self.app.planner
        self.query_one("#minutes-plot", MinutesPlot).show(
            [s for s in planner.state().history.sessions if s.date <= planner.today])

    def _fill_skin(self) -> None:
        planner = self.app.planner
        self.query_one("#skin-plot", SkinPlot).show(planner.state().history.skin, planner.today)

    def _fill_score(self) -> None:
        planner = self.app.planner
        state = planner.state()
        self.query_one("#score-plot", ScorePlot).show(
            score_series(state.history, state.settings, planner.today, planner.engine()))

    def _fill_streaks(self) -> None:
        streak = self.app.planner.streak()
        runs = self.query_one("#runs-table", DataTable)
        runs.clear()
        for first, last, length in reversed(streak.runs):
            runs.add_row(first.isoformat(), last.isoformat(), str(length),
                         str((last - first).days + 1))
        if streak.runs:
            self.query_one("#runs-summary", Static).update(Content(
                f"{len(streak.runs)} runs of sessions on schedule, newest first · current "
                f"{streak.sessions_current}, longest {streak.sessions_longest}"))
        else:
            self.query_one("#runs-summary", Static).update(Content(
                "No streak yet: a run starts with your first completed session."))

    def _fill_records(self) -> None:
        self._stale.discard("records")
        self._records()

    def _heat_texts(self) -> None:
        if not self.query("#heatmap"):
            return
        heat = self.query_one("#heatmap", HeatMap)
        weeks = heat.weeks_for(heat.size.width or self.size.width - 2 or 78)
        start = heat.first_day(weeks)
        last = min(start + timedelta(weeks=weeks, days=-1), heat.today)
        shown = [d for d in heat.marks if start <= d <= last]
        done = sum(heat.marks[d].completed for d in shown)
        partial = sum(heat.marks[d].partial for d in shown)
        aborted = sum(heat.marks[d].aborted for d in shown)
        skin = sum(heat.marks[d].skin for d in shown)
        self.query_one("#heat-title", Static).update(Content(
            f"{'Last' if heat.end is None else 'Earlier:'} {weeks} weeks, {start.isoformat()} "
            f"to {last.isoformat()}" + ("" if heat.end is None else "  (] for later)")))
        self.query_one("#heat-summary", Static).update(Content(
            f"{done - partial} completed sessions, "
            + (f"{partial} partial, " if partial else "")
            + f"{aborted} aborted, {skin} skin records in these weeks"))

    def on_resize(self) -> None:
        self.call_after_refresh(self._heat_texts)

    # ........................................................... records

    def _range(self) -> tuple[date | None, date | None] | None:
        err = self.query_one("#err-filter", FieldError)
        err.clear()
        out: list[date | None] = []
        for sel in ("#h-from", "#h-to"):
            raw = self.query_one(sel, Input).value.strip()
            if not raw:
                out.append(None)
                continue
            try:
                out.append(parse_day(raw, allow_future=True,
                                     what="from" if sel == "#h-from" else "to"))
            except ValueError as e:
                err.show(str(e))
                return None
        if out[0] and out[1] and out[1] < out[0]:
            err.show("'to' is before 'from'")
            return None
        return out[0], out[1]

    def _records(self) -> None:
        rng = self._range()
        if rng is None:
            return
        kind = self.query_one("#h-type", Select).value
        items = list(reversed(self.app.planner.history_items(*rng)))
        matching = [it for it in items if kind in ("all", Select.NULL) or it["type"] == kind]
        shown = matching[:MAX_ROWS]
        table = self.query_one("#h-table", DataTable)
        table.clear()
        for it in shown:
            table.add_row(Text(it["date"]), Text(it["type"]), Text(item_summary(it)),
                          Text(it.get("note") or ""), key=f"{it['type']}:{it['id']}")
        count = f"{len(matching)} records"
        if len(shown) < len(matching):
            count = f"newest {len(shown)} of {len(matching)}: narrow with from/to"
        self.query_one("#h-count", Static).update(count)

    @on(Select.Changed, "#h-type")
    @guard
    def _type_changed(self, event: Select.Changed) -> None:
        self._records()

    @on(Input.Submitted, "#h-from, #h-to")
    @guard
    def _range_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._records()

    @on(Input.Changed, "#h-from, #h-to")
    @guard
    def _range_changed(self, event: Input.Changed) -> None:
        if not event.value or len(event.value) == 10:
            self._records()

    # ........................................................... actions

    FIRST_FIELD = sections.tab_focus(SECTION)

    @guard
    def action_tab(self, tab: str) -> None:
        self.query_one("#history-tabs", TabbedContent).active = tab
        if tab in self.FIRST_FIELD:
            self.call_after_refresh(self.query_one(self.FIRST_FIELD[tab]).focus)

    @guard
    def _shift(self, direction: int) -> None:
        heat = self.query_one("#heatmap", HeatMap)
        self.query_one("#history-tabs", TabbedContent).active = "calendar"
        heat.shift(direction * heat.weeks_for(heat.size.width or 78))
        self._heat_texts()

    @guard
    def action_earlier(self) -> None:
        self._shift(-1)

    @guard
    def action_later(self) -> None:
        self._shift(1)

    def action_filter(self) -> None:
        self.query_one("#history-tabs", TabbedContent).active = "records"
        self.call_after_refresh(self.query_one("#h-type", Select).focus)

    @guard
    def action_clear_filter(self) -> None:
        self.query_one("#h-type", Select).value = "all"
        self.query_one("#h-from", Input).value = ""
        self.query_one("#h-to", Input).value = ""
        self._records()


def _pane(tab_id: str) -> TabPane:
    """The tab of the registry's History section with that id."""
    return TabPane(sections.tab_title(SECTION, tab_id), id=tab_id)
