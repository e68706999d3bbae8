"""Helpers shared by the reliability tests (imported by path: tests are not a package).

Quick variants are plain tests (they run in `make test`); the full ones are
marked `torture` and only run with ACUPLAN_TORTURE=full (`make torture`).
Each test may record figures with the `figures` fixture; they are printed at
the end of the run, so `make torture` shows the counts it proved.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FULL = os.environ.get("ACUPLAN_TORTURE", "").strip().lower() == "full"

FIGURES: list[str] = []


def load_module(name: str, path: Path):
    """Import a file that is not part of a package (the generator, the torture child)."""
    cached = sys.modules.get(name)
    if cached is not None:
        return cached
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def generator():
    return load_module("acu_generate", ROOT / "benchmarks" / "generate.py")


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("ACUPLAN_DB", None)
    env.pop("ACUPLAN_TODAY", None)
    env.update(extra)
    return env


def run_cli(*args: str, db: Path, today: str = "2026-12-01", timeout: float = 60,
            env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    """`python -m planner --db DB --today TODAY ARGS` as a real process."""
    return subprocess.run([sys.executable, "-m", "planner", "--db", str(db), "--today", today,
                           *args], capture_output=True, text=True, timeout=timeout,
                          env=env or child_env(), cwd=ROOT, **kw)


def dir_state(directory: Path) -> dict[str, bytes]:
    """Every file beside the journal, by name, with its bytes."""
    out = {}
    for name in sorted(os.listdir(directory)):
        p = directory / name
        if p.is_file():
            out[name] = p.read_bytes()
    return out


def temp_files(directory: Path) -> list[str]:
    return [n for n in os.listdir(directory) if ".tmp-" in n]




def record_figure(line: str) -> None:
    FIGURES.append(line)
