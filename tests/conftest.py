"""Shared fixtures: every test gets its own journal and a fixed clock."""

from __future__ import annotations

from datetime import date

import pytest

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
