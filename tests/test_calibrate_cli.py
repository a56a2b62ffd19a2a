"""credscore calibrate from the command line: what it prints, writes, and refuses."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore.cli import app
from credscore.rubric.load import load_rubric

from .conftest import ROOT
from .test_calibrate import write_corpus

FIXTURE = ROOT / "tests" / "fixtures" / "rubrics" / "calibrate.yaml"
runner = CliRunner()


def invoke(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture()
def rubric(tmp_path: Path) -> Path:
    path = tmp_path / "calibrate.yaml"
    shutil.copy(FIXTURE, path)
    return path


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_a_checked_rubric_with_comments_kept(corpus: tuple[Path, Path], rubric: Path,
                                                    tmp_path: Path) -> None:
    articles, labels = corpus
    out = tmp_path / "fitted.yaml"
    result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "-o", out,
                    "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Ranking by 'rating'" in result.stdout and "better by" in result.stdout
    assert f"wrote {out}" in result.stderr
    text = out.read_text()
    original = rubric.read_text()
    assert [ln for ln in text.splitlines() if ln.lstrip().startswith("#")] == [
        ln for ln in original.splitlines() if ln.lstrip().startswith("#")]
    assert text.count("# was 1") == 4  # the four weights, each with its old value
    assert invoke("rubric", "check", out).exit_code == 0
    fitted = load_rubric(out).rubric
    assert fitted.version == "0.3+calibrated"
    w = {c.id: c.weight for c in fitted.criteria}
    assert w["alpha"] > w["beta"] > w["gamma"]
    assert rubric.read_text() == original


def test_default_output_goes_beside_the_rubric_and_never_over_it(
        corpus: tuple[Path, Path], rubric: Path) -> None:
    articles, labels = corpus
    original = rubric.read_text()
    result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert listing(rubric.parent) == ["calibrate.calibrated.yaml", "calibrate.yaml"]
    assert rubric.read_text() == original


def test_output_over_an_input_is_refused_before_scoring(corpus: tuple[Path, Path],
                                                        rubric: Path) -> None:
    articles, labels = corpus
    for target in (rubric, labels):
        before = target.read_bytes()
        result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "-o",
                        target, "--jobs", "1")
        assert result.exit_code == 2, result.output
        assert "also an input" in result.stderr
        assert target.read_bytes() == before


def test_dry_run_writes_nothing(corpus: tuple[Path, Path], rubric: Path) -> None:
    articles, labels = corpus
    before = listing(rubric.parent)
    result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "--dry-run",
                    "--fit", "both", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "dry run: nothing written" in result.stdout
    assert "Macro-F1 per criterion" in result.stdout and "minus_word" in result.stdout
    assert listing(rubric.parent) == before


@pytest.mark.parametrize("overlay", [False, True])
def test_a_fit_that_keeps_every_number_writes_nothing(corpus: tuple[Path, Path], rubric: Path,
                                                      tmp_path: Path, overlay: bool) -> None:
    articles, labels = corpus
    keep = [a for c in load_rubric(rubric).rubric.criteria for a in ("--keep", c.id)]
    out = tmp_path / "fitted.yaml"
    args = ["calibrate", articles, "--labels", labels, "--rubric", rubric, "-o", out, "--jobs",
            "1", *keep, *(["--overlay"] if overlay else [])]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.stdout
    note = " ".join(result.stderr.split())
    assert f"nothing changed: every number of {rubric} was kept, so no calibrated rubric" in note
    assert "wrote" not in result.stderr and not out.exists()
    out.write_text("an earlier run's file\n")
    again = invoke(*args)
    assert again.exit_code == 0 and f"{out}, from before, was left as it was" in again.stderr
    assert out.read_text() == "an earlier run's file\n"


def test_overlay_extends_the_input(corpus: tuple[Path, Path], rubric: Path,
                                   tmp_path: Path) -> None:
    articles, labels = corpus
    (tmp_path / "sub").mkdir()
    out = tmp_path / "sub" / "over.yaml"
    result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "--overlay",
                    "-o", out, "--fit", "points", "--jobs", "1")
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "\nextends: ../calibrate.yaml\n" in text
    assert "weight" not in text and "plus_word" in text
    over, base = load_rubric(out).rubric, load_rubric(rubric).rubric
    assert [c.weight for c in over.criteria] == [c.weight for c in base.criteria]
    assert over.criterion("delta").signals != base.criterion("delta").signals


@pytest.mark.parametrize("name", ["r#1.yaml", "draft: v2.yaml", "[draft.yaml"])
def test_an_overlay_extends_a_rubric_whose_name_yaml_would_misread(
        corpus: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    # The name was quoted by hand and then quoted again on writing: the overlay extended
    # '"r#1.yaml"', quotes and all, so it did not load and nothing was written.
    articles, labels = corpus
    rubric = tmp_path / name
    shutil.copy(FIXTURE, rubric)
    out = tmp_path / "over.yaml"
    result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "--overlay",
                    "-o", out, "--fit", "points", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert load_rubric(out).sources[1] == str(rubric)


def test_a_rubric_with_windows_line_endings_keeps_them(corpus: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    # The copy was written with '\n' endings: every line differed from the rubric's.
    articles, labels = corpus
    rubric = tmp_path / "crlf.yaml"
    rubric.write_bytes(FIXTURE.read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "fitted.yaml"
    result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "-o", out,
                    "--jobs", "1")
    assert result.exit_code == 0, result.output
    before, after = rubric.read_bytes(), out.read_bytes()
    assert after.count(b"\r\n") == after.count(b"\n") == before.count(b"\n")
    changed = [a for a, b in zip(after.split(b"\r\n"), before.split(b"\r\n"), strict=True)
               if a != b]
    assert changed and all(b"# was" in line or b"version" in line for line in changed)


def test_json_is_deterministic(corpus: tuple[Path, Path], rubric: Path) -> None:
    articles, labels = corpus
    args = ("calibrate", articles, "--labels", labels, "--rubric", rubric, "--dry-run",
            "--format", "json", "--seed", "3")
    first, second = invoke(*args, "--jobs", "1"), invoke(*args, "--jobs", "2")
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["seed"] == 3 and data["folds"] == 5 and data["spearman"]["claim"] == "better"


@pytest.mark.parametrize(("edit", "args", "message"), [
    (lambda rows: [r.replace("a0", "b0", 1) for r in rows], (), "the labels expect ids such as 'b0"),
    (lambda rows: [r.replace(",", ",x", 1) if i else r for i, r in enumerate(rows)], (),
     "must be a number"),
    (lambda rows: rows, ("--rating", "stars"), "no labelled article has the rating field 'stars'"),
    (lambda rows: rows[:4], (), "3 rated articles are too few to cross-validate"),
    (lambda rows: rows[:10], (), "--folds 5 is too many for 9 rated articles"),
    (lambda rows: [*rows[:5], rows[5].rsplit(",", 1)[0] + ",maybe"], ("--fit", "points"),
     "which is in none of"),
])
def test_labels_that_cannot_support_a_fit_exit_2(corpus: tuple[Path, Path], rubric: Path,
                                                 tmp_path: Path, edit, args, message: str) -> None:  # type: ignore[no-untyped-def]
    articles, labels = corpus
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(edit(labels.read_text().splitlines())) + "\n")
    result = invoke("calibrate", articles, "--labels", bad, "--rubric", rubric, "--jobs", "1",
                    *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert listing(tmp_path) == ["bad.csv", "calibrate.yaml"]


def test_too_many_folds_for_the_rated_articles_is_a_usage_error(corpus: tuple[Path, Path],
                                                                rubric: Path, tmp_path: Path) -> None:
    # Five rated articles in three folds: one fold held a single rated article, which has no
    # ranking; its row read "-" and the gain of the other two was claimed.
    articles, labels = corpus
    few = tmp_path / "few.csv"
    few.write_text("\n".join(labels.read_text().splitlines()[:6]) + "\n")
    out = tmp_path / "fitted.yaml"
    result = invoke("calibrate", articles, "--labels", few, "--rubric", rubric, "--folds", "3",
                    "-o", out, "--jobs", "1")
    assert result.exit_code == 2 and result.stdout == ""
    assert " ".join(result.stderr.split()) == (
        "error: --folds 3 is too many for 5 rated articles: each fold needs 2 of them, so that "
        "the fit can be checked on how it ranks articles it did not see; use --folds 2, or rate "
        "more articles")
    assert not out.exists()
    assert invoke("calibrate", articles, "--labels", few, "--rubric", rubric, "--folds", "2",
                  "--dry-run", "--jobs", "1").exit_code == 0


def test_ratings_that_are_not_numbers_are_skipped_with_a_note(corpus: tuple[Path, Path],
                                                              rubric: Path, tmp_path: Path) -> None:
    # One rating written as a word stopped the whole run ("the rating field 'rating' must be a
    # number"); evaluate leaves such an article out of the rating agreement, with a note.
    articles, labels = corpus
    evil = "a0002\x1b]0;owned\x07" + "z" * 60  # a terminal escape, and far too long to quote
    articles_text = articles.read_text().replace('"a0002"', json.dumps(evil))
    renamed = tmp_path / "articles.jsonl"
    renamed.write_text(articles_text)
    rows = labels.read_text().splitlines()
    words = {1: "high", 3: "\x1b[2J", 4: "n/a", 6: "nan"}  # rows 1, 3, 4, 6: a0000, a0002, ...
    for row, word in words.items():
        doc_id, _, verdict = rows[row].split(",")
        rows[row] = ",".join([evil if doc_id == "a0002" else doc_id, word, verdict])
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(rows) + "\n")
    out = tmp_path / "fitted.yaml"
    result = invoke("calibrate", renamed, "--labels", bad, "--rubric", rubric, "-o", out,
                    "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    shown = " ".join(result.stderr.split())
    assert ("note: 4 labelled articles have a 'rating' that is not a number ('a0000': 'high', "
            "'a0002\\x1b]0;owned\\x07" + "z" * 24 + "…': '\\x1b[2J', "  # 40 characters
            "'a0003': 'n/a', 'a0005': 'nan') and are left out of the ranking") in shown
    assert out.is_file()
    data = json.loads(invoke("calibrate", renamed, "--labels", bad, "--rubric", rubric,
                             "--dry-run", "--format", "json", "--jobs", "1").stdout)
    assert data["articles"] == 300 and sum(f["n"] for f in data["spearman"]["folds"]) == 296
    assert [n for n in data["notes"] if n.startswith("4 labelled articles have a 'rating'")]


def test_a_rating_column_with_no_number_names_the_columns_that_have_one(
        corpus: tuple[Path, Path], rubric: Path, tmp_path: Path) -> None:
    articles, labels = corpus
    result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "--rating",
                    "verdict", "--dry-run", "--jobs", "1")
    assert result.exit_code == 2 and result.stdout == ""
    said = " ".join(result.stderr.split())
    assert said.startswith("error: the rating field 'verdict' must be a number, and no labelled "
                           "article has one there (300 hold something else: 'a0000': ")
    assert said.endswith(" and 295 more); the label fields with numbers are: rating")


@pytest.mark.parametrize("fit", ["weights", "rewards"])
def test_a_fit_to_the_rating_needs_a_rating_field(corpus: tuple[Path, Path], fit: str) -> None:
    articles, labels = corpus
    result = invoke("calibrate", articles, "--labels", labels, "--fit", fit, "--dry-run",
                    "--jobs", "1")
    assert result.exit_code == 2
    assert "--rating" in result.stderr and f"--fit {fit}" in result.stderr


def test_missing_numerics_get_a_clear_message(corpus: tuple[Path, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):
        if name.startswith(("credscore.calibrate", "credscore.report.calibration")):
            monkeypatch.delitem(sys.modules, name)
        elif name == "scipy" or name.startswith("scipy."):
            monkeypatch.setitem(sys.modules, name, None)  # as if it were not installed
    articles, labels = corpus
    result = invoke("calibrate", articles, "--labels", labels)
    assert result.exit_code == 2
    assert "pip install 'credscore[calibrate]'" in result.stderr


def test_rewards_are_written_and_penalties_left(corpus: tuple[Path, Path], rubric: Path,
                                                tmp_path: Path) -> None:
    articles, labels = corpus
    out = tmp_path / "rewards.yaml"
    result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "--fit",
                    "rewards", "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "(--fit rewards)" in " ".join(result.stdout.split())
    assert invoke("rubric", "check", out).exit_code == 0
    before, after = load_rubric(rubric).rubric, load_rubric(out).rubric
    assert [c.weight for c in after.criteria] == [c.weight for c in before.criteria]
    signals = {s.id: s.points for c in after.criteria for s in c.signals}
    assert signals["minus_word"] == -1.5
    assert signals["alpha_word"] > 1 > signals["gamma_word"]


@pytest.mark.parametrize("field", ["rating [expert]", "rating [/expert]"])
def test_a_rating_field_with_brackets_is_shown_as_written(corpus: tuple[Path, Path], rubric: Path,
                                                          tmp_path: Path, field: str) -> None:
    """A labels column such as 'rating [expert]' is named as it is written (it was read as
    terminal markup: dropped, or a closing tag that ended the run before the rubric was written)."""
    articles, labels = corpus
    renamed = tmp_path / "labels.csv"
    head, rest = labels.read_text().split("\n", 1)
    renamed.write_text(head.replace("rating", field) + "\n" + rest)
    out = tmp_path / "fitted.yaml"
    result = invoke("calibrate", articles, "--labels", renamed, "--rating", field, "--rubric",
                    rubric, "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert f"Ranking by '{field}'" in result.stdout
    assert out.is_file()


@pytest.mark.parametrize(("fit", "said"), [
    ("weights", "to 'rating' of"),
    ("points", "to the criteria's labels of"),
    ("both", "to the criteria's labels (points) and 'rating' (weights) of"),
])
def test_the_written_rubric_says_what_it_was_fitted_to(corpus: tuple[Path, Path], rubric: Path,
                                                       tmp_path: Path, fit: str, said: str) -> None:
    # With --fit both the weights are fitted to the rating: the header said only "labels".
    articles, labels = corpus
    out = tmp_path / "fitted.yaml"
    result = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "-o", out,
                    "--fit", fit, "--overlay", "--jobs", "1")
    assert result.exit_code == 0, result.output
    header = " ".join(line.lstrip("# ") for line in out.read_text().splitlines()
                      if line.startswith("#"))
    assert f"Fitted by credscore calibrate (--fit {fit}, " in header
    assert said in header, header


def test_a_rating_field_no_label_holds_a_number_in_is_refused_before_scoring(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A misspelt --rating, or a field of text, is told at once: scoring a large corpus first
    only to find no article rated took minutes."""
    def no_scoring(*args: object, **kwargs: object) -> None:
        raise AssertionError("the articles were scored before the labels were checked")

    monkeypatch.setattr("credscore.cli.run_scoring", no_scoring)
    labels = ROOT / "examples" / "seed-labels.csv"
    seeds = ROOT / "seeds"
    misspelt = invoke("calibrate", seeds, "--labels", labels, "--rating", "ratin", "--dry-run")
    assert misspelt.exit_code == 2
    assert misspelt.stderr.strip() == ("error: no labelled article has the rating field 'ratin'; "
                                       "the label fields with numbers are: rating")
    text = invoke("calibrate", seeds, "--labels", labels, "--rating", "note", "--dry-run")
    assert text.exit_code == 2
    assert "the rating field 'note' must be a number" in text.stderr
    assert text.stderr.rstrip().endswith("the label fields with numbers are: rating")


def test_the_count_fitted_on_is_that_of_the_rated_articles(corpus: tuple[Path, Path],
                                                            rubric: Path, tmp_path: Path) -> None:
    # The title said "Fitted on all 300 labelled articles", and the written rubric's header
    # "of 300 labelled articles", where the weights were fitted to the 290 with a rating.
    articles, labels = corpus
    rows = labels.read_text().splitlines()
    for row in range(1, 11):
        doc_id, _, verdict = rows[row].split(",")
        rows[row] = f"{doc_id},,{verdict}"
    sparse = tmp_path / "sparse.csv"
    sparse.write_text("\n".join(rows) + "\n")
    out = tmp_path / "fitted.yaml"
    result = invoke("calibrate", articles, "--labels", sparse, "--rubric", rubric, "-o", out,
                    "--overlay", "--jobs", "1")
    assert result.exit_code == 0, result.output
    said = "the 290 of 300 labelled articles with a number for 'rating' and a total"
    assert f"Fitted on {said} (--fit weights)" in " ".join(result.stdout.split())
    assert "10 labelled articles have no 'rating'" in result.stderr
    header = " ".join(line.lstrip("# ") for line in out.read_text().splitlines()
                      if line.startswith("#"))
    assert f"to 'rating' of {said}." in header, header
    data = json.loads(invoke("calibrate", articles, "--labels", sparse, "--rubric", rubric,
                             "--dry-run", "--format", "json", "--jobs", "1").stdout)
    assert data["articles"] == 300
    assert data["rated"] == sum(f["n"] for f in data["spearman"]["folds"]) == 290
    full = invoke("calibrate", articles, "--labels", labels, "--rubric", rubric, "--dry-run",
                  "--jobs", "1")
    assert "Fitted on all 300 labelled articles (--fit weights)" in " ".join(full.stdout.split())
    both = invoke("calibrate", articles, "--labels", sparse, "--rubric", rubric, "--dry-run",
                  "--fit", "both", "--jobs", "1")
    assert ("Fitted on 300 labelled articles (the weights on the 290 of them with a number for "
            "'rating' and a total) (--fit both)") in " ".join(both.stdout.split())


def test_a_rubric_that_cannot_take_the_fitted_numbers_is_refused_before_scoring(
        corpus: tuple[Path, Path], rubric: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A child written in flow style, to which inherited weights would be added, was refused
    # only once every article was scored and every fold fitted.
    articles, labels = corpus
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {rubric.name}\nid: child\nversion: \"1\"\n"
                     "criteria: [{id: alpha, weight: 1}]\n")
    out = tmp_path / "fitted.yaml"

    def no_scoring(*args: object, **kwargs: object) -> None:
        raise AssertionError("the articles were scored before the rubric's layout was checked")

    monkeypatch.setattr("credscore.cli.run_scoring", no_scoring)
    refused = invoke("calibrate", articles, "--labels", labels, "--rubric", child, "-o", out)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"error: {child}: a fitted number would be added to a list "
                                     "written in flow style")
    assert not out.exists()
    # Weights that --keep leaves as written need no place; a dry run and an overlay write none.
    monkeypatch.undo()
    kept = ["--keep", "beta", "--keep", "gamma", "--keep", "delta"]
    for args in (kept, ["--dry-run"], ["--overlay"]):
        result = invoke("calibrate", articles, "--labels", labels, "--rubric", child, "-o", out,
                        "--jobs", "1", *args)
        assert result.exit_code == 0, result.output
