"""HTML extractors on real news pages, against the article text a person expects from each.

The pages come from a folder of ``NAME.html`` files with, for each, ``NAME.txt``: the article's
text, one paragraph per line. The two may sit side by side or in ``html/`` and ``txt/``
subfolders. The test data of the newspaper4k package is laid out so (``pip download
--no-binary :all: --no-deps newspaper4k``, then ``tests/data`` in the archive): thirty pages of
CNN, Time, Wired, Fox and other sites in eleven languages, most with their expected text.

For each extractor of ``html_extractors.py`` (credscore's own reader first), every page is
parsed as ``credscore`` parses it, and the article's zones (title, byline, body, references)
are compared with the expected text, whitespace folded and normalised as credscore normalises
text:

- kept: the expected paragraphs of five words or more found whole in the article's zones;
- extra: the text of the article's blocks of five words or more that the expected text does not
  hold (page furniture let into the article, or text the expected file left out), as a share of
  the article's zones.

    python benchmarks/real_pages.py DIR [--show-extra]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from html_extractors import ARTICLE_ZONES, Extractor, extractors

from credscore.models import Document, ParsedDocument
from credscore.parse import html as html_reader
from credscore.parse import parse
from credscore.parse.normalize import normalize_inline

MIN_WORDS = 5


def folded(text: str) -> str:
    return " ".join(normalize_inline(text).split())


def page_pairs(folder: Path) -> list[tuple[str, str, str]]:
    """(name, HTML, expected text) for every page with its expected text."""
    html_dir = folder / "html" if (folder / "html").is_dir() else folder
    txt_dir = folder / "txt" if (folder / "txt").is_dir() else folder
    pairs = []
    for page in sorted(html_dir.glob("*.html")):
        expected = txt_dir / f"{page.stem}.txt"
        if expected.is_file():
            pairs.append((page.stem, page.read_text(encoding="utf-8", errors="replace"),
                          expected.read_text(encoding="utf-8", errors="replace")))
    return pairs


def article_blocks(doc: ParsedDocument) -> list[str]:
    return [folded(doc.text[b.start:b.end]) for b in doc.blocks if b.zone in ARTICLE_ZONES]


def measure(extract: Extractor, pairs: list[tuple[str, str, str]], show_extra: bool) -> str:
    expected_total = kept = extra = article = failed = 0
    cpu = 0.0
    html_reader.html_blocks = extract  # type: ignore[assignment]
    try:
        for name, page, expected in pairs:
            wanted = [folded(line) for line in expected.splitlines()
                      if len(line.split()) >= MIN_WORDS]
            expected_total += len(wanted)
            start = time.process_time()
            try:
                doc = parse(Document(id=name, source=name, format="html", content=page))
            except Exception:  # an extractor that finds no text
                failed += 1
                continue
            cpu += time.process_time() - start
            blocks = article_blocks(doc)
            text = " ".join(blocks)
            kept += sum(1 for w in wanted if w in text)
            whole = folded(expected)
            leaked = [b for b in blocks if len(b.split()) >= MIN_WORDS and b not in whole]
            extra += sum(len(b) for b in leaked)
            article += len(text)
            if show_extra and leaked:
                print(f"    {name}: " + " | ".join(b[:60] for b in leaked[:3]))
    finally:
        html_reader.html_blocks = extractors()["trafilatura (credscore's)"]  # type: ignore[assignment]
    rate = (len(pairs) - failed) / cpu if cpu else 0.0
    return (f"{rate:8.0f} {_share(kept, expected_total):>8} {_share(extra, article):>8}"
            + (f"  ({failed} pages without text)" if failed else ""))


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="NAME.html with NAME.txt, side by side or in "
                    "html/ and txt/")
    ap.add_argument("--show-extra", action="store_true",
                    help="print the first extra blocks of each page")
    args = ap.parse_args()
    if not args.folder.is_dir():
        ap.error(f"{args.folder} is not a folder")
    pairs = page_pairs(args.folder)
    if not pairs:
        ap.error(f"{args.folder} holds no NAME.html with its NAME.txt")
    mb = sum(len(page.encode("utf-8")) for _, page, _ in pairs) / 1e6
    print(f"{len(pairs)} pages with their expected text, {mb:.1f} MB of HTML; parse only, "
          "one core")
    print(f"{'extractor':48} {'pages/s':>8} {'kept':>8} {'extra':>8}")
    for name, extract in extractors().items():
        measure(extract, pairs[:3], False)  # warm imports and caches
        print(f"{name:48} {measure(extract, pairs, args.show_extra)}")


if __name__ == "__main__":
    main()
