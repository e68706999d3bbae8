"""`acuplan merge OTHER.json`: another copy of the journal folded into this one by record
id (SPEC §10; planner/service/merge.py). The file is read, never written."""

from __future__ import annotations

import os
from pathlib import Path

import click

from planner.cli import output as out
from planner.cli.data import IMPORT_LIMIT
from planner.cli.env import Env, pass_env
from planner.cli.inputs import json_option
from planner.service.merge import report_lines
from planner.service.planner import BadInput


def read_copy(file: str, journal: Path) -> bytes:
    """The other copy's bytes; BadInput (exit 2) when it is this journal, missing, not a
    plain file or too large."""
    from planner.store.bounded import NotAPlainFile, read_bounded

    try:
        if os.path.exists(file) and os.path.exists(journal) and \
                os.path.samefile(file, journal):
            raise BadInput(f"{out.one_line(file)} is this journal itself; give the other "
                           "copy")
        return read_bounded(file, IMPORT_LIMIT, "a journal copy")
    except NotAPlainFile as e:
        raise BadInput(f"{out.one_line(file)} cannot be merged: {e}") from None
    except OSError as e:
        raise BadInput(f"cannot read {out.one_line(file)}: {e.strerror or e}") from None


@click.command("merge")
@click.argument("other", metavar="OTHER.json")
@click.option("--dry-run", is_flag=True, help="Show what the merge would do; write nothing.")
@json_option
@pass_env
def merge(env: Env, other: str, dry_run: bool, as_json: bool) -> None:
    """Fold another copy of this journal into it (a second machine's file, a sync tool's
    conflict copy, or a JSON export), by record id.

    A record changed on one side takes that change; changed on both, the later change
    wins and the other is listed (a record deleted on one side and changed on the other
    is kept; a hold is kept until resolved; cautions and stricter rule values of either
    side stay). Merging again changes nothing. OTHER is never written, and this journal
    as it was is kept as a version (`acuplan restore`). The merged history is checked by
    the rules: sessions that now break one and plans now blocked are listed.
    """
    payload = read_copy(other, env.path)
    report = env.planner.merge_copy(payload, out.one_line(other), dry_run=dry_run)
    if as_json:
        out.dump_json(report.to_json())
        return
    for line in report_lines(report, str(env.path), dry_run):
        out.write(line)


__all__ = ["merge", "read_copy"]
