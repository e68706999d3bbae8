"""The app and the command line on one journal (issue item 7).

The app runs (headless, 80x24, polling the file every 50 ms) while real
`acuplan` processes write to the same journal. Pass: the app shows what the
command line wrote without being told; writes made in the app (through its
own keys and its planner) and by the command line at the same moment are all
in the file afterwards, and the app's view of the journal holds every one.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_support import generator, run_cli  # noqa: E402

pytest.importorskip("textual")

from planner.service.planner import Planner  # noqa: E402
from planner.store import Journal  # noqa: E402
from tests.app.helpers import record_notes, text_of, wait_for  # noqa: E402

TODAY = date(2026, 12, 1)


async def _scenario(path: Path, rounds: int) -> dict:
    from planner.app.app import AcuplanApp
    from planner.app.screens.today import TodayScreen

    app = AcuplanApp(path, TODAY, poll_interval=0.05)
    app.animation_level = "none"
    record_notes(app)
    out: dict = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        reasons = lambda: text_of(app.screen.query_one("#today-reasons"))  # noqa: E731
        assert "product-blackout" not in reasons()

        # 1. the command line writes; the app shows it by itself
        r = await asyncio.to_thread(run_cli, "log", "product", "retinoid", "--date",
                                    TODAY.isoformat(), db=path)
        assert r.returncode == 0, r.stderr
        await wait_for(pilot, lambda: "product-blackout" in reasons(), tries=750)

        # 2. both write at once: command-line check-ins in a thread, app writes in its loop
        cli_results = []

        def cli_writer() -> None:
            for i in range(rounds):
                # reactions: a day keeps one check-in, so check-ins would update each other
                cli_results.append(run_cli("log", "reaction", "--date", TODAY.isoformat(),
                                           "--note", f"cli-{i}", db=path))

        t = threading.Thread(target=cli_writer)
        t.start()
        for i in range(rounds):
            # each app write while the command line's next process runs: after its i-th
            await wait_for(pilot, lambda: len(cli_results) >= i, tries=750)  # noqa: B023
            app.planner.log_skin("reaction", TODAY, note=f"app-{i}")  # as the form's save does
            app.data_changed()
            await pilot.pause()
        await pilot.press("n")  # "plan next" through the app's own key
        await pilot.pause()
        await asyncio.to_thread(t.join)
        out["cli_codes"] = [c.returncode for c in cli_results]
        out["cli_errors"] = [c.stderr for c in cli_results if c.returncode != 0]

        # 3. the app catches up with the last command-line write
        def app_has_all() -> bool:
            notes = {r.note for r in app.planner.state().history.skin}
            return all(f"cli-{i}" in notes and f"app-{i}" in notes for i in range(rounds))

        await wait_for(pilot, app_has_all, tries=750)
        out["app_plans"] = len(app.planner.state().history.plans)
        out["screen"] = type(app.screen).__name__
        out["notes"] = list(app.notes)
    return out


def test_app_and_command_line_share_the_journal(tmp_path, figures):
    path = tmp_path / "data" / "journal.json"
    tables = generator().make_tables(1)
    tables["plans"] = [p for p in tables["plans"] if p["fulfilled_by"]]  # no upcoming plan
    path.parent.mkdir(parents=True)
    path.write_bytes(generator().journal_bytes(tables))
    before = Planner(Journal(path), TODAY).state()
    plans_before = len(before.history.plans)

    rounds = 6
    out = asyncio.run(_scenario(path, rounds))

    assert out["cli_codes"] == [0] * rounds, out["cli_errors"]
    assert out["screen"] == "TodayScreen", out
    assert not any("busy" in n or "cannot" in n for n in out["notes"]), out["notes"]

    after = Planner(Journal(path), TODAY).state().history
    notes = [r.note for r in after.skin]
    for who in ("cli", "app"):
        for i in range(rounds):
            assert notes.count(f"{who}-{i}") == 1, (who, i)
    assert sum(p.kind == "retinoid" and p.date == TODAY for p in after.products) >= 1
    assert len(after.plans) == plans_before + 1 == out["app_plans"]  # the app's own plan
    figures(f"app + command line: {rounds} app writes and {rounds} `acuplan log reaction` "
            f"processes at once, plus a CLI product the app showed unprompted: 0 lost")
