"""Agreement of a rubric with HealthNewsReview experts on 363 news releases (../shared/bench).

Scores every release, compares each criterion that declares a `label` with the experts' answer
and the total score with the derived star rating, and prints precision, recall and F1 per class,
macro-F1, balanced accuracy and Spearman / Kendall. Skips cleanly when ../shared is absent.

    python benchmarks/hnr_agreement.py [--rubric rubric/default.yaml] [--jobs 2]
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
from credscore.run import score_stream

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "hnr_releases_dev.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rubric", type=Path, default=ROOT / "rubric" / "default.yaml")
    ap.add_argument("--data", type=Path, default=BENCH)
    ap.add_argument("--jobs", type=int, default=2)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
