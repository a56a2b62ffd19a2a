"""The closing sections of a press release: organisation blurbs and legal disclaimers."""

from __future__ import annotations

from credscore.models import Document, ParsedDocument
from credscore.parse import parse

STORY = [
    "New blood test spots liver scarring early",
    "A blood test found liver scarring in 82 of 100 patients with fatty liver disease.",
    "The study enrolled 400 adults at two hospitals and was funded by the city's health fund.",
    '"The test is not yet available outside research studies," said Dr. Ana Ruiz.',
]


def zones(blocks: list[str]) -> dict[str, str]:
    doc: ParsedDocument = parse(
        Document(id="r", source="r", format="text", content="\n\n".join(blocks))
    )
    return {doc.text[b.start : b.end]: b.zone for b in doc.blocks}


def test_about_the_organisation_is_boilerplate() -> None:
    blurb = ("Northfield Diagnostics, headquartered in Leeds, is a leading maker of blood tests "
             "with 300 employees in four countries.")
    more = "Its tests are sold in 20 countries and its revenue grew by 40 percent last year."
    got = zones([*STORY, "About Northfield Diagnostics", blurb, more])
    assert got["About Northfield Diagnostics"] == "boilerplate"
    assert got[blurb] == "boilerplate"
    assert got[more] == "boilerplate"
    assert got[STORY[1]] == "body"


def test_about_the_product_or_the_disease_stays_in_the_body() -> None:
    product = "The FibroCheck test measures three proteins in a small blood sample."
    disease = "Fatty liver disease affects one in four adults and often causes no symptoms."
    got = zones([*STORY, "About FibroCheck", product, "About fatty liver disease", disease])
    assert got[product] == "body"
    assert got[disease] == "body"


def test_a_disease_that_is_a_leading_cause_of_death_is_no_organisation() -> None:
    """"is a leading" describes a company ("is a leading maker of blood tests"), not a disease
    that "is a leading cause of death"."""
    disease = ("Sepsis is a leading cause of death in U.S. hospitals, and each hour of delay "
               "raises the risk of death by about 8%, a 2017 study in the NEJM found.")
    got = zones([*STORY, "About Sepsis", disease])
    assert got["About Sepsis"] == "body"
    assert got[disease] == "body"
    company = "Acme Diagnostics is a leading provider of sepsis tests."
    assert zones([*STORY, "About Acme Diagnostics", company])[company] == "boilerplate"
    publisher = "HealthDay is a leading source of evidence-based health news for consumers."
    assert zones([*STORY, "About HealthDay", publisher])[publisher] == "boilerplate"
    driver = "Sepsis is a leading driver of hospital deaths, killing 350,000 adults a year."
    assert zones([*STORY, "About sepsis", driver])[driver] == "body"


def test_an_organisation_section_ends_at_the_next_heading() -> None:
    blurb = "The Riverside Institute is a nonprofit research institute founded in 1950."
    study = "The trial compared the test with a liver biopsy in 400 adults."
    got = zones([*STORY, "About the Riverside Institute", blurb, "About the study", study])
    assert got[blurb] == "boilerplate"
    assert got["About the study"] == "body"
    assert got[study] == "body"


def test_forward_looking_statements_are_boilerplate() -> None:
    legal = ("This press release contains forward-looking statements about regulatory approval "
             "and the risks and uncertainties of developing a new test.")
    got = zones([*STORY, "Forward-Looking Statements", legal])
    assert got["Forward-Looking Statements"] == "boilerplate"
    assert got[legal] == "boilerplate"


def test_a_heading_that_names_forward_looking_statements_opens_a_disclaimer() -> None:
    legal = ("The reader is cautioned not to rely on these statements, which are based on "
             "current expectations of future events.")
    for heading in ("Cautions Concerning Forward-Looking Statements",
                    "Cautionary statement regarding forward-looking statements",
                    "Special Note About Safe Harbor Statements"):
        got = zones([*STORY, heading, legal])
        assert got[heading] == "boilerplate", heading
        assert got[legal] == "boilerplate", heading
        assert got[STORY[1]] == "body"


def test_a_paragraph_that_opens_on_forward_looking_statements_is_a_disclaimer() -> None:
    legal = ("Certain statements in this news release are forward-looking statements that "
             "involve risks and uncertainties.")
    more = "Actual results could differ materially from those projected in these statements."
    got = zones([*STORY, legal, more])
    assert got[legal] == "boilerplate"
    assert got[more] == "boilerplate"
    assert got[STORY[2]] == "body"
    # Named only late in a long paragraph, the topic does not make it a disclaimer.
    late = ("The company, which makes blood tests for liver disease and has run four trials "
            "of the test in adults and children across eleven hospitals in two countries over "
            "the last five years, declined to comment on forward-looking statements.")
    assert zones([*STORY, late])[late] == "body"


def test_a_story_about_forward_looking_statements_is_no_disclaimer() -> None:
    lede = ("Investors have learned to doubt forward-looking statements from drug companies, "
            "analysts said on Monday.")
    heading = "Why forward-looking statements matter"
    after = "Independent experts said the benefit was modest and the trial short."
    got = zones([STORY[0], lede, *STORY[1:], heading, after])
    assert got[lede] == "body"
    assert got[heading] != "boilerplate"
    assert got[after] == "body"
    # Near the end, named in a paragraph that is not in a disclaimer's terms, it is a story's too.
    late = "Forward-looking statements from the company have often been too rosy, she said."
    assert zones([*STORY, late])[late] == "body"


def test_an_organisation_section_does_not_run_through_a_lead_in_line() -> None:
    blurb = "Acme Pharma is a biotechnology company headquartered in Boston with 300 employees."
    limits = "The trial lasted only 12 weeks, and patients were not randomized."
    got = zones([*STORY, "About Acme Pharma", blurb, "Study limitations:", limits])
    assert got[blurb] == "boilerplate"
    assert got["Study limitations:"] == "body"
    assert got[limits] == "body"


def test_a_disclaimers_list_of_risks_stays_in_it_and_its_notes_do_not() -> None:
    risks = ["the test may not be approved;", "competitors may launch similar tests; and",
             "reimbursement may not be obtained."]
    closing = "All forward-looking statements are expressly qualified by these factors."
    note = "1. Smith J, et al. Blood tests for liver scarring. Hepatology. 2019;70:12-20."
    got = zones([*STORY, "Forward-Looking Statements",
                 "Factors that could cause results to differ include:", *risks, closing, note])
    assert all(got[r] == "boilerplate" for r in risks)
    assert got[closing] == "boilerplate"
    assert got[note] != "boilerplate"


def test_a_doi_next_to_site_chrome_is_not_chrome() -> None:
    got = zones([*STORY, "DOI: 10.1056/NEJMoa1234567", "Privacy policy", "Share this"])
    assert got["Privacy policy"] == "boilerplate"
    assert got["DOI: 10.1056/NEJMoa1234567"] != "boilerplate"


def test_after_the_end_mark_an_organisation_paragraph_is_boilerplate() -> None:
    blurb = ("At the Lakeside Cancer Center, home to two Nobel laureates, teams of scientists "
             "seek new ways to prevent cancer.")
    funding = ("The study was funded by the Lakeside Foundation, a nonprofit organisation "
               "founded in 1990.")
    got = zones([*STORY, "###", blurb, funding])
    assert got[blurb] == "boilerplate"
    assert got[funding] == "body"
    assert zones([*STORY, blurb])[blurb] == "body"  # without the end mark it is left alone
