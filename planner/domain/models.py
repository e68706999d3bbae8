"""Records of the journal as immutable values, and their plain-dict form.

The store keeps plain dicts (JSON); the domain works on these dataclasses.
`to_doc`/`from_doc` convert between them without any I/O.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from datetime import date
from functools import cached_property
from typing import Any

from .vocabulary import class_rank


def iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def parse_iso(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Session:
    id: str
    date: date
    minutes: int
    routine: str | None = None
    aborted: bool = False
    violations: tuple[Reason, ...] = ()
    note: str = ""

    @property
    def completed(self) -> bool:
        return not self.aborted


@dataclass(frozen=True)
class Plan:
    id: str
    date: date
    minutes: int
    routine: str | None = None
    fulfilled_by: str | None = None  # id of the session that carried it out


@dataclass(frozen=True)
class ProductUse:
    id: str
    date: date
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Procedure:
    id: str
    date: date
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Injectable:
    id: str
    date: date
    kind: str
    note: str = ""


@dataclass(frozen=True)
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
    seq: int = 0  # order of entry, to pick the latest of records on one date

    @cached_property
    def cls(self) -> str:
        """Computed once per record: the rules, streaks and lists all ask for it."""
        from .classify import classify

        return classify(self)

    @property
    def rank(self) -> int:
        return class_rank(self.cls)


@dataclass(frozen=True)
class Pause:
    id: str
    start: date
    end: date
    reason: str
    note: str = ""


@dataclass(frozen=True)
class Exclusion:
    """A zone the builder must leave out (e.g. a mole), optionally until a date."""

    zone: str
    reason: str
    until: date | None = None

    def active_on(self, day: date) -> bool:
        return self.until is None or day <= self.until


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
_Shape = tuple[frozenset[str], frozenset[str], frozenset[str], "dict[str, Any] | None"]
_SHAPES: dict[type, _Shape] = {}


def _shape(cls: type) -> _Shape:
    """Field names, names needing conversion, required names, defaults (worked out once)."""
    shape = _SHAPES.get(cls)
    if shape is None:
        fs = fields(cls)
        names = frozenset(f.name for f in fs)
        required = frozenset(f.name for f in fs
                             if f.default is MISSING and f.default_factory is MISSING)
        defaults = {f.name: f.default for f in fs if f.default is not MISSING}
        simple = (getattr(cls, "__dataclass_params__").frozen
                  and all(f.default_factory is MISSING and f.init for f in fs)
                  and not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__"))
        shape = _SHAPES[cls] = (names, names & _SPECIAL, required, defaults if simple else None)
    return shape


def from_doc(cls: type, doc: dict[str, Any]) -> Any:
    """Build a record from its dict, ignoring unknown keys (forward tolerance).

    Dates (ISO strings) become dates, violations and exclusions their values, other
    lists tuples. Runs for every record on every load, so it is written for speed.
    """
    names, special, required, defaults = _shape(cls)
    if names.issuperset(doc):
        kwargs = dict(doc)
    else:
        kwargs = {k: v for k, v in doc.items() if k in names}
    for k in [k for k, v in kwargs.items() if k in special or isinstance(v, list)]:
        v = kwargs[k]
        if k in _DATE_FIELDS and isinstance(v, str):
            kwargs[k] = date.fromisoformat(v)
        elif k == "violations":
            kwargs[k] = tuple(Reason.from_json(r) for r in v or ())
        elif k == "exclusions":
            kwargs[k] = tuple(Exclusion(e["zone"], e["reason"], parse_iso(e.get("until")))
                              for e in v or ())
        elif isinstance(v, list):
            kwargs[k] = tuple(v)
    if defaults is not None and required <= kwargs.keys():
        # What the generated __init__ of a frozen dataclass without __post_init__ does
        # (every field set, defaults for the missing ones), without one
        # object.__setattr__ call per field.
        obj = object.__new__(cls)
        obj.__dict__.update(defaults)
        obj.__dict__.update(kwargs)
        return obj
    return cls(**kwargs)


__all__ = [
    "Reason", "Session", "Plan", "ProductUse", "Procedure", "Injectable", "SkinRecord",
    "Pause", "Exclusion", "Profile", "Settings", "History", "to_doc", "from_doc", "iso",
    "parse_iso", "asdict", "field",
]
