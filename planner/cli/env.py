"""What one `acuplan` invocation works on: the journal, today, and (made on first use)
the service's Planner over them. Commands get it with `@pass_env`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from planner.service.context import journal_path, today_from
from planner.service.planner import BadInput


class Env:
    """What one invocation works on: the journal path, today, and (lazily) the planner."""

    def __init__(self, db: str | None, today: date | None):
        self._db = db
        self._today = today
        self._planner = None

    @property
    def path(self) -> Path:
        try:
            return journal_path(self._db)
        except ValueError as e:
            raise BadInput(str(e)) from None

    @property
    def today(self) -> date:
        if self._today is None:
            try:
                self._today = today_from(None)
            except ValueError as e:
                raise BadInput(f"ACUPLAN_TODAY: {e}") from None
        return self._today

    def day_or_today(self, day: date | None) -> date:
        """A command's --date, today when it was left out."""
        return self.today if day is None else day

    @property
    def planner(self):
        if self._planner is None:
            from planner.service.planner import Planner
            from planner.store.journal import Journal

            self._planner = Planner(Journal(self.path), self.today)
        return self._planner

    @property
    def loaded_planner(self):
        """The planner if this invocation made one, else None (never makes one)."""
        return self._planner

    @property
    def user_routines_dir(self) -> Path:
        return self.path.parent / "routines"


pass_env = click.make_pass_decorator(Env)

__all__ = ["Env", "pass_env"]
