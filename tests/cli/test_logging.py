"""log …, checkin, resolve, pause/unpause, streak and history through the command line."""

from __future__ import annotations

from planner.domain.classify import CLINICIAN_TEXT, EMERGENCY_TEXT

ODD = "Retinol [0.5%] 🧴✨ [bold]not markup[/bold] ${HOME} %s {x}"


# ------------------------------------------------------------------ sessions

def test_log_session_json_shape_and_history(acu):
    out = acu.ok_json("log", "session", "--date", "2026-11-30", "--minutes", "8",
                      "--note", "calm")
    # SPEC §7's keys, and what this write did to other sessions (SPEC §3.2)
    assert set(out) == {"id", "violations", "outcome", "marked", "unmarked"}
    assert out["violations"] == [] and out["outcome"] == "completed"
    assert out["marked"] == [] and out["unmarked"] == []
    hist = acu.ok_json("history")
    assert hist == [{
        "type": "session", "id": out["id"], "date": "2026-11-30", "minutes": 8,
        "routine": None, "outcome": "completed", "note": "calm", "logged": 1,
        "violations": [],
    }]


def test_log_session_that_broke_rules_warns_but_exits_0(acu):
    acu.ok("log", "session", "--date", "2026-11-28", "--minutes", "10")
    acu.ok("log", "product", "retinoid", "--date", "2026-11-29")
    r = acu.ok("log", "session", "--date", "2026-12-01", "--minutes", "25")
    assert "WARNING" in r.stdout and "broke 3 safety rules" in r.stdout
    for rule in ("spacing", "duration", "product-blackout"):
        assert f"  - {rule}:" in r.stdout
    hist = acu.ok_json("history")
    bad = [x for x in hist if x["type"] == "session"][-1]
    assert [v["rule"] for v in bad["violations"]] == ["spacing", "duration", "product-blackout"]
    assert "BROKE RULES: spacing, duration, product-blackout" in acu.ok("history").stdout


def test_log_session_json_lists_violations(acu):
    acu.ok("log", "session", "--date", "2026-11-28", "--minutes", "10")
    out = acu.ok_json("log", "session", "--date", "2026-12-01", "--minutes", "10")
    assert [v["rule"] for v in out["violations"]] == ["spacing"]
    assert set(out["violations"][0]) == {"rule", "message", "until"}
    assert out["violations"][0]["until"] == "2026-12-05"


def test_short_or_aborted_session_is_not_a_duration_violation(acu):
    out = acu.ok_json("log", "session", "--date", "2026-12-01", "--minutes", "40", "--aborted")
    assert out["violations"] == []
    out = acu.ok_json("log", "session", "--date", "2026-11-20", "--minutes", "2")
    assert out["violations"] == []


def test_log_session_with_a_routine(acu):
    rid = acu.ok_json("routines", "list")[0]["id"]
    out = acu.ok_json("log", "session", "--minutes", "10", "--routine", rid)
    hist = acu.ok_json("history")
    assert hist[0]["routine"] == rid and hist[0]["id"] == out["id"]
    assert hist[0]["date"] == "2026-12-01"  # --date defaults to today


def test_log_session_unknown_routine_is_bad_input(acu):
    r = acu("log", "session", "--minutes", "10", "--routine", "no-such-routine")
    acu.bad(r, "no-such-routine", "accepted:")
    assert acu.raw() is None


def test_aborted_session_suggests_a_reaction_record(acu):
    r = acu.ok("log", "session", "--minutes", "3", "--aborted")
    assert "aborted" in r.stdout and "log reaction" in r.stdout


def test_odd_text_is_kept_verbatim_through_history(acu):
    acu.ok("log", "session", "--date", "2026-11-30", "--minutes", "10", "--note", ODD)
    acu.ok("log", "product", "retinoid", "--date", "2026-11-30", "--note", ODD)
    acu.ok("checkin", "--date", "2026-11-30", "--note", ODD)
    hist = acu.ok_json("history")
    assert [x["note"] for x in hist] == [ODD, ODD, ODD]
    text = acu.ok("history").stdout
    assert text.count(ODD) == 3


def test_control_characters_in_notes_do_not_break_the_table(acu):
    note = "line one\nline two \x1b[31mred"
    acu.ok("log", "product", "scrub", "--note", note)
    assert acu.ok_json("history")[0]["note"] == note
    text = acu.ok("history").stdout
    assert "\x1b" not in text
    assert len(text.strip().splitlines()) == 2  # header + one row
    assert "line one\\nline two" in text


# ------------------------------------------------------------------ products etc.

def test_log_product_json_shape(acu):
    out = acu.ok_json("log", "product", "acid-exfoliant", "--date", "2026-11-30")
    assert set(out) == {"id", "violations", "marked", "unmarked"} and out["violations"] == []
    hist = acu.ok_json("history")
    assert hist == [{"type": "product", "id": out["id"], "date": "2026-11-30",
                     "kind": "acid-exfoliant", "note": "", "logged": 1}]


def test_log_product_says_until_when(acu):
    r = acu.ok("log", "product", "retinoid", "--date", "2026-12-01")
    assert "no session before 2026-12-05" in r.stdout


def test_log_procedure_waits_w_days(acu):
    acu.ok("log", "procedure", "microdermabrasion", "--date", "2026-12-01")
    r = acu("check", "2026-12-07", "--json")
    assert r.exit_code == 3
    assert r.json()["reasons"][0] == {
        "rule": "procedure-wait", "until": "2026-12-08",
        "message": r.json()["reasons"][0]["message"]}
    assert acu("check", "2026-12-08").exit_code == 0


def test_log_injectable_waits_14_days(acu):
    acu.ok("log", "injectable", "botulinum-toxin", "--date", "2026-12-01")
    assert acu("check", "2026-12-14").exit_code == 3
    assert acu("check", "2026-12-15").exit_code == 0


def test_every_kind_is_accepted(acu):
    from planner.domain.vocabulary import INJECTABLE_KINDS, PROCEDURE_KINDS, PRODUCT_KINDS

    for group, kinds in (("product", PRODUCT_KINDS), ("procedure", PROCEDURE_KINDS),
                         ("injectable", INJECTABLE_KINDS)):
        for k in kinds:
            acu.ok("log", group, k, "--date", "2026-11-01")
    types = [x["type"] for x in acu.ok_json("history")]
    assert len(types) == len(PRODUCT_KINDS) + len(PROCEDURE_KINDS) + len(INJECTABLE_KINDS)


# ------------------------------------------------------------------ skin records

def test_checkin_json_and_class(acu):
    out = acu.ok_json("checkin", "--redness", "1", "--itch", "2", "--zone", "cheek")
    assert out["id"] and out["violations"] == [] and out["class"] == "mild"
    rec = acu.ok_json("history")[0]
    assert rec["type"] == "checkin" and rec["class"] == "mild"
    assert rec["redness"] == 1 and rec["itch"] == 2 and rec["zone"] == "cheek"


def test_moderate_checkin_blocks_for_three_days(acu):
    acu.ok("checkin", "--date", "2026-12-01", "--redness", "2")
    r = acu("check", "2026-12-03", "--json")
    assert r.exit_code == 3 and r.json()["reasons"][0]["rule"] == "skin-state"
    assert acu("check", "2026-12-04").exit_code == 0


def test_red_flag_prints_emergency_advice_first(acu):
    r = acu.ok("checkin", "--flag", "lip-tongue-throat-swelling", "--flag", "pus")
    lines = r.stdout.splitlines()
    first_advice = next(i for i, ln in enumerate(lines) if EMERGENCY_TEXT in ln)
    clinician = next(i for i, ln in enumerate(lines) if CLINICIAN_TEXT in ln)
    logged = next(i for i, ln in enumerate(lines) if ln.startswith("logged check-in"))
    assert first_advice < clinician < logged
    assert "WARNING SIGN" in r.stdout
    assert "press" not in r.stdout.lower().replace("express", "")  # never "press a point"
    assert acu("check", "2026-12-01").exit_code == 3


def test_red_flag_json_carries_the_advice(acu):
    out = acu.ok_json("checkin", "--flag", "vision-change")
    assert out["class"] == "red-flag"
    assert out["advice"][0] == EMERGENCY_TEXT


def test_clinician_flag_is_not_an_emergency(acu):
    r = acu.ok("checkin", "--flag", "spreading-redness")
    assert CLINICIAN_TEXT in r.stdout and EMERGENCY_TEXT not in r.stdout


def test_reaction_tied_to_a_session(acu):
    sid = acu.ok_json("log", "session", "--minutes", "10")["id"]
    out = acu.ok_json("log", "reaction", "--session", sid, "--burning", "5")
    rec = [x for x in acu.ok_json("history") if x["type"] == "reaction"][0]
    assert rec["id"] == out["id"] and rec["session_id"] == sid and rec["class"] == "moderate"


def test_reaction_unknown_session_is_bad_input(acu):
    sid = acu.ok_json("log", "session", "--minutes", "10")["id"]
    before = acu.raw()
    r = acu("log", "reaction", "--session", "zzz", "--redness", "1")
    acu.bad(r, "zzz", sid)
    assert acu.raw() == before


# ------------------------------------------------------------------ resolve

def test_severe_reaction_holds_until_resolved(acu):
    rid = acu.ok_json("checkin", "--date", "2026-11-20", "--swelling", "3")["id"]
    r = acu("check", "2026-12-01", "--json")
    assert r.exit_code == 3 and r.json()["reasons"][0]["rule"] == "reaction-hold"
    assert r.json()["reasons"][0]["until"] is None and r.json()["earliest"] is None
    out = acu.ok_json("resolve", rid, "--date", "2026-11-30")
    assert out == {"resolved": [rid]}
    assert acu("check", "2026-12-01").exit_code == 0


def test_red_flag_needs_a_clinician_to_resolve(acu):
    rid = acu.ok_json("checkin", "--flag", "fever")["id"]
    before = acu.raw()
    r = acu("resolve", rid)
    assert r.exit_code == 3
    assert "clinician" in r.stderr and "medical-hold" in r.stderr
    assert acu.raw() == before
    r = acu.ok("resolve", rid, "--cleared-by-clinician")
    assert rid in r.stdout
    # the hold is lifted; the record still counts as unsettled skin for its 3 days
    r = acu("check", "2026-12-01", "--json")
    assert r.exit_code == 3 and r.json()["reasons"][0]["rule"] == "skin-state"
    assert acu("check", "2026-12-04").exit_code == 0


def test_resolve_all(acu):
    acu.ok("checkin", "--date", "2026-11-20", "--itch", "8")
    acu.ok("checkin", "--date", "2026-11-22", "--flag", "dizziness")
    out = acu.ok_json("resolve", "--all")
    assert len(out["resolved"]) == 2
    r = acu("resolve", "--all")
    acu.bad(r, "no open hold")


def test_resolve_needs_ids_or_all_not_both(acu):
    rid = acu.ok_json("checkin", "--redness", "3")["id"]
    before = acu.raw()
    acu.bad(acu("resolve"), "--all")
    acu.bad(acu("resolve", rid, "--all"), "not both")
    acu.bad(acu("resolve", "nope"), "nope", rid)
    assert acu.raw() == before


# ------------------------------------------------------------------ pauses

def test_pause_blocks_and_unpause_lifts(acu):
    out = acu.ok_json("pause", "--from", "2026-12-01", "--to", "2026-12-03", "--reason",
                      "illness", "--note", "flu 🤒")
    r = acu("check", "2026-12-02", "--json")
    assert r.exit_code == 3 and r.json()["reasons"][0]["rule"] == "pause"
    assert r.json()["reasons"][0]["until"] == "2026-12-04"
    hist = acu.ok_json("history")
    assert hist[0]["type"] == "pause" and hist[0]["date"] == "2026-12-01"
    assert hist[0]["note"] == "flu 🤒"
    acu.ok("unpause", out["id"])
    assert acu("check", "2026-12-02").exit_code == 0


def test_unpause_unknown(acu):
    acu.bad(acu("unpause", "nope"), "nope", "pauses:")


# ------------------------------------------------------------------ streak

def test_streak_json_shape(acu):
    s = acu.ok_json("streak")
    assert s == {"sessions": {"current": 0, "longest": 0, "days_until_break": None},
                 "checkins": {"current": 0, "longest": 0}, "score": 0.0}


def test_streak_counts_sessions_on_schedule_and_checkins(acu):
    for d in ("2026-11-10", "2026-11-17", "2026-11-24", "2026-12-01"):
        acu.ok("log", "session", "--date", d, "--minutes", "10")
    for d in ("2026-11-29", "2026-11-30", "2026-12-01"):
        acu.ok("checkin", "--date", d)
    s = acu.ok_json("streak")
    assert s["sessions"]["current"] == 4 and s["sessions"]["longest"] == 4
    assert s["sessions"]["days_until_break"] == 10
    assert s["checkins"] == {"current": 3, "longest": 3}
    assert 0 < s["score"] < 1
    text = acu.ok("streak").stdout
    assert "sessions on schedule: 4" in text and "10 days until it breaks" in text
    assert "check-in days in a row: 3" in text and "habit score:" in text
    assert acu.ok("status").stdout.strip().startswith("acuplan: no session today (spacing")


def test_violating_session_ends_the_streak(acu):
    acu.ok("log", "session", "--date", "2026-11-17", "--minutes", "10")
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "10")  # spacing violation
    s = acu.ok_json("streak")
    assert s["sessions"]["current"] == 0


# ------------------------------------------------------------------ history

def test_history_is_oldest_first_with_types_and_filters(acu):
    acu.ok("log", "product", "scrub", "--date", "2026-11-30")
    acu.ok("checkin", "--date", "2026-11-01")
    acu.ok("plan", "2026-12-20")
    acu.ok("pause", "--from", "2026-11-10", "--to", "2026-11-11", "--reason", "travel")
    hist = acu.ok_json("history")
    assert [x["type"] for x in hist] == ["checkin", "pause", "product", "plan"]
    assert [x["date"] for x in hist] == sorted(x["date"] for x in hist)
    for x in hist:
        assert {"type", "id", "date"} <= set(x)
    part = acu.ok_json("history", "--from", "2026-11-05", "--to", "2026-11-30")
    assert [x["type"] for x in part] == ["pause", "product"]


def test_history_table(acu):
    pid = acu.ok_json("log", "product", "scrub", "--date", "2026-11-30")["id"]
    lines = acu.ok("history").stdout.splitlines()
    assert lines[0].split() == ["date", "type", "id", "summary"]
    assert lines[1].split() == ["2026-11-30", "product", pid, "scrub"]


def test_history_empty(acu):
    assert acu.ok("history").stdout.strip() == "nothing recorded yet"
    assert acu.ok_json("history") == []
