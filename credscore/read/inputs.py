"""What each input names (a file, a folder, a JSONL file, a web archive or a URL) and the work
items it becomes. Work items are cheap to make; the reading itself (decoding, fetching,
validating) happens in :func:`materialize`, which a process pool or a cluster worker runs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from credscore.models import Document, ReadError
from credscore.read.files import (
    MAX_DOCUMENT_BYTES,
    FileTask,
    LineTask,
    ReadOnce,
    ReadResult,
    discover,
    file_tasks,
    is_archive,
    is_regular,
    read_task,
)
from credscore.read.urls import FETCH_TIMEOUT, UrlTask, is_url
from credscore.read.warc import RecordTask, SkippedRecords, archive_tasks

WorkItem = Document | ReadError | FileTask | LineTask | UrlTask | RecordTask


def read_tasks(inputs: Iterable[str | Path | ReadError], max_bytes: int = MAX_DOCUMENT_BYTES, *,
               timeout: float = FETCH_TIMEOUT, skipped: SkippedRecords | None = None,
               exclude: Iterable[Path] = (), own_outputs: list[str] | None = None,
               once: ReadOnce | None = None) -> Iterator[WorkItem]:
    """Work items for files, folders, JSONL files, web archives and URLs, lazily and in input
    order. The caller only walks folders, splits JSONL files into lines and web archives into
    records; records of an archive that hold no article are counted in ``skipped``. Files in
    ``exclude`` (the run's own output) are never read from a folder, nor is an earlier output of
    credscore's found there (its path is added to ``own_outputs``). A file that several of the
    inputs name (a folder and a file in it) is read once: as part of the outermost folder that
    holds it when ``once`` knows the run's folders (a list of inputs is known whole), else where
    it is first found; ``once`` counts the others. URLs, and the lines of JSONL files, are kept
    as they are."""
    exclude = list(exclude)
    if once is None:  # a list of paths is known whole: its folders hold the paths inside them
        once = ReadOnce.over(inputs) if isinstance(inputs, list | tuple) else ReadOnce()
    for arg in inputs:
        if isinstance(arg, ReadError):  # a line of a --urls file that cannot be a URL
            yield arg
            continue
        if is_url(arg):
            yield UrlTask(str(arg).strip(), max_bytes, timeout)
            continue
        for path, doc_id in discover([arg], exclude, own_outputs, once):
            if is_archive(path) and is_regular(path):
                yield from archive_tasks(path, max_bytes, skipped)
            else:
                yield from file_tasks(path, doc_id, max_bytes)


def materialize(item: WorkItem) -> ReadResult:
    """The document (or read error) a work item stands for."""
    if isinstance(item, FileTask | LineTask):
        return read_task(item)
    if isinstance(item, UrlTask | RecordTask):
        return item.read()
    return item


def read_paths(inputs: Iterable[str | Path], max_bytes: int = MAX_DOCUMENT_BYTES, *,
               timeout: float = FETCH_TIMEOUT, skipped: SkippedRecords | None = None,
               ) -> Iterator[ReadResult]:
    """Documents (or read errors) from files, folders, JSONL files, web archives and URLs,
    lazily, in order."""
    for item in read_tasks(inputs, max_bytes, timeout=timeout, skipped=skipped):
        yield materialize(item)
