"""The shipped default rubric: its examples pass and each criterion carries enough of them."""

from __future__ import annotations

from credscore.engine.examples import run_examples


def test_default_rubric_examples_all_pass(compiled) -> None:
    report = run_examples(compiled)
    assert report.failures == []
    assert report.total >= 200


def test_every_criterion_has_examples_both_ways(compiled) -> None:
    report = run_examples(compiled)
    for criterion_id, (must, must_not) in report.per_criterion.items():
        assert must >= 5, criterion_id
        assert must_not >= 5, criterion_id


def test_required_criteria_present(default_rubric) -> None:
    ids = {c.id for c in default_rubric.rubric.criteria}
    assert {"primary_sources", "animal_evidence", "sales_pitch", "hedging"} <= ids
    for c in default_rubric.rubric.criteria:
        assert c.anchor.strip() and c.description.strip()


def test_committed_rubric_docs_are_current(default_rubric) -> None:
    from credscore.report.rubric_docs import rubric_markdown

    from .conftest import ROOT

    committed = (ROOT / "docs" / "rubric.md").read_text(encoding="utf-8")
    assert committed == rubric_markdown(default_rubric.rubric, "rubric/default.yaml"), (
        "docs/rubric.md is stale: run credscore rubric docs rubric/default.yaml -o docs/rubric.md")


def test_rubric_docs_cover_every_criterion_and_example(default_rubric) -> None:
    from credscore.report.rubric_docs import rubric_markdown

    page = rubric_markdown(default_rubric.rubric, "rubric/default.yaml")
    for c in default_rubric.rubric.criteria:
        assert f'<a id="{c.id}"></a>' in page
        assert c.anchor.split(";")[0].strip() in page
        for s in c.signals:
            for example in s.examples.match[:1]:
                assert " ".join(example.split()).replace("|", "\\|") in page
