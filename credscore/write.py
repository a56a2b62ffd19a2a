"""Output files, written whole or not at all.

An output is written under a temporary name in its own folder and renamed over the name asked
for only when complete, so an interrupted run, a crash or a full disk never leaves half a report
under that name (and an earlier file of that name stays as it was). The temporary name starts
with a dot and ends in ``.tmp``: a run that scans the same folder never reads it as an article.
:func:`written_by_credscore` tells an earlier output of credscore's from an article, so that a
rerun may replace its own output in a folder it scans, and never an article there.

Some outputs have nothing to replace and are written to directly: a device or a pipe, and a name
of one of the run's own open files (``/dev/stdout``, ``/dev/fd/3``), which writes where that
file is open, as a shell's redirection does (after what is there already when it appends).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from credscore.read.own_outputs import is_credscore_output

# The part of a temporary name taken from the output's name: 255 bytes at most in all, less
# the dots, mkstemp's eight random characters and ".tmp".
_TEMP_NAME_BYTES = 255 - 2 - 8 - 4


# The names of an open file descriptor of the process itself.
_STANDARD_STREAMS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR_NAME = re.compile(r"/(?:dev|proc/(?P<pid>self|\d+))/fd/(?P<fd>\d+)")


class OutputError(Exception):
    """An output that cannot or must not be written; the message says why."""


def check_output(output: Path, inputs: Iterable[Path | None]) -> None:
    """Refuse an output that is a folder or that is one of the inputs (writing it would replace
    an article, a rubric or a labels file the run reads). ``-o -``, which many tools read as
    standard output, would quietly make a file named '-': it is refused."""
    if str(output) == "-":
        raise OutputError("-o - would write a file named '-': leave out -o for the command's "
                          "usual output (standard output, or the file it names by default), or "
                          "give the file's full path (such as $PWD/-)")
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
    fd = descriptor_of(output)
    if fd is not None:
        with _open_descriptor(output, fd) as handle:
            yield handle
        return
    output = _followed(output)
    _refuse_read_only(output)
    if output.exists() and not output.is_file():
        # A device or a pipe (/dev/null, a FIFO): there is nothing to replace, only to write to.
        with _open(output) as handle:
            yield handle
        return
    try:
        fd, tmp_name = _make_temp(output)
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
    (the temporary file :func:`atomic_output` would make is made and removed), or a read-only
    file."""
    fd = descriptor_of(output)
    if fd is not None:
        try:
            os.fstat(fd)
        except OSError as exc:
            raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
        return
    output = _followed(output)
    _refuse_read_only(output)
    if output.exists() and not output.is_file():
        return  # a device or a pipe is written to directly
    try:
        fd, tmp_name = _make_temp(output)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    os.close(fd)
    Path(tmp_name).unlink(missing_ok=True)


def descriptor_of(output: Path) -> int | None:
    """The file descriptor that ``output`` names when it is one of this process's own open files
    (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``, ``/proc/self/fd/N``), else None. Such a
    name is a link to the file the descriptor is open on: replacing that file would throw away
    what a shell's ``>>`` put there before, and a pipe has no file to replace."""
    name = os.path.normpath(os.path.abspath(output))
    if name in _STANDARD_STREAMS:
        return _STANDARD_STREAMS[name]
    m = _DESCRIPTOR_NAME.fullmatch(name)
    if m is None or m["pid"] not in ("self", None, str(os.getpid())):
        return None
    return int(m["fd"])


@contextmanager
def _open_descriptor(output: Path, fd: int) -> Iterator[TextIO]:
    """A text stream on a copy of the descriptor ``fd``, so that what is written lands where
    the descriptor writes (after what standard output and standard error hold so far)."""
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        copy = os.dup(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    with os.fdopen(copy, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


def _refuse_read_only(output: Path) -> None:
    """Refuse to replace a file its owner made read-only, as a shell's redirection refuses to
    write it (the new file would take its place, with its old permissions)."""
    if output.is_file() and not os.access(output, os.W_OK):
        raise OutputError(f"cannot write {output}: the file is read-only (make it writable, or "
                          "write to another file)")


def _followed(output: Path) -> Path:
    """The file a symbolic link ``output`` points to (the link itself would otherwise be
    replaced by the new file, and the file it points to keep its old content); any other
    ``output`` as it is."""
    return Path(os.path.realpath(output)) if output.is_symlink() else output


def _make_temp(output: Path) -> tuple[int, str]:
    """The temporary file beside ``output``: ``.NAME.XXXXXXXX.tmp``, with NAME cut short
    enough that the whole stays within the 255 bytes a file name may have (a valid output
    name of 242 bytes or more made a temporary name too long, and the output was refused)."""
    name = output.name
    while len(os.fsencode(name)) > _TEMP_NAME_BYTES:
        name = name[:-1]
    return tempfile.mkstemp(dir=output.parent, prefix=f".{name}.", suffix=".tmp")


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


def written_by_credscore(path: Path) -> bool:
    """Whether ``path`` is empty (nothing to lose) or one of credscore's own outputs; a file of
    another shape, which a run could read as an article, is not."""
    try:
        if path.stat().st_size == 0:
            return True
    except OSError:
        return False
    return is_credscore_output(path)
