"""Today: what today allows, the next plan, streaks and advice, one key per action."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from planner.app import sections
from planner.app.base import AppModalScreen, AppScreen
from planner.app.screens.section import ShowsJournal
from planner.app.styles import SCREENS_CSS
from planner.app.widgets.reasons import ReasonsList, reason_until
from planner.app.writes import Writes
from planner.service.planner import Refused
from planner.store.errors import StoreError

# The verdict is the most visible line in every theme and without colour (NO_COLOR): bold
# and reverse, so it reads as a bar even when the colours are gone; the $text-* colours are
# those themes make readable on their background, so the bar is too.
VERDICT_ALLOWED = "bold reverse $text-success"
VERDICT_BLOCKED = "bold reverse $text-error"


def long_date(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def short_date(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def blocked_beyond_spacing(verdict) -> bool:
    """Today is a blocked day of SPEC §4 (a rule other than spacing and duration blocks it:
    a hold, a wait, a pause): the streak is frozen, not counting down. The verdict's reasons
    say what `Engine.blocked_days` says for the day, and a stored verdict (the first frame)
    answers without loading the records."""
    return any(r.rule not in ("spacing", "duration") for r in verdict.reasons)


class Section(Vertical):
    """A titled block of the Today screen that holds several widgets."""

    def __init__(self, title: str, *children, **kwargs) -> None:
        super().__init__(*children, **kwargs)
        self.border_title = title


def _card(title: str, *, id: str) -> Static:
    """A titled block of the Today screen that holds one text."""
    card = Static("", id=id, classes="card", markup=False)
    card.border_title = title
    return card


class TodayScreen(Writes, ShowsJournal, AppScreen):
    """The landing section."""

    TITLE = "Today"
    BINDINGS = [
        Binding("s", "start", "Start"),
        Binding("c", "checkin", "Check-in"),
        Binding("a", "log_active", "Log product"),
        Binding("m", "move_plan", "Move plan", show=False),  # the plan card names it
        Binding("n", "plan_next", "Plan next"),
    ]
    PALETTE_COMMANDS = [
        ("Log a professional procedure", "log_procedure", "Today · clinic peel, laser, …"),
        ("Log an injectable", "log_injectable", "Today · botulinum toxin, filler, …"),
    ]

    def compose(self) -> ComposeResult:
        # Widgets are made and filled before they are mounted, so the first frame
        # already shows today's data without a second layout pass. A card with one text
        # is that text with a border (one widget fewer to style and lay out at start-up).
        w = self._widgets = {
            "today-status": Static("", id="today-status", markup=False),
            "today-reasons": ReasonsList(id="today-reasons"),
            "today-plan": _card("Next plan", id="today-plan"),
            "today-streaks": _card("Streaks", id="today-streaks"),
            "today-advice": _card("Advice", id="today-advice"),
            "today-verdict": Section("Today", id="today-verdict", classes="card"),
        }
        self._load_error: StoreError | None = None
        start = self.app.start_answers()
        self._from_cache = start is not None
        try:
            self.loaded()  # stored answers are those of the file as it is now
            self.refresh_data(start[0] if start is not None else None)
        except StoreError as exc:
            self._load_error = exc
        yield Header()
        with VerticalScroll(id="today-body"):
            with w["today-verdict"]:
                yield w["today-status"]
                yield w["today-reasons"]
            yield w["today-plan"]
            yield w["today-streaks"]
            yield w["today-advice"]
            yield Static(sections.hint_line(), id="today-sections", classes="muted",
                         markup=False)
        yield Footer()

    def _w(self, wid: str):
        return self._widgets[wid]

    def on_mount(self) -> None:
        self.sub_title = long_date(self.app.today)
        if self._load_error is not None:
            self.app.show_store_error(self._load_error)
        elif self._from_cache:  # drawn from the stored answers: now load the records
            self.call_after_refresh(self.reload)
        else:
            self.call_after_refresh(self._ask_missed)

    # ------------------------------------------------------------ content

    def refresh_data(self, view=None) -> None:
        """Show today's view: worked out from the records, or the one given (stored)."""
        from_records = view is None
        if view is None:
            view = self.app.planner.today_view()
            self.app.keep_status_answers(view)
        self._view = view
        if from_records and self.is_mounted:
            self.call_after_refresh(self._ask_missed)
        v = view.verdict
        status = self._w("today-status")
        reasons = self._w("today-reasons")
        card = self._w("today-verdict")
        card.set_class(v.allowed, "-allowed")
        card.set_class(not v.allowed, "-blocked")
        preferred = self._preferred_words(view)
        if v.allowed:
            status.update(Content.assemble(
                (" ✓ A session is allowed today ", VERDICT_ALLOWED),
                f" · {v.min_minutes}–{v.max_minutes} minutes",
                ("\n  press s to start one", "$text-muted"), *preferred))
            reasons.set_reasons(())
            reasons.display = False
        else:
            parts: list = [(" ✕ No session today ", VERDICT_BLOCKED)]
            if v.earliest:
                cap = view.earliest_cap
                parts.append(f" · earliest allowed {short_date(v.earliest)} "
                             f"({v.min_minutes}–{cap} min)")
            else:
                parts.append(" · no allowed date until a hold is resolved")
            status.update(Content.assemble(*parts, *preferred))
            reasons.set_reasons(v.reasons)
            reasons.display = True
        self._show_plan(view)
        self._show_streak(view.streak, blocked_beyond_spacing(v))
        if self.is_mounted:
            self.refresh_bindings()
        advice = self._w("today-advice")
        if view.advice:
            advice.update(Content("\n").join(
                [Content.assemble(("! ", "bold $warning"), a) for a in view.advice]))
        else:
            advice.update(Content("Nothing special today. Keep actives away from the days "
                                  "around a session."))

    @staticmethod
    def _preferred_words(view) -> list:
        """"next on a preferred day: Sat 12 Dec 2026", on a line of its own, when the
        first allowed preferred day is not the earliest allowed day (nothing without
        preferred days)."""
        day = view.next_preferred
        earliest = view.verdict.earliest or (view.date if view.verdict.allowed else None)
        if day is None or day == earliest:
            return []
        return [("\n  next on a preferred day: ", "$text-muted"), (short_date(day), "bold")]

    def _show_plan(self, view) -> None:
        plan_w = self._w("today-plan")
        np = view.next_plan
        if np is None:
            what = "preferred day" if view.next_preferred is not None else "allowed day"
            plan_w.update(Content.assemble(
                "No plan yet.", (f"  n plans the next {what} · p opens the calendar",
                                 "$text-muted")))
            return
        p = np.plan
        routine = f" · {p.routine}" if p.routine else ""
        head = f"{short_date(p.date)} · {p.minutes} min{routine}"
        if np.verdict.allowed:
            plan_w.update(Content.assemble(("◆ ", "bold $accent"), head,
                                           ("  allowed", "$text-success")))
        else:
            why = ", ".join(
                f"{r.rule} ({reason_until(r)})" if reason_until(r) else r.rule
                for r in np.verdict.reasons)
            plan_w.update(Content.assemble(
                ("! ", "bold $text-error"), head, ("  blocked", "bold $text-error"),
                f" by {why}",
                ("\n  m moves it to the earliest allowed date", "$text-muted")))

    def _show_streak(self, s, blocked: bool) -> None:
        """The streaks and the score in words, as History says them; while today is blocked
        by a rule other than spacing (a hold, a wait, a pause) the streak is frozen (§4)."""
        if s.sessions_current:
            if blocked:
                until = "the streak is frozen while sessions are blocked"
            elif s.days_until_break is not None and s.days_until_break < 0:
                until = "the streak has broken"
            elif not s.days_until_break:
                until = "the streak breaks after today"
            else:
                until = f"the streak breaks in {_plural(s.days_until_break, 'day')}"
            sessions = (f"{s.sessions_current} in a row (longest {s.sessions_longest}), "
                        f"{until}.")
        elif s.sessions_longest:
            sessions = (f"no streak running (longest "
                        f"{_plural(s.sessions_longest, 'session')}).")
        else:
            sessions = "none yet."
        if s.checkins_current:
            checkins = (f"{_plural(s.checkins_current, 'day')} in a row "
                        f"(longest {s.checkins_longest}).")
        elif s.checkins_longest:
            checkins = (f"none today or yesterday (longest "
                        f"{_plural(s.checkins_longest, 'day')} in a row).")
        else:
            checkins = "none yet."
        self._w("today-streaks").update(Content.assemble(
            ("Sessions on schedule: ", "bold"), sessions, "\n",
            ("Check-ins: ", "bold"), checkins, ("  Habit score ", "bold"),
            f"{round(s.score * 100)}%."))

    # ------------------------------------------------------------ missed plans

    def _ask_missed(self) -> None:
        """Ask once about each plan whose day passed with no session (SPEC §1): log it, or
        it did not happen. "Later" (esc) asks again the next time the app starts."""
        app = self.app
        view = getattr(self, "_view", None)
        if (view is None or app.screen is not self or app.sections_locked()
                or app.asking_missed):
            return
        pending = [p for p in view.missed_plans if p.id not in app.missed_asked]
        if not pending:
            return
        from planner.app.widgets.choice import Choice, ChoiceScreen

        plan = pending[0]
        app.asking_missed = True
        routine = f" with routine {plan.routine}" if plan.routine else ""
        paragraphs = [
            f"\"Log it\" records a {plan.minutes}-minute session{routine} on "
            f"{plan.date.isoformat()}, which carries the plan out.",
            "\"It did not happen\" keeps the plan listed as missed; you will not be asked "
            "about it again.",
        ]

        def asked(_result=None) -> None:  # the answer is saved (or not): the next one
            app.asking_missed = False
            self.call_after_refresh(self._ask_missed)

        def failed(exc: BaseException) -> None:
            app.notify_error(exc)
            asked()

        def logged(result) -> None:
            self._tell_logged(plan, result)
            asked()

        def said_missed(_plan) -> None:
            app.notify(f"The plan for {short_date(plan.date)} stays listed as missed.",
                       title="Plan")
            asked()

        def answered(choice: str | None) -> None:
            app.missed_asked.add(plan.id)  # answered in this run: not asked again
            if choice == "log":
                started = self.write(lambda p: p.log_session(plan.date, plan.minutes,
                                                             routine=plan.routine),
                                     logged, failed)
            elif choice == "missed":
                started = self.write(lambda p: p.confirm_missed(plan.id), said_missed, failed)
            else:  # later: asked again at the next start
                started = False
            if not started:
                asked()

        app.push_screen(ChoiceScreen(
            f"Your plan for {short_date(plan.date)} ({plan.minutes} min) has passed with no "
            "session: did it happen?", paragraphs,
            [Choice("log", "Log it", "l", "primary"),
             Choice("missed", "It did not happen", "n", "warning"),
             Choice("later", "Ask me later", "escape")], cancel="later"), answered)

    def _tell_logged(self, plan, logged) -> None:
        lines = [f"Session of {short_date(plan.date)} logged ({plan.minutes} min); the plan "
                 "is carried out."]
        severity = "information"
        if logged.violations:
            severity = "warning"
            lines.append("It broke a rule (kept as it happened): " + ", ".join(
                dict.fromkeys(r.rule for r in logged.violations)))
        for s in logged.marked:
            severity = "warning"
            lines.append(f"The session of {s.date.isoformat()} now breaks a rule: " + ", ".join(
                dict.fromkeys(r.rule for r in s.violations)))
        self.app.notify("\n".join(lines), title="Journal", severity=severity, timeout=8)

    # ------------------------------------------------------------ actions

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "move_plan":  # dim unless there is a blocked plan to move
            view = getattr(self, "_view", None)
            np = view.next_plan if view is not None else None
            return True if (np is not None and not np.verdict.allowed) else None
        return True

    def action_start(self) -> None:
        try:
            verdict = self.app.planner.check(self.app.today)
        except StoreError as exc:
            self.app.show_store_error(exc)
            return
        if not verdict.allowed:
            self.app.notify_error(Refused("a session cannot start today", verdict.reasons))
            return
        self.app.push_screen(RoutinePickerScreen())

    def action_checkin(self) -> None:
        self.app.open_skin_form("checkin")

    def action_log_active(self) -> None:
        self.app.open_activity_form("products")

    def action_log_procedure(self) -> None:
        self.app.open_activity_form("procedures")

    def action_log_injectable(self) -> None:
        self.app.open_activity_form("injectables")

    def action_move_plan(self) -> None:
        planner = self.app.planner
        try:
            np = planner.today_view().next_plan
            if np is None:
                self.app.notify("There is no plan to move.", severity="warning")
                return
            if np.verdict is None or np.verdict.allowed:  # an upcoming plan has a verdict
                self.app.notify(f"The plan on {np.plan.date.isoformat()} is allowed; "
                                "nothing to move.")
                return
            target = planner.first_allowed(np.plan.date, np.plan.minutes, exclude=np.plan.id)
        except StoreError as exc:
            self.app.show_store_error(exc)
            return
        if target is None:
            self.app.notify("No allowed date found: a hold must be resolved first.",
                            severity="warning")
            return
        self.write(lambda p: p.move_plan(np.plan.id, target),
                   lambda _pv: self.app.notify(f"Plan moved to {short_date(target)}."))

    def action_plan_next(self) -> None:
        """Plan the earliest allowed day that is a preferred day (any day when none are
        set); refused, with the reasons, while a hold leaves no such day."""
        self.write(lambda p: p.plan_next(),
                   lambda pv: self.app.notify(
                       f"Planned {pv.plan.minutes} minutes on {short_date(pv.plan.date)}."))


class RoutinePickerScreen(AppModalScreen):
    """Choose the routine for a session that starts now."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape", "dismiss_picker", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="dialog"):
            yield Static("Start a session: choose a routine", classes="dialog-title",
                         markup=False)
            yield Static("", id="picker-note", markup=False, classes="muted")
            yield OptionList(id="picker-list")
            yield Static("enter start · esc cancel", classes="muted", markup=False)

    def on_mount(self) -> None:
        app = self.app
        try:
            cap = app.planner.engine().cap(app.today)
            lib = app.get_library()
            planned = self.planned_routine()
        except StoreError as exc:
            self.dismiss(None)
            app.show_store_error(exc)
            return
        if planned not in lib.routines:  # none planned, or a routine since deleted
            planned = None
        # today's planned routine first (highlighted), then starters, then what fits
        routines = sorted(lib.routines.values(),
                          key=lambda r: (r.id != planned, not r.starter, r.minutes > cap,
                                         r.minutes, r.name))
        self._routines = routines
        note = f"Today allows up to {cap} minutes; longer routines are shortened to fit."
        if planned is not None:
            note = (f"Today's plan is {lib.routines[planned].name}: highlighted, enter "
                    f"starts it.\n{note}")
        self.query_one("#picker-note", Static).update(Content(note))  # a name: plain text
        ol = self.query_one("#picker-list", OptionList)
        for r in routines:
            fits = "" if r.minutes <= cap else f" → {cap} min"
            tag = " · starter" if r.starter else ""
            if r.id == planned:
                tag += " · planned for today"
            ol.add_option(Option(Content(f"{r.name} · {r.minutes} min{fits}{tag}"), id=r.id))
        ol.highlighted = 0 if routines else None
        ol.focus()

    def planned_routine(self) -> str | None:
        """The routine today's plan names (the first plan of today that names one)."""
        app = self.app
        return next((pv.plan.routine for pv in app.planner.plan_views()
                     if pv.plan.date == app.today and pv.plan.routine), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        routine = self.app.get_library().routines.get(event.option.id)
        self.dismiss(None)
        if routine is not None:
            self.app.start_session(routine)

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)


__all__ = ["TodayScreen", "RoutinePickerScreen", "long_date", "short_date"]
