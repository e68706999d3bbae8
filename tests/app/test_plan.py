"""Plan: month calendar, the selected day's reasons, plan and unplan there."""

from __future__ import annotations

from textual.widgets import Input

from planner.app.screens.plan import MinutesScreen, PlanScreen
from planner.app.widgets.calendar import MonthCalendar, cell_status

from tests.app.helpers import (
    SIZE, TODAY, days, journal_file, make_app, planner_for, text_of, wait_for,
)


def live_plans(tmp_path):
    return [(pv.plan.date, pv.plan.minutes) for pv in
            planner_for(journal_file(tmp_path)).plan_views()]


async def test_select_a_day_and_plan_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        cal = app.screen.query_one(MonthCalendar)
        assert cal.cursor == TODAY
        await pilot.press("right", "right", "down")  # 12-01 -> 12-10
        await pilot.pause()
        assert cal.cursor == days(9)
        assert "Thu 10 Dec 2026" == app.screen.query_one("#day-card").border_title
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MinutesScreen)
        assert app.screen.query_one(Input).value == "10"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert cell_status(cal.day_view(days(9))) == "planned"
        assert "plan · 10 min" in text_of(app.screen.query_one("#day-items"))
    assert live_plans(tmp_path) == [(days(9), 10)]


async def test_minutes_outside_the_cap_are_refused_in_the_dialog(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "n")
        await pilot.pause()
        inp = app.screen.query_one(Input)
        inp.value = "25"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MinutesScreen)
        assert "5–10" in text_of(app.screen.query_one("#minutes-error"))
        await pilot.press("escape")
        await pilot.pause()
    assert live_plans(tmp_path) == []


async def test_blocked_day_shows_reasons_and_planning_is_refused(tmp_path):
    app = make_app(tmp_path, procedures=[("laser", days(-2))])  # blocks up to 12-05
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        cal = app.screen.query_one(MonthCalendar)
        await pilot.press("right")  # 12-02
        await pilot.pause()
        assert cell_status(cal.day_view(days(1))) == "blocked"
        reasons = text_of(app.screen.query_one("#day-reasons"))
        assert "procedure-wait" in reasons and "until 2026-12-06" in reasons
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)  # no minutes dialog: refused
        notes = [str(n.message) for n in app._notifications]
        assert any("cannot plan" in m and "procedure-wait" in m for m in notes)
    assert live_plans(tmp_path) == []


async def test_unplan_and_month_navigation(tmp_path):
    app = make_app(tmp_path, plans=[(days(9), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        cal = app.screen.query_one(MonthCalendar)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert (cal.cursor.year, cal.cursor.month) == (2027, 1)
        assert "January 2027" in text_of(app.screen.query_one("#month-title"))
        await pilot.press("pageup")
        await pilot.pause()
        assert cal.cursor == TODAY
        cal.cursor = days(9)
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert cell_status(cal.day_view(days(9))) == "allowed"
    assert live_plans(tmp_path) == []


async def test_plan_made_blocked_by_a_later_product_is_marked(tmp_path):
    app = make_app(tmp_path, plans=[(days(3), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        cal = app.screen.query_one(MonthCalendar)
        assert cell_status(cal.day_view(days(3))) == "planned"
        # another process (the CLI) logs a home peel today: the plan is now blocked
        planner_for(journal_file(tmp_path)).log_product("home-peel", TODAY)
        assert await wait_for(pilot, lambda: cell_status(cal.day_view(days(3)))
                              == "planned-blocked")
        cal.cursor = days(3)
        await pilot.pause()
        assert "product-blackout" in text_of(app.screen.query_one("#day-reasons"))
        assert "!" in cal.render().plain


async def test_calendar_symbols_read_without_colour(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-1), 10)], plans=[(days(14), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        cal = app.screen.query_one(MonthCalendar)
        rendered = cal.render().plain
        for sym in ("✓", "◆", "·", "✕"):
            assert sym in rendered


async def test_move_blocked_plan_from_the_calendar(tmp_path):
    app = make_app(tmp_path, plans=[(days(3), 10)])
    planner_for(journal_file(tmp_path)).log_product("scrub", TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        cal = app.screen.query_one(MonthCalendar)
        cal.cursor = days(3)
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert cal.cursor == days(4)
        assert cell_status(cal.day_view(days(4))) == "planned"
    assert live_plans(tmp_path) == [(days(4), 10)]


async def test_mouse_click_selects_a_day(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        cal = app.screen.query_one(MonthCalendar)
        # the grid starts on Monday 2026-11-30; 12-10 is row 1, column 3 (header is line 0)
        await pilot.click(MonthCalendar, offset=(3 * 5 + 2, 2))
        await pilot.pause()
        assert cal.cursor == days(9)
        assert app.screen.query_one("#day-card").border_title == "Thu 10 Dec 2026"


async def test_planning_an_already_planned_day_says_so(tmp_path):
    app = make_app(tmp_path, plans=[(days(9), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one(MonthCalendar).cursor = days(9)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert any("already planned" in str(n.message) for n in app._notifications)
    assert live_plans(tmp_path) == [(days(9), 10)]


async def test_no_color_still_reads(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path, sessions=[(days(-1), 10)], plans=[(days(14), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert app.no_color  # Textual drops colour; the symbols carry the meaning
        cal = app.screen.query_one(MonthCalendar)
        rendered = cal.render().plain
        for sym in ("✓", "◆", "·", "✕"):
            assert sym in rendered
        legend = text_of(app.screen.query_one("#plan-legend"))
        assert "✓ done" in legend and "! planned but blocked" in legend
