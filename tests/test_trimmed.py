"""Tables written to a pipe or a file end each line where its text ends: score, evaluate,
calibrate, parse and explain padded their titles, captions and wrapped lines with spaces up to
the width, as diff did before them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore.cli import app

from .conftest import ROOT, SEEDS

runner = CliRunner()
LABELS = ROOT / "examples" / "seed-labels.csv"
COMMANDS = {
    "score": ("score", str(SEEDS)),
    "evaluate": ("evaluate", str(SEEDS), "--labels", str(LABELS), "--rating", "rating"),
    "calibrate": ("calibrate", str(SEEDS), "--labels", str(LABELS), "--rating", "rating",
                  "--folds", "2", "--dry-run"),
}


@pytest.mark.parametrize("columns", ["80", "200"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_piped_tables_have_no_trailing_spaces(command: str, columns: str) -> None:
    result = runner.invoke(app, [*COMMANDS[command], "-j", "1"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 5 and "┃" in result.stdout  # a table, drawn
    assert [line for line in lines if line != line.rstrip()] == []


@pytest.mark.parametrize("command", ["score", "evaluate"])
def test_a_table_written_to_a_file_has_no_trailing_spaces(command: str, tmp_path: Path) -> None:
    out = tmp_path / "table.txt"
    result = runner.invoke(app, [*COMMANDS[command], "-j", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and [line for line in lines if line != line.rstrip()] == []


@pytest.mark.parametrize("command", ["parse", "explain"])
def test_piped_views_of_one_article_have_no_trailing_spaces(command: str) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = runner.invoke(app, [command, str(seed)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 5
    assert [line for line in lines if line != line.rstrip()] == []


@pytest.mark.parametrize("command", ["evaluate", "calibrate"])
def test_a_wrapped_caption_starts_at_the_left_edge(command: str) -> None:
    # Captions were centred: their wrapped lines began with spaces that padded them to the middle
    result = runner.invoke(app, [*COMMANDS[command], "-j", "1"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    prose = [line for line in result.stdout.splitlines()
             if line.strip() and line.lstrip()[0].isalpha()]  # not a table's border or cell
    assert len(prose) > 2
    assert [line for line in prose if line != line.lstrip()] == []
