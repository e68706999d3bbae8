"""Answers kept beside the journal: for shell prompts that ask all day, and for the app's
first frame.

`<journal>.status-cache` holds, for one state of the journal file (device, inode,
size, mtime) and one version of the code: the printed `status` answers (line and
JSON) and the complete Today view, for today and the next day (so the first prompt
after midnight needs no work either), and the profile and settings the app starts
with. Whatever has the records loaded anyway stores them: `status` when it had to
compute, a command that wrote, the app. Any write replaces the journal file and so
leaves every stored answer behind. The cache is never the source of truth: one that
cannot be read or written is ignored, and answers are kept only if the journal did
not change while they were being worked out.

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
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    newest = 0
    for folder in (os.path.join(here, name) for name in ("domain", "store", "service")):
        with os.scandir(folder) as entries:
            for e in entries:
                if e.name.endswith(".py"):
                    newest = max(newest, e.stat().st_mtime_ns)
    return newest


def _cache_path(path: str) -> str:
    """Beside the file the journal names: a symlinked journal's target (as the store's
    versions and lock); a realpath only when it is a link, so the prompt pays one lstat."""
    return (os.path.realpath(path) if os.path.islink(path) else path) + SUFFIX


def key_of(path: str) -> list | None:
    """What the stored answers depend on: the journal file as it is now, and the code."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, _code_stamp()]


def _read(path: str, key: list) -> dict | None:
    try:
        with open(_cache_path(path), encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and doc.get("key") == key else None


def lookup(path: str, key: list, day: str, as_json: bool) -> str | None:
    """The stored answer for `day` if it was worked out for exactly this key, else None."""
    try:
        text = _read(path, key)["days"][day]["json" if as_json else "line"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    return text if isinstance(text, str) else None


def for_app(path: str, day: date) -> tuple[Any, Any, Any] | None:
    """(Today's view, profile, settings) as stored for the journal as it is now, or None.
    What the app needs for its first frame, before it loads the records."""
    key = key_of(path)
    doc = _read(path, key) if key is not None else None
    if doc is None:
        return None
    from planner.domain.models import Profile, Settings, from_doc
    from planner.service.view_docs import view_from_doc

    try:
        view = view_from_doc(doc["days"][day.isoformat()]["view"])
        return view, from_doc(Profile, doc["profile"]), from_doc(Settings, doc["settings"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def answer(view: Any) -> dict[str, Any]:
    """One day's printed forms, and the complete view for the app."""
    from planner.cli import output as out
    from planner.service.view_docs import view_to_doc

    return {"line": out.terminal_safe(out.status_line(view)),
            "json": out.json_text(view.to_json()),
            "view": view_to_doc(view)}


def store(path: str, key: list, payload: dict[str, Any]) -> None:
    """Keep the answers (atomic, 0600) if the journal is still as `key` says; failures skip."""
    from planner.store import atomic

    if key_of(path) != key:
        return  # written meanwhile: these answers may describe the old journal
    target = _cache_path(path)
    tmp = f"{target}.tmp-{os.getpid()}"
    try:
        # Not fsynced: a cache lost in a crash is worked out again; a torn one is not JSON.
        atomic.write_new(tmp, json.dumps({"key": key, **payload}).encode("utf-8"),
                         sync=False)
        os.replace(tmp, target)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def payload_from(planner: Any, first: dict[str, Any] | None = None) -> dict[str, Any]:
    """Answers for the planner's today (unless given) and the days after it, with the
    profile and settings the app starts with."""
    from planner.domain.models import to_doc

    today: date = planner.today
    days = {today.isoformat(): first or answer(planner.today_view())}
    for n in range(1, DAYS_AHEAD + 1):
        d = today + timedelta(days=n)
        days[d.isoformat()] = answer(planner.on(d).today_view())
    st = planner.state()
    return {"days": days, "profile": to_doc(st.profile), "settings": to_doc(st.settings)}


def keep(planner: Any, view: Any) -> None:
    """Store `view`, just worked out for the planner's today, and the next days' answers,
    if the planner's records are those of the journal file as it is now."""
    path = str(planner.journal.path)
    key = key_of(path)
    loaded = planner.loaded_signature()
    if key is not None and loaded is not None and list(loaded) == key[:4]:
        store(path, key, payload_from(planner, answer(view)))


def refresh(planner: Any) -> None:
    """After a write: store the answers for the journal as it now is."""
    path = str(planner.journal.path)
    key = key_of(path)
    if key is not None:
        store(path, key, payload_from(planner))
