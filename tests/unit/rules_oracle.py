"""A brute-force oracle for SPEC §3 and §3.1–3.2, written straight from the text.

It loops over every record for every question, with no indexes and no shortcuts, and
shares no code with planner.domain.rules. Used by test_rules_oracle.py (the engine on
generated histories, logged in any order) and test_commands_oracle.py (every command of
the service, applied in random sequences to a real journal).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from planner.domain.models import History, Session, Settings, SkinRecord

RED = {"pus", "fever", "spreading-redness", "faint", "lip-tongue-throat-swelling",
       "breathing-difficulty", "vision-change", "eye-pain", "skin-blanching"}
ORDER = ("none", "mild", "moderate", "severe", "red-flag")
NON_SCHEDULING = {"product-blackout", "procedure-wait", "injectable-wait", "skin-state",
                  "reaction-hold", "medical-hold", "pause"}


def oracle_class(r: SkinRecord) -> str:
    f = set(r.flags)
    if f & RED or ("warmth" in f and r.redness >= 3):
        return "red-flag"
    if r.redness >= 3 or r.swelling >= 3 or r.burning >= 7 or r.itch >= 7 or \
            f & {"dizziness", "extreme-discomfort"}:
        return "severe"
    if r.redness == 2 or r.swelling == 2 or r.burning in (4, 5, 6) or r.itch in (4, 5, 6) or \
            f & {"bruising", "peeling", "broken-skin", "pustules"}:
        return "moderate"
    if r.redness == 1 or r.swelling == 1 or r.burning in (1, 2, 3) or r.itch in (1, 2, 3):
        return "mild"
    return "none"


def level(r: SkinRecord) -> int:
    """The class as the rules weigh it: a record that held sessions and was resolved counts
    as at least moderate (its resolution and reset stay, SPEC §2)."""
    n = ORDER.index(oracle_class(r))
    return max(n, 2) if r.resolved_on is not None else n


def cap_of(c: int, s: Settings) -> int:
    if c < s.starter_count:
        return 10
    return min(s.ceiling, 10 + s.ramp_step * (c - s.starter_count + 1))


class Oracle:
    """Answers for one history and settings, as of `today` (for plans)."""

    def __init__(self, h: History, s: Settings, today: date):
        self.h, self.s, self.today = h, s, today
        self._violations = lru_cache(maxsize=None)(self._violations_uncached)

    # ------------------------------------------------------------ recorded sessions

    def _before(self, x, s: Session) -> bool:
        """x (not a session) precedes s: dated before its day, or on it and entered first
        (an equal stamp counts as before)."""
        d = getattr(x, "date", None) or x.start
        return d < s.date or (d == s.date and x.logged <= s.logged)

    @staticmethod
    def _session_before(x: Session, s: Session) -> bool:
        return (x.date, x.logged, x.id) < (s.date, s.logged, s.id)

    def violations(self, s: Session) -> dict[str, object]:
        return self._violations(s.id)

    def _violations_uncached(self, sid: str) -> dict[str, object]:
        s = next(x for x in self.h.sessions if x.id == sid)
        st, D = self.s, s.date
        out: dict[str, object] = {}
        near = [x.date for x in self.h.sessions
                if self._session_before(x, s) and (D - x.date).days < st.spacing_days]
        if near:
            out["spacing"] = max(near) + timedelta(days=st.spacing_days)
        if s.outcome == "completed" and s.minutes > self.cap_for_session(s):
            out["duration"] = None
        for rule, rows, ok, after in (
            ("product-blackout", self.h.products,
             lambda n: 0 <= n <= st.product_blackout_days, st.product_blackout_days + 1),
            ("procedure-wait", self.h.procedures,
             lambda n: 0 <= n < st.procedure_wait_days, st.procedure_wait_days),
            ("injectable-wait", self.h.injectables,
             lambda n: 0 <= n < st.injectable_wait_days, st.injectable_wait_days),
        ):
            hits = [p.date for p in rows if self._before(p, s) and ok((D - p.date).days)]
            if hits:
                out[rule] = max(hits) + timedelta(days=after)
        window = [r for r in self.h.skin if self._before(r, s) and r.session_id != s.id
                  and D - timedelta(days=2) <= r.date <= D]
        if window:
            latest = max(window, key=lambda r: (r.date, r.logged, r.seq))
            if level(latest) >= 2:
                out["skin-state"] = latest.date + timedelta(days=3)
        prior = [r for r in self.h.skin if self._before(r, s) and r.session_id != s.id]
        if any(level(r) == 3 and not (r.resolved_on and r.resolved_on <= D) for r in prior):
            out["reaction-hold"] = None
        if any(level(r) == 4 and not (r.resolved_on and r.cleared_by_clinician
                                      and r.resolved_on <= D) for r in prior):
            out["medical-hold"] = None
        ends = [p.end for p in self.h.pauses if self._before(p, s) and p.start <= D <= p.end]
        if ends:
            out["pause"] = max(ends) + timedelta(days=1)
        return out

    def clean(self, s: Session) -> bool:
        return (s.outcome == "completed" and s.minutes >= 5 and not self.violations(s)
                and not any(s.date <= r.date <= s.date + timedelta(days=3) and level(r) >= 1
                            for r in self.h.skin))

    def _replay(self, stop_day: date, stop_session: Session | None) -> tuple[int, date | None]:
        """Clean count and last session day, replaying every record day by day up to the
        session `stop_session` (exclusive), or up to the start of `stop_day`."""
        c, last = 0, None
        days = sorted({x.date for x in self.h.sessions} | {r.date for r in self.h.skin}
                      | {r.resolved_on for r in self.h.skin if r.resolved_on})
        for d in days:
            if d > stop_day or (d == stop_day and stop_session is None):
                break
            if any(r.resolved_on == d for r in self.h.skin):
                c = 0
            entries = [(r.logged, 0, r.seq, r.id, r) for r in self.h.skin
                       if r.date == d and level(r) >= 2]
            entries += [(x.logged, 1, 0, x.id, x) for x in self.h.sessions if x.date == d]
            for *_, e in sorted(entries, key=lambda t: t[:4]):
                if isinstance(e, SkinRecord):
                    c = 0
                    continue
                if e is stop_session:
                    return c, last
                if last is not None and (d - last).days > 56:
                    c = 0
                if e.outcome == "aborted":
                    c = 0
                elif self.clean(e):
                    c += 1
                last = d
        return c, last

    def cap_for_session(self, s: Session) -> int:
        c, last = self._replay(s.date, s)
        if last is not None and (s.date - last).days > 56:
            c = 0
        return cap_of(c, self.s)

    # ------------------------------------------------------------- new sessions

    def cap(self, D: date) -> int:
        c, last = self._replay(D, None)
        resets = any(r.resolved_on == D for r in self.h.skin) or any(
            r.date == D and level(r) >= 2 for r in self.h.skin)
        if resets or (last is not None and (D - last).days > 56):
            c = 0
        return cap_of(c, self.s)

    def blocking(self, D: date) -> dict[str, object]:
        """rule id -> until (date or None) for every rule but duration that blocks D."""
        h, s, today = self.h, self.s, self.today
        out: dict[str, object] = {}

        def conflicts(d: date) -> bool:
            for x in h.sessions:
                if abs((d - x.date).days) < s.spacing_days:
                    return True
            live = sorted((p for p in h.plans if p.fulfilled_by is None and p.date >= today),
                          key=lambda p: (p.date, p.id))
            own = next((p for p in live if p.date == d), None)  # a session on d carries it out
            return any(p is not own and abs((d - p.date).days) < s.spacing_days for p in live)

        if conflicts(D):
            d = D
            while conflicts(d):
                d += timedelta(days=1)
            out["spacing"] = d
        ps = [p.date for p in h.products if 0 <= (D - p.date).days <= s.product_blackout_days]
        if ps:
            out["product-blackout"] = max(ps) + timedelta(days=s.product_blackout_days + 1)
        ps = [p.date for p in h.procedures if 0 <= (D - p.date).days < s.procedure_wait_days]
        if ps:
            out["procedure-wait"] = max(ps) + timedelta(days=s.procedure_wait_days)
        ps = [p.date for p in h.injectables if 0 <= (D - p.date).days < s.injectable_wait_days]
        if ps:
            out["injectable-wait"] = max(ps) + timedelta(days=s.injectable_wait_days)

        def skin_blocks(d: date) -> bool:
            window = [r for r in h.skin if d - timedelta(days=2) <= r.date <= d]
            if not window:
                return False
            return level(max(window, key=lambda r: (r.date, r.logged, r.seq))) >= 2

        if skin_blocks(D):
            d = D + timedelta(days=1)
            while skin_blocks(d):
                d += timedelta(days=1)
            out["skin-state"] = d
        severe = [r for r in h.skin if level(r) == 3 and r.date <= D
                  and not (r.resolved_on and r.resolved_on <= D)]
        if severe:
            out["reaction-hold"] = (None if any(r.resolved_on is None for r in severe)
                                    else max(r.resolved_on for r in severe))
        red = [r for r in h.skin if level(r) == 4 and r.date <= D
               and not (r.resolved_on and r.cleared_by_clinician and r.resolved_on <= D)]
        if red:
            out["medical-hold"] = (None if any(r.resolved_on is None or not r.cleared_by_clinician
                                               for r in red) else max(r.resolved_on for r in red))
        ends = [p.end for p in h.pauses if p.start <= D <= p.end]
        if ends:
            out["pause"] = max(ends) + timedelta(days=1)
        return out

    def earliest(self, D: date) -> date | None:
        """SPEC §3 word for word: the first date >= D that nothing blocks, walked a day at a
        time, or None once a hold with no end date blocks (it blocks every later day too)."""
        for i in range(400):
            d = D + timedelta(days=i)
            blocking = self.blocking(d)
            if not blocking:
                return d
            if any(until is None for until in blocking.values()):
                return None
        return None

    # ------------------------------------------------------------------ streaks

    def checkin_streak(self) -> tuple[int, int]:
        """(current, longest) check-in streak (SPEC §4): consecutive days with a check-in,
        ending today, or yesterday when today has none yet; each day counted backwards."""
        have = {r.date for r in self.h.skin if r.kind == "checkin" and r.date <= self.today}

        def run_back_from(d: date) -> int:
            n = 0
            while d - timedelta(days=n) in have:
                n += 1
            return n

        end = self.today if self.today in have else self.today - timedelta(days=1)
        return run_back_from(end), max(map(run_back_from, have), default=0)

    def session_streak(self) -> tuple[int, int]:
        """(current, longest) session streak, walking SPEC §4 day by day."""
        s = self.s
        walked = sorted((x for x in self.h.sessions if x.outcome != "aborted"
                         and x.date <= self.today), key=lambda x: (x.date, x.logged, x.id))

        def blocked_between(a: date, b: date) -> int:
            n, d = 0, a + timedelta(days=1)
            while d < b:
                if set(self.blocking(d)) & NON_SCHEDULING:
                    n += 1
                d += timedelta(days=1)
            return n

        run = longest = 0
        prev = None
        for x in walked:
            if self.violations(x):
                run, prev = 0, x
                continue
            if prev is not None and run and s.spacing_days <= (x.date - prev.date).days <= (
                    s.cadence_days + s.grace_days + blocked_between(prev.date, x.date)):
                run += 1
            else:
                run = 1
            longest = max(longest, run)
            prev = x
        if not walked or self.violations(walked[-1]):
            return 0, longest
        last = walked[-1].date
        allowance = s.cadence_days + s.grace_days + blocked_between(last, self.today)
        return (run if (self.today - last).days <= allowance else 0), longest
