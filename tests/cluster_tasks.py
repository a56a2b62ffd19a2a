"""Partition tasks that fail on purpose, for the cluster tests. They live apart from the tests so
that a worker unpickling them imports only this small module, not the test module's imports."""

from __future__ import annotations

import os

from credscore import cluster, partitions


def fail_on_b(part: partitions.Part, payload: cluster.RubricPayload, shape: str,
              out_file: str | None) -> cluster.PartDone:
    """A partition task that fails for the partition holding b.txt, and notes each attempt."""
    assert isinstance(part, partitions.FilesPart)
    if part.tasks[0].doc_id == "b.txt":
        with (part.tasks[0].path.parent / "attempts").open("a") as log:
            log.write(f"{os.getpid()}\n")
        raise OSError("disk full")
    return cluster.score_partition(part, payload, shape, out_file)  # type: ignore[arg-type]


def kill_on_b(part: partitions.Part, payload: cluster.RubricPayload, shape: str,
              out_file: str | None) -> cluster.PartDone:
    """A partition task whose worker dies (as under the out-of-memory killer) on b.txt."""
    assert isinstance(part, partitions.FilesPart)
    if part.tasks[0].doc_id == "b.txt":
        os._exit(1)
    return cluster.score_partition(part, payload, shape, out_file)  # type: ignore[arg-type]
