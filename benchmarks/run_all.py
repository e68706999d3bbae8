"""Every speed figure, on generated journals of 1, 10 and 50 years, as a growth table.

    python benchmarks/run_all.py                 # what `make bench` runs
    python benchmarks/run_all.py --rounds 25 --years 10 --markdown out.md

Each figure is a ratio against a floor measured in the same run (interleaved
with it), or milliseconds in process where the goal is a time. Goals are for
the 10-year journal; the other sizes show how each figure grows. Nothing here
is a pass/fail test: the table says "met" or "MISSED" and the script exits 0.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_app  # noqa: E402
import bench_cli  # noqa: E402
import bench_domain  # noqa: E402
import bench_lock  # noqa: E402
import bench_merge  # noqa: E402
from common import filesystem_of, load_generator, workdir  # noqa: E402

COMMANDS = {
    "app start to first frame of Today": "python benchmarks/bench_app.py --years Y",
    "acuplan status": "python benchmarks/bench_cli.py --years Y",
    "one write in process": "python benchmarks/bench_cli.py --years Y",
    "acuplan log (whole process)": "python benchmarks/bench_cli.py --years Y",
    "plan calendar, 42 day checks": "python benchmarks/bench_domain.py --years Y",
    "streak computation": "python benchmarks/bench_domain.py --years Y",
    "next writer in after kill -9 of the lock holder": "python benchmarks/bench_lock.py",
    "acuplan merge": "python benchmarks/bench_merge.py --years Y",
}
FLOORS = {
    "app start to first frame of Today": "a minimal Textual app",
    "acuplan status": "`python -c \"import tinydb, json\"` + reading the file",
    "one write in process": "json.dumps + atomic write with fsync",
    "acuplan log (whole process)": "status floor + write floor",
    "acuplan merge": "json reading both copies and writing one atomically",
}
GOALS = COMMANDS  # the families; each row carries its own goal (issue 10's figures)


def base(figure: str) -> str:
    """The figure's family: "acuplan status, nothing cached" -> "acuplan status"."""
    return next((k for k in GOALS if figure.startswith(k + ",")), figure)


def cell(row) -> str:
    if row.unit == "x":
        return f"{row.value:.2f}x ({row.subject * 1000:.0f} / {row.floor * 1000:.0f} ms)"
    return f"{row.value:.1f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", type=float, action="append",
                    help="journal sizes (default 1, 10, 50)")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    ap.add_argument("--skip-app", action="store_true", help="leave out the app start-up")
    a = ap.parse_args()
    sizes = a.years or [1, 10, 50]
    gen = load_generator()
    print(f"acuplan benchmarks: Python {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()}; scratch filesystem {filesystem_of(workdir('probe'))}; "
          f"{a.rounds} rounds per figure, medians", flush=True)
    for y in sizes:
        c = gen.counts(gen.make_tables(y))
        print(f"  {y:g}-year journal: {c['sessions']} sessions, {c['checkins']} check-ins, "
              f"{c['reactions']} reactions, {c['products']} product uses, {c['plans']} plans, "
              f"{c['pauses']} pauses", flush=True)
    started = time.monotonic()
    results: dict[str, dict[float, object]] = {}
    for y in sizes:
        rows = []
        if not a.skip_app:
            rows += bench_app.rows(y, a.rounds)
        rows += bench_cli.rows(y, a.rounds) + bench_domain.rows(y, a.rounds)
        rows += bench_merge.rows(y, a.rounds)
        if y == 10 or len(sizes) == 1:
            rows += bench_lock.rows(y, a.rounds)
        for r in rows:
            print(r.text(), flush=True)
            results.setdefault(r.figure, {})[y] = r
    lines = ["| figure | goal (10 years) | " + " | ".join(f"{y:g} y" for y in sizes)
             + " | 10 y goal | command |",
             "|---|---|" + "---|" * len(sizes) + "---|---|"]
    for figure, by_size in results.items():
        ten = by_size.get(10) or next(iter(by_size.values()))
        goal = (f"<= {ten.goal:g}x {FLOORS[base(figure)]}" if ten.unit == "x"
                else f"<= {ten.goal:g} ms")
        lines.append(f"| {figure} | {goal} | "
                     + " | ".join(cell(by_size[y]) if y in by_size else "–" for y in sizes)
                     + f" | {'met' if ten.met else 'MISSED'} | `{COMMANDS[base(figure)]}` |")
    table = "\n".join(lines)
    print()
    print(table)
    print(f"\n(run in {time.monotonic() - started:.0f} s; scratch files under "
          f"{workdir('probe').parent})")
    if a.markdown:
        a.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
