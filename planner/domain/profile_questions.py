"""The profile questions (SPEC §5): one home for what each Profile answer is called and does.

The first run asks them, Settings shows them as switches, the command line takes them as
`acuplan profile --<option> yes|no`, and an import checks them as yes/no fields. Each
reads this table, so a new question is added here once.
"""

from __future__ import annotations

from typing import NamedTuple

from planner.domain.models import Profile
from planner.domain.values import fields, replace


class ProfileQuestion(NamedTuple):
    field: str      # the Profile attribute (a yes/no answer)
    option: str     # the command-line word: `acuplan profile --<option> yes|no`
    question: str   # as the first run asks it
    label: str      # as Settings names it
    effect: str     # what a "yes" changes, shown beside it in Settings
    group: str      # "condition", "use" or "recent" (see FIRST_RUN_GROUPS)
    records: str | None = None  # "recent": the journal table its kind and date go to


# In the Profile's order (Settings and the command line list them so).
PROFILE_QUESTIONS: tuple[ProfileQuestion, ...] = (
    ProfileQuestion("pregnant", "pregnant", "I am pregnant or may be", "Pregnant",
                    "points avoided in pregnancy are left out", "condition"),
    ProfileQuestion("anticoagulants", "anticoagulants",
                    "I take anticoagulants (blood thinners)", "Taking anticoagulants",
                    "gua sha stays at light pressure", "condition"),
    ProfileQuestion("bleeding_disorder", "bleeding-disorder", "I have a bleeding disorder",
                    "Bleeding disorder", "gua sha stays at light pressure", "condition"),
    ProfileQuestion("rosacea", "rosacea", "I have rosacea", "Rosacea",
                    "gua sha stays light; skip a flare", "condition"),
    ProfileQuestion("eczema", "eczema", "I have eczema", "Eczema", "skip patches",
                    "condition"),
    ProfileQuestion("psoriasis", "psoriasis", "I have psoriasis", "Psoriasis", "skip patches",
                    "condition"),
    ProfileQuestion("sensitive_skin", "sensitive-skin", "My skin is sensitive",
                    "Sensitive skin", "gua sha stays at light pressure", "condition"),
    ProfileQuestion("retinoid_use", "retinoid-use", "I use a retinoid", "Use retinoids",
                    "log each use: sessions wait after it", "use"),
    ProfileQuestion("recent_injectable", "recent-injectable",
                    "I had injectables (e.g. botulinum toxin, filler) recently",
                    "Recent injectable", "log it: sessions wait 14 days", "recent",
                    records="injectables"),
    ProfileQuestion("recent_procedure", "recent-procedure",
                    "I had a professional procedure (peel, laser, …) recently",
                    "Recent procedure", "log it: sessions wait 7 days", "recent",
                    records="procedures"),
)

# The first run asks the conditions, then what was done recently (with its kind and date,
# so that its wait applies at once), then the habits.
FIRST_RUN_GROUPS = ("condition", "recent", "use")

# Every yes/no field of the Profile: the questions, and the two the app sets itself.
PROFILE_FLAGS: tuple[str, ...] = ("notice_accepted", "onboarded",
                                  *(q.field for q in PROFILE_QUESTIONS))


def first_run_questions() -> tuple[ProfileQuestion, ...]:
    """The questions in the order the first run asks them."""
    return tuple(sorted(PROFILE_QUESTIONS, key=lambda q: FIRST_RUN_GROUPS.index(q.group)))


def question(field: str) -> ProfileQuestion:
    """The question behind a Profile field (KeyError for a field that is none)."""
    for q in PROFILE_QUESTIONS:
        if q.field == field:
            return q
    raise KeyError(field)


__all__ = ["ProfileQuestion", "PROFILE_QUESTIONS", "PROFILE_FLAGS", "FIRST_RUN_GROUPS",
           "first_run_questions", "question"]


def cautious_union(a: Profile, b: Profile) -> Profile:
    """Two profiles put together (an import over answers already given): every caution
    either gives stays (a yes wins), every excluded zone of either stays (the later end
    when both exclude it); the rest is `b`'s."""
    flags = {f.name: getattr(a, f.name) or getattr(b, f.name) for f in fields(type(b))
             if isinstance(getattr(b, f.name), bool)}
    zones = {e.zone: e for e in b.exclusions}
    for e in a.exclusions:
        mine = zones.get(e.zone)
        if mine is None or (mine.until is not None and (e.until is None or e.until > mine.until)):
            zones[e.zone] = e
    return replace(b, exclusions=tuple(zones.values()), **flags)
