"""Key blocks of the five seed articles land in the zone a careful reader would give them."""

from __future__ import annotations

import pytest

from credscore.models import ParsedDocument


def zone_of(doc: ParsedDocument, fragment: str) -> str:
    for b in doc.blocks:
        if fragment in doc.text[b.start:b.end]:
            return b.zone
    raise AssertionError(f"no block contains {fragment!r}")


BODY = ("Surgeons removed the tonsils of 300 children in the trial, and most slept better within "
        "a month.")


def zone_between_body(block: str) -> str:
    """The zone of ``block`` as a paragraph between two paragraphs of an article's body."""
    from credscore.models import Document
    from credscore.parse import parse

    doc = parse(Document(id="d", source="d", format="text", content=f"{BODY}\n\n{block}\n\n{BODY}"))
    return zone_of(doc, block)


EXPECTED = [
    ("000", "Skip to content", "boilerplate"),
    ("000", "The Secret To Stronger Bones", "title"),
    ("000", "used mice to demonstrate", "body"),
    ("000", "Older Post", "boilerplate"),
    ("000", "Use this popup to embed", "boilerplate"),
    ("000", "Age verification", "boilerplate"),
    ("000", "Your cart is currently empty", "boilerplate"),
    ("000", "Shop now", "boilerplate"),
    ("001", "Sign up now for inspiring health advice", "promo"),
    ("001", "Run to Improve Bone Health", "title"),
    ("001", "November 29, 2017 (Updated: August 16, 2018)", "byline"),
    ("001", "Lily Moran", "byline"),
    ("001", "Get My FREE Curcumin Report", "promo"),
    ("001", "Welker, Carolee.", "references"),
    ("001", "Did You Enjoy This Article?", "promo"),
    ("001", "News E-letter", "promo"),
    ("001", "I'm telling you here and now", "body"),
    ("002", "Surprising Research: Can You Begin", "title"),
    ("002", "Journal of Bone and Mineral Research", "body"),
    ("003", "Search Menu Globe Arrow Right Close", "boilerplate"),
    ("003", "Running Your Way to Better Bone and Brain Health", "title"),
    ("003", "Accepting New Patients", "boilerplate"),
    ("003", "check with your doctor", "body"),
    ("004", "New Discovery: The Shocking Link", "title"),
    ("004", "1 Bajayo, Alon, et al.", "references"),
    ("004", "2 Van Praag, Henriette", "references"),
    ("004", "3 Gerd, Kempermann.", "references"),
    ("004", "Please click here to learn more about Densercise.", "promo"),
    ("004", "Get It Free Now", "promo"),
    ("004", "Comments on this article are closed.", "comments"),
    ("004", "where in the US I can purchase, True Osteo", "comments"),
    ("004", "Ross, you make some excellent points.", "comments"),
    ("004", "the skeptical scientist in me", "comments"),
    ("004", "Get a free copy of our", "promo"),
]


@pytest.mark.parametrize(("seed", "fragment", "zone"), EXPECTED)
def test_seed_block_zones(seed_docs, seed: str, fragment: str, zone: str) -> None:
    assert zone_of(seed_docs[seed], fragment) == zone


def test_quotes_are_their_own_sentence_zone(seed_docs) -> None:
    doc = seed_docs["002"]
    quoted = [doc.text[s.start:s.end] for s in doc.sentences if s.zone == "quote"]
    assert any("I see a lot of patients" in q for q in quoted)
    assert any("With obesity" in q for q in quoted)
    assert not any("Everyone knows" in q for q in quoted)


def test_comments_never_reach_evidence_zones(seed_docs) -> None:
    doc = seed_docs["004"]
    start = doc.text.index("Comments on this article are closed.")
    tail = [b.zone for b in doc.blocks if b.start >= start]
    assert "body" not in tail


def test_titles(seed_docs) -> None:
    assert seed_docs["001"].title == "Run to Improve Bone Health and Prevent Osteoporosis"
    assert seed_docs["003"].title == "Running Your Way to Better Bone and Brain Health"


def test_comment_thread_without_heading_is_found() -> None:
    from credscore.models import Document
    from credscore.parse import parse

    article = "\n\n".join(
        ["Coffee and the liver", "A study of 9,000 adults linked coffee to lower liver enzymes."]
        + [f"Paragraph {i} of the article explains what the study did and found." for i in range(6)]
        + ["Mary K", "March 3, 2021 at 5:12 pm", "Where can I buy the coffee pills?", "Reply",
           "Tom says:", "Coffee cured my liver, trust me.", "Reply"])
    doc = parse(Document(id="c", source="c", format="text", content=article))
    zones = {doc.text[b.start:b.end]: b.zone for b in doc.blocks}
    assert zones["Mary K"] == "comments"
    assert zones["Coffee cured my liver, trust me."] == "comments"
    assert zones["Paragraph 5 of the article explains what the study did and found."] == "body"


@pytest.mark.parametrize(("fmt", "links"), [
    ("markdown", "- [Miracle cure reverses diabetes in days!](https://example.com/a)\n"
                 "- [The secret Big Pharma doesn't want you to know](https://example.com/b)"),
    ("text", "Miracle cure reverses diabetes in days!\n"
             "The secret Big Pharma doesn't want you to know"),
])
def test_headlines_under_a_related_heading_are_the_sites(fmt: str, links: str) -> None:
    from credscore.models import Document
    from credscore.parse import parse

    after = "The study was funded by the National Institutes of Health."
    article = "\n\n".join(["Walking and the heart",
                           "A study of 2,110 adults linked walking to a lower risk of death.",
                           "Related articles", links, "**What the study did not show**", after])
    doc = parse(Document(id="r", source="r", format=fmt, content=article))
    zones = {doc.text[b.start:b.end]: b.zone for b in doc.blocks}
    assert {z for t, z in zones.items() if "Miracle cure" in t or "Big Pharma" in t} == \
        {"boilerplate"}
    assert zones[after] == "body"
    if fmt == "markdown":  # a block that is no list item after the list's items ends it
        assert zones["What the study did not show"] == "body"


def test_a_quotation_after_the_related_headlines_is_the_articles() -> None:
    from credscore.models import Document
    from credscore.parse import parse

    quote = '"This is the first drug that clearly changes the course of the disease."'
    article = "\n\n".join(["Walking and the heart",
                           "A study of 2,110 adults linked walking to a lower risk of death.",
                           "Related", "Can blueberries prevent dementia?", quote])
    doc = parse(Document(id="r", source="r", format="text", content=article))
    zones = {doc.text[b.start:b.end]: b.zone for b in doc.blocks}
    assert zones["Can blueberries prevent dementia?"] == "boilerplate"
    assert zones[quote] == "body"


def test_recommended_advice_under_a_heading_is_the_articles() -> None:
    from credscore.models import Document
    from credscore.parse import parse

    article = "\n\n".join(["Walking and the heart",
                           "A study of 2,110 adults linked walking to a lower risk of death.",
                           "Recommended", "- Walk 30 minutes a day\n- See a doctor first"])
    doc = parse(Document(id="r", source="r", format="markdown", content=article))
    assert {doc.text[b.start:b.end]: b.zone for b in doc.blocks}["Walk 30 minutes a day"] == "body"


def test_one_commenter_like_line_is_not_a_thread() -> None:
    from credscore.models import Document
    from credscore.parse import parse

    article = "\n\n".join(["Title of the piece here"]
                          + [f"Body paragraph {i} of the piece, in full sentences." for i in range(6)]
                          + ["The minister says:", "We will fund the programme."])
    doc = parse(Document(id="c", source="c", format="text", content=article))
    assert "comments" not in {b.zone for b in doc.blocks}


def test_a_denied_offer_word_is_a_warning_not_a_promotion() -> None:
    """"risk-free" is an offer's word ("try it risk-free"); "it is not risk-free" warns of harms
    and stays in the body, where the harms criterion reads it."""
    for warning, zone in [("None of the new drugs works for everyone. And none are risk-free.",
                           "body"),
                          ('"It is low-risk, but it is not risk-free," Hackett said.', "body"),
                          ("None of these are risk-free.", "body"),
                          ("Try it risk-free today.", "promo"),
                          # an imperative still asks: "don't" is no denial of the offer
                          ("Don't forget to subscribe!", "promo"),
                          ("Don't miss our special offer!", "promo")]:
        assert zone_between_body(warning) == zone, warning


def test_a_dateline_lede_and_a_quoted_speaker_are_text_not_references() -> None:
    """A place, a date, a year and a journal are a reference's marks, and a release's lede
    carries them all; so does a paragraph quoting someone on a paper. A reference list never
    opens an article, and a reference does not say who said what."""
    from credscore.models import Document
    from credscore.parse import parse

    lede = ("DALLAS, Aug. 22, 2018 -- Breastfeeding may lower the risk of stroke in women after "
            "menopause, according to a study in the journal Stroke.")
    speech = ('"These results are encouraging but need to be confirmed," said Dr. Ann Lee, who '
              "published a 2011 review of the evidence in the journal Chest.")
    reference = ('T. Kondo, R. Goto, and E. Araki, "Activation of heat shock response to treat '
                 'obese subjects with type 2 diabetes," Scientific Reports, vol. 6, 2016.')
    body = "The team followed 80,000 women for 12 years and asked how long each had breastfed."
    article = "\n\n".join(["Breastfeeding and stroke", lede, body, speech, body, reference])
    doc = parse(Document(id="r", source="r", format="text", content=article))
    assert zone_of(doc, lede) == "body"
    assert zone_of(doc, speech) == "body"
    assert zone_of(doc, reference) == "references"  # capitalised, "Reports" says no one spoke
    # Under a references heading, a first block with a reference's marks is a reference.
    listed = parse(Document(id="l", source="l", format="text",
                            content="\n\n".join(["References", reference, body])))
    assert zone_of(listed, reference) == "references"


@pytest.mark.parametrize(("block", "zone"), [
    # a paragraph that reports a study, with a year, a journal and a number or a quotation
    ("1. Every additional 1,000 steps a day was linked to a 15% lower risk of death, according "
     "to the 2023 analysis in the European Journal of Preventive Cardiology.", "body"),
    ("However, Danish researchers found in a 2022 study in JAMA Internal Medicine that the "
     "benefit was much smaller.", "body"),
    ("30 minutes of brisk walking a day cut the risk of heart disease by 19%, according to a "
     "2019 study in the journal Circulation.", "body"),
    ('A 2021 review in the BMJ found little support for the "fat but fit" idea.', "body"),
    ("Manson et al. reported in 2019 in the New England Journal of Medicine that fish oil did "
     "not help.", "body"),
    # a citation, whose title may say it
    ("1 Yaghjyan L, Colditz GA, Collins LC, et al. Mammographic breast density and subsequent "
     "risk of breast cancer according to tumor characteristics. J Natl Cancer Inst. "
     "2011;103(15):1179-1189.", "references"),
    ("Smith, J. (2019). Walking and mortality. Journal of Physical Activity, 12(3), 45-51.",
     "references"),
    ("Ledford H. Vitamin D fails to prevent fractures in healthy adults, huge trial finds. "
     "Nature. 2022;605:12.", "references"),
    ("Couzin-Frankel J. Glucosamine no better than sugar pills, study says. Science. "
     "2010;329:1122.", "references"),
    ("So, Y., & Lee, K. (2019). Knee pain in older adults. Arthritis Care, 12(3), 45-52.",
     "references"),
    ("In 2010, Wandel et al. showed in the BMJ that glucosamine does not work.", "body"),
    ("In March, Harvard researchers reported a 2022 study in the journal JAMA Internal "
     "Medicine that found no benefit.", "body"),
    ("Susan Lee, PhD, a nutrition researcher at Tufts, said the 2018 trial published in the "
     "Lancet showed no effect.", "body"),
    # a name with its middle initial, a year and a lower-case "science" (or "press", "review",
    # "nature"): prose; a publication is named with a capital
    ("Ralph W. Moss PhD, a young science writer, was hired by the center's press office in "
     "1974 to brief the public.", "body"),
    ("Ledford H. Vitamin D and fractures in healthy adults. Nature, 2022.", "references"),
])
def test_a_paragraph_that_reports_a_study_is_no_reference(block: str, zone: str) -> None:
    assert zone_between_body(block) == zone


def test_a_reference_whose_quoted_title_has_a_word_of_speech_is_a_reference() -> None:
    """Only words outside the quotation say someone speaks it: a paper's title may hold
    "said" or "warned" and is still a title."""
    from credscore.models import Document
    from credscore.parse import parse

    body = "The team followed 80,000 women for 12 years and asked how long each had breastfed."
    reference = ('T. Kondo, R. Goto, and E. Araki, "What patients said about insulin pumps and '
                 'diet," Scientific Reports, vol. 6, 2016.')
    doc = parse(Document(id="r", source="r", format="text",
                         content="\n\n".join(["Insulin pumps", body, body, reference])))
    assert zone_of(doc, reference) == "references"


def test_the_lede_is_the_first_block_under_the_title_not_a_line_above_it() -> None:
    """A site's navigation line above the title is not the article's first block: the dateline
    lede under the title is still text."""
    from credscore.models import Document
    from credscore.parse import parse

    lede = ("DALLAS, Aug. 22, 2018 -- Breastfeeding may lower the risk of stroke in women after "
            "menopause, according to a study in the journal Stroke.")
    body = "The team followed 80,000 women for 12 years and asked how long each had breastfed."
    article = "\n\n".join(["Home | News | Health", "Breastfeeding and stroke", lede, body, body])
    doc = parse(Document(id="r", source="r", format="text", content=article,
                         title="Breastfeeding and stroke"))
    assert zone_of(doc, "Breastfeeding and stroke") == "title"
    assert zone_of(doc, lede) == "body"


def test_a_dateline_lede_under_a_deck_or_a_logo_caption_is_text() -> None:
    """A release's lede may sit under a subtitle (a deck that ends without a full stop) or the
    caption of a logo: it is still the article's first paragraph, not a reference."""
    from credscore.models import Document
    from credscore.parse import parse

    lede = ("AUSTIN, Texas, March 9, 2017 /PRNewswire/ -- A walk after dinner lowered blood "
            "sugar in a trial published in the journal Diabetes Care, Riverside Health said.")
    deck = ("A trial in the journal Diabetes Care suggests that a short walk after the evening "
            "meal lowers blood sugar more than a walk before breakfast")
    caption = "Riverside Health logo."
    body = "The team followed 40 adults for 12 weeks and measured their blood sugar each night."
    for above in ([deck], [caption], [deck, caption]):
        article = "\n\n".join(["Walking after dinner", *above, lede, body, body])
        doc = parse(Document(id="r", source="r", format="text", content=article))
        assert zone_of(doc, lede) == "body", above
        for block in above:
            assert zone_of(doc, block) == "body", above
    # Under a references heading, it stays a reference.
    listed = parse(Document(id="l", source="l", format="text",
                            content="\n\n".join(["Walking after dinner", caption, "References",
                                                 lede, body])))
    assert zone_of(listed, lede) == "references"


def test_discount_the_verb_is_no_offer() -> None:
    """A short sentence that discounts a claim stays in the body; a discount offered is promotion."""
    from credscore.models import Document
    from credscore.parse import parse

    body = ("Surgeons removed the tonsils of 300 children in the trial, and most slept better "
            "within a month.")
    for line, zone in [("Doctors often discount the risk of bleeding, she said.", "body"),
                       ("Use our discount code TONSIL on your next order.", "promo"),
                       ("Members get a discount on every order.", "promo")]:
        doc = parse(Document(id="d", source="d", format="text", content=f"{body}\n\n{line}\n\n{body}"))
        assert zone_of(doc, line) == zone, line


def test_news_that_reports_a_sign_up_is_not_a_promotion() -> None:
    """One promotion word in a block that reports what someone said is news ("urged parents to
    subscribe to alerts, the agency said"); the same word in a call to the reader, or beside a
    second cue, is a promotion."""
    for block, zone in [("Health officials urged parents to subscribe to text alerts about "
                         "measles outbreaks, the agency said on Monday.", "body"),
                        ("According to the company, the app comes with a free trial of two "
                         "weeks.", "body"),
                        ("The app comes with a free trial of two weeks.", "promo"),
                        ("Subscribe to our newsletter for more health news.", "promo"),
                        ("Sign up for our newsletter, she said.", "promo")]:
        assert zone_between_body(block) == zone, block


def test_references_listed_under_a_heading_without_full_stops_or_with_a_question() -> None:
    """An item of a reference list that ends without a full stop is no heading that ends the
    list, and a title asking a question is a citation's part as one ending in a full stop."""
    from credscore.models import Document
    from credscore.parse import parse

    items = ["Buffey AJ et al. Interrupting prolonged sitting. Sports Med. 2022",
             "World Health Organization. Step safely: strategies for preventing falls. 2021.",
             "Centers for Disease Control and Prevention. How much physical activity do adults "
             "need? Updated 2023."]
    article = "\n\n".join(["# Walking after meals lowers blood sugar",
                           "A short walk after dinner lowers blood sugar, a 2022 review found.",
                           "## Sources", "\n".join(f"- {item}" for item in items)])
    doc = parse(Document(id="r", source="r", format="markdown", content=article))
    zones = {doc.text[b.start:b.end]: b.zone for b in doc.blocks}
    assert [zones[item] for item in items] == ["references"] * 3


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_byline_above_the_headline_is_the_byline(fmt: str) -> None:
    from credscore.models import Document
    from credscore.parse import parse

    headline = "Daily walking linked to lower risk of early death"
    article = "\n\n".join(["By Priya Raman, health reporter",
                           f"# {headline}" if fmt == "markdown" else headline,
                           "Adults who walked 7,000 steps a day had a lower risk of dying, a "
                           "study of 2,110 adults found."])
    doc = parse(Document(id="b", source="b", format=fmt, content=article))
    zones = {doc.text[b.start:b.end]: b.zone for b in doc.blocks}
    assert zones["By Priya Raman, health reporter"] == "byline"
    assert zones[headline] == "title"
    assert doc.metadata["author"].startswith("Priya Raman")


@pytest.mark.parametrize(("block", "zone"), [
    # A news agency's note on its own funding is no study's funding.
    ("The Associated Press Health and Science Department receives support from the Howard "
     "Hughes Medical Institute's Science and Educational Media Group. The AP is solely "
     "responsible for all content.", "boilerplate"),
    ("We may earn commission from links on this page, but we only recommend products we back.",
     "boilerplate"),
    # Only a magazine's own wording is chrome: a blog's short disclosure could sit beside a
    # claim and hide it.
    ("Influencers often fail to disclose affiliate links, the FTC warned.", "body"),
    # A site's notice that the page is old, whoever it names.
    ("This article is more than 3 years old", "boilerplate"),
    ("This is an older article that may not reflect Dr. Lee's current view on this topic. Use "
     "our search engine to find Dr. Lee's latest position on any health topic.", "boilerplate"),
    ("This article is more than a review of the evidence: it asks what patients were told, the "
     "editors wrote.", "body"),
    ("Pin it for later!", "boilerplate"),
    ("Pin this for later!", "boilerplate"),
    ("Subscribe now: Get unlimited digital access for just $1 a week. Introductory offer billed "
     "as $4 every 4 weeks for the first year, then at the standard price of $17 every 4 weeks. "
     "Cancel anytime.", "promo"),
    ("We're asking readers like you to make a contribution to support our open, independent "
     "journalism. Every contribution, however big or small, makes a difference.", "promo"),
    ("Welcome back! If you're new here, I'm an epidemiologist who writes about health studies. "
     "Thanks for reading, and please consider becoming a paid subscriber.", "promo"),
    # The same words in the article's own reporting.
    ("The company said it may earn a commission on each sale, but doctors were not told, the "
     "inquiry found.", "body"),
    ("Patients in the trial were given digital access to their records, the researchers said.",
     "body"),
    ('"We still can\'t pin it down to one cause," said Dr. Rachel Green, a neurologist.', "body"),
    ("The companies say their chatbots are for informational purposes only.", "body"),
    ("Your employer may make a contribution to your health savings account.", "body"),
    ("Members can cancel anytime, but refunds are rare.", "body"),
])
def test_a_sites_notes_appeals_and_offers_are_not_the_article(block: str, zone: str) -> None:
    assert zone_between_body(block) == zone


CARD_RAIL = """<html><head><title>Vitamin D pills don't prevent fractures</title></head><body>
<article><h1>Vitamin D pills don't prevent fractures</h1>
<p>Adults who took a daily vitamin D supplement for five years were no less likely to break a
bone than those who took a placebo, a trial of 25,871 adults reported in the New England
Journal of Medicine.</p>
<p>"There is no reason for healthy adults to take the pills to protect their bones," said
Dr. Clifford Rosen, who was not involved in the study.</p>
<section class="rail"><h2>{heading}</h2>
<div class="card"><h3><a href="/a">This miracle supplement could add years to your life</a></h3>
<p>Researchers tracked 40,000 adults for a decade.</p></div>
<div class="card"><h3><a href="/b">Shocking breakthrough: the superfood that cures arthritis</a></h3>
<p>Scientists say a common kitchen spice may ease joint pain.</p></div></section>
</article></body></html>"""


@pytest.mark.parametrize("heading", ["Related Articles", "Read this next", "Popular now",
                                     "In case you missed it"])
def test_a_rail_of_cards_under_a_related_heading_is_the_sites(heading: str) -> None:
    """A rail of other articles as cards, each a linked headline over its summary: the
    headlines and summaries are the site's, however the rail's heading words it."""
    from credscore.models import Document
    from credscore.parse import parse

    doc = parse(Document(id="r", source="r", format="html",
                         content=CARD_RAIL.format(heading=heading)))
    for fragment in ("miracle supplement", "40,000 adults", "Shocking breakthrough",
                     "kitchen spice"):
        assert zone_of(doc, fragment) == "boilerplate", fragment
    assert zone_of(doc, "who was not involved") in {"body", "quote"}


def test_a_linked_heading_of_the_articles_own_stays_the_articles() -> None:
    """Only under a rail's heading is a linked headline another article's."""
    from credscore.models import Document
    from credscore.parse import parse

    page = CARD_RAIL.format(heading="What the trial found").replace(
        '<section class="rail">', "<section>")
    doc = parse(Document(id="r", source="r", format="html", content=page))
    assert zone_of(doc, "40,000 adults") == "body"


def test_a_rail_needs_two_cards_to_other_pages_before_it_swallows_summaries() -> None:
    """Headings that link to parts of the page ("#who") are the article's own sections, a single
    linked heading is no rail, and a long linked paragraph is no card: the article's text under
    them stays the article's."""
    from credscore.models import Document
    from credscore.parse import parse

    body = ("<p>The shot cut the risk of severe illness by 80% in a trial of 3,000 adults, "
            "researchers reported in the New England Journal of Medicine.</p>")
    sections = ('<h4>Read this next</h4><h2><a href="#who">Who should get one?</a></h2>'
                "<p>The CDC recommends it for adults over 60.</p>"
                '<h2><a href="#risks">What are the risks?</a></h2>'
                "<p>A few people had Guillain-Barre syndrome.</p>")
    one_card = ('<h4>Read this next</h4><h3><a href="/other">A story on sleep</a></h3>'
                "<p>The trial enrolled mostly men over 60.</p>")
    long_link = ('<h4>Read this next</h4><p><a href="/order">' + "This root eases joint pain. " * 12
                 + "</a></p>")
    for part, kept in [(sections, "recommends it for adults"), (one_card, "mostly men"),
                       (long_link, "This root eases")]:
        page = f"<html><body><article><h1>A new shot</h1>{body}{part}</article></body></html>"
        doc = parse(Document(id="r", source="r", format="html", content=page))
        assert zone_of(doc, kept) == "body", kept


def test_a_paragraph_after_a_rail_of_headlines_alone_is_the_articles() -> None:
    """A summary is read as a card's only where at least two cards have one: the article's
    paragraph after a rail of two bare headlines is the article's."""
    from credscore.models import Document
    from credscore.parse import parse

    quote = ('"The effect is real but small," said Dr. Ana Ruiz, a cardiologist who was not '
             "involved in the study.")
    page = ("<html><body><article><h1>A new pill</h1><p>A trial of 3,000 adults found a small "
            "benefit, researchers reported in JAMA.</p><h3>Related</h3>"
            '<h4><a href="/a">Statins and the heart</a></h4>'
            '<h4><a href="/b">Aspirin and the heart</a></h4>'
            f"<p>{quote}</p></article></body></html>")
    doc = parse(Document(id="r", source="r", format="html", content=page))
    assert zone_of(doc, "The effect is real but small") in {"body", "quote"}
