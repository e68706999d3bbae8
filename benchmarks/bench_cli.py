"""Whole-process figures: `acuplan status` and `acuplan log`, and the write in process.

    python benchmarks/bench_cli.py --years 10 [--rounds 15]

status : `python -m planner --db J status` against the floor
         `python -c "import tinydb, json; json.loads(open(J, 'rb').read())"`.  Goal <= 1.5x.
         Four ways: the answer cached (the journal unchanged since the last status, a
         prompt's usual case); right after an `acuplan log` (which leaves the answers);
         the first of a new day (yesterday's status left today's answer); and with
         nothing cached (the journal changed behind acuplan's back: all worked out).
write  : one record written through the journal layer in process (lock, re-read only
         if changed, atomic write, versions) against serializing the same journal with
         json.dumps and writing it atomically (temp, write, fsync, replace, fsync dir).
         Goal <= 2x.
log    : `python -m planner --db J log product retinoid --date D` against the status
         floor plus the write floor.  Goal <= 1.5x.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    PY,
    TODAY,
    YESTERDAY,
    Row,
    env,
    interleaved,
    journal_copy,
    median,
    print_rows,
    run_once,
    timed,
)

FLOOR_CODE = "import tinydb, json, sys; json.loads(open(sys.argv[1], 'rb').read())"


def status_rows(years: float, rounds: int) -> tuple[list[Row], float]:
    path = journal_copy(years, f"status-{years:g}")
    floor = [PY, "-c", FLOOR_CODE, str(path)]
    base = [PY, "-m", "planner", "--db", str(path)]
    status = [*base, "--today", TODAY, "status"]
    log = [*base, "--today", TODAY, "checkin", "--date", TODAY]
    cache = Path(str(path) + ".status-cache")

    def after_log() -> float:  # a prompt right after `acuplan log` (which left the answers)
        run_once(log)
        return run_once(status)

    def new_day() -> float:  # the first prompt of a day: yesterday's status left today's too
        cache.unlink(missing_ok=True)
        run_once([*base, "--today", YESTERDAY, "status"])
        return run_once(status)

    def nothing() -> float:  # the journal changed behind acuplan's back: all worked out
        cache.unlink(missing_ok=True)
        return run_once(status)

    run_once(status)
    t = interleaved({"floor": lambda: run_once(floor), "status": lambda: run_once(status),
                     "after_log": after_log, "new_day": new_day, "nothing": nothing}, rounds)
    f = median(t["floor"])
    imports = subprocess.run([PY, "-X", "importtime", "-m", "planner", "--db", str(path),
                              "--today", TODAY, "status"], capture_output=True, text=True,
                             env=env())
    textual = any(line.rsplit("|", 1)[-1].strip().split(".")[0] == "textual"
                  for line in imports.stderr.splitlines() if line.startswith("import time:"))
    cmd = "python benchmarks/bench_cli.py --years Y"
    return [
        Row("acuplan status, answer cached", years, median(t["status"]), f, 0.6, "x", cmd,
            "imports Textual" if textual else "Textual not imported"),
        Row("acuplan status, first after `acuplan log`", years, median(t["after_log"]), f,
            0.6, "x", cmd, "the write left the answers"),
        Row("acuplan status, first of a new day", years, median(t["new_day"]), f, 0.6, "x",
            cmd, "yesterday's status left today's answer"),
        Row("acuplan status, nothing cached", years, median(t["nothing"]), f, 1.0, "x", cmd,
            "journal changed by something else: worked out from the records"),
    ], f


def write_floor(raw: dict, path: Path) -> None:
    payload = json.dumps(raw, separators=(",", ":")).encode()
    tmp = path.with_name(f".floor-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def write_rows(years: float, rounds: int) -> tuple[list[Row], float]:
    from planner.store import Journal

    path = journal_copy(years, f"write-{years:g}")
    floor_path = path.with_name("floor.json")
    journal = Journal(path)
    journal.snapshot()  # warm, as the app is: the write itself is what is measured
    raw = json.loads(path.read_bytes())
    n = [0]

    def one_write() -> None:
        n[0] += 1
        journal.insert("products", {"date": "2026-11-30", "kind": "retinoid",
                                    "note": f"bench {n[0]}"})

    t = interleaved({"floor": timed(lambda: write_floor(raw, floor_path)),
                     "write": timed(one_write)}, rounds * 2)
    f, w = median(t["floor"]), median(t["write"])
    return [Row("one write in process", years, w, f, 2.0, "x",
                "python benchmarks/bench_cli.py --years Y")], f


def log_rows(years: float, rounds: int, status_floor: float, write_floor_s: float) -> list[Row]:
    path = journal_copy(years, f"log-{years:g}")
    log = [PY, "-m", "planner", "--db", str(path), "--today", TODAY, "log", "product",
           "retinoid", "--date", "2026-11-30"]
    bare = [PY, "-c", "import json, tinydb"]
    with_click = [PY, "-c", "import json, tinydb, click"]
    t = interleaved({"log": lambda: run_once(log), "bare": lambda: run_once(bare),
                     "click": lambda: run_once(with_click)}, rounds)
    click_ms = (median(t["click"]) - median(t["bare"])) * 1000
    return [Row("acuplan log (whole process)", years, median(t["log"]),
                status_floor + write_floor_s, 1.5, "x",
                "python benchmarks/bench_cli.py --years Y",
                f"floor = status floor + write floor; `import click` alone adds {click_ms:.0f} ms")]


def rows(years: float, rounds: int) -> list[Row]:
    s, sf = status_rows(years, rounds)
    w, wf = write_rows(years, rounds)
    return s + w + log_rows(years, rounds, sf, wf)


def main() -> int:
    return print_rows(rows)


if __name__ == "__main__":
    raise SystemExit(main())
