"""What commands accept: the date and number types, the options several commands share,
and the checks that name what is accepted (exit 2) when text, an id or a routine is not."""

from __future__ import annotations

from datetime import date
from typing import Any, overload

import click

from planner.service.context import parse_date
from planner.service.planner import BadInput

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


# ------------------------------------------------------------------ shared options

def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(f)


def date_option(help_text: str = "Date it happened (default: today; never in the future)."):
    return click.option("--date", "day", type=DATE, help=help_text)


def note_option(f):
    return click.option("--note", default="", help="Free text, kept as typed.")(f)


# ------------------------------------------------------------------ checks

@overload
def check_text(value: str, what: str) -> str: ...


@overload
def check_text(value: None, what: str) -> None: ...


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


def known_id(given: str, known: list[str], what: str, label: str,
             shown: list[str] | None = None) -> None:
    """BadInput naming the ids that exist, when `given` is not one of them."""
    if given in known:
        return
    shown = known if shown is None else shown
    listed = ", ".join(shown[:20]) + (", ..." if len(shown) > 20 else "") if shown else "none"
    raise BadInput(f"no {what} with id {given!r}; {label}: {listed}")


def known_routine(library, routine_id: str):
    """The routine with that id in `library` (shipped or the user's), or BadInput naming
    the ids."""
    if routine_id not in library.routines:
        raise BadInput(f"unknown routine {routine_id!r}; accepted: "
                       f"{', '.join(sorted(library.routines))}")
    return library.routines[routine_id]


__all__ = [
    "DATE", "YES_NO", "DateType", "Whole", "json_option", "date_option", "note_option",
    "check_text", "known_id", "known_routine",
]
