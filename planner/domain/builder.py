"""Build a routine from concerns, techniques and minutes, within the day's limits (SPEC §5).

Pure and deterministic: the same library, request, profile and day always give
the same routine, the same drops and the same notes (everything is sorted or
taken in library order; no set iteration order, no randomness). The guided
session applies the same profile drops to library routines through
`filter_routine_for_profile`, so both paths leave out the same steps.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Protocol

from planner.domain.models import Exclusion, Profile
from planner.domain.routine import (
    CONDITIONS,
    MIN_ROUTINE_SECONDS,
    Point,
    Routine,
    Step,
    profile_conditions,
    routine_zone,
)
from planner.domain.values import Value, replace
from planner.domain.vocabulary import CONCERNS, TECHNIQUE_WORDS, TECHNIQUES, technique_words

# Traditionally avoided in pregnancy, whether or not the catalog flags them.
PREGNANCY_AVOIDED = ("LI4", "SP6", "GB21", "BL60", "BL67")
# Fingertip holds on clean, dry skin come before the oiled tools.
TECHNIQUE_ORDER = ("acupressure", "gua-sha", "jade-rolling")
# Neck first, then up the face as the gua sha and rolling guides do; hands and legs last.
ZONE_ORDER = ("neck", "jaw", "chin", "mouth-corner", "cheek", "nose", "ear", "under-eye",
              "brow", "forehead", "temple", "hand", "lower-leg")
MAX_EXTRA_REPEATS = 2  # padding repeats a step at most this many more times
_SLUG_LEN = 48


class RoutineSource(Protocol):
    """What the builder needs from a library (planner.library.Library fits)."""

    points: Mapping[str, Point]
    routines: Mapping[str, Routine]


class Dropped(Value, frozen=True):
    """Something left out, e.g. ("LI4 (Hegu)", "traditionally avoided in pregnancy"), and
    the rule id a refusal names for it: "caution" (a profile caution), "excluded-zone", or
    "catalog" (a point the catalog does not know)."""

    what: str
    reason: str
    rule: str = "caution"


class BuildResult(Value, frozen=True):
    routine: Routine | None
    dropped: list[Dropped]
    notes: list[str]


# --------------------------------------------------------------------------
# Profile drops, shared with the guided session

def _describe(step: Step, points: Mapping[str, Point]) -> str:
    if step.point:
        return points[step.point].label if step.point in points else step.point
    return f"{TECHNIQUE_WORDS.get(step.technique, step.technique)} on the {step.zone}"


def _exclusion_reason(e: Exclusion, day: date) -> str:
    if e.until == day:  # a zone named in that day's skin check, or an exclusion's last day
        return f"{e.zone} left out for the day: {e.reason.replace('-', ' ')}"
    reason = f"{e.zone} excluded: {e.reason.replace('-', ' ')}"
    return f"{reason} until {e.until.isoformat()}" if e.until else reason


def _avoided(code: str, points: Mapping[str, Point], conditions: tuple[str, ...]) -> str | None:
    flagged = set(points[code].avoid_in) if code in points else set()
    if code in PREGNANCY_AVOIDED:
        flagged.add("pregnancy")
    for condition in conditions:
        if condition in flagged:
            return f"traditionally avoided {CONDITIONS[condition][1]}"
    return None


def _screen(steps: Iterable[Step], profile: Profile, today: date,
            points: Mapping[str, Point]) -> tuple[list[Step], list[Dropped]]:
    """Steps the profile allows today (gua sha made light if needed), and what was dropped."""
    excluded: dict[str, Exclusion] = {}
    active = (e for e in profile.exclusions if e.active_on(today))
    for e in sorted(active, key=lambda e: (e.zone, e.reason, e.until or date.max)):
        excluded.setdefault(e.zone, e)
    conditions = profile_conditions(profile)
    kept: list[Step] = []
    dropped: list[Dropped] = []
    for step in steps:
        zone = routine_zone(step, points)
        rule = "caution"
        reason: str | None
        if zone is None:
            reason, rule = "not in the point catalog", "catalog"
        elif zone in excluded:
            reason, rule = _exclusion_reason(excluded[zone], today), "excluded-zone"
        else:
            reason = _avoided(step.point, points, conditions) if step.point else None
        if reason:
            entry = Dropped(_describe(step, points), reason, rule)
            if entry not in dropped:
                dropped.append(entry)
            continue
        if profile.light_pressure_only and step.technique == "gua-sha" and step.pressure != "light":
            step = replace(step, pressure="light")
        kept.append(step)
    return kept, dropped


def filter_routine_for_profile(routine: Routine, profile: Profile, today: date,
                               points: Mapping[str, Point]) -> tuple[Routine, list[Dropped]]:
    """The routine without the steps this profile must skip today (may end under 5 minutes)."""
    kept, dropped = _screen(routine.steps, profile, today, points)
    techniques = tuple(t for t in routine.techniques if any(s.technique == t for s in kept))
    return replace(routine, steps=tuple(kept), techniques=techniques), dropped


# --------------------------------------------------------------------------
# Building

def _canonical(words: Iterable[str], accepted: tuple[str, ...], what: str) -> tuple[str, ...]:
    given = list(words)
    unknown = sorted({w for w in given if w not in accepted})
    if unknown:
        raise ValueError(f"unknown {what} {unknown[0]!r}; accepted: {', '.join(accepted)}")
    return tuple(w for w in accepted if w in given)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_SLUG_LEN].strip("-")


def _step_key(step: Step) -> tuple:
    """Two steps with the same key work the same spot the same way: keep only one."""
    return (step.technique, step.point, step.zone, step.side)


def _order_key(step: Step, points: Mapping[str, Point]) -> tuple[int, int]:
    zone = routine_zone(step, points)
    return TECHNIQUE_ORDER.index(step.technique), ZONE_ORDER.index(zone)


def _candidates(library: RoutineSource, concerns: tuple[str, ...],
                techniques: tuple[str, ...]) -> list[tuple[Routine, Step]]:
    """Matching shipped steps, one from each routine in turn, best-matching routines first.

    Only shipped routines feed the builder: their steps are the vetted ones.
    """
    def matches(r: Routine) -> bool:
        return bool(set(r.techniques) & set(techniques)) and bool(set(r.concerns) & set(concerns))

    sources = sorted((r for r in library.routines.values() if r.source == "shipped" and matches(r)),
                     key=lambda r: (-len(set(r.concerns) & set(concerns)), r.id))
    longest = max((len(r.steps) for r in sources), default=0)
    return [(r, r.steps[i]) for i in range(longest) for r in sources
            if i < len(r.steps) and r.steps[i].technique in techniques]


def _fill(pool: list[tuple[Routine, Step]], budget: int) -> list[tuple[Routine, Step]]:
    chosen, total = [], 0
    for source, step in pool:
        if total + step.total_seconds <= budget:
            chosen.append((source, step))
            total += step.total_seconds
    return chosen


def _pad(steps: list[Step], budget: int) -> list[Step]:
    """Repeat steps in turn until the 5-minute minimum is met, staying within budget."""
    steps = list(steps)
    limits = [s.repetitions + MAX_EXTRA_REPEATS for s in steps]
    total = sum(s.total_seconds for s in steps)
    grew = True
    while total < MIN_ROUTINE_SECONDS and grew:
        grew = False
        for i, step in enumerate(steps):
            if total >= MIN_ROUTINE_SECONDS:
                break
            if step.repetitions < limits[i] and total + step.seconds <= budget:
                steps[i] = replace(step, repetitions=step.repetitions + 1)
                total += step.seconds
                grew = True
    return steps


def _light_pressure_note(profile: Profile) -> str:
    why = [label for flag, label in (("anticoagulants", "anticoagulants"),
                                     ("bleeding_disorder", "a bleeding disorder"),
                                     ("rosacea", "rosacea"), ("sensitive_skin", "sensitive skin"))
           if getattr(profile, flag)]
    return f"gua sha kept at light pressure ({', '.join(why)})"


def build_routine(library: RoutineSource, concerns: Iterable[str], techniques: Iterable[str],
                  minutes: int, cap: int, profile: Profile, today: date,
                  name: str | None = None) -> BuildResult:
    """A routine of at most min(minutes, cap) minutes; `routine` is None when none is safe.

    Empty `concerns` or `techniques` mean "any". Unknown words raise ValueError
    (the CLI and app offer only the accepted ones).
    """
    asked = _canonical(concerns, CONCERNS, "concern")
    concerns = asked or CONCERNS
    techniques = _canonical(techniques, TECHNIQUES, "technique") or TECHNIQUES
    notes: list[str] = []
    if cap < 5:
        return BuildResult(None, [], [f"today's cap is {cap} minutes, under the 5-minute minimum: "
                                      "no routine today"])
    if minutes < 5:
        return BuildResult(None, [], [f"a routine lasts at least 5 minutes, not {minutes}"])
    limit = min(minutes, cap)
    if minutes > cap:
        notes.append(f"asked for {minutes} minutes; today's cap is {cap}, so the routine "
                     f"keeps to {cap}")

    points = library.points
    pool, seen, dropped = [], set(), []
    for source, step in _candidates(library, concerns, techniques):
        kept, lost = _screen([step], profile, today, points)
        dropped += [d for d in lost if d not in dropped]
        if kept and _step_key(kept[0]) not in seen:
            seen.add(_step_key(kept[0]))
            pool.append((source, kept[0]))

    chosen = _fill(pool, limit * 60)
    order = sorted(range(len(chosen)), key=lambda i: (_order_key(chosen[i][1], points), i))
    chosen = [chosen[i] for i in order]
    steps = _pad([s for _, s in chosen], limit * 60)
    total = sum(s.total_seconds for s in steps)
    if total < MIN_ROUTINE_SECONDS:
        notes.append(f"not enough safe steps for {', '.join(concerns)} with "
                     f"{technique_words(techniques)} to fill the 5-minute minimum")
        return BuildResult(None, dropped, notes)

    covered = {c for source, _ in chosen for c in source.concerns}
    missing = [c for c in concerns if c not in covered]
    if missing and asked:
        notes.append(f"no safe steps found for {', '.join(missing)} with "
                     f"{technique_words(techniques)}")
    if math.ceil(total / 60) < limit:
        notes.append(f"the matching safe steps fill {math.ceil(total / 60)} of the {limit} minutes")
    used = tuple(t for t in TECHNIQUES if any(s.technique == t for s in steps))
    if profile.light_pressure_only and "gua-sha" in used:
        notes.append(_light_pressure_note(profile))
    if (profile.eczema or profile.psoriasis) and ({"gua-sha", "jade-rolling"} & set(used)):
        notes.append("skip the tools on any patch of eczema or psoriasis")

    routine_concerns = tuple(c for c in concerns if c in covered)
    routine = Routine(
        id=_routine_id(library, name, routine_concerns, used, limit, profile, today),
        name=name.strip() if name and name.strip() else _default_name(routine_concerns, total),
        summary=_summary(routine_concerns, used),
        techniques=used, concerns=routine_concerns, steps=tuple(steps), starter=False,
        source="user",
    )
    return BuildResult(routine, dropped, notes)


def _default_name(concerns: tuple[str, ...], total: int) -> str:
    return f"Built for {', '.join(concerns)} ({math.ceil(total / 60)} min)"


def _summary(concerns: tuple[str, ...], techniques: tuple[str, ...]) -> str:
    text = (f"Built from the shipped library for {', '.join(concerns)}, using "
            f"{technique_words(techniques)}. The uses behind these steps are traditional, not "
            "proven; "
            "stop if anything hurts.")
    if "gua-sha" in techniques:
        text += " Gua sha only on skin covered with oil or serum, never dry."
    return text


def _routine_id(library: RoutineSource, name: str | None, concerns: tuple[str, ...],
                techniques: tuple[str, ...], limit: int, profile: Profile, today: date) -> str:
    """A slug of the name, or "built-" + a short stable hash of what shaped the routine."""
    shaped_by = {
        "concerns": concerns, "techniques": techniques, "minutes": limit,
        "conditions": profile_conditions(profile), "light": profile.light_pressure_only,
        "excluded": sorted({e.zone for e in profile.exclusions if e.active_on(today)}),
    }
    digest = hashlib.sha256(json.dumps(shaped_by, sort_keys=True).encode()).hexdigest()[:8]
    slug = _slug(name or "")
    if not slug:
        return f"built-{digest}"
    clash = library.routines.get(slug)
    return f"{slug}-{digest}" if clash is not None and clash.source == "shipped" else slug


__all__ = ["BuildResult", "Dropped", "PREGNANCY_AVOIDED", "build_routine",
           "filter_routine_for_profile"]
