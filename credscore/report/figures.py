"""Figures as the reports show them."""

from __future__ import annotations


def fixed(x: float | None, places: int = 3, *, signed: bool = False) -> str:
    """``x`` to ``places`` decimals, with its sign when ``signed``; "-" when there is none."""
    if x is None:
        return "-"
    return f"{x:+.{places}f}" if signed else f"{x:.{places}f}"
