"""The rubric next to models trained on the same HealthNewsReview releases (../shared/bench).

For each criterion that declares a `label`, four answers are compared by macro-F1 on the same
folds of the labelled releases (every trained model predicts releases it never saw):

- majority: always the most common answer of the training folds;
- words: logistic regression on the words and word pairs of the title and text, a black box
  trained on the experts' answers;
- signals: logistic regression on how often each signal and rule of the criterion fired, i.e.
  the rubric's own evidence with weights fitted to the answers instead of set by hand;
- rubric: the rubric as written, nothing fitted. Its phrases were chosen while reading these
  releases, so its figure is optimistic; `hnr_agreement.py --halves` shows how much it moves
  between two halves of the data.

If the trained models do no better than the rubric, the releases' words hold little more that a
rule could use; a criterion where "words" beats "rubric" is one with lexical signal left to find.
Pure Python, about a minute on one core. Skips cleanly when ../shared is absent.

    python benchmarks/hnr_baselines.py [--rubric rubric/healthnewsreview.yaml] [--folds 5]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

from credscore.evaluate.compare import predicts_positive, truth_of
from credscore.evaluate.labels import load_labels
from credscore.evaluate.metrics import Confusion, macro_f1
from credscore.models import Document, DocumentScore
from credscore.read import read_paths, read_tasks
from credscore.rubric.load import load_rubric
from credscore.rubric.model import Criterion
from credscore.run import score_stream

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "hnr_releases_dev.jsonl"
TOKEN = re.compile(r"[a-z]+|\d+|[$%£€]")
MIN_DOCUMENT_FREQUENCY = 4  # a word (pair) seen in fewer training releases is left out

Features = dict[str, float]


def word_features(doc: Document) -> Features:
    tokens = TOKEN.findall(f"{doc.title or ''}\n{doc.content}".lower())
    feats: Features = dict.fromkeys(tokens, 1.0)
    feats.update(dict.fromkeys((f"{a} {b}" for a, b in pairwise(tokens)), 1.0))
    return feats


def signal_features(score: DocumentScore, criterion_id: str) -> Features:
    crit = next(c for c in score.criteria if c.id == criterion_id)
    counts = Counter(f.signal for f in crit.findings)
    return {name: math.log1p(n) for name, n in counts.items()}


def train(xs: Sequence[Features], ys: Sequence[bool], epochs: int = 12, rate: float = 0.2,
          l2: float = 1e-3, seed: int = 0) -> tuple[dict[str, float], float]:
    """Class-balanced logistic regression by AdaGrad over sparse features."""
    positives = sum(ys)
    if positives in (0, len(ys)):
        return {}, (30.0 if positives else -30.0)
    weight_of = {True: len(ys) / (2 * positives), False: len(ys) / (2 * (len(ys) - positives))}
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    bias, bias_g2 = 0.0, 1e-8
    order = list(range(len(xs)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            x = xs[i]
            z = max(-30.0, min(30.0, bias + sum(w.get(f, 0.0) * v for f, v in x.items())))
            g = (1 / (1 + math.exp(-z)) - ys[i]) * weight_of[ys[i]]
            for f, v in x.items():
                grad = g * v + l2 * w.get(f, 0.0)
                g2[f] = g2.get(f, 1e-8) + grad * grad
                w[f] = w.get(f, 0.0) - rate * grad / math.sqrt(g2[f])
            bias_g2 += g * g
            bias -= rate * g / math.sqrt(bias_g2)
    return w, bias


def predict(model: tuple[dict[str, float], float], x: Features) -> bool:
    w, bias = model
    return bias + sum(w.get(f, 0.0) * v for f, v in x.items()) > 0


def shuffled_folds(n: int, folds: int) -> tuple[list[int], list[list[int]]]:
    """One seeded shuffle of the items (the same for every model) and what each fold holds out."""
    order = list(range(n))
    random.Random(1).shuffle(order)
    return order, [order[k::folds] for k in range(folds)]


def cross_validated(xs: list[Features], ys: list[bool], folds: int, prune: bool) -> list[bool]:
    """Each item predicted by a model trained on the other folds."""
    predicted = [False] * len(xs)
    order, tests = shuffled_folds(len(xs), folds)
    for test in tests:
        held = set(test)
        train_at = [i for i in order if i not in held]
        if prune:
            df = Counter(f for i in train_at for f in xs[i])
            keep = {f for f, n in df.items() if n >= MIN_DOCUMENT_FREQUENCY}
            view = [{f: v for f, v in xs[i].items() if f in keep} for i in train_at]
        else:
            view = [xs[i] for i in train_at]
        model = train(view, [ys[i] for i in train_at])
        for i in test:
            predicted[i] = predict(model, xs[i])
    return predicted


def majority(ys: list[bool], folds: int) -> list[bool]:
    predicted = [False] * len(ys)
    _, tests = shuffled_folds(len(ys), folds)
    for test in tests:
        held = set(test)
        train_ys = [y for i, y in enumerate(ys) if i not in held]
        for i in test:
            predicted[i] = sum(train_ys) * 2 > len(train_ys)
    return predicted


def rows_for(spec: Criterion, ids: list[str], labels: dict[str, dict[str, str]]) -> list[tuple[str, bool]]:
    assert spec.label is not None
    out = []
    for doc_id in ids:
        value = labels.get(doc_id, {}).get(spec.label.field)
        truth = None if value is None else truth_of(value, spec.label)
        if truth is not None:
            out.append((doc_id, truth))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rubric", type=Path, default=ROOT / "rubric" / "healthnewsreview.yaml")
    ap.add_argument("--data", type=Path, default=BENCH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} not found (the labelled bench data lives outside the repo)")
        return 0
    t0 = time.perf_counter()
    rubric = load_rubric(args.rubric).rubric
    labels = load_labels(args.data)
    docs = {d.id: d for d in read_paths([args.data]) if isinstance(d, Document)}
    scores = {s.id: s for s in score_stream(read_tasks([args.data]), rubric, args.jobs)
              if isinstance(s, DocumentScore)}
    ids = sorted(set(docs) & set(scores))
    words = {i: word_features(docs[i]) for i in ids}
    print(f"{rubric.id} {rubric.version}: {len(ids)} releases, {args.folds}-fold cross-validation")
    print(f"{'criterion':24} {'n':>4} {'majority':>8} {'words':>6} {'signals':>7} {'rubric':>6}")
    columns: dict[str, list[float]] = {"majority": [], "words": [], "signals": [], "rubric": []}
    for spec in rubric.criteria:
        if spec.label is None:
            continue
        rows = rows_for(spec, ids, labels)
        if not rows:
            continue
        ys = [truth for _, truth in rows]
        rubric_says = []
        for doc_id, _ in rows:
            crit = next(c for c in scores[doc_id].criteria if c.id == spec.id)
            rubric_says.append(predicts_positive(crit.score, spec.label))
        got = {
            "majority": majority(ys, args.folds),
            "words": cross_validated([words[i] for i, _ in rows], ys, args.folds, prune=True),
            "signals": cross_validated([signal_features(scores[i], spec.id) for i, _ in rows], ys,
                                       args.folds, prune=False),
            "rubric": rubric_says,
        }
        f1 = {name: macro_f1(Confusion.of(ys, pred)) for name, pred in got.items()}
        for name, value in f1.items():
            columns[name].append(value)
        print(f"{spec.id:24} {len(rows):4d} {f1['majority']:8.3f} {f1['words']:6.3f} "
              f"{f1['signals']:7.3f} {f1['rubric']:6.3f}", flush=True)
    means = {name: sum(v) / len(v) for name, v in columns.items() if v}
    if means:
        print(f"{'mean macro-F1':29} {means['majority']:8.3f} {means['words']:6.3f} "
              f"{means['signals']:7.3f} {means['rubric']:6.3f}")
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
