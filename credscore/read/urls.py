"""Articles fetched from http and https URLs, with urllib3.

Every fetch is bounded: a time limit for the whole fetch (connecting, redirects and download),
a size limit on the body (the same ``--max-bytes`` as for files, counted after decompression),
at most :data:`MAX_REDIRECTS` redirects, and only http and https, also as redirect targets. Each
failure becomes a :class:`ReadError` naming the URL, so a batch of URLs goes on past a dead link.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from credscore.models import Document, ReadError
from credscore.read.decode import BinaryContent, decode
from credscore.read.files import (
    MAX_DOCUMENT_BYTES,
    jsonl_lines,
    over_limit,
    shown_path,
    size_text,
)
from credscore.read.response import compression_left, response_document
from credscore.version import __version__

if TYPE_CHECKING:  # urllib3 is imported where a page is fetched: most runs read no URL
    import urllib3

FETCH_TIMEOUT = 30.0
MIN_FETCH_TIMEOUT = 0.001
# A day: past about 9e9 s a socket refuses the timeout (OverflowError), and no page needs more.
MAX_FETCH_TIMEOUT = 86400.0
MAX_REDIRECTS = 10
MAX_URL_BYTES = 64 * 1024  # one line of a --urls file: no URL is this long
USER_AGENT = f"credscore/{__version__} (evidence-quality scoring of articles)"
_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_CHUNK = 64 * 1024


class Url(str):
    """A string that is a URL, never a path (a line of a ``--urls`` file)."""

    __slots__ = ()


def is_url(arg: object) -> bool:
    """Whether a command-line input names a URL rather than a file (it has a scheme)."""
    return isinstance(arg, Url) or (isinstance(arg, str) and bool(_SCHEME.match(arg.strip())))


@dataclass(frozen=True, slots=True)
class UrlTask:
    """A URL still to be fetched: fetching happens in the worker that scores the page."""

    url: str
    max_bytes: int = MAX_DOCUMENT_BYTES
    timeout: float = FETCH_TIMEOUT

    @property
    def where(self) -> str:
        return self.url

    def read(self) -> Document | ReadError:
        return fetch(self.url, self.max_bytes, self.timeout)


def url_lines(path: Path) -> Iterator[Url | ReadError]:
    """The URLs listed in a file, one a line; blank lines and ``#`` comments are skipped, and a
    line over :data:`MAX_URL_BYTES` is a read error (it is not held whole). A list in UTF-16 or
    UTF-32 (Notepad's "Unicode", Windows PowerShell's ``>``) is read as a JSONL file in them is.
    Raises OSError when the file cannot be read."""
    with path.open("rb") as handle:
        for lineno, raw in enumerate(jsonl_lines(handle, MAX_URL_BYTES), start=1):
            if len(raw) > MAX_URL_BYTES:
                yield ReadError(path=f"{shown_path(path)}:{lineno}", error="line is over the "
                                f"{size_text(MAX_URL_BYTES, limit=True)} limit for one URL")
                continue
            try:
                line = decode(raw).strip()
            except BinaryContent:
                line = raw.decode("latin-1").strip()
            if line and not line.startswith("#"):
                yield Url(line)


class _FetchError(Exception):
    """Why a fetch gave no page, in words for the error list."""


_POOLS: dict[int, urllib3.PoolManager] = {}


def _pool() -> urllib3.PoolManager:
    # One pool per process: a forked worker must not share the parent's connections.
    import certifi
    import urllib3

    pid = os.getpid()
    if pid not in _POOLS:
        manager = urllib3.PoolManager(
            num_pools=32, retries=False, ca_certs=certifi.where(),
            headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT,
                     "Accept-Encoding": "gzip, deflate"})
        manager.pool_classes_by_scheme = _timely_pools()
        _POOLS[pid] = manager
    return _POOLS[pid]


class _HeadersInTime:
    """A connection whose response's status line and headers must all arrive within its
    timeout (the time left for the fetch). http.client bounds each read only, so a server
    sending a header line now and then could otherwise hold a fetch for as long as it liked."""

    sock: socket.socket | None
    timeout: object

    def getresponse(self) -> Any:
        sock, limit = self.sock, self.timeout
        if sock is None or not isinstance(limit, int | float):
            return super().getresponse()  # type: ignore[misc]
        timer = threading.Timer(limit, _shut, (sock,))
        timer.daemon = True
        timer.start()
        try:
            return super().getresponse()  # type: ignore[misc]
        finally:
            timer.cancel()


def _shut(sock: socket.socket) -> None:
    """End the reads waiting on ``sock`` (socket's own shutdown: a TLS socket's would first
    tear down its TLS state under the reading thread)."""
    with suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _timely_pools() -> dict[str, Any]:
    """urllib3's connection pools, with connections that read headers in time."""
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class Connection(_HeadersInTime, HTTPConnection):
        pass

    class TLSConnection(_HeadersInTime, HTTPSConnection):
        pass

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class TLSPool(HTTPSConnectionPool):
        ConnectionCls = TLSConnection

    return {"http": Pool, "https": TLSPool}


def fetch(url: str, max_bytes: int = MAX_DOCUMENT_BYTES, timeout: float = FETCH_TIMEOUT,
          ) -> Document | ReadError:
    """The page at ``url`` as a document whose id is ``url``; its metadata holds the final URL
    after redirects (``url``) and when it was fetched (``fetched_at``, UTC)."""
    fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        final, content_type, coding, body = _get(url.strip(), max_bytes, timeout)
    except _FetchError as exc:
        return ReadError(path=url, error=str(exc))
    return response_document(url, url, body, content_type, {"url": final, "fetched_at": fetched_at},
                             coding)


def _get(url: str, max_bytes: int, timeout: float) -> tuple[str, str | None, str | None, bytes]:
    """The final URL, the Content-Type, the compressions urllib3 left in place (a server may
    send one it was not asked for: ``br``), and the body."""
    import urllib3

    deadline = time.monotonic() + timeout
    visited = [url]
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        where = "" if current == url else f" (redirected to {current})"
        try:
            scheme = urlsplit(current).scheme.lower()
        except ValueError as exc:  # "http://[::1": an unclosed IPv6 address, a bad port
            raise _FetchError(f"not a valid URL{where}: {exc}") from None
        if scheme not in ("http", "https"):
            raise _FetchError(f"only http and https URLs are fetched{where}")
        response = _request(current, deadline, timeout)
        try:
            if response.status in _REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise _FetchError(f"HTTP {response.status} redirect without a Location")
                try:
                    current = urljoin(current, location.strip())
                except ValueError as exc:
                    raise _FetchError(f"HTTP {response.status} redirect to {location.strip()}, "
                                      f"which is not a valid URL: {exc}") from None
                if current in visited:
                    loop = " -> ".join([*visited[visited.index(current):], current])
                    raise _FetchError(f"redirect loop: {loop}")
                visited.append(current)
                continue
            if not 200 <= response.status < 300:
                raise _FetchError(f"HTTP {response.status} {response.reason or ''}".rstrip())
            body = _read_body(response, max_bytes, deadline, timeout)
            coding = compression_left(response.headers.get("Content-Encoding"),
                                      urllib3.HTTPResponse.CONTENT_DECODERS, lists=True)
            return current, response.headers.get("Content-Type"), coding, body
        finally:
            # An unread body would spoil the connection for the next request: close it instead.
            response.close()
    raise _FetchError(f"more than {MAX_REDIRECTS} redirects (last: {current})")


def _request(url: str, deadline: float, timeout: float) -> urllib3.BaseHTTPResponse:
    import urllib3
    from urllib3.exceptions import (
        HTTPError,
        LocationValueError,
        NameResolutionError,
        NewConnectionError,
        ProtocolError,
        SSLError,
    )
    from urllib3.exceptions import TimeoutError as UrllibTimeout

    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _FetchError(f"timed out after {timeout:g} s")
    try:
        # total: the headers are read within what connecting left of it
        return _pool().request("GET", _ascii_host(url), redirect=False, preload_content=False,
                               timeout=urllib3.Timeout(total=remaining))
    except NameResolutionError:
        raise _FetchError(f"cannot resolve the host {urlsplit(url).hostname!r}") from None
    except NewConnectionError as exc:
        raise _FetchError(f"cannot connect: {_reason(exc)}") from None
    except UrllibTimeout:
        raise _FetchError(f"timed out after {timeout:g} s") from None
    except SSLError as exc:
        raise _FetchError(f"TLS error: {_reason(exc)}") from None
    except (LocationValueError, ValueError) as exc:
        raise _FetchError(f"not a valid URL: {exc}") from None
    except (ProtocolError, HTTPError, OSError) as exc:
        if time.monotonic() >= deadline:  # the headers did not all come in time (_shut)
            raise _FetchError(f"timed out after {timeout:g} s") from None
        raise _FetchError(f"connection failed: {_reason(exc)}") from None


def _ascii_host(url: str) -> str:
    """``url`` with a host name beyond ASCII (münchen.de) in the ASCII form DNS takes
    (xn--mnchen-3ya.de): urllib3 converts it only when the optional idna package is installed.
    Python's own IDNA codec does it; a host name it cannot write is not a valid URL."""
    parts = urlsplit(url)
    host = parts.hostname
    if host is None or host.isascii():
        return url
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"the host name {host!r} cannot be written in ASCII: {exc}") from None
    userinfo = parts.netloc.rpartition("@")[0]
    port = f":{parts.port}" if parts.port is not None else ""
    netloc = f"{userinfo}@{ascii_host}{port}" if userinfo else f"{ascii_host}{port}"
    return parts._replace(netloc=netloc).geturl()


def _read_body(response: urllib3.BaseHTTPResponse, max_bytes: int, deadline: float,
               timeout: float) -> bytes:
    from urllib3.exceptions import DecodeError, HTTPError, ProtocolError
    from urllib3.exceptions import TimeoutError as UrllibTimeout

    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _FetchError(f"page is {size_text(int(declared))}, {over_limit(max_bytes)}")
    parts: list[bytes] = []
    size = 0
    sock = getattr(response.connection, "sock", None)
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _FetchError(f"timed out after {timeout:g} s")
            if sock is not None:  # so that a server trickling bytes cannot outlast the deadline
                sock.settimeout(remaining)
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise _FetchError(f"page is {over_limit(max_bytes)}")
            parts.append(chunk)
    except (UrllibTimeout, TimeoutError):
        raise _FetchError(f"timed out after {timeout:g} s") from None
    except DecodeError as exc:
        encoding = response.headers.get("Content-Encoding", "").strip()
        raise _FetchError(f"cannot decompress the page, sent as {encoding!r}: {_reason(exc)}"
                          ) from None
    except (ProtocolError, HTTPError, OSError) as exc:
        raise _FetchError(f"connection broken while reading: {_reason(exc)}") from None
    return b"".join(parts)


def _reason(exc: BaseException) -> str:
    """The useful end of urllib3's messages ('Connection refused', not the connection's repr),
    in words for the error list: urllib3 wraps what went wrong in a tuple of its own
    ("('Connection aborted.', RemoteDisconnected(...))"), which is unwrapped here."""
    inner = exc
    for _ in range(8):  # urllib3 nests one or two deep
        nested = next((a for a in inner.args if isinstance(a, BaseException)), None)
        if nested is None:
            break
        inner = nested
    if isinstance(inner, http.client.RemoteDisconnected):  # a kind of BadStatusLine too
        return "the server closed the connection without a response"
    if isinstance(inner, http.client.IncompleteRead):
        got = inner.partial if isinstance(inner.partial, int) else len(inner.partial)
        expected = f", {inner.expected:,} more expected" if inner.expected else ""
        return f"the server closed the connection after {got:,} bytes of the page{expected}"
    if isinstance(inner, http.client.BadStatusLine):
        line = str(inner.line).strip()
        shown = line if len(line) <= 40 else f"{line[:40]}..."
        return f"the server's reply is not HTTP (it starts {shown!r})"
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror
    text = str(inner)
    found = re.search(r"\[Errno -?\d+\] ([^)'\"]+)", text)
    return found.group(1).strip() if found else text
