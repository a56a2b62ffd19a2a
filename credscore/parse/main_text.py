"""trafilatura's XML for a page: main text, reader comments and metadata.

trafilatura runs its own extractor, then compares the result with its fallbacks (a readability
port and jusText), which cost about a fifth of the extraction. The extractor runs alone first
(trafilatura's ``fast``); the fallbacks run, in a second full pass, only when that result is one
they could replace: short, unclean, without paragraphs, or less than half of the page's text.
A result they cannot replace is what the full pass would give. A page too short, or with too few
paragraph tags, for such a result takes the full pass alone.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trafilatura.metadata import Document as TrafilaturaDocument
    from trafilatura.settings import Extractor

# trafilatura's fallback extractors (readability and jusText) are skipped on pages with more
# tags than this: jusText's cost grows with the square of a page's paragraphs (8,000 reader
# comments took 5 s, a 10 MB page would take hours). Ordinary pages have a few thousand tags.
MAX_TAGS_FOR_FALLBACK = 15_000
# Dates from meta tags and structured data only: the "extensive" search guesses a date from any
# text on the page (a "Copyright 2024" footer becomes 2024-01-01) and costs about a third of the
# extraction. Dates in a byline are read by the byline rules.
DATE_PARAMS = {"extensive_search": False, "original_date": True}
# A main text of fewer paragraphs than this is taken for a dump of the whole page, which
# trafilatura makes when its extractor found too little and which a fallback might replace.
MIN_PARAGRAPHS = 3
# trafilatura's fast mode keeps blocks whose id or class names a teaser (its full pass prunes
# them); any mention of one in the page is taken as such a block.
_TEASER = re.compile(r"teaser", re.IGNORECASE)
_PARAGRAPH_TAG = re.compile(r"<p[\s>]", re.IGNORECASE)


@functools.cache
def _extraction_options(fast: bool) -> Extractor:
    """trafilatura's extraction settings, built once per run (``fast`` skips its fallbacks)."""
    from trafilatura.settings import Extractor

    return Extractor(output_format="xml", with_metadata=True, comments=True, links=True,
                     tables=True, formatting=False, date_params=DATE_PARAMS, fast=fast)


def extract_xml(html: str, page_chars: int) -> str | None:
    """The page's XML as ``trafilatura.extract`` gives it, without the deduplication fingerprint.

    ``page_chars`` is the length of the page's text with whitespace folded: an upper bound of
    what readability can find. ``trafilatura.extract`` also hashes the whole text into a
    fingerprint, which credscore never uses and which costs a fifth of the parse; the same two
    steps it takes (``bare_extraction``, then ``determine_returnstring``) are run here without
    it. Versions of trafilatura without these functions get the plain ``extract``.
    """
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    with_fallbacks = html.count("<") <= MAX_TAGS_FOR_FALLBACK
    fast = not with_fallbacks or fast_pass_may_do(html, page_chars)
    try:
        from trafilatura.core import bare_extraction, determine_returnstring
        from trafilatura.metadata import Document as TrafilaturaDocument

        document = bare_extraction(html, options=_extraction_options(fast), as_dict=False)
    except (ImportError, TypeError):  # pragma: no cover - a trafilatura with other signatures
        return trafilatura.extract(
            html, output_format="xml", with_metadata=True, include_comments=True,
            include_links=True, include_tables=True, include_formatting=False,
            date_extraction_params=DATE_PARAMS,
        )
    if fast and with_fallbacks and not (
            isinstance(document, TrafilaturaDocument) and fallbacks_idle(document, page_chars)):
        fast = False
        document = bare_extraction(html, options=_extraction_options(fast), as_dict=False)
    if not isinstance(document, TrafilaturaDocument):
        return None
    return determine_returnstring(document, _extraction_options(fast))


def fast_pass_may_do(html: str, page_chars: int) -> bool:
    """Whether the page could give an extraction that :func:`fallbacks_idle` accepts: one with
    less text than trafilatura's escalation length, or fewer paragraph tags than
    ``MIN_PARAGRAPHS`` (div soup), goes straight to the full pass. So does a page that names a
    teaser anywhere: without its fallbacks trafilatura keeps teaser blocks that the full pass
    drops, so the fast result could differ from the full one."""
    try:
        from trafilatura.core import ESCALATION_MAX_LENGTH
    except ImportError:  # pragma: no cover - a trafilatura with other internals
        return False
    if page_chars < ESCALATION_MAX_LENGTH or _TEASER.search(html):
        return False
    tags = itertools.islice(_PARAGRAPH_TAG.finditer(html), MIN_PARAGRAPHS)
    return sum(1 for _ in tags) == MIN_PARAGRAPHS


def fallbacks_idle(document: TrafilaturaDocument, page_chars: int) -> bool:
    """Whether trafilatura's fallbacks would leave this extraction (made without them) as it is.

    They act on a main text that is short (jusText, the recall retry and the search for text
    outside the main frame all start below trafilatura's escalation length), that holds
    elements jusText re-checks, that has more tables than paragraphs, or that readability could
    double (it reads only the page's own text). A text of one or two paragraphs is taken for the
    page dumped whole after the extractor found too little, where the fallbacks would have
    been tried first.
    """
    try:
        from trafilatura.core import ESCALATION_MAX_LENGTH
        from trafilatura.external import SANITIZED_XPATH
    except ImportError:  # pragma: no cover - a trafilatura with other internals
        return False
    body = document.body
    chars = len(document.raw_text or "")
    if body is None or chars < ESCALATION_MAX_LENGTH or 2 * chars < page_chars:
        return False
    paragraphs = len(body.findall(".//p"))
    if paragraphs < MIN_PARAGRAPHS or len(body.findall(".//table")) > paragraphs:
        return False
    return not body.xpath(SANITIZED_XPATH)
