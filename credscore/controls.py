"""The characters that must never reach a terminal as they are: controls, escapes and
bidirectional overrides (an escape sequence can set the window title or draw a fake score; a
carriage return overwrites a line; an override makes text read as something else)."""

from __future__ import annotations

import re

# Beyond the C0 controls: DEL and the C1 controls (U+0080-U+009F, which terminals read as
# escape sequences too); bidirectional marks, embeddings, overrides and isolates; the line and
# paragraph separators. A regular-expression class body, shared with the JSON writer.
BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
# ... and the C0 controls but tab and newline.
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{BEYOND_C0}]")
# What a rubric's own text may not hold: the same but the directional marks (LRM, RLM, ALM),
# which right-to-left phrases may need and which reorder nothing beyond their neighbours.
NOT_IN_RUBRICS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
