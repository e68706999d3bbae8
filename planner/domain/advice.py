"""Day advice (SPEC §3): no home actives around a session. Advice, never a block."""

from __future__ import annotations

from datetime import date

from planner.domain.models import History

AVOID = "avoid retinoids, acids, scrubs and peels today"


def advice_for(history: History, today: date) -> list[str]:
    """One line per reason: a session in the next 3 days, or one today or in the last 2."""
    out: list[str] = []
    done = sorted({s.date for s in history.sessions if 0 <= (today - s.date).days <= 2})
    for d in reversed(done):
        when = "today" if d == today else f"on {d.isoformat()}"
        out.append(f"{AVOID}: you had a session {when}; give the skin 2 days of rest after it")
    upcoming = sorted({p.date for p in history.plans
                       if p.fulfilled_by is None and 0 <= (p.date - today).days <= 3})
    for d in upcoming:
        if d in done:
            continue
        when = "today" if d == today else f"on {d.isoformat()}"
        out.append(f"{AVOID}: a session is planned {when}; keep the 3 days before it calm")
    return out
