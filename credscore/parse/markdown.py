"""Markdown reader (markdown-it-py): headings, paragraphs, list items, block quotes, links,
GitHub tables (a cell is a block, as in HTML), and front matter (YAML between ``---`` lines or
TOML between ``+++`` lines), whose title, author and dates become the article's metadata."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from credscore.parse.blocks import BlockKind, RawBlock
from credscore.parse.html import element_blocks, parse_html

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@cache
def _markdown() -> MarkdownIt:
    """The Markdown parser, made when a Markdown file is first read (most runs read none)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])
_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n(?:\1|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                           re.DOTALL)
# A top-level "key: value" (YAML) or "key = value" (TOML) line of front matter.
_FRONT_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*[:=][ \t]*(.*?)[ \t]*$")
_FRONT_KEYS = {"title": "title", "author": "author", "date": "date", "updated": "updated",
               "lastmod": "updated", "last_modified": "updated", "modified": "updated",
               "description": "description"}


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The metadata of a front-matter block at the start of ``text``, and the text after it.

    Only plain one-line values are read (lists, nested maps and multi-line values are skipped):
    front matter is data from the article, and a YAML parser would also expand aliases.
    """
    m = _FRONT_MATTER.match(text)
    if m is None:
        return {}, text
    found: dict[str, str] = {}
    for line in m.group(2).splitlines():
        field = _FRONT_FIELD.match(line)
        if field is None or field.group(1).lower() not in _FRONT_KEYS:
            continue
        value = field.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if value and value[0] not in "[{|>&*!#":
            found.setdefault(_FRONT_KEYS[field.group(1).lower()], value)
    return found, text[m.end():]


def markdown_blocks(text: str) -> tuple[list[RawBlock], dict[str, str]]:
    """Raw blocks and the front matter's metadata (title, author, date, updated, description)."""
    metadata, text = front_matter(text)
    blocks: list[RawBlock] = []
    context: list[str] = []
    for token in _markdown().parse(text):
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
    return blocks, metadata


def _kind(context: list[str]) -> BlockKind:
    if "heading_open" in context:
        return "heading"
    if "td_open" in context or "th_open" in context:
        return "line"
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
        elif child.type in ("text", "code_inline"):  # strikethrough's text is still text
            if href is not None and segments and segments[-1][1] == href:
                segments[-1] = (segments[-1][0] + child.content, href)
            else:
                segments.append((child.content, href))
        elif child.type == "image":
            segments.append((child.content, None))
    return segments
