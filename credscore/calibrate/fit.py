"""The fits: criterion weights to a rating, a criterion's points to its label, and the rewards
of every criterion to a rating.

Both start from the written numbers and are pulled back toward them, so a number the data say
little about stays near what its author chose. The optimiser is scipy's L-BFGS-B, whose bounds
keep weights non-negative and every signal's points on the side of zero they were written on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.optimize import minimize
from scipy.stats import rankdata

from credscore.engine.score import points_to_score
from credscore.evaluate.compare import THRESHOLD
from credscore.rubric.model import Scoring

# How strongly the weights are held to their written shares of the total weight (against a
# correlation, which lies in [-1, 1]).
WEIGHT_PULL = 0.03
# How many articles' worth of evidence it takes to move a signal's points by one scoring scale.
POINTS_PULL = 3.0
# How strongly rewards fitted to a rating are held to their written values: the mean squared
# change, in units of each criterion's scale, costs this much correlation.
REWARD_PULL = 0.1
DECIMALS = 2  # fitted numbers are written with two decimals
SMALLEST = 10**-DECIMALS  # a reward or penalty stays one: it never reaches 0


def mean_totals(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The engine's total in array form: per article, the weighted mean of the criteria that
    apply to it (NaN in ``scores`` where one does not), times 100; 0 when none with weight does."""
    applies = ~np.isnan(scores)
    den = applies @ weights
    num = np.where(applies, scores, 0.0) @ weights
    return np.where(den > 0, 100 * num / np.where(den > 0, den, 1.0), 0.0)


def fit_weights(scores: np.ndarray, ratings: np.ndarray, written: np.ndarray,
                kept: np.ndarray | None = None, ceilings: np.ndarray | None = None) -> np.ndarray:
    """Non-negative weights whose total (the weighted mean of the criteria that apply to an
    article, NaN in ``scores`` where one does not, held at or below the article's entry in
    ``ceilings``, 0-1) correlates best with the ranks of ``ratings``; scaled to the written
    weights' sum and rounded. Weights marked in ``kept``
    stay as written, and the others are fitted around them with their sum held at its written
    value: a weighted mean does not change when every weight is scaled, so only that keeps the
    kept criteria's share of the total, which is what their weight means."""
    applies = ~np.isnan(scores)
    values = np.where(applies, scores, 0.0)
    target = rankdata(ratings)
    target = target - target.mean()
    target_norm = float(np.sqrt(target @ target))
    total_written = float(written.sum()) or float(len(written))
    shares_written = written / total_written
    limit = np.full(len(scores), np.inf) if ceilings is None else ceilings

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        # The correlation does not depend on the factor 100 of mean_totals, left out here.
        den = applies @ w
        safe = np.where(den > 0, den, 1.0)
        means = mean_totals(scores, w) / 100
        # A total held at its ceiling does not move with the weights.
        moving = means < limit
        totals = np.where(moving, means, limit)
        centred = totals - totals.mean()
        norm = float(np.sqrt(centred @ centred))
        if norm == 0 or target_norm == 0:
            return 0.0, np.zeros_like(w)
        r = float(centred @ target) / (norm * target_norm)
        d_totals = target / (norm * target_norm) - r * centred / norm**2
        # d total_i / d w_j = applies_ij (score_ij - total_i) / den_i
        d_w = (d_totals * moving) @ (applies * (values - totals[:, None]) / safe[:, None])
        s = float(w.sum())
        diff = w / s - shares_written
        pull = WEIGHT_PULL * float(diff @ diff)
        d_pull = 2 * WEIGHT_PULL * (diff / s - float(diff @ w) / s**2)
        return -r + pull, -d_w + d_pull

    if kept is not None and kept.any():
        free = ~kept
        free_sum = float(written[free].sum())
        if free_sum <= 0:
            return written.copy()

        def with_kept(v: np.ndarray) -> np.ndarray:
            w = written.astype(float).copy()
            w[free] = free_sum * v / max(float(v.sum()), 1e-12)
            return w

        def around_kept(v: np.ndarray) -> tuple[float, np.ndarray]:
            value, grad = objective(with_kept(v))
            g, total = grad[free], max(float(v.sum()), 1e-12)
            return value, free_sum / total * (g - float(g @ v) / total)

        result = minimize(around_kept, written[free].astype(float), jac=True,
                          method="L-BFGS-B", bounds=[(0.0, None)] * int(free.sum()))
        return np.round(with_kept(np.asarray(result.x, dtype=float)), DECIMALS)
    start = shares_written if written.sum() > 0 else np.full(len(written), 1 / len(written))
    result = minimize(objective, start, jac=True, method="L-BFGS-B",
                      bounds=[(0.0, None)] * len(written))
    fitted = np.asarray(result.x, dtype=float)
    if fitted.sum() <= 0:
        return written.copy()
    return np.round(fitted / fitted.sum() * total_written, DECIMALS)


def decision_threshold(scoring: Scoring) -> float | None:
    """The fewest points at which the criterion predicts the positive label; None when no
    single threshold describes it (steps whose scores do not rise with their points)."""
    if scoring.method == "linear":
        return scoring.scale * (THRESHOLD - scoring.base)
    if scoring.method == "saturating":
        b, s = scoring.base, scoring.scale
        if b >= THRESHOLD:
            return s * math.log(THRESHOLD / b)
        return s * math.log((1 - b) / (1 - THRESHOLD))
    marks = sorted({step.min_points for step in scoring.steps})
    below = points_to_score(marks[0] - 1, scoring) >= THRESHOLD
    positive = [points_to_score(m, scoring) >= THRESHOLD for m in marks]
    flips = [i for i in range(len(marks)) if positive[i] != (positive[i - 1] if i else below)]
    if below or len(flips) != 1:
        return None
    return marks[flips[0]]


def points_scale(scoring: Scoring) -> float:
    """The criterion's own unit of points: its scale, or the spacing of its steps."""
    if scoring.method != "steps":
        return scoring.scale
    marks = sorted({step.min_points for step in scoring.steps})
    gaps = [b - a for a, b in pairwise(marks)]
    return float(np.median(gaps)) if gaps else 1.0


def fit_points(counts: np.ndarray, truth: np.ndarray, applies: np.ndarray, written: np.ndarray,
               scoring: Scoring) -> np.ndarray:
    """Points for each signal and rule (the columns of ``counts``) that best separate the
    labels at the criterion's threshold: class-balanced logistic regression on the points
    total, its sharpness fitted too, each point pulled toward its written value and kept on its
    side of zero (a penalty stays a penalty). Points written as 0 (helper signals) stay 0. Rounded."""
    threshold = decision_threshold(scoring)
    free = np.flatnonzero(written != 0)
    x = counts[applies][:, free]
    y = np.where(truth[applies], 1.0, -1.0)
    positives = int((y > 0).sum())
    if threshold is None or not len(free) or positives in (0, len(y)):
        return written.copy()
    balance = np.where(y > 0, len(y) / (2 * positives), len(y) / (2 * (len(y) - positives)))
    scale = points_scale(scoring)
    prior = written[free]

    def objective(v: np.ndarray) -> tuple[float, np.ndarray]:
        p, sharpness = v[:-1], math.exp(v[-1])
        margin = x @ p - threshold
        m = y * sharpness * margin
        loss = float((balance * np.logaddexp(0.0, -m)).sum())
        d_m = -balance * _sigmoid(-m)
        d_p = x.T @ (d_m * y * sharpness)
        d_log_sharpness = float((d_m * y * margin).sum()) * sharpness
        u = (p - prior) / scale
        loss += POINTS_PULL * float(u @ u)
        d_p = d_p + 2 * POINTS_PULL * u / scale
        return loss, np.append(d_p, d_log_sharpness)

    bounds = [(SMALLEST, None) if w > 0 else (None, -SMALLEST) for w in prior] + [(-8.0, 8.0)]
    result = minimize(objective, np.append(prior, -math.log(scale)), jac=True,
                      method="L-BFGS-B", bounds=bounds)
    fitted = written.copy()
    fitted[free] = np.round(result.x[:-1], DECIMALS)
    return fitted


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass(frozen=True)
class Rewards:
    """A criterion whose rewards are fitted to a rating: its scored hits (articles x items),
    its written points, how points become its score, its weight, where it applies, and per
    article the share kept of how far its score falls below ``toward`` (below 1 in a short text
    not caught at a fault of the criterion, whose low scores the rubric's ``short_text`` raises
    toward ``toward``)."""

    counts: np.ndarray
    written: np.ndarray
    scoring: Scoring
    weight: float
    applies: np.ndarray
    kept: np.ndarray
    toward: float

    def scores(self, points: np.ndarray) -> np.ndarray:
        """The criterion's score in each article from its points there."""
        scores = scores_of(points, self.scoring)
        return np.where(scores < self.toward,
                        self.toward + (scores - self.toward) * self.kept, scores)

    def slopes(self, points: np.ndarray) -> np.ndarray:
        """How fast :meth:`scores` rises with the points, in each article."""
        below = scores_of(points, self.scoring) < self.toward
        return score_slopes(points, self.scoring) * np.where(below, self.kept, 1.0)


def scores_of(points: np.ndarray, scoring: Scoring) -> np.ndarray:
    """:func:`points_to_score` over an array (saturating or linear scoring)."""
    b, s = scoring.base, scoring.scale
    if scoring.method == "linear":
        return np.clip(b + points / s, 0.0, 1.0)
    return np.where(points >= 0, b + (1 - b) * (1 - np.exp(-np.maximum(points, 0) / s)),
                    b * np.exp(np.minimum(points, 0) / s))


def score_slopes(points: np.ndarray, scoring: Scoring) -> np.ndarray:
    """How fast :func:`scores_of` rises with the points, at each of ``points``."""
    b, s = scoring.base, scoring.scale
    if scoring.method == "linear":
        inside = (b + points / s > 0) & (b + points / s < 1)
        return np.where(inside, 1 / s, 0.0)
    return np.where(points >= 0, (1 - b) / s * np.exp(-np.maximum(points, 0) / s),
                    b / s * np.exp(np.minimum(points, 0) / s))


def fit_rewards(criteria: list[Rewards], fixed: np.ndarray, divisor: np.ndarray,
                ratings: np.ndarray, ceilings: np.ndarray | None = None) -> list[np.ndarray]:
    """The rewards (points written above 0) of ``criteria`` for which the total correlates best
    with the ranks of ``ratings``; penalties and helper signals (written 0) stay as written.

    The total is the engine's weighted mean: ``fixed`` holds, per article, the weighted scores
    of the criteria not fitted, ``divisor`` the weights of every criterion that applies, and
    ``ceilings`` (0-1) the most each article's total may be (a rule's ceiling). Each
    reward stays at least 0.01 and is pulled toward its written value (``REWARD_PULL``). Only
    saturating and linear scorings are fitted. Returns each criterion's points, rounded."""
    target = rankdata(ratings)
    target = target - target.mean()
    target_norm = float(np.sqrt(target @ target))
    free = [np.flatnonzero(c.written > 0) for c in criteria]
    cuts = np.cumsum([0] + [len(f) for f in free])
    start = np.concatenate([c.written[f] for c, f in zip(criteria, free, strict=True)] + [[]])
    scales = np.concatenate([np.full(len(f), c.scoring.scale)
                             for c, f in zip(criteria, free, strict=True)] + [[]])
    has = divisor > 0
    safe = np.where(has, divisor, 1.0)
    limit = np.full(len(divisor), np.inf) if ceilings is None else ceilings
    if not len(start) or target_norm == 0:
        return [c.written.copy() for c in criteria]

    def points_of(theta: np.ndarray) -> list[np.ndarray]:
        out = []
        for k, (c, f) in enumerate(zip(criteria, free, strict=True)):
            p = c.written.astype(float).copy()
            p[f] = theta[cuts[k]:cuts[k + 1]]
            out.append(p)
        return out

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        sums = [c.counts @ p for c, p in zip(criteria, points_of(theta), strict=True)]
        num = fixed.astype(float).copy()
        for c, total in zip(criteria, sums, strict=True):
            num += c.weight * np.where(c.applies, c.scores(total), 0.0)
        means = np.where(has, num / safe, 0.0)
        moving = means < limit  # a total held at its ceiling does not move with the points
        totals = np.where(moving, means, limit)
        centred = totals - totals.mean()
        norm = float(np.sqrt(centred @ centred))
        u = (theta - start) / scales
        pull = REWARD_PULL * float(u @ u) / len(u)
        d_pull = 2 * REWARD_PULL * u / scales / len(u)
        if norm == 0:
            return pull, d_pull
        r = float(centred @ target) / (norm * target_norm)
        d_totals = np.where(has & moving, target / (norm * target_norm) - r * centred / norm**2,
                            0.0) / safe
        grad = np.zeros_like(theta)
        for k, (c, f, total) in enumerate(zip(criteria, free, sums, strict=True)):
            slope = c.weight * np.where(c.applies, c.slopes(total), 0.0)
            grad[cuts[k]:cuts[k + 1]] = c.counts[:, f].T @ (d_totals * slope)
        return -r + pull, -grad + d_pull

    result = minimize(objective, start, jac=True, method="L-BFGS-B",
                      bounds=[(SMALLEST, None)] * len(start))
    fitted = points_of(np.asarray(result.x, dtype=float))
    return [np.where(c.written > 0, np.round(p, DECIMALS), c.written)
            for c, p in zip(criteria, fitted, strict=True)]
