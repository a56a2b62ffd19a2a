"""Classification and rank-correlation metrics, small pure functions (no numpy needed)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Confusion:
    tp: int
    fp: int
    fn: int
    tn: int

    @classmethod
    def of(cls, truth: Sequence[bool], predicted: Sequence[bool]) -> Confusion:
        tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
        fp = sum((not t) and p for t, p in zip(truth, predicted, strict=True))
        fn = sum(t and not p for t, p in zip(truth, predicted, strict=True))
        return cls(tp, fp, fn, len(truth) - tp - fp - fn)

    @property
    def support(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def class_scores(tp: int, fp: int, fn: int) -> ClassScores:
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ClassScores(precision, recall, f1, tp + fn)


def positive_scores(c: Confusion) -> ClassScores:
    return class_scores(c.tp, c.fp, c.fn)


def negative_scores(c: Confusion) -> ClassScores:
    return class_scores(c.tn, c.fn, c.fp)


def macro_f1(c: Confusion) -> float:
    return (positive_scores(c).f1 + negative_scores(c).f1) / 2


def balanced_accuracy(c: Confusion) -> float:
    """The mean recall of the classes the truth holds: a class no article has has no recall (not
    a recall of 0), so all-positive truth predicted right is 1.0, not 0.5 (as scikit-learn's
    ``balanced_accuracy_score``); 0.0 with no articles."""
    recalls = [c.tp / (c.tp + c.fn)] if c.tp + c.fn else []
    recalls += [c.tn / (c.tn + c.fp)] if c.tn + c.fp else []
    return sum(recalls) / len(recalls) if recalls else 0.0


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties given their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho: Pearson correlation of the ranks (ties averaged)."""
    return pearson(ranks(x), ranks(y))


def auc(scores: Sequence[float], ratings: Sequence[float]) -> float | None:
    """For a rating with exactly two values: the chance that an article with the higher rating
    scores above one with the lower (a tie counts half), the area under the ROC curve, from the
    Mann-Whitney rank sum. None for a rating with any other number of values."""
    values = sorted(set(ratings))
    if len(values) != 2:
        return None
    r = ranks(scores)
    high = [r[i] for i, v in enumerate(ratings) if v == values[1]]
    n_high, n_low = len(high), len(ratings) - len(high)
    return (sum(high) - n_high * (n_high + 1) / 2) / (n_high * n_low)


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b, which corrects for ties, in O(n log n) (Knight 1966): sort by x then y,
    and count the discordant pairs as the swaps a merge sort of y makes."""
    n = len(x)
    pairs = sorted(zip(x, y, strict=True))
    n0 = n * (n - 1) // 2
    ties_x = _tied_pairs(p[0] for p in pairs)
    ties_xy = _tied_pairs(pairs)
    ys = [p[1] for p in pairs]
    discordant = _merge_count(ys)
    ties_y = _tied_pairs(ys)  # ys is sorted now
    denom = math.sqrt((n0 - ties_x) * (n0 - ties_y))
    if not denom:
        return None
    return (n0 - ties_x - ties_y + ties_xy - 2 * discordant) / denom


def _tied_pairs(sorted_values: Iterable[object]) -> int:
    """Pairs of equal values in a sorted sequence."""
    total = run = 0
    last: object = object()
    for value in sorted_values:
        run = run + 1 if value == last else 1
        total += run - 1
        last = value
    return total


def _merge_count(values: list[float]) -> int:
    """Sort ``values`` in place and return how many pairs were out of order (strictly)."""
    n = len(values)
    swaps = 0
    width = 1
    source, buffer = values[:], values[:]
    while width < n:
        for lo in range(0, n, 2 * width):
            mid, hi = min(lo + width, n), min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if source[j] < source[i]:
                    buffer[k] = source[j]
                    swaps += mid - i
                    j += 1
                else:
                    buffer[k] = source[i]
                    i += 1
                k += 1
            buffer[k:hi] = source[i:mid] if i < mid else source[j:hi]
        source, buffer = buffer, source
        width *= 2
    values[:] = source
    return swaps


def partial_correlation(xy: float | None, xz: float | None, yz: float | None) -> float | None:
    """The correlation of x and y with z held fixed, from the three pairwise correlations
    (for rank correlations, the partial Spearman correlation)."""
    if xy is None or xz is None or yz is None:
        return None
    denom = math.sqrt(max(0.0, (1 - xz * xz) * (1 - yz * yz)))
    return (xy - xz * yz) / denom if denom else None
