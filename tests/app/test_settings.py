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


async def open_exclusion_form(pilot):
    from planner.app.forms.exclusion import ExclusionFormScreen

    await pilot.press("a")
    assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExclusionFormScreen))
    return pilot.app.screen


def one_line(err) -> bool:
    """A field's error in one line under its field, as wide as the dialog allows."""
    return err.has_class("-shown") and "\n" not in text_of(err) and err.size.height == 1


@arun
async def test_exclude_a_zone_with_its_form_and_include_it_again(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "2")
        assert screen.query_one(TabbedContent).active == "zones"
        assert "No zone is left out" in screen_text(app)
        form = await open_exclusion_form(pilot)
        assert form.query_one("#f-zone", Select).has_focus
        form.query_one("#f-zone", Select).value = "cheek"
        form.query_one("#f-reason", Select).value = "mole"
        await set_field(pilot, "#f-until", "2027-01-15")
        await pilot.press("enter")  # enter in a field saves, as in every form
        assert await wait_for(pilot, lambda: app.screen is screen)
        (ex,) = fresh(tmp_path).profile().exclusions
        assert (ex.zone, ex.reason, ex.until.isoformat()) == ("cheek", "mole", "2027-01-15")
        assert any("cheek excluded (mole) until 2027-01-15" in n for n in app.notes)
        table = screen.query_one("#zones-table", DataTable)
        assert await wait_for(pilot, lambda: table.row_count == 1 and table.has_focus)
        await pilot.press("delete")
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().exclusions == ())
        assert table.row_count == 0


@arun
async def test_a_opens_the_zone_form_from_any_tab(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "3")
        form = await open_exclusion_form(pilot)
        assert screen.query_one(TabbedContent).active == "zones"  # shown under the form
        form.query_one("#f-zone", Select).value = "jaw"
        form.query_one("#f-reason", Select).value = "scar"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().exclusions != ())
        (ex,) = fresh(tmp_path).profile().exclusions
        assert (ex.zone, ex.reason, ex.until) == ("jaw", "scar", None)


@arun
async def test_zone_form_errors_are_one_line_beside_their_field(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot, "2")
        form = await open_exclusion_form(pilot)
        before = fresh(tmp_path).journal.snapshot()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert one_line(form.query_one("#err-zone"))
        assert one_line(form.query_one("#err-reason"))
        assert form.query_one("#f-zone", Select).has_focus  # the first field found wrong
        form.query_one("#f-zone", Select).value = "jaw"
        form.query_one("#f-reason", Select).value = "scar"
        for typed, word in (("2026-02-30", "YYYY-MM-DD"), (days(-1).isoformat(), "past")):
            await set_field(pilot, "#f-until", typed)
            await pilot.press("ctrl+s")
            await pilot.pause()
            err = form.query_one("#err-until")
            assert one_line(err) and word in text_of(err)
            assert not form.query_one("#err-zone").has_class("-shown")
        await writes_done(pilot)
        assert fresh(tmp_path).journal.snapshot() == before
        await pilot.press("escape")  # cancelled: nothing written
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        assert fresh(tmp_path).journal.snapshot() == before


@arun
async def test_enter_on_an_excluded_zone_changes_it(tmp_path):
    app = make_app(tmp_path)
    fresh(tmp_path).exclude("chin", "wart", days(30))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "2")
        table = screen.query_one("#zones-table", DataTable)
        assert table.has_focus and table.row_count == 1
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.screen is not screen)
        form = app.screen
        assert form.query_one("#f-zone", Select).value == "chin"  # as saved, to change
        assert form.query_one("#f-reason", Select).value == "wart"
        assert form.query_one("#f-until", Input).value == days(30).isoformat()
        assert form.query_one("#f-reason", Select).has_focus
        form.query_one("#f-reason", Select).value = "scar"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: fresh(tmp_path).profile().exclusions[0].reason
                              == "scar")
        (ex,) = fresh(tmp_path).profile().exclusions
        assert (ex.zone, ex.until) == ("chin", days(30))


@arun
async def test_lists_open_within_the_screen_above_the_footer(tmp_path):
    """The zone form's lists and the theme list, opened at 80x24: drawn above the
    Settings footer, never over it."""
    from textual.widgets import Footer

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "2")
        footer = screen.query_one(Footer).region
        form = await open_exclusion_form(pilot)
        for name in ("#f-zone", "#f-reason"):
            form.query_one(name, Select).focus()
            await pilot.press("enter")  # opens the list
            overlay = form.query_one(f"{name} SelectOverlay")
            assert await wait_for(pilot, lambda o=overlay: o.has_focus)
            assert overlay.region.height > 2
            assert overlay.region.bottom <= footer.y, (name, overlay.region, footer)
            await pilot.press("escape")  # closes the list, not the form
            assert await wait_for(pilot, lambda o=overlay: not o.has_focus)
            assert app.screen is form
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("4", "enter")
        overlay = screen.query_one("#theme-select SelectOverlay")
        assert await wait_for(pilot, lambda: overlay.has_focus)
        assert overlay.region.bottom <= footer.y


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


# ............................................................ keys on the Rules tab


@arun
async def test_rules_tab_keeps_the_keys_of_the_app(tmp_path):
    """Shown by its key, Rules leaves the focus on the tab bar (1–4 switch tabs); a rule
    field takes digits only, every other key does what it does elsewhere; esc leaves the
    field for the tab bar."""
    from textual.widgets import Tabs

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "3")
        tabs = screen.query_one(TabbedContent)
        assert isinstance(app.focused, Tabs)
        await pilot.press("1")
        assert tabs.active == "profile"
        await pilot.press("3", "tab")  # tab goes straight to the first field
        spacing = screen.query_one("#s-spacing_days", Input)
        assert spacing.has_focus
        await pilot.press("1", "2", "x", "space")  # digits typed (replacing 7), x not
        assert spacing.value == "12"
        await pilot.press("escape")
        assert isinstance(app.focused, Tabs) and tabs.active == "rules"
        await pilot.press("4")
        assert tabs.active == "theme"
        await pilot.press("3", "tab", "question_mark")  # ? in a field: Help
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert spacing.has_focus and spacing.value == "12"  # what was typed is kept
        await pilot.press("t")  # a section key in a field: the section
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "TodayScreen")
    assert fresh(tmp_path).settings().spacing_days == 7  # nothing saved without ctrl+s


@arun
async def test_a_rule_error_goes_when_its_field_is_edited(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "3")
        await set_field(pilot, "#s-grace_days", "9")
        await pilot.press("ctrl+s")
        await pilot.pause()
        err = screen.query_one("#err-grace_days")
        assert err.has_class("-shown") and "0–7" in text_of(err)
        grace = screen.query_one("#s-grace_days", Input)
        assert grace.has_focus
        await pilot.press("2")  # the wrong value is selected: what is typed replaces it
        assert grace.value == "2"
        assert not err.has_class("-shown")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: fresh(tmp_path).settings().grace_days == 2)


@arun
async def test_a_pair_refused_by_the_service_clears_when_either_is_edited(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot, "3")
        await set_field(pilot, "#s-spacing_days", "14")
        await pilot.press("ctrl+s")
        await writes_done(pilot)  # refused: cadence 7 is below spacing 14
        err = screen.query_one("#err-cadence_days")
        assert "cadence" in text_of(err)
        cadence = screen.query_one("#s-cadence_days", Input)
        assert cadence.has_focus
        await pilot.press("1", "4")  # replaces the 7
        assert cadence.value == "14"
        assert not err.has_class("-shown")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: fresh(tmp_path).settings().cadence_days == 14)
        assert fresh(tmp_path).settings().spacing_days == 14
        # the next failed save shows its own error only: the old one is gone
        await set_field(pilot, "#s-grace_days", "9")
        await pilot.press("ctrl+s")
        await writes_done(pilot)
        assert screen.query_one("#err-grace_days").has_class("-shown")
        assert not err.has_class("-shown")
        await set_field(pilot, "#s-spacing_days", "28")  # another field: grace's error stays
        assert screen.query_one("#err-grace_days").has_class("-shown")


@arun
async def test_a_time_error_goes_when_the_time_is_edited(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await set_field(pilot, "#pref-time", "25:00")
        await pilot.press("enter")
        await writes_done(pilot)
        err = screen.query_one("#err-preferred_time")
        assert err.has_class("-shown")
        field = screen.query_one("#pref-time", Input)
        await pilot.press("x")  # not typed in a time
        assert field.value == "25:00" and err.has_class("-shown")
        await pilot.press("0")
        assert field.value == "0" and not err.has_class("-shown")
