"""What the commands could have written: the check an import passes before anything is
written (SPEC §6). Each problem is one line naming the table, the record, the field, the
value and what is accepted, so a refused import can be fixed by hand.

The journal's own load (tables.state_from, one typed decode) checks each field's type and
range, which is what the rules compute with; an import is read once and checked in full
(ids, references, words from the vocabulary, dates up to today), every problem listed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from planner.domain.models import OUTCOMES, PRODUCT_NAME_LIMIT, Settings
from planner.domain.session_prep import PREPARATION_KEYS, WEEKDAYS, parse_time
from planner.domain.settings_rules import RANGES
from planner.domain.vocabulary import (
    EXCLUSION_REASONS,
    FLAGS,
    INJECTABLE_KINDS,
    PAUSE_REASONS,
    PROCEDURE_KINDS,
    PRODUCT_KINDS,
    ZONES,
)
from planner.service.context import parse_date

NOTE_LIMIT = 2000
MAX_MINUTES = 180
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ROUTINE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")

Problems = list[str]


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Record:
    """Checks the fields of one record, collecting problems."""

    def __init__(self, table: str, doc: dict, out: Problems, today: date):
        self.table, self.doc, self.out, self.today = table, doc, out, today
        rid = doc.get("id")
        self.label = f"{table} {rid!r}" if isinstance(rid, str) else f"{table} record"
        self.seen: set[str] = {"id"}

    def problem(self, name: str, accepted: str) -> None:
        self.out.append(f"{self.label}: {name} is {_shown(self.doc.get(name))}; "
                        f"accepted: {accepted}")

    def _get(self, name: str, default: Any) -> Any:
        self.seen.add(name)
        return self.doc.get(name, default)

    def day(self, name: str, *, optional: bool = False, not_after_today: bool = False
            ) -> date | None:
        v = self._get(name, None)
        if v is None and optional:
            return None
        try:
            d = parse_date(v) if isinstance(v, str) else None
        except ValueError:
            d = None
        if d is None:
            self.problem(name, "a date written YYYY-MM-DD from 1900-01-01 to 2199-12-31"
                         + (" or null" if optional else ""))
            return None
        if not_after_today and d > self.today:
            self.problem(name, f"a date on or before today ({self.today.isoformat()})")
            return None
        return d

    def whole(self, name: str, low: int, high: int, default: Any = None) -> int | None:
        v = self._get(name, default)
        if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
            self.problem(name, f"a whole number from {low} to {high}")
            return None
        return v

    def word(self, name: str, accepted: tuple[str, ...], *, optional: bool = False,
             default: Any = None) -> str | None:
        v = self._get(name, default)
        if v is None and optional:
            return None
        if not isinstance(v, str) or v not in accepted:
            self.problem(name, ", ".join(accepted) + (" or null" if optional else ""))
            return None
        return v

    def flag(self, name: str, default: bool = False) -> bool | None:
        v = self._get(name, default)
        if not isinstance(v, bool):
            self.problem(name, "true or false")
            return None
        return v

    def text(self, name: str, limit: int = NOTE_LIMIT) -> None:
        v = self._get(name, "")
        if not isinstance(v, str) or len(v) > limit:
            self.problem(name, f"text of at most {limit} characters")

    def ref(self, name: str, pattern: re.Pattern, what: str) -> str | None:
        v = self._get(name, None)
        if v is None:
            return None
        if not isinstance(v, str) or not pattern.fullmatch(v):
            self.problem(name, f"{what} or null")
            return None
        return v

    def stamp(self) -> None:
        v = self._get("logged", 0)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            self.problem("logged", "a whole number from 0 up (the order of entry)")

    def no_other_fields(self, extra: tuple[str, ...] = ("legacy_id",)) -> None:
        for name in self.doc:
            if name not in self.seen and name not in extra:
                self.out.append(f"{self.label}: unknown field {name!r}; acuplan does not "
                                "write it")


def _session(r: _Record) -> None:
    r.day("date", not_after_today=True)
    r.whole("minutes", 1, MAX_MINUTES)
    r.ref("routine", _ROUTINE, "a routine id")
    r.word("outcome", OUTCOMES, default="completed")
    r.text("note")
    r.stamp()


def _plan(r: _Record) -> None:
    r.day("date")
    r.whole("minutes", 1, MAX_MINUTES)
    r.ref("routine", _ROUTINE, "a routine id")
    r.ref("fulfilled_by", _ID, "a session id")
    r.flag("confirmed_missed")


def _exposure(kinds: tuple[str, ...], named: bool = False) -> Callable[[_Record], None]:
    def check(r: _Record) -> None:
        r.day("date", not_after_today=True)
        r.word("kind", kinds)
        r.text("note")
        r.stamp()
        if named:
            _name(r, "name", optional=True)
    return check


def _name(r: _Record, field: str, optional: bool = False, value: Any = None) -> bool:
    """A product name or brand: one line of 1-80 characters (None when `optional`)."""
    v = r._get(field, None) if value is None else value
    if v is None and optional:
        return True
    ok = isinstance(v, str) and 0 < len(v) <= PRODUCT_NAME_LIMIT and v == " ".join(v.split())
    if not ok and value is None:
        r.problem(field, f"one line of 1 to {PRODUCT_NAME_LIMIT} characters"
                  + (", or null" if optional else ""))
    return ok


def _skin(r: _Record) -> None:
    day = r.day("date", not_after_today=True)
    kind = r.word("kind", ("checkin", "reaction"), default="checkin")
    for name, high in (("redness", 4), ("swelling", 4), ("itch", 10), ("burning", 10)):
        r.whole(name, 0, high, default=0)
    flags = r._get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) and f in FLAGS
                                              for f in flags) or len(set(flags)) != len(flags):
        r.problem("flags", "a list of distinct flags from " + ", ".join(FLAGS))
    r.word("zone", ZONES, optional=True)
    r.text("note")
    sid = r.ref("session_id", _ID, "a session id")
    if kind == "checkin" and sid is not None:
        r.problem("session_id", "null for a check-in (a reaction is tied to a session)")
    resolved = r.day("resolved_on", optional=True, not_after_today=True)
    if day and resolved and resolved < day:
        r.problem("resolved_on", f"a date on or after the record's own ({day.isoformat()})")
    cleared = r.flag("cleared_by_clinician")
    if cleared and r.doc.get("resolved_on") is None:
        r.problem("cleared_by_clinician", "false while the record is not resolved")
    r.stamp()


def _pause(r: _Record) -> None:
    start, end = r.day("start"), r.day("end")
    if start and end and not 0 <= (end - start).days <= 366:
        r.problem("end", f"a date from {start.isoformat()} to a year after it")
    r.word("reason", PAUSE_REASONS)
    r.text("note")
    r.stamp()


_CHECKS: dict[str, Callable[[_Record], None]] = {
    "sessions": _session,
    "plans": _plan,
    "products": _exposure(PRODUCT_KINDS, named=True),
    "procedures": _exposure(PROCEDURE_KINDS),
    "injectables": _exposure(INJECTABLE_KINDS),
    "skin": _skin,
    "pauses": _pause,
}
_PROFILE_FLAGS = (
    "notice_accepted", "onboarded", "pregnant", "anticoagulants", "bleeding_disorder",
    "rosacea", "eczema", "psoriasis", "sensitive_skin", "retinoid_use", "recent_injectable",
    "recent_procedure",
)


def _profile(r: _Record) -> None:
    for name in _PROFILE_FLAGS:
        r.flag(name)
    exclusions = r._get("exclusions", [])
    ok = isinstance(exclusions, list)
    for e in exclusions if ok else ():
        if not isinstance(e, dict) or set(e) - {"zone", "reason", "until"}:
            ok = False
            break
        until = e.get("until")
        try:
            good_until = until is None or (isinstance(until, str) and parse_date(until))
        except ValueError:
            good_until = False
        if e.get("zone") not in ZONES or e.get("reason") not in EXCLUSION_REASONS \
                or not good_until:
            ok = False
            break
    if not ok:
        r.problem("exclusions", "a list of {zone, reason, until} with a zone from "
                  f"{', '.join(ZONES)} and a reason from {', '.join(EXCLUSION_REASONS)}")
    for name, words in (("preferred_days", WEEKDAYS), ("preparation", PREPARATION_KEYS)):
        value = r._get(name, [])
        if not isinstance(value, list) or len(set(map(str, value))) != len(value) \
                or any(w not in words for w in value):
            r.problem(name, f"a list of distinct words from {', '.join(words)}")
    products = r._get("products", [])
    names: set[str] = set()
    good = isinstance(products, list) and len(products) <= 200
    for prod in products if good else ():
        if not (isinstance(prod, dict) and {"name", "kind"} <= set(prod) <= {"name", "kind",
                                                                              "brand"}
                and _name(r, "products", value=prod["name"])
                and prod["kind"] in PRODUCT_KINDS
                and (prod.get("brand", "") == "" or _name(r, "products", value=prod["brand"]))
                and prod["name"].casefold() not in names):
            good = False
            break
        names.add(prod["name"].casefold())
    if not good:
        r.problem("products", "a list of at most 200 {name, kind, brand} with distinct names "
                  f"and a kind from {', '.join(PRODUCT_KINDS)}")
    when = r._get("preferred_time", None)
    try:
        good_time = when is None or (isinstance(when, str) and parse_time(when) == when)
    except ValueError:
        good_time = False
    if not good_time:
        r.problem("preferred_time", "null or a time as HH:MM (00:00 to 23:59)")


def _settings(r: _Record) -> None:
    values = {}
    defaults = Settings()
    for name, rng in RANGES.items():
        values[name] = r.whole(name, rng.low, rng.high, default=getattr(defaults, name))
    if values["cadence_days"] and values["spacing_days"] and \
            values["cadence_days"] < values["spacing_days"]:
        r.problem("cadence_days", f"a number not below spacing_days ({values['spacing_days']})")
    theme = r._get("theme", "textual-dark")
    if not isinstance(theme, str) or not theme or len(theme) > 64:
        r.problem("theme", "a theme name")


def check_import(tables: dict[str, list[dict[str, Any]]], today: date) -> Problems:
    """Every problem in an export's tables (empty: it may be imported as it is)."""
    out: Problems = []
    for name in tables:
        if name not in _CHECKS and name not in ("profile", "settings"):
            out.append(f"unknown table {name!r}; acuplan keeps "
                       + ", ".join([*_CHECKS, "profile", "settings"]))
    for name, check in _CHECKS.items():
        for doc in tables.get(name, []):
            r = _Record(name, doc, out, today)
            if not isinstance(doc.get("id"), str) or not _ID.fullmatch(doc["id"]):
                r.problem("id", "1 to 64 letters, digits, dots, hyphens or underscores")
            check(r)
            r.no_other_fields()
    for name, check in (("profile", _profile), ("settings", _settings)):
        docs = tables.get(name, [])
        if len(docs) > 1:
            out.append(f"{name}: {len(docs)} documents; accepted: one")
        for doc in docs[:1]:
            r = _Record(name, doc, out, today)
            check(r)
            r.no_other_fields()
    out += _cross_checks(tables)
    return out


def _cross_checks(tables: dict[str, list[dict[str, Any]]]) -> Problems:
    """What spans records: references, reaction dates, one check-in per date."""
    out: Problems = []
    # references of the wrong type were reported field by field; here only strings
    sessions = {d.get("id"): d.get("date") for d in tables.get("sessions", [])
                if isinstance(d.get("id"), str)}
    for p in tables.get("plans", []):
        if isinstance(p.get("fulfilled_by"), str) and p["fulfilled_by"] not in sessions:
            out.append(f"plans {p.get('id')!r}: fulfilled_by {_shown(p['fulfilled_by'])} names "
                       "no session in the file")
    skin = tables.get("skin", [])
    for r in skin:
        sid = r.get("session_id")
        if not isinstance(sid, str):
            continue
        if sid not in sessions:
            out.append(f"skin {r.get('id')!r}: session_id {_shown(sid)} names no session in "
                       "the file")
        elif isinstance(r.get("date"), str) and isinstance(sessions[sid], str) \
                and r["date"] < sessions[sid]:
            out.append(f"skin {r.get('id')!r}: date {r['date']} is before its session "
                       f"({sessions[sid]}); accepted: on or after it")
    days = Counter(r.get("date") for r in skin if r.get("kind", "checkin") == "checkin"
                   and isinstance(r.get("date"), str))
    for day, n in sorted(days.items()):
        if n > 1:
            out.append(f"skin: {n} check-ins on {day}; accepted: one per date")
    return out


__all__ = ["check_import"]
