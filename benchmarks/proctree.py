"""Memory and CPU of a command's whole process tree, sampled from Linux /proc while it runs.

The kernel's own accounting of children (``RUSAGE_CHILDREN``) leaves out processes the command
does not wait for, such as the workers of a cluster, so the benchmarks sample every descendant.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


def available() -> bool:
    return Path("/proc/self/statm").exists()


def tree(pid: int) -> list[int]:
    """The process and all its descendants (started by any of their threads)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return out


def rss_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system time of one process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


@dataclass
class Watched:
    """What sampling a process tree until it exited saw."""

    seconds: float = 0.0
    peak_sum_mb: float = 0.0  # the whole tree at its largest
    peak_one_mb: float = 0.0  # the largest single process
    cpu_by_pid: dict[int, float] = field(default_factory=dict)

    @property
    def cpu(self) -> float:
        return sum(self.cpu_by_pid.values())


def watch(proc: subprocess.Popen[str] | subprocess.Popen[bytes], every: float = 0.2) -> Watched:
    """Sample ``proc`` and its descendants every ``every`` seconds until it exits."""
    seen = Watched()
    t0 = time.perf_counter()
    while proc.poll() is None:
        pids = tree(proc.pid)
        sizes = [rss_mb(p) for p in pids]
        seen.peak_sum_mb = max(seen.peak_sum_mb, sum(sizes))
        seen.peak_one_mb = max(seen.peak_one_mb, max(sizes, default=0.0))
        for p in pids:
            seen.cpu_by_pid[p] = max(seen.cpu_by_pid.get(p, 0.0), cpu_seconds(p))
        time.sleep(every)
    seen.seconds = time.perf_counter() - t0
    return seen
