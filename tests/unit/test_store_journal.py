"""Journal reads, transactions and record identity."""

from __future__ import annotations

import json
import os
import re

import pytest

from planner.store import Journal, RecordNotFound, StoreError, atomic, reader
from planner.store.migrations import CURRENT_SCHEMA


@pytest.fixture
def path(tmp_path):
    return tmp_path / "journal.json"


def on_disk(path) -> dict:
    return json.loads(path.read_bytes())


def test_missing_file_is_an_empty_journal_and_reading_creates_nothing(path):
    j = Journal(path)
    assert j.snapshot() == {}
    assert j.get_single("profile") is None
    assert not j.exists()
    assert j.signature() is None
    assert list(path.parent.iterdir()) == []


def test_insert_generates_short_unique_ids_and_keeps_order(path):
    j = Journal(path)
    ids = [j.insert("checkins", {"date": f"2024-01-{d:02d}"}) for d in range(1, 11)]
    assert all(re.fullmatch(r"[0-9a-f]{8}", i) for i in ids)
    assert len(set(ids)) == 10
    snap = j.snapshot()
    assert [d["id"] for d in snap["checkins"]] == ids
    assert [d["date"] for d in snap["checkins"]] == [f"2024-01-{d:02d}" for d in range(1, 11)]


def test_file_is_tinydb_format_with_meta(path):
    j = Journal(path)
    rid = j.insert("sessions", {"date": "2024-01-01", "minutes": 10})
    data = on_disk(path)
    assert data["meta"] == {"1": {"schema_version": CURRENT_SCHEMA}}
    assert data["sessions"] == {"1": {"id": rid, "date": "2024-01-01", "minutes": 10}}
    assert "meta" not in j.snapshot()


def test_insert_keeps_a_given_id_and_refuses_duplicates(path):
    j = Journal(path)
    assert j.insert("plans", {"id": "p1", "date": "2024-02-01"}) == "p1"
    with pytest.raises(ValueError):
        j.insert("plans", {"id": "p1"})
    with pytest.raises(ValueError):
        j.insert("plans", {"id": 7})
    assert len(j.snapshot()["plans"]) == 1


def test_id_clash_regenerates(path, monkeypatch):
    j = Journal(path)
    j.insert("t", {"id": "00000000"})
    draws = iter([b"\0\0\0\0", b"\0\0\0\0", b"\x12\x34\x56\x78"])
    real = os.urandom
    monkeypatch.setattr(os, "urandom", lambda n: next(draws, None) or real(n))
    with j.transaction() as tx:
        assert tx.insert("t", {}) == "12345678"


def test_update_delete_get_find(path):
    j = Journal(path)
    a = j.insert("skin", {"date": "2024-01-01", "redness": 1, "flags": ["peeling"]})
    b = j.insert("skin", {"date": "2024-01-02", "redness": 3})
    j.update("skin", a, {"redness": 2, "note": "better"})
    with j.transaction() as tx:
        assert tx.get("skin", a) == {"id": a, "date": "2024-01-01", "redness": 2,
                                     "flags": ["peeling"], "note": "better"}
        assert [d["id"] for d in tx.find("skin", redness=3)] == [b]
        assert tx.find("skin", note=None) == []  # a missing field matches nothing
        assert [d["id"] for d in tx.all("skin")] == [a, b]
    j.delete("skin", b)
    assert [d["id"] for d in j.snapshot()["skin"]] == [a]
    with pytest.raises(RecordNotFound) as ei:
        j.delete("skin", b)
    assert (ei.value.table, ei.value.id) == ("skin", b)
    assert isinstance(ei.value, KeyError) and not isinstance(ei.value, StoreError)
    assert str(ei.value) == f"no skin record with id {b}"
    with pytest.raises(RecordNotFound):
        j.update("skin", "nope", {"x": 1})
    with pytest.raises(ValueError):
        j.update("skin", a, {"id": "other"})


def test_update_keeps_position(path):
    j = Journal(path)
    ids = [j.insert("t", {"n": n}) for n in range(3)]
    j.update("t", ids[0], {"n": 10})
    assert [d["n"] for d in j.snapshot()["t"]] == [10, 1, 2]


def test_single_document_tables(path):
    j = Journal(path)
    assert j.get_single("profile") is None
    pid = j.set_single("profile", {"pregnant": True, "onboarded": True})
    assert j.set_single("profile", {"pregnant": False}) == pid
    assert j.get_single("profile") == {"id": pid, "pregnant": False}
    assert len(j.snapshot()["profile"]) == 1


def test_meta_is_not_a_record_table(path):
    j = Journal(path)
    for bad in ("meta", ""):
        with pytest.raises(ValueError):
            j.insert(bad, {})


def test_docs_are_copied_in_and_must_be_json(path):
    j = Journal(path)
    doc = {"flags": ["a"], "when": "2024-01-01"}
    rid = j.insert("t", doc)
    doc["flags"].append("b")
    assert j.snapshot()["t"][0]["flags"] == ["a"]
    with pytest.raises(ValueError):
        j.insert("t", {"bad": object()})
    with pytest.raises(ValueError):
        j.insert("t", {"bad": float("nan")})
    with pytest.raises(ValueError):
        j.insert("t", ["not", "a", "dict"])
    assert [d["id"] for d in j.snapshot()["t"]] == [rid]


def test_earlier_snapshots_do_not_change_after_writes(path):
    j = Journal(path)
    rid = j.insert("t", {"n": 1})
    snap = j.snapshot()
    j.update("t", rid, {"n": 2})
    j.insert("t", {"n": 3})
    assert snap == {"t": [{"id": rid, "n": 1}]}
    assert [d["n"] for d in j.snapshot()["t"]] == [2, 3]


def test_transaction_writes_once(path, monkeypatch):
    j = Journal(path)
    j.insert("t", {})
    calls = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append(b), real(a, b)))
    with j.transaction() as tx:
        for n in range(5):
            tx.insert("t", {"n": n})
        tx.update("t", tx.all("t")[0]["id"], {"x": 1})
        tx.delete("t", tx.all("t")[1]["id"])
    assert len(calls) == 1
    assert len(j.snapshot()["t"]) == 5


def test_transaction_without_changes_writes_nothing(path):
    j = Journal(path)
    with j.transaction() as tx:
        assert tx.all("t") == []
    assert not path.exists()
    j.insert("t", {"n": 1})
    before = os.stat(path)
    rid = j.snapshot()["t"][0]["id"]
    j.update("t", rid, {"n": 1})  # no actual change
    assert os.stat(path).st_ino == before.st_ino


def test_exception_in_transaction_writes_nothing(path):
    j = Journal(path)
    keep = j.insert("t", {"n": 1})
    before = path.read_bytes()
    files = sorted(os.listdir(path.parent))
    with pytest.raises(ZeroDivisionError):
        with j.transaction() as tx:
            tx.insert("t", {"n": 2})
            tx.update("t", keep, {"n": 99})
            tx.delete("t", keep)
            raise ZeroDivisionError
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == files
    assert j.snapshot() == {"t": [{"id": keep, "n": 1}]}
    assert Journal(path).snapshot() == {"t": [{"id": keep, "n": 1}]}


def test_tx_is_unusable_after_the_block(path):
    j = Journal(path)
    with j.transaction() as tx:
        pass
    with pytest.raises(RuntimeError):
        tx.insert("t", {})


def test_nested_transaction_is_refused_not_deadlocked(path):
    j = Journal(path, lock_timeout=5)
    with j.transaction():
        with pytest.raises(RuntimeError):
            with j.transaction():
                pass
    j.insert("t", {})  # the outer lock was released


def test_snapshot_is_cached_until_the_file_changes(path, monkeypatch):
    j = Journal(path)
    j.insert("t", {"n": 1})
    other = Journal(path)
    reads = []
    real = reader.read_bytes
    monkeypatch.setattr(reader, "read_bytes", lambda p: (reads.append(p), real(p))[1])
    first = other.snapshot()
    assert other.snapshot() is first
    assert len(reads) == 1
    sig = other.signature()
    j.insert("t", {"n": 2})
    assert other.signature() != sig
    assert [d["n"] for d in other.snapshot()["t"]] == [1, 2]
    assert len(reads) == 2


def test_own_writes_need_no_reparse(path, monkeypatch):
    j = Journal(path)
    j.insert("t", {"n": 0})
    j.snapshot()
    monkeypatch.setattr(reader, "read", lambda p: pytest.fail("re-parsed its own write"))
    for n in range(1, 4):
        j.insert("t", {"n": n})
    assert [d["n"] for d in j.snapshot()["t"]] == [0, 1, 2, 3]


def test_transaction_rereads_a_change_made_by_another_writer(path):
    a, b = Journal(path), Journal(path)
    a.insert("t", {"by": "a"})
    b.snapshot()  # b caches the state with one record
    a.insert("t", {"by": "a2"})
    b.insert("t", {"by": "b"})  # must not drop a2
    assert [d["by"] for d in Journal(path).snapshot()["t"]] == ["a", "a2", "b"]


def test_stale_temp_files_of_crashed_writers_are_removed(path):
    j = Journal(path)
    j.insert("t", {})
    stale = path.with_name(atomic.temp_prefix(path) + "999-deadbeef")
    stale.write_bytes(b"{half")
    j.insert("t", {})
    assert not stale.exists()


def test_replace_all(path):
    j = Journal(path)
    j.insert("old", {"n": 1})
    j.replace_all({"a": [{"id": "x", "v": 1}, {"id": "y", "v": 2}], "empty": []})
    assert j.snapshot() == {"a": [{"id": "x", "v": 1}, {"id": "y", "v": 2}], "empty": []}
    assert on_disk(path)["meta"] == {"1": {"schema_version": CURRENT_SCHEMA}}
    with pytest.raises(ValueError):
        j.replace_all({"a": [{"id": "x"}, {"id": "x"}]})
    with pytest.raises(ValueError):
        j.replace_all({"a": [{"v": 1}]})
    with j.transaction() as tx:
        tx.insert("a", {"v": 3})
        assert tx.get("a", "y")["v"] == 2


def test_lock_timeout_from_environment(path, monkeypatch):
    monkeypatch.setenv("ACUPLAN_LOCK_TIMEOUT", "2.5")
    assert Journal(path).lock_timeout == 2.5
    monkeypatch.setenv("ACUPLAN_LOCK_TIMEOUT", "soon")
    assert Journal(path).lock_timeout == 10
    monkeypatch.delenv("ACUPLAN_LOCK_TIMEOUT")
    assert Journal(path).lock_timeout == 10
    assert Journal(path, lock_timeout=0.5).lock_timeout == 0.5
