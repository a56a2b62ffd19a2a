"""Bootstrap intervals: the one-pass resample figures equal the plain metrics on the resample
written out, and `evaluate --bootstrap` shows them (and leaves the JSON as it was without)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from credscore.cli import app
from credscore.evaluate.bootstrap import (
    LabelMeasure,
    Ranked,
    RankMeasure,
    bootstrap_intervals,
    percentile_interval,
    resamples,
    weighted_auc,
    weighted_macro_f1,
    weighted_pearson,
)
from credscore.evaluate.metrics import Confusion, auc, macro_f1, ranks, spearman

from .test_evaluate import labelled  # noqa: F401  (the fixture)

runner = CliRunner()

values = st.integers(min_value=0, max_value=4).map(float)
counts = st.integers(min_value=0, max_value=3)


def _expand(items: list, weights: list[int]) -> list:
    """The resample written out: item i repeated weights[i] times."""
    return [item for item, w in zip(items, weights, strict=True) for _ in range(w)]


@given(st.lists(st.tuples(values, values, counts), min_size=1, max_size=30))
def test_resample_ranks_and_spearman_equal_the_written_out_sample(rows) -> None:
    x, y, w = (list(col) for col in zip(*rows, strict=True))
    drawn = Ranked(x).ranks(w)
    expanded_ranks = ranks(_expand(x, w))
    assert _expand(drawn, w) == pytest.approx(expanded_ranks)
    got = weighted_pearson(Ranked(x).ranks(w), Ranked(y).ranks(w), w)
    want = spearman(_expand(x, w), _expand(y, w)) if sum(w) >= 2 else None
    assert (got is None and want is None) or got == pytest.approx(want)


@given(st.lists(st.tuples(values, st.booleans(), counts), min_size=1, max_size=30))
def test_resample_auc_equals_the_written_out_sample(rows) -> None:
    x, high, w = (list(col) for col in zip(*rows, strict=True))
    got = weighted_auc(Ranked(x), high, w)
    want = auc(_expand(x, w), [float(h) for h in _expand(high, w)])
    assert (got is None and want is None) or got == pytest.approx(want)


@given(st.lists(st.tuples(st.booleans(), st.booleans(), counts), min_size=1, max_size=30))
def test_resample_macro_f1_equals_the_written_out_sample(rows) -> None:
    truth, predicted, w = (list(col) for col in zip(*rows, strict=True))
    got = weighted_macro_f1(truth, predicted, w)
    if not sum(w):
        assert got is None
    else:
        assert got == pytest.approx(macro_f1(Confusion.of(_expand(truth, w), _expand(predicted, w))))


def test_resamples_draw_n_of_n_and_repeat_with_the_seed() -> None:
    first = list(resamples(50, 20, seed=3))
    assert all(sum(c) == 50 and len(c) == 50 for c in first)
    assert first == list(resamples(50, 20, seed=3))
    assert first != list(resamples(50, 20, seed=4))
    assert any(0 in c for c in first)  # with replacement: some article left out of a round


def test_percentile_interval() -> None:
    assert percentile_interval([float(v) for v in range(101)]) == pytest.approx((2.5, 97.5))
    # A round with no figure is left out while the others still hold the level's share...
    assert percentile_interval([None, *map(float, range(101))]) == pytest.approx((2.5, 97.5))
    # ...and when they do not, or fewer than two have one, there is no interval.
    assert percentile_interval([None] * 10 + [1.0, 2.0] * 5) is None
    assert percentile_interval([None, 0.5]) is None


def test_intervals_widen_with_fewer_articles_and_hold_the_figure() -> None:
    # A score that tracks the rating with some noise: the interval of its Spearman lies around
    # the figure, and is wider on 30 articles than on 300.
    def measure(n: int) -> tuple[float, float]:
        scores = [float((i * 7919) % 101 + i) for i in range(n)]
        ratings = [float(i // (n // 5)) for i in range(n)]
        found = bootstrap_intervals(n, [], [RankMeasure("t", list(range(n)), scores, ratings)],
                                    rounds=300, seed=0)
        lo, hi = found.spearman["t"]
        rho = spearman(scores, ratings)
        assert lo <= rho <= hi
        return lo, hi

    small, large = measure(30), measure(300)
    assert small[1] - small[0] > large[1] - large[0] > 0


def test_mean_macro_f1_interval_is_that_of_the_mean() -> None:
    truth = [i % 2 == 0 for i in range(40)]
    perfect = LabelMeasure("p", list(range(40)), truth, truth)
    inverse = LabelMeasure("q", list(range(40)), truth, [not t for t in truth])
    found = bootstrap_intervals(40, [perfect, inverse], [], rounds=100, seed=1)
    assert found.macro_f1["p"] == (1.0, 1.0) and found.macro_f1["q"] == (0.0, 0.0)
    assert found.mean_macro_f1 == (0.5, 0.5)


def _copies(fixture: tuple[Path, Path, Path], tmp_path: Path, n: int = 8) -> tuple[Path, Path]:
    """The labelled fixture's four articles, ``n`` times over under ids of their own: enough
    articles for every figure to have an interval."""
    docs, labels, _ = fixture
    rows = {row["id"]: row for row in map(json.loads, labels.read_text().splitlines())}
    many = tmp_path / "many"
    many.mkdir()
    out = []
    for k in range(n):
        for path in sorted(docs.iterdir()):
            name = f"{k}_{path.name}"
            (many / name).write_text(path.read_text() + f" Note {k}.")
            out.append(json.dumps({**rows[path.name], "id": name}) + "\n")
    (tmp_path / "many.jsonl").write_text("".join(out))
    return many, tmp_path / "many.jsonl"


def test_evaluate_bootstrap_adds_intervals_and_only_then(labelled, tmp_path: Path) -> None:  # noqa: F811
    docs, labels = _copies(labelled, tmp_path)
    args = ["evaluate", str(docs), "-l", str(labels), "-r", str(labelled[2]), "-j", "1"]
    plain = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert not {"bootstrap", "mean_macro_f1_interval"} & plain.keys()
    assert "macro_f1_interval" not in plain["criteria"][0]
    assert "spearman_interval" not in plain["overall"]
    assert "spearman_interval" not in plain["overall"]["criteria"][0]

    result = runner.invoke(app, [*args, "-f", "json", "--bootstrap", "200", "--seed", "5"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["bootstrap"] == {"rounds": 200, "seed": 5, "level": 0.95}
    (pitch,) = data["criteria"]
    lo, hi = pitch["macro_f1_interval"]
    assert 0 <= lo <= hi <= 1
    lo, hi = data["mean_macro_f1_interval"]
    assert lo <= data["mean_macro_f1"] <= hi
    lo, hi = data["overall"]["spearman_interval"]
    assert -1 <= lo <= hi <= 1
    # Everything else is the plain evaluation.
    assert _without_intervals(data["criteria"]) == plain["criteria"]
    assert _without_intervals(data["overall"]) == plain["overall"]
    again = runner.invoke(app, [*args, "-f", "json", "--bootstrap", "200", "--seed", "5"])
    assert json.loads(again.stdout) == data

    md = runner.invoke(app, [*args, "-f", "markdown", "--bootstrap", "100"]).stdout
    assert "over 100 resamples of the labelled articles" in md
    assert f"Spearman {plain['overall']['spearman']:.3f} [" in md
    table = runner.invoke(app, [*args, "--bootstrap", "100"]).stdout
    assert "95% interval" in table and "over 100 resamples" in table


def _without_intervals(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_intervals(v) for k, v in value.items() if not k.endswith("_interval")}
    if isinstance(value, list):
        return [_without_intervals(v) for v in value]
    return value


def test_rubric_docs_show_intervals(labelled, tmp_path: Path) -> None:  # noqa: F811
    docs, labels, rubric = labelled
    measured = tmp_path / "eval.json"
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "-f", "json", "--top", "0", "--bootstrap", "100", "-o",
                                 str(measured), "-j", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(measured.read_text())
    page = runner.invoke(app, ["rubric", "docs", str(rubric), "--agreement", f"set={measured}"]).stdout
    lo, hi = data["criteria"][0]["macro_f1_interval"]
    assert f"macro-F1 {data['criteria'][0]['macro_f1']:.2f} [{lo:.2f}, {hi:.2f}]" in page
    assert "over 100 resamples of the labelled articles" in page


def test_too_few_articles_give_no_interval() -> None:
    # One or two articles: every resample is much alike, and most rounds of two articles have
    # no Spearman at all; an interval of the rest would look surer than anything measured.
    one = LabelMeasure("one", [0], [True], [True])
    found = bootstrap_intervals(1, [one], [], rounds=100, seed=0)
    assert found.macro_f1["one"] is None and found.mean_macro_f1 is None
    pair = RankMeasure("pair", [0, 1], [1.0, 2.0], [2.0, 1.0])
    assert bootstrap_intervals(2, [], [pair], rounds=100, seed=0).spearman["pair"] is None
    # A criterion measured on a single article leaves the mean without an interval too: the
    # mean of a round is that of every criterion, as the figure is.
    wide = LabelMeasure("wide", list(range(40)), [i % 2 == 0 for i in range(40)],
                        [i % 2 == 0 for i in range(40)])
    single = LabelMeasure("single", [0], [True], [False])
    found = bootstrap_intervals(40, [wide, single], [], rounds=100, seed=0)
    assert found.macro_f1["wide"] == (1.0, 1.0)
    assert found.macro_f1["single"] is None and found.mean_macro_f1 is None


def test_evaluate_refuses_too_few_resamples(labelled) -> None:  # noqa: F811
    docs, labels, rubric = labelled
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "-j", "1", "--bootstrap", "5"])
    assert result.exit_code == 2
    assert "from 20 to 100,000 resamples" in result.stderr


def test_evaluate_refuses_more_resamples_than_place_an_interval_better(labelled) -> None:  # noqa: F811
    docs, labels, rubric = labelled
    result = runner.invoke(app, ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric),
                                 "-j", "1", "--bootstrap", "100000000"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("--bootstrap: 100000000 is out of range; give 0 (none) "
                                          "or from 20 to 100,000 resamples (1000 is usual)")


def test_a_criterion_labelled_on_few_articles_keeps_its_rank_interval() -> None:
    # The label and the rank measure of one criterion share its id; too few labelled articles
    # take away the macro-F1 interval only.
    n = 40
    answered = LabelMeasure("c", [0, 1], [True, False], [True, False])
    ranked = RankMeasure("c", list(range(n)), [float(i % 7) for i in range(n)],
                         [float(i % 5) for i in range(n)])
    found = bootstrap_intervals(n, [answered], [ranked], rounds=100, seed=0)
    assert found.macro_f1["c"] is None and found.spearman["c"] is not None


def test_the_markdown_evaluation_marks_a_figure_without_an_interval(tmp_path: Path) -> None:
    # The legend promised a "-" where too few articles were measured for an interval, and the
    # figure was shown bare, like a figure measured without --bootstrap.
    import re

    from .conftest import ROOT, SEEDS

    md = runner.invoke(app, ["evaluate", str(SEEDS), "-l", str(ROOT / "examples" / "seed-labels.csv"),
                             "--rating", "rating", "-f", "markdown", "--bootstrap", "200"]).stdout
    assert '"-" where too many resamples left no figure' in md
    rows = [line.split("|")[3].strip() for line in md.splitlines()
            if re.match(r"\| [a-z_]+ \| \d+ \|", line)]
    assert rows and any(cell.endswith("[-]") for cell in rows)
    for cell in rows:  # a figure has its interval or "[-]"; a missing figure is "-" alone
        assert cell == "-" or re.fullmatch(r"-?\d\.\d{3} (\[-?\d\.\d{3}, -?\d\.\d{3}\]|\[-\])", cell), cell


def test_the_terminal_table_marks_a_criterion_figure_without_an_interval() -> None:
    # The legend promised a "-" where no interval could be made, and the terminal table showed
    # the figure bare, as if measured without --bootstrap (the Markdown report showed "[-]").
    import re

    from .conftest import ROOT, SEEDS

    out = runner.invoke(app, ["evaluate", str(SEEDS), "-l", str(ROOT / "examples" / "seed-labels.csv"),
                              "--rating", "rating", "--bootstrap", "200"],
                        env={"COLUMNS": "200"}).stdout
    cells = [re.split(r"\s*│\s*", line)[3] for line in out.splitlines()
             if re.match(r"│ [a-z_]+\s+│\s+\d+ │", line)]
    assert cells and any(cell.endswith("[-]") for cell in cells)
    for cell in cells:  # a figure has its interval or "[-]"; a missing figure is "-" alone
        assert cell == "-" or re.fullmatch(r"-?\d\.\d{3} ?(\[-?\d\.\d{2},-?\d\.\d{2}\]|\[-\])", cell), cell

