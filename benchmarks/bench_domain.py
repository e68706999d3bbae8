"""In-process figures: the plan calendar's 42 day checks and the streak computation.

    python benchmarks/bench_domain.py --years 10 [--rounds 15]

Both are measured on a freshly built rule engine over an already-parsed journal
(what the app does after the file changed), median of the rounds. Goal: each
<= 20 ms. For scale, the same run also measures the floor of parsing the file
with the stdlib (json.loads), printed beside them.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Row, interleaved, journal_copy, median, print_rows, timed  # noqa: E402

TODAY = date(2026, 12, 1)


def rows(years: float, rounds: int) -> list[Row]:
    from planner.service.planner import Planner
    from planner.service.tables import state_from
    from planner.store import Journal

    path = journal_copy(years, f"domain-{years:g}")
    journal = Journal(path)
    snap = journal.snapshot()
    state = state_from(lambda t: snap.get(t, []))
    payload = path.read_bytes()

    def fresh() -> Planner:
        from planner.domain.rules import Engine

        p = Planner(journal, TODAY)
        p._cache = (journal.signature(), state, Engine(state.history, state.settings, TODAY))
        return p

    def month() -> float:
        p = fresh()
        return timed(lambda: p.month(2026, 12))()

    def streak() -> float:
        p = fresh()
        return timed(p.streak)()

    t = interleaved({"month": month, "streak": streak,
                     "parse": timed(lambda: json.loads(payload))}, rounds)
    floor = median(t["parse"])
    cmd = "python benchmarks/bench_domain.py --years Y"
    return [
        Row("plan calendar, 42 day checks", years, median(t["month"]), None, 20, "ms", cmd,
            f"stdlib parse of the file alone: {floor * 1000:.1f} ms"),
        Row("streak computation", years, median(t["streak"]), None, 20, "ms", cmd),
    ]


def main() -> int:
    return print_rows(rows)


if __name__ == "__main__":
    raise SystemExit(main())
