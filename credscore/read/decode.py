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
