"""Load a rubric YAML file, reporting every problem as ``path:line:col: message``.

PyYAML's composer gives each node its position. The node tree is walked into plain data and a map
from data path to position; pydantic's error locations are then looked up in that map. Only safe
YAML is read: tags are refused, and so are anchors and aliases (shared lists belong in
``lexicons``), which also rules out "billion laughs" alias bombs.

A rubric that ``extends`` another or reads ``lexicon_files`` is merged first (``extends.py``);
every value keeps the file and position where it was written. The sha256 covers the resolved
rubric: its canonical JSON, which ``credscore rubric show --format json`` prints.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from credscore.controls import NOT_IN_RUBRICS
from credscore.read.files import size_text
from credscore.rubric.extends import RESOLUTION_KEYS, ResolveError, needs_resolution, resolve
from credscore.rubric.model import Rubric
from credscore.rubric.written import block_written_at, written_at
from credscore.rubric.yaml_errors import yaml_syntax_problem

MAX_RUBRIC_BYTES = 2 * 1024 * 1024
# A rubric is a few levels deep (criteria, signals, examples); far deeper YAML is a mistake or an
# attack, and nesting in the hundreds would exhaust the parser's recursion.
MAX_DEPTH = 32
Loc = tuple[str | int, ...]
_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(f"{_YAML}{t}" for t in ("str", "int", "float", "bool", "null"))
_KIND_TAGS = {"sequence": f"{_YAML}seq", "mapping": f"{_YAML}map"}
# Halves of surrogate pairs: a double-quoted "\ud800" makes one, and no text can hold it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Python refuses to read integers of more than 4,300 digits; no weight or count needs 100.
_MAX_DIGITS = 100
_MAX_NUMBER = 10.0 ** _MAX_DIGITS


class RubricError(Exception):
    """A rubric that cannot be used; ``problems`` are ``path:line:col: message`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedRubric:
    rubric: Rubric
    path: str
    sha256: str
    # The files that made the rubric (this one, then its bases and lexicon files) and the
    # resolved data the rubric was validated from.
    sources: tuple[str, ...] = ()
    resolved: dict[str, Any] = dataclass_field(default_factory=dict)
    positions: dict[Loc, _Pos] = dataclass_field(default_factory=dict, repr=False)

    def where(self, loc: Loc) -> str:
        """``file:line:col`` of a value of the rubric's data (or of the nearest value above it
        that has a position), for messages about it."""
        pos = self.positions.get(_data_loc(loc, self.positions))
        if pos is None:
            return f"{self.path}:1:1"
        return f"{pos.file or self.path}:{pos.line}:{pos.col}"


@dataclass(frozen=True)
class _Pos:
    line: int
    col: int
    key_line: int
    key_col: int
    scalar: str | None  # the source text of a plain (unquoted) scalar
    is_plain_scalar: bool
    quote: str = ""  # the quote a quoted scalar is written in: ' or "
    file: str = ""  # the file it is in, as shown
    # A quoted scalar, or a plain one over several lines, as written (quotes included); a block
    # scalar's lines after its header.
    written: str | None = None
    block: bool = False  # a block scalar (| or >)


def default_rubric_path() -> Path:
    """The shipped default rubric: inside the installed package, else the checkout's rubric/."""
    return rubric_dir() / "default.yaml"


def rubric_dir() -> Path:
    shipped = resources.files("credscore") / "_rubrics"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parents[2] / "rubric"


def load_rubric(path: str | Path | None = None) -> LoadedRubric:
    """Read, parse and validate a rubric file; raise :class:`RubricError` on any problem."""
    rubric_path = Path(path) if path is not None else default_rubric_path()
    shown = str(path) if path is not None else rubric_path.name
    return load_rubric_text(_read_text(rubric_path, shown), shown, rubric_path)


def _shipped_hint(missing: Path) -> str:
    """For a rubric file that is not there: the shipped rubric it may mean, by its file (``--rubric
    healthnewsreview`` names a file, where ``extends: healthnewsreview`` names a shipped rubric)."""
    shipped = {p.stem: p for p in sorted(rubric_dir().glob("*.yaml"))}
    name = missing.name.removesuffix(".yaml").removesuffix(".yml")
    close = difflib.get_close_matches(name, list(shipped), n=1)
    if close:
        return f"; the shipped rubric '{close[0]}' is the file {shipped[close[0]]}"
    return (f"; give a rubric's YAML file (the shipped ones: "
            f"{', '.join(str(p) for p in shipped.values())})") if shipped else ""


def _read_text(rubric_path: Path, shown: str) -> str:
    """A rubric file's text: a regular file (a pipe or a device could block or never end), at
    most MAX_RUBRIC_BYTES, in UTF-8."""
    try:
        info = rubric_path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise RubricError([f"{shown}:1:1: is a folder; give the rubric's YAML file"])
        if not stat.S_ISREG(info.st_mode):
            raise RubricError([f"{shown}:1:1: not a regular file; give the rubric's YAML file"])
        size = info.st_size
        if size > MAX_RUBRIC_BYTES:
            raise RubricError([f"{shown}:1:1: the rubric is {size_text(size)}; the limit is "
                               f"{size_text(MAX_RUBRIC_BYTES, limit=True)}"])
        with rubric_path.open("rb") as f:
            data = f.read(MAX_RUBRIC_BYTES + 1)  # the file may have grown since
    except FileNotFoundError as exc:
        raise RubricError([f"{shown}:1:1: cannot read the rubric: {exc.strerror or exc}"
                           f"{_shipped_hint(rubric_path)}"]) from None
    except OSError as exc:
        raise RubricError([f"{shown}:1:1: cannot read the rubric: {exc.strerror or exc}"]) from None
    if len(data) > MAX_RUBRIC_BYTES:
        raise RubricError([f"{shown}:1:1: the rubric is larger than its limit of "
                           f"{size_text(MAX_RUBRIC_BYTES, limit=True)}"])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        raise RubricError([f"{shown}:{line}:{col}: the file is not UTF-8 (byte "
                           f"0x{data[exc.start]:02X} here); save it as UTF-8"]) from None


def load_rubric_text(text: str, shown: str = "<rubric>", path: Path | None = None) -> LoadedRubric:
    """Parse and validate rubric text; ``path`` is its file, against which the paths of
    ``extends`` and ``lexicon_files`` are read (default: the working folder)."""
    data, positions = _tree(text, shown)
    sources: tuple[str, ...] = (shown,)
    removed: dict[Loc, dict[str, Any]] = {}
    removed_criteria: dict[str, Any] = {}
    if needs_resolution(data):
        try:
            resolved = resolve(data, positions, shown, path, _read_tree, rubric_dir())
        except ResolveError as exc:
            raise RubricError(exc.problems) from None
        data, positions, sources = resolved.data, resolved.positions, resolved.sources
        removed, removed_criteria = resolved.removed, resolved.removed_criteria
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(_explain(exc, positions, shown, data, by_id=sources != (shown,),
                                   removed=removed, removed_criteria=removed_criteria,
                                   sources=sources)) from None
    canonical = canonical_json(data)
    return LoadedRubric(rubric=rubric, path=shown,
                        sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
                        sources=sources, resolved=json.loads(canonical), positions=positions)


def canonical_json(data: dict[str, Any]) -> str:
    """The resolved rubric as one line of JSON, keys in the order written; lexicons are sorted
    by name, as their order means nothing (moving a list to a shared file keeps the hash)."""
    if isinstance(data.get("lexicons"), dict):
        data = {**data, "lexicons": dict(sorted(data["lexicons"].items()))}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _read_tree(path: Path, shown: str) -> tuple[dict[str, Any], dict[Loc, _Pos]]:
    """A base or lexicon file, parsed into data and positions."""
    return _tree(_read_text(path, shown), shown)


def _tree(text: str, shown: str) -> tuple[dict[str, Any], dict[Loc, _Pos]]:
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        where, problem = yaml_syntax_problem(exc)
        raise RubricError([f"{shown}:{where}: YAML syntax: {problem}"]) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow in a file (a raw escape, a NUL): place it.
        lines = re.split(r"\r\n|\r|\n", text[:exc.position])  # YAML's line breaks
        line, col = len(lines), len(lines[-1]) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise RubricError([f"{shown}:{line}:{col}: the file holds U+{code:04X}, a character YAML "
                           "does not allow in a file; remove it"]) from None
    except yaml.YAMLError as exc:
        raise RubricError([f"{shown}:1:1: YAML: {exc}"]) from None
    if node is None:
        # a rubric, or a base or lexicon file it names
        raise RubricError([f"{shown}:1:1: the file is empty (it holds no YAML)"])
    problems: list[str] = []
    positions: dict[Loc, _Pos] = {}
    data = _walk(node, (), positions, problems, shown)
    if problems:
        raise RubricError(problems)
    if not isinstance(data, dict):
        raise RubricError([f"{shown}:1:1: a rubric is a mapping with 'id', 'version', 'name' "
                           "and 'criteria'"])
    return data, positions


class _Loader(yaml.SafeLoader):
    """Safe loading; anchors or aliases are refused before they can be expanded, and nesting
    deeper than MAX_DEPTH before it can exhaust the recursion of the composer."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"the YAML is nested more than {MAX_DEPTH} levels deep; a rubric "
                "needs a few", self.peek_event().start_mark,
            )
        self.depth += 1
        try:
            return self._compose_checked(parent, index)
        finally:
            self.depth -= 1

    def _compose_checked(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None,
                "aliases (*name) are not allowed in a rubric; put shared phrases in 'lexicons'",
                event.start_mark,
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None,
                "anchors (&name) are not allowed in a rubric; put shared phrases in 'lexicons'",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class _FastLoader(_Loader):
    """The same loader, reading the YAML's events with libyaml, which is ten times faster than
    PyYAML's own scanner and parser (the node tree is the same)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._text = stream
        self._events = yaml.cyaml.CParser(stream)

    def check_event(self, *choices: Any) -> bool:
        return bool(self._events.check_event(*choices))

    def peek_event(self) -> Any:
        return self._events.peek_event()

    def get_event(self) -> Any:
        event = self._events.get_event()
        if isinstance(event, yaml.ScalarEvent) and (
                event.style in ("|", ">")
                or _kept_as_written(event.style, event.start_mark, event.end_mark)):
            # Where a block scalar's text starts, and how a quoted one is written, are found in
            # the text (see ``_walk``), which PyYAML's marks carry and libyaml's do not.
            event.start_mark, event.end_mark = (
                yaml.Mark(m.name, m.index, m.line, m.column, self._text, m.index)
                for m in (event.start_mark, event.end_mark))
        return event


def _compose(text: str) -> yaml.Node | None:
    """The YAML's node tree. A text libyaml refuses is read again by PyYAML, whose messages
    the errors quote."""
    if not getattr(yaml, "__with_libyaml__", False):
        return yaml.compose(text, Loader=_Loader)
    try:
        return yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=_Loader)


_CONSTRUCTOR = yaml.SafeLoader("")


def _retagged(node: yaml.ScalarNode) -> bool:
    """Whether a core tag written out on a scalar (``!!int weight``, ``!!float 2``) makes it
    read otherwise than the plain scalar would."""
    plain = node.style in (None, "")
    return node.tag != _CONSTRUCTOR.resolve(yaml.ScalarNode, node.value, (plain, not plain))


def _walk(node: yaml.Node, loc: Loc, positions: dict[Loc, _Pos], problems: list[str],
          shown: str, key_mark: yaml.Mark | None = None) -> Any:
    mark = node.start_mark
    km = key_mark or mark
    plain = isinstance(node, yaml.ScalarNode) and node.style in (None, "")
    line, col = mark.line + 1, mark.column + 1
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">") and mark.buffer:
        # A block scalar's text starts on the line after its '>' or '|'.
        start = end = mark.buffer.find("\n", mark.pointer) + 1
        if start:
            while end < len(mark.buffer) and mark.buffer[end] == " ":
                end += 1
            line, col = line + 1, end - start + 1
    positions[loc] = _Pos(line, col, km.line + 1, km.column + 1,
                          node.value if plain else None, plain,
                          node.style if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
                          else "", file=shown, written=_written(node),
                          block=isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"))
    if not _plain_tag(node):
        kind = ("a plain list" if isinstance(node, yaml.SequenceNode) else
                "a plain mapping" if isinstance(node, yaml.MappingNode) else "plain text")
        problems.append(f"{shown}:{mark.line + 1}:{mark.column + 1}: unsupported YAML tag "
                        f"{node.tag.replace(_YAML, '!!')}; a rubric is plain data: write the "
                        f"value as {kind}")
        return None
    if isinstance(node, yaml.ScalarNode) and _retagged(node):
        # A core tag written out (!!str 2, !!float 2) reads as plain data would not: refused like
        # any tag, so that a value means what it shows.
        problems.append(f"{shown}:{mark.line + 1}:{mark.column + 1}: a YAML tag "
                        f"({node.tag.replace(_YAML, '!!')}) on a value; a rubric is plain data: "
                        "leave the tag out (and quote the value if it is text)")
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not _plain_tag(key_node) or not isinstance(key_node, yaml.ScalarNode) \
                    or _retagged(key_node):
                tagged = isinstance(key_node, yaml.ScalarNode) and (
                    not _plain_tag(key_node) or _retagged(key_node))
                tag = f" (leave out its YAML tag, {key_node.tag.replace(_YAML, '!!')})" \
                    if tagged else ""
                problems.append(f"{shown}:{key_node.start_mark.line + 1}:"
                                f"{key_node.start_mark.column + 1}: a key must be plain text"
                                f"{tag}")
                continue
            key = _CONSTRUCTOR.construct_object(key_node)
            if not isinstance(key, str):
                problems.append(f"{shown}:{key_node.start_mark.line + 1}:"
                                f"{key_node.start_mark.column + 1}: keys must be text, "
                                f"not {type(key).__name__} ({key_node.value!r}); quote it")
                continue
            if key in out:
                problems.append(f"{shown}:{key_node.start_mark.line + 1}:"
                                f"{key_node.start_mark.column + 1}: duplicate key '{key}' "
                                "(the earlier one would be silently lost); remove one")
                continue
            out[key] = _walk(value_node, (*loc, key), positions, problems, shown,
                             key_node.start_mark)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*loc, i), positions, problems, shown)
                for i, item in enumerate(node.value)]
    if node.tag == f"{_YAML}int" and len(node.value) > _MAX_DIGITS:
        problems.append(f"{shown}:{line}:{col}: a number of {len(node.value)} digits; a rubric's "
                        "numbers are weights, points and thresholds: write one a score can use")
        return None
    try:
        value = _CONSTRUCTOR.construct_object(node)
    except (ValueError, KeyError, yaml.YAMLError):
        problems.append(f"{shown}:{line}:{col}: YAML cannot read {node.value.strip()!r} as "
                        f"{node.tag.replace(_YAML, '!!')}; write it as plain data")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(f"{shown}:{line}:{col}: {node.value} is not a number a score can use; "
                        "write a finite number (1, 0.5, -2)")
        return None
    if isinstance(value, float) and abs(value) >= _MAX_NUMBER:
        # Written with an exponent (1.0e+308), a number escapes the digit count; two such
        # weights overflow the weighted mean to inf, and inf - inf is nan.
        problems.append(f"{shown}:{line}:{col}: {node.value} is a number of more than "
                        f"{_MAX_DIGITS} digits; a rubric's numbers are weights, points and "
                        "thresholds: write one a score can use")
        return None
    if isinstance(value, str) and (surrogate := _SURROGATE.search(value)):
        problems.append(f"{shown}:{line}:{col}: the text holds \\u{ord(surrogate.group()):04x}, "
                        "half of a surrogate pair, which is no character; remove that escape")
        return None
    if isinstance(value, str) and (control := NOT_IN_RUBRICS.search(value)):
        # A rubric's names, labels and grades are printed: they must not drive the terminal.
        problems.append(f"{shown}:{line}:{col}: the text holds U+{ord(control.group()):04X}, "
                        "a control or bidirectional character that would be printed as it is; "
                        "remove it")
        return None
    return value


def _written(node: yaml.Node) -> str | None:
    """A scalar as written in the file, when its value differs from that text otherwise than by
    where it starts: a quoted scalar, or a plain one over several lines (all of it), or a block
    scalar (its lines after the header)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    start, end = node.start_mark, node.end_mark
    if node.style in ("|", ">") and start.buffer:
        return start.buffer[start.buffer.find("\n", start.pointer) + 1:end.pointer]
    if not _kept_as_written(node.style, start, end):
        return None
    return start.buffer[start.pointer:end.pointer] if start.buffer else None


def _kept_as_written(style: str | None, start: yaml.Mark, end: yaml.Mark) -> bool:
    return style in ("'", '"') or (style in (None, "") and start.line != end.line)


def _plain_tag(node: yaml.Node) -> bool:
    """Whether a node is plain data: text, a number, a boolean, null, a list or a mapping (no
    Python objects, sets, timestamps or binary, and no application tags)."""
    if isinstance(node, yaml.ScalarNode):
        return node.tag in _SCALAR_TAGS
    return node.tag == _KIND_TAGS["sequence" if isinstance(node, yaml.SequenceNode) else "mapping"]


def _explain(exc: ValidationError, positions: dict[Loc, _Pos], shown: str,
             data: Any, by_id: bool = False,
             removed: Mapping[Loc, Mapping[str, _Pos]] | None = None,
             removed_criteria: Mapping[str, _Pos] | None = None,
             sources: tuple[str, ...] = ()) -> list[str]:
    """One line per problem: where it is written (file:line:col), the key's path and what is
    wrong. ``by_id``: the rubric was put together from several files, so a criterion, signal or
    rule is named in the path by its id, not by its place in the whole (which is no place in
    any one file). ``removed``: for a criterion, the signals and rules a 'remove' dropped from
    it, each with the position of the entry naming it; ``removed_criteria``: the same for the
    criteria a 'remove' at the top dropped; ``sources``: the files read, each before its bases."""
    problems = []
    owners = _signal_owners(data)
    for err in exc.errors():
        gone = (_removed_criterion_ref(err, positions, shown, removed_criteria or {}, sources)
                or _removed_ref(err, positions, shown, data, removed or {}))
        if gone is not None:
            problems.append(gone)
            continue
        # A check of a whole criterion or rubric says where below it the fault is ("at").
        at = tuple(err.get("ctx", {}).get("at", ()))
        loc = _data_loc((*err["loc"], *at), positions)
        pos = positions.get(loc) or positions[()]
        msg = err["msg"]
        outer_loc = _data_loc(tuple(err["loc"]), positions)
        outer = positions.get(outer_loc)
        if at and outer_loc and outer is not None and (outer.file or shown) != (pos.file or shown):
            # The value was written in a base, and this file's change to the criterion (a removed
            # signal, say) is what makes it wrong: the problem is this file's, and the base's line
            # is named. A check of the whole rubric (a lexicon's phrases) points where it is.
            msg += f" (named at {pos.file or shown}:{pos.line}:{pos.col})"
            loc, pos = outer_loc, outer
        line, col = pos.line, pos.col
        where = pos.file or shown
        dotted = _dotted(loc, data if by_id else None)
        if err["type"] == "extra_forbidden":
            line, col = pos.key_line, pos.key_col
            name = str(loc[-1]) if loc else ""
            close = difflib.get_close_matches(name, sorted(_field_names() | set(RESOLUTION_KEYS)),
                                              n=1)
            if name == "remove":  # keys that are right elsewhere: say where
                msg = ("'remove' is not allowed here: it belongs at the top of a rubric that "
                       "extends another, or in a criterion that its base has")
            elif name in RESOLUTION_KEYS:
                msg = f"'{name}' is not allowed here: it belongs at the top of a rubric file"
            elif name in _key_owners():  # a key of the language, in the wrong place
                where_it_goes = " or ".join(f"a {o}" for o in _key_owners()[name])
                msg = f"'{name}' is not a key here: it belongs to {where_it_goes}"
            else:
                msg = f"unknown key '{name}'" + (f"; did you mean '{close[0]}'?" if close else "")
        elif err["type"] == "bad_regex":
            line, col = _char_at(pos, str(err.get("input", "")),
                                      int(err.get("ctx", {}).get("pos", 0)))
        elif err["type"] == "unknown_ref" and "pos" in err["ctx"]:  # a template's field
            line, col = _char_at(pos, str(err["ctx"]["text"]), int(err["ctx"]["pos"]))
        elif err["type"] == "unknown_ref" and err["ctx"]["what"] == "signal":
            name, criterion = err["ctx"]["name"], loc[1] if len(loc) > 1 else None
            others = [owner for i, owner in owners.get(name, ()) if i != criterion]
            if others:
                msg = (f"unknown signal '{name}': it is a signal of criterion '{others[0]}', and "
                       "a criterion's signals and rules refer only to its own signals; define "
                       "the signal in this criterion too")
        elif err["type"] == "missing":
            msg = f"missing required key '{err['loc'][-1]}'"
            dotted = _dotted(loc, data if by_id else None)
        elif pos.is_plain_scalar and pos.scalar is not None and err["type"].endswith("_type"):
            msg = _in_rubric_words(msg, err["type"]) + _yaml11_hint(pos.scalar, err["type"])
        elif err["type"] in _MAPPING_TYPES or err["type"] in _BOUNDS:
            msg = _in_rubric_words(msg, err["type"], err)
        elif pos.quote and err["type"] in ("float_type", "int_type", "bool_type"):
            msg += _quoted_hint(str(err.get("input", "")), err["type"])
        problems.append(f"{where}:{line}:{col}: {dotted + ': ' if dotted else ''}{msg}")
    return _in_file_order(problems)


_PLACE = re.compile(r"^(.*?):(\d+):(\d+): ")


def _in_file_order(problems: list[str]) -> list[str]:
    """``file:line:col: ...`` problems in the order they are written: by line and column within
    a file, the files in the order they first come (the validator reports them by key)."""
    files: dict[str, int] = {}

    def place(problem: str) -> tuple[int, int, int]:
        m = _PLACE.match(problem)
        if m is None:
            return (len(problems), 0, 0)
        rank = files.setdefault(m[1], len(files))
        return (rank, int(m[2]), int(m[3]))

    return sorted(problems, key=place)


def _removed_criterion_ref(err: Any, positions: dict[Loc, _Pos], shown: str,
                           removed: Mapping[str, _Pos], sources: tuple[str, ...]) -> str | None:
    """For a reference to a criterion that a 'remove' at the top dropped while a base of the
    file with the 'remove' still names it (its short_text's forfeited_by): the problem, placed
    at the 'remove' entry, saying where the base names it and what to write instead; None for
    any other problem (a name written in the file with the 'remove', or in one built on it, is
    that file's fault, told where it is)."""
    if err["type"] != "unknown_ref" or err["ctx"]["what"] != "criterion":
        return None
    name = str(err["ctx"]["name"])
    entry = removed.get(name)
    if entry is None:
        return None
    at = tuple(err["ctx"].get("at", ()))
    named = positions.get(_data_loc((*err["loc"], *at), positions))
    if named is None or not _is_base_of(named.file or shown, entry.file or shown, sources):
        return None
    named_at = f"{named.file or shown}:{named.line}:{named.col}"
    key = ".".join(str(part) for part in at[:2])
    return (f"{entry.file or shown}:{entry.line}:{entry.col}: remove drops criterion '{name}', "
            f"but the base's {key} still names it at {named_at}; write {key} in this rubric "
            f"without '{name}' (a list replaces the base's whole), or keep the criterion")


def _is_base_of(base: str, file: str, sources: tuple[str, ...]) -> bool:
    """Whether ``base`` is read as a base of ``file`` (each file is read before its bases)."""
    return base in sources and file in sources and sources.index(base) > sources.index(file)


def _removed_ref(err: Any, positions: dict[Loc, _Pos], shown: str, data: Any,
                 removed: Mapping[Loc, Mapping[str, _Pos]]) -> str | None:
    """For a reference to a signal that a 'remove' dropped from the criterion while the base
    still names it: the problem, placed at the 'remove' entry (the change that broke it), saying
    where it is still named; None for any other problem."""
    if err["type"] != "unknown_ref" or err["ctx"]["what"] not in ("signal", "template field"):
        return None
    name = str(err["ctx"]["name"]).removesuffix(".first")
    criterion = tuple(err["loc"][:2])
    entry = removed.get(criterion, {}).get(name)
    if entry is None:
        return None
    at = tuple(err["ctx"].get("at", ()))
    named = positions.get(_data_loc((*err["loc"], *at), positions))
    if err["ctx"]["what"] == "template field" and named is not None:
        line, col = _char_at(named, str(err["ctx"]["text"]), int(err["ctx"]["pos"]))
        named_at = f"{named.file or shown}:{line}:{col}"
    else:
        named_at = f"{named.file or shown}:{named.line}:{named.col}" if named else shown
    return (f"{entry.file or shown}:{entry.line}:{entry.col}: {_dotted(criterion, data)}: "
            f"remove drops signal '{name}', but {_named_by(at, criterion, data)} still names "
            f"it at {named_at}; also remove or change what names it (a signal's with or "
            "without, a rule's when, the criterion's applies_when or explanation), or keep "
            "the signal")


def _named_by(at: Loc, criterion: Loc, data: Any) -> str:
    """What names a signal, from where in the criterion the name is (``at``): "the 'without'
    of signal 'x'", "the 'when' of rule 'y'", "'applies_when'"."""
    try:
        item = data[criterion[0]][criterion[1]]
        if at[0] in ("signals", "rules") and len(at) > 2:
            what = "signal" if at[0] == "signals" else "rule"
            return f"the '{at[2]}' of {what} '{item[at[0]][at[1]]['id']}'"
    except (KeyError, IndexError, TypeError):
        pass
    return f"'{at[0]}'" if at else "the criterion"


def _char_at(pos: _Pos, pattern: str, offset: int) -> tuple[int, int]:
    """The line and column where the character at ``offset`` of ``pattern``, the value at
    ``pos`` (a regular expression, a template), is written: found in the scalar's text when it
    was kept (escapes, lines folded), else counted from where the value starts."""
    if pos.block:  # counted from the first line of the block, indentation included
        found = block_written_at(pos.written, pattern, offset) if pos.written else None
        return (pos.line + found[0], found[1] + 1) if found else (pos.line, pos.col + offset)
    found = written_at(pos.written, pos.quote, pattern, offset) if pos.written else None
    if found is None:
        return pos.line, pos.col + _written_width(pattern, offset, pos.quote)
    breaks, col = found
    return pos.line + breaks, (pos.col if breaks == 0 else 1) + col


def _written_width(value: str, offset: int, quote: str) -> int:
    """How many columns the first ``offset`` characters of ``value`` take as written in a scalar
    quoted with ``quote`` (none, ' or "), opening quote included: inside double quotes a
    backslash or a double quote is written with a backslash before it, inside single quotes a
    single quote is doubled."""
    doubled = {'"': '\\"', "'": "'"}.get(quote, "")
    return (1 if quote else 0) + sum(2 if c in doubled else 1 for c in value[:offset])


def _signal_owners(data: Any) -> dict[str, list[tuple[int, str]]]:
    """Each signal id written in the rubric's criteria, with the index and id of each criterion
    that defines it."""
    owners: dict[str, list[tuple[int, str]]] = {}
    criteria = data.get("criteria") if isinstance(data, dict) else None
    for i, criterion in enumerate(criteria if isinstance(criteria, list) else []):
        signals = criterion.get("signals") if isinstance(criterion, dict) else None
        for signal in signals if isinstance(signals, list) else []:
            if isinstance(signal, dict) and isinstance(signal.get("id"), str):
                owners.setdefault(signal["id"], []).append((i, str(criterion.get("id"))))
    return owners


def _data_loc(loc: Loc, positions: dict[Loc, _Pos]) -> Loc:
    """Drop the parts of a pydantic location that are not in the data (union tags, model names)
    and fall back to the nearest parent that has a position."""
    kept: list[str | int] = []
    for part in loc:
        if (*kept, part) in positions:
            kept.append(part)
    return tuple(kept)


def _dotted(loc: Loc, data: Any = None) -> str:
    """``criteria[2].signals[0].points``; with ``data``, an item of a list that has an id is
    named by it: ``criteria[costs].signals[cost_figure].points``."""
    out = ""
    node = data
    for part in loc:
        item = node[part] if isinstance(part, int) and isinstance(node, list) \
            and 0 <= part < len(node) else None
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
            out += f"[{item['id']}]"
        else:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        node = item if isinstance(part, int) else \
            node.get(part) if isinstance(node, dict) else None
    return out


def _yaml11_hint(scalar: str, error_type: str) -> str:
    """Why YAML read ``scalar`` as a type the key does not take (``error_type`` is pydantic's,
    such as "string_type"), and what to write instead."""
    value = yaml.safe_load(scalar)
    if isinstance(value, str):
        number = _yaml_number(value, whole=error_type == "int_type") \
            if error_type in ("float_type", "int_type") else None
        return f" (YAML reads {scalar} as text; {number})" if number else ""
    read = f"YAML reads {scalar or 'an empty value'} as " + (
        "null" if value is None else str(value).lower() if isinstance(value, bool)
        else f"the number {value}")
    if error_type == "string_type":
        return f" ({read}; write {f'{scalar!r}' if scalar else 'it'} in quotes)"
    if value is None:
        return f" ({read}; give it a value)"
    return f" ({read})" if isinstance(value, bool) else ""


# pydantic's error types for a value that should have been a mapping (a criterion, its
# scoring, a rule's condition ...), whose message names the Python class it would have made.
_MAPPING_TYPES = frozenset({"model_type", "model_attributes_type", "dict_type"})


# pydantic's error types for a value outside its bounds, as the rubric's words say them: filled
# with the bounds pydantic reports, the value as ``input`` and, for a list, what it ``has``.
_BOUNDS = {
    "greater_than_equal": "{input!r} is out of range; write a number of {ge:g} or more",
    "greater_than": "{input!r} is out of range; write a number above {gt:g}",
    "less_than_equal": "{input!r} is out of range; write a number of {le:g} or less",
    "less_than": "{input!r} is out of range; write a number below {lt:g}",
    "too_short": "{has}; list at least {min_length}",
    "string_too_long": "is too long; write at most {max_length} characters",
    # (the one pattern of the rubric's model is an id's)
    "string_pattern_mismatch": "{input!r} is not an id: write a lower-case letter, then "
                               "lower-case letters, digits or _ (such as 'my_signal')",
}


def _in_rubric_words(msg: str, error_type: str, err: Mapping[str, Any] | None = None) -> str:
    """pydantic's message, in the rubric's words where it names a Python class or a bound."""
    if error_type in _MAPPING_TYPES:
        return "should be a mapping: keys with their values, indented below it or written as " \
               "{key: value, ...}"
    if error_type in _BOUNDS and err is not None:
        ctx = {k: v for k, v in err.get("ctx", {}).items() if isinstance(v, int | float)}
        given = ctx.get("actual_length")
        return _BOUNDS[error_type].format(**ctx, input=err.get("input"),
                                          has="is empty" if not given else f"has {given}")
    return msg


def _quoted_hint(text: str, error_type: str) -> str:
    """What to write for a number or a boolean written in quotes, which YAML reads as text."""
    if error_type == "bool_type":
        value = yaml.safe_load(text) if text.lower() in ("true", "false") else None
        return f" (in quotes it is text; write {text.lower()} without quotes)" \
            if isinstance(value, bool) else ""
    number = _yaml_number(text, whole=error_type == "int_type")
    return f" (in quotes it is text; {number} without quotes)" if number else ""


def _yaml_number(text: str, whole: bool) -> str | None:
    """What to write for ``text``, a number YAML read as text (its floats need a point, and a
    sign on any exponent: 1e-3 is text, 0.001 and 1.0e-06 are numbers); None if it is none."""
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if whole:
        return f"write {int(number)}" if number.is_integer() else "write a whole number"
    written = repr(number)
    mantissa, e, exponent = written.partition("e")
    return f"write {mantissa}.0e{exponent}" if e and "." not in mantissa else f"write {written}"


@cache
def _field_names() -> frozenset[str]:
    return frozenset(_key_owners())


@cache
def _key_owners() -> dict[str, tuple[str, ...]]:
    """Every key of the rubric language, with the parts of a rubric that take it ("signal",
    "criterion", ...), for saying where a key written in the wrong place belongs."""
    owners: dict[str, list[str]] = {}
    seen: set[type] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            owners.setdefault(field.alias or name, []).append(model.__name__.lower())
            for arg in _model_args(field.annotation):
                visit(arg)

    visit(Rubric)
    return {k: tuple(v) for k, v in owners.items()}


def _model_args(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            found.append(a)
        stack.extend(getattr(a, "__args__", ()))
    return found
