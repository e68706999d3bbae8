"""`acuplan pause`, `unpause`: no sessions for a while, the streak frozen meanwhile."""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.inputs import DATE, check_text, json_option, known_id, note_option
from planner.cli.reports import report_blocked_plans
from planner.domain.vocabulary import PAUSE_REASONS


@click.command("pause")
@click.option("--from", "start", type=DATE, required=True, help="First day of the pause.")
@click.option("--to", "end", type=DATE, required=True, help="Last day of the pause.")
@click.option("--reason", type=click.Choice(PAUSE_REASONS), required=True)
@note_option
@json_option
@pass_env
def pause(env: Env, start: date, end: date, reason: str, note: str, as_json: bool) -> None:
    """Pause sessions for a while (streak frozen)."""
    note = check_text(note, "--note")
    p = env.planner.pause(start, end, reason, note)
    if as_json:
        out.dump_json({"id": p.id, "violations": []})
        return
    out.write(f"paused {p.start.isoformat()} to {p.end.isoformat()} ({p.reason}) (id {p.id})")
    report_blocked_plans(env)


@click.command("unpause")
@click.argument("pause_id", metavar="ID")
@pass_env
def unpause(env: Env, pause_id: str) -> None:
    """Remove a pause."""
    known_id(pause_id, [p.id for p in env.planner.state().history.pauses], "pause", "pauses")
    env.planner.unpause(pause_id)
    out.write(f"removed pause {out.one_line(pause_id)}")


__all__ = ["pause", "unpause"]
