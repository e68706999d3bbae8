"""Today: allowed and for how long, or every blocking reason with its end date."""

from __future__ import annotations

from planner.app.screens.today import RoutinePickerScreen, TodayScreen
from tests.app.helpers import (
    SIZE,
    TODAY,
    days,
    journal_file,
    make_app,
    planner_for,
    text_of,
    writes_done,
)


async def test_allowed_day_shows_minutes(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        status = text_of(app.screen.query_one("#today-status"))
        assert "allowed" in status and "5–10 minutes" in status
        assert app.screen.sub_title == "Tuesday 1 December 2026"  # shown in the header


async def test_blocked_day_shows_product_blackout_until(tmp_path):
    app = make_app(tmp_path, products=[("retinoid", days(-1))])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = text_of(app.screen.query_one("#today-status"))
        reasons = text_of(app.screen.query_one("#today-reasons"))
        assert "No session today" in status
        assert "product-blackout" in reasons
        assert "until 2026-12-04" in reasons  # P + N + 1 = 11-30 + 3 + 1


async def test_start_refused_when_blocked(tmp_path):
    app = make_app(tmp_path, products=[("retinoid", days(-1))])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)  # no routine picker, no session
        notes = list(app.notes)
        assert any("cannot start" in m and "product-blackout" in m for m in notes)
    assert planner_for(journal_file(tmp_path)).state().history.sessions == ()


async def test_move_blocked_plan_to_earliest_allowed(tmp_path):
    app = make_app(tmp_path, plans=[(days(3), 10)])
    p = planner_for(journal_file(tmp_path))
    p.log_product("acid-exfoliant", days(0))  # blocks 12-01..12-04, the plan on 12-04 too
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        plan_text = text_of(app.screen.query_one("#today-plan"))
        assert "blocked" in plan_text
        assert "product-blackout (until 2026-12-05)" in plan_text
        await pilot.press("m")
        await writes_done(pilot)  # the move is written in a worker
        assert "allowed" in text_of(app.screen.query_one("#today-plan"))
    plans = planner_for(journal_file(tmp_path)).plan_views()
    assert [pv.plan.date for pv in plans] == [days(4)]
    assert plans[0].verdict.allowed


async def test_plan_next_allowed_day(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-3), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await writes_done(pilot)
        assert "Sat 5 Dec 2026" in text_of(app.screen.query_one("#today-plan"))
    plans = planner_for(journal_file(tmp_path)).plan_views()
    assert [(pv.plan.date, pv.plan.minutes) for pv in plans] == [(days(4), 10)]


async def test_streaks_and_advice_shown(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-21), 10), (days(-14), 10), (days(-7), 10)],
                   plans=[(days(2), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        streak = text_of(app.screen.query_one("#today-streaks"))
        assert "Sessions on schedule: 3 in a row" in streak and "breaks in" in streak
        assert "%" in streak
        advice = text_of(app.screen.query_one("#today-advice"))
        assert "avoid retinoids, acids, scrubs and peels" in advice


async def test_palette_lists_sections_and_screen_actions(tmp_path):
    from planner.app.commands import AcuplanCommands

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider = AcuplanCommands(app.screen)
        labels = [hit.text async for hit in provider.discover()]
        for want in ("Go to Plan", "Go to Journal", "Go to Settings", "Help and safety notice",
                     "Start", "Check-in", "Plan next", "Log an injectable"):
            assert want in labels
        assert "Move plan" not in labels  # nothing to move: dimmed in the footer, not offered
        hits = [hit async for hit in provider.search("go plan")]
        assert hits
        await hits[0].command()
        await pilot.pause()
        from planner.app.screens.plan import PlanScreen

        assert isinstance(app.screen, PlanScreen)


async def test_palette_opens_and_runs_a_command(tmp_path):
    from tests.app.helpers import wait_for

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"plan next")
        await app.workers.wait_for_complete()  # the palette's search for what was typed
        await pilot.pause()
        await pilot.press("enter")
        planned = lambda: [pv.plan.date for pv in  # noqa: E731
                           planner_for(journal_file(tmp_path)).plan_views()]
        assert await wait_for(pilot, lambda: planned() == [TODAY])
        assert isinstance(app.screen, TodayScreen)


async def test_help_lists_keys_of_every_section(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        keys = text_of(app.screen.query_one("#help-keys"))
        for section in ("Today (t)", "Plan (p)", "Session", "Routines (r)", "Journal (j)",
                        "History (h)", "Settings (,)"):
            assert section in keys
        assert "stop — I feel unwell" in keys


async def test_today_leaves_the_status_answers_for_the_prompt(tmp_path):
    import json

    from planner.cli import output as out

    app = make_app(tmp_path, products=[("retinoid", days(-1))])
    cache = journal_file(tmp_path).with_name("journal.json.status-cache")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        doc = json.loads(cache.read_text())
        for day in (TODAY, days(1)):
            fresh = planner_for(journal_file(tmp_path), day).today_view()
            assert doc["days"][day.isoformat()]["line"] == out.status_line(fresh)
        assert "product-blackout" in doc["days"][TODAY.isoformat()]["line"]
        # a write from the app: the answers follow the journal
        app.planner.log_product("scrub", TODAY)
        app.data_changed()
        await pilot.pause()
        await pilot.pause()
        doc = json.loads(cache.read_text())
        fresh = planner_for(journal_file(tmp_path)).today_view()
        assert doc["days"][TODAY.isoformat()]["json"] == out.json_text(fresh.to_json())
        from planner.store import status_cache

        assert doc["key"] == status_cache.key_of(str(journal_file(tmp_path)))


async def test_back_to_today_from_another_section_is_the_same_screen_refreshed(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.screen
        assert isinstance(first, TodayScreen)
        await pilot.press("p")
        await pilot.pause()
        assert not isinstance(app.screen, TodayScreen)
        planner_for(journal_file(tmp_path)).log_product("retinoid", TODAY)  # another process
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is first
        assert "product-blackout" in text_of(app.screen.query_one("#today-reasons"))
        await pilot.press("t")  # already there: nothing breaks
        await pilot.pause()
        assert app.screen is first


async def test_first_frame_comes_from_the_stored_answers_then_the_records_load(tmp_path):
    from textual import events

    from planner.app.app import AcuplanApp
    from planner.service import status

    path = journal_file(tmp_path)
    make_app(tmp_path, products=[("retinoid", days(-1))])  # seeds the journal
    status.keep(planner_for(path))  # as a CLI write or yesterday's app would

    seen = {}
    app = AcuplanApp(path, TODAY, poll_interval=0.05)

    def on_message(message) -> None:
        if isinstance(message, events.Ready):  # the first frame is on the screen
            seen["loaded"] = app.planner.loaded_signature()
            seen["status"] = text_of(app.screen.query_one("#today-status"))
            seen["reasons"] = text_of(app.screen.query_one("#today-reasons"))

    async with app.run_test(size=SIZE, message_hook=on_message) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert seen["loaded"] is None  # drawn before any record was built
        assert "No session today" in seen["status"] and "product-blackout" in seen["reasons"]
        assert app.planner.loaded_signature() is not None  # then loaded, right after
        assert text_of(app.screen.query_one("#today-status")) == seen["status"]
        assert text_of(app.screen.query_one("#today-reasons")) == seen["reasons"]


async def test_stored_answers_for_another_state_of_the_journal_are_not_used(tmp_path):
    from planner.service import status

    path = journal_file(tmp_path)
    make_app(tmp_path)
    status.keep(planner_for(path))  # answers for the journal without the product
    planner_for(path).log_product("retinoid", days(-1))  # changed since: the key is stale
    app = make_app(tmp_path, accepted=False)  # (already accepted in the file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.start_answers() is None
        assert "product-blackout" in text_of(app.screen.query_one("#today-reasons"))


# ------------------------------------------------------------ missed plans (SPEC §1)

def app_with_missed_plan(tmp_path, routine=None):
    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path), today=days(-5)).plan(days(-3), 8, routine=routine)
    return app


async def missed_question(app, pilot):
    from planner.app.widgets.choice import ChoiceScreen
    from tests.app.helpers import wait_for

    assert await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
    return app.screen


async def test_missed_plan_is_asked_about_and_log_it_carries_it_out(tmp_path):
    from tests.app.helpers import wait_for

    app = app_with_missed_plan(tmp_path, routine="lower-face-points")
    async with app.run_test(size=SIZE) as pilot:
        question = await missed_question(app, pilot)
        assert ("Your plan for Sat 28 Nov 2026 (8 min) has passed with no session: "
                "did it happen?") in question.text
        assert "Log it (l)" in question.text and "It did not happen (n)" in question.text
        await pilot.press("l")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await writes_done(pilot)
        assert isinstance(app.screen, TodayScreen)  # answered: not asked again
    p = planner_for(journal_file(tmp_path))
    (s,) = p.state().history.sessions
    assert (s.date, s.minutes, s.routine, s.outcome) == (days(-3), 8, "lower-face-points",
                                                           "completed")
    (pv,) = p.plan_views(include_past=True)
    assert pv.status == "done" and pv.plan.fulfilled_by == s.id
    assert p.missed_plans() == []


async def test_missed_plan_it_did_not_happen_is_not_asked_again(tmp_path):
    from tests.app.helpers import wait_for

    app = app_with_missed_plan(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await missed_question(app, pilot)
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        await writes_done(pilot)
        assert isinstance(app.screen, TodayScreen)
    p = planner_for(journal_file(tmp_path))
    assert p.state().history.sessions == ()
    (pv,) = p.plan_views(include_past=True)
    assert pv.status == "missed" and pv.plan.confirmed_missed
    assert p.missed_plans() == []
    again = make_app(tmp_path)  # a new start does not ask either
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(again.screen, TodayScreen)


async def test_missed_plan_ask_me_later_asks_on_the_next_start(tmp_path):
    from tests.app.helpers import wait_for

    app = app_with_missed_plan(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await missed_question(app, pilot)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        app.data_changed()  # a refresh in the same run does not ask again
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    assert len(planner_for(journal_file(tmp_path)).missed_plans()) == 1
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await missed_question(again, pilot)


# ................................................................ preferred days

FRIDAY = TODAY.replace(day=4)  # 2026-12-04 is a Friday
MONDAY_BEFORE = TODAY.replace(month=11, day=30)  # spacing: the earliest is Monday 7th


def friday_app(tmp_path, days_text: str | None, **seed_kw):
    app = make_app(tmp_path, today=FRIDAY, **seed_kw)
    if days_text is not None:
        planner_for(journal_file(tmp_path), FRIDAY).set_preferences(days_text)
    return app


def plan_dates(tmp_path):
    return [pv.plan.date for pv in planner_for(journal_file(tmp_path), FRIDAY).plan_views()]


async def test_today_names_the_next_preferred_day_and_n_plans_it(tmp_path):
    app = friday_app(tmp_path, "sat,sun", sessions=[(MONDAY_BEFORE, 8)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = text_of(app.screen.query_one("#today-status"))
        assert "earliest allowed Mon 7 Dec 2026" in status
        assert "next on a preferred day: Sat 12 Dec 2026" in status
        assert "next preferred day" in text_of(app.screen.query_one("#today-plan"))
        await pilot.press("n")
        await writes_done(pilot)
        assert plan_dates(tmp_path) == [FRIDAY.replace(day=12)]
        assert "Planned 10 minutes on Sat 12 Dec 2026." in app.notes
        assert "Sat 12 Dec 2026" in text_of(app.screen.query_one("#today-plan"))


async def test_without_preferences_today_and_plan_next_are_as_before(tmp_path):
    app = friday_app(tmp_path, None, sessions=[(MONDAY_BEFORE, 8)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = text_of(app.screen.query_one("#today-status"))
        assert "earliest allowed Mon 7 Dec 2026" in status
        assert "preferred" not in status
        assert "next allowed day" in text_of(app.screen.query_one("#today-plan"))
        await pilot.press("n")
        await writes_done(pilot)
        assert plan_dates(tmp_path) == [FRIDAY.replace(day=7)]
        assert "Planned 10 minutes on Mon 7 Dec 2026." in app.notes


async def test_allowed_today_names_the_next_preferred_day(tmp_path):
    app = friday_app(tmp_path, "sat")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = text_of(app.screen.query_one("#today-status"))
        assert "A session is allowed today" in status
        assert "next on a preferred day: Sat 5 Dec 2026" in status
    app = friday_app(tmp_path / "fri", "fri")  # today is the preferred day: not repeated
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "preferred" not in text_of(app.screen.query_one("#today-status"))


async def test_plan_next_refused_while_a_hold_is_open(tmp_path):
    app = friday_app(tmp_path, "sat", checkins=[{"date": FRIDAY, "flags": ("pus",)}])
    before = planner_for(journal_file(tmp_path), FRIDAY).journal.snapshot()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await writes_done(pilot)
        assert any("medical-hold" in n for n in app.notes)
    assert plan_dates(tmp_path) == []
    assert planner_for(journal_file(tmp_path), FRIDAY).journal.snapshot() == before


# ................................................................ today's planned routine

async def open_picker(app, pilot):
    from tests.app.helpers import wait_for

    await pilot.pause()
    await pilot.press("s")
    assert await wait_for(pilot, lambda: isinstance(app.screen, RoutinePickerScreen))
    await pilot.pause()
    return app.screen


def picker_rows(screen):
    from textual.widgets import OptionList

    ol = screen.query_one("#picker-list", OptionList)
    rows = [ol.get_option_at_index(i) for i in range(ol.option_count)]
    return ol, [(o.id, str(o.prompt)) for o in rows]


async def test_start_highlights_the_routine_planned_for_today(tmp_path):
    from planner.app.screens.session_start import PreparationScreen
    from tests.app.helpers import wait_for

    app = make_app(tmp_path)
    planner_for(journal_file(tmp_path)).plan(TODAY, 7, routine="jaw-and-neck-gua-sha")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_picker(app, pilot)
        ol, rows = picker_rows(screen)
        assert ol.highlighted is not None
        planned_id, planned_text = rows[ol.highlighted]
        assert planned_id == "jaw-and-neck-gua-sha"  # not a starter: first only as the plan
        assert "planned for today" in planned_text
        assert [r for r in rows if "planned for today" in r[1]] == [rows[ol.highlighted]]
        assert ol.scroll_y == 0  # shown without scrolling, at the top
        note = text_of(screen.query_one("#picker-note"))
        assert "Today's plan is Jaw and neck gua sha" in note
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PreparationScreen))
        assert app.screen.routine.id == "jaw-and-neck-gua-sha"


async def test_start_without_a_plan_today_highlights_nothing_planned(tmp_path):
    app = make_app(tmp_path)
    p = planner_for(journal_file(tmp_path))
    p.plan(days(8), 7, routine="jaw-and-neck-gua-sha")  # another day: not today's plan
    p.plan(TODAY, 8)  # today's plan names no routine
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_picker(app, pilot)
        ol, rows = picker_rows(screen)
        assert ol.highlighted == 0
        assert not [r for r in rows if "planned" in r[1]]
        assert "Today's plan" not in text_of(screen.query_one("#picker-note"))
        first = app.get_library().routines[rows[0][0]]
        assert first.starter  # as before: the starters first


# ................................................................ streak words (SPEC §4)

ON_SCHEDULE = [(days(-21), 10), (days(-14), 10), (days(-7), 10)]


def streak_text(app) -> str:
    return text_of(app.screen.query_one("#today-streaks"))


async def test_streak_counts_down_when_only_spacing_blocks(tmp_path):
    app = make_app(tmp_path, sessions=[(days(-15), 10), (days(-8), 10), (days(-1), 10)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "No session today" in text_of(app.screen.query_one("#today-status"))
        assert not app.planner.engine().blocked_days(TODAY, TODAY)[0]  # spacing only
        streak = streak_text(app)
        assert "Sessions on schedule: 3 in a row (longest 3), the streak breaks in 9 days." \
            in streak
        assert "frozen" not in streak


def blocked_by_a_procedure(tmp_path):
    return make_app(tmp_path, sessions=ON_SCHEDULE, procedures=[("laser", days(-1))])


def blocked_by_a_pause(tmp_path):
    app = make_app(tmp_path, sessions=ON_SCHEDULE)
    planner_for(journal_file(tmp_path)).pause(TODAY, days(20), "travel")
    return app


def blocked_by_a_hold(tmp_path):
    return make_app(tmp_path, sessions=ON_SCHEDULE,
                    checkins=[{"date": TODAY, "flags": ("pus",)}])


async def test_streak_is_frozen_while_a_hold_a_wait_or_a_pause_blocks(tmp_path):
    for n, build in enumerate((blocked_by_a_procedure, blocked_by_a_pause, blocked_by_a_hold)):
        app = build(tmp_path / str(n))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.planner.engine().blocked_days(TODAY, TODAY)[0], build.__name__
            streak = streak_text(app)
            assert ("Sessions on schedule: 3 in a row (longest 3), the streak is frozen while "
                    "sessions are blocked.") in streak, build.__name__
            assert "breaks" not in streak


async def test_streaks_in_words_without_a_streak(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        streak = streak_text(app)
        assert "Sessions on schedule: none yet." in streak
        assert "Check-ins: none yet." in streak and "Habit score 0%." in streak
        assert "—" not in streak
    app = make_app(tmp_path / "old", sessions=[(days(-60), 10)],
                   checkins=[{"date": days(-3)}, {"date": days(-2)}])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        streak = streak_text(app)
        assert "Sessions on schedule: no streak running (longest 1 session)." in streak
        assert "Check-ins: none today or yesterday (longest 2 days in a row)." in streak
    app = make_app(tmp_path / "daily", checkins=[{"date": days(-1)}, {"date": TODAY}])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Check-ins: 2 days in a row (longest 2)." in streak_text(app)


# ................................................................ the verdict stands out

def styled_segments(widget, words: str) -> list:
    """The rendered segments of the widget's first line that make up `words`."""
    strip = widget.render_line(0)
    line = "".join(seg.text for seg in strip)
    start = line.index(words)
    out, pos = [], 0
    for seg in strip:
        if pos < start + len(words) and pos + len(seg.text) > start and seg.text.strip():
            out.append(seg)
        pos += len(seg.text)
    return out


async def test_the_verdict_is_bold_and_reverse_with_or_without_colour(tmp_path, monkeypatch):
    for no_color in (False, True):
        if no_color:
            monkeypatch.setenv("NO_COLOR", "1")
        for n, products in enumerate(([], [("retinoid", days(-1))])):
            app = make_app(tmp_path / f"{no_color}{n}", products=products)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                assert app.no_color is no_color
                status = app.screen.query_one("#today-status")
                words = "No session today" if products else "A session is allowed today"
                segments = styled_segments(status, words)
                assert segments and all(s.style.bold and s.style.reverse for s in segments)
                # the only reverse text on Today: nothing else competes with it
                for wid in ("#today-plan", "#today-streaks", "#today-advice"):
                    card = app.screen.query_one(wid)
                    for y in range(card.size.height):
                        assert not any(s.style and s.style.reverse
                                       for s in card.render_line(y) if s.text.strip())


async def test_a_focused_field_stands_out_without_colour(tmp_path):
    from textual.widgets import Input

    from planner.app.forms.skin import SkinFormScreen
    from tests.app.helpers import wait_for

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SkinFormScreen))
        await pilot.pause()
        inputs = list(app.screen.query(Input))
        focused = app.screen.focused
        assert isinstance(focused, Input) and focused in inputs
        others = [i for i in inputs if i is not focused and i.compact]
        assert focused.compact and others
        assert focused.styles.text_style.reverse
        assert not any(i.styles.text_style.reverse for i in others)
        # a bordered field: a heavy border when focused, not the same lines in another colour
        probe = Input("7", id="probe")
        await app.screen.mount(probe)
        await pilot.pause()
        assert probe.styles.border_top[0] != "heavy"
        probe.focus()
        await pilot.pause()
        assert probe.styles.border_top[0] == "heavy"
        assert not probe.styles.text_style.reverse
