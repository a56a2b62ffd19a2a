"""Text from articles, file names, labels and rubrics, made safe to show.

An article can hold terminal escape sequences (set the window title, clear the screen, draw a
fake score), a carriage return that overwrites a line, or bidirectional overrides that make
text read differently from what it is. Everything credscore shows a person goes through
:func:`safe_text`, which writes each such character as a visible escape (``\\x1b``,
``\\u202e``) instead of passing it on. Tabs and newlines are kept.
"""

from __future__ import annotations

from rich.text import Text

from credscore.controls import escaped


def safe_text(text: str) -> str:
    """``text`` with every control, escape and bidirectional character shown as its escape."""
    return escaped(text)


def safe_line(text: str) -> str:
    """:func:`safe_text` on one line: newlines shown as ``\\n`` too, so that a file name
    holding one cannot start a line of its own (a forged "skipped ..." line)."""
    return safe_text(text).replace("\n", "\\n")


def folded(text: str) -> str:
    """:func:`safe_text` on text shown as one line: its whitespace folded to single spaces."""
    return safe_text(" ".join(text.split()))


def plain(text: str, style: str = "") -> Text:
    """A terminal cell: shown as written (no rich markup is read in it) and made safe."""
    return Text(safe_text(text), style=style)
