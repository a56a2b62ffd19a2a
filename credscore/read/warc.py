"""Articles kept in web archives (``.warc`` and ``.warc.gz``), read with warcio.

An archive is streamed record by record, so memory stays flat whatever its size (only the ids
already used in the archive are remembered, to tell repeated captures of one URI apart). Every
HTTP response record with status 2xx and an HTML or text body becomes a document whose id is its
target URI; a URI captured again gets the record id after it. Every other record (requests,
metadata, images, redirects ...) is skipped and counted in :class:`SkippedRecords`.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import io
import logging
import math
import re
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

from credscore.models import Document, ReadError, ReadWarning
from credscore.oneline import clipped
from credscore.read.files import MAX_DOCUMENT_BYTES, cannot_open, over_limit, shown_path
from credscore.read.response import article_format, media_type, response_document

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 64 * 1024
# A record's first line, "WARC/1.0", where a record begins.
_WARC_LINE = re.compile(rb"WARC/\d\.\d+\r?\n")
# Where a record may begin after a damaged one: a gzip member (deflate), or a line "WARC/...".
_GZIP_MEMBER = _GZIP_MAGIC + b"\x08"
_RECORD_MARK = re.compile(re.escape(_GZIP_MEMBER) + rb"|\nWARC/")
_MARK_BYTES = len(b"\nWARC/")
_QUOTED = 80  # characters of the archive's text that an error quotes, at most
_PEEK = 512  # bytes read to tell whether a record begins: a gzip header and a first line
# What is left where a record begins in an archive that ends inside its first line: blank
# lines, then the start of "WARC/1.0".
_FIRST_LINE_CUT = re.compile(rb"\s*W(?:A(?:R(?:C(?:/(?:\d(?:\.(?:\d\r?)?)?)?)?)?)?)?")
# What ends a record: the blank lines after its block.
_RECORD_END = b"\r\n\r\n"
# Where the HTTP headers at the start of a record's block end: a blank line.
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
# The algorithms of a WARC-Block-Digest that are checked.
_DIGESTS = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512"})


@dataclass
class SkippedRecords:
    """Records of web archives that hold no article, counted by archive and by kind."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, archive: str, kind: str) -> None:
        self.counts.setdefault(archive, Counter())[kind] += 1

    def merge(self, other: SkippedRecords) -> None:
        for archive, kinds in other.counts.items():
            self.counts.setdefault(archive, Counter()).update(kinds)

    def __bool__(self) -> bool:
        return bool(self.counts)

    def lines(self) -> list[str]:
        """One line per archive: how many records were skipped, the most frequent kinds first."""
        out = []
        for archive, kinds in self.counts.items():
            total = sum(kinds.values())
            detail = ", ".join(f"{n} {kind}" for kind, n in
                               sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(f"{archive}: {total} record{'s' * (total != 1)} skipped, not HTML or "
                       f"text responses ({detail})")
        return out

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {archive: dict(sorted(kinds.items())) for archive, kinds in self.counts.items()}


@dataclass(frozen=True, slots=True)
class RecordTask:
    """The body of one archived response, still to be decoded (in the worker that scores it)."""

    doc_id: str
    where: str
    body: bytes
    content_type: str | None
    metadata: tuple[tuple[str, str], ...]

    def read(self) -> Document | ReadError:
        metadata = dict(self.metadata)
        found = response_document(self.doc_id, self.where, self.body, self.content_type, metadata)
        if isinstance(found, ReadError) and metadata.get("url"):
            # the offset finds the record; the URI says which page it was (as for one too big)
            return ReadError(path=found.path, error=f"{metadata['url']}: {found.error}")
        return found


def archive_tasks(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES,
                  skipped: SkippedRecords | None = None) -> Iterator[RecordTask | ReadError]:
    """One task per article in the archive, in archive order; a read error for a record over
    ``max_bytes``, and one for the archive when it cannot be read or ends damaged (the
    documents read before the damage are kept).

    A damaged record (one that warcio cannot read, or whose header has no length) does not end
    the archive: it is read on from the next record after it, the next gzip member whose data
    begins a WARC record (or, uncompressed, the next line that begins one), and the error says
    where. An archive that ends inside a record has no record after it.

    An archive gzipped as one stream (``gzip crawl.warc``), not a gzip member per record as
    crawlers write them, is refused by warcio at its second record: it is then read again from
    the start through a decompressing stream, past the records already read, and its offsets
    count bytes of the decompressed archive. Such a stream cannot be read on after damage.
    An archive gzipped per record is read the same way from its first gzip member that holds
    several records (warcio refuses one, or gives wrong offsets for the records after the
    first); after damage, from where reading went on, each record then named by the offset of
    the gzip member that holds it."""
    archive = shown_path(path)
    progress = _Progress(archive, max_bytes, skipped if skipped is not None else SkippedRecords())
    start: int | None = 0
    damage: list[str] = []  # why the damaged records since the last one read were (unsaid)
    while start is not None:
        records = progress.records()
        with closing(_segment(path, progress, start)) as segment:
            while True:
                try:
                    item = next(segment)
                except StopIteration as stop:
                    ended: tuple[str, int | None] | None = stop.value
                    break
                if damage:  # (a record was read after them: say them first)
                    yield _damaged(archive, damage, start)
                    damage = []
                yield item
        if damage and progress.records() > records:  # (records read, none yielded)
            yield _damaged(archive, damage, start)
            damage = []
        if ended is None:
            break
        read = progress.read
        state = (f"damaged after {read} article{'s' * (read != 1)}" if read
                 else "not readable" if ended[1] is None and start == 0
                 else "damaged before its first article")
        damage.append(f"web archive {state}: {ended[0]}")
        start = ended[1]
    if damage:
        yield _damaged(archive, damage, start)


def _damaged(archive: str, damage: list[str], start: int | None) -> ReadError:
    """The error for consecutive damaged records: the first's, how many followed it, and the
    offset of the next record after them, read on from (None: there is none)."""
    more = len(damage) - 1
    after = f", then {more:,} more damaged record{'s' * (more != 1)}" if more else ""
    on = "" if start is None else f"; read on from the next record, at offset {start}"
    return ReadError(path=archive, error=f"{damage[0]}{after}{on}")


def _segment(path: Path, progress: _Progress, start: int,
             ) -> Generator[RecordTask | ReadError, None, tuple[str, int | None] | None]:
    """The archive's tasks from the record at offset ``start``; returns None when it ends
    cleanly (or cannot be opened: that error is yielded), else why it ends damaged and the
    offset of the next record to read on from (None: there is none, or it cannot be told)."""
    gunzip: _Gunzip | None = None
    resume: int | None = None
    progress.taken = 0
    for one_stream in (False, True):
        try:
            handle = path.open("rb")
        except OSError as exc:
            yield cannot_open(path, exc)
            return None
        with handle:
            handle.seek(start)
            if one_stream:
                gunzip = _Gunzip(handle, members=start > 0)
            stream = io.BufferedReader(gunzip, _CHUNK) if gunzip is not None else handle
            place = gunzip.member_at if gunzip is not None and start > 0 else None
            ended = yield from _records(stream, progress, one_stream, resumed=start > 0,
                                        place=place)
            stopped = progress.stopped if gunzip is None else gunzip.damaged_at
            if stopped is not None:
                resume = _next_record(handle, max(stopped, start))  # (past where it began)
        if not isinstance(ended, _ReadAsOneStream):
            break
    reason = ended if isinstance(ended, str) else None  # (the second reading ends either way)
    if gunzip is not None and gunzip.cut:
        reason = "its gzip stream ends early (an interrupted download or copy?)"
    elif gunzip is not None and gunzip.damage is not None:
        reason = gunzip.damage
    return None if reason is None else (reason, resume)


@dataclass
class _Progress:
    """How far one archive has been read, kept across a second reading of it."""

    archive: str
    max_bytes: int
    skipped: SkippedRecords
    read: int = 0  # articles
    taken: int = 0  # records, of every kind, of the reading that began where the last one did
    stopped: int | None = None  # where a damaged record began, when the archive may be read on
    seen: set[str] = field(default_factory=set)  # target URIs of the articles

    def records(self) -> int:
        """How many records were read whole: articles, and those skipped."""
        return self.read + sum(self.skipped.counts.get(self.archive, Counter()).values())


class _Gunzip(io.RawIOBase):
    """A gzipped file read as its decompressed bytes, as far as they go: where it ends inside a
    gzip stream, every byte before the cut is read, and then ``cut`` is set and the stream ends
    (``gzip.open`` raises EOFError instead, and a buffered read loses the bytes it had). Where
    the gzip data is damaged, or a gzip stream is followed by something other than another
    one (NUL padding and whitespace, as after the last member of an archive gzipped per record,
    are passed over), the stream ends there too and ``damage`` says why: raising would lose the
    bytes the buffered read above had gathered, whole records among them. Damaged data is read
    again from before the piece that failed, in ever smaller pieces, so that every byte that
    decompresses before the damage is read too. Offsets are of the file, from where it was when
    the stream began; with ``members``, :meth:`member_at` tells which member a byte came
    from."""

    def __init__(self, raw: BinaryIO, members: bool = False) -> None:
        self._raw = raw
        self._member: zlib._Decompress | None = None
        self._pending = b""  # compressed bytes read and not yet decompressed
        self._taken = raw.tell()  # the offset in the file after the bytes read (the last of
        # them are ``_pending``)
        self._made = 0  # decompressed bytes
        self._members: list[tuple[int, int]] | None = [] if members else None  # where each
        # member not yet passed begins: (decompressed bytes before it, its offset in the file)
        self._step = _CHUNK  # compressed bytes given to zlib at a time (less once damaged)
        self._out = b""
        self.cut = False
        self.damage: str | None = None
        self.damaged_at: int | None = None  # the offset in the file where ``damage`` was found
        self.members_read = 0  # whole members

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._out:
            if self.damage is not None:
                return 0
            if not self._pending:
                self._pending = self._raw.read(_CHUNK)
                self._taken += len(self._pending)
                if not self._pending:
                    self.cut = self._member is not None
                    return 0
            if self._member is None:
                self._pending = self._pending.lstrip(_BETWEEN_MEMBERS)
                if not self._pending:
                    continue
                if not _GZIP_MAGIC.startswith(self._pending[:len(_GZIP_MAGIC)]):
                    self.damage = (f"what follows its gzip stream, at byte {self._at()} of the "
                                   "file, is not gzip data")
                    self.damaged_at = self._at()
                    return 0
                self._member = zlib.decompressobj(16 + zlib.MAX_WBITS)
                if self._members is not None:
                    self._members.append((self._made, self._at()))
            self._decompress()
        size = min(len(buffer), len(self._out))
        buffer[:size] = self._out[:size]
        self._out = self._out[size:]
        return size

    def _decompress(self) -> None:
        """Decompress up to a step of the pending bytes into ``_out``; where they are damaged,
        go back to before them and take a smaller step next time, or, a byte at a time, say
        where the damage is."""
        member = self._member
        assert member is not None
        piece, after = self._pending[:self._step], self._pending[self._step:]
        before = member.copy()
        try:
            self._out = member.decompress(piece, _CHUNK)
        except zlib.error as exc:
            if self._step > 1:
                self._member, self._step = before, max(1, self._step // 64)
                return
            self.damaged_at = self._at()
            if str(exc).endswith(("incorrect data check", "incorrect length check")):
                self.damage = (f"its gzip data fails its integrity check, found at byte "
                               f"{self._at()} of the file ({exc}): what was read before it may "
                               "be damaged too")
            else:
                self.damage = (f"its gzip data is damaged, found at byte {self._at()} of the file "
                               f"({exc})")
            return
        self._made += len(self._out)
        self._pending = (member.unconsumed_tail or member.unused_data) + after
        if member.eof:
            self._member = None
            self.members_read += 1

    def _at(self) -> int:
        """The offset in the file of the first pending byte."""
        return self._taken - len(self._pending)

    def member_at(self, offset: int) -> int:
        """The offset in the file of the gzip member that the byte at ``offset`` of the
        decompressed stream comes from (with ``members``; asked in order: the members before
        it are forgotten, so memory stays flat)."""
        if not self._members:
            return offset
        found = max(bisect.bisect_right(self._members, (offset, math.inf)) - 1, 0)
        del self._members[:found]
        return self._members[0][1]


# What may lie between and after the gzip members of an archive: NUL padding, and whitespace,
# which an archive gzipped per record may hold after its last member too (see _cut_after).
_BETWEEN_MEMBERS = b"\0 \t\r\n\x0b\x0c"


class _ReadAsOneStream:
    """What :func:`_records` returns for an archive to be read again as one gzip stream."""


_ONE_STREAM = _ReadAsOneStream()


def _records(handle: BinaryIO, progress: _Progress, one_stream: bool = False,
             resumed: bool = False, place: Callable[[int], int] | None = None,
             ) -> Generator[RecordTask | ReadError, None, str | _ReadAsOneStream | None]:
    """The archive's tasks from the record after the ``progress.taken`` first, reading from the
    handle's position; returns why it ends damaged (None when it ends cleanly, ``_ONE_STREAM``
    when it must be read as one: once ``resumed`` after damage, only for a gzip member that
    holds several records), with ``progress.stopped`` set where a damaged record began when the
    archive may be read on. ``place`` gives a record's offset in the file from its offset in
    the stream read."""
    from warcio.archiveiterator import ArchiveIterator  # here: most runs read no archive
    from warcio.exceptions import ArchiveLoadFailed

    archive, skipped, seen = progress.archive, progress.skipped, progress.seen
    done = progress.taken
    taken = 0
    progress.stopped = None
    may_reread = not one_stream and not resumed  # (as one gzip stream, from the start)
    _quiet_warcio()
    records = ArchiveIterator(handle)
    _tolerate_missing_uri(records)
    record = None
    headless = False
    try:
        for record in records:
            taken += 1
            if taken <= done:
                continue
            if records.next_line and records.reader.decompressor and not one_stream:
                return _ONE_STREAM  # (a record after another in its gzip member: warcio's
                                    # offset for it is wrong, and it may refuse the next)
            progress.taken = taken
            start = records.offset  # where this record begins (where the last one ended)
            if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                headless = True  # every WARC record declares its length: this one was cut
                break
            kind = _skip_reason(record)
            warned = records.err_count
            body = b"" if kind else record.content_stream().read(progress.max_bytes + 1)
            offset = records.get_record_offset()  # reads the record to its end
            swallowed = (_swallowed(handle, start, records.offset)
                         if records.err_count > warned and records.reader.decompressor is None
                         and not one_stream else None)  # (uncompressed: its length too long?)
            if kind is not None:
                skipped.add(archive, kind)
            if swallowed is not None:
                progress.stopped = start  # (read on from the record it swallowed)
                return (f"the record at offset {start} runs into the record after it, at offset "
                        f"{swallowed}: its Content-Length may be too long")
            if kind is not None:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
            offset = offset if place is None else place(offset)
            where = f"{archive}:{offset}"
            if _cut_short(record):
                break
            progress.read += 1
            doc_id = uri if uri not in seen else f"{uri} {record_id}"
            seen.add(uri)
            if len(body) > progress.max_bytes:
                yield ReadError(path=where,
                                error=f"{uri}: response is {over_limit(progress.max_bytes)}")
                continue
            metadata = {"url": uri, "fetched_at": record.rec_headers.get_header("WARC-Date"),
                        "warc_record_id": record_id}
            yield RecordTask(doc_id, where, body, record.http_headers.get_header("Content-Type"),
                             tuple((k, v) for k, v in metadata.items() if v))
            if records.err_count > warned:  # (warcio's warning, which it writes to stderr)
                yield ReadWarning(path=where, error=f"the record at offset {offset} ({uri}) is "
                                "followed by more bytes, not by a blank line: its Content-Length "
                                "may be too short, and the article, scored as read, cut short")
        if headless:
            # (gzip data damaged in warcio's first read is read by it as uncompressed, and its
            # bytes may pass for the first line of an ARC record)
            if may_reread and _damaged_later(handle, first=taken == 1):
                return _ONE_STREAM
            progress.stopped = None if one_stream else start
            damaged = None if one_stream else _damaged_gzip(_head(handle, start), start)
            if damaged is not None:
                return damaged
            return ("it ends inside a record's header, or a record has no valid "
                    f"Content-Length (at offset {start}: an interrupted download or copy?)")
        if one_stream:
            cut = record is not None and taken > done and _cut_short(record)
            if not cut:
                return None
            offset = records.get_record_offset()
            return _ends_inside(offset if place is None else place(offset))
        if record is None:
            cut = _cut_after(handle, None, records.offset)
            return "it holds no records" if cut is None else _ends_inside(cut)
        # warcio stops quietly where the archive ends inside a record's header (or inside the
        # gzip member that holds a record): look at what follows the last record
        last = records.get_record_offset()
        if min(last, records.offset) < 0 and may_reread:  # one gzip stream (warcio's offsets
            return _ONE_STREAM                               # say nothing)
        member = _read_member(handle, last) if _cut_short(record) else None
        if member is not None and not member.members_read and member.damage is not None:
            # (warcio reads gzip data damaged after its first read of a member as a record cut
            # short: the file goes on after it, and is read on from the next record)
            progress.stopped = member.damaged_at
            return member.damage
        if member is not None and member.members_read and _next_record(handle, last):
            progress.stopped = last  # (its member is whole, and more records follow it)
            return (f"the record at offset {last} is longer than its gzip member: its "
                    "Content-Length may be too long")
        if (member is not None and member.members_read
                and _cut_after(handle, last, records.offset) is None):
            # (the last record: its member is whole, and nothing but empty members follow it)
            return (f"the record at offset {last} is longer than its gzip member: its "
                    "Content-Length may be too long")
        if member is None and _cut_short(record) and _whole_but_its_length(handle, record):
            return (f"the record at offset {last} runs past the end of the file: its "
                    "Content-Length may be too long")
        cut = last if _cut_short(record) else _cut_after(handle, last, records.offset)
        return None if cut is None else _ends_inside(cut)
    except ArchiveLoadFailed as exc:
        if not one_stream and "non-chunked gzip" in exc.msg:
            return _ONE_STREAM  # (a gzip member of several records: from where this began)
        if may_reread and _damaged_later(handle, first=taken == 0):
            return _ONE_STREAM
        if _cut_in_first_line(handle, records.offset):
            return _ends_inside(records.offset)
        progress.stopped = None if one_stream else records.offset
        return _unknown_format(handle, records.offset, exc.msg)
    except Exception as exc:  # warcio raises many kinds on damaged input; keep what was read
        if may_reread and _damaged_later(handle, first=taken == 0):
            return _ONE_STREAM
        progress.stopped = None if one_stream else records.offset
        return f"a record cannot be read ({type(exc).__name__}: {clipped(str(exc), _QUOTED)})"


def _damaged_later(handle: BinaryIO, first: bool) -> bool:
    """Whether an archive whose ``first`` record warcio could not read is gzip
    data damaged after its start, within its first chunk: warcio then reads it as uncompressed,
    or fails, and loses every record before the damage. Read again as one stream, those
    records are kept. (An archive cut short is not damaged: it is said to end inside a
    record.)"""
    if not first:
        return False
    head = _head(handle, 0)
    if head is None or not head.startswith(_GZIP_MAGIC):
        return False
    gunzip = _Gunzip(io.BytesIO(head))
    read = 0
    while piece := gunzip.read(_CHUNK):
        read += len(piece)
    return read > 0 and gunzip.damage is not None


def _read_member(handle: BinaryIO, start: int) -> _Gunzip | None:
    """The gzip member at offset ``start``, read through (in pieces, so memory stays flat):
    ``members_read`` is 1 when it is whole; else ``damage`` says where its data is damaged, or
    it ends with the file. None when it is no gzip data."""
    head = _head(handle, start, _PEEK)
    if head is None or not head.startswith(_GZIP_MAGIC):
        return None
    handle.seek(start)
    gunzip = _Gunzip(handle)
    while gunzip.members_read == 0 and gunzip.read(_CHUNK):
        pass
    return gunzip


def _next_record(handle: BinaryIO, after: int, before: float = math.inf) -> int | None:
    """Where the first record after offset ``after`` (and before ``before``) begins: a gzip
    member whose data begins with a WARC record's first line, or, uncompressed, a line that is
    one. None when there is none. Read in pieces, so memory stays flat."""
    handle.seek(after)
    offset, data = after, b""  # ``data`` holds the archive's bytes from ``offset``
    while offset < before and (chunk := handle.read(_CHUNK)):
        data += chunk
        for found in _RECORD_MARK.finditer(data, 1):
            gzipped = found.group() == _GZIP_MEMBER
            begins = offset + found.start() + (not gzipped)  # (after the newline)
            if begins >= before:
                return None
            if _begins_record(handle, begins, gzipped):
                return begins
        keep = _MARK_BYTES  # (a mark may be cut between two pieces; one that began 6 bytes
        # before the end of this piece, already looked at, is at 0 in the next: passed over)
        offset, data = offset + len(data) - keep, data[-keep:]
        handle.seek(offset + len(data))
    return None


def _swallowed(handle: BinaryIO, start: int, end: int) -> int | None:
    """Where a record begins inside the record at ``start``, read by warcio to ``end`` (past
    the line after its declared length), or None; the handle is left where it was."""
    at = handle.tell()
    found = _next_record(handle, start, end)
    handle.seek(at)
    return found


def _begins_record(handle: BinaryIO, offset: int, gzipped: bool) -> bool:
    """Whether a WARC record's first line begins at ``offset`` (in a gzip member that begins
    there, when ``gzipped``). Only its first bytes are read: there may be a candidate at
    every few bytes of damaged data."""
    head = _head(handle, offset, _PEEK)
    if head is None:
        return False
    if gzipped:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return _WARC_LINE.match(head) is not None


class _Discard(io.TextIOBase):
    """A text stream that keeps nothing written to it."""

    def write(self, text: str) -> int:
        return len(text)


class _QuietSys(ModuleType):
    """``sys`` as warcio's modules see it: the same, but for a standard error that keeps
    nothing."""

    stderr = _Discard()

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


def _quiet_warcio() -> None:
    """Keep warcio from writing to standard error, past credscore's own messages: it warns of a
    record not followed by a blank line (quoting the bytes that follow it: :func:`_records`
    reports such an article), of gzip data that fails to decompress, and logs a target URI
    with spaces as it is, control characters and all. Each is damage that credscore reports
    itself (the URI is read percent-encoded)."""
    import warcio.archiveiterator
    import warcio.bufferedreaders

    for module in (warcio.archiveiterator, warcio.bufferedreaders):
        module.sys = _QUIET_SYS  # type: ignore[attr-defined]
    logging.getLogger("warcio").setLevel(logging.CRITICAL)


_QUIET_SYS = _QuietSys("sys")


def _tolerate_missing_uri(records: object) -> None:
    """warcio reads the HTTP headers of a response only when its WARC-Target-URI is http(s),
    and fails on a response that has none, ending the archive there. Read such a record as one
    whose target is not http(s): its headers are not parsed, and it is skipped and counted."""
    loader = records.loader  # type: ignore[attr-defined]
    load = loader.load_http_headers

    def load_http_headers(rec_type: str, uri: str | None, stream: object, length: int) -> object:
        return load(rec_type, uri or "", stream, length)

    loader.load_http_headers = load_http_headers


def _ends_inside(offset: int) -> str:
    return f"it ends inside a record (at offset {offset}: an interrupted download or copy?)"


def _cut_in_first_line(handle: BinaryIO, start: int) -> bool:
    """Whether the archive ends inside the first line ("WARC/1.0") of the record at ``start``,
    which warcio reports as a record of an unknown format. False where that cannot be told: a
    gzipped archive that is one gzip stream, not a member per record, leaves warcio's offset
    negative."""
    head = _head(handle, start)
    if head is None or len(head) == _CHUNK:
        return False
    if head.startswith(_GZIP_MAGIC):
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            text = member.decompress(head, len(head) + 64)
        except zlib.error:
            return False
        if member.eof or member.unconsumed_tail:
            return False
        head = text
    return _FIRST_LINE_CUT.fullmatch(head) is not None


def _head(handle: BinaryIO, start: int, size: int = _CHUNK) -> bytes | None:
    """Up to ``size`` bytes of the archive from ``start``; None where it cannot be read, or
    where ``start`` is negative (warcio's offset inside an archive gzipped as one stream)."""
    if start < 0:
        return None
    try:
        handle.seek(start)
        return handle.read(size)
    except (OSError, ValueError):
        return None


def _unknown_format(handle: BinaryIO, start: int, message: str) -> str:
    """Why the record at ``start`` is of no format warcio knows. warcio quotes its first line,
    which for damaged gzip data or another kind of file is a line of binary: say what it is
    instead."""
    said = message.strip().splitlines()[0] if message.strip() else "unknown format"
    said, quoted, line = said.partition("first line: ")  # (mid-archive: an article's text)
    said += quoted + clipped(line, _QUOTED)
    head = _head(handle, start)
    if head is None:  # (inside an archive gzipped as one stream, warcio's line is all there is)
        return said
    damaged = _damaged_gzip(head, start)
    if damaged is not None:
        return damaged
    first = head.split(b"\n", 1)[0].strip()
    try:
        binary = not first.decode("utf-8").isprintable()  # (a NUL byte is not printable)
    except UnicodeDecodeError:
        binary = True
    if binary:
        return (f"the record at offset {start} does not start with a 'WARC/1.0' line but with "
                "binary data: not a WARC or ARC archive, or a damaged one")
    return said


def _damaged_gzip(head: bytes | None, start: int) -> str | None:
    """Why the archive's bytes from ``start`` (``head``) are damaged gzip data, or None when
    they are not gzip data or their first bytes decompress."""
    if head is None or not head.startswith(_GZIP_MAGIC):
        return None
    try:
        zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error as exc:
        return f"its gzip data is damaged at offset {start} ({exc})"
    return None


def _cut_after(handle: BinaryIO, last: int | None, end: int) -> int | None:
    """Where the archive is cut after its last complete record (the offset of the record or gzip
    member it ends inside), or None when it ends cleanly: the record at ``last`` (ending at
    ``end``; None and 0 when no record was read) is followed by nothing but whitespace, or, in a
    gzipped archive, its gzip member is whole and followed only by whole members that hold
    whitespace. Read in pieces, so memory stays flat. None too where warcio's offsets are
    negative (an archive gzipped as one stream): they say nothing of a cut."""
    if end < 0 or (last is not None and last < 0):
        return None
    gzipped = False
    if last is not None:
        handle.seek(last)
        gzipped = handle.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
    offset = last if gzipped else end  # of the next byte of ``data``
    handle.seek(offset)
    data = b""
    member: zlib._Decompress | None = None
    started = offset  # where the member being read began
    while True:
        if not data:
            data = handle.read(_CHUNK)
            if not data:
                return started if member is not None else None
        if member is None:
            stripped = data.lstrip()
            offset += len(data) - len(stripped)
            if 0 < len(stripped) < len(_GZIP_MAGIC) and (more := handle.read(_CHUNK)):
                data = stripped + more  # the magic number may be split between two reads
                continue
            if not stripped:
                data = b""
                continue
            if not stripped.startswith(_GZIP_MAGIC):
                return offset
            member, started, data = zlib.decompressobj(16 + zlib.MAX_WBITS), offset, stripped
        try:
            out = member.decompress(data, _CHUNK)  # bounded: one member may hold much more
        except zlib.error:
            return started
        if started != last and out.strip():  # the record's own member holds the record
            return started
        rest = member.unconsumed_tail or member.unused_data
        offset += len(data) - len(rest)
        data = rest
        if member.eof:
            member = None


def _whole_but_its_length(handle: BinaryIO, record: object) -> bool:
    """Whether the last record of an uncompressed archive, which the file ends before its
    declared length, looks whole, its Content-Length wrong: the file ends with the blank lines
    that end a record, they follow the end of its HTTP headers (where it has them), and the
    bytes of its block before them match its WARC-Block-Digest (where it declares one that can
    be checked). Else the file was cut inside the record. Read in pieces, so memory stays
    flat."""
    declared = int(record.rec_headers.get_header("Content-Length"))  # type: ignore[attr-defined]
    # (the bytes of its block that warcio read, to the end of the file)
    read = declared - record.raw_stream.limit  # type: ignore[attr-defined]
    size = handle.seek(0, io.SEEK_END)
    end = size - len(_RECORD_END)  # where its block ends, if the file ends with the record
    begins = size - read  # where its block begins
    if end < begins or _head(handle, end, len(_RECORD_END)) != _RECORD_END:
        return False
    if record.http_headers is not None:  # type: ignore[attr-defined]
        head = _head(handle, begins, min(_CHUNK, end - begins))
        if head is None or _BLANK_LINE.search(head) is None:
            return False
    digest = record.rec_headers.get_header("WARC-Block-Digest")  # type: ignore[attr-defined]
    return digest is None or _digest_matches(handle, begins, end, digest) is not False


def _digest_matches(handle: BinaryIO, start: int, end: int, digest: str) -> bool | None:
    """Whether the archive's bytes from ``start`` to ``end`` have the ``digest`` of a WARC
    header ("sha1:" and the digest in base 32, 16 or 64); None when its algorithm is not one
    known here. Read in pieces, so memory stays flat."""
    algorithm, _, value = digest.strip().partition(":")
    algorithm = algorithm.strip().lower().replace("-", "")
    if algorithm not in _DIGESTS:
        return None
    digester = hashlib.new(algorithm)
    handle.seek(start)
    left = end - start
    while left > 0 and (piece := handle.read(min(_CHUNK, left))):
        digester.update(piece)
        left -= len(piece)
    made = digester.digest()
    value = value.strip().rstrip("=")
    return (value.upper() in (base64.b32encode(made).decode().rstrip("="), made.hex().upper())
            or value in (base64.b64encode(made).decode().rstrip("="),
                         base64.urlsafe_b64encode(made).decode().rstrip("=")))


def _cut_short(record: object) -> bool:
    """Whether the archive ended before the record's declared length (warcio stops quietly)."""
    return getattr(record.raw_stream, "limit", 0) > 0  # type: ignore[attr-defined]


def _skip_reason(record: object) -> str | None:
    """Why a record holds no article (its kind, for the count), or None when it holds one."""
    rec_type = record.rec_type  # type: ignore[attr-defined]
    if rec_type != "response":
        return str(rec_type)
    if not record.rec_headers.get_header("WARC-Target-URI"):  # type: ignore[attr-defined]
        return "response without WARC-Target-URI"
    http = record.http_headers  # type: ignore[attr-defined]
    if http is None:
        return "response without HTTP headers"
    status = http.get_statuscode()
    if not (status or "").startswith("2"):
        return f"response HTTP {status}"
    content_type = http.get_header("Content-Type")
    if article_format(content_type) is None:
        media, _ = media_type(content_type)
        return f"response {media or 'without Content-Type'}"
    return None
