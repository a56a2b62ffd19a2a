"""Expert label files: JSONL or CSV keyed by document id.

Nested JSON objects are flattened with dots ("criteria.Does the release ...?"), so a rubric's
``label.field`` can name any field of any labelled set without code changes. A field with no
value (a blank CSV cell or string, a CSV row cut short, a JSON null) is absent from its row, as a
key a JSONL line leaves out is: every value handed out is text with something in it. A JSON
``true`` or ``false`` is the text ``true`` or ``false``, as JSON writes it (and a CSV holds it);
a JSON list is its JSON text (``[4]``), which no rating or label map takes for a value.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from credscore.oneline import clipped


class LabelError(ValueError):
    pass


def flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            for inner, text in flatten(value, name + ".").items():
                _set_once(out, inner, text)
        elif isinstance(value, bool):  # str() would give Python's "True", which no map names
            _set_once(out, name, "true" if value else "false")
        elif isinstance(value, list):
            # As its JSON text, so that a field holding one ("rating": [4]) is named as what it
            # holds (not a number, not a label's answer) rather than taken for a missing field.
            _set_once(out, name, json.dumps(value, ensure_ascii=False))
        elif value is not None:
            _set_once(out, name, str(value))
    return out


def _set_once(out: dict[str, str], name: str, text: str) -> None:
    """A flattened field, which must not be one already set: {"a.b": 1, "a": {"b": 2}} gives
    the field 'a.b' twice, and which is meant cannot be told."""
    if name in out:
        raise LabelError(f"the field {name!r} is given twice (a key with a dot in it, and the "
                         "same path through nested objects); rename one")
    out[name] = text


def load_labels(path: Path, id_field: str = "id") -> dict[str, dict[str, str]]:
    """Labels by document id; raises :class:`LabelError` with the line that is wrong (an id
    labelled twice is wrong: which row is meant cannot be told)."""
    if not path.is_file():
        what = "no such labels file" if not path.exists() else \
            "not a regular file; give a labels file (JSONL or CSV)"
        raise LabelError(f"{path}: {what}")
    try:
        labels = _read_labels(path, id_field)
    except UnicodeDecodeError:
        raise LabelError(f"{path}:{_first_undecodable_line(path)}: not UTF-8 text; save the "
                         "labels as UTF-8") from None
    if not labels:
        # Said before any scoring, not after a whole corpus is scored for nothing.
        raise LabelError(f"{path}: no label rows (an empty file, or a CSV header alone); give "
                         "one row per labelled article")
    return labels


def _first_undecodable_line(path: Path) -> int:
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return lineno
    return 1


def _read_labels(path: Path, id_field: str) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for lineno, row in _csv_rows(handle, path, id_field):
                _add(labels, row, id_field, f"{path}:{lineno}")
        return labels
    with path.open(encoding="utf-8-sig") as handle:  # a BOM first, as in a CSV, is no JSON
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line, object_pairs_hook=_no_key_twice)
                row = flatten(obj) if isinstance(obj, dict) else None
            except LabelError as exc:
                raise LabelError(f"{path}:{lineno}: {exc}") from None
            except json.JSONDecodeError as exc:
                # A first line that is not JSON (each line before it gave a label or stopped
                # the read) is most likely a CSV or TSV named otherwise.
                kind = "" if labels else ("; labels are read as JSONL (one JSON object a line) "
                                          "unless the file name ends in .csv")
                raise LabelError(f"{path}:{lineno}: not valid JSON: {exc.msg}{kind}") from None
            except RecursionError:
                raise LabelError(f"{path}:{lineno}: nested too deeply to read") from None
            except ValueError:  # an integer of more digits than Python reads (4,300)
                raise LabelError(f"{path}:{lineno}: a number too long to read") from None
            if row is None:
                raise LabelError(f"{path}:{lineno}: a label line must be a JSON object")
            _add(labels, row, id_field, f"{path}:{lineno}")
    return labels


def _columns(header: list[str]) -> str:
    """The columns a CSV header names, as a message shows them."""
    return ", ".join(repr(name) for name in header[:20]) + (", ..." if len(header) > 20 else "")


def _csv_rows(handle: TextIO, path: Path, id_field: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Each CSV record under the header, with the line it starts on: a quoted cell may hold
    line breaks and blank lines are skipped, so records and lines are not counted alike. A row
    of blank cells (",,", the empty rows a spreadsheet writes) is skipped as a blank line is."""
    reader = csv.reader(handle)
    # The header is the first line with something in it: blank lines above it are skipped as
    # below it (else a blank first line was a header of no columns).
    header = next((cells for cells in reader if any(cell.strip() for cell in cells)), None)
    if header is None:
        return
    end = reader.line_num
    _no_column_twice(header, f"{path}:{end}")
    if id_field not in header:
        # Said once, at the header, rather than as "no 'id' field" at the first row.
        odd = len(header) == 1 and any(sep in header[0] for sep in ";\t")
        fix = "save it with commas between its columns" if odd else \
            "name the column that holds the document ids with --id-field"
        raise LabelError(f"{path}:{end}: the header has no column {id_field!r} (its columns: "
                         f"{_columns(header)}); {fix}")
    for cells in reader:
        start, end = end + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            _no_cells_past_the_header(cells, header, id_field, f"{path}:{start}")
            # A short row lacks the last fields; blank cells past the header's end hold nothing.
            yield start, dict(zip(header, cells, strict=False))


def _no_cells_past_the_header(cells: list[str], header: list[str], id_field: str,
                              where: str) -> None:
    """A row with something in a cell past the header's last column: a value with an unquoted
    comma in it, say, which moves every value after it one column on, so which value belongs to
    which column cannot be told (the cells past the end were dropped, silently)."""
    extra = [cell for cell in cells[len(header):] if cell.strip()]
    if not extra:
        return
    row_id = dict(zip(header, cells, strict=False)).get(id_field, "").strip()
    row = f"the row of {clipped(row_id)!r}" if row_id else "this row"
    shown = ", ".join(repr(clipped(cell)) for cell in extra[:3]) + (", ..." if len(extra) > 3 else "")
    raise LabelError(f"{where}: {row} has {len(cells)} cells, but the header names "
                     f"{len(header)} columns (past them: {shown}); quote a value that holds a "
                     'comma ("a, b"), or name the extra column in the header')


def _no_column_twice(header: list[str], where: str) -> None:
    """A column named twice holds two values for one field, and which is meant cannot be
    told (the last one was taken, silently)."""
    seen: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if name.strip() and name in seen:
            raise LabelError(f"{where}: the column {name!r} appears twice (columns "
                             f"{seen[name]} and {number}); rename or remove one")
        seen.setdefault(name, number)


def _no_key_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's keys, each once (json keeps the last of a repeated key, silently)."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise LabelError(f"the key {key!r} appears twice in one object; remove one")
        obj[key] = value
    return obj


def _present(row: Mapping[Any, Any]) -> dict[str, str]:
    """The fields of a row that hold a value: not blank, not missing (None: a CSV row shorter
    than its header), and not the extra cells of a row longer than it (a list keyed None)."""
    return {k: v for k, v in row.items() if isinstance(k, str) and isinstance(v, str) and v.strip()}


def _add(labels: dict[str, dict[str, str]], raw: Mapping[Any, Any], id_field: str,
         where: str) -> None:
    row = _present(raw)
    doc_id = row.get(id_field)
    if not doc_id:
        raise LabelError(f"{where}: no '{id_field}' field")
    if doc_id in labels:
        raise LabelError(f"{where}: {id_field} {doc_id!r} is labelled a second time; keep one row "
                         "per article")
    labels[doc_id] = row
