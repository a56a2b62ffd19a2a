"""What matching reads of a parsed document, worked out once for all of a rubric's criteria.

:class:`SentenceIndex` says which sentence (and block) an offset falls in and holds the
document's lower-cased and UTF-8 forms and the spans of each zone; :func:`rubric_patterns_present`
reads the document once for all of the rubric's patterns. Where a criterion's signals occur is
found in ``credscore.engine.score.criterion_hits``.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property

from credscore.engine.compile import CompiledRubric
from credscore.engine.phrases import lowered_text
from credscore.engine.regex import MAX_HIT, Blocks, Utf8Offsets
from credscore.models import ParsedDocument
from credscore.parse.parsed import ParsedText


class SentenceIndex:
    """Which sentence (and block) a character offset falls in, by binary search; and the
    document's forms that matching reads (lower-cased, UTF-8), computed once for all criteria."""

    def __init__(self, doc: ParsedText | ParsedDocument) -> None:
        parsed = doc if isinstance(doc, ParsedText) else ParsedText.of(doc)
        self.parsed = parsed
        self.id, self.title, self.words = parsed.id, parsed.title, parsed.words
        self.text = parsed.text
        self.links = parsed.links
        self.starts = parsed.sentence_starts
        self.ends = parsed.sentence_ends
        self.zones = parsed.sentence_zones
        self._ranges: dict[tuple[frozenset[str], frozenset[int] | None], list[tuple[int, int]]] = {}
        self._byte_ranges: dict[frozenset[str], list[tuple[int, int]]] = {}
        # The hits of a pattern search that several criteria run (see ``plan.RegexStep``), by
        # (the pattern's span search, zones), as character spans: found once per document.
        self.shared_hits: dict[tuple[object, frozenset[str]], list[tuple[int, int]]] = {}

    @cached_property
    def block_of(self) -> list[int]:
        """The block of every sentence."""
        block_starts = self.parsed.block_starts
        return [bisect_right(block_starts, s) - 1 for s in self.starts]

    @cached_property
    def lowered(self) -> str:
        # The parser's lower-cased text, where it made one, is what lowered_text gives.
        lowered = self.parsed.lowered
        return lowered if lowered is not None else lowered_text(self.text)

    @cached_property
    def data(self) -> bytes:
        """The text in UTF-8, as patterns read it."""
        return self.text.encode("utf-8", "surrogatepass")

    @cached_property
    def offsets(self) -> Utf8Offsets:
        return Utf8Offsets(self.text)

    @cached_property
    def blocks(self) -> Blocks:
        """Where each paragraph starts and ends in :attr:`data`: a pattern's match lies within
        one, as a phrase does."""
        starts, ends = self.parsed.block_starts, self.parsed.block_ends
        offsets = self.offsets
        if not offsets.ascii:
            starts = [offsets.to_bytes(c) for c in starts]
            ends = [offsets.to_bytes(c) for c in ends]
        return starts, ends

    def ranges(self, zones: frozenset[str], sentences: set[int] | None = None,
               ) -> list[tuple[int, int]]:
        """Spans of consecutive sentences in ``zones``: pattern signals scan only these, not the
        comments and chrome they never read, and a hit never runs into a sentence of another
        zone. With ``sentences``, the spans where a hit can start in one of them: each runs on
        past it into the next sentences of its paragraph in ``zones``, as far as a hit can reach
        (MAX_HIT)."""
        key = (zones, None if sentences is None else frozenset(sentences))
        cache = self._ranges
        if key in cache:
            return cache[key]
        if sentences is None:
            out = _joined(self.zone_runs, zones)
        else:
            out = []
            starts, ends, zone_of, block_of = self.starts, self.ends, self.zones, self.block_of
            reached = 0  # the first sentence past the last range's end: never walked again
            for i in sorted(sentences):
                if zone_of[i] not in zones:
                    continue
                # A hit that starts in this sentence may run on into the sentences after it in
                # its paragraph, as it would in a scan of the whole run (a character is at least
                # one byte). The sentences before ``reached`` are in the last range already.
                j = max(i + 1, reached)
                start, end = starts[i], ends[j - 1]
                while (j < len(starts) and zone_of[j] in zones and block_of[j] == block_of[i]
                       and end < ends[i] + MAX_HIT):
                    end = ends[j]
                    j += 1
                reached = j
                if out and start <= out[-1][1]:
                    out[-1] = (out[-1][0], max(out[-1][1], end))
                else:
                    out.append((start, end))
        cache[key] = out
        return out

    def byte_ranges(self, zones: frozenset[str], sentences: set[int] | None = None,
                    ) -> list[tuple[int, int]]:
        """:meth:`ranges` as offsets into :attr:`data`."""
        if sentences is None:
            found = self._byte_ranges.get(zones)
            if found is None:  # the runs are in bytes already: nothing to convert
                found = self._byte_ranges[zones] = _joined(self.byte_zone_runs, zones)
            return found
        ranges = self.ranges(zones, sentences)
        offsets = self.offsets
        if not offsets.ascii:  # byte and character offsets differ
            to_bytes = offsets.to_bytes
            ranges = [(to_bytes(start), to_bytes(end)) for start, end in ranges]
        return ranges

    @cached_property
    def zone_runs(self) -> list[tuple[str, int, int]]:
        """Runs of consecutive sentences in one zone, as (zone, start of the first, end of the
        last): the spans that :meth:`ranges` joins, fewer than the sentences."""
        runs: list[tuple[str, int, int]] = []
        for zone, start, end in zip(self.zones, self.starts, self.ends, strict=True):
            if runs and runs[-1][0] == zone:
                runs[-1] = (zone, runs[-1][1], end)
            else:
                runs.append((zone, start, end))
        return runs

    @cached_property
    def byte_zone_runs(self) -> list[tuple[str, int, int]]:
        """:attr:`zone_runs` as offsets into :attr:`data`."""
        offsets = self.offsets
        if offsets.ascii:
            return self.zone_runs
        to_bytes = offsets.to_bytes
        return [(zone, to_bytes(start), to_bytes(end)) for zone, start, end in self.zone_runs]

    def at(self, offset: int) -> int | None:
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return i
        return None


def _joined(runs: list[tuple[str, int, int]], zones: frozenset[str]) -> list[tuple[int, int]]:
    """The spans of the runs in ``zones``, consecutive ones joined into one."""
    out: list[tuple[int, int]] = []
    joining = False
    for zone, start, end in runs:
        if zone not in zones:
            joining = False
        elif joining:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
            joining = True
    return out


def overlapping(ranges: list[tuple[int, int]], runs: list[tuple[int, int]],
              ) -> list[tuple[int, int]]:
    """Where the spans of two sorted lists of disjoint spans overlap, in order."""
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(ranges) and j < len(runs):
        start, end = max(ranges[i][0], runs[j][0]), min(ranges[i][1], runs[j][1])
        if start < end:
            out.append((start, end))
        if ranges[i][1] < runs[j][1]:
            i += 1
        else:
            j += 1
    return out


def rubric_patterns_present(compiled: CompiledRubric, index: SentenceIndex,
                            ) -> dict[int, list[tuple[int, int]]] | None:
    """Which of the rubric's patterns may occur in the document (one read for all of them;
    every pattern that occurs is among them), each with the byte spans of the paragraphs where
    it may (:meth:`PatternFilter.runs`); None when that cannot be told, so that every pattern is
    run everywhere."""
    return compiled.patterns.runs(index.data, index.blocks)
