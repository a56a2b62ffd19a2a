"""Compare scores with expert labels: per-criterion classification and overall rank agreement."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from credscore.engine.score import weighted_total
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
SHOWN_IDS = 5  # ids quoted in a note


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
    notes: list[str] = Field(default_factory=list)  # articles left out, and why

    @model_serializer(mode="wrap")
    def _notes_only_when_any(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Without notes, the same JSON as before there were any to give."""
        data: dict[str, Any] = handler(self)
        if not self.notes:
            data.pop("notes", None)
        return data


class UnmappedLabel(ValueError):
    """A label value in none of a criterion's positive, negative and ignore lists."""


def unmapped(criterion_id: str, label: LabelMap, value: str, doc_id: str) -> str:
    """What to say of a label value the criterion's map does not name."""
    return (f"criterion '{criterion_id}': the label '{label.field}' of article {doc_id!r} is "
            f"{value!r}, which is in none of positive {label.positive}, negative "
            f"{label.negative} or ignore {label.ignore}; add it to one of them in the rubric")


def truth_of(value: str, label: LabelMap) -> bool | None:
    """True for a positive value, False for a negative one, None when the value is ignored or
    blank (a blank is no answer, as a field the labels leave out is)."""
    v = value.strip()
    if not v or v in label.ignore:
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
    """Agreement of ``docs`` with ``labels``, matched by id. A labelled id that several documents
    carry is left out (which of them the label means cannot be told), and so, from the rating
    agreement, is an article with no number for the rating or no total; a note says how many."""
    by_id, shared = _unique_by_id(docs, labels)
    labelled = [i for i in sorted(by_id) if i in labels]
    results = [_criterion_agreement(spec.id, spec.label, by_id, labels, labelled, top)
               for spec in rubric.criteria if spec.label is not None]
    results = [r for r in results if r.support]  # criteria whose label field the set lacks
    scored = [r.macro_f1 for r in results]
    notes = [_shared_note(shared, docs)] if shared else []
    overall = None
    if rating_field:
        overall, left_out = _overall(by_id, labels, labelled, rating_field, top)
        notes += left_out
    unmatched = [i for i in labels if i not in by_id and i not in shared]
    if unmatched:
        notes.append(_unmatched_note(unmatched, len(labels)))
    if labelled and not results and overall is None:
        fields = sorted({spec.label.field for spec in rubric.criteria if spec.label is not None})
        first = "" if not fields else fields[0] if len(fields[0]) <= 60 else fields[0][:57] + "..."
        held = (f"none of the {len(fields)} label fields the rubric's criteria read (such as "
                f"{first!r})" if fields else "no labels the rubric reads (it declares none)")
        notes.append(f"nothing to measure: the labels hold {held}, and no rating field is named; "
                     "name a column of overall ratings (--rating FIELD, or the rubric's "
                     "rating_field)")
    return Evaluation(
        documents=len(docs), labelled=len(labelled), criteria=results,
        mean_macro_f1=sum(scored) / len(scored) if scored else None, overall=overall, notes=notes,
    )


def _unique_by_id(docs: list[DocumentScore], labels: dict[str, dict[str, str]],
                 ) -> tuple[dict[str, DocumentScore], list[str]]:
    """The documents by id, but for the labelled ids more than one document carries; and those
    ids, sorted."""
    count = Counter(d.id for d in docs)
    shared = sorted(i for i, n in count.items() if n > 1 and i in labels)
    return {d.id: d for d in docs if count[d.id] == 1 or d.id not in labels}, shared


def _shared_note(shared: list[str], docs: list[DocumentScore]) -> str:
    ids = set(shared)
    carriers = sum(1 for d in docs if d.id in ids)
    shown = _shown_ids(shared)
    many = "labelled ids each name" if len(shared) > 1 else "labelled id names"
    return (f"{len(shared)} {many} more than one scored document ({shown}; {carriers} documents in "
            "all): which of them a label means cannot be told, so the agreement leaves them out "
            "(give each document an id of its own)")


def _shown_ids(ids: list[str]) -> str:
    return ", ".join(repr(i) for i in ids[:SHOWN_IDS]) + (", ..." if len(ids) > SHOWN_IDS else "")


def _unmatched_note(unmatched: list[str], total: int) -> str:
    shown = _shown_ids(unmatched)
    spaced = any(i != i.strip() for i in unmatched)
    return (f"{len(unmatched)} of {total} labelled ids match no scored document ({shown}); ids are "
            "matched exactly" + (", and some of these have spaces around them" if spaced else ""))


def _criterion_agreement(cid: str, label: LabelMap, by_id: dict[str, DocumentScore],
                         labels: dict[str, dict[str, str]], labelled: list[str],
                         top: int) -> CriterionAgreement:
    """One criterion against its label field, over the articles whose label is not ignored; a
    value the label map does not name is an :class:`UnmappedLabel` error, as in calibrate."""
    truths, preds, rows = [], [], []
    for doc_id in labelled:
        value = labels[doc_id].get(label.field)
        truth = None if value is None else truth_of(value, label)
        if truth is None and value is not None and value.strip() not in label.ignore:
            raise UnmappedLabel(unmapped(cid, label, value, doc_id))
        if truth is None:
            continue
        crit = next(c for c in by_id[doc_id].criteria if c.id == cid)
        predicted = predicts_positive(crit.score, label)
        truths.append(truth)
        preds.append(predicted)
        rows.append((doc_id, value, crit, truth, predicted))
    c = Confusion.of(truths, preds)
    pos, neg = positive_scores(c), negative_scores(c)
    wrong = [r for r in rows if r[3] != r[4]]
    wrong.sort(key=lambda r: (-abs((r[2].score if r[2].score is not None else 0.0) - THRESHOLD), r[0]))
    return CriterionAgreement(
        id=cid, field=label.field, support=c.support, tp=c.tp, fp=c.fp, fn=c.fn,
        tn=c.tn, precision_pos=pos.precision, recall_pos=pos.recall, f1_pos=pos.f1,
        precision_neg=neg.precision, recall_neg=neg.recall, f1_neg=neg.f1,
        macro_f1=macro_f1(c), balanced_accuracy=balanced_accuracy(c),
        disagreements=[Disagreement(id=r[0], expert=r[1], score=r[2].score,
                                    verdict=r[2].verdict, explanation=r[2].explanation)
                       for r in wrong[:top]],
    )


def _rating_of(row: dict[str, str], field: str) -> float | None:
    """The row's rating as a number; None when it has none (absent, text, nan or inf)."""
    try:
        rating = float(row[field])
    except (KeyError, ValueError):
        return None
    return rating if math.isfinite(rating) else None  # "nan", "inf": no place in a ranking


def _has_total(doc: DocumentScore) -> bool:
    """Whether the document has a total: some criterion with weight applies to it (otherwise its
    score of 0 and grade "?" stand for no score at all)."""
    return weighted_total(doc.criteria) is not None


def _overall(by_id: dict[str, DocumentScore], labels: dict[str, dict[str, str]],
             labelled: list[str], field: str, top: int) -> tuple[OverallAgreement, list[str]]:
    """Rank agreement of the total with the rating, and notes on the articles it leaves out."""
    rated = [(doc_id, rating) for doc_id in labelled
             if (rating := _rating_of(labels[doc_id], field)) is not None]
    pairs = [(doc_id, rating, by_id[doc_id].score) for doc_id, rating in rated
             if _has_total(by_id[doc_id])]
    notes = []
    if len(rated) < len(labelled):
        notes.append(f"{len(labelled) - len(rated)} of {len(labelled)} labelled articles have no "
                     f"number in {field!r} (a blank, text, nan or inf); the rating agreement leaves "
                     "them out")
    if len(rated) > 1 and len({rating for _, rating in rated}) == 1:
        notes.append(f"every rated article has the same {field!r} ({rated[0][1]:g}), so the "
                     "score cannot be ranked against it")
    if len(pairs) < len(rated):
        notes.append(f"{len(rated) - len(pairs)} of {len(rated)} rated articles have no total (no "
                     "criterion of the rubric with a weight applies to them); the agreement of the "
                     f"total with {field!r} leaves them out")
    return _total_agreement(by_id, pairs, rated, field, top), notes


def _total_agreement(by_id: dict[str, DocumentScore], pairs: list[tuple[str, float, float]],
                     rated: list[tuple[str, float]], field: str, top: int) -> OverallAgreement:
    """The total's rank agreement over ``pairs`` (id, rating, total); each criterion's over the
    ``rated`` articles it applies to."""
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
        # Rank gaps mean something only where the ratings differ: with one rating for all, a gap
        # is the score's rank alone.
        disagreements=gaps[:top] if len(set(ratings)) > 1 else [], words_spearman=words_rho,
        partial=partial_correlation(rho, spearman(scores, words), words_rho),
        auc=auc(scores, ratings), words_auc=auc(words, ratings),
        criteria=_criterion_ranks(by_id, rated),
    )


def _criterion_ranks(by_id: dict[str, DocumentScore],
                     rated: list[tuple[str, float]]) -> list[CriterionRank]:
    """Each criterion's rank agreement with the rating, over the articles it applies to."""
    if not rated:
        return []
    out = []
    for k, first in enumerate(by_id[rated[0][0]].criteria):
        rows = [(score, rating, float(by_id[doc_id].words)) for doc_id, rating in rated
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
