"""Settings section: profile switches, excluded zones, stricter-only rule values, theme."""

from __future__ import annotations

import asyncio
import functools

from textual.widgets import DataTable, Input, Select, TabbedContent

from tests.app.helpers import (
    SIZE,
    days,
    journal_file,
    make_app,
    planner_for,
    screen_text,
    text_of,
    wait_for,
    writes_done,
)


def arun(fn):
    """Run an async test body without an async pytest plugin."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        asyncio.run(fn(*args, **kwargs))
    return wrapper


def fresh(tmp_path):
    return planner_for(journal_file(tmp_path))


async def open_settings(pilot, tab=None):
    await pilot.press("comma")
    assert await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "SettingsScreen")
    if tab:
        await pilot.press(tab)
        await pilot.pause()
    return pilot.app.screen


async def set_field(pilot, selector, text):
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*list(text))


@arun
async def test_profile_switch_saves_at_once(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        box = screen.query_one("#p-rosacea")
        assert box.value is False
        box.focus()
        await pilot.press("space")
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().rosacea is True)
        assert "✓" in str(box.render())  # readable without colour
        await pilot.press("space")
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().rosacea is False)
        assert fresh(tmp_path).profile().pregnant is False


@arun
async def test_looser_rule_is_refused_with_the_range(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "3")
        assert screen.query_one(TabbedContent).active == "rules"
        before = fresh(tmp_path).journal.snapshot()
        await set_field(pilot, "#s-spacing_days", "5")
        await set_field(pilot, "#s-grace_days", "2")  # valid, but nothing may be saved
        await pilot.press("ctrl+s")
        await pilot.pause()
        err = screen.query_one("#err-spacing_days")
        assert err.has_class("-shown")
        assert "7–28" in text_of(err)
        assert fresh(tmp_path).settings().spacing_days == 7
        assert fresh(tmp_path).settings().grace_days == 3
        assert fresh(tmp_path).journal.snapshot() == before


@arun
async def test_stricter_rules_are_saved(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "3")
        await set_field(pilot, "#s-spacing_days", "10")
        await set_field(pilot, "#s-cadence_days", "12")
        await set_field(pilot, "#s-ceiling", "20")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: fresh(tmp_path).settings().spacing_days == 10)
        s = fresh(tmp_path).settings()
        assert (s.spacing_days, s.cadence_days, s.ceiling) == (10, 12, 20)
        assert not screen.query_one("#err-spacing_days").has_class("-shown")


@arun
async def test_cadence_below_spacing_is_refused(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "3")
        await set_field(pilot, "#s-spacing_days", "14")
        await pilot.press("ctrl+s")
        await writes_done(pilot)  # the service refuses the pair, naming the cadence
        assert "cadence" in text_of(screen.query_one("#err-cadence_days"))
        assert screen.query_one("#s-cadence_days", Input).has_focus
        assert fresh(tmp_path).settings().spacing_days == 7


@arun
async def test_exclude_and_include_a_zone(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "2")
        screen.query_one("#x-zone", Select).value = "cheek"
        screen.query_one("#x-reason", Select).value = "mole"
        await set_field(pilot, "#x-until", "2027-01-15")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().exclusions != ())
        (ex,) = fresh(tmp_path).profile().exclusions
        assert (ex.zone, ex.reason, ex.until.isoformat()) == ("cheek", "mole", "2027-01-15")
        table = screen.query_one("#zones-table", DataTable)
        assert table.row_count == 1
        table.focus()
        await pilot.press("delete")
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().exclusions == ())
        assert table.row_count == 0


@arun
async def test_exclusion_needs_a_reason_and_a_future_until(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "2")
        screen.query_one("#x-zone", Select).value = "jaw"
        await pilot.press("a")
        await pilot.pause()
        assert "reason" in text_of(screen.query_one("#err-exclusion"))
        screen.query_one("#x-reason", Select).value = "scar"
        await set_field(pilot, "#x-until", days(-1).isoformat())
        await pilot.press("enter")
        await pilot.pause()
        assert "past" in text_of(screen.query_one("#err-exclusion"))
        assert fresh(tmp_path).profile().exclusions == ()


@arun
async def test_theme_is_applied_and_persisted(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "4")
        screen.query_one("#theme-select", Select).value = "nord"
        assert await wait_for(pilot, lambda: fresh(tmp_path).settings().theme == "nord")
        assert app.theme == "nord"


@arun
async def test_settings_follow_changes_from_another_process(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("comma")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        planner_for(journal_file(tmp_path)).set_profile(eczema=True)
        assert await wait_for(pilot, lambda: app.screen.query_one("#p-eczema").value is True)


# ............................................................ preferred days and time


@arun
async def test_preferred_days_and_time_are_saved(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert "Plan next proposes these days" in screen_text(app)
        for day in ("sat", "sun"):  # keyboard only: each day a toggle
            screen.query_one(f"#pd-{day}").focus()
            await pilot.press("space")
        assert await wait_for(
            pilot, lambda: fresh(tmp_path).profile().preferred_days == ("sat", "sun"))
        assert "✓" in str(screen.query_one("#pd-sat").render())  # readable without colour
        await set_field(pilot, "#pref-time", "7:30")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().preferred_time == "07:30")
        # shown as saved
        assert await wait_for(pilot, lambda: screen.query_one("#pref-time", Input).value
                              == "07:30")
        await set_field(pilot, "#pref-time", "")  # empty: no preferred time
        await pilot.press("ctrl+s")  # in the time field, ctrl+s saves the time
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().preferred_time is None)
        assert screen.query_one(TabbedContent).active == "profile"
        screen.query_one("#pd-sat").focus()
        await pilot.press("space")  # untick Saturday
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().preferred_days
                              == ("sun",))
    assert fresh(tmp_path).profile().pregnant is False


@arun
async def test_bad_preferred_time_is_refused_and_nothing_written(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        before = fresh(tmp_path).journal.snapshot()
        await set_field(pilot, "#pref-time", "25:00")
        await pilot.press("enter")
        await writes_done(pilot)
        err = screen.query_one("#err-preferred_time")
        assert err.has_class("-shown")
        assert "HH:MM" in text_of(err) and "\n" not in text_of(err)
        assert screen.query_one("#pref-time", Input).has_focus
        assert fresh(tmp_path).journal.snapshot() == before
        await set_field(pilot, "#pref-time", "19:00")  # corrected: saved, error gone
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().preferred_time == "19:00")
        assert not err.has_class("-shown")


@arun
async def test_preferences_saved_elsewhere_are_shown(tmp_path):
    app = make_app(tmp_path)
    fresh(tmp_path).set_preferences("mon,wed", "06:45")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        ticked = [d for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                  if screen.query_one(f"#pd-{d}").value]
        assert ticked == ["mon", "wed"]
        assert screen.query_one("#pref-time", Input).value == "06:45"
        fresh(tmp_path).set_preferences("none", "none")  # another process clears them
        assert await wait_for(pilot, lambda: not screen.query_one("#pd-mon").value)
        assert await wait_for(pilot, lambda: screen.query_one("#pref-time", Input).value == "")
        await writes_done(pilot)
        assert not [n for n in app.notes if "Preferred" in n]  # showing them wrote nothing
