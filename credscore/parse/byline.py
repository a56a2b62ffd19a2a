"""Author and dates from the byline blocks of an article given as text."""

from __future__ import annotations

import re

from credscore.parse.zones import DATE

_UPDATED = re.compile(r"\b(?:updated|modified|revised|last\s+reviewed)\b\W*", re.IGNORECASE)
# "Priya Raman, March 14" or "Priya Raman | 2024": the name ends where a date begins.
_TRAILING_DATE = re.compile(r"\s*[,|]\s*(?=[A-Z][a-z]+\s+\d|\d)")
_BY = re.compile(r"^\W*(?:written\s+|posted\s+|reviewed\s+|medically\s+reviewed\s+)?by\s+",
                 re.IGNORECASE)


def byline_metadata(lines: list[str]) -> dict[str, str]:
    """``date``, ``updated`` and ``author`` found in byline lines (first of each wins)."""
    found: dict[str, str] = {}
    for line in lines:
        for m in DATE.finditer(line):
            before = line[: m.start()]
            key = "updated" if _UPDATED.search(before[-30:]) else "date"
            found.setdefault(key, m.group(0))
        by = _BY.match(line)
        rest = line[by.end():] if by else line
        name = DATE.sub("", rest).strip(" ,;|-–(")
        name = _TRAILING_DATE.split(name)[0].strip(" ,")
        if name and (by or not DATE.search(line)) and len(name.split()) <= 6:
            found.setdefault("author", name)
    return found
