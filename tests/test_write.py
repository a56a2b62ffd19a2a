"""Outputs are written whole or not at all, never over an input, and never read back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore import cli
from credscore.write import atomic_output

from .conftest import ROOT, SEEDS

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(cli.app, list(args), catch_exceptions=False)


@pytest.fixture
def no_scoring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scoring anything fails the test: what is checked here must be refused before it."""
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("scoring started")

    monkeypatch.setattr(cli, "score_stream", refuse)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "markdown", "html", "table"])
def test_an_output_that_is_an_input_is_refused_before_scoring(tmp_path: Path, no_scoring,
                                                              fmt: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Mice ran. It may help.")
    result = invoke("score", str(article), "--format", fmt, "-o", str(article))
    assert result.exit_code == 2
    assert "is also an input" in result.stderr
    assert article.read_text() == "Mice ran. It may help."


def test_the_rubric_and_labels_are_inputs_too(tmp_path: Path, no_scoring) -> None:
    rubric = tmp_path / "r.yaml"
    shutil.copy(ROOT / "rubric" / "default.yaml", rubric)
    before = rubric.read_bytes()
    assert invoke("score", str(SEEDS), "-r", str(rubric), "-o", str(rubric)).exit_code == 2
    assert invoke("rubric", "docs", str(rubric), "-o", str(rubric)).exit_code == 2
    labels = tmp_path / "labels.csv"
    shutil.copy(ROOT / "examples" / "seed-labels.csv", labels)
    result = invoke("evaluate", str(SEEDS), "--labels", str(labels), "--rating", "rating",
                    "-o", str(labels))
    assert result.exit_code == 2
    assert rubric.read_bytes() == before
    assert labels.read_bytes() == (ROOT / "examples" / "seed-labels.csv").read_bytes()


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "html"])
def test_an_output_that_cannot_be_written_is_reported_before_scoring(tmp_path: Path, no_scoring,
                                                                     fmt: str) -> None:
    out = tmp_path / "no" / "such" / "folder" / "out"
    result = invoke("score", str(SEEDS), "--format", fmt, "-o", str(out))
    assert result.exit_code == 2
    assert f"cannot write {out}" in result.stderr


def test_a_folder_as_output_is_refused(tmp_path: Path, no_scoring) -> None:
    result = invoke("score", str(SEEDS), "--format", "json", "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_a_failure_midway_leaves_nothing_under_the_name(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    with pytest.raises(RuntimeError), atomic_output(out) as handle:
        handle.write("half of it")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []
    out.write_text("earlier")
    with pytest.raises(RuntimeError) as caught, atomic_output(out) as handle:
        handle.write("half of it")
        raise RuntimeError("disk full")
    assert out.read_text() == "earlier"
    assert list(tmp_path.iterdir()) == [out]
    assert f"nothing was written to {out}" in caught.value.__notes__


def test_a_complete_output_replaces_the_old_one_with_its_permissions(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.txt"
    with atomic_output(fresh) as handle:
        handle.write("new")
    mask = os.umask(0)
    os.umask(mask)
    assert fresh.read_text() == "new"
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask
    old = tmp_path / "old.txt"
    old.write_text("old")
    old.chmod(0o640)
    with atomic_output(old) as handle:
        handle.write("new")
    assert old.read_text() == "new" and old.stat().st_mode & 0o777 == 0o640


def test_an_output_that_is_a_symbolic_link_updates_the_file_it_points_to(tmp_path: Path) -> None:
    """``-o latest.html`` where latest.html links to the published report writes that report,
    as ``> latest.html`` would; the link stays a link (it was replaced by a file of its own)."""
    site = tmp_path / "www"
    site.mkdir()
    target = site / "report.html"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "latest.html"
    link.symlink_to(Path("www") / "report.html")
    result = invoke("report", str(SEEDS / "002_e783488c8f71499a.txt"), "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.html", "www"]
    assert sorted(p.name for p in site.iterdir()) == ["report.html"]


def test_a_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    result = invoke("score", str(SEEDS / "002_e783488c8f71499a.txt"), "--format", "json",
                    "-o", os.devnull)
    assert result.exit_code == 0
    assert Path(os.devnull).is_char_device()


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-m", "credscore", *args], timeout=120, check=False,
                          **kwargs)


def test_dev_stdout_appends_where_the_shell_redirects_it(tmp_path: Path) -> None:
    """``-o /dev/stdout >> log`` adds to the log, as ``>> log`` alone does: the file the shell
    opened is written through its descriptor, not replaced by a new file."""
    log = tmp_path / "log.txt"
    log.write_text("kept\n")
    article = str(SEEDS / "002_e783488c8f71499a.txt")
    with log.open("a") as out:
        result = _run(["score", article, "-f", "csv", "-o", "/dev/stdout"], stdout=out,
                      stderr=subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    lines = log.read_text().splitlines()
    assert lines[0] == "kept" and lines[1].startswith("id,title,words,score,grade")
    assert len(lines) == 3
    assert result.stderr.decode().strip() == "wrote /dev/stdout (1 article)"


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_a_name_of_standard_output_writes_into_a_pipe(name: str) -> None:
    if not Path(name).exists():
        pytest.skip(f"{name} is not on this system")
    result = _run(["report", str(SEEDS / "002_e783488c8f71499a.txt"), "-o", name],
                  capture_output=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"<!DOCTYPE html>") and result.stdout.rstrip().endswith(
        b"</html>")


def test_a_descriptor_that_is_not_open_is_refused_before_scoring(no_scoring) -> None:
    fd = os.open(os.devnull, os.O_RDONLY)
    os.close(fd)  # a descriptor number that is free now
    result = invoke("score", str(SEEDS / "002_e783488c8f71499a.txt"), "-o", f"/dev/fd/{fd}")
    assert result.exit_code == 2
    assert f"cannot write /dev/fd/{fd}" in result.output


def test_other_names_of_standard_output_write_through_it_too(tmp_path: Path) -> None:
    """A link to /dev/stdout, or a name spelled another way, is the same descriptor."""
    link = tmp_path / "out.csv"
    link.symlink_to("/dev/stdout")
    article = str(SEEDS / "002_e783488c8f71499a.txt")
    for name in (str(link), "//dev/stdout", "/dev//stdout"):
        result = _run(["score", article, "-f", "csv", "-o", name], capture_output=True)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().startswith("id,title,words,score,grade"), name
    assert link.is_symlink()


def test_a_descriptor_credscore_was_not_handed_is_refused(tmp_path: Path, no_scoring) -> None:
    """A descriptor the process opened for itself (never inheritable) is not an output: writing
    there would go into a file or socket of its own."""
    with (tmp_path / "own.txt").open("w") as own:
        result = invoke("score", str(SEEDS / "002_e783488c8f71499a.txt"),
                        "-o", f"/dev/fd/{own.fileno()}")
    assert result.exit_code == 2
    assert "was not handed to credscore" in result.output
    assert (tmp_path / "own.txt").read_text() == ""


def test_a_descriptor_open_for_reading_is_refused_before_scoring(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("nothing")
    with source.open() as stdin:
        result = _run(["score", str(SEEDS), "-o", "/dev/stdin"], stdin=stdin,
                      capture_output=True)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "error: cannot write /dev/stdin: the descriptor 0 is open for reading only")
    assert source.read_text() == "nothing"


def test_standard_output_appended_to_an_article_of_a_scanned_folder_is_refused(
        tmp_path: Path) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("the system does not say which file a descriptor is open on")
    folder = tmp_path / "articles"
    folder.mkdir()
    article = folder / "a.txt"
    article.write_text((SEEDS / "002_e783488c8f71499a.txt").read_text())
    before = article.read_text()
    with article.open("a") as out:
        result = _run(["score", str(folder), "-f", "jsonl", "-o", "/dev/stdout"], stdout=out,
                      stderr=subprocess.PIPE)
    assert result.returncode == 2
    assert "is an article in" in result.stderr.decode()
    assert article.read_text() == before


def test_calibrate_writes_a_rubric_file_not_a_descriptor(no_scoring) -> None:
    result = invoke("calibrate", str(SEEDS), "--labels", str(ROOT / "examples" / "seed-labels.csv"),
                    "--rating", "rating", "-o", "/dev/stdout")
    assert result.exit_code == 2
    assert "calibrate writes a rubric file" in result.output


def test_a_read_only_file_is_not_replaced(tmp_path: Path, no_scoring) -> None:
    if os.geteuid() == 0:
        pytest.skip("the superuser may write any file")
    old = tmp_path / "out.csv"
    old.write_text("old")
    old.chmod(0o444)
    result = invoke("score", str(SEEDS / "002_e783488c8f71499a.txt"), "-o", str(old))
    assert result.exit_code == 2
    assert "the file is read-only" in result.output
    assert old.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "out.jsonl"), ("markdown", "out.md"),
                                           ("html", "out.html")])
def test_an_output_in_a_scanned_folder_is_not_read_back(tmp_path: Path, fmt: str,
                                                        name: str) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    out = folder / name
    for _ in range(2):  # the second run finds the first run's output in the folder
        result = invoke("score", str(folder), "--format", fmt, "-o", str(out), "-j", "1")
        assert result.exit_code == 0, result.stderr
    scan = invoke("score", str(folder), "--format", "json", "-o", str(tmp_path / "c.json"))
    check = json.loads((tmp_path / "c.json").read_text())
    read = [d["id"] for d in check["documents"]] + [Path(e["path"]).name for e in check["errors"]]
    # A later scan of the folder does not read it either, and says so.
    assert not any(r.startswith(name) for r in read) and len(read) == 5
    assert f"{out}: not read, an output of credscore" in scan.stderr
    if fmt == "jsonl":
        assert len(out.read_text().splitlines()) == 5
    else:
        assert out.read_text().count(name) == 0


@pytest.mark.parametrize("name", ["r" * 250 + ".csv", "\u00e9" * 125 + ".csv"])
def test_an_output_whose_name_is_near_the_longest_allowed_is_written(tmp_path: Path,
                                                                     name: str) -> None:
    # The temporary name adds a dot, eight characters and ".tmp": for a name of 242 bytes or
    # more it was too long for the file system, and a valid output was refused.
    out = tmp_path / name
    result = invoke("score", str(SEEDS), "-f", "csv", "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("id,title,")
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("args", [["score", str(SEEDS), "-f", "csv"], ["report", str(SEEDS)],
                                  ["rubric", "docs", str(ROOT / "rubric" / "default.yaml")]])
def test_dash_as_the_output_is_refused_not_written_as_a_file(tmp_path: Path, no_scoring,
                                                             args: list[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # '-o -' (standard output, to many tools) quietly wrote a file named '-'.
    monkeypatch.chdir(tmp_path)
    result = invoke(*args, "-o", "-")
    assert result.exit_code == 2 and "-o - would write a file named '-'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_dash_as_an_input_says_it_is_not_standard_input(no_scoring) -> None:
    result = invoke("score", "-")
    assert result.exit_code == 2
    assert "'-' is not standard input" in result.stderr


SEED = str(SEEDS / "002_e783488c8f71499a.txt")
RUBRIC = str(ROOT / "rubric" / "default.yaml")
LABELS = str(ROOT / "examples" / "seed-labels.csv")


@pytest.mark.parametrize(("args", "name", "starts"), [
    (["score", SEED], "scores.csv", "id,title,words,score,grade,"),
    (["score", SEED], "scores.JSON", '{\n  "credscore_version"'),
    (["score", SEED], "scores.jsonl", '{"id":'),
    (["score", SEED], "scores.md", "# Credibility report"),
    (["score", SEED], "scores.htm", "<!DOCTYPE html>"),
    (["report", SEED], "report.md", "# Credibility report"),
    (["report", SEED], "report.markdown", "# Credibility report"),
    (["evaluate", str(SEEDS), "-l", LABELS, "--rating", "rating"], "eval.md",
     "# Agreement with expert labels"),
    (["evaluate", str(SEEDS), "-l", LABELS, "--rating", "rating"], "eval.json", '{\n  "rubric"'),
    (["diff", SEED, "-r", RUBRIC, "-a", RUBRIC], "diff.json", '{\n  "old_rubric"'),
    (["rubric", "show", RUBRIC], "resolved.json", '{"id":"default"'),
    (["rubric", "show", RUBRIC], "resolved.yml", "# default "),
])
def test_without_format_the_output_extension_chooses_it(tmp_path: Path, args: list[str],
                                                        name: str, starts: str) -> None:
    # `score seeds/ -o scores.csv` wrote the terminal table into scores.csv, and `report -o
    # report.md` wrote HTML, both with exit code 0.
    out = tmp_path / name
    result = invoke(*args, "-o", str(out), *(["-j", "1"] if args[0] != "rubric" else []))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith(starts)


@pytest.mark.parametrize(("args", "name", "fmt", "named"), [
    (["score", SEED], "scores.csv", "table", "CSV"),
    (["score", SEED], "scores.json", "jsonl", "JSON"),
    (["report", SEED], "report.md", "html", "Markdown"),
    (["evaluate", SEED, "-l", LABELS, "--rating", "rating"], "eval.json", "markdown", "JSON"),
    (["diff", SEED, "-r", RUBRIC, "-a", RUBRIC], "diff.json", "table", "JSON"),
    (["rubric", "show", RUBRIC], "resolved.yaml", "json", "YAML"),
])
def test_a_format_that_contradicts_the_output_extension_is_refused(
        tmp_path: Path, no_scoring, args: list[str], name: str, fmt: str, named: str) -> None:
    out = tmp_path / name
    result = invoke(*args, "--format", fmt, "-o", str(out))
    assert result.exit_code == 2
    assert f"--format {fmt} does not match the output {out}" in result.stderr
    assert f"names {named}" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(("args", "name", "starts"), [
    (["score", SEED], "scores.txt", "credscore - "),  # no format's extension: the default
    (["score", SEED, "-f", "csv"], "scores.txt", "id,title,"),
    (["score", SEED, "-f", "csv"], "scores.csv", "id,title,"),  # agreeing: as asked
    (["diff", SEED, "-r", RUBRIC, "-a", RUBRIC], "diff.md", "0 up, 0 down"),  # not one of diff's
])
def test_other_extensions_keep_the_format_asked_for_or_the_default(
        tmp_path: Path, args: list[str], name: str, starts: str) -> None:
    out = tmp_path / name
    result = invoke(*args, "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").lstrip().startswith(starts)
    assert ("which diff does not write" in result.stderr) == (name == "diff.md")


@pytest.mark.parametrize(("args", "name", "named", "writes", "starts"), [
    (["evaluate", SEED, "-l", LABELS, "--rating", "rating", "-j", "1"], "eval.csv", "CSV",
     "table, json, markdown", "Agreement"),
    (["diff", SEED, "-r", RUBRIC, "-a", RUBRIC, "-j", "1"], "d.md", "Markdown", "table, json",
     "0 up, 0 down"),
    (["report", SEED, "-j", "1"], "report.json", "JSON", "html, markdown", "<!doctype html>"),
    (["rubric", "show", RUBRIC], "resolved.md", "Markdown", "yaml, json", "# default "),
])
def test_an_extension_naming_a_format_the_command_cannot_write_is_warned_about(
        tmp_path: Path, args: list[str], name: str, named: str, writes: str, starts: str) -> None:
    # `evaluate ... -o eval.csv` silently wrote the table into eval.csv: the name says CSV. The
    # file is still written as the command's default (README: any other name gets it).
    out = tmp_path / name
    result = invoke(*args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    command = " ".join(args[:2] if args[0] == "rubric" else args[:1])
    assert (f"warning: {out}: its extension {out.suffix} names {named}, which {command} does "
            f"not write") in result.stderr
    assert f"({command} writes {writes}: choose one with --format)" in result.stderr
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith(starts.lower())
    asked = invoke(*args, "-o", str(out), "--format", writes.split(", ")[0])
    assert asked.exit_code == 0 and "does not write" not in asked.stderr  # as asked: no warning


@pytest.mark.parametrize(("command", "name"), [
    (["score", SEED], "a.yaml"), (["report", SEED], "a.yaml"),
    (["evaluate", SEED, "-l", LABELS, "--rating", "rating"], "a.yaml"),
    (["diff", SEED, "-a", RUBRIC], "a.yaml"), (["rubric", "show"], "a.md")])
def test_an_output_refused_as_an_input_is_not_warned_about_as_written(
        tmp_path: Path, no_scoring, command: list[str], name: str) -> None:
    # -o naming a lexicon file of the rubric, whose extension names a format the command does not
    # write: the warning "the table is written there" came before the refusal, and nothing was
    # written.
    lexicon = tmp_path / "lists" / name
    lexicon.parent.mkdir()
    lexicon.write_text("lexicons:\n  extra_words: [remarkably]\n")
    rubric = tmp_path / "lx1.yaml"
    rubric.write_text(f'extends: {RUBRIC}\nid: lx1\nversion: "1"\nlexicon_files: [lists/{name}]\n')
    args = [*command, str(rubric)] if command[0] == "rubric" else [*command, "-r", str(rubric)]
    result = invoke(*args, "-o", str(lexicon))
    assert result.exit_code == 2
    assert result.stderr == (f"error: the output {lexicon} is also an input of this run; write to "
                             "another file\n")
    assert lexicon.read_text() == "lexicons:\n  extra_words: [remarkably]\n"


def test_an_evaluation_refused_for_its_rating_field_is_not_warned_about_as_written(
        tmp_path: Path, no_scoring) -> None:
    out = tmp_path / "eval.csv"
    result = invoke("evaluate", SEED, "-l", LABELS, "--rating", "nosuch", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (f"error: --rating 'nosuch': {LABELS} has no such column, or it is "
                             "blank in every row; the columns with numbers are: rating\n")
    assert not out.exists()


def test_a_second_stop_signal_ends_at_once_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    # timeout -s INT signals the process and then its group a few milliseconds apart: the
    # second signal ended the process while the first was being handled, and the output's
    # temporary file was left beside it.
    import signal

    out = tmp_path / "scores.jsonl"
    out.write_text("good\n", encoding="utf-8")
    script = (
        "import os, signal, pathlib\n"
        "from credscore.interrupt import Interrupted, signals_raise\n"
        "from credscore.write import atomic_output\n"
        "with signals_raise():\n"
        f"    with atomic_output(pathlib.Path({str(out)!r})) as f:\n"
        "        f.write('partial')\n"
        "        try:\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        except Interrupted:\n"
        "            pass  # as if the first were still being handled\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert done.returncode == -signal.SIGINT
    assert out.read_text(encoding="utf-8") == "good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.jsonl"]
