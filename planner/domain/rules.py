"""The safety rules of SPEC §3: may a session happen on a date, and if not, why and until when.

`Engine` is built once per (history, settings, today) and answers many questions
fast: it sorts the history into day-number indexes so each rule looks only at the
window of days that can matter (bisect), never at the whole journal.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import date, timedelta
from functools import cached_property
from itertools import compress, repeat
from operator import attrgetter, eq, itemgetter
from typing import Any

from planner.domain.models import History, Plan, Reason, Session, Settings, SkinRecord
from planner.domain.values import Value, replace
from planner.domain.vocabulary import class_rank

MIN_MINUTES = 5
Day = date  # for annotations inside a class whose field `date` hides the type
STARTER_CAP = 10
RAMP_RESET_GAP = 56  # more than this many days without a session starts the ramp over
MILD, MODERATE, SEVERE, RED_FLAG = (class_rank(c)
                                    for c in ("mild", "moderate", "severe", "red-flag"))

# Rules that count as "blocked days" for streaks and score (SPEC §4).
NON_SCHEDULING_RULES = (
    "product-blackout", "procedure-wait", "injectable-wait", "skin-state",
    "reaction-hold", "medical-hold", "pause",
)


class Verdict(Value, frozen=True):
    """The answer for one date: SPEC §7 `check --json`."""

    date: date
    allowed: bool
    min_minutes: int
    max_minutes: int
    earliest: Day | None
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
_BY_ENTRY = attrgetter("date", "logged", "seq", "id")   # skin records in entry order
_BY_ENTRY_S = attrgetter("date", "logged", "id")        # sessions in entry order
_BY_START = attrgetter("start")
_LOGGED = attrgetter("logged")


def _rank(r: SkinRecord) -> int:
    """The rank the rules use: `r.rank` (the common empty record is not classified), but at
    least moderate for a record that held sessions and was resolved, so editing it later
    keeps the reset and the settling days its resolution stands for (SPEC §2)."""
    if r.redness == 0 and r.swelling == 0 and r.itch == 0 and r.burning == 0 and not r.flags:
        rank = 0
    else:
        rank = r.rank
    if r.resolved_on is not None and rank < MODERATE:
        return MODERATE
    return rank


def _d(n: int) -> date:
    return date.fromordinal(n)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Engine:
    """Rule verdicts over one history. Pure: inputs in, values out.

    `engine.history` is the history given, with each session's violations derived from
    everything recorded (SPEC §3.2); whatever a caller stored in `violations` is ignored.
    """

    def __init__(self, history: History, settings: Settings, today: date):
        self.settings = settings
        s = sorted(history.sessions, key=_BY_ENTRY_S)
        self._session_days = [x.date.toordinal() for x in s]
        self._product_days = sorted(p.date.toordinal() for p in history.products)
        self._procedure_days = sorted(p.date.toordinal() for p in history.procedures)
        self._injectable_days = sorted(p.date.toordinal() for p in history.injectables)
        skin = sorted(history.skin, key=_BY_ENTRY)
        self._skin = skin
        self._skin_days = [r.date.toordinal() for r in skin]
        # Ranked once (classify is not free); most records are empty (no sign, not
        # resolved): rank 0 without a call.
        self._skin_ranks = [_rank(r) if (r.redness or r.swelling or r.itch or r.burning
                                         or r.flags or r.resolved_on is not None) else 0
                            for r in skin]
        self._rank_of = {id(r): k for r, k in zip(skin, self._skin_ranks)}
        self._pauses = sorted(history.pauses, key=_BY_START)
        derived = _Derivation(self, history, s)
        self._sessions = derived.sessions
        self._ramp_days, self._ramp_states = derived.ramp_days, derived.ramp_states
        self._reset_days = derived.reset_days
        self.history = derived.history
        self._set_today(today)

    def _set_today(self, today: date) -> None:
        """What depends on the day: the day itself and the plans still ahead of it."""
        self.today = today
        self._t = today.toordinal()
        live = [p for p in self.history.plans if p.live(today)]
        live.sort(key=_BY_DATE)
        self._plans = live
        self._plan_days = [p.date.toordinal() for p in live]

    def on(self, today: date) -> Engine:
        """The same history seen from another day: its indexes are shared, not rebuilt."""
        other = object.__new__(Engine)
        other.__dict__.update(self.__dict__)  # the cached indexes depend on the history only
        other._set_today(today)
        return other

    def violations_of(self, session_id: str) -> tuple[Reason, ...]:
        """The derived violations of a recorded session (() for an unknown id)."""
        for s in self._sessions:
            if s.id == session_id:
                return s.violations
        return ()

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
        last = nearest  # the session or plan that holds the stretch at its end
        while True:
            conflict = self._spacing_hits(until, exclude, include_plans, fulfil)
            if not conflict:
                break
            last = max(conflict)
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
        if last != nearest:  # the stretch goes on because of another session or plan
            then = "a planned session" if last[1] == "plan" else "a session"
            msg += f", and {then} on {_d(last[0]).isoformat()} keeps the days around it clear"
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
        return self._exposure("product-blackout", self._product_days, self.history.products,
                              day)

    def procedure_wait(self, day: date) -> Reason | None:
        return self._exposure("procedure-wait", self._procedure_days,
                              self.history.procedures, day)

    def injectable_wait(self, day: date) -> Reason | None:
        return self._exposure("injectable-wait", self._injectable_days,
                              self.history.injectables, day)

    def _exposure(self, rule: str, days: list[int], rows, day: date) -> Reason | None:
        n = day.toordinal()
        last = self._latest_in(days, n - _lookback(rule, self.settings), n)
        if last is None:
            return None
        kinds = sorted({p.kind for p in rows if p.date.toordinal() == last})
        return _exposure_reason(rule, ", ".join(kinds), last, self.settings)

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
        return r if r is not None and self._rank_of[id(r)] >= MODERATE else None

    def skin_state(self, day: date) -> Reason | None:
        """Moderate or worse skin in the last 3 days (a resolved hold too) blocks until it is
        3 days old or a calmer record follows."""
        n = day.toordinal()
        r = self._skin_blocks(n)
        if r is None:
            return None
        until = n + 1
        while self._skin_blocks(until) is not None:
            until += 1
        return Reason("skin-state", _skin_message(r, self._rank_of[id(r)]), _d(until))

    @cached_property
    def _hold_records(self) -> tuple[list[SkinRecord], list[SkinRecord]]:
        # Picked in C, with no (record, rank) pair made per record: 18,000 short-lived
        # tuples at 50 years would set off a full pass of the garbage collector.
        ranks = self._skin_ranks
        severe = list(compress(self._skin, map(eq, ranks, repeat(SEVERE))))
        red = list(compress(self._skin, map(eq, ranks, repeat(RED_FLAG))))
        return severe, red

    def unresolved_holds(self) -> list[SkinRecord]:
        """Records holding sessions until `resolve` lifts them, whatever their date: severe
        ones not resolved, red flags not resolved with a clinician's clearance."""
        severe, red = self._hold_records
        return ([r for r in severe if r.resolved_on is None]
                + [r for r in red if r.resolved_on is None or not r.cleared_by_clinician])

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
            d = max(r.until for r in rs if r.until is not None)  # each is > d: it advances

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

    # ------------------------------------------------------------ the ramp

    def clean_count(self, day: date) -> int:
        """Clean sessions since the last reset, as seen by a new session on `day`: every
        record dated before it counts, and so do the resets dated on it (SPEC §3.1)."""
        n = day.toordinal()
        i = bisect_left(self._ramp_days, n)
        c, last = self._ramp_states[i - 1] if i else (0, -1)
        if n in self._reset_days or (last >= 0 and n - last > RAMP_RESET_GAP):
            return 0
        return c

    def cap(self, day: date) -> int:
        """Most minutes a session on `day` may last (SPEC §3.1)."""
        return cap_for(self.clean_count(day), self.settings)

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
        for pause in self._pauses:
            mark(pause.start.toordinal(), pause.end.toordinal())
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
        for n in [n for n, rank in last_rank.items() if rank >= MODERATE]:
            i = bisect_right(days, n)
            mark(n, n + 2 if i == len(days) else min(n + 2, days[i] - 1))
        return flags


def _lookback(rule: str, st: Settings) -> int:
    """How many days before a date an exposure still blocks it (SPEC §3: 0 <= D - P <= N
    for a home active, 0 <= D - P < W for the waits)."""
    if rule == "product-blackout":
        return st.product_blackout_days
    if rule == "procedure-wait":
        return st.procedure_wait_days - 1
    return st.injectable_wait_days - 1


def _exposure_reason(rule: str, kinds: str, last: int, st: Settings) -> Reason:
    """Why an exposure on day `last` blocks, and the first day it no longer does."""
    on = _d(last).isoformat()
    if rule == "product-blackout":
        n = st.product_blackout_days
        return Reason(rule, f"{kinds} used on {on}: no session for {_plural(n, 'day')} after "
                      "a home active", _d(last + n + 1))
    if rule == "procedure-wait":
        w = st.procedure_wait_days
        return Reason(rule, f"{kinds} on {on}: wait {_plural(w, 'day')} after a professional "
                      "procedure", _d(last + w))
    w = st.injectable_wait_days
    return Reason(rule, f"{kinds} on {on}: no facial massage for {_plural(w, 'day')} after an "
                  "injectable, and only once swelling and bruising are gone", _d(last + w))


def cap_for(clean: int, settings: Settings) -> int:
    """The minute cap after `clean` clean sessions since the last reset (SPEC §3.1)."""
    if clean < settings.starter_count:
        return STARTER_CAP
    return min(settings.ceiling,
               STARTER_CAP + settings.ramp_step * (clean - settings.starter_count + 1))


def _skin_message(r: SkinRecord, rank: int) -> str:
    what = "moderate skin reaction" if rank == MODERATE else f"{r.cls} skin record"
    return (f"{what} recorded on {r.date.isoformat()}: let the skin settle (3 days, or a "
            "new check-in showing it is calm)")


class _Derivation:
    """What each recorded session broke, and the clean-session count, in one forward pass
    over the history in entry order (SPEC §3.1, §3.2).

    What precedes a session is everything dated before its day and what was recorded
    before it on its day (`logged`; equal stamps count as before, the careful reading for
    records that carry none). Reactions tied to a session never count against it. Spacing
    looks back only, and plans play no part: this is what happened, not what was planned.
    """

    def __init__(self, engine: Engine, history: History, sessions: list[Session]):
        self.settings = st = engine.settings
        skin, ranks = engine._skin, engine._skin_ranks
        self._skin, self._ranks = skin, ranks
        self._skin_keys = list(zip(engine._skin_days, map(_LOGGED, skin)))
        keyed = lambda rows: sorted((p.date.toordinal(), p.logged, p.kind) for p in rows)  # noqa: E731
        self._products = keyed(history.products)
        self._procedures = keyed(history.procedures)
        self._injectables = keyed(history.injectables)
        # Pauses and open holds that precede the session being derived (sessions come in
        # entry order, so each is taken in once and let go once: no quadratic scan).
        self._pauses = _Preceding(
            [((p.start.toordinal(), p.logged), (i, p)) for i, p in enumerate(engine._pauses)],
            lambda ip, n: ip[1].end.toordinal() < n)
        self._holds = {rank: _Preceding(
            [((r.date.toordinal(), r.logged), r) for r, k in zip(skin, ranks) if k == rank],
            over) for rank, over in ((SEVERE, _resolved), (RED_FLAG, _cleared))}

        # Ramp events in order: resolves first on their day, then skin resets and sessions
        # by entry stamp (a skin record before a session when the stamps tie).
        events: list[tuple] = []
        for r, k in zip(skin, ranks):
            if k >= MODERATE:
                events.append((r.date.toordinal(), 1, r.logged, 0, r.seq, None))
            if r.resolved_on is not None:  # only holds are ever resolved
                events.append((r.resolved_on.toordinal(), 0, 0, 0, 0, None))
        for i, x in enumerate(sessions):
            events.append((x.date.toordinal(), 1, x.logged, 1, i, x))
        events.sort(key=lambda e: e[:5])
        self.reset_days = {e[0] for e in events if e[5] is None}
        ramp_days: list[int] = []
        ramp_states: list[tuple[int, int]] = []
        derived: dict[int, Session] = {}
        c, last, prev = 0, -1, None
        for day, _phase, _logged, _kind, _i, x in events:
            if x is None:
                c = 0
            else:
                if last >= 0 and day - last > RAMP_RESET_GAP:
                    c = 0
                v = self._violations(x, day, prev, cap_for(c, st))
                if v != x.violations:
                    x = _with_violations(x, v)
                derived[id(sessions[_i])] = x
                if x.aborted:
                    c = 0
                elif self._is_clean(x, day):
                    c += 1
                last, prev = day, x
            ramp_days.append(day)
            ramp_states.append((c, last))
        self.ramp_days, self.ramp_states = ramp_days, ramp_states
        self.sessions = [derived[id(x)] for x in sessions]
        if any(a is not b for a, b in zip(self.sessions, sessions)):
            self.history = history.with_(
                sessions=tuple(derived.get(id(x), x) for x in history.sessions))
        else:
            self.history = history

    def _is_clean(self, s: Session, n: int) -> bool:
        """Completed, 5+ minutes, nothing broken, and no skin record of class mild or worse
        from its day to 3 days after it (SPEC §3.1)."""
        if not s.completed or s.minutes < MIN_MINUTES or s.violations:
            return False
        keys, ranks = self._skin_keys, self._ranks
        i = bisect_left(keys, (n,))
        while i < len(keys) and keys[i][0] <= n + 3:
            if ranks[i] >= MILD:
                return False
            i += 1
        return True

    def _violations(self, s: Session, n: int, prev: Session | None,
                    cap: int) -> tuple[Reason, ...]:
        st = self.settings
        here = (n, s.logged)
        out: list[Reason] = []
        if prev is not None and n - prev.date.toordinal() < st.spacing_days:
            p = prev.date.toordinal()
            gap = n - p
            when = "the same day" if gap == 0 else f"{_plural(gap, 'day')} before"
            out.append(Reason("spacing", f"a session on {prev.date.isoformat()} was {when}; "
                              f"sessions need {st.spacing_days} days between them",
                              _d(p + st.spacing_days)))
        if s.completed and s.minutes > cap:
            out.append(Reason("duration", f"{s.minutes} minutes is above the {cap}-minute "
                              "cap for that day", None))
        for rule, rows in (("product-blackout", self._products),
                           ("procedure-wait", self._procedures),
                           ("injectable-wait", self._injectables)):
            hit = self._latest(rows, here, n - _lookback(rule, st))
            if hit is not None:
                out.append(_exposure_reason(rule, hit[1], hit[0], st))
        r = self._latest_skin(s, here, n - 2)
        if r is not None:
            record, rank = r
            if rank >= MODERATE:
                out.append(Reason("skin-state", _skin_message(record, rank),
                                  record.date + timedelta(days=3)))
        for rule, rank_wanted in (("reaction-hold", SEVERE), ("medical-hold", RED_FLAG)):
            open_ = [h for h in self._holds[rank_wanted].at(here) if h.session_id != s.id]
            if open_:
                first = open_[0]
                what = ("severe skin reaction" if rule == "reaction-hold" else "warning sign")
                out.append(Reason(rule, f"{what} recorded on {first.date.isoformat()} was not "
                                  "resolved", None))
        inside = self._pauses.at(here)  # started before the session, not ended by its day
        if inside:  # the latest to end (the first of them in date order, on a tie)
            _, pause = max(inside, key=lambda x: (x[1].end, x[1].start, -x[0]))
            out.append(Reason("pause", f"paused {pause.start.isoformat()} to "
                              f"{pause.end.isoformat()} ({pause.reason})",
                              pause.end + timedelta(days=1)))
        return tuple(out)

    @staticmethod
    def _latest(rows: list[tuple[int, int, str]], here: tuple[int, int],
                lo: int) -> tuple[int, str] | None:
        """The day (and kinds used that day) of the latest row preceding `here` dated >= lo."""
        i = bisect_right(rows, (here[0], here[1], "\uffff"))
        if not i or rows[i - 1][0] < lo:
            return None
        day = rows[i - 1][0]
        kinds = set()
        while i and rows[i - 1][0] == day:
            i -= 1
            kinds.add(rows[i][2])
        return day, ", ".join(sorted(kinds))

    def _latest_skin(self, s: Session, here: tuple[int, int],
                     lo: int) -> tuple[SkinRecord, int] | None:
        """The latest skin record preceding the session, dated >= lo, not tied to it."""
        keys = self._skin_keys
        i = bisect_right(keys, here)
        while i and keys[i - 1][0] >= lo:
            i -= 1
            if self._skin[i].session_id != s.id:
                return self._skin[i], self._ranks[i]
        return None


class _Preceding:
    """Records that count for a session from their entry on (key <= the session's (day,
    entry stamp)) until they stop counting for good on some day (`over(record, day)`),
    asked for sessions in entry order. Each record is taken in once and let go once."""

    def __init__(self, rows: list[tuple[tuple[int, int], Any]],
                 over: Callable[[Any, int], bool]) -> None:
        self._rows = sorted(rows, key=itemgetter(0))  # stable: ties keep their order
        self._next = 0
        self._over = over
        self._now: list = []

    def at(self, here: tuple[int, int]) -> list:
        rows, i = self._rows, self._next
        while i < len(rows) and rows[i][0] <= here:
            self._now.append(rows[i][1])
            i += 1
        self._next = i
        if self._now:
            n, over = here[0], self._over
            self._now = [x for x in self._now if not over(x, n)]
        return self._now


def _resolved(r: SkinRecord, n: int) -> bool:
    return _lifted(r, n, False)


def _cleared(r: SkinRecord, n: int) -> bool:
    return _lifted(r, n, True)


def _lifted(r: SkinRecord, n: int, red_flag: bool) -> bool:
    if r.resolved_on is None or r.resolved_on.toordinal() > n:
        return False
    return r.cleared_by_clinician or not red_flag


def _with_violations(s: Session, violations: tuple[Reason, ...]) -> Session:
    """The session carrying its derived violations."""
    return replace(s, violations=violations)
