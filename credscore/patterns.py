"""Phrase lists compiled into one trie-shaped regular expression.

A plain alternation of hundreds of phrases makes ``re`` try every phrase at every position; a
trie shares prefixes, so each position costs about one character comparison. Phrase syntax:

- matching ignores case, and a phrase matches whole words only;
- a space matches any run of whitespace;
- a word ending in ``*`` matches any continuation of that word (``stud*``: study, studies).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WILD = r"\w*"
_SPACE = r"\s+"
_END = "(?!\\w)"


def is_word_char(ch: str) -> bool:
    """What ``\\w`` of ``re`` matches, for one character of a str."""
    return ch.isalnum() or ch == "_"


def _atoms(phrase: str, fold_case: bool) -> list[str]:
    atoms: list[str] = []
    words = (phrase.lower() if fold_case else phrase).split()
    for i, word in enumerate(words):
        if i:
            atoms.append(_SPACE)
        star = word.endswith("*") and len(word) > 1
        atoms.extend(re.escape(ch) for ch in (word[:-1] if star else word))
        if star:
            atoms.append(_WILD)
    last = words[-1] if words else ""
    if last.endswith("*") or (last and is_word_char(last[-1])):
        atoms.append(_END)
    return atoms


def phrase_regex(phrases: Iterable[str], case_sensitive: bool = False) -> str:
    """One regular expression that matches any of ``phrases``.

    Compile it with ``re.IGNORECASE``; a case-sensitive list is wrapped in ``(?-i:...)``.
    Returns a pattern that never matches when the list is empty.
    """
    trie: dict[str, dict] = {}
    for phrase in phrases:
        atoms = _atoms(phrase, fold_case=not case_sensitive)
        if not atoms:
            continue
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}
    if not trie:
        return "(?!)"
    body = _render(trie)
    return "(?<!\\w)" + (f"(?-i:{body})" if case_sensitive else body)


def _order(atom: str) -> tuple[int, str]:
    # Literal characters first, wildcards next, the end of a phrase last: the longest phrase wins.
    if atom == "":
        return (3, atom)
    if atom in (_WILD, _SPACE, _END):
        return (1 if atom == _SPACE else 2, atom)
    return (0, atom)


def _render(node: dict[str, dict]) -> str:
    if not node:
        return ""
    alternatives = [atom + _render(child) for atom, child in sorted(node.items(), key=_order_item)]
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


def _order_item(item: tuple[str, dict]) -> tuple[int, str]:
    return _order(item[0])


# Characters that ``re.IGNORECASE`` matches to a letter other than their ``str.lower()``: the
# dotless i and long s match "i" and "s", the dotted capital I lowers to two characters, and
# the Greek and Cyrillic letters with a second lower-case form. A text holding none of them has
# every case-blind match of a phrase in its lower-cased form.
IGNORECASE_EXTRAS = (
    "\u0130\u0131\u017f\u00b5\u03bc\u0345\u03b9\u1fbe\u0390\u1fd3\u03b0\u1fe3\u03b2\u03d0"
    "\u03b5\u03f5\u03b8\u03d1\u03ba\u03f0\u03c0\u03d6\u03c1\u03f1\u03c2\u03c3\u03c6\u03d5"
    "\u0432\u1c80\u0434\u1c81\u043e\u1c82\u0441\u1c83\u0442\u1c84\u1c85\u044a\u1c86\u0463"
    "\u1c87\u1c88\ua64b\u1e61\u1e9b\ufb05\ufb06"
)
HAS_IGNORECASE_EXTRAS = re.compile(f"[{IGNORECASE_EXTRAS}]")


def caseless(text: str) -> str | None:
    """``text`` lower-cased, for finding case-blind matches by plain string search at the same
    offsets; None when that would miss some (a character of IGNORECASE_EXTRAS, or one whose
    lower case is longer)."""
    lowered = text.lower()
    if len(lowered) != len(text) or (not text.isascii() and HAS_IGNORECASE_EXTRAS.search(text)):
        return None
    return lowered


def phrase_prefix(phrase: str) -> str:
    """How a phrase begins, lower-cased, up to its first ``word*`` (without the ``*``): wherever
    :func:`phrase_regex` finds the phrase in text whose words are one space apart (a parsed
    block), the lower-cased text holds this string there, after a character that is not a word
    character (or at the start)."""
    words: list[str] = []
    for word in phrase.lower().split():
        if word.endswith("*") and len(word) > 1:
            words.append(word[:-1])
            break
        words.append(word)
    return " ".join(words)
