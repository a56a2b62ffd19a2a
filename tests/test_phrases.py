"""The one-pass phrase matcher against the phrase syntax read literally: tokens compared one by
one, whitespace between tokens free within a paragraph, never across a paragraph break."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from credscore.engine.phrases import PhraseMatcher, lowered_text, phrase_tokens

TOKEN = re.compile(r"\w+|[^\w\s]")
PHRASES = ["new study", "study", "stud*", "peer-reviewed", "u.s.", "e.g.", "© 20*", "new stud*",
           "study shows", "mice", "in mice", "(mice)"]


def find(phrases: list[str], text: str, case_sensitive: bool = False) -> list[tuple[int, int]]:
    matcher = PhraseMatcher()
    matcher.add(phrases, "k", case_sensitive)
    return sorted({(s, e) for s, e, _ in matcher.find(text, lowered_text(text))})


def reference(phrases: list[str], text: str) -> list[tuple[int, int]]:
    """Every place where a phrase's tokens are the text's tokens of one paragraph, case folded."""
    spans = [m.span() for m in TOKEN.finditer(text)]
    toks = [text[a:b].lower() for a, b in spans]
    paragraph = [text.count("\n\n", 0, a) for a, _ in spans]
    out = set()
    for phrase in phrases:
        want, prefix = phrase_tokens(phrase, fold=True)
        k = len(want)
        for i in range(len(toks) - k + 1):
            got = toks[i:i + k]
            if paragraph[i] == paragraph[i + k - 1] and got[:-1] == list(want[:-1]) and (
                    got[-1].startswith(want[-1]) if prefix else got[-1] == want[-1]):
                out.add((spans[i][0], spans[i + k - 1][1]))
    return sorted(out)


def test_whole_words_and_free_whitespace_within_a_paragraph() -> None:
    text = "A new study shows: studies in the U. S. (mice) renewed"
    assert [text[a:b] for a, b in find(["new study", "stud*", "u.s.", "(mice)", "new"], text)] == [
        "new", "new study", "study", "studies", "U. S.", "(mice)"]


def test_a_phrase_never_spans_a_paragraph_break() -> None:
    text = "Should you buy\n\nNow that the trial is out, buy now."
    assert [text[a:b] for a, b in find(["buy now"], text)] == ["buy now"]


def test_case_sensitive_phrases_keep_case() -> None:
    assert find(["NIH"], "the NIH and the nih", case_sensitive=True) == [(4, 7)]


def test_letters_whose_lower_case_is_longer_keep_offsets() -> None:
    text = "İstanbul mice"
    assert [text[a:b] for a, b in find(["mice"], text)] == ["mice"]


# Texts as the parser leaves them: one space between words in a paragraph, a blank line between
# paragraphs, punctuation with or without a space around it.
WORDS = st.sampled_from(["new", "New", "study", "studies", "shows", "peer", "reviewed", "u", "s",
                         "e", "g", "mice", "in", "20", "2024", "renew"])
MARKS = st.sampled_from(["-", ".", "©", "(", ")", ":"])


@st.composite
def parsed_texts(draw: st.DrawFn) -> str:
    out = ""
    for _ in range(draw(st.integers(0, 14))):
        token = draw(st.one_of(WORDS, MARKS))
        if out:
            word_pair = out[-1].isalnum() and token[0].isalnum()
            gaps = [" ", "\n\n"] if word_pair else ["", " ", "\n\n"]
            out += draw(st.sampled_from(gaps))
        out += token
    return out


@settings(max_examples=400, deadline=None)
@given(parsed_texts())
def test_same_hits_as_token_by_token(text: str) -> None:
    assert find(PHRASES, text) == reference(PHRASES, text)


def test_the_spellings_of_a_phrase_are_capped() -> None:
    from credscore.engine.phrases import MAX_SPELLINGS, spellings

    tokens = tuple(".".join("abcdefghij"))  # a, ., b, ., ...: two spellings per gap
    kept = spellings(tokens)
    assert len(kept) == MAX_SPELLINGS == len(set(kept))
    assert "a.b.c.d.e.f.g.h.i.j" in kept and not any("\n" in k for k in kept)
    assert spellings(("new", "study")) == ("new study",)


def test_phrases_are_normalised_like_the_text() -> None:
    """The parser straightens curly quotes and applies NFKC to the text; a phrase written (or
    pasted) with them finds the text it was copied from."""
    from credscore.parse.normalize import normalize_inline

    text = normalize_inline("It won\u2019t work: \u201cmiracle\u201d \ufb01sh oil, cafe\u0301.")
    phrases = ["won\u2019t work", "\u201cmiracle\u201d", "\ufb01sh oil", "cafe\u0301"]
    assert [text[a:b] for a, b in find(phrases, text)] == [
        "won't work", '"miracle"', "fish oil", "caf\u00e9"]
