"""The `acuplan` command line (SPEC §7): the group, its global options, and the app start.

Each command lives in the module of its family and is imported only when it runs (or
when --help lists it), so `acuplan streak` loads click, this module and history.py;
Textual is imported only to start the app (`acuplan` alone, or `acuplan tui`).
`acuplan status` usually never gets here: planner.cli.fast answers it without click.

    today.py    status, check, next         plans.py    plan, plans, unplan
    log.py      log …, checkin, resolve     pause.py    pause, unpause
    history.py  streak, history             routines.py routines list|show|validate|build
    profile.py  profile show|set, exclude, include
    data.py     export, import, restore

Shared by them: group.py (the click group: lazy commands, exit codes, one-line errors),
env.py (the journal, today and the Planner of one invocation), inputs.py (types, shared
options, checks of text and ids), reports.py (notes after a change), output.py (printing).
"""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.group import CONTEXT_SETTINGS, EXIT_INTERNAL, AcuGroup
from planner.cli.inputs import DATE

# Command name -> "module:attribute", imported on first use.
LAZY_COMMANDS = {
    "status": "planner.cli.today:status",
    "check": "planner.cli.today:check",
    "next": "planner.cli.today:next_cmd",
    "plan": "planner.cli.plans:plan",
    "plans": "planner.cli.plans:plans",
    "unplan": "planner.cli.plans:unplan",
    "log": "planner.cli.log:log",
    "checkin": "planner.cli.log:checkin",
    "resolve": "planner.cli.log:resolve",
    "pause": "planner.cli.pause:pause",
    "unpause": "planner.cli.pause:unpause",
    "streak": "planner.cli.history:streak",
    "history": "planner.cli.history:history",
    "insights": "planner.cli.insights:insights",
    "routines": "planner.cli.routines:routines",
    "profile": "planner.cli.profile:profile",
    "exclude": "planner.cli.profile:exclude",
    "include": "planner.cli.profile:include",
    "products": "planner.cli.products:products",
    "export": "planner.cli.data:export_cmd",
    "import": "planner.cli.data:import_cmd",
    "restore": "planner.cli.data:restore_cmd",
    "report": "planner.cli.report:report",
    "calendar": "planner.cli.calendar:calendar_cmd",
    "serve": "planner.cli.serve:serve",
    "merge": "planner.cli.merge:merge",
}


@click.group("acuplan", cls=AcuGroup, invoke_without_command=True,
             context_settings=CONTEXT_SETTINGS, lazy=LAZY_COMMANDS)
@click.option("--db", metavar="PATH", help="Journal file (default: ACUPLAN_DB, then the "
              "user data directory).")
@click.option("--today", type=DATE, help="Treat this date as today (default: ACUPLAN_TODAY, "
              "then the local date).")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _p, v: _print_version(ctx) if v else None,
              help="Show the version and exit.")
@click.pass_context
def main(ctx: click.Context, db: str | None, today: date | None) -> None:
    """acuplan: plan, guide and log safe, needle-free facial self-care
    (fingertip acupressure, gua sha, jade rolling).

    With no command it starts the terminal app. This is not medical advice.
    """
    ctx.obj = Env(db, today)
    if ctx.invoked_subcommand is None:
        _start_app(ctx.obj)


@main.result_callback()
@click.pass_context
def _after_command(ctx: click.Context, *_result, **_options) -> None:
    """A command that wrote leaves the status answers for the journal as it now is, so
    the shell prompt that runs next finds them (the records are mostly loaded by then)."""
    env = ctx.obj
    planner = env.loaded_planner if isinstance(env, Env) else None
    if planner is not None and planner.journal.writes:
        from planner.service import status

        try:
            status.keep(planner)
        except Exception:  # noqa: BLE001 - the write is done; a cache is never worth an error
            pass


def _print_version(ctx: click.Context) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("acuplan")
    except PackageNotFoundError:
        v = "(not installed; running from the source tree)"
    out.write(f"acuplan {v}")
    ctx.exit(0)


def _start_app(env: Env) -> None:
    path, today = env.path, env.today
    try:
        from planner.app.app import run_app  # the one place the command line imports the app
    except ImportError as e:
        out.error(f"the terminal app cannot start ({e}); the commands still work: "
                  "see `acuplan --help`")
        raise click.exceptions.Exit(EXIT_INTERNAL) from None
    run_app(path, today)


@main.command("tui")
@pass_env
def tui_cmd(env: Env) -> None:
    """Start the terminal app."""
    _start_app(env)


__all__ = ["main", "LAZY_COMMANDS"]
