"""Bytes to text: UTF-8 (with or without BOM), then cp1252, then latin-1."""

from __future__ import annotations

import codecs


class BinaryContent(ValueError):
    """The bytes are not text."""


def decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:8192]:
        raise BinaryContent("binary content (NUL bytes); not a text, Markdown, HTML or JSONL file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode_declared(data: bytes, charset: str | None) -> str:
    """Bytes whose encoding a server, an archive or the page itself declared. A byte-order mark
    outranks the declaration (as in browsers); a declaration Python does not know is ignored."""
    codec = None
    if charset:
        try:
            codec = codecs.lookup(charset.strip()).name
        except LookupError:
            codec = None
    if codec is None or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data)
    if not codec.startswith(("utf-16", "utf-32")) and b"\x00" in data[:8192]:
        raise BinaryContent("binary content (NUL bytes); not a text, Markdown or HTML page")
    return data.decode(codec, errors="replace")
