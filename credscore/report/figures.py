"""Figures as the reports show them."""

from __future__ import annotations


def fixed(x: float | None, places: int = 3, *, signed: bool = False, missing: str = "-") -> str:
    """``x`` to ``places`` decimals, with its sign when ``signed``; ``missing`` when there is
    none. A value that rounds to zero is shown as zero, never "-0.000"."""
    if x is None:
        return missing
    return f"{x:+z.{places}f}" if signed else f"{x:z.{places}f}"


def out_of_100(score: float | None, places: int = 0) -> str:
    """A criterion's score (0-1) as people are shown it: out of 100, to ``places`` decimals;
    "n/a" for a criterion that does not apply."""
    return "n/a" if score is None else fixed(100 * score, places)


def interval(bounds: tuple[float, float] | None, places: int = 3) -> str:
    """A bootstrap interval as " [0.427, 0.532]" (after the figure it belongs to); "" when none
    was measured."""
    if bounds is None:
        return ""
    return f" [{fixed(bounds[0], places)}, {fixed(bounds[1], places)}]"
