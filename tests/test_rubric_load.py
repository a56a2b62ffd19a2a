from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from credscore.rubric.load import RubricError, default_rubric_path, load_rubric, load_rubric_text

MINIMAL = """\
id: mini
version: "1"
name: Minimal rubric
criteria:
  - id: hype
    name: No hype
    description: Hype words lower the score.
    anchor: HealthNewsReview criterion 10
    weight: 1
    signals:
      - id: hype_word
        phrases: [miracle, breakthrough]
        points: -1
"""


def problems(text: str) -> list[str]:
    with pytest.raises(RubricError) as info:
        load_rubric_text(textwrap.dedent(text), "r.yaml")
    return info.value.problems


def test_minimal_rubric_loads() -> None:
    loaded = load_rubric_text(MINIMAL)
    assert loaded.rubric.criteria[0].signals[0].phrases == ["miracle", "breakthrough"]
    assert len(loaded.sha256) == 64


def test_default_rubric_is_found_and_valid() -> None:
    assert default_rubric_path().name == "default.yaml"
    loaded = load_rubric()
    assert {"primary_sources", "animal_evidence", "sales_pitch", "hedging"} <= {
        c.id for c in loaded.rubric.criteria}


def test_typo_key_points_at_the_key_and_suggests() -> None:
    bad = MINIMAL.replace("        phrases: [miracle", "        phrasse: [miracle")
    (problem,) = [p for p in problems(bad) if "unknown key" in p]
    assert problem.startswith("r.yaml:12:9: ")
    assert "did you mean 'phrases'?" in problem


def test_bad_regex_points_into_the_pattern() -> None:
    bad = MINIMAL.replace("        phrases: [miracle, breakthrough]", "        pattern: 'ab(c'")
    (problem,) = problems(bad)
    assert "does not compile" in problem
    line, col = map(int, problem.split(":")[1:3])
    # "        pattern: 'ab(c'": the quote is column 18, the unclosed "(" column 21.
    assert (line, col) == (12, 21)


def test_duplicate_key_is_an_error_with_position() -> None:
    bad = MINIMAL.replace("    weight: 1\n", "    weight: 1\n    weight: 2\n")
    (problem,) = problems(bad)
    assert problem.startswith("r.yaml:10:5: duplicate key 'weight'")


def test_yaml_11_boolean_in_phrase_list_is_explained() -> None:
    bad = MINIMAL.replace("[miracle, breakthrough]", "[miracle, no, on]")
    found = problems(bad)
    assert len(found) == 2
    assert found[0].startswith("r.yaml:12:28: ")
    assert "YAML reads no as false" in found[0]


def test_yaml_11_float_version_is_explained() -> None:
    bad = MINIMAL.replace('version: "1"', "version: 3.10")
    (problem,) = problems(bad)
    assert problem.startswith("r.yaml:2:10: version")
    assert "as the number 3.1" in problem


def test_duplicate_criterion_ids() -> None:
    doubled = MINIMAL + MINIMAL.split("criteria:\n")[1]
    assert any("duplicate criterion id 'hype'" in p for p in problems(doubled))


def test_unknown_signal_reference_suggests_the_near_one() -> None:
    bad = MINIMAL + "    rules:\n      - id: r\n        when: {absent: [hype_wrd]}\n        points: 1\n"
    (problem,) = problems(bad)
    assert "unknown signal 'hype_wrd'; did you mean 'hype_word'?" in problem


def test_missing_key_names_it() -> None:
    bad = MINIMAL.replace("    anchor: HealthNewsReview criterion 10\n", "")
    (problem,) = problems(bad)
    assert "missing required key 'anchor'" in problem
    assert problem.startswith("r.yaml:5:5:")  # the criterion that lacks it


def test_aliases_are_refused() -> None:
    bad = MINIMAL.replace("[miracle, breakthrough]", "&words [miracle]") + "lexicons: {x: *words}\n"
    (problem,) = problems(bad)
    assert "anchors (&name) are not allowed" in problem


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    (problem,) = problems(bomb)
    assert "r.yaml:1:4:" in problem


def test_unknown_template_field() -> None:
    bad = MINIMAL.replace("    weight: 1\n", "    weight: 1\n    explanation: '{verdict} {hype_wrd}'\n")
    assert any("unknown template field 'hype_wrd'" in p for p in problems(bad))


def test_yaml_syntax_error_has_position() -> None:
    (problem,) = problems("id: [unclosed\nversion: x\n")
    assert problem.startswith("r.yaml:")
    assert "YAML syntax" in problem


def test_signal_needs_exactly_one_matcher() -> None:
    bad = MINIMAL.replace("        points: -1\n", "        pattern: x\n        points: -1\n")
    assert any("either 'phrases'/'lexicons' or 'pattern'" in p for p in problems(bad))


def test_look_around_refused_where_it_is_with_a_rewrite() -> None:
    bad = MINIMAL.replace("        phrases: [miracle, breakthrough]",
                          "        pattern: '\\bmiracle(?!\\s+grow)'")
    (problem,) = problems(bad)
    # "        pattern: '\bmiracle(?!\s+grow)'": the quote is column 18, "(?!" column 28.
    assert problem.startswith("r.yaml:12:28: ")
    assert "look-around '(?!...)' is not supported" in problem
    assert "(?P<hit>" in problem


def test_problem_in_a_folded_pattern_points_into_its_text() -> None:
    bad = MINIMAL.replace("        phrases: [miracle, breakthrough]",
                          "        pattern: >-\n          \\bmiracle\\s+(?<=x)cure")
    (problem,) = problems(bad)
    assert problem.startswith("r.yaml:13:23: ")  # the "(" of "(?<="


def test_named_groups_mark_the_finding() -> None:
    good = MINIMAL.replace("        phrases: [miracle, breakthrough]",
                           "        pattern: 'no miracle|(?P<hit>miracle)'")
    assert load_rubric_text(good).rubric.criteria[0].signals[0].pattern == "no miracle|(?P<hit>miracle)"


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(RubricError) as info:
        load_rubric(tmp_path / "missing.yaml")
    assert "cannot read the rubric" in info.value.problems[0]


def test_oversized_file_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * (3 * 1024 * 1024))
    with pytest.raises(RubricError) as info:
        load_rubric(big)
    assert "limit" in info.value.problems[0]
