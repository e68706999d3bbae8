"""What a user can ask and do, shared by the command line and the app.

Every change runs inside one journal transaction: the journal is re-read under the
lock, the rules are checked against that fresh state, and only then is anything
written. Bad input raises `BadInput` (exit 2), a safety refusal `Refused` (exit 3);
storage problems surface as the store's own errors (exit 4).
"""

from __future__ import annotations

from planner.domain.rules import MIN_MINUTES
from planner.service.data_commands import DataCommands
from planner.service.inputs import (
    KEEP,
    MAX_LOG_MINUTES,
    BadInput,
    ImportProblems,
    Refused,
    check_note,
)
from planner.service.log_commands import LogCommands
from planner.service.plan_commands import PlanCommands
from planner.service.profile_commands import ProfileCommands
from planner.service.views import (
    DayView,
    Deleted,
    Logged,
    PlanView,
    PreparedSession,
    RoutineFit,
    SkinResult,
    TodayView,
    step_label,
)


class Planner(PlanCommands, LogCommands, ProfileCommands, DataCommands):
    """Use cases over one journal, with the date of "today" given from outside: the
    queries (service/queries.py, routine_use.py) and the commands (plan_commands.py,
    log_commands.py, profile_commands.py, data_commands.py), all over the core
    (service/core.py) through which every command writes."""


# The commands: every change to the journal is one of these Planner methods.
COMMANDS = (
    "plan", "plan_next", "move_plan", "unplan", "confirm_missed",
    "log_session", "edit_session",
    "log_product", "log_procedure", "log_injectable", "edit_exposure",
    "add_product", "remove_product",
    "log_skin", "edit_skin", "resolve",
    "pause", "unpause", "delete_record", "undo_delete",
    "set_profile", "accept_notice", "exclude", "include", "set_settings",
    "set_preferences", "remember_preparation",
    "import_export", "restore_version", "merge_copy",
)


__all__ = [
    "Planner", "BadInput", "Refused", "PlanView", "TodayView", "DayView", "SkinResult",
    "Logged", "Deleted", "RoutineFit", "ImportProblems", "COMMANDS", "KEEP", "MIN_MINUTES",
    "PreparedSession", "step_label", "MAX_LOG_MINUTES", "check_note",
]
