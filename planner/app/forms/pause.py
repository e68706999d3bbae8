"""The form that pauses sessions for a while (travel, illness, …): the streak waits."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Select, Static

from planner.app.forms.dialogs import FieldError, note_error, parse_day
from planner.app.forms.submit import SubmitForm, form_row
from planner.domain.vocabulary import PAUSE_REASONS


class PauseFormScreen(SubmitForm):
    """A date range without sessions (travel, illness, …): the streak is frozen meanwhile."""

    def compose(self) -> ComposeResult:
        today = self.app.planner.today.isoformat()
        with Vertical(classes="rec-dialog rec-form rec-small", id="pause-form"):
            yield Static("Pause sessions", classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield form_row("From", Input(today, id="f-start", max_length=10,
                                             classes="rec-date", compact=True),
                               hint=Static("YYYY-MM-DD", classes="rec-hint"))
                yield FieldError(id="err-start")
                yield form_row("To", Input(today, id="f-end", max_length=10, classes="rec-date",
                                           compact=True),
                               hint=Static("last day of the pause, at most a year",
                                           classes="rec-hint"))
                yield FieldError(id="err-end")
                yield form_row("Reason", Select([(r, r) for r in PAUSE_REASONS],
                                                allow_blank=False, value=PAUSE_REASONS[0],
                                                id="f-reason", compact=True))
                yield form_row("Note", Input("", id="f-note", compact=True,
                                             placeholder="optional"))
                yield FieldError(id="err-note")
            yield FieldError(id="err-form")
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#f-start", Input).focus()

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {"note": self.query_one("#f-note", Input).value,
                                  "reason": self.query_one("#f-reason", Select).value}
        errors: dict[str, str] = {}
        for name, what in (("start", "from"), ("end", "to")):
            try:
                values[name] = parse_day(self.query_one(f"#f-{name}", Input).value,
                                         allow_future=True, what=what)
            except ValueError as e:
                errors[name] = str(e)
        if why := note_error(values["note"]):
            errors["note"] = why
        return values, errors

    def save(self, planner, values: dict[str, Any]):
        return planner.pause(values["start"], values["end"], values["reason"], values["note"])

    def saved(self, pause, values: dict[str, Any]) -> None:
        self.app.notify(f"No sessions from {pause.start.isoformat()} to {pause.end.isoformat()} "
                        f"({values['reason']}); the streak waits.", title="Pause saved")
        self.dismiss({"id": pause.id})


__all__ = ["PauseFormScreen"]
