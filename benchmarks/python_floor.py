"""What one core of CPython can do per MB of article text, stage by stage, next to credscore.

Each line adds one step to the one before, on the same synthetic text corpus as the other
benchmarks: JSON lines decoded, Unicode normalised, sentences split by one regex, then either
all phrases of the default rubric found by one trie-shaped regex or the text cut into tokens,
one dictionary lookup per token, and a small JSON line written per article. Nothing here zones
the text, runs the rubric's own patterns, checks a signal's constraints or explains a finding,
so these lines bound from above what any pure-Python scorer reading the whole text can reach.
The last line is credscore itself (parse, score with the default rubric, one JSON line per
article).

    python benchmarks/python_floor.py [--n 2000]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import text_articles

from credscore import compile_rubric, load_rubric, parse, score
from credscore.engine.compile import signal_phrases
from credscore.models import Document
from credscore.patterns import phrase_regex

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
TOKEN = re.compile(r"\w+|[^\w\s]")


def stages(lines: list[str]) -> list[tuple[str, Callable[[], object]]]:
    vocabulary = {"study": 1, "mice": 2, "journal": 3, "cure": 4, "may": 5}
    lookup = vocabulary.get
    rubric = load_rubric().rubric
    compiled = compile_rubric(rubric)
    phrases = sorted({p for c in rubric.criteria for s in c.signals for p in signal_phrases(s, rubric)})
    all_phrases = re.compile(phrase_regex(phrases))

    def decode() -> None:
        for line in lines:
            json.loads(line)

    def normalise() -> None:
        for line in lines:
            unicodedata.normalize("NFKC", json.loads(line)["text"])

    def split() -> None:
        for line in lines:
            text = unicodedata.normalize("NFKC", json.loads(line)["text"])
            [m.start() for m in SENTENCE_END.finditer(text)]

    def tokenise() -> None:
        for line in lines:
            text = unicodedata.normalize("NFKC", json.loads(line)["text"])
            [m.start() for m in SENTENCE_END.finditer(text)]
            [m.span() for m in TOKEN.finditer(text.lower())]

    def one_pattern() -> None:
        for line in lines:
            text = unicodedata.normalize("NFKC", json.loads(line)["text"])
            [m.start() for m in SENTENCE_END.finditer(text)]
            [m.span() for m in all_phrases.finditer(text)]

    def look_up() -> None:
        for line in lines:
            text = unicodedata.normalize("NFKC", json.loads(line)["text"])
            [m.start() for m in SENTENCE_END.finditer(text)]
            [m.span() for m in TOKEN.finditer(text.lower()) if lookup(m.group())]

    def write() -> list[str]:
        out = []
        for line in lines:
            obj = json.loads(line)
            text = unicodedata.normalize("NFKC", obj["text"])
            ends = [m.start() for m in SENTENCE_END.finditer(text)]
            hits = [m.span() for m in TOKEN.finditer(text.lower()) if lookup(m.group())]
            out.append(json.dumps({"id": obj["id"], "sentences": len(ends), "hits": hits}))
        return out

    def credscore_itself() -> list[str]:
        out = []
        for line in lines:
            obj = json.loads(line)
            doc = Document(id=obj["id"], source="bench", format="text", content=obj["text"])
            out.append(score(parse(doc), compiled).model_dump_json())
        return out

    return [
        ("json.loads", decode),
        ("+ Unicode NFKC", normalise),
        ("+ one-regex sentence split", split),
        (f"+ {len(phrases)} phrases as one regex", one_pattern),
        ("+ tokens instead (one regex)", tokenise),
        ("+ one dict lookup per token", look_up),
        ("+ one JSON line out per article", write),
        ("credscore: parse + score + JSON", credscore_itself),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=2000, help="articles of about 5 kB")
    args = ap.parse_args()
    lines = [json.dumps({"id": str(i), "text": t}) for i, t in enumerate(text_articles(args.n))]
    mb = sum(len(json.loads(line)["text"].encode("utf-8")) for line in lines) / 1e6
    print(f"{args.n} articles, {mb:.1f} MB of text, one core")
    for name, run in stages(lines):
        run()  # warm caches once, then time the best of three
        best = min(_timed(run) for _ in range(3))
        print(f"{name:34} {mb / best:7.1f} MB/s  {1000 * best / args.n:6.3f} ms/article")


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
