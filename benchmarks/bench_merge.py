"""Whole-process figures for `acuplan merge OTHER.json` (two copies of one journal).

    python benchmarks/bench_merge.py --years 10 [--rounds 15]

The other copy is the same generated journal after a second machine's month: 20 records
changed, 10 added, 5 deleted; this journal changed 10 others and 5 of the same (five
conflicts). Each round starts from this journal as it was, so every merge writes.

merge       : `python -m planner --db J merge OTHER` against the floor: reading both files
              with json and writing one back atomically with fsync, in one process.
              Our goal (the issue set none): <= 3x.
merge again : the same merge once more (nothing to merge: nothing is written).
"""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, TODAY, Row, interleaved, journal_copy, median, print_rows, run_once  # noqa: E402

FLOOR_CODE = """
import json, os, sys
a, b = sys.argv[1], sys.argv[2]
data = json.loads(open(a, 'rb').read()); json.loads(open(b, 'rb').read())
payload = json.dumps(data, separators=(',', ':')).encode()
tmp = a + '.floor'
fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, payload); os.fsync(fd); os.close(fd)
os.replace(tmp, a)
dfd = os.open(os.path.dirname(a), os.O_RDONLY); os.fsync(dfd); os.close(dfd)
"""


class Clock:
    def __init__(self, start: datetime) -> None:
        self.t = start

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t


def diverge(path: Path) -> tuple[Path, Path]:
    """(this journal as it was, the other copy), changed as the module's text says."""
    from planner.store.journal import Journal

    other = path.with_name("other.json")
    shutil.copyfile(path, other)
    here = Journal(path, now=Clock(datetime(2026, 12, 1, 8, tzinfo=UTC)))
    there = Journal(other, now=Clock(datetime(2026, 12, 1, 9, tzinfo=UTC)))
    checkins = [d["id"] for d in here.snapshot()["skin"]]
    for i, rid in enumerate(checkins[:20]):
        there.update("skin", rid, {"note": f"laptop {i}"})
    for i in range(10):
        there.insert("products", {"date": f"2026-10-2{i}", "kind": "retinoid",
                                  "note": f"laptop {i}"})
    for rid in checkins[20:25]:
        there.delete("skin", rid)
    for i, rid in enumerate(checkins[15:20] + checkins[30:40]):
        here.update("skin", rid, {"note": f"home {i}"})
    kept = path.with_name("as-it-was.json")
    shutil.copyfile(path, kept)
    return kept, other


def rows(years: float, rounds: int) -> list[Row]:
    path = journal_copy(years, f"merge-{years:g}")
    kept, other = diverge(path)
    scratch = path.with_name("floor.json")
    merge = [PY, "-m", "planner", "--db", str(path), "--today", TODAY, "merge", str(other)]

    def fresh_merge() -> float:
        shutil.copyfile(kept, path)
        return run_once(merge)

    def floor() -> float:
        shutil.copyfile(kept, scratch)
        return run_once([PY, "-c", FLOOR_CODE, str(scratch), str(other)])

    t = interleaved({"floor": floor, "merge": fresh_merge}, rounds)
    again = interleaved({"again": lambda: run_once(merge)}, rounds)
    f = median(t["floor"])
    cmd = "python benchmarks/bench_merge.py --years Y"
    return [
        Row("acuplan merge, changes on both sides", years, median(t["merge"]), f, 3.0, "x", cmd,
            "35 records changed on one side or both, 5 conflicts"),
        Row("acuplan merge, nothing to merge", years, median(again["again"]), f, 3.0, "x",
            cmd, "the same merge again: nothing written"),
    ]


def main() -> int:
    return print_rows(rows)


if __name__ == "__main__":
    raise SystemExit(main())
