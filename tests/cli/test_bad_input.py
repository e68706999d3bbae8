"""Exit 2: one `error:` line on stderr naming what is accepted, and nothing written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from planner.cli.main import main

BAD = [
    # impossible or malformed dates
    (["check", "2026-02-30"], ["2026-02-30", "YYYY-MM-DD"]),
    (["check", "2026-2-3"], ["YYYY-MM-DD"]),
    (["check", "tomorrow"], ["YYYY-MM-DD"]),
    (["log", "product", "retinoid", "--date", "2026-02-29"], ["YYYY-MM-DD"]),
    (["plan", "2026-13-01"], ["YYYY-MM-DD"]),
    (["history", "--from", "2026-04-31"], ["YYYY-MM-DD"]),
    (["pause", "--from", "x", "--to", "2026-12-03", "--reason", "travel"], ["YYYY-MM-DD"]),
    # future logs
    (["log", "product", "retinoid", "--date", "2026-12-02"], ["future", "2026-12-01"]),
    (["log", "session", "--date", "2027-01-01", "--minutes", "10"], ["future"]),
    (["log", "procedure", "laser", "--date", "2026-12-31"], ["future"]),
    (["log", "injectable", "filler", "--date", "2026-12-02"], ["future"]),
    (["checkin", "--date", "2026-12-02"], ["future"]),
    (["log", "reaction", "--date", "2026-12-02"], ["future"]),
    (["resolve", "--all", "--date", "2026-12-02"], ["future"]),
    # unknown words: the message lists the accepted ones
    (["log", "product", "soap"], ["soap", "retinoid", "acid-exfoliant", "scrub", "home-peel"]),
    (["log", "procedure", "botox"], ["botox", "clinic-peel", "laser"]),
    (["log", "injectable", "vitamin"], ["vitamin", "botulinum-toxin", "filler"]),
    (["checkin", "--flag", "itchy"], ["itchy", "pus", "fever"]),
    (["checkin", "--zone", "eyeball"], ["eyeball", "forehead", "cheek"]),
    (["pause", "--from", "2026-12-01", "--to", "2026-12-02", "--reason", "bored"],
     ["bored", "travel", "illness"]),
    (["exclude", "cheek", "--reason", "acne"], ["acne", "mole", "scar"]),
    (["exclude", "lips", "--reason", "mole"], ["lips", "forehead"]),
    (["include", "nose-inside"], ["nose-inside", "nose"]),
    (["routines", "list", "--technique", "needling"], ["needling", "acupressure", "gua-sha"]),
    (["routines", "list", "--concern", "wrinkles"], ["wrinkles", "puffiness"]),
    (["routines", "build", "--concern", "acne"], ["acne", "puffiness"]),
    (["profile", "set", "--pregnant", "maybe"], ["maybe", "yes", "no"]),
    (["export", "--format", "xml"], ["xml", "json", "csv"]),
    (["frobnicate"], ["frobnicate", "status", "check", "plan"]),
    (["log", "dinner"], ["dinner", "session", "product"]),
    (["routines", "delete"], ["delete", "list", "show", "validate", "build"]),
    (["status", "--bogus"], ["--bogus", "--json"]),
    (["log"], ["session", "product", "procedure", "injectable", "reaction"]),
    (["routines"], ["list", "show"]),
    (["profile"], ["show", "set"]),
    # numbers out of range
    (["checkin", "--redness", "5"], ["--redness", "0 to 4"]),
    (["checkin", "--swelling", "-1"], ["--swelling"]),
    (["checkin", "--itch", "11"], ["--itch", "0 to 10"]),
    (["checkin", "--burning", "99999999999999999999999"], ["--burning"]),
    (["log", "reaction", "--redness", "two"], ["--redness", "whole number", "0 to 4"]),
    (["checkin", "--itch", "9" * 5000], ["--itch", "out of range"]),
    (["checkin", "--itch", "٣"], ["--itch", "whole number"]),
    (["log", "session", "--minutes", "0"], ["--minutes", "1 to 180"]),
    (["log", "session", "--minutes", "181"], ["--minutes"]),
    (["log", "session", "--minutes", "ten"], ["--minutes"]),
    (["check", "2026-12-03", "--minutes", "0"], ["--minutes"]),
    (["plan", "2026-12-05", "--minutes", "500"], ["--minutes", "1 to 180"]),
    (["plan", "2026-12-05", "--minutes", "0"], ["minutes"]),
    (["routines", "build", "--minutes", "3"], ["--minutes", "5 to 180"]),
    (["profile", "set", "--spacing", "3"], ["--spacing", "7-28", "stricter"]),
    (["profile", "set", "--product-blackout", "2"], ["--product-blackout", "3-7"]),
    (["profile", "set", "--injectable-wait", "7"], ["--injectable-wait", "14-56"]),
    (["profile", "set", "--ceiling", "45"], ["--ceiling", "10-30"]),
    (["profile", "set", "--ramp-step", "10"], ["--ramp-step", "1-5"]),
    (["profile", "set", "--grace", "8"], ["--grace", "0-7"]),
    (["profile", "set", "--cadence", "5"], ["--cadence", "7-28"]),
    (["profile", "set", "--starter-count", "2"], ["--starter-count", "3-10"]),
    (["profile", "set", "--procedure-wait", "6"], ["--procedure-wait", "7-28"]),
    (["profile", "set", "--spacing", "10"], ["--cadence", "--spacing 10 --cadence 10"]),
    (["profile", "set", "--spacing", "10", "--pregnant", "yes"], ["cadence"]),
    (["profile", "set"], ["--pregnant", "--spacing"]),
    # unknown ids
    (["unplan", "nope"], ["nope"]),
    (["unpause", "nope"], ["nope"]),
    (["resolve", "nope"], ["nope"]),
    (["log", "reaction", "--session", "nope"], ["nope"]),
    (["plan", "2026-12-05", "--routine", "nope"], ["nope", "accepted"]),
    (["log", "session", "--minutes", "10", "--routine", "nope"], ["nope", "accepted"]),
    (["routines", "show", "nope"], ["nope", "accepted"]),
    (["restore", "prev-999999"], ["prev-999999"]),
    # other bad input
    (["plan", "2026-11-30"], ["past"]),
    (["pause", "--from", "2026-12-05", "--to", "2026-12-01", "--reason", "travel"],
     ["before"]),
    (["history", "--from", "2026-12-05", "--to", "2026-12-01"], ["before"]),
    (["check"], ["DATE"]),
    (["pause", "--to", "2026-12-01", "--reason", "travel"], ["--from"]),
    (["exclude", "cheek"], ["--reason"]),
    (["include", "cheek"], ["not excluded"]),
    (["exclude", "cheek", "--reason", "mole", "--until", "2026-11-01"], ["past"]),
    (["resolve"], ["--all"]),
    (["status", "extra"], ["extra"]),
    (["import", "/nonexistent/acuplan-export.json"], ["cannot read"]),
    (["log", "product", "scrub", "--note", "x" * 2001], ["note", "2000"]),
]


def _seed(acu):
    acu.ok("log", "product", "retinoid", "--date", "2026-11-01", "--note", "seed")


@pytest.mark.parametrize("args,words", BAD, ids=[" ".join(a)[:60] for a, _ in BAD])
def test_bad_input_exits_2_and_writes_nothing(acu, args, words):
    _seed(acu)
    before = acu.raw()
    names = sorted(p.name for p in acu.path.parent.iterdir())
    r = acu(*args)
    acu.bad(r, *words)
    assert r.stdout == ""
    assert acu.raw() == before
    assert sorted(p.name for p in acu.path.parent.iterdir()) == names


@pytest.mark.parametrize("args,words", BAD[:40], ids=[" ".join(a)[:60] for a, _ in BAD[:40]])
def test_bad_input_on_a_missing_journal_creates_no_file(acu, args, words):
    r = acu(*args)
    assert r.exit_code == 2
    assert acu.raw() is None


def test_bad_today_option_and_env(journal_path, monkeypatch):
    runner = CliRunner()
    r = runner.invoke(main, ["--db", str(journal_path), "--today", "2026-13-01", "status"])
    assert r.exit_code == 2
    assert r.stderr.startswith("error: ") and "YYYY-MM-DD" in r.stderr
    monkeypatch.setenv("ACUPLAN_TODAY", "2026-02-30")
    r = runner.invoke(main, ["--db", str(journal_path), "status"])
    assert r.exit_code == 2
    assert r.stderr.startswith("error: ACUPLAN_TODAY") and len(r.stderr.splitlines()) == 1
    monkeypatch.setenv("ACUPLAN_TODAY", "2026-12-01")
    monkeypatch.setenv("ACUPLAN_DB", str(journal_path))
    r = runner.invoke(main, ["log", "product", "scrub", "--json"])
    assert r.exit_code == 0
    assert journal_path.exists()


def test_a_refused_setting_leaves_the_profile_unchanged(acu):
    acu.ok("profile", "set", "--rosacea", "yes")
    before = acu.raw()
    acu.bad(acu("profile", "set", "--eczema", "yes", "--ceiling", "40"), "--ceiling")
    assert acu.raw() == before
    assert acu.ok_json("profile", "show")["profile"]["eczema"] is False


def test_help_is_not_an_error(acu):
    r = acu.ok("--help")
    assert "status" in r.stdout and "routines" in r.stdout
    r = acu.ok("checkin", "--help")
    for flag in ("pus", "lip-tongue-throat-swelling", "forehead"):
        assert flag in r.stdout  # click.Choice lists the accepted words
    r = acu.ok("log", "product", "-h")
    assert "retinoid" in r.stdout


def test_help_texts_name_the_kinds_and_zones(acu):
    from planner.domain.vocabulary import INJECTABLE_KINDS, PROCEDURE_KINDS, PRODUCT_KINDS, ZONES

    for group, kinds in (("product", PRODUCT_KINDS), ("procedure", PROCEDURE_KINDS),
                         ("injectable", INJECTABLE_KINDS)):
        text = " ".join(acu.ok("log", group, "--help").stdout.split())
        for k in kinds:
            assert k in text
    text = " ".join(acu.ok("exclude", "--help").stdout.split())
    for z in ZONES:
        assert z in text
