"""Text normalisation: the fast forms give exactly what their regular-expression definitions give."""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from credscore.parse.normalize import fold_spaces, join_wrapped

WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
texts = st.text(alphabet=st.sampled_from("ab- \u00e9" + WHITESPACE), max_size=30)


@given(texts)
def test_fold_spaces_is_the_substitution(text: str) -> None:
    assert fold_spaces(text) == re.sub(r"\s+", " ", text)


def test_fold_spaces_keeps_one_space_at_the_edges() -> None:
    assert fold_spaces("\u00a0 a\t\nb  ") == " a b "
    assert fold_spaces("\u2003\u2028") == " "
    assert fold_spaces("") == ""


@given(st.lists(st.text(alphabet="ab- \n", max_size=8), min_size=1, max_size=4))
def test_join_wrapped_repairs_only_a_break_inside_a_word(lines: list[str]) -> None:
    joined = "\n".join(line.strip() for line in lines)
    assert join_wrapped(lines) == re.sub(r"(?<=[a-z])-\n(?=[a-z])", "-", joined)
