"""Insights over one journal (SPEC §10): the records and the routine library a Planner
holds, handed to planner.domain.insights. Read only: nothing is written."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from planner.domain.insights import Insights, insights

if TYPE_CHECKING:
    from planner.service.planner import Planner


def journal_insights(planner: Planner, start: date | None = None,
                     end: date | None = None) -> Insights:
    """What went with a skin reaction after the sessions from `start` to `end` (both
    included; None: no bound), as seen from the planner's today. The routines are the
    library's (shipped and the user's), so a session names its techniques and pressure
    through its routine; a routine no longer in the library names none."""
    history = planner.state().history
    routines = planner.library().routines if history.sessions else {}
    return insights(history, routines, planner.today, start, end)


__all__ = ["journal_insights"]
