"""Stopping cleanly on a signal.

While a command runs, SIGINT (Ctrl-C), SIGTERM and SIGHUP raise :class:`Interrupted` in the main
thread. It is a ``BaseException``, so no ``except Exception`` in the pipeline swallows it, and
on its way out every ``finally`` runs: worker processes are stopped and a half-written output
is removed. A second signal while that happens ends the process at once, removing first the
temporary files of the outputs being written.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    s for s in (getattr(signal, name, None) for name in ("SIGINT", "SIGTERM", "SIGHUP"))
    if s is not None
)


class Interrupted(BaseException):
    """The run was stopped by a signal; the exit code is 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


_received: int | None = None
_owner: int | None = None  # the process that asked for the signals
# Files being written (an output's temporary file) that a second signal, which ends the process
# at once, removes first: no ``finally`` runs then.
_unfinished: set[str] = set()


@contextmanager
def removed_if_killed(path: str) -> Iterator[None]:
    """Within the block, a second stop signal that ends the process at once removes ``path``
    first (``timeout -s INT`` signals the process and then its group, a few milliseconds
    apart; so does a quick double Ctrl-C)."""
    _unfinished.add(path)
    try:
        yield
    finally:
        _unfinished.discard(path)


def _end_at_once(signum: int, frame: FrameType | None) -> None:
    """A second stop signal: remove the files being written, then end as the signal would."""
    for path in list(_unfinished):
        with suppress(OSError):
            os.unlink(path)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _raise(signum: int, frame: FrameType | None) -> None:
    global _received
    if os.getpid() != _owner:
        # A worker forked before it reset its handlers: end it as the signal normally would.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    _received = signum
    for s in STOP_SIGNALS:
        signal.signal(s, _end_at_once)
    raise Interrupted(signum)


def raise_if_stopped() -> None:
    """Raise :class:`Interrupted` again if a stop signal has arrived. A handler's exception can
    be lost: Python ignores exceptions raised while a ``__del__`` method or a garbage-collection
    callback runs, and the signal may have been handled just then. Loops call this between
    steps, so the run still stops."""
    if _received is not None:
        raise Interrupted(_received)


@contextmanager
def signals_raise() -> Iterator[None]:
    """Within the block, a stop signal raises :class:`Interrupted`."""
    global _received, _owner
    _received, _owner = None, os.getpid()
    previous = {s: signal.signal(s, _raise) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def default_signals_in_worker() -> None:
    """For a worker process: Ctrl-C reaches the whole process group, and the parent alone
    decides what to do about it; SIGTERM and SIGHUP end the worker as they normally would."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for s in STOP_SIGNALS:
        if s is not signal.SIGINT:
            signal.signal(s, signal.SIG_DFL)
