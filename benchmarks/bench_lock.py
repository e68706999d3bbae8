"""Lock recovery: a lock holder killed with -9; how soon does the next writer get in?

    python benchmarks/bench_lock.py [--rounds 15]

A child process takes the journal lock inside a transaction and sleeps; the
parent kills it with SIGKILL and times, from the kill, how long it takes to enter a
transaction of its own (flock is released by the kernel when the holder dies;
the waiter polls every few milliseconds). Goal: within 1 s (1000 ms).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, Row, env, journal_copy, median  # noqa: E402

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from planner.store import Journal
    with Journal(Path(sys.argv[1])).transaction() as tx:
        print("locked", flush=True)
        time.sleep(600)
""")


def rows(years: float, rounds: int) -> list[Row]:
    from planner.store import Journal

    path = journal_copy(years, f"lock-{years:g}")
    waits = []
    for _ in range(rounds):
        p = subprocess.Popen([PY, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, env=env(),
                             text=True)
        assert p.stdout.readline().strip() == "locked"
        journal = Journal(path, lock_timeout=10)
        t0 = time.perf_counter()
        os.kill(p.pid, signal.SIGKILL)
        with journal.transaction():
            waits.append(time.perf_counter() - t0)
        p.wait()
    return [Row("next writer in after kill -9 of the lock holder", years, median(waits), None,
                1000, "ms", "python benchmarks/bench_lock.py",
                f"worst of {rounds}: {max(waits) * 1000:.1f} ms")]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=float, default=10)
    ap.add_argument("--rounds", type=int, default=15)
    a = ap.parse_args()
    for r in rows(a.years, a.rounds):
        print(r.text(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
