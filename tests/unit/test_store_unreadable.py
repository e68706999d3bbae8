"""Files that cannot be read are reported (exit 4) and never touched."""

from __future__ import annotations

import json
import os

import pytest

from planner.store import Journal, JournalUnreadable, NewerSchema, StoreError
from planner.store.exchange import import_json
from planner.store.migrations import CURRENT_SCHEMA

GOOD = json.dumps({"checkins": {"1": {"id": "a1", "date": "2024-01-01"}},
                   "meta": {"1": {"schema_version": 1}}}).encode()

BAD = {
    "empty": b"",
    "blank": b"  \n",
    "truncated": GOOD[: len(GOOD) // 2],
    "garbage": b"\x00\x01PK\x03\x04 not json at all",
    "invalid-utf8": b'{"t": {"1": {"id": "\xff\xfe"}}, "meta": {"1": {"schema_version": 1}}}',
    "top-level-list": b"[1, 2, 3]",
    "top-level-string": b'"journal"',
    "table-not-object": b'{"t": [1], "meta": {"1": {"schema_version": 1}}}',
    "doc-not-object": b'{"t": {"1": 5}, "meta": {"1": {"schema_version": 1}}}',
    "doc-without-id": b'{"t": {"1": {"x": 1}}, "meta": {"1": {"schema_version": 1}}}',
    "doc-id-not-string": b'{"t": {"1": {"id": 3}}, "meta": {"1": {"schema_version": 1}}}',
    "duplicate-id": b'{"t": {"1": {"id": "a"}, "2": {"id": "a"}}, '
                    b'"meta": {"1": {"schema_version": 1}}}',
    "bad-doc-key": b'{"t": {"x": {"id": "a"}}, "meta": {"1": {"schema_version": 1}}}',
    "meta-not-object": b'{"t": {}, "meta": [1]}',
    "meta-empty": b'{"t": {}, "meta": {}}',
    "meta-no-version": b'{"t": {}, "meta": {"1": {"v": 1}}}',
    "meta-version-string": b'{"t": {}, "meta": {"1": {"schema_version": "1"}}}',
    "nan": b'{"t": {"1": {"id": "a", "x": NaN}}, "meta": {"1": {"schema_version": 1}}}',
}
NEWER = (b'{"t": {"1": {"whatever": true}}, "meta": {"1": {"schema_version": %d}}}'
         % (CURRENT_SCHEMA + 1))


def state(d) -> dict[str, bytes]:
    """Every file of the directory and its bytes (the lock file may appear)."""
    return {n: (d / n).read_bytes() for n in sorted(os.listdir(d)) if not n.endswith(".lock")}


def every_operation(j: Journal):
    yield "snapshot", j.snapshot
    yield "get_single", lambda: j.get_single("profile")
    yield "insert", lambda: j.insert("checkins", {"date": "2024-01-02"})
    yield "update", lambda: j.update("checkins", "a1", {"x": 1})
    yield "set_single", lambda: j.set_single("profile", {})
    yield "replace_all", lambda: j.replace_all({})
    yield "migrate", j.migrate

    def tx():
        with j.transaction() as t:
            t.insert("checkins", {})
    yield "transaction", tx


@pytest.mark.parametrize("kind", sorted(BAD))
def test_unreadable_file_raises_and_stays_byte_identical(tmp_path, kind):
    path = tmp_path / "journal.json"
    path.write_bytes(BAD[kind])
    before = state(tmp_path)
    j = Journal(path, lock_timeout=1)
    for name, op in every_operation(j):
        with pytest.raises(JournalUnreadable) as ei:
            op()
        err = ei.value
        assert not isinstance(err, NewerSchema), name
        assert err.exit_code == 4 and isinstance(err, StoreError)
        assert err.path == path and err.reason
        assert f"acuplan --db {path} restore" in str(err)
        assert "\n" not in str(err)
        assert err.newest_version is None and "no readable" in str(err)
        assert state(tmp_path) == before, name  # nothing overwritten, renamed or created
    assert state(tmp_path) == before


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "journal.json"
    path.write_bytes(NEWER)
    before = state(tmp_path)
    j = Journal(path)
    for _name, op in every_operation(j):
        with pytest.raises(NewerSchema) as ei:
            op()
        assert ei.value.found == CURRENT_SCHEMA + 1 and ei.value.supported == CURRENT_SCHEMA
        assert "upgrade" in str(ei.value) and str(path) in str(ei.value)
    assert state(tmp_path) == before


def test_message_names_the_newest_readable_version(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    for n in range(3):
        j.insert("t", {"n": n})
    path.write_bytes(b"{garbage")
    with pytest.raises(JournalUnreadable) as ei:
        Journal(path).snapshot()
    newest = path.with_name("journal.json.prev-000002")
    assert ei.value.newest_version == newest
    assert str(newest) in str(ei.value)
    assert "not valid JSON" in ei.value.reason


def test_newest_readable_skips_unreadable_versions(tmp_path):
    path = tmp_path / "journal.json"
    j = Journal(path)
    for n in range(3):
        j.insert("t", {"n": n})
    newest = path.with_name("journal.json.prev-000002")
    os.unlink(newest)
    newest.write_bytes(b"")  # a damaged version
    os.utime(newest, (2e9, 2e9))
    path.write_bytes(b"")
    with pytest.raises(JournalUnreadable) as ei:
        Journal(path).snapshot()
    assert ei.value.newest_version == path.with_name("journal.json.prev-000001")


def test_import_into_unreadable_journal_is_refused_untouched(tmp_path):
    path = tmp_path / "journal.json"
    path.write_bytes(b"[]")
    before = state(tmp_path)
    text = json.dumps({"acuplan_export": 1, "schema_version": 1, "tables": {}})
    with pytest.raises(JournalUnreadable):
        import_json(Journal(path), text)
    assert state(tmp_path) == before


def test_unreadable_then_repaired_file_is_read_again(tmp_path):
    path = tmp_path / "journal.json"
    path.write_bytes(b"{")
    j = Journal(path)
    with pytest.raises(JournalUnreadable):
        j.snapshot()
    path.write_bytes(GOOD)
    assert j.snapshot() == {"checkins": [{"id": "a1", "date": "2024-01-01"}]}


def test_directory_in_place_of_the_file(tmp_path):
    path = tmp_path / "journal.json"
    path.mkdir()
    with pytest.raises(JournalUnreadable):
        Journal(path).snapshot()
    with pytest.raises(StoreError):
        Journal(path).insert("t", {})
    assert path.is_dir() and list(path.iterdir()) == []
