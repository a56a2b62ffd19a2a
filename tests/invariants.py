"""Invariants every score must satisfy, shared by the property tests."""

from __future__ import annotations

from credscore.models import DocumentScore, ParsedDocument


def assert_score_invariants(parsed: ParsedDocument, result: DocumentScore) -> None:
    """Total in [0, 100], criteria in [0, 1] or null, every finding indexes the text exactly."""
    assert 0 <= result.score <= 100
    for c in result.criteria:
        assert c.score is None or 0 <= c.score <= 1
        for f in c.findings:
            assert 0 <= f.start <= f.end <= len(parsed.text)
            assert parsed.text[f.start:f.end] == f.text
