"""Score a parsed document against a compiled rubric, explaining every number.

``score(parsed, compiled)`` is pure: the same document and rubric always give the same result.
Points come from signal hits (capped by ``max_hits``) and document-level rules; the criterion's
scoring turns them into [0, 1]; the weighted mean of applicable criteria, times 100, is the total,
held at or below the ``ceiling`` of any rule that fired.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

from credscore.engine.compile import CompiledRubric
from credscore.engine.match import SentenceIndex, overlapping, rubric_patterns_present
from credscore.engine.plan import COUNT, FIRST, CriterionPlan, RulePlan
from credscore.engine.regex import MAX_SIGNAL_HITS, Blocks
from credscore.engine.rows import CriterionRow, FindingRow, ScoreRow, to_model
from credscore.models import CriterionScore, DocumentScore, Finding, ParsedDocument
from credscore.oneline import clipped
from credscore.parse.parsed import ParsedText
from credscore.plural import counted
from credscore.rubric.model import (
    Criterion,
    Grade,
    Rubric,
    Scoring,
    ShortText,
    Verdict,
)

NOT_APPLICABLE = "not applicable"
# The summary of a criterion's findings when every one it has is of a signal with no points.
NO_POINTS = "no finding with points"
# A finding quotes its whole sentence when that is at most CONTEXT_CHARS long; otherwise the
# matched text with up to CONTEXT_WINDOW characters either side (CONTEXT_CHARS in all), cut at
# spaces and marked with an ellipsis. Output and memory then grow with the number of findings,
# never with findings times sentence length.
CONTEXT_CHARS = 400
CONTEXT_WINDOW = 150
ELLIPSIS = "…"


def score(doc: ParsedDocument, compiled: CompiledRubric) -> DocumentScore:
    return to_model(score_rows(doc, compiled))


def score_rows(doc: ParsedText | ParsedDocument, compiled: CompiledRubric,
               explain: bool = True) -> ScoreRow:
    """The score of a parsed document as plain rows (see ``credscore.engine.rows``): what the
    writers read; :func:`score` gives the same as models. ``explain=False`` leaves out what
    only explains the numbers, for a writer that shows none of it (CSV): the findings' text and
    sentence, and the criteria's explanations, are empty; every number, verdict and finding's
    place is as with it."""
    index = SentenceIndex(doc)
    phrase_hits = _phrase_hits(compiled, index)
    present = rubric_patterns_present(compiled, index)
    quotes = Quotes(index) if explain else None
    words = index.words
    plans = compiled.plans
    short = raise_for((), compiled.spec, words)
    first: dict[int, CriterionRow] = {}
    if short is not None and short.forfeited_by:
        # The criteria whose fault forfeits a short text's raise are scored first, never raised.
        first = {i: _criterion_row(plan, index, phrase_hits.get(i, ()), present, quotes, words)
                 for i, plan in enumerate(plans) if plan.spec.id in short.forfeited_by}
        short = raise_for(list(first.values()), compiled.spec, words)
    criteria = [first[i] if i in first else
                _criterion_row(plan, index, phrase_hits.get(i, ()), present, quotes, words, short)
                for i, plan in enumerate(plans)]
    total = held(weighted_total(criteria), criteria, compiled.ceilings)
    errors: tuple[str, ...] = ()
    if total is None:
        errors = ("no criterion of the rubric applies to this document",)
    value = round(total if total is not None else 0.0, 1)
    return ScoreRow(
        id=index.id,
        title=index.title,
        words=words,
        score=value,
        grade=grade_for(value, compiled.spec, compiled.grades) if total is not None else "?",
        criteria=criteria,
        errors=errors,
    )


def weighted_total(criteria: Sequence[CriterionScore | CriterionRow]) -> float | None:
    applicable = [c for c in criteria if c.score is not None and c.weight > 0]
    weight = sum(c.weight for c in applicable)
    if weight == 0:
        return None
    return 100.0 * sum(c.weight * c.score for c in applicable) / weight  # type: ignore[operator]


def ceiling_of(criteria: Sequence[CriterionScore | CriterionRow],
               ceilings: Sequence[Mapping[str, float]]) -> float | None:
    """The lowest ceiling among the rules with one that fired (a rule's finding carries its id),
    over ``criteria`` in the rubric's order; None when none did."""
    lowest = lowest_ceiling(criteria, ceilings)
    return lowest[0] if lowest is not None else None


def lowest_ceiling(criteria: Sequence[CriterionScore | CriterionRow],
                   ceilings: Sequence[Mapping[str, float]]) -> tuple[float, int] | None:
    """:func:`ceiling_of`, with the place in ``criteria`` of the criterion whose rule set it (the
    first, of equal ceilings)."""
    found = [(ceiling, i) for i, (c, by_rule) in enumerate(zip(criteria, ceilings, strict=True))
             if by_rule for f in c.findings if (ceiling := by_rule.get(f.signal)) is not None]
    return min(found) if found else None


def held(total: float | None, criteria: Sequence[CriterionScore | CriterionRow],
         ceilings: Sequence[Mapping[str, float]]) -> float | None:
    """The total held at or below the ceiling of any rule that fired (None stays None)."""
    if total is None or not any(ceilings):
        return total
    ceiling = ceiling_of(criteria, ceilings)
    return total if ceiling is None else min(total, ceiling)


def grade_for(value: float, rubric: Rubric, ordered: tuple[Grade, ...] = ()) -> str:
    """The grade of a score; ``ordered`` is the rubric's grades sorted as here, once per run."""
    for g in ordered or sorted(rubric.grades, key=lambda g: -g.min):
        if value >= g.min:
            return g.grade
    return rubric.grades[-1].grade


class Quotes:
    """The text a document's findings quote: the matched text and its bounded context.

    Equal strings are shared between findings (a sentence with five findings is held once, and
    so is a word found a thousand times), which keeps a document with a million findings in
    memory at a small multiple of its output.
    """

    def __init__(self, index: SentenceIndex) -> None:
        self._text = index.text
        self._starts, self._ends = index.starts, index.ends
        self._sentences: dict[int, str] = {}
        self._texts: dict[str, str] = {}

    def text(self, start: int, end: int) -> str:
        piece = self._text[start:end]
        return self._texts.setdefault(piece, piece)

    def context(self, sentence: int, start: int, end: int) -> str:
        lo, hi = self._starts[sentence], self._ends[sentence]
        if hi - lo <= CONTEXT_CHARS:
            found = self._sentences.get(sentence)
            if found is None:
                found = self._sentences[sentence] = self._text[lo:hi]
            return found
        return context_window(self._text, lo, hi, start, end)


def context_window(text: str, lo: int, hi: int, start: int, end: int) -> str:
    """``text[start:end]`` with up to CONTEXT_WINDOW characters of ``text[lo:hi]`` either side,
    CONTEXT_CHARS in all (or the hit alone, when it is longer), cut after a space where one is
    near; an ellipsis marks each cut. The hit itself is never cut."""
    a = max(lo, start - min(CONTEXT_WINDOW, max(0, CONTEXT_CHARS - (end - start))))
    b = min(hi, end + CONTEXT_WINDOW, max(end, a + CONTEXT_CHARS))
    if a > lo:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b < hi:
        space = text.rfind(" ", max(end, a), b)
        b = space if space >= 0 else b
    return (ELLIPSIS if a > lo else "") + text[a:b] + (ELLIPSIS if b < hi else "")


def _criterion_row(
    plan: CriterionPlan, index: SentenceIndex, phrase_hits: Sequence[tuple[int, int, int]],
    present: Mapping[int, list[tuple[int, int]]] | None, quotes: Quotes | None, words: int,
    short: ShortText | None = None,
) -> CriterionRow:
    """One criterion in one walk: its hits (:func:`criterion_hits`, from the phrase hits found
    for the whole rubric), findings, rules, score (a low one :func:`raised` by ``short``, the
    rubric's short_text where it raises this article's scores), verdict (of the score as found)
    and explanation (without ``quotes``: no text, no explanation)."""
    spec = plan.spec
    hits = criterion_hits(plan, index, phrase_hits, present)
    fired_signals = {h[0] for h in hits}
    zones = index.zones
    if plan.applies_when is not None and not any(c.holds(fired_signals, hits)
                                                 for c in plan.applies_when):
        return CriterionRow(spec.id, spec.name, spec.weight, None, NOT_APPLICABLE,
                            spec.not_applicable, [])
    findings: list[FindingRow] = []
    points_of: list[float] = []
    # By signal (and rule) id: the points of its findings and the first text they quote.
    groups: dict[str, tuple[list[float], list[str]]] = {}
    if hits:
        seen = [0] * len(plan.ids)
        ids, points, caps, quiet = plan.ids, plan.points, plan.caps, plan.quiet
        for si, start, end, sentence in hits:
            if si in quiet:
                continue  # (a helper read only by conditions: fired_signals holds it)
            seen[si] += 1
            cap = caps[si]
            p = 0.0 if cap is not None and seen[si] > cap else points[si]
            points_of.append(p)
            if quotes is None:
                findings.append(FindingRow(ids[si], zones[sentence], start, end, "", "", p))
                continue
            piece = quotes.text(start, end)
            findings.append(FindingRow(ids[si], zones[sentence], start, end, piece,
                                       quotes.context(sentence, start, end), p))
            if points[si]:  # a signal of no points (a helper) is left to the findings
                _group(groups, ids[si], p, piece)
    fired: list[str] = []
    ceiling: float | None = None
    for rule in plan.rules:
        if rule.when.holds(fired_signals, hits):
            fired.append(rule.label)
            if rule.ceiling is not None:
                ceiling = rule.ceiling if ceiling is None else min(ceiling, rule.ceiling)
            finding = _rule_row(rule, hits, zones, quotes)
            findings.append(finding)
            points_of.append(rule.points)
            _group(groups, rule.id, rule.points, finding.text)
    total = round(sum(points_of), 4)
    scoring = plan.scoring
    rated = rate(total, words, scoring)
    scored = round(points_to_score(rated, scoring), 4)
    value = raised(scored, findings, spec, words, short)
    verdict = verdict_for(scored, spec, plan.verdicts)
    explanation = ""
    if quotes is not None:
        explanation = _explanation(plan, verdict, value, total, groups, fired, hits, index.text)
        if rated != total:  # (taken per words: scoring.per_words is set)
            explanation = rate_note(explanation, total, rated, words, scoring.per_words or 0)
        if value != scored:
            explanation = short_note(explanation, words, short)  # type: ignore[arg-type]
        if ceiling is not None:
            explanation = ceiling_note(explanation, ceiling)
    return CriterionRow(spec.id, spec.name, spec.weight, value, verdict, explanation, findings)


def caught(findings: Sequence[Finding | FindingRow], spec: Criterion) -> bool:
    """Whether the text was caught at a fault of the criterion ``spec``: a hit of a penalised
    signal, or a penalising rule with no ``absent`` condition (one with it judges what the text
    leaves out, even where it points at what the text said)."""
    absence = {r.id for r in spec.rules if r.when.absent}
    return any(f.points < 0 and f.signal not in absence for f in findings)


def raise_for(criteria: Sequence[CriterionScore | CriterionRow], rubric: Rubric,
              words: int) -> ShortText | None:
    """The rubric's ``short_text`` where it raises the low scores of an article of ``words``
    words whose scored ``criteria`` include its ``forfeited_by`` ones: None for a text long
    enough, or one caught at a fault of a ``forfeited_by`` criterion."""
    short = rubric.short_text
    if short is None or words >= short.words:
        return None
    specs = {c.id: c for c in rubric.criteria}
    if any(c.id in short.forfeited_by and caught(c.findings, specs[c.id]) for c in criteria):
        return None
    return short


def raises(findings: Sequence[Finding | FindingRow], spec: Criterion,
           short: ShortText | None) -> bool:
    """Whether ``short`` (from :func:`raise_for`) raises the criterion ``spec``'s low score: not
    for a criterion whose fault forfeits the raise, nor one the text was :func:`caught` at."""
    return short is not None and spec.id not in short.forfeited_by and not caught(findings, spec)


def raised(value: float, findings: Sequence[Finding | FindingRow], spec: Criterion, words: int,
           short: ShortText | None) -> float:
    """A criterion's score as :func:`pulled` by ``short`` where it :func:`raises` it."""
    return pulled(value, words, short) if raises(findings, spec, short) else value


def raised_share(words: int, short: ShortText | None) -> float:
    """How far toward ``short.toward`` a low criterion score of an article of ``words`` words
    is raised: the share of ``short.words`` the text lacks (half as many words: half the way),
    less below ``short.min_words`` (none at all at 0 words); 0 for a text long enough."""
    if short is None or words >= short.words:
        return 0.0
    share = 1 - words / short.words
    return share * words / short.min_words if words < short.min_words else share


def pulled(value: float, words: int, short: ShortText | None) -> float:
    """A criterion's score in an article of ``words`` words: in a text shorter than
    ``short.words``, a score below ``short.toward`` is raised toward it by
    :func:`raised_share`, since too little text cannot show what an article leaves out; a score
    at or above it, and any score of a longer text, stays as scored (:func:`raised` says which
    criteria are raised at all)."""
    share = raised_share(words, short)
    if short is None or not share or value >= short.toward:
        return value
    return round(value + (short.toward - value) * share, 4)


@dataclass(frozen=True)
class ShortRaise:
    """How a short text's low criterion scores were :func:`pulled` up (:func:`short_raise`)."""

    share: float  # how far toward ``toward`` each was raised
    toward: float
    criteria: tuple[str, ...]  # the ids of the criteria raised, in the rubric's order
    unraised: float  # the article's score had none been raised, to one decimal


def found_score(crit: CriterionScore, spec: Criterion, words: int,
                points: Mapping[str, float] | None = None) -> float | None:
    """A criterion's score as its findings make it in an article of ``words`` words, before a
    short text's raise: as the engine computes it (hits past ``max_hits`` score nothing, points
    taken per words when the scoring says so, sums and scores rounded alike), with ``points``
    in place of the written ones where given (by signal or rule id)."""
    if crit.score is None:
        return None
    caps = {s.id: s.max_hits for s in spec.signals}
    seen: Counter[str] = Counter()
    total = 0.0
    for f in crit.findings:
        seen[f.signal] += 1
        cap = caps.get(f.signal)
        if cap is not None and seen[f.signal] > cap:
            continue
        total += points.get(f.signal, f.points) if points else f.points
    return round(points_to_score(rate(round(total, 4), words, spec.scoring), spec.scoring), 4)


def short_raise(doc: DocumentScore, rubric: Rubric,
                ceilings: Sequence[Mapping[str, float]] = ()) -> ShortRaise | None:
    """Which of a scored article's criteria the ``rubric``'s ``short_text`` raised (those whose
    score differs from what their findings make it, as the engine notes them), and the score
    the article would have had without (held by the rubric's ``ceilings`` as the score was):
    None when nothing was raised, or when that left the score as it is (a ceiling holds both)."""
    short = raise_for(doc.criteria, rubric, doc.words)
    share = raised_share(doc.words, short)
    if short is None or not share or len(doc.criteria) != len(rubric.criteria):
        return None
    before: list[CriterionScore] = []
    ids: list[str] = []
    for c, spec in zip(doc.criteria, rubric.criteria, strict=True):
        found = found_score(c, spec, doc.words)
        if found is not None and found != c.score:
            ids.append(c.id)
            c = c.model_copy(update={"score": found})
        before.append(c)
    total = held(weighted_total(before), before, ceilings)
    if not ids or total is None or round(total, 1) >= doc.score:
        return None
    return ShortRaise(share, short.toward, tuple(ids), round(total, 1))


def share_words(share: float) -> str:
    """How far a short text's scores were raised, as a percentage: never "0%" for a raise, nor
    "100%" for one that stops short."""
    percent = round(100 * share)
    if 0 < share < 1:
        percent = min(max(percent, 1), 99)
    return f"{percent}%"


def short_note(explanation: str, words: int, short: ShortText) -> str:
    """A criterion's explanation, with the sentence that says its score was :func:`pulled` up
    (out of 100, as every report shows a criterion's score)."""
    share = raised_share(words, short)
    return _ended(explanation, f"At {counted(words, 'word')} the text is too short to "
                  f"show what it leaves out: the score is raised {share_words(share)} of the "
                  f"way to {100 * short.toward:g} of 100.")


def rate_note(explanation: str, points: float, rated: float, words: int, per_words: int) -> str:
    """A criterion's explanation, with the sentence that says its ``points`` were taken per
    ``per_words`` words in an article of ``words``, as ``rated`` (:func:`rate`)."""
    return _ended(explanation, f"At {counted(words, 'word', commas=True)} the points are taken "
                  f"per {per_words:g} words: {points:+g} counts as {rated:+.2f}.")


def ceiling_note(explanation: str, ceiling: float) -> str:
    """A criterion's explanation, with the sentence it ends on when one of its rules holds the
    total down."""
    return _ended(explanation, f"It holds the article's score at {ceiling:g} or below.")


def _ended(explanation: str, sentence: str) -> str:
    """``explanation`` followed by ``sentence``, after a full stop whatever the explanation
    template ends with."""
    stop = "" if explanation.rstrip().endswith((".", "!", "?")) else "."
    return f"{explanation.rstrip()}{stop} {sentence}"


def criterion_hits(plan: CriterionPlan, index: SentenceIndex,
                   phrase_hits: Sequence[tuple[int, int, int]],
                   present: Mapping[int, list[tuple[int, int]]] | None,
                   ) -> list[tuple[int, int, int, int]]:
    """A criterion's hits as (signal, start, end, sentence), in text order: its phrase hits
    (``phrase_hits``, as (start, -end, signal)), its pattern hits in the zones each pattern reads
    (only the rubric's patterns in ``present`` are run, over the spans it gives for each;
    None: all, everywhere), its hyperlinks; each in a sentence of a zone its signal reads, not
    overlapping an earlier hit of the same signal, and meeting its signal's ``with`` and
    ``without``. Scoring and the rubric's examples both find
    hits here."""
    found: list[tuple[int, int, int]] = list(phrase_hits)
    for set_index, zones, spans, i, needed, in_block, shared in plan.regex:
        runs = None
        if present is not None:
            runs = present.get(set_index)
            if runs is None:
                continue  # the pattern cannot occur in the document
        if shared:  # another criterion runs the same search: once per document for both
            got = index.shared_hits.get((spans, zones))  # (bound to one Pattern: equal)
            if got is None:
                got = index.shared_hits[(spans, zones)] = _pattern_hits(spans, index, zones,
                                                                        runs=runs)
        else:
            sentences = None if needed is None else _sentences_with(needed, in_block,
                                                                    phrase_hits, index)
            got = _pattern_hits(spans, index, zones, sentences, runs)
        found.extend([(a, -b, i) for a, b in got])
    for sig in plan.links:
        for start, end, target in index.links:
            if sig.matches_link(target):
                found.append((start, -end, sig.index))
    found.sort()
    hits: list[tuple[int, int, int, int]] = []  # (signal, start, end, sentence)
    last_end = [-1] * len(plan.ids)
    left = [MAX_SIGNAL_HITS] * len(plan.ids)
    zones_of, starts, ends, zones = plan.zones_of, index.starts, index.ends, index.zones
    for start, neg_end, si in found:
        if start < last_end[si] or not left[si]:
            continue  # overlaps an earlier hit of the same signal, or the signal has all it may
        sentence = bisect_right(starts, start) - 1
        if sentence < 0 or start >= ends[sentence]:
            continue  # between sentences
        if zones[sentence] not in zones_of[si]:
            continue
        last_end[si] = -neg_end
        left[si] -= 1
        hits.append((si, start, -neg_end, sentence))
    if plan.constrained and hits:
        hits = _constrained(plan, hits, index.block_of)
    return hits


def _pattern_hits(spans: Callable[[bytes, int, int, int, Blocks], list[tuple[int, int]]],
                  index: SentenceIndex, zones: frozenset[str], sentences: set[int] | None = None,
                  runs: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """A pattern's hits, as character spans, in the ranges of ``zones`` (and ``sentences``)
    that :meth:`SentenceIndex.byte_ranges` gives, within the paragraphs ``runs`` says it may
    match in (None: all), at most MAX_SIGNAL_HITS."""
    data, blocks = index.data, index.blocks
    out: list[tuple[int, int]] = []
    room = MAX_SIGNAL_HITS  # a search stops once the signal has all the hits it may
    ranges = index.byte_ranges(zones, sentences)
    if runs is not None:
        ranges = overlapping(ranges, runs)
    for start, end in ranges:
        got = spans(data, start, end, room, blocks)
        if got:
            room -= len(got)
            out.extend(got)
    if out and not index.offsets.ascii:  # byte and character offsets differ
        to_chars = index.offsets.to_chars
        out = [(to_chars(a), to_chars(b)) for a, b in out]
    return out


def _group(groups: dict[str, tuple[list[float], list[str]]], signal: str, points: float,
           text: str) -> None:
    """Count a finding in its signal's group, as :func:`summarize` groups findings."""
    group = groups.get(signal)
    if group is None:
        groups[signal] = ([points], [text])
    else:
        group[0].append(points)
        if not group[1][0] and text:
            group[1][0] = text


def _phrase_hits(compiled: CompiledRubric, index: SentenceIndex,
                 ) -> dict[int, list[tuple[int, int, int]]]:
    """The rubric's phrase hits in one pass, by criterion, as (start, -end, signal). Of a quiet
    signal that only says whether it occurs (``presence_only``), one hit in a zone it reads."""
    by_criterion: dict[int, list[tuple[int, int, int]]] = {}
    plans = compiled.plans
    present: set[tuple[int, int]] = set()  # presence-only signals with a hit, and counted ones
    counting: dict[tuple[int, int], list[tuple[int, int]]] = {}  # ... whose count is not sure
    # The whole rubric's phrase matcher keys each phrase by (criterion, signal).
    found_phrases: list[tuple[int, int, tuple[int, int]]] = compiled.phrases.find(  # type: ignore[assignment]
        index.text, index.lowered)
    for start, end, key in found_phrases:
        if key in present:
            continue  # (most hits: a lexicon's words, of a helper already settled)
        ci, si = key
        plan = plans[ci]
        if si in plan.presence_only or si in plan.counted_only:
            sentence = index.at(start)
            if sentence is None or index.zones[sentence] not in plan.zones_of[si]:
                continue
            if si in plan.presence_only:
                present.add(key)
            else:
                kept = counting.setdefault(key, [])
                kept.append((start, end))
                if _sure_to_count(kept, plan.counted_only[si], end, compiled.reach.get(key)):
                    present.add(key)
        found = by_criterion.get(ci)
        if found is None:
            by_criterion[ci] = [(start, -end, si)]
        else:
            found.append((start, -end, si))
    return by_criterion


def _sure_to_count(kept: list[tuple[int, int]], wanted: int, now: int,
                   reach: int | None) -> bool:
    """Whether the hits of a counted helper kept so far, as (start, end), in the order the phrase
    pass finds them (by where they end), already hold ``wanted`` that the criterion counts
    whatever hits come after: hits that end at least ``reach`` (the longest a hit can span)
    before ``now`` cannot be overlapped by a later one, so which of them the criterion keeps
    (the first and longest of overlapping hits) is settled; ``reach`` None: never sure."""
    if reach is None or len(kept) < wanted:
        return False
    settled = sorted((s, -e) for s, e in kept if e <= now - reach)
    count, last_end, last_start = 0, -1, -1
    for s, neg_e in settled:
        if s < last_end:
            continue
        if s != last_start:
            count += 1
        last_end, last_start = -neg_e, s
    return count >= wanted


def _sentences_with(needed: frozenset[int], in_block: bool,
                    phrase_hits: Sequence[tuple[int, int, int]], index: SentenceIndex) -> set[int]:
    """Sentences where a pattern signal whose ``with`` names only phrase signals can count:
    those (or those of the blocks) where each of them has a hit."""
    per_signal: dict[int, set[int]] = {i: set() for i in needed}
    for start, _, si in phrase_hits:
        if si in per_signal:
            sentence = index.at(start)
            if sentence is not None:
                per_signal[si].add(sentence)
    if in_block:
        block_of = index.block_of
        blocks = set.intersection(*({block_of[x] for x in v} for v in per_signal.values()))
        return {i for i, b in enumerate(block_of) if b in blocks}
    return set.intersection(*per_signal.values())


def _constrained(plan: CriterionPlan, hits: list[tuple[int, int, int, int]],
                 block_of: list[int]) -> list[tuple[int, int, int, int]]:
    """Hits whose sentence (or block, or overlapping hits) meets their signal's ``with`` and
    ``without``."""
    by_sentence: dict[int, set[int]] | None = None  # made when a constraint looks at it
    by_block: dict[int, set[int]] | None = None  # ... at the block
    spans: dict[int, tuple[list[int], list[int]]] | None = None  # ... at the hits
    kept = []
    constraints = plan.constraints
    first_kept_only = plan.first_kept_only
    settled: set[int] = set()  # of those, the signals with a hit kept: the rest are not judged
    for h in hits:
        rule = constraints[h[0]]
        if rule is None:
            kept.append(h)
            continue
        if h[0] in settled:
            continue
        with_, without, scope = rule
        if scope == "hit":
            if spans is None:
                spans = _spans_by_signal(hits, plan.hit_scoped)
            _, start, end, _ = h
            if all(_overlapped(spans.get(s), start, end) for s in with_) and \
                    not any(_overlapped(spans.get(s), start, end) for s in without):
                kept.append(h)
                if h[0] in first_kept_only:
                    settled.add(h[0])
            continue
        if by_sentence is None:
            by_sentence = _signals_by_sentence(hits)
        if scope == "block":
            if by_block is None:
                by_block = {}
                for sentence, signals in by_sentence.items():
                    by_block.setdefault(block_of[sentence], set()).update(signals)
            there = by_block[block_of[h[3]]]
        else:
            there = by_sentence[h[3]]
        if there.issuperset(with_) and there.isdisjoint(without):
            kept.append(h)
            if h[0] in first_kept_only:
                settled.add(h[0])
    return kept


def _signals_by_sentence(hits: list[tuple[int, int, int, int]]) -> dict[int, set[int]]:
    """The signals with a hit in each sentence that has one."""
    by_sentence: dict[int, set[int]] = {}
    for si, _, _, sentence in hits:
        there = by_sentence.get(sentence)
        if there is None:
            by_sentence[sentence] = {si}
        else:
            there.add(si)
    return by_sentence


def _spans_by_signal(hits: list[tuple[int, int, int, int]], signals: frozenset[int],
                     ) -> dict[int, tuple[list[int], list[int]]]:
    """The hits of each of ``signals``: their starts in order, and the furthest end reached up
    to each of them (so that whether one overlaps a span is one search, however many). A hit
    belongs to the sentence it starts in, but it overlaps whatever it reaches: a quotation of
    two sentences that the next words call false covers both."""
    grouped: dict[int, list[tuple[int, int]]] = {}
    for si, start, end, _ in hits:
        if si in signals:
            grouped.setdefault(si, []).append((start, end))
    out = {}
    for key, found in grouped.items():
        found.sort()
        furthest = list(accumulate((end for _, end in found), max))
        out[key] = ([start for start, _ in found], furthest)
    return out


def _overlapped(spans: tuple[list[int], list[int]] | None, start: int, end: int) -> bool:
    """Whether one of ``spans`` (from :func:`_spans_by_signal`) overlaps ``start:end``."""
    if spans is None:
        return False
    starts, furthest = spans
    before = bisect_left(starts, end)  # the spans that start before this one ends
    return before > 0 and furthest[before - 1] > start


def _rule_row(rule: RulePlan, hits: list[tuple[int, int, int, int]], zones: list[str],
              quotes: Quotes | None) -> FindingRow:
    """A rule's finding points at the first hit that made it fire; an absence rule has no span.
    Without ``quotes`` it quotes no text."""
    wanted = rule.wanted
    for si, start, end, sentence in hits:
        if si in wanted:
            if quotes is None:
                return FindingRow(rule.id, zones[sentence], start, end, "", "", rule.points)
            return FindingRow(rule.id, zones[sentence], start, end, quotes.text(start, end),
                              quotes.context(sentence, start, end), rule.points)
    return FindingRow(rule.id, "document", 0, 0, "", "", rule.points)


def _explanation(plan: CriterionPlan, verdict: str, value: float, points: float,
                 groups: dict[str, tuple[list[float], list[str]]], fired: list[str],
                 hits: list[tuple[int, int, int, int]], text: str) -> str:
    out: list[str] = []
    for before, kind, si in plan.template(verdict):
        out.append(before)
        if kind is None:
            continue
        if kind == "findings":  # (a quiet signal's hits are no finding)
            listed = any(h[0] not in plan.quiet for h in hits) if plan.quiet else bool(hits)
            out.append(_summary(groups) if groups or not listed else NO_POINTS)
        elif kind == "verdict":
            out.append(verdict)
        elif kind == COUNT:
            out.append(str(sum(1 for h in hits if h[0] == si)))
        elif kind == FIRST:
            first = next((h for h in hits if h[0] == si), None)
            out.append(f'"{text[first[1] : first[2]]}"' if first is not None else "none")
        elif kind == "score":
            out.append(f"{value:.2f}")
        elif kind == "percent":
            out.append(f"{100 * value:.0f}%")
        elif kind == "points":
            out.append(f"{points:+g}")
        elif kind == "name":
            out.append(plan.spec.name)
        elif kind == "fired":
            out.append("; ".join(fired) if fired else "no rule fired")
    return "".join(out)


def rate(points: float, words: int, scoring: Scoring) -> float:
    """The points a criterion scores on: as found, or per ``per_words`` words of the article."""
    if scoring.per_words is None or words <= scoring.per_words:
        return points
    return points * scoring.per_words / words


def points_to_score(points: float, scoring: Scoring) -> float:
    if scoring.method == "steps":  # below the lowest step, the lowest step's score
        ordered = sorted(scoring.steps, key=lambda s: s.min_points)
        chosen = ordered[0].score
        for step in ordered:
            if points >= step.min_points:
                chosen = step.score
        return chosen
    if scoring.method == "linear":
        return min(1.0, max(0.0, scoring.base + points / scoring.scale))
    if points >= 0:
        return scoring.base + (1 - scoring.base) * (1 - math.exp(-points / scoring.scale))
    return scoring.base * math.exp(points / scoring.scale)


def verdict_for(value: float, spec: Criterion, ordered: tuple[Verdict, ...] = ()) -> str:
    """The verdict of a score; ``ordered`` is the verdicts sorted as here, once per run."""
    for v in ordered or sorted(spec.verdicts, key=lambda v: -v.min):
        if value >= v.min:
            return v.label
    return spec.verdicts[-1].label


def summarize(findings: Sequence[Finding | FindingRow]) -> str:
    """'journal named ×2 ("Nature"), vague appeal ×1 ("studies show")', strongest first: every
    finding given, those of no points too (a criterion's explanation leaves out the signals of
    no points, whose findings move nothing)."""
    groups: dict[str, tuple[list[float], list[str]]] = {}
    for f in findings:
        _group(groups, f.signal, f.points, f.text)
    return _summary(groups)


def _summary(groups: dict[str, tuple[list[float], list[str]]]) -> str:
    """:func:`summarize` of findings already grouped by signal."""
    if not groups:
        return "nothing found"
    if len(groups) == 1:
        ((signal, (points, example)),) = groups.items()
        return _summary_part(signal, points, sum(points), example[0])
    totals = {signal: sum(points) for signal, (points, _) in groups.items()}
    return "; ".join([_summary_part(signal, groups[signal][0], totals[signal], groups[signal][1][0])
                      for signal in sorted(groups, key=lambda s: (-abs(totals[s]), s))])


def _summary_part(signal: str, points: list[float], total: float, example: str) -> str:
    label = signal.replace("_", " ")
    count = f" ×{len(points)}" if len(points) > 1 else ""
    # A quotation found is shown in the summary's own quotation marks, not in two pairs.
    shown = clipped(example.strip('"')) if example else ""
    quoted = f' ("{shown}")' if shown else ""
    return f"{label}{count}{quoted} {total:+g}"
