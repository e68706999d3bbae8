"""The status cache: keyed by the journal's content and a version of the code, the app's
first frame decoded from the very view the prompt's answers came from, and what a
writer killed mid-write leaves behind.

`status_cache_answers.json` beside this file holds answers stored by the code of the
current `status_cache.VERSION` for a generated journal (regenerate it with
`python tests/unit/test_status_cache.py`). A change that makes the code give other
answers for that journal, a rule or a printed form or the view's fields, fails
`test_answers_stored_under_this_version_are_still_given` until VERSION is bumped and
the file regenerated: otherwise every prompt would go on printing what older code
stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import msgspec

from planner.service import status
from planner.service.planner import Planner
from planner.store import Journal, status_cache

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ANSWERS = HERE / "status_cache_answers.json"
sys.path.insert(0, str(ROOT / "tests" / "reliability"))
from reliability_support import child_env, generator  # noqa: E402

TODAY = date(2026, 12, 1)


def _journal(path: Path, years: float = 0.25, seed: int = 21) -> Journal:
    journal = Journal(path, clock=lambda: TODAY)
    journal.replace_all(generator().make_tables(years, seed=seed, today=TODAY))
    return journal


def _stored_doc(path: Path) -> dict:
    return json.loads(Path(status_cache.cache_path(str(path))).read_bytes())


# ------------------------------------------------------------------ the version


def _answers(path: Path, days: list[str]) -> dict:
    """What the cache would hold for each day, as JSON data."""
    base = Planner(Journal(path), TODAY)
    return {day: msgspec.json.decode(msgspec.json.encode(
        status.answers(base.on(date.fromisoformat(day))))) for day in days}


def regenerate() -> None:
    """Write status_cache_answers.json: a journal, and the answers this code gives."""
    import tempfile

    days = [(TODAY - timedelta(days=38) + timedelta(days=6 * n)).isoformat()
            for n in range(16)]  # allowed and blocked, with and without a plan ahead
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "journal.json"
        _journal(path)
        doc = {"version": status_cache.VERSION, "journal": json.loads(path.read_bytes()),
               "answers": _answers(path, days)}
    ANSWERS.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def test_answers_stored_under_this_version_are_still_given(tmp_path):
    stored = json.loads(ANSWERS.read_text(encoding="utf-8"))
    assert stored["version"] == status_cache.VERSION, (
        "status_cache.VERSION changed: regenerate the answers it stores "
        "(python tests/unit/test_status_cache.py)")
    path = tmp_path / "journal.json"
    path.write_text(json.dumps(stored["journal"]), encoding="utf-8")
    fresh = _answers(path, list(stored["answers"]))
    for day, answers in stored["answers"].items():
        assert fresh[day] == answers, (
            f"the code no longer gives the answers VERSION {status_cache.VERSION} stored "
            f"(for {day}): bump status_cache.VERSION, then regenerate "
            "(python tests/unit/test_status_cache.py)")


def test_the_stored_answers_cover_what_the_prompt_and_the_app_meet():
    """The journal behind the stored answers is not a trivial one."""
    stored = json.loads(ANSWERS.read_text(encoding="utf-8"))["answers"]
    views = [a["days"][day]["view"] for day, a in stored.items()]
    assert {v["verdict"]["allowed"] for v in views} == {True, False}
    assert {v["next_plan"] is None for v in views} == {True, False}
    assert any(v["missed_plans"] for v in views) and any(v["advice"] for v in views)
    assert any(v["verdict"]["reasons"] for v in views)


# ------------------------------------------------------------------ the key


def test_the_key_is_the_version_and_a_blake2b_of_the_bytes(tmp_path):
    path = tmp_path / "journal.json"
    _journal(path)
    digest = hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()
    key, signature = status_cache.journal_key(str(path))
    assert key == f"{status_cache.VERSION}-{digest}"
    st = path.stat()
    assert signature == (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    assert status_cache.key_of(str(tmp_path / "missing.json")) is None


def test_other_bytes_with_the_same_size_and_mtime_are_another_journal(tmp_path):
    """What a stat key could not tell apart: an edit in place that keeps the size, with
    the mtime set back (a restore tool, a coarse clock)."""
    path = tmp_path / "journal.json"
    journal = _journal(path)
    planner = Planner(journal, TODAY)
    status.keep(planner)
    key = status_cache.key_of(str(path))
    assert status_cache.lookup(str(path), key, TODAY.isoformat(), False) is not None
    st = path.stat()
    data = path.read_bytes()
    i = data.index(b'"redness":') + len(b'"redness":')
    changed = data[:i] + (b"1" if data[i:i + 1] != b"1" else b"2") + data[i + 1:]
    with open(path, "r+b") as f:
        f.write(changed)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    new_key = status_cache.key_of(str(path))
    assert new_key != key
    assert status_cache.lookup(str(path), new_key, TODAY.isoformat(), False) is None


def test_the_same_bytes_written_again_keep_their_answers(tmp_path):
    """A copy of the journal put back (new inode, new mtime) is the same journal."""
    path = tmp_path / "journal.json"
    _journal(path)
    status.keep(Planner(Journal(path), TODAY))
    line = status_cache.lookup(str(path), status_cache.key_of(str(path)), TODAY.isoformat(),
                               False)
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)
    assert status_cache.lookup(str(path), status_cache.key_of(str(path)), TODAY.isoformat(),
                               False) == line


def test_answers_are_kept_only_for_the_content_their_records_came_from(tmp_path):
    path = tmp_path / "journal.json"
    journal = _journal(path)
    planner = Planner(journal, TODAY)
    view = planner.today_view()  # records of the file as it was
    Journal(path, clock=lambda: TODAY).insert("products", {"date": "2026-11-30",
                                                           "kind": "retinoid"})
    status.keep(planner, view)
    assert not Path(status_cache.cache_path(str(path))).exists()


def test_a_stored_answer_is_printed_loading_only_the_cache(tmp_path):
    """The prompt's usual case costs the interpreter, the journal's hash and one small
    JSON file: nothing of the records (TinyDB, msgspec, datetime, the service)."""
    path = tmp_path / "journal.json"
    _journal(path)
    status.keep(Planner(Journal(path), TODAY))
    code = (
        "import sys\n"
        "from planner.cli.fast import run\n"
        "try:\n"
        f"    run(['--db', {str(path)!r}, '--today', {TODAY.isoformat()!r}, 'status'])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "heavy = ('datetime', 'hashlib', 'tinydb', 'msgspec', 'click')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
        "                or m.startswith('planner.') and m not in\n"
        "                ('planner.cli', 'planner.cli.fast', 'planner.store',\n"
        "                 'planner.store.status_cache'))\n"
        "print('loaded:', loaded, file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=child_env(), cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("acuplan: ")
    assert r.stderr.strip().endswith("loaded: []"), r.stderr


def test_the_prompt_reads_the_environment_names_the_service_reads():
    from planner.cli import fast
    from planner.service import context

    assert (fast.DB_ENV, fast.TODAY_ENV) == (context.DB_ENV, context.TODAY_ENV)


def test_the_blake2b_is_hashlibs():
    assert status_cache._blake2b() is hashlib.blake2b


# ------------------------------------------------------------------ the app's first frame


def test_the_first_frame_is_decoded_from_the_stored_view(tmp_path):
    """Through the file, typed: every day's stored view is the view worked out fresh."""
    path = tmp_path / "journal.json"
    _journal(path, years=2)
    base = Planner(Journal(path), date(2026, 11, 1))
    seen = set()
    for n in range(0, 60, 3):
        planner = base.on(date(2026, 11, 1) + timedelta(days=n))
        view = planner.today_view()
        Path(status_cache.cache_path(str(path))).unlink(missing_ok=True)
        status.keep(planner, view)
        got = status.stored_start(str(path), planner.today)
        assert got is not None
        records = planner.state()
        assert got == (view, records.profile, records.settings)
        tomorrow = planner.today + timedelta(days=1)
        assert status.stored_start(str(path), tomorrow)[0] == base.on(tomorrow).today_view()
        seen.add((view.verdict.allowed, view.next_plan is None, view.earliest_cap is None))
    assert len(seen) >= 3  # allowed and blocked days, with and without a plan ahead


def test_a_stored_view_that_does_not_decode_is_not_used(tmp_path):
    path = tmp_path / "journal.json"
    _journal(path)
    status.keep(Planner(Journal(path), TODAY))
    doc = _stored_doc(path)
    doc["days"][TODAY.isoformat()]["view"]["verdict"]["max_minutes"] = "ten"
    Path(status_cache.cache_path(str(path))).write_text(json.dumps(doc))
    assert status.stored_start(str(path), TODAY) is None
    doc["days"][TODAY.isoformat()]["view"]["verdict"]["max_minutes"] = 10
    doc["key"] = "0-" + doc["key"].partition("-")[2]  # stored by another version
    Path(status_cache.cache_path(str(path))).write_text(json.dumps(doc))
    assert status.stored_start(str(path), TODAY) is None


# ------------------------------------------------------------------ killed writers


KILLED_WRITING_THE_CACHE = """
import os, signal, sys
from planner.store import atomic

real = atomic.atomic_write

def killed(path, data, **kw):  # the temp is written; the process dies before the rename
    return real(path, data, before_replace=lambda: os.kill(os.getpid(), signal.SIGKILL),
                **kw)

atomic.atomic_write = killed
from planner.cli.fast import run
run(sys.argv[1:])
"""


def _killed_status(path: Path) -> None:
    r = subprocess.run([sys.executable, "-c", KILLED_WRITING_THE_CACHE, "--db", str(path),
                        "--today", TODAY.isoformat(), "status"], capture_output=True,
                       text=True, env=child_env(), cwd=ROOT, timeout=60)
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert "acuplan:" in r.stdout  # the answer was out before the cache was written


def _cache_temps(path: Path) -> list[str]:
    return sorted(n for n in os.listdir(path.parent) if ".status-cache.tmp-" in n)


def test_a_status_killed_writing_the_cache_leaves_nothing_for_good(tmp_path):
    path = tmp_path / "journal.json"
    _journal(path)
    _killed_status(path)
    left = _cache_temps(path)
    assert left and not Path(status_cache.cache_path(str(path))).exists()
    # the next prompt, which only reads the journal, stores the answers and clears it
    r = subprocess.run([sys.executable, "-m", "planner", "--db", str(path), "--today",
                        TODAY.isoformat(), "status"], capture_output=True, text=True,
                       env=child_env(), cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert _cache_temps(path) == []
    assert Path(status_cache.cache_path(str(path))).exists()


def test_a_cache_writer_alive_keeps_its_temp(tmp_path):
    """Written without the lock: only a temp whose writer is gone may go."""
    path = tmp_path / "journal.json"
    _journal(path)
    mine = tmp_path / f".journal.json.status-cache.tmp-{os.getpid()}-0a1b2c3d"
    parent = tmp_path / f".journal.json.status-cache.tmp-{os.getppid()}-0a1b2c3d"
    for p in (mine, parent):
        p.write_text("{")
    status.keep(Planner(Journal(path), TODAY))
    assert mine.exists() and parent.exists()
    assert Path(status_cache.cache_path(str(path))).exists()


def test_the_cache_is_written_by_the_stores_atomic_writer(tmp_path, monkeypatch):
    from planner.store import atomic

    path = tmp_path / "journal.json"
    _journal(path)
    calls = []
    real = atomic.atomic_write

    def spy(target, data, **kw):
        calls.append((Path(target).name, kw))
        return real(target, data, **kw)

    monkeypatch.setattr(atomic, "atomic_write", spy)
    status.keep(Planner(Journal(path), TODAY))
    assert calls == [("journal.json.status-cache", {"durable": False, "through_links": False})]
    assert os.stat(status_cache.cache_path(str(path))).st_mode & 0o777 == 0o600


if __name__ == "__main__":
    regenerate()
    print(f"wrote {ANSWERS.relative_to(ROOT)} for VERSION {status_cache.VERSION}")
