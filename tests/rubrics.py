"""Rubric texts shared by the tests and the benchmarks (which import them from here)."""

from __future__ import annotations

_ONE_SIGNAL = """\
id: t
version: "1"
name: T
criteria:
  - id: c
    name: C
    description: d
    anchor: a
    weight: 1
{extra}    signals:
      - id: s
        points: {points}
        {matcher}
"""


def one_pattern_rubric(pattern: str) -> str:
    """A rubric of one criterion with one signal, the regular expression ``pattern`` (quoted
    for YAML on line 13, where a problem with it is reported)."""
    return _ONE_SIGNAL.format(extra="", points=1, matcher="pattern: '{}'".format(
        pattern.replace("'", "''")))


def one_phrase_rubric(phrase: str, extra: str = "") -> str:
    """A rubric of one criterion with one phrase signal (``phrase`` as written in a YAML flow
    list, on line 13 plus the lines of ``extra``, criterion keys indented by four spaces)."""
    return _ONE_SIGNAL.format(extra=extra, points=-1, matcher=f"phrases: [{phrase}]")
