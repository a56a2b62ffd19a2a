"""A file the paths of a run name more than once (a folder given twice, a folder and a file in
it, a link to either) is read once; URLs and the lines of JSONL files are kept as given."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore import partitions
from credscore.cli import app
from credscore.models import Document
from credscore.read import read_paths, read_tasks
from credscore.read.files import ReadOnce
from credscore.read.warc import SkippedRecords

from .conftest import ROOT, SEEDS

runner = CliRunner()
FIRST = SEEDS / "000_e86d7793d9eecfab.txt"
RUBRIC = str(ROOT / "rubric" / "default.yaml")


def invoke(*args: str | Path):
    return runner.invoke(app, [*map(str, args), "-j", "1"], catch_exceptions=False)


@pytest.mark.parametrize("again", [[SEEDS], [FIRST], [FIRST, SEEDS / ".." / SEEDS.name]])
def test_score_reads_a_file_named_twice_once(again: list[Path]) -> None:
    # `score seeds/ seeds/` scored ten articles, and `score seeds/ seeds/000_*.txt` six, with
    # only a warning that ids were shared.
    result = invoke("score", SEEDS, *again, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in json.loads(result.stdout)["documents"]] == sorted(
        p.name for p in SEEDS.iterdir())
    assert "named more than once, read once" in result.stderr
    assert "more than one document has the id" not in result.stderr


def test_a_file_is_read_where_it_is_first_named(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    (tmp_path / "link").symlink_to(folder, target_is_directory=True)
    found = list(read_paths([folder / FIRST.name, tmp_path / "link", folder]))
    assert all(isinstance(d, Document) for d in found)
    # Named first on its own, then the rest through the link; the folder itself adds nothing.
    assert [d.source for d in found] == [(folder / FIRST.name).as_posix()] + [
        (tmp_path / "link" / p.name).as_posix() for p in sorted(SEEDS.iterdir())[1:]]
    once = ReadOnce()
    list(read_tasks([FIRST, SEEDS, FIRST], once=once))
    assert once.count == 2 and once.lines() == [f"{FIRST.as_posix()}: named more than once, "
                                                "read once"] * 2


def test_jsonl_lines_and_urls_are_kept_as_given(tmp_path: Path) -> None:
    lines = tmp_path / "two.jsonl"
    lines.write_text(json.dumps({"id": "same", "text": "Mice ran."}) + "\n"
                     + json.dumps({"id": "same", "text": "Mice ran."}) + "\n")
    url = "https://example.org/a"
    tasks = list(read_tasks([lines, url, lines, url]))
    assert len(tasks) == 4  # the two lines of the file named once, and the URL twice
    assert [type(t).__name__ for t in tasks] == ["LineTask", "LineTask", "UrlTask", "UrlTask"]


def test_a_cluster_plan_reads_each_file_once_as_the_local_reader_does(tmp_path: Path) -> None:
    def count(path: str, ranges: list[tuple[int, int]]) -> list[int]:
        return [partitions.count_newlines(path, start, end) for start, end in ranges]

    args = [SEEDS, FIRST, SEEDS]
    parts = list(partitions.plan(args, count))
    items = [i for p in parts for i in partitions.part_items(p, SkippedRecords())]
    assert items == list(read_tasks(args)) and len(items) == 5


@pytest.mark.parametrize("command", [
    ["report", SEEDS, FIRST, "-f", "markdown"],
    ["evaluate", SEEDS, SEEDS, "-l", ROOT / "examples" / "seed-labels.csv", "--rating", "rating",
     "-f", "json"],
    ["diff", SEEDS, FIRST, "-r", RUBRIC, "-a", RUBRIC, "-f", "json"],
    ["calibrate", SEEDS, FIRST, "-l", ROOT / "examples" / "seed-labels.csv", "--rating", "rating",
     "--folds", "2", "--dry-run", "-f", "json"],
])
def test_every_command_that_takes_paths_reads_a_file_named_twice_once(
        tmp_path: Path, command: list[str | Path]) -> None:
    # evaluate and calibrate left out every labelled id as carried by two articles.
    out = tmp_path / "out.md"
    args = [*command, "-o", out] if command[0] == "report" else command
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert "named more than once, read once" in result.stderr
    if command[0] == "report":
        assert "5 articles" in result.stderr
    elif command[0] == "evaluate":
        assert json.loads(result.stdout)["labelled"] == 5
    elif command[0] == "diff":
        data = json.loads(result.stdout)
        assert data["up"] + data["down"] + data["unchanged"] == 5
    else:
        assert "carried by more than one" not in result.stderr
