"""Journal: the list of everything recorded, and the forms that add or change entries.

Forms validate every field before anything is written; a bad value is shown in
red under its field and the journal stays as it was. Skin records that need
attention (moderate, severe, red flag) end in a prominent message saying what to
do in plain words, emergencies first. User text is always plain text.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import (
    Checkbox, DataTable, Footer, Header, Input, Label, Select, SelectionList, Static,
)
from textual.widgets.selection_list import Selection

from planner.domain.classify import red_flag_advice
from planner.domain.models import OUTCOMES, SkinRecord, from_doc
from planner.domain.vocabulary import (
    FLAGS, INJECTABLE_KINDS, PAUSE_REASONS, PROCEDURE_KINDS, PRODUCT_KINDS,
    REDNESS_SWELLING_ANCHORS, ZONES,
)
from planner.service.planner import MAX_LOG_MINUTES, BadInput, Refused, SkinResult
from planner.store.errors import StoreError
from planner.app.forms.dialogs import (
    RECORDS_CSS, ConfirmScreen, FieldError, FormModal, MessageScreen, clear_errors, error_text,
    guard, note_error, parse_day, parse_int, show_errors,
)
from planner.app.widgets.tables import cursor_row_key
from planner.app.widgets.ticks import TickCheckbox, TickSelectionList

# ---------------------------------------------------------------- vocabulary

TABLE_OF_TYPE = {
    "checkin": "skin", "reaction": "skin", "session": "sessions", "plan": "plans",
    "product": "products", "procedure": "procedures", "injectable": "injectables",
    "pause": "pauses",
}
TYPE_FILTERS = (
    ("All entries", "all"), ("Check-ins", "checkin"), ("Reactions", "reaction"),
    ("Sessions", "session"), ("Products", "product"), ("Procedures", "procedure"),
    ("Injectables", "injectable"), ("Plans", "plan"), ("Pauses", "pause"),
)
ACTIVITY = {
    # table: (word, kinds, rule id, engine method)
    "products": ("product", PRODUCT_KINDS, "product-blackout", "product_blackout"),
    "procedures": ("procedure", PROCEDURE_KINDS, "procedure-wait", "procedure_wait"),
    "injectables": ("injectable", INJECTABLE_KINDS, "injectable-wait", "injectable_wait"),
}
PERIODS = (("last 90 days", 90), ("last year", 366), ("everything", 0))
MAX_ROWS = 1000  # newest entries shown at once; older ones via a longer period or History
CLASS_GLYPH = {"none": "·", "mild": "○", "moderate": "◐", "severe": "●", "red-flag": "▲"}


def scale_anchor_04(value: int) -> str:
    """Draize-style words for a 0–4 redness/swelling value."""
    return REDNESS_SWELLING_ANCHORS[value]


def scale_anchor_nrs(value: int) -> str:
    """Words for a 0–10 itch/burning rating: 0 none, 1–3 mild, 4–6 moderate, 7–10 severe."""
    if value == 0:
        return "none"
    if value <= 3:
        return "mild"
    if value <= 6:
        return "moderate"
    if value <= 9:
        return "severe"
    return "worst imaginable"


SCALES = {
    # field: (label, high, anchor function, legend)
    "redness": ("Redness", 4, scale_anchor_04,
                "0 none, 1 very slight, 2 well-defined, 3 moderate, 4 severe"),
    "swelling": ("Swelling", 4, scale_anchor_04, "same 0–4 scale as redness"),
    "itch": ("Itch", 10, scale_anchor_nrs, "0 none, 1–3 mild, 4–6 moderate, 7–10 severe"),
    "burning": ("Burning", 10, scale_anchor_nrs, "burning or stinging, same 0–10 scale"),
}


def skin_summary(item: dict) -> str:
    parts = [f"R{item.get('redness', 0)} S{item.get('swelling', 0)} "
             f"I{item.get('itch', 0)} B{item.get('burning', 0)}"]
    if item.get("flags"):
        parts.append(", ".join(item["flags"]))
    if item.get("zone"):
        parts.append(f"@{item['zone']}")
    if item.get("resolved_on"):
        parts.append(f"resolved {item['resolved_on']}")
    return " ".join(parts)


def item_summary(item: dict) -> str:
    """One line describing an entry (without its note)."""
    t = item["type"]
    if t in ("checkin", "reaction"):
        return skin_summary(item)
    if t == "session":
        s = f"{item.get('minutes', '?')} min"
        if item.get("routine"):
            s += f" · {item['routine']}"
        outcome = item.get("outcome", "completed")
        if outcome != "completed":
            s += f" · {outcome}"
        if item.get("violations"):
            s += " · ⚠ " + ", ".join(v.get("rule", "?") for v in item["violations"])
        return s
    if t == "plan":
        s = f"planned {item.get('minutes', '?')} min"
        if item.get("routine"):
            s += f" · {item['routine']}"
        if item.get("fulfilled_by"):
            s += " · done"
        elif item.get("confirmed_missed"):
            s += " · missed"
        return s
    if t == "pause":
        return f"{item.get('start')} → {item.get('end')} · {item.get('reason')}"
    return str(item.get("kind", ""))


def item_detail(item: dict) -> str:
    """Several lines with everything about an entry, for the detail pane."""
    t = item["type"]
    lines = [f"{item['date']}  {t}"]
    if t in ("checkin", "reaction"):
        cls = item.get("class", "none")
        lines[0] += f"  class: {cls}"
        lines.append(
            f"redness {item.get('redness', 0)} ({scale_anchor_04(item.get('redness', 0))}), "
            f"swelling {item.get('swelling', 0)} ({scale_anchor_04(item.get('swelling', 0))}), "
            f"itch {item.get('itch', 0)}/10, burning {item.get('burning', 0)}/10")
        extra = []
        if item.get("flags"):
            extra.append("flags: " + ", ".join(item["flags"]))
        if item.get("zone"):
            extra.append(f"zone: {item['zone']}")
        if item.get("session_id"):
            extra.append(f"session: {item['session_id']}")
        if cls in ("severe", "red-flag"):
            if item.get("resolved_on") and (cls != "red-flag" or item.get("cleared_by_clinician")):
                extra.append(f"hold resolved {item['resolved_on']}")
            else:
                extra.append("hold open — press v to resolve")
        if extra:
            lines.append(" · ".join(extra))
    else:
        lines.append(item_summary(item))
        if t == "session":
            lines.append(f"outcome: {item.get('outcome', 'completed')} — "
                         + OUTCOME_WORDS.get(item.get("outcome", "completed"), ""))
        for v in item.get("violations") or ():
            lines.append(f"⚠ {v.get('rule')}: {v.get('message')}")
    if item.get("note"):
        lines.append(f"note: {item['note']}")
    return "\n".join(lines)


OUTCOME_WORDS = {
    "completed": "ran to the end",
    "partial": "ended early (counts for spacing and the streak, not for longer sessions)",
    "aborted": "stopped because unwell",
}


def row_key(item: dict) -> str:
    """Ids are unique within a table only: the table makes the key unique."""
    return f"{TABLE_OF_TYPE[item['type']]}:{item['id']}"


def is_open_hold(item: dict) -> bool:
    cls = item.get("class")
    if cls == "severe":
        return not item.get("resolved_on")
    if cls == "red-flag":
        return not (item.get("resolved_on") and item.get("cleared_by_clinician"))
    return False


def _planner(widget):
    return widget.app.planner


def todays_checkin(planner) -> dict | None:
    """Today's check-in as stored (one per date), to edit; None when there is none yet."""
    same = [r for r in planner.state().history.skin
            if r.kind == "checkin" and r.date == planner.today]
    if not same:
        return None
    try:
        return dict(planner.find(same[-1].id)[1])
    except BadInput:
        return None


def open_hold_doc(doc: dict) -> bool:
    """A stored skin record whose hold is open (severe not resolved, red flag not cleared)."""
    try:
        rec = from_doc(SkinRecord, doc)
    except (KeyError, TypeError, ValueError):
        return False
    return is_open_hold({"class": rec.cls, "resolved_on": doc.get("resolved_on"),
                         "cleared_by_clinician": doc.get("cleared_by_clinician")})


def refusal_screen(exc: Refused, open_hold: bool) -> MessageScreen:
    """A refused edit or delete, in plain words: what the service said, every reason, and
    how to lift an open hold in the app. Nothing was changed."""
    paragraphs = [str(exc), *(f"{r.rule}: {r.message}" for r in exc.reasons)]
    if open_hold:
        paragraphs.append("Nothing was changed. In the app: select the record in the Journal "
                          "and press v to resolve it (a warning sign needs a clinician's "
                          "clearance). Once resolved, it may be edited.")
    else:
        paragraphs.append("Nothing was changed.")
    return MessageScreen("✕ Refused — this record holds sessions", paragraphs, "danger")


def marked_paragraphs(marked) -> list[str]:
    """Other sessions a save now marks as breaking a rule (SPEC §3.2), one line each."""
    if not marked:
        return []
    lines = [f"{'This session' if len(marked) == 1 else 'These sessions'} now break"
             f"{'s' if len(marked) == 1 else ''} a safety rule (kept as logged, marked ⚠ in "
             "the Journal):"]
    for s in marked:
        rules = ", ".join(dict.fromkeys(r.rule for r in s.violations)) or "a rule"
        routine = f" · {s.routine}" if s.routine else ""
        lines.append(f"• session of {s.date.isoformat()} · {s.minutes} min{routine}: {rules}")
    return lines


def _data_changed(widget) -> None:
    hook = getattr(widget.app, "data_changed", None)
    if callable(hook):
        hook()


def _store_error(widget, exc: Exception) -> None:
    hook = getattr(widget.app, "notify_error", None)
    if callable(hook):
        hook(exc)
    else:
        widget.app.notify(str(exc), severity="error", markup=False)


def _row(label: str, *widgets, hint: Static | None = None) -> Horizontal:
    children = [Label(label, classes="rec-label"), *widgets]
    if hint is not None:
        children.append(hint)
    return Horizontal(*children, classes="rec-row")


# ------------------------------------------------------------------ skin form

class SkinFormScreen(FormModal):
    """A check-in or a reaction, new or edited. Dismisses with the SkinResult or None."""

    def __init__(self, kind: str = "checkin", session_id: str | None = None,
                 record: dict | None = None) -> None:
        super().__init__(classes="rec-modal")
        self.record = dict(record) if record else None
        self.kind = (self.record or {}).get("kind") or kind
        self.session_id = session_id or (self.record or {}).get("session_id")

    # .......................................................... compose

    def compose(self) -> ComposeResult:
        planner = _planner(self)
        rec = self.record or {}
        word = "check-in" if self.kind == "checkin" else "reaction"
        title = f"{'Edit' if self.record else 'New'} {word}"
        with Vertical(classes="rec-dialog rec-form", id="skin-form"):
            yield Static(Content(title), classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield _row("Date", Input(rec.get("date") or planner.today.isoformat(),
                                         id="f-date", max_length=10, classes="rec-date", compact=True),
                           hint=Static("YYYY-MM-DD, not in the future", classes="rec-hint"))
                yield FieldError(id="err-date")
                if self.record and self.kind == "checkin":
                    yield Static("One check-in per date: saving updates this one.",
                                 classes="rec-legend", id="f-one-per-day")
                if self.kind == "reaction":
                    yield _row("Session", Select(self._session_options(), prompt="no session",
                                                 value=self._session_value(), id="f-session",
                                                 compact=True))
                    yield FieldError(id="err-session")
                for name, (label, high, anchor, legend) in SCALES.items():
                    value = int(rec.get(name, 0) or 0)
                    yield _row(f"{label} 0–{high}",
                               Input(str(value), id=f"f-{name}", max_length=3,
                                     classes="rec-num", restrict=r"-?[0-9]*", compact=True),
                               hint=Static(self._anchor_text(name, str(value)),
                                           id=f"a-{name}", classes="rec-anchor"))
                    yield Static(legend, classes="rec-legend")
                    yield FieldError(id=f"err-{name}")
                yield Label("Flags (space toggles; warning signs marked ▲)", classes="rec-label-wide")
                yield TickSelectionList(*self._flag_selections(rec.get("flags") or ()),
                                         id="f-flags")
                zone = rec.get("zone")
                yield _row("Zone", Select([(z, z) for z in ZONES], prompt="no zone",
                                          value=zone if zone in ZONES else Select.NULL,
                                          id="f-zone", compact=True))
                yield _row("Note", Input(rec.get("note") or "", id="f-note",
                                         placeholder="anything worth remembering", compact=True))
                yield FieldError(id="err-note")
            yield FieldError(id="err-form")
            yield self.buttons()

    def _session_options(self) -> list[tuple[str, str]]:
        sessions = sorted(_planner(self).state().history.sessions,
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
        from planner.domain.classify import RED_FLAGS

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

    def _collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        planner = _planner(self)
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        try:
            values["day"] = parse_day(self.query_one("#f-date", Input).value, today=planner.today)
        except ValueError as e:
            errors["date"] = str(e)
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

    @guard
    def action_save(self) -> None:
        clear_errors(self)
        values, errors = self._collect()
        if show_errors(self, errors):
            first = next(iter(errors))
            target = self.query(f"#f-{first}")
            if target:
                target.first().focus()
            return
        planner = _planner(self)
        day = values.pop("day")
        fields = {k: values[k] for k in ("redness", "swelling", "itch", "burning", "flags",
                                         "zone", "note")}
        try:
            if self.record:
                extra = ({"session_id": values.get("session_id")}
                         if self.kind == "reaction" else {})
                result = planner.edit_skin(self.record["id"], day=day, **extra, **fields)
            else:
                result = planner.log_skin(self.kind, day, session_id=values.get("session_id"),
                                          **fields)
        except Refused as e:
            self.query_one("#err-form", FieldError).show(error_text(e))
            self.app.push_screen(refusal_screen(
                e, self.record is not None and open_hold_doc(self.record)))
            return
        except BadInput as e:
            self.query_one("#err-form", FieldError).show(error_text(e))
            return
        except StoreError as e:  # shown by the app; nothing was written
            _store_error(self, e)
            return
        _data_changed(self)
        word = "Check-in" if self.kind == "checkin" else "Reaction"
        done = "updated" if result.updated else "saved"
        if result.updated and not self.record:  # the date had a check-in: that one changed
            done = f"of {result.record.date.isoformat()} updated (one check-in per date)"
        message = skin_result_message(result, planner.today)
        marked = marked_paragraphs(result.marked)
        if message is None and not marked:
            self.app.notify(f"{word} {done} (class: {result.cls})", title="Journal")
            self.dismiss(result)
            return
        if message is None:
            title, paragraphs, tone = f"{word} {done} (class: {result.cls})", [], "warning"
        else:
            title, paragraphs, tone = message
        self.app.push_screen(MessageScreen(title, [*paragraphs, *marked], tone),
                             callback=lambda _=None: self.dismiss(result))


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


# -------------------------------------------------------------- activity form

class ActivityFormScreen(FormModal):
    """A product use, procedure or injectable, new or edited; shows its effect on sessions."""

    def __init__(self, table: str, record: dict | None = None) -> None:
        if table not in ACTIVITY:
            raise ValueError(f"unknown activity table {table!r}")
        super().__init__(classes="rec-modal")
        self.table = table
        self.record = dict(record) if record else None

    def compose(self) -> ComposeResult:
        word, kinds, _, _ = ACTIVITY[self.table]
        rec = self.record or {}
        kind = rec.get("kind") if rec.get("kind") in kinds else kinds[0]
        with Vertical(classes="rec-dialog rec-form rec-small", id="activity-form"):
            yield Static(Content(f"{'Edit' if self.record else 'New'} {word}"),
                         classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield _row("Kind", Select([(k, k) for k in kinds], allow_blank=False,
                                          value=kind, id="f-kind", compact=True))
                yield FieldError(id="err-kind")
                yield _row("Date", Input(rec.get("date") or _planner(self).today.isoformat(),
                                         id="f-date", max_length=10, classes="rec-date", compact=True),
                           hint=Static("YYYY-MM-DD, not in the future", classes="rec-hint"))
                yield FieldError(id="err-date")
                yield _row("Note", Input(rec.get("note") or "", id="f-note",
                                         placeholder="product name, clinic, …", compact=True))
                yield FieldError(id="err-note")
            yield FieldError(id="err-form")
            yield self.buttons()

    @guard
    def on_mount(self) -> None:
        self.query_one("#f-kind", Select).focus()

    @guard
    def action_save(self) -> None:
        clear_errors(self)
        planner = _planner(self)
        word, kinds, rule, method = ACTIVITY[self.table]
        kind = self.query_one("#f-kind", Select).value
        note = self.query_one("#f-note", Input).value
        errors = {}
        if kind not in kinds:
            errors["kind"] = f"choose one of: {', '.join(kinds)}"
        try:
            day = parse_day(self.query_one("#f-date", Input).value, today=planner.today)
        except ValueError as e:
            errors["date"] = str(e)
        if why := note_error(note):
            errors["note"] = why
        if show_errors(self, errors):
            return
        try:
            if self.record:
                logged = planner.edit_exposure(self.record["id"], kind=kind, day=day, note=note)
            else:
                logged = getattr(planner, f"log_{word}")(kind, day, note)
            saved = {"id": logged.id, "kind": kind, "date": day.isoformat(), "note": note}
        except (BadInput, Refused) as e:
            self.query_one("#err-form", FieldError).show(error_text(e))
            return
        except StoreError as e:  # shown by the app; nothing was written
            _store_error(self, e)
            return
        _data_changed(self)
        paragraphs = activity_impact(planner, self.table, day) + marked_paragraphs(logged.marked)
        self.app.push_screen(
            MessageScreen(f"{word.capitalize()} saved: {kind} on {day.isoformat()}", paragraphs,
                          "info"),
            callback=lambda _=None: self.dismiss(saved))


def activity_impact(planner, table: str, day: date) -> list[str]:
    """Plain words on what a product/procedure/injectable on `day` does to sessions."""
    word, _, rule, method = ACTIVITY[table]
    reason = getattr(planner.engine(), method)(max(day, planner.today))
    out = []
    if reason is not None and reason.until is not None:
        out.append(f"No session before {reason.until.isoformat()} ({rule}: {reason.message}).")
    else:
        out.append(f"This {word} does not block a session today.")
    blocked = [pv for pv in planner.plan_views() if not pv.verdict.allowed]
    for pv in blocked:
        out.append(f"Your plan on {pv.plan.date.isoformat()} is now blocked — move it from "
                   "the Plan screen (p).")
    return out


# --------------------------------------------------------------- session form

OUTCOME_LABELS = {"completed": "completed (ran to the end)",
                  "partial": "partial (ended early)",
                  "aborted": "aborted (stopped: unwell)"}


class SessionFormScreen(FormModal):
    """Record a past session, or correct one (date, minutes, outcome, note).

    What happened is never refused (SPEC §3.2): a session that broke a rule is
    saved with its violations, which are shown after saving.
    """

    def __init__(self, record: dict | None = None) -> None:
        super().__init__(classes="rec-modal")
        self.record = dict(record) if record else None

    def compose(self) -> ComposeResult:
        rec = self.record or {}
        with Vertical(classes="rec-dialog rec-form rec-small", id="session-form"):
            yield Static(Content(f"{'Edit' if self.record else 'Log a past'} session"),
                         classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield _row("Date", Input(rec.get("date") or _planner(self).today.isoformat(),
                                         id="f-date", max_length=10, classes="rec-date",
                                         compact=True),
                           hint=Static("YYYY-MM-DD, not in the future", classes="rec-hint"))
                yield FieldError(id="err-date")
                yield _row("Minutes", Input(str(rec.get("minutes", 10)), id="f-minutes",
                                            max_length=3, classes="rec-num",
                                            restrict=r"-?[0-9]*", compact=True),
                           hint=Static(f"1–{MAX_LOG_MINUTES}", classes="rec-hint"))
                yield FieldError(id="err-minutes")
                if rec.get("routine"):
                    yield Static(Content(f"Routine: {rec['routine']}"), classes="rec-dialog-body")
                outcome = rec.get("outcome") if rec.get("outcome") in OUTCOMES else "completed"
                yield _row("Outcome", Select([(OUTCOME_LABELS[o], o) for o in OUTCOMES],
                                             allow_blank=False, value=outcome, id="f-outcome",
                                             compact=True))
                yield _row("Note", Input(rec.get("note") or "", id="f-note", compact=True,
                                         placeholder="how it went"))
                yield FieldError(id="err-note")
            yield FieldError(id="err-form")
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#f-minutes", Input).focus()

    @guard
    def action_save(self) -> None:
        clear_errors(self)
        planner = _planner(self)
        errors = {}
        try:
            day = parse_day(self.query_one("#f-date", Input).value, today=planner.today)
        except ValueError as e:
            errors["date"] = str(e)
        try:
            minutes = parse_int(self.query_one("#f-minutes", Input).value, 1, MAX_LOG_MINUTES,
                                "minutes")
        except ValueError as e:
            errors["minutes"] = str(e)
        note = self.query_one("#f-note", Input).value
        if why := note_error(note):
            errors["note"] = why
        if show_errors(self, errors):
            return
        outcome = self.query_one("#f-outcome", Select).value
        if outcome not in OUTCOMES:
            outcome = "completed"
        try:
            if self.record:
                logged = planner.edit_session(self.record["id"], day=day, minutes=minutes,
                                              outcome=outcome, note=note)
            else:
                logged = planner.log_session(day, minutes, outcome=outcome, note=note)
        except (BadInput, Refused) as e:
            self.query_one("#err-form", FieldError).show(error_text(e))
            return
        except StoreError as e:  # shown by the app; nothing was written
            _store_error(self, e)
            return
        saved = {"id": logged.id, "date": day.isoformat(), "minutes": minutes,
                 "outcome": outcome}
        _data_changed(self)
        violations = [f"{v.rule}: {v.message}" for v in logged.violations]
        marked = marked_paragraphs(logged.marked)
        if violations:
            self.app.push_screen(MessageScreen(
                "Session saved — it broke a safety rule",
                [*violations, "It is kept as it happened, counts for spacing and ends the "
                              "session streak.", *marked], "warning"),
                callback=lambda _=None: self.dismiss(saved))
        elif marked:
            self.app.push_screen(MessageScreen(
                f"Session of {day.isoformat()} saved ({minutes} min, {outcome})", marked,
                "warning"), callback=lambda _=None: self.dismiss(saved))
        else:
            self.app.notify(f"Session of {day.isoformat()} saved ({minutes} min, {outcome})",
                            title="Journal")
            self.dismiss(saved)


class PauseFormScreen(FormModal):
    """A date range without sessions (travel, illness, …): the streak is frozen meanwhile."""

    def __init__(self) -> None:
        super().__init__(classes="rec-modal")

    def compose(self) -> ComposeResult:
        today = _planner(self).today.isoformat()
        with Vertical(classes="rec-dialog rec-form rec-small", id="pause-form"):
            yield Static("Pause sessions", classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield _row("From", Input(today, id="f-start", max_length=10, classes="rec-date",
                                         compact=True),
                           hint=Static("YYYY-MM-DD", classes="rec-hint"))
                yield FieldError(id="err-start")
                yield _row("To", Input(today, id="f-end", max_length=10, classes="rec-date",
                                       compact=True),
                           hint=Static("last day of the pause, at most a year", classes="rec-hint"))
                yield FieldError(id="err-end")
                yield _row("Reason", Select([(r, r) for r in PAUSE_REASONS], allow_blank=False,
                                            value=PAUSE_REASONS[0], id="f-reason", compact=True))
                yield _row("Note", Input("", id="f-note", compact=True, placeholder="optional"))
                yield FieldError(id="err-note")
            yield FieldError(id="err-form")
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#f-start", Input).focus()

    @guard
    def action_save(self) -> None:
        clear_errors(self)
        planner = _planner(self)
        errors = {}
        days_ = {}
        for name, what in (("start", "from"), ("end", "to")):
            try:
                days_[name] = parse_day(self.query_one(f"#f-{name}", Input).value,
                                        allow_future=True, what=what)
            except ValueError as e:
                errors[name] = str(e)
        note = self.query_one("#f-note", Input).value
        if why := note_error(note):
            errors["note"] = why
        if show_errors(self, errors):
            return
        reason = self.query_one("#f-reason", Select).value
        try:
            pause = planner.pause(days_["start"], days_["end"], reason, note)
        except (BadInput, Refused) as e:
            self.query_one("#err-form", FieldError).show(error_text(e))
            return
        _data_changed(self)
        self.app.notify(f"No sessions from {pause.start.isoformat()} to {pause.end.isoformat()} "
                        f"({reason}); the streak waits.", title="Pause saved")
        self.dismiss({"id": pause.id})


class ResolveScreen(FormModal):
    """Lift the hold of a severe record (a date) or a red flag (a date and clearance)."""

    SAVE_LABEL = "Resolve"
    BINDINGS = [Binding("ctrl+s", "save", "Resolve", priority=True)]
    CANCELLED = False

    def __init__(self, item: dict) -> None:
        super().__init__(classes="rec-modal")
        self.item = item

    @property
    def red_flag(self) -> bool:
        return self.item.get("class") == "red-flag"

    def compose(self) -> ComposeResult:
        with Vertical(classes="rec-dialog rec-form rec-small", id="resolve-form"):
            yield Static(Content(f"Resolve the hold of {self.item['date']} "
                                 f"({self.item.get('class')})"), classes="rec-dialog-title")
            yield Static(Content(skin_summary(self.item)), classes="rec-dialog-body")
            yield _row("Resolved on", Input(_planner(self).today.isoformat(), id="f-date",
                                            max_length=10, classes="rec-date", compact=True))
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

    @guard
    def action_save(self) -> None:
        clear_errors(self)
        planner = _planner(self)
        try:
            day = parse_day(self.query_one("#f-date", Input).value, today=planner.today)
        except ValueError as e:
            self.query_one("#err-date", FieldError).show(str(e))
            return
        cleared = self.red_flag and self.query_one("#f-cleared", Checkbox).value
        if self.red_flag and not cleared:
            self.query_one("#err-form", FieldError).show(
                "Refused: a warning sign stays on hold until a clinician has cleared you. "
                "Tick \"Cleared by a clinician?\" only when one has.")
            return
        try:
            planner.resolve([self.item["id"]], day, cleared_by_clinician=bool(cleared))
        except (BadInput, Refused) as e:
            self.query_one("#err-form", FieldError).show(error_text(e))
            return
        except StoreError as e:  # shown by the app; nothing was written
            _store_error(self, e)
            return
        _data_changed(self)
        self.app.notify(f"Hold of {self.item['date']} resolved on {day.isoformat()}",
                        title="Journal")
        self.dismiss(True)


# -------------------------------------------------------------- journal screen

class JournalScreen(Screen):
    """Every entry, newest first, with forms to add, edit, delete and resolve."""

    CSS_PATH = RECORDS_CSS

    TITLE = "Journal"
    BINDINGS = [
        Binding("c", "new_checkin", "Check-in"),
        Binding("x", "new_reaction", "Reaction"),
        Binding("o", "new_product", "Product"),
        Binding("d", "new_procedure", "Procedure"),
        Binding("i", "new_injectable", "Injectable"),
        Binding("e", "edit_entry", "Edit"),
        Binding("delete,backspace", "delete_entry", "Delete", key_display="del"),
        Binding("v", "resolve_hold", "Resolve"),
        Binding("f", "focus_filter", "Filter", show=False),
        Binding("l", "log_session", "Log past session", show=False),
        Binding("u", "new_pause", "Pause sessions", show=False),
    ]
    PALETTE_COMMANDS = [
        ("Journal: log a past session", "log_session", "l · a session done without the guide"),
        ("Journal: filter by type", "focus_filter", "f · check-ins, sessions, products, …"),
        ("Journal: pause sessions", "new_pause", "u · travel, illness, sunburn: no sessions"),
    ]

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.items: dict[str, dict] = {}
        self.type_filter = "all"
        self.period = 90

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="journal-body", classes="rec-body"):
            with Horizontal(classes="rec-toolbar", id="journal-toolbar"):
                yield Select(TYPE_FILTERS, allow_blank=False, value="all", id="journal-filter",
                             compact=True)
                yield Select(PERIODS, allow_blank=False, value=90, id="journal-period",
                             compact=True)
                yield Static("", id="journal-count", classes="rec-toolbar-info")
            table = DataTable(id="journal-table", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("", id="journal-detail", classes="rec-detail")
        yield Footer(compact=True)

    @guard
    def on_mount(self) -> None:
        self.title = "acuplan · Journal"
        table = self.query_one("#journal-table", DataTable)
        table.add_column("Date", key="date", width=10)
        table.add_column("Type", key="type", width=10)
        table.add_column("Class", key="class", width=10)
        table.add_column("Summary", key="summary")
        table.add_column("Note", key="note")
        self.refresh_data()
        table.focus()

    # ......................................................... data

    @guard
    def refresh_data(self) -> None:
        if not self.query("#journal-table"):
            return  # not composed yet: on_mount loads it
        table = self.query_one("#journal-table", DataTable)
        keep = self.current_id()
        planner = self.app.planner
        start = planner.today - timedelta(days=self.period) if self.period else None
        items = list(reversed(planner.history_items(start)))
        self.items = {row_key(it): it for it in items}
        matching = [it for it in items
                    if self.type_filter == "all" or it["type"] == self.type_filter]
        shown = matching[:MAX_ROWS]
        table.clear()
        for it in shown:
            cls = it.get("class", "")
            cls_cell = Text(f"{CLASS_GLYPH.get(cls, '')} {cls}".strip()) if cls else Text("")
            if cls in ("severe", "red-flag") and is_open_hold(it):
                cls_cell.stylize("bold")
            table.add_row(Text(it["date"]), Text(it["type"]), cls_cell,
                          Text(item_summary(it)), Text(it.get("note") or ""), key=row_key(it))
        if keep and keep in {row_key(it) for it in shown}:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        count = f"{len(matching)} entr{'y' if len(matching) == 1 else 'ies'}"
        if len(shown) < len(matching):
            count = f"newest {len(shown)} of {len(matching)}"
        count += " · e edit · del delete · v resolve"
        self.query_one("#journal-count", Static).update(count)
        self._show_detail()

    def current_id(self) -> str | None:
        try:
            table = self.query_one("#journal-table", DataTable)
        except NoMatches:
            return None
        return cursor_row_key(table)

    def current_item(self) -> dict | None:
        rid = self.current_id()
        return self.items.get(rid) if rid else None

    def _show_detail(self) -> None:
        item = self.current_item()
        detail = self.query_one("#journal-detail", Static)
        if item is None:
            detail.update(Content("No entries yet. Press c for a check-in, o for a product, "
                                  "d for a procedure, i for an injectable."))
        else:
            detail.update(Content(item_detail(item)))

    @on(DataTable.RowHighlighted)
    @guard
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    @guard
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit_entry()

    @on(Select.Changed, "#journal-filter")
    @guard
    def _filter_changed(self, event: Select.Changed) -> None:
        self.type_filter = event.value if isinstance(event.value, str) else "all"
        self.refresh_data()

    @on(Select.Changed, "#journal-period")
    @guard
    def _period_changed(self, event: Select.Changed) -> None:
        self.period = event.value if isinstance(event.value, int) else 90
        self.refresh_data()

    # ...................................................... actions

    def _after_form(self, _result=None) -> None:
        self.refresh_data()

    @guard
    def action_new_checkin(self) -> None:
        """Today's check-in: a new one, or today's to edit (one check-in per date)."""
        self.app.push_screen(SkinFormScreen("checkin", record=todays_checkin(self.app.planner)),
                             self._after_form)

    @guard
    def action_new_reaction(self) -> None:
        item = self.current_item()
        sid = item["id"] if item and item["type"] == "session" else None
        self.app.push_screen(SkinFormScreen("reaction", session_id=sid), self._after_form)

    @guard
    def action_new_product(self) -> None:
        self.app.push_screen(ActivityFormScreen("products"), self._after_form)

    @guard
    def action_new_procedure(self) -> None:
        self.app.push_screen(ActivityFormScreen("procedures"), self._after_form)

    @guard
    def action_new_injectable(self) -> None:
        self.app.push_screen(ActivityFormScreen("injectables"), self._after_form)

    @guard
    def action_log_session(self) -> None:
        self.app.push_screen(SessionFormScreen(), self._after_form)

    @guard
    def action_new_pause(self) -> None:
        self.app.push_screen(PauseFormScreen(), self._after_form)

    @guard
    def action_focus_filter(self) -> None:
        self.query_one("#journal-filter", Select).focus()

    @guard
    def action_edit_entry(self) -> None:
        item = self.current_item()
        if item is None:
            self.app.notify("Nothing to edit yet.", severity="warning")
            return
        table = TABLE_OF_TYPE[item["type"]]
        doc = {k: v for k, v in item.items() if k not in ("type", "class")}
        if table == "skin":
            self.app.push_screen(SkinFormScreen(doc.get("kind", "checkin"), record=doc),
                                 self._after_form)
        elif table in ACTIVITY:
            self.app.push_screen(ActivityFormScreen(table, record=doc), self._after_form)
        elif table == "sessions":
            self.app.push_screen(SessionFormScreen(record=doc), self._after_form)
        else:
            self.app.notify(f"A {item['type']} cannot be edited here: plans are changed on "
                            "the Plan screen (p); a pause can be deleted and set again.",
                            severity="warning")

    @guard
    def action_delete_entry(self) -> None:
        item = self.current_item()
        if item is None:
            self.app.notify("Nothing to delete.", severity="warning")
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            planner = self.app.planner
            try:
                if item["type"] == "plan":
                    planner.unplan(item["id"])
                elif item["type"] == "pause":
                    planner.unpause(item["id"])
                else:
                    planner.delete_record(item["id"])
            except Refused as e:
                self.app.push_screen(refusal_screen(e, is_open_hold(item)))
            except BadInput as e:
                self.app.notify(str(e), title="Not deleted", severity="error", markup=False)
            except StoreError as e:
                _store_error(self, e)
            else:
                self.app.notify(f"Deleted the {item['type']} of {item['date']}", title="Journal")
                _data_changed(self)
            self.refresh_data()

        self.app.push_screen(
            ConfirmScreen(f"Delete this {item['type']}?",
                          f"{item['date']} · {item_summary(item)}"
                          + (f" · {item['note']}" if item.get("note") else "")), done)

    @guard
    def action_resolve_hold(self) -> None:
        item = self.current_item()
        if item is None or item["type"] not in ("checkin", "reaction"):
            self.app.notify("Move to a severe or warning-sign skin record to resolve its hold.",
                            severity="warning")
            return
        if not is_open_hold(item):
            self.app.notify(f"This {item['type']} ({item.get('class')}) has no open hold.",
                            severity="warning")
            return
        self.app.push_screen(ResolveScreen(item), self._after_form)
