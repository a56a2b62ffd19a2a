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
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from credscore.interrupt import removed_if_killed
from credscore.read.own_outputs import is_credscore_output

# The part of a temporary name taken from the output's name: 255 bytes at most in all, less
# the dots, mkstemp's eight random characters and ".tmp".
_TEMP_NAME_BYTES = 255 - 2 - 8 - 4


# The names of an open file descriptor of the process itself, as links resolve them.
_STANDARD_STREAMS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR_NAME = re.compile(
    r"/(?:dev|proc/(?P<pid>self|thread-self|\d+)(?:/task/\d+)?)/fd/(?P<fd>\d+)")
# How many links a name of a descriptor is followed through (the system's own limit is 40).
_MAX_LINKS = 40


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


class ChunkedWriter:
    """Standard output written a pipe's buffer at a time, each piece flushed: one write of
    megabytes to a pipe whose reader went away (``| head``) ends after its first 64 KiB with no
    error, and the run would exit 0 with its output cut short; in pieces, the next write fails
    (a broken pipe, exit 141). Everything else is the stream's own."""

    PIECE = 1 << 16

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        stream = self._stream
        if len(text) <= self.PIECE:
            return stream.write(text)
        for at in range(0, len(text), self.PIECE):
            stream.write(text[at:at + self.PIECE])
            stream.flush()
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextmanager
def atomic_output(output: Path | None) -> Iterator[TextIO]:
    """A text stream for ``output`` (standard output when None) that reaches the name only if
    the block completes. The temporary file is made on entry, so an output that cannot be
    written is reported before any work is done."""
    if output is None:
        stream = ChunkedWriter(sys.stdout)
        yield stream  # type: ignore[misc]
        stream.flush()
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
        with removed_if_killed(tmp_name):
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
        _check_descriptor(output, fd)
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
    """The file descriptor that ``output`` names when it is one of this process's open files
    (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``, ``/proc/self/fd/N``, or a link to one of
    them), else None. Such a name is a link to the file the descriptor is open on: replacing
    that file would throw away what a shell's ``>>`` put there before, and a pipe has no file
    to replace."""
    name = os.path.abspath(output)
    for _ in range(_MAX_LINKS):
        # The folder's links resolved ("/proc/self/fd" is "/proc/PID/fd"), the name's own not.
        folder, base = os.path.split(name)
        name = os.path.join(os.path.realpath(folder), base)
        fd = _named_descriptor(name)
        if fd is not None:
            return fd
        try:
            target = os.readlink(name)
        except OSError:  # not a link (or not there): a file of its own
            return None
        name = os.path.join(os.path.dirname(name), target)
    return None


def _named_descriptor(name: str) -> int | None:
    if name in _STANDARD_STREAMS:
        return _STANDARD_STREAMS[name]
    m = _DESCRIPTOR_NAME.fullmatch(name)
    if m is None or m["pid"] not in (None, "self", "thread-self", str(os.getpid())):
        return None
    return int(m["fd"])


def descriptor_file(fd: int) -> Path | None:
    """The file a descriptor is open on, where the system says (Linux), when that is a regular
    file: what checks of an output's place read instead of its name."""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        path = Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return None
    return path if path.is_absolute() else None


def _check_descriptor(output: Path, fd: int) -> None:
    """Refuse a descriptor this run was not handed (one that is not open, or that credscore
    opened itself, which is never inheritable) or that is not open for writing."""
    try:
        handed = os.get_inheritable(fd)
        mode = _access_mode(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    if not handed:
        raise OutputError(f"cannot write {output}: the descriptor {fd} was not handed to "
                          "credscore (open it in the shell, as in 3>scores.csv)")
    if mode is not None and mode not in (os.O_WRONLY, os.O_RDWR):
        raise OutputError(f"cannot write {output}: the descriptor {fd} is open for reading only")


def _access_mode(fd: int) -> int | None:
    """How ``fd`` is open (``os.O_RDONLY``, ``os.O_WRONLY`` or ``os.O_RDWR``); None where the
    system cannot say."""
    try:
        import fcntl
    except ImportError:
        return None
    return fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE


@contextmanager
def _open_descriptor(output: Path, fd: int) -> Iterator[TextIO]:
    """A text stream on a copy of the descriptor ``fd``, so that what is written lands where
    the descriptor writes (after what standard output and standard error hold so far)."""
    _check_descriptor(output, fd)
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
    write it (the new file would take its place, with its old permissions); the superuser may
    write it, as with a redirection."""
    if output.is_file() and not os.access(output, os.W_OK):
        raise OutputError(f"cannot write {output}: the file is read-only (make it writable, or "
                          "write to another file)")


def _followed(output: Path) -> Path:
    """The file a symbolic link ``output`` points to (the link itself would otherwise be
    replaced by the new file, and the file it points to keep its old content); any other
    ``output`` as it is. A link in a loop of links is refused: it points to no file."""
    if not output.is_symlink():
        return output
    real = Path(os.path.realpath(output))
    if real.is_symlink():  # still a link once followed: one of a loop
        raise OutputError(f"cannot write {output}: it is a symbolic link in a loop of links; "
                          "remove the link or name another output")
    return real


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
