"""The form for a product use, a procedure or an injectable, and what it does to sessions."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Input, Select, Static

from planner.app.forms.dialogs import FieldError, MessageScreen, guard, note_error
from planner.app.forms.notices import marked_paragraphs
from planner.app.forms.submit import SubmitForm, form_row
from planner.app.widgets.ticks import TickCheckbox
from planner.domain.models import PRODUCT_NAME_LIMIT
from planner.domain.vocabulary import INJECTABLE_KINDS, PROCEDURE_KINDS, PRODUCT_KINDS

ACTIVITY = {
    # table: (word, kinds)
    "products": ("product", PRODUCT_KINDS),
    "procedures": ("procedure", PROCEDURE_KINDS),
    "injectables": ("injectable", INJECTABLE_KINDS),
}


class ActivityFormScreen(SubmitForm):
    """A product use, procedure or injectable, new or edited; shows its effect on sessions."""

    def __init__(self, table: str, record: dict | None = None) -> None:
        if table not in ACTIVITY:
            raise ValueError(f"unknown activity table {table!r}")
        super().__init__()
        self.table = table
        self.record = dict(record) if record else None

    def compose(self) -> ComposeResult:
        word, kinds = ACTIVITY[self.table]
        rec = self.record or {}
        kind = rec.get("kind") if rec.get("kind") in kinds else kinds[0]
        with Vertical(classes="rec-dialog rec-form rec-small", id="activity-form"):
            yield Static(Content(f"{'Edit' if self.record else 'New'} {word}"),
                         classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                if self.by_name:
                    own = self.app.planner.profile().products
                    yield form_row("My product", Select(
                        [(Content(f"{p.name} · {p.kind}" + (f" · {p.brand}" if p.brand
                                                             else "")), p.name) for p in own],
                        prompt="not one of mine" if own else "none kept yet",
                        id="f-own", compact=True))
                    yield form_row("Name", Input("", id="f-name", compact=True,
                                                 max_length=PRODUCT_NAME_LIMIT,
                                                 placeholder="e.g. Retinol 0.5% (optional)"))
                    yield FieldError(id="err-name")
                    yield TickCheckbox("Keep it in my products", id="f-keep")
                yield form_row("Kind", Select([(k, k) for k in kinds], allow_blank=False,
                                              value=kind, id="f-kind", compact=True))
                yield FieldError(id="err-kind")
                yield form_row("Date", Input(rec.get("date") or self.app.planner.today.isoformat(),
                                             id="f-date", max_length=10, classes="rec-date",
                                             compact=True),
                               hint=Static("YYYY-MM-DD, not in the future", classes="rec-hint"))
                yield FieldError(id="err-date")
                yield form_row("Note", Input(rec.get("note") or "", id="f-note",
                                             placeholder="product name, clinic, …", compact=True))
                yield FieldError(id="err-note")
            yield FieldError(id="err-form")
            yield self.buttons()

    @property
    def by_name(self) -> bool:
        """A new product use may be logged by the user's own product name."""
        return self.table == "products" and self.record is None

    @guard
    def on_mount(self) -> None:
        first = "#f-own" if self.by_name and self.app.planner.profile().products else "#f-kind"
        self.query_one(first, Select).focus()

    @on(Select.Changed, "#f-own")
    def _own_chosen(self, event: Select.Changed) -> None:
        """Picking one of the user's products fills its name and kind (the rules' word)."""
        own = self.app.planner.profile().own_product(str(event.value)) \
            if event.value is not Select.NULL else None
        if own is not None:
            self.query_one("#f-name", Input).value = own.name
            self.query_one("#f-kind", Select).value = own.kind

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        _, kinds = ACTIVITY[self.table]
        values: dict[str, Any] = {"kind": self.query_one("#f-kind", Select).value,
                                  "note": self.query_one("#f-note", Input).value}
        errors: dict[str, str] = {}
        if values["kind"] not in kinds:
            errors["kind"] = f"choose one of: {', '.join(kinds)}"
        self.read_day(values, errors)
        if why := note_error(values["note"]):
            errors["note"] = why
        values["name"], values["keep"] = None, False
        if self.by_name:
            name = " ".join(self.query_one("#f-name", Input).value.split())
            values["name"] = name or None
            values["keep"] = self.query_one("#f-keep", Checkbox).value
            own = self.app.planner.profile().own_product(name) if name else None
            if values["keep"] and not name:
                errors["name"] = "give the product's name to keep it"
            elif own is not None and own.kind != values["kind"]:
                errors["name"] = (f"{own.name} is kept as a {own.kind}; choose that kind, "
                                  "or another name")
        return values, errors

    def save(self, planner, values: dict[str, Any]):
        word, _ = ACTIVITY[self.table]
        kind, day, note = values["kind"], values["day"], values["note"]
        if self.record:
            logged = planner.edit_exposure(self.record["id"], kind=kind, day=day, note=note)
        elif self.by_name:
            logged = planner.log_product(kind, day, note, product=values["name"],
                                         keep=values["keep"] and values["name"] is not None)
        else:
            logged = getattr(planner, f"log_{word}")(kind, day, note)
        return logged, activity_impact(planner, self.table, day)

    def saved(self, result, values: dict[str, Any]) -> None:
        logged, impact = result
        word, _ = ACTIVITY[self.table]
        kind, day, note = values["kind"], values["day"], values["note"]
        saved = {"id": logged.id, "kind": kind, "date": day.isoformat(), "note": note}
        what = f"{values['name']} ({kind})" if values.get("name") else kind
        self.tell_and_close(
            MessageScreen(f"{word.capitalize()} saved: {what} on {day.isoformat()}",
                          impact + marked_paragraphs(logged.marked), "info"), saved)


def activity_impact(planner, table: str, day: date) -> list[str]:
    """Plain words on what a product/procedure/injectable on `day` does to sessions."""
    word, _ = ACTIVITY[table]
    reason = planner.exposure_wait(table, day)
    out = []
    if reason is not None and reason.until is not None:
        out.append(f"No session before {reason.until.isoformat()} "
                   f"({reason.rule}: {reason.message}).")
    else:
        out.append(f"This {word} does not block a session today.")
    for pv in planner.plan_views():
        if not pv.verdict.allowed:
            out.append(f"Your plan on {pv.plan.date.isoformat()} is now blocked — move it "
                       "from the Plan screen (p).")
    return out


__all__ = ["ActivityFormScreen", "ACTIVITY", "activity_impact"]
