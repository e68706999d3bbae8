"""Snapshots of Today, Plan and Session at 80×24 and 120×40 (fixed day, theme, data).

Regenerate after an intended change with `pytest tests/app/test_snapshots_core.py
--snapshot-update`, then look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.app.helpers import TODAY, days, make_app, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def seeded_app(tmp_path):
    app = make_app(
        tmp_path,
        sessions=[(days(-29), 10), (days(-22), 10), (days(-15), 10), (days(-8), 10)],
        checkins=[{"date": days(-i), "redness": 1 if i == 2 else 0,
                   "note": "Retinol [0.5%] [bold]not markup[/bold]"} for i in range(4, -1, -1)],
        plans=[(days(3), 10)],
        products=[("retinoid", TODAY)],
    )
    app.session_time_scale = 0.0001  # the countdown timer never fires on its own
    return app


async def _settle(pilot):
    await pilot.pause()
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_today(snap_compare, tmp_path, size):
    assert snap_compare(seeded_app(tmp_path), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_plan_on_blocked_plan(snap_compare, tmp_path, size):
    async def run_before(pilot):
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("right", "right", "right")
        await _settle(pilot)

    assert snap_compare(seeded_app(tmp_path), terminal_size=size, run_before=run_before)


async def _through_the_start(pilot):
    """Preparation and skin check as they come (enter, enter): the session opens."""
    from planner.app.screens.session import SessionScreen
    from planner.app.screens.session_start import PreparationScreen, SkinCheckScreen

    app = pilot.app
    assert await wait_for(pilot, lambda: isinstance(app.screen, PreparationScreen))
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))


@pytest.mark.parametrize("size", SIZES)
def test_session_mid_step(snap_compare, tmp_path, size):
    app = make_app(tmp_path, sessions=[(days(-8), 10)])
    app.session_time_scale = 0.0001

    async def run_before(pilot):
        await pilot.pause()
        assert app.start_session(app.get_library().routines["lower-face-points"])
        await _through_the_start(pilot)
        app.screen.tick(75)
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_session_aftercare(snap_compare, tmp_path, size):
    app = make_app(tmp_path)
    app.session_time_scale = 0.0001

    async def run_before(pilot):
        await pilot.pause()
        assert app.start_session(app.get_library().routines["morning-depuff-roll"])
        await _through_the_start(pilot)
        app.screen.tick(10_000)
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
