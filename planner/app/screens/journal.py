"""Journal: the list of everything recorded, newest first, and the keys that add, edit,
delete and resolve entries (the forms are in planner/app/forms/)."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from planner.app.base import AppScreen
from planner.app.entries import (
    CLASS_GLYPH,
    SKIN_TYPES,
    TABLE_OF_TYPE,
    TYPE_FILTERS,
    confirm_detail,
    item_detail,
    item_summary,
    row_key,
)
from planner.app.forms.activity import ACTIVITY, ActivityFormScreen
from planner.app.forms.dialogs import RECORDS_CSS, ConfirmScreen, guard
from planner.app.forms.notices import refusal_screen
from planner.app.forms.past_session import SessionFormScreen
from planner.app.forms.pause import PauseFormScreen
from planner.app.forms.resolve import ResolveScreen
from planner.app.forms.skin import SkinFormScreen
from planner.app.screens.section import ShowsJournal
from planner.app.undo import UNDO_KEY, deleted_record, offer_undo, undo_last
from planner.app.widgets.choice import Choice, ChoiceScreen
from planner.app.widgets.tables import cursor_row_key
from planner.app.writes import Writes
from planner.service.planner import BadInput, Deleted, Refused
from planner.service.search import Query, matches, parse_query

PERIODS = (("last 90 days", 90), ("last year", 366), ("everything", 0))
MAX_ROWS = 1000  # newest entries shown at once; older ones via a longer period or History


class JournalScreen(Writes, ShowsJournal, AppScreen):
    """Every entry, newest first, with forms to add, edit, delete and resolve."""

    CSS_PATH = RECORDS_CSS

    TITLE = "Journal"
    BINDINGS = [
        Binding("c", "new_checkin", "Check-in"),
        Binding("x", "new_reaction", "Reaction"),
        Binding("o", "new_product", "Product"),
        Binding("d", "new_procedure", "Procedure", show=False),
        Binding("i", "new_injectable", "Injectable", show=False),
        Binding("e", "edit_entry", "Edit"),
        Binding("delete,backspace", "delete_entry", "Delete", key_display="del"),
        Binding("v", "resolve_hold", "Resolve"),
        Binding("f", "focus_filter", "Filter", show=False),
        Binding("slash", "focus_search", "Search", key_display="/", show=False),  # hint on screen
        Binding("l", "log_session", "Log past session", show=False),
        Binding("u", "new_pause", "Pause sessions", show=False),
        Binding(UNDO_KEY, "undo", "Undo delete", show=False),
    ]
    PALETTE_COMMANDS = [
        ("Journal: log a past session", "log_session", "l · a session done without the guide"),
        ("Journal: filter by type", "focus_filter", "f · check-ins, sessions, products, …"),
        ("Journal: search", "focus_search",
         "/ · words in notes and names, from:DATE to:DATE class:severe"),
        ("Journal: pause sessions", "new_pause", "u · travel, illness, sunburn: no sessions"),
    ]

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.items: dict[str, dict] = {}
        self.open_holds: frozenset[str] = frozenset()  # ids of skin records holding sessions
        self.type_filter = "all"
        self.period = 90
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="journal-body", classes="rec-body"):
            with Horizontal(classes="rec-toolbar", id="journal-toolbar"):
                yield Select(TYPE_FILTERS, allow_blank=False, value="all", id="journal-filter",
                             compact=True)
                yield Select(PERIODS, allow_blank=False, value=90, id="journal-period",
                             compact=True)
                yield Static("", id="journal-count", classes="rec-toolbar-info")
            yield Input(placeholder="/ search: words, from:2026-01-01 to:2026-03-31 "
                        "class:severe", id="journal-search", compact=True)
            table: DataTable = DataTable(id="journal-table", cursor_type="row",
                                         zebra_stripes=True)
            yield table
            yield Static("", id="journal-detail", classes="rec-detail")
        yield Footer(compact=True)

    @guard
    def on_mount(self) -> None:
        self.title = "acuplan · Journal"
        table = self.query_one("#journal-table", DataTable)
        table.add_column("Date", key="date", width=10)
        table.add_column("Type", key="type", width=10)
        table.add_column("Class", key="class", width=10)
        table.add_column("Summary", key="summary")
        table.add_column("Note", key="note")
        self.loaded()
        self.refresh_data()
        table.focus()

    # ......................................................... data

    @guard
    def refresh_data(self) -> None:
        if not self.query("#journal-table"):
            return  # not composed yet: on_mount loads it
        table = self.query_one("#journal-table", DataTable)
        keep = self.current_id()
        planner = self.app.planner
        try:
            query = parse_query(self.query_text)
            problem = ""
        except ValueError as e:
            query, problem = Query(), str(e)
        start = planner.today - timedelta(days=self.period) if self.period else None
        if query.start is not None:  # a date asked for is searched whatever the period
            start = query.start
        items = list(reversed(planner.history_items(start, query.end)))
        self.items = {row_key(it): it for it in items}
        self.open_holds = planner.open_hold_ids()
        matching = [it for it in items
                    if (self.type_filter == "all" or it["type"] == self.type_filter)
                    and matches(it, query)]
        shown = matching[:MAX_ROWS]
        table.clear()
        for it in shown:
            cls = it.get("class", "")
            cls_cell = Text(f"{CLASS_GLYPH.get(cls, '')} {cls}".strip()) if cls else Text("")
            if self.hold_open(it):
                cls_cell.stylize("bold")
            table.add_row(Text(it["date"]), Text(it["type"]), cls_cell,
                          Text(item_summary(it)), Text(it.get("note") or ""), key=row_key(it))
        if keep and keep in {row_key(it) for it in shown}:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        count = f"{len(matching)} entr{'y' if len(matching) == 1 else 'ies'}"
        if len(shown) < len(matching):
            count = f"newest {len(shown)} of {len(matching)}"
        if problem:
            count = f"search: {problem}"
        self.query_one("#journal-count", Static).update(Content(count))
        self._show_detail()

    def current_id(self) -> str | None:
        try:
            table = self.query_one("#journal-table", DataTable)
        except NoMatches:
            return None
        return cursor_row_key(table)

    def current_item(self) -> dict | None:
        rid = self.current_id()
        return self.items.get(rid) if rid else None

    def hold_open(self, item: dict) -> bool:
        """The entry is a skin record whose hold is open (only resolving lifts it)."""
        return item["type"] in SKIN_TYPES and item["id"] in self.open_holds

    def _show_detail(self) -> None:
        item = self.current_item()
        detail = self.query_one("#journal-detail", Static)
        if item is None:
            detail.update(Content("No entries yet. Press c for a check-in, o for a product, "
                                  "d for a procedure, i for an injectable."))
        else:
            detail.update(Content(item_detail(item, self.hold_open(item))))

    @on(DataTable.RowHighlighted)
    @guard
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    @on(DataTable.RowSelected)
    @guard
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit_entry()

    @on(Select.Changed, "#journal-filter")
    @guard
    def _filter_changed(self, event: Select.Changed) -> None:
        self.type_filter = event.value if isinstance(event.value, str) else "all"
        self.refresh_data()

    @on(Input.Changed, "#journal-search")
    @guard
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refresh_data()

    @on(Input.Submitted, "#journal-search")
    def _search_done(self, event: Input.Submitted) -> None:
        self.query_one("#journal-table", DataTable).focus()

    @guard
    def action_focus_search(self) -> None:
        self.query_one("#journal-search", Input).focus()

    @on(Select.Changed, "#journal-period")
    @guard
    def _period_changed(self, event: Select.Changed) -> None:
        self.period = event.value if isinstance(event.value, int) else 90
        self.refresh_data()

    # ...................................................... actions
    # A form saves (and the list reloads, on JournalChanged) by itself.

    @guard
    def action_new_checkin(self) -> None:
        """Today's check-in: a new one, or today's to edit (one check-in per date)."""
        planner = self.app.planner
        self.app.push_screen(SkinFormScreen("checkin", record=planner.checkin_on(planner.today)))

    @guard
    def action_new_reaction(self) -> None:
        """A reaction to the session selected, else to the latest session of today or
        yesterday (a reaction follows a session within a day or so), else to none."""
        item = self.current_item()
        sid = item["id"] if item and item["type"] == "session" else None
        if sid is None:
            planner = self.app.planner
            recent = [s for s in planner.state().history.sessions
                      if 0 <= (planner.today - s.date).days <= 1]
            sid = max(recent, key=lambda s: (s.date, s.id)).id if recent else None
        self.app.push_screen(SkinFormScreen("reaction", session_id=sid))

    @guard
    def action_new_product(self) -> None:
        self.app.push_screen(ActivityFormScreen("products"))

    @guard
    def action_new_procedure(self) -> None:
        self.app.push_screen(ActivityFormScreen("procedures"))

    @guard
    def action_new_injectable(self) -> None:
        self.app.push_screen(ActivityFormScreen("injectables"))

    @guard
    def action_log_session(self) -> None:
        self.app.push_screen(SessionFormScreen())

    @guard
    def action_new_pause(self) -> None:
        self.app.push_screen(PauseFormScreen())

    @guard
    def action_focus_filter(self) -> None:
        self.query_one("#journal-filter", Select).focus()

    @guard
    def action_edit_entry(self) -> None:
        item = self.current_item()
        if item is None:
            self.app.notify("Nothing to edit yet.", severity="warning")
            return
        table = TABLE_OF_TYPE[item["type"]]
        doc = {k: v for k, v in item.items() if k not in ("type", "class")}
        if table == "skin":
            self.app.push_screen(SkinFormScreen(doc.get("kind", "checkin"), record=doc))
        elif table in ACTIVITY:
            self.app.push_screen(ActivityFormScreen(table, record=doc))
        elif table == "sessions":
            self.app.push_screen(SessionFormScreen(record=doc))
        else:
            self.app.notify(f"A {item['type']} cannot be edited here: plans are changed on "
                            "the Plan screen (p); a pause can be deleted and set again.",
                            severity="warning")

    @guard
    def action_delete_entry(self) -> None:
        item = self.current_item()
        if item is None:
            self.app.notify("Nothing to delete.", severity="warning")
            return

        def delete(planner) -> Deleted:
            if item["type"] == "plan":
                return deleted_record("plans", planner.unplan(item["id"]))
            if item["type"] == "pause":
                return deleted_record("pauses", planner.unpause(item["id"]))
            return planner.delete_record(item["id"])

        def deleted(gone: Deleted) -> None:
            offer_undo(self.app, gone, f"Deleted the {item['type']} of {item['date']}")

        def refused(exc: BaseException) -> None:
            if isinstance(exc, Refused):
                self.app.push_screen(refusal_screen(exc, self.hold_open(item)))
            elif isinstance(exc, BadInput):
                self.app.notify(str(exc), title="Not deleted", severity="error", markup=False)
            else:
                self.app.notify_error(exc)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.write(delete, deleted, refused)

        self.app.push_screen(
            ConfirmScreen(f"Delete this {item['type']}?", confirm_detail(item)), confirmed)

    @guard
    def action_undo(self) -> None:
        undo_last(self)

    @guard
    def action_resolve_hold(self) -> None:
        """Resolve the selected record's hold; on a row without one, offer the open holds
        (they may be older than the rows shown)."""
        item = self.current_item()
        if item is not None and self.hold_open(item):
            self.app.push_screen(ResolveScreen(item))
            return
        holds = self.app.planner.open_holds()
        if not holds:
            self.app.notify("There is no open hold: nothing to resolve.")
            return
        by_id = {it["id"]: it for it in self.app.planner.history_items(
            min(h.date for h in holds)) if it["type"] in SKIN_TYPES}
        found = [by_id[h.id] for h in reversed(holds) if h.id in by_id][:4]  # newest first
        if len(found) == 1:
            self.app.push_screen(ResolveScreen(found[0]))
            return
        here = ("The selected row has no open hold. " if item is not None else "")
        choices = [Choice(it["id"], f"{it['date']} {it.get('class')}", str(n), "primary")
                   for n, it in enumerate(found, 1)]

        def chosen(rid: str | None) -> None:
            if rid:
                self.app.push_screen(ResolveScreen(next(it for it in found if it["id"] == rid)))

        self.app.push_screen(ChoiceScreen(
            "Which hold do you want to resolve?",
            [here + f"{len(holds)} skin record{'s' if len(holds) != 1 else ''} hold "
             "sessions: choose one (its number), or esc."
             + (" The newest 4 are shown; resolve those first, or select an older one "
                "in the list (period: everything)." if len(holds) > 4 else "")],
            [*choices, Choice("", "Cancel", "escape")], cancel=""), chosen)


__all__ = ["JournalScreen", "PERIODS", "MAX_ROWS"]
