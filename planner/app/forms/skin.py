"""The check-in / reaction form, and what to tell the user after one is saved.

Skin records that need attention (moderate, severe, red flag) end in a prominent message
saying what to do in plain words, emergencies first. User text is always plain text.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from planner.app.entries import scale_anchor_04, scale_anchor_nrs
from planner.app.forms.dialogs import FieldError, MessageScreen, guard, note_error, parse_int
from planner.app.forms.notices import marked_paragraphs, refusal_screen
from planner.app.forms.submit import SubmitForm, form_row
from planner.app.widgets.ticks import TickSelectionList
from planner.domain.classify import RED_FLAGS, red_flag_advice
from planner.domain.vocabulary import FLAGS, ZONES
from planner.service.planner import Refused, SkinResult

SCALES = {
    # field: (label, high, anchor function, legend)
    "redness": ("Redness", 4, scale_anchor_04,
                "0 none, 1 very slight, 2 well-defined, 3 moderate, 4 severe"),
    "swelling": ("Swelling", 4, scale_anchor_04, "same 0–4 scale as redness"),
    "itch": ("Itch", 10, scale_anchor_nrs, "0 none, 1–3 mild, 4–6 moderate, 7–10 severe"),
    "burning": ("Burning", 10, scale_anchor_nrs, "burning or stinging, same 0–10 scale"),
}


class SkinFormScreen(SubmitForm):
    """A check-in or a reaction, new or edited. Dismisses with the SkinResult or None."""

    FOCUS_FIRST_ERROR = True

    def __init__(self, kind: str = "checkin", session_id: str | None = None,
                 record: dict | None = None) -> None:
        super().__init__()
        self.record = dict(record) if record else None
        self.kind = (self.record or {}).get("kind") or kind
        self.session_id = session_id or (self.record or {}).get("session_id")

    # .......................................................... compose

    def compose(self) -> ComposeResult:
        planner = self.app.planner
        rec = self.record or {}
        word = "check-in" if self.kind == "checkin" else "reaction"
        title = f"{'Edit' if self.record else 'New'} {word}"
        with Vertical(classes="rec-dialog rec-form", id="skin-form"):
            yield Static(Content(title), classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield form_row("Date", Input(rec.get("date") or planner.today.isoformat(),
                                             id="f-date", max_length=10, classes="rec-date",
                                             compact=True),
                               hint=Static("YYYY-MM-DD, not in the future", classes="rec-hint"))
                yield FieldError(id="err-date")
                if self.record and self.kind == "checkin":
                    yield Static("One check-in per date: saving updates this one.",
                                 classes="rec-legend", id="f-one-per-day")
                if self.kind == "reaction":
                    yield form_row("Session", Select(self._session_options(),
                                                     prompt="no session",
                                                     value=self._session_value(),
                                                     id="f-session", compact=True))
                    yield FieldError(id="err-session")
                for name, (label, high, _anchor, legend) in SCALES.items():
                    value = int(rec.get(name, 0) or 0)
                    yield form_row(f"{label} 0–{high}",
                                   Input(str(value), id=f"f-{name}", max_length=3,
                                         classes="rec-num", restrict=r"-?[0-9]*", compact=True),
                                   hint=Static(self._anchor_text(name, str(value)),
                                               id=f"a-{name}", classes="rec-anchor"))
                    yield Static(legend, classes="rec-legend")
                    yield FieldError(id=f"err-{name}")
                yield Label("Flags (space toggles; warning signs marked ▲)",
                            classes="rec-label-wide")
                yield TickSelectionList(*self._flag_selections(rec.get("flags") or ()),
                                         id="f-flags")
                zone = rec.get("zone")
                yield form_row("Zone", Select([(z, z) for z in ZONES], prompt="no zone",
                                              value=zone if zone in ZONES else Select.NULL,
                                              id="f-zone", compact=True))
                yield form_row("Note", Input(rec.get("note") or "", id="f-note",
                                             placeholder="anything worth remembering",
                                             compact=True))
                yield FieldError(id="err-note")
            yield FieldError(id="err-form")
            yield self.buttons()

    def _session_options(self) -> list[tuple[Content, str]]:
        sessions = sorted(self.app.planner.state().history.sessions,
                          key=lambda s: (s.date, s.id), reverse=True)[:12]
        out = []
        for s in sessions:
            label = f"{s.date.isoformat()} · {s.minutes} min"
            if s.routine:
                label += f" · {s.routine}"
            if not s.completed:
                label += f" · {s.outcome}"
            out.append((Content(label), s.id))
        if self.session_id and not any(v == self.session_id for _, v in out):
            out.insert(0, (Content(f"session {self.session_id}"), self.session_id))
        return out

    def _session_value(self):
        return self.session_id if self.session_id else Select.NULL

    @staticmethod
    def _flag_selections(chosen) -> list[Selection]:
        return [Selection(f"{'▲ ' if f in RED_FLAGS else '  '}{f}", f, f in chosen)
                for f in FLAGS]

    @staticmethod
    def _anchor_text(name: str, raw: str) -> str:
        label, high, anchor, _ = SCALES[name]
        try:
            v = int(raw)
        except ValueError:
            return f"enter 0–{high}"
        if not 0 <= v <= high:
            return f"out of range (0–{high})"
        return f"{v} — {anchor(v)}"

    @guard
    def on_mount(self) -> None:
        self.query_one("#f-redness", Input).focus()

    @on(Input.Changed)
    def _live_anchor(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        if name in SCALES:
            self.query_one(f"#a-{name}", Static).update(self._anchor_text(name, event.value))
            self.query_one(f"#err-{name}", FieldError).clear()
        elif name == "date":
            self.query_one("#err-date", FieldError).clear()

    # ............................................................. save

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        self.read_day(values, errors)
        for name, (label, high, _, _) in SCALES.items():
            try:
                values[name] = parse_int(self.query_one(f"#f-{name}", Input).value, 0, high,
                                         label.lower())
            except ValueError as e:
                errors[name] = str(e)
        values["flags"] = list(self.query_one("#f-flags", SelectionList).selected)
        zone = self.query_one("#f-zone", Select).value
        values["zone"] = None if zone is Select.NULL else zone
        values["note"] = self.query_one("#f-note", Input).value
        if why := note_error(values["note"]):
            errors["note"] = why
        if self.kind == "reaction":
            sid = self.query_one("#f-session", Select).value
            values["session_id"] = None if sid is Select.NULL else sid
        else:
            values["session_id"] = self.session_id
        return values, errors

    def save(self, planner, values: dict[str, Any]) -> SkinResult:
        fields = {k: values[k] for k in ("redness", "swelling", "itch", "burning", "flags",
                                         "zone", "note")}
        if self.record:
            extra = {"session_id": values["session_id"]} if self.kind == "reaction" else {}
            return planner.edit_skin(self.record["id"], day=values["day"], **extra, **fields)
        return planner.log_skin(self.kind, values["day"], session_id=values["session_id"],
                                **fields)

    def refused(self, exc: BaseException) -> None:
        super().refused(exc)
        if isinstance(exc, Refused):  # a record that holds sessions: say how to lift it
            open_hold = (self.record is not None
                         and self.record["id"] in self.app.planner.open_hold_ids())
            self.app.push_screen(refusal_screen(exc, open_hold))

    def saved(self, result: SkinResult, values: dict[str, Any]) -> None:
        word = "Check-in" if self.kind == "checkin" else "Reaction"
        done = "updated" if result.updated else "saved"
        if result.updated and not self.record:  # the date had a check-in: that one changed
            done = f"of {result.record.date.isoformat()} updated (one check-in per date)"
        message = skin_result_message(result, self.app.planner.today)
        marked = marked_paragraphs(result.marked)
        if message is None and not marked:
            self.app.notify(f"{word} {done} (class: {result.cls})", title="Journal")
            self.dismiss(result)
            return
        paragraphs: list[str]
        if message is None:
            title, paragraphs, tone = f"{word} {done} (class: {result.cls})", [], "warning"
        else:
            title, paragraphs, tone = message
        self.tell_and_close(MessageScreen(title, [*paragraphs, *marked], tone), result)


def skin_result_message(result: SkinResult, today: date) -> tuple[str, list[str], str] | None:
    """What to tell the user after a skin record: (title, paragraphs, tone), or None."""
    rec, cls = result.record, result.cls
    if cls == "red-flag":
        advice = list(result.advice) or list(red_flag_advice(rec.flags))
        return ("▲ Warning sign — stop and get help", [
            *advice,
            "Do not treat this with acupressure, gua sha or rolling.",
            "Sessions are on hold until a clinician has cleared you. When they have, "
            "resolve the hold in the Journal (v) and tick \"cleared by a clinician\".",
        ], "danger")
    if cls == "severe":
        extra = [a for a in red_flag_advice(rec.flags)]
        return ("● Severe reaction — sessions on hold", [
            *extra,
            "Stop sessions. They are on hold until you mark this record resolved in the "
            "Journal (v).",
            "If it gets worse, spreads, or has not settled after a few days, see a clinician.",
        ], "warning")
    if cls == "moderate":
        until = rec.date + timedelta(days=3)
        if until <= today:
            return ("◐ Moderate reaction recorded", [
                f"Its 3-day pause ended on {until.isoformat()}. It still restarts the slow "
                "ramp of session lengths.",
                "If your skin is still irritated, record a new check-in.",
            ], "warning")
        return ("◐ Moderate reaction — sessions paused", [
            f"Sessions are paused for 3 days (no session before {until.isoformat()}), "
            "or until a newer check-in shows your skin has settled (mild or none).",
            "Be gentle with your skin; if it gets worse, see a clinician.",
        ], "warning")
    return None


__all__ = ["SkinFormScreen", "SCALES", "skin_result_message"]
