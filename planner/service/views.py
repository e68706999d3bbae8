"""What the queries and commands answer with: plans re-checked, today, calendar cells,
records just logged, routines as this profile may do them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planner.domain.models import Plan, Reason, Session, SkinRecord
from planner.domain.rules import Verdict
from planner.domain.streaks import StreakInfo
from planner.domain.values import Value, replace


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


def day_status(sessions: tuple[Session, ...], plans: tuple[PlanView, ...],
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


def with_reasons(verdict: Verdict, reasons: tuple[Reason, ...]) -> Verdict:
    return replace(verdict, allowed=False, reasons=(*verdict.reasons, *reasons))
