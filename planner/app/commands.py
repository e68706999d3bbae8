"""Command palette (ctrl+p): every action of the app, from anywhere.

Listed in this order:

1. the sections ("Go to Plan", …) and Help;
2. the current screen's own actions, unprefixed: its key bindings (what the footer shows,
   dimmed ones left out) and its `PALETTE_COMMANDS = [(label, action, help), ...]`;
3. every other section's actions as "<Section>: <what>", read from its screen class
   (bindings with a description, then PALETTE_COMMANDS) without building the screen.
   Running one switches to that section (as its key does) and runs the action on the
   section's screen once it is mounted;
4. data in and out ("Data: export the journal", …, planner/app/forms/data.py).

Nothing but Help is offered while a guided session runs or the journal is unusable (the
error screen). While the first run is open, only what can fill an empty journal (import,
restore) is added. The section screen modules are imported once, the first time the
palette opens (in a thread, so the palette shows at once).
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from planner.app import sections
from planner.store.errors import StoreError

if TYPE_CHECKING:
    from textual.binding import ActiveBinding
    from textual.screen import Screen

    from planner.app.app import AcuplanApp

SECTIONS = sections.palette_entries()  # (label, app action, help): sections, then Help

# Another section's command ranks just under the current screen's own for the same match.
OTHER_SECTION_WEIGHT = 0.95


class SectionCommand(NamedTuple):
    """An action of a section's screen, as the palette lists it from anywhere."""

    label: str          # "Journal: pause sessions"
    action: str         # run on the section's screen
    binding: Binding | None  # its key, when it has one (shown in the help text)
    about: str          # what it does, when the screen says (PALETTE_COMMANDS)


if TYPE_CHECKING:
    ScreenCommands = tuple[sections.Section, type[Screen], tuple[SectionCommand, ...]]

_SCREENS: tuple[ScreenCommands, ...] | None = None  # read once, by section_commands()


def _lower_first(text: str) -> str:
    """ "Pause sessions" -> "pause sessions" (an acronym such as "EX-HN3" stays)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _prefixed(section: sections.Section, label: str) -> str:
    prefix = f"{section.title}: "
    return label if label.startswith(prefix) else prefix + _lower_first(label)


def _as_binding(raw: Any) -> Binding:
    binding = raw if isinstance(raw, Binding) else Binding(*raw)
    if "," in binding.key and not binding.key_display:  # "n,escape": shown as the first
        first = binding.key.split(",")[0].strip()
        binding = Binding(first, binding.action, binding.description, show=binding.show)
    return binding


def commands_of(section: sections.Section, screen_cls: type) -> tuple[SectionCommand, ...]:
    """A section screen's palette commands then its described key bindings, one per action
    (the first wins: a palette label says more than a footer word)."""
    out: list[SectionCommand] = []
    seen: set[str] = set()
    for label, action, about in getattr(screen_cls, "PALETTE_COMMANDS", ()):
        if action in seen:
            continue
        seen.add(action)
        out.append(SectionCommand(_prefixed(section, label), action, None, about))
    for raw in getattr(screen_cls, "BINDINGS", ()):
        binding = _as_binding(raw)
        if not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        out.append(SectionCommand(_prefixed(section, binding.description), binding.action,
                                  binding, ""))
    return tuple(out)


def section_commands() -> tuple[ScreenCommands, ...]:
    """(section, its screen class, its commands) for every section; the screen modules are
    imported the first time only."""
    global _SCREENS
    if _SCREENS is None:
        found = []
        for section in sections.SECTIONS:
            cls = getattr(importlib.import_module(section.module), section.screen)
            found.append((section, cls, commands_of(section, cls)))
        _SCREENS = tuple(found)
    return _SCREENS


def section_help(app, section: sections.Section, command: SectionCommand) -> str:
    """The palette's help line: the keys that do it from anywhere, then what it does.
    "j then u · Journal" (a key binding), "j then l · a session done without the guide"
    (a palette command naming its key), "t then ctrl+p · clinic peel, laser, …" (a palette
    command without a key of its own)."""
    go = section.key_display
    if command.binding is not None:
        return f"{go} then {app.get_key_display(command.binding)} · {section.title}"
    head, sep, rest = command.about.partition(" · ")
    if sep and head != section.title and " " not in head:
        return f"{go} then {command.about}"
    about = rest if sep and head == section.title else command.about
    return f"{go} then ctrl+p · {about}" if about else f"{go} then ctrl+p · {section.title}"


def after_replace(app: AcuplanApp) -> None:
    """The journal was imported or restored (planner/app/forms/data.py). A first run that
    was open asked about an empty journal: it closes, and opens again (from the journal as
    it is now) only if the notice or the profile is still to do."""
    from planner.app.screens.first_run import FirstRunScreen

    if not isinstance(app.screen, FirstRunScreen):
        return
    app.screen.dismiss(True)

    def first_run_again() -> None:
        if app.store_error is not None:
            return
        if app.sections_locked():  # the first run's closing is not handled yet
            app.call_after_refresh(first_run_again)
            return
        try:
            profile = app.planner.profile()
        except StoreError as exc:
            app.show_store_error(exc)
            return
        if not (profile.notice_accepted and profile.onboarded):
            app.open_first_run()

    app.call_after_refresh(first_run_again)


def _in_session(app) -> bool:
    return any(getattr(s, "IN_SESSION", False) for s in app.screen_stack)


class AcuplanCommands(Provider):
    """Sections, the current screen's actions, every other section's, and data in/out."""

    async def startup(self) -> None:
        """Import the section screens off the event loop, the first time only."""
        if _SCREENS is None:
            await asyncio.to_thread(section_commands)

    def _commands(self) -> Iterator[tuple[str, Any, str, float]]:
        """(label, what to run, help, weight) for each command offered here."""
        app = cast("AcuplanApp", self.app)
        screen = self.screen
        seen: set[str] = set()
        usable = app.store_error is None and not _in_session(app)
        if usable:
            for label, action, help_text in SECTIONS:
                seen.add(action)
                yield label, partial(self._run, app, action), help_text, 1.0
        else:
            label, action, help_text = SECTIONS[-1]
            yield label, partial(self._run, app, action), help_text, 1.0
        own = self._own_commands(app, screen, seen)
        yield from own
        if not usable:
            return
        if not app.sections_locked():
            for section, cls, commands in section_commands():
                if isinstance(screen, cls):
                    continue  # its commands are the screen's own, listed above
                for command in commands:
                    yield (command.label,
                           partial(self._run_in_section, section, cls, command.action),
                           section_help(app, section, command), OTHER_SECTION_WEIGHT)
        from planner.app.forms import data

        for name, label, help_text in data.available(app):
            yield label, partial(data.run, app, name, after_replace), help_text, 1.0

    def _own_commands(self, app, screen, seen: set[str]) -> Iterator[tuple[str, Any, str,
                                                                         float]]:
        for label, action, help_text in getattr(screen, "PALETTE_COMMANDS", ()):
            if action in seen:
                continue
            seen.add(action)
            yield label, partial(self._run, screen, action), help_text, 1.0
        bindings: Iterable[ActiveBinding]
        try:
            bindings = screen.active_bindings.values()
        except Exception:  # pragma: no cover - defensive: the palette must always open
            bindings = ()
        section = getattr(screen, "title", None) or screen.__class__.__name__
        declared = {_as_binding(raw).action for raw in getattr(type(screen), "BINDINGS", ())}
        for active in bindings:
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            if active.node is app:
                continue  # section keys and quit are listed above / by the system
            if not active.enabled:
                continue
            if not binding.show and not (active.node is screen and binding.action in declared):
                continue  # scrolling, focus, copy: keys every screen has, not its actions
            seen.add(binding.action)
            key = binding.key_display or app.get_key_display(binding)
            yield (binding.description, partial(self._run, active.node, binding.action),
                   f"{key} · {section}", 1.0)

    async def discover(self) -> Hits:
        for label, run, help_text, _weight in self._commands():
            yield DiscoveryHit(label, run, text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, run, help_text, weight in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score * weight, matcher.highlight(label), run, text=label,
                          help=help_text)

    async def _run(self, node, action: str) -> None:
        await node.run_action(action)

    async def _run_in_section(self, section: sections.Section, screen_cls: type[Screen],
                              action: str) -> None:
        """Show the section as its key does (refused while a session runs, the journal is
        unusable or the first run is open), wait for its screen to be mounted, then run
        the action there."""
        app = cast("AcuplanApp", self.app)
        if not app.check_action("section", (section.mode,)):
            return
        from planner.app.screens.help import HelpScreen

        if isinstance(app.screen, HelpScreen):  # Help was open: the action is what's wanted
            await app.pop_screen()
        await app.switch_mode(section.mode)
        target = next((s for s in reversed(app.screen_stack) if isinstance(s, screen_cls)),
                      None)
        if target is not None:
            # Not here and now: a screen mounted just now finishes setting itself up (its
            # focus, hence its tab) once the app has handled what its mount asked for, and
            # this runs on the app's own task. After the repaint, that is done.
            app.call_after_refresh(partial(target.run_action, action))


__all__ = ["AcuplanCommands", "SECTIONS", "SectionCommand", "after_replace", "commands_of",
           "section_commands", "section_help"]
