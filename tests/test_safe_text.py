"""Nothing from an article, a file name, a label or a rubric reaches a terminal as a control
sequence, and reports show such characters visibly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore.cli import app
from credscore.report.json import dumps
from credscore.report.safe_text import safe_text

runner = CliRunner()

# Sets the window title, clears the screen, homes the cursor, draws a fake verdict; a C1 CSI;
# a carriage return that would overwrite the line; a bell; a right-to-left override; an isolate.
ATTACK = ("\x1b]0;pwned\x07\x1b[2J\x1b[H score 99.9 grade A \x9b31m\r fake \x07 "
          "\u202eevil\u202c \u2067x\u2069")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def test_safe_text_escapes_controls_and_keeps_text() -> None:
    assert safe_text("\x1b[2J") == "\\x1b[2J"
    assert safe_text("a\rb\x07\x9b") == "a\\x0db\\x07\\x9b"
    assert safe_text("\u202eevil\u2066") == "\\u202eevil\\u2066"
    kept = "Café 中文 — “quotes” tab\tand\nnewline"
    assert safe_text(kept) == kept


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    body = (f"Headline {ATTACK}\n\nA study in mice {ATTACK} found the drug may cure cancer. "
            "[bold red]markup[/] is text.")
    (d / "article\x1b[31m.txt").write_text(body)
    (d / "jsonl.jsonl").write_text(json.dumps(
        {"id": f"id {ATTACK}", "title": f"[blink]{ATTACK}", "text": body,
         "metadata": {"author": ATTACK}}) + "\n")
    (d / "binary\x1b[2J.txt").write_bytes(b"\x00\x01\x02")
    return d


def assert_clean(text: str) -> None:
    assert RAW.search(text.replace("\t", "").replace("\n", "")) is None, repr(text)


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_a_newline_in_a_file_name_cannot_forge_a_skipped_line(tmp_path: Path) -> None:
    (tmp_path / "a\nskipped other.txt: all good.txt").write_text("")
    result = runner.invoke(app, ["score", str(tmp_path), "-f", "csv"])
    lines = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert lines == [f"skipped {tmp_path}/a\\nskipped other.txt: all good.txt: empty file"]


def test_score_table_and_messages_are_safe(hostile: Path) -> None:
    result = invoke("score", str(hostile), "-j", "1")
    assert result.exit_code == 1
    assert_clean(result.stdout)
    assert_clean(result.stderr)
    assert "\\x1b]0;pwned" in result.stdout  # shown, not obeyed
    assert "[blink]" in result.stdout  # rich markup in a title is text
    assert "binary\\x1b[2J.txt" in result.stderr  # a file name in an error message


@pytest.mark.parametrize("name", ["article\x1b[31m.txt", "jsonl.jsonl"])
def test_explain_and_parse_are_safe(hostile: Path, name: str) -> None:
    for args in (["explain", str(hostile / name)], ["parse", str(hostile / name)],
                 ["parse", str(hostile / name), "--format", "json"]):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        assert_clean(result.stdout)
        assert_clean(result.stderr)
    shown = invoke("explain", str(hostile / name)).stdout
    assert "\\u202eevil" in shown and "\\x9b31m" in shown


def test_json_escapes_what_terminals_interpret_and_keeps_the_data(hostile: Path) -> None:
    result = invoke("score", str(hostile / "jsonl.jsonl"), "--format", "json", "-j", "1")
    assert_clean(result.stdout)
    assert "\\u202e" in result.stdout and "\\u009b" in result.stdout
    data = json.loads(result.stdout)
    assert ATTACK in data["documents"][0]["id"]  # the same data, only written differently
    assert json.loads(dumps({"k": "\u202e\x9b\x7f"})) == {"k": "\u202e\x9b\x7f"}


@pytest.mark.parametrize("fmt", ["csv", "markdown", "jsonl"])
def test_other_formats_are_safe(hostile: Path, fmt: str) -> None:
    result = invoke("score", str(hostile), "--format", fmt, "-j", "1")
    assert_clean(result.stdout)


def test_html_report_shows_controls_visibly(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = invoke("report", str(hostile), "-o", str(out), "-j", "1")
    assert result.exit_code == 1
    page = out.read_text(encoding="utf-8")
    assert_clean(page)
    assert "\\u202eevil" in page and "\\x1b]0;pwned" in page


def test_rubric_problems_are_safe(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(f'id: x\nversion: "1"\nname: n\ncriteria: []\n"{ATTACK}": 1\n'
                      .replace("\x1b", "\\e").replace("\x07", "\\a").replace("\x9b", "\\x9b")
                      .replace("\r", "\\r"))
    result = invoke("rubric", "check", str(rubric))
    assert result.exit_code == 2
    assert_clean(result.stderr)
    assert "unknown key" in result.stderr and "\\x1b]0;pwned" in result.stderr


BASE_RUBRIC = Path(__file__).parent / "fixtures" / "rubrics" / "base.yaml"


def test_rubric_docs_shows_a_hostile_file_name_and_agreement_name_visibly(tmp_path: Path) -> None:
    rubric = tmp_path / "rubric\x1b]0;pwned\x07-->.yaml"
    rubric.write_text(BASE_RUBRIC.read_text())
    evaluation = {"documents": 2, "labelled": 2, "criteria": [], "mean_macro_f1": None,
                  "overall": {"field": "stars\x1b[2J", "support": 2, "spearman": 1.0,
                              "kendall": 1.0, "disagreements": [],
                              "criteria": [{"id": "sources", "support": 2, "spearman": 1.0,
                                            "kendall": 1.0, "partial": None}]}}
    measured = tmp_path / "eval.json"
    measured.write_text(json.dumps(evaluation))
    result = runner.invoke(app, ["rubric", "docs", str(rubric), "-a",
                                 f"set\u202e{ATTACK}={measured}"])
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.stdout)
    assert "\\x1b]0;pwned\\x07" in result.stdout and "\\u202e" in result.stdout
    comment = result.stdout.splitlines()[2]
    assert comment.startswith("<!-- Generated by ") and comment.count("-->") == 1


def test_rubric_show_keeps_a_newline_in_the_version_inside_its_comment(tmp_path: Path) -> None:
    # The resolved rubric must load back: a version over two lines broke the header comment and
    # put the rest of the version into the YAML data.
    rubric = tmp_path / "r.yaml"
    rubric.write_text(BASE_RUBRIC.read_text().replace('version: "1.0"',
                                                      'version: "1.0\\ncriteria: []"'))
    resolved = tmp_path / "resolved.yaml"
    shown = runner.invoke(app, ["rubric", "show", str(rubric), "-o", str(resolved)])
    assert shown.exit_code == 0, shown.output
    assert resolved.read_text().splitlines()[0].startswith("# small 1.0\\ncriteria: [], resolved")
    checked = runner.invoke(app, ["rubric", "check", str(resolved)])
    assert checked.exit_code == 0, checked.output
