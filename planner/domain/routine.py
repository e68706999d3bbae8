"""Routines as immutable values: points, steps and the routines made of them.

Pure data with no I/O, so the loader, the builder, the CLI and the app can all
share them and compare them with `==` (the builder must be deterministic).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from planner.domain.values import Value

MIN_ROUTINE_SECONDS = 300  # no routine, shipped, user or built, lasts under 5 minutes


class Point(Value, frozen=True):
    """An acupressure point from the catalog; `avoid_in` names profile conditions."""

    code: str
    pinyin: str
    english: str
    zone: str
    location: str
    traditional_use: str
    cautions: tuple[str, ...] = ()
    avoid_in: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How a point is named to the user, e.g. "LI4 (Hegu)"."""
        return f"{self.code} ({self.pinyin})"


class Step(Value, frozen=True):
    """One instruction. Acupressure steps name a `point`; the others a `zone`."""

    technique: str
    action: str
    seconds: int
    repetitions: int = 1
    point: str | None = None
    zone: str | None = None
    side: str = "both"
    direction: str = ""
    pressure: str = "light"
    how: str = ""

    @property
    def total_seconds(self) -> int:
        return self.seconds * self.repetitions

    def target_zone(self, points: Mapping[str, Point]) -> str | None:
        return routine_zone(self, points)


class Routine(Value, frozen=True):
    """Named ordered steps; `source` is "shipped" (the library) or "user"."""

    id: str
    name: str
    summary: str
    techniques: tuple[str, ...]
    concerns: tuple[str, ...]
    steps: tuple[Step, ...]
    starter: bool = False
    source: str = "shipped"

    @property
    def total_seconds(self) -> int:
        return sum(s.total_seconds for s in self.steps)

    @property
    def minutes(self) -> int:
        """Total time in whole minutes, rounded up (what the cap is checked against)."""
        return math.ceil(self.total_seconds / 60)


# Conditions a point's `avoid_in` may name: the Profile flag behind each, and how
# the reason for leaving a point out reads ("traditionally avoided in pregnancy").
CONDITIONS: dict[str, tuple[str, str]] = {
    "pregnancy": ("pregnant", "in pregnancy"),
    "anticoagulants": ("anticoagulants", "with anticoagulants"),
    "bleeding-disorder": ("bleeding_disorder", "with a bleeding disorder"),
    "rosacea": ("rosacea", "with rosacea"),
    "eczema": ("eczema", "with eczema"),
    "psoriasis": ("psoriasis", "with psoriasis"),
    "sensitive-skin": ("sensitive_skin", "with sensitive skin"),
}


def profile_conditions(profile: object) -> tuple[str, ...]:
    """The CONDITIONS a profile has, in CONDITIONS order."""
    return tuple(name for name, (flag, _) in CONDITIONS.items() if getattr(profile, flag, False))


def routine_zone(step: Step, points: Mapping[str, Point]) -> str | None:
    """The zone a step touches: its own, else its point's (None if unknown)."""
    if step.zone:
        return step.zone
    if step.point and step.point in points:
        return points[step.point].zone
    return None


__all__ = ["MIN_ROUTINE_SECONDS", "Point", "Step", "Routine", "CONDITIONS", "profile_conditions",
           "routine_zone"]
