"""Data in and out, in the app: export, import, restore a kept version, back up, merge.

Each is a palette command ("Data: export the journal", …; planner/app/commands.py) and a
row of Help; backup also has a key (B). Every write runs in a write worker (writes.py):

- Export: a file name (default ~/acuplan-export-<today>.json) and json or csv; never the
  journal itself or one of its kept versions; asks before replacing a file.
- Import: a JSON export, into an empty journal only (the service refuses otherwise and
  lists what is wrong with a file it cannot take). A new journal is empty until the
  safety notice is accepted, so import is offered on the first run too; once it is in,
  the first run closes (or starts again from what was imported: `after_replace` in
  planner/app/commands.py, as the forms import no screen).
- Restore: the kept versions, newest first; the one chosen replaces the journal after a
  confirmation (the current file is moved aside, never deleted).
- Backup: no questions, a JSON export with the user's routines into
  <journal folder>/backups/acuplan-<YYYY-MM-DD-HHMM>.json.
- Merge: another copy of this journal (a second computer's file, a sync tool's conflict
  copy) folded into it, as `acuplan merge OTHER.json` does (SPEC §10): a dry run first,
  whose report the dialog shows; a confirmation naming the counts and the conflicts; then
  the merge, and its report. The other file is only read; the screens reload on the
  write (JournalChanged).

The helpers that are not about the screen (`same_file_family`, `export_text`,
`read_import`, `read_copy`, `backup_path`) take no widget and could serve the CLI too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from planner.app.base import AppModalScreen
from planner.app.forms.dialogs import RECORDS_CSS, ConfirmScreen, FieldError, MessageScreen
from planner.app.forms.submit import SubmitForm, form_row
from planner.app.writes import EXPECTED, Writes
from planner.service.merge import APP_WAYS, BOTH, OTHER, THIS, report_lines
from planner.service.merge import counts_text as merged_counts
from planner.service.planner import BadInput
from planner.service.text import terminal_safe
from planner.store.errors import StoreError
from planner.store.layout import in_journal_family

if TYPE_CHECKING:
    from planner.app.app import AcuplanApp

IMPORT_LIMIT = 64 * 1024 * 1024  # SPEC §6: an export of decades is a few MiB
BACKUP_KEY, BACKUP_KEY_DISPLAY = "B", "B"
FORMATS = (("json: everything, re-importable", "json"), ("csv: for spreadsheets", "csv"),
           ("ics: your plans for a calendar program", "ics"),
           ("html: a report for a clinician", "html"),
           ("pdf: a report for a clinician", "pdf"))
EXTENSIONS = tuple(f for _, f in FORMATS)

# (name, palette label, palette help): what `run(app, name)` opens.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("export", "Data: export the journal",
     "json or csv, a calendar (.ics) or a clinician report (html, pdf), to a file you choose"),
    ("import", "Data: import an export", "a JSON export, into an empty journal"),
    ("restore", "Data: restore a kept version",
     "an earlier state of the journal; the current file is moved aside, never deleted"),
    ("backup", "Data: back up the journal",
     f"{BACKUP_KEY_DISPLAY} · a JSON export into backups/ beside the journal, no questions"),
    ("merge", "Data: merge another copy",
     "fold another copy of this journal (a second computer's file, a sync tool's conflict "
     "copy) into this one; the other file is only read"),
)
# While the first run is open the journal is still empty: what can fill it.
FIRST_RUN_COMMANDS = frozenset({"import", "restore"})

HELP_ROWS: tuple[tuple[str, str], ...] = (
    ("ctrl+p export", "export the journal (json or csv) to a file"),
    ("ctrl+p import", "import an export into an empty journal (also on the first run, "
                      "before the safety notice)"),
    ("ctrl+p restore", "put a kept version of the journal back (the current file is "
                       "moved aside, never deleted)"),
    (f"{BACKUP_KEY_DISPLAY} (shift+b)", "back up the journal now into backups/ beside it"),
    ("ctrl+p merge", "merge another copy of the journal into this one (a second "
                     "computer's file, a sync tool's conflict copy); the other file is "
                     "only read"),
)


# ---------------------------------------------------------------- no widgets


def shown(text: Any) -> str:
    """User text (a path, a file's complaint) on one line: control characters made
    visible, so a name cannot break the line or the layout."""
    s = "" if text is None else str(text)
    if s.isprintable():
        return s
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in s)


same_file_family = in_journal_family  # the store's rule, also for the CLI


def default_export_path(day: date, fmt: str = "json") -> str:
    what = {"ics": "plans", "html": "report", "pdf": "report"}.get(fmt, "export")
    return f"~/acuplan-{what}-{day.isoformat()}.{fmt}"


def export_bytes(planner, fmt: str) -> tuple[bytes, str]:
    """The calendar (ics) or the clinician report (html, pdf) as `acuplan calendar` and
    `acuplan report` write them, and what went in, in words."""
    if fmt == "ics":
        from planner.service.calendar_export import build_calendar

        cal = build_calendar(planner)
        stretches = f"{cal.blocked} blocked stretch{'es' if cal.blocked != 1 else ''}"
        return cal.data, f"{plural(cal.plans, 'plan')} and {stretches}"
    from planner.service.report import gather

    rep = gather(planner)
    if fmt == "html":
        from planner.service.report_html import render_html

        data = render_html(rep, "a4").encode("utf-8")
    else:
        from planner.service.report_pdf import render_pdf

        data = render_pdf(rep, "a4")
    return data, f"a report of {plural(len(rep.timeline), 'record')}"


def write_file(path: Path, data: bytes) -> str | None:
    """Write an export, a calendar or a report atomically (0600); BadInput saying why it
    could not be written. Returns a warning when the file is written but its folder could
    not be synced."""
    from planner.store.errors import JournalNotDurable, JournalWriteError
    from planner.store.exchange import write_private

    try:
        write_private(path, data)
    except JournalNotDurable as e:
        return f"written, but its folder could not be synced ({e.error.strerror or e.error})"
    except JournalWriteError as e:
        raise BadInput(f"cannot write {shown(path)}: {e.error.strerror or e.error}",
                       field="path") from None
    return None


def export_text(planner, fmt: str) -> tuple[str, int, int]:
    """(text, records, routines of the user's own) of an export of the whole journal, as
    `acuplan export` writes it: json with the user's routines; csv with each session's
    broken rules, as derived now."""
    from planner.store.exchange import export_csv, export_json

    snapshot = planner.journal.snapshot()
    records = sum(len(v) for v in snapshot.values())
    if fmt == "csv":
        broke = {s.id: s.violations for s in planner.state().history.sessions}
        snapshot = {**snapshot, "sessions": [
            {**d, "violations": [r.rule for r in broke.get(d["id"], ())]}
            for d in snapshot.get("sessions", [])]}
        return export_csv(snapshot), records, 0
    mine = planner.routines_for_export()
    return export_json(snapshot, routines=mine), records, len(mine)


def write_export(path: Path, text: str) -> str | None:
    """Write an export's text as `acuplan export -o` does (see write_file)."""
    return write_file(path, text.encode("utf-8", "backslashreplace"))


def read_import(path: Path) -> str:
    """The text of a file to import (a plain file of at most 64 MiB, UTF-8); BadInput
    saying what is wrong with it."""
    from planner.store.bounded import NotAPlainFile, read_bounded

    try:
        data = read_bounded(path, IMPORT_LIMIT, "an import")
    except NotAPlainFile as e:
        raise BadInput(f"{shown(path)} cannot be imported: {e}", field="path") from None
    except OSError as e:
        raise BadInput(f"cannot read {shown(path)}: {e.strerror or e}", field="path") from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise BadInput(f"{shown(path)} is not UTF-8 text; choose a JSON file made by an "
                       "export", field="path") from None


def read_copy(path: Path, journal: Path) -> bytes:
    """The bytes of another copy of the journal to merge (a plain file of at most 64 MiB,
    not the journal itself), as `acuplan merge` reads it; BadInput saying what is wrong."""
    from planner.store.bounded import NotAPlainFile, read_bounded

    try:
        if os.path.exists(path) and os.path.exists(journal) and \
                os.path.samefile(path, journal):
            raise BadInput(f"{shown(path)} is this journal itself; give the other copy",
                           field="path")
        return read_bounded(path, IMPORT_LIMIT, "a journal copy")
    except NotAPlainFile as e:
        raise BadInput(f"{shown(path)} cannot be merged: {e}", field="path") from None
    except OSError as e:
        raise BadInput(f"cannot read {shown(path)}: {e.strerror or e}", field="path") from None


def counts_text(counts: dict[str, int]) -> str:
    shown_counts = {k: v for k, v in sorted(counts.items()) if v}
    if not shown_counts:
        return "empty"
    return ", ".join(f"{k} {v}" for k, v in shown_counts.items())


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def backup_path(journal: Path, now: datetime) -> Path:
    """<journal folder>/backups/acuplan-<YYYY-MM-DD-HHMM>.json, with -2, -3, … when a
    backup of that minute is there already."""
    folder = Path(journal).parent / "backups"
    stem = f"acuplan-{now.strftime('%Y-%m-%d-%H%M')}"
    path, n = folder / f"{stem}.json", 1
    while os.path.lexists(path):
        n += 1
        path = folder / f"{stem}-{n}.json"
    return path


def make_backup(planner, now: datetime) -> tuple[Path, int, int, str | None]:
    """Write a backup; (where, records, routines, a warning or None)."""
    from planner.store import atomic

    path = backup_path(Path(planner.journal.path), now)
    text, records, routines = export_text(planner, "json")
    try:
        atomic.ensure_dir(path.parent)
    except OSError as e:
        raise BadInput(f"cannot make {shown(path.parent)}: {e.strerror or e}") from None
    warning = write_export(path, text)
    return path, records, routines, warning


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


# ---------------------------------------------------------------- opening them


def available(app: AcuplanApp) -> list[tuple[str, str, str]]:
    """(name, label, help) of the data commands the app allows now: none while a session
    runs or the journal is unusable; import and restore only on the first run."""
    if app.store_error is not None or any(getattr(s, "IN_SESSION", False)
                                          for s in app.screen_stack):
        return []
    first_run = app.sections_locked()
    return [c for c in COMMANDS if not first_run or c[0] in FIRST_RUN_COMMANDS]


def run(app: AcuplanApp, name: str,
        replaced: Callable[[AcuplanApp], None] | None = None) -> None:
    """Open a data command (when `available` still offers it). After an import or a
    restore, `replaced(app)` (the palette's: close a first run that asked about an empty
    journal, see planner/app/commands.py)."""
    if name not in {c[0] for c in available(app)}:
        return
    if name == "backup":
        app.push_screen(BackupScreen())
    elif name == "export":
        app.push_screen(ExportScreen())
    elif name == "merge":  # the screens reload on the write itself (JournalChanged)
        app.push_screen(MergeScreen())
    else:
        def done(result: Any) -> None:
            app.reload_library()  # an import may bring routines of the user's own
            if result and replaced is not None:
                replaced(app)

        app.push_screen(ImportScreen() if name == "import" else RestoreScreen(), done)


def backup(app: AcuplanApp) -> None:
    """The backup key: as the palette's "Data: back up the journal"."""
    run(app, "backup")


# ---------------------------------------------------------------- export


class ExportScreen(SubmitForm):
    """Export the journal to a file: json (with routines, re-importable) or csv."""

    SAVE_LABEL = "Export"
    FOCUS_FIRST_ERROR = True

    def __init__(self) -> None:
        super().__init__()
        self._replace_ok: str | None = None  # the file the user agreed to replace

    def compose(self) -> ComposeResult:
        today = self.app.planner.today
        with Vertical(classes="rec-dialog rec-form rec-small", id="export-form"):
            yield Static("Export the journal", classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield Static(Content("From " + shown(self.app.planner.journal.path)),
                             classes="rec-hint", id="export-from")
                yield form_row("Format", Select(FORMATS, allow_blank=False, value="json",
                                                id="f-format", compact=True))
                yield form_row("To file", Input(default_export_path(today), id="f-path",
                                                compact=True))
                yield FieldError(id="err-path")
                yield Static("written readable by you only (0600); json keeps everything, "
                             "with your own routines, and can be imported again",
                             classes="rec-hint", id="export-hint")
            yield FieldError(id="err-form")
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#f-path", Input).focus()

    @on(Select.Changed, "#f-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """The default name's extension follows the format."""
        field = self.query_one("#f-path", Input)
        fmt = str(event.value)
        today = self.app.planner.today
        defaults = {default_export_path(today, f) for f in EXTENSIONS}
        if field.value in defaults:  # the default name follows the format
            field.value = default_export_path(today, fmt)
            return
        for other in EXTENSIONS:
            if other != fmt and field.value.endswith("." + other):
                field.value = field.value[: -len(other)] + fmt

    def _target(self) -> Path:
        return Path(self.query_one("#f-path", Input).value.strip()).expanduser().absolute()

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        raw = self.query_one("#f-path", Input).value.strip()
        fmt = str(self.query_one("#f-format", Select).value)
        errors: dict[str, str] = {}
        if not raw:
            return {}, {"path": "give a file name, e.g. " + default_export_path(
                self.app.planner.today, fmt)}
        target = self._target()
        if same_file_family(target, Path(self.app.planner.journal.path)):
            errors["path"] = (f"{shown(raw)} is the journal or one of its kept versions; "
                              "choose another file")
        elif target.is_dir():
            errors["path"] = f"{shown(raw)} is a folder; give a file name in it"
        elif not target.parent.is_dir():
            errors["path"] = f"there is no folder {shown(target.parent)}"
        return {"path": target, "format": fmt}, errors

    def action_save(self) -> None:
        """Ask first when the file is there already (once per name)."""
        if self.saving:
            return
        target = self._target()
        raw = self.query_one("#f-path", Input).value.strip()
        if raw and target.is_file() and self._replace_ok != str(target) and not \
                same_file_family(target, Path(self.app.planner.journal.path)):
            def answered(yes: bool | None) -> None:
                if yes:
                    self._replace_ok = str(target)
                    self.action_save()

            self.app.push_screen(ConfirmScreen(
                f"Replace {shown(target)}?", "It is there already; the export takes its "
                "place.", yes_label="Replace"), answered)
            return
        super().action_save()

    def save(self, planner, values: dict[str, Any]) -> Any:
        if values["format"] in ("ics", "html", "pdf"):
            data, what = export_bytes(planner, values["format"])
            return what, write_file(values["path"], data)
        text, records, routines = export_text(planner, values["format"])
        warning = write_export(values["path"], text)
        mine = f" and {plural(routines, 'routine')} of your own" if routines else ""
        return f"{plural(records, 'record')}{mine}", warning

    def saved(self, result: Any, values: dict[str, Any]) -> None:
        what, warning = result
        self.app.notify(f"Exported {what} as {values['format']} "
                        f"to {shown(values['path'])}" + (f"; {warning}" if warning else ""),
                        title="Export", severity="warning" if warning else "information",
                        timeout=10)
        self.dismiss(str(values["path"]))


# ---------------------------------------------------------------- import


class ImportScreen(SubmitForm):
    """Import a JSON export into the (empty) journal."""

    SAVE_LABEL = "Import"
    FOCUS_FIRST_ERROR = True

    DEFAULT_CSS = """
    #import-form .rec-form-body { max-height: 17; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(classes="rec-dialog rec-form rec-small", id="import-form"):
            yield Static("Import an export", classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield Static(Content("Into " + shown(self.app.planner.journal.path)),
                             classes="rec-hint", id="import-into")
                yield form_row("From file", Input("", id="f-path", compact=True,
                                                  placeholder=default_export_path(
                                                      self.app.planner.today)))
                yield FieldError(id="err-path")
                yield Static("A JSON file made by an export. It goes only into an empty "
                             "journal: start `acuplan --db NEW-FILE.json` and import there, "
                             "before accepting the safety notice.",
                             classes="rec-hint", id="import-hint")
                yield FieldError(id="err-form")  # a long list of problems scrolls here
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#f-path", Input).focus()

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        raw = self.query_one("#f-path", Input).value.strip()
        if not raw:
            return {}, {"path": "give the file to import, e.g. " + default_export_path(
                self.app.planner.today)}
        return {"path": Path(raw).expanduser().absolute()}, {}

    def refused(self, exc: BaseException) -> None:
        """A file with many problems lists them under the field: the list takes the keys
        (arrows, pgup/pgdn) when it does not fit, so all of it can be read."""
        super().refused(exc)
        body = self.query_one(".rec-form-body", VerticalScroll)

        def fits() -> None:
            if body.max_scroll_y > 0:
                body.focus()

        self.call_after_refresh(fits)

    def save(self, planner, values: dict[str, Any]) -> Any:
        text = read_import(values["path"])
        held = {k: len(v) for k, v in planner.journal.snapshot().items() if v}
        if held:  # the service refuses too; this says what is there and what to do
            raise BadInput(f"this journal already holds records ({counts_text(held)}); "
                           "nothing was imported (Data: merge another copy folds an "
                           "export into it)")
        from planner.store.errors import ImportRefused

        try:
            return planner.import_export(text)
        except ImportRefused as e:
            raise BadInput(str(e)) from None

    def saved(self, result: Any, values: dict[str, Any]) -> None:
        counts = dict(result)
        mine = counts.pop("routines", 0)
        total = sum(counts.values())
        detail = counts_text(counts)
        self.app.notify(f"Imported {plural(total, 'record')} from {shown(values['path'])}"
                        + (f" ({detail})" if total else "")
                        + (f", and {plural(mine, 'routine')} of your own" if mine else ""),
                        title="Import", timeout=10)
        self.dismiss(True)


# ---------------------------------------------------------------- merge

MERGE_HINT = ("Fold another copy of this journal (a second computer's file, a sync tool's "
              "conflict copy, or a JSON export) into this one. The other file is only read.")
CONFIRM_CONFLICTS = 3  # conflicts named in the question; the dialog behind lists them all
KEPT_WORDS = {THIS: "this journal's version kept", OTHER: "the other copy's version kept",
              BOTH: "both put together"}


def merge_counts(report) -> str:
    """ "2 records added, 1 record changed" (or that only version stamps change)."""
    return merged_counts(report.merged)


def dry_run_lines(report, journal: str) -> list[str]:
    """What a merge would do, in the report's sentences, headed for the dialog (the
    command line's head names its --dry-run flag)."""
    lines = report_lines(report, journal, True, APP_WAYS)
    if not report.merged.changed:
        return lines
    return [f"Would merge: {merge_counts(report)} (nothing written yet).", *lines[1:]]


def report_statics(lines: list[str]) -> list[Static]:
    """The report's lines, one Static each: an indented line keeps its indent when it
    wraps; a sentence after the first is marked -head (the report screen sets it off)."""
    out = []
    for i, line in enumerate(lines):
        text = line.lstrip(" ")
        indent = len(line) - len(text)
        static = Static(Content(text), classes="merge-line" + (
            " -head" if i and not indent else ""))
        static.styles.padding = (0, 0, 0, indent)
        out.append(static)
    return out


def merge_question(report, source: str) -> tuple[str, str]:
    """The confirmation's question and detail: the counts, the conflicts (the first few)
    and what the rules would then say."""
    m = report.merged
    detail = [merge_counts(report) + "."]
    if m.conflicts:
        detail.append(f"{plural(len(m.conflicts), 'record')} changed on both sides (the "
                      "version not kept stays in the other file):")
        for c in m.conflicts[:CONFIRM_CONFLICTS]:
            detail.append(f"  {terminal_safe(c.label)}: "
                          f"{KEPT_WORDS.get(c.kept, c.kept)}")
        if len(m.conflicts) > CONFIRM_CONFLICTS:
            detail.append(f"  and {len(m.conflicts) - CONFIRM_CONFLICTS} more, listed in "
                          "the Merge dialog")
    if report.now_breaking:
        detail.append(f"{plural(len(report.now_breaking), 'session')} would then break a "
                      "rule (logged history stays).")
    if report.now_blocked:
        n = len(report.now_blocked)
        detail.append(f"{plural(n, 'plan')} would then be blocked by a rule (move "
                      f"{'it' if n == 1 else 'them'} in Plan).")
    detail.append(f"{source} is only read; this journal as it is now is kept as a version "
                  "(Data: restore a kept version).")
    return f"Merge {Path(source).name} into this journal?", "\n".join(detail)


class MergeReportScreen(MessageScreen):
    """The merge's report, a line each (`paragraphs`); the keys scroll it when it does
    not fit."""

    DEFAULT_CSS = """
    MergeReportScreen .merge-line { height: auto; }
    MergeReportScreen .merge-line.-head { margin: 1 0 0 0; }
    MergeReportScreen .rec-message-body { margin: 1 0 0 0; max-height: 14;
                                          scrollbar-size-vertical: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"rec-dialog rec-message -{self.tone}"):
            yield Static(Content(self.title_text), classes="rec-dialog-title",
                         id="message-title")
            with VerticalScroll(classes="rec-message-body"):
                yield from report_statics(self.paragraphs)
            with Horizontal(classes="rec-buttons"):
                yield Button("OK (enter)", variant="primary", id="message-ok", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        body = self.query_one(".rec-message-body", VerticalScroll)

        def fits() -> None:
            if body.max_scroll_y > 0:
                body.focus()

        self.call_after_refresh(fits)


class MergeScreen(SubmitForm):
    """Merge another copy of the journal into it: a dry run shows what it would do, a
    confirmation, then the merge and its report."""

    SAVE_LABEL = "Merge"
    FOCUS_FIRST_ERROR = True

    DEFAULT_CSS = """
    #merge-form .rec-form-body { max-height: 17; }
    #merge-report { height: auto; padding: 0 0 0 1; }
    #merge-report .merge-line { height: auto; }
    #merge-report .merge-line.-first { margin: 1 0 0 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._busy = "Reading…"
        self.report_lines: list[str] = []  # what the dialog shows of the last dry run

    def compose(self) -> ComposeResult:
        with Vertical(classes="rec-dialog rec-form rec-small", id="merge-form"):
            yield Static("Merge another copy of the journal", classes="rec-dialog-title")
            with VerticalScroll(classes="rec-form-body"):
                yield Static(Content("Into " + shown(self.app.planner.journal.path)),
                             classes="rec-hint", id="merge-into")
                yield form_row("Other copy", Input("", id="f-path", compact=True,
                                                   placeholder="~/journal-laptop.json"))
                yield FieldError(id="err-path")
                yield Static(MERGE_HINT, classes="rec-hint", id="merge-hint", markup=False)
                yield FieldError(id="err-form")
                yield Vertical(id="merge-report")
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#f-path", Input).focus()

    def _show_report(self, lines: list[str]) -> None:
        self.report_lines = lines
        box = self.query_one("#merge-report", Vertical)
        box.remove_children()
        statics = report_statics(lines)
        if statics:
            statics[0].add_class("-first")
            box.mount_all(statics)

    def show_saving(self, saving: bool) -> None:
        super().show_saving(saving)
        if saving:
            for button in self.query("#save").results(Button):
                button.label = self._busy

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        self._show_report([])
        raw = self.query_one("#f-path", Input).value.strip()
        if not raw:
            return {}, {"path": "give the other copy's file, e.g. ~/journal-laptop.json"}
        return {"path": Path(raw).expanduser().absolute()}, {}

    def save(self, planner, values: dict[str, Any]) -> Any:
        """The dry run (in the write worker): the other file's bytes, read once, and what
        merging them would do."""
        payload = read_copy(values["path"], Path(planner.journal.path))
        return payload, self._merge(planner, payload, values, dry_run=True)

    @staticmethod
    def _merge(planner, payload: bytes, values: dict[str, Any], *, dry_run: bool) -> Any:
        from planner.store.errors import CopyUnusable

        try:
            return planner.merge_copy(payload, shown(values["path"]), dry_run=dry_run)
        except CopyUnusable as e:  # the other file: said beside it; nothing was written
            raise BadInput(one_line(e), field="path") from None

    def saved(self, result: Any, values: dict[str, Any]) -> None:
        payload, report = result
        journal = shown(self.app.planner.journal.path)
        self._show_report(dry_run_lines(report, journal))
        if not report.merged.changed:  # nothing to ask
            return
        question, detail = merge_question(report, shown(values["path"]))

        def answered(yes: bool | None) -> None:
            if yes:
                self._busy = "Merging…"
                self.write(lambda planner: self._merge(planner, payload, values,
                                                       dry_run=False),
                           self._merged, self.refused)
            else:
                self._scroll_if_long()

        self.app.push_screen(ConfirmScreen(question, detail, yes_label="Merge"), answered)

    def _scroll_if_long(self) -> None:
        body = self.query_one(".rec-form-body", VerticalScroll)
        if body.max_scroll_y > 0:
            body.focus()

    def _merged(self, report) -> None:
        self._busy = "Reading…"
        lines = report_lines(report, shown(self.app.planner.journal.path), False, APP_WAYS)
        if not report.written:  # merged by someone else meanwhile: nothing left to do
            self._show_report(lines)
            return
        if len(lines) == 1:  # the counts only: said in a notice
            self.app.notify(lines[0], title="Merge", timeout=10, markup=False)
            self.dismiss(True)
            return
        tone = "warning" if report.now_breaking or report.now_blocked else "info"
        self.tell_and_close(MergeReportScreen("Merged", lines, tone), True)

    def refused(self, exc: BaseException) -> None:
        super().refused(exc)
        self._busy = "Reading…"


# ---------------------------------------------------------------- restore


def version_prompt(version) -> Content:
    when = datetime.fromtimestamp(version.mtime).strftime("%Y-%m-%d %H:%M")
    state = ("readable: " + counts_text(version.counts)) if version.readable else (
        "UNREADABLE: " + shown(version.error))
    return Content.assemble((f"{version.label:<16}", "bold"), f"{version.kind:<14}{when}\n",
                            ("  " + state, "" if version.readable else "$error"))


class RestoreScreen(Writes, AppModalScreen[bool]):
    """The kept versions, newest first; enter restores one after a confirmation."""

    CSS_PATH = RECORDS_CSS
    BINDINGS = [Binding("escape", "close", "Close")]
    DEFAULT_CSS = """
    #restore-dialog { height: auto; max-height: 22; }
    #restore-list { height: auto; max-height: 14; margin: 1 0 0 0; }
    """

    def __init__(self) -> None:
        super().__init__(classes="rec-modal")
        self.versions: list = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="rec-dialog", id="restore-dialog"):
            yield Static("Restore a kept version", classes="rec-dialog-title")
            yield Static(Content("Journal " + shown(self.app.planner.journal.path)),
                         classes="rec-hint", id="restore-journal")
            yield Static("reading the kept versions…", classes="rec-hint", id="restore-state")
            yield OptionList(id="restore-list")
            yield FieldError(id="restore-error")
            with Horizontal(classes="rec-buttons"):
                yield Button("Close (esc)", id="restore-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#restore-list", OptionList).display = False
        self._list(Path(self.app.planner.journal.path))

    @work(thread=True, exclusive=True, group="restore-list")
    def _list(self, journal: Path) -> None:
        from planner.store import versions
        from planner.store.journal import Journal

        try:
            found = versions.list_versions(journal)
        except StoreError as exc:
            self.app.call_from_thread(self._failed_to_list, exc)
            return
        try:
            now = "readable: " + counts_text({k: len(v) for k, v in
                                              Journal(journal).snapshot().items()})
        except StoreError as exc:
            now = "unreadable: " + one_line(getattr(exc, "reason", None) or exc)
        self.app.call_from_thread(self._show, found, now)

    def _failed_to_list(self, exc: BaseException) -> None:
        if not self.is_attached:
            return
        self.query_one("#restore-state", Static).update(Content(one_line(exc)))

    def _show(self, found: list, now: str) -> None:
        if not self.is_attached:  # closed while the versions were read
            return
        self.versions = found
        state = self.query_one("#restore-state", Static)
        listing = self.query_one("#restore-list", OptionList)
        listing.clear_options()
        if not found:
            state.update(Content(f"Now {now}. No kept versions yet: one is kept each time "
                                 "the journal is written."))
            self.query_one("#restore-close", Button).focus()
            return
        state.update(Content(f"Now {now}. Kept versions, newest first; enter restores one:"))
        listing.add_options(Option(version_prompt(v), id=v.label, disabled=not v.readable)
                            for v in found)
        listing.display = True
        listing.focus()
        if any(v.readable for v in found):
            listing.highlighted = next(i for i, v in enumerate(found) if v.readable)

    @on(OptionList.OptionSelected, "#restore-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        label = event.option.id
        if label is None or self.saving:
            return
        journal = Path(self.app.planner.journal.path)

        def answered(yes: bool | None) -> None:
            if yes:
                self._restore(label)

        self.app.push_screen(ConfirmScreen(
            f"Restore {label}?",
            f"The journal as it is now is moved aside, beside it as {journal.name}"
            ".unreadable-<time> (never deleted), and a copy of this version takes its "
            "place. Anything written since that version is then only in the file moved "
            "aside.", yes_label="Restore"), answered)

    def _restore(self, label: str) -> None:
        from planner.store.errors import UnknownVersion

        self.query_one("#restore-error", FieldError).clear()
        self.write(lambda planner: planner.restore_version(label),
                   lambda aside: self._restored(label, aside), self._refused,
                   expected=(*EXPECTED, UnknownVersion))

    def _restored(self, label: str, aside: Path | None) -> None:
        where = shown(self.app.planner.journal.path)
        moved = (f"; the file it replaced was moved to {shown(aside)} (not deleted)"
                 if aside is not None else "")
        self.app.notify(f"Restored {label} into {where}{moved}", title="Restore", timeout=12)
        self.dismiss(True)

    def _refused(self, exc: BaseException) -> None:
        from planner.app.forms.dialogs import error_text

        self.query_one("#restore-error", FieldError).show(error_text(exc))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def action_close(self) -> None:
        if not self.saving:
            self.dismiss(False)


# ---------------------------------------------------------------- backup


class BackupScreen(Writes, AppModalScreen[None]):
    """Shown while a backup is written (no questions); closes itself and says where."""

    CSS_PATH = RECORDS_CSS

    def __init__(self) -> None:
        super().__init__(classes="rec-modal")

    def compose(self) -> ComposeResult:
        with Vertical(classes="rec-dialog", id="backup-dialog"):
            yield Static("Backing up the journal…", classes="rec-dialog-title")
            yield Static(Content("into " + shown(Path(self.app.planner.journal.path).parent
                                                 / "backups")), classes="rec-hint")

    def on_mount(self) -> None:
        now = datetime.now()
        self.write(lambda planner: make_backup(planner, now), self._done, self._failed)

    def _done(self, result: tuple[Path, int, int, str | None]) -> None:
        path, records, routines, warning = result
        mine = f" and {plural(routines, 'routine')} of your own" if routines else ""
        self.app.notify(f"Backed up {plural(records, 'record')}{mine} to {shown(path)}"
                        + (f"; {warning}" if warning else ""), title="Backup",
                        severity="warning" if warning else "information", timeout=10)
        self.dismiss(None)

    def _failed(self, exc: BaseException) -> None:
        from planner.store.errors import JournalUnreadable

        self.dismiss(None)
        if isinstance(exc, JournalUnreadable):
            self.app.show_store_error(exc)
        else:
            self.app.notify("No backup: " + one_line(exc), title="Backup", severity="error",
                            timeout=10)


__all__ = ["COMMANDS", "HELP_ROWS", "BACKUP_KEY", "ExportScreen", "ImportScreen",
           "RestoreScreen", "BackupScreen", "MergeScreen", "MergeReportScreen", "available",
           "run", "backup", "same_file_family", "export_text", "read_import", "read_copy",
           "backup_path", "make_backup"]
