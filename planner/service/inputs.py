"""What the commands accept: checks that name what is accepted (BadInput, exit 2),
the safety refusal (Refused, exit 3), and KEEP, an edit's "leave this field as it is".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from planner.domain.models import PRODUCT_NAME_LIMIT, Reason

MAX_LOG_MINUTES = 180


NOTE_LIMIT = 2000


ROUTINE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


class BadInput(ValueError):
    """Input the program cannot accept (exit 2). The message names what is accepted;
    `field`, when known, names the input it is about (e.g. the setting refused)."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.field = field


class Refused(Exception):
    """A safety rule said no (exit 3). Carries every reason."""

    def __init__(self, message: str, reasons: Iterable[Reason] = ()):
        super().__init__(message)
        self.reasons = tuple(reasons)


def choose(value: str, accepted: Iterable[str], what: str) -> str:
    accepted = tuple(accepted)
    if value not in accepted:
        raise BadInput(f"unknown {what} {value!r}; accepted: {', '.join(accepted)}")
    return value


def in_range(value: int, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadInput(f"{what} must be a whole number from {low} to {high}, got {value!r}")
    return value


def check_note(note: str | None) -> str:
    note = note or ""
    if not isinstance(note, str):
        raise BadInput("a note must be text")
    if len(note) > NOTE_LIMIT:
        raise BadInput(f"note is too long ({len(note)} characters; at most {NOTE_LIMIT})")
    return note


OWN_PRODUCT_LIMIT = 200


def product_name(text: str, what: str = "product name") -> str:
    """A product's name or brand: one line of 1-80 characters, outer spaces dropped."""
    if not isinstance(text, str):
        raise BadInput(f"a {what} must be text")
    name = " ".join(text.split())
    if not name or len(name) > PRODUCT_NAME_LIMIT:
        raise BadInput(f"a {what} has 1 to {PRODUCT_NAME_LIMIT} characters")
    return name


def check_routine_id(routine: str | None) -> str | None:
    """A routine id is a short word of letters, digits, dots, hyphens and underscores."""
    if routine is not None and (not isinstance(routine, str)
                                or not ROUTINE_ID.fullmatch(routine)):
        raise BadInput(f"{routine!r} is not a routine id (see `acuplan routines list`)")
    return routine


class Keep:
    """The default of an edit's optional field that may also be set to None."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = Keep()


class ImportProblems(BadInput):
    """An import that is not what the commands could have written (exit 2): each problem
    names the table, the record, the field, the value and what is accepted."""

    LIMIT = 20

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:self.LIMIT]
        more = len(problems) - len(shown)
        head = (f"the file cannot be imported: {len(problems)} problem"
                f"{'s' if len(problems) != 1 else ''}, nothing was written")
        super().__init__("\n".join([head, *(f"  {p}" for p in shown)]
                                   + ([f"  ... and {more} more"] if more else [])))
