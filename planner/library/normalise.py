"""Text checks for routine files: needle words and eye instructions (SPEC §5).

A plain substring test is easy to get around: "n\u200beedle", "nee-dle",
Cyrillic "е" in "needlе", fullwidth letters, or a harmless word glued to the
banned one ("insert the needle freely"). So every string is first folded to
a canonical form, and the checks run on that:

1. Characters that draw nothing (Unicode category Cf: zero-width space, soft
   hyphen, word joiner, BOM, bidi controls; plus the Hangul fillers) go.
2. NFKC compatibility folding (fullwidth, mathematical and circled letters,
   ligatures), done as NFKD so accents and other combining marks can be
   dropped as well; modifier letters (a "ʼ" inside a word) go too.
3. Look-alike letters (Cyrillic, Greek, Armenian, small capitals, regional
   indicators) become the Latin letter they imitate, then case is folded.

The folded text is cut into letter-only tokens; everything else (spaces,
hyphens, no-break spaces, punctuation, digits) only separates tokens. A
needle word is found either inside one token ("dryneedling", "needles") or
as a run of two or more whole tokens whose letters, joined, are exactly a
needle word ("nee dle", "derma pen", "lan-cet"). Requiring whole tokens at
both ends of a run is what keeps ordinary English out: "balance the" or
"need less" join to "balancethe" and "needless", which are not needle words,
while any needle word with separators pushed into it still joins back.

There is no "needle-free" exemption: a sentence that needs one can be
worded without the word.

The same folded words serve the eye rule: every mention of the eyeball or
eyelid must sit in a keep-off phrase ("never on the eyelid", "clear of the
eyelid"), see `eye_instruction`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import accumulate

# --------------------------------------------------------------------------
# Folding

# Letters that are drawn like a Latin letter, both cases where they differ.
# Kept explicit (and tested) rather than pulling in a confusables package:
# only letters that can spell a banned word matter here.
_LOOK_ALIKES = {
    # Cyrillic
    "А": "a", "а": "a", "В": "b", "в": "b", "Ь": "b", "ь": "b", "С": "c", "с": "c",
    "Ԁ": "d", "ԁ": "d", "Е": "e", "е": "e", "Ԍ": "g", "ԍ": "g", "Н": "h", "н": "h",
    "Һ": "h", "һ": "h", "І": "i", "і": "i", "Ј": "j", "ј": "j", "К": "k", "к": "k",
    "Ӏ": "l", "ӏ": "l", "М": "m", "м": "m", "П": "n", "п": "n", "О": "o", "о": "o",
    "Р": "p", "р": "p", "Ԛ": "q", "ԛ": "q", "Г": "r", "г": "r", "Ѕ": "s", "ѕ": "s",
    "Т": "t", "т": "t", "Ѵ": "v", "ѵ": "v", "Ԝ": "w", "ԝ": "w", "Х": "x", "х": "x",
    "У": "y", "у": "y", "Ү": "y", "ү": "y",
    # Greek (capitals map by their shape, which is not their lowercase's shape)
    "Α": "a", "α": "a", "Β": "b", "β": "b", "Ϲ": "c", "ϲ": "c", "Ε": "e", "ε": "e",
    "Η": "h", "η": "n", "Ι": "i", "ι": "i", "Ϳ": "j", "ϳ": "j", "Κ": "k", "κ": "k",
    "Μ": "m", "μ": "u", "Ν": "n", "ν": "v", "Ο": "o", "ο": "o", "σ": "o", "Ρ": "p",
    "ρ": "p", "Τ": "t", "τ": "t", "Υ": "y", "υ": "u", "Χ": "x", "χ": "x", "γ": "y",
    "ω": "w", "Ζ": "z",
    # Armenian
    "օ": "o", "ս": "u", "ո": "n", "հ": "h", "ց": "g", "զ": "q",
    # Latin letters with a bar or without a dot, and small capitals
    "ı": "i", "ɩ": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ø": "o", "Ø": "o", "đ": "d",
    "Đ": "d", "ł": "l", "Ł": "l", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t", "ƀ": "b",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r",
    "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
}
# Letter-like symbols with no decomposition: regional indicators and the
# negative circled and squared capitals, each A to Z in a row.
for _start in (0x1F1E6, 0x1F150, 0x1F170):
    for _i in range(26):
        _LOOK_ALIKES[chr(_start + _i)] = chr(ord("a") + _i)

# Letters (category Lo) that draw nothing.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


class _FoldTable(dict):
    """A `str.translate` table filled on first use of each code point."""

    def __missing__(self, code: int) -> str:
        if chr(code) in _LOOK_ALIKES:  # before NFKD, which turns "ϲ" into a final sigma
            self[code] = text = _LOOK_ALIKES[chr(code)]
            return text
        out = []
        for ch in unicodedata.normalize("NFKD", chr(code)):
            cat = unicodedata.category(ch)
            if cat == "Cf" or cat == "Lm" or cat[0] == "M" or ch in _BLANK_LETTERS:
                continue
            out.append(_LOOK_ALIKES.get(ch, ch))
        self[code] = text = "".join(out)
        return text


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """The canonical form the checks read: no invisibles or marks, look-alikes mapped,
    casefolded."""
    if text.isascii():
        return text.lower()
    # Casefolding can make new characters ("İ" -> "i" + a dot mark): fold again after it.
    return text.translate(_FOLD).casefold().translate(_FOLD)


_TOKEN = re.compile(r"[^\W\d_]+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# Separators that do not end a clause: spaces, tabs, hyphens, apostrophes, digits.
_SOFT_SEPARATOR = re.compile(r"[\s\d'\u2018\u2019`\-\u2010\u2011]*")


def squeeze(folded: str) -> str:
    """Folded text with everything but letters taken out.

    It is the words run together, so every word or run of words the checks
    look for is a substring of it: text whose squeezed form holds no banned
    stem needs no closer reading, and a stem found in it shows where to look.
    """
    return _NOT_LETTERS.sub("", folded)


class _Words:
    """The words of folded text, located both in it and in its squeezed form."""

    def __init__(self, folded: str, squeezed: str):
        self.folded, self.squeezed = folded, squeezed
        self.spans = [m.span() for m in _TOKEN.finditer(folded)]
        self.words = [folded[a:b] for a, b in self.spans]
        self.ends = list(accumulate(map(len, self.words)))  # word ends in the squeezed form

    def at(self, offset: int) -> int:
        """The index of the word holding this offset of the squeezed form."""
        return bisect_right(self.ends, offset)

    def start(self, k: int) -> int:
        return self.ends[k] - len(self.words[k])

    def run_ends(self, start: int, low: int, high: int):
        """(end, stop) of each run of two or more whole words from squeezed offset `start`
        that ends at an offset in [low, high]; stop is the index after its last word."""
        if start < 0 or start >= len(self.squeezed):
            return
        i = self.at(start)
        if self.start(i) != start:
            return
        j = max(i + 1, bisect_left(self.ends, low))
        while j < len(self.ends) and self.ends[j] <= high:
            yield self.ends[j], j + 1
            j += 1

    def break_before(self, i: int) -> bool:
        """Does punctuation (a clause break) stand between word i-1 and word i?"""
        gap = self.folded[self.spans[i - 1][1]:self.spans[i][0]]
        return not _SOFT_SEPARATOR.fullmatch(gap)


def tokens(folded: str) -> list[tuple[str, bool]]:
    """Letter-only words of folded text, each with: does a clause break come before it?"""
    w = _Words(folded, squeeze(folded))
    return [(word, i > 0 and w.break_before(i)) for i, word in enumerate(w.words)]


# --------------------------------------------------------------------------
# Needle words (SPEC §5)

# (squeezed stem, how to show it): banned anywhere inside a single word, and
# the place to look for a needle word split over several words.
NEEDLE_STEMS = (
    ("microneedl", "microneedl"), ("pressneedl", "press needl"), ("presstack", "press tack"),
    ("dermalroll", "dermal roll"), ("dermaroll", "derma roll"), ("dermapen", "derma pen"),
    ("dermastamp", "derma stamp"), ("acupunct", "acupunct"), ("lancet", "lancet"),
    ("needl", "needl"),
)
# Every place a stem starts (no stem is a prefix of another, so one per place).
_STEM_AT = re.compile("(?=(" + "|".join(stem for stem, _ in NEEDLE_STEMS) + "))")
# Whole needle words, matched against words joined across separators.
_NEEDLE_FORM = re.compile(
    r"(?:micro|press)?needl(?:e|es|ing|ings)|acupunct(?:ure|ures|urist|urists)|lancets?"
    r"|dermal?roll(?:er|ers|ing)|dermapens?|dermastamp(?:s|ing)?|presstacks?")
# Ordinary words that hold a stem and name no needle (whole words only).
_NOT_NEEDLE_WORDS = frozenset({"needless", "needlessly", "needlessness"})


def _show(word: str) -> str:
    if len(word) > 40:
        return next(shown for stem, shown in NEEDLE_STEMS if stem in word) + "..."
    for stem, shown in NEEDLE_STEMS:
        if stem in word:
            return word.replace(stem, shown, 1)
    return word


def needle_word(text: str) -> str | None:
    """The needle word `text` mentions, however disguised, shown plainly; None if there is none."""
    folded = fold(text)
    squeezed = squeeze(folded)
    hits = [(m.start(), m.group(1)) for m in _STEM_AT.finditer(squeezed)]
    if not hits:
        return None
    words = _Words(folded, squeezed)
    for offset, stem in hits:
        # A run of whole words spelling a needle word starts at the stem or 5
        # letters ("micro", "press") before it, and ends at most 6 letters
        # ("urists") after it. Runs first, so that "press needle" is named as
        # such and not as "needle".
        for start in (offset, offset - 5):
            for end, _ in words.run_ends(start, offset + len(stem), offset + len(stem) + 6):
                if _NEEDLE_FORM.fullmatch(squeezed, start, end):
                    return _show(squeezed[start:end])
        k = words.at(offset)
        word = words.words[k]
        if offset + len(stem) <= words.ends[k] and word not in _NOT_NEEDLE_WORDS:
            return _show(word)
    return None


# --------------------------------------------------------------------------
# Eyeball and eyelid

# Every mention of the eyeball or eyelid must say to keep off it. A mention is
# accepted only when its clause (the words since the last punctuation mark)
# ends in a keep-off phrase made of these classes, e.g. "never press on the
# eyelid", "clear of the eyelid", "avoid the eyeball or the eyelid". Any other
# word in between, a clause break, or a second negation earlier in the same
# stretch ("no need to avoid the eyelid"), and the mention is refused: the
# rule errs on the side of refusing, so "close your eyelids" is refused too.
_WORD_CLASSES = {
    "N": "never not no avoid avoids avoiding without cannot neither nothing none nowhere",
    "F": "off outside",                  # "stay off the eyelid"
    "G": "clear away",                   # needs of/from: "clear of", "away from"
    "O": "of from",
    "P": "on onto upon over across along into in against to toward towards near at around "
         "under above below beneath by up down with",
    "V": "press presses pressing pressed push pushes pushing pushed rub rubs rubbing roll "
         "rolls rolling stroke strokes stroking massage massages massaging touch touches "
         "touching tap taps tapping pull pulls pulling drag drags dragging glide glides "
         "gliding go goes going work working put place placing rest resting use using apply "
         "applying let pressure",
    "D": "the a an your their his her its my this that these those either any both each "
         "upper lower closed shut open delicate thin soft directly ever even gently lightly "
         "softly firmly hard too right so much really all it them tool roller stone finger "
         "fingers fingertip fingertips thumb thumbs edge end area skin own eye eyes",
    "J": "or and nor",
}
_CLASS = {word: cls for cls, words in _WORD_CLASSES.items() for word in words.split()}
# The keep-off phrase right before a target (T), read on the word classes.
_KEEP_OFF = re.compile(r"(?:N[DVPO]*|FO?D*|GOD*)(?:TJ[DPO]*)*\Z")
_NEGATION = re.compile(r"[NFG]")
_EYE_AT = re.compile(r"(?=eye(lid|ball))")
_EYE_FORM = re.compile(r"eye(lid|ball)s?")
_CLAUSE_WINDOW = 16  # words; a keep-off phrase further back than this is not trusted


def _word_class(words: list[str], i: int) -> str:
    w = words[i]
    if w == "t" and i and words[i - 1].endswith("n"):  # don't, won't, can't
        return "N"
    return _CLASS.get(w, "X")


def eye_instruction(text: str) -> str | None:
    """"eyelid" or "eyeball" when `text` mentions one without saying to keep off it."""
    folded = fold(text)
    squeezed = squeeze(folded)
    hits = [(m.start(), "eye" + m.group(1)) for m in _EYE_AT.finditer(squeezed)]
    if not hits:
        return None
    words = _Words(folded, squeezed)
    # A mention is inside one word ("eyelids") or a run of whole words ("eye lid").
    targets: dict[int, tuple[int, str]] = {}  # first word -> (stop, which)
    for offset, which in hits:
        k = words.at(offset)
        if offset + len(which) <= words.ends[k]:
            targets[k] = (k + 1, which)
        else:  # shortest run first: "eye lid" before "eye lid s"
            stop = next((stop for end, stop in words.run_ends(offset, offset + len(which),
                                                               offset + len(which) + 1)
                         if _EYE_FORM.fullmatch(squeezed, offset, end)), None)
            if stop is not None:
                targets[k] = (stop, which)
    inside = {i: k for k, (stop, _) in targets.items() for i in range(k, stop)}
    for k in sorted(targets):
        clause = _clause_before(words, k, inside)
        m = _KEEP_OFF.search(clause)
        # "no need to avoid the eyelid": a second negation in the same part of
        # the clause (since the last mention) undoes the first
        if m is None or _NEGATION.search(clause, clause.rfind("T", 0, m.start()) + 1, m.start()):
            return targets[k][1]
    return None


def _clause_before(words: _Words, k: int, inside: dict[int, int]) -> str:
    """The word classes from the clause start (or the window) up to word k; "T" per mention."""
    symbols: list[str] = []
    i = k
    while len(symbols) < _CLAUSE_WINDOW and i > 0 and not words.break_before(i):
        i -= 1
        if i in inside:
            symbols.append("T")
            i = inside[i]
        else:
            symbols.append(_word_class(words.words, i))
    return "".join(reversed(symbols))
