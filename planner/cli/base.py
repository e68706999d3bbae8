"""Shared pieces of the command line: the error-mapping group, date type, invocation env.

Imported by `planner.cli.main` and its helper modules; light on purpose (no Textual,
no library, no store until a command asks for the journal).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from planner.cli import output as out
from planner.service.context import journal_path, parse_date, today_from
from planner.service.planner import BadInput, Refused

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_REFUSED, EXIT_STORE = 0, 1, 2, 3, 4
EXIT_INTERRUPTED, EXIT_PIPE = 130, 141

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# ------------------------------------------------------------------ types

class DateType(click.ParamType):
    """A real calendar date written YYYY-MM-DD (2026-02-30 is refused)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as e:
            if "outside" in str(e):  # a real date, but not one acuplan keeps
                self.fail(str(e).removeprefix("date "), param, ctx)
            self.fail(f"{value!r} is not a real date; use YYYY-MM-DD, e.g. 2026-12-01",
                      param, ctx)


class Whole(click.ParamType):
    """A whole number in [low, high]; the error names the accepted range."""

    name = "integer"

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def get_metavar(self, param, ctx=None) -> str:
        return f"{self.low}-{self.high}"

    def convert(self, value: Any, param, ctx) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            n = value
        else:
            text = str(value).strip()
            digits = text[1:] if text[:1] in "+-" else text
            if not digits.isdigit() or not digits.isascii():
                self.fail(f"{value!r} is not a whole number; accepted: {self.low} to "
                          f"{self.high}", param, ctx)
            if len(digits.lstrip("0")) > 9:
                self.fail(f"{text[:20]}{'...' if len(text) > 20 else ''} is out of range; "
                          f"accepted: {self.low} to {self.high}", param, ctx)
            n = int(text)
        if not self.low <= n <= self.high:
            self.fail(f"{n} is out of range; accepted: {self.low} to {self.high}", param, ctx)
        return n


DATE = DateType()
YES_NO = click.Choice(["yes", "no"])


def check_text(value: str | None, what: str) -> str | None:
    """Free text must be real Unicode (an undecodable terminal byte is refused)."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"{what} holds bytes that are not valid UTF-8 text; "
                       "set your terminal to UTF-8 and type it again") from None
    return value


# ------------------------------------------------------------------ the group

def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _usage_message(e: click.UsageError) -> str:
    """Click's message on one line, with the accepted words where click leaves them out."""
    msg = _one_line(e.format_message())
    ctx = e.ctx
    if isinstance(e, click.exceptions.NoArgsIsHelpError) and isinstance(ctx.command,
                                                                        click.Group):
        names = ", ".join(ctx.command.list_commands(ctx))
        return f"{ctx.command_path} needs a command; accepted: {names}"
    if isinstance(e, click.exceptions.NoSuchCommand) and ctx is not None and isinstance(
            ctx.command, click.Group):
        msg += " Accepted: " + ", ".join(ctx.command.list_commands(ctx)) + "."
    elif isinstance(e, click.exceptions.NoSuchOption) and ctx is not None:
        names = sorted({o for p in ctx.command.get_params(ctx) if isinstance(p, click.Option)
                        for o in (*p.opts, *p.secondary_opts)})
        msg += " Accepted: " + ", ".join(names) + "."
    if ctx is not None:
        msg = f"{ctx.command_path}: {msg}"
    return msg


class _PipeClosed(Exception):
    """The reader of our output went away (not an OSError, so click leaves it to us)."""


class AcuGroup(click.Group):
    """A click group whose `main` maps every outcome to an exit code and one clear line.

    `lazy` maps command names to "module:attribute": those commands are imported
    only when used (or listed), so `acuplan status` does not load the library code.
    """

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # click would turn an EPIPE into a plain exit 1; keep it ours (quiet, 141)
            raise _PipeClosed() from None

    def list_commands(self, ctx) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in self.lazy:
            import importlib

            module, _, attr = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return self.commands.get(cmd_name)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        if prog_name is None:
            prog_name = "acuplan"
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        code = self.run(args, prog_name, complete_var, **extra)
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
            code = EXIT_PIPE
        except (OSError, ValueError):
            pass
        sys.exit(code)

    def run(self, args=None, prog_name="acuplan", complete_var=None, **extra) -> int:
        """Invoke and return the exit code; prints the failure, never a traceback."""
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            return rv if isinstance(rv, int) and not isinstance(rv, bool) else EXIT_OK
        except click.UsageError as e:
            out.error(_usage_message(e))
            return EXIT_BAD_INPUT
        except click.exceptions.Exit as e:
            return e.exit_code
        except click.ClickException as e:
            out.error(e.format_message())
            return e.exit_code if e.exit_code else EXIT_INTERNAL
        except click.Abort:
            return EXIT_INTERRUPTED
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except BadInput as e:
            lines = str(e).split("\n")
            out.error(lines[0])
            for line in lines[1:]:  # an import's problems, one a line
                out.write("  " + out.one_line(line.strip()), err=True)
            return EXIT_BAD_INPUT
        except Refused as e:
            _print_refusal(e)
            return EXIT_REFUSED
        except (BrokenPipeError, _PipeClosed):
            _silence_stdout()
            return EXIT_PIPE
        except Exception as e:  # noqa: BLE001 - the last line of defence
            return _map_other(e)


def _map_other(e: Exception) -> int:
    from planner.store.errors import ImportRefused, RecordNotFound, StoreError, UnknownVersion

    if isinstance(e, StoreError):
        out.error(str(e))
        return EXIT_STORE
    if isinstance(e, (RecordNotFound, ImportRefused, UnknownVersion)):
        out.error(str(e))
        return EXIT_BAD_INPUT
    out.error(f"internal problem: {type(e).__name__}: {e}")
    return EXIT_INTERNAL


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _print_refusal(e: Refused) -> None:
    out.write(f"refused: {_one_line(str(e))}", err=True)
    if e.reasons:
        out.write("every reason:", err=True)
        for line in out.reason_lines(e.reasons):
            out.write(line, err=True)


class Env:
    """What one invocation works on: the journal path, today, and (lazily) the planner."""

    def __init__(self, db: str | None, today: date | None):
        self._db = db
        self._today = today
        self._planner = None

    @property
    def path(self) -> Path:
        try:
            return journal_path(self._db)
        except ValueError as e:
            raise BadInput(str(e)) from None

    @property
    def today(self) -> date:
        if self._today is None:
            try:
                self._today = today_from(None)
            except ValueError as e:
                raise BadInput(f"ACUPLAN_TODAY: {e}") from None
        return self._today

    @property
    def planner(self):
        if self._planner is None:
            from planner.service.planner import Planner
            from planner.store.journal import Journal

            self._planner = Planner(Journal(self.path), self.today)
        return self._planner

    @property
    def loaded_planner(self):
        """The planner if this invocation made one, else None (never makes one)."""
        return self._planner

    @property
    def user_routines_dir(self) -> Path:
        return self.path.parent / "routines"


pass_env = click.make_pass_decorator(Env)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(f)
