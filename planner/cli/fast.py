"""A click-free fast path for `acuplan status`, which shell prompts run all the time.

`run()` answers exactly `acuplan [--db PATH] [--today DATE] status [--json]` without
importing click (about a third of the start-up cost); anything else, and any
problem other than an unusable journal, goes to the full command line
(`planner.cli.main.main`), which then gives the usual output and exit code. The
status itself only reads, so handing over after a failed attempt is safe.

A prompt asks the same question many times a day while the journal rarely
changes, so answers are kept in `<journal>.status-cache`, keyed by the journal's
content (planner/store/status_cache.py; what they are: planner/service/status.py).
A stored answer is found importing nothing but this module and the cache's: no
datetime, no TinyDB, no msgspec. `acuplan` and `python -m planner` both start here.
"""

from __future__ import annotations

import os
import sys


def _emit(text: str) -> None:
    """Print a cached answer as cli_output.write would, without importing it."""
    line = text + "\n"
    try:
        sys.stdout.write(line)
    except UnicodeEncodeError:
        enc = getattr(sys.stdout, "encoding", None) or "utf-8"
        sys.stdout.write(line.encode(enc, "backslashreplace").decode(enc, "replace"))


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


# The names planner.service.context reads (tests/unit/test_status_cache.py checks they
# agree): importing it would cost a cached answer a third of its time (datetime).
DB_ENV = "ACUPLAN_DB"
TODAY_ENV = "ACUPLAN_TODAY"


def _lookup(path: str, day: str, as_json: bool) -> tuple[str | None, tuple | None]:
    """(the stored answer or None, the journal's (key, signature) or None)."""
    from planner.store import status_cache

    journal = status_cache.journal_key(path)
    hit = status_cache.lookup(path, journal[0], day, as_json) if journal is not None else None
    return hit, journal


def _status(db: str | None, today_text: str | None, as_json: bool) -> int | None:
    """Print the status and return the exit code; None to hand over to the full CLI."""
    raw = db if db is not None else os.environ.get(DB_ENV)
    journal = None
    if raw is not None and raw.strip():
        # The journal is named: look for the stored answer before importing anything.
        # A stored day is one `--today` accepts, so a text that is not one misses and is
        # reported below; date.today() is this same local calendar date.
        import time

        day = (today_text if today_text is not None
               else os.environ.get(TODAY_ENV) or time.strftime("%Y-%m-%d"))
        hit, journal = _lookup(os.path.expanduser(raw), day, as_json)
        if hit is not None:
            _emit(hit)
            return 0

    from planner.service.context import journal_path, parse_date, today_from

    try:
        today = parse_date(today_text) if today_text is not None else today_from(None)
        if db is not None and not db:
            return None
        path = str(journal_path(db))
    except ValueError:
        return None
    if raw is None:  # the default journal, found only now
        hit, journal = _lookup(path, today.isoformat(), as_json)
        if hit is not None:
            _emit(hit)
            return 0

    from pathlib import Path

    from planner.cli import output as out
    from planner.service import status
    from planner.service.planner import Planner
    from planner.store.errors import StoreError
    from planner.store.journal import Journal

    planner = Planner(Journal(Path(path)), today)
    try:
        view = planner.today_view()
    except StoreError as e:
        out.error(str(e))
        return 4
    first = status.answer(view)
    out.write(first["json" if as_json else "line"])
    if journal is not None:
        sys.stdout.flush()  # the answer first; the days after it are for the next prompts
        try:
            status.keep(planner, view, journal)
        except Exception:  # noqa: BLE001 - the answer is out; a cache is never worth an error
            pass
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
            from planner.cli.output import silence_stdout

            silence_stdout()
            code = 141
        except Exception:  # noqa: BLE001 - the full CLI reports it properly
            code = None
    if code is None:
        from planner.cli.main import main

        main(args)
    sys.exit(code)


__all__ = ["run"]
