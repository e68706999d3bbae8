"""The clinician report as one self-contained HTML document (SPEC §10).

No script, nothing loaded from anywhere (a Content-Security-Policy that allows only the
inline style says so to the browser too), the chart drawn as inline SVG, and print CSS
for A4 or Letter (`@page`). Every string written into the document goes through `esc`,
whether the user typed it or not.
"""

from __future__ import annotations

from html import escape

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

CHART_WIDTH, CHART_HEIGHT, CHART_UNIT = 720.0, 260.0, 14.0
REDNESS_COLOUR, SWELLING_COLOUR = "#b3261e", "#1f5fa8"

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial,
       sans-serif; font-size: 10pt; line-height: 1.35; color: #111; background: #fff;
       max-width: 190mm; margin: 8mm auto; padding: 0 4mm; }
h1 { font-size: 17pt; margin: 0 0 1mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid #999;
     break-after: avoid; page-break-after: avoid; }
p { margin: 1mm 0 2mm; }
.period { font-weight: 600; }
.about, .caption, .muted { color: #444; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 1.5mm;
         border-bottom: 1px solid #ccc; overflow-wrap: anywhere; word-break: break-word; }
th { background: #eee; font-weight: 600; }
thead { display: table-header-group; }
tr, .hold, figure, .keep, #chart { break-inside: avoid; page-break-inside: avoid; }
.facts th { width: 55%; background: none; font-weight: normal; }
.note { white-space: pre-wrap; }
.timeline col.date { width: 14%; } .timeline col.what { width: 20%; }
.timeline col.details { width: 38%; } .timeline col.note { width: 28%; }
.settings col.rule { width: 52%; }
.type { font-weight: 600; display: block; }
.details { margin: 0; padding: 0; list-style: none; }
tr.cls-mild td:first-child { border-left: 3px solid #d4b106; }
tr.cls-moderate td:first-child { border-left: 3px solid #e07b00; }
tr.cls-severe td:first-child { border-left: 3px solid #c62828; }
tr.cls-red-flag td:first-child { border-left: 6px solid #7f0000; }
tr.cls-red-flag td { font-weight: 600; }
.hold { border: 1px solid #bbb; border-left: 6px solid #888; padding: 2mm 3mm; margin: 0 0 2mm; }
.hold.open { border-left-color: #b3261e; background: #fff5f4; }
.hold h3 { font-size: 10.5pt; margin: 0 0 1mm; }
.hold p { margin: 0.5mm 0; }
.alert { font-weight: 600; color: #8a1c14; }
.yes { font-weight: 600; }
figure { margin: 0; }
svg { width: 100%; height: auto; display: block; }
.swatch-red { color: #b3261e; font-weight: 600; }
.swatch-swell { color: #1f5fa8; font-weight: 600; }
.notice p { margin: 0 0 2mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  h2 { margin-top: 5mm; }
}
"""


def esc(text: object) -> str:
    """Any text as HTML: &, <, >, quotes escaped (safe in content and attribute values)."""
    return escape("" if text is None else str(text), quote=True)


def _page_css(paper: str) -> str:
    size = "A4" if paper == "a4" else "letter"
    return (f"@page {{ size: {size} portrait; margin: 14mm 13mm 16mm; "
            "@bottom-right { content: \"page \" counter(page) \" of \" counter(pages); "
            "font-size: 8pt; color: #555; } }")


def render_html(report: Report, paper: str = "a4") -> str:
    """The report as one HTML document (text); `paper` is "a4" or "letter"."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    r = report
    title = f"{TITLE}, {r.start.isoformat()} to {r.end.isoformat()}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        'style-src \'unsafe-inline\'">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_page_css(paper)}{CSS}</style>",
        "</head>",
        "<body>",
        '<header id="top">',
        f"<h1>{esc(TITLE)}</h1>",
        f'<p class="period">Records dated {esc(r.start.isoformat())} to '
        f"{esc(r.end.isoformat())} &middot; made on {esc(r.made_on.isoformat())}</p>",
        f'<p class="about">{esc(ABOUT)}</p>',
        "</header>",
        *_summary(r),
        *_profile(r),
        *_holds(r),
        *_chart(r.chart),
        *_timeline(r),
        *_settings(r),
        *_notice(r),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _summary(r: Report) -> list[str]:
    rows = "".join(f"<tr><th scope=\"row\">{esc(k)}</th><td>{esc(v)}</td></tr>"
                   for k, v in r.counts)
    out = ['<section id="summary">', "<h2>Summary</h2>", f'<table class="facts">{rows}</table>']
    n = r.open_holds
    if n:
        out.append(f'<p class="alert">{esc(_open_words(n))}: see Red flags and holds.</p>')
    out.append("</section>")
    return out


def _open_words(n: int) -> str:
    return (f"{n} hold{'s are' if n != 1 else ' is'} open today: no sessions until "
            f"{'they are' if n != 1 else 'it is'} resolved")


def _profile(r: Report) -> list[str]:
    rows = []
    for a in r.answers:
        answer = '<td class="yes">yes</td>' if a.yes else "<td>no</td>"
        effect = esc(a.effect) if a.yes else ""
        rows.append(f"<tr><th scope=\"row\">{esc(a.question)}</th>{answer}<td>{effect}</td></tr>")
    out = ['<section id="profile">', "<h2>Profile: conditions and habits</h2>",
           '<table class="answers"><colgroup><col style="width:38%"><col style="width:12%">'
           '<col style="width:50%"></colgroup>',
           "<thead><tr><th>Question</th><th>Answer</th><th>What a yes changes</th></tr></thead>",
           f"<tbody>{''.join(rows)}</tbody></table>"]
    out.append("<p><strong>Zones left out of routines:</strong> "
               + (esc("; ".join(r.exclusions)) if r.exclusions else "none") + "</p>")
    out.append("<p><strong>Products kept by name:</strong> "
               + (esc("; ".join(r.own_products)) if r.own_products else "none") + "</p>")
    out.append("</section>")
    return out


def _holds(r: Report) -> list[str]:
    # The heading stays on the page of the first hold (the browser would move the hold on
    # and leave the heading behind).
    out = ['<section id="holds">', '<div class="keep">', "<h2>Red flags and holds</h2>",
           '<p class="muted">Records of class severe hold sessions until the person marks them '
           "resolved; red flags hold them until a clinician has cleared the person. Open ones "
           "first.</p>"]
    if not r.holds:
        out.append("<p>None in this period.</p>")
    out += [_hold(h) for h in r.holds[:1]]
    out.append("</div>")
    out += [_hold(h) for h in r.holds[1:]]
    out.append("</section>")
    return out


def _hold(h: Hold) -> str:
    state = "OPEN" if h.is_open else "resolved"
    cls = "red flag" if h.skin_class == "red-flag" else h.skin_class
    before = f" (dated {h.outside}, still open)" if h.outside else ""
    lines = [f'<div class="hold {"open" if h.is_open else "closed"}" data-id="{esc(h.record_id)}">',
             f"<h3>{esc(state)} &middot; {esc(cls)}"
             f"{' (emergency sign)' if h.emergency else ''} &middot; "
             f"{esc(TYPE_LABELS[h.type].lower())} of {esc(h.day.isoformat())}{esc(before)}</h3>",
             f"<p>{esc(h.summary)}</p>",
             f"<p><strong>Resolution:</strong> {esc(h.resolution)}</p>"]
    for a in h.advice:
        lines.append(f"<p><strong>The person was told:</strong> {esc(a)}</p>")
    if h.note:
        lines.append(f'<p class="note"><strong>Note:</strong> {esc(h.note)}</p>')
    lines.append("</div>")
    return "\n".join(lines)


def _chart(chart: Chart) -> list[str]:
    out = ['<section id="chart">', "<h2>Redness and swelling</h2>", "<figure>",
           _svg(chart),
           '<figcaption class="caption"><span class="swatch-red">&#9679; solid line: '
           'redness</span> &middot; <span class="swatch-swell">&#9632; dashed line: '
           f"swelling</span> (0 none to 4 severe; the highest of each {esc(chart.per)} with a "
           f"skin record; {'days' if chart.days == 1 else 'stretches'} without one are not "
           "drawn). Marks below the chart: &#9650; a session, "
           "&#9670; a skin treatment (a product use, procedure or injectable).</figcaption>"]
    if not chart.points:
        out.append('<p class="muted">No skin records in this period.</p>')
    out += ["</figure>", "</section>"]
    return out


def _pts(points) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _svg(chart: Chart) -> str:
    g = chart_layout(chart, CHART_WIDTH, CHART_HEIGHT, CHART_UNIT)
    desc = (f"Redness and swelling from {chart.start.isoformat()} to {chart.end.isoformat()}: "
            + ("; ".join(f"{p.day.isoformat()} redness {p.redness}, swelling {p.swelling}"
                         for p in chart.points) or "no skin records"))
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {g.width:.0f} {g.height:.0f}" '
         f'role="img" aria-labelledby="chart-title chart-desc" font-size="11" '
         f'font-family="system-ui, Arial, sans-serif">',
         f'<title id="chart-title">{esc("Redness and swelling")}</title>',
         f'<desc id="chart-desc">{esc(desc)}</desc>',
         f'<rect x="0" y="0" width="{g.width:.0f}" height="{g.height:.0f}" fill="#fff"/>']
    for y, label in g.y_ticks:
        s.append(f'<line x1="{g.left:.1f}" y1="{y:.1f}" x2="{g.right:.1f}" y2="{y:.1f}" '
                 'stroke="#ddd" stroke-width="1"/>')
        s.append(f'<text x="{g.left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" '
                 f'fill="#333">{esc(label)}</text>')
    s.append(f'<line x1="{g.left:.1f}" y1="{g.top:.1f}" x2="{g.left:.1f}" y2="{g.bottom:.1f}" '
             'stroke="#555" stroke-width="1"/>')
    s.append(f'<line x1="{g.left:.1f}" y1="{g.bottom:.1f}" x2="{g.right:.1f}" '
             f'y2="{g.bottom:.1f}" stroke="#555" stroke-width="1"/>')
    for i, (x, label) in enumerate(g.x_ticks):
        anchor = "middle"
        if len(g.x_ticks) > 1 and i == 0:
            anchor = "start"
        elif len(g.x_ticks) > 1 and i == len(g.x_ticks) - 1:
            anchor = "end"
        s.append(f'<line x1="{x:.1f}" y1="{g.bottom:.1f}" x2="{x:.1f}" y2="{g.bottom + 4:.1f}" '
                 'stroke="#555"/>')
        s.append(f'<text x="{x:.1f}" y="{g.label_y:.1f}" text-anchor="{anchor}" '
                 f'fill="#333">{esc(label)}</text>')
    s.append(f'<text x="{g.left - 6:.1f}" y="{g.session_y + 4:.1f}" text-anchor="end" '
             'fill="#333">sessions</text>')
    s.append(f'<text x="{g.left - 6:.1f}" y="{g.exposure_y + 4:.1f}" text-anchor="end" '
             'fill="#333">skin treatments</text>')
    for x in g.sessions:
        y = g.session_y
        s.append(f'<path d="M{x:.1f},{y - 5:.1f} L{x + 4.5:.1f},{y + 3:.1f} '
                 f'L{x - 4.5:.1f},{y + 3:.1f} Z" fill="#2e7d32"/>')
    for x in g.exposures:
        y = g.exposure_y
        s.append(f'<path d="M{x:.1f},{y - 5:.1f} L{x + 4.5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} '
                 f'L{x - 4.5:.1f},{y:.1f} Z" fill="#6a1b9a"/>')
    if len(g.swelling) > 1:
        s.append(f'<polyline points="{_pts(g.swelling)}" fill="none" stroke="{SWELLING_COLOUR}" '
                 'stroke-width="2" stroke-dasharray="6 4"/>')
    if len(g.redness) > 1:
        s.append(f'<polyline points="{_pts(g.redness)}" fill="none" stroke="{REDNESS_COLOUR}" '
                 'stroke-width="2"/>')
    for x, y in g.swelling:
        s.append(f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" '
                 f'fill="{SWELLING_COLOUR}"/>')
    for x, y in g.redness:
        s.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{REDNESS_COLOUR}"/>')
    s.append("</svg>")
    return "\n".join(s)


def _timeline(r: Report) -> list[str]:
    out = ['<section id="timeline">', "<h2>Timeline</h2>"]
    if not r.timeline:
        out += ["<p>Nothing recorded in this period.</p>", "</section>"]
        return out
    out += ['<table class="timeline">',
            '<colgroup><col class="date"><col class="what"><col class="details">'
            '<col class="note"></colgroup>',
            "<thead><tr><th>Date</th><th>Record</th><th>Details</th><th>Note</th></tr></thead>",
            "<tbody>"]
    for e in r.timeline:
        cls = f"type-{e.type}" + (f" cls-{e.skin_class}" if e.skin_class else "")
        details = "".join(f"<li>{esc(d)}</li>" for d in e.details)
        out.append(
            f'<tr class="{esc(cls)}" data-id="{esc(e.record_id)}">'
            f"<td>{esc(e.day.isoformat())}</td>"
            f'<td><span class="type">{esc(TYPE_LABELS[e.type])}</span>{esc(e.title)}</td>'
            f'<td><ul class="details">{details}</ul></td>'
            f'<td class="note">{esc(e.note)}</td></tr>')
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _settings(r: Report) -> list[str]:
    rows = []
    for s in r.settings:
        mark = " (changed)" if s.changed else ""
        value = '<td class="yes">' if s.changed else "<td>"
        rows.append(f"<tr><th scope=\"row\">{esc(s.meaning)}</th>"
                    f"{value}{s.value}{esc(mark)}</td>"
                    f"<td>{s.default}</td><td>{s.low}&ndash;{s.high}</td></tr>")
    return ['<section id="settings">', "<h2>Rule settings</h2>",
            '<p class="muted">A value may only be made stricter than its default. Cadence and '
            "grace set the streak's rhythm, not safety spacing.</p>",
            '<table class="settings"><colgroup><col class="rule"><col><col><col></colgroup>',
            "<thead><tr><th>Setting</th><th>Value</th><th>Default</th><th>Allowed</th></tr>"
            "</thead>", f"<tbody>{''.join(rows)}</tbody></table>", "</section>"]


def _notice(r: Report) -> list[str]:
    paras = [p for p in r.notice.split("\n\n") if p.strip()]
    return ['<section id="notice" class="notice">',
            "<h2>Safety notice the person accepted</h2>",
            *(f"<p>{esc(p)}</p>" for p in paras), "</section>"]


__all__ = ["render_html", "esc", "CSS"]
