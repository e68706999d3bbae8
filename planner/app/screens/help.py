"""Help (?): the keys of every section and the full safety notice."""

from __future__ import annotations

import importlib

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from planner.app import sections
from planner.app.base import AppScreen
from planner.app.screens.first_run import NOTICE_TITLE, SAFETY_NOTICE
from planner.app.styles import SCREENS_CSS

Rows = tuple[tuple[str, str], ...]


def _screen_keys(app, screen_cls) -> Rows:
    """The keys a section screen class declares, as (key, description)."""
    rows = []
    for b in getattr(screen_cls, "BINDINGS", ()):
        if not isinstance(b, Binding):
            b = Binding(*b)
        if not b.description:
            continue
        key = b.key_display or (app.get_key_display(b) if app is not None else b.key)
        rows.append((key, b.description))
    return tuple(rows)


def section_rows(section: sections.Section, app=None) -> Rows:
    """Help's rows for a section: its own (registry), else its screen's key bindings."""
    if section.help_rows is not None:
        return section.help_rows
    screen_cls = getattr(importlib.import_module(section.module), section.screen)
    return _screen_keys(app, screen_cls)


def help_keys(app=None) -> tuple[tuple[str, Rows], ...]:
    """Every row of Help, under its heading: everywhere, each section, the session."""
    from planner.app.forms.data import HELP_ROWS as DATA_ROWS  # export, import, …

    out: list[tuple[str, Rows]] = [("Everywhere", sections.EVERYWHERE_ROWS + DATA_ROWS)]
    for section in sections.SECTIONS:
        out.append((section.help_title, section_rows(section, app)))
        if section is sections.SESSION_HELP_AFTER:
            out.append(("Session", sections.SESSION_ROWS))
    return tuple(out)


def keys_content(keys) -> Content:
    lines: list[Content] = []
    for section, rows in keys:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(section, "bold $accent"))
        for key, what in rows:
            lines.append(Content.assemble(("  " + key.ljust(16), "bold"), what))
    return Content("\n").join(lines)


class KeyTable(Vertical):
    """Sections of (key, what) rows; descriptions wrap beside their key."""

    DEFAULT_CSS = """
    KeyTable { height: auto; }
    KeyTable > .keys-title { text-style: bold; color: $text-accent; height: auto;
                             margin: 1 0 0 0; }
    KeyTable > .keys-title.-first { margin: 0; }
    KeyTable > .keys-row { height: auto; }
    KeyTable .keys-key { width: 18; text-style: bold; padding: 0 0 0 2; }
    KeyTable .keys-what { width: 1fr; }
    """

    def __init__(self, keys, **kwargs) -> None:
        super().__init__(**kwargs)
        self.keys = keys

    @property
    def content(self) -> Content:
        return keys_content(self.keys)

    def compose(self) -> ComposeResult:
        for i, (section, rows) in enumerate(self.keys):
            yield Static(section, classes="keys-title" + (" -first" if i == 0 else ""),
                         markup=False)
            for key, what in rows:
                with Horizontal(classes="keys-row"):
                    yield Static(key, classes="keys-key", markup=False)
                    yield Static(what, classes="keys-what", markup=False)


class HelpScreen(AppScreen):
    CSS_PATH = SCREENS_CSS
    TITLE = "Help"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield KeyTable(help_keys(self.app), id="help-keys", classes="card")
            yield Static(SAFETY_NOTICE, id="help-notice", classes="card", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-keys").border_title = "Keys"
        self.query_one("#help-notice").border_title = NOTICE_TITLE
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss()


__all__ = ["HelpScreen", "help_keys", "section_rows", "keys_content"]
