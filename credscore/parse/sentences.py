"""An in-house sentence splitter with a domain abbreviation list.

It returns character spans, so sentences always index the text they came from. A candidate
boundary is sentence-final punctuation (with closing quotes and a citation number such as
``mass.1``) followed by whitespace and a capital, digit, quote or bullet. The candidate is
rejected when the word before the period is a known abbreviation ("Dr.", "et al.", "e.g.", "U.S.",
"Fig.", journal abbreviations such as "J. Bone Miner. Res."), a list marker ("1."), or a personal
initial ("Fred H. Gage"). A lone capital after a lower-case word ("vitamin D. Supplements") ends a
sentence.
"""

from __future__ import annotations

import re

ABBREVIATIONS: frozenset[str] = frozenset(
    """
    dr drs mr mrs ms mx prof sr jr st mt rev hon gen col capt lt sgt gov sen rep pres al etc vs
    cf ca approx fig figs eq eqs vol vols ed eds ch sec dept univ inc ltd co corp est jan feb
    mar apr jun jul aug sep sept oct nov dec j am engl natl acad sci proc med res biol chem clin
    int rev epidemiol miner physiol pharmacol immunol endocrinol metab neurosci psychol
    psychiatry nutr surg oncol cardiol pediatr assoc soc phys ann arch curr opin lett trans bull
    rep gastroenterol rheumatol orthop dermatol
    """.split()  # noqa: SIM905 - a word list is easier to edit as text
)
# Journal abbreviations that are words, or names, in lower case too ("the cells it can infect.
# Without"): an abbreviation only when capitalised ("Br. J. Sports Med.", "Clin. Infect. Dis.").
CAPITALISED_ABBREVIATIONS: frozenset[str] = frozenset({
    "br", "nat", "prev", "geriatr", "exerc", "neurol", "infect", "dis", "obstet", "gynecol",
    "urol", "hematol", "nephrol", "radiol", "ophthalmol",
})
# Abbreviations only when a number follows: "No. 5", "p. 12", "pp. 3-9".
NUMBER_ABBREVIATIONS: frozenset[str] = frozenset({"no", "nos", "p", "pp", "op"})
# "e.g.", "i.e.", "U.S.", "a.m.": letters joined by periods.
_DOTTED = re.compile(r"^(?:[a-z]\.)+[a-z]$")
# The punctuation is read as a whole run, once (the look-behind and the possessive '*+'): a
# search that started inside a run of thousands of '.' or '!' and gave characters back one at a
# time took time quadratic in the run. The pattern opens with the mark itself, not the
# look-behind, so that ``re`` skips to the next '.', '!' or '?' instead of trying every position.
_CANDIDATE = re.compile(
    r"""([.!?](?<![.!?]{2})[.!?]*+)  # sentence-final punctuation, the whole run
        ["')\]]*                   # closing quotes or brackets
        (?:\d{1,3}(?:[,-]\d{1,3})*(?=\s))?   # a citation number glued to the period: "mass.1"
        (?=\s+(?:[\u2022*\-]\s|["'(\[]?[A-Z0-9]))  # a capital, a digit or a bullet follows
    """,
    re.VERBOSE,
)
_NEXT_IS_DIGIT = re.compile(r"\s*\d")
MAX_SENTENCE_CHARS = 1000
_SHORT_WORD = 64  # how far back a word's start is looked for with one search


def _word_before(text: str, end: int, floor: int) -> int:
    """Where the run of non-space characters ending at ``end`` starts (not before ``floor``).
    Scans back only over that run (or a few characters more), so a text of many candidates
    stays linear. Most words are short and follow a plain space, which ``rfind`` finds at once;
    when no other whitespace (which ``isprintable`` tells) comes after it, the word starts
    there."""
    lo = max(floor, end - _SHORT_WORD)
    start = text.rfind(" ", lo, end) + 1
    if (start or lo == floor) and text[max(start, lo) : end].isprintable():
        return max(start, lo)
    i = end
    while i > floor and not text[i - 1].isspace():
        i -= 1
    return i


def _space_before(text: str, end: int, floor: int) -> int:
    """Where the run of whitespace ending at ``end`` starts (not before ``floor``)."""
    i = end
    while i > floor and text[i - 1].isspace():
        i -= 1
    return i


def _is_boundary(text: str, punct: str, punct_start: int, block_start: int) -> bool:
    if punct != ".":
        return True  # "!", "?" and an ellipsis end a sentence when a capital follows
    token_start = _word_before(text, punct_start, block_start)
    if token_start == punct_start:
        return True
    written = text[token_start:punct_start].lstrip("\"'([")
    token = written.lower()
    if not token:
        return True
    if token in ABBREVIATIONS or ("." in token and _DOTTED.match(token)):
        return False
    if token in CAPITALISED_ABBREVIATIONS and written[0].isupper():
        return False
    if token in NUMBER_ABBREVIATIONS and _NEXT_IS_DIGIT.match(text, punct_start + 1):
        return False
    if token.isdigit() and _space_before(text, token_start, block_start) == block_start:
        return False  # "1. Bajayo ..." list marker at the start of a block
    if len(token) == 1 and token.isalpha():
        return _initial_ends_sentence(text, token_start, block_start)
    return True


def _initial_ends_sentence(text: str, token_start: int, block_start: int) -> bool:
    """A single capital is a personal initial unless the word before it is lower-case."""
    prev_end = _space_before(text, token_start, block_start)
    if prev_end == block_start:
        return False
    prev = text[_word_before(text, prev_end, block_start):prev_end].strip("\"'(,;:")
    return bool(prev) and prev[0].islower()


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, stripped of surrounding whitespace.

    The spans are in order, never overlap, and together cover every non-space character.
    """
    starts: list[int] = []
    ends: list[int] = []
    sentence_bounds(text, start, len(text) if end is None else end, starts, ends)
    return list(zip(starts, ends, strict=True))


def sentence_bounds(text: str, start: int, end: int, starts: list[int], ends: list[int]) -> None:
    """What :func:`split_sentences` finds in ``text[start:end]``, its starts and ends appended
    to ``starts`` and ``ends``: the parser keeps a document's sentences as those two lists, and
    a pair per sentence was made only to be taken apart again."""
    cursor = start
    for m in _CANDIDATE.finditer(text, start, end):
        if m.group(1) == "." and not _is_boundary(text, ".", m.start(), cursor):
            continue
        stop = m.end()
        # What _push does, inline for the usual sentence: short, after a space, and ending in
        # the punctuation (never in a space).
        lo = cursor
        while lo < stop and text[lo].isspace():
            lo += 1
        if stop - lo <= MAX_SENTENCE_CHARS:
            hi = stop
            while hi > lo and text[hi - 1].isspace():
                hi -= 1
            if lo < hi:
                starts.append(lo)
                ends.append(hi)
        else:
            _push(text, lo, stop, starts, ends)
        cursor = stop
    _push(text, cursor, end, starts, ends)


def _push(text: str, start: int, end: int, starts: list[int], ends: list[int]) -> None:
    while True:
        while start < end and text[start].isspace():
            start += 1
        cut = end
        if cut - start > MAX_SENTENCE_CHARS:
            cut = _cut_point(text, start, start + MAX_SENTENCE_CHARS)
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if start < stop:
            starts.append(start)
            ends.append(stop)
        if cut >= end:
            return
        start = cut


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where an over-long sentence is cut: after the last space before ``limit`` in its second
    half, else at ``limit`` itself (a run of that many characters without a space)."""
    space = max(text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit),
                text.rfind("\n", start + MAX_SENTENCE_CHARS // 2, limit))
    return space + 1 if space > 0 else limit
