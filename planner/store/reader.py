"""Turn a journal file's bytes into checked, current-schema data, or say why not.

Used for the journal itself, for its versions and for restores, so "readable"
means the same thing everywhere. Nothing here writes.
"""

from __future__ import annotations

import os
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from planner.store import codec
from planner.store.migrations import CURRENT_SCHEMA, META, Raw, migrate

Signature = tuple[int, int, int, int]


class BadJournal(ValueError):
    """The bytes are not a journal; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TooNew(BadJournal):
    def __init__(self, found: int) -> None:
        super().__init__(f"schema version {found} is newer than {CURRENT_SCHEMA}")
        self.found = found


class Loaded(NamedTuple):
    signature: Signature  # of the bytes actually read
    raw: Raw              # current schema, TinyDB raw form, meta included
    schema_on_disk: int   # < CURRENT_SCHEMA: not migrated on disk yet


def signature_of(st: os.stat_result) -> Signature:
    """Changes whenever the file is replaced or rewritten."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def read(path: Path) -> Loaded | None:
    """Read and check a journal file; None when it does not exist."""
    got = read_bytes(path)
    if got is None:
        return None
    signature, payload = got
    raw, schema = parse(payload)
    return Loaded(signature, raw, schema)


def read_bytes(path: Path) -> tuple[Signature, bytes] | None:
    """The file's bytes and the signature of what was read, unparsed; None when it does
    not exist, BadJournal when it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise BadJournal(f"cannot open it ({e.strerror})") from e
    try:
        st = os.fstat(fd)
        with os.fdopen(fd, "rb", closefd=False) as f:
            payload = f.read()
    except OSError as e:
        raise BadJournal(f"cannot read it ({e.strerror})") from e
    finally:
        os.close(fd)
    return signature_of(st), payload


def parse(payload: bytes) -> tuple[Raw, int]:
    """Checked data at CURRENT_SCHEMA, and the schema the bytes were in."""
    if not payload.strip():
        raise BadJournal("the file is empty" if not payload else "the file is blank")
    try:
        data = codec.decode(payload)
    except UnicodeDecodeError as e:
        raise BadJournal(f"not valid UTF-8 text (bad byte at offset {e.start})") from None
    except ValueError as e:  # JSONDecodeError included: truncated or garbage
        raise BadJournal(f"not valid JSON, perhaps truncated ({e})") from None
    except RecursionError:
        raise BadJournal("not valid JSON (nested too deeply)") from None
    return checked(data)


def checked(data: Any) -> tuple[Raw, int]:
    """`parse` for data already decoded from JSON (merge decodes a copy once to tell a
    journal from an export)."""
    if not isinstance(data, dict):
        raise BadJournal(f"wrong shape: the top level is {_kind(data)}, not an object")
    schema = _schema_of(data)
    if schema > CURRENT_SCHEMA:
        raise TooNew(schema)
    check_tables(data, need_ids=schema >= 1)
    if schema < CURRENT_SCHEMA:
        data = migrate(data, schema)
        check_tables(data, need_ids=True)
    return data, schema


def _schema_of(data: dict[str, Any]) -> int:
    if META not in data:
        return 0
    meta = data[META]
    if not isinstance(meta, dict) or len(meta) != 1:
        raise BadJournal("wrong shape: the meta table must hold exactly one document")
    (doc,) = meta.values()
    version = doc.get("schema_version") if isinstance(doc, dict) else None
    if type(version) is not int or version < 0:
        raise BadJournal("wrong shape: meta has no valid schema_version")
    return version


def check_tables(data: dict[str, Any], *, need_ids: bool) -> None:
    """Every table maps TinyDB doc ids to objects; with `need_ids`, each has a unique string id."""
    for name, table in data.items():
        if name == META:
            continue
        if not isinstance(table, dict):
            raise BadJournal(f"wrong shape: table {name!r} is {_kind(table)}, not an object")
        if _looks_right(table, need_ids):
            continue
        _check_table(name, table, need_ids)


_ID = itemgetter("id")


def _looks_right(table: dict[str, Any], need_ids: bool) -> bool:
    """The checks of `_check_table` for a whole table at once, without a Python-level loop
    per document (a 10-year journal has ~5,000). False: look closer for the message."""
    if not table:
        return True
    try:
        keys = "".join(table)
    except TypeError:  # a key that is not a string: only code could make one
        return False
    if not (keys.isascii() and keys.isdigit()) or "" in table:
        return False
    docs = table.values()
    if set(map(type, docs)) != {dict}:
        return False
    if not need_ids:
        return True
    try:
        ids = list(map(_ID, docs))
    except KeyError:
        return False
    return set(map(type, ids)) == {str} and "" not in ids and len(set(ids)) == len(ids)


def _check_table(name: str, table: dict[str, Any], need_ids: bool) -> None:
    seen: set[str] = set()
    for doc_id, doc in table.items():
        if not (doc_id.isascii() and doc_id.isdigit()):
            raise BadJournal(f"wrong shape: table {name!r} has a bad document key {doc_id!r}")
        if not isinstance(doc, dict):
            raise BadJournal(f"wrong shape: {name!r} document {doc_id} is {_kind(doc)}, "
                             f"not an object")
        if not need_ids:
            continue
        rid = doc.get("id")
        if not isinstance(rid, str) or not rid:
            raise BadJournal(f"wrong shape: {name!r} document {doc_id} has no string id")
        if rid in seen:
            raise BadJournal(f"wrong shape: {name!r} has two records with id {rid!r}")
        seen.add(rid)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "null"}.get(type(value), "a value")
