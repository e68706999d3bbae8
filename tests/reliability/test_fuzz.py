"""Fuzzing (issue item 6): arbitrary arguments and routine files never give a traceback.

Command lines are drawn from the real commands and options mixed with
arbitrary text (including lone surrogates, as an undecodable terminal byte
arrives), run in process against a copy of a real journal. Routine TOML files
are drawn as mutated routine documents (every field with wrong types and
values) and as byte-level damage to the shipped files. Pass: no traceback
ever; a refusal of input is exit 2 with exactly one `error:` line; nothing
else than 0/2/3 (and 4 for a `restore` of a file that is not a journal).
"""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_support import ROOT, generator  # noqa: E402

from planner.cli.main import main  # noqa: E402
from planner.domain.vocabulary import (  # noqa: E402
    ACTIONS,
    CONCERNS,
    FLAGS,
    FORBIDDEN_ZONES,
    PRESSURES,
    PRODUCT_KINDS,
    SIDES,
    TECHNIQUES,
    ZONES,
)

_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
QUICK = settings(suppress_health_check=_CHECKS)  # as many examples as the profile asks
FULL_RUN = settings(max_examples=3000, suppress_health_check=_CHECKS)  # make torture

COMMANDS = [
    "status", "check", "next", "plan", "plans", "unplan", "log", "checkin", "resolve",
    "pause", "unpause", "streak", "history", "routines", "profile", "exclude", "include",
    "export", "restore", "products", "insights", "calendar", "report",
    "help", "session", "product", "procedure", "injectable",
    "reaction", "list", "show", "validate", "build", "set",
]
OPTIONS = [
    "--json", "--date", "--minutes", "--routine", "--aborted", "--note", "--session",
    "--redness", "--swelling", "--itch", "--burning", "--flag", "--zone", "--all",
    "--cleared-by-clinician", "--from", "--to", "--reason", "--until", "--technique",
    "--concern", "--format", "-o", "--help", "--pregnant", "--spacing", "--cadence",
    "--grace", "--ceiling", "--today", "--version", "-", "--", "--minutes=", "--date=",
    "--next", "--preferred-days", "--preferred-time", "--skip-zone", "--unwell",
    "--product", "--keep", "--kind", "--brand", "--alarm", "--paper",
]
WORDS = [*PRODUCT_KINDS, *FLAGS[:6], *ZONES[:4], *FORBIDDEN_ZONES[:2], *TECHNIQUES,
         *CONCERNS[:3], "yes", "no", "csv", "json", "all", "needle", "prev-000001",
         "2026-12-01", "2026-11-30", "2026-12-09", "2027-02-29", "2026-13-01", "9999-12-31",
         "0", "5", "10", "30", "181", "-3", "1e9", "9" * 40, "NaN", "inf", "٣"]

token = st.one_of(
    st.sampled_from(COMMANDS), st.sampled_from(OPTIONS), st.sampled_from(WORDS),
    st.text(max_size=20),
    st.text(st.characters(categories=["Cs", "Cc", "So", "Zs"]), max_size=6),
)


@pytest.fixture(scope="module")
def journal_template(tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzzdb") / "data"
    generator().make_journal(d / "journal.json", 1)
    return d


def _check_outcome(r, args) -> None:
    assert r.exception is None or isinstance(r.exception, SystemExit), (args, repr(r.exception))
    assert "Traceback" not in r.stdout + r.stderr, (args, r.stderr)
    assert r.exit_code in (0, 2, 3, 4), (args, r.exit_code, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    if r.exit_code == 2:
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, r.stderr)
    if r.exit_code == 4:  # only a `restore` of some file that is not a journal
        assert "restore" in args, (args, r.stderr)
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, r.stderr)


TOP_LEVEL = COMMANDS[:COMMANDS.index("help")]  # the words that start a command line
command_lines = {"cmd": st.sampled_from(TOP_LEVEL), "rest": st.lists(token, max_size=8)}


@QUICK
@given(**command_lines)
def test_arbitrary_command_lines(journal_template, tmp_path_factory, cmd, rest):
    run_command_line(journal_template, tmp_path_factory, cmd, rest)


@pytest.mark.torture
@FULL_RUN
@given(**command_lines)
def test_arbitrary_command_lines_full(journal_template, tmp_path_factory, cmd, rest):
    run_command_line(journal_template, tmp_path_factory, cmd, rest)


def run_command_line(journal_template, tmp_path_factory, cmd, rest):
    d = tmp_path_factory.mktemp("run") / "data"
    shutil.copytree(journal_template, d)
    args = [cmd, *rest]
    # outputs stay inside the sandbox; `tui` would start the app, so it is never drawn
    args = [str(d / "out.x") if (i and args[i - 1] == "-o") else a for i, a in enumerate(args)]
    r = CliRunner().invoke(main, ["--db", str(d / "journal.json"), "--today", "2026-12-01",
                                  *args])
    _check_outcome(r, args)


# ------------------------------------------------------------------ routine files

def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}"
                             if ord(c) < 0x10000 and not 0xD800 <= ord(c) <= 0xDFFF else "?"
                             for c in v) + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f'"{k}" = {_toml_value(x)}' for k, x in v.items()) + "}"
    return '"?"'


def to_toml(doc: dict) -> str:
    lines = [f'"{k}" = {_toml_value(v)}' for k, v in doc.items() if k != "steps"]
    steps = doc.get("steps")
    if isinstance(steps, list) and all(isinstance(s, dict) for s in steps):
        for s in steps:
            lines.append("\n[[steps]]")
            lines.extend(f'"{k}" = {_toml_value(v)}' for k, v in s.items())
    elif "steps" in doc:
        lines.append(f"steps = {_toml_value(steps)}")
    return "\n".join(lines) + "\n"


scalar = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.booleans(),
                   st.text(max_size=30), st.sampled_from(["needle", "press needle", "eyelid",
                                                          "ST1", "BL1", "LI4", "microneedling"]))
anything = st.recursive(scalar, lambda c: st.lists(c, max_size=3)
                        | st.dictionaries(st.text(max_size=8), c, max_size=3), max_leaves=6)


def maybe(values, *, other=anything):
    return st.one_of(st.sampled_from(values), other)


step_st = st.fixed_dictionaries(
    {"technique": maybe(TECHNIQUES + ("acupuncture", "dermal roller")),
     "side": maybe(SIDES), "action": maybe(ACTIONS), "pressure": maybe(PRESSURES),
     "seconds": st.one_of(st.integers(-5, 400), anything),
     "how": st.text(max_size=40)},
    optional={"zone": maybe(ZONES + FORBIDDEN_ZONES), "point": maybe(("ST6", "LI4", "ST1",
                                                                      "GB20", "XX9")),
              "direction": st.text(max_size=20), "repetitions": st.integers(-2, 50),
              "extra": anything})
routine_st = st.fixed_dictionaries(
    {"id": st.one_of(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True), anything),
     "name": st.one_of(st.text(max_size=30), anything),
     "techniques": st.one_of(st.lists(maybe(TECHNIQUES), max_size=3), anything),
     "concerns": st.one_of(st.lists(maybe(CONCERNS), max_size=3), anything),
     "steps": st.one_of(st.lists(step_st, max_size=6), anything)},
    optional={"summary": st.text(max_size=40), "starter": anything, "minutes": anything})

SHIPPED = sorted(p for p in (ROOT / "routines").glob("*.toml") if p.name != "points.toml")


@st.composite
def damaged_file(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SHIPPED)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["cut", "insert", "flip", "delete"]))
        if how == "cut":
            del data[i:]
        elif how == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif how == "flip" and i < len(data):
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif i < len(data):
            del data[i:i + draw(st.integers(1, 30))]
    return bytes(data)


routine_file = st.one_of(routine_st.map(lambda d: to_toml(d).encode("utf-8", "replace")),
                         damaged_file(), st.binary(max_size=200))


@QUICK
@given(payload=routine_file)
def test_arbitrary_routine_files(tmp_path_factory, payload):
    run_routine_file(tmp_path_factory, payload)


@pytest.mark.torture
@FULL_RUN
@given(payload=routine_file)
def test_arbitrary_routine_files_full(tmp_path_factory, payload):
    run_routine_file(tmp_path_factory, payload)


def run_routine_file(tmp_path_factory, payload):
    d = tmp_path_factory.mktemp("lib") / "data"
    (d / "routines").mkdir(parents=True)
    f = d / "routines" / "fuzzed.toml"
    f.write_bytes(payload)
    runner = CliRunner()
    base = ["--db", str(d / "journal.json"), "--today", "2026-12-01"]
    r = runner.invoke(main, [*base, "routines", "validate", str(f)])
    _check_outcome(r, ["routines", "validate"])
    assert r.exit_code in (0, 2), r.stderr
    # the same file as a user routine: the library still loads and lists the rest
    for args in (["routines", "list"], ["routines", "build", "--minutes", "10"],
                 ["routines", "show", "fuzzed"]):
        r = runner.invoke(main, [*base, *args])
        _check_outcome(r, args)
        if args[1] != "show":
            assert r.exit_code == 0, (args, r.stderr)


# ------------------------------------------------------------------ import files

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10), st.integers(-2 ** 70, 2 ** 70),
    st.floats(allow_nan=False), st.text(max_size=12),
    st.sampled_from(["2026-11-20", "2026-W47-5", "20261120", "0001-01-01", "9999-12-31",
                     "1899-12-31", "2200-01-01", "2026-02-30", "", "pus", "retinoid",
                     "completed", "partial", "aborted", "\x1b]52;c;aGk=\x07", "\u202e"]),
    st.lists(st.sampled_from([*FLAGS, "Pus", 3, None]), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def import_file(draw, export: dict) -> bytes:
    """A real export with a few records or settings changed to odd values, fields dropped
    or added, records duplicated; or the bytes of it damaged."""
    doc = __import__("copy").deepcopy(export)
    tables = doc["tables"]
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(tables)))
        if not tables[name]:
            continue
        rec = tables[name][draw(st.integers(0, len(tables[name]) - 1))]
        what = draw(st.sampled_from(["set", "set", "drop", "add", "dup"]))
        field = draw(st.sampled_from(sorted(rec)))
        if what == "set":
            rec[field] = draw(ODD_VALUES)
        elif what == "drop" and field != "id":
            del rec[field]
        elif what == "add":
            rec[draw(st.text(min_size=1, max_size=6))] = draw(ODD_VALUES)
        elif what == "dup":
            tables[name].append(dict(rec))
    data = __import__("json").dumps(doc).encode()
    if draw(st.booleans()) and draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=4)) + data[cut + 1:]
    return data


@pytest.fixture(scope="module")
def export_doc(journal_template):
    import json

    r = CliRunner().invoke(main, ["--db", str(journal_template / "journal.json"),
                                  "--today", "2026-12-01", "export"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def run_import_file(tmp_path_factory, payload):
    d = tmp_path_factory.mktemp("imp")
    f = d / "export.json"
    f.write_bytes(payload)
    runner = CliRunner()
    base = ["--db", str(d / "journal.json"), "--today", "2026-12-01"]
    r = runner.invoke(main, [*base, "import", str(f)])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.stdout + r.stderr and r.exit_code in (0, 2), (r.exit_code,
                                                                             r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    if r.exit_code == 2:
        assert lines[0].startswith("error: ") and all(ln.startswith("  ") for ln in lines[1:])
        assert not (d / "journal.json").exists()
        return
    # whatever import accepts, every command can use: no exit 1, no exit 4
    for args in (["status"], ["check", "2026-12-20"], ["streak"], ["history"], ["plans"],
                 ["next"], ["export", "--format", "csv"]):
        r = runner.invoke(main, [*base, *args])
        _check_outcome(r, args)
        assert r.exit_code in (0, 3), (args, r.exit_code, r.stderr)


@QUICK
@given(data=st.data())
def test_arbitrary_import_files(tmp_path_factory, export_doc, data):
    run_import_file(tmp_path_factory, data.draw(import_file(export_doc)))


@pytest.mark.torture
@FULL_RUN
@given(data=st.data())
def test_arbitrary_import_files_full(tmp_path_factory, export_doc, data):
    run_import_file(tmp_path_factory, data.draw(import_file(export_doc)))


# ------------------------------------------------------------------ hand-edited journals

def run_hand_edited(tmp_path_factory, payload):
    """The same odd documents written as the journal itself (a hand edit): every command
    answers, or refuses the file (exit 4, byte-identical); never an internal problem."""
    import json

    d = tmp_path_factory.mktemp("hand")
    try:
        doc = json.loads(payload)
        tables = doc["tables"]
        raw = {name: {str(i): rec for i, rec in enumerate(docs, 1)}
               for name, docs in tables.items() if isinstance(docs, list)}
        raw["meta"] = {"1": {"schema_version": doc["schema_version"]}}
        payload = json.dumps(raw).encode()
    except (ValueError, KeyError, TypeError, AttributeError):
        pass  # damaged bytes: written as they are
    path = d / "journal.json"
    path.write_bytes(payload)
    runner = CliRunner()
    base = ["--db", str(path), "--today", "2026-12-01"]
    for args in (["status"], ["status", "--json"], ["check", "2026-12-20"], ["streak"],
                 ["history"], ["history", "--json"], ["plans", "--all"], ["next"],
                 ["export", "--format", "csv"], ["log", "product", "scrub"],
                 ["checkin", "--redness", "1"]):
        before = path.read_bytes()
        r = runner.invoke(main, [*base, *args])
        assert r.exception is None or isinstance(r.exception, SystemExit), (args,
                                                                             repr(r.exception))
        assert "Traceback" not in r.stdout + r.stderr, (args, r.stderr)
        assert r.exit_code in (0, 3, 4), (args, r.exit_code, r.stderr)
        if r.exit_code == 4:
            assert path.read_bytes() == before


@QUICK
@given(data=st.data())
def test_arbitrary_hand_edited_journals(tmp_path_factory, export_doc, data):
    run_hand_edited(tmp_path_factory, data.draw(import_file(export_doc)))


@pytest.mark.torture
@FULL_RUN
@given(data=st.data())
def test_arbitrary_hand_edited_journals_full(tmp_path_factory, export_doc, data):
    run_hand_edited(tmp_path_factory, data.draw(import_file(export_doc)))
