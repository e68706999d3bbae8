"""The clinician report (SPEC §10): what is gathered for a period, and the HTML and PDF
documents made of it (parsed back: html.parser for the HTML, pypdf's text for the PDF)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from planner.domain.models import SkinRecord, replace
from planner.service.planner import Planner
from planner.service.report import (
    SAFETY_NOTICE,
    Chart,
    ChartPoint,
    chart_layout,
    gather,
    resolution,
    safe,
)
from planner.service.report_html import render_html
from planner.service.report_pdf import find_fonts, render_pdf
from planner.store.journal import Journal

pypdf = pytest.importorskip("pypdf", reason="pypdf (the [test] extras) reads the PDF's text")

D = date.fromisoformat
START, END = D("2026-09-01"), D("2026-10-31")
HOSTILE = "<script>x</script> [0.5%]"
CONTROL = "ok \x1b]52;c;aGk=\x07 then \u202eevil"
PRODUCT = "Retinol <b>0.5%</b> & co"


@pytest.fixture
def planner(journal_path, today):
    return Planner(Journal(journal_path), today)


@pytest.fixture
def journal(planner):
    """Records before, inside and after 2026-09-01..2026-10-31 (today is 2026-12-01);
    returns the planner and the ids of the records inside, by a short name."""
    p = planner
    ids: dict[str, str] = {}
    # before the period
    p.log_session(D("2026-08-10"), 8, note="OUT before")
    old_severe = p.log_skin("checkin", D("2026-08-11"), redness=3).id
    p.resolve([old_severe], D("2026-08-20"))
    ids["old-red-flag"] = p.log_skin("checkin", D("2026-08-12"), flags=("fever",),
                                     note="old fever").id
    # inside
    ids["s1"] = p.log_session(D("2026-09-01"), 8, note=HOSTILE).id
    ids["product"] = p.log_product("retinoid", D("2026-09-03"), product=PRODUCT).id
    ids["s2"] = p.log_session(D("2026-09-05"), 10, routine="no-such-routine").id
    ids["reaction"] = p.log_skin("reaction", D("2026-09-05"), session_id=ids["s2"],
                                 redness=1, itch=2).id
    ids["procedure"] = p.log_procedure("laser", D("2026-09-20")).id
    ids["severe"] = p.log_skin("checkin", D("2026-09-21"), redness=3, swelling=2,
                               zone="cheek").id
    p.resolve([ids["severe"]], D("2026-09-28"))
    ids["injectable"] = p.log_injectable("filler", D("2026-10-01"), note="lips? no: chin").id
    ids["s3"] = p.log_session(D("2026-10-10"), 5, outcome="aborted").id
    ids["red-flag"] = p.log_skin("checkin", D("2026-10-10"), redness=2, swelling=4,
                                 flags=("pus", "breathing-difficulty"), note=CONTROL).id
    ids["pause"] = p.pause(D("2026-10-15"), D("2026-10-20"), "illness").id
    # after the period
    p.log_session(D("2026-11-20"), 5, note="OUT after")
    ids["late-severe"] = p.log_skin("checkin", D("2026-11-21"), burning=8, note="late burn").id
    return p, ids


INSIDE = ("s1", "product", "s2", "reaction", "procedure", "severe", "injectable", "s3",
          "red-flag", "pause")


def test_the_timeline_holds_every_record_of_the_period_once_in_date_order(journal):
    p, ids = journal
    rep = gather(p, START, END)
    assert (rep.start, rep.end, rep.made_on) == (START, END, p.today)
    got = [e.record_id for e in rep.timeline]
    assert sorted(got) == sorted(ids[k] for k in INSIDE)
    # the same records the history command lists for these dates (plans are not records
    # of what happened)
    history = [i["id"] for i in p.history_items(START, END) if i["type"] != "plan"]
    assert sorted(got) == sorted(history)
    days = [e.day for e in rep.timeline]
    assert days == sorted(days) and all(START <= d <= END for d in days)
    by_id = {e.record_id: e for e in rep.timeline}
    assert by_id[ids["s1"]].title == "8 min, completed" and by_id[ids["s1"]].note == HOSTILE
    assert by_id[ids["s3"]].title == "5 min, aborted"
    assert by_id[ids["product"]].title == f"{PRODUCT} (retinoid)"
    assert "routine: no-such-routine" in by_id[ids["s2"]].details
    assert any(d.startswith("broke the rules: spacing, product-blackout")
               for d in by_id[ids["s2"]].details)
    assert "after the session of 2026-09-05" in by_id[ids["reaction"]].details
    assert by_id[ids["severe"]].skin_class == "severe"
    assert "resolved on 2026-09-28" in by_id[ids["severe"]].details
    # a session and its reaction on one day: the session first
    order = [e.record_id for e in rep.timeline]
    assert order.index(ids["s2"]) < order.index(ids["reaction"])


def test_control_and_bidi_characters_are_shown_escaped(journal):
    p, ids = journal
    (e,) = [e for e in gather(p, START, END).timeline if e.record_id == ids["red-flag"]]
    assert "\x1b" not in e.note and "\x07" not in e.note and "\u202e" not in e.note
    assert e.note == "ok \\x1b]52;c;aGk=\\x07 then \\u202eevil"


def test_safe_escapes_what_a_document_must_not_hold_and_keeps_the_rest():
    assert safe("a\tb\nc 日本 <b>&") == "a\tb\nc 日本 <b>&"  # markup is the renderers' job
    assert safe("x\x00\x9b\u2066y\ud800") == "x\\x00\\x9b\\u2066y\\ud800"
    assert safe(None) == ""


def test_holds_open_first_with_their_resolution_and_open_ones_from_any_date(journal):
    p, ids = journal
    rep = gather(p, START, END)
    got = [(h.record_id, h.is_open, h.outside) for h in rep.holds]
    assert got == [
        (ids["old-red-flag"], True, "before this period"),
        (ids["red-flag"], True, ""),
        (ids["late-severe"], True, "after this period"),
        (ids["severe"], False, ""),
    ]  # the resolved severe record of 2026-08-11 is outside the period and closed: left out
    assert rep.open_holds == 3
    red = rep.holds[1]
    assert red.emergency and red.skin_class == "red-flag"
    assert red.resolution == "open: holds sessions until a clinician has cleared the person"
    assert red.advice[0].startswith("Call emergency services")
    assert rep.holds[2].resolution == "open: holds sessions until the person marks it resolved"
    assert rep.holds[3].resolution == "resolved on 2026-09-28"


def test_resolution_words_for_each_case():
    day = D("2026-10-01")
    red = SkinRecord(id="r", date=day, flags=("fever",))
    assert resolution(SkinRecord(id="s", date=day, redness=3,
                                 resolved_on=D("2026-10-05"))) == "resolved on 2026-10-05"
    assert resolution(replace(red, resolved_on=D("2026-10-05"), cleared_by_clinician=True)
                      ) == "resolved on 2026-10-05, cleared by a clinician"
    assert "without a clinician's clearance: still holds" in resolution(
        replace(red, resolved_on=D("2026-10-05")))


def test_the_period_defaults_to_the_first_record_until_today(journal):
    p, ids = journal
    rep = gather(p)
    assert (rep.start, rep.end) == (D("2026-08-10"), p.today)
    assert len(rep.timeline) == len([i for i in p.history_items() if i["type"] != "plan"])
    only_from = gather(p, D("2026-11-01"))
    assert (only_from.start, only_from.end) == (D("2026-11-01"), p.today)
    assert {e.record_id for e in only_from.timeline} == {
        e.record_id for e in rep.timeline if e.day >= D("2026-11-01")}


def test_an_empty_journal_gives_an_empty_report_without_writing(planner, journal_path):
    rep = gather(planner)
    assert rep.timeline == () and rep.holds == () and rep.start == rep.end == planner.today
    assert not journal_path.exists()
    html = render_html(rep)
    assert "Nothing recorded in this period." in html
    assert _pdf_text(render_pdf(rep, fonts=None)).count("Nothing recorded in this period.") == 1


def test_settings_and_profile_answers_are_shown(planner):
    planner.set_profile(rosacea=True, anticoagulants=True)
    planner.set_settings(spacing_days=10, cadence_days=10)
    rep = gather(planner)
    yes = {a.question for a in rep.answers if a.yes}
    assert yes == {"Rosacea", "Taking anticoagulants"}
    spacing = next(s for s in rep.settings if s.name == "spacing_days")
    assert (spacing.value, spacing.default, spacing.changed) == (10, 7, True)
    text = _html_text(render_html(rep))
    assert "Rosacea | yes | gua sha stays light; skip a flare" in text
    assert "Days between sessions | 10 (changed) | 7 | 7–28" in text


# ------------------------------------------------------------------ the chart


def test_the_chart_takes_each_days_highest_rating_within_the_period(journal):
    p, ids = journal
    p.log_skin("reaction", D("2026-09-05"), session_id=ids["s2"], swelling=2)
    chart = gather(p, START, END).chart
    assert (chart.start, chart.end) == (START, END)
    assert [(c.day.isoformat(), c.redness, c.swelling) for c in chart.points] == [
        ("2026-09-05", 1, 2), ("2026-09-21", 3, 2), ("2026-10-10", 2, 4)]
    assert chart.sessions == (D("2026-09-01"), D("2026-09-05"), D("2026-10-10"))
    assert chart.exposures == (D("2026-09-03"), D("2026-09-20"), D("2026-10-01"))


def test_over_a_long_period_a_point_is_the_highest_of_a_few_days(planner):
    start = D("2025-11-01")  # 396 days to today (2026-12-01) included: 3 days a point
    planner.log_skin("checkin", D("2025-11-01"), redness=1)
    planner.log_skin("checkin", D("2025-11-03"), swelling=2)   # same 3 days as the 1st
    planner.log_skin("checkin", D("2025-11-04"), redness=2)    # the next 3 days
    planner.log_skin("checkin", D("2026-12-01"), redness=1, swelling=1)
    chart = gather(planner, start).chart
    assert chart.days == 3 and chart.per == "3 days"
    assert [(c.day.isoformat(), c.redness, c.swelling) for c in chart.points] == [
        ("2025-11-01", 1, 2), ("2025-11-04", 2, 0), ("2026-11-29", 1, 1)]
    assert "the highest of each 3 days with a skin record" in render_html(gather(planner, start))
    assert gather(planner, D("2026-06-02")).chart.days == 1  # 183 days: one a day


def test_the_chart_layout_maps_dates_and_grades_into_the_plot():
    chart = Chart(D("2026-01-01"), D("2026-01-11"),
                  (ChartPoint(D("2026-01-01"), 0, 4), ChartPoint(D("2026-01-06"), 2, 1),
                   ChartPoint(D("2026-01-11"), 4, 0)), (D("2026-01-06"),), ())
    g = chart_layout(chart, 200, 100, 5)
    assert [x for x, _ in g.redness] == [g.left, (g.left + g.right) / 2, g.right]
    assert [y for _, y in g.redness] == [g.bottom, (g.top + g.bottom) / 2, g.top]
    assert [y for _, y in g.swelling] == [g.top, g.bottom - (g.bottom - g.top) / 4, g.bottom]
    assert g.sessions == ((g.left + g.right) / 2,)
    assert g.x_ticks[0] == (g.left, "2026-01-01") and g.x_ticks[-1] == (g.right, "2026-01-11")
    assert [label for _, label in g.y_ticks] == [
        "0 none", "1 very slight", "2 well-defined", "3 moderate", "4 severe"]
    assert 0 < g.left < g.right < 200 and 0 < g.top < g.bottom < g.session_y < g.exposure_y \
        < g.label_y < 100
    one_day = chart_layout(Chart(D("2026-01-01"), D("2026-01-01"),
                                 (ChartPoint(D("2026-01-01"), 1, 1),), (), ()), 200, 100, 5)
    assert one_day.redness[0][0] == (one_day.left + one_day.right) / 2
    assert len(one_day.x_ticks) == 1


# ------------------------------------------------------------------ HTML


class _Doc(HTMLParser):
    """What a test needs of the report: tags, attributes, the text of the timeline rows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.rows: list[tuple[str, list[str]]] = []   # (data-id, cell texts) of the timeline
        self.text: list[str] = []
        self._row: tuple[str, list[str]] | None = None
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        self._in_style = tag == "style"
        if tag == "tr" and "data-id" in a and "type-" in (a.get("class") or ""):
            self._row = (a["data-id"], [])
        if tag in ("td", "th"):
            self.text.append(" | ")
            if self._row is not None:
                self._row[1].append("")
        elif tag in ("p", "tr", "li", "h1", "h2", "h3", "div", "br"):
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_style:
            return
        self.text.append(data)
        if self._row is not None and self._row[1]:
            self._row[1][-1] += data


def _parse(html: str) -> _Doc:
    d = _Doc()
    d.feed(html)
    d.close()
    return d


def _html_text(html: str) -> str:
    return re.sub(r"\n *\| ", "\n", "".join(_parse(html).text))


def test_html_lists_every_record_of_the_period_once_and_nothing_else(journal):
    p, ids = journal
    html = render_html(gather(p, START, END))
    doc = _parse(html)
    assert sorted(i for i, _ in doc.rows) == sorted(ids[k] for k in INSIDE)
    text = "".join(doc.text)
    assert "OUT before" not in text and "OUT after" not in text
    assert "2026-08-10" not in text and "2026-11-20" not in text
    cells = dict(doc.rows)
    # the red flag of 2026-08-12 still held sessions: the session is marked with it
    assert cells[ids["s1"]] == ["2026-09-01", "Session8 min, completed",
                                "broke the rule: medical-hold", HOSTILE]
    assert cells[ids["product"]][1] == f"Product{PRODUCT} (retinoid)"
    assert cells[ids["pause"]][:3] == ["2026-10-15", "Pauseuntil 2026-10-20 (6 days)",
                                       "no sessions; reason: illness"]


def test_html_escapes_user_text_and_is_self_contained(journal):
    p, ids = journal
    html = render_html(gather(p, START, END))
    doc = _parse(html)
    # the note and the product name come back as typed, as text: no tag of theirs exists
    text = "".join(doc.text)
    assert HOSTILE in text and PRODUCT in text
    assert "<script" not in html.lower() and "<b>0.5%" not in html
    assert "&lt;script&gt;x&lt;/script&gt; [0.5%]" in html
    assert "\x1b" not in html and "\u202e" not in html and "\\x1b]52" in text
    tags = {t for t, _ in doc.tags}
    assert not tags & {"script", "iframe", "object", "embed", "link", "img", "base", "form"}
    for tag, attrs in doc.tags:  # nothing that loads or runs anything
        assert not {"src", "href", "srcset", "action"} & set(attrs), (tag, attrs)
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert "url(" not in html and "@import" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
    csp = [a for t, a in doc.tags if t == "meta" and a.get("http-equiv") ==
           "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]


def test_html_has_the_chart_the_holds_and_the_notice(journal):
    p, ids = journal
    rep = gather(p, START, END)
    html = render_html(rep)
    doc = _parse(html)
    svg = [t for t, _ in doc.tags if t in ("svg", "polyline", "circle", "rect")]
    assert svg.count("svg") == 1 and svg.count("polyline") == 2
    assert svg.count("circle") == len(rep.chart.points) == 3  # one dot a day, for redness
    holds = [a["data-id"] for t, a in doc.tags if t == "div" and "hold" in
             (a.get("class") or "").split()]
    assert holds == [h.record_id for h in rep.holds]
    text = _html_text(html)
    assert "OPEN · red flag (emergency sign) · check-in of 2026-10-10" in text
    assert "OPEN · red flag · check-in of 2026-08-12 (dated before this period, still open)" \
        in text
    assert "resolved · severe · check-in of 2026-09-21" in text
    assert text.index("2026-08-12 (dated before") < text.index("resolved · severe")
    for para in SAFETY_NOTICE.split("\n\n"):
        assert para in text


def test_html_print_css_follows_the_paper(journal):
    p, _ = journal
    rep = gather(p, START, END)
    assert "@page { size: A4 portrait;" in render_html(rep, "a4")
    assert "@page { size: letter portrait;" in render_html(rep, "letter")
    with pytest.raises(ValueError):
        render_html(rep, "a5")


# ------------------------------------------------------------------ PDF


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


FONT_CHOICES = [pytest.param(None, id="helvetica"),
                pytest.param("auto", id="truetype", marks=pytest.mark.skipif(
                    find_fonts() is None, reason="no TrueType font installed (DejaVu Sans, "
                    "Liberation Sans or Arial); the built-in Helvetica case still runs"))]


@pytest.mark.parametrize("fonts", FONT_CHOICES)
def test_pdf_text_holds_every_record_of_the_period_and_nothing_else(journal, fonts):
    p, ids = journal
    rep = gather(p, START, END)
    data = render_pdf(rep, "a4", fonts=fonts)
    assert data.startswith(b"%PDF-")
    text = _flat(_pdf_text(data))
    for e in rep.timeline:
        row = f"{e.day.isoformat()} {e.type.capitalize() if e.type != 'check-in' else 'Check-in'}"
        assert text.count(row + " " + e.title) == 1, row + " " + e.title
        for d in e.details:
            assert d in text
    assert f"Note: {HOSTILE}" in text
    assert "Note: ok \\x1b]52;c;aGk=\\x07 then \\u202eevil" in text
    assert "OUT before" not in text and "OUT after" not in text
    assert "OPEN · red flag (emergency sign) · check-in of 2026-10-10" in text
    assert "Resolution: resolved on 2026-09-28" in text
    assert _flat(SAFETY_NOTICE) in text
    assert "Days between sessions 7 7 7" in text


def test_pdf_pages_follow_the_paper(journal):
    p, _ = journal
    rep = gather(p, START, END)
    for paper, (w, h) in (("a4", (595.28, 841.89)), ("letter", (612, 792))):
        reader = pypdf.PdfReader(io.BytesIO(render_pdf(rep, paper, fonts=None)))
        box = reader.pages[0].mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (
            round(w, 1), round(h, 1))
        n = len(reader.pages)
        assert f"page {n} of {n}" in reader.pages[-1].extract_text()


def test_pdf_shows_what_its_font_lacks_as_escapes_and_keeps_a_page_alias_as_typed(planner):
    planner.log_session(planner.today, 5, note="naïve 日本 {nb} – ok")
    rep = gather(planner)
    helvetica = _flat(_pdf_text(render_pdf(rep, fonts=None)))
    assert "Note: naïve \\u65e5\\u672c {nb} - ok" in helvetica
    if find_fonts() is not None:
        truetype = _flat(_pdf_text(render_pdf(rep, fonts="auto")))
        assert "naïve" in truetype and "{nb} – ok" in truetype


def test_a_long_note_breaks_across_pages(planner):
    note = "\n".join(f"line {i}" for i in range(150))  # 150 lines, under the note limit
    planner.log_session(planner.today - timedelta(days=1), 5, note=note)
    data = render_pdf(gather(planner), fonts=None)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    text = _pdf_text(data)
    assert "Note: line 0\n" in text and "\nline 149\n" in text
