"""What a user can ask and do, shared by the command line and the app.

Every change runs inside one journal transaction: the journal is re-read under the
lock, the rules are checked against that fresh state, and only then is anything
written. Bad input raises `BadInput` (exit 2), a safety refusal `Refused` (exit 3);
storage problems surface as the store's own errors (exit 4).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator

from .domain.advice import advice_for
from .domain.classify import red_flag_advice
from .domain.models import (
    Exclusion, Injectable, Pause, Plan, Procedure, ProductUse, Profile, Reason, Session,
    Settings, SkinRecord, from_doc, to_doc,
)
from .domain.rules import MIN_MINUTES, Engine, Verdict
from .domain.settings_rules import SettingsError, apply_settings
from .domain.streaks import StreakInfo, compute_streaks
from .domain.values import frozen, replace
from .domain.vocabulary import (
    EXCLUSION_REASONS, FLAGS, INJECTABLE_KINDS, PAUSE_REASONS, PROCEDURE_KINDS,
    PRODUCT_KINDS, ZONES,
)
from .records import TABLES, BadRecord, State, doc_of, record_type, state_from
from .store.errors import BadRecordInJournal

MAX_LOG_MINUTES = 180
NOTE_LIMIT = 2000


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading a journal allocates tens of thousands of objects that all live on; the
    cyclic garbage collector would walk them again and again meanwhile (~10% of a load)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class BadInput(ValueError):
    """Input the program cannot accept (exit 2). The message names what is accepted."""


class Refused(Exception):
    """A safety rule said no (exit 3). Carries every reason."""

    def __init__(self, message: str, reasons: Iterable[Reason] = ()):
        super().__init__(message)
        self.reasons = tuple(reasons)


def choose(value: str, accepted: Iterable[str], what: str) -> str:
    accepted = tuple(accepted)
    if value not in accepted:
        raise BadInput(f"unknown {what} {value!r}; accepted: {', '.join(accepted)}")
    return value


def in_range(value: int, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadInput(f"{what} must be a whole number from {low} to {high}, got {value!r}")
    return value


def check_note(note: str | None) -> str:
    note = note or ""
    if len(note) > NOTE_LIMIT:
        raise BadInput(f"note is too long ({len(note)} characters; at most {NOTE_LIMIT})")
    return note


@frozen
class PlanView:
    plan: Plan
    verdict: Verdict

    def to_json(self) -> dict:
        return {
            "id": self.plan.id,
            "date": self.plan.date.isoformat(),
            "minutes": self.plan.minutes,
            "routine": self.plan.routine,
            "allowed": self.verdict.allowed,
            "reasons": [r.to_json() for r in self.verdict.reasons],
        }


@frozen
class TodayView:
    today: date
    verdict: Verdict
    next_plan: PlanView | None
    streak: StreakInfo
    advice: tuple[str, ...]
    earliest_cap: int | None = None  # the minutes allowed on verdict.earliest

    def to_json(self) -> dict:
        v = self.verdict
        return {
            "today": self.today.isoformat(),
            "allowed": v.allowed,
            "max_minutes": v.max_minutes,
            "reasons": [r.to_json() for r in v.reasons],
            "earliest": v.earliest.isoformat() if v.earliest else None,
            "next_plan": self.next_plan.to_json() if self.next_plan else None,
            "streak": self.streak.to_json(),
            "advice": list(self.advice),
        }


@frozen
class DayView:
    """One calendar cell: allowed / blocked / planned / done, and why."""

    date: date
    status: str
    in_month: bool
    verdict: Verdict | None
    plans: tuple[PlanView, ...]
    sessions: tuple[Session, ...]


@frozen
class SkinResult:
    record: SkinRecord
    cls: str
    advice: tuple[str, ...]


class Planner:
    """Use cases over one journal, with the date of "today" given from outside."""

    def __init__(self, journal, today: date):
        self.journal = journal
        self.today = today
        self._cache: tuple[Any, State, Engine] | None = None

    def on(self, day: date) -> "Planner":
        """The same journal seen from another day; the records already loaded are shared."""
        other = Planner(self.journal, day)
        if self._cache is not None:
            sig, st, eng = self._cache
            other._cache = (sig, st, eng.on(day))
        return other

    # ---------------------------------------------------------------- reading

    @property
    def data_dir(self) -> Path:
        return Path(self.journal.path).parent

    @property
    def user_routines_dir(self) -> Path:
        return self.data_dir / "routines"

    def _state_of(self, all_docs) -> State:
        """The records as domain values; a record the rules cannot use makes the journal
        unusable (exit 4, the app's error screen), as a damaged file does."""
        try:
            return state_from(all_docs)
        except BadRecord as e:
            from .store.versions import newest_readable

            try:
                newest = newest_readable(Path(self.journal.path))
            except OSError:
                newest = None
            raise BadRecordInJournal(Path(self.journal.path), str(e), newest) from None

    def _load(self) -> tuple[State, Engine]:
        sig = self.journal.signature()
        if self._cache is None or self._cache[0] != sig:
            with _gc_paused():
                snap = self.journal.snapshot()
                st = self._state_of(lambda t: snap.get(t, []))
                self._cache = (sig, st, Engine(st.history, st.settings, self.today))
        return self._cache[1], self._cache[2]

    def state(self) -> State:
        return self._load()[0]

    def loaded_signature(self) -> Any:
        """The journal file signature of the records loaded now (None: nothing loaded)."""
        return self._cache[0] if self._cache is not None else None

    def engine(self) -> Engine:
        return self._load()[1]

    def check(self, day: date, minutes: int | None = None) -> Verdict:
        return self.engine().check(day, minutes)

    def plan_views(self) -> list[PlanView]:
        st, eng = self._load()
        live = [p for p in st.history.plans if p.fulfilled_by is None and p.date >= self.today]
        return [PlanView(p, eng.plan_verdict(p)) for p in sorted(live, key=lambda p: (p.date, p.id))]

    def streak(self) -> StreakInfo:
        st, eng = self._load()
        return compute_streaks(st.history, st.settings, self.today, eng)

    def today_view(self) -> TodayView:
        st, eng = self._load()
        plans = self.plan_views()
        verdict = eng.check(self.today)
        return TodayView(self.today, verdict, plans[0] if plans else None,
                         self.streak(), tuple(advice_for(st.history, self.today)),
                         eng.cap(verdict.earliest) if verdict.earliest else None)

    def next_allowed(self) -> tuple[date | None, int]:
        eng = self.engine()
        d = eng.earliest(self.today)
        return d, eng.cap(d or self.today)

    def month(self, year: int, month: int) -> list[DayView]:
        """The 42 cells of a Monday-first month grid."""
        st, eng = self._load()
        first = date(year, month, 1)
        start = first - timedelta(days=first.weekday())
        plans_by_day: dict[date, list[Plan]] = {}
        for p in st.history.plans:
            if p.fulfilled_by is None and p.date >= self.today:
                plans_by_day.setdefault(p.date, []).append(p)
        sessions_by_day: dict[date, list[Session]] = {}
        for s in st.history.sessions:
            sessions_by_day.setdefault(s.date, []).append(s)
        out = []
        for i in range(42):
            d = start + timedelta(days=i)
            pv = tuple(PlanView(p, eng.plan_verdict(p)) for p in plans_by_day.get(d, []))
            ss = tuple(sessions_by_day.get(d, []))
            verdict = eng.check(d) if d >= self.today else None
            if ss:
                status = "done"
            elif pv:
                status = "planned"
            elif verdict is None:
                status = "past"
            else:
                status = "allowed" if verdict.allowed else "blocked"
            out.append(DayView(d, status, d.month == month, verdict, pv, ss))
        return out

    def history_items(self, start: date | None = None, end: date | None = None) -> list[dict]:
        """Every record with its type, oldest first (SPEC §7 `history --json`)."""
        snap = self.journal.snapshot()
        loaded = {r.id: r for r in self.state().history.skin}  # classes already worked out
        order = {t: n for n, t in enumerate(TABLES)}
        items = []
        for table in TABLES:
            for i, doc in enumerate(snap.get(table, [])):
                d = date.fromisoformat(doc.get("date") or doc.get("start"))
                if (start and d < start) or (end and d > end):
                    continue
                item = {"type": record_type(table, doc), **doc}
                if table == "pauses":
                    item["date"] = doc["start"]
                if table == "skin":
                    rec = loaded.get(doc["id"]) or from_doc(SkinRecord, doc)
                    item["class"] = rec.cls
                items.append((d, order[table], i, item))
        items.sort(key=lambda x: x[:3])
        return [x[3] for x in items]

    def find(self, record_id: str) -> tuple[str, dict]:
        snap = self.journal.snapshot()
        for table in TABLES:
            for doc in snap.get(table, []):
                if doc.get("id") == record_id:
                    return table, doc
        raise BadInput(f"no record with id {record_id!r}")

    # --------------------------------------------------------------- changes

    def _tx_state(self, tx) -> tuple[State, Engine]:
        st = self._state_of(tx.all)
        return st, Engine(st.history, st.settings, self.today)

    def _not_future(self, day: date, what: str) -> None:
        if day > self.today:
            raise BadInput(f"{what} date {day.isoformat()} is in the future; "
                           f"log only what has happened (today is {self.today.isoformat()})")

    def plan(self, day: date, minutes: int | None = None, routine: str | None = None) -> PlanView:
        if day < self.today:
            raise BadInput(f"cannot plan in the past ({day.isoformat()}); today is "
                           f"{self.today.isoformat()}")
        with self.journal.transaction() as tx:
            st, eng = self._tx_state(tx)
            m = minutes if minutes is not None else min(10, eng.cap(day))
            in_range(m, 1, MAX_LOG_MINUTES, "minutes")
            verdict = eng.check(day, m, fulfil=False)
            if not verdict.allowed:
                raise Refused(f"cannot plan a session on {day.isoformat()}", verdict.reasons)
            plan = Plan(id="", date=day, minutes=m, routine=routine)
            doc = doc_of(plan)
            del doc["id"]
            pid = tx.insert("plans", doc)
        plan = replace(plan, id=pid)
        return PlanView(plan, verdict)

    def unplan(self, plan_id: str) -> None:
        with self.journal.transaction() as tx:
            self._get(tx, "plans", plan_id)
            tx.delete("plans", plan_id)

    def move_plan(self, plan_id: str, day: date) -> PlanView:
        if day < self.today:
            raise BadInput(f"cannot move a plan into the past ({day.isoformat()})")
        with self.journal.transaction() as tx:
            st, eng = self._tx_state(tx)
            plan = from_doc(Plan, self._get(tx, "plans", plan_id))
            verdict = eng.check(day, plan.minutes, exclude=plan.id)
            if not verdict.allowed:
                raise Refused(f"cannot move the plan to {day.isoformat()}", verdict.reasons)
            tx.update("plans", plan_id, {"date": day.isoformat()})
        return PlanView(replace(plan, date=day), verdict)

    @staticmethod
    def _get(tx, table: str, record_id: str) -> dict:
        try:
            return tx.get(table, record_id)
        except KeyError:
            raise BadInput(f"no {record_type(table, {})} with id {record_id!r}") from None

    def start_check(self, minutes: int) -> Verdict:
        """Starting a session now is refused when today is blocked or the minutes exceed the cap."""
        verdict = self.check(self.today, minutes)
        if not verdict.allowed:
            raise Refused("a session cannot start today", verdict.reasons)
        return verdict

    def log_session(self, day: date, minutes: int, routine: str | None = None,
                    aborted: bool = False, note: str = "") -> Session:
        """Record what happened, also when it broke a rule (SPEC §3.2)."""
        self._not_future(day, "session")
        in_range(minutes, 1, MAX_LOG_MINUTES, "minutes")
        note = check_note(note)
        with self.journal.transaction() as tx:
            st, eng = self._tx_state(tx)
            violations = eng.session_violations(day, minutes, aborted)
            s = Session(id="", date=day, minutes=minutes, routine=routine, aborted=aborted,
                        violations=violations, note=note)
            doc = doc_of(s)
            del doc["id"]
            sid = tx.insert("sessions", doc)
            for p in st.history.plans:
                if p.date == day and p.fulfilled_by is None:
                    tx.update("plans", p.id, {"fulfilled_by": sid})
        return replace(s, id=sid)

    def _log_simple(self, table: str, cls: type, kind: str, accepted, what: str, day: date,
                    note: str):
        choose(kind, accepted, what)
        self._not_future(day, what)
        rec = cls(id="", date=day, kind=kind, note=check_note(note))
        doc = doc_of(rec)
        del doc["id"]
        with self.journal.transaction() as tx:
            rid = tx.insert(table, doc)
        return replace(rec, id=rid)

    def log_product(self, kind: str, day: date, note: str = "") -> ProductUse:
        return self._log_simple("products", ProductUse, kind, PRODUCT_KINDS, "product", day, note)

    def log_procedure(self, kind: str, day: date, note: str = "") -> Procedure:
        return self._log_simple("procedures", Procedure, kind, PROCEDURE_KINDS, "procedure",
                                day, note)

    def log_injectable(self, kind: str, day: date, note: str = "") -> Injectable:
        return self._log_simple("injectables", Injectable, kind, INJECTABLE_KINDS, "injectable",
                                day, note)

    @staticmethod
    def validate_skin_fields(redness=0, swelling=0, itch=0, burning=0, flags=(), zone=None,
                             note="") -> dict:
        in_range(redness, 0, 4, "redness")
        in_range(swelling, 0, 4, "swelling")
        in_range(itch, 0, 10, "itch")
        in_range(burning, 0, 10, "burning")
        for f in flags:
            choose(f, FLAGS, "flag")
        if zone is not None and zone != "":
            choose(zone, ZONES, "zone")
        return {
            "redness": redness, "swelling": swelling, "itch": itch, "burning": burning,
            "flags": sorted(set(flags), key=FLAGS.index), "zone": zone or None,
            "note": check_note(note),
        }

    def log_skin(self, kind: str, day: date, *, session_id: str | None = None,
                 **fields: Any) -> SkinResult:
        """A check-in or a reaction; returns its class and, for red flags, what to do."""
        choose(kind, ("checkin", "reaction"), "record kind")
        self._not_future(day, kind)
        values = self.validate_skin_fields(**fields)
        with self.journal.transaction() as tx:
            if session_id:
                self._get(tx, "sessions", session_id)
            doc = {"date": day.isoformat(), "kind": kind, **values, "session_id": session_id,
                   "resolved_on": None, "cleared_by_clinician": False}
            rid = tx.insert("skin", doc)
        rec = from_doc(SkinRecord, {**doc, "id": rid})
        cls = rec.cls
        advice = tuple(red_flag_advice(rec.flags)) if cls == "red-flag" else ()
        return SkinResult(rec, cls, advice)

    def resolve(self, ids: list[str] | None, day: date, cleared_by_clinician: bool = False,
                ) -> list[SkinRecord]:
        """Lift holds. A red flag needs a clinician's clearance; `ids=None` means all open holds."""
        self._not_future(day, "resolve")
        with self.journal.transaction() as tx:
            st, _ = self._tx_state(tx)
            by_id = {r.id: r for r in st.history.skin}
            if ids is None:
                targets = [r for r in st.history.skin
                           if r.rank >= 3 and (r.resolved_on is None
                                               or (r.cls == "red-flag" and not r.cleared_by_clinician))
                           and r.date <= day]
                if not targets:
                    raise BadInput("there is no open hold to resolve")
            else:
                targets = []
                for i in ids:
                    if i not in by_id:
                        raise BadInput(f"no skin record with id {i!r}")
                    targets.append(by_id[i])
            for r in targets:
                if r.rank < 3:
                    raise BadInput(f"record {r.id} is {r.cls}, not a hold: there is nothing "
                                   "to resolve")
                if r.resolved_on is not None and (r.cls != "red-flag" or r.cleared_by_clinician):
                    raise BadInput(f"record {r.id} was already resolved on "
                                   f"{r.resolved_on.isoformat()}")
                if r.date > day:
                    raise BadInput(f"record {r.id} is dated {r.date.isoformat()}, after "
                                   f"{day.isoformat()}")
                if r.cls == "red-flag" and not cleared_by_clinician:
                    raise Refused(
                        f"record {r.id} is a warning sign: it can only be resolved once a "
                        "clinician has cleared you (use --cleared-by-clinician)",
                        [Reason("medical-hold", "a clinician's clearance is needed", None)])
            for r in targets:
                tx.update("skin", r.id, {"resolved_on": day.isoformat(),
                                         "cleared_by_clinician": cleared_by_clinician})
        return [replace(r, resolved_on=day, cleared_by_clinician=cleared_by_clinician)
                for r in targets]

    def pause(self, start: date, end: date, reason: str, note: str = "") -> Pause:
        choose(reason, PAUSE_REASONS, "pause reason")
        if end < start:
            raise BadInput(f"the pause ends ({end.isoformat()}) before it starts "
                           f"({start.isoformat()})")
        if (end - start).days > 366:
            raise BadInput("a pause may last at most a year")
        p = Pause(id="", start=start, end=end, reason=reason, note=check_note(note))
        doc = doc_of(p)
        del doc["id"]
        with self.journal.transaction() as tx:
            pid = tx.insert("pauses", doc)
        return replace(p, id=pid)

    def unpause(self, pause_id: str) -> None:
        with self.journal.transaction() as tx:
            self._get(tx, "pauses", pause_id)
            tx.delete("pauses", pause_id)

    def delete_record(self, table: str, record_id: str) -> None:
        choose(table, TABLES, "table")
        with self.journal.transaction() as tx:
            self._get(tx, table, record_id)
            tx.delete(table, record_id)
            if table == "sessions":
                for p in tx.find("plans", fulfilled_by=record_id):
                    tx.update("plans", p["id"], {"fulfilled_by": None})

    def update_record(self, table: str, record_id: str, changes: dict) -> dict:
        """Edit a journal entry; fields are validated as for a new one."""
        choose(table, TABLES, "table")
        with self.journal.transaction() as tx:
            old = self._get(tx, table, record_id)
            merged = {**old, **changes}
            day = date.fromisoformat(merged.get("date") or merged["start"])
            if table != "plans":
                self._not_future(day, record_type(table, old))
            if table == "skin":
                self.validate_skin_fields(**{k: merged.get(k, v) for k, v in (
                    ("redness", 0), ("swelling", 0), ("itch", 0), ("burning", 0),
                    ("flags", ()), ("zone", None), ("note", ""))})
            elif table in ("products", "procedures", "injectables"):
                accepted = {"products": PRODUCT_KINDS, "procedures": PROCEDURE_KINDS,
                            "injectables": INJECTABLE_KINDS}[table]
                choose(merged["kind"], accepted, "kind")
                check_note(merged.get("note"))
            elif table == "sessions":
                in_range(merged["minutes"], 1, MAX_LOG_MINUTES, "minutes")
                st, eng = self._tx_state(tx)
                merged["violations"] = [r.to_json() for r in eng.session_violations(
                    day, merged["minutes"], merged.get("aborted", False), exclude=record_id)]
            tx.update(table, record_id, {k: v for k, v in merged.items() if k != "id"})
        return merged

    # ------------------------------------------------------- profile/settings

    def profile(self) -> Profile:
        return self.state().profile

    def settings(self) -> Settings:
        return self.state().settings

    def set_profile(self, **changes: Any) -> Profile:
        allowed = set(to_doc(Profile())) - {"exclusions"}
        for k, v in changes.items():
            if k not in allowed:
                raise BadInput(f"unknown profile field {k!r}; accepted: {', '.join(sorted(allowed))}")
            if not isinstance(v, bool):
                raise BadInput(f"{k} must be yes or no")
        with self.journal.transaction() as tx:
            cur = from_doc(Profile, tx.get_single("profile") or {})
            new = replace(cur, **changes)
            tx.set_single("profile", to_doc(new))
        return new

    def accept_notice(self) -> Profile:
        return self.set_profile(notice_accepted=True)

    def exclude(self, zone: str, reason: str, until: date | None = None) -> Profile:
        choose(zone, ZONES, "zone")
        choose(reason, EXCLUSION_REASONS, "exclusion reason")
        if until is not None and until < self.today:
            raise BadInput(f"--until {until.isoformat()} is already past")
        with self.journal.transaction() as tx:
            cur = from_doc(Profile, tx.get_single("profile") or {})
            kept = tuple(e for e in cur.exclusions if e.zone != zone)
            new = replace(cur, exclusions=(*kept, Exclusion(zone, reason, until)))
            tx.set_single("profile", to_doc(new))
        return new

    def include(self, zone: str) -> Profile:
        choose(zone, ZONES, "zone")
        with self.journal.transaction() as tx:
            cur = from_doc(Profile, tx.get_single("profile") or {})
            if not any(e.zone == zone for e in cur.exclusions):
                raise BadInput(f"zone {zone!r} is not excluded")
            new = replace(cur, exclusions=tuple(e for e in cur.exclusions if e.zone != zone))
            tx.set_single("profile", to_doc(new))
        return new

    def set_settings(self, **changes: Any) -> Settings:
        with self.journal.transaction() as tx:
            cur = from_doc(Settings, tx.get_single("settings") or {})
            try:
                new = apply_settings(cur, changes)
            except SettingsError as e:
                raise BadInput(str(e)) from None
            tx.set_single("settings", to_doc(new))
        return new


__all__ = [
    "Planner", "BadInput", "Refused", "PlanView", "TodayView", "DayView", "SkinResult",
    "MIN_MINUTES",
]
