"""Compare scores with expert labels: per-criterion classification and overall rank agreement."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from credscore.engine.score import weighted_total
from credscore.evaluate.bootstrap import (
    LEVEL,
    Interval,
    LabelMeasure,
    RankMeasure,
    bootstrap_intervals,
)
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
from credscore.models import CriterionScore, DocumentScore, Frozen, RubricRef
from credscore.oneline import clipped
from credscore.plural import counted, plural
from credscore.rubric.model import LabelMap, Rubric

THRESHOLD = 0.5  # a criterion score at or above this predicts the positive label
SHOWN_IDS = 5  # ids quoted in a note


# Keys a result carries only when they were measured, so that JSON without them stays as it was.
MEASURED_ONLY = frozenset({"macro_f1_interval", "spearman_interval", "auc_interval",
                           "mean_macro_f1_interval", "change_interval", "bootstrap"})
# Lists a result carries only when they hold something.
LISTED_ONLY = frozenset({"notes", "unanswered_criteria"})


class Result(Frozen):
    """An agreement result: bootstrap intervals, notes and unanswered criteria appear in JSON
    only when there are any."""

    @model_serializer(mode="wrap")
    def _only_what_was_measured(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in MEASURED_ONLY & data.keys():
            if data[key] is None:
                del data[key]
        for key in LISTED_ONLY & data.keys():
            if not data[key]:
                del data[key]
        return data


class Bootstrap(Frozen):
    """How the intervals were made: resamples of the articles, the seed of the draws, and the
    share of the resamples' figures each interval holds."""

    rounds: int
    seed: int
    level: float


class Disagreement(Frozen):
    id: str
    expert: str
    score: float | None
    verdict: str
    explanation: str


class CriterionAgreement(Result):
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
    macro_f1_interval: Interval | None = None


class RatingDisagreement(Frozen):
    id: str
    rating: float
    score: float
    rank_gap: float


class CriterionRank(Result):
    """How one criterion's score ranks the articles it applies to, against the rating."""

    id: str
    support: int
    spearman: float | None
    kendall: float | None
    partial: float | None  # Spearman with the article's word count held fixed
    auc: float | None = None  # for a two-valued rating: higher-rated articles scoring higher
    spearman_interval: Interval | None = None
    auc_interval: Interval | None = None


class OverallAgreement(Result):
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
    spearman_interval: Interval | None = None
    auc_interval: Interval | None = None


class Evaluation(Result):
    rubric: RubricRef | None = None  # the rubric measured (id, version, sha256)
    documents: int
    labelled: int
    criteria: list[CriterionAgreement]
    mean_macro_f1: float | None
    overall: OverallAgreement | None
    notes: list[str] = Field(default_factory=list)  # articles left out, and why
    mean_macro_f1_interval: Interval | None = None
    # Criteria that declare 'label:' but to which the labels give no answer they count: the mean
    # macro-F1 leaves them out, as it is over ``criteria`` alone.
    unanswered_criteria: list[str] = Field(default_factory=list)
    bootstrap: Bootstrap | None = None


class EvaluationError(ValueError):
    """Labels that cannot be measured against: a label value in none of a criterion's positive,
    negative and ignore lists, or labels that leave nothing to measure. ``notes`` say what was
    left out on the way (ids that match no scored article, say), which may be why."""

    def __init__(self, message: str, notes: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.notes = list(notes)


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
    rating_field: str | None = None, top: int = 5, bootstrap: int = 0, seed: int = 0,
    on_round: Callable[[], object] = lambda: None,
) -> Evaluation:
    """Agreement of ``docs`` with ``labels``, matched by id. A labelled id that several documents
    carry is left out (which of them the label means cannot be told), and so, from the rating
    agreement, is an article with no number for the rating or no total; a note says how many.
    Labelled articles that give nothing to measure (no answer a criterion counts, and no number
    for the rating beside an article some criterion applies to) are an
    :class:`EvaluationError` that says why, as a label value outside a criterion's map is.
    With ``bootstrap`` rounds, each figure gains its 95% interval over resamples of the
    labelled articles (drawn from ``seed``; ``on_round`` is called after each)."""
    by_id, shared = _unique_by_id(docs, labels)
    labelled = [i for i in sorted(by_id) if i in labels]
    label_rows = [(spec.id, spec.label.field, _label_rows(spec.id, spec.label, by_id, labels, labelled))
                  for spec in rubric.criteria if spec.label is not None]
    label_rows = [row for row in label_rows if row[2]]  # not criteria whose field the set lacks
    results = [_criterion_agreement(cid, field, rows, top) for cid, field, rows in label_rows]
    scored = [r.macro_f1 for r in results]
    answered = {r.id for r in results}
    unanswered = [spec.id for spec in rubric.criteria
                  if spec.label is not None and spec.id not in answered]
    notes = [_shared_note(shared, docs)] if shared else []
    unmatched = [i for i in labels if i not in by_id and i not in shared]
    unmatched_notes = [_unmatched_note(unmatched, len(labels))] if unmatched else []
    rated = _rated(labels, labelled, rating_field) if rating_field else []
    if labelled and not results and not any(_applies(by_id[doc_id]) for doc_id, _ in rated):
        raise EvaluationError(nothing_measured(rubric, [labels[i] for i in labelled],
                                               rating_field, len(rated)), notes + unmatched_notes)
    overall = None
    if rating_field:
        overall, left_out = _overall(by_id, labelled, rated, rating_field, top, labels)
        notes += left_out
    notes += unmatched_notes
    notes += [_one_answer_note(cid, rows) for cid, _, rows in label_rows
              if len({r.truth for r in rows}) == 1]
    if results and unanswered:
        notes.append(_unanswered_note(len(results), unanswered))
    ev = Evaluation(
        documents=len(docs), labelled=len(labelled), criteria=results,
        mean_macro_f1=sum(scored) / len(scored) if scored else None, overall=overall, notes=notes,
        unanswered_criteria=unanswered if results else [],
    )
    if not bootstrap or not (label_rows or overall is not None):
        return ev
    return _with_intervals(ev, by_id, labelled, label_rows, rated, bootstrap, seed, on_round)


def _with_intervals(ev: Evaluation, by_id: dict[str, DocumentScore], labelled: list[str],
                    label_rows: list[tuple[str, str, list[LabelRow]]], rated: list[tuple[str, float]],
                    rounds: int, seed: int, on_round: Callable[[], object]) -> Evaluation:
    """``ev`` with the 95% interval of each figure over ``rounds`` resamples of ``labelled``."""
    at = {doc_id: i for i, doc_id in enumerate(labelled)}
    labels = [LabelMeasure(cid, [at[r.doc_id] for r in rows], [r.truth for r in rows],
                           [r.predicted for r in rows]) for cid, _, rows in label_rows]
    ranked = []
    if ev.overall is not None:
        pairs = _pairs(by_id, rated)
        ranked.append(RankMeasure("", [at[p[0]] for p in pairs], [p[2] for p in pairs],
                                  [p[1] for p in pairs]))
        for k, first in enumerate(_criteria_of(by_id, rated)):
            rows = _rank_rows(by_id, rated, k)
            ranked.append(RankMeasure(first, [at[r[0]] for r in rows], [r[1] for r in rows],
                                      [r[2] for r in rows]))
    found = bootstrap_intervals(len(labelled), labels, ranked, rounds, seed, on_round)
    criteria = [c.model_copy(update={"macro_f1_interval": found.macro_f1[c.id]})
                for c in ev.criteria]
    overall = ev.overall
    if overall is not None:
        overall = overall.model_copy(update={
            "spearman_interval": found.spearman[""], "auc_interval": found.auc[""],
            "criteria": [r.model_copy(update={"spearman_interval": found.spearman[r.id],
                                              "auc_interval": found.auc[r.id]})
                         for r in overall.criteria]})
    return ev.model_copy(update={
        "criteria": criteria, "overall": overall, "mean_macro_f1_interval": found.mean_macro_f1,
        "bootstrap": Bootstrap(rounds=rounds, seed=seed, level=LEVEL)})


def labelled_ids(docs: list[DocumentScore], labels: dict[str, dict[str, str]]) -> list[str]:
    """The ids, sorted, of the articles :func:`evaluate` measures: labelled, and carried by one
    scored article only."""
    by_id, _ = _unique_by_id(docs, labels)
    return [i for i in sorted(by_id) if i in labels]


def measures(docs: list[DocumentScore], labels: dict[str, dict[str, str]], rubric: Rubric,
             rating_field: str | None, ids: list[str],
             ) -> tuple[list[LabelMeasure], RankMeasure | None]:
    """What :func:`evaluate` measures, as the bootstrap resamples it: each criterion's answers
    and predictions, and the total against the rating, over the articles of ``ids`` (a
    resample's positions are places in ``ids``)."""
    by_id, _ = _unique_by_id(docs, labels)
    kept = [i for i in ids if i in by_id and i in labels]
    at = {doc_id: i for i, doc_id in enumerate(ids)}
    found = []
    for spec in rubric.criteria:
        if spec.label is None:
            continue
        rows = _label_rows(spec.id, spec.label, by_id, labels, kept)
        if rows:
            found.append(LabelMeasure(spec.id, [at[r.doc_id] for r in rows],
                                      [r.truth for r in rows], [r.predicted for r in rows]))
    if not rating_field:
        return found, None
    pairs = _pairs(by_id, _rated(labels, kept, rating_field))
    return found, RankMeasure("", [at[p[0]] for p in pairs], [p[2] for p in pairs],
                              [p[1] for p in pairs])


def _unique_by_id(docs: list[DocumentScore], labels: dict[str, dict[str, str]],
                 ) -> tuple[dict[str, DocumentScore], list[str]]:
    """The documents by id, but for the labelled ids more than one document carries; and those
    ids, sorted."""
    count = Counter(d.id for d in docs)
    shared = sorted(i for i, n in count.items() if n > 1 and i in labels)
    return {d.id: d for d in docs if count[d.id] == 1 or d.id not in labels}, shared


def nothing_labelled(docs: list[DocumentScore], labels: dict[str, dict[str, str]],
                     id_field: str, where: str = "") -> str:
    """What evaluate and calibrate say when no scored article can be matched to a label row
    (``where`` names the labels file): the ids each side has, or that every labelled id is
    carried by several articles."""
    count = Counter(d.id for d in docs)
    shared = sorted(i for i, n in count.items() if n > 1 and i in labels)
    if shared:
        return (f"every labelled id is carried by more than one scored article (such as "
                f"{shared[0]!r}): which of them a label means cannot be told; give each article "
                "an id of its own")
    if not docs:
        return f"no article was scored, so none can be matched to the labels{where}"
    seen = ", ".join(repr(i) for i in sorted(count)[:SHOWN_IDS])
    expected = ", ".join(repr(i) for i in sorted(labels)[:SHOWN_IDS])
    if len(docs) == 1:
        who, has = "the one scored article has no", f"the article has the id {seen}"
    else:
        who = f"none of the {len(docs)} scored articles has a"
        has = f"the articles have ids such as {seen or 'none'}"
    return (f"{who} label{where} (ids are matched on '{id_field}'): the labels expect ids such "
            f"as {expected or 'none'}; {has}")


def _shared_note(shared: list[str], docs: list[DocumentScore]) -> str:
    ids = set(shared)
    carriers = sum(1 for d in docs if d.id in ids)
    shown = shown_ids(shared)
    many = "labelled ids each name" if len(shared) > 1 else "labelled id names"
    return (f"{len(shared)} {many} more than one scored document ({shown}; {carriers} documents in "
            "all): which of them a label means cannot be told, so the agreement leaves them out "
            "(give each document an id of its own)")


def shown_ids(ids: list[str]) -> str:
    return ", ".join(repr(i) for i in ids[:SHOWN_IDS]) + (", ..." if len(ids) > SHOWN_IDS else "")


def shown_values(rows: Sequence[tuple[str, str]]) -> str:
    """The first of ``rows`` (id, value) as a message quotes them ('a.txt': 'high', ...), and how
    many more: each id and value folded onto one line, clipped and quoted, so that a label file
    can neither flood the message nor put control characters on the terminal."""
    shown = ", ".join(f"{clipped(doc_id)!r}: {clipped(value)!r}" for doc_id, value in rows[:SHOWN_IDS])
    return shown + (f" and {len(rows) - SHOWN_IDS} more" if len(rows) > SHOWN_IDS else "")


def nothing_measured(rubric: Rubric, rows: list[dict[str, str]], rating_field: str | None,
                     rated: int = 0) -> str:
    """Why the label ``rows`` of the labelled articles give nothing to measure: no answer a
    criterion counts, and no number for the rating or, where ``rated`` of them have one, no
    criterion that applies to those articles (so no total to rank)."""
    who = f"the {len(rows)} labelled articles" if len(rows) != 1 else "the one labelled article"
    ratings = _no_ratings(rows, rating_field) if not rated else _no_totals(rated, rating_field)
    return f"nothing to measure: the labels of {who} {_no_answers(rubric, rows)}, and {ratings}"


def _no_answers(rubric: Rubric, rows: list[dict[str, str]]) -> str:
    """Why no criterion has answers to be compared with: the rubric reads no label field, the
    rows hold none of those it reads, or every answer they hold is one the rubric ignores."""
    fields = sorted({spec.label.field for spec in rubric.criteria if spec.label is not None})
    if not fields:
        return f"have nothing the rubric {rubric.id} reads (no criterion declares 'label:')"
    held = [field for field in fields if any(field in row for row in rows)]
    if not held and len(fields) == 1:
        return f"hold no value in {clipped(fields[0], 60)!r}, the label field the rubric's criteria read"
    if not held:
        return (f"hold none of the {len(fields)} label fields the rubric's criteria read (such as "
                f"{clipped(fields[0], 60)!r})")
    sample = next(row[held[0]] for row in rows if held[0] in row)
    return (f"give only answers the rubric ignores in {clipped(held[0], 60)!r}"
            f"{' and the other label fields it reads' if len(held) > 1 else ''} (such as "
            f"{clipped(sample)!r})")


def _no_ratings(rows: list[dict[str, str]], field: str | None) -> str:
    """Why no labelled article has a rating to rank by."""
    if field is None:
        return ("no rating is read: name a column of overall ratings (--rating FIELD, or the "
                "rubric's rating_field)")
    values = [row[field] for row in rows if field in row]
    if not values:
        return f"{'none of them has a' if len(rows) != 1 else 'it has no'} value in {field!r}"
    if len(rows) == 1:
        return f"it has no number in {field!r} (it holds {clipped(values[0])!r})"
    holds = plural(len(values), "holds", "hold")
    return (f"none of them has a number in {field!r} ({len(values)} {holds} something else, such "
            f"as {clipped(values[0])!r})")


def _no_totals(rated: int, field: str | None) -> str:
    """Why the ``rated`` articles with a number for the rating have nothing to rank by."""
    if rated == 1:
        return (f"the one with a number in {field!r} has no total (no criterion of the rubric "
                "applies to it)")
    return (f"none of the {rated} with a number in {field!r} has a total (no criterion of the "
            "rubric applies to them)")


def _one_answer_note(cid: str, rows: list[LabelRow]) -> str:
    """Why a criterion whose expert answers are all one class has a macro-F1 of at most 0.5."""
    kind = "positive" if rows[0].truth else "negative"
    where = "its one article" if len(rows) == 1 else f"all {len(rows)} articles"
    return (f"{cid}: the experts gave one answer only (the {kind} one, such as "
            f"{clipped(rows[0].value)!r}, in {where}), so its macro-F1 is at most 0.5 by "
            "construction (the other answer's F1 is 0; 0.5 when every prediction is right): read "
            "its balanced accuracy, the recall of that answer")


def _unanswered_note(answered: int, unanswered: list[str]) -> str:
    """What the mean macro-F1 is over when some criteria that declare 'label:' have no answers."""
    n = len(unanswered)
    return (f"the mean macro-F1 is over the {counted(answered, 'criterion', 'criteria')} with "
            f"expert answers: the labels give none for {n} other "
            f"{plural(n, 'criterion', 'criteria')} that {plural(n, 'declares', 'declare')} "
            f"'label:' ({shown_ids(unanswered)})")


def _unmatched_note(unmatched: list[str], total: int) -> str:
    shown = shown_ids(unmatched)
    spaced = any(i != i.strip() for i in unmatched)
    n = len(unmatched)
    return (f"{n} of {counted(total, 'labelled id')} {plural(n, 'matches', 'match')} no scored "
            f"document ({shown}); ids are matched exactly"
            + (", and some of these have spaces around them" if spaced else ""))


class LabelRow(NamedTuple):
    """An article's expert answer for a criterion, and what the criterion predicts."""

    doc_id: str
    value: str
    criterion: CriterionScore
    truth: bool
    predicted: bool


def _label_rows(cid: str, label: LabelMap, by_id: dict[str, DocumentScore],
                labels: dict[str, dict[str, str]], labelled: list[str]) -> list[LabelRow]:
    """The articles whose answer in the criterion's label field is not ignored; a value the label
    map does not name is an :class:`EvaluationError` (calibrate refuses it too)."""
    rows = []
    for doc_id in labelled:
        value = labels[doc_id].get(label.field)
        truth = None if value is None else truth_of(value, label)
        if truth is None and value is not None and value.strip() not in label.ignore:
            raise EvaluationError(unmapped(cid, label, value, doc_id))
        if truth is None or value is None:
            continue
        crit = next(c for c in by_id[doc_id].criteria if c.id == cid)
        rows.append(LabelRow(doc_id, value, crit, truth, predicts_positive(crit.score, label)))
    return rows


def _criterion_agreement(cid: str, field: str, rows: list[LabelRow], top: int) -> CriterionAgreement:
    """One criterion against its label field, over ``rows``."""
    c = Confusion.of([r.truth for r in rows], [r.predicted for r in rows])
    pos, neg = positive_scores(c), negative_scores(c)
    wrong = [r for r in rows if r.truth != r.predicted]
    wrong.sort(key=lambda r: (-abs((r.criterion.score if r.criterion.score is not None else 0.0)
                                   - THRESHOLD), r.doc_id))
    return CriterionAgreement(
        id=cid, field=field, support=c.support, tp=c.tp, fp=c.fp, fn=c.fn,
        tn=c.tn, precision_pos=pos.precision, recall_pos=pos.recall, f1_pos=pos.f1,
        precision_neg=neg.precision, recall_neg=neg.recall, f1_neg=neg.f1,
        macro_f1=macro_f1(c), balanced_accuracy=balanced_accuracy(c),
        disagreements=[Disagreement(id=r.doc_id, expert=r.value, score=r.criterion.score,
                                    verdict=r.criterion.verdict, explanation=r.criterion.explanation)
                       for r in wrong[:top]],
    )


# A number as a labels file writes one: ASCII digits, a point, an exponent ("4", "-0.5", "1e3");
# not what else Python's float() reads ("1_0" is ten to it, "٤" four, "nan" a number).
_DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")


def is_number(text: str) -> bool:
    """Whether a label value is a rating: a finite number written in decimal (not "nan", "inf"
    or "1_0")."""
    return _DECIMAL.fullmatch(text) is not None and math.isfinite(float(text))


def number_fields(rows: Iterable[dict[str, str]]) -> list[str]:
    """The label fields that hold a number in some row, sorted: those a rating could be read
    from."""
    return sorted({name for row in rows for name, value in row.items() if is_number(value)})


def _rating_of(row: dict[str, str], field: str) -> float | None:
    """The row's rating as a number; None when it has none (absent, text, nan or inf: no place
    in a ranking)."""
    value = row.get(field, "")
    return float(value) if is_number(value) else None


def _applies(doc: DocumentScore) -> bool:
    """Whether some criterion applies to the document, so that it has a score to rank by (its
    total, or that criterion's score)."""
    return any(c.score is not None for c in doc.criteria)


def _has_total(doc: DocumentScore) -> bool:
    """Whether the document has a total: some criterion with weight applies to it (otherwise its
    score of 0 and grade "?" stand for no score at all)."""
    return weighted_total(doc.criteria) is not None


def _rated(labels: dict[str, dict[str, str]], labelled: list[str], field: str) -> list[tuple[str, float]]:
    """The labelled articles with a number for the rating: (id, rating)."""
    return [(doc_id, rating) for doc_id in labelled
            if (rating := _rating_of(labels[doc_id], field)) is not None]


def _pairs(by_id: dict[str, DocumentScore],
           rated: list[tuple[str, float]]) -> list[tuple[str, float, float]]:
    """The rated articles that have a total: (id, rating, total)."""
    return [(doc_id, rating, by_id[doc_id].score) for doc_id, rating in rated
            if _has_total(by_id[doc_id])]


def not_numbers(labels: dict[str, dict[str, str]], ids: list[str],
                field: str) -> list[tuple[str, str]]:
    """The articles of ``ids`` whose value in ``field`` is no rating (text, nan or inf; not a
    blank, which is no value), and that value."""
    return [(doc_id, value) for doc_id in ids
            if (value := labels[doc_id].get(field, "")).strip() and not is_number(value)]


def _overall(by_id: dict[str, DocumentScore], labelled: list[str], rated: list[tuple[str, float]],
             field: str, top: int, labels: dict[str, dict[str, str]],
             ) -> tuple[OverallAgreement, list[str]]:
    """Rank agreement of the total with the rating, and notes on the articles it leaves out."""
    pairs = _pairs(by_id, rated)
    notes = []
    if len(rated) < len(labelled):
        other = not_numbers(labels, labelled, field)
        named = (f"; {len(other)} of them {plural(len(other), 'holds', 'hold')} something other than a "
                 f"number: {shown_values(other)}") if other else ""
        n = len(labelled) - len(rated)
        notes.append(f"{n} of {counted(len(labelled), 'labelled article')} "
                     f"{plural(n, 'has', 'have')} no number in {field!r} (a blank, text, nan or "
                     f"inf); the rating agreement leaves {plural(n, 'it', 'them')} out{named}")
    if len(rated) > 1 and len({rating for _, rating in rated}) == 1:
        notes.append(f"every rated article has the same {field!r} ({rated[0][1]:g}), so the "
                     "score cannot be ranked against it")
    if len(pairs) < len(rated):
        n = len(rated) - len(pairs)
        them = plural(n, "it", "them")
        notes.append(f"{n} of {counted(len(rated), 'rated article')} {plural(n, 'has', 'have')} "
                     f"no total (no criterion of the rubric with a weight applies to {them}); the "
                     f"agreement of the total with {field!r} leaves {them} out")
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


def _criteria_of(by_id: dict[str, DocumentScore], rated: list[tuple[str, float]]) -> list[str]:
    """The ids of the criteria the rated articles were scored on (all share one rubric)."""
    return [c.id for c in by_id[rated[0][0]].criteria] if rated else []


def _rank_rows(by_id: dict[str, DocumentScore], rated: list[tuple[str, float]],
               k: int) -> list[tuple[str, float, float, float]]:
    """The rated articles the ``k``-th criterion applies to: (id, its score, rating, words)."""
    return [(doc_id, score, rating, float(by_id[doc_id].words)) for doc_id, rating in rated
            if (score := by_id[doc_id].criteria[k].score) is not None]


def _criterion_ranks(by_id: dict[str, DocumentScore],
                     rated: list[tuple[str, float]]) -> list[CriterionRank]:
    """Each criterion's rank agreement with the rating, over the articles it applies to."""
    out = []
    for k, cid in enumerate(_criteria_of(by_id, rated)):
        rows = _rank_rows(by_id, rated, k)
        x = [r[1] for r in rows]
        y = [r[2] for r in rows]
        w = [r[3] for r in rows]
        rho = spearman(x, y)
        out.append(CriterionRank(
            id=cid, support=len(rows), spearman=rho, kendall=kendall_tau_b(x, y),
            partial=partial_correlation(rho, spearman(x, w), spearman(y, w)), auc=auc(x, y),
        ))
    return out
