"""A deterministic generator of realistic acuplan journals, for benchmarks and reliability tests.

    python benchmarks/generate.py --years 10 -o /tmp/journal-10y.json

Same (years, seed, today) -> same bytes. Per year, roughly: 52 sessions (one a
week, some aborted, a few logged with a violation), 365 daily check-ins, 30
reactions tied to sessions, 50 product uses (kept outside the 3-day blackout
before a session), a procedure, an injectable, 26 past plans (fulfilled) and
2 pauses; plus 3 upcoming plans, a profile and settings. The 10-year journal
is ~520 sessions, 3,650 check-ins, 300 reactions, 500 product uses.

Tests import it by path (it is not a package module):

    spec = importlib.util.spec_from_file_location("acu_generate", ROOT / "benchmarks/generate.py")
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.domain.vocabulary import (  # noqa: E402
    FLAGS,
    INJECTABLE_KINDS,
    PAUSE_REASONS,
    PROCEDURE_KINDS,
    PRODUCT_KINDS,
    ZONES,
)

DEFAULT_TODAY = date(2026, 12, 1)
ROUTINES = ("jaw-release-starter", "depuff-points-and-roll", "full-face-gua-sha",
            "calm-evening-points", "bright-skin-roll", "desk-break-headache")
NOTES = ("", "", "", "felt calm", "a little pink after [rolling]", "tight jaw today",
         "slept badly", "café au lait — ok", "used the cool stone")

Tables = dict[str, list[dict[str, Any]]]


def make_tables(years: float, *, seed: int = 1, today: date = DEFAULT_TODAY) -> Tables:
    """The journal as tables of docs (the shape `Journal.snapshot()` returns)."""
    rng = random.Random(f"acuplan-{float(years):g}-{seed}")  # 10 and 10.0: one journal
    used: set[str] = set()

    def rid() -> str:
        while True:
            r = f"{rng.getrandbits(32):08x}"
            if r not in used:
                used.add(r)
                return r

    days = max(1, round(years * 365))
    start = today - timedelta(days=days)
    t: Tables = {k: [] for k in ("sessions", "plans", "products", "procedures", "injectables",
                                 "skin", "pauses", "profile", "settings")}

    # pauses first: sessions avoid them
    pauses = []
    for _ in range(max(1, round(years * 2))):
        s = start + timedelta(days=rng.randrange(days))
        e = s + timedelta(days=rng.randint(2, 9))
        if e >= today:
            continue
        pauses.append((s, e))
        t["pauses"].append({"id": rid(), "start": s.isoformat(), "end": e.isoformat(),
                            "reason": rng.choice(PAUSE_REASONS), "note": rng.choice(NOTES)})

    def paused(d: date) -> bool:
        return any(s <= d <= e for s, e in pauses)

    # sessions: about one a week, 7-10 days apart
    session_days: list[date] = []
    d = start + timedelta(days=rng.randint(0, 6))
    clean = 0
    while d < today - timedelta(days=2):
        if not paused(d):
            outcome = rng.choices(("completed", "partial", "aborted"), (94, 2, 4))[0]
            cap = 10 if clean < 3 else min(30, 10 + 5 * (clean - 2))
            minutes = rng.randint(5, cap)
            sid = rid()
            t["sessions"].append({"id": sid, "date": d.isoformat(), "minutes": minutes,
                                  "routine": rng.choice(ROUTINES), "outcome": outcome,
                                  "note": rng.choice(NOTES)})
            session_days.append(d)
            clean = 0 if outcome == "aborted" else clean + (outcome == "completed")
            if rng.random() < 0.5:
                t["plans"].append({"id": rid(), "date": d.isoformat(), "minutes": minutes,
                                   "routine": rng.choice(ROUTINES), "fulfilled_by": sid,
                                   "confirmed_missed": False})
        d += timedelta(days=rng.choice((7, 7, 7, 7, 7, 7, 8)))

    # daily check-ins, mostly calm
    for i in range(days):
        day = start + timedelta(days=i)
        r = rng.random()
        redness = 0 if r < 0.8 else 1 if r < 0.97 else 2
        t["skin"].append(_skin(rid(), day, "checkin", rng, redness=redness))

    # reactions tied to sessions (about 30 a year)
    for _ in range(min(len(session_days), round(years * 30))):
        k = rng.randrange(len(session_days))
        sday = session_days[k]
        r = rng.random()
        fields: dict[str, Any] = {"redness": 0 if r < 0.6 else 1 if r < 0.9 else 2}
        resolved = None
        if r > 0.985:  # an occasional severe reaction, resolved a few days later
            fields = {"redness": 3, "swelling": 2}
            resolved = (sday + timedelta(days=rng.randint(2, 5))).isoformat()
        doc = _skin(rid(), sday, "reaction", rng, **fields)
        doc["session_id"] = t["sessions"][k]["id"]
        doc["resolved_on"] = resolved
        t["skin"].append(doc)

    # products: about 50 a year, kept out of the 3 days before a session
    sset = set(session_days)
    n_products = round(years * 50)
    tries = 0
    while len(t["products"]) < n_products and tries < n_products * 20:
        tries += 1
        day = start + timedelta(days=rng.randrange(days))
        if any(day + timedelta(days=k) in sset for k in range(0, 4)):
            continue
        t["products"].append({"id": rid(), "date": day.isoformat(),
                              "kind": rng.choice(PRODUCT_KINDS), "note": rng.choice(NOTES)})
    for table, kinds, n in (("procedures", PROCEDURE_KINDS, max(1, round(years))),
                            ("injectables", INJECTABLE_KINDS, max(1, round(years * 0.8)))):
        for _ in range(n):
            day = start + timedelta(days=rng.randrange(days))
            t[table].append({"id": rid(), "date": day.isoformat(), "kind": rng.choice(kinds),
                             "note": rng.choice(NOTES)})

    # upcoming plans
    last = session_days[-1] if session_days else today
    for k in range(1, 4):
        day = max(today, last) + timedelta(days=7 * k + 1)
        t["plans"].append({"id": rid(), "date": day.isoformat(), "minutes": 10,
                           "routine": rng.choice(ROUTINES), "fulfilled_by": None,
                           "confirmed_missed": False})

    t["profile"].append({"id": rid(), "notice_accepted": True, "onboarded": True,
                         "pregnant": False, "anticoagulants": False, "bleeding_disorder": False,
                         "rosacea": False, "eczema": False, "psoriasis": False,
                         "sensitive_skin": rng.random() < 0.3, "retinoid_use": True,
                         "recent_injectable": False, "recent_procedure": False,
                         "exclusions": [{"zone": "cheek", "reason": "mole", "until": None}]})
    t["settings"].append({"id": rid(), "spacing_days": 7, "product_blackout_days": 3,
                          "procedure_wait_days": 7, "injectable_wait_days": 14,
                          "cadence_days": 7, "grace_days": 3, "starter_count": 3,
                          "ramp_step": 5, "ceiling": 30, "theme": "textual-dark"})
    # entry order is roughly chronological in a real journal
    for name in ("skin", "products", "procedures", "injectables", "plans"):
        t[name].sort(key=lambda doc: doc["date"])
    t["pauses"].sort(key=lambda doc: doc["start"])
    # the entry stamp of each dated record (SPEC §3.2): by day, a day's sessions last
    stamped = [(doc.get("date") or doc["start"], rank, i, doc)
               for rank, name in enumerate(("products", "procedures", "injectables", "pauses",
                                            "skin", "sessions"))
               for i, doc in enumerate(t[name])]
    for n, (*_, doc) in enumerate(sorted(stamped, key=lambda x: x[:3]), 1):
        doc["logged"] = n
    return t


def _skin(rid: str, day: date, kind: str, rng: random.Random, *, redness: int = 0,
          swelling: int = 0) -> dict[str, Any]:
    flags = [rng.choice(FLAGS[:4])] if redness >= 2 and rng.random() < 0.3 else []
    return {"id": rid, "date": day.isoformat(), "kind": kind, "redness": redness,
            "swelling": swelling, "itch": rng.choice((0, 0, 0, 1, 2)) if redness else 0,
            "burning": 0, "flags": flags,
            "zone": rng.choice(ZONES) if redness else None, "note": rng.choice(NOTES),
            "session_id": None, "resolved_on": None, "cleared_by_clinician": False}


def raw_form(tables: Tables) -> dict[str, dict[str, Any]]:
    """TinyDB's on-disk form (table -> "doc id" -> doc) with the meta table, and a version
    stamp for every record, as a journal begun under schema 3 holds (the largest file:
    one migrated from schema 2 has stamps only for records changed since)."""
    from datetime import UTC, datetime

    from planner.store import stamps
    from planner.store.migrations import CURRENT_SCHEMA, META, STAMPS

    raw = {name: {str(i): doc for i, doc in enumerate(docs, 1)} for name, docs in tables.items()}
    entries = {}
    for name, docs in tables.items():
        for doc in docs:
            day = doc.get("date") or doc.get("start") or "2026-01-01"
            when = datetime.fromisoformat(f"{day}T20:00:00").replace(tzinfo=UTC)
            k = stamps.key(name, doc["id"])
            entries[str(len(entries) + 1)] = stamps.entry(
                k, stamps.new_stamp(when, None, stamps.canonical(doc)))
    raw[STAMPS] = entries
    raw[META] = {"1": {"schema_version": CURRENT_SCHEMA}}
    return raw


def journal_bytes(tables: Tables) -> bytes:
    """The bytes acuplan itself would write for these tables."""
    from planner.store import codec

    return codec.encode(raw_form(tables))


def make_journal(path: Path, years: float, *, seed: int = 1, today: date = DEFAULT_TODAY,
                 ) -> Tables:
    """Write a generated journal to `path` (0600, atomically); returns its tables."""
    from planner.store import atomic

    tables = make_tables(years, seed=seed, today=today)
    path = Path(path)
    atomic.ensure_dir(path.parent)
    atomic.atomic_write(path, journal_bytes(tables))
    return tables


def counts(tables: Tables) -> dict[str, int]:
    out = {k: len(v) for k, v in tables.items()}
    out["checkins"] = sum(1 for d in tables["skin"] if d["kind"] == "checkin")
    out["reactions"] = sum(1 for d in tables["skin"] if d["kind"] == "reaction")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", type=float, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY)
    ap.add_argument("-o", "--output", type=Path, required=True)
    a = ap.parse_args(argv)
    tables = make_journal(a.output, a.years, seed=a.seed, today=a.today)
    c = counts(tables)
    print(f"{a.output}: {a.output.stat().st_size:,} bytes; " + ", ".join(
        f"{k} {v}" for k, v in c.items() if k != "skin"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
