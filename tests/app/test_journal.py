"""Journal section: list, forms (check-in, reaction, product, procedure, injectable),
edit, delete with confirmation, resolving holds, and red-flag advice."""

from __future__ import annotations

import asyncio
import functools
from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input, Select, SelectionList

from planner.domain.classify import CLINICIAN_TEXT, EMERGENCY_TEXT
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


def arun(fn):
    """Run an async test body without an async pytest plugin."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        asyncio.run(fn(*args, **kwargs))
    return wrapper


def skin_docs(tmp_path):
    return planner_for(journal_file(tmp_path)).journal.snapshot().get("skin", [])


async def open_journal(pilot):
    await pilot.press("j")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "JournalScreen")
    return pilot.app.screen


async def open_form(pilot, key, name):
    await pilot.press(key)
    assert await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name)
    return pilot.app.screen


async def type_into(pilot, selector, text):
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*list(text))


def error_label(screen, name):
    return screen.query_one(f"#err-{name}")


def table_rows(screen):
    table = screen.query_one("#journal-table", DataTable)
    return [[getattr(c, "plain", str(c)) for c in table.get_row_at(i)]
            for i in range(table.row_count)]


@arun
async def test_list_shows_entries_newest_first_and_notes_intact(tmp_path):
    app = make_app(tmp_path)
    p = planner_for(journal_file(tmp_path))
    p.log_product("retinoid", days(-10), "Retinol [0.5%]")
    p.log_skin("checkin", days(-2), redness=1, note="[bold]not markup[/bold]")
    p.log_session(days(-8), 10)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(pilot)
        rows = table_rows(screen)
        assert [r[1] for r in rows] == ["checkin", "session", "product"]
        assert rows[2][4] == "Retinol [0.5%]"
        assert rows[0][4] == "[bold]not markup[/bold]"
        assert rows[0][2].endswith("mild")
        # the rendered screen shows the note exactly
        from textual.widgets import Static
        detail = screen.query_one("#journal-detail", Static)
        assert "[bold]not markup[/bold]" in text_of(detail)
        screen.query_one("#journal-table", DataTable).move_cursor(row=2)
        await pilot.pause()
        assert "Retinol [0.5%]" in text_of(detail)


@arun
async def test_filter_by_type(tmp_path):
    app = make_app(tmp_path, products=[("retinoid", days(-10))], sessions=[(days(-8), 10)],
                   checkins=[{"date": days(-1)}])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(pilot)
        assert len(table_rows(screen)) == 3
        screen.query_one("#journal-filter", Select).value = "session"
        await pilot.pause()
        assert [r[1] for r in table_rows(screen)] == ["session"]
        assert "1 entry" in text_of(screen.query_one("#journal-count"))


@arun
async def test_period_filter_hides_old_entries_until_asked(tmp_path):
    app = make_app(tmp_path, products=[("retinoid", days(-200)), ("scrub", days(-10))])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(pilot)
        assert [r[3] for r in table_rows(screen)] == ["scrub"]
        screen.query_one("#journal-period", Select).value = 0
        await pilot.pause()
        assert [r[3] for r in table_rows(screen)] == ["scrub", "retinoid"]


@arun
async def test_checkin_form_saves_with_anchor_labels(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "c", "SkinFormScreen")
        await type_into(pilot, "#f-redness", "2")
        assert text_of(form.query_one("#a-redness")) == "2 — well-defined"
        await type_into(pilot, "#f-itch", "5")
        assert text_of(form.query_one("#a-itch")) == "5 — moderate"
        await type_into(pilot, "#f-note", "Retinol [0.5%] yesterday")
        await pilot.press("ctrl+s")
        # moderate: a message says sessions pause for 3 days
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
        assert "paused" in app.screen.text and days(3).isoformat() in app.screen.text
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        docs = skin_docs(tmp_path)
        assert len(docs) == 1
        assert docs[0]["redness"] == 2 and docs[0]["itch"] == 5
        assert docs[0]["note"] == "Retinol [0.5%] yesterday"
        assert table_rows(app.screen)[0][4] == "Retinol [0.5%] yesterday"


@pytest.mark.parametrize("field,value,needle", [
    ("redness", "7", "0–4"),
    ("swelling", "5", "0–4"),
    ("itch", "11", "0–10"),
    ("burning", "", "0–10"),
])
@arun
async def test_checkin_out_of_range_is_shown_and_nothing_saved(tmp_path, field, value, needle):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "c", "SkinFormScreen")
        await type_into(pilot, f"#f-{field}", value)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        err = error_label(form, field)
        assert err.display and err.has_class("-shown")
        assert needle in text_of(err)
        assert skin_docs(tmp_path) == []


@arun
async def test_future_date_is_refused_next_to_the_field(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "c", "SkinFormScreen")
        await type_into(pilot, "#f-date", days(1).isoformat())
        await pilot.press("ctrl+s")
        await pilot.pause()
        err = error_label(form, "date")
        assert err.has_class("-shown") and "future" in text_of(err)
        await type_into(pilot, "#f-date", "2026-02-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "YYYY-MM-DD" in text_of(error_label(form, "date"))
        assert skin_docs(tmp_path) == []


@arun
async def test_red_flag_shows_emergency_advice_first(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "c", "SkinFormScreen")
        flags = form.query_one("#f-flags", SelectionList)
        flags.select("pus")
        flags.select("lip-tongue-throat-swelling")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
        msg = app.screen
        assert msg.paragraphs[0] == EMERGENCY_TEXT
        assert CLINICIAN_TEXT in msg.paragraphs
        assert "press" not in " ".join(msg.paragraphs).lower().replace("pressure", "")
        assert text_of(msg.query_one("#message-0")) == EMERGENCY_TEXT
        docs = skin_docs(tmp_path)
        assert len(docs) == 1 and set(docs[0]["flags"]) == {"pus", "lip-tongue-throat-swelling"}
        assert planner_for(journal_file(tmp_path)).history_items()[0]["class"] == "red-flag"
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        assert table_rows(app.screen)[0][2].endswith("red-flag")


@arun
async def test_reaction_form_links_the_highlighted_session(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-1), 10)])
    sid = planner_for(journal_file(tmp_path)).state().history.sessions[0].id
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "x", "SkinFormScreen")
        assert form.query_one("#f-session", Select).value == sid
        await type_into(pilot, "#f-redness", "1")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        docs = skin_docs(tmp_path)
        assert docs[0]["kind"] == "reaction" and docs[0]["session_id"] == sid


@pytest.mark.parametrize("key,table,kind,needle", [
    ("o", "products", "retinoid", f"No session before {days(4).isoformat()}"),
    ("d", "procedures", "clinic-peel", f"No session before {days(7).isoformat()}"),
    ("i", "injectables", "botulinum-toxin", f"No session before {days(14).isoformat()}"),
])
@arun
async def test_activity_forms_save_and_show_the_impact(tmp_path, key, table, kind, needle):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, key, "ActivityFormScreen")
        assert form.query_one("#f-kind", Select).value == kind
        await type_into(pilot, "#f-note", "Retinol [0.5%]")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
        assert needle in app.screen.text
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        docs = planner_for(journal_file(tmp_path)).journal.snapshot()[table]
        assert [(d["kind"], d["date"], d["note"]) for d in docs] == [
            (kind, TODAY.isoformat(), "Retinol [0.5%]")]


@arun
async def test_activity_form_refuses_a_future_date(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "o", "ActivityFormScreen")
        await type_into(pilot, "#f-date", (TODAY + timedelta(days=3)).isoformat())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "future" in text_of(error_label(form, "date"))
        assert planner_for(journal_file(tmp_path)).journal.snapshot().get("products", []) == []


@arun
async def test_edit_a_checkin(tmp_path):
    app = make_app(tmp_path, checkins=[{"date": days(-2), "redness": 1, "note": "old"}])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "e", "SkinFormScreen")
        assert form.query_one("#f-redness", Input).value == "1"
        assert form.query_one("#f-note", Input).value == "old"
        await type_into(pilot, "#f-redness", "0")
        await type_into(pilot, "#f-note", "calm [ok]")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        docs = skin_docs(tmp_path)
        assert len(docs) == 1
        assert docs[0]["redness"] == 0 and docs[0]["note"] == "calm [ok]"
        assert docs[0]["date"] == days(-2).isoformat()


@arun
async def test_edit_a_product_with_invalid_date_keeps_it(tmp_path):
    app = make_app(tmp_path, products=[("scrub", days(-3))])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "enter", "ActivityFormScreen")
        await type_into(pilot, "#f-date", "tomorrow")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "YYYY-MM-DD" in text_of(error_label(form, "date"))
        await pilot.press("escape")
        docs = planner_for(journal_file(tmp_path)).journal.snapshot()["products"]
        assert docs[0]["date"] == days(-3).isoformat()


@arun
async def test_delete_asks_first_and_cancel_keeps_the_entry(tmp_path):
    app = make_app(tmp_path, products=[("scrub", days(-3))], checkins=[{"date": days(-1)}])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await open_form(pilot, "delete", "ConfirmScreen")
        await pilot.press("n")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        assert len(skin_docs(tmp_path)) == 1
        await open_form(pilot, "backspace", "ConfirmScreen")
        await pilot.press("y")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        assert skin_docs(tmp_path) == []
        assert [r[1] for r in table_rows(app.screen)] == ["product"]


@arun
async def test_resolve_a_severe_hold_needs_only_a_date(tmp_path):
    app = make_app(tmp_path, checkins=[{"date": days(-2), "redness": 3}])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        assert not app.planner.check(TODAY).allowed
        await open_form(pilot, "v", "ResolveScreen")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        assert skin_docs(tmp_path)[0]["resolved_on"] == TODAY.isoformat()


@arun
async def test_resolve_a_red_flag_needs_a_clinician(tmp_path):
    app = make_app(tmp_path, checkins=[{"date": days(-2), "flags": ["fever"]}])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "v", "ResolveScreen")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "clinician" in text_of(error_label(form, "form"))
        assert skin_docs(tmp_path)[0]["resolved_on"] is None
        form.query_one("#f-cleared").value = True
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        doc = skin_docs(tmp_path)[0]
        assert doc["resolved_on"] == TODAY.isoformat() and doc["cleared_by_clinician"] is True


@arun
async def test_journal_follows_changes_from_another_process(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(pilot)
        assert table_rows(screen) == []
        planner_for(journal_file(tmp_path)).log_product("scrub", days(-1), "from the CLI")
        assert await wait_for(pilot, lambda: len(table_rows(screen)) == 1)
        assert table_rows(screen)[0][4] == "from the CLI"


@arun
async def test_unreadable_journal_shows_the_error_screen_not_a_traceback(tmp_path):
    app = make_app(tmp_path, products=[("scrub", days(-1))])
    path = journal_file(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "c", "SkinFormScreen")
        path.write_bytes(b"{ not json")
        await type_into(pilot, "#f-redness", "1")
        form.action_save()
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "ErrorScreen")
        assert path.read_bytes() == b"{ not json"


@arun
async def test_log_a_past_session_keeps_it_with_its_violations(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-3), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "l", "SessionFormScreen")
        await type_into(pilot, "#f-date", days(-1).isoformat())
        await type_into(pilot, "#f-minutes", "8")
        await type_into(pilot, "#f-note", "no guide [quick]")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
        assert "broke a safety rule" in app.screen.text
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        items = planner_for(journal_file(tmp_path)).history_items()
        new = [s for s in items if s["type"] == "session" and s["date"] == days(-1).isoformat()]
        assert len(new) == 1 and new[0]["minutes"] == 8 and new[0]["note"] == "no guide [quick]"
        assert new[0]["outcome"] == "completed"
        assert [v["rule"] for v in new[0]["violations"]] == ["spacing"]  # derived
        assert "⚠ spacing" in table_rows(app.screen)[0][3]
        assert form is not app.screen


@arun
async def test_edit_a_session(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-10), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "e", "SessionFormScreen")
        assert form.query_one("#f-minutes", Input).value == "10"
        await type_into(pilot, "#f-minutes", "0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "1–180" in text_of(error_label(form, "minutes"))
        await type_into(pilot, "#f-minutes", "7")
        assert form.query_one("#f-outcome", Select).value == "completed"
        form.query_one("#f-outcome", Select).value = "aborted"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        (doc,) = planner_for(journal_file(tmp_path)).journal.snapshot()["sessions"]
        assert doc["minutes"] == 7 and doc["outcome"] == "aborted"
        assert "aborted" in table_rows(app.screen)[0][3]


@arun
async def test_pause_form_blocks_sessions_and_checks_dates(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "u", "PauseFormScreen")
        await type_into(pilot, "#f-end", days(-2).isoformat())
        await pilot.press("ctrl+s")
        await writes_done(pilot)  # the service refuses it
        assert "before it starts" in text_of(error_label(form, "form"))
        await type_into(pilot, "#f-end", days(6).isoformat())
        form.query_one("#f-reason", Select).value = "travel"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        (pause,) = planner_for(journal_file(tmp_path)).journal.snapshot()["pauses"]
        assert (pause["start"], pause["end"], pause["reason"]) == (
            TODAY.isoformat(), days(6).isoformat(), "travel")
        assert not planner_for(journal_file(tmp_path)).check(days(3)).allowed


# ------------------------------------------------- holds, typed commands, one check-in a day

async def refusal_shown(pilot):
    app = pilot.app
    assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
    return app.screen.text


@arun
async def test_deleting_a_red_flag_is_refused_and_the_record_stays(tmp_path):
    app = make_app(tmp_path, checkins=[{"date": days(-2), "flags": ["fever"]}])
    (before,) = skin_docs(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await open_form(pilot, "delete", "ConfirmScreen")
        await pilot.press("y")
        text = await refusal_shown(pilot)
        assert "Refused" in text
        assert f"acuplan resolve {before['id']} --date DATE --cleared-by-clinician" in text
        assert "press v" in text and "Nothing was changed" in text
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        assert [r[2] for r in table_rows(app.screen)] == ["! red-flag"]
    assert skin_docs(tmp_path) == [before]


@pytest.mark.parametrize("seeded,change", [
    ({"redness": 3}, ("#f-redness", "1")),                 # lower the redness
    ({"flags": ["dizziness"]}, ("flags", "dizziness")),     # untick the flag
])
@arun
async def test_editing_an_open_hold_milder_is_refused(tmp_path, seeded, change):
    app = make_app(tmp_path, checkins=[{"date": days(-2), **seeded}])
    (before,) = skin_docs(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "e", "SkinFormScreen")
        field, value = change
        if field == "flags":
            form.query_one("#f-flags", SelectionList).deselect(value)
        else:
            await type_into(pilot, field, value)
        await pilot.press("ctrl+s")
        text = await refusal_shown(pilot)
        assert f"acuplan resolve {before['id']} --date DATE" in text and "press v" in text
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.screen is form)  # still editing, nothing saved
        assert "resolve" in text_of(error_label(form, "form"))
    assert skin_docs(tmp_path) == [before]
    assert not planner_for(journal_file(tmp_path)).check(TODAY).allowed


@arun
async def test_after_resolving_a_severe_record_it_can_be_edited(tmp_path):
    app = make_app(tmp_path, checkins=[{"date": days(-4), "redness": 3}])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await open_form(pilot, "v", "ResolveScreen")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        await open_form(pilot, "e", "SkinFormScreen")
        await type_into(pilot, "#f-redness", "1")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
    (doc,) = skin_docs(tmp_path)
    assert doc["redness"] == 1 and doc["resolved_on"] == TODAY.isoformat()


@pytest.mark.parametrize("where", ["journal", "today"])
@arun
async def test_checkin_key_edits_todays_checkin(tmp_path, where):
    app = make_app(tmp_path, checkins=[{"date": TODAY, "redness": 1, "note": "morning"}])
    async with app.run_test(size=SIZE) as pilot:
        if where == "journal":
            await open_journal(pilot)
        form = await open_form(pilot, "c", "SkinFormScreen")
        assert form.record is not None
        assert "Edit check-in" in text_of(form.query_one(".rec-dialog-title"))
        assert form.query_one("#f-redness", Input).value == "1"
        assert form.query_one("#f-note", Input).value == "morning"
        await type_into(pilot, "#f-redness", "0")
        await type_into(pilot, "#f-note", "evening")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ != "SkinFormScreen")
    docs = skin_docs(tmp_path)
    assert [(d["date"], d["redness"], d["note"]) for d in docs] == [
        (TODAY.isoformat(), 0, "evening")]


@arun
async def test_a_new_checkin_on_a_date_that_has_one_updates_it(tmp_path):
    app = make_app(tmp_path, checkins=[{"date": days(-1), "redness": 1}])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "c", "SkinFormScreen")
        assert form.record is None  # none today yet: a new one
        await type_into(pilot, "#f-date", days(-1).isoformat())
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        notes = list(app.notes)
        assert any("updated (one check-in per date)" in m for m in notes)
    docs = skin_docs(tmp_path)
    assert len(docs) == 1 and docs[0]["redness"] == 0


@arun
async def test_a_product_logged_before_a_session_says_which_session_now_breaks_a_rule(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-5), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await open_form(pilot, "o", "ActivityFormScreen")
        await type_into(pilot, "#f-date", days(-6).isoformat())
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
        text = app.screen.text
        assert "now breaks a safety rule" in text
        assert f"session of {days(-5).isoformat()} · 10 min: product-blackout" in text
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        session_row = next(r for r in table_rows(app.screen) if r[1] == "session")
        assert "⚠ product-blackout" in session_row[3]


@arun
async def test_log_a_past_session_with_an_outcome(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "l", "SessionFormScreen")
        assert form.query_one("#f-outcome", Select).value == "completed"
        await type_into(pilot, "#f-date", days(-2).isoformat())
        await type_into(pilot, "#f-minutes", "4")
        form.query_one("#f-outcome", Select).value = "partial"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        assert "4 min · partial" in table_rows(app.screen)[0][3]
    (doc,) = planner_for(journal_file(tmp_path)).journal.snapshot()["sessions"]
    assert (doc["date"], doc["minutes"], doc["outcome"]) == (days(-2).isoformat(), 4, "partial")


@arun
async def test_editing_a_product_goes_through_the_typed_command(tmp_path):
    app = make_app(tmp_path, products=[("scrub", days(-10))])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "e", "ActivityFormScreen")
        form.query_one("#f-kind", Select).value = "home-peel"
        await type_into(pilot, "#f-date", days(-9).isoformat())
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
    (doc,) = planner_for(journal_file(tmp_path)).journal.snapshot()["products"]
    assert (doc["kind"], doc["date"]) == ("home-peel", days(-9).isoformat())


@arun
async def test_deleting_a_plan_and_a_pause(tmp_path):
    app = make_app(tmp_path, plans=[(days(10), 10)])
    planner_for(journal_file(tmp_path)).pause(days(20), days(22), "travel")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(pilot)
        assert sorted(r[1] for r in table_rows(screen)) == ["pause", "plan"]
        for _ in range(2):
            await open_form(pilot, "delete", "ConfirmScreen")
            await pilot.press("y")
            assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
            await writes_done(pilot)  # one delete at a time
        assert await wait_for(pilot, lambda: table_rows(app.screen) == [])
    snap = planner_for(journal_file(tmp_path)).journal.snapshot()
    assert snap.get("plans", []) == [] and snap.get("pauses", []) == []


@arun
async def test_a_reaction_from_another_row_defaults_to_the_latest_recent_session(tmp_path):
    """First-week walk: the reaction form opened on a check-in row offered "no session"."""
    app = make_app(tmp_path, sessions=[(days(-9), 10), (days(-1), 10)],
                   checkins=[{"date": TODAY, "redness": 1}])
    recent = max(planner_for(journal_file(tmp_path)).state().history.sessions,
                 key=lambda s: s.date)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(pilot)
        assert table_rows(screen)[0][1] == "checkin"  # the newest row is not a session
        form = await open_form(pilot, "x", "SkinFormScreen")
        assert form.query_one("#f-session", Select).value == recent.id


@arun
async def test_a_reaction_with_no_session_lately_links_none(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-9), 10)], checkins=[{"date": TODAY}])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "x", "SkinFormScreen")
        assert form.query_one("#f-session", Select).value is Select.NULL


@arun
async def test_resolve_on_a_row_without_a_hold_offers_the_open_holds(tmp_path):
    app = make_app(tmp_path, checkins=[{"date": days(-5), "redness": 3},
                                       {"date": days(-3), "flags": ["fever"]},
                                       {"date": days(-1), "redness": 1}])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(pilot)
        assert table_rows(screen)[0][0] == days(-1).isoformat()  # a mild record: no hold
        await pilot.press("v")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "ChoiceScreen")
        text = app.screen.text
        assert "no open hold" in text and "2 skin records hold sessions" in text
        assert f"{days(-3).isoformat()} red-flag (1)" in text  # newest first
        assert f"{days(-5).isoformat()} severe (2)" in text
        await pilot.press("2")
        form = await open_form_now(pilot, "ResolveScreen")
        assert form.item["date"] == days(-5).isoformat()
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        resolved = {d["date"]: d["resolved_on"] for d in skin_docs(tmp_path)}
        assert resolved[days(-5).isoformat()] == TODAY.isoformat()
        assert resolved[days(-3).isoformat()] is None


@arun
async def test_resolve_with_no_open_hold_says_so(tmp_path):
    app = make_app(tmp_path, checkins=[{"date": days(-1), "redness": 1}])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("v")
        assert await wait_for(pilot, lambda: any("no open hold" in n for n in app.notes))
        assert type(app.screen).__name__ == "JournalScreen"


async def open_form_now(pilot, name):
    assert await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name)
    return pilot.app.screen


@arun
async def test_a_past_session_names_its_routine_and_an_edit_can_change_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "l", "SessionFormScreen")
        routine = form.query_one("#f-routine", Select)
        assert routine.value is Select.NULL  # "no routine / my own way" unless chosen
        routine.value = "brow-and-forehead-points"
        await type_into(pilot, "#f-date", days(-2).isoformat())
        await type_into(pilot, "#f-minutes", "5")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        (doc,) = planner_for(journal_file(tmp_path)).journal.snapshot()["sessions"]
        assert doc["routine"] == "brow-and-forehead-points"
        form = await open_form(pilot, "e", "SessionFormScreen")
        routine = form.query_one("#f-routine", Select)
        assert routine.value == "brow-and-forehead-points"
        routine.value = Select.NULL
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        (doc,) = planner_for(journal_file(tmp_path)).journal.snapshot()["sessions"]
        assert doc["routine"] is None


@arun
async def test_a_delete_is_undone_with_ctrl_z_once(tmp_path):
    app = make_app(tmp_path, products=[("scrub", days(-3))], checkins=[{"date": days(-1)}])
    before = planner_for(journal_file(tmp_path)).journal.snapshot()
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await open_form(pilot, "delete", "ConfirmScreen")
        await pilot.press("y")
        assert await wait_for(pilot, lambda: any("ctrl+z puts it back" in n for n in app.notes))
        assert skin_docs(tmp_path) == []
        await pilot.press("ctrl+z")
        assert await wait_for(pilot, lambda: len(table_rows(app.screen)) == 2)
        assert planner_for(journal_file(tmp_path)).journal.snapshot() == before
        await pilot.press("ctrl+z")
        assert await wait_for(pilot, lambda: "Nothing to undo." in app.notes)


@arun
async def test_undoing_an_unplan_is_refused_when_the_day_is_blocked_now(tmp_path):
    app = make_app(tmp_path, plans=[(days(2), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await open_form(pilot, "delete", "ConfirmScreen")
        await pilot.press("y")
        assert await wait_for(pilot, lambda: any("ctrl+z puts it back" in n for n in app.notes))
        planner_for(journal_file(tmp_path)).log_product("retinoid", TODAY)  # from the CLI
        await pilot.press("ctrl+z")
        assert await wait_for(pilot, lambda: any(n.startswith("Not put back") for n in app.notes))
        assert planner_for(journal_file(tmp_path)).journal.snapshot().get("plans", []) == []


@arun
async def test_a_product_is_logged_by_picking_one_of_mine(tmp_path):
    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).add_product("Retinol 0.5% [night]", "retinoid")
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "o", "ActivityFormScreen")
        assert form.query_one("#f-kind", Select).value == "retinoid"
        form.query_one("#f-kind", Select).value = "scrub"
        form.query_one("#f-own", Select).value = "Retinol 0.5% [night]"
        assert await wait_for(pilot, lambda: form.query_one("#f-kind", Select).value
                              == "retinoid")
        assert form.query_one("#f-name", Input).value == "Retinol 0.5% [night]"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
        assert "Retinol 0.5% [night] (retinoid)" in app.screen.text
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "JournalScreen")
        assert table_rows(app.screen)[0][3] == "Retinol 0.5% [night] (retinoid)"
    (doc,) = planner_for(journal_file(tmp_path)).journal.snapshot()["products"]
    assert (doc["name"], doc["kind"]) == ("Retinol 0.5% [night]", "retinoid")


@arun
async def test_a_new_product_name_can_be_kept(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        form = await open_form(pilot, "o", "ActivityFormScreen")
        form.query_one("#f-keep").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "name" in text_of(error_label(form, "name"))  # keeping needs a name
        await type_into(pilot, "#f-name", "Glycolic toner")
        form.query_one("#f-kind", Select).value = "acid-exfoliant"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "MessageScreen")
    p = planner_for(journal_file(tmp_path))
    assert [(x.name, x.kind) for x in p.profile().products] == [
        ("Glycolic toner", "acid-exfoliant")]


@arun
async def test_search_finds_words_in_notes_and_names_dates_and_classes(tmp_path):
    app = make_app(tmp_path, checkins=[{"date": days(-200), "redness": 3},
                                       {"date": days(-2), "redness": 1}])
    p = planner_for(journal_file(tmp_path))
    p.log_product("retinoid", days(-3), "new serum [0.5%]")
    p.log_product("scrub", days(-1), product="Coffee scrub")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(pilot)
        assert len(table_rows(screen)) == 3  # the last 90 days
        await pilot.press("slash")
        await pilot.press(*"serum")
        assert await wait_for(pilot, lambda: [r[1] for r in table_rows(screen)] == ["product"])
        assert table_rows(screen)[0][4] == "new serum [0.5%]"
        await type_into(pilot, "#journal-search", "coffee")
        assert await wait_for(pilot, lambda: len(table_rows(screen)) == 1
                              and "Coffee scrub" in table_rows(screen)[0][3])
        # a date asked for is searched beyond the period shown
        await type_into(pilot, "#journal-search", f"class:severe from:{days(-365)}")
        assert await wait_for(pilot, lambda: [r[0] for r in table_rows(screen)]
                              == [days(-200).isoformat()])
        await type_into(pilot, "#journal-search", "class:awful")
        assert await wait_for(pilot, lambda: "class:awful is not a class"
                              in text_of(screen.query_one("#journal-count")))
        assert len(table_rows(screen)) == 3  # a bad query filters nothing
        await pilot.press("enter")  # back to the list
        assert screen.focused is screen.query_one("#journal-table")
    assert len(p.journal.snapshot()["skin"]) == 2  # typing "c" searched, not checked in
