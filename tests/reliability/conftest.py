"""Reliability suite hooks: quick variants run in `make test`; `torture` ones only with
ACUPLAN_TORTURE=full (`make torture`). Figures recorded by the tests are printed at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reliability_support import FIGURES, FULL, record_figure  # noqa: E402


@pytest.fixture
def figures():
    """`figures("kill -9 at 5k records: 100 trials, 0 unreadable")` prints it at the end."""
    return record_figure


def pytest_collection_modifyitems(config, items):
    if FULL:
        return
    skip = pytest.mark.skip(reason="full torture run: set ACUPLAN_TORTURE=full (make torture)")
    for item in items:
        if "torture" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for line in FIGURES:
        terminalreporter.write_line(line)
