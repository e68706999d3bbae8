"""status, check, next, plan, plans, unplan: real effects through the command line."""

from __future__ import annotations

# ------------------------------------------------------------------ status

def test_status_on_a_new_journal_is_one_line_and_writes_nothing(acu):
    r = acu.ok("status")
    assert r.stdout.splitlines() == ["acuplan: today OK, up to 10 min · streak 0"]
    assert r.stderr == ""
    assert acu.raw() is None  # reading never creates the journal


def test_status_names_the_blocking_rule_and_next_allowed_day(acu):
    acu.ok("log", "product", "retinoid", "--date", "2026-12-01")
    r = acu.ok("status")
    assert r.stdout.strip() == ("acuplan: no session today (product-blackout until 2026-12-05) "
                                "· next allowed 2026-12-05")


def test_status_shows_the_next_plan(acu):
    acu.ok("plan", "2026-12-08")
    line = acu.ok("status").stdout.strip()
    assert line == "acuplan: today OK, up to 10 min · streak 0 · next 2026-12-08"


def test_status_with_an_open_medical_hold_has_no_next_date(acu):
    acu.ok("checkin", "--flag", "pus")
    line = acu.ok("status").stdout.strip()
    assert "medical-hold until resolved" in line
    assert "next allowed after the hold is resolved" in line


def test_status_exit_code_is_0_even_when_today_is_blocked(acu):
    acu.ok("log", "product", "scrub")
    assert acu("status").exit_code == 0
    assert acu("status", "--json").exit_code == 0


# ------------------------------------------------------------------ check

def test_product_blackout_lasts_until_p_plus_n_plus_1(acu):
    acu.ok("log", "product", "retinoid", "--date", "2026-12-01")
    r = acu("check", "2026-12-04")
    assert r.exit_code == 3
    assert "not allowed" in r.stdout
    assert "product-blackout" in r.stdout and "(until 2026-12-05)" in r.stdout
    assert "earliest allowed date: 2026-12-05" in r.stdout
    assert acu("check", "2026-12-05").exit_code == 0


def test_product_blackout_follows_a_stricter_setting(acu):
    acu.ok("profile", "set", "--product-blackout", "5")
    acu.ok("log", "product", "acid-exfoliant", "--date", "2026-12-01")
    v = acu("check", "2026-12-06", "--json")
    assert v.exit_code == 3
    assert v.json()["reasons"][0]["until"] == "2026-12-07"
    assert acu("check", "2026-12-07").exit_code == 0


def test_spacing_day_6_is_refused_and_day_7_allowed(acu):
    acu.ok("log", "session", "--date", "2026-11-25", "--minutes", "10")
    six = acu("check", "2026-12-01")
    assert six.exit_code == 3
    assert "spacing" in six.stdout and "(until 2026-12-02)" in six.stdout
    assert acu("check", "2026-12-02").exit_code == 0
    # and backwards: a session 6 days after a planned one
    acu.ok("plan", "2026-12-10")
    assert acu("check", "2026-12-16").exit_code == 3
    assert acu("check", "2026-12-17").exit_code == 0


def test_check_minutes_outside_the_cap_is_a_duration_refusal(acu):
    r = acu("check", "2026-12-03", "--minutes", "15", "--json")
    assert r.exit_code == 3
    v = r.json()
    assert v["allowed"] is False
    assert [x["rule"] for x in v["reasons"]] == ["duration"]
    assert v["reasons"][0]["until"] is None
    assert v["earliest"] == "2026-12-03"  # nothing but duration blocks the day
    assert acu("check", "2026-12-03", "--minutes", "4").exit_code == 3
    assert acu("check", "2026-12-03", "--minutes", "10").exit_code == 0


def test_check_prints_every_reason_with_its_until(acu):
    acu.ok("log", "product", "retinoid", "--date", "2026-12-01")
    acu.ok("log", "procedure", "laser", "--date", "2026-12-01")
    acu.ok("log", "injectable", "filler", "--date", "2026-11-30")
    acu.ok("pause", "--from", "2026-12-02", "--to", "2026-12-04", "--reason", "travel")
    r = acu("check", "2026-12-03")
    assert r.exit_code == 3
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("  - ")]
    rules = [ln.split(":")[0].strip("- ") for ln in lines]
    assert rules == ["product-blackout", "procedure-wait", "injectable-wait", "pause"]
    assert "(until 2026-12-05)" in lines[0]
    assert "(until 2026-12-08)" in lines[1]
    assert "(until 2026-12-14)" in lines[2]
    assert "(until 2026-12-05)" in lines[3]
    assert "earliest allowed date: 2026-12-14" in r.stdout


def test_check_does_not_write(acu):
    acu.ok("log", "product", "retinoid")
    before = acu.raw()
    acu("check", "2026-12-02")
    acu("check", "2026-12-09", "--json")
    assert acu.raw() == before


# ------------------------------------------------------------------ next

def test_next_on_an_empty_journal_is_today(acu):
    assert acu.ok_json("next") == {"date": "2026-12-01", "max_minutes": 10}
    assert acu.ok("next").stdout.strip() == "next allowed: 2026-12-01 (today), up to 10 minutes"


def test_next_skips_blocked_days(acu):
    acu.ok("log", "procedure", "clinic-peel", "--date", "2026-11-29")
    assert acu.ok_json("next") == {"date": "2026-12-06", "max_minutes": 10}


def test_next_with_an_open_hold_is_null(acu):
    acu.ok("checkin", "--redness", "3")  # severe: reaction hold until resolved
    assert acu.ok_json("next") == {"date": None, "max_minutes": 10}
    r = acu.ok("next")
    assert "hold must be resolved" in r.stdout and "reaction-hold" in r.stdout


# ------------------------------------------------------------------ plan / plans / unplan

def test_plan_then_plans_lists_it(acu):
    r = acu.ok("plan", "2026-12-05")
    assert r.stdout.startswith("planned 2026-12-05: 10 minutes (id ")
    plans = acu.ok_json("plans")
    assert len(plans) == 1
    p = plans[0]
    assert set(p) == {"id", "date", "minutes", "routine", "allowed", "reasons"}
    assert p["date"] == "2026-12-05" and p["minutes"] == 10 and p["routine"] is None
    assert p["allowed"] is True and p["reasons"] == []
    assert p["id"] in r.stdout


def test_plan_refused_prints_every_reason_and_writes_nothing(acu):
    acu.ok("plan", "2026-12-05")
    acu.ok("log", "product", "retinoid", "--date", "2026-12-01")
    before = acu.raw()
    r = acu("plan", "2026-12-04", "--minutes", "20")
    assert r.exit_code == 3
    acu.no_traceback(r)
    assert "refused" in r.stderr
    for rule in ("spacing", "duration", "product-blackout"):
        assert rule in r.stderr
    assert "until 2026-12-05" in r.stderr
    assert acu.raw() == before
    assert len(acu.ok_json("plans")) == 1


def test_plan_with_a_routine_uses_its_minutes(acu):
    routines = acu.ok_json("routines", "list")
    starter = next(x for x in routines if x["starter"] and x["minutes"] <= 10)
    view = acu.ok_json("plan", "2026-12-05", "--routine", starter["id"])
    assert view["routine"] == starter["id"]
    assert view["minutes"] == starter["minutes"]
    assert acu.ok_json("plans")[0]["routine"] == starter["id"]


def test_plan_with_a_routine_longer_than_the_cap_is_refused(acu):
    routines = acu.ok_json("routines", "list")
    long_one = next(x for x in routines if x["minutes"] > 10)
    before = acu.raw()
    r = acu("plan", "2026-12-05", "--routine", long_one["id"])
    assert r.exit_code == 3
    assert "duration" in r.stderr
    assert acu.raw() == before


def test_plan_minutes_override_the_routine(acu):
    routines = acu.ok_json("routines", "list")
    long_one = next(x for x in routines if x["minutes"] > 10)
    view = acu.ok_json("plan", "2026-12-05", "--routine", long_one["id"], "--minutes", "8")
    assert view["minutes"] == 8


def test_plan_without_minutes_defaults_to_ten(acu):
    assert acu.ok_json("plan", "2026-12-01")["minutes"] == 10


def test_plan_later_blocked_by_a_product_is_shown_blocked(acu):
    acu.ok("plan", "2026-12-03")
    r = acu.ok("log", "product", "home-peel", "--date", "2026-12-01")
    assert "blocked now" in r.stdout and "product-blackout" in r.stdout
    plans = acu.ok_json("plans")
    assert plans[0]["allowed"] is False
    assert plans[0]["reasons"][0]["rule"] == "product-blackout"
    text = acu.ok("plans").stdout
    assert "BLOCKED" in text and "product-blackout" in text


def test_plans_empty(acu):
    assert acu.ok_json("plans") == []
    assert acu.ok("plans").stdout.strip() == "no plans"


def test_unplan_removes_the_plan(acu):
    pid = acu.ok_json("plan", "2026-12-05")["id"]
    r = acu.ok("unplan", pid)
    assert pid in r.stdout
    assert acu.ok_json("plans") == []


def test_unplan_unknown_id_names_the_known_ones(acu):
    pid = acu.ok_json("plan", "2026-12-05")["id"]
    before = acu.raw()
    r = acu("unplan", "nope")
    acu.bad(r, "nope", pid)
    assert acu.raw() == before


def test_a_logged_session_fulfils_the_plan_of_its_day(acu):
    acu.ok("plan", "2026-12-01")
    acu.ok("log", "session", "--date", "2026-12-01", "--minutes", "10")
    assert acu.ok_json("plans") == []
    hist = acu.ok_json("history")
    plan = next(x for x in hist if x["type"] == "plan")
    session = next(x for x in hist if x["type"] == "session")
    assert plan["fulfilled_by"] == session["id"]


def test_status_json_shape(acu):
    acu.ok("log", "session", "--date", "2026-11-24", "--minutes", "10")
    pid = acu.ok_json("plan", "2026-12-04")["id"]
    acu.ok("log", "product", "retinoid", "--date", "2026-11-30")
    s = acu.ok_json("status")
    assert set(s) == {"today", "allowed", "max_minutes", "reasons", "earliest", "next_plan",
                      "streak", "advice"}
    assert s["today"] == "2026-12-01" and s["allowed"] is False and s["max_minutes"] == 10
    assert [r["rule"] for r in s["reasons"]] == ["spacing", "product-blackout"]
    assert set(s["reasons"][0]) == {"rule", "message", "until"}
    # on the plan's own day a session carries the plan out, so spacing ends there
    assert [r["until"] for r in s["reasons"]] == ["2026-12-04", "2026-12-04"]
    assert s["earliest"] == "2026-12-04"
    assert s["next_plan"] == {"id": pid, "date": "2026-12-04", "minutes": 10, "routine": None,
                              "allowed": True, "reasons": []}
    assert set(s["streak"]) == {"sessions", "checkins", "score"}
    assert set(s["streak"]["sessions"]) == {"current", "longest", "days_until_break"}
    assert set(s["streak"]["checkins"]) == {"current", "longest"}
    assert s["streak"]["sessions"]["current"] == 1
    assert any("avoid retinoids" in a for a in s["advice"])


def test_check_json_shape(acu):
    v = acu.ok_json("check", "2026-12-03", "--minutes", "8")
    assert v == {"date": "2026-12-03", "allowed": True, "min_minutes": 5, "max_minutes": 10,
                 "earliest": "2026-12-03", "reasons": []}
