"""Plan: a month calendar; the selected day's reasons beside it; plan and unplan there.

The days of the week preferred for sessions (Settings) are marked with › before the day's
number and in the weekday header, a mark that reads without colour; "Plan next" (palette)
plans the earliest allowed preferred day, as Today's n does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content, Span
from textual.widgets import Footer, Header, Input, Select, Static

from planner.app.base import AppModalScreen, AppScreen
from planner.app.screens.section import ShowsJournal
from planner.app.screens.today import long_date, short_date
from planner.app.styles import SCREENS_CSS
from planner.app.undo import UNDO_KEY, deleted_record, offer_undo, undo_last
from planner.app.widgets.calendar import (
    CELL,
    MonthCalendar,
    add_months,
    cell_status,
    legend_content,
    status_look,
)
from planner.app.widgets.reasons import ReasonsList
from planner.app.writes import Writes
from planner.domain.session_prep import WEEKDAYS, is_preferred
from planner.service.planner import MIN_MINUTES, BadInput, Refused
from planner.store.errors import StoreError


def dropped_words(dropped) -> str:
    """Steps a routine leaves out for this profile, and why: "LI4 (pregnancy); …"."""
    return "; ".join(f"{d.what} ({d.reason})" for d in dropped)


class MinutesScreen(AppModalScreen):
    """Ask how long the planned session will be, and optionally its routine (what it leaves
    out for this profile is shown); dismisses with (minutes, routine id or None) or None."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, day: date, cap: int, routines: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.day = day
        self.cap = cap
        self.routines = list(routines)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="minutes-dialog"):
            yield Static(f"Plan a session on {long_date(self.day)}", classes="dialog-title",
                         markup=False)
            yield Static(f"Minutes ({MIN_MINUTES}–{self.cap} allowed that day)", markup=False)
            yield Input(str(min(10, self.cap)), id="minutes-input", type="integer",
                        max_length=3, classes="short")
            yield Static("", id="minutes-error", classes="field-error", markup=False)
            if self.routines:
                yield Select([(Content(label), rid) for label, rid in self.routines],
                             prompt="no particular routine", id="minutes-routine",
                             compact=True)
                yield Static("", id="minutes-fit", markup=False)
            yield Static("enter plan · tab routine · esc cancel" if self.routines
                         else "enter plan · esc cancel", classes="muted", markup=False)

    def on_mount(self) -> None:
        self.query_one("#minutes-input", Input).focus()

    @property
    def routine(self) -> str | None:
        if not self.query("#minutes-routine"):
            return None
        value = self.query_one("#minutes-routine", Select).value
        return value if isinstance(value, str) else None

    def on_select_changed(self, event: Select.Changed) -> None:
        """Show what the routine leaves out for this profile on that day, or why it cannot
        be planned; then back to the minutes (enter plans)."""
        event.stop()
        fit_w = self.query_one("#minutes-fit", Static)
        rid = self.routine
        text = ""
        if rid is not None:
            try:
                fit = self.app.planner.routine_fit(rid, self.day)
            except (BadInput, StoreError) as exc:
                text = str(exc)
            else:
                if not fit.fits:
                    text = "✕ cannot be planned: " + "; ".join(r.message for r in fit.reasons)
                elif fit.dropped:
                    text = "Leaves out: " + dropped_words(fit.dropped)
        fit_w.update(Content(text))
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
        self.dismiss((minutes, self.routine))

    def action_cancel(self) -> None:
        self.dismiss(None)


# The mark of a preferred day, before its number (and its weekday in the header): quiet,
# and a symbol of its own so it reads without colour (NO_COLOR).
PREFERRED_MARK = "›"
PREFERRED_STYLE = "bold $accent"


def preferred_legend(days: Iterable[str]) -> Content:
    """The legend line of the preferred-day mark: "› preferred day (Sat, Sun)"."""
    names = ", ".join(d.capitalize() for d in days)
    return Content.assemble((PREFERRED_MARK, PREFERRED_STYLE), f" preferred day ({names})")


class PlanCalendar(MonthCalendar):
    """The month calendar with the preferred session days marked: › in the free column
    before each day's number, and before the weekday's name in the header. Nothing is
    marked while no days are preferred."""

    preferred: tuple[str, ...] = ()

    def render(self) -> Content:
        content = super().render()
        if not self.preferred:
            return content
        lines = content.split("\n")
        cols = [c for c, day in enumerate(WEEKDAYS) if day in self.preferred]
        for c in cols:  # header cells are "  Mo ": the mark goes before the name
            lines[0] = _mark_at(lines[0], c * CELL + 1)
        for row in range(1, len(lines)):
            for c in cols:
                i = (row - 1) * 7 + c
                if i < len(self.days) and self.days[i].in_month:
                    # a day's number is right-aligned in 3 cells: the first is always free
                    lines[row] = _mark_at(lines[row], c * CELL)
        return Content("\n").join(lines)


def _mark_at(line: Content, offset: int) -> Content:
    """`line` with the preferred mark at `offset`, keeping the styles there (the cursor's
    reverse) under the mark's own."""
    if offset >= len(line.plain) or line.plain[offset] != " ":
        return line  # not the free cell the layout leaves there: leave the line as it is
    kept = [Span(0, 1, span.style) for span in line[offset:offset + 1].spans]
    mark = Content(PREFERRED_MARK, spans=[*kept, Span(0, 1, PREFERRED_STYLE)])
    return line[:offset] + mark + line[offset + 1:]


# Rule ids of a routine refused for the profile (service.routine_fit / builder.Dropped).
ROUTINE_RULES = ("caution", "excluded-zone", "catalog")


def routine_choices(app) -> list[tuple[str, str]]:
    """(label, id) of every routine, starters and short ones first."""
    lib = app.get_library()
    routines = sorted(lib.routines.values(), key=lambda r: (not r.starter, r.minutes, r.name))
    return [(f"{r.name} · {r.minutes} min", r.id) for r in routines]


class PlanScreen(Writes, ShowsJournal, AppScreen):
    CSS_PATH = SCREENS_CSS
    TITLE = "Plan"
    BINDINGS = [
        Binding("n", "plan_day", "Plan day"),
        Binding("enter", "plan_day", "Plan day", show=False),
        Binding("u", "unplan_day", "Unplan"),
        Binding("N", "plan_next", "Plan next", show=False),  # Help and the palette name it
        Binding("m", "move_plan", "Move plan", show=False),  # the day's hint names it
        Binding("left_square_bracket", "month(-1)", "Prev month", key_display="["),
        Binding("right_square_bracket", "month(1)", "Next month", key_display="]"),
        Binding("pageup", "month(-1)", "Prev month", show=False),
        Binding("pagedown", "month(1)", "Next month", show=False),
        Binding("home", "go_today", "Today's date", show=False),
        Binding(UNDO_KEY, "undo", "Undo unplan", show=False),
    ]
    # no key of its own (Help names every key of a section): Today's n does the same
    PALETTE_COMMANDS = [("Plan next", "plan_next",
                         "Plan · the earliest allowed day that is a preferred day")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="plan-body"):
            with Vertical(id="plan-left"):
                yield Static("", id="month-title", markup=False)
                yield PlanCalendar(self.app.today, id="calendar")
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
    def calendar(self) -> PlanCalendar:
        return self.query_one(PlanCalendar)

    def on_mount(self) -> None:
        self.calendar.focus()
        self.reload()

    def refresh_data(self) -> None:
        days = self.app.planner.profile().preferred_days
        cal = self.calendar
        cal.preferred = tuple(days)
        legend = legend_content()
        if days:
            legend = Content("\n").join([legend, preferred_legend(days)])
        self.query_one("#plan-legend", Static).update(legend)
        cal.load()
        self._show_day(self.calendar.cursor)
        self._show_plans()

    def _show_plans(self) -> None:
        views = self.app.planner.plan_views()
        lines: list = [Content.styled("Upcoming plans", "bold")]
        for pv in views[:6]:
            ok = pv.verdict is None or pv.verdict.allowed  # upcoming plans have a verdict
            lines.append(Content.assemble(
                ("◆ " if ok else "! ", "$accent" if ok else "bold $error"),
                f"{short_date(pv.plan.date)} · {pv.plan.minutes} min",
                ("" if ok else " · blocked", "$error")))
        if len(views) > 6:
            lines.append(Content(f"… and {len(views) - 6} more"))
        if not views:
            lines.append(Content.styled("none yet · n plans the selected day", "$text-muted"))
            if self.calendar.preferred:
                lines.append(Content.styled("N plans the next preferred day", "$text-muted"))
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
        sym, style, words = status_look(status)
        verdict = dv.verdict
        card.set_class(status in ("blocked", "planned-blocked", "broke"), "-blocked")
        card.set_class(status in ("allowed", "planned"), "-allowed")
        head: list = [(f"{sym} ", style), (words[:1].upper() + words[1:], "bold")]
        if d == self.app.today:
            head.append(("  (today)", "$text-muted"))
        live = [pv for pv in dv.plans if pv.verdict is not None]
        if live:  # a planned day is judged without its own plan
            verdict = live[0].verdict
        if verdict is not None and verdict.allowed:
            head.append(f" · {verdict.min_minutes}–{verdict.max_minutes} minutes")
        elif verdict is not None and verdict.earliest and verdict.earliest != d:
            head.append(f" · earliest allowed {short_date(verdict.earliest)}")
        status_w.update(Content.assemble(*head))
        lines: list[Content] = []
        for s in dv.sessions:
            look = "broke" if s.violations else ("done" if s.completed else s.outcome)
            mark, mark_style, _ = status_look(look)
            routine = f" · {s.routine}" if s.routine else ""
            lines.append(Content.assemble((f"{mark} ", mark_style),
                                          f"session {s.outcome} · {s.minutes} min{routine}"))
            for r in s.violations:
                lines.append(Content.assemble(("  ! ", "$warning"),
                                              f"logged against {r.rule}: {r.message}"))
        for pv in dv.plans:
            routine = f" · {pv.plan.routine}" if pv.plan.routine else ""
            if pv.verdict is None:  # its day passed with no session
                said = " (you said it did not happen)" if pv.plan.confirmed_missed else ""
                mark, mark_style, _ = status_look("missed")
                lines.append(Content.assemble(
                    (f"{mark} ", mark_style), f"plan · {pv.plan.minutes} min{routine} · ",
                    ("missed", "$warning"), f": no session{said}"))
                continue
            ok = ("allowed", "$success") if pv.verdict.allowed else ("blocked", "bold $error")
            lines.append(Content.assemble(("◆ ", "$accent"),
                                          f"plan · {pv.plan.minutes} min{routine} · ", ok))
        items_w.update(Content("\n").join(lines) if lines else Content(""))
        items_w.display = bool(lines)
        # reasons: the day's own, or the blocked plan's
        reasons = ()
        if live:
            reasons = next((pv.verdict.reasons for pv in live if not pv.verdict.allowed), ())
        elif dv.plans:
            reasons = ()
        elif verdict is not None and not verdict.allowed:
            reasons = verdict.reasons
        reasons_w.set_reasons(reasons)
        reasons_w.display = bool(reasons)
        if live:
            hint = "u unplan this day"
            if status == "planned-blocked":
                hint += " · m moves it to the earliest allowed date"
        elif dv.plans:
            hint = ("a past plan: if it happened, log the session in the Journal (j, then l); "
                    "u removes the plan")
        elif status == "allowed":
            hint = "n plan this day"
        elif status == "blocked":
            hint = "planning here is refused while these rules block it"
        elif status == "past":
            hint = "a past day: log what happened in the Journal (j)"
        else:
            hint = ""
        days = self.calendar.preferred
        if days and is_preferred(d, days):
            hint = f"{hint}\n{PREFERRED_MARK} a preferred day" if hint else \
                f"{PREFERRED_MARK} a preferred day"
        hint_w.update(hint)

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
        except (BadInput, StoreError) as exc:
            self.app.notify_error(exc)
            return
        if not verdict.allowed:  # the service refuses it, with every reason
            self.write(lambda p: p.plan(d, min(10, cap)))
            return

        def chosen(answer: tuple[int, str | None] | None) -> None:
            if answer is None:
                return
            self.plan_on(d, *answer)

        try:
            routines = routine_choices(self.app)
        except StoreError as exc:
            self.app.show_store_error(exc)
            return
        self.app.push_screen(MinutesScreen(d, cap, routines), chosen)

    def plan_on(self, d: date, minutes: int, routine: str | None = None) -> bool:
        """Plan (in a write worker); a routine that a caution or an excluded zone cuts under
        5 minutes is refused with that reason and the builder is offered; what it leaves
        out is named. False if a write is still under way."""

        def refused(exc: BaseException) -> None:
            fit = [r for r in getattr(exc, "reasons", ()) if r.rule in ROUTINE_RULES]
            if isinstance(exc, Refused) and fit:
                lib = self.app.get_library()
                self.app.refuse_routine(lib.routines.get(routine) or routine, fit,
                                        f"planned on {short_date(d)}")
            else:
                self.app.notify_error(exc)

        def planned(pv) -> None:
            with_routine = f" ({routine})" if routine else ""
            message = f"Planned {pv.plan.minutes} minutes{with_routine} on {short_date(d)}."
            if pv.dropped:
                message += " Left out for your profile: " + dropped_words(pv.dropped)
            self.app.notify(message, timeout=10 if pv.dropped else None)

        return self.write(lambda p: p.plan(d, minutes, routine=routine), planned, refused)

    def action_plan_next(self) -> None:
        """Plan the earliest allowed day that is a preferred day (any day when none are
        set) and show it on the calendar."""

        def planned(pv) -> None:
            self.app.notify(f"Planned {pv.plan.minutes} minutes on {short_date(pv.plan.date)}.")
            self.calendar.cursor = pv.plan.date

        self.write(lambda p: p.plan_next(), planned)

    def action_move_plan(self) -> None:
        """Move the selected day's blocked plan to the earliest date that allows it."""
        d = self.calendar.cursor
        dv = self.calendar.day_view(d)
        blocked = [pv for pv in (dv.plans if dv else ())
                   if pv.verdict is not None and not pv.verdict.allowed]
        if not blocked:
            self.app.notify(f"No blocked plan on {short_date(d)} to move.", severity="warning")
            return
        pv = blocked[0]
        try:
            target = self.app.planner.first_allowed(d, pv.plan.minutes, exclude=pv.plan.id)
        except StoreError as exc:
            self.app.show_store_error(exc)
            return
        if target is None:
            self.app.notify("No allowed date found: a hold must be resolved first.",
                            severity="warning")
            return

        def moved(_pv) -> None:
            self.app.notify(f"Plan moved to {short_date(target)}.")
            self.calendar.cursor = target

        self.write(lambda p: p.move_plan(pv.plan.id, target), moved)

    def action_unplan_day(self) -> None:
        d = self.calendar.cursor
        dv = self.calendar.day_view(d)
        if dv is None or not dv.plans:
            self.app.notify(f"Nothing is planned on {short_date(d)}.", severity="warning")
            return
        ids = [pv.plan.id for pv in dv.plans]

        def unplan(planner) -> list:
            return [planner.unplan(plan_id) for plan_id in ids]

        def unplanned(plans: list) -> None:
            # ctrl+z puts back the (last) plan removed, re-checked by the rules
            offer_undo(self.app, deleted_record("plans", plans[-1]),
                       f"Plan on {short_date(d)} removed")

        self.write(unplan, unplanned)

    def action_undo(self) -> None:
        undo_last(self)


__all__ = ["PlanScreen", "MinutesScreen", "routine_choices", "dropped_words"]
