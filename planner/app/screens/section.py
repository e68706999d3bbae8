"""What every section screen does when it comes back into view."""

from __future__ import annotations

from planner.store.errors import StoreError


class RefreshOnResume:
    """Mixin: reload on resume (not right after the first load); a store error goes to the
    app's error screen. The screen sets `self._fresh = True` once it has loaded."""

    _fresh = False

    def on_screen_resume(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self.safe_refresh()

    def safe_refresh(self) -> None:
        try:
            self.refresh_data()
        except StoreError as exc:
            self.app.show_store_error(exc)
