"""Which settings values are allowed: rules may be made stricter, never looser (SPEC §3)."""

from __future__ import annotations

from planner.domain.models import RANGES, Settings
from planner.domain.values import fields, replace

# RANGES (the allowed values, declared with Settings so the typed decode checks them)
# and Range are re-exported here, beside the rule that applies them.

# Command-line / form names for each setting.
SETTING_NAMES = {
    "spacing": "spacing_days", "product-blackout": "product_blackout_days",
    "procedure-wait": "procedure_wait_days", "injectable-wait": "injectable_wait_days",
    "cadence": "cadence_days", "grace": "grace_days", "starter-count": "starter_count",
    "ramp-step": "ramp_step", "ceiling": "ceiling",
}


class SettingsError(ValueError):
    """A refused settings change; the message names the allowed range, `field` the setting
    it is about (for a rule that ties two settings, the one the message names first)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def apply_settings(current: Settings, changes: dict[str, object]) -> Settings:
    """Return the new settings, or raise SettingsError without changing anything."""
    known = {f.name for f in fields(Settings)}
    clean: dict[str, object] = {}
    for key, value in changes.items():
        if key not in known:
            raise SettingsError(f"unknown setting {key!r}; accepted: {', '.join(sorted(known))}",
                                key)
        if key == "theme":
            if not isinstance(value, str) or not value:
                raise SettingsError("theme must be a theme name", key)
            clean[key] = value
            continue
        rng = RANGES[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{key} must be a whole number {rng.low}–{rng.high}", key)
        if not rng.low <= value <= rng.high:
            raise SettingsError(
                f"{key}={value} is outside the allowed range {rng.low}–{rng.high} "
                f"({rng.meaning}); values may only be stricter than the defaults", key)
        clean[key] = value
    new = replace(current, **clean)
    if new.cadence_days < new.spacing_days:
        raise SettingsError(
            f"cadence ({new.cadence_days}) may not be below spacing ({new.spacing_days})",
            "cadence_days")
    return new



# Which way each safety value gets stricter; the streak's cadence and grace are not safety
# rules and are not in here.
STRICTER = {"spacing_days": max, "product_blackout_days": max, "procedure_wait_days": max,
            "injectable_wait_days": max, "starter_count": max, "ramp_step": min,
            "ceiling": min}


def stricter_of(a: Settings, b: Settings) -> Settings:
    """`b`, with each safety value the stricter of the two, so putting two settings
    together (an import over settings already made) never loosens a rule; the cadence is
    kept at least the spacing."""
    merged = {name: pick(getattr(a, name), getattr(b, name)) for name, pick in STRICTER.items()}
    merged["cadence_days"] = max(b.cadence_days, merged["spacing_days"])
    return replace(b, **merged)
