"""The status cache: answers kept beside the journal, for one content of it.

`<journal>.status-cache` is one JSON document:

    {"key": "<VERSION>-<blake2b of the journal's bytes>",
     "days": {"2026-12-01": {"line": "...", "json": "...", "view": {...}}, ...},
     "profile": {...}, "settings": {...}}

What the answers are is decided above the store (planner/service/status.py): the
printed `status` answers for today and the next day (so the first prompt after
midnight needs no work either), the complete Today view and the profile and settings
the app draws its first frame with. This module only keeps the file: the key, the
lookup a shell prompt makes, the read the app makes, and the write.

The key is the journal's content, not its stat: answers stored for one content are
never given for another, whatever the clocks and file systems do. VERSION stands
for the code that works the answers out; bump it whenever a stored answer could
differ from a fresh one for the same journal (a rule, a printed form, the view's
fields). tests/unit/test_status_cache.py holds answers stored under the current
VERSION and fails when the code no longer gives them, so a change that forgets the
bump fails there.

The cache is never the source of truth: one that cannot be read or written is
ignored, and answers are kept only for the journal content their records came
from. It is written without the journal's lock, through the store's atomic writer
(not fsynced: a cache lost in a power cut is worked out again); a writer killed
mid-write leaves its temp file, which the next cache write (or journal write)
removes once its writer is gone.

Imports nothing heavy at module level: the prompt's fast path reads it.
"""

from __future__ import annotations

import json
import os

TYPE_CHECKING = False  # not typing's: importing typing would cost the prompt ~2 ms
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

VERSION = 4
SUFFIX = ".status-cache"

Signature = tuple[int, int, int, int]  # (dev, ino, size, mtime_ns), as the store's reader


def _blake2b() -> Any:
    """hashlib's blake2b, without importing hashlib (which loads OpenSSL first: ~2 ms of
    a prompt's run). `hashlib.blake2b` is this same class."""
    try:
        from _blake2 import blake2b
    except ImportError:  # an interpreter without the builtin module
        from hashlib import blake2b
    return blake2b


def cache_path(path: str) -> str:
    """Beside the file the journal names: a symlinked journal's target (as the store's
    versions and lock); a realpath only when it is a link, so the prompt pays one lstat."""
    return (os.path.realpath(path) if os.path.islink(path) else path) + SUFFIX


def journal_key(path: str) -> tuple[str, Signature] | None:
    """(key, signature) of the journal file as it is now: the key its answers are stored
    under, and the stat signature of the bytes that were hashed. None: no such file, or
    it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        digest = _blake2b()(digest_size=20)
        while chunk := os.read(fd, max(st.st_size + 1, 1 << 16)):
            digest.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return f"{VERSION}-{digest.hexdigest()}", (st.st_dev, st.st_ino, st.st_size,
                                                st.st_mtime_ns)


def key_of(path: str) -> str | None:
    """The key answers for the journal as it is now are stored under (None: no journal)."""
    got = journal_key(path)
    return got[0] if got is not None else None


def _read(path: str) -> bytes | None:
    try:
        with open(cache_path(path), "rb") as f:
            return f.read()
    except OSError:
        return None


def lookup(path: str, key: str, day: str, as_json: bool) -> str | None:
    """The printed answer stored for `day` under exactly `key`, else None."""
    data = _read(path)
    if data is None:
        return None
    try:
        doc = json.loads(data)
        if doc["key"] != key:
            return None
        text = doc["days"][day]["json" if as_json else "line"]
    except (ValueError, KeyError, TypeError):
        return None
    return text if isinstance(text, str) else None


def read(path: str, decode: Callable[[bytes], Any]) -> Any:
    """The whole document stored for the journal as it is now, decoded by `decode` (whose
    errors mean "not usable": ValueError, KeyError, TypeError), else None. The journal is
    hashed only when there is a stored document to compare it with."""
    data = _read(path)
    if data is None:
        return None
    try:
        doc = decode(data)
        stored = doc["key"] if isinstance(doc, dict) else doc.key
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return doc if stored == key_of(path) else None


def _json_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc).encode("utf-8")


def store(path: str, key: str, signature: Signature, answers: dict[str, Any],
          encode: Callable[[dict[str, Any]], bytes] = _json_bytes) -> None:
    """Keep `answers` (the document without its key) under `key`, worked out from the
    journal file `signature` names, if the journal is still that file (else they are
    already old). Atomic and 0600; failures are skipped. Then the temp files of cache
    writers that were killed are removed."""
    from pathlib import Path

    from planner.store import atomic, rotation

    try:
        st = os.stat(path)
    except OSError:
        return
    if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != signature:
        return  # written meanwhile: the next prompt needs the new journal's answers
    target = Path(cache_path(path))
    try:
        data = encode({"key": key, **answers})
        atomic.atomic_write(target, data, durable=False, through_links=False)
    except (OSError, ValueError, TypeError):
        return
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    rotation.remove_dead_side_temps(target.with_name(target.name[:-len(SUFFIX)]), names)
