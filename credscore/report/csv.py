"""CSV: one row per article, one column per criterion score, plus total and grade."""

from __future__ import annotations

import csv
import io

from credscore.models import DocumentScore


def scores_csv(docs: list[DocumentScore]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    criteria = [c.id for c in docs[0].criteria] if docs else []
    writer.writerow(["id", "title", "words", "score", "grade", *criteria])
    for d in docs:
        by_id = {c.id: c.score for c in d.criteria}
        writer.writerow([_safe(d.id), _safe(d.title or ""), d.words, f"{d.score:.1f}", d.grade,
                         *("" if by_id.get(c) is None else f"{by_id[c]:.4f}" for c in criteria)])
    return out.getvalue()


def _safe(text: str) -> str:
    """Defuse spreadsheet formula injection: a cell starting with = + - @ is read as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
