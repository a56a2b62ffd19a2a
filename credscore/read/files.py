"""Find article files and read them into documents, one error per file or line that fails."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import AnyStr

from credscore.models import Document, InputFormat, ReadError
from credscore.plural import counted, plural
from credscore.read.decode import BinaryContent, decode, decode_page, json_encoding
from credscore.read.own_outputs import is_credscore_output

FORMATS: dict[str, InputFormat | None] = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".jsonl": None,
}
# Web archives hold many documents each; they are read by credscore.read.warc.
ARCHIVE_SUFFIXES = (".warc", ".warc.gz")
# One article larger than this is refused; a JSONL file may be any size (it is streamed).
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# The largest --max-bytes: a line reader's limit must fit a C size (2**63 does not), and no
# article of a terabyte could be held to be scored.
MAX_BYTES_LIMIT = 2**40
_PIECE = 64 * 1024  # how much of a line over the limit is read at a time, to skip it
_NEWLINE = ("\n", b"\n")  # a line's end, read as text or as bytes

ReadResult = Document | ReadError


def size_text(n: int, *, limit: bool = False) -> str:
    """A size in words: bytes below one MiB (never "0.0 MiB"), MiB from there up, a measured
    size to one decimal ("50.0 MiB") and a limit as set ("10 MiB", "1.5 MiB")."""
    if n < 2**20:
        return counted(n, "byte", commas=True)
    mib = n / 2**20
    return f"{round(mib, 2):g} MiB" if limit else f"{mib:.1f} MiB"


def cannot_read(source: str, exc: OSError) -> ReadError:
    """The read error for a file that cannot be opened or read."""
    return ReadError(path=source, error=f"cannot read: {exc.strerror or exc}")


def cannot_open(path: Path, exc: OSError) -> ReadError:
    """:func:`cannot_read` for ``path``; for a folder (one that could not be listed, found under
    a file's name such as ``data.jsonl``), the reason it could not be listed."""
    if isinstance(exc, IsADirectoryError):
        exc = _listing_error(path) or exc
    return cannot_read(shown_path(path), exc)


def _listing_error(folder: Path) -> OSError | None:
    """Why ``folder`` cannot be listed (no read permission), or None when it can."""
    try:
        with os.scandir(folder):
            return None
    except OSError as exc:
        return exc


def over_limit(max_bytes: int) -> str:
    return (f"over the {size_text(max_bytes, limit=True)} limit for one article (raise it with "
            "--max-bytes)")


@dataclass(frozen=True, slots=True)
class FileTask:
    """A file still to be read: reading can happen in a worker process."""

    path: Path
    doc_id: str
    max_bytes: int


@dataclass(frozen=True, slots=True)
class LineTask:
    """One raw JSONL line still to be decoded and validated."""

    where: str
    raw: bytes


def shown_path(path: Path | str) -> str:
    """A path as the text of ids and messages. The bytes of a file name that are not UTF-8,
    which Python holds as lone surrogates that no output can encode, are written as ``\\xNN``
    escapes (``caf\\xe9.txt``)."""
    text = path.as_posix() if isinstance(path, Path) else path
    if text.isascii():
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file (after links). Only such a file is opened as a JSONL
    file or a web archive: opening a named pipe would wait for a writer that may never come.
    Anything else is read as one article, which says why it cannot be."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def file_tasks(path: Path, doc_id: str, max_bytes: int = MAX_DOCUMENT_BYTES,
               ) -> Iterator[FileTask | LineTask | ReadError]:
    """The work one article file or JSONL file stands for. Decoding and validation are left to
    :func:`read_task`, so that a process pool can do them in parallel; the caller only splits
    JSONL files into lines."""
    if path.suffix.lower() != ".jsonl" or not is_regular(path):
        yield FileTask(path, doc_id, max_bytes)
        return
    source = shown_path(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield cannot_open(path, exc)
        return
    with handle:
        try:
            if not handle.peek(1):
                yield ReadError(path=source, error="empty file")
                return
            yield from jsonl_tasks(jsonl_lines(handle, max_bytes), source, max_bytes)
        except OSError as exc:  # part way (a failing disk): keep the lines read, go on past it
            yield cannot_read(source, exc)


def jsonl_lines(handle: io.BufferedReader, limit: int = MAX_DOCUMENT_BYTES) -> Iterator[bytes]:
    """The lines of a JSONL file, each ending in its newline: as they are in a UTF-8 file, or
    re-encoded to UTF-8 from a file in UTF-16 or UTF-32 (as Windows tools write), whose newline
    is not the byte 0A. Bytes that are not text in that encoding become U+FFFD. A line over
    ``limit`` is not held whole (see :func:`bounded_lines`)."""
    codec = json_encoding(handle.peek(4)[:4])
    if codec is None:
        yield from bounded_lines(handle.readline, limit)
        return
    text = io.TextIOWrapper(handle, encoding=codec, errors="replace", newline="\n")
    try:
        for line in bounded_lines(text.readline, limit):  # characters: at least as many bytes
            yield line.encode("utf-8")
    finally:
        text.detach()  # the caller closes the file


def bounded_lines(readline: Callable[[int], AnyStr], limit: int) -> Iterator[AnyStr]:
    """The lines ``readline`` gives, each ending in its newline, holding at most ``limit + 1``
    characters at a time: a longer line is given as its first ``limit + 1`` (so it is still
    over the limit), or as an empty line when it is all whitespace, and the rest of it is
    skipped in pieces. Each line of the file is given once, so lines keep their numbers."""
    while line := readline(limit + 1):
        if len(line) > limit:
            blank = _blank(line)
            if line[-1:] not in _NEWLINE:
                blank = skip_line(readline, blank=blank)
            if blank:
                line = line[:0]
        yield line


def _blank(piece: str | bytes) -> bool:
    """Whether ``piece`` holds only ASCII whitespace, as a blank JSONL line does (bytes.strip's
    notion, so that a line of no-break spaces in UTF-16 is not blank either)."""
    if isinstance(piece, str):
        return not piece.strip(" \t\n\r\x0b\x0c")
    return not piece.strip()


def skip_line(readline: Callable[[int], AnyStr], *, blank: bool = True) -> bool:
    """Read to the end of the current line in pieces, without holding it; whether it was all
    whitespace (and ``blank`` says what was read of it before)."""
    while piece := readline(_PIECE):
        blank = blank and _blank(piece)
        if piece[-1:] in _NEWLINE:
            break
    return blank


def jsonl_tasks(lines: Iterable[bytes], source: str, max_bytes: int = MAX_DOCUMENT_BYTES,
                first_line: int = 1) -> Iterator[LineTask | ReadError]:
    """One task per non-blank line; ``first_line`` numbers the first of ``lines`` (a range of a
    file read on its own starts further down)."""
    for lineno, raw in enumerate(lines, start=first_line):
        where = f"{source}:{lineno}"
        if len(raw) > max_bytes:  # first: only its start may have been read (bounded_lines)
            yield ReadError(path=where, error=f"line is {over_limit(max_bytes)}")
            continue
        if not raw.strip():
            continue
        yield LineTask(where, raw)


def read_task(item: FileTask | LineTask) -> ReadResult:
    """The document (or read error) a file or JSONL line stands for."""
    if isinstance(item, FileTask):
        return next(read_path(item.path, item.doc_id, item.max_bytes))
    try:
        return jsonl_document(decode(item.raw), item.where)
    except (ValueError, BinaryContent) as exc:
        return ReadError(path=item.where, error=str(exc))


@dataclass
class ReadOnce:
    """The files a run has found, so that each is read once however many of its paths name it
    (a folder and a file in it, a folder given twice): the real path of each, with symbolic links
    resolved. Digests rather than the paths keep a run over millions of files small; at 128 bits
    no two paths share one."""

    NAMED = 5  # paths named in the notes

    seen: set[bytes] = field(default_factory=set)
    again: list[str] = field(default_factory=list)  # notes on the first few paths found again
    count: int = 0  # how many were
    # The run's folder arguments, by real path and as given (see :meth:`over`): a path inside
    # one of them is read as part of it, whatever the order they were given in.
    folders: dict[str, str] = field(default_factory=dict)

    @classmethod
    def over(cls, paths: Iterable[object]) -> ReadOnce:
        """One for a run over ``paths`` (its arguments: files, folders, URLs), knowing its
        folders, so that a file two of them reach gets the same id whatever their order."""
        folders: dict[str, str] = {}
        for p in paths:
            if isinstance(p, str | Path) and os.path.isdir(p):
                folders.setdefault(os.path.realpath(p), shown_path(p))
        return cls(folders=folders)

    def holder(self, real: str, skip: set[Path], itself: bool = False) -> str | None:
        """The outermost of the run's folders (as given) whose walk reaches the folder at the
        real path ``real``: ``real`` below it, or itself when ``itself``, with no hidden folder
        and none of ``skip`` on the way, and every folder from it down to ``real`` one that can
        be listed (a walk reads nothing below one that cannot). None when there is none."""
        way = Path(real)
        chain = [way, *way.parents]  # ``real`` and every folder above it, innermost first
        for depth in range(len(chain) - 1, -1 if itself else 0, -1):  # outermost first
            folder = self.folders.get(str(chain[depth]))
            if folder is None:
                continue
            below = chain[:depth + 1]  # from ``real`` up to this folder
            if all(not (d.name.startswith(".") or d in skip) for d in below[:-1]) and all(
                    os.access(d, os.R_OK | os.X_OK) for d in below):
                return folder
        return None

    def found_again(self, path: Path, folder: str | None = None) -> None:
        """Count ``path`` as a path that reached a file read elsewhere (in ``folder``, a folder
        argument that holds it)."""
        self.count += 1
        if len(self.again) < self.NAMED:
            shown = shown_path(path)
            self.again.append(f"{shown}: in {folder}, read as part of it" if folder else
                              f"{shown}: named more than once, read once")

    def first(self, real: str, path: Path) -> bool:
        """Whether the file at the real path ``real`` (found as ``path``) is found for the first
        time; when it is not, ``path`` is counted as found again."""
        key = hashlib.blake2b(real.encode("utf-8", "surrogateescape"), digest_size=16).digest()
        if key not in self.seen:
            self.seen.add(key)
            return True
        self.found_again(path)
        return False

    def lines(self) -> list[str]:
        """What to say of the files found again: each was read once."""
        out = list(self.again)
        if self.count > len(self.again):
            more = self.count - len(self.again)
            out.append(f"{counted(more, 'more file', commas=True)} {plural(more, 'was', 'were')} named more "
                       "than once, each read once")
        return out


def resolved(path: Path) -> Path:
    """``path`` with its links followed; as it is (made absolute) where they loop or cannot be
    followed, which Python before 3.13 reports as a RuntimeError."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def discover(paths: Iterable[str | Path], exclude: Iterable[Path] = (),
             own_outputs: list[str] | None = None,
             once: ReadOnce | None = None) -> Iterator[tuple[Path, str]]:
    """Every article file below ``paths``, with the id it gets (its path relative to the argument).

    Folders are walked in sorted order without following symbolic links, so a link loop cannot
    hang a run. A file named directly is read whatever its extension. A file or folder found in
    a folder that is one of ``exclude`` is skipped (the run's own output is never read back),
    and so is a report or a file of scores credscore wrote there (its path is added to
    ``own_outputs``). A folder that cannot be listed is yielded like a file, so that reading it
    reports why. With ``once`` (one for all the calls of a run), a file found before, by this
    path or another, is not yielded again, and a path that one of the run's folders known to
    ``once`` reads as part of it is skipped (that folder yields its files).
    """
    skip = {resolved(p) for p in exclude}
    skip_names = {p.name for p in skip}
    for arg in paths:
        root = Path(arg)
        if once is not None and once.folders and _held(root, once, skip):
            continue
        if os.path.isdir(root):  # not Path.is_dir, which raises on a name too long to look up
            unlisted: list[OSError] = []
            for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted.append,
                                                        followlinks=False):
                yield from _unlisted(unlisted, root)
                real_dir = os.path.realpath(dirpath) if once is not None else ""
                dirnames[:] = sorted(
                    d for d in dirnames if not d.startswith(".")
                    and not (d in skip_names and resolved(Path(dirpath) / d) in skip))
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    if name in skip_names and resolved(path) in skip:
                        continue
                    if name.startswith(".") or not (path.suffix.lower() in FORMATS or is_archive(path)):
                        continue
                    if path.suffix.lower() in FORMATS and is_credscore_output(path):
                        if own_outputs is not None:
                            own_outputs.append(shown_path(path))
                        continue
                    if once is not None and not once.first(_real_in(real_dir, path), path):
                        continue
                    yield path, shown_path(path.relative_to(root))
            yield from _unlisted(unlisted, root)
        elif once is None or once.first(os.path.realpath(root), root):
            yield root, shown_path(root.name)


def _held(root: Path, once: ReadOnce, skip: set[Path]) -> bool:
    """Whether the argument ``root`` lies in another of the run's folders that reads it: a
    folder below it, or a file its walk takes (not hidden, an article's extension, not an
    output of credscore's). Such a path is read as part of that folder, so that a file keeps
    one id whatever order the paths are given in; it is counted as found again."""
    try:
        if os.path.isdir(root):
            holder = once.holder(os.path.realpath(root), skip)
        else:
            name = root.name
            if (name.startswith(".") or not (root.suffix.lower() in FORMATS or is_archive(root))
                    or not os.path.isfile(root) or resolved(root) in skip
                    or (root.suffix.lower() in FORMATS and is_credscore_output(root))):
                return False
            holder = once.holder(os.path.realpath(root.parent), skip, itself=True)
    except (OSError, ValueError):
        return False
    if holder is None:
        return False
    once.found_again(root, holder)
    return True


def _real_in(real_dir: str, path: Path) -> str:
    """The real path of ``path``, a file in a folder whose real path is ``real_dir`` (os.walk
    follows no link to a folder, so only the file itself may be a link)."""
    return os.path.realpath(path) if os.path.islink(path) else os.path.join(real_dir, path.name)


def found_in(path: Path, folder: Path) -> bool:
    """Whether :func:`discover` reads the file ``path`` as an article when it walks ``folder``:
    below it, with an article's extension, and neither it nor a folder on the way hidden."""
    try:
        inside = path.resolve().relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a link loop (Python < 3.13)
        return False
    return (path.is_file() and not any(part.startswith(".") for part in inside.parts)
            and (path.suffix.lower() in FORMATS or is_archive(path)))


def _unlisted(errors: list[OSError], root: Path) -> Iterator[tuple[Path, str]]:
    """The folders os.walk could not list (it reports them through ``onerror`` and goes on); a
    folder that was removed while the walk went on is not one."""
    for exc in errors:
        if isinstance(exc, FileNotFoundError):
            continue
        folder = Path(exc.filename) if exc.filename else root
        inside = folder.relative_to(root) if folder.is_relative_to(root) else folder
        yield folder, shown_path(inside if inside != Path(".") else root.name)
    errors.clear()


def read_path(path: Path, doc_id: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[ReadResult]:
    source = shown_path(path)
    suffix = path.suffix.lower()
    try:
        try:
            path.stat()  # not Path.exists, which takes a link loop for a missing file
        except (FileNotFoundError, NotADirectoryError):
            yield _missing_error(path, source)
            return
        if not path.is_file():
            listing = _listing_error(path) if path.is_dir() else None
            yield cannot_read(source, listing) if listing else \
                ReadError(path=source, error="not a regular file")
            return
    except OSError as exc:
        yield cannot_read(source, exc)
        return
    if suffix == ".jsonl":
        yield from (task if isinstance(task, ReadError) else read_task(task)
                    for task in file_tasks(path, doc_id, max_bytes))
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield ReadError(path=source, error=f"file is {size_text(size)}, {over_limit(max_bytes)}")
            return
        data = path.read_bytes()
        text = decode_page(data) if FORMATS.get(suffix, "html") == "html" else decode(data)
    except BinaryContent as exc:
        yield ReadError(path=source, error=str(exc))
        return
    except OSError as exc:
        yield cannot_read(source, exc)
        return
    if not text.strip():
        yield ReadError(path=source, error="empty file")
        return
    fmt = FORMATS.get(suffix) or sniff_format(text)
    yield Document(id=doc_id, source=source, format=fmt, content=text)


def _missing_error(path: Path, source: str) -> ReadError:
    """The error for a path that names nothing: a link whose target is gone says so."""
    try:
        target = os.readlink(path)
    except (OSError, ValueError):  # not a link
        return ReadError(path=source, error="no such file or folder")
    return ReadError(path=source, error=f"a symbolic link to {shown_path(target)}, which does "
                     "not exist")


def sniff_format(text: str) -> InputFormat:
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head:
        return "html"
    return "text"


def jsonl_document(line: str, where: str) -> Document:
    """One JSONL line: ``id``, optional ``title``, ``text`` or ``html``, optional ``metadata``."""
    return object_document(json_line(line), where)


class _Decimal(float):
    """A JSON number with a fraction or an exponent, as a float that keeps its text ("1e5",
    "12345678901234567890.0"): a title that is such a number is that text, which the float alone
    may not give back (100000.0, 1.2345678901234567e+19)."""

    text: str


def _decimal(text: str) -> _Decimal:
    number = _Decimal(text)
    number.text = text
    return number


class _Whole(int):
    """A JSON whole number that keeps its text: "-0", which the int alone gives back as "0"."""

    text: str


def _whole(text: str) -> _Whole:
    number = _Whole(text)
    number.text = text
    return number


# json.loads, but numbers keep their text (a decoder of its own: json.loads with parse_float
# would make one for every line).
_DECODER = json.JSONDecoder(parse_float=_decimal, parse_int=_whole)


def json_line(line: str) -> object:
    """A JSONL line decoded; :class:`ValueError` with a plain message when it is not JSON. A
    line whose title is a decimal number, or 0 (which may be written "-0"), is decoded again
    with numbers that keep their text (only then: a line of many numbers, an embedding say,
    decodes three times as slowly so)."""
    line = line.rstrip("\r\n")
    try:
        obj = json.loads(line)
        if isinstance(obj, dict) and (type(obj.get("title")) is float or _is_zero(obj.get("title"))):
            return _DECODER.decode(line)
        return obj
    except json.JSONDecodeError as exc:
        # The message may end in "at" ("Unterminated string starting at"), as Python's own does.
        raise ValueError(f"not valid JSON: {exc.msg}: column {exc.pos + 1}") from None
    except RecursionError:
        raise ValueError("not readable: JSON nested too deeply") from None
    except ValueError:  # an integer of more than the 4,300 digits Python reads
        raise ValueError("not readable: a number of thousands of digits") from None


def _is_zero(value: object) -> bool:
    """Whether a decoded JSON value is the whole number 0, which the line may write as "-0"."""
    return type(value) is int and value == 0


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: object) -> str:
    """A JSON string as text that can be written: a lone surrogate (a JSON escape such as
    "\\ud800" with no partner) becomes U+FFFD, as undecodable bytes do in a file."""
    text = str(value)
    if text.isascii():
        return text
    try:
        text.encode("utf-8")  # fails only on a surrogate, and is quicker than searching for one
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _meta_text(value: object) -> str:
    """A metadata value as text ("" for null or an empty list): a number or true/false as JSON
    writes it, a list of such values (two authors) joined with "; ", an object or a list of
    lists as its JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, list) and all(isinstance(v, str | bool | int | float | None)
                                       for v in value):
        return "; ".join(text for v in value if (text := _meta_text(v)))
    return _text(json.dumps(value, ensure_ascii=False))


def _kind(value: object) -> str:
    """What a JSON value is, as a message names it."""
    return {bool: "true or false", float: "a decimal number", _Decimal: "a decimal number",
            int: "a number", _Whole: "a number", str: "text", list: "a list", dict: "an object",
            }.get(type(value), type(value).__name__)


def _title_of(obj: dict[str, object]) -> str | None:
    """A JSONL object's title: its text (a number as the line writes it: "1984", "1e5"), None when it is
    missing, null or blank. Any other value (a list, an object, true) is refused rather than
    dropped, since the title is what headline signals read."""
    title = obj.get("title")
    if title is None:
        return None
    if isinstance(title, _Decimal | _Whole):
        title = title.text
    elif isinstance(title, int | float) and not isinstance(title, bool):
        title = json.dumps(title)
    if not isinstance(title, str):
        raise ValueError(f"'title' must be text, not {_kind(title)}")
    return _text(title).strip() or None


def _id_of(obj: dict[str, object]) -> str | None:
    """A JSONL object's id: its text, or a whole number written as digits; None without one. Any
    other value (true, 6.5, a list, an object) could never be matched to a label, so the line is
    refused, and so is a blank id."""
    doc_id = obj.get("id")
    if doc_id is None:
        return None
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        return str(doc_id)
    if not isinstance(doc_id, str):
        raise ValueError(f"'id' must be text or a whole number, not {_kind(doc_id)}")
    if not doc_id.strip():
        raise ValueError("'id' is blank: give the article an id, or leave the key out")
    return _text(doc_id)


def object_document(obj: object, where: str) -> Document:
    """A JSONL object (already decoded) as a document; ``where`` is its id when it has none."""
    if not isinstance(obj, dict):
        raise ValueError("a JSONL line must be an object with 'text' or 'html'")
    if isinstance(obj.get("html"), str):
        fmt: InputFormat = "html"
        content = obj["html"]
    elif isinstance(obj.get("text"), str):
        fmt, content = "text", obj["text"]
    elif {"score", "criteria"} <= obj.keys():
        raise ValueError("a line of credscore's scores, not an article (no 'text' or 'html'): "
                         "give the articles the scores were made from")
    else:
        raise ValueError("the object has no 'text' or 'html' string")
    if not content.strip():
        raise ValueError(f"'{fmt}' is empty")
    doc_id = _id_of(obj)
    meta_in = obj.get("metadata")
    if meta_in is None:
        meta_in = {}
    elif not isinstance(meta_in, dict):
        raise ValueError(f"'metadata' must be an object, not {_kind(meta_in)}")
    metadata = {_text(k): text for k, v in meta_in.items() if (text := _meta_text(v))}
    for key in ("url", "publish_date", "author", "date"):
        if key not in metadata and (text := _meta_text(obj.get(key))):
            metadata[key] = text
    title = _title_of(obj)
    return Document(
        id=doc_id if doc_id is not None else where,
        source=where,
        format=fmt,
        content=_text(content),
        title=title,
        metadata=metadata,
    )
