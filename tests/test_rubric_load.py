from __future__ import annotations

import os
import re
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


def with_pattern(pattern: str) -> str:
    """The minimal rubric with its signal's phrases replaced by ``pattern`` (as written in
    YAML, quotes included), on line 12 of r.yaml."""
    return MINIMAL.replace("phrases: [miracle, breakthrough]", f"pattern: {pattern}")


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


def test_bad_regex_column_counts_the_escapes_as_written() -> None:
    # In double quotes each backslash is written twice: the "(" is column 27, not 25.
    bad = MINIMAL.replace("        phrases: [miracle, breakthrough]", '        pattern: "\\\\bab\\\\s(c"')
    assert bad.splitlines()[11] == '        pattern: "\\\\bab\\\\s(c"'
    (problem,) = problems(bad)
    assert problem.startswith("r.yaml:12:27: ") and "does not compile" in problem


def where_written(text: str, mark: str) -> tuple[int, int]:
    """The line and column (from 1) of the one ``mark`` in ``text``."""
    assert text.count(mark) == 1
    before = text[:text.index(mark)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


@pytest.mark.parametrize("pattern", [
    # Escapes of one character written with several, before the error.
    '"\\t\\u00e9\\x41\\U0001F600\\/\\"ab(c"',
    # Over several lines: folded, joined by an escaped line break, with a blank line.
    '"ab\n          c\\td(e"',
    '"a\\tb\\\n          c\\u00e9d(e"',
    '"ab\n\n          \\x41cd(e"',
    "'it''s\n          a(b'",
    "ab\n          c (d",
])
@pytest.mark.parametrize("libyaml", [True, False])
def test_bad_regex_is_placed_where_it_is_written(pattern: str, libyaml: bool,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    if libyaml and not yaml.__with_libyaml__:
        pytest.skip("libyaml is not installed")
    monkeypatch.setattr(yaml, "__with_libyaml__", libyaml)
    bad = MINIMAL.replace("        phrases: [miracle, breakthrough]", f"        pattern: {pattern}")
    (problem,) = problems(bad)
    assert "does not compile" in problem
    line, col = map(int, problem.split(":")[1:3])
    assert (line, col) == where_written(bad, "(")


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


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    weight: 1\n", "    weight: -1\n",
     "r.yaml:9:13: criteria[0].weight: -1 is out of range; write a number of 0 or more"),
    ("    weight: 1\n", "    weight: 1\n    zones: []\n",
     "r.yaml:10:12: criteria[0].zones: is empty; list at least 1"),
    ("  - id: hype\n", "  - id: Hype-1\n",
     "r.yaml:5:9: criteria[0].id: 'Hype-1' is not an id: write a lower-case letter, then lower-case "
     "letters, digits or _"),
    ("    weight: 1\n", "    weight: 1\n    scoring: {base: 2}\n",
     "r.yaml:10:21: criteria[0].scoring.base: 2 is out of range; write a number of 1 or less"),
    ("  - id: hype\n", "  - id: " + "h" * 65 + "\n",
     "r.yaml:5:9: criteria[0].id: is too long; write at most 64 characters"),
])
def test_a_value_out_of_bounds_is_told_in_the_rubrics_words(old: str, new: str, expected: str) -> None:
    (problem,) = problems(MINIMAL.replace(old, new))
    assert problem.startswith(expected)
    assert "Input should" not in problem and "List should" not in problem


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


def test_each_unknown_template_field_is_reported_at_its_own_column() -> None:
    bad = MINIMAL.replace("    weight: 1\n", "    weight: 1\n    explanation: '{foo} {bar}'\n")
    foo, bar = problems(bad)
    assert foo.startswith("r.yaml:10:19: ") and "unknown template field 'foo'" in foo
    assert bar.startswith("r.yaml:10:25: ") and "unknown template field 'bar'" in bar
    # With no close match, the message lists the fields a template may use.
    for problem in (foo, bar):
        assert "a template's fields are {verdict}, {score}," in problem
        assert "{findings}" in problem and "{id.first}" in problem
        assert "for the signals hype_word" in problem


def test_a_template_field_is_placed_in_a_double_quoted_template_with_escapes() -> None:
    bad = MINIMAL.replace("    weight: 1\n",
                          '    weight: 1\n    explanation: "\\t{verdict} {hype_wrd}"\n')
    (problem,) = problems(bad)
    assert problem.startswith("r.yaml:10:31: ")
    assert "unknown template field 'hype_wrd'; did you mean 'hype_word'?" in problem


UNCLOSED = ("a quoted value opened here is not closed on its line; close the quote (a value "
            "that runs over several lines is written as a block scalar: '|'")


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_quote_left_open_is_placed_where_it_opens_in_plain_words(quote: str) -> None:
    # The quote runs on to a later one (a pattern's); the parser gives up there, eight lines on,
    # with a bad escape in a double-quoted value or a line that does not line up after a single-
    # quoted one.
    (problem,) = problems(with_pattern("'doi\\.org'").replace("name: No hype",
                                                             f"name: {quote}No hype"))
    assert problem.startswith("r.yaml:6:11: YAML syntax: ") and UNCLOSED in problem
    assert "escape" not in problem and "line up" not in problem


def test_a_quoted_value_over_several_indented_lines_still_loads_and_keeps_its_own_errors() -> None:
    text = MINIMAL.replace("name: No hype", 'name: "No\n      hype"')
    assert load_rubric_text(text, "r.yaml").rubric.criteria[0].name == "No hype"
    # A mistake inside a value that rightly goes on over lines is not taken for an open quote.
    (problem,) = problems(MINIMAL.replace("name: No hype", 'name: "No\n      \\. hype"'))
    assert problem.startswith("r.yaml:7:8: ") and "unknown escape character" in problem


def test_prose_run_on_at_the_same_indent_keeps_its_own_error() -> None:
    # PyYAML reads a quoted value whose next line is prose at the key's own indent as one value:
    # a bad escape there is that escape, not a quote left open (closing it would not help).
    text = MINIMAL.replace("name: No hype", 'name: "No hype, as the\n    guide at doi says"')
    assert load_rubric_text(text, "r.yaml").rubric.criteria[0].name == (
        "No hype, as the guide at doi says")
    (problem,) = problems(text.replace("doi says", "doi\\.org says"))
    assert problem.startswith("r.yaml:7:18: ") and "unknown escape character" in problem
    assert UNCLOSED not in problem


def test_yaml_syntax_error_has_position() -> None:
    (problem,) = problems("id: [unclosed\nversion: x\n")
    assert problem.startswith("r.yaml:")
    assert "YAML syntax" in problem


@pytest.mark.parametrize(("old", "new", "where", "says"), [
    # where the mistake is, not where the parser gave up (the end of the file)
    ("name: No hype", 'name: "No hype', "6:11", "never closed; add the closing quote"),
    ("[miracle, breakthrough]", "[miracle, breakthrough", "13:15",
     "in the '[' opened at 12:18: a ',' is missing between two items, or the '['"),
    ("[miracle, breakthrough]\n        points: -1\n", "[miracle, breakthrough\n", "12:18",
     "'[' opened here is never closed; add ']'"),
    # an unclosed '[' or '{' with nothing after it: the parser gives up at the end of the file
    ("[miracle, breakthrough]\n        points: -1\n", "[miracle, breakthrough,\n", "12:18",
     "'[' opened here is never closed; add ']'"),
    ("[miracle, breakthrough]", '[miracle, "break" through]', "12:36",
     "expected ',' or ']' here, in the '[' opened at 12:18"),
    ("    weight: 1", "   weight: 1", "9:4", "does not line up with the list or mapping"),
    ("    weight: 1", "    weight 1", "9:5", "add the ':' after the key"),
    ("name: No hype", "name: No: hype", "6:13", "quote a value that holds ': '"),
    ("name: No hype", "name: @hype", "6:11", "cannot start with '@'; put the value in quotes"),
    ("    weight: 1", "\tweight: 1", "9:1", "indented with spaces, never tabs"),
])
def test_yaml_syntax_errors_say_where_and_what_in_plain_words(
        old: str, new: str, where: str, says: str) -> None:
    (problem,) = problems(MINIMAL.replace(old, new, 1))
    assert problem.startswith(f"r.yaml:{where}: YAML syntax: ")
    assert says in problem
    assert "<block" not in problem and "stream" not in problem


def test_a_second_yaml_document_says_to_keep_one() -> None:
    # It said "but found another document (expected a single document in the stream at 1:1)".
    (problem,) = problems('id: x\nversion: "1"\nname: n\n---\nid: y\n')
    assert problem.startswith("r.yaml:4:1: YAML syntax: a second YAML document starts here")
    assert "remove this '---' line" in problem and "stream" not in problem
    (problem,) = problems('id: x\nversion: "1"\nname: n\n...\nid: y\n')
    assert problem.startswith("r.yaml:5:1: YAML syntax: this comes after the end of the YAML")
    assert "remove the '...' line" in problem and "<" not in problem


@pytest.mark.parametrize(("end", "where", "says"), [
    ("criteria: [\n", "4:11", "'[' opened here is never closed; add ']'"),
    ("criteria: {\n", "4:11", "'{' opened here is never closed; add '}'"),
    ('criteria: ["a [b",  # [ not this one\n', "4:11", "'[' opened here is never closed"),
    ("criteria: [a, 'Don''t [x', b,\n", "4:11", "'[' opened here is never closed"),
    # a quote inside a plain value ("the 'best") opens nothing; one after a tag does; a block
    # value's line may start with one that its line does not close
    ("criteria: [[the 'best], x,\n", "4:11", "'[' opened here is never closed"),
    ('criteria: [a, !!str "x [y", b,\n', "4:11", "'[' opened here is never closed"),
    ("description: >-\n  'Tis the season [for hype]\n  words.\ncriteria: [a,\n", "7:11",
     "'[' opened here is never closed"),
    ('description: "one \\\n  two"\ncriteria: [a,\n', "6:11", "'[' opened here is never closed"),
])
def test_a_bracket_left_open_at_the_end_of_the_file_is_placed_where_it_opens(
        end: str, where: str, says: str) -> None:
    (problem,) = problems(f'id: x\nversion: "1"\nname: n\n{end}')
    assert problem.startswith(f"r.yaml:{where}: YAML syntax: ") and says in problem
    assert "stream" not in problem


def test_signal_needs_exactly_one_matcher() -> None:
    bad = MINIMAL.replace("        points: -1\n", "        pattern: x\n        points: -1\n")
    assert any("both 'phrases'/'lexicons' and 'pattern'; keep one" in p for p in problems(bad))
    neither = MINIMAL.replace("        phrases: [miracle, breakthrough]\n", "")
    assert any("needs 'phrases', 'lexicons' or 'pattern'; add one" in p for p in problems(neither))


def test_look_around_refused_where_it_is_with_a_rewrite() -> None:
    bad = MINIMAL.replace("        phrases: [miracle, breakthrough]",
                          "        pattern: '\\bmiracle(?!\\s+grow)'")
    (problem,) = problems(bad)
    # "        pattern: '\bmiracle(?!\s+grow)'": the quote is column 18, "(?!" column 28.
    assert problem.startswith("r.yaml:12:28: ")
    assert "look-around '(?!...)' is not supported" in problem
    assert "(?P<hit>" in problem


def test_one_byte_escape_is_refused_where_it_is() -> None:
    # '\C' matches one byte of UTF-8: "caf\C" found "caf" in "café", half a character.
    bad = MINIMAL.replace("        phrases: [miracle, breakthrough]", "        pattern: 'caf\\C'")
    (problem,) = problems(bad)
    assert problem.startswith("r.yaml:12:22: ") and "'\\C' (any one byte) is not supported" in problem


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


def test_deep_nesting_is_a_positioned_problem_not_a_crash() -> None:
    deep = MINIMAL + "description: " + "[" * 500 + "]" * 500 + "\n"
    (problem,) = problems(deep)
    assert problem.startswith("r.yaml:14:45: ") and "nested more than 32 levels" in problem
    block = MINIMAL + "description:\n" + "".join("  " * i + "- \n" for i in range(600))
    assert "nested more than" in problems(block)[0]


@pytest.mark.parametrize(("old", "new", "where"), [
    ("    weight: 1\n", "    weight: 1\n    zones: []\n", "r.yaml:10:12: criteria[0].zones"),
    ("        points: -1\n", "        points: -1\n        zones: []\n",
     "r.yaml:14:16: criteria[0].signals[0].zones"),
])
def test_empty_zone_lists_are_refused(old: str, new: str, where: str) -> None:
    (problem,) = problems(MINIMAL.replace(old, new))
    assert problem.startswith(where) and "is empty; list at least 1" in problem


@pytest.mark.parametrize(("value", "kind"), [
    ("!!python/name:os.system", "plain text"),
    ("!!python/object/apply:os.system ['echo hi']", "a plain list"),
    ("!!python/tuple [a, b]", "a plain list"),
    ("!!python/dict {a: b}", "a plain mapping"),
    ("!!set {a, b}", "a plain mapping"),
    ("!!timestamp 2024-01-01", "plain text"),
    ("!custom value", "plain text"),
])
def test_tags_are_refused_on_scalars_lists_and_mappings(value: str, kind: str) -> None:
    (problem,) = problems(MINIMAL.replace("name: Minimal rubric", f"name: {value}"))
    assert problem.startswith("r.yaml:3:7: unsupported YAML tag") and kind in problem


def test_a_tagged_key_is_refused() -> None:
    (problem,) = problems(MINIMAL + "? !!python/name:os.system\n: 1\n")
    assert problem.startswith("r.yaml:14:3: a key must be plain text")


@pytest.mark.parametrize("tag", ["!!int", "!!float", "!!bool", "!!null"])
def test_a_core_tag_that_changes_how_a_key_reads_is_refused_not_a_traceback(tag: str) -> None:
    # The key's constructor raised (int('weight')), past every check of a value's tag.
    (problem,) = problems(MINIMAL.replace("    weight: 1\n", f"    {tag} weight: 1\n"))
    assert re.match(rf"r\.yaml:\d+:5: a key must be plain text \(leave out its YAML tag, {tag}\)$",
                    problem), problem


def test_a_core_tag_that_reads_as_the_plain_key_would_changes_nothing() -> None:
    loaded = load_rubric_text(textwrap.dedent(MINIMAL.replace("    weight: 1\n",
                                                             "    !!str weight: 2\n")), "r.yaml")
    assert loaded.rubric.criteria[0].weight == 2


def test_all_weights_zero_is_refused() -> None:
    (problem,) = problems(MINIMAL.replace("    weight: 1\n", "    weight: 0\n"))
    assert "every criterion has weight 0" in problem and problem.startswith("r.yaml:")
    load_rubric_text(MINIMAL.replace("weight: 1", "weight: 0.5"))  # any weight above 0 will do


def test_crashing_rubrics_exit_2_from_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from credscore.cli import app

    for i, text in enumerate([MINIMAL + "description: " + "[" * 500 + "]" * 500 + "\n",
                              MINIMAL.replace("    weight: 1\n", "    weight: 1\n    zones: []\n"),
                              MINIMAL.replace("name: Minimal rubric", "name: !!python/name:os.system"),
                              MINIMAL.replace("weight: 1", "weight: 0")]):
        path = tmp_path / f"r{i}.yaml"
        path.write_text(text)
        result = CliRunner().invoke(app, ["rubric", "check", str(path)])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"{path}:")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_a_number_that_is_not_finite_is_refused(value: str) -> None:
    (problem,) = problems(MINIMAL.replace("points: -1", f"points: {value}"))
    assert problem.startswith("r.yaml:13:17: ") and "finite number" in problem


def test_a_lone_surrogate_is_refused_where_it_is() -> None:
    (problem,) = problems(MINIMAL.replace("name: Minimal rubric", 'name: "Mini\\udc80mal"'))
    assert problem.startswith("r.yaml:3:7: ") and "\\udc80" in problem


@pytest.mark.parametrize(("escape", "shown"), [("\\x1b[31m", "U+001B"), ("\\r", "U+000D"),
                                             ("\\a", "U+0007"), ("\\u202e", "U+202E"),
                                             ("\\x9b", "U+009B")])
def test_a_control_character_in_rubric_text_is_refused_where_it_is(escape: str, shown: str) -> None:
    # a rubric's names, labels, grades and phrases are printed to terminals and reports
    (problem,) = problems(MINIMAL.replace("name: No hype", f'name: "No{escape} hype"'))
    assert problem.startswith("r.yaml:6:11: ") and shown in problem
    load_rubric_text(MINIMAL.replace("name: No hype", 'name: "No\\thype"'))  # a tab is text
    load_rubric_text(MINIMAL.replace("name: No hype", 'name: "\\u200fNo hype"'))  # an RLM too


def test_a_number_of_thousands_of_digits_is_refused_where_it_is() -> None:
    (problem,) = problems(MINIMAL.replace("weight: 1", "weight: " + "9" * 5000))
    assert problem.startswith("r.yaml:9:13: ") and "5000 digits" in problem


def test_a_file_that_is_not_utf8_is_refused_at_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.replace("miracle,", "mir\u00e1cle,").encode("latin-1"))
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    # "        phrases: [mir\xe1cle, ...": the byte 0xE1 is column 22 of line 12.
    assert info.value.problems == [f"{path}:12:22: the file is not UTF-8 (byte 0xE1 here); "
                                   "save it as UTF-8"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    with pytest.raises(RubricError) as info:
        load_rubric(path)  # reading it would wait for a writer forever
    assert "not a regular file" in info.value.problems[0]


@pytest.mark.parametrize("pattern", ["''", "'\\d*'", "'miracle|'", "'(?:miracle)?'", "'\\b'"])
def test_a_pattern_that_can_match_empty_text_is_refused(pattern: str) -> None:
    (problem,) = problems(with_pattern(pattern))
    assert problem.startswith("r.yaml:12:") and "can match empty text" in problem


@pytest.mark.parametrize(("pattern", "column"), [("'(?P<hit>)cure'", 19),
                                               ("'miracle|(?P<hit>\\b)cure'", 27)])
def test_a_named_group_that_can_only_match_empty_text_is_refused(pattern: str,
                                                                 column: int) -> None:
    # Its hit would be empty, and an empty hit is never a finding: the pattern found nothing.
    (problem,) = problems(with_pattern(pattern))
    assert problem.startswith(f"r.yaml:12:{column}: ")
    assert "the named group 'hit' can only match empty text" in problem


@pytest.mark.parametrize(("pattern", "column"), [("'(?P<hit>x?)cure'", 19),
                                               ("'miracle|(?P<hit>(?:wonder)?)cure'", 27),
                                               ("'(?P<hit>a|)cure'", 19)])
def test_a_named_group_that_can_match_empty_text_is_refused(pattern: str, column: int) -> None:
    # A match in which it is empty would be skipped as text without a hit, silently.
    (problem,) = problems(with_pattern(pattern))
    assert problem.startswith(f"r.yaml:12:{column}: ")
    assert "the named group 'hit' can match empty text" in problem
    assert "'(?P<hit>x?)cure' -> '(?P<hit>x?cure)'" in problem


def test_a_named_group_inside_another_may_match_empty_text() -> None:
    # The outer group takes part whenever the inner one does, and it is the one reported.
    loaded = load_rubric_text(textwrap.dedent(with_pattern("'(?P<hit>(?P<inner>x?)cure)'")), "r.yaml")
    assert loaded.rubric.criteria[0].signals[0].pattern == "(?P<hit>(?P<inner>x?)cure)"


@pytest.mark.parametrize(("pattern", "expected"), [
    ("'cure{3,1}'", "r.yaml:12:23: criteria[0].signals[0].pattern: regular expression: "
     "repetition '{3,1}' has its minimum above its maximum; write '{1,3}'"),
    ("'cure{1001}'", "r.yaml:12:23: criteria[0].signals[0].pattern: regular expression: "
     "repetition '{1001}' is too large: RE2 allows at most 1000"),
    # swapped, it would still be too large: said so, not "write '{2,1001}'"
    ("'cure{1001,2}'", "r.yaml:12:23: criteria[0].signals[0].pattern: regular expression: "
     "repetition '{1001,2}' is too large: RE2 allows at most 1000"),
])
def test_a_bad_repetition_says_what_is_wrong_with_it(pattern: str, expected: str) -> None:
    # '{3,1}' was called "invalid or too large", with advice about the 1,000 limit only.
    (problem,) = problems(with_pattern(pattern))
    assert problem.startswith(expected)


@pytest.mark.parametrize(("pattern", "line", "column"), [
    ("|\n          miracle\n          (?<!no )cure", 14, 11),
    (">-\n          miracle\n\n            and (?=x)cure", 15, 17),
    ("|2-\n            miracle\n             b(?=x)cure", 14, 15),
])
def test_a_pattern_problem_in_a_block_scalar_is_placed_on_its_own_line(pattern: str, line: int,
                                                                       column: int) -> None:
    # It was counted along the block's first line, as if the lines were one.
    (problem,) = problems(with_pattern(pattern))
    assert problem.startswith(f"r.yaml:{line}:{column}: ") and "look-around" in problem


@pytest.mark.parametrize(("pattern", "column"), [("'(?P<hit>cure)|(?P<hit>remedy)'", 33),
                                               ("'(?P<a>x)(?<hit>cure)|(?P<hit>remedy)'", 40)])
def test_a_group_name_given_twice_is_refused_at_the_second(pattern: str, column: int) -> None:
    # RE2 accepts it but names only the first group: a match through the second reported nothing.
    (problem,) = problems(with_pattern(pattern))
    assert problem.startswith(f"r.yaml:12:{column}: ")
    assert "the named group 'hit' is named twice" in problem
    load_rubric_text(with_pattern("'(?P<hit>cure)|(?P<hit2>remedy)'"))


@pytest.mark.parametrize(("pattern", "column"), [
    # The repetition with the largest bound is where the pattern is placed.
    ("'\\w[^~]{0,1000}'", 25),
    ("'(?:\\w+\\W+){0,100}x'", 29),
    # The braces of an escape ('\x{2028}') are no repetition.
    ("'\\x{2028}\\w[^~]{0,1000}'", 33),
    # Written out, the same slow pattern has no repetition to point at.
    ("'\\w" + "[^~]?" * 400 + "'", 19),
])
def test_a_pattern_too_large_to_read_fast_is_refused_where_it_is(pattern: str,
                                                                 column: int) -> None:
    # RE2 runs these in linear time, but every byte costs as much as the repetition is long:
    # '\w[^~]{0,1000}' read news text at 0.02 MB/s.
    (problem,) = problems(with_pattern(pattern))
    assert problem.startswith(f"r.yaml:12:{column}: ")
    assert "instructions, more than the 3,000 a pattern may have" in problem
    assert "write a long list of words as 'phrases'" in problem


def test_a_long_alternation_and_a_shorter_bound_are_accepted() -> None:
    words = "|".join(f"drug{i}" for i in range(300))
    for pattern in (f"'\\b(?:{words})\\b'", "'\\w[^~]{0,300}'", "'(?:\\w+\\W+){0,12}x'"):
        load_rubric_text(with_pattern(pattern), "r.yaml")


@pytest.mark.parametrize(("change", "where", "says"), [
    # A reference to an unknown signal: the name itself, not the criterion it is in.
    (lambda t: t + "    rules:\n      - id: r\n        when: {absent: [hype_word, hype_wrd]}\n"
     "        points: 1\n", "r.yaml:16:36:", "unknown signal 'hype_wrd'"),
    (lambda t: t.replace("        points: -1\n", "        points: -1\n        with: [hype_wrd]\n"),
     "r.yaml:14:16:", "unknown signal 'hype_wrd'"),
    (lambda t: t.replace("        points: -1\n",
                         "        points: -1\n      - id: hype_word\n        phrases: [x]\n"),
     "r.yaml:14:13:", "duplicate signal or rule id 'hype_word'"),
    (lambda t: t.replace("    weight: 1\n", "    weight: 1\n    explanation: '{verdict} {hype_wrd}'\n"),
     "r.yaml:10:29:", "unknown template field 'hype_wrd'"),
    (lambda t: t.replace("phrases: [miracle, breakthrough]", "lexicons: [hyped]"),
     "r.yaml:12:20:", "unknown lexicon 'hyped'"),
    (lambda t: t + t.split("criteria:\n")[1], "r.yaml:14:9:", "duplicate criterion id 'hype'"),
])
def test_a_check_of_a_whole_criterion_points_at_the_value_at_fault(change, where, says) -> None:
    (problem,) = problems(change(MINIMAL))
    assert problem.startswith(where) and says in problem


@pytest.mark.parametrize(("change", "where", "says"), [
    (lambda t: t.replace("    weight: 1\n", "    weight: 1\n    explanation: '{verdict: {findings}'\n"),
     "r.yaml:10:18:", "without its pair"),
    (lambda t: t.replace("    weight: 1\n",
                         "    weight: 1\n    explanation: {goood: '{verdict}', default: '{score}'}\n"),
     "r.yaml:10:26:", "unknown verdict 'goood'; did you mean 'good'?"),
    (lambda t: t.replace("    weight: 1\n", "    weight: 1\n    verdicts: [{min: 0.5, label: a}, "
                         "{min: 0.5, label: b}, {min: 0, label: c}]\n"),
     "r.yaml:10:44:", "two verdicts with min 0.5"),
    (lambda t: t + "grades: [{min: 50, grade: A}, {min: 0, grade: B}, {min: 0, grade: C}]\n",
     "r.yaml:14:57:", "two grades with min 0:"),
    (lambda t: t.replace("    weight: 1\n",
                         "    weight: 1\n    scoring: {steps: [{min_points: 0, score: 1}]}\n"),
     "r.yaml:10:22:", "steps are read only with method: steps"),
    (lambda t: t.replace("  - id: hype\n", "\t- id: hype\n"), "r.yaml:5:1:", "never tabs"),
    # A condition that names no signal holds for every article (a ceiling would cap them all).
    (lambda t: t + "    rules:\n      - id: r\n        when: {}\n        points: 1\n",
     "r.yaml:16:15:", "the condition names no signal"),
    (lambda t: t.replace("    weight: 1\n", "    weight: 1\n    applies_when: {absent: []}\n"),
     "r.yaml:10:19:", "the condition names no signal"),
    # Steps that score only 0.2 and 0.8 could never give a verdict from 0.9.
    (lambda t: t.replace("    weight: 1\n", "    weight: 1\n    scoring: {method: steps, steps: "
                         "[{min_points: 0, score: 0.8}, {min_points: -1, score: 0.2}]}\n"
                         "    verdicts: [{min: 0.9, label: a}, {min: 0.5, label: b}, "
                         "{min: 0, label: c}]\n"),
     "r.yaml:11:22:", "verdict 'a' (from 0.9) could never be given: the steps score only 0.2 "
     "and 0.8"),
])
def test_a_rubric_that_would_be_read_otherwise_than_written_is_refused(change, where,
                                                                      says) -> None:
    (problem,) = problems(change(MINIMAL))
    assert problem.startswith(where) and says in problem


def test_a_signal_of_another_criterion_is_named_as_such() -> None:
    second = textwrap.dedent("""\
      - id: sources
        name: Sources
        description: Names its sources.
        anchor: DISCERN 4
        weight: 1
        signals:
          - id: journal
            phrases: [the lancet]
            points: 1
            with: [hype_word]
    """)
    text = MINIMAL + textwrap.indent(second, "  ")
    (problem,) = problems(text)
    line = text[:text.index("hype_word]")].count("\n") + 1
    col = text.index("hype_word]") - text.rindex("\n", 0, text.index("hype_word]"))
    assert problem.startswith(f"r.yaml:{line}:{col}: criteria[1].signals[0].with[0]: unknown signal "
                              "'hype_word': it is a signal of criterion 'hype'")
    assert "define the signal in this criterion too" in problem


def test_an_exponent_yaml_reads_as_text_is_explained() -> None:
    (problem,) = problems(MINIMAL.replace("        points: -1", "        points: -1e-3"))
    assert problem.startswith("r.yaml:13:17: criteria[0].signals[0].points: ")
    assert problem.endswith("(YAML reads -1e-3 as text; write -0.001)")


@pytest.mark.parametrize(("written", "hint"), [
    ("        points: -1", "        points: '-1'"),
    ("        max_hits: 3", '        max_hits: "3"'),
])
def test_a_number_in_quotes_says_to_write_it_without(written: str, hint: str) -> None:
    text = MINIMAL if written in MINIMAL else MINIMAL.replace("        points: -1",
                                                              "        points: -1\n" + written)
    (problem,) = problems(text.replace(written, hint))
    expected = "write -1.0 without quotes" if "points" in written else "write 3 without quotes"
    assert problem.endswith(f"(in quotes it is text; {expected})")


def test_a_value_that_should_be_a_mapping_says_so_in_the_rubric_s_words() -> None:
    text = MINIMAL.replace("    weight: 1\n", "    weight: 1\n    scoring: fast\n", 1)
    (problem,) = problems(text)
    assert "criteria[0].scoring: should be a mapping: keys with their values" in problem
    assert "instance of" not in problem


def test_an_empty_mapping_value_asks_for_a_value_not_quotes() -> None:
    rules = "    rules:\n      - id: r\n        when:\n        points: 1\n"
    (problem,) = problems(MINIMAL + rules)
    assert "YAML reads an empty value as null; give it a value" in problem


def test_a_signal_whose_lexicons_are_all_empty_is_refused_at_the_empty_list() -> None:
    text = MINIMAL.replace("        phrases: [miracle, breakthrough]", "        lexicons: [hype]")
    (problem,) = problems("lexicons:\n  hype: []\n" + text)
    assert problem == ("r.yaml:2:9: lexicons.hype: lexicon 'hype' holds no phrases, so signal "
                       "'hype_word' of criterion 'hype' could never match; add phrases, or remove "
                       "the signal")


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x07"])
def test_a_raw_control_character_is_placed_where_it_is(char: str) -> None:
    bad = MINIMAL.replace("[miracle, breakthrough]", f"[miracle, break{char}through]")
    (problem,) = problems(bad)
    assert problem == (f"r.yaml:12:33: the file holds U+{ord(char):04X}, a character YAML does not "
                       "allow in a file; remove it")


@pytest.mark.parametrize("tagged", ["!!float 2", "!!str 2", "!<tag:yaml.org,2002:float> 2"])
def test_a_core_tag_that_changes_a_value_is_refused(tagged: str) -> None:
    (problem,) = problems(MINIMAL.replace("    weight: 1\n", f"    weight: {tagged}\n"))
    assert problem.startswith("r.yaml:9:13: a YAML tag (!!") and "leave the tag out" in problem


@pytest.mark.parametrize(("old", "new", "hint"), [
    ("    weight: 1\n", "    weight: yes\n", "(YAML reads yes as true)"),
    ("        points: -1\n", "        points: -1\n        max_hits: 1e3\n",
     "(YAML reads 1e3 as text; write 1000)"),
    ("        points: -1\n", "        points: -1\n        max_hits: 3e-1\n",
     "(YAML reads 3e-1 as text; write a whole number)"),
])
def test_a_number_hint_never_asks_for_quotes_where_a_number_is_wanted(old: str, new: str,
                                                                       hint: str) -> None:
    (problem,) = problems(MINIMAL.replace(old, new))
    assert problem.endswith(hint) and "quotes" not in problem


def test_a_raw_control_character_is_placed_in_a_file_with_cr_line_breaks() -> None:
    bad = MINIMAL.replace("[miracle, breakthrough]", "[miracle, break\x1bthrough]")
    (problem,) = problems(bad.replace("\n", "\r"))
    assert problem.startswith("r.yaml:12:33: the file holds U+001B")


@pytest.mark.parametrize("value", ["1.0e+308", "-1.0e+308", "1.5e+100"])
def test_a_number_too_large_for_a_score_is_refused_where_it_is(value: str) -> None:
    # Written with an exponent, such a number has few digits; two such weights made every
    # total inf or nan (and the HTML report crash on the nan).
    (problem,) = problems(MINIMAL.replace("weight: 1", f"weight: {value}"))
    assert problem.startswith("r.yaml:9:13: ") and "more than 100 digits" in problem
    load_rubric_text(MINIMAL.replace("weight: 1", "weight: 1.0e+99"))


@pytest.mark.parametrize(("phrase", "says"), [
    ("\\u200b", "is empty"),  # a zero-width space alone: nothing left once normalised
    ("a\\uff0ab", "'*' may only end the last word"),  # a full-width '*' is a '*'
])
def test_phrases_are_checked_as_they_are_matched(phrase: str, says: str) -> None:
    bad = MINIMAL.replace("[miracle, breakthrough]", f'[miracle, "{phrase}"]')
    (problem,) = problems(bad)
    assert says in problem and problem.startswith("r.yaml:12:")


def test_a_signal_id_that_is_a_template_field_is_refused() -> None:
    """A signal named ``name`` would make ``{name}`` in an explanation its count, not the
    criterion's name."""
    bad = MINIMAL.replace("- id: hype_word", "- id: name").replace(
        "    weight: 1\n", "    weight: 1\n    explanation: '{name}: {verdict}'\n")
    (problem,) = problems(bad)
    assert problem.startswith("r.yaml:12:13: criteria[0].signals[0].id:")
    assert "template field {name}" in problem and "choose another id" in problem


@pytest.mark.parametrize("pattern", ["'(?P<hit>\\Q(\\E) cure'", "'\\Q(?=\\E cure'",
                                     "'(?P<hit>\\Q)\\E)cure'"])
def test_a_named_group_holding_quoted_parentheses_loads(pattern: str) -> None:
    # '\Q...\E' is literal text: a parenthesis in it neither opens nor closes a group (the
    # check for empty named groups ended the load with a traceback).
    load_rubric_text(with_pattern(pattern), "r.yaml")


@pytest.mark.parametrize("pattern", ["'anti(?P<hit>\\B\\w+)'", "'\\w(?P<hit>\\Bitis)\\b'",
                                     "'COVID(?P<hit>\\b-19)'", "'(?m)(?P<hit>^Note:)'"])
def test_a_named_group_starting_with_an_assertion_loads(pattern: str) -> None:
    # '\B' holds inside a word, where the group is tried; alone at the start of a text it never
    # holds, which made the group look as if it could only match empty text.
    load_rubric_text(with_pattern(pattern), "r.yaml")


def test_a_pattern_too_large_to_compile_ignoring_case_is_refused() -> None:
    # Compiled as written it fits RE2's memory; ignoring case ('k' and 's' also match the Kelvin
    # sign and the long s) it does not: the load ended with a traceback.
    words = "|".join(f"s{i}[ks]{{1000}}" for i in range(70))
    (problem,) = problems(with_pattern(f"'x(?:{words})'"))
    assert problem.startswith("r.yaml:12:")
    assert "too large for RE2 to compile" in problem


def test_problems_are_listed_in_the_order_they_are_written(tmp_path: Path) -> None:
    # The validator reports by key: a criterion's unknown key came before the top level's
    path = tmp_path / "r.yaml"
    path.write_text("extends: default\nid: mine\ncolour: red\ncriteria:\n  - id: costs\n"
                    "    wieght: 3\n    scoring: {method: linear, scale: -1}\n", encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    places = [tuple(int(n) for n in p.split(": ", 1)[0].split(":")[-2:])
              for p in info.value.problems]
    assert len(places) == 3 and places == sorted(places)
