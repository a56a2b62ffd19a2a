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


def undecoded_coding(content_encoding: str | None, decoded: Collection[str]) -> str | None:
    """The first content coding a response's Content-Encoding names (``br`` of ``gzip, br``)
    that the reader of its body does not undo (``decoded``: the codings it does, lower-case),
    so that the body is still compressed with it; None when every one is undone."""
    for coding in (content_encoding or "").split(","):
        coding = coding.strip().lower()
        if coding and coding != "identity" and coding not in decoded:
            return coding
    return None


def _utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def response_document(doc_id: str, source: str, body: bytes, content_type: str | None,
                      metadata: dict[str, str], undecoded: str | None = None,
                      ) -> Document | ReadError:
    """The document an HTTP response body holds, or why it holds none. Without a Content-Type
    the body is sniffed the way a file with an unknown extension is. ``undecoded`` is a content
    coding the body is still compressed with (:func:`undecoded_coding`): compressed bytes are no
    text, and are never read as if they were. (A body that is valid UTF-8 all the same was
    decompressed before it was kept, whatever its header still says, and is read.)"""
    if undecoded is not None and not _utf8(body):
        return ReadError(path=source, error=f"the body is compressed as {undecoded!r}, which "
                         "credscore does not decompress")
    media, charset = media_type(content_type)
    fmt = ARTICLE_TYPES.get(media) if media else None
    if media is not None and fmt is None:
        return ReadError(path=source, error=f"not HTML or text: the server sent {media}")
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
