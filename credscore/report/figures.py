"""Figures as the reports show them."""

from __future__ import annotations


def fixed(x: float | None, places: int = 3, *, signed: bool = False) -> str:
    """``x`` to ``places`` decimals, with its sign when ``signed``; "-" when there is none. A value
    that rounds to zero is shown as zero, never "-0.000"."""
    if x is None:
        return "-"
    return f"{x:+z.{places}f}" if signed else f"{x:z.{places}f}"
