"""Scores as the scorer makes them: plain slotted dataclasses, one per finding, criterion and
document, with the fields (names, order and types) of the public score models.

Building a pydantic model per finding cost more than finding it; the writers (JSONL, JSON,
CSV) read these rows directly, and :func:`to_model` turns one into a
:class:`~credscore.models.DocumentScore` only where the public API returns models.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import TypeAdapter

from credscore.models import CriterionScore, DocumentScore, Finding


@dataclass(slots=True)
class FindingRow:
    signal: str
    zone: str
    start: int
    end: int
    text: str
    sentence: str
    points: float


@dataclass(slots=True)
class CriterionRow:
    id: str
    name: str
    weight: float
    score: float | None
    verdict: str
    explanation: str
    findings: list[FindingRow]


@dataclass(slots=True)
class ScoreRow:
    id: str
    title: str | None
    words: int
    score: float
    grade: str
    criteria: list[CriterionRow]
    errors: tuple[str, ...] = ()


# pydantic's serialiser for the rows: the same JSON text as ``DocumentScore.model_dump_json``.
SCORE_ROW_JSON = TypeAdapter(ScoreRow)


def to_model(row: ScoreRow) -> DocumentScore:
    """The public model of a score row (its values were made by the pipeline: not validated)."""
    finding, criterion = Finding.trusted, CriterionScore.trusted
    return DocumentScore.trusted(
        id=row.id, title=row.title, words=row.words, score=row.score, grade=row.grade,
        criteria=tuple(
            criterion(id=c.id, name=c.name, weight=c.weight, score=c.score, verdict=c.verdict,
                      explanation=c.explanation,
                      findings=tuple(finding(signal=f.signal, zone=f.zone, start=f.start,
                                             end=f.end, text=f.text, sentence=f.sentence,
                                             points=f.points) for f in c.findings))
            for c in row.criteria),
        errors=row.errors,
    )
