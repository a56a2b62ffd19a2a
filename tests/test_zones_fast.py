"""The fast forms of the zone rules decide exactly as the rules as written."""

from __future__ import annotations

import re
import sys

import yaml
from hypothesis import given
from hypothesis import strategies as st

from credscore.models import Document
from credscore.parse import parse, quotes, zones
from credscore.patterns import IGNORECASE_EXTRAS, caseless, phrase_prefix, phrase_regex

DIGITS = "0123456789\u0663\u00b2"


@given(st.text(alphabet=DIGITS + "19 20a-", max_size=24))
def test_has_year_is_the_year_regex(text: str) -> None:
    assert zones.has_year(text) == (zones.YEAR.search(text) is not None)


def all_cues(text: str) -> int:
    return sum(1 for cue in (zones._NUMBERED.match, zones._SURNAME_GIVEN.match, zones.YEAR.search,
                             zones._QUOTED_TITLE.search, zones._ET_AL.search,
                             publication) if cue(text))


def publication(text: str) -> bool:
    return bool(zones._PUBLICATION.search(text) or zones._PUBLICATION_NAME.search(text))


REFERENCE_WORDS = st.sampled_from(["1.", "[2]", "Smith, J.", "Smith", "2019", "12019", "et al",
                                   "ET AL", "Et Al.", "eta l", "sweet alike",
                                   '"A title of words"', "Journal", "doi", "Lancet", "x", "(3)",
                                   "pp", "12(4)", "and", "Nature", "nature", "SCIENCE",
                                   "science"])


@given(st.lists(REFERENCE_WORDS, max_size=8), st.integers(1, 6))
def test_reference_cues_answer_the_comparison(words: list[str], enough: int) -> None:
    text = " ".join(words)
    gate = zones._NUMBERED.match(text) or "et al" in text or zones.YEAR.search(text)
    expected = all_cues(text) if gate else 0
    assert (zones.reference_cues(text, enough) >= enough) == (expected >= enough)
    assert zones.reference_cues(text) == expected


def test_ignorecase_extras_cover_every_phrase_character() -> None:
    """Every character that ``re.IGNORECASE`` matches to a phrase's letter but that lowers to
    something else is in IGNORECASE_EXTRAS (only cased characters can match another one)."""
    rules = yaml.safe_load((zones.resources.files("credscore.parse") / "zone_rules.yaml")
                           .read_text("utf-8"))
    alphabet = {c for phrases in rules.values() for p in phrases for c in p.lower()} | set(
        "abcdefghijklmnopqrstuvwxyz")
    cased = [chr(c) for c in range(sys.maxunicode + 1)
             if chr(c).lower() != chr(c) or chr(c).upper() != chr(c)]
    for letter in alphabet:
        same = re.compile(re.escape(letter), re.IGNORECASE)
        for ch in cased:
            if same.fullmatch(ch) and ch.lower() != letter:
                assert ch in IGNORECASE_EXTRAS, (letter, ch)


PHRASE_WORDS = st.text(alphabet="abcsiı-©2(0)İSIK", min_size=1, max_size=5)


@given(st.lists(st.sampled_from(["sign up", "subscri*", "© 20*", "close (esc)", "is it",
                                 "kiss", "s", "stud* show"]), min_size=1, max_size=3),
       st.lists(PHRASE_WORDS, max_size=5))
def test_a_phrase_match_begins_with_its_prefix(phrases: list[str], words: list[str]) -> None:
    text = " ".join(words)  # a block: words one space apart
    found = re.compile(phrase_regex(phrases), re.IGNORECASE)
    if any(c in IGNORECASE_EXTRAS for c in text):
        return  # the prefilter is not used on such text
    lowered = text.lower()
    for m in found.finditer(text):
        assert any(lowered.startswith(phrase_prefix(p), m.start()) for p in phrases)
        assert m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_")


def test_blocks_without_phrase_words_are_zoned_as_before() -> None:
    text = ("Skip to content\n\nSubscribe to our newsletter today and get the free report\n\n"
            "The research team searched records of 2,000 patients in a trial.\n\n"
            "Sign up now for our free guide\n\nShare this")
    parsed = parse(Document(id="a", source="a", format="text", content=text))
    assert [b.zone for b in parsed.blocks] == ["boilerplate", "promo", "body", "promo",
                                               "boilerplate"]


ATTRIBUTION_WORDS = st.sampled_from(["said", "SAYS", "Saying", "saidx", "xsaid", "according to",
                                     "According  to", "ſaid", "İ", "K", "_told", "told_", "wrote",
                                     '"', ".", "a", "1"])


@given(st.lists(ATTRIBUTION_WORDS, max_size=6), st.sampled_from([" ", "", "\n", "-"]))
def test_attribution_in_lowered_text_is_the_case_blind_search(words: list[str], sep: str) -> None:
    text = sep.join(words)
    lowered = caseless(text)
    expected = quotes._ATTRIBUTION.search(text) is not None
    assert quotes.is_attributed(text, 0, len(text)) == expected
    if lowered is not None:
        assert quotes.is_attributed(text, 0, len(text), lowered) == expected


# Every word the attribution pattern matches, and words that begin like one of them.
ATTRIBUTION_FORMS = ["said", "says", "say", "saying", "explain", "explains", "explained", "notes",
                     "noted", "adds", "added", "told", "tells", "reports", "reported",
                     "according to", "states", "stated", "comments", "commented", "wrote",
                     "writes", "concludes", "concluded", "believes", "argues", "argued", "warns",
                     "warned", "recalls", "recalled", "asked"]
NEAR_FORMS = ["not", "nothing", "another", "statistics", "address", "reporter", "sayings",
              "according", "warning", "unsaid", "tolder"]


def test_every_word_of_attribution_begins_with_a_stem() -> None:
    for word in ATTRIBUTION_FORMS:
        assert quotes._ATTRIBUTION_LOWERED.fullmatch(word)
        assert word.startswith(quotes._ATTRIBUTION_STEMS)


@given(st.lists(st.sampled_from([*ATTRIBUTION_FORMS, *NEAR_FORMS, "x", "_", "1", "-", '"']),
                max_size=5),
       st.sampled_from([" ", "", "-"]), st.integers(0, 3), st.integers(0, 3))
def test_attribution_found_at_stems_is_the_search(words: list[str], sep: str, lo: int,
                                                   cut: int) -> None:
    text = sep.join(words)
    end = max(lo, len(text) - cut)
    expected = quotes._ATTRIBUTION_LOWERED.search(text, lo, end) is not None
    assert quotes.is_attributed(text, lo, end, text) == expected


COMMENTER_WORDS = st.sampled_from(["Jane", "says", "SAID:", "at", "@", "5:12", "pm", "p.m.", "12",
                                   "3.", "Reply", "reply to this comment", "log in to reply", ":",
                                   "March 3, 2020", "x", "!"])


@given(st.lists(COMMENTER_WORDS, max_size=7), st.sampled_from([" ", "", "  "]))
def test_commenter_line_is_within_the_combined_pattern(words: list[str], sep: str) -> None:
    """Each form tried on its own finds no line the three forms together would not; the name
    before "says" or a time is then checked (see the examples below)."""
    text = sep.join(words)
    combined = re.compile(f"{zones._SAYS_TEXT}|{zones._AT_TIME_TEXT}|{zones._REPLY_TEXT}",
                          re.IGNORECASE)
    if zones._is_commenter_line(text):
        assert combined.search(text) is not None




def test_a_link_to_the_page_in_another_language_is_not_the_author() -> None:
    # "En Español" above a byline was taken for a bare name line beside it, and credited as the
    # author instead of the name in the byline
    text = ("Drug Trial Shows Promise\n\nEn Español\n\nBy Amy Norton\n\nHealthDay Reporter\n\n"
            "THURSDAY, Oct. 18, 2018 (HealthDay News) -- Two trials found that a drug helped.\n")
    doc = parse(Document(id="a", source="a", format="text", content=text))
    zoned = {doc.text[b.start:b.end]: b.zone for b in doc.blocks}
    assert zoned["En Español"] == "boilerplate" and zoned["By Amy Norton"] == "byline"


def test_a_link_to_another_article_by_its_headline_is_site_chrome() -> None:
    # "Read more: ... major study finds" between two paragraphs was read as the article's own
    # words: its headline's hype and study words counted for the article
    body = "The trial enrolled 400 adults and lasted two years, the researchers said."
    teasers = ["Read more: Wonder drug cures cancer, major study finds",
               "More:The hidden side of dementia: Families fight over care",
               "Related: How to Lose Weight and Keep it Off? Eternal Dieting Vigilance",
               "RELATED STORIES: New drug may help MS"]
    kept = ["More research is needed: the trial was small and short, she said.",
            "Moreover: the effect faded after a year.",
            "Read more: " + " ".join(["word"] * 40),  # too long for a headline
            # a sentence of the article's own after the label, and a link to the study
            "Related: adults over 70 should get 800 IU of vitamin D a day, the panel said.",
            "Read more: The study, published in JAMA Internal Medicine, is at "
            "https://doi.org/10.1001/jamainternmed.2020.1234"]
    zoned = _zoned_between(body, [*teasers, *kept])
    assert [zoned[t] for t in teasers] == ["boilerplate"] * len(teasers)
    assert [zoned[t] for t in kept] == ["body"] * len(kept)


def test_a_video_teaser_is_site_chrome() -> None:
    # "WATCH: The naked mole rat might help us cure cancer" between two paragraphs was read as
    # the article's own promise of a cure
    body = "The trial enrolled 400 adults and lasted two years, the researchers said."
    chrome = ["WATCH: The naked mole rat might help us cure cancer",
              "Video: Can this pill reverse ageing?"]
    kept = ["Watch for signs of a stroke: a drooping face, a weak arm, slurred speech.",
            "Video visits were as good as clinic visits for most patients, the survey found."]
    zoned = _zoned_between(body, [*chrome, *kept])
    assert [zoned[t] for t in chrome] == ["boilerplate"] * len(chrome)
    assert [zoned[t] for t in kept] == ["body"] * len(kept)

def test_a_prompt_to_follow_the_writer_on_social_media_is_site_chrome() -> None:
    # "Follow me on Twitter @..." under a story was read as the writer's own words: its "me"
    # counted as personal testimony against the article's balance
    body = "The trial enrolled 400 adults and lasted two years, the researchers said."
    prompts = ["Follow me on Twitter @ReporterHandle and like our page on Facebook.",
               "Find us on Instagram: @healthdesk"]
    kept = ["Follow the guidance your doctor gives you, she said, and on Twitter the agency "
            "repeated it."]
    zoned = _zoned_between(body, [*prompts, *kept])
    assert [zoned[t] for t in prompts] == ["boilerplate"] * len(prompts)
    assert [zoned[t] for t in kept] == ["body"] * len(kept)


def _zoned_between(body: str, blocks: list[str]) -> dict[str, str]:
    """The zone of each block, parsed between two paragraphs of ``body`` under a title."""
    text = "Trial Title\n\n" + "\n\n".join([body, *blocks, body]) + "\n"
    doc = parse(Document(id="a", source="a", format="text", content=text))
    return {doc.text[b.start:b.end]: b.zone for b in doc.blocks}
