"""The sections of the app: one registry, read by the app's keys, Help, the command
palette, Today's hint line, and the Settings and History tabs.

A section is a Textual mode with a key that switches to it from anywhere. Adding one
means adding a `Section` here and its screen class; nothing else names the sections.
Imports nothing from Textual's widgets and no screen: the app reads it at start-up.
"""

from __future__ import annotations

from typing import NamedTuple


class Tab(NamedTuple):
    """A tab of a section screen: `key` (a digit) shows it, the palette offers it."""

    id: str
    key: str
    label: str
    palette: str                # the palette's label after "<Section>: "
    about: str                  # the palette's help text after "key · "
    focus: str | None = None    # selector of the widget to focus when shown by its key


class Section(NamedTuple):
    mode: str                   # the Textual mode (and `action_section` argument)
    key: str                    # the key binding, as Textual names it
    key_display: str            # the key, as the user reads it
    title: str
    module: str                 # the screen class, imported the first time it is shown
    screen: str
    about: str                  # what it holds, for the palette
    # Help's rows as (keys, what). None: the screen's own key bindings are listed.
    help_rows: tuple[tuple[str, str], ...] | None = None
    tabs: tuple[Tab, ...] = ()

    @property
    def help_title(self) -> str:
        return f"{self.title} ({self.key_display})"

    @property
    def action(self) -> str:
        return f"section('{self.mode}')"


TODAY = Section(
    "today", "t", "t", "Today", "planner.app.screens.today", "TodayScreen",
    "what today allows, the next plan, streaks",
    help_rows=(
        ("s", "start a session (refused, with the reasons, when today is blocked)"),
        ("c", "daily skin check-in (today's, to edit, once there is one)"),
        ("a", "log a home product (retinoid, acid, scrub, peel)"),
        ("m", "move a blocked plan to the earliest allowed date"),
        ("n", "plan the next allowed day (a preferred day, when you set some)"),
    ))
PLAN = Section(
    "plan", "p", "p", "Plan", "planner.app.screens.plan", "PlanScreen",
    "month calendar: plan and unplan sessions",
    help_rows=(
        ("arrows", "move the cursor; the day's reasons show beside the calendar"),
        ("n / enter", "plan the selected day (asks the minutes)"),
        ("u", "unplan the selected day"),
        ("N", "plan the next allowed day (a preferred day, when you set some)"),
        ("m", "move the selected day's blocked plan to the earliest allowed date"),
        ("[ ]  pgup pgdn", "previous / next month"),
        ("home", "back to today"),
        ("ctrl+z", "put back the plan just removed (checked again by the rules)"),
        ("", "✓ done  ◐ partial  ⊘ aborted  ⚠ broke a rule  ◇ missed plan  ◆ planned  "
             "! planned but blocked  · allowed  ✕ blocked"),
    ))
ROUTINES = Section(
    "routines", "r", "r", "Routines", "planner.app.screens.routines", "RoutinesScreen",
    "library, details and the builder")
JOURNAL = Section(
    "journal", "j", "j", "Journal", "planner.app.screens.journal", "JournalScreen",
    "check-ins, reactions, products, procedures")
HISTORY = Section(
    "history", "h", "h", "History", "planner.app.screens.history", "HistoryScreen",
    "heat map, charts, streak history",
    tabs=(
        Tab("calendar", "1", "Calendar", "calendar heat map", "sessions and check-ins by day"),
        Tab("minutes", "2", "Minutes", "minutes chart", "minutes per session"),
        Tab("skin", "3", "Skin", "skin chart", "redness and swelling over time"),
        Tab("score", "4", "Score", "score chart", "habit strength over time"),
        Tab("streaks", "5", "Streaks", "streak runs", "every run of sessions on schedule",
            "#runs-table"),
        Tab("records", "6", "Records", "records table", "everything by date, filtered",
            "#h-table"),
        Tab("insights", "7", "Insights", "insights", "what went with skin reactions",
            "#insights-table"),
    ))
SETTINGS = Section(
    "settings", "comma", ",", "Settings", "planner.app.screens.settings", "SettingsScreen",
    "profile, excluded zones, rule values",
    tabs=(
        Tab("profile", "1", "Profile", "profile", "health questions that shape routines",
            "#p-pregnant"),
        Tab("zones", "2", "Zones", "excluded zones", "zones the builder leaves out",
            "#zones-table"),
        # Rules opens on the tab bar: a field takes keys only once the user goes into it
        Tab("rules", "3", "Rules", "rule values", "stricter spacing, waits, cadence, ramp"),
        Tab("theme", "4", "Theme", "theme", "colours of the app", "#theme-select"),
    ))

SECTIONS: tuple[Section, ...] = (TODAY, PLAN, ROUTINES, JOURNAL, HISTORY, SETTINGS)
BY_MODE: dict[str, Section] = {s.mode: s for s in SECTIONS}

# Help (?) is reached from everywhere too; it is a screen on top, not a section.
HELP_KEY, HELP_KEY_DISPLAY = "question_mark", "?"
HELP_LABEL = "Help and safety notice"
HELP_ABOUT = "keys of every section and the safety notice"

# Help's rows that belong to no section.
EVERYWHERE_ROWS: tuple[tuple[str, str], ...] = (
    (" ".join(s.key_display for s in SECTIONS), " · ".join(s.title for s in SECTIONS)),
    (HELP_KEY_DISPLAY, "this help (again to close)"),
    ("ctrl+p", "command palette: every action by name"),
    ("tab / shift+tab", "move between fields and lists"),
    ("ctrl+q", "quit"),
)
SESSION_ROWS: tuple[tuple[str, str], ...] = (
    ("space", "pause / resume"),
    ("n / right", "skip this step"),
    ("x", "stop — I feel unwell (saves the session as aborted, opens the reaction form)"),
    ("escape", "end now: asks to save it as partial, keep going or discard; on the "
               "aftercare screen: close"),
    ("", "skipped steps save the session as partial; ctrl+q mid-session saves it as "
         "partial"),
    ("1 / 2 / 3 / 4", "after the session: no reaction / mild, log it / worse, log it / skip"),
)
SESSION_HELP_AFTER = PLAN  # Help lists the guided session's keys after this section's


def hint_line() -> str:
    """Today's reminder of the section keys: "t Today · p Plan · … · ? Help"."""
    return " · ".join([*(f"{s.key_display} {s.title}" for s in SECTIONS),
                       f"{HELP_KEY_DISPLAY} Help"])


def palette_entries() -> tuple[tuple[str, str, str], ...]:
    """(label, app action, help) for every section, then Help."""
    return (*((f"Go to {s.title}", s.action, f"{s.key_display} · {s.about}")
              for s in SECTIONS),
            (HELP_LABEL, "help", f"{HELP_KEY_DISPLAY} · {HELP_ABOUT}"))


def tab_bindings(section: Section) -> list:
    """The key bindings that show each tab of a section (listed in Help, not the footer)."""
    from textual.binding import Binding

    return [Binding(t.key, f"tab('{t.id}')", t.label, show=False) for t in section.tabs]


def tab_palette(section: Section) -> list[tuple[str, str, str]]:
    """Palette commands that show each tab of a section."""
    return [(f"{section.title}: {t.palette}", f"tab('{t.id}')", f"{t.key} · {t.about}")
            for t in section.tabs]


def tab_title(section: Section, tab_id: str) -> str:
    """A tab's title as shown on the tab: "1 Profile"."""
    tab = next(t for t in section.tabs if t.id == tab_id)
    return f"{tab.key} {tab.label}"


def tab_focus(section: Section) -> dict[str, str]:
    """Tab id -> the widget to focus when the tab is shown by its key."""
    return {t.id: t.focus for t in section.tabs if t.focus}


__all__ = ["Section", "Tab", "SECTIONS", "BY_MODE", "TODAY", "PLAN", "ROUTINES", "JOURNAL",
           "HISTORY", "SETTINGS", "EVERYWHERE_ROWS", "SESSION_ROWS", "SESSION_HELP_AFTER",
           "hint_line",
           "palette_entries", "tab_bindings", "tab_palette", "tab_title", "tab_focus"]
