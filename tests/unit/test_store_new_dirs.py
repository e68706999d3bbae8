"""A first write into directories that do not exist yet makes each new directory
entry durable: the write's own directory fsync covers only the entries inside the
journal's directory, not that directory's entry in its parent."""

from __future__ import annotations

import os
import stat

from planner.store import Journal


def test_new_directories_are_fsynced_into_their_parents(tmp_path, monkeypatch):
    synced: list[str] = []
    real = os.fsync

    def spy(fd):
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            for p in (tmp_path, tmp_path / "a", tmp_path / "a" / "b"):
                if p.exists() and os.path.samestat(st, os.stat(p)):
                    synced.append(os.path.relpath(p, tmp_path))
        return real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    Journal(tmp_path / "a" / "b" / "journal.json").insert("t", {})
    # a made in tmp_path, then b made in a, then the journal renamed into b
    assert synced == [".", "a", os.path.join("a", "b")]
    synced.clear()
    Journal(tmp_path / "a" / "b" / "journal.json").insert("t", {})
    assert synced == [os.path.join("a", "b")]  # nothing new: only the write's own fsync
