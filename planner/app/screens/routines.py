"""Routines: the library with filters, a detail view of every step, and the builder.

The builder turns concerns, techniques and minutes into a routine that keeps to
today's cap and the profile (excluded zones, points avoided for a condition,
light gua sha), shows what it dropped and why, and saves it as a user routine.
Routine names and texts come from files and are always shown as plain text.
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.selection_list import Selection

from planner.app.base import AppScreen
from planner.app.forms.dialogs import RECORDS_CSS, ConfirmScreen, FieldError, guard, parse_int
from planner.app.screens.section import ShowsJournal
from planner.app.widgets.routine_view import TECHNIQUE_WORDS, RoutineView, duration
from planner.app.widgets.tables import cursor_row_key
from planner.app.widgets.ticks import TickSelectionList
from planner.app.writes import Writes
from planner.domain.routine import Routine
from planner.domain.vocabulary import CONCERNS, TECHNIQUES
from planner.service.planner import BadInput

MIN_BUILD_MINUTES = 5
MAX_BUILD_MINUTES = 30
NAME_LIMIT = 80


def _library(app):
    return app.get_library()


def length(routine: Routine) -> str:
    """A routine's length as this screen shows it everywhere: exact ("5 min 30 s"), as in
    the detail's total (`Routine.minutes` rounds up, for the cap)."""
    return duration(routine.total_seconds)


def techniques(routine: Routine) -> str:
    return ", ".join(TECHNIQUE_WORDS.get(t, t) for t in routine.techniques)


YOURS = " (yours)"  # after the name of a user routine, as `acuplan routines list` marks it

# The list's columns: (key, header). The name is never cut (a long one wraps); the
# concerns column is shown when the width leaves it room (they are in the detail too).
COLUMNS = {"star": "", "name": "Name", "length": "Length", "tech": "Techniques",
           "concerns": "Concerns"}
MIN_CONCERNS = 16
MIN_TECH = 12
MAX_NAME = 40


def _lines(shown: list[Routine], tech: int, concerns: int) -> int:
    """The table's height in lines with these two columns wrapping."""
    def height(text: str, width: int) -> int:
        return len(textwrap.wrap(text, width, break_on_hyphens=False)) or 1

    return sum(max(height(techniques(r), tech), height(", ".join(r.concerns), concerns))
               for r in shown)


def column_widths(width: int, shown: list[Routine], padding: int = 1,
                  scrollbar: int = 2) -> dict[str, int]:
    """Column key -> content width for a table `width` cells wide (cells wrap to it)."""
    def longest(texts, floor: int) -> int:
        return max([floor, *map(len, texts)])

    name = min(MAX_NAME, longest((r.name + (YOURS if r.source == "user" else "")
                                  for r in shown), len("Name")))
    size = longest(map(length, shown), len("Length"))
    tech = longest(map(techniques, shown), len("Techniques"))
    concerns = longest((", ".join(r.concerns) for r in shown), len("Concerns"))
    room = width - scrollbar - 2 * padding * len(COLUMNS) - 1 - size
    if room - name - MIN_TECH >= MIN_CONCERNS:
        rest = room - name
        if tech + concerns > rest:  # both cannot be whole: the split with the fewest lines
            tech = min(range(MIN_TECH, min(tech, rest - MIN_CONCERNS) + 1),
                       key=lambda w: (_lines(shown, w, rest - w), -w))
        return {"star": 1, "name": name, "length": size, "tech": tech,
                "concerns": min(concerns, rest - tech)}
    room += 2 * padding  # no concerns column: its padding is free too
    tech = max(MIN_TECH, min(tech, room - name))
    return {"star": 1, "name": max(len("Name"), min(name, room - tech)), "length": size,
            "tech": tech}


# ------------------------------------------------------------------- list

class RoutinesScreen(ShowsJournal, AppScreen):
    """The library: filter, read the steps, start one, or build your own."""

    CSS_PATH = RECORDS_CSS

    TITLE = "Routines"
    BINDINGS = [
        Binding("s", "start", "Start"),
        Binding("b", "builder", "Builder"),
        Binding("f", "filter", "Filter"),
        Binding("x", "clear_filter", "Clear filter"),
        Binding("g", "toggle_starters", "Starters only"),
    ]

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.routines: dict[str, Routine] = {}
        self.starters_only = False
        self.select_after: str | None = None
        self._files: tuple | None = None
        self._widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(classes="rec-body"):
            with Horizontal(classes="rec-toolbar rec-filter-row"):
                yield Select([("any technique", "all")] + [(TECHNIQUE_WORDS[t], t)
                                                           for t in TECHNIQUES],
                             allow_blank=False, value="all", id="r-technique", compact=True)
                yield Select([("any concern", "all")] + [(c, c) for c in CONCERNS],
                             allow_blank=False, value="all", id="r-concern", compact=True)
                yield Static("", id="r-count", classes="rec-toolbar-info")
            yield Static("", id="r-issues", classes="rec-warning")
            yield DataTable(id="routines-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="routine-detail", classes="rec-detail-pane"):
                yield Static("", id="routine-today", classes="rec-today-line")
                yield RoutineView(id="routine-text")
        yield Footer(compact=True)

    @guard
    def on_mount(self) -> None:
        self.title = "acuplan · Routines"
        table = self.query_one("#routines-table", DataTable)
        self.loaded()
        self.refresh_data()
        table.focus()

    # ............................................................. data

    @guard
    def _user_files(self) -> tuple:
        folder = self.app.planner.user_routines_dir
        try:
            return tuple(sorted((f.name, f.stat().st_mtime_ns, f.stat().st_size)
                                for f in folder.glob("*.toml")))
        except OSError:
            return ()

    def is_stale(self) -> bool:
        """The journal changed, or the user's routine files did (e.g. from the CLI)."""
        return super().is_stale() or self._user_files() != self._files

    def refresh_data(self) -> None:
        if not self.query("#routines-table"):
            return  # not composed yet: on_mount loads it
        files = self._user_files()
        if self._files is not None and files != self._files:
            self.app.reload_library()  # routine files changed on disk (e.g. from the CLI)
        self._files = files
        lib = _library(self.app)
        self.routines = dict(lib.routines)
        issues = lib.issues
        warn = self.query_one("#r-issues", Static)
        if issues:
            first = issues[0]
            more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
            warn.update(Content(f"⚠ not loaded: {first}{more}"))
            warn.display = True
        else:
            warn.display = False
        self._fill()

    def _matches(self, r: Routine) -> bool:
        tech = self.query_one("#r-technique", Select).value
        concern = self.query_one("#r-concern", Select).value
        if tech not in ("all", Select.NULL) and tech not in r.techniques:
            return False
        if concern not in ("all", Select.NULL) and concern not in r.concerns:
            return False
        return r.starter or not self.starters_only

    def _shown(self) -> list[Routine]:
        return sorted((r for r in self.routines.values() if self._matches(r)),
                      key=lambda r: (r.source != "user", not r.starter, r.total_seconds,
                                     r.name))

    def _column_widths(self, shown: list[Routine]) -> dict[str, int]:
        table = self.query_one("#routines-table", DataTable)  # as wide as the screen
        return column_widths(self.app.size.width, shown, table.cell_padding,
                             table.styles.scrollbar_size_vertical)

    def on_resize(self) -> None:
        """A narrower or wider terminal: lay the columns out again (if they change)."""
        if self.query("#routines-table") and self.routines and \
                self._column_widths(self._shown()) != self._widths:
            self._fill()

    def _fill(self) -> None:
        table = self.query_one("#routines-table", DataTable)
        keep = self.select_after or self.current_id()
        self.select_after = None
        shown = self._shown()
        self._widths = self._column_widths(shown)
        table.clear(columns=True)
        for key, width in self._widths.items():
            table.add_column(COLUMNS[key], key=key, width=width)
        for r in shown:
            name = Text(r.name)
            if r.source == "user":
                name.append(YOURS, style="dim")
            cells = {"star": Text("★" if r.starter else ""), "name": name,
                     "length": Text(length(r)), "tech": Text(techniques(r)),
                     "concerns": Text(", ".join(r.concerns))}
            # height None: a cell longer than its column wraps onto more lines, never cut
            table.add_row(*(cells[key] for key in self._widths), key=r.id, height=None)
        if keep and any(r.id == keep for r in shown):
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        extra = " · starters only" if self.starters_only else ""
        self.query_one("#r-count", Static).update(
            f"{len(shown)} of {len(self.routines)} routines{extra} · enter starts")
        self._show_detail()

    def current_id(self) -> str | None:
        return cursor_row_key(self.query_one("#routines-table", DataTable))

    def current(self) -> Routine | None:
        rid = self.current_id()
        return self.routines.get(rid) if rid else None

    def _show_detail(self) -> None:
        r = self.current()
        text = self.query_one("#routine-text", RoutineView)
        today = self.query_one("#routine-today", Static)
        if r is None:
            text.show_message("No routine matches these filters (x clears them).")
            today.update("")
            return
        planner = self.app.planner
        verdict = planner.check(planner.today)
        cap = planner.engine().cap(planner.today)
        if not any(x.rule != "duration" for x in verdict.reasons):
            line = f"Today: up to {cap} minutes allowed"
            if r.minutes > cap:
                line += f" — this routine ({length(r)}) will be shortened to fit"
        else:
            line = "Today: no session — " + "; ".join(
                x.message for x in verdict.reasons if x.rule != "duration")
        try:
            fit = planner.routine_fit(r.id, planner.today)
        except BadInput:
            fit = None
        if fit is not None and not fit.fits:
            line += "\n✕ Cannot be started: " + "; ".join(x.message for x in fit.reasons)
        elif fit is not None and fit.dropped:
            line += "\nLeft out for your profile: " + "; ".join(
                f"{d.what} ({d.reason})" for d in fit.dropped)
        today.update(Content(line))
        text.show(r, _library(self.app).points)

    @on(DataTable.RowHighlighted, "#routines-table")
    @guard
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.query_one("#routine-detail", VerticalScroll).scroll_home(animate=False)

    @on(DataTable.RowSelected, "#routines-table")
    @guard
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_start()

    @on(Select.Changed, "#r-technique, #r-concern")
    @guard
    def _filter_changed(self, event: Select.Changed) -> None:
        self._fill()

    # .......................................................... actions

    @guard
    def action_start(self) -> None:
        r = self.current()
        if r is None:
            self.app.notify("Choose a routine first.", severity="warning")
            return
        self.app.start_session(r)

    @guard
    def action_builder(self) -> None:
        def done(new_id: str | None) -> None:
            if new_id:
                self.select_after = new_id
                self.query_one("#r-technique", Select).value = "all"
                self.query_one("#r-concern", Select).value = "all"
                self.starters_only = False
            self.refresh_data()

        self.app.push_screen(BuilderScreen(), done)

    @guard
    def action_filter(self) -> None:
        self.query_one("#r-technique", Select).focus()

    @guard
    def action_clear_filter(self) -> None:
        self.starters_only = False
        self.query_one("#r-technique", Select).value = "all"
        self.query_one("#r-concern", Select).value = "all"
        self._fill()

    @guard
    def action_toggle_starters(self) -> None:
        self.starters_only = not self.starters_only
        self._fill()


# ---------------------------------------------------------------- builder

class BuilderScreen(Writes, ShowsJournal, AppScreen[str | None]):
    """Concerns, techniques and minutes -> a preview within today's limits -> save."""

    CSS_PATH = RECORDS_CSS

    TITLE = "Routine builder"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save routine", priority=True),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.build_result = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(classes="rec-body"):
            with VerticalScroll(id="builder-form"):
                yield Label("Concerns (none = any)", classes="rec-label-wide")
                yield TickSelectionList(*[Selection(c, c) for c in CONCERNS], id="b-concerns")
                yield Label("Techniques (none = any)", classes="rec-label-wide")
                yield TickSelectionList(*[Selection(TECHNIQUE_WORDS[t], t) for t in TECHNIQUES],
                                         id="b-techniques")
                with Horizontal(classes="rec-row"):
                    yield Label("Minutes", classes="rec-label")
                    yield Input("10", id="b-minutes", max_length=3, classes="rec-num",
                                restrict=r"-?[0-9]*", compact=True)
                yield FieldError(id="err-minutes")
                yield Label("Name", classes="rec-label-wide")
                yield Input("", id="b-name", placeholder="e.g. My morning depuff",
                            max_length=NAME_LIMIT, compact=True)
                yield FieldError(id="err-name")
                with Horizontal(classes="rec-buttons"):
                    yield Button("Save (ctrl+s)", id="b-save", variant="primary", compact=True)
                    yield Button("Back (esc)", id="b-back", compact=True)
            with VerticalScroll(id="builder-preview", classes="rec-detail-pane"):
                yield Static("", id="b-notes", classes="rec-notes")
                yield RoutineView(id="b-preview")
                yield Static("", id="b-dropped", classes="rec-dropped")
        yield Footer(compact=True)

    @guard
    def on_mount(self) -> None:
        self.title = "acuplan · Routine builder"
        self.query_one("#b-concerns", SelectionList).focus()
        self.loaded()
        self.rebuild()

    @guard
    def refresh_data(self) -> None:
        if self.query("#b-preview"):
            self.rebuild()

    # .......................................................... building

    def _minutes(self) -> int | None:
        err = self.query_one("#err-minutes", FieldError)
        try:
            value = parse_int(self.query_one("#b-minutes", Input).value, MIN_BUILD_MINUTES,
                              MAX_BUILD_MINUTES, "minutes")
        except ValueError as e:
            err.show(str(e))
            return None
        err.clear()
        return value

    def _routine_name(self) -> str | None:
        name = self.query_one("#b-name", Input).value.strip()
        return name or None

    def build(self, name: str | None = None):
        """The routine the choices make for this profile within today's cap (the service
        builds it), or None while the minutes are wrong."""
        minutes = self._minutes()
        if minutes is None:
            return None
        result, _cap = self.app.planner.build_routine(
            list(self.query_one("#b-concerns", SelectionList).selected),
            list(self.query_one("#b-techniques", SelectionList).selected),
            minutes, name)
        return result

    def rebuild(self) -> None:
        planner = self.app.planner
        result = self.build(self._routine_name())
        self.build_result = result
        notes = self.query_one("#b-notes", Static)
        preview = self.query_one("#b-preview", RoutineView)
        dropped = self.query_one("#b-dropped", Static)
        if result is None:
            notes.update(Content("Fix the minutes to see a preview."))
            preview.show_message("")
            dropped.update("")
            return
        cap = planner.engine().cap(planner.today)
        lines = [f"Capped at {cap} minutes today (the ramp: short starts, then slowly longer)."]
        verdict = planner.check(planner.today)
        blocking = [r for r in verdict.reasons if r.rule != "duration"]
        if blocking:
            lines.append("No session today: " + "; ".join(r.message for r in blocking)
                         + ". You can still build and save it for later.")
        lines += [f"• {n}" for n in result.notes]
        notes.update(Content("\n".join(lines)))
        if result.routine is None:
            preview.show_message("\nNo routine: not enough safe steps for this choice.")
        else:
            preview.show(result.routine, _library(self.app).points)
        if result.dropped:
            parts: list = [("\nLeft out", "bold"), (f" ({len(result.dropped)})\n", "bold")]
            for d in result.dropped:
                parts.append(f"  ✗ {d.what} — {d.reason}\n")
            dropped.update(Content.assemble(*parts))
        else:
            dropped.update(Content("\nNothing left out for your profile."))

    @on(SelectionList.SelectedChanged)
    @guard
    def _selection_changed(self, event) -> None:
        self.rebuild()

    @on(Input.Changed, "#b-minutes, #b-name")
    @guard
    def _minutes_changed(self, event: Input.Changed) -> None:
        self.rebuild()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "b-name":
            self.action_save()
        else:
            self.rebuild()

    @on(Button.Pressed, "#b-save")
    @guard
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#b-back")
    @guard
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    # ............................................................ saving

    @guard
    def action_close(self) -> None:
        self.dismiss(None)

    @guard
    def action_save(self) -> None:
        err = self.query_one("#err-name", FieldError)
        err.clear()
        name = self._routine_name()
        if name is None:
            err.show("give the routine a name to save it")
            self.query_one("#b-name", Input).focus()
            return
        result = self.build(name)
        if result is None:
            return
        if result.routine is None:
            err.show("nothing to save: no safe steps for this choice")
            return
        routine = result.routine
        from planner.service.routine_files import file_holding

        folder = self.app.planner.user_routines_dir
        # the file that holds this id may have another name: saving beside it would leave
        # the new routine shadowed, so the question names it and the save replaces it
        holder, _holds_it = file_holding(folder, routine.id)
        target = holder or folder / f"{routine.id}.toml"
        if holder is not None:
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._write(routine, target.name)

            self.app.push_screen(ConfirmScreen(
                f"Replace your routine {routine.id!r}?",
                f"{target} already holds a routine with this id (or this file name).",
                yes_label="Replace"), confirmed)
            return
        self._write(routine)

    def _write(self, routine: Routine, file_name: str | None = None) -> None:
        """Save the routine as a user routine file (in a write worker)."""
        from planner.service.routine_files import save_routine

        folder = self.app.planner.user_routines_dir
        err = self.query_one("#err-name", FieldError)

        def saved(path) -> None:
            self.app.reload_library()
            self.app.notify(f"Saved {routine.name!r} to {path}", title="Routines",
                            markup=False)
            self.dismiss(routine.id)

        def failed(exc: BaseException) -> None:
            err.show(f"not saved: {exc}")

        self.write(lambda _planner: save_routine(routine, folder, file_name), saved,
                   failed, expected=(ValueError, OSError))
