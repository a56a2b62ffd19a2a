from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from credscore.patterns import phrase_regex


def hits(phrases: list[str], text: str, case_sensitive: bool = False) -> list[str]:
    pattern = re.compile(phrase_regex(phrases, case_sensitive), re.IGNORECASE)
    return [m.group() for m in pattern.finditer(text)]


def test_whole_words_only() -> None:
    assert hits(["miracle cure"], "a miracle cures nothing") == []
    assert hits(["miracle cure"], "a MIRACLE  cure!") == ["MIRACLE  cure"]
    assert hits(["rat"], "the rate of rats") == []


def test_prefix_wildcard() -> None:
    assert hits(["stud*"], "studies and a study but not astudy") == ["studies", "study"]


def test_longest_phrase_wins_at_a_position() -> None:
    assert hits(["study", "study shows"], "the study shows it") == ["study shows"]


def test_case_sensitive_list() -> None:
    assert hits(["May"], "May and may", case_sensitive=True) == ["May"]


def test_empty_list_never_matches() -> None:
    assert hits([], "anything") == []


def test_punctuation_is_literal() -> None:
    assert hits(["c. elegans", "100%"], "C. elegans is 100% a worm; celegans is not") == [
        "C. elegans", "100%"]


@given(st.lists(st.text(alphabet="abc -", min_size=1, max_size=6), min_size=1, max_size=8),
       st.text(alphabet="abc -.", max_size=40))
def test_trie_finds_what_a_plain_alternation_finds(phrases: list[str], text: str) -> None:
    words = [" ".join(p.split()) for p in phrases if p.split()]
    if not words:
        return
    trie = re.compile(phrase_regex(words), re.IGNORECASE)
    alternatives = sorted({re.escape(w.lower()).replace(r"\ ", r"\s+") for w in words},
                          key=len, reverse=True)
    plain = re.compile(r"(?<!\w)(?:" + "|".join(
        a + (r"(?!\w)" if re.search(r"\w$", a) else "") for a in alternatives) + ")",
        re.IGNORECASE)
    # Every position where one matches, the other matches too (lengths may differ by order).
    assert {m.start() for m in trie.finditer(text)} == {m.start() for m in plain.finditer(text)}
