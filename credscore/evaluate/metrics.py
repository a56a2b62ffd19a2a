"""Classification and rank-correlation metrics, small pure functions (no numpy needed)."""

from __future__ import annotations

import math
from collections.abc import Sequence
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
    return (_ratio(c.tp, c.tp + c.fn) + _ratio(c.tn, c.tn + c.fp)) / 2


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


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b, which corrects for ties (O(n^2); fine for thousands of items)."""
    n = len(x)
    concordant = discordant = ties_x = ties_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denom = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denom if denom else None


def partial_correlation(xy: float | None, xz: float | None, yz: float | None) -> float | None:
    """The correlation of x and y with z held fixed, from the three pairwise correlations
    (for rank correlations, the partial Spearman correlation)."""
    if xy is None or xz is None or yz is None:
        return None
    denom = math.sqrt(max(0.0, (1 - xz * xz) * (1 - yz * yz)))
    return (xy - xz * yz) / denom if denom else None
