"""Where the app's style sheets are. The app parses css/app.tcss at start-up (Today and
the shared look); a screen that needs more names its sheet in `CSS_PATH`, and Textual
loads it the first time such a screen is shown."""

from __future__ import annotations

from pathlib import Path

_CSS = Path(__file__).resolve().parent / "css"

APP_CSS = str(_CSS / "app.tcss")          # Today, cards, muted text
SCREENS_CSS = str(_CSS / "screens.tcss")  # dialogs, first run, help, error, plan, session
RECORDS_CSS = str(_CSS / "records.tcss")  # routines, journal, history, settings, forms

__all__ = ["APP_CSS", "SCREENS_CSS", "RECORDS_CSS"]
