"""The click group every `acuplan` group is made of: commands loaded on first use, and
every outcome mapped to an exit code and one clear line (SPEC §7).

Exit codes: 0 done, 2 bad input, 3 refused by a safety rule, 4 the data file is
unusable, 1 an internal problem, 130 interrupted, 141 the reader of the output went
away. Never a traceback: `AcuGroup.run` prints every failure as one `error: …` line
(or the refusal and every reason).
"""

from __future__ import annotations

import sys

import click

from planner.cli import output as out
from planner.service.planner import BadInput, Refused

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_REFUSED, EXIT_STORE = 0, 1, 2, 3, 4
EXIT_INTERRUPTED, EXIT_PIPE = 130, 141

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _usage_message(e: click.UsageError) -> str:
    """Click's message on one line, with the accepted words where click leaves them out."""
    msg = _one_line(e.format_message())
    ctx = e.ctx
    if ctx is None:
        return msg
    if isinstance(e, click.exceptions.NoArgsIsHelpError) and isinstance(ctx.command,
                                                                        click.Group):
        names = ", ".join(ctx.command.list_commands(ctx))
        return f"{ctx.command_path} needs a command; accepted: {names}"
    if isinstance(e, click.exceptions.NoSuchCommand) and isinstance(ctx.command, click.Group):
        msg += " Accepted: " + ", ".join(ctx.command.list_commands(ctx)) + "."
    elif isinstance(e, click.exceptions.NoSuchOption):
        options = sorted({o for p in ctx.command.get_params(ctx) if isinstance(p, click.Option)
                          for o in (*p.opts, *p.secondary_opts)})
        msg += " Accepted: " + ", ".join(options) + "."
    return f"{ctx.command_path}: {msg}"


class _PipeClosed(Exception):
    """The reader of our output went away (not an OSError, so click leaves it to us)."""


class AcuGroup(click.Group):
    """A click group whose `main` maps every outcome to an exit code and one clear line.

    `lazy` maps command names to "module:attribute": those commands are imported
    only when used (or listed), so `acuplan streak` loads only the module of streak.
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
            out.silence_stdout()
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
            out.silence_stdout()
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


def _print_refusal(e: Refused) -> None:
    out.write(f"refused: {_one_line(str(e))}", err=True)
    if e.reasons:
        out.write("every reason:", err=True)
        for line in out.reason_lines(e.reasons):
            out.write(line, err=True)


__all__ = [
    "AcuGroup", "CONTEXT_SETTINGS", "EXIT_OK", "EXIT_INTERNAL", "EXIT_BAD_INPUT",
    "EXIT_REFUSED", "EXIT_STORE", "EXIT_INTERRUPTED", "EXIT_PIPE",
]
