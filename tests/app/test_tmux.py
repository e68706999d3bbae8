"""The real program in a real terminal (tmux): notice shown, accepted, quit with ctrl+q."""

from __future__ import annotations

import os
import select
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(socket: Path, *args: str, check: bool = False) -> str:
    """tmux on a server of the test's own (a socket in its tmp dir): test runs at the same
    time on one machine never share, or race to start, a server."""
    return subprocess.run(["tmux", "-S", str(socket), *args], check=check,
                          capture_output=True, text=True).stdout


class PaneOutput:
    """Wakes the test each time the program writes to its terminal: tmux copies the
    pane's output into a FIFO, so the screen is read again only when it may have changed."""

    def __init__(self, socket: Path, session: str, fifo: Path) -> None:
        self.socket, self.session = socket, session
        os.mkfifo(fifo)
        self.fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.keep = os.open(fifo, os.O_WRONLY)  # a writer always: no end-of-file between reads
        tmux(socket, "pipe-pane", "-O", "-t", session, f"cat >> {shlex.quote(str(fifo))}",
             check=True)

    def wait_for_text(self, text: str) -> str:
        """The screen once it shows `text`; fails naming the screen if the program stops
        writing for 30 s without showing it (a bound on a hang, not a speed limit)."""
        while True:
            screen = tmux(self.socket, "capture-pane", "-p", "-t", self.session)
            if text in screen:
                return screen
            ready, _, _ = select.select([self.fd], [], [], 30)
            assert ready, f"{text!r} did not appear; screen was:\n{screen}"
            os.read(self.fd, 1 << 16)

    def close(self) -> None:
        os.close(self.fd)
        os.close(self.keep)


def test_real_program_notice_accept_and_quit(tmp_path):
    db = tmp_path / "data" / "journal.json"
    marker = tmp_path / "exited"
    socket = tmp_path / "tmux.sock"
    session = f"acuplan-test-{os.getpid()}"
    env = f"PYTHONPATH={shlex.quote(str(ROOT))} TERM=xterm-256color"
    cmd = (f"cd {shlex.quote(str(ROOT))} && env {env} {shlex.quote(sys.executable)} -m planner "
           f"--db {shlex.quote(str(db))} --today 2026-12-01; echo $? > {shlex.quote(str(marker))}"
           f"; tmux -S {shlex.quote(str(socket))} wait-for -S exited")
    tmux(socket, "new-session", "-d", "-s", session, "-x", "100", "-y", "32", cmd, check=True)
    pane = PaneOutput(socket, session, tmp_path / "pane.fifo")
    try:
        screen = pane.wait_for_text("safety notice")
        assert "not medical advice" in screen
        # Accept unlocks once the end of the notice has been shown (when it does not fit)
        tmux(socket, "send-keys", "-t", session, "End")
        pane.wait_for_text("End of the notice")
        tmux(socket, "send-keys", "-t", session, "a")
        pane.wait_for_text("A few questions about you")
        tmux(socket, "send-keys", "-t", session, "C-q")
        # returns when the shell signals after writing the exit code (or, if the session
        # already ended, because the server is gone): either way the program has ended
        subprocess.run(["tmux", "-S", str(socket), "wait-for", "exited"], timeout=30,
                       capture_output=True)
        assert marker.read_text().strip() == "0"
    finally:
        pane.close()
        tmux(socket, "kill-server")
    # the acceptance was stored by the real program
    sys.path.insert(0, str(ROOT))
    from tests.app.helpers import planner_for

    assert planner_for(db).profile().notice_accepted
