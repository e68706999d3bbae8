"""Questions about the journal that change nothing: plans re-checked, today, the next
allowed days, holds, a month's calendar, the history.
"""

from __future__ import annotations

from datetime import date, timedelta
from operator import attrgetter

from planner.domain.advice import advice_for
from planner.domain.models import Plan, Reason, Session, SkinRecord, from_doc
from planner.domain.rules import MIN_MINUTES
from planner.domain.session_prep import is_preferred
from planner.domain.streaks import StreakInfo, compute_streaks
from planner.service.core import PlannerCore
from planner.service.inputs import BadInput, choose
from planner.service.tables import TABLES, record_type
from planner.service.views import DayView, PlanView, TodayView, day_status

FIRST_ALLOWED_SEARCH_DAYS = 400  # how far `first_allowed` looks for an allowed date


class Queries(PlannerCore):
    """The queries (no method here writes)."""

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
            out.append(DayView(d, day_status(ss, pv, verdict), d.month == month, verdict,
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
