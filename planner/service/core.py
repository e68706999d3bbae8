"""The Planner's core: one journal and the day taken as today, the records loaded as
domain values (cached while the file is unchanged), and `_change`, the one way a command
writes: under the journal lock it reads the records as they are, applies the change,
rebuilds the records as they would be and checks them with the rules before anything
is written.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any, Self

from planner.domain.classify import red_flag_advice
from planner.domain.models import History, Profile, Session, Settings
from planner.domain.rules import Engine, Verdict
from planner.domain.values import replace
from planner.service.holds import holds_kept, marked_changes
from planner.service.inputs import BadInput
from planner.service.tables import TABLES, BadRecord, Records, record_type, state_from
from planner.service.views import Logged, SkinResult
from planner.store.errors import BadRecordInJournal


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading a journal allocates tens of thousands of objects that all live on; the
    cyclic garbage collector would walk them again and again meanwhile (~10% of a load)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class TrackedTx:
    """The transaction as a command sees it, noting which tables it writes: the check that
    follows rebuilds only those (the others' records are the ones already checked)."""

    _WRITES = ("insert", "update", "delete", "set_single")
    EVERY_TABLE = frozenset((*TABLES, "profile", "settings"))

    def __init__(self, tx):
        self._tx = tx
        self.written: set[str] = set()

    def __getattr__(self, name: str):
        attr = getattr(self._tx, name)
        if name == "replace_all":  # not a command's way to write; if ever, rebuild all
            self.written.update(self.EVERY_TABLE)
        elif name in self._WRITES:
            def write(table, *args, **kw):
                self.written.add(table)
                return attr(table, *args, **kw)
            return write
        return attr


class Work:
    """What a command works with inside `Planner._change`."""

    def __init__(self, tx, state: Records, engine: Engine, stamp: int):
        self.tx, self.state, self.engine, self.stamp = tx, state, engine, stamp
        self.after: Records | None = None
        self.after_engine: Engine | None = None
        self.marked: tuple[Session, ...] = ()
        self.unmarked: tuple[Session, ...] = ()

    def _record(self, table: str, rid: str):
        st = self.after or self.state
        rows = getattr(st.history, table)
        return next(r for r in rows if r.id == rid)

    def logged(self, table: str, rid: str) -> Logged:
        rec = self._record(table, rid)
        others = lambda xs: tuple(x for x in xs if x.id != rid)  # noqa: E731
        return Logged(rec, rec.violations if table == "sessions" else (),
                      others(self.marked), others(self.unmarked))

    def skin_result(self, rid: str, updated: bool) -> SkinResult:
        rec = self._record("skin", rid)
        cls = rec.cls
        advice = tuple(red_flag_advice(rec.flags)) if cls == "red-flag" else ()
        return SkinResult(rec, cls, advice, updated, self.marked, self.unmarked)


def next_stamp(history: History) -> int:
    """The entry stamp of the next record: one more than any in the journal."""
    stamps = [0]
    for rows in (history.sessions, history.products, history.procedures,
                 history.injectables, history.skin, history.pauses):
        if rows:
            stamps.append(max(map(LOGGED, rows)))
    return max(stamps) + 1


LOGGED = attrgetter("logged")


class PlannerCore:
    """Use cases over one journal, with the date of "today" given from outside."""

    def __init__(self, journal, today: date):
        self.journal = journal
        self.today = today
        self._cache: tuple[Any, Records, Engine] | None = None

    def on(self, day: date) -> Self:
        """The same journal seen from another day; the records already loaded are shared."""
        other = type(self)(self.journal, day)
        if self._cache is not None:
            sig, st, eng = self._cache
            other._cache = (sig, st, eng.on(day))
        return other

    @property
    def data_dir(self) -> Path:
        return Path(self.journal.path).parent

    @property
    def user_routines_dir(self) -> Path:
        return self.data_dir / "routines"

    def _state_of(self, all_docs, same: Records | None = None,
                  unchanged: frozenset[str] = frozenset()) -> Records:
        """The records as domain values; a record the rules cannot use makes the journal
        unusable (exit 4, the app's error screen), as a damaged file does."""
        try:
            return state_from(all_docs, same=same, unchanged=unchanged)
        except BadRecord as e:
            from planner.store.versions import newest_readable

            try:
                newest = newest_readable(Path(self.journal.path))
            except OSError:
                newest = None
            raise BadRecordInJournal(Path(self.journal.path), str(e), newest) from None

    def _load(self) -> tuple[Records, Engine]:
        sig = self.journal.signature()
        if self._cache is None or self._cache[0] != sig:
            with gc_paused():
                st = self._state_of(self.journal)  # typed, straight from the file's bytes
                eng = Engine(st.history, st.settings, self.today)
                self._cache = (sig, replace(st, history=eng.history), eng)
        return self._cache[1], self._cache[2]

    def state(self) -> Records:
        return self._load()[0]

    def loaded_signature(self) -> Any:
        """The journal file signature of the records loaded now (None: nothing loaded)."""
        return self._cache[0] if self._cache is not None else None

    def engine(self) -> Engine:
        return self._load()[1]

    def check(self, day: date, minutes: int | None = None) -> Verdict:
        return self.engine().check(day, minutes)

    def profile(self) -> Profile:
        return self.state().profile

    def settings(self) -> Settings:
        return self.state().settings

    def library(self):
        """The shipped and user routines (loaded once, on first use: not on `status`)."""
        lib = getattr(self, "_library", None)
        if lib is None:
            from planner.library.loader import load_library

            lib = self._library = load_library(self.user_routines_dir)
        return lib

    def _tx_state(self, tx, same: Records | None = None,
                  unchanged: frozenset[str] = frozenset()) -> tuple[Records, Engine]:
        st = self._state_of(tx.all, same, unchanged)
        eng = Engine(st.history, st.settings, self.today)
        return replace(st, history=eng.history), eng

    @contextmanager
    def _change(self, *, lifts_holds: bool = False) -> Iterator[Work]:
        """One checked change: yields the state before it; on leaving, the state after it
        is rebuilt and re-checked (open holds stay open unless `resolve` lifted them), and
        the sessions whose derived violations changed are put in `work.marked`."""
        with self.journal.transaction() as tx:
            sig = self.journal.signature()
            if self._cache is not None and self._cache[0] == sig and sig is not None:
                _, st, eng = self._cache  # the file under the lock is the one loaded
            else:
                st, eng = self._tx_state(tx)
            tracked = TrackedTx(tx)
            work = Work(tracked, st, eng, next_stamp(st.history))
            yield work
            if not tx.dirty:
                return
            untouched = TrackedTx.EVERY_TABLE - tracked.written
            after, after_eng = self._tx_state(tx, st, untouched)
            if not lifts_holds:
                holds_kept(eng, after_eng, self.today)
            work.after, work.after_engine = after, after_eng
            work.marked, work.unmarked = marked_changes(st.history, after.history)
        # written: what was just checked is what the file now holds
        self._cache = (self.journal.written_signature(), after, after_eng)

    def _not_future(self, day: date, what: str) -> None:
        if day > self.today:
            raise BadInput(f"{what} date {day.isoformat()} is in the future; "
                           f"log only what has happened (today is {self.today.isoformat()})")

    @staticmethod
    def _get(tx, table: str, record_id: str) -> dict:
        try:
            return tx.get(table, record_id)
        except KeyError:
            raise BadInput(f"no {record_type(table, {})} with id {record_id!r}") from None
