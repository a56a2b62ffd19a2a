"""A file the paths of a run name more than once (a folder given twice, a folder and a file in
it, a link to either) is read once; URLs and the lines of JSONL files are kept as given."""

from __future__ import annotations

import json
import os
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


@pytest.mark.parametrize(("again", "notes"), [
    ([SEEDS], [f"{SEEDS.as_posix()}/{p.name}: named more than once, read once"
               for p in sorted(SEEDS.iterdir())]),
    ([FIRST], [f"{FIRST.as_posix()}: in {SEEDS.as_posix()}, read as part of it"]),
    ([FIRST, SEEDS / ".." / SEEDS.name], [f"{FIRST.as_posix()}: in {SEEDS.as_posix()}, read as "
                                          "part of it"]),
])
def test_score_reads_a_file_named_twice_once(again: list[Path], notes: list[str]) -> None:
    # `score seeds/ seeds/` scored ten articles, and `score seeds/ seeds/000_*.txt` six, with
    # only a warning that ids were shared.
    result = invoke("score", SEEDS, *again, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in json.loads(result.stdout)["documents"]] == sorted(
        p.name for p in SEEDS.iterdir())
    said = [line.removeprefix("note: ") for line in result.stderr.splitlines()]
    assert said[: len(notes)] == notes[:5]
    assert "more than one document has the id" not in result.stderr


def test_a_file_in_a_folder_also_named_is_read_as_part_of_it_whatever_the_order(
        tmp_path: Path) -> None:
    """The id of a file two paths reach does not hang on which was given first: it is read as
    part of the outermost folder named (so `sub/a.txt`, never `a.txt` in one run and
    `sub/a.txt` in another), and the JSON output is the same bytes in any order."""
    top = tmp_path / "n"
    (top / "sub").mkdir(parents=True)
    shutil.copy(FIRST, top / "sub" / "a.txt")
    shutil.copy(SEEDS / "001_c0d4a17b255ad03a.txt", top / "b.txt")
    (tmp_path / "link").symlink_to(top / "sub", target_is_directory=True)
    orders = [[top, top / "sub" / "a.txt"], [top / "sub" / "a.txt", top],
              [top / "sub", top], [tmp_path / "link", top / "sub", top / "sub" / "a.txt", top]]
    outputs = set()
    for paths in orders:
        found = list(read_paths(paths))
        assert [d.id for d in found if isinstance(d, Document)] == ["b.txt", "sub/a.txt"]
        result = invoke("score", *paths, "-f", "json")
        assert result.exit_code == 0, result.stderr
        outputs.add(result.stdout)
        assert f"in {top.as_posix()}, read as part of it" in result.stderr
    assert len(outputs) == 1


def test_a_hidden_or_unread_file_named_in_a_folder_is_still_read(tmp_path: Path) -> None:
    """A path the folder's walk would not take (a hidden file, a hidden folder, a file without
    an article's extension) is read where it is named: nothing is lost to the folder."""
    top = tmp_path / "n"
    (top / ".hidden").mkdir(parents=True)
    for name in (".dot.txt", "notes.data", ".hidden/a.txt"):
        shutil.copy(FIRST, top / name)
    shutil.copy(SEEDS / "001_c0d4a17b255ad03a.txt", top / "b.txt")
    paths = [top / ".dot.txt", top / "notes.data", top / ".hidden", top]
    found = [d.id for d in read_paths(paths) if isinstance(d, Document)]
    assert found == [".dot.txt", "notes.data", "a.txt", "b.txt"]


def test_without_the_runs_folders_a_file_is_read_where_it_is_first_named() -> None:
    once = ReadOnce()  # knows no folder: the first path that reaches a file reads it
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
    note = ("read as part of it" if FIRST in command else "named more than once, read once")
    assert note in result.stderr
    if command[0] == "report":
        assert "5 articles" in result.stderr
    elif command[0] == "evaluate":
        assert json.loads(result.stdout)["labelled"] == 5
    elif command[0] == "diff":
        data = json.loads(result.stdout)
        assert data["up"] + data["down"] + data["unchanged"] == 5
    else:
        assert "carried by more than one" not in result.stderr


def test_a_path_inside_a_folder_that_cannot_be_listed_is_read_where_it_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder that can be entered but not listed (a shared home at mode 711): the outer
    folder's walk reads nothing below it, so a file named inside it is read where it is named,
    not left to that walk and lost."""
    top = tmp_path / "n"
    (top / "locked").mkdir(parents=True)
    shutil.copy(FIRST, top / "locked" / "a.txt")
    locked = os.path.realpath(top / "locked")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: (
        os.path.realpath(path) != locked and real_access(path, mode)))
    once = ReadOnce.over([top, top / "locked" / "a.txt", top / "locked"])
    assert once.holder(os.path.realpath(top), set(), itself=True) == top.as_posix()
    assert once.holder(locked, set(), itself=True) is None
    assert once.holder(locked, set()) is None
