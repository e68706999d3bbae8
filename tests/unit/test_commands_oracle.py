"""Every command of the service, in random sequences on a real journal, against the
brute-force oracle (SPEC §3, §9: "including every write path").

After each command: the derived violations of every session, the verdicts of new dates
and the caps equal the oracle's on the records as stored; no open hold was lifted or
weakened except by `resolve`; the settings are inside their ranges; and a refused command
(exit 2 or 3) left the file byte-identical. A second test logs the same history in date
order and in a random order (with wrong entries edited and decoys deleted) and finds the
same answers.
"""

from __future__ import annotations

import inspect
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.rules import Engine
from planner.domain.settings_rules import RANGES
from planner.domain.streaks import compute_streaks
from planner.service.planner import COMMANDS, BadInput, Deleted, Planner, Refused
from planner.store.errors import CopyUnusable, ImportRefused, UnknownVersion
from planner.store.journal import Journal

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rules_oracle import Oracle  # noqa: E402

TODAY = date(2026, 6, 30)
FIRST = TODAY - timedelta(days=40)


def day(n: int) -> date:
    return FIRST + timedelta(days=n)


PAST = st.integers(0, 40).map(day)
AHEAD = st.integers(40, 60).map(day)
SKIN = st.fixed_dictionaries({
    "redness": st.integers(0, 4), "swelling": st.integers(0, 2),
    "itch": st.sampled_from((0, 2, 5, 8)),
    "flags": st.lists(st.sampled_from(("peeling", "pus", "faint", "dizziness", "warmth")),
                      max_size=1),
})
PICK = st.integers(0, 1000)  # an index into the records that exist when the step runs


def _ids(p: Planner, *tables: str) -> list[str]:
    h = p.state().history
    return [r.id for t in tables for r in getattr(h, t)]


def _pick(ids: list[str], k: int) -> str:
    return ids[k % len(ids)] if ids else "no-such-id"


def _copy_as_deleted(p: Planner, k: int) -> Deleted:
    docs = [(t, d) for t, ds in sorted(p.journal.snapshot().items())
            if t not in ("profile", "settings", "meta") for d in ds]
    if not docs:
        return Deleted("products", {"id": "none-yet"})
    table, doc = docs[k % len(docs)]
    return Deleted(table, {**doc, "id": f"{doc['id']}u{k}"})


def _copy_bytes(p: Planner, k: int) -> bytes:
    from planner.store.versions import list_versions

    kept = [v.path for v in list_versions(Path(p.journal.path))]
    return kept[k % len(kept)].read_bytes() if kept else b""


# One generator of arguments per command; a command without one fails the enumeration test.
STEPS = {
    # planned as seen from a day up to 12 days ago, so some plans are in the past now
    "plan": st.tuples(st.integers(0, 12), st.integers(0, 20), st.integers(3, 12)).map(
        lambda a: lambda p: p.on(TODAY - timedelta(days=a[0])).plan(
            TODAY - timedelta(days=a[0] - a[1]), a[2])),
    "plan_next": st.tuples(st.integers(0, 12), st.one_of(st.none(), st.integers(3, 12))).map(
        lambda a: lambda p: p.on(TODAY - timedelta(days=a[0])).plan_next(a[1])),
    "move_plan": st.tuples(PICK, AHEAD).map(
        lambda a: lambda p: p.move_plan(_pick(_ids(p, "plans"), a[0]), a[1])),
    "unplan": PICK.map(lambda k: lambda p: p.unplan(_pick(_ids(p, "plans"), k))),
    "confirm_missed": PICK.map(lambda k: lambda p: p.confirm_missed(_pick(_ids(p, "plans"), k))),
    "log_session": st.tuples(PAST, st.integers(1, 40),
                             st.sampled_from(("completed", "completed", "partial", "aborted"))
                             ).map(lambda a: lambda p: p.log_session(a[0], a[1], outcome=a[2])),
    "edit_session": st.tuples(PICK, st.one_of(st.none(), PAST),
                              st.one_of(st.none(), st.integers(1, 40)),
                              st.sampled_from((None, "completed", "partial", "aborted"))).map(
        lambda a: lambda p: p.edit_session(_pick(_ids(p, "sessions"), a[0]), day=a[1],
                                           minutes=a[2], outcome=a[3])),
    "log_product": st.tuples(PAST, st.sampled_from((None, "Retinol", "Toner")),
                             st.sampled_from((None, "retinoid")), st.booleans()).map(
        lambda a: lambda p: p.log_product(a[2] if a[1] else "retinoid", a[0], product=a[1],
                                          keep=a[3])),
    "add_product": st.tuples(st.sampled_from(("Retinol", "retinol ", "Toner", "")),
                             st.sampled_from(("retinoid", "acid-exfoliant", "lotion"))).map(
        lambda a: lambda p: p.add_product(a[0], a[1])),
    "remove_product": st.sampled_from(("Retinol", "toner", "Other")).map(
        lambda n: lambda p: p.remove_product(n)),
    "log_procedure": PAST.map(lambda d: lambda p: p.log_procedure("laser", d)),
    "log_injectable": PAST.map(lambda d: lambda p: p.log_injectable("filler", d)),
    "edit_exposure": st.tuples(PICK, PAST).map(
        lambda a: lambda p: p.edit_exposure(
            _pick(_ids(p, "products", "procedures", "injectables"), a[0]), day=a[1])),
    "log_skin": st.tuples(st.sampled_from(("checkin", "reaction")), PAST, SKIN, PICK).map(
        lambda a: lambda p: p.log_skin(
            a[0], a[1], session_id=_pick(_ids(p, "sessions"), a[3]) if a[0] == "reaction"
            and _ids(p, "sessions") else None, **a[2])),
    "edit_skin": st.tuples(PICK, SKIN, st.one_of(st.none(), PAST)).map(
        lambda a: lambda p: p.edit_skin(_pick(_ids(p, "skin"), a[0]), day=a[2], **a[1])),
    "resolve": st.tuples(st.one_of(st.none(), PICK), st.integers(30, 40), st.booleans()).map(
        lambda a: lambda p: p.resolve(
            None if a[0] is None else [_pick([r.id for r in p.open_holds()], a[0])],
            day(a[1]), a[2])),
    "pause": st.tuples(st.integers(0, 55), st.integers(0, 8)).map(
        lambda a: lambda p: p.pause(day(a[0]), day(a[0] + a[1]), "travel")),
    "unpause": PICK.map(lambda k: lambda p: p.unpause(_pick(_ids(p, "pauses"), k))),
    "delete_record": PICK.map(lambda k: lambda p: p.delete_record(_pick(
        _ids(p, "sessions", "plans", "products", "procedures", "injectables", "skin",
             "pauses"), k))),
    # one command per step: a copy (new id) of a record, as if it had been deleted
    "undo_delete": PICK.map(lambda k: lambda p: p.undo_delete(_copy_as_deleted(p, k))),
    "set_profile": st.booleans().map(lambda b: lambda p: p.set_profile(pregnant=b)),
    "accept_notice": st.just(lambda p: p.accept_notice()),
    "exclude": st.sampled_from(("cheek", "jaw")).map(
        lambda z: lambda p: p.exclude(z, "mole")),
    "include": st.sampled_from(("cheek", "jaw")).map(lambda z: lambda p: p.include(z)),
    "set_preferences": st.tuples(st.sampled_from(("sat,sun", "wed", "none", "funday", None)),
                                 st.sampled_from(("19:00", "25:00", "none", None))).map(
        lambda a: lambda p: p.set_preferences(a[0], a[1])),
    "remember_preparation": st.lists(st.sampled_from(("hands", "face", "tool", "feet")),
                                     max_size=3).map(
        lambda items: lambda p: p.remember_preparation(items)),
    "set_settings": st.tuples(st.sampled_from(sorted(RANGES)), st.integers(-1, 60)).map(
        lambda a: lambda p: p.set_settings(**{a[0]: a[1]})),
    "import_export": st.sampled_from(("{}", '{"acuplan_export": 1}')).map(
        lambda t: lambda p: p.import_export(t)),
    # another copy: a version kept of this journal, or an empty file
    "merge_copy": PICK.map(lambda k: lambda p: p.merge_copy(_copy_bytes(p, k), "copy.json")),
    "restore_version": PICK.map(lambda k: lambda p: p.restore_version(_pick(
        [v.label for v in __import__("planner.store.versions", fromlist=["x"])
         .list_versions(Path(p.journal.path))], k))),
}


# Commands that add records come up more often, so the others find something to change.
CREATE = ("plan", "log_session", "log_product", "log_procedure", "log_injectable", "log_skin",
          "pause", "set_settings")
WEIGHTED = sorted(COMMANDS) + [c for c in CREATE for _ in range(2)] + ["log_skin", "resolve"]


def test_every_command_has_a_step_and_nothing_else_writes():
    """The service's public methods are commands (listed, with a step above) or queries:
    a new method that writes must be added to COMMANDS and to this test."""
    queries = {"on", "data_dir", "user_routines_dir", "state", "loaded_signature", "engine",
               "check", "plan_views", "missed_plans", "open_holds", "streak", "today_view",
               "next_allowed", "month", "history_items", "find", "profile", "settings",
               "start_check", "validate_skin_fields", "library", "routine_fit",
               "check_with_routine", "build_routine",
               "first_allowed", "checkin_on", "exposure_wait", "open_hold_ids",
               "prepare_session", "next_preferred_allowed", "routines_for_export", "routine_names"}
    public = {n for n, _ in inspect.getmembers(Planner) if not n.startswith("_")}
    assert public == set(COMMANDS) | queries, public ^ (set(COMMANDS) | queries)
    assert set(STEPS) == set(COMMANDS)


def _open_holds(p: Planner) -> dict[str, int]:
    return {r.id: r.rank for r in p.open_holds()}


def _agrees_with_oracle(p: Planner) -> None:
    st_, eng = p.state(), p.engine()
    # what the command checked and kept is what the file holds, read afresh
    assert Planner(Journal(Path(p.journal.path)), TODAY).state() == st_
    o = Oracle(st_.history, st_.settings, TODAY)
    for s in st_.history.sessions:
        assert {r.rule: r.until for r in s.violations} == o.violations(s), s
    for n in range(30, 62, 4):
        D = day(n)
        assert {r.rule: r.until for r in eng.reasons(D)} == o.blocking(D), D
        assert eng.cap(D) == o.cap(D), D
    for name, rng in RANGES.items():
        assert rng.low <= getattr(st_.settings, name) <= rng.high


# Half the profile's examples: each one makes up to 20 real, locked, fsynced writes.
@settings(max_examples=settings.default.max_examples // 2,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WEIGHTED).flatmap(lambda c: STEPS[c].map(
    lambda f, c=c: (c, f))), min_size=3, max_size=20))
def test_no_sequence_of_commands_loosens_a_rule(tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("j") / "journal.json"
    p = Planner(Journal(path), TODAY)
    for name, step in steps:
        before = path.read_bytes() if path.exists() else None
        holds = _open_holds(p) if before is not None else {}
        try:
            step(p)
        except (BadInput, Refused, ImportRefused, UnknownVersion, CopyUnusable):  # exit 2-4
            assert (path.read_bytes() if path.exists() else None) == before, name
            continue
        if not path.exists():
            continue
        after = _open_holds(p)
        if name != "resolve":
            for rid, rank in holds.items():
                assert rid in after and after[rid] >= rank, (name, rid)
        _agrees_with_oracle(p)


# ------------------------------------------------- the same history, any order of logging

@st.composite
def records(draw):
    """Record specs on random days; `key` identifies a record across two journals."""
    out = []
    for i in range(draw(st.integers(1, 9))):
        kind = draw(st.sampled_from(("session", "session", "product", "procedure",
                                     "injectable", "checkin", "reaction", "pause")))
        spec = {"key": f"r{i}", "kind": kind, "day": draw(st.integers(0, 40))}
        if kind == "session":
            spec["minutes"] = draw(st.integers(4, 30))
            spec["outcome"] = draw(st.sampled_from(("completed", "partial", "aborted")))
        elif kind in ("checkin", "reaction"):
            spec["fields"] = draw(SKIN)
        elif kind == "pause":
            spec["length"] = draw(st.integers(0, 6))
        out.append(spec)
    # a reaction follows its session, and one check-in per date
    sessions = [s for s in out if s["kind"] == "session"]
    kept, checkin_days = [], set()
    for s in out:
        if s["kind"] == "reaction":
            if not sessions:
                continue
            tied = draw(st.sampled_from(sessions))
            s["session"] = tied["key"]
            s["day"] = max(s["day"], tied["day"])
        if s["kind"] == "checkin":
            if s["day"] in checkin_days:
                continue
            checkin_days.add(s["day"])
        kept.append(s)
    return kept


def _apply(p: Planner, spec: dict, ids: dict[str, str], day_of=None) -> None:
    d = day(spec["day"]) if day_of is None else day_of
    k, note = spec["kind"], spec["key"]
    if k == "session":
        res = p.log_session(d, spec["minutes"], outcome=spec["outcome"], note=note)
    elif k in ("product", "procedure", "injectable"):
        fn = {"product": (p.log_product, "retinoid"), "procedure": (p.log_procedure, "laser"),
              "injectable": (p.log_injectable, "filler")}[k]
        res = fn[0](fn[1], d, note)
    elif k == "pause":
        res = p.pause(d, d + timedelta(days=spec["length"]), "travel", note)
    else:
        res = p.log_skin(k, d, session_id=ids.get(spec.get("session")), note=note,
                         **spec["fields"])
    ids[spec["key"]] = res.record.id if hasattr(res, "record") else res.id


def _answers(p: Planner) -> dict:
    """The derived answers, by record key (ids differ between journals)."""
    st_ = p.state()
    eng = p.engine()
    o = Oracle(st_.history, st_.settings, TODAY)
    violations = {s.note: tuple(r.to_json()["rule"] for r in s.violations)
                  for s in st_.history.sessions}
    for s in st_.history.sessions:
        assert set(o.violations(s)) == set(violations[s.note])
    info = compute_streaks(st_.history, st_.settings, TODAY, eng)
    return {"violations": violations, "caps": [eng.cap(day(n)) for n in range(0, 60, 3)],
            "reasons": [tuple(r.rule for r in eng.reasons(day(n))) for n in range(30, 60, 3)],
            "streak": (info.sessions_current, info.sessions_longest, info.days_until_break,
                       round(info.score, 9))}


# A third of the profile's examples: each one writes two journals record by record.
@settings(max_examples=settings.default.max_examples // 3,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records(), st.randoms(use_true_random=False), st.data())
def test_any_order_of_logging_edits_and_deletes_gives_the_same_answers(
        tmp_path_factory, specs, rnd, data):
    """Logged in date order into one journal; into another in a random order that keeps
    each day's own order, some entered on a wrong date and then corrected, with decoys
    added and deleted. Same derived violations, caps, verdicts and streaks; both agree
    with the oracle."""
    base = tmp_path_factory.mktemp("j")
    in_order = Planner(Journal(base / "a.json"), TODAY)
    ids_a: dict[str, str] = {}
    ordered = sorted(specs, key=lambda s: (s["day"], s["kind"] == "reaction"))
    for spec in ordered:  # a day's sessions before its reactions
        _apply(in_order, spec, ids_a)

    shuffled = Planner(Journal(base / "b.json"), TODAY)
    ids_b: dict[str, str] = {}
    queues: dict[int, list[dict]] = {}
    for spec in ordered:
        queues.setdefault(spec["day"], []).append(spec)
    pending = list(queues.values())
    while pending:
        # any day's next record, once the session a reaction follows is in (the earliest
        # day's next record always is)
        ready = [q for q in pending if not q[0].get("session") or q[0]["session"] in ids_b]
        q = rnd.choice(ready)
        spec = q.pop(0)
        pending = [q for q in pending if q]
        wrong = data.draw(st.booleans()) and spec["kind"] in ("session", "product", "injectable")
        if wrong:  # entered on another day first, then corrected
            _apply(shuffled, spec, ids_b, day_of=FIRST)
            if spec["kind"] == "session":
                shuffled.edit_session(ids_b[spec["key"]], day=day(spec["day"]))
            else:
                shuffled.edit_exposure(ids_b[spec["key"]], day=day(spec["day"]))
        else:
            _apply(shuffled, spec, ids_b)
        if data.draw(st.booleans()):  # a decoy entered and deleted again
            decoy = shuffled.log_product("scrub", day(data.draw(st.integers(0, 40))), "decoy")
            shuffled.delete_record(decoy.id)
    assert _answers(in_order) == _answers(shuffled)


def test_a_retinoid_logged_after_a_session_but_dated_before_it_marks_it(tmp_path):
    """A session entered first and a retinoid entered after it but dated before it: the
    session is marked, whichever was logged first (issue 8's example)."""
    p = Planner(Journal(tmp_path / "j.json"), TODAY)
    p.log_session(day(10), 10, note="first")
    s = p.log_session(day(17), 10, note="second")
    assert s.violations == ()
    res = p.log_product("retinoid", day(15))
    assert [x.id for x in res.marked] == [s.id]
    assert [r.rule for r in res.marked[0].violations] == ["product-blackout"]
    assert p.streak().sessions_longest == 1
    undone = p.delete_record(res.id)
    assert undone[0] == "products" and undone[1]["date"] == day(15).isoformat()
    assert p.streak().sessions_longest == 2
    assert Engine(p.state().history, p.settings(), TODAY).violations_of(s.id) == ()



def test_each_command_once_against_the_oracle(tmp_path):
    """A scripted walk in which every command succeeds at least once, each step checked
    like the random sequences above (which cannot promise to reach every command)."""
    path = tmp_path / "journal.json"
    p = Planner(Journal(path), TODAY)
    done: set[str] = set()

    def do(name, *args, **kw):
        holds = _open_holds(p) if path.exists() else {}
        result = getattr(p.on(kw.pop("as_of")) if "as_of" in kw else p, name)(*args, **kw)
        if name != "resolve":
            after = _open_holds(p)
            assert all(rid in after and after[rid] >= k for rid, k in holds.items()), name
        _agrees_with_oracle(p)
        done.add(name)
        return result

    do("accept_notice")
    do("set_profile", pregnant=True)
    do("set_preferences", "sat,sun", "19:00")
    do("remember_preparation", ["hands", "face"])
    do("exclude", "cheek", "mole")
    do("include", "cheek")
    do("set_settings", spacing_days=8, cadence_days=9)
    a = do("log_session", day(10), 8)
    b = do("log_session", day(14), 25, outcome="partial")
    do("edit_session", b.id, day=day(20), outcome="completed")
    do("add_product", "Retinol 0.5%", "retinoid", "Brand")
    do("log_product", None, day(5), product="retinol 0.5%")
    do("remove_product", "Retinol 0.5%")
    u = do("log_product", "retinoid", day(18))
    do("log_procedure", "laser", day(2))
    do("log_injectable", "filler", day(1))
    do("edit_exposure", u.id, day=day(19))
    k = do("log_skin", "checkin", day(25), redness=3)
    r = do("log_skin", "reaction", day(10), session_id=a.id, itch=2)
    do("edit_skin", r.id, itch=5)
    with pytest.raises(Refused):
        p.edit_skin(k.record.id, redness=0)  # an open hold is not made milder
    do("resolve", [k.record.id], day(27))
    do("edit_skin", k.record.id, redness=0)  # once resolved it may be corrected
    z = do("pause", day(30), day(33), "travel")
    do("unpause", z.id)
    gone = do("plan", day(35), 5, as_of=day(30))
    moved = do("plan", day(44), 5, as_of=day(30))
    do("unplan", gone.plan.id)
    do("move_plan", moved.plan.id, day(36), as_of=day(30))
    do("plan_next", as_of=day(30))
    do("confirm_missed", moved.plan.id)
    gone = do("delete_record", u.id)
    do("undo_delete", gone)
    do("delete_record", u.id)
    do("restore_version", __import__("planner.store.versions", fromlist=["x"])
       .list_versions(path)[0].label)
    import shutil

    ahead = p.plan_next().plan
    assert ahead.date < TODAY + timedelta(days=14)
    shutil.copyfile(path, tmp_path / "laptop.json")
    laptop = Planner(Journal(tmp_path / "laptop.json"), TODAY)
    laptop.log_injectable("filler", TODAY)    # a 14-day wait: blocks the plan just made
    laptop.edit_session(a.id, minutes=6)
    p.edit_session(a.id, minutes=7)           # the same session, changed on both sides
    report = do("merge_copy", (tmp_path / "laptop.json").read_bytes(), "laptop.json")
    assert [c.record_id for c in report.merged.conflicts] == [a.id]
    assert ahead.id in [p_.id for p_, _ in report.now_blocked] and report.written
    other = Planner(Journal(tmp_path / "empty.json"), TODAY)
    from planner.store.exchange import export_json
    other.import_export(export_json(p.journal.snapshot()))
    assert _answers_plain(other) == _answers_plain(p)
    done.add("import_export")
    assert done == set(COMMANDS)


def _answers_plain(p: Planner) -> tuple:
    st_ = p.state()
    return ({s.id: s.violations for s in st_.history.sessions},
            [p.engine().cap(day(n)) for n in range(0, 60, 5)])
