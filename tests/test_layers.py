"""Data flows one way: read -> parse -> score -> report. The lower layers never import what is
built on them (reports, the CLI, the batch runner, evaluation), so a change up there cannot
reach back down."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

LOWER = ("read", "parse", "engine", "rubric")
UPPER = ("credscore.report", "credscore.cli", "credscore.run", "credscore.evaluate",
         "credscore.calibrate", "credscore.workers", "credscore.cluster", "credscore.write")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("layer", LOWER)
def test_lower_layers_do_not_import_what_is_built_on_them(layer: str) -> None:
    files = sorted((ROOT / "credscore" / layer).rglob("*.py"))
    assert files, f"credscore/{layer} holds no modules"
    upward = [f"{path.relative_to(ROOT)} imports {name}" for path in files
              for name in _imports(path)
              if any(name == up or name.startswith(up + ".") for up in UPPER)]
    assert not upward, "\n".join(upward)
