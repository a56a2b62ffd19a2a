"""The rubric language: pydantic models of a rubric YAML file.

Strict: unknown keys, wrong types (a YAML ``no`` read as a boolean in a phrase list), duplicate
ids, dangling references between signals, regexes outside RE2's linear-time language, and
unknown template fields are all errors. ``credscore rubric schema`` prints
the JSON Schema of these models.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from credscore.models import Zone
from credscore.parse.normalize import normalize_inline
from credscore.plural import plural
from credscore.rubric.re2_syntax import pattern_problem

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
EVIDENCE_ZONES: list[Zone] = ["title", "body", "quote", "references"]
TEMPLATE_FIELD = re.compile(r"\{([^{}]*)\}")
# Template fields every criterion offers; signal ids add ``{signal}`` and ``{signal.first}``.
BASE_FIELD_ORDER = ("verdict", "score", "percent", "points", "name", "fired", "findings")
BASE_FIELDS = frozenset(BASE_FIELD_ORDER)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Examples(Strict):
    """Sentences the signal must find something in (``match``) and must not (``no_match``)."""

    match: list[str] = Field(default_factory=list)
    no_match: list[str] = Field(default_factory=list)


class Signal(Strict):
    """Something to find in the text: phrases (with shared lexicons) or a regular expression."""

    id: Id
    description: str = ""
    phrases: list[str] = Field(default_factory=list, description="Phrases; 'word*' is a prefix.")
    lexicons: list[Id] = Field(default_factory=list, description="Names of shared lexicons.")
    pattern: str | None = Field(
        None, description="A regular expression in RE2 syntax (linear time: no look-arounds, no "
        "back-references); a group named 'hit' marks the part that is the finding.")
    case_sensitive: bool = False
    match_in: Literal["text", "links"] = Field(
        "text", description="'links': match hyperlink targets; the hit is the link's anchor text."
    )
    points: float = 0.0
    quiet: bool = Field(
        False, description="Hits are not listed as findings: a helper that only conditions read "
        "(applies_when, rules, with, without), such as the topic of an article. Needs points 0.")
    max_hits: int | None = Field(None, ge=0, description="Hits past this many score 0 points.")
    zones: list[Zone] | None = Field(None, min_length=1,
                                     description="Zones read; default: the criterion's.")
    with_: list[Id] = Field(
        default_factory=list, alias="with",
        description="Counts only in a sentence where each of these signals also has a hit.",
    )
    without: list[Id] = Field(
        default_factory=list,
        description="Counts only in a sentence where none of these signals has a hit.",
    )
    within: Literal["sentence", "block", "hit"] = Field(
        "sentence", description="Where 'with' and 'without' look: the sentence, the block, or "
        "the hit itself (their hits must overlap it)."
    )
    examples: Examples = Field(default_factory=Examples)

    model_config = ConfigDict(populate_by_name=True)

    @field_validator("phrases")
    @classmethod
    def _phrases_well_formed(cls, phrases: list[str]) -> list[str]:
        _check_phrases(phrases)
        return phrases

    @field_validator("pattern")
    @classmethod
    def _pattern_is_re2(cls, pattern: str | None) -> str | None:
        if pattern is None:
            return None
        problem = pattern_problem(pattern)
        if problem is not None:
            raise PydanticCustomError(
                "bad_regex", "regular expression: {msg}",
                {"msg": problem.message, "pos": problem.offset},
            )
        return pattern

    @model_validator(mode="after")
    def _quiet_has_no_points(self) -> Signal:
        if self.quiet and self.points:
            raise PydanticCustomError(
                "quiet_points", "a quiet signal's hits are not listed, so it cannot move a score: "
                "give it points 0, or drop 'quiet' to list its findings")
        return self

    @model_validator(mode="after")
    def _one_matcher(self) -> Signal:
        has_phrases = bool(self.phrases or self.lexicons)
        if has_phrases and self.pattern is not None:
            raise PydanticCustomError(
                "signal_matcher",
                "a signal has both 'phrases'/'lexicons' and 'pattern'; keep one of them (a signal "
                "changed in a rubric that extends another keeps the base's: to change one for the "
                "other, add its id to the criterion's 'remove' and write the signal whole)",
            )
        if not has_phrases and self.pattern is None:
            raise PydanticCustomError(
                "signal_matcher", "a signal needs 'phrases', 'lexicons' or 'pattern'; add one")
        return self


class Condition(Strict):
    """Presence and absence of signals anywhere in the zones the criterion reads."""

    present: list[Id] = Field(default_factory=list, description="Each of these has a hit.")
    any_present: list[Id] = Field(default_factory=list, description="One of these has a hit.")
    absent: list[Id] = Field(default_factory=list, description="None of these has a hit.")
    min_hits: int = Field(
        1, ge=1, description="any_present holds when its signals have at least this many hits "
        "together: one passing word does not make an article one about a topic.")

    @model_validator(mode="after")
    def _names_a_signal(self) -> Condition:
        if not (self.present or self.any_present or self.absent):
            raise PydanticCustomError(
                "empty_condition", "the condition names no signal, so it would hold for every "
                "article: give present, any_present or absent")
        if self.min_hits > 1 and not self.any_present:
            raise PydanticCustomError(
                "min_hits_alone", "min_hits counts the hits of any_present's signals, and this "
                "condition has none: list the signals to count in any_present")
        return self

    def references(self) -> Iterator[tuple[str, int, str]]:
        """Each signal id the condition names, with its key and its place in that list."""
        for key in ("present", "any_present", "absent"):
            for i, ref in enumerate(getattr(self, key)):
                yield key, i, ref


class Rule(Strict):
    """Points given once when a condition holds over the whole document; with ``ceiling``, the
    article's total is also held at or below that value while the rule fires."""

    id: Id
    when: Condition
    points: float
    explain: str = ""
    ceiling: float | None = Field(
        None, ge=0, le=100,
        description="When the rule fires, the article's total (0-100) is at most this: a fault no "
        "amount of evidence elsewhere makes up for.")


class Step(Strict):
    min_points: float
    score: float = Field(ge=0, le=1)


class Scoring(Strict):
    """How the sum of points becomes a score in [0, 1].

    - ``saturating``: ``base`` with no points, approaching 1 (or 0) as points grow (or fall);
      ``scale`` points go about 63% of the way.
    - ``linear``: ``base + points / scale``, clipped to [0, 1].
    - ``steps``: the score of the highest step whose ``min_points`` the points reach.

    With ``per_words``, the points are first scaled to a rate per that many words.
    """

    method: Literal["saturating", "linear", "steps"] = "saturating"
    base: float = Field(0.5, ge=0, le=1)
    scale: float = Field(2.0, gt=0)
    steps: list[Step] = Field(default_factory=list)
    per_words: int | None = Field(
        None, gt=0,
        description="Points are a rate per this many words: an article longer than this has its "
        "points scaled by per_words / words (never up), so a long article is not judged on how "
        "many chances it had to trip a signal.",
    )

    @model_validator(mode="after")
    def _steps_present(self) -> Scoring:
        if self.method == "steps" and not self.steps:
            raise PydanticCustomError("steps", "method 'steps' needs a list of steps")
        _distinct_mins([s.min_points for s in self.steps], "steps", key="min_points",
                       shown=lambda m: f"{m:g}")
        if self.method != "steps" and self.steps:
            raise PydanticCustomError(
                "steps", "steps are read only with method: steps (this scoring is '{method}'); "
                "add method: steps or remove the steps", {"method": self.method, "at": ("steps",)})
        return self


class ShortText(Strict):
    """How much a short text's absences count: in an article of fewer than ``words`` words, a
    criterion score below ``toward`` is raised toward it by the share of ``words`` the text lacks
    (less below ``min_words``), unless the text was caught at a fault of that criterion, or of
    one of the ``forfeited_by`` criteria."""

    words: int = Field(
        gt=0, description="Below this many words (in the article's own zones), criterion scores "
        "below 'toward' are raised toward it: a text of half as many is raised half the way; "
        "a criterion the text was caught at a fault of (a penalised signal found, or a "
        "penalising rule without an 'absent' condition) is not raised.")
    toward: float = Field(
        0.5, ge=0, le=1, description="The score a short text's low scores are raised toward.")
    min_words: int = Field(
        1, gt=0, description="Below this many words the raise shrinks in proportion, to none "
        "at 0 words: so little text is a caption or a page without its article, not a short "
        "article.")
    forfeited_by: list[Id] = Field(
        default_factory=list, description="Criteria (of faults: a sales pitch, hype) that are "
        "never raised, and whose fault found in the text forfeits the raise of every criterion.")

    @model_validator(mode="after")
    def _ordered(self) -> ShortText:
        if self.min_words > self.words:
            raise PydanticCustomError(
                "min_words", "min_words ({min_words}) is above words ({words}): no text would "
                "be raised fully; make min_words at most words",
                {"min_words": self.min_words, "words": self.words, "at": ("min_words",)})
        return self


class Verdict(Strict):
    min: float = Field(ge=0, le=1)
    label: str


DEFAULT_VERDICTS = [
    Verdict(min=0.75, label="good"),
    Verdict(min=0.45, label="mixed"),
    Verdict(min=0.0, label="poor"),
]


class LabelMap(Strict):
    """How a criterion maps to a field of an expert-labelled data set (``credscore evaluate``)."""

    field: str
    positive: list[str]
    negative: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    not_applicable: Literal["positive", "negative"] = Field(
        "negative",
        description="What a criterion that does not apply predicts: 'negative' for a criterion "
        "that applies where the good thing is found, 'positive' for one that applies where the "
        "fault is found (no fault found, question satisfied).",
    )

    @model_validator(mode="after")
    def _lists_apart(self) -> LabelMap:
        """A value in two of positive, negative and ignore could be read either way."""
        seen: dict[str, str] = {}
        for key in ("positive", "negative", "ignore"):
            for i, value in enumerate(getattr(self, key)):
                if value != value.strip() or not value:
                    # Labels are read without the spaces around them, and a blank is no answer.
                    raise PydanticCustomError(
                        "label_value", "the label value '{value}' is blank or has spaces around "
                        "it, and would never match: labels are compared without the spaces around "
                        "them, and a blank label is no answer; write the value alone",
                        {"value": value, "at": (key, i)})
                other = seen.setdefault(value, key)
                if other != key:
                    raise PydanticCustomError(
                        "label_overlap", "the label value '{value}' is in both {first} and "
                        "{second}; keep it in one", {"value": value, "first": other, "second": key,
                                                     "at": (key, i)})
        return self


def _one_or_many(schema: dict[str, Any]) -> None:
    """A list field's JSON Schema that also takes one item, written without the list (as
    ``Criterion``'s validator reads it), so that an editor takes both forms."""
    for option in schema.get("anyOf", []):
        if option.get("type") == "array":
            option["minItems"] = 1
            schema["anyOf"].insert(0, dict(option["items"]))
            return


class Criterion(Strict):
    id: Id
    name: str
    description: str
    anchor: str = Field(description="The published instrument this criterion follows.")
    weight: float = Field(ge=0)
    zones: list[Zone] = Field(default_factory=lambda: list(EVIDENCE_ZONES), min_length=1)
    signals: list[Signal] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)
    applies_when: list[Condition] | None = Field(
        None, description="The criterion applies only where this condition holds (else it is "
        "not applicable); a list: where any of its conditions holds.",
        json_schema_extra=lambda schema: _one_or_many(schema))
    scoring: Scoring = Field(default_factory=Scoring)
    verdicts: list[Verdict] = Field(default_factory=lambda: list(DEFAULT_VERDICTS))
    explanation: str | dict[str, str] = "{verdict}: {findings}"
    not_applicable: str = "Not applicable: none of the signals that make it apply were found."
    label: LabelMap | None = None

    @field_validator("applies_when", mode="before")
    @classmethod
    def _one_condition_is_a_list_of_one(cls, value: object) -> object:
        """``applies_when`` is written as one condition or as a list of them: read as a list."""
        return [value] if isinstance(value, dict) else value

    @property
    def applies_conditions(self) -> list[Condition]:
        """The conditions of ``applies_when``, of which any makes the criterion apply (none:
        it always applies)."""
        return self.applies_when or []

    @model_validator(mode="after")
    def _references_resolve(self) -> Criterion:
        _unique([*((s.id, ("signals", i, "id")) for i, s in enumerate(self.signals)),
                 *((r.id, ("rules", i, "id")) for i, r in enumerate(self.rules))],
                "signal or rule id")
        known = {s.id for s in self.signals}
        for i, s in enumerate(self.signals):
            if s.id in BASE_FIELDS:
                raise PydanticCustomError(
                    "reserved_id", "signal id '{id}' is also the name of the template field "
                    "{field}, which every criterion has: in an explanation, {field} would be the "
                    "signal's count instead; choose another id",
                    {"id": s.id, "field": f"{{{s.id}}}", "at": ("signals", i, "id")})
            for key, refs in (("with", s.with_), ("without", s.without)):
                for j, ref in enumerate(refs):
                    if ref not in known:
                        raise _unknown("signal", ref, known, ("signals", i, key, j))
                    if ref == s.id:
                        raise PydanticCustomError("self_ref", "signal '{id}' refers to itself",
                                                  {"id": s.id, "at": ("signals", i, key, j)})
        conditions: list[tuple[Condition, At]] = [
            (r.when, ("rules", i, "when")) for i, r in enumerate(self.rules)]
        if self.applies_when is not None:
            if not self.applies_when:
                raise PydanticCustomError(
                    "empty_applies_when", "applies_when lists no condition, so the criterion "
                    "would apply to no article: give one condition, or several of which any may "
                    "hold, or leave applies_when out", {"at": ("applies_when",)})
            conditions += [(c, ("applies_when", k)) for k, c in enumerate(self.applies_when)]
        for cond, at in conditions:
            for key, j, ref in cond.references():
                if ref not in known:
                    raise _unknown("signal", ref, known, (*at, key, j))
        templates = (
            [((verdict,), t) for verdict, t in self.explanation.items()]
            if isinstance(self.explanation, dict) else [((), self.explanation)]
        )
        allowed = BASE_FIELDS | known | {f"{s}.first" for s in known}
        labels = {v.label for v in self.verdicts}
        # Every mistake in the templates is reported, each unknown field at its own place.
        problems: list[tuple[PydanticCustomError, str]] = []
        for key, template in templates:
            at = ("explanation", *key)
            if key and key[0] not in labels | {"default"}:
                problems.append((_unknown("verdict", str(key[0]), labels | {"default"}, at),
                                 template))
                continue
            for field in TEMPLATE_FIELD.finditer(template):
                if field.group(1) not in allowed:
                    listed = ", ".join(f"{{{f}}}" for f in BASE_FIELD_ORDER[:-1])
                    problems.append((_unknown(
                        "template field", field.group(1), allowed, at,
                        f"; a template's fields are {listed} and {{{BASE_FIELD_ORDER[-1]}}}, "
                        "and a signal's {id} (its number of hits) and {id.first} (its first "
                        f"hit), for the signals {', '.join(s.id for s in self.signals)}",
                        (template, field.start())), template))
            rest = TEMPLATE_FIELD.sub("", template)
            if "{" in rest or "}" in rest:
                problems.append((PydanticCustomError(
                    "template", "a '{' or '}' without its pair in the template; a field is "
                    "written {name}", {"at": at}), template))
        _raise_all(problems, "Criterion")
        plain = [(("not_applicable",), self.not_applicable),
                 *((("rules", i, "explain"), r.explain) for i, r in enumerate(self.rules))]
        for at, text in plain:
            if "{" in text or "}" in text:
                raise PydanticCustomError(
                    "plain_text", "fields such as {example} are filled only in 'explanation'; "
                    "this text is shown as written, so write it without braces",
                    {"example": "{verdict}", "at": at})
        if not any(v.min == 0 for v in self.verdicts):
            raise PydanticCustomError("verdicts", "verdicts need one with min: 0",
                                      {"at": ("verdicts",)})
        _distinct_mins([v.min for v in self.verdicts], "verdicts")
        if self.scoring.method == "steps" and "verdicts" in self.model_fields_set:
            _verdicts_reached(self.verdicts, self.scoring.steps)
        return self


class Grade(Strict):
    min: float = Field(ge=0, le=100)
    grade: str
    label: str = ""


DEFAULT_GRADES = [
    Grade(min=80, grade="A", label="strong evidence reporting"),
    Grade(min=65, grade="B", label="mostly sound"),
    Grade(min=50, grade="C", label="mixed"),
    Grade(min=35, grade="D", label="weak"),
    Grade(min=0, grade="E", label="poor"),
]


class Rubric(Strict):
    id: Id
    version: str
    name: str
    description: str = ""
    lexicons: dict[Id, list[str]] = Field(default_factory=dict)
    grades: list[Grade] = Field(default_factory=lambda: list(DEFAULT_GRADES))
    rating_field: str | None = Field(
        None, description="Label field holding an overall expert rating, for evaluate."
    )
    short_text: ShortText | None = Field(
        None, description="Raise a short text's low criterion scores toward 'toward': too "
        "little text cannot show what an article leaves out.")
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        _unique([(c.id, ("criteria", i, "id")) for i, c in enumerate(self.criteria)],
                "criterion id")
        for name, phrases in self.lexicons.items():
            _check_phrases(phrases, ("lexicons", name))
        for i, c in enumerate(self.criteria):
            if c.id in SCORE_COLUMNS:
                raise PydanticCustomError(
                    "reserved_id", "criterion id '{id}' is taken: the CSV output has a column "
                    "'{id}' of its own ({columns}), beside one per criterion; choose another id",
                    {"id": c.id, "columns": ", ".join(SCORE_COLUMNS), "at": ("criteria", i, "id")})
            for j, s in enumerate(c.signals):
                for k, name in enumerate(s.lexicons):
                    if name not in self.lexicons:
                        raise _unknown("lexicon", name, set(self.lexicons),
                                       ("criteria", i, "signals", j, "lexicons", k))
                if s.lexicons and not s.phrases and not any(self.lexicons[n] for n in s.lexicons):
                    # Placed at the (last) empty list: in a rubric built on another, that is
                    # the file that emptied it.
                    raise PydanticCustomError(
                        "empty_signal", "{lexicons} {names} {hold} no phrases, so signal "
                        "'{id}' of criterion '{criterion}' could never match; add phrases, or "
                        "remove the signal",
                        {"id": s.id, "criterion": c.id, "names": ", ".join(map(repr, s.lexicons)),
                         "lexicons": plural(len(s.lexicons), "lexicon"),
                         "hold": plural(len(s.lexicons), "holds", "hold"),
                         "at": ("lexicons", s.lexicons[-1])})
        if self.short_text is not None:
            ids = {c.id for c in self.criteria}
            for k, name in enumerate(self.short_text.forfeited_by):
                if name not in ids:
                    raise _unknown("criterion", name, ids, ("short_text", "forfeited_by", k))
        if not any(g.min == 0 for g in self.grades):
            raise PydanticCustomError("grades", "grades need one with min: 0", {"at": ("grades",)})
        _distinct_mins([g.min for g in self.grades], "grades", shown=lambda m: f"{m:g}")
        if all(c.weight == 0 for c in self.criteria):
            raise PydanticCustomError(
                "weights", "every criterion has weight 0, so no article could get a score; give "
                "at least one criterion a weight above 0")
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)


def _check_phrases(phrases: list[str], at: At = ()) -> None:
    """A phrase has a word, and a ``*`` only at the end of its last word (a prefix): as it is
    matched, normalised as the text is (a zero-width space alone is empty, a full-width '*' is
    a '*')."""
    for i, phrase in enumerate(phrases):
        words = normalize_inline(phrase).split()
        if not words or words == ["*"]:
            raise PydanticCustomError("blank_phrase", "phrase {index} is empty",
                                      {"index": i, "at": (*at, i)})
        last = words[-1]
        if any("*" in w for w in words[:-1]) or "*" in last[:-1] or (
                last.endswith("*") and not last[-2].isalnum()):
            raise PydanticCustomError(
                "phrase_star", "phrase {index} ('{phrase}'): '*' may only end the last word, after "
                "a letter or digit, as a prefix ('stud*' matches study and studies); move it there "
                "or leave it out", {"index": i, "phrase": phrase, "at": (*at, i)})


# The columns the CSV output gives every article before one per criterion (by criterion id).
SCORE_COLUMNS = ("id", "title", "words", "score", "grade")

# A validator of a whole criterion or rubric names, in its error's "at", where below the model
# the value at fault is (("signals", 2, "with", 0)): the loader reports that line and column.
At = tuple[str | int, ...]


def _unique(ids: list[tuple[str, At]], what: str) -> None:
    seen: set[str] = set()
    for i, at in ids:
        if i in seen:
            raise PydanticCustomError("duplicate_id", "duplicate {what} '{id}'",
                                      {"what": what, "id": i, "at": at})
        seen.add(i)


def _distinct_mins(mins: list[float], field: str, key: str = "min",
                   shown: Callable[[float], object] = lambda m: m) -> None:
    """Two bands (verdicts, grades, steps) with one ``min``: the second could never be given."""
    for i, m in enumerate(mins):
        if m in mins[:i]:
            raise PydanticCustomError(
                field, "two {field} with {key} {min}: the second could never be given",
                {"field": field, "key": key, "min": shown(m), "at": (field, i, key)})


def _verdicts_reached(verdicts: list[Verdict], steps: list[Step]) -> None:
    """Each verdict written for a criterion scored by steps is given at some step: a score of a
    step falls in its band, from its ``min`` up to the next verdict's."""
    scores = sorted({round(s.score, 4) for s in steps})
    upper = math.inf
    for i in sorted(range(len(verdicts)), key=lambda i: -verdicts[i].min):
        v = verdicts[i]
        if not any(v.min <= score < upper for score in scores):
            shown = [f"{score:g}" for score in scores]
            listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
            raise PydanticCustomError(
                "verdicts", "verdict '{label}' (from {min}) could never be given: the steps "
                "score only {scores}; change its min or a step's score, or remove the verdict",
                {"label": v.label, "min": f"{v.min:g}", "scores": listed,
                 "at": ("verdicts", i, "min")})
        upper = v.min


def _unknown(what: str, name: str, known: set[str] | frozenset[str],
             at: At = (), listed: str = "",
             within: tuple[str, int] | None = None) -> PydanticCustomError:
    """An unknown name, with the closest known one, else with ``listed`` (what may be written);
    ``within``: the text at ``at`` and the offset in it where the name is written."""
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else listed
    ctx: dict[str, object] = {"what": what, "name": name, "hint": hint, "at": at}
    if within is not None:
        ctx["text"], ctx["pos"] = within
    return PydanticCustomError("unknown_ref", "unknown {what} '{name}'{hint}", ctx)


def _raise_all(problems: list[tuple[PydanticCustomError, object]], title: str) -> None:
    """Raise the problems found (each with the value it is about), all of them: each is
    reported on its own line."""
    if len(problems) == 1:
        raise problems[0][0]
    if problems:
        raise ValidationError.from_exception_data(
            title, [InitErrorDetails(type=error, loc=(), input=value)
                    for error, value in problems])


