"""`acuplan log …`, `checkin`, `resolve`: record what happened, and lift the holds a
reaction or a warning sign set.

Logging is never in the future and never refused for breaking a rule (the record is
marked); each command says what the record changed: sessions it marks or clears, the
waits it starts, the plans it blocks.
"""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.group import AcuGroup
from planner.cli.inputs import (
    Whole,
    check_text,
    date_option,
    json_option,
    known_id,
    known_routine,
    note_option,
)
from planner.cli.reports import report_blocked_plans
from planner.domain.models import OUTCOMES
from planner.domain.vocabulary import FLAGS, INJECTABLE_KINDS, PROCEDURE_KINDS, PRODUCT_KINDS, ZONES
from planner.service.planner import MAX_LOG_MINUTES, BadInput


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


def _log_json(record_id: str, violations=()) -> dict:
    return {"id": record_id, "violations": [r.to_json() for r in violations]}


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


@click.group("log", cls=AcuGroup)
def log() -> None:
    """Record what happened.

    Never in the future; never refused for breaking a rule (it is marked).
    """


# ------------------------------------------------------------------ sessions

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
        known_routine(env.planner.library(), routine_id)
    res = env.planner.log_session(env.day_or_today(day), minutes, routine_id, outcome, note)
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
    report_blocked_plans(env)


# ------------------------------------------------------------------ exposures

def _simple_log(env: Env, what: str, kind: str | None, day: date | None, note: str,
                as_json: bool, product: str | None = None, keep: bool = False) -> None:
    note = check_text(note, "--note")
    if what == "product":
        res = env.planner.log_product(kind, env.day_or_today(day), note, product=product,
                                      keep=keep)
    else:
        fn = {"procedure": env.planner.log_procedure,
              "injectable": env.planner.log_injectable}[what]
        res = fn(kind, env.day_or_today(day), note)
    rec = res.record
    if as_json:
        out.dump_json({**_log_json(rec.id), **_marked_json(res)})
        return
    named = f" {out.one_line(rec.name)} ({rec.kind})" if getattr(rec, "name", None) \
        else f" {rec.kind}"
    out.write(f"logged {what}{named} on {rec.date.isoformat()} (id {rec.id})")
    _report_marked(res)
    rule = {"product": "product-blackout", "procedure": "procedure-wait",
            "injectable": "injectable-wait"}[what]
    for r in env.planner.check(rec.date).reasons:
        if r.rule == rule and r.until is not None and r.until > env.today:
            out.write(f"no session before {r.until.isoformat()} ({r.message})")
    report_blocked_plans(env)


@log.command("product")
@click.argument("kind", type=click.Choice(PRODUCT_KINDS), metavar="[KIND]", required=False)
@click.option("--product", "product", metavar="NAME", help="One of your products (see "
              "`acuplan products list`): its kind is used; another name is kept with the use.")
@click.option("--keep", is_flag=True, help="Also keep --product NAME as one of your products.")
@date_option()
@note_option
@json_option
@pass_env
def log_product(env: Env, kind: str | None, product: str | None, keep: bool,
                day: date | None, note: str, as_json: bool) -> None:
    """Record a home active used on a date, by kind or by your product's name.

    KIND: retinoid, acid-exfoliant (AHA/BHA/PHA), scrub, home-peel.
    """
    if keep and product is None:
        raise BadInput("--keep needs --product NAME")
    if product is not None:
        product = check_text(product, "--product")
    _simple_log(env, "product", kind, day, note, as_json, product, keep)


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


# ------------------------------------------------------------------ skin records and holds

def _log_skin(env: Env, kind: str, day: date | None, session_id: str | None, as_json: bool,
              **fields) -> None:
    fields["note"] = check_text(fields.get("note"), "--note")
    if session_id is not None:
        sessions = [s.id for s in env.planner.state().history.sessions]
        known_id(session_id, sessions, "session", "latest sessions", shown=sessions[-10:][::-1])
    res = env.planner.log_skin(kind, env.day_or_today(day), session_id=session_id,
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
    report_blocked_plans(env)


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


@click.command("checkin")
@date_option("Date of the check-in (default: today; never in the future).")
@skin_options
@json_option
@pass_env
def checkin(env: Env, day: date | None, as_json: bool, **fields) -> None:
    """Record the daily skin check-in."""
    _log_skin(env, "checkin", day, None, as_json, **fields)


@click.command("resolve")
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
        known_id(i, [r.id for r in skin], "skin record", "open holds", shown=holds)
    done = env.planner.resolve(None if all_ else list(ids), env.day_or_today(day),
                               cleared_by_clinician)
    if as_json:
        out.dump_json({"resolved": [r.id for r in done]})
        return
    for r in done:
        out.write(f"resolved {r.id} ({r.cls}, recorded {r.date.isoformat()}) on "
                  f"{r.resolved_on.isoformat()}")


__all__ = ["log", "checkin", "resolve"]
