"""Writes to the journal, off the event loop.

A write (the service command with its lock wait, the file write and its fsync) runs in a
thread worker, so the app keeps drawing and answering keys meanwhile. The screen that
asked shows that it is saving and refuses a second write until the first is over. The
outcome comes back to the UI thread as a `WriteFinished` message; when the file changed,
the app hears `JournalChanged` and the screens that show the journal reload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work

from planner.app.messages import JournalChanged, WriteFinished
from planner.service.planner import BadInput, Refused
from planner.store.errors import StoreError

T = TypeVar("T")

# What a write may fail with that the user is told about; anything else is a bug and is
# raised again on the UI thread (Textual shows it and stops, as it would without a worker).
EXPECTED = (BadInput, Refused, StoreError)

SAVING = "saving…"
STILL_SAVING = "The last change is still being saved; try again in a moment."


if TYPE_CHECKING:
    from planner.app.base import AppScreen as _Screen
else:
    _Screen = object


class Writes(_Screen):
    """Mixin for a Screen that writes to the journal (see the module docstring)."""

    _saving = False
    _sub_title_before: str | None = None

    @property
    def saving(self) -> bool:
        """A write of this screen is under way."""
        return self._saving

    def write(self, change: Callable[[Any], T], done: Callable[[T], None] | None = None,
              failed: Callable[[BaseException], None] | None = None, *,
              expected: tuple[type[BaseException], ...] = EXPECTED) -> bool:
        """Run `change(planner)` in a thread worker; then, on the UI thread, `done(result)`
        or, for an `expected` error, `failed(error)` (default: the app says what went
        wrong: a refusal, a bad input, or a storage problem on its error screen). False,
        and nothing runs, while an earlier write of this screen is still under way."""
        if self._saving:
            self.app.notify(STILL_SAVING, severity="warning")
            return False
        self._saving = True
        self.show_saving(True)
        self._run_write(self.app.planner, change,
                        WriteFinished(done or _nothing, failed or self.app.notify_error,
                                      expected=expected))
        return True

    @work(thread=True, group="journal-write", exit_on_error=False)
    def _run_write(self, planner, change, finished: WriteFinished) -> None:
        before = _signature(planner)
        try:
            finished.result = change(planner)
        except BaseException as exc:  # handed to the UI thread, never lost in the thread
            finished.error = exc
        finally:
            after = _signature(planner)
            if after != before:
                self.app.post_message(JournalChanged(after))
            self.post_message(finished)

    def on_write_finished(self, message: WriteFinished) -> None:
        message.stop()
        self._saving = False
        if self.is_mounted:
            self.show_saving(False)
        if message.error is None:
            message.done(message.result)
        elif isinstance(message.error, message.expected):
            message.failed(message.error)
        else:
            raise message.error

    def show_saving(self, saving: bool) -> None:
        """Say that a write is under way: "saving…" after the screen's sub-title."""
        self.set_class(saving, "-saving")
        if saving:
            self._sub_title_before = self.sub_title or ""  # a screen may have none (None)
            self.sub_title = f"{self.sub_title} · {SAVING}" if self.sub_title else SAVING
        elif self._sub_title_before is not None:
            self.sub_title = self._sub_title_before or None
            self._sub_title_before = None


def _nothing(_result: Any) -> None:
    return None


def _signature(planner) -> Any:
    try:
        return planner.journal.signature()
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the write itself
        return None


__all__ = ["Writes", "SAVING", "EXPECTED"]
