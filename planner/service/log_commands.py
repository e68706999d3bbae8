"""The commands that record what happened: sessions, product uses, procedures,
injectables, skin records and their resolution, pauses; edits; deletes and their undo.
The past is never refused (SPEC §3.2); what it now breaks is derived and reported.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import Any, cast

from planner.domain.models import (
    OUTCOMES,
    Outcome,
    OwnProduct,
    Pause,
    Plan,
    ProductUse,
    Profile,
    Reason,
    Session,
    SkinRecord,
    from_doc,
    to_doc,
)
from planner.domain.values import replace
from planner.domain.vocabulary import (
    FLAGS,
    INJECTABLE_KINDS,
    PAUSE_REASONS,
    PROCEDURE_KINDS,
    PRODUCT_KINDS,
    ZONES,
)
from planner.service.holds import SEVERE_RANK, hold_edit_message, hold_reasons, is_open_hold
from planner.service.inputs import (
    KEEP,
    MAX_LOG_MINUTES,
    OWN_PRODUCT_LIMIT,
    BadInput,
    Keep,
    Refused,
    check_note,
    check_routine_id,
    choose,
    in_range,
    product_name,
)
from planner.service.queries import Queries
from planner.service.tables import TABLES, TYPE_OF_TABLE, doc_of, record_type
from planner.service.views import Deleted, Logged, SkinResult

_EXPOSURE_KINDS = {"products": PRODUCT_KINDS, "procedures": PROCEDURE_KINDS,
                   "injectables": INJECTABLE_KINDS}


_SKIN_DEFAULTS = {"redness": 0, "swelling": 0, "itch": 0, "burning": 0, "flags": (),
                  "zone": None, "note": ""}


def _fulfil_plans(tx, plans: tuple[Plan, ...], day: date, session_id: str) -> None:
    """A session on a plan's day carries that plan out (the first open one, by id)."""
    for p in sorted(plans, key=attrgetter("id")):
        if p.date == day and p.fulfilled_by is None:
            tx.update("plans", p.id, {"fulfilled_by": session_id, "confirmed_missed": False})
            return


def _table_of(tx, record_id: str, tables) -> str:
    if not isinstance(record_id, str) or not record_id:
        raise BadInput(f"{record_id!r} is not a record id")
    for table in tables:
        try:
            tx.get(table, record_id)
        except KeyError:
            continue
        return table
    raise BadInput(f"no record with id {record_id!r}")


def _reaction_after_session(tx, session_id: str, day: date, get) -> None:
    s = get(tx, "sessions", session_id)
    if day.isoformat() < s["date"]:
        raise BadInput(f"a reaction is dated on or after its session; session {session_id} "
                       f"is on {s['date']}, after {day.isoformat()}")


class LogCommands(Queries):
    """What happened, recorded and edited."""

    def log_session(self, day: date, minutes: int, routine: str | None = None,
                    outcome: str = "completed", note: str = "") -> Logged:
        """Record what happened, also when it broke a rule (SPEC §3.2): the session comes
        back with its derived violations, and a plan on its day is carried out by it."""
        self._not_future(day, "session")
        in_range(minutes, 1, MAX_LOG_MINUTES, "minutes")
        choose(outcome, OUTCOMES, "outcome")
        note = check_note(note)
        check_routine_id(routine)
        with self._change() as w:
            s = Session(id="", date=day, minutes=minutes, routine=routine,
                        outcome=cast(Outcome, outcome),
                        note=note, logged=w.stamp)
            doc = doc_of(s)
            del doc["id"]
            sid = w.tx.insert("sessions", doc)
            _fulfil_plans(w.tx, w.state.history.plans, day, sid)
        return w.logged("sessions", sid)

    def edit_session(self, session_id: str, *, day: date | None = None,
                     minutes: int | None = None, routine: str | None | Keep = KEEP,
                     outcome: str | None = None, note: str | None = None) -> Logged:
        """Correct a recorded session; its violations (and other sessions') are derived again."""
        with self._change() as w:
            old = from_doc(Session, self._get(w.tx, "sessions", session_id))
            new_day = old.date if day is None else day
            self._not_future(new_day, "session")
            changes: dict[str, Any] = {"date": new_day.isoformat()}
            if minutes is not None:
                changes["minutes"] = in_range(minutes, 1, MAX_LOG_MINUTES, "minutes")
            if outcome is not None:
                changes["outcome"] = choose(outcome, OUTCOMES, "outcome")
            if note is not None:
                changes["note"] = check_note(note)
            if not isinstance(routine, Keep):
                changes["routine"] = check_routine_id(routine)
            early = [r for r in w.state.history.skin
                     if r.session_id == session_id and r.date < new_day]
            if early:
                raise BadInput(f"reaction {early[0].id} tied to this session is dated "
                               f"{early[0].date.isoformat()}, before {new_day.isoformat()}; "
                               "a session comes before its reactions")
            w.tx.update("sessions", session_id, changes)
            if new_day != old.date:
                for p in w.state.history.plans:
                    if p.fulfilled_by == session_id:
                        w.tx.update("plans", p.id, {"fulfilled_by": None})
                _fulfil_plans(w.tx, w.state.history.plans, new_day, session_id)
        return w.logged("sessions", session_id)

    def _log_exposure(self, table: str, kind: str, day: date, note: str) -> Logged:
        choose(kind, _EXPOSURE_KINDS[table], TYPE_OF_TABLE[table])
        self._not_future(day, TYPE_OF_TABLE[table])
        note = check_note(note)
        with self._change() as w:
            rec = TABLES[table](id="", date=day, kind=kind, note=note, logged=w.stamp)
            doc = doc_of(rec)
            del doc["id"]
            rid = w.tx.insert(table, doc)
        return w.logged(table, rid)

    def log_product(self, kind: str | None, day: date, note: str = "", *,
                    product: str | None = None, keep: bool = False) -> Logged:
        """A home active used on `day`. By `product` name: one of the user's own products
        gives its kind (a `kind` that differs is refused); another name is stored with the
        use as given, and with `keep` also kept as the user's product (a kind is needed)."""
        if product is None:
            if kind is None:
                raise BadInput("give the product's kind (" + ", ".join(PRODUCT_KINDS)
                               + ") or the name of one of your products")
            return self._log_exposure("products", kind, day, note)
        name = product_name(product)
        self._not_future(day, "product")
        note = check_note(note)
        with self._change() as w:
            own = w.state.profile.own_product(name)
            if own is not None:
                if kind is not None and kind != own.kind:
                    raise BadInput(f"{own.name} is kept as a {own.kind}, not a {kind}; "
                                   "leave the kind out or change the product")
                kind, name = own.kind, own.name
            elif kind is None:
                raise BadInput(f"{name!r} is not one of your products; give its kind ("
                               + ", ".join(PRODUCT_KINDS) + ")")
            choose(kind, PRODUCT_KINDS, "product")
            if own is None and keep:
                profile = w.state.profile
                new = replace(profile, products=(*profile.products,
                                                 OwnProduct(name, cast(Any, kind))))
                w.tx.set_single("profile", to_doc(new))
            rec = ProductUse(id="", date=day, kind=kind, note=note, logged=w.stamp, name=name)
            doc = doc_of(rec)
            del doc["id"]
            rid = w.tx.insert("products", doc)
        return w.logged("products", rid)

    def add_product(self, name: str, kind: str, brand: str = "") -> Profile:
        """Keep a product by name (its kind drives the rules when it is logged)."""
        name = product_name(name)
        brand = product_name(brand, "brand") if brand.strip() else ""
        choose(kind, PRODUCT_KINDS, "product")
        with self._change() as w:
            profile = w.state.profile
            if profile.own_product(name) is not None:
                raise BadInput(f"you already keep a product called {name!r}")
            if len(profile.products) >= OWN_PRODUCT_LIMIT:
                raise BadInput(f"at most {OWN_PRODUCT_LIMIT} products can be kept; remove one")
            new = replace(profile, products=(*profile.products,
                                             OwnProduct(name, cast(Any, kind), brand)))
            w.tx.set_single("profile", to_doc(new))
        return new

    def remove_product(self, name: str) -> Profile:
        """Stop keeping a product; its uses already logged keep its name."""
        with self._change() as w:
            profile = w.state.profile
            own = profile.own_product(name)
            if own is None:
                kept = ", ".join(p.name for p in profile.products) or "none"
                raise BadInput(f"no product called {name!r}; yours: {kept}")
            new = replace(profile, products=tuple(p for p in profile.products if p is not own))
            w.tx.set_single("profile", to_doc(new))
        return new

    def log_procedure(self, kind: str, day: date, note: str = "") -> Logged:
        return self._log_exposure("procedures", kind, day, note)

    def log_injectable(self, kind: str, day: date, note: str = "") -> Logged:
        return self._log_exposure("injectables", kind, day, note)

    def edit_exposure(self, record_id: str, *, kind: str | None = None,
                      day: date | None = None, note: str | None = None) -> Logged:
        """Correct a product use, procedure or injectable (found by its id)."""
        with self._change() as w:
            table = _table_of(w.tx, record_id, _EXPOSURE_KINDS)
            old = self._get(w.tx, table, record_id)
            changes: dict[str, Any] = {}
            if kind is not None:
                changes["kind"] = choose(kind, _EXPOSURE_KINDS[table], TYPE_OF_TABLE[table])
            if day is not None:
                self._not_future(day, TYPE_OF_TABLE[table])
                changes["date"] = day.isoformat()
            if note is not None:
                changes["note"] = check_note(note)
            w.tx.update(table, record_id, changes)
            del old
        return w.logged(table, record_id)

    @staticmethod
    def validate_skin_fields(redness=0, swelling=0, itch=0, burning=0, flags=(), zone=None,
                             note="") -> dict:
        in_range(redness, 0, 4, "redness")
        in_range(swelling, 0, 4, "swelling")
        in_range(itch, 0, 10, "itch")
        in_range(burning, 0, 10, "burning")
        if isinstance(flags, str):
            raise BadInput("flags must be a list of flag words")
        for f in flags:
            choose(f, FLAGS, "flag")
        if zone is not None and zone != "":
            choose(zone, ZONES, "zone")
        return {
            "redness": redness, "swelling": swelling, "itch": itch, "burning": burning,
            "flags": sorted(set(flags), key=FLAGS.index), "zone": zone or None,
            "note": check_note(note),
        }

    def log_skin(self, kind: str, day: date, *, session_id: str | None = None,
                 **fields: Any) -> SkinResult:
        """A check-in or a reaction; returns its class and, for red flags, what to do.

        One check-in per date (SPEC §1): a second one for a date updates that record, as
        an edit would (so it cannot lower an open hold)."""
        choose(kind, ("checkin", "reaction"), "record kind")
        self._not_future(day, kind)
        values = self.validate_skin_fields(**fields)
        if kind == "checkin" and session_id is not None:
            raise BadInput("a check-in is not tied to a session; log a reaction instead")
        with self._change() as w:
            same_day = [r for r in w.state.history.skin
                        if kind == "checkin" and r.kind == "checkin" and r.date == day]
            if same_day:
                rid = same_day[-1].id
                w.tx.update("skin", rid, values)
                updated = True
            else:
                if session_id:
                    _reaction_after_session(w.tx, session_id, day, self._get)
                doc = {"date": day.isoformat(), "kind": kind, **values,
                       "session_id": session_id, "resolved_on": None,
                       "cleared_by_clinician": False, "logged": w.stamp}
                rid = w.tx.insert("skin", doc)
                updated = False
        return w.skin_result(rid, updated)

    def edit_skin(self, record_id: str, *, day: date | None = None,
                  session_id: str | None | Keep = KEEP, **fields: Any) -> SkinResult:
        """Correct a check-in or reaction. While its hold is open, a record that holds
        sessions cannot be made milder (exit 3: `resolve` lifts holds)."""
        with self._change() as w:
            old = self._get(w.tx, "skin", record_id)
            merged = {k: old.get(k, d) for k, d in _SKIN_DEFAULTS.items()}
            merged.update(fields)
            values = self.validate_skin_fields(**merged)
            new_day = date.fromisoformat(old["date"]) if day is None else day
            self._not_future(new_day, old.get("kind", "checkin"))
            resolved = old.get("resolved_on")
            if resolved and new_day > date.fromisoformat(resolved):
                raise BadInput(f"record {record_id} was resolved on {resolved}; its date cannot "
                               "move after that")
            sid = old.get("session_id") if isinstance(session_id, Keep) else session_id
            if old.get("kind") == "reaction" and sid:
                _reaction_after_session(w.tx, sid, new_day, self._get)
            if (old.get("kind") == "checkin" and new_day.isoformat() != old["date"]
                    and any(r.kind == "checkin" and r.date == new_day
                            for r in w.state.history.skin)):
                raise BadInput(f"there is already a check-in on {new_day.isoformat()}; edit "
                               "that one instead")
            w.tx.update("skin", record_id, {**values, "date": new_day.isoformat(),
                                            "session_id": sid})
        return w.skin_result(record_id, True)

    def resolve(self, ids: list[str] | None, day: date, cleared_by_clinician: bool = False,
                ) -> list[SkinRecord]:
        """Lift holds. A red flag needs a clinician's clearance; `ids=None` means all open
        holds. The only command that may lift one."""
        self._not_future(day, "resolve")
        with self._change(lifts_holds=True) as w:
            st = w.state
            by_id = {r.id: r for r in st.history.skin}
            if ids is None:
                targets = [r for r in st.history.skin if is_open_hold(r) and r.date <= day]
                if not targets:
                    raise BadInput("there is no open hold to resolve")
            else:
                targets = []
                for i in ids:
                    if i not in by_id:
                        raise BadInput(f"no skin record with id {i!r}")
                    targets.append(by_id[i])
            for r in targets:
                if r.rank < SEVERE_RANK:
                    raise BadInput(f"record {r.id} is {r.cls}, not a hold: there is nothing "
                                   "to resolve")
                if not is_open_hold(r):
                    raise BadInput(f"record {r.id} was already resolved on "
                                   f"{r.resolved_on}")
                if r.date > day:
                    raise BadInput(f"record {r.id} is dated {r.date.isoformat()}, after "
                                   f"{day.isoformat()}; a hold is resolved on or after the "
                                   "day it was recorded")
                if r.cls == "red-flag" and not cleared_by_clinician:
                    raise Refused(
                        f"record {r.id} is a warning sign: it can only be resolved once a "
                        "clinician has cleared you (use --cleared-by-clinician)",
                        [Reason("medical-hold", "a clinician's clearance is needed", None)])
            for r in targets:
                w.tx.update("skin", r.id, {"resolved_on": day.isoformat(),
                                           "cleared_by_clinician": cleared_by_clinician})
        return [replace(r, resolved_on=day, cleared_by_clinician=cleared_by_clinician)
                for r in targets]

    def pause(self, start: date, end: date, reason: str, note: str = "") -> Pause:
        choose(reason, PAUSE_REASONS, "pause reason")
        if end < start:
            raise BadInput(f"the pause ends ({end.isoformat()}) before it starts "
                           f"({start.isoformat()})")
        if (end - start).days > 366:
            raise BadInput("a pause may last at most a year")
        note = check_note(note)
        with self._change() as w:
            p = Pause(id="", start=start, end=end, reason=reason, note=note, logged=w.stamp)
            doc = doc_of(p)
            del doc["id"]
            pid = w.tx.insert("pauses", doc)
        return replace(p, id=pid)

    def unpause(self, pause_id: str) -> Pause:
        with self._change() as w:
            p = from_doc(Pause, self._get(w.tx, "pauses", pause_id))
            w.tx.delete("pauses", pause_id)
        return p

    def delete_record(self, record_id: str) -> Deleted:
        """Delete a journal entry by id; returns it as stored, for an undo.

        A skin record that ever held sessions stays (exit 3): while open only `resolve`
        lifts it, and once resolved its resolution keeps resetting the ramp. A deleted
        session lets go of the plan it carried out and of its reactions."""
        with self._change() as w:
            table = _table_of(w.tx, record_id, TABLES)
            doc = self._get(w.tx, table, record_id)
            if table == "skin":
                rec = next(r for r in w.state.history.skin if r.id == record_id)
                if rec.rank >= SEVERE_RANK or rec.resolved_on is not None:
                    raise Refused(hold_edit_message(rec, "deleted"), hold_reasons(rec))
            w.tx.delete(table, record_id)
            links: list[tuple[str, str]] = []
            if table == "sessions":
                for p in w.tx.find("plans", fulfilled_by=record_id):
                    w.tx.update("plans", p["id"], {"fulfilled_by": None})
                    links.append(("plans", p["id"]))
                for r in w.tx.find("skin", session_id=record_id):
                    w.tx.update("skin", r["id"], {"session_id": None})
                    links.append(("skin", r["id"]))
        return Deleted(table, dict(doc), tuple(links))

    def undo_delete(self, deleted: Deleted) -> Logged:
        """Put a deleted record back as it was (its id, its links), re-checked like any
        change: a plan whose day has passed or is now blocked is refused, as planning it
        again would be; everything else is history and comes back with what it implies."""
        from planner.service.import_checks import check_import

        table, doc = deleted.table, dict(deleted.doc)
        if table not in TABLES or table in ("profile", "settings"):
            raise BadInput(f"cannot undo the deletion of a {table!r} record")
        problems = check_import({table: [doc]}, self.today)
        if problems:
            raise BadInput(f"cannot put the record back: {problems[0]}")
        with self._change() as w:
            rid = doc["id"]
            if any(r["id"] == rid for r in w.tx.find(table)):
                raise BadInput(f"the {record_type(table, doc)} {rid} is back already")
            if table == "plans":
                plan = from_doc(Plan, doc)
                if plan.fulfilled_by is None and plan.date < self.today:
                    raise BadInput(f"the plan's day ({plan.date.isoformat()}) has passed; "
                                   "plan a new day instead")
                verdict = w.engine.check(plan.date, plan.minutes, fulfil=False)
                if plan.fulfilled_by is None and not verdict.allowed:
                    raise Refused(f"cannot put the plan on {plan.date.isoformat()} back",
                                  verdict.reasons)
            w.tx.insert(table, doc)
            for other, oid in deleted.links:
                field = "fulfilled_by" if other == "plans" else "session_id"
                found = [r for r in w.tx.find(other) if r["id"] == oid]
                if found and found[0].get(field) is None:
                    w.tx.update(other, oid, {field: rid})
        return w.logged(table, rid)
