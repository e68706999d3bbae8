"""Real processes: `python -m planner`, no Textual for `status`, quiet pipes and failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACUPLAN_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def _run(args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          encoding="utf-8", env=kw.pop("env", None) or _env(), cwd=ROOT,
                          timeout=60, **kw)


def test_python_m_planner_status_json(journal_path):
    r = _run(["-m", "planner", "--db", str(journal_path), "--today", "2026-12-01", "status",
              "--json"])
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert set(doc) == {"today", "allowed", "max_minutes", "reasons", "earliest", "next_plan",
                        "streak", "advice"}
    assert r.stderr == ""


def test_exit_codes_in_a_real_process(journal_path):
    base = ["-m", "planner", "--db", str(journal_path), "--today", "2026-12-01"]
    assert _run([*base, "log", "product", "retinoid"]).returncode == 0
    r = _run([*base, "check", "2026-12-02"])
    assert r.returncode == 3 and "product-blackout" in r.stdout
    r = _run([*base, "check", "2026-02-30"])
    assert r.returncode == 2 and r.stderr.startswith("error: ") and r.stderr.count("\n") == 1
    journal_path.write_bytes(b"junk")
    r = _run([*base, "status"])
    assert r.returncode == 4 and str(journal_path) in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("args", [["status"], ["status", "--json"], ["check", "2026-12-03"],
                                  ["history", "--json"], ["plans"], ["next"], ["streak"]])
def test_reading_commands_never_import_textual(journal_path, args):
    code = (
        "import sys\n"
        "from planner.cli.main import main\n"
        f"args = ['--db', {str(journal_path)!r}, '--today', '2026-12-01', *{args!r}]\n"
        "try:\n"
        "    main(args, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "heavy = ('tomllib', 'csv', 'planner.library', 'planner.app', 'planner.cli.routines',\n"
        "         'planner.cli.profile', 'planner.cli.data')\n"
        "heavy = sorted(m for m in heavy if m in sys.modules)\n"
        "assert not heavy, heavy\n"
        "print('clean')\n"
    )
    r = _run(["-c", code])
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("clean")


@pytest.mark.parametrize("command,entry", [("status", "planner.cli.fast"),
                                           ("streak", "planner.cli.main")])
def test_status_importtime_has_no_textual(journal_path, command, entry):
    r = _run(["-X", "importtime", "-m", "planner", "--db", str(journal_path), "--today",
              "2026-12-01", command])
    assert r.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines()
                if line.startswith("import time:")]
    assert entry in imported  # the run really went through that entry point
    assert not [m for m in imported if m.split(".")[0] == "textual"]


def test_a_closed_pipe_is_quiet(acu):
    for i in range(60):  # ~120 kB of history: more than a pipe buffer holds
        acu.ok("log", "product", "scrub", "--date", f"2026-10-{i % 28 + 1:02d}",
               "--note", "x" * 1990)
    base = [sys.executable, "-m", "planner", "--db", str(acu.path), "--today", "2026-12-01"]
    p = subprocess.Popen([*base, "history"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=_env())
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(timeout=60)
    p.stderr.close()
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert err == ""
    assert p.returncode == 141


def test_output_survives_an_ascii_terminal(journal_path):
    base = ["-m", "planner", "--db", str(journal_path), "--today", "2026-12-01"]
    env = _env(PYTHONIOENCODING="ascii")
    r = subprocess.run([sys.executable, *base, "log", "product", "scrub", "--note", "ok 😀"],
                       capture_output=True, env=env, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, *base, "history"], capture_output=True, env=env,
                       cwd=ROOT, timeout=60)
    assert r.returncode == 0 and b"Traceback" not in r.stderr
    assert b"ok \\U0001f600" in r.stdout
    r = subprocess.run([sys.executable, *base, "status"], capture_output=True, env=env,
                       cwd=ROOT, timeout=60)
    assert r.returncode == 0 and b"Traceback" not in r.stderr


def test_undecodable_argument_bytes_are_bad_input(journal_path):
    base = [sys.executable.encode(), b"-m", b"planner", b"--db", str(journal_path).encode(),
            b"--today", b"2026-12-01"]
    r = subprocess.run([*base, b"log", b"product", b"scrub", b"--note", b"caf\xe9"],
                       capture_output=True, env=_env(LC_ALL="C.UTF-8"), cwd=ROOT, timeout=60)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(b"error: ") and b"Traceback" not in r.stderr
    assert not journal_path.exists()


# ------------------------------------------------------------------ the click-free status path

def _fast(args) -> subprocess.CompletedProcess:
    code = ("import sys\nfrom planner.cli.fast import run\n"
            f"try:\n    run({args!r})\nexcept SystemExit as e:\n    code = e.code\n"
            "sys.stderr.write('CLICK=%s\\n' % ('click' in sys.modules))\n"
            "sys.exit(code)\n")
    return _run(["-c", code])


def test_fast_status_matches_the_full_cli_without_click(acu):
    acu.ok("log", "product", "retinoid", "--note", "Retinol [0.5%] 🧴")
    acu.ok("plan", "2026-12-09")
    for extra in ([], ["--json"]):
        args = ["--db", str(acu.path), "--today", "2026-12-01", "status", *extra]
        r = _fast(args)
        assert r.returncode == 0
        assert r.stdout == acu.ok("status", *extra).stdout
        assert r.stderr.strip() == "CLICK=False"


def test_fast_status_hands_everything_else_to_the_full_cli(acu):
    acu.ok("log", "product", "scrub")
    db = str(acu.path)
    r = _fast(["--db", db, "--today", "2026-02-30", "status"])
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "CLICK=True" in r.stderr
    r = _fast(["--db", db, "--today", "2026-12-01", "check", "2026-12-02"])
    assert r.returncode == 3 and "product-blackout" in r.stdout
    r = _fast([f"--db={db}", "--today=2026-12-01", "status"])
    assert r.returncode == 0 and "CLICK=False" in r.stderr
    acu.path.write_bytes(b"junk")
    r = _fast(["--db", db, "--today", "2026-12-01", "status"])
    assert r.returncode == 4 and str(acu.path) in r.stderr and "CLICK=False" in r.stderr
    assert acu.path.read_bytes() == b"junk"


# ------------------------------------------------------------------ the status cache

def _cache(path) -> Path:
    return Path(str(path) + ".status-cache")


def test_status_cache_answers_like_a_fresh_computation(acu):
    acu.ok("log", "product", "retinoid")
    args = ["--db", str(acu.path), "--today", "2026-12-01", "status"]
    first = _fast(args)
    assert _cache(acu.path).exists() and _cache(acu.path).stat().st_mode & 0o777 == 0o600
    again = _fast(args)
    assert again.stdout == first.stdout == acu.ok("status").stdout
    assert _fast([*args, "--json"]).stdout == acu.ok("status", "--json").stdout


def test_status_cache_misses_after_any_write_or_on_a_new_day(acu):
    args = ["--db", str(acu.path), "--today", "2026-12-01", "status"]
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "5")
    assert "today OK" in _fast(args).stdout
    acu.ok("log", "product", "scrub")  # written after the answer was cached
    assert "product-blackout" in _fast(args).stdout
    later = ["--db", str(acu.path), "--today", "2026-12-06", "status"]
    assert _fast(later).stdout == acu.ok("status", today="2026-12-06").stdout


def test_a_damaged_cache_is_ignored_and_a_damaged_journal_still_exits_4(acu):
    acu.ok("log", "product", "scrub")
    args = ["--db", str(acu.path), "--today", "2026-12-01", "status"]
    _fast(args)
    _cache(acu.path).write_text("{not json")
    assert _fast(args).stdout == acu.ok("status").stdout
    acu.path.write_bytes(b"junk")
    r = _fast(args)
    assert r.returncode == 4 and str(acu.path) in r.stderr


def _marked(path, day: str) -> None:
    """Replace the stored answer for `day` by a mark, keeping its key: if status prints
    the mark, it answered from the cache."""
    doc = json.loads(_cache(path).read_text())
    doc["days"][day]["line"] = f"MARK {day}"
    _cache(path).write_text(json.dumps(doc))


def test_a_write_leaves_the_answers_the_next_prompt_uses(acu):
    acu.ok("log", "session", "--date", "2026-11-20", "--minutes", "5")
    acu.ok("log", "product", "scrub")  # the write: the cache now describes the new journal
    doc = json.loads(_cache(acu.path).read_text())
    assert set(doc["days"]) == {"2026-12-01", "2026-12-02"}
    for day in doc["days"]:
        assert doc["days"][day]["line"] + "\n" == acu.ok("status", today=day).stdout
        assert doc["days"][day]["json"] + "\n" == acu.ok("status", "--json", today=day).stdout
    assert "product-blackout" in doc["days"]["2026-12-02"]["line"]
    _marked(acu.path, "2026-12-01")
    r = _fast(["--db", str(acu.path), "--today", "2026-12-01", "status"])
    assert r.stdout == "MARK 2026-12-01\n" and "CLICK=False" in r.stderr


def test_status_also_answers_the_next_day_from_what_it_worked_out(acu):
    acu.ok("log", "product", "scrub")
    _cache(acu.path).unlink()  # as if the journal had been written by something else
    args = ["--db", str(acu.path), "--today", "2026-12-01", "status"]
    assert _fast(args).stdout == acu.ok("status").stdout  # computed, then stored
    _marked(acu.path, "2026-12-02")
    tomorrow = ["--db", str(acu.path), "--today", "2026-12-02", "status"]
    assert _fast(tomorrow).stdout == "MARK 2026-12-02\n"
    later = ["--db", str(acu.path), "--today", "2026-12-03", "status"]  # not stored: computed
    assert _fast(later).stdout == acu.ok("status", today="2026-12-03").stdout


def test_a_cache_that_cannot_be_written_never_fails_a_command(acu):
    _cache(acu.path).mkdir(parents=True)  # a directory where the cache file would go
    r = acu.ok("log", "product", "scrub")
    assert "logged product scrub" in r.stdout and _cache(acu.path).is_dir()
    args = ["--db", str(acu.path), "--today", "2026-12-01", "status"]
    r = _fast(args)
    assert r.returncode == 0 and r.stdout == acu.ok("status").stdout


def test_read_only_commands_leave_no_cache(acu):
    acu.ok("log", "product", "scrub")
    _cache(acu.path).unlink()
    acu.ok("check", "2026-12-09")
    acu.ok("history")
    assert not _cache(acu.path).exists()
