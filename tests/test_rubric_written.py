"""Where each character of a YAML scalar's value is written, whatever way YAML wrote it."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from credscore.rubric.written import block_written_at, written_at

CHARACTERS = st.sampled_from([*"ab (c)\\\"'\t\n\r#:-é", "\x85", "\u2028", "😀", "\x07", "  "])


@settings(max_examples=300, deadline=None)
@given(value=st.lists(CHARACTERS, max_size=30).map("".join),
       style=st.sampled_from(['"', "'", None]), width=st.sampled_from([10, 20, 80]),
       line_break=st.sampled_from(["\n", "\r\n", "\r"]))
def test_every_character_is_traced_to_its_text(value: str, style: str | None, width: int,
                                               line_break: str) -> None:
    text = yaml.dump({"k": value}, default_style=style, width=width, line_break=line_break)
    node = yaml.compose(text, Loader=yaml.SafeLoader).value[0][1]
    if node.style in ("|", ">"):
        return
    start, end = node.start_mark, node.end_mark
    written = text[start.pointer:end.pointer]
    lines = _yaml_lines(text)
    for offset, character in enumerate(node.value):
        found = written_at(written, node.style or "", node.value, offset)
        assert found is not None, (written, node.value)
        breaks, col = found
        at = lines[start.line + breaks][(start.column if breaks == 0 else 0) + col]
        assert at == character or (node.style == '"' and at == "\\") or (
            character in " \n\r\x85\u2028" and at in "\r\n\x85\u2028"), (written, offset)


@settings(max_examples=300, deadline=None)
@given(value=st.lists(st.sampled_from([*"ab(c)?", " ", "\n", "  x"]), min_size=1, max_size=40)
       .map("".join), style=st.sampled_from(["|", ">"]), width=st.sampled_from([10, 80]),
       indent=st.sampled_from([2, 4]))
def test_every_character_of_a_block_scalar_is_traced_to_its_text(value: str, style: str,
                                                                   width: int, indent: int) -> None:
    text = yaml.dump({"k": value}, default_style=style, width=width, indent=indent)
    node = yaml.compose(text, Loader=yaml.SafeLoader).value[0][1]
    if node.style != style:  # a value a block cannot hold is written otherwise
        return
    start, end = node.start_mark, node.end_mark
    first = text.find("\n", start.pointer) + 1
    lines = text[first:end.pointer].split("\n")
    for offset, character in enumerate(node.value):
        found = block_written_at(text[first:end.pointer], node.value, offset)
        assert found is not None, (text, offset)
        breaks, col = found
        line = lines[breaks]
        assert (line[col] == character if col < len(line) else character in "\n "), (text, offset)


def _yaml_lines(text: str) -> list[str]:
    """The text cut at YAML's line breaks, each line keeping its break."""
    lines, start, i = [], 0, 0
    while i < len(text):
        if text[i] in "\n\x85\u2028\u2029" or (text[i] == "\r" and text[i + 1:i + 2] != "\n"):
            lines.append(text[start:i + 1])
            start = i + 1
        i += 1
    return [*lines, text[start:]]
