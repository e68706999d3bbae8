"""The profile and settings commands: cautions and excluded zones, rule values (only
ever stricter than the floor), preferred days and time, the preparation remembered.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from planner.domain.models import Exclusion, Profile, Settings, to_doc
from planner.domain.session_prep import PREPARATION_KEYS, parse_time, parse_weekdays
from planner.domain.settings_rules import SettingsError, apply_settings
from planner.domain.values import replace
from planner.domain.vocabulary import EXCLUSION_REASONS, ZONES
from planner.service.inputs import BadInput, choose
from planner.service.queries import Queries


class ProfileCommands(Queries):
    """The profile and the rule settings."""

    def set_profile(self, **changes: Any) -> Profile:
        allowed = set(to_doc(Profile())) - {"exclusions"}
        for k, v in changes.items():
            if k not in allowed:
                raise BadInput(f"unknown profile field {k!r}; "
                               f"accepted: {', '.join(sorted(allowed))}")
            if not isinstance(v, bool):
                raise BadInput(f"{k} must be yes or no")
        with self._change() as w:
            new = replace(w.state.profile, **changes)
            w.tx.set_single("profile", to_doc(new))
        return new

    def accept_notice(self) -> Profile:
        return self.set_profile(notice_accepted=True)

    def exclude(self, zone: str, reason: str, until: date | None = None) -> Profile:
        choose(zone, ZONES, "zone")
        choose(reason, EXCLUSION_REASONS, "exclusion reason")
        if until is not None and until < self.today:
            raise BadInput(f"--until {until.isoformat()} is already past")
        with self._change() as w:
            cur = w.state.profile
            kept = tuple(e for e in cur.exclusions if e.zone != zone)
            new = replace(cur, exclusions=(*kept, Exclusion(zone, reason, until)))
            w.tx.set_single("profile", to_doc(new))
        return new

    def include(self, zone: str) -> Profile:
        choose(zone, ZONES, "zone")
        with self._change() as w:
            cur = w.state.profile
            if not any(e.zone == zone for e in cur.exclusions):
                raise BadInput(f"zone {zone!r} is not excluded")
            new = replace(cur, exclusions=tuple(e for e in cur.exclusions if e.zone != zone))
            w.tx.set_single("profile", to_doc(new))
        return new

    def set_settings(self, **changes: Any) -> Settings:
        with self._change() as w:
            try:
                new = apply_settings(w.state.settings, changes)
            except SettingsError as e:
                raise BadInput(str(e), getattr(e, "field", None)) from None
            w.tx.set_single("settings", to_doc(new))
        return new

    def set_preferences(self, days: str | None = None, time: str | None = None) -> Profile:
        """Preferred days ("sat,sun", "none") and time ("19:00", "none") for sessions."""
        changes: dict[str, Any] = {}
        try:
            if days is not None:
                changes["preferred_days"] = parse_weekdays(days)
            if time is not None:
                changes["preferred_time"] = parse_time(time)
        except ValueError as e:
            raise BadInput(str(e)) from None
        if not changes:
            raise BadInput("nothing to set; accepted: --preferred-days, --preferred-time")
        with self._change() as w:
            new = replace(w.state.profile, **changes)
            w.tx.set_single("profile", to_doc(new))
        return new

    def remember_preparation(self, ticked: Iterable[str]) -> Profile:
        """Keep the preparation items ticked this time, for the next session's defaults.
        Writes nothing when they are what is kept already."""
        items = tuple(k for k in PREPARATION_KEYS if k in set(ticked))
        unknown = sorted(set(ticked) - set(PREPARATION_KEYS))
        if unknown:
            raise BadInput(f"unknown preparation item {unknown[0]!r}; accepted: "
                           f"{', '.join(PREPARATION_KEYS)}")
        if self.profile().preparation == items:
            return self.profile()
        with self._change() as w:
            new = replace(w.state.profile, preparation=items)
            w.tx.set_single("profile", to_doc(new))
        return new
