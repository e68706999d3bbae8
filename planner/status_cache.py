"""Answers of `acuplan status` kept beside the journal, for shell prompts that ask all day.

`<journal>.status-cache` holds the printed answers (line and JSON) for one state of
the journal file (device, inode, size, mtime) and one version of the code, for today
and the next day, so the first prompt after midnight needs no work either. Whatever
has the records loaded anyway stores them: `status` when it had to compute, a command
that wrote, the app. Any write replaces the journal file and so leaves every stored
answer behind. The cache is never the source of truth: one that cannot be read or
written is ignored, and an answer is kept only if the journal did not change while
it was being worked out.

Imports nothing heavy at module level: the prompt's fast path reads it.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from typing import Any

SUFFIX = ".status-cache"
DAYS_AHEAD = 1  # besides today


def _code_stamp() -> int:
    """Newest mtime of the code that decides the answer: a changed program never reads
    an answer stored by an older one."""
    here = os.path.dirname(os.path.abspath(__file__))
    newest = 0
    for folder in (here, os.path.join(here, "domain"), os.path.join(here, "store")):
        with os.scandir(folder) as entries:
            for e in entries:
                if e.name.endswith(".py"):
                    newest = max(newest, e.stat().st_mtime_ns)
    return newest


def key_of(path: str) -> list | None:
    """What the stored answers depend on: the journal file as it is now, and the code."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, _code_stamp()]


def lookup(path: str, key: list, day: str, as_json: bool) -> str | None:
    """The stored answer for `day` if it was worked out for exactly this key, else None."""
    try:
        with open(path + SUFFIX, encoding="utf-8") as f:
            doc = json.load(f)
        if doc.get("key") == key:
            text = doc["days"][day]["json" if as_json else "line"]
            return text if isinstance(text, str) else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def answer(view: Any) -> dict[str, str]:
    """The two printed forms of one day's view."""
    from . import cli_output as out

    return {"line": out.status_line(view), "json": out.json_text(view.to_json())}


def store(path: str, key: list, days: dict[str, dict[str, str]]) -> None:
    """Keep the answers (atomic, 0600) if the journal is still as `key` says; failures skip."""
    from .store import atomic

    if key_of(path) != key:
        return  # written meanwhile: these answers may describe the old journal
    target = path + SUFFIX
    tmp = f"{target}.tmp-{os.getpid()}"
    try:
        # Not fsynced: a cache lost in a crash is worked out again; a torn one is not JSON.
        atomic.write_new(tmp, json.dumps({"key": key, "days": days}).encode("utf-8"),
                         sync=False)
        os.replace(tmp, target)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def days_from(planner: Any, first: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """Answers for the planner's today (unless given) and the days after it."""
    today: date = planner.today
    days = {today.isoformat(): first or answer(planner.today_view())}
    for n in range(1, DAYS_AHEAD + 1):
        d = today + timedelta(days=n)
        days[d.isoformat()] = answer(planner.on(d).today_view())
    return days


def keep(planner: Any, view: Any) -> None:
    """Store `view`, just worked out for the planner's today, and the next days' answers,
    if the planner's records are those of the journal file as it is now."""
    path = str(planner.journal.path)
    key = key_of(path)
    loaded = planner.loaded_signature()
    if key is not None and loaded is not None and list(loaded) == key[:4]:
        store(path, key, days_from(planner, answer(view)))


def refresh(planner: Any) -> None:
    """After a write: store the answers for the journal as it now is."""
    path = str(planner.journal.path)
    key = key_of(path)
    if key is not None:
        store(path, key, days_from(planner))
