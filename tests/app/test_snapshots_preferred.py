"""Snapshots at 80×24 of the preferred days and time: Settings with them set, and the Plan
calendar marking them (a fixed Friday, 2026-12-04, the default theme, a temp journal).

Update with `pytest tests/app/test_snapshots_preferred.py --snapshot-update`, then look at
the SVGs before committing them.
"""

from __future__ import annotations

from tests.app.helpers import TODAY, journal_file, make_app, planner_for, writes_done

FRIDAY = TODAY.replace(day=4)


def preferring(tmp_path):
    """Sat and Sun at 19:00 preferred; a session on Monday 30 November (spacing: the
    earliest allowed day is Monday 7th) and the next preferred day planned (Sat 12th)."""
    app = make_app(tmp_path, today=FRIDAY)
    p = planner_for(journal_file(tmp_path), FRIDAY)
    p.log_session(TODAY.replace(month=11, day=30), 8)
    p.set_preferences("sat,sun", "19:00")
    p.plan_next()
    return app


async def _go(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await writes_done(pilot)
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False  # a blinking cursor would make the picture a lottery
    await pilot.pause()


def test_settings_with_preferences(snap_compare, tmp_path):
    assert snap_compare(preferring(tmp_path), terminal_size=(80, 24),
                        run_before=lambda pilot: _go(pilot, "comma"))


def test_plan_calendar_marks_preferred_days(snap_compare, tmp_path):
    # the cursor on Saturday 12th, the planned preferred day
    assert snap_compare(preferring(tmp_path), terminal_size=(80, 24),
                        run_before=lambda pilot: _go(pilot, "p", "down", "right"))
