"""Plain-text reader: paragraphs and lines into raw blocks."""

from __future__ import annotations

import re

from credscore.parse.blocks import RawBlock
from credscore.parse.normalize import join_wrapped

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


# A headline: 3 to 25 words (as the zone rules take a title), no full stop at its end.
HEADLINE_WORDS = (3, 25)
_HEADLINE_MARK = re.compile(r"[?!]\s*$|\w:\s")


def _headline_line(lines: list[str]) -> bool:
    """Whether the first of a text's first paragraph's lines is its headline, set over the
    article with a single line break: a line of headline length that does not end a sentence
    with a full stop and reads as a headline (a question or exclamation, a "Label: ..." or a
    title in capitals), with a line that opens a sentence below it. The first line of prose
    wrapped by an editor breaks mid-sentence, and seldom reads as one."""
    if len(lines) < 2:
        return False
    first, second = lines[0].strip(), lines[1].lstrip()
    words = first.split()
    if not HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1] or first.endswith("."):
        return False
    if not second[:1].isupper() and not second[:1].isdigit() and second[:1] not in "\"'\u201c\u2018":
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return bool(_HEADLINE_MARK.search(first)) or (len(words) >= 5 and capitalised >= 0.75 * len(words))


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
