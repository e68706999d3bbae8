"""A small modal question with a few answers, each a button and a key.

Used where the app must ask before it does something (ending a session early, a plan
that has passed with no session, a routine that does not fit today). Title and
paragraphs are plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


def _key_words(key: str) -> str:
    return {"escape": "esc", "enter": "enter"}.get(key, key)


ButtonVariant = Literal["default", "primary", "success", "warning", "error"]


class Choice(NamedTuple):
    value: str
    label: str
    key: str
    variant: ButtonVariant = "default"


class ChoiceScreen(ModalScreen[str | None]):
    """Dismisses with the value of the answer chosen (button, its key), or `cancel` on esc."""

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; background: $background 60%; }
    ChoiceScreen > #choice-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ChoiceScreen > #choice-box.-warning { border: thick $warning; }
    ChoiceScreen > #choice-box.-danger { border: thick $error; }
    ChoiceScreen #choice-title { text-style: bold; color: $text-accent; height: auto; }
    ChoiceScreen #choice-body { height: auto; max-height: 14; }
    ChoiceScreen .choice-text { height: auto; padding: 1 0 0 0; }
    ChoiceScreen #choice-buttons { height: auto; padding: 1 0 0 0; }
    ChoiceScreen #choice-buttons Button { margin: 0 1 0 0; }
    """

    def __init__(self, title: str, paragraphs: Iterable[str], choices: Iterable[Choice], *,
                 cancel: str | None = None, focus: str | None = None,
                 tone: str = "info") -> None:
        super().__init__()
        self.title_text = title
        self.paragraphs = [p for p in paragraphs if p]
        self.choices = list(choices)
        self.cancel = cancel
        self.focus_value = focus or (self.choices[0].value if self.choices else None)
        self.tone = tone

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box", classes=f"-{self.tone}"):
            yield Static(Content(self.title_text), id="choice-title")
            with VerticalScroll(id="choice-body"):
                for i, text in enumerate(self.paragraphs):
                    yield Static(Content(text), classes="choice-text", id=f"choice-text-{i}")
            with Horizontal(id="choice-buttons"):
                for c in self.choices:
                    yield Button(f"{c.label} ({_key_words(c.key)})", id=f"choice-{c.value}",
                                 variant=c.variant, compact=True)

    def on_mount(self) -> None:
        if self.focus_value is not None:
            self.query_one(f"#choice-{self.focus_value}", Button).focus()

    @property
    def text(self) -> str:
        """Everything the dialog says, as plain text (for tests and screen readers)."""
        return "\n".join([self.title_text, *self.paragraphs,
                          *(f"{c.label} ({_key_words(c.key)})" for c in self.choices)])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        value = (event.button.id or "").removeprefix("choice-")
        if any(c.value == value for c in self.choices):
            self.dismiss(value)

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            event.prevent_default()
            self.dismiss(self.cancel)
            return
        for c in self.choices:
            if event.key == c.key:
                event.stop()
                event.prevent_default()
                self.dismiss(c.value)
                return


__all__ = ["Choice", "ChoiceScreen"]
