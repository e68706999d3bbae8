"""`acuplan merge OTHER.json`: another copy of the journal folded in by record id."""

from __future__ import annotations

import json
import shutil


def _two_machines(acu, tmp_path):
    """This journal with a session and a plan; a laptop copy that then logs a session 5
    days before the plan and edits the first session, while this one edits it too."""
    acu.ok("log", "session", "--date", "2026-11-10", "--minutes", "8")
    acu.ok("plan", "2026-12-04")
    laptop = tmp_path / "laptop.json"
    shutil.copyfile(acu.path, laptop)
    acu.ok("log", "session", "--date", "2026-11-29", "--minutes", "6", db=laptop)
    return laptop


def test_merge_adds_the_other_copys_records_and_reports_a_blocked_plan(acu, tmp_path):
    laptop = _two_machines(acu, tmp_path)
    other = laptop.read_bytes()
    r = acu.ok("merge", str(laptop))
    assert r.stdout.splitlines()[0] == f"merged {laptop} into {acu.path}: 1 record added"
    assert "plans now blocked" in r.stdout and "2026-12-04 plan" in r.stdout
    assert "spacing:" in r.stdout
    assert laptop.read_bytes() == other  # the other copy is only read
    dates = [s["date"] for s in acu.ok_json("history") if s["type"] == "session"]
    assert sorted(dates) == ["2026-11-10", "2026-11-29"]
    before = acu.raw()
    again = acu.ok("merge", str(laptop))
    assert again.stdout.startswith("nothing to merge") and acu.raw() == before


def test_merge_dry_run_writes_nothing_and_says_so(acu, tmp_path):
    laptop = _two_machines(acu, tmp_path)
    before = acu.raw()
    r = acu.ok("merge", str(laptop), "--dry-run")
    assert r.stdout.startswith("would merge") and "nothing written" in r.stdout
    assert acu.raw() == before


def test_merge_takes_a_deletion_made_on_the_other_copy(acu, tmp_path):
    acu.ok("pause", "--from", "2026-12-10", "--to", "2026-12-12", "--reason", "travel",
           "--note", "first")
    laptop = tmp_path / "laptop.json"
    shutil.copyfile(acu.path, laptop)
    pid = json.loads(laptop.read_text())["pauses"]["1"]["id"]
    # ended on the laptop, unchanged here
    acu.ok("unpause", pid, db=laptop)
    data = acu.ok_json("merge", str(laptop))
    assert data["written"] is True and data["deleted"] == [{"table": "pauses", "id": pid}]
    assert data["conflicts"] == [] and not json.loads(acu.path.read_text()).get("pauses")


def test_merge_json_names_the_conflict_and_what_was_kept(acu, tmp_path):
    laptop = _two_machines(acu, tmp_path)
    sid = next(s["id"] for s in json.loads(acu.path.read_text())["sessions"].values())
    from datetime import date

    from planner.service.planner import Planner
    from planner.store.journal import Journal

    Planner(Journal(acu.path), date(2026, 12, 1)).edit_session(sid, minutes=9)
    Planner(Journal(laptop), date(2026, 12, 1)).edit_session(sid, minutes=7)  # later
    data = acu.ok_json("merge", str(laptop))
    (c,) = data["conflicts"]
    assert (c["table"], c["id"], c["kept"]) == ("sessions", sid, "the other copy")
    minutes = {s["id"]: s["minutes"] for s in json.loads(acu.path.read_text())["sessions"]
               .values()}
    assert minutes[sid] == 7
    text = acu.ok("merge", str(laptop), "--dry-run").stdout
    assert text.startswith("nothing to merge")


def test_merge_refuses_bad_files_in_one_line_and_writes_nothing(acu, tmp_path):
    acu.ok("log", "session", "--date", "2026-11-10", "--minutes", "8")
    before = acu.raw()
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{ not json")
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"meta": {"1": {"schema_version": 99}}}))
    for path, code, words in ((garbage, 4, "not valid JSON"), (newer, 4, "upgrade acuplan"),
                              (tmp_path / "missing.json", 2, "cannot read"),
                              (tmp_path, 2, "cannot be merged"), (acu.path, 2, "itself")):
        r = acu("merge", str(path))
        assert r.exit_code == code, (path, r.stderr)
        acu.no_traceback(r)
        assert len(r.err_lines) == 1 and words in r.err_lines[0], r.stderr
        assert acu.raw() == before


def test_an_export_refused_by_import_can_be_merged_in(acu, tmp_path):
    """An export has no version stamps: its records count as written before them, so a
    record both hold the same is one record, and one only the export holds is added."""
    acu.ok("log", "session", "--date", "2026-11-10", "--minutes", "8")
    export = tmp_path / "export.json"
    export.write_text(acu.ok("export").stdout)
    laptop = tmp_path / "laptop.json"
    acu.ok("import", str(export), db=laptop)
    acu.ok("log", "product", "retinoid", "--date", "2026-11-20", db=laptop)
    export.write_text(acu.ok("export", db=laptop).stdout)
    refused = acu("import", str(export))
    acu.bad(refused, "already holds records", "acuplan merge")
    data = acu.ok_json("merge", str(export))
    assert [a["table"] for a in data["added"]] == ["products"] and data["conflicts"] == []
    assert acu.ok("merge", str(export)).stdout.startswith("nothing to merge")
    bad = tmp_path / "bad-export.json"
    bad.write_text('{"acuplan_export": 1, "schema_version": 1, "tables": 3}')
    before = acu.raw()
    r = acu("merge", str(bad))
    assert r.exit_code == 4 and "bad-export.json" in r.stderr and acu.raw() == before
