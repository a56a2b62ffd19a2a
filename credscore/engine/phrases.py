"""Phrase matching by tokens: every phrase of every signal of a rubric in one pass.

A document is cut once into tokens (runs of word characters, and single punctuation marks);
each phrase is cut the same way. A dictionary keyed on a phrase's first token gives the few
phrases to check at each token, so the cost grows with the text, not with the number of phrases,
and overlapping phrases of different signals are all found. The semantics are those of the
phrase syntax (``credscore.patterns``): case is ignored unless a signal is case-sensitive, whole
words only (tokens end at word boundaries), whitespace between words is free, and a word ending
in ``*`` matches any continuation of that word.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

TOKEN = re.compile(r"\w+|[^\w\s]")


def phrase_tokens(phrase: str, fold: bool) -> tuple[tuple[str, ...], bool]:
    """The tokens of a phrase and whether its last word is a prefix (``word*``)."""
    words = phrase.split()
    prefix = bool(words) and words[-1].endswith("*") and len(words[-1]) > 1
    if prefix:
        words[-1] = words[-1][:-1]
    text = " ".join(words)
    tokens = tuple(t.lower() if fold else t for t in TOKEN.findall(text))
    return tokens, prefix


@dataclass(frozen=True, slots=True)
class Tokens:
    """A document's tokens: start and end offsets, lower-cased and original forms."""

    starts: list[int]
    ends: list[int]
    folded: list[str]
    original: list[str]

    @classmethod
    def of(cls, text: str) -> Tokens:
        spans = [m.span() for m in TOKEN.finditer(text)]
        starts = [a for a, _ in spans]
        ends = [b for _, b in spans]
        original = [text[a:b] for a, b in spans]
        folded = text.lower()
        if len(folded) == len(text):
            lowered = [folded[a:b] for a, b in spans]
        else:
            lowered = [t.lower() for t in original]
        return cls(starts, ends, lowered, original)


# What each distinct token starts is remembered (a vocabulary repeats across documents).
TOKEN_CACHE_SIZE = 200_000

_Candidates = list[tuple[tuple[str, ...], bool, Hashable]]
# For one token: the phrases that start with it, and the keys of the one-word prefix phrases
# ("stud*") it matches.
_Entry = tuple[_Candidates, tuple[Hashable, ...]]
_NOTHING: _Entry = ([], ())


@dataclass
class _Table:
    exact: dict[str, _Candidates] = field(default_factory=dict)
    # Single-word prefix phrases ("stud*"), by prefix; the set of their lengths.
    prefixes: dict[str, list[Hashable]] = field(default_factory=dict)
    lengths: set[int] = field(default_factory=set)
    _seen: dict[str, _Entry] = field(default_factory=dict)

    def entry(self, tok: str) -> _Entry:
        found = self._seen.get(tok)
        if found is None:
            keys: list[Hashable] = []
            for length in sorted(self.lengths):
                if length > len(tok):
                    break
                keys.extend(self.prefixes.get(tok[:length], ()))
            candidates = self.exact.get(tok, [])
            found = (candidates, tuple(keys)) if candidates or keys else _NOTHING
            if len(self._seen) < TOKEN_CACHE_SIZE:
                self._seen[tok] = found
        return found

    def add(self, tokens: tuple[str, ...], prefix: bool, key: Hashable) -> None:
        if not tokens:
            return
        self._seen.clear()
        if prefix and len(tokens) == 1:
            self.prefixes.setdefault(tokens[0], []).append(key)
            self.lengths.add(len(tokens[0]))
        else:
            self.exact.setdefault(tokens[0], []).append((tokens[1:], prefix, key))

    def find(self, toks: list[str], starts: list[int], ends: list[int],
             out: list[tuple[int, int, Hashable]]) -> None:
        seen, entry = self._seen, self.entry
        n = len(toks)
        for i, tok in enumerate(toks):
            found = seen.get(tok)
            if found is None:
                found = entry(tok)
            if found is _NOTHING:
                continue
            candidates, keys = found
            for rest, prefix, key in candidates:
                j = i + 1 + len(rest)
                if j > n:
                    continue
                if rest:
                    if prefix:
                        if (toks[i + 1 : j - 1] != list(rest[:-1])
                                or not toks[j - 1].startswith(rest[-1])):
                            continue
                    elif toks[i + 1 : j] != list(rest):
                        continue
                out.append((starts[i], ends[j - 1], key))
            if keys:
                out.extend((starts[i], ends[i], key) for key in keys)


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

    def find(self, tokens: Tokens) -> list[tuple[int, int, Hashable]]:
        out: list[tuple[int, int, Hashable]] = []
        self._folded.find(tokens.folded, tokens.starts, tokens.ends, out)
        if self._cased.exact or self._cased.prefixes:
            self._cased.find(tokens.original, tokens.starts, tokens.ends, out)
        return out
