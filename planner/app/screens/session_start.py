"""Before a guided session (SPEC §8): the preparation list, then the skin check by zone.

`App.start_session` checks today's rules and the routine first, then calls
`ask_before_session`: the preparation screen (hands, face, tool: each ticked or left,
the answers remembered for next time), then the skin check (each zone the routine
touches may be marked broken, inflamed, sunburnt, … and is then left out today, or until
a date, stored as an excluded zone). What is left is checked again (the 5-minute
minimum, today's cap) before the session opens; skin unwell all over ends the start
with "no session today" and offers a check-in or a pause.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from planner.app.base import AppModalScreen
from planner.app.forms.dialogs import parse_day
from planner.app.styles import SCREENS_CSS
from planner.app.widgets.choice import Choice, ChoiceScreen
from planner.app.writes import Writes
from planner.domain.routine import routine_zone
from planner.domain.session_prep import PREPARATION, SKIN_CHECK_REASONS, UNWELL_ALL_OVER
from planner.service.planner import BadInput, Refused
from planner.store.errors import StoreError

if TYPE_CHECKING:
    from planner.app.app import AcuplanApp

SESSION_START_CSS = str(Path(SCREENS_CSS).with_name("session_start.tcss"))

SHORT_PREPARATION = {"hands": "hands washed", "face": "face cleansed",
                     "tool": "tool cleaned"}

# Why an item left unticked matters, said under the list (briefly, in our words).
WHY_PREPARE = ("Clean hands and a clean tool lower the risk of infection; a cleansed face "
               "keeps make-up and sunscreen from being pressed into the skin. You may go on "
               "without, but it is safer not to.")

SKIN_QUESTION = ("Is any of these zones broken, inflamed, sunburnt, with an active cyst or "
                 "cold sore, or freshly treated? A zone you mark is left out today.")

# The skin-check reasons with their one-key shortcuts 1–6; 0 clears a mark.
REASON_KEYS = tuple(str(i) for i in range(1, len(SKIN_CHECK_REASONS) + 1))
REASON_WORDS = dict(SKIN_CHECK_REASONS)
CLEAR_KEY = "0"


def _short(reason: str) -> str:
    """The reason's words without the examples in brackets: "inflamed", "cold sore"."""
    words = REASON_WORDS[reason].split(" (")[0]
    for article in ("a ", "an "):
        words = words.removeprefix(article)
    return words


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


# ------------------------------------------------------------------ preparation

class PreparationScreen(Writes, AppModalScreen[tuple[str, ...] | None]):
    """The preparation list: each item ticked or not (space, or its number), the last
    answers as defaults. Enter remembers the answers (a write, off the UI thread) and
    dismisses with the keys ticked; esc dismisses with None (the start is cancelled)."""

    CSS_PATH = SESSION_START_CSS
    IN_SESSION = True  # no section switch while a session is being started
    BINDINGS = [
        Binding("enter", "go", "Continue", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("space", "tick", "Tick", show=False),
        *(Binding(str(i + 1), f"tick({i})", show=False) for i in range(len(PREPARATION))),
    ]

    def __init__(self, routine, ticked: tuple[str, ...] = ()) -> None:
        super().__init__(classes="start-modal")
        self.routine = routine
        self.ticked = {k for k, _ in PREPARATION if k in ticked}

    def compose(self) -> ComposeResult:
        with Vertical(id="prep-box", classes="start-box"):
            yield Static(Content.assemble(("Before you start", "bold $text-accent"), " · ",
                                          self.routine.name), id="prep-title")
            yield Static("Tick what you have done (space, or 1–3); enter goes on.",
                         id="prep-help", classes="muted", markup=False)
            yield OptionList(*(Option(self._prompt(i), id=key)
                               for i, (key, _) in enumerate(PREPARATION)), id="prep-list")
            yield Static("", id="prep-why", markup=False)
            with Horizontal(classes="start-buttons"):
                yield Button("Continue (enter)", id="prep-go", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="prep-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#prep-box").border_title = "Preparation"
        ol = self.query_one("#prep-list", OptionList)
        ol.highlighted = 0
        ol.focus()
        self._show_why()

    def _prompt(self, index: int) -> Content:
        key, words = PREPARATION[index]
        if key in self.ticked:
            return Content.assemble(("[✓]", "bold $text-success"), f" {index + 1}  {words}")
        return Content.assemble(("[ ]", "$text-muted"), f" {index + 1}  {words}")

    def _show_why(self) -> None:
        why = self.query_one("#prep-why", Static)
        left = [SHORT_PREPARATION.get(key, key) for key, _ in PREPARATION
                if key not in self.ticked]
        why.display = bool(left)
        if left:
            why.update(Content.assemble(("Not ticked: ", "bold $text-warning"),
                                        "; ".join(left) + ". ", WHY_PREPARE))

    @property
    def answers(self) -> tuple[str, ...]:
        """The keys ticked, in the list's order."""
        return tuple(key for key, _ in PREPARATION if key in self.ticked)

    def action_tick(self, index: int | None = None) -> None:
        if self.saving:
            return
        ol = self.query_one("#prep-list", OptionList)
        if index is None:
            index = ol.highlighted
            if index is None:
                return
        key = PREPARATION[index][0]
        self.ticked.symmetric_difference_update({key})
        ol.replace_option_prompt_at_index(index, self._prompt(index))
        ol.highlighted = index
        self._show_why()

    @on(OptionList.OptionSelected, "#prep-list")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tick(event.option_index)

    def action_go(self) -> None:
        focused = self.focused
        if isinstance(focused, Button) and focused.id == "prep-cancel":
            self.action_cancel()
            return
        if self.saving:
            return
        answers = self.answers

        def failed(exc: BaseException) -> None:  # the journal cannot be written: no start
            self.app.notify_error(exc)
            self.dismiss(None)

        def remembered(_profile) -> None:
            self.dismiss(answers)

        self.write(lambda planner: planner.remember_preparation(answers), remembered, failed)

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "prep-go":
            self.action_go()
        else:
            self.action_cancel()

    def show_saving(self, saving: bool) -> None:
        self.set_class(saving, "-saving")
        button = self.query_one("#prep-go", Button)
        button.label = "Saving…" if saving else "Continue (enter)"
        button.disabled = saving


# ------------------------------------------------------------------ skin check

class SkinCheck(NamedTuple):
    """What the skin check answered: zones left out (zone -> reason), the zones given an
    end date (stored as exclusions already), or skin unwell all over."""

    skipped: dict[str, str]
    until: dict[str, date]
    unwell: bool = False


class ZoneInfo(NamedTuple):
    zone: str
    steps: int
    seconds: int


def routine_zones(routine, points) -> list[ZoneInfo]:
    """The zones a routine's steps touch, in the order it first reaches them, with how
    many steps and seconds each holds."""
    found: dict[str, list[int]] = {}
    for step in routine.steps:
        zone = routine_zone(step, points)
        if zone is None:
            continue
        entry = found.setdefault(zone, [0, 0])
        entry[0] += 1
        entry[1] += step.total_seconds
    return [ZoneInfo(z, n, s) for z, (n, s) in found.items()]


class ReasonPickerScreen(AppModalScreen[str | None]):
    """Pick why a zone is left out today (or clear its mark): dismisses with the reason,
    "" to clear, or None (esc: no change)."""

    CSS_PATH = SESSION_START_CSS
    IN_SESSION = True
    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        *(Binding(k, f"pick({i})", show=False) for i, k in enumerate(REASON_KEYS)),
        Binding(CLEAR_KEY, "pick(-1)", show=False),
    ]

    def __init__(self, zone: str, current: str | None) -> None:
        super().__init__(classes="start-modal")
        self.zone = zone
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-box", classes="start-box start-small"):
            yield Static(Content(f"Why leave the {self.zone.replace('-', ' ')} out today?"),
                         id="reason-title")
            options = [Option(Content(f"{k}  {words}"), id=word)
                       for k, (word, words) in zip(REASON_KEYS, SKIN_CHECK_REASONS, strict=True)]
            options.append(Option(Content(f"{CLEAR_KEY}  nothing: the zone is fine today"),
                                  id="clear"))
            yield OptionList(*options, id="reason-list")
            yield Static("enter or a number picks · esc back", classes="muted", markup=False)

    def on_mount(self) -> None:
        ol = self.query_one("#reason-list", OptionList)
        ids = [w for w, _ in SKIN_CHECK_REASONS]
        ol.highlighted = ids.index(self.current) if self.current in ids else 0
        ol.focus()

    def action_pick(self, index: int) -> None:
        self.dismiss("" if index < 0 else SKIN_CHECK_REASONS[index][0])

    @on(OptionList.OptionSelected, "#reason-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss("" if event.option.id == "clear" else event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class UntilScreen(AppModalScreen[tuple[date | None] | None]):
    """The last day a zone stays left out: (date,) to keep it out until then (stored as
    an excluded zone), (None,) for today only, None (esc) for no change."""

    CSS_PATH = SESSION_START_CSS
    IN_SESSION = True
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, zone: str, reason: str, current: date | None) -> None:
        super().__init__(classes="start-modal")
        self.zone = zone
        self.reason = reason
        self.current = current

    def compose(self) -> ComposeResult:
        zone = self.zone.replace("-", " ")
        with Vertical(id="until-box", classes="start-box start-small"):
            yield Static(Content(f"Leave the {zone} out until…"), id="until-title")
            yield Static(Content(
                f"The {zone} is {_short(self.reason)}. Give the last day to leave it out "
                "(YYYY-MM-DD): it is kept as an excluded zone (Settings, Zones) until "
                "then. Leave the field empty for today only."), markup=False,
                id="until-help")
            with Horizontal(id="until-row"):
                yield Static("Until", classes="until-label", markup=False)
                yield Input(self.current.isoformat() if self.current else "",
                            placeholder="YYYY-MM-DD", max_length=10, id="until-date",
                            compact=True)
            yield Static("", id="until-error", markup=False)
            yield Static("enter keeps it · esc back", classes="muted", markup=False)

    def on_mount(self) -> None:
        self.query_one("#until-error").display = False
        self.query_one("#until-date", Input).focus()

    @on(Input.Submitted, "#until-date")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.dismiss((None,))
            return
        today = self.app.today
        try:
            day = parse_day(text, allow_future=True, what="the last day")
            if day < today:
                raise ValueError(f"the last day {day.isoformat()} is before today "
                                 f"({today.isoformat()})")
        except ValueError as e:
            error = self.query_one("#until-error", Static)
            error.update(Content(str(e)))
            error.display = True
            return
        self.dismiss((day,))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SkinCheckScreen(Writes, AppModalScreen[SkinCheck | None]):
    """The skin check by zone. A zone marked (a number, or m / a click for the list of
    reasons) is left out today; d gives it an end date (an excluded zone, stored when
    the check is confirmed). Enter goes on; u: skin unwell all over; esc cancels."""

    CSS_PATH = SESSION_START_CSS
    IN_SESSION = True
    BINDINGS = [
        Binding("enter", "go", "Start", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("m", "mark", "Mark…", show=False),
        Binding("d", "until", "Until a date", show=False),
        Binding("u", "unwell", "Unwell all over", show=False),
        *(Binding(k, f"set_reason({i})", show=False) for i, k in enumerate(REASON_KEYS)),
        Binding(CLEAR_KEY, "set_reason(-1)", show=False),
        Binding("backspace", "set_reason(-1)", show=False),
        Binding("delete", "set_reason(-1)", show=False),
    ]

    def __init__(self, routine) -> None:
        super().__init__(classes="start-modal")
        self.routine = routine
        self.marked: dict[str, str] = {}
        self.until: dict[str, date] = {}
        self.zones: list[ZoneInfo] = []
        self.total = 0              # seconds of the routine as today's profile allows it
        self.cap: int | None = None  # today's cap in minutes

    def compose(self) -> ComposeResult:
        app = self.app
        points = app.get_library().points
        try:  # the steps this profile may do today: the zones they touch
            today_routine = app.planner.routine_fit(self.routine.id, app.today).routine
        except (BadInput, Refused, StoreError):
            today_routine = self.routine
        self.zones = routine_zones(today_routine, points)
        self.total = today_routine.total_seconds
        try:
            self.cap = app.planner.engine().cap(app.today)
        except StoreError:
            self.cap = None
        with Vertical(id="skin-box", classes="start-box"):
            yield Static(Content.assemble(("Skin check", "bold $text-accent"), " · ",
                                          self.routine.name), id="skin-title")
            yield Static(SKIN_QUESTION, id="skin-question", markup=False)
            yield OptionList(*(Option(self._prompt(z), id=z.zone) for z in self.zones),
                             id="skin-zones")
            yield Static(self._legend(), id="skin-legend", classes="muted")
            yield Static("", id="skin-left", markup=False)
            with Horizontal(classes="start-buttons"):
                yield Button("Start (enter)", id="skin-go", variant="primary", compact=True)
                yield Button("Unwell all over (u)", id="skin-unwell", variant="warning",
                             compact=True)
                yield Button("Cancel (esc)", id="skin-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#skin-box").border_title = "Before you start"
        ol = self.query_one("#skin-zones", OptionList)
        ol.highlighted = 0 if self.zones else None
        ol.focus()
        self._show_left()

    def _legend(self) -> Content:
        keys = [f"{k} {_short(w)}" for k, (w, _) in zip(REASON_KEYS, SKIN_CHECK_REASONS,
                                                          strict=True)]
        return Content("Mark: " + " · ".join(keys[:4]) + "\n" + " " * 6
                       + " · ".join([*keys[4:], f"{CLEAR_KEY} fine", "m list",
                                     "d until a date"]))

    def _prompt(self, z: ZoneInfo) -> Content:
        steps = f"{z.steps} step{'s' if z.steps != 1 else ''}, {_clock(z.seconds)}"
        name = z.zone.replace("-", " ")
        reason = self.marked.get(z.zone)
        if reason is None:
            return Content.assemble(f"  {name:<13}", (f"{steps:<16}", "$text-muted"), "fine")
        until = self.until.get(z.zone)
        when = f" · until {until.isoformat()}" if until else " · today"
        return Content.assemble(("✕ ", "bold $text-warning"), (f"{name:<13}", "bold"),
                                (f"{steps:<16}", "$text-muted"),
                                (f"left out: {_short(reason)}{when}", "$text-warning"))

    def _refresh_zone(self, zone: str) -> None:
        ol = self.query_one("#skin-zones", OptionList)
        index = next(i for i, z in enumerate(self.zones) if z.zone == zone)
        ol.replace_option_prompt_at_index(index, self._prompt(self.zones[index]))
        self._show_left()

    def _show_left(self) -> None:
        """What marking these zones leaves of the routine (read, not written)."""
        left = self.query_one("#skin-left", Static)
        if not self.marked:
            left.update("Nothing marked: enter starts the routine as it is.")
            left.set_class(False, "-refused")
            return
        seconds = self.total - sum(z.seconds for z in self.zones if z.zone in self.marked)
        n = len(self.marked)
        gone = f"{n} zone{'s' if n != 1 else ''} left out"
        if seconds < 300:
            left.update(f"{gone}: {_clock(max(0, seconds))} would be left, under the "
                        "5-minute minimum; the session cannot start.")
        else:
            capped = ("" if self.cap is None or seconds <= self.cap * 60
                      else f", shortened to today's {self.cap} minutes")
            left.update(f"{gone}: {_clock(seconds)} of the routine is left{capped}.")
        left.set_class(seconds < 300, "-refused")

    @property
    def highlighted_zone(self) -> ZoneInfo | None:
        """The zone under the list's cursor."""
        index = self.query_one("#skin-zones", OptionList).highlighted
        return self.zones[index] if index is not None and index < len(self.zones) else None

    # ------------------------------------------------------------ marking

    def action_set_reason(self, index: int) -> None:
        z = self.highlighted_zone
        if z is None or self.saving:
            return
        self._mark(z.zone, "" if index < 0 else SKIN_CHECK_REASONS[index][0])

    def _mark(self, zone: str, reason: str) -> None:
        if reason:
            self.marked[zone] = reason
        else:
            self.marked.pop(zone, None)
            self.until.pop(zone, None)
        self._refresh_zone(zone)

    def action_mark(self) -> None:
        z = self.highlighted_zone
        if z is None or self.saving:
            return

        def picked(reason: str | None) -> None:
            if reason is not None:
                self._mark(z.zone, reason)

        self.app.push_screen(ReasonPickerScreen(z.zone, self.marked.get(z.zone)), picked)

    @on(OptionList.OptionSelected, "#skin-zones")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#skin-zones", OptionList).highlighted = event.option_index
        self.action_mark()

    def action_until(self) -> None:
        z = self.highlighted_zone
        if z is None or self.saving:
            return
        reason = self.marked.get(z.zone)
        if reason is None:
            self.app.notify(f"Mark the {z.zone.replace('-', ' ')} with a reason first "
                            "(1–6, or m for the list).", severity="warning")
            return

        def given(answer: tuple[date | None] | None) -> None:
            if answer is None:
                return
            if answer[0] is None:
                self.until.pop(z.zone, None)
            else:
                self.until[z.zone] = answer[0]
            self._refresh_zone(z.zone)

        self.app.push_screen(UntilScreen(z.zone, reason, self.until.get(z.zone)), given)

    # ------------------------------------------------------------ answers

    def action_go(self) -> None:
        focused = self.focused
        if isinstance(focused, Button) and focused.id != "skin-go":
            focused.press()
            return
        if self.saving:
            return
        skipped = dict(self.marked)
        until = {z: d for z, d in self.until.items() if z in skipped}
        answer = SkinCheck(skipped, until)
        if not until:
            self.dismiss(answer)
            return

        def store(planner) -> None:  # the zones given an end date become exclusions
            for zone, day in until.items():
                planner.exclude(zone, skipped[zone], day)

        def failed(exc: BaseException) -> None:
            self.app.notify_error(exc)
            self.dismiss(None)

        def stored(_none) -> None:
            self.dismiss(answer)

        self.write(store, stored, failed)

    def action_unwell(self) -> None:
        if not self.saving:
            self.dismiss(SkinCheck({}, {}, unwell=True))

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = {"skin-go": self.action_go, "skin-unwell": self.action_unwell}.get(
            event.button.id or "", self.action_cancel)
        if event.button.id == "skin-go":
            self.query_one("#skin-zones", OptionList).focus()
        action()

    def show_saving(self, saving: bool) -> None:
        self.set_class(saving, "-saving")
        button = self.query_one("#skin-go", Button)
        button.label = "Saving…" if saving else "Start (enter)"
        button.disabled = saving


# ------------------------------------------------------------------ the flow

def ask_before_session(app: AcuplanApp, routine) -> None:
    """Preparation, then the skin check, then the session (or why not)."""
    try:
        ticked = app.planner.profile().preparation
    except StoreError as exc:
        app.show_store_error(exc)
        return

    def prepared(answers: tuple[str, ...] | None) -> None:
        if answers is not None:
            app.push_screen(SkinCheckScreen(routine), checked)

    def checked(answer: SkinCheck | None) -> None:
        if answer is None:
            return
        if answer.unwell:
            no_session_today(app)
            return
        open_session(app, routine, answer.skipped)

    # Pushed from the app's own queue: the answers come back to the app, also when the
    # start was asked from a dialog that has closed meanwhile (the routine picker).
    app.call_later(app.push_screen, PreparationScreen(routine, ticked), prepared)


def open_session(app: AcuplanApp, routine, skipped: dict[str, str]) -> bool:
    """The session with the zones of the skin check left out, if what is left still lasts
    5 minutes and today allows it; else say why (the zone named) and open nothing."""
    from planner.app.screens.session import SessionScreen

    try:
        if skipped:
            fit = app.planner.routine_fit(routine.id, app.today, skipped)
            if not fit.fits:
                app.refuse_routine(routine, fit.reasons, "started today")
                return False
        prepared = app.planner.prepare_session(routine, skipped)
        app.planner.start_check(prepared.minutes)  # the journal may have changed meanwhile
    except (Refused, BadInput, StoreError) as exc:
        app.notify_error(exc)
        return False
    app.push_screen(SessionScreen(prepared))
    return True


def no_session_today(app: AcuplanApp) -> None:
    """Skin unwell all over: no session, nothing logged; offer a check-in or a pause."""
    message = UNWELL_ALL_OVER.message
    paragraphs = [message[0].upper() + message[1:] + ".",
                  "A check-in keeps a note of how your skin is. A pause stops sessions "
                  "for a while (illness, irritated skin, …) and your streak waits."]

    def answered(choice: str | None) -> None:
        if choice == "checkin":
            app.open_skin_form("checkin")
        elif choice == "pause":
            from planner.app.forms.pause import PauseFormScreen

            app.push_screen(PauseFormScreen())

    app.push_screen(ChoiceScreen(
        "No session today", paragraphs,
        [Choice("checkin", "Log a check-in", "c", "primary"),
         Choice("pause", "Pause sessions", "p"),
         Choice("close", "Close", "escape")], cancel="close", tone="warning"), answered)


__all__ = ["PreparationScreen", "SkinCheckScreen", "SkinCheck", "ReasonPickerScreen",
           "UntilScreen", "ask_before_session", "open_session", "no_session_today",
           "routine_zones"]
