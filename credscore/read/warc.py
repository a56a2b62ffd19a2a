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
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

from credscore.controls import escaped
from credscore.models import Document, ReadError, ReadWarning
from credscore.oneline import clipped
from credscore.plural import counted
from credscore.read.files import MAX_DOCUMENT_BYTES, cannot_open, over_limit, shown_path
from credscore.read.response import (
    article_format,
    compression_left,
    media_type,
    response_document,
)

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 64 * 1024
# A record's first line, "WARC/1.0", where a record begins.
_WARC_LINE = re.compile(rb"WARC/\d\.\d+\r?\n")
# Where a record may begin after a damaged one: a gzip member (deflate), or a line "WARC/...".
_GZIP_MEMBER = _GZIP_MAGIC + b"\x08"
_RECORD_MARK = re.compile(re.escape(_GZIP_MEMBER) + rb"|\nWARC/")
_LINE_MARK = re.compile(rb"\nWARC/")  # (in decompressed bytes)


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


@cache
def _warcio_decoded() -> frozenset[str]:
    """The Content-Encoding values whose bodies warcio's content stream decompresses (a value
    it does not know, or a list of codings, it passes on as stored). "x-gzip", the old name of
    gzip, is among them where this warcio undoes it (1.8.2 and later), as a record tried once
    shows."""
    from warcio.bufferedreaders import BufferedReader

    known = frozenset(BufferedReader.get_supported_decompressors())
    return known | {"x-gzip"} if "gzip" in known and _undoes_x_gzip() else known


def _undoes_x_gzip() -> bool:
    """Whether warcio decompresses the body of a response whose Content-Encoding is "x-gzip"."""
    import gzip

    from warcio.archiveiterator import ArchiveIterator
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    body = b"<p>x</p>"
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                          ("Content-Encoding", "x-gzip")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://x.invalid/", "response",
                                                  payload=io.BytesIO(gzip.compress(body)),
                                                  http_headers=headers))
    out.seek(0)
    try:
        record = next(iter(ArchiveIterator(out)))
        return bool(record.content_stream().read() == body)
    except Exception:  # any failure: it does not undo it
        return False


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
            out.append(f"{archive}: {counted(total, 'record')} skipped, not HTML or "
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
    compressed: str | None = None  # compressions warcio left in place (``br``)

    def read(self) -> Document | ReadError:
        metadata = dict(self.metadata)
        found = response_document(self.doc_id, self.where, self.body, self.content_type, metadata,
                                  self.compressed)
        if isinstance(found, ReadError) and metadata.get("url"):
            # the offset finds the record; the URI says which page it was (as for one too big)
            return ReadError(path=found.path, error=f"{metadata['url']}: {found.error}",
                             kind=found.kind or found.error)
        return found




def archive_tasks(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES,
                  skipped: SkippedRecords | None = None) -> Iterator[RecordTask | ReadError]:
    """One task per article in the archive, in archive order; a read error for a record over
    ``max_bytes``, and one for the archive when it cannot be read or ends damaged (the
    documents read before the damage are kept).

    A damaged record (one that warcio cannot read, or whose Content-Length is missing, not a
    number or wrong) does not end the archive: it is read on from the next record after it,
    the next gzip member whose data begins a WARC record (or, uncompressed or in one gzip
    stream, the next line that begins one), and the error says where. An archive that ends
    inside a record has no record after it. Errors name a record by its number in the archive
    (the first is record 1) and its offset.

    An archive gzipped as one stream (``gzip crawl.warc``), not a gzip member per record as
    crawlers write them, is refused by warcio at its second record: it is then read again from
    the start through a decompressing stream, past the records already read, and its offsets
    count bytes of the decompressed archive. Such a stream is read on after a damaged record
    too, but not after damaged gzip data. An archive gzipped per record is read the same way
    from its first gzip member that holds several records (warcio refuses one, or gives wrong
    offsets for the records after the first); after damage, from where reading went on, each
    record then named by the offset of the gzip member that holds it."""
    archive = shown_path(path)
    progress = _Progress(archive, max_bytes, skipped if skipped is not None else SkippedRecords())
    start: int | None = 0
    damage: list[str] = []  # why the damaged records since the last one read were (unsaid)
    records = 0

    def state() -> str:
        read = progress.read
        return (f"damaged after {counted(read, 'article')}" if read
                else "damaged before its first article")

    refused = _not_an_archive(path)
    if refused is not None:
        yield ReadError(path=archive, error=f"web archive not readable: {refused}")
        return
    while start is not None:
        records = progress.records()
        with closing(_segment(path, progress, start)) as segment:
            while True:
                try:
                    item = next(segment)
                except StopIteration as stop:
                    ended: tuple[str, int | None] | None = stop.value
                    break
                except OSError as exc:  # the disk failed part way: the articles read are kept
                    if damage:
                        yield _damaged(archive, damage, start)
                    yield ReadError(path=archive,
                                    error=f"web archive {state()}: cannot read: "
                                          f"{exc.strerror or exc}")
                    return
                if isinstance(item, _Damage):  # (in a gzip stream, read on from inside it)
                    if damage and progress.records() > records:
                        yield _damaged(archive, damage, start)
                        damage = []
                    damage.append(f"web archive {state()}: {item.reason}")
                    progress.damaged += 1
                    start, records = item.resume, progress.records()
                    continue
                if damage:  # (a record was read after them: say them first)
                    yield _damaged(archive, damage, start)
                    damage = []
                yield item
        if damage and progress.records() > records:  # (records read, none yielded)
            yield _damaged(archive, damage, start)
            damage = []
        if ended is None:
            break
        reason, resume = ended
        if reason:  # (else its damage was told in a warning: read on without an error)
            unreadable = resume is None and start == 0 and not progress.read
            damage.append(f"web archive {'not readable' if unreadable else state()}: {reason}")
            progress.damaged += 1
        start = resume
    if damage:
        yield _damaged(archive, damage, start)


def _not_an_archive(path: Path) -> str | None:
    """Why a file is no web archive at all, told from its first line of text: a WARC file
    begins with a 'WARC/1.0' line and an ARC file with its 'filedesc://' record, after blank
    lines if any (warcio reads a line of four words or more as an ARC record's header, and
    says a text is truncated or lacks a Content-Length). Told only of a file read whole in one
    piece with no record's mark anywhere in it; None when it may be one (gzip data, a damaged
    first record before others, which are read on from), an empty file, or one that cannot be
    read (reading it says why)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_CHUNK + 1)
    except OSError:
        return None
    text = head.lstrip()
    if (len(head) > _CHUNK or _GZIP_MAGIC in head or b"WARC/" in head
            or text.startswith(b"filedesc://")
            or any(text and mark.startswith(text)
                   for mark in (b"WARC/", b"filedesc://", _GZIP_MAGIC))):
        return None  # (a mark cut short: an archive cut by a copy, which reading says)
    if not text:
        return "the file holds only blank lines, no record" if head else None
    return _first_line_said(text.split(b"\n", 1)[0].strip(), 0)


def _damaged(archive: str, damage: list[str], start: int | None) -> ReadError:
    """The error for consecutive damaged records: the first's, how many followed it, and the
    offset of the next record after them, read on from (None: there is none)."""
    more = len(damage) - 1
    after = f", then {counted(more, 'more damaged record', commas=True)}" if more else ""
    on = "" if start is None else f"; read on from the next record, at offset {start}"
    return ReadError(path=archive, error=f"{damage[0]}{after}{on}")


@dataclass(frozen=True, slots=True)
class _Damage:
    """A damaged record inside an archive read as one gzip stream, and where reading went on
    (the offset of the next record, as the archive's errors name it)."""

    reason: str
    resume: int


def _segment(path: Path, progress: _Progress, start: int,
             ) -> Generator[RecordTask | ReadError | _Damage, None, tuple[str, int | None] | None]:
    """The archive's tasks from the record at offset ``start``; returns None when it ends
    cleanly (or cannot be opened: that error is yielded), else why it ends damaged ("" when a
    warning already said it) and the offset of the next record to read on from (None: there
    is none, or it cannot be told). Read as one gzip stream, a damaged record is read on from
    inside the stream, and said in a :class:`_Damage`."""
    replay: _Replay | None = None
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
            if not one_stream:
                ended = yield from _records(handle, progress, resumed=start > 0)
                stopped = progress.stopped
                if stopped is not None:
                    resume = (progress.resume if progress.resume is not None
                              else _next_record(handle, max(stopped, start)))  # (past it)
                if not isinstance(ended, _ReadAsOneStream):
                    break
                continue
            replay = _Replay(handle, start, members=start > 0)
            place = replay.member_at if start > 0 else None
            while True:
                ended = yield from _records(replay, progress, one_stream=True,
                                            resumed=start > 0, place=place)
                if (not isinstance(ended, str) or progress.stopped is None
                        or replay.gunzip.damage is not None):
                    break
                found = (progress.resume if progress.resume is not None
                         else _next_record(replay, progress.stopped, members=False))
                if found is None:
                    break
                replay.seek(found)
                progress.taken = 0
                if ended:
                    yield _Damage(ended, found if place is None else place(found))
            if replay.gunzip.damaged_at is not None:  # (read on from the next gzip member)
                resume = _next_record(handle, max(replay.gunzip.damaged_at, start))
    reason = ended if isinstance(ended, str) else None  # (the second reading ends either way)
    if replay is not None and replay.gunzip.damage is not None:
        reason = replay.gunzip.damage
    elif replay is not None and replay.gunzip.cut and reason is None:
        reason = ("its gzip stream ends early, between two records: the archive looks "
                  "truncated, as by an interrupted download or copy")
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
    resume: int | None = None  # where the next record begins after it, when known exactly
    damaged: int = 0  # damaged records (each counted as one)
    seen: set[str] = field(default_factory=set)  # target URIs of the articles

    def records(self) -> int:
        """How many records were read whole: articles, and those skipped."""
        return self.read + sum(self.skipped.counts.get(self.archive, Counter()).values())

    def next_number(self) -> int:
        """The number in the archive of the next record (the first is 1): of the records read
        whole and the damaged ones, after them."""
        return self.records() + self.damaged + 1


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


# Decompressed bytes that an archive read as one gzip stream keeps, to go back to (a record
# that turns out to be damaged, where reading goes on from, at most a few records back).
_WINDOW = 1024 * 1024


class _Replay:
    """A gzip stream's decompressed bytes as a file read forward (by warcio) that may also be
    sought back, to look at a damaged record again and read on from the record after it: the
    last bytes read (``_WINDOW``) are kept, and a place before them is reached by
    decompressing again from the start, so memory stays flat. Offsets count decompressed
    bytes from where the stream begins in the file; ``gunzip`` is the stream read."""

    def __init__(self, handle: BinaryIO, start: int, members: bool) -> None:
        self._handle, self._start, self._members = handle, start, members
        self._restart()

    def _restart(self) -> None:
        self._handle.seek(self._start)
        self.gunzip = _Gunzip(self._handle, members=self._members)
        self._source = io.BufferedReader(self.gunzip, _CHUNK)
        self._kept = bytearray()  # the last bytes read from the stream, up to ``_end``
        self._end = 0  # the offset after the last byte read from the stream
        self._at = 0  # the offset of the next byte to give

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes (a chunk when not given: never all that is left)."""
        size = _CHUNK if size is None or size < 0 else size
        out = bytearray()
        while len(out) < size:
            if self._at < self._end:  # (sought back: give what is kept)
                begins = len(self._kept) - (self._end - self._at)
                piece = bytes(self._kept[begins:begins + size - len(out)])
            else:
                piece = self._source.read(size - len(out))
                if not piece:
                    break
                self._kept += piece
                self._end += len(piece)
            out += piece
            self._at += len(piece)
        if len(self._kept) > 2 * _WINDOW:  # (``_at`` is ``_end`` here: nothing kept is due)
            del self._kept[:len(self._kept) - _WINDOW]
        return bytes(out)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Go to ``offset`` (or the end, with ``io.SEEK_END``): back among the bytes kept, or
        forward by reading; before them, by decompressing again from the start."""
        target = math.inf if whence == io.SEEK_END else offset
        if target < self._end - len(self._kept):
            self._restart()
        self._at = min(self._end, target)  # type: ignore[type-var]
        while self._at < target and self.read(int(min(_CHUNK, target - self._at))):
            pass
        return self._at

    def member_at(self, offset: int) -> int:
        return self.gunzip.member_at(offset)


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
    handle's position; returns why it ends damaged (None when it ends cleanly, "" when a
    warning said why, ``_ONE_STREAM`` when it must be read as one: once ``resumed`` after
    damage, only for a gzip member that holds several records), with ``progress.stopped`` set
    where a damaged record began when the archive may be read on (and ``progress.resume``
    where the next record begins, when that is known exactly). ``one_stream``: the handle is
    a :class:`_Replay`, and ``place`` gives a record's offset in the file from its offset in
    the stream read."""
    from warcio.archiveiterator import ArchiveIterator  # here: most runs read no archive
    from warcio.exceptions import ArchiveLoadFailed

    archive, skipped, seen = progress.archive, progress.skipped, progress.seen
    done = progress.taken
    taken = 0
    progress.stopped = progress.resume = None
    may_reread = not one_stream and not resumed  # (as one gzip stream, from the start)
    _quiet_warcio()
    records = ArchiveIterator(handle)
    _tolerate_missing_uri(records)
    record = None
    number = progress.next_number()
    bad_length: str | None = None  # what is wrong with the Content-Length of the last record
    short: tuple[int, int | None] | None = None  # the last record, when bytes that are no
    # record followed it (its Content-Length too short): where it began, and where the next
    # record begins when that is known
    previous: tuple[int, int, int, str, bool] | None = None  # the last record read whole and
    # followed by a blank line as far as warcio could tell: its number, where it began, its
    # Content-Length, its URI or kind, and whether it is an article

    def at(offset: int) -> int:
        return offset if place is None else place(offset)

    def short_before() -> Iterator[ReadWarning]:
        """When warcio cannot read on after the ``previous`` record because bytes that are
        no record follow its declared end (warcio took their first line for a blank one: no
        warning), the warning for it, and ``short`` set to read on after it."""
        nonlocal short
        if short is not None or previous is None:
            return
        number, begins, length, what, article = previous
        after = _what_follows(handle, begins, length, one_stream)
        if after is None or not after[0] or after[0].startswith(_RECORD_END) or _begins(after):
            return  # (a blank line, or the next record right away, follows it: it is whole)
        short = (begins, None)
        yield _followed_by(archive, number, at(begins), what, length, after, article)

    try:
        for record in records:
            taken += 1
            if taken <= done:
                continue
            if records.next_line and records.reader.decompressor and not one_stream:
                return _ONE_STREAM  # (a record after another in its gzip member: warcio's
                                    # offset for it is wrong, and it may refuse the next)
            progress.taken = taken
            number = progress.next_number()
            start = records.offset  # where this record begins (where the last one ended)
            bad_length = _length_problem(record.rec_headers.get_header("Content-Length"))
            if bad_length is not None:
                break
            short = None
            length = int(record.rec_headers.get_header("Content-Length"))
            kind = _skip_reason(record)
            warned = records.err_count
            body = b"" if kind else record.content_stream().read(progress.max_bytes + 1)
            offset = records.get_record_offset()  # reads the record to its end
            if _cut_short(record):
                break  # (at the end of the file, or of its gzip member: see below)
            followed = records.err_count > warned  # (by bytes that are no blank line)
            swallowed = (_swallowed(handle, start, records.offset, members=not one_stream)
                         if followed and records.reader.decompressor is None else None)
            if swallowed is not None:  # (uncompressed: its length too long)
                progress.stopped = start  # (read on from the record it swallowed)
                return (f"record {number} (at offset {at(start)}) runs into the record after "
                        f"it, at offset {at(swallowed)}: its Content-Length, {length:,}, is "
                        "too long")
            after = _what_follows(handle, start, length, one_stream) if followed else None
            if followed:
                short = (start, after[1] if after is not None else None)
            what = kind or record.rec_headers.get_header("WARC-Target-URI") or ""
            warning = None if not followed else _followed_by(
                archive, number, at(offset), what, length, after, kind is None)
            previous = None if followed else (number, start, length, what, kind is None)
            if kind is not None:
                skipped.add(archive, kind)
                if warning is not None:
                    yield warning
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
            offset = at(offset)
            where = f"{archive}:{offset}"
            progress.read += 1
            doc_id = uri if uri not in seen else f"{uri} {record_id}"
            seen.add(uri)
            if len(body) > progress.max_bytes:
                too_big = f"response is {over_limit(progress.max_bytes)}"
                yield ReadError(path=where, error=f"{uri}: {too_big}", kind=too_big)
            else:
                metadata = {"url": uri, "fetched_at": record.rec_headers.get_header("WARC-Date"),
                            "warc_record_id": record_id}
                yield RecordTask(doc_id, where, body,
                                 record.http_headers.get_header("Content-Type"),
                                 tuple((k, v) for k, v in metadata.items() if v),
                                 compression_left(
                                     record.http_headers.get_header("Content-Encoding"),
                                     _warcio_decoded()))
            if warning is not None:  # (warcio's warning, which it writes to stderr)
                yield warning
        if bad_length is not None:
            assert record is not None
            if record.format != "warc":  # (bytes after the last record, read as one)
                yield from short_before()
                if short is not None:
                    return _read_on_after_short(progress, short)
            # (gzip data damaged in warcio's first read is read by it as uncompressed, and its
            # bytes may pass for the first line of an ARC record)
            if may_reread and _damaged_later(handle, first=taken == 1):
                return _ONE_STREAM
            damaged = None if one_stream else _damaged_gzip(_head(handle, start), start)
            if damaged is not None:
                progress.stopped = start
                return damaged
            if (bad_length in (_NO_LENGTH, _EMPTY_LENGTH)
                    and _record_header(handle, start, one_stream) is _CUT):
                # (the archive ends before the blank line that ends the record's header)
                return _truncated(number, at(start), _stream_whole(handle, one_stream),
                                  "the header of ")
            progress.stopped = start
            return f"record {number} (at offset {at(start)}) cannot be read: {bad_length}"
        if record is None or taken <= done or not _cut_short(record):  # (all read whole)
            number = progress.next_number()
            if one_stream:  # (warcio stops quietly inside a header: look at what follows)
                end = records.offset
                rest = _head(handle, end, _PEEK)
                if rest is not None and rest.strip():
                    part = "the header of " if _record_header(handle, end, True) is _CUT else ""
                    return _truncated(number, at(end), _stream_whole(handle, True), part)
                if handle.gunzip.cut:  # type: ignore[attr-defined]
                    after = f"after record {number - 1}" if number > 1 else "before any record"
                    return (f"its gzip stream ends early, {after} (at offset {at(end)}): "
                            f"{_TRUNCATED}")
                return None if record is not None else "it holds no records"
            if record is not None:
                last = records.get_record_offset()
                if min(last, records.offset) < 0 and may_reread:  # one gzip stream (warcio's
                    return _ONE_STREAM                               # offsets say nothing)
            # warcio stops quietly where the archive ends inside a record's header (or inside
            # the gzip member that holds a record): look at what follows the last record
            last = None if record is None else records.get_record_offset()
            cut = _cut_after(handle, last, records.offset)
            if cut is None:
                return None if record is not None else "it holds no records"
            # (in the last record's own gzip member, its trailer, or in the next record)
            return _truncated(number - (cut == last), cut)
        # the last record read ends before its Content-Length says: the file (or its gzip
        # member) ends inside it
        last = records.get_record_offset()
        if one_stream:
            return _ends_early(handle, record, number, at(last), one_stream=True)
        if min(last, records.offset) < 0 and may_reread:  # one gzip stream
            return _ONE_STREAM
        length = int(record.rec_headers.get_header("Content-Length"))
        member = _read_member(handle, last)
        if member is not None and not member.members_read and member.damage is not None:
            # (warcio reads gzip data damaged after its first read of a member as a record cut
            # short: the file goes on after it, and is read on from the next record)
            progress.stopped = member.damaged_at
            return member.damage
        if member is not None and member.members_read:
            # (its member is whole, so not cut short: read on from the next record, if any)
            if _next_record(handle, last) is not None:
                progress.stopped = last
            return (f"record {number} (at offset {last}) declares more bytes than its gzip "
                    f"member holds, and that member is whole: its Content-Length, {length:,}, "
                    "is too long")
        if member is None:
            return _ends_early(handle, record, number, last, one_stream=False)
        return _truncated(number, last)
    except ArchiveLoadFailed as exc:
        if not one_stream and "non-chunked gzip" in exc.msg:
            return _ONE_STREAM  # (a gzip member of several records: from where this began)
        yield from short_before()
        if short is not None:
            return _read_on_after_short(progress, short)
        if may_reread and _damaged_later(handle, first=taken == 0):
            return _ONE_STREAM
        number = progress.next_number()
        if _cut_in_first_line(handle, records.offset):
            return _truncated(number, at(records.offset), _stream_whole(handle, one_stream))
        progress.stopped = records.offset
        return _unknown_format(handle, records.offset, exc.msg, one_stream)
    except Exception as exc:  # warcio raises many kinds on damaged input; keep what was read
        yield from short_before()
        if short is not None:
            return _read_on_after_short(progress, short)
        if may_reread and _damaged_later(handle, first=taken == 0):
            return _ONE_STREAM
        number = progress.next_number()
        progress.stopped = records.offset
        header = _record_header(handle, records.offset, one_stream)
        problem = (_length_problem(_header_field(header, "Content-Length"))
                   if isinstance(header, bytes) else None)
        if problem is not None:  # (a length too large for warcio)
            return f"record {number} (at offset {at(records.offset)}) cannot be read: {problem}"
        return (f"record {number} (at offset {at(records.offset)}) cannot be read "
                f"({type(exc).__name__}: {clipped(str(exc), _QUOTED)})")


def _read_on_after_short(progress: _Progress, short: tuple[int, int | None]) -> str:
    """Read on after a record whose Content-Length is too short, a warning already said: its
    last bytes, past its declared length, are no record."""
    progress.stopped, progress.resume = short
    return ""


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


def _next_record(handle: BinaryIO, after: int, before: float = math.inf,
                 members: bool = True) -> int | None:
    """Where the first record after offset ``after`` (and before ``before``) begins: a gzip
    member whose data begins with a WARC record's first line (unless not ``members``: in
    decompressed bytes), or, uncompressed, a line that is one. None when there is none. Read
    in pieces, so memory stays flat."""
    marks = _RECORD_MARK if members else _LINE_MARK
    handle.seek(after)
    offset, data = after, b""  # ``data`` holds the archive's bytes from ``offset``
    while offset < before and (chunk := handle.read(_CHUNK)):
        data += chunk
        for found in marks.finditer(data, 1):
            gzipped = found.group() == _GZIP_MEMBER
            begins = offset + found.start() + (not gzipped)  # (after the newline)
            if begins >= before:
                return None
            if _begins_record(handle, begins, gzipped):
                return begins
        # (a mark may be cut between two pieces; one that began 6 bytes before the end of this
        # piece, already looked at, is at 0 in the next: passed over. A piece shorter than that
        # is kept whole: the read never goes back before ``after``.)
        keep = min(_MARK_BYTES, len(data))
        offset, data = offset + len(data) - keep, data[-keep:]
        handle.seek(offset + len(data))
    return None


def _swallowed(handle: BinaryIO, start: int, end: int, members: bool) -> int | None:
    """Where a record begins inside the record at ``start``, read by warcio to ``end`` (past
    the line after its declared length), or None; the handle is left where it was."""
    at = handle.tell()
    found = _next_record(handle, start, end, members)
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


_TRUNCATED = "the archive looks truncated, as by an interrupted download or copy"


def _truncated(number: int, offset: int, compressed_whole: bool = False, part: str = "") -> str:
    """That the archive ends inside (``part`` of) record ``number``, at ``offset``: cut short,
    by a download or copy that stopped, or (``compressed_whole``: its gzip stream is whole)
    before it was compressed."""
    looks = (_TRUNCATED if not compressed_whole else "the archive looks truncated before it "
             "was compressed (its gzip stream is whole)")
    return f"it ends inside {part}record {number} (at offset {offset}): {looks}"


def _stream_whole(handle: BinaryIO, one_stream: bool) -> bool:
    """Whether the archive is read as one gzip stream (``handle`` a :class:`_Replay`) that
    is whole: it ends where its gzip data says, undamaged. Read to its end."""
    if not one_stream:
        return False
    handle.seek(0, io.SEEK_END)
    gunzip = handle.gunzip  # type: ignore[attr-defined]
    return not gunzip.cut and gunzip.damage is None


def _ends_early(handle: BinaryIO, record: object, number: int, offset: int,
                one_stream: bool) -> str:
    """Why the last record, ``number`` at ``offset`` (of an uncompressed archive, or one read
    as one gzip stream), ends before its Content-Length says: the archive is cut short inside
    it; or its Content-Length is too long, where the bytes it has match its
    WARC-Block-Digest; or, where they look whole but nothing can tell, either."""
    whole = _stream_whole(handle, one_stream)
    if one_stream and handle.gunzip.cut:  # type: ignore[attr-defined]
        return _truncated(number, offset)
    found = _whole_but_its_length(handle, record)
    if found is None:
        return _truncated(number, offset, compressed_whole=whole)
    how, holds = found
    declared = int(record.rec_headers.get_header("Content-Length"))  # type: ignore[attr-defined]
    said = (f"record {number} (at offset {offset}) declares {declared:,} bytes, but the archive "
            f"ends after {holds:,} of them")
    if how == "digest":
        return (f"{said}, and those match its WARC-Block-Digest: its Content-Length is too "
                "long")
    return (f"{said}, where a record may end: either the archive is truncated or that "
            "Content-Length is too long, and nothing in the archive tells which")


# What is wrong with a record's Content-Length (see _length_problem).
_NO_LENGTH = "it has no Content-Length"
_EMPTY_LENGTH = "its Content-Length is empty"
_QUOTED_LENGTH = 40  # characters of a Content-Length that an error quotes, at most


def _length_problem(value: str | None) -> str | None:
    """What is wrong with a record's Content-Length (its header's value, None when it has
    none), or None when it is a number of bytes, as WARC has it: digits alone."""
    if value is None:
        return _NO_LENGTH
    text = value.strip()
    if not text:
        return _EMPTY_LENGTH
    if text.isascii() and text.isdigit():
        if int(text) <= sys.maxsize:
            return None
        return f"its Content-Length is too large to read ({_quoted(value)})"
    if text.startswith("-") and text[1:].strip().isascii() and text[1:].strip().isdigit():
        return f"its Content-Length is negative ({_quoted(value)})"
    return f"its Content-Length is not a number of bytes ({_quoted(value)})"


def _quoted(value: str) -> str:
    """A value from the archive, quoted in an error: on one line (its whitespace folded), cut
    short, and every control or escape character in it shown as its escape, so that it
    cannot act on a terminal."""
    return f"'{escaped(clipped(value, _QUOTED_LENGTH))}'"


_CUT = b""  # what _record_header gives for a header that the archive ends inside


def _record_header(handle: BinaryIO, start: int, one_stream: bool) -> bytes | None:
    """The header of the record at ``start`` (decompressed, to the blank line that ends it);
    ``_CUT`` when the archive ends before that line, None when it cannot be told (the header
    is over a chunk long, or cannot be read). The handle is left where it was."""
    at = handle.tell()
    try:
        head = _record_head(handle, start, one_stream)
    finally:
        handle.seek(at)
    if head is None:
        return None
    end = _BLANK_LINE.search(head)
    if end is not None:
        return head[:end.end()]
    return _CUT if len(head) < _CHUNK else None


def _record_head(handle: BinaryIO, start: int, one_stream: bool,
                 size: int = _CHUNK) -> bytes | None:
    """Up to ``size`` bytes of the record at ``start``, decompressed where it is a gzip member
    (it and those after it); None where they cannot be read."""
    head = _head(handle, start, size)
    if head is None or one_stream or not head.startswith(_GZIP_MAGIC):
        return head
    handle.seek(start)
    gunzip = _Gunzip(handle)
    out = b""
    while len(out) < size and (piece := gunzip.read(size - len(out))):
        out += piece
    return out


def _header_field(header: bytes, name: str) -> str | None:
    """The value of the field ``name`` in a record's header, as warcio would read it."""
    found = re.search(rb"(?im)^" + re.escape(name.encode()) + rb"[ \t]*:([^\r\n]*)", header)
    return None if found is None else found.group(1).decode("utf-8", "replace").strip()


def _what_follows(handle: BinaryIO, start: int, length: int, one_stream: bool,
                  ) -> tuple[bytes, int | None] | None:
    """The first bytes after the block of the record at ``start`` (decompressed), whose
    Content-Length is ``length``, and the offset where a record begins right there, not
    after the blank line that should end this one (None: none does, or it begins inside a
    gzip member); None when they cannot be read. Read in pieces, so memory stays flat; the
    handle is left where it was."""
    at = handle.tell()
    try:
        gzipped = not one_stream and _head(handle, start, len(_GZIP_MAGIC)) == _GZIP_MAGIC
        handle.seek(start)
        stream: BinaryIO = (io.BufferedReader(_Gunzip(handle), _CHUNK) if gzipped  # type: ignore[assignment]
                            else handle)
        head = stream.read(_CHUNK)
        end = _BLANK_LINE.search(head)
        if end is None:
            return None
        left = end.end() + length - len(head)  # bytes of the block still to read past
        tail = head[end.end() + length:]
        while left > 0 and (piece := stream.read(min(_CHUNK, left))):
            left -= len(piece)
        tail = (tail + stream.read(_PEEK))[:_PEEK]
    finally:
        handle.seek(at)
    blank = len(tail) - len(tail.lstrip(b"\r\n"))
    begins = _WARC_LINE.match(tail, blank) is not None
    exact = start + end.end() + length + blank if begins and not gzipped else None
    return tail, exact


def _begins(after: tuple[bytes, int | None]) -> bool:
    """Whether the bytes after a record's block (from :func:`_what_follows`) begin the next
    record, after no more than a few line ends."""
    tail = after[0]
    return _WARC_LINE.match(tail, len(tail) - len(tail.lstrip(b"\r\n"))) is not None


def _followed_by(archive: str, number: int, offset: int, what: str, length: int,
                 after: tuple[bytes, int | None] | None, article: bool) -> ReadWarning:
    """The warning in ``archive`` for record ``number`` (at ``offset``: an article's URI, or
    ``what`` kind of record it is), followed by bytes that are no blank line (``after``: those
    bytes, and where the next record begins right after them). Its ``kind`` is the same without
    the record's particulars, which the warnings for other records share."""
    path, said = f"{archive}:{offset}", f"record {number} (at offset {offset}, {what})"
    if after is not None and _begins(after):
        wrong = ("is followed by the next record without the blank line that ends a record: "
                 "its Content-Length is right, the blank line missing")
        return ReadWarning(path=path, error=f"{said} {wrong}", kind=f"a record {wrong}")
    cut = ", and the article, scored as read, is cut short" if article else ""
    wrong = ("is followed by more bytes, not by the blank line that ends a record: its "
             "Content-Length{} is too short" + cut)
    return ReadWarning(path=path, error=f"{said} {wrong.format(f', {length:,},')}",
                       kind=f"a record {wrong.format('')}")


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


def _unknown_format(handle: BinaryIO, start: int, message: str, one_stream: bool) -> str:
    """Why the record at ``start`` is of no format warcio knows. warcio quotes its first line,
    which for damaged gzip data or another kind of file is a line of binary: say what it is
    instead."""
    said = message.strip().splitlines()[0] if message.strip() else "unknown format"
    said, quoted, line = said.partition("first line: ")  # (mid-archive: an article's text)
    said += quoted + clipped(line, _QUOTED)
    head = _head(handle, start)
    if head is None:  # (inside an archive gzipped as one stream, warcio's line is all there is)
        return said
    damaged = None if one_stream else _damaged_gzip(head, start)
    if damaged is not None:
        return damaged
    return _first_line_said(head.split(b"\n", 1)[0].strip(), start)


def _first_line_said(first: bytes, start: int) -> str:
    """Why a record whose first line is ``first`` (at offset ``start``) is none."""
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        text = "\x00"
    if not text.isprintable():  # (a NUL byte is not printable)
        return (f"the record at offset {start} does not start with a 'WARC/1.0' line but with "
                "binary data: not a WARC or ARC archive, or a damaged one")
    if start == 0 and text.startswith("HTTP/"):
        return (f"not a web archive but a saved HTTP response (its first line: "
                f"{clipped(text, _QUOTED)}); save the page itself as .html to score it")
    # (warcio's message quotes the line as a Python list at the start of a file)
    return (f"the record at offset {start} does not start with a 'WARC/1.0' line; its first "
            f"line: {clipped(text, _QUOTED)}")


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


def _whole_but_its_length(handle: BinaryIO, record: object) -> tuple[str, int] | None:
    """Whether the last record of an uncompressed archive (or one read as one gzip stream),
    which the archive ends before its declared length, looks whole, its Content-Length wrong:
    the archive ends with the blank lines that end a record, and they follow the end of its
    HTTP headers (where it has them). Then ("digest", bytes of its block) when the bytes of its
    block before them match its WARC-Block-Digest, or ("shape", bytes) when it has none that
    can be checked: it may be whole, or cut where a record may end. Else None: the archive was
    cut inside the record. Read in pieces, so memory stays flat."""
    declared = int(record.rec_headers.get_header("Content-Length"))  # type: ignore[attr-defined]
    # (the bytes of its block that warcio read, to the end of the file)
    read = declared - record.raw_stream.limit  # type: ignore[attr-defined]
    size = handle.seek(0, io.SEEK_END)
    end = size - len(_RECORD_END)  # where its block ends, if the file ends with the record
    begins = size - read  # where its block begins
    if end < begins or _head(handle, end, len(_RECORD_END)) != _RECORD_END:
        return None
    if record.http_headers is not None:  # type: ignore[attr-defined]
        head = _head(handle, begins, min(_CHUNK, end - begins))
        if head is None or _BLANK_LINE.search(head) is None:
            return None
    digest = record.rec_headers.get_header("WARC-Block-Digest")  # type: ignore[attr-defined]
    matches = None if digest is None else _digest_matches(handle, begins, end, digest)
    if matches is False:
        return None
    return ("shape" if matches is None else "digest"), end - begins


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
