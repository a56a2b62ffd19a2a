"""Markdown reader (markdown-it-py): headings, paragraphs, list items, block quotes, links,
GitHub tables (a cell is a block, as in HTML), and front matter (YAML between ``---`` lines or
TOML between ``+++`` lines), whose title, author and dates become the article's metadata.

markdown-it keeps every token of a document until it is parsed whole, about 400 bytes a token
and six tokens a list item, so a long text is parsed in pieces cut where no Markdown construct
can span the cut (see :func:`pieces`): the blocks are the same, and memory stays that of a piece.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

import yaml

from credscore.parse.blocks import BlockKind, RawBlock
from credscore.parse.html import element_blocks, parse_html
from credscore.parse.text import text_blocks

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@cache
def _markdown() -> MarkdownIt:
    """The Markdown parser, made when a Markdown file is first read (most runs read none)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.options["maxNesting"] = MAX_NESTING
    return md
_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n(?:\1|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                           re.DOTALL)
# A top-level "key: value" (YAML) or "key = value" (TOML) line of front matter.
_FRONT_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*[:=][ \t]*(.*?)[ \t]*$")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there
_FRONT_KEYS = {"title": "title", "author": "author", "date": "date", "updated": "updated",
               "lastmod": "updated", "last_modified": "updated", "modified": "updated",
               "description": "description"}


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The metadata of a front-matter block at the start of ``text``, and the text after it.

    Only plain one-line values are read (lists, nested maps and multi-line values are skipped):
    front matter is data from the article, and a YAML parser would also expand aliases. A quoted
    value is read as its format reads that one string (see :func:`_unquoted`).
    """
    m = _FRONT_MATTER.match(text)
    if m is None:
        return {}, text
    toml = m.group(1) == "+++"
    found: dict[str, str] = {}
    for line in m.group(2).splitlines():
        field = _FRONT_FIELD.match(line)
        if field is None or field.group(1).lower() not in _FRONT_KEYS:
            continue
        value = field.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = _unquoted(value, toml)  # a string, whatever it starts with ("[Draft] ...")
        elif value[:1] in ("", *"[{|>&*!#"):  # none, a list, a map, a block, an alias or a tag
            continue
        if value:
            found.setdefault(_FRONT_KEYS[field.group(1).lower()], value)
    return found, text[m.end():]


# One quoted string and nothing else: YAML's single-quoted ('it''s') or double-quoted ("\\u00e9").
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)


def _unquoted(value: str, toml: bool) -> str:
    """A quoted front-matter value as YAML (or, in TOML front matter, TOML) reads it: it''s in
    single quotes is "it's", Jos\\u00e9 in double quotes is "José". Only that one string is given
    to the parser. A value the parser refuses (or reads as anything but a string) is kept as
    written, without its outer quotes."""
    try:
        if toml:
            import tomllib

            read = tomllib.loads("v = " + value).get("v")
        elif _QUOTED.fullmatch(value):
            read = yaml.load(value, Loader=_YAML_LOADER)
        else:
            read = None
        if isinstance(read, str):
            read.encode("utf-8")  # a lone surrogate (\\ud800) is no text
            return read
    except (yaml.YAMLError, ValueError):  # tomllib's and encoding errors are ValueErrors
        pass
    return value[1:-1]


# Texts longer than this are parsed in pieces of about this size.
PIECE_CHARS = 1 << 18
# What can join lines across a cut, or read a piece otherwise than the whole: a link reference
# definition (used anywhere in the document; "]:" anywhere may be one, in a list item, a quote
# or a label over two lines), an HTML block (a line that starts with "<" may open one, which a
# list item does not end, and some run on past blank lines), an HTML comment, a fence indented
# by one to three spaces (inside a list item it ends with the item, at the top level it does
# not: only a fence at the left margin is followed) and a carriage return that does not end a
# line. A text that holds one is parsed whole.
_UNSAFE_TO_CUT = re.compile(r"\]:|^ {0,3}<|<!--|^ {1,3}(?:`{3}|~{3})|\r[^\n]|\r\Z", re.MULTILINE)
# A line that may be a table's delimiter row ("|---|", or "---" alone): no piece starts at it or
# at the line above it, which it could make a table header (or a heading).
_DELIMITER_ROW = re.compile(r"[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t:|-]*)?\r?\n?\Z")
# Markdown's blank line holds only spaces and tabs (a no-break space is text).
_MARKDOWN_SPACE = " \t\r\n"
_FENCE = re.compile(r"`{3,}|~{3,}")
# A bullet item with text, or an ATX heading: either ends whatever block came before it.
_BLOCK_START = re.compile(r"[-*+][ \t]+\S|#{1,6}(?:[ \t]|\r?\n|$)")


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[tuple[str, str]]:
    """``text`` cut, where it is longer than ``size``, at lines that start a new top-level
    block whatever came before: a line at the left margin after a blank line, or a bullet list
    item ("- x") or a heading ("# x") at the left margin (either ends any paragraph, list item
    or quote before it), never inside a fenced code block; and between the rows of a long table
    (see :class:`_Table`). Each piece comes with the lines to read before it: a table's header
    and delimiter rows when it starts inside that table, else nothing. Each piece parses
    to the blocks the same lines give in the whole text (a repeated header's cells left out)."""
    if len(text) <= size or _UNSAFE_TO_CUT.search(text):
        yield "", text
        return
    start = pos = 0
    fence: str | None = None
    blank_before = False
    table: _Table | None = None
    head = ""  # the header rows of the piece being gathered
    header = ""  # the line before this one, when it may be a table's header row
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        line = text[pos:end]
        if table is not None and not table.row(line):
            table = None
        if fence is None and pos - start >= size and line[0] not in _MARKDOWN_SPACE and \
                (blank_before or _BLOCK_START.match(line) or table is not None) \
                and not _DELIMITER_ROW.match(line) \
                and not _DELIMITER_ROW.match(text, end, text.find("\n", end) + 1 or len(text)):
            yield head, text[start:pos]
            start = pos
            head = table.head if table is not None else ""
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group()[0] == fence[0] and len(opening.group()) >= len(fence) \
                    and not line[opening.end():].strip(_MARKDOWN_SPACE):
                fence = None
        elif opening and not (opening.group()[0] == "`" and "`" in line[opening.end():]):
            fence = opening.group()
        elif header and table is None:
            table = _Table.opened(header, line)
        header = line if fence is None and (blank_before or pos == 0) else ""
        blank_before = not line.strip(_MARKDOWN_SPACE)
        pos = end
    yield head, text[start:]


class _Table:
    """A table at the left margin, after a blank line, whose rows a text may be cut between:
    the piece after the cut is read with the header and delimiter rows before it, and their
    cells are left out. Only while every row is a plain copy of the header's shape: it starts
    with '|', has as many '|' as the header, ends with '|' where the header does, and holds no
    backslash or backtick (which could escape a '|'). Such a row has the header's cells, so
    markdown-it reads it the same whatever rows came before it in the table (its count of
    cells it fills in for short rows stays at zero)."""

    __slots__ = ("_closed", "_pipes", "head")

    def __init__(self, head: str, pipes: int, closed: bool) -> None:
        self.head, self._pipes, self._closed = head, pipes, closed

    @classmethod
    def opened(cls, header: str, delimiter: str) -> _Table | None:
        """The table that ``header`` and ``delimiter`` (two lines, each with its line end)
        open, if they are plain rows that markdown-it reads as a table's head."""
        if not (_plain_row(header) and _plain_row(delimiter)
                and _DELIMITER_ROW.match(delimiter)):
            return None
        tokens = _markdown().parse(header + delimiter)
        if not tokens or tokens[0].type != "table_open":
            return None
        return cls(header + delimiter, header.count("|"), _closed(header))

    def row(self, line: str) -> bool:
        """Whether ``line`` is a row of this table with its header's cells."""
        return _plain_row(line) and line.count("|") == self._pipes and _closed(line) == self._closed


def _plain_row(line: str) -> bool:
    return line[:1] == "|" and "\\" not in line and "`" not in line and line.endswith("\n")


def _closed(line: str) -> bool:
    return line.rstrip(_MARKDOWN_SPACE).endswith("|")


# markdown-it leaves out the text of blocks nested deeper than its limit (20 levels in CommonMark
# mode; a quote is one level, a list item two). The limit is raised to markdown-it's own default,
# MAX_NESTING, which Python's stack holds; and a line that opens more quotes and list items than
# MAX_MARKERS keeps the first MAX_MARKERS of them, and its text.
MAX_NESTING = 100
# Opening brackets a piece may hold and be read as Markdown (one per 26 characters of a full
# piece; a dense list of links, "- [Title](https://...)" a line, holds one per 80 or so).
MAX_BRACKETS = 10_000
MAX_MARKERS = 20
# The start of a line that may open quotes or list items (one character class: the match keeps
# no state per character, however long the run), then each marker in it.
_MARKER_RUN = re.compile(r"^[ \t]*[>*+\-\d][> \t*+\-\d.)]*", re.MULTILINE)
_ONE_MARKER = re.compile(r"[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])")


def nesting_capped(text: str) -> str:
    """``text`` with every line's run of quote and list markers cut to MAX_MARKERS."""
    return _MARKER_RUN.sub(_capped_run, text)


def _capped_run(m: re.Match[str]) -> str:
    run = m.group()
    pos = count = 0
    cut = len(run)
    while (marker := _ONE_MARKER.match(run, pos)) is not None:
        count += 1
        pos = marker.end()
        if count == MAX_MARKERS:
            cut = pos
    return run if count <= MAX_MARKERS else run[:cut] + run[pos:]


def markdown_blocks(text: str, piece_chars: int = PIECE_CHARS) -> tuple[list[RawBlock], dict[str, str]]:
    """Raw blocks and the front matter's metadata (title, author, date, updated, description)."""
    metadata, text = front_matter(text)
    text = nesting_capped(text)
    blocks: list[RawBlock] = []
    for head, piece in pieces(text, piece_chars):
        _read_blocks(head + piece, blocks, repeated_head=bool(head))
    return blocks, metadata


def _read_blocks(text: str, blocks: list[RawBlock], repeated_head: bool = False) -> None:
    """The blocks of ``text``; with ``repeated_head``, not the cells of the table head it
    opens with (a header read again before a piece cut from the table's body)."""
    if text.count("[") > MAX_BRACKETS:
        # markdown-it looks for a link's label from every "[" (about 40 us each, however few
        # close): a piece of tens of thousands of them would take minutes. Read as plain text,
        # every line kept (link targets cannot be told from such text anyway).
        blocks.extend(text_blocks(text))
        return
    tokens = _markdown().parse(text)
    if tokens and max(token.level for token in tokens) >= MAX_NESTING - 1:
        # Nested as deep as markdown-it reads: what lies deeper was left out. Read as plain
        # text instead, every line of it kept.
        blocks.extend(text_blocks(text))
        return
    context: list[str] = []
    skipping = repeated_head
    for token in tokens:
        if skipping:
            skipping = token.type != "thead_close"
        elif token.nesting == 1:
            context.append(token.type)
        elif token.nesting == -1 and context:
            context.pop()
        elif token.type == "inline":
            blocks.append(RawBlock(_segments(token), _kind(context)))
        elif token.type == "html_block":
            blocks.extend(element_blocks(parse_html(token.content)))
        elif token.type in ("fence", "code_block"):
            blocks.append(RawBlock.of(token.content, "paragraph"))


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


# An inline HTML tag that breaks a line or a block: the words on either side stay apart.
_BREAKING_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|li|hr|tr|td|th|h[1-6])\b", re.IGNORECASE)


def _segments(token: Token) -> list[tuple[str, str | None]]:
    segments: list[tuple[str, str | None]] = []
    href: str | None = None
    for child in token.children or []:
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
        elif child.type == "link_close":
            href = None
        elif child.type in ("softbreak", "hardbreak") or (
                child.type == "html_inline" and _BREAKING_TAG.match(child.content)):
            segments.append((" ", href))  # "a miracle<br>cure" is two words
        elif child.type in ("text", "code_inline"):  # strikethrough's text is still text
            if href is not None and segments and segments[-1][1] == href:
                segments[-1] = (segments[-1][0] + child.content, href)
            else:
                segments.append((child.content, href))
        elif child.type == "image":
            segments.append((child.content, None))
    return segments
