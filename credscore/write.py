"""Output files, written whole or not at all.

An output is written under a temporary name in its own folder and renamed over the name asked
for only when complete, so an interrupted run, a crash or a full disk never leaves half a report
under that name (and an earlier file of that name stays as it was). The temporary name starts
with a dot and ends in ``.tmp``: a run that scans the same folder never reads it as an article.
:func:`written_by_credscore` tells an earlier output of credscore's from an article, so that a
rerun may replace its own output in a folder it scans, and never an article there.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


class OutputError(Exception):
    """An output that cannot or must not be written; the message says why."""


def check_output(output: Path, inputs: Iterable[Path | None]) -> None:
    """Refuse an output that is a folder or that is one of the inputs (writing it would replace
    an article, a rubric or a labels file the run reads)."""
    if output.is_dir():
        raise OutputError(f"{output} is a folder; give the name of a file to write")
    for path in inputs:
        if path is not None and same_file(output, path):
            raise OutputError(f"the output {output} is also an input of this run; "
                              "write to another file")


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


@contextmanager
def atomic_output(output: Path | None) -> Iterator[TextIO]:
    """A text stream for ``output`` (standard output when None) that reaches the name only if
    the block completes. The temporary file is made on entry, so an output that cannot be
    written is reported before any work is done."""
    if output is None:
        yield sys.stdout
        return
    if output.exists() and not output.is_file():
        # A device or a pipe (/dev/null, a FIFO): there is nothing to replace, only to write to.
        with _open(output) as handle:
            yield handle
        return
    try:
        fd, tmp_name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.",
                                        suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.chmod(tmp, _mode_for(output))
        os.replace(tmp, output)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        exc.add_note(f"nothing was written to {output}")
        raise


def check_writable(output: Path) -> None:
    """Refuse, before any work, an output whose folder is missing or cannot take a new file
    (the temporary file :func:`atomic_output` would make is made and removed)."""
    if output.exists() and not output.is_file():
        return  # a device or a pipe is written to directly
    try:
        fd, tmp_name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    os.close(fd)
    Path(tmp_name).unlink(missing_ok=True)


@contextmanager
def _open(path: Path) -> Iterator[TextIO]:
    try:
        handle = path.open("w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    with handle:
        yield handle


def _mode_for(output: Path) -> int:
    """The permissions the file would have had if opened directly: an existing file's own,
    otherwise what the umask allows."""
    try:
        return output.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


# How credscore's outputs that could sit among articles begin: the Markdown report and
# evaluation, the HTML report (its generator tag), the JSON of score, evaluate and diff, the CSV
# header, and the tables of score, evaluate and diff. Each needs more than a title a real page
# could have; a JSONL line of scores is checked whole (a line with an article's text is input).
OUTPUT_HEAD = 65536
OUTPUT_MARKS = (
    re.compile(r"# Credibility report\n\n[^\n]*\(rubric `[^`\n]*` [^\n]*, sha256 `[0-9a-f]{64}`\) "
               r"by credscore "),
    re.compile(r"# Agreement with expert labels\n\n\d+ of \d+ documents labelled\."),
    re.compile(r"<!DOCTYPE html>\n<html[^>]*>\n<head>\n(?:<meta [^\n]*\n)*"
               r'<meta name="generator" content="credscore '),
    re.compile(r'\{\n  "credscore_version": "[^"\n]*",\n  "rubric": \{'),
    re.compile(r'\{\n  "rubric": (?:null|\{\n    "id": "[^"\n]*",\n    "version": [^\n]*\n'
               r'    "sha256": "[0-9a-f]{64}"\n  \}),\n  "documents": \d+,\n  "labelled": \d+,'),
    re.compile(r'\{\n  "old_rubric": "[^"\n]*",\n  "new_rubric": "[^"\n]*",\n  "up": \d+,'),
    re.compile(r"id,title,words,score,grade(?:,[a-z][a-z0-9_]*)*\r?\n"),
    re.compile(r"credscore - [^\n]*\n[┏┌]|\s*Agreement with expert labels \(\d+ of \d+ documents "
               r"labelled\)|\d+ up, \d+ down, \d+ unchanged \(mean change "),
)
SCORE_LINE_KEYS = frozenset({"id", "title", "words", "score", "grade", "criteria", "errors"})
SCORE_LINE_BYTES = 16 << 20  # a JSONL line of scores longer than this is not sniffed


def written_by_credscore(path: Path) -> bool:
    """Whether ``path`` is empty (nothing to lose) or begins as one of credscore's own outputs
    does; a file of another shape, which a run could read as an article, is not."""
    try:
        with path.open("rb") as handle:
            head = handle.read(OUTPUT_HEAD)
            if not head:
                return True
            if head.startswith(b'{"id":'):
                line = head + (handle.readline(SCORE_LINE_BYTES) if b"\n" not in head else b"")
                return _is_score_line(line.split(b"\n", 1)[0])
    except OSError:
        return False
    text = head.decode("utf-8", errors="replace")
    return any(mark.match(text) for mark in OUTPUT_MARKS)


def _is_score_line(line: bytes) -> bool:
    try:
        row = json.loads(line)
    except ValueError:
        return False
    return isinstance(row, dict) and set(row) == SCORE_LINE_KEYS
