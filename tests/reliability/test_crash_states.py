"""Power-loss crash states of every journal write path recover the old or the new journal.

The explorer, its persistence model and what counts as recovered are described
in crash_states.py. Quick form here (`make test`); the exhaustive form is
marked torture (`make torture`); `python benchmarks/crash_states.py [--full]`
prints the table of paths x states x outcomes.

The second half shows the explorer has teeth: stores with a known durability
bug (no directory fsync, no file fsync, writing in place, renaming the journal
aside, a new directory not fsynced into its parent) are each caught, and the
model itself is checked on hand-written traces.
"""

from __future__ import annotations

import os
import random
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import crash_states as cs  # noqa: E402

from planner.store import atomic, layout, versions  # noqa: E402

MODES = [pytest.param(True, id="links"), pytest.param(False, id="copies")]


def _assert_recovers(result: cs.Result) -> None:
    assert result.failures == [], "\n".join(result.failures[:10])
    o = result.outcomes
    assert result.checked == sum(o.values()) > 0
    assert o["new"] > 0, result.figure()  # the full trace was among the states checked
    assert o["old"] + o["old-unreadable"] > 0, result.figure()  # and the early crashes


@pytest.mark.parametrize("links", MODES)
@pytest.mark.parametrize("name", list(cs.PATHS))
def test_every_crash_state_recovers(name, links, tmp_path, figures):
    result = cs.explore(cs.PATHS[name], tmp_path, full=False, links=links)
    figures(result.figure() + " (quick)")
    _assert_recovers(result)
    assert result.checked <= result.distinct


@pytest.mark.torture
@pytest.mark.parametrize("links", MODES)
@pytest.mark.parametrize("name", list(cs.PATHS))
def test_every_crash_state_recovers_exhaustive(name, links, tmp_path, figures):
    result = cs.explore(cs.PATHS[name], tmp_path, full=True, links=links)
    figures(result.figure() + " (full)")
    _assert_recovers(result)
    assert result.checked == result.distinct  # nothing sampled away


# ----------------------------------------------------------- the explorer has teeth

def _failures(result: cs.Result, fragment: str) -> list[str]:
    return [f for f in result.failures if fragment in f]


def test_a_store_without_the_directory_fsync_loses_acknowledged_writes(tmp_path):
    result = cs.explore(cs.PATHS["insert"], tmp_path, full=False,
                        mutate=lambda ops: [o for o in ops if o.kind != "fsync_dir"])
    assert _failures(result, "an acknowledged write is lost (the state after the call "
                             "returned is old)")


def test_a_store_without_the_file_fsync_leaves_a_torn_journal(tmp_path):
    result = cs.explore(cs.PATHS["insert"], tmp_path, full=False,
                        mutate=lambda ops: [o for o in ops if o.kind != "fsync"])
    assert _failures(result, "an acknowledged write is lost")
    # the torn new file is unreadable; the kept version brings the old records back
    assert result.outcomes["restorable-old"] > 0


def _in_place(path, data, *, before_replace=None):
    """The classic mistake: truncate and rewrite the journal itself."""
    path = layout.target(Path(path))
    if before_replace is not None:
        before_replace()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        return os.fstat(fd)
    finally:
        os.close(fd)


@contextmanager
def _patched(obj, name, value):
    real = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, real)


def test_a_store_writing_in_place_loses_data_for_good(tmp_path):
    # the version kept by hard link is the same inode: the truncation reaches it too
    result = cs.explore(cs.PATHS["insert"], tmp_path, full=False,
                        during=lambda: _patched(atomic, "atomic_write", _in_place))
    assert _failures(result, "holds neither the old nor the new records")


def _old_aside_move(self):
    """versions._Aside.move as it was: where links fail, rename the journal away."""
    if not os.path.lexists(self.journal):
        return
    dest = layout.aside_path(self.journal)
    try:
        os.link(self.journal, dest)
    except OSError:
        os.rename(self.journal, dest)
    self.aside = dest


def test_restore_renaming_the_journal_aside_showed_an_empty_journal(tmp_path):
    """The fix in versions._Aside: without hard links it used to rename the journal
    away before the replace, so a crash in between left no journal (read as empty)."""
    result = cs.explore(cs.PATHS["restore"], tmp_path, full=False, links=False,
                        during=lambda: _patched(versions._Aside, "move", _old_aside_move))
    assert _failures(result, "neither the old nor the new ones (a silent loss): {}")


def test_a_migration_killed_before_its_replace_showed_its_backup_twice(tmp_path):
    """The fix in rotation.Rotation.keep: a `pre-vN` kept by a write that died before
    its replace was kept again, as `pre-vN-2`, by the next write."""
    from planner.store import rotation

    def keep_again(self):  # what keep did: a backup whenever migrating
        real_keep(self)
        if self.migrating_to is not None and not any(
                p.name.startswith(f"{self.journal.name}.pre-v") for p in self.created):
            n = 1
            while not self._keep_as(layout.pre_migration_path(self.journal,
                                                              self.migrating_to, n)):
                n += 1

    real_keep = rotation.Rotation.keep
    with _patched(rotation.Rotation, "keep", keep_again):  # the write after recovery too
        result = cs.explore(cs.PATHS["migrate"], tmp_path, full=False)
    assert _failures(result, "pre-migration backups")


def test_a_restore_killed_before_its_replace_showed_the_damaged_file_twice(tmp_path):
    """The fix in versions._Aside: the aside file of a restore that died before its
    replace was kept again under a second `unreadable-…` name by the next restore."""
    with _patched(versions._Aside, "_left_by_a_killed_restore", lambda self: None):
        result = cs.explore(cs.PATHS["restore-unreadable"], tmp_path, full=False)
    assert _failures(result, "aside files")


def _ensure_dir_without_fsync(directory):
    missing = []
    d = Path(directory)
    while not d.exists():
        missing.append(d)
        d = d.parent
    for d in reversed(missing):
        os.mkdir(d, atomic.DIR_MODE)


def test_a_new_directory_not_fsynced_into_its_parent_loses_the_first_write(tmp_path):
    """The fix in atomic.ensure_dir: the import into a new directory was lost with it."""
    result = cs.explore(cs.PATHS["import"], tmp_path, full=False,
                        during=lambda: _patched(atomic, "ensure_dir", _ensure_dir_without_fsync))
    assert _failures(result, "an acknowledged write is lost")


# ----------------------------------------------------------- the model on small traces

def _journal_contents(trace: cs.Trace, k: int, fine: bool = True) -> set:
    out = set()
    for st in trace.states(k, fine=fine, rng=random.Random(0)):
        ino = st.image.names.get("j")
        out.add(None if ino is None else st.image.data[ino])
    return out


OLD, NEW = b"old!" * 200, b"new!" * 300  # 800 and 1200 bytes: two and three sectors


def _image() -> cs.Image:
    return cs.Image({"j": 1}, {1: OLD}, {1: 1})


def _atomic_ops(*, file_sync: bool, dir_sync: bool) -> list[cs.Op]:
    ops = [cs.Op("creat", "t", ino=2, mtime=2), cs.Op("write", "t", ino=2, data=NEW, mtime=3)]
    if file_sync:
        ops.append(cs.Op("fsync", "t", ino=2))
    ops.append(cs.Op("rename", "t", dest="j", ino=2))
    if dir_sync:
        ops.append(cs.Op("fsync_dir", ""))
    return ops


def test_model_the_correct_recipe_gives_old_or_new_and_new_once_synced():
    trace = cs.Trace(_image(), _atomic_ops(file_sync=True, dir_sync=True))
    n = len(trace.ops)
    for k in range(n):
        assert _journal_contents(trace, k) <= {OLD, NEW}
    assert _journal_contents(trace, n - 1) == {OLD, NEW}  # renamed, not yet durable
    assert _journal_contents(trace, n) == {NEW}


def test_model_unsynced_data_may_be_torn_or_zeros():
    trace = cs.Trace(_image(), _atomic_ops(file_sync=False, dir_sync=True))
    seen = _journal_contents(trace, len(trace.ops))
    assert NEW in seen and b"" in seen and bytes(len(NEW)) in seen  # ordered / writeback
    assert NEW[:512] in seen and NEW[:1024] in seen  # a prefix of sectors
    assert NEW[:512] + bytes(512) + NEW[1024:] in seen  # a hole (sectors out of order)
    quick = _journal_contents(trace, len(trace.ops), fine=False)
    assert NEW[:512] in quick and quick <= seen


def test_model_directory_operations_are_lost_independently_but_renames_whole():
    ops = [cs.Op("link", "j", dest="v", ino=1), cs.Op("creat", "t", ino=2, mtime=2),
           cs.Op("fsync", "t", ino=2), cs.Op("rename", "t", dest="j", ino=2)]
    trace = cs.Trace(_image(), ops)
    dirs = {tuple(sorted(st.image.names.items()))
            for st in trace.states(len(ops), fine=False, rng=random.Random(0))}
    assert dirs == {
        (("j", 1),),
        (("j", 1), ("v", 1)),
        (("j", 1), ("t", 2)),
        (("j", 1), ("t", 2), ("v", 1)),
        (("j", 2),),                 # the rename kept, the create lost: same inode
        (("j", 2), ("v", 1)),
    }


def test_model_a_name_in_a_lost_directory_is_gone():
    ops = [cs.Op("mkdir", "d"), cs.Op("creat", "d/f", ino=2, mtime=1),
           cs.Op("fsync_dir", "d")]
    trace = cs.Trace(cs.Image({}, {}, {}), ops)
    dirs = {tuple(sorted(st.image.names)) for st in trace.states(3, fine=False,
                                                                 rng=random.Random(0))}
    assert dirs == {(), ("d", "d/f")}
