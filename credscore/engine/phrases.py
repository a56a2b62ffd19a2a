"""Phrase matching: every phrase of every signal of a rubric in one pass (Aho-Corasick).

The semantics are those of the phrase syntax (``credscore.patterns``): a phrase is cut into
tokens (runs of word characters, and single punctuation marks); it matches where the text has
the same tokens, whole words only, ignoring case unless its signal is case-sensitive, with any
whitespace between tokens; a last word ending in ``*`` matches any continuation of that word.

An Aho-Corasick automaton (pyahocorasick, compiled C) finds every phrase in one read of the
text, overlapping ones included. It matches strings, not tokens, so each phrase enters it in
every spelling a paragraph of parsed text can give it: the parser leaves exactly one space
between words inside a paragraph, so between two tokens a text has ``" "`` (two words) or also
nothing (next to a punctuation mark). A phrase never spans a paragraph break: "buy" ending a
heading and "now" opening the next paragraph are not "buy now". Whole-word edges are checked on
each match.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import cache

import ahocorasick

from credscore.parse.normalize import normalize_inline
from credscore.patterns import is_word_char

TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD_REST = re.compile(r"\w*")
# Gaps a paragraph of parsed text can hold between two tokens (see the module docstring).
_WORD_GAPS = (" ",)
_MARK_GAPS = ("", " ")
# Above this many spellings of one phrase (a phrase of many punctuation marks), the rest are
# left out.
MAX_SPELLINGS = 256


def phrase_tokens(phrase: str, fold: bool) -> tuple[tuple[str, ...], bool]:
    """The tokens of a phrase and whether its last word is a prefix (``word*``). The phrase is
    normalised as the parser normalises the text it is matched in (NFKC, invisible characters
    removed, curly quotes straightened): "won\u2019t" and "\ufb01sh" find "won't" and "fish",
    as the text holds them."""
    words = normalize_inline(phrase).split()
    prefix = bool(words) and words[-1].endswith("*") and len(words[-1]) > 1
    if prefix:
        words[-1] = words[-1][:-1]
    text = " ".join(words)
    tokens = tuple(t.lower() if fold else t for t in TOKEN.findall(text))
    return tokens, prefix


@cache
def spellings(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Every string a paragraph of parsed text can show these tokens as (at most
    MAX_SPELLINGS). Cached: a phrase enters both its criterion's table and the whole rubric's."""
    gaps = [_WORD_GAPS if is_word_char(a[-1]) and is_word_char(b[0]) else _MARK_GAPS
            for a, b in itertools.pairwise(tokens)]
    out: list[str] = []
    for chosen in itertools.product(*gaps):
        out.append(tokens[0] + "".join(g + t for g, t in zip(chosen, tokens[1:], strict=True)))
        if len(out) >= MAX_SPELLINGS:
            break
    return tuple(out)


# What the automaton holds for one spelling: its length, whether it starts and ends with a word
# character (and must then start and end at a word's edge), and the keys of the phrases spelled
# so, as (prefix, keys) for each run of keys in the order they were added, their phrases all
# ``word*`` or none. A spelling that several signals share ("cancer" in a lexicon every
# criterion reads) is then checked once per match, not once per signal.
_Spelled = tuple[int, bool, bool, tuple[tuple[bool, tuple[Hashable, ...]], ...]]


@dataclass
class _Table:
    entries: dict[str, list[tuple[bool, Hashable]]] = field(default_factory=dict)
    _automaton: ahocorasick.Automaton | None = None

    def add(self, tokens: tuple[str, ...], prefix: bool, key: Hashable) -> None:
        if not tokens:
            return
        self._automaton = None
        for spelled in spellings(tokens):
            self.entries.setdefault(spelled, []).append((prefix, key))

    def automaton(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
            for spelled, entries in self.entries.items():
                runs = tuple((prefix, tuple(key for _, key in run))
                             for prefix, run in itertools.groupby(entries, key=lambda e: e[0]))
                value: _Spelled = (len(spelled), is_word_char(spelled[0]),
                                   is_word_char(spelled[-1]), runs)
                automaton.add_word(spelled, value)
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def find(self, text: str, out: list[tuple[int, int, Hashable]]) -> None:
        if not self.entries:
            return
        n = len(text)
        rest = _WORD_REST.match
        for last, (length, starts_word, ends_word, runs) in self.automaton().iter(text):
            end = last + 1
            start = end - length
            if starts_word and start > 0 and (text[start - 1].isalnum()
                                              or text[start - 1] == "_"):  # is_word_char inline
                continue
            runs_on = ends_word and end < n and (text[end].isalnum() or text[end] == "_")
            for prefix, keys in runs:
                stop = end
                if runs_on:  # the text's word goes on past the phrase's last word
                    if not prefix:
                        continue
                    stop = rest(text, end).end()  # type: ignore[union-attr]
                for key in keys:
                    out.append((start, stop, key))


class PhraseMatcher:
    """All phrases of many signals; ``find`` returns (start, end, key) for every match."""

    def __init__(self) -> None:
        self._folded = _Table()
        self._cased = _Table()

    def add(self, phrases: Iterable[str], key: Hashable, case_sensitive: bool = False) -> None:
        table = self._cased if case_sensitive else self._folded
        for phrase in phrases:
            tokens, prefix = phrase_tokens(phrase, fold=not case_sensitive)
            table.add(tokens, prefix, key)

    def find(self, text: str, lowered: str) -> list[tuple[int, int, Hashable]]:
        """Phrase hits in ``text``; ``lowered`` is its lower-cased form, of the same length."""
        out: list[tuple[int, int, Hashable]] = []
        self._folded.find(lowered, out)
        self._cased.find(text, out)
        return out


def lowered_text(text: str) -> str:
    """``text`` in lower case, with the same length (a character whose lower case is longer,
    such as 'İ', is left as it is)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)
