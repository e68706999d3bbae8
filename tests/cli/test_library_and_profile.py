"""routines list/show/validate/build, profile show/set, exclude/include."""

from __future__ import annotations

import stat

from planner.domain.vocabulary import CONCERNS, TECHNIQUES

VALID = '''
id = "my-test-routine"
name = "Retinol [0.5%] day 😀"
summary = "A test."
techniques = ["jade-rolling"]
concerns = ["puffiness"]

[[steps]]
technique = "jade-rolling"
zone = "cheek"
action = "roll"
seconds = 60
repetitions = 5
'''

INVALID = '''
id = "bad"
name = "Bad"
techniques = ["acupuncture", "gua-sha"]
concerns = ["puffiness"]

[[steps]]
technique = "gua-sha"
zone = "eyelid"
action = "stroke"
seconds = 0
'''


# ------------------------------------------------------------------ routines

def test_routines_list_covers_every_technique_and_concern(acu):
    routines = acu.ok_json("routines", "list")
    assert len(routines) >= 12
    for key in ("id", "name", "techniques", "concerns", "minutes", "starter", "source"):
        assert key in routines[0]
    assert {t for r in routines for t in r["techniques"]} == set(TECHNIQUES)
    assert {c for r in routines for c in r["concerns"]} == set(CONCERNS)
    text = acu.ok("routines", "list").stdout
    for r in routines:
        assert r["id"] in text
    assert acu.raw() is None


def test_routines_list_filters(acu):
    rolls = acu.ok_json("routines", "list", "--technique", "jade-rolling")
    assert rolls and all("jade-rolling" in r["techniques"] for r in rolls)
    jaw = acu.ok_json("routines", "list", "--concern", "jaw-tension", "--technique", "gua-sha")
    assert all("jaw-tension" in r["concerns"] and "gua-sha" in r["techniques"] for r in jaw)


def test_routines_show(acu):
    rid = acu.ok_json("routines", "list", "--technique", "acupressure")[0]["id"]
    r = acu.ok_json("routines", "show", rid)
    assert r["id"] == rid and r["steps"]
    assert sum(s["total_seconds"] for s in r["steps"]) == r["total_seconds"]
    text = acu.ok("routines", "show", rid).stdout
    assert r["name"] in text and "steps:" in text and " 1. " in text


def test_routines_validate_valid_file(acu, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(VALID, encoding="utf-8")
    r = acu.ok("routines", "validate", str(f))
    assert "valid" in r.stdout and "Retinol [0.5%] day 😀" in r.stdout


def test_routines_validate_lists_every_issue_and_exits_2(acu, tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(INVALID, encoding="utf-8")
    r = acu("routines", "validate", str(f))
    assert r.exit_code == 2
    acu.no_traceback(r)
    issues = r.stdout.strip().splitlines()
    assert len(issues) >= 3
    for line in issues:
        assert line.startswith(f"{f}: ")
        assert len(line.split(": ", 2)) == 3  # file: field: message
    joined = "\n".join(issues)
    assert "acupuncture" in joined and "eyelid" in joined and "seconds" in joined
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: ")


def test_routines_validate_unreadable_and_garbage_files(acu, tmp_path):
    r = acu("routines", "validate", str(tmp_path / "missing.toml"))
    assert r.exit_code == 2 and "cannot read" in r.stdout
    f = tmp_path / "junk.toml"
    f.write_bytes(b"\xff\x00[[[")
    r = acu("routines", "validate", str(f))
    assert r.exit_code == 2
    acu.no_traceback(r)


def test_user_routines_are_listed_and_bad_ones_reported(acu, tmp_path):
    user = acu.path.parent / "routines"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text(VALID, encoding="utf-8")
    (user / "broken.toml").write_text(INVALID, encoding="utf-8")
    r = acu.ok("routines", "list")
    assert "my-test-routine" in r.stdout and "Retinol [0.5%] day 😀 (yours)" in r.stdout
    assert "warning: skipped" in r.stderr and "broken.toml" in r.stderr
    mine = [x for x in acu.ok_json("routines", "list") if x["id"] == "my-test-routine"]
    assert mine[0]["source"] == "user"
    assert acu.ok_json("plan", "2026-12-05", "--routine", "my-test-routine")["minutes"] == 5


def test_build_keeps_to_todays_cap_and_is_deterministic(acu):
    a = acu.ok_json("routines", "build", "--concern", "headache", "--minutes", "30")
    b = acu.ok_json("routines", "build", "--concern", "headache", "--minutes", "30")
    assert a == b
    assert a["max_minutes"] == 10
    assert a["routine"]["total_seconds"] <= 10 * 60
    assert any("cap" in n for n in a["notes"])
    assert a["saved"] is None
    assert acu.raw() is None


def test_build_drops_pregnancy_points_and_says_why(acu):
    acu.ok("profile", "set", "--pregnant", "yes")
    out = acu.ok_json("routines", "build", "--concern", "headache", "--concern", "stress",
                      "--technique", "acupressure", "--minutes", "10")
    points = {s["point"] for s in out["routine"]["steps"]}
    assert not points & {"LI4", "SP6", "GB21", "BL60", "BL67"}
    assert any("pregnancy" in d["reason"] for d in out["dropped"])
    text = acu.ok("routines", "build", "--concern", "headache", "--concern", "stress",
                  "--technique", "acupressure", "--minutes", "10").stdout
    assert "left out:" in text and "pregnancy" in text and "steps:" in text


def test_build_drops_excluded_zones_and_keeps_gua_sha_light(acu):
    acu.ok("exclude", "cheek", "--reason", "active-cyst")
    acu.ok("profile", "set", "--anticoagulants", "yes")
    out = acu.ok_json("routines", "build", "--technique", "gua-sha", "--minutes", "10")
    steps = out["routine"]["steps"]
    assert all(s["zone"] != "cheek" for s in steps)
    assert all(s["pressure"] == "light" for s in steps if s["technique"] == "gua-sha")
    assert any("cheek" in d["reason"] for d in out["dropped"])


def test_build_save_makes_a_user_routine(acu):
    r = acu.ok("routines", "build", "--concern", "puffiness", "--minutes", "10",
               "--name", "Morning ☀️ [depuff]", "--save")
    assert "saved as" in r.stdout
    saved = list((acu.path.parent / "routines").glob("*.toml"))
    assert len(saved) == 1
    assert stat.S_IMODE(saved[0].stat().st_mode) == 0o600
    mine = [x for x in acu.ok_json("routines", "list") if x["source"] == "user"]
    assert mine and mine[0]["name"] == "Morning ☀️ [depuff]"
    assert acu.ok("routines", "validate", str(saved[0])).exit_code == 0


def test_build_uses_the_ramped_cap(acu):
    for d in ("2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10"):
        acu.ok("log", "session", "--date", d, "--minutes", "10")
    out = acu.ok_json("routines", "build", "--minutes", "30")
    assert out["max_minutes"] == acu.ok_json("status")["max_minutes"] == 20


# ------------------------------------------------------------------ profile

def test_profile_show_defaults(acu):
    p = acu.ok_json("profile", "show")
    assert p["profile"]["pregnant"] is False and p["profile"]["exclusions"] == []
    assert p["settings"]["spacing_days"] == 7 and p["settings"]["ceiling"] == 30
    text = acu.ok("profile", "show").stdout
    assert "pregnant: no" in text and "spacing: 7" in text
    assert acu.raw() is None


def test_profile_set_answers_and_stricter_rules(acu):
    acu.ok("profile", "set", "--pregnant", "yes", "--rosacea", "yes", "--bleeding-disorder",
           "yes", "--spacing", "10", "--cadence", "12", "--grace", "1", "--ceiling", "20",
           "--injectable-wait", "21", "--procedure-wait", "10", "--starter-count", "4",
           "--ramp-step", "2", "--product-blackout", "4")
    p = acu.ok_json("profile", "show")
    prof = p["profile"]
    assert prof["pregnant"] and prof["rosacea"] and prof["bleeding_disorder"]
    s = p["settings"]
    assert (s["spacing_days"], s["cadence_days"], s["grace_days"], s["ceiling"]) == (10, 12, 1, 20)
    assert (s["injectable_wait_days"], s["procedure_wait_days"]) == (21, 10)
    assert (s["starter_count"], s["ramp_step"], s["product_blackout_days"]) == (4, 2, 4)
    acu.ok("profile", "set", "--pregnant", "no")
    assert acu.ok_json("profile", "show")["profile"]["pregnant"] is False


def test_stricter_spacing_changes_check(acu):
    acu.ok("log", "session", "--date", "2026-11-24", "--minutes", "10")
    assert acu("check", "2026-12-01").exit_code == 0
    acu.ok("profile", "set", "--spacing", "10", "--cadence", "10")
    r = acu("check", "2026-12-01", "--json")
    assert r.exit_code == 3 and r.json()["reasons"][0]["until"] == "2026-12-04"


def test_exclude_and_include(acu):
    acu.ok("exclude", "jaw", "--reason", "broken-skin", "--until", "2026-12-10")
    ex = acu.ok_json("profile", "show")["profile"]["exclusions"]
    assert ex == [{"zone": "jaw", "reason": "broken-skin", "until": "2026-12-10"}]
    assert "jaw: broken-skin until 2026-12-10" in acu.ok("profile", "show").stdout
    acu.ok("include", "jaw")
    assert acu.ok_json("profile", "show")["profile"]["exclusions"] == []
