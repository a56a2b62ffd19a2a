"""evaluate and diff on awkward inputs: label rows cut short or left blank, ids that several
documents share, and articles no criterion applies to."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from credscore.calibrate.data import labelled_criteria
from credscore.cli import app
from credscore.engine.score import weighted_total
from credscore.evaluate.compare import Evaluation, evaluate, truth_of
from credscore.evaluate.diff import diff_scores
from credscore.evaluate.labels import LabelError, load_labels
from credscore.models import CriterionScore, DocumentScore
from credscore.rubric.load import load_rubric
from credscore.rubric.model import LabelMap, Rubric

from .conftest import ROOT, RUBRIC_DIR, SEEDS
from .test_evaluate import RUBRIC as EVALUATE_RUBRIC

runner = CliRunner()

# The tiny rubric of test_evaluate, with no ignored label values and a label for "sourced".
RUBRIC = EVALUATE_RUBRIC.replace(", ignore: [n/a]}", "}").replace(
    "    scoring: {method: saturating, base: 0.2, scale: 1}\n",
    "    scoring: {method: saturating, base: 0.2, scale: 1}\n"
    '    label: {field: sourced, positive: ["yes"]}\n')

# One criterion, judged only where a word no article holds is found: no article has a total.
NEVER_APPLIES = """\
id: never
version: "1"
name: Never
criteria:
  - id: sourced
    name: Sourced
    description: d
    anchor: DISCERN Q4
    weight: 1
    applies_when: {any_present: [unicorn]}
    signals:
      - id: journal
        phrases: [journal]
        points: 2
      - id: unicorn
        phrases: [unicorn horn powder]
        points: 0
"""

TEXTS = {
    "a.txt": "Published in a journal. Results were modest.",
    "b.txt": "Buy now! Sign up today for the cure.",
    "c.txt": "A journal paper. Buy now while stocks last.",
    "d.txt": "A quiet article without sources.",
}


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture()
def rubric(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(RUBRIC)
    return path


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [*map(str, args), "-j", "1"])


def doc(doc_id: str, score: float, *criteria: float | None, title: str | None = None,
        words: int = 100, ids: tuple[str, ...] = ()) -> DocumentScore:
    """A scored document whose criteria, of weight 1 each, are named ``ids`` (c0, c1, ... when
    not given)."""
    names = ids or tuple(f"c{k}" for k in range(len(criteria)))
    crits = tuple(CriterionScore(id=name, name=name, weight=1, score=s, verdict="", explanation="",
                                 findings=()) for name, s in zip(names, criteria, strict=True))
    undefined = all(s is None for s in criteria)
    return DocumentScore(id=doc_id, title=title, words=words, score=0.0 if undefined else score,
                         grade="?" if undefined else "C", criteria=crits)


def any_rubric() -> Rubric:
    return load_rubric().rubric


# A label row cut short


def test_a_csv_row_cut_short_has_no_value_for_the_missing_field(tmp_path: Path) -> None:
    labels = tmp_path / "short.csv"
    labels.write_text("id,rating,note\na.txt,2,fine\nb.txt\nc.txt,4\nd.txt,1,x, \n")
    rows = load_labels(labels)
    # d.txt's blank cell past the header's end (a trailing comma) holds nothing to lose
    assert rows == {"a.txt": {"id": "a.txt", "rating": "2", "note": "fine"}, "b.txt": {"id": "b.txt"},
                    "c.txt": {"id": "c.txt", "rating": "4"},
                    "d.txt": {"id": "d.txt", "rating": "1", "note": "x"}}


@pytest.mark.parametrize(("text", "said"), [
    # An unquoted comma in a note: the cell past the header's end was dropped, silently.
    ("id,rating,note\na.txt,2,fine\nd.txt,1,mouse study, told as news\n",
     "l.csv:3: the row of 'd.txt' has 4 cells, but the header names 3 columns (past them: "
     "'told as news'); quote a value that holds a comma"),
    # ... which in a column before the rating moved the rating one cell on: 'x' was read as it
    ("id,note,rating\na.txt,fine,2\n\nb.txt,a, b,4\n",
     "l.csv:4: the row of 'b.txt' has 4 cells, but the header names 3 columns (past them: '4')"),
    ("id,rating\n,2,3\n", "l.csv:2: this row has 3 cells, but the header names 2 columns"),
])
def test_a_csv_row_longer_than_its_header_is_an_error_that_names_it(tmp_path: Path, text: str,
                                                                     said: str) -> None:
    labels = tmp_path / "l.csv"
    labels.write_text(text)
    with pytest.raises(LabelError) as refused:
        load_labels(labels)
    assert str(refused.value).startswith(f"{tmp_path / said}")


@pytest.mark.parametrize(("text", "line"), [
    ("id,rating,note\na.txt,2,\"two\nlines\"\nb.txt,1,x\na.txt,4,again\n", 5),
    ("id,rating\na.txt,2\n\nb.txt,1\n\na.txt,4\n", 6),
    ("id,note\na.txt,\"x\n\ny\"\n\na.txt,z\n", 6),
])
def test_a_csv_label_error_names_the_line_its_row_starts_on(tmp_path: Path, text: str,
                                                             line: int) -> None:
    # Rows were counted as lines: a note over two lines or a blank line put the error above
    # the row at fault.
    labels = tmp_path / "l.csv"
    labels.write_text(text)
    with pytest.raises(ValueError, match=f"^{labels}:{line}: id 'a.txt' is labelled a second time"):
        load_labels(labels)


@pytest.mark.parametrize(("name", "text", "error"), [
    ("l.csv", "id,rating,note,rating\na.txt,2,x,5\n",
     ":1: the column 'rating' appears twice (columns 2 and 4)"),
    ("l.jsonl", '{"id": "a.txt", "rating": 2}\n{"id": "b.txt", "rating": 2, "rating": 5}\n',
     ":2: the key 'rating' appears twice in one object"),
    ("n.jsonl", '{"id": "a.txt", "criteria": {"q": "Yes", "q": "No"}}\n',
     ":1: the key 'q' appears twice in one object"),
])
def test_a_field_given_twice_in_a_labels_file_is_refused(tmp_path: Path, name: str, text: str,
                                                         error: str) -> None:
    # The last of the two values was taken, silently.
    labels = tmp_path / name
    labels.write_text(text)
    with pytest.raises(ValueError, match=f"^{re.escape(str(labels) + error)}"):
        load_labels(labels)


@pytest.mark.parametrize("text", ["id,rating\na.txt,2\n,\nb.txt,1\n , \n",
                                  "id,rating\r\na.txt,2\r\nb.txt,1\r\n,\r\n,\r\n"])
def test_a_csv_row_of_blank_cells_is_no_row(tmp_path: Path, text: str) -> None:
    # A spreadsheet saves its empty rows as ",,": each was refused as "no 'id' field", while a
    # blank line is skipped.
    labels = tmp_path / "l.csv"
    labels.write_text(text)
    assert load_labels(labels) == {"a.txt": {"id": "a.txt", "rating": "2"},
                                   "b.txt": {"id": "b.txt", "rating": "1"}}


def test_a_jsonl_labels_file_may_start_with_a_bom(tmp_path: Path) -> None:
    # A CSV could (utf-8-sig); a JSONL saved by Notepad was "not valid JSON" at line 1.
    labels = tmp_path / "l.jsonl"
    labels.write_bytes(b'\xef\xbb\xbf{"id": "a.txt", "rating": 2}\n{"id": "b.txt", "rating": 1}\n')
    assert load_labels(labels) == {"a.txt": {"id": "a.txt", "rating": "2"},
                                   "b.txt": {"id": "b.txt", "rating": "1"}}


def test_blank_csv_column_names_may_repeat(tmp_path: Path) -> None:
    labels = tmp_path / "l.csv"
    labels.write_text("id,rating,,\na.txt,2,x,y\n")
    assert load_labels(labels) == {"a.txt": {"id": "a.txt", "rating": "2", "": "y"}}


@pytest.mark.parametrize("command", ["evaluate", "calibrate"])
@pytest.mark.parametrize("text", ["", "id,rating\n", "\n\n"])
def test_a_labels_file_with_no_rows_is_refused_before_scoring(tmp_path: Path, command: str,
                                                              text: str) -> None:
    # It was found out only after scoring every article, and said as "the labels expect ids
    # such as none" or "the columns with values are: " (an empty list).
    labels = tmp_path / ("l.csv" if "," in text else "l.jsonl")
    labels.write_text(text)
    result = run(command, SEEDS, "--labels", labels, "--rating", "rating")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {labels}: no label rows"), result.stderr


def test_evaluate_leaves_out_a_row_cut_short_like_a_blank_rating(tmp_path: Path) -> None:
    labels = tmp_path / "short.csv"
    labels.write_text("id,rating\n000_e86d7793d9eecfab.txt,2\n001_c0d4a17b255ad03a.txt\n"
                      "002_e783488c8f71499a.txt,4\n")
    result = run("evaluate", SEEDS, "--labels", labels, "--rating", "rating", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["labelled"] == 3 and data["overall"]["support"] == 2
    note = "1 of 3 labelled articles has no number in 'rating' (a blank, text, nan or inf)"
    assert note in result.stderr
    assert [n for n in data["notes"] if note in n]


def test_a_rating_column_that_holds_no_number_is_refused_as_calibrate_refuses_it() -> None:
    # evaluate printed an empty agreement (n=0) and exited 0, where calibrate says the rating
    # must be a number (exit code 2).
    labels = ROOT / "examples" / "seed-labels.csv"
    result = run("evaluate", SEEDS, "--labels", labels, "--rating", "note")
    assert result.exit_code == 2 and result.stdout == ""
    assert "--rating 'note': the rating field must be a number" in result.stderr
    assert "text such as 'mouse study" in result.stderr
    assert "the columns with numbers are: rating" in result.stderr


def test_ratings_only_where_no_scored_article_is_leave_nothing_measured(tmp_path: Path) -> None:
    # The column holds a number, but not for the one article that was scored and labelled.
    labels = tmp_path / "labels.csv"
    labels.write_text("id,rating\n000_e86d7793d9eecfab.txt,good\nnot-scored.txt,3\n")
    out = tmp_path / "eval.json"
    result = run("evaluate", SEEDS, "--labels", labels, "--rating", "rating", "-o", out)
    assert result.exit_code == 2 and not out.exists()
    said = " ".join(result.stderr.split())
    assert said.startswith("note: 1 of 2 labelled ids matches no scored document "
                           "('not-scored.txt'); ids are matched exactly error: nothing to measure: "
                           "the labels of the one labelled article hold none of the ")
    assert said.endswith(", and it has no number in 'rating' (it holds 'good'); no report is "
                         "written")


# A blank label


@pytest.mark.parametrize("negative", [[], ["no"]])
@pytest.mark.parametrize("blank", ["", " ", "\t \n"])
def test_a_blank_label_is_no_answer(blank: str, negative: list[str]) -> None:
    label = LabelMap(field="q", positive=["yes"], negative=negative)
    assert truth_of(blank, label) is None
    assert truth_of(" yes ", label) is True
    assert truth_of("no", label) is False


def test_blank_csv_cells_are_absent_fields(tmp_path: Path) -> None:
    csv_file = tmp_path / "l.csv"
    csv_file.write_text("id,q,rating\na.txt,yes,  \nb.txt,,3\n")
    jsonl = tmp_path / "l.jsonl"
    jsonl.write_text('{"id": "a.txt", "q": "yes", "rating": "  "}\n{"id": "b.txt", "q": "", "rating": 3}\n')
    expected = {"a.txt": {"id": "a.txt", "q": "yes"}, "b.txt": {"id": "b.txt", "rating": "3"}}
    assert load_labels(csv_file) == load_labels(jsonl) == expected


def test_blank_csv_cells_and_absent_jsonl_keys_give_the_same_agreement(tmp_path: Path) -> None:
    rubric = tmp_path / "lab.yaml"
    rubric.write_text('extends: default\nid: lab\nversion: "1"\ncriteria:\n  - id: sales_pitch\n'
                      '    label: {field: q, positive: ["yes"]}\n')
    ids = sorted(p.name for p in SEEDS.iterdir())
    answers = ["yes", "", " ", "", "yes"]
    csv_file = tmp_path / "lab.csv"
    csv_file.write_text("id,q\n" + "".join(f"{i},{a}\n" for i, a in zip(ids, answers, strict=True)))
    jsonl = tmp_path / "lab.jsonl"
    jsonl.write_text("".join(json.dumps({"id": i, **({"q": a} if a.strip() else {})}) + "\n"
                             for i, a in zip(ids, answers, strict=True)))
    measured = []
    for labels in (csv_file, jsonl):
        result = run("evaluate", SEEDS, "--labels", labels, "-r", rubric, "-f", "json")
        assert result.exit_code == 0, result.output
        measured.append(json.loads(result.stdout)["criteria"])
    assert measured[0] == measured[1]
    (pitch,) = measured[0]
    assert pitch["id"] == "sales_pitch" and pitch["support"] == 2
    assert pitch["fp"] == 0 and pitch["tn"] == 0


def test_calibrate_leaves_out_a_blank_label_as_evaluate_does(tmp_path: Path, rubric: Path) -> None:
    labels = tmp_path / "l.csv"
    labels.write_text("id,no_pitch,sourced\na.txt,yes,yes\nb.txt,,\nc.txt, ,no\nd.txt,no,\n")
    loaded = load_rubric(rubric).rubric
    scored = [doc(i, 50.0, 0.8, 0.4, ids=("pitch", "sourced")) for i in TEXTS]
    by_criterion = {c.spec.id: len(c.rows) for c in labelled_criteria(scored, load_labels(labels), loaded)}
    report = evaluate(scored, load_labels(labels), loaded)
    assert by_criterion == {c.id: c.support for c in report.criteria} == {"pitch": 2, "sourced": 2}


# Ids that several documents share


def test_diff_pairs_documents_that_share_an_id_by_what_they_hold(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    (sites / "s1").mkdir(parents=True)
    (sites / "s2").mkdir()
    (sites / "s1" / "index.txt").write_text("Buy now! Click here to order our miracle cure today.\n\n"
                                            "Big Pharma does not want you to know this secret.\n")
    shutil.copy(SEEDS / "003_d539d7beac747833.txt", sites / "s2" / "index.txt")
    default = RUBRIC_DIR / "default.yaml"
    result = run("diff", sites / "s1", sites / "s2", "-r", default, "-a", default, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["up"], data["down"], data["unchanged"], data["mean_change"]) == (0, 0, 2, 0.0)
    assert [d["id"] for d in data["documents"]] == ["index.txt", "index.txt"]


def test_diff_scores_pairs_the_kth_of_documents_alike_with_the_kth() -> None:
    # Old and new give the same documents in another order where title or length tells them
    # apart; two documents alike in id, title and length are paired in the order given.
    old = [doc("x", 10.0, 0.1, title="one"), doc("x", 90.0, 0.9, title="two"),
           doc("y", 20.0, 0.2), doc("y", 30.0, 0.3, words=50), doc("z", 40.0, 0.4), doc("z", 60.0, 0.6)]
    new = [doc("x", 91.0, 0.91, title="two"), doc("x", 11.0, 0.11, title="one"),
           doc("y", 31.0, 0.31, words=50), doc("y", 21.0, 0.21), doc("z", 41.0, 0.41), doc("z", 61.0, 0.61),
           doc("only-new", 5.0, 0.05)]
    result = diff_scores(old, new, "old 1", "new 1")
    assert sorted((d.id, d.old, d.new) for d in result.documents) == [
        ("x", 10.0, 11.0), ("x", 90.0, 91.0), ("y", 20.0, 21.0), ("y", 30.0, 31.0),
        ("z", 40.0, 41.0), ("z", 60.0, 61.0)]
    assert (result.up, result.down, result.unchanged, result.mean_change) == (6, 0, 0, 1.0)


def scored(doc_id: str, criteria: dict[str, tuple[float, float | None]]) -> DocumentScore:
    """A document scored as the engine would: criteria named with their weight and score."""
    crits = tuple(CriterionScore(id=c, name=c, weight=w, score=s, verdict="", explanation="",
                                 findings=()) for c, (w, s) in criteria.items())
    total = weighted_total(crits)
    return DocumentScore(id=doc_id, title=None, words=100, score=round(total or 0.0, 1),
                         grade="C", criteria=crits)


CRITERION = st.tuples(st.sampled_from([0.0, 0.5, 1.0, 2.7]),
                      st.one_of(st.none(), st.floats(0, 1, allow_nan=False)))


@settings(max_examples=200, deadline=None)
@given(old=st.dictionaries(st.sampled_from("abcde"), CRITERION),
       new=st.dictionaries(st.sampled_from("abcde"), CRITERION))
def test_diff_effects_add_up_to_the_change_and_idle_criteria_have_none(
        old: dict[str, tuple[float, float | None]], new: dict[str, tuple[float, float | None]]) -> None:
    before, after = scored("d", old), scored("d", new)
    (change,) = diff_scores([before], [after], "old 1", "new 1").documents
    moved = (weighted_total(after.criteria) or 0.0) - (weighted_total(before.criteria) or 0.0)
    assert sum(c.effect for c in change.criteria) == pytest.approx(moved, abs=1e-3)
    for c in change.criteria:  # weight 0 or not applicable under both: moved no score
        weighed = [side.get(c.id, (0.0, None)) for side in (old, new)]
        assert c.counted == any(w > 0 and s is not None for w, s in weighed)
        if not c.counted:
            assert c.effect == 0
    flags = [c.counted for c in change.criteria]
    assert flags == sorted(flags, reverse=True)  # what moved the score first
    counted = [abs(c.effect) for c in change.criteria if c.counted]
    assert counted == sorted(counted, reverse=True)


def test_diff_does_not_blame_a_criterion_of_weight_0(tmp_path: Path) -> None:
    # The default rubric gives authorship_and_date weight 0: dropping it moves no score. What
    # moved them is costs' weight.
    new = tmp_path / "new.yaml"
    new.write_text("extends: default\nid: mine\nversion: '1'\nremove: [authorship_and_date]\n"
                   "criteria:\n  - id: costs\n    weight: 2.7\n")
    default = RUBRIC_DIR / "default.yaml"
    data = json.loads(run("diff", SEEDS, "-r", new, "-a", default, "-f", "json").stdout)
    moved = [d for d in data["documents"] if d["change"]]
    assert moved
    for d in moved:
        first, *rest = d["criteria"]
        assert first["id"] == "costs" and first["counted"] and first["effect"] < 0
        (authorship,) = [c for c in rest if c["id"] == "authorship_and_date"]
        assert not authorship["counted"] and authorship["effect"] == 0
    # Wide enough for the table (a narrow terminal puts each article on a line of its own).
    table = runner.invoke(app, ["diff", str(SEEDS), "-r", str(new), "-a", str(default), "-j", "1"],
                          env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    rows: dict[str, str] = {}  # each article's "what moved it" cell, its wrapped lines joined
    article = ""
    for line in table.stdout.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) == 7:
            article = cells[1] or article
            rows[article] = f"{rows.get(article, '')} {cells[5]}".strip()
    assert len(rows) == len(moved)
    for cell in rows.values():
        assert cell.startswith("-0.") and " costs 5.0->5.0 (weight 2.64->2.7)" in cell, cell
        assert cell.index("no effect") < cell.index("authorship_and_date dropped"), cell


def test_evaluate_leaves_out_an_id_that_several_documents_carry() -> None:
    scored = [doc("a", 10.0, 0.1), doc("b", 20.0, 0.2), doc("b", 95.0, 0.95), doc("c", 30.0, 0.3),
              doc("d", 40.0, 0.4), doc("e", 5.0, 0.05), doc("e", 6.0, 0.06), doc("free", 1.0, 0.9),
              doc("free", 2.0, 0.9)]
    labels = {i: {"id": i, "stars": str(n)} for n, i in enumerate("abcde", start=1)}
    report = evaluate(scored, labels, any_rubric(), rating_field="stars")
    assert report.documents == 9 and report.labelled == 3
    assert report.overall is not None and report.overall.support == 3
    assert report.overall.spearman == pytest.approx(1.0)  # a, c, d; b's 95 would break the order
    assert {d.id for d in report.overall.disagreements} == {"a", "c", "d"}
    assert report.notes == [
        "2 labelled ids each name more than one scored document ('b', 'e'; 4 documents in all): "
        "which of them a label means cannot be told, so the agreement leaves them out (give each "
        "document an id of its own)"]


def test_evaluate_notes_a_shared_id_from_the_command_line(tmp_path: Path, docs: Path,
                                                          rubric: Path) -> None:
    sites = [tmp_path / "s1", tmp_path / "s2"]  # each a site's folder, each with its index.txt
    for site in sites:
        site.mkdir()
        (site / "index.txt").write_text(f"Page of {site.name}. Buy now!")
    labels = tmp_path / "l.csv"
    labels.write_text("id,no_pitch,rating\na.txt,yes,5\nb.txt,no,1\nindex.txt,yes,3\n")
    result = run("evaluate", docs, *sites, "-l", labels, "-r", rubric, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["documents"] == 6 and data["labelled"] == 2
    assert data["criteria"][0]["support"] == 2 and data["overall"]["support"] == 2
    assert data["notes"] == [
        "1 labelled id names more than one scored document ('index.txt'; 2 documents in all): "
        "which of them a label means cannot be told, so the agreement leaves them out (give each "
        "document an id of its own)",
        "the mean macro-F1 is over the 1 criterion with expert answers: the labels give none for "
        "1 other criterion that declares 'label:' ('sourced')"]


# Articles with no total


def test_an_article_with_no_total_is_left_out_of_the_rating_agreement() -> None:
    # e is rated highest; no criterion applies to it, so its score of 0 says nothing
    scored = [doc("a", 10.0, 0.1, None), doc("b", 20.0, 0.2, 0.5), doc("c", 30.0, 0.3, None),
              doc("d", 40.0, 0.4, 0.1), doc("e", 0.0, None, None)]
    labels = {i: {"id": i, "stars": str(n)} for n, i in enumerate("abcde", start=1)}
    report = evaluate(scored, labels, any_rubric(), rating_field="stars")
    overall = report.overall
    assert overall is not None
    assert report.labelled == 5 and overall.support == 4
    assert overall.spearman == pytest.approx(1.0) and overall.kendall == pytest.approx(1.0)
    assert "e" not in {d.id for d in overall.disagreements}
    assert {r.id: r.support for r in overall.criteria} == {"c0": 4, "c1": 2}
    assert report.notes == ["1 of 5 rated articles has no total (no criterion of the rubric with a "
                            "weight applies to it); the agreement of the total with 'stars' "
                            "leaves it out"]


def test_evaluate_with_a_rubric_that_applies_to_no_article_measures_nothing(
        tmp_path: Path, docs: Path) -> None:
    # It wrote a report of empty figures (n=0, every correlation '-') and exited 0.
    rubric = tmp_path / "never.yaml"
    rubric.write_text(NEVER_APPLIES)
    labels = tmp_path / "l.csv"
    labels.write_text("id,rating\na.txt,5\nb.txt,1\nc.txt,4\nd.txt,\n")
    out = tmp_path / "report.json"
    result = run("evaluate", docs, "-l", labels, "-r", rubric, "--rating", "rating", "-o", out)
    assert result.exit_code == 2 and result.stdout == "" and not out.exists()
    assert " ".join(result.stderr.split()) == (
        "error: nothing to measure: the labels of the 4 labelled articles have nothing the rubric "
        "never reads (no criterion declares 'label:'), and none of the 3 with a number in "
        "'rating' has a total (no criterion of the rubric applies to them); no report is written")
    one = tmp_path / "one.csv"
    one.write_text("id,rating\na.txt,5\n")
    said = run("evaluate", docs, "-l", one, "-r", rubric, "--rating", "rating", "-f", "json")
    assert said.exit_code == 2 and said.stdout == ""
    assert "and the one with a number in 'rating' has no total" in " ".join(said.stderr.split())


def test_a_criterion_that_applies_without_a_total_is_still_measured() -> None:
    # A criterion of weight 0 gives the article no total, but its own rank is measured.
    def weightless(doc_id: str, s: float) -> DocumentScore:
        scored = doc(doc_id, 0.0, None, s, ids=("weighted", "unweighted"))
        counted, uncounted = scored.criteria
        return scored.model_copy(update={"grade": "?", "criteria": (
            counted, uncounted.model_copy(update={"weight": 0.0}))})

    scored = [weightless("a", 0.2), weightless("b", 0.6), weightless("c", 0.9)]
    labels = {i: {"id": i, "stars": str(n)} for n, i in enumerate("abc", start=1)}
    overall = evaluate(scored, labels, any_rubric(), rating_field="stars").overall
    assert overall is not None and overall.support == 0
    assert {r.id: r.support for r in overall.criteria} == {"weighted": 0, "unweighted": 3}
    assert overall.criteria[1].spearman == pytest.approx(1.0)


# Notes in the JSON


def test_an_evaluation_without_notes_has_the_json_it_had_before() -> None:
    report = evaluate([doc("a", 10.0, 0.1), doc("b", 20.0, 0.2)],
                      {"a": {"id": "a", "r": "1"}, "b": {"id": "b", "r": "2"}}, any_rubric(),
                      rating_field="r")
    assert report.notes == []
    assert list(report.model_dump(mode="json")) == ["rubric", "documents", "labelled", "criteria",
                                                    "mean_macro_f1", "overall"]
    noted = report.model_copy(update={"notes": ["a note"]})
    assert noted.model_dump(mode="json")["notes"] == ["a note"]
    assert Evaluation.model_validate_json(noted.model_dump_json()) == noted
    assert Evaluation.model_validate_json(report.model_dump_json()) == report


def test_evaluate_says_when_there_is_nothing_to_measure_and_which_ids_match_nothing(
        tmp_path: Path) -> None:
    names = sorted(p.name for p in SEEDS.iterdir())
    labels = tmp_path / "labels.csv"
    labels.write_text(f"id,rating\n {names[0]} ,3\n{names[1]},2\nmissing.txt,4\n{names[2]},4\n")
    out = tmp_path / "report.json"
    no_rating = runner.invoke(app, ["evaluate", str(SEEDS), "--labels", str(labels), "-o",
                                    str(out)])
    # A report with no figure in it is no success: the run fails, and nothing is written.
    assert no_rating.exit_code == 2 and not out.exists()
    said = " ".join(no_rating.stderr.split())
    assert said.startswith(f"note: 2 of 4 labelled ids match no scored document (' {names[0]} ', ")
    assert "error: nothing to measure: the labels of the 2 labelled articles hold none of the 5 " \
           "label fields the rubric's criteria read (such as 'criteria." in said
    assert said.endswith("…'), and no rating is read: name a column of overall ratings (--rating "
                         "FIELD, or the rubric's rating_field); no report is written")
    rated = runner.invoke(app, ["evaluate", str(SEEDS), "--labels", str(labels), "--rating",
                                "rating", "--format", "json"])
    notes = json.loads(rated.stdout)["notes"]
    assert notes == [f"2 of 4 labelled ids match no scored document (' {names[0]} ', "
                     "'missing.txt'); ids are matched exactly, and some of these have spaces "
                     "around them"]


LABELLED_RUBRIC = EVALUATE_RUBRIC  # 'no_pitch' (n/a ignored), and the rating field 'rating'


@pytest.mark.parametrize(("rubric_text", "labels_text", "args", "said"), [
    (LABELLED_RUBRIC, "id,no_pitch,rating\na.txt,n/a,good\nb.txt,n/a,\n", (),
     "note: the rubric's rating field 'rating' has no number in {labels}, so no rating is "
     "correlated (give one with --rating; the columns with numbers are: none) "
     "error: nothing to measure: the labels of the 2 labelled articles give only answers the "
     "rubric ignores in 'no_pitch' (such as 'n/a'), and no rating is read: name a column of "
     "overall ratings (--rating FIELD, or the rubric's rating_field); no report is written"),
    (LABELLED_RUBRIC, "id,other\na.txt,x\nb.txt,y\n", (),
     "note: the rubric's rating field 'rating' has no value in {labels}, so no rating is "
     "correlated (give one with --rating; the columns with numbers are: none) "
     "error: nothing to measure: the labels of the 2 labelled articles hold no value in "
     "'no_pitch', the label field the rubric's criteria read, and no rating is read: name a "
     "column of overall ratings (--rating FIELD, or the rubric's rating_field); no report is "
     "written"),
    # The rating column holds a number, but only in a row no scored article has.
    (LABELLED_RUBRIC, "id,no_pitch,stars\na.txt,n/a,\nb.txt,,high\nz.txt,,4\n",
     ("--rating", "stars"),
     "note: 1 of 3 labelled ids matches no scored document ('z.txt'); ids are matched exactly "
     "error: nothing to measure: the labels of the 2 labelled articles give only answers the "
     "rubric ignores in 'no_pitch' (such as 'n/a'), and none of them has a number in 'stars' "
     "(1 holds something else, such as 'high'); no report is written"),
    (LABELLED_RUBRIC.replace("    label: {field: no_pitch, positive: [\"yes\"], negative: "
                             "[\"no\"], ignore: [n/a]}\n", ""),
     "id,stars\na.txt,\x1b[2Jhigh\nz.txt,4\n", ("--rating", "stars"),
     "note: 1 of 2 labelled ids matches no scored document ('z.txt'); ids are matched exactly "
     "error: nothing to measure: the labels of the one labelled article have nothing the rubric "
     "tiny reads (no criterion declares 'label:'), and it has no number in 'stars' (it holds "
     "'\\x1b[2Jhigh'); no report is written"),
])
@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_labels_that_leave_nothing_to_measure_are_a_usage_error_that_says_why(
        tmp_path: Path, docs: Path, rubric_text: str, labels_text: str, args: tuple[str, ...],
        said: str, fmt: str) -> None:
    # It said "nothing was measured (the note above says why)", and a note said "the labels
    # hold none of the label fields" of labels that held them (every answer ignored), or "no
    # rating field is named" of a rubric that named one.
    rubric = tmp_path / "r.yaml"
    rubric.write_text(rubric_text)
    labels = tmp_path / "l.csv"
    labels.write_text(labels_text)
    out = tmp_path / f"report.{'json' if fmt == 'json' else 'md'}"
    result = run("evaluate", docs, "-l", labels, "-r", rubric, *args, "-o", out)
    assert result.exit_code == 2 and result.stdout == ""
    assert " ".join(result.stderr.split()) == said.format(labels=labels)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "l.csv", "r.yaml"]
    shown = run("evaluate", docs, "-l", labels, "-r", rubric, *args, "-f", fmt)
    assert shown.exit_code == 2 and shown.stdout == ""


def test_a_rating_only_beside_an_id_several_articles_carry_leaves_nothing_measured(
        tmp_path: Path, docs: Path, rubric: Path) -> None:
    # The one number was beside an id two articles carry, which the agreement leaves out: the
    # report held no figure, and the run exited 0.
    sites = [tmp_path / "s1", tmp_path / "s2"]
    for site in sites:
        site.mkdir()
        (site / "index.txt").write_text(f"Page of {site.name}.")
    labels = tmp_path / "l.csv"
    labels.write_text("id,rating\na.txt,high\nindex.txt,3\n")
    out = tmp_path / "eval.json"
    result = run("evaluate", docs, *sites, "-l", labels, "-r", rubric, "--rating", "rating",
                 "-o", out)
    assert result.exit_code == 2 and not out.exists()
    said = " ".join(result.stderr.split())
    assert ("note: 1 labelled id names more than one scored document ('index.txt'; 2 documents "
            "in all)") in said
    assert said.endswith("error: nothing to measure: the labels of the one labelled article hold "
                         "none of the 2 label fields the rubric's criteria read (such as "
                         "'no_pitch'), and it has no number in 'rating' (it holds 'high'); no "
                         "report is written")


def test_evaluate_raises_when_nothing_can_be_measured_with_the_notes_on_the_way() -> None:
    from credscore.evaluate.compare import EvaluationError

    scored = [doc("a", 10.0, 0.1), doc("b", 20.0, 0.2), doc("b", 30.0, 0.3)]
    labels = {"a": {"id": "a", "stars": "n/a"}, "b": {"id": "b", "stars": "3"},
              "c": {"id": "c", "stars": "4"}}
    with pytest.raises(EvaluationError) as raised:
        evaluate(scored, labels, any_rubric(), rating_field="stars")
    assert str(raised.value).endswith(", and it has no number in 'stars' (it holds 'n/a')")
    assert raised.value.notes == [
        "1 labelled id names more than one scored document ('b'; 2 documents in all): which of "
        "them a label means cannot be told, so the agreement leaves them out (give each document "
        "an id of its own)",
        "1 of 3 labelled ids matches no scored document ('c'); ids are matched exactly"]
    measured = evaluate(scored, {**labels, "a": {"id": "a", "stars": "2"}}, any_rubric(),
                        rating_field="stars")
    assert measured.overall is not None and measured.overall.support == 1


def test_equal_ratings_give_no_rank_disagreements(tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("id,rating\n" + "".join(f"{p.name},3\n" for p in sorted(SEEDS.iterdir())))
    result = runner.invoke(app, ["evaluate", str(SEEDS), "--labels", str(labels), "--rating",
                                 "rating", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["overall"]["spearman"] is None and data["overall"]["disagreements"] == []
    assert data["notes"] == ["every rated article has the same 'rating' (3), so the score cannot "
                             "be ranked against it"]


# The mean macro-F1 over the criteria the labels answer


@pytest.mark.parametrize("fmt", ["json", "markdown", "table"])
def test_the_mean_macro_f1_says_it_leaves_out_criteria_without_answers(docs: Path, rubric: Path,
                                                                       tmp_path: Path,
                                                                       fmt: str) -> None:
    # Both criteria declare 'label:', the labels answer only 'pitch': the mean was that of
    # 'pitch' alone, and said to be the mean macro-F1 with nothing to tell it apart.
    labels = tmp_path / "l.csv"
    labels.write_text("id,no_pitch\na.txt,yes\nb.txt,no\nc.txt,yes\nd.txt,no\n")
    result = run("evaluate", docs, "-l", labels, "-r", rubric, "-f", fmt)
    assert result.exit_code == 0, result.output
    note = ("the mean macro-F1 is over the 1 criterion with expert answers: the labels give none "
            "for 1 other criterion that declares 'label:' ('sourced')")
    assert f"note: {note}" in " ".join(result.stderr.split())
    shown = " ".join(result.stdout.split())
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["unanswered_criteria"] == ["sourced"] and note in data["notes"]
        assert [c["id"] for c in data["criteria"]] == ["pitch"]
        assert data["mean_macro_f1"] == data["criteria"][0]["macro_f1"]
        assert Evaluation.model_validate(data).unanswered_criteria == ["sourced"]
    else:
        said = ("ean macro-F1 over the 1 criterion with expert answers (not the other 1, which "
                "has none):")
        assert said in shown
    answered = tmp_path / "both.csv"
    answered.write_text("id,no_pitch,sourced\na.txt,yes,yes\nb.txt,no,no\nc.txt,yes,yes\n"
                        "d.txt,no,no\n")
    full = run("evaluate", docs, "-l", answered, "-r", rubric, "-f", fmt)
    assert full.exit_code == 0, full.output
    assert "mean macro-F1 is over" not in full.stderr and "with expert answers" not in full.stdout
    if fmt == "json":
        assert "unanswered_criteria" not in json.loads(full.stdout)


def test_a_criterion_with_one_answer_only_says_its_macro_f1_is_at_most_one_half(
        docs: Path, rubric: Path, tmp_path: Path) -> None:
    # Every expert answered 'yes' for pitch: its macro-F1, the mean of the F1 of 'yes' and of
    # 'no', cannot pass 0.5 whatever credscore predicts, and nothing said why.
    labels = tmp_path / "l.csv"
    labels.write_text("id,no_pitch,sourced\na.txt,yes,yes\nb.txt,yes,no\nc.txt,yes,yes\n"
                      "d.txt,yes,no\n")
    result = run("evaluate", docs, "-l", labels, "-r", rubric, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    pitch = next(c for c in data["criteria"] if c["id"] == "pitch")
    assert pitch["f1_neg"] == 0 and pitch["macro_f1"] <= 0.5
    assert pitch["balanced_accuracy"] == pitch["recall_pos"]
    note = ("pitch: the experts gave one answer only (the positive one, such as 'yes', in all 4 "
            "articles), so its macro-F1 is at most 0.5 by construction (the other answer's F1 is "
            "0; 0.5 when every prediction is right): read its balanced accuracy, the recall of "
            "that answer")
    assert data["notes"] == [note] and f"note: {note}" in " ".join(result.stderr.split())


@pytest.mark.parametrize("command", ["evaluate", "calibrate"])
def test_a_csv_row_longer_than_its_header_stops_the_run_before_scoring(tmp_path: Path,
                                                                       command: str) -> None:
    labels = tmp_path / "l.csv"
    labels.write_text("id,note,rating\n000_e86d7793d9eecfab.txt,mice, not people,2\n")
    result = run(command, SEEDS, "--labels", labels, "--rating", "rating", "--dry-run"
                 if command == "calibrate" else "--top=5")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {labels}:2: the row of '000_e86d7793d9eecfab.txt' "
                                    "has 4 cells, but the header names 3 columns"), result.stderr
