"""Where the time of `acuplan status` goes: each start-up layer as a ratio to the floor.

    python benchmarks/bench_startup.py --years 10 [--rounds 15]

Whole processes, interleaved, medians. The floor is the status goal's:
`python -c "import tinydb, json"` plus reading (and parsing) the journal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, TODAY, interleaved, journal_copy, median, run_once  # noqa: E402

LOAD = ("import sys\nfrom datetime import date\nfrom pathlib import Path\n"
        "from planner.service.planner import Planner\nfrom planner.store.journal import Journal\n"
        "v = Planner(Journal(Path(sys.argv[1])), date(2026, 12, 1)).today_view()\n"
        "print(v.verdict.allowed)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=float, default=10)
    ap.add_argument("--rounds", type=int, default=15)
    a = ap.parse_args()
    j = str(journal_copy(a.years, f"startup-{a.years:g}"))
    steps = {
        "floor: python -c 'import tinydb, json' + parse the file":
            [PY, "-c", "import tinydb, json, sys; json.loads(open(sys.argv[1], 'rb').read())", j],
        "python -c pass": [PY, "-c", "pass"],
        "python -c 'import click'": [PY, "-c", "import click"],
        "python -c 'import planner.service.planner, planner.store.journal'":
            [PY, "-c", "import planner.service.planner, planner.store.journal"],
        "acuplan --help (click + every CLI module, no journal)": [PY, "-m", "planner", "--help"],
        "today_view without click (service + store + load + rules)": [PY, "-c", LOAD, j],
        "acuplan status": [PY, "-m", "planner", "--db", j, "--today", TODAY, "status"],
    }
    t = interleaved({k: (lambda v=v: run_once(v)) for k, v in steps.items()}, a.rounds)
    floor = median(next(iter(t.values())))
    print(f"start-up layers, {a.years:g}-year journal, median of {a.rounds} "
          f"(python benchmarks/bench_startup.py --years {a.years:g}):")
    for k, v in t.items():
        print(f"  {median(v) / floor:5.2f}x  {median(v) * 1000:6.1f} ms  {k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
