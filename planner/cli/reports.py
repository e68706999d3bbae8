"""What several commands print after their own answer: the steps a profile leaves out of
a routine, and the plans a change has left blocked (SPEC §3)."""

from __future__ import annotations

from planner.cli import output as out
from planner.cli.env import Env


def print_left_out(dropped) -> None:
    """The steps a profile caution or an excluded zone leaves out (SPEC §3)."""
    for d in dropped:
        out.write(f"leaves out: {out.one_line(d.what)} ({out.one_line(d.reason)})")


def left_out_json(dropped) -> list[dict]:
    return [{"what": d.what, "reason": d.reason, "rule": d.rule} for d in dropped]


def report_blocked_plans(env: Env) -> None:
    """Plans are re-checked on every change (SPEC §3): say which ones are now blocked."""
    blocked = [v for v in env.planner.plan_views() if not v.verdict.allowed]
    for v in blocked:
        out.write(f"note: plan {out.one_line(v.plan.id)} on {v.plan.date.isoformat()} is "
                  "blocked now:")
        for line in out.reason_lines(v.verdict.reasons):
            out.write(line)
    if blocked:
        out.write("move it: `acuplan unplan ID`, then `acuplan plan DATE` (see `acuplan next`)")


__all__ = ["print_left_out", "left_out_json", "report_blocked_plans"]
