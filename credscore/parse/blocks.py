"""Raw blocks: what a format reader hands to the parser, and how they become one text.

A reader (plain text, Markdown, HTML) only has to cut its input into blocks made of inline
segments; :func:`assemble` normalises each segment and concatenates everything into the single
text that every offset of a parsed document indexes, keeping link anchors exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from credscore.models import Zone
from credscore.parse.normalize import normalize_inline

BlockKind = Literal["heading", "paragraph", "item", "line", "quote", "caption"]


@dataclass(slots=True)
class RawBlock:
    """One block of an article as its reader saw it.

    ``segments`` are (text, link target or None). ``hint`` is a zone the reader knows from
    structure (an HTML comments section, a ``<nav>``); the zone rules have the last word
    only where the reader has none.
    """

    segments: list[tuple[str, str | None]]
    kind: BlockKind = "paragraph"
    hint: Zone | None = None

    @classmethod
    def of(cls, text: str, kind: BlockKind = "paragraph", hint: Zone | None = None) -> RawBlock:
        return cls([(text, None)], kind, hint)


@dataclass(slots=True)
class AssembledBlock:
    start: int
    end: int
    kind: BlockKind
    hint: Zone | None


@dataclass(slots=True)
class Assembled:
    text: str
    blocks: list[AssembledBlock] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)


def assemble(raw_blocks: list[RawBlock]) -> Assembled:
    """Normalise and join blocks with a blank line between them; empty blocks are dropped.
    Each block's text is its words one space apart (no other whitespace, none at its ends)."""
    parts: list[str] = []
    out = Assembled(text="")
    pos = 0
    for raw in raw_blocks:
        stripped, links = _block_text(raw.segments)
        if not stripped:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(stripped)
        out.blocks.append(AssembledBlock(pos, pos + len(stripped), raw.kind, raw.hint))
        for s, e, target in links:
            e = min(e, len(stripped))
            if s < e:
                out.links.append((pos + s, pos + e, target))
        pos += len(stripped)
    out.text = "".join(parts)
    return out


def prepend(block: RawBlock, rest: Assembled) -> Assembled:
    """What ``assemble([block, *raw])`` gives, from ``rest = assemble(raw)``."""
    return insert(block, 0, rest)


def insert(block: RawBlock, at: int, rest: Assembled) -> Assembled:
    """What assembling ``raw`` with ``block`` put just before the raw block of ``rest``'s block
    ``at`` (after its block ``at - 1``) gives, from ``rest = assemble(raw)``: the blocks of
    ``rest`` are moved along by the new one, not normalised again, and the raw blocks need not
    be kept to insert one."""
    head = assemble([block])
    if not head.blocks:
        return rest
    if not rest.blocks:
        return head
    shift = len(head.text) + 2
    blocks = rest.blocks
    if at < len(blocks):
        pos = start = blocks[at].start  # the new block and a blank line go in before it
        text = f"{rest.text[:pos]}{head.text}\n\n{rest.text[pos:]}"
    else:
        pos = len(rest.text)  # a blank line and the new block go after the last
        start = pos + 2
        text = f"{rest.text}\n\n{head.text}"
    new = AssembledBlock(start, start + len(head.text), block.kind, block.hint)
    moved = [*blocks[:at], new, *(AssembledBlock(b.start + shift, b.end + shift, b.kind, b.hint)
                                  for b in blocks[at:])]
    before = [link for link in rest.links if link[0] < pos]
    links = [*before, *((s + start, e + start, target) for s, e, target in head.links),
             *((s + shift, e + shift, target) for s, e, target in rest.links[len(before):])]
    return Assembled(text, moved, links)


def split(rest: Assembled, at: int, cut: int, kind: BlockKind) -> Assembled:
    """What assembling ``rest``'s block ``at`` as two blocks gives: the first up to ``cut`` (an
    offset in the text, at a space inside the block), of the given kind, and the rest after
    that space, of the block's own kind. The space becomes the blank line between blocks; a link
    whose anchor the cut crosses keeps its piece of the anchor in each part."""
    block = rest.blocks[at]
    if not block.start < cut < block.end - 1 or rest.text[cut] != " ":
        raise ValueError(f"cannot split block {at} at {cut}")
    text = f"{rest.text[:cut]}\n\n{rest.text[cut + 1:]}"
    blocks = [*rest.blocks[:at], AssembledBlock(block.start, cut, kind, block.hint),
              AssembledBlock(cut + 2, block.end + 1, block.kind, block.hint),
              *(AssembledBlock(b.start + 1, b.end + 1, b.kind, b.hint) for b in rest.blocks[at + 1:])]
    links: list[tuple[int, int, str]] = []
    for s, e, target in rest.links:
        if e <= cut:
            links.append((s, e, target))
        elif s > cut:
            links.append((s + 1, e + 1, target))
        else:  # the anchor runs over the cut: each part keeps its words
            if s < cut:
                links.append((s, cut, target))
            if e > cut + 1:
                links.append((cut + 2, e + 1, target))
    return Assembled(text, blocks, links)


def _block_text(segments: list[tuple[str, str | None]],
                ) -> tuple[str, Sequence[tuple[int, int, str]]]:
    """A block's segments normalised and joined, without the spaces at its ends, and the
    spans of its link anchors in that text (a span may run past its end: cut it there)."""
    if len(segments) == 1 and segments[0][1] is None:  # one piece of text, no link
        piece = normalize_inline(segments[0][0])
        return (piece[1:] if piece.startswith(" ") else piece).rstrip(" "), ()
    pieces: list[str] = []
    links: list[tuple[int, int, str]] = []
    length = 0
    for text, target in segments:
        piece = normalize_inline(text)
        if piece.startswith(" ") and (length == 0 or pieces[-1].endswith(" ")):
            piece = piece[1:]
        if not piece:
            continue
        if target is not None:
            lead = len(piece) - len(piece.lstrip(" "))
            anchor = piece.strip(" ")
            if anchor:
                links.append((length + lead, length + lead + len(anchor), target))
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces).rstrip(" "), links
