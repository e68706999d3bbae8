"""The journal on disk: changes by another process show up; unreadable files are left alone."""

from __future__ import annotations

from planner.app.app import AcuplanApp
from planner.app.screens.error import ErrorScreen
from planner.app.screens.today import TodayScreen
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


async def test_change_by_another_process_is_picked_up(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "allowed" in text_of(app.screen.query_one("#today-status"))
        other = planner_for(journal_file(tmp_path))  # e.g. `acuplan log product` elsewhere
        other.log_product("retinoid", TODAY)
        assert await wait_for(pilot, lambda: "product-blackout" in text_of(
            app.screen.query_one("#today-reasons")))
        assert "No session today" in text_of(app.screen.query_one("#today-status"))


async def test_change_shows_in_plan_after_switching(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        planner_for(journal_file(tmp_path)).plan(days(3), 10)
        assert await wait_for(pilot, lambda: "Fri 4 Dec 2026" in text_of(
            app.screen.query_one("#today-plan")))
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one("MonthCalendar").day_view(days(3)).status == "planned"


def garbage_journal(tmp_path):
    path = journal_file(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\xffnot json at all{{{\x89PNG")
    return path


async def test_unreadable_journal_shows_error_screen_and_is_untouched(tmp_path):
    path = garbage_journal(tmp_path)
    before = path.read_bytes()
    app = AcuplanApp(path, TODAY, poll_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        text = text_of(app.screen.query_one("#error-text"))
        assert str(path) in text
        # the advice names this journal, so it works when the app was started with --db
        assert f"acuplan --db {path} restore" in text.replace("\n", " ")
        for key in ("t", "p", "s", "c", "n", "j"):  # nothing may write or switch
            await pilot.press(key)
        await writes_done(pilot)  # any write a key started is over
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running
    assert path.read_bytes() == before
    # nothing beside it either: no backup, no version, no lock file, no temporary file
    assert sorted(p.name for p in path.parent.iterdir()) == ["journal.json"]


async def test_error_screen_names_the_newest_readable_version(tmp_path):
    path = journal_file(tmp_path)
    p = planner_for(path)
    p.accept_notice()
    p.set_profile(onboarded=True)
    p.log_product("retinoid", TODAY)  # leaves earlier versions beside the journal
    path.write_bytes(b"{\"truncated\": ")
    before = path.read_bytes()
    app = AcuplanApp(path, TODAY, poll_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        exc = app.screen.exc
        text = text_of(app.screen.query_one("#error-text"))
        assert exc.newest_version is not None and exc.newest_version.exists()
        assert str(exc.newest_version) in text and "newest readable version" in text
        assert "Backup" in text
    assert path.read_bytes() == before


async def test_journal_going_bad_while_running_then_restored(tmp_path):
    app = make_app(tmp_path)
    path = journal_file(tmp_path)
    good = path.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        path.write_bytes(b"garbage")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ErrorScreen))
        assert path.read_bytes() == b"garbage"
        path.write_bytes(good)  # what `acuplan restore` does
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))


async def test_a_record_the_rules_cannot_use_opens_the_error_screen(tmp_path):
    import json

    path = journal_file(tmp_path)
    make_app(tmp_path, sessions=[(days(-8), 10)])
    raw = json.loads(path.read_text())
    next(iter(raw["sessions"].values()))["date"] = None  # a hand edit
    path.write_text(json.dumps(raw))
    before = path.read_bytes()
    app = AcuplanApp(path, TODAY, poll_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert "date is None" in str(app.store_error)
    assert path.read_bytes() == before
