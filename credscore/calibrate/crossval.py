"""Folds, held-out figures, and what their spread allows one to claim."""

from __future__ import annotations

import statistics
from typing import Literal

import numpy as np

from credscore.models import Frozen


class FoldFigure(Frozen):
    fold: int
    n: int
    before: float | None
    after: float | None


class Summary(Frozen):
    """Agreement on held-out articles, before and after, over the folds."""

    metric: str
    folds: list[FoldFigure]
    before: float | None  # mean over the folds
    after: float | None
    gain: float | None  # mean of the per-fold gains
    spread: float | None  # standard deviation of the per-fold gains
    claim: Literal["better", "within spread", "worse", "not measurable"]
    verdict: str  # the claim in a sentence, with its figures


def fold_indices(n: int, folds: int, seed: int) -> list[np.ndarray]:
    """``folds`` near-equal parts of ``range(n)``, shuffled by ``seed`` (the same every run)."""
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(part) for part in np.array_split(order, folds)]


def summarise(metric: str, figures: list[FoldFigure]) -> Summary:
    pairs = [(f.before, f.after) for f in figures if f.before is not None and f.after is not None]
    if not pairs:
        return Summary(metric=metric, folds=figures, before=None, after=None, gain=None,
                       spread=None, claim="not measurable",
                       verdict="not measurable: no fold had enough articles")
    gains = [a - b for b, a in pairs]
    gain = statistics.fmean(gains)
    spread = statistics.stdev(gains) if len(gains) > 1 else None
    claim = judge(gain, spread)
    return Summary(metric=metric, folds=figures, before=statistics.fmean(b for b, _ in pairs),
                   after=statistics.fmean(a for _, a in pairs), gain=gain, spread=spread,
                   claim=claim, verdict=_sentence(claim, gain, spread, len(figures)))


def judge(gain: float, spread: float | None) -> Literal["better", "within spread", "worse",
                                                        "not measurable"]:
    """A gain counts only when it is larger than its spread (the standard deviation of the
    per-fold gains); a loss likewise."""
    if spread is None:
        return "not measurable"
    if abs(gain) <= spread:
        return "within spread"
    return "better" if gain > 0 else "worse"


def _sentence(claim: str, gain: float, spread: float | None, folds: int) -> str:
    if claim == "not measurable":  # --folds is at least 2: the others had too few articles
        return (f"not measurable: only one of the {folds} folds had enough articles for a "
                "figure, so the gain has no spread")
    if claim == "within spread" and not spread and not round(gain, 3):
        return ("no change: the fitted numbers gave every held-out fold the same figure as the "
                "written ones")
    if claim == "within spread":
        return (f"no measurable change: the gain {gain:+z.3f} is within its spread "
                f"(sd {spread:.3f} over the folds), so it is not claimed")
    if claim == "better":
        return f"better by {gain:+z.3f}, more than its spread (sd {spread:.3f} over the folds)"
    return f"worse by {gain:+z.3f}, more than its spread (sd {spread:.3f} over the folds)"
