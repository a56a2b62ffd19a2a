"""What a calibration fits: the recorded scores of labelled articles, checked and laid out.

Articles and labels are matched as ``credscore evaluate`` matches them (by document id, each
criterion's ``label:`` mapping read with the same :func:`truth_of`). Anything that would make a
fit meaningless is a :class:`CalibrationError` that says what was expected and what was seen.

A :class:`Model` is a set of weights and points; :func:`document_total` and
:func:`criterion_score` recompute what the engine would give with them, from the findings the
scoring recorded and with the engine's own functions and rounding.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from credscore.engine.compile import rule_ceilings
from credscore.engine.score import (
    ceiling_of,
    found_score,
    held,
    raise_for,
    raised,
    rate,
    weighted_total,
)
from credscore.evaluate.compare import (
    is_number,
    not_numbers,
    nothing_labelled,
    number_fields,
    predicts_positive,
    shown_values,
    truth_of,
    unmapped,
)
from credscore.models import CriterionScore, DocumentScore
from credscore.plural import plural
from credscore.rubric.model import Criterion, LabelMap, Rubric, ShortText


class CalibrationError(ValueError):
    """Labels or settings that make a fit impossible or meaningless."""


@dataclass(frozen=True)
class Model:
    """Criterion weights, and the points of the signals and rules of fitted criteria."""

    weights: dict[str, float]
    points: dict[str, dict[str, float]] = field(default_factory=dict)  # only criteria changed

    @classmethod
    def written(cls, rubric: Rubric) -> Model:
        return cls({c.id: c.weight for c in rubric.criteria})


def written_points(spec: Criterion) -> dict[str, float]:
    return {**{s.id: s.points for s in spec.signals}, **{r.id: r.points for r in spec.rules}}


@dataclass(frozen=True)
class Ratings:
    """Articles with a numeric overall rating: ``rows`` index the matched articles."""

    field: str
    rows: np.ndarray
    values: np.ndarray
    missing: int  # labelled articles without the field, left out
    untotalled: int = 0  # rated articles no criterion applies to (no total), left out
    # labelled articles whose field holds no number (text, nan, inf), left out: (id, value)
    not_numbers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LabelledCriterion:
    """A criterion with a ``label:``, and its articles whose label is not ignored."""

    spec: Criterion
    rows: np.ndarray  # index the matched articles
    truth: np.ndarray  # bool per row
    applies: np.ndarray  # bool per row: the criterion applied (score not null)
    items: list[str]  # signal ids, then rule ids
    # rows x items: hits that scored (max_hits applied; rules 0 or 1), each scaled as the
    # criterion's scoring scales the points (per_words), so counts @ points is what is scored
    counts: np.ndarray

    @property
    def label(self) -> LabelMap:
        assert self.spec.label is not None
        return self.spec.label


def matched_documents(docs: list[DocumentScore], labels: dict[str, dict[str, str]],
                      id_field: str) -> tuple[list[DocumentScore], list[str]]:
    """The scored articles that have a label row, sorted by id (the order folds are cut from),
    and the labelled ids that several scored articles carry: which of them a label means cannot
    be told, so they are left out, as evaluate leaves them out."""
    count = Counter(d.id for d in docs)
    shared = sorted(i for i, n in count.items() if n > 1 and i in labels)
    found = sorted((d for d in docs if d.id in labels and count[d.id] == 1), key=lambda d: d.id)
    if not found:
        raise CalibrationError(nothing_labelled(docs, labels, id_field))
    return found, shared


def ratings_of(docs: list[DocumentScore], labels: dict[str, dict[str, str]],
               rating_field: str) -> Ratings:
    """The articles of ``docs`` with a number for ``rating_field`` and a total. An article whose
    field holds something else (text, nan or inf) is left out, and listed; only when no article
    is left to rank is that a :class:`CalibrationError`."""
    other = not_numbers(labels, [d.id for d in docs], rating_field)
    skipped = {doc_id for doc_id, _ in other}
    rows, values = [], []
    untotalled = 0
    for i, doc in enumerate(docs):
        raw = labels[doc.id].get(rating_field, "")
        if not raw.strip() or doc.id in skipped:  # a blank is no rating; text is listed
            continue
        if weighted_total(doc.criteria) is None:  # no weighted criterion applies: no total
            untotalled += 1
            continue
        rows.append(i)
        values.append(float(raw))
    if not rows:
        raise CalibrationError(_no_rating(docs, labels, rating_field, other, untotalled))
    if len(set(values)) < 2:
        raise CalibrationError(f"every labelled article has the same '{rating_field}' "
                               f"({values[0]:g}): there is no ranking to fit")
    return Ratings(rating_field, np.array(rows), np.array(values),
                   len(docs) - len(rows) - untotalled - len(other), untotalled, tuple(other))


def _no_rating(docs: list[DocumentScore], labels: dict[str, dict[str, str]], rating_field: str,
               other: list[tuple[str, str]], untotalled: int) -> str:
    """Why no labelled article has a rating to rank by: those with a number have no total, the
    field holds no number (the fields that hold one are named), or no article has the field."""
    if untotalled == 1:
        return (f"the one article with a '{rating_field}' has no total: no criterion of the "
                "rubric with a weight applies to it")
    if untotalled:
        return (f"none of the {untotalled} articles with a '{rating_field}' has a total: no "
                "criterion of the rubric with a weight applies to them")
    return _no_number([labels[d.id] for d in docs], rating_field, other)


def check_rating_field(labels: dict[str, dict[str, str]], rating_field: str) -> None:
    """Before any article is scored: a :class:`CalibrationError` when no label at all holds a
    number in ``rating_field`` (a misspelt field, or one of text), which would leave every
    article unrated once scored."""
    rows = list(labels.values())
    if not rows or any(is_number(row.get(rating_field, "")) for row in rows):
        return
    raise CalibrationError(_no_number(rows, rating_field,
                                      not_numbers(labels, list(labels), rating_field)))


def _no_number(rows: list[dict[str, str]], rating_field: str,
               other: list[tuple[str, str]]) -> str:
    """Why none of ``rows`` has a number in ``rating_field``: it holds something else there
    (``other``: the ids and values), or none has it; either way the fields that hold numbers,
    the only ones a rating can be read from, are named."""
    if other:
        numbers = number_fields(rows)
        holds = plural(len(other), "holds", "hold")
        return (f"the rating field '{rating_field}' must be a number, and no labelled article "
                f"has one there ({len(other)} {holds} something else: {shown_values(other)}); "
                f"the label fields with numbers are: {', '.join(numbers[:20]) or 'none'}")
    return (f"no labelled article has the rating field '{rating_field}'; the label fields with "
            f"numbers are: {', '.join(number_fields(rows)[:20]) or 'none'}")


def labelled_criteria(docs: list[DocumentScore], labels: dict[str, dict[str, str]],
                      rubric: Rubric) -> list[LabelledCriterion]:
    """Criteria whose label field the labels hold (others are left out, as evaluate does)."""
    out = []
    for index, spec in enumerate(rubric.criteria):
        if spec.label is None:
            continue
        rows, truth, applies, counts = [], [], [], []
        items = point_items(spec)
        for i, doc in enumerate(docs):
            value = labels[doc.id].get(spec.label.field)
            if value is None:
                continue
            known = truth_of(value, spec.label)
            if known is None and value.strip() not in spec.label.ignore:
                raise CalibrationError(unmapped(spec.id, spec.label, value, doc.id))
            if known is None:
                continue
            crit = doc.criteria[index]
            rows.append(i)
            truth.append(known)
            applies.append(crit.score is not None)
            counts.append(scored_hits(crit, spec, doc.words))
        if rows:
            out.append(LabelledCriterion(spec, np.array(rows), np.array(truth, dtype=bool),
                                         np.array(applies, dtype=bool), items,
                                         np.array(counts, dtype=float).reshape(len(rows), len(items))))
    return out


@dataclass(frozen=True)
class CriterionHits:
    """A criterion's scored hits on every matched article: what its points multiply."""

    spec: Criterion
    index: int  # its place in the rubric
    items: list[str]  # signal ids, then rule ids
    counts: np.ndarray  # articles x items, as in LabelledCriterion.counts
    applies: np.ndarray  # bool per article: the criterion applied (score not null)
    scores: np.ndarray  # the recorded score per article (0 where it did not apply)


def point_items(spec: Criterion) -> list[str]:
    """The ids whose points a criterion adds up: its signals, then its rules."""
    return [s.id for s in spec.signals] + [r.id for r in spec.rules]


def scored_hits(crit: CriterionScore, spec: Criterion, words: int) -> list[float]:
    """Per item of :func:`point_items`, the hits that scored (``max_hits`` applied; a rule 0 or
    1), each scaled as the criterion's scoring scales points (``per_words``)."""
    hits = Counter(f.signal for f in crit.findings)
    caps = [s.max_hits for s in spec.signals] + [1] * len(spec.rules)
    factor = rate(1.0, words, spec.scoring)
    return [factor * (hits[item] if cap is None else min(hits[item], cap))
            for item, cap in zip(point_items(spec), caps, strict=True)]


def criterion_hits(docs: list[DocumentScore], rubric: Rubric) -> list[CriterionHits]:
    """Every criterion's scored hits and recorded scores on ``docs``."""
    out = []
    for index, spec in enumerate(rubric.criteria):
        crits = [doc.criteria[index] for doc in docs]
        counts = [scored_hits(crit, spec, doc.words) for crit, doc in zip(crits, docs, strict=True)]
        out.append(CriterionHits(
            spec, index, point_items(spec),
            np.array(counts, dtype=float).reshape(len(docs), len(point_items(spec))),
            np.array([c.score is not None for c in crits], dtype=bool),
            np.array([c.score if c.score is not None else 0.0 for c in crits], dtype=float)))
    return out


def criterion_score(crit: CriterionScore, spec: Criterion, points: dict[str, float],
                    words: int, short: ShortText | None) -> float | None:
    """The criterion's score with other points, as the engine computes it from the same
    findings of an article of ``words`` words: hits past ``max_hits`` score nothing, points
    are taken per words when the scoring says so, a low score is raised as the engine raises it
    (``short``: the rubric's short_text where it raises this article's scores, from
    ``raise_for``; a fault keeps its sign whatever the points, so whether the text was caught at
    one is read from the findings), and sums and scores are rounded alike."""
    value = found_score(crit, spec, words, points)
    if value is None:
        return None
    return raised(value, crit.findings, spec, words, short)


def predicted(score: float | None, spec: Criterion) -> bool:
    """The label evaluate reads a criterion score as (True: the positive one)."""
    assert spec.label is not None
    return predicts_positive(score, spec.label)


def document_total(doc: DocumentScore, rubric: Rubric, model: Model) -> float:
    """The article's 0-100 score under ``model``, through the engine's weighted mean and the
    ceilings of the rules that fired (which other weights and points do not change)."""
    criteria = []
    short = raise_for(doc.criteria, rubric, doc.words)
    for crit, spec in zip(doc.criteria, rubric.criteria, strict=True):
        points = model.points.get(spec.id)
        value = crit.score if points is None else criterion_score(crit, spec, points, doc.words,
                                                                  short)
        criteria.append(crit.model_copy(update={"weight": model.weights[spec.id], "score": value}))
    total = held(weighted_total(tuple(criteria)), criteria, rule_ceilings(rubric))
    return round(total if total is not None else 0.0, 1)


def ceilings(docs: list[DocumentScore], rubric: Rubric) -> np.ndarray:
    """Per article, the most its total may be (0-1; infinite when no rule with a ceiling
    fired). Rules fire on which signals were found, so no fitted number moves it."""
    by_rule = rule_ceilings(rubric)
    out = np.full(len(docs), np.inf)
    if any(by_rule):
        for i, doc in enumerate(docs):
            ceiling = ceiling_of(doc.criteria, by_rule)
            if ceiling is not None:
                out[i] = ceiling / 100
    return out


def score_matrix(docs: list[DocumentScore], rubric: Rubric, model: Model) -> np.ndarray:
    """Articles x criteria scores under ``model``'s points; NaN where a criterion does not apply."""
    out = np.full((len(docs), len(rubric.criteria)), np.nan)
    for i, doc in enumerate(docs):
        short = raise_for(doc.criteria, rubric, doc.words)
        for j, (crit, spec) in enumerate(zip(doc.criteria, rubric.criteria, strict=True)):
            points = model.points.get(spec.id)
            value = crit.score if points is None else criterion_score(crit, spec, points,
                                                                      doc.words, short)
            if value is not None:
                out[i, j] = value
    return out
