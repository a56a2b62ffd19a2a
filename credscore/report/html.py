"""The self-contained HTML credibility report: inline CSS, inline SVG, a few lines of inline
script for sorting (allowed by its hash in the page's Content Security Policy, so no other
script can run), no external fonts, scripts or images. All article text is escaped by
Jinja2's autoescaping, and every value shown has its control and bidirectional characters
written as visible escapes (``\u202e``), so a page cannot reorder what it appears to say."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import resources

from jinja2 import Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

from credscore.engine.score import weighted_total
from credscore.models import DocumentScore, ParsedDocument, ReadError, RubricRef
from credscore.plural import counted
from credscore.report.figures import out_of_100
from credscore.report.safe_text import safe_line, safe_text
from credscore.report.view import (
    ArticleView,
    NamedCriterion,
    article_view,
    cost_words,
    criterion_infos,
    held_words,
    more_words,
    raised_sentence,
)
from credscore.rubric.model import Rubric
from credscore.version import __version__

HISTOGRAM_BINS = 10


@cache
def _environment() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      finalize=_shown)
    env.filters["signed"] = lambda x: f"{x:+g}"
    env.filters["pct"] = out_of_100
    env.filters["cost_words"] = cost_words
    env.filters["held_words"] = held_words
    env.filters["raised_sentence"] = raised_sentence
    env.filters["more_words"] = more_words
    env.filters["counted"] = counted
    env.filters["line"] = safe_line  # a file name: a newline in it shown as \n, not as a space
    return env


def _shown(value: object) -> object:
    """Every value the template prints, with control characters made visible."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return safe_text(value)
    return value


def _template_text() -> str:
    return resources.files(__package__).joinpath("templates/report.html.j2").read_text("utf-8")


@cache
def _script() -> tuple[Markup, str]:
    """The report's script and its CSP source expression ('sha256-...')."""
    text = resources.files(__package__).joinpath("templates/report.js").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Markup(text), f"sha256-{digest}"


def histogram(scores: list[float]) -> list[int]:
    counts = [0] * HISTOGRAM_BINS
    for s in scores:
        counts[min(HISTOGRAM_BINS - 1, int(s // (100 / HISTOGRAM_BINS)))] += 1
    return counts


def heat_colour(score: float | None) -> str:
    """A sequential colour from low (dark purple) to high (yellow), readable by colour-blind
    readers (the viridis ramp), with black or white text chosen for contrast."""
    if score is None:
        return "background:#eee;color:#555"
    stops = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
    x = max(0.0, min(1.0, score)) * (len(stops) - 1)
    i = min(int(x), len(stops) - 2)
    t = x - i
    r, g, b = (round(a + (c - a) * t) for a, c in zip(stops[i], stops[i + 1], strict=True))
    text = "#000" if (0.299 * r + 0.587 * g + 0.114 * b) > 140 else "#fff"
    return f"background:rgb({r},{g},{b});color:{text}"


def render_html(results: list[tuple[DocumentScore, ParsedDocument | None]], rubric: RubricRef,
                rubric_name: str, errors: list[ReadError],
                criteria: Sequence[NamedCriterion] = (),
                ceilings: Sequence[Mapping[str, float]] = (),
                spec: Rubric | None = None) -> str:
    """The report of ``results``; its legend names the rubric's ``criteria`` (when not given,
    those of the results), ``ceilings`` (per criterion, its rules' ceilings by rule id) name
    the criterion whose ceiling held an article's score down, and with ``spec``, the rubric
    that scored them, a short text says how its scores were raised."""
    return "".join(html_pieces(results, rubric, rubric_name, errors, criteria, ceilings, spec))


def html_pieces(results: list[tuple[DocumentScore, ParsedDocument | None]], rubric: RubricRef,
                rubric_name: str, errors: list[ReadError],
                criteria: Sequence[NamedCriterion] = (),
                ceilings: Sequence[Mapping[str, float]] = (),
                spec: Rubric | None = None) -> Iterator[str]:
    """:func:`render_html`, piece by piece, to be written as it is made: each article's marked
    text is made as its section is reached and dropped after it, so a report of many articles
    never holds all of them in memory at once, nor the whole page."""
    ranked = sorted(results, key=lambda r: (-r[0].score, r[0].id))
    infos = criterion_infos([r[0] for r in ranked], criteria)
    articles: list[ArticleView] = [article_view(i, doc, parsed, infos, ceilings=ceilings,
                                                rubric=spec)
                                   for i, (doc, parsed) in enumerate(ranked)]
    # An article no weighted criterion applies to has no total (its 0 stands for none): the
    # overview's figures leave it out.
    totalled = [a.score.score for a in articles if weighted_total(a.score.criteria) is not None]
    template = _environment().from_string(_template_text())
    script, script_hash = _script()
    return template.generate(
        script=script, script_hash=script_hash,
        version=__version__, rubric=rubric, rubric_name=rubric_name, criteria=infos,
        articles=articles, errors=errors, histogram=histogram(totalled),
        scores=totalled, untotalled=len(articles) - len(totalled),
        heat_colour=heat_colour, bins=HISTOGRAM_BINS,
    )
