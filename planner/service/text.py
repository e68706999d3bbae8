"""Text that is safe to print on a terminal (SPEC §7), for the command line and for the
answers the status cache keeps for it.

User text (notes, routine names, ids and kinds from an imported or hand-edited file)
is printed as it was typed, except that nothing reaches the terminal that could drive
it: `terminal_safe` shows C0 controls (but newline and tab), DEL, C1 controls and bidi
controls as visible escapes, so an OSC 52 sequence in a note cannot write the
clipboard. `json_text` escapes the same characters as \\uXXXX, so it stays valid JSON
and safe to print.
"""

from __future__ import annotations

import json
import re
from typing import Any

# What a terminal would act on: C0 but newline and tab, DEL, C1, and the bidi controls
# that reorder what is shown (Trojan Source).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                    "\u2066-\u2069]")


def _escaped(m: re.Match) -> str:
    n = ord(m.group())
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on shown as an escape."""
    return UNSAFE.sub(_escaped, text)


def json_text(value: Any) -> str:
    """JSON for a terminal or a pipe: what json leaves raw among the characters a terminal
    acts on (DEL, C1, bidi controls) is written as a \\u escape too."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in stored text: escape it
        text = json.dumps(value, ensure_ascii=True, indent=2)
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
