"""Counts as messages say them: "1 labelled article", "3 labelled articles". Lower layers
(reading, labels) use it, so it imports nothing of credscore's."""

from __future__ import annotations


def plural(n: int, one: str, many: str | None = None) -> str:
    """``one`` for a count of 1, else ``many`` (by default ``one`` and an "s"): a noun, or a
    verb that agrees with the count ("has", "have")."""
    if n == 1:
        return one
    return one + "s" if many is None else many


def counted(n: int, one: str, many: str | None = None, *, commas: bool = False) -> str:
    """``n`` and the noun that agrees with it ("1 article", "2 articles"), ``n`` with thousands
    separators when ``commas``."""
    return f"{n:,} {plural(n, one, many)}" if commas else f"{n} {plural(n, one, many)}"
