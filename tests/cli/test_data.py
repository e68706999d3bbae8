"""export, import and restore through the command line."""

from __future__ import annotations

import csv
import io
import json
import stat

ODD = "Retinol [0.5%] 🧴 \"quoted\", comma"


def _fill(acu):
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "10", "--note", ODD)
    acu.ok("log", "product", "retinoid", "--date", "2026-11-21")
    acu.ok("checkin", "--date", "2026-11-22", "--redness", "1", "--flag", "peeling")
    acu.ok("plan", "2026-12-08")
    acu.ok("pause", "--from", "2026-12-20", "--to", "2026-12-24", "--reason", "travel")
    acu.ok("profile", "set", "--sensitive-skin", "yes", "--spacing", "8", "--cadence", "9")
    acu.ok("exclude", "cheek", "--reason", "mole")


def test_export_json_to_stdout_is_a_lossless_export(acu):
    _fill(acu)
    r = acu.ok("export")
    doc = json.loads(r.stdout)
    assert doc["acuplan_export"] == 1
    notes = [s["note"] for s in doc["tables"]["sessions"]]
    assert notes == [ODD]


def test_export_to_a_private_file(acu, tmp_path):
    _fill(acu)
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    before = acu.raw()
    r = acu.ok("export", "-o", str(target))
    assert r.stdout == ""
    assert str(target) in r.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["acuplan_export"] == 1
    assert acu.raw() == before


def test_export_csv(acu, tmp_path):
    _fill(acu)
    rows = list(csv.DictReader(io.StringIO(acu.ok("export", "--format", "csv").stdout)))
    sessions = [r for r in rows if r["type"] == "sessions"]
    assert sessions[0]["note"] == ODD and sessions[0]["date"] == "2026-11-20"
    target = tmp_path / "x.csv"
    acu.ok("export", "--format", "csv", "-o", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_refuses_to_overwrite_the_journal(acu):
    _fill(acu)
    before = acu.raw()
    acu.bad(acu("export", "-o", str(acu.path)), "journal")
    acu.bad(acu("export", "-o", str(acu.path) + ".prev-000001"), "journal")
    acu.bad(acu("export", "-o", str(acu.path.parent)), "directory")
    assert acu.raw() == before


def test_import_into_an_empty_journal_reproduces_it(acu, tmp_path):
    _fill(acu)
    exported = acu.ok("export").stdout
    history = acu.ok_json("history")
    f = tmp_path / "export.json"
    f.write_text(exported, encoding="utf-8")
    other = tmp_path / "other" / "journal.json"
    r = acu.ok("import", str(f), db=other)
    assert "imported" in r.stdout and str(other) in r.stdout
    assert acu.ok("export", db=other).stdout == exported
    assert acu.ok_json("history", db=other) == history
    assert acu.ok_json("profile", "show", db=other) == acu.ok_json("profile", "show")


def test_import_into_a_journal_with_records_is_refused(acu, tmp_path):
    _fill(acu)
    f = tmp_path / "export.json"
    f.write_text(acu.ok("export").stdout)
    before = acu.raw()
    r = acu("import", str(f))
    acu.bad(r, "already holds records", "empty journal")
    assert acu.raw() == before


def test_import_of_a_file_that_is_not_an_export(acu, tmp_path):
    for name, data in (("a.json", b"{}"), ("b.json", b"not json"), ("c.json", b"\xff\xfe\x00"),
                       ("d.json", b'{"acuplan_export": 1, "schema_version": 1, "tables": 3}')):
        f = tmp_path / name
        f.write_bytes(data)
        acu.bad(acu("import", str(f)))
        assert acu.raw() is None


def test_restore_lists_versions_newest_first_and_restores(acu):
    acu.ok("log", "product", "retinoid", "--date", "2026-11-01")
    acu.ok("log", "product", "scrub", "--date", "2026-11-02")
    acu.ok("log", "product", "home-peel", "--date", "2026-11-03")
    good = acu.raw()
    acu.path.write_bytes(b"garbage!")
    assert acu("status").exit_code == 4

    r = acu.ok("restore")
    assert "unreadable" in r.stdout.splitlines()[0]
    listing = acu.ok_json("restore")
    assert listing["journal_readable"] is False
    versions = listing["versions"]
    assert versions and all(v["readable"] for v in versions)
    newest = versions[0]
    assert newest["counts"].get("products") == 2
    mtimes = [v["modified"] for v in versions]
    assert mtimes == sorted(mtimes, reverse=True)
    for v in versions:
        assert v["label"] in r.stdout

    r = acu.ok("restore", newest["label"])
    assert "moved to" in r.stdout
    aside = r.stdout.strip().split("moved to ")[1].split(" (not deleted)")[0]
    with open(aside, "rb") as fh:
        assert fh.read() == b"garbage!"
    assert acu("status").exit_code == 0
    kinds = [x["kind"] for x in acu.ok_json("history")]
    assert kinds == ["retinoid", "scrub"]
    assert good != acu.raw()


def test_restore_lists_unreadable_versions_too(acu):
    acu.ok("log", "product", "retinoid", "--date", "2026-11-01")
    acu.ok("log", "product", "scrub", "--date", "2026-11-02")
    listing = acu.ok_json("restore")["versions"]
    bad = listing[0]
    with open(bad["path"], "wb") as fh:
        fh.write(b"broken")
    r = acu.ok("restore")
    assert "UNREADABLE" in r.stdout
    listing = acu.ok_json("restore")["versions"]
    assert any(not v["readable"] and v["error"] for v in listing)
    before = acu.raw()
    r = acu("restore", bad["label"])
    assert r.exit_code == 4 and acu.raw() == before


def test_restore_with_no_versions(acu):
    r = acu.ok("restore")
    assert "does not exist" in r.stdout and "no kept versions" in r.stdout


def _own_routine(acu) -> str:
    acu.ok("routines", "build", "--concern", "stress", "--technique", "acupressure",
           "--minutes", "8", "--name", "My calm [evening]", "--save")
    return "my-calm-evening"


def test_the_users_own_routines_travel_with_the_export(acu, tmp_path):
    """User routines live beside the journal: an export without them lost them."""
    _fill(acu)
    rid = _own_routine(acu)
    exported = acu.ok("export").stdout
    own = json.loads(exported)["routines"]
    assert [r["id"] for r in own] == [rid]
    assert own[0]["toml"] == (acu.path.parent / "routines" / f"{rid}.toml").read_text()
    f = tmp_path / "export.json"
    f.write_text(exported, encoding="utf-8")
    other = tmp_path / "other" / "journal.json"
    r = acu.ok("import", str(f), db=other)
    assert "and 1 routine of your own" in r.stdout
    assert (other.parent / "routines" / f"{rid}.toml").read_text() == own[0]["toml"]
    assert acu.ok("routines", "show", rid, db=other).stdout == acu.ok("routines", "show",
                                                                      rid).stdout
    assert acu.ok("export", db=other).stdout == exported  # a round trip, byte for byte


def test_an_export_without_own_routines_has_no_routines_key(acu):
    _fill(acu)
    assert "routines" not in json.loads(acu.ok("export").stdout)


def _export_with(acu, tmp_path, routines) -> str:
    doc = json.loads(acu.ok("export").stdout)
    doc["routines"] = routines
    f = tmp_path / "export.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    return str(f)


def test_an_imported_routine_is_checked_like_a_routine_file(acu, tmp_path):
    _fill(acu)
    rid = _own_routine(acu)
    good = (acu.path.parent / "routines" / f"{rid}.toml").read_text()
    needle = good.replace('name = "My calm [evening]"', 'name = "Calm with press n\u00adeedles"')
    assert needle != good
    other = tmp_path / "other" / "journal.json"
    for routines, words in (
            ([{"id": rid, "toml": needle}], ("needle",)),
            ([{"id": "not-it", "toml": good}], ("not-it", rid)),
            ([{"id": rid, "toml": "id = ["}], ("TOML",)),
            ([{"id": rid}], ("id, toml",)),
            ([{"id": rid, "toml": good}, {"id": rid, "toml": good}], ("twice",))):
        r = acu("import", _export_with(acu, tmp_path, routines), db=other)
        assert r.exit_code == 2, (routines, r.stderr)
        assert all(w in r.stderr for w in words), r.stderr
        assert not other.exists() and not (other.parent / "routines").exists()


def test_an_imported_routine_never_replaces_a_different_file(acu, tmp_path):
    _fill(acu)
    rid = _own_routine(acu)
    f = tmp_path / "export.json"
    f.write_text(acu.ok("export").stdout, encoding="utf-8")
    other = tmp_path / "other" / "journal.json"
    mine = other.parent / "routines" / f"{rid}.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text("# someone else's file\n")
    r = acu("import", str(f), db=other)
    assert r.exit_code == 2 and "move it away first" in r.stderr
    assert mine.read_text() == "# someone else's file\n" and not other.exists()


def test_a_refused_import_leaves_no_routine_file_behind(acu, tmp_path):
    _fill(acu)
    rid = _own_routine(acu)
    f = tmp_path / "export.json"
    f.write_text(acu.ok("export").stdout, encoding="utf-8")
    other = tmp_path / "other" / "journal.json"
    acu.ok("log", "product", "scrub", db=other)  # not empty: the journal refuses
    before = other.read_bytes()
    acu.bad(acu("import", str(f), db=other), "already holds records")
    assert other.read_bytes() == before
    assert not (other.parent / "routines" / f"{rid}.toml").exists()


def test_an_import_after_the_first_run_keeps_the_cautions_already_given(acu, tmp_path):
    """The app's first run writes the profile before a user can reach the import, so a
    journal holding only a profile and settings takes an import; what it said stays if
    it was more careful (a caution, an excluded zone, a stricter rule)."""
    _fill(acu)  # sensitive skin, spacing 8, cadence 9, cheek excluded
    f = tmp_path / "export.json"
    f.write_text(acu.ok("export").stdout, encoding="utf-8")
    other = tmp_path / "other" / "journal.json"
    acu.ok("profile", "set", "--pregnant", "yes", "--spacing", "10", "--cadence", "10",
           db=other)
    acu.ok("exclude", "jaw", "--reason", "mole", db=other)
    acu.ok("import", str(f), db=other)
    shown = acu.ok_json("profile", "show", db=other)
    assert shown["profile"]["pregnant"] and shown["profile"]["sensitive_skin"]
    assert {e["zone"] for e in shown["profile"]["exclusions"]} == {"cheek", "jaw"}
    assert shown["settings"]["spacing_days"] == 10 and shown["settings"]["cadence_days"] == 10
    assert acu.ok_json("history", db=other) == acu.ok_json("history")


def test_an_import_onto_a_journal_with_records_is_still_refused(acu, tmp_path):
    _fill(acu)
    f = tmp_path / "export.json"
    f.write_text(acu.ok("export").stdout, encoding="utf-8")
    other = tmp_path / "other" / "journal.json"
    acu.ok("profile", "set", "--pregnant", "yes", db=other)
    acu.ok("log", "product", "scrub", db=other)
    before = other.read_bytes()
    acu.bad(acu("import", str(f), db=other), "already holds records")
    assert other.read_bytes() == before
