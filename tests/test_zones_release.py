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
