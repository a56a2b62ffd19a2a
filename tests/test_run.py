"""Runs that are stopped by a signal or lose a worker: real processes, real signals.

The workers of a running ``credscore score`` are found through /proc and signalled from here,
as a user, the out-of-memory killer or a job scheduler would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from credscore.engine.score import score
from credscore.models import Document
from credscore.parse import parse
from credscore.report.json import document_dict
from credscore.run import WORKER_DIED

from .conftest import SEEDS

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(),
                                reason="finds worker processes through Linux /proc")

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())]


def write_corpus(path: Path, n: int, first: str | None = None) -> list[str]:
    """``n`` seed articles under ids d00000...; ``first`` (if given) goes first as 'first'."""
    ids = []
    with path.open("w", encoding="utf-8") as handle:
        if first is not None:
            handle.write(json.dumps({"id": "first", "text": first}) + "\n")
            ids.append("first")
        for i in range(n):
            ids.append(f"d{i:05d}")
            handle.write(json.dumps({"id": ids[-1], "text": SEED_TEXTS[i % len(SEED_TEXTS)]}) + "\n")
    return ids


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "credscore", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_for(condition, timeout: float = 60.0, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def workers_of(proc: subprocess.Popen[str], n: int, not_in: set[int] = frozenset()) -> set[int]:  # type: ignore[assignment]
    def ready() -> set[int]:
        assert proc.poll() is None, "the run ended before its workers could be signalled"
        kids = children(proc.pid) - not_in
        return kids if len(kids) >= n else set()

    return wait_for(ready, what=f"{n} worker processes")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[str]]:
    # About 2,000 articles: many seconds with two workers, longer than any test here waits.
    path = tmp_path_factory.mktemp("corpus") / "big.jsonl"
    return path, write_corpus(path, 2000)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130),
                                           (signal.SIGHUP, 129)])
def test_a_stop_signal_ends_workers_and_leaves_no_output(corpus, tmp_path: Path, sig: int,
                                                         code: int) -> None:
    path, _ = corpus
    out = tmp_path / "o.jsonl"
    proc = start("score", str(path), "-j2", "--format", "jsonl", "-o", str(out))
    workers = workers_of(proc, 2)
    time.sleep(0.5)  # the workers are scoring
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert f"stopped by {signal.Signals(sig).name}" in stderr
    assert f"nothing was written to {out}" in stderr
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []  # neither the output nor its temporary file
    wait_for(lambda: not any(alive(w) for w in workers), timeout=10, what="the workers to end")


def test_a_stopped_json_run_leaves_an_earlier_output_as_it_was(corpus, tmp_path: Path) -> None:
    path, _ = corpus
    out = tmp_path / "o.json"
    out.write_text("earlier\n")
    proc = start("score", str(path), "-j2", "--format", "json", "-o", str(out))
    workers_of(proc, 2)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert out.read_text() == "earlier\n"
    assert [p.name for p in tmp_path.iterdir()] == ["o.json"]


def expected_documents(ids: list[str], texts: dict[str, str]) -> list[dict]:
    """What each document scores, worked out here in one process."""
    from credscore.engine.compile import compile_rubric
    from credscore.rubric.load import load_rubric

    compiled = compile_rubric(load_rubric().rubric)
    by_text: dict[str, dict] = {}
    out = []
    for doc_id in ids:
        text = texts[doc_id]
        if text not in by_text:
            doc = Document(id="x", source="x", format="text", content=text)
            by_text[text] = document_dict(score(parse(doc), compiled))
        out.append({**by_text[text], "id": doc_id})
    return out


def long_article() -> str:
    return "\n\n".join(SEED_TEXTS) * 600  # about 16 MB: seconds to score, however fast


def start_behind_a_long_article(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, list[str], Path]:
    """A two-worker JSONL run of 300 seed articles behind :func:`long_article`: the process,
    its input, the input's ids and its output."""
    path = tmp_path / "in" / "c.jsonl"
    path.parent.mkdir()
    ids = write_corpus(path, 300, first=long_article())
    out = tmp_path / "o.jsonl"
    return (start("score", str(path), "-j2", "--format", "jsonl", "-o", str(out), "--max-bytes",
                  str(64 << 20)), path, ids, out)


def test_killed_workers_are_replaced_and_every_document_is_scored(tmp_path: Path) -> None:
    # A long article first keeps the run busy for a few seconds, so it is still going when
    # every worker is killed.
    proc, _, ids, out = start_behind_a_long_article(tmp_path)
    first = workers_of(proc, 2)
    time.sleep(1.0)
    for pid in first:
        os.kill(pid, signal.SIGKILL)
    # The run goes on with new workers ...
    workers_of(proc, 1, not_in=first)
    _, stderr = proc.communicate(timeout=300)
    # ... and loses nothing: every document once, in input order, scored as in one process.
    assert proc.returncode == 0, stderr
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    texts = {doc_id: SEED_TEXTS[i % len(SEED_TEXTS)] for i, doc_id in enumerate(ids[1:])}
    assert got == expected_documents(ids, {**texts, "first": long_article()})


def rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def test_a_document_that_kills_its_worker_twice_is_reported_and_the_rest_scored(tmp_path: Path,
                                                                                 ) -> None:
    # A long article (several seconds to score) goes first. Its worker is the one that grows
    # largest while scoring it, which is how it is found and killed: once as it scores the
    # article with the rest of its chunk, once as it scores the article alone.
    proc, path, ids, out = start_behind_a_long_article(tmp_path)
    seen = workers_of(proc, 2)
    for _ in range(2):
        time.sleep(1.5)
        largest = max(children(proc.pid), key=rss)
        os.kill(largest, signal.SIGKILL)
        seen |= workers_of(proc, 1, not_in=seen | {largest})
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1, stderr
    assert f"{path.as_posix()}:1: {WORKER_DIED}" in stderr
    assert stderr.count(WORKER_DIED) == 1
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    rest = ids[1:]
    texts = {doc_id: SEED_TEXTS[i % len(SEED_TEXTS)] for i, doc_id in enumerate(rest)}
    assert got == expected_documents(rest, texts)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_reader_that_closes_the_output_ends_the_run_with_141(tmp_path: Path, fmt: str) -> None:
    # `credscore score ... | head` ended with exit code 1, which says documents failed. Both
    # formats stream a line per article, so the output is still being written when it closes.
    corpus = tmp_path / "many.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": SEED_TEXTS[i % len(SEED_TEXTS)]})
                              + "\n" for i in range(60)))
    proc = start("score", str(corpus), "-f", fmt, "-j", "1")
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in proc.stderr.read()


def test_ctrl_c_stops_a_local_dask_cluster_without_worker_tracebacks(tmp_path: Path) -> None:
    """Ctrl-C in a terminal reaches the whole process group: the local cluster's workers leave
    it to the run, which stops them and says so, with no traceback of theirs."""
    pytest.importorskip("distributed")
    path = tmp_path / "big.jsonl"
    write_corpus(path, 8000)
    out = tmp_path / "od"
    proc = subprocess.Popen([sys.executable, "-m", "credscore", "score", str(path), "--scheduler",
                             "local:2", "--output-dir", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_for(lambda: proc.poll() is not None or any(out.glob("part-*")), timeout=120,
                 what="a first partition")
        assert proc.poll() is None, "the run ended before it could be stopped"
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: every process of the group
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr
    assert "stopped by SIGINT" in stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
