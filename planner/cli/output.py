"""Printing for the command line: plain text and JSON, user text kept verbatim.

Nothing here interprets markup. User text (notes, routine names, ids and kinds from
an imported or hand-edited file) is printed as it was typed, except that nothing
reaches the terminal that could drive it (SPEC §7): every line goes through
`terminal_safe`, which shows C0 controls (but newline and tab), DEL, C1 controls and
bidi controls as visible escapes, so an OSC 52 sequence in a note cannot write the
clipboard. One-line tables also show newlines and tabs escaped. JSON escapes the
same characters as \\uXXXX, so it stays valid JSON and safe to print.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

# The status line and terminal-safe text live in the service: the status cache keeps
# that line for the prompt, and the app (which never imports this module) fills it too.
from planner.service.status import HOLD_RULES, short_reason, status_line
from planner.service.text import json_text, terminal_safe

if TYPE_CHECKING:
    from planner.domain.models import Reason


def write(text: str = "", *, err: bool = False) -> None:
    """One line to stdout (or stderr), terminal-safe; never fails on an encoding the
    terminal lacks."""
    stream = sys.stderr if err else sys.stdout
    line = terminal_safe(text) + "\n"
    try:
        stream.write(line)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(line.encode(encoding, "backslashreplace").decode(encoding, "replace"))


def silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def error(message: str) -> None:
    """The one-line `error: …` of exit codes 1, 2 and 4."""
    write("error: " + " ".join(str(message).split()), err=True)


def dump_json(value: Any) -> None:
    write(json_text(value))


def one_line(text: Any) -> str:
    """User text for a table cell: verbatim, except control characters made visible."""
    s = "" if text is None else str(text)
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


def iso(d: date | None) -> str:
    return d.isoformat() if d is not None else "-"


def until_text(r: Reason) -> str:
    if r.until is not None:
        return f"until {r.until.isoformat()}"
    if r.rule == "medical-hold":
        return "until a clinician has cleared you and you resolve it"
    if r.rule in HOLD_RULES:
        return "until you resolve it"
    return ""


def reason_line(r: Reason) -> str:
    until = until_text(r)
    return f"{r.rule}: {r.message}" + (f" ({until})" if until else "")


def reason_lines(reasons: Iterable[Reason], indent: str = "  - ") -> list[str]:
    return [indent + reason_line(r) for r in reasons]


def table(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> list[str]:
    """Left-aligned columns; the last column is free text and not padded."""
    if not rows:
        return []
    cells = [header, *rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header) - 1)]
    lines = []
    for r in cells:
        parts = [r[i].ljust(widths[i]) for i in range(len(header) - 1)]
        lines.append("  ".join([*parts, r[-1]]).rstrip())
    return lines


# ------------------------------------------------------------------ history

def _skin_summary(doc: dict) -> str:
    parts = [f"class {doc.get('class', '?')}"]
    for key, top in (("redness", 4), ("swelling", 4), ("itch", 10), ("burning", 10)):
        v = doc.get(key) or 0
        if v:
            parts.append(f"{key} {v}/{top}")
    if doc.get("flags"):
        parts.append("flags " + ", ".join(doc["flags"]))
    if doc.get("zone"):
        parts.append(f"zone {doc['zone']}")
    if doc.get("session_id"):
        parts.append(f"session {doc['session_id']}")
    if doc.get("resolved_on"):
        how = " by a clinician" if doc.get("cleared_by_clinician") else ""
        parts.append(f"resolved {doc['resolved_on']}{how}")
    return ", ".join(parts)


def history_summary(item: dict) -> str:
    kind = item.get("type")
    if kind == "session":
        parts = [f"{item.get('minutes')} min", str(item.get("outcome", "completed"))]
        if item.get("routine"):
            parts.append(f"routine {item['routine']}")
        rules = [v.get("rule", "?") for v in item.get("violations") or ()]
        if rules:
            parts.append("BROKE RULES: " + ", ".join(rules))
        text = ", ".join(parts)
    elif kind == "plan":
        text = f"planned {item.get('minutes')} min"
        if item.get("routine"):
            text += f", routine {item['routine']}"
        if item.get("fulfilled_by"):
            text += f", done by session {item['fulfilled_by']}"
        elif item.get("confirmed_missed"):
            text += ", missed"
    elif kind in ("product", "procedure", "injectable"):
        text = str(item.get("kind"))
        if item.get("name"):  # a product logged by the user's own name for it
            text = f"{item['name']} ({text})"
    elif kind in ("checkin", "reaction"):
        text = _skin_summary(item)
    elif kind == "pause":
        text = f"paused {item.get('start')} to {item.get('end')} ({item.get('reason')})"
    else:
        text = ""
    if item.get("note"):
        text += " | note: " + str(item["note"])
    return one_line(text)


def history_table(items: list[dict]) -> list[str]:
    rows = [(str(i.get("date")), str(i.get("type")), one_line(i.get("id")), history_summary(i))
            for i in items]
    return table(rows, ("date", "type", "id", "summary"))


__all__ = [
    "write", "silence_stdout", "error", "dump_json", "one_line", "iso", "until_text",
    "reason_line", "reason_lines", "short_reason", "status_line", "table", "history_summary",
    "history_table",
]
