"""The routine files on their own, for the faces: the library read from a folder, a
routine file checked, a routine saved as one of the user's own. None of these needs a
journal or today's date (listing routines works while the journal is unusable), and the
command line and the app reach the library only through here (an import contract)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from planner.service.inputs import BadInput


def load_library(user_dir: Path) -> Any:
    """The shipped routines and the user's valid ones in `user_dir`."""
    from planner.library import load_library as load

    return load(user_dir)


def load_points() -> dict[str, Any]:
    """The shipped point catalog, by code."""
    from planner.library import load_points as load

    return load()


def check_file(file: str) -> tuple[Any, list[Any]]:
    """A routine file read and checked: (the routine or None, every problem as a
    LibraryIssue). BadInput (exit 2) for what is not a routine file at all (a FIFO, a
    device, a folder, over 1 MiB), unread."""
    from planner.library import LibraryIssue
    from planner.library.loader import NotARoutineFile, read_routine_bytes, validate_bytes
    from planner.service.text import terminal_safe

    try:
        data = read_routine_bytes(file)
    except NotARoutineFile as e:
        raise BadInput(f"{terminal_safe(file)} is not a routine file: {e}") from None
    except (OSError, ValueError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        return None, [LibraryIssue(file, "file", f"cannot read it: {reason}")]
    return validate_bytes(data, file, load_points())


def file_holding(user_dir: Path, routine_id: str) -> tuple[Path | None, bool]:
    """The file a save of `routine_id` would overwrite, and whether it holds that routine:
    the file that holds the id (its name may differ, and saving beside it would leave the
    new routine shadowed), else a file already named `<id>.toml` that does not load or
    holds another id (still the user's); (None, False) when the save takes nothing's
    place."""
    from planner.library.loader import user_routine_files

    holder = user_routine_files(user_dir).get(routine_id)
    if holder is not None:
        return holder, True
    named = user_dir / f"{routine_id}.toml"
    return (named, False) if os.path.lexists(named) else (None, False)


def save_routine(routine: Any, user_dir: Path, file_name: str | None = None) -> Path:
    """Write the routine as one of the user's (atomically, 0600); ValueError when it
    would not load again, OSError when it cannot be written."""
    from planner.library import save_user_routine

    return save_user_routine(routine, user_dir, file_name)


__all__ = ["load_library", "load_points", "check_file", "file_holding", "save_routine"]
