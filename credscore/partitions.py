"""Partitions of the inputs for a cluster run: runs of files, byte ranges of JSONL files, whole
web archives, runs of URLs. Planning only lists folders and reads file sizes; :func:`part_items`
reads a partition where it runs and gives the same work items, in the same order, as
:func:`credscore.read.read_tasks` gives for those inputs."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credscore.models import ReadError
from credscore.read.decode import json_encoding
from credscore.read.files import (
    MAX_DOCUMENT_BYTES,
    FileTask,
    ReadOnce,
    bounded_lines,
    cannot_read,
    discover,
    is_archive,
    is_regular,
    jsonl_lines,
    jsonl_tasks,
    skip_line,
)
from credscore.read.inputs import WorkItem
from credscore.read.urls import FETCH_TIMEOUT, UrlTask, is_url
from credscore.read.warc import SkippedRecords, archive_tasks

PARTITION_BYTES = 4 * 1024 * 1024  # about four seconds of scoring for one core
MIN_RANGE = 64 * 1024  # the smallest byte range a JSONL file is cut into to spread it
URLS_PER_PARTITION = 32


@dataclass(frozen=True, slots=True)
class FilesPart:
    tasks: tuple[FileTask, ...]

    def describe(self) -> dict[str, Any]:
        return {"kind": "files", "first": self.tasks[0].path.as_posix(),
                "last": self.tasks[-1].path.as_posix(), "count": len(self.tasks)}


@dataclass(frozen=True, slots=True)
class LinesPart:
    """The lines of a JSONL file that start within bytes [start, end)."""

    path: str
    start: int
    end: int
    first_line: int
    max_bytes: int

    def describe(self) -> dict[str, Any]:
        return {"kind": "jsonl", "path": self.path, "start_byte": self.start,
                "end_byte": self.end, "first_line": self.first_line}


@dataclass(frozen=True, slots=True)
class ArchivePart:
    path: str
    max_bytes: int

    def describe(self) -> dict[str, Any]:
        return {"kind": "warc", "path": self.path}


@dataclass(frozen=True, slots=True)
class UrlsPart:
    tasks: tuple[UrlTask | ReadError, ...]  # an error for a line of a --urls file

    def describe(self) -> dict[str, Any]:
        first, last = (t.url if isinstance(t, UrlTask) else t.path
                       for t in (self.tasks[0], self.tasks[-1]))
        return {"kind": "urls", "first": first, "last": last, "count": len(self.tasks)}


Part = FilesPart | LinesPart | ArchivePart | UrlsPart
# Counts the newlines of byte ranges of one file: on the workers, so the client reads nothing.
LineCounter = Callable[[str, list[tuple[int, int]]], list[int]]


def plan(inputs: Iterable[str | Path | ReadError], count_newlines: LineCounter, *,
         max_bytes: int = MAX_DOCUMENT_BYTES, timeout: float = FETCH_TIMEOUT,
         partition_bytes: int = PARTITION_BYTES, spread: int = 1,
         exclude: Iterable[Path] = (), own_outputs: list[str] | None = None,
         once: ReadOnce | None = None) -> Iterator[Part]:
    """Partitions of the inputs, in input order: the same documents, in the same order, as
    :func:`credscore.read.read_tasks` gives. A partition holds at most ``partition_bytes`` of
    input (a web archive is always one partition); a JSONL file is cut into at least ``spread``
    partitions when it is large enough. Files and folders in ``exclude`` (the run's own output)
    are not read, nor are earlier outputs of credscore's found in folders (their paths are
    added to ``own_outputs``). A file several inputs name is read once (``once`` counts the
    others)."""
    exclude = tuple(exclude)
    if once is None:  # a list of paths is known whole: its folders hold the paths inside them
        once = ReadOnce.over(inputs) if isinstance(inputs, list | tuple) else ReadOnce()
    files: list[FileTask] = []
    files_size = 0
    urls: list[UrlTask | ReadError] = []
    for arg in inputs:
        if isinstance(arg, ReadError) or is_url(arg):
            if files:
                yield FilesPart(tuple(files))
                files, files_size = [], 0
            urls.append(arg if isinstance(arg, ReadError) else
                        UrlTask(str(arg).strip(), max_bytes, timeout))
            if len(urls) >= URLS_PER_PARTITION:
                yield UrlsPart(tuple(urls))
                urls = []
            continue
        if urls:
            yield UrlsPart(tuple(urls))
            urls = []
        for path, doc_id in discover([arg], exclude, own_outputs, once):
            # A named pipe or a device is read as one file, which says it is not a regular one.
            whole = (is_archive(path) or path.suffix.lower() == ".jsonl") and is_regular(path)
            if whole and files:
                yield FilesPart(tuple(files))
                files, files_size = [], 0
            if whole and is_archive(path):
                yield ArchivePart(path.as_posix(), max_bytes)
            elif whole:
                yield from _line_parts(path.as_posix(), count_newlines, max_bytes,
                                       partition_bytes, spread)
            else:
                files.append(FileTask(path, doc_id, max_bytes))
                files_size += _size(path)
                if files_size >= partition_bytes:
                    yield FilesPart(tuple(files))
                    files, files_size = [], 0
    if files:
        yield FilesPart(tuple(files))
    if urls:
        yield UrlsPart(tuple(urls))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _line_parts(path: str, count_newlines: LineCounter, max_bytes: int,
                partition_bytes: int, spread: int) -> Iterator[LinesPart]:
    size = _size(Path(path))
    n = max(1, math.ceil(size / partition_bytes), min(spread, size // MIN_RANGE))
    if n > 1 and _wide(path):
        n = 1  # its newlines are not the byte 0A, so it cannot be cut at byte offsets
    ranges = [(i * size // n, (i + 1) * size // n) for i in range(n)]
    if n == 1:
        yield LinesPart(path, 0, size, 1, max_bytes)
        return
    # A range owns the lines that start in it. Range k counts the newlines in
    # [start_k - 1, end_k - 1), so the counts before it sum to the newlines before start_k - 1:
    # its first line is the line after the one holding byte start_k - 1.
    counts = count_newlines(path, ranges)
    before = 0
    for (start, end), count in zip(ranges, counts, strict=True):
        yield LinesPart(path, start, end, 1 if start == 0 else before + 2, max_bytes)
        before += count


def _wide(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return json_encoding(handle.read(4)) is not None
    except OSError:
        return False  # reported when the partition is read


def count_newlines(path: str, start: int, end: int) -> int:
    """Newlines in bytes [max(start - 1, 0), end - 1) of a file (see :func:`_line_parts`)."""
    lo, hi = max(start - 1, 0), max(end - 1, 0)
    total = 0
    with open(path, "rb") as handle:
        handle.seek(lo)
        while lo < hi:
            block = handle.read(min(1 << 20, hi - lo))
            if not block:
                break
            total += block.count(b"\n")
            lo += len(block)
    return total


def part_items(part: Part, skipped: SkippedRecords) -> Iterator[WorkItem]:
    """The work items of a partition, read where the partition runs."""
    if isinstance(part, FilesPart | UrlsPart):
        yield from part.tasks
    elif isinstance(part, ArchivePart):
        yield from archive_tasks(Path(part.path), part.max_bytes, skipped)
    else:
        try:
            handle = open(part.path, "rb")  # noqa: SIM115 (closed below; the generator may pause)
        except OSError as exc:
            yield cannot_read(part.path, exc)
            return
        if part.end == 0:  # the whole of an empty file, reported as a local run reports it
            handle.close()
            yield ReadError(path=part.path, error="empty file")
            return
        with handle:
            # A file in UTF-16 or UTF-32 is one partition (see _line_parts), read as text.
            wide = part.start == 0 and json_encoding(handle.peek(4)[:4]) is not None
            lines = (jsonl_lines(handle, part.max_bytes) if wide
                     else _range_lines(handle, part.start, part.end, part.max_bytes))
            yield from jsonl_tasks(lines, part.path, part.max_bytes, part.first_line)


def _range_lines(handle: Any, start: int, end: int, max_bytes: int) -> Iterator[bytes]:
    """The lines that begin in the bytes ``start`` to ``end``, as :func:`bounded_lines` gives."""
    if start > 0:
        handle.seek(start - 1)
        skip_line(handle.readline)  # the end of the line that started before this range
    position = handle.tell()
    if position >= end:
        return
    for line in bounded_lines(handle.readline, max_bytes):
        yield line
        # A line as read is as long as its bytes, but for one over the limit, cut short (or
        # emptied, when blank) by bounded_lines: only then ask the file where it is.
        position = handle.tell() if not line or len(line) > max_bytes else position + len(line)
        if position >= end:
            return


def describe_briefly(d: dict[str, Any]) -> str:
    """A line for what a partition held (its :meth:`describe`)."""
    if d["kind"] == "jsonl":
        return f"{d['path']} (bytes {d['start_byte']}-{d['end_byte']}, from line {d['first_line']})"
    if d["kind"] == "warc":
        return d["path"]
    return f"{d['first']} .. {d['last']} ({d['count']} {'files' if d['kind'] == 'files' else 'URLs'})"
