"""Fitted numbers written back into a rubric file, or into a small overlay that extends it.

ruamel.yaml reads the rubric as a round-trip tree that knows where every key and value stands
and renders whatever has to be added. It keeps comments and key order but re-flows a flow list
written over several lines, so rather than re-dumping the whole tree the edits are applied to the
original text at the positions ruamel reports: every byte that is not a fitted number, its
trailing "# was" comment or the version's suffix stays as it was.

A rubric that ``extends`` another may inherit a fitted number from its base; such a number is
added to the file as an override by id. Relative paths in ``extends`` and ``lexicon_files`` are
rewritten when the output goes to another folder, so it still finds its base.
"""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from credscore.calibrate.calibration import Calibration, Change, fitted_on
from credscore.calibrate.fit import DECIMALS
from credscore.engine.compile import compile_rubric
from credscore.engine.examples import run_examples
from credscore.rubric.load import RubricError, default_rubric_path, load_rubric_text
from credscore.rubric.model import Rubric
from credscore.write import atomic_output

SUFFIX = "+calibrated"
_PLAIN_TOKEN = re.compile(r"[^\s,\]}#]+")
_COMMENT = re.compile(r"(?:^|\s)#")
# The comment an earlier calibration wrote beside a number ("was 1.5"), alone or before the
# comment that was there ("was 1.5; set by hand").
_WAS = re.compile(r"(was -?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?:;|\s*$)")


class WriteError(ValueError):
    """A rubric file whose layout leaves no place to write a fitted number."""


def calibrated_version(version: str) -> str:
    return version if version.endswith(SUFFIX) else version + SUFFIX


def number(value: float) -> str:
    """A fitted number as written: two decimals at most, never an exponent (which YAML 1.1
    reads as text without a dot)."""
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def was(value: float) -> str:
    return f"was {value:g}"


def rewrite_rubric(text: str, rubric: Rubric, changes: list[Change], *, source_dir: Path,
                   out_dir: Path, shown: str = "the rubric") -> str:
    """``text`` (the rubric file ``rubric`` was loaded from) with the fitted numbers in place;
    its version gets the calibrated suffix only when some number changed."""
    try:
        doc = YAML(typ="rt").load(text)
    except YAMLError as exc:  # the loader accepted it, so this is a ruamel limitation
        raise WriteError(f"{shown}: cannot be read for rewriting ({exc}); use --overlay") from None
    edits = _Edits(text)
    if changes:
        _set_version(edits, doc, calibrated_version(rubric.version))
    missing: dict[str, _Override] = {}
    for change in changes:
        if not _set_in_file(edits, doc, change):
            missing.setdefault(change.criterion, _Override()).add(change)
    if missing:
        _add_overrides(edits, doc, missing, shown)
    if source_dir.resolve() != out_dir.resolve():
        _relocate(edits, doc, source_dir, out_dir)
    return edits.apply()


def overlay_rubric(changes: list[Change], *, extends: str, version: str,
                   header: list[str]) -> str:
    """A small rubric that extends ``extends`` and holds only the fitted numbers."""
    doc = CommentedMap()
    # ruamel quotes a value as it needs, so a quoted string here would keep its quotes.
    doc["extends"] = DoubleQuotedScalarString(extends) if _needs_quotes(extends) else extends
    doc["version"] = DoubleQuotedScalarString(calibrated_version(version) if changes else version)
    overrides: dict[str, _Override] = {}
    for change in changes:
        overrides.setdefault(change.criterion, _Override()).add(change)
    if overrides:
        doc["criteria"] = CommentedSeq(o.tree(cid) for cid, o in overrides.items())
    doc.yaml_set_start_comment("\n".join(header))
    return _dump(doc)


@dataclass
class _Override:
    """What one criterion's override holds: its weight and the points of signals and rules."""

    weight: Change | None = None
    items: dict[str, Change] = field(default_factory=dict)

    def add(self, change: Change) -> None:
        if change.item is None:
            self.weight = change
        else:
            self.items[change.item] = change

    def tree(self, criterion_id: str) -> CommentedMap:
        node = CommentedMap()
        node["id"] = criterion_id
        if self.weight is not None:
            _put(node, "weight", self.weight)
        for part in ("signals", "rules"):
            entries = [_item_tree(c) for c in self.items.values() if _part(c) == part]
            if entries:
                node[part] = CommentedSeq(entries)
        return node


def _part(change: Change) -> str:
    return "signals" if change.kind == "signal" else "rules"


def _item_tree(change: Change) -> CommentedMap:
    node = CommentedMap()
    node["id"] = change.item
    _put(node, "points", change)
    return node


def _put(node: CommentedMap, key: str, change: Change) -> None:
    node[key] = int(change.new) if float(change.new).is_integer() else change.new
    node.yaml_add_eol_comment(was(change.old), key)


def _dump(data: Any) -> str:
    y = YAML()
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


class _Edits:
    """Replacements and insertions at positions of the original text, applied last to first."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.edits: list[tuple[int, int, int, str]] = []

    def offset(self, line: int, col: int) -> int:
        return self.line_starts[line] + col

    def line_end(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def next_line(self, line: int) -> int:
        return self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, len(self.edits), new))

    def insert(self, pos: int, new: str) -> None:
        self.edits.append((pos, pos, len(self.edits), new))

    def apply(self) -> str:
        text = self.text
        if any(e[0] == len(text) for e in self.edits) and text and not text.endswith("\n"):
            text += "\n"
        for start, end, _, new in sorted(self.edits, key=lambda e: (e[0], e[2]), reverse=True):
            text = text[:start] + new + text[end:]
        return text

    def set_scalar(self, line: int, col: int, new: str, comment: str | None) -> None:
        start = self.offset(line, col)
        end = _scalar_end(self.text, start)
        self.replace(start, end, new)
        if comment is None:
            return
        eol = self.line_end(end)
        found = _COMMENT.search(self.text, end, eol)
        if found is None:
            self.insert(eol, f"  # {comment}")
        else:
            at = found.end() + (1 if self.text[found.end():found.end() + 1] == " " else 0)
            earlier = _WAS.match(self.text, at, eol)
            if earlier is not None:  # calibrated again: the value before this calibration
                self.replace(at, earlier.end(1), comment)
            else:
                self.insert(at, f"{comment}; ")


def _scalar_end(text: str, start: int) -> int:
    quote = text[start]
    if quote == '"':
        i = start + 1
        while i < len(text) and text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return i + 1
    if quote == "'":
        i = start + 1
        while i < len(text):
            if text[i] == "'" and text[i + 1:i + 2] != "'":
                return i + 1
            i += 2 if text[i] == "'" else 1
        return i
    match = _PLAIN_TOKEN.match(text, start)
    return match.end() if match else start


def _set_version(edits: _Edits, doc: CommentedMap, version: str) -> None:
    if "version" in doc:
        line, col = doc.lc.value("version")
        start = edits.offset(line, col)
        quote = edits.text[start]
        if quote in "'\"":
            new = quote + version.replace(quote, quote * 2 if quote == "'" else '\\"') + quote
        else:
            new = version if yaml.safe_load(version) == version else f'"{version}"'
        edits.set_scalar(line, col, new, None)
        return
    # A child that inherits its version: give it one, after its 'extends' line.
    line = doc.lc.value("extends")[0] if "extends" in doc else -1
    edits.insert(edits.next_line(line) if line >= 0 else 0, f'version: "{version}"\n')


def _criterion(doc: CommentedMap, criterion_id: str) -> CommentedMap | None:
    return next((n for _, n in _indexed(doc.get("criteria"), criterion_id)), None)


def _indexed(seq: Any, item_id: str) -> list[tuple[int, CommentedMap]]:
    return [(i, n) for i, n in enumerate(seq or []) if isinstance(n, CommentedMap)
            and n.get("id") == item_id]


def _entry(node: CommentedMap, item_id: str) -> CommentedMap | None:
    for part in ("signals", "rules"):
        for entry in node.get(part) or []:
            if isinstance(entry, CommentedMap) and entry.get("id") == item_id:
                return entry
    return None


def _set_in_file(edits: _Edits, doc: CommentedMap, change: Change) -> bool:
    """Replace the number where this file writes it; False when it inherits it."""
    node = _criterion(doc, change.criterion)
    key = "weight" if change.item is None else "points"
    if node is not None and change.item is not None:
        node = _entry(node, change.item)
    if node is None or key not in node:
        return False
    line, col = node.lc.value(key)
    edits.set_scalar(line, col, number(change.new), was(change.old))
    return True


def _add_overrides(edits: _Edits, doc: CommentedMap, missing: dict[str, _Override],
                   shown: str) -> None:
    if doc.get("criteria") is None:  # a child that changes no criterion yet
        edits.insert(len(edits.text), _block(CommentedMap(criteria=CommentedSeq(
            o.tree(cid) for cid, o in missing.items())), 0))
        return
    for criterion_id, override in missing.items():
        node = _criterion(doc, criterion_id)
        if node is None:
            _append_item(edits, doc["criteria"], override.tree(criterion_id), shown)
            continue
        _flow_check(node, shown, criterion_id)
        indent = node.lc.key("id")[1]
        if override.weight is not None:  # next to the id, where weights usually stand
            edits.insert(edits.next_line(node.lc.value("id")[0]),
                         _block(_one("weight", override.weight), indent))
        new_lists: dict[str, CommentedSeq] = {}
        for item, change in override.items.items():
            entry = _entry(node, item)
            if entry is not None:  # written here without points: add them
                _flow_check(entry, shown, item)
                edits.insert(edits.next_line(entry.lc.value("id")[0]),
                             _block(_one("points", change), entry.lc.key("id")[1]))
            elif _part(change) in node:
                _append_item(edits, node[_part(change)], _item_tree(change), shown)
            else:
                new_lists.setdefault(_part(change), CommentedSeq()).append(_item_tree(change))
        if new_lists:  # a 'signals:' or 'rules:' the override lacks goes at its end
            ((index, _),) = _indexed(doc["criteria"], criterion_id)[:1]
            end = _item_end(edits, doc["criteria"], index)
            block = CommentedMap(new_lists)
            edits.insert(edits.next_line(end), _block(block, indent))


def _one(key: str, change: Change) -> CommentedMap:
    node = CommentedMap()
    _put(node, key, change)
    return node


def _block(data: Any, indent: int) -> str:
    """``data`` rendered by ruamel as block YAML, re-indented to start at column ``indent``."""
    lines = _dump(data).splitlines()
    strip = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
    return "".join(" " * indent + line[strip:] + "\n" for line in lines)


def _append_item(edits: _Edits, seq: CommentedSeq, item: CommentedMap, shown: str) -> None:
    if seq.fa.flow_style() or not len(seq):
        raise WriteError(f"{shown}: a fitted number would be added to a list written in flow "
                         "style ([...]); write that list in block style or use --overlay")
    dash = _dash(edits, seq, len(seq) - 1)
    if dash < 0:
        line = seq.lc.item(len(seq) - 1)[0]
        raise WriteError(f"{shown}:{line + 1}: cannot tell where this list's items start; "
                         "use --overlay")
    edits.insert(edits.next_line(_item_end(edits, seq, len(seq) - 1)),
                 _block(CommentedSeq([item]), dash))


def _dash(edits: _Edits, seq: CommentedSeq, index: int) -> int:
    """The column of the '-' that opens item ``index`` of a block list (-1 if not on its line)."""
    line, col = seq.lc.item(index)
    start = edits.line_starts[line]
    return edits.text[start:edits.line_end(start)].rfind("-", 0, col)


def _item_end(edits: _Edits, seq: CommentedSeq, index: int) -> int:
    """The last line holding content of item ``index`` of a block list: the lines after its
    first one that are indented past its '-' (comment and blank lines at its end excluded)."""
    first = seq.lc.item(index)[0]
    dash = _dash(edits, seq, index)
    last = first
    for n in range(first + 1, len(edits.line_starts)):
        start = edits.line_starts[n]
        content = edits.text[start:edits.line_end(start)]
        stripped = content.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(content) - len(content.lstrip(" ")) <= dash:
            break
        last = n
    return last


def _flow_check(node: CommentedMap, shown: str, what: str) -> None:
    if node.fa.flow_style():
        raise WriteError(f"{shown}: '{what}' is written in flow style ({{...}}), where a fitted "
                         "number cannot be added; write it in block style or use --overlay")


def _relocate(edits: _Edits, doc: CommentedMap, source_dir: Path, out_dir: Path) -> None:
    """Paths to a base or to lexicon files, made relative to the folder the output goes to."""
    def moved(value: str) -> str:
        return Path(os.path.relpath(source_dir / value, out_dir)).as_posix()

    ref = doc.get("extends")
    if isinstance(ref, str) and ("/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml"))):
        line, col = doc.lc.value("extends")
        edits.set_scalar(line, col, _quoted(moved(ref)), None)
    files = doc.get("lexicon_files")
    if isinstance(files, CommentedSeq):
        for i, value in enumerate(files):
            if isinstance(value, str):
                line, col = files.lc.item(i)
                edits.set_scalar(line, col, _quoted(moved(value)), None)


def _quoted(value: str) -> str:
    """A path as a YAML scalar written into the text: plain when it reads back as itself, else
    double-quoted with YAML's escapes (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False) if _needs_quotes(value) else value


def _needs_quotes(value: str) -> bool:
    try:
        return "#" in value or yaml.safe_load(value) != value
    except yaml.YAMLError:  # '[draft', '{x': not even YAML
        return True


def default_output(rubric_path: Path | None, overlay: bool) -> Path:
    """NAME.calibrated.yaml (or NAME.overlay.yaml) beside the rubric, where its relative paths
    still hold; for the shipped rubric, in the working folder. Never the rubric itself."""
    kind = "overlay" if overlay else "calibrated"
    if rubric_path is None:
        return Path(f"default.{kind}.yaml")
    return rubric_path.with_name(f"{rubric_path.stem}.{kind}.yaml")


def calibrated_text(result: Calibration, rubric: Rubric, rubric_path: Path | None,
                    out_path: Path, overlay: bool) -> str:
    """The file to write, checked: it loads, its examples pass, and it holds the fitted
    numbers (else :class:`WriteError`, and nothing is written)."""
    source = rubric_path if rubric_path is not None else default_rubric_path()
    if overlay:
        ref = "default" if rubric_path is None else Path(
            os.path.relpath(rubric_path.resolve(), out_path.resolve().parent)).as_posix()
        text = overlay_rubric(result.changes, extends=ref, version=rubric.version,
                              header=_provenance(result))
    else:
        text = rewrite_rubric(source.read_text(encoding="utf-8"), rubric, result.changes,
                              source_dir=source.parent, out_dir=out_path.parent,
                              shown=str(source))
    _check(text, out_path, result)
    return text if overlay else text.replace("\n", _newline_of(source))


def check_layout(rubric: Rubric, rubric_path: Path | None, out_path: Path,
                 changes: list[Change]) -> None:
    """Before any article is scored: a :class:`WriteError` when the rubric file leaves no place
    to write one of ``changes`` (every number the fit may change; see
    :func:`~credscore.calibrate.calibration.may_change`), such as a list written in flow style
    that an inherited number would be added to, rather than after the whole fit."""
    source = rubric_path if rubric_path is not None else default_rubric_path()
    rewrite_rubric(source.read_text(encoding="utf-8"), rubric, changes, source_dir=source.parent,
                   out_dir=out_path.parent, shown=str(source))


def _newline_of(path: Path) -> str:
    """The line ending a file is written with (its first one): a copy written with another
    would differ from it on every line, where only the fitted numbers should."""
    with path.open(encoding="utf-8", newline="") as handle:
        line = handle.readline()
    for ending in ("\r\n", "\r"):
        if line.endswith(ending):
            return ending
    return "\n"


def save(path: Path, text: str) -> None:
    """Write whole or not at all: a temporary file beside the target, then renamed over it."""
    with atomic_output(path) as handle:
        handle.write(text)


def _provenance(result: Calibration) -> list[str]:
    target = {"weights": f"'{result.rating_field}'", "rewards": f"'{result.rating_field}'",
              "points": "the criteria's labels",
              "both": f"the criteria's labels (points) and '{result.rating_field}' (weights)",
              }[result.fit]
    lines = [f"Fitted by credscore calibrate (--fit {result.fit}, {result.folds} folds, seed "
             f"{result.seed}) to {target} of {fitted_on(result)}."]
    if result.spearman is not None and result.spearman.before is not None:
        s = result.spearman
        lines.append(f"Cross-validated Spearman {s.before:.3f} -> {s.after:.3f}: {s.verdict}.")
    for c in result.criteria:
        if c.macro_f1.before is not None:
            lines.append(f"{c.id}: cross-validated macro-F1 {c.macro_f1.before:.3f} -> "
                         f"{c.macro_f1.after:.3f}")
    return lines


def _check(text: str, out_path: Path, result: Calibration) -> None:
    try:
        loaded = load_rubric_text(text, str(out_path), out_path)
    except RubricError as exc:
        raise WriteError("the calibrated rubric does not load, so nothing was written:\n"
                         + "\n".join(exc.problems)) from None
    report = run_examples(compile_rubric(loaded.rubric))
    if report.failures:
        raise WriteError("the calibrated rubric fails its examples, so nothing was written:\n"
                         + "\n".join(report.failures))
    for change in result.changes:
        spec = loaded.rubric.criterion(change.criterion)
        got = spec.weight if change.item is None else next(
            x.points for x in [*spec.signals, *spec.rules] if x.id == change.item)
        if abs(got - change.new) > 1e-9:
            raise WriteError(f"the calibrated rubric does not hold the fitted value of "
                             f"{change.criterion} {change.item or 'weight'}; nothing was written")
