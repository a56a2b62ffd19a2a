"""Fitted numbers written back: only they change (each with its old value), comments and layout
stay; numbers a child inherits become overrides; an overlay holds only the fitted numbers."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from credscore.calibrate.calibration import Change
from credscore.calibrate.write import (
    WriteError,
    number,
    overlay_rubric,
    rewrite_rubric,
)
from credscore.rubric.load import LoadedRubric, load_rubric, load_rubric_text
from credscore.rubric.model import Rubric

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "rubrics"


def weight(criterion: str, old: float, new: float) -> Change:
    return Change(criterion=criterion, kind="weight", item=None, old=old, new=new)


def points(criterion: str, item: str, old: float, new: float, kind: str = "signal") -> Change:
    return Change(criterion=criterion, kind=kind, item=item, old=old, new=new)  # type: ignore[arg-type]


def rewrite(path: Path, changes: list[Change], out_dir: Path | None = None) -> tuple[str, str]:
    text = path.read_text()
    rubric = load_rubric(path).rubric
    return text, rewrite_rubric(text, rubric, changes, source_dir=path.parent,
                                out_dir=out_dir or path.parent, shown=str(path))


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def value(rubric: Rubric, change: Change) -> float:
    spec = rubric.criterion(change.criterion)
    if change.item is None:
        return spec.weight
    return next(x.points for x in [*spec.signals, *spec.rules] if x.id == change.item)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "rubrics")
    return tmp_path / "rubrics"


def test_only_the_fitted_numbers_and_the_version_change() -> None:
    path = FIXTURES / "calibrate.yaml"
    changes = [weight("alpha", 1, 2.5), points("alpha", "alpha_word", 1, 1.2),
               points("beta", "beta_word", 1, 0.7), points("delta", "minus_word", -1.5, -0.25)]
    before, after = rewrite(path, changes)
    removed, added = changed_lines(before, after)
    assert removed == ['version: "0.3"', "    weight: 1", "        points: 1   # one point a word",
                       "      - {id: beta_word, points: 1, phrases: [beta]}",
                       "        points: -1.5"]
    assert added == ['version: "0.3+calibrated"', "    weight: 2.5  # was 1",
                     "        points: 1.2   # was 1; one point a word",
                     "      - {id: beta_word, points: 0.7, phrases: [beta]}  # was 1",
                     "        points: -0.25  # was -1.5"]
    # Every comment line, the multi-line flow list and the blank lines are kept as they were.
    assert [ln for ln in after.splitlines() if ln.lstrip().startswith("#")] == [
        ln for ln in before.splitlines() if ln.lstrip().startswith("#")]
    assert "        phrases: [gamma,\n                  gammas]\n" in after
    out = load_rubric_text(after, "out.yaml", path)
    assert out.rubric.version == "0.3+calibrated"
    for change in changes:
        assert value(out.rubric, change) == change.new


def test_no_change_leaves_the_text_and_the_version_as_they_were() -> None:
    before, after = rewrite(FIXTURES / "calibrate.yaml", [])
    assert after == before
    overlay = overlay_rubric([], extends="calibrate.yaml", version="0.3", header=["Fitted."])
    assert load_rubric_text(overlay, "over.yaml", FIXTURES / "over.yaml").rubric.version == "0.3"


def test_the_calibrated_suffix_is_not_added_twice() -> None:
    _, once = rewrite(FIXTURES / "calibrate.yaml", [weight("alpha", 1, 2)])
    again = rewrite_rubric(once, load_rubric_text(once, "x", FIXTURES / "x.yaml").rubric,
                           [weight("beta", 1, 3)], source_dir=FIXTURES, out_dir=FIXTURES)
    assert load_rubric_text(again, "x", FIXTURES / "x.yaml").rubric.version == "0.3+calibrated"


@pytest.mark.parametrize("name", ["default.yaml", "healthnewsreview.yaml"])
def test_shipped_rubrics_keep_their_layout(name: str) -> None:
    path = ROOT / "rubric" / name
    rubric = load_rubric(path).rubric
    changes = [weight(c.id, c.weight, c.weight + 0.25) for c in rubric.criteria]
    changes += [points(c.id, s.id, s.points, round(s.points * 1.1, 2))
                for c in rubric.criteria for s in c.signals if s.points]
    before, after = rewrite(path, changes)
    removed, added = changed_lines(before, after)
    assert len(removed) == len(added) == len(changes) + 1  # and the version
    for old, new in zip(removed, added, strict=True):
        head = new.split("  # was")[0]
        assert head.split(":")[0] == old.split(":")[0]  # the same key on the same line
    out = load_rubric_text(after, "out.yaml", path).rubric
    for change in changes:
        assert value(out, change) == pytest.approx(change.new)
    assert [c.id for c in out.criteria] == [c.id for c in rubric.criteria]


def test_numbers_a_child_inherits_become_overrides(folder: Path) -> None:
    path = folder / "child.yaml"
    changes = [weight("sources", 5, 4),  # written in the child
               points("sources", "journal", 2, 2.5),  # written in the child
               points("sources", "vague", -1, -0.5),  # the base's signal
               points("sources", "nothing_named", -0.5, -0.2, kind="rule"),  # the base's rule
               weight("animals", 2, 3),  # a criterion the child does not mention
               points("caveats", "caveat", 1, 2)]  # the child's own criterion
    before, after = rewrite(path, changes)
    # Every line of the child is still there, in order.
    rewritten = {'version: "1.0-child"', "weight: 5", "points: 2", "points: 1"}
    kept = [ln for ln in before.splitlines() if ln.strip() not in rewritten]
    assert len(kept) == len(before.splitlines()) - 4
    assert _subsequence(kept, after.splitlines())
    path.write_text(after)
    out = load_rubric(path)
    for change in changes:
        assert value(out.rubric, change) == change.new
    base = load_rubric(folder / "base.yaml").rubric
    assert out.rubric.criterion("animals").signals == base.criterion("animals").signals


def test_a_three_line_child_gets_a_criteria_list(folder: Path) -> None:
    path = folder / "mine.yaml"
    path.write_text("extends: base.yaml\nid: mine\n# no version: the base's\n")
    before, after = rewrite(path, [weight("hype", 1, 0.5),
                                   points("sources", "vague", -1, -2)])
    assert after.startswith(before.splitlines()[0] + '\nversion: "1.0+calibrated"\n')
    path.write_text(after)
    r = load_rubric(path).rubric
    assert (r.version, r.criterion("hype").weight) == ("1.0+calibrated", 0.5)
    assert value(r, points("sources", "vague", 0, -2)) == -2


def test_paths_follow_the_output_to_another_folder(folder: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "out"
    elsewhere.mkdir()
    _, after = rewrite(folder / "mid.yaml", [weight("sources", 3, 4)], out_dir=elsewhere)
    target = elsewhere / "mid.calibrated.yaml"
    target.write_text(after)
    r = load_rubric(target).rubric
    assert r.criterion("sources").weight == 4 and r.criterion("animals").weight == 4
    _, after = rewrite(folder / "uses_shared_a.yaml", [weight("disclosure", 1, 2)],
                       out_dir=elsewhere)
    target.write_text(after)
    assert load_rubric(target).rubric.lexicons["funding"] == ["funded by", "grant from"]


def test_a_flow_list_that_must_grow_asks_for_an_overlay(folder: Path) -> None:
    path = folder / "flow.yaml"
    path.write_text("extends: base.yaml\ncriteria: [{id: animals, weight: 1}]\n")
    with pytest.raises(WriteError, match="--overlay"):
        rewrite(path, [weight("hype", 1, 2)])


def test_overlay_holds_only_the_fitted_numbers(folder: Path) -> None:
    changes = [weight("sources", 3, 2), points("sources", "journal", 1.5, 1.75),
               points("sources", "nothing_named", -0.5, -1, kind="rule"), weight("hype", 1, 0)]
    text = overlay_rubric(changes, extends="base.yaml", version="1.0",
                          header=["Fitted by a test.", "Second line."])
    assert text.startswith("# Fitted by a test.\n# Second line.\nextends: base.yaml\n")
    assert "weight: 2  # was 3" in text and "points: 1.75  # was 1.5" in text
    path = folder / "over.yaml"
    path.write_text(text)
    over: LoadedRubric = load_rubric(path)
    base = load_rubric(folder / "base.yaml").rubric
    assert over.rubric.version == "1.0+calibrated"
    for change in changes:
        assert value(over.rubric, change) == change.new
    # Everything else is the base's.
    assert over.rubric.criterion("animals") == base.criterion("animals")
    assert over.rubric.criterion("sources").signals[1] == base.criterion("sources").signals[1]


def test_numbers_are_written_without_exponents() -> None:
    assert [number(v) for v in (2.0, 2.5, 0.125, -0.0, 1e6, -1.999)] == [
        "2", "2.5", "0.12", "0", "1000000", "-2"]


def _subsequence(needles: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(any(n == h for h in it) for n in needles)


def test_a_second_calibration_replaces_the_was_comment_it_finds(tmp_path: Path) -> None:
    # Calibrated again, the new value's comment went in front of the earlier one: "# was 2.5;
    # was 1; one point a word", and piled up on every calibration after that.
    path = tmp_path / "calibrate.yaml"
    shutil.copy(FIXTURES / "calibrate.yaml", path)
    first = [weight("alpha", 1, 2.5), points("alpha", "alpha_word", 1, 1.2),
             points("beta", "beta_word", 1, 0.7)]
    _, once = rewrite(path, first)
    path.write_text(once)
    _, twice = rewrite(path, [weight("alpha", 2.5, 3), points("alpha", "alpha_word", 1.2, 0.9),
                              points("beta", "beta_word", 0.7, 0.4)])
    lines = twice.splitlines()
    assert "    weight: 3  # was 2.5" in lines
    assert "        points: 0.9   # was 1.2; one point a word" in lines  # a comment of the author's
    assert "      - {id: beta_word, points: 0.4, phrases: [beta]}  # was 0.7" in lines
    assert twice.count("was ") == 3 and 'version: "0.3+calibrated"' in lines
    # A comment that only starts like one of calibrate's is the author's, and is kept.
    path.write_text(once.replace("weight: 2.5  # was 1", "weight: 2.5  # was 1 before review"))
    _, kept = rewrite(path, [weight("alpha", 2.5, 3)])
    assert "    weight: 3  # was 2.5; was 1 before review" in kept.splitlines()
    assert load_rubric_text(twice, str(path), path).rubric.criterion("alpha").weight == 3
