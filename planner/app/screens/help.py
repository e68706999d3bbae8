"""Help (?): the keys of every section and the full safety notice."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from planner.app.screens.first_run import NOTICE_TITLE, SAFETY_NOTICE

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Everywhere", (
        ("t p r j h ,", "Today · Plan · Routines · Journal · History · Settings"),
        ("?", "this help (again to close)"),
        ("ctrl+p", "command palette: every action by name"),
        ("tab / shift+tab", "move between fields and lists"),
        ("ctrl+q", "quit"),
    )),
    ("Today (t)", (
        ("s", "start a session (refused, with the reasons, when today is blocked)"),
        ("c", "daily skin check-in (today's, to edit, once there is one)"),
        ("a", "log a home product (retinoid, acid, scrub, peel)"),
        ("m", "move a blocked plan to the earliest allowed date"),
        ("n", "plan the next allowed day"),
    )),
    ("Plan (p)", (
        ("arrows", "move the cursor; the day's reasons show beside the calendar"),
        ("n / enter", "plan the selected day (asks the minutes)"),
        ("u", "unplan the selected day"),
        ("m", "move the selected day's blocked plan to the earliest allowed date"),
        ("[ ]  pgup pgdn", "previous / next month"),
        ("home", "back to today"),
        ("", "✓ done  ◐ partial  ⊘ aborted  ⚠ broke a rule  ◇ missed plan  ◆ planned  "
             "! planned but blocked  · allowed  ✕ blocked"),
    )),
    ("Session", (
        ("space", "pause / resume"),
        ("n / right", "skip this step"),
        ("x", "stop — I feel unwell (saves the session as aborted, opens the reaction form)"),
        ("escape", "end now: asks to save it as partial, keep going or discard; on the "
                   "aftercare screen: close"),
        ("", "skipped steps save the session as partial; ctrl+q mid-session saves it as "
             "partial"),
        ("1 / 2 / 3", "after the session: no reaction / mild, log it / skip"),
    )),
    ("Routines (r)", (
        ("enter", "open a routine's steps"),
        ("b", "builder: concerns, techniques, minutes → preview, save as your own"),
        ("s", "start the selected routine"),
    )),
    ("Journal (j)", (
        ("c / e", "new check-in / reaction"),
        ("p / o / i", "log a product / procedure / injectable"),
        ("enter / d", "edit / delete the selected entry (asks first)"),
    )),
    ("History (h)", (("tab", "move between the heat map, charts and tables"),)),
    ("Settings (,)", (("ctrl+s", "save; looser-than-allowed values are refused with the range"),)),
)


LAZY_TITLES = {"routines": "Routines (r)", "journal": "Journal (j)", "history": "History (h)",
               "settings": "Settings (,)"}


def _screen_keys(app, screen_cls) -> tuple[tuple[str, str], ...]:
    """The keys a section screen class declares, as (key, description)."""
    from textual.binding import Binding

    rows = []
    for b in getattr(screen_cls, "BINDINGS", ()):
        if not isinstance(b, Binding):
            b = Binding(*b)
        if not b.description:
            continue
        key = b.key_display or (app.get_key_display(b) if app is not None else b.key)
        rows.append((key, b.description))
    return tuple(rows)


def live_keys(app=None):
    """KEYS, with each section's rows read from its screen's own bindings."""
    import importlib

    from planner.app.app import LAZY_SECTIONS

    out = []
    by_title = {title: mode for mode, title in LAZY_TITLES.items()}
    for section, rows in KEYS:
        mode = by_title.get(section)
        if mode is not None:
            module, cls_name = LAZY_SECTIONS[mode]
            found = _screen_keys(app, getattr(importlib.import_module(module), cls_name))
            if found:
                rows = found
        out.append((section, rows))
    return tuple(out)


def keys_content(keys=KEYS) -> Content:
    lines: list[Content] = []
    for section, rows in keys:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(section, "bold $accent"))
        for key, what in rows:
            lines.append(Content.assemble(("  " + key.ljust(16), "bold"), what))
    return Content("\n").join(lines)


class KeyTable(Vertical):
    """Sections of (key, what) rows; descriptions wrap beside their key."""

    DEFAULT_CSS = """
    KeyTable { height: auto; }
    KeyTable > .keys-title { text-style: bold; color: $text-accent; height: auto;
                             margin: 1 0 0 0; }
    KeyTable > .keys-title.-first { margin: 0; }
    KeyTable > .keys-row { height: auto; }
    KeyTable .keys-key { width: 18; text-style: bold; padding: 0 0 0 2; }
    KeyTable .keys-what { width: 1fr; }
    """

    def __init__(self, keys, **kwargs) -> None:
        super().__init__(**kwargs)
        self.keys = keys

    @property
    def content(self) -> Content:
        return keys_content(self.keys)

    def compose(self) -> ComposeResult:
        for i, (section, rows) in enumerate(self.keys):
            yield Static(section, classes="keys-title" + (" -first" if i == 0 else ""),
                         markup=False)
            for key, what in rows:
                with Horizontal(classes="keys-row"):
                    yield Static(key, classes="keys-key", markup=False)
                    yield Static(what, classes="keys-what", markup=False)


class HelpScreen(Screen):
    TITLE = "Help"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield KeyTable(live_keys(self.app), id="help-keys", classes="card")
            yield Static(SAFETY_NOTICE, id="help-notice", classes="card", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-keys").border_title = "Keys"
        self.query_one("#help-notice").border_title = NOTICE_TITLE
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss()


__all__ = ["HelpScreen", "KEYS", "keys_content"]
