"""Metrics against hand-computed values, and evaluate/diff on a small labelled fixture."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from credscore.cli import app
from credscore.evaluate.labels import LabelError, flatten, load_labels
from credscore.evaluate.metrics import (
    Confusion,
    auc,
    balanced_accuracy,
    kendall_tau_b,
    macro_f1,
    negative_scores,
    positive_scores,
    ranks,
    spearman,
)

from .conftest import ROOT

runner = CliRunner()


def test_confusion_and_class_scores_by_hand() -> None:
    truth = [True, True, True, False, False, False, False, True]
    pred = [True, True, False, True, False, False, False, False]
    c = Confusion.of(truth, pred)
    assert (c.tp, c.fp, c.fn, c.tn) == (2, 1, 2, 3)
    pos, neg = positive_scores(c), negative_scores(c)
    assert pos.precision == pytest.approx(2 / 3)
    assert pos.recall == pytest.approx(2 / 4)
    assert pos.f1 == pytest.approx(2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))  # 4/7
    assert neg.precision == pytest.approx(3 / 5)
    assert neg.recall == pytest.approx(3 / 4)
    assert neg.f1 == pytest.approx(2 / 3)
    assert macro_f1(c) == pytest.approx((4 / 7 + 2 / 3) / 2)
    assert balanced_accuracy(c) == pytest.approx((2 / 4 + 3 / 4) / 2)


def test_degenerate_confusion_has_no_division_by_zero() -> None:
    c = Confusion.of([False, False], [False, False])
    assert positive_scores(c).f1 == 0.0
    assert negative_scores(c).f1 == 1.0


def test_balanced_accuracy_averages_the_classes_the_truth_holds() -> None:
    # sklearn.metrics.balanced_accuracy_score gives these: a class no article has has no recall
    assert balanced_accuracy(Confusion.of([True, True, True], [True, True, True])) == 1.0
    assert balanced_accuracy(Confusion.of([True, True, True, True],
                                          [True, True, True, False])) == pytest.approx(3 / 4)
    assert balanced_accuracy(Confusion.of([False, False], [True, False])) == pytest.approx(1 / 2)
    assert balanced_accuracy(Confusion.of([True, False], [False, True])) == 0.0
    assert balanced_accuracy(Confusion(0, 0, 0, 0)) == 0.0


def test_ranks_average_ties() -> None:
    assert ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]


def test_spearman_by_hand() -> None:
    # d = rank differences (0, 0, 1, -1, 0): rho = 1 - 6*2 / (5 * 24) = 0.9
    assert spearman([1, 2, 3, 4, 5], [1, 2, 4, 3, 5]) == pytest.approx(0.9)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 1, 1], [1, 2, 3]) is None


def test_kendall_tau_b_by_hand() -> None:
    # pairs of (1,2,3,4) vs (1,3,2,4): 5 concordant, 1 discordant -> (5-1)/6
    assert kendall_tau_b([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(4 / 6)
    # ties: x = (1,1,2), y = (1,2,3): pairs (0,1) tie in x; (0,2),(1,2) concordant
    # tau_b = 2 / sqrt((2+0+1) * (2+0+0)) = 2 / sqrt(6)
    assert kendall_tau_b([1, 1, 2], [1, 2, 3]) == pytest.approx(2 / 6 ** 0.5)


def _tau_b_pair_by_pair(x: list[int], y: list[int]) -> float | None:
    """Kendall's tau-b straight from its definition, over every pair."""
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denom = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)) ** 0.5
    return (concordant - discordant) / denom if denom else None


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=40))
def test_kendall_tau_b_equals_its_pairwise_definition(pairs: list[tuple[int, int]]) -> None:
    x, y = [p[0] for p in pairs], [p[1] for p in pairs]
    expected = _tau_b_pair_by_pair(x, y)
    got = kendall_tau_b(x, y)
    assert (got is None) == (expected is None)
    if expected is not None:
        assert got == pytest.approx(expected)


def test_auc_by_hand() -> None:
    assert auc([1, 2, 3, 4], [0, 0, 1, 1]) == 1.0
    assert auc([4, 3, 2, 1], [5, 5, 2, 2]) == 1.0  # any two values: the higher one is "higher"
    assert auc([1, 2, 2, 3], [0, 1, 0, 1]) == pytest.approx((1 + 0.5 + 1 + 1) / 4)
    assert auc([1, 2, 3], [0, 1, 2]) is None  # three values: no AUC
    assert auc([1, 2], [1, 1]) is None


@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), max_size=40))
def test_auc_equals_its_pairwise_definition(pairs: list[tuple[int, bool]]) -> None:
    scores, ratings = [p[0] for p in pairs], [int(p[1]) for p in pairs]
    high = [s for s, r in pairs if r]
    low = [s for s, r in pairs if not r]
    got = auc(scores, ratings)
    if not high or not low:
        assert got is None
        return
    wins = sum(1.0 if h > lo else 0.5 if h == lo else 0.0 for h in high for lo in low)
    assert got == pytest.approx(wins / (len(high) * len(low)))


def test_flatten_and_label_files(tmp_path: Path) -> None:
    assert flatten({"id": "a", "criteria": {"q1": "Yes", "q2": None}, "n": 3}) == {
        "id": "a", "criteria.q1": "Yes", "n": "3"}
    csv_file = tmp_path / "labels.csv"
    csv_file.write_text("id,rating,pitch\nx.txt,4,no\ny.txt,1,yes\n")
    assert load_labels(csv_file)["y.txt"] == {"id": "y.txt", "rating": "1", "pitch": "yes"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n{oops\n')
    with pytest.raises(LabelError, match=r"bad\.jsonl:2: not valid JSON: [^;]*$"):
        load_labels(bad)


@pytest.mark.parametrize(("header", "id_field", "says"), [
    ("doc,rating", "id", r"l\.csv:1: the header has no column 'id' \(its columns: 'doc', 'rating'\); "
     "name the column that holds the document ids with --id-field"),
    ("id,rating", "doc", r"the header has no column 'doc' \(its columns: 'id', 'rating'\)"),
    ("id;rating", "id", r"l\.csv:1: .* \(its columns: 'id;rating'\); save it with commas"),
])
def test_a_csv_without_the_id_column_says_so_at_its_header(
        tmp_path: Path, header: str, id_field: str, says: str) -> None:
    # It said "l.csv:2: no 'id' field", of the first row, and not what to do.
    labels = tmp_path / "l.csv"
    labels.write_text(f"{header}\n{header.replace('id', 'x.txt').replace('rating', '4')}\n")
    with pytest.raises(LabelError, match=says):
        load_labels(labels, id_field)


def test_blank_lines_above_a_csv_header_are_skipped(tmp_path: Path) -> None:
    # A blank first line was taken for the header: "l.csv:1: the header has no column 'id'
    # (its columns: )".
    labels = tmp_path / "l.csv"
    labels.write_text("\n,,\nid,rating\n\nx.txt,4\n")
    assert load_labels(labels) == {"x.txt": {"id": "x.txt", "rating": "4"}}
    labels.write_text("\ndoc,rating\nx.txt,4\n")
    with pytest.raises(LabelError, match=r"l\.csv:2: the header has no column 'id' \(its columns: "
                       r"'doc', 'rating'\)"):
        load_labels(labels)


def test_a_csv_named_otherwise_says_how_labels_files_are_read(tmp_path: Path) -> None:
    labels = tmp_path / "labels.txt"
    labels.write_text("id,rating\nx.txt,4\n")
    with pytest.raises(LabelError, match=r"labels\.txt:1: not valid JSON: .*; labels are read as "
                       r"JSONL \(one JSON object a line\) unless the file name ends in \.csv"):
        load_labels(labels)


def test_a_list_in_a_label_line_is_named_as_what_it_holds(tmp_path: Path) -> None:
    # A list was dropped: a rating written as [4] was then reported as a field no label has
    # ("the label fields are: id"), which sent the user looking for a typo.
    assert flatten({"id": "a", "rating": [4], "tags": ["x", "é"], "none": []}) == {
        "id": "a", "rating": "[4]", "tags": '["x", "é"]', "none": "[]"}
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in (("a.txt", "Buy now! A new cure."), ("b.txt", "A study of 40 people.")):
        (docs / name).write_text(text)
    labels = tmp_path / "l.jsonl"
    labels.write_text('{"id": "a.txt", "rating": [1]}\n{"id": "b.txt", "rating": [4]}\n')
    result = runner.invoke(app, ["calibrate", str(docs), "--labels", str(labels), "--rating",
                                 "rating", "--folds", "2", "--dry-run", "-j", "1"])
    assert result.exit_code == 2
    assert "'rating' must be a number" in result.stderr and "'a.txt': '[1]'" in result.stderr


def test_json_booleans_read_as_json_and_csv_write_them(tmp_path: Path) -> None:
    # A rubric must quote 'true' (YAML reads it as a boolean), so a JSON true has to be "true",
    # not Python's "True", to meet it; and a JSONL and a CSV of the same labels read alike.
    assert flatten({"id": "a", "q": {"ok": True, "bad": False}}) == {
        "id": "a", "q.ok": "true", "q.bad": "false"}
    jsonl = tmp_path / "l.jsonl"
    jsonl.write_text('{"id": "a", "reliable": true}\n{"id": "b", "reliable": false}\n')
    csv_file = tmp_path / "l.csv"
    csv_file.write_text("id,reliable\na,true\nb,false\n")
    assert load_labels(jsonl) == load_labels(csv_file)



@pytest.mark.parametrize(("line", "says"), [
    ('{"id": "b", "x": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}", "2: nested too deeply"),
    ('{"id": "b", "rating": ' + "9" * 5000 + "}", "2: a number too long to read"),
    ('{"id": "a", "rating": 2}', "2: id 'a' is labelled a second time"),
    # flattened, both are the field 'q.ok': the second silently replaced the first
    ('{"id": "b", "q.ok": "yes", "q": {"ok": "no"}}', "2: the field 'q.ok' is given twice"),
    ('{"id": "b", "q": {"ok": "no"}, "q.ok": "yes"}', "2: the field 'q.ok' is given twice"),
    ('{"id": "b", "rating": "\xe9"}', r"l\.jsonl:2: not UTF-8 text"),
])
def test_a_labels_file_that_cannot_be_used_says_where(tmp_path: Path, line: str, says: str) -> None:
    labels = tmp_path / "l.jsonl"
    # "\xe9" stands for a Latin-1 byte, which is not UTF-8
    labels.write_bytes(('{"id": "a", "rating": 1}\n' + line + "\n").encode().replace(
        b"\xc3\xa9", b"\xe9"))
    with pytest.raises(LabelError, match=says):
        load_labels(labels)


RUBRIC = """\
id: tiny
version: "1"
name: Tiny
rating_field: rating
criteria:
  - id: pitch
    name: No pitch
    description: d
    anchor: QUEST
    weight: 1
    zones: [title, body, quote, promo]
    scoring: {method: saturating, base: 1.0, scale: 1}
    label: {field: no_pitch, positive: ["yes"], negative: ["no"], ignore: [n/a]}
    signals:
      - id: buy
        phrases: [buy now, sign up]
        points: -2
  - id: sourced
    name: Sourced
    description: d
    anchor: DISCERN Q4
    weight: 1
    scoring: {method: saturating, base: 0.2, scale: 1}
    signals:
      - id: journal
        phrases: [journal]
        points: 2
"""


@pytest.fixture()
def labelled(tmp_path: Path) -> tuple[Path, Path, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {
        "a.txt": "Published in a journal. Results were modest.",
        "b.txt": "Buy now! Sign up today for the cure.",
        "c.txt": "A journal paper. Buy now while stocks last.",
        "d.txt": "A quiet article without sources.",
    }
    for name, text in texts.items():
        (docs / name).write_text(text)
    labels = tmp_path / "labels.jsonl"
    rows = [("a.txt", "yes", 5), ("b.txt", "no", 1), ("c.txt", "yes", 3), ("d.txt", "n/a", 2)]
    labels.write_text("".join(json.dumps({"id": i, "no_pitch": p, "rating": r}) + "\n"
                              for i, p, r in rows))
    rubric = tmp_path / "tiny.yaml"
    rubric.write_text(RUBRIC)
    return docs, labels, rubric


def test_evaluate_on_a_labelled_fixture(labelled) -> None:
    docs, labels, rubric = labelled
    result = runner.invoke(app, ["evaluate", str(docs), "--labels", str(labels), "--rubric",
                                 str(rubric), "--format", "json", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (pitch,) = data["criteria"]
    # a: no pitch, expert yes -> TP; b: pitch, expert no -> TN; c: pitch, expert yes -> FN;
    # d: ignored (n/a).
    assert (pitch["tp"], pitch["fp"], pitch["fn"], pitch["tn"]) == (1, 0, 1, 1)
    assert pitch["support"] == 3
    assert [d["id"] for d in pitch["disagreements"]] == ["c.txt"]
    assert "buy" in pitch["disagreements"][0]["explanation"]
    overall = data["overall"]
    assert overall["field"] == "rating" and overall["support"] == 4
    assert -1 <= overall["spearman"] <= 1


def test_evaluate_markdown_and_table(labelled) -> None:
    docs, labels, rubric = labelled
    md = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                             "-f", "markdown", "-j", "1"]).stdout
    assert md.startswith("# Agreement with expert labels")
    assert "| pitch | 3 | 1 | 0 | 1 | 1 |" in md
    table = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                "-j", "1"]).stdout
    assert "pitch" in table and "Spearman" in table


def test_evaluate_gives_the_auc_of_a_two_valued_rating(labelled, tmp_path: Path) -> None:
    docs, _, rubric = labelled
    labels = tmp_path / "reliable.csv"
    labels.write_text("id,reliable\na.txt,1\nb.txt,0\nc.txt,1\nd.txt,0\n")
    args = ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric), "--rating", "reliable",
            "-j", "1"]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert 0 <= data["overall"]["auc"] <= 1 and 0 <= data["overall"]["words_auc"] <= 1
    md = runner.invoke(app, [*args, "-f", "markdown"]).stdout
    assert f"AUC {data['overall']['auc']:.3f}" in md and "| given length | AUC |" in md
    assert "| criterion | n | TP |" not in md  # the rubric labels no criterion with this file
    assert "AUC" in runner.invoke(app, args).stdout


def evaluated_json(labelled, labels: Path, content: str):  # type: ignore[no-untyped-def]
    """``evaluate -f json`` of the labelled articles with ``labels`` holding ``content``."""
    docs, _, rubric = labelled
    labels.write_text(content, encoding="utf-8")
    return runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                               "-f", "json", "-j", "1"])


def test_ratings_that_are_not_numbers_are_left_out_with_a_note(labelled, tmp_path: Path) -> None:
    result = evaluated_json(labelled, tmp_path / "r.csv",
                            "id,rating\na.txt,nan\nb.txt,inf\nc.txt,4\nd.txt,2\n")
    assert result.exit_code == 0
    data = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    assert data["overall"]["support"] == 2
    note = ("2 of 4 labelled articles have no number in 'rating' (a blank, text, nan or inf); the "
            "rating agreement leaves them out; 2 of them hold something other than a number: "
            "'a.txt': 'nan', 'b.txt': 'inf'")
    assert f"note: {note}\n" in result.stderr and data["notes"] == [note]


def test_a_rating_is_a_decimal_number_not_what_else_python_reads_as_one(
        labelled, tmp_path: Path) -> None:
    # float() reads "1_0" as ten and an Arabic-Indic digit as four: both are text in a CSV.
    result = evaluated_json(labelled, tmp_path / "r.csv",
                            "id,rating\na.txt,1_0\nb.txt,\u0664\nc.txt,4\nd.txt,2.5e0\n")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["overall"]["support"] == 2
    assert "'a.txt': '1_0', 'b.txt': '\u0664'" in data["notes"][0]


def test_evaluate_refuses_labels_that_match_nothing(labelled, tmp_path: Path) -> None:
    docs, _, rubric = labelled
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "zzz", "no_pitch": "yes"}) + "\n")
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(other), "-r", str(rubric)])
    assert result.exit_code == 2
    assert f"none of the 4 scored articles has a label in {other}" in result.stderr
    # Both sides' ids, as calibrate gives them: a mismatch (a folder prefix, an extension) shows.
    assert ("the labels expect ids such as 'zzz'; the articles have ids such as 'a.txt', "
            "'b.txt', 'c.txt', 'd.txt'") in " ".join(result.stderr.split())


def test_evaluate_names_the_columns_when_the_rating_column_is_missing(labelled) -> None:
    docs, labels, rubric = labelled
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "--rating", "stars", "-j", "1"])
    assert result.exit_code == 2
    assert "--rating 'stars'" in result.stderr and "no such column" in result.stderr
    # the columns that could be the rating: not the ids, nor the answers 'yes' and 'no'
    assert result.stderr.rstrip().endswith("the columns with numbers are: rating")


@pytest.mark.parametrize(("labels_text", "notes"), [
    ("id,no_pitch\na.txt,yes\nb.txt,no\n", ["rating field 'rating' has no value in"]),
    # The rubric's rating field, holding only text, gave a rating agreement over no article
    # (n=0): it is skipped with a note, as a field the labels lack is.
    ("id,no_pitch,rating\na.txt,yes,good\nb.txt,no,poor\n",
     ["rating field 'rating' has no number in", "the columns with numbers are: none"]),
])
def test_evaluate_notes_a_rubric_rating_field_without_numbers(labelled, tmp_path: Path,
                                                             labels_text: str,
                                                             notes: list[str]) -> None:
    docs, _, rubric = labelled
    labels = tmp_path / "labels.csv"
    labels.write_text(labels_text)
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "-f", "json", "-j", "1"])
    assert result.exit_code == 0, result.stderr
    for note in notes:
        assert note in result.stderr
    assert json.loads(result.stdout)["overall"] is None


def run_diff(docs: Path, new: Path, old: Path, *args: str,
             env: dict[str, str] | None = None) -> Result:
    """``credscore diff`` of ``docs`` with rubric ``new`` against ``old``, in one process."""
    return runner.invoke(app, ["diff", str(docs), "-r", str(new), "-a", str(old), "-j", "1", *args],
                         env=env)


def test_diff_explains_what_moved(labelled, tmp_path: Path) -> None:
    docs, _, rubric = labelled
    new = tmp_path / "new.yaml"
    new.write_text(RUBRIC.replace("phrases: [buy now, sign up]", "phrases: [buy now]"))
    result = runner.invoke(app, ["diff", str(docs), "--rubric", str(new), "--against", str(rubric),
                                 "--format", "json", "-j", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["up"], data["down"], data["unchanged"]) == (1, 0, 3)
    (moved,) = [d for d in data["documents"] if d["change"]]
    assert moved["id"] == "b.txt"
    (crit,) = moved["criteria"]
    assert crit["id"] == "pitch" and crit["new"] > crit["old"]
    table = run_diff(docs, new, rubric)
    assert "1 up, 0 down, 3 unchanged" in table.stdout
    assert "criteria are matched by id" not in table.stderr
    assert "b.txt" in table.stdout
    summary = run_diff(docs, new, rubric, "--top", "0")
    assert summary.exit_code == 0 and "1 up, 0 down, 3 unchanged" in summary.stdout
    assert "b.txt" not in summary.stdout  # the summary line only
    # --top holds for JSON too (it listed every article whatever --top said)
    for top, listed in (("0", []), ("1", ["b.txt"])):
        data = json.loads(run_diff(docs, new, rubric, "-f", "json", "--top", top).stdout)
        assert (data["up"], data["down"], data["unchanged"]) == (1, 0, 3)
        assert [d["id"] for d in data["documents"]] == listed


def test_criterion_scores_people_read_are_out_of_100(labelled, tmp_path: Path) -> None:
    # diff's "what moved it" and evaluate's disagreements showed a criterion's score as 0-1
    # ('pitch 0.018->0.135'), where the score table and the reports show it out of 100.
    docs, labels, rubric = labelled
    new = tmp_path / "new.yaml"
    new.write_text(RUBRIC.replace("phrases: [buy now, sign up]", "phrases: [buy now]"))
    data = json.loads(run_diff(docs, new, rubric, "-f", "json").stdout)
    (moved,) = [d for d in data["documents"] if d["change"]]
    (crit,) = moved["criteria"]
    assert 0 < crit["old"] < crit["new"] < 1  # JSON keeps the 0-1 scale of the output contract
    shown = " ".join(run_diff(docs, new, rubric, env={"COLUMNS": "200"}).stdout.split())
    assert f"pitch {100 * crit['old']:.1f}->{100 * crit['new']:.1f}" in shown
    assert "(0-100; n/a: not applicable)" in shown
    args = ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric), "-j", "1"]
    ev = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    (wrong,) = ev["criteria"][0]["disagreements"]
    assert 0 < wrong["score"] < 0.5  # c.txt sells: its pitch score predicts "no", the expert said yes
    out_of_100 = f"{100 * wrong['score']:.1f}"
    md = runner.invoke(app, [*args, "-f", "markdown"]).stdout
    assert f"| c.txt | yes | {out_of_100} |" in md
    table = runner.invoke(app, [*args], env={"COLUMNS": "200"}).stdout
    (row,) = [line for line in table.splitlines() if "c.txt" in line and "yes" in line]
    assert [c.strip() for c in row.split("│")][1:4] == ["c.txt", "yes", out_of_100]


@pytest.mark.parametrize("columns", ["80", "200"])
def test_diff_written_to_a_pipe_has_no_trailing_spaces(labelled, tmp_path: Path,
                                                       columns: str) -> None:
    # Every line was padded with spaces to the width (80 in a pipe), and a shorter criterion's
    # line to the longest one's.
    docs, _, rubric = labelled
    new = tmp_path / "new.yaml"
    new.write_text(RUBRIC.replace("phrases: [buy now, sign up]", "phrases: [buy now]")
                   .replace("weight: 1\n    scoring: {method: saturating, base: 0.2",
                            "weight: 3\n    scoring: {method: saturating, base: 0.2"))
    result = run_diff(docs, new, rubric, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line for line in lines if line != line.rstrip()] == []
    assert max(map(len, lines)) <= int(columns)
    shown = " ".join(result.stdout.split())
    assert "pitch " in shown and "sourced " in shown and "(weight 1->3)" in shown


def test_diff_tells_apart_two_rubrics_with_one_id_and_version(tmp_path: Path) -> None:
    # A rubric that extends the default without an id and version of its own keeps the default's:
    # the summary read "default 2.12.1 -> default 2.12.1".
    from credscore.read.own_outputs import is_credscore_output

    seed = ROOT / "seeds" / "004_4da6b454344f1ad9.txt"
    default = ROOT / "rubric" / "default.yaml"
    mine = tmp_path / 'my "heavy" rubric.yaml'
    mine.write_text("extends: default\ncriteria:\n  - id: sales_pitch\n    weight: 4\n")
    out = tmp_path / "diff.json"
    result = run_diff(seed, mine, default, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["old_rubric"].endswith(f" ({default.as_posix()})")
    assert data["new_rubric"].endswith(f" ({mine.as_posix()})")
    assert data["old_rubric"].split(" (")[0] == data["new_rubric"].split(" (")[0]
    assert is_credscore_output(out)  # a file name with quotes in it is still told as an output
    table = runner.invoke(app, ["diff", str(seed), "-r", str(mine), "-a", str(default), "-j", "1",
                                "--top", "0"], env={"COLUMNS": "2000"})
    assert f"({default.as_posix()}) -> " in table.stdout
    assert table.stdout.rstrip().endswith(f"({mine.as_posix()})")
    same = json.loads(run_diff(seed, default, default, "-f", "json").stdout)  # one rubric: no file
    assert same["old_rubric"] == same["new_rubric"] and "(" not in same["old_rubric"]


def test_diff_shows_a_weight_change(labelled, tmp_path: Path) -> None:
    docs, _, rubric = labelled
    new = tmp_path / "heavier.yaml"
    new.write_text(RUBRIC.replace("    anchor: QUEST\n    weight: 1\n", "    anchor: QUEST\n    weight: 3\n"))
    result = run_diff(docs, new, rubric, "-f", "json")
    data = json.loads(result.stdout)
    moved = [d for d in data["documents"] if d["change"]]
    assert moved  # the totals moved with the weight ...
    for d in moved:  # ... and each says which criterion's weight did it
        (pitch,) = [c for c in d["criteria"] if c["id"] == "pitch"]
        assert (pitch["old_weight"], pitch["new_weight"]) == (1.0, 3.0)
        assert pitch["old"] == pitch["new"]
    table = run_diff(docs, new, rubric)
    assert "weight 1->3" in table.stdout


def test_diff_never_lists_a_signal_as_added_and_removed(labelled, tmp_path: Path) -> None:
    docs, _, rubric = labelled
    new = tmp_path / "moved.yaml"
    new.write_text(RUBRIC.replace("phrases: [buy now, sign up]", "phrases: [buy, sign up, stocks last]"))
    data = json.loads(run_diff(docs, new, rubric, "-f", "json").stdout)
    by_id = {d["id"]: d for d in data["documents"]}
    # b.txt: "Buy now" and "Sign up" became "Buy" and "Sign up": other spans, same points.
    assert by_id["b.txt"]["change"] == 0 and by_id["b.txt"]["criteria"] == []
    # c.txt: "Buy now" became "Buy" and "stocks last": the same signal, counted twice now.
    (pitch,) = by_id["c.txt"]["criteria"]
    assert (pitch["added"], pitch["removed"], pitch["changed"]) == ([], [], ["buy"])


def test_diff_says_when_rubrics_hold_other_criteria(labelled, tmp_path: Path) -> None:
    docs, _, rubric = labelled
    new = tmp_path / "renamed.yaml"
    new.write_text(RUBRIC.replace("id: pitch", "id: sales_pitch"))
    result = run_diff(docs, new, rubric, "-f", "json")
    assert result.exit_code == 0, result.output
    assert "1 of 3 are in both rubrics" in result.stderr
    moved = {d["id"]: d["criteria"] for d in json.loads(result.stdout)["documents"]}
    assert {(c["id"], c["old"] is None, c["new"] is None) for c in moved["b.txt"]} == {
        ("pitch", False, True), ("sales_pitch", True, False)}


def test_shipped_hnr_rubric_is_valid_and_complete() -> None:
    from credscore.engine.compile import compile_rubric
    from credscore.engine.examples import run_examples
    from credscore.rubric.load import load_rubric

    loaded = load_rubric(ROOT / "rubric" / "healthnewsreview.yaml")
    ids = [c.id for c in loaded.rubric.criteria]
    assert ids == ["costs", "benefits", "harms", "evidence_quality", "disease_mongering",
                   "funding_and_conflicts", "alternatives", "availability", "novelty",
                   "sensational_language"]
    assert all(c.label is not None for c in loaded.rubric.criteria)
    assert run_examples(compile_rubric(loaded.rubric)).failures == []


def test_each_criterion_is_ranked_against_the_rating() -> None:
    from credscore.evaluate.compare import evaluate
    from credscore.models import CriterionScore, DocumentScore
    from credscore.rubric.load import load_rubric

    def doc(i: int, words: int, a: float, b: float | None) -> DocumentScore:
        crits = tuple(CriterionScore(id=cid, name=cid, weight=1, score=s, verdict="", explanation="",
                                     findings=()) for cid, s in (("a", a), ("b", b)))
        return DocumentScore(id=f"d{i}", title=None, words=words, score=50.0 + i, grade="C",
                             criteria=crits)

    # "a" follows the rating closely and word count as well: held against length it shows less.
    # "b" applies to three documents only and runs against the rating.
    docs = [doc(0, 100, 0.1, None), doc(1, 200, 0.3, 0.9), doc(2, 300, 0.2, 0.5),
            doc(3, 500, 0.5, 0.1), doc(4, 400, 0.4, None)]
    labels = {f"d{i}": {"id": f"d{i}", "stars": str(i)} for i in range(5)}
    rubric = load_rubric().rubric
    report = evaluate(docs, labels, rubric, rating_field="stars")
    assert report.overall is not None
    ranks = {r.id: r for r in report.overall.criteria}
    assert ranks["a"].support == 5 and ranks["a"].spearman == pytest.approx(0.8)
    assert ranks["b"].support == 3 and ranks["b"].spearman == pytest.approx(-1.0)
    assert ranks["a"].partial is not None and ranks["a"].partial < 0.8
    assert report.overall.words_spearman == pytest.approx(0.9)
    assert report.overall.auc is None  # five rating values
    # the same articles against a two-valued rating: reliable (1) or not (0)
    labels = {f"d{i}": {"id": f"d{i}", "reliable": str(int(i >= 3))} for i in range(5)}
    report = evaluate(docs, labels, rubric, rating_field="reliable")
    assert report.overall is not None
    assert report.overall.auc == 1.0 and report.overall.words_auc == 1.0
    ranks = {r.id: r for r in report.overall.criteria}
    assert ranks["a"].auc == 1.0 and ranks["b"].auc == 0.0


def test_rubric_docs_show_measured_agreement(labelled, tmp_path: Path) -> None:
    docs, labels, rubric = labelled
    measured = tmp_path / "eval.json"
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "-f", "json", "--top", "0", "-o", str(measured), "-j", "1"])
    assert result.exit_code == 0, result.output
    page = runner.invoke(app, ["rubric", "docs", str(rubric), "--agreement", f"my set={measured}"])
    assert page.exit_code == 0, page.output
    assert "| agreement with experts |" in page.stdout and "**my set**" in page.stdout
    assert f"--agreement 'my set={measured}'" in page.stdout
    for bad in ("no-equals-sign", f"x={tmp_path / 'missing.json'}", f"x={rubric}"):
        refused = runner.invoke(app, ["rubric", "docs", str(rubric), "--agreement", bad])
        assert refused.exit_code == 2, bad


def test_labels_that_are_a_folder_are_not_called_missing(tmp_path: Path) -> None:
    with pytest.raises(LabelError, match="not a regular file; give a labels file"):
        load_labels(tmp_path)
    with pytest.raises(LabelError, match="no such labels file"):
        load_labels(tmp_path / "missing.jsonl")


def test_diff_names_a_criterion_only_one_rubric_has(labelled, tmp_path: Path) -> None:
    # It showed as 'extra -->0.345' and 'pitch 0.250->-', and '-' also meant not applicable.
    docs, _, rubric = labelled
    extra = tmp_path / "extra.yaml"
    extra.write_text(RUBRIC + "  - id: extra\n    name: Extra\n    description: d\n    anchor: a\n"
                     "    weight: 1\n    signals:\n      - id: trial\n        points: 1\n"
                     "        phrases: [trial]\n")
    added = run_diff(docs, extra, rubric, "--top", "10")
    assert added.exit_code == 0, added.output
    assert "are in both rubrics, the others show as added or dropped" in added.stderr
    shown = " ".join(added.stdout.split())
    assert "extra added: " in shown and "-->" not in shown
    dropped = run_diff(docs, rubric, extra, "--top", "10")
    assert "extra dropped (was " in " ".join(dropped.stdout.split())


def test_the_numbers_of_the_disagreement_tables_are_right_aligned(labelled) -> None:
    # A disagreement's score, and the overall table's rating, score and rank gap, stood at the
    # left of their columns, where every other table puts its numbers at the right.
    docs, labels, rubric = labelled
    table = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                "-j", "1", "--top", "3"], env={"COLUMNS": "200"}).stdout
    rows = [line.split("│")[1:-1] for line in table.splitlines() if line.startswith("│ ")]
    disagreement = next(r for r in rows if len(r) == 4 and r[1].strip() == "yes")
    ranked = [r for r in rows if len(r) == 4 and r[1].strip().lstrip("-").isdigit()]
    assert ranked, table
    numbers = [disagreement[2], *(cell for r in ranked for cell in r[1:])]
    # right-aligned: the cell's one space of padding after the number, and none more
    assert [cell for cell in numbers if not cell.endswith(f"{cell.strip()} ")] == []
    # each column is wider than its shortest number, so a left-aligned one would show
    assert any(cell.startswith("  ") for cell in numbers)


def test_diff_names_a_ceiling_that_moved_a_score_and_the_grade_it_changed(tmp_path: Path) -> None:
    """A lower ceiling on the default rubric's sales-pitch rules moves a pitching article's
    score with no criterion's score changing: the diff says which ceiling holds it now and what
    it was, and the grade it moved to."""
    article = tmp_path / "pitch.txt"
    article.write_text(
        "Vitamin D trial results\n\nA randomized controlled trial of 1,200 adults, published in "
        "the New England Journal of Medicine, found vitamin D did not reduce fractures compared "
        "with placebo: 5.1% versus 5.3% over five years. \"It was limited to healthy adults,\" "
        "said Dr. Anna Lee of Stanford University, who was not involved. However, other experts "
        "disagreed. The trial was funded by the National Institutes of Health.\n\nOur own Bone "
        "Builder Formula supplement has the vitamin D you need. Order now and save 20% today!\n")
    default = ROOT / "rubric" / "default.yaml"
    lower = tmp_path / "lower.yaml"
    lower.write_text(default.read_text().replace("ceiling: 35", "ceiling: 25"))
    shutil.copytree(ROOT / "rubric" / "lexicons", tmp_path / "lexicons")
    before = json.loads(runner.invoke(app, ["score", str(article), "-f", "json"]).stdout)
    (doc,) = before["documents"]
    assert doc["score"] == 35.0  # held by the default's ceiling
    data = json.loads(run_diff(article, lower, default, "-f", "json").stdout)
    (moved,) = data["documents"]
    assert (moved["old"], moved["new"], moved["criteria"]) == (35.0, 25.0, [])
    assert moved["old_held"] == {"ceiling": 35.0, "criterion": "sales_pitch"}
    assert moved["new_held"] == {"ceiling": 25.0, "criterion": "sales_pitch"}
    assert (moved["old_grade"], moved["new_grade"]) == (doc["grade"], "E")
    assert data["regraded"] == 1
    table = run_diff(article, lower, default).stdout
    assert "held at 25 by sales_pitch's ceiling (was 35)" in table
    assert f"35.0 ({doc['grade']})" in table and "25.0 (E)" in table


def test_a_ceiling_holds_a_score_only_where_it_lowers_it_to_one_decimal() -> None:
    """As the reports say it: a mean of 35.004 under a ceiling of 35 is the score 35.0 either
    way, so the ceiling held nothing."""
    from credscore.evaluate.diff import Held, held_by
    from credscore.models import CriterionScore, DocumentScore, Finding

    def doc(score: float) -> DocumentScore:
        finding = Finding(signal="capped", zone="body", start=0, end=4, text="Sale",
                          sentence="Sale.", points=0.0)
        crit = CriterionScore(id="c", name="C", weight=1.0, score=score, verdict="v",
                              explanation="", findings=(finding,))
        return DocumentScore(id="d", title=None, words=10, score=min(100 * score, 35.0),
                             grade="D", criteria=(crit,))

    ceilings = ({"capped": 35.0},)
    assert held_by(doc(0.35004), ceilings) is None
    assert held_by(doc(0.3506), ceilings) == Held(ceiling=35.0, criterion="c")
    assert held_by(doc(0.30), ceilings) is None


def test_labels_kept_in_the_folder_of_articles_are_no_article(labelled, tmp_path: Path) -> None:
    result = evaluated_json(labelled, labelled[0] / "labels.jsonl",
                            '{"id": "c.txt", "rating": 4}\n{"id": "d.txt", "rating": 2}\n')
    assert result.exit_code == 0, result.stderr
    assert "labels.jsonl" not in result.stderr


def test_a_file_of_articles_with_their_ratings_in_the_folder_is_read(labelled, tmp_path: Path) -> None:
    # Both the articles and their labels: leaving it out of the folder scored nothing.
    folder = tmp_path / "rated"
    folder.mkdir()
    rows = [{"id": f"a{i}", "text": f"A trial of {100 + i} adults found a benefit, researchers "
             "reported in the journal.", "rating": i % 3} for i in range(4)]
    data = folder / "data.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(folder), "-l", str(data), "--rating", "rating",
                                 "-f", "json", "-j", "1"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["labelled"] == 4

