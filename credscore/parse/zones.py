"""Zone detection: which part of a page each block and sentence belongs to.

The phrase lists live in ``zone_rules.yaml``; this module holds the structural rules that use
them (position, block length, sections opened by a heading, clusters of site chrome). The rules
are documented in ``docs/parsing.md``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import ahocorasick
import yaml

from credscore.models import Zone
from credscore.parse.blocks import AssembledBlock
from credscore.parse.normalize import normalize_inline
from credscore.parse.quotes import speaker, speaks
from credscore.patterns import caseless, is_word_char, phrase_prefix, phrase_regex
from credscore.words import spans_word_counts, word_count

# How long a block may be and still be site chrome, a call to action, or a section heading.
BOILERPLATE_MAX_WORDS = 30
PROMO_MAX_WORDS_ONE_CUE = 25
PROMO_MAX_WORDS_TWO_CUES = 60
HEADING_MAX_WORDS = 6
EXACT_CHROME_MAX_WORDS = 4
CHROME_FRAGMENT_MAX_WORDS = 4
PROMO_BOX_MAX_WORDS = 15
# A sentence of this many words that reads as prose holds a chrome or promotion phrase as the
# article's (see _in_prose); a shorter one ("Free shipping on orders over $50.", "The app comes
# with a free trial of two weeks.") is a line of the page's.
PROSE_MIN_WORDS = 11
# A block of the article of this many words that another block repeats word for word is counted
# once (see _echoes); shorter runs ("Read more", "Talk to your doctor") recur in any text. A copy
# is at most ECHO_MAX_WORDS long (a pull quote, a heading, a caption, a summary point), the first
# ECHO_MAX_COPIES such blocks are looked for, and each is found at most ECHO_MAX_FOUND times.
ECHO_MIN_WORDS = 6
ECHO_MAX_WORDS = 40
ECHO_MAX_COPIES = 200
ECHO_MAX_FOUND = 32
BREADCRUMB_MAX_WORDS = 12
RELATED_MAX_WORDS = 25  # the longest headline a list of links to other articles holds
_CLOSERS = "\"'\u201d\u2019)] "
REFERENCE_MAX_WORDS = 90
REFERENCE_MIN_CUES = 3
# A block with this many words in lower case is prose, whatever marks of a citation it holds ("In
# the VITAL trial, published in 2019 in the New England Journal of Medicine, Manson et al.
# found that fish oil did not lower ..."): a reference with a long title in sentence case and
# its authors has about 35.
REFERENCE_MAX_PROSE_WORDS = 40
TITLE_WORDS = (3, 25)
HEADER_BLOCKS = 10  # title and byline are looked for among the first blocks only
# A block of text above the lede this short is a caption ("Acme Health logo."), not the lede.
CAPTION_MAX_WORDS = 8
MAX_ABOVE_LEDE = 3  # subtitles and captions looked past for the lede

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d|"
    rf"\d{{1,2}}\s+{_MONTH},?\s+(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)\b",
    re.IGNORECASE,
)
# A year: what ``has_year`` looks for, in a faster way.
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
# A list's number: "1.", "[2]", "3)", or a bare number before a capital ("1 Smith J"), not a
# quantity ("30 minutes of brisk walking a day ...").
_NUMBERED = re.compile(r"^\[?\d{1,3}(?:[\].)]\s+\S|\s+[^\sa-z])")
# "Surname, Given" first, or the medical (Vancouver) "Surname AB, Surname C" or "Surname AB.
# Title" (not "The FDA, which ..." nor "At MIT, researchers ..." nor a sentence's adverb:
# "However, Danish researchers ...").
_SENTENCE_ADVERB = (
    r"However|Still|Yet|Also|Instead|Meanwhile|Overall|Similarly|Nevertheless|Nonetheless|"
    r"Moreover|Furthermore|Finally|First|Second|Third|Today|Now|Later|Earlier|Previously|"
    r"Separately|Indeed|Then|Thus|Therefore|Here|There|Last|Next|Again|Likewise|Otherwise|"
    r"Notably|Importantly|Specifically|Recently|Currently|Ultimately|Besides|Conversely|"
    r"Alternatively|Even|Unfortunately|Fortunately|Interestingly|Surprisingly")
_SURNAME_GIVEN = re.compile(
    r"^(?:\[?\d{1,3}[\].)]?\s+)?(?:(?!(?:" + _SENTENCE_ADVERB + r"),)"
    r"[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?,\s+[A-Z]|"
    r"(?!(?:The|A|An|At|In|On|For|By|And|But|Dr|Mr|Mrs|Ms|Prof)\s)[A-Z][\w'-]+\s[A-Z]{1,3}"
    r"(?:,\s[A-Z][\w'-]+\s[A-Z]{1,3}\b|\.\s[A-Z]))")
_QUOTED_TITLE = re.compile(r"\"[^\"]*?\w+\W+\w+\W+\w+[^\"]*\"")
_ET_AL = re.compile(r"\bet al\b", re.IGNORECASE)
_PUBLICATION_TEXT = (
    r"\b(?:journal|proceedings|bulletin|lancet|jama|bmj|doi|pmid|pubmed|pmc\d+|vol|pp|pdf|"
    r"retrieved|accessed|isbn)\b|https?://|\d+\(\d+\)|"
    r"\b(?:19|20)\d\d;\s?\d+"  # a year and a volume, as in "2019;51:101-109"
)
_PUBLICATION = re.compile(_PUBLICATION_TEXT, re.IGNORECASE)
# The same in the text lower-cased by :func:`~credscore.patterns.caseless`: several times faster
# than folding case at every position, the slowest of a reference's marks to look for.
_PUBLICATION_LOWERED = re.compile(_PUBLICATION_TEXT)
# Words that name a publication only as a name does, capitalised ("Nature", "Science", "Oxford
# University Press", "Annual Review of ..."): in lower case they are prose ("a science writer",
# "a press release", "the nature of", "peer review", "on the web").
_PUBLICATION_NAME = re.compile(r"\b(?:Press|Review|Nature|Science|Web|PRESS|REVIEW|NATURE|SCIENCE|"
                               r"WEB)\b")
# A commenter line: "Jane says:", "Mo on March 3, 2020 at 5:12 pm", or a lone "Reply" button.
_SAYS_TEXT = (r"^\W*(?:\d{1,3}[.)]\s*)?(?P<name>[\w.' -]{1,40}?)\s+"
              r"(?:says|said|wrote|writes|commented)\s*:?\s*$")
_AT_TIME_TEXT = r"\b(?:at|@)\s+\d{1,2}:\d\d\s*(?:[ap]\.?m\.?)?\s*$"
_REPLY_TEXT = r"^(?:reply|reply to this comment|log in to reply)$"
# Comments found by commenter lines alone must begin after this share of the page.
COMMENTS_START_SHARE = 0.4
# The line that heads a comment, keeping a promotion or chrome next to it in the thread: "Jane
# says:", or a time with a date or a name before it ("Mo on March 3, 2021 at 5:12 pm"); a bare
# time ("... every weekday at 9:00 am") is not enough.
COMMENT_HEAD_MAX_WORDS = 12
_SAYS = re.compile(_SAYS_TEXT, re.IGNORECASE)
_AT_TIME = re.compile(r"\s*" + _AT_TIME_TEXT, re.IGNORECASE)  # with the blanks before it
# A commenter's name before the time: a handle or a name of up to three capitalised words.
# (possessive throughout: ".", "'" and "-" are in both classes, and a line of thousands of them
# was otherwise split every way before it failed, in time cubic in its length)
_HEAD_NAME = re.compile(r"^\W*+(?:\d{1,3}[.)]\s*+)?[\w.'-]++(?:\s++[A-Z][\w.'-]*+){0,2}\W*+$")
_REPLY_BUTTON = re.compile(_REPLY_TEXT, re.IGNORECASE)
# A commenter's name (a word, then up to two capitalised ones) and the dash or dot before the
# date of the comment (see _dated_head).
_DASHED_NAME = re.compile(r"\W*+[\w.'-]++(?:\s++[A-Z][\w.'-]*+){0,2}\W*?\s+[\u2014\u2013\u2022\u00b7|-]\s+")
_TIME_AGO = re.compile(r"(?:\d{1,3}|an?|one)\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|"
                       r"years?)\s+ago", re.IGNORECASE)
# A numbered commenter: "11. Ross Bayne", "3) shula".
_NUMBERED_COMMENTER = re.compile(r"^\W*(\d{1,4})[.)]\s+[^\W\d][\w.', -]{0,40}$")
NUMBERED_COMMENTER_MAX_WORDS = 6
_NAME_LINE = re.compile(r"^(?:[A-Z][\w'.-]*\s){1,3}[A-Z][\w'.-]*(?:,\s*[A-Z]{2,5})?$")
# Both read a run of marks once: the plain forms ("[.!?]\W*$", "[\W\d]+$") tried the rest of
# a run from every character in it, quadratic on a line of thousands of dots.
_ENDS_SENTENCE = re.compile(r"[.!?][^\w.!?]*+$")  # the last [.!?] and only marks after it
_PUNCTUATION = re.compile(r"[^\w\s]")
_WORD_CHAR = re.compile(r"\w")
_EDGE_MARKS = re.compile(r"^[\W\d]++|(?<![\W\d])[\W\d]++$")  # "12 Comments", "References:"
_DOI = re.compile(r"\b10\.\d{4,9}/\S")
# The line that ends a press release's own text: "###", "# # #", "-30-".
_END_MARK = re.compile(r"^\W*(?:#\s*#\s*#|-\s*30\s*-)\W*$")
# A denial up to three words before a promotion cue: "not risk-free", "none are risk-free".
# Only a denial that states something ("is not", "none are", "isn't"), not an imperative ("Don't
# forget to subscribe", which still asks).
_NEGATION_BEFORE = re.compile(
    r"\b(?:not|never|none|nothing|no|(?:is|are|was|were|ain)n't)(?:\s+[\w'-]+){0,3}\s+\Z",
    re.IGNORECASE)
NEGATION_REACH = 60  # characters before a cue read for the denial
# What someone is reported to have said: a block with it and a single promotion cue is news.
# Narrower than quotes.is_attributed's words, some of which offers use ("our free reports",
# "frequently asked questions").
_REPORTED = re.compile(r"\b(?:said|says|told|reported|according\s+to)\b", re.IGNORECASE)
# A sentence that ends by saying which study found it, or says whose survey it is from: news,
# whatever chrome or promotion phrase it holds ("... only a limited time, the study found.",
# "... video visits ..., according to a survey of 1,200 adults"). A page's own "our data
# shows", "Studies found that our formula works" or "according to our terms" is not.
_FINDING_REPORTED = re.compile(
    r",\s+(?:the|a|an|this|that|one|their|his|her)\s+(?:[\w-]+\s+){0,2}?(?:study|studies|survey|"
    r"trial|analysis|review|report|researchers|scientists|authors)\s+(?:found|showed|suggested|"
    r"concluded|reported|said)\W*$|\baccording\s+to\s+(?:a|an|the|this|that|one)\s+(?:[\w-]+\s+)"
    r"{0,2}?(?:study|survey|trial|analysis|review|report)\b", re.IGNORECASE)
# "by" after a date cue ("Updated by: Jane Doe"), and a time said relative to now.
_BY_WORD = re.compile(r"by\b[\s:]*")
_RELATIVE_TIME = re.compile(r"^(?:today|yesterday|tonight|just now|earlier|recently)\b|\bago\b")
_ABOUT_HEADING = re.compile(r"^about\s+\S", re.IGNORECASE)
_ADDRESS = re.compile(r"https?://|www\.|\bdoi\b|\b10\.\d{4,9}/", re.IGNORECASE)
ABOUT_HEADING_MAX_WORDS = 12
# A heading that names a disclaimer's topic is at most this long; a paragraph begins a
# disclaimer when it names the topic within its first words.
DISCLAIMER_HEADING_MAX_WORDS = 12
DISCLAIMER_OPENING_WORDS = 25
DISCLAIMER_OPENING_CHARS = 400
# A disclaimer known by its topic alone starts no earlier than this share of the words.
DISCLAIMER_FROM = 0.5
# A block with this many marks of a reference ends a disclaimer: the release's notes, which
# need not carry enough marks to be a reference list of their own.
SECTION_END_CUES = 2
# An item of a list in running text ends in a semicolon or comma, or in "and" / "or" before
# the next item, and the line that leads into the list in a colon: it continues a section, it
# does not head one.
_LIST_ITEM_END = re.compile(r"(?:[;,:]|\b(?:and|or))\W*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ZoneRules:
    boilerplate: re.Pattern[str]
    boilerplate_exact: frozenset[str]
    promo: re.Pattern[str]
    not_prose: re.Pattern[str]
    comments_start: re.Pattern[str]
    references_start: re.Pattern[str]
    related_start: re.Pattern[str]
    organisation: re.Pattern[str]
    study_statement: re.Pattern[str]
    disclaimer_start: re.Pattern[str]
    disclaimer_topic: re.Pattern[str]
    disclaimer_terms: re.Pattern[str]
    byline: re.Pattern[str]
    teaser: re.Pattern[str]
    # The beginning of every boilerplate and promo phrase, each keyed to the lists that need
    # it: a block holding none of a list's beginnings cannot match its regex, which is then
    # not run.
    beginnings: ahocorasick.Automaton


# The phrase lists that every short block is searched for, and so worth a prefilter.
_PREFILTERED = ("boilerplate", "promo")
# The most words a block can have and be read for those lists (see is_boilerplate, is_promo).
_LONGEST_MARKED = max(BOILERPLATE_MAX_WORDS, PROMO_MAX_WORDS_TWO_CUES)


@cache
def zone_rules() -> ZoneRules:
    text = resources.files(__package__).joinpath("zone_rules.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when there

    def compiled(key: str) -> re.Pattern[str]:
        return re.compile(phrase_regex(raw[key]), re.IGNORECASE)

    lists: dict[str, set[str]] = {}
    for key in _PREFILTERED:
        for phrase in raw[key]:
            lists.setdefault(phrase_prefix(phrase), set()).add(key)
    beginnings = ahocorasick.Automaton(ahocorasick.STORE_ANY)
    for beginning, keys in lists.items():
        beginnings.add_word(beginning, (len(beginning), frozenset(keys)))
    beginnings.make_automaton()

    return ZoneRules(
        boilerplate=compiled("boilerplate"),
        boilerplate_exact=frozenset(p.lower() for p in raw["boilerplate_exact"]),
        promo=compiled("promo"),
        not_prose=compiled("not_prose"),
        comments_start=compiled("comments_start"),
        references_start=compiled("references_start"),
        related_start=compiled("related_start"),
        organisation=compiled("organisation"),
        study_statement=compiled("study_statement"),
        disclaimer_start=compiled("disclaimer_start"),
        disclaimer_topic=compiled("disclaimer_topic"),
        disclaimer_terms=compiled("disclaimer_terms"),
        byline=re.compile(r"^\W*" + phrase_regex(raw["byline"]), re.IGNORECASE),
        teaser=re.compile(r"\W*(?:" + phrase_regex(raw["teaser_label"]) + r")\s*:\s*\w",
                          re.IGNORECASE),
        beginnings=beginnings,
    )


@dataclass(slots=True)
class _Features:
    text: str
    words: int
    kind: str
    hint: Zone | None
    # Whether the block holds the beginning of some boilerplate (promo) phrase; when False,
    # it cannot match that list.
    may_be_boilerplate: bool = True
    may_be_promo: bool = True
    # The text as section headings are matched against it (see _is_section_heading), made once:
    # a short block is asked whether it heads comments, references or a disclaimer.
    heading_form: str | None = None
    # Where the block leads when it is one link's text, whole, to another page (not a "#part"
    # of this one): a card's headline in a rail of other articles.
    link: str | None = None

    @property
    def heading_like(self) -> bool:
        return self.kind == "heading" or (
            self.words <= PROMO_BOX_MAX_WORDS and not self.text.rstrip().endswith(".")
        )


def _bare(text: str) -> str:
    return _PUNCTUATION.sub("", text).strip().lower()


def is_boilerplate(f: _Features, rules: ZoneRules) -> bool:
    if f.words <= EXACT_CHROME_MAX_WORDS and _bare(f.text) in rules.boilerplate_exact:
        return True
    if f.words <= BOILERPLATE_MAX_WORDS and _is_teaser(f.text, rules):
        return True  # a link to another article, by its headline
    if (f.words <= BREADCRUMB_MAX_WORDS and _BREADCRUMB.search(f.text) is not None
            and not f.text.rstrip().endswith(".")):
        return True  # where the page sits in the site: "Home > Blog > Joint Health"
    if f.words <= BOILERPLATE_MAX_WORDS and _CONTACT_LABEL.match(f.text) is not None:
        return True  # a news release's contacts: "Media contact: Dana Hill, 555-301-2299"
    # A chrome phrase in a sentence that ends by saying which study found it, or cites a study
    # or survey, is the news's ("Patients who had video visits were as satisfied, according to a
    # survey"; "The app's privacy policy let it share health data, the study found").
    # Chrome phrases in sentences of the article's prose are the article's ("Few users read the
    # terms of service.", "sweets removed from the checkout", "pop-up vaccination clinics").
    if not (f.words <= BOILERPLATE_MAX_WORDS and f.may_be_boilerplate):
        return False
    cues = [m.start() for m in rules.boilerplate.finditer(f.text)]
    return (bool(cues) and _FINDING_REPORTED.search(f.text) is None
            and not _in_prose(f.text, cues, rules))


def _is_teaser(text: str, rules: ZoneRules) -> bool:
    """Whether a short block is a link to another article: a label ("Read more:") and a
    headline, which ends in no full stop (a sentence after the label is the article's own:
    "Related: the risk rose 5%, the authors said.") and holds no web or DOI address (a link
    to the study is a citation)."""
    return (rules.teaser.match(text) is not None and not text.rstrip().endswith(".")
            and _ADDRESS.search(text) is None)


def is_promo(f: _Features, rules: ZoneRules) -> bool:
    """Whether a block is a promotion: two cues in a short block, or one in a shorter block that
    does not report what someone said ("officials urged parents to subscribe to alerts, the
    agency said" is news)."""
    if f.words > PROMO_MAX_WORDS_TWO_CUES or not f.may_be_promo:
        return False
    cues = _promo_cues(f, rules)
    return len(cues) >= 2 or (len(cues) == 1 and f.words <= PROMO_MAX_WORDS_ONE_CUE
                              and _REPORTED.search(f.text) is None
                              and _FINDING_REPORTED.search(f.text) is None
                              and not _in_prose(f.text, cues, rules))


def _promo_cues(f: _Features, rules: ZoneRules) -> list[int]:
    """Where the block's promotion cues start, those a denial before them leaves out."""
    return [m.start() for m in rules.promo.finditer(f.text) if not _negated(f.text, m.start())]


# A shop's own furniture: an offer beside it is the page selling, not the site's chrome.
_SHOP_CHROME = re.compile(r"\b(?:add\s+to\s+(?:cart|bag|basket)|(?:your|shopping|view)\s+cart|"
                          r"checkout)\b", re.IGNORECASE)


def _offer_at_cart(f: _Features, rules: ZoneRules) -> bool:
    """Whether a block of chrome is a shop's offer: two promotion cues or more beside a cart
    button ("Limited time offer: buy 3 bottles, get 2 free. Add to cart today and enjoy free
    shipping."), which is the page's promotion that sales pitches read. A news site's footer
    ("Follow us ... or sign up for our newsletter") has no cart."""
    return _SHOP_CHROME.search(f.text) is not None and len(_promo_cues(f, rules)) >= 2


def _in_prose(text: str, cues: list[int], rules: ZoneRules) -> bool:
    """Whether every cue (its start) of chrome or promotion sits in a sentence of the article's
    prose rather than a page's line: a sentence of PROSE_MIN_WORDS words or more, to a full
    stop, in a block that neither speaks to the reader nor of the site or seller ("you", "our",
    "us"), asks nothing of the reader ("Buy 3 bottles", "Add to cart") and holds nothing only a
    site writes of itself ("all rights reserved", "this website", "cookie policy").
    "Students were offered free access to the app for eight weeks." is the article's; "Free
    shipping on orders over $50." and "All rights reserved." are the page's."""
    if (_PITCH_VOICE.search(text) is not None or _IMPERATIVE.search(text) is not None
            or rules.not_prose.search(text) is not None):
        return False
    for at in cues:
        end = _SENTENCE_END.search(text, at)
        if end is None:
            return False
        before = max(text.rfind(stop, 0, at) for stop in (". ", "! ", "? "))
        if word_count(text[before + 2 if before >= 0 else 0:end.end()]) < PROSE_MIN_WORDS:
            return False
    return True


def _negated(text: str, at: int) -> bool:
    """Whether the promotion cue at ``at`` is denied by a word just before it: "it is not
    risk-free" and "none are risk-free" warn of harms, they offer nothing."""
    return _NEGATION_BEFORE.search(text, max(0, at - NEGATION_REACH), at) is not None


def _is_section_heading(f: _Features, pattern: re.Pattern[str]) -> bool:
    if f.words > HEADING_MAX_WORDS:
        return False
    stripped = f.heading_form
    if stripped is None:
        stripped = f.heading_form = _EDGE_MARKS.sub(" ", f.text.lower()).strip()
    m = pattern.match(stripped)
    return m is not None and m.end() >= len(stripped) - 1


def is_comments_heading(text: str) -> bool:
    return _is_section_heading(_Features(text, word_count(text), "heading", None),
                               zone_rules().comments_start)


def has_year(text: str) -> bool:
    """``YEAR.search(text)``: a year of four digits, not part of a longer number. The
    look-behind makes that regex try every position of the text; searching for the digits and
    then looking either side is several times faster and finds the same (a rejected match
    leaves only digits up to its end, where no year can start). Most paragraphs hold neither
    "19" nor "20", which a plain substring search tells faster still."""
    if "19" not in text and "20" not in text:
        return False
    for m in _YEAR_DIGITS.finditer(text):
        start, end = m.span()
        if not (start > 0 and text[start - 1].isdecimal()) and not (
                end < len(text) and text[end].isdecimal()):
            return True
    return False


def _quoted_title(text: str) -> bool:
    """A quotation of three words or more that no one is said to have spoken: a paper's title
    in quotation marks, not '"It works," she said' ("said", "told", "concluded" ...). Words
    inside the quotation are its own: '"What patients said about insulin," Diabetes Care' is a
    title."""
    m = _QUOTED_TITLE.search(text)
    return m is not None and not speaks(f"{text[:m.start()]} {text[m.end():]}")


def _cites_publication(text: str) -> bool:
    """Whether the block names a publication: ``_PUBLICATION`` (searched in the text lower-cased
    where that finds the same) or ``_PUBLICATION_NAME``."""
    lowered = caseless(text)
    if lowered is None:
        found = _PUBLICATION.search(text) is not None
    else:
        found = _PUBLICATION_LOWERED.search(lowered) is not None
    return found or _PUBLICATION_NAME.search(text) is not None


def _has_et_al(text: str) -> bool:
    """``_ET_AL.search(text)``: only "et al" in some case matches it, so the text lower-cased
    holds "et al" wherever it does; a plain string search tells most blocks apart at once,
    where the pattern was tried at every position."""
    return "et al" in text.lower() and _ET_AL.search(text) is not None


# The marks of a reference, cheapest to look for first.
_REFERENCE_CUES = (_NUMBERED.match, _SURNAME_GIVEN.match, has_year, _has_et_al,
                   _quoted_title, _cites_publication)


def reference_cues(text: str, enough: int | None = None) -> int:
    """How many marks of a bibliographic reference a block carries (0 to 6). Given ``enough``,
    counting stops once ``reference_cues(text) >= enough`` is known: compare the result with it."""
    if not ("et al" in text or has_year(text) or _NUMBERED.match(text)):
        return 0  # a cheap gate: a reference has a year, a number or "et al."
    found = 0
    for i, cue in enumerate(_REFERENCE_CUES):
        if cue(text):
            found += 1
            if enough is not None and found >= enough:
                break
        elif enough is not None and found + len(_REFERENCE_CUES) - 1 - i < enough:
            break  # the cues left cannot make up the difference
    return found


def is_reference(f: _Features) -> bool:
    if f.words > REFERENCE_MAX_WORDS:
        return False
    needed = REFERENCE_MIN_CUES
    if reference_cues(f.text, needed) < needed:  # (the cheap gate first)
        return False
    if (_AUTHOR_LEAD.match(f.text) is None
            and _REPORTING.search(_QUOTATION.sub("", f.text)) is not None):
        needed += 1  # one mark more for a block that reads as reporting, not led by its authors
        if reference_cues(f.text, needed) < needed:
            return False
    return _lower_words(f.text) < REFERENCE_MAX_PROSE_WORDS


# What a sentence that reports a study says, outside a quotation: "..., according to the 2023
# analysis in the European Journal of Preventive Cardiology", "A 2021 review in the BMJ found
# little support for ...", "Manson et al. reported in 2019 ... that". A citation may say it in
# its title ("... risk of breast cancer according to tumor characteristics. J Natl Cancer Inst.
# 2011;103", "Ledford H. Vitamin D fails to prevent fractures, huge trial finds. Nature. 2022"),
# with more marks of a citation than such a sentence has, or its authors first.
_REPORTING = re.compile(r"\b(?:according\s+to|found|finds|said|says|told|reported\s+in|showed|"
                        r"concluded)\b", re.IGNORECASE)
_QUOTATION = re.compile(r"\"[^\"]*\"")
# A citation's authors first: a surname and initials ("Ledford H.", "Yaghjyan L,") or "Surname,
# I." ("Smith, J."); not "In March, Harvard ...", "Susan Lee, PhD, said ...".
_AUTHOR_LEAD = re.compile(r"(?:\[?\d{1,3}[\].)]?\s+)?[A-Z][\w'-]+(?:\s[A-Z]{1,3}[,.]|,\s+[A-Z]\.)")


def is_byline(f: _Features, rules: ZoneRules) -> bool:
    if f.words > 14:
        return False
    cue = rules.byline.match(f.text)
    if cue is not None and _cue_heads_line(f.text, cue):
        return True
    if DATE.search(f.text) is None:
        return False
    rest = DATE.sub("", f.text)
    return len(rest.split()) <= 6 and not _dated_sentence(f.text, rest)


def _dated_sentence(text: str, rest: str) -> bool:
    """Whether a short line with a date is a sentence that reports something on that date (it
    ends like a sentence and has a verb a clause has, or opens with a subject and a verb in
    -ed: "Enrollment closed on ...", "The recall expanded on ..."), not a byline's date line
    ("Jane Doe, July 6, 2023.", "Updated July 6, 2023", "Jane Doe, registered dietitian, July 6,
    2023.")."""
    if _ENDS_SENTENCE.search(text) is None:
        return False
    if _FINITE_VERB.search(rest) is not None:
        return True
    past = _SUBJECT_PAST.match(text)
    return past is not None and past.group("verb") not in _DATE_LINE_VERBS


# A subject of a word or two and a verb in -ed: "Enrollment closed", "The recall expanded".
_SUBJECT_PAST = re.compile(r"(?:(?:The|A|An|Its|This|That)\s)?[A-Z][\w-]*\s(?:[a-z][\w-]*\s)?"
                           r"(?P<verb>[a-z]{2,}ed)\b")
# ... not a date line's ("Last reviewed March 3, 2024.", "Story published ...", "Page updated ...").
_DATE_LINE_VERBS = frozenset(("reviewed", "updated", "published", "posted", "modified", "revised",
                              "edited", "checked", "fact-checked", "filed"))
# A relative clause in a byline's role ("By Jane Doe, who reported from Geneva."): its verb
# makes no sentence of the line.
_RELATIVE_CLAUSE = re.compile(r"\bwho\s+\w+")


# What makes a byline cue's line, or a short line with a date, a sentence when it ends like one:
# a verb that a clause has ("By 2030, half of all adults will have ...", "the study followed
# ...", "The FDA approved the drug on July 6, 2023."), which a byline's names and roles do not
# ("By Jane Doe, staff writer for the health desk.", "Updated March 3 with comments from the
# company.", "Reviewed by Mark Lee, MD, a board-certified cardiologist at the clinic.", "Jane
# Doe, a registered dietitian, July 6, 2023."): auxiliaries, and the verbs news and studies
# report with, not adjectives in -ed.
_FINITE_VERB = re.compile(
    r"\b(?:will|would|had|has|have|is|are|was|were|can|could|may|might|should|must|did|does|do|"
    r"said|says|found|finds|followed|showed|shows|rose|fell|cost|costs|took|died|grew|"
    r"approved|approves|began|begins|became|becomes|won|wins|lost|loses|ended|ends|started|"
    r"starts|launched|recalled|announced|announces|reported|reports|tracked|tracks|studied|"
    r"enrolled|recruited|examined|compared|tested|measured|recommended|recommends|linked|"
    r"reduced|reduces|increased|increases|lowered|lowers|raised|raises|cut|cuts|warned|warns|"
    r"suggested|suggests|led|leads|gave|gives|got|gets|saw|sees|made|makes|killed|kills)\b")


def _lower_words(text: str) -> int:
    """How many words of ``text`` are lower-case words (not an address or "al.")."""
    return sum(1 for word in text.split()
               if word[:1].islower() and word.strip(".,;:()\"'").isalpha())


def _cue_heads_line(text: str, cue: re.Match[str]) -> bool:
    """Whether a byline cue opens a byline rather than a sentence: a name, a date, a time or
    nothing follows it ("By Jane Doe", "Updated: 10:25", "Published Monday", "Updated by Jane
    Doe", "Updated 2 hours ago", "Published yesterday"), not a lower-case word ("By the time
    she was ten, ...", "Published in the Lancet, ..."). A lower-case name after "by" ("Posted by
    admin") counts in a line that does not read as a sentence, and "on" or "at" after a date cue
    ("Updated on March 3") does too."""
    rest = text[cue.end():].lstrip(" \t:")
    by = cue.group().lower().endswith("by")
    if not by and (after_by := _BY_WORD.match(rest)):  # "Updated by: ...", "Published by ..."
        rest, by = rest[after_by.end():], True
    if not rest[:1].isalpha() or rest[0].isupper():
        # A name, a date or a time, or nothing; unless the line goes on as a clause, with a verb,
        # to a full stop ("By 2030, half of all adults will ...", "By Eisai's estimate, the drug
        # will cost ...", "Published Monday in the journal Neurology, the study followed ..."),
        # which a byline's names and roles do not.
        return not (_ENDS_SENTENCE.search(text)
                    and _FINITE_VERB.search(_RELATIVE_CLAUSE.sub("", rest)) is not None)
    if by:
        first = rest.split(maxsplit=1)[0]
        if first.endswith(",") and len(text.split()) > 4:
            return False  # "By contrast, ...", "By then, ..."
        return not text.rstrip().rstrip("\"')]").endswith((".", "!", "?"))
    return rest.startswith(("on ", "at ")) or _RELATIVE_TIME.search(rest) is not None



def block_words(text: str, blocks: list[AssembledBlock]) -> list[int]:
    """How many words each block has (a mark standing alone is not one: ``credscore.words``).
    An assembled block is words one space apart, with no other whitespace and none at its ends,
    so its spaces count them without splitting it."""
    return spans_word_counts(text, [(b.start, b.end) for b in blocks])


def classify_blocks(text: str, blocks: list[AssembledBlock], title: str | None,
                    words: list[int], lowered: str | None,
                    links: Sequence[tuple[int, int, str]] = ()) -> list[Zone]:
    """The zone of every block, in order; ``words`` are the blocks' :func:`block_words`,
    ``lowered`` is ``caseless(text)`` (None where that would miss case-blind matches) and
    ``links`` the text's links (start, end, target)."""
    rules = zone_rules()
    feats = [_Features(text[b.start : b.end], n, b.kind, b.hint)
             for b, n in zip(blocks, words, strict=True)]
    if links:
        link_at: dict[int, tuple[int, str]] = {}
        for start, end, target in links:
            if target and not target.startswith("#") and end > link_at.get(start, (-1, ""))[0]:
                link_at[start] = (end, target)
        for b, f in zip(blocks, feats, strict=True):
            end, target = link_at.get(b.start, (-1, ""))
            if end >= b.end:
                f.link = target
    _phrase_beginnings(text, lowered, blocks, feats, rules)
    zones = _sections(feats, rules, title, keeps_links=bool(links))
    title_at = _find_title(feats, zones, title, rules)
    if title_at is not None:
        zones[title_at] = "title"
    _bylines(feats, zones, title_at, rules)
    _lede(feats, zones, title_at, rules)
    _closing_sections(feats, zones, rules)
    _chrome_clusters(feats, zones)
    _promo_boxes(feats, zones)
    _echoes(text, lowered, blocks, feats, zones)
    return zones


def _phrase_beginnings(text: str, lowered: str | None, blocks: list[AssembledBlock],
                       feats: list[_Features], rules: ZoneRules) -> None:
    """Mark the blocks that hold no beginning of any boilerplate (promo) phrase: most blocks of
    an article hold none, and the phrase regexes are slow to run. Only blocks short enough to be
    boilerplate or promo are read (the marks of longer ones are never asked for), each on its
    own. (A block's words are one space apart, as the phrase beginnings are written.)
    ``lowered`` is ``caseless(text)``."""
    if lowered is None:
        return  # case-blind matches this prefilter could miss: every regex is run
    beginnings = rules.beginnings.iter
    for b, f in zip(blocks, feats, strict=True):
        if f.words > _LONGEST_MARKED:
            continue
        may_b = may_p = False
        # A slice, not the text with bounds: the automaton copies the whole string it reads.
        for last, (length, keys) in beginnings(lowered[b.start : b.end]):
            first = b.start + last - length + 1
            if first > 0 and is_word_char(text[first - 1]):
                continue  # inside a word: "research" holds no "search"
            if "boilerplate" in keys:
                may_b = True
            if "promo" in keys:
                may_p = True
            if may_b and may_p:
                break
        f.may_be_boilerplate, f.may_be_promo = may_b, may_p


def _is_commenter_line(text: str) -> bool:
    """Whether ``text`` reads as a commenter line ("Jane says:", "Mo on March 3, 2020 at 5:12
    pm", "Reply"). Each form is tried on its own: the two anchored ones at the start only, and
    the time, whose pattern is tried at every position, only in a line with a colon."""
    return (_says_head(text) or _REPLY_BUTTON.match(text) is not None
            or (":" in text and _time_head(text)) or _dated_head(text, ago_only=True))


def _dated_head(text: str, ago_only: bool = False) -> bool:
    """Whether ``text`` is a commenter's name, a dash or a dot, and a date or a time ago, and
    nothing else ("Jen R. — March 16, 2024", "Sam • 2 days ago"), as Disqus and Substack
    head a comment. With a date, only inside a thread (``ago_only`` leaves dates out): a
    timeline's "Pfizer-BioNTech — December 11, 2020" is written the same way, so such lines
    never open one; a time ago ("2 days ago") is a comment's alone."""
    m = _DASHED_NAME.match(text)
    if m is None:
        return False
    rest = text[m.end():].strip(" .")
    if _TIME_AGO.fullmatch(rest) is not None:
        return True
    return not ago_only and (DATE.fullmatch(rest) or _NUMERIC_DATE.fullmatch(rest)) is not None


def _says_head(text: str) -> bool:
    """Whether ``text`` is "Jane says:": a commenter's name or handle ("jane doe", "Barbara in
    Texas", "Mom of 3", "Dr. Mary Ann Smith") and a verb of saying, not a quotation's lead-in,
    which names its speaker by a role after "the" or "a" ("The task force chair said:"), or at
    length ("Dr. Karen Lu of MD Anderson wrote:")."""
    says = _SAYS.match(text)
    if says is None:
        return False
    name = says.group("name").split()
    if len(name) > COMMENTER_NAME_MAX_WORDS:
        return False
    if all(word.islower() for word in name):
        return True  # a handle: "jane doe", "walker42"
    # A role in lower case after a capital makes a lead-in ("The task force chair said:",
    # "State health officials wrote:", "Study author Jane Doe said:"); a handle's words are
    # capitalised ("A Concerned Mom", "The Night Nurse") or joined by "in", "of", "from" ...
    return not any(word.isalpha() and word.islower() and word not in _NAME_JOINERS
                   for word in name[1:])


def _time_head(text: str) -> bool:
    """Whether ``text`` ends in a time with a date ("March 3, 2021 at 5:12 pm") or a
    commenter's name ("Mo at 5:12 pm") before it; not a schedule's line ("Community Center
    testing: Saturday, May 4 at 9:00 am", "open weekdays at 9:00 am")."""
    at = _AT_TIME.search(text)
    if at is None:
        return False
    before = text[: at.start()]
    date = DATE.search(before) or _NUMERIC_DATE.search(before)
    if date is not None:  # with at most a name before it, not a label ("Main clinic: 10/12/2024")
        prefix = before[: date.start()]
        return ":" not in prefix and len(prefix.split()) <= COMMENTER_NAME_MAX_WORDS
    return _HEAD_NAME.match(before) is not None


# The lower-case words a commenter's name may hold: "Barbara in Texas", "Mom of 3".
_NAME_JOINERS = frozenset(("in", "of", "from", "at", "and", "the", "de", "van", "von", "da"))
COMMENTER_NAME_MAX_WORDS = 4
_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/(?:\d\d){1,2}\b|\b(?:19|20)\d\d-\d\d-\d\d\b")


def _comments_without_heading(feats: list[_Features]) -> int | None:
    """Where a comment thread starts when no heading announces it: at the first of at least two
    commenter lines, if that lies past the first part of the page."""
    lines = [i for i, f in enumerate(feats) if f.words <= 12 and _is_commenter_line(f.text)]
    if len(lines) < 2 or lines[0] < COMMENTS_START_SHARE * len(feats):
        return None
    first = lines[0]
    # The commenter's name may stand on the line before "... at 5:12 pm" or "says:".
    if first > 0 and feats[first - 1].words <= 4 and not _ENDS_SENTENCE.search(feats[first - 1].text):
        first -= 1
    return first


def _is_comment_head(f: _Features) -> bool:
    """Whether a block is the line that heads a comment: "Jane says:", a time with a date
    ("March 3, 2021 at 5:12 pm") or a commenter's name ("Mo at 5:12 pm") before it, or a name,
    a dash and a date ("Jen R. — March 16, 2024")."""
    if f.words > COMMENT_HEAD_MAX_WORDS:
        return False
    text = f.text.strip()
    return _says_head(text) or _time_head(text) or _dated_head(text)


def _commenter_number(f: _Features) -> int | None:
    """The number of a numbered commenter line ("3. Tom"), or None."""
    if f.words > NUMBERED_COMMENTER_MAX_WORDS:
        return None
    m = _NUMBERED_COMMENTER.match(f.text.strip())
    return int(m.group(1)) if m else None


class _Thread:
    """What a comment thread has shown so far, to tell a reader's comment that reads like a
    promotion or chrome ("Buy now from my shop") from the page's own blocks after the thread.

    Only a block the comment structure clearly surrounds stays in the thread: one directly after
    the line that heads a comment, or directly before such a line or a "Reply" button. A numbered
    commenter heads a comment only when it stands alone (not in a numbered list) and, after the
    block, when it carries the thread's next number; a number that restarts the count
    ("1. Free shipping" after "1. Mary Kay") ends the thread.
    """

    __slots__ = ("ended", "number")

    def __init__(self) -> None:
        self.number: int | None = None  # the number of the thread's last numbered commenter
        self.ended = False  # a restarted numbering was seen: nothing more is kept

    @staticmethod
    def _numbered_head(feats: list[_Features], j: int, rules: ZoneRules) -> int | None:
        """The number of block ``j`` when it is a numbered commenter: a numbered line that
        reads as neither promotion nor chrome, with no numbered line next to it (the items of
        a numbered list, "2. Free shipping", "3. Easy returns", stand together; commenters have
        their comments between them)."""
        number = _commenter_number(feats[j])
        if number is None or is_promo(feats[j], rules) or is_boilerplate(feats[j], rules):
            return None
        for k in (j - 1, j + 1):
            if 0 <= k < len(feats) and _commenter_number(feats[k]) is not None:
                return None
        return number

    def read(self, f: _Features) -> None:
        """Note a block of the thread: it may be a numbered commenter."""
        number = _commenter_number(f)
        if number is None:
            return
        if self.number is not None and number <= self.number:
            self.ended = True
        self.number = number

    def holds(self, feats: list[_Features], i: int, rules: ZoneRules) -> bool:
        """Whether block ``i``, read as a promotion or chrome, is a reader's comment."""
        if self.ended:
            return False
        # The block before was read: a numbered commenter there is the thread's last one.
        if i > 0 and (_is_comment_head(feats[i - 1])
                      or self._numbered_head(feats, i - 1, rules) is not None):
            return True
        if i + 1 >= len(feats):
            return False
        after = feats[i + 1]
        if _is_comment_head(after) or _REPLY_BUTTON.match(after.text.strip()) is not None:
            return True
        number = self._numbered_head(feats, i + 1, rules)
        return number is not None and number == (1 if self.number is None else self.number + 1)


def _sections(feats: list[_Features], rules: ZoneRules, title: str | None = None,
              keeps_links: bool = False) -> list[Zone]:
    """One pass in reading order; reference and comment sections run until something else.
    ``keeps_links``: the page has links, so a headline under a rail's heading must be one of
    them (a page with none, such as plain text, has its headlines as lines).

    A promotion or chrome closes a comment section unless the comment structure clearly goes on
    around it (see :class:`_Thread`): then it is a reader's comment, never the article's."""
    zones: list[Zone] = []
    region: str | None = None
    thread_at = _comments_without_heading(feats)
    thread = _Thread()
    listed: bool | None = None  # whether the links under a "Related" heading are list items
    deks: set[int] = set()  # the summaries under the cards' headlines of a rail
    rail_end = -1  # where the rail whose summaries ``deks`` holds ends
    for i, f in enumerate(feats):
        zone: Zone
        if f.hint is not None:
            zone = f.hint
            if zone == "comments" and region != "comments":
                thread = _Thread()
            region = "comments" if zone == "comments" else region
        elif (i == thread_at and region != "comments") or _is_section_heading(
            f, rules.comments_start
        ) or (f.words <= 2 and _COUNTED_THREAD.match(f.text) is not None) or (
                f.heading_like and _thread_on_post(f.text, title, feats)):
            if region != "comments":
                thread = _Thread()
            zone, region = "comments", "comments"
        elif region == "comments":
            thread.read(f)
            if (is_promo(f, rules) or is_boilerplate(f, rules)) and thread.holds(feats, i, rules):
                zone = "comments"
            elif is_promo(f, rules):
                zone, region = "promo", "tail"
            elif is_boilerplate(f, rules):
                zone, region = "boilerplate", "tail"
            else:
                zone = "comments"
        elif region == "tail":
            # After the comments: the page's own promotions and chrome.
            if is_boilerplate(f, rules):
                zone = "boilerplate"
            elif is_promo(f, rules) or (f.words <= PROMO_BOX_MAX_WORDS and zones[-1] == "promo"):
                zone = "promo"
            else:
                zone = "boilerplate"
        elif f.heading_like and _is_section_heading(f, rules.related_start):
            zone, region, listed = "boilerplate", "related", None
            if i >= rail_end:  # (a heading inside a rail already read opens no other)
                deks, rail_end = _card_summaries(feats, i + 1)
        elif region == "related" and _linked_headline(f, keeps_links) and listed in (
                None, f.kind == "item"):
            zone, listed = "boilerplate", f.kind == "item"
        elif region == "related" and i in deks:
            zone = "boilerplate"  # a card's summary under its headline
        elif _is_section_heading(f, rules.references_start):
            zone, region = "references", "references"
        elif is_reference(f) or (region == "references"
                                 and (f.heading_like is False or f.kind == "item")
                                 and reference_cues(f.text, 2) >= _marks_needed_under_heading(f)):
            zone = "references"
        elif is_boilerplate(f, rules) and not _offer_at_cart(f, rules):
            zone, region = "boilerplate", None
        elif is_promo(f, rules):
            zone, region = "promo", None
        else:
            zone, region = "body", None
        zones.append(zone)
    return zones


def _thread_on_post(text: str, title: str | None, feats: list[_Features]) -> bool:
    """Whether ``text`` is a blog's thread heading ('3 thoughts on "Daily walking ..."') that
    quotes the post's title: its first words are those of the title given or of one of the
    page's first blocks. An article's own section that counts responses to something else
    ('3 responses to "Vaccines cause autism"') heads no thread."""
    m = _THREAD_ON.match(text)
    if m is None:
        return False
    quoted = _first_words(text[m.end():])
    return bool(quoted) and any(_first_words(t) == quoted for t in
                                [title or "", *(f.text for f in feats[:HEADER_BLOCKS])])


def _first_words(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(text[:200].lower())[:THREAD_TITLE_WORDS])


def _headline_shaped(f: _Features) -> bool:
    """Whether a block reads as a headline: up to RELATED_MAX_WORDS words, not ending in a full
    stop (inside its quotation marks too)."""
    return f.words <= RELATED_MAX_WORDS and not f.text.strip().rstrip(_CLOSERS).endswith(".")


def _card(f: _Features) -> bool:
    """Whether a block is a card's headline in a rail of other articles: one link to another
    page, whole, that reads as a headline (a heading or not)."""
    return f.link is not None and _headline_shaped(f)


def _card_summaries(feats: list[_Features], first: int) -> tuple[set[int], int]:
    """The summaries under the cards' headlines of a rail that starts at block ``first``, and
    where the rail ends: a block of up to RELATED_MAX_WORDS words (no heading, list item or
    link) under each headline that is a heading, when the rail holds at least two cards leading
    to different pages and at least two of them have one (a single linked heading is no rail,
    and the paragraph under it is the article's, as is a paragraph after a rail of headlines
    alone; nor has a list of links, or a run of linked paragraphs, any summaries)."""
    found: set[int] = set()
    targets: set[str] = set()
    i = first
    while i < len(feats) and _card(feats[i]):
        targets.add(feats[i].link or "")
        below = feats[i + 1] if i + 1 < len(feats) else None
        if (below is not None and feats[i].kind == "heading"
                and below.kind not in ("heading", "item") and below.link is None
                and below.words <= RELATED_MAX_WORDS):
            found.add(i + 1)
            i += 2
        else:
            i += 1
    return (found if len(targets) >= 2 and len(found) >= 2 else set()), i


def _linked_headline(f: _Features, keeps_links: bool) -> bool:
    """Whether a block under a heading of links to other articles is one of them: a card
    (:func:`_card`), or, on a page with no links, a list item or line that reads as a headline
    ("Miracle cure reverses diabetes in days!", '"I lost 40 pounds": ...'). A sentence of the
    article's (a block that ends in a full stop, inside its quotation marks too), or a heading of
    its next section, ends the list, and so does a block that is not a list item after list items
    ("**What the study did not show**" under a list of links)."""
    return _card(f) or (not keeps_links and f.kind != "heading" and _headline_shaped(f))


def title_block(texts: list[str], title: str) -> int | None:
    """Which of the first blocks (their texts) is the given title, or None. The blocks are
    normalised text: so is the title looked for among them ("Kyleena™" is "KyleenaTM"
    there, and a title's no-break spaces or line breaks are spaces)."""
    wanted = _bare(normalize_inline(title))
    if not wanted:  # a title of marks alone ("—") is no block's, not every mark line's
        return None
    spaces = wanted.count(" ")
    for i, text in enumerate(texts[:HEADER_BLOCKS]):
        if _may_be_bare(text, spaces) and _bare(text) == wanted:
            return i
    return None


def title_lead(text: str, title: str) -> int | None:
    """Where a block that opens with the given title stops repeating it (the offset of the
    space after the title's words), or None. The title must stand apart from what follows
    ("Walking may help A small trial found ...", "Is coffee safe? THE HEALTH PAGE", "Coffee and
    sleep. Ten adults ..."): a block whose first sentence only begins like the title and goes on
    ("Walking may help, a trial finds", "... help people with diabetes") is the body's, whole.
    Words are compared as :func:`title_block` compares a block with the title; a title of
    fewer than three words is not looked for."""
    title = normalize_inline(title).strip()
    wanted = _bare(title)
    n = title.count(" ") + 1
    if not wanted or n < TITLE_WORDS[0]:
        return None  # a word or two may open a longer name: "Diabetes UK said ..."
    cut = -1
    for _ in range(n):  # the offset of the space after the block's n-th word
        cut = text.find(" ", cut + 1)
        if cut < 0:
            return None  # the block is no longer than the title
    if _bare(text[:cut]) != wanted:
        return None
    last, nxt = text[cut - 1], text[cut + 1 : cut + 3].lstrip("\"'([")[:1]
    if not nxt.isupper():
        return None  # a lower-case word, a number or a mark goes on with the title's sentence
    return cut if last.isalnum() or last in ".!?\"')" else None


def _may_be_bare(text: str, spaces: int) -> bool:
    """False when ``_bare(text)`` cannot hold ``spaces`` spaces, told without making it (which
    took most of the time of looking for the title among long paragraphs). Taking the marks out
    keeps every space; stripping then drops only spaces at an end made of marks alone, so a text
    whose first and last words hold a word character keeps all its spaces."""
    n = text.count(" ")
    if n < spaces:
        return False
    return n == spaces or not (_WORD_CHAR.search(text, 0, text.find(" "))
                               and _WORD_CHAR.search(text, text.rfind(" ") + 1))


def _find_title(feats: list[_Features], zones: list[Zone], title: str | None,
                rules: ZoneRules) -> int | None:
    if title is not None:
        return title_block([f.text for f in feats[:HEADER_BLOCKS]], title)
    candidates = [i for i in range(min(len(feats), HEADER_BLOCKS)) if zones[i] == "body"]
    # A transcript's speaker label alone on its line ("BETTY ANN BOWSER:") heads a turn, not
    # the article.
    for i in candidates:
        if feats[i].kind == "heading" and feats[i].words and not _speaker_label(feats[i].text):
            return i  # (a heading of marks alone is a rule)
    low, high = TITLE_WORDS
    for i in candidates:
        f = feats[i]
        # A period inside a closing quotation mark ends a sentence too: 'put it bluntly: "...".'
        ends = f.text.rstrip().rstrip("\"'\u201d\u2019\u00bb")
        if not low <= f.words <= high or DATE.search(f.text) or _speaker_label(f.text):
            continue
        if ends_with_full_stop(ends):  # a headline only as two sentences in a title's case
            if _two_sentences_in_title_case(f.text) and not is_byline(f, rules):
                return i
        elif not (is_byline(f, rules) and not _title_case_headline(f)):
            return i
    return None


# A full stop after a word of three letters or more (not "Dr." or "Inc."), then a capital: two
# sentences.
_SENTENCE_BREAK = re.compile(r"[a-z]{2}['\u2019]?[a-z][.!?]\s+[A-Z]")


def _two_sentences_in_title_case(text: str) -> bool:
    """Whether ``text`` is a headline of two sentences in a title's case ("They Have
    Alzheimer's. This Clinical Trial May Be a Last Hope."): words in lower case beside those
    capitalised, at least three words of four letters or more and every one of them
    capitalised, and a full stop inside. Prose full of names still has such words in lower case
    ("Dr. Arie Kaufman of SUNY Stony Brook demonstrated the method."); a notice in capitals, a
    byline, a list of tags or a credit line is one sentence."""
    if _SENTENCE_BREAK.search(text) is None:
        return False
    words = [w for w in text.split() if w[:1].isalnum()]
    long_words = [w for w in words if sum(c.isalpha() for c in w) >= 4]
    return (len(long_words) >= 3 and all(w[0].isupper() or w[0].isdigit() for w in long_words)
            and any(c.islower() for c in text))


# The last word of a headline that ends in an initialism ("... across the U.S."), whose stop
# ends no sentence.
_INITIALISM = re.compile(r"(?:[A-Z]\.){2,}")


def ends_with_full_stop(text: str) -> bool:
    """Whether ``text`` (a line or a block) ends with a full stop, as a sentence does: not with
    an initialism's stop ("Measles cases rise across the U.S.") nor an ellipsis ("Democrats
    Just Broadcasted How They Will...", a headline cut short)."""
    if not text.endswith(".") or text.endswith("..."):
        return False
    last = text.rsplit(None, 1)[-1].lstrip("(\"'\u201c\u2018")
    return _INITIALISM.fullmatch(last) is None


def _speaker_label(text: str) -> bool:
    """Whether ``text`` is a transcript's speaker label and nothing else ("STEVE INSKEEP,
    HOST:")."""
    text = text.strip()
    return text.endswith(":") and speaker(text, 0, len(text)) is not None


# A byline is never the title (as under a headline read as chrome: "By Sam Ortega", "By Jane
# Doe, health reporter", "Medically reviewed by Jane Doe, RN"), unless it reads as a headline in
# title case: "Published Study Reveals Shocking Miracle Cure for Knee Pain", "By the Numbers:
# Knee Replacement in America".
HEADLINE_MIN_WORDS = 7


def _title_case_headline(f: _Features) -> bool:
    words = [w for w in f.text.split() if w[:1].isalnum()]
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return len(words) >= HEADLINE_MIN_WORDS and capitalised >= 0.6 * len(words)


def _bylines(
    feats: list[_Features], zones: list[Zone], title_at: int | None, rules: ZoneRules
) -> None:
    # Under the title, or above it ("By Priya Raman" over the headline).
    end = min(len(feats), (0 if title_at is None else title_at + 1) + HEADER_BLOCKS)
    for i in range(end):
        if zones[i] == "body" and is_byline(feats[i], rules):
            zones[i] = "byline"
    # A bare name line next to a byline is the author.
    for i in range(end):
        if (
            zones[i] == "body"
            and _NAME_LINE.match(feats[i].text)
            and any(zones[j] == "byline" for j in (i - 1, i + 1) if 0 <= j < len(zones))
        ):
            zones[i] = "byline"


def _lede(feats: list[_Features], zones: list[Zone], title_at: int | None,
          rules: ZoneRules) -> None:
    """A reference list never opens an article: the first paragraph under the title and
    byline is its lede, even when it carries a reference's marks ("DALLAS, Aug. 22, 2018 --
    Breastfeeding ... the journal Stroke": a place, a date, a year and a journal), unless a
    references heading is above it. A subtitle (a deck that ends without a full stop) or a
    caption (a short line, "Acme Health logo.") above it is not the lede: the lede is looked
    for under up to three of them."""
    start = 0 if title_at is None else title_at + 1  # not a line of the page above the title
    above = 0
    for i in range(start, len(zones)):
        zone = zones[i]
        if zone in ("title", "byline", "boilerplate", "promo"):
            continue
        if zone == "body" and above < MAX_ABOVE_LEDE and _above_lede(feats[i]):
            above += 1
            continue
        if zone == "references" and not _is_section_heading(feats[i], rules.references_start):
            zones[i] = "body"
        return


def _above_lede(f: _Features) -> bool:
    """Whether a body block reads as a subtitle or a caption rather than a paragraph: a
    heading, a block that does not end like a sentence, or a short one that does."""
    return (f.kind == "heading" or f.words <= CAPTION_MAX_WORDS
            or _ENDS_SENTENCE.search(f.text) is None)


def _closing_sections(feats: list[_Features], zones: list[Zone], rules: ZoneRules) -> None:
    """A press release's "About <organisation>" blurbs and its legal disclaimer are boilerplate.

    Each runs from its heading (or a disclaimer's first paragraph) to the next heading-like
    block. In a disclaimer an item of a list ("the combination may not be completed;") is not
    one, and a block that reads like a citation (the release's notes) ends it. An "About"
    section counts only when its first paragraph describes an organisation; one on the product,
    the study or the disease is part of the article. After the release's end mark, a paragraph
    that describes an organisation and says nothing of the study is boilerplate on its own.
    """
    total = sum(f.words for f in feats)
    before = 0  # words above block i
    ended = False
    i = 0
    while i < len(feats):
        # One walk: an "About" heading after the end mark is checked before the paragraph under
        # it is judged on its own, so the section still takes in all its paragraphs.
        if _END_MARK.match(feats[i].text):
            ended = True
        elif ended and zones[i] == "body" and _describes_organisation(feats[i].text, rules):
            zones[i] = "boilerplate"
        end = i + 1
        late = before >= total * DISCLAIMER_FROM
        disclaimer = _opens_disclaimer(feats, zones, i, rules, late)
        if disclaimer or _opens_about_section(feats, zones, i, rules):
            while (end < len(feats) and zones[end] == "body"
                   and _continues_section(feats[end], disclaimer)):
                end += 1
            zones[i:end] = ["boilerplate"] * (end - i)
        before += sum(f.words for f in feats[i:end])
        i = end


def _continues_section(f: _Features, disclaimer: bool) -> bool:
    """Whether a body block below a closing section's start is still part of it: a paragraph,
    not a heading; in a disclaimer also an item of a list, but not a citation."""
    if not disclaimer:
        return not f.heading_like
    return _reads_on(f) and reference_cues(f.text, SECTION_END_CUES) < SECTION_END_CUES


def _reads_on(f: _Features) -> bool:
    """Whether a block reads as running text: a paragraph, or an item of a list (or the line
    leading into one) however short."""
    return not f.heading_like or _LIST_ITEM_END.search(f.text) is not None


def _describes_organisation(text: str, rules: ZoneRules) -> bool:
    return _organisation_cue(text, rules) and rules.study_statement.search(text) is None


# "is a leading" describes an organisation, not a disease: "Sepsis is a leading cause of death",
# "a leading driver of hospital deaths", "a leading source of lung damage" (but "a leading source
# of evidence-based health news" is a publisher).
_LEADING_BURDEN = re.compile(
    r"is\s+a\s+leading\s+(?:cause|causes|risk|contributor|killer|driver|reason|source\s+of\s+"
    r"(?!(?:[\w-]+\s+)?(?:health|medical|news|information|evidence)))",
    re.IGNORECASE)


# The full stops that end a citation's parts ("Centers for Disease Control and Prevention. Flu
# vaccines are safe. Updated 2023."), not those of abbreviations.
_CITATION_PARTS = re.compile(r"\w{2}[.?!]\s")  # "Prevention. ", "do adults need? "


def _marks_needed_under_heading(f: _Features) -> int:
    """How many marks of a citation a block under a references heading needs: two, or one for
    an item of a list (a numbered list's numbers are the list's in Markdown and HTML, not the
    text's: "World Health Organization. Step safely: ... 2021.") that does not read as prose, with
    a verb a clause has or a word of reporting ("This article was updated on March 3, 2024.", "a
    2019 survey found")."""
    if f.kind != "item" or _REPORTING.search(f.text):
        return 2
    if _FINITE_VERB.search(f.text) and len(_CITATION_PARTS.findall(f.text)) < 2:
        return 2  # one sentence with a verb; a citation's parts end in full stops
    return 1


def _organisation_cue(text: str, rules: ZoneRules) -> bool:
    """Whether ``text`` holds a cue of an organisation's description ("founded in", "is a
    leading provider"), not "is a leading cause of" a disease's."""
    return any(_LEADING_BURDEN.match(text, m.start()) is None
               for m in rules.organisation.finditer(text))


def _heads_section(feats: list[_Features], zones: list[Zone], i: int, over_list: bool) -> bool:
    """Whether block ``i`` reads as a heading over a paragraph in the body (``over_list``: or
    over a list, or the line that leads into one)."""
    if i + 1 >= len(feats) or zones[i] != "body" or zones[i + 1] != "body":
        return False
    nxt = feats[i + 1]
    return feats[i].heading_like and (_reads_on(nxt) if over_list else not nxt.heading_like)


def _opens_disclaimer(feats: list[_Features], zones: list[Zone], i: int, rules: ZoneRules,
                      late: bool) -> bool:
    """Whether block ``i`` begins a legal disclaimer: a heading that is one ("Disclaimer",
    "Forward-Looking Statements"); or, in the second half of the document (``late``), a heading
    that names its topic ("Cautions Concerning Forward-Looking Statements") over a paragraph in
    legal terms ("risks and uncertainties", "actual results"), or such a paragraph that names
    the topic in its first words ("This press release contains forward-looking statements ...").
    A story's own "forward-looking statements" ("Investors discount forward-looking statements
    from drug companies") is neither."""
    f = feats[i]
    if _heads_section(feats, zones, i, over_list=True):
        if _is_section_heading(f, rules.disclaimer_start):
            return True
        return (late and f.words <= DISCLAIMER_HEADING_MAX_WORDS
                and rules.disclaimer_topic.search(f.text) is not None
                and rules.disclaimer_terms.search(feats[i + 1].text) is not None)
    if not late or zones[i] != "body" or f.heading_like:
        return False
    # The opening words fit in a bounded window: the search costs the same on any paragraph.
    m = rules.disclaimer_topic.search(f.text, 0, DISCLAIMER_OPENING_CHARS)
    return (m is not None and f.text.count(" ", 0, m.start()) < DISCLAIMER_OPENING_WORDS
            and rules.disclaimer_terms.search(f.text) is not None)


def _opens_about_section(feats: list[_Features], zones: list[Zone], i: int, rules: ZoneRules) -> bool:
    """Whether block ``i`` is an "About <organisation>" heading over a paragraph describing one."""
    f = feats[i]
    return (
        _heads_section(feats, zones, i, over_list=False)
        and f.words <= ABOUT_HEADING_MAX_WORDS
        and _ABOUT_HEADING.match(f.text.strip()) is not None
        and _organisation_cue(feats[i + 1].text, rules)
    )


def _chrome_clusters(feats: list[_Features], zones: list[Zone]) -> None:
    """Short fragments ("Shop now", "CS-Blog") next to site chrome are site chrome too.

    A fragment that reads as a call to action counts as chrome only when no other promotion is
    next to it: "Shop now" under an empty cart is the shop's furniture, not the article's pitch.
    """
    # Each round walks forward and then back, so a run of fragments becomes chrome in one round
    # whichever side its chrome is on (walking one way only took a round per fragment: a list
    # of thousands of short lines above a footer was quadratic).
    # Only a short fragment can turn: which blocks are fragments never changes, so the rounds
    # walk those alone.
    fragments = [i for i, f in enumerate(feats)
                 if f.words <= CHROME_FRAGMENT_MAX_WORDS and not _ENDS_SENTENCE.search(f.text)
                 and not _DOI.search(f.text)]
    order = [*fragments, *reversed(fragments)]
    last = len(zones) - 1
    changed = True
    while changed:
        changed = False
        for i in order:
            # The zones either side, read directly: a list of them per fragment and round
            # took most of the time of a page of many short lines.
            zone = zones[i]
            if zone != "body" and zone != "promo":
                continue
            before = zones[i - 1] if i > 0 else None
            after = zones[i + 1] if i < last else None
            if (
                (before == "boilerplate" or after == "boilerplate")
                and (zone == "body" or (before != "promo" and after != "promo"))
                and not _heads_a_paragraph(feats, zones, i)
            ):
                zones[i] = "boilerplate"
                changed = True


def _heads_a_paragraph(feats: list[_Features], zones: list[Zone], i: int) -> bool:
    """Whether block ``i`` is the heading of the body paragraph that follows it."""
    nxt = i + 1
    return (
        nxt < len(feats)
        and zones[nxt] == "body"
        and feats[nxt].words > CHROME_FRAGMENT_MAX_WORDS
        and _ENDS_SENTENCE.search(feats[nxt].text) is not None
    )


# A list item of this many words that ends like a sentence is prose, not a promotion's selling
# point ("30 recipes", "Free shipping").
SENTENCE_ITEM_WORDS = 6
# A promotion speaks to the reader, or of its seller: "You'll get our best recipes", "Why choose
# our formula?".
# ("US", in capitals, is a country.)
_PITCH_VOICE = re.compile(r"\b(?:[Yy]ou|[Yy]our|[Yy]ou'll|[Yy]ou're|[Ww]e|[Ww]e'll|[Oo]ur|us)\b")
# A news release's contacts, by their label: "Media contact:", "Media Contact for GenomeDx:".
_CONTACT_LABEL = re.compile(
    r"\W*+(?:[\w&.-]++\s){0,3}(?:media|press)\s+contacts?\b(?:[^:.]{0,60}:|\s+(?-i:[A-Z]))",
    re.IGNORECASE)
# A thread's heading that counts its responses ("Responses (3)", "12 Replies"): without a count,
# "Responses" heads a trial's results as often.
_COUNTED_THREAD = re.compile(r"\W*(?:\d[\d,]*\s+(?:responses|replies)|(?:responses|replies)\s*"
                             r"\(\d[\d,]*\))\W*$", re.IGNORECASE)
# A blog's thread heading that counts its responses to the post by its title (WordPress writes
# '3 thoughts on "Daily walking ..."', '12 Responses to "Daily walking ..."', 'One thought on').
_THREAD_ON = re.compile(r"\W*(?:\d[\d,]*|one)\s+(?:thoughts?|responses?|repl(?:y|ies)|comments?)"
                        r"\s+(?:on|to)\s+[\"'\u201c\u2018]", re.IGNORECASE)
_WORDS = re.compile(r"\w+")
THREAD_TITLE_WORDS = 3  # the words of the post's title a thread's heading must open its quote with
# A trail of two links or more to the sections above a page, each of a few words.
# The first link opens with a letter, and the trail ends in no full stop ("Patients with systolic
# pressure > 140 or diastolic > 90 were treated." compares numbers); its last link may be the
# page's headline ("Home > Health > 5 signs you are dehydrated", "... > Is vitamin D worth it?").
_BREADCRUMB = re.compile(r"^[^<>»›\d\s][^<>»›]{0,39}(?:\s[>»›]\s[^<>»›\s][^<>»›]{0,39}){2,}$")
_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)(?:\s|$)")
# A clause that opens with a request of the reader: "Buy 3 bottles, get 2 free", "Order today:
# ...", "Add to cart and enjoy free shipping". Linear: a clause's opening marks are read at most
# four at a time (an unbounded run re-read from every comma of ", , , ..." took time quadratic in
# the block).
_IMPERATIVE = re.compile(
    r"(?:^|[.!?:;,])\W{0,4}(?:and\s)?(?:(?:please|simply|just|now)\s)?(?:buy|order|get|shop|"
    r"try|click|tap|download|call|claim|grab|save|join|register|subscribe|sign|act|hurry|enjoy|"
    r"add|use|visit|follow|share|learn|discover|start|see|check|don't|do\snot|take|read|watch)\b",
    re.IGNORECASE)


def _sentence_item(f: _Features) -> bool:
    return f.words >= SENTENCE_ITEM_WORDS and _ENDS_SENTENCE.search(f.text) is not None


def _promo_boxes(feats: list[_Features], zones: list[Zone]) -> None:
    """A list or headline directly above a call to action belongs to the same promotion box;
    not a list of sentences that neither it nor its heading says to the reader or of "our"
    ("Key points" over "Side effects included constipation and pain."): an article's key
    points above a newsletter box are its own."""
    for i in range(len(feats)):
        if zones[i] != "promo":
            continue
        j = i - 1
        while j >= 0 and zones[j] == "body" and (
            feats[j].kind == "item"
            or (feats[j].heading_like and feats[j].kind != "paragraph")
            or (feats[j].heading_like and j + 1 < len(feats) and feats[j + 1].kind == "item")
        ):
            j -= 1
        run = range(j + 1, i)
        if any(feats[k].kind == "item" and _sentence_item(feats[k]) for k in run) and not any(
                _PITCH_VOICE.search(feats[k].text) for k in run):
            continue  # the article's own list
        for k in run:
            zones[k] = "promo"


# What may stand at the edges of a copy and not of what it copies: '"This is ...' quotes 'This
# is ...', and '... Dr. Alan Smith.' ends where '... Dr. Alan Smith, who led ...' goes on.
_EDGE = " \"'\u201c\u201d\u2018\u2019.,;:!?()[]-\u2013\u2014\u2026*_"


def _echoes(text: str, lowered: str | None, blocks: list[AssembledBlock],
            feats: list[_Features], zones: list[Zone]) -> None:
    """A pull quote, a heading that repeats a line of the text below it, a caption or a summary
    point given twice: a block of the article of ECHO_MIN_WORDS to ECHO_MAX_WORDS words that
    stands whole, word for word, in a longer block of the article is a copy, and so is the later
    of two blocks of the same words: site furniture, shown but not counted, so that what it says
    counts once.

    The first ECHO_MAX_COPIES such blocks are looked for in the text, each at most
    ECHO_MAX_FOUND times: the work stays linear in the text however many short blocks it has."""
    seen = lowered if lowered is not None else text
    starts = [b.start for b in blocks]
    looked = 0
    for i, (f, zone) in enumerate(zip(feats, zones, strict=True)):
        if zone != "body" or not ECHO_MIN_WORDS <= f.words <= ECHO_MAX_WORDS:
            continue
        looked += 1
        if looked > ECHO_MAX_COPIES:
            return
        block = blocks[i]
        piece = seen[block.start : block.end]
        probe = piece.strip(_EDGE)
        if probe.count(" ") + 1 < ECHO_MIN_WORDS:
            continue
        own = block.start + piece.index(probe)
        at = seen.find(probe)
        for _ in range(ECHO_MAX_FOUND):
            if at < 0:
                break
            end = at + len(probe)
            j = bisect_right(starts, at) - 1
            if (at != own and zones[j] == "body" and end <= blocks[j].end
                    and (at == 0 or not is_word_char(seen[at - 1]))
                    and (end == len(seen) or not is_word_char(seen[end]))):
                if blocks[j].end - blocks[j].start > block.end - block.start:
                    zones[i] = "boilerplate"
                    break
                if seen[blocks[j].start : blocks[j].end] == piece:  # the same words: the later
                    zones[max(i, j)] = "boilerplate"
                    break
            at = seen.find(probe, at + 1)
