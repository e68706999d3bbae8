"""`acuplan report`: the clinician report (SPEC §10) as one HTML or PDF file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.inputs import DATE, json_option
from planner.service.planner import BadInput
from planner.store.layout import in_journal_family

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}
PAPER_NAMES = {"a4": "A4", "letter": "Letter"}


def format_of(output: str) -> str:
    """"html" or "pdf", from the file name's suffix; BadInput for any other."""
    fmt = FORMATS.get(Path(output).suffix.lower())
    if fmt is None:
        raise BadInput(f"-o {out.one_line(output)}: the file name must end in .html, .htm or "
                       ".pdf (that chooses the format)")
    return fmt


def write_private(path: Path, data: bytes) -> None:
    """Write the report as exports are (SPEC §6), creating missing folders (0700)."""
    from planner.store.exchange import write_private as write_file

    write_file(path, data, make_dirs=True)


@click.command("report")
@click.option("--from", "start", type=DATE, help="First date to include (default: the "
              "first record).")
@click.option("--to", "end", type=DATE, help="Last date to include (default: today).")
@click.option("-o", "--output", metavar="FILE", required=True,
              help="Write to FILE (mode 0600): FILE.html or FILE.pdf.")
@click.option("--paper", type=click.Choice(list(PAPER_NAMES)), default="a4",
              show_default=True, help="Page size when printed.")
@json_option
@pass_env
def report(env: Env, start: date | None, end: date | None, output: str, paper: str,
           as_json: bool) -> None:
    """A report for a clinician: profile, rule settings, a dated timeline of what was
    recorded, a redness and swelling chart, every red flag and hold, and the safety
    notice; one self-contained HTML file or a PDF."""
    if start and end and end < start:
        raise BadInput(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    fmt = format_of(output)
    target = Path(output)
    if in_journal_family(target, env.path):
        raise BadInput(f"-o {out.one_line(output)} is the journal or one of its kept "
                       "versions; choose another file")
    if target.is_dir():
        raise BadInput(f"-o {out.one_line(output)} is a directory; give a file name")

    from planner.service.report import gather

    rep = gather(env.planner, start, end)
    if fmt == "html":
        from planner.service.report_html import render_html

        data = render_html(rep, paper).encode("utf-8")
    else:
        from planner.service.report_pdf import render_pdf

        data = render_pdf(rep, paper)
    write_private(target, data)
    n = len(rep.timeline)
    if as_json:
        out.dump_json({"file": str(target), "format": fmt, "paper": paper,
                       "from": rep.start.isoformat(), "to": rep.end.isoformat(),
                       "records": n, "open_holds": rep.open_holds})
        return
    what = "an HTML" if fmt == "html" else "a PDF"
    out.write(f"wrote {what} report of {n} record{'s' if n != 1 else ''} from "
              f"{rep.start.isoformat()} to {rep.end.isoformat()} ({PAPER_NAMES[paper]}) to "
              f"{out.one_line(output)}")
    if rep.open_holds:
        k = rep.open_holds
        out.write(f"it lists {k} open hold{'s' if k != 1 else ''} first")


__all__ = ["report", "format_of", "write_private"]
