"""Quote detection: direct quotations attributed to someone."""

from __future__ import annotations

import re

MIN_QUOTE_WORDS = 4
# The look-ahead (every word below starts with a letter) lets ``re`` skip the positions where
# none starts; without it, each position of the block tried the whole alternation.
_ATTRIBUTION_TEXT = (
    r"\b(?=[a-z])(?:said|says|say|saying|explain(?:s|ed)?|not(?:es|ed)|add(?:s|ed)|told|tells|"
    r"report(?:s|ed)|according to|stat(?:es|ed)|comment(?:s|ed)|wr(?:ote|ites)|"
    r"conclud(?:es|ed)|believes|argu(?:es|ed)|warn(?:s|ed)|recall(?:s|ed)|asked)\b"
)
_ATTRIBUTION = re.compile(_ATTRIBUTION_TEXT, re.IGNORECASE)
# The same words in the text lower-cased by :func:`~credscore.patterns.caseless`: matching
# without folding case runs several times faster and finds the same.
_ATTRIBUTION_LOWERED = re.compile(_ATTRIBUTION_TEXT)
# How those words begin, the commonest first: every match of the pattern starts with one of
# these. Found by plain string search, they leave the pattern to be tried only where one of its
# words may start; tried at every position of a block, it took half the time of finding
# quotations.
_ATTRIBUTION_STEMS = ("said", "say", "according to", "told", "tells", "note", "add", "explain",
                      "report", "state", "comment", "wrote", "writes", "conclud", "believes",
                      "argue", "warn", "recall", "asked")


def is_attributed(text: str, start: int, end: int, lowered: str | None = None) -> bool:
    """Whether ``text[start:end]`` holds a word of attribution ("said", "according to");
    ``lowered`` is ``caseless(text)`` when the caller has it."""
    if lowered is not None:
        return _attribution_at_stem(lowered, start, end)
    return _ATTRIBUTION.search(text, start, end) is not None


def _attribution_at_stem(lowered: str, start: int, end: int) -> bool:
    """``_ATTRIBUTION_LOWERED.search(lowered, start, end) is not None``, with the pattern tried
    only where one of its words begins (a match starts with a stem, and the pattern tried there
    sees the same text, the character before included, as the search does)."""
    match = _ATTRIBUTION_LOWERED.match
    for stem in _ATTRIBUTION_STEMS:
        at = lowered.find(stem, start, end)
        while at >= 0:
            if match(lowered, at, end):
                return True
            at = lowered.find(stem, at + 1, end)
    return False


def speaks(text: str) -> bool:
    """Whether ``text`` has someone speak: a lower-case word of attribution ("said",
    "according to", "concluded"); capitalised, "Reports" is more often a journal's name."""
    return _ATTRIBUTION_LOWERED.search(text) is not None


def quote_spans(text: str, start: int, end: int, lowered: str | None = None,
                continued: bool = False, runs_on: bool = False,
                ) -> tuple[list[tuple[int, int]], str | None]:
    """Spans of attributed quotations in ``text[start:end]`` (one block), and the mark of the
    one the block ends inside (None when it ends outside every one it counts); ``lowered`` is
    ``caseless(text)`` when the caller has it. ``continued``: the block goes on with a quotation
    the block before it left open (it opens with that one's mark: news style's way of running
    one speaker over several paragraphs, closing only the last), attributed there. ``runs_on``:
    the next paragraph opens with a single mark, so one left open here goes on there (see
    :func:`quotation_marks`)."""
    if text.find("'", start, end) < 0 and text.find('"', start, end) < 0:
        return [], None
    if not (continued or is_attributed(text, start, end, lowered)):
        return [], None
    marks, left_open = quotation_marks(text, start, end, runs_on)
    spans = [(s, e + 1 if e < end else e) for s, e in marks
             if len(text[s:e].split(maxsplit=MIN_QUOTE_WORDS - 1)) >= MIN_QUOTE_WORDS]
    return spans, left_open if spans and spans[-1][1] == end else None


# Where a quotation in single marks may open and close, in a block with no double marks
# (British style: 'We were offered a pay cut,' they said.): a mark after a space, a tab, a
# bracket, a dash, a colon or a slash and before a letter opens, unless it starts a shortened
# word ("'til", "'em", "rock 'n' roll", "'Tis") or a possessive split from its name ("Inc.
# 's"), and not before a digit ("the '60s"); a mark after a letter or a stop and not before a
# letter or a digit closes. An apostrophe inside a word (don't, Gabby's) does neither; one
# after a plural (the parents' house) closes a quotation open before it, early, which at worst
# makes it too short to count.
_OPENS_AFTER = frozenset(" \t\n([{\u2014\u2013-:/")
_CLOSES_AFTER = frozenset(".,!?;")
_SHORTENED = frozenset({"s", "n", "til", "em", "tis", "twas", "twere", "cause", "cos", "coz",
                        "bout", "round", "nuff", "burbs", "fraid", "kay", "ere", "ol", "ave"})


def _opens_single(text: str, i: int, start: int, end: int) -> bool:
    """Whether the single mark at ``i`` opens a quotation (see ``_OPENS_AFTER``)."""
    if not (i == start or text[i - 1] in _OPENS_AFTER):
        return False
    j = i + 1
    while j < end and text[j].isalpha():
        j += 1
    return j > i + 1 and text[i + 1:j].lower() not in _SHORTENED


def quotation_marks(text: str, start: int, end: int,
                    runs_on: bool = False) -> tuple[list[tuple[int, int]], str | None]:
    """The quotations of the block ``text[start:end]``, as (opening mark, closing mark) (the
    block's end for one left open), and the mark of the one the block ends inside (None when
    it ends outside any). Double marks pair in turn, the last left open when they are odd in
    number (when odd, a mark right after a digit is an inch mark and is passed over first); in
    a block with none, single marks are read as British news writes them (see
    ``_OPENS_AFTER``), and one left open counts only when the next paragraph goes on with it
    (``runs_on``: it opens with a single mark): an apostrophe that only looked like an opening
    mark finds no close."""
    i = text.find('"', start, end)
    if i >= 0:
        marks: list[int] = []
        while i != -1:
            marks.append(i)
            i = text.find('"', i + 1, end)
        if len(marks) % 2 == 1:
            # Odd: a mark right after a digit is an inch or a second (a 2" incision), not a
            # quotation's; without them the rest may pair.
            marks = [m for m in marks if m == start or not text[m - 1].isdigit()]
        left_open = len(marks) % 2 == 1
        if left_open:
            marks.append(end)
        return list(zip(marks[::2], marks[1::2], strict=True)), '"' if left_open else None
    spans: list[tuple[int, int]] = []
    opened = -1
    i = text.find("'", start, end)
    while i != -1:
        if opened < 0:
            if _opens_single(text, i, start, end):
                opened = i
        elif ((text[i - 1] in _CLOSES_AFTER or text[i - 1].isalpha())
              and not (i + 1 < end and text[i + 1].isalnum())):
            spans.append((opened, i))
            opened = -1
        i = text.find("'", i + 1, end)
    if opened >= 0 and runs_on:
        spans.append((opened, end))
        return spans, "'"
    return spans, None


def opening_mark(text: str, start: int, end: int) -> str | None:
    """The quotation mark the block ``text[start:end]`` opens with ('"' or "'"), None for
    none."""
    while start < end and text[start].isspace():
        start += 1
    if start < end and text[start] == '"':
        return '"'
    if start < end and text[start] == "'" and _opens_single(text, start, start, end):
        return "'"
    return None


def is_whole_quotation(text: str, start: int, end: int) -> bool:
    """Whether the block ``text[start:end]`` is one quotation and nothing else: after a block
    with an attributed quotation, the same speaker's next paragraph, news style's way of going
    on with a speaker without naming them again ('"...," he said.' then '"..."')."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    marks, left_open = quotation_marks(text, start, end)
    return left_open is None and marks == [(start, end - 1)] and end - start > 2


def quoted_sentences(sentences: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[bool]:
    """For each of a block's sentences (in order, not overlapping), whether at least half of it
    lies inside the quotations ``spans`` (in order, not overlapping). One walk over both lists:
    asking per sentence about every quotation of the block was quadratic in its length."""
    out: list[bool] = []
    first = 0
    for start, end in sentences:
        while first < len(spans) and spans[first][1] <= start:
            first += 1  # quotations before this sentence: before every later one too
        inside = 0
        j = first
        while j < len(spans) and spans[j][0] < end:
            inside += max(0, min(end, spans[j][1]) - max(start, spans[j][0]))
            j += 1
        out.append(inside * 2 >= end - start)
    return out


# A transcript's speaker label at the start of a block: a name in capitals, perhaps with a role
# after a comma or in brackets, and a colon ("INSKEEP:", "STEVE INSKEEP, HOST:", "DR. SANJAY
# GUPTA, CNN CHIEF MEDICAL CORRESPONDENT:", "UNIDENTIFIED PERSON #1:", "SMITH (through
# interpreter):", "NÚÑEZ:", "McCONNELL:"), before the turn or alone above it. Its name is the
# words before the role; the last of them is the speaker (with its number: "PERSON #1").
_NAME_WORD = r"(?:Mc|Mac)?[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.-]*"
_SPEAKER = re.compile(
    rf"({_NAME_WORD}(?: (?:{_NAME_WORD}|#\d+)){{0,4}})"
    r"(, [A-Z][A-Z'’.&-]*(?: [A-Z][A-Z'’.&-]*){0,6})?( \([^()]{1,40}\))?:(?: |$)")
# A turn runs on over at most this many paragraphs after the one its label opens.
TURN_RUN_ON = 2
# A transcript has at least this many speakers, one of whom opens this many blocks or more, one
# named in full or with a role ("STEVE INSKEEP, HOST:", "PIEN HUANG:"), and its turns are at
# least this share of its blocks: a story's "MORE: ..." links, a release's "WHAT:" and "WHO:",
# a review's "PROS:" and "CONS:" are labels, not turns.
TRANSCRIPT_SPEAKERS = 2
TRANSCRIPT_TURNS = 2
TRANSCRIPT_SHARE = 1 / 3
# A dateline's state or country after its city, not a speaker's role.
_STATE = re.compile(r", [A-Z]\.?[A-Z]\.?")
_CREDENTIALS = frozenset({"MD", "DO", "RN", "NP", "PA", "DC", "ND", "OD"})
# Labels that head a part of a page, never a speaker (nor a letter's "DEAR DR. ROACH:").
_NOT_SPEAKERS = frozenset({
    "MORE", "VIDEO", "WATCH", "READ", "RELATED", "UPDATE", "UPDATED", "PHOTO", "PHOTOS",
    "LISTEN", "AUDIO", "NOTE", "NOTES", "SOURCE", "SOURCES", "PROS", "CONS", "QUESTION",
    "ANSWER", "INGREDIENTS", "DIRECTIONS", "INSTRUCTIONS", "METHOD", "METHODS", "MYTH", "FACT",
    "FACTS", "CLAIM", "VERDICT", "RATING", "BACKGROUND", "RESULTS", "FINDINGS", "CONCLUSION",
    "CONCLUSIONS", "OBJECTIVE", "OBJECTIVES", "DESIGN", "SETTING", "PARTICIPANTS",
    "INTERVENTIONS", "INTERVENTION", "MEASUREMENTS", "LIMITATIONS", "FUNDING", "SUMMARY",
    "TIP", "TIPS", "WARNING", "CAUTION", "IMPORTANT", "CORRECTION", "CLARIFICATION", "DISCLAIMER",
    "WHAT", "WHO", "WHERE", "WHEN", "WHY", "HOW", "CONTACT", "DATE", "TIME", "LOCATION", "COST",
    "PRICE", "BOTTOM", "LINE", "TAKEAWAY", "ABSTRACT", "INTRODUCTION", "DISCUSSION", "EDITOR'S",
})


def speaker(text: str, start: int, end: int) -> str | None:
    """The speaker who opens the block ``text[start:end]`` with a transcript's label, by the
    last word of the name (at least two letters: "Q:" and "A:" head an explainer's own
    questions and answers as often as an interview's); None for a block with no such label."""
    label = _label(text, start, end)
    return None if label is None else label[0]


def _label(text: str, start: int, end: int) -> tuple[str, bool] | None:
    """The speaker of a block's label and whether the label names them in full or with a role
    (two words of a name or more, a role after a comma or in brackets); None for no label."""
    m = _SPEAKER.match(text, start, end)
    if m is None or (_STATE.fullmatch(m.group(2) or "") is not None
                     and m.group(2)[2:].replace(".", "") not in _CREDENTIALS):
        return None  # a dateline's place ("ATLANTA, GA:") names no speaker; "JANE DOE, MD:" does
    words = m.group(1).split(" ")
    last = " ".join(words[-2:]) if words[-1].startswith("#") else words[-1].strip(".")
    name = last.split(" ")[0]
    if sum(c.isalpha() for c in name) < 2 or name in _NOT_SPEAKERS or words[0] == "DEAR":
        return None
    named = len([w for w in words if not w.startswith("#")]) >= 2 or m.group(2) is not None \
        or m.group(3) is not None
    return last, named


def speaker_turns(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each block (``spans``, in order), whether it is a speaker's turn in a transcript:
    at least TRANSCRIPT_SPEAKERS speakers, one opening TRANSCRIPT_TURNS blocks or more and one
    named in full or with a role, and the labelled blocks at least TRANSCRIPT_SHARE of them. A
    turn is a block a label opens, the block under a label alone on its line, or one of the
    TURN_RUN_ON paragraphs after it before the next label (what follows the last turn is the
    page's). What a speaker says is quoted speech, attributed by its label as a quotation is
    by "said"."""
    labels = [_label(text, lo, hi) for lo, hi in spans]
    counts: dict[str, int] = {}
    for label in labels:
        if label is not None:
            counts[label[0]] = counts.get(label[0], 0) + 1
    if (len(counts) < TRANSCRIPT_SPEAKERS or max(counts.values()) < TRANSCRIPT_TURNS
            or not any(label is not None and label[1] for label in labels)
            or sum(counts.values()) < TRANSCRIPT_SHARE * len(spans)):
        return [False] * len(spans)
    last = max(i for i, label in enumerate(labels) if label is not None)
    turns: list[bool] = []
    opened = -1  # the block of the label that opened the turn going on
    for i, label in enumerate(labels):
        if label is not None:
            opened = i
        alone = i > 0 and labels[i - 1] is not None and text[spans[i - 1][1] - 1] == ":"
        turns.append(opened >= 0 and ((i <= last and i - opened <= TURN_RUN_ON) or alone))
    return turns
