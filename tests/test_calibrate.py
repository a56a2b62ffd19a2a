"""calibrate on synthetic labelled articles whose true weights and points are known."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from credscore.calibrate.calibration import Calibration, calibrate
from credscore.calibrate.crossval import FoldFigure, fold_indices, judge, summarise
from credscore.calibrate.data import CalibrationError, Model, ceilings, document_total
from credscore.calibrate.fit import (
    decision_threshold,
    fit_points,
    fit_weights,
    mean_totals,
    score_slopes,
    scores_of,
)
from credscore.engine.compile import compile_rubric
from credscore.engine.score import points_to_score, score
from credscore.evaluate.metrics import spearman
from credscore.models import Document, DocumentScore
from credscore.parse import parse
from credscore.rubric.load import LoadedRubric, load_rubric
from credscore.rubric.model import Scoring

from .conftest import ROOT

RUBRIC = ROOT / "tests" / "fixtures" / "rubrics" / "calibrate.yaml"
TRUE_WEIGHTS = {"alpha": 4.0, "beta": 2.0, "gamma": 1.0, "delta": 0.0}
TRUE_POINTS = {"plus_word": 1.5, "minus_word": -1.0, "rare_word": 1.0}
WORDS = {"alpha": "alpha", "beta": "beta", "gamma": "gamma"}


def synthetic_corpus(n: int, seed: int) -> list[tuple[str, str, dict[str, str]]]:
    """Articles (id, text, labels): a rating made from the true weights with some noise, and a
    'verdict' made from the true points of the delta criterion's words."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        counts = {name: rng.randint(0, 3) for name in WORDS}
        plus, minus = rng.randint(0, 2), rng.randint(0, 2)
        rare = 1 if i % 150 == 7 else 0  # in a handful of articles only
        sentences = [f"This {word} is noted." for name, word in WORDS.items()
                     for _ in range(counts[name])]
        sentences += ["A plus here."] * plus + ["A minus there."] * minus + ["Something rare."] * rare
        rng.shuffle(sentences)
        text = " ".join(sentences) or "Nothing to see."
        true_total = sum(TRUE_WEIGHTS[k] * min(1.0, counts[k] / 3) for k in WORDS) / 7
        rating = min(5, max(0, round(5 * true_total + rng.gauss(0, 0.5))))
        points = TRUE_POINTS["plus_word"] * plus + TRUE_POINTS["minus_word"] * minus \
            + TRUE_POINTS["rare_word"] * rare
        verdict = "unsure" if i % 17 == 0 else ("yes" if points >= 0 else "no")
        out.append((f"a{i:04d}", text, {"id": f"a{i:04d}", "rating": str(rating),
                                        "verdict": verdict}))
    return out


@pytest.fixture(scope="module")
def loaded() -> LoadedRubric:
    return load_rubric(RUBRIC)


@pytest.fixture(scope="module")
def corpus(loaded: LoadedRubric) -> tuple[list[DocumentScore], dict[str, dict[str, str]]]:
    compiled = compile_rubric(loaded.rubric)
    docs, labels = [], {}
    for doc_id, text, row in synthetic_corpus(400, seed=1):
        doc = Document(id=doc_id, source=doc_id, format="text", content=text)
        docs.append(score(parse(doc), compiled))
        labels[doc_id] = row
    return docs, labels


@pytest.fixture(scope="module")
def weights_fit(corpus, loaded: LoadedRubric) -> Calibration:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    return calibrate(docs, labels, loaded.rubric, fit="weights", folds=5, seed=0)


@pytest.fixture(scope="module")
def points_fit(corpus, loaded: LoadedRubric) -> Calibration:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    return calibrate(docs, labels, loaded.rubric, fit="points", folds=5, seed=0)


def fitted(result: Calibration, written: dict[str, float], item: bool = False) -> dict[str, float]:
    out = dict(written)
    for c in result.changes:
        if (c.item is not None) == item:
            out[c.item or c.criterion] = c.new
    return out


def test_weights_recover_the_true_ranking(weights_fit: Calibration) -> None:
    weights = fitted(weights_fit, dict.fromkeys(TRUE_WEIGHTS, 1.0))
    assert weights["alpha"] > weights["beta"] > weights["gamma"] > weights["delta"]
    assert all(w >= 0 for w in weights.values())
    assert sum(weights.values()) == pytest.approx(4.0, abs=0.03)  # the written sum is kept


def test_kept_weights_stay_and_the_others_fit_around_them(corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    result = calibrate(docs, labels, loaded.rubric, fit="weights", folds=3, seed=0,
                       keep=frozenset({"gamma"}))
    weights = fitted(result, dict.fromkeys(TRUE_WEIGHTS, 1.0))
    assert weights["gamma"] == 1.0 and all(c.criterion != "gamma" for c in result.changes)
    # gamma keeps its written quarter of the total weight; the others are fitted in the rest
    assert sum(weights.values()) == pytest.approx(4.0, abs=0.03)
    assert weights["alpha"] > weights["beta"] > weights["delta"]
    with pytest.raises(CalibrationError, match="did you mean 'gamma'"):
        calibrate(docs, labels, loaded.rubric, fit="weights", keep=frozenset({"gama"}))


def test_weights_raise_held_out_agreement(weights_fit: Calibration) -> None:
    s = weights_fit.spearman
    assert s is not None and s.before is not None and s.after is not None
    assert len(s.folds) == 5 and sum(f.n for f in s.folds) == 400
    assert all(f.after > f.before for f in s.folds if f.after is not None and f.before is not None)
    assert s.claim == "better"
    assert weights_fit.kendall is not None and weights_fit.kendall.claim == "better"


def test_points_move_toward_the_truth_and_keep_their_signs(points_fit: Calibration) -> None:
    written = {"plus_word": 0.3, "minus_word": -1.5, "rare_word": 1.0}
    points = fitted(points_fit, written, item=True)
    assert points["plus_word"] > 0 and points["minus_word"] < 0 and points["rare_word"] > 0
    # In truth one plus at least offsets one minus (1.5 against 1); as written it did not
    # (0.3 against 1.5).
    assert points["plus_word"] >= -points["minus_word"]
    (delta,) = points_fit.criteria
    assert delta.adopted
    assert delta.support == sum(1 for i in range(400) if i % 17)  # 'unsure' is ignored
    assert delta.macro_f1.after is not None and delta.macro_f1.before is not None
    assert delta.macro_f1.after > delta.macro_f1.before
    assert delta.macro_f1.after > 0.95  # the labels follow the true points exactly
    assert delta.macro_f1.claim == "better"


def test_a_signal_seen_in_few_articles_barely_moves(points_fit: Calibration) -> None:
    moved = {c.item: abs(c.new - c.old) for c in points_fit.changes if c.item}
    assert moved.get("rare_word", 0.0) < 0.25 * moved["plus_word"]


@pytest.fixture(scope="module")
def rewards_fit(corpus, loaded: LoadedRubric) -> Calibration:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    return calibrate(docs, labels, loaded.rubric, fit="rewards", folds=5, seed=0)


def test_rewards_follow_the_rating_and_penalties_stay(rewards_fit: Calibration) -> None:
    # The rating weighs alpha 4, beta 2, gamma 1; the rubric weighs them equally and every word
    # earns 1 point. With the weights held, alpha's word must earn more and gamma's less.
    points = fitted(rewards_fit, {"alpha_word": 1.0, "beta_word": 1.0, "gamma_word": 1.0,
                                  "minus_word": -1.5}, item=True)
    assert points["alpha_word"] > points["beta_word"] > points["gamma_word"] >= 0.01
    assert points["minus_word"] == -1.5  # a penalty is never fitted
    assert all(c.kind != "weight" for c in rewards_fit.changes)
    assert rewards_fit.rewards_adopted and rewards_fit.weights_adopted is None
    assert rewards_fit.criteria == []  # no criterion's own label is used
    s = rewards_fit.spearman
    assert s is not None and s.after is not None and s.before is not None
    assert s.after > s.before and s.claim == "better"


def test_changed_verdicts_are_noted(rewards_fit: Calibration, corpus,  # type: ignore[no-untyped-def]
                                    loaded: LoadedRubric) -> None:
    from credscore.calibrate.data import criterion_score
    from credscore.engine.score import verdict_for

    docs, _ = corpus
    rubric = loaded.rubric
    moved = {c.criterion for c in rewards_fit.changes}
    for index, spec in enumerate(rubric.criteria):
        if spec.id not in moved:
            continue
        points = {s.id: s.points for s in spec.signals}
        points.update({c.item: c.new for c in rewards_fit.changes if c.criterion == spec.id})
        changed = sum(verdict_for(d.criteria[index].score, spec) != verdict_for(
            criterion_score(d.criteria[index], spec, points, d.words, rubric.short_text), spec)
            for d in docs)
        noted = [n for n in rewards_fit.notes if n.startswith(f"{spec.id}: ")]
        if changed:
            assert noted == [f"{spec.id}: the new points change the verdict of {changed} of "
                             f"{len(docs)} articles; verdict thresholds are not fitted, so check "
                             "that each verdict still names what its scores hold"]
        else:
            assert noted == []
    assert any("verdict" in n for n in rewards_fit.notes)


def test_kept_criteria_keep_their_rewards(corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    result = calibrate(docs, labels, loaded.rubric, fit="rewards", folds=3, seed=0,
                       keep=frozenset({"alpha"}))
    moved = {c.criterion for c in result.changes}
    assert "alpha" not in moved and moved & {"beta", "gamma"}


def test_rewards_need_a_rating(corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    unrated = loaded.rubric.model_copy(update={"rating_field": None})
    with pytest.raises(CalibrationError, match="fits the rewards to an overall rating"):
        calibrate(docs, labels, unrated, fit="rewards")


@pytest.mark.parametrize("scoring", [Scoring(method="saturating", base=0.2, scale=1.5),
                                     Scoring(method="saturating", base=0.9, scale=0.7),
                                     Scoring(method="linear", base=0.3, scale=2.0)])
def test_array_scores_and_slopes_are_the_engines(scoring: Scoring) -> None:
    points = np.linspace(-4, 4, 33) + 0.013  # off the linear scoring's corners
    assert scores_of(points, scoring).tolist() == pytest.approx(
        [points_to_score(float(p), scoring) for p in points], abs=1e-12)
    step = 1e-6
    numeric = (scores_of(points + step, scoring) - scores_of(points - step, scoring)) / (2 * step)
    assert score_slopes(points, scoring).tolist() == pytest.approx(numeric.tolist(), abs=1e-6)


def test_sign_is_kept_even_when_the_labels_say_otherwise() -> None:
    # A signal written as a penalty that the labels reward stays a (tiny) penalty.
    counts = np.array([[1.0], [1.0], [0.0], [0.0]] * 10)
    truth = np.array([True, True, False, False] * 10)
    scoring = Scoring(method="saturating", base=0.3, scale=1.0)
    new = fit_points(counts, truth, np.ones(40, dtype=bool), np.array([-1.0]), scoring)
    assert new[0] < 0


def test_decision_threshold_is_where_the_engine_crosses_one_half() -> None:
    for scoring in (Scoring(method="saturating", base=0.1, scale=1.5),
                    Scoring(method="saturating", base=0.8, scale=2.0),
                    Scoring(method="linear", base=0.2, scale=4.0)):
        t = decision_threshold(scoring)
        assert t is not None
        assert points_to_score(t + 1e-6, scoring) >= 0.5 > points_to_score(t - 1e-6, scoring)
    steps = Scoring.model_validate({"method": "steps", "steps": [
        {"min_points": 0, "score": 0.2}, {"min_points": 2, "score": 0.6},
        {"min_points": 4, "score": 0.9}]})
    assert decision_threshold(steps) == 2
    up_down = Scoring.model_validate({"method": "steps", "steps": [
        {"min_points": 0, "score": 0.2}, {"min_points": 2, "score": 0.6},
        {"min_points": 4, "score": 0.3}]})
    assert decision_threshold(up_down) is None


def test_array_total_is_the_engines_total(seed_scores: dict[str, DocumentScore],
                                          default_rubric: LoadedRubric) -> None:
    rubric = default_rubric.rubric
    docs = list(seed_scores.values())
    scores = np.array([[np.nan if c.score is None else c.score for c in d.criteria] for d in docs])
    assert np.isnan(scores).any()  # some criteria do not apply to some seeds
    held = ceilings(docs, rubric)
    assert np.isfinite(held).sum() == 1  # the seed that sells its own product
    rng = np.random.default_rng(3)
    for _ in range(5):
        w = rng.uniform(0, 3, len(rubric.criteria))
        w[rng.integers(len(w))] = 0.0
        model = Model(dict(zip((c.id for c in rubric.criteria), w, strict=True)))
        engine = [document_total(d, rubric, model) for d in docs]
        arrays = np.minimum(mean_totals(scores, w), 100 * held)
        assert np.round(arrays, 1).tolist() == pytest.approx(engine, abs=0.051)
    written = Model.written(rubric)
    assert [document_total(d, rubric, written) for d in docs] == [d.score for d in docs]


def test_deterministic_with_a_seed(corpus, loaded: LoadedRubric,  # type: ignore[no-untyped-def]
                                   weights_fit: Calibration) -> None:
    docs, labels = corpus
    again = calibrate(list(reversed(docs)), labels, loaded.rubric, fit="weights", folds=5, seed=0)
    assert again == weights_fit
    assert [list(p) for p in fold_indices(10, 3, 0)] == [list(p) for p in fold_indices(10, 3, 0)]
    assert [list(p) for p in fold_indices(10, 3, 0)] != [list(p) for p in fold_indices(10, 3, 1)]
    assert sorted(np.concatenate(fold_indices(11, 3, 5)).tolist()) == list(range(11))


def test_a_gain_within_its_spread_is_not_claimed() -> None:
    assert judge(0.02, 0.03) == "within spread"
    assert judge(0.04, 0.03) == "better"
    assert judge(-0.04, 0.03) == "worse"


def test_a_fit_that_changed_no_fold_says_so_without_a_spread_of_0() -> None:
    same = [FoldFigure(fold=i, n=5, before=0.4 + i / 10, after=0.4 + i / 10) for i in (1, 2, 3)]
    summary = summarise("Spearman", same)
    assert summary.claim == "within spread"
    assert summary.verdict == ("no change: the fitted numbers gave every held-out fold the same "
                               "figure as the written ones")
    moved = [FoldFigure(fold=i, n=5, before=0.5, after=0.48 + i / 100) for i in (1, 2, 3)]
    assert "within its spread (sd 0.010" in summarise("Spearman", moved).verdict


def test_one_fold_with_a_figure_out_of_several_is_said_as_such() -> None:
    # 4 articles in 3 folds: the folds of one article have no Spearman; "one fold only" was
    # said of three folds
    figures = [FoldFigure(fold=1, n=2, before=1.0, after=1.0),
               FoldFigure(fold=2, n=1, before=None, after=None),
               FoldFigure(fold=3, n=1, before=None, after=None)]
    summary = summarise("Spearman", figures)
    assert summary.claim == "not measurable" and summary.spread is None
    assert summary.verdict == ("not measurable: only one of the 3 folds had enough articles for "
                               "a figure, so the gain has no spread")


def test_points_on_an_uninformative_label_claim_nothing(corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    rng = random.Random(5)
    noise = {k: {**v, "verdict": rng.choice(["yes", "no"])} for k, v in labels.items()}
    result = calibrate(docs, noise, loaded.rubric, fit="points", folds=5, seed=0)
    (delta,) = result.criteria
    assert delta.macro_f1.claim != "better"


@pytest.mark.parametrize(("change", "message"), [
    (lambda labels: {f"x{k}": v for k, v in labels.items()}, "the labels expect ids such as 'xa0000'"),
    (lambda labels: {k: {**v, "rating": "high"} for k, v in labels.items()}, "must be a number"),
    (lambda labels: {k: {"id": k} for k in labels}, "no labelled article has the rating field"),
    (lambda labels: dict(list(labels.items())[:3]), "3 rated articles are too few to cross-validate"),
])
def test_labels_that_cannot_support_a_fit(corpus, loaded: LoadedRubric, change,  # type: ignore[no-untyped-def]
                                          message: str) -> None:
    docs, labels = corpus
    with pytest.raises(CalibrationError, match=message):
        calibrate(docs, change(labels), loaded.rubric, fit="weights", folds=5)


def test_a_label_value_outside_the_mapping(corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    bad = {**labels, "a0003": {**labels["a0003"], "verdict": "maybe"}}
    with pytest.raises(CalibrationError, match=r"'a0003' is 'maybe', which is in none of"):
        calibrate(docs, bad, loaded.rubric, fit="points")


def test_points_need_a_labelled_criterion(corpus, default_rubric: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    with pytest.raises(CalibrationError, match="declare 'label:'"):
        calibrate(docs, labels, default_rubric.rubric, fit="points")


def test_ranking_before_is_the_recorded_score(weights_fit: Calibration, corpus) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    s = weights_fit.spearman
    assert s is not None
    by_id = sorted(docs, key=lambda d: d.id)
    first = fold_indices(len(by_id), 5, 0)[0]
    held = [by_id[i] for i in first]
    assert s.folds[0].before == spearman([d.score for d in held],
                                         [float(labels[d.id]["rating"]) for d in held])


def test_rating_is_measured_with_points_when_labels_hold_one(points_fit: Calibration) -> None:
    assert points_fit.rating_field == "rating" and points_fit.spearman is not None


def write_corpus(folder: Path, n: int = 300, seed: int = 1) -> tuple[Path, Path]:
    """The synthetic articles as a JSONL file and their labels as CSV."""
    import csv
    import json

    rows = synthetic_corpus(n, seed)
    articles = folder / "articles.jsonl"
    articles.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t, _ in rows))
    labels = folder / "labels.csv"
    with labels.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "rating", "verdict"])
        writer.writeheader()
        writer.writerows(r for _, _, r in rows)
    return articles, labels


def test_scores_recomputed_from_findings_are_the_engines(tmp_path: Path) -> None:
    """With the written points, every criterion score comes back exactly as scored, per_words
    and short_text included (here on every criterion of the default rubric, through a child that
    takes points per 150 words and raises every seed's scores below 0.4 toward it, all seeds being
    shorter than 2,000 words, but for a seed caught at a sales pitch)."""
    from credscore.calibrate.data import criterion_score, written_points
    from credscore.engine.score import raise_for
    from credscore.read import read_paths

    from .conftest import SEEDS

    base = load_rubric().rubric
    child = tmp_path / "per_words.yaml"
    child.write_text("extends: default\nshort_text: {words: 2000, toward: 0.4, forfeited_by: "
                     "[sales_pitch]}\ncriteria:\n" + "".join(
        f"  - id: {c.id}\n    scoring: {{per_words: 150}}\n" for c in base.criteria))
    rubric = load_rubric(child).rubric
    assert rubric.short_text is not None
    compiled = compile_rubric(rubric)
    checked = 0
    raising = []
    for doc in read_paths([SEEDS]):
        result = score(parse(doc), compiled)  # type: ignore[arg-type]
        assert 150 < result.words < 2000
        short = raise_for(result.criteria, rubric, result.words)
        raising.append(short is not None)
        for crit, spec in zip(result.criteria, rubric.criteria, strict=True):
            assert criterion_score(crit, spec, written_points(spec), result.words,
                                   short) == crit.score
            checked += crit.score is not None
    assert checked > 40
    # Some seeds are raised, and some forfeit it (caught at a sales pitch).
    assert any(raising) and not all(raising)


def test_a_criterion_that_does_not_apply_predicts_its_labels_answer(loaded: LoadedRubric) -> None:
    from credscore.calibrate.data import predicted

    spec = loaded.rubric.criterion("delta")
    assert spec.label is not None
    flipped = spec.model_copy(update={"label": spec.label.model_copy(
        update={"not_applicable": "positive"})})
    assert (predicted(None, spec), predicted(None, flipped)) == (False, True)
    assert predicted(0.5, spec) and not predicted(0.49, spec)


def test_folds_split_the_rated_articles_when_many_have_no_rating(
        corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    import warnings

    docs, labels = corpus
    field = loaded.rubric.rating_field or "rating"
    # twelve articles, four of them rated: whatever the seed, each fold holds two rated articles
    few = docs[:12]
    rated = [d.id for d in few if labels[d.id][field] != labels[few[0].id][field]][:3]
    rated.append(few[0].id)
    sparse = {d.id: {**labels[d.id], field: labels[d.id][field] if d.id in rated else ""}
              for d in few}
    for seed in range(5):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # numpy's "mean of empty slice" was one
            result = calibrate(few, sparse, loaded.rubric, fit="weights", rating_field=field,
                               folds=2, seed=seed)
        assert result.spearman is not None
        assert [f.n for f in result.spearman.folds] == [2, 2]
        assert "8 labelled articles have no" in " ".join(result.notes)


@pytest.mark.parametrize(("rated", "folds", "message"), [
    (5, 3, "--folds 3 is too many for 5 rated articles: each fold needs 2 of them, so that the "
           "fit can be checked on how it ranks articles it did not see; use --folds 2, or rate "
           "more articles"),
    (9, 5, "--folds 5 is too many for 9 rated articles: each fold needs 2 of them, so that the "
           "fit can be checked on how it ranks articles it did not see; use --folds 4 or fewer, "
           "or rate more articles"),
    (3, 2, "3 rated articles are too few to cross-validate: each fold needs 2 of them, so that "
           "the fit can be checked on how it ranks articles it did not see, and the fewest folds "
           "(--folds 2) need 4; rate more articles"),
])
@pytest.mark.parametrize("fit", ["weights", "both", "rewards"])
def test_a_fold_with_fewer_than_two_rated_articles_is_refused_before_fitting(
        corpus, loaded: LoadedRubric, rated: int, folds: int, message: str, fit: str,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A fold of one rated article has no ranking to check a fit on: its figures were left out
    # with a "-", and the mean and spread of the others were claimed as the folds' (or, with
    # every fold so, "not measurable" after all the fitting).
    from credscore.calibrate import calibration

    docs, labels = corpus
    field = "rating"
    ratings = [labels[d.id][field] for d in docs]
    ranked = [d.id for d, r in zip(docs, ratings, strict=True) if r != ratings[0]][:rated - 1]
    keep = {docs[0].id, *ranked}
    sparse = {k: {**v, field: v[field] if k in keep else ""} for k, v in labels.items()}
    monkeypatch.setattr(calibration, "_Fitter", None)  # no fitting may start
    with pytest.raises(CalibrationError) as refused:
        calibrate(docs, sparse, loaded.rubric, fit=fit, folds=folds)  # type: ignore[arg-type]
    assert str(refused.value) == message


def test_ratings_that_are_not_numbers_are_left_out_with_a_note(corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    odd = {"a0001": "high", "a0002": "nan", "a0003": "\x1b[2J4 of 5", "a0004": "inf",
           "a0005": "x" * 100, "a0006": "n/a", "a0007": "[4]"}
    bad = {k: {**v, "rating": odd.get(k, v["rating"])} for k, v in labels.items()}
    result = calibrate(docs, bad, loaded.rubric, fit="weights", folds=5)
    assert result.spearman is not None and sum(f.n for f in result.spearman.folds) == 393
    assert ("7 labelled articles have a 'rating' that is not a number ('a0001': 'high', "
            "'a0002': 'nan', 'a0003': '\\x1b[2J4 of 5', 'a0004': 'inf', 'a0005': '" + "x" * 39
            + "…' and 2 more) and are left out of the ranking") in result.notes
    one = {k: {**v, "rating": "high" if k == "a0001" else v["rating"]} for k, v in labels.items()}
    note = ("1 labelled article has a 'rating' that is not a number ('a0001': 'high') and is left "
            "out of the ranking")
    assert note in calibrate(docs, one, loaded.rubric, folds=5).notes
    # --fit points measures the ranking as well: one word in the ratings no longer drops it
    points = calibrate(docs, one, loaded.rubric, fit="points", folds=5)
    assert note in points.notes and points.spearman is not None
    assert sum(f.n for f in points.spearman.folds) == 399


def test_a_rating_field_with_no_number_names_the_fields_that_have_one(corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    worded = {k: {**v, "stars": "many" if k == "a0000" else "few"} for k, v in labels.items()}
    with pytest.raises(CalibrationError) as refused:
        calibrate(docs, worded, loaded.rubric, rating_field="stars", folds=5)
    assert str(refused.value) == (
        "the rating field 'stars' must be a number, and no labelled article has one there (400 "
        "hold something else: 'a0000': 'many', 'a0001': 'few', 'a0002': 'few', 'a0003': 'few', "
        "'a0004': 'few' and 395 more); the label fields with numbers are: rating")


def test_a_total_held_at_its_ceiling_does_not_steer_the_weights() -> None:
    # Two criteria; the rating follows the first. One article, held at a ceiling, rates high
    # while its second criterion is high and its first low: were it free, it would pull weight
    # toward the second criterion.
    rng = np.random.default_rng(5)
    first, second = rng.uniform(0, 1, 60), rng.uniform(0, 1, 60)
    ratings = first.copy()
    first[0], second[0], ratings[0] = 0.0, 1.0, 10.0
    scores = np.column_stack([first, second])
    written = np.array([1.0, 1.0])
    free = fit_weights(scores, ratings, written)
    held = np.full(60, np.inf)
    held[0] = 0.0
    with_ceiling = fit_weights(scores, ratings, written, ceilings=held)
    assert with_ceiling[0] / with_ceiling.sum() > free[0] / free.sum()


def test_an_id_several_articles_carry_is_left_out_with_a_note(corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    twin = docs[0].model_copy(update={"title": "another article with the same id"})
    result = calibrate([*docs, twin], labels, loaded.rubric, fit="weights", folds=5)
    alone = calibrate(docs, labels, loaded.rubric, fit="weights", folds=5)
    assert result.articles == alone.articles - 1
    assert any(f"{docs[0].id!r}) is carried by more than one scored article" in n
               for n in result.notes)


def test_an_article_no_criterion_applies_to_is_not_ranked(corpus, loaded: LoadedRubric) -> None:  # type: ignore[no-untyped-def]
    docs, labels = corpus
    blank = docs[0].model_copy(update={
        "score": 0.0, "grade": "?",
        "criteria": tuple(c.model_copy(update={"score": None}) for c in docs[0].criteria)})
    result = calibrate([blank, *docs[1:]], labels, loaded.rubric, fit="weights", folds=5)
    assert any(n.startswith("1 rated article has no total") and "applies to it" in n
               and "is left out" in n for n in result.notes)
    nothing = [d.model_copy(update={"criteria": tuple(c.model_copy(update={"score": None})
                                                      for c in d.criteria)}) for d in docs]
    with pytest.raises(CalibrationError, match="has a total: no criterion of the rubric"):
        calibrate(nothing, labels, loaded.rubric, fit="weights", folds=5)


def test_the_numbers_a_fit_may_change_are_known_before_it(loaded: LoadedRubric) -> None:
    from credscore.calibrate.calibration import may_change

    def named(fit: str, keep: frozenset[str] = frozenset()) -> set[str]:
        return {c.item or c.criterion for c in may_change(loaded.rubric, fit, keep)}  # type: ignore[arg-type]

    assert named("weights") == {"alpha", "beta", "gamma", "delta"}
    assert named("weights", frozenset({"delta"})) == {"alpha", "beta", "gamma"}
    # the points of the criterion with a label, but for helpers written as 0
    assert named("points") == {"plus_word", "minus_word", "rare_word"}
    assert named("both") == named("weights") | named("points")
    # rewards: points above 0 of criteria not kept; penalties stay
    assert named("rewards", frozenset({"alpha"})) == {"beta_word", "gamma_word", "plus_word",
                                                      "rare_word"}
    assert all(c.old == c.new for c in may_change(loaded.rubric, "both"))


def test_rewards_fitted_for_short_texts_score_and_slope_as_the_engine_raises() -> None:
    """The fit's vectorised criterion score raises a short text's low scores as the engine does
    (not a score above the middle, nor one of a text caught at a fault: kept 1), and its slope is
    that score's derivative."""
    from credscore.calibrate.fit import Rewards
    from credscore.engine.score import pulled, raised_share
    from credscore.rubric.model import ShortText

    short = ShortText(words=150, toward=0.5, min_words=50)
    scoring = Scoring(method="saturating", base=0.1, scale=2.0)
    words = [10, 60, 120, 149, 150, 400]
    kept = np.array([1 - raised_share(w, short) for w in words])
    block = Rewards(np.zeros((len(words), 1)), np.zeros(1), scoring, 1.0,
                    np.ones(len(words), dtype=bool), kept, short.toward)
    for points in (-2.0, 0.0, 0.5, 3.0):
        got = block.scores(np.full(len(words), points))
        engine = [pulled(points_to_score(points, scoring), w, short) for w in words]
        assert np.allclose(got, engine, atol=1e-4)
        step = 1e-6
        numeric = (block.scores(np.full(len(words), points + step)) - got) / step
        assert np.allclose(block.slopes(np.full(len(words), points)), numeric, atol=1e-4)
    # Low scores of the short texts moved, the long texts' did not.
    low = block.scores(np.full(len(words), -2.0))
    assert (low[:4] > points_to_score(-2.0, scoring)).all()
    assert np.allclose(low[4:], points_to_score(-2.0, scoring))
