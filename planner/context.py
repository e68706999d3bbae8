"""Where the journal is and what day it is: taken from options or the environment,
so tests (and users) control both. No Textual, no heavy imports.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

DB_ENV = "ACUPLAN_DB"
TODAY_ENV = "ACUPLAN_TODAY"


def default_journal_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("acuplan") / "journal.json"


def journal_path(option: str | None) -> Path:
    """--db, then ACUPLAN_DB, then the platform's user data directory."""
    raw = option or os.environ.get(DB_ENV)
    return Path(raw).expanduser() if raw else default_journal_path()


def parse_date(text: str, what: str = "date") -> date:
    """A YYYY-MM-DD calendar date, or ValueError with a one-line message."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{what} {text!r} is not a real date; use YYYY-MM-DD") from None


def today_from(option: str | None) -> date:
    """--today, then ACUPLAN_TODAY, then the local calendar date."""
    raw = option or os.environ.get(TODAY_ENV)
    return parse_date(raw, "--today") if raw else date.today()
