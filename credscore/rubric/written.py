"""Where a character of a YAML scalar's value is written in the file.

A value and its text in the file differ: a double-quoted scalar writes ``\\t``, ``\\u00e9`` or
``\\x41`` for one character, a single-quoted one doubles its quotes, and a scalar written over
several lines is folded (a line break between two lines reads as a space, each blank line as a
line break, the indentation of a continued line is dropped, and a double-quoted line that ends in
a backslash joins the next with nothing between). :func:`written_at` reads the text as PyYAML's
scanner does and says where the character at an offset of the value came from, so that a
problem found in the value (a regular expression that does not compile) is reported where the
rubric's author sees it. A block scalar (``|``, ``>``) drops its indentation from each line
and keeps or folds its line breaks: :func:`block_written_at` traces its characters.
"""

from __future__ import annotations

import re

# Escapes of one character after the backslash (YAML 1.1, as PyYAML reads them), and the
# escapes followed by a number of hex digits.
_ONE_CHARACTER = frozenset("0abt\tnvfre \"/\\N_LP")
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_BREAKS = "\r\n\x85\u2028\u2029"  # YAML 1.1's line breaks
_KEPT_BREAKS = "\u2028\u2029"  # read as themselves, not folded
_BLANKS = " \t"
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def written_at(written: str, style: str, value: str, offset: int) -> tuple[int, int] | None:
    """Where the character at ``offset`` of ``value`` is in ``written``, the scalar as written
    (its quotes included when ``style`` is ``'`` or ``"``; a plain scalar when it is ``""``): the
    number of line breaks before it and its column (counted from 0) in its line. An offset at
    the end of the value is the closing quote (or the end of the text). None when the text does
    not read as ``value``."""
    origins = _origins(written, style)
    if origins is None or len(origins) != len(value):
        return None
    at = origins[offset] if offset < len(origins) else len(written) - (1 if style else 0)
    breaks = list(_LINE_BREAK.finditer(written, 0, at))
    return len(breaks), at - (breaks[-1].end() if breaks else 0)


def block_written_at(written: str, value: str, offset: int) -> tuple[int, int] | None:
    """Where the character at ``offset`` of ``value`` is in ``written``, the lines of a block
    scalar (``|`` or ``>``) after its header: the number of line breaks before it and its column
    (counted from 0, indentation included). A literal block keeps each line break and a folded
    one may read it as a space; both drop the block's indentation. None when the lines do not
    read as ``value``."""
    lines = _LINE_BREAK.split(written)
    # The block's indentation: the first line's spaces less those its text keeps (a '|2' block
    # keeps those past the two it names).
    first = value.lstrip("\n")
    indent = next((len(line) - len(line.lstrip(" ")) for line in lines if line.strip(" ")), 0) - (
        len(first) - len(first.lstrip(" ")))
    at = 0  # where the line's text starts in the value
    for number, line in enumerate(lines):
        text = line[indent:]
        if value[at:at + len(text)] != text:
            return None
        if offset < at + len(text):
            return number, indent + offset - at
        at += len(text)
        if at < len(value) and value[at] in "\n ":  # the line break, kept or folded
            if offset == at:
                return number, len(line)
            at += 1
    return None


def _origins(written: str, style: str) -> list[int] | None:
    """For each character of the scalar's value, its index in ``written``."""
    quoted = style in ("'", '"')
    i, end = (1, len(written) - 1) if quoted else (0, len(written))
    if quoted and (len(written) < 2 or written[0] != style or written[end] != style):
        return None
    out: list[int] = []
    while i < end:
        c = written[i]
        if style == "'" and c == "'":
            out.append(i)  # '' is one quote
            i += 2
        elif style == '"' and c == "\\":
            i = _escape(written, i, out)
        elif c in _BLANKS:
            j = i
            while j < end and written[j] in _BLANKS:
                j += 1
            if j < end and written[j] in _BREAKS:
                i = j  # blanks at the end of a line are not part of the value
            else:
                out.extend(range(i, j))
                i = j
        elif c in _BREAKS:
            i = _fold(written, i, out)
        else:
            out.append(i)
            i += 1
    return out


def _escape(written: str, i: int, out: list[int]) -> int:
    """Read the escape at ``written[i]`` (a backslash); return where the text goes on."""
    n = written[i + 1] if i + 1 < len(written) else ""
    if n and n in _BREAKS:
        # An escaped line break joins the lines; blank lines after it are line breaks.
        return _breaks(written, _after_break(written, i + 1), out)
    out.append(i)
    if n in _HEX_DIGITS:
        return i + 2 + _HEX_DIGITS[n]
    return i + 2 if n in _ONE_CHARACTER else i + 1


def _fold(written: str, i: int, out: list[int]) -> int:
    """Read the line break at ``written[i]``: a space when a line follows it at once, else one
    line break per blank line (a line or paragraph separator is kept as it is); the next line's
    indentation is dropped."""
    before = len(out)
    if written[i] in _KEPT_BREAKS:
        out.append(i)
    j = _breaks(written, _after_break(written, i), out)
    if len(out) == before:
        out.append(i)
    return j


def _breaks(written: str, i: int, out: list[int]) -> int:
    """Skip the indentation at ``written[i]``, and each blank line after it, which is one line
    break of the value."""
    while True:
        while i < len(written) and written[i] in _BLANKS:
            i += 1
        if i < len(written) and written[i] in _BREAKS:
            out.append(i)
            i = _after_break(written, i)
        else:
            return i


def _after_break(written: str, i: int) -> int:
    return i + 2 if written.startswith("\r\n", i) else i + 1
