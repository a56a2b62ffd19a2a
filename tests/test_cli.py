from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore.cli import app
from credscore.models import ReadError
from credscore.read.files import LineTask, jsonl_lines, jsonl_tasks
from credscore.read.urls import url_lines

from .conftest import ROOT, SEEDS, default_rubric_copy

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def seeds_json() -> dict:
    result = invoke("score", str(SEEDS), "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_score_json_contract(seeds_json: dict) -> None:
    assert set(seeds_json) == {"credscore_version", "rubric", "documents", "errors"}
    assert set(seeds_json["rubric"]) == {"id", "version", "sha256"}
    assert len(seeds_json["documents"]) == 5
    assert seeds_json["errors"] == []
    for doc in seeds_json["documents"]:
        assert set(doc) == {"id", "title", "words", "score", "grade", "criteria", "errors"}
        assert 0 <= doc["score"] <= 100
        for c in doc["criteria"]:
            assert set(c) == {"id", "name", "weight", "score", "verdict", "explanation", "findings"}
            assert c["score"] is None or 0 <= c["score"] <= 1
            for f in c["findings"]:
                assert set(f) == {"signal", "zone", "start", "end", "text", "sentence", "points"}


def test_finding_spans_index_the_normalised_text(seeds_json: dict) -> None:
    checked = 0
    for doc in seeds_json["documents"]:
        parsed = json.loads(invoke("parse", str(SEEDS / doc["id"]), "--format", "json").stdout)
        for c in doc["criteria"]:
            for f in c["findings"]:
                assert parsed["text"][f["start"]:f["end"]] == f["text"]
                checked += 1
    assert checked > 20


def test_json_is_byte_identical_and_order_independent(tmp_path: Path) -> None:
    files = sorted(SEEDS.iterdir())
    one = invoke("score", *map(str, files), "--format", "json", "--jobs", "1").stdout
    two = invoke("score", *map(str, reversed(files)), "--format", "json", "--jobs", "1").stdout
    three = invoke("score", *map(str, files), "--format", "json", "--jobs", "2").stdout
    assert one == two == three


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "markdown", "html"])
def test_lone_surrogates_in_jsonl_become_replacement_characters(tmp_path: Path, fmt: str) -> None:
    corpus = tmp_path / "corpus.jsonl"
    # JSON escapes for half of a surrogate pair: valid JSON, but not text any file can hold
    corpus.write_text('{"id": "a\\udc80", "title": "T \\udc80", "text": "Studies show \\ud800 it '
                      'works."}\n{"id": "b", "text": "Mice ran."}\n', encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    result = invoke("score", str(corpus), "--format", fmt, "--jobs", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    assert "\ufffd" in written or "\\ufffd" in written


def test_jsonl_streams_one_document_per_line() -> None:
    result = invoke("score", str(SEEDS), "--format", "jsonl", "--jobs", "1")
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["id"] for line in lines] == sorted(p.name for p in SEEDS.iterdir())


def test_jsonl_input(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "title": "Mice run faster", "text": "Mice ran. It may help."}) + "\n"
        + "not json\n"
        + json.dumps({"id": "b", "html": "<p>Studies have shown it works.</p>"}) + "\n"
        + json.dumps({"id": "c"}) + "\n")
    result = invoke("score", str(corpus), "--format", "json", "--jobs", "1")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["a", "b"]
    assert data["documents"][0]["title"] == "Mice run faster"
    errors = {e["path"]: e["error"] for e in data["errors"]}
    assert errors[f"{corpus.as_posix()}:2"] == "not valid JSON: Expecting value: column 1"
    assert "no 'text' or 'html'" in errors[f"{corpus.as_posix()}:4"]


def test_jsonl_lines_that_cannot_be_articles_say_why(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "h", "html": " "}\n{"id": "n", "text": ' + "9" * 5000 + "}\n"
                      + '{"id": "d", "text": ' + "[" * 5000 + "]" * 5000 + "}\n"
                      + '{"id": "ok", "text": "Mice ran."}\n')
    result = invoke("score", str(corpus), "--format", "json", "--jobs", "1")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["ok"]
    errors = {e["path"].rsplit(":", 1)[1]: e["error"] for e in data["errors"]}
    assert errors == {"1": "'html' is empty",
                      "2": "not readable: a number of thousands of digits",
                      "3": "not readable: JSON nested too deeply"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_jsonl_line_over_max_bytes_is_skipped_without_being_held(
        tmp_path: Path, encoding: str) -> None:
    limit = 1000
    lines = ['{"id": "a", "text": "Mice ran."}', '{"id": "long", "text": "' + "x" * 300_000 + '"}',
             " " * 300_000, " " * 5000 + '{"id": "spaced", "text": "Mice ran."}', "",
             '{"id": "edge", "text": "' + "y" * (limit - 26) + '"}',
             '{"id": "fits", "text": "' + "z" * (limit - 27) + '"}', '{"id": "b", "text": "Rats."}']
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    assert len(lines[5]) == limit  # with its newline, one byte over: refused as it always was
    assert len(lines[6]) == limit - 1
    held: list[int] = []
    with corpus.open("rb") as handle:
        readline = handle.readline

        def spy(size: int = -1) -> bytes:
            assert 0 < size <= 64 * 1024  # never a whole line, whatever its length
            piece = readline(size)
            held.append(len(piece))
            return piece

        handle.readline = spy  # type: ignore[method-assign]
        tasks = list(jsonl_tasks(jsonl_lines(handle, limit), "c.jsonl", limit))
    assert encoding != "utf-8" or max(held) <= 64 * 1024
    over = "line is over the 1,000 bytes limit for one article (raise it with --max-bytes)"
    assert [(t.path, t.error) for t in tasks if isinstance(t, ReadError)] == [
        (f"c.jsonl:{n}", over) for n in (2, 4, 6)]
    assert [t.where for t in tasks if isinstance(t, LineTask)] == ["c.jsonl:1", "c.jsonl:7", "c.jsonl:8"]
    result = invoke("score", str(corpus), "--format", "json", "--jobs", "1", "--max-bytes",
                    str(limit))
    data = json.loads(result.stdout)
    assert sorted(d["id"] for d in data["documents"]) == ["a", "b", "fits"]
    assert [e["path"].rsplit(":", 1)[1] for e in data["errors"]] == ["2", "4", "6"]


def test_a_urls_file_must_be_a_file_or_a_pipe_with_urls_of_bounded_length(tmp_path: Path) -> None:
    for path in (tmp_path, Path("/dev/zero")):
        result = runner.invoke(app, ["score", "--urls", str(path)])
        assert result.exit_code == 2
        assert "not a file or a pipe (a folder or a device)" in result.output, result.output
    fifo = tmp_path / "urls.fifo"  # as `--urls <(grep ... list)` gives them
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_text, args=("ftp://example.org/a\n",))
    writer.start()
    result = invoke("score", "--urls", str(fifo), "--format", "json", "--jobs", "1")
    writer.join(10)
    assert [e["path"] for e in json.loads(result.stdout)["errors"]] == ["ftp://example.org/a"]
    listed = tmp_path / "urls.txt"
    listed.write_bytes(b"# list\nftp://example.org/a\nhttp://example.org/" + b"a" * 200_000
                       + b"\n\n ftp://example.org/b\n")
    assert list(url_lines(listed)) == [
        "ftp://example.org/a",
        ReadError(path=f"{listed.as_posix()}:3", error="line is over the 65,536 bytes limit "
                  "for one URL"),
        "ftp://example.org/b"]
    result = invoke("score", "--urls", str(listed), "--format", "json", "--jobs", "1")
    assert result.exit_code == 1
    assert {e["path"] for e in json.loads(result.stdout)["errors"]} == {
        "ftp://example.org/a", f"{listed.as_posix()}:3", "ftp://example.org/b"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
                                      "utf-32-be", "utf-8-sig"])
def test_jsonl_in_utf16_or_utf32_scores_as_its_utf8_twin(tmp_path: Path, encoding: str) -> None:
    # Windows tools write UTF-16 (PowerShell's "> file"); its newline is not the byte 0A, and
    # characters such as U+010A hold that byte, so the file is decoded before it is cut in lines.
    lines = [json.dumps({"id": "a", "text": "Mice ran (\u010a, \u0a0a) after the drug."},
                        ensure_ascii=False),
             "not json",
             json.dumps({"id": "b", "text": "A trial of 400 people found fewer heart attacks."})]
    text = "\n".join(lines) + "\n"
    (tmp_path / "wide").mkdir()
    (tmp_path / "plain").mkdir()
    (tmp_path / "wide" / "c.jsonl").write_bytes(text.encode(encoding))
    (tmp_path / "plain" / "c.jsonl").write_bytes(text.encode("utf-8"))
    for jobs in ("1", "2"):
        wide = invoke("score", str(tmp_path / "wide"), "--format", "jsonl", "--jobs", jobs)
        plain = invoke("score", str(tmp_path / "plain"), "--format", "jsonl", "--jobs", jobs)
        assert wide.exit_code == plain.exit_code == 1
        assert [json.loads(line)["id"] for line in wide.stdout.splitlines()] == ["a", "b"]
        assert wide.stdout == plain.stdout
        assert "c.jsonl:2: not valid JSON" in wide.stderr


def test_a_folder_that_cannot_be_listed_is_an_error_not_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in ("locked", "data.jsonl", "crawl.warc.gz"):  # folders, however named
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text("Mice ran faster.\n")
    (tmp_path / "ok.txt").write_text("A trial of 400 people.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z.txt").write_text("Rats ate less.\n")
    real = os.scandir

    def scandir(path: object = ".") -> object:  # as for a folder without read permission
        if str(path).endswith(("locked", ".jsonl", ".gz")):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    for target, scored in ((tmp_path, ["ok.txt", "sub/z.txt"]), (tmp_path / "locked", [])):
        result = invoke("score", str(target), "--format", "jsonl", "--jobs", "1")
        assert result.exit_code == 1
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == scored
        assert "locked: cannot read: Permission denied" in result.stderr
    result = invoke("score", str(tmp_path), "--format", "jsonl", "--jobs", "1")
    for name in ("data.jsonl", "crawl.warc.gz"):
        assert f"{name}: cannot read: Permission denied" in result.stderr


@pytest.mark.parametrize("command", ["evaluate", "diff", "calibrate"])
def test_commands_that_score_articles_twice_or_against_labels_refuse_urls(command: str) -> None:
    extra = {"evaluate": ["--labels", "l.csv"], "diff": ["--rubric", "r.yaml", "--against", "r.yaml"],
             "calibrate": ["--labels", "l.csv"]}[command]
    result = invoke(command, "https://example.org/a", *extra)
    assert result.exit_code == 2 and "reads files and folders, not URLs" in result.stderr


@pytest.mark.parametrize("command", ["score", "parse", "explain", "evaluate", "diff", "calibrate"])
def test_an_empty_path_is_a_usage_error_not_the_working_folder(command: str) -> None:
    extra = {"evaluate": ["--labels", "l.csv"], "diff": ["--rubric", "r.yaml", "--against", "r.yaml"],
             "calibrate": ["--labels", "l.csv"]}.get(command, [])
    result = invoke(command, "", *extra)
    assert result.exit_code == 2 and "an empty path was given" in result.stderr


def test_table_output_names_each_article() -> None:
    result = invoke("score", str(SEEDS), "--jobs", "1")
    assert result.exit_code == 0
    assert "5 scored, 0 failed" in result.stdout
    assert "000_e86d7793d9eecfab.txt" in result.stdout


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = invoke("score", str(SEEDS), "--format", "json", "-o", str(out), "--jobs", "1")
    assert result.exit_code == 0 and result.stdout == ""
    assert len(json.loads(out.read_text())["documents"]) == 5


def test_missing_path_is_a_usage_error() -> None:
    result = invoke("score", "no/such/dir")
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_broken_rubric_exits_2_with_position(tmp_path: Path) -> None:
    text = (ROOT / "rubric" / "default.yaml").read_text().replace("\n    weight: ", "\n    wieght: ", 1)
    bad = default_rubric_copy(tmp_path, text)
    result = invoke("score", str(SEEDS), "--rubric", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr and "unknown key 'wieght'" in result.stderr


def test_rubric_check_passes_on_default() -> None:
    result = invoke("rubric", "check", str(ROOT / "rubric" / "default.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "examples pass" in result.stderr


def test_rubric_check_fails_on_failing_example(tmp_path: Path) -> None:
    text = (ROOT / "rubric" / "default.yaml").read_text().replace(
        "            - Studies have shown that running improves sleep.\n",
        "            - Running improves sleep.\n")
    bad = default_rubric_copy(tmp_path, text)
    result = invoke("rubric", "check", str(bad))
    assert result.exit_code == 2
    assert "vague_appeal: should match but does not: 'Running improves sleep.'" in result.stderr
    # The failure is placed at the example's line and column in the file.
    line = text[:text.index("            - Running improves sleep.")].count("\n") + 1
    assert f"{bad}:{line}:15: primary_sources.vague_appeal: should match" in result.stderr


def test_rubric_schema_is_json_schema() -> None:
    schema = json.loads(invoke("rubric", "schema").stdout)
    assert schema["title"] == "credscore rubric"
    assert "criteria" in schema["properties"]


def test_parse_text_view_shows_zones() -> None:
    result = invoke("parse", str(SEEDS / "004_4da6b454344f1ad9.txt"))
    assert result.exit_code == 0
    assert "comments" in result.stdout and "references" in result.stdout


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("credscore ")


def test_version_is_the_installed_release() -> None:
    """The version printed is the one the package was installed as (written once, in
    credscore/version.py, and read by the build)."""
    from importlib.metadata import PackageNotFoundError, version

    from credscore import __version__
    try:
        installed = version("credscore")
    except PackageNotFoundError:
        pytest.skip("credscore is not installed")
    assert invoke("--version").stdout.strip() == f"credscore {installed}" == f"credscore {__version__}"


def test_folder_ids_are_relative(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(SEEDS / "002_e783488c8f71499a.txt", nested / "x.txt")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    data = json.loads(invoke("score", str(tmp_path), "--format", "json").stdout)
    assert [d["id"] for d in data["documents"]] == ["a/b/x.txt"]


@pytest.mark.parametrize("with_docs", [True, False])
def test_json_written_document_by_document_matches_the_payload(tmp_path: Path,
                                                                with_docs: bool) -> None:
    import io

    from credscore.models import DocumentScore, ReadError, RubricRef
    from credscore.read import read_tasks
    from credscore.report import json as json_report
    from credscore.rubric.load import load_rubric
    from credscore.run import ScoredLine, score_stream

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00binary")
    paths = [SEEDS, bad] if with_docs else [bad]
    loaded = load_rubric()
    ref = RubricRef(id=loaded.rubric.id, version=loaded.rubric.version, sha256=loaded.sha256)
    docs = [r for r in score_stream(read_tasks(paths), loaded.rubric) if isinstance(r, DocumentScore)]
    errors = [r for r in score_stream(read_tasks(paths), loaded.rubric) if isinstance(r, ReadError)]
    out = io.StringIO()
    with json_report.Spool() as spool:
        for r in reversed(list(score_stream(read_tasks(paths), loaded.rubric, shape="json"))):
            if isinstance(r, ScoredLine):
                spool.add(json_report.order_key(r.id, r.title, r.score), r.line)
        json_report.write_payload(out, ref, spool.in_order(), errors)
    assert out.getvalue() == json_report.dumps(json_report.payload(ref, docs, errors))
    assert len(json.loads(out.getvalue())["documents"]) == (5 if with_docs else 0)


def test_a_path_that_cannot_be_looked_up_is_listed_and_the_rest_scored(tmp_path: Path) -> None:
    too_long = tmp_path / ("x" * 300 + ".txt")
    result = invoke("score", str(too_long), str(SEEDS / "002_e783488c8f71499a.txt"),
                    "--format", "json", "-j", "1")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["002_e783488c8f71499a.txt"]
    assert "name too long" in data["errors"][0]["error"].lower()


def test_a_jsonl_file_that_fails_while_read_is_listed_and_the_rest_scored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An I/O error part way through a JSONL file (a failing disk, a network share gone away)
    # ended the whole run, reported as "cannot write standard output".
    from credscore.read import files

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(
        json.dumps({"id": "first", "text": "Mice ran faster in the study."}) + "\n"
        + json.dumps({"id": "second", "text": "Studies show it works."}) + "\n")
    shutil.copy(SEEDS / "002_e783488c8f71499a.txt", corpus / "b.txt")

    def failing(handle: object, limit: int = 0) -> object:
        yield json.dumps({"id": "first", "text": "Mice ran faster in the study."}).encode()
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files, "jsonl_lines", failing)
    result = invoke("score", str(corpus), "--format", "json", "-j", "1")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert sorted(d["id"] for d in data["documents"]) == ["b.txt", "first"]
    assert data["errors"] == [{"path": (corpus / "a.jsonl").as_posix(),
                               "error": "cannot read: Input/output error"}]


@pytest.fixture
def two_articles(tmp_path: Path) -> Path:
    corpus = tmp_path / "two.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "Mice ran faster in the study."}) + "\n"
                      + json.dumps({"id": "b", "title": "Second one",
                                    "text": "Studies show it works."}) + "\n")
    return corpus


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table", "markdown", "html"])
def test_score_names_the_file_it_wrote_and_what_it_skipped(tmp_path: Path, fmt: str) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Mice ran."}\nnot json\n{"id": "b", "text": "Ok."}\n')
    out = tmp_path / f"scores.{fmt}"
    result = invoke("score", str(corpus), "-f", fmt, "-o", str(out))
    assert result.exit_code == 1 and out.is_file()
    said = " ".join(result.stderr.split())
    assert f"skipped {corpus}:2: not valid JSON" in said
    assert f"wrote {out} (2 articles, " in said


def test_the_count_of_articles_leaves_out_lines_that_cannot_be_read(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Mice ran."}\nnot json\n{"id": "b", "text": "Ok."}\n')
    shown = invoke("parse", str(corpus), "--format", "json")
    assert "holds 2 articles (and 1 that could not be read); this is the first, 'a'" \
        in " ".join(shown.stderr.split())
    corpus.write_text('not json\n{"id": "a", "text": "Mice ran."}\n')
    shown = invoke("explain", str(corpus))
    assert "holds 1 article (and 1 that could not be read); this is the first that can be read" \
        in " ".join(shown.stderr.split())


def test_a_large_file_is_counted_without_reading_all_of_it(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import credscore.cli

    monkeypatch.setattr(credscore.cli, "COUNT_READ", 2)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Mice ran."}\nnot json\n{"id": "b", "text": "Ok."}\n'
                      'not json either\n{"id": "c", "text": "Ok."}\n')
    shown = invoke("parse", str(corpus), "--format", "json")
    assert "holds 4 articles (and 1 that could not be read); the last 2 were counted, not read; " \
        "this is the first, 'a'" in " ".join(shown.stderr.split())


def test_parse_and_explain_say_which_article_of_a_jsonl_file_they_show(two_articles: Path) -> None:
    first = invoke("parse", str(two_articles), "--format", "json")
    assert json.loads(first.stdout)["id"] == "a"
    assert "holds 2 articles; this is the first, 'a'" in first.stderr and "--id" in first.stderr
    second = invoke("explain", str(two_articles), "--id", "b")
    assert second.exit_code == 0 and "Second one" in second.stdout and second.stderr == ""
    missing = invoke("parse", str(two_articles), "--id", "zz")
    # an id no article has is a usage error (it exited 1, the code of articles that failed)
    assert missing.exit_code == 2 and "no article with the id 'zz'" in missing.stderr
    hint = " ".join(missing.stderr.split())
    assert "it holds 'a', 'b' (give one of these" in hint and f"--id '{two_articles}:1'" in hint


@pytest.mark.parametrize("command", ["parse", "explain"])
def test_parse_and_explain_take_a_folder_and_say_so(command: str) -> None:
    shown = invoke(command, str(SEEDS))
    assert shown.exit_code == 0, shown.stderr
    assert "holds 5 articles; this is the first, '000_e86d7793d9eecfab.txt'" in shown.stderr
    other = invoke(command, str(SEEDS), "--id", "003_d539d7beac747833.txt")
    assert other.exit_code == 0 and other.stderr == ""
    wrong = invoke(command, str(SEEDS), "--id", "nope.txt")
    assert wrong.exit_code == 2 and "no article with the id 'nope.txt'" in wrong.stderr
    help_text = " ".join(runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
                         .output.replace("│", " ").split())
    assert "or a folder, JSONL file or web archive (the first article in it; see --id)" in help_text
    assert "In a folder, JSONL file or web archive, the article with this id" in help_text


def test_an_unmatched_id_names_the_first_ids_a_large_file_holds(tmp_path: Path) -> None:
    corpus = tmp_path / "many.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"n{i}", "text": "Mice ran."}) + "\n"
                              for i in range(8)))
    missing = " ".join(invoke("parse", str(corpus), "--id", "zz").stderr.split())
    assert "it holds 'n0', 'n1', 'n2', 'n3', 'n4' ... (give" in missing and "'n5'" not in missing


def test_an_unmatched_id_names_an_id_several_articles_share_once(tmp_path: Path) -> None:
    corpus = tmp_path / "dup.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": "Mice ran."}) + "\n"
                              for i in ("a", "b", "a", "a", "c")))
    missing = " ".join(invoke("parse", str(corpus), "--id", "zz").stderr.split())
    assert "it holds 'a', 'b', 'c' (give one of these" in missing
    # six articles of one id before six others: five ids named, and more to come
    corpus.write_text("".join(json.dumps({"id": i, "text": "Mice ran."}) + "\n"
                              for i in ["x"] * 6 + list("bcdefg")))
    missing = " ".join(invoke("parse", str(corpus), "--id", "zz").stderr.split())
    assert "it holds 'x', 'b', 'c', 'd', 'e' ... (give one of these" in missing


def test_parse_and_explain_say_when_several_articles_share_the_id(tmp_path: Path) -> None:
    corpus = tmp_path / "dup.jsonl"
    texts = ["Mice ran faster in the study.", "Studies show it works.", "A trial of 40 people.",
             "Coffee was linked to the liver."]
    corpus.write_text("".join(json.dumps({"id": i, "text": t}) + "\n"
                              for i, t in zip("abaa", texts, strict=True)))
    for command in ("parse", "explain"):
        result = invoke(command, str(corpus), "--id", "a")
        assert result.exit_code == 0
        assert "ran faster" in result.stdout and "40 people" not in result.stdout
        note = " ".join(result.stderr.split())
        assert f"holds 3 articles with the id 'a'; this is the first, at {corpus}:1" in note
        assert f"{corpus}:3, {corpus}:4" in note
    third = invoke("parse", str(corpus), "--id", f"{corpus}:3", "--format", "json")
    assert third.exit_code == 0 and third.stderr == ""
    assert json.loads(third.stdout)["text"] == texts[2] and json.loads(third.stdout)["id"] == "a"


def test_an_unreadable_line_asked_for_by_place_says_why_it_cannot_be_read(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Mice ran."}\nnot json\n{"id": "b", "text": ""}\n')
    for line, why in ((2, "not valid JSON"), (3, "'text' is empty")):
        for command in ("parse", "explain"):
            result = invoke(command, str(corpus), "--id", f"{corpus}:{line}")
            # that line's own reason, not "no article with the id" and another line's reason
            assert result.exit_code == 1
            assert " ".join(result.stderr.split()).startswith(f"error: {corpus}:{line}: {why}")


def test_a_note_on_many_articles_sharing_an_id_names_a_few(tmp_path: Path) -> None:
    corpus = tmp_path / "many.jsonl"
    corpus.write_text("".join(json.dumps({"id": "x\x1b[31m", "text": f"Study {n} of mice."}) + "\n"
                              for n in range(9)))
    result = invoke("parse", str(corpus), "--id", "x\x1b[31m")
    note = " ".join(result.stderr.split())
    assert "holds 9 articles with the id" in note and "and 3 more" in note
    assert f"{corpus}:6 and 3 more" in note and f"{corpus}:7" not in note
    assert "\x1b" not in result.stderr


def test_duplicate_ids_are_warned_about_once(tmp_path: Path) -> None:
    corpus = tmp_path / "dup.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": "Mice ran."}) + "\n"
                              for i in ("a", "b", "a", "a", "c")))
    result = invoke("score", str(corpus), "--format", "jsonl", "-j", "1")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 5  # all scored
    assert result.stderr.count("more than one document has the id") == 1
    assert "'a'" in result.stderr


def test_many_duplicate_ids_name_the_first_and_count_the_rest(tmp_path: Path) -> None:
    # A file scored twice printed a warning for every article in it.
    corpus = tmp_path / "twice.jsonl"
    lines = "".join(json.dumps({"id": f"d{i}", "text": "Mice ran."}) + "\n" for i in range(8))
    corpus.write_text(lines * 3)
    result = invoke("score", str(corpus), "--format", "jsonl", "-j", "1")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 24
    assert result.stderr.count("more than one document has the id") == 5
    assert [f"'d{i}'" in result.stderr for i in range(8)] == [True] * 5 + [False] * 3
    assert "3 more ids are each carried by more than one document" in result.stderr


def test_messages_count_in_words(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    one = invoke("report", str(SEEDS / "002_e783488c8f71499a.txt"), "-o", str(out))
    assert re.search(r"wrote .*r\.html \(1 article, \d+\.\d kB\)", one.stderr), one.stderr
    text = ('id: s\nversion: "1"\nname: S\ncriteria:\n  - id: c\n    name: C\n'
            "    description: d\n    anchor: a\n    weight: 1\n    signals:\n"
            "      - {id: x, phrases: [mice]}\n")
    single, bad = tmp_path / "single.yaml", tmp_path / "bad.yaml"
    single.write_text(text)
    bad.write_text(text.replace("weight: 1", "weight: three"))
    assert ": 1 criterion, 0 of 0 examples pass" in invoke("rubric", "check", str(single)).stderr
    assert "has 1 problem; fix it and run again" in invoke("rubric", "check", str(bad)).stderr


def test_a_json_error_names_its_column_once(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "unterminated\n')
    data = json.loads(invoke("score", str(corpus), "--format", "json").stdout)
    assert data["errors"][0]["error"] == ("not valid JSON: Unterminated string starting at: "
                                          "column 21")


@pytest.mark.parametrize(("command", "argument"), [
    (["score"], "PATH_OR_URL"), (["report"], "PATH_OR_URL"), (["evaluate"], "PATH"),
    (["diff"], "PATH"), (["calibrate"], "PATH"), (["explain"], "FILE_OR_URL"),
    (["parse"], "FILE_OR_URL"), (["rubric", "check"], "RUBRIC"), (["rubric", "show"], "RUBRIC"),
    (["rubric", "docs"], "RUBRIC"),
])
def test_usage_lines_name_arguments_for_a_reader(command: list[str], argument: str) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    usage = next(line for line in result.output.splitlines() if "Usage:" in line)
    assert argument in usage
    assert not re.search(r"\{[a-z_]+\}", usage), usage


HELP_COMMANDS = [[], ["score"], ["report"], ["explain"], ["parse"], ["evaluate"], ["diff"],
                 ["calibrate"], ["rubric"], ["rubric", "check"], ["rubric", "show"],
                 ["rubric", "docs"], ["rubric", "schema"]]


@pytest.mark.parametrize("command", HELP_COMMANDS, ids=lambda c: " ".join(c) or "credscore")
def test_every_option_names_its_value_for_a_reader(command: list[str]) -> None:
    # A value is FILE, N, BYTES, SECONDS..., never a Python type (<Path>, <int range>, <str>, as
    # typer shows it) or a click one (PATH, INTEGER RANGE, TEXT), and a flag shows none.
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines()
            if re.match(r"\W*(\*\s+)?--(?!help\b)[a-z]", line)]
    assert rows or command in ([], ["rubric"], ["rubric", "check"], ["rubric", "schema"])
    for row in rows:
        assert not re.search(r"<(Path|str|int|float|bool)\b|\b(INTEGER|FLOAT|TEXT|BOOLEAN)\b|"
                             r"\bPATH\b(?!_)", row), row


@pytest.mark.parametrize(("command", "choices"), [
    (["score"], "table|json|jsonl|csv|markdown|html"), (["report"], "html|markdown"),
    (["evaluate"], "table|json|markdown"), (["diff"], "table|json"),
    (["calibrate"], "table|json"), (["parse"], "text|json"), (["rubric", "show"], "yaml|json"),
])
def test_every_format_option_lists_its_choices(command: list[str], choices: str) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    line = next(line for line in result.output.splitlines() if re.match(r"\W*--format", line))
    *first, last = choices.split("|")
    assert f"FORMAT Output format: {', '.join(first)} or {last}." in " ".join(line.split()), line
    wrong = runner.invoke(app, [*command, "x", "--format", "pdf"])
    # A plain usage error in the command's own words, not the wording of a validation library.
    listed = choices.replace("|", ", ")
    assert wrong.exit_code == 2 and wrong.stdout == ""
    assert wrong.stderr == (f"error: --format: 'pdf' is not a format of {' '.join(command)}; "
                            f"choose one of: {listed}\n")


def test_a_long_line_of_no_break_spaces_is_over_the_limit_in_any_encoding(tmp_path: Path) -> None:
    # Only ASCII whitespace makes a JSONL line blank (as bytes.strip has it), in UTF-16 too.
    for encoding in ("utf-8", "utf-16"):
        corpus = tmp_path / f"nbsp-{encoding}.jsonl"
        corpus.write_bytes(("\u00a0" * 200 + "\n").encode(encoding))
        with corpus.open("rb") as handle:
            tasks = list(jsonl_tasks(jsonl_lines(handle, 100), "n.jsonl", 100))
        (task,) = tasks
        assert isinstance(task, ReadError) and task.path == "n.jsonl:1", encoding
        assert task.error.startswith("line is over the 100 bytes limit"), encoding


def test_evaluate_shows_no_empty_table_of_labelled_criteria() -> None:
    # The README's evaluate command: the seed labels hold a rating and none of the fields the
    # default rubric's criteria read, so the table, like the Markdown, leaves that table out.
    args = ("evaluate", str(SEEDS), "--labels", str(ROOT / "examples" / "seed-labels.csv"),
            "--rating", "rating", "--jobs", "1")
    table = invoke(*args)
    assert table.exit_code == 0, table.output
    assert "Agreement with expert labels (5 of 5 documents labelled)" in table.stdout
    assert "macroF1" not in table.stdout and "the positive label" not in table.stdout
    assert "overall score vs rating: Spearman" in table.stdout
    markdown = invoke(*args, "--format", "markdown")
    assert "macro-F1 |" not in markdown.stdout and "Overall score vs `rating`" in markdown.stdout


def test_diff_of_rubrics_that_score_alike_shows_no_empty_table(tmp_path: Path) -> None:
    # The README's first diff: a rubric of three lines that extends the default changes nothing.
    mine = tmp_path / "my-rubric.yaml"
    mine.write_text('extends: default\nid: my_rubric\nversion: "1"\n')
    result = invoke("diff", str(SEEDS), "--rubric", str(mine), "--against",
                    str(ROOT / "rubric" / "default.yaml"), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("0 up, 0 down, 5 unchanged")
    assert "Articles whose score or grade changed most" not in result.stdout
    assert "changed most" not in result.stdout


def test_table_output_of_nothing_scored_draws_no_empty_table(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = invoke("score", str(tmp_path / "empty.txt"), "--jobs", "1")
    assert result.exit_code == 1
    assert "0 scored, 1 failed" in result.stdout
    assert "cost it most" not in result.stdout and "┏" not in result.stdout


DIFF_RUBRICS = ["-r", str(ROOT / "rubric" / "default.yaml"), "-a",
                str(ROOT / "rubric" / "healthnewsreview.yaml"), "-j", "1"]


@pytest.mark.parametrize("width", [80, 120])
def test_diff_reads_whole_words_in_a_small_terminal(width: int) -> None:
    # At 80 columns "what moved it" was a column of 26 cells beside the article: each article
    # ran to 50 lines, and names were cut mid-word ("extrapolated_without_cav" / "eat").
    data = json.loads(runner.invoke(app, ["diff", str(SEEDS), *DIFF_RUBRICS, "-f", "json"]).stdout)
    result = runner.invoke(app, ["diff", str(SEEDS), *DIFF_RUBRICS], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= width for line in lines)
    assert any(line.rstrip().endswith(f"{data['old_rubric']} -> {data['new_rubric']}") for line in lines)
    table = width >= 120
    assert any(line.split() == ["┃", "article", "┃", "old", "┃", "new", "┃", "change", "┃", "what",
                                "moved", "it", "┃"] for line in lines) == table
    text = result.stdout
    # What each line of "what moved it" starts with (in the table, its fifth column).
    starts = [(line.split("│")[5] if table and line.count("│") == 6 else line).strip() + " "
              for line in lines]
    for doc in data["documents"]:
        if not table:  # the article on a line of its own, then what moved it
            regraded = doc["old_grade"] != doc["new_grade"]  # the grades shown where they differ
            old = f"{doc['old']:.1f}" + (f" ({doc['old_grade']})" if regraded else "")
            new = f"{doc['new']:.1f}" + (f" ({doc['new_grade']})" if regraded else "")
            head = f"{doc['id']}  {old} -> {new} ({doc['change']:+z.1f})"
            assert head in lines, head
        for c in doc["criteria"]:
            # Each criterion starts a line, with its effect when it moved the score.
            lead = rf"{c['effect']:+z.2f} {c['id']} " if c["counted"] else rf"{c['id']} "
            assert any(start.startswith(lead) for start in starts), (lead, text)
            for name in c["added"] + c["removed"] + c["changed"]:
                assert re.search(rf"[(, ][-+~]?{re.escape(name)}[,)]", text), name
