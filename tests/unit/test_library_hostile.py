"""Routine text written to slip past the checks: disguised needle words, eye instructions,
files that are not files. Each must be refused with file, field and a clear message,
while the ordinary English of the shipped library still passes."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from planner.domain.vocabulary import NEEDLE_WORDS
from planner.library import load_library, load_points, save_user_routine, validate_file
from planner.library.loader import (
    MAX_FILE_BYTES,
    NotARoutineFile,
    read_routine_bytes,
    user_routine_files,
    validate_routine_doc,
)
from planner.library.normalise import eye_instruction, fold, needle_word, squeeze, tokens

ROUTINES_DIR = Path(__file__).resolve().parents[2] / "routines"
POINTS = load_points()
LIBRARY = load_library()

from tests.unit.test_library import BASE  # noqa: E402  (one tiny valid routine)


def base_doc() -> dict:
    return tomllib.loads(BASE)


def issues_for(doc: dict) -> list:
    routine, issues = validate_routine_doc(doc, "hostile.toml", POINTS)
    assert (routine is None) == bool(issues)
    return issues


def has(issues, field, *words) -> bool:
    return any(i.field == field and all(w in i.message for w in words) for i in issues)


def shipped_strings() -> list[str]:
    """Every string in the shipped routine files and the point catalog."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for k, v in value.items():
                found.append(k)
                walk(v)

    for path in sorted(ROUTINES_DIR.glob("*.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return found


SHIPPED_STRINGS = shipped_strings()


# --------------------------------------------------------------------------
# Folding

@pytest.mark.parametrize("invisible", [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f",
    "\u202a", "\u202e", "\u2066", "\u2069", "\u180e", "\u061c", "\U000e0041", "\u3164",
    "\u034f", "\ufe0f", "\u0301",
])
def test_invisible_characters_and_marks_are_dropped(invisible):
    assert fold(f"ne{invisible}edle") == "needle"


@pytest.mark.parametrize("disguised", [
    "ｎｅｅｄｌｅ",                                   # fullwidth
    "𝐧𝐞𝐞𝐝𝐥𝐞",                                          # mathematical bold
    "ⓝⓔⓔⓓⓛⓔ",                                        # circled
    "nееdlе",                                          # Cyrillic e
    "NΕΕDLΕ",                                          # Greek capital epsilon
    "ΝΕΕDLΕ",                                          # Greek capital nu too
    "ɴᴇᴇᴅʟᴇ",                                          # small capitals
    "nèédlë",                                          # accents
    "🇳🇪🇪🇩🇱🇪",                                          # regional indicators
])
def test_look_alike_letters_fold_to_latin(disguised):
    assert fold(disguised) == "needle"


def test_every_look_alike_in_the_table_folds_to_one_latin_letter():
    from planner.library.normalise import _LOOK_ALIKES

    for ch, latin in _LOOK_ALIKES.items():
        assert re.fullmatch("[a-z]", latin), ch
        assert fold(ch) == latin, (ch, f"U+{ord(ch):04X}", fold(ch))


@pytest.mark.parametrize("cyrillic, greek, latin", [
    ("а", "α", "a"), ("с", "ϲ", "c"), ("е", "ε", "e"), ("і", "ι", "i"), ("ј", "ϳ", "j"),
    ("о", "ο", "o"), ("р", "ρ", "p"), ("х", "χ", "x"), ("у", "γ", "y"), ("к", "κ", "k"),
    ("м", "Μ", "m"), ("т", "τ", "t"), ("һ", "Η", "h"), ("ь", "β", "b"), ("п", "Ν", "n"),
    ("ѕ", "Ѕ", "s"),
])
def test_cyrillic_and_greek_look_alikes_of_the_brief(cyrillic, greek, latin):
    assert fold(cyrillic) == fold(greek) == latin


@given(st.text())
def test_the_squeezed_first_look_holds_every_token(text):
    # the checks skip text whose squeezed form has no banned stem: that is only
    # safe while the squeezed form is exactly the words run together
    folded = fold(text)
    assert squeeze(folded) == "".join(w for w, _ in tokens(folded))


def test_tokens_mark_clause_breaks_but_not_spaces_hyphens_or_apostrophes():
    assert tokens(fold("don't press-hold, then 3 rolls")) == [
        ("don", False), ("t", False), ("press", False), ("hold", False), ("then", True),
        ("rolls", False)]


# --------------------------------------------------------------------------
# Needle words: the bypasses from the issue, each in a real field

BYPASSES = [
    ("insert the needle freely into the skin", "'needle'"),
    ("dry needling of the masseter", "'needling'"),
    ("use a nee dle", "'needle'"),
    ("use a nee-dle", "'needle'"),
    ("use a nee\u00a0dle", "'needle'"),
    ("use a nee\u200bdle", "'needle'"),
    ("use a nee\u00addle", "'needle'"),
    ("use a n\u0435\u0435dle", "'needle'"),
    ("use a ｎｅｅｄｌｅ", "'needle'"),
    ("go over it with a derma pen", "'derma pen'"),
    ("go over it with a derma-pen", "'derma pen'"),
    ("prick the spot with a lancet", "'lancet'"),
    ("leave press tacks on the ear", "'press tacks'"),
    ("leave a press needle in", "'press needle'"),
    ("a quick acu-puncture session", "'acupuncture'"),
    ("micro needling at home", "'microneedling'"),
    ("a derma\u00a0roller over the cheek", "'derma roller'"),
    ("a dermal roller", "'dermal roller'"),
    ("a derma stamp", "'derma stamp'"),
]


@pytest.mark.parametrize("field", ["name", "summary", "how", "direction"])
@pytest.mark.parametrize("text, word", BYPASSES)
def test_each_listed_bypass_is_refused_in_every_text_field(field, text, word):
    doc = base_doc()
    where = doc["steps"][0] if field in ("how", "direction") else doc
    where[field] = text
    issues = issues_for(doc)
    path = f"steps[1].{field}" if field in ("how", "direction") else field
    assert has(issues, path, word, "needle techniques and tools are not allowed"), \
        [str(i) for i in issues]


@pytest.mark.parametrize("text, disguised", [
    ("use a n\u0435edle", True), ("use a ｎｅｅｄｌｅ", True), ("use a nèedle", True),
    ("use a needle", False), ("use a nee-dle", False), ("with a dermaroller", False),
])
def test_look_alike_spelling_is_pointed_out(text, disguised):
    doc = base_doc()
    doc["steps"][0]["how"] = text
    issues = issues_for(doc)
    assert has(issues, "steps[1].how", "needle techniques")
    assert has(issues, "steps[1].how", "look-alike or accented letters") == disguised


@pytest.mark.parametrize("field, value, where", [
    ("technique", "acu\u200bpuncture", "steps[1].technique"),
    ("tool", "derma\u00adpen", "steps[1].tool"),
    ("tool", "ⅼancet", "steps[1].tool"),
])
def test_tool_and_technique_words_are_read_too(field, value, where):
    doc = base_doc()
    doc["steps"][0][field] = value
    assert has(issues_for(doc), where, "needle techniques")


def test_list_items_and_field_names_are_read_too():
    doc = base_doc()
    doc["techniques"] = ["jade-rolling", "Press\u2011Needle"]
    doc["steps"][0]["nee\u00addle"] = "x"
    issues = issues_for(doc)
    assert has(issues, "techniques[2]", "'press needle'")
    assert has(issues, "steps[1].nee\u00addle", "'needle'")


def test_a_file_with_a_bypass_names_file_field_and_reason(tmp_path):
    path = tmp_path / "sneaky.toml"
    path.write_text(BASE.replace('side = "both"', 'side = "both"\nhow = "dry ne\u00adedling"'),
                    encoding="utf-8")
    routine, issues = validate_file(path, POINTS)
    assert routine is None
    assert [(i.file, i.field) for i in issues] == [(str(path), "steps[1].how")]
    assert "'needling'" in issues[0].message and "not allowed" in issues[0].message


@pytest.mark.parametrize("word", NEEDLE_WORDS)
def test_every_vocabulary_needle_word_is_found(word):
    assert needle_word(f"Then {word} gently.") is not None
    assert needle_word(f"Then {word.upper()}S gently.") is not None


# --------------------------------------------------------------------------
# Needle words: property tests

NEEDLE_TERMS = sorted({
    "needle", "needles", "needling", "press needle", "press tack", "press tacks",
    "dermal roller", "derma roller", "derma pen", "microneedling", "derma stamp", "lancet",
    "acupuncture", *NEEDLE_WORDS})
# Written out here, not read from the module, so the test checks the table.
LOOK_ALIKES = {
    "a": "аαᴀА", "c": "сϲᴄС", "d": "ԁᴅ", "e": "еεᴇЕΕ", "i": "іιɪІΙ", "k": "кκᴋКΚ",
    "l": "ӏʟⅼ", "m": "мᴍМΜ", "n": "ɴΝп", "o": "оοᴏОΟօ", "p": "рρᴘРΡ", "r": "гʀ",
    "s": "ѕꜱЅ", "t": "тτᴛТΤ", "u": "υսᴜ", "x": "хχХΧ", "y": "уγУΥ",
}
INSERTS = st.one_of(
    st.characters(categories=["Cf"]),
    st.sampled_from([" ", "-", "\u00a0", "\u00ad", "\u200b", "\u2009", "\u2010", "\u2011",
                     "\u3000", "\ufeff", "\u2060", "  ", " - ", ".", "_", "/", "'"]),
)


def fullwidth(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0)


def math_bold(ch: str) -> str:
    return chr(0x1D41A + ord(ch) - ord("a"))


@st.composite
def disguised_needle_words(draw) -> str:
    word = draw(st.sampled_from(NEEDLE_TERMS))
    out = []
    for ch in word:
        if ch.isalpha():
            options = [ch, ch.upper(), fullwidth(ch), math_bold(ch), *LOOK_ALIKES.get(ch, "")]
            ch = draw(st.sampled_from(options))
        out.append(ch)
    for _ in range(draw(st.integers(0, 4))):
        out.insert(draw(st.integers(0, len(out))), draw(INSERTS))
    return "".join(out)


CONTEXT = st.sampled_from(["", "Gently use a", "then", "Apply the", "(", "Step 2:", "with a"])


@given(disguised_needle_words(), CONTEXT, CONTEXT)
@example("nee\u00addle", "", "")
@example("ne\u200bedl\u0435", "use a", "")
@example("ｄｅｒｍａ ｐｅｎ", "", "")
def test_a_disguised_needle_word_never_validates(word, before, after):
    text = f"{before} {word} {after}"
    assert needle_word(text) is not None, repr(text)
    doc = base_doc()
    doc["steps"][0]["how"] = text
    assert has(issues_for(doc), "steps[1].how", "needle techniques")


# Words of the shipped library, and ordinary words that sit close to a needle word.
VOCABULARY = sorted({w for s in SHIPPED_STRINGS for w, _ in tokens(fold(s))} | {
    "balance", "lance", "need", "needs", "needed", "less", "light", "pen", "pencil", "tone",
    "tack", "tacky", "stamp", "acupressure", "dermis", "t", "zone", "les", "dle",
    "roller", "micro", "needless", "needlessly"})
# Pairs that are needle words when joined, or that are needle words on their own.
JOINS_TO_NEEDLE = {("press", "tack"), ("micro", "needless"), ("lance", "t"), ("need", "les"),
                   ("need", "dle")}


@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=12),
       st.lists(st.sampled_from([" ", "-", ", ", ". ", "\u00a0", " (", ") ", "; "]),
                min_size=12, max_size=12))
def test_ordinary_words_joined_any_way_never_trip_the_needle_check(words, gaps):
    pairs = set(zip(words, words[1:]))
    if pairs & JOINS_TO_NEEDLE:
        return
    text = "".join(w + g for w, g in zip(words, gaps))
    assert needle_word(text) is None, text


@pytest.mark.parametrize("text", [
    "Balance the tone of the skin.", "Balance T-zone oil with a light touch.",
    "If you need less pressure, lift the tool.", "You need light pressure only.",
    "Needless to say, stop if it hurts.", "Mark the spot with a pen, then a pencil.",
    "Acupressure, not more.", "Stamp the date in your notes.", "The dermis sits under it.",
    "Glance toward the mirror.", "A tacky serum helps the tool glide.",
    "Press, then tack on a second round.", "Micro-movements along the jaw.",
])
def test_ordinary_sentences_pass(text):
    assert needle_word(text) is None


def test_every_shipped_string_passes_both_checks():
    assert SHIPPED_STRINGS
    for text in SHIPPED_STRINGS:
        assert needle_word(text) is None, text
        assert eye_instruction(text) is None, text


def test_needless_is_excused_only_as_a_whole_word():
    assert needle_word("needless") is None
    assert needle_word("needless needle") == "needle"
    assert needle_word("needlessneedle") is not None


# --------------------------------------------------------------------------
# Eyeball and eyelid

@pytest.mark.parametrize("text, which", [
    ("press gently on the eyelid", "eyelid"),
    ("roll over the closed eyelids", "eyelid"),
    ("stroke the eyeballs", "eyeball"),
    ("Massage the upper eyelid in circles.", "eyelid"),
    ("rub the eye\u00adlid", "eyelid"),
    ("push on the eye ball", "eyeball"),
    ("Close your eyes and roll the ｅｙｅｌｉｄ.", "eyelid"),
    ("never, press the eyelid", "eyelid"),
    ("avoid the cheek. Press the eyelid.", "eyelid"),
    ("avoid the eyelid and press the eyeball", "eyeball"),
    ("no need to avoid the eyelid", "eyelid"),
    ("do not hesitate to press the eyelid", "eyelid"),
    ("slide off onto the eyelid", "eyelid"),
    ("clear the eyelid", "eyelid"),
])
def test_eye_instructions_are_refused(text, which):
    assert eye_instruction(text) == which
    doc = base_doc()
    doc["steps"][0]["how"] = text
    assert has(issues_for(doc), "steps[1].how", f"the {which}", "no step may press")


@pytest.mark.parametrize("text", [
    "never press the eyeball",
    "avoid the eyelid",
    "stay on the bone below the eye, not the eyelid",
    "Keep it on the bone under the eye, clear of the eyelid and the eye.",
    "never on the eyelid or toward the eye, 3 strokes per side",
    "Keep it on the bony rim below the eye, well clear of the eyelid and the eye itself, "
    "and barely press.",
    "Small end on the bony rim under the eye, clear of the eyelid, barely pressing.",
    "Don't touch the eyelids.",
    "neither the eyeball nor the eyelid",
    "stay off the eyelid",
    "keep the roller away from the eyelids",
    "Do not ever press directly on the eyelid.",
])
def test_keep_off_wording_passes(text):
    assert eye_instruction(text) is None


def test_a_zone_field_naming_the_eyelid_gets_the_zone_message_only():
    doc = base_doc()
    doc["steps"][0]["zone"] = "eyelid"
    issues = issues_for(doc)
    assert [i.field for i in issues] == ["steps[1].zone"]
    assert "forbidden zone" in issues[0].message


# --------------------------------------------------------------------------
# Reading files: never block, never read without bound

def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(NotARoutineFile, match="FIFO"):
        read_routine_bytes(fifo)
    routine, issues = validate_file(fifo, POINTS)
    assert routine is None and has(issues, "file", "cannot read", "FIFO")


def test_a_directory_and_a_device_are_refused(tmp_path):
    with pytest.raises(NotARoutineFile, match="directory"):
        read_routine_bytes(tmp_path)
    if os.path.exists("/dev/zero"):
        with pytest.raises(NotARoutineFile, match="character device"):
            read_routine_bytes("/dev/zero")


def test_a_file_over_the_limit_is_refused_and_one_at_it_is_read(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(NotARoutineFile, match="1 MiB"):
        read_routine_bytes(big)
    edge = tmp_path / "edge.toml"
    edge.write_bytes(b"#" * MAX_FILE_BYTES)
    assert len(read_routine_bytes(edge)) == MAX_FILE_BYTES


def test_a_fifo_in_the_user_folder_is_reported_and_the_rest_loads(tmp_path):
    os.mkfifo(tmp_path / "a-pipe.toml")
    (tmp_path / "b-good.toml").write_text(BASE, encoding="utf-8")
    library = load_library(tmp_path)
    assert "tiny" in library.routines
    assert has(library.issues, "file", "FIFO")


# --------------------------------------------------------------------------
# Where a user routine id lives

def test_user_routine_files_names_the_file_that_wins(tmp_path):
    (tmp_path / "a.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "tiny.toml").write_text(BASE.replace("Tiny roll", "Other"), encoding="utf-8")
    (tmp_path / "c.toml").write_text(BASE.replace('"tiny"', '"morning-depuff-roll"'))
    assert user_routine_files(tmp_path) == {"tiny": tmp_path / "a.toml"}
    assert load_library(tmp_path).routines["tiny"].name == "Tiny roll"


def test_save_can_replace_the_file_that_holds_the_id(tmp_path):
    (tmp_path / "a.toml").write_text(BASE, encoding="utf-8")
    routine = load_library(tmp_path).routines["tiny"]
    renamed = type(routine)(routine.id, "Renamed", routine.summary, routine.techniques,
                            routine.concerns, routine.steps, routine.starter, "user")
    assert save_user_routine(renamed, tmp_path, "a.toml") == tmp_path / "a.toml"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]
    assert load_library(tmp_path).routines["tiny"].name == "Renamed"
    for bad in ("../a.toml", "sub/a.toml", "a.txt"):
        with pytest.raises(ValueError, match="routine file name"):
            save_user_routine(renamed, tmp_path, bad)


def test_the_normaliser_keeps_ordinary_unicode_text_readable():
    # only look-alikes are mapped: words in other scripts stay as they are
    assert fold("Ａｃｕｐｒｅｓｓｕｒｅ ﬁne") == "acupressure fine"
    assert fold("Gua sha 刮痧, 😀") == "gua sha 刮痧, 😀"
    assert [w for w, _ in tokens(fold("Гуаша: 刮痧"))] == ["ryaшa", "刮痧"]
