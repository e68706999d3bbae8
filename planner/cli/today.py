"""`acuplan status`, `check`, `next`: may a session happen today, on a date, and when next."""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.group import EXIT_REFUSED
from planner.cli.inputs import DATE, Whole, json_option
from planner.cli.reports import left_out_json, print_left_out
from planner.domain.session_prep import SKIN_CHECK_WORDS
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
@click.option("--skip-zone", "skip_zones", metavar="ZONE[=WHY]", multiple=True,
              help="Today's skin check: leave ZONE out (repeatable); WHY is one of "
              + ", ".join(SKIN_CHECK_WORDS) + " (default inflamed). Trims the routine "
              "(--routine, else the one planned on DATE).")
@click.option("--unwell", is_flag=True, help="Skin unwell all over: no session that day.")
@json_option
@pass_env
def check(env: Env, day: date, minutes: int | None, routine_id: str | None,
          skip_zones: tuple[str, ...], unwell: bool, as_json: bool) -> None:
    """May a session happen on DATE?

    Exit 0 when it may, 3 when not, printing every reason and until when.
    """
    skipped = {}
    for item in skip_zones:
        zone, _, why = item.partition("=")
        skipped[zone.strip()] = why.strip() or "inflamed"
    v, fit = env.planner.check_with_routine(day, minutes, routine_id, skipped, unwell)
    if as_json:
        doc = v.to_json()
        if fit is not None:
            doc["left_out"] = left_out_json(fit.dropped)
        if skipped:
            doc["skipped_zones"] = [{"zone": z, "reason": r} for z, r in skipped.items()]
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
    preferred = env.planner.next_preferred_allowed()
    if as_json:
        doc = {"date": day.isoformat() if day else None, "max_minutes": cap}
        if env.planner.profile().preferred_days:  # the SPEC's shape is kept without them
            doc["preferred_date"] = preferred.isoformat() if preferred else None
        out.dump_json(doc)
        return
    if day is None:
        out.write("no allowed date yet: a hold must be resolved first")
        for line in out.reason_lines(env.planner.check(env.today).reasons):
            out.write(line)
    else:
        when = " (today)" if day == env.today else ""
        out.write(f"next allowed: {day.isoformat()}{when}, up to {cap} minutes")
        if preferred is not None and preferred != day:
            out.write(f"next allowed on a preferred day: {preferred.isoformat()} "
                      f"({preferred.strftime('%A')})")


__all__ = ["status", "check", "next_cmd"]
