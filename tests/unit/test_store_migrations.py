"""Schema-0 files (plain TinyDB, no meta, docs without ids) migrate after a backup."""

from __future__ import annotations

import json
import os
import stat

from planner.store import Journal
from planner.store.migrations import CURRENT_SCHEMA, STEPS, migrate
from planner.store.versions import list_versions

V0 = {
    "_default": {"1": {"note": "from plain tinydb"}},
    "checkins": {"1": {"date": "2024-01-01", "redness": 1},
                 "2": {"id": "keep-me", "date": "2024-01-02"},
                 "3": {"id": 17, "date": "2024-01-03"}},
    "sessions": {},
}


def write_v0(path) -> bytes:
    payload = json.dumps(V0).encode()
    path.write_bytes(payload)
    os.chmod(path, 0o644)
    return payload


def test_framework_has_one_step_per_version():
    assert CURRENT_SCHEMA == 3 and len(STEPS) == CURRENT_SCHEMA
    current = {"meta": {"1": {"schema_version": CURRENT_SCHEMA}}}
    assert migrate(current, CURRENT_SCHEMA) == current


def test_reading_a_v0_file_migrates_in_memory_only(tmp_path):
    path = tmp_path / "journal.json"
    payload = write_v0(path)
    snap = Journal(path).snapshot()
    assert list(os.listdir(tmp_path)) == ["journal.json"] and path.read_bytes() == payload
    ids = [d["id"] for d in snap["checkins"]]
    assert ids[1] == "keep-me"
    assert len(set(ids)) == 3 and all(isinstance(i, str) and i for i in ids)
    assert snap["checkins"][2]["legacy_id"] == 17
    assert snap["checkins"][0] == {"id": ids[0], "date": "2024-01-01", "redness": 1}
    assert snap["sessions"] == [] and snap["_default"][0]["note"] == "from plain tinydb"
    assert Journal(path).snapshot() == snap  # ids are stable across reads


def test_first_write_migrates_after_keeping_a_backup(tmp_path):
    path = tmp_path / "journal.json"
    payload = write_v0(path)
    j = Journal(path)
    before = j.snapshot()
    new = j.insert("checkins", {"date": "2024-01-04"})
    backup = path.with_name(f"journal.json.pre-v{CURRENT_SCHEMA}")
    assert backup.read_bytes() == payload
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    data = json.loads(path.read_bytes())
    assert data["meta"] == {"1": {"schema_version": CURRENT_SCHEMA}}
    after = Journal(path).snapshot()
    assert after["checkins"][:3] == before["checkins"]  # the ids shown before are kept
    assert after["checkins"][3]["id"] == new
    kinds = {v.label: v.kind for v in list_versions(path)}
    assert kinds[f"pre-v{CURRENT_SCHEMA}"] == "pre-migration"
    j.insert("checkins", {})  # later writes do not make more backups
    assert [n for n in os.listdir(tmp_path) if ".pre-v" in n] == [
        f"journal.json.pre-v{CURRENT_SCHEMA}"]


def test_explicit_migrate_and_existing_backup_is_not_overwritten(tmp_path):
    path = tmp_path / "journal.json"
    old_backup = path.with_name(f"journal.json.pre-v{CURRENT_SCHEMA}")
    old_backup.write_bytes(b"older backup")
    payload = write_v0(path)
    j = Journal(path)
    assert j.migrate() is True
    assert j.migrate() is False
    assert old_backup.read_bytes() == b"older backup"
    assert path.with_name(f"journal.json.pre-v{CURRENT_SCHEMA}-2").read_bytes() == payload


def test_empty_v0_object_is_an_empty_journal(tmp_path):
    path = tmp_path / "journal.json"
    path.write_bytes(b"{}")
    assert Journal(path).snapshot() == {}


V1 = {
    "meta": {"1": {"schema_version": 1}},
    "sessions": {"1": {"id": "s1", "date": "2026-11-10", "minutes": 8, "routine": None,
                       "aborted": False, "violations": [{"rule": "spacing", "message": "x",
                                                         "until": None}], "note": ""},
                 "2": {"id": "s2", "date": "2026-11-03", "minutes": 5, "routine": None,
                       "aborted": True, "violations": [], "note": "felt off"}},
    "products": {"1": {"id": "u1", "date": "2026-11-10", "kind": "retinoid", "note": ""}},
    "skin": {"1": {"id": "k1", "date": "2026-11-03", "kind": "checkin", "redness": 0,
                   "swelling": 0, "itch": 0, "burning": 0, "flags": [], "zone": None,
                   "note": "", "session_id": None, "resolved_on": None,
                   "cleared_by_clinician": False}},
    "plans": {"1": {"id": "p1", "date": "2026-11-20", "minutes": 10, "routine": None,
                    "fulfilled_by": None}},
}


def test_v1_sessions_get_an_outcome_and_lose_stored_violations(tmp_path):
    """Violations are derived now (SPEC §3.2); every dated record gets its entry stamp,
    with a day's other records stamped before its sessions (the careful reading)."""
    path = tmp_path / "journal.json"
    path.write_text(json.dumps(V1))
    snap = Journal(path).snapshot()
    s1, s2 = snap["sessions"]
    assert s1 == {"id": "s1", "date": "2026-11-10", "minutes": 8, "routine": None,
                  "outcome": "completed", "note": "", "logged": s1["logged"]}
    assert s2["outcome"] == "aborted" and "aborted" not in s2 and "violations" not in s2
    stamps = {d["id"]: d["logged"] for t in ("sessions", "products", "skin") for d in snap[t]}
    assert sorted(stamps.values()) == [1, 2, 3, 4]
    assert stamps["k1"] < stamps["s2"] < stamps["u1"] < stamps["s1"]  # by day, sessions last
    assert snap["plans"][0]["confirmed_missed"] is False
    assert Journal(path).snapshot() == snap  # the same every time it is read
