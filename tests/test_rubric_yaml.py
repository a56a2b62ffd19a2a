"""Rubric YAML read with libyaml's events gives the node tree PyYAML's own reader gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from credscore.rubric import load
from credscore.rubric.load import RubricError, _FastLoader, _Loader, _tree
from credscore.rubric.yaml_errors import yaml_syntax_problem

ROOT = Path(__file__).resolve().parents[1]
RUBRICS = sorted([*(ROOT / "rubric").rglob("*.yaml"),
                  *(ROOT / "tests" / "fixtures" / "rubrics").rglob("*.yaml")])
pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")


def same_tree(a: yaml.Node, b: yaml.Node) -> None:
    assert type(a) is type(b) and a.tag == b.tag
    for x, y in ((a.start_mark, b.start_mark), (a.end_mark, b.end_mark)):
        assert (x.line, x.column, x.index) == (y.line, y.column, y.index)
    if isinstance(a, yaml.ScalarNode):
        assert (a.value, a.style or "") == (b.value, b.style or "")
    elif isinstance(a, yaml.SequenceNode):
        assert len(a.value) == len(b.value)
        for p, q in zip(a.value, b.value, strict=True):
            same_tree(p, q)
    else:
        assert len(a.value) == len(b.value)
        for (k1, v1), (k2, v2) in zip(a.value, b.value, strict=True):
            same_tree(k1, k2)
            same_tree(v1, v2)


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.name)
def test_libyaml_events_make_the_same_tree(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    same_tree(yaml.compose(text, Loader=_FastLoader), yaml.compose(text, Loader=_Loader))


def test_block_scalar_positions_point_at_their_text(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: 1\nb: >-\n  folded\n  text\nc: |\n    literal\n"
    _, fast = _tree(text, "x")
    monkeypatch.setattr(load, "_FastLoader", _Loader)
    _, slow = _tree(text, "x")
    assert fast == slow
    assert (fast[("b",)].line, fast[("b",)].col) == (3, 3)
    assert (fast[("c",)].line, fast[("c",)].col) == (6, 5)


def test_a_yaml_error_is_the_one_pyyaml_finds() -> None:
    bad = "a: [1, 2\nb: 3\n"
    with pytest.raises(yaml.MarkedYAMLError) as slow:
        yaml.compose(bad, Loader=_Loader)
    with pytest.raises(RubricError) as ours:
        _tree(bad, "x.yaml")
    where, problem = yaml_syntax_problem(slow.value)
    assert str(ours.value) == f"x.yaml:{where}: YAML syntax: {problem}"
    assert where == "2:2" and "in the '[' opened at 1:4: a ',' is missing" in problem
