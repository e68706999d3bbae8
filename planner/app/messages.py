"""The app's own messages.

`JournalChanged` goes to the app whenever the journal file changed: after a write of the
app's (posted by the write's worker) or when the poll sees another process's write. The
app hands it to the screens of the current stack; a section screen that is visible
reloads at once, one out of sight reloads when it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message


class JournalChanged(Message):
    """The journal file changed (by this app or another process)."""

    bubble = False  # the app hands it to each screen; it must not come back up

    def __init__(self, signature: Any = None) -> None:
        super().__init__()
        self.signature = signature  # the file signature after the change, when known


class WriteFinished(Message):
    """A write run in a worker thread is over: back on the UI thread, `done(result)` or
    `failed(error)` runs (see planner/app/writes.py)."""

    def __init__(self, done: Callable[[Any], None], failed: Callable[[BaseException], None],
                 *, expected: tuple[type[BaseException], ...] = ()) -> None:
        super().__init__()
        self.done = done
        self.failed = failed
        self.expected = expected  # errors `failed` is for; any other is raised again
        self.result: Any = None
        self.error: BaseException | None = None


__all__ = ["JournalChanged", "WriteFinished"]
