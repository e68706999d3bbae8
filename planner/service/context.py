"""Where the journal is and what day it is: taken from options or the environment,
so tests (and users) control both. No Textual, no heavy imports.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from planner.domain.vocabulary import FIRST_DATE, LAST_DATE

DB_ENV = "ACUPLAN_DB"
TODAY_ENV = "ACUPLAN_TODAY"


def default_journal_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("acuplan") / "journal.json"


def journal_path(option: str | None) -> Path:
    """--db, then ACUPLAN_DB, then the platform's user data directory. An empty --db (or
    ACUPLAN_DB set but empty) is a mistake, not a request for the default journal:
    ValueError (SPEC §7)."""
    raw = option if option is not None else os.environ.get(DB_ENV)
    if raw is not None and not raw.strip():
        where = "--db" if option is not None else DB_ENV
        raise ValueError(f"{where} is empty; give the journal's path (or leave {where} out "
                         "for the default journal)")
    return Path(raw).expanduser() if raw else default_journal_path()


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str, what: str = "date") -> date:
    """A date written exactly YYYY-MM-DD from 1900-01-01 to 2199-12-31 (SPEC §1; no week
    or ordinal forms, which `date.fromisoformat` would take), or ValueError in one line."""
    try:
        if not isinstance(text, str) or not _ISO_DAY.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{what} {text!r} is not a real date; use YYYY-MM-DD") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"{what} {text} is outside the dates acuplan keeps "
                         f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})")
    return day


def today_from(option: str | None) -> date:
    """--today, then ACUPLAN_TODAY, then the local calendar date."""
    raw = option or os.environ.get(TODAY_ENV)
    return parse_date(raw, "--today") if raw else date.today()
