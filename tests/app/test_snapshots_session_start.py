"""Snapshots of the screens before a session at 80×24: preparation and the skin check
(fixed day, the default theme, a fresh journal in tmp_path).

Regenerate after an intended change with `pytest tests/app/test_snapshots_session_start.py
--snapshot-update`, then look at the SVGs before committing them.
"""

from __future__ import annotations

from tests.app.helpers import SIZE, make_app, wait_for


def _app(tmp_path):
    app = make_app(tmp_path)
    app.session_time_scale = 0.0001  # the countdown timer never fires on its own
    return app


async def _begin(pilot, routine_id: str) -> None:
    from planner.app.screens.session_start import PreparationScreen

    app = pilot.app
    await pilot.pause()
    assert app.start_session(app.get_library().routines[routine_id])
    assert await wait_for(pilot, lambda: isinstance(app.screen, PreparationScreen))


def test_preparation(snap_compare, tmp_path):
    async def run_before(pilot):
        await _begin(pilot, "bright-skin-roll")
        await pilot.press("1", "3")  # hands and tool ticked, the face left: the why shows
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_skin_check_with_a_zone_marked(snap_compare, tmp_path):
    from planner.app.screens.session_start import SkinCheckScreen, UntilScreen

    async def run_before(pilot):
        app = pilot.app
        await _begin(pilot, "bright-skin-roll")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        await pilot.press("down", "1", "d")  # chin: broken skin, until…
        assert await wait_for(pilot, lambda: isinstance(app.screen, UntilScreen))
        await pilot.press(*"2026-12-06", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=run_before)
