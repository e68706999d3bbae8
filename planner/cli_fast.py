"""A click-free fast path for `acuplan status`, which shell prompts run all the time.

`run()` answers exactly `acuplan [--db PATH] [--today DATE] status [--json]` without
importing click (about a third of the start-up cost); anything else, and any
problem other than an unusable journal, goes to the full command line
(`planner.cli.main`), which then gives the usual output and exit code. The
status itself only reads, so handing over after a failed attempt is safe.

A prompt asks the same question many times a day while the journal rarely
changes, so the answer is kept in `<journal>.status-cache`, keyed by the journal
file's identity (device, inode, size, mtime), the day and the code; any write to
the journal replaces the file and so misses the cache. `acuplan` and
`python -m planner` both start here.
"""

from __future__ import annotations

import json
import os
import sys

CACHE_SUFFIX = ".status-cache"


def _code_stamp() -> int:
    """Newest mtime of the code that decides the status: a changed program never reads
    an answer cached by an older one."""
    here = os.path.dirname(os.path.abspath(__file__))
    newest = 0
    for folder in (here, os.path.join(here, "domain"), os.path.join(here, "store")):
        with os.scandir(folder) as entries:
            for e in entries:
                if e.name.endswith(".py"):
                    newest = max(newest, e.stat().st_mtime_ns)
    return newest


def _cache_key(path: str, today: str) -> list | None:
    """What the cached answer depends on: the journal file as it is now, the day, the code."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, today, _code_stamp()]


def _cached(path: str, key: list, as_json: bool) -> str | None:
    """The stored answer if it was computed for exactly this key, else None."""
    try:
        with open(path + CACHE_SUFFIX, encoding="utf-8") as f:
            doc = json.load(f)
        if doc.get("key") == key:
            text = doc["json" if as_json else "line"]
            return text if isinstance(text, str) else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def _emit(text: str) -> None:
    """Print a cached answer as cli_output.write would, without importing it."""
    line = text + "\n"
    try:
        sys.stdout.write(line)
    except UnicodeEncodeError:
        enc = getattr(sys.stdout, "encoding", None) or "utf-8"
        sys.stdout.write(line.encode(enc, "backslashreplace").decode(enc, "replace"))


def _store(path: str, key: list, line: str, as_json_text: str) -> None:
    """Keep the answer for the next prompt (atomic, 0600); any failure just skips it."""
    from .store import atomic

    target = path + CACHE_SUFFIX
    tmp = f"{target}.tmp-{os.getpid()}"
    try:
        atomic.write_new(tmp, json.dumps({"key": key, "line": line, "json": as_json_text})
                         .encode("utf-8"))
        os.replace(tmp, target)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


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
    from .context import journal_path, parse_date, today_from

    try:
        today = parse_date(today_text) if today_text is not None else today_from(None)
        if db is not None and not db:
            return None
        path = str(journal_path(db))
    except ValueError:
        return None
    key = _cache_key(path, today.isoformat())
    hit = _cached(path, key, as_json) if key is not None else None
    if hit is not None:
        _emit(hit)
        return 0

    from . import cli_output as out
    from .service import Planner
    from .store.errors import StoreError
    from .store.journal import Journal

    try:
        view = Planner(Journal(path), today).today_view()
    except StoreError as e:
        out.error(str(e))
        return 4
    line, as_json_text = out.status_line(view), out.json_text(view.to_json())
    out.write(as_json_text if as_json else line)
    if key is not None and _cache_key(path, today.isoformat()) == key:
        _store(path, key, line, as_json_text)  # only if the journal did not change meanwhile
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
