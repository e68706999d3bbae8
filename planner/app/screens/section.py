"""What a screen that shows the journal does when the journal changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.css.query import NoMatches

from planner.app.messages import JournalChanged
from planner.store.errors import StoreError

_NEVER = object()

if TYPE_CHECKING:
    from planner.app.base import AppScreen as _Screen
else:
    _Screen = object


class ShowsJournal(_Screen):
    """Mixin for a screen that shows what the journal holds, loaded by `refresh_data()`.

    On `JournalChanged` it reloads if it is in view (also under a dialog); out of sight
    (another section, or under a screen of its own) it reloads when it is shown again,
    and only if the journal changed since it last loaded. A storage problem goes to the
    app's error handling. The screen calls `loaded()` after a load of its own (on mount).
    """

    _loaded_for: Any = _NEVER

    def refresh_data(self) -> None:  # pragma: no cover - every screen defines it
        raise NotImplementedError

    def loaded(self) -> None:
        """Note the journal as just shown (its file signature)."""
        self._loaded_for = self._journal_signature()

    def is_stale(self) -> bool:
        """The journal changed since this screen last loaded it."""
        return self._loaded_for is _NEVER or self._loaded_for != self._journal_signature()

    def reload(self) -> None:
        """Load again, now (a storage problem is shown by the app)."""
        self.loaded()
        try:
            self.refresh_data()
        except StoreError as exc:
            self.app.show_store_error(exc)
        except NoMatches:
            pass  # still composing: it loads when mounted

    def on_journal_changed(self, message: JournalChanged) -> None:
        if self.is_current:
            self.reload()

    def on_screen_resume(self) -> None:
        if self.is_stale():
            self.reload()

    def _journal_signature(self) -> Any:
        try:
            return self.app.planner.journal.signature()
        except (StoreError, OSError):
            return None


__all__ = ["ShowsJournal"]
