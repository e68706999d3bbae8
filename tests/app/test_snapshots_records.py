"""Snapshots of the records sections with a fixed today and a seeded journal.

Update with `pytest tests/app/test_snapshots_records.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from tests.app.helpers import days, journal_file, make_app, planner_for, writes_done


def seeded(tmp_path):
    app = make_app(tmp_path)
    p = planner_for(journal_file(tmp_path))
    for off, minutes in [(-70, 10), (-63, 10), (-56, 10), (-42, 10), (-35, 10), (-28, 15),
                         (-14, 10), (-7, 10)]:
        p.log_session(days(off), minutes)
    p.log_session(days(-49), 5, outcome="aborted")
    for off in range(-30, 0, 3):
        p.log_skin("checkin", days(off), redness=1 if off % 2 else 0, swelling=0,
                   note="Retinol [0.5%]" if off == -3 else "")
    p.log_skin("checkin", days(-20), redness=2, swelling=1)
    p.log_product("retinoid", days(-40), "Retinol [0.5%]")
    return app


async def _go(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await writes_done(pilot)  # a save the keys started is over
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False  # a blinking cursor would make the picture a lottery
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_history_calendar(snap_compare, tmp_path, size):
    app = seeded(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=lambda pilot: _go(pilot, "h"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_history_minutes_chart(snap_compare, tmp_path, size):
    app = seeded(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=lambda pilot: _go(pilot, "h", "2"))


def test_journal_list(snap_compare, tmp_path):
    app = seeded(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=lambda pilot: _go(pilot, "j"))


def test_checkin_form(snap_compare, tmp_path):
    app = seeded(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=lambda pilot: _go(pilot, "j", "c"))


def test_settings_rules(snap_compare, tmp_path):
    app = seeded(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=lambda pilot: _go(pilot, "comma", "3"))


def test_routines_list(snap_compare, tmp_path):
    app = seeded(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=lambda pilot: _go(pilot, "r"))


def test_red_flag_advice(snap_compare, tmp_path):
    app = seeded(tmp_path)

    async def red_flag(pilot):
        await _go(pilot, "j", "c")
        flags = pilot.app.screen.query_one("#f-flags")
        flags.select("lip-tongue-throat-swelling")
        flags.select("pus")
        await _go(pilot, "ctrl+s")

    assert snap_compare(app, terminal_size=(80, 24), run_before=red_flag)
