"""The rubric format's JSON Schema accepts every rubric the loader accepts, complete or an overlay,
and refuses a complete rubric that lacks what it needs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from credscore.cli import app

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
RUBRIC_FILES = sorted((ROOT / "rubric").glob("*.yaml")) + sorted(
    p for p in (ROOT / "tests" / "fixtures" / "rubrics").glob("*.yaml"))


@pytest.fixture(scope="module")
def validator() -> Any:
    result = CliRunner().invoke(app, ["rubric", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def problems(validator: Any, data: Any) -> list[str]:
    return sorted(error.message for error in validator.iter_errors(data))


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=lambda p: p.name)
def test_shipped_and_fixture_rubrics_are_valid(validator: Any, path: Path) -> None:
    assert problems(validator, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_the_documented_overlay_is_valid(validator: Any) -> None:
    doc = (ROOT / "docs" / "rubric-language.md").read_text(encoding="utf-8")
    overlay = re.search(r"```yaml\n(extends: .*?)```", doc, re.S)
    assert overlay is not None
    assert problems(validator, yaml.safe_load(overlay.group(1))) == []


def test_an_overlay_names_only_what_it_changes(validator: Any) -> None:
    overlay = {"extends": "default",
               "remove": ["authorship_and_date"],
               "criteria": [{"id": "sales_pitch", "remove": ["offer"],
                             "rules": [{"id": "sells_own_product", "ceiling": 50}],
                             "label": {"positive": ["Yes"]}}]}
    assert problems(validator, overlay) == []
    # A base's short_text changes key by key, or is switched off with null.
    assert problems(validator, {"extends": "default", "short_text": {"toward": 0.4}}) == []
    assert problems(validator, {"extends": "default", "short_text": None}) == []
    assert problems(validator, {"extends": "default", "short_text": {"toward": 2}})
    # What an overlay writes is still typed, and an unknown key is still refused.
    assert problems(validator, {"extends": "default", "criteria": [{"id": "x", "weight": "heavy"}]})
    assert problems(validator, {"extends": "default", "criteria": [{"id": "x", "wieght": 1}]})
    assert problems(validator, {"extends": "default", "criteria": [{"weight": 1}]}) == [
        "'id' is a required property"]


def test_a_complete_rubric_needs_its_keys(validator: Any) -> None:
    rubric = {"id": "r", "version": "1", "name": "R", "criteria": [{"id": "c"}]}
    found = problems(validator, rubric)
    assert "'name' is a required property" in found and "'signals' is a required property" in found
    # 'remove' drops criteria of a base, so a rubric without one cannot use it.
    rubric = {"id": "r", "version": "1", "name": "R", "remove": ["c"], "criteria": []}
    assert any("'remove' was unexpected" in p for p in problems(validator, rubric))
