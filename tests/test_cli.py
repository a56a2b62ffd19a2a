from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore.cli import app

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
    assert errors[f"{corpus.as_posix()}:2"].startswith("not valid JSON")
    assert "no 'text' or 'html'" in errors[f"{corpus.as_posix()}:4"]


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


def test_folder_ids_are_relative(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(SEEDS / "002_e783488c8f71499a.txt", nested / "x.txt")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    data = json.loads(invoke("score", str(tmp_path), "--format", "json").stdout)
    assert [d["id"] for d in data["documents"]] == ["a/b/x.txt"]
