"""How the seeds must come out: a careful reader's judgement, reached through general rules."""

from __future__ import annotations

import pytest


def crit(seed_scores, seed: str, criterion: str) -> float | None:
    return next(c.score for c in seed_scores[seed].criteria if c.id == criterion)


def test_primary_sources(seed_scores) -> None:
    s = {k: crit(seed_scores, k, "primary_sources") for k in seed_scores}
    assert min(s["004"], s["002"]) > max(s["001"], s["003"])


def test_animal_evidence(seed_scores) -> None:
    s = {k: crit(seed_scores, k, "animal_evidence") for k in seed_scores}
    assert s["002"] > max(s["000"], s["004"])
    for seed in ("001", "003"):
        assert s[seed] is None or s[seed] == pytest.approx(1.0)


def no_pitch(value: float | None) -> bool:
    """Nothing sold (the criterion does not apply) or at most a trace of promotion."""
    return value is None or value >= 0.9


def test_sales_pitch(seed_scores) -> None:
    s = {k: crit(seed_scores, k, "sales_pitch") for k in seed_scores}
    assert no_pitch(s["002"]) and no_pitch(s["003"])
    assert s["001"] < 0.5 and s["004"] < 0.5


def test_shop_banners_are_not_the_articles_pitch(seed_scores) -> None:
    assert no_pitch(crit(seed_scores, "000", "sales_pitch"))


def test_hedging(seed_scores) -> None:
    s = {k: crit(seed_scores, k, "hedging") for k in seed_scores}
    assert s["002"] > max(s["001"], s["004"])


def test_overall(seed_scores) -> None:
    total = {k: v.score for k, v in seed_scores.items()}
    assert min(total["002"], total["003"]) > max(total["001"], total["004"])


def test_reader_comments_do_not_count(seed_scores) -> None:
    for c in seed_scores["004"].criteria:
        for f in c.findings:
            assert f.zone not in ("comments", "boilerplate")
            assert "True Osteo" not in f.sentence


def test_mouse_study_without_caveat_is_flagged(seed_scores) -> None:
    signals = {f.signal for c in seed_scores["000"].criteria if c.id == "animal_evidence"
               for f in c.findings}
    assert "extrapolated_without_caveat" in signals


def test_caveat_is_credited(seed_scores) -> None:
    signals = {f.signal for c in seed_scores["002"].criteria if c.id == "animal_evidence"
               for f in c.findings}
    assert "translation_caveat" in signals
