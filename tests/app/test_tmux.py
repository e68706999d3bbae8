"""The real program in a real terminal (tmux): notice shown, accepted, quit with ctrl+q."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(socket: Path, *args: str, check: bool = False) -> str:
    """tmux on a server of the test's own (a socket in its tmp dir): test runs at the same
    time on one machine never share, or race to start, a server."""
    return subprocess.run(["tmux", "-S", str(socket), *args], check=check,
                          capture_output=True, text=True).stdout


def wait_for_text(socket: Path, session: str, text: str) -> str:
    def shown() -> str:
        screen = tmux(socket, "capture-pane", "-p", "-t", session)
        assert text in screen, f"{text!r} did not appear; screen was:\n{screen}"
        return screen

    until(shown)
    return shown()


def test_real_program_notice_accept_and_quit(tmp_path):
    db = tmp_path / "data" / "journal.json"
    marker = tmp_path / "exited"
    session = f"acuplan-test-{os.getpid()}"
    env = f"PYTHONPATH={shlex.quote(str(ROOT))} TERM=xterm-256color"
    cmd = (f"cd {shlex.quote(str(ROOT))} && env {env} {shlex.quote(sys.executable)} -m planner "
           f"--db {shlex.quote(str(db))} --today 2026-12-01; echo $? > {shlex.quote(str(marker))}")
    socket = tmp_path / "tmux.sock"
    tmux(socket, "new-session", "-d", "-s", session, "-x", "100", "-y", "32", cmd, check=True)
    try:
        wait_for_text(socket, session, "safety notice")
        screen = tmux(socket, "capture-pane", "-p", "-t", session)
        assert "not medical advice" in screen
        tmux(socket, "send-keys", "-t", session, "a")
        wait_for_text(socket, session, "A few questions about you")
        tmux(socket, "send-keys", "-t", session, "C-q")
        until(lambda: marker.exists())  # the shell wrote its exit code: the program ended
        assert marker.read_text().strip() == "0"
    finally:
        tmux(socket, "kill-server")
    # the acceptance was stored by the real program
    sys.path.insert(0, str(ROOT))
    from tests.app.helpers import planner_for

    assert planner_for(db).profile().notice_accepted
