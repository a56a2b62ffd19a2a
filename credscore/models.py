"""Data models that cross module boundaries: documents, parsed documents and scores.

Everything here is a frozen pydantic model, so a value produced by one stage cannot be changed by a
later one. The field names of the score models are the public JSON output contract.
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from credscore.words import word_count

Zone = Literal[
    "title", "byline", "body", "quote", "references", "comments", "promo", "boilerplate"
]
InputFormat = Literal["text", "markdown", "html"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """An instance built from values the pipeline made itself, without validating them.

        For the models made by the million (sentences, findings). Validation gives every
        instance its own set of the names of its fields, which takes more memory than the values
        themselves; here all instances share one. It sets the four attributes that
        ``model_construct`` sets, without that method's loop over defaults and aliases (every
        field must be given), at a third of the cost of validating.
        """
        obj = _new(cls)
        _set(obj, "__dict__", values)
        _set_fields(obj, _all_fields(cls))
        _set_extra(obj, None)
        _set_private(obj, None)
        return obj


_new = object.__new__
_set = object.__setattr__  # frozen models refuse their own __setattr__
# The slots pydantic keeps beside ``__dict__``, set through their descriptors directly.
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


@cache
def _all_fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


class Document(Frozen):
    """One article as read from disk or from a JSONL line, before parsing."""

    id: str
    source: str
    format: InputFormat
    content: str
    title: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)


class Span(Frozen):
    start: int
    end: int


class Block(Span):
    zone: Zone


class Sentence(Span):
    zone: Zone


class Link(Span):
    target: str


class ParsedDocument(Frozen):
    """An article cut into zones and sentences. Every offset indexes ``text``."""

    id: str
    title: str | None
    metadata: dict[str, str] = Field(default_factory=dict)
    text: str
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    links: tuple[Link, ...] = ()

    @cached_property
    def words(self) -> int:
        """Words in the zones that are the article itself (not comments, promo or boilerplate).
        Counted once: every criterion that rates per word reads it."""
        own = {"title", "byline", "body", "quote", "references"}
        return sum(word_count(self.text[b.start : b.end]) for b in self.blocks if b.zone in own)


class Finding(Frozen):
    signal: str
    zone: str
    start: int
    end: int
    text: str
    sentence: str
    points: float


class CriterionScore(Frozen):
    id: str
    name: str
    weight: float
    score: float | None
    verdict: str
    explanation: str
    findings: tuple[Finding, ...]


class DocumentScore(Frozen):
    id: str
    title: str | None
    words: int
    score: float
    grade: str
    criteria: tuple[CriterionScore, ...]
    errors: tuple[str, ...] = ()


class RubricRef(Frozen):
    id: str
    version: str
    sha256: str


class ReadError(Frozen):
    path: str
    error: str
    # What went wrong without this input's particulars (a record's number, offset, URI or
    # length), where ``error`` has them: inputs that share it are listed a few times and then
    # counted as one reason. Not part of the output (``error`` says it all).
    kind: str | None = Field(None, exclude=True)


class ReadWarning(ReadError):
    """Not an error: the document at ``path`` was read and scored, but may be damaged (a web
    archive's record whose length looks too short). Said as a warning, not counted as failed."""
