"""Blocking reasons as plain text: rule id, until when, and the message (hanging indent)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static


def reason_until(reason) -> str:
    if reason.rule == "duration":
        return ""
    if reason.until is None:
        return "until resolved"
    return f"until {reason.until.isoformat()}"


def reason_head(reason, bullet: str = "✕ ") -> Content:
    parts: list = [(bullet, "bold $text-error"), (reason.rule, "bold")]
    until = reason_until(reason)
    if until:
        parts += ["  ", (until, "$warning")]
    return Content.assemble(*parts)


def reasons_content(reasons: Iterable, *, empty: str = "", bullet: str = "✕ ") -> Content:
    """One reason per two lines: "✕ rule-id  until …" then the message. Never markup."""
    lines: list[Content] = []
    for r in reasons:
        lines.append(reason_head(r, bullet))
        lines.append(Content("  " + r.message))
    if not lines:
        return Content(empty)
    return Content("\n").join(lines)


class ReasonsList(Vertical):
    """Every blocking reason of a verdict; messages wrap under their rule, plain text only."""

    DEFAULT_CSS = """
    ReasonsList { height: auto; }
    ReasonsList > .reason-head { height: auto; }
    ReasonsList > .reason-message { height: auto; padding: 0 0 0 2; }
    """

    def __init__(self, reasons: Iterable = (), *, empty: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._empty = empty
        self._reasons = tuple(reasons)

    @property
    def content(self) -> Content:
        """The whole list as one plain Content (what tests and the palette read)."""
        return reasons_content(self._reasons, empty=self._empty)

    def compose(self):
        yield from self._rows()

    def _rows(self):
        if not self._reasons and self._empty:
            yield Static(Content(self._empty), classes="reason-message", markup=False)
        for r in self._reasons:
            yield Static(reason_head(r), classes="reason-head", markup=False)
            yield Static(Content(r.message), classes="reason-message", markup=False)

    def set_reasons(self, reasons: Iterable, empty: str | None = None) -> None:
        if empty is not None:
            self._empty = empty
        reasons = tuple(reasons)
        if reasons == self._reasons and self.children:
            return
        self._reasons = reasons
        if self.is_mounted:
            self.remove_children()
            self.mount_all(list(self._rows()))


__all__ = ["ReasonsList", "reasons_content", "reason_until", "reason_head"]
