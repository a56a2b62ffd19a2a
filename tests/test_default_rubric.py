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
