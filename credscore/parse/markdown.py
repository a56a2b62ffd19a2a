"""Markdown reader (markdown-it-py): headings, paragraphs, list items, block quotes, links."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from credscore.parse.blocks import BlockKind, RawBlock
from credscore.parse.html import element_blocks, parse_html

_MD = MarkdownIt("commonmark")


def markdown_blocks(text: str) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    context: list[str] = []
    for token in _MD.parse(text):
        if token.nesting == 1:
            context.append(token.type)
        elif token.nesting == -1 and context:
            context.pop()
        elif token.type == "inline":
            blocks.append(RawBlock(_segments(token), _kind(context)))
        elif token.type == "html_block":
            blocks.extend(element_blocks(parse_html(token.content)))
        elif token.type in ("fence", "code_block"):
            blocks.append(RawBlock.of(token.content, "paragraph"))
    return blocks


def _kind(context: list[str]) -> BlockKind:
    if "heading_open" in context:
        return "heading"
    if "list_item_open" in context:
        return "item"
    if "blockquote_open" in context:
        return "quote"
    return "paragraph"


def _segments(token: Token) -> list[tuple[str, str | None]]:
    segments: list[tuple[str, str | None]] = []
    href: str | None = None
    for child in token.children or []:
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
        elif child.type == "link_close":
            href = None
        elif child.type in ("softbreak", "hardbreak"):
            segments.append((" ", href))
        elif child.type in ("text", "code_inline"):
            if href is not None and segments and segments[-1][1] == href:
                segments[-1] = (segments[-1][0] + child.content, href)
            else:
                segments.append((child.content, href))
        elif child.type == "image":
            segments.append((child.content, None))
    return segments
