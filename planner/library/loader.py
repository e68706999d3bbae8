"""Load, validate and save routine files (SPEC §5).

Every file is checked before use, and problems come back as `LibraryIssue`
values (file, field, message) instead of exceptions: a broken user file, or a
fuzzer's random bytes, must never crash the app. The shipped library is parsed
once per process, because start-up speed matters.

Field paths in issues count steps from 1, as a reader does: `steps[2].zone`.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from planner.domain.routine import CONDITIONS, MIN_ROUTINE_SECONDS, Point, Routine, Step
from planner.domain.values import Value
from planner.domain.vocabulary import (
    ACTIONS,
    CONCERNS,
    FORBIDDEN_ZONES,
    PRESSURES,
    SIDES,
    TECHNIQUES,
    ZONES,
)
from planner.library.normalise import eye_instruction, needle_word
from planner.store import atomic
from planner.store.bounded import NotAPlainFile, read_bounded

STARTER_MAX_SECONDS = 600     # a starter fits the 10-minute cap of the first sessions
EYE_POINTS = ("ST1", "BL1")   # they sit on the eye: never in acuplan
POINTS_FILE = "points.toml"
MAX_FILE_BYTES = 1 << 20      # 1 MiB: far above any real routine, small enough to read whole

ACTIONS_BY_TECHNIQUE = {
    "acupressure": ("press-hold", "circle"),
    "gua-sha": ("stroke", "press-hold"),
    "jade-rolling": ("roll",),
}
ROUTINE_FIELDS = ("id", "name", "summary", "techniques", "concerns", "starter", "steps")
STEP_FIELDS = ("technique", "point", "zone", "side", "action", "direction", "pressure",
               "seconds", "repetitions", "how")
POINT_FIELDS = ("code", "pinyin", "english", "zone", "location", "traditional_use",
                "cautions", "avoid_in")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_SLUG_MAX = 64
_REQUIRED = object()


class LibraryIssue(Value, frozen=True):
    """One problem in one file, precise enough to fix without guessing."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class Library(Value, frozen=True):
    """The point catalog, every usable routine by id, and what was rejected."""

    points: dict[str, Point]
    routines: dict[str, Routine]
    issues: list[LibraryIssue]


# --------------------------------------------------------------------------
# Field checks shared by routine, step and point tables.

_Add = Callable[[str, str], None]


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    names = {int: "an integer", float: "a float", str: "a string", list: "an array",
             dict: "a table"}
    return next((n for t, n in names.items() if isinstance(value, t)), "a date or time")


class _Table:
    """Typed reads from one TOML table; each bad field adds an issue and clears `ok`."""

    def __init__(self, table: dict, where: str, add: _Add, accepted: tuple[str, ...]):
        self.table, self.where, self._add, self.ok = table, where, add, True
        for key in table:
            if key not in accepted:
                self.add(key, f"unknown field; accepted: {', '.join(accepted)}")

    def at(self, key: object) -> str:
        return f"{self.where}.{key}" if self.where else str(key)

    def add(self, key: object, message: str) -> None:
        self.ok = False
        self._add(self.at(key), message)

    def get(self, key: str, kind: type, default: Any = _REQUIRED) -> Any:
        if key not in self.table:
            if default is _REQUIRED:
                self.add(key, "missing (required)")
            return None if default is _REQUIRED else default
        value = self.table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.add(key, f"must be {_type_name(kind())}, not {_type_name(value)}")
            return None
        return value

    def word(self, key: str, accepted: tuple[str, ...], what: str,
             default: Any = _REQUIRED) -> str | None:
        value = self.get(key, str, default)
        if value is None or value in accepted:
            return value
        if needle_word(value):  # already reported as a needle word
            self.ok = False
        else:
            self.add(key, f"unknown {what} {value!r}; accepted: {', '.join(accepted)}")
        return None

    def words(self, key: str, accepted: tuple[str, ...] | None, what: str,
              required: bool = True) -> tuple[str, ...] | None:
        """A list of strings; with `accepted`, each must be one of them, once."""
        values = self.get(key, list, _REQUIRED if required else [])
        if values is None:
            return None
        if required and not values:
            self.add(key, f"list at least one {what}")
        out: list[str] = []
        for i, value in enumerate(values, 1):
            if not isinstance(value, str):
                self.add(f"{key}[{i}]", f"must be a string, not {_type_name(value)}")
            elif accepted is not None and value not in accepted:
                if not needle_word(value):
                    self.add(f"{key}[{i}]",
                             f"unknown {what} {value!r}; accepted: {', '.join(accepted)}")
                self.ok = False
            elif value in out:
                self.add(f"{key}[{i}]", f"{value!r} is listed twice")
            else:
                out.append(value)
        return tuple(out)

    def zone(self, key: str) -> str | None:
        value = self.get(key, str, None)
        if value is None:
            return None
        if value in FORBIDDEN_ZONES:
            self.add(key, f"{value!r} is a forbidden zone: no step may touch the eyeball, "
                          "eyelid, lips, or the inside of the nostril or mouth")
        elif value not in ZONES:
            self.add(key, f"unknown zone {value!r}; accepted: {', '.join(ZONES)}")
        else:
            return value
        return None


def _needle_message(word: str, text: str) -> str:
    """Name the word; say so when it cannot be seen in plain ASCII letters, so it can be found."""
    plain = re.sub(r"[^a-z]+", "", text.lower())
    how = "" if word.replace(" ", "") in plain else " (spelled with look-alike or accented letters)"
    return (f"mentions {word!r}{how}: needle techniques and tools are not allowed "
            "(acuplan is needle-free)")


def _scan_strings(doc: Any, add: _Add) -> None:
    """Report needle words, eye instructions and unencodable text in every string of a document.

    Keys are read too: a needle word must not hide in a field name either.
    """
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for k in value:
                word = needle_word(k)
                if word:
                    add(f"{where}.{k}" if where else str(k), _needle_message(word, k))
            stack.extend((f"{where}.{k}" if where else str(k), v)
                         for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in reversed(list(enumerate(value, 1))))
        elif isinstance(value, str):
            word = needle_word(value)
            if word:
                add(where, _needle_message(word, value))
            # a zone field naming "eyelid" is refused by the zone check, with its own message
            eye = None if where.rpartition(".")[2] == "zone" else eye_instruction(value)
            if eye:
                add(where, f"mentions the {eye} without keeping off it: no step may press, "
                           "roll, stroke or rub the eyeball or eyelid (to warn, write e.g. "
                           f"'never on the {eye}' or 'clear of the {eye}')")
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    add(where, "holds characters that are not valid Unicode text")


# --------------------------------------------------------------------------
# Routines

def validate_routine_doc(doc: Any, file: str, points: Mapping[str, Point],
                         source: str = "user") -> tuple[Routine | None, list[LibraryIssue]]:
    """Check a parsed routine document; a Routine only when there is no issue."""
    issues: list[LibraryIssue] = []

    def add(field: str, message: str) -> None:
        issues.append(LibraryIssue(file, field, message))

    if not isinstance(doc, dict):
        add("document", f"a routine must be a TOML table, not {_type_name(doc)}")
        return None, issues
    _scan_strings(doc, add)
    top = _Table(doc, "", add, ROUTINE_FIELDS)
    routine_id = top.get("id", str)
    if routine_id is not None and (len(routine_id) > _SLUG_MAX or not _SLUG.match(routine_id)):
        top.add("id", f"{routine_id!r} is not a lowercase slug like 'morning-depuff-roll' "
                      f"(a-z, 0-9 and single hyphens, at most {_SLUG_MAX} characters)")
    name = top.get("name", str)
    if name is not None and not name.strip():
        top.add("name", "must not be empty")
    summary = top.get("summary", str, "")
    techniques = top.words("techniques", TECHNIQUES, "technique")
    concerns = top.words("concerns", CONCERNS, "concern")
    starter = top.get("starter", bool, False)
    steps = _steps(top, points)
    if not top.ok or steps is None or techniques is None or concerns is None:
        return None, issues  # (each None came with an issue)

    used = [t for t in TECHNIQUES if any(s.technique == t for s in steps)]
    for t in used:
        if t not in techniques:
            top.add("techniques", f"steps use {t!r}, so list it here")
    for t in techniques:
        if t not in used:
            top.add("techniques", f"{t!r} is listed but no step uses it")
    total = sum(s.total_seconds for s in steps)
    if total < MIN_ROUTINE_SECONDS:
        top.add("steps", f"total is {total // 60} min {total % 60} s ({total} s); "
                         f"a routine lasts at least 5 minutes ({MIN_ROUTINE_SECONDS} s)")
    if starter and total > STARTER_MAX_SECONDS:
        top.add("starter", f"a starter fits the 10-minute cap of the first sessions; "
                           f"this one lasts {total} s")
    if issues:
        return None, issues
    return Routine(routine_id, name, summary, techniques, concerns, steps, starter, source), issues


def _steps(top: _Table, points: Mapping[str, Point]) -> tuple[Step, ...] | None:
    raw_steps = top.get("steps", list)
    if raw_steps is None:
        return None
    if not raw_steps:
        top.add("steps", "a routine needs at least one step ([[steps]])")
    steps = [_step(raw, f"steps[{i}]", points, top._add) for i, raw in enumerate(raw_steps, 1)]
    good = tuple(s for s in steps if s is not None)
    if len(good) != len(steps):
        top.ok = False
        return None
    return good


def _step(raw: Any, where: str, points: Mapping[str, Point], add: _Add) -> Step | None:
    if not isinstance(raw, dict):
        add(where, f"each step must be a table ([[steps]]), not {_type_name(raw)}")
        return None
    t = _Table(raw, where, add, STEP_FIELDS)
    technique = t.word("technique", TECHNIQUES, "technique")
    action = t.word("action", ACTIONS, "action")
    zone = t.zone("zone")
    point = t.get("point", str, None)
    side = t.word("side", SIDES, "side", "both")
    pressure = t.word("pressure", PRESSURES, "pressure", "light")
    direction = t.get("direction", str, "")
    how = t.get("how", str, "")
    seconds = t.get("seconds", int)
    if seconds is not None and seconds <= 0:
        t.add("seconds", f"must be a whole number above 0, not {seconds}")
    repetitions = t.get("repetitions", int, 1)
    if repetitions is not None and repetitions < 1:
        t.add("repetitions", f"must be at least 1, not {repetitions}")

    if technique == "acupressure":
        if zone is not None:
            t.add("zone", "an acupressure step takes its zone from its point; remove zone")
        if "point" not in raw:
            t.add("point",
                  'missing (an acupressure step names a catalog point, e.g. point = "ST6")')
        elif point is not None:
            _check_point(t, point, points)
    elif technique is not None:
        if "point" in raw:
            t.add("point", f"only acupressure steps name a point; a {technique} step names a zone")
        if "zone" not in raw:
            t.add("zone", f"missing (a {technique} step names the zone it works on)")
    if technique and action and action not in ACTIONS_BY_TECHNIQUE[technique]:
        t.add("action", f"{action!r} does not fit {technique}; use "
                        f"{', '.join(ACTIONS_BY_TECHNIQUE[technique])}")
    if not t.ok or technique is None or action is None or side is None or pressure is None:
        return None  # (each None came with an issue)
    return Step(technique, action, seconds, repetitions, point, zone, side, direction, pressure,
                how)


def _check_point(t: _Table, code: str, points: Mapping[str, Point]) -> None:
    if code.upper() in EYE_POINTS:
        t.add("point", f"{code} sits on the eye and is left out of acuplan")
    elif code not in points:
        t.add("point", f"unknown point {code!r}: not in the point catalog ({POINTS_FILE})")
    elif points[code].zone in FORBIDDEN_ZONES:
        t.add("point", f"{code} lies on a forbidden zone ({points[code].zone})")


NotARoutineFile = NotAPlainFile  # the name the CLI and tests know


def read_routine_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of a routine file: a regular file of at most 1 MiB (NotARoutineFile
    otherwise, OSError when it cannot be read), never blocking on a FIFO."""
    return read_bounded(path, MAX_FILE_BYTES, "a routine file")


def validate_file(path: str | os.PathLike, points: Mapping[str, Point],
                  source: str = "user") -> tuple[Routine | None, list[LibraryIssue]]:
    """Read and check one routine file; never raises (nor blocks on a FIFO)."""
    label = str(path)
    try:
        data = read_routine_bytes(path)
    except NotARoutineFile as exc:
        return None, [LibraryIssue(label, "file", f"cannot read it: {exc}")]
    except (OSError, ValueError) as exc:
        return None, [LibraryIssue(label, "file", f"cannot read it: {_os_reason(exc)}")]
    return validate_bytes(data, label, points, source)


def _os_reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _parse(data: bytes, label: str) -> tuple[dict | None, list[LibraryIssue]]:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return None, [LibraryIssue(label, "syntax",
                                   f"not UTF-8 text (bad byte at offset {exc.start})")]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        return None, [LibraryIssue(label, "syntax", f"invalid TOML: {exc}")]
    except RecursionError:
        return None, [LibraryIssue(label, "syntax", "invalid TOML: nested too deeply")]


def validate_bytes(data: bytes, label: str, points: Mapping[str, Point],
                   source: str = "user") -> tuple[Routine | None, list[LibraryIssue]]:
    """Check the bytes of a routine file already read (see `read_routine_bytes`)."""
    doc, issues = _parse(data, label)
    if doc is None:
        return None, issues
    return validate_routine_doc(doc, label, points, source)


# --------------------------------------------------------------------------
# Point catalog

def _read_points(data: bytes, label: str) -> tuple[dict[str, Point], list[LibraryIssue]]:
    """Parse a catalog; entries with an issue are left out and reported."""
    doc, issues = _parse(data, label)
    if doc is None:
        return {}, issues

    def add(field: str, message: str) -> None:
        issues.append(LibraryIssue(label, field, message))

    top = _Table(doc, "", add, ("points",))
    entries = top.get("points", list) or []
    points: dict[str, Point] = {}
    for i, raw in enumerate(entries, 1):
        where = f"points[{i}]"
        if not isinstance(raw, dict):
            add(where, f"each point must be a table ([[points]]), not {_type_name(raw)}")
            continue
        t = _Table(raw, where, add, POINT_FIELDS)
        code = t.get("code", str)
        if code is not None and code.upper() in EYE_POINTS:
            t.add("code", f"{code} sits on the eye and is left out of acuplan")
        elif code is not None and (not code.strip() or code in points):
            t.add("code", f"{code!r} is empty or already in the catalog")
        pinyin, english = t.get("pinyin", str), t.get("english", str)
        location, use = t.get("location", str), t.get("traditional_use", str)
        zone = t.zone("zone")
        if "zone" not in raw:
            t.add("zone", "missing (required)")
        cautions = t.words("cautions", None, "caution", required=False)
        avoid_in = t.words("avoid_in", tuple(CONDITIONS), "condition", required=False)
        if t.ok and zone is not None and cautions is not None and avoid_in is not None:
            points[code] = Point(code, pinyin, english, zone, location, use, cautions, avoid_in)
    return points, issues


def load_points(path: str | os.PathLike | None = None) -> dict[str, Point]:
    """The point catalog by code: the shipped one, or the file at `path`."""
    if path is None:
        return dict(_shipped()[0])
    try:
        data = read_routine_bytes(path)
    except (NotARoutineFile, OSError, ValueError):
        return {}
    return _read_points(data, str(path))[0]


# --------------------------------------------------------------------------
# The library

def _shipped_dir() -> Traversable:
    """The installed `planner.routines` package, or the source tree's routines/."""
    try:
        return resources.files("planner.routines")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "routines"


@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[dict[str, Point], dict[str, Routine], tuple[LibraryIssue, ...]]:
    folder = _shipped_dir()
    points, issues = _read_points(folder.joinpath(POINTS_FILE).read_bytes(),
                                  f"routines/{POINTS_FILE}")
    routines: dict[str, Routine] = {}
    files = sorted((f for f in folder.iterdir()
                    if f.name.endswith(".toml") and f.name != POINTS_FILE), key=lambda f: f.name)
    for f in files:
        routine, found = validate_bytes(f.read_bytes(), f"routines/{f.name}", points, "shipped")
        issues.extend(found)
        if routine is not None:
            _add_unique(routines, routine, f"routines/{f.name}", issues)
    return points, routines, tuple(issues)


def _add_unique(routines: dict[str, Routine], routine: Routine, label: str,
                issues: list[LibraryIssue]) -> None:
    if routine.id in routines:
        kind = "a shipped" if routines[routine.id].source == "shipped" else "another user"
        issues.append(LibraryIssue(label, "id", f"{routine.id!r} is already {kind} routine's id; "
                                                "give this one another id"))
    else:
        routines[routine.id] = routine


def _load_user(user_dir: str | os.PathLike, points: Mapping[str, Point],
               routines: dict[str, Routine], issues: list[LibraryIssue]) -> dict[str, Path]:
    """Add the valid user routines to `routines`; the file each added id came from."""
    try:
        files = sorted(Path(user_dir).glob("*.toml"))
    except (OSError, ValueError) as exc:
        files = []
        issues.append(LibraryIssue(str(user_dir), "file", f"cannot list it: {_os_reason(exc)}"))
    paths: dict[str, Path] = {}
    for path in files:
        routine, found = validate_file(path, points, "user")
        issues.extend(found)
        if routine is not None and routine.id not in routines:
            paths[routine.id] = path
        if routine is not None:
            _add_unique(routines, routine, str(path), issues)
    return paths


def load_library(user_dir: str | os.PathLike | None = None) -> Library:
    """Shipped routines plus the valid user routines in `user_dir/*.toml`."""
    points, shipped, shipped_issues = _shipped()
    routines = dict(shipped)
    issues = list(shipped_issues)
    if user_dir is not None:
        _load_user(user_dir, points, routines, issues)
    return Library(dict(points), routines, issues)


def user_routine_files(user_dir: str | os.PathLike) -> dict[str, Path]:
    """Which file in `user_dir` holds each user routine id, as `load_library` would pick it.

    The file need not be `<id>.toml`: saving there would leave the routine
    shadowed by the older file, so a save must know where the id really lives.
    """
    points, shipped, _ = _shipped()
    return _load_user(user_dir, points, dict(shipped), [])


# --------------------------------------------------------------------------
# Writing user routines

def routine_to_toml(routine: Routine) -> str:
    """The routine in the library's file format (its `source` is where the file lives),
    written by tomli-w: tomllib reads it back as exactly this routine."""
    import tomli_w

    doc: dict[str, Any] = {key: getattr(routine, key) for key in ROUTINE_FIELDS[:-1]}
    doc["steps"] = [{key: value for key in STEP_FIELDS
                     if (value := getattr(step, key)) is not None} for step in routine.steps]
    text = tomli_w.dumps(doc)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:  # TOML is UTF-8: a lone surrogate has no encoding
        raise ValueError(f"a lone surrogate (U+{ord(e.object[e.start]):04X}) cannot be "
                         "written to TOML") from None
    return text


def save_user_routine(routine: Routine, user_dir: str | os.PathLike,
                      file_name: str | None = None) -> Path:
    """Write `user_dir/<id>.toml` atomically (0600, dir 0700); ValueError if it would not load.

    `file_name` (a bare name in `user_dir`) replaces the file that already holds
    this id, when that file is not named after it.
    """
    if file_name is not None and (Path(file_name).name != file_name or
                                  not file_name.endswith(".toml")):
        raise ValueError(f"{file_name!r} is not a routine file name in the routines folder")
    text = routine_to_toml(routine)
    _, issues = validate_routine_doc(tomllib.loads(text), f"{routine.id}.toml", _shipped()[0])
    if routine.id in _shipped()[1]:
        issues.append(LibraryIssue(f"{routine.id}.toml", "id", "is a shipped routine's id"))
    if issues:
        raise ValueError("; ".join(map(str, issues)))
    folder = Path(user_dir)
    atomic.ensure_dir(folder)
    os.chmod(folder, atomic.DIR_MODE)
    target = folder / (file_name or f"{routine.id}.toml")
    # The store's writer: 0600, fsynced, renamed, directory fsynced. A link at `target`
    # is replaced, not written through (the library reads plain files only).
    atomic.atomic_write(target, text.encode("utf-8"), through_links=False)
    return target
