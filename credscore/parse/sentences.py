"""An in-house sentence splitter with a domain abbreviation list.

It returns character spans, so sentences always index the text they came from. A candidate
boundary is sentence-final punctuation (with closing quotes and a citation number such as
``mass.1``) followed by whitespace and a capital, digit, quote or bullet. The candidate is
rejected when the word before the period is a known abbreviation ("Dr.", "et al.", "e.g.", "U.S.",
"Fig.", journal abbreviations such as "J. Bone Miner. Res."), a list marker ("1."), or a personal
initial ("Fred H. Gage"). A lone capital after a lower-case word ("vitamin D. Supplements") or
after a word that labels a series ("Medicare Part D. Eisai's") ends a sentence.

Some abbreviations also end a sentence that ends on them ("in the U.S.", "Eisai Inc.", "at 9
a.m.", "Smith et al."): after one, the candidate is a boundary when the next word cannot go on a
name or a title (a closed-class word that opens sentences: "The", "It", "In", "However" ...; an
opening quote), or is a possessive ("Lilly's"), which does not follow "U.S." in a name either. A
name goes on: "the U.S. Food and Drug Administration", "Eisai Inc. and Biogen", "at 9 a.m.
Eastern time", "the U.S. Army's", "the U.S. FDA's", "Martin Luther King Jr. Day's".
"""

from __future__ import annotations

import re

ABBREVIATIONS: frozenset[str] = frozenset(
    """
    dr drs mr mrs ms mx prof sr jr st mt rev hon gen col capt lt sgt gov sen rep pres al etc vs
    cf ca approx eq eqs vol vols ed eds ch sec dept univ inc ltd co corp est jan feb
    mar apr jun jul aug sep sept oct nov dec j engl natl acad sci proc med res biol chem clin
    int rev epidemiol miner physiol pharmacol immunol endocrinol metab neurosci psychol
    nutr surg oncol cardiol pediatr assoc soc phys ann curr opin lett trans
    rep gastroenterol rheumatol orthop dermatol
    """.split()  # noqa: SIM905 - a word list is easier to edit as text
)
# Journal abbreviations that are words, or names, in lower case too ("the cells it can infect.
# Without", "who I am. The", "a fallen arch. The"): an abbreviation only when capitalised ("Br.
# J. Sports Med.", "Clin. Infect. Dis.", "J. Am. Geriatr. Soc.", "Arch. Intern. Med.").
CAPITALISED_ABBREVIATIONS: frozenset[str] = frozenset({
    "br", "nat", "prev", "geriatr", "exerc", "neurol", "infect", "dis", "obstet", "gynecol",
    "urol", "hematol", "nephrol", "radiol", "ophthalmol", "am", "arch", "bull", "intern",
    # ... and places: "Ft. Lauderdale" (in lower case, "10 ft. The" ends a sentence)
    "ft",
})
# Abbreviations only when a number follows: "No. 5", "p. 12", "pp. 3-9", "Fig. 2" (not "ate a
# fig. Then").
NUMBER_ABBREVIATIONS: frozenset[str] = frozenset({"no", "nos", "p", "pp", "op", "fig", "figs"})
# A journal's last word, written in full, before its year or the rest of its citation ("J Clin
# Psychiatry. 2009;70", "(JAMA Psychiatry. Published online ..."): capitalised, it ends a sentence
# as the abbreviations below do ("the Archives of General Psychiatry. To investigate ..."); in
# lower case it is a word that ends one ("a professor of psychiatry. Her team").
JOURNAL_WORDS: frozenset[str] = frozenset({"psychiatry"})
# "e.g.", "i.e.", "U.S.", "a.m.": letters joined by periods.
_DOTTED = re.compile(r"^(?:[a-z]\.)+[a-z]$")
# Abbreviations that can end a sentence, and so end one when the next word cannot go on after
# them (see _ends_after_abbreviation); "al" is "et al.". Letters joined by periods ("U.S.",
# "D.C.", "a.m.", "M.D.") are such abbreviations too, but those that always lead into more text.
TERMINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    {"inc", "co", "corp", "ltd", "llc", "etc", "al", "jr", "sr"})
LEADING_DOTTED: frozenset[str] = frozenset({"e.g", "i.e", "a.k.a", "n.b", "p.s"})
# Words that open a sentence and do not go on a name or a title after "U.S." or "Inc.": closed-
# class words (articles, pronouns, prepositions, conjunctions, quantifiers, sentence adverbs).
SENTENCE_STARTERS: frozenset[str] = frozenset(
    """
    A An The This That These Those It Its He She They We I You His Her Their Our My Your There
    Here In On At For From By With Without To Of Over Under After Before During Since Until Among
    Between Through About Against Across Into Within But And Or So Yet Nor Still Also However
    Meanwhile Moreover Furthermore Further Instead Overall Thus Therefore Then Now Many Most Some
    Such Each Every All Both Neither Either Few Several Other Others Another One No None More Less
    Only Just Even Not When While If Although Though Because As Once Unless Whether What Why How
    Who Whom Whose Where Which According Despite
    """.split()  # noqa: SIM905 - a word list is easier to edit as text
)
# Words that open sentences and are surnames too: after a personal initial they go on the name.
SURNAME_STARTERS: frozenset[str] = frozenset({"Still", "Most", "So", "Even", "More", "Just", "Such"})
# A capital after one of these words is a label, not a personal initial ("Medicare Part D.",
# "Vitamin D.", "Hepatitis C.", "Phase B."), and ends a sentence that ends on it.
SERIES_WORDS: frozenset[str] = frozenset(
    """
    part vitamin hepatitis plan type phase group schedule appendix figure table stage grade class
    level category section title unit cohort arm model option form exhibit annex chapter step tier
    """.split()  # noqa: SIM905 - a word list is easier to edit as text
)
# What a possessive after "U.S." or "U.K." names when the country's name goes on: "the U.S.
# Army's", "the U.K. Government's" (not a new sentence, as "the U.S. Lilly's" is).
NATIONAL_BODIES: frozenset[str] = frozenset(
    """
    army navy military marines government senate congress house treasury administration embassy
    parliament mint president surgeon secretary department attorney ambassador
    """.split()  # noqa: SIM905 - a word list is easier to edit as text
)
# The word after a candidate period: an opening double quote, then letters. Linear: the classes
# do not overlap, and a match reads only the run of space and letters after one period.
_NEXT_WORD = re.compile(r"\s*(\"?)([A-Za-z]+)")
_TITLE_WORD = re.compile(r"\s+[A-Z][a-z]")
# A nickname in quotes between an initial and a surname: ' "Bill" Frist'.
_NICKNAME = re.compile(r"\s*\"[A-Z][a-z]+\"\s+[A-Z]")
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
# Which of the lists above a word is in, found with one look-up for every candidate period (a
# word abbreviation that can end a sentence is read as one, not as one that cannot).
_ABBREVIATION, _TERMINAL, _CAPITALISED, _NUMBER, _JOURNAL = range(5)
_KINDS: dict[str, int] = {
    **dict.fromkeys(ABBREVIATIONS, _ABBREVIATION), **dict.fromkeys(TERMINAL_ABBREVIATIONS, _TERMINAL),
    **dict.fromkeys(CAPITALISED_ABBREVIATIONS, _CAPITALISED),
    **dict.fromkeys(NUMBER_ABBREVIATIONS, _NUMBER), **dict.fromkeys(JOURNAL_WORDS, _JOURNAL),
}
# A year that ends a sentence with a note's number glued on, before a word that opens the next:
# "rose 42% in 2021.4 Researchers" (not "averaged 2014.6 (SD 512.3)", "$1999.99 (US)").
_YEAR_NOTE = re.compile(r"(?<![\d$\u20ac\u00a3.,])(?:19|20)\d\d\.\d{1,2}\s+[A-Z][a-z]")
_NEXT_IS_DIGIT = re.compile(r"\s*\d")
# ... and after "Fig." a supplement's figure: "Fig. S1", "Figs. A2" (not "is no. A1C levels").
_NEXT_IS_FIGURE = re.compile(r"\s*[A-Z]?\d")
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


def _is_boundary(text: str, punct: str, punct_start: int, block_start: int,
                 next_start: int, end: int) -> bool:
    """Whether the period at ``punct_start`` ends a sentence; the text after it (closing quotes
    and all) resumes at ``next_start``, and ``end`` bounds what may be read."""
    if punct != ".":
        return True  # "!", "?" and an ellipsis end a sentence when a capital follows
    if (punct_start > block_start and punct_start + 1 < end and text[punct_start - 1].isdigit()
            and text[punct_start + 1].isdigit() and not _YEAR_NOTE.match(text, punct_start - 4)):
        return False  # a decimal point or a thousands point: "0.85 (95% CI", "38.5 C", "2.000"
    token_start = _word_before(text, punct_start, block_start)
    if token_start == punct_start:
        return True
    written = text[token_start:punct_start].lstrip("\"'([")
    token = written.lower()
    if not token:
        return True
    kind = _KINDS.get(token)
    if kind is None:
        if "." in token:
            if _DOTTED.match(token) is None:
                return True
            if token in LEADING_DOTTED:
                return False
            return _ends_after_abbreviation(text, written, token_start, block_start, next_start,
                                            end)
    elif kind == _ABBREVIATION:
        return False
    elif kind == _TERMINAL or (kind == _JOURNAL and written[0].isupper()):
        return _ends_after_abbreviation(text, written, token_start, block_start, next_start, end)
    elif ((kind == _CAPITALISED and written[0].isupper())
          or (kind == _NUMBER and (_NEXT_IS_FIGURE if token in ("fig", "figs")
                                   else _NEXT_IS_DIGIT).match(text, punct_start + 1))):
        return False
    if token.isdigit() and _space_before(text, token_start, block_start) == block_start:
        return False  # "1. Bajayo ..." list marker at the start of a block
    if len(token) == 1 and token.isalpha():
        return _initial_ends_sentence(text, token_start, block_start, next_start, end)
    return True


def _starter_after(text: str, next_start: int, end: int) -> tuple[bool, bool, int, str | None]:
    """The next word's shape: whether it opens with a double quote or is a word that opens a
    sentence (not before a period, as in "No. 1"; a one-letter word, "A" or "I", only before a
    space or an apostrophe: "A." and "A," are initials), whether it is a possessive ("Lilly's",
    "Researchers'"), where it ends, and the word (None: no word follows)."""
    m = _NEXT_WORD.match(text, next_start, end)
    if m is None:
        return False, False, next_start, None
    after = m.end()
    follow = text[after] if after < end else " "
    word = m.group(2)
    starts = bool(m.group(1)) or (
        word in SENTENCE_STARTERS
        and (follow.isspace() or follow == "'" or (len(word) > 1 and follow != ".")))
    return starts, follow == "'", after, word


def _ends_after_abbreviation(text: str, written: str, token_start: int, block_start: int,
                             next_start: int, end: int) -> bool:
    """After an abbreviation that can end a sentence: a boundary when the next word opens a
    sentence, or is a possessive after "the" country in capitals that is not named by one of its
    bodies or an agency in capitals ("the U.S. Lilly's", not "the U.S. Army's", "the U.S. FDA's",
    "M.D. Anderson's" or "J.C. Penney's"); after a word abbreviation or a time, a possessive goes
    on a name ("Martin Luther King Jr. Day's", "Moderna Inc. CEO's"). After "et al." a title
    in capitals follows the authors ("Smith et al. The Lancet"), so there a word that opens a
    sentence must be followed by one that is not."""
    starts, possessive, after, word = _starter_after(text, next_start, end)
    if starts:
        return written != "al" or _TITLE_WORD.match(text, after, end) is None
    if not possessive or "." not in written or written[0].islower():
        return False  # after "Inc.", "Jr." or "a.m." a possessive goes on a name: "Jr. Day's"
    prev_end = _space_before(text, token_start, block_start)
    if text[_word_before(text, prev_end, block_start):prev_end] not in ("the", "The"):
        return False
    # ... and after "the U.S." an agency's or an office's ("the U.S. FDA's", "the U.S.
    # President's Emergency Plan") or a body's ("the U.S. Army's") goes on the country's name
    return word is not None and not word.isupper() and word.lower() not in NATIONAL_BODIES


def _initial_ends_sentence(text: str, token_start: int, block_start: int, next_start: int,
                           end: int) -> bool:
    """A single capital is a personal initial unless the word before it is lower-case or labels
    a series ("Part D.", "Vitamin K."), or the next word opens a sentence ("the Big C. It was
    ..."): not a nickname in quotes ('William H. "Bill" Frist') nor a word that is a surname too
    ("Dr. Mary E. Most", "Thomas More")."""
    prev_end = _space_before(text, token_start, block_start)
    if prev_end == block_start:
        return False
    prev = text[_word_before(text, prev_end, block_start):prev_end].strip("\"'(,;:")
    if not prev:
        return False
    if prev[0].islower() or prev.lower() in SERIES_WORDS:
        return True
    if _NICKNAME.match(text, next_start, end) is not None:
        return False  # 'William H. "Bill" Frist'
    starts, _, _, word = _starter_after(text, next_start, end)
    return starts and word not in SURNAME_STARTERS


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
        stop = m.end()
        if m.group(1) == "." and not _is_boundary(text, ".", m.start(), cursor, stop, end):
            continue
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
