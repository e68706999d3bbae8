"""Undo of the last delete or unplan (issue 11): the deleted record is kept on the app,
the toast says ctrl+z, and ctrl+z on a screen that writes puts it back through the typed
command `Planner.undo_delete`, which re-checks it (a plan whose day is now blocked is
refused with its reasons, as planning it again would be)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.service.planner import Deleted, Refused
from planner.service.tables import doc_of

if TYPE_CHECKING:
    from planner.app.writes import Writes

UNDO_KEY = "ctrl+z"


def deleted_record(table: str, record) -> Deleted:
    """A record removed by unplan or unpause, as `delete_record` would have returned it."""
    return Deleted(table, doc_of(record))


def offer_undo(app, deleted: Deleted, what: str) -> None:
    """Keep `deleted` as the one thing ctrl+z puts back, and say so."""
    app.last_deleted = deleted
    app.notify(f"{what} · ctrl+z puts it back", title="Deleted", timeout=10)


def undo_last(screen: Writes) -> None:
    """Put the last deleted record back (once); say what happened or why not."""
    app = screen.app
    deleted: Deleted | None = getattr(app, "last_deleted", None)
    if deleted is None:
        app.notify("Nothing to undo.")
        return

    def done(_logged) -> None:
        app.last_deleted = None
        app.notify(f"Put back the {deleted.doc.get('date', '')} record.".replace(" .", "."),
                   title="Undone")

    def failed(exc: BaseException) -> None:
        app.last_deleted = None  # refused now: it will not be allowed by pressing again
        if isinstance(exc, Refused):
            app.notify("Not put back: " + "; ".join(r.message for r in exc.reasons),
                       title="Undo refused", severity="warning", timeout=10, markup=False)
        else:
            app.notify_error(exc)

    screen.write(lambda planner: planner.undo_delete(deleted), done, failed)


__all__ = ["UNDO_KEY", "deleted_record", "offer_undo", "undo_last"]
