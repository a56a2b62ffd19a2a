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

from credscore.engine.compile import CompiledRubric, compile_rubric
from credscore.engine.score import score
from credscore.models import Document, DocumentScore, ParsedDocument, ReadError
from credscore.parse import ParseError, parse
from credscore.rubric.model import Rubric

CHUNK = 32


@dataclass(frozen=True, slots=True)
class ScoredText:
    """A score together with the parsed article it explains (for reports that show the text)."""

    score: DocumentScore
    parsed: ParsedDocument


Result = DocumentScore | ScoredText | ReadError


def score_document(doc: Document, compiled: CompiledRubric, keep_text: bool = False) -> Result:
    try:
        parsed = parse(doc)
        result = score(parsed, compiled)
        return ScoredText(result, parsed) if keep_text else result
    except ParseError as exc:
        return ReadError(path=doc.source, error=str(exc))
    except RecursionError:
        return ReadError(path=doc.source, error="document is nested too deeply to parse")
    except Exception as exc:  # one document must never stop a batch
        return ReadError(path=doc.source, error=f"could not score: {type(exc).__name__}: {exc}")


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def score_stream(
    items: Iterable[Document | ReadError],
    rubric: Rubric,
    jobs: int = 1,
    on_result: Callable[[Result], None] | None = None,
    keep_text: bool = False,
) -> Iterator[Result]:
    """Results in input order; read errors pass straight through. With ``keep_text`` each
    result is a :class:`ScoredText` carrying the parsed article too."""
    stream = (_serial(items, rubric, keep_text) if jobs <= 1
              else _parallel(items, rubric, jobs, keep_text))
    for result in stream:
        if on_result is not None:
            on_result(result)
        yield result


def _serial(items: Iterable[Document | ReadError], rubric: Rubric, keep_text: bool = False,
            ) -> Iterator[Result]:
    compiled = compile_rubric(rubric)
    for item in items:
        yield item if isinstance(item, ReadError) else score_document(item, compiled, keep_text)


_WORKER_RUBRIC: CompiledRubric | None = None


def _init_worker(rubric: Rubric) -> None:
    global _WORKER_RUBRIC
    _WORKER_RUBRIC = compile_rubric(rubric)


def _score_chunk(chunk: list[Document | ReadError], keep_text: bool) -> list[Result]:
    assert _WORKER_RUBRIC is not None
    return [
        item if isinstance(item, ReadError) else score_document(item, _WORKER_RUBRIC, keep_text)
        for item in chunk
    ]


def _chunks(items: Iterable[Document | ReadError], size: int) -> Iterator[list[Document | ReadError]]:
    chunk: list[Document | ReadError] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parallel(items: Iterable[Document | ReadError], rubric: Rubric, jobs: int,
              keep_text: bool) -> Iterator[Result]:
    chunks = _chunks(items, CHUNK)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None:  # too little work to be worth starting processes
        yield from _serial(first, rubric, keep_text)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(rubric,)) as pool:
        pending: deque[Future[list[Result]]] = deque()
        pending.append(pool.submit(_score_chunk, first, keep_text))
        pending.append(pool.submit(_score_chunk, second, keep_text))
        for chunk in chunks:
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
            pending.append(pool.submit(_score_chunk, chunk, keep_text))
        while pending:
            yield from pending.popleft().result()
