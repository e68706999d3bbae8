"""The form that leaves a zone out of routines and sessions (Settings › Zones, `a`): the
zone, why, and optionally until when. Saved with `Planner.exclude` in a write worker; a zone
excluded already is updated with the new reason and date."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from planner.app.forms.dialogs import FieldError, parse_day
from planner.app.forms.submit import SubmitForm, form_row
from planner.domain.vocabulary import EXCLUSION_REASONS, ZONES


class ExclusionFormScreen(SubmitForm):
    """Exclude a zone: dismisses with the zone saved (None when cancelled)."""

    SAVE_LABEL = "Exclude"
    FOCUS_FIRST_ERROR = True

    def __init__(self, zone: str | None = None, reason: str | None = None,
                 until: date | None = None) -> None:
        """`zone`, `reason`, `until`: as shown at first (an excluded zone, to change it)."""
        super().__init__()
        self.zone = zone if zone in ZONES else None
        self.reason = reason if reason in EXCLUSION_REASONS else None
        self.until = until

    def compose(self) -> ComposeResult:
        with Vertical(classes="rec-dialog rec-form rec-small", id="exclusion-form"):
            yield Static("Change an excluded zone" if self.reason else "Exclude a zone",
                         classes="rec-dialog-title")
            yield Static("The builder and the sessions leave it out.", classes="rec-hint")
            # The first field sits near the top of the dialog: a list that opens from it
            # has room above the footer at 80x24 (see records.tcss, #exclusion-form).
            zone = Select([(z, z) for z in ZONES], prompt="choose a zone", id="f-zone",
                          compact=True, value=self.zone or Select.NULL)
            yield form_row("Zone", zone)
            yield FieldError(id="err-zone")
            yield form_row("Reason", Select([(r, r) for r in EXCLUSION_REASONS],
                                            prompt="choose a reason", id="f-reason",
                                            compact=True,
                                            value=self.reason or Select.NULL))
            yield FieldError(id="err-reason")
            until = self.until.isoformat() if self.until else ""
            yield form_row("Until", Input(until, id="f-until", max_length=10, classes="rec-date",
                                          placeholder="YYYY-MM-DD", compact=True),
                           hint=Static("optional; empty: until you include it again",
                                       classes="rec-hint"))
            yield FieldError(id="err-until")
            yield FieldError(id="err-form")
            yield self.buttons()

    def on_mount(self) -> None:
        first = "#f-reason" if self.zone else "#f-zone"
        self.query_one(first, Select).focus()

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        zone = self.query_one("#f-zone", Select).value
        reason = self.query_one("#f-reason", Select).value
        if zone is Select.NULL:
            errors["zone"] = "choose the zone to leave out"
        else:
            values["zone"] = zone
        if reason is Select.NULL:
            errors["reason"] = "choose why (a mole, a scar, broken skin…)"
        else:
            values["reason"] = reason
        raw = self.query_one("#f-until", Input).value.strip()
        values["until"] = None
        if raw:
            today = self.app.planner.today
            try:
                until = parse_day(raw, allow_future=True, what="until")
            except ValueError:
                errors["until"] = "until must be a date as YYYY-MM-DD, or empty"
            else:
                if until < today:
                    errors["until"] = (f"{until.isoformat()} is already past; today is "
                                       f"{today.isoformat()}")
                else:
                    values["until"] = until
        return values, errors

    def save(self, planner, values: dict[str, Any]):
        return planner.exclude(values["zone"], values["reason"], values["until"])

    def saved(self, _profile, values: dict[str, Any]) -> None:
        until: date | None = values["until"]
        when = f" until {until.isoformat()}" if until else ""
        self.app.notify(f"{values['zone']} excluded ({values['reason']}){when}", title="Zones")
        self.dismiss(values["zone"])


__all__ = ["ExclusionFormScreen"]
