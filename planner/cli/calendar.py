"""`acuplan calendar -o FILE.ics [--alarm HH:MM]`: plans, product-free days and blocked
stretches as an RFC 5545 calendar file (SPEC §10; planner/service/calendar_export.py)."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.inputs import json_option
from planner.service.planner import BadInput
from planner.store.layout import in_journal_family


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@click.command("calendar")
@click.option("-o", "--output", metavar="FILE.ics", required=True,
              help="Write the calendar to FILE.ics (mode 0600); import it into any calendar "
              "program, and again after a change: the events are updated, not copied.")
@click.option("--alarm", metavar="HH:MM", default="19:00", show_default=True,
              help="Time of the reminder on the evening before each plan.")
@json_option
@pass_env
def calendar_cmd(env: Env, output: str, alarm: str, as_json: bool) -> None:
    """Export plans, product-free days and blocked stretches as a calendar file.

    Every plan from today on (at your preferred time, else all day) with a reminder the
    evening before; the days before each plan to keep free of retinoids, acids, scrubs
    and peels; and the stretches when a rule blocks sessions (a home active, a procedure
    or injectable wait, skin settling, a hold, a pause). Importing a newer file updates
    the same events.
    """
    from planner.service.calendar_export import build_calendar, parse_alarm, write_calendar

    at = parse_alarm(alarm)
    if not output.strip():
        raise BadInput("-o needs a file name, e.g. -o acuplan.ics")
    if "\x00" in output:
        raise BadInput(f"-o {out.one_line(output)} holds a NUL character, which no file name "
                       "may hold")
    target = Path(output).expanduser()
    if in_journal_family(target, env.path):
        raise BadInput(f"-o {out.one_line(output)} is the journal or one of its kept "
                       "versions; choose another file")
    if target.is_dir():
        raise BadInput(f"-o {out.one_line(output)} is a directory; give a file name")
    parent = target.parent
    if not parent.is_dir():
        raise BadInput(f"-o {out.one_line(output)}: the folder {out.one_line(str(parent))} "
                       "does not exist")
    made = build_calendar(env.planner, at)
    write_calendar(target, made.data)
    if as_json:
        out.dump_json({"file": str(target), **made.to_json()})
        return
    out.write(f"wrote {_count(made.plans, 'plan', 'plans')}, "
              f"{_count(made.product_free, 'product-free stretch', 'product-free stretches')}"
              f" and {_count(made.blocked, 'blocked stretch', 'blocked stretches')} to "
              f"{out.one_line(output)}")


__all__ = ["calendar_cmd"]
