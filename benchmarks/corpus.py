"""Synthetic corpora for benchmarks, built from the seed articles in the repository.

Articles are made by shuffling the seeds' paragraphs (seeded, so runs are repeatable) into
documents of realistic length, as plain text or as an HTML page with navigation, a popup,
reader comments and a footer around the article.
"""

from __future__ import annotations

import html
import json
import random
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def paragraphs() -> list[str]:
    paras: list[str] = []
    for path in sorted(SEEDS.iterdir()):
        paras += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return paras


def text_articles(n: int, size: int = 5000, seed: int = 7) -> Iterator[str]:
    rnd = random.Random(seed)
    paras = paragraphs()
    for _ in range(n):
        parts: list[str] = []
        length = 0
        while length < size:
            p = rnd.choice(paras)
            parts.append(p)
            length += len(p) + 2
        yield "\n\n".join(parts)


def html_page(text: str, i: int) -> str:
    paras = text.split("\n\n")
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras[1:])
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(paras[0][:80])}</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/health">Health</a></nav>'
        f"<main><article><h1>{html.escape(paras[0][:80])}</h1>{body}</article></main>"
        '<div class="popup"><p>Sign up for our newsletter and save 10% off!</p></div>'
        f'<section id="comments"><h3>{i % 7 + 1} Comments</h3>'
        '<div class="comment"><p>Where can I buy this supplement?</p></div></section>'
        "<footer><p>Copyright 2024. All rights reserved.</p></footer></body></html>"
    )


def write_jsonl(path: Path, n: int, fmt: str = "text", size: int = 5000) -> int:
    """Write ``n`` articles as JSONL; returns the number of bytes of article content."""
    total = 0
    with path.open("w", encoding="utf-8") as out:
        for i, text in enumerate(text_articles(n, size)):
            content = html_page(text, i) if fmt == "html" else text
            total += len(content.encode("utf-8"))
            key = "html" if fmt == "html" else "text"
            out.write(json.dumps({"id": f"doc{i:06d}", key: content}) + "\n")
    return total


def write_folder(folder: Path, n: int, fmt: str = "text", size: int = 5000) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i, text in enumerate(text_articles(n, size)):
        content = html_page(text, i) if fmt == "html" else text
        suffix = ".html" if fmt == "html" else ".txt"
        (folder / f"doc{i:06d}{suffix}").write_text(content, encoding="utf-8")
        total += len(content.encode("utf-8"))
    return total
