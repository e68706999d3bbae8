"""Records of the journal as immutable values, and their plain-dict form.

The store keeps plain dicts (JSON); the domain works on these values (`values.frozen`).
`to_doc`/`from_doc` convert between them without any I/O.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable

from planner.domain.values import MISSING, fields, frozen, replace
from planner.domain.vocabulary import class_rank


def iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def parse_iso(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


@frozen
class Reason:
    """Why a rule blocks a date; `until` is the first day it no longer blocks (None: open)."""

    rule: str
    message: str
    until: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "message": self.message, "until": iso(self.until)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Reason":
        return cls(d["rule"], d["message"], parse_iso(d.get("until")))


OUTCOMES = ("completed", "partial", "aborted")


@frozen
class Session:
    """One performance of a routine. `violations` is derived from the whole history
    (rules.Engine fills it in, SPEC §3.2) and never stored; `logged` is the entry
    order across the journal, which decides what preceded a session on its own day."""

    id: str
    date: date
    minutes: int
    routine: str | None = None
    outcome: str = "completed"
    note: str = ""
    logged: int = 0
    violations: tuple[Reason, ...] = ()

    @property
    def aborted(self) -> bool:
        return self.outcome == "aborted"

    @property
    def partial(self) -> bool:
        return self.outcome == "partial"

    @property
    def completed(self) -> bool:
        """Ran to the end (only such a session can be clean, SPEC §3.1)."""
        return self.outcome == "completed"

    @property
    def counts(self) -> bool:
        """Counts for the streak: completed or partial, not aborted (SPEC §3.2)."""
        return self.outcome != "aborted"


@frozen
class Plan:
    id: str
    date: date
    minutes: int
    routine: str | None = None
    fulfilled_by: str | None = None  # id of the session that carried it out
    confirmed_missed: bool = False   # the user said it did not happen (Today asks once)

    def missed(self, today: date) -> bool:
        """A plan whose day has passed with no session: it no longer counts for spacing."""
        return self.fulfilled_by is None and self.date < today

    def live(self, today: date) -> bool:
        """Still ahead (or today) and not carried out: it counts for spacing."""
        return self.fulfilled_by is None and self.date >= today


@frozen
class ProductUse:
    id: str
    date: date
    kind: str
    note: str = ""
    logged: int = 0


@frozen
class Procedure:
    id: str
    date: date
    kind: str
    note: str = ""
    logged: int = 0


@frozen
class Injectable:
    id: str
    date: date
    kind: str
    note: str = ""
    logged: int = 0


@frozen
class SkinRecord:
    """A check-in (kind="checkin") or a reaction tied to a session (kind="reaction")."""

    id: str
    date: date
    kind: str = "checkin"
    redness: int = 0
    swelling: int = 0
    itch: int = 0
    burning: int = 0
    flags: tuple[str, ...] = ()
    zone: str | None = None
    note: str = ""
    session_id: str | None = None
    resolved_on: date | None = None
    cleared_by_clinician: bool = False
    logged: int = 0
    seq: int = 0  # order of entry, to pick the latest of records on one date

    @property
    def cls(self) -> str:
        """Computed once per record: the rules, streaks and lists all ask for it. (Kept
        in the instance dict by hand: functools.cached_property takes a lock per first
        read on Python 3.11, a third of the engine's start on a 10-year journal.)"""
        d = self.__dict__
        c = d.get("_cls")
        if c is None:
            from planner.domain.classify import classify

            c = d["_cls"] = classify(self)
        return c

    @property
    def rank(self) -> int:
        return class_rank(self.cls)


@frozen
class Pause:
    id: str
    start: date
    end: date
    reason: str
    note: str = ""
    logged: int = 0


@frozen
class Exclusion:
    """A zone the builder must leave out (e.g. a mole), optionally until a date."""

    zone: str
    reason: str
    until: date | None = None

    def active_on(self, day: date) -> bool:
        return self.until is None or day <= self.until


@frozen
class Profile:
    notice_accepted: bool = False
    onboarded: bool = False
    pregnant: bool = False
    anticoagulants: bool = False
    bleeding_disorder: bool = False
    rosacea: bool = False
    eczema: bool = False
    psoriasis: bool = False
    sensitive_skin: bool = False
    retinoid_use: bool = False
    recent_injectable: bool = False
    recent_procedure: bool = False
    exclusions: tuple[Exclusion, ...] = ()

    @property
    def light_pressure_only(self) -> bool:
        """Gua sha stays light for bleeding risk or reactive skin (SPEC §5)."""
        return (self.anticoagulants or self.bleeding_disorder or self.rosacea
                or self.sensitive_skin)


@frozen
class Settings:
    """Rule values; each may only be made stricter than the default (see settings.py)."""

    spacing_days: int = 7
    product_blackout_days: int = 3
    procedure_wait_days: int = 7
    injectable_wait_days: int = 14
    cadence_days: int = 7
    grace_days: int = 3
    starter_count: int = 3
    ramp_step: int = 5
    ceiling: int = 30
    theme: str = "textual-dark"


@frozen
class History:
    """Everything recorded, as the rule engine sees it. Tuples sorted by date."""

    sessions: tuple[Session, ...] = ()
    plans: tuple[Plan, ...] = ()
    products: tuple[ProductUse, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    injectables: tuple[Injectable, ...] = ()
    skin: tuple[SkinRecord, ...] = ()
    pauses: tuple[Pause, ...] = ()

    def with_(self, **changes: Any) -> "History":
        return replace(self, **changes)


# --------------------------------------------------------------------------
# Plain-dict form (what the journal stores). Dates are ISO strings.

_DATE_FIELDS = {"date", "start", "end", "until", "resolved_on"}


def to_doc(obj: Any) -> dict[str, Any]:
    """A record as a JSON-ready dict."""
    out: dict[str, Any] = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, date):
            v = v.isoformat()
        elif f.name == "violations":
            v = [r.to_json() for r in v]
        elif f.name == "exclusions":
            v = [{"zone": e.zone, "reason": e.reason, "until": iso(e.until)} for e in v]
        elif isinstance(v, tuple):
            v = list(v)
        out[f.name] = v
    return out


_SPECIAL = _DATE_FIELDS | {"violations", "exclusions"}
_BUILDERS: dict[type, Callable[[dict[str, Any]], Any]] = {}


def _convert(k: str, v: Any) -> Any:
    """A stored value as the record holds it (called only for values that need it)."""
    if k in _DATE_FIELDS and isinstance(v, str):
        return date.fromisoformat(v)
    if k == "violations":
        return tuple(Reason.from_json(r) for r in v or ())
    if k == "exclusions":
        return tuple(Exclusion(e["zone"], e["reason"], parse_iso(e.get("until")))
                     for e in v or ())
    if isinstance(v, list):
        return tuple(v)
    return v


def _lists_to_tuples(kwargs: dict[str, Any], listy: tuple[str, ...]) -> None:
    """Stored lists become tuples: first the fields known to hold them, then any other."""
    for k in listy:
        v = kwargs.get(k)
        if v.__class__ is list:
            kwargs[k] = tuple(v)
    if list in map(type, kwargs.values()):  # a list where none belongs: rare
        for k, v in kwargs.items():
            if isinstance(v, list):
                kwargs[k] = tuple(v)


def _builder(cls: type) -> Callable[[dict[str, Any]], Any]:
    """A function turning one stored dict into a `cls`, with the class's shape worked out once."""
    fs = fields(cls)
    names = frozenset(f.name for f in fs)
    special = names & _SPECIAL
    required = frozenset(f.name for f in fs if f.default is MISSING)
    defaults = {f.name: f.default for f in fs if f.default is not MISSING}
    # What `@frozen`'s __init__ does (every field set, defaults for the missing ones) is
    # done here straight into the instance dict; a class with its own __init__ gets it run.
    direct = cls.__init__.__module__ == frozen.__module__  # the one `@frozen` writes
    new = object.__new__

    # Fields whose stored form is a list (flags, ...): converted without scanning the doc.
    listy = tuple(f.name for f in fs if isinstance(f.default, tuple) and f.name not in special)
    # A doc as `to_doc` writes it has every field, in field order; then the values that
    # need converting are known without looking at each key.
    canonical = tuple(f.name for f in fs)
    ordered = tuple((n, n in _DATE_FIELDS) for n in canonical if n in special)
    fromiso = date.fromisoformat
    set_dict = object.__setattr__  # frozen: the class's own __setattr__ refuses

    # The last field may be given apart (SkinRecord.seq, Session.violations: not stored).
    last, stored = canonical[-1], canonical[:-1]

    def build(doc: dict[str, Any], last_value: Any = MISSING) -> Any:
        shape = tuple(doc)
        if direct and (shape == canonical if last_value is MISSING else shape == stored):
            kwargs = dict(doc)  # every field present: no defaults needed
            if last_value is not MISSING:
                kwargs[last] = last_value
            for k, is_date in ordered:  # in field order, as the general path converts them
                v = kwargs[k]
                if not is_date:
                    kwargs[k] = _convert(k, v)
                elif v.__class__ is str:
                    kwargs[k] = fromiso(v)
                elif v.__class__ is list:
                    kwargs[k] = tuple(v)
            _lists_to_tuples(kwargs, listy)
            obj = new(cls)
            set_dict(obj, "__dict__", kwargs)
            return obj
        if last_value is not MISSING:
            doc = {**doc, last: last_value}
        kwargs = dict(doc) if names.issuperset(doc) else {
            k: v for k, v in doc.items() if k in names}
        hits = special.intersection(kwargs)
        if hits:
            if len(hits) > 1:  # convert in the doc's order: the first bad value is reported
                keys = list(kwargs)
                hits = sorted(hits, key=keys.index)
            for k in hits:
                kwargs[k] = _convert(k, kwargs[k])
        _lists_to_tuples(kwargs, listy)
        if direct and required <= kwargs.keys():
            obj = new(cls)
            d = obj.__dict__
            d.update(defaults)
            d.update(kwargs)
            return obj
        return cls(**kwargs)

    _BUILDERS[cls] = build
    return build


def from_doc(cls: type, doc: dict[str, Any]) -> Any:
    """Build a record from its dict, ignoring unknown keys (forward tolerance).

    Dates (ISO strings) become dates, violations and exclusions their values, other
    lists tuples. Runs for every record on every load, so it is written for speed.
    """
    return (_BUILDERS.get(cls) or _builder(cls))(doc)


def from_docs(cls: type, docs: Iterable[dict[str, Any]], *, numbered: bool = False,
              last: Any = MISSING) -> list[Any]:
    """`from_doc` over many docs of one table. The class's last field is not stored: with
    `numbered` it is set to each doc's position (SkinRecord.seq), with `last` to that value
    (Session.violations, derived later), as `from_doc(cls, {**doc, name: value})` would."""
    build = _BUILDERS.get(cls) or _builder(cls)
    if numbered:
        return [build(d, i) for i, d in enumerate(docs)]
    if last is not MISSING:
        return [build(d, last) for d in docs]
    return [build(d) for d in docs]


__all__ = [
    "Reason", "Session", "Plan", "ProductUse", "Procedure", "Injectable", "SkinRecord",
    "Pause", "Exclusion", "Profile", "Settings", "History", "to_doc", "from_doc", "from_docs", "iso",
    "parse_iso", "replace",
]
