"""Disk full (issue item 3): a write that does not fit gives exit 4 and changes nothing.

Without root: the command runs with RLIMIT_FSIZE below the journal's size, so
writing the new journal fails with EFBIG (CPython ignores SIGXFSZ, so the
write call returns the error instead of killing the process). With root
(where a tmpfs can be mounted) the same runs on a real, tiny, full
filesystem (ENOSPC) and on a read-only one (EROFS).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_support import dir_state, generator, run_cli  # noqa: E402

WRITES = [
    ("log", "product", "retinoid", "--date", "2026-11-30"),
    ("log", "session", "--date", "2026-11-28", "--minutes", "8"),
    ("checkin", "--date", "2026-12-01", "--redness", "1", "--note", "pink"),
    ("plan", "2027-03-01"),
    ("pause", "--from", "2026-12-10", "--to", "2026-12-12", "--reason", "travel"),
    ("profile", "set", "--rosacea", "yes"),
]


def _files(directory: Path) -> dict[str, bytes]:
    """Everything beside the journal except the (empty, never deleted) lock file."""
    return {n: b for n, b in dir_state(directory).items() if not n.endswith(".lock")}


def _limit(size: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return apply


def _assert_refused(r: subprocess.CompletedProcess, path: Path, why: str) -> None:
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == 4, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert str(path) in lines[0] and why in lines[0] and "unchanged" in lines[0], lines[0]


@pytest.fixture(scope="module")
def journal_1y(tmp_path_factory):
    d = tmp_path_factory.mktemp("full") / "data"
    generator().make_journal(d / "journal.json", 1)
    return d


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:2]))
def test_file_size_limit_below_the_journal(journal_1y, tmp_path, args):
    d = tmp_path / "data"
    shutil.copytree(journal_1y, d)
    path = d / "journal.json"
    before = _files(d)
    size = path.stat().st_size
    r = run_cli(*args, db=path, preexec_fn=_limit(size // 2))
    _assert_refused(r, path, "File too large")
    assert _files(d) == before  # journal byte-identical, no temp file, no new version
    # the same command without the limit works: the refusal was only the disk
    ok = run_cli(*args, db=path)
    assert ok.returncode == 0, ok.stderr
    assert path.read_bytes() != before["journal.json"]


def test_import_and_export_that_do_not_fit(journal_1y, tmp_path):
    d = tmp_path / "data"
    shutil.copytree(journal_1y, d)
    path = d / "journal.json"
    export = tmp_path / "export.json"
    ok = run_cli("export", "-o", str(export), db=path)
    assert ok.returncode == 0, ok.stderr
    limit = _limit(export.stat().st_size // 2)

    out = tmp_path / "out" / "again.json"
    out.parent.mkdir()
    r = run_cli("export", "-o", str(out), db=path, preexec_fn=limit)
    assert r.returncode == 4 and "File too large" in r.stderr, r.stderr
    assert os.listdir(out.parent) == []

    fresh = tmp_path / "fresh" / "journal.json"
    r = run_cli("import", str(export), db=fresh, preexec_fn=limit)
    _assert_refused(r, fresh, "File too large")
    assert not fresh.exists()
    assert [n for n in os.listdir(fresh.parent) if not n.endswith(".lock")] == []


# ------------------------------------------------------- real filesystems (root)

def _mount_tmpfs(where: Path, size_kb: int) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs",
                        str(where)], capture_output=True)
    return r.returncode == 0


@pytest.fixture
def tiny_fs(tmp_path):
    mnt = tmp_path / "mnt"
    mounted = []

    def make(size_kb: int) -> Path:
        if not _mount_tmpfs(mnt, size_kb):
            pytest.skip("needs root and tmpfs to make a real full/read-only filesystem")
        mounted.append(mnt)
        return mnt

    yield make
    for m in mounted:
        subprocess.run(["umount", "-l", str(m)], capture_output=True)


def test_real_disk_full(journal_1y, tiny_fs):
    size = (journal_1y / "journal.json").stat().st_size
    mnt = tiny_fs(size // 1024 + 24)  # room for the journal, not for a second copy
    path = mnt / "journal.json"
    shutil.copy2(journal_1y / "journal.json", path)
    os.chmod(path, 0o600)
    filler = mnt / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:  # take what is left, then give back a few blocks (less than a journal)
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - 8192))
    before = _files(mnt)
    for args in WRITES[:3]:
        r = run_cli(*args, db=path)
        _assert_refused(r, path, "No space left on device")
        assert _files(mnt) == before


def test_read_only_filesystem(journal_1y, tiny_fs):
    mnt = tiny_fs(4096)
    path = mnt / "journal.json"
    shutil.copy2(journal_1y / "journal.json", path)
    run_cli("status", db=path)
    subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
    before = _files(mnt)
    for args in WRITES[:3]:
        r = run_cli(*args, db=path)
        assert r.returncode == 4, (r.returncode, r.stderr)
        assert "Read-only file system" in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert _files(mnt) == before
    assert run_cli("status", db=path).returncode == 0  # reading still works
