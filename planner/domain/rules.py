"""The safety rules of SPEC §3: may a session happen on a date, and if not, why and until when.

`Engine` is built once per (history, settings, today) and answers many questions
fast: it sorts the history into day-number indexes so each rule looks only at the
window of days that can matter (bisect), never at the whole journal.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import cached_property
from operator import attrgetter

from .models import History, Plan, Reason, Session, Settings, SkinRecord
from .values import frozen
from .vocabulary import class_rank

MIN_MINUTES = 5
STARTER_CAP = 10
RAMP_RESET_GAP = 56  # more than this many days without a session starts the ramp over
MILD, MODERATE, SEVERE, RED_FLAG = (class_rank(c) for c in ("mild", "moderate", "severe", "red-flag"))

# Rules that count as "blocked days" for streaks and score (SPEC §4).
NON_SCHEDULING_RULES = (
    "product-blackout", "procedure-wait", "injectable-wait", "skin-state",
    "reaction-hold", "medical-hold", "pause",
)


@frozen
class Verdict:
    """The answer for one date: SPEC §7 `check --json`."""

    date: date
    allowed: bool
    min_minutes: int
    max_minutes: int
    earliest: date | None
    reasons: tuple[Reason, ...]

    def to_json(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "allowed": self.allowed,
            "min_minutes": self.min_minutes,
            "max_minutes": self.max_minutes,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "reasons": [r.to_json() for r in self.reasons],
        }


_BY_DATE = attrgetter("date", "id")
_BY_ENTRY = attrgetter("date", "seq", "id")
_BY_START = attrgetter("start")


def _rank(r: SkinRecord) -> int:
    """`r.rank`, without classifying the common record that has nothing in it (class none)."""
    if r.redness == 0 and r.swelling == 0 and r.itch == 0 and r.burning == 0 and not r.flags:
        return 0
    return r.rank


def _d(n: int) -> date:
    return date.fromordinal(n)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Engine:
    """Rule verdicts over one history. Pure: inputs in, values out."""

    def __init__(self, history: History, settings: Settings, today: date):
        self.history = history
        self.settings = settings
        s = sorted(history.sessions, key=_BY_DATE)
        self._sessions = s
        self._session_days = [x.date.toordinal() for x in s]
        self._set_today(today)
        self._product_days = sorted(p.date.toordinal() for p in history.products)
        self._procedure_days = sorted(p.date.toordinal() for p in history.procedures)
        self._injectable_days = sorted(p.date.toordinal() for p in history.injectables)
        skin = sorted(history.skin, key=_BY_ENTRY)
        self._skin = skin
        self._skin_days = [r.date.toordinal() for r in skin]
        self._skin_ranks = [_rank(r) for r in skin]  # computed once: classify is not free
        self._rank_of = {id(r): k for r, k in zip(skin, self._skin_ranks)}
        self._pauses = sorted(history.pauses, key=_BY_START)

    def _set_today(self, today: date) -> None:
        """What depends on the day: the day itself and the plans still ahead of it."""
        self.today = today
        self._t = today.toordinal()
        live = [p for p in self.history.plans if p.fulfilled_by is None and p.date >= today]
        live.sort(key=_BY_DATE)
        self._plans = live
        self._plan_days = [p.date.toordinal() for p in live]

    def on(self, today: date) -> "Engine":
        """The same history seen from another day: its indexes are shared, not rebuilt."""
        other = object.__new__(Engine)
        other.__dict__.update(self.__dict__)  # the cached indexes depend on the history only
        other._set_today(today)
        return other

    # ------------------------------------------------------------------ rules

    def spacing(self, day: date, exclude: str | None = None, include_plans: bool = True,
                fulfil: bool = True) -> Reason | None:
        """Another session or live plan fewer than G days away blocks the date.

        With `fulfil`, the date is checked for a session, and a session on a plan's day
        carries that plan out: the plan is the session being checked, not another one.
        Without it (a new plan), every live plan counts, its own day included.
        """
        g = self.settings.spacing_days
        n = day.toordinal()
        hits = self._spacing_hits(n, exclude, include_plans, fulfil)
        if not hits:
            return None
        nearest = min(hits, key=lambda h: (abs(h[0] - n), h[0]))
        until = n
        while True:
            conflict = self._spacing_hits(until, exclude, include_plans, fulfil)
            if not conflict:
                break
            # Every conflict c keeps blocking up to c + g - 1, except on a plan's own day,
            # where a session carries that plan out: the next candidate is the nearest.
            nxt = [c + g for c, _ in conflict]
            if fulfil and exclude is None:
                nxt += [c for c, kind in conflict if kind == "plan" and c > until]
            until = min(nxt)
        what = "a planned session" if nearest[1] == "plan" else "a session"
        gap = abs(nearest[0] - n)
        when = "the same day" if gap == 0 else f"{_plural(gap, 'day')} away"
        msg = (f"{what} on {_d(nearest[0]).isoformat()} is {when}; sessions need "
               f"{g} days between them")
        return Reason("spacing", msg, _d(until))

    def _spacing_hits(self, n: int, exclude: str | None, include_plans: bool, fulfil: bool):
        g = self.settings.spacing_days
        hits = []
        lo, hi = n - g + 1, n + g - 1
        i = bisect_left(self._session_days, lo)
        while i < len(self._session_days) and self._session_days[i] <= hi:
            if self._sessions[i].id != exclude:
                hits.append((self._session_days[i], "session"))
            i += 1
        if include_plans:
            own = fulfil and exclude is None  # skip the first plan on day n: it is this session
            i = bisect_left(self._plan_days, lo)
            while i < len(self._plan_days) and self._plan_days[i] <= hi:
                if own and self._plan_days[i] == n:
                    own = False
                elif self._plans[i].id != exclude:
                    hits.append((self._plan_days[i], "plan"))
                i += 1
        return hits

    def product_blackout(self, day: date) -> Reason | None:
        """A retinoid, acid, scrub or home peel in the N days before (or on) the date."""
        n, span = day.toordinal(), self.settings.product_blackout_days
        last = self._latest_in(self._product_days, n - span, n)
        if last is None:
            return None
        kinds = sorted({p.kind for p in self.history.products if p.date.toordinal() == last})
        msg = (f"{', '.join(kinds)} used on {_d(last).isoformat()}: no session for "
               f"{_plural(span, 'day')} after a home active")
        return Reason("product-blackout", msg, _d(last + span + 1))

    def procedure_wait(self, day: date) -> Reason | None:
        n, wait = day.toordinal(), self.settings.procedure_wait_days
        last = self._latest_in(self._procedure_days, n - wait + 1, n)
        if last is None:
            return None
        kinds = sorted({p.kind for p in self.history.procedures if p.date.toordinal() == last})
        msg = (f"{', '.join(kinds)} on {_d(last).isoformat()}: wait {_plural(wait, 'day')} "
               "after a professional procedure")
        return Reason("procedure-wait", msg, _d(last + wait))

    def injectable_wait(self, day: date) -> Reason | None:
        n, wait = day.toordinal(), self.settings.injectable_wait_days
        last = self._latest_in(self._injectable_days, n - wait + 1, n)
        if last is None:
            return None
        kinds = sorted({p.kind for p in self.history.injectables if p.date.toordinal() == last})
        msg = (f"{', '.join(kinds)} on {_d(last).isoformat()}: no facial massage for "
               f"{_plural(wait, 'day')} after an injectable, and only once swelling and "
               "bruising are gone")
        return Reason("injectable-wait", msg, _d(last + wait))

    @staticmethod
    def _latest_in(days: list[int], lo: int, hi: int) -> int | None:
        i = bisect_right(days, hi)
        if i and days[i - 1] >= lo:
            return days[i - 1]
        return None

    def _latest_skin(self, n: int) -> SkinRecord | None:
        """The latest skin record dated in [n-2, n] (by date, then entry order)."""
        i = bisect_right(self._skin_days, n)
        if i and self._skin_days[i - 1] >= n - 2:
            return self._skin[i - 1]
        return None

    def _skin_blocks(self, n: int) -> SkinRecord | None:
        r = self._latest_skin(n)
        return r if r is not None and self._rank_of[id(r)] == MODERATE else None

    def skin_state(self, day: date) -> Reason | None:
        """Moderate irritation in the last 3 days blocks until it is 3 days old or a calmer record."""
        n = day.toordinal()
        r = self._skin_blocks(n)
        if r is None:
            return None
        until = n + 1
        while self._skin_blocks(until) is not None:
            until += 1
        msg = (f"moderate skin reaction recorded on {r.date.isoformat()}: let the skin settle "
               "(3 days, or a new check-in showing it is calm)")
        return Reason("skin-state", msg, _d(until))

    @cached_property
    def _hold_records(self) -> tuple[list[SkinRecord], list[SkinRecord]]:
        pairs = list(zip(self._skin, self._skin_ranks))
        severe = [r for r, k in pairs if k == SEVERE]
        red = [r for r, k in pairs if k == RED_FLAG]
        return severe, red

    def _open_holds(self, n: int, red_flag: bool) -> list[SkinRecord]:
        severe, red = self._hold_records
        out = []
        for r in (red if red_flag else severe):
            if r.date.toordinal() > n:
                continue
            if red_flag:
                lifted = (r.resolved_on is not None and r.cleared_by_clinician
                          and r.resolved_on.toordinal() <= n)
            else:
                lifted = r.resolved_on is not None and r.resolved_on.toordinal() <= n
            if not lifted:
                out.append(r)
        return out

    @staticmethod
    def _hold_until(records: list[SkinRecord], red_flag: bool) -> date | None:
        ends = []
        for r in records:
            if r.resolved_on is None or (red_flag and not r.cleared_by_clinician):
                return None
            ends.append(r.resolved_on)
        return max(ends)

    def reaction_hold(self, day: date) -> Reason | None:
        """A severe reaction holds every session until it is marked resolved."""
        open_ = self._open_holds(day.toordinal(), red_flag=False)
        if not open_:
            return None
        first = open_[0]
        msg = (f"severe skin reaction recorded on {first.date.isoformat()} is not resolved: "
               "no sessions until it has fully settled and you mark it resolved")
        return Reason("reaction-hold", msg, self._hold_until(open_, red_flag=False))

    def medical_hold(self, day: date) -> Reason | None:
        """A red flag holds every session until a clinician has cleared it."""
        open_ = self._open_holds(day.toordinal(), red_flag=True)
        if not open_:
            return None
        first = open_[0]
        msg = (f"warning sign recorded on {first.date.isoformat()}: no sessions until a "
               "clinician has seen it and cleared you")
        return Reason("medical-hold", msg, self._hold_until(open_, red_flag=True))

    def pause(self, day: date) -> Reason | None:
        """Inside a pause; with overlapping pauses, until the latest of them ends."""
        inside = [p for p in self._pauses if p.start <= day <= p.end]
        if not inside:
            return None
        p = max(inside, key=lambda x: (x.end, x.start))
        msg = f"paused {p.start.isoformat()} to {p.end.isoformat()} ({p.reason})"
        return Reason("pause", msg, p.end + timedelta(days=1))

    # -------------------------------------------------------------- verdicts

    def reasons(self, day: date, *, exclude: str | None = None, include_plans: bool = True,
                fulfil: bool = True) -> list[Reason]:
        """Every non-duration rule that blocks the date, in the spec's order."""
        out = []
        for r in (
            self.spacing(day, exclude, include_plans, fulfil),
            self.product_blackout(day),
            self.procedure_wait(day),
            self.injectable_wait(day),
            self.skin_state(day),
            self.reaction_hold(day),
            self.medical_hold(day),
            self.pause(day),
        ):
            if r is not None:
                out.append(r)
        return out

    def earliest(self, day: date, *, exclude: str | None = None, include_plans: bool = True,
                 fulfil: bool = True) -> date | None:
        """First date >= day that no rule but `duration` blocks; None while a hold is open."""
        d = day
        while True:
            rs = self.reasons(d, exclude=exclude, include_plans=include_plans, fulfil=fulfil)
            if not rs:
                return d
            if any(r.until is None for r in rs):
                return None
            d = max(r.until for r in rs)  # each `until` is > d, so this always advances

    def check(self, day: date, minutes: int | None = None, *, exclude: str | None = None,
              include_plans: bool = True, fulfil: bool = True) -> Verdict:
        """May a session of `minutes` (or any length) happen on `day`?

        `fulfil=False` asks for a new plan instead: then a plan already on that day counts.
        """
        cap = self.cap(day)
        reasons = self.reasons(day, exclude=exclude, include_plans=include_plans, fulfil=fulfil)
        if minutes is not None and not MIN_MINUTES <= minutes <= cap:
            reasons.insert(1 if reasons and reasons[0].rule == "spacing" else 0, Reason(
                "duration",
                f"{minutes} minutes is outside what {day.isoformat()} allows "
                f"({MIN_MINUTES}–{cap} minutes)",
                None,
            ))
        earliest = day if not [r for r in reasons if r.rule != "duration"] else self.earliest(
            day, exclude=exclude, include_plans=include_plans, fulfil=fulfil)
        return Verdict(day, not reasons, MIN_MINUTES, cap, earliest, tuple(reasons))

    def plan_verdict(self, plan: Plan) -> Verdict:
        """A plan re-checked against everything else (SPEC §3: plans are re-checked)."""
        return self.check(plan.date, plan.minutes, exclude=plan.id)

    def session_violations(self, day: date, minutes: int, aborted: bool,
                           exclude: str | None = None) -> tuple[Reason, ...]:
        """What a logged session broke, judged against what happened, not plans (§3.2)."""
        out = self.reasons(day, exclude=exclude, include_plans=False)
        cap = self.cap(day)
        if not aborted and minutes > cap:
            out.insert(1 if out and out[0].rule == "spacing" else 0, Reason(
                "duration", f"{minutes} minutes is above the {cap}-minute cap for that day", None))
        return tuple(out)

    # ------------------------------------------------------------ the ramp

    @cached_property
    def _ramp(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Clean-session count after each event: (keys, states) for bisect.

        Resets (moderate+ records, resolved holds) on a day come before sessions on it.
        """
        events: list[tuple[int, int, Session | None]] = []
        for r, rank in zip(self._skin, self._skin_ranks):
            if rank >= MODERATE:
                events.append((r.date.toordinal(), 0, None))
            if rank >= SEVERE and r.resolved_on is not None:
                events.append((r.resolved_on.toordinal(), 0, None))
        for s in self._sessions:
            events.append((s.date.toordinal(), 1, s))
        events.sort(key=lambda e: (e[0], e[1]))
        keys: list[tuple[int, int]] = []
        states: list[tuple[int, int]] = []  # (clean count, last session day or -1)
        c, last = 0, -1
        for day, kind, s in events:
            if kind == 0:
                c = 0
            else:
                assert s is not None
                if last >= 0 and day - last > RAMP_RESET_GAP:
                    c = 0
                if s.aborted:
                    c = 0
                elif self._is_clean(s):
                    c += 1
                last = day
            keys.append((day, kind))
            states.append((c, last))
        return keys, states

    def _is_clean(self, s: Session) -> bool:
        if s.aborted or s.minutes < MIN_MINUTES or s.violations:
            return False
        n = s.date.toordinal()
        i = bisect_left(self._skin_days, n)
        while i < len(self._skin_days) and self._skin_days[i] <= n + 3:
            if self._skin_ranks[i] >= MILD:
                return False
            i += 1
        return True

    def clean_count(self, day: date) -> int:
        """Clean sessions since the last reset, as seen on `day` (sessions before it)."""
        keys, states = self._ramp
        n = day.toordinal()
        i = bisect_left(keys, (n, 1))
        if not i:
            return 0
        c, last = states[i - 1]
        if last >= 0 and n - last > RAMP_RESET_GAP:
            return 0
        return c

    def cap(self, day: date) -> int:
        """Most minutes a session on `day` may last (SPEC §3.1)."""
        st = self.settings
        c = self.clean_count(day)
        if c < st.starter_count:
            return STARTER_CAP
        return min(st.ceiling, STARTER_CAP + st.ramp_step * (c - st.starter_count + 1))

    # ---------------------------------------------------- blocked days (§4)

    def blocked_days(self, start: date, end: date) -> bytearray:
        """flags[i] = 1 when start+i is blocked by a rule other than spacing/duration.

        Built from intervals, so a 10-year range costs about one pass over the records.
        """
        a, b = start.toordinal(), end.toordinal()
        size = b - a + 1
        if size <= 0:
            return bytearray()
        flags = bytearray(size)

        def mark(lo: int, hi: int) -> None:
            lo, hi = max(lo, a), min(hi, b)
            if lo <= hi:
                flags[lo - a:hi - a + 1] = b"\x01" * (hi - lo + 1)

        st = self.settings
        for p in self._product_days:
            mark(p, p + st.product_blackout_days)
        for p in self._procedure_days:
            mark(p, p + st.procedure_wait_days - 1)
        for p in self._injectable_days:
            mark(p, p + st.injectable_wait_days - 1)
        for p in self._pauses:
            mark(p.start.toordinal(), p.end.toordinal())
        # skin-state: a day is blocked when the latest record dated in [day-2, day] is
        # moderate. Records are sorted by date, then entry: keep the last rank per date;
        # a date's last record then covers its day and the next two, up to the next date.
        severe, red = self._hold_records
        for r in severe:
            mark(r.date.toordinal(), r.resolved_on.toordinal() - 1 if r.resolved_on else b)
        for r in red:
            mark(r.date.toordinal(), r.resolved_on.toordinal() - 1
                 if r.resolved_on and r.cleared_by_clinician else b)
        last_rank = dict(zip(self._skin_days, self._skin_ranks))  # the last per date wins
        days = list(last_rank)  # ascending, as the records are
        for n in [n for n, rank in last_rank.items() if rank == MODERATE]:
            i = bisect_right(days, n)
            mark(n, n + 2 if i == len(days) else min(n + 2, days[i] - 1))
        return flags
