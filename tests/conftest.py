from __future__ import annotations

import shutil
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


def default_rubric_copy(folder: Path, text: str) -> Path:
    """``text`` written as ``folder/r.yaml`` beside a copy of the shared lexicon files the
    shipped rubrics read (``lexicons/``), as a user's edited copy of the default rubric."""
    shutil.copytree(RUBRIC_DIR / "lexicons", folder / "lexicons", dirs_exist_ok=True)
    path = folder / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return path


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
