from __future__ import annotations

from pathlib import Path

import pytest

from credscore.engine.compile import CompiledRubric, compile_rubric
from credscore.models import DocumentScore, ParsedDocument
from credscore.parse import parse
from credscore.read import read_paths
from credscore.rubric.load import LoadedRubric, load_rubric

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
RUBRIC_DIR = ROOT / "rubric"


@pytest.fixture(scope="session")
def default_rubric() -> LoadedRubric:
    return load_rubric(RUBRIC_DIR / "default.yaml")


@pytest.fixture(scope="session")
def compiled(default_rubric: LoadedRubric) -> CompiledRubric:
    return compile_rubric(default_rubric.rubric)


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, ParsedDocument]:
    """The five seed articles parsed, keyed by their three-digit prefix."""
    return {d.id[:3]: parse(d) for d in read_paths([SEEDS])}  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def seed_scores(seed_docs: dict[str, ParsedDocument], compiled: CompiledRubric) -> dict[str, DocumentScore]:
    from credscore.engine.score import score

    return {k: score(p, compiled) for k, p in seed_docs.items()}
