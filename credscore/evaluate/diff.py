"""Compare two rubrics on the same documents: which scores moved, and which findings moved them."""

from __future__ import annotations

from credscore.models import CriterionScore, DocumentScore, Frozen


class CriterionChange(Frozen):
    id: str
    old: float | None
    new: float | None
    added: list[str]  # signals with findings only under the new rubric
    removed: list[str]  # signals with findings only under the old rubric


class DocumentChange(Frozen):
    id: str
    old: float
    new: float
    change: float
    criteria: list[CriterionChange]


class RubricDiff(Frozen):
    old_rubric: str
    new_rubric: str
    up: int
    down: int
    unchanged: int
    mean_change: float
    documents: list[DocumentChange]


def _signals(c: CriterionScore | None) -> set[tuple[str, int, int]]:
    return set() if c is None else {(f.signal, f.start, f.end) for f in c.findings if f.points}


def diff_scores(old: list[DocumentScore], new: list[DocumentScore], old_name: str,
                new_name: str) -> RubricDiff:
    """Documents present under both rubrics, largest absolute change first."""
    old_by_id = {d.id: d for d in old}
    changes = []
    for doc in new:
        before = old_by_id.get(doc.id)
        if before is None:
            continue
        old_crit = {c.id: c for c in before.criteria}
        new_crit = {c.id: c for c in doc.criteria}
        moved = []
        for cid in sorted(set(old_crit) | set(new_crit)):
            a, b = old_crit.get(cid), new_crit.get(cid)
            sa, sb = _signals(a), _signals(b)
            if (a and a.score) != (b and b.score) or sa != sb:
                moved.append(CriterionChange(
                    id=cid, old=a.score if a else None, new=b.score if b else None,
                    added=sorted({s for s, _, _ in sb - sa}),
                    removed=sorted({s for s, _, _ in sa - sb}),
                ))
        changes.append(DocumentChange(id=doc.id, old=before.score, new=doc.score,
                                      change=round(doc.score - before.score, 1), criteria=moved))
    changes.sort(key=lambda d: (-abs(d.change), d.id))
    return RubricDiff(
        old_rubric=old_name, new_rubric=new_name,
        up=sum(d.change > 0 for d in changes), down=sum(d.change < 0 for d in changes),
        unchanged=sum(d.change == 0 for d in changes),
        mean_change=round(sum(d.change for d in changes) / len(changes), 2) if changes else 0.0,
        documents=changes,
    )
