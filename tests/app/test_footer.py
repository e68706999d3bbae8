"""At 80 columns every screen's footer shows each of its shown key bindings whole: none cut
off by the palette key at its right, none pushed out of sight."""

from __future__ import annotations

import pytest
from textual.widgets import Footer

from planner.app.screens.help import HelpScreen
from planner.app.screens.session import SessionScreen
from tests.app.helpers import SIZE, make_app, wait_for, writes_done
from tests.app.test_session import start

WIDTH = 80
assert SIZE[0] == WIDTH


def footer_faults(screen) -> list[str]:
    """What the footer of `screen` fails to show whole: one entry per shown action (the
    footer shows one key per action) whose key is missing, cut or out of sight."""
    footer = screen.query_one(Footer)
    keys = list(footer.query("FooterKey"))
    palette = [k for k in keys if k.has_class("-command-palette")]
    right = palette[0].region.x if palette else footer.region.right
    by_action = {k.action: k for k in keys if not k.has_class("-command-palette")}
    shown = {b.action: b for (_node, b, _enabled, _tip) in screen.active_bindings.values()
             if b.show}
    faults = []
    for action, binding in shown.items():
        key = by_action.get(action)
        where = f"{binding.key} {binding.description!r}"
        if key is None:
            faults.append(f"{where}: not in the footer")
            continue
        region = key.region  # empty when the key is out of sight
        if region.width == 0 or region.x < footer.region.x or region.right > right:
            faults.append(f"{where}: at columns {region.x}–{region.right}, the footer "
                          f"shows {footer.region.x}–{right}")
    assert shown, "a footer with no key at all"
    return faults


async def settled(pilot) -> None:
    await writes_done(pilot)
    await pilot.pause()  # the footer recomposes after the bindings changed


SECTIONS = [("t", "TodayScreen"), ("p", "PlanScreen"), ("r", "RoutinesScreen"),
            ("j", "JournalScreen"), ("h", "HistoryScreen"), ("comma", "SettingsScreen")]


@pytest.mark.parametrize(("key", "screen_name"), SECTIONS, ids=[s for _k, s in SECTIONS])
async def test_section_footer_fits_80_columns(tmp_path, key, screen_name):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == screen_name)
        await settled(pilot)
        assert footer_faults(app.screen) == []


async def test_settings_tabs_footer_fits_80_columns(tmp_path):
    """Each Settings tab, and a rule field being edited (its keys are the screen's)."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("comma")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        for tab in ("1", "2", "3", "4"):
            await pilot.press(tab)
            await settled(pilot)
            assert footer_faults(app.screen) == [], tab
        await pilot.press("3", "tab")
        await settled(pilot)
        assert footer_faults(app.screen) == []


async def test_builder_footer_fits_80_columns(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "RoutinesScreen")
        await pilot.press("b")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ != "RoutinesScreen")
        await settled(pilot)
        assert footer_faults(app.screen) == []


async def test_help_footer_fits_80_columns(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await settled(pilot)
        assert footer_faults(app.screen) == []


async def test_session_footers_fit_80_columns(tmp_path):
    """The guided session while it runs, paused, and at the aftercare check."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        await settled(pilot)
        assert footer_faults(screen) == []
        await pilot.press("space")  # paused
        await settled(pilot)
        assert footer_faults(screen) == []
        await pilot.press("space")
        screen.tick(screen.prepared.total_seconds)
        assert await wait_for(pilot, lambda: screen.finished)
        await settled(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert footer_faults(screen) == []
