"""Run the pipeline over many documents: read, parse, score, in one process or a pool.

Work goes to worker processes in chunks, with a bounded number of chunks in flight, so memory
stays flat on inputs of any size and results come back in input order. Each worker compiles the
rubric once. A document that fails anywhere becomes a :class:`ReadError`; the batch goes on.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Literal

from credscore.engine.compile import CompiledRubric, compile_rubric
from credscore.engine.score import score
from credscore.models import Document, DocumentScore, ParsedDocument, ReadError
from credscore.parse import ParseError, parse
from credscore.read import WorkItem, materialize
from credscore.read.files import FileTask, LineTask
from credscore.read.urls import UrlTask
from credscore.read.warc import RecordTask
from credscore.report.json import document_line
from credscore.rubric.model import Rubric

CHUNK = 32


@dataclass(frozen=True, slots=True)
class ScoredText:
    """A score together with the parsed article it explains (for reports that show the text)."""

    score: DocumentScore
    parsed: ParsedDocument


@dataclass(frozen=True, slots=True)
class ScoredLine:
    """A score already written as its JSONL line (made in the worker, which is cheaper than
    sending the result models back to be serialised)."""

    id: str
    line: str


Result = DocumentScore | ScoredText | ScoredLine | ReadError
Shape = Literal["score", "text", "line"]


def score_document(item: WorkItem, compiled: CompiledRubric, shape: Shape = "score") -> Result:
    source = _source_of(item)
    try:
        doc = materialize(item)
        if isinstance(doc, ReadError):
            return doc
        parsed = parse(doc)
        result = score(parsed, compiled)
        if shape == "text":
            return ScoredText(result, parsed)
        if shape == "line":
            return ScoredLine(result.id, document_line(result))
        return result
    except ParseError as exc:
        return ReadError(path=source, error=str(exc))
    except RecursionError:
        return ReadError(path=source, error="document is nested too deeply to parse")
    except Exception as exc:  # one document must never stop a batch
        return ReadError(path=source, error=f"could not score: {type(exc).__name__}: {exc}")


def _source_of(item: WorkItem) -> str:
    if isinstance(item, FileTask):
        return item.path.as_posix()
    if isinstance(item, LineTask | UrlTask | RecordTask):
        return item.where
    return item.source if isinstance(item, Document) else item.path


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def score_stream(
    items: Iterable[WorkItem],
    rubric: Rubric,
    jobs: int = 1,
    on_result: Callable[[Result], None] | None = None,
    shape: Shape = "score",
) -> Iterator[Result]:
    """Results in input order, read errors among them. ``shape`` says what a scored document
    becomes: a :class:`DocumentScore`, a :class:`ScoredText` (with the parsed article, for
    reports) or a :class:`ScoredLine` (its JSONL line)."""
    stream = (_serial(items, rubric, shape) if jobs <= 1
              else _parallel(items, rubric, jobs, shape))
    for result in stream:
        if on_result is not None:
            on_result(result)
        yield result


def _serial(items: Iterable[WorkItem], rubric: Rubric, shape: Shape = "score",
            ) -> Iterator[Result]:
    compiled = compile_rubric(rubric)
    for item in items:
        yield score_document(item, compiled, shape)


_WORKER_RUBRIC: CompiledRubric | None = None


def _init_worker(rubric: Rubric) -> None:
    global _WORKER_RUBRIC
    _WORKER_RUBRIC = compile_rubric(rubric)


def _score_chunk(chunk: list[WorkItem], shape: Shape) -> list[Result]:
    assert _WORKER_RUBRIC is not None
    return [score_document(item, _WORKER_RUBRIC, shape) for item in chunk]


def _chunks(items: Iterable[WorkItem], size: int) -> Iterator[list[WorkItem]]:
    chunk: list[WorkItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parallel(items: Iterable[WorkItem], rubric: Rubric, jobs: int,
              shape: Shape) -> Iterator[Result]:
    chunks = _chunks(items, CHUNK)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None:  # too little work to be worth starting processes
        yield from _serial(first, rubric, shape)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(rubric,)) as pool:
        pending: deque[Future[list[Result]]] = deque()
        pending.append(pool.submit(_score_chunk, first, shape))
        pending.append(pool.submit(_score_chunk, second, shape))
        for chunk in chunks:
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
            pending.append(pool.submit(_score_chunk, chunk, shape))
        while pending:
            yield from pending.popleft().result()
