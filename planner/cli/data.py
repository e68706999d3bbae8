"""`acuplan export`, `acuplan import`, `acuplan restore`: data out, in, and back.

These go straight to the store for the file work (SPEC §6: exports, kept versions);
what an import or a restore may change is checked by the service."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.inputs import json_option
from planner.service.planner import BadInput
from planner.store.layout import in_journal_family


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True, help="json is lossless and re-importable; csv is for "
              "spreadsheets.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (mode 0600) instead of "
              "standard output.")
@pass_env
def export_cmd(env: Env, fmt: str, output: str | None) -> None:
    """Export the whole journal."""
    from planner.store.exchange import export_csv, export_json, write_private

    if output is not None:
        target = Path(output)
        if in_journal_family(target, env.path):
            raise BadInput(f"-o {output} is the journal or one of its kept versions; "
                           "choose another file")
        if target.is_dir():
            raise BadInput(f"-o {output} is a directory; give a file name")
    snapshot = env.planner.journal.snapshot()
    if fmt == "csv":  # for reading: each session with the rules it broke, as derived now
        broke = {s.id: s.violations for s in env.planner.state().history.sessions}
        snapshot = {**snapshot, "sessions": [
            {**d, "violations": [r.rule for r in broke.get(d["id"], ())]}
            for d in snapshot.get("sessions", [])]}
    mine = env.planner.routines_for_export() if fmt == "json" else []
    text = export_json(snapshot, routines=mine) if fmt == "json" else export_csv(snapshot)
    if output is None:
        out.write(text.rstrip("\n"))
        return
    write_private(Path(output), text)
    n = sum(len(v) for v in snapshot.values())
    also = f" and {len(mine)} routine{'s' if len(mine) != 1 else ''} of your own" if mine \
        else ""
    out.write(f"exported {n} record{'s' if n != 1 else ''}{also} as {fmt} to {output}",
              err=True)


IMPORT_LIMIT = 64 * 1024 * 1024  # SPEC §6: an export of decades is a few MiB


@click.command("import")
@click.argument("file", metavar="FILE")
@json_option
@pass_env
def import_cmd(env: Env, file: str, as_json: bool) -> None:
    """Import a JSON export into an empty journal."""
    from planner.store.bounded import NotAPlainFile, read_bounded

    try:
        data = read_bounded(file, IMPORT_LIMIT, "an import")
    except NotAPlainFile as e:
        raise BadInput(f"{out.one_line(file)} cannot be imported: {e}") from None
    except OSError as e:
        raise BadInput(f"cannot read {out.one_line(file)}: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise BadInput(f"{file} is not UTF-8 text; give a JSON file made by "
                       "`acuplan export`") from None
    counts = env.planner.import_export(text)
    if as_json:
        out.dump_json({"imported": counts})
        return
    records = {k: v for k, v in counts.items() if k != "routines"}
    total = sum(records.values())
    detail = ", ".join(f"{k} {v}" for k, v in sorted(records.items()) if v)
    mine = counts.get("routines", 0)
    out.write(f"imported {total} record{'s' if total != 1 else ''} into {env.path}"
              + (f" ({detail})" if detail else "")
              + (f", and {mine} routine{'s' if mine != 1 else ''} of your own" if mine
                 else ""))


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _counts_text(counts: dict[str, int]) -> str:
    shown = {k: v for k, v in sorted(counts.items()) if v}
    if not shown:
        return "empty"
    return ", ".join(f"{k} {v}" for k, v in shown.items())


def _current_state(path: Path) -> tuple[bool, str]:
    from planner.store.errors import StoreError
    from planner.store.journal import Journal

    if not os.path.lexists(path):
        return False, "does not exist"
    try:
        snap = Journal(path).snapshot()
    except StoreError as e:  # its reason only: this command is the advice it would give
        return False, f"unreadable: {getattr(e, 'reason', None) or e}"
    return True, "readable: " + _counts_text({k: len(v) for k, v in snap.items()})


@click.command("restore")
@click.argument("version", required=False, metavar="[VERSION]")
@json_option
@pass_env
def restore_cmd(env: Env, version: str | None, as_json: bool) -> None:
    """List kept versions, or restore VERSION.

    Restoring moves the current file aside (it is never deleted) and puts a copy
    of the chosen version in its place.
    """
    from planner.store import versions
    from planner.store.errors import restore_command

    path = env.path
    if version is None:
        found = versions.list_versions(path)
        if as_json:
            ok, state = _current_state(path)
            out.dump_json({
                "journal": str(path), "journal_readable": ok,
                "versions": [{"label": v.label, "kind": v.kind, "path": str(v.path),
                              "modified": datetime.fromtimestamp(v.mtime).isoformat(
                                  timespec="seconds"),
                              "readable": v.readable, "counts": v.counts, "error": v.error}
                             for v in found]})
            return
        ok, state = _current_state(path)
        out.write(f"journal {path}: {state}")
        if not found:
            out.write("no kept versions")
            return
        out.write("kept versions, newest first:")
        rows = []
        for v in found:
            what = ("readable: " + _counts_text(v.counts)) if v.readable else (
                f"UNREADABLE: {v.error}")
            rows.append((v.label, v.kind, _when(v.mtime), out.one_line(what)))
        for line in out.table(rows, ("version", "kind", "written", "state")):
            out.write(line)
        out.write(f"restore one: `{restore_command(path)} VERSION`")
        return
    aside = env.planner.restore_version(version)
    if as_json:
        out.dump_json({"restored": version, "journal": str(path),
                       "moved_aside": str(aside) if aside else None})
        return
    out.write(f"restored {version} into {path}")
    if aside is not None:
        out.write(f"the file it replaced was moved to {aside} (not deleted)")


__all__ = ["export_cmd", "import_cmd", "restore_cmd"]
