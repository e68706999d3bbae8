"""The one way a record form saves: collect → validate → save → notify.

A form subclasses `SubmitForm`, composes its fields (each with a `FieldError` at
`#err-<name>`, and `#err-form` under them all), ends with `yield self.buttons()` and
says what is particular to it:

- `collect()`: the values read from the fields, and a message per field that is wrong;
  with any, the messages are shown and nothing is saved;
- `save(planner, values)`: the service command(s); runs in a write worker (no widgets);
- `saved(result, values)`: back on the UI thread, tell the user and close.

A refusal or a bad input from the service is shown at the field it names, else under
the form; a storage problem goes to the app (its error screen or notice), the one
handler for those. While the save runs, the Save button says so and a second save (or
closing the form) waits.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from planner.app.base import AppModalScreen
from planner.app.forms.dialogs import (
    RECORDS_CSS,
    FieldError,
    clear_errors,
    error_text,
    guard,
    parse_day,
    show_errors,
)
from planner.app.writes import Writes
from planner.service.planner import BadInput, Refused

SAVING_LABEL = "Saving…"


def form_row(label: str, *widgets, hint: Static | None = None) -> Horizontal:
    """A labelled row of a form: the label, its field(s), and an optional hint."""
    children = [Label(label, classes="rec-label"), *widgets]
    if hint is not None:
        children.append(hint)
    return Horizontal(*children, classes="rec-row")


class SubmitForm(Writes, AppModalScreen):
    """A modal record form: ctrl+s, Save or enter in a field saves; esc or Cancel closes
    (dismissing with `CANCELLED`). See the module docstring for what a form defines."""

    CSS_PATH = RECORDS_CSS

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    CANCELLED: object = None
    SAVE_LABEL = "Save"
    FOCUS_FIRST_ERROR = False  # move the focus to the first field found wrong

    def __init__(self) -> None:
        super().__init__(classes="rec-modal")

    def buttons(self) -> Horizontal:
        return Horizontal(
            Button(self._save_label(), variant="primary", id="save", compact=True),
            Button("Cancel (esc)", id="cancel", compact=True),
            classes="rec-buttons")

    def _save_label(self) -> str:
        return f"{self.SAVE_LABEL} (ctrl+s)"

    # ------------------------------------------------------------ shared field reads

    def read_day(self, values: dict[str, Any], errors: dict[str, str]) -> None:
        """The form's date field (#f-date) into values["day"], or its error into
        errors["date"]: every dated form reads it the same way."""
        try:
            values["day"] = parse_day(self.query_one("#f-date", Input).value,
                                      today=self.app.planner.today)
        except ValueError as e:
            errors["date"] = str(e)

    # ------------------------------------------------------------ what a form defines

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:  # pragma: no cover
        raise NotImplementedError

    def save(self, planner, values: dict[str, Any]) -> Any:  # pragma: no cover
        raise NotImplementedError

    def saved(self, result: Any, values: dict[str, Any]) -> None:  # pragma: no cover
        raise NotImplementedError

    def tell_and_close(self, message: ModalScreen, result: Any) -> None:
        """Show `message` (what the save did); closing it closes the form with `result`."""

        def closed(_answer: Any = None) -> None:
            self.dismiss(result)  # not awaited: this runs in the form's own handler

        self.app.push_screen(message, closed)

    def refused(self, exc: BaseException) -> None:
        """The service said no: at the field it names, else under the form. A storage
        problem goes to the app."""
        if not isinstance(exc, (BadInput, Refused)):
            self.app.notify_error(exc)
            return
        field = getattr(exc, "field", None)
        target = f"#err-{field}" if field and self.query(f"#err-{field}") else "#err-form"
        self.query_one(target, FieldError).show(error_text(exc))

    # ------------------------------------------------------------ the template

    @guard
    def action_save(self) -> None:
        if self.saving:
            return
        clear_errors(self)
        values, errors = self.collect()
        if show_errors(self, errors):
            if self.FOCUS_FIRST_ERROR:
                target = self.query(f"#f-{next(iter(errors))}")
                if target:
                    target.first().focus()
            return
        self.write(lambda planner: self.save(planner, values),
                   lambda result: self.saved(result, values), self.refused)

    def show_saving(self, saving: bool) -> None:
        self.set_class(saving, "-saving")
        for button in self.query("#save").results(Button):
            button.label = SAVING_LABEL if saving else self._save_label()
            button.disabled = saving

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @guard
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    @guard
    def action_cancel(self) -> None:
        if self.saving:  # the save decides how the form closes
            return
        self.dismiss(self.CANCELLED)


__all__ = ["SubmitForm", "form_row", "SAVING_LABEL"]
