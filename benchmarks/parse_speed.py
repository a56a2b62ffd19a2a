"""Parse speed for plain text and HTML articles: MB/s and articles/s on one core.

    python benchmarks/parse_speed.py [--n 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import html_page, text_articles

from credscore.models import Document
from credscore.parse import parse


def measure(fmt: str, contents: list[str]) -> tuple[float, float]:
    docs = [Document(id=str(i), source=str(i), format=fmt, content=c)  # type: ignore[arg-type]
            for i, c in enumerate(contents)]
    parse(docs[0])  # warm up imports and caches
    start = time.perf_counter()
    for d in docs:
        parse(d)
    elapsed = time.perf_counter() - start
    mb = sum(len(c.encode("utf-8")) for c in contents) / 1e6
    return mb / elapsed, len(docs) / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=2000, help="articles per format")
    args = ap.parse_args()
    texts = list(text_articles(args.n))
    pages = [html_page(t, i) for i, t in enumerate(texts[: max(1, args.n // 4)])]
    for fmt, contents in (("text", texts), ("html", pages)):
        mbs, per_s = measure(fmt, contents)
        avg = sum(len(c) for c in contents) / len(contents) / 1000
        print(f"parse {fmt:5} {len(contents):6d} articles of {avg:.1f} kB: "
              f"{mbs:6.2f} MB/s, {per_s:8.0f} articles/s (1 core)")


if __name__ == "__main__":
    main()
