"""A rubric built on another: overrides by id, additions, removal, chains, cycles, shared lexicon
files, errors located in the file that wrote the value, and a sha256 over the resolved rubric."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from credscore.cli import app
from credscore.engine.compile import compile_rubric
from credscore.engine.score import score
from credscore.models import ParsedDocument
from credscore.rubric.load import LoadedRubric, RubricError, load_rubric
from credscore.rubric.model import Rubric

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "rubrics"


@pytest.fixture()
def rubrics(tmp_path: Path) -> Path:
    """A writable copy of the fixture rubrics."""
    shutil.copytree(FIXTURES, tmp_path / "rubrics")
    return tmp_path / "rubrics"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    return info.value.problems


def where(problem: str) -> tuple[str, int, int]:
    """The file name, line and column a problem points at."""
    file, line, col = problem.split(":")[:3]
    return Path(file).name, int(line), int(col)


def line_of(path: Path, text: str, col_of: str | None = None) -> tuple[int, int]:
    """1-based line holding ``text`` and the column of ``col_of`` (default: of ``text``) in it."""
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return n, line.index(col_of or text) + 1
    raise AssertionError(f"{text!r} not in {path}")


def criterion(rubric: Rubric, cid: str):  # type: ignore[no-untyped-def]
    return rubric.criterion(cid)


def signal(rubric: Rubric, cid: str, sid: str):  # type: ignore[no-untyped-def]
    return next(s for s in rubric.criterion(cid).signals if s.id == sid)


@pytest.fixture(scope="module")
def base() -> Rubric:
    return load_rubric(FIXTURES / "base.yaml").rubric


@pytest.fixture(scope="module")
def child() -> LoadedRubric:
    return load_rubric(FIXTURES / "child.yaml")


def test_child_overrides_by_id(child: LoadedRubric, base: Rubric) -> None:
    r = child.rubric
    assert (r.id, r.version, r.name) == ("small_child", "1.0-child", base.name)
    sources = criterion(r, "sources")
    assert sources.weight == 5
    # A mapping merges key by key: the base's method and base stay, the scale changes.
    assert (sources.scoring.method, sources.scoring.base, sources.scoring.scale) == (
        "saturating", 0.35, 4.0)
    assert [v.label for v in sources.verdicts] == ["named", "unnamed"]
    journal = signal(r, "sources", "journal")
    assert (journal.points, journal.phrases) == (2, ["the lancet", "the bmj"])
    # What the child does not mention is the base's, unchanged.
    assert signal(r, "sources", "vague") == signal(base, "sources", "vague")
    assert sources.rules == base.criterion("sources").rules
    assert criterion(r, "animals") == base.criterion("animals")
    assert r.rating_field == base.rating_field


def test_child_adds_criteria_signals_and_lexicons(child: LoadedRubric) -> None:
    r = child.rubric
    assert [c.id for c in r.criteria] == ["sources", "animals", "caveats"]
    assert [s.id for s in criterion(r, "sources").signals] == ["journal", "vague", "preprint"]
    assert r.lexicons["caveats"] == ["more research is needed"]
    assert r.lexicons["hype_words"] == ["miracle", "cure-all"]  # a lexicon named again is replaced
    assert r.lexicons["animals"] == ["mice", "rats"]


def test_child_removes_a_criterion(child: LoadedRubric, base: Rubric) -> None:
    assert "hype" in {c.id for c in base.criteria}
    assert "hype" not in {c.id for c in child.rubric.criteria}


def test_chain_of_three(base: Rubric) -> None:
    loaded = load_rubric(FIXTURES / "leaf.yaml")
    r = loaded.rubric
    assert r.version == "1.0-leaf"
    assert criterion(r, "animals").weight == 4  # from mid.yaml
    assert criterion(r, "sources").rules == []  # the leaf removed the base's rule
    assert [s.id for s in criterion(r, "sources").signals] == ["journal", "vague"]
    assert [Path(s).name for s in loaded.sources] == ["leaf.yaml", "mid.yaml", "base.yaml"]


def test_cycle_is_an_error_naming_it() -> None:
    (problem,) = problems_of(FIXTURES / "cycle_a.yaml")
    assert "cycle" in problem
    chain = problem.split("cycle: ")[1].split(";")[0]
    assert [Path(p).name for p in chain.split(" -> ")] == ["cycle_a.yaml", "cycle_b.yaml",
                                                           "cycle_a.yaml"]
    # It points at the extends that closes the cycle.
    assert where(problem) == ("cycle_b.yaml", 1, 10)


def test_error_in_the_child_points_into_the_child(rubrics: Path) -> None:
    path = rubrics / "child.yaml"
    path.write_text(path.read_text().replace("    weight: 5\n", "    weight: -5\n"))
    (problem,) = problems_of(path)
    assert where(problem) == ("child.yaml", *line_of(path, "weight: -5", "-5"))
    assert "-5 is out of range; write a number of 0 or more" in problem


def test_error_in_the_base_points_into_the_base(rubrics: Path) -> None:
    base = rubrics / "base.yaml"
    base.write_text(base.read_text().replace("    weight: 2\n", "    weight: many\n"))
    (problem,) = problems_of(rubrics / "child.yaml")
    assert where(problem) == ("base.yaml", *line_of(base, "weight: many", "many"))


def test_error_in_a_lexicon_file_points_into_it(rubrics: Path) -> None:
    shared = rubrics / "lexicons" / "shared.yaml"
    shared.write_text(shared.read_text().replace("[consultant for, shares in]",
                                                 "[consultant for, no]"))
    (problem,) = problems_of(rubrics / "uses_shared_a.yaml")
    assert where(problem) == ("shared.yaml", *line_of(shared, ", no]", "no]"))
    assert "YAML reads no as false" in problem


def test_misspelt_id_and_removal_suggest_the_near_one(rubrics: Path) -> None:
    path = rubrics / "typo.yaml"
    path.write_text("extends: base.yaml\nremove: [hyp]\ncriteria:\n  - id: animls\n    weight: 1\n")
    found = sorted(problems_of(path))
    assert len(found) == 2
    assert where(found[0]) == ("typo.yaml", 2, 10)
    assert "no criterion 'hyp'" in found[0] and "did you mean 'hype'?" in found[0]
    assert where(found[1]) == ("typo.yaml", 4, 9)
    assert "no criterion 'animls'" in found[1] and "did you mean 'animals'?" in found[1]


def test_removing_a_signal_that_a_rule_needs_is_located_in_the_child(rubrics: Path) -> None:
    path = rubrics / "drop.yaml"
    path.write_text("extends: base.yaml\ncriteria:\n  - id: sources\n    remove: [journal]\n")
    (problem,) = problems_of(path)
    # At the 'remove' entry that dropped it, not at the criterion, and not as an unknown signal.
    assert where(problem) == ("drop.yaml", 4, 14)
    assert "criteria[sources]: remove drops signal 'journal'" in problem
    assert "unknown signal" not in problem
    # Where the base still names it (the base's rule that needs it), and what to do.
    base = rubrics / "base.yaml"
    line, col = line_of(base, "when: {absent: [journal]}", "journal")
    assert f"the 'when' of rule 'nothing_named' still names it at {base}:{line}:{col}" in problem
    assert "also remove or change what names it" in problem


@pytest.mark.parametrize(("criterion_key", "signal_key", "named_by", "at"), [
    ("", "        without: [vague]\n", "the 'without' of signal 'journal'", (13, 19)),
    ("    applies_when: {any_present: [vague]}\n", "", "'applies_when'", (6, 34)),
    ("    explanation: '{verdict}: {vague.first}'\n", "", "'explanation'", (6, 30)),
])
def test_removing_a_signal_the_base_still_names_says_so_at_the_remove(
        tmp_path: Path, criterion_key: str, signal_key: str, named_by: str,
        at: tuple[int, int]) -> None:
    base = tmp_path / "b.yaml"
    base.write_text("id: b\nversion: '1'\nname: B\ncriteria:\n  - id: c\n" + criterion_key
                    + "    name: C\n    description: d\n    anchor: a\n    weight: 1\n"
                    "    signals:\n      - id: journal\n        points: 1\n" + signal_key
                    + "        phrases: [the lancet]\n      - id: vague\n        points: -1\n"
                    "        phrases: [studies show]\n")
    child = tmp_path / "o.yaml"
    child.write_text("extends: ./b.yaml\nid: o\nversion: '1'\ncriteria:\n  - id: c\n"
                     "    remove: [vague]\n")
    (problem,) = problems_of(child)
    assert where(problem) == ("o.yaml", 6, 14)
    line, col = at
    assert (f"criteria[c]: remove drops signal 'vague', but {named_by} still names it at "
            f"{base}:{line}:{col};") in problem
    assert "also remove or change what names it" in problem


def test_a_problem_in_a_rubric_built_on_another_names_the_criterion_by_its_id(
        rubrics: Path) -> None:
    # Its place among the base's criteria is no place in the file that wrote it.
    path = rubrics / "typo_key.yaml"
    path.write_text("extends: default\ncriteria:\n  - id: costs\n    wieght: 3\n")
    (problem,) = problems_of(path)
    assert where(problem) == ("typo_key.yaml", 4, 5)
    assert "criteria[costs].wieght: unknown key 'wieght'; did you mean 'weight'?" in problem


def test_remove_without_extends_is_an_error(rubrics: Path) -> None:
    path = rubrics / "alone.yaml"
    path.write_text((rubrics / "base.yaml").read_text() + "remove: [hype]\n")
    (problem,) = problems_of(path)
    assert "add 'extends: <base>'" in problem


def test_unknown_shipped_rubric_and_missing_file(rubrics: Path) -> None:
    path = rubrics / "x.yaml"
    path.write_text("extends: defualt\n")
    (problem,) = problems_of(path)
    assert "no shipped rubric 'defualt'" in problem and "did you mean 'default'?" in problem
    path.write_text("extends: ./missing.yaml\n")
    (problem,) = problems_of(path)
    assert where(problem) == ("x.yaml", 1, 10) and "no such file" in problem
    (rubrics / "folder.yaml").mkdir()
    path.write_text("extends: ./folder.yaml\nlexicon_files: [lexicons]\n")
    problems = problems_of(path)
    assert [where(p) for p in problems] == [("x.yaml", 2, 17), ("x.yaml", 1, 10)]
    assert all("is not a regular file" in p for p in problems)
    (rubrics / "lexicons" / "empty.yaml").write_text("")
    path.write_text("extends: default\nlexicon_files: [lexicons/empty.yaml]\n")
    (problem,) = problems_of(path)
    assert where(problem)[1:] == (1, 1) and "empty.yaml" in problem
    assert "the file is empty" in problem and "rubric" not in problem.split(": ", 1)[1]


def test_three_line_child_of_the_shipped_default_scores_like_it(
        tmp_path: Path, default_rubric: LoadedRubric, seed_docs: dict[str, ParsedDocument]) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text('extends: default\nid: mine\nversion: "1"\n')
    mine = load_rubric(path)
    assert mine.rubric.criteria == default_rubric.rubric.criteria
    assert mine.rubric.lexicons == default_rubric.rubric.lexicons
    ours, theirs = compile_rubric(mine.rubric), compile_rubric(default_rubric.rubric)
    for doc in seed_docs.values():
        assert score(doc, ours) == score(doc, theirs)


def test_two_rubrics_share_a_lexicon_file() -> None:
    a = load_rubric(FIXTURES / "uses_shared_a.yaml").rubric
    b = load_rubric(FIXTURES / "uses_shared_b.yaml").rubric
    assert a.lexicons == b.lexicons == {"funding": ["funded by", "grant from"],
                                        "conflicts": ["consultant for", "shares in"]}


def test_a_lexicon_defined_twice_names_both_places(rubrics: Path) -> None:
    path = rubrics / "uses_shared_a.yaml"
    path.write_text(path.read_text().replace("criteria:", "lexicons:\n  funding: [paid by]\ncriteria:"))
    (problem,) = problems_of(path)
    assert where(problem) == ("uses_shared_a.yaml", *line_of(path, "funding: [paid by]"))
    line, col = line_of(rubrics / "lexicons" / "shared.yaml", "funding:")
    assert f"shared.yaml:{line}:{col}" in problem


def test_lexicon_file_holds_only_lexicons(rubrics: Path) -> None:
    shared = rubrics / "lexicons" / "shared.yaml"
    shared.write_text(shared.read_text() + "criteria: []\n")
    (problem,) = problems_of(rubrics / "uses_shared_b.yaml")
    assert where(problem)[0] == "shared.yaml" and "unknown key 'criteria'" in problem


def test_extending_a_lexicon_file_says_to_name_it_in_lexicon_files(rubrics: Path) -> None:
    path = rubrics / "x.yaml"
    path.write_text('extends: lexicons/shared.yaml\nid: x\nversion: "1"\nname: X\n')
    (problem,) = problems_of(path)
    assert where(problem) == ("x.yaml", 1, 10)
    assert "is a lexicon file" in problem and "lexicon_files: [lexicons/shared.yaml]" in problem


def test_changing_what_remove_dropped_names_the_remove(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text('extends: default\nid: x\nversion: "1"\nremove: [hedging]\n'
                    "criteria:\n  - id: hedging\n    weight: 1\n")
    (problem,) = problems_of(path)
    assert where(problem) == ("x.yaml", 6, 9)
    assert "'hedging' is dropped by 'remove' at " in problem and "x.yaml:4:10" in problem
    path.write_text('extends: default\nid: x\nversion: "1"\ncriteria:\n  - id: hedging\n'
                    "    remove: [hedge]\n    signals:\n      - id: hedge\n        points: 1\n")
    (problem,) = problems_of(path)
    assert where(problem) == ("x.yaml", 8, 13) and "signal 'hedge' is dropped by 'remove'" in problem
    # a signal given anew after its removal is a new signal, as documented
    path.write_text(path.read_text() + "        phrases: [perhaps]\n")
    hedging = criterion(load_rubric(path).rubric, "hedging")
    assert [sig.phrases for sig in hedging.signals if sig.id == "hedge"] == [["perhaps"]]


def test_an_output_never_replaces_a_file_the_rubric_is_built_from(rubrics: Path) -> None:
    child = rubrics / "child.yaml"
    child.write_text('extends: base.yaml\nid: child\nversion: "2"\n'
                     "lexicon_files: [lexicons/shared.yaml]\n")
    base, shared = rubrics / "base.yaml", rubrics / "lexicons" / "shared.yaml"
    before = {p: p.read_bytes() for p in (base, shared)}
    seed = str(ROOT / "seeds" / "000_e86d7793d9eecfab.txt")
    for args in (["rubric", "show", str(child), "-o", str(base)],
                 ["rubric", "docs", str(child), "-o", str(shared)],
                 ["score", seed, "-r", str(child), "-f", "jsonl", "-o", str(shared)],
                 ["report", seed, "-r", str(child), "-o", str(base)]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "is also an input of this run" in result.stderr
    assert {p: p.read_bytes() for p in before} == before



def test_a_file_named_like_the_shipped_rubric_is_not_taken_for_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "default.yaml").write_text("unrelated: 1\n")
    seed = str(ROOT / "seeds" / "000_e86d7793d9eecfab.txt")
    result = CliRunner().invoke(app, ["score", seed, "-f", "json", "-o", "default.yaml"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "default.yaml").read_text())["documents"]


def test_removing_every_criterion_is_placed_at_the_remove(rubrics: Path) -> None:
    path = rubrics / "x.yaml"
    path.write_text('extends: base.yaml\nid: x\nversion: "1"\nremove: [sources, animals, hype]\n')
    (problem,) = problems_of(path)
    assert where(problem) == ("x.yaml", 4, 1) and "drops every criterion" in problem


def test_sha256_covers_the_resolved_rubric(rubrics: Path) -> None:
    before = load_rubric(rubrics / "child.yaml").sha256
    base = rubrics / "base.yaml"
    base.write_text("# a comment changes nothing\n" + base.read_text())
    assert load_rubric(rubrics / "child.yaml").sha256 == before
    base.write_text(base.read_text().replace("[mice, rats]", "[mice, rats, rodents]"))
    assert load_rubric(rubrics / "child.yaml").sha256 != before


def test_moving_a_lexicon_to_a_shared_file_keeps_the_sha256(rubrics: Path) -> None:
    inline = rubrics / "inline.yaml"
    inline.write_text((rubrics / "uses_shared_a.yaml").read_text().replace(
        "lexicon_files: [lexicons/shared.yaml]\n",
        "lexicons:\n  funding: [funded by, grant from]\n  conflicts: [consultant for, shares in]\n"))
    assert load_rubric(inline).sha256 == load_rubric(rubrics / "uses_shared_a.yaml").sha256


runner = CliRunner()


def test_rubric_show_prints_what_loads_back_with_the_same_sha256(tmp_path: Path) -> None:
    child = load_rubric(FIXTURES / "child.yaml")
    shown = runner.invoke(app, ["rubric", "show", str(FIXTURES / "child.yaml")])
    assert shown.exit_code == 0, shown.output
    assert child.sha256 in shown.stdout.splitlines()[1]
    resolved = tmp_path / "resolved.yaml"
    resolved.write_text(shown.stdout)
    again = load_rubric(resolved)
    assert again.rubric == child.rubric
    assert again.sha256 == child.sha256
    as_json = runner.invoke(app, ["rubric", "show", str(FIXTURES / "child.yaml"), "-f", "json"])
    assert hashlib.sha256(as_json.stdout.encode()).hexdigest() == child.sha256


def test_rubric_show_reports_errors_with_exit_2() -> None:
    result = runner.invoke(app, ["rubric", "show", str(FIXTURES / "cycle_a.yaml")])
    assert result.exit_code == 2
    assert "cycle" in result.stderr


def test_the_documented_example_loads(tmp_path: Path, default_rubric: LoadedRubric) -> None:
    doc = (ROOT / "docs" / "rubric-language.md").read_text(encoding="utf-8")
    example = doc.split("## Building on another rubric")[1].split("```yaml\n")[1].split("```")[0]
    path = tmp_path / "newsdesk.yaml"
    path.write_text(example)
    r = load_rubric(path).rubric
    base = default_rubric.rubric
    assert [c.id for c in r.criteria] == [
        *(c.id for c in base.criteria if c.id != "authorship_and_date"), "local_experts"]
    assert criterion(r, "primary_sources").weight == 4
    assert signal(r, "primary_sources", "preprint_server").phrases == ["medrxiv", "biorxiv"]
    # `credscore rubric check` passes on it: the replaced phrases come with their own examples.
    result = runner.invoke(app, ["rubric", "check", str(path)])
    assert result.exit_code == 0, result.stderr


def test_the_readme_example_of_changes_loads(tmp_path: Path, default_rubric: LoadedRubric) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Tune a rubric and measure it")[1]
    three_lines = section.split("<<'EOF'\n")[1].split("EOF")[0]
    changes = section.split("```yaml\n")[1].split("```")[0]
    assert three_lines.count("\n") == 3
    path = tmp_path / "my-rubric.yaml"
    path.write_text(three_lines + changes)
    r = load_rubric(path).rubric
    written = yaml.safe_load(changes)
    (sales,) = written["criteria"]
    assert r.criterion("sales_pitch").weight == sales["weight"]
    (sig,) = sales["signals"]
    assert signal(r, "sales_pitch", sig["id"]).points == sig["points"]
    assert set(written["remove"]) & {c.id for c in default_rubric.rubric.criteria}
    assert not set(written["remove"]) & {c.id for c in r.criteria}
    # Everything the example does not mention is the default's.
    kept = [c for c in default_rubric.rubric.criteria if c.id not in {"sales_pitch", *written["remove"]}]
    assert [c for c in r.criteria if c.id != "sales_pitch"] == kept


def test_schema_names_the_keys_that_build_on_a_base() -> None:
    import json

    result = runner.invoke(app, ["rubric", "schema"])
    assert {"extends", "remove", "lexicon_files"} <= set(json.loads(result.stdout)["properties"])


def test_a_remove_entry_that_is_not_an_id_is_located(rubrics: Path) -> None:
    path = rubrics / "odd_remove.yaml"
    path.write_text("extends: base.yaml\nremove: [{id: hype}]\n"
                    "criteria:\n  - id: sources\n    remove: [[journal]]\n")
    found = sorted(problems_of(path))
    assert [where(p) for p in found] == [("odd_remove.yaml", 2, 10), ("odd_remove.yaml", 5, 14)]
    assert all("remove lists ids" in p for p in found)


def test_a_bad_phrase_in_a_lexicon_file_is_placed_in_that_file(rubrics: Path) -> None:
    shared = rubrics / "lexicons" / "shared.yaml"
    shared.write_text(shared.read_text().replace("[consultant for, shares in]",
                                                 '[consultant for, ""]'))
    (problem,) = problems_of(rubrics / "uses_shared_a.yaml")
    assert where(problem) == ("shared.yaml", *line_of(shared, '""]', '""]'))
    assert "is empty" in problem


def test_a_lexicon_file_listed_twice_is_named_once(rubrics: Path) -> None:
    path = rubrics / "twice.yaml"
    path.write_text((rubrics / "uses_shared_a.yaml").read_text().replace(
        "lexicon_files: [lexicons/shared.yaml]",
        "lexicon_files: [lexicons/shared.yaml, lexicons/../lexicons/shared.yaml]"))
    (problem,) = problems_of(path)
    assert where(problem) == ("twice.yaml", *line_of(path, "lexicon_files:", "lexicons/../"))
    assert "is already listed at" in problem and "list it once" in problem


def test_a_change_to_a_criterion_removed_two_bases_up_names_the_remove(rubrics: Path) -> None:
    removing = rubrics / "removing.yaml"
    removing.write_text("extends: base.yaml\nremove: [hype]\n")
    changing = rubrics / "changing.yaml"
    changing.write_text("extends: removing.yaml\ncriteria:\n  - id: hype\n    weight: 3\n")
    (problem,) = problems_of(changing)
    assert where(problem) == ("changing.yaml", 3, 9)
    assert f"criterion 'hype' is dropped by 'remove' at {removing}:2:10" in problem


def test_emptying_the_lexicon_a_signal_rests_on_is_placed_in_the_file_that_does_it(
        tmp_path: Path) -> None:
    path = tmp_path / "emptied.yaml"
    path.write_text("extends: default\nlexicons:\n  animals: []\n")
    (problem,) = problems_of(path)
    assert where(problem) == ("emptied.yaml", 3, 12)
    assert "lexicon 'animals' holds no phrases, so signal" in problem


def test_a_pattern_written_over_a_base_signal_of_phrases_says_how_to_replace_it(
        rubrics: Path) -> None:
    """The base's phrases stay under a changed signal, so a pattern written for it makes a
    signal with both: the error says how to change one kind of matcher for the other."""
    path = rubrics / "repattern.yaml"
    path.write_text("extends: base.yaml\ncriteria:\n  - id: sources\n    signals:\n"
                    "      - id: journal\n        pattern: 'lancet|nejm'\n")
    (problem,) = problems_of(path)
    assert where(problem) == ("repattern.yaml", 5, 9)
    assert "both 'phrases'/'lexicons' and 'pattern'" in problem
    assert "add its id to the criterion's 'remove'" in problem


@pytest.mark.parametrize(("entries", "what", "line"), [
    # a criterion of the base changed twice: the second weight won, silently
    ("  - id: hedging\n    weight: 1\n  - id: hedging\n    weight: 3\n", "criterion", 7),
    # a signal of the base changed twice within one entry
    ("  - id: sales_pitch\n    signals:\n      - id: call_to_action\n        points: -1\n"
     "      - id: call_to_action\n        points: -2\n", "signal", 9),
    # a rule of the base changed twice
    ("  - id: sales_pitch\n    rules:\n      - id: sells_own_product\n        ceiling: 30\n"
     "      - id: sells_own_product\n        ceiling: 50\n", "rule", 9),
])
def test_an_id_written_twice_in_a_child_is_an_error_at_the_second(
        tmp_path: Path, entries: str, what: str, line: int) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(f'extends: default\nid: twice\nversion: "1"\ncriteria:\n{entries}')
    (problem,) = problems_of(path)
    assert where(problem)[:2] == ("twice.yaml", line)
    assert f"duplicate {what} id" in problem and f"also written at {path}:{line - 2}:" in problem


def test_score_table_names_an_unnamed_extension_by_its_id_and_version() -> None:
    """child.yaml gives an id and version of its own but keeps its base's name: the table's
    heading must still say which rubric scored."""
    child = load_rubric(FIXTURES / "child.yaml").rubric
    base = load_rubric(FIXTURES / "base.yaml").rubric
    assert child.name == base.name and child.id != base.id
    headings = {}
    for rubric in ("child.yaml", "base.yaml"):
        result = runner.invoke(app, ["score", str(ROOT / "seeds"), "--rubric",
                                     str(FIXTURES / rubric)], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        headings[rubric] = result.stdout.splitlines()[0].strip()
    assert headings["child.yaml"] == f"credscore - {base.name} (small_child 1.0-child)"
    assert headings["base.yaml"] == f"credscore - {base.name} ({base.id} {base.version})"


def _chain(folder: Path, bases: int) -> Path:
    """A rubric over ``bases`` files, each extending the next; the last extends default."""
    for i in range(1, bases + 1):
        below = f"./b{i + 1}.yaml" if i < bases else "default"
        (folder / f"b{i}.yaml").write_text(f"extends: {below}\nid: b{i}\nversion: '1'\n")
    top = folder / "top.yaml"
    top.write_text("id: top\nversion: '1'\nextends: ./b1.yaml\n")
    return top


def test_extends_takes_sixteen_bases_and_refuses_seventeen_at_the_rubric_loaded(
        tmp_path: Path) -> None:
    # The docs promise "at most 16 bases deep": the default is the 16th base here.
    assert load_rubric(_chain(tmp_path, 15)).rubric.id == "top"
    (problem,) = problems_of(_chain(tmp_path, 16))
    # Placed at the 'extends' of the rubric being loaded, not in its deepest base.
    assert where(problem) == ("top.yaml", 3, 10)
    assert "more than 16 deep" in problem and "default.yaml" in problem
    assert "b16.yaml:1:10" in problem  # the base that goes one too far
    assert "flatten the chain" in problem and "credscore rubric show" in problem


def test_removing_a_criterion_the_base_still_names_says_so_at_the_remove(tmp_path: Path) -> None:
    """The default rubric's short_text names sales_pitch among the criteria that forfeit a short
    text's raise: removing it is placed at the remove entry (the base is not the user's to
    edit), names the base's line, and says what to write instead, which then loads."""
    child = tmp_path / "mine.yaml"
    child.write_text('extends: default\nid: mine\nversion: "1"\nremove: [sales_pitch]\n')
    (problem,) = problems_of(child)
    assert where(problem) == ("mine.yaml", 4, 10)
    base = ROOT / "rubric" / "default.yaml"
    line, _ = line_of(base, "forfeited_by:")
    assert f"default.yaml:{line}:" in problem
    assert "remove drops criterion 'sales_pitch', but the base's short_text.forfeited_by still " \
           "names it" in problem
    assert "write short_text.forfeited_by in this rubric without 'sales_pitch'" in problem
    kept = [c for c in load_rubric(base).rubric.short_text.forfeited_by if c != "sales_pitch"]
    child.write_text(child.read_text() + f"short_text: {{forfeited_by: {json.dumps(kept)}}}\n")
    loaded = load_rubric(child).rubric
    assert loaded.short_text.forfeited_by == kept
    assert "sales_pitch" not in {c.id for c in loaded.criteria}


@pytest.mark.parametrize("files", [
    # the rubric with the remove names it itself
    {"checked.yaml": 'extends: default\nid: own\nversion: "1"\nremove: [sales_pitch]\n'
                     "short_text: {forfeited_by: [sales_pitch]}\n"},
    # a rubric built on the one with the remove names it
    {"middle.yaml": 'extends: default\nid: middle\nversion: "1"\nremove: [sales_pitch]\n'
                    "short_text: {forfeited_by: [sensational_language]}\n",
     "checked.yaml": 'extends: middle.yaml\nid: top\nversion: "1"\n# built on the remove\n'
                     "short_text: {forfeited_by: [sales_pitch]}\n"},
])
def test_a_removed_criterion_named_by_the_rubric_itself_is_told_where_it_is_named(
        tmp_path: Path, files: dict[str, str]) -> None:
    """Only a base's reference is placed at the remove: the rubric's own, or that of a rubric
    built on it, is that file's fault, at the name."""
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (problem,) = problems_of(tmp_path / "checked.yaml")
    assert where(problem) == ("checked.yaml", 5, 29)
    assert "unknown criterion 'sales_pitch'" in problem


def test_one_condition_over_a_bases_list_of_them(tmp_path: Path) -> None:
    """A base's applies_when of one condition in a list takes a child's condition as a change
    of it; over a list of several, which one changes cannot be told, and that is an error."""
    base = tmp_path / "base.yaml"
    base.write_text(
        "id: base\nversion: '1'\nname: Base\ncriteria:\n  - id: c\n    name: C\n"
        "    description: d\n    anchor: a\n    weight: 1\n"
        "    applies_when:\n      - {any_present: [topic]}\n"
        "    signals:\n      - {id: topic, phrases: [health]}\n"
        "      - {id: cite, phrases: [journal], points: 1}\n", encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nid: child\nversion: '1'\nname: Child\ncriteria:\n"
                     "  - id: c\n    applies_when: {absent: [cite]}\n", encoding="utf-8")
    (criterion,) = load_rubric(child).rubric.criteria
    assert [c.model_dump(exclude_defaults=True) for c in criterion.applies_conditions] == \
        [{"any_present": ["topic"], "absent": ["cite"]}]
    base.write_text(base.read_text(encoding="utf-8").replace(
        "      - {any_present: [topic]}\n",
        "      - {any_present: [topic]}\n      - {present: [cite]}\n"), encoding="utf-8")
    (problem,) = problems_of(child)
    assert problem.startswith(f"{child}:7:19:") and "write the whole list" in problem
