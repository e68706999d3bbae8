"""A click-free fast path for `acuplan status`, which shell prompts run all the time.

`run()` answers exactly `acuplan [--db PATH] [--today DATE] status [--json]` without
importing click (about a third of the start-up cost); anything else, and any
problem other than an unusable journal, goes to the full command line
(`planner.cli.main`), which then gives the usual output and exit code. The
status itself only reads, so handing over after a failed attempt is safe.

To use it, point the entry points here: `acuplan = "planner.cli_fast:run"` and
`planner/__main__.py` calling `run()`.
"""

from __future__ import annotations

import sys


def _parse(args: list[str]) -> tuple[str | None, str | None, bool] | None:
    """(db, today, json) for a plain status call, else None."""
    db = today = None
    i = 0
    while i < len(args) and args[i].startswith("--"):
        name, eq, value = args[i].partition("=")
        if name not in ("--db", "--today"):
            return None
        if not eq:
            if i + 1 >= len(args):
                return None
            value = args[i + 1]
            i += 1
        if name == "--db":
            db = value
        else:
            today = value
        i += 1
    rest = args[i:]
    if rest == ["status"]:
        return db, today, False
    if rest == ["status", "--json"]:
        return db, today, True
    return None


def _status(db: str | None, today_text: str | None, as_json: bool) -> int | None:
    """Print the status and return the exit code; None to hand over to the full CLI."""
    from . import cli_output as out
    from .context import journal_path, parse_date, today_from
    from .service import Planner
    from .store.errors import StoreError
    from .store.journal import Journal

    try:
        today = parse_date(today_text) if today_text is not None else today_from(None)
        if db is not None and not db:
            return None
        path = journal_path(db)
    except ValueError:
        return None
    try:
        view = Planner(Journal(path), today).today_view()
    except StoreError as e:
        out.error(str(e))
        return 4
    if as_json:
        out.dump_json(view.to_json())
    else:
        out.write(out.status_line(view))
    return 0


def run(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    parsed = _parse(args)
    code = None
    if parsed is not None:
        try:
            code = _status(*parsed)
            if code is not None:
                sys.stdout.flush()
        except KeyboardInterrupt:
            code = 130
        except BrokenPipeError:
            from .cli_base import _silence_stdout

            _silence_stdout()
            code = 141
        except Exception:  # noqa: BLE001 - the full CLI reports it properly
            code = None
    if code is None:
        from .cli import main

        main(args)
    sys.exit(code)


__all__ = ["run"]
