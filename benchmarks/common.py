"""Timing helpers shared by the benchmark scripts.

Every figure is a ratio against a floor measured in the same run, with the
subject and the floor interleaved round by round so machine noise hits both.
Medians, not means: one slow round (another process, a cold cache) moves a
median little.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PY = sys.executable
TODAY = "2026-12-01"
YESTERDAY = "2026-11-30"


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    # A user's Python caches compiled modules; without it every changed module would
    # be compiled again in every measured process.
    for k in ("ACUPLAN_DB", "ACUPLAN_TODAY", "PYTHONDONTWRITEBYTECODE"):
        e.pop(k, None)
    return e


def run_once(argv: list[str], **kw) -> float:
    """Wall time of one whole process, in seconds (it must exit 0... or the given code)."""
    ok = kw.pop("ok", (0,))
    t0 = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(),
                       cwd=ROOT, **kw)
    dt = time.perf_counter() - t0
    if r.returncode not in ok:
        raise RuntimeError(f"{' '.join(argv)} exited {r.returncode}: {r.stderr.decode()[-500:]}")
    return dt


def interleaved(subjects: dict[str, Callable[[], float]], rounds: int, warmup: int = 2,
                ) -> dict[str, list[float]]:
    """Run each callable once per round, in turn; each returns the seconds it measured."""
    for _ in range(warmup):
        for f in subjects.values():
            f()
    out: dict[str, list[float]] = {k: [] for k in subjects}
    for _ in range(rounds):
        for k, f in subjects.items():
            out[k].append(f())
    return out


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def timed(f: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        t0 = time.perf_counter()
        f()
        return time.perf_counter() - t0
    return run


def workdir(name: str) -> Path:
    """A scratch directory on the same filesystem as the user's data would be."""
    base = Path(os.environ.get("ACUPLAN_BENCH_DIR") or tempfile.gettempdir()) / "acuplan-bench"
    d = base / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def journal_copy(years: float, name: str) -> Path:
    """A fresh generated journal of `years` years in its own directory."""
    make_journal = load_generator().make_journal

    path = workdir(name) / "journal.json"
    make_journal(path, years)
    return path


def fmt_ms(s: float) -> str:
    return f"{s * 1000:.1f} ms"


def filesystem_of(path: Path) -> str:
    try:
        r = subprocess.run(["df", "-T", str(path)], capture_output=True, text=True)
        return r.stdout.splitlines()[1].split()[1]
    except (OSError, IndexError):
        return "?"


class Row:
    """One figure at one journal size: subject and floor medians, the ratio and the goal."""

    def __init__(self, figure: str, years: float, subject: float, floor: float | None,
                 goal: float, unit: str, command: str, note: str = "") -> None:
        self.figure, self.years, self.subject, self.floor = figure, years, subject, floor
        self.goal, self.unit, self.command, self.note = goal, unit, command, note

    @property
    def value(self) -> float:
        return self.subject / self.floor if self.unit == "x" else self.subject * 1000

    @property
    def met(self) -> bool:
        return self.value <= self.goal

    def text(self) -> str:
        if self.unit == "x":
            v = (f"{self.value:.2f}x ({fmt_ms(self.subject)} vs floor {fmt_ms(self.floor)})")
            g = f"<= {self.goal:g}x"
        else:
            v = f"{self.value:.1f} ms"
            g = f"<= {self.goal:g} ms"
        return (f"{self.figure} [{self.years:g} y]: {v}; goal {g}: "
                f"{'met' if self.met else 'MISSED'}{'; ' + self.note if self.note else ''}")


def load_generator():
    import importlib.util

    name = "benchmarks_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
    m = importlib.util.module_from_spec(spec)
    sys.modules[name] = m
    spec.loader.exec_module(m)
    return m


load_generator()


def print_rows(rows: Callable[[float, int], list]) -> int:
    """The shared command line of the bench scripts: --years (repeatable), --rounds."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=float, action="append")
    ap.add_argument("--rounds", type=int, default=15)
    a = ap.parse_args()
    for y in a.years or [10]:
        for r in rows(y, a.rounds):
            print(r.text(), flush=True)
    return 0
