"""Literal prefixes that every match of a regex begins with, and a scan that uses them.

``re`` tries a pattern at every position of the text, which costs far more than the match
itself when the pattern opens with an alternation of words (``\\b(?:cures?|reverses?|...)``).
When every match must begin with one of a few literal strings, finding those strings with
``str.find`` (a fast C search) and trying the pattern only there gives the same matches as
``finditer`` at a fraction of the cost. The prefixes are read from the parsed pattern, so they
are exact by construction; a pattern whose start cannot be pinned down (a character class, an
optional first element, case folding) keeps the plain scan.
"""

from __future__ import annotations

import re
import re._casefix as _casefix
import re._constants as _c
import re._parser as _p
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Prefixes longer than this add little selectivity; sets larger than this cost more to search
# than the plain scan.
MAX_PREFIX = 8
MAX_PREFIXES = 48
# A short word ("at", "p") is found inside other words too, so it is worth searching for only
# when matches start at a word boundary (a find inside a word is then skipped at once).
MIN_WORD_PREFIX = 3
# Single characters found too often to be worth trying the pattern at each.
_COMMON_MARKS = frozenset(".,;:-'\"")
# Small character classes (``[sz]``) are expanded into their members.
MAX_CLASS = 4
# Steps of the walk over a parsed pattern before giving up on finding its prefixes.
MAX_STEPS = 20_000

_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_REPEATS = tuple(op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))
                 if op is not None)
_ANY = ""  # "the match may begin with anything from here on"
_DIGIT = "\x00"  # "the match may begin with any decimal digit (``\\d``)"
_DIGIT_RUN = re.compile(r"\d+")


class _TooMany(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Anchor:
    """Lower-cased strings one of which begins every match (so they are searched for in the
    lower-cased text) unless ``digits`` (a match may also begin a run of digits); whether the
    pattern folds case somewhere; whether every match starts at a word boundary before a word
    character (so a candidate inside a word is skipped)."""

    prefixes: tuple[str, ...]
    folds_case: bool
    word_start: bool
    digits: bool = False


def anchor_of(pattern: str, flags: int = 0) -> Anchor | None:
    """The anchor of a regex, or None when its start cannot be pinned down to a few literals
    that are rare enough to be worth searching for."""
    try:
        parsed = _p.parse(pattern, flags)
    except re.error:
        return None
    walk = _Walk()
    try:
        starts = walk.starts(list(parsed), MAX_PREFIX)
        at_boundary = walk.at_boundary(list(parsed))
    except (_TooMany, RecursionError):
        return None
    folds = bool(parsed.state.flags & re.IGNORECASE) or walk.folds
    if _ANY in starts or not starts or any(_DIGIT in s for s in starts if s != _DIGIT):
        return None  # (a pattern with a literal NUL would be mistaken for the digit mark)
    lowered = {s.lower() for s in starts}
    if any(len(s.lower()) != len(s) for s in starts):
        return None
    # A prefix that extends another adds nothing: the shorter one is found anyway.
    minimal: list[str] = []
    for s in sorted(lowered, key=len):
        if not any(s.startswith(m) for m in minimal):
            minimal.append(s)
    digits = _DIGIT in minimal
    if digits:
        minimal.remove(_DIGIT)
    word_start = at_boundary and all(_is_word(s[0]) for s in minimal)
    if digits and not word_start:
        return None  # a digit inside a number or a word could start a match: too many places
    if len(minimal) > MAX_PREFIXES or not all(_worth_finding(s, word_start) for s in minimal):
        return None
    return Anchor(tuple(sorted(minimal)), folds, word_start, digits)


class _Walk:
    """One walk over a parsed pattern. Every step counts against ``MAX_STEPS``, so a pattern
    built to make the walk explode (``(?:\\b|\\B)`` thirty times over) gives up at once rather
    than stalling the rubric's compilation."""

    def __init__(self) -> None:
        self.folds = False  # some group switches case folding on
        self.steps = 0

    def _step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _TooMany

    def starts(self, seq: list, budget: int) -> set[str]:
        """Every match of the sequence ``seq`` begins with one of the returned strings
        (``_ANY``: with anything)."""
        self._step()
        if not seq or budget == 0:
            return {_ANY}
        op, arg = seq[0]
        rest = seq[1:]
        if op in _ZERO_WIDTH:
            return self.starts(rest, budget)
        if op == _c.LITERAL:
            return _prepend([chr(arg)], self.starts(rest, budget - 1))
        if op == _c.IN:
            if list(arg) == [(_c.CATEGORY, _c.CATEGORY_DIGIT)]:
                return {_DIGIT}  # at a word boundary, a digit there starts a run of digits
            chars = _class_members(arg)
            if chars is None:
                return {_ANY}
            return _prepend(chars, self.starts(rest, budget - 1))
        if op == _c.SUBPATTERN:
            _group, add_flags, del_flags, inner = arg
            if (add_flags | del_flags) & re.IGNORECASE:
                self.folds = True
            return self.starts(list(inner) + rest, budget)
        if op == _c.BRANCH:
            out: set[str] = set()
            for branch in arg[1]:
                out |= self.starts(list(branch) + rest, budget)
                _check(out)
            return out
        if op in _REPEATS:
            low, _high, sub = arg
            if low == 0:
                return _check(self.starts(list(sub), budget) | self.starts(rest, budget))
            return self.starts(list(sub), budget)  # one pass of ``sub`` at least; stop there
        return {_ANY}

    def at_boundary(self, seq: list) -> bool:
        """Whether every match begins with ``\\b`` (after any lookbehind)."""
        for i, (op, arg) in enumerate(seq):
            self._step()
            if op in (_c.ASSERT, _c.ASSERT_NOT):
                continue
            if op == _c.AT:
                return arg == _c.AT_BOUNDARY
            if op == _c.SUBPATTERN:
                return self.at_boundary(list(arg[-1]) + seq[i + 1:])
            if op == _c.BRANCH:
                return all(self.at_boundary(list(b) + seq[i + 1:]) for b in arg[1])
            return False
        return False


def _worth_finding(prefix: str, word_start: bool) -> bool:
    """Whether searching for this prefix beats scanning: not a short word that also sits
    inside other words (unless those finds are skipped), not a common punctuation mark."""
    if word_start or len(prefix) >= MIN_WORD_PREFIX:
        return True
    if len(prefix) == 1:
        return not prefix.isalnum() and not prefix.isspace() and prefix not in _COMMON_MARKS
    return not prefix.isalpha()


def _is_word(ch: str) -> bool:
    """``\\w`` of ``re`` for str patterns."""
    return ch.isalnum() or ch == "_"


def _prepend(chars: list[str], tails: set[str]) -> set[str]:
    # A digit after a literal only ends the prefix ("10." + digit -> "10.").
    return _check({c + (_ANY if t == _DIGIT else t) for c in chars for t in tails})


def _check(found: set[str]) -> set[str]:
    if len(found) > MAX_PREFIXES * 4:
        raise _TooMany
    return found


def _class_members(items: list) -> list[str] | None:
    """The characters of a small, plain class such as ``[sz]``; None for anything else."""
    chars: list[str] = []
    for op, arg in items:
        if op == _c.LITERAL:
            chars.append(chr(arg))
        elif op == _c.RANGE and arg[1] - arg[0] < MAX_CLASS:
            chars.extend(chr(x) for x in range(arg[0], arg[1] + 1))
        else:
            return None  # negation, categories, large ranges
    return chars if len(chars) <= MAX_CLASS else None


# Characters that ``re`` folds to a letter other than their ``str.lower()`` (dotless i, long s,
# Greek and Cyrillic variants...): in a text holding one, a case-folding pattern may match
# where the lower-cased text shows no prefix, so such a text is scanned the plain way.
_EXTRA_CASES: dict[int, tuple[int, ...]] | None = getattr(_casefix, "_EXTRA_CASES", None)
_ODD = (re.compile("[" + re.escape("".join(sorted({chr(c) for k, vs in _EXTRA_CASES.items()
                                                  for c in (k, *vs) if c > 127}))) + "]")
        if _EXTRA_CASES else None)


def folds_plainly(lowered: str) -> bool:
    """Whether case folding in ``re`` agrees with ``str.lower`` everywhere in this text (never
    assumed when this Python does not say which characters fold specially)."""
    return _ODD is not None and _ODD.search(lowered) is None


def digit_runs(text: str) -> list[int]:
    """Where each run of decimal digits starts (the same in a text and its lower-cased form)."""
    return [m.start() for m in _DIGIT_RUN.finditer(text)]


def anchored_finditer(pattern: re.Pattern[str], anchor: Anchor, scanned: str, lowered: str,
                      ranges: list[tuple[int, int]], runs: Sequence[int] = (),
                      ) -> Iterator[tuple[int, int]]:
    """The (start, end) of every non-empty match that ``pattern.finditer(scanned, start, end)``
    gives for each (start, end) of ``ranges`` (in order, not overlapping), trying the pattern
    only where ``lowered`` (the lower-cased text, of the same length) holds one of the anchor's
    prefixes, or, for an anchor with ``digits``, at the ``runs`` of digits (``digit_runs``).
    The caller checks ``folds_plainly`` for an anchor that folds case."""
    if not ranges:
        return
    low, high = ranges[0][0], ranges[-1][1]
    positions: set[int] = set()
    if anchor.digits:
        positions.update(p for p in runs if low <= p < high)
    find = lowered.find
    for prefix in anchor.prefixes:
        i = find(prefix, low, high)
        while i != -1:
            positions.add(i)
            i = find(prefix, i + 1, high)
    if not positions:
        return
    word_start = anchor.word_start
    spans = iter(ranges)
    start, end = next(spans)
    last_end = start
    for pos in sorted(positions):
        while pos >= end:  # past this range: move to the one holding pos, if any
            nxt = next(spans, None)
            if nxt is None:
                return
            start, end = nxt
            last_end = start
        if pos < last_end:
            continue
        if word_start and pos > 0 and _is_word(scanned[pos - 1]):
            continue
        m = pattern.match(scanned, pos, end)
        if m is not None and m.end() > pos:
            last_end = m.end()
            yield pos, last_end
