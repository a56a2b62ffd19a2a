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
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import text_articles

from credscore import compile_rubric, load_rubric, parse, score
from credscore.engine.compile import signal_phrases
from credscore.models import Document
from credscore.patterns import phrase_regex

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
TOKEN = re.compile(r"\w+|[^\w\s]")


def minimal_pass(lines: list[str], steps: frozenset[str], phrases: re.Pattern[str],
                 vocabulary: dict[str, int]) -> list[str]:
    """The cheapest pipeline, doing only ``steps``: ``nfkc``, ``split``, then ``phrases`` (one
    regex of the rubric's phrases), ``tokens`` (cut into tokens) or ``lookup`` (tokens, each
    looked up in ``vocabulary``), and ``write`` (one JSON line per article)."""
    out = []
    for line in lines:
        obj = json.loads(line)
        text = unicodedata.normalize("NFKC", obj["text"]) if "nfkc" in steps else obj["text"]
        ends = [m.start() for m in SENTENCE_END.finditer(text)] if "split" in steps else []
        hits: list[tuple[int, int]] = []
        if "phrases" in steps:
            hits = [m.span() for m in phrases.finditer(text)]
        elif "lookup" in steps:
            hits = [m.span() for m in TOKEN.finditer(text.lower()) if m.group() in vocabulary]
        elif "tokens" in steps:
            hits = [m.span() for m in TOKEN.finditer(text.lower())]
        if "write" in steps:
            out.append(json.dumps({"id": obj["id"], "sentences": len(ends), "hits": hits}))
    return out


def stages(lines: list[str]) -> list[tuple[str, Callable[[], object]]]:
    rubric = load_rubric().rubric
    compiled = compile_rubric(rubric)
    phrases = sorted({p for c in rubric.criteria for s in c.signals for p in signal_phrases(s, rubric)})
    all_phrases = re.compile(phrase_regex(phrases))
    vocabulary = {"study": 1, "mice": 2, "journal": 3, "cure": 4, "may": 5}
    minimal = [
        ("json.loads", ""),
        ("+ Unicode NFKC", "nfkc"),
        ("+ one-regex sentence split", "nfkc split"),
        (f"+ {len(phrases)} phrases as one regex", "nfkc split phrases"),
        ("+ tokens instead (one regex)", "nfkc split tokens"),
        ("+ one dict lookup per token", "nfkc split lookup"),
        ("+ one JSON line out per article", "nfkc split lookup write"),
    ]

    def credscore_itself() -> list[str]:
        out = []
        for line in lines:
            obj = json.loads(line)
            doc = Document(id=obj["id"], source="bench", format="text", content=obj["text"])
            out.append(score(parse(doc), compiled).model_dump_json())
        return out

    return [
        *((name, partial(minimal_pass, lines, frozenset(steps.split()), all_phrases, vocabulary))
          for name, steps in minimal),
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
