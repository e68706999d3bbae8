"""Settings: profile, preferred days and time, excluded zones, rule values (stricter
only) and the theme.

Profile switches, preferred days and zone changes are saved at once (a zone through its
form, `a`); the preferred time with enter (or ctrl+s in its field). Rule values are saved
together with ctrl+s: a value outside its range is shown next to its field with the allowed
range, and then nothing is saved. A time that is not HH:MM is shown beside its field, and
nothing is saved. A field's error goes as soon as the field is edited (it spoke of the old
value) or the next save runs.

Keys: the settings never put the cursor in a text field by themselves (a tab shown by its
key focuses its first switch or list, or the tab bar when it holds only text fields). The
text fields take only what they hold (digits; a time's colon), so every other key (the
section keys, ?, a, 1–4 on the tab bar) does what it does elsewhere on the screen; esc
leaves a field for the tab bar.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
)

from planner.app import sections
from planner.app.base import AppScreen
from planner.app.forms.dialogs import RECORDS_CSS, FieldError, clear_errors, guard, show_errors
from planner.app.screens.section import ShowsJournal
from planner.app.widgets.tables import cursor_row_key
from planner.app.widgets.ticks import TickCheckbox
from planner.app.writes import Writes
from planner.domain.profile_questions import PROFILE_QUESTIONS, question
from planner.domain.session_prep import WEEKDAY_NAMES, WEEKDAYS, describe_days
from planner.domain.settings_rules import RANGES
from planner.service.planner import BadInput

SECTION = sections.SETTINGS

RULE_LABELS = {
    "spacing_days": "Spacing",
    "product_blackout_days": "Product wait",
    "procedure_wait_days": "Procedure wait",
    "injectable_wait_days": "Injectable wait",
    "cadence_days": "Cadence",
    "grace_days": "Grace",
    "starter_count": "Starter count",
    "ramp_step": "Ramp step",
    "ceiling": "Ceiling",
}


class TypedField(Input):
    """A text field that takes only the characters in `chars`: any other key is not typed
    but goes on to the screen and the app (a section key, ?, a screen key), as it would
    with the focus elsewhere."""

    def __init__(self, value: str = "", *, chars: str, **kwargs) -> None:
        super().__init__(value, restrict=f"[{chars}]*", **kwargs)
        self.chars = chars

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character in self.chars

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and (event.character or "") not in self.chars:
            event.prevent_default()  # not typed: it bubbles on to the keys of the screen


DIGITS = "0123456789"


class Pane(VerticalScroll, can_focus=False):
    """A tab's content: it scrolls to the focused field, and is no stop of its own for tab
    (tab from the tab bar goes straight to the first field)."""


class SettingsScreen(Writes, ShowsJournal, AppScreen):
    """Profile, excluded zones, stricter rule values and the theme, as tabs."""

    CSS_PATH = RECORDS_CSS

    TITLE = "Settings"
    BINDINGS = [
        Binding("ctrl+s", "save_rules", "Save rules", priority=True),
        Binding("a", "add_exclusion", "Exclude zone"),
        Binding("delete", "remove_exclusion", "Include zone", key_display="del"),
        Binding("escape", "leave_field", "Leave the field for the tabs", show=False),
        *sections.tab_bindings(SECTION),
    ]
    PALETTE_COMMANDS = sections.tab_palette(SECTION)

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._loading = False
        self._loaded_rules: dict[str, str] = {}
        # switched while a write was under way: saved as soon as it is over
        self._pending_profile: dict[str, bool] = {}
        self._pending_theme: str | None = None
        self._pending_days: tuple[str, ...] | None = None
        self._loaded_time: str | None = None  # the saved time the field last showed
        # error field -> (the values judged, the fields whose edit clears it)
        self._judged: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with TabbedContent(id="settings-tabs", initial="profile"):
            with _pane("profile"):
                with Pane(classes="rec-pane"):
                    yield Static("Your answers shape the routines the builder makes. "
                                 "Changes are saved at once.", classes="rec-intro")
                    for q in PROFILE_QUESTIONS:
                        with Horizontal(classes="rec-check-row"):
                            yield TickCheckbox(q.label, id=f"p-{q.field}", classes="rec-check")
                            yield Static(q.effect, classes="rec-hint")
                    yield Static("Preferred days and time", classes="pref-title")
                    yield Static("Plan next proposes these days; the calendar marks them.",
                                 classes="rec-hint pref-intro")
                    with Horizontal(classes="pref-days-row", id="pref-days"):
                        for day, name in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True):
                            yield TickCheckbox(name[:3], id=f"pd-{day}", classes="pref-day",
                                               tooltip=name)
                    with Horizontal(classes="pref-time-row"):
                        yield Label("Time", classes="pref-label")
                        yield TypedField("", chars=DIGITS + ":", id="pref-time",
                                         max_length=5, placeholder="HH:MM", compact=True)
                        yield Static("24-hour clock, empty for none · enter saves",
                                     classes="rec-hint")
                    yield FieldError(id="err-preferred_time")
            with _pane("zones"):
                with Vertical(classes="rec-pane"):
                    yield Static("Zones the builder leaves out (a mole, a scar, broken "
                                 "skin…), optionally until a date.", classes="rec-intro")
                    yield DataTable(id="zones-table", cursor_type="row")
                    yield Static("No zone is left out.", id="zones-none", classes="rec-hint")
                    with Horizontal(classes="rec-buttons rec-zone-buttons"):
                        yield Button("Exclude a zone… (a)", id="x-add", variant="primary",
                                     compact=True)
                    yield Static("enter changes the highlighted zone · del includes it again",
                                 classes="rec-hint")
            with _pane("rules"):
                with Pane(classes="rec-pane"):
                    yield Static("Stricter than the defaults only. ctrl+s saves · esc leaves "
                                 "a field.", classes="rec-intro")
                    for key, rng in RANGES.items():
                        with Horizontal(classes="rec-row rec-rule-row"):
                            yield Label(RULE_LABELS[key], classes="rec-label")
                            yield TypedField("", chars=DIGITS, id=f"s-{key}", max_length=3,
                                             classes="rec-num", compact=True)
                            yield Static(f"{rng.low}–{rng.high} · {rng.meaning}",
                                         classes="rec-hint", id=f"r-{key}")
                        yield FieldError(id=f"err-{key}")
                    yield FieldError(id="err-rules")
                    with Horizontal(classes="rec-buttons"):
                        yield Button("Save rules (ctrl+s)", id="save-rules", variant="primary",
                                     compact=True)
                        yield Button("Reset fields", id="reset-rules", compact=True)
            with _pane("theme"):
                with Vertical(classes="rec-pane"):
                    yield Static("The colours of the app; saved in the journal.",
                                 classes="rec-intro")
                    yield Select([(t, t) for t in sorted(self.app.available_themes)],
                                 allow_blank=False, value=self.app.theme, id="theme-select")
        yield Footer(compact=True)

    @guard
    def on_mount(self) -> None:
        self.title = "acuplan · Settings"
        table = self.query_one("#zones-table", DataTable)
        table.add_column("Zone", key="zone", width=14)
        table.add_column("Reason", key="reason", width=14)
        table.add_column("Until", key="until", width=12)
        self.loaded()
        self.refresh_data()
        self.query_one("#p-pregnant").focus()

    # ................................................................ data

    @guard
    def refresh_data(self) -> None:
        if not self.query("#settings-tabs"):
            return  # not composed yet: on_mount loads it
        planner = self.app.planner
        profile = planner.profile()
        settings = planner.settings()
        self._loading = True
        try:
            for q in PROFILE_QUESTIONS:
                box = self.query_one(f"#p-{q.field}", Checkbox)
                saved = self._pending_profile.get(q.field, getattr(profile, q.field))
                if box.value != saved:
                    box.value = saved
            days = self._pending_days
            for day in WEEKDAYS:
                box = self.query_one(f"#pd-{day}", Checkbox)
                on = day in (profile.preferred_days if days is None else days)
                if box.value != on:
                    box.value = on
            # keep what the user is typing: only a field still showing the saved time
            time_field = self.query_one("#pref-time", Input)
            saved_time = profile.preferred_time or ""
            if self._loaded_time is None or time_field.value == self._loaded_time:
                time_field.value = saved_time
            self._loaded_time = saved_time
            table = self.query_one("#zones-table", DataTable)
            table.clear()
            for e in profile.exclusions:
                until = e.until.isoformat() if e.until else "—"
                state = "" if e.active_on(planner.today) else " (ended)"
                table.add_row(Text(e.zone), Text(e.reason), Text(until + state), key=e.zone)
            table.display = bool(profile.exclusions)
            self.query_one("#zones-none").display = not profile.exclusions
            for key in RANGES:
                # keep what the user is typing: only fields still showing the saved value
                field = self.query_one(f"#s-{key}", Input)
                saved = str(getattr(settings, key))
                if key not in self._loaded_rules or field.value == self._loaded_rules[key]:
                    field.value = saved
                self._loaded_rules[key] = saved
            select = self.query_one("#theme-select", Select)
            theme = self._pending_theme or settings.theme
            if theme in self.app.available_themes and select.value != theme:
                select.value = theme
        finally:
            self.call_after_refresh(self._done_loading)

    def _done_loading(self) -> None:
        self._loading = False

    # ............................................................. profile

    @on(Checkbox.Changed, ".rec-check")
    @guard
    def _profile_changed(self, event: Checkbox.Changed) -> None:
        name = (event.checkbox.id or "").removeprefix("p-")
        value = bool(event.value)
        if self._loading:
            return
        if name not in self._pending_profile and \
                getattr(self.app.planner.profile(), name) == value:
            return
        self._pending_profile[name] = value
        self._save_switched()

    def _save_switched(self) -> None:
        """Save the profile answers and the theme switched meanwhile (after the write under
        way, if any)."""
        if self.saving:
            return
        if self._pending_profile:
            changes, self._pending_profile = self._pending_profile, {}

            def saved(_profile) -> None:
                for name, value in changes.items():
                    self.app.notify(f"{question(name).label}: {'yes' if value else 'no'}",
                                    title="Profile saved")
                self._save_switched()

            self.write(lambda p: p.set_profile(**changes), saved, self._switch_failed)
        elif self._pending_days is not None:
            days, self._pending_days = self._pending_days, None

            def days_saved(profile) -> None:
                self.app.notify(f"Preferred days: {describe_days(profile.preferred_days)}",
                                title="Preferences saved")
                self._save_switched()

            self.write(lambda p: p.set_preferences(days=",".join(days) or "none"),
                       days_saved, self._switch_failed)
        elif self._pending_theme is not None:
            theme, self._pending_theme = self._pending_theme, None

            def themed(_settings) -> None:
                self.app.notify(f"Theme: {theme}", title="Settings")
                self._save_switched()

            self.write(lambda p: p.set_settings(theme=theme), themed, self._switch_failed)

    def _switch_failed(self, exc: BaseException) -> None:
        if isinstance(exc, BadInput):
            self.app.notify(str(exc), severity="error", markup=False)
        else:
            self.app.notify_error(exc)
        self.reload()  # the switches show what is saved
        self._save_switched()

    # ..................................................... preferred days and time

    @on(Checkbox.Changed, ".pref-day")
    @guard
    def _day_changed(self, event: Checkbox.Changed) -> None:
        if self._loading:
            return
        days = tuple(d for d in WEEKDAYS if self.query_one(f"#pd-{d}", Checkbox).value)
        if self._pending_days is None and days == self.app.planner.profile().preferred_days:
            return
        self._pending_days = days
        self._save_switched()

    @on(Input.Submitted, "#pref-time")
    @guard
    def _time_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save_time()

    @guard
    def _save_time(self) -> None:
        """Save the preferred time as typed (empty: none); the service refuses a time that
        is not HH:MM, shown beside the field, and then nothing is written."""
        err = self.query_one("#err-preferred_time", FieldError)
        err.clear()
        self._judged.pop("preferred_time", None)
        raw = self.query_one("#pref-time", Input).value.strip()
        if raw == (self.app.planner.profile().preferred_time or ""):
            self.app.notify("Nothing changed.", title="Preferred time")
            return

        def saved(profile) -> None:
            time = profile.preferred_time
            self._loaded_time = time or ""
            self.query_one("#pref-time", Input).value = self._loaded_time
            self.app.notify(f"Preferred time: {time or 'none'}", title="Preferences saved")
            self._save_switched()

        def refused(exc: BaseException) -> None:
            if isinstance(exc, BadInput):
                err.show(str(exc))
                self._judge("preferred_time", ("pref-time",))
                _focus_wrong(self.query_one("#pref-time", Input))
            else:
                self.app.notify_error(exc)
            self._save_switched()

        self.write(lambda p: p.set_preferences(time=raw or "none"), saved, refused)

    # ............................................................... tabs

    # the widget a tab shown by its key focuses; None: the tab bar (no text field gets the
    # cursor by itself, see the module docstring)
    TAB_FOCUS: dict[str, str | None] = dict(sections.tab_focus(SECTION))

    @guard
    def action_tab(self, tab: str) -> None:
        self.query_one("#settings-tabs", TabbedContent).active = tab
        self.call_after_refresh(self._focus_tab, tab)

    def _focus_tab(self, tab: str) -> None:
        target = self.TAB_FOCUS.get(tab)
        if target == "#zones-table" and not self.query_one(target).display:
            target = "#x-add"  # no zone yet: the button that adds one
        if target is None:
            self.query_one("#settings-tabs", TabbedContent).query_one(Tabs).focus()
        else:
            self.query_one(target).focus()

    def action_leave_field(self) -> None:
        """esc: from a field of a tab to the tab bar, where 1–4 and the section keys work."""
        tabs = self.query_one("#settings-tabs", TabbedContent).query_one(Tabs)
        if self.focused is not None and self.focused is not tabs:
            tabs.focus()

    # ............................................................... zones

    @guard
    def action_add_exclusion(self, zone: str | None = None) -> None:
        """The form that excludes a zone (from any tab: the Zones tab is shown under it)."""
        from planner.app.forms.exclusion import ExclusionFormScreen

        if self.query_one("#settings-tabs", TabbedContent).active != "zones":
            self.action_tab("zones")

        def done(saved: str | None) -> None:
            if saved is not None:
                self.refresh_data()
                table = self.query_one("#zones-table", DataTable)
                try:
                    table.move_cursor(row=table.get_row_index(saved))
                except KeyError:  # pragma: no cover - included again meanwhile
                    return
                table.focus()

        shown = next((e for e in self.app.planner.profile().exclusions if e.zone == zone), None)
        form = (ExclusionFormScreen(zone) if shown is None
                else ExclusionFormScreen(shown.zone, shown.reason, shown.until))
        self.app.push_screen(form, done)

    @on(Button.Pressed, "#x-add")
    @guard
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add_exclusion()

    @on(DataTable.RowSelected, "#zones-table")
    @guard
    def _zone_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_add_exclusion(event.row_key.value)

    @guard
    def action_remove_exclusion(self) -> None:
        zone = cursor_row_key(self.query_one("#zones-table", DataTable))
        if self.query_one("#settings-tabs", TabbedContent).active != "zones" or zone is None:
            self.app.notify("No excluded zone selected (Zones tab).", severity="warning")
            return

        def included(_profile) -> None:
            self.app.notify(f"{zone} is included again", title="Zones")
            self._save_switched()

        self.write(lambda p: p.include(zone), included, self._switch_failed)

    # ............................................................... rules

    @on(Button.Pressed, "#save-rules")
    @guard
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save_rules()

    @on(Button.Pressed, "#reset-rules")
    @guard
    def _reset_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        clear_errors(self)
        self._judged.clear()
        settings = self.app.planner.settings()
        for key in RANGES:
            self.query_one(f"#s-{key}", Input).value = str(getattr(settings, key))
            self._loaded_rules[key] = str(getattr(settings, key))

    @on(Input.Submitted, ".rec-rule-row Input")
    @guard
    def _rule_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save_rules()

    @guard
    def action_save_rules(self) -> None:
        if self.focused is self.query_one("#pref-time", Input):
            self._save_time()  # ctrl+s in the time field saves the time
            return
        tabs = self.query_one("#settings-tabs", TabbedContent)
        if tabs.active != "rules":
            self.action_tab("rules")
            return
        if self.saving:
            return
        for key in (*RANGES, "rules"):
            self.query_one(f"#err-{key}", FieldError).clear()
            self._judged.pop(key, None)
        current = self.app.planner.settings()
        changes: dict[str, int] = {}
        errors: dict[str, str] = {}
        for key, rng in RANGES.items():
            raw = self.query_one(f"#s-{key}", Input).value.strip()
            label = RULE_LABELS[key]
            try:
                value = int(raw)
            except ValueError:
                errors[key] = f"{label}: enter a whole number {rng.low}–{rng.high}"
                continue
            if value == getattr(current, key):
                continue
            if not rng.low <= value <= rng.high:  # the range each field shows beside it
                errors[key] = (f"{label}: {value} is outside the allowed range "
                               f"{rng.low}–{rng.high}; rules may only be made stricter "
                               "than the defaults")
                continue
            changes[key] = value
        if show_errors(self, errors):
            for key in errors:
                self._judge(key, (f"s-{key}",))
            self._focus_rule(next(iter(errors)))
            return
        if not changes:
            self.app.notify("Nothing changed.", title="Rules")
            return

        def saved(_settings) -> None:
            names = ", ".join(f"{RULE_LABELS[k].lower()} {v}" for k, v in changes.items())
            self.app.notify(f"Saved: {names}", title="Rules")
            self._save_switched()

        def refused(exc: BaseException) -> None:  # values that do not go together
            if isinstance(exc, BadInput):
                field = exc.field if exc.field in RANGES else "rules"
                show_errors(self, {field: str(exc)})
                # values that do not go together: an edit of any of them may mend it
                self._judge(field, tuple(f"s-{k}" for k in RANGES))
                self._focus_rule(field)
            else:
                self.app.notify_error(exc)
            self._save_switched()

        self.write(lambda p: p.set_settings(**changes), saved, refused)

    def _judge(self, error: str, fields: tuple[str, ...]) -> None:
        """The error shown at `#err-<error>` spoke of the values the `fields` (ids) hold
        now: it goes when one of them is edited."""
        values = {f: self.query_one(f"#{f}", Input).value for f in fields}
        self._judged[error] = (values, fields)

    @on(Input.Changed, "TypedField")
    def _field_edited(self, _event: Input.Changed) -> None:
        for error, (values, fields) in list(self._judged.items()):
            if any(self.query_one(f"#{f}", Input).value != values[f] for f in fields):
                self.query_one(f"#err-{error}", FieldError).clear()
                del self._judged[error]

    def _focus_rule(self, key: str) -> None:
        if key in RANGES:
            _focus_wrong(self.query_one(f"#s-{key}", Input))

    # ............................................................... theme

    @on(Select.Changed, "#theme-select")
    @guard
    def _theme_changed(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str):
            return
        self.app.theme = event.value
        if self._pending_theme is None and event.value == self.app.planner.settings().theme:
            return
        self._pending_theme = event.value
        self._save_switched()


def _focus_wrong(field: Input) -> None:
    """The cursor to a field found wrong, its value selected: what is typed next replaces
    it (the field may have the focus already, then no focus event selects it)."""
    field.focus()
    field.select_all()


def _pane(tab_id: str) -> TabPane:
    """The tab of the registry's Settings section with that id."""
    return TabPane(sections.tab_title(SECTION, tab_id), id=tab_id)


__all__ = ["SettingsScreen", "RULE_LABELS"]
