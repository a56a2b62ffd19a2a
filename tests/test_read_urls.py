"""Articles fetched from URLs, against an HTTP server on 127.0.0.1 that the tests start."""

from __future__ import annotations

import gzip
import json
import random
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from credscore.cli import app
from credscore.models import Document, ReadError
from credscore.read import read_paths
from credscore.read.urls import USER_AGENT, fetch, url_lines

from .conftest import SEEDS

runner = CliRunner()
ARTICLE = (SEEDS / "001_c0d4a17b255ad03a.txt").read_text(encoding="utf-8")
PAGE = ("<!DOCTYPE html><html><head><title>Coffee and the heart</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:]) + "</article></body></html>")
RELEASE = threading.Event()  # lets the slow route finish when the server stops
SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def send(self, status: int, body: bytes, content_type: str | None = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None, length: bool = True) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/article.html":
            self.send(200, PAGE.encode("utf-8"))
        elif path == "/plain.txt":
            self.send(200, ARTICLE.encode("utf-8"), "text/plain")
        elif path == "/latin1.html":
            self.send(200, "<html><body><p>Café study: coffee may protect mice, researchers say.</p>"
                      "</body></html>".encode("latin-1"), "text/html; charset=iso-8859-1")
        elif path == "/gzip.html":
            self.send(200, gzip.compress(PAGE.encode("utf-8")), headers={"Content-Encoding": "gzip"})
        elif path == "/moved":
            self.send(301, b"", headers={"Location": "/article.html"})
        elif path == "/loop-a":
            self.send(302, b"", headers={"Location": "/loop-b"})
        elif path == "/loop-b":
            self.send(302, b"", headers={"Location": "/loop-a"})
        elif path == "/to-ftp":
            self.send(302, b"", headers={"Location": "ftp://127.0.0.1/file.txt"})
        elif path == "/to-bad-url":
            self.send(302, b"", headers={"Location": "http://[::1"})
        elif path == "/slow":
            RELEASE.wait(10)
            self.send(200, PAGE.encode("utf-8"))
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"Mice ")
            for _ in range(100):  # a byte now and then for 5 s, longer than a fetch here waits
                if RELEASE.wait(0.05):
                    break
                self.wfile.write(b".")
                self.wfile.flush()
        elif path == "/trickled-headers":
            # A header line every 0.05 s for 4.5 s: each comes long before a read could time out.
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(90):  # http.client reads at most 100 header lines
                if RELEASE.wait(0.05):
                    return
                self.wfile.write(b"X-Padding: a\r\n")
                self.wfile.flush()
            self.wfile.write(b"Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nMice.")
        elif path == "/big-declared":
            self.send(200, b"<p>" + b"a" * 5000 + b"</p>")
        elif path == "/big-streamed":
            # No Content-Length: the size is only known by reading.
            self.send(200, b"<p>" + b"word " * 2000 + b"</p>", length=False)
        elif path == "/image.png":
            self.send(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image/png")
        elif path == "/binary.html":
            self.send(200, b"\x00\x01\x02" * 300, "text/html")
        elif path == "/brotli.html":  # (random bytes stand in for a brotli stream)
            self.send(200, bytes(b or 1 for b in random.Random(1).randbytes(3000)),
                      headers={"Content-Encoding": "br"})
        elif path == "/gzip-then-br.html":
            self.send(200, bytes(b or 1 for b in random.Random(2).randbytes(3000)),
                      headers={"Content-Encoding": "gzip, br"})
        elif path == "/br-but-plain.html":  # a header that says br over a body that is not
            self.send(200, PAGE.encode("utf-8"), headers={"Content-Encoding": "br"})
        elif path == "/br-but-cp1252.html":
            self.send(200, PAGE.replace("coffee", "café coffee").encode("cp1252"),
                      "text/html; charset=windows-1252", headers={"Content-Encoding": "br"})
        elif path == "/coding-none.html":  # a name some servers send that compresses nothing
            self.send(200, PAGE.replace("coffee", "café coffee").encode("cp1252"),
                      "text/html; charset=windows-1252", headers={"Content-Encoding": "none"})
        elif path == "/deflate-gzip.html":  # two codings, both undone (deflate first)
            # mostly Cyrillic, so that only its having been decompressed makes it text
            page = ("<html><body><p>coffee: " + "Исследование кофе и здоровья сердца. " * 40
                    + "</p></body></html>").encode("cp1251")
            self.send(200, gzip.compress(zlib.compress(page)), "text/html; charset=windows-1251",
                      headers={"Content-Encoding": "deflate, gzip"})
        elif path == "/identity-br.html":
            self.send(200, bytes(b or 1 for b in random.Random(5).randbytes(3000)),
                      headers={"Content-Encoding": "identity, br"})
        elif path == "/image-br.png":
            self.send(200, bytes(b or 1 for b in random.Random(4).randbytes(3000)), "image/png",
                      headers={"Content-Encoding": "br"})
        elif path == "/bad-gzip.html":
            self.send(200, b"<p>not gzip at all</p>", headers={"Content-Encoding": "gzip"})
        elif path == "/cut-short.html":
            self.send(200, PAGE.encode("utf-8")[:300], headers={"Content-Length": "1000"},
                      length=False)
            self.close_connection = True
        elif path == "/no-response":
            self.close_connection = True
        elif path == "/not-http":
            self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n")
            self.close_connection = True
        else:
            self.send(404, b"<h1>Not found</h1>")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    RELEASE.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    RELEASE.set()
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_page_becomes_a_document_with_the_url_as_id(server: str) -> None:
    doc = fetch(f"{server}/article.html")
    assert doc.id == f"{server}/article.html"
    assert doc.format == "html"
    assert "coffee" in doc.content.lower()
    assert doc.metadata["url"] == f"{server}/article.html"
    assert doc.metadata["fetched_at"].endswith("Z")
    assert SEEN_AGENTS[-1] == USER_AGENT


def test_redirects_are_followed_and_the_final_url_kept(server: str) -> None:
    doc = fetch(f"{server}/moved")
    assert doc.id == f"{server}/moved"
    assert doc.metadata["url"] == f"{server}/article.html"


def test_encodings_declared_by_the_server_and_compressed_bodies(server: str) -> None:
    assert "Café" in fetch(f"{server}/latin1.html").content
    assert fetch(f"{server}/gzip.html").content == PAGE
    assert fetch(f"{server}/plain.txt").format == "text"


@pytest.mark.parametrize(("route", "expected"), [
    ("/missing", "HTTP 404 Not Found"),
    ("/loop-a", "redirect loop"),
    ("/to-ftp", "only http and https URLs are fetched (redirected to ftp://"),
    ("/to-bad-url", "HTTP 302 redirect to http://[::1, which is not a valid URL: Invalid IPv6"),
    ("/big-declared", "page is 5,007 bytes, over the 4,000 bytes limit for one article"),
    ("/big-streamed", "page is over the 4,000 bytes limit for one article (raise it with"),
    ("/image.png", "not HTML or text: the server sent image/png"),
    ("/binary.html", "binary content"),
    # a compression credscore does not undo is no text, whatever the bytes decode to
    ("/brotli.html", "the body is compressed as 'br', which credscore cannot decompress"),
    ("/image-br.png", "not HTML or text: the server sent image/png"),
    ("/identity-br.html", "the body is compressed as 'br', which credscore cannot decompress"),
    ("/gzip-then-br.html", "cannot decompress the page, sent as 'gzip, br'"),
])
def test_failures_say_why(server: str, route: str, expected: str) -> None:
    result = fetch(f"{server}{route}", max_bytes=4000)
    assert result.path == f"{server}{route}"  # type: ignore[union-attr]
    assert expected in result.error  # type: ignore[union-attr]


@pytest.mark.parametrize(("route", "expected"), [
    ("/bad-gzip.html", "cannot decompress the page, sent as 'gzip': Error -3 while decompressing "
     "data: incorrect header check"),
    ("/cut-short.html", "connection broken while reading: the server closed the connection after "
     "300 bytes of the page, 700 more expected"),
    ("/no-response", "connection failed: the server closed the connection without a response"),
    ("/not-http", "connection failed: the server's reply is not HTTP (it starts "
     "'SSH-2.0-OpenSSH_9.6')"),
])
def test_a_broken_reply_is_said_in_words_not_as_exception_reprs(server: str, route: str,
                                                                 expected: str) -> None:
    result = fetch(f"{server}{route}")
    assert isinstance(result, ReadError)
    assert result.error == expected


def test_a_slow_server_times_out(server: str) -> None:
    result = fetch(f"{server}/slow", timeout=0.3)
    assert result.error == "timed out after 0.3 s"  # type: ignore[union-attr]


class SteppingClock:
    """A monotonic clock that moves on one second each time it is read, however fast or slow
    the machine is: a fetch's deadline then comes after a set number of steps."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


def test_a_trickling_server_cannot_outlast_the_timeout(server: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Each byte comes long before any one read could time out: only the deadline of the whole
    # fetch, looked at before each read, ends it (after three reads by this clock), well before
    # the server's 5 s of bytes end.
    from credscore.read import urls

    monkeypatch.setattr(urls, "time", SimpleNamespace(monotonic=SteppingClock().monotonic))
    result = fetch(f"{server}/trickle", timeout=5)
    assert isinstance(result, ReadError)
    assert result.error == "timed out after 5 s"


def test_a_server_trickling_its_headers_cannot_outlast_the_timeout(server: str) -> None:
    # Each header line comes long before any one read could time out; the whole fetch must
    # still end at its deadline, not when the server is done sending headers (4.5 s).
    started = time.monotonic()
    result = fetch(f"{server}/trickled-headers", timeout=0.5)
    assert isinstance(result, ReadError)
    assert result.error == "timed out after 0.5 s"
    assert time.monotonic() - started < 3


def test_a_host_name_beyond_ascii_is_fetched(server: str) -> None:
    # An internationalised domain name (münchen.de) was "not a valid URL" unless the optional
    # idna package happened to be installed. Full-width "localhost" is one that needs no network.
    port = server.rsplit(":", 1)[1]
    url = f"http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54:{port}/plain.txt"
    doc = fetch(url)
    assert not isinstance(doc, ReadError), doc.error
    assert doc.id == url
    assert doc.format == "text"
    failed = fetch("http://" + "\u00e9" * 70 + ".org/")  # a label over IDNA's 63 characters
    assert failed.error.startswith("not a valid URL")  # type: ignore[union-attr]


def test_refused_connection_and_other_schemes() -> None:
    refused = fetch(f"http://127.0.0.1:{closed_port()}/a.html")
    assert refused.error.startswith("cannot connect")  # type: ignore[union-attr]
    assert "refused" in refused.error.lower()  # type: ignore[union-attr]
    assert "only http and https" in fetch("ftp://127.0.0.1/a.txt").error  # type: ignore[union-attr]
    assert fetch("http://[::1").error == "not a valid URL: Invalid IPv6 URL"  # type: ignore[union-attr]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_url_list_in_utf16_or_utf32_is_read_as_its_utf8_twin(tmp_path: Path,
                                                              encoding: str) -> None:
    # Notepad's "Unicode" and Windows PowerShell's "> urls.txt" write UTF-16: cut at the byte
    # 0A, every line of it was NUL bytes around the URL.
    listed = tmp_path / "urls.txt"
    listed.write_bytes("# reading list\r\nhttp://example.org/caf\u00e9\r\n\r\n"
                       "https://example.org/b\r\n".encode(encoding))
    assert list(url_lines(listed)) == ["http://example.org/caf\u00e9", "https://example.org/b"]


def test_cli_scores_urls_and_lists_each_failure(server: str, tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# reading list\n{server}/plain.txt\n\n{server}/missing\nexample.org/page\n")
    assert list(url_lines(listed)) == [f"{server}/plain.txt", f"{server}/missing", "example.org/page"]
    result = runner.invoke(app, ["score", f"{server}/article.html", f"{server}/slow",
                                 str(SEEDS / "000_e86d7793d9eecfab.txt"), "--urls", str(listed),
                                 "--format", "json", "--jobs", "1", "--timeout", "0.3"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert sorted(d["id"] for d in data["documents"]) == sorted(
        ["000_e86d7793d9eecfab.txt", f"{server}/article.html", f"{server}/plain.txt"])
    errors = {e["path"]: e["error"] for e in data["errors"]}
    assert errors == {
        f"{server}/slow": "timed out after 0.3 s",
        f"{server}/missing": "HTTP 404 Not Found",
        "example.org/page": "only http and https URLs are fetched",
    }


def test_cli_jsonl_keeps_input_order_with_urls_in_workers(server: str, tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text("".join(f"{server}/{name}\n" for name in
                              ["plain.txt", "article.html", "gzip.html"] * 12))
    result = runner.invoke(app, ["score", "--urls", str(listed), "--format", "jsonl", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == [line for line in listed.read_text().splitlines()]


def test_parse_explain_and_report_take_a_url(server: str, tmp_path: Path) -> None:
    parsed = runner.invoke(app, ["parse", f"{server}/moved", "--format", "json"])
    assert parsed.exit_code == 0, parsed.output
    data = json.loads(parsed.stdout)
    assert data["id"] == f"{server}/moved"
    assert data["metadata"]["url"] == f"{server}/article.html"
    assert "fetched_at" in data["metadata"]
    explained = runner.invoke(app, ["explain", f"{server}/article.html"])
    assert explained.exit_code == 0, explained.output
    assert "Coffee and the heart" in explained.stdout
    out = tmp_path / "report.html"
    reported = runner.invoke(app, ["report", f"{server}/article.html", f"{server}/missing",
                                   "-o", str(out), "--jobs", "1"])
    assert reported.exit_code == 1
    html = out.read_text(encoding="utf-8")
    assert f"{server}/article.html" in html and "HTTP 404 Not Found" in html
    failed = runner.invoke(app, ["explain", f"{server}/missing"])
    assert failed.exit_code == 1
    assert "HTTP 404" in failed.output


def test_read_paths_reads_urls_beside_files(server: str) -> None:
    results = list(read_paths([f"{server}/plain.txt", SEEDS / "000_e86d7793d9eecfab.txt"]))
    assert [r.id for r in results] == [f"{server}/plain.txt", "000_e86d7793d9eecfab.txt"]  # type: ignore[union-attr]


@pytest.mark.parametrize("command", ["score", "parse", "explain"])
@pytest.mark.parametrize("timeout", ["inf", "1e308"])
def test_a_timeout_no_socket_takes_is_a_usage_error(server: str, command: str, timeout: str) -> None:
    # It reached the socket, which raised OverflowError: a traceback from parse and explain, and
    # "could not score: OverflowError" for every URL from score.
    result = runner.invoke(app, [command, f"{server}/plain.txt", "--timeout", timeout])
    assert result.exit_code == 2
    assert "--timeout" in result.output and "86400" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("route", ["/br-but-plain.html", "/br-but-cp1252.html",
                                   "/coding-none.html", "/deflate-gzip.html"])
def test_a_body_that_is_text_whatever_its_content_encoding_says_is_read(server: str,
                                                                        route: str) -> None:
    doc = fetch(f"{server}{route}")
    assert isinstance(doc, Document) and "coffee" in doc.content.lower()
