"""The base classes of the domain's immutable values: frozen, typed msgspec Structs.

A `Value` is what `@dataclass(frozen=True)` would give (keyword or positional
construction with defaults, equality and hashing by fields, a readable repr, no
assignment after construction), declared in C: defining a class costs microseconds
(dataclasses compile source text and import `inspect`), type checkers see the
constructor, and msgspec can build a value straight from JSON, checking each field's
type on the way (planner.service.tables decodes the whole journal so).

A `Record` is a value kept by the journal. Records are left out of the cyclic garbage
collector (`gc=False`): they never hold a reference cycle, and a 10-year journal holds
~5,000 of them, which every collection would otherwise walk again.

`replace` and `fields` are msgspec's: a copy with some fields changed (not checked
again), and the declared fields in order (each with `.name` and `.default`).
"""

from __future__ import annotations

import sys


def _import_msgspec() -> None:
    """Import msgspec without typing_extensions, when nothing has imported that yet.

    msgspec reads annotations with typing_extensions' `get_type_hints` if it is installed
    (Textual installs it), else with `typing`'s, which on Python 3.11+ reads these
    records' annotations the same. typing_extensions imports `inspect` (and `ast`, `dis`,
    `tokenize`): 37 M of the 98 M instructions msgspec's import costs, 15% of what
    `acuplan status` may spend in all (SPEC §9), for nothing acuplan uses. If a later
    msgspec needs it, it is imported as usual."""
    if "msgspec" in sys.modules or "typing_extensions" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]  # refused for now
    try:
        import msgspec  # noqa: F401
    except ImportError:
        pass
    finally:
        del sys.modules["typing_extensions"]
    if "msgspec" not in sys.modules:  # it did need it: import it the usual way
        for name in [n for n in sys.modules if n.split(".")[0] == "msgspec"]:
            del sys.modules[name]


_import_msgspec()

# The package's modules take msgspec from here (`from planner.domain.values import
# msgspec`), so that whichever of them is imported first, msgspec comes in this way.
import msgspec  # noqa: E402
from msgspec.structs import fields, replace  # noqa: E402


class Value(msgspec.Struct, frozen=True):
    """An immutable value: equal to another of its class with equal fields."""


class Record(Value, frozen=True, gc=False):
    """An immutable value the journal stores (untracked by the cyclic collector)."""


__all__ = ["Value", "Record", "replace", "fields", "msgspec"]
