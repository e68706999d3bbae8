"""`acuplan profile show|set`, `exclude`, `include`: your answers to the profile questions,
the rule settings (only ever stricter than the defaults), and the zones left out."""

from __future__ import annotations

from datetime import date

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.group import AcuGroup
from planner.cli.inputs import DATE, YES_NO, json_option
from planner.domain.models import to_doc
from planner.domain.profile_questions import PROFILE_QUESTIONS
from planner.domain.session_prep import describe_days
from planner.domain.settings_rules import RANGES, SETTING_NAMES
from planner.domain.vocabulary import EXCLUSION_REASONS, ZONES
from planner.service.planner import BadInput

# Profile questions: option word -> Profile field, in the Profile's order.
PROFILE_OPTIONS = {q.option: q.field for q in PROFILE_QUESTIONS}


def _yes(v: bool) -> str:
    return "yes" if v else "no"


def profile_json(profile, settings) -> dict:
    return {"profile": to_doc(profile), "settings": to_doc(settings)}


def _print_profile(profile, settings) -> None:
    out.write("profile:")
    for word, field in PROFILE_OPTIONS.items():
        out.write(f"  {word}: {_yes(getattr(profile, field))}")
    out.write(f"  safety notice accepted: {_yes(profile.notice_accepted)}")
    out.write("excluded zones:" if profile.exclusions else "excluded zones: none")
    for e in profile.exclusions:
        until = f" until {e.until.isoformat()}" if e.until else ""
        out.write(f"  {e.zone}: {e.reason}{until}")
    out.write(f"preferred days: {describe_days(profile.preferred_days)}")
    out.write(f"preferred time: {profile.preferred_time or 'any time'}")
    out.write("rule settings (stricter than the defaults only):")
    for word, field in SETTING_NAMES.items():
        rng = RANGES[field]
        out.write(f"  {word}: {getattr(settings, field)} ({rng.meaning}; allowed "
                  f"{rng.low}-{rng.high})")


@click.group("profile", cls=AcuGroup)
def profile() -> None:
    """Your profile and the rule settings."""


@profile.command("show")
@json_option
@pass_env
def profile_show(env: Env, as_json: bool) -> None:
    """Show profile, excluded zones, settings."""
    p, s = env.planner.profile(), env.planner.settings()
    if as_json:
        out.dump_json(profile_json(p, s))
    else:
        _print_profile(p, s)


def _profile_set_options(f):
    for word, field in reversed(list(SETTING_NAMES.items())):
        rng = RANGES[field]
        f = click.option(f"--{word}", f"s_{field}", type=int, metavar="N",
                         help=f"{rng.meaning.capitalize()} ({rng.low}-{rng.high}).")(f)
    for word, field in reversed(list(PROFILE_OPTIONS.items())):
        f = click.option(f"--{word}", f"p_{field}", type=YES_NO)(f)
    f = click.option("--preferred-time", "pref_time", metavar="HH:MM",
                     help="Time of day you prefer for sessions, e.g. 19:00; none clears it.")(f)
    f = click.option("--preferred-days", "pref_days", metavar="DAYS",
                     help="Days you prefer for sessions, e.g. sat,sun (mon..sun); none clears "
                     "them. `plan --next` proposes them.")(f)
    return f


@profile.command("set")
@_profile_set_options
@json_option
@pass_env
def profile_set(env: Env, as_json: bool, pref_days: str | None, pref_time: str | None,
                **options) -> None:
    """Set profile answers, preferred days and time, and stricter rules."""
    prof = {k[2:]: v == "yes" for k, v in options.items() if k.startswith("p_") and v is not None}
    sett = {k[2:]: v for k, v in options.items() if k.startswith("s_") and v is not None}
    if not prof and not sett and pref_days is None and pref_time is None:
        accepted = [*PROFILE_OPTIONS, "preferred-days", "preferred-time", *SETTING_NAMES]
        raise BadInput("nothing to set; accepted: " + ", ".join(f"--{w}" for w in accepted))
    planner = env.planner
    words = {field: word for word, field in SETTING_NAMES.items()}
    for field, value in sett.items():
        rng = RANGES[field]
        if not rng.low <= value <= rng.high:
            raise BadInput(f"--{words[field]} {value} is outside the allowed range "
                           f"{rng.low}-{rng.high} ({rng.meaning}); rules may only be made "
                           "stricter than the defaults")
    if sett:
        cur = planner.settings()
        spacing = sett.get("spacing_days", cur.spacing_days)
        cadence = sett.get("cadence_days", cur.cadence_days)
        if cadence < spacing:
            raise BadInput(f"--cadence ({cadence}) may not be below --spacing ({spacing}); "
                           f"raise both, e.g. --spacing {spacing} --cadence {spacing}")
    if pref_days is not None or pref_time is not None:
        from planner.domain.session_prep import parse_time, parse_weekdays
        try:  # checked before anything is written, as the settings are
            parse_weekdays(pref_days or "")
            parse_time(pref_time or "")
        except ValueError as e:
            raise BadInput(str(e)) from None
    if sett:  # first: a refused setting must leave the profile untouched too
        planner.set_settings(**sett)
    if prof:
        planner.set_profile(**prof)
    if pref_days is not None or pref_time is not None:
        planner.set_preferences(pref_days, pref_time)
    p, s = planner.profile(), planner.settings()
    if as_json:
        out.dump_json(profile_json(p, s))
        return
    out.write("saved")
    _print_profile(p, s)


@click.command("exclude")
@click.argument("zone", type=click.Choice(ZONES), metavar="ZONE")
@click.option("--reason", type=click.Choice(EXCLUSION_REASONS), required=True)
@click.option("--until", type=DATE, help="Last day to leave it out (default: until you "
              "include it again).")
@pass_env
def exclude(env: Env, zone: str, reason: str, until: date | None) -> None:
    """Leave a zone out of routines and sessions.

    ZONE: forehead, brow, temple, under-eye, cheek, nose, mouth-corner, chin, jaw,
    ear, neck, hand, lower-leg.
    """
    env.planner.exclude(zone, reason, until)
    when = f" until {until.isoformat()}" if until else " until you include it again"
    out.write(f"excluded {zone} ({reason}){when}")


@click.command("include")
@click.argument("zone", type=click.Choice(ZONES), metavar="ZONE")
@pass_env
def include(env: Env, zone: str) -> None:
    """Bring an excluded zone back (ZONE as for exclude)."""
    env.planner.include(zone)
    out.write(f"included {zone} again")


__all__ = ["profile", "exclude", "include"]
