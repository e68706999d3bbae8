"""`acuplan status`, `check`, `next`: may a session happen today, on a date, and when next."""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.group import EXIT_REFUSED
from planner.cli.inputs import DATE, Whole, json_option
from planner.cli.reports import left_out_json, print_left_out
from planner.service.planner import MAX_LOG_MINUTES


@click.command("status")
@json_option
@pass_env
def status(env: Env, as_json: bool) -> None:
    """Today at a glance (one line, for a shell prompt).

    Allowed or not with reasons, max minutes, streak and next plan.
    """
    view = env.planner.today_view()
    if as_json:
        out.dump_json(view.to_json())
    else:
        out.write(out.status_line(view))


@click.command("check")
@click.argument("day", metavar="DATE", type=DATE)
@click.option("--minutes", type=Whole(1, MAX_LOG_MINUTES),
              help="Length of the session to check.")
@click.option("--routine", "routine_id", metavar="ID",
              help="Also check this routine against your profile (cautions, excluded zones).")
@json_option
@pass_env
def check(env: Env, day: date, minutes: int | None, routine_id: str | None,
          as_json: bool) -> None:
    """May a session happen on DATE?

    Exit 0 when it may, 3 when not, printing every reason and until when.
    """
    v, fit = env.planner.check_with_routine(day, minutes, routine_id)
    if as_json:
        doc = v.to_json()
        if fit is not None:
            doc["left_out"] = left_out_json(fit.dropped)
        out.dump_json(doc)
    else:
        _print_verdict(v, minutes)
        if fit is not None:
            print_left_out(fit.dropped)
    if not v.allowed:
        raise click.exceptions.Exit(EXIT_REFUSED)


def _print_verdict(v, minutes: int | None) -> None:
    d = v.date.isoformat()
    if v.allowed:
        asked = f" for {minutes} minutes" if minutes is not None else ""
        out.write(f"{d}: allowed{asked} ({v.min_minutes}-{v.max_minutes} minutes)")
        return
    out.write(f"{d}: not allowed")
    for line in out.reason_lines(v.reasons):
        out.write(line)
    if v.earliest is not None:
        out.write(f"earliest allowed date: {v.earliest.isoformat()}")
    else:
        out.write("earliest allowed date: none yet (a hold must be resolved first)")


@click.command("next")
@json_option
@pass_env
def next_cmd(env: Env, as_json: bool) -> None:
    """The earliest allowed date, and its cap."""
    day, cap = env.planner.next_allowed()
    if as_json:
        out.dump_json({"date": day.isoformat() if day else None, "max_minutes": cap})
        return
    if day is None:
        out.write("no allowed date yet: a hold must be resolved first")
        for line in out.reason_lines(env.planner.check(env.today).reasons):
            out.write(line)
    else:
        when = " (today)" if day == env.today else ""
        out.write(f"next allowed: {day.isoformat()}{when}, up to {cap} minutes")


__all__ = ["status", "check", "next_cmd"]
