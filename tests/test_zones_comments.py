"""A reader's comment that reads like a promotion stays a comment and is never charged."""

from __future__ import annotations

from credscore.engine.compile import CompiledRubric
from credscore.engine.score import score
from credscore.models import Document, ParsedDocument
from credscore.parse import parse

ARTICLE = [
    "Coffee and the liver",
    "A study of 9,000 adults linked coffee to lower liver enzymes, researchers reported.",
    "The researchers cautioned that the study was observational and could not show cause.",
    "Paragraph three of the article explains what the study did and found.",
]
SPAM = "Buy now from my shop, use code LIVER for a discount!"
OWN_PROMO = "Sign up for our newsletter and get your free liver guide."


def parsed(blocks: list[str]) -> ParsedDocument:
    return parse(Document(id="c", source="c", format="text", content="\n\n".join(blocks)))


def zone_of(doc: ParsedDocument, text: str) -> str:
    (zone,) = {b.zone for b in doc.blocks if doc.text[b.start:b.end] == text}
    return zone


def sales_pitch_findings(doc: ParsedDocument, compiled: CompiledRubric) -> list[str]:
    result = score(doc, compiled)
    (criterion,) = [c for c in result.criteria if c.id == "sales_pitch"]
    return [f.text for f in criterion.findings]


def test_a_spam_comment_between_comments_is_a_comment(compiled: CompiledRubric) -> None:
    doc = parsed([*ARTICLE, "12 Comments", "Jane says:", "Great article, thank you.", "Reply",
                  "Spammer says:", SPAM, "Reply", "Tom says:", "I drink three cups a day.", "Reply",
                  OWN_PROMO])
    assert zone_of(doc, SPAM) == "comments"
    assert zone_of(doc, "I drink three cups a day.") == "comments"
    assert zone_of(doc, OWN_PROMO) == "promo"  # the page's own, after the thread
    assert all(f not in SPAM for f in sales_pitch_findings(doc, compiled))


def test_a_spam_comment_ending_the_thread_is_a_comment(compiled: CompiledRubric) -> None:
    doc = parsed([*ARTICLE, "Comments", "Jane says:", "Great article, thank you.",
                  "Spammer says:", SPAM])
    assert zone_of(doc, SPAM) == "comments"
    assert sales_pitch_findings(doc, compiled) == []


def test_a_spam_comment_in_a_numbered_thread_is_a_comment() -> None:
    doc = parsed([*ARTICLE, "Comments on this article are closed.", "1. Mary Kay",
                  "Thanks for the careful summary.", "2. Spam Bot", "Great post.", SPAM,
                  "3. Tom", "I drink three cups a day.", OWN_PROMO])
    assert zone_of(doc, SPAM) == "comments"
    assert zone_of(doc, "I drink three cups a day.") == "comments"
    assert zone_of(doc, OWN_PROMO) == "promo"


def test_a_thread_ends_at_the_pages_own_promotion() -> None:
    doc = parsed([*ARTICLE, "Comments", "1. Mary Kay", "Thanks for the careful summary.",
                  OWN_PROMO, "Get it now", "1. Free shipping"])
    assert zone_of(doc, OWN_PROMO) == "promo"
    assert zone_of(doc, "Get it now") == "promo"
