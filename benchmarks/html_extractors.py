"""HTML main-text extractors compared for speed and for the zones credscore gives their output.

Each extractor turns a page into credscore's raw blocks; the usual zone rules then run on them,
so what is compared is what a user gets: which of the article's paragraphs end up in the
article's zones (title, byline, body, references), how much of the page's furniture leaks into
them, and whether the reader comments land in the comments zone. The pages:

- the two HTML fixtures of the tests (the same article as semantic markup and as div soup);
- pages built around real articles (the labelled stories kept beside the repository, else the
  seeds) in three templates: semantic markup, div soup, and a news site with a share bar, an
  advertisement, a newsletter box and "read more" links inside the article, a sidebar, tags,
  reader comments and a footer.

The article's own paragraphs are those credscore puts in the article's zones when it reads the
article as plain text, so the figures measure the extractor, not the zone rules. Extractors
whose package is not installed are skipped (resiliparse, selectolax: ``pip install resiliparse
selectolax``).

    python benchmarks/html_extractors.py [--pages 300]
"""

from __future__ import annotations

import argparse
import html
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ROOT, paragraphs

from credscore.models import Document, ParsedDocument
from credscore.parse import html as html_reader
from credscore.parse import main_text, parse
from credscore.parse.blocks import RawBlock
from credscore.parse.normalize import normalize_inline

STORIES = ROOT.parent / "shared" / "bench" / "hnr_stories_dev.jsonl"
FIXTURES = ROOT / "tests" / "fixtures"
# credscore's own reader, kept apart: an extractor under test replaces ``html_blocks`` in its
# module, which the parser looks up there for every page.
credscore_html_blocks = html_reader.html_blocks
ARTICLE_ZONES = frozenset({"title", "byline", "body", "references"})
Extractor = Callable[[str], tuple[list[RawBlock], dict[str, str]]]

NAV = ["Home", "News", "Health", "Science", "Opinion", "About us", "Contact"]
CHROME = [
    "We use cookies to improve your experience. Accept all cookies?",
    "Sign up for our newsletter and get a free healthy recipes e-book!",
    "Related stories",
    "Copyright © 2024 Daily Health Desk. All rights reserved.",
    "Privacy policy | Terms of use",
]
CMS_CHROME = [
    "Share this article on Facebook Twitter Email",
    "Advertisement",
    "Get our free weekly newsletter: subscribe now and save 20% on your first order!",
    "Read more: Five foods that fight fat",
    "Tags: diabetes, nutrition, exercise",
    "Most popular",
]
COMMENTS = [
    "This is nonsense, my cousin cured his diabetes with cinnamon pills. Where can I buy them?",
    "I walk after dinner every night and my numbers are much better.",
    "Studies have shown that all of this is caused by sugar, everyone knows that.",
    "Big Pharma will never tell you the truth about this one.",
    "Thanks for a balanced article, I shared it with my mother.",
]


@dataclass
class Page:
    name: str
    html: str
    article: list[str]  # the article's paragraphs that must stay in its zones
    chrome: list[str]  # page furniture that must not reach them
    comments: list[str] = field(default_factory=list)  # must land in the comments zone


def folded(text: str) -> str:
    return " ".join(normalize_inline(text).split())


def stories(n: int) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of real articles: the labelled stories, else the seeds."""
    if STORIES.exists():
        out = []
        with STORIES.open(encoding="utf-8") as f:
            for line in f:
                obj = json.loads(line)
                paras = [p.strip() for p in obj["text"].split("\n\n") if p.strip()]
                if obj.get("title") and len(paras) >= 3:
                    out.append((obj["title"], paras))
        return out[:n]
    paras = paragraphs()
    rnd = random.Random(3)
    return [(f"Article {i}", rnd.sample(paras, 8)) for i in range(n)]


def kept_as_text(title: str, paras: list[str]) -> list[str]:
    """The paragraphs credscore keeps in the article's zones when it reads them as plain text."""
    doc = parse(Document(id="t", source="t", format="text", content="\n\n".join(paras),
                         title=title))
    article = article_text(doc)
    return [p for p in paras if folded(p) in article]


def semantic_page(title: str, paras: list[str], comments: list[str]) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    nav = " ".join(f'<a href="/{n.lower()}">{n}</a>' for n in NAV)
    said = "".join(f'<div class="comment"><p class="comment-author">Reader {i}</p>'
                   f"<p>{html.escape(c)}</p></div>" for i, c in enumerate(comments))
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)} | Daily Health Desk</title>"
        '<meta name="author" content="Priya Raman"></head><body>'
        f'<header><nav class="main-nav">{nav}</nav></header>'
        f'<div class="cookie-banner">{CHROME[0]}</div>'
        f"<main><article><h1>{html.escape(title)}</h1>"
        '<p class="byline">By Priya Raman, March 14, 2024</p>'
        f"{body}</article></main>"
        f'<div class="popup newsletter-popup"><p>{CHROME[1]}</p></div>'
        f'<section id="comments" class="comments-area"><h3>{len(comments)} Comments</h3>{said}'
        f'</section><aside class="sidebar"><h4>{CHROME[2]}</h4><ul><li><a href="/a">Five foods '
        'that fight fat</a></li><li><a href="/b">Is coffee good for you?</a></li></ul></aside>'
        f'<footer class="site-footer"><p>{CHROME[3]}</p><p><a href="/privacy">Privacy policy</a>'
        ' | <a href="/terms">Terms of use</a></p></footer></body></html>'
    )


def soup_page(title: str, paras: list[str], comments: list[str]) -> str:
    body = "\n".join(f"<div>{html.escape(p)}</div>" for p in paras)
    nav = " ".join(f'<a href="/{n.lower()}">{n}</a>' for n in NAV)
    said = "".join(f"<div><div>Reader {i}</div><div>{html.escape(c)}</div></div>"
                   for i, c in enumerate(comments))
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)} | Daily Health Desk</title>"
        f"</head><body><div><div>{nav}</div></div><div>{CHROME[0]}</div>"
        f"<div><div><div>{html.escape(title)}</div><div>By Priya Raman, March 14, 2024</div>"
        f"{body}</div></div><div><div>{CHROME[1]}</div></div>"
        f"<div><div>{len(comments)} Comments</div>{said}</div>"
        f'<div><div>{CHROME[2]}</div><div><div><a href="/a">Five foods that fight fat</a></div>'
        '</div></div>'
        f'<div><div>{CHROME[3]}</div><div><a href="/privacy">Privacy policy</a> | '
        '<a href="/terms">Terms of use</a></div></div></body></html>'
    )


def cms_page(title: str, paras: list[str], comments: list[str]) -> str:
    middle = len(paras) // 2
    parts = [f"<p>{html.escape(p)}</p>" for p in paras]
    parts.insert(middle, f'<div class="ad-slot"><span>{CMS_CHROME[1]}</span></div>'
                 f'<aside class="newsletter-box"><p>{CMS_CHROME[2]}</p></aside>'
                 f'<p class="read-more"><a href="/fat">{CMS_CHROME[3]}</a></p>')
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    said = "".join(f'<li class="comment"><div class="comment-meta">Reader {i} says:</div>'
                   f'<div class="comment-content"><p>{html.escape(c)}</p></div>'
                   '<a class="reply" href="#">Reply</a></li>' for i, c in enumerate(comments))
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head><body>"
        f'<header><ul class="menu">{nav}</ul></header>'
        f'<div class="share-bar">{CMS_CHROME[0]}</div>'
        f'<main><article class="post"><h1 class="entry-title">{html.escape(title)}</h1>'
        '<div class="entry-meta">By Priya Raman | March 14, 2024</div>'
        f'<div class="entry-content">{"".join(parts)}</div>'
        f'<div class="tags">{CMS_CHROME[4]}</div></article>'
        f'<div id="comments"><h2>{len(comments)} thoughts on this article</h2>'
        f'<ol class="comment-list">{said}</ol></div></main>'
        f'<aside class="widget"><h3>{CMS_CHROME[5]}</h3><ul><li><a href="/x">Is coffee good '
        'for you?</a></li></ul></aside>'
        f'<footer><p>{CHROME[3]}</p></footer></body></html>'
    )


def pages(n: int) -> list[Page]:
    semantic = (FIXTURES / "semantic.html").read_text(encoding="utf-8")
    soup = (FIXTURES / "soup.html").read_text(encoding="utf-8")
    fixture_article = [
        "A ten-minute walk after each meal lowered blood sugar",
        "The researchers, led by Dr. Andrew Reynolds at the University of Otago",
        '"Walking after the evening meal made the biggest difference',
        "The trial was small and short",
        "Walking is cheap and has few harms",
    ]
    fixture_chrome = ["Home News Health About us", "cookies", "Sign up for our newsletter", "Related stories",
                      "Copyright", "cinnamon pills"]
    out = [Page("fixture semantic.html", semantic, fixture_article, fixture_chrome,
                ["cinnamon pills"]),
           Page("fixture soup.html", soup, fixture_article, fixture_chrome, ["cinnamon pills"])]
    rnd = random.Random(11)
    for i, (title, paras) in enumerate(stories(n)):
        said = rnd.sample(COMMENTS, 3)
        article = kept_as_text(title, paras)
        template, chrome = [(semantic_page, CHROME), (soup_page, CHROME),
                            (cms_page, CHROME[3:4] + CMS_CHROME)][i % 3]
        out.append(Page(template.__name__, template(title, paras, said), article,
                        [*chrome, " ".join(NAV)], said))
    return out


def article_text(doc: ParsedDocument) -> str:
    return " ".join(folded(doc.text[b.start:b.end]) for b in doc.blocks if b.zone in ARTICLE_ZONES)


def zone_text(doc: ParsedDocument, zone: str) -> str:
    return " ".join(folded(doc.text[b.start:b.end]) for b in doc.blocks if b.zone == zone)


# -- the extractors ----------------------------------------------------------------------------

def trafilatura_fast(page: str) -> tuple[list[RawBlock], dict[str, str]]:
    """trafilatura without its fallback extractors."""
    original = main_text.MAX_TAGS_FOR_FALLBACK
    main_text.MAX_TAGS_FOR_FALLBACK = -1  # every page takes the fast path
    try:
        return credscore_html_blocks(page)
    finally:
        main_text.MAX_TAGS_FOR_FALLBACK = original


def whole_page_lxml(page: str) -> tuple[list[RawBlock], dict[str, str]]:
    """Every block of the page, left to the zone rules (credscore's own fallback reader)."""
    tree = html_reader.parse_html(page)
    return html_reader.element_blocks(tree), _metadata(tree)


def resiliparse_main(page: str) -> tuple[list[RawBlock], dict[str, str]]:
    """Resiliparse's main-content extraction (with comments), as minimal HTML with links, read
    into blocks (a line of it is a block); metadata from the page's meta tags."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(page)
    minimal = extract_plain_text(tree, preserve_formatting="minimal_html", main_content=True,
                                 links=True, list_bullets=False, alt_texts=False)
    # Blocks that are not paragraphs, headings or lists come out as lines of text.
    lines = "".join(f"<div>{line}</div>" for line in (minimal or "").split("\n"))
    blocks = html_reader.element_blocks(html_reader.parse_html(lines or "<p></p>"))
    meta = _metadata(html_reader.parse_html(page))
    return blocks, meta


_SELECTOLAX_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head",
                              "iframe", "button", "select", "-comment"})


def whole_page_selectolax(page: str) -> tuple[list[RawBlock], dict[str, str]]:
    """Every block of the page as Lexbor (selectolax) parses it, left to the zone rules."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(page)
    out: list[RawBlock] = []
    current: list[tuple[str, str | None]] = []

    def flush(kind: str) -> None:
        if any(t.strip() for t, _ in current):
            out.append(RawBlock(list(current), kind))  # type: ignore[arg-type]
        current.clear()

    stack: list[tuple[object, str, bool]] = [(tree.body, "paragraph", False)]
    while stack:
        node, kind, closing = stack.pop()
        if closing:
            flush(kind)
            continue
        tag = node.tag  # type: ignore[attr-defined]
        if tag == "-text":
            current.append((node.text_content or "", None))  # type: ignore[attr-defined]
            continue
        if tag in _SELECTOLAX_SKIP:
            continue
        if tag == "br":
            current.append((" ", None))
        elif tag == "a" and node.attributes.get("href"):  # type: ignore[attr-defined]
            current.append((node.text(deep=True), node.attributes["href"]))  # type: ignore[attr-defined]
        elif tag in html_reader._HTML_BLOCKS:
            flush(kind)
            inner = html_reader._HTML_KINDS.get(tag, "paragraph")
            stack.append((node, inner, True))
            stack.extend((child, inner, False) for child in reversed(list(node.iter(include_text=True))))  # type: ignore[attr-defined]
        else:
            stack.extend((child, kind, False) for child in reversed(list(node.iter(include_text=True))))  # type: ignore[attr-defined]
    flush("paragraph")
    title = tree.css_first("title")
    return out, ({"title": title.text(strip=True)} if title is not None else {})


def _metadata(tree: object) -> dict[str, str]:
    meta = html_reader.page_metadata(tree)  # type: ignore[arg-type]
    title = tree.findtext(".//title")  # type: ignore[attr-defined]
    if title and title.strip():
        meta["title"] = title.strip()
    return meta


def extractors() -> dict[str, Extractor]:
    found: dict[str, Extractor] = {
        "trafilatura (credscore's)": credscore_html_blocks,
        "trafilatura fast": trafilatura_fast,
        "whole page, lxml, zone rules only": whole_page_lxml,
    }
    try:
        import resiliparse  # noqa: F401

        found["resiliparse main content"] = resiliparse_main
    except ImportError:
        print("resiliparse: not installed, skipped")
    try:
        import selectolax  # noqa: F401

        found["whole page, selectolax, zone rules only"] = whole_page_selectolax
    except ImportError:
        print("selectolax: not installed, skipped")
    return found


@dataclass
class Tally:
    article: int = 0
    article_kept: int = 0
    chrome: int = 0
    chrome_leaked: int = 0
    comments: int = 0
    comments_found: int = 0
    cpu: float = 0.0
    failed: int = 0
    misses: list[str] = field(default_factory=list)
    leaks: dict[str, int] = field(default_factory=dict)


def measure(extract: Extractor, all_pages: list[Page]) -> dict[str, Tally]:
    by_template: dict[str, Tally] = {}
    html_reader.html_blocks = extract  # type: ignore[assignment]
    try:
        for page in all_pages:
            tally = by_template.setdefault(page.name, Tally())
            start = time.process_time()
            try:
                doc = parse(Document(id=page.name, source=page.name, format="html",
                                     content=page.html))
            except Exception:  # an extractor that finds no text
                tally.failed += 1
                tally.article += len(page.article)
                tally.chrome += len(page.chrome)
                tally.comments += len(page.comments)
                continue
            tally.cpu += time.process_time() - start
            article = article_text(doc)
            said = zone_text(doc, "comments")
            tally.article += len(page.article)
            kept = [p for p in page.article if folded(p) in article]
            tally.article_kept += len(kept)
            if len(kept) < len(page.article) and len(tally.misses) < 3:
                tally.misses.append(next(p for p in page.article if p not in kept)[:70])
            tally.chrome += len(page.chrome)
            for c in page.chrome:
                if folded(c) in article:
                    tally.chrome_leaked += 1
                    tally.leaks[c[:30]] = tally.leaks.get(c[:30], 0) + 1
            tally.comments += len(page.comments)
            tally.comments_found += sum(1 for c in page.comments if folded(c) in said)
    finally:
        html_reader.html_blocks = credscore_html_blocks  # type: ignore[assignment]
    return by_template


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=300, help="pages built around real articles")
    args = ap.parse_args()
    all_pages = pages(args.pages)
    mb = sum(len(p.html.encode("utf-8")) for p in all_pages) / 1e6
    print(f"{len(all_pages)} pages, {mb:.1f} MB of HTML; parse only (extraction, zones, "
          "sentences), one core")
    print(f"{'extractor':48} {'pages/s':>8} {'MB/s':>6} {'article kept':>13} "
          f"{'chrome leaked':>14} {'comments found':>15}")
    for name, extract in extractors().items():
        measure(extract, all_pages[:5])  # warm imports and caches
        tallies = measure(extract, all_pages)
        total = Tally()
        for t in tallies.values():
            for f in ("article", "article_kept", "chrome", "chrome_leaked", "comments",
                      "comments_found", "cpu", "failed"):
                setattr(total, f, getattr(total, f) + getattr(t, f))
        print(f"{name:48} {len(all_pages) / total.cpu:8.0f} {mb / total.cpu:6.2f} "
              f"{_share(total.article_kept, total.article):>13} "
              f"{_share(total.chrome_leaked, total.chrome):>14} "
              f"{_share(total.comments_found, total.comments):>15}"
              + (f"  ({total.failed} pages without text)" if total.failed else ""))
        for template, t in sorted(tallies.items()):
            print(f"    {template:44} {'':15} {_share(t.article_kept, t.article):>13} "
                  f"{_share(t.chrome_leaked, t.chrome):>14} "
                  f"{_share(t.comments_found, t.comments):>15}"
                  + (f"  missed e.g. {t.misses[0]!r}" if t.misses else ""))
            if t.leaks:
                print(f"      leaked: {', '.join(sorted(t.leaks))}")


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    main()
