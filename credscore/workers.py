"""Worker processes that can be stopped at once and whose death is noticed.

Each worker has its own pipe and is given one task at a time, so the main process always knows
which task a worker holds: when a worker dies (killed, or ended by the out-of-memory killer),
exactly that task is lost and reported, and a fresh worker takes its place. There are no helper
threads and no shared queues: stopping ends the processes and closes the pipes, and nothing can
be left blocked on a pipe that nobody reads (what ``concurrent.futures.ProcessPoolExecutor``
risks when a worker dies in the middle of sending, and then waits for at interpreter exit).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import sys
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from credscore.interrupt import default_signals_in_worker

T = TypeVar("T")  # what the main process keeps for a task (the worker is sent its payload)

# How long a worker may take to finish after it is told to, before it is ended.
JOIN_SECONDS = 5.0
# The most worker processes a run starts (--jobs, local:N): each holds the compiled rubric and
# a Python interpreter, so a mistyped count would otherwise exhaust memory or process slots.
MAX_JOBS = 1024


def forks_workers() -> bool:
    """Whether workers are forked from the main process, and so inherit what it holds."""
    return multiprocessing.get_context().get_start_method() == "fork"


def _end_with_parent() -> None:
    """On Linux, have the kernel end this worker if the main process dies without a chance to
    stop it (SIGKILL), instead of leaving it waiting on a pipe nobody will write to."""
    if sys.platform != "linux":
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    with suppress(OSError, AttributeError):  # a libc without prctl: the parent still stops us
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _serve(conn: multiprocessing.connection.Connection, setup: Callable[..., None],
           setup_args: tuple[Any, ...], handler: Callable[[Any], Any]) -> None:
    """A worker's life: set up once, then answer each payload until told to stop."""
    default_signals_in_worker()
    _end_with_parent()
    setup(*setup_args)
    while True:
        try:
            payload = conn.recv()
        except (EOFError, OSError):
            return
        if payload is None:
            return
        conn.send(handler(payload))


@dataclass
class _Worker(Generic[T]):
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    task: T | None = None


class Workers(Generic[T]):
    """Up to ``jobs`` worker processes running ``handler(payload)``, one task each at a time.
    A worker is started when a task finds none idle, so a run with less work than ``jobs``
    starts only the workers it gives work to (each compiles the rubric, or takes a copy of
    the main process, when it starts)."""

    def __init__(self, jobs: int, setup: Callable[..., None], setup_args: tuple[Any, ...],
                 handler: Callable[[Any], Any]) -> None:
        self._context = multiprocessing.get_context()
        self._start_args = (setup, setup_args, handler)
        self._jobs = jobs
        self._workers: list[_Worker[T]] = []
        self._lost: list[T] = []  # tasks whose worker died while being given them

    def _start(self) -> _Worker[T]:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs, *self._start_args),
                                        daemon=True)
        process.start()
        # Only the worker may hold its end: when it dies, reading ours then ends at once (EOF)
        # instead of waiting for the rest of a message it was sending.
        theirs.close()
        return _Worker(process, mine)

    @property
    def idle(self) -> bool:
        """Whether a task given now would start at once: a worker is idle, or one more may be
        started."""
        return len(self._workers) < self._jobs or any(w.task is None for w in self._workers)

    @property
    def busy(self) -> bool:
        return bool(self._lost) or any(w.task is not None for w in self._workers)

    def submit(self, task: T, payload: Any) -> None:
        """Give ``task`` (sent as ``payload``) to an idle worker. A worker that died while idle
        is replaced first: its death is not the task's doing. With none idle, one more is
        started."""
        worker = next((w for w in self._workers if w.task is None), None)
        if worker is None:
            worker = self._start()
            self._workers.append(worker)
        for attempt in range(2):
            if not worker.process.is_alive():
                worker = self._replace(worker)
            try:
                worker.conn.send(payload)
            except OSError:  # it died while reading the task
                if attempt:
                    self._lost.append(task)
                    self._replace(worker)
                    return
                continue
            worker.task = task
            return

    def wait(self) -> list[tuple[T, Any, bool]]:
        """Tasks that ended since the last call, at least one (blocking until then): each with
        its result and True, or with None and False when its worker died holding it."""
        done: list[tuple[T, Any, bool]] = [(task, None, False) for task in self._lost]
        self._lost = []
        if done:
            return done
        busy = [w for w in self._workers if w.task is not None]
        ready = set(multiprocessing.connection.wait(
            [w.conn for w in busy] + [w.process.sentinel for w in busy]))
        for worker in busy:
            task = worker.task
            assert task is not None
            if worker.conn in ready:
                try:
                    result = worker.conn.recv()
                except (EOFError, OSError):  # died while sending it
                    self._replace(worker)
                    done.append((task, None, False))
                    continue
                worker.task = None
                done.append((task, result, True))
            elif worker.process.sentinel in ready:
                self._replace(worker)
                done.append((task, None, False))
        return done

    def _replace(self, worker: _Worker[T]) -> _Worker[T]:
        _end(worker)
        fresh = self._start()
        self._workers[self._workers.index(worker)] = fresh
        return fresh

    def close(self) -> None:
        """Let every worker finish and end (all tasks are done)."""
        for worker in self._workers:
            with suppress(OSError):
                worker.conn.send(None)
        for worker in self._workers:
            worker.process.join(JOIN_SECONDS)
            _end(worker)
        self._workers = []

    def stop(self) -> None:
        """End every worker now, busy or not."""
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self._workers:
            _end(worker)
        self._workers = []


def _end(worker: _Worker[Any]) -> None:
    process = worker.process
    if process.is_alive():
        process.terminate()
    process.join(JOIN_SECONDS)
    if process.is_alive():
        process.kill()
        process.join()
    worker.conn.close()
    with suppress(ValueError):  # already closed
        process.close()
