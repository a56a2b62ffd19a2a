"""A calibration from start to end: fit on each fold's training articles, measure on its
held-out ones, then fit once more on every article for the numbers that are written."""

from __future__ import annotations

import difflib
from typing import Literal

import numpy as np

from credscore.calibrate.crossval import FoldFigure, Summary, fold_indices, summarise
from credscore.calibrate.data import (
    CalibrationError,
    CriterionHits,
    LabelledCriterion,
    Model,
    Ratings,
    ceilings,
    check_rating_field,
    criterion_hits,
    criterion_score,
    document_total,
    labelled_criteria,
    matched_documents,
    predicted,
    ratings_of,
    score_matrix,
    written_points,
)
from credscore.calibrate.fit import Rewards, decision_threshold, fit_points, fit_rewards, fit_weights
from credscore.engine.score import raise_for, raised_share, raises, verdict_for
from credscore.evaluate.compare import shown_values
from credscore.evaluate.metrics import Confusion, kendall_tau_b, macro_f1, spearman
from credscore.models import DocumentScore, Frozen
from credscore.plural import counted, plural
from credscore.rubric.model import Criterion, Rubric, ShortText

FitKind = Literal["weights", "points", "both", "rewards"]
FITS_LABELS = ("points", "both")  # the kinds that fit points to each criterion's label
MIN_RATED = 2  # rated articles a fold needs for a ranking to check a fit on


class Change(Frozen):
    criterion: str
    kind: Literal["weight", "signal", "rule"]
    item: str | None  # a signal or rule id; None for the criterion's weight
    old: float
    new: float


class CriterionResult(Frozen):
    id: str
    field: str
    support: int
    adopted: bool  # False: the fit did not beat the written points on the articles it saw
    macro_f1: Summary


class Calibration(Frozen):
    fit: FitKind
    articles: int  # labelled articles
    folds: int
    seed: int
    rating_field: str | None
    # the labelled articles ranked by the rating (a number for it, and a total): those a fit to
    # the rating, and the ranking's figures, are made from; None when no rating is read
    rated: int | None = None
    spearman: Summary | None
    kendall: Summary | None
    criteria: list[CriterionResult]
    weights_adopted: bool | None
    changes: list[Change]
    rewards_adopted: bool | None = None
    notes: list[str]


def calibrate(docs: list[DocumentScore], labels: dict[str, dict[str, str]], rubric: Rubric, *,
              fit: FitKind = "weights", rating_field: str | None = None, folds: int = 5,
              seed: int = 0, id_field: str = "id", keep: frozenset[str] = frozenset(),
              ) -> Calibration:
    """Fit ``rubric``'s numbers to ``labels`` on the scored ``docs``, leaving the weights of
    the criteria in ``keep`` as written; raise :class:`CalibrationError` when the labels cannot
    support the fit."""
    check_settings(rubric, fit, rating_field, folds, keep)
    matched, shared = matched_documents(docs, labels, id_field)
    notes: list[str] = []
    if shared:
        notes.append(f"{counted(len(shared), 'labelled id')} (such as {shared[0]!r}) "
                     f"{plural(len(shared), 'is', 'are')} carried by more than "
                     "one scored article: which of them a label means cannot be told, so they "
                     "are left out (give each article an id of its own)")
    ratings = _ratings(matched, labels, rubric, fit, rating_field, notes)
    crits = labelled_criteria(matched, labels, rubric) if fit in FITS_LABELS else []
    if fit in FITS_LABELS and not crits:
        raise CalibrationError(
            f"--fit {fit} fits the points of criteria that declare 'label:' to their label "
            f"field; the labels hold none of the fields of the rubric {rubric.id}")
    if ratings is not None and fit != "points":
        check_rated_folds(len(ratings.rows), folds)
    elif (used := max(len(c.rows) for c in crits)) < folds:
        raise CalibrationError(f"{counted(used, 'labelled article')} "
                               f"{plural(used, 'is', 'are')} fewer than the {folds} folds; use "
                               "fewer folds (--folds) or more articles")
    fitter = _Fitter(matched, rubric, ratings, crits, fit, keep)
    if ratings is not None and fit != "points":
        # The rated and the unrated articles are each cut into the folds, so that every fold has
        # ratings to rank (and, for --fit both, labelled articles of both kinds to classify).
        rated = ratings.rows
        unrated = np.setdiff1d(np.arange(len(matched)), rated)
        parts = [np.sort(np.concatenate([rated[a], unrated[b]])) for a, b in
                 zip(fold_indices(len(rated), folds, seed), fold_indices(len(unrated), folds, seed),
                     strict=True)]
    else:
        parts = fold_indices(len(matched), folds, seed)
    rank_folds: list[tuple[FoldFigure, FoldFigure]] = []
    label_folds: dict[str, list[FoldFigure]] = {c.spec.id: [] for c in crits}
    for k, held in enumerate(parts, start=1):
        train = np.ones(len(matched), dtype=bool)
        train[held] = False
        model, _ = fitter.fit(train)
        if ratings is not None:
            rank_folds.append(_rank_figures(k, matched, rubric, ratings, ~train, model))
        for lc in crits:
            label_folds[lc.spec.id].append(_label_figure(k, matched, lc, ~train, model,
                                                             rubric))
    final, adopted = fitter.fit(np.ones(len(matched), dtype=bool))
    notes.extend(verdict_notes(matched, rubric, final))
    return Calibration(
        fit=fit, articles=len(matched), folds=folds, seed=seed,
        rating_field=ratings.field if ratings is not None else None,
        rated=len(ratings.rows) if ratings is not None else None,
        spearman=summarise("Spearman", [r[0] for r in rank_folds]) if ratings is not None else None,
        kendall=summarise("Kendall", [r[1] for r in rank_folds]) if ratings is not None else None,
        criteria=[CriterionResult(id=lc.spec.id, field=lc.label.field, support=len(lc.rows),
                                  adopted=adopted.get(lc.spec.id, False),
                                  macro_f1=summarise("macro-F1", label_folds[lc.spec.id]))
                  for lc in crits],
        weights_adopted=adopted.get("", False) if fit in ("weights", "both") else None,
        rewards_adopted=adopted.get("rewards", False) if fit == "rewards" else None,
        changes=_changes(rubric, final), notes=notes,
    )


def fitted_on(result: Calibration) -> str:
    """The articles the written numbers were fitted on, as the table's title and the written
    rubric's header say them: a fit to the rating uses only the articles with a number for it
    and a total (the notes say why each of the others was left out)."""
    labelled = counted(result.articles, "labelled article")
    if result.fit == "points" or result.rated is None or result.rated == result.articles:
        return f"all {labelled}" if result.articles > 1 else f"the {labelled}"
    ranked = f"with a number for '{result.rating_field}' and a total"
    if result.fit == "both":
        return f"{labelled} (the weights on the {result.rated} of them {ranked})"
    return f"the {result.rated} of {result.articles} labelled articles {ranked}"


def verdict_notes(docs: list[DocumentScore], rubric: Rubric, model: Model) -> list[str]:
    """For each criterion whose points were fitted, how many articles' verdicts the new points
    change: verdict thresholds are not fitted, and a label must still describe its score."""
    out = []
    raising = [raise_for(doc.criteria, rubric, doc.words) for doc in docs]
    for index, spec in enumerate(rubric.criteria):
        points = model.points.get(spec.id)
        if points is None or points == written_points(spec):
            continue
        applies = changed = 0
        for doc, short in zip(docs, raising, strict=True):
            crit = doc.criteria[index]
            new = criterion_score(crit, spec, points, doc.words, short)
            if crit.score is None or new is None:
                continue
            applies += 1
            changed += verdict_for(crit.score, spec) != verdict_for(new, spec)
        if changed:
            out.append(f"{spec.id}: the new points change the verdict of {changed} of {applies} "
                       "articles; verdict thresholds are not fitted, so check that each verdict "
                       "still names what its scores hold")
    return out


def check_settings(rubric: Rubric, fit: FitKind, rating_field: str | None, folds: int,
                   keep: frozenset[str] = frozenset()) -> None:
    """What can be refused before any article is scored."""
    if folds < 2:
        raise CalibrationError("--folds must be at least 2")
    known = [c.id for c in rubric.criteria]
    for criterion_id in sorted(keep - set(known)):
        close = difflib.get_close_matches(criterion_id, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise CalibrationError(f"--keep {criterion_id}: the rubric {rubric.id} has no such "
                               f"criterion{hint}")
    if fit != "points" and (rating_field or rubric.rating_field) is None:
        what = "rewards" if fit == "rewards" else "weights"
        raise CalibrationError(f"--fit {fit} fits the {what} to an overall rating: name its "
                               "label field with --rating (the rubric names no rating_field)")
    if fit in FITS_LABELS and not any(c.label for c in rubric.criteria):
        raise CalibrationError(f"--fit {fit} fits the points of criteria that declare "
                               f"'label:'; the rubric {rubric.id} has none")


def check_labels(rubric: Rubric, fit: FitKind, rating_field: str | None,
                 labels: dict[str, dict[str, str]]) -> None:
    """What the labels alone can refuse before any article is scored: a fit to the rating
    whose field no label holds a number in (a misspelt --rating, or a column of text)."""
    field = rating_field or rubric.rating_field
    if fit != "points" and field is not None:
        check_rating_field(labels, field)


def check_rated_folds(rated: int, folds: int) -> None:
    """A fit to the rating is checked on each fold's held-out articles by how it ranks them, and
    fewer than 2 rated articles cannot be ranked: every fold needs 2 of them (the rated articles
    are cut into the folds evenly, so ``2 * folds`` in all)."""
    if rated >= MIN_RATED * folds:
        return
    why = (f"each fold needs {MIN_RATED} of them, so that the fit can be checked on how it ranks "
           "articles it did not see")
    most = rated // MIN_RATED
    if most >= 2:
        fewer = f"--folds {most}" + (" or fewer" if most > 2 else "")
        raise CalibrationError(f"--folds {folds} is too many for {rated} rated articles: {why}; "
                               f"use {fewer}, or rate more articles")
    raise CalibrationError(f"{counted(rated, 'rated article')} {plural(rated, 'is', 'are')} too "
                           f"few to cross-validate: {why}, and "
                           f"the fewest folds (--folds 2) need {2 * MIN_RATED}; rate more articles")


def _ratings(matched: list[DocumentScore], labels: dict[str, dict[str, str]], rubric: Rubric,
             fit: FitKind, rating_field: str | None, notes: list[str]) -> Ratings | None:
    field = rating_field or rubric.rating_field
    if fit == "points":
        if field is None:
            return None
        try:  # the ranking is measured as well when the labels hold a rating
            ratings = ratings_of(matched, labels, field)
        except CalibrationError as exc:
            notes.append(f"the ranking is not measured: {exc}")
            return None
    else:
        assert field is not None  # check_settings
        ratings = ratings_of(matched, labels, field)
    notes.extend(_left_out(ratings))
    return ratings


def _left_out(ratings: Ratings) -> list[str]:
    """Notes on the labelled articles the ranking leaves out: no rating, a rating that is not a
    number (the first of them named), no total."""
    notes = []
    field = ratings.field
    if n := ratings.missing:
        notes.append(f"{counted(n, 'labelled article')} {plural(n, 'has', 'have')} no "
                     f"'{field}' and {plural(n, 'is', 'are')} left out of the ranking")
    if n := len(ratings.not_numbers):
        notes.append(f"{counted(n, 'labelled article')} {plural(n, 'has', 'have')} a '{field}' "
                     f"that is not a number ({shown_values(ratings.not_numbers)}) and "
                     f"{plural(n, 'is', 'are')} left out of the ranking")
    if n := ratings.untotalled:
        notes.append(f"{counted(n, 'rated article')} {plural(n, 'has', 'have')} no total (no "
                     f"criterion of the rubric with a weight applies to {plural(n, 'it', 'them')}) "
                     f"and {plural(n, 'is', 'are')} left out of the ranking")
    return notes


class _Fitter:
    def __init__(self, docs: list[DocumentScore], rubric: Rubric, ratings: Ratings | None,
                 crits: list[LabelledCriterion], fit: FitKind, keep: frozenset[str]) -> None:
        self.docs, self.rubric, self.ratings, self.crits, self.kind = docs, rubric, ratings, crits, fit
        self.kept = np.array([c.id in keep for c in rubric.criteria])
        self.hits = criterion_hits(docs, rubric) if fit == "rewards" else []
        self.ceilings = ceilings(docs, rubric)

    def fit(self, train: np.ndarray) -> tuple[Model, dict[str, bool]]:
        """Points (for --fit points or both), rewards (for --fit rewards), then weights (for
        --fit weights or both), on the ``train`` articles. A fit that does not agree better than
        the written numbers with the labels of the very articles it was fitted to is not taken:
        ``adopted`` says which were (by criterion id for points, "rewards", '' = weights)."""
        written = Model.written(self.rubric)
        points: dict[str, dict[str, float]] = {}
        adopted: dict[str, bool] = {}
        if self.kind in ("points", "both"):
            for lc in self.crits:
                rows = train[lc.rows]
                old = written_points(lc.spec)
                new = fit_points(lc.counts[rows], lc.truth[rows], lc.applies[rows],
                                 np.array([old[i] for i in lc.items]), lc.spec.scoring)
                candidate = dict(zip(lc.items, (float(v) for v in new), strict=True))
                better = (_macro_f1(self.docs, lc, rows, candidate, self.rubric)
                          > _macro_f1(self.docs, lc, rows, None, self.rubric))
                adopted[lc.spec.id] = better
                if better:
                    points[lc.spec.id] = candidate
        model = Model(written.weights, points)
        if self.kind == "rewards" and self.ratings is not None:
            rows = self.ratings.rows[train[self.ratings.rows]]
            values = self.ratings.values[train[self.ratings.rows]]
            docs = [self.docs[i] for i in rows]
            candidate = Model(written.weights, self._rewards(rows, values))
            better = _spearman(docs, self.rubric, values, candidate) > _spearman(
                docs, self.rubric, values, model)
            adopted["rewards"] = better
            if better:
                model = candidate
        if self.kind in ("weights", "both") and self.ratings is not None:
            rows = self.ratings.rows[train[self.ratings.rows]]
            values = self.ratings.values[train[self.ratings.rows]]
            docs = [self.docs[i] for i in rows]
            old = np.array([c.weight for c in self.rubric.criteria])
            new = fit_weights(score_matrix(docs, self.rubric, model), values, old, self.kept,
                              self.ceilings[rows])
            candidate = Model(dict(zip(model.weights, (float(w) for w in new), strict=True)),
                              points)
            better = _spearman(docs, self.rubric, values, candidate) > _spearman(
                docs, self.rubric, values, model)
            adopted[""] = better
            if better:
                model = candidate
        return model, adopted


    def _rewards(self, rows: np.ndarray, values: np.ndarray) -> dict[str, dict[str, float]]:
        """Every fitted criterion's points, with its rewards fitted to ``values`` on ``rows``."""
        fixed = np.zeros(len(rows))
        divisor = np.zeros(len(rows))
        fitted: list[CriterionHits] = []
        for hits in self.hits:
            weight = hits.spec.weight
            divisor += weight * hits.applies[rows]
            if fits_rewards(hits.spec, bool(self.kept[hits.index])):
                fitted.append(hits)
            else:
                fixed += weight * np.where(hits.applies[rows], hits.scores[rows], 0.0)
        short = self.rubric.short_text
        toward = 0.5 if short is None else short.toward
        raising = [raise_for(self.docs[i].criteria, self.rubric, self.docs[i].words) for i in rows]
        blocks = [Rewards(h.counts[rows], np.array([written_points(h.spec)[i] for i in h.items]),
                          h.spec.scoring, h.spec.weight, h.applies[rows],
                          self._kept(h, rows, raising), toward)
                  for h in fitted]
        new = fit_rewards(blocks, fixed, divisor, values, self.ceilings[rows])
        return {h.spec.id: dict(zip(h.items, (float(v) for v in p), strict=True))
                for h, p in zip(fitted, new, strict=True)}

    def _kept(self, hits: CriterionHits, rows: np.ndarray, raising: list[ShortText | None],
              ) -> np.ndarray:
        """Per article of ``rows``, how much of a low score's distance below short_text's
        ``toward`` the criterion keeps: less in a short text whose scores are raised (``raising``,
        per article), all of it where the criterion is not raised (see ``raises``)."""
        out = np.ones(len(rows))
        for k, (i, short) in enumerate(zip(rows, raising, strict=True)):
            doc = self.docs[i]
            if raises(doc.criteria[hits.index].findings, hits.spec, short):
                out[k] = 1 - raised_share(doc.words, short)
        return out


def fits_rewards(spec: Criterion, kept: bool) -> bool:
    """A criterion whose rewards can move the total: weighted, not kept, scored smoothly, with
    at least one reward."""
    return (spec.weight > 0 and not kept and spec.scoring.method != "steps"
            and any(p > 0 for p in written_points(spec).values()))


def may_change(rubric: Rubric, fit: FitKind, keep: frozenset[str] = frozenset()) -> list[Change]:
    """Every number ``fit`` may change, each as a change to its written value: what a written
    rubric must have a place for, known before any article is scored."""
    out = []
    for spec in rubric.criteria:
        if fit in ("weights", "both") and spec.id not in keep:
            out.append(Change(criterion=spec.id, kind="weight", item=None, old=spec.weight,
                              new=spec.weight))
        rules = {r.id for r in spec.rules}
        if fit in FITS_LABELS and spec.label is not None and \
                decision_threshold(spec.scoring) is not None:
            moved = {item: old for item, old in written_points(spec).items() if old != 0}
        elif fit == "rewards" and fits_rewards(spec, spec.id in keep):
            moved = {item: old for item, old in written_points(spec).items() if old > 0}
        else:
            moved = {}
        out += [Change(criterion=spec.id, kind="rule" if item in rules else "signal", item=item,
                       old=old, new=old) for item, old in moved.items()]
    return out


def _spearman(docs: list[DocumentScore], rubric: Rubric, values: np.ndarray,
              model: Model) -> float:
    rho = spearman([document_total(d, rubric, model) for d in docs], list(values))
    return rho if rho is not None else -1.0


def _macro_f1(docs: list[DocumentScore], lc: LabelledCriterion, rows: np.ndarray,
              points: dict[str, float] | None, rubric: Rubric) -> float:
    index = next(i for i, c in enumerate(docs[0].criteria) if c.id == lc.spec.id)
    guesses = []
    for i in lc.rows[rows]:
        crit = docs[i].criteria[index]
        guesses.append(predicted(crit.score if points is None
                                 else criterion_score(
                                     crit, lc.spec, points, docs[i].words,
                                     raise_for(docs[i].criteria, rubric, docs[i].words)),
                                 lc.spec))
    return macro_f1(Confusion.of(list(lc.truth[rows]), guesses))


def _rank_figures(fold: int, docs: list[DocumentScore], rubric: Rubric, ratings: Ratings,
                  held: np.ndarray, model: Model) -> tuple[FoldFigure, FoldFigure]:
    keep = held[ratings.rows]
    test = [docs[i] for i in ratings.rows[keep]]
    values = list(ratings.values[keep])
    before = [d.score for d in test]
    after = [document_total(d, rubric, model) for d in test]
    n = len(test)
    return (FoldFigure(fold=fold, n=n, before=spearman(before, values),
                       after=spearman(after, values)),
            FoldFigure(fold=fold, n=n, before=kendall_tau_b(before, values),
                       after=kendall_tau_b(after, values)))


def _label_figure(fold: int, docs: list[DocumentScore], lc: LabelledCriterion,
                  held: np.ndarray, model: Model, rubric: Rubric) -> FoldFigure:
    rows = held[lc.rows]
    points = model.points.get(lc.spec.id)
    if not rows.any():
        return FoldFigure(fold=fold, n=0, before=None, after=None)
    return FoldFigure(fold=fold, n=int(rows.sum()), before=_macro_f1(docs, lc, rows, None, rubric),
                      after=_macro_f1(docs, lc, rows, points, rubric))


def _changes(rubric: Rubric, model: Model) -> list[Change]:
    out = []
    for spec in rubric.criteria:
        if model.weights[spec.id] != spec.weight:
            out.append(Change(criterion=spec.id, kind="weight", item=None, old=spec.weight,
                              new=model.weights[spec.id]))
        new_points = model.points.get(spec.id, {})
        rules = {r.id for r in spec.rules}
        for item, old in written_points(spec).items():
            if item in new_points and new_points[item] != old:
                out.append(Change(criterion=spec.id, kind="rule" if item in rules else "signal",
                                  item=item, old=old, new=new_points[item]))
    return out
