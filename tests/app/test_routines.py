"""Routines section: library list with filters, detail of steps, starting, and the builder."""

from __future__ import annotations

import asyncio
import functools

from textual.widgets import DataTable, Input, Select

from planner.library import load_library
from tests.app.helpers import SIZE, journal_file, make_app, planner_for, text_of, wait_for


def arun(fn):
    """Run an async test body without an async pytest plugin."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        asyncio.run(fn(*args, **kwargs))
    return wrapper


async def open_routines(pilot):
    await pilot.press("r")
    assert await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "RoutinesScreen")
    await pilot.pause()
    return pilot.app.screen


def listed_ids(screen):
    table = screen.query_one("#routines-table", DataTable)
    return [row.key.value for row in table.ordered_rows]


def row_of(screen, rid):
    table = screen.query_one("#routines-table", DataTable)
    return [c.plain for c in table.get_row(rid)]


@arun
async def test_library_is_listed_and_filtered(tmp_path):
    app = make_app(tmp_path)
    lib = load_library(None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_routines(pilot)
        assert sorted(listed_ids(screen)) == sorted(lib.routines)
        screen.query_one("#r-technique", Select).value = "gua-sha"
        await pilot.pause()
        ids = listed_ids(screen)
        assert ids and all("gua-sha" in lib.routines[i].techniques for i in ids)
        screen.query_one("#r-concern", Select).value = "jaw-tension"
        await pilot.pause()
        ids2 = listed_ids(screen)
        assert set(ids2) <= set(ids)
        assert all("jaw-tension" in lib.routines[i].concerns for i in ids2)
        await pilot.press("x")
        await pilot.pause()
        assert len(listed_ids(screen)) == len(lib.routines)
        await pilot.press("g")
        await pilot.pause()
        starters = listed_ids(screen)
        assert starters and all(lib.routines[i].starter for i in starters)
        assert row_of(screen, starters[0])[0] == "★"


@arun
async def test_detail_shows_every_step(tmp_path):
    app = make_app(tmp_path)
    lib = load_library(None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_routines(pilot)
        rid = listed_ids(screen)[0]
        routine = lib.routines[rid]
        detail = screen.query_one("#routine-text").plain
        assert routine.name in detail and rid in detail
        for i, step in enumerate(routine.steps, 1):
            assert f"{i:>2}. " in detail
            if step.point:
                p = lib.points[step.point]
                assert f"{p.code} {p.pinyin} ({p.english})" in detail
                assert p.location in detail
            if step.how:
                assert step.how in detail
        assert "Total:" in detail
        assert "Today: up to 10 minutes" in text_of(screen.query_one("#routine-today"))


@arun
async def test_start_key_asks_the_app_to_start_the_routine(tmp_path):
    app = make_app(tmp_path)
    started = []
    app.start_session = lambda routine: started.append(routine.id)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_routines(pilot)
        first = listed_ids(screen)[0]
        await pilot.press("s")
        await pilot.pause()
        assert started == [first]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert started == [first, listed_ids(screen)[1]]


@arun
async def test_builder_previews_saves_and_lists_a_user_routine(tmp_path):
    app = make_app(tmp_path)
    planner = planner_for(journal_file(tmp_path))
    planner.set_profile(pregnant=True)
    planner.exclude("cheek", "mole")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_routines(pilot)
        await pilot.press("b")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "BuilderScreen")
        builder = app.screen
        builder.query_one("#b-concerns").select("puffiness")
        builder.query_one("#b-techniques").select("acupressure")
        minutes = builder.query_one("#b-minutes", Input)
        minutes.value = "25"
        await pilot.pause()
        notes = text_of(builder.query_one("#b-notes"))
        assert "Capped at 10 minutes today" in notes
        assert "today's cap is 10" in notes
        dropped = text_of(builder.query_one("#b-dropped"))
        assert "cheek excluded: mole" in dropped
        preview = builder.query_one("#b-preview").plain
        assert "Total:" in preview
        assert builder.build_result.routine.minutes <= 10
        # saving needs a name
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "name" in text_of(builder.query_one("#err-name"))
        name = builder.query_one("#b-name", Input)
        name.focus()
        await pilot.press(*"My [puffy] mornings")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "RoutinesScreen")
        files = list(planner.user_routines_dir.glob("*.toml"))
        assert len(files) == 1
        lib = load_library(planner.user_routines_dir)
        user = [r for r in lib.routines.values() if r.source == "user"]
        assert len(user) == 1 and user[0].name == "My [puffy] mornings"
        assert lib.issues == []
        screen = app.screen
        assert user[0].id in listed_ids(screen)
        row = row_of(screen, user[0].id)
        assert row[1] == "My [puffy] mornings (yours)"  # marked as `routines list` does
        # the new routine is highlighted and its detail shown
        assert "My [puffy] mornings" in screen.query_one("#routine-text").plain


@arun
async def test_builder_rejects_bad_minutes(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_routines(pilot)
        await pilot.press("b")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "BuilderScreen")
        builder = app.screen
        builder.query_one("#b-minutes", Input).value = "3"
        await pilot.pause()
        err = builder.query_one("#err-minutes")
        assert err.has_class("-shown") and "5–30" in text_of(err)
        builder.query_one("#b-name", Input).value = "x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not planner_for(journal_file(tmp_path)).user_routines_dir.exists() or not list(
            planner_for(journal_file(tmp_path)).user_routines_dir.glob("*.toml"))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "RoutinesScreen")


@arun
async def test_bad_user_file_is_shown_as_a_warning(tmp_path):
    app = make_app(tmp_path)
    udir = planner_for(journal_file(tmp_path)).user_routines_dir
    udir.mkdir(parents=True)
    (udir / "broken.toml").write_text('id = "broken"\nname = "Broken"\ntechniques = ["needle"]\n')
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_routines(pilot)
        warn = screen.query_one("#r-issues")
        assert warn.display
        assert "broken.toml" in text_of(warn)


@arun
async def test_routine_files_added_elsewhere_show_up_on_return(tmp_path):
    from planner.library import routine_to_toml

    app = make_app(tmp_path)
    lib = load_library(None)
    udir = planner_for(journal_file(tmp_path)).user_routines_dir
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_routines(pilot)
        assert len(listed_ids(screen)) == len(lib.routines)
        from planner.domain.values import replace
        src = next(iter(lib.routines.values()))
        udir.mkdir(parents=True, exist_ok=True)
        (udir / "from-cli.toml").write_text(routine_to_toml(replace(src, id="from-cli",
                                                                    name="From the CLI")))
        await pilot.press("t")
        await pilot.pause()
        await open_routines(pilot)
        assert "from-cli" in listed_ids(app.screen)
        assert row_of(app.screen, "from-cli")[1] == "From the CLI (yours)"



@arun
async def test_builder_save_over_a_routine_held_by_another_file_asks_and_replaces_it(tmp_path):
    """The id 'my-mornings' lives in old.toml: saving must not write my-mornings.toml beside
    it (which old.toml would keep shadowing); it asks, then replaces old.toml."""
    app = make_app(tmp_path)
    planner = planner_for(journal_file(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await open_routines(pilot)
        await pilot.press("b")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "BuilderScreen")
        builder = app.screen
        builder.query_one("#b-concerns").select("puffiness")
        builder.query_one("#b-techniques").select("acupressure")
        await pilot.pause()
        first = builder.build_result.routine
        from planner.domain.values import replace
        from planner.library import save_user_routine

        folder = planner.user_routines_dir
        save_user_routine(replace(first, id="my-mornings", name="Old mornings"), folder)
        (folder / "my-mornings.toml").rename(folder / "old.toml")
        name = builder.query_one("#b-name", Input)
        name.focus()
        await pilot.press(*"My mornings")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert any("old.toml" in text_of(w) for w in app.screen.query("Static"))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: type(app.screen).__name__ == "RoutinesScreen")
        assert sorted(p.name for p in folder.glob("*.toml")) == ["old.toml"]
        lib = load_library(folder)
        assert lib.routines["my-mornings"].name == "My mornings" and lib.issues == []


# ------------------------------------------------------- readable at 80 and 120

def column_keys(table):
    return [c.key.value for c in table.ordered_columns]


def column(table, key):
    return next(c for c in table.ordered_columns if c.key.value == key)


def lines_needed(text: str, width: int) -> int:
    import textwrap

    return len(textwrap.wrap(text, width, break_on_hyphens=False)) or 1


@arun
async def test_names_are_never_cut_and_the_table_fits_at_80_and_120(tmp_path):
    """The table was cut ("brow-and-forehead-po", "forehead-lin") even at 120 columns."""
    app = make_app(tmp_path)
    lib = load_library(None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_routines(pilot)
        table = screen.query_one("#routines-table", DataTable)
        for size in ((80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            wide = size[0] >= 120  # laid out again for the new width
            assert await wait_for(pilot, lambda w=wide, x=size[0]: table.size.width == x and (
                "concerns" in column_keys(table)) == w)
            keys = column_keys(table)
            assert "id" not in keys and "source" not in keys  # the id is in the detail
            name = column(table, "name")
            assert all(len(r.name) <= name.width for r in lib.routines.values())
            # nothing runs off the right edge: no sideways scrolling, nothing hidden there
            assert table.virtual_size.width <= table.size.width
            for rid in listed_ids(screen):
                assert row_of(screen, rid)[1] == lib.routines[rid].name
            if size == (120, 40):  # concerns have room: shown whole, wrapped if long
                concerns = column(table, "concerns")
                for rid in listed_ids(screen):
                    text = ", ".join(lib.routines[rid].concerns)
                    assert row_of(screen, rid)[keys.index("concerns")] == text
                    assert table.rows[rid].height >= lines_needed(text, concerns.width)
                assert any(table.rows[rid].height > 1 for rid in listed_ids(screen))
            else:  # at 80 the concerns are in the detail only, not cut in the list
                assert "concerns" not in keys
                tech = column(table, "tech")
                for rid in listed_ids(screen):
                    text = row_of(screen, rid)[keys.index("tech")]
                    assert table.rows[rid].height >= lines_needed(text, tech.width)


@arun
async def test_a_routine_length_is_shown_exactly_in_the_list_and_the_detail(tmp_path):
    """The list said 6 min (Routine.minutes rounds up) where the detail said 5 min 30 s."""
    app = make_app(tmp_path)
    lib = load_library(None)
    odd = [r for r in lib.routines.values() if r.total_seconds % 60]
    assert odd  # the library has routines that are not whole minutes
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_routines(pilot)
        table = screen.query_one("#routines-table", DataTable)
        keys = column_keys(table)
        for routine in odd:
            m, s = divmod(routine.total_seconds, 60)
            exact = f"{m} min {s} s"
            assert row_of(screen, routine.id)[keys.index("length")] == exact
            table.move_cursor(row=table.get_row_index(routine.id))
            assert await wait_for(pilot, lambda name=routine.name:
                                  name in screen.query_one("#routine-text").plain)
            detail = screen.query_one("#routine-text").plain
            assert f"· {exact}\n" in detail and f"Total: {exact} (" in detail
        whole = [r for r in lib.routines.values() if not r.total_seconds % 60]
        assert row_of(screen, whole[0].id)[keys.index("length")] == \
            f"{whole[0].total_seconds // 60} min"


@arun
async def test_a_routine_over_the_cap_names_its_exact_length(tmp_path):
    from planner.domain.values import replace
    from planner.library import save_user_routine

    app = make_app(tmp_path)
    lib = load_library(None)
    long = lib.routines["weekend-full-face-ritual"]
    steps = (*long.steps[:-1], replace(long.steps[-1], seconds=long.steps[-1].seconds + 20))
    odd = replace(long, id="my-long", name="My long one", steps=steps, source="user",
                  starter=False)
    save_user_routine(odd, planner_for(journal_file(tmp_path)).user_routines_dir)
    m, s = divmod(odd.total_seconds, 60)
    assert s and odd.minutes == m + 1
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_routines(pilot)
        table = screen.query_one("#routines-table", DataTable)
        table.move_cursor(row=table.get_row_index("my-long"))
        today = screen.query_one("#routine-today")
        assert await wait_for(pilot, lambda: "shortened" in text_of(today))
        assert f"this routine ({m} min {s} s) will be shortened" in text_of(today)


@arun
async def test_jade_rolling_is_named_as_the_notice_and_the_session_name_it(tmp_path):
    """'jade rolling' everywhere on this screen (it said 'rolling' here, 'jade rolling' in
    the notice and the session)."""
    from textual.widgets import OptionList, Select

    app = make_app(tmp_path)
    lib = load_library(None)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_routines(pilot)
        table = screen.query_one("#routines-table", DataTable)
        keys = column_keys(table)
        rolled = [r.id for r in lib.routines.values() if r.techniques == ("jade-rolling",)]
        assert rolled and all(row_of(screen, rid)[keys.index("tech")] == "jade rolling"
                              for rid in rolled)
        menu = screen.query_one("#r-technique", Select).query_one(OptionList)  # its dropdown
        labels = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert "jade rolling" in labels and "rolling" not in labels
        table.move_cursor(row=table.get_row_index(rolled[0]))
        detail = screen.query_one("#routine-text")
        assert await wait_for(pilot, lambda: lib.routines[rolled[0]].name in detail.plain)
        assert "Techniques: jade rolling" in detail.plain
        assert "\njade rolling · " in detail.plain  # each step's technique
        assert "jade-rolling" not in detail.plain


@arun
async def test_a_point_on_the_midline_reads_midline_as_in_the_session(tmp_path):
    """EX-HN3 (between the brows) said 'both sides' here and 'midline' in the session."""
    app = make_app(tmp_path)
    lib = load_library(None)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_routines(pilot)
        table = screen.query_one("#routines-table", DataTable)
        rid = next(r.id for r in lib.routines.values()
                   if any(s.point == "EX-HN3" for s in r.steps))
        table.move_cursor(row=table.get_row_index(rid))
        detail = screen.query_one("#routine-text")
        assert await wait_for(pilot, lambda: lib.routines[rid].name in detail.plain)
        titles = [line for line in detail.plain.splitlines() if line[2:4] == ". "]
        yintang = next(t for t in titles if "EX-HN3" in t)
        assert yintang.endswith("· midline")
        paired = [t for t in titles if "EX-HN3" not in t and not t.split(". ")[1].startswith(
            ("CV", "GV"))]
        assert paired and all(t.endswith(("· both sides", "· left side", "· right side"))
                              for t in paired)
