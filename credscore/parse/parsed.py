"""A parsed article as the parser makes it and the scorer reads it: the text, and its blocks,
sentences and links as plain lists of offsets and zones.

Scoring reads sentences by the thousand; lists of their starts, ends and zones cost a fraction of
a model per sentence. :meth:`ParsedText.to_model` gives the public
:class:`~credscore.models.ParsedDocument`, and :meth:`ParsedText.of` reads one back.
"""

from __future__ import annotations

from dataclasses import dataclass

from credscore.models import Block, Link, ParsedDocument, Sentence, Zone

# The zones that are the article itself: their words are the article's length.
OWN_ZONES = frozenset({"title", "byline", "body", "quote", "references"})


@dataclass(slots=True)
class ParsedText:
    id: str
    title: str | None
    metadata: dict[str, str]
    text: str
    block_starts: list[int]
    block_ends: list[int]
    block_zones: list[Zone]
    sentence_starts: list[int]
    sentence_ends: list[int]
    sentence_zones: list[Zone]
    links: list[tuple[int, int, str]]
    words: int  # as ``ParsedDocument.words`` counts them
    # ``text`` lower-cased, where the parser had it (``credscore.patterns.caseless``): the
    # scorer's phrase pass reads it instead of lowering the text again.
    lowered: str | None = None

    @classmethod
    def of(cls, doc: ParsedDocument) -> ParsedText:
        sentences = doc.sentences
        return cls(
            id=doc.id, title=doc.title, metadata=doc.metadata, text=doc.text,
            block_starts=[b.start for b in doc.blocks], block_ends=[b.end for b in doc.blocks],
            block_zones=[b.zone for b in doc.blocks],
            sentence_starts=[s.start for s in sentences], sentence_ends=[s.end for s in sentences],
            sentence_zones=[s.zone for s in sentences],
            links=[(link.start, link.end, link.target) for link in doc.links],
            words=doc.words,
        )

    def to_model(self) -> ParsedDocument:
        # Offsets and zones made by the parser need no validation.
        block, sentence, link = Block.trusted, Sentence.trusted, Link.trusted
        return ParsedDocument.trusted(
            id=self.id,
            title=self.title,
            metadata=self.metadata,
            text=self.text,
            blocks=tuple(block(start=s, end=e, zone=z) for s, e, z in
                         zip(self.block_starts, self.block_ends, self.block_zones, strict=True)),
            sentences=tuple(sentence(start=s, end=e, zone=z) for s, e, z in
                            zip(self.sentence_starts, self.sentence_ends, self.sentence_zones,
                                strict=True)),
            links=tuple(link(start=s, end=e, target=t) for s, e, t in self.links),
        )
