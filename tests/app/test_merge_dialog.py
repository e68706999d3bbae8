"""Merge another copy of the journal, in the app (SPEC §10 "Two machines"): the palette's
"Data: merge another copy" runs a dry run, asks, merges, and shows the report; the other
file is only read, and nothing is written before the yes.

The copies are made as a user makes them: one journal file copied to a second computer,
then each changed through the service with its own clock (the laptop's an hour later)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Input

from planner.app.forms.data import MergeReportScreen, MergeScreen
from planner.app.forms.dialogs import ConfirmScreen
from planner.app.screens.today import TodayScreen
from planner.service.planner import Planner
from planner.store.journal import Journal
from tests.app.helpers import (
    SIZE,
    TODAY,
    days,
    journal_file,
    planner_for,
    record_notes,
    screen_text,
    text_of,
    wait_for,
)
from tests.app.test_data_dialogs import field_error, palette
from tests.clocks import TickingClock


def machine(path: Path, hour: int) -> Planner:
    return Planner(Journal(path, now=TickingClock(datetime(2026, 12, 1, hour, tzinfo=UTC))), TODAY)


def app_on(journal: Path):
    from planner.app.app import AcuplanApp

    app = AcuplanApp(journal, TODAY, poll_interval=0.05)
    app.animation_level = "none"
    record_notes(app)
    return app


def home_journal(tmp_path: Path) -> tuple[Path, Planner]:
    journal = journal_file(tmp_path)
    journal.parent.mkdir(parents=True)
    home = machine(journal, 8)
    home.accept_notice()
    home.set_profile(onboarded=True, pregnant=False)
    return journal, home


def two_copies(tmp_path: Path) -> dict:
    """This journal (home) and a copy of it on a laptop, each changed since: the same
    session edited on both (the laptop later), and on the laptop a product and a session
    three days before a plan made at home."""
    journal, home = home_journal(tmp_path)
    sid = home.log_session(days(-10), 8).record.id
    pid = home.plan(days(3), 10).plan.id
    other = tmp_path / "laptop [conflict].json"  # a name with "[": shown as it is
    shutil.copyfile(journal, other)
    laptop = machine(other, 9)
    home.edit_session(sid, minutes=9)
    laptop.edit_session(sid, minutes=6)
    product = laptop.log_product("retinoid", days(-1)).record.id
    late = laptop.log_session(days(-2), 8).record.id
    return {"journal": journal, "other": other, "session": sid, "plan": pid,
            "product": product, "late": late}


def records(path: Path) -> dict[str, dict[str, dict]]:
    """The journal file's records by table and id, read afresh (as the CLI would)."""
    return {table: {d["id"]: d for d in docs}
            for table, docs in planner_for(path).journal.snapshot().items() if docs}


async def open_merge(app, pilot, other: Path) -> None:
    await palette(app, pilot, "merge")
    assert await wait_for(pilot, lambda: isinstance(app.screen, MergeScreen))
    app.screen.query_one("#f-path", Input).value = str(other)
    await pilot.press("ctrl+s")


async def test_merging_a_changed_copy_asks_then_writes_and_reports_the_conflict(tmp_path):
    c = two_copies(tmp_path)
    journal, other = c["journal"], c["other"]
    before, theirs = journal.read_bytes(), other.read_bytes()
    app = app_on(journal)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert await wait_for(pilot, lambda: "allowed" in text_of(
            app.screen.query_one("#today-plan")))
        await open_merge(app, pilot, other)
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.question + "\n" + app.screen.detail
        assert "Merge laptop [conflict].json into this journal?" in question
        assert "2 records added, 1 record changed" in question
        assert f"session {c['session'][:8]}" in question
        assert "the other copy's version kept" in question
        assert "1 plan would then be blocked" in question
        assert journal.read_bytes() == before  # the dry run wrote nothing

        await pilot.press("n")  # not now: the dialog lists what the merge would do
        assert await wait_for(pilot, lambda: isinstance(app.screen, MergeScreen))
        shown = screen_text(app)
        assert "Would merge: 2 records added, 1 record changed" in shown
        assert "changed on both sides" in shown and "plans now blocked" in shown
        assert journal.read_bytes() == before

        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: isinstance(app.screen, MergeReportScreen))
        report = screen_text(app)
        assert (f"merged {other} into {journal}: 2 records added, 1 record changed"
                in report)
        assert f"session {c['session'][:8]}" in report
        assert "kept the other copy's version" in report
        assert "plans now blocked" in report and f"plan {c['plan'][:8]}" in report
        assert "spacing" in report

        held = records(journal)
        assert held["products"][c["product"]]["kind"] == "retinoid"
        assert held["sessions"][c["late"]]["date"] == days(-2).isoformat()
        assert held["sessions"][c["session"]]["minutes"] == 6  # the later change won
        assert other.read_bytes() == theirs  # only read

        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        # Today reloads from the merged journal: the plan is blocked now
        assert await wait_for(pilot, lambda: "blocked by spacing" in text_of(
            app.screen.query_one("#today-plan")))


async def test_an_unreadable_other_file_is_one_line_beside_the_field_and_writes_nothing(
        tmp_path):
    journal, home = home_journal(tmp_path)
    home.log_session(days(-3), 8)
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    before = journal.read_bytes()
    app = app_on(journal)
    async with app.run_test(size=SIZE) as pilot:
        await open_merge(app, pilot, bad)
        assert await wait_for(pilot, lambda: "not valid JSON" in field_error(app, "path"))
        message = field_error(app, "path")
        assert str(bad) in message and "nothing was written" in message
        assert "\n" not in message
        assert isinstance(app.screen, MergeScreen)
        app.screen.query_one("#f-path", Input).value = str(tmp_path / "missing.json")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: "cannot read" in field_error(app, "path"))
    assert journal.read_bytes() == before


async def test_the_journal_itself_is_refused_as_the_other_copy(tmp_path):
    journal, home = home_journal(tmp_path)
    home.log_session(days(-3), 8)
    before = journal.read_bytes()
    app = app_on(journal)
    async with app.run_test(size=SIZE) as pilot:
        # by another name for the same file, too
        await open_merge(app, pilot, journal.parent / ".." / "data" / journal.name)
        assert await wait_for(pilot, lambda: "is this journal itself"
                              in field_error(app, "path"))
        assert isinstance(app.screen, MergeScreen)
    assert journal.read_bytes() == before


async def test_an_identical_copy_has_nothing_to_merge_and_nothing_is_asked(tmp_path):
    journal, home = home_journal(tmp_path)
    home.log_session(days(-3), 8)
    other = tmp_path / "copy.json"
    shutil.copyfile(journal, other)
    before = journal.read_bytes()
    app = app_on(journal)
    async with app.run_test(size=SIZE) as pilot:
        await open_merge(app, pilot, other)
        assert await wait_for(pilot, lambda: "nothing to merge" in screen_text(app))
        assert isinstance(app.screen, MergeScreen)
        assert f"{other} holds nothing this journal lacks" in screen_text(app)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    assert journal.read_bytes() == before


async def test_help_lists_merge_with_the_data_commands(tmp_path):
    journal, _home = home_journal(tmp_path)
    app = app_on(journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: app.screen.query("#help-keys"))
        keys = text_of(app.screen.query_one("#help-keys"))
        assert "ctrl+p merge" in keys and "merge another copy of the journal" in keys
