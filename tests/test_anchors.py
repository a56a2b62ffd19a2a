"""Anchored regex scanning finds exactly what ``finditer`` finds, only faster."""

from __future__ import annotations

import dataclasses
import itertools
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credscore.engine.anchors import anchor_of, anchored_finditer, digit_runs, folds_plainly
from credscore.engine.compile import CompiledRubric, compile_rubric
from credscore.engine.score import score
from credscore.models import Document
from credscore.parse import parse
from credscore.rubric.load import load_rubric

RUBRICS = sorted((Path(__file__).resolve().parents[1] / "rubric").glob("*.yaml"))


def test_prefixes_of_a_word_alternation() -> None:
    anchor = anchor_of(r"(?<!\bno\s)\b(?:cures?|reverses?|reversal\s+of)\s+cancer")
    assert anchor is not None
    assert anchor.prefixes == ("cure", "reversal", "reverse")
    assert anchor.word_start and not anchor.folds_case


def test_small_classes_expand_and_optional_starts_join() -> None:
    anchor = anchor_of(r"\b(?:doi:?\s*)?10\.\d+|\brandomi[sz]ed")
    assert anchor is not None
    assert set(anchor.prefixes) == {"doi", "10.", "randomis", "randomiz"}


def test_case_folding_is_recorded_and_prefixes_lower_cased() -> None:
    anchor = anchor_of(r"\b(?i:Our|my)\s+plan")
    assert anchor is not None and anchor.folds_case
    assert anchor.prefixes == ("my", "our")
    assert anchor_of(r"\bPMID\d+", re.IGNORECASE).folds_case  # type: ignore[union-attr]


@pytest.mark.parametrize("pattern", [
    r"\b[A-Z][a-z]+\s+said",  # a large class first
    r"\d+%",  # any digit
    r"(?:very\s+)?\w+",  # an optional first word, then any word
    r"x*y",  # an optional first element, then a letter that may sit inside any word
    r"in\s+mice",  # a short word that may sit inside another word
    r".+",  # anything
])
def test_starts_that_cannot_be_pinned_down(pattern: str) -> None:
    assert anchor_of(pattern) is None


def test_numbers_at_a_word_start_anchor_on_runs_of_digits() -> None:
    anchor = anchor_of(r"\b\d+(?:\.\d+)?\s?%|\bone\s+in")
    assert anchor is not None and anchor.digits and anchor.prefixes == ("one",)
    assert anchor_of(r"\d+%") is None  # could start inside a number or a word
    pattern = re.compile(r"\b\d+(?:\.\d+)?\s?%")
    text = "x12% and 12.5 % and 7%"
    found = anchored_finditer(pattern, anchor, text, text, [(0, len(text))], digit_runs(text))
    assert list(found) == [(9, 15), (20, 22)]


@pytest.mark.parametrize("pattern", [
    r"(?:\b|\B)" * 40 + "abc",  # 2**40 paths through zero-width alternatives
    r"\b" * 5000 + "abc",
    "(?:" * 90 + "abc" + ")" * 90,
])
def test_patterns_built_to_explode_the_walk_end_quickly(pattern: str) -> None:
    started = time.perf_counter()
    anchor_of(pattern)
    assert time.perf_counter() - started < 2.0


def test_a_short_word_is_an_anchor_only_at_a_word_boundary() -> None:
    assert anchor_of(r"\bin\s+mice") is not None
    assert anchor_of(r"in\s+mice") is None


def test_odd_case_folds_are_detected() -> None:
    assert folds_plainly("an ordinary text with é and — dashes")
    assert not folds_plainly("ınfection")  # dotless i folds to "i" in re, not in str.lower
    assert not folds_plainly("ſide effects")  # long s


def test_ranges_are_scanned_on_their_own() -> None:
    pattern = re.compile(r"\bcure\w*")
    anchor = anchor_of(pattern.pattern)
    assert anchor is not None
    text = "cure cures curez"
    ranges = [(0, 2), (5, 10), (11, 16)]
    assert list(anchored_finditer(pattern, anchor, text, text, ranges)) == [(5, 10), (11, 16)]
    assert plain(pattern, text, ranges) == [(5, 10), (11, 16)]


def plain(pattern: re.Pattern[str], text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [m.span() for a, b in ranges for m in pattern.finditer(text, a, b) if m.end() > m.start()]


WORDS = ["cure", "cures", "reverse", "cancer", "no", "may", "might", "help", "in", "mice", "doi",
         "10.1000/x", "funded", "by", "the", "NIH", "randomized", "trial", "Our", "plan", "ınfect",
         "12%", "3 in 100", "x7", "0.5", "percent", "from", "to", "٣", "p<0.05", "P = .01",
         "95% CI", "2-fold"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=3)), max_size=30).map(" ".join)


def cut(text: str, points: list[int]) -> list[tuple[int, int]]:
    """Ordered, non-overlapping ranges over the text, cut at a few word starts (where a
    match may begin right at a range's start) and anywhere."""
    starts = [m.start() for m in re.finditer(r"\b\w", text)]
    snapped = {starts[p % len(starts)] if starts and p % 3 else min(p, len(text)) for p in points}
    marks = sorted(snapped | {0, len(text)})
    return [(a, b) for i, (a, b) in enumerate(itertools.pairwise(marks)) if i % 2 == 0]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(texts, st.lists(st.integers(0, 200), max_size=6))
def test_same_matches_as_finditer_for_every_shipped_pattern(text: str, points: list[int]) -> None:
    lowered = text.lower()
    if len(lowered) != len(text):
        return  # the engine scans such a text the plain way
    ranges = cut(text, points)
    runs = digit_runs(text)
    for compiled in SHIPPED:
        for criterion in compiled.criteria:
            for sig in criterion.regex_signals:
                pattern, scanned = ((sig.lower_pattern, lowered) if sig.lower_pattern is not None
                                    else (sig.pattern, text))
                anchor = sig.anchor
                if anchor is None or (anchor.folds_case and not folds_plainly(lowered)):
                    continue
                found = anchored_finditer(pattern, anchor, scanned, lowered, ranges, runs)
                assert list(found) == plain(pattern, scanned, ranges), (criterion.id, sig.id)


def without_anchors(compiled: CompiledRubric) -> CompiledRubric:
    return dataclasses.replace(compiled, criteria=tuple(
        dataclasses.replace(c, regex_signals=tuple(dataclasses.replace(s, anchor=None)
                                                   for s in c.regex_signals))
        for c in compiled.criteria))


SHIPPED = [compile_rubric(load_rubric(path).rubric) for path in RUBRICS]
PLAIN = [without_anchors(c) for c in SHIPPED]


def test_shipped_rubrics_use_anchors() -> None:
    for compiled in SHIPPED:
        signals = [s for c in compiled.criteria for s in c.regex_signals]
        assert sum(s.anchor is not None for s in signals) >= len(signals) // 3


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), max_size=60).map(" ".join),
       st.sampled_from([". ", ".\n\n", " "]))
def test_scores_are_identical_with_and_without_anchors(body: str, joiner: str) -> None:
    text = joiner.join(body.split(" ", 3))
    if not any(ch.isalnum() for ch in text):
        text += " words"
    doc = parse(Document(id="x", source="x", format="text", content=text))
    for fast, slow in zip(SHIPPED, PLAIN, strict=True):
        assert score(doc, fast) == score(doc, slow)
