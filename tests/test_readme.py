"""The README's commands work as written (run from a copy of the repository's data)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("credscore "):
                commands.append(line)
    return commands


def test_readme_has_the_two_setup_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    assert blocks[0].strip() == "pip install . && credscore score seeds/"
    assert blocks[1].strip() == 'pip install -e ".[dev]" && python -m pytest'


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'pip install -e ".[dev]" && python -m pytest' in ci


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command: str, tmp_path: Path) -> None:
    for name in ("seeds", "rubric", "docs"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name)
    argv = shlex.split(command)
    result = subprocess.run(
        [sys.executable, "-m", "credscore", *argv[1:]], cwd=tmp_path, capture_output=True,
        text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
