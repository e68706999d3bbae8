"""The command palette offers every action of every section from anywhere (issue 11):
"<Section>: <what>", run by switching to the section and running it on its screen."""

from __future__ import annotations

from planner.app import sections
from planner.app.commands import AcuplanCommands, section_commands
from planner.app.forms.pause import PauseFormScreen
from planner.app.screens.today import TodayScreen
from tests.app.helpers import SIZE, make_app, wait_for


async def labels(app) -> list[str]:
    return [hit.text async for hit in AcuplanCommands(app.screen).discover()]


async def found(app, query: str) -> list[str]:
    return [hit.text async for hit in AcuplanCommands(app.screen).search(query)]


async def run_hit(app, query: str, label: str) -> None:
    """Run the palette's hit named `label` for `query`, as enter on it would."""
    hits = [hit async for hit in AcuplanCommands(app.screen).search(query)]
    (hit,) = [h for h in hits if h.text == label]
    await hit.command()


async def palette(app, pilot, typed: str) -> None:
    """ctrl+p, type, wait for the palette's search, enter: as a user does."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*typed)
    await app.workers.wait_for_complete()  # the palette's search for what was typed
    await pilot.pause()
    await pilot.press("enter")


async def test_from_today_the_palette_finds_other_sections_actions_and_data(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Journal: pause sessions" in await found(app, "pause")
        assert "Journal: resolve" in await found(app, "resolve")
        assert "Routines: builder" in await found(app, "builder")
        assert "Data: export the journal" in await found(app, "export")
        assert "Data: back up the journal" in await found(app, "backup")


async def test_the_current_screens_commands_come_first_and_unprefixed(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listed = await labels(app)
        own_start, other_start = listed.index("Start"), listed.index("Routines: start")
        assert own_start < other_start
        assert not [label for label in listed if label.startswith("Today: ")]
        assert (await found(app, "start"))[0] == "Start"  # the same words: its own first
        # scrolling and focus keys every screen has are not actions of the screen
        assert "Focus Next" not in listed and "Scroll Down" not in listed


async def test_every_described_binding_of_every_section_is_listed_with_its_keys(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider = AcuplanCommands(app.screen)
        helps = {hit.text: hit.help async for hit in provider.discover()}
        for section, cls, commands in section_commands():
            if section is sections.TODAY:
                continue  # the screen shown: its own commands
            actions = {c.action for c in commands}
            for raw in cls.BINDINGS:
                if raw.description:
                    assert raw.action in actions, (section.title, raw.action)
            for command in commands:
                assert command.label.startswith(f"{section.title}: ")
                assert helps[command.label].startswith(section.key_display), command.label
        assert helps["Journal: pause sessions"].startswith("j then u")
        assert helps["Journal: resolve"] == "j then v · Journal"


async def test_running_another_sections_command_switches_there_and_runs_it(tmp_path):
    from planner.app.screens.journal import JournalScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_hit(app, "pause", "Journal: pause sessions")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PauseFormScreen))
        assert app.current_mode == sections.JOURNAL.mode
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, JournalScreen))


async def test_through_the_palette_from_today_the_builder_opens(tmp_path):
    from planner.app.screens.routines import BuilderScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(app, pilot, "routines: builder")
        assert await wait_for(pilot, lambda: isinstance(app.screen, BuilderScreen))
        assert app.current_mode == sections.ROUTINES.mode


async def test_a_tab_of_a_section_never_shown_yet_stays_shown(tmp_path):
    """History sets its first tab up as it mounts: the command runs after that."""
    from textual.widgets import TabbedContent

    from planner.app.screens.history import HistoryScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(app, pilot, "history: minutes chart")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen)
                              and app.screen.query_one(TabbedContent).active == "minutes")
        for _ in range(3):  # and nothing turns it back afterwards
            await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "minutes"


async def test_a_command_run_from_help_closes_help_first(tmp_path):
    from planner.app.screens.help import HelpScreen
    from planner.app.screens.plan import PlanScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        listed = await labels(app)
        assert "Today: start" in listed and "Journal: pause sessions" in listed
        await palette(app, pilot, "plan: next month")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen)
                              and app.screen.calendar.cursor.month != app.today.month)
        assert app.screen.calendar.cursor.month == app.today.month % 12 + 1
        await pilot.press("t")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))


def elsewhere(listed: list[str]) -> list[str]:
    """What the palette offers beyond Help and the screen's own commands."""
    prefixes = ("Go to ", "Data: ", *(f"{s.title}: " for s in sections.SECTIONS))
    return [label for label in listed if label.startswith(prefixes)]


async def test_nothing_but_help_while_a_session_is_being_started(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert elsewhere(await labels(app))
        routine = app.get_library().routines["brow-and-forehead-points"]
        assert app.start_session(routine)
        assert await wait_for(pilot, lambda: getattr(app.screen, "IN_SESSION", False))
        listed = await labels(app)
        assert "Help and safety notice" in listed and elsewhere(listed) == []


async def test_nothing_but_help_on_the_error_screen(tmp_path):
    from planner.app.screens.error import ErrorScreen
    from tests.app.helpers import journal_file

    app = make_app(tmp_path)
    journal_file(tmp_path).write_bytes(b"not json at all{{{")
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, ErrorScreen))
        listed = await labels(app)
        assert "Help and safety notice" in listed and elsewhere(listed) == []


async def test_on_the_first_run_only_what_fills_an_empty_journal_is_added(tmp_path):
    from planner.app.screens.first_run import FirstRunScreen

    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        listed = await labels(app)
        assert "Data: import an export" in listed and "Data: restore a kept version" in listed
        assert "Data: export the journal" not in listed
        assert not [label for label in listed if label.startswith("Journal: ")]


async def test_listing_builds_no_screen_of_another_section(tmp_path, monkeypatch):
    from planner.app.screens.journal import JournalScreen

    built: list[object] = []
    init = JournalScreen.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(JournalScreen, "__init__", counting)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Journal: pause sessions" in await labels(app)
        assert built == []
        await run_hit(app, "pause", "Journal: pause sessions")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PauseFormScreen))
        assert len(built) == 1
