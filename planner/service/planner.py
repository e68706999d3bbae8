"""What a user can ask and do, shared by the command line and the app.

Every change runs inside one journal transaction: the journal is re-read under the
lock, the rules are checked against that fresh state, and only then is anything
written. Bad input raises `BadInput` (exit 2), a safety refusal `Refused` (exit 3);
storage problems surface as the store's own errors (exit 4).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from operator import attrgetter
from pathlib import Path
from typing import Any, cast

from planner.domain.advice import advice_for
from planner.domain.classify import red_flag_advice
from planner.domain.models import (
    OUTCOMES,
    PRODUCT_NAME_LIMIT,
    Exclusion,
    History,
    Outcome,
    OwnProduct,
    Pause,
    Plan,
    ProductUse,
    Profile,
    Reason,
    Session,
    Settings,
    SkinRecord,
    from_doc,
    to_doc,
)
from planner.domain.rules import MIN_MINUTES, Engine, Verdict
from planner.domain.session_prep import (
    PREPARATION_KEYS,
    UNWELL_ALL_OVER,
    is_preferred,
    parse_time,
    parse_weekdays,
    skin_check_profile,
)
from planner.domain.settings_rules import SettingsError, apply_settings
from planner.domain.streaks import StreakInfo, compute_streaks
from planner.domain.values import Value, replace
from planner.domain.vocabulary import (
    EXCLUSION_REASONS,
    FLAGS,
    INJECTABLE_KINDS,
    PAUSE_REASONS,
    PROCEDURE_KINDS,
    PRODUCT_KINDS,
    ZONES,
    class_rank,
)
from planner.service.tables import (
    TABLES,
    TYPE_OF_TABLE,
    BadRecord,
    Records,
    doc_of,
    record_type,
    state_from,
)
from planner.store.errors import BadRecordInJournal

MAX_LOG_MINUTES = 180
NOTE_LIMIT = 2000
FIRST_ALLOWED_SEARCH_DAYS = 400  # how far `first_allowed` looks for an allowed date
SEVERE_RANK = class_rank("severe")
_ROUTINE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


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
    """Input the program cannot accept (exit 2). The message names what is accepted;
    `field`, when known, names the input it is about (e.g. the setting refused)."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.field = field


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
    if not isinstance(note, str):
        raise BadInput("a note must be text")
    if len(note) > NOTE_LIMIT:
        raise BadInput(f"note is too long ({len(note)} characters; at most {NOTE_LIMIT})")
    return note


OWN_PRODUCT_LIMIT = 200


def _product_name(text: str, what: str = "product name") -> str:
    """A product's name or brand: one line of 1-80 characters, outer spaces dropped."""
    if not isinstance(text, str):
        raise BadInput(f"a {what} must be text")
    name = " ".join(text.split())
    if not name or len(name) > PRODUCT_NAME_LIMIT:
        raise BadInput(f"a {what} has 1 to {PRODUCT_NAME_LIMIT} characters")
    return name


def check_routine_id(routine: str | None) -> str | None:
    """A routine id is a short word of letters, digits, dots, hyphens and underscores."""
    if routine is not None and (not isinstance(routine, str)
                                or not _ROUTINE_ID.fullmatch(routine)):
        raise BadInput(f"{routine!r} is not a routine id (see `acuplan routines list`)")
    return routine


class _Keep:
    """The default of an edit's optional field that may also be set to None."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


class PlanView(Value, frozen=True):
    """A plan and its state: `open` (re-checked: `verdict`), `done` (carried out by a
    session) or `missed` (its day passed with no session); past plans have no verdict."""

    plan: Plan
    verdict: Verdict | None
    dropped: tuple = ()  # steps the routine leaves out for this profile (builder.Dropped)
    status: str = "open"

    def to_json(self, with_status: bool = False) -> dict:
        """SPEC §7's plan object; `plans --all` adds the status (open, done, missed)."""
        v = self.verdict
        doc = {
            "id": self.plan.id,
            "date": self.plan.date.isoformat(),
            "minutes": self.plan.minutes,
            "routine": self.plan.routine,
            "allowed": v.allowed if v is not None else None,
            "reasons": [r.to_json() for r in v.reasons] if v is not None else [],
        }
        if with_status:
            doc["status"] = self.status
            doc["confirmed_missed"] = self.plan.confirmed_missed
        return doc


class TodayView(Value, frozen=True):
    today: date
    verdict: Verdict
    next_plan: PlanView | None
    streak: StreakInfo
    advice: tuple[str, ...]
    earliest_cap: int | None = None  # the minutes allowed on verdict.earliest
    missed_plans: tuple[Plan, ...] = ()  # past plans with no session, not yet asked about
    # The first allowed day that is also a preferred day (None: no preference, or none
    # found), so Today can name it beside the earliest allowed day.
    next_preferred: date | None = None

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


class DayView(Value, frozen=True):
    """One calendar cell: allowed / blocked / planned / done, and why."""

    date: date
    status: str
    in_month: bool
    verdict: Verdict | None
    plans: tuple[PlanView, ...]
    sessions: tuple[Session, ...]


class SkinResult(Value, frozen=True):
    record: SkinRecord
    cls: str
    advice: tuple[str, ...]
    updated: bool = False                 # an existing record was changed (same-day check-in)
    marked: tuple[Session, ...] = ()      # sessions this record now marks as breaking a rule
    unmarked: tuple[Session, ...] = ()    # sessions it no longer marks

    @property
    def id(self) -> str:
        return self.record.id


class Deleted(Value, frozen=True):
    """A record just deleted, as stored, and the records that pointed at it (table, id):
    all an undo needs (`Planner.undo_delete`). Indexable as the (table, doc) it was."""

    table: str
    doc: dict
    links: tuple[tuple[str, str], ...] = ()

    def __getitem__(self, i: int) -> Any:
        return (self.table, self.doc)[i]


class Logged(Value, frozen=True):
    """A record as the journal now holds it, and what the change did to other sessions."""

    record: Any
    violations: tuple[Reason, ...] = ()   # for a session: the rules it broke (derived)
    marked: tuple[Session, ...] = ()      # other sessions that now break a rule
    unmarked: tuple[Session, ...] = ()    # other sessions that no longer do

    @property
    def id(self) -> str:
        return self.record.id


class RoutineFit(Value, frozen=True):
    """A routine as this profile may do it on a day: what it leaves out, and whether what
    is left still lasts the 5-minute minimum (SPEC §3: refused with that reason)."""

    routine: Any
    dropped: tuple
    fits: bool
    reasons: tuple[Reason, ...]


class PreparedSession(Value, frozen=True):
    """A routine as a session started today runs it (`Planner.prepare_session`): the steps
    the profile allows, trimmed (whole repetitions) to today's cap."""

    routine: Any           # planner.domain.routine.Routine, with the kept steps
    steps: tuple
    dropped: tuple         # (what, why) for every step left out or shortened
    cap: int               # today's cap in minutes
    points: dict           # the point catalog, to name the steps

    @property
    def total_seconds(self) -> int:
        return sum(s.total_seconds for s in self.steps)

    @property
    def minutes(self) -> int:
        """What the session is checked against (`start_check`): whole minutes, at least 1."""
        return max(1, -(-self.total_seconds // 60))


def step_label(step, points) -> str:
    """How a step is named to the user: its point ("LI4 (Hegu)"), else technique · zone."""
    if step.point:
        p = points.get(step.point)
        return p.label if p else step.point
    return f"{step.technique} · {step.zone}"


def _day_status(sessions: tuple[Session, ...], plans: tuple[PlanView, ...],
                verdict: Verdict | None) -> str:
    """One word for a calendar cell: a session's mark (done, partial, aborted, or broke: it
    broke a rule), else planned / missed, else allowed / blocked, else past."""
    if sessions:
        s = max(sessions, key=lambda x: (bool(x.violations), x.aborted, x.partial))
        if s.violations:
            return "broke"
        return "aborted" if s.aborted else "partial" if s.partial else "done"
    if plans:
        return "missed" if all(p.status == "missed" for p in plans) else "planned"
    if verdict is None:
        return "past"
    return "allowed" if verdict.allowed else "blocked"


class Planner:
    """Use cases over one journal, with the date of "today" given from outside."""

    def __init__(self, journal, today: date):
        self.journal = journal
        self.today = today
        self._cache: tuple[Any, Records, Engine] | None = None

    def on(self, day: date) -> Planner:
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

    def _state_of(self, all_docs, same: Records | None = None,
                  unchanged: frozenset[str] = frozenset()) -> Records:
        """The records as domain values; a record the rules cannot use makes the journal
        unusable (exit 4, the app's error screen), as a damaged file does."""
        try:
            return state_from(all_docs, same=same, unchanged=unchanged)
        except BadRecord as e:
            from planner.store.versions import newest_readable

            try:
                newest = newest_readable(Path(self.journal.path))
            except OSError:
                newest = None
            raise BadRecordInJournal(Path(self.journal.path), str(e), newest) from None

    def _load(self) -> tuple[Records, Engine]:
        sig = self.journal.signature()
        if self._cache is None or self._cache[0] != sig:
            with _gc_paused():
                st = self._state_of(self.journal)  # typed, straight from the file's bytes
                eng = Engine(st.history, st.settings, self.today)
                self._cache = (sig, replace(st, history=eng.history), eng)
        return self._cache[1], self._cache[2]

    def state(self) -> Records:
        return self._load()[0]

    def loaded_signature(self) -> Any:
        """The journal file signature of the records loaded now (None: nothing loaded)."""
        return self._cache[0] if self._cache is not None else None

    def engine(self) -> Engine:
        return self._load()[1]

    def check(self, day: date, minutes: int | None = None) -> Verdict:
        return self.engine().check(day, minutes)

    def plan_views(self, include_past: bool = False) -> list[PlanView]:
        """Plans still ahead, re-checked; with `include_past`, also those carried out and
        those missed (SPEC §1: a missed plan stays listed), oldest first."""
        st, eng = self._load()
        out = []
        for p in sorted(st.history.plans, key=lambda p: (p.date, p.id)):
            if p.live(self.today):
                out.append(PlanView(p, eng.plan_verdict(p)))
            elif include_past:
                out.append(PlanView(p, None, status="done" if p.fulfilled_by else "missed"))
        return out

    def open_holds(self) -> list[SkinRecord]:
        """Severe records not resolved and red flags not cleared: only `resolve` lifts them."""
        return sorted(self.engine().unresolved_holds(), key=attrgetter("date", "id"))

    def missed_plans(self) -> list[Plan]:
        """Past plans with no session that the user has not yet said did not happen."""
        return [p for p in sorted(self.state().history.plans, key=lambda p: (p.date, p.id))
                if p.missed(self.today) and not p.confirmed_missed]

    def streak(self) -> StreakInfo:
        st, eng = self._load()
        return compute_streaks(st.history, st.settings, self.today, eng)

    def today_view(self) -> TodayView:
        st, eng = self._load()
        plans = self.plan_views()
        verdict = eng.check(self.today)
        preferred = None
        if st.profile.preferred_days and verdict.earliest is not None:
            preferred = self._first_day(verdict.earliest, MIN_MINUTES, preferred=True)
        return TodayView(self.today, verdict, plans[0] if plans else None,
                         self.streak(), tuple(advice_for(st.history, self.today)),
                         eng.cap(verdict.earliest) if verdict.earliest else None,
                         tuple(self.missed_plans()), preferred)

    def next_allowed(self) -> tuple[date | None, int]:
        eng = self.engine()
        d = eng.earliest(self.today)
        return d, eng.cap(d or self.today)

    def next_preferred_allowed(self) -> date | None:
        """The first day from today on which a session is allowed and that is a preferred
        day; None when no days are preferred or a hold must be resolved first."""
        if not self.profile().preferred_days:
            return None
        return self._first_day(self.today, MIN_MINUTES, preferred=True)

    def first_allowed(self, start: date, minutes: int, exclude: str | None = None,
                      preferred: bool = False) -> date | None:
        """The first date on or after `start` (and today) on which a new plan of `minutes`
        is allowed: the plans already made count, as they do for `plan` and `move_plan`;
        `exclude` leaves out a plan (the one being moved); `preferred`: only the profile's
        preferred days (any day when none are set). None: no such date within
        FIRST_ALLOWED_SEARCH_DAYS, or a hold must be resolved first."""
        return self._first_day(start, minutes, exclude=exclude, preferred=preferred,
                               for_plan=True)

    def _first_day(self, start: date, minutes: int, exclude: str | None = None,
                   preferred: bool = False, for_plan: bool = False) -> date | None:
        eng = self.engine()
        days = self.profile().preferred_days if preferred else ()
        d = max(start, self.today)
        for _ in range(FIRST_ALLOWED_SEARCH_DAYS):
            v = eng.check(d, minutes, exclude=exclude, fulfil=not for_plan)
            if v.allowed:
                if is_preferred(d, days):
                    return d
                d += timedelta(days=1)
                continue
            non_duration = [r for r in v.reasons if r.rule != "duration"]
            if non_duration and v.earliest is None:
                return None
            if non_duration and v.earliest and v.earliest > d:
                d = v.earliest
            else:
                d += timedelta(days=1)
        return None

    def checkin_on(self, day: date) -> dict | None:
        """The check-in of `day` as stored, to edit (one per date, SPEC §1); None if none."""
        same = [r for r in self.state().history.skin if r.kind == "checkin" and r.date == day]
        if not same:
            return None
        try:
            return dict(self.find(same[-1].id)[1])
        except BadInput:
            return None

    def exposure_wait(self, table: str, day: date) -> Reason | None:
        """What a product use, procedure or injectable (`table`) on `day` asks of sessions
        from that day (or today, if later) on: the rule's reason with its end, or None."""
        waits = {"products": "product_blackout", "procedures": "procedure_wait",
                 "injectables": "injectable_wait"}
        choose(table, waits, "exposure table")
        return getattr(self.engine(), waits[table])(max(day, self.today))

    def open_hold_ids(self) -> frozenset[str]:
        """The ids of the skin records whose hold is open (see `open_holds`)."""
        return frozenset(r.id for r in self.engine().unresolved_holds())

    def month(self, year: int, month: int) -> list[DayView]:
        """The 42 cells of a Monday-first month grid."""
        st, eng = self._load()
        first = date(year, month, 1)
        start = first - timedelta(days=first.weekday())
        plans_by_day: dict[date, list[Plan]] = {}
        for p in st.history.plans:
            if p.fulfilled_by is None:
                plans_by_day.setdefault(p.date, []).append(p)
        sessions_by_day: dict[date, list[Session]] = {}
        for s in st.history.sessions:
            sessions_by_day.setdefault(s.date, []).append(s)
        out = []
        for i in range(42):
            d = start + timedelta(days=i)
            pv = tuple(PlanView(p, eng.plan_verdict(p)) if p.live(self.today)
                       else PlanView(p, None, status="missed")
                       for p in plans_by_day.get(d, []))
            ss = tuple(sessions_by_day.get(d, []))
            verdict = eng.check(d) if d >= self.today else None
            out.append(DayView(d, _day_status(ss, pv, verdict), d.month == month, verdict,
                               pv, ss))
        return out

    def history_items(self, start: date | None = None, end: date | None = None) -> list[dict]:
        """Every record with its type, oldest first (SPEC §7 `history --json`)."""
        snap = self.journal.snapshot()
        st = self.state()
        loaded = {r.id: r for r in st.history.skin}  # classes already worked out
        violations = {x.id: x.violations for x in st.history.sessions}
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
                if table == "sessions":  # derived from the whole history, never stored
                    item["violations"] = [r.to_json() for r in violations.get(doc["id"], ())]
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
    #
    # Every change to the journal is one of the commands below (COMMANDS lists them), and
    # every one of them runs through `_change`: under the journal lock it reads the
    # records as they are now, applies the change, rebuilds the records as they would be,
    # and checks them with the rules before anything is written. No command writes a
    # table's document "as given".

    def _tx_state(self, tx, same: Records | None = None,
                  unchanged: frozenset[str] = frozenset()) -> tuple[Records, Engine]:
        st = self._state_of(tx.all, same, unchanged)
        eng = Engine(st.history, st.settings, self.today)
        return replace(st, history=eng.history), eng

    @contextmanager
    def _change(self, *, lifts_holds: bool = False) -> Iterator[_Work]:
        """One checked change: yields the state before it; on leaving, the state after it
        is rebuilt and re-checked (open holds stay open unless `resolve` lifted them), and
        the sessions whose derived violations changed are put in `work.marked`."""
        with self.journal.transaction() as tx:
            sig = self.journal.signature()
            if self._cache is not None and self._cache[0] == sig and sig is not None:
                _, st, eng = self._cache  # the file under the lock is the one loaded
            else:
                st, eng = self._tx_state(tx)
            tracked = _TrackedTx(tx)
            work = _Work(tracked, st, eng, _next_stamp(st.history))
            yield work
            if not tx.dirty:
                return
            untouched = _TrackedTx.EVERY_TABLE - tracked.written
            after, after_eng = self._tx_state(tx, st, untouched)
            if not lifts_holds:
                _holds_kept(eng, after_eng, self.today)
            work.after, work.after_engine = after, after_eng
            work.marked, work.unmarked = _marked_changes(st.history, after.history)
        # written: what was just checked is what the file now holds
        self._cache = (self.journal.written_signature(), after, after_eng)

    def _not_future(self, day: date, what: str) -> None:
        if day > self.today:
            raise BadInput(f"{what} date {day.isoformat()} is in the future; "
                           f"log only what has happened (today is {self.today.isoformat()})")

    @staticmethod
    def _get(tx, table: str, record_id: str) -> dict:
        try:
            return tx.get(table, record_id)
        except KeyError:
            raise BadInput(f"no {record_type(table, {})} with id {record_id!r}") from None

    # -- plans

    def plan(self, day: date, minutes: int | None = None, routine: str | None = None) -> PlanView:
        """Schedule a session; refused (exit 3) when a rule blocks the day, or when the
        routine, trimmed for this profile on that day, falls under 5 minutes."""
        if day < self.today:
            raise BadInput(f"cannot plan in the past ({day.isoformat()}); today is "
                           f"{self.today.isoformat()}")
        fit = self.routine_fit(routine, day) if routine is not None else None
        with self._change() as w:
            m = minutes if minutes is not None else min(10, w.engine.cap(day))
            in_range(m, 1, MAX_LOG_MINUTES, "minutes")
            verdict = w.engine.check(day, m, fulfil=False)
            if fit is not None and not fit.fits:
                verdict = _with_reasons(verdict, fit.reasons)
            if not verdict.allowed:
                raise Refused(f"cannot plan a session on {day.isoformat()}", verdict.reasons)
            plan = Plan(id="", date=day, minutes=m, routine=routine)
            doc = doc_of(plan)
            del doc["id"]
            pid = w.tx.insert("plans", doc)
        return PlanView(replace(plan, id=pid), verdict, fit.dropped if fit else ())

    def plan_next(self, minutes: int | None = None, routine: str | None = None) -> PlanView:
        """Plan the earliest allowed day that is a preferred day (any day when none are
        set, SPEC §7 `plan --next`); refused when a hold leaves no such day."""
        if minutes is not None:
            in_range(minutes, 1, MAX_LOG_MINUTES, "minutes")
        day = self.first_allowed(self.today, minutes or MIN_MINUTES, preferred=True)
        if day is None:
            v = self.check(self.today)
            reasons = tuple(r for r in v.reasons if r.until is None) or v.reasons
            raise Refused("no allowed day to plan on within "
                          f"{FIRST_ALLOWED_SEARCH_DAYS} days: resolve the hold first",
                          reasons)
        if minutes is None and routine is None:
            minutes = min(10, self.engine().cap(day))
        return self.plan(day, minutes, routine)

    def move_plan(self, plan_id: str, day: date) -> PlanView:
        if day < self.today:
            raise BadInput(f"cannot move a plan into the past ({day.isoformat()})")
        with self._change() as w:
            plan = from_doc(Plan, self._get(w.tx, "plans", plan_id))
            if plan.fulfilled_by is not None:
                raise BadInput(f"plan {plan_id} was carried out by session {plan.fulfilled_by}")
            verdict = w.engine.check(day, plan.minutes, exclude=plan.id, fulfil=False)
            if not verdict.allowed:
                raise Refused(f"cannot move the plan to {day.isoformat()}", verdict.reasons)
            w.tx.update("plans", plan_id, {"date": day.isoformat(), "confirmed_missed": False})
        return PlanView(replace(plan, date=day), verdict)

    def unplan(self, plan_id: str) -> Plan:
        """Cancel a plan (one not yet carried out); returns it."""
        with self._change() as w:
            plan = from_doc(Plan, self._get(w.tx, "plans", plan_id))
            if plan.fulfilled_by is not None:
                raise BadInput(f"plan {plan_id} was carried out by session {plan.fulfilled_by}; "
                               "there is nothing to cancel")
            w.tx.delete("plans", plan_id)
        return plan

    def confirm_missed(self, plan_id: str) -> Plan:
        """The user says a past plan did not happen (Today asks once per missed plan)."""
        with self._change() as w:
            plan = from_doc(Plan, self._get(w.tx, "plans", plan_id))
            if not plan.missed(self.today):
                raise BadInput(f"plan {plan_id} on {plan.date.isoformat()} is not a missed plan")
            w.tx.update("plans", plan_id, {"confirmed_missed": True})
        return replace(plan, confirmed_missed=True)

    def start_check(self, minutes: int) -> Verdict:
        """Starting a session now is refused when today is blocked or the minutes exceed the cap."""
        verdict = self.check(self.today, minutes)
        if not verdict.allowed:
            raise Refused("a session cannot start today", verdict.reasons)
        return verdict

    # -- sessions

    def log_session(self, day: date, minutes: int, routine: str | None = None,
                    outcome: str = "completed", note: str = "") -> Logged:
        """Record what happened, also when it broke a rule (SPEC §3.2): the session comes
        back with its derived violations, and a plan on its day is carried out by it."""
        self._not_future(day, "session")
        in_range(minutes, 1, MAX_LOG_MINUTES, "minutes")
        choose(outcome, OUTCOMES, "outcome")
        note = check_note(note)
        check_routine_id(routine)
        with self._change() as w:
            s = Session(id="", date=day, minutes=minutes, routine=routine,
                        outcome=cast(Outcome, outcome),
                        note=note, logged=w.stamp)
            doc = doc_of(s)
            del doc["id"]
            sid = w.tx.insert("sessions", doc)
            _fulfil_plans(w.tx, w.state.history.plans, day, sid)
        return w.logged("sessions", sid)

    def edit_session(self, session_id: str, *, day: date | None = None,
                     minutes: int | None = None, routine: str | None | _Keep = KEEP,
                     outcome: str | None = None, note: str | None = None) -> Logged:
        """Correct a recorded session; its violations (and other sessions') are derived again."""
        with self._change() as w:
            old = from_doc(Session, self._get(w.tx, "sessions", session_id))
            new_day = old.date if day is None else day
            self._not_future(new_day, "session")
            changes: dict[str, Any] = {"date": new_day.isoformat()}
            if minutes is not None:
                changes["minutes"] = in_range(minutes, 1, MAX_LOG_MINUTES, "minutes")
            if outcome is not None:
                changes["outcome"] = choose(outcome, OUTCOMES, "outcome")
            if note is not None:
                changes["note"] = check_note(note)
            if not isinstance(routine, _Keep):
                changes["routine"] = check_routine_id(routine)
            early = [r for r in w.state.history.skin
                     if r.session_id == session_id and r.date < new_day]
            if early:
                raise BadInput(f"reaction {early[0].id} tied to this session is dated "
                               f"{early[0].date.isoformat()}, before {new_day.isoformat()}; "
                               "a session comes before its reactions")
            w.tx.update("sessions", session_id, changes)
            if new_day != old.date:
                for p in w.state.history.plans:
                    if p.fulfilled_by == session_id:
                        w.tx.update("plans", p.id, {"fulfilled_by": None})
                _fulfil_plans(w.tx, w.state.history.plans, new_day, session_id)
        return w.logged("sessions", session_id)

    # -- products, procedures, injectables

    def _log_exposure(self, table: str, kind: str, day: date, note: str) -> Logged:
        choose(kind, _EXPOSURE_KINDS[table], TYPE_OF_TABLE[table])
        self._not_future(day, TYPE_OF_TABLE[table])
        note = check_note(note)
        with self._change() as w:
            rec = TABLES[table](id="", date=day, kind=kind, note=note, logged=w.stamp)
            doc = doc_of(rec)
            del doc["id"]
            rid = w.tx.insert(table, doc)
        return w.logged(table, rid)

    def log_product(self, kind: str | None, day: date, note: str = "", *,
                    product: str | None = None, keep: bool = False) -> Logged:
        """A home active used on `day`. By `product` name: one of the user's own products
        gives its kind (a `kind` that differs is refused); another name is stored with the
        use as given, and with `keep` also kept as the user's product (a kind is needed)."""
        if product is None:
            if kind is None:
                raise BadInput("give the product's kind (" + ", ".join(PRODUCT_KINDS)
                               + ") or the name of one of your products")
            return self._log_exposure("products", kind, day, note)
        name = _product_name(product)
        self._not_future(day, "product")
        note = check_note(note)
        with self._change() as w:
            own = w.state.profile.own_product(name)
            if own is not None:
                if kind is not None and kind != own.kind:
                    raise BadInput(f"{own.name} is kept as a {own.kind}, not a {kind}; "
                                   "leave the kind out or change the product")
                kind, name = own.kind, own.name
            elif kind is None:
                raise BadInput(f"{name!r} is not one of your products; give its kind ("
                               + ", ".join(PRODUCT_KINDS) + ")")
            choose(kind, PRODUCT_KINDS, "product")
            if own is None and keep:
                profile = w.state.profile
                new = replace(profile, products=(*profile.products,
                                                 OwnProduct(name, cast(Any, kind))))
                w.tx.set_single("profile", to_doc(new))
            rec = ProductUse(id="", date=day, kind=kind, note=note, logged=w.stamp, name=name)
            doc = doc_of(rec)
            del doc["id"]
            rid = w.tx.insert("products", doc)
        return w.logged("products", rid)

    def add_product(self, name: str, kind: str, brand: str = "") -> Profile:
        """Keep a product by name (its kind drives the rules when it is logged)."""
        name = _product_name(name)
        brand = _product_name(brand, "brand") if brand.strip() else ""
        choose(kind, PRODUCT_KINDS, "product")
        with self._change() as w:
            profile = w.state.profile
            if profile.own_product(name) is not None:
                raise BadInput(f"you already keep a product called {name!r}")
            if len(profile.products) >= OWN_PRODUCT_LIMIT:
                raise BadInput(f"at most {OWN_PRODUCT_LIMIT} products can be kept; remove one")
            new = replace(profile, products=(*profile.products,
                                             OwnProduct(name, cast(Any, kind), brand)))
            w.tx.set_single("profile", to_doc(new))
        return new

    def remove_product(self, name: str) -> Profile:
        """Stop keeping a product; its uses already logged keep its name."""
        with self._change() as w:
            profile = w.state.profile
            own = profile.own_product(name)
            if own is None:
                kept = ", ".join(p.name for p in profile.products) or "none"
                raise BadInput(f"no product called {name!r}; yours: {kept}")
            new = replace(profile, products=tuple(p for p in profile.products if p is not own))
            w.tx.set_single("profile", to_doc(new))
        return new

    def log_procedure(self, kind: str, day: date, note: str = "") -> Logged:
        return self._log_exposure("procedures", kind, day, note)

    def log_injectable(self, kind: str, day: date, note: str = "") -> Logged:
        return self._log_exposure("injectables", kind, day, note)

    def edit_exposure(self, record_id: str, *, kind: str | None = None,
                      day: date | None = None, note: str | None = None) -> Logged:
        """Correct a product use, procedure or injectable (found by its id)."""
        with self._change() as w:
            table = _table_of(w.tx, record_id, _EXPOSURE_KINDS)
            old = self._get(w.tx, table, record_id)
            changes: dict[str, Any] = {}
            if kind is not None:
                changes["kind"] = choose(kind, _EXPOSURE_KINDS[table], TYPE_OF_TABLE[table])
            if day is not None:
                self._not_future(day, TYPE_OF_TABLE[table])
                changes["date"] = day.isoformat()
            if note is not None:
                changes["note"] = check_note(note)
            w.tx.update(table, record_id, changes)
            del old
        return w.logged(table, record_id)

    # -- skin records

    @staticmethod
    def validate_skin_fields(redness=0, swelling=0, itch=0, burning=0, flags=(), zone=None,
                             note="") -> dict:
        in_range(redness, 0, 4, "redness")
        in_range(swelling, 0, 4, "swelling")
        in_range(itch, 0, 10, "itch")
        in_range(burning, 0, 10, "burning")
        if isinstance(flags, str):
            raise BadInput("flags must be a list of flag words")
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
        """A check-in or a reaction; returns its class and, for red flags, what to do.

        One check-in per date (SPEC §1): a second one for a date updates that record, as
        an edit would (so it cannot lower an open hold)."""
        choose(kind, ("checkin", "reaction"), "record kind")
        self._not_future(day, kind)
        values = self.validate_skin_fields(**fields)
        if kind == "checkin" and session_id is not None:
            raise BadInput("a check-in is not tied to a session; log a reaction instead")
        with self._change() as w:
            same_day = [r for r in w.state.history.skin
                        if kind == "checkin" and r.kind == "checkin" and r.date == day]
            if same_day:
                rid = same_day[-1].id
                w.tx.update("skin", rid, values)
                updated = True
            else:
                if session_id:
                    _reaction_after_session(w.tx, session_id, day, self._get)
                doc = {"date": day.isoformat(), "kind": kind, **values,
                       "session_id": session_id, "resolved_on": None,
                       "cleared_by_clinician": False, "logged": w.stamp}
                rid = w.tx.insert("skin", doc)
                updated = False
        return w.skin_result(rid, updated)

    def edit_skin(self, record_id: str, *, day: date | None = None,
                  session_id: str | None | _Keep = KEEP, **fields: Any) -> SkinResult:
        """Correct a check-in or reaction. While its hold is open, a record that holds
        sessions cannot be made milder (exit 3: `resolve` lifts holds)."""
        with self._change() as w:
            old = self._get(w.tx, "skin", record_id)
            merged = {k: old.get(k, d) for k, d in _SKIN_DEFAULTS.items()}
            merged.update(fields)
            values = self.validate_skin_fields(**merged)
            new_day = date.fromisoformat(old["date"]) if day is None else day
            self._not_future(new_day, old.get("kind", "checkin"))
            resolved = old.get("resolved_on")
            if resolved and new_day > date.fromisoformat(resolved):
                raise BadInput(f"record {record_id} was resolved on {resolved}; its date cannot "
                               "move after that")
            sid = old.get("session_id") if isinstance(session_id, _Keep) else session_id
            if old.get("kind") == "reaction" and sid:
                _reaction_after_session(w.tx, sid, new_day, self._get)
            if (old.get("kind") == "checkin" and new_day.isoformat() != old["date"]
                    and any(r.kind == "checkin" and r.date == new_day
                            for r in w.state.history.skin)):
                raise BadInput(f"there is already a check-in on {new_day.isoformat()}; edit "
                               "that one instead")
            w.tx.update("skin", record_id, {**values, "date": new_day.isoformat(),
                                            "session_id": sid})
        return w.skin_result(record_id, True)

    def resolve(self, ids: list[str] | None, day: date, cleared_by_clinician: bool = False,
                ) -> list[SkinRecord]:
        """Lift holds. A red flag needs a clinician's clearance; `ids=None` means all open
        holds. The only command that may lift one."""
        self._not_future(day, "resolve")
        with self._change(lifts_holds=True) as w:
            st = w.state
            by_id = {r.id: r for r in st.history.skin}
            if ids is None:
                targets = [r for r in st.history.skin if _is_open_hold(r) and r.date <= day]
                if not targets:
                    raise BadInput("there is no open hold to resolve")
            else:
                targets = []
                for i in ids:
                    if i not in by_id:
                        raise BadInput(f"no skin record with id {i!r}")
                    targets.append(by_id[i])
            for r in targets:
                if r.rank < SEVERE_RANK:
                    raise BadInput(f"record {r.id} is {r.cls}, not a hold: there is nothing "
                                   "to resolve")
                if not _is_open_hold(r):
                    raise BadInput(f"record {r.id} was already resolved on "
                                   f"{r.resolved_on}")
                if r.date > day:
                    raise BadInput(f"record {r.id} is dated {r.date.isoformat()}, after "
                                   f"{day.isoformat()}; a hold is resolved on or after the "
                                   "day it was recorded")
                if r.cls == "red-flag" and not cleared_by_clinician:
                    raise Refused(
                        f"record {r.id} is a warning sign: it can only be resolved once a "
                        "clinician has cleared you (use --cleared-by-clinician)",
                        [Reason("medical-hold", "a clinician's clearance is needed", None)])
            for r in targets:
                w.tx.update("skin", r.id, {"resolved_on": day.isoformat(),
                                           "cleared_by_clinician": cleared_by_clinician})
        return [replace(r, resolved_on=day, cleared_by_clinician=cleared_by_clinician)
                for r in targets]

    # -- pauses

    def pause(self, start: date, end: date, reason: str, note: str = "") -> Pause:
        choose(reason, PAUSE_REASONS, "pause reason")
        if end < start:
            raise BadInput(f"the pause ends ({end.isoformat()}) before it starts "
                           f"({start.isoformat()})")
        if (end - start).days > 366:
            raise BadInput("a pause may last at most a year")
        note = check_note(note)
        with self._change() as w:
            p = Pause(id="", start=start, end=end, reason=reason, note=note, logged=w.stamp)
            doc = doc_of(p)
            del doc["id"]
            pid = w.tx.insert("pauses", doc)
        return replace(p, id=pid)

    def unpause(self, pause_id: str) -> Pause:
        with self._change() as w:
            p = from_doc(Pause, self._get(w.tx, "pauses", pause_id))
            w.tx.delete("pauses", pause_id)
        return p

    # -- any record

    def delete_record(self, record_id: str) -> Deleted:
        """Delete a journal entry by id; returns it as stored, for an undo.

        A skin record that ever held sessions stays (exit 3): while open only `resolve`
        lifts it, and once resolved its resolution keeps resetting the ramp. A deleted
        session lets go of the plan it carried out and of its reactions."""
        with self._change() as w:
            table = _table_of(w.tx, record_id, TABLES)
            doc = self._get(w.tx, table, record_id)
            if table == "skin":
                rec = next(r for r in w.state.history.skin if r.id == record_id)
                if rec.rank >= SEVERE_RANK or rec.resolved_on is not None:
                    raise Refused(_hold_edit_message(rec, "deleted"), _hold_reasons(rec))
            w.tx.delete(table, record_id)
            links: list[tuple[str, str]] = []
            if table == "sessions":
                for p in w.tx.find("plans", fulfilled_by=record_id):
                    w.tx.update("plans", p["id"], {"fulfilled_by": None})
                    links.append(("plans", p["id"]))
                for r in w.tx.find("skin", session_id=record_id):
                    w.tx.update("skin", r["id"], {"session_id": None})
                    links.append(("skin", r["id"]))
        return Deleted(table, dict(doc), tuple(links))

    def undo_delete(self, deleted: Deleted) -> Logged:
        """Put a deleted record back as it was (its id, its links), re-checked like any
        change: a plan whose day has passed or is now blocked is refused, as planning it
        again would be; everything else is history and comes back with what it implies."""
        from planner.service.import_checks import check_import

        table, doc = deleted.table, dict(deleted.doc)
        if table not in TABLES or table in ("profile", "settings"):
            raise BadInput(f"cannot undo the deletion of a {table!r} record")
        problems = check_import({table: [doc]}, self.today)
        if problems:
            raise BadInput(f"cannot put the record back: {problems[0]}")
        with self._change() as w:
            rid = doc["id"]
            if any(r["id"] == rid for r in w.tx.find(table)):
                raise BadInput(f"the {record_type(table, doc)} {rid} is back already")
            if table == "plans":
                plan = from_doc(Plan, doc)
                if plan.fulfilled_by is None and plan.date < self.today:
                    raise BadInput(f"the plan's day ({plan.date.isoformat()}) has passed; "
                                   "plan a new day instead")
                verdict = w.engine.check(plan.date, plan.minutes, fulfil=False)
                if plan.fulfilled_by is None and not verdict.allowed:
                    raise Refused(f"cannot put the plan on {plan.date.isoformat()} back",
                                  verdict.reasons)
            w.tx.insert(table, doc)
            for other, oid in deleted.links:
                field = "fulfilled_by" if other == "plans" else "session_id"
                found = [r for r in w.tx.find(other) if r["id"] == oid]
                if found and found[0].get(field) is None:
                    w.tx.update(other, oid, {field: rid})
        return w.logged(table, rid)

    # ------------------------------------------------------- profile/settings

    def profile(self) -> Profile:
        return self.state().profile

    def settings(self) -> Settings:
        return self.state().settings

    def set_profile(self, **changes: Any) -> Profile:
        allowed = set(to_doc(Profile())) - {"exclusions"}
        for k, v in changes.items():
            if k not in allowed:
                raise BadInput(f"unknown profile field {k!r}; "
                               f"accepted: {', '.join(sorted(allowed))}")
            if not isinstance(v, bool):
                raise BadInput(f"{k} must be yes or no")
        with self._change() as w:
            new = replace(w.state.profile, **changes)
            w.tx.set_single("profile", to_doc(new))
        return new

    def accept_notice(self) -> Profile:
        return self.set_profile(notice_accepted=True)

    def exclude(self, zone: str, reason: str, until: date | None = None) -> Profile:
        choose(zone, ZONES, "zone")
        choose(reason, EXCLUSION_REASONS, "exclusion reason")
        if until is not None and until < self.today:
            raise BadInput(f"--until {until.isoformat()} is already past")
        with self._change() as w:
            cur = w.state.profile
            kept = tuple(e for e in cur.exclusions if e.zone != zone)
            new = replace(cur, exclusions=(*kept, Exclusion(zone, reason, until)))
            w.tx.set_single("profile", to_doc(new))
        return new

    def include(self, zone: str) -> Profile:
        choose(zone, ZONES, "zone")
        with self._change() as w:
            cur = w.state.profile
            if not any(e.zone == zone for e in cur.exclusions):
                raise BadInput(f"zone {zone!r} is not excluded")
            new = replace(cur, exclusions=tuple(e for e in cur.exclusions if e.zone != zone))
            w.tx.set_single("profile", to_doc(new))
        return new

    def set_settings(self, **changes: Any) -> Settings:
        with self._change() as w:
            try:
                new = apply_settings(w.state.settings, changes)
            except SettingsError as e:
                raise BadInput(str(e), getattr(e, "field", None)) from None
            w.tx.set_single("settings", to_doc(new))
        return new

    def set_preferences(self, days: str | None = None, time: str | None = None) -> Profile:
        """Preferred days ("sat,sun", "none") and time ("19:00", "none") for sessions."""
        changes: dict[str, Any] = {}
        try:
            if days is not None:
                changes["preferred_days"] = parse_weekdays(days)
            if time is not None:
                changes["preferred_time"] = parse_time(time)
        except ValueError as e:
            raise BadInput(str(e)) from None
        if not changes:
            raise BadInput("nothing to set; accepted: --preferred-days, --preferred-time")
        with self._change() as w:
            new = replace(w.state.profile, **changes)
            w.tx.set_single("profile", to_doc(new))
        return new

    def remember_preparation(self, ticked: Iterable[str]) -> Profile:
        """Keep the preparation items ticked this time, for the next session's defaults.
        Writes nothing when they are what is kept already."""
        items = tuple(k for k in PREPARATION_KEYS if k in set(ticked))
        unknown = sorted(set(ticked) - set(PREPARATION_KEYS))
        if unknown:
            raise BadInput(f"unknown preparation item {unknown[0]!r}; accepted: "
                           f"{', '.join(PREPARATION_KEYS)}")
        if self.profile().preparation == items:
            return self.profile()
        with self._change() as w:
            new = replace(w.state.profile, preparation=items)
            w.tx.set_single("profile", to_doc(new))
        return new

    # -- routines as this profile may do them

    def library(self):
        """The shipped and user routines (loaded once, on first use: not on `status`)."""
        lib = getattr(self, "_library", None)
        if lib is None:
            from planner.library.loader import load_library

            lib = self._library = load_library(self.user_routines_dir)
        return lib

    def routine_names(self, ids: Iterable[str | None]) -> dict[str, str]:
        """Routine id -> its name, for the ids the library has (a name is a nicety for
        a calendar or a report: a library that cannot load leaves the ids as they are)."""
        wanted = {i for i in ids if i}
        if not wanted:
            return {}
        try:
            routines = self.library().routines
        except Exception:  # noqa: BLE001
            return {}
        return {i: routines[i].name for i in wanted if i in routines}

    def routine_fit(self, routine_id: str, day: date,
                    skipped: dict[str, str] | None = None) -> RoutineFit:
        """The routine without the steps a profile caution, an excluded zone or a zone
        named in the skin check (`skipped`: zone -> reason, that day only) leaves out on
        `day`; not fitting when what is left lasts under 5 minutes."""
        from planner.domain.builder import filter_routine_for_profile
        from planner.domain.routine import MIN_ROUTINE_SECONDS

        check_routine_id(routine_id)
        lib = self.library()
        routine = lib.routines.get(routine_id)
        if routine is None:
            raise BadInput(f"no routine with id {routine_id!r} (see `acuplan routines list`)")
        profile = self._checked_profile(day, skipped)
        trimmed, dropped = filter_routine_for_profile(routine, profile, day, lib.points)
        fits = trimmed.total_seconds >= MIN_ROUTINE_SECONDS
        reasons: list[Reason] = []
        if not fits:
            left = trimmed.total_seconds
            for rule in dict.fromkeys(d.rule for d in dropped):
                items = "; ".join(f"{d.what} ({d.reason})" for d in dropped if d.rule == rule)
                reasons.append(Reason(rule, (
                    f"routine {routine_id} leaves out {items}: what is left lasts "
                    f"{left // 60} min {left % 60:02d} s, under the 5-minute minimum "
                    "(build one that fits with `acuplan routines build`)"), None))
        return RoutineFit(trimmed, tuple(dropped), fits, tuple(reasons))

    def _checked_profile(self, day: date, skipped: dict[str, str] | None) -> Profile:
        """The profile with the zones of a skin check left out on `day` (BadInput for an
        unknown zone or reason)."""
        try:
            return skin_check_profile(self.profile(), day, skipped or {})
        except ValueError as e:
            raise BadInput(str(e)) from None

    def prepare_session(self, routine, skipped: dict[str, str] | None = None
                        ) -> PreparedSession:
        """The routine (a library Routine) as a session today runs it: the steps a profile
        caution or an excluded zone leaves out are dropped, then steps are kept in order
        while they fit today's cap; the first that does not is shortened to the whole
        repetitions that fit, or left out. Every change is named in `dropped`."""
        from planner.domain.builder import filter_routine_for_profile

        points = dict(getattr(self.library(), "points", {}) or {})
        filtered, left_out = filter_routine_for_profile(
            routine, self._checked_profile(self.today, skipped), self.today, points)
        drops = [(d.what, d.reason) for d in left_out]
        cap = self.engine().cap(self.today)
        budget = cap * 60
        kept = []
        used = 0
        for step in filtered.steps:
            if used + step.total_seconds <= budget:
                kept.append(step)
                used += step.total_seconds
                continue
            reps = (budget - used) // step.seconds if step.seconds > 0 else 0
            if reps >= 1:
                kept.append(replace(step, repetitions=int(reps)))
                used += step.seconds * int(reps)
                drops.append((step_label(step, points),
                              f"shortened to {int(reps)} of {step.repetitions} repetitions to "
                              f"stay within today's {cap} minutes"))
            else:
                drops.append((step_label(step, points),
                              f"left out to stay within today's {cap} minutes"))
        return PreparedSession(replace(filtered, steps=tuple(kept)), tuple(kept), tuple(drops),
                               cap, points)

    def check_with_routine(self, day: date, minutes: int | None, routine_id: str | None,
                           skipped: dict[str, str] | None = None, unwell: bool = False
                           ) -> tuple[Verdict, RoutineFit | None]:
        """`check`, and with a routine also its fit: a routine that no longer lasts the
        5-minute minimum once trimmed for this profile (and the zones a skin check names
        in `skipped`) adds its reasons (not allowed). `unwell`: skin unwell all over, so
        no session that day (SPEC §8)."""
        verdict = self.check(day, minutes)
        if unwell:  # no session that day: the earliest is the next day the rules allow
            verdict = replace(_with_reasons(verdict, (UNWELL_ALL_OVER,)),
                              earliest=self.engine().earliest(day + timedelta(days=1)))
        if skipped and routine_id is None:
            routine_id = next((p.routine for p in self.state().history.plans
                               if p.date == day and p.routine), None)
            if routine_id is None:
                raise BadInput("leaving zones out needs a routine to trim: give --routine "
                               f"ID (no plan on {day.isoformat()} names one)")
        if routine_id is None:
            return verdict, None
        fit = self.routine_fit(routine_id, day, skipped)
        return (verdict if fit.fits else _with_reasons(verdict, fit.reasons)), fit

    def build_routine(self, concerns: Iterable[str], techniques: Iterable[str],
                      minutes: int | None, name: str | None = None) -> tuple[Any, int]:
        """A routine built for this profile within today's cap (`minutes` defaults to the
        cap); returns the builder's result and the cap. BadInput for an unknown word."""
        from planner.domain import builder

        cap = self.engine().cap(self.today)
        profile = self.profile()
        lib = self.library()
        try:
            result = builder.build_routine(lib, concerns, techniques,
                                           cap if minutes is None else minutes, cap, profile,
                                           self.today, name)
        except ValueError as e:
            raise BadInput(str(e)) from None
        return result, cap

    # -- data in

    def routines_for_export(self) -> list[dict[str, str]]:
        """The user's own routines as `{"id", "toml"}` (each file's text as it is, so
        comments survive), for the JSON export: they live beside the journal."""
        from planner.library.loader import read_routine_bytes, user_routine_files

        found = []
        for rid, path in sorted(user_routine_files(self.user_routines_dir).items()):
            try:
                text = read_routine_bytes(path).decode("utf-8").removeprefix("\ufeff")
            except (OSError, ValueError):
                continue  # it loaded a moment ago; gone or changed since: not exported
            found.append({"id": rid, "toml": text})
        return found

    def import_export(self, text: str) -> dict[str, int]:
        """Load a JSON export into an empty journal, after checking every record and
        setting as the commands would (exit 2 listing the problems, nothing written).
        The export's user routines are checked by the library's validator as a routine
        file is, and written to the routines folder before the journal; if the journal
        cannot be written, the routine files this import created are removed again."""
        from planner.service.import_checks import check_import
        from planner.store.exchange import import_tables, parse_export_with_routines

        tables, routines = parse_export_with_routines(text)
        problems = check_import(tables, self.today)
        to_write = self._check_import_routines(routines, problems)
        if problems:
            raise ImportProblems(problems)
        tables = self._kept_cautions(tables)
        created = self._write_import_routines(to_write)
        try:
            counts = import_tables(self.journal, tables)
        except BaseException:
            for path in created:
                path.unlink(missing_ok=True)
            raise
        finally:
            self._library = None  # read again with what is in the folder now
        if routines:
            counts["routines"] = len(routines)
        return counts

    def _kept_cautions(self, tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
        """An import may land on a journal whose first run already wrote a profile and
        settings (nothing else): the export's replace them, but never more loosely, so a
        caution answered yes here, an excluded zone, or a stricter rule value stays."""
        from planner.domain.profile_questions import cautious_union
        from planner.domain.settings_rules import stricter_of
        from planner.store.errors import StoreError

        try:
            here = self.state()
        except StoreError:
            return tables  # unreadable: the import's own write reports it
        out = dict(tables)

        def put(name: str, merged: dict, default: dict) -> None:
            docs = tables.get(name) or []
            if docs and "id" in docs[0]:  # the export's record, keeping its id and order
                merged = {k: merged.get(k, v) for k, v in docs[0].items()} | merged
            if docs or merged != default:
                out[name] = [merged]

        p_docs, s_docs = tables.get("profile") or [], tables.get("settings") or []
        put("profile", to_doc(cautious_union(
            here.profile, from_doc(Profile, p_docs[0]) if p_docs else Profile())),
            to_doc(Profile()))
        put("settings", to_doc(stricter_of(
            here.settings, from_doc(Settings, s_docs[0]) if s_docs else Settings())),
            to_doc(Settings()))
        return out

    def _check_import_routines(self, routines: list[dict[str, str]],
                               problems: list[str]) -> list[tuple[Path, str]]:
        """Files to write for the export's routines; each problem appended to `problems`.
        A routine already in the folder with the same text is left as it is."""
        from planner.library.loader import user_routine_files, validate_bytes

        if not routines:
            return []
        lib = self.library()
        points = lib.points
        shipped = {r.id for r in lib.routines.values() if r.source == "shipped"}
        existing = user_routine_files(self.user_routines_dir)
        out: list[tuple[Path, str]] = []
        for r in routines:
            rid, toml = r["id"], r["toml"]
            label = f"routine {rid!r}"
            routine, issues = validate_bytes(toml.encode("utf-8", "surrogatepass"), label,
                                             points, "user")
            problems.extend(str(i) for i in issues)
            if routine is None:
                continue
            if routine.id != rid:
                problems.append(f"{label}: its TOML says id {routine.id!r}")
            elif rid in shipped:
                problems.append(f"{label}: is a shipped routine's id")
            elif rid in existing:
                try:
                    same = existing[rid].read_text(encoding="utf-8").removeprefix(
                        "\ufeff") == toml
                except (OSError, ValueError):
                    same = False
                if not same:
                    problems.append(f"{label}: {existing[rid]} already holds a routine with "
                                    "this id and other content; move it away first")
            else:
                target = self.user_routines_dir / f"{rid}.toml"
                if target.exists() or target.is_symlink():
                    problems.append(f"{label}: {target} exists and is not this routine; "
                                    "move it away first")
                else:
                    out.append((target, toml))
        return out

    def _write_import_routines(self, files: list[tuple[Path, str]]) -> list[Path]:
        """Write each routine file atomically (0600, folder 0700); on a failure remove
        those written so far and raise the store's write error."""
        import os

        from planner.store import atomic
        from planner.store.errors import JournalWriteError

        created: list[Path] = []
        try:
            for target, toml in files:
                atomic.ensure_dir(target.parent)
                os.chmod(target.parent, atomic.DIR_MODE)
                atomic.atomic_write(target, toml.encode("utf-8"), through_links=False)
                created.append(target)
        except OSError as e:
            for path in created:
                path.unlink(missing_ok=True)
            raise JournalWriteError(target, e) from e
        return created

    def merge_copy(self, payload: bytes, source: str, *, dry_run: bool = False):
        """Fold another copy of this journal (a second machine's file, a sync tool's
        conflict copy) into it by record id (SPEC §10, service/merge.py). The other copy
        is read as a journal is (an unreadable or newer file, or a record the rules
        cannot use: exit 4, nothing written) and never written. The merged history is
        re-checked: open holds stay open unless resolved, and the report lists sessions
        that now break a rule and plans now blocked. `dry_run`: report, write nothing."""
        from planner.service.merge import (
            Copy,
            MergeReport,
            holds_lifted,
            merge_copies,
            records_of,
            rule_changes,
        )

        theirs = _other_copy(payload, source, self.today)
        with self._change(lifts_holds=True) as w:
            ours = Copy({t: w.tx.all(t) for t in w.tx.tables()}, w.tx.stamps())
            merged = merge_copies(ours, theirs)
            st = self._state_of(records_of(merged))
            after = Engine(st.history, st.settings, self.today)
            lifted = holds_lifted(w.engine, after)
            if lifted:
                raise Refused(_hold_edit_message(lifted[0], "lifted by a merge"),
                              _hold_reasons(lifted[0]))
            breaking, blocked = rule_changes(w.engine, after, self.today)
            written = merged.changed and not dry_run
            if written:
                w.tx.replace_all(merged.tables, merged.stamps)
        return MergeReport(source, merged, breaking, blocked, written)

    def restore_version(self, label: str):
        """Put a kept version back. If the journal now is readable and holds open holds,
        the version must keep them open (a restore is not a way round `resolve`)."""
        from planner.store import versions
        from planner.store.errors import StoreError
        from planner.store.reader import BadJournal, parse

        try:
            st, eng = self._load()
        except StoreError:
            st = None  # unreadable now: restoring it is what restore is for
        if st is not None:
            source = versions.find_version(Path(self.journal.path), label)
            try:
                raw, _schema = parse(source.read_bytes())
            except (OSError, BadJournal):
                raw = None  # versions.restore reports it
            if raw is not None:
                other = self._state_of(lambda t: list((raw.get(t) or {}).values()))
                _holds_kept(eng, Engine(other.history, other.settings, self.today),
                            self.today, action="restoring that version")
        return versions.restore(Path(self.journal.path), label)


def _other_copy(payload: bytes, source: str, today: date):
    """Another copy of the journal as `merge` takes it, checked as reading a journal
    checks it; CopyUnusable (exit 4) naming `source` when it cannot be used."""
    from planner.service.merge import Copy
    from planner.store.errors import CopyUnusable
    from planner.store.migrations import CURRENT_SCHEMA, STAMPS, SYSTEM_TABLES
    from planner.store.reader import BadJournal, TooNew, parse

    try:
        raw, _schema = parse(payload)
    except TooNew as e:
        raise CopyUnusable(source, f"it uses schema version {e.found} but this acuplan "
                                   f"only knows up to {CURRENT_SCHEMA} (upgrade acuplan "
                                   "first)") from None
    except BadJournal as e:
        raise CopyUnusable(source, e.reason) from None
    tables = {n: list(t.values()) for n, t in raw.items() if n not in SYSTEM_TABLES}
    try:
        st = state_from(lambda t: tables.get(t, []))
        Engine(st.history, st.settings, today)
    except BadRecord as e:
        raise CopyUnusable(source, f"{e} (changed by hand?)") from None
    versions = {d["id"]: d for d in (raw.get(STAMPS) or {}).values()
                if isinstance(d.get("id"), str)}
    return Copy(tables, versions)


class ImportProblems(BadInput):
    """An import that is not what the commands could have written (exit 2): each problem
    names the table, the record, the field, the value and what is accepted."""

    LIMIT = 20

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:self.LIMIT]
        more = len(problems) - len(shown)
        head = (f"the file cannot be imported: {len(problems)} problem"
                f"{'s' if len(problems) != 1 else ''}, nothing was written")
        super().__init__("\n".join([head, *(f"  {p}" for p in shown)]
                                   + ([f"  ... and {more} more"] if more else [])))


# The commands: every change to the journal is one of these Planner methods.
COMMANDS = (
    "plan", "plan_next", "move_plan", "unplan", "confirm_missed",
    "log_session", "edit_session",
    "log_product", "log_procedure", "log_injectable", "edit_exposure",
    "add_product", "remove_product",
    "log_skin", "edit_skin", "resolve",
    "pause", "unpause", "delete_record", "undo_delete",
    "set_profile", "accept_notice", "exclude", "include", "set_settings",
    "set_preferences", "remember_preparation",
    "import_export", "restore_version", "merge_copy",
)

_EXPOSURE_KINDS = {"products": PRODUCT_KINDS, "procedures": PROCEDURE_KINDS,
                   "injectables": INJECTABLE_KINDS}
_SKIN_DEFAULTS = {"redness": 0, "swelling": 0, "itch": 0, "burning": 0, "flags": (),
                  "zone": None, "note": ""}


class _TrackedTx:
    """The transaction as a command sees it, noting which tables it writes: the check that
    follows rebuilds only those (the others' records are the ones already checked)."""

    _WRITES = ("insert", "update", "delete", "set_single")
    EVERY_TABLE = frozenset((*TABLES, "profile", "settings"))

    def __init__(self, tx):
        self._tx = tx
        self.written: set[str] = set()

    def __getattr__(self, name: str):
        attr = getattr(self._tx, name)
        if name == "replace_all":  # not a command's way to write; if ever, rebuild all
            self.written.update(self.EVERY_TABLE)
        elif name in self._WRITES:
            def write(table, *args, **kw):
                self.written.add(table)
                return attr(table, *args, **kw)
            return write
        return attr


class _Work:
    """What a command works with inside `Planner._change`."""

    def __init__(self, tx, state: Records, engine: Engine, stamp: int):
        self.tx, self.state, self.engine, self.stamp = tx, state, engine, stamp
        self.after: Records | None = None
        self.after_engine: Engine | None = None
        self.marked: tuple[Session, ...] = ()
        self.unmarked: tuple[Session, ...] = ()

    def _record(self, table: str, rid: str):
        st = self.after or self.state
        rows = getattr(st.history, table)
        return next(r for r in rows if r.id == rid)

    def logged(self, table: str, rid: str) -> Logged:
        rec = self._record(table, rid)
        others = lambda xs: tuple(x for x in xs if x.id != rid)  # noqa: E731
        return Logged(rec, rec.violations if table == "sessions" else (),
                      others(self.marked), others(self.unmarked))

    def skin_result(self, rid: str, updated: bool) -> SkinResult:
        rec = self._record("skin", rid)
        cls = rec.cls
        advice = tuple(red_flag_advice(rec.flags)) if cls == "red-flag" else ()
        return SkinResult(rec, cls, advice, updated, self.marked, self.unmarked)


def _next_stamp(history: History) -> int:
    """The entry stamp of the next record: one more than any in the journal."""
    stamps = [0]
    for rows in (history.sessions, history.products, history.procedures,
                 history.injectables, history.skin, history.pauses):
        if rows:
            stamps.append(max(map(_LOGGED, rows)))
    return max(stamps) + 1


_LOGGED = attrgetter("logged")


def _is_open_hold(r: SkinRecord) -> bool:
    if r.rank < SEVERE_RANK:
        return False
    return r.resolved_on is None or (r.cls == "red-flag" and not r.cleared_by_clinician)


def _hold_reasons(r: SkinRecord) -> list[Reason]:
    rule = "medical-hold" if r.cls == "red-flag" else "reaction-hold"
    return [Reason(rule, f"{r.cls} record {r.id} of {r.date.isoformat()} holds sessions", None)]


def _hold_edit_message(r: SkinRecord, done: str) -> str:
    if _is_open_hold(r):
        clear = " --cleared-by-clinician" if r.cls == "red-flag" else ""
        return (f"record {r.id} ({r.cls}, {r.date.isoformat()}) holds sessions: it cannot be "
                f"{done} while the hold is open; only resolve lifts it: "
                f"`acuplan resolve {r.id} --date DATE{clear}`")
    return (f"record {r.id} ({r.cls}, {r.date.isoformat()}) held sessions until "
            f"{r.resolved_on.isoformat() if r.resolved_on else '?'}: it stays in the journal "
            "(its resolution restarts the duration ramp); edit it instead")


def _holds_kept(before: Engine, after: Engine, today: date,
                action: str | None = None) -> None:
    """Refused (exit 3) when a change would lift or weaken an open hold: only `resolve`
    does that (SPEC §2). The check runs on the records as they would be written."""
    now = {r.id: r for r in after.unresolved_holds()}
    for r in before.unresolved_holds():
        n = now.get(r.id)
        if n is None or n.rank < r.rank:
            done = action or ("deleted" if n is None else "made milder")
            if action:
                raise Refused(f"{action} would lift the open hold of record {r.id} "
                              f"({r.cls}, {r.date.isoformat()}); resolve it first "
                              f"(`acuplan resolve {r.id} --date DATE`)", _hold_reasons(r))
            raise Refused(_hold_edit_message(r, done), _hold_reasons(r))


def _marked_changes(before: History, after: History
                    ) -> tuple[tuple[Session, ...], tuple[Session, ...]]:
    """Sessions present before and after whose derived violations changed: those that now
    break a rule they did not, and those that no longer break any."""
    old = {s.id: {r.rule for r in s.violations} for s in before.sessions}
    marked, unmarked = [], []
    for s in sorted(after.sessions, key=attrgetter("date", "id")):
        was = old.get(s.id)
        if was is None:
            continue
        now = {r.rule for r in s.violations}
        if now - was:
            marked.append(s)
        elif was and not now:
            unmarked.append(s)
    return tuple(marked), tuple(unmarked)


def _fulfil_plans(tx, plans: tuple[Plan, ...], day: date, session_id: str) -> None:
    """A session on a plan's day carries that plan out (the first open one, by id)."""
    for p in sorted(plans, key=attrgetter("id")):
        if p.date == day and p.fulfilled_by is None:
            tx.update("plans", p.id, {"fulfilled_by": session_id, "confirmed_missed": False})
            return


def _table_of(tx, record_id: str, tables) -> str:
    if not isinstance(record_id, str) or not record_id:
        raise BadInput(f"{record_id!r} is not a record id")
    for table in tables:
        try:
            tx.get(table, record_id)
        except KeyError:
            continue
        return table
    raise BadInput(f"no record with id {record_id!r}")


def _reaction_after_session(tx, session_id: str, day: date, get) -> None:
    s = get(tx, "sessions", session_id)
    if day.isoformat() < s["date"]:
        raise BadInput(f"a reaction is dated on or after its session; session {session_id} "
                       f"is on {s['date']}, after {day.isoformat()}")


def _with_reasons(verdict: Verdict, reasons: tuple[Reason, ...]) -> Verdict:
    return replace(verdict, allowed=False, reasons=(*verdict.reasons, *reasons))


__all__ = [
    "Planner", "BadInput", "Refused", "PlanView", "TodayView", "DayView", "SkinResult",
    "Logged", "Deleted", "RoutineFit", "ImportProblems", "COMMANDS", "KEEP", "MIN_MINUTES",
    "PreparedSession", "step_label",
]
