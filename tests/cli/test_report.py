"""`acuplan report`: the clinician report as a file (SPEC §10), its bad inputs, and the
documents rendered by real programs: headless Chromium for the HTML, pdftoppm for the PDF
(each test skips, saying so, when its program is not installed)."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from planner.service.report import PAPERS

NOTE = "<script>x</script> [0.5%]"
LONG = "x" * 300  # one word wider than any page: must wrap, not widen the page


@pytest.fixture
def filled(acu):
    """A journal with a session, a product by name, a reaction, a red flag and a check-in
    inside 2026-11-01..2026-11-30, and a session before it."""
    acu.ok("profile", "set", "--rosacea", "yes")
    acu.ok("log", "session", "--date", "2026-10-01", "--minutes", "8", "--note", "before")
    acu.ok("log", "session", "--date", "2026-11-02", "--minutes", "10", "--note", NOTE)
    acu.ok("log", "product", "retinoid", "--product", "Night cream [0.3%]",
           "--date", "2026-11-05", "--note", LONG)
    sid = acu.ok_json("log", "session", "--date", "2026-11-12", "--minutes", "5",
                      "--aborted")["id"]
    acu.ok("log", "reaction", "--date", "2026-11-12", "--session", sid, "--redness", "2",
           "--swelling", "1")
    acu.ok("checkin", "--date", "2026-11-14", "--redness", "3", "--flag", "fever",
           "--note", "hot cheek")
    acu.ok("checkin", "--date", "2026-11-20", "--swelling", "1")
    return acu


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_report_writes_an_html_and_a_pdf_file_private(filled, tmp_path):
    html, pdf = tmp_path / "out" / "report.html", tmp_path / "report.PDF"
    r = filled.ok("report", "--from", "2026-11-01", "--to", "2026-11-30", "-o", str(html))
    assert r.stdout.splitlines() == [
        f"wrote an HTML report of 6 records from 2026-11-01 to 2026-11-30 (A4) to {html}",
        "it lists 1 open hold first"]
    text = html.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "&lt;script&gt;x&lt;/script&gt;" in text
    assert "<script>" not in text and "2026-10-01" not in text  # the session before
    assert _mode(html) == 0o600 and _mode(html.parent) == 0o700
    r = filled.ok("report", "-o", str(pdf), "--paper", "letter")
    assert r.stdout.startswith("wrote a PDF report of 7 records from 2026-10-01 to 2026-12-01 "
                               "(Letter)")
    assert pdf.read_bytes().startswith(b"%PDF-") and _mode(pdf) == 0o600


def test_report_json_says_what_it_wrote(filled, tmp_path):
    out = tmp_path / "r.htm"
    assert filled.ok_json("report", "-o", str(out), "--to", "2026-11-13") == {
        "file": str(out), "format": "html", "paper": "a4", "from": "2026-10-01",
        "to": "2026-11-13", "records": 5, "open_holds": 1}


def test_a_second_report_replaces_the_first(filled, tmp_path):
    out = tmp_path / "r.html"
    filled.ok("report", "-o", str(out), "--to", "2026-10-31")
    first = out.read_text("utf-8")
    filled.ok("report", "-o", str(out))
    assert out.read_text("utf-8") != first and "hot cheek" in out.read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".r", "r"))) == [
        "r.html"]  # no temp file left beside it


@pytest.mark.parametrize("args, words", [
    (("-o", "{d}/report.txt"), (".html", ".pdf")),
    (("-o", "{d}/report"), (".html", ".pdf")),
    (("-o", "{d}/x.html", "--from", "2026-11-10", "--to", "2026-11-01"),
     ("--to 2026-11-01", "before")),
    (("-o", "{d}/x.html", "--paper", "a5"), ("a4", "letter")),
    (("-o", "{d}/x.html", "--from", "2026-02-30"), ("2026-02-30",)),
    ((), ("-o",)),
])
def test_bad_input_is_one_error_line_and_nothing_written(filled, tmp_path, args, words):
    before = filled.raw()
    d = tmp_path / "reports"
    d.mkdir()
    filled.bad(filled("report", *(a.format(d=d) for a in args)), *words)
    assert list(d.iterdir()) == [] and filled.raw() == before


def test_the_journal_its_versions_and_a_directory_are_refused(filled, tmp_path):
    journal = filled.path
    kept = sorted(journal.parent.glob(journal.name + ".prev-*"))
    assert kept
    before = filled.raw()
    for target in (journal, kept[0]):
        # the suffix is checked first: rename the target so that only the family rule refuses
        link = tmp_path / f"{target.name}-link.html"
        link.symlink_to(target)
        filled.bad(filled("report", "-o", str(link)), "journal")
        assert link.is_symlink()
    sneaky = journal.parent / (journal.name + ".report.html")
    filled.bad(filled("report", "-o", str(sneaky)), "journal")
    assert not sneaky.exists()
    folder = tmp_path / "folder.html"
    folder.mkdir()
    filled.bad(filled("report", "-o", str(folder)), "directory")
    assert filled.raw() == before and list(folder.iterdir()) == []


def test_an_unusable_journal_is_exit_4_and_nothing_written(acu, tmp_path):
    acu.path.parent.mkdir(parents=True)
    acu.path.write_bytes(b"garbage")
    out = tmp_path / "r.pdf"
    r = acu("report", "-o", str(out))
    assert r.exit_code == 4 and r.err_lines[0].startswith("error: ")
    acu.no_traceback(r)
    assert not out.exists() and acu.path.read_bytes() == b"garbage"


def test_no_journal_yet_gives_an_empty_report_and_creates_no_journal(acu, tmp_path):
    out = tmp_path / "r.html"
    acu.ok("report", "-o", str(out))
    assert "Nothing recorded in this period." in out.read_text("utf-8")
    assert acu.raw() is None


def test_an_unwritable_place_is_exit_4(filled, tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/acuplan-report.html")  # root may write anywhere but here
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "r.html"
    r = filled("report", "-o", str(target))
    assert r.exit_code == 4 and len(r.err_lines) == 1 and "cannot write" in r.stderr
    filled.no_traceback(r)


def test_help_lists_the_command(acu):
    assert "report" in acu.ok("--help").stdout
    out = acu.ok("report", "--help").stdout
    assert "--from" in out and "--paper" in out and "FILE.pdf" in out


def test_a_hostile_file_name_is_printed_escaped(filled, tmp_path):
    out = tmp_path / "r\x1b[31m.html"
    r = filled.ok("report", "-o", str(out))
    assert "\x1b" not in r.stdout and "\\x1b[31m.html" in r.stdout and out.exists()


# ------------------------------------------------------------------ real renderers

CHROMIUM = next((c for c in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(c)), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install "
    "chromium); the HTML is still parsed by tests/unit/test_report.py")
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm is not installed (Debian: apt-get "
    "install poppler-utils); the PDF's text is still read by tests/unit/test_report.py")
MM_TO_PX = 96 / 25.4  # CSS pixels per millimetre


def _chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    assert CHROMIUM is not None
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-extensions", "--hide-scrollbars", "--mute-audio",
           f"--user-data-dir={cwd / 'chromium-profile'}", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=180,
                          check=False)


def _ink(png: Path) -> tuple[float, tuple[int, int], set[str]]:
    """The share of non-white pixels, the size, and which strong colours appear."""
    from PIL import Image

    with Image.open(png) as im:
        rgb = im.convert("RGB")
        size = rgb.size
        small = rgb.resize((size[0] // 2 or 1, size[1] // 2 or 1))
    raw = small.tobytes()
    pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
    dark = sum(1 for r, g, b in pixels if r + g + b < 600)
    colours = set()
    for r, g, b in pixels:
        if r > 140 and g < 80 and b < 80:
            colours.add("red")
        if b > 130 and r < 80:
            colours.add("blue")
    return dark / len(pixels), size, colours


@needs_chromium
def test_chromium_renders_the_html_not_blank(filled, tmp_path):
    out = tmp_path / "report.html"
    filled.ok("report", "-o", str(out))
    png = tmp_path / "shot.png"
    r = _chromium("--window-size=800,2400", f"--screenshot={png}", out.as_uri(), cwd=tmp_path)
    assert png.exists(), r.stderr[-2000:]
    ink, size, colours = _ink(png)
    assert size == (800, 2400)
    assert 0.01 < ink < 0.5, ink  # text and lines, on white
    assert {"red", "blue"} <= colours  # the chart's redness and swelling lines


@needs_chromium
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_the_html_fits_the_page_width(filled, tmp_path, paper):
    """Laid out at the width of the printed page's text (the paper less the @page margins,
    13 mm a side), nothing sticks out sideways: not the chart, not the tables, not a long
    unbroken word. A copy of the report gets a probe script (the report itself has none and
    forbids any), which writes the widths into the title for --dump-dom."""
    out = tmp_path / "report.html"
    filled.ok("report", "-o", str(out), "--paper", paper)
    html = out.read_text("utf-8")
    assert html.count("Content-Security-Policy") == 1
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html).replace(
        "</body>", "<script>document.title = 'W ' + document.documentElement.scrollWidth + ' '"
        " + document.documentElement.clientWidth;</script></body>")
    copy = tmp_path / "probe.html"
    copy.write_text(probe, "utf-8")
    width = round((PAPERS[paper][0] - 26) * MM_TO_PX)
    r = _chromium(f"--window-size={width},1200", "--dump-dom", copy.as_uri(), cwd=tmp_path)
    m = re.search(r"<title>W (\d+) (\d+)</title>", r.stdout)
    assert m, r.stderr[-2000:]
    scroll, client = int(m.group(1)), int(m.group(2))
    assert client == width and scroll <= client, (scroll, client)


@needs_chromium
@needs_pdftoppm
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_chromium_prints_the_html_on_the_chosen_paper(filled, tmp_path, paper):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "report.html"
    filled.ok("report", "-o", str(out), "--paper", paper)
    printed = tmp_path / "printed.pdf"
    r = _chromium("--no-pdf-header-footer", f"--print-to-pdf={printed}", out.as_uri(),
                  cwd=tmp_path)
    assert printed.exists(), r.stderr[-2000:]
    reader = pypdf.PdfReader(io.BytesIO(printed.read_bytes()))
    w, h = (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height))
    mm = 72 / 25.4
    assert abs(w - PAPERS[paper][0] * mm) < 2 and abs(h - PAPERS[paper][1] * mm) < 2
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "<script>x</script> [0.5%]" in text and "Safety notice" in text
    png = _pdftoppm(printed, tmp_path / "printed-page")
    ink, _, colours = _ink(png)
    assert 0.01 < ink < 0.5 and "red" in colours  # the open red flag's box and title


def _pdftoppm(pdf: Path, stem: Path) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(stem)], check=True, capture_output=True, timeout=120)
    png = stem.with_suffix(".png")
    assert png.exists()
    return png


@needs_pdftoppm
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_pdftoppm_renders_page_one_of_the_pdf(filled, tmp_path, paper):
    out = tmp_path / "report.pdf"
    filled.ok("report", "-o", str(out), "--paper", paper)
    png = _pdftoppm(out, tmp_path / "page")
    ink, (w, h), colours = _ink(png)
    assert 0.01 < ink < 0.5, ink
    assert abs(h / w - PAPERS[paper][1] / PAPERS[paper][0]) < 0.01
    assert "red" in colours  # the open red flag's bar and the summary's warning
