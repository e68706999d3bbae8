"""Issue 8 from the command line: every way into the journal meets the rules (SPEC §2,
§3, §3.1, §3.2, §6). Each refusal is checked for its exit code, its words and a
byte-identical journal."""

from __future__ import annotations

import json

import pytest

from planner.domain.classify import EMERGENCY_TEXT


def _export(acu) -> dict:
    return json.loads(acu.ok("export").stdout)


# ------------------------------------------------------------------ holds

def test_a_second_check_in_cannot_lower_an_open_hold(acu):
    rid = acu.ok_json("checkin", "--date", "2026-11-30", "--redness", "3")["id"]
    before = acu.raw()
    r = acu("checkin", "--date", "2026-11-30", "--redness", "0")
    assert r.exit_code == 3, (r.stdout, r.stderr)
    assert f"acuplan resolve {rid}" in r.stderr and "reaction-hold" in r.stderr
    assert acu.raw() == before
    acu.ok("resolve", rid, "--date", "2026-12-01")
    out = acu.ok_json("checkin", "--date", "2026-11-30", "--redness", "0")
    assert out["id"] == rid and out["updated"] is True and out["class"] == "none"
    checkins = [x for x in acu.ok_json("history") if x["type"] == "checkin"]
    assert len(checkins) == 1 and checkins[0]["resolved_on"] == "2026-12-01"


def test_a_red_flag_check_in_cannot_be_replaced_by_a_calm_one(acu):
    rid = acu.ok_json("checkin", "--flag", "pus")["id"]
    before = acu.raw()
    r = acu("checkin", "--itch", "1")
    assert r.exit_code == 3 and "--cleared-by-clinician" in r.stderr
    assert acu.raw() == before
    r = acu("resolve", "--all")  # a warning sign needs the clinician's clearance
    assert r.exit_code == 3 and rid in r.stderr and acu.raw() == before


def test_resolution_date_is_on_or_after_the_record(acu):
    rid = acu.ok_json("checkin", "--date", "2026-11-28", "--swelling", "3")["id"]
    before = acu.raw()
    acu.bad(acu("resolve", rid, "--date", "2026-11-27"), "after 2026-11-27")
    assert acu.raw() == before


def test_one_check_in_per_date_says_updated(acu):
    first = acu.ok_json("checkin", "--date", "2026-11-29", "--redness", "1")
    r = acu.ok("checkin", "--date", "2026-11-29", "--itch", "2", "--note", "evening")
    assert "updated the check-in of 2026-11-29" in r.stdout and first["id"] in r.stdout
    days = [x["date"] for x in acu.ok_json("history") if x["type"] == "checkin"]
    assert days == ["2026-11-29"]


def test_faint_is_a_red_flag_with_emergency_advice(acu):
    out = acu.ok_json("checkin", "--flag", "faint")
    assert out["class"] == "red-flag" and out["advice"][0] == EMERGENCY_TEXT
    r = acu("check", "2026-12-20", "--json")
    assert r.exit_code == 3 and "medical-hold" in {x["rule"] for x in r.json()["reasons"]}


# ------------------------------------------------------------------ derived violations

def test_a_product_logged_later_but_dated_earlier_marks_the_session(acu):
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "8")
    s = acu.ok_json("log", "session", "--date", "2026-11-27", "--minutes", "8")
    assert s["violations"] == []
    assert acu.ok_json("streak")["sessions"]["current"] == 2
    r = acu.ok("log", "product", "retinoid", "--date", "2026-11-25")
    assert f"session {s['id']} on 2026-11-27 now breaks a safety rule" in r.stdout
    assert "product-blackout" in r.stdout
    assert acu.ok_json("streak")["sessions"]["current"] == 0
    hist = {x["id"]: x for x in acu.ok_json("history")}
    assert [v["rule"] for v in hist[s["id"]]["violations"]] == ["product-blackout"]


def test_logged_first_or_last_the_same_history_gives_the_same_answers(acu, tmp_path):
    steps = [("log", "session", "--date", "2026-11-20", "--minutes", "8"),
             ("log", "product", "retinoid", "--date", "2026-11-25"),
             ("log", "session", "--date", "2026-11-27", "--minutes", "8")]
    other = tmp_path / "other.json"
    for step in steps:
        acu.ok(*step)
    for step in reversed(steps):
        acu.ok(*step, db=other)
    for cmd in (("streak", "--json"), ("status", "--json"), ("check", "2026-12-08", "--json")):
        assert acu(*cmd).stdout == acu(*cmd, db=other).stdout, cmd
    rules = lambda db: [[v["rule"] for v in x["violations"]]  # noqa: E731
                        for x in json.loads(acu("history", "--json", db=db).stdout)
                        if x["type"] == "session"]
    assert rules(acu.path) == rules(other) == [[], ["product-blackout"]]


# ------------------------------------------------------------------ outcomes and plans

def test_a_partial_session_counts_for_spacing_but_is_not_clean(acu):
    for d in ("2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10"):
        out = acu.ok_json("log", "session", "--date", d, "--minutes", "6", "--partial")
        assert out["outcome"] == "partial" and out["violations"] == []
    r = acu("check", "2026-11-12", "--json")
    assert r.exit_code == 3 and r.json()["reasons"][0]["rule"] == "spacing"
    assert acu.ok_json("check", "2026-11-17")["max_minutes"] == 10  # no ramp from partials
    assert acu.ok_json("streak", today="2026-11-12")["sessions"]["current"] == 4
    r = acu("log", "session", "--minutes", "5", "--partial", "--aborted")
    acu.bad(r, "one outcome")


def test_outcome_option_and_history_show_it(acu):
    acu.ok("log", "session", "--date", "2026-11-01", "--minutes", "5", "--outcome", "aborted")
    text = acu.ok("history").stdout
    assert "aborted" in text
    acu.bad(acu("log", "session", "--minutes", "5", "--outcome", "done"), "completed")


def test_a_missed_plan_no_longer_counts_and_is_listed_with_all(acu):
    pid = acu.ok_json("plan", "2026-11-25", "--minutes", "5", today="2026-11-20")["id"]
    assert acu.ok_json("plans") == []
    listed = acu.ok_json("plans", "--all")
    assert [(p["id"], p["status"], p["confirmed_missed"]) for p in listed] == [
        (pid, "missed", False)]
    assert acu.ok_json("check", "2026-12-01")["allowed"]  # 6 days after it: not a session
    assert "missed" in acu.ok("plans", "--all").stdout


# ------------------------------------------------------------------ dates

@pytest.mark.parametrize("bad", ["2026-W49-2", "20261201", "2026-335", "1899-12-31",
                                 "2200-01-01", "2026-12-1", "٢٠٢٦-١٢-٠١"])
def test_dates_are_exactly_yyyy_mm_dd_from_1900_to_2199(acu, bad):
    acu.bad(acu("check", bad), "YYYY-MM-DD" if not bad.startswith(("18", "22")) else "1900")
    r = acu("log", "session", "--minutes", "5", "--date", bad)
    assert r.exit_code == 2 and acu.raw() is None


def test_today_from_the_environment_is_checked_too(acu, monkeypatch):
    monkeypatch.setenv("ACUPLAN_TODAY", "2026-W49-2")
    r = acu.runner.invoke(__import__("planner.cli.main", fromlist=["main"]).main,
                          ["--db", str(acu.path), "status"])
    assert r.exit_code == 2 and "ACUPLAN_TODAY" in r.stderr


# ------------------------------------------------------------------ import

def _export_with(acu, tmp_path, change) -> str:
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "8")
    acu.ok("checkin", "--date", "2026-11-21", "--redness", "1")
    acu.ok("profile", "set", "--pregnant", "no")
    acu.ok("log", "product", "scrub", "--date", "2026-11-10")
    doc = _export(acu)
    change(doc["tables"])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc))
    return str(path)


def _settings_doc(tables: dict) -> dict:
    if not tables.get("settings"):
        tables["settings"] = [{"id": "s0000001"}]
    return tables["settings"][0]


def test_import_refuses_looser_settings_listing_each(acu, tmp_path):
    def loosen(t):
        _settings_doc(t).update(spacing_days=1, injectable_wait_days=0, ramp_step=50,
                                ceiling=180)
    f = _export_with(acu, tmp_path, loosen)
    target = tmp_path / "new.json"
    r = acu("import", f, db=target)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert r.err_lines[0].startswith("error: the file cannot be imported: 4 problems")
    for words in ("spacing_days is 1; accepted: a whole number from 7 to 28",
                  "injectable_wait_days is 0", "ramp_step is 50", "ceiling is 180"):
        assert words in r.stderr, words
    assert not target.exists()


@pytest.mark.parametrize(("table", "field", "value", "words"), [
    ("skin", "flags", "pus", "flags is 'pus'"),
    ("sessions", "minutes", 10.5, "minutes is 10.5"),
    ("sessions", "date", 20261120, "date is 20261120"),
    ("sessions", "date", "2026-W47-5", "a date written YYYY-MM-DD"),
    ("sessions", "outcome", "done", "outcome is 'done'"),
    ("products", "kind", "Retinoid", "kind is 'Retinoid'"),
    ("skin", "resolved_on", "2026-11-01", "on or after the record's own"),
    ("sessions", "id", "\x1b]52;c;aGk=\x07", "id is"),
    ("sessions", "extra", 1, "unknown field 'extra'"),
])
def test_import_refuses_records_the_commands_could_not_write(acu, tmp_path, table, field,
                                                             value, words):
    def spoil(t):
        t[table][0][field] = value
    f = _export_with(acu, tmp_path, spoil)
    target = tmp_path / "new.json"
    r = acu("import", f, db=target)
    assert r.exit_code == 2 and words in r.stderr, r.stderr
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr  # shown escaped
    assert not target.exists()


@pytest.mark.parametrize("value", [0, "7", 10 ** 7, None, True])
def test_import_of_a_bad_cadence_or_spacing_is_exit_2_not_internal(acu, tmp_path, value):
    f = _export_with(acu, tmp_path, lambda t: _settings_doc(t).update(cadence_days=value,
                                                                      spacing_days=value))
    r = acu("import", f, db=tmp_path / "new.json")
    assert r.exit_code == 2 and "internal problem" not in r.stderr
    assert "cadence_days is" in r.stderr and "spacing_days is" in r.stderr


def test_import_lists_at_most_20_problems(acu, tmp_path):
    def many(t):
        t["skin"] = [{"id": f"k{i:03d}", "date": f"2026-10-{i + 1:02d}", "redness": 9}
                     for i in range(25)]
    f = _export_with(acu, tmp_path, many)
    r = acu("import", f, db=tmp_path / "new.json")
    assert r.exit_code == 2 and "25 problems" in r.err_lines[0]
    assert len(r.err_lines) == 1 + 20 + 1 and r.err_lines[-1].strip() == "... and 5 more"


def test_import_of_a_clean_export_reproduces_it(acu, tmp_path):
    f = _export_with(acu, tmp_path, lambda t: None)
    target = tmp_path / "new.json"
    acu.ok("import", f, db=target)
    assert acu("export", db=target).stdout == acu("export").stdout


# ------------------------------------------------------------------ settings in the file

@pytest.mark.parametrize(("field", "value", "words"), [
    ("spacing_days", 1, "spacing_days is 1, outside the allowed range 7 to 28"),
    ("cadence_days", 0, "cadence_days is 0"),
    ("spacing_days", "7", "spacing_days is '7'"),
    ("ceiling", 180, "ceiling is 180"),
])
def test_settings_edited_by_hand_out_of_range_make_the_journal_unusable(acu, field, value,
                                                                        words):
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "8")
    acu.ok("profile", "set", "--pregnant", "no")
    raw = json.loads(acu.path.read_text())
    raw.setdefault("settings", {"1": {"id": "s1"}})
    next(iter(raw["settings"].values()))[field] = value
    acu.path.write_text(json.dumps(raw))
    before = acu.raw()
    for cmd in (("status",), ("check", "2026-12-08"), ("log", "session", "--minutes", "5")):
        r = acu(*cmd)
        assert r.exit_code == 4 and words in r.stderr, (cmd, r.stderr)
        assert "internal problem" not in r.stderr
    assert acu.raw() == before


# ------------------------------------------------------------------ restore

def test_restore_will_not_bring_back_a_version_without_the_open_hold(acu):
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "8")
    rid = acu.ok_json("checkin", "--date", "2026-11-30", "--flag", "pus")["id"]
    label = acu.ok_json("restore")["versions"][0]["label"]
    before = acu.raw()
    r = acu("restore", label)
    assert r.exit_code == 3 and rid in r.stderr and "resolve" in r.stderr
    assert acu.raw() == before


# ------------------------------------------------------------------ cautions and zones

def test_plan_names_the_steps_an_excluded_zone_leaves_out(acu):
    acu.ok("exclude", "cheek", "--reason", "mole")
    out = acu.ok_json("plan", "2026-12-08", "--routine", "full-face-gua-sha", "--minutes", "10")
    assert {d["rule"] for d in out["left_out"]} == {"excluded-zone"}
    assert any("cheek" in d["what"] for d in out["left_out"])
    text = acu.ok("plan", "2026-12-20", "--routine", "full-face-gua-sha", "--minutes", "10",
                  today="2026-12-12").stdout
    assert "leaves out: gua sha on the cheek (cheek excluded: mole)" in text


def test_a_routine_trimmed_under_5_minutes_is_refused_naming_the_zone(acu):
    acu.ok("exclude", "jaw", "--reason", "active-cyst")
    acu.ok("exclude", "neck", "--reason", "mole")
    before = acu.raw()
    r = acu("plan", "2026-12-08", "--routine", "jaw-and-neck-gua-sha")
    assert r.exit_code == 3 and "excluded-zone" in r.stderr
    assert "jaw excluded: active cyst" in r.stderr and "under the 5-minute minimum" in r.stderr
    assert "duration" not in r.stderr
    assert acu.raw() == before
    r = acu("check", "2026-12-08", "--routine", "jaw-and-neck-gua-sha", "--json")
    assert r.exit_code == 3
    assert [x["rule"] for x in r.json()["reasons"]] == ["excluded-zone"]


def test_pregnancy_caution_names_li4_and_sp6(acu):
    acu.ok("profile", "set", "--pregnant", "yes")
    r = acu("plan", "2026-12-08", "--routine", "grounding-hand-and-leg-points")
    assert r.exit_code == 3 and "caution" in r.stderr
    assert "LI4" in r.stderr and "SP6" in r.stderr and "pregnancy" in r.stderr
    r = acu("check", "2026-12-08", "--routine", "calm-evening-points")
    assert r.exit_code == 3 and "leaves out: LI4 (Hegu)" in r.stdout
