"""A static check for regular expressions that can backtrack catastrophically.

Python's ``re`` cannot be interrupted, so a rubric pattern such as ``(a+)+$`` or ``(\\w+\\s?)*$``
could hang a run on one unlucky document. Patterns whose unbounded repetition contains another
unbounded repetition (the classic cause of exponential backtracking) are refused at load time.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _p
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_UNBOUNDED = _c.MAXREPEAT
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))


def backtracking_risk(pattern: str) -> str | None:
    """A short description of the risky construct, or None when the pattern looks safe."""
    try:
        parsed = _p.parse(pattern)
    except re.error:
        return None  # reported separately as a compile error
    return _scan(list(parsed))



def _scan(items: list) -> str | None:
    for op, arg in items:
        if op in _REPEATS and op is not None:
            _low, high, sub = arg
            unbounded = high == _UNBOUNDED or high > 1000
            if unbounded and _nested_unbounded(list(sub)) and not _delimited(list(sub)):
                return "a repeated group contains another unbounded repetition"
            found = _scan(list(sub))
            if found:
                return found
        elif op == _c.SUBPATTERN:
            found = _scan(list(arg[-1]))
            if found:
                return found
        elif op == _c.BRANCH:
            for branch in arg[1]:
                found = _scan(list(branch))
                if found:
                    return found
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            found = _scan(list(arg[1]))
            if found:
                return found
    return None


def _nested_unbounded(items: list) -> bool:
    for op, arg in items:
        if op in _REPEATS and op is not None:
            if arg[1] == _UNBOUNDED or arg[1] > 1000 or _nested_unbounded(list(arg[2])):
                return True
        elif op == _c.SUBPATTERN:
            if _nested_unbounded(list(arg[-1])):
                return True
        elif op == _c.BRANCH and any(_nested_unbounded(list(b)) for b in arg[1]):
            return True
    return False


def _delimited(items: list) -> bool:
    """A body like ``\\d+\\.``, ``[a-z]+,`` or ``\\w+ ``: a required character that nothing
    repeated in the body can match separates the rounds, so the text splits only one way."""
    while len(items) == 1 and items[0][0] == _c.SUBPATTERN:
        items = list(items[0][1][-1])
    separators = {chr(arg) for op, arg in items if op == _c.LITERAL}
    others = [(op, arg) for op, arg in items if op != _c.LITERAL]
    return any(not any(_may_match(op, arg, ch) for op, arg in others) for ch in separators)


_CATEGORIES = {
    _c.CATEGORY_DIGIT: str.isdigit,
    _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    _c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
    _c.CATEGORY_SPACE: str.isspace,
    _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
}


def _may_match(op: object, arg: object, ch: str) -> bool:
    """Whether the item could match the character ``ch`` (True when unsure)."""
    if op == _c.LITERAL:
        return chr(arg) == ch  # type: ignore[arg-type]
    if op == _c.NOT_LITERAL:
        return chr(arg) != ch  # type: ignore[arg-type]
    if op == _c.AT:
        return False
    if op == _c.IN:
        for o, a in arg:  # type: ignore[union-attr]
            if o == _c.NEGATE:
                return True
            if (o == _c.LITERAL and chr(a) == ch) or (o == _c.RANGE and a[0] <= ord(ch) <= a[1]):
                return True
            if o == _c.CATEGORY and _CATEGORIES.get(a, lambda _c: True)(ch):
                return True
        return False
    if op in _REPEATS and op is not None:
        return any(_may_match(o, a, ch) for o, a in arg[2])  # type: ignore[index]
    if op == _c.SUBPATTERN:
        return any(_may_match(o, a, ch) for o, a in arg[-1])  # type: ignore[index]
    if op == _c.BRANCH:
        return any(_may_match(o, a, ch) for b in arg[1] for o, a in b)  # type: ignore[index]
    return True
