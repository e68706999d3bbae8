"""The class of a skin record (SPEC §2) and what a red flag asks the user to do."""

from __future__ import annotations

from typing import Protocol


class Graded(Protocol):
    """What the class is worked out from (a SkinRecord, or a form's values)."""

    @property
    def redness(self) -> int: ...
    @property
    def swelling(self) -> int: ...
    @property
    def itch(self) -> int: ...
    @property
    def burning(self) -> int: ...
    @property
    def flags(self) -> tuple[str, ...]: ...

RED_FLAGS = frozenset({
    "pus", "fever", "spreading-redness", "faint", "lip-tongue-throat-swelling",
    "breathing-difficulty", "vision-change", "eye-pain", "skin-blanching",
})
SEVERE_FLAGS = frozenset({"dizziness", "extreme-discomfort"})
MODERATE_FLAGS = frozenset({"bruising", "peeling", "broken-skin", "pustules"})

# SPEC §2: these call for emergency services; the other red flags for a clinician soon.
EMERGENCY_FLAGS = ("lip-tongue-throat-swelling", "breathing-difficulty", "faint",
                   "vision-change")

EMERGENCY_TEXT = (
    "Call emergency services now. Swelling of the lips, tongue or throat, trouble "
    "breathing, fainting, or a sudden change in vision can be dangerous."
)
CLINICIAN_TEXT = (
    "See a clinician soon (today if you can). Pus, fever, warmth with strong redness, "
    "redness that spreads, skin turning pale or eye pain need a professional look."
)


def classify(r: Graded) -> str:
    """Highest class that applies: red-flag, severe, moderate, mild or none."""
    flags = set(r.flags)
    redness, swelling, itch, burning = r.redness, r.swelling, r.itch, r.burning
    if flags & RED_FLAGS or ("warmth" in flags and redness >= 3):
        return "red-flag"
    if redness >= 3 or swelling >= 3 or burning >= 7 or itch >= 7 or flags & SEVERE_FLAGS:
        return "severe"
    if (redness == 2 or swelling == 2 or 4 <= burning <= 6 or 4 <= itch <= 6
            or flags & MODERATE_FLAGS):
        return "moderate"
    if redness == 1 or swelling == 1 or 1 <= burning <= 3 or 1 <= itch <= 3:
        return "mild"
    return "none"


def is_emergency(flags: tuple[str, ...] | list[str]) -> bool:
    """Emergencies: airway or vision signs, or fainting."""
    return bool(set(flags) & set(EMERGENCY_FLAGS))


def red_flag_advice(flags: tuple[str, ...] | list[str]) -> list[str]:
    """Plain-words instructions for a record's flags, emergency first. Never a point to press."""
    out: list[str] = []
    if is_emergency(flags):
        out.append(EMERGENCY_TEXT)
    fs = set(flags)
    if fs & RED_FLAGS - set(EMERGENCY_FLAGS) or "warmth" in fs or (fs & RED_FLAGS and not out):
        out.append(CLINICIAN_TEXT)
    return out
