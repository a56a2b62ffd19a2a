"""What scoring a criterion needs from the rubric, worked out once per run.

A criterion's conditions, constraints and rules name signals by id; here they become sets of
signal indexes, its explanation templates are cut into parts per verdict, and its pattern
signals become tuples read in one unpacking, so that scoring a document does no per-document
work on the rubric itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from credscore.engine.regex import Blocks
from credscore.rubric.model import (
    BASE_FIELDS,
    TEMPLATE_FIELD,
    Condition,
    Criterion,
    Scoring,
    Verdict,
)

if TYPE_CHECKING:
    from credscore.engine.compile import CompiledCriterion, CompiledSignal
    from credscore.engine.regex import Pattern

DEFAULT_TEMPLATE = "{verdict}: {findings}"
# The kinds of a signal's template field: ``{id}`` and ``{id.first}``.
COUNT, FIRST = "count", "first"


@dataclass(frozen=True, slots=True)
class ConditionPlan:
    """A :class:`Condition` over signal indexes."""

    present: frozenset[int]
    any_present: frozenset[int]
    absent: frozenset[int]
    min_hits: int = 1  # any_present's signals have at least this many hits together

    def holds(self, found: set[int], hits: Sequence[tuple[int, int, int, int]] = ()) -> bool:
        """Whether the condition holds of a criterion whose signals ``found`` have hits;
        ``hits`` (as :func:`credscore.engine.score.criterion_hits` gives them) are counted, by
        where they start, only for a ``min_hits`` above one."""
        if not (self.present.issubset(found) and self.absent.isdisjoint(found)):
            return False
        if not self.any_present:
            return True
        if self.min_hits == 1:
            return not self.any_present.isdisjoint(found)
        among = self.any_present  # a word two of them find ("arthritis") counts once
        return len({h[1] for h in hits if h[0] in among}) >= self.min_hits


@dataclass(frozen=True, slots=True)
class RulePlan:
    id: str
    points: float
    when: ConditionPlan
    wanted: frozenset[int]  # the signals whose first hit a fired rule points at
    label: str  # what ``{fired}`` says of it
    ceiling: float | None  # the most the article's total may be while the rule fires


# A pattern signal as the scorer reads it: (its place among the rubric's prefiltered patterns,
# zones, the pattern's span search, signal index, the phrase signals it needs in its sentence
# (or block) when all it needs are phrase signals, else None; whether that is the block;
# whether another criterion runs the same search, so that a document is searched once for
# both: the same pattern over the same zones, needing no phrase signal).
RegexStep = tuple[int, frozenset[str],
                  Callable[[bytes, int, int, int, Blocks], list[tuple[int, int]]],
                  int, frozenset[int] | None, bool, bool]
# A signal's ``with`` and ``without`` as indexes, and where they look: "sentence", "block" or
# "hit" (at the hits that overlap the one judged).
Constraint = tuple[frozenset[int], frozenset[int], str]
# A template part: (the text before its field, the field's kind, the signal index or -1).
TemplatePart = tuple[str, str | None, int]


@dataclass(frozen=True, slots=True)
class CriterionPlan:
    spec: Criterion
    regex: tuple[RegexStep, ...]
    links: tuple[CompiledSignal, ...]
    ids: tuple[str, ...]
    points: tuple[float, ...]
    caps: tuple[int | None, ...]
    quiet: frozenset[int]  # the signals whose hits are not listed as findings
    # Quiet signals that only applies_when reads (no rule, with or without, of their own or of
    # another signal, nor an explanation's count or a condition's min_hits): whether one occurs
    # is all that is asked, so scoring keeps one hit of each.
    presence_only: frozenset[int]
    # Quiet signals that only applies_when reads, with a min_hits: how many hits it counts.
    # Scoring reads their hits until that many are sure to count (see score._phrase_hits).
    counted_only: dict[int, int]
    # Quiet signals with a ``with`` or ``without`` of their own that only applies_when reads,
    # and only for whether one hit is kept: once one is, scoring judges no more of them.
    first_kept_only: frozenset[int]
    zones_of: tuple[frozenset[str], ...]
    constraints: tuple[Constraint | None, ...]  # None: the signal has neither
    constrained: bool
    hit_scoped: frozenset[int]  # the signals a ``within: hit`` constraint names
    applies_when: tuple[ConditionPlan, ...] | None  # any of them makes the criterion apply
    rules: tuple[RulePlan, ...]
    scoring: Scoring
    verdicts: tuple[Verdict, ...]  # highest ``min`` first
    templates: dict[str, tuple[TemplatePart, ...]]  # by verdict

    def template(self, verdict: str) -> tuple[TemplatePart, ...]:
        parts = self.templates.get(verdict)
        return parts if parts is not None else template_parts(self.spec, verdict, self.ids)


def plan_rubric(criteria: Sequence[CompiledCriterion]) -> tuple[CriterionPlan, ...]:
    """The plans of a rubric's criteria, with the pattern searches more than one of them runs
    (the same compiled pattern over the same zones) marked as shared."""
    searches = Counter((sig.regex, sig.zones) for c in criteria for sig in c.regex_signals
                       if _needed_phrases(c, sig) is None)
    shared = {search for search, n in searches.items() if n > 1}
    return tuple(plan_criterion(c, shared) for c in criteria)


def plan_criterion(criterion: CompiledCriterion,
                   shared: Collection[tuple[Pattern | None, frozenset[str]]] = ()) -> CriterionPlan:
    """``shared``: the searches (pattern, zones) that other criteria run too."""
    spec = criterion.spec
    ids = criterion.ids
    at = {sid: i for i, sid in enumerate(ids)}

    def indexes(names: list[str]) -> frozenset[int]:
        return frozenset(at[n] for n in names)

    def condition(cond: Condition) -> ConditionPlan:
        return ConditionPlan(indexes(cond.present), indexes(cond.any_present),
                             indexes(cond.absent), cond.min_hits)

    regex: list[RegexStep] = []
    for sig in criterion.regex_signals:
        assert sig.regex is not None
        needed = _needed_phrases(criterion, sig)
        regex.append((sig.set_index, sig.zones, sig.regex.spans, sig.index, needed,
                      sig.spec.within == "block",
                      needed is None and (sig.regex, sig.zones) in shared))
    constraints: list[Constraint | None] = [
        (indexes(s.with_), indexes(s.without), s.within) if s.with_ or s.without
        else None
        for s in criterion.specs]
    rules = tuple(
        RulePlan(r.id, r.points, condition(r.when), indexes([*r.when.present, *r.when.any_present]),
                 r.explain or r.id.replace("_", " "), r.ceiling)
        for r in spec.rules)
    templates = {v.label: template_parts(spec, v.label, ids) for v in spec.verdicts}
    counted = {si for parts in templates.values() for _, kind, si in parts if kind in (COUNT, FIRST)}
    named = _named_by_conditions(spec)
    helpers = frozenset(
        i for i, s in enumerate(criterion.specs)
        if s.quiet and not (s.with_ or s.without) and s.id not in named and i not in counted)
    counted_by_applies: set[int] = set()  # signals an applies_when condition counts hits of
    counted_only: dict[int, int] = {}  # of those that are helpers, the most any condition counts
    for c in spec.applies_conditions:
        if c.min_hits > 1:
            for n in c.any_present:
                counted_by_applies.add(at[n])
                if at[n] in helpers:
                    counted_only[at[n]] = max(counted_only.get(at[n], 0), c.min_hits)
    first_kept_only = frozenset(
        i for i, s in enumerate(criterion.specs)
        if s.quiet and (s.with_ or s.without) and s.id not in named
        and i not in counted and i not in counted_by_applies)
    return CriterionPlan(
        spec=spec,
        regex=tuple(regex),
        links=criterion.link_signals,
        ids=ids,
        points=tuple(s.points for s in criterion.specs),
        caps=tuple(s.max_hits for s in criterion.specs),
        quiet=frozenset(i for i, s in enumerate(criterion.specs) if s.quiet),
        presence_only=helpers - counted_only.keys(),
        counted_only=counted_only,
        first_kept_only=first_kept_only,
        zones_of=criterion.zones_of,
        constraints=tuple(constraints),
        constrained=criterion.constrained,
        hit_scoped=frozenset(s for c in constraints if c is not None and c[2] == "hit"
                             for s in c[0] | c[1]),
        applies_when=None if spec.applies_when is None else tuple(
            condition(c) for c in spec.applies_conditions),
        rules=rules,
        scoring=spec.scoring,
        verdicts=criterion.verdicts,
        templates=templates,
    )


def _named_by_conditions(spec: Criterion) -> frozenset[str]:
    """The signals a rule's condition, or another signal's ``with`` or ``without``, names."""
    named = {n for s in spec.signals for n in (*s.with_, *s.without)}
    named.update(ref for r in spec.rules for _, _, ref in r.when.references())
    return frozenset(named)


def _needed_phrases(criterion: CompiledCriterion, sig: CompiledSignal) -> frozenset[int] | None:
    """The signals a pattern signal's ``with`` names when every one is a phrase signal on the
    text (whose hits are known before patterns run; a phrase signal on hyperlink targets finds
    its hits later); None otherwise (every sentence may count)."""
    if not sig.spec.with_:
        return None
    needed = frozenset(s.index for s in criterion.signals if s.id in sig.spec.with_)
    if not needed or not all(criterion.signals[i].is_phrase and criterion.signals[i].in_text
                             for i in needed):
        return None
    return needed


def template_parts(spec: Criterion, verdict: str, ids: tuple[str, ...]) -> tuple[TemplatePart, ...]:
    """The criterion's explanation template for ``verdict`` as (text before, field kind, signal
    index) triples: the kind is a base field's name, COUNT or FIRST for a signal's ``{id}`` and
    ``{id.first}``, or None for the text after the last field. A name that is not a field is
    left as written."""
    template = spec.explanation
    if isinstance(template, dict):
        template = template.get(verdict) or template.get("default") or DEFAULT_TEMPLATE
    parts: list[TemplatePart] = []
    pending = ""
    at = 0
    for m in TEMPLATE_FIELD.finditer(template):
        name = m.group(1)
        signal, _, first = name.partition(".")
        before = pending + template[at:m.start()]
        at = m.end()
        pending = ""
        if signal in ids and first in ("", "first"):  # a signal's id wins over the rest
            parts.append((before, FIRST if first else COUNT, ids.index(signal)))
        elif name in BASE_FIELDS:
            parts.append((before, name, -1))
        else:
            pending = before + "{" + name + "}"
    parts.append((pending + template[at:], None, -1))
    return tuple(parts)
