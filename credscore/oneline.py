"""Text folded onto one line and cut to a length: a finding's quotation in an explanation, or
the text of an archive quoted in an error. Lower layers (reading, scoring) use it, so it lives
below them and imports nothing of credscore's."""

from __future__ import annotations


def clipped(text: str, limit: int = 40) -> str:
    """``text`` on one line, its whitespace folded, cut to ``limit`` characters with "…"."""
    if not (len(text) <= limit and text.isprintable() and "  " not in text
            and text[:1] != " " and text[-1:] != " "):  # else already folded and short enough
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
