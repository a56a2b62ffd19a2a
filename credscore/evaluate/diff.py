"""Compare two rubrics on the same documents: which scores moved, and which findings moved them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence

from credscore.engine.score import lowest_ceiling, weighted_total
from credscore.models import CriterionScore, DocumentScore, Frozen

# A rubric's ceilings: for each criterion in its order, the ceiling of each rule that has one.
Ceilings = Sequence[Mapping[str, float]]


class CriterionChange(Frozen):
    id: str
    old: float | None
    new: float | None
    old_weight: float | None
    new_weight: float | None
    added: list[str]  # signals with points only under the new rubric
    removed: list[str]  # signals with points only under the old rubric
    changed: list[str]  # signals with points under both, but other points or another count
    # How far this criterion's change moved the total (the weighted mean, before any ceiling),
    # in points of the score: the effects of a document's criteria add up to its change. False
    # ``counted``: the criterion has weight 0 or does not apply under both rubrics, so its
    # change moved no score (its effect is 0).
    effect: float = 0.0
    counted: bool = True


class Held(Frozen):
    """A rule's ceiling that held a score below its criteria's weighted mean."""

    ceiling: float
    criterion: str  # the id of the criterion whose rule set it


class DocumentChange(Frozen):
    id: str
    old: float
    new: float
    change: float
    criteria: list[CriterionChange]  # those that moved the total first, largest effect first
    old_grade: str = ""
    new_grade: str = ""
    # The ceiling that held each score down, when one did: a change of ceiling moves a score
    # that no criterion's change explains.
    old_held: Held | None = None
    new_held: Held | None = None

    @property
    def moved(self) -> bool:
        """Whether the score, its grade or what held it down changed."""
        return (self.change != 0 or self.old_grade != self.new_grade
                or self.old_held != self.new_held)


class RubricDiff(Frozen):
    old_rubric: str
    new_rubric: str
    up: int
    down: int
    unchanged: int
    mean_change: float
    documents: list[DocumentChange]
    regraded: int = 0  # documents whose grade changed


def _signals(c: CriterionScore | None) -> dict[str, tuple[int, float]]:
    """Each signal (or rule) that gave points: how many findings, and their points in all."""
    out: dict[str, tuple[int, float]] = {}
    for f in c.findings if c is not None else ():
        if f.points:
            count, points = out.get(f.signal, (0, 0.0))
            out[f.signal] = (count + 1, round(points + f.points, 6))
    return out


def criterion_change(cid: str, a: CriterionScore | None, b: CriterionScore | None,
                     ) -> CriterionChange | None:
    """How one criterion moved between the old (``a``) and new (``b``) result: its score, its
    weight, and the signals behind its points; None when nothing that counts moved."""
    sa, sb = _signals(a), _signals(b)
    old, new = (a.score if a else None), (b.score if b else None)
    old_weight, new_weight = (a.weight if a else None), (b.weight if b else None)
    if old == new and old_weight == new_weight and sa == sb and (a is None) == (b is None):
        return None
    return CriterionChange(
        id=cid, old=old, new=new, old_weight=old_weight, new_weight=new_weight,
        added=sorted(sb.keys() - sa.keys()), removed=sorted(sa.keys() - sb.keys()),
        changed=sorted(s for s in sa.keys() & sb.keys() if sa[s] != sb[s]),
    )


def diff_scores(old: list[DocumentScore], new: list[DocumentScore], old_name: str,
                new_name: str, ceilings: tuple[Ceilings, Ceilings] = ((), ())) -> RubricDiff:
    """Documents present under both rubrics, largest absolute change first (then those whose
    grade, or the ceiling that held them down, changed). Documents that share an id are told
    apart by title and word count (which no rubric changes), then by their order: the k-th under
    the old rubric is compared with the k-th under the new. ``ceilings``: the old and the new
    rubric's (``rule_ceilings``), to say which held a score down."""
    old_by_key = dict(_keyed(old))
    changes = []
    for key, doc in _keyed(new):
        before = old_by_key.get(key)
        if before is not None:
            changes.append(_document_change(before, doc, ceilings))
    changes.sort(key=lambda d: (-abs(d.change), not d.moved, d.id))
    return RubricDiff(
        old_rubric=old_name, new_rubric=new_name,
        up=sum(d.change > 0 for d in changes), down=sum(d.change < 0 for d in changes),
        unchanged=sum(d.change == 0 for d in changes),
        mean_change=round(sum(d.change for d in changes) / len(changes), 2) if changes else 0.0,
        documents=changes,
        regraded=sum(d.old_grade != d.new_grade for d in changes),
    )


DocumentKey = tuple[str, str | None, int, int]  # id, title, words, which of the documents so keyed


def _keyed(docs: list[DocumentScore]) -> Iterator[tuple[DocumentKey, DocumentScore]]:
    """Each document with what tells it from the others of a run: its id, title and word count,
    and how many documents before it have the same."""
    seen: Counter[tuple[str, str | None, int]] = Counter()
    for doc in docs:
        same = (doc.id, doc.title, doc.words)
        yield (*same, seen[same]), doc
        seen[same] += 1


def _document_change(before: DocumentScore, after: DocumentScore,
                     ceilings: tuple[Ceilings, Ceilings] = ((), ())) -> DocumentChange:
    """How one document moved: its score and grade, the ceiling that held it down, and each
    criterion that moved, with its effect."""
    old_crit = {c.id: c for c in before.criteria}
    new_crit = {c.id: c for c in after.criteria}
    effect = _effects(before, after)
    moved = [change.model_copy(update={"effect": effect(cid), "counted": _counts(old_crit.get(cid))
                                       or _counts(new_crit.get(cid))})
             for cid in sorted(set(old_crit) | set(new_crit))
             if (change := criterion_change(cid, old_crit.get(cid), new_crit.get(cid)))]
    moved.sort(key=lambda c: (not c.counted, -abs(c.effect)))  # stable: by id among equals
    return DocumentChange(id=after.id, old=before.score, new=after.score,
                          change=round(after.score - before.score, 1), criteria=moved,
                          old_grade=before.grade, new_grade=after.grade,
                          old_held=held_by(before, ceilings[0]),
                          new_held=held_by(after, ceilings[1]))


def held_by(doc: DocumentScore, ceilings: Ceilings) -> Held | None:
    """The lowest ceiling among the rules that fired in ``doc`` (a rule's finding carries its
    id), when it held the score below the criteria's weighted mean; None when none did."""
    if not ceilings or len(ceilings) != len(doc.criteria):
        return None
    lowest = lowest_ceiling(doc.criteria, ceilings)
    total = weighted_total(doc.criteria)
    if lowest is None or total is None:
        return None
    ceiling, at = lowest
    # Held where it made the score lower, to the score's one decimal (as the reports say it).
    return Held(ceiling=ceiling, criterion=doc.criteria[at].id) if ceiling < round(total, 1) else None


def _counts(c: CriterionScore | None) -> bool:
    """Whether the criterion is in the document's weighted mean: it applies, with a weight."""
    return c is not None and c.score is not None and c.weight > 0


def _weight(c: CriterionScore | None) -> float:
    """The criterion's weight in the document's weighted mean (0 when it is not in it)."""
    return c.weight if c is not None and _counts(c) else 0.0


def _effects(before: DocumentScore, after: DocumentScore) -> Callable[[str], float]:
    """Each criterion's share of the change of the weighted mean, in points of the score.

    With old weights w and scores s (mean T, weights summing to W) and new ones w' and s' (W'),
    the new mean less the old is the sum over criteria of (w'(s' - T) - w(s - T)) / W', since
    the terms w(s - T) add up to 0: a criterion whose weight and score stayed as they were,
    and one that has weight 0 (or does not apply) under both rubrics, has an effect of 0. When
    no criterion applies under the new rubric, its total is 0 and each criterion loses what it
    gave the old mean, ws / W."""
    old = {c.id: c for c in before.criteria}
    new = {c.id: c for c in after.criteria}
    mean = (weighted_total(before.criteria) or 0.0) / 100  # no criterion applied: no old term
    new_total = sum(_weight(c) for c in after.criteria)
    old_total = sum(_weight(c) for c in before.criteria)

    def effect(cid: str) -> float:
        a, b = old.get(cid), new.get(cid)
        w, w2 = _weight(a), _weight(b)
        s = a.score if w and a is not None and a.score is not None else 0.0
        s2 = b.score if w2 and b is not None and b.score is not None else 0.0
        if new_total:
            value = (w2 * (s2 - mean) - w * (s - mean)) / new_total
        else:
            value = -w * s / old_total if old_total else 0.0
        return round(100 * value, 4) + 0.0  # no -0.0
    return effect
