"""Scoring on a Dask distributed cluster (``pip install 'credscore[dask]'``).

Inputs are cut into partitions (:mod:`credscore.partitions`) that the workers read themselves,
so the client never holds the corpus: it only lists folders and learns file sizes. Each worker
process compiles the rubric once, and scores with the same :func:`credscore.run.score_document`
as the local process pool. Results come back partition by partition in input order, or are
written by the workers one JSONL file per partition beside a manifest. A partition whose task
fails (a worker that dies, an output that cannot be written) is retried, then reported; the
other partitions finish.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credscore.engine.compile import CompiledRubric, compile_rubric
from credscore.models import Document, DocumentScore, ReadError, ReadWarning
from credscore.partitions import (
    PARTITION_BYTES,
    LineCounter,
    Part,
    count_newlines,
    describe_briefly,
    part_items,
    plan,
)
from credscore.read.files import MAX_DOCUMENT_BYTES, ReadOnce, json_line, object_document
from credscore.read.urls import FETCH_TIMEOUT, is_url
from credscore.read.warc import SkippedRecords
from credscore.rubric.model import Rubric
from credscore.run import Result, ScoredLine, Shape, score_document
from credscore.workers import MAX_JOBS
from credscore.write import atomic_output

if TYPE_CHECKING:
    from dask.bag import Bag
    from distributed import Client

# A JSONL file is cut into at least this many partitions per worker thread, so that one large
# file keeps every worker busy to the end.
PARTITIONS_PER_THREAD = 4
RETRIES = 2
INSTALL_HINT = "pip install 'credscore[dask]'"


class DaskMissing(RuntimeError):
    """Dask distributed is not installed."""


class ClusterUsageError(ValueError):
    """A cluster that cannot be used as asked (a bad local:N, inputs the workers cannot see)."""


def require_dask() -> None:
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise DaskMissing(f"running on a Dask cluster needs Dask distributed: {INSTALL_HINT}") from None


# HOST:PORT, HOST a name, an IPv4 address or an IPv6 address in brackets.
_HOST_PORT = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+):\d{1,5}")


# The scheduler of ``local:N``: no dashboard. Dask starts its web server (health, metrics) even
# so, on port 8787 unless told otherwise, and prints a warning when that port is taken (another
# cluster's dashboard): here it listens on a free port of the loopback interface.
LOCAL_SCHEDULER: dict[str, object] = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}


@contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client for ``address``: ``tcp://host:8786`` (or any address Dask takes), a scheduler
    file written by ``dask scheduler --scheduler-file``, or ``local:N`` for a cluster of N worker
    processes started on this machine (and stopped at the end)."""
    require_dask()
    import dask
    from distributed import Client, LocalCluster

    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not count.isdigit() or not 1 <= int(count) <= MAX_JOBS:
            raise ClusterUsageError(f"{address!r}: local:N needs a number of workers from 1 "
                                    f"to {MAX_JOBS}, such as local:4")
        # One task at a time per single-threaded worker: a worker that dies then takes only the
        # partition that killed it with it, not one queued behind it.
        with _preloaded_workers(), dask.config.set({"distributed.scheduler.worker-saturation": 1.0}), \
                LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True,
                             dashboard_address=None, silence_logs=logging.CRITICAL,
                             scheduler_kwargs=LOCAL_SCHEDULER) as local, \
                Client(local, set_as_default=False) as client:
            yield client
        return
    if address.endswith(".json") or Path(address).is_file():
        _check_scheduler_file(address)
        with Client(scheduler_file=address, set_as_default=False, timeout="20s") as client:
            yield client
        return
    if "://" not in address and not _HOST_PORT.fullmatch(address):
        raise ClusterUsageError(f"{address!r} is not a scheduler address: give tcp://HOST:PORT "
                                "(or HOST:PORT), a scheduler file (.json) or local:N")
    try:
        client = Client(address, set_as_default=False, timeout="20s")
    except (ValueError, TypeError) as exc:  # an address Dask cannot parse
        raise ClusterUsageError(f"{address!r} is not a scheduler address ({exc}): give "
                                "tcp://HOST:PORT, a scheduler file (.json) or local:N") from None
    with client:
        yield client


def _check_scheduler_file(address: str) -> None:
    """A scheduler file is JSON with the scheduler's ``address``; Dask waits for one that is
    not, then fails with no reason given."""
    try:
        data = json.loads(Path(address).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ClusterUsageError(f"no scheduler file {address} (dask scheduler "
                                "--scheduler-file writes it)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ClusterUsageError(f"{address} is not a scheduler file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("address"), str):
        raise ClusterUsageError(f"{address} is not a scheduler file: it names no 'address'")


@contextmanager
def _preloaded_workers() -> Iterator[None]:
    """Local worker processes forked from a server that imported credscore once, rather than
    spawned to import it anew: that import takes seconds per process on a small machine, and
    a local cluster is compared with a process pool whose workers inherit it. Where fork
    servers are not available, Dask's default (spawn) is kept."""
    import multiprocessing

    import dask

    if "forkserver" not in multiprocessing.get_all_start_methods():
        yield
        return
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        try:
            from distributed.utils import get_mp_context

            # Dask sets its own preload list on first use; ours replaces it (before the server
            # starts; a server already running keeps what it has). The fork server takes the
            # signal dispositions of what it imported to every worker it forks.
            get_mp_context().set_forkserver_preload(["distributed", "credscore.cluster",
                                                     "credscore.worker_signals"])
        except (ImportError, AttributeError):
            pass
        yield


# -- worker side -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RubricPayload:
    """A rubric with a token that names it, so a worker compiles each rubric once."""

    token: str
    rubric: Rubric

    @classmethod
    def of(cls, rubric: Rubric) -> RubricPayload:
        return cls(hashlib.sha256(rubric.model_dump_json().encode()).hexdigest(), rubric)


_COMPILED: dict[str, CompiledRubric] = {}
_COMPILE_LOCK = threading.Lock()
_KEPT = 4  # rubrics kept compiled by a long-lived worker (the most recently compiled)
compile_count = 0  # rubrics compiled by this process (read by the tests through Client.run)


def compiled_rubric(payload: RubricPayload) -> CompiledRubric:
    """The rubric compiled, once per worker process (a lock keeps its threads from compiling
    it twice)."""
    global compile_count
    with _COMPILE_LOCK:
        if payload.token not in _COMPILED:
            while len(_COMPILED) >= _KEPT:
                del _COMPILED[next(iter(_COMPILED))]
            _COMPILED[payload.token] = compile_rubric(payload.rubric)
            compile_count += 1
        return _COMPILED[payload.token]


@dataclass
class PartDone:
    """What a worker sends back for a partition: its results, or (when it wrote them to a
    file) the file, how many documents it holds and the read errors (warnings among them)."""

    skipped: SkippedRecords
    results: list[Result] = field(default_factory=list)
    file: str | None = None
    documents: int = 0
    errors: list[ReadError] = field(default_factory=list)


def score_partition(part: Part, payload: RubricPayload, shape: Shape, out_file: str | None,
                    ) -> PartDone:
    compiled = compiled_rubric(payload)
    skipped = SkippedRecords()
    if out_file is None:
        return PartDone(skipped, [score_document(item, compiled, shape)
                                  for item in part_items(part, skipped)])
    target = Path(out_file)
    done = PartDone(skipped, file=target.name)
    # Written whole or not at all: a retried partition or a killed worker never leaves half a
    # file under the partition's name.
    with atomic_output(target) as out:
        for item in part_items(part, skipped):
            result = score_document(item, compiled, "line")
            if isinstance(result, ScoredLine):
                out.write(result.line + "\n")
                done.documents += 1
            elif isinstance(result, ReadError):
                done.errors.append(result)
    return done


# -- client side -----------------------------------------------------------------------------

@dataclass
class PartFailed:
    error: str
    killed: bool = False  # its workers died (rather than the task raising an error)


PartOutcome = PartDone | PartFailed
PartTask = Callable[[Part, RubricPayload, Shape, str | None], PartDone]


def run_partitions(client: Client, parts: Iterable[Part], rubric: Rubric, shape: Shape = "score",
                   out_dir: Path | None = None, *, retries: int = RETRIES,
                   task: PartTask = score_partition) -> Iterator[tuple[int, Part, PartOutcome]]:
    """Each partition with its outcome, in partition order. A bounded number of partitions is
    in flight, so neither the client nor the workers hold more than a few partitions' results."""
    # A task rather than scattered data: the scheduler can compute it again when the worker
    # holding it dies, where scattered data would be lost with it, and every later partition too.
    payload = client.submit(_given, RubricPayload.of(rubric), pure=False,
                            key=f"credscore-rubric-{uuid.uuid4().hex[:8]}")
    window = 2 * max(1, sum(client.nthreads().values())) + 2
    run_id = uuid.uuid4().hex[:8]
    pending: deque[tuple[int, Part, Any]] = deque()

    def submit(index: int, part: Part, attempt: str = "") -> Any:
        out_file = str(out_dir / partition_file(index)) if out_dir is not None else None
        return client.submit(task, part, payload, shape, out_file, retries=retries, pure=False,
                             key=f"credscore-partition-{run_id}-{index}{attempt}")

    def outcome(index: int, part: Part, future: Any) -> tuple[int, Part, PartOutcome]:
        result = _outcome(future, retries)
        if isinstance(result, PartFailed) and result.killed:
            # Dask blames every task running on a worker that dies; a partition that only
            # shared a worker with the one that killed it gets one more try of its own.
            result = _outcome(submit(index, part, "-again"), retries)
        return index, part, result

    for index, part in enumerate(parts):
        if len(pending) >= window:
            yield outcome(*pending.popleft())
        pending.append((index, part, submit(index, part)))
    while pending:
        yield outcome(*pending.popleft())


def _given(value: RubricPayload) -> RubricPayload:
    return value


def _outcome(future: Any, retries: int) -> PartOutcome:
    try:
        return future.result()
    except Exception as exc:
        if type(exc).__name__ == "KilledWorker":
            return PartFailed("partition failed: the workers running it died", killed=True)
        reason = str(exc).strip() or type(exc).__name__
        return PartFailed(f"partition failed after {retries + 1} attempts: {reason}")
    finally:
        future.release()


def partition_file(index: int) -> str:
    return f"part-{index:05d}.jsonl"


def _spread(client: Client) -> int:
    return PARTITIONS_PER_THREAD * max(1, sum(client.nthreads().values()))


def newline_counter(client: Client) -> LineCounter:
    def count(path: str, ranges: list[tuple[int, int]]) -> list[int]:
        futures = [client.submit(count_newlines, path, start, end, pure=False)
                   for start, end in ranges]
        return [int(n) for n in client.gather(futures)]

    return count


def check_folders(client: Client, paths: Sequence[str | Path]) -> None:
    """Relative paths mean the same files on the workers only when they run in this folder."""
    here = os.getcwd()
    relative = [str(a) for a in paths if not is_url(a) and not Path(a).is_absolute()]
    elsewhere = {cwd for cwd in client.run(os.getcwd).values() if cwd != here}
    if relative and elsewhere:
        raise ClusterUsageError(
            f"the workers run in another folder ({sorted(elsewhere)[0]}), so relative paths such "
            f"as {relative[0]!r} mean other files there: give absolute paths on a file system the "
            "workers share")


def _plan(client: Client, paths: Sequence[str | Path], urls: Iterable[str | ReadError], max_bytes: int,
          timeout: float, partition_bytes: int, exclude: Iterable[Path],
          own_outputs: list[str] | None, once: ReadOnce | None) -> Iterator[Part]:
    check_folders(client, paths)
    return plan(chain(paths, urls), newline_counter(client), max_bytes=max_bytes,
                timeout=timeout, partition_bytes=partition_bytes, spread=_spread(client),
                exclude=exclude, own_outputs=own_outputs,
                once=ReadOnce.over(paths) if once is None else once)


def cluster_results(client: Client, paths: Sequence[str | Path], rubric: Rubric, shape: Shape, *,
                    urls: Iterable[str | ReadError] = (), max_bytes: int = MAX_DOCUMENT_BYTES,
                    timeout: float = FETCH_TIMEOUT, partition_bytes: int = PARTITION_BYTES,
                    skipped: SkippedRecords | None = None, exclude: Iterable[Path] = (),
                    own_outputs: list[str] | None = None,
                    once: ReadOnce | None = None) -> Iterator[Result]:
    """Results for ``paths`` and then ``urls``, in input order, as
    :func:`credscore.run.score_stream` gives them; a partition that failed becomes one read
    error naming what it held. ``once`` counts the files named more than once (each is read
    once), for the notes a local run gives."""
    parts = _plan(client, paths, urls, max_bytes, timeout, partition_bytes, exclude, own_outputs,
                  once)
    for _, part, outcome in run_partitions(client, parts, rubric, shape):
        if isinstance(outcome, PartFailed):
            yield ReadError(path=describe_briefly(part.describe()), error=outcome.error)
            continue
        if skipped is not None:
            skipped.merge(outcome.skipped)
        yield from outcome.results


def write_partitions(client: Client, paths: Sequence[str | Path], rubric: Rubric, out_dir: Path,
                     header: dict[str, Any], *, urls: Iterable[str | ReadError] = (),
                     max_bytes: int = MAX_DOCUMENT_BYTES, timeout: float = FETCH_TIMEOUT,
                     partition_bytes: int = PARTITION_BYTES,
                     on_partition: Callable[[PartOutcome], None] | None = None,
                     exclude: Iterable[Path] = (),
                     own_outputs: list[str] | None = None,
                     once: ReadOnce | None = None) -> dict[str, Any]:
    """Score into ``out_dir``: one JSONL file per partition, written by the workers, and
    ``manifest.json`` listing each partition's file, inputs, documents, errors and warnings
    (documents scored that may be damaged: not errors, and not counted as such). Returns the
    manifest. ``out_dir`` must be a folder the workers can write to; ``once`` counts the files
    named more than once (each is read once)."""
    parts = _plan(client, paths, urls, max_bytes, timeout, partition_bytes, exclude, own_outputs,
                  once)
    skipped = SkippedRecords()
    entries: list[dict[str, Any]] = []
    totals = {"documents": 0, "errors": 0, "failed_partitions": 0}
    for _, part, outcome in run_partitions(client, parts, rubric, "line", out_dir):
        if isinstance(outcome, PartFailed):
            entry = {"file": None, "inputs": part.describe(), "failed": outcome.error}
            totals["failed_partitions"] += 1
        else:
            skipped.merge(outcome.skipped)
            errors = [e.model_dump(mode="json") for e in outcome.errors
                      if not isinstance(e, ReadWarning)]
            warnings = [e.model_dump(mode="json") for e in outcome.errors
                        if isinstance(e, ReadWarning)]
            entry = {"file": outcome.file, "inputs": part.describe(), "documents": outcome.documents,
                     "errors": errors, "warnings": warnings}
            totals["documents"] += outcome.documents
            totals["errors"] += len(errors)
        entries.append(entry)
        if on_partition is not None:
            on_partition(outcome)
    for leftover in out_dir.glob(".part-*.tmp"):  # from workers that died while writing
        leftover.unlink(missing_ok=True)
    manifest = {**header, **totals, "skipped_records": skipped.as_dict(), "partitions": entries}
    with atomic_output(out_dir / "manifest.json") as out:
        out.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


# -- Python API ------------------------------------------------------------------------------

def score_bag(documents: Bag, rubric: Rubric | None = None) -> Bag:
    """A Dask bag of results from a bag of documents: :class:`Document` objects, dicts shaped
    like JSONL input (``id``, ``text`` or ``html`` ...) or JSONL lines as strings, each with an
    id (blank lines are skipped). Each result is a :class:`DocumentScore`, or a
    :class:`ReadError` for an item that could not be read or scored. The rubric (default: the
    shipped default rubric) is compiled once per worker."""
    require_dask()
    import dask

    if rubric is None:
        from credscore.rubric.load import load_rubric

        rubric = load_rubric().rubric
    payload = dask.delayed(RubricPayload.of(rubric), pure=True)
    return documents.map_partitions(_score_items, payload)


def _score_items(items: Iterable[Document | dict[str, Any] | str], payload: RubricPayload,
                 ) -> list[DocumentScore | ReadError]:
    compiled = compiled_rubric(payload)
    return [r for r in (_score_item(item, compiled) for item in items) if r is not None]


def _score_item(item: object, compiled: CompiledRubric) -> DocumentScore | ReadError | None:
    where = "a bag item"
    try:
        if isinstance(item, str):
            if not item.strip():  # a blank line of a JSONL file, as the CLI skips it
                return None
            item = json_line(item)
        if isinstance(item, dict):
            if item.get("id") is None:
                return ReadError(path=where, error="the object has no 'id'")
            where = str(item["id"])
            item = object_document(item, where)
    except ValueError as exc:
        return ReadError(path=where, error=str(exc))
    if not isinstance(item, Document):
        return ReadError(path=where, error=f"not a document: {type(item).__name__}")
    result = score_document(item, compiled)
    assert isinstance(result, DocumentScore | ReadError)
    return result


__all__ = ["DaskMissing", "connect", "score_bag"]
