"""An HTTP response body as a document: which content types are articles and how their bytes
become text. Pages fetched from a URL and responses kept in a web archive both come through here."""

from __future__ import annotations

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


def response_document(doc_id: str, source: str, body: bytes, content_type: str | None,
                      metadata: dict[str, str]) -> Document | ReadError:
    """The document an HTTP response body holds, or why it holds none. Without a Content-Type
    the body is sniffed the way a file with an unknown extension is."""
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
