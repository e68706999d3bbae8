"""The calendar export (SPEC §10): plans with a reminder, the product-free days before
each, blocked stretches; stable UIDs; a file two parsers and a strict line check accept.

Every file made here is read back three ways: `icalendar` (the library that wrote it),
`vobject` (a second, independent parser) and `check_rfc5545`, a strict minimal reading
of RFC 5545's syntax: CRLF line ends, lines folded at 75 octets without splitting a
character, content lines of the form NAME;PARAMS:VALUE, BEGIN/END balanced, and the
properties each component must have exactly once.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.models import replace
from planner.domain.vocabulary import INJECTABLE_KINDS, PROCEDURE_KINDS, PRODUCT_KINDS
from planner.library.loader import save_user_routine
from planner.service.calendar_export import BLOCKING_RULES, build_calendar, parse_alarm
from planner.service.planner import BadInput, Planner, Refused
from planner.store.journal import Journal

STAMP = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)

# ------------------------------------------------------------------ readers

_NAME = r"[A-Za-z0-9-]+"
_PARAM_VALUE = r'(?:"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*)'
_CONTENT_LINE = re.compile(rf"({_NAME})((?:;{_NAME}={_PARAM_VALUE}(?:,{_PARAM_VALUE})*)*):(.*)",
                           re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # RFC 5545 CONTROL: all but HTAB
_DATE = re.compile(r"\d{8}")
_DATE_TIME = re.compile(r"\d{8}T\d{6}Z?")

# Properties a component must have exactly once (RFC 5545 §3.6.1, §3.6.6, §3.7.3-4).
REQUIRED = {
    "VCALENDAR": ("PRODID", "VERSION"),
    "VEVENT": ("UID", "DTSTAMP", "DTSTART"),
    "VALARM": ("ACTION", "TRIGGER"),
}
AT_MOST_ONCE = {
    "VEVENT": ("DTEND", "DURATION", "SUMMARY", "DESCRIPTION", "TRANSP", "CLASS", "SEQUENCE"),
    "VALARM": ("DESCRIPTION", "DURATION", "REPEAT"),
}


def check_rfc5545(data: bytes) -> list[tuple[str, dict[str, str], str]]:
    """The file's content lines (name, params, value), unfolded; AssertionError naming the
    first thing that breaks RFC 5545's syntax."""
    assert data.endswith(b"\r\n"), "the file must end with CRLF"
    physical = data[:-2].split(b"\r\n")
    logical: list[bytes] = []
    for n, raw in enumerate(physical, 1):
        assert b"\r" not in raw and b"\n" not in raw, f"line {n}: a bare CR or LF"
        assert len(raw) <= 75, f"line {n} is {len(raw)} octets (at most 75): {raw!r}"
        raw.decode("utf-8")  # folding must not split a multi-octet character
        if raw[:1] in (b" ", b"\t"):
            assert logical, "the file starts with a continuation line"
            logical[-1] += raw[1:]
        else:
            assert raw, f"line {n} is empty"
            logical.append(raw)
    lines = []
    stack: list[str] = []
    seen: list[dict[str, int]] = []
    uids: list[str] = []
    for raw in logical:
        text = raw.decode("utf-8")
        m = _CONTENT_LINE.fullmatch(text)
        assert m, f"not NAME;PARAMS:VALUE: {text!r}"
        name, params_text, value = m.group(1).upper(), m.group(2), m.group(3)
        assert not _CONTROL.search(value), f"a control character in {text!r}"
        params = dict(p.split("=", 1) for p in params_text.split(";")[1:])
        if name == "BEGIN":
            assert stack or value == "VCALENDAR", "the file must start with BEGIN:VCALENDAR"
            assert not (stack and value == "VCALENDAR"), "a VCALENDAR inside another"
            stack.append(value.upper())
            seen.append({})
        elif name == "END":
            assert stack and stack[-1] == value.upper(), f"END:{value} closes {stack}"
            comp, counts = stack.pop(), seen.pop()
            for prop in REQUIRED.get(comp, ()):
                assert counts.get(prop) == 1, f"{comp} has {counts.get(prop, 0)} {prop}"
            for prop in AT_MOST_ONCE.get(comp, ()):
                assert counts.get(prop, 0) <= 1, f"{comp} has {counts[prop]} {prop}"
            assert not ("DTEND" in counts and "DURATION" in counts), f"{comp}: DTEND+DURATION"
        else:
            assert stack, f"{name} outside any component"
            seen[-1][name] = seen[-1].get(name, 0) + 1
            _check_value(name, params, value)
            if name == "UID" and stack[-1] == "VEVENT":
                uids.append(value)
        lines.append((name, params, value))
    assert not stack, f"not closed: {stack}"
    assert lines[-1][:1] == ("END",) and lines[-1][2] == "VCALENDAR"
    assert len(uids) == len(set(uids)), "a UID used twice"
    _check_event_spans(lines)
    return lines


def _check_value(name: str, params: dict[str, str], value: str) -> None:
    if name == "VERSION":
        assert value == "2.0"
    if name == "DTSTAMP":
        assert re.fullmatch(r"\d{8}T\d{6}Z", value), f"DTSTAMP must be UTC: {value}"
    if name in ("DTSTART", "DTEND"):
        if params.get("VALUE") == "DATE":
            assert _DATE.fullmatch(value), f"{name} {value} is not a DATE"
        else:
            assert _DATE_TIME.fullmatch(value), f"{name} {value} is not a DATE-TIME"
    if name == "TRIGGER":
        assert re.fullmatch(r"[+-]?P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)", value), value
    if name == "ACTION":
        assert value in ("AUDIO", "DISPLAY", "EMAIL")


def _check_event_spans(lines) -> None:
    """DTEND is of DTSTART's value type and after it (RFC 5545 §3.6.1)."""
    start = None
    for name, params, value in lines:
        if name == "DTSTART":
            start = (params.get("VALUE"), value)
        if name == "DTEND":
            assert start is not None and start[0] == params.get("VALUE"), (start, value)
            assert value > start[1], f"DTEND {value} is not after DTSTART {start[1]}"


def read_back(data: bytes) -> dict[str, icalendar.Event]:
    """The events by UID, read by icalendar, after the same file passed vobject and the
    strict line check and both parsers agreed on each event's UID, start and summary."""
    check_rfc5545(data)
    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    other = vobject.readOne(data.decode("utf-8"))
    theirs = {e.uid.value: e for e in getattr(other, "vevent_list", [])}
    assert set(theirs) == set(events)
    for uid, e in events.items():
        assert theirs[uid].dtstart.value == e["DTSTART"].dt
        assert theirs[uid].summary.value == str(e["SUMMARY"])
        assert theirs[uid].description.value == str(e["DESCRIPTION"])
    return events


def alarm_at(event: icalendar.Event) -> datetime:
    """When the event's one reminder goes off, as a local (floating) time."""
    (alarm,) = event.walk("VALARM")
    start = event["DTSTART"].dt
    if not isinstance(start, datetime):
        start = datetime.combine(start, time(0, 0))
    return start + alarm["TRIGGER"].dt


# ------------------------------------------------------------------ fixtures

@pytest.fixture
def planner(journal_path, today):
    return Planner(Journal(journal_path), today)


def days(today: date, n: int) -> date:
    return today + timedelta(days=n)


def export(planner, **kw) -> dict[str, icalendar.Event]:
    return read_back(build_calendar(planner, stamp=STAMP, **kw).data)


def blocked(events, rule: str) -> list[icalendar.Event]:
    return [e for uid, e in events.items() if uid.startswith(f"blocked-{rule}-")]


# ------------------------------------------------------------------ tests

def test_no_plans_and_no_records_make_a_valid_empty_calendar(planner, journal_path):
    made = build_calendar(planner, stamp=STAMP)
    assert read_back(made.data) == {}
    cal = icalendar.Calendar.from_ical(made.data)
    assert str(cal["VERSION"]) == "2.0" and "acuplan" in str(cal["PRODID"])
    assert (made.plans, made.product_free, made.blocked) == (0, 0, 0)
    assert not journal_path.exists()  # a read: no journal is made


def test_a_plan_its_reminder_and_its_product_free_days(planner, today):
    pv = planner.plan(days(today, 9), 8)
    events = export(planner)
    plan = events[f"plan-{pv.plan.id}@acuplan"]
    assert plan["DTSTART"].dt == days(today, 9)            # all day: no preferred time
    assert plan["DTEND"].dt == days(today, 10)
    assert "8 min" in str(plan["SUMMARY"])
    assert alarm_at(plan) == datetime.combine(days(today, 8), time(19, 0))
    free = events[f"free-{pv.plan.id}@acuplan"]
    n = planner.settings().product_blackout_days
    # SPEC §3: a product on P blocks D when 0 <= D - P <= N: the N days before D stay free.
    assert (free["DTSTART"].dt, free["DTEND"].dt) == (days(today, 9 - n), days(today, 9))
    assert "retinoids, acids, scrubs or peels tonight" in str(free["SUMMARY"])
    assert str(free["TRANSP"]) == "TRANSPARENT"
    assert set(events) == {f"plan-{pv.plan.id}@acuplan", f"free-{pv.plan.id}@acuplan"}


def test_the_preferred_time_and_the_alarm_time(planner, today):
    planner.set_preferences(time="07:30")
    pv = planner.plan(days(today, 7), 9)
    plan = export(planner, alarm=parse_alarm("21:15"))[f"plan-{pv.plan.id}@acuplan"]
    assert plan["DTSTART"].dt == datetime.combine(days(today, 7), time(7, 30))
    assert plan["DTSTART"].dt.tzinfo is None  # a floating local time, as acuplan's dates
    assert plan["DTEND"].dt - plan["DTSTART"].dt == timedelta(minutes=9)
    assert alarm_at(plan) == datetime.combine(days(today, 6), time(21, 15))
    (alarm,) = plan.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and "07:30" in str(alarm["DESCRIPTION"])


def test_the_product_free_days_follow_the_setting(planner, today):
    planner.set_settings(product_blackout_days=6)
    pv = planner.plan(days(today, 10), 8)
    free = export(planner)[f"free-{pv.plan.id}@acuplan"]
    assert free["DTSTART"].dt == days(today, 4)


def test_plans_of_the_past_are_left_out(planner, today, journal_path):
    old = planner.plan(today, 8)
    later = planner.on(days(today, 1))
    assert not any(old.plan.id in uid for uid in export(later))


def test_a_blocked_plan_says_so_with_its_reasons(planner, today):
    pv = planner.plan(days(today, 2), 8)
    planner.log_product("retinoid", today)
    plan = export(planner)[f"plan-{pv.plan.id}@acuplan"]
    assert str(plan["SUMMARY"]).startswith("Blocked: ")
    assert "retinoid used on" in str(plan["DESCRIPTION"])


def test_blocked_stretches_per_rule(planner, today):
    n = planner.settings().product_blackout_days
    planner.log_product("acid-exfoliant", days(today, -1))
    planner.pause(days(today, 20), days(today, 24), "travel")
    events = export(planner)
    (product,) = blocked(events, "product-blackout")
    # SPEC §3: blocked while 0 <= D - P <= N, so from P up to P + N + 1 (exclusive end).
    assert (product["DTSTART"].dt, product["DTEND"].dt) == (days(today, -1),
                                                           days(today, n))
    assert "acid-exfoliant used on" in str(product["DESCRIPTION"])
    (pause,) = blocked(events, "pause")
    assert (pause["DTSTART"].dt, pause["DTEND"].dt) == (days(today, 20), days(today, 25))
    assert "travel" in str(pause["DESCRIPTION"])
    assert not blocked(events, "spacing")


def test_two_products_make_one_stretch_and_its_uid_stays_when_it_grows(planner, today):
    planner.log_product("scrub", days(today, -2))
    (first,) = blocked(export(planner), "product-blackout")
    planner.log_product("retinoid", today)
    (grown,) = blocked(export(planner), "product-blackout")
    assert grown["UID"] == first["UID"]
    assert grown["DTSTART"].dt == days(today, -2)
    assert grown["DTEND"].dt == days(today, planner.settings().product_blackout_days + 1)
    assert "scrub" in str(grown["DESCRIPTION"]) and "retinoid" in str(grown["DESCRIPTION"])


def test_an_open_hold_runs_to_the_horizon_and_ends_once_resolved(planner, today):
    pv = planner.plan(days(today, 30), 8)
    rec = planner.log_skin("checkin", days(today, -3), redness=3)  # severe: a hold
    events = export(planner)
    (hold,) = blocked(events, "reaction-hold")
    assert hold["DTSTART"].dt == days(today, -3)
    assert hold["DTEND"].dt > days(today, 300)
    assert "until it is resolved" in str(hold["DESCRIPTION"])
    assert str(events[f"plan-{pv.plan.id}@acuplan"]["SUMMARY"]).startswith("Blocked: ")
    # Seen the next day the same stretch keeps its UID.
    (next_day,) = blocked(export(planner.on(days(today, 1))), "reaction-hold")
    assert next_day["UID"] == hold["UID"]
    planner.resolve([rec.id], today)
    assert not blocked(export(planner), "reaction-hold")


def test_a_pause_already_running_keeps_its_first_day_and_uid(planner, today):
    planner.pause(days(today, -4), days(today, 5), "illness")
    uids = []
    for k in (0, 1, 3):
        (pause,) = blocked(export(planner.on(days(today, k))), "pause")
        assert pause["DTSTART"].dt == days(today, -4)
        uids.append(str(pause["UID"]))
    assert len(set(uids)) == 1


def test_back_to_back_pauses_make_one_stretch(planner, today):
    planner.pause(days(today, 10), days(today, 14), "travel")
    planner.pause(days(today, 15), days(today, 17), "illness")
    (pause,) = blocked(export(planner), "pause")
    assert (pause["DTSTART"].dt, pause["DTEND"].dt) == (days(today, 10), days(today, 18))
    assert "travel" in str(pause["DESCRIPTION"]) and "illness" in str(pause["DESCRIPTION"])


def test_uids_are_stable_across_exports(planner, today):
    a = planner.plan(days(today, 7), 8)
    b = planner.plan(days(today, 21), 8)
    planner.log_product("retinoid", days(today, -1))
    first = build_calendar(planner, stamp=STAMP).data
    again = build_calendar(planner, stamp=STAMP).data
    assert first == again
    later = build_calendar(planner, stamp=STAMP + timedelta(hours=5)).data
    assert set(read_back(later)) == set(read_back(first))
    assert {f"plan-{a.plan.id}@acuplan", f"plan-{b.plan.id}@acuplan"} <= set(read_back(first))


def test_a_moved_plan_keeps_its_uid_and_changes_its_date(planner, today):
    pv = planner.plan(days(today, 7), 8)
    other = planner.plan(days(today, 21), 8)
    before = export(planner)
    planner.move_plan(pv.plan.id, days(today, 10))
    after = export(planner)
    assert set(after) == set(before)
    uid = f"plan-{pv.plan.id}@acuplan"
    assert before[uid]["DTSTART"].dt == days(today, 7)
    assert after[uid]["DTSTART"].dt == days(today, 10)
    assert alarm_at(after[uid]) == datetime.combine(days(today, 9), time(19, 0))
    free = after[f"free-{pv.plan.id}@acuplan"]
    assert free["DTEND"].dt == days(today, 10)
    still = f"plan-{other.plan.id}@acuplan"
    assert after[still]["DTSTART"].dt == before[still]["DTSTART"].dt


def test_user_text_is_folded_whole_and_control_characters_are_escaped(planner, today):
    lib = planner.library()
    base = lib.routines["brow-and-forehead-points"]
    name = "Ruhige Stirn \x1b]52;c;aGk=\x07 für den Abend 🌙 " + "äöü ✨ " * 12
    save_user_routine(replace(base, id="my-brows", name=name, source="user"),
                      planner.user_routines_dir)
    fresh = Planner(planner.journal, today)
    pv = fresh.plan(days(today, 7), 8, "my-brows")
    made = build_calendar(fresh, stamp=STAMP)
    assert b"\x1b" not in made.data and b"\x07" not in made.data
    summary = str(read_back(made.data)[f"plan-{pv.plan.id}@acuplan"]["SUMMARY"])
    assert "Ruhige Stirn \\x1b]52;c;aGk=\\x07 für den Abend 🌙" in summary
    assert summary.count("äöü ✨") == 12


# One record of what can block a day, with its day relative to today (logs: never ahead).
_PAST = st.integers(-40, 0)
RECORDS = st.one_of(
    st.tuples(st.just("product"), st.sampled_from(PRODUCT_KINDS), _PAST),
    st.tuples(st.just("procedure"), st.sampled_from(PROCEDURE_KINDS), _PAST),
    st.tuples(st.just("injectable"), st.sampled_from(INJECTABLE_KINDS), _PAST),
    st.tuples(st.just("skin"), st.sampled_from([0, 1, 2, 3]), _PAST),
    st.tuples(st.just("resolve"), st.just(""), st.integers(-40, 0)),
    st.tuples(st.just("pause"), st.integers(0, 12), st.integers(-20, 60)),
    st.tuples(st.just("plan"), st.just(""), st.integers(0, 90)),
)


def _apply(p: Planner, record: tuple, today: date) -> None:
    what, kind, offset = record
    day = days(today, offset)
    try:
        if what in ("product", "procedure", "injectable"):
            getattr(p, f"log_{what}")(kind, day)
        elif what == "skin":
            p.log_skin("checkin", day, redness=kind)
        elif what == "resolve":
            p.resolve(None, max(day, max((r.date for r in p.open_holds()), default=day)))
        elif what == "pause":
            p.pause(day, days(day, kind), "other")
        else:
            p.plan(day, 5)
    except (BadInput, Refused):
        pass


# A fifth of the profile's examples: each one makes up to 12 real, fsynced writes.
@settings(max_examples=max(10, settings.default.max_examples // 5),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(RECORDS, min_size=1, max_size=12))
def test_stretches_cover_exactly_the_days_the_rules_block(tmp_path_factory, today, records):
    """Oracle: for every day from today to the last one exported, the rules (other than
    spacing) that `check` names for it are exactly those whose exported stretch holds it;
    and every file passes the strict check and both parsers."""
    p = Planner(Journal(tmp_path_factory.mktemp("j") / "journal.json"), today)
    for record in records:
        _apply(p, record, today)
    events = export(p)
    spans: dict[str, list[tuple[date, date]]] = {rule: [] for rule in BLOCKING_RULES}
    for uid, e in events.items():
        if uid.startswith("blocked-"):
            rule = uid.removeprefix("blocked-").rsplit("-", 1)[0]
            spans[rule].append((e["DTSTART"].dt, e["DTEND"].dt))
            assert uid == f"blocked-{rule}-{e['DTSTART'].dt.strftime('%Y%m%d')}@acuplan"
    last = max([days(today, 120), *(end for ss in spans.values() for _, end in ss)])
    d = today
    while d < last:
        named = {r.rule for r in p.check(d).reasons if r.rule in BLOCKING_RULES}
        shown = {rule for rule, ss in spans.items() if any(a <= d < b for a, b in ss)}
        assert named == shown, d
        d += timedelta(days=1)
    for rule, ss in spans.items():
        for a, _end in ss:  # each starts on its real first day: the day before is free
            assert rule not in {r.rule for r in p.check(days(a, -1)).reasons}, (rule, a)
    assert sum(uid.startswith("plan-") for uid in events) == len(p.plan_views())


@pytest.mark.parametrize("text", ["7:05", "07:05", " 19:00 "])
def test_parse_alarm_accepts_a_24_hour_time(text):
    assert parse_alarm(text) in (time(7, 5), time(19, 0))


@pytest.mark.parametrize("text", ["24:00", "19:60", "7pm", "", "none", "19", "19:00:00",
                                  "１９:００"])
def test_parse_alarm_refuses_anything_else(text):
    with pytest.raises(BadInput, match="HH:MM"):
        parse_alarm(text)


def test_the_line_check_catches_what_it_is_for():
    """The strict check is itself checked: each broken file below is refused."""
    good = build_calendar_text([
        "BEGIN:VEVENT", "UID:a@x", "DTSTAMP:20261201T000000Z",
        "DTSTART;VALUE=DATE:20261202", "END:VEVENT"])
    check_rfc5545(good)
    for broken in (
        good.replace(b"\r\n", b"\n"),                                       # LF only
        good.replace(b"UID:a@x", b"UID:" + b"a" * 80),                      # not folded
        good.replace(b"END:VEVENT\r\n", b""),                               # unbalanced
        good.replace(b"UID:a@x\r\n", b""),                                  # no UID
        good.replace(b"DTSTAMP:20261201T000000Z", b"DTSTAMP:20261201T000000"),  # not UTC
        good.replace(b"UID:a@x", b"UID:a\x07b"),                           # a control
    ):
        with pytest.raises(AssertionError):
            check_rfc5545(broken)


def build_calendar_text(body: list[str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", *body, "END:VCALENDAR"]
    return ("\r\n".join(lines) + "\r\n").encode()
