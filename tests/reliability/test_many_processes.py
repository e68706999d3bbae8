"""Many processes on one journal (issue item 4).

Four writer processes make 250 changes each while a reader polls
`acuplan status`: no change may be lost (every tagged record is there once,
in its writer's order, and a shared counter that every change increments
under the lock reaches exactly 1,000), no id may repeat, and the reader must
never fail. A lock holder killed with -9 must not block the next process; a
lock held past the timeout must give exit 4 "busy" and change nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_support import child_env, generator, run_cli, temp_files  # noqa: E402

from planner.store import Journal  # noqa: E402

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from planner.store import Journal
    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    j = Journal(path, lock_timeout=120)
    mine = []
    for n in range(count):
        with j.transaction() as tx:
            if n % 10 == 9 and mine:          # every 10th change edits an earlier record
                tx.update("skin", mine[-1], {"note": f"{name} edited at {n}"})
            else:
                mine.append(tx.insert("skin", {
                    "date": "2026-11-30", "kind": "checkin", "redness": 0, "swelling": 0,
                    "itch": 0, "burning": 0, "flags": [], "zone": None,
                    "note": f"{name} {n}", "writer": name, "n": n,
                    "session_id": None, "resolved_on": None, "cleared_by_clinician": False}))
            c = tx.get("counter", "c")        # read-modify-write of one shared record
            tx.update("counter", "c", {"value": c["value"] + 1})
    print(len(mine))
""")

# Holds the lock, in the middle of a transaction, until it is killed (or its parent goes
# and closes its stdin): a blocking read, not a sleep.
HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from planner.store import Journal
    with Journal(Path(sys.argv[1])).transaction() as tx:
        tx.insert("skin", {"date": "2026-12-01", "kind": "checkin", "note": "never written"})
        print("locked", flush=True)
        sys.stdin.read()
""")


def _writers_and_reader(path: Path, writers: int, each: int) -> dict:
    Journal(path).insert("counter", {"id": "c", "value": 0})
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"w{w}", str(each)],
                              env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for w in range(writers)]
    reads = {"runs": 0, "errors": [], "seen": set()}
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(0.05):
            r = run_cli("status", "--json", db=path)
            reads["runs"] += 1
            if r.returncode != 0 or r.stderr.strip():
                reads["errors"].append((r.returncode, r.stderr))
                continue
            try:
                reads["seen"].add(json.dumps(json.loads(r.stdout), sort_keys=True))
            except ValueError as e:
                reads["errors"].append(("bad json", str(e)))

    reader = threading.Thread(target=poll)
    reader.start()
    outs = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=600)
            outs.append((p.returncode, out, err))
    finally:
        stop.set()
        reader.join(timeout=120)
    return {"outs": outs, "reads": reads}


def _check(path: Path, result: dict, writers: int, each: int, figures, label: str) -> None:
    for code, _out, err in result["outs"]:
        assert code == 0, err
    snap = Journal(path).snapshot()
    skin = snap["skin"]
    ids = [d["id"] for d in skin]
    tagged = [d for d in skin if "writer" in d]
    inserted_each = each - len([n for n in range(each) if n % 10 == 9 and n > 0])
    lost = writers * inserted_each - len(tagged)
    dup = len(ids) - len(set(ids))
    counter = snap["counter"][0]["value"]
    reads = result["reads"]
    figures(f"many processes, {label}: {writers} writers x {each} changes: {lost} lost, "
            f"{dup} duplicate ids, counter {counter}/{writers * each}; reader ran "
            f"`acuplan status --json` {reads['runs']}x, {len(reads['errors'])} errors")
    assert reads["errors"] == []
    assert reads["runs"] >= 3
    assert dup == 0
    assert lost == 0
    assert counter == writers * each  # no lost update in a read-modify-write
    for w in range(writers):
        mine = [d for d in tagged if d["writer"] == f"w{w}"]
        assert [d["n"] for d in mine] == [n for n in range(each) if n % 10 != 9]
        edited = [d for d in mine if "edited" in d["note"]]
        assert len(edited) == len([n for n in range(each) if n % 10 == 9])
    assert temp_files(path.parent) == []


def test_four_writers_and_a_reader(tmp_path, figures):
    path = tmp_path / "data" / "journal.json"
    _check(path, _writers_and_reader(path, 4, 250), 4, 250, figures, "new journal")


@pytest.mark.torture
def test_four_writers_and_a_reader_on_ten_years(tmp_path, figures):
    path = tmp_path / "data" / "journal.json"
    generator().make_journal(path, 10)
    _check(path, _writers_and_reader(path, 4, 250), 4, 250, figures, "10-year journal")


def _hold(path: Path) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], env=child_env(),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    assert p.stdout.readline().strip() == "locked", p.stderr.read()
    return p


def test_lock_held_too_long_is_busy_and_a_killed_holder_frees_it(tmp_path, figures):
    path = tmp_path / "data" / "journal.json"
    generator().make_journal(path, 1)
    before = path.read_bytes()
    holder = _hold(path)
    try:
        # reading never waits for the lock
        r = run_cli("status", db=path, env=child_env(ACUPLAN_LOCK_TIMEOUT="0.5"))
        assert r.returncode == 0, r.stderr
        # a write gives up after the timeout: exit 4, one line, "busy", nothing written
        t0 = time.monotonic()
        r = run_cli("log", "product", "retinoid", "--date", "2026-11-30", db=path,
                    env=child_env(ACUPLAN_LOCK_TIMEOUT="0.5"))
        waited = time.monotonic() - t0
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert r.returncode == 4, r.stderr
        assert len(lines) == 1 and "busy" in lines[0] and str(path) in lines[0], r.stderr
        assert path.read_bytes() == before
        # the holder dies without releasing anything; the next process gets in
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        t0 = time.monotonic()
        r = run_cli("log", "product", "retinoid", "--date", "2026-11-30", db=path,
                    env=child_env(ACUPLAN_LOCK_TIMEOUT="10"))
        got_in = time.monotonic() - t0
        assert r.returncode == 0, r.stderr
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    snap = Journal(path).snapshot()
    assert not any(d.get("note") == "never written" for d in snap["skin"])
    assert sum(d["kind"] == "retinoid" and d["date"] == "2026-11-30"
               for d in snap["products"]) >= 1
    figures(f"lock: a held lock gave exit 4 'busy' after {waited:.2f} s (timeout 0.5 s); "
            f"after kill -9 of the holder the next `acuplan log` finished in {got_in:.2f} s "
            f"(whole process)")
