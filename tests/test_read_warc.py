"""Articles read from web archives built by the tests with warcio's writer."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from credscore.cli import app
from credscore.models import Document, ReadError, ReadWarning
from credscore.read import read_paths
from credscore.read.warc import (
    RecordTask,
    SkippedRecords,
    _next_record,
    _warcio_decoded,
    archive_tasks,
)

from .conftest import SEEDS

runner = CliRunner()
# What an archive cut short is said to be: "it ends inside record 5 (at offset 3402): the
# archive looks truncated, as by an interrupted download or copy".
TRUNCATED = re.compile(r"it ends inside (?:the header of )?record (\d+) \(at offset (\d+)\): the "
                       r"archive looks truncated, as by an interrupted download or copy")
ARTICLE = (SEEDS / "002_e783488c8f71499a.txt").read_text(encoding="utf-8")
PAGE = ("<!DOCTYPE html><html><head><title>A trial in mice</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:]) + "</article></body></html>")


def response(writer: WARCWriter, uri: str, body: bytes, content_type: str | None = "text/html",
             status: str = "200 OK", extra: list[tuple[str, str]] | None = None) -> None:
    headers = [("Content-Type", content_type)] if content_type else []
    http = StatusAndHeaders(status, headers + (extra or []), protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                  http_headers=http))


def opened_crawl(out: io.BufferedWriter, name: str, gzipped: bool) -> WARCWriter:
    """A writer whose archive opens as a crawl does: a warcinfo record and a request."""
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record(name, {"software": "test"}))
    request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "example.org")], is_http_request=True)
    writer.write_record(writer.create_warc_record("https://example.org/a", "request",
                                                  http_headers=request))
    return writer


def build_archive(path: Path, gzipped: bool = True) -> None:
    """A crawl as crawlers write it: warcinfo, request/response pairs, metadata, a revisit,
    pages that are articles and captures that are not."""
    with path.open("wb") as out:
        writer = opened_crawl(out, path.name, gzipped)
        response(writer, "https://example.org/a", PAGE.encode("utf-8"),
                 "text/html; charset=utf-8")
        response(writer, "https://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300),
                 "image/png")
        response(writer, "https://example.org/gone", b"<h1>Not found</h1>", status="404 Not Found")
        response(writer, "https://example.org/notes.txt", ARTICLE.encode("cp1252"),
                 "text/plain; charset=windows-1252")
        response(writer, "https://example.org/zipped", gzip.compress(PAGE.encode("utf-8")),
                 extra=[("Content-Encoding", "gzip")])
        writer.write_record(writer.create_warc_record(
            "https://example.org/a", "metadata", payload=io.BytesIO(b"fetchTimeMs: 12"),
            warc_content_type="application/warc-fields"))
        response(writer, "https://example.org/a", PAGE.replace("mice", "rats").encode("utf-8"))
        response(writer, "https://example.org/huge", b"<p>" + b"word " * 3000 + b"</p>")
        writer.write_record(writer.create_warc_record(
            "dns:example.org", "response", payload=io.BytesIO(b"example.org. 300 IN A 93.184.216.34"),
            warc_content_type="text/dns"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warc") / "crawl.warc.gz"
    build_archive(path)
    return path


def test_articles_become_documents_and_the_rest_is_counted(archive: Path) -> None:
    skipped = SkippedRecords()
    results = list(read_paths([archive], max_bytes=12000, skipped=skipped))
    docs = [r for r in results if isinstance(r, Document)]
    errors = [r for r in results if isinstance(r, ReadError)]
    assert [d.id for d in docs][:3] == ["https://example.org/a", "https://example.org/notes.txt",
                                        "https://example.org/zipped"]
    again = docs[3]
    assert again.id.startswith("https://example.org/a <urn:uuid:")
    assert again.metadata["warc_record_id"] == again.id.split(" ", 1)[1]
    assert "rats" in again.content
    assert [d.format for d in docs] == ["html", "text", "html", "html"]
    assert docs[0].metadata["url"] == "https://example.org/a"
    assert docs[0].metadata["fetched_at"].startswith("20")
    assert docs[0].source.startswith(f"{archive.as_posix()}:")
    assert "’" in docs[1].content or "'" in docs[1].content  # cp1252 declared and honoured
    assert docs[2].content == PAGE  # the stored gzip body is decoded
    assert len(errors) == 1 and errors[0].error.startswith("https://example.org/huge: response is")
    assert skipped.as_dict() == {archive.as_posix(): {
        "metadata": 1, "request": 1, "response HTTP 404": 1, "response image/png": 1,
        "response without HTTP headers": 1, "warcinfo": 1}}
    assert skipped.lines() == [f"{archive.as_posix()}: 6 records skipped, not HTML or text "
                               "responses (1 metadata, 1 request, 1 response HTTP 404, 1 response "
                               "image/png, 1 response without HTTP headers, 1 warcinfo)"]


def test_an_uncompressed_archive_reads_the_same(archive: Path, tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    build_archive(plain, gzipped=False)
    ids = [r.id for r in read_paths([plain], max_bytes=12000) if isinstance(r, Document)]
    assert ids[:3] == [r.id for r in read_paths([archive], max_bytes=12000)
                       if isinstance(r, Document)][:3]


def test_a_damaged_archive_keeps_what_was_read(archive: Path, tmp_path: Path) -> None:
    data = archive.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    results = list(read_paths([cut], max_bytes=12000))
    assert [r.id for r in results if isinstance(r, Document)][:2] == [
        "https://example.org/a", "https://example.org/notes.txt"]
    last = results[-1]
    assert isinstance(last, ReadError) and last.path == cut.as_posix()
    assert last.error.startswith("web archive damaged after")
    not_warc = tmp_path / "notes.warc"
    not_warc.write_text("just some text\n")
    (error,) = read_paths([not_warc])
    assert isinstance(error, ReadError) and error.error.startswith("web archive not readable")


@pytest.mark.parametrize("content", [b"\n\n", b"B\n", b"\r:", b"\n"])
def test_an_archive_of_a_byte_or_two_is_an_unreadable_input_not_a_failed_run(
        content: bytes, tmp_path: Path) -> None:
    """Looking for a record in fewer bytes than a record's mark never reads before the start
    of the file (it sought to a negative offset, whose error stopped the batch and was
    reported as the output's)."""
    tiny = tmp_path / "tiny.warc"
    tiny.write_bytes(content)
    (error,) = read_paths([tiny])
    assert isinstance(error, ReadError) and error.error.startswith("web archive not readable")
    (tmp_path / "a.txt").write_text("Coffee and sleep\n\nA trial of 400 adults found that "
                                    "coffee after noon cut sleep by 20 minutes a night.\n")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["score", str(tmp_path / "a.txt"), str(tiny), "-o",
                                      str(out)])
    assert result.exit_code == 1, result.output
    assert f"skipped {tiny.as_posix()}: web archive not readable" in result.output
    assert out.read_text().count("\n") == 2  # the header and the article read


@pytest.mark.parametrize("text", ["hello world this is not a warc\n",
                                  "Walking may help your heart\n\nA trial of 400 adults.\n",
                                  "Walking may help\n\nbody\n"])
def test_a_text_named_as_an_archive_is_told_by_its_first_line(text: str, tmp_path: Path) -> None:
    """warcio reads a first line of four words or more as an old ARC record's header, and said
    such a text was truncated or had no Content-Length."""
    named = tmp_path / "notes.warc"
    named.write_text(text)
    (error,) = read_paths([named])
    assert isinstance(error, ReadError)
    first = text.split("\n", 1)[0]
    assert error.error == ("web archive not readable: the record at offset 0 does not start "
                           f"with a 'WARC/1.0' line; its first line: {first}")


def test_a_disk_that_fails_part_way_through_an_archive_keeps_what_was_read(
        archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error of the disk while an archive is read is that archive's: the articles read
    before it are kept, and the rest of the batch is read."""
    from credscore.read import warc

    records = warc._records
    other = tmp_path / "other.warc.gz"
    build_archive(other)

    def failing(handle: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(handle, "name", "") != str(archive):
            return (yield from records(handle, *args, **kwargs))
        yield next(records(handle, *args, **kwargs))
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(warc, "_records", failing)
    results = list(read_paths([archive, other], max_bytes=12000))
    errors = [r for r in results if isinstance(r, ReadError) and r.path == archive.as_posix()]
    assert [e.error for e in errors] == [
        "web archive damaged after 1 article: cannot read: Input/output error"]
    docs = [r.id for r in results if isinstance(r, Document)]
    assert docs[:3] == ["https://example.org/a", "https://example.org/a",
                        "https://example.org/notes.txt"]


@pytest.mark.parametrize("gzipped", [True, False])
def test_a_response_without_a_target_uri_is_skipped_and_the_rest_read(
        tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("c.warc.gz" if gzipped else "c.warc")
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        for uri in ("https://example.org/1", "", "https://example.org/2"):
            response(writer, uri, PAGE.encode("utf-8"))  # "" writes no WARC-Target-URI
    skipped = SkippedRecords()
    results = list(read_paths([path], skipped=skipped))
    assert [r.id for r in results if isinstance(r, Document)] == ["https://example.org/1",
                                                                 "https://example.org/2"]
    assert not [r for r in results if isinstance(r, ReadError)]
    assert skipped.as_dict() == {path.as_posix(): {"response without WARC-Target-URI": 1}}


def test_a_record_that_is_not_an_article_names_its_uri(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        response(writer, "https://example.org/blank", b"   ")
        response(writer, "https://example.org/nul", b"<p>\x00\x00 binary</p>")
        response(writer, "https://example.org/ok", PAGE.encode("utf-8"))
    results = list(read_paths([path]))
    errors = [r for r in results if isinstance(r, ReadError)]
    assert [e.error.split(": ", 1)[0] for e in errors] == ["https://example.org/blank",
                                                           "https://example.org/nul"]
    assert all(e.path.startswith(f"{path.as_posix()}:") for e in errors)
    assert [r.id for r in results if isinstance(r, Document)] == ["https://example.org/ok"]


def test_cli_scores_an_archive_found_in_a_folder(archive: Path, tmp_path: Path) -> None:
    folder = tmp_path / "crawls"
    folder.mkdir()
    (folder / "crawl.warc.gz").write_bytes(archive.read_bytes())
    (folder / "page.warc.gz.part").write_bytes(b"partial download")  # not an archive name
    result = runner.invoke(app, ["score", str(folder), "--format", "json", "--jobs", "1",
                                 "--max-bytes", "12000"])
    assert result.exit_code == 1  # the oversized response
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]][:1] == ["https://example.org/a"]
    assert len(data["documents"]) == 4
    assert "6 records skipped" in result.stderr


@pytest.mark.parametrize("gzipped", [False, True])
def test_an_archive_cut_inside_a_record_header_is_reported(tmp_path: Path, gzipped: bool) -> None:
    whole = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    build_archive(whole, gzipped=gzipped)
    data = whole.read_bytes()
    cut = tmp_path / ("cut" + "".join(whole.suffixes))
    # Plain: inside the last record's WARC header; gzipped: 100 bytes short, in its last member.
    cut.write_bytes(data[:data.rfind(b"WARC/1.0") + 20] if not gzipped else data[:-100])
    results = list(read_paths([cut], max_bytes=12000))
    last = results[-1]
    assert isinstance(last, ReadError) and last.error.startswith("web archive damaged after")
    assert len(results) > 1  # what was read before the cut is kept


def small_archive(path: Path, gzipped: bool) -> None:
    """A few short records of each kind, so that every cut of the archive can be read."""
    with path.open("wb") as out:
        writer = opened_crawl(out, path.name, gzipped)
        response(writer, "https://example.org/a", b"<p>A trial in mice.</p>")
        response(writer, "https://example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
        writer.write_record(writer.create_warc_record(
            "https://example.org/a", "metadata", payload=io.BytesIO(b"fetchTimeMs: 12"),
            warc_content_type="application/warc-fields"))
        response(writer, "https://example.org/b", b"Plain notes.\n", "text/plain")


def same_small_archive(path: Path) -> None:
    """:func:`small_archive`, uncompressed, with the same bytes on every run (the writer's
    record ids are random and its dates now), so that a test that damages it is the same test
    every time."""
    small_archive(path, gzipped=False)
    made_same(path)


def made_same(path: Path) -> None:
    """An uncompressed archive written by warcio made the same on every run: its record ids
    and dates replaced by fixed ones."""
    uuids = iter(range(10**6))
    path.write_bytes(re.sub(
        rb"urn:uuid:[0-9a-f-]{36}", lambda _: b"urn:uuid:%036d" % next(uuids),
        re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z",
               path.read_bytes())))


def record_spans(path: Path) -> list[tuple[int, int]]:
    """Where each record of a whole archive begins and where its bytes end (before the blank
    lines that follow a record of an uncompressed archive)."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        return [(records.get_record_offset(), records.get_record_offset()
                 + records.get_record_length()) for _ in records]


@pytest.mark.parametrize("gzipped", [True, False])
def test_an_archive_cut_anywhere_is_reported_or_read_whole(tmp_path: Path, gzipped: bool) -> None:
    """Cut at every byte: the archive is reported as ending inside a record, or the cut falls
    between two records (in an uncompressed archive, maybe in the blank lines after one) and
    every record before it is read; what is read before a cut is always kept."""
    whole = tmp_path / ("whole.warc.gz" if gzipped else "whole.warc")
    small_archive(whole, gzipped)
    data = whole.read_bytes()
    spans = record_spans(whole)
    starts = [start for start, _ in spans] + [len(data)]
    assert len(spans) == 6 and spans[-1][1] <= len(data)
    everything = list(archive_tasks(whole))
    assert len(everything) == 2 and not [t for t in everything if isinstance(t, ReadError)]
    cut = tmp_path / whole.name.replace("whole", "cut")
    for size in range(len(data)):
        cut.write_bytes(data[:size])
        skipped = SkippedRecords()
        tasks = list(archive_tasks(cut, skipped=skipped))
        records = len(tasks) + sum(sum(kinds.values()) for kinds in skipped.counts.values())
        complete = sum(end <= size for _, end in spans)
        errors = [t for t in tasks if isinstance(t, ReadError)]
        between = any(end <= size <= following
                      for (_, end), following in zip(spans, starts[1:], strict=True))
        if not errors:
            assert between, f"a cut at byte {size} of {len(data)} is read as a whole archive"
            assert records == complete, size
            continue
        assert errors == tasks[-1:] and errors[0].path == cut.as_posix(), size
        assert errors[0].error.startswith(("web archive not readable: ",
                                           "web archive damaged after ")), size
        if size:  # a record's first line, header or body, or the gzip member that holds it
            assert TRUNCATED.search(errors[0].error), (size, errors[0].error)
        read = [(t.doc_id, t.body) for t in tasks[:-1] if isinstance(t, RecordTask)]
        assert read == [(t.doc_id, t.body) for t in everything[:len(read)]], size
        assert records - 1 >= complete, size  # the error is no record; a cut gzip trailer may be


def test_the_sample_archive_cut_inside_a_header_is_reported(tmp_path: Path) -> None:
    """The cuts that were read as whole archives: in a gzip member that holds only the start of
    a record's header, and, uncompressed, in a header before its Content-Length."""
    sample = Path(__file__).parent.parent / "examples" / "sample.warc.gz"
    data = sample.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    for size, at in ((640, 631), (1000, 631), (6000, 5720), (285, 0)):
        cut.write_bytes(data[:size])
        *_, last = archive_tasks(cut)
        assert isinstance(last, ReadError)
        found = TRUNCATED.search(last.error)
        assert found and found.group(2) == str(at), (size, last.error)
    plain = tmp_path / "cut.warc"
    for size, at in ((700, 359), (1000, 811)):
        plain.write_bytes(gzip.decompress(data)[:size])
        *_, last = archive_tasks(plain)
        assert isinstance(last, ReadError)
        found = TRUNCATED.search(last.error)
        assert found and found.group(2) == str(at), (size, last.error)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(data + gzip.compress(b"") + b"\n")  # an empty gzip member, a blank line
    assert not [t for t in archive_tasks(whole) if isinstance(t, ReadError)]


def test_an_archive_gzipped_as_one_stream_reads_like_one_gzipped_per_record(
        archive: Path, tmp_path: Path) -> None:
    # `gzip crawl.warc` makes one gzip stream, not a member per record: warcio refuses it at its
    # second record, and the archive is read again through a decompressing stream
    plain = tmp_path / "crawl.warc"
    build_archive(plain, gzipped=False)
    stream = tmp_path / "stream.warc.gz"
    stream.write_bytes(gzip.compress(plain.read_bytes()))
    per_record, one_stream = SkippedRecords(), SkippedRecords()
    expected = list(read_paths([archive], max_bytes=12000, skipped=per_record))
    found = list(read_paths([stream], max_bytes=12000, skipped=one_stream))
    def seen(results: list[Document | ReadError]) -> list[tuple[str, str]]:
        # (record ids differ between the two archives: the URI and what was read)
        return [(r.id.split(" ")[0], r.content) if isinstance(r, Document)
                else ("error", r.error) for r in results]

    assert len(found) == 5 and seen(found) == seen(expected)
    assert one_stream.as_dict() == {stream.as_posix(): per_record.as_dict()[archive.as_posix()]}
    # its offsets count bytes of the decompressed archive: those of the uncompressed one
    assert [r.source for r in found if isinstance(r, Document)] == [
        r.source.replace(plain.as_posix(), stream.as_posix())
        for r in read_paths([plain], max_bytes=12000) if isinstance(r, Document)]


def test_an_archive_gzipped_as_one_stream_cut_anywhere_keeps_what_was_read(
        tmp_path: Path) -> None:
    plain = tmp_path / "small.warc"
    small_archive(plain, gzipped=False)
    data = gzip.compress(plain.read_bytes())
    everything = list(archive_tasks(plain))
    assert len(everything) == 2
    cut = tmp_path / "cut.warc.gz"
    read_at: list[int] = []
    for size in range(len(data)):
        cut.write_bytes(data[:size])
        tasks = list(archive_tasks(cut))
        *read, error = tasks
        assert isinstance(error, ReadError) and error.path == cut.as_posix(), size
        assert error.error.startswith(("web archive not readable: ",
                                       "web archive damaged after ")), (size, error.error)
        assert [(t.doc_id, t.body) for t in read if isinstance(t, RecordTask)] == [
            (t.doc_id, t.body) for t in everything[:len(read)]], size
        read_at.append(len(read))
    assert read_at == sorted(read_at) and read_at[-1] == 2  # a later cut never reads less


def test_archives_gzipped_as_one_stream_each_and_joined_are_read_whole(tmp_path: Path) -> None:
    # `cat a.warc.gz b.warc.gz`, each gzipped as one stream: two gzip members, each holding
    # several records, read one after the other.
    plain = tmp_path / "small.warc"
    small_archive(plain, gzipped=False)
    joined = tmp_path / "joined.warc.gz"
    joined.write_bytes(gzip.compress(plain.read_bytes()) * 2)
    tasks = list(archive_tasks(joined))
    assert not [t for t in tasks if isinstance(t, ReadError)]
    ids = [t.doc_id.split(" ")[0] for t in tasks if isinstance(t, RecordTask)]
    assert ids == ["https://example.org/a", "https://example.org/b"] * 2


@pytest.mark.parametrize(("tail", "damage"), [
    (b"\n", None), (b"\r\n\r\n", None), (b"\0" * 8, None),  # passed over, as after members
    (b"<html>", "what follows its gzip stream, at byte {end} of the file, is not gzip data"),
    (b"\x1f\x8bnot gzip", "its gzip data is damaged, found at byte {end} of the file ("),
])
def test_what_follows_an_archive_gzipped_as_one_stream_loses_no_record(
        tmp_path: Path, tail: bytes, damage: str | None) -> None:
    # A decompression error was raised through the buffered read, which lost the bytes it had
    # gathered: a small archive with two blank lines after its gzip stream lost every article
    # ("not readable: a record cannot be read (error: ... incorrect header check)"), a large one
    # its last; one newline after it was "its gzip stream ends early".
    plain = tmp_path / "small.warc"
    small_archive(plain, gzipped=False)
    data = gzip.compress(plain.read_bytes())
    path = tmp_path / "tail.warc.gz"
    path.write_bytes(data + tail)
    tasks = list(archive_tasks(path))
    assert [t.doc_id for t in tasks if isinstance(t, RecordTask)] == [
        "https://example.org/a", "https://example.org/b"]
    errors = [t.error for t in tasks if isinstance(t, ReadError)]
    if damage is None:
        assert errors == []
    else:
        (error,) = errors
        # (where the damage is found: in the bytes that follow the stream, which zlib reads
        # a few at a time)
        found = next(at for at in range(len(data), len(data) + len(tail))
                     if damage.format(end=at) in error)
        assert error.startswith("web archive damaged after 2 articles: "
                                + damage.format(end=found)), error


@pytest.mark.parametrize("gzipped", [True, False])
def test_an_archive_damaged_in_its_first_record_says_so_in_words(tmp_path: Path,
                                                                 gzipped: bool) -> None:
    """An archive whose first bytes are damaged gzip data, or binary that is no record, is
    reported as such, not by quoting a line of binary as warcio does."""
    plain = tmp_path / "crawl.warc"
    same_small_archive(plain)
    data = bytearray(gzip.compress(plain.read_bytes(), mtime=0) if gzipped else plain.read_bytes())
    if gzipped:
        data[10] = 0x07  # the first deflate block after the gzip header: of the reserved type
    else:
        data[0:8] = b"\x00\x9c\xfe\x01PK\x03\x04"
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(bytes(data))
    found = list(read_paths([damaged], max_bytes=12000))
    assert isinstance(found[0], ReadError)
    error = found[0].error
    if gzipped:  # (one gzip stream: nothing after the damage can be read)
        assert len(found) == 1 and error.startswith("web archive not readable: ")
        assert "its gzip data is damaged at offset 0" in error
    else:  # read on from the next record
        assert error.startswith("web archive damaged before its first article: ")
        assert "does not start with a 'WARC/1.0' line but with binary data" in error
        after = record_spans(plain)[1][0]
        assert error.endswith(f"; read on from the next record, at offset {after}")
        assert [d.id for d in found[1:] if isinstance(d, Document)] == [
            "https://example.org/a", "https://example.org/b"]
    assert "first line" not in error and all(c.isprintable() for c in error)


def test_a_file_of_text_that_is_no_archive_is_not_called_binary(tmp_path: Path) -> None:
    """A first line of UTF-8 text that is no record is quoted as warcio quotes it; and a record
    of binary inside an archive gzipped as one stream is not blamed on offset 0."""
    text = tmp_path / "page.warc"
    text.write_text("<html>café naïve</html>\n", encoding="utf-8")
    (found,) = read_paths([text])
    assert isinstance(found, ReadError) and "binary" not in found.error
    assert "<html>café" in found.error
    plain = tmp_path / "crawl.warc"
    small_archive(plain, gzipped=False)
    data = plain.read_bytes()
    second = record_spans(plain)[2][0]  # after the warcinfo record and the first article
    stream = tmp_path / "stream.warc.gz"
    junk = b"\x89PNG\x00\x01\xff binary\r\n\r\n"
    stream.write_bytes(gzip.compress(data[:second] + junk + data[second:]))
    found = list(read_paths([stream], max_bytes=12000))
    errors = [r.error for r in found if isinstance(r, ReadError)]
    # (read on from the record after it, in the gzip stream: no article is lost)
    assert errors == [f"web archive damaged before its first article: the record at offset "
                      f"{second} does not start with a 'WARC/1.0' line but with binary data: not "
                      "a WARC or ARC archive, or a damaged one; read on from the next record, at "
                      f"offset {second + len(junk)}"]
    assert [r.id for r in found if isinstance(r, Document)] == [
        "https://example.org/a", "https://example.org/b"]


@pytest.mark.parametrize("per_record", [False, True])
def test_a_gzipped_archive_damaged_anywhere_keeps_every_article_it_can(
        tmp_path: Path, per_record: bool) -> None:
    """Damage a byte anywhere in the gzip data. Gzipped as one stream, every article whose
    record decompresses whole before the damaged byte is read as it was, and the archive is
    reported damaged: a small archive lost every article (warcio read it as uncompressed, "the
    record at offset 0 does not start with a 'WARC/1.0' line"), a large one those in the 64 kB
    read before the damage. Gzipped per record, as crawlers write, every article of the other
    members is read as it was: the archive is read on after the damaged member (everything
    after it was lost); an article lost or changed is never lost in silence."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    spans = dict(record_spans(plain))  # where each record begins: where it ends
    everything = [t for t in archive_tasks(plain) if isinstance(t, RecordTask)]
    articles = [(t.doc_id, t.body) for t in everything]
    starts = [int(t.where.rsplit(":", 1)[1]) for t in everything]
    whole_archive = plain.read_bytes()
    if per_record:  # a gzip member per record
        data = b"".join(gzip.compress(whole_archive[start:end], mtime=0)
                        for start, end in spans.items())
    else:
        data = gzip.compress(whole_archive, mtime=0)
    members = gzipped_members(data)
    in_member = [members[list(spans).index(start)] if per_record else 0 for start in starts]
    damaged = tmp_path / "damaged.warc.gz"
    for at in range(len(data)):
        member = next(m for m in reversed(members) if m <= at)
        if 4 <= at - member < 10:
            continue  # a gzip header's time, flags for the compressor and system: unchecked
        end = next((m for m in members if m > at), len(data))
        if per_record and at >= end - 8:
            continue  # a member's checksum and length, read only when a reader wants them
        changed = bytearray(data)
        changed[at] ^= 0x5A
        if intact(bytes(changed), whole_archive):
            continue  # (a changed bit that the decompressor never reads, as in a block's padding)
        damaged.write_bytes(bytes(changed))
        tasks = list(archive_tasks(damaged))
        got = [(t.doc_id, t.body) for t in tasks if isinstance(t, RecordTask)]
        errors = [t.error for t in tasks if isinstance(t, ReadError)]
        assert all(e.startswith(("web archive not readable: ", "web archive damaged after ",
                                 "web archive damaged before its first article: "))
                   or re.match(r"record \d+ \(at offset \d+, [^)]*\) is followed by ", e)
                   for e in errors), (at, errors)
        assert errors or got == articles, at  # nothing lost or changed in silence
        if per_record:
            others = [a for a, m in zip(articles, in_member, strict=True) if m != member]
            assert [a for a in got if a in others] == others, (at, errors)
        else:
            assert errors and isinstance(tasks[-1], ReadError), at
            whole = len(decompressed(data[:at]))
            kept = sum(spans[start] <= whole for start in starts)
            assert got[:kept] == articles[:kept], (at, errors)


def intact(data: bytes, archive: bytes) -> bool:
    """Whether gzip data decompresses, every member whole and checked, to ``archive``."""
    import zlib

    try:
        out = b""
        while data:
            member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += member.decompress(data)
            if not member.eof:
                return False
            data = member.unused_data
    except zlib.error:
        return False
    return out == archive


def decompressed(data: bytes) -> bytes:
    """What gzip data decompresses to as far as it goes (every member, the last maybe cut)."""
    import zlib

    out = b""
    while data:
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += member.decompress(data)
        if not member.eof:
            break
        data = member.unused_data
    return out


def gzipped_members(data: bytes) -> list[int]:
    """Where each gzip member of an archive gzipped per record begins."""
    import zlib

    starts, at = [], 0
    while at < len(data):
        starts.append(at)
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        member.decompress(data[at:])
        at = len(data) - len(member.unused_data)
    return starts


@pytest.mark.parametrize("damage", ["first line", "length"])
def test_an_uncompressed_archive_is_read_on_after_a_damaged_record(tmp_path: Path,
                                                                   damage: str) -> None:
    """A record whose first line is damaged, or whose length runs it into the records after
    it, ended the archive there: the articles after it are read now, and the error says where
    reading went on."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    data = plain.read_bytes()
    spans = record_spans(plain)
    png = spans[3][0]  # the image's record, between the two articles
    if damage == "first line":
        data = data[:png] + b"WARX" + data[png + 4:]
    else:
        length = re.compile(rb"Content-Length: (\d+)").search(data, png)
        assert length is not None
        longer = str(int(length.group(1)) + 40).encode()
        data = data[:length.start(1)] + longer + data[length.end(1):]
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(data)
    found = list(archive_tasks(damaged))
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == [
        "https://example.org/a", "https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    assert error.startswith("web archive damaged after 1 article: ")
    # (a record's length too long swallows the start of the metadata record after it: reading
    # goes on from that record, which was lost)
    shift = len(data) - plain.stat().st_size
    assert error.endswith(f"; read on from the next record, at offset {spans[4][0] + shift}")
    if damage == "length":
        assert f"record 4 (at offset {png}) runs into the record after it, at offset " in error


@pytest.mark.parametrize("damage", ["length too short", "uri with spaces", "gzip data"])
def test_warcio_writes_nothing_to_standard_error(tmp_path: Path, damage: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """warcio's own warnings went to standard error past credscore's messages: a record not
    followed by a blank line (with the bytes after it), gzip data that fails to decompress (once
    for each block read), and a target URI with spaces, logged control characters and all (to
    standard error, when nothing else handles the log: under pytest, caplog does)."""
    path = tmp_path / ("damaged.warc.gz" if damage == "gzip data" else "damaged.warc")
    if damage == "length too short":
        same_small_archive(path)
        data = path.read_bytes()
        length = re.compile(rb"Content-Length: (\d+)").search(data, record_spans(path)[3][0])
        assert length is not None
        shorter = str(int(length.group(1)) - 5).encode()
        path.write_bytes(data[:length.start(1)] + shorter + data[length.end(1):])
    else:
        with path.open("wb") as out:
            writer = WARCWriter(out, gzip=damage == "gzip data")
            if damage == "gzip data":  # a member over warcio's first read, damaged after it
                noise = random.Random(0).randbytes(40000)
                response(writer, "https://example.org/noise", noise, "application/octet-stream")
            response(writer, "https://example.org/a b\x1b[31m\x1b]0;title\x07",
                     b"<p>A trial in mice.</p>")
        if damage == "gzip data":
            data = bytearray(path.read_bytes())
            data[30000] ^= 0x5A
            path.write_bytes(bytes(data))
    result = runner.invoke(app, ["score", str(path), "--format", "csv", "--jobs", "1"])
    assert "https://example.org/a" in result.stdout or "web archive" in result.stderr
    for warcio_text in ("WARNING", "Offset:", "Remainder:", "Replacing spaces", "\x1b"):
        assert warcio_text not in result.stderr, result.stderr
    # (warcio's line for gzip data; credscore's own error quotes zlib's words inside it)
    assert not [line for line in result.stderr.splitlines() if line.startswith("Error -3")]
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("warcio")]


def _article_length_too_short(tmp_path: Path) -> tuple[Path, int]:
    """The small archive with its first article's Content-Length 6 bytes short, and the
    article record's offset."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    data = plain.read_bytes()
    article = record_spans(plain)[2][0]
    length = re.compile(rb"Content-Length: (\d+)").search(data, article)
    assert length is not None
    shorter = str(int(length.group(1)) - 6).encode()
    plain.write_bytes(data[:length.start(1)] + shorter + data[length.end(1):])
    return plain, article


def too_short_warning(plain: Path, article: int) -> str:
    """The warning for the article of :func:`_article_length_too_short` (record 3)."""
    length = re.compile(rb"Content-Length: (\d+)").search(plain.read_bytes(), article)
    assert length is not None
    return (f"record 3 (at offset {article}, https://example.org/a) is followed by more bytes, "
            "not by the blank line that ends a record: its Content-Length, "
            f"{int(length.group(1)):,}, is too short, and the article, scored as read, is cut "
            "short")


def test_an_article_whose_length_is_too_short_is_scored_and_reported(tmp_path: Path) -> None:
    """Only warcio's warning on standard error said that the article was cut short."""
    plain, article = _article_length_too_short(tmp_path)
    found = list(archive_tasks(plain))
    assert [(t.doc_id, t.body) for t in found if isinstance(t, RecordTask)] == [
        ("https://example.org/a", b"<p>A trial in mic"), ("https://example.org/b", b"Plain notes.\n")]
    (error,) = [t for t in found if isinstance(t, ReadError)]
    assert error == ReadWarning(path=f"{plain.as_posix()}:{article}",
                                error=too_short_warning(plain, article), kind=TOO_SHORT_KIND)
    assert isinstance(error, ReadWarning)


# What every warning for an article whose Content-Length is too short says, without the
# record's number, offset, URI and length: the reason its repeats are counted under.
TOO_SHORT_KIND = ("a record is followed by more bytes, not by the blank line that ends a record: "
                  "its Content-Length is too short, and the article, scored as read, is cut short")


def test_many_records_with_the_same_damage_are_listed_a_few_times_then_counted(
        tmp_path: Path) -> None:
    """Each warning names its record's offset and URI, so each used to be a reason of its own,
    never counted: an archive of 13 articles with lengths too short printed 13 warnings, and a
    crawl of a million would print a million. The first ten are listed; the rest are counted
    as one reason at the end."""
    parts = small_parts(tmp_path)
    article = with_length(parts[2], str(declared(parts[2]) - 6).encode())
    pages = [article.replace(b"https://example.org/a", f"https://example.org/a{i}".encode())
             for i in range(13)]
    path = tmp_path / "many.warc"
    in_form(path, parts[:2] + pages + parts[3:], FORMS[0])
    found = list(archive_tasks(path))
    warnings = [t for t in found if isinstance(t, ReadWarning)]
    assert len(warnings) == 13 and {w.kind for w in warnings} == {TOO_SHORT_KIND}
    assert len({w.error for w in warnings}) == 13  # (each names its own record)
    result = runner.invoke(app, ["score", str(path), "--format", "csv", "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    stderr = " ".join(result.stderr.split())
    assert stderr.count("is followed by more bytes") == 11, stderr  # ten listed, one counted
    assert stderr.count(f"warning: {path.as_posix()}:") == 10, stderr
    assert f"warning: 3 more inputs, not listed above: {TOO_SHORT_KIND}" in stderr, stderr
    assert "json" not in result.stdout and len(result.stdout.splitlines()) == 15  # header, 14


def test_an_article_scored_with_a_warning_is_not_said_to_be_skipped(tmp_path: Path) -> None:
    """The article whose length looks too short is scored: its line said "skipped", it was
    counted as failed (exit code 1), and `parse` counted it as one that could not be read."""
    plain, article = _article_length_too_short(tmp_path)
    warning = f"warning: {plain.as_posix()}:{article}: {too_short_warning(plain, article)}"
    for fmt in ("table", "json", "csv"):
        result = runner.invoke(app, ["score", str(plain), "--format", fmt, "--jobs", "1"])
        assert result.exit_code == 0, (fmt, result.stderr)
        stderr = " ".join(result.stderr.split())  # (as wrapped to the terminal's width)
        assert warning in stderr and f"skipped {plain.as_posix()}" not in stderr, (fmt, stderr)
        if fmt == "table":
            assert "2 scored, 0 failed" in result.stdout
        if fmt == "json":
            assert json.loads(result.stdout)["errors"] == []
    result = runner.invoke(app, ["parse", str(plain)])
    assert result.exit_code == 0
    stderr = " ".join(result.stderr.split())
    assert "could not be read" not in stderr and warning in stderr, stderr
    assert f"{plain.as_posix()} holds 2 articles; this is the first" in stderr


def regrouped(plain: Path, groups: list[list[int]], damaged: int | None = None,
              blank_lines: bool = True) -> bytes:
    """The records of an uncompressed archive gzipped a member per group of records, the first
    line of record ``damaged`` made no record's, without the blank lines after each record when
    not ``blank_lines``."""
    data = plain.read_bytes()
    spans = record_spans(plain)
    starts = [start for start, _ in spans] + [len(data)]
    parts = [data[start:following if blank_lines else end]
             for (start, end), following in zip(spans, starts[1:], strict=True)]
    if damaged is not None:
        parts[damaged] = b"WARX" + parts[damaged][4:]
    return b"".join(gzip.compress(b"".join(parts[i] for i in group), mtime=0) for group in groups)


@pytest.mark.parametrize("groups", [[[0], [1], [2, 3, 4, 5]], [[0], [1], [2], [3, 4], [5]]])
def test_a_gzip_member_of_several_records_after_a_damaged_record_is_read_whole(
        tmp_path: Path, groups: list[list[int]]) -> None:
    """Read on after the damaged request, warcio refused the member that holds several records
    after its first: the articles in it and after it were lost (or the offset it gave for the
    damage was negative, and reading on from it raised OSError). That member is now read as a
    gzip stream, from where reading went on, and each article is named by the offset of the
    gzip member that holds it."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    path = tmp_path / "grouped.warc.gz"
    data = regrouped(plain, groups, damaged=1)
    path.write_bytes(data)
    members = gzipped_members(data)
    found = list(archive_tasks(path))
    articles = [(t.doc_id, t.where) for t in found if isinstance(t, RecordTask)]
    holding = [members[next(i for i, g in enumerate(groups) if r in g)] for r in (2, 5)]
    assert articles == [("https://example.org/a", f"{path.as_posix()}:{holding[0]}"),
                        ("https://example.org/b", f"{path.as_posix()}:{holding[1]}")]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    assert error.startswith("web archive damaged before its first article: the record at "
                            f"offset {members[1]} ")
    assert error.endswith(f"; read on from the next record, at offset {members[2]}")


def test_a_damaged_member_after_a_member_of_several_records_is_read_on_from(
        tmp_path: Path) -> None:
    """After the damaged request, the member of several records (an image over warcio's first
    read, then an article) is read as a gzip stream: the damaged member after it is found at
    its offset in the file, and reading goes on from the next member."""
    plain = tmp_path / "big.warc"
    with plain.open("wb") as out:
        writer = opened_crawl(out, plain.name, gzipped=False)
        response(writer, "https://example.org/logo.png", random.Random(0).randbytes(40000),
                 "image/png")
        response(writer, "https://example.org/a", b"<p>A trial in mice.</p>")
        writer.write_record(writer.create_warc_record(
            "https://example.org/a", "metadata", payload=io.BytesIO(b"fetchTimeMs: 12"),
            warc_content_type="application/warc-fields"))
        response(writer, "https://example.org/b", b"Plain notes.\n", "text/plain")
    path = tmp_path / "grouped.warc.gz"
    data = bytearray(regrouped(plain, [[0], [1], [2, 3], [4], [5]], damaged=1))
    members = gzipped_members(bytes(data))
    data[members[3] + 20] ^= 0x5A  # the metadata record's member
    path.write_bytes(bytes(data))
    found = list(archive_tasks(path))
    assert [(t.doc_id, t.where) for t in found if isinstance(t, RecordTask)] == [
        ("https://example.org/a", f"{path.as_posix()}:{members[2]}"),
        ("https://example.org/b", f"{path.as_posix()}:{members[4]}")]
    errors = [t.error for t in found if isinstance(t, ReadError)]
    assert len(errors) == 2 and errors[1].startswith("web archive damaged after 1 article: ")
    at = int(re.findall(r"found at byte (\d+) of the file", errors[1])[0])
    assert members[3] <= at < members[4]
    assert errors[1].endswith(f"; read on from the next record, at offset {members[4]}")


def test_a_record_after_another_in_its_gzip_member_is_named_where_it_begins(
        tmp_path: Path) -> None:
    """warcio reads a gzip member of several records followed by other members without refusing
    it, but its offset for the second record was wrong (before the first's): from there the
    archive is read as one gzip stream, as one that warcio refuses, its offsets counting bytes
    of the decompressed archive."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    path = tmp_path / "grouped.warc.gz"
    groups = [[0], [1], [2, 5], [3], [4]]
    path.write_bytes(regrouped(plain, groups))
    data = plain.read_bytes()
    spans = record_spans(plain)
    starts = [start for start, _ in spans] + [len(data)]
    b = sum(starts[i + 1] - starts[i] for i in (0, 1, 2))  # after the records before it
    first = gzipped_members(path.read_bytes())[2]  # read before: its gzip member
    assert [t.where for t in archive_tasks(path) if isinstance(t, RecordTask)] == [
        f"{path.as_posix()}:{first}", f"{path.as_posix()}:{b}"]


def test_records_without_blank_lines_between_them_are_read_to_an_end(tmp_path: Path) -> None:
    """The last member holds two records with no blank line between them: warcio's offset for
    the damage was before the member where reading went on, and reading went on from that
    member again and again, without end."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    path = tmp_path / "joined.warc.gz"
    path.write_bytes(regrouped(plain, [[0], [1], [2], [3], [4, 5]], blank_lines=False))
    found = list(itertools.islice(archive_tasks(path), 10))
    assert len(found) < 10 and isinstance(found[-1], ReadError)
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == ["https://example.org/a"]


def test_gzip_data_damaged_late_in_a_large_member_is_read_on_from(tmp_path: Path) -> None:
    """warcio takes gzip data damaged after its first read (16 kB) of a member for a record cut
    short: the archive was said to end inside that record and every record after it was lost.
    The file goes on after the damaged member: it is read on from the next record."""
    plain = tmp_path / "big.warc"
    rng = random.Random(7)
    words = " ".join(f"{rng.choice(['mice', 'trial', 'dose', 'risk'])}{rng.randrange(10**4)}"
                     for _ in range(12000))
    with plain.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        response(writer, "https://example.org/a", b"<p>A trial in mice.</p>")
        response(writer, "https://example.org/big", f"<p>{words}</p>".encode())
        response(writer, "https://example.org/b", b"Plain notes.\n", "text/plain")
    made_same(plain)
    data = bytearray(regrouped(plain, [[0], [1], [2]]))
    members = gzipped_members(bytes(data))
    assert members[2] - members[1] > 20000 + 1000  # (damaged after warcio's first read, 16 kB)
    data[members[1] + 20000] ^= 0x5A
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(bytes(data))
    found = list(archive_tasks(path))
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == [
        "https://example.org/a", "https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    # (the changed byte still decompresses, to other text: the member's checksum fails)
    assert error.startswith("web archive damaged after 1 article: its gzip data fails its "
                            "integrity check, found at byte ")
    at = int(re.findall(r"found at byte (\d+) of the file", error)[0])
    assert members[1] + 20000 <= at < members[2]
    assert error.endswith(f"; read on from the next record, at offset {members[2]}")


def padded_archive(path: Path, pad: int) -> list[tuple[int, int]]:
    """An article, a record of ``pad`` bytes whose first line is damaged, and an article; the
    records' spans."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        response(writer, "https://example.org/a", b"<p>A trial in mice.</p>")
        response(writer, "https://example.org/pad", b"x" * pad, "image/png")
        response(writer, "https://example.org/b", b"Plain notes.\n", "text/plain")
    made_same(path)
    spans = record_spans(path)
    data = path.read_bytes()
    path.write_bytes(data[:spans[1][0]] + b"WARX" + data[spans[1][0] + 4:])
    return spans


@pytest.mark.parametrize("shift", [-1, 0, 1])
def test_a_record_found_at_the_edge_of_a_piece_read_is_read_on_from(tmp_path: Path,
                                                                    shift: int) -> None:
    """Reading on looks for the next record in pieces of 64 kB: a record whose line "WARC/1.0"
    began 4 bytes before the end of a piece (its newline 5 bytes before it) was cut between two
    pieces and missed, and so were the records after it."""
    path = tmp_path / "padded.warc"
    # the newline before the third record's first line, 5 bytes before the end of the first
    # piece read from the damaged record (give or take ``shift``)
    pad = 1000
    for _ in range(2):  # (the second time, for the longer Content-Length lines)
        spans = padded_archive(path, pad)
        pad += 64 * 1024 - 5 + shift - (spans[2][0] - 1 - spans[1][0])
    spans = padded_archive(path, pad)
    assert spans[2][0] - 1 - spans[1][0] == 64 * 1024 - 5 + shift
    found = list(archive_tasks(path))
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == [
        "https://example.org/a", "https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    assert error.endswith(f"; read on from the next record, at offset {spans[2][0]}")


def test_an_article_whose_length_is_too_long_is_not_scored_with_the_next_record(
        tmp_path: Path) -> None:
    """Its Content-Length too long, an article's record swallows the start of the record after
    it: the article was scored with that record's bytes in its body, and reading went on after
    the record swallowed, which was lost. The article is reported, not read, and reading goes
    on from the record it swallowed."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    data = plain.read_bytes()
    spans = record_spans(plain)
    article = spans[2][0]
    length = re.compile(rb"Content-Length: (\d+)").search(data, article)
    assert length is not None
    longer = str(int(length.group(1)) + 40).encode()
    plain.write_bytes(data[:length.start(1)] + longer + data[length.end(1):])
    shift = len(longer) - len(length.group(1))
    skipped = SkippedRecords()
    found = list(archive_tasks(plain, skipped=skipped))
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == ["https://example.org/b"]
    (error,) = [t for t in found if isinstance(t, ReadError)]
    assert error == ReadError(path=plain.as_posix(), error=(
        f"web archive damaged before its first article: record 3 (at offset {article}) runs "
        f"into the record after it, at offset {spans[3][0] + shift}: its Content-Length, "
        f"{int(longer):,}, is too long; read on from the next record, at offset "
        f"{spans[3][0] + shift}"))
    assert skipped.as_dict()[plain.as_posix()] == {  # the image's record was read
        "metadata": 1, "request": 1, "response image/png": 1, "warcinfo": 1}


def test_reading_on_past_much_that_looks_like_gzip_members_ends(tmp_path: Path) -> None:
    """Every gzip magic number after a damaged record may begin a member: each was looked at by
    reading 64 kB, and 2.1 MB of them took 86 s. Only a record's first bytes are read now."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    data = plain.read_bytes()
    spans = record_spans(plain)
    (png, end), metadata = spans[3], spans[4][0]
    noise = b"\x1f\x8b\x08" * 100_000  # (before the blank lines that end the record)
    plain.write_bytes(data[:png] + b"WARX" + data[png + 4:end] + noise + data[end:])
    found = list(archive_tasks(plain))
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == [
        "https://example.org/a", "https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    assert error.endswith(f"; read on from the next record, at offset {metadata + len(noise)}")
    handle = CountedReads(plain.read_bytes())
    assert _next_record(handle, png) == metadata + len(noise)
    assert handle.taken < 1000 * len(noise)  # (64 kB for each of 100,000 candidates: 6.5 GB)


class CountedReads(io.BytesIO):
    """Bytes read as a file is, counting how many were read."""

    taken = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data


def test_an_error_quotes_at_most_80_characters_of_the_archive(tmp_path: Path) -> None:
    """warcio quotes the whole first line of what is no record: mid-archive, an article's text
    (one error was 20,082 characters long)."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    data = plain.read_bytes()
    png = record_spans(plain)[3][0]
    text = b"<p>" + b"A trial in mice, " * 1200 + b"</p>\r\n"
    plain.write_bytes(data[:png] + text + data[png:])
    found = list(archive_tasks(plain))
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == [
        "https://example.org/a", "https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    quoted = error.split("first line: ", 1)[1].split("; read on from", 1)[0]
    assert quoted == ("<p>" + "A trial in mice, " * 5)[:79] + "…"
    assert len(quoted) == 80 and error.endswith(f"read on from the next record, at offset "
                                                f"{png + len(text)}")


def test_consecutive_damaged_records_are_one_error(tmp_path: Path) -> None:
    """Each damaged record was an error of its own: 220 kB of lines "WARC/1.0" gave 20,000.
    Damaged records with nothing read between them are one error now, naming the first, how
    many follow it and where reading went on."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    data = plain.read_bytes()
    png = record_spans(plain)[3][0]
    lines = b"WARX/1.0\r\n\r\n" + b"WARC/1.0\r\n\r\n" * 2000
    plain.write_bytes(data[:png] + lines + data[png:])
    found = list(archive_tasks(plain))
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == [
        "https://example.org/a", "https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    assert error == (f"web archive damaged after 1 article: the record at offset {png} does not "
                     "start with a 'WARC/1.0' line; its first line: WARX/1.0, then 2,000 more "
                     f"damaged records; read on from the next record, at offset {png + len(lines)}")
    assert isinstance(found[1], ReadError)  # (in its place: before the records after them)


def test_an_archive_read_on_is_not_called_not_readable(tmp_path: Path) -> None:
    """Its first record damaged, the archive is read on from the next, and then ends inside a
    record: that error said the archive was "not readable", though records were read."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    data = plain.read_bytes()
    spans = record_spans(plain)
    plain.write_bytes(b"WARX" + data[4:spans[2][0] + 100])
    errors = [t.error for t in archive_tasks(plain) if isinstance(t, ReadError)]
    assert len(errors) == 2 and errors[0].endswith(
        f"; read on from the next record, at offset {spans[1][0]}")
    # (record 2: the damaged one is the first)
    assert errors[1] == ("web archive damaged before its first article: it ends inside the "
                         f"header of record 3 (at offset {spans[2][0]}): the archive looks "
                         "truncated, as by an interrupted download or copy")


def test_an_article_longer_than_its_gzip_member_is_reported_and_read_on_from(
        tmp_path: Path) -> None:
    """Gzipped per record, an article whose Content-Length is too long ends with its gzip
    member, as if cut short: the archive was said to end inside it ("not readable"), and every
    record after it was lost."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    data = plain.read_bytes()
    starts = [start for start, _ in record_spans(plain)] + [len(data)]
    parts = [data[start:end] for start, end in itertools.pairwise(starts)]
    length = re.compile(rb"Content-Length: (\d+)").search(parts[2])
    assert length is not None
    longer = str(int(length.group(1)) + 40).encode()
    parts[2] = parts[2][:length.start(1)] + longer + parts[2][length.end(1):]
    path = tmp_path / "long.warc.gz"
    path.write_bytes(b"".join(gzip.compress(part, mtime=0) for part in parts))
    members = gzipped_members(path.read_bytes())
    found = list(archive_tasks(path))
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == ["https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    assert error == (f"web archive damaged before its first article: record 3 (at offset "
                     f"{members[2]}) declares more bytes than its gzip member holds, and that "
                     f"member is whole: its Content-Length, {int(longer):,}, is too long; read on "
                     f"from the next record, at offset {members[3]}")


def without_digests(path: Path) -> None:
    """The archive's records without their WARC-Block-Digest and WARC-Payload-Digest."""
    path.write_bytes(re.sub(rb"WARC-(?:Block|Payload)-Digest: [^\r]*\r\n", b"",
                            path.read_bytes()))


@pytest.mark.parametrize("form", ["uncompressed", "uncompressed without digests", "gzipped",
                                  "one gzip stream", "one gzip stream without digests"])
def test_a_last_record_whose_length_is_too_long_is_not_said_to_be_cut(tmp_path: Path,
                                                                      form: str) -> None:
    """The last record's Content-Length too long, the file ends before it, whole: the archive
    was said to end inside it (an interrupted download or copy?), as one cut short is. Its
    length is reported, and it is not scored. Where its bytes match its WARC-Block-Digest, or
    its gzip member is whole, the length is said to be too long; where nothing tells a length
    too long from a cut where a record may end, the error says that it cannot tell."""
    plain = tmp_path / "small.warc"
    same_small_archive(plain)
    if form.endswith("without digests"):
        without_digests(plain)
    data = plain.read_bytes()
    starts = [start for start, _ in record_spans(plain)] + [len(data)]
    parts = [data[start:end] for start, end in itertools.pairwise(starts)]
    length = re.compile(rb"Content-Length: (\d+)").search(parts[-1])
    assert length is not None
    longer = int(length.group(1)) + 40
    parts[-1] = parts[-1][:length.start(1)] + str(longer).encode() + parts[-1][length.end(1):]
    declares = (f"record 6 (at offset {starts[-2]}) declares {longer} bytes, but the archive ends "
                f"after {longer - 40} of them")
    if form == "gzipped":
        path = tmp_path / "long.warc.gz"
        path.write_bytes(b"".join(gzip.compress(part, mtime=0) for part in parts))
        said = (f"record 6 (at offset {gzipped_members(path.read_bytes())[-1]}) declares more "
                "bytes than its gzip member holds, and that member is whole: its Content-Length, "
                f"{longer}, is too long")
    else:
        path = tmp_path / ("long.warc.gz" if "stream" in form else "long.warc")
        path.write_bytes(gzip.compress(b"".join(parts)) if "stream" in form else b"".join(parts))
        said = (f"{declares}, where a record may end: either the archive is truncated or that "
                "Content-Length is too long, and nothing in the archive tells which"
                if form.endswith("without digests") else
                f"{declares}, and those match its WARC-Block-Digest: its Content-Length is too "
                "long")
    found = list(archive_tasks(path))
    assert [t.doc_id for t in found if isinstance(t, RecordTask)] == ["https://example.org/a"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    assert error == f"web archive damaged after 1 article: {said}"


@pytest.mark.parametrize("cut", ["at a blank line of its body", "after its HTTP headers"])
def test_an_archive_cut_where_a_record_might_end_is_said_to_end_inside_it(tmp_path: Path,
                                                                        cut: str) -> None:
    """Cut where the last record's bytes end with a blank line, as a whole record's do, the
    archive still ends inside it: its bytes do not match its WARC-Block-Digest, or, without
    one, the blank line ends its HTTP headers."""
    plain = tmp_path / "cut.warc"
    with plain.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        response(writer, "https://example.org/a", b"<p>A trial in mice.</p>")
        response(writer, "https://example.org/b", b"<p>A trial.</p>\r\n\r\n<p>In mice.</p>")
    made_same(plain)
    if cut == "after its HTTP headers":
        without_digests(plain)
    last = record_spans(plain)[-1][0]
    data = plain.read_bytes()
    block = data.index(b"\r\n\r\n", last) + 4
    end = (data.index(b"</p>\r\n\r\n", block) + 8 if cut == "at a blank line of its body"
           else data.index(b"\r\n\r\n", block) + 4)
    plain.write_bytes(data[:end])
    *_, error = archive_tasks(plain)
    assert isinstance(error, ReadError)
    assert error.error == (f"web archive damaged after 1 article: it ends inside record 2 (at "
                           f"offset {last}): the archive looks truncated, as by an interrupted "
                           "download or copy")


# The three forms of an archive: uncompressed, gzipped a member per record as crawlers write
# them, and gzipped as one stream (`gzip crawl.warc`).
FORMS = ["uncompressed", "gzipped per record", "one gzip stream"]


def small_parts(tmp_path: Path) -> list[bytes]:
    """The records of :func:`same_small_archive`, each with the blank lines after it: a
    warcinfo record, a request, an article (https://example.org/a), an image, a metadata
    record and an article (https://example.org/b)."""
    plain = tmp_path / "parts.warc"
    same_small_archive(plain)
    data = plain.read_bytes()
    starts = [start for start, _ in record_spans(plain)] + [len(data)]
    return [data[start:end] for start, end in itertools.pairwise(starts)]


def in_form(path: Path, parts: list[bytes], form: str) -> list[int]:
    """Write the records as an archive in ``form``; the offset at which errors name each one
    (of its gzip member, gzipped per record; of the decompressed archive, in one stream)."""
    pieces = [gzip.compress(part, mtime=0) for part in parts] if form == FORMS[1] else parts
    data = b"".join(pieces)
    path.write_bytes(gzip.compress(data, mtime=0) if form == FORMS[2] else data)
    return [sum(len(piece) for piece in pieces[:i]) for i in range(len(pieces))]


def with_length(part: bytes, value: bytes | None) -> bytes:
    """A record with its Content-Length's value replaced (None: without the field)."""
    length = re.compile(rb"Content-Length: ([^\r]*)\r\n").search(part)
    assert length is not None
    if value is None:
        return part[:length.start()] + part[length.end():]
    return part[:length.start(1)] + value + part[length.end(1):]


def declared(part: bytes) -> int:
    length = re.compile(rb"Content-Length: (\d+)").search(part)
    assert length is not None
    return int(length.group(1))


def articles_read(found: list[RecordTask | ReadError]) -> list[str]:
    return [t.doc_id for t in found if isinstance(t, RecordTask)]


@pytest.mark.parametrize("form", FORMS)
def test_an_archive_cut_short_says_which_record_it_ends_inside(tmp_path: Path,
                                                               form: str) -> None:
    """Cut inside its last record (record 6), as by a download that stopped: the error names
    that record and its offset, and says that the archive looks truncated; the article before
    it is read."""
    parts = small_parts(tmp_path)
    path = tmp_path / ("cut.warc" if form == FORMS[0] else "cut.warc.gz")
    offsets = in_form(path, parts, form)
    data = path.read_bytes()
    if form == FORMS[2]:  # (as many bytes as decompress to the middle of record 6)
        middle = offsets[5] + len(parts[5]) // 2
        size = next(n for n in range(len(data), 0, -1) if len(decompressed(data[:n])) <= middle)
    else:
        size = (offsets[5] + len(data)) // 2
    path.write_bytes(data[:size])
    found = list(archive_tasks(path))
    assert articles_read(found) == ["https://example.org/a"]
    assert isinstance(found[-1], ReadError) and found[-1].path == path.as_posix()
    said = TRUNCATED.search(found[-1].error)
    assert said and said.groups() == ("6", str(offsets[5])), found[-1].error
    assert found[-1].error.startswith("web archive damaged after 1 article: it ends inside ")
    assert len([t for t in found if isinstance(t, ReadError)]) == 1


@pytest.mark.parametrize("form", FORMS)
def test_a_content_length_too_long_is_said_and_the_records_after_it_read(
        tmp_path: Path, form: str) -> None:
    """The image's record (record 4) declares 40 bytes more than it has: the start of the
    metadata record after it is inside its declared length. The error names it, its offset
    and its Content-Length, and reading goes on from the record after it."""
    parts = small_parts(tmp_path)
    longer = declared(parts[3]) + 40
    parts[3] = with_length(parts[3], str(longer).encode())
    path = tmp_path / ("long.warc" if form == FORMS[0] else "long.warc.gz")
    offsets = in_form(path, parts, form)
    found = list(archive_tasks(path))
    assert articles_read(found) == ["https://example.org/a", "https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    said = (f"runs into the record after it, at offset {offsets[4]}: its Content-Length, "
            f"{longer}, is too long" if form != FORMS[1] else
            "declares more bytes than its gzip member holds, and that member is whole: its "
            f"Content-Length, {longer}, is too long")
    assert error == (f"web archive damaged after 1 article: record 4 (at offset {offsets[3]}) "
                     f"{said}; read on from the next record, at offset {offsets[4]}")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("record", [2, 3])
def test_a_content_length_too_short_is_a_warning_and_nothing_is_lost(
        tmp_path: Path, form: str, record: int) -> None:
    """A record whose Content-Length is too short is followed by bytes that are no blank line
    and no record: the article (record 3, 6 bytes short) is scored cut short, with a warning;
    the image (record 4, 4 bytes short, what follows it beginning with a line end that warcio
    takes for a blank line) was blamed on "a record at offset ..." inside it, an error. Each
    is now a warning that names the record, and every article is read."""
    parts = small_parts(tmp_path)
    shorter = declared(parts[record]) - (6 if record == 2 else 4)
    parts[record] = with_length(parts[record], str(shorter).encode())
    path = tmp_path / ("short.warc" if form == FORMS[0] else "short.warc.gz")
    offsets = in_form(path, parts, form)
    found = list(archive_tasks(path))
    assert articles_read(found) == ["https://example.org/a", "https://example.org/b"]
    assert not [t for t in found if isinstance(t, ReadError) and not isinstance(t, ReadWarning)]
    (warning,) = [t for t in found if isinstance(t, ReadWarning)]
    what = "https://example.org/a" if record == 2 else "response image/png"
    cut = ", and the article, scored as read, is cut short" if record == 2 else ""
    assert warning == ReadWarning(path=f"{path.as_posix()}:{offsets[record]}", error=(
        f"record {record + 1} (at offset {offsets[record]}, {what}) is followed by more bytes, "
        f"not by the blank line that ends a record: its Content-Length, {shorter}, is too "
        f"short{cut}"), kind=("a record is followed by more bytes, not by the blank line that "
                              f"ends a record: its Content-Length is too short{cut}"))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("value", "problem"), [
    (None, "it has no Content-Length"),
    (b"", "its Content-Length is empty"),
    (b"-12", "its Content-Length is negative ('-12')"),
    (b"12a\x1b[31m" + b"x" * 100,
     "its Content-Length is not a number of bytes ('12a\\x1b[31m" + "x" * 31 + "…')"),
    (b"1" + b"0" * 30, "its Content-Length is too large to read ('1" + "0" * 30 + "')"),
])
def test_a_content_length_that_is_no_number_is_said_and_quoted_safely(
        tmp_path: Path, form: str, value: bytes | None, problem: str) -> None:
    """Every such record was "it ends inside a record's header, or a record has no valid
    Content-Length (... an interrupted download or copy?)", or an OverflowError, and in one
    gzip stream every record after it was lost. The error says what the value is, quoted on
    one line, cut to 40 characters, its escape characters shown as escapes."""
    parts = small_parts(tmp_path)
    parts[2] = with_length(parts[2], value)
    path = tmp_path / ("length.warc" if form == FORMS[0] else "length.warc.gz")
    offsets = in_form(path, parts, form)
    found = list(archive_tasks(path))
    assert articles_read(found) == ["https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    assert error == (f"web archive damaged before its first article: record 3 (at offset "
                     f"{offsets[2]}) cannot be read: {problem}; read on from the next record, "
                     f"at offset {offsets[3]}")
    assert error.isprintable()


@pytest.mark.parametrize("form", FORMS)
def test_records_are_counted_past_a_damaged_one(tmp_path: Path, form: str) -> None:
    """A damaged record is counted as one: the archive cut after it names the record it ends
    inside by its place in the archive. (In one gzip stream, the archive was cut before it
    was gzipped, and the error says so: its gzip stream is whole.)"""
    parts = small_parts(tmp_path)
    parts[3] = with_length(parts[3], b"-1")
    path = tmp_path / ("two.warc" if form == FORMS[0] else "two.warc.gz")
    offsets = in_form(path, [*parts[:5], parts[5][:len(parts[5]) // 2]], form)
    errors = [t.error for t in archive_tasks(path) if isinstance(t, ReadError)]
    assert len(errors) == 2
    assert errors[0].startswith(f"web archive damaged after 1 article: record 4 (at offset "
                                f"{offsets[3]}) cannot be read: its Content-Length is negative")
    said = re.search(r"it ends inside (?:the header of )?record (\d+) \(at offset (\d+)\): the "
                     r"archive looks truncated(, as by an interrupted download or copy| before "
                     r"it was compressed \(its gzip stream is whole\))$", errors[1])
    assert said and said.groups()[:2] == ("6", str(offsets[5])), errors[1]
    assert ("before it was compressed" in errors[1]) == (form == FORMS[2])


def test_a_long_record_in_one_gzip_stream_is_read_on_from(tmp_path: Path) -> None:
    """In one gzip stream, an image of 1.5 MB, more than the bytes kept to go back to, whose
    Content-Length is too long: where it began is reached by decompressing again, and the
    records after it are read."""
    parts = small_parts(tmp_path)
    out = io.BytesIO()
    response(WARCWriter(out, gzip=False), "https://example.org/big.png",
             random.Random(1).randbytes(1_500_000), "image/png")
    big = out.getvalue() + b"\r\n\r\n"
    big = with_length(big, str(declared(big) + 100).encode())
    path = tmp_path / "big.warc.gz"
    offsets = in_form(path, [*parts[:3], big, *parts[3:]], FORMS[2])
    found = list(archive_tasks(path))
    assert articles_read(found) == ["https://example.org/a", "https://example.org/b"]
    (error,) = [t.error for t in found if isinstance(t, ReadError)]
    assert error.startswith(f"web archive damaged after 1 article: record 4 (at offset "
                            f"{offsets[3]}) runs into the record after it, at offset "
                            f"{offsets[4]}: ")


def test_a_gzip_stream_is_sought_back_past_the_bytes_it_keeps(tmp_path: Path) -> None:
    from credscore.read.warc import _Replay

    data = random.Random(2).randbytes(3_000_000)
    path = tmp_path / "stream.gz"
    path.write_bytes(gzip.compress(data))
    with path.open("rb") as handle:
        stream = _Replay(handle, 0, members=False)
        assert stream.read(2_000_000) == data[:2_000_000] and stream.tell() == 2_000_000
        for at, size in ((1_500_000, 1000), (10, 100_000), (2_999_000, 5000), (5, 5)):
            assert stream.seek(at) == at and stream.read(size) == data[at:at + size], at
        assert stream.seek(0, io.SEEK_END) == len(data) and stream.read(10) == b""


def test_a_batch_goes_on_past_archives_whose_lengths_are_wrong(tmp_path: Path) -> None:
    """Damaged archives in each form, beside an article: every article readable is scored,
    each archive's error is listed, and the exit code says that some input failed."""
    parts = small_parts(tmp_path)
    paths = []
    for form in FORMS:
        suffix = ".warc" if form == FORMS[0] else ".warc.gz"
        cut = tmp_path / f"cut-{FORMS.index(form)}{suffix}"
        in_form(cut, [*parts[:5], parts[5][:len(parts[5]) // 2]], form)
        negative = tmp_path / f"negative-{FORMS.index(form)}{suffix}"
        in_form(negative, [*parts[:2], with_length(parts[2], b"-5"), *parts[3:]], form)
        paths += [cut, negative]
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["score", str(article), *map(str, paths), "--format", "json",
                                 "--jobs", "1"])
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert len(data["documents"]) == 1 + 2 * len(FORMS)  # (a from each cut, b from each other)
    stderr = " ".join(result.stderr.split())
    for path in paths:
        said = ("the archive looks truncated" if path.name.startswith("cut") else
                "cannot be read: its Content-Length is negative ('-5')")
        assert f"skipped {path.as_posix()}: web archive damaged " in stderr
        assert said in stderr.split(f"skipped {path.as_posix()}: ", 1)[1].split(" skipped ")[0]


@pytest.mark.parametrize(("content", "said"), [
    (b"garbage\n", "web archive not readable: the record at offset 0 does not start with a "
     "'WARC/1.0' line; its first line: garbage"),
    (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Hi</p>",
     "web archive not readable: not a web archive but a saved HTTP response (its first line: "
     "HTTP/1.1 200 OK); save the page itself as .html to score it"),
])
def test_a_file_named_warc_that_is_no_archive_says_what_it_is(tmp_path: Path, content: bytes,
                                                              said: str) -> None:
    # warcio's message quoted the first line as a Python list ("first line: ['garbage']"), and a
    # saved HTTP response was called a damaged archive
    path = tmp_path / "x.warc"
    path.write_bytes(content)
    (found,) = read_paths([path])
    assert isinstance(found, ReadError) and found.error == said


def test_a_record_compressed_as_warcio_does_not_decompress_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "br.warc.gz"
    compressed = bytes(b or 1 for b in random.Random(3).randbytes(2000))
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        response(writer, "https://example.org/br", compressed, extra=[("Content-Encoding", "br")])
        response(writer, "https://example.org/zipped", gzip.compress(PAGE.encode("utf-8")),
                 extra=[("Content-Encoding", "gzip")])
        # warcio before 1.8.2 undoes "gzip" alone, not "x-gzip": its bytes are then still
        # compressed, and credscore says so; later versions undo both, and it is read
        response(writer, "https://example.org/x-gzipped", gzip.compress(PAGE.encode("utf-8")),
                 extra=[("Content-Encoding", "x-gzip")])
        # kept decompressed under its old header: read
        response(writer, "https://example.org/kept", PAGE.encode("cp1252"),
                 "text/html; charset=windows-1252", extra=[("Content-Encoding", "br")])
    results = list(read_paths([path]))
    undone = "x-gzip" in _warcio_decoded()
    errors = [r.error for r in results if isinstance(r, ReadError)]
    assert errors == [
        "https://example.org/br: the body is compressed as 'br', which credscore cannot "
        "decompress",
        *([] if undone else ["https://example.org/x-gzipped: the body is compressed as "
                             "'x-gzip', which credscore cannot decompress"])]
    read = [r for r in results if isinstance(r, Document)]
    assert [r.id for r in read] == ["https://example.org/zipped",
                                    *(["https://example.org/x-gzipped"] if undone else []),
                                    "https://example.org/kept"]
    assert all(r.content == read[0].content for r in read[:-1])  # the page, decompressed
