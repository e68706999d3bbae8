"""Start an app headless and report the time from process start to its first frame.

    python benchmarks/app_probe.py minimal T0
    python benchmarks/app_probe.py acuplan T0 JOURNAL

T0 is the parent's time.time() just before it started this process. The first
frame is Textual's Ready event: the first screen has been laid out and
composited (headless, the frame is not written to a terminal; everything else
is the same). For acuplan the frame must be the Today screen, filled.
Prints the seconds, then exits.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    kind, t0 = sys.argv[1], float(sys.argv[2])
    if kind == "minimal":
        from textual.app import App
        from textual.widgets import Footer, Header, Static

        class Minimal(App):
            def compose(self):
                yield Header()
                yield Static("Today")
                yield Footer()

            def on_ready(self) -> None:
                self.first_frame = time.time() - t0
                self.exit()

        app = Minimal()
    else:
        from datetime import date

        import planner.app.app as app_module
        from planner.app.app import AcuplanApp
        from planner.app.screens.today import TodayScreen

        here = Path(app_module.__file__).parent

        class Probe(AcuplanApp):
            # CSS paths are relative to the module defining the class: keep acuplan's
            CSS_PATH = [str(here / p) for p in AcuplanApp.CSS_PATH]

            def on_ready(self) -> None:
                self.first_frame = time.time() - t0
                screen = self.screen
                filled = isinstance(screen, TodayScreen) and str(
                    screen.query_one("#today-status").render()).strip()
                if not filled:
                    print(f"error: first frame is {type(screen).__name__}, not a filled Today",
                          file=sys.stderr)
                    self.first_frame = None
                self.exit()

        app = Probe(Path(sys.argv[3]), date(2026, 12, 1))
    app.run(headless=True, size=(80, 24))
    if getattr(app, "first_frame", None) is None:
        return 1
    print(f"{app.first_frame:.6f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
