"""The plan commands: plan a day (or the next allowed one), move, cancel, say a plan
did not happen; and the check before a session starts.
"""

from __future__ import annotations

from datetime import date

from planner.domain.models import Plan, from_doc
from planner.domain.rules import MIN_MINUTES, Verdict
from planner.domain.values import replace
from planner.service.inputs import MAX_LOG_MINUTES, BadInput, Refused, in_range
from planner.service.queries import FIRST_ALLOWED_SEARCH_DAYS
from planner.service.routine_use import RoutineQueries
from planner.service.tables import doc_of
from planner.service.views import PlanView, with_reasons


class PlanCommands(RoutineQueries):
    """Plans: each refused (exit 3) when a rule blocks the day."""

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
                verdict = with_reasons(verdict, fit.reasons)
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
