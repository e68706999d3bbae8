"""Journal entries in words: the one-line summary, the detail text, the type filters.

An entry is an item of `Planner.history_items` (a stored record with its `type`, and the
`class` of a skin record). Read by the Journal list, the History table and the forms'
confirmations. Plain strings: the screens show them as plain text, never markup.
"""

from __future__ import annotations

from planner.domain.vocabulary import NRS_ANCHORS, REDNESS_SWELLING_ANCHORS

TABLE_OF_TYPE = {
    "checkin": "skin", "reaction": "skin", "session": "sessions", "plan": "plans",
    "product": "products", "procedure": "procedures", "injectable": "injectables",
    "pause": "pauses",
}
SKIN_TYPES = ("checkin", "reaction")
TYPE_FILTERS = (
    ("All entries", "all"), ("Check-ins", "checkin"), ("Reactions", "reaction"),
    ("Sessions", "session"), ("Products", "product"), ("Procedures", "procedure"),
    ("Injectables", "injectable"), ("Plans", "plan"), ("Pauses", "pause"),
)
# One mark per skin class, everywhere (the Journal's list, History's heat map): shapes that
# differ without colour and do not reuse the session marks (● ◐ ⊘).
CLASS_GLYPH = {"none": "○", "mild": "△", "moderate": "▲", "severe": "◆", "red-flag": "!"}
HOLD_CLASSES = ("severe", "red-flag")  # the classes that hold sessions until resolved
OUTCOME_WORDS = {
    "completed": "ran to the end",
    "partial": "ended early (counts for spacing and the streak, not for longer sessions)",
    "aborted": "stopped because unwell",
}


def scale_anchor_04(value: int) -> str:
    """Draize-style words for a 0–4 redness/swelling value."""
    return REDNESS_SWELLING_ANCHORS[value]


def scale_anchor_nrs(value: int) -> str:
    """Words for a 0–10 itch/burning rating: 0 none, 1–3 mild, 4–6 moderate, 7–9 severe,
    10 worst imaginable."""
    return NRS_ANCHORS[max(low for low in NRS_ANCHORS if low <= value)]


def row_key(item: dict) -> str:
    """Ids are unique within a table only: the table makes the key unique."""
    return f"{TABLE_OF_TYPE[item['type']]}:{item['id']}"


def skin_summary(item: dict) -> str:
    parts = [f"R{item.get('redness', 0)} S{item.get('swelling', 0)} "
             f"I{item.get('itch', 0)} B{item.get('burning', 0)}"]
    if item.get("flags"):
        parts.append(", ".join(item["flags"]))
    if item.get("zone"):
        parts.append(f"@{item['zone']}")
    if item.get("resolved_on"):
        parts.append(f"resolved {item['resolved_on']}")
    return " ".join(parts)


def item_summary(item: dict) -> str:
    """One line describing an entry (without its note)."""
    t = item["type"]
    if t in SKIN_TYPES:
        return skin_summary(item)
    if t == "session":
        s = f"{item.get('minutes', '?')} min"
        if item.get("routine"):
            s += f" · {item['routine']}"
        outcome = item.get("outcome", "completed")
        if outcome != "completed":
            s += f" · {outcome}"
        if item.get("violations"):
            s += " · ⚠ " + ", ".join(v.get("rule", "?") for v in item["violations"])
        return s
    if t == "plan":
        s = f"planned {item.get('minutes', '?')} min"
        if item.get("routine"):
            s += f" · {item['routine']}"
        if item.get("fulfilled_by"):
            s += " · done"
        elif item.get("confirmed_missed"):
            s += " · missed"
        return s
    if t == "pause":
        return f"{item.get('start')} → {item.get('end')} · {item.get('reason')}"
    if item.get("name"):  # a product logged by the user's own name for it
        return f"{item['name']} ({item.get('kind', '')})"
    return str(item.get("kind", ""))


def item_detail(item: dict, hold_open: bool = False) -> str:
    """Several lines with everything about an entry, for the detail pane. `hold_open`:
    the entry is a skin record whose hold is open (`Planner.open_hold_ids`)."""
    t = item["type"]
    lines = [f"{item['date']}  {t}"]
    if t in SKIN_TYPES:
        cls = item.get("class", "none")
        lines[0] += f"  class: {cls}"
        lines.append(
            f"redness {item.get('redness', 0)} ({scale_anchor_04(item.get('redness', 0))}), "
            f"swelling {item.get('swelling', 0)} ({scale_anchor_04(item.get('swelling', 0))}), "
            f"itch {item.get('itch', 0)}/10, burning {item.get('burning', 0)}/10")
        extra = []
        if item.get("flags"):
            extra.append("flags: " + ", ".join(item["flags"]))
        if item.get("zone"):
            extra.append(f"zone: {item['zone']}")
        if item.get("session_id"):
            extra.append(f"session: {item['session_id']}")
        if hold_open:
            extra.append("hold open — press v to resolve")
        elif cls in HOLD_CLASSES:
            extra.append(f"hold resolved {item.get('resolved_on')}")
        if extra:
            lines.append(" · ".join(extra))
    else:
        lines.append(item_summary(item))
        if t == "session":
            lines.append(f"outcome: {item.get('outcome', 'completed')} — "
                         + OUTCOME_WORDS.get(item.get("outcome", "completed"), ""))
        for v in item.get("violations") or ():
            lines.append(f"⚠ {v.get('rule')}: {v.get('message')}")
    if item.get("note"):
        lines.append(f"note: {item['note']}")
    return "\n".join(lines)


def confirm_detail(item: dict) -> str:
    """The entry as a delete confirmation names it: date · summary · note."""
    return (f"{item['date']} · {item_summary(item)}"
            + (f" · {item['note']}" if item.get("note") else ""))


__all__ = ["TABLE_OF_TYPE", "SKIN_TYPES", "TYPE_FILTERS", "CLASS_GLYPH", "HOLD_CLASSES",
           "OUTCOME_WORDS", "scale_anchor_04", "scale_anchor_nrs", "row_key", "skin_summary",
           "item_summary", "item_detail", "confirm_detail"]
