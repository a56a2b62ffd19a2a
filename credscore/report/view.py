"""What every report shows, computed once: criteria with colours and labels, what raised and
lowered each article, and its text cut into segments marked with the findings that cover them.

Reports only read result models (scores, parsed articles, the rubric); they never score
anything themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Protocol

from credscore.engine.score import (
    ShortRaise,
    lowest_ceiling,
    share_words,
    short_raise,
    weighted_total,
)
from credscore.models import Block, CriterionScore, DocumentScore, Finding, ParsedDocument
from credscore.plural import counted, plural
from credscore.rubric.model import Rubric

# Colour-blind-safe hues (Okabe & Ito 2008, extended with Paul Tol's muted scheme). Colour is
# never the only cue: every highlight also carries its criterion number and a tooltip.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#882255", "#44AA99",
    "#999933", "#AA4499", "#117733", "#332288", "#DDCC77", "#88CCEE",
)
NOT_COUNTED = frozenset({"comments", "boilerplate"})


@dataclass(frozen=True)
class CriterionInfo:
    number: int
    id: str
    name: str
    weight: float
    colour: str

    @cached_property
    def ink(self) -> str:
        """Black or white, whichever reads better on this criterion's colour."""
        r, g, b = (int(self.colour[i : i + 2], 16) for i in (1, 3, 5))
        return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


@dataclass(frozen=True)
class Mark:
    criterion: CriterionInfo
    finding: Finding

    @property
    def effect(self) -> float:
        """What the finding did to the total: its points times its criterion's weight (0 for a
        criterion of weight 0, whose findings are shown but move nothing)."""
        return self.finding.points * self.criterion.weight


@dataclass
class Segment:
    text: str
    end: int
    marks: list[Mark] = field(default_factory=list)

    @property
    def closes(self) -> bool:
        """Whether the colouring finding ends here (where its criterion number is shown)."""
        lead = self.lead
        return lead is not None and lead.finding.end == self.end

    @property
    def lead(self) -> Mark | None:
        """The mark that colours the segment: the finding with the largest effect."""
        return max(self.marks, key=lambda m: (abs(m.effect), abs(m.finding.points),
                                              -m.criterion.number), default=None)

    @property
    def closing(self) -> list[CriterionInfo]:
        """The criteria whose findings end here, each once, in number order: each shows its
        number where its finding ends, whichever finding colours the segment."""
        ending = {m.criterion.number: m.criterion for m in self.marks if m.finding.end == self.end}
        return [ending[n] for n in sorted(ending)]


@dataclass
class BlockView:
    zone: str
    segments: list[Segment]

    @property
    def counted(self) -> bool:
        return self.zone not in NOT_COUNTED


# A finding a report lists under what raised or lowered an article, with its criterion.
Effect = Mark


@dataclass
class Moved:
    """The findings that moved an article one way, largest effect first: the ones a report
    lists, and how many more there are (each is under its criterion)."""

    shown: list[Effect]
    more: int = 0


@dataclass
class ArticleView:
    index: int
    score: DocumentScore
    criteria: list[tuple[CriterionInfo, CriterionScore]]
    raised: Moved
    lowered: Moved
    metadata: dict[str, str]
    costly: list[tuple[CriterionInfo, CriterionScore]] = field(default_factory=list)
    held: float | None = None  # the weighted mean a rule's ceiling held the score below
    # The criterion whose rule's ceiling held the score down, when the rubric's ceilings are known.
    holder: tuple[CriterionInfo, CriterionScore] | None = None
    # How a short text's low scores were raised, when the rubric that scored it is known.
    short: ShortRaise | None = None
    parsed: ParsedDocument | None = None  # the text that :attr:`blocks` marks (None: no text)
    infos: dict[str, CriterionInfo] = field(default_factory=dict)
    only: str | None = None  # mark only this criterion's findings (None: every criterion's)

    @property
    def blocks(self) -> list[BlockView]:
        """The article's paragraphs, cut into segments marked with the findings that cover
        them. Made on each use and not kept: they take many times the text's memory, so a
        report of many articles holds one article's at a time."""
        parsed = self.parsed
        if parsed is None:
            return []
        by_id, only = self.infos, self.only
        marks = sorted((
            (f.start, f.end, Mark(by_id[c.id], f))
            for c in self.score.criteria if c.score is not None and (only is None or c.id == only)
            for f in c.findings if f.end > f.start
        ), key=_sort_key)
        return [BlockView(b.zone, segments_of(parsed.text, b.start, b.end, inside))
                for b, inside in zip(parsed.blocks, _marks_by_block(parsed.blocks, marks),
                                     strict=True)]


def costliest(doc: DocumentScore, n: int = 2) -> list[CriterionScore]:
    """The applicable criteria that lost the most weighted points (none that lost nothing)."""
    lost = [c for c in doc.criteria if c.score is not None and c.weight > 0 and c.score < 1]
    return sorted(lost, key=lambda c: (-(c.weight * (1 - c.score)), c.id))[:n]  # type: ignore[operator]


def cost_words(c: CriterionScore) -> str:
    """A criterion that cost an article points, as the score table and the reports name it:
    "Costs discussed 5/100 (costs hardly discussed)"."""
    return f"{c.name} {100 * (c.score or 0):.0f}/100 ({c.verdict})"


@dataclass(frozen=True)
class Costs:
    """What cost an article most, as the score table and the reports name it: a ceiling that
    held its score down first (``held``, the weighted mean it held the score below, and
    ``holder``, the criterion whose rule set it, when the rubric's ceilings are known), then the
    criteria that lost the most weighted points, two in all."""

    held: float | None
    holder: CriterionScore | None
    criteria: list[CriterionScore]


def what_cost(doc: DocumentScore, ceilings: Sequence[Mapping[str, float]] = ()) -> Costs:
    """What cost ``doc`` most (``ceilings``: per criterion of the rubric, its rules' ceilings
    by rule id)."""
    held = held_from(doc)
    holder = None
    if held is not None and len(ceilings) == len(doc.criteria):
        lowest = lowest_ceiling(doc.criteria, ceilings)
        holder = doc.criteria[lowest[1]] if lowest is not None else None
    return Costs(held, holder, costliest(doc, 1 if held is not None else 2))


def held_words(doc: DocumentScore, held: float, by: str | None = None) -> str:
    """A ceiling that held the score down (set by the criterion named ``by``), as the score
    table and the reports name it."""
    named = f" ({by})" if by else ""
    return f"held at {doc.score:.1f} by a ceiling{named}, from a weighted mean of {held:.1f}"


def raised_words(doc: DocumentScore, short: ShortRaise, brief: bool = False) -> str:
    """A short text's raised scores (:func:`short_raise`), as the reports name them: "raised
    from 38.2: at 89 words the text is too short to show what it leaves out, and the low scores
    of 5 criteria were raised 41% of the way to 50 of 100"; ``brief``, as the score table does:
    "raised from 38.2 as a short text (89 words)"."""
    n = len(short.criteria)
    if brief:
        return f"raised from {short.unraised:.1f} as a short text ({counted(doc.words, 'word')})"
    return (f"raised from {short.unraised:.1f}: at {counted(doc.words, 'word')} the text is too "
            f"short to show what it leaves out, and the {plural(n, 'low score')} of "
            f"{counted(n, 'criterion', 'criteria')} {plural(n, 'was', 'were')} raised "
            f"{share_words(short.share)} of the way to {100 * short.toward:g} of 100")


def raised_sentence(doc: DocumentScore, short: ShortRaise) -> str:
    """:func:`raised_words` as the sentence the HTML and Markdown reports put above an
    article's criteria, whose explanations each say it too."""
    words = raised_words(doc, short)
    return f"{words[:1].upper()}{words[1:]} (each one's explanation below says so)."


def held_from(doc: DocumentScore) -> float | None:
    """The weighted mean of the article's criteria when a rule's ceiling held its score below
    it (what the score would have been), else None."""
    mean = weighted_total(doc.criteria)
    if mean is None or round(mean, 1) <= doc.score:
        return None
    return round(mean, 1)


class NamedCriterion(Protocol):
    """A criterion as the reports name it: a rubric's, or a result's."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def weight(self) -> float: ...


def criterion_infos(scores: list[DocumentScore],
                    rubric: Sequence[NamedCriterion] = ()) -> list[CriterionInfo]:
    """The criteria in rubric order: the ``rubric``'s own when given (so a report of no
    articles still has them), else those of the first result (all share one rubric)."""
    criteria: Sequence[NamedCriterion] = rubric or (scores[0].criteria if scores else [])
    return [CriterionInfo(i + 1, c.id, c.name, c.weight, PALETTE[i % len(PALETTE)])
            for i, c in enumerate(criteria)]


def effects(doc: DocumentScore, infos: dict[str, CriterionInfo], limit: int = 6,
            ) -> tuple[Moved, Moved]:
    """Findings that raised and lowered the article, largest weighted effect first, at most
    ``limit`` of each (a criterion of weight 0 raises and lowers nothing)."""
    found = [Effect(infos[c.id], f) for c in doc.criteria if c.score is not None and infos[c.id].weight
             for f in c.findings if f.points]
    ranked = sorted(found, key=lambda e: (-abs(e.effect), e.criterion.number, e.finding.start))
    raised = [e for e in ranked if e.finding.points > 0]
    lowered = [e for e in ranked if e.finding.points < 0]
    return (Moved(raised[:limit], max(0, len(raised) - limit)),
            Moved(lowered[:limit], max(0, len(lowered) - limit)))


def more_words(n: int) -> str:
    """What a report says of the findings past those it lists under what raised or lowered an
    article."""
    return f"{counted(n, 'more finding')} of no larger effect, each under its criterion"


def segments_of(text: str, start: int, end: int, marks: list[tuple[int, int, Mark]]) -> list[Segment]:
    """Cut ``text[start:end]`` at every mark boundary; each piece lists the marks covering it, in
    the order they were given. One sweep over the boundaries, keeping the marks open at each."""
    inside = [(max(s, start), min(e, end), m) for s, e, m in marks if s < end and e > start]
    cuts = sorted({start, end, *(s for s, _, _ in inside), *(e for _, e, _ in inside)})
    opening, closing = _boundaries(inside)
    open_marks: dict[int, Mark] = {}
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        for i in closing.get(a, ()):
            del open_marks[i]
        open_marks.update(opening.get(a, ()))
        out.append(Segment(text[a:b], b, [open_marks[i] for i in sorted(open_marks)]))
    return out


def _boundaries(inside: list[tuple[int, int, Mark]],
                ) -> tuple[dict[int, list[tuple[int, Mark]]], dict[int, list[int]]]:
    """Where each mark that spans some text opens and closes, keyed by offset; marks are named
    by their place in ``inside``."""
    opening: dict[int, list[tuple[int, Mark]]] = {}
    closing: dict[int, list[int]] = {}
    for i, (s, e, m) in enumerate(inside):
        if s < e:
            opening.setdefault(s, []).append((i, m))
            closing.setdefault(e, []).append(i)
    return opening, closing


def article_view(index: int, doc: DocumentScore, parsed: ParsedDocument | None,
                 infos: list[CriterionInfo], criterion: str | None = None,
                 ceilings: Sequence[Mapping[str, float]] = (),
                 rubric: Rubric | None = None) -> ArticleView:
    """What a report shows of one article; with ``criterion``, its text marks only that
    criterion's findings. What cost it most is, as in the score table, a ceiling that held the
    score down first (its criterion named when ``ceilings`` are given), then the criteria that
    lost the most weighted points. With the ``rubric`` that scored it, a short text's raised
    scores (:func:`short_raise`)."""
    by_id = {i.id: i for i in infos}
    raised, lowered = effects(doc, by_id)
    costs = what_cost(doc, ceilings)
    holder = costs.holder
    return ArticleView(
        index=index, score=doc, criteria=[(by_id[c.id], c) for c in doc.criteria],
        raised=raised, lowered=lowered,
        metadata=dict(parsed.metadata) if parsed is not None else {},
        costly=[(by_id[c.id], c) for c in costs.criteria],
        held=costs.held, holder=(by_id[holder.id], holder) if holder is not None else None,
        short=short_raise(doc, rubric, ceilings) if rubric is not None else None,
        parsed=parsed, infos=by_id, only=criterion,
    )


def _marks_by_block(blocks: Sequence[Block], marks: list[tuple[int, int, Mark]],
                    ) -> Iterator[list[tuple[int, int, Mark]]]:
    """For each block (in text order), the marks (sorted by start) that overlap it, in the
    order given: one sweep, where handing every block every mark took time in their product."""
    following = 0
    active: list[tuple[int, int, Mark]] = []
    for b in blocks:
        first = following
        while following < len(marks) and marks[following][0] < b.end:
            following += 1
        active = [m for m in (*active, *marks[first:following]) if m[1] > b.start]
        yield active


def _sort_key(mark: tuple[int, int, Mark]) -> tuple[int, int, int]:
    return (mark[0], mark[1], mark[2].criterion.number)
