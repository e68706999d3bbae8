"""History's Insights tab (SPEC §10): the rows of the journal, the highlighted one in
words, the note that these are associations, at 80x24."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, TabbedContent

from planner.domain.insights import NOTE, sentence
from planner.service.insights import journal_insights
from tests.app.helpers import SIZE, days, journal_file, make_app, planner_for, text_of, wait_for


def seed_pairs(path, pairs: int = 6) -> None:
    """Weekly sessions: full-face gua sha (a mild reaction the next day) and calm evening
    points (a clear check-in the next day), alternating."""
    p = planner_for(path)
    for i in range(2 * pairs):
        day = days(-140 + 7 * i)
        if i % 2 == 0:
            sid = p.log_session(day, 15, "full-face-gua-sha").id
            p.log_skin("reaction", day + timedelta(days=1), session_id=sid, redness=1)
        else:
            p.log_session(day, 8, "calm-evening-points")
            p.log_skin("checkin", day + timedelta(days=1))


async def open_insights(pilot):
    await pilot.press("h")
    assert await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "HistoryScreen")
    await pilot.press("7")
    screen = pilot.app.screen
    assert await wait_for(
        pilot, lambda: screen.query_one("#history-tabs", TabbedContent).active == "insights")
    return screen


def cells(table: DataTable, row: int) -> list[str]:
    return [str(c) for c in table.get_row_at(row)]


async def test_the_tab_lists_every_row_and_says_the_highlighted_one_in_words(tmp_path):
    app = make_app(tmp_path)
    seed_pairs(journal_file(tmp_path))
    rows = journal_insights(planner_for(journal_file(tmp_path))).rows
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        table = screen.query_one("#insights-table", DataTable)
        assert await wait_for(pilot, lambda: table.row_count == len(rows) > 0)
        assert await wait_for(pilot, lambda: screen.focused is table)
        assert [cells(table, i)[0] for i in range(len(rows))] == [r.label for r in rows]
        gs = next(i for i, r in enumerate(rows) if r.level == "gua-sha")
        assert cells(table, gs)[1:] == ["6/6 100%", "0/6 0%", cells(table, gs)[3]]
        assert cells(table, gs)[3].startswith("+100 (")
        words = screen.query_one("#insights-row")
        assert text_of(words) == sentence(rows[0])
        assert " went with a skin reaction" in text_of(words)
        assert "caused" not in text_of(words)
        await pilot.press("down")
        assert await wait_for(pilot, lambda: text_of(words) == sentence(rows[1]))
        assert text_of(screen.query_one("#insights-note")) == NOTE
        assert "12 sessions" in text_of(screen.query_one("#insights-summary"))
        # 80x24: the head, the table and the words all on screen, above the footer
        for sel in ("#insights-head", "#insights-note", "#insights-summary",
                    "#insights-table", "#insights-row"):
            region = screen.query_one(sel).region
            assert region.height >= 1 and region.bottom <= SIZE[1] - 1, sel
            assert region.right <= SIZE[0], sel
        assert table.region.height >= 8  # room for several rows
        assert screen.query_one("#insights-row").region.height >= 3


async def test_an_empty_journal_says_there_is_nothing_yet_and_fills_in_later(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        table = screen.query_one("#insights-table", DataTable)
        summary = screen.query_one("#insights-summary")
        assert await wait_for(pilot, lambda: text_of(summary) == "No sessions to compare yet.")
        assert table.row_count == 0
        assert "at least 5 sessions" in text_of(screen.query_one("#insights-row"))
        seed_pairs(journal_file(tmp_path))  # another process writes: the tab follows
        assert await wait_for(pilot, lambda: table.row_count > 0)
        assert "12 sessions" in text_of(summary)
