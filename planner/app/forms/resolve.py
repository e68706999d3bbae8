"""The form that lifts the hold of a severe skin record or of a warning sign."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Static

from planner.app.entries import skin_summary
from planner.app.forms.dialogs import FieldError, guard
from planner.app.forms.submit import SubmitForm, form_row
from planner.app.widgets.ticks import TickCheckbox


class ResolveScreen(SubmitForm):
    """Lift the hold of a severe record (a date) or a red flag (a date and clearance)."""

    SAVE_LABEL = "Resolve"
    BINDINGS = [Binding("ctrl+s", "save", "Resolve", priority=True)]
    CANCELLED = False

    def __init__(self, item: dict) -> None:
        super().__init__()
        self.item = item

    @property
    def red_flag(self) -> bool:
        return self.item.get("class") == "red-flag"

    def compose(self) -> ComposeResult:
        with Vertical(classes="rec-dialog rec-form rec-small", id="resolve-form"):
            yield Static(Content(f"Resolve the hold of {self.item['date']} "
                                 f"({self.item.get('class')})"), classes="rec-dialog-title")
            yield Static(Content(skin_summary(self.item)), classes="rec-dialog-body")
            yield form_row("Resolved on", Input(self.app.planner.today.isoformat(), id="f-date",
                                                max_length=10, classes="rec-date",
                                                compact=True))
            yield FieldError(id="err-date")
            if self.red_flag:
                yield Static("A warning sign can only be resolved once a clinician has "
                             "cleared you.", classes="rec-dialog-body")
                yield TickCheckbox("Cleared by a clinician?", id="f-cleared")
            yield FieldError(id="err-form")
            yield self.buttons()

    @guard
    def on_mount(self) -> None:
        self.query_one("#f-date", Input).focus()

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        self.read_day(values, errors)
        if errors:
            return values, errors
        values["cleared"] = self.red_flag and self.query_one("#f-cleared", Checkbox).value
        if self.red_flag and not values["cleared"]:
            errors["form"] = ("Refused: a warning sign stays on hold until a clinician has "
                              "cleared you. Tick \"Cleared by a clinician?\" only when one has.")
        return values, errors

    def save(self, planner, values: dict[str, Any]):
        return planner.resolve([self.item["id"]], values["day"],
                               cleared_by_clinician=bool(values["cleared"]))

    def saved(self, _result, values: dict[str, Any]) -> None:
        self.app.notify(f"Hold of {self.item['date']} resolved on {values['day'].isoformat()}",
                        title="Journal")
        self.dismiss(True)


__all__ = ["ResolveScreen"]
