"""HTML reader: main text, metadata and reader comments.

trafilatura extracts the main text, metadata and (as a separate part) reader comments; the zone
rules then judge every block it keeps. readability-lxml reads a page that trafilatura finds no
text in.
"""

from __future__ import annotations

import copy
import logging
import re

import lxml.etree as etree
import lxml.html

from credscore.parse.blocks import BlockKind, RawBlock

# trafilatura and readability log warnings for ordinary pages; they are not the user's concern.
for _name in ("trafilatura", "readability", "readability.readability", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# libxml2 (under lxml, trafilatura and readability) stops building the tree below this depth.
MAX_HTML_DEPTH = 256
# trafilatura's main extractor gathers the text of a page's paragraphs with one XPath
# ("//p//text()") that libxml2 evaluates in time quadratic in the pieces of text it finds (it
# checks each against all found before: 40,000 took 2 s, 300,000 over ten minutes). A page whose
# paragraphs hold more pieces of text than this is read without trafilatura (see html_blocks).
MAX_PARAGRAPH_TEXTS = 30_000
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})


def markup_depth(html: str) -> int:
    """The deepest nesting of elements, counted from the tags (for explaining failures)."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest

_XML_KINDS: dict[str, BlockKind] = {"head": "heading", "p": "paragraph", "item": "item",
                                   "quote": "quote", "cell": "line", "code": "paragraph"}
_HTML_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th",
                "dt", "dd", "figcaption", "caption", "div", "section", "article", "header",
                "footer", "aside", "nav", "main", "form", "table", "tr", "ul", "ol", "dl",
                "address", "body"}
_HTML_KINDS: dict[str, BlockKind] = {"h1": "heading", "h2": "heading", "h3": "heading",
                                    "h4": "heading", "h5": "heading", "h6": "heading",
                                    "li": "item", "blockquote": "quote", "figcaption": "caption",
                                    "caption": "caption", "td": "line", "th": "line"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "button", "select"}


def html_blocks(html: str) -> tuple[list[RawBlock], dict[str, str]]:
    """Raw blocks and metadata (title, author, date, sitename, description) of an HTML page."""
    from credscore.parse.main_text import extract_xml

    page = parse_html(html)
    if paragraph_texts(page, MAX_PARAGRAPH_TEXTS) > MAX_PARAGRAPH_TEXTS:
        # The whole page is read, for the zone rules to judge (readability, which would pick
        # the main text, costs four times as much and holds several copies of the page), with
        # the metadata of its meta tags, structured data and <title>.
        metadata = page_metadata(page)
        title = " ".join((page.findtext(".//title") or "").split())
        if title:
            metadata["title"] = title
        return element_blocks(page), metadata
    xml = extract_xml(html, len(" ".join(page.text_content().split())))
    if not xml:
        return _readability_blocks(html) or element_blocks(page), {}
    doc = etree.fromstring(xml.encode("utf-8"))
    metadata = {
        k: v for k in ("title", "author", "date", "sitename", "description", "url")
        if (v := (doc.get(k) or "").strip())
    }
    if "title" in metadata:
        metadata["title"] = visible_title(page, metadata["title"])
    if "author" in metadata and (author := named_authors(metadata.pop("author"))):
        metadata["author"] = author
    metadata.update({k: v for k, v in page_metadata(page).items() if k not in metadata})
    main = doc.find("main")
    comments = doc.find("comments")
    blocks = xml_blocks(main) if main is not None else []
    if len(blocks) == 1:
        blocks = _unmerged(page, blocks)
    if comments is not None and len(comments):
        thread = xml_blocks(comments, hint="comments")
        blocks = _without_repeated_thread(blocks, thread) + thread
    else:
        blocks += trailing_comments(page, blocks)
    return blocks, metadata


# What opens a date in a byline, not a name: "Updated March 3".
_DATE_WORD = re.compile(r"(?:updated|published|posted|modified|revised|last\s+reviewed)\b",
                        re.IGNORECASE)


def named_authors(author: str) -> str:
    """The names in trafilatura's author field, which it takes from the byline with the date
    that follows the name ("By Jane Roe, March 3, 2024" gives "Jane Roe; March 3"): its parts
    (separated by ";") without a figure or a date's opening word. Empty when none is left."""
    parts = [part.strip() for part in author.split(";")]
    return "; ".join(part for part in parts
                     if part and not any(c.isdigit() for c in part) and not _DATE_WORD.match(part))


def _unmerged(page: lxml.html.HtmlElement, blocks: list[RawBlock]) -> list[RawBlock]:
    """A page with little text comes back from trafilatura as one paragraph of all of it (a
    heading, a byline and the article run together): the page's own blocks that make up that
    paragraph, in order and whole, each a block again, when there are several (else the one)."""
    merged = _block_key(blocks[0])
    own: list[RawBlock] = []
    at = 0  # the blocks taken must make up the paragraph, in order: no menu word found inside it
    for block in element_blocks(page):
        key = _block_key(block)
        if key and merged.startswith(key, at) and (at + len(key) == len(merged)
                                                   or merged[at + len(key)] == " "):
            own.append(block)
            at += len(key) + 1
    return own if len(own) > 1 and at >= len(merged) else blocks


def paragraph_texts(page: lxml.html.HtmlElement, limit: int) -> int:
    """How many pieces of text (an element's text, or the text after a child element) the
    page's paragraphs hold, counted up to one more than ``limit``. A paragraph inside another is
    counted twice: this bounds what trafilatura's "//p//text()" finds, it does not repeat it."""
    count = 0
    for paragraph in page.iter("p"):
        for el in paragraph.iter():
            count += (el.text is not None) + (el is not paragraph and el.tail is not None)
        if count > limit:
            break
    return count


def _without_repeated_thread(main: list[RawBlock], thread: list[RawBlock]) -> list[RawBlock]:
    """The main text without the comments trafilatura sometimes repeats at its end.

    On a page with a very short article trafilatura can return the comments as the main text as
    well. Only the run of blocks at the end of the main text that the thread also holds is cut:
    an article paragraph that a commenter quoted word for word stays in the article.
    """
    said = {_block_key(b) for b in thread}
    end = len(main)
    while end > 0 and _block_key(main[end - 1]) in said:
        end -= 1
    return main[:end]


def trailing_comments(page: lxml.html.HtmlElement, main: list[RawBlock]) -> list[RawBlock]:
    """The page's comments section when the extractors dropped it, so reports can show it.

    The blocks from a comments heading on are handed to the zone rules, which mark them as
    comments (and what follows the section as promotion or chrome); none reaches the body.
    """
    from credscore.parse.zones import is_comments_heading

    everything = element_blocks(page)
    seen = {_block_key(b) for b in main}
    for i, block in enumerate(everything):
        text = _block_key(block)
        if text not in seen and is_comments_heading(text):
            return [b for b in everything[i:] if _block_key(b) not in seen]
    return []


def visible_title(page: lxml.html.HtmlElement, title: str) -> str:
    """The title without the text of a script, style or other unseen element inside the heading
    it was read from (trafilatura takes a heading's whole text content as the title)."""
    wanted = " ".join(title.split())
    for heading in page.iter("h1", "h2", "h3"):
        if any(True for _ in heading.iter(*_SKIP)) and " ".join(heading.text_content().split()) == wanted:
            shown = copy.deepcopy(heading)
            etree.strip_elements(shown, *_SKIP, with_tail=False)
            return " ".join(shown.text_content().split())
    return title


def page_metadata(page: lxml.html.HtmlElement) -> dict[str, str]:
    """Author and dates from meta tags and JSON-LD, which trafilatura does not all report."""
    import json

    found: dict[str, str] = {}
    metas = {
        "article:modified_time": "updated", "og:updated_time": "updated",
        "dateModified": "updated", "article:published_time": "date", "author": "author",
        "article:author": "author", "citation_doi": "doi",
    }
    for meta in page.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        value = (meta.get("content") or "").strip()
        if key in metas and value and metas[key] not in found:
            found[metas[key]] = value
    for script in page.iter("script"):
        if script.get("type") != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("dateModified"), str):
                found.setdefault("updated", item["dateModified"])
            if isinstance(item.get("datePublished"), str):
                found.setdefault("date", item["datePublished"])
            author = item.get("author")
            author = author[0] if isinstance(author, list) and author else author
            if isinstance(author, dict) and isinstance(author.get("name"), str):
                found.setdefault("author", author["name"])
            elif isinstance(author, str):
                found.setdefault("author", author)
    return found


def _readability_blocks(html: str) -> list[RawBlock]:
    from readability import Document as Readable

    try:
        summary = Readable(html).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions on pages it cannot read
        return []
    return element_blocks(parse_html(summary))


def parse_html(html: str) -> lxml.html.HtmlElement:
    try:
        page = lxml.html.fromstring(html or "<p></p>")
    except (etree.ParserError, ValueError):
        return lxml.html.fromstring("<p></p>")
    if not isinstance(page.tag, str):  # a comment or processing instruction, not an element
        try:
            return lxml.html.document_fromstring(html)
        except (etree.ParserError, ValueError):
            return lxml.html.fromstring("<p></p>")
    return page


def _block_text(block: RawBlock) -> str:
    return "".join(text for text, _ in block.segments)


def _block_key(block: RawBlock) -> str:
    """A block's text with whitespace folded, to tell the same block found twice."""
    return " ".join(_block_text(block).split())


def xml_blocks(parent: etree._Element, hint: str | None = None) -> list[RawBlock]:
    """Blocks of a trafilatura XML element (head, p, list/item, quote, table/row/cell, ref)."""
    out: list[RawBlock] = []
    for el in parent.iter():
        kind = _XML_KINDS.get(el.tag)
        if kind is None or _has_block_ancestor(el, parent, _XML_KINDS):
            continue
        segments = _inline_segments(el, link_tag="ref", link_attr="target")
        out.append(RawBlock(segments, kind, hint))  # type: ignore[arg-type]
    if not out and parent.tag == "main" and (parent.text or "").strip():
        # trafilatura gives a page that opens with a comment before <html> as loose text in
        # <main>, with no paragraph around it: that text is the article, one paragraph.
        out.append(RawBlock(_inline_segments(parent, link_tag="ref", link_attr="target"),
                            "paragraph", hint))  # type: ignore[arg-type]
    return out


def _has_block_ancestor(el: etree._Element, stop: etree._Element, kinds: dict) -> bool:
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag in kinds:
            return True
        node = node.getparent()
    return False


def element_blocks(root: lxml.html.HtmlElement) -> list[RawBlock]:
    """Blocks of arbitrary HTML: every run of inline content between block-level elements."""
    out: list[RawBlock] = []
    _walk(root, out, "paragraph")
    return out


def _walk(root: etree._Element, out: list[RawBlock], kind: BlockKind) -> None:
    # An explicit stack instead of recursion: pages nested thousands of levels deep are read too.
    current: list[tuple[str, str | None]] = []
    Event = tuple[str, object, BlockKind]
    stack: list[Event] = [("open", root, kind)]

    def flush(k: BlockKind) -> None:
        if any(t.strip() for t, _ in current):
            out.append(RawBlock(list(current), k))
        current.clear()

    while stack:
        event, payload, k = stack.pop()
        if event == "text":
            current.append((str(payload), None))
            continue
        if event == "close":
            flush(k)
            continue
        node: etree._Element = payload  # type: ignore[assignment]
        tag = node.tag if isinstance(node.tag, str) else ""
        if node.tail:
            stack.append(("text", node.tail, k))
        if not tag or tag in _SKIP:
            continue
        if tag == "br":
            current.append((" ", None))
        elif tag == "a" and node.get("href"):
            current.append((node.text_content(), node.get("href")))
        elif tag in _HTML_BLOCKS:
            flush(k)
            inner = _HTML_KINDS.get(tag, "paragraph")
            stack.append(("close", None, inner))
            stack.extend(("open", child, inner) for child in reversed(node))
            if node.text:
                stack.append(("text", node.text, inner))
        else:
            stack.extend(("open", child, k) for child in reversed(node))
            if node.text:
                stack.append(("text", node.text, k))
    flush(kind)


def _inline_segments(el: etree._Element, link_tag: str, link_attr: str) -> list[tuple[str, str | None]]:
    segments: list[tuple[str, str | None]] = []
    if el.text:
        segments.append((el.text, None))
    for child in el:
        if child.tag == link_tag:
            segments.append(("".join(child.itertext()), child.get(link_attr)))
        elif child.tag == "lb":
            segments.append((" ", None))
        else:
            segments.extend(_inline_segments(child, link_tag, link_attr))
        if child.tail:
            segments.append((child.tail, None))
    return segments
