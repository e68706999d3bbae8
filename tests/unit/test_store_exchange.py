"""Export (JSON, CSV) and import: lossless, deterministic, refused when unsafe."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.store import ImportRefused, Journal
from planner.store.exchange import export_csv, export_json, import_json, parse_export
from planner.store.migrations import CURRENT_SCHEMA

ODD = ["Retinol [0.5%]", "😀 gua-sha 🪨", "naïve—café", "tab\there", "line\nbreak",
       'quote " and , comma', "", "\u200b", "日本語", "\U0001f9ea\u200d"]

text = st.one_of(st.sampled_from(ODD), st.text(max_size=12))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False), text)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)), max_leaves=12)
docs = st.dictionaries(text.filter(lambda k: k != "id"), values, max_size=6)
table_names = st.one_of(st.sampled_from(["sessions", "checkins", "products", "profile"]),
                        st.text(min_size=1, max_size=8)).filter(lambda n: n != "meta")
journals = st.dictionaries(table_names, st.lists(docs, max_size=5), max_size=4)


# Half the profile's examples: each one writes, exports and imports a whole journal.
@settings(max_examples=settings.default.max_examples // 2,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=journals)
def test_export_import_export_is_byte_identical(tmp_path_factory, tables):
    d = tmp_path_factory.mktemp("x")
    src = Journal(d / "a.json")
    src.replace_all({n: [dict(doc, id=f"{n[:3]}{i}") for i, doc in enumerate(ds)]
                     for n, ds in tables.items()})
    first = export_json(src.snapshot())
    dst = Journal(d / "b.json")
    counts = import_json(dst, first)
    assert counts == {n: len(ds) for n, ds in tables.items()}
    assert dst.snapshot() == src.snapshot()
    assert export_json(dst.snapshot()) == first
    assert export_json(Journal(d / "b.json").snapshot()) == first  # from disk too
    export_csv(dst.snapshot())  # never fails on odd data


def test_mis_encoded_terminal_text_survives(tmp_path):
    """argv bytes that are not UTF-8 arrive as lone surrogates; they must not break writes."""
    from planner.store.exchange import write_private

    j = Journal(tmp_path / "a.json")
    j.insert("checkins", {"id": "c", "note": "bad byte \udcff here"})
    assert Journal(tmp_path / "a.json").snapshot()["checkins"][0]["note"] == "bad byte \udcff here"
    out = export_json(j.snapshot())
    import_json(Journal(tmp_path / "b.json"), out)
    assert export_json(Journal(tmp_path / "b.json").snapshot()) == out
    write_private(tmp_path / "x.csv", export_csv(j.snapshot()))
    write_private(tmp_path / "x.json", out)


def test_export_json_shape_and_determinism():
    snap = {"b": [{"z": 1, "id": "2", "a": "Retinol [0.5%] 😀"}], "a": []}
    out = export_json(snap)
    doc = json.loads(out)
    assert doc == {"acuplan_export": 1, "schema_version": CURRENT_SCHEMA,
                   "tables": {"a": [], "b": [{"a": "Retinol [0.5%] 😀", "id": "2", "z": 1}]}}
    assert out == export_json({"a": [], "b": [{"id": "2", "a": "Retinol [0.5%] 😀", "z": 1}]})
    assert out.endswith("\n") and out.isascii()
    assert export_json({**snap, "meta": [{"schema_version": 1}]}) == out


def test_export_keeps_record_order():
    snap = {"t": [{"id": "b"}, {"id": "a"}, {"id": "c"}]}
    assert [d["id"] for d in json.loads(export_json(snap))["tables"]["t"]] == ["b", "a", "c"]


def test_csv_one_row_per_record_with_union_of_fields():
    snap = {
        "sessions": [{"id": "s1", "date": "2024-01-03", "minutes": 10, "aborted": False,
                      "violations": [{"rule": "spacing", "message": "too soon", "until": None}]}],
        "checkins": [{"id": "c1", "date": "2024-01-01", "redness": 2,
                      "flags": ["peeling", "bruising"], "note": "Retinol [0.5%], then 😀"}],
        "profile": [{"id": "p", "pregnant": True}],
    }
    out = export_csv(snap)
    assert out == export_csv(snap)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["type", "id", "date", "aborted", "flags", "minutes", "note",
                       "pregnant", "redness", "violations"]
    assert [r[:3] for r in rows[1:]] == [["profile", "p", ""], ["checkins", "c1", "2024-01-01"],
                                        ["sessions", "s1", "2024-01-03"]]
    by_id = {r[1]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_id["c1"]["flags"] == "peeling;bruising"
    assert by_id["c1"]["note"] == "Retinol [0.5%], then 😀"
    assert by_id["c1"]["aborted"] == "" and by_id["s1"]["aborted"] == "false"
    assert by_id["p"]["pregnant"] == "true"
    assert json.loads(by_id["s1"]["violations"]) == snap["sessions"][0]["violations"][0]


def test_csv_pause_dates_and_colliding_field_names():
    snap = {"pauses": [{"id": "p", "start": "2024-02-01", "end": "2024-02-03"}],
            "odd": [{"id": "o", "type": "mine", "date": "2024-01-01"}]}
    rows = list(csv.reader(io.StringIO(export_csv(snap))))
    assert rows == [["type", "id", "date", "end", "start", "field:type"],
                    ["odd", "o", "2024-01-01", "", "", "mine"],
                    ["pauses", "p", "2024-02-01", "2024-02-03", "2024-02-01", ""]]


def test_import_into_non_empty_journal_is_refused(tmp_path):
    j = Journal(tmp_path / "j.json")
    j.insert("checkins", {"date": "2024-01-01"})
    before = (tmp_path / "j.json").read_bytes()
    text = export_json({"sessions": [{"id": "s1"}]})
    with pytest.raises(ImportRefused) as ei:
        import_json(j, text)
    assert isinstance(ei.value, ValueError) and "empty" in str(ei.value)
    assert (tmp_path / "j.json").read_bytes() == before


def test_import_into_journal_with_only_empty_tables_is_allowed(tmp_path):
    j = Journal(tmp_path / "j.json")
    rid = j.insert("t", {})
    j.delete("t", rid)
    import_json(j, export_json({"t": [{"id": "x"}]}))
    assert j.snapshot() == {"t": [{"id": "x"}]}


@pytest.mark.parametrize("text", [
    "", "not json", "[]", '{"tables": {}}',
    '{"acuplan_export": 1, "schema_version": 1, "tables": []}',
    '{"acuplan_export": 1, "schema_version": 1, "tables": {"t": {}}}',
    '{"acuplan_export": 1, "schema_version": 1, "tables": {"t": [1]}}',
    '{"acuplan_export": 1, "schema_version": 1, "tables": {"t": [{"x": 1}]}}',
    '{"acuplan_export": 1, "schema_version": 1, "tables": {"t": [{"id": "a"}, {"id": "a"}]}}',
    '{"acuplan_export": 1, "schema_version": 1, "tables": {"meta": []}}',
    '{"acuplan_export": 1, "schema_version": 1, "tables": {"": []}}',
    '{"acuplan_export": 1, "schema_version": "1", "tables": {}}',
    '{"acuplan_export": 1, "schema_version": 1, "tables": {"t": [{"id": "a", "x": NaN}]}}',
])
def test_bad_exports_are_refused_before_touching_the_journal(tmp_path, text):
    path = tmp_path / "j.json"
    with pytest.raises(ImportRefused):
        import_json(Journal(path), text)
    assert not path.exists()


def test_export_from_a_newer_schema_is_refused(tmp_path):
    text = json.dumps({"acuplan_export": 1, "schema_version": CURRENT_SCHEMA + 1, "tables": {}})
    with pytest.raises(ImportRefused, match="newer|upgrade"):
        parse_export(text)


def test_schema_0_export_is_migrated_on_import(tmp_path):
    text = '{"acuplan_export": 1, "schema_version": 0, "tables": {"t": [{"n": 1}]}}'
    tables = parse_export(text)
    assert tables["t"][0]["n"] == 1 and isinstance(tables["t"][0]["id"], str)
