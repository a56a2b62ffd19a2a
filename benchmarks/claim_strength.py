"""Sentence-level causal claim strength from a rubric's causal_language signals (../shared/bench).

Each labelled press-release sentence (Yu, Wang, Li, Sumner 2019/2020: 0 no relationship,
1 correlational, 2 conditional causal, 3 direct causal) is classified by which signals of the
`causal_language` criterion fire in it: a hedged causal claim -> 2, an association
(`correlational` or `risk_difference`) -> 1, a direct causal verb -> 3, none -> 0. Prints
per-class precision/recall/F1, macro-F1 and the confusion matrix. Skips cleanly when ../shared
is absent.

    python benchmarks/claim_strength.py [--rubric rubric/causal-claims.yaml]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from credscore.engine.compile import compile_rubric
from credscore.engine.examples import signals_found
from credscore.evaluate.metrics import class_scores
from credscore.rubric.load import load_rubric

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "claim_strength_dev.jsonl"
NAMES = ["no_relationship", "correlational", "conditional_causal", "direct_causal"]


def classify(criterion, plan, text: str) -> int:  # type: ignore[no-untyped-def]
    found = {criterion.signals[i].id for i in signals_found(criterion, plan, text, "body")}
    if "conditional_causal" in found:
        return 2
    if found & {"correlational", "risk_difference"}:
        return 1
    if "direct_causal" in found:
        return 3
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rubric", type=Path, default=ROOT / "rubric" / "causal-claims.yaml")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found (the labelled bench data lives outside the repo)")
        return 0
    compiled = compile_rubric(load_rubric(args.rubric).rubric)
    at = next((i for i, c in enumerate(compiled.criteria) if c.id == "causal_language"), None)
    if at is None:
        print(f"skipped: {args.rubric} has no causal_language criterion")
        return 0
    criterion, plan = compiled.criteria[at], compiled.plans[at]
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    matrix = [[0] * 4 for _ in range(4)]
    for row in rows:
        matrix[int(row["label"])][classify(criterion, plan, row["sentence"])] += 1
    print(f"claim strength on {len(rows)} sentences ({args.rubric.name})")
    f1s = []
    for k, name in enumerate(NAMES):
        tp = matrix[k][k]
        fp = sum(matrix[j][k] for j in range(4)) - tp
        fn = sum(matrix[k]) - tp
        s = class_scores(tp, fp, fn)
        f1s.append(s.f1)
        print(f"  {name:20} P {s.precision:.2f}  R {s.recall:.2f}  F1 {s.f1:.2f}  (n={s.support})")
    accuracy = sum(matrix[k][k] for k in range(4)) / len(rows)
    print(f"macro-F1 {sum(f1s) / 4:.3f}, accuracy {accuracy:.3f} "
          "(published fine-tuned model: macro-F1 about 0.88)")
    print("confusion (rows = label, columns = predicted):")
    for k, name in enumerate(NAMES):
        print(f"  {name:20} " + " ".join(f"{v:5d}" for v in matrix[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
