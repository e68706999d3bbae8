"""The writer side of the kill -9 torture, and the op stream both sides agree on.

Run as a process (`python torture_child.py`), it is a small fork server: it
imports acuplan once, then for each line `run PATH SEED` on stdin it forks a
writer that opens the journal, says `<pid> ready`, and performs a seeded,
endless, mixed stream of writes through the journal layer, saying
`<pid> ok <n>` after write n returned (n from 1). Before each step of a write
that touches the disk (write, fsync, link, replace) it says `<pid> step <name>`;
the parent kills the writer with SIGKILL when a seeded number of steps were
announced, so the kills spread over every step of a write without a timed wait.
The server then says `done <pid> <status>`.
(The writer is a real process killed by the kernel mid-write; forking only
saves the ~0.2 s interpreter start per trial.)

The parent imports this same file to replay the stream on a model of the
journal: after the kill the file must equal the model after the confirmed
writes, or after one more (the write in flight).
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path
from typing import Any

Model = dict[str, dict[str, dict[str, Any]]]  # table -> id -> doc, in journal order
Op = tuple

TABLES = ("sessions", "skin", "products", "plans")
NOTES = ("", "calm", "a bit pink", "tight jaw [again]", "café — ünïcödé ✓", "x" * 200)


def model_of(snapshot: dict[str, list[dict]]) -> Model:
    return {t: {d["id"]: d for d in docs} for t, docs in snapshot.items() if docs}


def as_snapshot(model: Model) -> dict[str, list[dict]]:
    return {t: list(docs.values()) for t, docs in model.items() if docs}


def _new_id(rng: random.Random, model: Model, table: str) -> str:
    while True:
        rid = f"t{rng.getrandbits(40):010x}"
        if rid not in model.get(table, {}):
            return rid


def _doc(rng: random.Random, table: str, rid: str, n: int) -> dict[str, Any]:
    day = f"20{rng.randint(10, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if table == "sessions":
        return {"id": rid, "date": day, "minutes": rng.randint(5, 30), "routine": None,
                "aborted": rng.random() < 0.1, "violations": [], "note": rng.choice(NOTES)}
    if table == "products":
        return {"id": rid, "date": day, "kind": rng.choice(("retinoid", "scrub")),
                "note": rng.choice(NOTES)}
    if table == "plans":
        return {"id": rid, "date": day, "minutes": 10, "routine": None, "fulfilled_by": None}
    return {"id": rid, "date": day, "kind": "checkin", "redness": rng.randint(0, 2),
            "swelling": 0, "itch": 0, "burning": 0, "flags": [], "zone": None,
            "note": f"write {n} " + rng.choice(NOTES), "session_id": None,
            "resolved_on": None, "cleared_by_clinician": False}


def next_op(rng: random.Random, model: Model, n: int) -> Op:
    """The n-th write of the stream (depends only on the rng and the model)."""
    r = rng.random()
    table = rng.choice(TABLES)
    ids = list(model.get(table, {}))
    if r < 0.45 or not ids:
        return ("insert", table, _doc(rng, table, _new_id(rng, model, table), n))
    if r < 0.70:
        rid = ids[rng.randrange(len(ids))]
        return ("update", table, rid, {"note": f"edit {n} " + rng.choice(NOTES)})
    if r < 0.90:
        return ("delete", table, ids[rng.randrange(len(ids))])
    # a log with a side effect: a session that fulfils a plan, in one transaction
    sid = _new_id(rng, model, "sessions")
    plans = list(model.get("plans", {}))
    plan = plans[rng.randrange(len(plans))] if plans else None
    return ("log", _doc(rng, "sessions", sid, n), plan)


def apply(model: Model, op: Op) -> None:
    kind = op[0]
    if kind == "insert":
        model.setdefault(op[1], {})[op[2]["id"]] = op[2]
    elif kind == "update":
        doc = model[op[1]][op[2]]
        model[op[1]][op[2]] = {**doc, **op[3]}
    elif kind == "delete":
        del model[op[1]][op[2]]
    else:
        _, session, plan = op
        model.setdefault("sessions", {})[session["id"]] = session
        if plan is not None:
            model["plans"][plan] = {**model["plans"][plan], "fulfilled_by": session["id"]}


def perform(journal, op: Op) -> None:
    kind = op[0]
    if kind == "insert":
        journal.insert(op[1], op[2])
    elif kind == "update":
        journal.update(op[1], op[2], op[3])
    elif kind == "delete":
        journal.delete(op[1], op[2])
    else:
        _, session, plan = op
        with journal.transaction() as tx:
            tx.insert("sessions", session)
            if plan is not None:
                tx.update("plans", plan, {"fulfilled_by": session["id"]})


def stream(seed: int, model: Model):
    """(n, op) forever, advancing `model` as it goes."""
    rng = random.Random(seed)
    n = 0
    while True:
        n += 1
        op = next_op(rng, model, n)
        yield n, op
        apply(model, op)


_WRITE = os.write  # the parent's lines are not steps of a write


def _say(text: str) -> None:
    _WRITE(1, (text + "\n").encode())


def _announce_steps(pid: int) -> None:
    """Each disk step of a write says its name first (this process only: a fork)."""
    def announced(name: str, call):
        def step(*args, **kwargs):
            _say(f"{pid} step {name}")
            return call(*args, **kwargs)
        return step

    for name in ("write", "fsync", "link", "replace"):
        setattr(os, name, announced(name, getattr(os, name)))


def _writer(path: str, seed: int) -> None:
    from planner.store import Journal

    journal = Journal(Path(path), lock_timeout=30)
    model = model_of(journal.snapshot())
    pid = os.getpid()
    _say(f"{pid} ready")
    _announce_steps(pid)
    for n, op in stream(seed, model):
        perform(journal, op)
        _say(f"{pid} ok {n}")


def serve() -> None:
    import planner.store.journal  # noqa: F401  (import once, before the first write)

    _say("server ready")
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != "run":
            continue
        path, seed = parts[1], int(parts[2])
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _writer(path, seed)
            except BaseException as e:  # noqa: BLE001 - report, never hang the parent
                _say(f"{os.getpid()} error {type(e).__name__}: {e}".replace("\n", " "))
                code = 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        _say(f"done {pid} {status}")


if __name__ == "__main__":
    serve()
