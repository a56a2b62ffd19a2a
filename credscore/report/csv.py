"""CSV: one row per article, one column per criterion score, plus total and grade.

Rows are made one at a time (in the worker that scored the article), so a run writes them as
they come and holds none of them.
"""

from __future__ import annotations

import csv
import io

from credscore.engine.rows import ScoreRow
from credscore.models import DocumentScore
from credscore.report.safe_text import safe_text
from credscore.rubric.model import SCORE_COLUMNS


def header(criteria: list[str]) -> str:
    return _line([*SCORE_COLUMNS, *criteria])


def row(doc: DocumentScore | ScoreRow) -> str:
    return _line([_safe(doc.id), _safe(doc.title or ""), doc.words, f"{doc.score:.1f}", _safe(doc.grade),
                  *("" if c.score is None else f"{c.score:.4f}" for c in doc.criteria)])


def _line(cells: list[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _safe(text: str) -> str:
    """Control characters shown visibly, and spreadsheet formula injection defused: a cell
    starting with = + - @ is read as text."""
    text = safe_text(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
