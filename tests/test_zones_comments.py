"""A reader's comment that reads like a promotion stays a comment and is never charged to the
article, while the page's own promotion after the thread stays ``promo`` and is charged."""

from __future__ import annotations

import pytest

from credscore.engine.compile import CompiledRubric
from credscore.engine.score import score
from credscore.models import Document, ParsedDocument
from credscore.parse import parse
from credscore.parse import zones as zoning

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


def zones(doc: ParsedDocument) -> list[tuple[str, str]]:
    return [(doc.text[b.start : b.end], b.zone) for b in doc.blocks]


def zone_of(doc: ParsedDocument, text: str) -> str:
    (zone,) = {z for t, z in zones(doc) if t == text}
    return zone


def sales_pitch_findings(doc: ParsedDocument, compiled: CompiledRubric) -> list[str]:
    result = score(doc, compiled)
    (criterion,) = [c for c in result.criteria if c.id == "sales_pitch"]
    return [f.text for f in criterion.findings]


def charged(findings: list[str], block: str) -> bool:
    return any(f.lower() in block.lower() for f in findings)


def test_the_blocks_are_promotions_on_their_own(compiled: CompiledRubric) -> None:
    # The premise of every test below: out of a thread, both blocks are promotions and charged.
    doc = parsed([*ARTICLE, SPAM, OWN_PROMO])
    assert zone_of(doc, SPAM) == "promo"
    assert zone_of(doc, OWN_PROMO) == "promo"
    findings = sales_pitch_findings(doc, compiled)
    assert charged(findings, SPAM)
    assert charged(findings, OWN_PROMO)


def test_a_spam_comment_mid_thread_is_a_comment(compiled: CompiledRubric) -> None:
    doc = parsed([*ARTICLE, "12 Comments", "Jane says:", "Great article, thank you.", "Reply",
                  "Spammer says:", SPAM, "Reply", "Tom says:", "I drink three cups a day.", "Reply"])
    assert zone_of(doc, SPAM) == "comments"
    # The thread goes on after it.
    assert zone_of(doc, "Tom says:") == "comments"
    assert zone_of(doc, "I drink three cups a day.") == "comments"
    assert sales_pitch_findings(doc, compiled) == []


def test_a_spam_comment_under_a_date_line_is_a_comment(compiled: CompiledRubric) -> None:
    doc = parsed([*ARTICLE, "Comments", "Jane", "March 3, 2021 at 5:12 pm",
                  "Great article, thank you.", "Spam Bot", "March 4, 2021 at 9:40 am", SPAM,
                  "Tom", "March 5, 2021 at 8:02 am", "I drink three cups a day."])
    assert zone_of(doc, SPAM) == "comments"
    assert zone_of(doc, "I drink three cups a day.") == "comments"
    assert sales_pitch_findings(doc, compiled) == []


def test_a_spam_comment_in_a_numbered_thread_is_a_comment(compiled: CompiledRubric) -> None:
    doc = parsed([*ARTICLE, "Comments on this article are closed.", "1. Mary Kay",
                  "Thanks for the careful summary.", "2. Spam Bot", SPAM, "3. Tom",
                  "I drink three cups a day."])
    assert zone_of(doc, SPAM) == "comments"
    assert zone_of(doc, "I drink three cups a day.") == "comments"
    assert sales_pitch_findings(doc, compiled) == []


def test_a_spam_comment_ending_the_thread_with_a_reply_button(compiled: CompiledRubric) -> None:
    doc = parsed([*ARTICLE, "Comments", "Jane says:", "Great article, thank you.", "Reply",
                  "Mo on March 3, 2021 at 5:12 pm", "Interesting read.", SPAM, "Reply",
                  OWN_PROMO])
    # The Reply button after it belongs to the spam comment, the last of the thread.
    assert zone_of(doc, SPAM) == "comments"
    # After that Reply, the page's own promotion closes the thread and is charged.
    assert zone_of(doc, OWN_PROMO) == "promo"
    findings = sales_pitch_findings(doc, compiled)
    assert not charged(findings, SPAM)
    assert charged(findings, OWN_PROMO)


def test_review_repro_a_a_restarted_numbering_ends_the_thread(compiled: CompiledRubric) -> None:
    # "1. Free shipping" after the thread's "1. Mary Kay" is not the thread's next commenter.
    doc = parsed([*ARTICLE, "Comments", "1. Mary Kay", "Thanks for the careful summary.",
                  OWN_PROMO, "1. Free shipping", "2. Easy returns"])
    assert zones(doc)[-6:] == [
        ("Comments", "comments"),
        ("1. Mary Kay", "comments"),
        ("Thanks for the careful summary.", "comments"),
        (OWN_PROMO, "promo"),
        ("1. Free shipping", "promo"),
        ("2. Easy returns", "promo"),
    ]
    findings = sales_pitch_findings(doc, compiled)
    assert charged(findings, OWN_PROMO)
    assert charged(findings, "1. Free shipping")


def test_a_numbered_offer_list_continuing_the_count_is_no_commenter(
        compiled: CompiledRubric) -> None:
    # Repro (a) with the offers numbered on from the thread: numbered lines next to each other
    # are a list, not commenters with their comments between them.
    doc = parsed([*ARTICLE, "Comments", "1. Mary Kay", "Thanks for the careful summary.",
                  OWN_PROMO, "2. Free shipping", "3. Easy returns"])
    assert zone_of(doc, OWN_PROMO) == "promo"
    assert zone_of(doc, "2. Free shipping") == "promo"
    assert charged(sales_pitch_findings(doc, compiled), OWN_PROMO)


def test_review_repro_b_a_bare_time_heads_no_comment(compiled: CompiledRubric) -> None:
    # A footer line ending in a time has neither a date nor a commenter's name before it.
    footer = "Our clinic opens every weekday at 9:00 am"
    doc = parsed([*ARTICLE, "Comments", "Jane says:", "Great article.", "Reply",
                  OWN_PROMO, footer])
    assert zones(doc)[-6:] == [
        ("Comments", "comments"),
        ("Jane says:", "comments"),
        ("Great article.", "comments"),
        ("Reply", "comments"),
        (OWN_PROMO, "promo"),
        (footer, "promo"),
    ]
    assert charged(sales_pitch_findings(doc, compiled), OWN_PROMO)


def test_a_page_without_comments_is_unchanged(compiled: CompiledRubric) -> None:
    doc = parsed([*ARTICLE, OWN_PROMO, "Jane says the study was small, and she is right.",
                  "Paragraph five of the article ends the story here.",
                  "Privacy policy | Terms of use"])
    assert [z for _, z in zones(doc)] == [
        "title", "body", "body", "body", "promo", "body", "body", "boilerplate"]
    assert charged(sales_pitch_findings(doc, compiled), OWN_PROMO)


@pytest.mark.parametrize(("line", "commenter"), [
    ("Jane says:", True),
    ("Mary K. says:", True),
    ("jdoe123 wrote:", True),
    ("March 3, 2021 at 5:12 pm", True),
    ("Mo at 5:12 pm", True),
    ("Reply", True),
    ("Barbara in Texas says:", True),
    ("jane doe says:", True),
    ("Mom of 3 says:", True),
    ("Dr. Mary Ann Smith says:", True),
    ("Linda / 03/12/2023 at 5:12 pm", True),
    ("A Concerned Mom says:", True),
    ("The Night Nurse says:", True),
    ("State health officials wrote:", False),
    ("Study author Jane Doe said:", False),
    ("Main library clinic: 10/12/2024 at 9:00 am", False),
    # a quotation's lead-in and a schedule's line are the article's
    ("The task force chair said:", False),
    ("Dr. Karen Lu of MD Anderson wrote:", False),
    ("Community Center testing: Saturday, May 4 at 9:00 am", False),
    ("Open weekdays at 9:00 am", False),
])
def test_a_commenter_line_names_a_commenter(line: str, commenter: bool) -> None:
    assert zoning._is_commenter_line(line) is commenter


@pytest.mark.parametrize("heading", ["Have your say", "Discussion about this post"])
def test_a_thread_under_a_heading_of_responses_is_comments(heading: str) -> None:
    comment = "Doctors won't tell you this, but my supplement cured me!"
    doc = parsed([*ARTICLE, heading, "Kate Thompson", comment])
    assert zone_of(doc, comment) == "comments"
    assert zone_of(doc, ARTICLE[1]) == "body"


def test_a_section_headed_responses_is_the_articles() -> None:
    """"Responses" heads a trial's results in a release as often as a thread."""
    result = "Of the 60 patients treated, 20 had tumors shrink by at least 30%, the researchers found."
    doc = parsed([*ARTICLE, "Responses", result])
    assert zone_of(doc, result) == "body"


@pytest.mark.parametrize("heading", ["Responses (3)", "12 Replies",
                                     "3 thoughts on \u201cCoffee and the liver\u201d",
                                     '12 Responses to "Coffee and the liver"',
                                     "One thought on \u201cCoffee and the liver\u201d"])
def test_a_heading_that_counts_responses_opens_a_thread(heading: str) -> None:
    comment = "Doctors won't tell you this, but sugar is poison and the cure is suppressed."
    doc = parsed([*ARTICLE, heading, comment])
    assert zone_of(doc, comment) == "comments"


def test_a_section_that_counts_responses_to_another_title_is_the_articles() -> None:
    # A myth-buster's section, not a blog's thread on the post itself.
    rebuttal = "Large studies of millions of children have found no link between vaccines and autism."
    doc = parsed([*ARTICLE, '3 responses to "Vaccines cause autism"', rebuttal])
    assert zone_of(doc, rebuttal) == "body"


def test_a_sentence_that_counts_responses_is_the_articles() -> None:
    # A count of responses in a sentence of the article heads no thread.
    said = '3 responses to "Do you feel rested?" were left blank, the survey team wrote.'
    doc = parsed([*ARTICLE, said, "Sleep improved in both groups over the eight weeks."])
    assert zone_of(doc, said) == "body"



@pytest.mark.parametrize("head", ["Jen R. \u2014 March 16, 2024", "jen_r \u2022 2 days ago",
                                  "Jen Ross | 03/16/2024"])
def test_a_comment_headed_by_a_name_a_dash_and_a_date_is_a_readers(head: str) -> None:
    # As Disqus and Substack export a thread: the reader's pitch is hers, not the article's.
    doc = parsed([*ARTICLE, "2 Comments", head, SPAM, "Sam \u2014 March 17, 2024",
                  "Thanks for the clear write-up."])
    assert zone_of(doc, SPAM) == "comments"
    assert zone_of(doc, "Thanks for the clear write-up.") == "comments"


def test_a_byline_with_a_dash_and_a_date_is_no_comment() -> None:
    doc = parsed([ARTICLE[0], "By Jane Roe \u2014 March 16, 2024", *ARTICLE[1:]])
    assert "comments" not in {z for _, z in zones(doc)}


def test_a_timeline_of_names_and_dates_is_no_thread() -> None:
    events = [("Pfizer-BioNTech \u2014 December 11, 2020",
               "The FDA authorised the first vaccine after a trial of 43,548 participants."),
              ("Moderna \u2014 December 18, 2020",
               "A second vaccine followed a week later, after a trial of 30,420 adults."),
              ("Johnson & Johnson \u2014 February 27, 2021",
               "A one-dose vaccine was authorised after a trial of 44,325 adults.")]
    doc = parsed([*ARTICLE, "Timeline", *[line for event in events for line in event]])
    assert "comments" not in {z for _, z in zones(doc)}


@pytest.mark.parametrize("heading", ["Your comments", "Readers' comments", "Reader responses"])
def test_a_thread_under_a_comments_heading_is_the_readers(heading: str) -> None:
    claim = "Coffee cured my liver in a week, trust me, it is a miracle."
    doc = parsed([*ARTICLE, heading, claim, "Great article, thanks for writing it."])
    assert zone_of(doc, claim) == "comments"


def test_a_share_bars_comment_button_above_the_story_opens_no_thread() -> None:
    """A news site's share bar under the byline ("Comment on this story", "Gift Article") is no
    heading of the readers' comments: the story below it stays the article."""
    doc = parsed(["Coffee and the liver", "By Ana Ruiz", "Comment on this story", "Comment",
                  "Gift Article", "Share", *ARTICLE[1:]])
    assert zone_of(doc, ARTICLE[1]) == "body"
