"""`evaluate --against`: two rubrics' agreement with the same labels, figure by figure, with the
change on each half of the articles and a paired bootstrap interval of the change."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from credscore.cli import app
from credscore.evaluate.bootstrap import LabelMeasure, RankMeasure, paired_change_intervals
from credscore.evaluate.change import AgreementChange, FigureChange

from .test_bootstrap import _copies
from .test_evaluate import labelled  # noqa: F401  (the fixture)

runner = CliRunner()


def _worse(rubric: Path, tmp_path: Path) -> Path:
    """The fixture's rubric with a pitch signal that never fires: every article then reads as
    free of a pitch."""
    worse = tmp_path / "worse.yaml"
    worse.write_text(rubric.read_text().replace("phrases: [buy now, sign up]",
                                                "phrases: [xyzzy plugh]"))
    return worse


def _evaluated(docs: Path, labels: Path, rubric: Path) -> dict:
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "-f", "json", "-j", "1"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_against_a_worse_rubric_gives_each_figure_and_its_change_on_both_halves(
        labelled, tmp_path: Path) -> None:  # noqa: F811
    docs, labels = _copies(labelled, tmp_path)
    rubric, worse = labelled[2], _worse(labelled[2], tmp_path)
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "--against", str(worse), "-f", "json", "-j", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["labelled"] == 32 and data["halves"] == [16, 16]
    assert data["rubric"]["sha256"] != data["against"]["sha256"]
    assert "bootstrap" not in data and "disagreements" not in json.dumps(data)
    assert data["notes"] == ["halves of 16 and 16 articles: too few for the change on each half "
                             "to say whether a change carries over"]
    by_name = {f["figure"]: f for f in data["figures"]}
    assert list(by_name) == ["pitch", "mean macro-F1", "Spearman with rating"]

    # Each side is what evaluate measures of that rubric alone.
    new, old = _evaluated(docs, labels, rubric), _evaluated(docs, labels, worse)
    pitch = by_name["pitch"]
    assert pitch["value"] == new["criteria"][0]["macro_f1"]
    assert pitch["against"] == old["criteria"][0]["macro_f1"]
    assert pitch["change"] == pitch["value"] - pitch["against"] > 0
    rho = by_name["Spearman with rating"]
    assert (rho["value"], rho["against"]) == (new["overall"]["spearman"],
                                              old["overall"]["spearman"])

    # A half's change is the change that evaluate finds with that half's labels alone.
    rows = labels.read_text().splitlines()
    ids = sorted(json.loads(r)["id"] for r in rows)
    first = set(ids[:16])
    half_labels = tmp_path / "first.jsonl"
    half_labels.write_text("".join(r + "\n" for r in rows if json.loads(r)["id"] in first))
    half_new, half_old = (_evaluated(docs, half_labels, r) for r in (rubric, worse))
    assert pitch["first_half"] == (half_new["criteria"][0]["macro_f1"]
                                   - half_old["criteria"][0]["macro_f1"])
    assert pitch["second_half"] > 0


def test_bootstrap_gives_the_change_an_interval_and_the_views_say_what_rose(
        labelled, tmp_path: Path) -> None:  # noqa: F811
    docs, labels = _copies(labelled, tmp_path)
    rubric, worse = labelled[2], _worse(labelled[2], tmp_path)
    args = ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric), "--against", str(worse),
            "-j", "1", "--bootstrap", "200", "--seed", "3"]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert data["bootstrap"] == {"rounds": 200, "seed": 3, "level": 0.95}
    pitch = data["figures"][0]
    lo, hi = pitch["change_interval"]
    assert 0 < lo <= pitch["change"] <= hi

    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    said = " ".join(table.stdout.split())
    assert "Rises on both halves: pitch, mean macro-F1" in said
    assert "paired bootstrap, seed 3" in said
    md = runner.invoke(app, [*args, "-f", "markdown"]).stdout
    assert f"| pitch | {pitch['against']:.3f} | {pitch['value']:.3f} | {pitch['change']:+.3f} |" in md


def test_against_itself_nothing_changes(labelled, tmp_path: Path) -> None:  # noqa: F811
    docs, labels = _copies(labelled, tmp_path)
    rubric = labelled[2]
    same = tmp_path / "same.yaml"
    same.write_text(rubric.read_text())
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "-a", str(same), "-f", "json", "-j", "1", "--bootstrap", "50"])
    assert result.exit_code == 0, result.output
    for f in json.loads(result.stdout)["figures"]:
        assert f["value"] == f["against"]
        assert f["change"] == f["first_half"] == f["second_half"] == 0
        assert f["change_interval"] == [0, 0]


def test_a_missing_rubric_to_compare_with_is_a_usage_error(labelled, tmp_path: Path) -> None:  # noqa: F811
    docs, labels, rubric = labelled
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "--against", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml" in result.output


def test_paired_intervals_are_of_the_change() -> None:
    truth = [i % 2 == 0 for i in range(40)]
    perfect = LabelMeasure("p", list(range(40)), truth, truth)
    inverse = LabelMeasure("p", list(range(40)), truth, [not t for t in truth])
    found = paired_change_intervals(40, ([inverse], [perfect]), (None, None), rounds=100, seed=1)
    # Each resample draws the same articles for both, so the change is 1 in every one of them.
    assert found.macro_f1["p"] == (1.0, 1.0) and found.mean_macro_f1 == (1.0, 1.0)
    assert found.spearman is None

    scores = [float(i) for i in range(40)]
    ratings = [float(i // 4) for i in range(40)]
    ranked = RankMeasure("", list(range(40)), scores, ratings)
    noisy = RankMeasure("", list(range(40)), [s if i % 3 else -s for i, s in enumerate(scores)],
                        ratings)
    found = paired_change_intervals(40, ([perfect], [perfect]), (noisy, ranked), 200, 2)
    assert found.macro_f1["p"] == (0.0, 0.0)
    lo, hi = found.spearman
    assert 0 < lo <= hi


def test_a_change_too_small_to_show_neither_rises_nor_falls() -> None:
    """What three places show as +0.000 on a half is no rise, as the table shows it."""
    def figure(name: str, first: float, second: float) -> FigureChange:
        return FigureChange(figure=name, kind="spearman", against=0.5, value=0.5,
                            change=(first + second) / 2, first_half=first, second_half=second)

    ch = AgreementChange(labelled=100, halves=(50, 50), figures=[
        figure("tiny rise", 0.0004, 0.01), figure("rise", 0.0005, 0.002),
        figure("tiny fall", -0.01, -0.0004), figure("fall", -0.001, -0.0006)])
    assert [f.figure for f in ch.helped_on_both] == ["rise"]
    assert [f.figure for f in ch.hurt_on_both] == ["fall"]


def test_what_each_evaluation_notes_is_said_once(labelled, tmp_path: Path) -> None:  # noqa: F811
    """A note both measurements make (an article without a rating) is given once."""
    docs, labels = _copies(labelled, tmp_path)
    rows = [json.loads(line) for line in labels.read_text().splitlines()]
    rows[0]["rating"] = ""
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    rubric, worse = labelled[2], _worse(labelled[2], tmp_path)
    alone = _evaluated(docs, labels, rubric)["notes"]
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "--against", str(worse), "-f", "json", "-j", "1"])
    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert alone and all(notes.count(n) == 1 for n in alone)
    assert not any(n.startswith("with the rubric compared against") for n in notes)


def test_a_rubric_with_nothing_to_measure_is_named(labelled, tmp_path: Path) -> None:  # noqa: F811
    """Neither rubric names a rating field; only the compared one reads no label column."""
    docs, labels, labelled_rubric = labelled
    rubric = tmp_path / "unrated.yaml"
    rubric.write_text(labelled_rubric.read_text().replace("rating_field: rating\n", ""))
    blind = tmp_path / "blind.yaml"
    blind.write_text(rubric.read_text().replace("id: tiny", "id: blind")
                     .replace("field: no_pitch", "field: not_a_column"))
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "--against", str(blind), "-j", "1"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "the rubric compared against (blind): nothing to measure" in said


def test_an_article_only_one_rubric_scored_is_left_out_of_both_with_a_note() -> None:
    from credscore.evaluate.change import compare_agreement
    from credscore.evaluate.compare import evaluate
    from credscore.models import CriterionScore, DocumentScore
    from credscore.rubric.load import load_rubric

    def doc(i: int, score: float) -> DocumentScore:
        crit = CriterionScore(id="a", name="a", weight=1, score=score / 100, verdict="",
                              explanation="", findings=())
        return DocumentScore(id=f"d{i}", title=None, words=100 + i, score=score, grade="C",
                             criteria=(crit,))

    rubric = load_rubric().rubric
    labels = {f"d{i}": {"id": f"d{i}", "stars": str(i % 5)} for i in range(12)}
    docs = [doc(i, 40.0 + (i % 5) * 3 + (7 if i == 11 else 0)) for i in range(12)]
    # the rubric compared against failed on d11 (and d10): its figures are over ten articles
    against = [doc(i, 60.0 - i) for i in range(10)]
    change = compare_agreement(docs, against, labels, rubric, rubric, "stars")
    assert change.labelled == 10
    assert any("not scored with the rubric compared against" in n and "'d10', 'd11'" in n
               for n in change.notes)
    rho = next(f for f in change.figures if f.kind == "spearman")
    shared = evaluate(docs[:10], labels, rubric, "stars", top=0).overall
    assert shared is not None and rho.value == shared.spearman
    # the other way round: the new rubric failed on them
    change = compare_agreement(against, docs, labels, rubric, rubric, "stars")
    assert change.labelled == 10
    assert any("not scored with the new rubric" in n for n in change.notes)
    # both scored every article: no such note
    change = compare_agreement(docs, docs, labels, rubric, rubric, "stars")
    assert change.labelled == 12 and not any("left out" in n for n in change.notes)
