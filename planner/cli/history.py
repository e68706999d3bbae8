"""`acuplan streak`, `history`: looking back at what was recorded."""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.inputs import DATE, json_option
from planner.service.planner import BadInput


@click.command("streak")
@json_option
@pass_env
def streak(env: Env, as_json: bool) -> None:
    """Streaks, days until break, and the score."""
    s = env.planner.streak()
    if as_json:
        out.dump_json(s.to_json())
        return
    line = f"sessions on schedule: {s.sessions_current} (longest {s.sessions_longest})"
    if s.days_until_break is not None and s.sessions_current:
        n = s.days_until_break
        line += f"; {n} day{'s' if n != 1 else ''} until it breaks"
    out.write(line)
    out.write(f"check-in days in a row: {s.checkins_current} (longest {s.checkins_longest})")
    out.write(f"habit score: {round(s.score * 100)}%")


@click.command("history")
@click.option("--from", "start", type=DATE, help="First date to show.")
@click.option("--to", "end", type=DATE, help="Last date to show.")
@json_option
@pass_env
def history(env: Env, start: date | None, end: date | None, as_json: bool) -> None:
    """Everything recorded, by date."""
    if start and end and end < start:
        raise BadInput(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    items = env.planner.history_items(start, end)
    if as_json:
        out.dump_json(items)
        return
    if not items:
        out.write("nothing recorded" + (" in that range" if start or end else " yet"))
        return
    for line in out.history_table(items):
        out.write(line)


__all__ = ["streak", "history"]
