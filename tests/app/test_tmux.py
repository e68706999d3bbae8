"""The real program in a real terminal (tmux): notice shown, accepted, quit with ctrl+q."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=False, capture_output=True, text=True).stdout


def wait_for_text(session: str, text: str, timeout: float = 10.0) -> str:
    end = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < end:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear; screen was:\n{screen}")


def test_real_program_notice_accept_and_quit(tmp_path):
    db = tmp_path / "data" / "journal.json"
    marker = tmp_path / "exited"
    session = f"acuplan-test-{os.getpid()}"
    env = f"PYTHONPATH={shlex.quote(str(ROOT))} TERM=xterm-256color"
    cmd = (f"cd {shlex.quote(str(ROOT))} && env {env} {shlex.quote(sys.executable)} -m planner "
           f"--db {shlex.quote(str(db))} --today 2026-12-01; echo $? > {shlex.quote(str(marker))}")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "32", cmd],
                   check=True)
    try:
        wait_for_text(session, "safety notice")
        screen = tmux("capture-pane", "-p", "-t", session)
        assert "not medical advice" in screen
        tmux("send-keys", "-t", session, "a")
        wait_for_text(session, "A few questions about you")
        tmux("send-keys", "-t", session, "C-q")
        end = time.monotonic() + 10
        while time.monotonic() < end and not marker.exists():
            time.sleep(0.1)
        assert marker.exists(), "the program did not end after ctrl+q"
        assert marker.read_text().strip() == "0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False,
                       capture_output=True)
    # the acceptance was stored by the real program
    sys.path.insert(0, str(ROOT))
    from tests.app.helpers import planner_for

    assert planner_for(db).profile().notice_accepted
