"""The class of a skin record (SPEC §2) and what a red flag asks the user to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.domain.models import SkinRecord

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


def classify(r: "SkinRecord") -> str:
    """Highest class that applies: red-flag, severe, moderate, mild or none."""
    flags = set(r.flags)
    if flags & RED_FLAGS or ("warmth" in flags and r.redness >= 3):
        return "red-flag"
    if (r.redness >= 3 or r.swelling >= 3 or r.burning >= 7 or r.itch >= 7
            or flags & SEVERE_FLAGS):
        return "severe"
    if (r.redness == 2 or r.swelling == 2 or 4 <= r.burning <= 6 or 4 <= r.itch <= 6
            or flags & MODERATE_FLAGS):
        return "moderate"
    if r.redness == 1 or r.swelling == 1 or 1 <= r.burning <= 3 or 1 <= r.itch <= 3:
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
