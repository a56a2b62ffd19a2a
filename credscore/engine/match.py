"""Find where a criterion's signals occur in a parsed document.

A hit is kept when its sentence lies in a zone the signal reads and the sentence satisfies the
signal's ``with`` / ``without`` constraints. Those constraints look at the other signals' hits in
the zones they read, before their own constraints, so they can never loop.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from credscore.engine.compile import CompiledCriterion
from credscore.models import ParsedDocument


@dataclass(frozen=True, slots=True)
class Hit:
    signal: int
    start: int
    end: int
    sentence: int


class SentenceIndex:
    """Which sentence (and block) a character offset falls in, by binary search."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        self.starts = [s.start for s in doc.sentences]
        block_starts = [b.start for b in doc.blocks]
        self.block_of = [bisect_right(block_starts, s.start) - 1 for s in doc.sentences]

    def at(self, offset: int) -> int | None:
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.doc.sentences[i].end:
            return i
        return None


def raw_hits(criterion: CompiledCriterion, doc: ParsedDocument, index: SentenceIndex) -> list[Hit]:
    """Every hit of every signal in a zone the signal reads, in text order."""
    text = doc.text
    found: list[tuple[int, int, int]] = []
    if criterion.scanner is not None:
        phrase_signals = [s for s in criterion.signals if s.is_phrase and s.in_text]
        for m in criterion.scanner.finditer(text):
            pos = m.start()
            first = m.lastgroup
            for sig in phrase_signals:
                if first == f"s{sig.index}":
                    end = m.end(first)
                else:
                    other = sig.pattern.match(text, pos)
                    if other is None:
                        continue
                    end = other.end()
                if end > pos:
                    found.append((pos, end, sig.index))
    for sig in criterion.regex_signals:
        for m in sig.pattern.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), sig.index))
    for sig in criterion.link_signals:
        for link in doc.links:
            if sig.pattern.search(link.target):
                found.append((link.start, link.end, sig.index))
    found.sort()
    hits: list[Hit] = []
    last_end: dict[int, int] = {}
    for start, end, sig_index in found:
        if start < last_end.get(sig_index, -1):
            continue  # overlaps an earlier hit of the same signal
        sentence = index.at(start)
        if sentence is None:
            continue
        if doc.sentences[sentence].zone not in criterion.signals[sig_index].zones:
            continue
        last_end[sig_index] = end
        hits.append(Hit(sig_index, start, end, sentence))
    return hits


def constrained_hits(criterion: CompiledCriterion, hits: list[Hit], index: SentenceIndex) -> list[Hit]:
    """Hits whose sentence (or block) meets their signal's ``with`` and ``without``."""
    by_sentence: dict[int, set[str]] = {}
    by_block: dict[int, set[str]] = {}
    for h in hits:
        signal_id = criterion.signals[h.signal].id
        by_sentence.setdefault(h.sentence, set()).add(signal_id)
        by_block.setdefault(index.block_of[h.sentence], set()).add(signal_id)
    kept = []
    for h in hits:
        spec = criterion.signals[h.signal].spec
        if not spec.with_ and not spec.without:
            kept.append(h)
            continue
        present = by_block[index.block_of[h.sentence]] if spec.within == "block" else by_sentence[h.sentence]
        if all(w in present for w in spec.with_) and not any(w in present for w in spec.without):
            kept.append(h)
    return kept
