"""Data in and out in the app (issue 11): export, import, restore and backup, each from
the palette, each written by a write worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select

from planner.app.commands import after_replace
from planner.app.forms import data
from planner.app.forms.data import ExportScreen, ImportScreen, RestoreScreen
from planner.app.forms.dialogs import ConfirmScreen, FieldError
from planner.app.screens.today import TodayScreen
from planner.store import versions
from planner.store.exchange import export_json, parse_export, parse_export_with_routines
from tests.app.helpers import SIZE, days, journal_file, make_app, planner_for, wait_for

SEEDED = {"sessions": [(days(-9), 10), (days(-3), 12)],
          "checkins": [{"date": days(-2), "redness": 1, "note": "[b]fine[/b]"}]}


def tables(path: Path) -> dict:
    return {k: v for k, v in planner_for(path).journal.snapshot().items() if v}


async def palette(app, pilot, typed: str) -> None:
    """ctrl+p, type, wait for the palette's search, enter: as a user does."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*typed)
    await app.workers.wait_for_complete()  # the palette's search for what was typed
    await pilot.pause()
    await pilot.press("enter")


def field_error(app, name: str) -> str:
    return app.screen.query_one(f"#err-{name}", FieldError).message


def make_export(tmp_path: Path) -> tuple[Path, dict]:
    """An export of another journal (notice accepted, profile done, two sessions)."""
    source = tmp_path / "elsewhere" / "journal.json"
    source.parent.mkdir(parents=True)
    planner = planner_for(source)
    planner.accept_notice()
    planner.set_profile(onboarded=True, rosacea=True)
    planner.log_session(days(-5), 10)
    planner.log_session(days(-1), 8)
    target = tmp_path / "export.json"
    target.write_text(export_json(planner.journal.snapshot()))
    return target, tables(source)


# ---------------------------------------------------------------- export


async def test_export_from_the_palette_writes_what_the_journal_holds(tmp_path):
    app = make_app(tmp_path, **SEEDED)
    target = tmp_path / "out" / "mine.json"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await palette(app, pilot, "export")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        field = app.screen.query_one("#f-path", Input)
        assert field.value == f"~/acuplan-export-{app.today.isoformat()}.json"
        field.value = str(target)
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert parse_export(target.read_text()) == tables(journal_file(tmp_path))
        assert (target.stat().st_mode & 0o777) == 0o600
        assert any(str(target) in note and "Exported" in note for note in app.notes)


async def test_export_as_csv_follows_the_format_in_the_file_name(tmp_path):
    app = make_app(tmp_path, **SEEDED)
    async with app.run_test(size=SIZE) as pilot:
        data.run(app, "export")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        field = app.screen.query_one("#f-path", Input)
        field.value = str(tmp_path / "sheet.json")
        app.screen.query_one("#f-format", Select).value = "csv"
        assert await wait_for(pilot, lambda: field.value.endswith("sheet.csv"))
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        rows = (tmp_path / "sheet.csv").read_text().splitlines()
        assert rows[0].startswith("type,id,date")
        assert sum(row.startswith("sessions,") for row in rows) == 2


async def test_export_refuses_the_journal_and_its_kept_versions(tmp_path):
    app = make_app(tmp_path, **SEEDED)
    journal = journal_file(tmp_path)
    before = journal.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        data.run(app, "export")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        field = app.screen.query_one("#f-path", Input)
        for target in (journal, journal.with_name(journal.name + ".prev-000001")):
            field.value = str(target)
            await pilot.press("ctrl+s")
            assert await wait_for(pilot, lambda: "kept versions" in field_error(app, "path"))
            assert isinstance(app.screen, ExportScreen)
        assert journal.read_bytes() == before


async def test_export_asks_before_replacing_a_file(tmp_path):
    app = make_app(tmp_path, **SEEDED)
    target = tmp_path / "there.json"
    target.write_text("keep me")
    async with app.run_test(size=SIZE) as pilot:
        data.run(app, "export")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#f-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert target.read_text() == "keep me"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert parse_export(target.read_text()) == tables(journal_file(tmp_path))


# ---------------------------------------------------------------- import


async def test_import_on_the_first_run_fills_the_empty_journal_and_closes_it(tmp_path):
    from planner.app.screens.first_run import FirstRunScreen

    export, expected = make_export(tmp_path)
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        await palette(app, pilot, "import")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        app.screen.query_one("#f-path", Input).value = str(export)
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert tables(journal_file(tmp_path)) == expected
        assert app.planner.profile().rosacea  # the imported answers, not the first run's
        assert any("Imported" in note and "sessions 2" in note for note in app.notes)
        await pilot.press("j")  # the sections are open now
        assert await wait_for(pilot, lambda: app.current_mode == "journal")


async def test_import_into_a_journal_with_records_is_refused_and_writes_nothing(tmp_path):
    export, _ = make_export(tmp_path)
    app = make_app(tmp_path, **SEEDED)
    journal = journal_file(tmp_path)
    before = journal.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        data.run(app, "import")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        app.screen.query_one("#f-path", Input).value = str(export)
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: "already holds records" in field_error(app, "form"))
        assert "sessions 2" in field_error(app, "form")
        assert isinstance(app.screen, ImportScreen)
        assert journal.read_bytes() == before


async def test_import_says_what_is_wrong_with_the_file(tmp_path):
    from planner.app.screens.first_run import FirstRunScreen

    app = make_app(tmp_path, accepted=False)
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}')
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        data.run(app, "import")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        field = app.screen.query_one("#f-path", Input)
        field.value = str(tmp_path / "missing.json")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: "cannot read" in field_error(app, "path"))
        field.value = str(bad)
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: "not an acuplan JSON export"
                              in field_error(app, "form"))
        assert "\n" not in field_error(app, "form")
        assert tables(journal_file(tmp_path)) == {}


# ---------------------------------------------------------------- restore


async def test_restore_puts_a_kept_version_back_and_moves_the_current_file_aside(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-9), 10)])
    journal = journal_file(tmp_path)
    wanted = tables(journal)
    planner_for(journal).log_session(days(-3), 12)  # a second write: the first is kept
    newest = versions.list_versions(journal)[0]
    assert parse_export(export_json(planner_for(journal).journal.snapshot())) != wanted
    async with app.run_test(size=SIZE) as pilot:
        await palette(app, pilot, "restore")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RestoreScreen))
        listing = app.screen.query_one("#restore-list", OptionList)
        assert await wait_for(pilot, lambda: listing.option_count > 0)
        assert listing.get_option_at_index(0).id == newest.label
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "never deleted" in app.screen.detail
        await pilot.press("y")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert tables(journal) == wanted
        aside = list(journal.parent.glob(journal.name + ".unreadable-*"))
        assert len(aside) == 1
        assert any("moved to" in note and str(aside[0]) in note for note in app.notes)


async def test_restore_cancelled_changes_nothing(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-9), 10)])
    journal = journal_file(tmp_path)
    planner_for(journal).log_session(days(-3), 12)
    before = journal.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        data.run(app, "restore")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RestoreScreen))
        listing = app.screen.query_one("#restore-list", OptionList)
        assert await wait_for(pilot, lambda: listing.option_count > 0)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RestoreScreen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert journal.read_bytes() == before


# ---------------------------------------------------------------- backup


async def test_backup_key_writes_an_export_into_backups_and_says_where(tmp_path):
    app = make_app(tmp_path, **SEEDED)
    journal = journal_file(tmp_path)
    folder = journal.parent / "backups"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("B")
        assert await wait_for(pilot, lambda: any(folder.glob("acuplan-*.json"))
                              and isinstance(app.screen, TodayScreen))
        (backup,) = folder.glob("acuplan-*.json")
        assert len(backup.stem) == len("acuplan-2026-12-01-0930")
        parsed, _routines = parse_export_with_routines(backup.read_text())
        assert parsed == tables(journal)
        assert any(str(backup) in note for note in app.notes)
        await palette(app, pilot, "back up")  # the palette does the same, a new file
        assert await wait_for(pilot, lambda: len(list(folder.glob("acuplan-*.json"))) == 2)


async def test_no_backup_while_the_first_run_is_open(tmp_path):
    from planner.app.screens.first_run import FirstRunScreen

    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert not (journal_file(tmp_path).parent / "backups").exists()


async def test_help_lists_the_data_commands(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: app.screen.query("#help-keys"))
        from tests.app.helpers import text_of

        keys = text_of(app.screen.query_one("#help-keys"))
        for words in ("export the journal", "import an export", "put a kept version",
                      "back up the journal"):
            assert words in keys


def test_same_file_family():
    journal = Path("/data/journal.json")
    assert data.same_file_family(journal, journal)
    assert data.same_file_family(Path("/data/journal.json.day-2026-12-01"), journal)
    assert data.same_file_family(Path("/data/.journal.json.tmp-1-ab"), journal)
    assert not data.same_file_family(Path("/data/journal.json-export.json"), journal)
    assert not data.same_file_family(Path("/elsewhere/journal.json.prev-000001"), journal)


async def test_an_import_without_the_notice_accepted_opens_the_first_run_again(tmp_path):
    from planner.app.screens.first_run import FirstRunScreen

    source = tmp_path / "elsewhere" / "journal.json"
    source.parent.mkdir(parents=True)
    planner = planner_for(source)
    planner.set_profile(rosacea=True)  # answered, the notice never accepted
    export = tmp_path / "export.json"
    export.write_text(export_json(planner.journal.snapshot()))
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        first = app.screen
        data.run(app, "import", after_replace)  # as the palette opens it
        assert await wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        app.screen.query_one("#f-path", Input).value = str(export)
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen)
                              and app.screen is not first)
        assert app.sections_locked()
        assert tables(journal_file(tmp_path)) == tables(source)


@pytest.mark.parametrize("fmt,check", [
    ("ics", lambda b: b.startswith(b"BEGIN:VCALENDAR") and b"plan-" in b),
    ("html", lambda b: b.startswith(b"<!DOCTYPE html") and b"not medical advice" in b),
    ("pdf", lambda b: b.startswith(b"%PDF-")),
])
async def test_the_calendar_and_the_clinician_report_are_exported_from_the_app(
        tmp_path, fmt, check):
    app = make_app(tmp_path, sessions=[(days(-3), 8)], plans=[(days(7), 10)])
    async with app.run_test(size=SIZE) as pilot:
        data.run(app, "export")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#f-format", Select).value = fmt
        field = app.screen.query_one("#f-path", Input)
        assert await wait_for(pilot, lambda: field.value.endswith("." + fmt))
        target = tmp_path / f"out.{fmt}"
        field.value = str(target)
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert check(target.read_bytes()) and (target.stat().st_mode & 0o777) == 0o600
        assert any("Exported" in n and str(target) in n for n in app.notes)
