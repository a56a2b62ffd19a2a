"""Rubric texts shared by the tests and the benchmarks (which import them from here)."""

from __future__ import annotations

_ONE_PATTERN = """\
id: hostile
version: "1"
name: Hostile
criteria:
  - id: c
    name: C
    description: d
    anchor: a
    weight: 1
    signals:
      - id: s
        points: 1
        pattern: '{pattern}'
"""


def one_pattern_rubric(pattern: str) -> str:
    """A rubric of one criterion with one signal, the regular expression ``pattern`` (quoted
    for YAML on line 13, where a problem with it is reported)."""
    return _ONE_PATTERN.format(pattern=pattern.replace("'", "''"))
