"""History section: heat map, charts, streak runs and the filtered records table."""

from __future__ import annotations

import asyncio
import functools

from textual.widgets import DataTable, Input, Select, TabbedContent
from textual_plotext import PlotextPlot

from tests.app.helpers import SIZE, days, journal_file, make_app, planner_for, text_of, wait_for

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


@arun
async def test_heat_map_glyphs_match_the_seeded_journal(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        text = heat.render_text(heat.size.width).plain
        assert text.count("●") == len(SESSIONS)
        assert text.count("✕") == len(ABORTED)
        assert text.count("▲") == 1                       # the moderate check-in
        assert text.count("○") == len(CHECKINS) - 1
        counts = heat.counts()
        assert counts["session"] == len(SESSIONS) and counts["aborted"] == 1
        summary = text_of(screen.query_one("#heat-summary"))
        assert f"{len(SESSIONS)} completed sessions, 1 aborted" in summary
        assert "score" in text_of(screen.query_one("#streak-summary"))


@arun
async def test_charts_are_mounted_and_drawn(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        plots = list(screen.query(PlotextPlot))
        assert len(plots) == 3
        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "minutes"
        rendered = screen.query_one("#minutes-plot").render().plain
        assert "Minutes per session" in rendered
        await pilot.press("3")
        await pilot.pause()
        assert "Redness and swelling" in screen.query_one("#skin-plot").render().plain
        await pilot.press("4")
        await pilot.pause()
        assert "Score" in screen.query_one("#score-plot").render().plain


@arun
async def test_streak_runs_table(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        await pilot.press("5")
        await pilot.pause()
        runs = app.planner.streak().runs
        table = screen.query_one("#runs-table", DataTable)
        assert table.row_count == len(runs) > 0
        first, last, length = runs[-1]
        assert [str(c) for c in table.get_row_at(0)][:3] == [
            first.isoformat(), last.isoformat(), str(length)]


@arun
async def test_records_table_filters_by_type_and_dates(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        await pilot.press("6")
        await pilot.pause()
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
async def test_empty_history_says_so(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        assert "0 completed sessions" in text_of(screen.query_one("#heat-summary"))
        await pilot.press("2")
        await pilot.pause()
        assert "no sessions yet" in screen.query_one("#minutes-plot").render().plain


@arun
async def test_history_follows_the_journal(tmp_path):
    app = seeded_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        planner_for(journal_file(tmp_path)).log_session(days(0), 10)
        assert await wait_for(pilot, lambda: heat.counts().get("session") == len(SESSIONS) + 1)


@arun
async def test_heat_map_pages_back_and_forward(tmp_path):
    app = seeded_app(tmp_path)
    p = planner_for(journal_file(tmp_path))
    p.log_session(days(-600), 10)  # two screens of weeks ago
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        heat = screen.query_one("#heatmap")
        assert heat.counts()["session"] == len(SESSIONS)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert heat.counts().get("session", 0) == 0
        assert "Earlier" in text_of(screen.query_one("#heat-title"))
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert heat.counts().get("session", 0) == 1
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert heat.end is None and heat.counts()["session"] == len(SESSIONS)
        assert text_of(screen.query_one("#heat-title")).startswith("Last")
