"""Small building blocks shared by the records screens (journal, settings, routines).

Modal dialogs (confirm, message), an error label that sits under a field, the parsing
of what a user typed into a field, and `guard` for a store error while reading. User
text is always shown as plain `Content`, never parsed as markup.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from planner.app.styles import RECORDS_CSS
from planner.service.planner import BadInput, check_note
from planner.store.errors import StoreError


class FieldError(Label):
    """The message under a field; hidden while empty."""

    DEFAULT_CSS = """
    FieldError { color: $error; text-style: bold; width: 100%; height: auto; display: none;
                 padding: 0 0 0 1; }
    FieldError.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.message = ""

    def show(self, message: str) -> None:
        self.message = message
        self.update(Content("⚠ " + message))
        self.set_class(bool(message), "-shown")

    def clear(self) -> None:
        self.message = ""
        self.update("")
        self.remove_class("-shown")


def clear_errors(node) -> None:
    """Hide every field error under `node`: the form is about to check its fields again."""
    for err in node.query(FieldError):
        err.clear()


def show_errors(node, errors: dict[str, str]) -> bool:
    """Show each message at its field's `#err-<name>`; True if there was any."""
    for name, message in errors.items():
        node.query_one(f"#err-{name}", FieldError).show(message)
    return bool(errors)


def note_error(note: str) -> str | None:
    """The service's own refusal of a note, shown at the field before anything is saved."""
    try:
        check_note(note)
    except BadInput as e:
        return str(e)
    return None


def parse_day(text: str, *, today: date | None = None, allow_future: bool = False,
              what: str = "date") -> date:
    """A YYYY-MM-DD date from a field; ValueError with a message for the user."""
    text = (text or "").strip()
    try:
        if len(text) != 10:
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} must be a real date as YYYY-MM-DD, e.g. 2026-12-01") from None
    if today is not None and not allow_future and day > today:
        raise ValueError(f"{what} {day.isoformat()} is in the future; today is "
                         f"{today.isoformat()}")
    return day


def parse_int(text: str, low: int, high: int, what: str) -> int:
    """A whole number in [low, high] from a field; ValueError with the allowed range."""
    text = (text or "").strip()
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{what}: enter a whole number {low}–{high}") from None
    if not low <= value <= high:
        raise ValueError(f"{what} must be {low}–{high}, got {value}")
    return value


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses True only on an explicit yes."""

    CSS_PATH = RECORDS_CSS

    BINDINGS = [
        Binding("y", "yes", "Yes"),
        Binding("n,escape", "no", "No"),
    ]

    def __init__(self, question: str, detail: str = "", yes_label: str = "Delete") -> None:
        super().__init__(classes="rec-modal")
        self.question = question
        self.detail = detail
        self.yes_label = yes_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="rec-dialog rec-confirm"):
            yield Static(Content(self.question), classes="rec-dialog-title")
            if self.detail:
                yield Static(Content(self.detail), classes="rec-dialog-body")
            with Horizontal(classes="rec-buttons"):
                yield Button(f"{self.yes_label} (y)", variant="error", id="confirm-yes",
                             compact=True)
                yield Button("Cancel (n)", variant="default", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class MessageScreen(ModalScreen[None]):
    """A prominent message: a title and plain-text paragraphs. `tone` picks the border."""

    CSS_PATH = RECORDS_CSS

    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, title: str, paragraphs: Iterable[str], tone: str = "info") -> None:
        super().__init__(classes="rec-modal")
        self.title_text = title
        self.paragraphs = list(paragraphs)
        self.tone = tone

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"rec-dialog rec-message -{self.tone}"):
            yield Static(Content(self.title_text), classes="rec-dialog-title", id="message-title")
            with VerticalScroll(classes="rec-message-body"):
                for i, text in enumerate(self.paragraphs):
                    yield Static(Content(text), classes="rec-paragraph", id=f"message-{i}")
            with Horizontal(classes="rec-buttons"):
                yield Button("OK (enter)", variant="primary", id="message-ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#message-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    @property
    def text(self) -> str:
        return "\n".join([self.title_text, *self.paragraphs])


def error_text(exc: BaseException) -> str:
    """The one-line message of a BadInput/Refused/ValueError, with reasons if any."""
    reasons = getattr(exc, "reasons", ())
    msg = str(exc)
    if reasons:
        msg += ": " + "; ".join(getattr(r, "message", str(r)) for r in reasons)
    return msg


def guard(method):
    """Run a screen method; a StoreError (unreadable, busy, not writable) goes to the app's
    error handling (its error screen or a notice), never a traceback."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StoreError as exc:
            self.app.notify_error(exc)
            return None

    return wrapper
