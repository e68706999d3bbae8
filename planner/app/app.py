"""The acuplan terminal app: sections as Textual modes over one Planner.

Only what the Today screen needs is imported here; every other section (and the
routine library, plotext, the record forms) is imported the first time it is used,
so the app starts about as fast as an empty Textual app.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from planner.app import sections
from planner.app.messages import JournalChanged
from planner.app.screens.today import TodayScreen
from planner.service.planner import BadInput, Planner, Refused
from planner.store.errors import JournalUnreadable, StoreError
from planner.store.journal import Journal

_UNREAD = object()


def _lazy_screen(section: sections.Section) -> Callable[[], Screen]:
    def factory() -> Screen:
        return getattr(importlib.import_module(section.module), section.screen)()

    return factory


def _acuplan_commands():
    """The palette provider, imported when the palette first opens (textual.command is slow)."""
    from planner.app.commands import AcuplanCommands

    return AcuplanCommands


class AcuplanApp(App):
    """acuplan: plan, guide and journal needle-free facial self-care."""

    TITLE = "acuplan"
    # Start-up parses only what Today needs; the other screens bring screens.tcss or
    # records.tcss when first shown (see planner/app/styles.py).
    CSS_PATH = ["css/app.tcss"]
    COMMANDS = App.COMMANDS | {_acuplan_commands}
    # Today is the default screen of the default mode; the other sections are modes made
    # the first time they are shown (sections.py). Today is added as a mode once it is on
    # screen (on_mount): made from MODES, its screen would cost a restyle of the whole app
    # at start-up.
    DEFAULT_MODE = sections.TODAY.mode
    MODES = {s.mode: _lazy_screen(s) for s in sections.SECTIONS if s is not sections.TODAY}
    BINDINGS = [
        *(Binding(s.key, s.action, s.title, show=False) for s in sections.SECTIONS),
        Binding(sections.HELP_KEY, "help", "Help", key_display=sections.HELP_KEY_DISPLAY),
        Binding("B", "backup", "Back up", show=False),  # planner/app/forms/data.py
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),  # in Help; footers fit 80
    ]

    def __init__(self, journal_path: Path, today: date, *, poll_interval: float = 1.0) -> None:
        super().__init__()
        self.journal_path = Path(journal_path)
        self.today = today
        self.poll_interval = poll_interval
        self.planner = Planner(Journal(self.journal_path), today)
        self.store_error: StoreError | None = None
        self.session_time_scale: float = 1.0  # real seconds per countdown second = 1/scale
        self._library = None
        self.last_deleted: Any = None  # what ctrl+z puts back (planner.app.undo)
        self._last_signature: Any = None
        self._answers_for: Any = None  # journal signature the status answers were kept for
        self._start: Any = _UNREAD
        self._first_run_open = False
        self.asking_missed = False         # Today's "did it happen?" question is open
        self.missed_asked: set[str] = set()  # missed plans asked about in this run

    def notify(self, message, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Notifications are plain text unless a caller asks for markup (user text!)."""
        super().notify(message, title=title, severity=severity, timeout=timeout,
                       markup=markup)

    # ------------------------------------------------------------ start-up

    def get_default_screen(self) -> Screen:
        return TodayScreen()

    def on_mount(self) -> None:
        # Going back to Today is a switch to its mode, which Textual allows for modes it
        # knows: the mode's stack holds Today already, so the class is never called.
        self.add_mode(sections.TODAY.mode, TodayScreen)
        try:
            start = self.start_answers()
            if start is not None:  # as stored for this very file: no need to load it yet
                _view, profile, settings = start
            else:
                settings = self.planner.settings()
                profile = self.planner.profile()
            self._last_signature = self.planner.journal.signature()
        except StoreError as exc:
            self.show_store_error(exc)
        else:
            self._apply_theme(settings.theme)
            if not (profile.notice_accepted and profile.onboarded):
                self.open_first_run()
        self.set_interval(self.poll_interval, self.poll_journal, name="journal-poll")
        if not self.is_headless:
            self._install_close_handlers()

    def _apply_theme(self, name: str) -> None:
        """The theme saved in the settings (default textual-dark, as snapshots pin)."""
        if name and name in self.available_themes and name != self.theme:
            self.theme = name

    def open_first_run(self) -> None:
        from planner.app.screens.first_run import FirstRunScreen

        if self._first_run_open:
            return
        self._first_run_open = True

        def done(result: Any) -> None:
            self._first_run_open = False

        self.push_screen(FirstRunScreen(), done)

    # ------------------------------------------------------------- library

    def get_library(self):
        """The shipped and user routines: the planner's own, so that what it checks
        (`routine_fit`, planning with a routine) and what the app shows are one library."""
        if self._library is None:
            self._library = self.planner.library()
        return self._library

    def reload_library(self):
        """Routine files changed: a planner over the same records (`Planner.on` shares
        them) that has not loaded the library yet, so both read the files again."""
        self._library = None
        self.planner = self.planner.on(self.today)
        return self.get_library()

    # ------------------------------------------------------------ journal

    def start_answers(self):
        """(Today's view, profile, settings) as the status cache holds them for the journal
        file as it is at start, else None: the first frame needs no records then. Read once;
        Today loads the records right after that frame."""
        if self._start is _UNREAD:
            from planner.service import status

            try:
                self._start = status.stored_start(str(self.journal_path), self.today)
            except OSError:
                self._start = None
            if self._start is not None:  # what keep_status_answers would store again
                self._answers_for = self.planner.journal.signature()
        return self._start

    def keep_status_answers(self, view) -> None:
        """Today was just worked out: after the frame is drawn, leave it (and tomorrow's)
        for `acuplan status`, once per state of the journal (see planner/service/status.py)."""
        sig = self.planner.loaded_signature()
        if sig is None or sig == self._answers_for:
            return
        self._answers_for = sig

        def keep() -> None:
            from planner.service import status

            try:
                status.keep(self.planner, view)
            except Exception:  # noqa: BLE001 - a cache is never worth an error in the app
                pass

        self.call_after_refresh(keep)

    def poll_journal(self) -> None:
        """Pick up changes another process wrote to the journal."""
        try:
            sig = self.planner.journal.signature()
        except StoreError as exc:
            self.show_store_error(exc)
            return
        except OSError:
            return
        self.journal_changed(sig)

    def data_changed(self) -> None:
        """The journal was written outside a write worker (a test, a script): tell the
        screens, as a worker's write does."""
        try:
            sig = self.planner.journal.signature()
        except (StoreError, OSError):
            sig = None
        self.journal_changed(sig)

    def on_journal_changed(self, message: JournalChanged) -> None:
        """A write of the app's is done (posted by its worker)."""
        self.journal_changed(message.signature)

    def journal_changed(self, sig: Any) -> None:
        """The journal file now has signature `sig`: once per signature, clear a store
        error it mended and hand JournalChanged to the screens of the current stack (a
        screen out of sight reloads when shown again, see screens/section.py)."""
        if sig == self._last_signature:
            return
        self._last_signature = sig
        if self.store_error is not None:
            try:
                self.planner.profile()
            except StoreError as exc:
                self._update_error_screen(exc)
                return
            self._clear_store_error()
        for screen in self.screen_stack:
            screen.post_message(JournalChanged(sig))

    # ------------------------------------------------------------- errors

    def show_store_error(self, exc: StoreError) -> None:
        from planner.app.screens.error import ErrorScreen

        if isinstance(self.screen, ErrorScreen):
            self.screen.set_error(exc)
            self.store_error = exc
            return
        if not isinstance(exc, JournalUnreadable) and self.store_error is None:
            # busy or not writable: the data is fine, say so and carry on
            self.notify(str(exc), title="Journal", severity="error", timeout=8, markup=False)
            return
        self.store_error = exc
        self.push_screen(ErrorScreen(exc))

    def _update_error_screen(self, exc: StoreError) -> None:
        from planner.app.screens.error import ErrorScreen

        self.store_error = exc
        if isinstance(self.screen, ErrorScreen):
            self.screen.set_error(exc)

    def _clear_store_error(self) -> None:
        from planner.app.screens.error import ErrorScreen

        self.store_error = None
        if isinstance(self.screen, ErrorScreen):
            self.pop_screen()
        try:
            profile = self.planner.profile()
        except StoreError:
            return
        if not (profile.notice_accepted and profile.onboarded):
            self.open_first_run()

    def notify_error(self, exc: BaseException) -> None:
        """Show a refusal, a bad input or a storage problem in plain words."""
        if isinstance(exc, Refused):
            lines = [str(exc)]
            for r in exc.reasons:
                until = f" (until {r.until.isoformat()})" if r.until else ""
                lines.append(f"• {r.rule}: {r.message}{until}")
            self.notify("\n".join(lines), title="Refused", severity="warning", timeout=10,
                        markup=False)
        elif isinstance(exc, BadInput):
            self.notify(str(exc), title="Not accepted", severity="error", timeout=8,
                        markup=False)
        elif isinstance(exc, StoreError):
            self.show_store_error(exc)
        else:
            self.notify(str(exc), title="Error", severity="error", timeout=8, markup=False)

    # ------------------------------------------------------------ actions

    def sections_locked(self) -> bool:
        """The journal is unusable (error screen) or the first run is open: no section."""
        return self.store_error is not None or self._first_run_open

    def action_section(self, mode: str) -> None:
        """Show a section; a screen shown again reloads if the journal changed meanwhile."""
        if self.sections_locked():
            return
        self.switch_mode(mode)

    async def action_quit(self) -> None:
        """ctrl+q: a session under way is saved first (what was done so far, as partial)."""
        self.save_running_session()
        await super().action_quit()

    def save_running_session(self) -> None:
        """A guided session under way (also under a dialog it opened) keeps what was done."""
        for screen in reversed(self.screen_stack):
            save = getattr(screen, "save_on_quit", None)
            if save is not None:
                save()

    def _install_close_handlers(self) -> None:
        """The terminal closing (SIGHUP) or a plain kill (SIGTERM) ends the app as ctrl+q
        does: a session under way is saved as partial first (SPEC §3.2)."""
        import asyncio
        import signal

        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._closed_from_outside)
        except (AttributeError, NotImplementedError, RuntimeError, ValueError):
            pass  # no such signals here (Windows) or not the main thread

    def _closed_from_outside(self) -> None:
        self.save_running_session()
        self.exit()

    def action_backup(self) -> None:
        """B: back up the journal now, no questions (planner/app/forms/data.py)."""
        from planner.app.forms.data import backup

        backup(self)

    def action_help(self) -> None:
        from planner.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "section":
            return True
        # a running session (or a question it asks) ends with its own keys
        in_session = any(getattr(s, "IN_SESSION", False) for s in self.screen_stack)
        return not (self.sections_locked() or in_session)

    # ---------------------------------------------------- shared flows

    def start_session(self, routine) -> bool:
        """Check today's rules, then ask the preparation and the skin check and open the
        guided session (planner/app/screens/session_start.py), or show why not. A routine
        that a caution or an excluded zone cuts under 5 minutes is refused with that
        reason, and the builder is offered. True when the start went on to its questions."""
        from planner.app.screens.session_start import ask_before_session

        try:
            fit = self.planner.routine_fit(routine.id, self.today)
            if not fit.fits:
                self.refuse_routine(routine, fit.reasons, "started today")
                return False
            prepared = self.planner.prepare_session(routine)
            self.planner.start_check(prepared.minutes)
        except (Refused, BadInput, StoreError) as exc:
            self.notify_error(exc)
            return False
        except Exception as exc:  # a broken routine must not crash the app
            self.notify(f"This routine cannot be run: {exc}", title="Routine",
                        severity="error", timeout=8)
            return False
        ask_before_session(self, routine)
        return True

    def refuse_routine(self, routine, reasons, when: str) -> None:
        """Say why a routine cannot be done (the zone or caution named), offer the builder."""
        from planner.app.widgets.choice import Choice, ChoiceScreen

        name = getattr(routine, "name", None) or str(routine)
        paragraphs = [f"{r.rule}: {r.message}" for r in reasons]
        paragraphs.append("The builder (Routines, b) makes a routine from the steps your "
                          "profile allows, at least 5 minutes long.")

        def answered(choice: str | None) -> None:
            if choice == "builder":
                self.open_builder()

        self.push_screen(ChoiceScreen(
            f"{name} cannot be {when}", paragraphs,
            [Choice("builder", "Open the builder", "b", "primary"),
             Choice("close", "Close", "c")], cancel="close", tone="warning"), answered)

    def open_builder(self) -> None:
        """The Routines section with its builder open."""
        if self.sections_locked():
            return
        self.action_section("routines")

        def open_it() -> None:
            builder = getattr(self.screen, "action_builder", None)
            if builder is not None:
                builder()

        self.call_after_refresh(open_it)

    def open_skin_form(self, kind: str, session_id: str | None = None, record=None) -> None:
        """The check-in or reaction form; a check-in edits today's if there is one."""
        from planner.app.forms.skin import SkinFormScreen

        if kind == "checkin" and record is None:  # one per date: today's is edited
            try:
                record = self.planner.checkin_on(self.today)
            except StoreError as exc:
                self.show_store_error(exc)
                return
        self.push_screen(SkinFormScreen(kind, session_id=session_id, record=record))

    def open_activity_form(self, table: str) -> None:
        """The form for a product use, procedure or injectable (`table`)."""
        from planner.app.forms.activity import ActivityFormScreen

        self.push_screen(ActivityFormScreen(table))


def run_app(journal_path: Path, today: date) -> None:
    AcuplanApp(Path(journal_path), today).run()


__all__ = ["AcuplanApp", "run_app"]
