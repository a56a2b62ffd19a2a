"""Build a rubric on another one: ``extends``, ``remove`` and shared lexicon files.

A rubric file may name a base (``extends: default`` for a shipped rubric, or a path relative to
the file) and change it by id: criteria, signals and rules of the same id are merged key by key
(a mapping such as ``scoring`` merges too, any other value or list replaces the base's), new ids
are added, and ``remove: [id, ...]`` drops criteria (at the top) or signals and rules (inside a
criterion). ``lexicon_files: [path, ...]`` pulls named phrase lists from files holding only
``lexicons:``, so several rubrics can share one list.

Every value keeps the position where it was written, in whichever file, so the loader can point
an error at the child or at the base. The loader supplies the reading; this module only merges.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESOLUTION_KEYS = ("extends", "lexicon_files", "remove")
LEXICON_FILE_KEYS = ("lexicons", "description")
MAX_CHAIN = 16
# Lists whose items are matched by id when a child changes its base, and what each item is.
ID_LISTS = {"criteria": "criterion", "signals": "signal", "rules": "rule"}
# A new item needs one of these keys; an item with none of them is a change to a base item whose
# id was mistyped, and is reported as such rather than as a criterion missing its name.
DEFINING_KEYS = {"criterion": ("name", "description", "anchor"),
                 "signal": ("phrases", "lexicons", "pattern"), "rule": ("when",)}

Loc = tuple[str | int, ...]


class ResolveError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# Reads a file (its path, and its name as shown in messages) into its data, a mapping, and the
# position of every value in it keyed by data path; raises the loader's error when it cannot.
Reader = Callable[[Path, str], tuple[dict[str, Any], dict[Loc, Any]]]


@dataclass
class Node:
    """A value and where it was written: a dict of Nodes, a list of Nodes, or a scalar."""

    value: Any
    pos: Any
    # For a rubric built on bases: the criteria a 'remove' dropped on the way (or for a
    # criterion, its signals and rules), each with the entry naming it, so a change to one of
    # them further down, or a reference the base still makes to one, can say where it went.
    removed: dict[str, Node] = field(default_factory=dict)


@dataclass(frozen=True)
class Resolved:
    data: Any
    positions: dict[Loc, Any]
    sources: tuple[str, ...]
    # For each criterion (by its place, ("criteria", 2)), the signals and rules a 'remove'
    # dropped from it, each with the position of the entry naming it.
    removed: dict[Loc, dict[str, Any]] = field(default_factory=dict)
    # The criteria a 'remove' at the top dropped, each with the position of the entry naming it.
    removed_criteria: dict[str, Any] = field(default_factory=dict)


def needs_resolution(data: Any) -> bool:
    return isinstance(data, dict) and any(k in data for k in RESOLUTION_KEYS)


def shipped_rubric_ids(rubric_dir: Path) -> list[str]:
    return sorted(p.stem for p in rubric_dir.glob("*.yaml"))


def resolve(data: dict[str, Any], positions: dict[Loc, Any], shown: str, path: Path | None,
            read: Reader, rubric_dir: Path) -> Resolved:
    """The rubric a file describes once its bases and lexicon files are merged in. ``path`` is
    the file (None for text given directly: paths in it are then relative to the working
    folder)."""
    sources: list[str] = []
    here = _annotate(data, positions, ())
    base_dir = path.parent if path is not None else Path.cwd()
    chain = (path.resolve(),) if path is not None else ()
    resolver = _Resolver(read, rubric_dir, sources, here.value.get("extends"))
    tree = resolver.file(here, base_dir, chain)
    out_positions: dict[Loc, Any] = {}
    removed: dict[Loc, dict[str, Any]] = {}
    return Resolved(_flatten(tree, (), out_positions, removed), out_positions,
                    (shown, *sources), removed,
                    {name: entry.pos for name, entry in tree.removed.items()})


class _Resolver:
    def __init__(self, read: Reader, rubric_dir: Path, sources: list[str],
                 top: Node | None = None) -> None:
        self.read = read
        self.rubric_dir = rubric_dir
        self.sources = sources
        self.top = top  # the 'extends' of the rubric being loaded

    def file(self, tree: Node, base_dir: Path, chain: tuple[Path, ...], depth: int = 0) -> Node:
        """The rubric ``tree`` describes, merged over its bases; ``depth`` is how many bases
        of the rubric being loaded lie between it and this file (this file included)."""
        items: dict[str, Node] = tree.value
        own = {k: v for k, v in items.items() if k not in RESOLUTION_KEYS}
        problems: list[str] = []
        shared = self.lexicon_files(items.get("lexicon_files"), base_dir, problems)
        if shared is not None:
            own = _with_lexicons(own, shared, problems)
        base = None
        if "extends" in items:
            base = self.base(items["extends"], base_dir, chain, problems, depth)
        elif "remove" in items:
            problems.append(f"{_at(items['remove'].pos, key=True)}: 'remove' drops criteria of "
                            "a base rubric; add 'extends: <base>' or delete it")
        if problems:
            raise ResolveError(problems)
        if base is None:
            return Node(own, tree.pos)
        return _merge_rubric(base, Node(own, tree.pos), items.get("remove"))

    def base(self, ref: Node, base_dir: Path, chain: tuple[Path, ...],
             problems: list[str], depth: int = 0) -> Node | None:
        if not isinstance(ref.value, str) or not ref.value.strip():
            problems.append(f"{_at(ref.pos)}: extends: name a shipped rubric "
                            f"({', '.join(shipped_rubric_ids(self.rubric_dir))}) or a file "
                            "path relative to this one")
            return None
        path = self.locate(ref, base_dir, problems)
        if path is None:
            return None
        key = path.resolve()
        if key in chain:
            names = [_display(p) for p in (*chain[chain.index(key):], key)]
            problems.append(f"{_at(ref.pos)}: extends makes a cycle: {' -> '.join(names)}; "
                            "one of these files must stop extending the next")
            return None
        if depth >= MAX_CHAIN:
            # Reported at the rubric being loaded: the chain is its, and so is the choice of
            # where to cut it.
            top = self.top if self.top is not None else ref
            problems.append(f"{_at(top.pos)}: extends: the bases of this rubric go more than "
                            f"{MAX_CHAIN} deep ({_display(path)}, extended at {_at(ref.pos)}, "
                            f"would be base {depth + 1}); flatten the chain: merge some bases "
                            "into one (credscore rubric show BASE > merged.yaml writes BASE with "
                            "its own bases merged in) and extend that")
            return None
        tree = self.source(path)
        if isinstance(tree.value, dict) and "lexicons" in tree.value and \
                set(tree.value) <= set(LEXICON_FILE_KEYS):
            problems.append(f"{_at(ref.pos)}: extends: {_display(path)} is a lexicon file (only "
                            "'lexicons' and 'description'), not a rubric; to use its phrase "
                            f"lists, write 'lexicon_files: [{ref.value.strip()}]'")
            return None
        try:
            return self.file(tree, path.parent, (*chain, key), depth + 1)
        except ResolveError as exc:
            problems.extend(exc.problems)
            return None

    def source(self, path: Path) -> Node:
        """Another file the rubric is built from, read, annotated and listed in ``sources``."""
        shown = _display(path)
        self.sources.append(shown)
        data, positions = self.read(path, shown)
        return _annotate(data, positions, ())

    def locate(self, ref: Node, base_dir: Path, problems: list[str]) -> Path | None:
        name: str = ref.value.strip()
        if "/" not in name and "\\" not in name and not name.endswith((".yaml", ".yml")):
            path = self.rubric_dir / f"{name}.yaml"
            if not path.is_file():
                shipped = shipped_rubric_ids(self.rubric_dir)
                close = difflib.get_close_matches(name, shipped, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                problems.append(f"{_at(ref.pos)}: no shipped rubric '{name}' ({hint}shipped: "
                                f"{', '.join(shipped)}); for a file, write a path such as "
                                f"./{name}.yaml")
                return None
            return path
        path = base_dir / name
        if not path.is_file():
            problems.append(f"{_at(ref.pos)}: extends: {_not_a_file(path)}")
            return None
        return path

    def lexicon_files(self, ref: Node | None, base_dir: Path, problems: list[str]) -> Node | None:
        if ref is None:
            return None
        if not isinstance(ref.value, list) or not all(isinstance(i.value, str) for i in ref.value):
            problems.append(f"{_at(ref.pos)}: lexicon_files is a list of file paths, relative "
                            "to this rubric")
            return None
        merged: dict[str, Node] = {}
        listed: dict[Path, Node] = {}
        for item in ref.value:
            path = base_dir / item.value
            if not path.is_file():
                problems.append(f"{_at(item.pos)}: lexicon_files: {_not_a_file(path)}")
                continue
            if (same := listed.get(path.resolve())) is not None:
                problems.append(f"{_at(item.pos)}: lexicon_files: {_display(path)} is already "
                                f"listed at {_at(same.pos)}; list it once")
                continue
            listed[path.resolve()] = item
            tree = self.source(path)
            lexicons = _lexicon_file(tree, _display(path), problems)
            for name, node in lexicons.items():
                if name in merged:
                    problems.append(f"{_at(node.pos, key=True)}: lexicon '{name}' is also "
                                    f"defined at {_at(merged[name].pos, key=True)}; keep one")
                    continue
                merged[name] = node
        return Node(merged, ref.pos)


def _not_a_file(path: Path) -> str:
    if path.exists():
        return f"{_display(path)} is not a regular file (a folder, a device or a pipe); name a file"
    return f"no such file {_display(path)}"


def _lexicon_file(tree: Node, shown: str, problems: list[str]) -> dict[str, Node]:
    for key, node in tree.value.items():
        if key not in LEXICON_FILE_KEYS:
            problems.append(f"{_at(node.pos, key=True)}: unknown key '{key}' in a lexicon file "
                            "(it holds only 'lexicons' and 'description')")
    lexicons = tree.value.get("lexicons")
    if lexicons is None or not isinstance(lexicons.value, dict):
        where = _at(lexicons.pos) if lexicons else f"{shown}:1:1"
        problems.append(f"{where}: a lexicon file needs 'lexicons:', a mapping from a name to "
                        "its list of phrases")
        return {}
    return lexicons.value


def _merge_rubric(base: Node, child: Node, remove: Node | None) -> Node:
    problems: list[str] = []
    items = dict(base.value)
    removed = dict(base.removed)
    if remove is not None:
        lists = {"criteria": items.get("criteria", Node([], None))}
        kept, dropped = _without(lists, remove, "criterion", problems)
        items.update(kept)
        removed.update(dropped)
    for key, node in child.value.items():
        if key == "lexicons" and key in items and _both(items[key], node, dict):
            # A lexicon named again replaces the base's list whole.
            items[key] = Node({**items[key].value, **node.value}, node.pos)
        elif key in items:
            items[key] = _merge(items[key], node, key, problems,
                                removed if key == "criteria" else None)
        else:
            items[key] = node
    left = items.get("criteria")
    if remove is not None and left is not None and left.value == []:
        problems.append(f"{_at(remove.pos, key=True)}: remove drops every criterion of the base "
                        "and none is added; a rubric needs at least one criterion")
    if problems:
        raise ResolveError(problems)
    return Node(items, child.pos, removed)


def _merge(base: Node, child: Node, key: str, problems: list[str],
           removed: dict[str, Node] | None = None) -> Node:
    """``child`` merged over ``base``; ``removed`` holds the ids a 'remove' dropped from the
    lists below (each with the entry naming it)."""
    if key in ID_LISTS and _both(base, child, list):
        return _merge_by_id(base, child, ID_LISTS[key], problems, removed or {})
    if key == "applies_when" and isinstance(base.value, list) and isinstance(child.value, dict):
        # One condition written over a base's list of them: it changes the base's only one.
        if len(base.value) == 1:
            return Node([_merge(base.value[0], child, "when", problems, removed)], child.pos)
        problems.append(f"{_at(child.pos)}: the base's applies_when lists {len(base.value)} "
                        "conditions, of which any makes the criterion apply; one condition "
                        "cannot say which it changes: write the whole list (a list written "
                        "replaces the base's)")
        return child
    if _both(base, child, dict):
        items = dict(base.value)
        for k, node in child.value.items():
            items[k] = _merge(items[k], node, k, problems, removed) if k in items else node
        return Node(items, child.pos, dict(base.removed))
    return child


def _merge_by_id(base: Node, child: Node, what: str, problems: list[str],
                 removed: dict[str, Node]) -> Node:
    merged: list[Node] = list(base.value)
    index = {_id(n): i for i, n in enumerate(merged) if _id(n) is not None}
    written: dict[str, Node] = {}  # the ids this list of the child holds, each where written
    for node in child.value:
        item_id = _id(node)
        if item_id is not None and (first := written.get(item_id)) is not None:
            # Merged one after the other, the second would silently win where both set a key.
            problems.append(f"{_at(node.value['id'].pos)}: duplicate {what} id '{item_id}' (also "
                            f"written at {_at(first.value['id'].pos)}); write each id once, with "
                            "all its changes under it")
            continue
        if item_id is not None:
            written[item_id] = node
        if item_id is None or item_id not in index:
            if item_id is not None and _is_change(node, what) and item_id in removed:
                problems.append(f"{_at(node.value['id'].pos)}: {what} '{item_id}' is dropped by "
                                f"'remove' at {_at(removed[item_id].pos)}, so there is nothing "
                                "here to change: take it out of 'remove' to change it, or give "
                                f"it {' / '.join(DEFINING_KEYS[what])} to define it anew")
                continue
            if item_id is not None and _is_change(node, what):
                close = difflib.get_close_matches(item_id, sorted(index), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                problems.append(f"{_at(node.value['id'].pos)}: no {what} '{item_id}' in the base "
                                f"to change ({hint}a new {what} needs "
                                f"{' / '.join(DEFINING_KEYS[what])})")
                continue
            merged.append(node)
            continue
        into = merged[index[item_id]]
        inner_removed: dict[str, Node] = {}
        if what == "criterion" and "remove" in node.value:
            inner = dict(into.value)
            parts = {k: inner[k] for k in ("signals", "rules") if k in inner}
            kept, inner_removed = _without(parts, node.value["remove"], "signal or rule", problems)
            inner.update(kept)
            into = Node(inner, into.pos, into.removed)
            node = Node({k: v for k, v in node.value.items() if k != "remove"}, node.pos)
        changed = _merge(into, node, what, problems, inner_removed)
        if inner_removed:
            changed = Node(changed.value, changed.pos, {**changed.removed, **inner_removed})
        merged[index[item_id]] = changed
    return Node(merged, child.pos)


def _without(lists: dict[str, Node], remove: Node, what: str,
             problems: list[str]) -> tuple[dict[str, Node], dict[str, Node]]:
    """The id lists in ``lists`` (criteria; or a criterion's signals and rules) without the ids
    that ``remove`` names, and those ids, each with the entry naming it; an id none of them
    holds is an error."""
    if not isinstance(remove.value, list):
        problems.append(f"{_at(remove.pos)}: remove is a list of ids")
        return lists, {}
    known = {_id(n) for node in lists.values() if isinstance(node.value, list) for n in node.value}
    known.discard(None)
    gone: dict[str, Node] = {}
    for entry in remove.value:
        if not isinstance(entry.value, str):
            problems.append(f"{_at(entry.pos)}: remove lists ids, each plain text such as "
                            "primary_sources")
            continue
        if entry.value in known:
            gone[entry.value] = entry
            continue
        close = difflib.get_close_matches(str(entry.value), sorted(known), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        problems.append(f"{_at(entry.pos)}: remove: no {what} '{entry.value}' in the base{hint}")
    kept = {name: Node([n for n in node.value if _id(n) not in gone], node.pos)
            if isinstance(node.value, list) else node for name, node in lists.items()}
    return kept, gone


def _is_change(node: Node, what: str) -> bool:
    return isinstance(node.value, dict) and not any(k in node.value for k in DEFINING_KEYS[what])


def _id(node: Node) -> Any:
    if isinstance(node.value, dict) and "id" in node.value:
        value = node.value["id"].value
        return value if isinstance(value, str) else None
    return None


def _both(a: Node, b: Node, kind: type) -> bool:
    return isinstance(a.value, kind) and isinstance(b.value, kind)


def _with_lexicons(own: dict[str, Node], shared: Node, problems: list[str]) -> dict[str, Node]:
    """A file's own keys with the lexicons of its lexicon files added; a name defined in both is
    an error (which list is meant would otherwise depend on the order of merging)."""
    mine = own.get("lexicons")
    if mine is not None and not isinstance(mine.value, dict):
        return own  # the validator reports a 'lexicons' that is not a mapping
    if mine is not None:
        for name, node in mine.value.items():
            if name in shared.value:
                problems.append(f"{_at(node.pos, key=True)}: lexicon '{name}' is also defined at "
                                f"{_at(shared.value[name].pos, key=True)}; keep one of them")
        return {**own, "lexicons": Node({**shared.value, **mine.value}, mine.pos)}
    out: dict[str, Node] = {}
    for key, node in own.items():
        if key == "criteria":
            out["lexicons"] = shared
        out[key] = node
    out.setdefault("lexicons", shared)
    return out


def _annotate(data: Any, positions: dict[Loc, Any], loc: Loc) -> Node:
    """``data`` as Nodes, each with its position (which names the file it is in)."""
    pos = positions.get(loc)
    if isinstance(data, dict):
        return Node({k: _annotate(v, positions, (*loc, k)) for k, v in data.items()}, pos)
    if isinstance(data, list):
        return Node([_annotate(v, positions, (*loc, i)) for i, v in enumerate(data)], pos)
    return Node(data, pos)


def _flatten(node: Node, loc: Loc, positions: dict[Loc, Any],
             removed: dict[Loc, dict[str, Any]]) -> Any:
    if node.pos is not None:
        positions[loc] = node.pos
    if node.removed and len(loc) == 2 and loc[0] == "criteria":
        removed[loc] = {name: entry.pos for name, entry in node.removed.items()}
    if isinstance(node.value, dict):
        return {k: _flatten(v, (*loc, k), positions, removed) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_flatten(v, (*loc, i), positions, removed) for i, v in enumerate(node.value)]
    return node.value


def _at(pos: Any, key: bool = False) -> str:
    if pos is None:
        return "<rubric>:1:1"
    line, col = (pos.key_line, pos.key_col) if key else (pos.line, pos.col)
    return f"{pos.file or '<rubric>'}:{line}:{col}"


def _display(path: Path) -> str:
    """A path as a user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative
