"""Routines as this profile may do them: what a routine leaves out on a day, a session
prepared to today's cap, a routine built to a wish, the user's own routine files.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from planner.domain.models import Profile, Reason
from planner.domain.rules import Verdict
from planner.domain.session_prep import UNWELL_ALL_OVER, skin_check_profile
from planner.domain.values import replace
from planner.service.inputs import BadInput, check_routine_id
from planner.service.queries import Queries
from planner.service.views import PreparedSession, RoutineFit, step_label, with_reasons


class RoutineQueries(Queries):
    """Routines for this profile and day (no method here writes)."""

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
            verdict = replace(with_reasons(verdict, (UNWELL_ALL_OVER,)),
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
        return (verdict if fit.fits else with_reasons(verdict, fit.reasons)), fit

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
