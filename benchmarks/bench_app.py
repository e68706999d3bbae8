"""App start-up: process start to the first frame of Today, against a minimal Textual app.

    python benchmarks/bench_app.py --years 10 [--rounds 15]

Both run headless at 80x24 through benchmarks/app_probe.py, which reports the time
from just before the parent started the process to Textual's Ready event (first
screen laid out and composited). The floor is a minimal Textual app (Header, one
Static, Footer) started in the same run, interleaved. Goal <= 1.3x. Twice: on a
journal nothing has looked at yet (the records are loaded before the first frame),
and with the answers an earlier run left in the status cache (the records are
loaded right after the first frame).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    PY,
    ROOT,
    TODAY,
    Row,
    env,
    interleaved,
    journal_copy,
    median,
    print_rows,
    run_once,
)

PROBE = str(ROOT / "benchmarks" / "app_probe.py")


def first_frame(*args: str) -> float:
    t0 = time.time()
    r = subprocess.run([PY, PROBE, args[0], repr(t0), *args[1:]], capture_output=True,
                       text=True, env=env(), cwd=ROOT, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"app probe {args[0]} failed: {r.stderr[-800:]}")
    return float(r.stdout.strip().splitlines()[-1])


def rows(years: float, rounds: int) -> list[Row]:
    path = journal_copy(years, f"app-{years:g}")
    stored = journal_copy(years, f"app-stored-{years:g}")
    # Any earlier use leaves the answers (`acuplan status`, a write, the app itself).
    run_once([PY, "-m", "planner", "--db", str(stored), "--today", TODAY, "status"])
    cache = Path(str(path) + ".status-cache")

    def nothing_stored() -> float:  # the app leaves answers after its first frame: drop them
        cache.unlink(missing_ok=True)
        return first_frame("acuplan", str(path))

    t = interleaved({"minimal": lambda: first_frame("minimal"), "acuplan": nothing_stored,
                     "stored": lambda: first_frame("acuplan", str(stored))}, rounds)
    cmd = "python benchmarks/bench_app.py --years Y"
    return [Row("app start to first frame of Today", years, median(t["acuplan"]),
                median(t["minimal"]), 1.3 if years > 10 else 1.2, "x", cmd,
                "floor = minimal Textual app; nothing stored: the records are loaded first"),
            Row("app start to first frame of Today, answers stored", years,
                median(t["stored"]), median(t["minimal"]), 1.3, "x", cmd,
                "an earlier status, write or app run left today's answers")]


def main() -> int:
    return print_rows(rows)


if __name__ == "__main__":
    raise SystemExit(main())
