"""Random argument lists never produce a traceback, and exit 0, 2 or 3."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli.main import main
from planner.domain.vocabulary import (
    CONCERNS,
    EXCLUSION_REASONS,
    FLAGS,
    INJECTABLE_KINDS,
    PAUSE_REASONS,
    PROCEDURE_KINDS,
    PRODUCT_KINDS,
    TECHNIQUES,
    ZONES,
)

COMMANDS = [
    ["status"], ["check"], ["next"], ["plan"], ["plans"], ["unplan"], ["log", "session"],
    ["log", "product"], ["log", "procedure"], ["log", "injectable"], ["log", "reaction"],
    ["log"], ["checkin"], ["resolve"], ["pause"], ["unpause"], ["streak"], ["history"],
    ["routines", "list"], ["routines", "show"], ["routines", "build"], ["routines"],
    ["profile", "show"], ["profile", "set"], ["profile"], ["exclude"], ["include"],
    ["export"], ["restore"], ["nonsense"],
]
OPTIONS = [
    "--json", "--date", "--minutes", "--routine", "--aborted", "--note", "--session",
    "--redness", "--swelling", "--itch", "--burning", "--flag", "--zone", "--all",
    "--cleared-by-clinician", "--from", "--to", "--reason", "--until", "--technique",
    "--concern", "--name", "--save", "--format", "--pregnant", "--anticoagulants",
    "--spacing", "--cadence", "--grace", "--product-blackout", "--ceiling", "--ramp-step",
    "--starter-count", "--rosacea", "--help", "-h", "--bogus", "-", "--", "--db", "--today",
]
DATES = [
    "2026-12-01", "2026-11-30", "2026-12-02", "2026-12-08", "2025-01-01", "2030-06-15",
    "2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01", "9999-12-31", "2026-1-1",
    "20261201", "2026-12-01T00:00", "today", "",
]
WORDS = [*PRODUCT_KINDS, *PROCEDURE_KINDS, *INJECTABLE_KINDS, *FLAGS, *ZONES, *PAUSE_REASONS,
         *EXCLUSION_REASONS, *TECHNIQUES, *CONCERNS, "yes", "no", "json", "csv", "eyeball",
         "needle", "all", "prev-000001", "day-2026-12-01"]
NUMBERS = ["0", "1", "3", "4", "5", "7", "10", "11", "15", "30", "180", "181", "-1", "+5",
           "1e3", "9" * 30, "0x10", "٣", " 5"]

token = st.one_of(
    st.sampled_from(OPTIONS), st.sampled_from(DATES), st.sampled_from(WORDS),
    st.sampled_from(NUMBERS), st.text(max_size=12),
    st.sampled_from(["Retinol [0.5%]", "🧴✨", "[bold]x[/bold]", "\x1b[31m", "a\nb", "%s{}"]),
)


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(cmd=st.sampled_from(COMMANDS), rest=st.lists(token, max_size=7),
       seed=st.lists(st.sampled_from([
           ["log", "session", "--date", "2026-11-24", "--minutes", "10"],
           ["log", "product", "retinoid", "--date", "2026-11-30"],
           ["checkin", "--redness", "3"],
           ["checkin", "--flag", "pus"],
           ["plan", "2026-12-10"],
           ["pause", "--from", "2026-12-03", "--to", "2026-12-04", "--reason", "travel"],
       ]), max_size=3))
def test_random_arguments_never_crash(cmd, rest, seed):
    runner = CliRunner()
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # `export -o RANDOM` writes here, nowhere else
        try:
            db = str(Path(tmp) / "data" / "journal.json")
            base = ["--db", db, "--today", "2026-12-01"]
            for s in seed:  # a seed may be refused by an earlier one (e.g. a hold)
                assert runner.invoke(main, [*base, *s]).exit_code in (0, 3)
            r = runner.invoke(main, [*base, *cmd, *rest])
        finally:
            os.chdir(cwd)
        assert r.exit_code in (0, 2, 3), (cmd, rest, r.exit_code, r.output)
        assert "Traceback" not in r.output
        if r.exception is not None:
            assert isinstance(r.exception, SystemExit), repr(r.exception)
        if r.exit_code == 2:
            lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
            assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
