"""Whole journals in and out of this one: an export imported into an empty journal,
another copy merged in (service/merge.py), a kept version restored. Each is checked as
the commands would check it; none may lift an open hold.
"""

from __future__ import annotations

from pathlib import Path

from planner.domain.models import Profile, Settings, from_doc, to_doc
from planner.domain.rules import Engine
from planner.service.core import gc_paused
from planner.service.holds import hold_edit_message, hold_reasons, holds_kept
from planner.service.inputs import ImportProblems, Refused
from planner.service.routine_use import RoutineQueries
from planner.service.tables import BadRecord, state_from


def _other_copy(payload: bytes, source: str):
    """Another copy of the journal as `merge` takes it: a journal file, or a JSON export
    (`acuplan export`; it has no version stamps, so each of its records counts as
    written before them), checked as reading a journal checks it; CopyUnusable (exit 4)
    naming `source` when it cannot be used."""
    from planner.service.merge import Copy
    from planner.store import codec
    from planner.store.errors import CopyUnusable, ImportRefused
    from planner.store.exchange import parse_export
    from planner.store.migrations import CURRENT_SCHEMA, STAMPS, SYSTEM_TABLES
    from planner.store.reader import BadJournal, TooNew, checked, parse

    versions: dict[str, dict] = {}
    try:
        doc = codec.decode(payload) if payload.strip() else None
    except (ValueError, RecursionError):
        doc = None  # `parse` below says what is wrong, as for a journal
    if isinstance(doc, dict) and "acuplan_export" in doc:
        try:
            tables = parse_export(payload.decode("utf-8").removeprefix("\ufeff"))
        except (ImportRefused, UnicodeDecodeError) as e:
            raise CopyUnusable(source, str(e)) from None
    else:
        try:
            raw, _schema = parse(payload) if doc is None else checked(doc)
        except TooNew as e:
            raise CopyUnusable(source, f"it uses schema version {e.found} but this acuplan "
                                       f"only knows up to {CURRENT_SCHEMA} (upgrade acuplan "
                                       "first)") from None
        except BadJournal as e:
            raise CopyUnusable(source, e.reason) from None
        tables = {n: list(t.values()) for n, t in raw.items() if n not in SYSTEM_TABLES}
        versions = {d["id"]: d for d in (raw.get(STAMPS) or {}).values()
                    if isinstance(d.get("id"), str)}
    try:
        state_from(lambda t: tables.get(t, []))
    except BadRecord as e:
        raise CopyUnusable(source, f"{e} (changed by hand?)") from None
    return Copy(tables, versions)


class DataCommands(RoutineQueries):
    """Import, merge and restore."""

    def import_export(self, text: str) -> dict[str, int]:
        """Load a JSON export into an empty journal, after checking every record and
        setting as the commands would (exit 2 listing the problems, nothing written).
        The export's user routines are checked by the library's validator as a routine
        file is, and written to the routines folder before the journal; if the journal
        cannot be written, the routine files this import created are removed again."""
        from planner.service.import_checks import check_import
        from planner.store.exchange import import_tables, parse_export_with_routines

        tables, routines = parse_export_with_routines(text)
        problems = check_import(tables, self.today)
        to_write = self._check_import_routines(routines, problems)
        if problems:
            raise ImportProblems(problems)
        tables = self._kept_cautions(tables)
        created = self._write_import_routines(to_write)
        try:
            counts = import_tables(self.journal, tables)
        except BaseException:
            for path in created:
                path.unlink(missing_ok=True)
            raise
        finally:
            self._library = None  # read again with what is in the folder now
        if routines:
            counts["routines"] = len(routines)
        return counts

    def _kept_cautions(self, tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
        """An import may land on a journal whose first run already wrote a profile and
        settings (nothing else): the export's replace them, but never more loosely, so a
        caution answered yes here, an excluded zone, or a stricter rule value stays."""
        from planner.domain.profile_questions import cautious_union
        from planner.domain.settings_rules import stricter_of
        from planner.store.errors import StoreError

        try:
            here = self.state()
        except StoreError:
            return tables  # unreadable: the import's own write reports it
        out = dict(tables)

        def put(name: str, merged: dict, default: dict) -> None:
            docs = tables.get(name) or []
            if docs and "id" in docs[0]:  # the export's record, keeping its id and order
                merged = {k: merged.get(k, v) for k, v in docs[0].items()} | merged
            if docs or merged != default:
                out[name] = [merged]

        p_docs, s_docs = tables.get("profile") or [], tables.get("settings") or []
        put("profile", to_doc(cautious_union(
            here.profile, from_doc(Profile, p_docs[0]) if p_docs else Profile())),
            to_doc(Profile()))
        put("settings", to_doc(stricter_of(
            here.settings, from_doc(Settings, s_docs[0]) if s_docs else Settings())),
            to_doc(Settings()))
        return out

    def _check_import_routines(self, routines: list[dict[str, str]],
                               problems: list[str]) -> list[tuple[Path, str]]:
        """Files to write for the export's routines; each problem appended to `problems`.
        A routine already in the folder with the same text is left as it is."""
        from planner.library.loader import user_routine_files, validate_bytes

        if not routines:
            return []
        lib = self.library()
        points = lib.points
        shipped = {r.id for r in lib.routines.values() if r.source == "shipped"}
        existing = user_routine_files(self.user_routines_dir)
        out: list[tuple[Path, str]] = []
        for r in routines:
            rid, toml = r["id"], r["toml"]
            label = f"routine {rid!r}"
            routine, issues = validate_bytes(toml.encode("utf-8", "surrogatepass"), label,
                                             points, "user")
            problems.extend(str(i) for i in issues)
            if routine is None:
                continue
            if routine.id != rid:
                problems.append(f"{label}: its TOML says id {routine.id!r}")
            elif rid in shipped:
                problems.append(f"{label}: is a shipped routine's id")
            elif rid in existing:
                try:
                    same = existing[rid].read_text(encoding="utf-8").removeprefix(
                        "\ufeff") == toml
                except (OSError, ValueError):
                    same = False
                if not same:
                    problems.append(f"{label}: {existing[rid]} already holds a routine with "
                                    "this id and other content; move it away first")
            else:
                target = self.user_routines_dir / f"{rid}.toml"
                if target.exists() or target.is_symlink():
                    problems.append(f"{label}: {target} exists and is not this routine; "
                                    "move it away first")
                else:
                    out.append((target, toml))
        return out

    def _write_import_routines(self, files: list[tuple[Path, str]]) -> list[Path]:
        """Write each routine file atomically (0600, folder 0700); on a failure remove
        those written so far and raise the store's write error."""
        import os

        from planner.store import atomic
        from planner.store.errors import JournalWriteError

        created: list[Path] = []
        try:
            for target, toml in files:
                atomic.ensure_dir(target.parent)
                os.chmod(target.parent, atomic.DIR_MODE)
                atomic.atomic_write(target, toml.encode("utf-8"), through_links=False)
                created.append(target)
        except OSError as e:
            for path in created:
                path.unlink(missing_ok=True)
            raise JournalWriteError(target, e) from e
        return created

    def merge_copy(self, payload: bytes, source: str, *, dry_run: bool = False):
        """Fold another copy of this journal (a second machine's file, a sync tool's
        conflict copy) into it by record id (SPEC §10, service/merge.py). The other copy
        is read as a journal is (an unreadable or newer file, or a record the rules
        cannot use: exit 4, nothing written) and never written. The merged history is
        re-checked: open holds stay open unless resolved, and the report lists sessions
        that now break a rule and plans now blocked. `dry_run`: report, write nothing."""
        from planner.service.merge import (
            Copy,
            MergeReport,
            holds_lifted,
            merge_copies,
            records_of,
            rule_changes,
        )

        theirs = _other_copy(payload, source)
        with self._change(lifts_holds=True) as w:
            ours = Copy({t: w.tx.all(t) for t in w.tx.tables()}, w.tx.stamps())
            with gc_paused():  # tens of thousands of short-lived values, no cycles
                merged = merge_copies(ours, theirs)
            st = self._state_of(records_of(merged))
            after = Engine(st.history, st.settings, self.today)
            lifted = holds_lifted(w.engine, after)
            if lifted:
                raise Refused(hold_edit_message(lifted[0], "lifted by a merge"),
                              hold_reasons(lifted[0]))
            breaking, blocked = rule_changes(w.engine, after, self.today)
            written = merged.changed and not dry_run
            if written:
                w.tx.replace_all(merged.tables, merged.stamps)
        return MergeReport(source, merged, breaking, blocked, written)

    def restore_version(self, label: str):
        """Put a kept version back. If the journal now is readable and holds open holds,
        the version must keep them open (a restore is not a way round `resolve`)."""
        from planner.store import versions
        from planner.store.errors import StoreError
        from planner.store.reader import BadJournal, parse

        try:
            st, eng = self._load()
        except StoreError:
            st = None  # unreadable now: restoring it is what restore is for
        if st is not None:
            source = versions.find_version(Path(self.journal.path), label)
            try:
                raw, _schema = parse(source.read_bytes())
            except (OSError, BadJournal):
                raw = None  # versions.restore reports it
            if raw is not None:
                other = self._state_of(lambda t: list((raw.get(t) or {}).values()))
                holds_kept(eng, Engine(other.history, other.settings, self.today),
                            self.today, action="restoring that version")
        return versions.restore(Path(self.journal.path), label)
