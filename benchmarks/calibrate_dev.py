"""credscore calibrate on the development data kept beside the repository (../shared/bench).

Fits the default rubric's weights, then its rewards, to the star rating of the 875
HealthNewsReview stories (keeping what the rubric's header keeps), and
the HealthNewsReview rubric's points to the experts' answers on the 363 news releases, and prints
calibrate's tables (held-out agreement before and after, per fold) with the time each took:
scoring once, then the folds and the final fit. Nothing is written. Skips cleanly when the data
is absent.

    python benchmarks/calibrate_dev.py [--folds 5] [--seed 0] [--jobs 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console

from credscore.calibrate.calibration import FitKind, calibrate
from credscore.evaluate.labels import load_labels
from credscore.models import DocumentScore
from credscore.read import read_tasks
from credscore.report.calibration import calibration_view
from credscore.rubric.load import load_rubric
from credscore.run import score_stream

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
# The criteria the default rubric's header keeps when it is fitted (faults, and for the rewards
# the criteria whose points were set against their own labels).
FAULTS = frozenset({"sales_pitch", "sensational_language", "animal_evidence"})
RUNS: list[tuple[str, str, FitKind, str, frozenset[str]]] = [
    ("hnr_stories_dev.jsonl", "default.yaml", "weights", "rating", FAULTS),
    ("hnr_stories_dev.jsonl", "default.yaml", "rewards", "rating",
     FAULTS | {"quantified_results", "hedging"}),
    ("hnr_releases_dev.jsonl", "healthnewsreview.yaml", "points", "derived_rating", frozenset()),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    console = Console(highlight=False, width=160)
    for data_name, rubric_name, fit, rating, keep in RUNS:
        data = BENCH / data_name
        if not data.is_file():
            print(f"skipped: {data} not found (the labelled bench data lives outside the repo)")
            continue
        rubric = load_rubric(ROOT / "rubric" / rubric_name).rubric
        t0 = time.perf_counter()
        docs = [r for r in score_stream(read_tasks([data]), rubric, args.jobs)
                if isinstance(r, DocumentScore)]
        t1 = time.perf_counter()
        result = calibrate(docs, load_labels(data), rubric, fit=fit, rating_field=rating,
                           folds=args.folds, seed=args.seed, keep=keep)
        t2 = time.perf_counter()
        print(f"\n{rubric.id} {rubric.version}, --fit {fit}, on {data_name}: {len(docs)} "
              f"articles scored in {t1 - t0:.1f} s, fitted and cross-validated in {t2 - t1:.1f} s")
        console.print(calibration_view(result, written=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
