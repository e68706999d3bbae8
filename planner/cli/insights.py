"""`acuplan insights`: what went with a skin reaction after a session (SPEC §10).

Associations in one person's records, never causes: the words say "went with"."""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.inputs import DATE, json_option
from planner.domain.insights import (
    FOLLOW_UP_DAYS,
    MIN_SESSIONS,
    NOTE,
    Insights,
    Row,
    percent,
    points,
)
from planner.service.planner import BadInput


@click.command("insights")
@click.option("--from", "start", type=DATE, help="First session date to compare.")
@click.option("--to", "end", type=DATE, help="Last session date to compare.")
@json_option
@pass_env
def insights(env: Env, start: date | None, end: date | None, as_json: bool) -> None:
    """What went with a skin reaction (mild or worse, 0-3 days after a session):
    technique, routine, pressure, minutes, products. Associations, not causes."""
    if start and end and end < start:
        raise BadInput(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    from planner.service.insights import journal_insights

    result = journal_insights(env.planner, start, end)
    if as_json:
        out.dump_json([r.to_json() for r in result.rows])
        return
    for line in text_lines(result, bool(start or end)):
        out.write(line)


def text_lines(result: Insights, ranged: bool) -> list[str]:
    lines = [f"What went with a skin reaction (class mild or worse, 0-{FOLLOW_UP_DAYS} days "
             "after a session).", NOTE]
    left = ""
    if result.left_out:
        n = result.left_out
        left = (f"; {n} recent session{'s' if n != 1 else ''} left out (the "
                f"{FOLLOW_UP_DAYS} days after {'them are' if n != 1 else 'it are'} not over)")
    if not result.sessions:
        where = " in that range" if ranged else ""
        lines.append(f"No sessions to compare{where or ' yet'}{left}.")
        return lines
    n = result.sessions
    assert result.first is not None and result.last is not None
    lines.append(f"{n} session{'s' if n != 1 else ''} from {result.first.isoformat()} to "
                 f"{result.last.isoformat()}{left}. Highest first: the most clearly "
                 "above the sessions without it.")
    lines.append("")
    rows = [(out.one_line(r.label), _side(r, True), _side(r, False), _figure(r))
            for r in result.rows]
    lines += out.table(rows, ("exposure", "with it", "without", "difference, 95% interval"))
    if any(r.too_little_data for r in result.rows):
        lines.append("")
        lines.append(f"Too little data: fewer than {MIN_SESSIONS} sessions with it or "
                     "without it; no figure is given.")
    return lines


def _side(r: Row, with_it: bool) -> str:
    n = r.with_sessions if with_it else r.without_sessions
    k = r.with_reactions if with_it else r.without_reactions
    share = r.with_share if with_it else r.without_share
    if share is None:
        return f"{n} sessions"
    return f"{k}/{n} {percent(share)}"


def _figure(r: Row) -> str:
    if r.difference is None or r.low is None or r.high is None:
        return "too little data"
    return f"{points(r.difference)} points ({points(r.low)} to {points(r.high)})"


__all__ = ["insights", "text_lines"]
