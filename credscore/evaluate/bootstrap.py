"""Bootstrap intervals: how far an agreement figure could move on another sample of articles.

Each round draws as many articles as were measured, with replacement, and measures again; the
interval holds the middle 95% of the rounds' figures (the percentile bootstrap). A round is kept
as a count per article (how often it was drawn), so one draw serves every figure of the round,
and each figure is computed from the counts without copying the sample: ranks by walking the
values in an order sorted once, confusion counts by adding the counts up.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from credscore.evaluate.metrics import Confusion, macro_f1

LEVEL = 0.95  # the share of the rounds an interval holds
MIN_ROUNDS = 20  # fewer resamples cannot place the middle 95%
# More place it no better, and every round's figures are kept: a mistyped count (an extra
# zero or three) would otherwise run for hours while memory grows.
MAX_ROUNDS = 100_000
MIN_ARTICLES = 3  # a figure over fewer articles has no interval (every resample is much alike)

Interval = tuple[float, float]


def resamples(n: int, rounds: int, seed: int) -> Iterator[list[int]]:
    """``rounds`` draws of ``n`` items out of ``n`` with replacement, each as how often every
    item was drawn; the same seed gives the same draws."""
    rng = random.Random(seed)
    for _ in range(rounds):
        counts = [0] * n
        for _ in range(n):
            counts[rng.randrange(n)] += 1
        yield counts


class Ranked:
    """Values grouped by value in ascending order, so that a resample ranks them in one pass."""

    def __init__(self, values: Sequence[float]) -> None:
        order = sorted(range(len(values)), key=values.__getitem__)
        self.groups: list[list[int]] = []
        for i in order:
            if self.groups and values[self.groups[-1][0]] == values[i]:
                self.groups[-1].append(i)
            else:
                self.groups.append([i])
        self.size = len(values)

    def ranks(self, counts: Sequence[int]) -> list[float]:
        """Each item's rank in the resample that draws it ``counts[i]`` times (ties given their
        average rank, as :func:`credscore.evaluate.metrics.ranks` gives them)."""
        out = [0.0] * self.size
        below = 0
        for group in self.groups:
            drawn = sum(counts[i] for i in group)
            rank = below + (drawn + 1) / 2
            for i in group:
                out[i] = rank
            below += drawn
        return out


def weighted_pearson(x: Sequence[float], y: Sequence[float], counts: Sequence[int]) -> float | None:
    """Pearson's r of the sample in which item ``i`` appears ``counts[i]`` times."""
    total = sum(counts)
    if total < 2:
        return None
    mx = sum(c * a for c, a in zip(counts, x, strict=True)) / total
    my = sum(c * b for c, b in zip(counts, y, strict=True)) / total
    sxy = sxx = syy = 0.0
    for c, a, b in zip(counts, x, y, strict=True):
        if c:
            da, db = a - mx, b - my
            sxy += c * da * db
            sxx += c * da * da
            syy += c * db * db
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def weighted_auc(scores: Ranked, high: Sequence[bool], counts: Sequence[int]) -> float | None:
    """The AUC of a resample, from its rank sum (as :func:`credscore.evaluate.metrics.auc`)."""
    r = scores.ranks(counts)
    n_high = sum(c for c, h in zip(counts, high, strict=True) if h)
    n_low = sum(counts) - n_high
    if not n_high or not n_low:
        return None
    rank_sum = sum(c * v for c, v, h in zip(counts, r, high, strict=True) if h)
    return (rank_sum - n_high * (n_high + 1) / 2) / (n_high * n_low)


def weighted_macro_f1(truths: Sequence[bool], predicted: Sequence[bool],
                      counts: Sequence[int]) -> float | None:
    """Macro-F1 of a resample; None when it drew none of these items."""
    tp = fp = fn = tn = 0
    for c, t, p in zip(counts, truths, predicted, strict=True):
        if t and p:
            tp += c
        elif p:
            fp += c
        elif t:
            fn += c
        else:
            tn += c
    if not tp + fp + fn + tn:
        return None
    return macro_f1(Confusion(tp, fp, fn, tn))


def percentile_interval(values: Sequence[float | None], level: float = LEVEL) -> Interval | None:
    """The range holding the middle ``level`` of ``values`` (linear between order statistics).
    None when more than the other ``1 - level`` of the rounds had no figure (too few articles
    to resample: an interval of the rounds that happened to have one would look surer than it
    is), or fewer than two had one."""
    kept = sorted(v for v in values if v is not None)
    if len(kept) < 2 or len(kept) < level * len(values):
        return None
    tail = (1 - level) / 2
    return _quantile(kept, tail), _quantile(kept, 1 - tail)


def _quantile(ordered: Sequence[float], q: float) -> float:
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass(frozen=True)
class LabelMeasure:
    """A criterion's predictions against an expert answer, for the articles at ``positions``
    (indices into the articles the resamples draw from)."""

    key: str
    positions: list[int]
    truths: list[bool]
    predicted: list[bool]


@dataclass(frozen=True)
class RankMeasure:
    """A score against a rating, for the articles at ``positions``."""

    key: str
    positions: list[int]
    scores: list[float]
    ratings: list[float]


@dataclass
class Intervals:
    """The intervals of a set of measures, by key; None where too few rounds had a figure."""

    macro_f1: dict[str, Interval | None] = field(default_factory=dict)
    mean_macro_f1: Interval | None = None
    spearman: dict[str, Interval | None] = field(default_factory=dict)
    auc: dict[str, Interval | None] = field(default_factory=dict)


def bootstrap_intervals(n: int, labels: Sequence[LabelMeasure], ranked: Sequence[RankMeasure],
                        rounds: int, seed: int,
                        on_round: Callable[[], object] = lambda: None) -> Intervals:
    """Every measure's interval over ``rounds`` resamples of the ``n`` articles (``on_round`` is
    called after each). One draw per round serves all measures, so the mean macro-F1's interval
    is that of the mean, not a mean of intervals."""
    f1s: dict[str, list[float | None]] = {m.key: [] for m in labels}
    means: list[float | None] = []
    rhos: dict[str, list[float | None]] = {m.key: [] for m in ranked}
    aucs: dict[str, list[float | None]] = {m.key: [] for m in ranked}
    # Rankings are built once; the rating's ranks are shared by measures over the same articles.
    rating_order = {tuple(m.positions): Ranked(m.ratings) for m in ranked}
    prepared = [(m, Ranked(m.scores), rating_order[tuple(m.positions)], _high(m.ratings))
                for m in ranked]
    for counts in resamples(n, rounds, seed):
        round_f1 = []
        for m in labels:
            f1 = weighted_macro_f1(m.truths, m.predicted, [counts[p] for p in m.positions])
            f1s[m.key].append(f1)
            round_f1.append(f1)
        # The mean of the same criteria as the figure: a round that drew none of one
        # criterion's articles has no mean.
        kept = [f for f in round_f1 if f is not None]
        means.append(sum(kept) / len(kept) if kept and len(kept) == len(round_f1) else None)
        rating_ranks: dict[int, list[float]] = {}
        for m, scores, ratings, high in prepared:
            sub = [counts[p] for p in m.positions]
            if id(ratings) not in rating_ranks:
                rating_ranks[id(ratings)] = ratings.ranks(sub)
            rhos[m.key].append(weighted_pearson(scores.ranks(sub), rating_ranks[id(ratings)], sub))
            aucs[m.key].append(weighted_auc(scores, high, sub) if high is not None else None)
        on_round()
    # A label measure and a rank measure of one criterion share its id: each is judged alone.
    few_labelled = {m.key for m in labels if len(m.positions) < MIN_ARTICLES}
    few_ranked = {m.key for m in ranked if len(m.positions) < MIN_ARTICLES}
    return Intervals(
        macro_f1={k: None if k in few_labelled else percentile_interval(v) for k, v in f1s.items()},
        mean_macro_f1=percentile_interval(means) if labels and not few_labelled else None,
        spearman={k: None if k in few_ranked else percentile_interval(v) for k, v in rhos.items()},
        auc={k: None if k in few_ranked else percentile_interval(v) for k, v in aucs.items()},
    )


def _high(ratings: Sequence[float]) -> list[bool] | None:
    """For a rating with exactly two values, which articles have the higher one."""
    values = sorted(set(ratings))
    return [r == values[1] for r in ratings] if len(values) == 2 else None


@dataclass
class ChangeIntervals:
    """The intervals of the changes from one rubric's figures to another's on the same
    articles: each criterion's macro-F1 (the criteria both measure), the mean macro-F1 and the
    total's Spearman; None where too few rounds had both figures."""

    macro_f1: dict[str, Interval | None] = field(default_factory=dict)
    mean_macro_f1: Interval | None = None
    spearman: Interval | None = None


def paired_change_intervals(n: int, labels: tuple[Sequence[LabelMeasure], Sequence[LabelMeasure]],
                            ranked: tuple[RankMeasure | None, RankMeasure | None],
                            rounds: int, seed: int,
                            on_round: Callable[[], object] = lambda: None) -> ChangeIntervals:
    """The 95% interval of each change (the second rubric's figure minus the first's) over
    ``rounds`` resamples of the ``n`` articles, each resample drawing the same articles for
    both rubrics (a paired bootstrap): what the two share, one article's quirks, cancels out,
    so the interval is of the change itself."""
    old, new = labels
    both = [k for k in (m.key for m in new) if k in {m.key for m in old}]
    by_key = ({m.key: m for m in old}, {m.key: m for m in new})
    changes: dict[str, list[float | None]] = {k: [] for k in both}
    mean_changes: list[float | None] = []
    rho_changes: list[float | None] = []
    prepared = [(m, Ranked(m.scores), Ranked(m.ratings)) if m is not None else None
                for m in ranked]
    few = {k for k in both if min(len(by_key[0][k].positions), len(by_key[1][k].positions))
           < MIN_ARTICLES}

    def mean_f1(measures: Sequence[LabelMeasure], counts: list[int]) -> float | None:
        figures = [weighted_macro_f1(m.truths, m.predicted, [counts[p] for p in m.positions])
                   for m in measures]
        kept = [f for f in figures if f is not None]
        return sum(kept) / len(kept) if kept and len(kept) == len(figures) else None

    def rho(entry: tuple[RankMeasure, Ranked, Ranked] | None, counts: list[int]) -> float | None:
        if entry is None:
            return None
        m, scores, ratings = entry
        sub = [counts[p] for p in m.positions]
        return weighted_pearson(scores.ranks(sub), ratings.ranks(sub), sub)

    for counts in resamples(n, rounds, seed):
        for k in both:
            a, b = (weighted_macro_f1(m.truths, m.predicted, [counts[p] for p in m.positions])
                    for m in (by_key[0][k], by_key[1][k]))
            changes[k].append(None if a is None or b is None else b - a)
        a, b = mean_f1(old, counts), mean_f1(new, counts)
        mean_changes.append(None if a is None or b is None else b - a)
        a, b = rho(prepared[0], counts), rho(prepared[1], counts)
        rho_changes.append(None if a is None or b is None else b - a)
        on_round()
    few_ranked = any(m is None or len(m.positions) < MIN_ARTICLES for m in ranked)
    return ChangeIntervals(
        macro_f1={k: None if k in few else percentile_interval(v) for k, v in changes.items()},
        mean_macro_f1=(percentile_interval(mean_changes) if old and new
                       and all(len(m.positions) >= MIN_ARTICLES for m in (*old, *new)) else None),
        spearman=None if few_ranked else percentile_interval(rho_changes),
    )
