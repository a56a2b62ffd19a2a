"""The resolved rubric as YAML: what a rubric built on others amounts to, in one file.

The text loads back as a self-contained rubric with the same sha256 (the hash covers the resolved
data, not the layout).
"""

from __future__ import annotations

import yaml

from credscore.report.safe_text import safe_text
from credscore.rubric.load import LoadedRubric


class _PlainDumper(yaml.SafeDumper):
    """Never writes anchors or aliases, which the rubric loader refuses."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def rubric_yaml(loaded: LoadedRubric) -> str:
    rubric = loaded.rubric
    header = [_comment(f"# {rubric.id} {rubric.version}, resolved from {', '.join(loaded.sources)}"),
              f"# sha256 {loaded.sha256}"]
    body = yaml.dump(loaded.resolved, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True,
                     width=100, default_flow_style=False)
    return "\n".join(header) + "\n" + body


def _comment(line: str) -> str:
    """A YAML comment line: a newline in a version or a file name would end the comment and
    put the rest into the rubric's data, and a control character would reach the terminal."""
    return safe_text(line).replace("\n", "\\n")
