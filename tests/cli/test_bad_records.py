"""A journal that reads as JSON but holds a record the rules cannot use (a date that is
null, minutes that are text: a hand edit) is refused like a damaged file: exit 4, one
line naming the record, the file left as it was. Never an "internal problem"."""

from __future__ import annotations

import json

import pytest

BAD = [
    ("sessions", "date", None, "date is None"),
    ("sessions", "minutes", "ten", "minutes is 'ten'"),
    ("sessions", "date", "2026-02-30", "day is out of range"),
    ("products", "date", 20261120, "date is 20261120"),
    ("skin", "redness", "2", "redness is '2'"),
    ("skin", "flags", 7, "flags is 7, not a list"),
    ("skin", "resolved_on", 3, "resolved_on is 3, not a YYYY-MM-DD date or empty"),
]


def _journal_with(acu, table, field, value):
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "5")
    acu.ok("log", "product", "scrub", "--date", "2026-11-21")
    acu.ok("checkin", "--date", "2026-11-22")
    raw = json.loads(acu.path.read_text())
    doc = next(iter(raw[table].values()))
    doc[field] = value
    acu.path.write_text(json.dumps(raw))
    return doc["id"]


@pytest.mark.parametrize(("table", "field", "value", "words"), BAD)
@pytest.mark.parametrize("command", [("status",), ("check", "2026-12-03"), ("history",),
                                     ("log", "session", "--minutes", "5")])
def test_a_record_the_rules_cannot_use_is_exit_4_and_nothing_is_written(
        acu, table, field, value, words, command):
    rid = _journal_with(acu, table, field, value)
    before = acu.path.read_bytes()
    r = acu(*command)
    assert r.exit_code == 4, (r.stdout, r.stderr)
    acu.no_traceback(r)
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: cannot use journal")
    assert rid in r.stderr and words in r.stderr and "internal problem" not in r.stderr
    assert acu.path.read_bytes() == before
