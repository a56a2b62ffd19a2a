"""Readers and text hygiene: HTML (semantic and div soup), Markdown, encodings, metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credscore.models import Document, ParsedDocument
from credscore.parse import parse
from credscore.parse.byline import byline_metadata
from credscore.read import read_paths
from credscore.read.decode import decode

FIXTURES = Path(__file__).parent / "fixtures"


def parsed_file(path: Path) -> ParsedDocument:
    (doc,) = list(read_paths([path]))
    assert isinstance(doc, Document)
    return parse(doc)


def zone_texts(doc: ParsedDocument, zone: str) -> list[str]:
    return [doc.text[b.start:b.end] for b in doc.blocks if b.zone == zone]


@pytest.fixture(scope="module")
def semantic() -> ParsedDocument:
    return parsed_file(FIXTURES / "semantic.html")


@pytest.fixture(scope="module")
def soup() -> ParsedDocument:
    return parsed_file(FIXTURES / "soup.html")


def test_semantic_and_soup_pages_have_the_same_body(semantic, soup) -> None:
    assert zone_texts(semantic, "body") == zone_texts(soup, "body")
    assert len(zone_texts(semantic, "body")) == 6


@pytest.mark.parametrize("page", ["semantic", "soup"])
def test_comments_are_kept_out_of_the_body(page: str, request) -> None:
    doc = request.getfixturevalue(page)
    body = " ".join(zone_texts(doc, "body") + zone_texts(doc, "title"))
    for leak in ("cinnamon pills", "Studies have shown that all diabetes", "Sign up for our newsletter",
                 "Copyright", "cookies", "Related stories", "About us"):
        assert leak not in body
    assert any("cinnamon pills" in t for t in zone_texts(doc, "comments"))


def test_a_page_trafilatura_reads_is_not_read_again_by_readability(monkeypatch) -> None:
    # readability reads only a page trafilatura finds no text in: a page without reader
    # comments is not re-read to check trafilatura's result (it changed no article paragraph on
    # real pages and cost a fifth of the time).
    from credscore.parse import html as html_reader

    def readability_called(_html: str) -> list:
        raise AssertionError("readability read a page trafilatura had read")

    monkeypatch.setattr(html_reader, "_readability_blocks", readability_called)
    page = (FIXTURES / "soup.html").read_text(encoding="utf-8")
    without_comments = page[:page.index("<div>3 Comments</div>")] + "</body></html>"
    doc = parse(Document(id="soup", source="soup.html", format="html", content=without_comments))
    body = " ".join(zone_texts(doc, "body"))
    assert "ten-minute walk after each meal" in body
    for leak in ("Sign up for our newsletter", "cookies", "About us"):
        assert leak not in body


def test_html_title_metadata_and_links(semantic) -> None:
    assert semantic.title == "Walking after meals lowers blood sugar, trial finds"
    assert semantic.metadata["author"] == "Priya Raman"
    assert semantic.metadata["date"].startswith("2024-03-14")
    assert semantic.metadata["updated"].startswith("2024-03-15")
    (link,) = semantic.links
    assert semantic.text[link.start:link.end] == "Diabetologia"
    assert link.target.startswith("https://doi.org/")


@pytest.mark.parametrize(("byline", "author"), [
    ("By Jane Roe, March 3, 2024", "Jane Roe"),
    ("By Jane Roe | Updated March 3, 2024", "Jane Roe"),
    ("Jane Roe, Health Reporter, 3 March 2024", "Jane Roe; Health Reporter"),
])
def test_html_author_is_the_bylines_names_not_its_date(byline: str, author: str) -> None:
    # trafilatura takes the author from the byline with the date after the name ("Jane Roe;
    # March 3"), which then showed as the byline "By Jane Roe; March 3".
    page = ("<html><head><title>Statin trial</title></head><body><article><h1>Statin trial</h1>"
            f'<p class="byline">{byline}</p>'
            "<p>A cholesterol drug cut heart attacks by a quarter in a trial of 14,000 people, "
            "researchers reported in the New England Journal of Medicine on Monday.</p>"
            "<p>Heart attacks fell from 4 percent to 3 percent over three years of follow-up, "
            "and muscle pain was the most common side effect.</p></article></body></html>")
    doc = parse(Document(id="p", source="p.html", format="html", content=page))
    assert doc.metadata["author"] == author
    assert zone_texts(doc, "byline")[0].startswith(f"By {author}")


def test_html_quote_sentence(semantic) -> None:
    quotes = [semantic.text[s.start:s.end] for s in semantic.sentences if s.zone == "quote"]
    assert any(q.startswith('"Walking after the evening meal') for q in quotes)


@pytest.mark.parametrize("name", ["semantic.html", "soup.html"])
def test_extraction_without_a_fingerprint_matches_trafilatura_extract(name: str) -> None:
    # credscore runs trafilatura's two extraction steps itself to skip the deduplication
    # fingerprint; the XML must be what trafilatura.extract gives, fingerprint aside.
    import trafilatura

    from credscore.parse.html import parse_html
    from credscore.parse.main_text import DATE_PARAMS, extract_xml

    page = (FIXTURES / name).read_text(encoding="utf-8")
    expected = trafilatura.extract(
        page, output_format="xml", with_metadata=True, include_comments=True,
        include_links=True, include_tables=True, include_formatting=False,
        date_extraction_params=DATE_PARAMS)
    got = extract_xml(page, len(" ".join(parse_html(page).text_content().split())))
    assert expected and got and "<main>" in got
    drop = re.compile(r' fingerprint="[^"]*"')
    assert drop.sub("", got) == drop.sub("", expected)


LONG_ARTICLE = "".join(
    f"<p>Paragraph {i}: the trial of 400 adults found that walking after meals lowered blood "
    "sugar by a small amount, the researchers said, and the effect lasted for weeks.</p>"
    for i in range(30))


def trafilatura_passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The passes trafilatura makes from here on, each True when fast (without its fallbacks)."""
    import trafilatura.core

    passes: list[bool] = []
    extraction = trafilatura.core.bare_extraction

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        passes.append(kwargs["options"].fast)
        return extraction(*args, **kwargs)

    monkeypatch.setattr(trafilatura.core, "bare_extraction", counted)
    return passes


@pytest.mark.parametrize("comments", [True, False])
def test_an_extraction_the_fallbacks_cannot_change_is_kept_from_the_fast_pass(
        monkeypatch: pytest.MonkeyPatch, comments: bool) -> None:
    # trafilatura's fallbacks run only when they could replace what its extractor found; a
    # long article of paragraphs is extracted once, and as trafilatura.extract extracts it.
    import trafilatura
    import trafilatura.core

    from credscore.parse.html import parse_html
    from credscore.parse.main_text import DATE_PARAMS, extract_xml

    thread = ('<section id="comments"><h3>2 Comments</h3><div class="comment"><p>Great.</p>'
              '</div><div class="comment"><p>Thanks.</p></div></section>') if comments else ""
    page = (f"<html><head><title>Walking after meals</title></head><body><nav><a href='/'>Home"
            f"</a></nav><main><article><h1>Walking after meals</h1>{LONG_ARTICLE}</article>"
            f"</main>{thread}<footer><p>Copyright 2024</p></footer></body></html>")
    expected = trafilatura.extract(
        page, output_format="xml", with_metadata=True, include_comments=True,
        include_links=True, include_tables=True, include_formatting=False,
        date_extraction_params=DATE_PARAMS)
    passes = trafilatura_passes(monkeypatch)
    got = extract_xml(page, len(" ".join(parse_html(page).text_content().split())))
    assert passes == [True]
    drop = re.compile(r' fingerprint="[^"]*"')
    assert got and expected and drop.sub("", got) == drop.sub("", expected)


def test_the_fallbacks_run_on_a_page_dumped_whole() -> None:
    # On class-less markup trafilatura's own extractor finds too little and, without its
    # fallbacks, dumps the whole page as one paragraph; readability's pick is kept instead.
    import trafilatura.core

    from credscore.parse.html import parse_html
    from credscore.parse.main_text import _extraction_options, fallbacks_idle, fast_pass_may_do

    page = (FIXTURES / "soup.html").read_text(encoding="utf-8")
    fast = trafilatura.core.bare_extraction(page, options=_extraction_options(True))
    chars = len(" ".join(parse_html(page).text_content().split()))
    assert not fallbacks_idle(fast, chars)
    # too few paragraph tags (and too little text) for the fast pass to be worth a try
    assert not fast_pass_may_do(page, chars)
    assert fast_pass_may_do(f"<html><body>{LONG_ARTICLE}</body></html>", 5000)


def test_a_page_with_teasers_takes_the_full_pass() -> None:
    # Without its fallbacks trafilatura keeps blocks marked as teasers that its full pass
    # prunes; on a page whose own text is short the two passes then give other XML, so a page
    # that names a teaser is extracted with the fallbacks from the start.
    import trafilatura

    from credscore.parse.html import parse_html
    from credscore.parse.main_text import DATE_PARAMS, extract_xml, fast_pass_may_do

    related = ("Researchers followed nine thousand adults for ten years and reported that coffee "
               "drinkers had lower liver enzyme levels than others. ") * 6
    page = ("<html><head><title>Coffee</title></head><body><h1>Coffee and the liver</h1>"
            "<p>Short piece: coffee may help.</p>"
            + "".join(f'<div class="Teaser"><p>Related story {k}: {related}</p></div>' for k in range(6))
            + "</body></html>")
    chars = len(" ".join(parse_html(page).text_content().split()))
    assert not fast_pass_may_do(page, chars)
    assert fast_pass_may_do(page.replace("Teaser", "related"), chars)
    expected = trafilatura.extract(
        page, output_format="xml", with_metadata=True, include_comments=True,
        include_links=True, include_tables=True, include_formatting=False,
        date_extraction_params=DATE_PARAMS)
    drop = re.compile(r' fingerprint="[^"]*"')
    got = extract_xml(page, chars)
    assert got and expected and drop.sub("", got) == drop.sub("", expected)


def test_deeply_nested_html_is_a_clear_error() -> None:
    from credscore.parse import ParseError

    html = "<div>" * 5000 + "<p>Mice ran faster in the study.</p>" + "</div>" * 5000
    with pytest.raises(ParseError, match="nested 5,001 levels deep"):
        parse(Document(id="deep", source="deep", format="html", content=html))


def test_html_without_text_is_a_clear_error() -> None:
    from credscore.parse import ParseError

    with pytest.raises(ParseError, match="no article text found in the HTML"):
        parse(Document(id="x", source="x", format="html", content="<html><script>x()</script></html>"))


def test_markdown_headings_lists_and_links() -> None:
    md = ("# Coffee and the heart\n\nA [cohort study](https://pubmed.ncbi.nlm.nih.gov/123/) of"
          " 500 adults found *no* harm.\n\n- first point\n- second point\n\n## References\n\n"
          "1. Smith J, et al. Coffee. *JAMA*. 2019;321(2):1-9.\n")
    doc = parse(Document(id="m", source="m", format="markdown", content=md))
    assert doc.title == "Coffee and the heart"
    assert zone_texts(doc, "title") == ["Coffee and the heart"]
    (link,) = doc.links
    assert doc.text[link.start:link.end] == "cohort study"
    assert "A cohort study of 500 adults found no harm." in zone_texts(doc, "body")
    assert any("Smith J, et al." in t for t in zone_texts(doc, "references"))


def test_markdown_link_definitions_are_targets_not_text() -> None:
    # As a page shows them: a footnote's address is the target of its mark, and a definition's
    # title is a tooltip (a seller's "order now" there is no text of the page's).
    md = ("A short walk after dinner lowers blood sugar, a review found.[^1]\n\n"
          "See the [desk][2].\n\n"
          "[^1]: https://doi.org/10.1007/s40279-022-01649-4\n"
          '[2]: https://example.com/desk "FlexiDesk Pro: order now and get 50% off"\n')
    doc = parse(Document(id="m", source="m", format="markdown", content=md))
    assert "doi.org" not in doc.text and "order now" not in doc.text
    assert [link.target for link in doc.links] == ["https://doi.org/10.1007/s40279-022-01649-4",
                                                   "https://example.com/desk"]


def test_a_markdown_line_break_in_html_keeps_the_words_apart() -> None:
    md = "Turmeric tea is a miracle<br>cure, a blog says.<br/>It sells the tea.<span>x</span>y\n"
    doc = parse(Document(id="m", source="m", format="markdown", content=md))
    assert doc.text == "Turmeric tea is a miracle cure, a blog says. It sells the tea.xy"


@pytest.mark.parametrize("md", [
    ">" * 5000 + " A trial of 300 adults found no harm.\n",  # quotes opened on one line
    "- " * 60 + "A trial of 300 adults found no harm.\n",  # list items opened on one line
    "".join("  " * i + f"- point {i}\n" for i in range(120))  # a list indented level by level
    + "\nA trial of 300 adults found no harm.\n",
])
def test_markdown_nested_deeper_than_the_parser_reads_keeps_its_text(md: str) -> None:
    # markdown-it leaves out what is nested deeper than its limit: none of it may be lost.
    doc = parse(Document(id="m", source="m", format="markdown", content=md))
    assert "A trial of 300 adults found no harm." in doc.text
    if "point" in md:
        assert all(f"point {i}" in doc.text for i in range(120))


def test_markdown_nested_within_the_limit_is_read_as_markdown() -> None:
    md = "".join("  " * i + f"- point {i}\n" for i in range(30))
    doc = parse(Document(id="m", source="m", format="markdown", content=md))
    texts = [doc.text[b.start:b.end] for b in doc.blocks]
    assert texts == [f"point {i}" for i in range(30)]  # list items, without their markers


def test_jsonl_title_is_put_in_front_when_the_text_lacks_it() -> None:
    doc = parse(Document(id="j", source="j", format="text", content="Mice ran. It may help.",
                         title="Exercise in mice"))
    assert doc.text.startswith("Exercise in mice\n\n")
    assert zone_texts(doc, "title") == ["Exercise in mice"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("café".encode(), "café"),
    (b"\xef\xbb\xbfcaf\xc3\xa9", "café"),
    ("café “quoted”".encode("cp1252"), "café “quoted”"),
    ("naïve".encode("latin-1"), "naïve"),
])
def test_decoding(raw: bytes, expected: str) -> None:
    assert decode(raw) == expected


def test_text_hygiene_keeps_offsets_exact() -> None:
    content = ("The peer-\nreviewed study\u00a0found a\u00adbenefit in “ﬁve” trials.\n\n"
               "It   was\tsmall.")
    doc = parse(Document(id="h", source="h", format="text", content=content))
    assert doc.text == 'The peer-reviewed study found abenefit in "five" trials.\n\nIt was small.'
    assert [doc.text[s.start:s.end] for s in doc.sentences] == [
        'The peer-reviewed study found abenefit in "five" trials.', "It was small."]


def test_hard_wrapped_paragraph_is_one_block_but_a_menu_is_not() -> None:
    wrapped = ("Exercise changes the bone marrow in ways that researchers are only now beginning\n"
               "to understand, according to a study of older adults published this week.")
    menu = "Home\nNews\nHealth"
    doc = parse(Document(id="w", source="w", format="text", content=wrapped + "\n\n" + menu))
    assert len(doc.blocks) == 4


@pytest.mark.parametrize(("content", "title"), [
    ("Carbon monoxide poisoning warning: Dr Chris reveals six symptoms you should never ignore\n"
     "Carbon monoxide is an invisible poisonous gas. Breathing in small doses can make you ill.",
     "Carbon monoxide poisoning warning: Dr Chris reveals six symptoms you should never ignore"),
    ("Is the EU finally coming to its senses on Russian energy?\n"
     "The EU has renewed sanctions against Russia. Officials met in Brussels on Monday.",
     "Is the EU finally coming to its senses on Russian energy?"),
    ("Who should Americans listen to for guidance on vaccination?\nAYESHA RASCOE, HOST:\n\n"
     "The fight over vaccine guidance spilled out into the open last week.",
     "Who should Americans listen to for guidance on vaccination?"),
    ("Seven Foods That Doctors Say Lower Your Blood Pressure Fast\n"
     "Eating more of these foods may help, according to a review of 20 trials in adults.",
     "Seven Foods That Doctors Say Lower Your Blood Pressure Fast"),
])
def test_a_headline_set_over_the_text_with_one_line_break_is_the_title(content: str,
                                                                        title: str) -> None:
    doc = parse(Document(id="h", source="h", format="text", content=content))
    assert doc.title == title
    assert title not in zone_texts(doc, "body")[0]


@pytest.mark.parametrize("content", [
    # Prose wrapped by an editor: the first line breaks mid-sentence, even before a capital.
    "Exercise changes the bone marrow in ways that researchers at the University of\n"
    "Leeds are only now beginning to understand, a study of older adults found.",
    "Researchers followed 2,000 adults for ten years in a trial run by the\n"
    "National Institutes of Health. They found that walking helped a little.",
    # A label-like colon late in the line, or a line of names, ending as wrapped prose does.
    "The lead author put it simply in an interview: walking cut the risk, said\n"
    "Dr. Maria Lopez of the University of Leeds, who led the trial of 2,000 adults.",
    "New York City Health Commissioner Dr. Ashwin Vasan and Mayor Eric Adams on\n"
    "Monday announced a plan to expand free screening for high blood pressure.",
])
def test_the_first_line_of_wrapped_prose_is_no_headline(content: str) -> None:
    doc = parse(Document(id="w", source="w", format="text", content=content))
    assert doc.title is None
    assert [doc.text[b.start:b.end] for b in doc.blocks] == [content.replace("\n", " ")]


def test_a_headline_wrapped_over_two_lines_is_one_title() -> None:
    content = ("Doctors Try Genetically Modified Poliovirus As Experimental Brain Cancer\n"
               "Treatment\n\nA genetically modified poliovirus may help some patients, doctors "
               "said on Monday.")
    doc = parse(Document(id="t", source="t", format="text", content=content))
    assert doc.title == ("Doctors Try Genetically Modified Poliovirus As Experimental Brain Cancer "
                         "Treatment")
    assert "Treatment" not in zone_texts(doc, "body")[0]


@pytest.mark.parametrize("given", [{"title": "EU energy"}, {"metadata": {"title": "EU energy"}}])
def test_a_headline_line_is_not_looked_for_where_the_title_is_given(given: dict) -> None:
    content = ("Is the EU finally coming to its senses on Russian energy?\n"
               "The EU has renewed sanctions against Russia.")
    doc = parse(Document(id="j", source="j", format="text", content=content, **given))
    assert doc.title == "EU energy"
    # The paragraph is read whole, as a paragraph of two lines: not cut after its first line.
    assert [doc.text[b.start:b.end] for b in doc.blocks][-1] == content.replace("\n", " ")


def test_a_hard_wrapped_paragraph_with_a_word_broken_at_a_hyphen_is_one_block() -> None:
    """The lines are measured as wrapped: "well-" and "designed" joined made one line too long
    for wrapped prose, and the paragraph was cut into a block per line."""
    wrapped = ("Researchers at the University of Leeds followed 2,000 adults in a well-\n"
               "designed trial for ten years. They found that walking helped, but the lead\n"
               "author was clear that daily walking is no miracle cure for heart disease and\n"
               "that the trial, published in the journal Heart, could not prove cause.")
    doc = parse(Document(id="w", source="w", format="text", content=wrapped))
    assert [doc.text[b.start:b.end] for b in doc.blocks] == [
        "Researchers at the University of Leeds followed 2,000 adults in a well-designed trial "
        "for ten years. They found that walking helped, but the lead author was clear that daily "
        "walking is no miracle cure for heart disease and that the trial, published in the "
        "journal Heart, could not prove cause."]


def test_a_markdown_reference_list_keeps_an_organisation_as_author() -> None:
    """Markdown keeps a numbered list's numbers out of the text, so an entry by an organisation
    with only a year for a mark is still a reference under the heading, and so are the entries
    after it."""
    text = ("# Vitamin D and falls\n\nThe WHO does not recommend vitamin D to prevent falls [1].\n\n"
            "## References\n\n"
            "1. World Health Organization. Step safely: preventing falls across the life-course. "
            "2021.\n"
            "2. US Preventive Services Task Force. Interventions to Prevent Falls in Older Adults. "
            "JAMA. 2018;319(16):1696-1704.\n"
            "3. Centers for Disease Control and Prevention. Flu vaccines are safe. Updated 2023.\n")
    doc = parse(Document(id="m", source="m", format="markdown", content=text))
    assert [b.zone for b in doc.blocks] == ["title", "body", "references", "references",
                                            "references", "references"]


def test_a_word_broken_at_a_hyphen_over_a_short_line_keeps_the_paragraph_whole() -> None:
    """Joined to the line above, "nal." leaves lines of wrapped prose."""
    wrapped = ("A new review of joint supplements found little evidence that they ease knee\n"
               "pain in older adults, according to the analysis published in the jour-\n"
               "nal.\n"
               "The authors pooled 24 randomised trials of glucosamine and chondroitin in all.")
    doc = parse(Document(id="w", source="w", format="text", content=wrapped))
    assert len(doc.blocks) == 1 and "the jour-nal. The authors" in doc.text  # (hyphen kept)


def test_text_byline_metadata(seed_docs) -> None:
    meta = seed_docs["001"].metadata
    assert meta["date"] == "November 29, 2017"
    assert meta["updated"] == "August 16, 2018"
    assert meta["author"] == "Lily Moran"


def test_read_errors_for_bad_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "big.txt").write_text("word " * 1000)
    (tmp_path / "ok.txt").write_text("Mice ran.")
    results = list(read_paths([tmp_path], max_bytes=2000))
    errors = {Path(r.path).name: r.error for r in results if not isinstance(r, Document)}
    assert errors["empty.txt"] == "empty file"
    assert errors["binary.txt"].startswith("binary content")
    assert "over the" in errors["big.txt"]
    assert [r.id for r in results if isinstance(r, Document)] == ["ok.txt"]


def _page_with_comments(n: int) -> str:
    comments = "".join(f'<div class="comment"><p>Jane says: great post number {i}</p></div>'
                       for i in range(n))
    return ("<html><body><article><p>A short article of one sentence about a new drug trial."
            f'</p></article><section id="comments"><h3>Comments</h3>{comments}</section>'
            "</body></html>")


def test_comments_returned_as_main_text_too_stay_comments() -> None:
    doc = parse(Document(id="x", source="x", format="html", content=_page_with_comments(10)))
    body = [doc.text[b.start:b.end] for b in doc.blocks if b.zone == "body"]
    comments = [doc.text[b.start:b.end] for b in doc.blocks if b.zone == "comments"]
    assert body == ["A short article of one sentence about a new drug trial."]
    assert sum("Jane says" in c for c in comments) == 10


def test_an_article_paragraph_a_commenter_quotes_stays_in_the_body() -> None:
    quoted = "Coffee drinkers in the study had lower liver enzyme levels than people who drank none."
    article = "".join(f"<p>{t}</p>" for t in [
        "A study of 9,000 adults published in Hepatology linked coffee to healthier livers.",
        quoted,
        "The researchers say the link may not be causal, because coffee drinkers differ.",
        "They plan a trial in which volunteers are assigned to drink coffee or not for a year.",
    ])
    thread = (f'<div class="comment"><p>Mary K</p><p>{quoted}</p></div>'
              '<div class="comment"><p>Tom</p><p>Coffee cured my liver, trust me, drink it.</p></div>')
    page = (f"<html><body><article><h1>Coffee and the liver</h1>{article}</article>"
            f'<section id="comments" class="comments"><h2>2 Comments</h2>{thread}</section>'
            "</body></html>")
    doc = parse(Document(id="q", source="q", format="html", content=page))
    assert quoted in zone_texts(doc, "body")
    assert quoted in zone_texts(doc, "comments")
    assert "Coffee cured my liver, trust me, drink it." not in zone_texts(doc, "body")


def test_a_page_of_many_thousand_comments_skips_the_fallback_extractors(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # trafilatura's jusText fallback is quadratic in a page's paragraphs: 8,000 comments took
    # 5 s and a 10 MB page hours. Pages with more tags than MAX_TAGS_FOR_FALLBACK skip the
    # fallback extractors: trafilatura runs in its fast mode alone. (How long such a page takes
    # is measured by benchmarks/memory_bounds.py, not timed here.)

    from credscore.parse import main_text
    from credscore.parse.main_text import MAX_TAGS_FOR_FALLBACK

    # The fast pass alone must come from the tag limit, not from a fast result the fallbacks
    # could not change.
    monkeypatch.setattr(main_text, "fast_pass_may_do", lambda *_: False)
    monkeypatch.setattr(main_text, "fallbacks_idle", lambda *_: False)
    page = _page_with_comments(20_000)
    assert page.count("<") > MAX_TAGS_FOR_FALLBACK
    passes = trafilatura_passes(monkeypatch)
    doc = parse(Document(id="x", source="x", format="html", content=page))
    assert passes == [True]
    assert sum(b.zone == "comments" for b in doc.blocks) > 20_000


def _page_of_paragraphs(n: int) -> str:
    paragraphs = "".join(f"<p>Paragraph {i} of the <em>trial</em> report.</p>" for i in range(n))
    return ('<html><head><title>A long\n trial report</title><meta name="author" '
            f'content="Jane Doe"></head><body><nav><a href="/">Home</a></nav><article>{paragraphs}'
            "</article></body></html>")


def test_paragraph_texts_counts_the_pieces_of_text_in_paragraphs() -> None:
    from credscore.parse.html import paragraph_texts, parse_html

    page = parse_html("<div>out</div><p>a<b>b</b>c<i>d</i></p><p><a href='/'>e</a></p><p></p>")
    assert paragraph_texts(page, 100) == 5  # a, b, c, d and e; "out" is in no paragraph
    # Counting stops past the limit, after a whole paragraph (3 pieces each).
    assert paragraph_texts(parse_html(_page_of_paragraphs(40)), 10) == 12


def test_a_page_of_too_many_paragraph_texts_is_read_without_trafilatura(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # trafilatura's "//p//text()" is quadratic in libxml2: 300,000 paragraphs took two minutes.
    # A page past MAX_PARAGRAPH_TEXTS is read whole for the zone rules, its title and author
    # from <title> and the meta tags. (The real limit's timing is benchmarks/many_blocks.py's.)
    from credscore.parse import html as html_reader

    monkeypatch.setattr(html_reader, "MAX_PARAGRAPH_TEXTS", 50)
    passes = trafilatura_passes(monkeypatch)
    doc = parse(Document(id="x", source="x", format="html", content=_page_of_paragraphs(30)))
    assert passes == []
    assert doc.title == "A long trial report"
    assert doc.metadata["author"] == "Jane Doe"
    assert zone_texts(doc, "body")[-1] == "Paragraph 29 of the trial report."
    assert sum(b.zone == "body" for b in doc.blocks) == 30
    # Within the limit (16 paragraphs of 3 pieces each), trafilatura reads the page as before.
    parse(Document(id="y", source="y", format="html", content=_page_of_paragraphs(16)))
    assert passes != []


ARTICLE_HTML = """<!DOCTYPE html><html><head><title>Coffee and sleep: what a new trial found</title>
{meta}</head><body><main><article><h1>Coffee and sleep: what a new trial found</h1>{byline}
<p>A randomised trial of 400 adults published in the journal Sleep found that coffee after noon
cut sleep by 20 minutes a night on average.</p>
<p>The researchers at Oslo University said the effect was small but consistent.</p>
</article></main></body></html>"""
META = ('<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2024-03-14T10:00:00Z">')


def html_doc(meta: str = "", byline: str = "") -> ParsedDocument:
    content = ARTICLE_HTML.format(meta=meta, byline=byline)
    return parse(Document(id="p.html", source="p.html", format="html", content=content))


def authorship(doc: ParsedDocument, compiled):  # type: ignore[no-untyped-def]
    from credscore.engine.score import score

    return next(c for c in score(doc, compiled).criteria if c.id == "authorship_and_date")


def test_author_and_date_from_metadata_reach_the_byline_criterion(compiled) -> None:
    bare, meta = html_doc(), html_doc(META)
    assert zone_texts(bare, "byline") == []
    assert zone_texts(meta, "byline") == ["By Jane Doe, published 2024-03-14"]
    assert meta.metadata["author"] == "Jane Doe"  # what the report shows ...
    found = authorship(meta, compiled)  # ... is what the criterion reads
    assert {f.signal for f in found.findings} >= {"author_named", "date_given"}
    assert all(f.zone == "byline" for f in found.findings if f.signal == "author_named")
    assert found.score > authorship(bare, compiled).score
    assert found.verdict == "author and date given"


def test_a_byline_on_the_page_is_not_repeated(compiled) -> None:
    doc = html_doc(META, "<p>By Jane Doe, March 14, 2024</p>")
    assert zone_texts(doc, "byline") == ["By Jane Doe, March 14, 2024"]
    partial = html_doc(META, "<p>By Jane Doe</p>")  # the date is in the metadata only
    assert zone_texts(partial, "byline") == ["By Jane Doe", "Published 2024-03-14"]


def test_jsonl_metadata_counts_like_a_page_s(compiled) -> None:
    doc = parse(Document(id="j", source="j", format="text", title="Coffee and sleep",
                         content="A trial of 400 adults found coffee cut sleep.",
                         metadata={"author": "Jane Doe"}))
    assert zone_texts(doc, "byline") == ["By Jane Doe"]
    assert [b.zone for b in doc.blocks] == ["title", "byline", "body"]
    assert doc.text[doc.blocks[1].start:doc.blocks[1].end] == "By Jane Doe"


def zones_of_line_under_title(line: str) -> list[str]:
    """The zones of ``line`` as a paragraph between a title and a paragraph of an article."""
    doc = parse(Document(id="b", source="b", format="text",
                         content=f"Coffee and sleep\n\n{line}\n\nA trial of 400 adults found "
                                 "that coffee after noon cut sleep by 20 minutes a night."))
    return [b.zone for b in doc.blocks if doc.text[b.start:b.end] == line]


@pytest.mark.parametrize(("line", "zone"), [
    ("By Jane Doe, Reuters Health", "byline"),
    ("Posted by admin", "byline"),
    ("Updated: 10:25 a.m.", "byline"),
    ("Updated on March 3", "byline"),
    ("Published Monday", "byline"),
    ("By JANE DOE", "byline"),
    ("Updated by: Linda J. Vorvick, MD", "byline"),
    ("Published by Harvard Health Publishing", "byline"),
    ("Published yesterday", "byline"),
    ("Updated about 2 hours ago", "byline"),
    ("Published: yesterday at 5:00 pm", "byline"),
    ("Posted by admin on March 3", "byline"),
    # a sentence that opens with a cue's word is the article's
    ("By the time she was ten, her vision was gone.", "body"),
    ("Published in the Lancet, the trial followed 400 adults.", "body"),
    ("Updated guidelines now advise a lower dose.", "body"),
    ('By then, she said, "it was too late."', "body"),
    ("By contrast, the placebo group did not improve (p = 0.41)", "body"),
    # a name, a number or a day after the cue, going on in lower-case words to a full stop
    ("By Eisai's estimate, the drug will cost $26,500 a year per patient.", "body"),
    ("By 2030, half of all US adults will have obesity, a study projects.", "body"),
    ("By Monday, 312 people in four states had fallen ill, the CDC said.", "body"),
    ("By 16 weeks, 58% on the pill had clear skin, versus 6% on placebo.", "body"),
    ("Published Monday in the journal Neurology, the study followed 2,000 adults.", "body"),
    ("Published Monday in JAMA Pediatrics, the study tracked 2,322 children from birth.", "body"),
    ("By 12 weeks, patients on the drug lost 8% of their body weight.", "body"),
    ("Updated CDC guidance now recommends weight counselling for adults with obesity.", "body"),
    # ... which names and roles do not, even in lower-case words to a full stop
    ("By Jane Doe and John Smith, Associated Press Writers.", "byline"),
    ("By Jane Doe, M.D.", "byline"),
    ("By Jane Doe and Mark Lee, with additional reporting by Sam Roe.", "byline"),
    ("By Jane Doe, staff writer for the health desk.", "byline"),
    ("By Jane Doe, who reported from Geneva.", "byline"),
    ("Reviewed by Mark Lee, MD, a board-certified cardiologist at the clinic.", "byline"),
    ("Posted by Jane Doe on March 3, 2021 in health and wellness.", "byline"),
    ("Updated March 3 with comments from the company.", "byline"),
])
def test_a_byline_cue_opens_a_byline_only_before_a_name_or_a_date(line: str, zone: str) -> None:
    assert zones_of_line_under_title(line) == [zone]


@pytest.mark.parametrize(("line", "zone"), [
    # a short sentence that reports what happened on a date is the article's
    ("The FDA approved Leqembi on July 6, 2023.", "body"),
    ("The study was published July 6, 2023.", "body"),
    ("Results are due by July 6, 2023.", "body"),
    ("The trial began on March 3, 2021.", "body"),
    ("Enrollment ends Dec. 31, 2024.", "body"),
    ("Enrollment closed on March 3, 2023.", "body"),
    ("The recall expanded on March 3, 2023.", "body"),
    ("The vaccine became available on Sept. 12, 2023.", "body"),
    # a date line, with or without a name, is the byline's
    ("Jane Doe and John Roe, July 6, 2023.", "byline"),
    ("Last updated July 6, 2023.", "byline"),
    ("Posted by admin on July 6, 2023.", "byline"),
    ("July 6, 2023", "byline"),
    ("Health desk | 6 July 2023", "byline"),
    ("Jane Doe, a registered dietitian, July 6, 2023.", "byline"),
    ("Last reviewed March 3, 2024.", "byline"),
    ("Story published March 3, 2024.", "byline"),
])
def test_a_short_dated_line_is_a_byline_unless_it_is_a_sentence(line: str, zone: str) -> None:
    assert zones_of_line_under_title(line) == [zone]


@pytest.mark.parametrize(("line", "zone"), [
    # a phrase of chrome or promotion in a sentence of the article's prose is the article's
    ("Few users read the terms of service before agreeing, the researchers wrote.", "body"),
    ("Half of the patients were assigned to video visits instead of in-person visits.", "body"),
    ("Purchases of sweets fell by 17% at stores that removed them from the checkout.", "body"),
    ("Students were offered free access to the app for eight weeks.", "body"),
    ("A subscription to the app costs $69.99 a year; most insurers do not cover it.", "body"),
    ("Stroke patients have a limited time to receive clot-busting drugs, about 4.5 hours.",
     "body"),
    # ... not a page's short line, nor one that speaks to the reader or asks something of them
    ("Copyright 2024 Acme Health Inc. All rights reserved.", "boilerplate"),
    ("Terms and conditions apply.", "boilerplate"),
    ("We use cookies to give you the best experience on this website.", "boilerplate"),
    ("Free shipping on all orders over $50.", "promo"),
    ("Limited time offer: buy 3 bottles of the formula, get 2 more bottles free.", "promo"),
    ("Join thousands of readers who get the newsletter every single week.", "promo"),
    ("Your first month of the programme is free with a free trial today.", "promo"),
    # a shop's offer beside its cart button is its promotion; a news site's footer is chrome
    ("Limited time offer: buy 3 bottles, get 2 free. Add to cart today and enjoy free "
     "shipping.", "promo"),
    ("For more health news, follow us on Facebook, or sign up for our newsletter.",
     "boilerplate"),
    # a seller's words are news as often, and the sales pitch reads the body too; a request
    # of the reader is the seller's
    ("Drugmakers use copay coupon programs to steer patients toward brand-name drugs.", "body"),
    ("Online pharmacies that offer free shipping and no prescription are often illegal, "
     "regulators warn.", "body"),
    ("Every bottle of JointFlex Gold comes with a 60-day money-back guarantee.", "body"),
    ("Simply order three bottles today, since every order comes with a 60-day money-back "
     "guarantee.", "promo"),
    # what only a site writes of itself is chrome in a sentence of prose too
    ("Copyright 2024 Acme Health Media LLC, a subsidiary of Acme Holdings Inc., all rights "
     "reserved.", "boilerplate"),
    ("This site and its partners use cookies to personalise content and ads and to analyse "
     "traffic.", "boilerplate"),
    ("Access to this website constitutes acceptance of the Terms of Use and the Privacy Policy "
     "of Acme Media.", "boilerplate"),
    # a publisher's appeal for readers' money
    ("If you can, please support us with a monthly contribution. It takes less than a minute "
     "to set up.", "promo"),
    ("Remind me in September", "promo"),
    ("Both diet and exercise make a contribution to weight loss over a year.", "body"),
    # comparisons of numbers are no breadcrumb, and a news sentence naming a contact no contact
    ("Patients with systolic pressure > 140 or diastolic > 90 were treated.", "body"),
    ("The company's media contact declined to comment.", "body"),
    # where a page sits in its site, and a news release's header and contact lines
    ("Home > Health > Heart disease", "boilerplate"),
    ("Home > Health > 5 signs you are dehydrated", "boilerplate"),
    ("Home > News > Is vitamin D worth taking?", "boilerplate"),
    ("MEDIA CONTACTS Dana Hill, 555-301-2299", "boilerplate"),
    ("FOR IMMEDIATE RELEASE", "boilerplate"),
    ("Media contact: Dana Hill, 555-301-2299", "boilerplate"),
])
def test_chrome_and_promotion_phrases_in_the_articles_prose_stay_its_own(line: str,
                                                                          zone: str) -> None:
    doc = parse(Document(id="b", source="b", format="text",
                         content="Coffee and sleep\n\nBy Jane Doe\n\nA trial of 400 adults found "
                                 f"that coffee after noon cut sleep by 20 minutes.\n\n{line}\n\n"
                                 "The effect was larger in older adults, the authors said."))
    assert [b.zone for b in doc.blocks if doc.text[b.start:b.end] == line] == [zone]


@pytest.mark.parametrize("headline", [
    "Published Study Reveals Shocking Miracle Cure for Knee Pain",
    "By 2030, Half of US Adults Will Have Obesity",
    "By the Numbers: Knee Replacement in America",
    "Updated Dietary Guidelines Cut the Daily Sugar Limit",
])
def test_a_headline_that_opens_like_a_byline_is_the_title(headline: str) -> None:
    doc = parse(Document(id="b", source="b", format="text",
                         content=f"{headline}\n\nA trial of 400 adults found that coffee after "
                                 "noon cut sleep by 20 minutes a night."))
    assert doc.title == headline


def test_a_byline_under_a_headline_of_chrome_is_not_taken_for_the_title() -> None:
    doc = parse(Document(id="b", source="b", format="text",
                         content="Home > Health > Sleep\n\nBy Sam Ortega\n\nA trial of 400 adults "
                                 "found that coffee after noon cut sleep by 20 minutes a night."))
    assert doc.title is None
    assert [b.zone for b in doc.blocks] == ["boilerplate", "byline", "body"]
    above = parse(Document(id="b", source="b", format="text",
                           content="By Jane Doe, health reporter\n\nCoffee may lower diabetes "
                                   "risk, study finds\n\nA trial of 400 adults found that coffee "
                                   "after noon cut sleep by 20 minutes a night."))
    assert above.title == "Coffee may lower diabetes risk, study finds"


FRONT_MATTER_MD = """---
title: "Walking after meals lowers blood sugar"
author: Priya Raman
date: 2024-03-14
tags: [health, diabetes]
description: >
  folded text that is skipped
---

A randomised trial of 40 adults found that a 10-minute walk after meals lowered blood sugar.

| Group | Change in glucose |
|-------|-------------------|
| Walkers | 22% lower |
| Sitters | no change |
"""


def test_markdown_front_matter_is_metadata_not_text(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(FRONT_MATTER_MD)
    doc = parsed_file(path)
    assert doc.title == "Walking after meals lowers blood sugar"
    assert doc.metadata["author"] == "Priya Raman" and doc.metadata["date"] == "2024-03-14"
    assert "description" not in doc.metadata  # a multi-line value is not read
    for leak in ("title:", "tags", "---", "folded text"):
        assert leak not in doc.text
    assert zone_texts(doc, "title") == ["Walking after meals lowers blood sugar"]


def test_toml_front_matter_and_no_front_matter(tmp_path: Path) -> None:
    toml = tmp_path / "t.md"
    toml.write_text('+++\ntitle = "Mice and men"\nauthor = "Lily Moran"\n+++\n\nMice ran.\n')
    doc = parsed_file(toml)
    assert doc.title == "Mice and men" and doc.metadata["author"] == "Lily Moran"
    plain = tmp_path / "p.md"
    plain.write_text("Mice ran.\n\n---\n\nauthor: nobody\n")  # a rule later on is not front matter
    assert "author: nobody" in parsed_file(plain).text


def test_quoted_front_matter_values_are_read_as_yaml_and_toml_read_them(tmp_path: Path) -> None:
    yaml_md = tmp_path / "y.md"
    yaml_md.write_text("---\ntitle: 'Coffee: it''s fine'\nauthor: \"Jos\\u00e9 \\\"Pepe\\\" Ruiz\"\n"
                       "description: '[Draft] notes'\ndate: \"bad \\q escape\"\nupdated: \"\\ud800\"\n"
                       "---\n\nA study found it. It was small.\n")
    doc = parsed_file(yaml_md)
    assert doc.title == "Coffee: it's fine"
    assert doc.metadata == {"title": "Coffee: it's fine", "author": 'José "Pepe" Ruiz',
                            "description": "[Draft] notes",  # quoted, so a string, not a list
                            # what YAML refuses is kept as written, without its quotes
                            "date": "bad \\q escape", "updated": "\\ud800"}
    assert doc.text == ("Coffee: it's fine\n\nBy José \"Pepe\" Ruiz, published bad \\q escape\n\n"
                        "A study found it. It was small.")
    toml_md = tmp_path / "t.md"
    toml_md.write_text("+++\ntitle = 'C:\\raw'\nauthor = \"Jos\\u00e9\"\n+++\n\nMice ran.\n")
    assert parsed_file(toml_md).metadata == {"title": "C:\\raw", "author": "José"}


def test_markdown_tables_are_read_cell_by_cell(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(FRONT_MATTER_MD)
    body = zone_texts(parsed_file(path), "body")
    assert body[1:] == ["Group", "Change in glucose", "Walkers", "22% lower", "Sitters",
                        "no change"]
    assert not any("|" in b for b in body)


def test_script_text_inside_a_heading_stays_out_of_the_title() -> None:
    page = ("<!DOCTYPE html><html><head></head><body><article><h1>Coffee study<script>var "
            'tracking = "evil";</script> finds sleep loss</h1>'
            "<p>A randomised trial of 400 adults found that coffee after noon cut sleep by 20 "
            "minutes a night on average, researchers at Oslo University said.</p>"
            "<p>The effect was small but consistent across the groups they studied.</p>"
            "</article></body></html>")
    doc = parse(Document(id="h", source="h", format="html", content=page))
    assert doc.title == "Coffee study finds sleep loss"
    assert zone_texts(doc, "title") == ["Coffee study finds sleep loss"]
    assert "tracking" not in doc.text


MARKDOWN_LINES = st.sampled_from([
    "", "", "A paragraph line.", "continues [a link](https://example.org/x) here", "- an item",
    "* another item", "+ a third", "-", "- - -", "* * *", "---", "===", "1. first", "2. second",
    "  - nested item", "  indented continuation", "    indented code", "> a quote", ">",
    "lazy line", "# A heading", "## Sub heading", "```", "```python", "~~~", "````", "```x`",
    "| a | b |", "|---|---|", "| 1 | 2 |", "<div>", "</div>", "Text with *emphasis*.",
    "- [ref link][r]", "[r]: https://example.org/r", "<!-- a comment", "-->", "\t- tabbed item",
    "  ```", "   - three-space item", "> - quoted item", "10) tenth", "<p>inline html</p>",
    "<span>x</span> text", "-\tx", "+", "* a *b* item", "#", "#hashtag", "####### seven",
    "#\tTabbed heading", "  # indented heading", "> # quoted heading", "\u00a0", "\f",
    "\u00a0text", "```\u00a0", "- [r]: https://example.org/r", "> [r]: https://example.org/q",
    "[two", "line]: https://example.org/t", "- x | y", "x | y", "a\rb", "```\rx`", "\u2028",
    "- a |", "|:-|-:|",
])


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(MARKDOWN_LINES, max_size=40), size=st.integers(1, 60),
       newline=st.sampled_from(["\n", "\r\n"]))
def test_markdown_parsed_in_pieces_gives_the_blocks_of_the_whole(lines: list[str], size: int,
                                                                 newline: str) -> None:
    # markdown-it holds every token of a document at once; a long one is parsed in pieces
    from credscore.parse.markdown import markdown_blocks, pieces

    text = newline.join(lines) + newline
    assert "".join(piece for _, piece in pieces(text, size)) == text
    assert markdown_blocks(text, piece_chars=size) == markdown_blocks(text, piece_chars=len(text) + 1)


TABLE_LINES = st.sampled_from([
    "", "", "a | b", "|---|---|", "| c | d |", "---", "  ---", "***", "===", "-", "- item",
    "- a | b", "# h", "## h2 | x", "text here", ":-:|", "|:-|-:|", "--- | ---", "> q | r",
    "1. one | two", "    code | x", "a|b", "-|-", "| x", "y |", "\t|--|", "* s | t",
    "| a | b |", "| 1 | 2 |", "| 3 | 4 |", "| 1 | 2", "|1|2|3|", "| | |", "| x \\| y | z |",
    "| `a|b` | c |", "|:--|--:|", "| 5 | 6 |", "| **7** | [8](https://example.org) |",
])


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(TABLE_LINES, max_size=50), size=st.integers(1, 60),
       newline=st.sampled_from(["\n", "\r\n"]))
def test_markdown_with_tables_parsed_in_pieces_gives_the_blocks_of_the_whole(
        lines: list[str], size: int, newline: str) -> None:
    # A text with tables is cut too (a 2 MB page of tables parsed whole held 600 MB), but never
    # at a delimiter row or at the line above one, which it would make a header or a heading.
    from credscore.parse.markdown import markdown_blocks, pieces

    text = newline.join(lines) + newline
    assert "".join(piece for _, piece in pieces(text, size)) == text
    assert markdown_blocks(text, piece_chars=size) == markdown_blocks(text, piece_chars=len(text) + 1)


TABLE_ROWS = st.sampled_from([
    "| 1 | 2 |", "| 3 | 4 |", "| *5* | six |", "| | |", "|7|8|", "| 9 | 10", "| 1 | 2 | 3 |",
    "| a \\| b | c |", "| `x|y` | z |", "|---|---|", "| <b>x</b> | y |", "text", "", "- item",
])


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["| a | b |", "| a | b", "a | b", "|a|b|"]),
                               st.sampled_from(["|---|---|", "|:-|-:|", "|---|", "---|---"]),
                               st.lists(TABLE_ROWS, max_size=30)), max_size=4),
       size=st.integers(1, 80), blank=st.booleans())
def test_long_tables_cut_between_rows_give_the_blocks_of_the_whole(
        rows: list[tuple[str, str, list[str]]], size: int, blank: bool) -> None:
    # A table may be cut between rows: the piece after the cut is read with the header again,
    # whose cells are then left out. Rows of any other shape stop the cutting.
    from credscore.parse.markdown import markdown_blocks, pieces

    lines: list[str] = ["Intro line."]
    for header, delimiter, body in rows:
        lines += (["", header] if blank else [header]) + [delimiter, *body]
    text = "\n".join(lines) + "\n"
    assert "".join(piece for _, piece in pieces(text, size)) == text
    assert markdown_blocks(text, piece_chars=size) == markdown_blocks(text, piece_chars=len(text) + 1)


def test_a_long_table_is_read_in_pieces_with_its_header_again() -> None:
    from credscore.parse.markdown import markdown_blocks, pieces

    rows = [f"| drug {i} | {i} mg |" for i in range(2000)]
    text = "A trial.\n\n| Drug | Dose |\n|---|---|\n" + "\n".join(rows) + "\n"
    cut = list(pieces(text, 1000))
    assert len(cut) > 20
    assert all(head == "| Drug | Dose |\n|---|---|\n" for head, _ in cut[1:])
    blocks, _ = markdown_blocks(text, piece_chars=1000)
    assert blocks == markdown_blocks(text, piece_chars=len(text) + 1)[0]
    assert ["".join(t for t, _ in b.segments) for b in blocks[1:5]] == ["Drug", "Dose", "drug 0",
                                                                       "0 mg"]
    assert len(blocks) == 1 + 2 + 2 * 2000


def test_a_table_markdown_it_ends_for_too_many_short_rows_is_not_cut() -> None:
    # markdown-it ends a table once it has filled in 65,536 missing cells; a piece would count
    # afresh, so rows short of the header's cells stop the cutting.
    from credscore.parse.markdown import markdown_blocks

    head = "|" + "a|" * 100 + "\n|" + "-|" * 100 + "\n"
    text = "A trial.\n\n" + head + "|x|\n" * 700 + ("|" + "y|" * 100 + "\n") * 50
    whole = markdown_blocks(text, piece_chars=len(text) + 1)
    assert whole[0][-1].kind == "paragraph"  # the table ended, and its last rows are a paragraph
    assert markdown_blocks(text, piece_chars=1000) == whole


HYPHEN_LINES = st.lists(st.sampled_from(["peer-", "reviewed", "Peer-", "  co-  ", "-", "B-",
                                         "well -", " lower", "Upper", "x-\t", "re-", "é-", "ü"]),
                        min_size=1, max_size=12)


@given(lines=HYPHEN_LINES)
def test_hyphen_broken_lines_join_as_pair_by_pair(lines: list[str]) -> None:
    # The definition, one pair of lines at a time; the reader joins each run once, so that a
    # long chain of "peer-" lines costs linear time.
    from credscore.parse.normalize import join_wrapped
    from credscore.parse.text import _HYPHEN_END, _join_hyphenated

    expected: list[str] = []
    for line in lines:
        if expected and _HYPHEN_END.search(expected[-1]) and line.lstrip()[:1].islower():
            expected[-1] = join_wrapped([expected[-1], line])
        else:
            expected.append(line)
    assert _join_hyphenated(lines) == expected


@pytest.mark.parametrize(("line", "author"), [
    ("By Jane Doe, published 2024-03-14", "Jane Doe"),
    ("By Jane Doe and John Roe, updated 2024-03-14", "Jane Doe and John Roe"),
    ("By Jane Doe on March 3, 2024", "Jane Doe"),
    ("By Tom Upton", "Tom Upton"),
])
def test_the_word_before_a_date_is_not_part_of_the_author(line: str, author: str) -> None:
    # "By NAME, published DATE" is also the line credscore writes from a page's metadata.
    assert byline_metadata([line])["author"] == author


@pytest.mark.parametrize("title", [
    "Exercise\u00a0in mice helps",             # a no-break space
    "Exercise  in\tmice helps",                # a scraped title's runs of spaces and tabs
    "Exercise in mice helps with Kyleena\u2122",  # NFKC: "KyleenaTM" in the text
    "\ufb01tness in mice helps",               # a ligature
])
def test_a_given_title_is_the_title_zone_however_it_is_spelled(title: str) -> None:
    """The text is normalised; the given title is looked for among its blocks normalised too,
    so that it is the title zone whether it was put in front or found in the text."""
    body = "Mice ran for six weeks. It may help, researchers said."
    for content in (body, f"{title}\n\n{body}"):
        doc = parse(Document(id="j", source="j", format="text", content=content, title=title))
        assert [b.zone for b in doc.blocks] == ["title", "body"], content


def test_a_title_the_text_holds_only_inside_a_paragraph_is_put_in_front() -> None:
    """The title zone is the given title: a text that repeats it inside its first sentence
    (a wire story's lead) does not leave the article without one."""
    title = "Phone support can help ease postpartum depression"
    content = (f"(Reuters Health) - {title}, a small study suggests.\n\n"
               "Mothers who got calls fared better.")
    doc = parse(Document(id="j", source="j", format="text", content=content, title=title))
    assert zone_texts(doc, "title") == [title]
    assert doc.text.startswith(f"{title}\n\n(Reuters Health)")
    # A block that is the title is found where it is, not repeated.
    again = parse(Document(id="j", source="j", format="text", content=f"{title}\n\n{content}",
                           title=title))
    assert again.text.count(title) == 2 and zone_texts(again, "title") == [title]


@pytest.mark.parametrize(("title", "first", "rest"), [
    # a headline and its deck flattened into one paragraph
    ("Walking after dinner may steady blood sugar",
     "Walking after dinner may steady blood sugar A short stroll helped in a small trial.",
     "A short stroll helped in a small trial."),
    # a question headline, and the headline followed by the page's date line
    ("Can a daily walk steady blood sugar?",
     "Can a daily walk steady blood sugar? THE FIT PAGE", "THE FIT PAGE"),
    ("Walking after dinner may steady blood sugar",
     "Walking after dinner may steady blood sugar Posted: 4 May 2021 Ten adults with type 2 "
     "diabetes walked for 15 minutes after dinner in a trial in Leeds.",
     "Posted: 4 May 2021 Ten adults with type 2 diabetes walked for 15 minutes after dinner "
     "in a trial in Leeds."),
])
def test_a_first_paragraph_that_repeats_the_title_counts_its_words_once(
        title: str, first: str, rest: str) -> None:
    """A text whose first paragraph opens with the given title (a headline pasted into the text
    with what follows it) holds the title once: the title zone, then the rest as the body."""
    body = "Ten adults walked for 15 minutes after dinner for two weeks."
    doc = parse(Document(id="j", source="j", format="text", content=f"{first}\n\n{body}",
                         title=title))
    assert zone_texts(doc, "title") == [title]
    assert zone_texts(doc, "body") == [rest, body]
    assert doc.text.count(title) == 1
    alone = parse(Document(id="j", source="j", format="text", content=f"{rest}\n\n{body}",
                           title=title))
    assert doc.words == alone.words


@pytest.mark.parametrize("first", [
    # the same words go on as one sentence: the body's, kept whole
    "Walking after dinner may steady blood sugar, a small trial suggests.",
    "Walking after dinner may steady blood sugar in people with diabetes.",
    "Walking after dinner may steady blood sugar - or it may not.",
    "Walking after dinner may steady blood sugar: ten adults took part.",
])
def test_a_first_paragraph_that_only_begins_like_the_title_is_kept_whole(first: str) -> None:
    title = "Walking after dinner may steady blood sugar"
    doc = parse(Document(id="j", source="j", format="text", content=first, title=title))
    assert zone_texts(doc, "title") == [title]
    assert zone_texts(doc, "body") == [first]


def test_a_title_of_one_or_two_words_is_not_cut_from_a_longer_name() -> None:
    first = "Diabetes UK said on Monday that walking after meals helps."
    for title in ("Diabetes", "Diabetes care"):
        doc = parse(Document(id="j", source="j", format="text", content=first, title=title))
        assert zone_texts(doc, "title") == [title]
        assert zone_texts(doc, "body") == [first]


def test_splitting_a_block_gives_what_assembling_its_two_parts_gives() -> None:
    from credscore.parse.blocks import RawBlock, assemble, split

    raw = [RawBlock([("Intro ", None), ("a linked", "https://a.example"),
                     (" headline Then more text.", None)]),
           RawBlock([("Last", "https://b.example")], "item")]
    assembled = assemble(raw)
    cut = assembled.text.index(" headline") + len(" headline")
    got = split(assembled, 0, cut, "heading")
    want = assemble([RawBlock([("Intro ", None), ("a linked", "https://a.example"),
                               (" headline", None)], "heading"),
                     RawBlock.of("Then more text."), raw[1]])
    assert got == want
    # a cut inside a link's anchor leaves each part its piece of the anchor
    cut = assembled.text.index(" linked")
    got = split(assembled, 0, cut, "heading")
    assert [got.text[s:e] for s, e, _ in got.links] == ["a", "linked", "Last"]


def test_inserting_a_block_gives_what_assembling_it_with_the_others_gives() -> None:
    # The parser inserts a byline from the metadata into the assembled text, so that it need not
    # keep the raw blocks (a page of many short blocks held them twice over).
    from credscore.parse.blocks import RawBlock, assemble, insert, prepend

    raw = [RawBlock([("A  title", None)], "heading"), RawBlock.of("   "),
           RawBlock([("See ", None), ("the\nstudy", "https://a.example"), (" here.", None)]),
           RawBlock([("Last", "https://b.example")], "item")]
    block = RawBlock([("By  Jane ", None), ("Doe", "https://c.example")], "line", "byline")
    assembled = assemble(raw)
    for at, source in enumerate((0, 1, 3, 4)):  # the raw place after the block before ``at``
        assert insert(block, at, assembled) == assemble([*raw[:source], block, *raw[source:]])
    assert prepend(block, assembled) == assemble([block, *raw])
    assert insert(RawBlock.of(" "), 1, assembled) == assembled


def test_a_short_page_keeps_its_paragraphs_and_its_byline_apart() -> None:
    # trafilatura returns a page with little text as one paragraph of all of it: the byline ran
    # into the first sentence of the body, and the paragraphs into one another.
    page = ("<html><head><title>T</title></head><body><article><h1>Aspirin and heart attacks</h1>"
            "<p class=\"byline\">By John Smith, 4 May 2021</p><p>A randomized trial of 2,000 adults "
            "found that aspirin cut heart attacks by 10%. Critics say the benefit was small.</p>"
            "<p>The trial was funded by the NIH.</p></article></body></html>")
    body = zone_texts(parse(Document(id="a", source="a.html", format="html", content=page)), "body")
    assert body == ["A randomized trial of 2,000 adults found that aspirin cut heart attacks by "
                    "10%. Critics say the benefit was small.", "The trial was funded by the NIH."]
    assert not any("John Smith" in text for text in body)


def test_a_one_paragraph_page_does_not_take_menu_words_for_paragraphs() -> None:
    # the paragraph holds the word "Health", and so does the menu: only blocks that make up the
    # paragraph, in order, split it
    page = ("<html><head><title>Coffee and heart health</title></head><body><nav><ul>"
            "<li><a href=\"/\">Home</a></li><li><a href=\"/health\">Health</a></li></ul></nav>"
            "<article><p>A randomized trial of 4,000 adults found that drinking coffee did not "
            "change heart health. The study was funded by the National Institutes of Health.</p>"
            "</article><footer><p>Share</p></footer></body></html>")
    doc = parse(Document(id="a", source="a.html", format="html", content=page))
    assert zone_texts(doc, "body") == [
        "A randomized trial of 4,000 adults found that drinking coffee did not change heart "
        "health. The study was funded by the National Institutes of Health."]


def test_markdown_of_more_brackets_than_a_link_search_can_afford_is_read_as_text() -> None:
    # markdown-it looks for a link's label from every "[": 400 KB of them took 15 s
    from credscore.parse.markdown import MAX_BRACKETS, markdown_blocks

    text = "Brackets\n\n" + "[a " * (MAX_BRACKETS + 1) + "\n\nA [link](https://example.org) after.\n"
    blocks, _ = markdown_blocks(text)
    assert "".join(seg for b in blocks for seg, _ in b.segments).count("[") == MAX_BRACKETS + 2
    assert all(target is None for b in blocks for _, target in b.segments)
    few, _ = markdown_blocks("A [link](https://example.org) and [another](https://example.com).\n")
    assert [t for b in few for _, t in b.segments if t] == ["https://example.org", "https://example.com"]


def test_a_mark_standing_alone_is_not_a_word() -> None:
    """A dash between spaces, an ampersand or a section break of asterisks or dots does not
    lengthen an article: its word count, which criteria scored per word and a short text's
    raise read, is that of the same text without them, and a row of marks is never its title."""
    para = "A new study of coffee drinkers suggests a link with lower risk. Researchers said more."
    more = "The trial followed 2,000 adults for ten years. Its authors called for larger trials."
    plain = parse(Document(id="p", source="p", format="text", content=f"{para}\n\n{more}"))
    marked = parse(Document(id="m", source="m", format="text",
                            content=f"{para}\n\n* * * * * * * * * *\n\n— & . . . ### {more}"))
    assert marked.words == plain.words == len(para.split()) + len(more.split())
    assert marked.title is None and zone_texts(marked, "title") == []
    # a word or a number with marks in or around it still counts ("well-known", "3.5", "#1",
    # "(the"); the "&" between two names does not
    counted = parse(Document(id="c", source="c", format="text",
                             content="The well-known drug cut risk 3.5 times, Smith & Jones "
                                     "(the #1 team) said."))
    assert zone_texts(counted, "body") and counted.words == 13
    # nor is a Markdown heading of marks alone (a rule drawn as "# * * *") the title
    ruled = parse(Document(id="r", source="r", format="markdown", content=f"# * * *\n\n{para}"))
    assert ruled.title is None and ruled.words == len(para.split())


@given(st.text(alphabet=st.sampled_from("ab1 —-&*._\n"), max_size=80))
@settings(max_examples=200, deadline=None)
def test_the_word_count_is_the_same_from_the_model_and_the_parser(text: str) -> None:
    from credscore.parse import ParseError, parse_text

    doc = Document(id="h", source="h", format="text", content=text)
    try:
        fast = parse_text(doc)
    except ParseError:  # a text of whitespace alone is refused by both
        with pytest.raises(ParseError):
            parse(doc)
        return
    assert ParsedDocument.model_validate(parse(doc).model_dump()).words == fast.words


def test_a_quotation_that_ends_a_sentence_is_no_title() -> None:
    """With no headline, a short paragraph is taken for the title only when it does not end in
    a period; one inside a closing quotation mark ends it as well."""
    quote = 'Dr. Brickman put it bluntly: "People should not expect a pill to protect their memory."'
    doc = parse(Document(id="q", source="q", format="text",
                         content="WASHINGTON (AP) - A new pill did not slow memory loss in older "
                                 "adults, a trial found.\n\nThe study of 400 adults was published"
                                 f" in JAMA.\n\n{quote}\n"))
    assert doc.title is None
    assert quote in zone_texts(doc, "body")


def test_a_paragraph_of_prose_with_the_marks_of_a_citation_is_the_articles() -> None:
    """A year, "et al." and a journal make a reference entry of a short block, not of a
    paragraph that goes on in lower-case words: the caveats in it are the article's."""
    prose = ("In the VITAL trial, published in 2019 in the New England Journal of Medicine, "
             "Manson et al. found that fish oil did not lower the overall risk of heart attack or "
             "stroke in 25,871 adults. But the trial was not designed to settle the question, and "
             "independent experts cautioned that the results may not apply to people who eat "
             "little fish.")
    entry = ("Manson JE, Cook NR, Lee IM, et al. Marine n-3 fatty acids and prevention of "
             "cardiovascular disease and cancer. N Engl J Med. 2019;380(1):23-32.")
    doc = parse(Document(id="p", source="p", format="text",
                         content=f"Fish oil and the heart\n\nFish oil pills did not prevent heart "
                                 f"attacks, a large trial found.\n\n{prose}\n\n{entry}\n"))
    assert prose in zone_texts(doc, "body")
    assert zone_texts(doc, "references") == [entry]


@pytest.mark.parametrize(("line", "zone"), [
    # a chrome or promotion phrase in a sentence that reports what a study found or someone said
    ("Patients who saw their doctors through video visits were just as satisfied as those who "
     "had in-person visits, according to a survey of 1,200 adults.", "body"),
    ("The app's privacy policy let it share users' health data with advertisers, the study "
     "found.", "body"),
    ("Protection from the vaccine lasted only a limited time, the study found.", "body"),
    # ... and the same phrases as the page's own furniture, whatever data it says it has
    ("Privacy Policy", "boilerplate"),
    ("Limited time offer: get 20% off your first order today!", "promo"),
    ("We use cookies to improve your experience, and our data shows most readers accept them.",
     "boilerplate"),
    ("All rights reserved. Content may be reproduced only according to our terms of use.",
     "boilerplate"),
    ("Studies found that our formula works. Order now!", "promo"),
    ("Research shows 9 in 10 users sleep better. Try it risk-free for 60 days.", "promo"),
])
def test_a_chrome_phrase_in_reported_news_stays_the_articles(line: str, zone: str) -> None:
    doc = parse(Document(id="c", source="c", format="text",
                         content=f"Telehealth and patients\n\nA survey of 1,200 adults found "
                                 f"that most were satisfied with telehealth.\n\n{line}\n\nThe "
                                 "researchers said more work is needed to compare costs."))
    assert [b.zone for b in doc.blocks if doc.text[b.start:b.end] == line] == [zone]


def test_key_points_above_a_newsletter_box_are_the_articles_and_a_sales_list_is_not() -> None:
    """A list directly above a call to action joins the promotion when its items are selling
    points; items that are sentences are the article's own key points."""
    key_points = ("# New obesity drug\n\nA trial of 400 adults found the drug cut weight by 12%, "
                  "researchers said.\n\n## Key points\n\n- The drug cut weight by 12% over a "
                  "year.\n- Side effects included constipation and injection-site pain.\n- The "
                  "drug will cost about $7,000 a year, and insurers may limit coverage.\n\nGet "
                  "the latest health news in your inbox. Sign up for our free newsletter!\n")
    doc = parse(Document(id="k", source="k", format="markdown", content=key_points))
    body = zone_texts(doc, "body")
    assert "Key points" in body
    assert "Side effects included constipation and injection-site pain." in body
    assert len(zone_texts(doc, "promo")) == 1
    sales = ("# Bone Health Program\n\nOur program helps you build stronger bones.\n\n## What "
             "you get\n\n- 30 bone-building recipes\n- Weekly exercise videos\n- Free "
             "shipping\n\nOrder now and get 20% off. Sign up today!\n")
    doc = parse(Document(id="s", source="s", format="markdown", content=sales))
    assert zone_texts(doc, "promo")[:4] == ["What you get", "30 bone-building recipes",
                                            "Weekly exercise videos", "Free shipping"]
    # sentences that speak to the reader, or of "our" product, are the promotion's
    for heading, items in (("Get our newsletter", ["You'll get our best recipes every week.",
                                                   "You can unsubscribe at any time with one click."]),
                           ("Why choose our formula?", ["It is made with all natural ingredients.",
                                                        "Every bottle is tested in a US lab."])):
        box = ("# Sleep better\n\nA trial of 300 adults found melatonin helped a little, "
               f"researchers said.\n\n## {heading}\n\n" + "".join(f"- {t}\n" for t in items)
               + "\nSign up for our free newsletter today! Order now and get 20% off!\n")
        doc = parse(Document(id="b", source="b", format="markdown", content=box))
        assert zone_texts(doc, "promo")[:3] == [heading, *items]


def test_references_in_the_medical_style_are_references() -> None:
    """Vancouver entries ("Smith J, Lee K. Title. Journal. 2019;51:101-109.") carry the marks
    of a citation: authors as surname and initials, and a year with its volume."""
    entries = ["Smith J, Lee K. Running and bone density in older women. Med Sci Sports Exerc. "
               "2019;51:101-109.", "Brown A. Exercise and fractures. Osteoporos Int. "
               "2020;31:55-60."]
    text = ("# Running and bones\n\nA trial of 300 women found running helped bone density, "
            "researchers said.\n\n## References\n\n" + "".join(f"{n}. {e}\n"
                                                              for n, e in enumerate(entries, 1)))
    doc = parse(Document(id="v", source="v", format="markdown", content=text))
    assert zone_texts(doc, "references") == ["References", *entries]


@pytest.mark.parametrize("line", [
    "The FDA, which approved the drug in 2019, said the journal article overstated its benefits.",
    "At MIT, researchers in 2020 published a review of 40 earlier studies.",
])
def test_an_acronym_and_a_comma_are_no_authors_initials(line: str) -> None:
    doc = parse(Document(id="a", source="a", format="text",
                         content=f"Drug review\n\nA new drug was approved last year.\n\n{line}\n"))
    assert line in zone_texts(doc, "body")


def test_a_headline_that_ends_in_a_bracketed_abbreviation_is_still_the_title() -> None:
    doc = parse(Document(id="t", source="t", format="text",
                         content="Aspirin linked to lower colon cancer risk (U.S.)\n\nA study of "
                                 "10,000 adults found a lower risk, researchers said.\n"))
    assert doc.title == "Aspirin linked to lower colon cancer risk (U.S.)"


BODY = ("Health officials reported 60 confirmed cases this week, most of them in children who had "
        "not been vaccinated.\n\nThe state has opened two clinics, and doctors urge parents to "
        "check their children's records.\n")


@pytest.mark.parametrize("headline", [
    # an initialism's stop ends no sentence
    "Doctors issue measles warning as cases rise across the U.S.",
    # a headline cut short
    "Pay Attention: Health Officials Just Told Us How They Will...",
    # a headline of two sentences in a title's case
    "They Have Measles. This Clinic May Be Their Best Hope.",
])
def test_a_first_line_that_ends_as_no_sentence_is_the_title(headline: str) -> None:
    doc = parse(Document(id="h", source="h", format="text", content=f"{headline}\n\n{BODY}"))
    assert doc.title == headline


@pytest.mark.parametrize("first", [
    # a sentence, however many names it holds
    "Dr. Arie Kaufman of SUNY Stony Brook demonstrated the new test for CBS New York.",
    # sentences of short words, a notice in capitals, a credit line, a list of tags
    "Oh no. Not for me. It is not.",
    "THESE STATEMENTS HAVE NOT BEEN EVALUATED BY THE FOOD AND DRUG ADMINISTRATION.",
    "Photo Credit: Jane Roe / Getty Images.",
    "Tags: Measles, Vaccines, Public Health, Children, Outbreaks.",
    # a lede of more than 25 words with no full stop, however it ends
    "Researchers at the state university said the vaccine cut the risk of measles by 97 percent "
    "in a study of 4,000 children published this week in the New England Journal of Medicine",
    # a word or two
    "Photo",
])
def test_a_first_line_that_ends_as_a_sentence_or_caption_is_not_the_title(first: str) -> None:
    doc = parse(Document(id="h", source="h", format="text", content=f"{first}\n\n{BODY}"))
    assert doc.title is None
    assert first in zone_texts(doc, "body")


def test_a_byline_above_the_headline_is_not_taken_for_it() -> None:
    """A byline in a title's case that ends with a full stop is still a byline: the headline
    under it is the title."""
    for byline in ("By Jane Roe and John Doe, The Associated Press.",
                   "Written By Jane Roberts. Reviewed By John Doe."):
        doc = parse(Document(id="b", source="b", format="text",
                             content=f"{byline}\n\nMeasles cases climb in three states\n\n{BODY}"))
        assert doc.title == "Measles cases climb in three states"


def test_a_headline_over_its_text_may_end_with_an_initialism() -> None:
    """A headline set over the first paragraph with a single line break, ending with "U.S.",
    is the title, as one ending with a word is."""
    headline = "Measles cases rise across the U.S."
    doc = parse(Document(id="s", source="s", format="text",
                         content=f"{headline}\n{BODY}"))
    assert doc.title == headline
    assert headline not in " ".join(zone_texts(doc, "body"))
