"""Kill -9 torture (issue item 1): a writer killed at random moments loses nothing.

A writer process performs a seeded stream of inserts, edits, deletes and
two-record transactions through the journal layer and reports each write
once it returned. The parent kills it with SIGKILL at a random moment, then
checks the file: it must be readable, and equal either the state after every
confirmed write or that state plus the one write in flight. The next trial
starts from whatever the last one left, so damage would accumulate.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_support import FULL, HERE, child_env, generator, load_module, temp_files  # noqa: E402

from planner.store import Journal, StoreError


class Server:
    """The fork server of torture_child.py, with a line queue so reads can time out."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(HERE / "torture_child.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=child_env(), bufsize=0)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        assert self.next_line(60) == "server ready"

    def _pump(self) -> None:
        for raw in self.proc.stdout:
            self.lines.put((time.monotonic(), raw.decode().rstrip("\n")))
        self.lines.put((time.monotonic(), None))

    def next_line(self, timeout: float) -> str:
        return self.next_timed(timeout)[1]

    def next_timed(self, timeout: float) -> tuple[float, str]:
        t, line = self.lines.get(timeout=timeout)
        assert line is not None, "the torture server exited"
        return t, line

    def run(self, path: Path, seed: int) -> None:
        self.proc.stdin.write(f"run {path} {seed}\n".encode())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _report(line: str, confirmed: int, trial: int,
            failures: list[str]) -> tuple[int, int | None]:
    """One line of the writer: (writes confirmed so far, its exit status once it ended)."""
    parts = line.split()
    if parts[0] == "done":
        return confirmed, int(parts[2])
    if parts[1] == "ok":
        return int(parts[2]), None
    if parts[1] == "step":
        return confirmed, None
    failures.append(f"trial {trial}: writer said {line!r}")
    return confirmed, None


def torture(tmp_path: Path, years: float, trials: int, seed: int) -> dict:
    child = load_module("acu_torture_child", HERE / "torture_child.py")
    path = tmp_path / "data" / "journal.json"
    tables = generator().make_journal(path, years, seed=seed)
    records = sum(len(v) for v in tables.values())
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    failures: list[str] = []
    confirmed_total = temps_seen = 0
    server = Server()
    try:
        before = Journal(path).snapshot()
        for trial in range(trials):
            model = child.model_of(before)  # what the last trial left (checked below)
            server.run(path, seed * 100_000 + trial)
            line = server.next_line(120)
            pid_text, _, word = line.partition(" ")
            assert word == "ready", line
            pid = int(pid_text)
            # The kill lands as the writer announces a seeded step of its writes (write,
            # fsync, link, replace; about five a write, so within its first four writes):
            # the input is which step, not a length of time.
            target = rng.randrange(20)
            confirmed, status, steps = 0, None, 0
            while status is None and steps <= target:
                line = server.next_line(120)
                steps += " step " in line
                confirmed, status = _report(line, confirmed, trial, failures)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            while status is None:
                confirmed, status = _report(server.next_line(120), confirmed, trial, failures)
            if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
                failures.append(f"trial {trial}: writer was not killed by SIGKILL ({status})")
            confirmed_total += confirmed
            temps_seen += bool(temp_files(path.parent))

            try:
                after = Journal(path).snapshot()
            except StoreError as e:
                outcomes["unreadable"] += 1
                failures.append(f"trial {trial}: unreadable after kill: {e}")
                break
            actual = {t: docs for t, docs in after.items() if docs}
            in_flight = None
            for n, op in child.stream(seed * 100_000 + trial, model):
                if n > confirmed:
                    in_flight = op
                    break
            if actual == child.as_snapshot(model):
                outcomes["confirmed state"] += 1
            else:
                child.apply(model, in_flight)
                if actual == child.as_snapshot(model):
                    outcomes["confirmed + in-flight write"] += 1
                else:
                    outcomes["wrong"] += 1
                    failures.append(f"trial {trial}: the file is neither the confirmed state "
                                    f"({confirmed} writes) nor that plus the write in flight")
                    break
            before = after
            if stat.S_IMODE(os.stat(path).st_mode) != 0o600:
                failures.append(f"trial {trial}: journal mode changed")
    finally:
        server.close()
    # one more ordinary write cleans up what crashed writers left, and works
    Journal(path).insert("skin", {"date": "2026-12-01", "kind": "checkin"})
    leftover = temp_files(path.parent)
    return {"records": records, "trials": trials, "outcomes": outcomes, "failures": failures,
            "confirmed": confirmed_total, "temps_seen": temps_seen, "leftover": leftover}


def check(result: dict, figures, label: str) -> None:
    o = result["outcomes"]
    figures(f"kill -9 torture, {label} ({result['records']:,} records): "
            f"{result['trials']} kills, {result['confirmed']} confirmed writes, "
            f"{o['unreadable']} unreadable, {o['wrong']} lost/wrong; file = confirmed state "
            f"{o['confirmed state']}x, = confirmed + in-flight "
            f"{o['confirmed + in-flight write']}x; "
            f"temp file left by a kill {result['temps_seen']}x (removed by the next write)")
    assert result["failures"] == []
    assert o["unreadable"] == 0 and o["wrong"] == 0
    assert sum(o.values()) == result["trials"]
    assert result["confirmed"] > 0  # the writers really wrote before dying
    assert result["leftover"] == []


def test_kill9_quick(tmp_path, figures):
    check(torture(tmp_path, years=1, trials=100, seed=11), figures, "quick")


@pytest.mark.torture
@pytest.mark.parametrize("years,label", [(10, "full 5k"), (95, "full 50k")])
def test_kill9_full(tmp_path, figures, years, label):
    assert FULL
    check(torture(tmp_path, years=years, trials=1000, seed=int(years)), figures, label)
