"""Run the pipeline over many documents: read, parse, score, in one process or a pool.

Work goes to worker processes in chunks, with a bounded number of chunks in flight, so memory
stays flat on inputs of any size and results come back in input order. Where workers are forked
(Linux), the rubric is compiled once, before they start, and each inherits the compiled form;
elsewhere each worker compiles it once. A document that fails anywhere becomes a
:class:`ReadError`; the batch goes on.

A worker that dies (killed, or ended by the out-of-memory killer) takes the one chunk it held
with it. That chunk's documents are scored again one at a time, in fresh workers, so the one
that killed it is found: a document whose worker dies a second time is reported as an error,
and everything else is scored. When the run stops early (an exception, a signal, the caller
closing the stream) every worker is ended at once, busy or not.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from credscore.engine.compile import CompiledRubric, compile_rubric
from credscore.engine.rows import ScoreRow, to_model
from credscore.engine.score import score_rows
from credscore.interrupt import raise_if_stopped
from credscore.models import Document, DocumentScore, ParsedDocument, ReadError
from credscore.parse import ParseError, parse_text
from credscore.parse.zones import zone_rules
from credscore.read import WorkItem, materialize
from credscore.read.files import FileTask, LineTask, shown_path
from credscore.read.urls import UrlTask
from credscore.read.warc import RecordTask
from credscore.report import csv as csv_report
from credscore.report.json import document_block, document_line, raw_controls_in
from credscore.rubric.model import Rubric
from credscore.workers import Workers, forks_workers

CHUNK = 32


@dataclass(frozen=True, slots=True)
class ScoredText:
    """A score together with the parsed article it explains (for reports that show the text)."""

    score: DocumentScore
    parsed: ParsedDocument


@dataclass(frozen=True, slots=True)
class ScoredLine:
    """A score already written out in the output's format (made in the worker, which is cheaper
    than sending the result models back to be serialised): a JSONL line, a CSV row, or the
    document's block of the JSON payload. Title and score are kept for sorting."""

    id: str
    title: str | None
    score: float
    line: str


Result = DocumentScore | ScoredText | ScoredLine | ReadError
Shape = Literal["score", "text", "line", "json", "csv"]
WORKER_DIED = ("the worker process scoring this document died twice (killed, or out of "
               "memory); it was left out")
_FORMATTERS: dict[str, Callable[[ScoreRow, bool], str]] = {
    "line": document_line, "json": document_block,
}


def score_document(item: WorkItem, compiled: CompiledRubric, shape: Shape = "score") -> Result:
    source = _source_of(item)
    try:
        doc = materialize(item)
        if isinstance(doc, ReadError):
            return doc
        parsed = parse_text(doc)
        if shape == "csv":  # scores only: no quoted text or explanation to make, or escape
            row = score_rows(parsed, compiled, explain=False)
            return ScoredLine(row.id, row.title, row.score, csv_report.row(row))
        row = score_rows(parsed, compiled)
        if shape in _FORMATTERS:
            escape = not compiled.printable or raw_controls_in(parsed.text, row.id, row.title)
            return ScoredLine(row.id, row.title, row.score, _FORMATTERS[shape](row, escape))
        result = to_model(row)
        if shape == "text":
            return ScoredText(result, parsed.to_model())
        return result
    except ParseError as exc:
        return ReadError(path=source, error=str(exc))
    except RecursionError:
        return ReadError(path=source, error="document is nested too deeply to parse")
    except Exception as exc:  # one document must never stop a batch
        return ReadError(path=source, error=f"could not score: {type(exc).__name__}: {exc}")


def _source_of(item: WorkItem) -> str:
    if isinstance(item, FileTask):
        return shown_path(item.path)
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
    shape: Shape = "score",
) -> Iterator[Result]:
    """Results in input order, read errors among them. ``shape`` says what a scored document
    becomes: a :class:`DocumentScore`, a :class:`ScoredText` (with the parsed article, for
    reports) or a :class:`ScoredLine` (its JSONL line, CSV row or JSON block)."""
    stream = (_serial(items, rubric, shape) if jobs <= 1
              else _parallel(items, rubric, jobs, shape))
    with closing(stream):  # closing this stream stops the workers at once
        for result in stream:
            raise_if_stopped()
            yield result


def _serial(items: Iterable[WorkItem], rubric: Rubric, shape: Shape = "score",
            ) -> Iterator[Result]:
    compiled = compile_rubric(rubric)
    with _long_lived_set_aside():
        for item in items:
            yield score_document(item, compiled, shape)


@contextmanager
def _long_lived_set_aside() -> Iterator[None]:
    """Keep what exists now (modules, the rubric and its compiled form) out of the garbage
    collector's full passes while documents are scored: each of those passes would otherwise
    walk all of it again, for objects that live as long as the run. They are handed back at
    the end, unless they were already set aside by the caller."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_WORKER_RUBRIC: CompiledRubric | None = None


def _init_worker(rubric: Rubric) -> None:
    _use_compiled(compile_rubric(rubric))


def _use_compiled(compiled: CompiledRubric) -> None:
    global _WORKER_RUBRIC
    _WORKER_RUBRIC = compiled
    gc.freeze()  # what the worker holds for its whole life (see _long_lived_set_aside)


def _worker_setup(rubric: Rubric) -> tuple[Callable[..., None], tuple[Any, ...]]:
    """How a worker gets the compiled rubric. A forked worker inherits what the main process
    holds, nothing pickled: the rubric is compiled (and the parser's zone rules built) once,
    here, instead of once in every worker. A worker started afresh (spawn, forkserver) is
    sent the rubric and compiles it itself (the compiled patterns cannot be pickled)."""
    if forks_workers():
        zone_rules()
        return _use_compiled, (compile_rubric(rubric),)
    return _init_worker, (rubric,)


def _score_chunk(payload: tuple[list[WorkItem], Shape]) -> list[Result]:
    chunk, shape = payload
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


@dataclass(frozen=True, slots=True)
class _Task:
    """Documents ``items`` of chunk ``seq``, from position ``offset`` in it; ``retry`` when
    their worker died once already (the task then holds one document)."""

    seq: int
    offset: int
    items: list[WorkItem]
    retry: bool = False


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
    ahead = iter([first, second])
    workers: Workers[_Task] = Workers(jobs, *_worker_setup(rubric), _score_chunk)
    finished = False
    try:
        # Chunks not yet given out, or done and waiting for an earlier one, are at most two per
        # worker: memory stays flat however long the input.
        slots: dict[int, list[Result | None]] = {}
        retries: deque[_Task] = deque()
        fed = done_seq = 0
        exhausted = False
        while True:
            while workers.idle:
                if retries:
                    task = retries.popleft()
                elif not exhausted and len(slots) < 2 * jobs:
                    chunk = next(ahead, None) or next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        continue
                    slots[fed] = [None] * len(chunk)
                    task = _Task(fed, 0, chunk)
                    fed += 1
                else:
                    break
                workers.submit(task, (task.items, shape))
            while done_seq in slots and all(r is not None for r in slots[done_seq]):
                yield from slots.pop(done_seq)  # type: ignore[misc]
                done_seq += 1
            if exhausted and not slots:
                break
            if not workers.busy:  # what was just yielded made room for more chunks
                continue
            for task, results, ok in workers.wait():
                if ok:
                    slots[task.seq][task.offset : task.offset + len(task.items)] = results
                elif task.retry:
                    (item,) = task.items
                    slots[task.seq][task.offset] = ReadError(path=_source_of(item),
                                                             error=WORKER_DIED)
                else:  # score each again alone, so that the one that killed it is found
                    retries.extendleft(reversed([
                        _Task(task.seq, task.offset + i, [item], retry=True)
                        for i, item in enumerate(task.items)]))
        finished = True
    finally:
        if finished:
            workers.close()
        else:
            workers.stop()
