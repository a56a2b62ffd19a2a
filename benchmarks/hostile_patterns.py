"""Patterns that make backtracking engines run for minutes, on a 1 MB adversarial article.

Each pattern is put alone in a one-signal rubric. It is either refused at load (the message is
printed) or scored on an article of one 1 MB paragraph built to make it work hard (runs of the
letters it repeats, and none of the character that would end it). Prints the seconds each took;
every accepted pattern finishes in seconds, because RE2 runs in linear time and a search reads
a bounded window ahead.

    python benchmarks/hostile_patterns.py [--kb 1000]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from credscore import compile_rubric, parse, score
from credscore.models import Document
from credscore.rubric.load import RubricError, load_rubric_text
from tests.rubrics import one_pattern_rubric

FROM_THE_ISSUE = [r"(a|aa)+b", r"(ab|a|b)+c", r"(a|a?)+b", r"(.|\w)+#", r"\w*\w*\w*\w*!"]
CLASSIC = [r"(a+)+$", r"(\w+\s?)*$", r"(x*)*y", r"(?:\s*\w+)+!", r"\w+(?:.*z)?", r"(a|b|ab)*c",
           r"(\w|\d)+\.", r"^(\w+\s?)+$", r"(a|a)+$", r"(?<!x)(a+)+b", r"(a)\1+b"]


def generated() -> list[str]:
    """Nested and alternating repetitions of overlapping atoms."""
    atoms = ["a", "a?", "aa", r"\w", ".", r"[ab]"]
    out = []
    for x, y in itertools.combinations(atoms, 2):
        for outer in ("+", "*", "{1,50}"):
            out.append(f"({x}|{y}){outer}b")
            out.append(f"(?:{x}+{y}*){outer}#")
    return out


def article(kb: int) -> str:
    unit = "aaaaaaaaaa" * 8 + "ab" * 10 + " "
    return (unit * (kb * 1000 // len(unit)))[: kb * 1000] + "."


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kb", type=int, default=1000, help="article size in kB")
    args = ap.parse_args()
    doc = parse(Document(id="hostile", source="bench", format="text", content=article(args.kb)))
    patterns = FROM_THE_ISSUE + CLASSIC + generated()
    slowest = 0.0
    refused = 0
    for pattern in patterns:
        try:
            rubric = load_rubric_text(one_pattern_rubric(pattern)).rubric
        except RubricError as exc:
            refused += 1
            print(f"{pattern:28} refused: {exc.problems[0].split(': ', 2)[-1][:90]}")
            continue
        compiled = compile_rubric(rubric)
        start = time.perf_counter()
        result = score(doc, compiled)
        took = time.perf_counter() - start
        slowest = max(slowest, took)
        hits = len(result.criteria[0].findings)
        print(f"{pattern:28} {took:6.2f} s  {hits} findings")
    print(f"{len(patterns)} patterns on a {args.kb} kB article: {refused} refused, the slowest "
          f"accepted one took {slowest:.2f} s")


if __name__ == "__main__":
    main()
