"""First run: the safety notice must be accepted once; then the profile questions."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input

from planner.app.screens.first_run import SAFETY_NOTICE, FirstRunScreen
from planner.app.screens.today import TodayScreen
from tests.app.helpers import (
    SIZE,
    journal_file,
    make_app,
    planner_for,
    text_of,
    wait_for,
    writes_done,
)

LAST_PARAGRAPH = SAFETY_NOTICE.split("\n\n")[-1]


async def read_to_the_end(pilot) -> None:
    """The notice is read to its end (End key) before it can be accepted."""
    await pilot.pause()
    await pilot.press("end")
    assert await wait_for(pilot, lambda: not pilot.app.screen.query_one("#accept").disabled)


async def test_notice_shown_first_and_sections_locked(tmp_path):
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert app.screen.step == "notice"
        notice = text_of(app.screen.query_one("#notice-text"))
        assert "not medical advice" in notice and "Needle-free" in notice
        await pilot.press("p")  # sections stay closed until the notice is accepted
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
    assert not planner_for(journal_file(tmp_path)).profile().notice_accepted


async def test_declining_quits_and_stores_nothing(tmp_path):
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    assert not app.is_running
    prof = planner_for(journal_file(tmp_path)).profile()
    assert not prof.notice_accepted and not prof.onboarded


async def test_accept_then_profile_is_saved_and_second_start_goes_to_today(tmp_path):
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        await read_to_the_end(pilot)
        await pilot.press("a")
        await writes_done(pilot)  # the acceptance is written in a worker
        assert app.screen.step == "profile"
        assert planner_for(journal_file(tmp_path)).profile().notice_accepted
        screen = app.screen
        screen.query_one("#q-pregnant", Checkbox).value = True
        screen.query_one("#q-anticoagulants", Checkbox).value = True
        screen.query_one("#q-cadence", Input).value = "10"
        await pilot.press("ctrl+s")
        await writes_done(pilot)
        assert isinstance(app.screen, TodayScreen)
    p = planner_for(journal_file(tmp_path))
    prof = p.profile()
    assert prof.notice_accepted and prof.onboarded and prof.pregnant and prof.anticoagulants
    assert not prof.rosacea
    assert p.settings().cadence_days == 10

    again = make_app(tmp_path, accepted=False)  # keeps the stored state
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, TodayScreen)


async def test_bad_cadence_is_shown_next_to_the_field_and_nothing_saved(tmp_path):
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        await read_to_the_end(pilot)
        await pilot.click("#accept")
        await writes_done(pilot)
        app.screen.query_one("#q-cadence", Input).value = "3"
        await pilot.click("#save")
        await writes_done(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert "7" in text_of(app.screen.query_one("#q-cadence-error"))
    prof = planner_for(journal_file(tmp_path)).profile()
    assert prof.notice_accepted and not prof.onboarded


async def test_notice_reachable_from_help(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert text_of(app.screen.query_one("#help-notice")) == SAFETY_NOTICE
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def finish_notice(app, pilot):
    await read_to_the_end(pilot)
    await pilot.press("a")
    await writes_done(pilot)
    assert app.screen.step == "profile"
    return app.screen


async def test_recent_injectable_is_recorded_so_its_wait_applies(tmp_path):
    from textual.widgets import Select

    from tests.app.helpers import days, wait_for

    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finish_notice(app, pilot)
        detail = screen.query_one("#q-injectable-detail")
        assert not detail.display  # asked only once ticked
        screen.query_one("#q-recent_injectable", Checkbox).value = True
        assert await wait_for(pilot, lambda: detail.display)
        screen.query_one("#q-injectable-kind", Select).value = "filler"
        screen.query_one("#q-injectable-date", Input).value = days(-5).isoformat()
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert await wait_for(
            pilot, lambda: "injectable-wait" in text_of(app.screen.query_one("#today-reasons")))
        reasons = text_of(app.screen.query_one("#today-reasons"))
        assert f"until {days(9).isoformat()}" in reasons  # 5 days ago + 14
        assert "No session today" in text_of(app.screen.query_one("#today-status"))
    p = planner_for(journal_file(tmp_path))
    assert [(i.kind, i.date) for i in p.state().history.injectables] == [("filler", days(-5))]
    assert p.profile().recent_injectable and p.profile().onboarded


async def test_recent_procedure_needs_a_real_past_date(tmp_path):
    from tests.app.helpers import days

    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await finish_notice(app, pilot)
        screen.query_one("#q-recent_procedure", Checkbox).value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert "date of the procedure" in text_of(screen.query_one("#q-procedure-error"))
        screen.query_one("#q-procedure-date", Input).value = days(2).isoformat()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert "future" in text_of(screen.query_one("#q-procedure-error"))
        p = planner_for(journal_file(tmp_path))
        assert p.state().history.procedures == () and not p.profile().onboarded
        screen.query_one("#q-procedure-date", Input).value = days(-3).isoformat()
        await pilot.press("ctrl+s")
        await writes_done(pilot)
        assert isinstance(app.screen, TodayScreen)
    p = planner_for(journal_file(tmp_path))
    assert [(x.kind, x.date) for x in p.state().history.procedures] == [
        ("clinic-peel", days(-3))]
    assert any(r.rule == "procedure-wait" for r in p.check(days(0)).reasons)


# ---------------------------------------------------------------- the notice scrolls

def notice_state(screen):
    scroll = screen.query_one("#notice-scroll")
    return (scroll.scroll_offset.y, screen.query_one("#accept", Button).disabled,
            text_of(screen.query_one("#notice-more")))


async def test_notice_scrolls_with_the_keys_and_says_more_follows_at_80x24(tmp_path):
    """At 80x24 the last paragraph (pregnancy, ask first) is below the fold: the notice
    scrolls with the usual keys, says that more follows, and Accept unlocks at its end."""
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        scroll = screen.query_one("#notice-scroll")
        assert await wait_for(pilot, lambda: scroll.max_scroll_y > 0)  # it does not fit
        assert app.focused is scroll  # the keys scroll it at once
        y, disabled, more = notice_state(screen)
        assert y == 0 and disabled and "more below" in more
        at_end = scroll.max_scroll_y
        await pilot.press("down")
        assert await wait_for(pilot, lambda: notice_state(screen)[0] == 1)
        assert notice_state(screen)[1]  # not at the end yet: Accept stays off
        await pilot.press("up")
        assert await wait_for(pilot, lambda: notice_state(screen)[0] == 0)
        await pilot.press("space")  # a page (the rest of the notice, at this size)
        assert await wait_for(pilot, lambda: notice_state(screen)[0] == at_end)
        _, disabled, more = notice_state(screen)
        assert not disabled and "more below" not in more and "a accepts" in more
        await pilot.press("home")  # back up: Accept stays on, and more below again
        assert await wait_for(pilot, lambda: notice_state(screen)[0] == 0)
        _, disabled, more = notice_state(screen)
        assert not disabled and "more below" in more
        await pilot.press("pagedown")
        assert await wait_for(pilot, lambda: notice_state(screen)[0] == at_end)
        await pilot.press("pageup")
        assert await wait_for(pilot, lambda: notice_state(screen)[0] == 0)
        await pilot.press("end")
        assert await wait_for(pilot, lambda: notice_state(screen)[0] == at_end)
        await pilot.press("home")
        assert await wait_for(pilot, lambda: notice_state(screen)[0] == 0)
        await pilot.press("tab")  # keyboard only: Tab reaches Accept, Enter presses it
        assert await wait_for(pilot, lambda: app.focused is screen.query_one("#accept"))
        await pilot.press("enter")
        await writes_done(pilot)
        assert screen.step == "profile"
    assert planner_for(journal_file(tmp_path)).profile().notice_accepted


async def test_a_before_the_end_shows_the_end_and_accepts_only_the_second_time(tmp_path):
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        scroll = screen.query_one("#notice-scroll")
        assert await wait_for(pilot, lambda: scroll.max_scroll_y > 0)
        await pilot.press("a")
        assert await wait_for(pilot, lambda: scroll.scroll_offset.y == scroll.max_scroll_y)
        await writes_done(pilot)
        assert screen.step == "notice"
        assert not planner_for(journal_file(tmp_path)).profile().notice_accepted
        assert "a accepts" in text_of(screen.query_one("#notice-more"))
        await pilot.press("a")
        await writes_done(pilot)
        assert screen.step == "profile"
    assert planner_for(journal_file(tmp_path)).profile().notice_accepted


async def test_a_notice_that_fits_can_be_accepted_at_once(tmp_path):
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert await wait_for(pilot, lambda: not screen.query_one("#accept").disabled)
        assert screen.query_one("#notice-scroll").max_scroll_y == 0
        assert "more below" not in text_of(screen.query_one("#notice-more"))
        await pilot.press("a")
        await writes_done(pilot)
        assert screen.step == "profile"


# ------------------------------------------------------------------------- cadence

async def test_cadence_out_of_range_reads_like_the_empty_field_message_in_one_line(tmp_path):
    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await finish_notice(app, pilot)
        cadence = screen.query_one("#q-cadence", Input)
        error = screen.query_one("#q-cadence-error")
        cadence.value = ""
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: text_of(error))
        empty = text_of(error)
        for wrong in ("5", "29", "0"):
            cadence.value = wrong
            await pilot.press("ctrl+s")
            await writes_done(pilot)
            assert text_of(error) == empty  # plain words, no internal setting name
            assert "cadence_days" not in text_of(error) and "7 to 28" in text_of(error)
            assert await wait_for(pilot, lambda: error.size.height == 1)  # not cut at 80
            assert error.region.height == 1 and error.region.width >= len(empty)
            assert app.focused is cadence
        assert isinstance(app.screen, FirstRunScreen)
    p = planner_for(journal_file(tmp_path))
    assert not p.profile().onboarded and p.settings().cadence_days == 7


async def test_cadence_below_a_raised_spacing_is_refused_in_words(tmp_path):
    app = make_app(tmp_path, accepted=False)
    planner_for(journal_file(tmp_path)).set_settings(spacing_days=10, cadence_days=12)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await finish_notice(app, pilot)
        hint = text_of(screen.query_one("#q-cadence-hint"))
        assert "at least 10 days apart" in hint
        screen.query_one("#q-cadence", Input).value = "8"
        await pilot.press("ctrl+s")
        await writes_done(pilot)
        error = text_of(screen.query_one("#q-cadence-error"))
        assert "from 10 to 28" in error and "spacing" in error and "_" not in error
        assert isinstance(app.screen, FirstRunScreen)
        screen.query_one("#q-cadence", Input).value = "10"
        await pilot.press("ctrl+s")
        await writes_done(pilot)
        assert isinstance(app.screen, TodayScreen)
    assert planner_for(journal_file(tmp_path)).settings().cadence_days == 10


async def test_first_run_cadence_says_it_is_the_streak_not_the_spacing(tmp_path):
    from textual.widgets import Label

    app = make_app(tmp_path, accepted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await finish_notice(app, pilot)
        label = next(text_of(w) for w in screen.query(Label)
                     if "session every" in text_of(w))
        hint = text_of(screen.query_one("#q-cadence-hint"))
        assert "Days between sessions" not in label and "7–28" in label
        assert "streak" in hint and "not spacing" in hint and "at least 7 days" in hint
        hint_widget = screen.query_one("#q-cadence-hint")
        assert await wait_for(pilot, lambda: hint_widget.region.height == 1)  # whole at 80
        assert hint_widget.region.bottom <= screen.query_one("#profile-scroll").region.bottom
