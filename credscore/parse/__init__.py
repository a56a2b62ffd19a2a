"""Parsing: a :class:`Document` becomes a :class:`ParsedDocument` of zones and sentences."""

from __future__ import annotations

from credscore.models import Document, ParsedDocument, Zone
from credscore.parse.blocks import Assembled, RawBlock, assemble, insert, prepend, split
from credscore.parse.byline import byline_metadata, metadata_byline
from credscore.parse.parsed import OWN_ZONES, ParsedText
from credscore.parse.quotes import (
    is_whole_quotation,
    opening_mark,
    quote_spans,
    quoted_sentences,
    speaker_turns,
)
from credscore.parse.sentences import sentence_bounds
from credscore.parse.text import text_blocks
from credscore.parse.zones import (
    HEADER_BLOCKS,
    block_words,
    classify_blocks,
    title_block,
    title_lead,
)
from credscore.patterns import caseless

__all__ = ["ParseError", "ParsedText", "parse", "parse_text"]


class ParseError(ValueError):
    """A document that yields no article text; the message says why, for the error list."""


def _raw_blocks(doc: Document) -> tuple[list[RawBlock], dict[str, str]]:
    # The HTML and Markdown readers (and lxml under them) are loaded when a document needs them.
    if doc.format == "html":
        from credscore.parse.html import html_blocks

        return html_blocks(doc.content)
    if doc.format == "markdown":
        from credscore.parse.markdown import markdown_blocks

        return markdown_blocks(doc.content)
    return text_blocks(doc.content, headline=not (doc.title or doc.metadata.get("title"))), {}


def parse(doc: Document) -> ParsedDocument:
    return parse_text(doc).to_model()


def parse_text(doc: Document) -> ParsedText:
    """The article cut into zones and sentences, as plain lists (see :class:`ParsedText`)."""
    raw, found_meta = _raw_blocks(doc)
    metadata = {**found_meta, **doc.metadata}
    title = doc.title or metadata.get("title")
    assembled = assemble(raw)
    del raw  # the blocks are in the text now: a byline line is inserted there (see insert)
    if title and not _title_among(assembled, title):
        # A title given apart from the text (JSONL, HTML <title>) is put first so that rules
        # reading the title zone see it, and offsets stay consistent: unless a block near the
        # top is the title, which the zones then find. A first block that opens with the
        # title standing apart ("Title Its subtitle", a headline pasted in with what follows
        # it) is cut after it instead, so that its words are read once, as the title. A title
        # that the text holds only inside a longer sentence ("Phone support can help ease
        # depression, a small study suggests") is put first too: that block is the body's,
        # and the article would have no title.
        first = assembled.blocks[0] if assembled.blocks else None
        cut = None if first is None else title_lead(assembled.text[first.start : first.end], title)
        if first is not None and cut is not None:
            assembled = split(assembled, 0, first.start + cut, "heading")
        else:
            assembled = prepend(RawBlock.of(title, "heading"), assembled)
    if not assembled.text.strip():
        raise ParseError(_why_empty(doc))
    counts = block_words(assembled.text, assembled.blocks)
    # Zoning and quote detection find case-blind words in the text lower-cased once.
    lowered = caseless(assembled.text)
    zones = classify_blocks(assembled.text, assembled.blocks, title, counts, lowered,
                            assembled.links)
    with_byline, zones = _with_metadata_byline(assembled, zones, metadata)
    if with_byline is not assembled:
        assembled = with_byline
        counts = block_words(assembled.text, assembled.blocks)
        lowered = caseless(assembled.text)
    text = assembled.text
    block_starts = [b.start for b in assembled.blocks]
    block_ends = [b.end for b in assembled.blocks]
    starts: list[int] = []
    ends: list[int] = []
    sentence_zones: list[Zone] = []
    words = 0
    body = [i for i, z in enumerate(zones) if z == "body"]
    turns = {i for i, turn in zip(body, speaker_turns(text, [(block_starts[i], block_ends[i])
                                                            for i in body]), strict=True) if turn}
    # The mark of the attributed quotation the block before left open; whether it had one;
    # the mark this block opens with (found when the block before looked ahead at it).
    open_quote: str | None = None
    quoted_before = False
    # Whether the block before is the body's and ends with a colon: a lead-in ("Gov. Ann Lee:",
    # "In a statement, the company said:") to what follows it.
    led_in = False
    opens_with = opening_mark(text, block_starts[0], block_ends[0]) if block_starts else None
    for i, (lo, hi, block_zone, count) in enumerate(zip(block_starts, block_ends, zones, counts,
                                                        strict=True)):
        if block_zone in OWN_ZONES:
            words += count
        first = len(starts)
        sentence_bounds(text, lo, hi, starts, ends)
        this_opens_with = opens_with
        opens_with = (opening_mark(text, block_starts[i + 1], block_ends[i + 1])
                      if i + 1 < len(zones) else None)
        # (a block ends with no space)
        after_lead_in, led_in = led_in, block_zone == "body" and hi > lo and text[hi - 1] == ":"
        if i in turns:  # a speaker's turn in a transcript: quoted speech, all of it
            sentence_zones.extend(["quote"] * (len(starts) - first))
            open_quote, quoted_before = None, False
            continue
        quoted: list[tuple[int, int]] = []
        if block_zone == "body":
            continued = ((open_quote is not None and this_opens_with == open_quote)
                         or ((quoted_before or after_lead_in) and is_whole_quotation(text, lo, hi)))
            # A quotation in single marks left open goes on only into a paragraph of the body
            # that opens with one (see quotation_marks).
            runs_on = opens_with == "'" and zones[i + 1] == "body"
            quoted, open_quote = quote_spans(text, lo, hi, lowered, continued, runs_on)
        else:
            open_quote = None
        quoted_before = bool(quoted)
        if not quoted:
            sentence_zones.extend([block_zone] * (len(starts) - first))
            continue
        spans = list(zip(starts[first:], ends[first:], strict=True))
        sentence_zones.extend(["quote" if is_quote else block_zone
                               for is_quote in quoted_sentences(spans, quoted)])
    if title is None:
        title = next((text[lo:hi] for lo, hi, z in zip(block_starts, block_ends, zones, strict=True)
                      if z == "title"), None)
    found = byline_metadata([text[lo:hi] for lo, hi, z in
                             zip(block_starts, block_ends, zones, strict=True) if z == "byline"])
    metadata = {**found, **metadata}
    return ParsedText(
        id=doc.id,
        title=title,
        metadata=metadata,
        text=text,
        block_starts=block_starts,
        block_ends=block_ends,
        block_zones=zones,
        sentence_starts=starts,
        sentence_ends=ends,
        sentence_zones=sentence_zones,
        links=assembled.links,
        words=words,
        lowered=lowered,
    )


def _with_metadata_byline(assembled: Assembled, zones: list[Zone],
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
    return insert(RawBlock.of(line, "line", hint="byline"), at, assembled), \
        [*zones[:at], "byline", *zones[at:]]


def _why_empty(doc: Document) -> str:
    if doc.format == "html":
        from credscore.parse.html import MAX_HTML_DEPTH, markup_depth

        depth = markup_depth(doc.content)
        if depth > MAX_HTML_DEPTH:
            return (f"no text could be extracted: the HTML is nested {depth:,} levels deep "
                    f"(HTML parsers stop at {MAX_HTML_DEPTH})")
        return "no article text found in the HTML"
    return "no article text found"


def _title_among(assembled: Assembled, title: str) -> bool:
    """Whether one of the first blocks is the given title (the block the zones make the title)."""
    text = assembled.text
    firsts = [text[b.start : b.end] for b in assembled.blocks[:HEADER_BLOCKS]]
    return title_block(firsts, title) is not None
