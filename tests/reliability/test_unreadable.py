"""Unreadable journals (issue item 5): exit 4, the file untouched, `restore` brings one back.

Over a thousand bad files are generated from a real journal: empty and blank
files, the file truncated at every byte (so at every kind of JSON boundary:
inside strings, escapes, numbers, literals, after every brace, colon and
comma) and truncated-then-zero-filled, flipped bits, trailing garbage, wrong
types at every level, invalid UTF-8, and newer schemas. An independent
checker (stdlib json + the shape rules of SPEC §6, written here, not the
store's reader) decides which candidates are really bad; every one must give
exit 4 with one `error:` line naming the file, for reads and for writes, and
stay byte-identical.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_support import dir_state, run_cli  # noqa: E402

from planner.cli.main import main  # noqa: E402
from planner.store import Journal  # noqa: E402
from planner.store.migrations import CURRENT_SCHEMA  # noqa: E402

TODAY = "2026-12-01"


# ------------------------------------------------------------ the independent oracle

def is_good(payload: bytes) -> bool:
    """Would a careful reader accept these bytes as a schema 0/1 journal?"""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if text.startswith("\ufeff"):
        text = text[1:]

    def no_constants(name):
        raise ValueError(name)

    try:
        data = json.loads(text, parse_constant=no_constants)
    except (ValueError, RecursionError):
        return False
    if not isinstance(data, dict):
        return False
    schema = 0
    if "meta" in data:
        meta = data["meta"]
        if not isinstance(meta, dict) or len(meta) != 1:
            return False
        (doc,) = meta.values()
        if not isinstance(doc, dict) or type(doc.get("schema_version")) is not int:
            return False
        schema = doc["schema_version"]
        if not 0 <= schema <= CURRENT_SCHEMA:
            return False
    for name, table in data.items():
        if name == "meta":
            continue
        if not isinstance(table, dict):
            return False
        ids = set()
        for key, doc in table.items():
            if not (key.isascii() and key.isdigit()) or not isinstance(doc, dict):
                return False
            if schema >= 1:
                rid = doc.get("id")
                if not isinstance(rid, str) or not rid or rid in ids:
                    return False
                ids.add(rid)
    return True


# ------------------------------------------------------------ the bad files

def base_journal(path: Path) -> bytes:
    j = Journal(path)
    j.insert("sessions", {"id": "s1", "date": "2026-11-20", "minutes": 10, "aborted": False,
                          "violations": [], "routine": None, "note": "café ✓ \"quoted\" \\ ok"})
    j.insert("skin", {"id": "k1", "date": "2026-11-21", "kind": "checkin", "redness": 1,
                      "swelling": 0, "itch": 2, "burning": 0, "flags": ["peeling"],
                      "zone": None, "note": "", "session_id": None, "resolved_on": None,
                      "cleared_by_clinician": False})
    j.insert("products", {"id": "p1", "date": "2026-11-10", "kind": "retinoid", "note": "x"})
    return path.read_bytes()


def _with(data: dict, change) -> bytes:
    d = json.loads(json.dumps(data))
    change(d)
    return json.dumps(d, separators=(",", ":")).encode()


def bad_candidates(base: bytes, seed: int = 5) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    data = json.loads(base)
    out: list[tuple[str, bytes]] = []
    add = lambda kind, b: out.append((kind, b))  # noqa: E731

    for b in (b"", b" ", b"\n", b"\r\n\t ", b"\x00", b"\x00" * 4096, b"\xef\xbb\xbf"):
        add("empty", b)
    for n in range(len(base)):  # every byte boundary, hence every kind of JSON boundary
        add("truncated", base[:n])
    for n in range(1, len(base), 7):  # truncated, then zero-filled to the old size
        add("zero-filled tail", base[:n] + b"\x00" * (len(base) - n))
    for _ in range(600):
        b = bytearray(base)
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        add("flipped bit", bytes(b))
    for _ in range(100):
        b = bytearray(base)
        i = rng.randrange(len(b))
        b[i:i + rng.randint(1, 16)] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        add("garbled run", bytes(b))
    for tail in (b"x", b"}", b"]", b",", b"\x00", b"{}", b"[]", b"\"", b"0", b"null",
                 b"\n{\"meta\":{}}", bytes(range(256)), b"\xff\xfe"):
        add("trailing garbage", base + tail)
    wrong = [
        lambda d: d.clear() or d.update({"x": 1}),
        lambda d: d.__setitem__("sessions", []),
        lambda d: d.__setitem__("sessions", "s1"),
        lambda d: d.__setitem__("sessions", 3),
        lambda d: d.__setitem__("sessions", None),
        lambda d: d["sessions"].__setitem__("1", ["a"]),
        lambda d: d["sessions"].__setitem__("1", "doc"),
        lambda d: d["sessions"].__setitem__("1", None),
        lambda d: d["sessions"].__setitem__("1", 7),
        lambda d: d["sessions"].__setitem__("x", {"id": "z"}),
        lambda d: d["sessions"].__setitem__("-1", {"id": "z"}),
        lambda d: d["sessions"].__setitem__("1.5", {"id": "z"}),
        lambda d: d["sessions"].__setitem__("", {"id": "z"}),
        lambda d: d["sessions"].__setitem__("٣", {"id": "z"}),
        lambda d: d["sessions"]["1"].pop("id"),
        lambda d: d["sessions"]["1"].__setitem__("id", 1),
        lambda d: d["sessions"]["1"].__setitem__("id", ""),
        lambda d: d["sessions"]["1"].__setitem__("id", None),
        lambda d: d["sessions"]["1"].__setitem__("id", ["s1"]),
        lambda d: d["sessions"].__setitem__("2", {"id": "s1"}),
        lambda d: d["meta"]["1"].pop("schema_version"),
        lambda d: d["meta"]["1"].__setitem__("schema_version", "1"),
        lambda d: d["meta"]["1"].__setitem__("schema_version", 1.0),
        lambda d: d["meta"]["1"].__setitem__("schema_version", -1),
        lambda d: d["meta"]["1"].__setitem__("schema_version", None),
        lambda d: d["meta"]["1"].__setitem__("schema_version", True),
        lambda d: d["meta"].__setitem__("2", {"schema_version": 1}),
        lambda d: d.__setitem__("meta", {}),
        lambda d: d.__setitem__("meta", [{"schema_version": 1}]),
        lambda d: d.__setitem__("meta", {"1": 1}),
    ]
    for change in wrong:
        add("wrong type", _with(data, change))
    for top in (b"[]", b"[{}]", b"\"journal\"", b"42", b"null", b"true", b"{}x", b"NaN",
                b"{\"sessions\":{\"1\":{\"id\":\"a\",\"minutes\":NaN}},"
                b"\"meta\":{\"1\":{\"schema_version\":1}}}",
                b"{\"meta\":{\"1\":{\"schema_version\":1}},\"skin\":{\"1\":{\"id\":\"a\","
                b"\"redness\":Infinity}}}"):
        add("wrong type", top)
    for seq in (b"\xff", b"\xfe", b"\xc3", b"\xe2\x82", b"\xc0\xaf", b"\xed\xa0\x80",
                b"\xf8\x88\x80\x80\x80", b"\x80", b"\xf4\x90\x80\x80"):
        for anchor in (b"2026-11-20", b"retinoid", b"checkin", b"x\""):
            i = base.index(anchor) + 2
            add("bad UTF-8", base[:i] + seq + base[i:])
    add("bad UTF-8", json.dumps(data).encode("utf-16"))
    add("bad UTF-8", json.dumps(data).encode("utf-32"))
    for v in (CURRENT_SCHEMA + 1, CURRENT_SCHEMA + 2, 99, 2 ** 31, 10 ** 30):
        add("newer schema", _with(data, lambda d, v=v: d["meta"]["1"].__setitem__(
            "schema_version", v)))
    add("newer schema", _with(data, lambda d: d.__setitem__("sessions", {})
                              or d["meta"]["1"].__setitem__("schema_version",
                                                            CURRENT_SCHEMA + 1)))
    add("deep nesting", b"[" * 100_000 + b"]" * 100_000)
    add("deep nesting", b"{\"a\":" * 50_000 + b"1" + b"}" * 50_000)
    return out


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    base = base_journal(tmp_path_factory.mktemp("base") / "journal.json")
    assert is_good(base)
    candidates = bad_candidates(base)
    bad = [(k, b) for k, b in candidates if not is_good(b)]
    return base, bad


def _one_error_line(stderr: str, path: Path) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ") and str(path) in lines[0], lines[0]
    assert "Traceback" not in stderr
    return lines[0]


def test_the_generator_makes_over_a_thousand_bad_files(cases, figures):
    base, bad = cases
    kinds = {}
    for k, _ in bad:
        kinds[k] = kinds.get(k, 0) + 1
    figures(f"unreadable journals: {len(bad)} generated bad files (" +
            ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")")
    assert len(bad) >= 1000
    assert len(kinds) == 10
    assert len({b for _, b in bad}) > 950  # not the same file many times


@pytest.mark.parametrize("write_every", [4, pytest.param(1, marks=pytest.mark.torture)])
def test_every_bad_file_gives_exit_4_and_stays_byte_identical(cases, tmp_path, write_every):
    """`status` on every bad file; a write command on every 4th (every one in the full run)."""
    _, bad = cases
    d = tmp_path / "data"
    d.mkdir()
    path = d / "journal.json"
    runner = CliRunner()
    for i, (kind, payload) in enumerate(bad):
        path.write_bytes(payload)
        before = dir_state(d)
        commands = [("status",)]
        if i % write_every == 0:
            commands.append(("log", "product", "retinoid", "--date", "2026-11-30"))
        for args in commands:
            r = runner.invoke(main, ["--db", str(path), "--today", TODAY, *args])
            where = (i, kind, payload[:60], args)
            assert r.exit_code == 4, (where, r.exit_code, r.stdout, r.stderr)
            line = _one_error_line(r.stderr, path)
            assert "cannot read journal" in line and "untouched" in line, (where, line)
            if kind == "newer schema":
                assert "newer" in line or "upgrade" in line, line
            after = dir_state(d)
            after.pop("journal.json.lock", None)
            before.pop("journal.json.lock", None)
            assert after == before, where


@pytest.mark.parametrize("sample", [10, pytest.param(None, marks=pytest.mark.torture)])
def test_bad_files_as_real_processes(cases, tmp_path, sample):
    """The same through `python -m planner` (a sample in the quick run, all in the full)."""
    _, bad = cases
    picked = bad if sample is None else random.Random(3).sample(bad, sample)
    path = tmp_path / "journal.json"
    for kind, payload in picked:
        path.write_bytes(payload)
        r = run_cli("checkin", "--date", "2026-11-30", "--redness", "1", db=path)
        assert r.returncode == 4, (kind, r.returncode, r.stderr)
        _one_error_line(r.stderr, path)
        assert path.read_bytes() == payload


def _versions_newest_first(path: Path) -> list[Path]:
    found = [p for p in path.parent.iterdir()
             if p.name.startswith(path.name + ".prev-") or p.name.startswith(path.name + ".day-")]
    return sorted(found, key=lambda p: (-p.stat().st_mtime, ".day-" in p.name, p.name),
                  reverse=False)


def test_restore_brings_back_the_newest_readable_version(cases, tmp_path):
    _, bad = cases
    runner = CliRunner()
    by_kind = {}
    for kind, payload in bad:
        by_kind.setdefault(kind, payload)
    for n, (kind, payload) in enumerate(by_kind.items()):
        d = tmp_path / f"case{n}"
        path = d / "journal.json"

        def acu(*args, path=path):
            return runner.invoke(main, ["--db", str(path), "--today", TODAY, *args])

        for day in ("2026-11-27", "2026-11-28", "2026-11-29"):
            assert acu("checkin", "--date", day, "--redness", "0").exit_code == 0
        good = path.read_bytes()
        # the crash: the journal is garbage, and so is the newest kept version
        newest = _versions_newest_first(path)[0]
        newest_bytes = newest.read_bytes()
        os.unlink(newest)  # (versions are hard links: replace, never write through)
        newest.write_bytes(b'{"sessions": [')
        os.utime(newest, None)
        path.write_bytes(payload)

        r = acu("status")
        assert r.exit_code == 4
        line = _one_error_line(r.stderr, path)
        readable = [p for p in _versions_newest_first(path) if is_good(p.read_bytes())]
        assert readable and str(readable[0]) in line, (kind, line)

        listing = acu("restore")
        assert listing.exit_code == 0, listing.stderr
        assert "UNREADABLE" in listing.stdout and readable[0].name.split(".json.")[1] in \
            listing.stdout
        label = readable[0].name.split(".json.", 1)[1]
        r = acu("restore", label)
        assert r.exit_code == 0, (r.stdout, r.stderr)
        assert path.read_bytes() == readable[0].read_bytes()
        aside = [p for p in d.iterdir() if ".unreadable-" in p.name]
        assert len(aside) == 1 and aside[0].read_bytes() == payload  # kept, never deleted
        assert acu("status").exit_code == 0
        assert good != payload and newest_bytes  # the scenario really lost something
