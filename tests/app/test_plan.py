"""Plan: month calendar, the selected day's reasons, plan and unplan there."""

from __future__ import annotations

from textual.widgets import Input

from planner.app.screens.plan import MinutesScreen, PlanScreen
from planner.app.widgets.calendar import MonthCalendar, cell_status
from tests.app.helpers import (
    SIZE,
    TODAY,
    days,
    journal_file,
    make_app,
    planner_for,
    text_of,
    wait_for,
    writes_done,
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
        assert app.screen.query_one("#day-card").border_title == "Thu 10 Dec 2026"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MinutesScreen)
        assert app.screen.query_one(Input).value == "10"
        await pilot.press("enter")
        await writes_done(pilot)  # the plan is written in a worker
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
        await writes_done(pilot)  # the service refuses it, with every reason
        assert isinstance(app.screen, PlanScreen)  # no minutes dialog: refused
        notes = list(app.notes)
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
        await writes_done(pilot)
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
        await writes_done(pilot)
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
        assert any("already planned" in m for m in app.notes)
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
        for words in ("✓ done", "◐ partial", "⊘ aborted", "⚠ broke a rule", "◇ missed",
                      "◆ planned", "· allowed", "✕ blocked", "! plan blocked"):
            assert words in legend
        assert all(len(line) <= 37 for line in legend.splitlines())  # the calendar's width


def month_of_every_kind(tmp_path):
    """December 2026 seen from 2027-01-05: done, partial, aborted, a session that broke a
    rule (a retinoid the day before), and a plan that passed with no session."""
    from datetime import date

    today = date(2027, 1, 5)
    app = make_app(tmp_path, today=today)
    p = planner_for(journal_file(tmp_path), today=today)
    p.log_session(date(2026, 12, 1), 10)
    p.log_session(date(2026, 12, 8), 4, outcome="partial")
    p.log_session(date(2026, 12, 15), 3, outcome="aborted")
    p.log_product("retinoid", date(2026, 12, 21))
    p.log_session(date(2026, 12, 22), 10)
    planner_for(journal_file(tmp_path), today=date(2026, 12, 28)).plan(date(2026, 12, 29), 10)
    return app


async def open_december(app, pilot):
    from datetime import date

    from planner.app.widgets.choice import ChoiceScreen

    assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
    await pilot.press("escape")  # Today asks about the missed plan: later
    assert await wait_for(pilot, lambda: not isinstance(app.screen, ChoiceScreen))
    await pilot.press("p")
    assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    cal = app.screen.query_one(MonthCalendar)
    cal.cursor = date(2026, 12, 1)
    await pilot.pause()
    return cal


async def test_calendar_marks_partial_aborted_broke_and_missed_apart(tmp_path, monkeypatch):
    from datetime import date

    monkeypatch.setenv("NO_COLOR", "1")
    app = month_of_every_kind(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        cal = await open_december(app, pilot)
        assert app.no_color
        statuses = {d: cell_status(cal.day_view(date(2026, 12, d))) for d in (1, 8, 15, 22, 29)}
        assert statuses == {1: "done", 8: "partial", 15: "aborted", 22: "broke", 29: "missed"}
        lines = cal.render().plain.splitlines()
        cells = {}
        for row in lines[1:]:
            for col in range(7):
                cell = row[col * 5:col * 5 + 5]
                if cell.strip():
                    cells.setdefault(int(cell[:3]), cell[3])
        # December's days (the grid's first row starts on Monday 30 November)
        assert [cells[d] for d in (1, 8, 15, 22, 29)] == ["✓", "◐", "⊘", "⚠", "◇"]


async def test_day_detail_of_a_missed_plan_and_of_a_partial_session(tmp_path):
    from datetime import date

    app = month_of_every_kind(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        cal = await open_december(app, pilot)
        cal.cursor = date(2026, 12, 29)
        await pilot.pause()
        items = text_of(app.screen.query_one("#day-items"))
        assert "◇ plan · 10 min · missed: no session" in items
        assert "Missed plan" in text_of(app.screen.query_one("#day-status"))
        assert "log the session in the Journal" in text_of(app.screen.query_one("#day-hint"))
        cal.cursor = date(2026, 12, 8)
        await pilot.pause()
        assert "◐ session partial · 4 min" in text_of(app.screen.query_one("#day-items"))
        cal.cursor = date(2026, 12, 22)
        await pilot.pause()
        items = text_of(app.screen.query_one("#day-items"))
        assert "⚠ session completed · 10 min" in items
        assert "logged against product-blackout" in items


async def test_planning_with_a_routine_an_excluded_zone_cuts_short_is_refused(tmp_path):
    from textual.widgets import Select

    from planner.app.screens.routines import BuilderScreen
    from planner.app.widgets.choice import ChoiceScreen

    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).exclude("forehead", "mole")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one(MonthCalendar).cursor = days(9)
        await pilot.pause()
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, MinutesScreen))
        dialog = app.screen
        dialog.query_one("#minutes-routine", Select).value = "brow-and-forehead-points"
        assert await wait_for(pilot, lambda: "cannot be planned" in text_of(
            dialog.query_one("#minutes-fit")))
        assert "forehead excluded: mole" in text_of(dialog.query_one("#minutes-fit"))
        assert dialog.query_one("#minutes-input", Input).has_focus
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        text = app.screen.text
        assert "cannot be planned on Thu 10 Dec 2026" in text
        assert "excluded-zone:" in text and "GB14" in text and "duration" not in text
        await pilot.press("b")
        assert await wait_for(pilot, lambda: isinstance(app.screen, BuilderScreen))
    assert live_plans(tmp_path) == []


async def test_planning_with_a_trimmed_routine_names_what_it_leaves_out(tmp_path):
    from textual.widgets import Select

    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).exclude("forehead", "mole")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one(MonthCalendar).cursor = days(9)
        await pilot.pause()
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, MinutesScreen))
        dialog = app.screen
        dialog.query_one("#minutes-routine", Select).value = "bright-skin-roll"
        assert await wait_for(pilot, lambda: "Leaves out:" in text_of(
            dialog.query_one("#minutes-fit")))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await writes_done(pilot)
        notes = list(app.notes)
        assert any("Left out for your profile:" in m and "forehead excluded: mole" in m
                   for m in notes)
    (pv,) = planner_for(journal_file(tmp_path)).plan_views()
    assert (pv.plan.date, pv.plan.routine) == (days(9), "bright-skin-roll")


# ................................................................ preferred days

FRIDAY = TODAY.replace(day=4)  # 2026-12-04 is a Friday


def preferring(tmp_path, days_text: str | None, **seed_kw):
    """An app on Friday 4 December with `days_text` ("sat,sun") preferred (None: none)."""
    app = make_app(tmp_path, today=FRIDAY, **seed_kw)
    if days_text is not None:
        planner_for(journal_file(tmp_path), FRIDAY).set_preferences(days_text, "19:00")
    return app


async def plan_next_from_the_palette(app, pilot, tmp_path):
    """Plan has no key for it (n plans the selected day): ctrl+p, "plan next", enter."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"plan next")
    await app.workers.wait_for_complete()  # the palette's search for what was typed
    await pilot.pause()
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
    assert await wait_for(pilot, lambda: live_plans(tmp_path))


async def test_plan_next_plans_a_preferred_day(tmp_path):
    app = preferring(tmp_path, "sat,sun")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert app.screen.query_one(MonthCalendar).day_view(FRIDAY).status == "allowed"
        await plan_next_from_the_palette(app, pilot, tmp_path)
        await writes_done(pilot)
        cal = app.screen.query_one(MonthCalendar)
        (planned,) = [d for d, _ in live_plans(tmp_path)]
        assert planned.weekday() == 5 and planned == FRIDAY.replace(day=5)  # the Saturday
        assert cal.cursor == planned
        assert cell_status(cal.day_view(planned)) == "planned"
        assert "Planned 10 minutes on Sat 5 Dec 2026." in app.notes


async def test_plan_next_without_preferences_plans_the_earliest_allowed_day(tmp_path):
    app = preferring(tmp_path, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await plan_next_from_the_palette(app, pilot, tmp_path)
        await writes_done(pilot)
        assert [d for d, _ in live_plans(tmp_path)] == [FRIDAY]  # today allows it
        assert "Planned 10 minutes on Fri 4 Dec 2026." in app.notes


async def test_calendar_marks_preferred_days(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # the mark is a symbol, not a colour
    app = preferring(tmp_path, "sat,sun")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        cal = app.screen.query_one(MonthCalendar)
        lines = cal.render().plain.splitlines()
        assert lines[0].split() == ["Mo", "Tu", "We", "Th", "Fr", "›Sa", "›Su"]
        week = lines[1]  # 30 Nov … 6 Dec: the 5th and 6th marked, the 4th not
        assert "› 5" in week and "› 6" in week and "› 4" not in week
        marked = [line.count("›") for line in lines[1:]]
        in_month = [sum(1 for dv in cal.days[r * 7 + 5:r * 7 + 7] if dv.in_month)
                    for r in range(6)]
        assert marked == in_month  # every Saturday and Sunday of December, nothing else
        legend = text_of(app.screen.query_one("#plan-legend"))
        assert "› preferred day (Sat, Sun)" in legend
        assert all(len(line) <= 37 for line in legend.splitlines())
        await pilot.press("right")  # Saturday 5th: the card says so
        await pilot.pause()
        assert "› a preferred day" in text_of(app.screen.query_one("#day-hint"))
        await pilot.press("left")
        await pilot.pause()
        assert "preferred" not in text_of(app.screen.query_one("#day-hint"))
        # cleared in Settings (here: by another process): the marks go
        planner_for(journal_file(tmp_path), FRIDAY).set_preferences("none")
        assert await wait_for(pilot, lambda: "›" not in cal.render().plain)
        assert "preferred" not in text_of(app.screen.query_one("#plan-legend"))


async def test_calendar_without_preferences_marks_nothing(tmp_path):
    app = preferring(tmp_path, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert "›" not in app.screen.query_one(MonthCalendar).render().plain
        assert "preferred" not in text_of(app.screen.query_one("#plan-legend"))


async def test_an_unplan_is_undone_with_ctrl_z(tmp_path):
    app = make_app(tmp_path, plans=[(days(9), 8)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        cal = app.screen.query_one(MonthCalendar)
        cal.cursor = days(9)
        await pilot.pause()
        await pilot.press("u")
        await writes_done(pilot)
        assert live_plans(tmp_path) == []
        assert any("ctrl+z puts it back" in n for n in app.notes)
        await pilot.press("ctrl+z")
        await writes_done(pilot)
        assert await wait_for(pilot, lambda: live_plans(tmp_path) == [(days(9), 8)])
        assert await wait_for(pilot, lambda: cell_status(cal.day_view(days(9))) == "planned")


async def test_shift_n_plans_the_next_preferred_day_from_plan(tmp_path):
    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).set_preferences("sat,sun")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("N")
        await writes_done(pilot)
        assert await wait_for(pilot, lambda: len(live_plans(tmp_path)) == 1)
        (day, _minutes), = live_plans(tmp_path)
        assert day.strftime("%a") in ("Sat", "Sun") and day >= TODAY
