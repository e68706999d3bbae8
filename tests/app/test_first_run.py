"""First run: the safety notice must be accepted once; then the profile questions."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from planner.app.screens.first_run import SAFETY_NOTICE, FirstRunScreen
from planner.app.screens.today import TodayScreen
from tests.app.helpers import SIZE, journal_file, make_app, planner_for, text_of, writes_done


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
        await pilot.pause()
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
        await pilot.pause()
        await pilot.click("#accept")
        await writes_done(pilot)
        app.screen.query_one("#q-cadence", Input).value = "3"
        await pilot.click("#save")
        await writes_done(pilot)  # the service refuses the cadence
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
    await pilot.pause()
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
