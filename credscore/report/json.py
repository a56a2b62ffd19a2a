"""The JSON output contract (see README "Output contract").

Characters that a terminal acts on but JSON leaves raw (DEL, the C1 controls, bidirectional
overrides, line and paragraph separators) are written as ``\\uXXXX`` escapes: the data is the
same, and printing the output cannot move the cursor or reorder the text on screen.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any, TextIO

from pydantic_core import PydanticSerializationError

from credscore.controls import BEYOND_C0
from credscore.engine.rows import SCORE_ROW_JSON, ScoreRow, to_model
from credscore.models import DocumentScore, ReadError, RubricRef
from credscore.version import __version__

# JSON already escapes U+0000-U+001F; these are the rest of what terminals interpret.
_RAW_CONTROLS = re.compile(f"[{BEYOND_C0}]")
INDENT = 2
# A document sits two levels deep in the payload: {"documents": [ {...} ]}.
_DOCUMENT_DEPTH = 2

SortKey = tuple[str, str, float]
SpoolKey = tuple[str, str, float, str]  # a SortKey and the digest of the document's text
# The smallest size of a number that ``json`` writes without an exponent.
MIN_PLAIN = 1e-4
_SPOOL_CHUNK = 1 << 20


def _escape_controls(text: str) -> str:
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def raw_controls_in(*texts: str | None) -> bool:
    """Whether any of ``texts`` holds a character the writers escape (ASCII text can hold only
    DEL). A score whose document text, id and title hold none, scored by a rubric whose texts
    hold none (``CompiledRubric.printable``), has nothing to escape."""
    for text in texts:
        if text is None:
            continue
        if text.isascii():
            if "\x7f" in text:
                return True
        elif _RAW_CONTROLS.search(text) is not None:
            return True
    return False


def document_dict(doc: DocumentScore | ScoreRow) -> dict[str, Any]:
    if isinstance(doc, ScoreRow):
        doc = to_model(doc)
    return doc.model_dump(mode="json")


def document_line(doc: DocumentScore | ScoreRow, escape: bool = True) -> str:
    """One document as one line of JSONL; ``escape=False`` when it is known to hold nothing to
    escape (see :func:`raw_controls_in`).

    pydantic's own serialiser writes the same text as ``json.dumps`` of the document's dict, at
    a fifth of the cost, except for a number below 1e-4 (it writes ``0.00001`` for ``1e-05``), an
    infinite one, and text that is not valid Unicode (it refuses lone surrogates, which a JSONL
    line can hold as ``\\ud800``): a document with any of these is written by ``json.dumps``.
    """
    line = None
    if _plain_numbers(doc):
        with contextlib.suppress(PydanticSerializationError):
            line = (SCORE_ROW_JSON.dump_json(doc).decode() if isinstance(doc, ScoreRow)
                    else doc.model_dump_json())
    if line is None:
        line = json.dumps(document_dict(doc), ensure_ascii=False, separators=(",", ":"))
    return _escape_controls(line) if escape else line


def _plain_numbers(doc: DocumentScore | ScoreRow) -> bool:
    """Whether every number of the document is written alike by pydantic and ``json``: zero,
    or finite and at least 1e-4 in size (below that ``json`` writes an exponent)."""
    values = {f.points for c in doc.criteria for f in c.findings}
    values.add(doc.score)
    for c in doc.criteria:
        values.add(c.weight)
        if c.score is not None:
            values.add(c.score)
    return all(v == 0 or MIN_PLAIN <= abs(v) < math.inf for v in values)


def document_block(doc: DocumentScore | ScoreRow, escape: bool = True) -> str:
    """One document as it is laid out inside the ``--format json`` payload: the same text as
    ``dumps`` gives it there, written field by field.

    A document with a million findings would take ``model_dump`` plus the pure-Python indenting
    encoder several times the size of its text in memory; here each finding costs one string.
    """
    pad = " " * (INDENT * _DOCUMENT_DEPTH)
    inner, crit_pad = pad + "  ", pad + "    "
    field_pad, finding_pad, finding_field = pad + "      ", pad + "        ", pad + "          "
    criteria = []
    for c in doc.criteria:
        findings = [
            f"{finding_pad}{{\n{finding_field}\"signal\": {_s(f.signal)},\n"
            f"{finding_field}\"zone\": {_s(f.zone)},\n{finding_field}\"start\": {f.start!r},\n"
            f"{finding_field}\"end\": {f.end!r},\n{finding_field}\"text\": {_s(f.text)},\n"
            f"{finding_field}\"sentence\": {_s(f.sentence)},\n"
            f"{finding_field}\"points\": {_n(f.points)}\n{finding_pad}}}"
            for f in c.findings
        ]
        criteria.append(
            f"{crit_pad}{{\n{field_pad}\"id\": {_s(c.id)},\n{field_pad}\"name\": {_s(c.name)},\n"
            f"{field_pad}\"weight\": {_n(c.weight)},\n{field_pad}\"score\": {_n(c.score)},\n"
            f"{field_pad}\"verdict\": {_s(c.verdict)},\n"
            f"{field_pad}\"explanation\": {_s(c.explanation)},\n"
            f"{field_pad}\"findings\": {_list(findings, field_pad)}\n{crit_pad}}}"
        )
    errors = [f"{crit_pad}{_s(e)}" for e in doc.errors]
    block = (
        f"{pad}{{\n{inner}\"id\": {_s(doc.id)},\n{inner}\"title\": {_n(doc.title)},\n"
        f"{inner}\"words\": {doc.words!r},\n{inner}\"score\": {_n(doc.score)},\n"
        f"{inner}\"grade\": {_s(doc.grade)},\n{inner}\"criteria\": {_list(criteria, inner)},\n"
        f"{inner}\"errors\": {_list(errors, inner)}\n{pad}}}"
    )
    return _escape_controls(block) if escape else block


def _s(text: str) -> str:
    return encode_basestring(text)


def _n(value: float | str | None) -> str:
    """A number, a string or null, as the json module writes it."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _s(value)
    return float.__repr__(value) if isinstance(value, float) else int.__repr__(value)


def _list(items: list[str], pad: str) -> str:
    return "[\n" + ",\n".join(items) + f"\n{pad}]" if items else "[]"


def order_key(doc_id: str, title: str | None, score: float) -> SortKey:
    """Stable order whatever order the inputs were listed in."""
    return (doc_id, title or "", score)


def ordered(docs: list[DocumentScore]) -> list[DocumentScore]:
    """``docs`` in :func:`order_key` order; documents equal by that key (one id and title from
    two folders) in the order of the digest of their text, as :class:`Spool` orders them, so the
    order never follows the inputs'."""
    count = Counter(order_key(d.id, d.title, d.score) for d in docs)

    def key(d: DocumentScore) -> SpoolKey:
        own = order_key(d.id, d.title, d.score)
        tie = hashlib.sha256(document_block(d).encode("utf-8")).hexdigest() if count[own] > 1 else ""
        return (*own, tie)

    return sorted(docs, key=key)


def error_order(error: ReadError) -> tuple[str, int, str, str]:
    """Errors by file, then by line within it: ``in.jsonl:2`` before ``in.jsonl:10``."""
    file, _, line = error.path.rpartition(":")
    if file and line.isascii() and line.isdigit():
        return (file, int(line), error.path, error.error)
    return (error.path, -1, error.path, error.error)


def payload(rubric: RubricRef, docs: list[DocumentScore], errors: list[ReadError]) -> dict[str, Any]:
    return {
        "credscore_version": __version__,
        "rubric": rubric.model_dump(mode="json"),
        "documents": [document_dict(d) for d in ordered(docs)],
        "errors": [e.model_dump(mode="json") for e in sorted(errors, key=error_order)],
    }


class Spool:
    """Documents laid out by :func:`document_block`, kept in a temporary file (not in memory)
    until all are in, then read back in their sorted order."""

    def __init__(self) -> None:
        # Closed (and so removed) by __exit__; the system removes it if the process dies.
        self._file = tempfile.TemporaryFile()  # noqa: SIM115
        self._index: list[tuple[SpoolKey, int, int]] = []
        self._end = 0

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def add(self, key: SortKey, block: str) -> None:
        start = self._end
        digest = hashlib.sha256()
        for i in range(0, len(block), _SPOOL_CHUNK):  # a huge document is not copied whole
            chunk = block[i : i + _SPOOL_CHUNK].encode("utf-8")
            digest.update(chunk)
            self._end += self._file.write(chunk)
        # Documents equal by their key (one id and title from two folders) are ordered by what
        # they hold, never by the order the inputs were listed in.
        self._index.append(((*key, digest.hexdigest()), start, self._end - start))

    def in_order(self) -> Iterator[str]:
        self._file.flush()
        for _, offset, length in sorted(self._index, key=lambda entry: entry[0]):
            self._file.seek(offset)
            yield self._file.read(length).decode("utf-8")


def write_payload(out: TextIO, rubric: RubricRef, blocks: Iterable[str],
                  errors: list[ReadError]) -> None:
    """Write the payload from documents already laid out by :func:`document_block` and in
    order: the same bytes as ``dumps(payload(...))``, without building it in memory."""
    head = dumps({"credscore_version": __version__, "rubric": rubric.model_dump(mode="json"),
                  "documents": []})
    tail = dumps({"errors": [e.model_dump(mode="json") for e in sorted(errors, key=error_order)]})
    out.write(head[: head.rindex("[]")])
    written = False
    for block in blocks:
        out.write(",\n" if written else "[\n")
        out.write(block)
        written = True
    out.write("\n" + " " * INDENT + "],\n" if written else "[],\n")
    out.write(tail[len("{\n"):])


def dumps(data: Any) -> str:
    return _escape_controls(json.dumps(data, ensure_ascii=False, indent=INDENT)) + "\n"
