"""The form that logs a past session (one done without the guide) or corrects one."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Select, Static

from planner.app.forms.dialogs import FieldError, MessageScreen, note_error, parse_int
from planner.app.forms.notices import marked_paragraphs
from planner.app.forms.submit import SubmitForm, form_row
from planner.domain.models import OUTCOMES
from planner.service.planner import MAX_LOG_MINUTES

OUTCOME_LABELS = {"completed": "completed (ran to the end)",
                  "partial": "partial (ended early)",
                  "aborted": "aborted (stopped: unwell)"}


class SessionFormScreen(SubmitForm):
    """Record a past session, or correct one (date, minutes, outcome, note).

    What happened is never refused (SPEC §3.2): a session that broke a rule is
    saved with its violations, which are shown after saving.
    """

    def __init__(self, record: dict | None = None) -> None:
        super().__init__()
        self.record = dict(record) if record else None

    def compose(self) -> ComposeResult:
        rec = self.record or {}
        with Vertical(classes="rec-dialog rec-form rec-small", id="session-form"):
            yield Static(Content(f"{'Edit' if self.record else 'Log a past'} session"),
                         classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield form_row("Date", Input(rec.get("date") or self.app.planner.today.isoformat(),
                                             id="f-date", max_length=10, classes="rec-date",
                                             compact=True),
                               hint=Static("YYYY-MM-DD, not in the future", classes="rec-hint"))
                yield FieldError(id="err-date")
                yield form_row("Minutes", Input(str(rec.get("minutes", 10)), id="f-minutes",
                                                max_length=3, classes="rec-num",
                                                restrict=r"-?[0-9]*", compact=True),
                               hint=Static(f"1–{MAX_LOG_MINUTES}", classes="rec-hint"))
                yield FieldError(id="err-minutes")
                yield form_row("Routine", Select(self._routine_options(rec.get("routine")),
                                                 prompt="no routine / my own way",
                                                 value=rec.get("routine") or Select.NULL,
                                                 id="f-routine", compact=True))
                outcome = rec.get("outcome") if rec.get("outcome") in OUTCOMES else "completed"
                yield form_row("Outcome", Select([(OUTCOME_LABELS[o], o) for o in OUTCOMES],
                                                 allow_blank=False, value=outcome,
                                                 id="f-outcome", compact=True))
                yield form_row("Note", Input(rec.get("note") or "", id="f-note", compact=True,
                                             placeholder="how it went"))
                yield FieldError(id="err-note")
            yield FieldError(id="err-form")
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#f-minutes", Input).focus()

    def _routine_options(self, current: str | None) -> list[tuple[Content, str]]:
        """The library's routines by name; a routine the record names that the library no
        longer has stays choosable, so an edit does not drop it silently."""
        try:
            routines = self.app.get_library().routines.values()
        except Exception:  # a library that cannot be read leaves the field with the record's
            routines = []
        out = [(Content(f"{r.name} ({r.id})"), r.id)
               for r in sorted(routines, key=lambda r: r.name.lower())]
        if current and not any(v == current for _, v in out):
            out.insert(0, (Content(f"{current} (not in the library now)"), current))
        return out

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {"note": self.query_one("#f-note", Input).value}
        errors: dict[str, str] = {}
        self.read_day(values, errors)
        try:
            values["minutes"] = parse_int(self.query_one("#f-minutes", Input).value, 1,
                                          MAX_LOG_MINUTES, "minutes")
        except ValueError as e:
            errors["minutes"] = str(e)
        if why := note_error(values["note"]):
            errors["note"] = why
        outcome = self.query_one("#f-outcome", Select).value
        values["outcome"] = outcome if outcome in OUTCOMES else "completed"
        routine = self.query_one("#f-routine", Select).value
        values["routine"] = None if routine is Select.NULL else str(routine)
        return values, errors

    def save(self, planner, values: dict[str, Any]):
        day, minutes, outcome, note = (values["day"], values["minutes"], values["outcome"],
                                       values["note"])
        routine = values["routine"]
        if self.record:
            return planner.edit_session(self.record["id"], day=day, minutes=minutes,
                                        routine=routine, outcome=outcome, note=note)
        return planner.log_session(day, minutes, routine=routine, outcome=outcome, note=note)

    def saved(self, logged, values: dict[str, Any]) -> None:
        day, minutes, outcome = values["day"], values["minutes"], values["outcome"]
        saved = {"id": logged.id, "date": day.isoformat(), "minutes": minutes,
                 "outcome": outcome}
        violations = [f"{v.rule}: {v.message}" for v in logged.violations]
        marked = marked_paragraphs(logged.marked)
        if violations:
            self.tell_and_close(MessageScreen(
                "Session saved — it broke a safety rule",
                [*violations, "It is kept as it happened, counts for spacing and ends the "
                              "session streak.", *marked], "warning"), saved)
        elif marked:
            self.tell_and_close(MessageScreen(
                f"Session of {day.isoformat()} saved ({minutes} min, {outcome})", marked,
                "warning"), saved)
        else:
            self.app.notify(f"Session of {day.isoformat()} saved ({minutes} min, {outcome})",
                            title="Journal")
            self.dismiss(saved)


__all__ = ["SessionFormScreen", "OUTCOME_LABELS"]
