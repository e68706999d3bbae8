"""Data out and in: lossless JSON export/import, a CSV export for spreadsheets.

The JSON export is deterministic (sorted keys, records in journal order,
ASCII escapes so any stored text survives), so export -> import into an
empty journal -> export gives the same bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.store import atomic
from planner.store.errors import ImportRefused, JournalNotDurable, JournalWriteError
from planner.store.migrations import CURRENT_SCHEMA, SYSTEM_TABLES, migrate
from planner.store.reader import BadJournal, check_tables

if TYPE_CHECKING:
    from planner.store.journal import Journal

FORMAT_KEY = "acuplan_export"
FORMAT_VERSION = 1

Tables = Mapping[str, Sequence[Mapping[str, Any]]]


def _tables(snapshot: Tables) -> dict[str, list[Mapping[str, Any]]]:
    """The record tables (a `meta` entry, if the caller passed one, is not a record table)."""
    return {n: list(docs) for n, docs in snapshot.items() if n not in SYSTEM_TABLES}


ROUTINE_LIMIT = 500            # user routines in one export
ROUTINE_TEXT_LIMIT = 1 << 20   # characters of one routine's TOML, as a routine file


def export_json(snapshot: Tables, *, schema_version: int = CURRENT_SCHEMA,
                routines: Sequence[Mapping[str, str]] = ()) -> str:
    """The whole journal as JSON text: `{"acuplan_export": 1, "schema_version", "tables"}`,
    and `"routines": [{"id", "toml"}]` when the user has routines of their own (they live
    beside the journal, so an export without them would lose them).

    A `Journal.snapshot()` is always at CURRENT_SCHEMA (older files are
    migrated when read), so `schema_version` rarely needs passing.
    """
    doc: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION, "schema_version": schema_version,
                           "tables": _tables(snapshot)}
    if routines:
        doc["routines"] = sorted(({"id": r["id"], "toml": r["toml"]} for r in routines),
                                 key=lambda r: r["id"])
    return json.dumps(doc, ensure_ascii=True, allow_nan=False, sort_keys=True, indent=2) + "\n"


def export_csv(snapshot: Tables) -> str:
    """One row per record: type, id, date, then every other field (sorted) as a column.
    A cell that starts like a formula (= + - @, tab, carriage return) gets a leading '.

    `date` is the record's date (a pause's start). Lists are joined with ';'
    (objects inside them as compact JSON), missing fields and nulls are
    empty, booleans are true/false. Rows are ordered by date (undated
    records such as the profile first), then type, then journal order.
    """
    import csv

    tables = _tables(snapshot)
    rows = [(name, doc, _cell(doc.get("date", doc.get("start"))))
            for name in sorted(tables) for doc in tables[name]]
    rows.sort(key=lambda r: (r[2], r[0]))  # stable: keeps journal order
    fields = sorted({k for _, d, _ in rows for k in d} - {"id", "date"})
    fixed = {"type", "id", "date"}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["type", "id", "date", *(f"field:{f}" if f in fixed else f for f in fields)])
    for name, doc, day in rows:
        w.writerow([_inert(c) for c in (name, _cell(doc.get("id")), day,
                                        *(_cell(doc.get(f)) for f in fields))])
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (SPEC §7: a leading ', as OWASP
    advises for CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ";".join(_cell(v) if not isinstance(v, (dict, list)) else _compact(v)
                        for v in value)
    if isinstance(value, dict):
        return _compact(value)
    return json.dumps(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def parse_export(text: str) -> dict[str, list[dict[str, Any]]]:
    """The tables of a JSON export, checked and migrated; ImportRefused if it is not one."""
    return parse_export_with_routines(text)[0]


def parse_export_with_routines(text: str) -> tuple[dict[str, list[dict[str, Any]]],
                                                   list[dict[str, str]]]:
    """The tables and the user routines (`{"id", "toml"}`, their shape checked here, their
    content by the library) of a JSON export; ImportRefused if it is not one."""
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as e:
        raise ImportRefused(f"not an acuplan JSON export: {e}") from None
    if not isinstance(doc, dict) or doc.get(FORMAT_KEY) != FORMAT_VERSION:
        raise ImportRefused(f"not an acuplan JSON export (no \"{FORMAT_KEY}\": 1 marker)")
    version, tables = doc.get("schema_version"), doc.get("tables")
    if type(version) is not int or version < 0:
        raise ImportRefused("the export has no valid schema_version")
    if version > CURRENT_SCHEMA:
        raise ImportRefused(f"the export uses schema version {version}; this acuplan "
                            f"only knows up to {CURRENT_SCHEMA} (upgrade acuplan)")
    if not isinstance(tables, dict) or any(n in SYSTEM_TABLES for n in tables):
        raise ImportRefused("the export's \"tables\" must be an object of record lists")
    raw: dict[str, Any] = {}
    for name, docs in tables.items():
        if not name:
            raise ImportRefused("the export has a table without a name")
        if not isinstance(docs, list):
            raise ImportRefused(f"table {name!r} in the export is not a list")
        raw[name] = {str(i): d for i, d in enumerate(docs, 1)}
    try:
        check_tables(raw, need_ids=version >= 1)
        if version < CURRENT_SCHEMA:
            raw = migrate(raw, version)
            check_tables(raw, need_ids=True)
    except BadJournal as e:
        raise ImportRefused(f"the export is damaged: {e.reason}") from None
    return ({n: list(t.values()) for n, t in raw.items() if n not in SYSTEM_TABLES},
            _routines(doc))


def _routines(doc: dict[str, Any]) -> list[dict[str, str]]:
    found = doc.get("routines", [])
    if not isinstance(found, list) or len(found) > ROUTINE_LIMIT:
        raise ImportRefused(f"the export's \"routines\" must be a list of at most "
                            f"{ROUTINE_LIMIT} {{id, toml}} objects")
    seen: set[str] = set()
    for i, r in enumerate(found, 1):
        if not (isinstance(r, dict) and set(r) == {"id", "toml"}
                and isinstance(r["id"], str) and isinstance(r["toml"], str)
                and 0 < len(r["id"]) <= 64 and len(r["toml"]) <= ROUTINE_TEXT_LIMIT):
            raise ImportRefused(f"routine {i} in the export is not an {{id, toml}} object "
                                "of text (an id of 1-64 characters, at most 1 MiB of TOML)")
        if r["id"] in seen:
            raise ImportRefused(f"the export holds routine {r['id']!r} twice")
        seen.add(r["id"])
    return [{"id": r["id"], "toml": r["toml"]} for r in found]


def import_json(journal: Journal, text: str) -> dict[str, int]:
    """Load an export into an EMPTY journal, exactly; returns records per table.

    Refuses (ImportRefused, nothing written) a bad file or a journal that
    already holds records: merging would silently duplicate or drop data.
    The store checks the file's shape only: the service checks the records first.
    """
    return import_tables(journal, parse_export(text))


# What a journal may hold and still take an import: the first run writes the profile (the
# safety notice accepted, the answers) before a user can reach the import.
REPLACED_BY_IMPORT = ("profile", "settings")


def import_tables(journal: Journal, tables: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Make a journal with no records hold exactly `tables` (from `parse_export`); its
    profile and settings, if any, are replaced by the export's."""
    with journal.transaction() as tx:
        if not tx.is_empty(ignore=REPLACED_BY_IMPORT):
            raise ImportRefused(f"{journal.path} already holds records; import only into an "
                                "empty journal (use --db with a new file), or fold the "
                                "export into this one with `acuplan merge FILE`")
        tx.replace_all(tables)
    return {n: len(d) for n, d in tables.items()}


def write_private(path: Path, data: str | bytes, *, make_dirs: bool = False) -> None:
    """Write an export, a calendar or a report atomically as a 0600 file (it tells of
    health matters); `make_dirs` creates missing folders (0700). JournalWriteError, or
    JournalNotDurable when written but its folder could not be synced."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8", "backslashreplace")
    try:
        if make_dirs:
            atomic.ensure_dir(path.parent)
        atomic.atomic_write(path, data)
    except atomic.NotDurable as e:
        raise JournalNotDurable(path, e) from e
    except OSError as e:
        raise JournalWriteError(path, e) from e


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")
