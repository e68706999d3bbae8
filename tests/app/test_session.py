"""Guided session: countdown, pause, skip, the cap, stop-unwell and aftercare."""

from __future__ import annotations

import re

from planner.app.screens.session import SessionScreen
from planner.app.screens.today import RoutinePickerScreen, TodayScreen
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


def sessions(tmp_path):
    return planner_for(journal_file(tmp_path)).state().history.sessions


def skin(tmp_path):
    return planner_for(journal_file(tmp_path)).state().history.skin


async def start(app, pilot, routine_id="brow-and-forehead-points"):
    app.session_time_scale = 1e-4  # the real-time timer stays quiet: tick() drives the clock
    routine = app.get_library().routines[routine_id]
    assert app.start_session(routine)
    await through_the_start(app, pilot)
    return app.screen


async def through_the_start(app, pilot):
    """Preparation and skin check as they come (enter, enter): the session opens."""
    from planner.app.screens.session_start import PreparationScreen, SkinCheckScreen

    assert await wait_for(pilot, lambda: isinstance(app.screen, PreparationScreen))
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: isinstance(app.screen, SkinCheckScreen))
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))


async def test_five_minute_session_runs_to_the_end(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        assert screen.prepared.total_seconds == 300
        assert "Step 1 of" in text_of(screen.query_one("#session-head"))
        lib = app.get_library()
        first = screen.steps[0]
        assert lib.points[first.point].location in text_of(screen.query_one("#step-where"))
        assert first.how in text_of(screen.query_one("#step-how"))
        meta = text_of(screen.query_one("#step-meta"))
        assert first.pressure in meta and "Direction" in meta
        assert "left in this step" in text_of(screen.query_one("#step-countdown"))
        screen.tick(30)
        await pilot.pause()
        assert screen.position == 30
        screen.tick(270)
        await writes_done(pilot)  # the session is saved in a worker
        assert screen.finished and not screen.aborted
        aftercare = "\n".join(text_of(w) for w in screen.query("#aftercare .bullet-text"))
        assert "retinoids, acids, scrubs and peels" in aftercare and "2 days" in aftercare
        assert "mild soap and warm water" in aftercare
        assert "moisturiser" in aftercare and "dry fully" in aftercare
        assert "out of reach of children and pets" in aftercare
        assert screen.query_one("#aftercare").display
        done = sessions(tmp_path)
        assert len(done) == 1 and done[0].minutes == 5 and done[0].outcome == "completed"
        assert "saved as completed" in text_of(screen.query_one("#session-head"))
        assert done[0].routine == "brow-and-forehead-points" and done[0].date == TODAY
        await pilot.press("1")  # quick check: no reaction
        await writes_done(pilot)
        assert isinstance(app.screen, TodayScreen)
    recs = skin(tmp_path)
    assert len(recs) == 1 and recs[0].kind == "reaction" and recs[0].session_id == done[0].id
    assert recs[0].cls == "none"


async def test_pause_stops_the_countdown_and_skip_moves_on(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        await pilot.press("space")
        screen.tick(50)
        await pilot.pause()
        assert screen.position == 0 and screen.paused
        assert "paused — space resumes" in text_of(screen.query_one("#step-countdown"))
        await pilot.press("space")
        screen.tick(5)
        await pilot.press("n")
        await pilot.pause()
        assert screen.index == 1 and screen.elapsed == 5
        assert "Step 2 of" in text_of(screen.query_one("#session-head"))
        await pilot.press("right")
        await pilot.pause()
        assert screen.index == 2
        for _ in range(3):
            await pilot.press("n")
        await writes_done(pilot)
        done = sessions(tmp_path)  # 5 s were really done: saved as a short session
        assert len(done) == 1 and done[0].minutes == 1 and not done[0].aborted
        assert done[0].outcome == "partial"  # steps were skipped: it did not run to the end


async def test_skipping_every_step_saves_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        for _ in range(len(screen.steps)):
            await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    assert sessions(tmp_path) == ()


async def test_stop_unwell_saves_aborted_and_opens_reaction_form(tmp_path):
    from planner.app.forms.skin import SkinFormScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        screen.tick(70)
        await pilot.press("x")
        await writes_done(pilot)
        saved = sessions(tmp_path)
        assert len(saved) == 1 and saved[0].outcome == "aborted" and saved[0].minutes == 2
        assert isinstance(app.screen, SkinFormScreen)
        assert app.screen.kind == "reaction"
        assert app.screen.session_id == saved[0].id


async def test_mild_reaction_opens_the_prefilled_reaction_form(tmp_path):
    from planner.app.forms.skin import SkinFormScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, "morning-depuff-roll")
        screen.tick(10_000)
        await writes_done(pilot)  # the keys of the aftercare answer once it is saved
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, SkinFormScreen) and app.screen.kind == "reaction"
        assert app.screen.session_id == sessions(tmp_path)[0].id


async def test_session_is_trimmed_to_the_cap(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lib = app.get_library()
        prepared = app.planner.prepare_session(lib.routines["weekend-full-face-ritual"])
        assert prepared.total_seconds <= 10 * 60
        assert any("within today's 10 minutes" in why for _, why in prepared.dropped)
        screen = await start(app, pilot, "weekend-full-face-ritual")
        screen.tick(100_000)
        await writes_done(pilot)
    assert sessions(tmp_path)[0].minutes <= 10
    assert sessions(tmp_path)[0].violations == ()


async def test_pregnancy_drops_points_before_the_session(tmp_path):
    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).set_profile(pregnant=True)
    async with app.run_test(size=SIZE):
        lib = app.get_library()
        prepared = app.planner.prepare_session(lib.routines["grounding-hand-and-leg-points"])
        assert all(s.point not in ("LI4", "SP6", "GB21", "BL60", "BL67") for s in prepared.steps)


async def test_start_from_today_with_the_routine_picker(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, RoutinePickerScreen)
        await pilot.press("enter")
        await through_the_start(app, pilot)
        await pilot.press("t")  # sections are locked during a session
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_start_refused_when_blocked_via_app(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-2), 10)])
    async with app.run_test(size=SIZE) as pilot:
        routine = app.get_library().routines["brow-and-forehead-points"]
        assert app.start_session(routine) is False
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        notes = list(app.notes)
        assert any("spacing" in m for m in notes)
    assert len(sessions(tmp_path)) == 1


async def test_user_text_is_never_markup(tmp_path):
    from planner.domain.values import replace
    from planner.library import save_user_routine

    app = make_app(tmp_path)
    lib = app.get_library()
    base = lib.routines["brow-and-forehead-points"]
    name = "Retinol [0.5%] [bold]night[/bold]"
    mine = replace(base, id="my-brows", name=name, source="user")
    save_user_routine(mine, app.planner.user_routines_dir)
    app.reload_library()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, RoutinePickerScreen)
        from textual.widgets import OptionList

        prompts = [str(o.prompt) if not hasattr(o.prompt, "plain") else o.prompt.plain
                   for o in picker.query_one(OptionList).options]
        assert any(name in p for p in prompts)
        assert app.start_session(app.get_library().routines["my-brows"])
        await through_the_start(app, pilot)
        assert name in app.screen.sub_title
        app.screen.tick(10_000)
        await writes_done(pilot)
    assert sessions(tmp_path)[0].routine == "my-brows"


async def test_quitting_mid_session_keeps_what_was_done(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        screen.tick(130)
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    done = sessions(tmp_path)
    assert len(done) == 1 and done[0].minutes == 3 and done[0].outcome == "partial"
    assert done[0].note == "ended when the app was closed"


async def test_quitting_before_the_first_second_saves_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert sessions(tmp_path) == ()


# ------------------------------------------------------------ ending early (SPEC §3.2)

async def press_escape_and_wait_for_question(app, pilot):
    from planner.app.widgets.choice import ChoiceScreen

    await pilot.press("escape")
    assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
    return app.screen


async def test_esc_asks_and_the_countdown_holds_meanwhile(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        screen.tick(70)
        await pilot.pause()
        question = await press_escape_and_wait_for_question(app, pilot)
        assert "End the session now?" in question.text
        assert "Save as partial (2 min done) (s)" in question.text
        assert "Keep going (k)" in question.text and "Discard (d)" in question.text
        screen.tick(60)  # the timer firing while the question is open changes nothing
        await pilot.pause()
        assert screen.position == 70 and screen.paused
        await pilot.press("p")  # sections stay locked while the session asks
        await pilot.pause()
        assert app.screen is question
        assert sessions(tmp_path) == ()  # nothing saved while it asks


async def test_esc_then_keep_going_resumes_the_countdown(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        screen.tick(70)
        await press_escape_and_wait_for_question(app, pilot)
        await pilot.press("k")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert not screen.paused and not screen.finished
        screen.tick(10)
        await pilot.pause()
        assert screen.position == 80
        await press_escape_and_wait_for_question(app, pilot)
        await pilot.press("escape")  # esc on the question: keep going too
        assert await wait_for(pilot, lambda: app.screen is screen)
        screen.tick(5)
        await pilot.pause()
        assert screen.position == 85 and not screen.finished
    # the app closed mid-session afterwards (run_test ends): no answer, kept as partial
    done = sessions(tmp_path)
    assert [(s.outcome, s.minutes) for s in done] == [("partial", 2)]


async def test_esc_then_save_as_partial_logs_the_minutes_done(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        screen.tick(130)
        await press_escape_and_wait_for_question(app, pilot)
        await pilot.press("s")
        assert await wait_for(pilot, lambda: app.screen is screen and screen.finished)
        await writes_done(pilot)
        head = text_of(screen.query_one("#session-head"))
        assert "ended early" in head and "3 min saved as partial" in head
        assert screen.query_one("#aftercare").display
        done = sessions(tmp_path)
        assert [(s.outcome, s.minutes, s.date) for s in done] == [("partial", 3, TODAY)]
        assert done[0].routine == "brow-and-forehead-points"


async def test_esc_then_discard_saves_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        screen.tick(130)
        await press_escape_and_wait_for_question(app, pilot)
        await pilot.press("d")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert screen.finished
        await pilot.press("ctrl+q")  # nothing left to save on the way out either
        await pilot.pause()
    assert sessions(tmp_path) == ()


async def test_esc_before_anything_was_done_offers_no_save(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        question = await press_escape_and_wait_for_question(app, pilot)
        assert "Save as partial" not in question.text and "nothing to save" in question.text
        await pilot.press("s")  # not an answer here
        await pilot.pause()
        assert app.screen is question
        await pilot.press("d")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    assert sessions(tmp_path) == ()


async def test_quitting_while_the_end_question_is_open_saves_partial(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        screen.tick(190)
        await press_escape_and_wait_for_question(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    done = sessions(tmp_path)
    assert [(s.outcome, s.minutes) for s in done] == [("partial", 4)]
    assert done[0].note == "ended when the app was closed"


async def test_terminal_closing_mid_session_saves_partial(tmp_path):
    """SIGHUP/SIGTERM run `_closed_from_outside`: the same save as ctrl+q, then exit."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        screen.tick(61)
        await pilot.pause()
        app._closed_from_outside()
        await pilot.pause()
    done = sessions(tmp_path)
    assert [(s.outcome, s.minutes) for s in done] == [("partial", 2)]


async def test_skipping_a_step_then_finishing_saves_partial_and_says_so(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        skipped = screen.steps[1].total_seconds
        screen.tick(screen.steps[0].total_seconds)
        await pilot.press("n")  # skip step 2
        await pilot.pause()
        screen.tick(10_000)
        await writes_done(pilot)
        assert screen.finished
        head = text_of(screen.query_one("#session-head"))
        assert "saved as partial" in head and "1 step skipped" in head
        assert "did not run to the end" in head
    done = sessions(tmp_path)
    assert len(done) == 1 and done[0].outcome == "partial"
    assert done[0].minutes == -(-(300 - skipped) // 60)
    assert "skipped" in done[0].note


# ------------------------------------------------ routines trimmed for the profile

async def test_start_refused_when_a_caution_leaves_under_five_minutes(tmp_path):
    from planner.app.screens.routines import BuilderScreen
    from planner.app.widgets.choice import ChoiceScreen

    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).set_profile(pregnant=True)
    async with app.run_test(size=SIZE) as pilot:
        routine = app.get_library().routines["desk-break-headache"]
        assert app.start_session(routine) is False
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        text = app.screen.text
        assert "cannot be started today" in text
        assert "caution:" in text and "LI4" in text and "pregnancy" in text
        assert "under the 5-minute minimum" in text and "duration" not in text
        await pilot.press("b")  # the builder is offered
        assert await wait_for(pilot, lambda: isinstance(app.screen, BuilderScreen))
    assert sessions(tmp_path) == ()


async def test_start_names_the_steps_an_excluded_zone_leaves_out(tmp_path):
    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).exclude("forehead", "mole")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, "bright-skin-roll")
        dropped = text_of(screen.query_one("#session-dropped"))
        assert "Left out today:" in dropped and "forehead excluded: mole" in dropped
        assert all(s.zone != "forehead" for s in screen.steps)


async def test_excluded_zone_under_five_minutes_is_refused_with_the_zone_named(tmp_path):
    from planner.app.widgets.choice import ChoiceScreen

    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).exclude("forehead", "mole")
    async with app.run_test(size=SIZE) as pilot:
        assert app.start_session(app.get_library().routines["morning-depuff-roll"]) is False
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert "excluded-zone:" in app.screen.text and "forehead" in app.screen.text
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    assert sessions(tmp_path) == ()


# ------------------------------------------------------------ wording (issue 11)

def library_slugs() -> re.Pattern:
    """The library's hyphenated words ("gua-sha", "under-eye", "press-hold"): never shown."""
    from planner.domain.vocabulary import ACTIONS, TECHNIQUES, ZONES

    words = [w for w in (*TECHNIQUES, *ZONES, *ACTIONS) if "-" in w]
    return re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b")


async def test_a_step_names_its_technique_once_in_words(tmp_path):
    from tests.app.helpers import screen_text

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, "jaw-and-neck-gua-sha")
        assert text_of(screen.query_one("#session-head")) == "Step 1 of 4 · gua sha · neck"
        assert screen.query_one("#step-card").border_title == "Stroke"
        assert text_of(screen.query_one("#step-next")).startswith("Next: gua sha · jaw · ")
        assert " 1. gua sha · neck  2:00" in text_of(screen.query_one("#step-list"))
        assert not library_slugs().search(screen_text(app))

    app = make_app(tmp_path / "points")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, "depuff-points-and-roll")
        points = screen.prepared.points
        head = text_of(screen.query_one("#session-head"))
        assert head == f"Step 1 of 7 · acupressure · {points['ST2'].label}"
        assert screen.query_one("#step-card").border_title == "Press and hold"
        steps = text_of(screen.query_one("#step-list"))
        assert "7. jade rolling · under eye" in steps and "jade-rolling" not in steps
        for _ in range(6):  # on to the last step: jade rolling under the eyes
            await pilot.press("n")
        await pilot.pause()
        head = text_of(screen.query_one("#session-head"))
        assert head == "Step 7 of 7 · jade rolling · under eye"
        assert "under eye · both sides" in text_of(screen.query_one("#step-where"))
        assert screen.query_one("#step-card").border_title == "Roll"
        assert not library_slugs().search(screen_text(app))


async def test_what_is_left_out_is_named_in_words(tmp_path):
    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).exclude("under-eye", "mole")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, "bright-skin-roll")
        assert screen.prepared.dropped  # the service names it "jade-rolling on the under-eye"
        dropped = text_of(screen.query_one("#session-dropped"))
        assert "jade rolling on the under eye (under eye excluded: mole)" in dropped
        assert not library_slugs().search(dropped)


# ------------------------------------------------------------ the reaction check

async def finished(app, pilot, routine_id="morning-depuff-roll"):
    screen = await start(app, pilot, routine_id)
    screen.tick(10_000)
    await writes_done(pilot)  # the keys of the aftercare answer once it is saved
    assert screen.query_one("#aftercare").display
    return screen


async def test_the_reaction_check_offers_worse_and_fits_at_80_columns(tmp_path):
    from textual.widgets import Button

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finished(app, pilot)
        buttons = list(screen.query("#aftercare Button").results(Button))
        labels = [str(b.label) for b in buttons]
        assert labels == ["1 No reaction", "2 Mild — log it", "3 Worse — log it", "4 Skip"]
        rows = {b.region.y for b in buttons}
        assert len(rows) == 1  # one row, none wrapped or pushed off
        assert all(b.region.width > len(str(b.label)) for b in buttons)  # labels whole
        assert max(b.region.right for b in buttons) <= SIZE[0]
        assert rows.pop() < SIZE[1] - 1  # above the footer, on screen


async def test_worse_opens_the_reaction_form_for_that_session(tmp_path):
    from planner.app.forms.skin import SkinFormScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await finished(app, pilot)
        await pilot.press("3")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinFormScreen))
        assert app.screen.kind == "reaction"
        assert app.screen.session_id == sessions(tmp_path)[0].id
        assert any("Log what you see" in n for n in app.notes)
    assert skin(tmp_path) == ()  # nothing is saved until the form is


async def test_worse_button_opens_the_reaction_form_too(tmp_path):
    from planner.app.forms.skin import SkinFormScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await finished(app, pilot)
        await pilot.click("#react-worse")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinFormScreen))
        assert app.screen.session_id == sessions(tmp_path)[0].id


async def test_skip_check_is_4_and_saves_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await finished(app, pilot)
        await pilot.press("4")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
    assert len(sessions(tmp_path)) == 1 and skin(tmp_path) == ()
