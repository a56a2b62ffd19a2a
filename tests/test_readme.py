"""The README's commands work as written: each shell block runs in a copy of the repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_the_two_setup_commands() -> None:
    assert BLOCKS[0].strip() == "pip install . && credscore score seeds/"
    assert BLOCKS[1].strip() == 'pip install -e ".[dev]" && python -m pytest'


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'pip install -e ".[dev]" && python -m pytest' in ci


def test_ci_runs_the_readme_install_command_with_the_pip_the_venv_ships() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "pip install . && credscore score seeds/" in readme
    assert 'pip" install -q . && "$user/bin/credscore" score seeds/' in ci
    assert not re.search(r"pip\S* install[^\n]*(?:-U|--upgrade)[^\n]*\bpip\b", ci), "CI must not upgrade pip"


@pytest.mark.parametrize("block", BLOCKS[2:], ids=lambda b: b.strip().splitlines()[0][:40])
def test_readme_block_runs(block: str, tmp_path: Path) -> None:
    for name in ("seeds", "rubric", "docs", "examples"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]


# The examples that read a folder of articles (the cluster example needs a cluster's corpus).
PYTHON_BLOCKS = [b for b in re.findall(r"```python\n(.*?)```", README, flags=re.S)
                 if "read_paths(" in b]


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=lambda b: b.strip().splitlines()[0][:40])
def test_readme_python_runs_on_a_folder_with_a_bad_file(block: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "seeds" / "broken.txt").write_bytes(b"\x00\x01 not text")
    (tmp_path / "seeds" / "script.html").write_text("<html><body><script>x()</script></body></html>")
    result = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "broken.txt" in result.stdout and "004_4da6b454344f1ad9.txt" in result.stdout
    assert "script.html" in result.stdout


DASK_BLOCKS = [b for b in re.findall(r"```python\n(.*?)```", README, flags=re.S) if "score_bag(" in b]


@pytest.mark.parametrize("block", DASK_BLOCKS, ids=lambda b: b.strip().splitlines()[0][:40])
def test_readme_dask_example_runs_as_a_script(block: str, tmp_path: Path) -> None:
    """Saved as a file and run, as a user runs it: Dask's process pool imports the script in
    every worker, so the example works only when its work is behind the main guard."""
    pytest.importorskip("dask.bag")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i, part in enumerate((seeds[:2], seeds[2:])):
        lines = [json.dumps({"id": seed.name, "text": seed.read_text(encoding="utf-8")})
                 for seed in part]
        (corpus / f"part{i}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = tmp_path / "score_corpus.py"
    script.write_text(block, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == f"{len(seeds)} results"
