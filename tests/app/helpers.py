"""Shared helpers for the app tests (engineer B imports these too).

`make_app(tmp_path)` builds an AcuplanApp on a fresh journal in tmp_path with the
clock fixed; with `accepted=True` (the default) the safety notice and onboarding
are already done, so `run_test` lands on Today.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from planner.service.planner import Planner
from tests.waiting import TRIES, app_until

TODAY = date(2026, 12, 1)
SIZE = (80, 24)


def open_journal(path: Path):
    try:
        from planner.store import Journal  # type: ignore[attr-defined]
    except ImportError:
        from planner.store.journal import Journal
    return Journal(Path(path))


def journal_file(tmp_path: Path) -> Path:
    return Path(tmp_path) / "data" / "journal.json"


def planner_for(path: Path, today: date = TODAY) -> Planner:
    """A fresh Planner on the same file: what another process (the CLI) would see."""
    return Planner(open_journal(path), today)


def seed(planner: Planner, *, sessions: Iterable[tuple[date, int]] = (),
         products: Iterable[tuple[str, date]] = (), procedures: Iterable[tuple[str, date]] = (),
         injectables: Iterable[tuple[str, date]] = (), checkins: Iterable[dict] = (),
         plans: Iterable[tuple[date, int]] = ()) -> None:
    """Write history through the service: sessions, then plans (so a product or a
    procedure seeded with them may block a plan, as when logged after planning), then
    the rest."""
    for day, minutes in sessions:
        planner.log_session(day, minutes)
    for day, minutes in plans:
        planner.plan(day, minutes)
    for kind, day in products:
        planner.log_product(kind, day)
    for kind, day in procedures:
        planner.log_procedure(kind, day)
    for kind, day in injectables:
        planner.log_injectable(kind, day)
    for fields in checkins:
        fields = dict(fields)
        day = fields.pop("date")
        planner.log_skin("checkin", day, **fields)


def make_app(tmp_path: Path, today: date = TODAY, accepted: bool = True,
             poll_interval: float = 0.05, **seed_kw: Any):
    """An AcuplanApp over tmp_path/data/journal.json.

    seed_kw goes to `seed` (sessions=[(date, minutes)], products=[(kind, date)], …).
    """
    from planner.app.app import AcuplanApp

    path = journal_file(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    planner = planner_for(path, today)
    if accepted:
        planner.accept_notice()
        planner.set_profile(onboarded=True)
    if seed_kw:
        seed(planner, **seed_kw)
    app = AcuplanApp(path, today, poll_interval=poll_interval)
    app.animation_level = "none"
    record_notes(app)
    return app


def record_notes(app) -> list[str]:
    """Keep every notification's text in `app.notes` (through the public `notify`, which
    the app's own error display also calls), so tests need not read Textual's internals."""
    notes: list[str] = []
    shown = app.notify

    def notify(message, **kw):
        notes.append(str(message))
        return shown(message, **kw)

    app.notify = notify
    app.notes = notes
    return notes


def days(n: int, base: date = TODAY) -> date:
    return base + timedelta(days=n)


def text_of(widget) -> str:
    """The plain text a Static (or Label) shows."""
    content = getattr(widget, "content", None)
    if content is None:
        content = widget.render()
    plain = getattr(content, "plain", None)
    return plain if plain is not None else str(content)


def screen_text(app) -> str:
    """All the plain text of the Static widgets on the active screen."""
    from textual.widgets import Static

    return "\n".join(text_of(w) for w in app.screen.query(Static))


async def writes_done(pilot) -> None:
    """Let every write the app started (each runs in a worker thread) end, and its outcome
    (WriteFinished to the screen, JournalChanged to the app and on to the screens) be
    handled: a condition to wait on, not a length of time."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()  # the app hands JournalChanged on to the screens


async def wait_for(pilot, predicate, tries: int = TRIES) -> bool:
    """Let the app run until `predicate()` holds: True then; after `tries` tries, the
    predicate's own error (or an AssertionError naming it). See tests/waiting.py."""
    return await app_until(pilot, predicate, tries=tries)


__all__ = ["TODAY", "SIZE", "make_app", "planner_for", "journal_file", "open_journal", "seed",
           "days", "text_of", "screen_text", "wait_for", "writes_done"]
