"""Compile a rubric once per run: every phrase list becomes a trie-shaped pattern.

All phrase signals of a criterion share one scanning pattern: a zero-width lookahead with one
named group per signal, so that one pass finds every position where any phrase starts, including
phrases that begin inside another match. Regex signals keep their own patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    scanner: re.Pattern[str] | None  # all phrase signals on the text at once
    regex_signals: tuple[CompiledSignal, ...]  # regex signals on the text
    link_signals: tuple[CompiledSignal, ...]  # signals on hyperlink targets

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class CompiledRubric:
    spec: Rubric
    criteria: tuple[CompiledCriterion, ...]


def compile_rubric(rubric: Rubric) -> CompiledRubric:
    return CompiledRubric(rubric, tuple(compile_criterion(c, rubric) for c in rubric.criteria))


def signal_phrases(signal: Signal, rubric: Rubric) -> list[str]:
    phrases = list(signal.phrases)
    for name in signal.lexicons:
        phrases.extend(rubric.lexicons[name])
    return phrases


def compile_criterion(criterion: Criterion, rubric: Rubric) -> CompiledCriterion:
    compiled: list[CompiledSignal] = []
    groups: list[str] = []
    for i, s in enumerate(criterion.signals):
        zones = frozenset(s.zones if s.zones is not None else criterion.zones)
        if s.pattern is not None:
            flags = 0 if s.case_sensitive else re.IGNORECASE
            compiled.append(CompiledSignal(i, s, re.compile(s.pattern, flags), zones, False))
            continue
        source = phrase_regex(signal_phrases(s, rubric), case_sensitive=s.case_sensitive)
        compiled.append(CompiledSignal(i, s, re.compile(source, re.IGNORECASE), zones, True))
        if s.match_in == "text":
            groups.append(f"(?P<s{i}>{source})")
    scanner = re.compile("(?=" + "|".join(groups) + ")", re.IGNORECASE) if groups else None
    return CompiledCriterion(
        spec=criterion,
        signals=tuple(compiled),
        scanner=scanner,
        regex_signals=tuple(s for s in compiled if not s.is_phrase and s.in_text),
        link_signals=tuple(s for s in compiled if not s.in_text),
    )
