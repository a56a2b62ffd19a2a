"""A count of one is said in the singular: "1 labelled article has", never "1 labelled
articles have"."""

from __future__ import annotations

import re

from credscore.calibrate.calibration import _left_out, check_rated_folds
from credscore.calibrate.data import CalibrationError, Ratings
from credscore.cli import human_size
from credscore.evaluate.compare import Evaluation, nothing_labelled
from credscore.models import DocumentScore
from credscore.plural import counted, plural
from credscore.read.files import size_text
from credscore.report.evaluation import evaluation_markdown

# A number 1 followed by a plural noun: what no message may say.
ONE_PLURAL = re.compile(r"(?<![\d.,])1 (?:labelled |rated |scored )?(?:articles|ids|documents|bytes)\b")


def test_counted_agrees_with_its_number() -> None:
    assert [counted(n, "labelled article") for n in (0, 1, 2)] == [
        "0 labelled articles", "1 labelled article", "2 labelled articles"]
    assert counted(1, "criterion", "criteria") == "1 criterion"
    assert counted(3, "criterion", "criteria") == "3 criteria"
    assert counted(1234, "byte", commas=True) == "1,234 bytes"
    assert [plural(n, "has", "have") for n in (1, 2)] == ["has", "have"]


def test_calibrate_notes_on_one_article_left_out_are_singular() -> None:
    import numpy as np

    ratings = Ratings("stars", np.array([0, 1]), np.array([1.0, 2.0]), missing=1, untotalled=1,
                      not_numbers=(("a", "high"),))
    notes = _left_out(ratings)
    assert notes[0] == "1 labelled article has no 'stars' and is left out of the ranking"
    assert notes[2].startswith("1 rated article has no total") and notes[2].endswith(
        "applies to it) and is left out of the ranking")
    assert not [n for n in notes if ONE_PLURAL.search(n)]
    many = _left_out(Ratings("stars", np.array([0]), np.array([1.0]), missing=2))
    assert many == ["2 labelled articles have no 'stars' and are left out of the ranking"]


def test_too_few_rated_articles_for_the_folds_in_the_singular() -> None:
    try:
        check_rated_folds(1, 2)
    except CalibrationError as exc:
        assert str(exc).startswith("1 rated article is too few to cross-validate")
    else:
        raise AssertionError("one rated article was enough for two folds")


def test_one_scored_article_without_a_label_is_said_as_one() -> None:
    doc = DocumentScore(id="a.txt", title=None, words=5, score=0.0, grade="?", criteria=())
    said = nothing_labelled([doc], {"z.txt": {"id": "z.txt"}}, "id")
    assert said.startswith("the one scored article has no label")
    assert "the article has the id 'a.txt'" in said and not ONE_PLURAL.search(said)


def test_one_document_and_one_byte_are_singular() -> None:
    ev = Evaluation(documents=1, labelled=1, criteria=[], mean_macro_f1=None, overall=None)
    assert "1 of 1 document labelled." in evaluation_markdown(ev)
    assert (human_size(1), size_text(1)) == ("1 byte", "1 byte")
    assert (human_size(2), size_text(2)) == ("2 bytes", "2 bytes")
