"""Command palette (ctrl+p): every section switch and every action of the current screen.

The screen's own actions are read from its key bindings (what the footer shows), so
every section a screen adds is listed without registering it here. A screen may add
palette-only commands with `PALETTE_COMMANDS = [(label, action, help), ...]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from planner.app import sections

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

    from planner.app.app import AcuplanApp

SECTIONS = sections.palette_entries()  # (label, app action, help): sections, then Help


class AcuplanCommands(Provider):
    """Sections plus the actions of the screen the palette was opened from."""

    def _commands(self) -> Iterator[tuple[str, object, str, str]]:
        app = cast("AcuplanApp", self.app)
        screen = self.screen
        seen: set[str] = set()
        in_session = getattr(screen, "IN_SESSION", False)
        if app.store_error is None and not in_session:
            for label, action, help_text in SECTIONS:
                seen.add(action)
                yield label, app, action, help_text
        else:
            yield SECTIONS[-1][0], app, SECTIONS[-1][1], SECTIONS[-1][2]
        for label, action, help_text in getattr(screen, "PALETTE_COMMANDS", ()):
            if action in seen:
                continue
            seen.add(action)
            yield label, screen, action, help_text
        bindings: Iterable[ActiveBinding]
        try:
            bindings = screen.active_bindings.values()
        except Exception:  # pragma: no cover - defensive: the palette must always open
            bindings = ()
        section = getattr(screen, "title", None) or screen.__class__.__name__
        for active in bindings:
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            if active.node is app:
                continue  # section keys and quit are listed above / by the system
            if not active.enabled:
                continue
            seen.add(binding.action)
            key = binding.key_display or app.get_key_display(binding)
            yield binding.description, active.node, binding.action, f"{key} · {section}"

    async def discover(self) -> Hits:
        for label, node, action, help_text in self._commands():
            yield DiscoveryHit(label, partial(self._run, node, action), text=label,
                               help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, node, action, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._run, node, action),
                          text=label, help=help_text)

    async def _run(self, node, action: str) -> None:
        await node.run_action(action)


__all__ = ["AcuplanCommands", "SECTIONS"]
