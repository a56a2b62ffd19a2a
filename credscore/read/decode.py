"""Bytes to text: UTF-8 (with or without BOM; a few stray bytes in it read as cp1252), then
cp1252, then latin-1; UTF-16 and UTF-32 when
a byte-order mark (or, for JSON, the pattern of its first character) says so."""

from __future__ import annotations

import codecs
import re
import unicodedata


class BinaryContent(ValueError):
    """The bytes are not text."""


# UTF-32 first: its little-endian mark begins with UTF-16's.
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _wide_bom(data: bytes) -> str | None:
    """The codec a UTF-16 or UTF-32 byte-order mark at the start of ``data`` names."""
    return next((codec for bom, codec in _WIDE_BOMS if data.startswith(bom)), None)


def decode(data: bytes) -> str:
    if wide := _wide_bom(data):
        return wide_text(data, wide)
    if b"\x00" in data[:8192]:  # a UTF-8 byte-order mark does not make NUL bytes text
        raise BinaryContent("binary content (NUL bytes); not a text, Markdown, HTML or JSONL file")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few stray bytes of another encoding ("Caf\xe9" pasted into it) stays UTF-8,
    # each stray byte read as cp1252: read whole as cp1252, all its text would be mojibake.
    if (mixed := _utf8_with_strays(data)) is not None:
        return mixed
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def wide_text(data: bytes, codec: str) -> str:
    """``data`` read as UTF-16 or UTF-32 (``codec``), refused when it is not text in it: any bytes
    after a byte-order mark decode to something, and binary read so is mostly unassigned, private
    or control characters, halves of surrogate pairs and code units no character has, where
    text in any script has few."""
    text = data.decode(codec, errors="replace")
    head = text[:_WIDE_SAMPLE]
    odd = sum(1 for c in head if c == "\ufffd" or (
        c not in _WIDE_SPACES and unicodedata.category(c) in _NOT_TEXT))
    if odd > max(_WIDE_ODD_LEAST, len(head) * _WIDE_ODD_SHARE):
        said = " (a byte-order mark at its start says they would be)" if _wide_bom(data) else ""
        raise BinaryContent(f"binary content: its bytes are not {codec.upper()} text{said}")
    return text


# How much of a UTF-16 or UTF-32 text is looked at, and the share of it that may be characters
# text hardly holds (binary decoded so is about 15% of them, text in any script under 1%).
_WIDE_SAMPLE = 8192
_WIDE_ODD_SHARE = 0.05
_WIDE_ODD_LEAST = 8  # so that a stray byte at the end of a short text does not make it binary
_NOT_TEXT = frozenset({"Cc", "Cn", "Co", "Cs"})  # control, unassigned, private use, surrogate
_WIDE_SPACES = frozenset("\t\n\r\x0b\x0c")


_MAX_STRAYS = 4096
_WINDOW = 64 * 1024
# A byte that is not UTF-8, read alone: its cp1252 character (latin-1's where cp1252 has none).
_SINGLE_BYTES = tuple(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))


def _utf8_with_strays(data: bytes) -> str | None:
    """``data`` as UTF-8 with each byte that is not UTF-8 read as cp1252, when it holds more
    UTF-8 than such bytes (the bytes its characters beyond ASCII save over one byte each are at
    least as many); None for a file in a single-byte encoding, or with more than
    :data:`_MAX_STRAYS` of them."""
    view = memoryview(data)
    parts: list[str] = []
    pos = strays = 0
    while pos < len(data):
        # in windows: a decoding that fails has made room for all of what it was given
        final = pos + _WINDOW >= len(data)
        window = view[pos : pos + _WINDOW]
        try:
            text, used = codecs.utf_8_decode(window, "strict", final)
        except UnicodeDecodeError as exc:
            parts.append(codecs.utf_8_decode(window[: exc.start], "strict", True)[0])
            parts.append("".join(_SINGLE_BYTES[b] for b in window[exc.start : exc.end]))
            strays += exc.end - exc.start
            pos += exc.end
            if strays > _MAX_STRAYS:
                return None
            continue
        parts.append(text)
        pos += used
    text = "".join(parts)
    return text if len(data) - len(text) >= strays else None


# Pages declare their encoding within the first kilobytes (the HTML standard looks at 1024 bytes;
# a little more finds it after long comments).
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def meta_charset(data: bytes) -> str | None:
    """The encoding an HTML page declares in a ``<meta>`` tag near its start, if any."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def decode_page(data: bytes) -> str:
    """A web page saved as a file. Text that is not UTF-8 is read in the encoding its ``<meta>``
    tag declares (KOI8-R, Shift JIS ...), as a browser reads it; UTF-8 text, a byte-order mark,
    and a page that declares nothing or UTF-16 (which a tag cannot truly declare) are read as
    :func:`decode` reads any file."""
    charset = meta_charset(data)
    if charset is None or charset.lower().startswith(("utf-16", "utf-32", "utf16", "utf32")) \
            or data.startswith(codecs.BOM_UTF8) or _wide_bom(data) or b"\x00" in data[:8192]:
        return decode(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_declared(data, charset)


def json_encoding(head: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding of JSON text that starts with ``head`` (its first four
    bytes or more): from its byte-order mark, or, as RFC 4627 reads it, from where the zero bytes
    fall around its first character, which is ASCII ("{" is 7B 00 in UTF-16LE). None for
    anything else, which :func:`decode` reads."""
    if wide := _wide_bom(head):
        return wide
    if len(head) < 4:
        return None
    if head[0] == 0:
        if head[1:3] == b"\x00\x00" and head[3]:
            return "utf-32-be"
        return "utf-16-be" if head[1] and head[2] == 0 and head[3] else None
    if head[1:4] == b"\x00\x00\x00":
        return "utf-32-le"
    return "utf-16-le" if head[1] == 0 and head[2] and head[3] == 0 else None


def decode_declared(data: bytes, charset: str | None) -> str:
    """Bytes whose encoding a server, an archive or the page itself declared. A byte-order mark
    outranks the declaration (as in browsers); a declaration Python does not know is ignored, and
    so is UTF-8 for bytes that are not UTF-8, UTF-16 or UTF-32 for bytes that are not text in
    it (or hold no zero byte, as ASCII in them would), and a codec that is not a text encoding
    ("hex", "base64", "rot13") or cannot read with replacement characters ("idna")."""
    codec = None
    if charset:
        try:
            info = codecs.lookup(charset.strip())
        except LookupError:
            info = None
        if info is not None and getattr(info, "_is_text_encoding", True):
            codec = info.name
    if codec in ("latin-1", "ascii"):
        codec = "cp1252"  # what browsers read for these labels (the WHATWG Encoding standard)
    if codec in (None, "utf-8") or data.startswith(codecs.BOM_UTF8) or _wide_bom(data):
        # Declared UTF-8 that is not is read as any file is: cp1252 before anything else.
        return decode(data)
    if not codec.startswith(("utf-16", "utf-32")) and b"\x00" in data[:8192]:
        raise BinaryContent("binary content (NUL bytes); not a text, Markdown or HTML page")
    try:
        if codec.startswith(("utf-16", "utf-32")):
            if b"\x00" not in data[:8192]:  # markup, spaces and newlines give UTF-16 zero bytes
                return decode(data)
            return wide_text(data, codec)
        return data.decode(codec, errors="replace")
    except (LookupError, UnicodeError):  # a codec with no replacement ("idna", "undefined")
        return decode(data)
    except BinaryContent:  # declared UTF-16 or UTF-32 and not: read as undeclared
        return decode(data)
