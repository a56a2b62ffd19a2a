"""Compile a rubric once per run.

Phrase signals go into Aho-Corasick tables (``credscore.engine.phrases``): one for the whole
rubric, so a document is read once for every phrase of every criterion, and one per criterion
for checking a criterion on its own (rubric examples). Pattern signals are compiled by RE2
(``credscore.engine.regex``), and every pattern of the rubric also goes behind one prefilter, so
one read of a document says which patterns need running at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from credscore.engine.phrases import PhraseMatcher, phrase_tokens
from credscore.engine.plan import CriterionPlan, plan_rubric
from credscore.engine.regex import Pattern, PatternFilter
from credscore.models import Zone
from credscore.patterns import phrase_regex
from credscore.rubric.model import Criterion, Grade, Rubric, Signal, Verdict


@dataclass(frozen=True, slots=True)
class CompiledSignal:
    index: int
    spec: Signal
    zones: frozenset[Zone]
    is_phrase: bool
    # A pattern signal's RE2 pattern; None for a phrase signal.
    regex: Pattern | None = None
    # A phrase signal's phrases as one regular expression, for hyperlink targets (matched one
    # by one); None otherwise.
    phrase_re: re.Pattern[str] | None = None
    # This signal's place among the rubric's prefiltered patterns (-1: not among them).
    set_index: int = -1

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def in_text(self) -> bool:
        return self.spec.match_in == "text"

    def matches_link(self, target: str) -> bool:
        if self.regex is not None:
            return self.regex.search_text(target)
        return self.phrase_re is not None and self.phrase_re.search(target) is not None


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    spec: Criterion
    signals: tuple[CompiledSignal, ...]
    phrases: PhraseMatcher  # the criterion's phrase signals on the text; keys are signal indexes
    regex_signals: tuple[CompiledSignal, ...]  # pattern signals on the text
    link_signals: tuple[CompiledSignal, ...]  # signals on hyperlink targets
    # By signal index, read once per hit rather than through the spec.
    ids: tuple[str, ...] = ()
    specs: tuple[Signal, ...] = ()
    zones_of: tuple[frozenset[Zone], ...] = ()
    constrained: bool = False  # some signal has ``with`` or ``without``
    verdicts: tuple[Verdict, ...] = ()  # highest ``min`` first

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class CompiledRubric:
    spec: Rubric
    criteria: tuple[CompiledCriterion, ...]
    phrases: PhraseMatcher  # every phrase signal of every criterion; keys (criterion, signal)
    patterns: PatternFilter  # every text pattern of every criterion, by ``set_index``
    grades: tuple[Grade, ...] = ()  # highest ``min`` first
    plans: tuple[CriterionPlan, ...] = ()  # by criterion, what scoring reads of it
    # By criterion, the ceilings of its rules that hold the total down, by rule id.
    ceilings: tuple[dict[str, float], ...] = ()
    # Every text of the rubric that a score carries is printable: no control, format or
    # separator character, which the JSON writers would have to escape.
    printable: bool = False
    # By (criterion, signal), for a phrase signal on the text: the longest text a hit of it can
    # span, or None when a phrase is a prefix ("word*") whose hits have no bound.
    reach: dict[tuple[int, int], int | None] = field(default_factory=dict)


def rule_ceilings(rubric: Rubric) -> tuple[dict[str, float], ...]:
    """Per criterion, the ceiling of each of its rules that has one, by rule id."""
    return tuple({r.id: r.ceiling for r in c.rules if r.ceiling is not None}
                 for c in rubric.criteria)


def compile_rubric(rubric: Rubric) -> CompiledRubric:
    sources: list[tuple[str, bool]] = []
    patterns: dict[tuple[str, bool], Pattern] = {}
    criteria = tuple(compile_criterion(c, rubric, sources, patterns) for c in rubric.criteria)
    everything = PhraseMatcher()
    reach: dict[tuple[int, int], int | None] = {}
    for ci, criterion in enumerate(criteria):
        for sig in criterion.signals:
            if sig.is_phrase and sig.in_text:
                phrases = signal_phrases(sig.spec, rubric)
                everything.add(phrases, (ci, sig.index), sig.spec.case_sensitive)
                reach[(ci, sig.index)] = _reach(phrases, sig.spec.case_sensitive)
    return CompiledRubric(rubric, criteria, everything, PatternFilter(sources),
                          grades=tuple(sorted(rubric.grades, key=lambda g: -g.min)),
                          plans=plan_rubric(criteria),
                          ceilings=rule_ceilings(rubric),
                          printable=all(t.isprintable() for t in score_texts(rubric)),
                          reach=reach)


def _reach(phrases: list[str], case_sensitive: bool) -> int | None:
    """The longest text a hit of these phrases can span (their tokens one space apart at
    most), or None when one is a prefix ("word*"), whose hits run on."""
    longest = 0
    for phrase in phrases:
        tokens, prefix = phrase_tokens(phrase, fold=not case_sensitive)
        if prefix:
            return None
        longest = max(longest, sum(map(len, tokens)) + len(tokens) - 1)
    return longest


def score_texts(rubric: Rubric) -> list[str]:
    """The rubric's texts that a score can carry: ids, names, labels and explanations."""
    texts = [g.grade for g in rubric.grades]
    for c in rubric.criteria:
        texts += [c.id, c.name, c.not_applicable, *(v.label for v in c.verdicts),
                  *(s.id for s in c.signals)]
        texts += list(c.explanation.values()) if isinstance(c.explanation, dict) else [c.explanation]
        for r in c.rules:
            texts += [r.id, r.explain]
    return texts


def signal_phrases(signal: Signal, rubric: Rubric) -> list[str]:
    phrases = list(signal.phrases)
    for name in signal.lexicons:
        phrases.extend(rubric.lexicons[name])
    return phrases


def compile_criterion(criterion: Criterion, rubric: Rubric,
                      set_sources: list[tuple[str, bool]] | None = None,
                      patterns: dict[tuple[str, bool], Pattern] | None = None,
                      ) -> CompiledCriterion:
    """``set_sources`` collects the text patterns for the rubric's prefilter; each signal
    records its place in it. ``patterns`` holds the patterns compiled so far, by source and
    case: a pattern that several signals share (a lexicon written as one) is compiled once, and
    enters the prefilter once."""
    compiled: list[CompiledSignal] = []
    matcher = PhraseMatcher()
    for i, s in enumerate(criterion.signals):
        zones = frozenset(s.zones if s.zones is not None else criterion.zones)
        if s.pattern is not None:
            key = (s.pattern, s.case_sensitive)
            regex = patterns.get(key) if patterns is not None else None
            if regex is None:
                regex = Pattern(*key)
                if patterns is not None:
                    patterns[key] = regex
            set_index = -1
            if set_sources is not None and s.match_in == "text":
                if key in set_sources:
                    set_index = set_sources.index(key)
                else:
                    set_index = len(set_sources)
                    set_sources.append(key)
            compiled.append(CompiledSignal(i, s, zones, False, regex=regex, set_index=set_index))
            continue
        phrases = signal_phrases(s, rubric)
        if s.match_in == "text":
            matcher.add(phrases, i, s.case_sensitive)
            compiled.append(CompiledSignal(i, s, zones, True))
        else:
            source = phrase_regex(phrases, case_sensitive=s.case_sensitive)
            compiled.append(CompiledSignal(i, s, zones, True,
                                           phrase_re=re.compile(source, re.IGNORECASE)))
    return CompiledCriterion(
        spec=criterion,
        signals=tuple(compiled),
        phrases=matcher,
        regex_signals=tuple(s for s in compiled if not s.is_phrase and s.in_text),
        link_signals=tuple(s for s in compiled if not s.in_text),
        ids=tuple(s.id for s in compiled),
        specs=tuple(s.spec for s in compiled),
        zones_of=tuple(s.zones for s in compiled),
        constrained=any(s.with_ or s.without for s in criterion.signals),
        verdicts=tuple(sorted(criterion.verdicts, key=lambda v: -v.min)),
    )
