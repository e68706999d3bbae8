"""History: heat map, charts (minutes, redness/swelling, score), streak runs, tables and
insights (what went with skin reactions: planner/app/widgets/insights.py).

The only module that imports textual-plotext, so the app does not pay for it at start.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
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
from planner.app.entries import SKIN_TYPES, TYPE_FILTERS, item_summary, skin_summary
from planner.app.forms.dialogs import RECORDS_CSS, FieldError, guard, parse_day
from planner.app.screens.section import ShowsJournal
from planner.app.widgets.heatmap import WORDS, HeatMap, legend
from planner.app.widgets.insights import InsightsView
from planner.domain.streaks import score_series

HISTORY_CSS = str(Path(RECORDS_CSS).with_name("history.tcss"))

SECTION = sections.HISTORY

MAX_ROWS = 1000        # newest records in the table
MAX_STREAK_BARS = 8    # streaks in the streak chart
SKIN_DAYS = 180        # days of skin records in the redness/swelling chart
SCORE_DAYS = 365       # days of the score chart


def plural(n: int, word: str, words: str | None = None) -> str:
    """ "1 session", "2 sessions" (`words`: the plural when it is not word + "s")."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


# ............................................................ minutes chart

MIN_SLOTS = 8        # a lone session takes one slot of 8, not the whole width
BAR_COLUMNS = 3      # at most one bar per 3 columns: the bar, and a gap on each side
TICK_COLUMNS = 7     # a date label "06-12" and room around it


def minutes_capacity(width: int) -> int:
    """How many bars the chart draws at `width` columns (y axis and borders left out)."""
    return max(1, (width - 7) // BAR_COLUMNS)


def _nice_step(top: int) -> int:
    return next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200) if top / s <= 5)


def draw_minutes(plt, sessions: list, width: int, total: int) -> None:
    """Draw `sessions` (those that fit, oldest first) on plotext's `plt`: one bar per
    session with a gap on both sides, slot i for the i-th, dated below; `total`: how
    many sessions there are in all."""
    plt.clear_figure()
    if not sessions:
        plt.title("Minutes per session — no sessions yet")
        plt.ylim(0, 10)
        plt.yticks([0, 5, 10])
        return
    n = len(sessions)
    slots = max(n, MIN_SLOTS)
    columns = max(8, width - 7)
    per_slot = columns / slots
    bar_width = 0.5 if per_slot >= 5 else 0.01  # 0.01: one column whatever the slot
    xs = list(range(1, n + 1))
    series = [("completed", "green", "█", [s.minutes if s.completed else 0 for s in sessions]),
              ("partial", "yellow", "▞", [s.minutes if s.partial else 0 for s in sessions]),
              ("aborted", "red", "╳", [s.minutes if s.aborted else 0 for s in sessions])]
    for label, color, marker, ys in series:
        if any(ys):
            plt.bar(xs, ys, width=bar_width, color=color, marker=marker, label=label)
    plt.xlim(0.5, slots + 0.5)
    every = max(1, -(-TICK_COLUMNS // max(1, int(per_slot))))
    ticks = xs[::-1][::every][::-1]  # the newest session always has its date
    plt.xticks([float(t) for t in ticks],
               [sessions[t - 1].date.strftime("%m-%d") for t in ticks])
    top = max(10, max(s.minutes for s in sessions))
    top = int(top * 1.3) + 1  # headroom for the legend
    plt.ylim(0, top)
    plt.yticks(list(range(0, top + 1, _nice_step(top))))
    first, last = sessions[0].date.isoformat(), sessions[-1].date.isoformat()
    what = plural(n, "session") if n == total else f"{n} of {total}, [ ] for more"
    plt.title(f"Minutes per session: {what}, {first} to {last}")


class MinutesPlot(PlotextPlot):
    """Minutes of the sessions, one bar each (partial and aborted ones marked apart), as
    many of the newest as fit the width; [ and ] page through the older ones."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sessions: list = []
        self.newer = 0          # sessions left out at the new end (paging back)
        self._drawn: tuple | None = None

    def show(self, sessions) -> None:
        self.sessions = list(sessions)
        self.newer = 0
        self._drawn = None
        self.refresh()

    @property
    def capacity(self) -> int:
        return minutes_capacity(self.size.width or 80)

    def window(self) -> tuple[int, int]:
        """[start, end) of the sessions drawn at the present width."""
        end = len(self.sessions) - self.newer
        return max(0, end - self.capacity), end

    @property
    def bars(self) -> list:
        """The sessions drawn, one bar each, oldest first."""
        start, end = self.window()
        return self.sessions[start:end]

    def page(self, direction: int) -> None:
        """Older (-1) or newer (+1) sessions, a chart's width at a time."""
        step = self.capacity
        most = max(0, len(self.sessions) - step)
        self.newer = min(most, max(0, self.newer - direction * step))
        self.refresh()

    def render(self):
        key = (self.size.width, self.newer)
        if key != self._drawn:
            draw_minutes(self.plt, self.bars, self.size.width or 80, len(self.sessions))
            self._drawn = key
        return super().render()


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


# ............................................................ streak chart

Run = tuple[date, date, int]  # (first session, last session, sessions): StreakInfo.runs


def longest_by_date(runs: list[Run], limit: int) -> list[Run]:
    """The `limit` longest streaks (the later of equal ones), newest at top, as Loop Habit
    Tracker shows them."""
    best = sorted(runs, key=lambda r: (r[2], r[0]), reverse=True)[:limit]
    return sorted(best, key=lambda r: r[0], reverse=True)


class StreakBars(Widget):
    """Streaks as bars, as Loop Habit Tracker draws them: the first session's date, a bar
    as long as the streak (sessions on schedule, the longest across the width), the
    count, the last session's date; the current streak marked "now"."""

    DEFAULT_CSS = """
    StreakBars { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.runs: list[Run] = []
        self.current: Run | None = None
        self.limit = MAX_STREAK_BARS

    def show(self, runs, current: Run | None) -> None:
        self.runs = list(runs)
        self.current = current
        self.refresh(layout=True)

    @property
    def rows(self) -> list[Run]:
        """The streaks drawn, top to bottom."""
        return longest_by_date(self.runs, self.limit)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows)

    def render(self) -> Content:
        rows = self.rows
        if not rows:
            return Content("")
        longest = max(n for _, _, n in rows)
        digits = len(str(longest))
        room = max(4, (self.size.width or 76) - 2 * 11 - digits - 1 - len("  now"))
        lines = []
        for run in rows:
            first, last, n = run
            now = run == self.current
            bar = "█" * max(1, round(n / longest * room))
            lines.append(Content.assemble(
                f"{first.isoformat()} ", (bar, "$success" if now else "$primary"),
                f" {n} ", last.isoformat(), ("  now", "bold") if now else ""))
        return Content("\n").join(lines)


class HistoryScreen(ShowsJournal, AppScreen):
    """Looking back: what happened, how often, and how the skin did."""

    CSS_PATH = [RECORDS_CSS, HISTORY_CSS]

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
                    yield Static("", id="heat-day", classes="rec-hint")
                    yield Static(legend(), id="heat-legend", classes="rec-hint")
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
                    yield Static("", id="streak-chart-title", classes="rec-hint")
                    yield StreakBars(id="streak-bars")
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
            with _pane("insights"):
                yield InsightsView(id="insights-view")
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
        self.query_one("#heatmap", HeatMap).focus()
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
        self.query_one("#streak-summary", Static).update(Content(self._streak_words()))

    def _streak_words(self) -> str:
        """The streaks and the score in words: three lines."""
        planner = self.app.planner
        streak = planner.streak()
        today = planner.today
        if streak.sessions_current:
            if planner.engine().blocked_days(today, today)[0]:
                until = "the streak is frozen while sessions are blocked"
            elif not streak.days_until_break:
                until = "the streak breaks after today"
            else:
                until = f"the streak breaks in {plural(streak.days_until_break, 'day')}"
            sessions = (f"Sessions on schedule: {streak.sessions_current} in a row "
                        f"(longest {streak.sessions_longest}), {until}.")
        elif streak.sessions_longest:
            sessions = ("Sessions on schedule: no streak running (longest "
                        f"{plural(streak.sessions_longest, 'session')}).")
        else:
            sessions = "Sessions on schedule: none yet."
        if streak.checkins_current:
            checkins = (f"Check-ins: {plural(streak.checkins_current, 'day')} in a row "
                        f"(longest {streak.checkins_longest})")
        elif streak.checkins_longest:
            checkins = ("Check-ins: none today or yesterday (longest "
                        f"{plural(streak.checkins_longest, 'day')} in a row)")
        else:
            checkins = "Check-ins: none yet"
        return (f"{sessions}\n{checkins}.\n"
                f"Habit score {streak.score * 100:.0f}% (how regular the sessions have been).")

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
        runs = list(streak.runs)
        current = runs[-1] if runs and streak.sessions_current else None
        bars = self.query_one("#streak-bars", StreakBars)
        bars.show(runs, current)
        table = self.query_one("#runs-table", DataTable)
        table.clear()
        for first, last, length in reversed(runs):
            table.add_row(first.isoformat(), last.isoformat(), str(length),
                          str((last - first).days + 1))
        summary = self.query_one("#runs-summary", Static)
        title = self.query_one("#streak-chart-title", Static)
        if not runs:
            summary.update(Content(
                "No streak yet: a streak starts with your first completed session."))
            title.update("")
            return
        now = (f"now {streak.sessions_current} in a row" if streak.sessions_current
               else "none running now")
        summary.update(Content(
            f"{plural(len(runs), 'streak')} of sessions on schedule; {now}, "
            f"the longest {plural(streak.sessions_longest, 'session')}."))
        shown = len(bars.rows)
        if shown < len(runs):
            which = f"The {shown} longest, newest at top"
        else:
            which = "The streak" if shown == 1 else f"All {shown}, newest at top"
        title.update(Content(f"{which}: first session, sessions in a row, last session."))

    def _fill_insights(self) -> None:
        from planner.service.insights import journal_insights

        self.query_one("#insights-view", InsightsView).show(journal_insights(self.app.planner))

    def _fill_records(self) -> None:
        self._stale.discard("records")
        self._records()

    def _heat_texts(self) -> None:
        if not self.query("#heatmap"):
            return
        heat = self.query_one("#heatmap", HeatMap)
        weeks = heat.weeks_for(heat.size.width or self.size.width - 2 or 78)
        start = heat.first_day(weeks)
        last = heat.last_shown(weeks)
        shown = [heat.marks[d] for d in heat.marks if start <= d <= last]
        done = sum(m.completed - m.partial for m in shown)
        partial = sum(m.partial for m in shown)
        aborted = sum(m.aborted for m in shown)
        skin = sum(m.skin for m in shown)
        worse = sum(1 for m in shown if m.skin and m.worst_rank >= 2)
        self.query_one("#heat-title", Static).update(Content(
            f"{'Last' if heat.end is None else 'Earlier:'} {weeks} weeks, {start.isoformat()} "
            f"to {last.isoformat()}" + ("" if heat.end is None else " (] for later)")
            + " · arrows pick a day"))
        sessions = [plural(done, "completed session")]
        if partial:
            sessions.append(f"{partial} partial")
        sessions.append(f"{aborted} aborted")
        skin_words = plural(skin, "skin record")
        if worse:
            skin_words += f", {plural(worse, 'day')} moderate or worse"
        self.query_one("#heat-summary", Static).update(Content(
            f"{', '.join(sessions)}; {skin_words}."))

    @on(HeatMap.DaySelected, "#heatmap")
    @guard
    def _day_selected(self, event: HeatMap.DaySelected) -> None:
        self._heat_texts()
        self.query_one("#heat-day", Static).update(Content(self._day_words(event.day)))

    def _day_words(self, day: date) -> str:
        """The selected day's records in one line or two."""
        items = [it for it in self.app.planner.history_items(day, day)
                 if it["type"] != "plan" or not it.get("fulfilled_by")]
        head = f"{day:%a} {day.isoformat()}"
        if day == self.app.planner.today:
            head += " (today)"
        if not items:
            return f"{head}: nothing recorded."
        return f"{head}, {plural(len(items), 'record')}: " + "; ".join(map(_item_words, items))

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

    FIRST_FIELD = {"calendar": "#heatmap", **sections.tab_focus(SECTION)}

    @guard
    def action_tab(self, tab: str) -> None:
        self.query_one("#history-tabs", TabbedContent).active = tab
        if tab in self.FIRST_FIELD:
            self.call_after_refresh(self.query_one(self.FIRST_FIELD[tab]).focus)

    @guard
    def _shift(self, direction: int) -> None:
        """[ and ]: page the minutes chart when it is shown, else the heat map."""
        tabs = self.query_one("#history-tabs", TabbedContent)
        if tabs.active == "minutes":
            self.query_one("#minutes-plot", MinutesPlot).page(direction)
            return
        heat = self.query_one("#heatmap", HeatMap)
        tabs.active = "calendar"
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


def _item_words(item: dict) -> str:
    """A record of the day in a few words: "aborted session 5 min", "check-in red flag"."""
    kind = item["type"]
    if kind == "session":
        outcome = item.get("outcome", "completed")
        words = "session" if outcome == "completed" else f"{outcome} session"
        rest = item_summary(item)
        return f"{words} {rest.replace(' · ' + outcome, '')}"
    if kind in SKIN_TYPES:
        name = "check-in" if kind == "checkin" else kind
        cls = item.get("class", "none")
        if cls == "none" and not item.get("flags") and not item.get("zone"):
            return f"{name}, skin fine"
        return f"{name} {WORDS.get(cls, cls)} ({skin_summary(item)})"
    return f"{kind} {item_summary(item)}"


def _pane(tab_id: str) -> TabPane:
    """The tab of the registry's History section with that id."""
    return TabPane(sections.tab_title(SECTION, tab_id), id=tab_id)
