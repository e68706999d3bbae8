"""Plan: a month calendar; the selected day's reasons beside it; plan and unplan there."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Static

from planner.service import MIN_MINUTES, BadInput, Refused
from planner.store.errors import StoreError

from .section import RefreshOnResume

from ..widgets.calendar import STATUS, MonthCalendar, add_months, cell_status, legend_content
from ..widgets.reasons import ReasonsList
from .today import first_allowed_for, long_date, short_date


class MinutesScreen(ModalScreen):
    """Ask how long the planned session will be; dismisses with minutes or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, day: date, cap: int) -> None:
        super().__init__()
        self.day = day
        self.cap = cap

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="minutes-dialog"):
            yield Static(f"Plan a session on {long_date(self.day)}", classes="dialog-title",
                         markup=False)
            yield Static(f"Minutes ({MIN_MINUTES}–{self.cap} allowed that day)", markup=False)
            yield Input(str(min(10, self.cap)), id="minutes-input", type="integer",
                        max_length=3, classes="short")
            yield Static("", id="minutes-error", classes="field-error", markup=False)
            yield Static("enter plan · esc cancel", classes="muted", markup=False)

    def on_mount(self) -> None:
        self.query_one("#minutes-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value.strip()
        error = self.query_one("#minutes-error", Static)
        try:
            minutes = int(raw)
        except ValueError:
            error.update(f"Enter a whole number from {MIN_MINUTES} to {self.cap}.")
            return
        if not MIN_MINUTES <= minutes <= self.cap:
            error.update(f"{minutes} is outside {MIN_MINUTES}–{self.cap} minutes "
                         f"(the most this day allows is {self.cap}).")
            return
        self.dismiss(minutes)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlanScreen(RefreshOnResume, Screen):
    TITLE = "Plan"
    BINDINGS = [
        Binding("n", "plan_day", "Plan day"),
        Binding("enter", "plan_day", "Plan day", show=False),
        Binding("u", "unplan_day", "Unplan"),
        Binding("m", "move_plan", "Move plan"),
        Binding("left_square_bracket", "month(-1)", "Prev month", key_display="["),
        Binding("right_square_bracket", "month(1)", "Next month", key_display="]"),
        Binding("pageup", "month(-1)", "Prev month", show=False),
        Binding("pagedown", "month(1)", "Next month", show=False),
        Binding("home", "go_today", "Today's date", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="plan-body"):
            with Vertical(id="plan-left"):
                yield Static("", id="month-title", markup=False)
                yield MonthCalendar(self.app.today, id="calendar")
                yield Static(legend_content(), id="plan-legend", markup=False)
                yield Static("", id="plan-list", markup=False)
            with VerticalScroll(id="plan-right"):
                with Vertical(id="day-card", classes="card"):
                    yield Static("", id="day-status", markup=False)
                    yield Static("", id="day-items", markup=False)
                    yield ReasonsList(id="day-reasons")
                    yield Static("", id="day-hint", classes="muted", markup=False)
        yield Footer()

    @property
    def calendar(self) -> MonthCalendar:
        return self.query_one(MonthCalendar)

    def on_mount(self) -> None:
        self.calendar.focus()
        self._fresh = True
        self.safe_refresh()

    def refresh_data(self) -> None:
        self.calendar.load()
        self._show_day(self.calendar.cursor)
        self._show_plans()

    def _show_plans(self) -> None:
        views = self.app.planner.plan_views()
        lines: list = [Content.styled("Upcoming plans", "bold")]
        for pv in views[:6]:
            ok = pv.verdict.allowed
            lines.append(Content.assemble(
                ("◆ " if ok else "! ", "$accent" if ok else "bold $error"),
                f"{short_date(pv.plan.date)} · {pv.plan.minutes} min",
                ("" if ok else " · blocked", "$error")))
        if len(views) > 6:
            lines.append(Content(f"… and {len(views) - 6} more"))
        if not views:
            lines.append(Content.styled("none yet · n plans the selected day", "$text-muted"))
        self.query_one("#plan-list", Static).update(Content("\n").join(lines))

    def on_month_calendar_moved(self, event: MonthCalendar.Moved) -> None:
        try:
            self._show_day(event.day)
        except StoreError as exc:
            self.app.show_store_error(exc)

    # ------------------------------------------------------------ content

    def _show_day(self, d: date) -> None:
        cal = self.calendar
        self.query_one("#month-title", Static).update(
            Content.styled(f"{d:%B %Y}", "bold"))
        card = self.query_one("#day-card")
        card.border_title = short_date(d)
        dv = cal.day_view(d)
        status_w = self.query_one("#day-status", Static)
        items_w = self.query_one("#day-items", Static)
        reasons_w = self.query_one("#day-reasons", ReasonsList)
        hint_w = self.query_one("#day-hint", Static)
        if dv is None:
            return
        status = cell_status(dv)
        sym, style, words = STATUS[status]
        planner = self.app.planner
        verdict = dv.verdict
        card.set_class(status in ("blocked", "planned-blocked"), "-blocked")
        card.set_class(status in ("allowed", "planned"), "-allowed")
        head: list = [(f"{sym} ", style), (words.capitalize(), "bold")]
        if d == self.app.today:
            head.append(("  (today)", "$text-muted"))
        if dv.plans:  # a planned day is judged without its own plan
            verdict = dv.plans[0].verdict
        if verdict is not None and verdict.allowed:
            head.append(f" · {verdict.min_minutes}–{verdict.max_minutes} minutes")
        elif verdict is not None and verdict.earliest and verdict.earliest != d:
            head.append(f" · earliest allowed {short_date(verdict.earliest)}")
        status_w.update(Content.assemble(*head))
        lines: list[Content] = []
        for s in dv.sessions:
            what = "aborted" if s.aborted else "completed"
            routine = f" · {s.routine}" if s.routine else ""
            lines.append(Content.assemble(("✓ " if not s.aborted else "× ", "$success"),
                                          f"session {what} · {s.minutes} min{routine}"))
            for r in s.violations:
                lines.append(Content.assemble(("  ! ", "$warning"),
                                              f"logged against {r.rule}: {r.message}"))
        for pv in dv.plans:
            routine = f" · {pv.plan.routine}" if pv.plan.routine else ""
            ok = ("allowed", "$success") if pv.verdict.allowed else ("blocked", "bold $error")
            lines.append(Content.assemble(("◆ ", "$accent"),
                                          f"plan · {pv.plan.minutes} min{routine} · ", ok))
        items_w.update(Content("\n").join(lines) if lines else Content(""))
        items_w.display = bool(lines)
        # reasons: the day's own, or the blocked plan's
        reasons = ()
        if dv.plans:
            reasons = next((pv.verdict.reasons for pv in dv.plans if not pv.verdict.allowed), ())
        elif verdict is not None and not verdict.allowed:
            reasons = verdict.reasons
        reasons_w.set_reasons(reasons)
        reasons_w.display = bool(reasons)
        if dv.plans:
            hint = "u unplan this day"
            if status == "planned-blocked":
                hint += " · m moves it to the earliest allowed date"
        elif status == "allowed":
            hint = "n plan this day"
        elif status == "blocked":
            hint = "planning here is refused while these rules block it"
        elif status == "past":
            hint = "a past day: log what happened in the Journal (j)"
        else:
            hint = ""
        hint_w.update(hint)
        _ = planner

    # ------------------------------------------------------------ actions

    def action_month(self, delta: int) -> None:
        self.calendar.cursor = add_months(self.calendar.cursor, delta)

    def action_go_today(self) -> None:
        self.calendar.cursor = self.app.today

    def action_plan_day(self) -> None:
        d = self.calendar.cursor
        planner = self.app.planner
        try:
            if d < self.app.today:
                raise BadInput(f"cannot plan in the past ({d.isoformat()}); today is "
                               f"{self.app.today.isoformat()}")
            dv = self.calendar.day_view(d)
            if dv is not None and dv.plans:
                self.app.notify(f"{short_date(d)} is already planned; u unplans it, "
                                "m moves it if it is blocked.", severity="warning")
                return
            verdict = planner.check(d)
            cap = planner.engine().cap(d)
            if not verdict.allowed:
                planner.plan(d, min(10, cap))  # refused with every reason
                self.app.data_changed()
                return
        except (Refused, BadInput, StoreError) as exc:
            self.app.notify_error(exc)
            return

        def chosen(minutes: int | None) -> None:
            if minutes is None:
                return
            self.plan_on(d, minutes)

        self.app.push_screen(MinutesScreen(d, cap), chosen)

    def plan_on(self, d: date, minutes: int) -> bool:
        try:
            pv = self.app.planner.plan(d, minutes)
        except (Refused, BadInput, StoreError) as exc:
            self.app.notify_error(exc)
            return False
        self.app.notify(f"Planned {pv.plan.minutes} minutes on {short_date(d)}.")
        self.app.data_changed()
        return True

    def action_move_plan(self) -> None:
        """Move the selected day's blocked plan to the earliest date that allows it."""
        d = self.calendar.cursor
        dv = self.calendar.day_view(d)
        blocked = [pv for pv in (dv.plans if dv else ()) if not pv.verdict.allowed]
        if not blocked:
            self.app.notify(f"No blocked plan on {short_date(d)} to move.", severity="warning")
            return
        pv = blocked[0]
        try:
            target = first_allowed_for(self.app.planner, d, pv.plan.minutes, exclude=pv.plan.id)
            if target is None:
                self.app.notify("No allowed date found: a hold must be resolved first.",
                                severity="warning")
                return
            self.app.planner.move_plan(pv.plan.id, target)
        except (Refused, BadInput, StoreError) as exc:
            self.app.notify_error(exc)
            return
        self.app.notify(f"Plan moved to {short_date(target)}.")
        self.calendar.cursor = target
        self.app.data_changed()

    def action_unplan_day(self) -> None:
        d = self.calendar.cursor
        dv = self.calendar.day_view(d)
        if dv is None or not dv.plans:
            self.app.notify(f"Nothing is planned on {short_date(d)}.", severity="warning")
            return
        try:
            for pv in dv.plans:
                self.app.planner.unplan(pv.plan.id)
        except (BadInput, StoreError) as exc:
            self.app.notify_error(exc)
            return
        self.app.notify(f"Plan on {short_date(d)} removed.")
        self.app.data_changed()


__all__ = ["PlanScreen", "MinutesScreen"]
