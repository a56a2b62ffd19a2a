"""The characters that must never reach a terminal as they are: controls, escapes and
bidirectional overrides (an escape sequence can set the window title or draw a fake score; a
carriage return overwrites a line; an override makes text read as something else)."""

from __future__ import annotations

import re

# Regular-expression class bodies: the C0 controls but tab and newline; DEL and the C1 controls
# (U+0080-U+009F, which terminals read as escape sequences too), the line and paragraph
# separators and the bidirectional embeddings, overrides and isolates; the directional marks.
_C0 = "\x00-\x08\x0b-\x1f"
_C1_SEPARATORS_AND_OVERRIDES = "\x7f-\x9f\u2028-\u202e\u2066-\u2069"
_MARKS = "\u061c\u200e\u200f"
# Everything beyond C0, shared with the JSON writer (JSON escapes C0 itself).
BEYOND_C0 = _C1_SEPARATORS_AND_OVERRIDES + _MARKS
UNSAFE = re.compile(f"[{_C0}{BEYOND_C0}]")
# What a rubric's own text may not hold: the same but the directional marks (ALM, LRM, RLM),
# which right-to-left phrases may need and which reorder nothing beyond their neighbours.
NOT_IN_RUBRICS = re.compile(f"[{_C0}{_C1_SEPARATORS_AND_OVERRIDES}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped(text: str) -> str:
    """``text`` with every control, escape and bidirectional character shown as its escape
    (``\\x1b``, ``\\u202e``); tabs and newlines kept. The reading layer quotes an input's
    text in its errors with it; reports show everything through it (``safe_text``)."""
    return UNSAFE.sub(_escape, text)
