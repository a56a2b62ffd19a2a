"""YAML syntax errors said where the mistake is and in words a rubric author knows.

PyYAML reports where its parser gave up (for an unclosed quote, the end of the file) in terms of
its own tokens ("expected <block end>, but found '<block mapping start>'"); a quote left open on
its line runs on to the next quote, and the error is then about what follows. The common mistakes
are recognised here and placed at the line that holds them; anything else keeps PyYAML's words
with the place its context names.
"""

from __future__ import annotations

import re

import yaml

_FLOW_CLOSE = re.compile(r"expected ',' or '([\]}])', but got '(.*)'")
_BAD_START = re.compile(r"found character '([^']+)' that cannot start any token")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks
# A line that reads as YAML's structure: a list item, or a key and its colon.
_STRUCTURE = re.compile(r"\s*(?:-(?:\s|$)|[^\s#'\"][^:#]*:(?:\s|$))")


def _at(mark: yaml.Mark | None) -> str:
    return f"{mark.line + 1}:{mark.column + 1}" if mark is not None else "1:1"


def _unclosed_bracket(mark: yaml.Mark | None) -> tuple[str, str] | None:
    """The last '[' or '{' before ``mark`` that nothing closes, as (``line:col``, the bracket),
    read from the text the mark points into (outside quotes and comments); None if there is none
    or the text is not at hand."""
    text = getattr(mark, "buffer", None)
    if mark is None or not isinstance(text, str):
        return None
    opened: list[tuple[int, int, str]] = []
    line = col = i = 0
    quote = ""
    # The last character outside spaces and comments, and the first of the word it ends: a quote
    # opens a value only where one can start (at a line's start, after '[', '{', ',' or ':',
    # or after '- ', '? ', a tag '!!str ' or an anchor '&a '); inside a plain value ("the
    # 'best") it is a character. A quote is taken to end with its line: the line of a block
    # value (">-") may start with one and hold no closing one.
    last = word = "\n"
    end = min(mark.pointer, len(text))
    while i < end:
        c = text[i]
        if quote:
            if ((c == "\\" and quote == '"') or (c == quote == "'" and text[i + 1:i + 2] == "'")) \
                    and text[i + 1:i + 2] != "\n":
                i, col = i + 1, col + 1  # an escaped character, or a quote doubled in '...'
            elif c == quote:
                quote = ""
        elif c in "'\"" and (last in "\n[{,:" or (text[i - 1] in " \t" and (
                last in "-?" or word in "!&"))):
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n"):
            while i < end and text[i] != "\n":
                i += 1
            continue
        elif c in "[{":
            opened.append((line, col, c))
        elif c in "]}" and opened:
            opened.pop()
        if c not in " \t":
            if i == 0 or text[i - 1] in " \t\n":
                word = c
            last = c
        if c == "\n":
            line, col, quote = line + 1, 0, ""
        else:
            col += 1
        i += 1
    if not opened:
        return None
    line, col, bracket = opened[-1]
    return f"{line + 1}:{col + 1}", bracket


def _unclosed_quote(exc: yaml.MarkedYAMLError) -> str | None:
    """``line:col`` of a quote that is not closed on its line, when the mistake is found in the
    text it ran on over (an escape of a later line, say) or just after it, on the line where a
    quote closes it at last; None otherwise. A quoted value may go on over lines, but those are
    indented more than the line it starts on: a later line indented no more (the next key, say)
    shows that the quote ran on by mistake, when it reads as YAML's structure (a key and its
    colon, a list item): prose run on at the same indent is a value PyYAML reads whole, and a
    mistake in it keeps PyYAML's words."""
    mark = exc.problem_mark
    text = getattr(mark, "buffer", None)
    if mark is None or not isinstance(text, str):
        return None
    start: yaml.Mark | None = None
    end_line = mark.line
    if "quoted scalar" in (exc.context or "") and exc.context_mark is not None:
        start = exc.context_mark  # the scanner gave up inside the quoted value
    else:  # the parser gave up after it: find the quoted value that ends on the mistake's line
        for token in _tokens(text, mark):
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"') and \
                    token.start_mark.line < mark.line == token.end_mark.line:
                start = token.start_mark
    if start is None or start.line >= end_line:
        return None
    lines = _LINE_BREAK.split(text)

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    opened = indent(lines[start.line])
    if any(_STRUCTURE.match(lines[n]) and indent(lines[n]) <= opened
           for n in range(start.line + 1, min(end_line + 1, len(lines)))):
        return _at(start)
    return None


def _tokens(text: str, mark: yaml.Mark) -> list[yaml.Token]:
    """The YAML tokens of ``text`` up to the line of ``mark`` (as far as they can be read)."""
    tokens: list[yaml.Token] = []
    try:  # (PyYAML's reader ends the text it holds with a NUL)
        for token in yaml.scan(text.removesuffix("\0"), Loader=yaml.SafeLoader):
            if token.start_mark.line > mark.line:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass
    return tokens


def yaml_syntax_problem(exc: yaml.MarkedYAMLError) -> tuple[str, str]:
    """Where (``line:col``) and what the syntax mistake is."""
    problem = exc.problem or ""
    context = exc.context or ""
    here, opened = _at(exc.problem_mark or exc.context_mark), _at(exc.context_mark)
    if "flow node" in context and "<stream end>" in problem:
        found = _unclosed_bracket(exc.problem_mark)
        if found is not None:
            where, opener = found
            return where, (f"the '{opener}' opened here is never closed; add "
                           f"'{']' if opener == '[' else '}'}'")
        return here, "the file ends inside a '[' or '{' that is never closed; add ']' or '}'"
    if "quoted scalar" in context and "end of stream" in problem:
        return opened, "a quoted value opens here and is never closed; add the closing quote"
    if (quote := _unclosed_quote(exc)) is not None:
        return quote, ("a quoted value opened here is not closed on its line; close the quote "
                       "(a value that runs over several lines is written as a block scalar: "
                       "'|' after the key, its lines indented below it)")
    if (flow := _FLOW_CLOSE.match(problem)) and exc.context_mark is not None:
        bracket = flow.group(1)
        opener = "[" if bracket == "]" else "{"
        if flow.group(2) == "<stream end>":
            return opened, f"the '{opener}' opened here is never closed; add '{bracket}'"
        if exc.problem_mark is not None and exc.problem_mark.line > exc.context_mark.line:
            return here, (f"expected ',' or '{bracket}' before this, in the '{opener}' opened "
                          f"at {opened}: a ',' is missing between two items, or the '{opener}' "
                          f"is not closed where it should be (add '{bracket}')")
        return here, (f"expected ',' or '{bracket}' here, in the '{opener}' opened at "
                      f"{opened}: items are separated by ',', and an item that holds ',' or "
                      "':' is quoted as a whole")
    if "another document" in problem:  # a '---' line after the rubric
        return here, ("a second YAML document starts here; a rubric file holds one: remove "
                      "this '---' line, or move what follows it to a file of its own")
    if problem.startswith("expected '<document start>'"):  # text after a '...' line
        return here, ("this comes after the end of the YAML document (a '...' line above ends "
                      "it); a rubric file holds one: remove the '...' line, or move what "
                      "follows it to a file of its own")
    if problem.startswith("expected <block end>"):
        return here, ("this line does not line up with the list or mapping it belongs to, which "
                      f"starts at {opened}: check its indentation, and that a quoted value "
                      "ends where the value ends")
    if problem == "mapping values are not allowed here":
        return here, ("a ': ' where no key can start: quote a value that holds ': ', or indent "
                      "this key like the keys above it")
    if "simple key" in context and "expected ':'" in problem:
        return opened, ("this line is neither 'key: value' nor a list item ('- '): add the ':' "
                        "after the key, or indent a value that runs on under its key")
    if bad := _BAD_START.match(problem):
        if bad.group(1) == "\\t":
            return here, f"{problem}; YAML is indented with spaces, never tabs"
        return here, f"a value cannot start with '{bad.group(1)}'; put the value in quotes"
    if exc.context_mark is not None and context:
        return here, f"{problem} ({context} at {opened})"
    return here, problem or context
