"""Before a guided session (SPEC §8): preparation, the skin check by zone, unwell all over."""

from __future__ import annotations

from planner.app.screens.session import SessionScreen
from planner.app.screens.session_start import (
    PreparationScreen,
    ReasonPickerScreen,
    SkinCheckScreen,
    UntilScreen,
)
from planner.app.screens.today import TodayScreen
from planner.app.widgets.choice import ChoiceScreen
from planner.domain.models import Exclusion
from planner.domain.routine import routine_zone
from planner.domain.session_prep import UNWELL_ALL_OVER
from tests.app.helpers import (
    SIZE,
    days,
    journal_file,
    make_app,
    planner_for,
    screen_text,
    text_of,
    wait_for,
    writes_done,
)


def journal(tmp_path):
    return planner_for(journal_file(tmp_path))


def history(tmp_path):
    return journal(tmp_path).state().history


async def begin(app, pilot, routine_id: str) -> PreparationScreen:
    """Start `routine_id` as Today's `s` would: its preparation screen comes up."""
    app.session_time_scale = 1e-4  # the countdown timer stays quiet
    assert app.start_session(app.get_library().routines[routine_id])
    assert await wait_for(pilot, lambda: isinstance(app.screen, PreparationScreen))
    return app.screen


async def to_skin_check(app, pilot, routine_id: str) -> SkinCheckScreen:
    await begin(app, pilot, routine_id)
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
    return app.screen


async def highlight(pilot, screen: SkinCheckScreen, zone: str) -> None:
    """Move the zone list's cursor to `zone` with the arrow keys."""
    index = [z.zone for z in screen.zones].index(zone)
    await pilot.press("home", *["down"] * index)
    assert screen.highlighted_zone is not None and screen.highlighted_zone.zone == zone


def session_zones(app, screen: SessionScreen) -> list[str | None]:
    points = app.get_library().points
    return [routine_zone(s, points) for s in screen.steps]


# ------------------------------------------------------------------ preparation

async def test_preparation_is_remembered_and_a_returning_user_presses_enter_once(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        prep = await begin(app, pilot, "bright-skin-roll")
        assert prep.answers == ()  # nothing is ticked for the user the first time
        why = text_of(prep.query_one("#prep-why"))
        assert "risk of infection" in why and "hands washed" in why
        await pilot.press("1", "down", "down", "space", "2")
        assert prep.answers == ("hands", "face", "tool")
        assert not prep.query_one("#prep-why").display  # all done: nothing to warn about
        await pilot.press("3")  # and the tool again left out
        assert prep.answers == ("hands", "face")
        assert "tool cleaned" in text_of(prep.query_one("#prep-why"))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        assert journal(tmp_path).profile().preparation == ("hands", "face")
        await pilot.press("escape")  # the start is cancelled at the skin check
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))

        before = journal(tmp_path).journal.signature()
        prep = await begin(app, pilot, "bright-skin-roll")  # the second start
        assert prep.answers == ("hands", "face")
        assert "[✓] 1" in str(prep.query_one("#prep-list").get_option_at_index(0).prompt)
        await pilot.press("enter")  # once: the same answers go through
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        await writes_done(pilot)
        assert journal(tmp_path).journal.signature() == before  # unchanged: nothing written
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
    assert journal(tmp_path).profile().preparation == ("hands", "face")


async def test_escape_at_the_preparation_cancels_the_start_and_writes_nothing(tmp_path):
    app = make_app(tmp_path)
    before = journal(tmp_path).journal.signature()
    async with app.run_test(size=SIZE) as pilot:
        await begin(app, pilot, "bright-skin-roll")
        await pilot.press("1", "2", "escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await writes_done(pilot)
    assert journal(tmp_path).journal.signature() == before
    assert journal(tmp_path).profile().preparation == ()
    assert history(tmp_path).sessions == ()


async def test_sections_are_locked_while_a_session_is_being_started(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await begin(app, pilot, "bright-skin-roll")
        await pilot.press("j")  # Journal's key
        await pilot.pause()
        assert isinstance(app.screen, PreparationScreen)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        await pilot.press("h")  # History's key
        await pilot.pause()
        assert isinstance(app.screen, SkinCheckScreen)


# ------------------------------------------------------------------ skin check

async def test_the_skin_check_lists_the_zones_today_s_routine_touches(tmp_path):
    app = make_app(tmp_path)
    journal(tmp_path).exclude("forehead", "mole")  # already left out: not asked about
    async with app.run_test(size=SIZE) as pilot:
        check = await to_skin_check(app, pilot, "bright-skin-roll")
        assert [z.zone for z in check.zones] == ["neck", "chin", "jaw", "cheek", "under-eye"]
        assert "broken, inflamed, sunburnt" in text_of(check.query_one("#skin-question"))
        assert "enter starts the routine as it is" in text_of(check.query_one("#skin-left"))


async def test_a_zone_marked_is_left_out_and_the_routine_re_trimmed(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        check = await to_skin_check(app, pilot, "bright-skin-roll")
        await highlight(pilot, check, "chin")
        await pilot.press("1")  # broken skin
        assert check.marked == {"chin": "broken-skin"}
        prompt = str(check.query_one("#skin-zones").get_option_at_index(1).prompt)
        assert "left out: broken skin · today" in prompt
        assert "5:30 of the routine is left." in text_of(check.query_one("#skin-left"))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        session = app.screen
        zones = session_zones(app, session)
        assert "chin" not in zones and zones == ["neck", "jaw", "cheek", "under-eye", "forehead"]
        assert session.prepared.total_seconds == 330
        dropped = text_of(session.query_one("#session-dropped"))
        assert "Left out today:" in dropped and "chin" in dropped and "broken skin" in dropped
    assert journal(tmp_path).profile().exclusions == ()  # today only: nothing stored


async def test_a_mark_can_be_cleared_and_picked_from_the_list(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        check = await to_skin_check(app, pilot, "bright-skin-roll")
        await highlight(pilot, check, "cheek")
        await pilot.press("2")
        assert check.marked == {"cheek": "inflamed"}
        await pilot.press("0")
        assert check.marked == {}
        await pilot.press("m")  # the list of reasons
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReasonPickerScreen))
        await pilot.press("down", "down", "down", "enter")  # the fourth: an active cyst
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        assert check.marked == {"cheek": "active-cyst"}


async def test_under_five_minutes_left_is_refused_with_the_zone_named(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        check = await to_skin_check(app, pilot, "brow-and-forehead-points")  # 5:00
        await highlight(pilot, check, "forehead")
        await pilot.press("3")  # sunburnt: 4:00 would be left
        left = text_of(check.query_one("#skin-left"))
        assert "4:00 would be left" in left and "cannot start" in left
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        text = app.screen.text
        assert "cannot be started today" in text
        assert "forehead" in text and "sunburn" in text and "under the 5-minute minimum" in text
        assert not any(isinstance(s, SessionScreen) for s in app.screen_stack)
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    assert history(tmp_path).sessions == ()


async def test_a_zone_until_a_date_is_stored_as_an_exclusion(tmp_path):
    app = make_app(tmp_path)
    until = days(5)
    async with app.run_test(size=SIZE) as pilot:
        check = await to_skin_check(app, pilot, "bright-skin-roll")
        await highlight(pilot, check, "under-eye")
        await pilot.press("d")  # not marked yet: said, nothing opens
        await pilot.pause()
        assert isinstance(app.screen, SkinCheckScreen)
        assert any("with a reason first" in n for n in app.notes)
        await pilot.press("5", "d")  # a cold sore, until…
        assert await wait_for(pilot, lambda: isinstance(app.screen, UntilScreen))
        await pilot.press(*days(-1).isoformat(), "enter")  # yesterday: not accepted
        await pilot.pause()
        assert isinstance(app.screen, UntilScreen)
        assert "before today" in text_of(app.screen.query_one("#until-error"))
        await pilot.press(*["backspace"] * 10, *until.isoformat(), "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        assert check.until == {"under-eye": until}
        assert f"until {until.isoformat()}" in str(
            check.query_one("#skin-zones").get_option_at_index(4).prompt)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert "under-eye" not in session_zones(app, app.screen)
    assert journal(tmp_path).profile().exclusions == (Exclusion("under-eye", "cold-sore", until),)


# ------------------------------------------------------------------ unwell all over

async def test_unwell_all_over_ends_the_start_and_offers_a_check_in_or_a_pause(tmp_path):
    from planner.app.forms.pause import PauseFormScreen
    from planner.app.forms.skin import SkinFormScreen

    app = make_app(tmp_path)
    before = journal(tmp_path).journal.signature()
    async with app.run_test(size=SIZE) as pilot:
        await to_skin_check(app, pilot, "bright-skin-roll")
        await pilot.press("u")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        text = app.screen.text
        assert text.startswith("No session today")
        assert UNWELL_ALL_OVER.message[1:] in text
        assert "Log a check-in (c)" in text and "Pause sessions (p)" in text
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinFormScreen))
        assert app.screen.kind == "checkin"
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))

        await to_skin_check(app, pilot, "bright-skin-roll")
        await pilot.press("u")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PauseFormScreen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert not any(isinstance(s, SessionScreen) for s in app.screen_stack)
        await writes_done(pilot)
    h = history(tmp_path)
    assert h.sessions == () and h.skin == () and h.pauses == ()
    assert journal(tmp_path).journal.signature() == before  # nothing logged


async def test_the_start_from_today_goes_through_both_screens(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")  # Today's routine picker; enter starts the first routine
        await pilot.pause()
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PreparationScreen))
        assert "Before you start" in screen_text(app)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))


async def test_mouse_ticks_an_item_and_a_click_on_a_zone_opens_the_reasons(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        prep = await begin(app, pilot, "bright-skin-roll")
        assert await pilot.click("#prep-list", offset=(6, 1))  # the second item: the face
        assert await wait_for(pilot, lambda: prep.answers == ("face",))
        assert await pilot.click("#prep-go")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        check = app.screen
        assert await pilot.click("#skin-zones", offset=(6, 1))  # the second zone: the chin
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReasonPickerScreen))
        await pilot.press("6")  # freshly treated
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
        assert check.marked == {"chin": "freshly-treated"}
        assert await pilot.click("#skin-go")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert "chin" not in session_zones(app, app.screen)
