"""The `acuplan` command line (SPEC §7).

Exit codes: 0 done, 2 bad input, 3 refused by a safety rule, 4 the data file is
unusable, 1 an internal problem, 130 interrupted. Never a traceback: `AcuGroup.main`
turns every failure into one `error: …` line (or the refusal and its reasons).

Start-up is kept light for `acuplan status` in a shell prompt: Textual is only
imported by `tui` (and never from here at module level), and the library, TOML,
CSV and export code only by the commands that use them.
"""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.base import (
    CONTEXT_SETTINGS, DATE, EXIT_INTERNAL, EXIT_REFUSED, AcuGroup, Env, Whole, check_text,
    json_option, pass_env,
)
from planner.domain.models import OUTCOMES
from planner.domain.vocabulary import (
    FLAGS, INJECTABLE_KINDS, PAUSE_REASONS, PROCEDURE_KINDS, PRODUCT_KINDS, ZONES,
)
from planner.service.planner import MAX_LOG_MINUTES, BadInput

LAZY_COMMANDS = {
    "routines": "planner.cli.library:routines",
    "profile": "planner.cli.library:profile",
    "exclude": "planner.cli.library:exclude",
    "include": "planner.cli.library:include",
    "export": "planner.cli.data:export_cmd",
    "import": "planner.cli.data:import_cmd",
    "restore": "planner.cli.data:restore_cmd",
}


@click.group("acuplan", cls=AcuGroup, invoke_without_command=True,
             context_settings=CONTEXT_SETTINGS, lazy=LAZY_COMMANDS)
@click.option("--db", metavar="PATH", help="Journal file (default: ACUPLAN_DB, then the "
              "user data directory).")
@click.option("--today", type=DATE, help="Treat this date as today (default: ACUPLAN_TODAY, "
              "then the local date).")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _p, v: _print_version(ctx) if v else None,
              help="Show the version and exit.")
@click.pass_context
def main(ctx: click.Context, db: str | None, today: date | None) -> None:
    """acuplan: plan, guide and log safe, needle-free facial self-care
    (fingertip acupressure, gua sha, jade rolling).

    With no command it starts the terminal app. This is not medical advice.
    """
    ctx.obj = Env(db, today)
    if ctx.invoked_subcommand is None:
        _start_app(ctx.obj)


@main.result_callback()
@click.pass_context
def _after_command(ctx: click.Context, *_result, **_options) -> None:
    """A command that wrote leaves the status answers for the journal as it now is, so
    the shell prompt that runs next finds them (the records are mostly loaded by then)."""
    env = ctx.obj
    planner = env.loaded_planner if isinstance(env, Env) else None
    if planner is not None and planner.journal.writes:
        from planner.store import status_cache

        try:
            status_cache.refresh(planner)
        except Exception:  # noqa: BLE001 - the write is done; a cache is never worth an error
            pass


def _print_version(ctx: click.Context) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("acuplan")
    except PackageNotFoundError:
        v = "(not installed; running from the source tree)"
    out.write(f"acuplan {v}")
    ctx.exit(0)


def _start_app(env: Env) -> None:
    path, today = env.path, env.today
    try:
        from planner.app.app import run_app  # Textual is imported only here
    except ImportError as e:
        out.error(f"the terminal app cannot start ({e}); the commands still work: "
                  "see `acuplan --help`")
        raise click.exceptions.Exit(EXIT_INTERNAL) from None
    run_app(path, today)


@main.command("tui")
@pass_env
def tui_cmd(env: Env) -> None:
    """Start the terminal app."""
    _start_app(env)


# ------------------------------------------------------------------ today and dates

@main.command()
@json_option
@pass_env
def status(env: Env, as_json: bool) -> None:
    """Today at a glance (one line, for a shell prompt).

    Allowed or not with reasons, max minutes, streak and next plan.
    """
    view = env.planner.today_view()
    if as_json:
        out.dump_json(view.to_json())
    else:
        out.write(out.status_line(view))


@main.command()
@click.argument("day", metavar="DATE", type=DATE)
@click.option("--minutes", type=Whole(1, MAX_LOG_MINUTES),
              help="Length of the session to check.")
@click.option("--routine", "routine_id", metavar="ID",
              help="Also check this routine against your profile (cautions, excluded zones).")
@json_option
@pass_env
def check(env: Env, day: date, minutes: int | None, routine_id: str | None,
          as_json: bool) -> None:
    """May a session happen on DATE?

    Exit 0 when it may, 3 when not, printing every reason and until when.
    """
    v = env.planner.check(day, minutes)
    fit = env.planner.routine_fit(routine_id, day) if routine_id is not None else None
    if fit is not None and not fit.fits:
        from planner.domain.values import replace

        v = replace(v, allowed=False, reasons=(*v.reasons, *fit.reasons))
    if as_json:
        doc = v.to_json()
        if fit is not None:
            doc["left_out"] = [{"what": d.what, "reason": d.reason, "rule": d.rule}
                               for d in fit.dropped]
        out.dump_json(doc)
    else:
        _print_verdict(v, minutes)
        if fit is not None:
            _print_left_out(fit.dropped)
    if not v.allowed:
        raise click.exceptions.Exit(EXIT_REFUSED)


def _print_left_out(dropped) -> None:
    """The steps a profile caution or an excluded zone leaves out (SPEC §3)."""
    for d in dropped:
        out.write(f"leaves out: {out.one_line(d.what)} ({out.one_line(d.reason)})")


def _print_verdict(v, minutes: int | None) -> None:
    d = v.date.isoformat()
    if v.allowed:
        asked = f" for {minutes} minutes" if minutes is not None else ""
        out.write(f"{d}: allowed{asked} ({v.min_minutes}-{v.max_minutes} minutes)")
        return
    out.write(f"{d}: not allowed")
    for line in out.reason_lines(v.reasons):
        out.write(line)
    if v.earliest is not None:
        out.write(f"earliest allowed date: {v.earliest.isoformat()}")
    else:
        out.write("earliest allowed date: none yet (a hold must be resolved first)")


@main.command("next")
@json_option
@pass_env
def next_cmd(env: Env, as_json: bool) -> None:
    """The earliest allowed date, and its cap."""
    day, cap = env.planner.next_allowed()
    if as_json:
        out.dump_json({"date": day.isoformat() if day else None, "max_minutes": cap})
        return
    if day is None:
        out.write("no allowed date yet: a hold must be resolved first")
        for line in out.reason_lines(env.planner.check(env.today).reasons):
            out.write(line)
    else:
        when = " (today)" if day == env.today else ""
        out.write(f"next allowed: {day.isoformat()}{when}, up to {cap} minutes")


# ------------------------------------------------------------------ plans

def _find_routine(env: Env, routine_id: str):
    from planner.cli.library import find_routine

    return find_routine(env.user_routines_dir, routine_id)


@main.command()
@click.argument("day", metavar="DATE", type=DATE)
@click.option("--routine", "routine_id", metavar="ID", help="Routine to plan (see "
              "`acuplan routines list`).")
@click.option("--minutes", type=Whole(1, MAX_LOG_MINUTES), help="Length in minutes "
              "(default: the routine's, else up to 10).")
@json_option
@pass_env
def plan(env: Env, day: date, routine_id: str | None, minutes: int | None,
         as_json: bool) -> None:
    """Schedule a session on DATE.

    Refused (exit 3, with every reason) when a safety rule blocks DATE.
    """
    if routine_id is not None:
        routine = _find_routine(env, routine_id)
        if minutes is None:
            minutes = routine.minutes
    view = env.planner.plan(day, minutes, routine_id)
    if as_json:
        doc = view.to_json()
        doc["left_out"] = [{"what": d.what, "reason": d.reason, "rule": d.rule}
                           for d in view.dropped]
        out.dump_json(doc)
        return
    p = view.plan
    what = f", routine {out.one_line(p.routine)}" if p.routine else ""
    out.write(f"planned {p.date.isoformat()}: {p.minutes} minutes{what} (id {p.id})")
    _print_left_out(view.dropped)


@main.command()
@click.option("--all", "all_", is_flag=True,
              help="Also list past plans: carried out (done) or missed.")
@json_option
@pass_env
def plans(env: Env, all_: bool, as_json: bool) -> None:
    """List plans, re-checked against the rules."""
    views = env.planner.plan_views(include_past=all_)
    if as_json:
        out.dump_json([v.to_json(with_status=all_) for v in views])
        return
    if not views:
        out.write("no plans")
        return
    rows = []
    for v in views:
        p = v.plan
        if v.verdict is None:
            state = v.status + (" (confirmed)" if p.confirmed_missed else "")
        else:
            state = "ok" if v.verdict.allowed else "BLOCKED"
        rows.append((p.date.isoformat(), out.one_line(p.id), f"{p.minutes} min", state,
                     out.one_line(p.routine or "-")))
    for line in out.table(rows, ("date", "id", "minutes", "state", "routine")):
        out.write(line)
    for v in views:
        if v.verdict is not None and not v.verdict.allowed:
            out.write(f"plan {out.one_line(v.plan.id)} on {v.plan.date.isoformat()} is blocked:")
            for line in out.reason_lines(v.verdict.reasons):
                out.write(line)
    if any(v.verdict is not None and not v.verdict.allowed for v in views):
        out.write("move a blocked plan: `acuplan unplan ID`, then `acuplan plan DATE` "
                  "(see `acuplan next`)")


@main.command()
@click.argument("plan_id", metavar="ID")
@pass_env
def unplan(env: Env, plan_id: str) -> None:
    """Cancel a plan."""
    known = [p.id for p in env.planner.state().history.plans if p.fulfilled_by is None]
    _known_id(plan_id, known, "plan", "plans")
    env.planner.unplan(plan_id)
    out.write(f"cancelled plan {out.one_line(plan_id)}")


def _known_id(given: str, known: list[str], what: str, label: str,
              shown: list[str] | None = None) -> None:
    """BadInput naming the ids that exist, when `given` is not one of them."""
    if given in known:
        return
    shown = known if shown is None else shown
    listed = ", ".join(shown[:20]) + (", ..." if len(shown) > 20 else "") if shown else "none"
    raise BadInput(f"no {what} with id {given!r}; {label}: {listed}")


def _report_blocked_plans(env: Env) -> None:
    """Plans are re-checked on every change (SPEC §3): say which ones are now blocked."""
    blocked = [v for v in env.planner.plan_views() if not v.verdict.allowed]
    for v in blocked:
        out.write(f"note: plan {out.one_line(v.plan.id)} on {v.plan.date.isoformat()} is "
                  "blocked now:")
        for line in out.reason_lines(v.verdict.reasons):
            out.write(line)
    if blocked:
        out.write("move it: `acuplan unplan ID`, then `acuplan plan DATE` (see `acuplan next`)")


# ------------------------------------------------------------------ logging

def date_option(help_text: str = "Date it happened (default: today; never in the future)."):
    return click.option("--date", "day", type=DATE, help=help_text)


def note_option(f):
    return click.option("--note", default="", help="Free text, kept as typed.")(f)


def skin_options(f):
    for opt in reversed((
        click.option("--redness", type=Whole(0, 4), default=0,
                     help="0 none, 1 very slight, 2 well-defined, 3 moderate, 4 severe."),
        click.option("--swelling", type=Whole(0, 4), default=0,
                     help="0 none, 1 very slight, 2 well-defined, 3 moderate, 4 severe."),
        click.option("--itch", type=Whole(0, 10), default=0,
                     help="0 none to 10 worst imaginable."),
        click.option("--burning", type=Whole(0, 10), default=0,
                     help="Burning or stinging, 0 none to 10 worst imaginable."),
        click.option("--flag", "flags", type=click.Choice(FLAGS), multiple=True,
                     help="A sign you noticed (repeatable)."),
        click.option("--zone", type=click.Choice(ZONES), help="Where on the body."),
        note_option,
    )):
        f = opt(f)
    return f


def _day(env: Env, day: date | None) -> date:
    return env.today if day is None else day


def _log_json(record_id: str, violations=()) -> dict:
    return {"id": record_id, "violations": [r.to_json() for r in violations]}


@main.group(cls=AcuGroup)
def log() -> None:
    """Record what happened.

    Never in the future; never refused for breaking a rule (it is marked).
    """


@log.command("session")
@date_option()
@click.option("--minutes", type=Whole(1, MAX_LOG_MINUTES), required=True,
              help="How long it lasted, in minutes.")
@click.option("--routine", "routine_id", metavar="ID", help="The routine you followed.")
@click.option("--outcome", type=click.Choice(OUTCOMES), default=None,
              help="completed (ran to the end, the default), partial (you ended it early) "
                   "or aborted (stopped because you felt unwell).")
@click.option("--partial", "partial", is_flag=True, help="Same as --outcome partial.")
@click.option("--aborted", is_flag=True, help="Same as --outcome aborted.")
@note_option
@json_option
@pass_env
def log_session(env: Env, day: date | None, minutes: int, routine_id: str | None,
                outcome: str | None, partial: bool, aborted: bool, note: str,
                as_json: bool) -> None:
    """Record a session (also one that broke a rule)."""
    note = check_text(note, "--note")
    given = {o for o, on in (("partial", partial), ("aborted", aborted),
                             (outcome, outcome is not None)) if on}
    if len(given) > 1:
        raise BadInput("give one outcome: --outcome, --partial or --aborted, not several")
    outcome = given.pop() if given else "completed"
    if routine_id is not None:
        _find_routine(env, routine_id)
    res = env.planner.log_session(_day(env, day), minutes, routine_id, outcome, note)
    s = res.record
    if as_json:
        out.dump_json({**_log_json(s.id, s.violations), "outcome": s.outcome,
                       **_marked_json(res)})
        return
    what = f", routine {out.one_line(s.routine)}" if s.routine else ""
    out.write(f"logged session {s.id} on {s.date.isoformat()}: {s.minutes} minutes, "
              f"{s.outcome}{what}")
    if s.violations:
        n = len(s.violations)
        out.write(f"WARNING: this session broke {n} safety rule{'s' if n != 1 else ''}. "
                  "It is recorded and marked, counts for spacing, and ends the streak:")
        for line in out.reason_lines(s.violations):
            out.write(line)
    _report_marked(res)
    out.write("aftercare: avoid retinoids, acids, scrubs and peels for 2 days; "
              "clean your tools with mild soap and warm water")
    if s.aborted:
        out.write("if you stopped because you felt unwell, record it: "
                  f"`acuplan log reaction --date {s.date.isoformat()} --session {s.id} ...`")
    _report_blocked_plans(env)


def _marked_json(res) -> dict:
    return {"marked": [{"id": x.id, "date": x.date.isoformat(),
                        "violations": [r.to_json() for r in x.violations]}
                       for x in res.marked],
            "unmarked": [x.id for x in res.unmarked]}


def _report_marked(res) -> None:
    """Violations are derived from the whole history (SPEC §3.2): an earlier-dated record
    can mark sessions logged before it, and a correction can clear them. Say which."""
    for x in res.marked:
        out.write(f"note: session {x.id} on {x.date.isoformat()} now breaks a safety rule "
                  "(this record comes before it):")
        for line in out.reason_lines(x.violations):
            out.write(line)
    for x in res.unmarked:
        out.write(f"note: session {x.id} on {x.date.isoformat()} no longer breaks a rule")


def _simple_log(env: Env, what: str, kind: str, day: date | None, note: str,
                as_json: bool) -> None:
    note = check_text(note, "--note")
    fn = {"product": env.planner.log_product, "procedure": env.planner.log_procedure,
          "injectable": env.planner.log_injectable}[what]
    res = fn(kind, _day(env, day), note)
    rec = res.record
    if as_json:
        out.dump_json({**_log_json(rec.id), **_marked_json(res)})
        return
    out.write(f"logged {what} {rec.kind} on {rec.date.isoformat()} (id {rec.id})")
    _report_marked(res)
    rule = {"product": "product-blackout", "procedure": "procedure-wait",
            "injectable": "injectable-wait"}[what]
    for r in env.planner.check(rec.date).reasons:
        if r.rule == rule and r.until is not None and r.until > env.today:
            out.write(f"no session before {r.until.isoformat()} ({r.message})")
    _report_blocked_plans(env)


@log.command("product")
@click.argument("kind", type=click.Choice(PRODUCT_KINDS), metavar="KIND")
@date_option()
@note_option
@json_option
@pass_env
def log_product(env: Env, kind: str, day: date | None, note: str, as_json: bool) -> None:
    """Record a home active used on a date.

    KIND: retinoid, acid-exfoliant (AHA/BHA/PHA), scrub, home-peel.
    """
    _simple_log(env, "product", kind, day, note, as_json)


@log.command("procedure")
@click.argument("kind", type=click.Choice(PROCEDURE_KINDS), metavar="KIND")
@date_option()
@note_option
@json_option
@pass_env
def log_procedure(env: Env, kind: str, day: date | None, note: str, as_json: bool) -> None:
    """Record a professional procedure.

    KIND: clinic-peel, microdermabrasion, laser, microneedling.
    """
    _simple_log(env, "procedure", kind, day, note, as_json)


@log.command("injectable")
@click.argument("kind", type=click.Choice(INJECTABLE_KINDS), metavar="KIND")
@date_option()
@note_option
@json_option
@pass_env
def log_injectable(env: Env, kind: str, day: date | None, note: str, as_json: bool) -> None:
    """Record an injectable.

    KIND: botulinum-toxin, filler, other-injectable.
    """
    _simple_log(env, "injectable", kind, day, note, as_json)


def _log_skin(env: Env, kind: str, day: date | None, session_id: str | None, as_json: bool,
              **fields) -> None:
    fields["note"] = check_text(fields.get("note"), "--note")
    if session_id is not None:
        sessions = [s.id for s in env.planner.state().history.sessions]
        _known_id(session_id, sessions, "session", "latest sessions", shown=sessions[-10:][::-1])
    res = env.planner.log_skin(kind, _day(env, day), session_id=session_id,
                               flags=list(fields.pop("flags")), **fields)
    rec = res.record
    if as_json:
        out.dump_json({**_log_json(rec.id), "class": res.cls, "advice": list(res.advice),
                       "updated": res.updated, **_marked_json(res)})
        return
    if res.advice:
        out.write("!" * 72)
        out.write("!! WARNING SIGN - stop all sessions")
        for line in res.advice:
            out.write("!! " + line)
        out.write("!" * 72)
    word = "check-in" if kind == "checkin" else "reaction"
    if res.updated:
        out.write(f"updated the check-in of {rec.date.isoformat()} ({rec.id}; one per day): "
                  f"class {res.cls}")
    else:
        out.write(f"logged {word} {rec.id} on {rec.date.isoformat()}: class {res.cls}")
    _report_marked(res)
    if res.cls == "red-flag":
        out.write("sessions are on hold until a clinician has seen you and cleared you; then: "
                  f"`acuplan resolve {rec.id} --date DATE --cleared-by-clinician`")
    elif res.cls == "severe":
        out.write("sessions are on hold until the reaction has fully settled; if it does not "
                  "settle, or you feel unwell, see a clinician. When it has settled: "
                  f"`acuplan resolve {rec.id} --date DATE`")
    elif res.cls == "moderate":
        out.write("no sessions until the skin settles (3 days, or a new check-in showing it "
                  "is calm)")
    _report_blocked_plans(env)


@log.command("reaction")
@date_option()
@click.option("--session", "session_id", metavar="ID", help="The session it followed.")
@skin_options
@json_option
@pass_env
def log_reaction(env: Env, day: date | None, session_id: str | None, as_json: bool,
                 **fields) -> None:
    """Record a skin reaction tied to a session."""
    _log_skin(env, "reaction", day, session_id, as_json, **fields)


@main.command()
@date_option("Date of the check-in (default: today; never in the future).")
@skin_options
@json_option
@pass_env
def checkin(env: Env, day: date | None, as_json: bool, **fields) -> None:
    """Record the daily skin check-in."""
    _log_skin(env, "checkin", day, None, as_json, **fields)


@main.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "all_", is_flag=True, help="Resolve every open hold.")
@date_option("Date the skin had settled (default: today).")
@click.option("--cleared-by-clinician", is_flag=True,
              help="A clinician has seen a warning sign and cleared you.")
@json_option
@pass_env
def resolve(env: Env, ids: tuple[str, ...], all_: bool, day: date | None,
            cleared_by_clinician: bool, as_json: bool) -> None:
    """Lift reaction and medical holds.

    A severe reaction is resolved once it has settled; a warning sign only
    with --cleared-by-clinician.
    """
    if all_ and ids:
        raise BadInput("give record ids or --all, not both")
    if not all_ and not ids:
        raise BadInput("give the ids of the records to resolve (see `acuplan history`), or --all")
    skin = env.planner.state().history.skin
    holds = [r.id for r in env.planner.open_holds()]
    for i in ids:
        _known_id(i, [r.id for r in skin], "skin record", "open holds", shown=holds)
    done = env.planner.resolve(None if all_ else list(ids), _day(env, day), cleared_by_clinician)
    if as_json:
        out.dump_json({"resolved": [r.id for r in done]})
        return
    for r in done:
        out.write(f"resolved {r.id} ({r.cls}, recorded {r.date.isoformat()}) on "
                  f"{r.resolved_on.isoformat()}")


@main.command()
@click.option("--from", "start", type=DATE, required=True, help="First day of the pause.")
@click.option("--to", "end", type=DATE, required=True, help="Last day of the pause.")
@click.option("--reason", type=click.Choice(PAUSE_REASONS), required=True)
@note_option
@json_option
@pass_env
def pause(env: Env, start: date, end: date, reason: str, note: str, as_json: bool) -> None:
    """Pause sessions for a while (streak frozen)."""
    note = check_text(note, "--note")
    p = env.planner.pause(start, end, reason, note)
    if as_json:
        out.dump_json({"id": p.id, "violations": []})
        return
    out.write(f"paused {p.start.isoformat()} to {p.end.isoformat()} ({p.reason}) (id {p.id})")
    _report_blocked_plans(env)


@main.command()
@click.argument("pause_id", metavar="ID")
@pass_env
def unpause(env: Env, pause_id: str) -> None:
    """Remove a pause."""
    _known_id(pause_id, [p.id for p in env.planner.state().history.pauses], "pause", "pauses")
    env.planner.unpause(pause_id)
    out.write(f"removed pause {out.one_line(pause_id)}")


# ------------------------------------------------------------------ looking back

@main.command()
@json_option
@pass_env
def streak(env: Env, as_json: bool) -> None:
    """Streaks, days until break, and the score."""
    s = env.planner.streak()
    if as_json:
        out.dump_json(s.to_json())
        return
    line = f"sessions on schedule: {s.sessions_current} (longest {s.sessions_longest})"
    if s.days_until_break is not None and s.sessions_current:
        n = s.days_until_break
        line += f"; {n} day{'s' if n != 1 else ''} until it breaks"
    out.write(line)
    out.write(f"check-in days in a row: {s.checkins_current} (longest {s.checkins_longest})")
    out.write(f"habit score: {round(s.score * 100)}%")


@main.command()
@click.option("--from", "start", type=DATE, help="First date to show.")
@click.option("--to", "end", type=DATE, help="Last date to show.")
@json_option
@pass_env
def history(env: Env, start: date | None, end: date | None, as_json: bool) -> None:
    """Everything recorded, by date."""
    if start and end and end < start:
        raise BadInput(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    items = env.planner.history_items(start, end)
    if as_json:
        out.dump_json(items)
        return
    if not items:
        out.write("nothing recorded" + (" in that range" if start or end else " yet"))
        return
    for line in out.history_table(items):
        out.write(line)


__all__ = ["main"]
