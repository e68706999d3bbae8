"""The guided session: one step at a time with a countdown, never past today's cap.

The countdown is driven by `tick(seconds)`: a timer calls it once per second of
real time divided by `time_scale`, and tests call it directly, so a whole session
runs in a test without sleeping.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Digits, Footer, Header, ProgressBar, Static

from planner.app.base import AppScreen
from planner.app.styles import SCREENS_CSS
from planner.app.widgets.choice import Choice, ChoiceScreen
from planner.app.widgets.routine_view import TECHNIQUE_WORDS, side_words
from planner.app.writes import Writes
from planner.domain.vocabulary import TECHNIQUES, ZONES
from planner.service.planner import BadInput, PreparedSession, Refused
from planner.store.errors import StoreError

if TYPE_CHECKING:
    from textual.timer import Timer

AFTERCARE = (
    "Finish with a plain, fragrance-free moisturiser to calm and protect the skin.",
    "For the next 2 days avoid actives: retinoids, acids, scrubs and peels. Let the skin rest.",
    "Clean your tools (gua sha stone, roller) with mild soap and warm water, rinse, and let "
    "them dry fully in the air.",
    "Store them dry, in a case or a drawer out of reach of children and pets.",
    "Some pinkness that fades within an hour is common. Bruising, broken skin, burning or "
    "swelling is a reaction: log it, and stop if it gets worse.",
)


def _words(text: str | None) -> str:
    return (text or "").replace("-", " ")


ACTION_WORDS = {"press-hold": "press and hold", "circle": "small circles", "stroke": "stroke",
                "roll": "roll"}
# The library's hyphenated words, as the user reads them ("gua-sha" → "gua sha"); point
# codes such as EX-HN3 are not among them and keep their hyphen.
_VOCABULARY = re.compile(r"\b(" + "|".join(
    re.escape(w) for w in sorted((*TECHNIQUES, *ZONES), key=len, reverse=True)
    if "-" in w) + r")\b")


def plain_words(text: str) -> str:
    """A text from the service ("gua-sha · jaw") with the library's words spelt out."""
    return _VOCABULARY.sub(lambda m: TECHNIQUE_WORDS.get(m.group(1), _words(m.group(1))),
                           text)


def technique_words(step) -> str:
    return TECHNIQUE_WORDS.get(step.technique, _words(step.technique))


def step_where(step, points) -> str:
    """Where a step works, without repeating its technique: the point ("LI4 (Hegu)"),
    else the zone in words ("under eye")."""
    if step.point:
        p = points.get(step.point)
        return p.label if p else step.point
    return _words(step.zone)


def step_words(step, points) -> str:
    """"gua sha · neck", "acupressure · LI4 (Hegu)": the technique once, in words."""
    return f"{technique_words(step)} · {step_where(step, points)}"


def clock(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


OUTCOME_HEAD = {
    # outcome: (mark, words, style)
    "completed": ("✓", "Session done", "bold $success"),
    "partial": ("◐", "Session ended early", "bold $warning"),
    "aborted": ("⊘", "Session stopped", "bold $error"),
}


class SessionScreen(Writes, AppScreen):
    """Runs a PreparedSession. At the end it is saved as completed, or as partial when
    steps were skipped; esc asks (save as partial, keep going, discard); `x` saves it as
    aborted; the app closing mid-session saves it as partial."""

    CSS_PATH = SCREENS_CSS
    TITLE = "Session"
    IN_SESSION = True
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("space", "pause", "Pause"),
        Binding("n", "skip", "Skip step"),
        Binding("right", "skip", "Skip step", show=False),
        Binding("x", "unwell", "Stop — I feel unwell"),
        Binding("escape", "finish_now", "End"),
        # after the session: the buttons show these keys, so the footer need not
        Binding("1", "react('none')", "No reaction", show=False),
        Binding("2", "react('mild')", "Mild: log it", show=False),
        Binding("3", "react('worse')", "Worse: log it", show=False),
        Binding("4", "react('skip')", "Skip check", show=False),
        Binding("escape", "leave", "Close"),
    ]

    def __init__(self, prepared: PreparedSession, *, time_scale: float | None = None) -> None:
        """`prepared`: the routine as today runs it (`Planner.prepare_session`)."""
        super().__init__()
        self.prepared = prepared
        self.steps = list(prepared.steps)
        self.index = 0
        self.remaining = self.steps[0].total_seconds if self.steps else 0
        self.elapsed = 0          # seconds actually spent on steps
        self.paused = False
        self.finished = False
        self.aborted = False
        self.session_id: str | None = None
        self.skipped: list[int] = []
        self.outcome: str | None = None  # what was saved
        self.time_scale = time_scale
        self._timer: Timer | None = None
        self._asking = False  # the end-early question is open

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="session-body"):
            yield Static("", id="session-head", markup=False)
            yield Static("", id="session-dropped", classes="muted", markup=False)
            with Vertical(id="step-card", classes="card"):
                for key, label in (("where", "Where"), ("how", "How"), ("meta", "Pressure")):
                    with Horizontal(classes="step-row"):
                        yield Static(label, classes="step-label", markup=False)
                        yield Static("", id=f"step-{key}", classes="step-value", markup=False)
                with Horizontal(id="countdown-row"):
                    yield Digits("0:00", id="step-digits")
                    yield Static("", id="step-countdown", markup=False)
            yield ProgressBar(total=max(1, self.prepared.total_seconds), show_eta=False,
                              id="session-progress")
            yield Static("", id="step-next", classes="muted", markup=False)
            yield Static("", id="step-list", markup=False)
            with Vertical(id="aftercare", classes="card"):
                for i, line in enumerate(AFTERCARE):
                    with Horizontal(classes="bullet-row"):
                        yield Static("•", classes="bullet", markup=False)
                        yield Static(line, classes="bullet-text", id=f"aftercare-{i}",
                                     markup=False)
                yield Static("How does your skin feel right now?", id="reaction-question",
                             markup=False)
                with Horizontal(classes="buttons"):
                    yield Button("1 No reaction", id="react-none", variant="success",
                                 compact=True)
                    yield Button("2 Mild — log it", id="react-mild", variant="warning",
                                 compact=True)
                    yield Button("3 Worse — log it", id="react-worse", variant="error",
                                 compact=True)
                    yield Button("4 Skip", id="react-skip", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        r = self.prepared.routine
        self.sub_title = f"{r.name} · {self.prepared.minutes} min"
        self.query_one("#aftercare").display = False
        self.query_one("#aftercare").border_title = "Aftercare"
        scale = self.time_scale if self.time_scale is not None else getattr(
            self.app, "session_time_scale", 1.0)
        self.time_scale = scale or 1.0
        dropped = self.query_one("#session-dropped", Static)
        if self.prepared.dropped:
            dropped.update(Content("Left out today: " + "; ".join(
                f"{plain_words(what)} ({plain_words(why)})"
                for what, why in self.prepared.dropped)))
        else:
            dropped.display = False
        self._timer = self.set_interval(1.0 / self.time_scale, self._on_timer,
                                        name="session-countdown")
        self._render_step()

    def _on_timer(self) -> None:
        self.tick(1)

    # ------------------------------------------------------------ the clock

    def tick(self, seconds: int = 1) -> None:
        """Advance the countdown by `seconds` (across steps); ignored while paused."""
        if self.paused or self.finished or seconds <= 0:
            return
        left = int(seconds)
        while left > 0 and not self.finished:
            use = min(left, self.remaining)
            self.remaining -= use
            self.elapsed += use
            left -= use
            if self.remaining <= 0:
                self._next_step()
        if not self.finished:
            self._render_step()

    def _next_step(self) -> None:
        self.index += 1
        if self.index >= len(self.steps):
            self.finish()
            return
        self.remaining = self.steps[self.index].total_seconds

    @property
    def position(self) -> int:
        """Seconds of the routine behind us (skipped steps count as passed)."""
        done = sum(s.total_seconds for s in self.steps[: self.index])
        if self.index < len(self.steps):
            done += self.steps[self.index].total_seconds - self.remaining
        return done

    # ------------------------------------------------------------ render

    def _render_step(self) -> None:
        if self.finished or not self.steps:
            return
        step = self.steps[self.index]
        points = self.prepared.points
        point = points.get(step.point) if step.point else None
        n, total = self.index + 1, len(self.steps)
        self.query_one("#session-head", Static).update(Content.assemble(
            (f"Step {n} of {total}", "bold"), " · ", (technique_words(step), "bold $accent"),
            " · ", step_where(step, points)))
        card = self.query_one("#step-card")
        action = ACTION_WORDS.get(step.action, _words(step.action))
        card.border_title = action[:1].upper() + action[1:]
        where = point.location if point else f"{_words(step.zone)}"
        self.query_one("#step-where", Static).update(
            Content(f"{where} · {side_words(step)}"))
        self.query_one("#step-how", Static).update(Content(step.how or action))
        reps = f" · {step.repetitions} × {step.seconds} s" if step.repetitions > 1 else ""
        direction: list = [("   Direction ", "bold"), _words(step.direction)] \
            if step.direction else []
        self.query_one("#step-meta", Static).update(Content.assemble(
            (step.pressure, "bold"), *direction, reps))
        rep_now = ""
        if step.repetitions > 1 and step.seconds > 0:
            done_s = step.total_seconds - self.remaining
            rep_now = f" · repetition {min(step.repetitions, done_s // step.seconds + 1)}" \
                      f" of {step.repetitions}"
        self.query_one("#step-digits", Digits).update(clock(self.remaining))
        self.query_one("#step-digits").set_class(self.paused, "-paused")
        self.query_one("#step-countdown", Static).update(Content.assemble(
            ("\n⏱ ", "$accent"), (clock(self.remaining), "bold"), " left in this step", rep_now,
            ("\n⏸ paused — space resumes" if self.paused else "", "bold $warning")))
        bar = self.query_one("#session-progress", ProgressBar)
        bar.update(progress=self.position)
        if self.index + 1 < len(self.steps):
            nxt = self.steps[self.index + 1]
            self.query_one("#step-next", Static).update(
                f"Next: {step_words(nxt, points)} · "
                f"{clock(nxt.total_seconds)}    Routine left: "
                f"{clock(self.prepared.total_seconds - self.position)}")
        else:
            self.query_one("#step-next", Static).update(
                f"Last step. Routine left: {clock(self.prepared.total_seconds - self.position)}")
        self._render_list()

    @property
    def aftercare_text(self) -> str:
        return "\n".join(AFTERCARE)

    def _render_list(self) -> None:
        points = self.prepared.points
        lines = []
        for i, st in enumerate(self.steps):
            if i in self.skipped:
                mark, style = "↷", "$text-muted"
            elif i < self.index:
                mark, style = "✓", "$success"
            elif i == self.index and not self.finished:
                mark, style = "▶", "bold $accent"
            else:
                mark, style = " ", ""
            lines.append(Content.assemble(
                (f" {mark} ", style),
                (f"{i + 1:>2}. {step_words(st, points)}",
                 "bold" if mark == "▶" else ""),
                (f"  {clock(st.total_seconds)}", "$text-muted")))
        self.query_one("#step-list", Static).update(Content("\n").join(lines))

    # ------------------------------------------------------------ actions

    def check_action(self, action: str, parameters) -> bool | None:
        running = ("pause", "skip", "unwell", "finish_now")
        after = ("react", "leave")
        if action in running:
            return not self.finished
        if action in after:  # once the session is saved
            return self.finished and not self.aborted and self.outcome is not None \
                and not self.saving
        return True

    def action_pause(self) -> None:
        self.paused = not self.paused
        self._render_step()

    def action_skip(self) -> None:
        if self.finished:
            return
        self.skipped.append(self.index)
        self._next_step()
        if not self.finished:
            self._render_step()

    def _minutes_spent(self) -> int:
        return max(1, math.ceil(self.elapsed / 60))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _logging(self, outcome: str, note: str = ""):
        """The write that saves this session as `outcome` (run it in a write worker)."""
        day, minutes, routine = self.app.today, self._minutes_spent(), self.prepared.routine.id

        def log(planner):
            return planner.log_session(day, minutes, routine=routine, outcome=outcome,
                                       note=note)

        return log

    def _saved(self, logged, outcome: str) -> None:
        self.session_id = logged.id
        self.outcome = outcome

    def action_unwell(self) -> None:
        """Stop at once, save the session as aborted, open the reaction form."""
        if self.finished:
            return
        self.finished = True
        self.aborted = True
        self._stop_timer()
        app = self.app

        def saved(logged) -> None:
            self._saved(logged, "aborted")
            app.notify("Session stopped and saved as aborted. Log how your skin is; if you "
                       "have any warning sign, get help first.", title="Stopped",
                       severity="warning", timeout=8)
            self.dismiss(logged.id)
            app.open_skin_form("reaction", logged.id)

        def failed(exc: BaseException) -> None:
            app.notify_error(exc)
            self.dismiss(None)

        self.write(self._logging("aborted", "stopped: felt unwell"), saved, failed)

    def action_finish_now(self) -> None:
        """End early: never saved silently. Asks: save as partial (the minutes done so far),
        keep going, or discard. The countdown holds while it asks."""
        if self.finished or self._asking:
            return
        was_paused = self.paused
        self.paused = True
        self._asking = True
        self._render_step()
        minutes = self._minutes_spent()
        n, total = min(self.index + 1, len(self.steps)), len(self.steps)
        if self.elapsed > 0:
            choices = [Choice("save", f"Save as partial ({minutes} min done)", "s", "primary"),
                       Choice("keep", "Keep going", "k", "success"),
                       Choice("discard", "Discard", "d", "error")]
            paragraphs = [
                f"You are on step {n} of {total}, {clock(self.elapsed)} done.",
                "Saved as partial, it counts for spacing and the streak like a completed "
                "session, but not towards longer sessions. Discard saves nothing.",
            ]
        else:
            choices = [Choice("keep", "Keep going", "k", "success"),
                       Choice("discard", "End, save nothing", "d", "error")]
            paragraphs = ["Nothing has been done yet, so there is nothing to save."]

        def answered(choice: str | None) -> None:
            self._asking = False
            if self.finished:  # e.g. saved as partial because the app closed meanwhile
                return
            if choice == "save":
                self.finish("partial", "ended early")
            elif choice == "discard":
                self.finished = True
                self._stop_timer()
                self.app.notify("Session discarded; nothing was saved.", title="Session")
                self.dismiss(None)
            else:
                self.paused = was_paused
                self._render_step()

        self.app.push_screen(ChoiceScreen("End the session now?", paragraphs, choices,
                                          cancel="keep", tone="warning"), answered)

    def save_on_quit(self) -> None:
        """The app is closing mid-session (no answer given): keep what was done, as partial."""
        if self.finished or self.elapsed == 0:
            return
        self.finished = True
        self._stop_timer()
        try:  # on the event loop: the app is closing, a worker might not get to run
            self._saved(self._logging("partial", "ended when the app was closed")(
                self.app.planner), "partial")
        except (BadInput, Refused, StoreError):
            pass  # the app is closing and cannot show it; the journal is left as it was

    def finish(self, outcome: str | None = None, note: str = "") -> None:
        """Save the session: as `outcome` when given (esc: partial), else completed when
        every step ran, partial when steps were skipped (it did not run to the end)."""
        if self.finished:  # saved (or being saved) already, or discarded
            return
        self.finished = True
        self._stop_timer()
        app = self.app
        if self.elapsed == 0:  # every step skipped: nothing happened, nothing to save
            app.notify("Every step was skipped; no session was saved.", severity="warning")
            self.dismiss(None)
            return
        if outcome is None:
            outcome = "partial" if self.skipped else "completed"
            if self.skipped:
                note = f"{len(self.skipped)} of {len(self.steps)} steps skipped"

        def saved(logged) -> None:
            self._saved(logged, outcome)
            self._show_aftercare(logged)

        def failed(exc: BaseException) -> None:
            app.notify_error(exc)
            self.dismiss(None)

        self.write(self._logging(outcome, note), saved, failed)

    def _show_aftercare(self, logged) -> None:
        self.query_one("#step-card").display = False
        self.query_one("#step-next").display = False
        self.query_one("#step-list").display = False
        self.query_one("#session-dropped").display = False
        bar = self.query_one("#session-progress", ProgressBar)
        bar.update(progress=(bar.total or self.position) if self.outcome == "completed"
                   else self.position)
        mark, words, style = OUTCOME_HEAD[self.outcome or "completed"]
        parts: list = [(f"{mark} {words}", style),
                       f" · {logged.record.minutes} min saved as {self.outcome}"]
        if self.skipped:
            n = len(self.skipped)
            parts.append(f" · {n} step{'s' if n != 1 else ''} skipped: a routine with "
                         "skipped steps did not run to the end")
        for r in logged.violations:
            parts.append((f"\n! {r.rule}: {r.message}", "$warning"))
        self.query_one("#session-head", Static).update(Content.assemble(*parts))
        self.query_one("#aftercare").display = True
        self.query_one("#react-none", Button).focus()
        self.refresh_bindings()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = {"react-none": "none", "react-mild": "mild", "react-worse": "worse",
                  "react-skip": "skip"}.get(event.button.id or "")
        if choice:
            self.action_react(choice)

    def action_react(self, choice: str) -> None:
        if not self.finished or self.aborted or self.saving:
            return
        app = self.app
        sid = self.session_id

        def close(_result=None) -> None:
            self.dismiss(sid)
            if choice in ("mild", "worse") and sid:
                if choice == "worse":
                    app.notify("Log what you see. With a warning sign (swelling, pus, fever, "
                               "redness that spreads) get help first.", title="Reaction",
                               severity="warning", timeout=8)
                app.open_skin_form("reaction", sid)

        if choice == "none" and sid:
            def noted(_record) -> None:
                app.notify("Noted: no reaction.")
                close()

            def failed(exc: BaseException) -> None:
                app.notify_error(exc)
                close()

            self.write(lambda p: p.log_skin("reaction", app.today, session_id=sid), noted,
                       failed)
            return
        close()

    def action_leave(self) -> None:
        self.action_react("skip")

    def on_screen_suspend(self) -> None:
        """Help or the palette on top: hold the countdown until the user is back."""
        if not self.finished and not self.paused:
            self.paused = True
            self._auto_paused = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_auto_paused", False):
            self._auto_paused = False
            if self.is_mounted and not self.finished:
                self._render_step()

    def on_unmount(self) -> None:
        """Leaving the screen ends the session: one still under way when the app closes
        by any way (not ctrl+q, which saved already) is kept as partial too."""
        self._stop_timer()
        self.save_on_quit()


__all__ = ["SessionScreen", "AFTERCARE", "clock"]
