"""A short text's raise, said of the whole article: which criteria the rubric's ``short_text``
raised and the score the article would have had without, as the score table, ``explain`` and
the HTML and Markdown reports give it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from credscore.cli import app
from credscore.engine.compile import compile_rubric, rule_ceilings
from credscore.engine.score import score, short_raise
from credscore.models import Document, DocumentScore, ParsedDocument, RubricRef
from credscore.parse import parse
from credscore.report.html import render_html
from credscore.report.markdown import render_markdown
from credscore.rubric.load import LoadedRubric

from .conftest import SEEDS

runner = CliRunner()

BRIEF = ("Scientists say a new pill may help with joint pain, according to a study of 60 "
         "patients. The results were presented at a meeting. Dr. Ana Ruiz, who was not "
         "involved, said the work was early and small.")


def _parsed(text: str, name: str = "brief.txt") -> ParsedDocument:
    return parse(Document(id=name, source=name, format="text", content=text))


def _seed_openings() -> list[str]:
    """The first 20 to 160 words of each seed: texts either side of the default's 150 words."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        words = path.read_text(encoding="utf-8").split()
        out += [" ".join(words[:n]) for n in (20, 45, 70, 110, 145, 160)]
    return out


@pytest.mark.parametrize("text", [BRIEF, *_seed_openings()])
def test_the_raise_names_the_criteria_raised_and_the_score_without_it(
        default_rubric: LoadedRubric, text: str) -> None:
    rubric = default_rubric.rubric
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
    # Read back from the rounded criterion scores: the total without the raise to its decimal.
    assert abs(found.unraised - plain.score) <= 0.1
    assert found.unraised < raised.score
    assert 0 < found.share < 1 and found.toward == rubric.short_text.toward  # type: ignore[union-attr]


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
