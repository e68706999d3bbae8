"""Which settings values are allowed: rules may be made stricter, never looser (SPEC §3)."""

from __future__ import annotations

from planner.domain.models import Settings
from planner.domain.values import fields, frozen, replace


@frozen
class Range:
    low: int
    high: int
    meaning: str


# The floor of each safety value is its default. SPEC lists 2–7 for the product
# blackout, but 2 would be looser than the default 3, so the floor here is 3.
RANGES: dict[str, Range] = {
    "spacing_days": Range(7, 28, "days between sessions"),
    "product_blackout_days": Range(3, 7, "days without a session after a home active"),
    "procedure_wait_days": Range(7, 28, "days to wait after a procedure"),
    "injectable_wait_days": Range(14, 56, "days to wait after an injectable"),
    "cadence_days": Range(7, 28, "target days between sessions (streak cadence)"),
    "grace_days": Range(0, 7, "grace days before a streak breaks"),
    "starter_count": Range(3, 10, "short starter sessions before the ramp"),
    "ramp_step": Range(1, 5, "minutes added per clean session"),
    "ceiling": Range(10, 30, "longest session in minutes"),
}

# Command-line / form names for each setting.
SETTING_NAMES = {
    "spacing": "spacing_days", "product-blackout": "product_blackout_days",
    "procedure-wait": "procedure_wait_days", "injectable-wait": "injectable_wait_days",
    "cadence": "cadence_days", "grace": "grace_days", "starter-count": "starter_count",
    "ramp-step": "ramp_step", "ceiling": "ceiling",
}


class SettingsError(ValueError):
    """A refused settings change; the message names the allowed range."""


def apply_settings(current: Settings, changes: dict[str, object]) -> Settings:
    """Return the new settings, or raise SettingsError without changing anything."""
    known = {f.name for f in fields(Settings)}
    clean: dict[str, object] = {}
    for key, value in changes.items():
        if key not in known:
            raise SettingsError(f"unknown setting {key!r}; accepted: {', '.join(sorted(known))}")
        if key == "theme":
            if not isinstance(value, str) or not value:
                raise SettingsError("theme must be a theme name")
            clean[key] = value
            continue
        rng = RANGES[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{key} must be a whole number {rng.low}–{rng.high}")
        if not rng.low <= value <= rng.high:
            raise SettingsError(
                f"{key}={value} is outside the allowed range {rng.low}–{rng.high} "
                f"({rng.meaning}); values may only be stricter than the defaults")
        clean[key] = value
    new = replace(current, **clean)
    if new.cadence_days < new.spacing_days:
        raise SettingsError(
            f"cadence ({new.cadence_days}) may not be below spacing ({new.spacing_days})")
    return new
