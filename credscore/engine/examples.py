"""Run the must-match / must-not-match examples a rubric gives for its signals.

Each example is one block of text in a zone the signal reads (the body when it reads the body),
so an example tests the signal itself, not the parser's guess about where a sentence belongs. An
example of a signal on hyperlink targets (``match_in: links``) is a link to the example, with the
example as its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from credscore.engine.compile import CompiledCriterion, CompiledRubric, CompiledSignal
from credscore.engine.match import SentenceIndex
from credscore.engine.plan import CriterionPlan
from credscore.engine.score import criterion_hits
from credscore.models import Block, Link, ParsedDocument, Sentence, Zone
from credscore.parse.blocks import RawBlock, assemble
from credscore.parse.sentences import split_sentences


@dataclass
class ExampleReport:
    total: int = 0
    failures: list[str] = field(default_factory=list)
    # Where each failing example is in the rubric's data, as ("criteria", i, "signals", j,
    # "examples", "match" or "no_match", k): for pointing at its line.
    failed_at: list[tuple[str | int, ...]] = field(default_factory=list)
    per_criterion: dict[str, tuple[int, int]] = field(default_factory=dict)  # match, no_match

    @property
    def passed(self) -> int:
        return self.total - len(self.failures)


def example_document(text: str, zone: Zone, link: bool = False) -> ParsedDocument:
    """``text`` as one block in ``zone``; with ``link``, a hyperlink to ``text`` itself."""
    assembled = assemble([RawBlock([(text, text if link else None)])])
    body = assembled.text
    sentences = tuple(
        Sentence(start=s, end=e, zone=zone) for s, e in split_sentences(body, 0, len(body))
    )
    return ParsedDocument(
        id="example", title=None, text=body,
        blocks=(Block(start=0, end=len(body), zone=zone),) if body else (),
        sentences=sentences,
        links=tuple(Link(start=s, end=e, target=t) for s, e, t in assembled.links),
    )


def signals_found(criterion: CompiledCriterion, plan: CriterionPlan, text: str,
                  zone: Zone, link: bool = False) -> set[int]:
    """The criterion's signals (by index) that find something in ``text``, one block in
    ``zone`` (with ``link``, a hyperlink to ``text``): found as scoring finds them, every
    pattern run."""
    index = SentenceIndex(example_document(text, zone, link))
    phrase_hits = [(start, -end, int(signal)) for start, end, signal in  # type: ignore[call-overload]
                   criterion.phrases.find(index.text, index.lowered)]
    return {h[0] for h in criterion_hits(plan, index, phrase_hits, None)}


def signal_finds(criterion: CompiledCriterion, plan: CriterionPlan, signal: CompiledSignal,
                 text: str) -> bool:
    zone: Zone = "body" if "body" in signal.zones else sorted(signal.zones)[0]
    return signal.index in signals_found(criterion, plan, text, zone, link=not signal.in_text)


def run_examples(compiled: CompiledRubric) -> ExampleReport:
    report = ExampleReport()
    for ci, (criterion, plan) in enumerate(zip(compiled.criteria, compiled.plans, strict=True)):
        n_match = n_no = 0
        for signal in criterion.signals:
            examples = signal.spec.examples
            at = ("criteria", ci, "signals", signal.index, "examples")
            for k, text in enumerate(examples.match):
                report.total += 1
                n_match += 1
                if not signal_finds(criterion, plan, signal, text):
                    report.failures.append(
                        f"{criterion.id}.{signal.id}: should match but does not: {text!r}")
                    report.failed_at.append((*at, "match", k))
            for k, text in enumerate(examples.no_match):
                report.total += 1
                n_no += 1
                if signal_finds(criterion, plan, signal, text):
                    report.failures.append(
                        f"{criterion.id}.{signal.id}: should not match but does: {text!r}")
                    report.failed_at.append((*at, "no_match", k))
        report.per_criterion[criterion.id] = (n_match, n_no)
    return report
