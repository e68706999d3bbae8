"""Helpers for the command-line tests: run `acuplan` in process against a tmp journal."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli.main import main

TODAY = "2026-12-01"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    def json(self):
        return json.loads(self.stdout)

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


class Acuplan:
    """`acu("status", "--json")` runs `acuplan --db <tmp> --today 2026-12-01 status --json`."""

    def __init__(self, path: Path):
        self.path = path
        self.today = TODAY
        self.runner = CliRunner()

    def __call__(self, *args: str, today: str | None = None, db: Path | None = None,
                 input: str | None = None) -> Run:
        argv = ["--db", str(db or self.path), "--today", today or self.today, *args]
        r = self.runner.invoke(main, argv, input=input, catch_exceptions=True)
        return Run(r.exit_code, r.stdout, r.stderr, r.exception)

    def ok(self, *args: str, **kw) -> Run:
        r = self(*args, **kw)
        assert r.exit_code == 0, (args, r.exit_code, r.stdout, r.stderr)
        assert_no_traceback(r)
        return r

    def ok_json(self, *args: str, **kw):
        return self.ok(*args, "--json", **kw).json()

    @staticmethod
    def no_traceback(r: Run) -> None:
        assert_no_traceback(r)

    @staticmethod
    def bad(r: Run, *words: str) -> None:
        assert_bad_input(r, *words)

    def raw(self) -> bytes | None:
        """The journal's bytes, or None when there is no file."""
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None


def assert_no_traceback(r: Run) -> None:
    assert "Traceback" not in r.stdout and "Traceback" not in r.stderr, r.stderr
    # click's multi-line usage dump must never appear
    assert "Try '" not in r.stderr and "Usage:" not in r.stderr, r.stderr
    if r.exception is not None:
        assert isinstance(r.exception, SystemExit), repr(r.exception)


def assert_bad_input(r: Run, *words: str) -> None:
    """Exit 2 with exactly one line on stderr, starting with `error:`, naming `words`."""
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    assert_no_traceback(r)
    assert len(r.err_lines) == 1, r.stderr
    assert r.err_lines[0].startswith("error: "), r.stderr
    for w in words:
        assert w in r.err_lines[0], (w, r.stderr)


@pytest.fixture
def acu(journal_path) -> Acuplan:
    return Acuplan(journal_path)
