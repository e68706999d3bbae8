"""Issue 9 from the command line: text from a file or a user never drives the terminal
(SPEC §7 output hygiene), CSV cells are inert, inputs are bounded, --db "" is refused."""

from __future__ import annotations

import json
import os
import unicodedata

import pytest

OSC52 = "\x1b]52;c;aGVsbG8=\x07"
HOSTILE = f"note {OSC52} \x9b31m \u202egnp.exe \x7f end"

# SPEC §7: control characters (C0 but newline and tab, DEL, C1: Unicode's Cc) and the bidi
# controls (Unicode's Bidi_Control property) must never reach the terminal raw.
BIDI_CONTROLS = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)),
                 *map(chr, range(0x2066, 0x206A))}


def _raw_in(text: str) -> bool:
    return any((unicodedata.category(c) == "Cc" and c not in "\n\t") or c in BIDI_CONTROLS
               for c in text)


def _hostile_journal(acu) -> None:
    """What a journal edited by someone else can hold: hostile text where only files put it
    (kinds, reasons, notes, routine ids). Loads fine: these fields are not rule inputs."""
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "8", "--note", HOSTILE)
    acu.ok("log", "product", "retinoid", "--date", "2026-11-29", "--note", HOSTILE)
    acu.ok("pause", "--from", "2026-12-10", "--to", "2026-12-12", "--reason", "travel")
    acu.ok("plan", "2026-12-20", "--minutes", "5")
    acu.ok("log", "product", "scrub", "--date", "2026-11-28", "--product", HOSTILE)
    raw = json.loads(acu.path.read_text())
    for table, field in (("products", "kind"), ("pauses", "reason"), ("plans", "routine"),
                         ("sessions", "routine")):
        for doc in raw[table].values():
            doc[field] = f"x{OSC52}y"
    acu.path.write_text(json.dumps(raw))


@pytest.mark.parametrize("command", [
    ("status",), ("check", "2026-12-01"), ("check", "2026-12-11"), ("next",), ("plans",),
    ("plans", "--all"), ("history",), ("export", "--format", "csv"), ("export",),
    ("unplan", f"no{OSC52}pe"), ("unpause", f"no{OSC52}pe"), ("resolve", f"no{OSC52}pe"),
    ("resolve", "--all"), ("history", "--json"), ("status", "--json"), ("streak",),
    ("log", "session", "--minutes", "5", "--routine", f"r{OSC52}"),
    ("checkin", "--note", HOSTILE),
    # added with issues 11-13: named products, insights, the skin check, plan --next
    ("log", "product", "scrub", "--product", HOSTILE, "--keep"), ("products", "list"),
    ("products", "add", f"P{OSC52}", "--kind", "scrub"), ("products", "remove", HOSTILE),
    ("insights",), ("insights", "--json"), ("plan", "--next", "--routine", f"r{OSC52}"),
    ("check", "2026-12-01", "--routine", f"r{OSC52}", "--skip-zone", f"z{OSC52}"),
])
def test_no_raw_control_character_reaches_the_terminal(acu, command):
    _hostile_journal(acu)
    r = acu(*command)
    assert not _raw_in(r.stdout) and not _raw_in(r.stderr), (command, r.stdout, r.stderr)
    acu.no_traceback(r)


def test_json_output_stays_valid_and_keeps_the_text(acu):
    acu.ok("checkin", "--note", HOSTILE)
    r = acu.ok("history", "--json")
    assert not _raw_in(r.stdout) and r.json()[0]["note"] == HOSTILE


def test_csv_cells_that_look_like_formulas_are_made_inert(acu):
    for note in ("=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tx", "\rx", "fine"):
        acu.ok("log", "product", "scrub", "--date", "2026-11-2" + str(len(note) % 9),
               "--note", note)
    text = acu.ok("export", "--format", "csv").stdout
    for bad in ("=HYPERLINK", "+1+1", "-2", "@SUM"):
        assert f",'{bad}" in text or f",\"'{bad}" in text, bad
    assert ",fine" in text
    # the JSON export keeps them exactly (it is the lossless one)
    notes = {d["note"] for d in json.loads(acu.ok("export").stdout)["tables"]["products"]}
    assert "=HYPERLINK(\"http://x\")" in notes and "-2" in notes


def test_csv_lists_the_rules_a_session_broke_as_derived_now(acu):
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "8")
    acu.ok("log", "product", "retinoid", "--date", "2026-11-18")
    text = acu.ok("export", "--format", "csv").stdout
    session_row = next(line for line in text.splitlines() if line.startswith("sessions,"))
    assert "product-blackout" in session_row


@pytest.mark.parametrize("make", ["fifo", "dir", "dev", "big"])
def test_import_refuses_what_is_not_a_plain_file_of_export_size(acu, tmp_path, make):
    path = tmp_path / "in"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "dir":
        path.mkdir()
    elif make == "dev":
        path = "/dev/zero"
    else:
        with open(path, "wb") as f:
            f.truncate(64 * 1024 * 1024 + 1)  # sparse: no real disk used
    r = acu("import", str(path))
    acu.bad(r, "cannot be imported")
    assert acu.raw() is None


@pytest.mark.parametrize("args", [("--db", ""), ("--db", "  ")])
def test_an_empty_db_is_bad_input(acu, args):
    from planner.cli.main import main

    r = acu.runner.invoke(main, [*args, "--today", "2026-12-01", "status"])
    assert r.exit_code == 2 and "--db is empty" in r.stderr
    r = acu.runner.invoke(main, [*args, "--today", "2026-12-01", "checkin"])
    assert r.exit_code == 2
    home_journal = os.path.join(os.environ["XDG_DATA_HOME"], "acuplan", "journal.json")
    assert not os.path.exists(home_journal)


def test_an_empty_acuplan_db_is_bad_input(acu, monkeypatch):
    from planner.cli.main import main

    monkeypatch.setenv("ACUPLAN_DB", "")
    r = acu.runner.invoke(main, ["--today", "2026-12-01", "checkin"])
    assert r.exit_code == 2 and "ACUPLAN_DB is empty" in r.stderr
