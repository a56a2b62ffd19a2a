"""What counts as a word: a run of text between spaces that holds a letter or a digit.

A mark standing alone (a dash set between spaces, "&", a bullet, a row of asterisks or dots
between sections) is punctuation, not a word: it does not lengthen an article, so it neither
dilutes the criteria scored per word nor lifts a short text past the length a rubric asks for.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

# A run of marks (no letter, digit or other word character; an underscore is a mark here)
# standing alone: with whitespace or an end on each side.
_MARKS_ALONE = re.compile(r"(?<!\S)(?:[^\w\s]|_)+(?!\S)")
# The same after a space (a search for the space is faster than a look-behind at every place),
# and at the start of a span.
_MARKS_AFTER_SPACE = re.compile(r" (?:[^\w\s]|_)+(?=\s|$)")
_MARKS_FIRST = re.compile(r"(?:[^\w\s]|_)+(?= |$)")


def word_count(text: str) -> int:
    """How many words ``text`` holds."""
    return len(text.split()) - len(_MARKS_ALONE.findall(text))


def spans_word_counts(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """How many words each of ``spans`` of ``text`` holds, where each span is words one space
    apart with no other whitespace and none at its ends (a parsed block), and the spans are in
    order, apart: what :func:`word_count` gives for each, its spaces counting its runs."""
    counts = [text.count(" ", start, end) + 1 if start < end else 0 for start, end in spans]
    first = _MARKS_FIRST.match
    for i, (start, end) in enumerate(spans):
        if start < end and first(text, start, end):
            counts[i] -= 1
    after_space = [m.start() + 1 for m in _MARKS_AFTER_SPACE.finditer(text)]
    if after_space:
        starts = [start for start, _ in spans]
        for at in after_space:
            i = bisect_right(starts, at) - 1
            if i >= 0 and spans[i][0] < at < spans[i][1]:  # (a span's first run: above)
                counts[i] -= 1
    return counts
