"""The last lines of defence: interrupts, internal errors, the missing app."""

from __future__ import annotations

import sys

from click.testing import CliRunner

from planner.cli.main import main
from planner.service import planner as service


def _invoke(journal_path, *args):
    return CliRunner().invoke(main, ["--db", str(journal_path), "--today", "2026-12-01", *args])


def test_keyboard_interrupt_exits_130_quietly(journal_path, monkeypatch):
    def boom(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(service.Planner, "today_view", boom)
    r = _invoke(journal_path, "status")
    assert r.exit_code == 130
    assert "Traceback" not in r.output and "error" not in r.output


def test_an_unexpected_exception_is_one_line_exit_1(journal_path, monkeypatch):
    def boom(self):
        raise RuntimeError("something odd")

    monkeypatch.setattr(service.Planner, "today_view", boom)
    r = _invoke(journal_path, "status")
    assert r.exit_code == 1
    assert r.stderr.strip() == "error: internal problem: RuntimeError: something odd"
    assert "Traceback" not in r.output


def test_broken_pipe_inside_a_command_is_quiet(journal_path, monkeypatch):
    def boom(self):
        raise BrokenPipeError

    monkeypatch.setattr(service.Planner, "today_view", boom)
    r = _invoke(journal_path, "status")
    assert r.exit_code == 141
    assert r.stderr == ""


def test_missing_app_is_a_clear_error(journal_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "planner.app.app", None)  # import fails
    for args in ((), ("tui",)):
        r = _invoke(journal_path, *args)
        assert r.exit_code == 1
        assert r.stderr.startswith("error: the terminal app cannot start")
        assert len(r.stderr.strip().splitlines()) == 1
    assert not journal_path.exists()


def test_tui_runs_the_app_with_the_journal_and_today(journal_path, monkeypatch):
    import types

    seen = []
    fake = types.ModuleType("planner.app.app")
    fake.run_app = lambda path, today: seen.append((path, today))
    monkeypatch.setitem(sys.modules, "planner.app.app", fake)
    assert _invoke(journal_path).exit_code == 0
    assert _invoke(journal_path, "tui").exit_code == 0
    assert [str(p) for p, _ in seen] == [str(journal_path)] * 2
    assert {t.isoformat() for _, t in seen} == {"2026-12-01"}


def test_standalone_false_propagates_like_click(journal_path):
    rv = main(["--db", str(journal_path), "--today", "2026-12-01", "status", "--json"],
              standalone_mode=False)
    assert rv is None
