"""Scoring on a Dask cluster gives what the local process pool gives, partition by partition."""

from __future__ import annotations

import json
import random
import shutil
import socket
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

if TYPE_CHECKING:
    from distributed import Client

from credscore import cluster, partitions
from credscore.cli import app
from credscore.models import Document, DocumentScore, ReadError
from credscore.read import read_tasks
from credscore.read.files import read_task
from credscore.read.warc import SkippedRecords

from . import cluster_tasks
from .conftest import SEEDS
from .test_read_warc import _article_length_too_short, build_archive, too_short_warning

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def local_count(path: str, ranges: list[tuple[int, int]]) -> list[int]:
    return [partitions.count_newlines(path, start, end) for start, end in ranges]


# -- planning, without a cluster -------------------------------------------------------------

LINE = st.one_of(
    st.just(""), st.just("   "), st.just("not json"),
    st.just(" " * 150), st.just(" " * 100 + "{}"), st.just("x" * 150),  # over max_bytes=60
    st.builds(lambda i, t: json.dumps({"id": f"d{i}", "text": t}),
              st.integers(0, 99), st.text(min_size=1, max_size=40)),
)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(LINE, max_size=25), newline=st.sampled_from(["\n", "\r\n"]),
       last_newline=st.booleans(), partition_bytes=st.integers(1, 200))
def test_line_ranges_hold_every_line_once_with_its_number(
        tmp_path_factory: pytest.TempPathFactory, lines: list[str], newline: str,
        last_newline: bool, partition_bytes: int) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    text = newline.join(lines) + (newline if last_newline and lines else "")
    path.write_bytes(text.encode("utf-8"))
    whole = list(read_tasks([path], max_bytes=60))
    parts = list(partitions.plan([path], local_count, max_bytes=60, partition_bytes=partition_bytes))
    split = [item for part in parts for item in partitions.part_items(part, SkippedRecords())]
    assert split == whole


def test_a_utf16_jsonl_file_is_one_partition_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    text = "".join(json.dumps({"id": f"d{i}", "text": f"Mice ran \u010a {i}."}, ensure_ascii=False)
                   + "\n" for i in range(40))
    path.write_bytes(text.encode("utf-16"))
    parts = list(partitions.plan([path], local_count, partition_bytes=100, spread=4))
    assert len(parts) == 1
    items = list(partitions.part_items(parts[0], SkippedRecords()))
    assert items == list(read_tasks([path]))
    docs = [read_task(item) for item in items]
    assert [d.id for d in docs if isinstance(d, Document)] == [f"d{i}" for i in range(40)]


def test_plan_keeps_input_order_across_kinds(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Mice ran faster.\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "j", "text": "A trial."}) + "\n")
    build_archive(tmp_path / "c.warc.gz")
    (tmp_path / "d.txt").write_text("Rats too.\n")
    parts = list(partitions.plan([tmp_path, "https://example.org/x", SEEDS / "000_e86d7793d9eecfab.txt"],
                              local_count))
    assert [p.describe()["kind"] for p in parts] == ["files", "jsonl", "warc", "files", "urls", "files"]
    items = [i for p in parts for i in partitions.part_items(p, SkippedRecords())]
    assert items == list(read_tasks([tmp_path, "https://example.org/x",
                                     SEEDS / "000_e86d7793d9eecfab.txt"]))


def test_relative_paths_are_refused_when_workers_run_elsewhere() -> None:
    class Elsewhere:
        def run(self, fn: object) -> dict[str, str]:
            return {"tcp://10.0.0.2:4000": "/scratch/worker"}

    with pytest.raises(cluster.ClusterUsageError, match="give absolute paths"):
        cluster.check_folders(Elsewhere(), ["corpus/"])  # type: ignore[arg-type]
    cluster.check_folders(Elsewhere(), [SEEDS.resolve(), "https://example.org/"])  # type: ignore[arg-type]


def test_a_missing_dask_is_a_usage_error_with_the_install_command(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = runner.invoke(app, ["score", str(SEEDS), "--scheduler", "local:2"])
    assert result.exit_code == 2
    assert "pip install 'credscore[dask]'" in result.output


@pytest.mark.parametrize("address", ["local:many", "local:0", "local:1025",
                                     "local:99999999999999999999"])
def test_a_local_cluster_needs_a_number_of_workers(address: str) -> None:
    # a count past the limit was started as asked, and a huge one hung the run
    pytest.importorskip("distributed")
    result = runner.invoke(app, ["score", str(SEEDS), "--scheduler", address])
    assert result.exit_code == 2
    assert "local:N needs a number of workers from 1 to 1024" in result.output


@pytest.mark.parametrize(("address", "content", "says"), [
    ("missing.json", None, "no scheduler file"),
    ("bad.json", "{bad", "is not a scheduler file: Expecting property name"),
    ("noaddress.json", '{"address": 5}', "is not a scheduler file: it names no 'address'"),
    ("host-without-port", None, "is not a scheduler address"),
])
def test_a_scheduler_that_is_not_one_is_a_usage_error_at_once(
        tmp_path: Path, address: str, content: str | None, says: str) -> None:
    pytest.importorskip("distributed")
    target = tmp_path / address
    if content is not None:
        target.write_text(content)
    where = str(target) if address.endswith(".json") else address
    result = runner.invoke(app, ["score", str(SEEDS), "--scheduler", where])
    assert result.exit_code == 2 and says in result.output


def test_output_dir_needs_a_cluster_and_an_empty_folder(tmp_path: Path) -> None:
    alone = runner.invoke(app, ["score", str(SEEDS), "--output-dir", str(tmp_path / "new")])
    assert alone.exit_code == 2 and "add --scheduler" in alone.output
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.jsonl").write_text("{}\n")
    full = runner.invoke(app, ["score", str(SEEDS), "--scheduler", "local:1",
                               "--output-dir", str(tmp_path / "full")])
    assert full.exit_code == 2 and "not an empty folder" in full.output
    assert (tmp_path / "full" / "keep.jsonl").read_text() == "{}\n"


# -- on a cluster ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """One local cluster of two worker processes for the module; the CLI reaches it by its
    address, as it would a cluster started elsewhere."""
    pytest.importorskip("distributed")
    with cluster.connect("local:2") as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred articles made from the seeds' paragraphs: a JSONL file (with a blank line,
    a broken line and a line without id), a folder of text and HTML files, and a web archive."""
    root = tmp_path_factory.mktemp("corpus")
    paras = [p.strip() for f in sorted(SEEDS.iterdir())
             for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rnd = random.Random(5)

    def article() -> str:
        return "\n\n".join(rnd.sample(paras, 3))

    lines = [json.dumps({"id": f"j{i:03d}", "text": article()}) for i in range(200)]
    lines[10] = ""
    lines[20] = "{broken"
    lines[30] = json.dumps({"text": article()})
    (root / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = root / "pages"
    folder.mkdir()
    for i in range(60):
        text = article()
        if i % 2:
            (folder / f"p{i:03d}.txt").write_text(text, encoding="utf-8")
        else:
            body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
            (folder / f"p{i:03d}.html").write_text(f"<html><body><article>{body}</article>"
                                                   "</body></html>", encoding="utf-8")
    (folder / "empty.txt").write_text("")
    build_archive(root / "crawl.warc.gz")
    return root


def inputs(corpus: Path) -> list[str]:
    return [str(corpus / "batch.jsonl"), str(corpus / "pages"), str(corpus / "crawl.warc.gz")]


@pytest.fixture(scope="module")
def pool_jsonl(corpus: Path) -> tuple[str, str]:
    result = invoke("score", *inputs(corpus), "--format", "jsonl", "--jobs", "2",
                    "--max-bytes", "12000")
    assert result.exit_code == 1  # the broken line, the empty file, the oversized record
    return result.stdout, result.stderr


def test_local_scheduler_matches_the_process_pool_on_the_seeds() -> None:
    pytest.importorskip("distributed")
    pool = invoke("score", str(SEEDS), "--format", "jsonl", "--jobs", "2")
    dask = invoke("score", str(SEEDS), "--format", "jsonl", "--scheduler", "local:2")
    assert dask.exit_code == pool.exit_code == 0, dask.output
    assert dask.stdout == pool.stdout
    assert len(dask.stdout.splitlines()) == 5


def test_a_local_cluster_starts_no_dashboard_and_no_warning_when_8787_is_taken() -> None:
    pytest.importorskip("distributed")
    taken = socket.socket()
    try:
        try:
            taken.bind(("127.0.0.1", 8787))
            taken.listen()
        except OSError:
            pass  # something else holds it: taken all the same
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with cluster.connect("local:1") as c:
                services = c.scheduler_info()["services"]
                assert c.submit(len, "abc").result() == 3
    finally:
        taken.close()
    said = [str(w.message) for w in caught]
    assert not [m for m in said if "already in use" in m], said
    assert services.get("dashboard") != 8787


def test_cluster_matches_the_process_pool_in_input_order(
        client: Client, corpus: Path, pool_jsonl: tuple[str, str]) -> None:
    result = invoke("score", *inputs(corpus), "--format", "jsonl", "--scheduler",
                    client.scheduler.address, "--partition-bytes", "15000", "--max-bytes", "12000")
    assert result.exit_code == 1
    assert result.stdout == pool_jsonl[0]
    assert result.stderr == pool_jsonl[1]
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert len(ids) == 198 + 60 + 4  # 200 lines less a blank and a broken one
    assert ids[:2] == ["j000", "j001"] and f"{corpus / 'batch.jsonl'}:31" in ids


def test_cluster_json_is_byte_identical(client: Client) -> None:
    pool = invoke("score", str(SEEDS), "--format", "json", "--jobs", "2")
    dask = invoke("score", str(SEEDS), "--format", "json", "--scheduler", client.scheduler.address)
    assert dask.stdout == pool.stdout


def test_output_dir_holds_one_file_per_partition_and_a_manifest(
        client: Client, corpus: Path, pool_jsonl: tuple[str, str],
        tmp_path: Path) -> None:
    out = tmp_path / "scores"
    result = invoke("score", *inputs(corpus), "--scheduler", client.scheduler.address,
                    "--output-dir", str(out), "--partition-bytes", "15000", "--max-bytes", "12000")
    assert result.exit_code == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = [p["file"] for p in manifest["partitions"]]
    assert sorted(p.name for p in out.iterdir()) == sorted([*files, "manifest.json"])
    assert len(files) > 5
    joined = "".join((out / name).read_text(encoding="utf-8") for name in files)
    assert joined == pool_jsonl[0]
    assert manifest["documents"] == len(joined.splitlines())
    errors = [e["path"] for p in manifest["partitions"] for e in p["errors"]]
    assert errors == [f"{corpus / 'batch.jsonl'}:21", f"{corpus / 'pages'}/empty.txt",
                      f"{corpus / 'crawl.warc.gz'}:" + errors[2].rsplit(":", 1)[1]]
    assert manifest["errors"] == 3 and manifest["failed_partitions"] == 0
    assert all(p["warnings"] == [] for p in manifest["partitions"])
    assert manifest["skipped_records"][f"{corpus / 'crawl.warc.gz'}"]["request"] == 1
    kinds = [p["inputs"]["kind"] for p in manifest["partitions"]]
    assert kinds[0] == "jsonl" and kinds[-1] == "warc" and "files" in kinds


def test_a_warning_is_listed_apart_from_the_errors_in_the_manifest(client: Client,
                                                                   tmp_path: Path) -> None:
    """An article scored with a warning (a web archive's record whose length looks too short)
    was listed among its partition's errors in the manifest, though not counted as one."""
    plain, article = _article_length_too_short(tmp_path)
    out = tmp_path / "scores"
    result = invoke("score", str(plain), "--scheduler", client.scheduler.address,
                    "--output-dir", str(out))
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (part,) = manifest["partitions"]
    assert part["documents"] == 2 and part["errors"] == [] and manifest["errors"] == 0
    assert part["warnings"] == [{"path": f"{plain.as_posix()}:{article}",
                                 "error": too_short_warning(plain, article)}]


def test_plan_leaves_out_earlier_outputs_as_the_local_reader_does(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    assert invoke("report", str(articles), "-o", str(articles / "report.html")).exit_code == 0
    planned: list[str] = []
    parts = list(partitions.plan([articles], local_count, own_outputs=planned))
    items = [i for p in parts for i in partitions.part_items(p, SkippedRecords())]
    local: list[str] = []
    assert items == list(read_tasks([articles], own_outputs=local))
    assert len(items) == 5 and planned == local == [str(articles / "report.html")]


def test_output_inside_an_input_folder_is_never_read_back(client: Client, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    out = articles / "scored"
    result = invoke("score", str(articles), "--scheduler", client.scheduler.address,
                    "--output-dir", str(out), "--partition-bytes", "1")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"] == 5  # the part files written meanwhile are not inputs
    shutil.rmtree(out)
    scores = articles / "scores.jsonl"
    earlier = invoke("score", str(articles), "--format", "jsonl", "-o", str(scores))
    assert earlier.exit_code == 0  # an earlier run's output, about to be replaced
    scores.write_text(scores.read_text().splitlines()[0] + "\n")
    again = invoke("score", str(articles), "--scheduler", client.scheduler.address,
                   "--format", "jsonl", "-o", str(scores))
    assert again.exit_code == 0, again.output
    assert len(scores.read_text().splitlines()) == 5


def test_a_cluster_run_says_which_files_were_named_more_than_once(client: Client,
                                                                 tmp_path: Path) -> None:
    # A cluster run read each file once, as a local run does, but said nothing of the others.
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    again = articles / "002_e783488c8f71499a.txt"
    args = ["score", str(articles), str(articles), str(again), "--format", "jsonl"]
    pool = invoke(*args, "--jobs", "1")
    dask = invoke(*args, "--scheduler", client.scheduler.address)
    assert dask.exit_code == pool.exit_code == 0, dask.output
    assert dask.stdout == pool.stdout and len(dask.stdout.splitlines()) == 5
    assert f"note: {again}: named more than once, read once" in pool.stderr
    assert dask.stderr == pool.stderr
    out = tmp_path / "scored"
    into_dir = invoke("score", str(articles), str(articles), str(again), "--scheduler",
                      client.scheduler.address, "--output-dir", str(out))
    assert into_dir.exit_code == 0, into_dir.output
    notes = [line for line in into_dir.stderr.splitlines() if "named more than once" in line]
    assert notes == [line for line in pool.stderr.splitlines() if "named more than once" in line]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"] == 5


def test_each_worker_compiles_the_rubric_once(client: Client) -> None:
    invoke("score", str(SEEDS), "--format", "json", "--scheduler", client.scheduler.address,
           "--partition-bytes", "1")
    counts = client.run(lambda: cluster.compile_count)
    assert len(counts) == 2
    assert set(counts.values()) <= {0, 1} and sum(counts.values()) >= 1


def test_a_failing_partition_is_retried_then_reported(client: Client,
                                                      tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"Study {name}: mice ran faster, researchers say.\n")
    parts = partitions.plan([tmp_path], local_count, partition_bytes=1)
    outcomes = list(cluster.run_partitions(client, parts, load_default(), task=cluster_tasks.fail_on_b))
    assert [type(o).__name__ for _, _, o in outcomes] == ["PartDone", "PartFailed", "PartDone"]
    assert outcomes[1][2].error == "partition failed after 3 attempts: disk full"  # type: ignore[union-attr]
    assert len((tmp_path / "attempts").read_text().splitlines()) == 3
    assert [r.id for r in outcomes[2][2].results] == ["c.txt"]  # type: ignore[union-attr]


def test_a_partition_that_kills_its_workers_is_reported_and_the_rest_finish(
        client: Client, tmp_path: Path) -> None:
    for name in ("a", "b", "c", "d"):
        (tmp_path / f"{name}.txt").write_text(f"Study {name}: mice ran faster, researchers say.\n")
    parts = partitions.plan([tmp_path], local_count, partition_bytes=1)
    outcomes = list(cluster.run_partitions(client, parts, load_default(), task=cluster_tasks.kill_on_b))
    assert [type(o).__name__ for _, _, o in outcomes] == ["PartDone", "PartFailed", "PartDone",
                                                          "PartDone"]
    assert outcomes[1][2].error == "partition failed: the workers running it died"  # type: ignore[union-attr]
    assert [r.id for _, _, o in outcomes[2:] for r in o.results] == ["c.txt", "d.txt"]  # type: ignore[union-attr]
    client.wait_for_workers(2, timeout=30)  # the nannies start new workers


def load_default():  # type: ignore[no-untyped-def]
    from credscore.rubric.load import load_rubric

    return load_rubric().rubric


def test_score_bag_turns_documents_into_results(client: Client) -> None:
    import dask.bag as db

    from credscore.engine.compile import compile_rubric
    from credscore.engine.score import score
    from credscore.parse import parse

    seed = (SEEDS / "003_d539d7beac747833.txt").read_text(encoding="utf-8")
    items = [
        Document(id="doc", source="memory", format="text", content=seed),
        {"id": "obj", "text": seed},
        json.dumps({"id": "line", "html": f"<p>{seed}</p>"}),
        {"text": "no id"},
        "  \n",  # a blank JSONL line, skipped
        "{not json",
    ]
    results = client.compute(cluster.score_bag(db.from_sequence(items, npartitions=2))).result()
    assert [type(r).__name__ for r in results] == ["DocumentScore"] * 3 + ["ReadError"] * 2
    assert [r.id for r in results[:3]] == ["doc", "obj", "line"]  # type: ignore[union-attr]
    expected = score(parse(items[0]), compile_rubric(load_default()))  # type: ignore[arg-type]
    assert results[0] == expected and isinstance(results[0], DocumentScore)
    assert results[1].score == expected.score  # type: ignore[union-attr]
    assert isinstance(results[3], ReadError) and results[3].error == "the object has no 'id'"


def test_a_stopped_run_into_a_folder_says_what_it_left_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A cluster run stopped by Ctrl-C left its finished part files and no manifest; the next run
    # then refused the folder as not empty, and the stop message said nothing of it.
    import signal

    from credscore import cli
    from credscore.interrupt import Interrupted

    def stopped(*args: object, **kwargs: object) -> None:
        raise Interrupted(signal.SIGINT)

    monkeypatch.setattr(cli, "open_cluster", lambda ctx, scheduler: object())
    monkeypatch.setattr(cluster, "write_partitions", stopped)
    out = tmp_path / "od"
    with pytest.raises(Interrupted) as stop:  # main() prints it with its notes
        runner.invoke(app, ["score", str(SEEDS), "--scheduler", "local:1",
                            "--output-dir", str(out), "-f", "jsonl"])
    (note,) = stop.value.__notes__
    assert str(out) in note and "no manifest.json" in note and "empty it" in note


def test_cluster_results_from_python_read_a_path_inside_a_folder_as_part_of_it(
        client: Client, tmp_path: Path) -> None:
    """Called from Python without ``once``, a cluster run knows its folders as a local one
    does: a file inside a folder named after it gets the folder's id, in either order."""
    from credscore.rubric.load import load_rubric

    top = tmp_path / "n"
    (top / "sub").mkdir(parents=True)
    shutil.copy(SEEDS / "000_e86d7793d9eecfab.txt", top / "sub" / "a.txt")
    shutil.copy(SEEDS / "001_c0d4a17b255ad03a.txt", top / "b.txt")
    rubric = load_rubric().rubric
    for paths in ([str(top / "sub" / "a.txt"), str(top)], [str(top), str(top / "sub" / "a.txt")]):
        ids = [r.id for r in cluster.cluster_results(client, paths, rubric, "score")
               if isinstance(r, DocumentScore)]
        assert ids == ["b.txt", "sub/a.txt"]
