"""The rubric's regular-expression language: RE2's, so that no pattern can take more than linear
time on any text.

RE2 (the engine behind Go's ``regexp`` and Vale's rules) never backtracks: it has no
look-arounds and no back-references, the two constructs that cannot run in linear time. A
pattern using one, or any other construct of Python's ``re`` that RE2 lacks, is refused here with
where it is and how to say the same thing without it. What a look-around was used for is said
with named groups: the pattern matches the text to skip as an alternative of its own, and only
the first named group that took part in a match (``(?P<hit>...)``) is a finding
(``credscore.engine.regex``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

import re2

# A compiled pattern may hold at most this much memory; RE2 refuses larger ones at compile time
# ("pattern too large"), which keeps a huge bounded repetition from slowing every document.
MAX_PATTERN_MEMORY = 8 << 20
# The most instructions a pattern may compile to (in either case mode). RE2 runs a pattern as an
# automaton whose states are sets of these instructions, built as the text is read and cached. A
# pattern with thousands of instructions that can be live at once (a long bounded repetition of
# a broad class, '[^.]{0,1000}', or the same written out) outgrows that cache, and RE2 then
# steps through every live instruction at every byte: still linear, but at 0.02 MB/s, nearly a
# minute per megabyte. At 3,000 the slowest such pattern measured reads 0.7 MB/s of news text.
# The shipped rubrics' largest pattern compiles to about 1,050; a long word list belongs in
# 'phrases', which cost nothing here.
MAX_PATTERN_SIZE = 3000

_LOOKAROUND_ADVICE = (
    "RE2 has no look-arounds (they cannot run in linear time). Match the text to skip as an "
    "alternative of its own, first, and put what counts in a named group: "
    r"'(?<!board )approved' -> 'board approved|(?P<hit>approved)', "
    r"'\bmay\b(?!\s+\d)' -> '\bmay\s+\d|(?P<hit>\bmay\b)'"
)
_BACKREF_ADVICE = ("RE2 has no back-references (they cannot run in linear time); spell out the "
                   "repeated text, e.g. '(a|b)\\1' -> 'aa|bb'")
_NO_BACKTRACK = "RE2 never backtracks, so it is not needed"


@dataclass(frozen=True, slots=True)
class PatternProblem:
    """Why a pattern is refused, and where in it (an offset into the pattern)."""

    message: str
    offset: int


# Constructs of Python's ``re`` (and PCRE) that RE2 lacks, found before RE2 is asked so that the
# message can name them and say what to write instead. Each regex runs on the pattern with
# escapes and character classes already blanked out, so it never matches inside them.
_UNSUPPORTED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\(\?<?[=!]"), "look-around '{found}...)' is not supported. " + _LOOKAROUND_ADVICE),
    (re.compile(r"\(\?P=\w+\)"), "back-reference '{found}' is not supported. " + _BACKREF_ADVICE),
    (re.compile(r"\(\?>"), "atomic group '(?>...)' is not supported; " + _NO_BACKTRACK
     + ": '(?>a+)b' -> '(?:a+)b'"),
    (re.compile(r"\(\?\("), "conditional group '(?(...)...)' is not supported; write the two "
     "cases as alternatives"),
    (re.compile(r"\(\?#"), "comment group '(?#...)' is not supported; put the comment in YAML "
     "after '#'"),
    (re.compile(r"\(\?R\)|\(\?\d+\)|\(\?&\w+\)"), "recursion '{found}' is not supported"),
    (re.compile(r"(?:[*+?]|\{\d*,?\d*\})\+"), "possessive quantifier '{found}' is not supported; "
     + _NO_BACKTRACK + ": 'a++' -> 'a+'"),
)
_BAD_ESCAPES = {
    **{str(d): "back-reference '\\{d}' is not supported. " + _BACKREF_ADVICE for d in range(1, 10)},
    "Z": "'\\Z' is not RE2; write '\\z' (the end of the text)",
    "G": "'\\G' is not supported",
    "k": "back-reference '\\k<...>' is not supported. " + _BACKREF_ADVICE,
    "g": "back-reference '\\g<...>' is not supported. " + _BACKREF_ADVICE,
    "N": "'\\N{...}' is not supported; write the character itself",
    "C": "'\\C' (any one byte) is not supported: a hit could end inside a character; write '.' "
         "(any one character)",
}
_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?[:)]")
RE2_FLAGS = frozenset("imsU")


def pattern_problem(pattern: str) -> PatternProblem | None:
    """Why ``pattern`` is not in the rubric's regex language (None when it is)."""
    blanked = _blank_escapes_and_classes(pattern)
    for i, ch in enumerate(pattern):
        if ch == "\\" and blanked[i] == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in _BAD_ESCAPES:
                return PatternProblem(_BAD_ESCAPES[nxt].replace("{d}", nxt), i)
    for found_re, message in _UNSUPPORTED:
        m = found_re.search(blanked)
        if m is not None:
            return PatternProblem(message.replace("{found}", pattern[m.start():m.end()]), m.start())
    for m in _FLAGS.finditer(blanked):
        bad = sorted(set((m.group(1) or "") + (m.group(2) or "")) - RE2_FLAGS)
        if bad:
            return PatternProblem(
                f"inline flag '{''.join(bad)}' is not supported; RE2's flags are i (ignore case), "
                "m (^ and $ at line ends), s (. matches a line break) and U (ungreedy)", m.start())
    try:
        compiled = compile_checked(pattern)
    except re2.error as exc:
        return _re2_problem(pattern, str(exc))
    try:
        caseless_size = _program_size(pattern, case_sensitive=False)
    except re2.error as exc:  # larger ignoring case ('k' is also the Kelvin sign): too large
        return _re2_problem(pattern, str(exc))
    size = max(compiled._regexp.ProgramSize(), caseless_size)
    if size > MAX_PATTERN_SIZE:
        return PatternProblem(
            f"compiles to {size:,} instructions, more than the {MAX_PATTERN_SIZE:,} a pattern may "
            "have: long bounded repetitions ('[^.]{0,500}', '(?:\\w+\\W+){0,100}') make RE2 read "
            "every article slowly. Use smaller bounds ('(?:\\w+\\W+){0,12}'), and write a long "
            "list of words as 'phrases'", _largest_repetition(pattern))
    repeated = _repeated_group_name(pattern)
    if repeated is not None:
        name, at = repeated
        return PatternProblem(
            f"the named group '{name}' is named twice; RE2 takes the name for the first group "
            "only, so a match through the second would be skipped as text without a hit. Give "
            "each group its own name ('(?P<hit>cure)|(?P<hit2>remedy)') or put the alternatives "
            "in one group ('(?P<hit>cure|remedy)')", at)
    empty_group = _empty_named_group(pattern)
    if empty_group is not None:
        name, at, only = empty_group
        if only:
            return PatternProblem(
                f"the named group '{name}' can only match empty text, and an empty hit is never "
                "a finding (no match of the pattern would be reported); put what counts inside "
                "it: '(?P<hit>)cure' -> '(?P<hit>cure)'", at)
        return PatternProblem(
            f"the named group '{name}' can match empty text, and an empty hit is never a "
            "finding (a match in which it is empty would be skipped, as text without a hit); "
            "make it need at least one character: '(?P<hit>x?)cure' -> '(?P<hit>x?cure)'", at)
    if _matches_empty_text(compiled):
        return PatternProblem(
            "can match empty text, and an empty match is never a finding (the pattern would be "
            "tried at every character of every article); make every alternative need at least "
            "one character: 'x*' -> 'x+', '(?:ab)?' -> 'ab', 'a|' -> 'a'", 0)
    return None


# Texts on which a pattern that can match empty text shows it, at one position or another:
# before, between and after word and non-word characters.
_EMPTY_PROBES = (b"", b"a", b"a b", b"1", b"A.", b" x1 ", b"\n")


def _matches_empty_text(compiled: re2._Regexp) -> bool:
    run = compiled._regexp.Match
    anchored = re2._re2.RE2.Anchor.ANCHOR_START
    for text in _EMPTY_PROBES:
        for at in range(len(text) + 1):
            start, end = run(anchored, text, at, len(text))[0]
            if start == end == at:
                return True
    return False


@lru_cache(maxsize=1024)
def compile_checked(pattern: str) -> re2._Regexp:
    """``pattern`` compiled as it is checked (case-sensitive, every group captured). Cached: a
    rubric's patterns are checked when it is loaded, and compiling it reads their groups."""
    return re2.compile(pattern, options(case_sensitive=True))


_NAMED_GROUP = re.compile(r"\(\?P?<(\w+)>")
_ANCHOR_BOTH = re2._re2.RE2.Anchor.ANCHOR_BOTH


def _repeated_group_name(pattern: str) -> tuple[str, int] | None:
    """The first group name given a second time, and where that second group is."""
    seen: set[str] = set()
    for m in _NAMED_GROUP.finditer(_blank_escapes_and_classes(pattern)):
        if m.group(1) in seen:
            return m.group(1), m.start()
        seen.add(m.group(1))
    return None


def _empty_named_group(pattern: str) -> tuple[str, int, bool] | None:
    """The first named group that can match empty text, where it is, and whether empty text is
    all it can match. A group inside another named group is never the one a match reports (the
    outer one takes part whenever it does), so only the outermost are looked at."""
    blanked = _blank_escapes_and_classes(pattern)
    outer_end = 0  # where the last outermost named group ends
    for m in _NAMED_GROUP.finditer(blanked):
        if m.start() < outer_end:
            continue
        depth, i = 1, m.end()
        while i < len(blanked) and depth:
            depth += {"(": 1, ")": -1}.get(blanked[i], 0)
            i += 1
        outer_end = i
        body = _without_assertions(pattern, blanked, m.end(), i - 1)
        try:
            group = re2.compile(f"(?:{body})", options(True))
        except re2.error:  # not a group alone after all: say nothing rather than guess
            continue
        ok, _, longest = group._regexp.PossibleMatchRange(8)
        if ok and longest == b"":
            return m.group(1), m.start(), True
        if group._regexp.Match(_ANCHOR_BOTH, b"", 0, 0)[0][0] >= 0:
            return m.group(1), m.start(), False
    return None


# Empty-width assertions, whose truth depends on the text around the group: '\Bitis' matches
# inside a word, never at the start of the text the group is tried on alone.
_ASSERTION_ESCAPES = frozenset("bBAz")


def _without_assertions(pattern: str, blanked: str, start: int, end: int) -> str:
    """``pattern[start:end]`` without its empty-width assertions (^, $, \\b, \\B, \\A, \\z): what
    it can match then, it may match somewhere in a text."""
    out: list[str] = []
    i = start
    while i < end:
        if blanked[i] == "\\":
            if pattern[i + 1:i + 2] not in _ASSERTION_ESCAPES:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if blanked[i] not in "^$":
            out.append(pattern[i])
        i += 1
    return "".join(out)


def _program_size(pattern: str, case_sensitive: bool) -> int:
    return int(re2.compile(pattern, options(case_sensitive))._regexp.ProgramSize())


_REPETITION = re.compile(r"\{(\d+)(?:,(\d*))?\}")
RE2_MAX_REPEAT = 1000  # the largest count RE2 takes in a repetition ({n,m})


def _largest_repetition(pattern: str) -> int:
    """Where the bounded repetition with the largest bound is (0 when there is none)."""
    blanked = _blank_escapes_and_classes(pattern)
    found = [(int(m.group(2) or m.group(1)), m.start()) for m in _REPETITION.finditer(blanked)
             if blanked[max(m.start() - 2, 0):m.start()] != "\\ "]  # not the braces of \x{29}
    return max(found)[1] if found else 0


def options(case_sensitive: bool, max_mem: int = MAX_PATTERN_MEMORY) -> re2.Options:
    opts = re2.Options()
    opts.case_sensitive = case_sensitive
    opts.log_errors = False
    opts.max_mem = max_mem
    return opts


def _re2_problem(pattern: str, error: str) -> PatternProblem:
    if error.startswith(("b'", 'b"')):  # the binding gives RE2's message as repr(bytes)
        error = ast.literal_eval(error).decode("utf-8", errors="replace")
    text = error
    message, _, arg = text.partition(": ")
    bounds = _REPETITION.fullmatch(arg)
    if message == "invalid repetition size" and bounds and bounds.group(2) and \
            int(bounds.group(2)) < int(bounds.group(1)) <= RE2_MAX_REPEAT:
        return PatternProblem(f"repetition '{arg}' has its minimum above its maximum; write "
                              f"'{{{bounds.group(2)},{bounds.group(1)}}}'",
                              max(pattern.find(arg), 0))
    if message == "invalid repetition size":
        return PatternProblem(f"repetition '{arg}' is too large: RE2 allows at most "
                              f"{RE2_MAX_REPEAT}, counting nested repetitions multiplied "
                              "together ({0,20} rather than {0,2000})", max(pattern.find(arg), 0))
    if "too large" in text:
        return PatternProblem("the pattern is too large for RE2 to compile; use smaller bounded "
                              "repetitions or fewer alternatives", 0)
    if message in ("missing )", "unexpected )"):
        return PatternProblem(f"does not compile: {message}", _unbalanced(pattern))
    offset = pattern.find(arg) if arg and arg != pattern else 0
    return PatternProblem(f"does not compile: {message}" + (f" '{arg}'" if arg else ""),
                          max(offset, 0))


def _unbalanced(pattern: str) -> int:
    """Where the first unclosed '(' or unopened ')' is."""
    opened: list[int] = []
    for i, ch in enumerate(_blank_escapes_and_classes(pattern)):
        if ch == "(":
            opened.append(i)
        elif ch == ")":
            if not opened:
                return i
            opened.pop()
    return opened[0] if opened else 0


def _blank_escapes_and_classes(pattern: str) -> str:
    """The pattern with every escaped character and every character class body replaced by
    spaces (the backslash stays), so that searching it for syntax never looks inside them."""
    out = list(pattern)
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\" and pattern.startswith("Q", i + 1):
            # \Q...\E: all literal up to the first \E (or the end)
            close = pattern.find("\\E", i + 2)
            end = n if close == -1 else close + 2
            for k in range(i + 1, end):
                out[k] = " "
            i = end
        elif ch == "\\":
            if i + 1 < n:
                out[i + 1] = " "
            i += 2
        elif ch == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1  # a ']' first in a class is a literal
            while j < n and pattern[j] != "]":
                if pattern[j] == "[" and pattern.startswith("[:", j):
                    close = pattern.find(":]", j + 2)
                    j = close + 2 if close != -1 else j + 1
                    continue
                j += 2 if pattern[j] == "\\" else 1
            for k in range(i + 1, min(j, n)):
                out[k] = " "
            i = j + 1
        else:
            i += 1
    return "".join(out)
