"""Agreement of a rubric with HealthNewsReview experts on 363 news releases (../shared/bench).

Scores every release, compares each criterion that declares a `label` with the experts' answer
and the total score with the derived star rating, and prints precision, recall and F1 per class,
macro-F1, balanced accuracy and Spearman / Kendall. Skips cleanly when ../shared is absent.

    python benchmarks/hnr_agreement.py [--rubric rubric/default.yaml] [--jobs 2] [--halves]

--halves also prints every macro-F1 and the Spearman correlation on the two halves of the
releases (sorted by id): a change that helps on one half only is tuned to those releases.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from credscore.evaluate.compare import evaluate
from credscore.evaluate.labels import load_labels
from credscore.models import DocumentScore
from credscore.read import read_tasks
from credscore.rubric.load import load_rubric
from credscore.rubric.model import Rubric
from credscore.run import score_stream

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "hnr_releases_dev.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rubric", type=Path, default=ROOT / "rubric" / "default.yaml")
    ap.add_argument("--data", type=Path, default=BENCH)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--halves", action="store_true", help="also show figures on two halves of the data")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found (the labelled bench data lives outside the repo)")
        return 0
    loaded = load_rubric(args.rubric)
    t0 = time.perf_counter()
    docs = [r for r in score_stream(read_tasks([args.data]), loaded.rubric, args.jobs)
            if isinstance(r, DocumentScore)]
    elapsed = time.perf_counter() - t0
    report = evaluate(docs, load_labels(args.data), loaded.rubric, rating_field="derived_rating")
    print(f"{loaded.rubric.id} {loaded.rubric.version} on {report.labelled} releases "
          f"({elapsed:.1f} s)")
    print(f"{'criterion':24} {'n':>4} {'P+':>5} {'R+':>5} {'F1+':>5} {'P-':>5} {'R-':>5} "
          f"{'F1-':>5} {'macroF1':>7} {'balAcc':>6}")
    for c in report.criteria:
        print(f"{c.id:24} {c.support:4d} {c.precision_pos:5.2f} {c.recall_pos:5.2f} {c.f1_pos:5.2f} "
              f"{c.precision_neg:5.2f} {c.recall_neg:5.2f} {c.f1_neg:5.2f} {c.macro_f1:7.3f} "
              f"{c.balanced_accuracy:6.3f}")
    if report.mean_macro_f1 is not None:
        print(f"mean macro-F1 over {len(report.criteria)} criteria: {report.mean_macro_f1:.3f}")
    if report.overall:
        o = report.overall
        print(f"overall score vs {o.field}: Spearman {o.spearman:.3f}, Kendall {o.kendall:.3f} "
              f"(n={o.support})")
    words = [(d.words, d.id) for d in docs]
    ratings = load_labels(args.data)
    from credscore.evaluate.metrics import spearman

    pairs = [(w, float(ratings[i]["derived_rating"])) for w, i in words if i in ratings]
    rho = spearman([p[0] for p in pairs], [p[1] for p in pairs])
    print(f"baseline: article length vs derived_rating: Spearman {rho:.3f}")
    if args.halves:
        print_halves(docs, ratings, loaded.rubric)
    return 0


def print_halves(docs: list[DocumentScore], labels: dict[str, dict[str, str]], rubric: Rubric) -> None:
    ids = sorted(d.id for d in docs)
    first = set(ids[: len(ids) // 2])
    reports = [
        evaluate(part, labels, rubric, rating_field="derived_rating")
        for part in (docs, [d for d in docs if d.id in first], [d for d in docs if d.id not in first])
    ]
    print(f"\nby half (releases sorted by id): {'all':>6} {'first':>6} {'second':>6}")
    for i, c in enumerate(reports[0].criteria):
        print(f"{c.id:33} " + " ".join(f"{r.criteria[i].macro_f1:6.3f}" for r in reports))
    if all(r.mean_macro_f1 is not None for r in reports):
        print(f"{'mean macro-F1':33} " + " ".join(f"{r.mean_macro_f1:6.3f}" for r in reports))
    if all(r.overall and r.overall.spearman is not None for r in reports):
        print(f"{'Spearman':33} " + " ".join(f"{r.overall.spearman:6.3f}" for r in reports))


if __name__ == "__main__":
    sys.exit(main())
