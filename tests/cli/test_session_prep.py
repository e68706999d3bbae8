"""Issue 13 at the command line: preferred days and `plan --next`, and the skin check
before a session (`check DATE --skip-zone ZONE`, `--unwell`). Today is Tue 2026-12-01."""

from __future__ import annotations

from datetime import date, timedelta

ROUTINE = "brow-and-forehead-points"  # 5 min: one forehead point, the rest on the brow


def weekday(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%a").lower()


# ---------------------------------------------------------------- preferred days

def test_plan_next_without_preferences_plans_the_earliest_allowed_day(acu):
    assert acu.ok_json("plan", "--next")["date"] == "2026-12-01"
    # the plan just made counts: the next one goes a spacing later, not on the same day
    assert acu.ok_json("plan", "--next")["date"] == "2026-12-08"


def test_plan_next_plans_the_first_preferred_day_that_is_allowed(acu):
    acu.ok("profile", "set", "--preferred-days", "sat,sun", "--preferred-time", "19:00")
    shown = acu.ok_json("profile", "show")["profile"]
    assert shown["preferred_days"] == ["sat", "sun"] and shown["preferred_time"] == "19:00"
    first = acu.ok_json("plan", "--next")["date"]
    assert first == "2026-12-05" and weekday(first) == "sat"
    second = acu.ok_json("plan", "--next")["date"]  # Sun 6th is too close: the next Saturday
    assert second == "2026-12-12"


def test_plan_next_skips_preferred_days_inside_a_blocked_stretch(acu):
    acu.ok("profile", "set", "--preferred-days", "sat")
    acu.ok("log", "injectable", "filler", "--date", "2026-12-01")  # 14-day wait: to the 15th
    day = acu.ok_json("plan", "--next")["date"]
    assert day == "2026-12-19"  # Saturdays 5th and 12th are inside the wait
    assert acu.ok_json("check", day)["allowed"]


def test_plan_next_across_a_month_end(acu):
    acu.ok("profile", "set", "--preferred-days", "mon")
    acu.ok("log", "session", "--date", "2026-12-01", "--minutes", "5")
    for planned in ("2026-12-10", "2026-12-17", "2026-12-24"):
        acu.ok("plan", planned)
    # Monday 7th is six days after the session, and every later Monday of December is
    # under a week from a plan (14th, 21st, 28th): the next is Monday 4 January
    assert acu.ok_json("plan", "--next", today="2026-12-05")["date"] == "2027-01-04"


def test_plan_next_refused_while_a_hold_is_open(acu):
    acu.ok("profile", "set", "--preferred-days", "sat")
    acu.ok("checkin", "--flag", "pus")
    before = acu.raw()
    r = acu("plan", "--next")
    assert r.exit_code == 3 and "medical-hold" in r.stderr
    assert acu.raw() == before


def test_preferences_are_checked_before_anything_is_written(acu):
    acu.ok("profile", "set", "--preferred-days", "sun")
    before = acu.raw()
    acu.bad(acu("profile", "set", "--preferred-days", "funday"), "funday", "mon")
    acu.bad(acu("profile", "set", "--preferred-time", "25:00"), "HH:MM")
    acu.bad(acu("profile", "set", "--pregnant", "yes", "--preferred-time", "7pm"), "HH:MM")
    assert acu.raw() == before
    acu.ok("profile", "set", "--preferred-days", "none", "--preferred-time", "7:05")
    shown = acu.ok_json("profile", "show")["profile"]
    assert shown["preferred_days"] == [] and shown["preferred_time"] == "07:05"


def test_plan_needs_a_date_or_next_but_not_both(acu):
    acu.bad(acu("plan"), "--next")
    acu.bad(acu("plan", "2026-12-09", "--next"), "--next")
    assert acu.raw() is None


def test_next_names_the_next_preferred_allowed_day(acu):
    assert set(acu.ok_json("next")) == {"date", "max_minutes"}  # SPEC §7's shape
    acu.ok("profile", "set", "--preferred-days", "thu")
    doc = acu.ok_json("next")
    assert doc["date"] == "2026-12-01" and doc["preferred_date"] == "2026-12-03"
    assert "2026-12-03 (Thursday)" in acu.ok("next").stdout


# ---------------------------------------------------------------- the skin check

def test_a_zone_named_in_the_skin_check_is_left_out_that_day_only(acu):
    r = acu("check", "2026-12-01", "--routine", ROUTINE, "--skip-zone", "forehead=sunburn",
            "--json")
    doc = r.json()
    assert doc["skipped_zones"] == [{"zone": "forehead", "reason": "sunburn"}]
    assert [d["rule"] for d in doc["left_out"]] == ["excluded-zone"]
    assert "forehead" in doc["left_out"][0]["reason"]
    # the starter lasts 5 minutes: without its forehead point it is under the minimum
    assert r.exit_code == 3 and not doc["allowed"]
    assert any("under the 5-minute minimum" in x["message"] for x in doc["reasons"])
    # nothing was stored: the same check without the skin check is allowed
    assert acu.ok_json("check", "2026-12-01", "--routine", ROUTINE)["left_out"] == []
    assert acu.raw() is None


def test_a_skin_check_zone_the_routine_does_not_touch_changes_nothing(acu):
    doc = acu.ok_json("check", "2026-12-01", "--routine", ROUTINE, "--skip-zone", "neck")
    assert doc["allowed"] and doc["left_out"] == []
    assert doc["skipped_zones"] == [{"zone": "neck", "reason": "inflamed"}]


def test_skip_zone_uses_the_routine_planned_that_day(acu):
    acu.ok("plan", "2026-12-03", "--routine", ROUTINE)
    r = acu("check", "2026-12-03", "--skip-zone", "brow=cold-sore")
    assert r.exit_code == 3 and "brow left out for the day: cold sore" in r.stdout
    acu.bad(acu("check", "2026-12-02", "--skip-zone", "brow"), "--routine")


def test_skip_zone_bad_words_are_bad_input(acu):
    acu.bad(acu("check", "2026-12-01", "--routine", ROUTINE, "--skip-zone", "elbow"),
            "elbow", "forehead")
    acu.bad(acu("check", "2026-12-01", "--routine", ROUTINE, "--skip-zone", "brow=acne"),
            "acne", "sunburn")


def test_unwell_all_over_means_no_session_that_day(acu):
    r = acu("check", "2026-12-01", "--unwell", "--json")
    doc = r.json()
    assert r.exit_code == 3 and not doc["allowed"]
    assert [x["rule"] for x in doc["reasons"]] == ["skin-check"]
    assert doc["earliest"] == (date(2026, 12, 1) + timedelta(days=1)).isoformat()
    assert acu.raw() is None
