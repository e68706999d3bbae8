"""The routine library: point catalog, routine files, validation and saving."""

from planner.library.loader import (
    Library,
    LibraryIssue,
    load_library,
    load_points,
    routine_to_toml,
    save_user_routine,
    validate_file,
    validate_routine_doc,
)

__all__ = [
    "Library", "LibraryIssue", "load_library", "load_points", "routine_to_toml",
    "save_user_routine", "validate_file", "validate_routine_doc",
]
