"""Records of the journal as immutable, typed values, and their plain-dict form.

Each record is a frozen msgspec Struct (`values.Record`) whose annotations say what a
stored field may hold: its type, and for the numbers the rules compute with, its range
(`Meta`); a word from a fixed list is a `Literal`. planner.service.tables decodes the
journal file straight into these types in one pass, so a record that breaks them never
reaches the rules. What an annotation cannot say (dates between FIRST_DATE and
LAST_DATE, cadence not below spacing) is checked there too.

`to_doc`/`from_doc` convert between a record and the dict the journal stores, without
any I/O. Two fields are never stored: a session's `violations` (derived from the whole
history by rules.Engine, SPEC §3.2) and a skin record's `seq` (its place in its table).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, get_args

from planner.domain.classify import classify
from planner.domain.values import Record, Value, msgspec, replace
from planner.domain.vocabulary import FLAGS, PREPARATION_ITEMS, PRODUCT_KINDS, WEEKDAYS, class_rank

T = TypeVar("T")
Day = date  # for annotations inside a class whose field `date` hides the type

MAX_MINUTES = 180  # the longest session or plan a record may hold


def iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def parse_iso(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


# What a stored field may hold. Each `Meta` range is what the commands accept.
Id = Annotated[str, msgspec.Meta(min_length=1)]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=MAX_MINUTES)]
Grade = Annotated[int, msgspec.Meta(ge=0, le=4)]   # redness, swelling (0 none .. 4 severe)
Score = Annotated[int, msgspec.Meta(ge=0, le=10)]  # itch, burning (0 none .. 10 worst)
Outcome = Literal["completed", "partial", "aborted"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
if TYPE_CHECKING:
    Flag = str
    Weekday = str
    PreparationItem = str
    ProductKind = str
else:
    Flag = Literal[FLAGS]
    Weekday = Literal[WEEKDAYS]
    PreparationItem = Literal[PREPARATION_ITEMS]
    ProductKind = Literal[PRODUCT_KINDS]
ClockTime = Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class Reason(Value, frozen=True):
    """Why a rule blocks a date; `until` is the first day it no longer blocks (None: open)."""

    rule: str
    message: str
    until: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "message": self.message, "until": iso(self.until)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Reason:
        return cls(d["rule"], d["message"], parse_iso(d.get("until")))


class Session(Record, frozen=True):
    """One performance of a routine. `violations` is derived from the whole history
    (rules.Engine fills it in, SPEC §3.2) and never stored; `logged` is the entry
    order across the journal, which decides what preceded a session on its own day."""

    id: Id
    date: date
    minutes: Minutes
    routine: str | None = None
    outcome: Outcome = "completed"
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


class Plan(Record, frozen=True):
    id: Id
    date: date
    minutes: Minutes
    routine: str | None = None
    fulfilled_by: str | None = None  # id of the session that carried it out
    confirmed_missed: bool = False   # the user said it did not happen (Today asks once)

    def missed(self, today: Day) -> bool:
        """A plan whose day has passed with no session: it no longer counts for spacing."""
        return self.fulfilled_by is None and self.date < today

    def live(self, today: Day) -> bool:
        """Still ahead (or today) and not carried out: it counts for spacing."""
        return self.fulfilled_by is None and self.date >= today


PRODUCT_NAME_LIMIT = 80  # characters of a product's name or brand
ProductName = Annotated[str, msgspec.Meta(min_length=1, max_length=PRODUCT_NAME_LIMIT)]


class ProductUse(Record, frozen=True):
    id: Id
    date: date
    kind: str
    note: str = ""
    logged: int = 0
    name: ProductName | None = None  # the user's product, when logged by name


class OwnProduct(Value, frozen=True):
    """A product the user keeps by name (issue 11); its kind drives the rules."""

    name: ProductName
    kind: ProductKind
    brand: Annotated[str, msgspec.Meta(max_length=PRODUCT_NAME_LIMIT)] = ""


class Procedure(Record, frozen=True):
    id: Id
    date: date
    kind: str
    note: str = ""
    logged: int = 0


class Injectable(Record, frozen=True):
    id: Id
    date: date
    kind: str
    note: str = ""
    logged: int = 0


class SkinRecord(Record, frozen=True):
    """A check-in (kind="checkin") or a reaction tied to a session (kind="reaction")."""

    id: Id
    date: date
    kind: str = "checkin"
    redness: Grade = 0
    swelling: Grade = 0
    itch: Score = 0
    burning: Score = 0
    flags: tuple[Flag, ...] = ()
    zone: str | None = None
    note: str = ""
    session_id: str | None = None
    resolved_on: Day | None = None
    cleared_by_clinician: bool = False
    logged: int = 0
    seq: int = 0  # order of entry (its place in the table), to pick the latest of a date

    @property
    def cls(self) -> str:
        """The record's class (SPEC §2), worked out from its fields each time: it takes
        well under a microsecond, and the rule engine ranks each record once."""
        return classify(self)

    @property
    def rank(self) -> int:
        return class_rank(classify(self))


class Pause(Record, frozen=True):
    id: Id
    start: date
    end: date
    reason: str
    note: str = ""
    logged: int = 0


class Exclusion(Value, frozen=True):
    """A zone the builder must leave out (e.g. a mole), optionally until a date."""

    zone: str
    reason: str
    until: date | None = None

    def active_on(self, day: date) -> bool:
        return self.until is None or day <= self.until


class Profile(Value, frozen=True):
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
    # Days ("mon".."sun") and a time ("HH:MM") preferred for sessions: `plan --next`
    # proposes them, the calendar marks them. None set: every day is as good.
    preferred_days: tuple[Weekday, ...] = ()
    preferred_time: ClockTime | None = None
    # The preparation items ticked last time, so a returning user confirms with one key.
    preparation: tuple[PreparationItem, ...] = ()
    # The user's own products, logged by name (the kind still drives the rules).
    products: tuple[OwnProduct, ...] = ()

    def own_product(self, name: str) -> OwnProduct | None:
        """The product kept under `name` (case and outer spaces do not matter)."""
        key = name.strip().casefold()
        return next((p for p in self.products if p.name.casefold() == key), None)

    @property
    def light_pressure_only(self) -> bool:
        """Gua sha stays light for bleeding risk or reactive skin (SPEC §5)."""
        return (self.anticoagulants or self.bleeding_disorder or self.rosacea
                or self.sensitive_skin)


class Range(Value, frozen=True):
    low: int
    high: int
    meaning: str


# The floor of each safety value is its default: a value may only be made stricter
# (SPEC §3). SPEC lists 2–7 for the product blackout, but 2 would be looser than the
# default 3, so the floor here is 3.
RANGES: dict[str, Range] = {
    "spacing_days": Range(7, 28, "days between sessions"),
    "product_blackout_days": Range(3, 7, "days without a session after a home active"),
    "procedure_wait_days": Range(7, 28, "days to wait after a procedure"),
    "injectable_wait_days": Range(14, 56, "days to wait after an injectable"),
    "cadence_days": Range(7, 28, "target days between sessions (streak cadence)"),
    "grace_days": Range(0, 7, "grace days before a streak breaks"),
    "starter_count": Range(3, 10, "short starter sessions before the ramp"),
    "ramp_step": Range(1, 5, "minutes added per clean session"),
    "ceiling": Range(10, 30, "longest session in minutes"),
}


def _within(name: str) -> msgspec.Meta:
    """The allowed range of a setting, as a constraint the typed decode checks."""
    r = RANGES[name]
    return msgspec.Meta(ge=r.low, le=r.high)


class Settings(Value, frozen=True):
    """Rule values; each may only be made stricter than the default (see RANGES)."""

    spacing_days: Annotated[int, _within("spacing_days")] = 7
    product_blackout_days: Annotated[int, _within("product_blackout_days")] = 3
    procedure_wait_days: Annotated[int, _within("procedure_wait_days")] = 7
    injectable_wait_days: Annotated[int, _within("injectable_wait_days")] = 14
    cadence_days: Annotated[int, _within("cadence_days")] = 7
    grace_days: Annotated[int, _within("grace_days")] = 3
    starter_count: Annotated[int, _within("starter_count")] = 3
    ramp_step: Annotated[int, _within("ramp_step")] = 5
    ceiling: Annotated[int, _within("ceiling")] = 30
    theme: str = "textual-dark"


class History(Value, frozen=True):
    """Everything recorded, as the rule engine sees it. Tuples sorted by date."""

    sessions: tuple[Session, ...] = ()
    plans: tuple[Plan, ...] = ()
    products: tuple[ProductUse, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    injectables: tuple[Injectable, ...] = ()
    skin: tuple[SkinRecord, ...] = ()
    pauses: tuple[Pause, ...] = ()

    def with_(self, **changes: Any) -> History:
        return replace(self, **changes)


# --------------------------------------------------------------------------
# Plain-dict form (what the journal stores). Dates are ISO strings.

def to_doc(obj: Any) -> dict[str, Any]:
    """A record (or any value) as a JSON-ready dict: every field, dates as ISO strings,
    tuples as lists, nested values as dicts."""
    return _lists(msgspec.to_builtins(obj))


def _lists(v: Any) -> Any:
    """JSON's form of builtins: msgspec.to_builtins keeps tuples, the journal has lists."""
    if isinstance(v, (tuple, list)):
        return [_lists(x) for x in v]
    if isinstance(v, dict):
        return {k: _lists(x) for k, x in v.items()}
    return v


def from_doc(cls: type[T], doc: Any) -> T:
    """The record a stored dict describes, its fields checked against their types (unknown
    keys are ignored: forward tolerance); msgspec.ValidationError (a ValueError) if not."""
    return msgspec.convert(doc, cls)


__all__ = [
    "Reason", "Session", "Plan", "ProductUse", "OwnProduct", "Procedure", "Injectable",
    "SkinRecord", "Pause", "Exclusion", "Profile", "Settings", "History", "Range", "RANGES",
    "OUTCOMES", "MAX_MINUTES", "to_doc", "from_doc", "iso", "parse_iso", "replace",
    "PRODUCT_NAME_LIMIT",
]
