"""What the commands say, and with which exit code, when an input or an output is not usable."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore.cli import app

from .conftest import ROOT, SEEDS
from .rubrics import one_phrase_rubric

runner = CliRunner()
SEED = SEEDS / "000_e86d7793d9eecfab.txt"


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture()
def script_only(tmp_path: Path) -> Path:
    page = tmp_path / "script.html"
    page.write_text("<html><body><script>document.write('hi')</script></body></html>")
    return page


@pytest.mark.parametrize("command", ["parse", "explain"])
def test_an_article_without_text_is_a_plain_error(command: str, script_only: Path) -> None:
    result = invoke(command, str(script_only))
    assert result.exit_code == 1
    assert "no article text found in the HTML" in result.stderr


def test_parse_skips_unreadable_lines_to_the_first_article(tmp_path: Path) -> None:
    data = tmp_path / "odd.jsonl"
    data.write_text('{"id": "a", "text": ""}\n{"id": "b", "text": "A study of 40 people."}\n')
    first = invoke("parse", str(data), "--format", "json")
    assert first.exit_code == 0 and json.loads(first.stdout)["id"] == "b"
    assert "this is the first that can be read, 'b'" in first.stderr
    assert "1 before it could not be read" in first.stderr and "'text' is empty" in first.stderr
    named = invoke("parse", str(data), "--id", "a")
    assert named.exit_code == 1
    assert "no article with the id 'a'; 1 could not be read" in named.stderr
    assert "odd.jsonl:1: 'text' is empty" in named.stderr


def test_an_empty_jsonl_file_is_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = invoke("score", str(empty), "--format", "csv")
    assert result.exit_code == 1
    assert "empty.jsonl: empty file" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_an_error_with_exit_code_2() -> None:
    result = invoke("score", str(SEED), "--format", "csv", "--output", "/dev/full")
    assert result.exit_code == 2
    assert "cannot write /dev/full: No space left on device" in result.stderr


def test_an_output_that_cannot_be_written_stops_calibrate_before_scoring(tmp_path: Path) -> None:
    pytest.importorskip("scipy")
    target = tmp_path / "missing" / "fitted.yaml"
    result = invoke("calibrate", str(SEEDS), "--labels", str(ROOT / "examples" / "seed-labels.csv"),
                    "--rating", "rating", "--folds", "2", "--output", str(target))
    assert result.exit_code == 2
    assert f"cannot write {target}: No such file or directory" in result.stderr
    assert not target.parent.exists()


def test_evaluate_says_why_nothing_was_scored(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "big.txt").write_text("A study of people found coffee helps. " * 40)
    labels = tmp_path / "labels.csv"
    labels.write_text("id,rating\nbig.txt,3\n")
    refused = invoke("evaluate", str(folder), "--labels", str(labels), "--rating", "rating",
                     "--max-bytes", "100")
    assert refused.exit_code == 2
    shown = " ".join(refused.stderr.split())
    assert "over the" in shown and "no article was scored, so none can be matched" in shown
    allowed = invoke("evaluate", str(folder), "--labels", str(labels), "--rating", "rating",
                     "--max-bytes", "100000", "--format", "json")
    assert allowed.exit_code == 0 and json.loads(allowed.stdout)["labelled"] == 1


def test_a_markdown_report_is_written_to_report_md_by_default(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("report", str(SEED), "--format", "markdown")
    assert result.exit_code == 0
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Credibility report")
    assert not (tmp_path / "report.html").exists()


def test_the_default_report_name_does_not_replace_a_file_credscore_did_not_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "report.html"
    mine.write_text("<p>my own notes</p>", encoding="utf-8")
    refused = invoke("report", str(SEED))
    assert refused.exit_code == 2
    assert "report.html is here already and is not a report of credscore's" in (
        " ".join(refused.stderr.split()))
    assert mine.read_text(encoding="utf-8") == "<p>my own notes</p>"
    # An earlier report of credscore's is replaced, and a name given with -o is written.
    assert invoke("report", str(SEED), "-o", str(tmp_path / "r.html")).exit_code == 0
    mine.write_bytes((tmp_path / "r.html").read_bytes())
    assert invoke("report", str(SEED)).exit_code == 0


def test_rubric_docs_refuse_another_rubrics_agreement(tmp_path: Path) -> None:
    measured = tmp_path / "eval.json"
    made = invoke("evaluate", str(SEEDS), "--labels", str(ROOT / "examples" / "seed-labels.csv"),
                  "--rating", "rating", "--format", "json", "--output", str(measured))
    assert made.exit_code == 0
    other = tmp_path / "other.yaml"
    other.write_text("id: other\nversion: \"1\"\nname: Other\ncriteria:\n  - id: sells\n"
                     "    name: S\n    description: d\n    anchor: a\n    weight: 1\n"
                     "    signals:\n      - id: buy\n        points: -1\n        phrases: [buy now]\n")
    result = invoke("rubric", "docs", str(other), "--agreement", f"seeds={measured}")
    assert result.exit_code == 2
    assert "measured with the rubric 'default', not 'other'" in result.stderr


@pytest.mark.parametrize(("spec", "said"), [
    ("eval.json", "--agreement takes NAME=FILE"),  # NAME= left out
    ("stories=", "--agreement takes NAME=FILE"),
    ("stories=.", ".: cannot read"),  # a folder
])
def test_rubric_docs_say_what_is_wrong_with_an_agreement(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str, said: str) -> None:
    # With an output in the working folder, a FILE that was empty or a folder was taken for a
    # folder of articles this run reads, and the output for an article in it.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rubric.md").write_text("notes of mine\n")
    result = invoke("rubric", "docs", str(ROOT / "rubric" / "default.yaml"), "--agreement", spec,
                    "-o", "rubric.md")
    assert result.exit_code == 2
    assert said in result.stderr and "is an article in" not in result.stderr
    assert (tmp_path / "rubric.md").read_text() == "notes of mine\n"


def test_a_criterion_cannot_take_the_id_of_a_csv_column(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text("id: t\nversion: \"1\"\nname: T\ncriteria:\n  - id: title\n    name: S\n"
                      "    description: d\n    anchor: a\n    weight: 1\n    signals:\n"
                      "      - id: buy\n        points: -1\n        phrases: [buy now]\n")
    result = invoke("rubric", "check", str(rubric))
    assert result.exit_code == 2
    assert f"{rubric}:5:9" in result.stderr and "criterion id 'title' is taken" in result.stderr


def test_an_output_naming_an_article_in_a_scanned_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    article = folder / SEED.name
    article.write_bytes(SEED.read_bytes())
    refused = invoke("score", str(folder), "--format", "csv", "--output", str(article))
    assert refused.exit_code == 2 and "is an article in" in refused.stderr
    assert article.read_bytes() == SEED.read_bytes()


@pytest.mark.parametrize("args", [("score", "--format", "csv"), ("score", "--format", "jsonl"),
                                  ("score", "--format", "table"), ("report",),
                                  ("report", "--format", "markdown")])
def test_a_rerun_replaces_its_own_earlier_output_in_the_folder(tmp_path: Path, args) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    output = folder / ("out.html" if args == ("report",) else "out.md" if "markdown" in args
                       else "out.jsonl" if "jsonl" in args else "out.txt")
    first = invoke(args[0], str(folder), *args[1:], "--output", str(output))
    assert first.exit_code == 0, first.stderr
    written = output.read_bytes()
    again = invoke(args[0], str(folder), *args[1:], "--output", str(output))
    assert again.exit_code == 0, again.stderr
    assert output.read_bytes() == written


def test_a_later_run_does_not_read_earlier_outputs_in_the_folder_as_articles(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    outputs = {"report.html": ("report",), "report.md": ("report", "--format", "markdown"),
               "scores.jsonl": ("score", "--format", "jsonl"), "table.txt": ("score",)}
    for name, args in outputs.items():
        assert invoke(args[0], str(folder), *args[1:], "--output", str(folder / name)).exit_code == 0
    assert invoke("rubric", "docs", str(ROOT / "rubric" / "default.yaml"), "--output",
                  str(folder / "rubric.md")).exit_code == 0
    outputs["rubric.md"] = ("rubric", "docs")
    result = invoke("score", str(folder), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [SEED.name]
    for name in outputs:
        assert f"note: {folder / name}: not read, an output of credscore" in result.stderr
    # Named directly, an output is read like any file.
    named = invoke("score", str(folder / "report.md"), "--format", "jsonl")
    assert [json.loads(line)["id"] for line in named.stdout.splitlines()] == ["report.md"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_output_is_an_error_with_exit_code_2() -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "credscore", "parse", str(SEED), "--format",
                                 "json"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("text", [
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>Credibility report: can you trust "
    "health news?</title>\n</head><body><p>An article.</p></body></html>\n",
    '{"id":"s1","title":"Coffee","words":120,"score":55.0,"grade":"B","criteria":[],"errors":[],'
    '"text":"A randomised trial of coffee."}\n',
    "# Credibility report\n\nWhy we rate the evidence in health news, and how.\n",
    "credscore - a note on how we score\n\nThe text of an article.\n",
])
def test_an_article_that_looks_like_an_output_is_not_taken_for_one(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    name = "page.html" if text.startswith("<!") else "lines.jsonl" if text.startswith("{") else "a.md"
    article = folder / name
    article.write_text(text, encoding="utf-8")
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    result = invoke("score", str(folder), "--format", "jsonl", "--output", str(article))
    assert result.exit_code == 2 and "is an article in" in result.stderr
    assert article.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("args", [("evaluate", "--format", "json"), ("evaluate",),
                                  ("evaluate", "--format", "markdown")])
def test_a_rerun_replaces_its_own_evaluation_in_the_folder(tmp_path: Path, args) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        (folder / seed.name).write_bytes(seed.read_bytes())
    output = folder / ("eval.md" if "markdown" in args else "eval.txt")
    labels = ("--labels", str(ROOT / "examples" / "seed-labels.csv"), "--rating", "rating")
    for _ in range(2):
        result = invoke(args[0], str(folder), *labels, *args[1:], "--output", str(output))
        assert "is an article in" not in result.stderr
        assert output.exists()


def test_outputs_of_one_article_none_or_a_long_rubric_name_are_known_as_outputs(
        tmp_path: Path) -> None:
    """An evaluation of one article ("1 of 1 document labelled"), a table whose title the
    terminal's width wraps, and the line a run that scored nothing writes are credscore's:
    replaced by a rerun, and left out of a later scan of the folder."""
    one = tmp_path / "one"
    one.mkdir()
    (one / SEED.name).write_bytes(SEED.read_bytes())
    labels = ("--labels", str(ROOT / "examples" / "seed-labels.csv"), "--rating", "rating")
    wide = tmp_path / "wide.yaml"
    wide.write_text("id: wide\nversion: \"1.0.0+a-long-build-label\"\nname: " + "Evidence " * 12
                    + "\ncriteria:\n  - id: c\n    name: C\n    description: d\n    anchor: a\n"
                    "    weight: 1\n    signals:\n      - id: s\n        points: 1\n"
                    "        phrases: [study]\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    runs = [(one, ("evaluate", str(one), *labels, "--format", "markdown"), one / "eval.md"),
            (one, ("score", str(one), "--rubric", str(wide)), one / "scores.txt"),
            (empty, ("score", str(empty)), empty / "t.txt")]
    for folder, args, output in runs:
        for _ in range(2):
            result = invoke(*args, "--output", str(output))
            assert result.exit_code == 0, result.stderr
        scan = invoke("score", str(folder), "--format", "jsonl")
        assert f"note: {output}: not read, an output of credscore" in scan.stderr
        assert output.name not in scan.stdout


def test_a_rating_column_blank_in_every_row_is_named_as_such(tmp_path: Path) -> None:
    labels = tmp_path / "blank.csv"
    labels.write_text("id,rating,note\n000_e86d7793d9eecfab.txt,,x\n001_c0d4a17b255ad03a.txt,,y\n")
    result = invoke("evaluate", str(SEEDS), "--labels", str(labels), "--rating", "rating")
    assert result.exit_code == 2
    assert "no such column, or it is blank in every row" in result.stderr
    # only the columns a rating can be read from: ids and notes are none
    assert "the columns with numbers are: none" in result.stderr




@pytest.mark.parametrize("phrase", ['"stud* design"', '"*ology"', '"well-*"'])
def test_a_star_that_does_not_end_the_last_word_is_refused(tmp_path: Path, phrase: str) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(one_phrase_rubric(phrase))
    result = invoke("rubric", "check", str(rubric))
    assert result.exit_code == 2 and f"{rubric}:13:19" in result.stderr
    assert "'*' may only end the last word" in result.stderr


def test_steps_score_by_their_points_whatever_order_they_are_written_in(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("A title\n\nStudies have shown it works.\n")
    scores = []
    for steps in ("[{min_points: 0, score: 0.5}, {min_points: 2, score: 1.0}]",
                  "[{min_points: 2, score: 1.0}, {min_points: 0, score: 0.5}]"):
        rubric = tmp_path / "r.yaml"
        rubric.write_text(one_phrase_rubric(
            "studies have shown", extra=f"    scoring: {{method: steps, steps: {steps}}}\n"))
        result = invoke("score", str(article), "--rubric", str(rubric), "--format", "json")
        scores.append(json.loads(result.stdout)["documents"][0]["criteria"][0]["score"])
    assert scores == [0.5, 0.5]  # -1 point is below every step: the lowest step's score
    rubric.write_text(one_phrase_rubric("x", extra="    scoring: {method: steps, steps: "
                                        "[{min_points: 0, score: 0.2}, {min_points: 0, score: 0.9}]}\n"))
    refused = invoke("rubric", "check", str(rubric))
    assert refused.exit_code == 2 and "two steps with min_points 0" in refused.stderr


def test_a_label_value_in_two_lists_is_refused(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(one_phrase_rubric(
        "x", extra='    label: {field: q, positive: ["yes", maybe], negative: ["no", maybe]}\n'))
    result = invoke("rubric", "check", str(rubric))
    assert result.exit_code == 2
    assert "the label value 'maybe' is in both positive and negative" in result.stderr


@pytest.mark.parametrize(("values", "shown", "column"), [
    ('["yes", " maybe"]', "' maybe'", 41), ('["yes", ""]', "''", 41)])
def test_a_blank_or_padded_label_value_is_refused_where_it_is(tmp_path: Path, values: str,
                                                               shown: str, column: int) -> None:
    # Labels are compared without the spaces around them: ' maybe' could never match.
    rubric = tmp_path / "r.yaml"
    rubric.write_text(one_phrase_rubric(
        "x", extra=f'    label: {{field: q, positive: {values}, negative: ["no"]}}\n'))
    result = invoke("rubric", "check", str(rubric))
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert f"the label value {shown} is blank or has spaces around it" in said
    assert f"r.yaml:10:{column}: " in said


def test_evaluate_refuses_a_label_value_the_map_does_not_name(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(one_phrase_rubric(
        "x", extra='    label: {field: q, positive: ["yes"], negative: ["no"]}\n'))
    labels = tmp_path / "l.csv"
    labels.write_text(f"id,q\n{SEED.name},maybe\n")
    result = invoke("evaluate", str(SEED), "--labels", str(labels), "--rubric", str(rubric))
    assert result.exit_code == 2
    assert "is 'maybe', which is in none of positive ['yes'], negative ['no']" in result.stderr


def test_braces_outside_the_explanation_template_are_refused(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(one_phrase_rubric("x", extra='    not_applicable: "N/A {verdict}"\n'))
    result = invoke("rubric", "check", str(rubric))
    assert result.exit_code == 2 and f"{rubric}:10:21" in result.stderr
    assert "fields such as {verdict} are filled only in 'explanation'" in result.stderr


def test_a_key_in_the_wrong_place_is_told_where_it_belongs(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(one_phrase_rubric("x", extra="    phrases: [x]\n"))
    result = invoke("rubric", "check", str(rubric))
    assert result.exit_code == 2
    assert f"{rubric}:10:5: criteria[0].phrases: 'phrases' is not a key here: it belongs to a " \
           "signal" in result.stderr


@pytest.mark.parametrize("command", ["parse", "explain"])
def test_parse_and_explain_take_the_size_limit_their_error_suggests(command: str) -> None:
    refused = invoke(command, str(SEED), "--max-bytes", "100")
    assert refused.exit_code == 1 and "raise it with --max-bytes" in refused.stderr
    shown = invoke(command, str(SEED), "--max-bytes", str(SEED.stat().st_size))
    assert shown.exit_code == 0, shown.stderr


def test_partition_bytes_without_a_cluster_is_refused() -> None:
    result = invoke("score", str(SEED), "--partition-bytes", "10")
    assert result.exit_code == 2 and "add --scheduler" in result.stderr


def test_diff_says_once_what_it_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    assert invoke("report", str(folder), "-o", str(folder / "report.html")).exit_code == 0
    rubrics = ROOT / "rubric"
    result = invoke("diff", str(folder), "-r", str(rubrics / "default.yaml"), "--against",
                    str(rubrics / "healthnewsreview.yaml"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("report.html: not read, an output of credscore") == 1


@pytest.mark.parametrize("command", ["score", "parse"])
def test_a_max_bytes_too_large_for_a_line_reader_is_a_usage_error(tmp_path: Path,
                                                                   command: str) -> None:
    # 2**63 reached readline() as its limit, and the JSONL reader crashed with OverflowError.
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"id": "a", "text": "A study was published."}) + "\n")
    result = runner.invoke(app, [command, str(articles), "--max-bytes", str(2**63)])
    assert result.exit_code == 2 and "--max-bytes" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    largest = [command, str(articles), "--max-bytes", str(2**40)]
    assert runner.invoke(app, largest).exit_code == 0


@pytest.mark.parametrize("args", [
    ["score", "SEED", "--rubric", ""], ["score", "SEED", "--output", ""],
    ["score", "--urls", ""], ["report", "SEED", "--output", ""],
    ["evaluate", "SEED", "--labels", ""], ["diff", "SEED", "--against", ""],
    ["calibrate", "SEED", "--labels", "x.csv", "--output", ""], ["rubric", "check", ""],
    ["score", "SEED", "--scheduler", "local:1", "--output-dir", ""],
])
def test_an_empty_path_option_is_refused_not_read_as_the_working_folder(args: list[str]) -> None:
    # Path("") is ".": "-o $OUT" with OUT unset said ". is a folder", "-r ''" read the folder
    result = runner.invoke(app, [str(SEED) if a == "SEED" else a for a in args])
    assert result.exit_code == 2
    shown = " ".join(result.output.replace("│", " ").split())  # the error box wraps lines
    # It names what the option takes: only --output-dir takes a folder.
    kind = "folder" if "--output-dir" in args else "file"
    assert f"an empty path was given (an unset variable?); name a {kind}" in shown
    assert "file or folder" not in shown


@pytest.mark.parametrize("command", ["score", "report", "evaluate", "calibrate"])
def test_more_jobs_than_a_run_may_start_is_a_usage_error(command: str) -> None:
    # -j 100000 started that many worker processes, each with its own interpreter
    result = runner.invoke(app, [command, str(SEED), "--jobs", "1025"])
    assert result.exit_code == 2 and "--jobs" in result.output and "1024" in result.output


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_folder_with_no_article_files_gets_a_note(tmp_path: Path, fmt: str) -> None:
    # A folder of PDFs (or a mistyped one that exists) gave an empty result and exit code 0
    # with not a word: it read like a run that found nothing wrong.
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.docx").write_bytes(b"PK")
    result = runner.invoke(app, ["score", str(tmp_path), "-f", fmt, "-j", "1"])
    assert result.exit_code == 0
    assert f"note: no article found in {tmp_path}: folders are searched for .txt" in result.stderr
    scored = runner.invoke(app, ["score", str(SEEDS), "-f", fmt, "-j", "1"])
    assert "no article found" not in scored.stderr


@pytest.mark.parametrize("given", ["healthnewsreview", "default.yaml", "causal_claims"])
def test_a_shipped_rubric_named_by_id_says_which_file_it_is(given: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # where no such file is
    result = invoke("score", str(SEED), "--rubric", given)
    assert result.exit_code == 2
    shipped = given.removesuffix(".yaml").replace("_", "-")
    assert f"the shipped rubric '{shipped}' is the file " in result.stderr
    named = result.stderr.split(" is the file ")[1].split("\n")[0].strip()
    assert Path(named).is_file() and Path(named).name == f"{shipped}.yaml"


def test_a_missing_rubric_lists_the_shipped_ones(tmp_path: Path) -> None:
    result = invoke("rubric", "check", str(tmp_path / "zzzz.yaml"))
    assert result.exit_code == 2
    assert "cannot read the rubric" in result.stderr and "healthnewsreview.yaml" in result.stderr


def test_rubric_docs_refuse_one_agreement_name_given_twice(tmp_path: Path) -> None:
    measured = tmp_path / "eval.json"
    made = invoke("evaluate", str(SEEDS), "--labels", str(ROOT / "examples" / "seed-labels.csv"),
                  "--rating", "rating", "--format", "json", "--output", str(measured))
    assert made.exit_code == 0
    result = invoke("rubric", "docs", str(ROOT / "rubric" / "default.yaml"), "--agreement",
                    f"seeds={measured}", "--agreement", f" seeds ={measured}")
    assert result.exit_code == 2
    assert "--agreement names 'seeds' twice" in result.stderr


@pytest.mark.parametrize("command", ["score", "parse", "explain"])
@pytest.mark.parametrize("timeout", ["nan", "inf", "-inf", "0", "-1", "90000", "ten"])
def test_a_timeout_out_of_bounds_or_not_a_number_says_what_it_must_be(command: str,
                                                                       timeout: str) -> None:
    # "nan" was refused as "Input should be less than or equal to 86400"
    result = runner.invoke(app, [command, str(SEED), f"--timeout={timeout}"])
    assert result.exit_code == 2
    shown = " ".join(result.output.replace("│", " ").split())  # the error box wraps lines
    assert ("Invalid value for '--timeout': the timeout must be a number of seconds between "
            "0.001 and 86400 (a day)") in shown
    assert "Input should be" not in shown


def test_a_timeout_within_bounds_is_taken() -> None:
    for timeout in ("0.001", "86400", "1e3"):
        assert runner.invoke(app, ["parse", str(SEED), "--timeout", timeout]).exit_code == 0


@pytest.mark.parametrize(("args", "message"), [
    (("score", "-j", "abc"), "error: --jobs: 'abc' is not a whole number; give one from 1 to 1024"),
    (("score", "-j", "0"), "error: --jobs: 0 is out of range; give a whole number from 1 to 1024"),
    (("score", "--max-bytes", "1e3"), "error: --max-bytes: '1e3' is not a whole number"),
    (("evaluate", "--labels", "l.csv", "--top", "-1"),
     "error: --top: -1 is out of range; give a whole number of 0 or more"),
    # --bootstrap takes 0 or 20 to 100,000: -1 was told "give a whole number of 0 or more",
    # which 5 is, and 5 is refused too
    (("evaluate", "--labels", "l.csv", "--bootstrap", "-1"),
     "error: --bootstrap: -1 is out of range; give 0 (none) or from 20 to 100,000 resamples "
     "(1000 is usual)"),
    (("evaluate", "--labels", "l.csv", "--bootstrap", "x"),
     "error: --bootstrap: 'x' is not a whole number; give 0 (none) or from 20 to 100,000 "
     "resamples"),
    (("evaluate", "--labels", "l.csv", "--bootstrap", "19"),
     "error: --bootstrap: 19 is too few resamples to place the middle 95% of a figure; give 0 "
     "(none) or from 20 to 100,000 resamples"),
    (("calibrate", "--labels", "l.csv", "--folds", "1"),
     "error: --folds: 1 is out of range; give a whole number of 2 or more"),
    (("calibrate", "--labels", "l.csv", "--fit", "bogus"),
     "error: --fit: 'bogus' is not a kind of fit; choose one of: weights, points, both, rewards"),
])
def test_a_bad_number_or_choice_is_told_in_the_words_of_the_other_usage_errors(
        args: tuple[str, ...], message: str) -> None:
    result = invoke(args[0], str(SEED), *args[1:])
    assert result.exit_code == 2
    shown = " ".join(result.stderr.split())
    assert message in shown
    assert "Input should be" not in shown and "Value error" not in shown


@pytest.mark.parametrize("command", ["parse", "explain"])
def test_a_folder_with_no_article_is_a_usage_error_for_parse_and_explain(
        tmp_path: Path, command: str) -> None:
    # exit code 1 says some articles could not be read, and none failed here
    result = invoke(command, str(tmp_path))
    assert result.exit_code == 2
    assert f"error: {tmp_path}: no article found (folders are searched for .txt" in result.stderr


def test_evaluate_on_an_empty_folder_says_nothing_was_scored(tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("id,rating\na.txt,3\n", encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    result = invoke("evaluate", str(folder), "--labels", str(labels), "--rating", "rating")
    assert result.exit_code == 2
    assert f"error: no article was scored, so none can be matched to the labels in {labels}" in (
        " ".join(result.stderr.split()))
    assert "such as none" not in result.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "table"])
def test_inputs_skipped_for_one_reason_are_listed_a_few_times_then_counted(
        tmp_path: Path, fmt: str) -> None:
    from credscore.repeats import LISTED_PER_REASON

    data = tmp_path / "exported.jsonl"
    bad = LISTED_PER_REASON + 7
    lines = [json.dumps({"id": f"a{i}", "body": "no text field"}) for i in range(bad)]
    lines.append(json.dumps({"id": "ok", "text": SEED.read_text("utf-8")}))
    lines.append("{not json")
    data.write_text("\n".join(lines) + "\n", "utf-8")
    result = invoke("score", str(data), "-f", fmt, "-j", "1")
    assert result.exit_code == 1
    listed = [ln for ln in result.stderr.splitlines() if ln.startswith(f"skipped {data}:")]
    # The repeated reason is named for its first inputs only; another reason is still named.
    assert len(listed) == LISTED_PER_REASON + 1
    assert any(f":{bad + 2}: not valid JSON" in ln for ln in listed)
    assert "are counted, not listed" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == "skipped 7 more inputs, not listed above: the object has no 'text' or 'html' string"
    # Each run counts afresh.
    again = invoke("score", str(data), "-f", fmt, "-j", "1")
    assert again.stderr.strip().splitlines()[-1] == last
    # As many as are listed: each is named, and nothing is said to be left out.
    data.write_text("\n".join(lines[:LISTED_PER_REASON]) + "\n", "utf-8")
    exact = invoke("score", str(data), "-f", fmt, "-j", "1")
    assert "not listed" not in exact.stderr
    assert exact.stderr.count(f"skipped {data}:") == LISTED_PER_REASON


def test_the_count_of_unlisted_inputs_comes_before_the_error_that_ends_a_run(tmp_path: Path) -> None:
    from credscore.repeats import LISTED_PER_REASON

    data = tmp_path / "exported.jsonl"
    data.write_text("".join(json.dumps({"id": f"a{i}"}) + "\n"
                            for i in range(LISTED_PER_REASON + 3)), "utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text("id,rating\na0,3\n", "utf-8")
    result = invoke("evaluate", str(data), "--labels", str(labels), "--rating", "rating")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ")
    assert lines[-2].startswith("skipped 3 more inputs, not listed above: ")


def test_a_file_of_scores_given_as_articles_says_what_it_is(tmp_path: Path) -> None:
    scores = tmp_path / "scores.jsonl"
    made = invoke("score", str(SEED), "-f", "jsonl", "-o", str(scores))
    assert made.exit_code == 0
    result = invoke("score", str(scores), "-f", "jsonl")
    assert result.exit_code == 1
    assert "a line of credscore's scores, not an article" in result.stderr


def test_calibrate_names_what_it_skipped_when_nothing_could_be_fitted(tmp_path: Path) -> None:
    data = tmp_path / "exported.jsonl"
    data.write_text("".join(json.dumps({"id": f"a{i}"}) + "\n" for i in range(3)), "utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text("id,rating\na0,3\na1,4\na2,1\n", "utf-8")
    result = invoke("calibrate", str(data), "--labels", str(labels), "--rating", "rating",
                    "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.count(f"skipped {data}:") == 3
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")


def test_an_output_named_by_a_link_loop_is_refused_without_a_traceback(tmp_path: Path) -> None:
    # Python before 3.13 reports a loop when links are followed as a RuntimeError, which the
    # folder's walk let through as a traceback; the link is left as it was.
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "l1.csv").symlink_to("l2.csv")
    (folder / "l2.csv").symlink_to("l1.csv")
    result = invoke("score", str(folder), "-o", str(folder / "l1.csv"))
    assert result.exit_code == 2
    assert "symbolic link in a loop of links" in result.stderr
    assert (folder / "l1.csv").is_symlink()


def test_a_reader_that_goes_away_ends_the_run_as_one() -> None:
    # One write of megabytes to a pipe whose reader left ended with its first 64 KiB and exit 0.
    import subprocess
    import sys

    done = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m credscore rubric show "
                       f"{ROOT / 'rubric' / 'default.yaml'} | head -c 10 >/dev/null; "
                       "echo ${PIPESTATUS[0]}"], capture_output=True, text=True)
    assert done.stdout.strip() == "141"
