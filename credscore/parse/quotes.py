"""Quote detection: direct quotations attributed to someone."""

from __future__ import annotations

import re

MIN_QUOTE_WORDS = 4
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|saying|explain(?:s|ed)?|not(?:es|ed)|add(?:s|ed)|told|tells|"
    r"report(?:s|ed)|according to|stat(?:es|ed)|comment(?:s|ed)|wr(?:ote|ites)|"
    r"conclud(?:es|ed)|believes|argu(?:es|ed)|warn(?:s|ed)|recall(?:s|ed)|asked)\b",
    re.IGNORECASE,
)


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of attributed quotations in ``text[start:end]`` (one block)."""
    if text.find('"', start, end) < 0 or _ATTRIBUTION.search(text, start, end) is None:
        return []
    marks = [i for i in range(start, end) if text[i] == '"']
    if len(marks) % 2:
        marks.append(end)  # an unclosed quotation runs to the end of the block
    pairs = zip(marks[::2], marks[1::2], strict=True)
    return [(s, e + 1 if e < end else e) for s, e in pairs
            if len(text[s:e].split()) >= MIN_QUOTE_WORDS]


def mostly_quoted(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether at least half of the sentence [start, end) lies inside quotations."""
    inside = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
    return inside * 2 >= end - start
