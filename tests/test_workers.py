"""Worker processes: one task each at a time, deaths noticed and blamed on the right task."""

from __future__ import annotations

import os
import signal
import time
from contextlib import suppress
from multiprocessing.process import BaseProcess

import pytest

from credscore.workers import Workers


def _nothing() -> None:
    pass


def _sleep_then_echo(payload: float) -> float:
    time.sleep(payload)
    return payload


def _pid_of(workers: Workers[str], task: str) -> int:
    (pid,) = [w.process.pid for w in workers._workers if w.task == task]
    assert pid is not None
    return pid


def test_results_come_back_with_their_tasks() -> None:
    workers: Workers[str] = Workers(2, _nothing, (), _sleep_then_echo)
    try:
        workers.submit("slow", 0.3)
        workers.submit("fast", 0.0)
        done = []
        while workers.busy:
            done += workers.wait()
        assert sorted(done) == [("fast", 0.0, True), ("slow", 0.3, True)]
    finally:
        workers.close()


def test_a_killed_worker_loses_only_its_task_and_is_replaced() -> None:
    workers: Workers[str] = Workers(2, _nothing, (), _sleep_then_echo)
    try:
        workers.submit("victim", 30.0)
        workers.submit("other", 0.5)
        os.kill(_pid_of(workers, "victim"), signal.SIGKILL)
        done = []
        while workers.busy:
            done += workers.wait()
        assert sorted(done) == [("other", 0.5, True), ("victim", None, False)]
        workers.submit("after", 0.0)  # a fresh worker took the dead one's place
        assert workers.wait() == [("after", 0.0, True)]
    finally:
        workers.close()


def test_a_worker_that_died_idle_is_not_blamed_for_its_next_task() -> None:
    workers: Workers[str] = Workers(1, _nothing, (), _sleep_then_echo)
    try:
        workers.submit("first", 0.0)
        assert workers.wait() == [("first", 0.0, True)]
        (worker,) = workers._workers
        assert worker.process.pid is not None
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(5)
        workers.submit("next", 0.0)
        assert workers.wait() == [("next", 0.0, True)]
    finally:
        workers.close()


def test_stop_ends_busy_workers_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # "At once": stop signals every worker and waits only for workers it has signalled, never for
    # a busy one to finish its task (as close does); each ends by that signal, mid-task.
    workers: Workers[str] = Workers(2, _nothing, (), _sleep_then_echo)
    workers.submit("a", 60.0)
    workers.submit("b", 60.0)
    processes = [w.process for w in workers._workers]
    pids = [p.pid for p in processes]
    signalled: set[int | None] = set()
    exits: dict[int | None, int | None] = {}

    def watch(process: BaseProcess) -> None:
        terminate, join = process.terminate, process.join

        def terminated() -> None:
            signalled.add(process.pid)
            terminate()

        def joined(timeout: float | None = None) -> None:
            assert process.pid in signalled, "stop waited for a worker it had not ended"
            join(timeout)
            exits[process.pid] = process.exitcode

        monkeypatch.setattr(process, "terminate", terminated)
        monkeypatch.setattr(process, "join", joined)

    for process in processes:
        watch(process)
    try:
        workers.stop()
        assert exits == {pid: -signal.SIGTERM for pid in pids}  # ended by the signal, not killed
        for pid in pids:  # ended and reaped
            assert pid is not None
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    finally:
        monkeypatch.undo()
        for process in processes:  # what a broken stop left running
            with suppress(ValueError):  # closed: stop ended it
                if process.is_alive():
                    process.kill()
                    process.join(5)
