"""Copies within an article (pull quotes, headings that echo a quote, repeated captions) count
once: the copy is site furniture, the block it copies stays the article's."""

from __future__ import annotations

from credscore import compile_rubric, load_rubric
from credscore.engine.score import score
from credscore.models import Document, ParsedDocument
from credscore.parse import parse

QUOTE = '"This is a breakthrough that will change medicine overnight," said Dr. Alan Smith'
STORY = [
    "New drug cuts heart attacks, trial finds",
    "A cholesterol drug cut heart attacks by a quarter in a trial of 14,000 patients, "
    "researchers reported Monday in the New England Journal of Medicine.",
    f"{QUOTE}, who led the study at Boston University.",
    "Dr. Maria Lopez, a cardiologist at Stanford who was not involved in the study, said the "
    "drug costs $500 a month and caused muscle pain in 5 percent of patients.",
]


def parsed(blocks: list[str], fmt: str = "text") -> ParsedDocument:
    return parse(Document(id="e", source="e", format=fmt, content="\n\n".join(blocks)))


def zones(blocks: list[str]) -> dict[str, str]:
    doc = parsed(blocks)
    return {doc.text[b.start : b.end]: b.zone for b in doc.blocks}


def test_a_pull_quote_is_a_copy_and_the_paragraph_it_copies_is_the_articles() -> None:
    pull = f"{QUOTE}."
    got = zones([*STORY[:2], pull, *STORY[2:]])
    assert got[pull] == "boilerplate"
    assert got[STORY[2]] == "body"


def test_a_pull_quote_without_its_quotation_marks_or_after_the_paragraph_is_a_copy() -> None:
    pull = "This is a breakthrough that will change medicine overnight"
    got = zones([*STORY, pull])
    assert got[pull] == "boilerplate"
    assert got[STORY[2]] == "body"


def test_a_heading_that_echoes_a_quote_below_it_is_a_copy() -> None:
    heading = "'A breakthrough that will change medicine overnight'"
    assert zones([*STORY[:2], heading, *STORY[2:]])[heading] == "boilerplate"


def test_the_second_of_two_same_paragraphs_is_the_copy() -> None:
    doc = parsed([*STORY, STORY[1]])
    second = [b.zone for b in doc.blocks if doc.text[b.start : b.end] == STORY[1]]
    assert second == ["body", "boilerplate"]


def test_a_block_that_copies_nothing_whole_stays_the_articles() -> None:
    # Its words stand in the paragraph, but not all together, or not as whole words.
    apart = "This is a breakthrough that will change medicine, said Dr. Alan Smith."
    inside = "his is a breakthrough that will change medicine overnigh"
    short = "Dr. Alan Smith said."  # fewer than six words: such runs recur in any text
    got = zones([*STORY, apart, inside, short])
    assert got[apart] == got[inside] == got[short] == "body"


def test_a_copy_in_a_comment_or_a_reference_is_not_the_articles_copy() -> None:
    # A reader who quotes the article, word for word, leaves the article as it is.
    got = zones([*STORY, "Comments", "Jane Doe says:", f"{QUOTE}. Really?"])
    assert got[STORY[2]] == "body"


def test_a_pull_quote_in_a_page_counts_once() -> None:
    hype = "a miracle cure that will change medicine overnight"
    paragraph = (f'"This drug is {hype}," said Dr. Alan Smith, who led the study at Boston '
                 "University.")
    page = ("<html><head><title>Statin trial</title></head><body><article>"
            "<h1>New drug cuts heart attacks, trial finds</h1>"
            f"<p>{STORY[1]}</p><blockquote class='pullquote'><p>{hype.capitalize()}</p>"
            f"</blockquote><p>{paragraph}</p><p>{STORY[3]}</p></article></body></html>")
    doc = parsed([page], fmt="html")
    compiled = compile_rubric(load_rubric().rubric)
    found = [f.text.lower() for c in score(doc, compiled).criteria for f in c.findings
             if f.points and f.zone not in ("boilerplate",)]
    assert found.count("miracle cure") == 1


def test_of_many_short_blocks_only_copies_are_copies() -> None:
    # (benchmarks/many_blocks.py times pages of many blocks.)
    blocks = [f"Paragraph number {i} says something different about item {i * 7}."
              for i in range(2_000)]
    doc = parsed([*blocks, blocks[5]])
    assert [b.zone for b in doc.blocks].count("boilerplate") == 1
    assert doc.blocks[-1].zone == "boilerplate"
