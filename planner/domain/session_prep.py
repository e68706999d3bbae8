"""Before a session (SPEC §8): the preparation list, the skin check by zone, and the days
and time a person prefers for sessions (SPEC §7 `plan --next`).

Pure values and functions: the service stores the answers and the faces ask the
questions. A zone named in the skin check is left out the way an excluded zone is: it
becomes an Exclusion that ends on the day of the check (or on the date the user gives),
so the builder's one filter re-trims the routine and names every step it drops.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from planner.domain.models import Exclusion, Profile, Reason
from planner.domain.values import replace
from planner.domain.vocabulary import PREPARATION_ITEMS, WEEKDAYS, ZONES

# Preparation before every guided session: key, what to do. Each is ticked or skipped.
PREPARATION = (
    ("hands", "Hands washed with soap and dried"),
    ("face", "Face cleansed, make-up and sunscreen removed"),
    ("tool", "Tool cleaned (gua sha stone or roller), or no tool today"),
)
PREPARATION_KEYS = PREPARATION_ITEMS
assert tuple(k for k, _ in PREPARATION) == PREPARATION_KEYS

# What the skin check asks about each zone: stored word, words on screen.
SKIN_CHECK_REASONS = (
    ("broken-skin", "broken skin (cut, scratch, scab)"),
    ("inflamed", "inflamed (red, hot, swollen)"),
    ("sunburn", "sunburnt"),
    ("active-cyst", "an active cyst or spot"),
    ("cold-sore", "a cold sore"),
    ("freshly-treated", "freshly treated (peel, laser, waxing)"),
)
SKIN_CHECK_WORDS = tuple(k for k, _ in SKIN_CHECK_REASONS)

UNWELL_ALL_OVER = Reason(
    "skin-check",
    "your skin is unwell all over today: no session today. Log a check-in, or pause "
    "sessions until it has settled",
    None,
)

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                 "Sunday")
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def skin_check_profile(profile: Profile, day: date, skipped: Mapping[str, str],
                       until: date | None = None) -> Profile:
    """The profile with each zone of `skipped` (zone -> reason) left out from `day` to
    `until` (default: that day only). Raises ValueError for an unknown zone or reason."""
    if not skipped:
        return profile
    for zone, reason in skipped.items():
        if zone not in ZONES:
            raise ValueError(f"unknown zone {zone!r}; accepted: {', '.join(ZONES)}")
        if reason not in SKIN_CHECK_WORDS:
            raise ValueError(f"unknown skin-check reason {reason!r}; accepted: "
                             f"{', '.join(SKIN_CHECK_WORDS)}")
    end = until if until is not None else day
    if end < day:
        raise ValueError(f"the last day to leave a zone out ({end.isoformat()}) is before "
                         f"{day.isoformat()}")
    def covers(e: Exclusion) -> bool:  # an exclusion already leaving the zone out as long
        return e.active_on(day) and (e.until is None or e.until >= end)

    covered = {e.zone for e in profile.exclusions if covers(e)}
    kept = tuple(e for e in profile.exclusions if e.zone in covered or e.zone not in skipped)
    added = tuple(Exclusion(zone, reason, end) for zone, reason in skipped.items()
                  if zone not in covered)
    return replace(profile, exclusions=(*kept, *added))


def parse_weekdays(text: str) -> tuple[str, ...]:
    """"sat,sun" -> ("sat", "sun") in week order; "" or "none" -> (). ValueError otherwise."""
    given = [w.strip().lower() for w in text.replace(" ", ",").split(",") if w.strip()]
    if given in ([], ["none"]):
        return ()
    words = []
    for w in given:  # "sat", "satur", "saturday"
        day = next((d for d, name in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)
                    if len(w) >= 3 and name.lower().startswith(w)), None)
        if day is None:
            raise ValueError(f"unknown day {w!r}; accepted: {', '.join(WEEKDAYS)} "
                             "(comma-separated), or none")
        words.append(day)
    return tuple(d for d in WEEKDAYS if d in words)


def parse_time(text: str) -> str | None:
    """"19:00" -> "19:00", "7:30" -> "07:30"; "" or "none" -> None. ValueError otherwise."""
    t = text.strip().lower()
    if t in ("", "none"):
        return None
    m = _TIME.fullmatch(t)
    if m is None:
        raise ValueError(f"time {text!r} is not HH:MM on a 24-hour clock (e.g. 19:00), "
                         "or none")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def is_preferred(day: date, preferred: Iterable[str]) -> bool:
    """Is `day` one of the preferred weekdays? Every day is, when none are set."""
    days = tuple(preferred)
    return not days or WEEKDAYS[day.weekday()] in days


def next_preferred(day: date, preferred: Iterable[str]) -> date:
    """`day` itself when preferred, else the next preferred day after it."""
    days = tuple(preferred)
    for i in range(7):
        d = day + timedelta(days=i)
        if is_preferred(d, days):
            return d
    return day  # unreachable: a non-empty set of weekdays recurs within 7 days


def describe_days(preferred: Iterable[str]) -> str:
    days = tuple(preferred)
    if not days:
        return "any day"
    return ", ".join(WEEKDAY_NAMES[WEEKDAYS.index(d)] for d in days)


__all__ = [
    "PREPARATION", "PREPARATION_KEYS", "SKIN_CHECK_REASONS", "SKIN_CHECK_WORDS",
    "UNWELL_ALL_OVER", "WEEKDAYS", "WEEKDAY_NAMES", "skin_check_profile",
    "parse_weekdays", "parse_time", "is_preferred", "next_preferred", "describe_days",
]
