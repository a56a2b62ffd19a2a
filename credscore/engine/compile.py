"""Compile a rubric once per run.

Phrase signals go into token tables (``credscore.engine.phrases``): one for the whole rubric, so
a document is matched against every phrase of every criterion in one pass, and one per criterion
for checking a criterion on its own (rubric examples). Regex signals are compiled twice: as
written, and, when the regex names no upper-case letter, without case folding for the
document's lower-cased text (case folding in ``re`` costs several times the match itself); and
the literal prefixes every match begins with are read off the pattern when there are a few
(``credscore.engine.anchors``), so the pattern is tried only where they occur.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from credscore.engine.anchors import Anchor, anchor_of
from credscore.engine.phrases import PhraseMatcher
from credscore.models import Zone
from credscore.patterns import phrase_regex
from credscore.rubric.model import Criterion, Rubric, Signal


@dataclass(frozen=True, slots=True)
class CompiledSignal:
    index: int
    spec: Signal
    pattern: re.Pattern[str]
    zones: frozenset[Zone]
    is_phrase: bool
    # The same pattern without IGNORECASE, for the document's lower-cased text (None when the
    # signal is case-sensitive or its regex names upper-case letters). Case folding in ``re``
    # costs several times the match itself.
    lower_pattern: re.Pattern[str] | None = None
    # Literal prefixes every match of the scanned pattern begins with (None: scan everywhere).
    anchor: Anchor | None = None

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def in_text(self) -> bool:
        return self.spec.match_in == "text"


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    spec: Criterion
    signals: tuple[CompiledSignal, ...]
    phrases: PhraseMatcher  # the criterion's phrase signals on the text; keys are signal indexes
    regex_signals: tuple[CompiledSignal, ...]  # regex signals on the text
    link_signals: tuple[CompiledSignal, ...]  # signals on hyperlink targets

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class CompiledRubric:
    spec: Rubric
    criteria: tuple[CompiledCriterion, ...]
    phrases: PhraseMatcher  # every phrase signal of every criterion; keys (criterion, signal)


def compile_rubric(rubric: Rubric) -> CompiledRubric:
    criteria = tuple(compile_criterion(c, rubric) for c in rubric.criteria)
    everything = PhraseMatcher()
    for ci, criterion in enumerate(criteria):
        for sig in criterion.signals:
            if sig.is_phrase and sig.in_text:
                everything.add(signal_phrases(sig.spec, rubric), (ci, sig.index),
                               sig.spec.case_sensitive)
    return CompiledRubric(rubric, criteria, everything)


def signal_phrases(signal: Signal, rubric: Rubric) -> list[str]:
    phrases = list(signal.phrases)
    for name in signal.lexicons:
        phrases.extend(rubric.lexicons[name])
    return phrases


_ESCAPE = re.compile(r"\\.")


def case_free(pattern: str) -> bool:
    """Whether a regex names no upper-case letter (outside escapes such as \\S) and no inline
    case flag, so that matching it without case folding on lower-cased text is equivalent."""
    bare = _ESCAPE.sub("", pattern)
    return not re.search(r"[A-Z]|\(\?[a-zA-Z]*-?[a-zA-Z]*i", bare)


def compile_criterion(criterion: Criterion, rubric: Rubric) -> CompiledCriterion:
    compiled: list[CompiledSignal] = []
    matcher = PhraseMatcher()
    for i, s in enumerate(criterion.signals):
        zones = frozenset(s.zones if s.zones is not None else criterion.zones)
        if s.pattern is not None:
            flags = 0 if s.case_sensitive else re.IGNORECASE
            lower = (re.compile(s.pattern) if not s.case_sensitive and case_free(s.pattern)
                     else None)
            anchor = anchor_of(s.pattern, 0 if lower is not None else flags)
            compiled.append(CompiledSignal(i, s, re.compile(s.pattern, flags), zones, False, lower,
                                           anchor))
            continue
        phrases = signal_phrases(s, rubric)
        # The regex form serves link targets, which are matched one by one.
        source = phrase_regex(phrases, case_sensitive=s.case_sensitive)
        compiled.append(CompiledSignal(i, s, re.compile(source, re.IGNORECASE), zones, True))
        if s.match_in == "text":
            matcher.add(phrases, i, s.case_sensitive)
    return CompiledCriterion(
        spec=criterion,
        signals=tuple(compiled),
        phrases=matcher,
        regex_signals=tuple(s for s in compiled if not s.is_phrase and s.in_text),
        link_signals=tuple(s for s in compiled if not s.in_text),
    )
