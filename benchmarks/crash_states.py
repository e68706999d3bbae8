"""Power-loss crash states of every journal write path: how many, and how each recovered.

    python benchmarks/crash_states.py            # quick form (as `make test` checks it)
    python benchmarks/crash_states.py --full     # exhaustive (as `make torture` checks it)
    python benchmarks/crash_states.py --path insert --trace

Each write path (insert, update, delete, a transaction, restore, restore over a
damaged file, import into a new directory, a write that prunes versions, a
write through a symlinked journal) is recorded once at the os-call level; every
state a power loss may leave under the persistence model in
tests/reliability/crash_states.py (any prefix of the trace; unsynced data torn
or dropped; unsynced directory operations each kept or lost) is rebuilt in a
scratch directory and opened. Each path runs with hard-linked versions and
again with copies (no hard links). Columns:

    ops          operations recorded (creat, write, fsync, rename, link, unlink, ...)
    states       distinct directory states a power loss may leave
    checked      states opened (quick form: a capped sample, always with the
                 state after the full trace and each prefix's extremes)
    old / new    the journal read as the records before / after the write
    unreadable   (restore over a damaged file) that damaged file, unchanged
    restorable   unreadable, and `acuplan restore` of the newest readable version
                 brings back the old or new records
    failures     anything else: a lost acknowledged write, a silent loss, no
                 readable version (exit 1 if there is any)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

import crash_states as cs  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="every state, fine data model")
    ap.add_argument("--path", action="append", choices=list(cs.PATHS),
                    help="only this write path (repeatable)")
    ap.add_argument("--trace", action="store_true", help="print each recorded trace")
    args = ap.parse_args(argv)

    header = ("write path", "ops", "states", "checked", "old", "new", "unreadable",
              "restorable", "failures")
    rows = []
    failures: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="acuplan-crash-") as work:
        for r in cs.explore_all(Path(work), full=args.full, names=args.path):
            o = r.outcomes
            rows.append((r.label, len(r.ops), r.distinct, r.checked, o["old"], o["new"],
                         o["old-unreadable"], o["restorable-old"] + o["restorable-new"],
                         len(r.failures)))
            failures += r.failures
            if args.trace:
                print(f"{r.label}:")
                for op in r.ops:
                    print(f"    {op}")
    elapsed = time.perf_counter() - started
    totals = ("total", *(sum(row[i] for row in rows) for i in range(1, len(header))))
    print(f"crash states, {'full' if args.full else 'quick'} form "
          f"({elapsed:.1f} s; persistence model: tests/reliability/crash_states.py)")
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in [*rows, totals]:
        print("| " + " | ".join(f"{v:,}" if isinstance(v, int) else v for v in row) + " |")
    for f in failures[:20]:
        print(f"FAILURE {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
