"""Journal tables <-> domain values. The only place that knows table names.

The journal file is TinyDB's JSON: each table maps a document id ("1", "2", ...) to a
record, and `meta` holds the schema version. `JournalFile` describes that file with the
domain's typed records, so a read turns the file's bytes into checked records with one
msgspec decode (`state_from(journal)`): no dicts are built, and every field is checked
against its annotation (type, range, word list) on the way.

When that decode refuses the file, or the file is not at the current schema, the careful
path decides what is wrong: the store parses and checks the file (an unreadable or newer
file is the store's error), migrates it, and each table is converted on its own, so a
record the rules cannot use is named with its id, field, value and what is accepted
(BadRecord, which the Planner turns into exit 4).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterable
from datetime import date
from operator import attrgetter
from typing import Any

from planner.domain.models import (
    RANGES,
    History,
    Id,
    Injectable,
    Pause,
    Plan,
    Procedure,
    ProductUse,
    Profile,
    Session,
    Settings,
    SkinRecord,
    to_doc,
)
from planner.domain.values import Value, msgspec
from planner.domain.vocabulary import FIRST_DATE, LAST_DATE
from planner.store.migrations import CURRENT_SCHEMA

force_setattr = msgspec.structs.force_setattr

TABLES: dict[str, type] = {
    "sessions": Session,
    "plans": Plan,
    "products": ProductUse,
    "procedures": Procedure,
    "injectables": Injectable,
    "skin": SkinRecord,
    "pauses": Pause,
}
SINGLES = {"profile": Profile, "settings": Settings}

# The record type word shown in history/export for each table.
TYPE_OF_TABLE = {
    "sessions": "session", "plans": "plan", "products": "product",
    "procedures": "procedure", "injectables": "injectable", "pauses": "pause",
}


def record_type(table: str, doc: dict) -> str:
    if table == "skin":
        return "reaction" if doc.get("kind") == "reaction" else "checkin"
    return TYPE_OF_TABLE[table]


class Records(Value, frozen=True):
    """One consistent reading of the journal as domain values."""

    history: History
    profile: Profile
    settings: Settings


class BadRecord(ValueError):
    """A record whose fields the rules cannot use (a hand-edited journal, say)."""


# --------------------------------------------------------------------------
# The journal file, typed

class _Meta(msgspec.Struct):
    schema_version: int


class _ProfileDoc(Profile, frozen=True, kw_only=True):
    id: Id  # the stored document carries an id, as every journal document does


class _SettingsDoc(Settings, frozen=True, kw_only=True):
    id: Id


class _StampDoc(msgspec.Struct):
    id: Id


class JournalFile(msgspec.Struct, forbid_unknown_fields=True):
    """The journal file as TinyDB writes it: table -> document id -> record. A table
    this version does not know is refused here (the careful path checks and keeps it)."""

    sessions: dict[str, Session] = {}
    plans: dict[str, Plan] = {}
    products: dict[str, ProductUse] = {}
    procedures: dict[str, Procedure] = {}
    injectables: dict[str, Injectable] = {}
    skin: dict[str, SkinRecord] = {}
    pauses: dict[str, Pause] = {}
    profile: dict[str, _ProfileDoc] = {}
    settings: dict[str, _SettingsDoc] = {}
    meta: dict[str, _Meta] = {}
    # version stamps, for merge only: checked for the shape every table has (the store
    # refuses a file without it), their content left to merge
    stamps: dict[str, _StampDoc] = {}


_decoder: msgspec.json.Decoder[JournalFile] | None = None
_ID = attrgetter("id")


def _decode(payload: bytes) -> JournalFile | None:
    """The file decoded into typed records, if it is a current-schema journal whose every
    record fits its type and whose tables the store would accept (document ids digits,
    record ids unique); None when the careful path must decide."""
    global _decoder
    if _decoder is None:
        _decoder = msgspec.json.Decoder(JournalFile)
    if not payload.isascii():  # acuplan writes ASCII; a hand edit may not have
        try:  # msgspec checks UTF-8 only where it builds a string, not in skipped fields
            payload.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        f = _decoder.decode(payload)
    except (msgspec.DecodeError, RecursionError):  # ValidationError included
        return None
    meta = f.meta
    if len(meta) != 1 or next(iter(meta.values())).schema_version != CURRENT_SCHEMA:
        return None  # an older file is migrated on the careful path
    for table in (*TABLES, *SINGLES, "stamps"):
        docs = getattr(f, table)
        if not docs:
            continue
        keys = "".join(docs)
        if not (keys.isascii() and keys.isdigit()) or "" in docs:
            return None
        if len(set(map(_ID, docs.values()))) != len(docs):
            return None
    return f


# --------------------------------------------------------------------------
# Checks the annotations cannot express

_BY_DATE = attrgetter("date", "id")
_BY_START = attrgetter("start", "id")
_DATED = {table: ("start", "end") if table == "pauses" else ("date",) for table in TABLES}


def _what(table: str) -> str:
    return TYPE_OF_TABLE.get(table, "skin")


def _check_dates(table: str, items: list) -> None:
    """Every date the rules compute with lies in FIRST_DATE..LAST_DATE (one C-level min/max
    per field), else BadRecord naming the first record outside."""
    if not items:
        return
    for name in _DATED[table]:
        values = list(map(attrgetter(name), items))
        if min(values) < FIRST_DATE or max(values) > LAST_DATE:
            r = next(r for r in items if not FIRST_DATE <= getattr(r, name) <= LAST_DATE)
            raise BadRecord(f"{_what(table)} record {r.id!r}: {name} is "
                            f"{getattr(r, name).isoformat()}, outside "
                            f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}")


def check_settings(settings: Settings) -> None:
    """Cadence not below spacing (each value's own range is in its annotation)."""
    if settings.cadence_days < settings.spacing_days:
        raise BadRecord(f"settings: cadence_days is {settings.cadence_days}, below "
                        f"spacing_days {settings.spacing_days}")


def _numbered(items: Iterable[SkinRecord]) -> list[SkinRecord]:
    """Skin records with `seq` set to their place in the table (never stored). They are
    fresh from the decode, seen by no one yet: set in place."""
    out = list(items)
    for i, r in enumerate(out):
        force_setattr(r, "seq", i)
    return out


def _underived(items: Iterable[Session]) -> list[Session]:
    """Sessions without violations: those are derived (rules.Engine), whatever a file holds."""
    out = list(items)
    if any(map(attrgetter("violations"), out)):
        for s in out:
            force_setattr(s, "violations", ())
    return out


def _single(cls: type[Value], doc: Value) -> Any:
    """The Profile or Settings of a stored document (which also holds an id)."""
    return cls(*(getattr(doc, name) for name in cls.__struct_fields__))


def _records(tables: dict[str, list | tuple], profile: Profile, settings: Settings
             ) -> Records:
    """Records from each table's new records (a list: checked, then sorted by date) or
    records already checked and sorted (a tuple, kept)."""
    kw = {}
    for table, items in tables.items():
        if isinstance(items, list):
            _check_dates(table, items)
            items = tuple(sorted(items, key=_BY_START if table == "pauses" else _BY_DATE))
        kw[table] = items
    check_settings(settings)
    return Records(History(**kw), profile, settings)


def _from_file(f: JournalFile) -> Records:
    tables: dict[str, list | tuple] = {}
    for table in TABLES:
        docs = getattr(f, table).values()
        if table == "skin":
            tables[table] = _numbered(docs)
        elif table == "sessions":
            tables[table] = _underived(docs)
        else:
            tables[table] = list(docs)
    profile = _single(Profile, next(iter(f.profile.values()))) if f.profile else Profile()
    settings = _single(Settings, next(iter(f.settings.values()))) if f.settings else Settings()
    return _records(tables, profile, settings)


# --------------------------------------------------------------------------
# Reading

class Source(typing.Protocol):
    """A journal as `state_from` reads it (planner.store.Journal)."""

    def payload(self) -> tuple[Any, bytes | None]: ...
    def snapshot(self) -> dict[str, list[dict]]: ...


def state_from(source: Source | Callable[[str], list[dict]], *, same: Records | None = None,
               unchanged: frozenset[str] = frozenset()) -> Records:
    """The domain state of a journal, or of a function returning each table's docs in
    entry order.

    A journal is read typed from its bytes (one decode); when that refuses the file, its
    checked, migrated documents are converted table by table instead, which names what is
    wrong. With a function, the tables named in `unchanged` are taken from `same` as they
    are (a write that did not touch them). BadRecord if a record has a field the rules
    cannot use."""
    if not callable(source):
        _sig, payload = source.payload()
        if payload is None:
            return Records(History(), Profile(), Settings())
        f = _decode(payload)
        if f is not None:
            return _from_file(f)
        snap = source.snapshot()  # the store's own errors come first
        all_docs: Callable[[str], list[dict]] = lambda t: snap.get(t, [])  # noqa: E731
    else:
        all_docs = source
    tables: dict[str, list | tuple] = {}
    for table, cls in TABLES.items():
        if same is not None and table in unchanged:
            tables[table] = getattr(same.history, table)
            continue
        docs = all_docs(table)
        items = _convert(table, cls, docs)
        if table == "skin":
            items = _numbered(items)
        elif table == "sessions":
            items = _underived(items)
        tables[table] = items
    singles = {}
    for table, cls in SINGLES.items():
        if same is not None and table in unchanged:
            singles[table] = getattr(same, table)
            continue
        docs = all_docs(table)
        singles[table] = _convert(table, cls, docs[:1])[0] if docs else cls()
    return _records(tables, singles["profile"], singles["settings"])


def _convert(table: str, cls: type, docs: list[dict]) -> list:
    try:
        return msgspec.convert(docs, list[cls])  # type: ignore[valid-type]
    except msgspec.ValidationError as e:
        raise BadRecord(_explain(table, cls, docs, str(e))) from None


# --------------------------------------------------------------------------
# A validation error in plain words

_PATH = re.compile(r"(?P<msg>.*) - at `\$\[(?P<i>\d+)\](?:\.(?P<field>\w+))?(?P<rest>[^`]*)`$",
                   re.S)
_EXPECTED = re.compile(r"Expected `(?P<types>[^`]*)`(?:, got `[^`]*`)?(?P<more>.*)", re.S)
_MISSING = re.compile(r"Object missing required field `(?P<field>\w+)`")
_WORDS = {"int": "a whole number", "str": "text", "date": "a YYYY-MM-DD date",
          "array": "a list", "bool": "true or false", "object": "an object",
          "float": "a number", "null": "empty"}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _choices(cls: type, field: str) -> tuple[str, ...]:
    """The words a Literal field (or a list of them) accepts."""
    def walk(tp: Any) -> tuple[str, ...]:
        if typing.get_origin(tp) is typing.Literal:
            return typing.get_args(tp)
        return tuple(w for arg in typing.get_args(tp) for w in walk(arg))
    return walk(typing.get_type_hints(cls, include_extras=True).get(field))


def _explain(table: str, cls: type, docs: list[dict], error: str) -> str:
    """`session record 'ab12': minutes is 'ten', not a whole number` from msgspec's
    `Expected `int`, got `str` - at `$[3].minutes`` over a table's docs."""
    m = _PATH.match(error)
    if m is None:
        return f"{table}: {error}"
    doc = docs[int(m["i"])]
    label = table if table in SINGLES else f"{_what(table)} record {doc.get('id')!r}"
    msg, field, rest = m["msg"], m["field"], m["rest"]
    missing = _MISSING.match(msg)
    if field is None and missing:
        return f"{label}: {missing['field']} is missing"
    if field is None:
        return f"{label}: {msg[:1].lower()}{msg[1:]}"
    value = doc.get(field)
    where = f" (at {field}{rest})" if rest else ""
    expected = _EXPECTED.match(msg)
    if msg.startswith("Invalid enum value"):
        words = "not one of " + ", ".join(_choices(cls, field))
    elif msg.startswith("Invalid RFC3339 encoded date") and isinstance(value, str):
        try:
            date.fromisoformat(value)
            words = "not a YYYY-MM-DD date"
        except ValueError as e:
            words = f"not a real YYYY-MM-DD date ({e})"
    elif expected and expected["more"].strip() and field in RANGES:
        r = RANGES[field]
        words = f"outside the allowed range {r.low} to {r.high} ({r.meaning})"
    elif expected and expected["more"].strip().startswith(("<", ">")):
        low, high = _bounds(cls, field)
        words = f"outside {low} to {high}"
    elif expected and not expected["more"].strip():
        words = "not " + " or ".join(_WORDS.get(t, f"`{t}`")
                                     for t in expected["types"].split(" | "))
    else:
        words = f"not accepted ({msg[:1].lower()}{msg[1:]})"
    return f"{label}: {field} is {_shown(value)}, {words}{where}"


def _bounds(cls: type, field: str) -> tuple[Any, Any]:
    """The (ge, le) of a field's `Meta` annotation."""
    hint = typing.get_type_hints(cls, include_extras=True).get(field)
    for meta in getattr(hint, "__metadata__", ()):
        if isinstance(meta, msgspec.Meta):
            return meta.ge, meta.le
    return None, None


def doc_of(record: Any) -> dict:
    """A record as stored: no derived fields (a skin record's position, a session's
    violations)."""
    d = to_doc(record)
    d.pop("seq", None)
    if isinstance(record, Session):
        d.pop("violations", None)
    if isinstance(record, ProductUse) and record.name is None:
        d.pop("name", None)  # a use logged by kind is stored as before names existed
    return d
