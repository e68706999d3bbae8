"""Exit 4: an unusable journal is named, left byte-identical, and never replaced."""

from __future__ import annotations

import fcntl
import json
import os

import pytest

GARBAGE = {
    "garbage": b"\x00\xffnot json at all",
    "empty": b"",
    "truncated": b'{"meta": {"1": {"schema_version": 1}}, "sessions": {"1": {"id": "a", "da',
    "wrong-shape": b"[1, 2, 3]",
    "wrong-table": b'{"meta": {"1": {"schema_version": 1}}, "sessions": 5}',
    "newer-schema": json.dumps({"meta": {"1": {"schema_version": 99}}}).encode(),
}

COMMANDS = [
    ["status"],
    ["status", "--json"],
    ["check", "2026-12-03"],
    ["next", "--json"],
    ["plans"],
    ["plan", "2026-12-05"],
    ["unplan", "abc"],
    ["log", "session", "--minutes", "10"],
    ["log", "product", "retinoid"],
    ["log", "procedure", "laser"],
    ["log", "injectable", "filler"],
    ["log", "reaction", "--redness", "1"],
    ["checkin", "--flag", "pus"],
    ["resolve", "--all"],
    ["pause", "--from", "2026-12-01", "--to", "2026-12-02", "--reason", "travel"],
    ["unpause", "abc"],
    ["streak", "--json"],
    ["history"],
    ["profile", "show"],
    ["profile", "set", "--pregnant", "yes"],
    ["exclude", "cheek", "--reason", "mole"],
    ["include", "cheek"],
    ["routines", "build", "--minutes", "10"],
    ["export"],
    ["export", "--format", "csv"],
]


@pytest.mark.parametrize("kind", sorted(GARBAGE))
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_unusable_journal_exits_4_and_is_untouched(acu, kind, args):
    acu.path.parent.mkdir(parents=True)
    acu.path.write_bytes(GARBAGE[kind])
    r = acu(*args)
    assert r.exit_code == 4, (r.exit_code, r.stdout, r.stderr)
    acu.no_traceback(r)
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: ")
    assert str(acu.path) in r.stderr
    assert acu.path.read_bytes() == GARBAGE[kind]
    leftovers = {p.name for p in acu.path.parent.iterdir()} - {acu.path.name,
                                                               acu.path.name + ".lock"}
    assert leftovers == set()


def test_the_message_names_the_newest_readable_version(acu):
    acu.ok("log", "product", "retinoid", "--date", "2026-11-01")
    acu.ok("log", "product", "scrub", "--date", "2026-11-02")
    acu.path.write_bytes(b"garbage")
    r = acu("status")
    assert r.exit_code == 4
    assert "newest readable version is" in r.stderr
    assert f"acuplan --db {acu.path} restore" in r.stderr


def test_newer_schema_says_upgrade(acu):
    acu.path.parent.mkdir(parents=True)
    acu.path.write_bytes(GARBAGE["newer-schema"])
    r = acu("status")
    assert r.exit_code == 4 and "schema version 99" in r.stderr and "upgrade" in r.stderr


def test_a_lock_held_too_long_is_busy_exit_4(acu, monkeypatch):
    acu.ok("log", "product", "retinoid", "--date", "2026-11-01")
    before = acu.raw()
    monkeypatch.setenv("ACUPLAN_LOCK_TIMEOUT", "0.2")
    fd = os.open(str(acu.path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        r = acu("log", "product", "scrub")
        assert r.exit_code == 4
        assert "busy" in r.stderr and str(acu.path) in r.stderr
        assert len(r.err_lines) == 1
        # reading does not need the lock
        assert acu("status").exit_code == 0
    finally:
        os.close(fd)
    assert acu.raw() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_read_only_directory_is_exit_4(acu):
    acu.ok("log", "product", "retinoid", "--date", "2026-11-01")
    before = acu.raw()
    os.chmod(acu.path.parent, 0o500)
    try:
        r = acu("log", "product", "scrub")
        assert r.exit_code == 4 and str(acu.path) in r.stderr
    finally:
        os.chmod(acu.path.parent, 0o700)
    assert acu.raw() == before


def test_a_directory_as_journal_is_exit_4(acu):
    acu.path.mkdir(parents=True)
    r = acu("status")
    assert r.exit_code == 4 and str(acu.path) in r.stderr
    acu.no_traceback(r)


def test_the_restore_advice_names_the_journal_and_restore_does_not_repeat_it(acu):
    """Found by the first-week walk: with --db the advice `acuplan restore` would have
    looked at the default journal, and `restore` itself printed that same advice."""
    acu.path.parent.mkdir(parents=True)
    acu.path.write_bytes(GARBAGE["garbage"])
    r = acu("status")
    assert r.exit_code == 4 and f"run `acuplan --db {acu.path} restore`" in r.stderr
    listing = acu.ok("restore").stdout
    assert f"journal {acu.path}: unreadable: " in listing
    assert "run `" not in listing  # this is the command the advice points to
