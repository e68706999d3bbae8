"""`acuplan routines list|show|validate|build`: the routine library, and a routine built
for you within today's cap and your profile.

The library code (TOML parsing, the builder) is imported inside the commands that use
it, so no other command pays for it.
"""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.cli.group import EXIT_BAD_INPUT, EXIT_REFUSED, AcuGroup
from planner.cli.inputs import Whole, check_text, json_option, known_routine
from planner.domain.vocabulary import CONCERNS, TECHNIQUES
from planner.service.planner import MAX_LOG_MINUTES, BadInput


def _library(user_dir: Path):
    """The shipped and user routines; read without the journal's Planner, so that
    listing them needs neither a journal path that works nor today's date."""
    from planner.service.routine_files import load_library

    return load_library(user_dir)


def step_json(step, points) -> dict:
    from planner.domain.routine import routine_zone

    point = points.get(step.point) if step.point else None
    return {
        "technique": step.technique, "point": step.point,
        "point_name": point.label if point else None,
        "zone": routine_zone(step, points), "side": step.side, "action": step.action,
        "direction": step.direction, "pressure": step.pressure, "seconds": step.seconds,
        "repetitions": step.repetitions, "total_seconds": step.total_seconds, "how": step.how,
    }


def routine_json(r, points, steps: bool = True) -> dict:
    d = {
        "id": r.id, "name": r.name, "summary": r.summary, "techniques": list(r.techniques),
        "concerns": list(r.concerns), "minutes": r.minutes, "total_seconds": r.total_seconds,
        "starter": r.starter, "source": r.source,
    }
    if steps:
        d["steps"] = [step_json(s, points) for s in r.steps]
    return d


def _seconds(total: int) -> str:
    m, s = divmod(total, 60)
    return f"{m} min {s} s" if s else f"{m} min"


def _step_lines(steps, points) -> list[str]:
    from planner.domain.routine import routine_zone

    lines = []
    for i, s in enumerate(steps, 1):
        zone = routine_zone(s, points) or "?"
        where = f"{points[s.point].label} on the {zone}" if s.point in points else f"the {zone}"
        side = "both sides" if s.side == "both" else f"{s.side} side"
        reps = f" x {s.repetitions}" if s.repetitions > 1 else ""
        lines.append(f"{i:>2}. {s.technique}: {s.action} {where}, {side}, {s.pressure} pressure, "
                     f"{s.seconds} s{reps}")
        if s.direction:
            lines.append(f"    direction: {out.one_line(s.direction)}")
        if s.how:
            lines.append(f"    how: {out.one_line(s.how)}")
        if s.point in points:
            p = points[s.point]
            lines.append(f"    where: {out.one_line(p.location)}")
            for c in p.cautions:
                lines.append(f"    caution: {out.one_line(c)}")
    return lines


def _warn_issues(issues) -> None:
    for issue in issues:
        out.write(f"warning: skipped {out.one_line(str(issue))}", err=True)


@click.group("routines", cls=AcuGroup)
def routines() -> None:
    """The routine library: list, show, validate, build."""


@routines.command("list")
@click.option("--technique", type=click.Choice(TECHNIQUES), help="Only routines using it.")
@click.option("--concern", type=click.Choice(CONCERNS), help="Only routines for it.")
@json_option
@pass_env
def routines_list(env: Env, technique: str | None, concern: str | None, as_json: bool) -> None:
    """List the routines (shipped and your own)."""
    lib = _library(env.user_routines_dir)
    _warn_issues(lib.issues)
    found = [r for r in sorted(lib.routines.values(), key=lambda r: (r.source != "shipped", r.id))
             if (technique is None or technique in r.techniques)
             and (concern is None or concern in r.concerns)]
    if as_json:
        out.dump_json([routine_json(r, lib.points, steps=False) for r in found])
        return
    if not found:
        out.write("no routine matches")
        return
    rows = []
    for r in found:
        tags = [t for t, on in (("starter", r.starter), ("yours", r.source == "user")) if on]
        name = out.one_line(r.name) + (f" ({', '.join(tags)})" if tags else "")
        rows.append((r.id, f"{r.minutes} min", name))
        rows.append(("", "", f"  {', '.join(r.techniques)} for {', '.join(r.concerns)}"))
    for line in out.table(rows, ("id", "time", "name")):
        out.write(line)


@routines.command("show")
@click.argument("routine_id", metavar="ID")
@json_option
@pass_env
def routines_show(env: Env, routine_id: str, as_json: bool) -> None:
    """Show a routine's steps, zones and time."""
    lib = _library(env.user_routines_dir)
    r = known_routine(lib, routine_id)
    if as_json:
        out.dump_json(routine_json(r, lib.points))
        return
    _print_routine(r, lib.points)


def _print_routine(r, points) -> None:
    out.write(f"{out.one_line(r.name)} ({r.id})")
    if r.summary:
        out.write(out.one_line(r.summary))
    tags = [t for t, on in (("starter", r.starter), ("your routine", r.source == "user")) if on]
    out.write(f"techniques: {', '.join(r.techniques)}; concerns: {', '.join(r.concerns)}; "
              f"total {_seconds(r.total_seconds)}" + (f"; {', '.join(tags)}" if tags else ""))
    out.write("steps:")
    for line in _step_lines(r.steps, points):
        out.write(line)
    out.write("stop any step that hurts; the uses behind these points are traditional, "
              "not proven effects")


@routines.command("validate")
@click.argument("file", metavar="FILE")
@json_option
def routines_validate(file: str, as_json: bool) -> None:
    """Check a routine file.

    Exit 0 when it is valid, 2 with every problem as "file: field: message".
    A FIFO, a device, a directory or a file over 1 MiB is refused unread.
    """
    from planner.service.routine_files import check_file, load_points

    routine, issues = check_file(file)
    valid = routine is not None and not issues
    if as_json:
        out.dump_json({
            "file": file, "valid": valid,
            "routine": routine_json(routine, load_points()) if valid else None,
            "problems": [{"field": i.field, "message": i.message} for i in issues],
        })
    elif routine is not None and not issues:  # valid
        out.write(f"{out.one_line(file)}: valid: {out.one_line(routine.name)} ({routine.id}), "
                  f"{len(routine.steps)} steps, {_seconds(routine.total_seconds)}")
    else:
        for issue in issues:
            out.write(out.one_line(str(issue)))
    if valid:
        return
    n = len(issues)
    out.error(f"{out.one_line(file)} is not a valid routine ({n} problem{'s' if n != 1 else ''})")
    raise click.exceptions.Exit(EXIT_BAD_INPUT)


@routines.command("build")
@click.option("--concern", "concerns", type=click.Choice(CONCERNS), multiple=True,
              help="What it is for (repeatable; default: any).")
@click.option("--technique", "techniques", type=click.Choice(TECHNIQUES), multiple=True,
              help="Technique to use (repeatable; default: any).")
@click.option("--minutes", type=Whole(5, MAX_LOG_MINUTES),
              help="How long (default: today's cap; never more than it).")
@click.option("--name", help="Name for the routine.")
@click.option("--save", is_flag=True, help="Keep it as one of your routines.")
@click.option("--replace", is_flag=True,
              help="With --save: overwrite your routine that already has this id.")
@json_option
@pass_env
def routines_build(env: Env, concerns: tuple[str, ...], techniques: tuple[str, ...],
                   minutes: int | None, name: str | None, save: bool, replace: bool,
                   as_json: bool) -> None:
    """Build a routine for you.

    From concerns, techniques and minutes, within today's cap and your
    profile; says what was left out and why.
    """
    if replace and not save:
        raise BadInput("--replace goes with --save (it overwrites your saved routine)")
    name = check_text(name, "--name")
    if name is not None and not name.strip():
        raise BadInput("--name must not be empty")
    result, cap = env.planner.build_routine(concerns, techniques, minutes, name)
    lib = env.planner.library()
    saved = replaced = None
    if save and result.routine is not None:
        from planner.service.routine_files import save_routine

        replaced = _routine_in_the_way(env.user_routines_dir, result.routine.id, replace)
        try:
            saved = save_routine(result.routine, env.user_routines_dir,
                                 replaced.name if replaced is not None else None)
        except ValueError as e:
            raise BadInput(f"cannot save the routine: {e}") from None
        except OSError as e:
            raise BadInput(f"cannot save the routine in {env.user_routines_dir}: "
                           f"{e.strerror or e}") from None
    r = result.routine
    if as_json:
        out.dump_json({
            "routine": routine_json(r, lib.points) if r is not None else None,
            "max_minutes": cap,
            "dropped": [{"what": d.what, "reason": d.reason} for d in result.dropped],
            "notes": list(result.notes),
            "saved": str(saved) if saved is not None else None,
            "replaced": replaced is not None,
        })
    else:
        if r is not None:
            out.write(f"{out.one_line(r.name)} ({r.id}): total {_seconds(r.total_seconds)}, "
                      f"within today's cap of {cap} minutes")
            out.write("steps:")
            for line in _step_lines(r.steps, lib.points):
                out.write(line)
        else:
            out.write("no safe routine could be built from these choices")
        if result.dropped:
            out.write("left out:")
            for d in result.dropped:
                out.write(f"  - {out.one_line(d.what)}: {out.one_line(d.reason)}")
        for note in result.notes:
            out.write(f"note: {out.one_line(note)}")
        if saved is not None:
            again = " (replacing your earlier routine with this id)" if replaced else ""
            out.write(f"saved as {r.id} in {out.one_line(saved)}{again}")
        elif r is not None:
            out.write("not saved (add --save to keep it as one of your routines)")
    if r is None:
        raise click.exceptions.Exit(EXIT_REFUSED)


def _routine_in_the_way(user_dir: Path, routine_id: str, replace: bool) -> Path | None:
    """The file a save of `routine_id` would overwrite or be shadowed by, if any.

    Without `replace` that is refused: the user's routine with this id would be
    lost, or would keep hiding the new one.
    """
    from planner.service.routine_files import file_holding

    holder, holds_it = file_holding(user_dir, routine_id)
    if holder is not None and not replace:
        if holds_it:
            raise BadInput(f"you already have a routine with id {routine_id!r} "
                           f"({out.one_line(holder)}); add --replace to overwrite it, or "
                           "pick another --name")
        raise BadInput(f"{out.one_line(holder)} already exists, so routine {routine_id!r} "
                       "cannot be saved there; add --replace to overwrite it, or pick "
                       "another --name")
    return holder


__all__ = ["routines"]
