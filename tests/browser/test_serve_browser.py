"""`acuplan serve` in a real browser: Debian's headless Chromium driven by Playwright.

The server runs as a child process on a journal prepared through the service (notice
accepted, onboarded), so the app opens on Today. xterm.js draws the terminal on a canvas,
so its text is not in the page's DOM; what the test reads instead is what the browser
receives: textual-serve's websocket frames, which carry the app's terminal output. It
waits there for Today, presses `p`, waits for the Plan calendar's month title, and takes
a screenshot that must not be blank. It also checks the page asked no other host for
anything (SPEC §10).

Skips, saying why, when Chromium or Playwright is missing or Chromium cannot start.
"""

from __future__ import annotations

import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.app.helpers import planner_for

TODAY = "2026-12-01"
TODAY_TITLE = "Tuesday 1 December 2026"  # Today's header: "Today — Tuesday 1 December 2026"
# The Plan calendar: its month title on its own (not the day in Today's header), the
# weekday row and its footer key.
PLAN_SCREEN = (re.compile(r"(?<!1 )December 2026"),
               re.compile(r"Mo\s+Tu\s+We\s+Th\s+Fr\s+Sa\s+Su"), re.compile(r"Prev month"))
# Bounds on waits that would otherwise hang (a child that never answers); not speed limits.
START_BOUND_S = 60
FRAME_BOUND_MS = 30_000
FRAMES = 2_000

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def screen_text(chunks: list[bytes]) -> str:
    """The terminal output received so far, escape sequences taken out and each run of
    blanks made one space (a style change or a cursor move between two words)."""
    return " ".join(ANSI.sub(" ", b"".join(chunks).decode("utf-8", "replace")).split())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (apt-get install chromium; .ci/run does): the "
                    "browser test needs a real browser")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        except Error as e:
            pytest.skip(f"playwright cannot start {CHROMIUM}: {str(e).splitlines()[0]}")
        try:
            yield b
        finally:
            b.close()


class Server:
    """`acuplan serve` as a child process; its stdout lines arrive on a queue."""

    def __init__(self, db: Path, port: int, *options: str):
        cmd = [sys.executable, "-m", "planner", "--db", str(db), "--today", TODAY,
               "serve", "--port", str(port), *options]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, errors="replace")
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_serving(self) -> str:
        """The address it says it serves on, once it says so."""
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=START_BOUND_S)
            except queue.Empty:
                raise AssertionError(f"acuplan serve said nothing of serving: {seen}") from None
            if line is None:
                err = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"acuplan serve ended: {seen} {err}")
            seen.append(line)
            found = re.search(r"served on (http://\S+)", line)
            if found:
                return found.group(1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=START_BOUND_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def wait_screen(ws, chunks: list[bytes], since: int, check: Callable[[str], bool],
                what: str) -> None:
    """Wait, frame by frame, until the output received after chunk `since` passes
    `check`; fail saying what was awaited and what the screen showed."""
    for _ in range(FRAMES):
        if check(screen_text(chunks[since:])):
            return
        try:
            ws.wait_for_event("framereceived", timeout=FRAME_BOUND_MS)
        except Exception as e:  # noqa: BLE001 - playwright's TimeoutError or a closed socket
            tail = screen_text(chunks[since:])[-600:]
            raise AssertionError(f"no {what} on the served screen ({e}); it showed: "
                                 f"{tail!r}") from None
    raise AssertionError(f"no {what} after {FRAMES} frames")


@pytest.mark.parametrize("options,served_on,opened_at", [
    ((), "http://127.0.0.1:{port}", "http://127.0.0.1:{port}"),
    # open to the network: the page must still work from an address the server never named
    (("--host", "0.0.0.0"), "http://0.0.0.0:{port}", "http://localhost:{port}"),
], ids=["loopback", "all-interfaces"])
def test_serve_shows_today_then_the_plan_calendar(browser, tmp_path, options, served_on,
                                                  opened_at):
    db = tmp_path / "data" / "journal.json"
    db.parent.mkdir()
    planner = planner_for(db)
    planner.accept_notice()
    planner.set_profile(onboarded=True)

    port = free_port()
    server = Server(db, port, *options)
    try:
        assert server.wait_serving() == served_on.format(port=port)
        url = opened_at.format(port=port)
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        chunks: list[bytes] = []

        def on_frame(payload) -> None:
            if isinstance(payload, bytes):  # terminal output; str frames are JSON meta
                chunks.append(payload)

        with page.expect_websocket(timeout=FRAME_BOUND_MS) as ws_info:
            page.goto(url)
        ws = ws_info.value
        ws.on("framereceived", on_frame)

        wait_screen(ws, chunks, 0, lambda s: f"Today — {TODAY_TITLE}" in s, "Today screen")
        page.locator("#terminal").click()
        pressed_at = len(chunks)
        page.keyboard.press("p")
        wait_screen(ws, chunks, pressed_at,
                    lambda s: all(p.search(s) for p in PLAN_SCREEN),
                    "Plan calendar titled December 2026")

        png = tmp_path / "plan.png"
        page.screenshot(path=str(png))
        from PIL import Image

        with Image.open(png) as img:
            colours = img.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 8, f"screenshot {png} looks blank: {colours}"

        hosts = {urlsplit(u).netloc for u in requested if not u.startswith(("data:", "blob:"))}
        assert hosts == {urlsplit(url).netloc}, f"the page asked other hosts: {requested}"
        page.close()
    finally:
        server.stop()
