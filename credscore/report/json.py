"""The JSON output contract (see README "Output contract")."""

from __future__ import annotations

import json
from typing import Any

from credscore import __version__
from credscore.models import DocumentScore, ReadError, RubricRef


def document_dict(doc: DocumentScore) -> dict[str, Any]:
    return doc.model_dump(mode="json")


def document_line(doc: DocumentScore) -> str:
    """One document as one line of JSONL."""
    return json.dumps(document_dict(doc), ensure_ascii=False, separators=(",", ":"))


def ordered(docs: list[DocumentScore]) -> list[DocumentScore]:
    """Stable order whatever order the inputs were listed in."""
    return sorted(docs, key=lambda d: (d.id, d.title or "", d.score))


def payload(rubric: RubricRef, docs: list[DocumentScore], errors: list[ReadError]) -> dict[str, Any]:
    return {
        "credscore_version": __version__,
        "rubric": rubric.model_dump(mode="json"),
        "documents": [document_dict(d) for d in ordered(docs)],
        "errors": [e.model_dump(mode="json") for e in sorted(errors, key=lambda e: (e.path, e.error))],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
