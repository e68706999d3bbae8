"""Writes run in worker threads: the lock wait is off the event loop, the screen says it is
saving and refuses a second save meanwhile, and the screens reload once (JournalChanged)."""

from __future__ import annotations

from textual.widgets import Button

from planner.app.writes import STILL_SAVING
from planner.store.lock import locked
from tests.app.helpers import (
    SIZE,
    TODAY,
    days,
    journal_file,
    make_app,
    planner_for,
    screen_text,
    text_of,
    wait_for,
    writes_done,
)


def products(tmp_path):
    return planner_for(journal_file(tmp_path)).journal.snapshot().get("products", [])


def running_writes(app):
    return [w for w in app.workers if w.group == "journal-write" and not w.is_finished]


async def open_product_form(app, pilot):
    await pilot.press("j")
    assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
    journal = app.screen
    await pilot.press("o")
    assert await wait_for(pilot, lambda: type(app.screen).__name__ == "ActivityFormScreen")
    return journal, app.screen


async def test_a_save_waits_for_the_lock_in_its_worker_and_refuses_a_second_save(tmp_path):
    app = make_app(tmp_path)
    path = journal_file(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        _, form = await open_product_form(app, pilot)
        with locked(path, timeout=5):  # another process is writing the journal
            await pilot.press("ctrl+s")
            assert await wait_for(pilot, lambda: len(running_writes(app)) == 1)
            save = form.query_one("#save", Button)
            assert form.saving and save.disabled and str(save.label) == "Saving…"
            # the event loop is free while the worker waits for the lock: keys are handled
            await pilot.press("ctrl+s")  # a second save is refused
            await pilot.press("escape")  # and the form stays until the save is over
            await pilot.pause()
            assert app.screen is form and len(running_writes(app)) == 1
            assert products(tmp_path) == []  # nothing written while the lock is held
        # the lock is free: the one save goes through
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
        assert not form.saving
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
    assert [(d["kind"], d["date"]) for d in products(tmp_path)] == [
        ("retinoid", TODAY.isoformat())]


async def test_a_section_refuses_a_second_write_while_one_is_under_way(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-3), 10)])
    path = journal_file(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        today = app.screen
        with locked(path, timeout=5):
            await pilot.press("n")  # plan the next allowed day
            assert await wait_for(pilot, lambda: today.saving)
            assert "saving…" in today.sub_title  # shown in the header
            await pilot.press("n")  # again, before the first is written
            await pilot.pause()
            assert STILL_SAVING in app.notes
            assert len(running_writes(app)) == 1
        await writes_done(pilot)
        assert not today.saving and "saving" not in today.sub_title
        assert "Sat 5 Dec 2026" in text_of(today.query_one("#today-plan"))
    assert len(planner_for(journal_file(tmp_path)).plan_views()) == 1


async def test_a_journal_save_reloads_the_list_once(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        journal, _form = await open_product_form(app, pilot)
        loads = []
        load = journal.refresh_data
        journal.refresh_data = lambda: (loads.append(1), load())[-1]
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.screen is journal)
        await writes_done(pilot)
        assert len(loads) == 1
        assert journal.query_one("#journal-table").row_count == 1


async def test_a_failed_write_is_reported_and_the_screen_can_write_again(tmp_path):
    app = make_app(tmp_path, plans=[(days(3), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        today = app.screen
        planner_for(journal_file(tmp_path)).log_session(TODAY, 10)  # day taken meanwhile
        today.write(lambda p: p.plan(TODAY, 10))  # refused: a session is logged today
        await writes_done(pilot)
        assert any("Refused" in n or "cannot plan" in n for n in app.notes)
        assert not today.saving
        assert today.write(lambda p: p.plan(days(30), 10))
        await writes_done(pilot)
    assert days(30) in [pv.plan.date for pv in planner_for(journal_file(tmp_path)).plan_views()]


async def test_a_refused_write_leaves_no_saving_mark_on_a_screen_without_a_sub_title(tmp_path):
    """The Journal has no sub-title of its own: after a refused delete its header must not
    keep saying "saving…" (it did, when the sub-title to restore was None)."""
    app = make_app(tmp_path, checkins=[{"date": days(-2), "flags": ["fever"]}])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        journal = app.screen
        before = journal.sub_title
        await pilot.press("delete")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        assert await wait_for(pilot, lambda: "Refused" in screen_text(app))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.screen is journal)
        await writes_done(pilot)
        assert not journal.saving
        assert journal.sub_title == before
        assert "saving" not in (journal.sub_title or "")
