"""Agreement of a rubric with HealthNewsReview's star ratings of 875 news stories (../shared/bench).

Scores every story and prints, for the total and for every criterion (over the stories where it
applies), Spearman and Kendall (tau-b) correlation with the expert rating (0-5 stars), a bootstrap
95% interval for Spearman, Spearman on two fixed halves of the stories (sorted by id), and the
partial Spearman correlation given the article's word count: a criterion that only measures length
is not measuring evidence. A baseline row gives word count itself. Then the spread of the scores
(10th and 90th percentiles) and the share of stories in each grade.

    python benchmarks/story_agreement.py [--rubric rubric/default.yaml] [--jobs 2] [--signals]

--signals adds a row per signal and rule: how many stories it fires in, and the Spearman and
partial correlation of "fires in this story" with the rating, on both halves. It shows what a
phrase list is worth before it becomes a criterion. Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from credscore.evaluate.labels import load_labels
from credscore.evaluate.metrics import kendall_tau_b, spearman
from credscore.models import DocumentScore
from credscore.read import read_tasks
from credscore.rubric.load import load_rubric
from credscore.run import score_stream

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "hnr_stories_dev.jsonl"


def partial(xy: float | None, xz: float | None, yz: float | None) -> float | None:
    """Correlation of x and y with z held fixed, from the three pairwise correlations."""
    if xy is None or xz is None or yz is None:
        return None
    denom = math.sqrt(max(0.0, (1 - xz * xz) * (1 - yz * yz)))
    return (xy - xz * yz) / denom if denom else None


def bootstrap_interval(x: Sequence[float], y: Sequence[float], rounds: int,
                       rng: random.Random) -> tuple[float, float] | None:
    """Percentile 95% interval of Spearman over ``rounds`` resamples of the pairs."""
    n = len(x)
    values = []
    for _ in range(rounds):
        pick = [rng.randrange(n) for _ in range(n)]
        rho = spearman([x[i] for i in pick], [y[i] for i in pick])
        if rho is not None:
            values.append(rho)
    if len(values) < rounds // 2:
        return None
    values.sort()
    return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]


def fmt(value: float | None, width: int = 6) -> str:
    return f"{value:{width}.3f}" if value is not None else " " * (width - 1) + "-"


class Row:
    """One row of the table: a measure over the stories where it is defined."""

    def __init__(self, name: str, values: dict[str, float]) -> None:
        self.name, self.values = name, values


def table(rows: list[Row], rating: dict[str, float], words: dict[str, float], halves: list[set[str]],
          rounds: int, seed: int) -> None:
    print(f"{'measure':34} {'n':>4} {'rho':>6} {'95% interval':>15} {'tau-b':>6} "
          f"{'half1':>6} {'half2':>6} {'partial':>7}")
    for row in rows:
        ids = sorted(i for i in row.values if i in rating)
        x = [row.values[i] for i in ids]
        y = [rating[i] for i in ids]
        w = [words[i] for i in ids]
        rho = spearman(x, y)
        interval = bootstrap_interval(x, y, rounds, random.Random(seed)) if rounds else None
        ci = f"[{interval[0]:6.3f},{interval[1]:6.3f}]" if interval else " " * 15
        tau = kendall_tau_b(x, y)
        by_half = []
        for half in halves:
            part = [k for k, i in enumerate(ids) if i in half]
            by_half.append(spearman([x[k] for k in part], [y[k] for k in part]))
        part_rho = partial(rho, spearman(x, w), spearman(y, w))
        print(f"{row.name[:34]:34} {len(ids):4d} {fmt(rho)} {ci} {fmt(tau)} "
              f"{fmt(by_half[0])} {fmt(by_half[1])} {fmt(part_rho, 7)}")


def signal_rows(docs: list[DocumentScore]) -> list[Row]:
    """"Fires in this story" (1/0) for every signal and rule that fires somewhere, over the
    stories where its criterion applies."""
    keys = sorted({(c.id, f.signal) for d in docs for c in d.criteria for f in c.findings})
    rows = []
    for crit, signal in keys:
        values = {}
        for d in docs:
            c = next(c for c in d.criteria if c.id == crit)
            if c.score is not None:
                values[d.id] = float(any(f.signal == signal for f in c.findings))
        share = sum(values.values()) / len(values)
        rows.append(Row(f"{crit}.{signal} ({share:.0%})", values))
    return rows


def percentile(sorted_values: Sequence[float], q: float) -> float:
    k = (len(sorted_values) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rubric", type=Path, default=ROOT / "rubric" / "default.yaml")
    ap.add_argument("--data", type=Path, default=BENCH)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--bootstrap", type=int, default=1000, help="resamples for the interval (0: none)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--signals", action="store_true", help="also a row per signal and rule")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found (the labelled bench data lives outside the repo)")
        return 0
    loaded = load_rubric(args.rubric)
    t0 = time.perf_counter()
    docs = [r for r in score_stream(read_tasks([args.data]), loaded.rubric, args.jobs)
            if isinstance(r, DocumentScore)]
    elapsed = time.perf_counter() - t0
    labels = load_labels(args.data)
    rating = {i: float(row["rating"]) for i, row in labels.items() if row.get("rating")}
    docs = [d for d in docs if d.id in rating]
    ids = sorted(d.id for d in docs)
    halves = [set(ids[: len(ids) // 2]), set(ids[len(ids) // 2:])]
    words = {d.id: float(d.words) for d in docs}
    print(f"{loaded.rubric.id} {loaded.rubric.version} on {len(docs)} stories ({elapsed:.1f} s); "
          f"halves: stories sorted by id, {len(halves[0])} + {len(halves[1])}")
    rows = [Row("word count (baseline)", words), Row("total score", {d.id: d.score for d in docs})]
    for k, c in enumerate(loaded.rubric.criteria):
        rows.append(Row(f"{c.id} (w {c.weight:g})",
                        {d.id: d.criteria[k].score for d in docs if d.criteria[k].score is not None}))
    if args.signals:
        rows.extend(signal_rows(docs))
    table(rows, rating, words, halves, args.bootstrap, args.seed)

    scores = sorted(d.score for d in docs)
    p10, p90 = percentile(scores, 0.1), percentile(scores, 0.9)
    print(f"\nscores: 10th percentile {p10:.1f}, median {percentile(scores, 0.5):.1f}, "
          f"90th percentile {p90:.1f}; the middle 80% spans {p90 - p10:.1f} points")
    grades = [g.grade for g in sorted(loaded.rubric.grades, key=lambda g: -g.min)]
    shares = {g: sum(d.grade == g for d in docs) / len(docs) for g in grades}
    print("grades: " + ", ".join(f"{g} {share:.0%}" for g, share in shares.items())
          + f"; grades holding 5% or more: {sum(s >= 0.05 for s in shares.values())}")
    by_star: dict[float, list[float]] = {}
    for d in docs:
        by_star.setdefault(rating[d.id], []).append(d.score)
    print("mean score by stars: " + ", ".join(
        f"{star:g}: {sum(v) / len(v):.1f} (n={len(v)})" for star, v in sorted(by_star.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
