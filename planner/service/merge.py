"""Two copies of one journal folded together by record id (`acuplan merge`).

A copy is its record tables and its version stamps (store/stamps.py). For each record
the two versions are compared by their stamps:

- on one side only: it is taken (a new record, or a deletion the other never saw);
- one version grew from the other (its `earlier` holds the other's stamp): the newer;
- the same content: kept, with both histories;
- otherwise both sides changed it. The later change wins and the other is reported,
  except where safety or "nothing lost" says otherwise:
    - deleted on one side, changed on the other: the record is kept;
    - a skin record that holds sessions on one side and not on the other: the hold is
      kept (only `resolve` lifts a hold, and a resolution made on one machine while the
      other changed the record must be made again);
    - the profile and the settings: the later's, but never looser than either (a yes to
      a caution, an excluded zone and a stricter rule value all stay, as on import).
  The kept version gets a stamp that grew from both, so merging again changes nothing.

A session deleted on one side that a record kept from the other side still points to (a
reaction, a plan it carried out) is kept too.

Everything here is a function of the two copies, whichever is "this" one: merging a
into b gives the records merging b into a does. No I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import Any

from planner.domain.models import (
    Plan,
    Profile,
    Reason,
    Session,
    Settings,
    SkinRecord,
    from_doc,
    to_doc,
)
from planner.domain.profile_questions import cautious_union
from planner.domain.rules import Engine
from planner.domain.settings_rules import stricter_of
from planner.domain.values import Value
from planner.domain.vocabulary import class_rank
from planner.service.tables import SINGLES, TABLES, record_type
from planner.service.text import terminal_safe
from planner.store import stamps

Doc = dict[str, Any]
Key = tuple[str, str]  # (table, record id); a one-document table's id is ""

SEVERE_RANK = class_rank("severe")
THIS, OTHER, BOTH = "this journal", "the other copy", "both"


class Copy(Value, frozen=True):
    """One copy of the journal: its record tables and its version stamps."""

    tables: dict[str, list[Doc]]
    stamps: dict[str, Doc]


class Version(Value, frozen=True):
    """One side's version of a record: its document (None: deleted), its stamp entry,
    and (worked out once, as `version` does) its stamp and the stamps it grew from.
    Two versions hold the same content when their documents are equal (dict equality:
    key order aside)."""

    doc: Doc | None
    entry: Doc
    changed: str
    lineage: tuple[str, ...]  # at most stamps.KEEP: a tuple is quick enough to search

    @property
    def content(self) -> str:
        """The content as one text, to order two versions with the same stamp."""
        return "deleted" if self.doc is None else stamps.canonical(self.doc)


def version(doc: Doc | None, entry: Doc) -> Version:
    return Version(doc, entry, stamps.changed_of(entry) or "",
                   tuple(stamps.earlier_of(entry)))


class Conflict(Value, frozen=True):
    """A record both sides changed: which version was kept, and why."""

    table: str
    record_id: str
    what: str      # "changed on both sides", "deleted on one side, changed on the other", ...
    kept: str      # THIS, OTHER or BOTH (a profile or settings put together)
    kept_when: str
    other_when: str
    label: str     # "session 0a1b2c3d (2026-11-30)"


class Merged(Value, frozen=True):
    tables: dict[str, list[Doc]]
    stamps: dict[str, Doc]                 # by "table/id", tombstones included
    added: tuple[Key, ...] = ()            # records this journal did not have
    updated: tuple[Key, ...] = ()          # records whose content changed here
    deleted: tuple[Key, ...] = ()          # records gone here (deleted on the other side)
    conflicts: tuple[Conflict, ...] = ()
    restamped: tuple[Key, ...] = ()        # records whose version stamp is new here

    @property
    def changed(self) -> bool:
        """Anything to write: a record, or only a stamp (the same change made on both
        sides now counts as one, so the next merge has nothing to report)."""
        return bool(self.added or self.updated or self.deleted or self.restamped)


# --------------------------------------------------------------------------
# One copy's versions

def versions_of(copy: Copy) -> dict[Key, Version]:
    """Every record's version, tombstones included, each entry rebuilt from what is
    valid in it. A record without a stamp (written before schema 3, or the stamp is not
    one acuplan writes) gets its base stamp; a stamp whose record is gone counts as a
    deletion."""
    out: dict[Key, Version] = {}
    for table, docs in copy.tables.items():
        for doc in docs[:1] if table in SINGLES else docs:
            k = stamps.key(table, doc["id"])
            e = copy.stamps.get(k)
            changed = stamps.changed_of(e)
            earlier = stamps.earlier_of(e) if changed is not None else []
            if changed is None:
                changed = stamps.base_stamp(doc)
            out[(table, "" if table in SINGLES else doc["id"])] = _version(
                dict(doc), k, changed, earlier, False)
    for k, e in copy.stamps.items():
        table, rid = stamps.split_key(k)
        changed = stamps.changed_of(e)
        if table not in TABLES or not rid or rid != terminal_safe(rid) or \
                (table, rid) in out or changed is None:
            continue
        out[(table, rid)] = _version(None, k, changed, stamps.earlier_of(e), True)
    return out


def _version(doc: Doc | None, k: str, changed: str, earlier: list[str], deleted: bool
             ) -> Version:
    """A version from its parts, already checked (the entry as `stamps.entry` writes it)."""
    entry: Doc = {"id": k, "changed": changed}
    if earlier:
        entry["earlier"] = earlier
    if deleted:
        entry["deleted"] = True
    return Version(doc, entry, changed, tuple(earlier))


# --------------------------------------------------------------------------
# Two versions of one record

def _later(x: Version, y: Version) -> tuple[Version, Version]:
    """(later, earlier) by stamp; equal stamps by content, so either order agrees."""
    if x.changed != y.changed:
        return (x, y) if x.changed > y.changed else (y, x)
    return (x, y) if x.content >= y.content else (y, x)


def _joined(kept_doc: Doc | None, x: Version, y: Version, table: str, rid: str) -> Version:
    """A version grown from both: a stamp after either, the stamps of both."""
    hi, lo = sorted((x.changed, y.changed), reverse=True)
    changed = f"{hi}+{stamps.digest(lo)[:8]}"
    earlier = {*x.lineage, *y.lineage, x.changed, y.changed}
    k = stamps.key(table, kept_doc["id"] if kept_doc is not None else rid)
    return version(kept_doc, stamps.entry(k, changed, earlier, kept_doc is None))


def _holds(table: str, doc: Doc | None) -> bool:
    """A skin record that holds sessions now (severe or worse, not lifted by resolve)."""
    if table != "skin" or doc is None:
        return False
    try:
        r = from_doc(SkinRecord, doc)
    except ValueError:
        return False
    if r.rank < SEVERE_RANK:
        return False
    return r.resolved_on is None or (r.cls == "red-flag" and not r.cleared_by_clinician)


def _single(table: str, older: Doc, later: Doc) -> Doc:
    """The later profile or settings, never looser than the older (SPEC §3)."""
    if table == "profile":
        merged: Any = cautious_union(from_doc(Profile, older), from_doc(Profile, later))
    else:
        merged = stricter_of(from_doc(Settings, older), from_doc(Settings, later))
    return {"id": later["id"], **{k: v for k, v in to_doc(merged).items()}}


def merge_versions(table: str, rid: str, x: Version, y: Version
                   ) -> tuple[Version, str | None, str | None]:
    """The version to keep, which of x ("x"), y ("y") or "both" it comes from, and the
    conflict's description (None when the two did not both change)."""
    if x.changed == y.changed and x.doc == y.doc:
        return x, "x", None
    if y.changed in x.lineage:
        return x, "x", None
    if x.changed in y.lineage:
        return y, "y", None
    if x.doc == y.doc:
        return _joined(x.doc, x, y, table, rid), "both", None
    later, earlier = _later(x, y)
    what = "changed on both sides"
    if later.doc is None or earlier.doc is None:
        kept = later if later.doc is not None else earlier
        what = "deleted on one side, changed on the other: kept"
    elif _holds(table, x.doc) != _holds(table, y.doc):
        kept = x if _holds(table, x.doc) else y
        what = ("changed on both sides; the version that holds sessions is kept "
                "(only resolve lifts a hold)")
    elif table in SINGLES:
        doc = _single(table, earlier.doc, later.doc)
        what = ("changed on both sides; the later is kept, with every caution, excluded "
                "zone and stricter rule value of either")
        return _joined(doc, x, y, table, rid), "both", what
    else:
        kept = later
    return _joined(kept.doc, x, y, table, rid), "x" if kept is x else "y", what


# --------------------------------------------------------------------------
# Two copies

def _label(table: str, doc: Doc | None, rid: str) -> str:
    if table in SINGLES:
        return table
    day = (doc or {}).get("date") or (doc or {}).get("start")
    kind = record_type(table, doc or {}) if table in TABLES else table
    return f"{kind} {rid}" + (f" ({day})" if isinstance(day, str) else "")


_LINKS = (("plans", "fulfilled_by"), ("skin", "session_id"))


def merge_copies(ours: Copy, theirs: Copy) -> Merged:
    """`theirs` folded into `ours` (see the module's text). The tables keep this journal's
    order, the records only the other copy had follow in their order of entry."""
    mine, other = versions_of(ours), versions_of(theirs)
    kept: dict[Key, Version] = {}
    conflicts: list[Conflict] = []
    whole: dict[Key, tuple[Version, Version]] = {}
    for key in mine.keys() | other.keys():
        x, y = mine.get(key), other.get(key)
        if x is None or y is None:
            v = x if x is not None else y
            assert v is not None
            kept[key] = v
            continue
        whole[key] = (x, y)
        v, src, what = merge_versions(key[0], key[1], x, y)
        kept[key] = v
        if what is not None:
            kept_v = {"x": x, "y": y}.get(src or "")
            other_v = y if src == "x" else x
            conflicts.append(Conflict(
                key[0], key[1] or (v.doc or {}).get("id", ""), what,
                {"x": THIS, "y": OTHER}.get(src or "", BOTH),
                stamps.when((kept_v or v).changed), stamps.when(other_v.changed),
                _label(key[0], v.doc or x.doc or y.doc, key[1])))
    _keep_linked_sessions(kept, whole, conflicts)
    return _result(ours, theirs, mine, kept, conflicts)


def _keep_linked_sessions(kept: dict[Key, Version],
                          whole: dict[Key, tuple[Version, Version]],
                          conflicts: list[Conflict]) -> None:
    """A session deleted on one side stays when a record kept from the other points to it
    (a reaction to it, a plan it carried out): nothing kept may point at nothing."""
    wanted = {v.doc.get(field) for (table, _), v in kept.items() if v.doc is not None
              for t, field in _LINKS if t == table}
    for sid in sorted(s for s in wanted if isinstance(s, str)):
        key = ("sessions", sid)
        v = kept.get(key)
        if v is None or v.doc is not None or key not in whole:
            continue
        x, y = whole[key]
        alive = x if x.doc is not None else y
        if alive.doc is None:
            continue
        kept[key] = _joined(alive.doc, x, y, "sessions", sid)
        conflicts.append(Conflict(
            "sessions", sid, "deleted on one side, but a record kept from the other points "
            "to it: kept", THIS if alive is x else OTHER, stamps.when(alive.changed),
            stamps.when((y if alive is x else x).changed), _label("sessions", alive.doc, sid)))


def _result(ours: Copy, theirs: Copy, mine: dict[Key, Version], kept: dict[Key, Version],
            conflicts: list[Conflict]) -> Merged:
    order: dict[str, dict[Key, None]] = {}  # each table's keys, in order, once
    for copy in (ours, theirs):
        for table, docs in copy.tables.items():
            keys = order.setdefault(table, {})
            for doc in docs[:1] if table in SINGLES else docs:
                keys[(table, "" if table in SINGLES else doc["id"])] = None
    seen = {key for keys in order.values() for key in keys}
    for key in sorted(kept.keys() - seen):
        order.setdefault(key[0], {})[key] = None
    tables: dict[str, list[Doc]] = {}
    out_stamps: dict[str, Doc] = {}
    added, updated, deleted = [], [], []
    for table, keys in order.items():
        rows = tables.setdefault(table, [])
        for key in keys:
            v = kept[key]
            if v.doc is not None:
                rows.append(v.doc)
            out_stamps[v.entry["id"]] = v.entry
            before = mine.get(key)
            if before is None or before.doc is None:
                if v.doc is not None:
                    added.append(key)
            elif v.doc is None:
                deleted.append(key)
            elif before.doc != v.doc:
                updated.append(key)
    restamped = tuple(key for key, v in kept.items()
                      if (before := mine.get(key)) is None or before.entry != v.entry)
    conflicts.sort(key=lambda c: (c.table, c.record_id))
    return Merged({t: rows for t, rows in tables.items() if rows}, out_stamps,
                  tuple(added), tuple(updated), tuple(deleted), tuple(conflicts), restamped)


def records_of(merged: Merged) -> Callable[[str], list[Doc]]:
    """The merged tables as the state reader takes them."""
    return lambda table: merged.tables.get(table, [])


# --------------------------------------------------------------------------
# What the merge did, for the command's report

class MergeReport(Value, frozen=True):
    """A merge's outcome: counts, conflicts, and what the rules now say about the
    merged history (sessions that now break a rule, plans now blocked)."""

    source: str
    merged: Merged
    now_breaking: tuple[Session, ...] = ()   # with their violations, as derived now
    now_blocked: tuple[tuple[Plan, tuple[Reason, ...]], ...] = ()
    written: bool = False

    def to_json(self) -> dict[str, Any]:
        m = self.merged

        def keys(ks: tuple[Key, ...]) -> list[dict[str, str]]:
            return [{"table": t, "id": i} for t, i in ks]

        return {
            "source": self.source, "written": self.written,
            "added": keys(m.added), "updated": keys(m.updated), "deleted": keys(m.deleted),
            "conflicts": [{"table": c.table, "id": c.record_id, "what": c.what,
                           "kept": c.kept, "kept_changed": c.kept_when,
                           "other_changed": c.other_when} for c in m.conflicts],
            "now_breaking": [{"id": s.id, "date": s.date.isoformat(),
                              "violations": [r.to_json() for r in s.violations]}
                             for s in self.now_breaking],
            "now_blocked": [{"id": p.id, "date": p.date.isoformat(),
                             "reasons": [r.to_json() for r in reasons]}
                            for p, reasons in self.now_blocked],
        }


def rule_changes(before: Engine, after: Engine, today: date
                 ) -> tuple[tuple[Session, ...], tuple[tuple[Plan, tuple[Reason, ...]], ...]]:
    """Sessions of the merged history that break a rule they did not break here (or are
    new and break one), and plans still ahead that are blocked now and were not."""
    was = {s.id: {r.rule for r in s.violations} for s in before.history.sessions}
    breaking = tuple(s for s in sorted(after.history.sessions, key=attrgetter("date", "id"))
                     if {r.rule for r in s.violations} - was.get(s.id, set()))
    blocked_before = {p.id for p in before.history.plans
                      if p.live(today) and not before.plan_verdict(p).allowed}
    blocked = []
    for p in sorted(after.history.plans, key=attrgetter("date", "id")):
        if p.live(today) and p.id not in blocked_before:
            verdict = after.plan_verdict(p)
            if not verdict.allowed:
                blocked.append((p, tuple(verdict.reasons)))
    return breaking, tuple(blocked)


def holds_lifted(before: Engine, after: Engine) -> list[SkinRecord]:
    """Open holds of this journal that the merged history would lift other than by a
    resolution (the merge keeps holds; this is the check that it did)."""
    now = {r.id: r for r in after.history.skin}
    out = []
    for r in before.unresolved_holds():
        n = now.get(r.id)
        if n is None or (n.rank < r.rank and n.resolved_on is None):
            out.append(r)
    return out


def _count(n: int, one: str) -> str:
    return f"{n} {one if n == 1 else one + 's'}"


def counts_text(m: Merged) -> str:
    """ "2 records added, 1 record changed" (or that only version stamps change)."""
    return ", ".join(part for part in (
        m.added and f"{_count(len(m.added), 'record')} added",
        m.updated and f"{_count(len(m.updated), 'record')} changed",
        m.deleted and f"{_count(len(m.deleted), 'record')} deleted") if part) \
        or "no record changed (only version stamps)"


# Where to go next, in the words of each face: (restore a version, move a plan).
CLI_WAYS = ("`acuplan restore`", "`acuplan unplan ID`, then `acuplan plan DATE`")
APP_WAYS = ("Data: restore a kept version", "p opens Plan")


def report_lines(report: MergeReport, journal: str, dry_run: bool,
                 ways: tuple[str, str] = CLI_WAYS) -> list[str]:
    """The merge's report in sentences, for the command line and the app (`ways` names
    the face's way to restore a version and to move a plan; user text in the report is
    made terminal-safe here)."""
    m = report.merged
    src = terminal_safe(report.source)
    if not m.changed:
        return [f"nothing to merge: {src} holds nothing this journal lacks"]
    counts = counts_text(m)
    head = (f"would merge {src} into {journal}: {counts} (--dry-run: nothing written)"
            if dry_run else f"merged {src} into {journal}: {counts}")
    lines = [head]
    if m.conflicts:
        lines.append(f"{_count(len(m.conflicts), 'record')} changed on both sides:")
        for c in m.conflicts:
            kept = ("kept " + c.kept + "'s version of " + c.kept_when + ", not "
                    + ("the other copy's" if c.kept == "this journal" else "this journal's")
                    + " of " + c.other_when) if c.kept != "both" else \
                f"put together ({c.kept_when} and {c.other_when})"
            lines.append(f"  {terminal_safe(c.label)}: {c.what}; {kept}")
        lines.append(f"  the versions not kept are still in {src}"
                     + ("" if dry_run else " and in the version of this journal kept "
                        f"before the merge ({ways[0]})"))
    if report.now_breaking:
        lines.append("sessions that now break a rule (logged history stays; see why):")
        for s in report.now_breaking:
            lines.append(f"  {s.date.isoformat()} session {terminal_safe(s.id)}:")
            lines.extend(reason_lines(s.violations, indent="    - "))
    if report.now_blocked:
        lines.append(f"plans now blocked (move them: {ways[1]}):")
        for p, reasons in report.now_blocked:
            lines.append(f"  {p.date.isoformat()} plan {terminal_safe(p.id)}:")
            lines.extend(reason_lines(reasons, indent="    - "))
    return lines


def reason_lines(reasons: tuple[Reason, ...], indent: str) -> list[str]:
    out = []
    for r in reasons:
        until = (f" (until {r.until.isoformat()})" if r.until else
                 " (until resolved)" if r.rule.endswith("-hold") else "")
        out.append(f"{indent}{r.rule}: {terminal_safe(r.message)}{until}")
    return out


__all__ = ["report_lines", "CLI_WAYS", "APP_WAYS", "counts_text", "Copy", "Version",
           "version", "Conflict", "Merged", "MergeReport", "versions_of", "merge_versions",
           "merge_copies", "records_of", "rule_changes", "holds_lifted", "THIS", "OTHER",
           "BOTH"]
