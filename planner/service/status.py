"""What `acuplan status` answers, and what the app's first frame shows: the answers the
status cache (planner/store/status_cache.py) keeps for one content of the journal.

For a day: the printed line, the printed JSON (SPEC §7) and the complete Today view;
for the journal: the profile and settings. Whatever has the records loaded anyway
stores them (`keep`): `status` when it had to work them out, a command that wrote,
the app once Today is drawn. The prompt reads the printed forms back
(status_cache.lookup); the app draws its first frame from the view, profile and
settings (`stored_start`), decoded straight into their types.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from planner.service.text import json_text, terminal_safe

if TYPE_CHECKING:
    from planner.domain.models import Profile, Reason, Settings
    from planner.service.planner import Planner, TodayView
    from planner.store.status_cache import Signature

HOLD_RULES = ("reaction-hold", "medical-hold")
DAYS_AHEAD = 1  # days stored besides today


def short_reason(r: Reason) -> str:
    """`product-blackout until 2026-12-04`, for the one-line status."""
    if r.until is not None:
        return f"{r.rule} until {r.until.isoformat()}"
    if r.rule in HOLD_RULES:
        return f"{r.rule} until resolved"
    return r.rule


def status_line(view: TodayView) -> str:
    """`acuplan status` without --json: one short line for a shell prompt."""
    v = view.verdict
    if v.allowed:
        line = (f"acuplan: today OK, up to {v.max_minutes} min · streak "
                f"{view.streak.sessions_current}")
        if view.next_plan is not None:
            p = view.next_plan
            line += f" · next {p.plan.date.isoformat()}"
            if p.verdict is not None and not p.verdict.allowed:
                line += " (blocked)"
        return line
    why = ", ".join(short_reason(r) for r in v.reasons)
    line = f"acuplan: no session today ({why}) · next allowed "
    return line + (v.earliest.isoformat() if v.earliest else "after the hold is resolved")


def answer(view: TodayView) -> dict[str, Any]:
    """One day's stored answers: the printed forms, and the complete view for the app."""
    return {"line": terminal_safe(status_line(view)), "json": json_text(view.to_json()),
            "view": view}


def answers(planner: Planner, first: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the cache keeps for the planner's records: the answers for its today (`first`
    when already worked out) and the days after, with the profile and settings."""
    from planner.domain.vocabulary import LAST_DATE

    today = planner.today
    days = {today.isoformat(): first or answer(planner.today_view())}
    for n in range(1, DAYS_AHEAD + 1):
        day = today + timedelta(days=n)
        if day <= LAST_DATE:  # a stored day is one `--today` accepts
            days[day.isoformat()] = answer(planner.on(day).today_view())
    records = planner.state()
    return {"days": days, "profile": records.profile, "settings": records.settings}


def keep(planner: Planner, view: TodayView | None = None,
         journal: tuple[str, Signature] | None = None) -> None:
    """Store the answers for the planner's records (`view`: today's, just worked out), if
    they are those of the journal file as it is now; without `view`, the records of the
    file as it is now are loaded first (after a write: mostly loaded already).
    `journal`: the file's (key, signature) when the caller has just read them."""
    import msgspec

    from planner.store import status_cache

    path = str(planner.journal.path)
    got = journal if journal is not None else status_cache.journal_key(path)
    if got is None:
        return
    key, signature = got
    if view is None:
        planner.state()
    if planner.loaded_signature() != signature:
        return  # the records are of another content than the one hashed
    first = answer(view) if view is not None else None
    status_cache.store(path, key, signature, answers(planner, first),
                       encode=msgspec.json.encode)


@functools.cache
def _decoder() -> Any:
    """Decodes a whole cache document straight into the types the app draws with."""
    import msgspec

    from planner.domain.models import Profile, Settings
    from planner.service.planner import TodayView

    day = msgspec.defstruct("StoredDay", [("line", str), ("json", str), ("view", TodayView)])
    stored = msgspec.defstruct("Stored", [("key", str), ("days", dict[str, day]),  # type: ignore[valid-type]
                                          ("profile", Profile), ("settings", Settings)])
    return msgspec.json.Decoder(stored)


def stored_start(path: str, day: date) -> tuple[TodayView, Profile, Settings] | None:
    """(Today's view, profile, settings) as stored for the journal as it is now, or None:
    what the app needs for its first frame, before it loads the records."""
    import msgspec

    from planner.store import status_cache

    def decode(data: bytes) -> Any:
        try:
            return _decoder().decode(data)
        except msgspec.DecodeError as e:  # not a document of this version: not usable
            raise ValueError(str(e)) from None

    doc = status_cache.read(path, decode)
    stored = doc.days.get(day.isoformat()) if doc is not None else None
    if stored is None:
        return None
    return stored.view, doc.profile, doc.settings
