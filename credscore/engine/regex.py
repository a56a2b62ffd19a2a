"""Rubric patterns run by RE2, in time linear in the text whatever the pattern.

RE2 matches UTF-8 bytes, so a document is encoded once and offsets are converted at the edges
(:class:`Utf8Offsets`). All of a rubric's patterns also go behind one prefilter, which reads a
document's paragraphs once for the literal strings each pattern needs: only the patterns that
may occur are then run, and only over the paragraphs where they may.

Two rules keep the whole scan linear, not only each search. A hit is at most ``MAX_HIT`` bytes
long, and each search reads at most ``WINDOW`` bytes ahead: otherwise a pattern such as
``\\w+(?:.*z)?`` would read to the end of a long paragraph for every word in it. And a search
that finds an empty match moves on by one character.

A pattern with named groups (``(?P<hit>...)``) reports the first named group that took part in
a match: the rest of the match is context, and a match in which no named group took part is text
that was skipped (what look-behinds and look-aheads said in other engines).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import re2

from credscore.rubric.re2_syntax import MAX_PATTERN_MEMORY, compile_checked, options

_UNANCHORED = re2._re2.RE2.Anchor.UNANCHORED
_ANCHORED = re2._re2.RE2.Anchor.ANCHOR_START
# The longest hit a pattern can report, and how far one search reads (in UTF-8 bytes).
MAX_HIT = 1024
WINDOW = 4 * MAX_HIT
# The most hits a signal finds in one document (the first ones, in text order). Real articles
# give a signal at most a few dozen; a pattern that matches nearly everywhere ('.', '\w') would
# otherwise hold a finding for every character of a long article.
MAX_SIGNAL_HITS = 10_000
# The memory a pattern may use when it is run, twice what it may compile to at load
# (MAX_PATTERN_MEMORY). Beyond its program, RE2 spends this budget on the states of the automaton
# it builds as it reads; a pattern whose states outgrow it starts over again and again (the
# number-before-a-noun patterns of study sizes read news text at a third of their speed with
# 8 MB). It is a cap per pattern, reached only by the few that need it: on news text the peak
# memory of a run grows by about 3 MB.
MATCH_MEMORY = 2 * MAX_PATTERN_MEMORY
# The fewest bytes of paragraphs the prefilter reads at once (PatternFilter.runs).
PREFILTER_BYTES = 512


# The byte offsets where a document's paragraphs start and end, in order.
Blocks = tuple[Sequence[int], Sequence[int]]


class Pattern:
    """One rubric pattern, compiled once per run."""

    __slots__ = ("_groups", "_re", "source")

    def __init__(self, source: str, case_sensitive: bool) -> None:
        self.source = source
        opts = options(case_sensitive, MATCH_MEMORY)
        # Named groups are the same whatever the case: read from the pattern as it was checked.
        self._groups = tuple(sorted(compile_checked(source).groupindex.values()))
        if not self._groups:
            opts.never_capture = True  # the whole match is the hit: no submatches to track
        # The binding's own RE2 object: one call per search, with spans, on bytes (its Python
        # wrapper adds a generator and a match object per call).
        self._re = re2.compile(source, opts)._regexp

    def spans(self, data: bytes, start: int, end: int, most: int = MAX_SIGNAL_HITS,
              blocks: Blocks | None = None) -> list[tuple[int, int]]:
        """Byte spans of the first ``most`` non-empty hits in ``data[start:end]``, left to
        right, not overlapping (the rest of ``data`` is context for ``\\b``, ``^`` and ``$``).
        With ``blocks`` (the starts and ends of the paragraphs, in order), a match lies within
        one paragraph, as if each were searched on its own: one that runs past its paragraph's
        end is looked for again within it, and none starts between two paragraphs."""
        out: list[tuple[int, int]] = []
        run, groups = self._re.Match, self._groups
        q = start
        while q < end and len(out) < most:
            if end - q <= WINDOW:  # one search reads the rest: the usual case
                wend = limit = end
            else:
                wend = q + WINDOW
                limit = _char_start(data, wend - MAX_HIT, end)
            spans = run(_UNANCHORED, data, q, wend)
            s, e = spans[0]
            if s < 0 or s >= limit:
                if wend == end:
                    break
                q = limit  # no hit starts before limit; one after it may run past wend
                continue
            if e - s > MAX_HIT:  # the hit as a search reading at most MAX_HIT bytes finds it
                spans = run(_ANCHORED, data, s, s + MAX_HIT)
                if spans[0][0] < 0:
                    q = _char_start(data, s + 1, end)
                    continue
                e = spans[0][1]
            if blocks is not None:
                starts, ends = blocks
                i = bisect_right(starts, s) - 1
                block_end = ends[i] if i >= 0 else s  # (before the first: between two)
                if e > block_end:  # runs past its paragraph, or starts between two
                    if s < block_end:
                        out.extend(self.spans(data, s, block_end, most - len(out)))
                    q = min(end, starts[i + 1]) if i + 1 < len(starts) else end
                    continue
            hs, he = s, e
            for g in groups:
                hs, he = spans[g]
                if hs >= 0:
                    break
            if he > hs:
                out.append((hs, he))
            q = e if e > s else _char_start(data, s + 1, end)
        return out

    def search_text(self, text: str) -> bool:
        """Whether the pattern matches anywhere in ``text`` (a hyperlink target)."""
        data = text.encode("utf-8", "surrogatepass")
        return bool(self.spans(data, 0, len(data)))


def _char_start(data: bytes, i: int, end: int) -> int:
    """``i`` moved forward past UTF-8 continuation bytes, so that a search starts on a
    character."""
    while i < end and data[i] & 0xC0 == 0x80:
        i += 1
    return min(i, end)


class PatternFilter:
    """Every pattern of a rubric behind one prefilter (RE2's ``FilteredRE2``): the literal
    strings a pattern cannot match without ("journal", "et al") are found in one read of the
    document, and only the patterns whose strings are all there, or that have none, are run.

    An RE2 set of the patterns themselves would say exactly which occur, but the automaton of
    dozens of patterns with bounded repetitions is large and reads news text at about 6 MB/s;
    the prefilter reads its literals at over 100 MB/s, and a pattern it lets through that does
    not occur costs one search of the zones it reads.
    """

    def __init__(self, patterns: Sequence[tuple[str, bool]]) -> None:
        self.size = len(patterns)
        self._filter: re2._re2.Filter | None = None
        if not patterns:
            return
        prefilter = re2._re2.Filter()
        try:
            for source, case_sensitive in patterns:
                if prefilter.Add(source.encode("utf-8"), options(case_sensitive)) < 0:
                    return
            if not prefilter.Compile():
                return  # too many literals for RE2's memory bound: every pattern is run
        except re2.error:
            return
        self._filter = prefilter

    def runs(self, data: bytes, blocks: Blocks) -> dict[int, list[tuple[int, int]]] | None:
        """For each pattern that may match in ``data``, the byte spans where it may: runs of
        consecutive paragraphs (``blocks``, their starts and ends in order) whose text holds
        the strings it needs. A match lies within one paragraph (see :meth:`Pattern.spans`), so
        the paragraphs outside a pattern's runs need not be searched for it. Paragraphs are read
        in groups of at least PREFILTER_BYTES (a list of short items costs a few reads, not one
        per item). None when the prefilter could not be built, so that every pattern is run
        everywhere."""
        if self._filter is None:
            return None if self.size else {}
        match = self._filter.Match
        runs: dict[int, list[tuple[int, int]]] = {}
        starts, ends = blocks
        n = len(starts)
        k = 0
        before = -1  # where the group before this one ends
        while k < n:
            start = starts[k]
            while ends[k] - start < PREFILTER_BYTES and k + 1 < n:
                k += 1
            end = ends[k]
            for i in match(data[start:end], True):
                got = runs.get(i)
                if got is None:
                    runs[i] = [(start, end)]
                elif got[-1][1] == before:  # the group before is in its last run: extend it
                    got[-1] = (got[-1][0], end)
                else:
                    got.append((start, end))
            before = end
            k += 1
        return runs

    def candidates(self, data: bytes) -> frozenset[int] | None:
        """Indexes (in the order given) of the patterns that may match somewhere in ``data``:
        every pattern that does is among them. None when the prefilter could not be built, so
        that every pattern is run."""
        runs = self.runs(data, ([0], [len(data)]))  # the whole text as one paragraph
        return None if runs is None else frozenset(runs)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class Utf8Offsets:
    """Character offsets of a text and byte offsets of its UTF-8 form, both ways."""

    __slots__ = ("_bytes_at", "_chars_at", "_extra", "ascii")

    def __init__(self, text: str) -> None:
        self.ascii = text.isascii()
        chars: list[int] = []
        bytes_at: list[int] = []
        extra: list[int] = []  # bytes beyond one per character, before and at each entry
        if not self.ascii:
            total = 0
            for m in _NON_ASCII.finditer(text):
                c = m.start()
                code = ord(text[c])
                chars.append(c)
                bytes_at.append(c + total)
                total += 1 if code < 0x800 else 2 if code < 0x10000 else 3
                extra.append(total)
        self._chars_at, self._bytes_at, self._extra = chars, bytes_at, extra

    def to_bytes(self, char: int) -> int:
        if self.ascii:
            return char
        i = bisect_right(self._chars_at, char - 1)  # non-ASCII characters before ``char``
        return char + (self._extra[i - 1] if i else 0)

    def to_chars(self, byte: int) -> int:
        if self.ascii:
            return byte
        i = bisect_right(self._bytes_at, byte - 1)  # non-ASCII characters starting before it
        return byte - (self._extra[i - 1] if i else 0)
