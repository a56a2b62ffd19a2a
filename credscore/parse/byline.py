"""Author and dates from the byline blocks of an article given as text, and the byline a page
gets when its author or date is only in its metadata."""

from __future__ import annotations

import re

from credscore.parse.zones import DATE

_UPDATED = re.compile(r"\b(?:updated|modified|revised|last\s+reviewed)\b\W*", re.IGNORECASE)
# "Priya Raman, March 14" or "Priya Raman | 2024": the name ends where a date begins.
_TRAILING_DATE = re.compile(r"\s*[,|]\s*(?=[A-Z][a-z]+\s+\d|\d)")
_BY = re.compile(r"^\W*(?:written\s+|posted\s+|reviewed\s+|medically\s+reviewed\s+)?by\s+",
                 re.IGNORECASE)
_ISO_DAY = re.compile(r"^(?:19|20)\d\d-\d\d-\d\d")
# What stood before a date taken out of the line: "Jane Doe, published 2024-03-14", "Jane Doe
# on March 3", "Jane Doe | Updated".
_DATE_LEAD = re.compile(r"[\s,;|]+(?:published|posted|updated|modified|revised|last\s+reviewed|on)$",
                        re.IGNORECASE)
# Longer "author" metadata is a list of names, a bio or a site description, not a byline.
MAX_AUTHOR_CHARS = 100


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
        name = _DATE_LEAD.sub("", _TRAILING_DATE.split(name)[0].strip(" ,")).strip(" ,")
        if name and (by or not DATE.search(line)) and len(name.split()) <= 6:
            found.setdefault("author", name)
    return found


def metadata_byline(metadata: dict[str, str], bylines: list[str]) -> str | None:
    """A byline line for what the metadata says (``author``, ``date``, ``updated``) and the
    page's own byline lines do not, or None when they say it all.

    Many pages keep the author and date in meta tags or structured data only; the parser puts
    this line in the byline zone so that criteria reading bylines see what the report shows.
    """
    said = byline_metadata(bylines)
    parts: list[str] = []
    author = " ".join(metadata.get("author", "").split())
    if author and "author" not in said and len(author) <= MAX_AUTHOR_CHARS:
        parts.append(f"By {author}")
    if "date" not in said and "updated" not in said:
        if metadata.get("date"):
            parts.append(f"published {_day(metadata['date'])}")
        elif metadata.get("updated"):
            parts.append(f"updated {_day(metadata['updated'])}")
    line = ", ".join(parts)
    return line[:1].upper() + line[1:] or None


def _day(value: str) -> str:
    """An ISO timestamp's day ("2024-03-14T10:00:00Z" -> "2024-03-14"); other forms as given."""
    m = _ISO_DAY.match(value.strip())
    return m.group(0) if m else " ".join(value.split())
