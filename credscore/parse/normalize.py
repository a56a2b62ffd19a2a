"""Text hygiene: one normalised form that every offset in a parsed document indexes.

Normalisation happens per piece of text (a line, an inline segment), never across the whole
document, so the parser always knows where each piece lands in the final text.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that carry no text: soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Curly quotes and primes become their ASCII forms so that lexicons need one spelling only.
# (str.replace per character is several times faster than str.translate with a table.)
_QUOTES = (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201a", "'"), ("\u201b", "'"), ("\u2032", "'"),
    ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'), ("\u201f", '"'), ("\u2033", '"'),
    ("\u00ab", '"'), ("\u00bb", '"'),
)
# "peer-\nreviewed": a word broken at its hyphen over a line end. The hyphen is kept (it cannot
# be told from a soft break without a dictionary, and keeping it never glues two words).
_BREAK_HYPHEN = re.compile(r"(?<=[a-z])-\n(?=[a-z])")


def normalize_inline(text: str) -> str:
    """NFKC, invisible characters removed, quotes straightened, whitespace folded to one space.

    Leading and trailing whitespace is kept as a single space, so that inline pieces can be
    concatenated without gluing words together; callers strip where a block ends.
    """
    if not text.isascii():  # ASCII has no invisible characters, curly quotes or NFKC changes
        text = _INVISIBLE.sub("", text)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        for curly, straight in _QUOTES:
            if curly in text:
                text = text.replace(curly, straight)
    return fold_spaces(text)


def fold_spaces(text: str) -> str:
    """Every run of whitespace as one space, as ``re.sub(r"\\s+", " ", text)`` gives it.

    ``str.split()`` cuts at exactly the characters ``\\s`` matches, and does it without a match
    object per space, which made the substitution the slowest step of normalising a paragraph.
    Text whose only whitespace is single spaces is already folded: every other whitespace
    character is a control or a separator, which ``str.isprintable`` finds without splitting.
    """
    if text.isprintable() and "  " not in text:
        return text
    words = text.split()
    if not words:
        return " " if text else ""
    folded = " ".join(words)
    if text[0].isspace():
        folded = " " + folded
    if text[-1].isspace():
        folded += " "
    return folded


def join_wrapped(lines: list[str]) -> str:
    """Join hard-wrapped lines of one paragraph, repairing hyphenation at line ends."""
    joined = "\n".join(line.strip() for line in lines)
    return _BREAK_HYPHEN.sub("-", joined) if "-\n" in joined else joined
