"""The clinician report as a PDF (SPEC §10), with fpdf2 (pure Python: no system packages).

The same content as the HTML document, in the same order; the chart is drawn with fpdf2's
lines and shapes from the same layout (planner.service.report.chart_layout).

Text: a Unicode TrueType font when one of the usual ones is installed (DejaVu Sans,
Liberation Sans, Arial), else the PDF's built-in Helvetica, which holds only Latin-1.
Either way a character the font cannot show is written as a visible escape (\\u4e2d),
never dropped or drawn as an empty box. Timeline rows and holds are laid out as blocks
of wrapped lines, so a long note breaks across pages instead of overflowing one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from planner.service.report import (
    ABOUT,
    PAPERS,
    TITLE,
    TYPE_LABELS,
    Chart,
    Hold,
    Report,
    chart_layout,
)

# (regular, bold) TrueType fonts looked for, in order.
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
     "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/local/share/fonts/dejavu/DejaVuSans.ttf",
     "/usr/local/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf",
     "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)

# Characters Helvetica (Latin-1) lacks that the fixed words use, in plain ASCII.
_LATIN_STANDINS = {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'",
                   "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u2265": ">=",
                   "\u2264": "<=", "\u2022": "*", "\u00a0": " "}

CLASS_COLOURS = {"mild": (212, 177, 6), "moderate": (224, 123, 0), "severe": (198, 40, 40),
                 "red-flag": (127, 0, 0)}
REDNESS, SWELLING = (179, 38, 30), (31, 95, 168)
SESSION_MARK, EXPOSURE_MARK = (46, 125, 50), (106, 27, 154)
LINE = 4.6  # mm per line of body text


def find_fonts() -> tuple[str, str] | None:
    """The first (regular, bold) pair of TrueType fonts installed, or None."""
    for regular, bold in FONT_CANDIDATES:
        if os.path.isfile(regular) and os.path.isfile(bold):
            return regular, bold
    return None


class _Doc(FPDF):
    """An FPDF with the report's footer and text that every font can show."""

    def __init__(self, paper: str, fonts: tuple[str, str] | None, footer_text: str):
        super().__init__(orientation="P", unit="mm", format=PAPERS[paper])
        self.footer_text = footer_text
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, margin=16)
        # The total page count is written only by the footer: a note that says "{nb}"
        # stays as typed (see footer()).
        self.alias_nb_pages(None)  # type: ignore[arg-type]
        if fonts is not None:
            self.add_font("body", "", fonts[0])
            self.add_font("body", "B", fonts[1])
            self.body_font = "body"
            self.glyphs: set[int] | None = set(getattr(self.fonts["body"], "cmap", ()))
        else:
            self.body_font = "helvetica"
            self.glyphs = None
        self.set_font(self.body_font, "", 10)

    def fit(self, text: str) -> str:
        """`text` with each character the font lacks shown as an escape."""
        glyphs = self.glyphs
        if glyphs is None:
            text = "".join(_LATIN_STANDINS.get(ch, ch) for ch in text)

        def ok(c: str) -> bool:
            if c in "\n\t":
                return True
            n = ord(c)
            return (0x20 <= n <= 0x7E or 0xA0 <= n <= 0xFF) if glyphs is None else n in glyphs

        if all(ok(c) for c in text):
            return text
        return "".join(c if ok(c) else (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF
                                         else f"\\U{ord(c):08x}") for c in text)

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.body_font, "B" if bold else "", size)

    def footer(self) -> None:
        keep = self.str_alias_nb_pages
        self.alias_nb_pages("{nb}")
        self.set_y(-11)
        self.font(7.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, self.fit(f"{self.footer_text} · page {self.page_no()} of {{nb}}"),
                  align="R")
        self.set_text_color(0, 0, 0)
        self.alias_nb_pages(keep)

    # -- blocks of text

    def para(self, text: str, size: float = 10, bold: bool = False, indent: float = 0,
             colour: Sequence[int] = (0, 0, 0), line: float = LINE) -> None:
        self.font(size, bold)
        self.set_text_color(*colour)
        self.set_x(self.l_margin + indent)
        self.wrapped(self.epw - indent, line * size / 10, self.fit(text))
        self.set_text_color(0, 0, 0)

    def wrapped(self, w: float, h: float, text: str) -> None:
        """`text` from the current x, wrapped within `w`; then the next line, at the left
        margin. A text that fits on one line is one cell (fpdf2's line breaking costs
        milliseconds a call, and a ten-year timeline has thousands of short lines)."""
        if "\n" not in text and self.get_string_width(text) <= w - 2 * self.c_margin:
            self.cell(w, h, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            self.multi_cell(w, h, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str, room: float = 30) -> None:
        """A section heading, on a new page when less than `room` mm are left under it."""
        if self.will_page_break(room):
            self.add_page()
        else:
            self.ln(3)
        self.font(13, bold=True)
        self.multi_cell(0, 7, self.fit(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(150, 150, 150)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.y, self.l_margin + self.epw, self.y)
        self.ln(1.5)

    def rows(self, header: Sequence[str] | None, rows: Sequence[Sequence[str]],
             widths: Sequence[float], size: float = 9) -> None:
        """A small table of fixed words (each cell a few words at most)."""
        self.font(size)
        self.set_draw_color(190, 190, 190)
        self.set_fill_color(255, 255, 255)  # no colour left over from the chart
        heads = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
        with self.table(col_widths=tuple(widths), text_align="LEFT",
                        first_row_as_headings=header is not None, line_height=LINE * 0.95,
                        borders_layout="HORIZONTAL_LINES", padding=(0.8, 1.2),
                        headings_style=heads) as table:
            if header is not None:
                table.row([self.fit(h) for h in header])
            for r in rows:
                table.row([self.fit(cell) for cell in r])
        self.ln(1)


def render_pdf(report: Report, paper: str = "a4", fonts: tuple[str, str] | None | str = "auto",
               ) -> bytes:
    """The report as PDF bytes; `fonts` is a (regular, bold) pair of TrueType files, None
    for the built-in Helvetica, or "auto" to look for installed ones (find_fonts)."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    chosen = find_fonts() if fonts == "auto" else fonts
    r = report
    footer = f"{TITLE}, {r.start.isoformat()} to {r.end.isoformat()}"
    pdf = _Doc(paper, chosen if isinstance(chosen, tuple) else None, footer)
    pdf.set_title(footer)
    pdf.set_creator("acuplan")
    pdf.set_producer("acuplan (fpdf2)")
    pdf.add_page()

    pdf.para(TITLE, size=18, bold=True, line=LINE * 1.1)
    pdf.para(f"Records dated {r.start.isoformat()} to {r.end.isoformat()} · made on "
             f"{r.made_on.isoformat()}", size=10.5, bold=True)
    pdf.ln(1)
    pdf.para(ABOUT, size=8.5, colour=(70, 70, 70))

    _summary(pdf, r)
    _profile(pdf, r)
    _holds(pdf, r)
    _chart(pdf, r.chart)
    _timeline(pdf, r)
    _settings(pdf, r)
    _notice(pdf, r)
    pdf.alias_nb_pages("{nb}")  # the last page's footer is written by output()
    return bytes(pdf.output())


def _summary(pdf: _Doc, r: Report) -> None:
    pdf.heading("Summary")
    pdf.rows(None, [(k, v) for k, v in r.counts], (0.55, 0.45))
    if r.open_holds:
        n = r.open_holds
        pdf.para(f"{n} hold{'s are' if n != 1 else ' is'} open today: no sessions until "
                 f"{'they are' if n != 1 else 'it is'} resolved: see Red flags and holds.",
                 bold=True, colour=(138, 28, 20))


def _profile(pdf: _Doc, r: Report) -> None:
    pdf.heading("Profile: conditions and habits", room=60)
    pdf.rows(("Question", "Answer", "What a yes changes"),
             [(a.question, "yes" if a.yes else "no", a.effect if a.yes else "")
              for a in r.answers], (0.38, 0.12, 0.50))
    pdf.para("Zones left out of routines: "
             + ("; ".join(r.exclusions) if r.exclusions else "none"), size=9.5)
    pdf.para("Products kept by name: "
             + ("; ".join(r.own_products) if r.own_products else "none"), size=9.5)


def _holds(pdf: _Doc, r: Report) -> None:
    pdf.heading("Red flags and holds")
    pdf.para("Records of class severe hold sessions until the person marks them resolved; "
             "red flags hold them until a clinician has cleared the person. Open ones first.",
             size=8.5, colour=(70, 70, 70))
    if not r.holds:
        pdf.para("None in this period.")
    for h in r.holds:
        _hold(pdf, h)


def _hold(pdf: _Doc, h: Hold) -> None:
    if pdf.will_page_break(4 * LINE):
        pdf.add_page()
    pdf.ln(1)
    y0, page0 = pdf.y, pdf.page
    state = "OPEN" if h.is_open else "resolved"
    cls = "red flag" if h.skin_class == "red-flag" else h.skin_class
    head = (f"{state} · {cls}{' (emergency sign)' if h.emergency else ''} · "
            f"{TYPE_LABELS[h.type].lower()} of {h.day.isoformat()}"
            + (f" (dated {h.outside}, still open)" if h.outside else ""))
    pdf.para(head, bold=True, indent=3)
    pdf.para(h.summary, size=9.5, indent=3)
    pdf.para(f"Resolution: {h.resolution}", size=9.5, indent=3)
    for a in h.advice:
        pdf.para(f"The person was told: {a}", size=9.5, indent=3)
    if h.note:
        pdf.para(f"Note: {h.note}", size=9.5, indent=3)
    if pdf.page == page0:
        pdf.set_fill_color(*((179, 38, 30) if h.is_open else (150, 150, 150)))
        pdf.rect(pdf.l_margin, y0, 1.4, pdf.y - y0, style="F")
    pdf.ln(1.5)


def _chart(pdf: _Doc, chart: Chart) -> None:
    height = 64.0
    pdf.heading("Redness and swelling", room=height + 25)
    ox, oy = pdf.l_margin, pdf.y
    g = chart_layout(chart, pdf.epw, height, 4.0)
    pdf.font(6.5)
    pdf.set_line_width(0.15)
    for y, label in g.y_ticks:
        pdf.set_draw_color(215, 215, 215)
        pdf.line(ox + g.left, oy + y, ox + g.right, oy + y)
        _text(pdf, ox + g.left - 1.5, oy + y + 0.9, label, "R")
    pdf.set_draw_color(80, 80, 80)
    pdf.set_line_width(0.25)
    pdf.line(ox + g.left, oy + g.top, ox + g.left, oy + g.bottom)
    pdf.line(ox + g.left, oy + g.bottom, ox + g.right, oy + g.bottom)
    for i, (x, label) in enumerate(g.x_ticks):
        pdf.line(ox + x, oy + g.bottom, ox + x, oy + g.bottom + 1.2)
        align = "C"
        if len(g.x_ticks) > 1 and i == 0:
            align = "L"
        elif len(g.x_ticks) > 1 and i == len(g.x_ticks) - 1:
            align = "R"
        _text(pdf, ox + x, oy + g.label_y, label, align)
    _text(pdf, ox + g.left - 1.5, oy + g.session_y + 0.9, "sessions", "R")
    _text(pdf, ox + g.left - 1.5, oy + g.exposure_y + 0.9, "skin treatments", "R")
    pdf.set_fill_color(*SESSION_MARK)
    for x in g.sessions:
        _triangle(pdf, ox + x, oy + g.session_y)
    pdf.set_fill_color(*EXPOSURE_MARK)
    for x in g.exposures:
        _diamond(pdf, ox + x, oy + g.exposure_y)
    pdf.set_line_width(0.5)
    if len(g.swelling) > 1:
        pdf.set_draw_color(*SWELLING)
        pdf.set_dash_pattern(dash=1.6, gap=1.1)
        pdf.polyline([(ox + x, oy + y) for x, y in g.swelling])
        pdf.set_dash_pattern()
    if len(g.redness) > 1:
        pdf.set_draw_color(*REDNESS)
        pdf.polyline([(ox + x, oy + y) for x, y in g.redness])
    pdf.set_fill_color(*SWELLING)
    for x, y in g.swelling:
        pdf.rect(ox + x - 0.9, oy + y - 0.9, 1.8, 1.8, style="F")
    pdf.set_fill_color(*REDNESS)
    for x, y in g.redness:
        pdf.circle(ox + x, oy + y, 0.9, style="F")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_y(oy + height + 1.5)
    _legend(pdf, chart)
    if not chart.points:
        pdf.para("No skin records in this period.", size=9, colour=(70, 70, 70))


def _text(pdf: _Doc, x: float, y: float, text: str, align: str) -> None:
    """`text` with its baseline at y, its left (L), centre (C) or right (R) end at x."""
    text = pdf.fit(text)
    w = pdf.get_string_width(text)
    x = x - w if align == "R" else x - w / 2 if align == "C" else x
    pdf.set_text_color(50, 50, 50)
    pdf.text(x, y, text)
    pdf.set_text_color(0, 0, 0)


def _triangle(pdf: _Doc, x: float, y: float) -> None:
    pdf.polyline([(x, y - 1.3), (x + 1.2, y + 0.8), (x - 1.2, y + 0.8)], polygon=True,
                 style="F")


def _diamond(pdf: _Doc, x: float, y: float) -> None:
    pdf.polyline([(x, y - 1.3), (x + 1.2, y), (x, y + 1.3), (x - 1.2, y)], polygon=True,
                 style="F")


def _legend(pdf: _Doc, chart: Chart) -> None:
    """One line under the chart: what each line and mark means."""
    y = pdf.y + 2
    x = pdf.l_margin
    pdf.font(8)
    pdf.set_line_width(0.5)
    pdf.set_draw_color(*REDNESS)
    pdf.line(x, y, x + 6, y)
    pdf.set_fill_color(*REDNESS)
    pdf.circle(x + 3, y, 0.9, style="F")
    x += 7.5
    _text(pdf, x, y + 1, "redness (solid)", "L")
    x += pdf.get_string_width("redness (solid)") + 5
    pdf.set_draw_color(*SWELLING)
    pdf.set_dash_pattern(dash=1.6, gap=1.1)
    pdf.line(x, y, x + 6, y)
    pdf.set_dash_pattern()
    pdf.set_fill_color(*SWELLING)
    pdf.rect(x + 2.1, y - 0.9, 1.8, 1.8, style="F")
    x += 7.5
    _text(pdf, x, y + 1, "swelling (dashed)", "L")
    x += pdf.get_string_width("swelling (dashed)") + 5
    pdf.set_fill_color(*SESSION_MARK)
    _triangle(pdf, x + 1.2, y)
    _text(pdf, x + 3.5, y + 1, "a session", "L")
    x += 3.5 + pdf.get_string_width("a session") + 5
    pdf.set_fill_color(*EXPOSURE_MARK)
    _diamond(pdf, x + 1.2, y)
    _text(pdf, x + 3.5, y + 1, "a skin treatment (product, procedure, injectable)", "L")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_y(y + 3)
    pdf.para(f"0 none to 4 severe; the highest rating of each {chart.per} with a skin record; "
             f"{'days' if chart.days == 1 else 'stretches'} without one are not drawn.",
             size=8, colour=(70, 70, 70))


def _timeline(pdf: _Doc, r: Report) -> None:
    pdf.heading("Timeline")
    if not r.timeline:
        pdf.para("Nothing recorded in this period.")
        return
    date_w, type_w = 24.0, 22.0
    for e in r.timeline:
        if pdf.will_page_break(3 * LINE):
            pdf.add_page()
        y0, page0 = pdf.y, pdf.page
        pdf.set_x(pdf.l_margin + 2.5)
        pdf.font(9.5, bold=True)
        pdf.cell(date_w, LINE, e.day.isoformat())
        pdf.cell(type_w, LINE, pdf.fit(TYPE_LABELS[e.type]))
        pdf.font(9.5)
        indent = 2.5 + date_w + type_w
        pdf.wrapped(pdf.epw - indent, LINE, pdf.fit(e.title))
        for d in e.details:
            pdf.para(d, size=9, indent=indent)
        if e.note:
            pdf.para(f"Note: {e.note}", size=9, indent=indent, colour=(40, 40, 40))
        colour = CLASS_COLOURS.get(e.skin_class or "")
        if colour is not None and pdf.page == page0:
            pdf.set_fill_color(*colour)
            pdf.rect(pdf.l_margin, y0 + 0.3, 1.4 if e.skin_class != "red-flag" else 2.2,
                     pdf.y - y0 - 0.6, style="F")
        pdf.set_draw_color(220, 220, 220)
        pdf.set_line_width(0.15)
        pdf.line(pdf.l_margin, pdf.y + 0.8, pdf.l_margin + pdf.epw, pdf.y + 0.8)
        pdf.ln(1.6)


def _settings(pdf: _Doc, r: Report) -> None:
    pdf.heading("Rule settings", room=70)
    pdf.para("A value may only be made stricter than its default. Cadence and grace set the "
             "streak's rhythm, not safety spacing.", size=8.5, colour=(70, 70, 70))
    pdf.rows(("Setting", "Value", "Default", "Allowed"),
             [(s.meaning, f"{s.value}{' (changed)' if s.changed else ''}", str(s.default),
               f"{s.low}–{s.high}") for s in r.settings], (0.52, 0.18, 0.14, 0.16))


def _notice(pdf: _Doc, r: Report) -> None:
    pdf.heading("Safety notice the person accepted", room=60)
    for p in r.notice.split("\n\n"):
        if p.strip():
            pdf.para(p, size=9.5)
            pdf.ln(1.5)


__all__ = ["render_pdf", "find_fonts", "FONT_CANDIDATES"]
