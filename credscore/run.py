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

from credscore.engine.compile import CompiledRubric, compile_rubric
from credscore.engine.score import score
from credscore.models import Document, DocumentScore, ReadError
from credscore.parse import parse
from credscore.rubric.model import Rubric

Result = DocumentScore | ReadError
CHUNK = 32


def score_document(doc: Document, compiled: CompiledRubric) -> Result:
    try:
        return score(parse(doc), compiled)
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
) -> Iterator[Result]:
    """Results in input order; read errors pass straight through."""
    stream = _serial(items, rubric) if jobs <= 1 else _parallel(items, rubric, jobs)
    for result in stream:
        if on_result is not None:
            on_result(result)
        yield result


def _serial(items: Iterable[Document | ReadError], rubric: Rubric) -> Iterator[Result]:
    compiled = compile_rubric(rubric)
    for item in items:
        yield item if isinstance(item, ReadError) else score_document(item, compiled)


_WORKER_RUBRIC: CompiledRubric | None = None


def _init_worker(rubric: Rubric) -> None:
    global _WORKER_RUBRIC
    _WORKER_RUBRIC = compile_rubric(rubric)


def _score_chunk(chunk: list[Document | ReadError]) -> list[Result]:
    assert _WORKER_RUBRIC is not None
    return [
        item if isinstance(item, ReadError) else score_document(item, _WORKER_RUBRIC)
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


def _parallel(items: Iterable[Document | ReadError], rubric: Rubric, jobs: int) -> Iterator[Result]:
    chunks = _chunks(items, CHUNK)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None:  # too little work to be worth starting processes
        yield from _serial(first, rubric)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(rubric,)) as pool:
        pending: deque[Future[list[Result]]] = deque()
        pending.append(pool.submit(_score_chunk, first))
        pending.append(pool.submit(_score_chunk, second))
        for chunk in chunks:
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
            pending.append(pool.submit(_score_chunk, chunk))
        while pending:
            yield from pending.popleft().result()
