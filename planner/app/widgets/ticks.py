"""Toggles whose state reads without colour (NO_COLOR): a tick when on, blank when off.

Textual's own Checkbox shows the same "X" on and off and relies on colour alone.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


class TickCheckbox(Checkbox):
    """A checkbox whose state reads without colour (NO_COLOR): ✓ when on, blank when off."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "✓" if self.value else " "


class TickSelectionList(SelectionList):
    """A selection list whose ticks read without colour (NO_COLOR): ✓ on, blank off."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return strip
        mark = "✓" if selection.value in self._selected else " "
        segments = list(strip)
        for i, seg in enumerate(segments):
            if seg.text == ToggleButton.BUTTON_INNER:
                segments[i] = Segment(mark, seg.style, seg.control)
                break
        return Strip(segments, strip.cell_length)
