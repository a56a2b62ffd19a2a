"""Parsing: a :class:`Document` becomes a :class:`ParsedDocument` of zones and sentences."""

from __future__ import annotations

from credscore.models import Block, Document, Link, ParsedDocument, Sentence, Zone
from credscore.parse.blocks import Assembled, RawBlock, assemble
from credscore.parse.byline import byline_metadata, metadata_byline
from credscore.parse.html import MAX_HTML_DEPTH, html_blocks, markup_depth
from credscore.parse.markdown import markdown_blocks
from credscore.parse.normalize import normalize_inline
from credscore.parse.quotes import quote_spans, quoted_sentences
from credscore.parse.sentences import split_sentences
from credscore.parse.text import text_blocks
from credscore.parse.zones import classify_blocks

__all__ = ["ParseError", "parse"]


class ParseError(ValueError):
    """A document that yields no article text; the message says why, for the error list."""


def _raw_blocks(doc: Document) -> tuple[list[RawBlock], dict[str, str]]:
    if doc.format == "html":
        return html_blocks(doc.content)
    if doc.format == "markdown":
        return markdown_blocks(doc.content)
    return text_blocks(doc.content), {}


def parse(doc: Document) -> ParsedDocument:
    raw, found_meta = _raw_blocks(doc)
    metadata = {**found_meta, **doc.metadata}
    title = doc.title or metadata.get("title")
    assembled = assemble(raw)
    if title and not _title_among(assembled.text, title):
        # A title given apart from the text (JSONL, HTML <title>) is put first so that rules
        # reading the title zone see it, and offsets stay consistent.
        raw = [RawBlock.of(title, "heading"), *raw]
        assembled = assemble(raw)
    if not assembled.text.strip():
        raise ParseError(_why_empty(doc))
    zones = classify_blocks(assembled.text, assembled.blocks, title)
    assembled, zones = _with_metadata_byline(raw, assembled, zones, metadata)
    text = assembled.text
    # Offsets and zones made here need no validation: building the models unchecked halves
    # the cost of a parsed document's objects.
    blocks = tuple(
        Block.trusted(start=b.start, end=b.end, zone=z)
        for b, z in zip(assembled.blocks, zones, strict=True)
    )
    sentences: list[Sentence] = []
    sentence = Sentence.trusted
    for b, block_zone in zip(assembled.blocks, zones, strict=True):
        spans = split_sentences(text, b.start, b.end)
        quoted = quote_spans(text, b.start, b.end) if block_zone == "body" else None
        if not quoted:
            sentences.extend(sentence(start=s, end=e, zone=block_zone) for s, e in spans)
            continue
        for (start, end), is_quote in zip(spans, quoted_sentences(spans, quoted), strict=True):
            zone: Zone = "quote" if is_quote else block_zone
            sentences.append(sentence(start=start, end=end, zone=zone))
    if title is None:
        title = next((text[b.start : b.end] for b in blocks if b.zone == "title"), None)
    found = byline_metadata([text[b.start : b.end] for b in blocks if b.zone == "byline"])
    metadata = {**found, **metadata}
    return ParsedDocument.trusted(
        id=doc.id,
        title=title,
        metadata=metadata,
        text=text,
        blocks=blocks,
        sentences=tuple(sentences),
        links=tuple(Link.trusted(start=s, end=e, target=t) for s, e, t in assembled.links),
    )


def _with_metadata_byline(raw: list[RawBlock], assembled: Assembled, zones: list[Zone],
                          metadata: dict[str, str]) -> tuple[Assembled, list[Zone]]:
    """The text with a byline line for the author and date that only the metadata holds, put
    after the page's own byline (or its title, or first), so that criteria see what the parser
    found; unchanged when the page's byline says it all."""
    text = assembled.text
    bylines = [text[b.start : b.end] for b, z in zip(assembled.blocks, zones, strict=True)
               if z == "byline"]
    line = metadata_byline(metadata, bylines)
    if line is None:
        return assembled, zones
    after = [i for i, z in enumerate(zones) if z == "byline"] or \
        [i for i, z in enumerate(zones) if z == "title"][:1]
    at = after[-1] + 1 if after else 0
    source = assembled.blocks[at - 1].source + 1 if at else 0
    raw = [*raw[:source], RawBlock.of(line, "line", hint="byline"), *raw[source:]]
    return assemble(raw), [*zones[:at], "byline", *zones[at:]]


def _why_empty(doc: Document) -> str:
    if doc.format == "html":
        depth = markup_depth(doc.content)
        if depth > MAX_HTML_DEPTH:
            return (f"no text could be extracted: the HTML is nested {depth:,} levels deep "
                    f"(HTML parsers stop at {MAX_HTML_DEPTH})")
        return "no article text found in the HTML"
    return "no article text found"


def _title_among(text: str, title: str) -> bool:
    wanted = normalize_inline(title).strip().lower()
    return wanted in text[: len(wanted) + 3000].lower()
