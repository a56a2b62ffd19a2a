"""Find where a criterion's signals occur in a parsed document.

A hit is kept when its sentence lies in a zone the signal reads and the sentence satisfies the
signal's ``with`` / ``without`` constraints. Those constraints look at the other signals' hits in
the zones they read, before their own constraints, so they can never loop.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property
from typing import NamedTuple

from credscore.engine.compile import CompiledCriterion, CompiledRubric
from credscore.engine.phrases import lowered_text
from credscore.engine.regex import Utf8Offsets
from credscore.models import ParsedDocument
from credscore.parse.parsed import ParsedText


class Hit(NamedTuple):  # a tuple: made for every hit, and cheaper than a frozen dataclass
    signal: int
    start: int
    end: int
    sentence: int


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

    @cached_property
    def block_of(self) -> list[int]:
        """The block of every sentence."""
        block_starts = self.parsed.block_starts
        return [bisect_right(block_starts, s) - 1 for s in self.starts]

    @cached_property
    def lowered(self) -> str:
        return lowered_text(self.text)

    @cached_property
    def data(self) -> bytes:
        """The text in UTF-8, as patterns read it."""
        return self.text.encode("utf-8", "surrogatepass")

    @cached_property
    def offsets(self) -> Utf8Offsets:
        return Utf8Offsets(self.text)

    def ranges(self, zones: frozenset[str], sentences: set[int] | None = None,
               ) -> list[tuple[int, int]]:
        """Spans of consecutive sentences in ``zones`` (and among ``sentences`` if given):
        pattern signals scan only these, not the comments and chrome they never read, and a
        hit never runs into a sentence of another zone."""
        key = (zones, None if sentences is None else frozenset(sentences))
        cache = self._ranges
        if key in cache:
            return cache[key]
        if sentences is None:
            runs, selected = self.zone_runs, range(len(self.zone_runs))
        else:
            runs, selected = self.sentence_runs, sorted(sentences)
        out: list[tuple[int, int]] = []
        last = -2
        for i in selected:
            zone, start, end = runs[i]
            if zone not in zones:
                continue
            if out and i - 1 == last:
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
            last = i
        cache[key] = out
        return out

    def byte_ranges(self, zones: frozenset[str], sentences: set[int] | None = None,
                    ) -> list[tuple[int, int]]:
        """:meth:`ranges` as offsets into :attr:`data`."""
        if sentences is None:
            found = self._byte_ranges.get(zones)
            if found is not None:
                return found
        ranges = self.ranges(zones, sentences)
        offsets = self.offsets
        if not offsets.ascii:  # byte and character offsets differ
            to_bytes = offsets.to_bytes
            ranges = [(to_bytes(start), to_bytes(end)) for start, end in ranges]
        if sentences is None:
            self._byte_ranges[zones] = ranges
        return ranges

    @cached_property
    def sentence_runs(self) -> list[tuple[str, int, int]]:
        """Every sentence as a run of its own: (zone, start, end)."""
        return list(zip(self.zones, self.starts, self.ends, strict=True))

    @cached_property
    def zone_runs(self) -> list[tuple[str, int, int]]:
        """Runs of consecutive sentences in one zone, as (zone, start of the first, end of the
        last): the spans that :meth:`ranges` joins, fewer than the sentences."""
        runs: list[tuple[str, int, int]] = []
        for zone, start, end in self.sentence_runs:
            if runs and runs[-1][0] == zone:
                runs[-1] = (zone, runs[-1][1], end)
            else:
                runs.append((zone, start, end))
        return runs

    def at(self, offset: int) -> int | None:
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return i
        return None


def rubric_phrase_hits(compiled: CompiledRubric, index: SentenceIndex,
                       ) -> dict[int, list[tuple[int, int, int]]]:
    """Phrase hits of every criterion in one pass: criterion index -> (start, end, signal)."""
    by_criterion: dict[int, list[tuple[int, int, int]]] = {}
    for start, end, key in compiled.phrases.find(index.text, index.lowered):
        ci, si = key  # type: ignore[misc]
        by_criterion.setdefault(ci, []).append((start, end, si))
    return by_criterion


def rubric_patterns_present(compiled: CompiledRubric, index: SentenceIndex,
                            ) -> frozenset[int] | None:
    """Which of the rubric's patterns may occur in the document (one read for all of them;
    every pattern that occurs is among them); None when that cannot be told, so that every
    pattern is run."""
    return compiled.patterns.candidates(index.data)


def raw_hits(criterion: CompiledCriterion, doc: ParsedDocument, index: SentenceIndex,
             phrase_hits: list[tuple[int, int, int]] | None = None,
             present: frozenset[int] | None = None) -> list[Hit]:
    """Every hit of every signal in a zone the signal reads, in text order (at one position,
    the longest first). ``phrase_hits`` are the criterion's phrase hits when already found for
    the whole rubric (otherwise the criterion's own table finds them); ``present`` says which
    of the rubric's patterns may occur in the document (None: run them all)."""
    if phrase_hits is None:
        phrase_hits = [(s, e, int(k)) for s, e, k in  # type: ignore[call-overload]
                       criterion.phrases.find(doc.text, index.lowered)]
    found: list[tuple[int, int, int]] = list(phrase_hits)
    for sig in criterion.regex_signals:
        if present is not None and sig.set_index not in present:
            continue
        assert sig.regex is not None
        ranges = index.ranges(sig.zones, _required_sentences(criterion, sig.index, phrase_hits,
                                                             index))
        if not ranges:
            continue
        offsets, data, spans, i = index.offsets, index.data, sig.regex.spans, sig.index
        for start, end in ranges:
            if offsets.ascii:  # byte and character offsets are the same
                found.extend([(a, b, i) for a, b in spans(data, start, end)])
                continue
            for a, b in spans(data, offsets.to_bytes(start), offsets.to_bytes(end)):
                found.append((offsets.to_chars(a), offsets.to_chars(b), i))
    for sig in criterion.link_signals:
        for link in doc.links:
            if sig.matches_link(link.target):
                found.append((link.start, link.end, sig.index))
    found.sort(key=_text_order)
    hits: list[Hit] = []
    last_end: dict[int, int] = {}
    zones_of, starts, ends, zones = criterion.zones_of, index.starts, index.ends, index.zones
    for start, end, sig_index in found:
        if start < last_end.get(sig_index, -1):
            continue  # overlaps an earlier hit of the same signal
        sentence = bisect_right(starts, start) - 1
        if sentence < 0 or start >= ends[sentence]:
            continue  # between sentences
        if zones[sentence] not in zones_of[sig_index]:
            continue
        last_end[sig_index] = end
        hits.append(Hit(sig_index, start, end, sentence))
    return hits


def _text_order(hit: tuple[int, int, int]) -> tuple[int, int, int]:
    """Start first, then the longest, then the signal's place."""
    start, end, signal = hit
    return start, -end, signal


def _required_sentences(criterion: CompiledCriterion, signal: int,
                        phrase_hits: list[tuple[int, int, int]], index: SentenceIndex,
                        ) -> set[int] | None:
    """Sentences where a signal with ``with`` constraints can count, when every signal it
    needs is a phrase signal (whose hits are already known); None means "all sentences"."""
    spec = criterion.signals[signal].spec
    if not spec.with_:
        return None
    needed = {s.index for s in criterion.signals if s.id in spec.with_}
    if not needed or not all(criterion.signals[i].is_phrase for i in needed):
        return None
    per_signal: dict[int, set[int]] = {i: set() for i in needed}
    for start, _, si in phrase_hits:
        if si in per_signal:
            sentence = index.at(start)
            if sentence is not None:
                per_signal[si].add(sentence)
    if spec.within == "block":
        blocks = set.intersection(*({index.block_of[x] for x in v} for v in per_signal.values()))
        return {i for i, b in enumerate(index.block_of) if b in blocks}
    return set.intersection(*per_signal.values())


def constrained_hits(criterion: CompiledCriterion, hits: list[Hit], index: SentenceIndex) -> list[Hit]:
    """Hits whose sentence (or block) meets their signal's ``with`` and ``without``."""
    if not criterion.constrained:
        return hits
    ids, specs, block_of = criterion.ids, criterion.specs, index.block_of
    by_sentence: dict[int, set[str]] = {}
    by_block: dict[int, set[str]] = {}
    for signal, _, _, sentence in hits:
        by_sentence.setdefault(sentence, set()).add(ids[signal])
        by_block.setdefault(block_of[sentence], set()).add(ids[signal])
    kept = []
    for h in hits:
        spec = specs[h.signal]
        if not spec.with_ and not spec.without:
            kept.append(h)
            continue
        present = by_block[block_of[h.sentence]] if spec.within == "block" else by_sentence[h.sentence]
        if present.issuperset(spec.with_) and present.isdisjoint(spec.without):
            kept.append(h)
    return kept
