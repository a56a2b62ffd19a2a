"""A short text's raise, said of the whole article: which criteria the rubric's ``short_text``
raised and the score the article would have had without, as the score table, ``explain`` and
the HTML and Markdown reports give it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from credscore.cli import app
from credscore.engine.compile import compile_rubric, rule_ceilings
from credscore.engine.score import score, share_words, short_raise
from credscore.models import Document, DocumentScore, ParsedDocument, RubricRef
from credscore.parse import parse
from credscore.report.html import render_html
from credscore.report.markdown import render_markdown
from credscore.rubric.load import LoadedRubric
from credscore.rubric.model import Rubric

from .conftest import SEEDS

runner = CliRunner()

BRIEF = ("Scientists say a new pill may help with joint pain, according to a study of 60 "
         "patients. The results were presented at a meeting. Dr. Ana Ruiz, who was not "
         "involved, said the work was early and small.")


# 148 words whose hedging scores just below 0.5: a raise of 1/150 of the way rounds to nothing
# there, so hedging is not raised (its explanation says nothing of it), while others are.
NEAR_THE_MIDDLE = ("The study suggests walking may help bones. People tend to walk more in "
                   "summer. " + "The park has a long path beside the river and many benches "
                   "under the old trees. " * 8 + "Dogs run on the grass there.")


def _parsed(text: str, name: str = "brief.txt") -> ParsedDocument:
    return parse(Document(id=name, source=name, format="text", content=text))


def _seed_openings() -> list[str]:
    """The first 20 to 160 words of each seed: texts either side of the default's 150 words."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        words = path.read_text(encoding="utf-8").split()
        out += [" ".join(words[:n]) for n in (20, 45, 70, 110, 145, 160)]
    return out


def _check_raise(rubric: Rubric, text: str) -> None:
    """short_raise names exactly the criteria whose scores the raise moved, and the score the
    same text gets from the rubric without short_text."""
    unraised_rubric = rubric.model_copy(update={"short_text": None})
    parsed = _parsed(text)
    raised = score(parsed, compile_rubric(rubric))
    plain = score(parsed, compile_rubric(unraised_rubric))
    moved = tuple(a.id for a, b in zip(raised.criteria, plain.criteria, strict=True)
                  if a.score != b.score)
    found = short_raise(raised, rubric, rule_ceilings(rubric))
    if not moved:
        assert found is None
        return
    assert found is not None
    assert found.criteria == moved
    assert found.unraised == plain.score < raised.score
    assert 0 < found.share < 1 and found.toward == rubric.short_text.toward  # type: ignore[union-attr]
    for c in raised.criteria:
        assert ("too short to show" in c.explanation) == (c.id in found.criteria)


@pytest.mark.parametrize("text", [BRIEF, NEAR_THE_MIDDLE, *_seed_openings()])
def test_the_raise_names_the_criteria_raised_and_the_score_without_it(
        default_rubric: LoadedRubric, text: str) -> None:
    _check_raise(default_rubric.rubric, text)


@pytest.mark.parametrize(("setting", "text"), [
    # Nearly the whole way up: a score read back from the raised one would be far off.
    ({"min_words": 1}, "Sign"),
    ({"words": 10_000, "min_words": 1}, "Skip to"),
    ({"words": 10_000, "min_words": 1}, BRIEF),
    ({"toward": 0.8}, BRIEF),
])
def test_the_score_without_the_raise_holds_for_any_setting(
        default_rubric: LoadedRubric, setting: dict[str, float], text: str) -> None:
    rubric = default_rubric.rubric
    short = rubric.short_text.model_copy(update=setting)  # type: ignore[union-attr]
    _check_raise(rubric.model_copy(update={"short_text": short}), text)


def test_a_ceiling_that_holds_the_score_either_way_leaves_nothing_to_say(
        default_rubric: LoadedRubric) -> None:
    rubric = default_rubric.rubric
    # With nothing forfeiting the raise, a short page that sells is held at its ceiling raised
    # or not: its criteria are raised, its score is not.
    short = rubric.short_text.model_copy(update={"forfeited_by": ()})  # type: ignore[union-attr]
    lenient = rubric.model_copy(update={"short_text": short})
    text = ("In a randomized controlled trial of 1,200 adults published in JAMA, walking reduced "
            "fractures by 12% (from 5 in 100 to 4.4 in 100) compared with placebo. The study may "
            "not apply to older women, and more research is needed, said Dr. Ana Ruiz, who was "
            "not involved. The drug costs $40 a month. Side effects included nausea. The trial "
            "was funded by the National Institutes of Health. These statements have not been "
            "evaluated by the Food and Drug Administration. Buy now.")
    doc = score(_parsed(text), compile_rubric(lenient))
    assert any("too short to show" in c.explanation for c in doc.criteria)
    assert doc.score == score(_parsed(text), compile_rubric(
        lenient.model_copy(update={"short_text": None}))).score
    assert short_raise(doc, lenient, rule_ceilings(lenient)) is None


def test_the_share_raised_is_never_said_as_none_or_all_of_the_way() -> None:
    assert [share_words(x) for x in (0.0, 0.001, 0.5, 0.994, 0.996, 1.0)] == [
        "0%", "1%", "50%", "99%", "99%", "100%"]


def test_a_rubric_without_short_text_and_a_long_text_raise_nothing(
        default_rubric: LoadedRubric) -> None:
    rubric = default_rubric.rubric
    unraised_rubric = rubric.model_copy(update={"short_text": None})
    brief = score(_parsed(BRIEF), compile_rubric(unraised_rubric))
    assert short_raise(brief, unraised_rubric) is None
    seed = next(iter(sorted(SEEDS.glob("*.txt"))))
    long = score(_parsed(seed.read_text(encoding="utf-8")), compile_rubric(rubric))
    assert long.words >= 150 and short_raise(long, rubric) is None


def _brief_score(default_rubric: LoadedRubric) -> tuple[DocumentScore, ParsedDocument]:
    parsed = _parsed(BRIEF)
    return score(parsed, compile_rubric(default_rubric.rubric)), parsed


def test_the_reports_say_the_score_was_raised_and_from_what(
        default_rubric: LoadedRubric) -> None:
    rubric = default_rubric.rubric
    doc, parsed = _brief_score(default_rubric)
    found = short_raise(doc, rubric, rule_ceilings(rubric))
    assert found is not None
    n = len(found.criteria)
    said = (f"Raised from {found.unraised:.1f}: at {doc.words} words the text is too short to "
            f"show what it leaves out, and the low scores of {n} criteria were raised "
            f"{100 * found.share:.0f}% of the way to 50 of 100")
    ref = RubricRef(id=rubric.id, version=rubric.version, sha256=default_rubric.sha256)
    args = ([(doc, parsed)], ref, rubric.name, [], rubric.criteria,
            rule_ceilings(rubric))
    assert said in render_markdown(*args, spec=rubric)
    assert said in render_html(*args, spec=rubric)
    # Without the rubric that scored it, a report cannot tell, and says nothing of it.
    assert "Raised from" not in render_markdown(*args)
    assert "Raised from" not in render_html(*args)


def test_the_score_table_and_explain_give_the_score_without_the_raise(
        default_rubric: LoadedRubric, tmp_path) -> None:
    doc, _ = _brief_score(default_rubric)
    found = short_raise(doc, default_rubric.rubric, rule_ceilings(default_rubric.rubric))
    assert found is not None
    brief = tmp_path / "brief.txt"
    brief.write_text(BRIEF, encoding="utf-8")
    said = f"raised from {found.unraised:.1f} as a short text ({doc.words} words)"
    for command in (["score", str(brief)], ["explain", str(brief)]):
        result = runner.invoke(app, command, env={"COLUMNS": "400"})
        assert result.exit_code == 0, result.output
        assert said in " ".join(result.output.split())
    seed = next(iter(sorted(SEEDS.glob("*.txt"))))
    result = runner.invoke(app, ["score", str(seed)], env={"COLUMNS": "400"})
    assert result.exit_code == 0 and "raised from" not in result.output
