"""`acuplan plan`, `plans`, `unplan`: schedule a session, list the plans, cancel one."""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.inputs import DATE, Whole, json_option, known_id, known_routine
from planner.cli.reports import left_out_json, print_left_out
from planner.service.planner import MAX_LOG_MINUTES, BadInput


@click.command("plan")
@click.argument("day", metavar="DATE", type=DATE, required=False)
@click.option("--next", "next_", is_flag=True, help="Plan the earliest allowed day that is "
              "one of your preferred days (any day if none are set; see `profile set "
              "--preferred-days`).")
@click.option("--routine", "routine_id", metavar="ID", help="Routine to plan (see "
              "`acuplan routines list`).")
@click.option("--minutes", type=Whole(1, MAX_LOG_MINUTES), help="Length in minutes "
              "(default: the routine's, else up to 10).")
@json_option
@pass_env
def plan(env: Env, day: date | None, next_: bool, routine_id: str | None,
         minutes: int | None, as_json: bool) -> None:
    """Schedule a session on DATE, or with --next on the first preferred allowed day.

    Refused (exit 3, with every reason) when a safety rule blocks DATE.
    """
    if (day is None) == (not next_):
        raise BadInput("give either DATE or --next (e.g. `acuplan plan 2026-12-12` or "
                       "`acuplan plan --next`)")
    if routine_id is not None:
        routine = known_routine(env.planner.library(), routine_id)
        if minutes is None:
            minutes = routine.minutes
    if day is None:
        view = env.planner.plan_next(minutes, routine_id)
    else:
        view = env.planner.plan(day, minutes, routine_id)
    if as_json:
        doc = view.to_json()
        doc["left_out"] = left_out_json(view.dropped)
        out.dump_json(doc)
        return
    p = view.plan
    what = f", routine {out.one_line(p.routine)}" if p.routine else ""
    out.write(f"planned {p.date.isoformat()}: {p.minutes} minutes{what} (id {p.id})")
    print_left_out(view.dropped)


@click.command("plans")
@click.option("--all", "all_", is_flag=True,
              help="Also list past plans: carried out (done) or missed.")
@json_option
@pass_env
def plans(env: Env, all_: bool, as_json: bool) -> None:
    """List plans, re-checked against the rules."""
    views = env.planner.plan_views(include_past=all_)
    if as_json:
        out.dump_json([v.to_json(with_status=all_) for v in views])
        return
    if not views:
        out.write("no plans")
        return
    rows = []
    for v in views:
        p = v.plan
        if v.verdict is None:
            state = v.status + (" (confirmed)" if p.confirmed_missed else "")
        else:
            state = "ok" if v.verdict.allowed else "BLOCKED"
        rows.append((p.date.isoformat(), out.one_line(p.id), f"{p.minutes} min", state,
                     out.one_line(p.routine or "-")))
    for line in out.table(rows, ("date", "id", "minutes", "state", "routine")):
        out.write(line)
    for v in views:
        if v.verdict is not None and not v.verdict.allowed:
            out.write(f"plan {out.one_line(v.plan.id)} on {v.plan.date.isoformat()} is blocked:")
            for line in out.reason_lines(v.verdict.reasons):
                out.write(line)
    if any(v.verdict is not None and not v.verdict.allowed for v in views):
        out.write("move a blocked plan: `acuplan unplan ID`, then `acuplan plan DATE` "
                  "(see `acuplan next`)")


@click.command("unplan")
@click.argument("plan_id", metavar="ID")
@pass_env
def unplan(env: Env, plan_id: str) -> None:
    """Cancel a plan."""
    known = [p.id for p in env.planner.state().history.plans if p.fulfilled_by is None]
    known_id(plan_id, known, "plan", "plans")
    env.planner.unplan(plan_id)
    out.write(f"cancelled plan {out.one_line(plan_id)}")


__all__ = ["plan", "plans", "unplan"]
