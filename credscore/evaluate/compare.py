"""Compare scores with expert labels: per-criterion classification and overall rank agreement."""

from __future__ import annotations

import math

from pydantic import Field

from credscore.evaluate.metrics import (
    Confusion,
    auc,
    balanced_accuracy,
    kendall_tau_b,
    macro_f1,
    negative_scores,
    partial_correlation,
    positive_scores,
    ranks,
    spearman,
)
from credscore.models import DocumentScore, Frozen, RubricRef
from credscore.rubric.model import LabelMap, Rubric

THRESHOLD = 0.5  # a criterion score at or above this predicts the positive label


class Disagreement(Frozen):
    id: str
    expert: str
    score: float | None
    verdict: str
    explanation: str


class CriterionAgreement(Frozen):
    id: str
    field: str
    support: int
    tp: int
    fp: int
    fn: int
    tn: int
    precision_pos: float
    recall_pos: float
    f1_pos: float
    precision_neg: float
    recall_neg: float
    f1_neg: float
    macro_f1: float
    balanced_accuracy: float
    disagreements: list[Disagreement]


class RatingDisagreement(Frozen):
    id: str
    rating: float
    score: float
    rank_gap: float


class CriterionRank(Frozen):
    """How one criterion's score ranks the articles it applies to, against the rating."""

    id: str
    support: int
    spearman: float | None
    kendall: float | None
    partial: float | None  # Spearman with the article's word count held fixed
    auc: float | None = None  # for a two-valued rating: higher-rated articles scoring higher


class OverallAgreement(Frozen):
    field: str
    support: int
    spearman: float | None
    kendall: float | None
    disagreements: list[RatingDisagreement]
    partial: float | None = None  # the total's Spearman with word count held fixed
    words_spearman: float | None = None  # baseline: word count alone against the rating
    auc: float | None = None  # for a two-valued rating: higher-rated articles scoring higher
    words_auc: float | None = None  # the same for word count alone
    criteria: list[CriterionRank] = Field(default_factory=list)


class Evaluation(Frozen):
    rubric: RubricRef | None = None  # the rubric measured (id, version, sha256)
    documents: int
    labelled: int
    criteria: list[CriterionAgreement]
    mean_macro_f1: float | None
    overall: OverallAgreement | None


def truth_of(value: str, label: LabelMap) -> bool | None:
    """True for a positive value, False for a negative one, None when the value is ignored."""
    v = value.strip()
    if v in label.ignore:
        return None
    if v in label.positive:
        return True
    if not label.negative or v in label.negative:
        return False
    return None


def predicts_positive(score: float | None, label: LabelMap) -> bool:
    """A score of 0.5 or more predicts the positive value; "not applicable" predicts what the
    label map says (by default the negative value)."""
    if score is None:
        return label.not_applicable == "positive"
    return score >= THRESHOLD


def evaluate(
    docs: list[DocumentScore], labels: dict[str, dict[str, str]], rubric: Rubric,
    rating_field: str | None = None, top: int = 5,
) -> Evaluation:
    by_id = {d.id: d for d in docs}
    labelled = [i for i in sorted(by_id) if i in labels]
    results = []
    for spec in rubric.criteria:
        if spec.label is None:
            continue
        truths, preds, rows = [], [], []
        for doc_id in labelled:
            value = labels[doc_id].get(spec.label.field)
            truth = None if value is None else truth_of(value, spec.label)
            if truth is None:
                continue
            crit = next(c for c in by_id[doc_id].criteria if c.id == spec.id)
            predicted = predicts_positive(crit.score, spec.label)
            truths.append(truth)
            preds.append(predicted)
            rows.append((doc_id, value, crit, truth, predicted))
        c = Confusion.of(truths, preds)
        pos, neg = positive_scores(c), negative_scores(c)
        wrong = [r for r in rows if r[3] != r[4]]
        wrong.sort(key=lambda r: (-abs((r[2].score if r[2].score is not None else 0.0) - THRESHOLD),
                                  r[0]))
        results.append(CriterionAgreement(
            id=spec.id, field=spec.label.field, support=c.support, tp=c.tp, fp=c.fp, fn=c.fn,
            tn=c.tn, precision_pos=pos.precision, recall_pos=pos.recall, f1_pos=pos.f1,
            precision_neg=neg.precision, recall_neg=neg.recall, f1_neg=neg.f1,
            macro_f1=macro_f1(c), balanced_accuracy=balanced_accuracy(c),
            disagreements=[Disagreement(id=r[0], expert=r[1], score=r[2].score,
                                        verdict=r[2].verdict, explanation=r[2].explanation)
                           for r in wrong[:top]],
        ))
    results = [r for r in results if r.support]  # criteria whose label field the set lacks
    scored = [r.macro_f1 for r in results]
    return Evaluation(
        documents=len(docs), labelled=len(labelled), criteria=results,
        mean_macro_f1=sum(scored) / len(scored) if scored else None,
        overall=_overall(by_id, labels, labelled, rating_field, top) if rating_field else None,
    )


def _overall(by_id: dict[str, DocumentScore], labels: dict[str, dict[str, str]],
             labelled: list[str], field: str, top: int) -> OverallAgreement:
    pairs = []
    for doc_id in labelled:
        try:
            rating = float(labels[doc_id][field])
        except (KeyError, ValueError):
            continue
        if math.isfinite(rating):  # "nan", "inf": no place in a ranking
            pairs.append((doc_id, rating, by_id[doc_id].score))
    ratings = [p[1] for p in pairs]
    scores = [p[2] for p in pairs]

    r_rank, s_rank = ranks(ratings), ranks(scores)
    gaps = sorted(
        (RatingDisagreement(id=p[0], rating=p[1], score=p[2], rank_gap=(s_rank[i] - r_rank[i]) / len(pairs))
         for i, p in enumerate(pairs)),
        key=lambda d: (-abs(d.rank_gap), d.id),
    )
    words = [float(by_id[p[0]].words) for p in pairs]
    rho = spearman(scores, ratings)
    words_rho = spearman(words, ratings)
    return OverallAgreement(
        field=field, support=len(pairs), spearman=rho, kendall=kendall_tau_b(scores, ratings),
        disagreements=gaps[:top], words_spearman=words_rho,
        partial=partial_correlation(rho, spearman(scores, words), words_rho),
        auc=auc(scores, ratings), words_auc=auc(words, ratings),
        criteria=_criterion_ranks(by_id, pairs),
    )


def _criterion_ranks(by_id: dict[str, DocumentScore],
                     pairs: list[tuple[str, float, float]]) -> list[CriterionRank]:
    """Each criterion's rank agreement with the rating, over the articles it applies to."""
    if not pairs:
        return []
    out = []
    for k, first in enumerate(by_id[pairs[0][0]].criteria):
        rows = [(score, rating, float(by_id[doc_id].words)) for doc_id, rating, _ in pairs
                if (score := by_id[doc_id].criteria[k].score) is not None]
        x = [r[0] for r in rows]
        y = [r[1] for r in rows]
        w = [r[2] for r in rows]
        rho = spearman(x, y)
        out.append(CriterionRank(
            id=first.id, support=len(rows), spearman=rho, kendall=kendall_tau_b(x, y),
            partial=partial_correlation(rho, spearman(x, w), spearman(y, w)), auc=auc(x, y),
        ))
    return out
