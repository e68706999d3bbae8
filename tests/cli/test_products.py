"""Products by name (issue 11): kept in the profile, logged by name, the kind drives the
rules, the history shows the name."""

from __future__ import annotations

NAME = "Retinol 0.5% [night]"


def test_a_kept_product_is_logged_by_name_and_its_kind_blocks_sessions(acu):
    acu.ok("products", "add", NAME, "--kind", "retinoid", "--brand", "Acme")
    assert acu.ok_json("products", "list") == [
        {"name": NAME, "kind": "retinoid", "brand": "Acme"}]
    doc = acu.ok_json("log", "product", "--product", "  retinol 0.5%  [NIGHT] ")
    assert doc["id"]
    (use,) = [i for i in acu.ok_json("history") if i["type"] == "product"]
    assert (use["name"], use["kind"]) == (NAME, "retinoid")  # the kept spelling
    assert f"{NAME} (retinoid)" in acu.ok("history").stdout
    r = acu("check", "2026-12-02", "--json")
    assert r.exit_code == 3 and [x["rule"] for x in r.json()["reasons"]] == ["product-blackout"]


def test_a_kind_that_differs_from_the_kept_one_is_refused(acu):
    acu.ok("products", "add", NAME, "--kind", "retinoid")
    before = acu.raw()
    acu.bad(acu("log", "product", "scrub", "--product", NAME), "retinoid", "scrub")
    assert acu.raw() == before


def test_an_unknown_name_needs_a_kind_and_keep_keeps_it(acu):
    acu.bad(acu("log", "product", "--product", "Glycolic toner"), "kind", "retinoid")
    assert acu.raw() is None
    acu.ok("log", "product", "acid-exfoliant", "--product", "Glycolic toner", "--keep")
    assert [p["name"] for p in acu.ok_json("products", "list")] == ["Glycolic toner"]
    acu.ok("log", "product", "--product", "glycolic toner")  # by name from now on
    acu.bad(acu("log", "product", "--keep"), "--product")
    acu.bad(acu("log", "product"), "kind")


def test_names_are_unique_and_removing_keeps_the_history(acu):
    acu.ok("products", "add", NAME, "--kind", "retinoid")
    acu.bad(acu("products", "add", NAME.upper(), "--kind", "scrub"), "already")
    acu.ok("log", "product", "--product", NAME)
    acu.ok("products", "remove", NAME.lower())
    assert acu.ok_json("products", "list") == []
    assert any(i.get("name") == NAME for i in acu.ok_json("history"))
    acu.bad(acu("products", "remove", NAME), "no product")
    acu.bad(acu("products", "add", "x" * 81, "--kind", "scrub"), "80")
    acu.bad(acu("products", "add", "   ", "--kind", "scrub"), "1 to 80")


def test_a_product_name_reaches_the_terminal_escaped(acu):
    acu.ok("log", "product", "scrub", "--product", "Scrub \x1b]52;c;aGk=\x07")
    out = acu.ok("history").stdout
    assert "\x1b" not in out and "\x07" not in out and "Scrub" in out
