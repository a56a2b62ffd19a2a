"""Messages that repeat, listed a few times and then counted.

A JSONL file of a million lines that all fail the same way (a file of scores given as
articles, an export without a 'text' field) would otherwise print a million lines on standard
error. Each reason is listed for its first inputs; the rest are counted and said once, at the
end of the run, with how many there were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LISTED_PER_REASON = 10  # inputs named for one reason before the rest are only counted


@dataclass
class Repeats:
    """How often each reason (a label and a message) has come up in one run."""

    listed: int = LISTED_PER_REASON
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def seen(self, label: str, reason: str) -> bool:
        """Count one more input for ``reason``; whether it is still to be listed."""
        key = (label, reason)
        n = self.counts.get(key, 0) + 1
        self.counts[key] = n
        return n <= self.listed

    def first_unlisted(self, label: str, reason: str) -> bool:
        """Whether the input just counted was the first for ``reason`` not to be listed, so
        that a note can say that the rest are only counted."""
        return self.counts.get((label, reason), 0) == self.listed + 1

    def unlisted(self) -> list[tuple[str, str, int]]:
        """(label, reason, how many were not listed) for each reason over the limit, in the
        order the reasons first came up."""
        return [(label, reason, n - self.listed)
                for (label, reason), n in self.counts.items() if n > self.listed]

    def clear(self) -> None:
        self.counts.clear()
