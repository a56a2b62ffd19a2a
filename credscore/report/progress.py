"""A progress display on the terminal for runs that take more than a moment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@contextmanager
def progress_for(console: Console, delay: float = 1.0, doing: str = "scoring",
                 unit: str = "documents", total: int | None = None) -> Iterator[Callable[..., None]]:
    """Yield a function to call once per document (or with a count, once per batch; ``doing``
    and ``unit`` name other work, of ``total`` steps when known); draws nothing unless the
    console is a terminal, and only after ``delay`` seconds, so quick runs and pipes stay
    clean."""
    if not console.is_terminal:
        yield lambda n=1: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(), TextColumn(doing), BarColumn(bar_width=None),
        TextColumn(f"{{task.completed}} {unit}"), TimeElapsedColumn(),
        console=console, transient=True, auto_refresh=True,
    )
    task = progress.add_task(doing, total=total)
    started = False
    import time

    t0 = time.monotonic()

    def advance(n: int = 1) -> None:
        nonlocal started
        progress.advance(task, n)
        if not started and time.monotonic() - t0 >= delay:
            progress.start()
            started = True

    try:
        yield advance
    finally:
        if started:
            progress.stop()
