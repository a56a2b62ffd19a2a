"""Score a parsed document against a compiled rubric, explaining every number.

``score(parsed, compiled)`` is pure: the same document and rubric always give the same result.
Points come from signal hits (capped by ``max_hits``) and document-level rules; the criterion's
scoring turns them into [0, 1]; the weighted mean of applicable criteria, times 100, is the total.
"""

from __future__ import annotations

import math
from functools import lru_cache

from credscore.engine.compile import CompiledCriterion, CompiledRubric
from credscore.engine.match import (
    Hit,
    SentenceIndex,
    constrained_hits,
    raw_hits,
    rubric_patterns_present,
    rubric_phrase_hits,
)
from credscore.models import CriterionScore, DocumentScore, Finding, ParsedDocument
from credscore.rubric.model import (
    TEMPLATE_FIELD,
    Condition,
    Criterion,
    Grade,
    Rubric,
    Scoring,
    Verdict,
)

NOT_APPLICABLE = "not applicable"
# A finding quotes its whole sentence when that is at most CONTEXT_CHARS long; otherwise the
# matched text with up to CONTEXT_WINDOW characters either side (CONTEXT_CHARS in all), cut at
# spaces and marked with an ellipsis. Output and memory then grow with the number of findings,
# never with findings times sentence length.
CONTEXT_CHARS = 400
CONTEXT_WINDOW = 150
ELLIPSIS = "…"


def score(doc: ParsedDocument, compiled: CompiledRubric) -> DocumentScore:
    index = SentenceIndex(doc)
    phrase_hits = rubric_phrase_hits(compiled, index)
    present = rubric_patterns_present(compiled, index)
    quotes = Quotes(index)
    criteria = tuple(score_criterion(c, index, phrase_hits.get(i, []), present, quotes)
                     for i, c in enumerate(compiled.criteria))
    total = weighted_total(criteria)
    errors: tuple[str, ...] = ()
    if total is None:
        errors = ("no criterion of the rubric applies to this document",)
    value = round(total if total is not None else 0.0, 1)
    # Every value below is made here from validated rubric data: validating again per document
    # would cost more than scoring some of them.
    return DocumentScore.trusted(
        id=doc.id,
        title=doc.title,
        words=doc.words,
        score=value,
        grade=grade_for(value, compiled.spec, compiled.grades) if total is not None else "?",
        criteria=criteria,
        errors=errors,
    )


def weighted_total(criteria: tuple[CriterionScore, ...]) -> float | None:
    applicable = [c for c in criteria if c.score is not None and c.weight > 0]
    weight = sum(c.weight for c in applicable)
    if weight == 0:
        return None
    return 100.0 * sum(c.weight * c.score for c in applicable) / weight  # type: ignore[operator]


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
        self._text = index.doc.text
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
    CONTEXT_CHARS in all, cut after a space where one is near; an ellipsis marks each cut."""
    a = max(lo, start - CONTEXT_WINDOW)
    b = min(hi, end + CONTEXT_WINDOW, a + CONTEXT_CHARS)
    if a > lo:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b < hi:
        space = text.rfind(" ", max(end, a), b)
        b = space if space >= 0 else b
    return (ELLIPSIS if a > lo else "") + text[a:b] + (ELLIPSIS if b < hi else "")


def score_criterion(
    criterion: CompiledCriterion, index: SentenceIndex,
    phrase_hits: list[tuple[int, int, int]] | None = None,
    present: frozenset[int] | None = None, quotes: Quotes | None = None,
) -> CriterionScore:
    spec = criterion.spec
    doc = index.doc
    quotes = quotes or Quotes(index)
    hits = constrained_hits(criterion, raw_hits(criterion, doc, index, phrase_hits, present),
                            index)
    ids = criterion.ids
    present = {ids[h.signal] for h in hits}
    if spec.applies_when is not None and not holds(spec.applies_when, present):
        return CriterionScore.trusted(
            id=spec.id, name=spec.name, weight=spec.weight, score=None,
            verdict=NOT_APPLICABLE, explanation=spec.not_applicable, findings=(),
        )
    findings = _signal_findings(criterion, hits, index, quotes)
    fired = []
    for rule in spec.rules:
        if holds(rule.when, present):
            fired.append(rule.explain or rule.id.replace("_", " "))
            findings.append(_rule_finding(rule.id, rule.points, rule.when, criterion, hits, doc,
                                          quotes))
    points = round(sum(f.points for f in findings), 4)
    value = round(points_to_score(rate(points, doc.words, spec.scoring), spec.scoring), 4)
    verdict = verdict_for(value, spec, criterion.verdicts)
    explanation = explain(spec, verdict, value, points, findings, fired, hits, criterion, doc)
    return CriterionScore.trusted(
        id=spec.id, name=spec.name, weight=spec.weight, score=value, verdict=verdict,
        explanation=explanation, findings=tuple(findings),
    )


def holds(cond: Condition, present: set[str]) -> bool:
    return (
        all(s in present for s in cond.present)
        and (not cond.any_present or any(s in present for s in cond.any_present))
        and not any(s in present for s in cond.absent)
    )


def rate(points: float, words: int, scoring: Scoring) -> float:
    """The points a criterion scores on: as found, or per ``per_words`` words of the article."""
    if scoring.per_words is None or words <= scoring.per_words:
        return points
    return points * scoring.per_words / words


def points_to_score(points: float, scoring: Scoring) -> float:
    if scoring.method == "steps":
        chosen = scoring.steps[0].score
        for step in sorted(scoring.steps, key=lambda s: s.min_points):
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


def _signal_findings(criterion: CompiledCriterion, hits: list[Hit], index: SentenceIndex,
                     quotes: Quotes) -> list[Finding]:
    counted = [0] * len(criterion.signals)
    findings = []
    specs, zones, text, context = criterion.specs, index.zones, quotes.text, quotes.context
    trusted = Finding.trusted
    for signal, start, end, sentence in hits:
        sig = specs[signal]
        counted[signal] += 1
        capped = sig.max_hits is not None and counted[signal] > sig.max_hits
        findings.append(trusted(
            signal=sig.id, zone=zones[sentence], start=start, end=end, text=text(start, end),
            sentence=context(sentence, start, end), points=0.0 if capped else sig.points,
        ))
    return findings


def _rule_finding(
    rule_id: str, points: float, when: Condition, criterion: CompiledCriterion,
    hits: list[Hit], doc: ParsedDocument, quotes: Quotes,
) -> Finding:
    """A rule's finding points at the first hit that made it fire; an absence rule has no span."""
    wanted = [*when.present, *when.any_present]
    for h in hits:
        if criterion.signals[h.signal].id in wanted:
            return Finding.trusted(
                signal=rule_id, zone=doc.sentences[h.sentence].zone, start=h.start, end=h.end,
                text=quotes.text(h.start, h.end),
                sentence=quotes.context(h.sentence, h.start, h.end), points=points,
            )
    return Finding.trusted(signal=rule_id, zone="document", start=0, end=0, text="", sentence="",
                           points=points)


def explain(
    spec: Criterion, verdict: str, value: float, points: float, findings: list[Finding],
    fired: list[str], hits: list[Hit], criterion: CompiledCriterion, doc: ParsedDocument,
) -> str:
    template = spec.explanation
    if isinstance(template, dict):
        template = template.get(verdict) or template.get("default") or "{verdict}: {findings}"
    out: list[str] = []
    for literal, field in _template_parts(template):
        out.append(literal)
        if field is not None:
            out.append(_field(field, spec, verdict, value, points, findings, fired, hits,
                              criterion, doc))
    return "".join(out)


@lru_cache(maxsize=1024)
def _template_parts(template: str) -> tuple[tuple[str, str | None], ...]:
    """A template cut into (text, field) pairs once, so a document fills only the fields its
    template names."""
    parts: list[tuple[str, str | None]] = []
    at = 0
    for m in TEMPLATE_FIELD.finditer(template):
        parts.append((template[at:m.start()], m.group(1)))
        at = m.end()
    parts.append((template[at:], None))
    return tuple(parts)


def _field(
    name: str, spec: Criterion, verdict: str, value: float, points: float,
    findings: list[Finding], fired: list[str], hits: list[Hit], criterion: CompiledCriterion,
    doc: ParsedDocument,
) -> str:
    signal, _, first = name.partition(".")
    if signal in criterion.ids and first in ("", "first"):  # a signal's id wins over the rest
        mine = [h for h in hits if criterion.ids[h.signal] == signal]
        if not first:
            return str(len(mine))
        return f'"{doc.text[mine[0].start : mine[0].end]}"' if mine else "none"
    if name == "verdict":
        return verdict
    if name == "score":
        return f"{value:.2f}"
    if name == "percent":
        return f"{100 * value:.0f}%"
    if name == "points":
        return f"{points:+g}"
    if name == "name":
        return spec.name
    if name == "fired":
        return "; ".join(fired) if fired else "no rule fired"
    if name == "findings":
        return summarize(findings)
    return "{" + name + "}"  # not a field: left as written


def summarize(findings: list[Finding]) -> str:
    """'journal named ×2 ("Nature"), vague appeal ×1 ("studies show")', strongest first."""
    if not findings:
        return "nothing found"
    points: dict[str, list[float]] = {}
    examples: dict[str, str] = {}
    for f in findings:
        signal = f.signal
        found = points.get(signal)
        if found is None:
            points[signal] = [f.points]
        else:
            found.append(f.points)
        if f.text and signal not in examples:
            examples[signal] = f.text
    totals = {signal: sum(ps) for signal, ps in points.items()}
    parts = []
    for signal in sorted(points, key=lambda s: (-abs(totals[s]), s)):
        n = len(points[signal])
        example = examples.get(signal, "")
        label = signal.replace("_", " ")
        count = f" ×{n}" if n > 1 else ""
        quoted = f' ("{_clip(example)}")' if example else ""
        parts.append(f"{label}{count}{quoted} {totals[signal]:+g}")
    return "; ".join(parts)


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
