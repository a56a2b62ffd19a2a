"""An HTTP response body as a document: which content types are articles and how their bytes
become text. Pages fetched from a URL and responses kept in a web archive both come through here."""

from __future__ import annotations

from collections.abc import Collection

from credscore.models import Document, InputFormat, ReadError
from credscore.read.decode import BinaryContent, decode_declared, meta_charset
from credscore.read.files import sniff_format

ARTICLE_TYPES: dict[str, InputFormat] = {
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "text",
    "text/markdown": "markdown", "text/x-markdown": "markdown",
}


def media_type(content_type: str | None) -> tuple[str | None, str | None]:
    """The media type and charset of a Content-Type header: ``('text/html', 'utf-8')`` for
    ``text/html; charset=UTF-8``; ``(None, None)`` when there is none."""
    if not content_type or not content_type.strip():
        return None, None
    media, *params = content_type.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower() or None, charset


def article_format(content_type: str | None) -> InputFormat | None:
    """The format an article of this Content-Type is parsed as; None for anything else."""
    media, _ = media_type(content_type)
    return ARTICLE_TYPES.get(media) if media else None


# Content codings that compress: a body still in one of them is no text. Other names that
# servers send ("none", "binary", "utf-8") compress nothing, and are read as no coding at all.
COMPRESSIONS = frozenset({"gzip", "x-gzip", "deflate", "br", "zstd", "compress", "x-compress"})
# The share of a body's first bytes that must be printable ASCII or whitespace for it to read
# as text in a Western 8-bit encoding: a page in cp1252 has nearly all its bytes there,
# compressed bytes about 38% (95 of 256 values). (A page in another script's 8-bit encoding,
# such as cp1251, reads as compressed bytes would.)
_TEXT_SHARE = 0.85
_SAMPLE = 4096
_TEXT_BYTES = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}


def compression_left(content_encoding: str | None, decoded: Collection[str],
                     lists: bool = False) -> str | None:
    """The compressions a response's Content-Encoding names (lower-case), when the reader of its
    body left them in place: ``decoded`` is the values it undoes as a whole (warcio undoes no
    other); with ``lists``, a list of codings of which it knows one is undone whole, or refused
    (urllib3). None when it undid them, or when the header names no compression."""
    value = (content_encoding or "").lower()
    codings = [c.strip() for c in value.split(",")]
    if value in decoded or (lists and "," in value and any(c in decoded for c in codings)):
        return None
    left = [c for c in codings if c in COMPRESSIONS]
    return ", ".join(left) if left else None


def _reads_as_text(body: bytes) -> bool:
    """Whether a body is text whatever its Content-Encoding says (it was kept decompressed):
    valid UTF-8, or mostly printable ASCII as a page in an 8-bit encoding is."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        sample = body[:_SAMPLE]
        return sum(b in _TEXT_BYTES for b in sample) >= _TEXT_SHARE * len(sample)
    return True


def response_document(doc_id: str, source: str, body: bytes, content_type: str | None,
                      metadata: dict[str, str], compressed: str | None = None,
                      ) -> Document | ReadError:
    """The document an HTTP response body holds, or why it holds none. Without a Content-Type
    the body is sniffed the way a file with an unknown extension is. ``compressed`` names the
    compressions the body may still be in (:func:`compression_left`): compressed bytes are no
    text, and are never read as if they were. (A body that reads as text all the same was kept
    decompressed, whatever its header still says, and is read.)"""
    media, charset = media_type(content_type)
    fmt = ARTICLE_TYPES.get(media) if media else None
    if media is not None and fmt is None:
        return ReadError(path=source, error=f"not HTML or text: the server sent {media}")
    if compressed is not None and not _reads_as_text(body):
        return ReadError(path=source, error=f"the body is compressed as {compressed!r}, which "
                         "credscore cannot decompress")
    if fmt == "html" and charset is None:
        charset = meta_charset(body)
    try:
        text = decode_declared(body, charset)
    except BinaryContent as exc:
        return ReadError(path=source, error=str(exc))
    if not text.strip():
        return ReadError(path=source, error="empty response")
    return Document(id=doc_id, source=source, format=fmt or sniff_format(text), content=text,
                    metadata=metadata)
