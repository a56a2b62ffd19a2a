"""Plain-text reader: paragraphs and lines into raw blocks."""

from __future__ import annotations

import re

from credscore.parse.blocks import RawBlock
from credscore.parse.normalize import join_wrapped
from credscore.parse.zones import TITLE_WORDS, ends_with_full_stop

_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25cf\u2023\u2043]|\d{1,3}[.)])\s+")
_HYPHEN_END = re.compile(r"[^\W\d_]-\s*$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v\u00a0]*\n")
# A paragraph is hard-wrapped prose when every line but the last is about as long as the longest
# and no longer than a wrapping editor makes them; longer lines are one paragraph each.
WRAP_MIN_LINE = 50
WRAP_MAX_LINE = 120


def _is_wrapped_prose(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    if any(_BULLET.match(line) for line in lines):
        return False
    lengths = [len(line.strip()) for line in lines]
    longest = max(lengths)
    return longest <= WRAP_MAX_LINE and all(
        n >= max(WRAP_MIN_LINE, 0.6 * longest) for n in lengths[:-1]
    )


def _join_hyphenated(lines: list[str]) -> list[str]:
    """A line ending in "peer-" before a lower-case line is one word broken over two lines.
    Each run of such lines is joined once (joining line by line rescanned the growing text)."""
    runs: list[list[str]] = []
    for line in lines:
        if runs and _HYPHEN_END.search(runs[-1][-1]) and line.lstrip()[:1].islower():
            runs[-1].append(line)
        else:
            runs.append([line])
    return [run[0] if len(run) == 1 else join_wrapped(run) for run in runs]


# A headline's marks: a question or an exclamation at its end, or a label of one to five words
# before a colon at its start ("Carbon monoxide warning: ...").
_ENDED = re.compile(r"[?!][\"'\u201d\u2019]?\s*$")
_LABEL = re.compile(r"^\W*(?:\S+\s+){0,4}\S+:\s")
# Words a line of prose wrapped mid-sentence ends with, and a headline does not.
_OPEN_ENDS = frozenset(("a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for",
                        "with", "by", "from", "as", "that", "than", "said", "says", "told"))
# A first line at least this share of the longest of the lines below it (but the last) is one
# more line of a paragraph wrapped to a width, not a headline set over it.
WRAPPED_SHARE = 0.9
_SHOUTED = re.compile(r"[A-Z]{2,}\b")
# The text under a headline: a sentence or more (a headline wrapped over two lines leaves a
# line of a few words, "Treatment" or "U.S.", which is the headline's end).
_BODY_WORDS = 8


def _capitalised(words: list[str]) -> bool:
    """Words set as a title: three in four or more begin with a capital or a digit."""
    return sum(1 for w in words if w[:1].isupper() or w[:1].isdigit()) >= 0.75 * len(words)


def _headline_line(lines: list[str]) -> bool:
    """Whether the first of a text's first paragraph's lines is its headline, set over the
    article with a single line break: a line of headline length that reads as a headline (a
    question or exclamation, a "Label: ..." or a title in capitals) and does not end as a
    sentence does (a full stop) or as wrapped prose does (a word such as "the", "of", "said"),
    and is shorter than the lines of a paragraph wrapped to a width below it.
    Unless it ends with "?" or "!", the text below it must be a sentence or more and not itself
    set as a title: a headline wrapped over two lines leaves a few words ("Treatment"), the
    headline's end. The first line of prose wrapped by an editor breaks mid-sentence, and
    seldom reads as one."""
    if len(lines) < 2:
        return False
    first, second = lines[0].strip(), lines[1].lstrip()
    words = first.split()
    if not TITLE_WORDS[0] <= len(words) <= TITLE_WORDS[1] or ends_with_full_stop(first):
        return False
    if words[-1].lower().strip("\"'\u201c\u201d\u2018\u2019,;") in _OPEN_ENDS:
        return False
    if not second[:1].isupper() and not second[:1].isdigit() and second[:1] not in "\"'\u201c\u2018":
        return False
    if not any(c.islower() for c in first) and _SHOUTED.match(second):
        return False  # a headline in capitals that runs on to the next line
    wrapped = [len(line.strip()) for line in lines[1:-1]]
    if wrapped and len(first) >= WRAPPED_SHARE * max(wrapped):
        return False  # as long as the wrapped lines below it: the first line of the paragraph
    if _ENDED.search(first):  # a question or an exclamation is whole: a speaker's label may follow
        return True
    below = " ".join(line.strip() for line in lines[1:]).split()
    if len(below) < _BODY_WORDS or _capitalised(below):
        return False
    return bool(_LABEL.search(first)) or (len(words) >= 5 and _capitalised(words))


def text_blocks(text: str, headline: bool = False) -> list[RawBlock]:
    """Blank lines separate paragraphs; a paragraph of short lines is one block per line. With
    ``headline`` (the text is a whole article with no title given apart), a headline set over
    the first paragraph with a single line break is a block of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[RawBlock] = []
    for para in _PARAGRAPH_BREAK.split(text):
        if headline and para.strip():
            headline = False
            written = [line for line in para.split("\n") if line.strip()]
            if _headline_line(written):
                blocks.append(RawBlock([(written[0].strip(), None)], "line"))
                para = "\n".join(written[1:])
        if "\n" not in para:  # one line: what the general case below makes of it, directly
            line = para.strip()
            if line:
                blocks.append(RawBlock([(line, None)], "item" if _BULLET.match(para) else "paragraph"))
            continue
        written = [line for line in para.split("\n") if line.strip()]
        # (wrapped prose is told from the lines as wrapped, or with each word broken at a
        # hyphen joined: "well-" + "designed" may make a line too long, "nal." too short)
        wrapped = _is_wrapped_prose(written)
        lines = _join_hyphenated(written)
        wrapped = wrapped or _is_wrapped_prose(lines)
        if not lines:
            continue
        if len(lines) == 1 or wrapped:
            kind = "item" if _BULLET.match(lines[0]) else "paragraph"
            blocks.append(RawBlock.of(join_wrapped(written), kind))
            continue
        for line in lines:
            kind = "item" if _BULLET.match(line) else "line"
            blocks.append(RawBlock.of(line, kind))
    return blocks
