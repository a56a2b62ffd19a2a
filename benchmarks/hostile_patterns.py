"""Patterns that make backtracking engines run for minutes, on a 1 MB adversarial article.

Each pattern is put alone in a one-signal rubric. It is either refused at load (the message is
printed) or scored on two articles of one 1 MB paragraph: one built to make it work hard (runs
of the letters it repeats, and none of the character that would end it), and one of varied words,
where long bounded repetitions of a broad class are at their slowest. Prints the seconds each
took; every accepted pattern finishes in seconds, because RE2 runs in linear time, a search reads
a bounded window ahead, and a pattern that compiles to too many instructions is refused.

    python benchmarks/hostile_patterns.py [--kb 1000]
"""

from __future__ import annotations

import argparse
import itertools
import random
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
# Long bounded repetitions of broad classes, bounded and written out: linear in RE2, but each
# byte costs as much as the repetition is long.
BROAD = [r"\w[^~]{0,1000}", r"\w[^~]{0,300}", r"\w.{0,330}", r"(?:.{0,100}){0,10}",
         r"(?:\w+\W+){0,100}x", r"(?:\w+\W+){0,70}x", r"\w" + "[^~]?" * 400,
         r"\w" + "[^~]?" * 250]


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


def prose(kb: int) -> str:
    """Words of varied lengths and cases, with some punctuation, digits and accents."""
    rng = random.Random(0)
    letters = "etaoinshrdlucmfwypvbgkqjxzé"
    words: list[str] = []
    size = 0
    while size < kb * 1000:
        word = "".join(rng.choice(letters) for _ in range(rng.randint(1, 10)))
        if rng.random() < 0.1:
            word = word.capitalize()
        if rng.random() < 0.05:
            word = str(rng.randint(1, 999))
        if rng.random() < 0.08:
            word += rng.choice(".,;:")
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[: kb * 1000] + "."


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kb", type=int, default=1000, help="article size in kB")
    args = ap.parse_args()
    docs = [parse(Document(id=name, source="bench", format="text", content=text))
            for name, text in (("adversarial", article(args.kb)), ("prose", prose(args.kb)))]
    patterns = FROM_THE_ISSUE + CLASSIC + BROAD + generated()
    slowest = 0.0
    refused = 0
    for pattern in patterns:
        try:
            rubric = load_rubric_text(one_pattern_rubric(pattern)).rubric
        except RubricError as exc:
            refused += 1
            print(f"{shown(pattern):28} refused: {exc.problems[0].split(': ', 2)[-1][:90]}")
            continue
        compiled = compile_rubric(rubric)
        figures = []
        for doc in docs:
            start = time.perf_counter()
            result = score(doc, compiled)
            took = time.perf_counter() - start
            slowest = max(slowest, took)
            figures.append(f"{doc.id} {took:6.2f} s {len(result.criteria[0].findings):6} findings")
        print(f"{shown(pattern):28}", "   ".join(figures))
    print(f"{len(patterns)} patterns on two {args.kb} kB articles: {refused} refused, the slowest "
          f"accepted one took {slowest:.2f} s")


def shown(pattern: str) -> str:
    return pattern if len(pattern) <= 28 else f"{pattern[:18]}... ({len(pattern)})"


if __name__ == "__main__":
    main()
