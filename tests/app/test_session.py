"""Guided session: countdown, pause, skip, the cap, stop-unwell and aftercare."""

from __future__ import annotations

from planner.app.screens.session import SessionScreen, prepare_routine
from planner.app.screens.today import RoutinePickerScreen, TodayScreen

from tests.app.helpers import SIZE, TODAY, days, journal_file, make_app, planner_for, text_of


def sessions(tmp_path):
    return planner_for(journal_file(tmp_path)).state().history.sessions


def skin(tmp_path):
    return planner_for(journal_file(tmp_path)).state().history.skin


async def start(app, pilot, routine_id="brow-and-forehead-points"):
    app.session_time_scale = 1e-4  # the real-time timer stays quiet: tick() drives the clock
    routine = app.get_library().routines[routine_id]
    assert app.start_session(routine)
    await pilot.pause()
    assert isinstance(app.screen, SessionScreen)
    return app.screen


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
        await pilot.pause()
        assert screen.finished and not screen.aborted
        aftercare = "\n".join(text_of(w) for w in screen.query("#aftercare .bullet-text"))
        assert "retinoids, acids, scrubs and peels" in aftercare and "2 days" in aftercare
        assert "mild soap and warm water" in aftercare
        assert screen.query_one("#aftercare").display
        done = sessions(tmp_path)
        assert len(done) == 1 and done[0].minutes == 5 and not done[0].aborted
        assert done[0].routine == "brow-and-forehead-points" and done[0].date == TODAY
        await pilot.press("1")  # quick check: no reaction
        await pilot.pause()
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
        await pilot.pause()
        done = sessions(tmp_path)  # 5 s were really done: saved as a short session
        assert len(done) == 1 and done[0].minutes == 1 and not done[0].aborted


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
    from planner.app.screens.journal import SkinFormScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot)
        screen.tick(70)
        await pilot.press("x")
        await pilot.pause()
        saved = sessions(tmp_path)
        assert len(saved) == 1 and saved[0].aborted and saved[0].minutes == 2
        assert isinstance(app.screen, SkinFormScreen)
        assert app.screen.kind == "reaction"
        assert app.screen.session_id == saved[0].id


async def test_mild_reaction_opens_the_prefilled_reaction_form(tmp_path):
    from planner.app.screens.journal import SkinFormScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, "morning-depuff-roll")
        screen.tick(10_000)
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, SkinFormScreen) and app.screen.kind == "reaction"
        assert app.screen.session_id == sessions(tmp_path)[0].id


async def test_session_is_trimmed_to_the_cap(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        lib = app.get_library()
        prepared = prepare_routine(app.planner, lib.routines["weekend-full-face-ritual"], lib)
        assert prepared.total_seconds <= 10 * 60
        assert any("within today's 10 minutes" in why for _, why in prepared.dropped)
        screen = await start(app, pilot, "weekend-full-face-ritual")
        screen.tick(100_000)
        await pilot.pause()
    assert sessions(tmp_path)[0].minutes <= 10
    assert sessions(tmp_path)[0].violations == ()


async def test_pregnancy_drops_points_before_the_session(tmp_path):
    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).set_profile(pregnant=True)
    async with app.run_test(size=SIZE):
        lib = app.get_library()
        prepared = prepare_routine(app.planner, lib.routines["grounding-hand-and-leg-points"],
                                   lib)
        assert all(s.point not in ("LI4", "SP6", "GB21", "BL60", "BL67") for s in prepared.steps)


async def test_start_from_today_with_the_routine_picker(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, RoutinePickerScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
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
        notes = [str(n.message) for n in app._notifications]
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
        await pilot.pause()
        assert name in app.screen.sub_title
        app.screen.tick(10_000)
        await pilot.pause()
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
    assert len(done) == 1 and done[0].minutes == 3 and not done[0].aborted
    assert done[0].note == "ended when the app was closed"


async def test_quitting_before_the_first_second_saves_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert sessions(tmp_path) == ()
