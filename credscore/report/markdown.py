"""The Markdown credibility report: the HTML report's content without highlighting, for wikis
and pull requests. Article text and findings are escaped so they cannot inject markup."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from credscore.engine.score import short_raise
from credscore.models import DocumentScore, ParsedDocument, ReadError, RubricRef
from credscore.plural import counted
from credscore.report.figures import out_of_100
from credscore.report.safe_text import folded, safe_line
from credscore.report.view import (
    CriterionInfo,
    Moved,
    NamedCriterion,
    cost_words,
    criterion_infos,
    effects,
    held_from,
    held_words,
    more_words,
    raised_sentence,
    what_cost,
)
from credscore.rubric.model import Rubric
from credscore.version import __version__

# Markdown specials, backslash-escaped. Parentheses, braces and "!" are markup only after
# "[...]", which the escaped brackets never open.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#+|~])")
# What makes a line a list item or a rule when it starts one ("1.", "2)", "-", "=").
_LINE_START = re.compile(r"^(\d{0,9})([.)\-=])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HTML_SPECIAL = re.compile(r"[&<>]")


def md_escape(text: str, starts_line: bool = False) -> str:
    """Text shown as text: HTML specials become entities (no renderer reads them as tags),
    Markdown specials are backslash-escaped (and, for text that ``starts_line``, a list or rule
    marker at its start), lines are folded, control characters shown."""
    text = _HTML_SPECIAL.sub(lambda m: _HTML[m.group()], folded(text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(r"\1\\\2", text, count=1) if starts_line else text


_BACKTICKS = re.compile(r"`+")


def md_code(text: str, cell: bool = False) -> str:
    """Text shown as inline code, whatever it holds: fenced by more backticks than its longest
    run of them (padded when it starts or ends with one), lines folded and control characters
    shown; in a table ``cell``, its pipes escaped so that it stays in the cell (a table reads
    ``\\|`` in code as a pipe, other text as a backslash and a pipe)."""
    text = folded(text).replace("|", "\\|") if cell else folded(text)
    fence = "`" * (max((len(m) for m in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_markdown(results: list[tuple[DocumentScore, ParsedDocument | None]], rubric: RubricRef,
                    rubric_name: str, errors: list[ReadError],
                    criteria: Sequence[NamedCriterion] = (),
                    ceilings: Sequence[Mapping[str, float]] = (),
                    spec: Rubric | None = None) -> str:
    """The report: the ranking, then each article's criteria and findings, then the inputs that
    could not be scored. A run that scored nothing says so instead of drawing an empty table.
    With ``spec``, the rubric that scored them, a short text says how its scores were raised."""
    ranked = sorted(results, key=lambda r: (-r[0].score, r[0].id))
    infos = criterion_infos([r[0] for r in ranked], criteria)
    out = [
        "# Credibility report", "",
        f"{counted(len(ranked), 'article')} scored with "
        f"**{md_escape(rubric_name)}** (rubric `{rubric.id}` "
        f"{md_escape(rubric.version)}, sha256 `{rubric.sha256}`) by credscore {__version__}. "
        "Scores run from 0 to 100; higher means the article reports its evidence more credibly.",
        "",
    ]
    out += _ranking([doc for doc, _ in ranked], infos) if ranked else [
        "No article was scored.", "", *(_criteria_key(infos) if infos else [])]
    by_id = {i.id: i for i in infos}
    for rank, (doc, _) in enumerate(ranked, start=1):
        out += _article(rank, doc, by_id, ceilings, spec)
    if errors:
        out += ["## Not scored", ""] + [f"- {md_escape(safe_line(e.path))}: {md_escape(e.error)}"
                                        for e in errors] + [""]
    return "\n".join(out).rstrip() + "\n"


def _ranking(ranked: list[DocumentScore], infos: list[CriterionInfo]) -> list[str]:
    """The ranking table, one column per criterion, and the key to those columns."""
    out = [
        "## Ranking", "",
        "| # | article | score | grade | " + " | ".join(f"{i.number}" for i in infos) + " |",
        "|--:|---|--:|:-:|" + "--:|" * len(infos),
    ]
    for rank, doc in enumerate(ranked, start=1):
        crit = " | ".join(out_of_100(c.score) for c in doc.criteria)
        out.append(f"| {rank} | {md_escape(doc.title or doc.id)} | {doc.score:.1f} | "
                   f"{md_escape(doc.grade)} | {crit} |")
    return [*out, "", *_criteria_key(infos)]


def _criteria_key(infos: list[CriterionInfo]) -> list[str]:
    """The rubric's criteria with their numbers and weights: under the ranking, and in a report
    of no articles (as the HTML report's rubric section has them)."""
    key = "; ".join(f"{i.number} = {md_escape(i.name)} (weight {i.weight:g})" for i in infos)
    return [f"Criteria: {key}. n/a = not applicable.", ""]


def _article(rank: int, doc: DocumentScore, infos: dict[str, CriterionInfo],
             ceilings: Sequence[Mapping[str, float]] = (),
             spec: Rubric | None = None) -> list[str]:
    """One article: its criteria with their explanations, then what raised and lowered it."""
    out = [f"## {rank}. {md_escape(doc.title or doc.id)}", "",
           f"{md_escape(doc.id)} · {counted(doc.words, 'word')} · "
           f"**score {doc.score:.1f}, grade {md_escape(doc.grade)}**", ""]
    out += [f"{md_escape(e, starts_line=True)}.", ""] if (e := next(iter(doc.errors), None)) else []
    held = held_from(doc)
    if held is not None:
        out += [f"Held at {doc.score:.1f} by a ceiling: the criteria's weighted mean is {held:.1f}, "
                "but a rule that caps the score fired (its criterion below says which).", ""]
    short = short_raise(doc, spec, ceilings) if spec is not None else None
    if short is not None:
        out += [raised_sentence(doc, short), ""]
    out += ["| criterion | weight | score | verdict | explanation |", "|---|--:|--:|---|---|"]
    for c in doc.criteria:
        out.append(f"| {md_escape(c.name)} | {c.weight:g} | {out_of_100(c.score)} | "
                   f"{md_escape(c.verdict)} | {md_escape(c.explanation)} |")
    out.append("")
    cost = what_cost(doc, ceilings)
    costs = [f"{infos[c.id].number}. {md_escape(cost_words(c))}" for c in cost.criteria]
    if cost.held is not None:  # as the score table: the ceiling first
        holder = cost.holder
        named = f"{infos[holder.id].number}. {md_escape(holder.name)}: " if holder else ""
        costs.insert(0, named + held_words(doc, cost.held))
    if costs:
        out += ["**What cost it most:** " + "; ".join(costs), ""]
    raised, lowered = effects(doc, infos)
    for heading, found in (("What raised it", raised), ("What lowered it", lowered)):
        out += _effects(heading, found)
    return out


def _effects(heading: str, found: Moved) -> list[str]:
    """A list of the findings that moved an article one way, each with its sentence, and how
    many more there are."""
    out = [f"**{heading}:**" + ("" if found.shown else " nothing"), ""]
    for e in found.shown:
        quote = f": “{md_escape(e.finding.text)}”" if e.finding.text else ""
        out.append(f"- {e.criterion.number}. {md_escape(e.criterion.name)}, "
                   f"{md_escape(e.finding.signal)}{quote} ({e.finding.points:+g})")
        if e.finding.sentence:
            out.append(f"  > {md_escape(e.finding.sentence)}")
    if found.more:
        out.append(f"- and {more_words(found.more)}")
    return [*out, ""]
