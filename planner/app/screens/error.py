"""The journal cannot be read: say which file, why, and how to get back. Touch nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Static

from planner.app.base import AppScreen
from planner.app.styles import SCREENS_CSS
from planner.store.errors import JournalUnreadable, StoreError, restore_command


def error_content(exc: StoreError) -> Content:
    path = getattr(exc, "path", None)
    reason = getattr(exc, "reason", None) or str(exc)
    lines: list = []
    if path is not None:
        lines.append(Content.assemble(("File     ", "bold"), str(path)))
    lines.append(Content.assemble(("Problem  ", "bold"), reason))
    if isinstance(exc, JournalUnreadable):
        newest = exc.newest_version
        lines.append(Content.assemble(
            ("Backup   ", "bold"),
            f"{newest} (the newest readable version)" if newest
            else "no readable earlier version was found"))
        lines.append(Content(""))
        lines.append(Content("The file was left exactly as it is: acuplan will not write to it."))
        lines.append(Content.assemble(
            "To get back: quit (ctrl+q) and run ",
            (restore_command(path) if path is not None else "acuplan restore", "bold $accent"),
            " to list the versions and put a readable one in place",
            " (the unreadable file is kept aside, never deleted)."))
        lines.append(Content("This screen closes by itself once the journal is readable again."))
    return Content("\n").join(lines)


class ErrorScreen(AppScreen):
    """Shown instead of the app while the journal is unusable."""

    CSS_PATH = SCREENS_CSS
    TITLE = "Journal unreadable"
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", priority=True)]
    AUTO_FOCUS = None

    def __init__(self, exc: StoreError) -> None:
        super().__init__()
        self.exc = exc

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="error-box", classes="card -blocked"):
            yield Static(Content.assemble(("✕ The journal cannot be read", "bold $error")),
                         id="error-title")
            yield Static(error_content(self.exc), id="error-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#error-box").border_title = "Journal"

    def set_error(self, exc: StoreError) -> None:
        self.exc = exc
        if self.is_mounted:
            self.query_one("#error-text", Static).update(error_content(exc))

    def check_action(self, action: str, parameters) -> bool | None:
        return action in ("quit", "app.quit", "help", "command_palette")


__all__ = ["ErrorScreen", "error_content"]
