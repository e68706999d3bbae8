"""Shared fixtures: every test gets its own journal and a fixed clock; and how hard the
property tests try.

Hypothesis profiles, chosen by HYPOTHESIS_PROFILE:

- `dev` (the default, and what `make test` and `.ci/run` use): 100 examples a test, new
  ones on every run, so repeated runs keep exploring (a failure is kept in .hypothesis/
  and replayed first next time).
- `ci`: 1,000 examples a test, the thorough run: `HYPOTHESIS_PROFILE=ci make test`.

Both have no deadline (a per-example time limit fails on a busy machine, not on a bug) and
no too_slow health check (it measures the machine's load as much as the strategy). A test
with examples that cost more than most asks for a share of the profile's count
(`settings.default.max_examples`), so it scales with the profile too.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=1000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: no error when it is absent
def pytest_xdist_auto_num_workers(config):
    """`-n auto` (make test) starts two workers a core: an app test spends most of its
    time waiting for Textual to go idle and a process test waiting for its children, so
    one worker a core leaves the cores half idle (on 2 cores the suite took 0.8x the time
    with 4 workers as with 2, measured back to back)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1)


TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """No test may touch the real user data directory or read the real clock."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("ACUPLAN_DB", raising=False)
    monkeypatch.delenv("ACUPLAN_TODAY", raising=False)
    monkeypatch.setenv("ACUPLAN_LOCK_TIMEOUT", "2")


@pytest.fixture
def journal_path(tmp_path):
    return tmp_path / "data" / "journal.json"


@pytest.fixture
def today():
    return TODAY
