"""The base classes of the app's screens: `self.app` is the AcuplanApp (its planner, its
error handling), which the type checker learns from `getters.app`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import ModalScreen, Screen, ScreenResultType

if TYPE_CHECKING:
    from textual import getters

    from planner.app.app import AcuplanApp


class AppScreen(Screen[ScreenResultType]):
    """A screen of the app."""

    if TYPE_CHECKING:
        app = getters.app(AcuplanApp)


class AppModalScreen(ModalScreen[ScreenResultType]):
    """A dialog of the app (the screen under it stays in view)."""

    if TYPE_CHECKING:
        app = getters.app(AcuplanApp)


__all__ = ["AppScreen", "AppModalScreen"]
