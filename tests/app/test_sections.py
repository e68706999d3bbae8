"""The sections registry is the one list the app's keys, Help, the palette and Today's hint
line read; the profile questions have one table that the first run and Settings read."""

from __future__ import annotations

import importlib
from typing import get_type_hints

from textual.binding import Binding

from planner.app import sections
from planner.app.app import AcuplanApp
from planner.app.screens.help import help_keys
from planner.domain.models import Profile
from planner.domain.profile_questions import PROFILE_FLAGS, PROFILE_QUESTIONS

# How Help writes a few keys that Textual names otherwise.
KEY_WORDS = {"pageup": "pgup", "pagedown": "pgdn", "left_square_bracket": "[",
             "right_square_bracket": "]", "comma": ","}


def screen_class(section: sections.Section):
    return getattr(importlib.import_module(section.module), section.screen)


def test_every_section_has_its_key_in_the_app_the_palette_and_the_hint_line():
    bound = {b.key: b.action for b in AcuplanApp.BINDINGS if isinstance(b, Binding)}
    palette = {action: label for label, action, _ in sections.palette_entries()}
    hint = sections.hint_line()
    for s in sections.SECTIONS:
        assert bound[s.key] == s.action
        assert palette[s.action] == f"Go to {s.title}"
        assert f"{s.key_display} {s.title}" in hint
        assert s is sections.TODAY or s.mode in AcuplanApp.MODES
    assert sections.TODAY.mode == AcuplanApp.DEFAULT_MODE


def test_help_has_a_heading_for_every_section_in_order():
    headings = [h for h, _ in help_keys()]
    assert headings[0] == "Everywhere" and "Session" in headings
    assert [h for h in headings if h not in ("Everywhere", "Session")] == [
        s.help_title for s in sections.SECTIONS]


def test_help_rows_written_for_a_section_name_every_key_its_screen_binds():
    for s in sections.SECTIONS:
        if s.help_rows is None:
            continue  # Help lists the screen's own bindings
        written = " ".join(keys for keys, _ in s.help_rows).split()
        for b in screen_class(s).BINDINGS:
            if b.description:
                key = b.key_display or KEY_WORDS.get(b.key, b.key)
                assert key in written, (s.title, b.key)


def test_help_rows_read_from_a_screen_are_its_described_bindings():
    rows = dict(help_keys())
    journal = rows[sections.JOURNAL.help_title]
    described = [b for b in screen_class(sections.JOURNAL).BINDINGS if b.description]
    assert [what for _, what in journal] == [b.description for b in described]
    assert ("del", "Delete") in journal and ("v", "Resolve") in journal


def test_tabs_of_a_section_are_keys_and_palette_commands_of_its_screen():
    for s in (sections.HISTORY, sections.SETTINGS):
        cls = screen_class(s)
        actions = {b.action for b in cls.BINDINGS}
        palette = {action for _, action, _ in cls.PALETTE_COMMANDS}
        for tab in s.tabs:
            assert f"tab('{tab.id}')" in actions and f"tab('{tab.id}')" in palette


def test_profile_questions_cover_every_yes_no_answer_of_the_profile():
    flags = {name for name, kind in get_type_hints(Profile).items() if kind is bool}
    assert set(PROFILE_FLAGS) == flags
    assert len({q.option for q in PROFILE_QUESTIONS}) == len(PROFILE_QUESTIONS)


async def test_first_run_and_settings_ask_the_same_questions(tmp_path):
    from textual.widgets import Checkbox

    from tests.app.helpers import SIZE, make_app, wait_for

    fields = [q.field for q in PROFILE_QUESTIONS]
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "FirstRunScreen")
        asked = [c.id.removeprefix("q-") for c in app.screen.query(Checkbox)]
        assert sorted(asked) == sorted(fields)
    app = make_app(tmp_path / "again")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("comma")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        shown = [c.id.removeprefix("p-") for c in app.screen.query(".rec-check")]
        assert shown == fields  # in the Profile's order
