"""Holds kept open: only `resolve` lifts a severe record's or a red flag's hold (SPEC §2),
and every change is checked for it on the records as they would be written.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter

from planner.domain.models import History, Reason, Session, SkinRecord
from planner.domain.rules import Engine
from planner.domain.vocabulary import class_rank
from planner.service.inputs import Refused

SEVERE_RANK = class_rank("severe")


def is_open_hold(r: SkinRecord) -> bool:
    if r.rank < SEVERE_RANK:
        return False
    return r.resolved_on is None or (r.cls == "red-flag" and not r.cleared_by_clinician)


def hold_reasons(r: SkinRecord) -> list[Reason]:
    rule = "medical-hold" if r.cls == "red-flag" else "reaction-hold"
    return [Reason(rule, f"{r.cls} record {r.id} of {r.date.isoformat()} holds sessions", None)]


def hold_edit_message(r: SkinRecord, done: str) -> str:
    if is_open_hold(r):
        clear = " --cleared-by-clinician" if r.cls == "red-flag" else ""
        return (f"record {r.id} ({r.cls}, {r.date.isoformat()}) holds sessions: it cannot be "
                f"{done} while the hold is open; only resolve lifts it: "
                f"`acuplan resolve {r.id} --date DATE{clear}`")
    return (f"record {r.id} ({r.cls}, {r.date.isoformat()}) held sessions until "
            f"{r.resolved_on.isoformat() if r.resolved_on else '?'}: it stays in the journal "
            "(its resolution restarts the duration ramp); edit it instead")


def holds_kept(before: Engine, after: Engine, today: date,
                action: str | None = None) -> None:
    """Refused (exit 3) when a change would lift or weaken an open hold: only `resolve`
    does that (SPEC §2). The check runs on the records as they would be written."""
    now = {r.id: r for r in after.unresolved_holds()}
    for r in before.unresolved_holds():
        n = now.get(r.id)
        if n is None or n.rank < r.rank:
            done = action or ("deleted" if n is None else "made milder")
            if action:
                raise Refused(f"{action} would lift the open hold of record {r.id} "
                              f"({r.cls}, {r.date.isoformat()}); resolve it first "
                              f"(`acuplan resolve {r.id} --date DATE`)", hold_reasons(r))
            raise Refused(hold_edit_message(r, done), hold_reasons(r))


def marked_changes(before: History, after: History
                    ) -> tuple[tuple[Session, ...], tuple[Session, ...]]:
    """Sessions present before and after whose derived violations changed: those that now
    break a rule they did not, and those that no longer break any."""
    old = {s.id: {r.rule for r in s.violations} for s in before.sessions}
    marked, unmarked = [], []
    for s in sorted(after.sessions, key=attrgetter("date", "id")):
        was = old.get(s.id)
        if was is None:
            continue
        now = {r.rule for r in s.violations}
        if now - was:
            marked.append(s)
        elif was and not now:
            unmarked.append(s)
    return tuple(marked), tuple(unmarked)
