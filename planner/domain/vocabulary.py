"""The fixed words of acuplan (SPEC §1–2): one place, so every layer agrees."""

from __future__ import annotations

from datetime import date

# Every date acuplan accepts or stores lies in this range (SPEC §1), so no computation
# near the ends of Python's calendar can overflow.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)

TECHNIQUES = ("acupressure", "gua-sha", "jade-rolling")
# The techniques as sentences say them ("jade rolling", as the safety notice does).
TECHNIQUE_WORDS = {"acupressure": "acupressure", "gua-sha": "gua sha",
                   "jade-rolling": "jade rolling"}


def technique_words(techniques) -> str:
    return ", ".join(TECHNIQUE_WORDS.get(t, t) for t in techniques)


ZONES = (
    "forehead", "brow", "temple", "under-eye", "cheek", "nose", "mouth-corner",
    "chin", "jaw", "ear", "neck", "hand", "lower-leg",
)
FORBIDDEN_ZONES = ("eyeball", "eyelid", "nostril", "lips", "mouth")

CONCERNS = (
    "puffiness", "jaw-tension", "forehead-lines", "brow-tension", "dullness",
    "stress", "headache",
)

SIDES = ("both", "left", "right")
ACTIONS = ("press-hold", "circle", "stroke", "roll")
PRESSURES = ("light", "medium", "firm")

PRODUCT_KINDS = ("retinoid", "acid-exfoliant", "scrub", "home-peel")
PROCEDURE_KINDS = ("clinic-peel", "microdermabrasion", "laser", "microneedling")
INJECTABLE_KINDS = ("botulinum-toxin", "filler", "other-injectable")
PAUSE_REASONS = ("irritated-skin", "illness", "sunburn", "travel", "other")
EXCLUSION_REASONS = (
    "active-cyst", "infection", "mole", "wart", "lesion", "broken-skin", "scar",
    "inflamed", "sunburn", "cold-sore", "freshly-treated",
)

# Days of the week as stored for preferred session days (Monday first, as date.weekday).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The preparation before a guided session (SPEC §8), as stored: the items ticked last time.
PREPARATION_ITEMS = ("hands", "face", "tool")

FLAGS = (
    "bruising", "peeling", "broken-skin", "pustules", "pus", "warmth", "fever",
    "spreading-redness", "dizziness", "faint", "extreme-discomfort",
    "lip-tongue-throat-swelling", "breathing-difficulty", "vision-change",
    "eye-pain", "skin-blanching",
)

# Skin record classes, mildest first: comparisons use the index.
CLASSES = ("none", "mild", "moderate", "severe", "red-flag")

RULE_IDS = (
    "spacing", "duration", "product-blackout", "procedure-wait", "injectable-wait",
    "skin-state", "reaction-hold", "medical-hold", "pause",
)

# Anchors shown beside the scales in forms and help.
REDNESS_SWELLING_ANCHORS = ("none", "very slight", "well-defined", "moderate", "severe")
NRS_ANCHORS = {0: "none", 1: "mild", 4: "moderate", 7: "severe", 10: "worst imaginable"}

# Words that must never appear as a technique or tool in a routine.
NEEDLE_WORDS = (
    "needle", "press needle", "press-needle", "dermal roller", "dermal-roller",
    "derma roller", "derma-roller", "dermaroller", "microneedling", "micro-needling",
    "derma stamp", "derma-stamp", "dermastamp", "acupuncture",
)


def class_rank(cls: str) -> int:
    """Order of a skin-record class, 0 for `none` up to 4 for `red-flag`."""
    return CLASSES.index(cls)
