"""The calendar export (SPEC §10, issue 12): an RFC 5545 file for any calendar program.

What it holds, from today on:

- every plan still ahead, at the profile's preferred time (an all-day event when none is
  set), with a reminder the evening before (19:00 unless another time is asked for);
  a plan the rules block now says so in its title and lists every reason;
- before each plan, the days to keep free of retinoids, acids, scrubs and peels: a
  product used from D - N on blocks a session on D (SPEC §3 `product-blackout`, N the
  settings' product_blackout_days), so the N days before D make one all-day event;
- the stretches in which a rule other than spacing blocks every session (a home active,
  a procedure or an injectable and its wait, skin settling, a hold, a pause), one
  all-day event per rule and stretch. A hold with no end date runs to the end of the
  horizon and says it lasts until it is resolved. Spacing is left out: it is the gap
  around each session and plan, which the plans themselves show.

UIDs are derived from what the event stands for, never from the export, so importing a
newer file updates the events instead of adding copies:

    plan-<plan id>@acuplan                the plan (moved: same UID, new date)
    free-<plan id>@acuplan                the product-free days before it
    blocked-<rule>-<YYYYMMDD>@acuplan     a rule's stretch, by its first day

Times are floating local times (RFC 5545 §3.3.5, form 1), as every date acuplan keeps
is a local date. User text (a pause's reason, a routine's name) reaches the file with
control characters shown as escapes (`terminal_safe`): a calendar program shows it, and
the file stays valid. The only file I/O is `write_calendar`, through the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.models import Reason
from planner.domain.values import Value
from planner.service.planner import BadInput
from planner.service.text import terminal_safe

if TYPE_CHECKING:
    from icalendar import Event

    from planner.service.planner import Planner, PlanView

DEFAULT_ALARM = time(19, 0)
HORIZON_DAYS = 365         # blocked stretches are looked for this far ahead (or to the last plan)
MAX_HORIZON_DAYS = 3 * 365  # ... but never further
LOOKBACK_DAYS = 3660       # how far back a stretch running today is followed to its first day
DOMAIN = "acuplan"
PRODID = "-//acuplan//acuplan calendar export//EN"
ACTIVES = "retinoids, acids, scrubs or peels"

# The rules whose stretches are shown, in the spec's order, with the Engine method that
# answers each for one day, and the words of the event's title.
BLOCKING_RULES: dict[str, tuple[str, str]] = {
    "product-blackout": ("product_blackout", "after a home active"),
    "procedure-wait": ("procedure_wait", "wait after a procedure"),
    "injectable-wait": ("injectable_wait", "wait after an injectable"),
    "skin-state": ("skin_state", "skin settling"),
    "reaction-hold": ("reaction_hold", "severe reaction, until resolved"),
    "medical-hold": ("medical_hold", "warning sign, until a clinician clears you"),
    "pause": ("pause", "paused"),
}


class Stretch(Value, frozen=True):
    """Days on which one rule blocks every session: from `start` up to `end` (the first day
    it no longer blocks; None while a hold is open), with what the rule said."""

    rule: str
    start: date
    end: date | None
    messages: tuple[str, ...]

    @property
    def uid(self) -> str:
        return f"blocked-{self.rule}-{self.start.strftime('%Y%m%d')}@{DOMAIN}"


class CalendarFile(Value, frozen=True):
    """The file's bytes and what went into it."""

    data: bytes
    plans: int
    product_free: int
    blocked: int

    @property
    def events(self) -> int:
        return self.plans + self.product_free + self.blocked

    def to_json(self) -> dict:
        return {"plans": self.plans, "product_free": self.product_free,
                "blocked": self.blocked, "events": self.events}


def parse_alarm(text: str) -> time:
    """`--alarm HH:MM` (24-hour clock): the time of the reminder the evening before."""
    from planner.domain.session_prep import parse_time

    try:
        clock = parse_time(text)
    except ValueError:
        clock = None
    if clock is None:
        raise BadInput(f"--alarm {text!r} is not a time; accepted: HH:MM on a 24-hour "
                       "clock, e.g. 19:00 (the reminder is the evening before each plan)",
                       field="alarm")
    hours, minutes = clock.split(":")
    return time(int(hours), int(minutes))


def plan_uid(plan_id: str) -> str:
    return f"plan-{plan_id}@{DOMAIN}"


def free_uid(plan_id: str) -> str:
    return f"free-{plan_id}@{DOMAIN}"


def _safe(text: str) -> str:
    """User text as the file may hold it: controls escaped, no lone surrogate."""
    return terminal_safe(text).encode("utf-8", "backslashreplace").decode("utf-8")


# ------------------------------------------------------------------ blocked stretches

def horizon_end(planner: Planner, views: Sequence[PlanView] = ()) -> date:
    """The last day searched for blocked stretches: a year ahead, or the last plan."""
    today = planner.today
    last = max((v.plan.date for v in views), default=today)
    return min(max(today + timedelta(days=HORIZON_DAYS), last),
               today + timedelta(days=MAX_HORIZON_DAYS))


def blocked_stretches(planner: Planner, end: date | None = None) -> list[Stretch]:
    """Every stretch, per rule, that blocks a day from today to `end` (default: the
    horizon), ordered by first day then rule. A stretch already running today starts on
    its real first day, so its UID is the same whichever day the file is made."""
    eng = planner.engine()
    end = end if end is not None else horizon_end(planner, planner.plan_views())
    found: list[Stretch] = []
    for rule, (method, _title) in BLOCKING_RULES.items():
        found.extend(_rule_stretches(rule, getattr(eng, method), planner.today, end))
    found.sort(key=lambda s: (s.start, list(BLOCKING_RULES).index(s.rule)))
    return found


def _rule_stretches(rule: str, reason: Callable[[date], Reason | None], today: date,
                    end: date) -> list[Stretch]:
    out = []
    day = today
    while day <= end:
        r = reason(day)
        if r is None:
            day += timedelta(days=1)
            continue
        start = day
        earlier: list[Reason] = []
        if day == today:  # it may have begun before today
            floor = today - timedelta(days=LOOKBACK_DAYS)
            while start > floor and (back := reason(start - timedelta(days=1))) is not None:
                earlier.append(back)
                start -= timedelta(days=1)
        messages: list[str] = []
        for back in reversed(earlier):
            if back.message not in messages:
                messages.append(back.message)
        stop: date | None = None
        # Each reason's `until` is the first day it no longer blocks, and every day before
        # it is blocked: follow them while another record carries the stretch further.
        while r is not None:
            if r.message not in messages:
                messages.append(r.message)
            if r.until is None:
                break
            stop = r.until
            r = reason(stop)
        if r is not None or stop is None:  # open: it blocks every day to the horizon
            out.append(Stretch(rule, start, None, tuple(messages)))
            break
        out.append(Stretch(rule, start, stop, tuple(messages)))
        day = stop + timedelta(days=1)
    return out


# ------------------------------------------------------------------ the calendar

def build_calendar(planner: Planner, alarm: time = DEFAULT_ALARM,
                   stamp: datetime | None = None) -> CalendarFile:
    """The calendar of `planner`'s journal as seen from its today (see the module doc).

    `stamp` is the DTSTAMP of every event (default: now, in UTC)."""
    from icalendar import Calendar

    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    views = planner.plan_views()
    settings = planner.settings()
    preferred = planner.profile().preferred_time
    at = time.fromisoformat(preferred) if preferred else None
    names = planner.routine_names(v.plan.routine for v in views)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "acuplan")
    free = 0
    for view in views:
        cal.add_component(_plan_event(view, at, alarm, stamp, names))
        if settings.product_blackout_days > 0:
            cal.add_component(_free_event(view, settings.product_blackout_days, stamp))
            free += 1
    end = horizon_end(planner, views)
    stretches = blocked_stretches(planner, end)
    for s in stretches:
        cal.add_component(_blocked_event(s, end, stamp))
    return CalendarFile(cal.to_ical(), len(views), free, len(stretches))


def _event(uid: str, stamp: datetime, summary: str, description: str) -> Event:
    from icalendar import Event

    e = Event()
    e.add("uid", uid)
    e.add("dtstamp", stamp)
    e.add("summary", _safe(summary))
    e.add("description", _safe(description))
    return e


def _all_day(e: Event, first: date, after: date) -> None:
    """An all-day event from `first` up to (not including) `after`, shown as free time."""
    e.add("dtstart", first)
    e.add("dtend", after)
    e.add("transp", "TRANSPARENT")


def _plan_event(view: PlanView, at: time | None, alarm: time, stamp: datetime,
                names: dict[str, str]) -> Event:
    from icalendar import Alarm

    p = view.plan
    routine = ""
    if p.routine:
        name = names.get(p.routine)
        routine = f": {name}" if name else f": routine {p.routine}"
    title = f"Facial self-care session{routine} ({p.minutes} min)"
    lines = [f"Planned in acuplan: {p.minutes} minutes"
             + (f", routine {names.get(p.routine, p.routine)} ({p.routine})"
                if p.routine else "") + ".",
             f"Keep the evenings before it free of {ACTIVES}."]
    v = view.verdict
    if v is not None and not v.allowed:
        title = "Blocked: " + title
        lines = ["This plan is blocked by the safety rules now:",
                 *(f"- {_reason_text(r)}" for r in v.reasons),
                 "Move it in acuplan (the Plan screen, or `acuplan plans`).", *lines]
    e = _event(plan_uid(p.id), stamp, title, "\n".join(lines))
    if at is None:
        e.add("dtstart", p.date)
        e.add("dtend", p.date + timedelta(days=1))
        start = datetime.combine(p.date, time(0, 0))
        when = "Tomorrow"
    else:
        start = datetime.combine(p.date, at)
        e.add("dtstart", start)
        e.add("dtend", start + timedelta(minutes=p.minutes))
        when = f"Tomorrow at {at.strftime('%H:%M')}"
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", f"{when}: facial self-care session ({p.minutes} min). "
                                f"Tonight: no {ACTIVES}.")
    # Relative to the start, so it holds for a floating time: the evening before at `alarm`.
    reminder.add("trigger", datetime.combine(p.date - timedelta(days=1), alarm) - start)
    e.add_component(reminder)
    return e


def _free_event(view: PlanView, days: int, stamp: datetime) -> Event:
    p = view.plan
    e = _event(free_uid(p.id), stamp, f"No {ACTIVES} tonight",
               f"A facial self-care session is planned on {p.date.isoformat()}: a "
               f"retinoid, acid, scrub or home peel used on the {days} days before it (or on "
               "the day) would block it.")
    _all_day(e, p.date - timedelta(days=days), p.date)
    return e


def _blocked_event(s: Stretch, horizon: date, stamp: datetime) -> Event:
    title = BLOCKING_RULES[s.rule][1]
    lines = list(s.messages)
    if s.end is None:
        lines.append("No end date yet: it lasts until it is resolved in acuplan.")
    else:
        lines.append(f"Sessions are possible again from {s.end.isoformat()} "
                     "(if no other rule blocks them).")
    e = _event(s.uid, stamp, f"No facial sessions: {title}", "\n".join(lines))
    _all_day(e, s.start, s.end if s.end is not None else
             max(horizon, s.start) + timedelta(days=1))
    return e


def _reason_text(r: Reason) -> str:
    if r.until is not None:
        return f"{r.message} (until {r.until.isoformat()})"
    return r.message


def write_calendar(path: Path, data: bytes) -> None:
    """Write the file as exports are: atomically, 0600 (it tells of health matters)."""
    from planner.store.exchange import write_private

    write_private(path, data)


__all__ = [
    "DEFAULT_ALARM", "BLOCKING_RULES", "Stretch", "CalendarFile", "parse_alarm", "plan_uid",
    "free_uid", "horizon_end", "blocked_stretches", "build_calendar", "write_calendar",
]
