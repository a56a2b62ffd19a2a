"""Rubric patterns under RE2: hits, named groups, the hit length bound, the pattern set, and
look-around patterns rewritten without look-arounds giving the same spans."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credscore.engine.regex import MAX_HIT, Pattern, PatternFilter, Utf8Offsets


def hits(pattern: str, text: str, case_sensitive: bool = False) -> list[str]:
    data = text.encode()
    return [data[a:b].decode() for a, b in Pattern(pattern, case_sensitive).spans(data, 0, len(data))]


def test_hits_are_left_to_right_and_do_not_overlap() -> None:
    assert hits(r"\b\w+ing\b", "Running and swimming help") == ["Running", "swimming"]
    assert hits(r"aa", "aaaaa") == ["aa", "aa"]


def test_case_folding_follows_the_signal() -> None:
    assert hits(r"\bnih\b", "The NIH funded it") == ["NIH"]
    assert hits(r"\bnih\b", "The NIH funded it", case_sensitive=True) == []


def test_the_first_named_group_that_took_part_is_the_hit() -> None:
    pattern = r"\bno\s+cure|(?P<hit>\bcure)|(?P<other>\bheal)"
    assert hits(pattern, "no cure, a cure, no heal, heal") == ["cure", "heal", "heal"]


def test_empty_matches_find_nothing_and_move_on() -> None:
    assert hits(r"x*", "abxxc") == ["xx"]


def test_a_hit_is_at_most_max_hit_bytes() -> None:
    text = "a" * (3 * MAX_HIT)
    assert [len(h) for h in hits(r"a+", text)] == [MAX_HIT] * 3


def test_context_outside_the_scanned_range_is_seen_by_boundaries() -> None:
    data = b"xcure cure"
    assert Pattern(r"\bcure", False).spans(data, 1, len(data)) == [(6, 10)]


def test_offsets_survive_multibyte_text() -> None:
    text = "Café study: ñ 😀 mice"
    offsets = Utf8Offsets(text)
    data = text.encode()
    (span,) = Pattern(r"\bmice\b", False).spans(data, 0, len(data))
    assert text[offsets.to_chars(span[0]):offsets.to_chars(span[1])] == "mice"


@given(st.text(alphabet="aé😀 \n\u0394b", max_size=40))
def test_offsets_round_trip(text: str) -> None:
    offsets = Utf8Offsets(text)
    for i in range(len(text) + 1):
        assert offsets.to_bytes(i) == len(text[:i].encode())
        assert offsets.to_chars(offsets.to_bytes(i)) == i


def test_pattern_filter_lets_through_every_pattern_that_occurs() -> None:
    patterns = [(r"\bmice\b", False), (r"\bNIH\b", True), (r"\d+%", True),
                (r"\bet\s+al\b", False), (r"\bJournal\s+of\b", True)]
    found = PatternFilter(patterns)
    compiled = [Pattern(source, case_sensitive) for source, case_sensitive in patterns]
    for text in ["Mice got 10% more", "nothing here", "MICE, Et  Al. and the journal of",
                 "Smith et al in the Journal of Things, NIH", ""]:
        data = text.encode()
        occur = {i for i, p in enumerate(compiled) if p.spans(data, 0, len(data))}
        may = found.candidates(data)
        assert may is not None and occur <= may
    # A pattern whose words are absent is not run at all.
    assert found.candidates(b"nothing here") is not None
    assert not {0, 4} & found.candidates(b"nothing here")  # type: ignore[operator]


def test_pattern_filter_without_patterns() -> None:
    assert PatternFilter([]).candidates(b"text") == frozenset()
    assert PatternFilter([]).runs(b"text", ([0], [4])) == {}


FILTERED = [(r"\bmice\b", False), (r"\bNIH\b", True), (r"\d+%", True), (r"\bet\s+al\b", False),
            (r"\bcure\w*", False), (r"x*", False)]


def _blocks(paragraphs: list[str]) -> tuple[bytes, tuple[list[int], list[int]]]:
    data = b""
    starts: list[int] = []
    ends: list[int] = []
    for paragraph in paragraphs:
        starts.append(len(data))
        data += paragraph.encode()
        ends.append(len(data))
        data += b"\n\n"
    return data, (starts, ends)


def test_pattern_filter_runs_join_neighbouring_paragraphs_and_skip_the_rest() -> None:
    filtered = PatternFilter(FILTERED)
    long_word = "word " * 120  # 600 bytes: each paragraph is read on its own
    data, blocks = _blocks([long_word + "mice", long_word + "mice", long_word, long_word + "mice"])
    runs = filtered.runs(data, blocks)
    assert runs is not None
    starts, ends = blocks
    assert runs[0] == [(starts[0], ends[1]), (starts[3], ends[3])]
    assert 1 not in runs and 4 not in runs
    assert runs[5] == [(starts[0], ends[3])]  # a pattern that needs no word may match anywhere
    # Short paragraphs are read together, so their run covers the group.
    data, blocks = _blocks(["a", "mice", "b"])
    assert filtered.runs(data, blocks) is not None
    assert filtered.runs(data, blocks)[0] == [(0, blocks[1][2])]  # type: ignore[index]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(
    ["mice ", "NIH ", "10% ", "et al ", "cure", "cures ", "x", "é ", "word " * 60, ". "]),
    max_size=12).map("".join), max_size=8))
def test_every_hit_lies_in_a_run_of_its_pattern(paragraphs: list[str]) -> None:
    filtered = PatternFilter(FILTERED)
    data, blocks = _blocks(paragraphs)
    runs = filtered.runs(data, blocks)
    assert runs is not None
    for i, (source, case_sensitive) in enumerate(FILTERED):
        found = Pattern(source, case_sensitive).spans(data, 0, len(data), blocks=blocks)
        within = [(a, b) for a, b in found
                  if any(start <= a and b <= end for start, end in runs.get(i, []))]
        assert within == found


def test_link_targets_are_searched() -> None:
    assert Pattern(r"doi\.org/", False).search_text("https://DOI.org/10.1/x")
    assert not Pattern(r"doi\.org/", False).search_text("https://example.com")


# Patterns once written with look-arounds, and their rewrites without: the same spans on any
# text over words that exercise every branch.
REWRITES = [
    (r"(?<!\d)(?:19|20)\d\d(?!\d)", r"(?:19|20)\d{3,}|(?P<hit>(?:19|20)\d\d)|\d+",
     ["2019", "1999", "20191", "12019", "19", "a", "-", "2019a"]),
    (r"\b(?:may|might)\b(?!\s+\d{1,2}\b)(?!\s+(?:19|20)\d\d)(?!,?\s+(?:19|20)\d\d)",
     r"\b(?:may|might)(?:\s+\d{1,2}\b|,?\s+(?:19|20)\d\d)|(?P<hit>\b(?:may|might)\b)",
     ["May", "might", "mayor", "5", "12", "123", "2019", ",", "x"]),
    (r"(?<!\bno\s)(?<!\bnot\sa\s)\b(?:cures?|reversal\s+of)\s+(?:\w+\s+){0,2}(?:cancer|disease)\b"
     r"|\b(?:cancer)\s+reversal\b",
     r"\bno\s(?:cures?|reversal\s+of)|\bnot\sa\s(?:cures?|reversal\s+of)|(?P<hit>\b(?:cures?|"
     r"reversal\s+of)\s+(?:\w+\s+){0,2}(?:cancer|disease)\b|\b(?:cancer)\s+reversal\b)",
     ["no", "not", "a", "cure", "cures", "reversal", "of", "cancer", "disease", "big"]),
    (r"\b(?:fda)\b|(?<!board )(?<!ethics )\b(?:approved|approval)\b|\bnot\s+yet\s+approved\b",
     r"(?:board|ethics) (?:approved|approval)\b|(?P<hit>\b(?:fda)\b|\b(?:approved|approval)\b"
     r"|\bnot\s+yet\s+approved\b)",
     ["FDA", "board", "onboard", "ethics", "approved", "approval", "not", "yet"]),
    (r"\b(?:not\s+(?:yet\s+)?)?available\b(?!\s+(?:online|on\s+request))|(?<!the )\bavailability\b"
     r"|\bnot\s+yet\b",
     r"\bnot\s+available\s+(?:online|on\s+request)|(?P<not_yet>\bnot\s+yet)\s+available\s+"
     r"(?:online|on\s+request)|\bavailable\s+(?:online|on\s+request)|the availability\b"
     r"|(?P<hit>\b(?:not\s+(?:yet\s+)?)?available\b|\bavailability\b|\bnot\s+yet\b)",
     ["not", "yet", "available", "availability", "the", "bathe", "online", "on", "request"]),
    (r"(?<![-\w])(?:diets?|fish|tea)\b(?!\s+(?:disorders?|addiction))",
     r"-(?:diets?|fish|tea)|\b(?:diets?|fish|tea)\s+(?:disorders?|addiction)"
     r"|(?P<hit>\b(?:diets?|fish|tea)\b)",
     ["diet", "diets", "fish", "tea", "teas", "disorder", "disorders", "addiction", "x"]),
]


def _texts(words: list[str]) -> st.SearchStrategy[str]:
    token = st.sampled_from(words)
    gap = st.sampled_from([" ", " ", " ", "-", ", ", ""])
    return st.lists(st.tuples(token, gap), max_size=12).map(
        lambda parts: "".join(w + g for w, g in parts))


@pytest.mark.parametrize(("original", "rewrite", "words"), REWRITES)
def test_look_around_rewrites_find_the_same_spans(original: str, rewrite: str,
                                                  words: list[str]) -> None:
    python_re = re.compile(original, re.IGNORECASE)
    pattern = Pattern(rewrite, case_sensitive=False)

    @settings(max_examples=300, deadline=None)
    @given(_texts(words))
    def same(text: str) -> None:
        expected = [m.span() for m in python_re.finditer(text) if m.end() > m.start()]
        assert pattern.spans(text.encode(), 0, len(text)) == expected

    same()


def test_a_match_lies_within_one_paragraph() -> None:
    # "Journal\n\nWhen Ms" was a journal's name, and two percentages a paragraph apart one
    # comparison.
    text = "Photo for The Wall Street Journal\n\nWhen Ms Lee arrived, the clinic was full."
    data = text.encode()
    blocks = ([0, text.index("When")], [text.index("\n"), len(text)])
    pattern = Pattern(r"\bJournal\s+[A-Z]\w*(?:\s+[A-Z]\w*)*", case_sensitive=True)
    assert pattern.spans(data, 0, len(data)) == [(text.index("Journal"), text.index(" arrived"))]
    assert pattern.spans(data, 0, len(data), blocks=blocks) == []
    # What lies in the paragraph is still found, and so is the next paragraph's own match.
    words = Pattern(r"\b[a-z]+\s+[a-z]+", case_sensitive=True)
    found = [data[a:b].decode() for a, b in words.spans(data, 0, len(data), blocks=blocks)]
    assert found == ["the clinic", "was full"]


def _paragraphs(draw: st.DrawFn) -> tuple[str, list[int], list[int]]:
    words = st.sampled_from(["cure", "study", "of", "Journal", "Nature", "10", "percent", "a"])
    starts: list[int] = []
    ends: list[int] = []
    text = ""
    for _ in range(draw(st.integers(1, 4))):
        if starts:
            text += draw(st.sampled_from(["\n\n", "\n", " "]))
        starts.append(len(text))
        text += " ".join(draw(st.lists(words, min_size=1, max_size=6)))
        ends.append(len(text))
    return text, starts, ends


PARAGRAPH_PATTERNS = [r"\bcure\s+\w+", r"\d+\s+percent(?:\s+\w+){0,3}", r"[A-Z]\w+(?:\s+\w+)+",
                      r"\bstudy\b|(?P<hit>\bof\s+\w+)", r"a\s*", r"\w+$", r"\s\w"]


@pytest.mark.parametrize("source", PARAGRAPH_PATTERNS)
def test_paragraphs_are_searched_as_if_each_on_its_own(source: str) -> None:
    pattern = Pattern(source, case_sensitive=False)

    @settings(max_examples=300, deadline=None)
    @given(st.composite(_paragraphs)(), st.integers(0, 5), st.integers(0, 5), st.integers(1, 6))
    def same(doc: tuple[str, list[int], list[int]], cut: int, trim: int, most: int) -> None:
        text, starts, ends = doc
        data = text.encode()
        start, end = min(cut, len(data)), max(min(cut, len(data)), len(data) - trim)
        expected: list[tuple[int, int]] = []
        for lo, hi in zip(starts, ends, strict=True):
            lo, hi = max(lo, start), min(hi, end)
            if lo < hi and len(expected) < most:
                expected += pattern.spans(data, lo, hi, most - len(expected))
        assert pattern.spans(data, start, end, most, (starts, ends)) == expected

    same()
