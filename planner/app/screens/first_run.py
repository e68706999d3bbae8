"""First run: the safety notice (accepted once), then a few profile questions."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static

from planner.app.base import AppScreen
from planner.app.messages import JournalChanged
from planner.app.styles import SCREENS_CSS
from planner.app.widgets.ticks import TickCheckbox
from planner.app.writes import Writes
from planner.domain.notice import SAFETY_NOTICE
from planner.domain.profile_questions import first_run_questions
from planner.domain.settings_rules import RANGES
from planner.domain.vocabulary import INJECTABLE_KINDS, PROCEDURE_KINDS
from planner.service.planner import BadInput
from planner.store.errors import StoreError

NOTICE_TITLE = "Before you start: safety notice"


# (profile field, question) in the order asked.
QUESTIONS = tuple((q.field, q.question) for q in first_run_questions())

# A recent injectable or procedure is recorded (kind and date), so that its wait applies:
# profile field -> (short name, kinds, planner method, history table, wait words).
_WAITS = {"injectables": ("injectable", INJECTABLE_KINDS, "log_injectable",
                          "sessions wait 14 days after an injectable"),
          "procedures": ("procedure", PROCEDURE_KINDS, "log_procedure",
                         "sessions wait 7 days after a procedure")}
RECENT = {q.field: (*_WAITS[q.records][:3], q.records, _WAITS[q.records][3])
          for q in first_run_questions() if q.records}
FIRST_RUN_NOTE = "told at first run"

# The notice is read before it is accepted: Accept is enabled once its end has been shown
# (at once when it fits); until then this line says that more follows and how to read on.
MORE_BELOW = "↓ more below: ↓, space or PgDn reads on (Accept unlocks at the end)"
MORE_AGAIN = "↓ more below (↓, space or PgDn)"
AT_END = "End of the notice · a accepts · esc declines and quits"

CADENCE = RANGES["cadence_days"]
CADENCE_LABEL = f"Aim for a session every … days ({CADENCE.low}–{CADENCE.high})"


def cadence_hint(spacing: int) -> str:
    """What the first-run cadence sets (the streak's rhythm) and what it does not."""
    return f"Your streak's rhythm, not spacing (a safety rule: at least {spacing} days apart)."


def cadence_error(low: int, spacing: int) -> str:
    """The refusal in plain words, in one line at 80 columns, like the empty-field one."""
    message = f"Enter a whole number of days from {low} to {CADENCE.high}"
    if low > CADENCE.low:
        message += f" (your spacing is {spacing} days)"
    return message + "."


class NoticeScroll(VerticalScroll):
    """The notice text: scrolls with the arrows, PgUp/PgDn, Home/End and space; tells the
    screen where it is (`at_end`) whenever it scrolls or its size changes."""

    BINDINGS = [Binding("space", "page_down", "Page down", show=False)]

    class Moved(Message):
        """Scrolled or resized: `at_end` says whether the last line is shown."""

        def __init__(self, at_end: bool) -> None:
            super().__init__()
            self.at_end = at_end

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._moved, init=False)

    @property
    def laid_out(self) -> bool:
        return self.size.height > 0

    @property
    def at_end(self) -> bool:
        return self.laid_out and self.scroll_offset.y >= self.max_scroll_y

    def _moved(self, _value: float | None = None) -> None:
        if self.laid_out:
            self.post_message(self.Moved(self.at_end))

    def on_resize(self) -> None:
        self._moved()


class FirstRunScreen(Writes, AppScreen):
    """Dismisses with True once the notice is accepted and the profile is saved."""

    CSS_PATH = SCREENS_CSS
    TITLE = "Welcome"
    BINDINGS = [
        Binding("a", "accept", "Accept notice"),
        Binding("escape", "decline", "Decline and quit"),
        Binding("ctrl+s", "save", "Save profile"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.step = "notice"
        self.notice_read = False  # the end of the notice has been shown

    def compose(self) -> ComposeResult:
        with Vertical(id="notice-step", classes="first-run"):
            yield Static(NOTICE_TITLE, classes="dialog-title", markup=False)
            with NoticeScroll(id="notice-scroll"):
                yield Static(SAFETY_NOTICE, id="notice-text", markup=False)
            yield Static(MORE_BELOW, id="notice-more", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("I understand — accept (a)", id="accept", variant="primary",
                             disabled=True)
                yield Button("Decline and quit (esc)", id="decline", variant="error")
        with Vertical(id="profile-step", classes="first-run"):
            yield Static("A few questions about you", classes="dialog-title", markup=False)
            yield Static("They let acuplan leave out points and keep pressure light where "
                         "needed. Change them any time in Settings (,).", classes="muted",
                         markup=False)
            with VerticalScroll(id="profile-scroll"):
                for field, question in QUESTIONS:
                    yield TickCheckbox(question, id=f"q-{field}")
                    if field in RECENT:
                        yield from self._recent_rows(field)
                with Horizontal(classes="field-row"):
                    yield Label(CADENCE_LABEL, classes="field-label")
                    yield Input("7", id="q-cadence", type="integer", max_length=2,
                                classes="short")
                yield Static(cadence_hint(RANGES["spacing_days"].low), id="q-cadence-hint",
                             classes="muted", markup=False)
                yield Static("", id="q-cadence-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save and start (ctrl+s)", id="save", variant="primary")
        yield Footer()

    @staticmethod
    def _recent_rows(field: str):
        """Which one and when, shown while its question is ticked."""
        word, kinds, _, _, wait = RECENT[field]
        with Vertical(id=f"q-{word}-detail", classes="recent-detail"):
            with Horizontal(classes="recent-row"):
                yield Label(f"Which {word}", classes="recent-label")
                yield Select([(k, k) for k in kinds], allow_blank=False, value=kinds[0],
                             id=f"q-{word}-kind", compact=True)
                yield Label("on", classes="recent-on")
                yield Input("", id=f"q-{word}-date", placeholder="YYYY-MM-DD", max_length=10,
                            classes="recent-date", compact=True)
            yield Static(f"the date it was done (not in the future; if unsure, the latest "
                         f"it may have been): {wait}", classes="muted recent-hint",
                         markup=False)
            yield Static("", id=f"q-{word}-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        try:
            profile = self.app.planner.profile()
            settings = self.app.planner.settings()
            history = self.app.planner.state().history
        except StoreError as exc:
            self.app.show_store_error(exc)
            return
        for field, _ in QUESTIONS:
            self.query_one(f"#q-{field}", TickCheckbox).value = bool(getattr(profile, field))
        for field, (word, kinds, _, table, _) in RECENT.items():
            known = getattr(history, table)
            if known:  # already recorded (e.g. a first run left half-way): show it
                last = max(known, key=lambda r: (r.date, r.id))
                if last.kind in kinds:
                    self.query_one(f"#q-{word}-kind", Select).value = last.kind
                self.query_one(f"#q-{word}-date", Input).value = last.date.isoformat()
            self.query_one(f"#q-{word}-detail").display = bool(getattr(profile, field))
        self.query_one("#q-cadence", Input).value = str(settings.cadence_days)
        self.query_one("#q-cadence-hint", Static).update(
            Content(cadence_hint(settings.spacing_days)))
        self._show("profile" if profile.notice_accepted else "notice")

    def _show(self, step: str) -> None:
        self.step = step
        self.query_one("#notice-step").display = step == "notice"
        self.query_one("#profile-step").display = step == "profile"
        self.sub_title = "Safety notice" if step == "notice" else "Your profile"
        if step == "notice":
            self.query_one("#notice-scroll", NoticeScroll).focus()
        else:
            self.query_one(f"#q-{QUESTIONS[0][0]}", TickCheckbox).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("accept", "decline"):
            return self.step == "notice"
        if action == "save":
            return self.step == "profile"
        return True

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        field = (event.checkbox.id or "").removeprefix("q-")
        if field in RECENT:
            word = RECENT[field][0]
            self.query_one(f"#q-{word}-detail").display = event.value
            if not event.value:
                self.query_one(f"#q-{word}-error", Static).update("")

    def _recent_answers(self) -> tuple[list[tuple[str, Any, date]], bool]:
        """(planner method, kind, date) for each ticked recent injectable / procedure; False
        when a date is missing or wrong (shown under it)."""
        from planner.app.forms.dialogs import parse_day

        out: list[tuple[str, Any, date]] = []
        ok = True
        for field, (word, kinds, method, _, _) in RECENT.items():
            error = self.query_one(f"#q-{word}-error", Static)
            error.update("")
            if not self.query_one(f"#q-{field}", TickCheckbox).value:
                continue
            kind = self.query_one(f"#q-{word}-kind", Select).value
            raw = self.query_one(f"#q-{word}-date", Input).value
            try:
                if kind not in kinds:
                    raise ValueError(f"choose which {word}: {', '.join(kinds)}")
                if not raw.strip():
                    raise ValueError(f"enter the date of the {word} as YYYY-MM-DD, so that "
                                     "its wait applies")
                day = parse_day(raw, today=self.app.planner.today, what=f"the {word} date")
            except ValueError as exc:
                error.update(Content(str(exc)))
                if ok:
                    self.query_one(f"#q-{word}-date", Input).focus()
                ok = False
                continue
            out.append((method, kind, day))
        return out, ok

    @staticmethod
    def _log_recent(planner, answers) -> None:
        """Record each answer once (a first run left half-way may be answered again)."""
        history = planner.state().history
        for method, kind, day in answers:
            table = next(t for _, _, m, t, _ in RECENT.values() if m == method)
            if any(r.kind == kind and r.date == day for r in getattr(history, table)):
                continue
            getattr(planner, method)(kind, day, FIRST_RUN_NOTE)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"accept": self.action_accept, "decline": self.action_decline,
         "save": self.action_save}[event.button.id or ""]()

    def on_notice_scroll_moved(self, message: NoticeScroll.Moved) -> None:
        """Say whether more follows; the end once shown unlocks Accept (for good)."""
        if message.at_end and not self.notice_read:
            self.notice_read = True
            self.query_one("#accept", Button).disabled = False
        more = MORE_AGAIN if self.notice_read else MORE_BELOW
        self.query_one("#notice-more", Static).update(AT_END if message.at_end else more)

    def action_accept(self) -> None:
        if not self.notice_read:
            # `a` before the end shows the end first (the next `a` accepts)
            self.query_one("#notice-scroll", NoticeScroll).scroll_end(animate=False)
            return
        self.write(lambda p: p.accept_notice(), lambda _profile: self._show("profile"))

    def action_decline(self) -> None:
        self.app.exit(message="The safety notice was not accepted; acuplan needs it once "
                              "before it can be used.")

    def action_save(self) -> None:
        if self.saving:
            return
        error = self.query_one("#q-cadence-error", Static)
        raw = self.query_one("#q-cadence", Input).value.strip()
        try:
            spacing = self.app.planner.settings().spacing_days
        except StoreError as exc:
            self.app.show_store_error(exc)
            return

        def refuse(low: int, spacing: int) -> None:
            error.update(Content(cadence_error(low, spacing)))
            self.query_one("#q-cadence", Input).focus()
            self.call_after_refresh(error.scroll_visible, animate=False)

        low = max(CADENCE.low, spacing)  # never below the spacing (SPEC §4)
        cadence = int(raw) if raw.isdigit() else None
        if cadence is None or not low <= cadence <= CADENCE.high:
            refuse(low, spacing)
            return
        error.update("")
        answers = {f: self.query_one(f"#q-{f}", TickCheckbox).value for f, _ in QUESTIONS}
        recent, ok = self._recent_answers()
        if not ok:
            return

        def save(planner) -> None:
            if cadence != planner.settings().cadence_days:
                planner.set_settings(cadence_days=cadence)
            self._log_recent(planner, recent)
            planner.set_profile(**answers, onboarded=True)

        def saved(_result) -> None:
            error.update("")
            self.dismiss(True)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, BadInput) and exc.field == "cadence_days":
                # e.g. the spacing was raised meanwhile (from the CLI): the words, not the
                # setting's internal name
                try:
                    now = self.app.planner.settings().spacing_days
                except StoreError:
                    now = spacing
                refuse(max(CADENCE.low, now), now)
            else:
                self.app.notify_error(exc)

        self.write(save, saved, failed)

    def on_journal_changed(self, message: JournalChanged) -> None:
        """Another process may accept the notice meanwhile: follow it."""
        try:
            profile = self.app.planner.profile()
        except StoreError:
            return
        if self.step == "notice" and profile.notice_accepted:
            self._show("profile")


__all__ = ["FirstRunScreen", "SAFETY_NOTICE", "NOTICE_TITLE", "QUESTIONS", "RECENT"]
