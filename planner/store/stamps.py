"""Version stamps: when each record last changed, and which versions it grew from.

`acuplan merge` folds two copies of a journal together by record id. To tell "changed
on one side" from "changed on both", every write leaves the record a stamp in the
journal's `stamps` table (kept beside the records, never inside them, so a record reads
and exports as before):

    {"id": "sessions/0a1b2c3d", "changed": STAMP, "earlier": [STAMP, ...], "deleted": true}

A stamp is the UTC time of the change to the microsecond and a suffix made from the
change itself, so stamps sort by time and two different changes never share one.
`earlier` lists the stamps of the versions this one grew from (its first, and then the
latest ones), so a version whose stamp is in another's `earlier` is that one's ancestor.
A deleted record keeps its entry with `deleted` set (a tombstone): a deletion is a
version too.

A record written before schema 3 has no entry: its stamp is a base stamp made from its
content, the same on every machine for the same content, and its first change grows
from that.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

KEEP = 32            # stamps a version remembers: its first, then the latest
_TIME = 27           # "2026-12-04T15:55:00.123456Z"
_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
BASE_TIME = "0000-00-00T00:00:00.000000Z"  # sorts before any real change


def key(table: str, record_id: str) -> str:
    return f"{table}/{record_id}"


def split_key(k: str) -> tuple[str, str]:
    table, _, rid = k.partition("/")
    return table, rid


def new_stamp(now: datetime, after: str | None = None, content: str = "") -> str:
    """A stamp for a change made at `now`, later than `after` (the version it replaces)
    even when the clock stands still or went back. Its suffix comes from what the
    change made (`content`) and what it replaced: two machines that make different
    changes in the same microsecond get different stamps, the same change the same."""
    moment = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
    text = moment.strftime(_FORMAT)
    if after is not None and text <= after[:_TIME]:
        try:
            prev = datetime.strptime(after[:_TIME], _FORMAT)
        except ValueError:  # a base stamp or a hand-made one: any real time is later
            prev = None
        if prev is not None:
            text = (prev + timedelta(microseconds=1)).strftime(_FORMAT)
    return f"{text}~{digest(f'{after}|{content}')[:8]}"


def canonical(doc: Any) -> str:
    """One text per content, whatever the key order (to compare and hash records):
    msgspec's sorted JSON (a tenth of json.dumps' time), or json's for what msgspec
    cannot write (a lone surrogate from a mis-encoded terminal argument)."""
    import msgspec

    try:
        return msgspec.json.encode(doc, order="sorted").decode("utf-8")
    except (TypeError, ValueError, UnicodeDecodeError):
        return json.dumps(doc, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def base_stamp(doc: Any) -> str:
    """The stamp of a record written before stamps existed: from its content alone."""
    return f"{BASE_TIME}~{digest(canonical(doc))}"


def capped(stamps: Iterable[str]) -> list[str]:
    """Sorted, without repeats, at most KEEP: the first and the latest."""
    out = sorted(set(stamps))
    return out if len(out) <= KEEP else [out[0], *out[-(KEEP - 1):]]


def entry(k: str, changed: str, earlier: Iterable[str] = (), deleted: bool = False
          ) -> dict[str, Any]:
    """A stamps-table document; `earlier` and `deleted` only when they say something (a
    journal holds one per record written since schema 3)."""
    out: dict[str, Any] = {"id": k, "changed": changed}
    grew_from = capped(earlier)
    if grew_from:
        out["earlier"] = grew_from
    if deleted:
        out["deleted"] = True
    return out


def next_entry(k: str, old: dict[str, Any] | None, now: datetime, doc: Any = None, *,
               deleted: bool = False, was: Any = None) -> dict[str, Any]:
    """The entry of a record's new version `doc` (or its deletion), grown from `old`, or
    when the record has no entry yet (written before schema 3) from `was`, its content
    until now."""
    prev = changed_of(old)
    if prev is None and was is not None:
        prev = base_stamp(was)
    earlier = [*earlier_of(old), prev] if prev is not None else []
    content = "deleted" if deleted else canonical(doc)
    return entry(k, new_stamp(now, prev, f"{k}|{content}"), earlier, deleted)


# What acuplan writes: a time (or the base time), a suffix, and one more suffix per merge
# that put two versions together. Anything else in a file (a hand edit, another copy
# made to look like one) is not a stamp: the record counts as unstamped.
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z~[0-9a-f]{8,12}(\+[0-9a-f]{8}){0,64}")


def is_stamp(value: Any) -> bool:
    return isinstance(value, str) and STAMP.fullmatch(value) is not None


def changed_of(e: dict[str, Any] | None) -> str | None:
    value = e.get("changed") if isinstance(e, dict) else None
    return value if is_stamp(value) else None


def earlier_of(e: dict[str, Any] | None) -> list[str]:
    """The stamps a version grew from, as `capped` leaves them (sorted, no repeats, at
    most KEEP), keeping only what is a stamp."""
    value = e.get("earlier") if isinstance(e, dict) else None
    if not isinstance(value, list) or not value:
        return []
    return capped(s for s in value[:KEEP] if is_stamp(s))


def is_deleted(e: dict[str, Any] | None) -> bool:
    return isinstance(e, dict) and e.get("deleted") is True


def when(stamp: str) -> str:
    """A stamp's time for people ("2026-12-04 15:55:07 UTC"), or "before version stamps"
    for a base stamp."""
    if stamp.startswith(BASE_TIME[:4]):
        return "before version stamps"
    return f"{stamp[:10]} {stamp[11:19]} UTC"
