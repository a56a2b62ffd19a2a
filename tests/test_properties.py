"""Invariants on arbitrary input: no crash, spans exact and in bounds, scores in range."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credscore.engine.score import score
from credscore.models import Document, ParsedDocument
from credscore.parse import ParseError, parse
from credscore.parse.normalize import normalize_inline

from .invariants import assert_score_invariants

FORMATS = st.sampled_from(["text", "markdown", "html"])
PROSE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400
) | st.lists(
    st.sampled_from([
        "Mice ran.", "Studies have shown it works.", "Sign up now!", "It may help.",
        "\n\n", "\n", "Dr. Lee said \"it proves it\".", "1 Smith, J. \"Title here now.\" 2019.",
        "Comments", "<p>", "</p>", "# Heading", "- item", "\u00a0", "peer-\nreviewed", "\u00ad",
        "İİ miracle", "ﬁne", "“quoted words here now”", "Shop now", "References",
    ]),
    max_size=40,
).map(" ".join)


def parse_or_none(content: str, fmt: str) -> ParsedDocument | None:
    """Parse, or None when the document has no text (the one error parse may raise)."""
    try:
        return parse(Document(id="x", source="x", format=fmt, content=content))  # type: ignore[arg-type]
    except ParseError as exc:
        assert str(exc)
        return None


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(PROSE, FORMATS)
def test_parse_never_crashes_and_spans_are_consistent(content: str, fmt: str) -> None:
    parsed = parse_or_none(content, fmt)
    if parsed is None:
        # Plain text fails only when nothing visible is left after normalisation; Markdown and
        # HTML may also consist of markup alone.
        assert fmt != "text" or normalize_inline(content).strip() == ""
        return
    assert parsed.text.strip()
    n = len(parsed.text)
    last = 0
    for b in parsed.blocks:
        assert last <= b.start < b.end <= n
        last = b.end
        block = parsed.text[b.start : b.end]
        assert block == " ".join(block.split())  # words one space apart, as block_words counts
    last = 0
    for s in parsed.sentences:
        assert last <= s.start < s.end <= n
        assert any(b.start <= s.start and s.end <= b.end for b in parsed.blocks)
        last = s.end
    for link in parsed.links:
        assert 0 <= link.start < link.end <= n


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(PROSE, FORMATS)
def test_scores_in_range_and_findings_exact(compiled, content: str, fmt: str) -> None:
    parsed = parse_or_none(content, fmt)
    if parsed is None:
        return
    assert_score_invariants(parsed, score(parsed, compiled))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(PROSE, min_size=1, max_size=4), st.randoms())
def test_scores_do_not_depend_on_document_order(compiled, contents: list[str], rnd) -> None:
    docs = [Document(id=f"d{i}", source=f"d{i}", format="text", content=c)
            for i, c in enumerate(contents) if parse_or_none(c, "text") is not None]
    first = {d.id: score(parse(d), compiled) for d in docs}
    rnd.shuffle(docs)
    second = {d.id: score(parse(d), compiled) for d in docs}
    assert first == second
