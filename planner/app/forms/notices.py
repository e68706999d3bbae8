"""What the app says after a write to the journal: a refused change, and the other sessions
a save now marks as breaking a rule (SPEC §3.2)."""

from __future__ import annotations

from planner.app.forms.dialogs import MessageScreen
from planner.service.planner import Refused


def refusal_screen(exc: Refused, open_hold: bool) -> MessageScreen:
    """A refused edit or delete, in plain words: what the service said, every reason, and
    how to lift an open hold in the app. Nothing was changed."""
    paragraphs = [str(exc), *(f"{r.rule}: {r.message}" for r in exc.reasons)]
    if open_hold:
        paragraphs.append("Nothing was changed. In the app: select the record in the Journal "
                          "and press v to resolve it (a warning sign needs a clinician's "
                          "clearance). Once resolved, it may be edited.")
    else:
        paragraphs.append("Nothing was changed.")
    return MessageScreen("✕ Refused — this record holds sessions", paragraphs, "danger")


def marked_paragraphs(marked) -> list[str]:
    """Other sessions a save now marks as breaking a rule (SPEC §3.2), one line each."""
    if not marked:
        return []
    lines = [f"{'This session' if len(marked) == 1 else 'These sessions'} now break"
             f"{'s' if len(marked) == 1 else ''} a safety rule (kept as logged, marked ⚠ in "
             "the Journal):"]
    for s in marked:
        rules = ", ".join(dict.fromkeys(r.rule for r in s.violations)) or "a rule"
        routine = f" · {s.routine}" if s.routine else ""
        lines.append(f"• session of {s.date.isoformat()} · {s.minutes} min{routine}: {rules}")
    return lines


__all__ = ["refusal_screen", "marked_paragraphs"]
