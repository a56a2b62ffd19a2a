"""How one rubric's agreement with expert labels differs from another's on the same articles.

A change to a rubric is worth keeping when it agrees better with the experts on articles it was
not written for. :func:`compare_agreement` measures both rubrics on the same labelled articles:
each criterion's macro-F1 (criteria matched by id), the mean macro-F1, and the total's Spearman
correlation with the rating. It gives each figure's change on all the articles and on two halves
of them (the labelled ids sorted and cut in the middle): a change tuned to some articles tends
to help on one half only. With resamples, it adds each change's 95% interval, every resample
drawing the same articles for both rubrics (a paired bootstrap), so that the interval is of the
change itself and not the much wider one of either figure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field

from credscore.evaluate.bootstrap import LEVEL, Interval, paired_change_intervals
from credscore.evaluate.compare import (
    Bootstrap,
    Evaluation,
    EvaluationError,
    Result,
    evaluate,
    labelled_ids,
    measures,
    shown_ids,
)
from credscore.models import DocumentScore, RubricRef
from credscore.rubric.model import Rubric

Kind = Literal["macro_f1", "mean_macro_f1", "spearman"]


# A change smaller than this (what three decimal places show as 0.000) neither rises nor falls.
MOVED = 0.0005
# Halves smaller than this: a figure on so few articles moves by chance more than any rubric
# change would move it, and a note says so.
SMALL_HALF = 30


class FigureChange(Result):
    """One agreement figure under both rubrics, and its change (``value`` minus ``against``)
    on all the labelled articles and on each half of them."""

    figure: str  # a criterion's id, "mean macro-F1", or "Spearman with <rating field>"
    kind: Kind
    against: float | None
    value: float | None
    change: float | None
    first_half: float | None  # the change on the first half of the labelled articles
    second_half: float | None
    change_interval: Interval | None = None


class AgreementChange(Result):
    rubric: RubricRef | None = None  # the rubric measured
    against: RubricRef | None = None  # the rubric it is compared with
    labelled: int
    halves: tuple[int, int]  # labelled articles in each half
    figures: list[FigureChange]
    notes: list[str] = Field(default_factory=list)
    bootstrap: Bootstrap | None = None

    @property
    def helped_on_both(self) -> list[FigureChange]:
        """The figures that rise on both halves."""
        return [f for f in self.figures
                if (f.first_half or 0) >= MOVED and (f.second_half or 0) >= MOVED]

    @property
    def hurt_on_both(self) -> list[FigureChange]:
        """The figures that fall on both halves."""
        return [f for f in self.figures
                if (f.first_half or 0) <= -MOVED and (f.second_half or 0) <= -MOVED]


def compare_agreement(docs: list[DocumentScore], against_docs: list[DocumentScore],
                      labels: dict[str, dict[str, str]], rubric: Rubric, against: Rubric,
                      rating_field: str | None, bootstrap: int = 0, seed: int = 0,
                      on_round: Callable[[], object] = lambda: None) -> AgreementChange:
    """The agreement of ``docs`` (scored with ``rubric``) next to that of ``against_docs`` (the
    same articles scored with ``against``), figure by figure. Raises :class:`EvaluationError`
    when either rubric has nothing to measure on these labels. Both are measured on the
    articles both scored: one that only one rubric scored (the other failed on it) is left out,
    and a note names it."""
    docs, against_docs, one_sided = _shared(docs, against_docs, labels)
    new = _evaluated(docs, labels, rubric, rating_field, "the rubric")
    old = _evaluated(against_docs, labels, against, rating_field, "the rubric compared against")
    both = set(labelled_ids(against_docs, labels))
    ids = [i for i in labelled_ids(docs, labels) if i in both]
    cut = len(ids) // 2
    halves = [set(ids[:cut]), set(ids[cut:])]
    parts = [(_part(docs, labels, rubric, rating_field, h),
              _part(against_docs, labels, against, rating_field, h)) for h in halves]
    figures = _figures((old, new), parts)
    notes = one_sided + _notes(new, old)
    if 0 < cut < SMALL_HALF:
        notes.append(f"halves of {cut} and {len(ids) - cut} articles: too few for the change on "
                     "each half to say whether a change carries over")
    if not bootstrap:
        return AgreementChange(labelled=len(ids), halves=(cut, len(ids) - cut), figures=figures,
                               notes=notes)
    measured = (measures(against_docs, labels, against, rating_field, ids),
                measures(docs, labels, rubric, rating_field, ids))
    found = paired_change_intervals(len(ids), (measured[0][0], measured[1][0]),
                                    (measured[0][1], measured[1][1]), bootstrap, seed, on_round)
    with_intervals = []
    for f in figures:
        bounds = (found.macro_f1.get(f.figure) if f.kind == "macro_f1"
                  else found.mean_macro_f1 if f.kind == "mean_macro_f1" else found.spearman)
        with_intervals.append(f.model_copy(update={"change_interval": bounds})
                              if f.change is not None else f)
    return AgreementChange(labelled=len(ids), halves=(cut, len(ids) - cut),
                           figures=with_intervals, notes=notes,
                           bootstrap=Bootstrap(rounds=bootstrap, seed=seed, level=LEVEL))


def _shared(docs: list[DocumentScore], against_docs: list[DocumentScore],
            labels: dict[str, dict[str, str]],
            ) -> tuple[list[DocumentScore], list[DocumentScore], list[str]]:
    """``docs`` and ``against_docs`` without the labelled articles only one of them holds, and
    a note for each rubric that failed on labelled articles the other scored."""
    new_ids = {d.id for d in docs}
    old_ids = {d.id for d in against_docs}
    only_new = sorted(i for i in new_ids - old_ids if i in labels)
    only_old = sorted(i for i in old_ids - new_ids if i in labels)
    notes = [f"left out, not scored {who}: {shown_ids(ids)}"
             for who, ids in (("with the rubric compared against", only_new),
                              ("with the new rubric", only_old)) if ids]
    if not notes:
        return docs, against_docs, []
    return ([d for d in docs if d.id in old_ids], [d for d in against_docs if d.id in new_ids],
            notes)


def _part(docs: list[DocumentScore], labels: dict[str, dict[str, str]], rubric: Rubric,
          rating_field: str | None, ids: set[str]) -> Evaluation | None:
    """The agreement on the articles of ``ids`` alone; None when they give nothing to measure
    (a half of very few articles)."""
    try:
        return evaluate([d for d in docs if d.id in ids], labels, rubric, rating_field, top=0)
    except EvaluationError:
        return None


def _figures(both: tuple[Evaluation, Evaluation],
             parts: list[tuple[Evaluation | None, Evaluation | None]]) -> list[FigureChange]:
    """Every figure of either evaluation, the criteria in the new rubric's order and then those
    only the old one measures; then the mean macro-F1 and the total's Spearman."""
    old, new = both

    def macro(ev: Evaluation | None, cid: str) -> float | None:
        if ev is None:
            return None
        return next((c.macro_f1 for c in ev.criteria if c.id == cid), None)

    def mean(ev: Evaluation | None, _: str) -> float | None:
        return ev.mean_macro_f1 if ev is not None else None

    def rho(ev: Evaluation | None, _: str) -> float | None:
        return ev.overall.spearman if ev is not None and ev.overall is not None else None

    def figure(name: str, kind: Kind, read: Callable[[Evaluation | None, str], float | None],
               key: str) -> FigureChange:
        a, b = read(old, key), read(new, key)
        halves = [_change(read(o, key), read(n, key)) for n, o in parts]
        return FigureChange(figure=name, kind=kind, against=a, value=b, change=_change(a, b),
                            first_half=halves[0], second_half=halves[1])

    ids = [c.id for c in new.criteria] + [c.id for c in old.criteria
                                          if c.id not in {n.id for n in new.criteria}]
    out = [figure(cid, "macro_f1", macro, cid) for cid in ids]
    if new.mean_macro_f1 is not None or old.mean_macro_f1 is not None:
        out.append(figure("mean macro-F1", "mean_macro_f1", mean, ""))
    overall = new.overall or old.overall
    if overall is not None:
        out.append(figure(f"Spearman with {overall.field}", "spearman", rho, ""))
    return out


def _change(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def _evaluated(docs: list[DocumentScore], labels: dict[str, dict[str, str]], rubric: Rubric,
               rating_field: str | None, which: str) -> Evaluation:
    """What :func:`evaluate` measures of one of the two rubrics; an error names the rubric."""
    try:
        return evaluate(docs, labels, rubric, rating_field, top=0)
    except EvaluationError as exc:
        raise EvaluationError(f"{which} ({rubric.id}): {exc}", exc.notes) from None


def _notes(new: Evaluation, old: Evaluation) -> list[str]:
    """What each measurement says of the articles it leaves out (said once where both say it),
    and what the two do not share: criteria only one measures (so the two mean macro-F1s are
    over different criteria)."""
    new_ids = {c.id for c in new.criteria}
    old_ids = {c.id for c in old.criteria}
    notes = list(new.notes) + [f"with the rubric compared against: {n}" for n in old.notes
                               if n not in new.notes]
    if new_ids - old_ids:
        notes.append("measured with the new rubric only: " + ", ".join(sorted(new_ids - old_ids)))
    if old_ids - new_ids:
        notes.append("measured with the rubric compared against only: "
                     + ", ".join(sorted(old_ids - new_ids)))
    if new_ids != old_ids and new.mean_macro_f1 is not None and old.mean_macro_f1 is not None:
        notes.append("the two mean macro-F1s are over different criteria")
    return notes
