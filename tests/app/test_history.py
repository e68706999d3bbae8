"""History section: heat map, charts, streak chart and runs, the filtered records table."""

from __future__ import annotations

import asyncio
import functools
import re
from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Input, Select, TabbedContent
from textual_plotext import PlotextPlot

from planner.app.widgets.heatmap import EMPTY, MONTHS, SESSION_MARKS, SKIN_MARKS
from tests.app.helpers import (
    SIZE,
    TODAY,
    days,
    journal_file,
    make_app,
    planner_for,
    text_of,
    wait_for,
)

SESSIONS = [(-70, 10), (-63, 10), (-56, 10), (-42, 10), (-35, 10), (-28, 15), (-14, 10)]
ABORTED = [-49]
CHECKINS = [-30, -20, -10, -3, -1]


def arun(fn):
    """Run an async test body without an async pytest plugin."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        asyncio.run(fn(*args, **kwargs))
    return wrapper


def seeded_app(tmp_path, **kw):
    app = make_app(tmp_path, **kw)
    p = planner_for(journal_file(tmp_path))
    for off, minutes in SESSIONS:
        p.log_session(days(off), minutes)
    for off in ABORTED:
        p.log_session(days(off), 5, outcome="aborted")
    for off in CHECKINS:
        p.log_skin("checkin", days(off), redness=2 if off == -20 else 0,
                   note="Retinol [0.5%]" if off == -3 else "")
    p.log_product("retinoid", days(-40), "Retinol [0.5%]")
    return app


async def open_history(pilot):
    await pilot.press("h")
    assert await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "HistoryScreen")
    await pilot.pause()
    return pilot.app.screen


async def show_tab(pilot, key: str, tab: str):
    await pilot.press(key)
    assert await wait_for(pilot, lambda: pilot.app.screen.query_one(TabbedContent).active == tab)
    await pilot.pause()


def plot_rows(plot) -> list[str]:
    return plot.render().plain.rstrip("\n").split("\n")


def bars_in_bottom_row(plot) -> list[str]:
    """The runs of bar marks on the plot's lowest row above the zero line: one per bar
    whose top is above it."""
    rows = plot_rows(plot)
    axis = next(i for i, row in enumerate(rows) if "└" in row)
    row = rows[axis - 2]
    inner = row[min(i for i in (row.find("│"), row.find("┤")) if i >= 0) + 1:row.rindex("│")]
    return re.findall(r"[^\s]+", inner)


# ............................................................. heat map

@arun
async def test_heat_map_marks_match_the_seeded_journal(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        text = heat.render_text(heat.size.width).plain
        assert text.count(SESSION_MARKS["session"][0]) == len(SESSIONS)
        assert text.count(SESSION_MARKS["aborted"][0]) == len(ABORTED)
        assert text.count(SKIN_MARKS["moderate"][0]) == 1          # the redness-2 check-in
        assert text.count(SKIN_MARKS["none"][0]) == len(CHECKINS) - 1
        counts = heat.counts()
        assert counts["session"] == len(SESSIONS) and counts["aborted"] == 1
        summary = text_of(screen.query_one("#heat-summary"))
        assert f"{len(SESSIONS)} completed sessions, 1 aborted" in summary
        assert f"{len(CHECKINS)} skin records, 1 day moderate or worse" in summary
        assert "Habit score" in text_of(screen.query_one("#streak-summary"))


def test_heat_map_marks_differ_by_shape():
    """Under NO_COLOR only the shapes tell the marks apart."""
    glyphs = [g for g, _ in (*SESSION_MARKS.values(), *SKIN_MARKS.values(), EMPTY)]
    assert len(set(glyphs)) == len(glyphs) and all(len(g) == 1 for g in glyphs)


@arun
async def test_a_day_with_an_aborted_session_and_a_red_flag_shows_both(tmp_path):
    app = make_app(tmp_path)
    p = planner_for(journal_file(tmp_path))
    day = days(-2)
    aborted = p.log_session(day, 5, outcome="aborted")
    p.log_skin("reaction", day, session_id=aborted.id, redness=1)          # mild
    p.log_skin("checkin", day, redness=1, flags=["pus"])                     # red flag
    p.log_session(days(-9), 10)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        assert heat.cells()[day] == ("aborted", "red-flag")
        assert heat.cells()[days(-9)] == ("session", None)
        text = heat.render_text(heat.size.width).plain
        both = SESSION_MARKS["aborted"][0] + SKIN_MARKS["red-flag"][0]
        assert text.count(both) == 1
        # The cursor starts on today; two days up is the day: its records, all three.
        assert heat.has_focus
        assert "nothing recorded" in text_of(screen.query_one("#heat-day"))
        await pilot.press("up", "up")
        assert await wait_for(pilot, lambda: heat.cursor == day)
        line = text_of(screen.query_one("#heat-day"))
        assert line.startswith(f"{day:%a} {day.isoformat()}, 3 records")
        assert "aborted session 5 min" in line and "red flag" in line and "mild" in line
        # A week back (left) is the session of days(-9).
        await pilot.press("left")
        assert await wait_for(pilot, lambda: heat.cursor == days(-9))
        assert "1 record: session 10 min" in text_of(screen.query_one("#heat-day"))


@pytest.mark.parametrize("width", [80, 120])
@arun
async def test_month_labels_for_every_month_in_range(tmp_path, width):
    """Every month whose 1st is shown has its name over the week of its 1st, whatever
    the day; the first column's month too when there is room for it."""
    app = make_app(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        weeks = heat.weeks
        cell = 3
        start_of_map = 3
        for n in range(0, 400, 3):
            today = date(2026, 1, 1) + timedelta(days=n)
            heat.set_data(today, [], [])
            header = heat.render_text(heat.size.width).plain.split("\n")[0]
            first = heat.first_day(weeks)
            last = heat.last_shown(weeks)
            d = first
            while d <= last:
                if d.day == 1:
                    col = (d - first).days // 7
                    pos = start_of_map + col * cell
                    assert header[pos:pos + 3] == MONTHS[d.month - 1], (today, header)
                d += timedelta(days=1)
            holds_a_first = [any((first + timedelta(weeks=w, days=i)).day == 1
                                 for i in range(7)) for w in (0, 1)]
            if not any(holds_a_first):
                # no month begins in the first two columns: the first one is labelled
                assert header[start_of_map:start_of_map + 3] == MONTHS[first.month - 1]


@arun
async def test_the_june_label_is_not_lost(tmp_path):
    """The report: "May         Jul" at 80 columns. With the map starting late in May,
    June (1st in the next column) has its label and May gives way."""
    app = make_app(tmp_path, today=date(2026, 11, 12))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        header = heat.render_text(heat.size.width).plain.split("\n")[0]
        assert heat.first_day(heat.weeks) == date(2026, 5, 25)
        assert header.split() == ["Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]


@arun
async def test_heat_map_pages_back_and_forward(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        page = heat.weeks * 7
        planner_for(journal_file(tmp_path)).log_session(days(-page - 30), 10)  # page 2
        assert await wait_for(pilot, lambda: len(app.planner.state().history.sessions)
                              == len(SESSIONS) + len(ABORTED) + 1)
        await pilot.pause()
        assert heat.counts()["session"] == len(SESSIONS)
        await pilot.press("left_square_bracket")
        assert await wait_for(pilot, lambda: heat.end is not None)
        assert heat.counts().get("session", 0) == 1
        assert "Earlier" in text_of(screen.query_one("#heat-title"))
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert await wait_for(pilot, lambda: heat.end is None)
        assert heat.counts()["session"] == len(SESSIONS)
        assert text_of(screen.query_one("#heat-title")).startswith("Last")


@arun
async def test_cursor_before_the_first_column_pages_back(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        await pilot.press("home")
        first = heat.first_day(heat.weeks)
        assert await wait_for(pilot, lambda: heat.cursor == first)
        await pilot.press("left")
        assert await wait_for(pilot, lambda: heat.cursor == first - timedelta(weeks=1))
        assert heat.first_day(heat.weeks) == first - timedelta(weeks=1)
        await pilot.press("end")
        assert await wait_for(pilot, lambda: heat.cursor == TODAY and heat.end is None)


# ........................................................ minutes chart

@pytest.mark.parametrize("count", [1, 5, 200])
@arun
async def test_minutes_chart_draws_one_bar_per_session(tmp_path, count):
    app = make_app(tmp_path)
    p = planner_for(journal_file(tmp_path))
    logged = []
    for i in range(count):
        day = days(-7 * (count - i))
        p.log_session(day, 10 + i % 3 * 5, outcome="partial" if i % 4 == 3 else "completed")
        logged.append((day, 10 + i % 3 * 5))
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot)
        await show_tab(pilot, "2", "minutes")
        plot = app.screen.query_one("#minutes-plot")
        shown = min(count, plot.capacity)
        assert [(s.date, s.minutes) for s in plot.bars] == logged[-shown:]
        assert len(bars_in_bottom_row(plot)) == shown        # no two bars run together
        title = plot_rows(plot)[0]
        if shown == count:
            assert f"{count} session{'s' if count > 1 else ''}," in title
        else:
            assert f"{shown} of {count}" in title
        last = logged[-1][0].strftime("%m-%d")
        assert last in plot_rows(plot)[-1]                  # the newest bar is dated
        if count == 1:  # a lone session takes a slot, not the whole width
            assert len(bars_in_bottom_row(plot)[0]) < plot.size.width // 4
        if count > shown:
            await pilot.press("left_square_bracket")
            assert await wait_for(pilot, lambda: plot.newer == shown)
            assert [(s.date, s.minutes) for s in plot.bars] == logged[-2 * shown:-shown]
            assert len(bars_in_bottom_row(plot)) == shown
            assert app.screen.query_one(TabbedContent).active == "minutes"
            await pilot.press("right_square_bracket")
            assert await wait_for(pilot, lambda: plot.newer == 0)


@arun
async def test_charts_are_mounted_and_drawn(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        plots = list(screen.query(PlotextPlot))
        assert len(plots) == 3
        await show_tab(pilot, "2", "minutes")
        assert "Minutes per session" in screen.query_one("#minutes-plot").render().plain
        await show_tab(pilot, "3", "skin")
        assert "Redness and swelling" in screen.query_one("#skin-plot").render().plain
        await show_tab(pilot, "4", "score")
        assert "Score" in screen.query_one("#score-plot").render().plain


# ......................................................... streak chart

# A hand-made history (spacing 7, cadence 7, grace 3: a gap of 7 to 10 days keeps a
# streak, a longer one starts a new one; an aborted session does not count).
STREAK_SESSIONS = [-100, -93, -86,            # 3 in a row
                   -70, -62, -52, -45,        # gap 16: a new streak of 4 (gaps 8, 10, 7)
                   -30, -23,                  # gap 15: a new streak of 2
                   -10]                       # gap 13: a new one of 1, running (10 days)
STREAK_ABORTED = [-40]
STREAK_ROWS = [(-10, -10, 1), (-30, -23, 2), (-70, -45, 4), (-100, -86, 3)]  # newest first


@arun
async def test_streak_chart_rows_match_a_hand_made_history(tmp_path):
    app = make_app(tmp_path)
    p = planner_for(journal_file(tmp_path))
    for off in STREAK_SESSIONS:
        p.log_session(days(off), 10)
    for off in STREAK_ABORTED:
        p.log_session(days(off), 5, outcome="aborted")
    expected = [(days(a), days(b), n) for a, b, n in STREAK_ROWS]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        await show_tab(pilot, "5", "streaks")
        bars = screen.query_one("#streak-bars")
        assert bars.rows == expected
        lines = bars.render().plain.split("\n")
        assert len(lines) == len(expected)
        for line, (first, last, n) in zip(lines, expected, strict=True):
            assert line.startswith(first.isoformat() + " █")
            assert f"█ {n} {last.isoformat()}" in line
        assert lines[0].endswith("now") and not any(x.endswith("now") for x in lines[1:])
        # bars as long as the streaks: the 4 the longest
        widths = [line.count("█") for line in lines]
        assert widths[2] == max(widths) and widths[0] < widths[1] < widths[3] < widths[2]
        table = screen.query_one("#runs-table", DataTable)
        assert [tuple(str(c) for c in table.get_row_at(i))[:3]
                for i in range(table.row_count)] == [
            (a.isoformat(), b.isoformat(), str(n)) for a, b, n in expected]
        assert text_of(screen.query_one("#runs-summary")).startswith(
            "4 streaks of sessions on schedule; now 1 in a row, the longest 4 sessions.")
        assert text_of(screen.query_one("#streak-chart-title")).startswith(
            "All 4, newest at top")
        # Fewer rows than streaks: the longest ones, still newest at top.
        bars.limit = 2
        assert bars.rows == [expected[2], expected[3]]


@arun
async def test_no_streak_yet(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        await show_tab(pilot, "5", "streaks")
        assert screen.query_one("#streak-bars").rows == []
        assert "No streak yet" in text_of(screen.query_one("#runs-summary"))


# ................................................................ words

@arun
async def test_one_of_each_is_singular(tmp_path):
    app = make_app(tmp_path)
    p = planner_for(journal_file(tmp_path))
    p.log_session(days(-3), 10)
    p.log_skin("checkin", days(-1))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        summary = text_of(screen.query_one("#heat-summary"))
        assert summary == "1 completed session, 0 aborted; 1 skin record."
        streak = text_of(screen.query_one("#streak-summary")).split("\n")
        assert streak[0] == ("Sessions on schedule: 1 in a row (longest 1), the streak "
                             "breaks in 7 days.")
        assert streak[1] == "Check-ins: 1 day in a row (longest 1)."
        assert "—" not in text_of(screen.query_one("#streak-summary"))
        await show_tab(pilot, "2", "minutes")
        assert "Minutes per session: 1 session," in plot_rows(
            screen.query_one("#minutes-plot"))[0]
        await show_tab(pilot, "5", "streaks")
        assert text_of(screen.query_one("#runs-summary")).startswith(
            "1 streak of sessions on schedule; now 1 in a row, the longest 1 session.")
        assert text_of(screen.query_one("#streak-chart-title")).startswith("The streak:")


@arun
async def test_streak_words_when_none_runs_or_it_is_frozen(tmp_path):
    app = make_app(tmp_path)
    p = planner_for(journal_file(tmp_path))
    p.log_session(days(-40), 10)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        words = text_of(screen.query_one("#streak-summary"))
        assert words.startswith("Sessions on schedule: no streak running (longest 1 "
                                "session).\nCheck-ins: none yet.")
        p.log_session(days(-5), 10)
        p.pause(days(0), days(10), "illness")
        assert await wait_for(pilot, lambda: "frozen" in text_of(
            screen.query_one("#streak-summary")))
        assert text_of(screen.query_one("#streak-summary")).startswith(
            "Sessions on schedule: 1 in a row (longest 1), the streak is frozen while "
            "sessions are blocked.")


@arun
async def test_empty_history_says_so(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        assert text_of(screen.query_one("#heat-summary")).startswith("0 completed sessions")
        assert "none yet" in text_of(screen.query_one("#streak-summary"))
        await show_tab(pilot, "2", "minutes")
        plot = screen.query_one("#minutes-plot")
        assert plot.bars == [] and "no sessions yet" in plot.render().plain


# .............................................................. records

@arun
async def test_records_table_filters_by_type_and_dates(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        await show_tab(pilot, "6", "records")
        table = screen.query_one("#h-table", DataTable)
        total = len(SESSIONS) + len(ABORTED) + len(CHECKINS) + 1
        assert table.row_count == total
        notes = [table.get_row_at(i)[3].plain for i in range(table.row_count)]
        assert notes.count("Retinol [0.5%]") == 2
        screen.query_one("#h-type", Select).value = "session"
        await pilot.pause()
        assert table.row_count == len(SESSIONS) + len(ABORTED)
        screen.query_one("#h-from", Input).value = days(-50).isoformat()
        screen.query_one("#h-to", Input).value = days(-30).isoformat()
        await pilot.pause()
        assert table.row_count == 3  # -49 aborted, -42, -35
        screen.query_one("#h-to", Input).value = "2026-13-01"
        await pilot.pause()
        assert "YYYY-MM-DD" in text_of(screen.query_one("#err-filter"))
        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == total


@arun
async def test_history_follows_the_journal(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        planner_for(journal_file(tmp_path)).log_session(days(0), 10)
        assert await wait_for(pilot, lambda: heat.counts().get("session") == len(SESSIONS) + 1)
