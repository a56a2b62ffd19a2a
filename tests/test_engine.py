from __future__ import annotations

import math
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credscore.engine.compile import compile_rubric
from credscore.engine.examples import example_document, run_examples
from credscore.engine.rows import FindingRow
from credscore.engine.score import (
    CONTEXT_CHARS,
    CONTEXT_WINDOW,
    ELLIPSIS,
    context_window,
    points_to_score,
    score,
    score_rows,
    summarize,
)
from credscore.models import Document, DocumentScore, Finding
from credscore.parse import parse, parse_text
from credscore.report.json import document_line
from credscore.rubric.load import load_rubric_text
from credscore.rubric.model import Scoring

RUBRIC = textwrap.dedent("""\
    id: test
    version: "1"
    name: Test rubric
    lexicons:
      animals: [mice, mouse, rats]
    criteria:
      - id: animals
        name: Animals in context
        description: d
        anchor: Sumner 2014
        weight: 2
        applies_when: {any_present: [animal]}
        scoring: {method: linear, base: 0.5, scale: 4}
        explanation: "{verdict}: {animal} animal mention(s), first {animal.first}; {fired}"
        signals:
          - id: animal
            lexicons: [animals]
          - id: caveat
            phrases: [may not apply to people]
            points: 2
          - id: claim_about_you
            phrases: [your bones]
            with: [animal]
            points: -1
        rules:
          - id: no_caveat
            when: {present: [animal], absent: [caveat]}
            points: -1
            explain: animal results without a caveat
      - id: hype
        name: No hype
        description: d
        anchor: HNR 10
        weight: 1
        zones: [title]
        scoring: {method: steps, steps: [{min_points: -100, score: 0}, {min_points: 0, score: 1}]}
        signals:
          - id: hype_word
            phrases: [miracle]
            points: -1
    """)


@pytest.fixture(scope="module")
def compiled():
    return compile_rubric(load_rubric_text(RUBRIC).rubric)


def run(compiled, text: str, title: str | None = None) -> DocumentScore:
    return score(parse(Document(id="t", source="t", format="text", content=text, title=title)),
                 compiled)


def test_not_applicable_is_null_and_left_out_of_total(compiled) -> None:
    result = run(compiled, "Running is good for people. It helps a lot.", title="Miracle run")
    animals, hype = result.criteria
    assert animals.score is None and animals.verdict == "not applicable"
    assert hype.score == 0.0  # the title says "miracle"
    assert result.score == 0.0  # only hype applies


def test_rule_fires_on_absence_and_points_add_up(compiled) -> None:
    result = run(compiled, "Study in mice shows your bones grow. Nothing else here.")
    animals = result.criteria[0]
    by_signal = {f.signal: f for f in animals.findings}
    assert set(by_signal) == {"animal", "claim_about_you", "no_caveat"}
    assert by_signal["no_caveat"].points == -1
    assert by_signal["claim_about_you"].points == -1
    assert animals.score == pytest.approx(0.5 + (-2) / 4)
    assert "1 animal mention(s), first \"mice\"" in animals.explanation
    assert "animal results without a caveat" in animals.explanation


def test_with_constraint_needs_the_same_sentence(compiled) -> None:
    result = run(compiled, "Mice were studied. Exercise is good for your bones. "
                 "It may not apply to people.")
    signals = [f.signal for f in result.criteria[0].findings]
    assert "claim_about_you" not in signals
    assert "no_caveat" not in signals
    assert result.criteria[0].score == pytest.approx(1.0)


def _hype_found(zones: str, words: str, helper: str, text: str) -> list[Finding]:
    """The hype_word findings in ``text`` when the test rubric's hype criterion reads ``zones``,
    finds ``words`` and is spared where the helper signal ``helper`` (its YAML: id, pattern)
    overlaps a hit (``within: hit``)."""
    hype = "      - id: hype_word\n        phrases: [miracle]\n        points: -1\n"
    assert hype in RUBRIC and "    zones: [title]\n" in RUBRIC
    helper_id = helper.split("\n", 1)[0]
    rubric = RUBRIC.replace("    zones: [title]\n", f"    zones: [{zones}]\n").replace(hype, (
        f"      - id: hype_word\n        phrases: [{words}]\n        points: -1\n"
        f"        without: [{helper_id}]\n        within: hit\n"
        f"      - id: {helper}\n        points: 0\n"))
    checked = compile_rubric(load_rubric_text(rubric).rubric)
    return [f for f in run(checked, text).criteria[1].findings if f.signal == "hype_word"]


def test_without_within_hit_spares_only_the_overlapped_hit() -> None:
    text = "It is no miracle, but a miracle and a breakthrough. No miracle here."
    found = _hype_found("body", "miracle, breakthrough",
                        "denied\n        pattern: '\\bno\\s+miracle'", text)
    # The denial spares the word it denies, not the rest of its sentence.
    assert [(f.text, f.start) for f in found] == [
        ("miracle", text.index("a miracle") + 2), ("breakthrough", text.index("breakthrough"))]


def test_without_within_hit_spares_a_hit_that_a_longer_hit_reaches_into() -> None:
    """A hit belongs to the sentence it starts in, but spares what it overlaps in the next: a
    quotation of two sentences called false covers the hype in both."""
    text = 'A post said: "It is a miracle. A miracle cure." That is false. A miracle, they say.'
    found = _hype_found("body, quote", "miracle",
                        "called_false\n        pattern: '\"[^\"]+\"\\s+That\\s+is\\s+false'",
                        text)
    assert [f.start for f in found] == [text.rindex("miracle")]


def test_points_taken_per_words_are_said_in_the_explanation() -> None:
    """A criterion with ``per_words`` scales the points of a longer article down and its
    explanation says by how much; a text within ``per_words`` is scored and explained as found."""
    rubric = RUBRIC.replace(
        "    zones: [title]\n"
        "    scoring: {method: steps, steps: [{min_points: -100, score: 0}, {min_points: 0, "
        "score: 1}]}\n",
        "    zones: [body]\n    scoring: {method: saturating, base: 1.0, scale: 1.0, per_words: 10}\n"
        "    explanation: \"{verdict}: {findings}.\"\n")
    assert "per_words: 10" in rubric
    checked = compile_rubric(load_rubric_text(rubric).rubric)
    short = run(checked, "A miracle in five words.").criteria[1]
    scored = run(checked, "A miracle, " + "and then some more words " * 7 + "at last.")
    long, words = scored.criteria[1], scored.words
    assert words == 2 + 5 * 7 + 2
    assert short.score == pytest.approx(math.exp(-1), abs=1e-4)
    assert "points are taken" not in short.explanation
    assert long.score == pytest.approx(math.exp(-10 / words), abs=1e-4)
    assert long.explanation.endswith(
        f"At {words} words the points are taken per 10 words: -1 counts as {-10 / words:+.2f}.")


def test_weighted_total(compiled) -> None:
    result = run(compiled, "Mice were studied. It may not apply to people.", title="Plain title")
    # animals: 0.5 + 2/4 = 1.0 (weight 2); hype: 1.0 (weight 1)
    assert result.score == 100.0
    assert result.grade == "A"


def test_findings_index_the_text(compiled) -> None:
    text = "Mice   ate. Rats ran, and your bones—says a mouse study—grew."
    doc = parse(Document(id="t", source="t", format="text", content=text))
    result = score(doc, compiled)
    for c in result.criteria:
        for f in c.findings:
            if f.end > f.start:
                assert doc.text[f.start:f.end] == f.text
                assert f.text in f.sentence


def test_saturating_scoring_bounds() -> None:
    s = Scoring(method="saturating", base=0.4, scale=2)
    assert points_to_score(0, s) == pytest.approx(0.4)
    assert 0.4 < points_to_score(1, s) < points_to_score(5, s) < 1
    assert 0 < points_to_score(-5, s) < points_to_score(-1, s) < 0.4


def test_summarize_orders_by_weight() -> None:
    assert summarize([]) == "nothing found"
    found = [FindingRow("quoted", "quote", 0, 9, '"We hope', "", 0.01),
             FindingRow("journal_named", "body", 20, 25, "Nature", "", 2.0),
             FindingRow("quoted", "quote", 30, 39, '"It works."', "", 0.01),
             FindingRow("vague_appeal", "body", 40, 52, "studies show", "", -3.0)]
    # strongest first; a quotation is shown in the summary's quotation marks, not in two pairs
    assert summarize(found) == ('vague appeal ("studies show") -3; journal named ("Nature") +2; '
                                'quoted ×2 ("We hope") +0.02')


def test_examples_run_against_the_signal(compiled) -> None:
    report = run_examples(compiled)
    assert report.total == 0 and report.failures == []
    doc = example_document("Mice ran. Rats slept.", "body")
    assert [doc.text[s.start:s.end] for s in doc.sentences] == ["Mice ran.", "Rats slept."]


def test_example_failures_are_reported() -> None:
    bad = RUBRIC.replace("        phrases: [miracle]\n",
                         "        phrases: [miracle]\n"
                         "        examples: {match: [a wonder drug], no_match: [a miracle]}\n")
    report = run_examples(compile_rubric(load_rubric_text(bad).rubric))
    assert report.total == 2
    assert len(report.failures) == 2
    assert "should match but does not: 'a wonder drug'" in report.failures[0]


RUN_ON = "in mice the drug may help your bones and researchers say it could "


def test_a_finding_in_a_long_sentence_quotes_a_bounded_window(compiled) -> None:
    result = run(compiled, "T\n\n" + RUN_ON * 400)
    findings = [f for c in result.criteria for f in c.findings if f.end > f.start]
    assert len(findings) > 400
    for f in findings:
        assert len(f.sentence) <= CONTEXT_CHARS + 2 * len(ELLIPSIS)
        assert f.text in f.sentence
        assert f.sentence.startswith(ELLIPSIS) or f.sentence.endswith(ELLIPSIS)


def test_a_short_sentence_is_quoted_whole(compiled) -> None:
    result = run(compiled, "Mice ate. Rats ran, and your bones grew in a mouse study.")
    quoted = {f.text: f.sentence for c in result.criteria for f in c.findings if f.text}
    assert quoted["Mice"] == "Mice ate."
    assert quoted["Rats"] == "Rats ran, and your bones grew in a mouse study."


def test_context_window_cuts_at_spaces_and_marks_the_cuts() -> None:
    text = " ".join(f"w{i:03d}" for i in range(200))  # 999 characters, words of 4
    start = text.index("w100")
    window = context_window(text, 0, len(text), start, start + 4)
    assert window.startswith(ELLIPSIS) and window.endswith(ELLIPSIS)
    inner = window[len(ELLIPSIS):-len(ELLIPSIS)]
    assert inner.split()[0].startswith("w") and len(inner.split()[0]) == 4  # whole words
    assert "w100" in inner and len(inner) <= CONTEXT_WINDOW * 2 + 4
    assert context_window(text, 0, len(text), 0, 4).startswith("w000")  # no cut, no mark
    # a hit longer than the window is quoted whole, and only it
    long = context_window(text, 0, len(text), start - 200, start + 300)
    assert long == ELLIPSIS + text[start - 200:start + 300] + ELLIPSIS
    # a hit shorter than that keeps the context within CONTEXT_CHARS, the hit whole
    mid = context_window(text, 0, len(text), start - 150, start + 150)
    assert text[start - 150:start + 150] in mid
    assert len(mid.strip(ELLIPSIS)) <= CONTEXT_CHARS


def test_output_grows_linearly_with_a_run_on_text(compiled) -> None:
    def size(reps: int) -> int:
        return len(document_line(run(compiled, "T\n\n" + RUN_ON * reps)))

    # Quoting whole sentences made this quadratic (each finding carried the whole text).
    assert size(800) < 2.2 * size(400)


def test_a_pattern_can_need_a_link_signal_in_its_sentence() -> None:
    """A pattern whose ``with`` names a signal on hyperlink targets is run, and counts where
    that link is in its sentence (link hits are found after the text's phrase hits)."""
    rubric = textwrap.dedent("""\
        id: links
        version: "1"
        name: Links
        criteria:
          - id: linked
            name: Linked finding
            description: d
            anchor: a
            weight: 1
            scoring: {method: linear, base: 0, scale: 1}
            signals:
              - id: doi_link
                match_in: links
                phrases: [doi.org]
                points: 0
              - id: finding
                pattern: '\\bfound\\b'
                with: [doi_link]
                points: 1
        """)
    compiled = compile_rubric(load_rubric_text(rubric).rubric)
    text = ("[The study](https://doi.org/10.1000/x) found less pain.\n\n"
            "A second trial found nothing.\n")
    result = score(parse(Document(id="t", source="t", format="markdown", content=text)), compiled)
    found = [(f.signal, f.text) for f in result.criteria[0].findings]
    assert found == [("doi_link", "The study"), ("finding", "found")]


def test_a_pattern_match_never_runs_from_one_paragraph_into_the_next() -> None:
    """As a phrase never does: "10 percent" ending one paragraph and "of patients" opening the
    next are not one finding, and a heading's last words do not join the text below it."""
    rubric = textwrap.dedent("""\
        id: paragraphs
        version: "1"
        name: Paragraphs
        criteria:
          - id: figures
            name: Figures
            description: d
            anchor: a
            weight: 1
            scoring: {method: linear, base: 0, scale: 2}
            signals:
              - id: share
                pattern: '\\d+\\s+percent\\s+of\\s+\\w+'
                points: 1
        """)
    compiled = compile_rubric(load_rubric_text(rubric).rubric)
    text = ("Side effects were seen in 10 percent\n\nof patients, the team said.\n\n"
            "Some 12 percent of adults stopped early.\n")
    result = score(parse(Document(id="t", source="t", format="text", content=text)), compiled)
    assert [f.text for f in result.criteria[0].findings] == ["12 percent of adults"]
    assert result.criteria[0].score == 0.5


def test_a_pattern_that_matches_everywhere_finds_a_bounded_number_of_hits() -> None:
    from credscore.engine.regex import MAX_SIGNAL_HITS

    rubric = textwrap.dedent("""\
        id: dot
        version: "1"
        name: Dot
        criteria:
          - id: any
            name: Any character
            description: d
            anchor: a
            weight: 1
            signals:
              - id: char
                pattern: '[a-z]'
                points: 1
                max_hits: 1
        """)
    compiled = compile_rubric(load_rubric_text(rubric).rubric)
    text = "\n\n".join(["Some words here and there."] * 2000)  # about 40,000 letters
    result = score(parse(Document(id="t", source="t", format="text", content=text)), compiled)
    findings = result.criteria[0].findings
    assert len(findings) == MAX_SIGNAL_HITS
    assert findings[0].start == 0 and [f.start for f in findings] == sorted(f.start for f in findings)


CEILING_RUBRIC = textwrap.dedent("""\
    id: ceiling
    version: "1"
    name: Ceiling rubric
    criteria:
      - id: evidence
        name: Evidence
        description: d
        anchor: a
        weight: 3
        scoring: {method: linear, base: 0, scale: 1}
        signals:
          - id: trial
            phrases: [randomised trial]
            points: 1
      - id: selling
        name: Selling
        description: d
        anchor: a
        weight: 1
        zones: [body, promo]
        scoring: {method: linear, base: 1, scale: 4}
        signals:
          - id: product
            phrases: [our formula]
            points: -1
          - id: buy
            phrases: [order now]
            points: -1
        rules:
          - id: sells
            when: {present: [product], any_present: [buy]}
            points: 0
            ceiling: 30
            explain: sells its own product
    """)


@pytest.fixture(scope="module")
def ceiling_compiled():
    return compile_rubric(load_rubric_text(CEILING_RUBRIC).rubric)


def test_a_rule_with_a_ceiling_holds_the_total_down(ceiling_compiled) -> None:
    text = "A randomised trial found it works.\n\nTry our formula. Order now."
    result = run(ceiling_compiled, text, title="A title")
    evidence, selling = result.criteria
    assert evidence.score == 1.0 and selling.score == 0.5
    # The weighted mean would be (3 * 1.0 + 1 * 0.5) / 4 = 87.5; the rule holds it at 30.
    assert result.score == 30.0 and result.grade == "E"
    assert "sells" in {f.signal for f in selling.findings}
    assert selling.explanation.endswith("It holds the article's score at 30 or below.")
    # The sentence follows a full stop whether or not the explanation ends with one.
    assert ". It holds" in selling.explanation and ".. It holds" not in selling.explanation


def test_a_ceiling_binds_only_when_its_rule_fires_and_never_raises(ceiling_compiled) -> None:
    pitch_only = run(ceiling_compiled, "Try our formula. It is good.", title="A title")  # no call to buy
    assert pitch_only.score == round(100 * (3 * 0 + 1 * 0.75) / 4, 1)
    assert "holds" not in pitch_only.criteria[1].explanation
    below = run(ceiling_compiled, "Try our formula. Order now.", title="A title")  # already under the ceiling
    assert below.score == round(100 * 0.5 / 4, 1)


def test_scoring_without_explaining_gives_the_same_numbers(ceiling_compiled) -> None:
    text = "A randomised trial found it works.\n\nTry our formula. Order now."
    parsed = parse_text(Document(id="t", source="t", format="text", content=text, title="A title"))
    full = score_rows(parsed, ceiling_compiled)
    lean = score_rows(parsed, ceiling_compiled, explain=False)
    assert (lean.score, lean.grade, lean.words) == (full.score, full.grade, full.words) == (
        30.0, "E", full.words)
    for a, b in zip(full.criteria, lean.criteria, strict=True):
        assert (a.score, a.verdict) == (b.score, b.verdict) and b.explanation == ""
        assert [(f.signal, f.zone, f.start, f.end, f.points) for f in a.findings] == [
            (f.signal, f.zone, f.start, f.end, f.points) for f in b.findings]
        assert all(f.text == f.sentence == "" for f in b.findings)


SHORT_RUBRIC = CEILING_RUBRIC.replace(
    "criteria:\n", "short_text: {words: 40, toward: 0.5}\ncriteria:\n", 1).replace(
    "scale: 4", "scale: 1")  # here one product named takes selling to 0


def test_a_short_texts_low_scores_are_raised_toward_the_middle_by_the_words_it_lacks() -> None:
    compiled = compile_rubric(load_rubric_text(SHORT_RUBRIC).rubric)
    short = run(compiled, "Coffee may help, a small study found.", title="A title")
    assert 0 < short.words < 40
    kept = short.words / 40
    evidence, selling = short.criteria
    # No trial: evidence would score 0, and keeps only its share of the distance below 0.5.
    # Nothing sold: selling's 1.0 is above the middle and stays.
    assert evidence.score == round(0.5 - 0.5 * kept, 4) and selling.score == 1.0
    # The verdict says what was found: a two-word text's raised 0.475 would be "mixed", the 0
    # it scored as found is "poor".
    tiny = run(compiled, "Coffee helps.")
    assert tiny.words == 2 and tiny.criteria[0].score == 0.475
    assert tiny.criteria[0].verdict == "poor"
    assert short.score == round(100 * (3 * (0.5 - 0.5 * kept) + 1.0) / 4, 1)
    assert evidence.explanation.endswith(
        f". At {short.words} words the text is too short to show what it leaves out: the score "
        f"is raised {100 * (1 - kept):.0f}% of the way to 50 of 100.")
    assert "too short" not in selling.explanation
    # The same numbers when nothing is explained (as CSV output scores).
    parsed = parse_text(Document(id="t", source="t", format="text",
                                 content="Coffee may help, a small study found.", title="A title"))
    lean = score_rows(parsed, compiled, explain=False)
    assert [(c.score, c.verdict) for c in lean.criteria] == [
        (c.score, c.verdict) for c in short.criteria] and lean.score == short.score
    # A text of 40 words or more is scored as found; at 39 it is still raised.
    text = "Coffee may help, a small study found. " + "The sun rose. " * 10
    assert run(compiled, text, title="A title").criteria[0].score == round(0.5 * 1 / 40, 4)
    long = run(compiled, text + "Rain.", title="A title")
    assert long.words == 40
    assert [c.score for c in long.criteria] == [0.0, 1.0]
    assert "too short" not in long.criteria[0].explanation


def test_a_short_text_caught_at_a_fault_keeps_that_criterions_score() -> None:
    compiled = compile_rubric(load_rubric_text(SHORT_RUBRIC).rubric)
    result = run(compiled, "Coffee may help.\n\nTry our formula.", title="A title")
    evidence, selling = result.criteria
    assert result.words < 40
    assert 0 < evidence.score < 0.5 and "raised" in evidence.explanation  # an absence
    assert selling.score == 0.0 and "too short" not in selling.explanation  # a fault found


ABSENCE_RUBRIC = textwrap.dedent("""\
    id: absence
    version: "1"
    name: Absence rubric
    short_text: {words: 40}
    criteria:
      - id: design
        name: Design
        description: d
        anchor: a
        weight: 1
        scoring: {method: linear, base: 0.3, scale: 1}
        signals:
          - id: size
            phrases: [adults]
            points: 0
          - id: limits
            phrases: [was small]
            points: 0.5
          - id: hype
            phrases: [miracle]
            points: -0.3
        rules:
          - id: size_without_limits
            when: {present: [size], absent: [limits]}
            points: -0.2
            explain: a size but no limits
          - id: hyped_size
            when: {present: [size, hype]}
            points: -0.1
            explain: a size hyped
    """)


def test_a_rule_about_what_is_absent_is_no_fault_caught_even_where_it_points_at_text() -> None:
    """A short text that says more (a sample size) is not judged as caught by a rule about what
    it left out (the limits), so saying it is no worse than saying nothing; a penalised signal,
    or a penalising rule about what it said, is a fault caught."""
    compiled = compile_rubric(load_rubric_text(ABSENCE_RUBRIC).rubric)
    said_less = run(compiled, "A study was done.", title="Study")
    said_more = run(compiled, "A study of 200 adults was done.", title="Study")
    assert "size_without_limits" in {f.signal for f in said_more.criteria[0].findings}
    assert said_more.criteria[0].score > 0.3 and "raised" in said_more.criteria[0].explanation
    assert said_less.criteria[0].score > 0.3
    hyped = run(compiled, "A miracle study of 200 adults was done.", title="Study")
    assert hyped.criteria[0].score == 0.0  # 0.3 - 0.3 - 0.2 - 0.1, clipped at 0: not raised
    assert "too short" not in hyped.criteria[0].explanation


def test_a_fault_of_a_forfeiting_criterion_forfeits_every_raise() -> None:
    rubric = SHORT_RUBRIC.replace("{words: 40, toward: 0.5}",
                                  "{words: 40, toward: 0.5, forfeited_by: [selling]}")
    compiled = compile_rubric(load_rubric_text(rubric).rubric)
    clean = run(compiled, "Coffee may help.", title="A title")
    assert 0 < clean.criteria[0].score < 0.5  # raised: nothing sold
    selling = run(compiled, "Coffee may help.\n\nTry our formula.", title="A title")
    assert selling.criteria[0].score == 0.0 and "too short" not in selling.criteria[0].explanation
    assert selling.criteria[1].score == 0.0
    # A criterion that names an unknown one is refused where it is written.
    from credscore.rubric.load import RubricError

    with pytest.raises(RubricError) as info:
        load_rubric_text(rubric.replace("forfeited_by: [selling]", "forfeited_by: [seling]"),
                         "r.yaml")
    assert "r.yaml:4:" in str(info.value) and "did you mean 'selling'" in str(info.value)


def test_so_little_text_that_it_is_no_article_is_raised_less() -> None:
    rubric = SHORT_RUBRIC.replace("{words: 40, toward: 0.5}", "{words: 40, toward: 0.5, min_words: 20}")
    compiled = compile_rubric(load_rubric_text(rubric).rubric)
    result = run(compiled, "Coffee may help.", title="A title")
    assert 0 < result.words < 20
    share = (1 - result.words / 40) * result.words / 20
    assert result.criteria[0].score == round(0.5 * share, 4)
    assert f"raised {100 * share:.0f}% of the way" in result.criteria[0].explanation
    # No words of its own at all: nothing is raised.
    empty = run(compiled, "Copyright 2024 Example News. All rights reserved.\n\n"
                          "Privacy policy | Terms of use")
    assert empty.words == 0 and empty.criteria[0].score == 0.0
    assert "too short" not in empty.criteria[0].explanation


def test_a_ceiling_still_holds_a_short_text_that_sells() -> None:
    compiled = compile_rubric(load_rubric_text(SHORT_RUBRIC.replace("scale: 1", "scale: 4")).rubric)
    result = run(compiled, "Coffee may help.\n\nTry our formula. Order now.", title="A title")
    evidence, selling = result.criteria
    assert result.words < 40 and 0 < evidence.score < 0.5 and "raised" in evidence.explanation
    # The weighted mean of the raised scores is above 30; the rule still holds it there.
    assert (3 * evidence.score + selling.score) / 4 > 0.3
    assert result.score == 30.0
    assert selling.explanation.endswith("It holds the article's score at 30 or below.")


def test_a_short_text_setting_out_of_range_is_refused_where_it_is_written() -> None:
    from credscore.rubric.load import RubricError

    for wrong in ("{words: 0}", "{words: 40, toward: 1.5}", "{words: 40, min_words: 50}"):
        with pytest.raises(RubricError) as info:
            load_rubric_text(SHORT_RUBRIC.replace("{words: 40, toward: 0.5}", wrong), "r.yaml")
        assert "r.yaml:4:" in str(info.value) and "short_text" in str(info.value)


def test_a_ceiling_outside_0_to_100_is_refused() -> None:
    from credscore.rubric.load import RubricError

    with pytest.raises(RubricError) as info:
        load_rubric_text(CEILING_RUBRIC.replace("ceiling: 30", "ceiling: 130"), "r.yaml")
    assert "r.yaml:" in str(info.value) and "ceiling" in str(info.value)


def test_a_pattern_that_needs_a_phrase_signal_may_run_into_the_next_sentence() -> None:
    """A pattern whose ``with`` names a phrase signal finds what the same pattern finds when its
    ``with`` names a pattern signal: a hit that starts in a sentence holding the phrase and runs
    on into the next sentence of the zones it reads."""
    rubric = textwrap.dedent("""\
        id: runs
        version: "1"
        name: Runs
        criteria:
          - id: animals
            name: Animals
            description: d
            anchor: a
            weight: 1
            signals:
              - id: mice
                phrases: [mice]
              - id: mice_pattern
                pattern: 'mice'
              - id: needs_phrase
                points: 1
                pattern: 'worked\\. In'
                with: [mice]
              - id: needs_pattern
                points: 1
                pattern: 'worked\\. In'
                with: [mice_pattern]
        """)
    compiled = compile_rubric(load_rubric_text(rubric).rubric)
    result = run(compiled, "In mice it worked. In people it did not.\n\nIt worked. In rats too.")
    found = [(f.signal, f.text) for f in result.criteria[0].findings
             if f.signal.startswith("needs")]
    assert found == [("needs_phrase", "worked. In"), ("needs_pattern", "worked. In")]


@pytest.mark.parametrize("matcher", ["pattern: 'doi\\.org/'", "phrases: [doi.org]"])
def test_examples_of_a_signal_on_link_targets_are_link_targets(matcher: str) -> None:
    """An example of a signal with ``match_in: links`` is a hyperlink to the example: its
    ``match`` examples can pass and its ``no_match`` examples can fail."""
    rubric = textwrap.dedent(f"""\
        id: links
        version: "1"
        name: Links
        criteria:
          - id: linked
            name: Linked
            description: d
            anchor: a
            weight: 1
            signals:
              - id: doi_link
                match_in: links
                {matcher}
                points: 1
                examples:
                  match: ['https://doi.org/10.1000/x']
                  no_match: ['https://example.com/doi', 'https://doi.org/10.1000/y']
        """)
    report = run_examples(compile_rubric(load_rubric_text(rubric).rubric))
    assert report.total == 3
    assert report.failures == [
        "linked.doi_link: should not match but does: 'https://doi.org/10.1000/y'"]


def test_ranges_of_chosen_sentences_walk_each_sentence_once() -> None:
    """The ranges where a pattern that needs phrase signals is looked for are the chosen
    sentences, each run on up to MAX_HIT past its end (within the zones read and its paragraph,
    where a match ends), as a walk from
    every chosen sentence gives them; and the sentences are walked once, not once for every
    chosen sentence within MAX_HIT before them (200,000 steps here, not about 20 million)."""
    import random

    from credscore.engine.match import SentenceIndex
    from credscore.engine.regex import MAX_HIT

    def walked(index: SentenceIndex, zones: frozenset[str], chosen: set[int],
               ) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        starts, ends, zone_of, block_of = index.starts, index.ends, index.zones, index.block_of
        for i in sorted(chosen):
            if zone_of[i] not in zones:
                continue
            end, j = ends[i], i + 1
            while (j < len(starts) and zone_of[j] in zones and block_of[j] == block_of[i]
                   and end < ends[i] + MAX_HIT):
                end, j = ends[j], j + 1
            if out and starts[i] <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((starts[i], end))
        return out

    rnd = random.Random(7)
    sentence = ["Mice did well.", "In rats it failed, the team said in a statement today.",
                "“Nothing,” he said.", "Ok." * 40]
    for _ in range(30):
        text = "\n\n".join(" ".join(rnd.choice(sentence) for _ in range(rnd.randint(1, 30)))
                           for _ in range(rnd.randint(1, 30)))
        index = SentenceIndex(parse(Document(id="t", source="t", format="text", content=text)))
        chosen = {i for i in range(len(index.starts)) if rnd.random() < 0.4}
        for zones in (frozenset({"body"}), frozenset({"body", "quote", "title"})):
            assert index.ranges(zones, chosen) == walked(index, zones, chosen)

    index = SentenceIndex(parse(Document(id="t", source="t", format="text",
                                         content="Mice ok. " * 200_000)))
    ends = index.ends
    steps = 0

    class Counted(list[int]):
        def __getitem__(self, i):  # type: ignore[no-untyped-def, override]
            nonlocal steps
            steps += 1
            return super().__getitem__(i)

    index.ends = Counted(ends)
    index.ranges(frozenset({"body"}), set(range(len(ends))))
    assert steps < 10 * len(ends)


HELPER_RUBRIC = textwrap.dedent("""\
    id: helper
    version: "1"
    name: Helper rubric
    criteria:
      - id: sources
        name: Sources
        description: d
        anchor: JAMA benchmarks
        weight: 1
        scoring: {method: linear, base: 0.5, scale: 4}
        signals:
          - id: journal
            phrases: [the journal]
            points: 1
          - id: said
            phrases: [said]
    """)


def test_explanation_leaves_out_signals_of_no_points() -> None:
    """A signal of no points (a helper another signal's with/without reads) moves no number:
    the explanation names what did, and the findings still hold every hit."""
    helper = compile_rubric(load_rubric_text(HELPER_RUBRIC).rubric)
    both = run(helper, "It ran in the journal, she said. He said so too.").criteria[0]
    assert both.explanation.endswith('journal ("the journal") +1')
    assert "said" not in both.explanation
    assert [f.signal for f in both.findings] == ["journal", "said", "said"]
    only = run(helper, "She said so. He said so too.").criteria[0]
    assert only.explanation.endswith(": no finding with points")
    assert [f.signal for f in only.findings] == ["said", "said"]
    none = run(helper, "Nothing here at all.").criteria[0]
    assert none.explanation.endswith(": nothing found") and not none.findings


QUIET_RUBRIC = textwrap.dedent("""\
    id: quiet
    version: "1"
    name: Quiet helper
    criteria:
      - id: sources
        name: Sources named
        description: d
        anchor: a
        weight: 1
        applies_when: {any_present: [topic]}
        not_applicable: Not applicable - not about health.
        scoring: {method: linear, base: 0.5, scale: 4}
        signals:
          - id: topic
            quiet: true
            phrases: [health, patients]
          - id: journal
            phrases: [journal]
            points: 1
          - id: with_topic
            phrases: [study]
            with: [topic]
            points: 0.5
    """)


def test_a_quiet_signal_makes_its_criterion_apply_without_a_finding_of_its_own() -> None:
    compiled = compile_rubric(load_rubric_text(QUIET_RUBRIC).rubric)
    (sources,) = run(compiled, "The health study of 40 patients was in a journal.").criteria
    assert sources.score == pytest.approx(0.5 + 1.5 / 4)
    assert [f.signal for f in sources.findings] == ["with_topic", "journal"]
    assert "no finding with points" not in sources.explanation
    (off,) = run(compiled, "The team won the final in a journal-worthy game.").criteria
    assert off.score is None and off.explanation == "Not applicable - not about health."
    (bare,) = run(compiled, "Health matters to everyone, every day of the year.").criteria
    assert not bare.findings and bare.explanation.endswith("nothing found")


def test_min_hits_makes_a_criterion_apply_only_where_its_signals_have_that_many_hits() -> None:
    text = QUIET_RUBRIC.replace("applies_when: {any_present: [topic]}",
                                "applies_when: {any_present: [topic, journal], min_hits: 3}")
    compiled = compile_rubric(load_rubric_text(text).rubric)
    (two,) = run(compiled, "Health, they said, is what patients want most.").criteria
    assert two.score is None  # two hits of the topic
    (three,) = run(compiled, "Health, they said, is what patients want. Health first.").criteria
    assert three.score is not None
    (mixed,) = run(compiled, "The health of patients, a journal said.").criteria
    assert mixed.score is not None  # the hits of any_present's signals count together
    (overlapping,) = run(compile_rubric(load_rubric_text(text.replace(
        "phrases: [health, patients]", "phrases: [health, health care, care]")).rubric),
        "Health care, they said, is what we need.").criteria
    assert overlapping.score is None  # 'health care' overlaps 'health' and 'care': one hit
    (twice,) = run(compile_rubric(load_rubric_text(text.replace(
        "phrases: [journal]", "phrases: [journal, health]")).rubric),
        "Health, health: it is what we want.").criteria
    assert twice.score is None  # a word two signals find counts once


def test_min_hits_counts_only_hits_in_the_zones_the_signal_reads() -> None:
    # Hits in the reader comments, which the criterion does not read, are no part of them.
    text = QUIET_RUBRIC.replace("applies_when: {any_present: [topic]}",
                                "applies_when: {any_present: [topic], min_hits: 3}")
    compiled = compile_rubric(load_rubric_text(text).rubric)
    article = ["Walking and health", "Health, the study said, is wealth.",
               "Another paragraph of the article on walking every day.",
               "A third paragraph that says what the trial found in walkers.",
               "Comments", "Jane says:", "Health health health matters to patients."]
    (commented,) = run(compiled, "\n\n".join(article)).criteria
    assert commented.score is None  # two in the article, four in the comments
    (spoken,) = run(compiled, "\n\n".join([*article[:3], "Patients come first."])).criteria
    assert spoken.score is not None


def test_applies_when_lists_conditions_of_which_any_makes_the_criterion_apply() -> None:
    text = QUIET_RUBRIC.replace(
        "applies_when: {any_present: [topic]}",
        "applies_when:\n      - {any_present: [journal]}\n"
        "      - {any_present: [topic], min_hits: 3}")
    compiled = compile_rubric(load_rubric_text(text).rubric)
    (cited,) = run(compiled, "It was in a journal.").criteria
    assert cited.score is not None  # the first condition
    (talked,) = run(compiled, "Health, patients and health again.").criteria
    assert talked.score is not None  # the second
    (neither,) = run(compiled, "Health matters to patients.").criteria
    assert neither.score is None


def test_min_hits_counts_in_a_rule_too_and_needs_signals_to_count() -> None:
    from credscore.rubric.load import RubricError

    text = QUIET_RUBRIC.replace(
        "    signals:",
        "    rules:\n      - id: much_journal\n        when: {any_present: [journal], min_hits: 2}\n"
        "        points: 1\n    signals:", 1)
    compiled = compile_rubric(load_rubric_text(text).rubric)
    (once,) = run(compiled, "A health study was in a journal.").criteria
    (twice,) = run(compiled, "A health study was in a journal, and in another journal.").criteria
    assert "much_journal" not in [f.signal for f in once.findings]
    assert "much_journal" in [f.signal for f in twice.findings]
    with pytest.raises(RubricError, match="min_hits counts the hits of any_present"):
        load_rubric_text(text.replace("when: {any_present: [journal], min_hits: 2}",
                                      "when: {absent: [journal], min_hits: 2}"))


def test_a_quiet_signal_with_points_is_refused() -> None:
    from credscore.rubric.load import RubricError

    text = QUIET_RUBRIC.replace("quiet: true", "quiet: true\n        points: 1")
    with pytest.raises(RubricError, match="quiet signal"):
        load_rubric_text(text)


def test_a_quiet_signal_with_a_constraint_of_its_own_is_read_whole() -> None:
    """Only a quiet signal that nothing constrains is read for one hit: one whose own
    ``without`` passes over its first hit must still find the next (scoring and the rubric's
    examples then agree), and an explanation that counts it counts every hit."""
    text = QUIET_RUBRIC.replace(
        "            phrases: [health, patients]\n",
        "            phrases: [health, patients]\n            without: [denial]\n"
        "            within: hit\n          - id: denial\n            phrases: [no health]\n")
    compiled = compile_rubric(load_rubric_text(text).rubric)
    (sources,) = run(compiled, "No health claims are made, but the health of 40 people "
                               "improved.").criteria
    assert sources.score is not None
    counting = QUIET_RUBRIC.replace(
        "    signals:", '    explanation: "{verdict}: topic {topic}, first {topic.first}"\n'
        "    signals:", 1)
    compiled = compile_rubric(load_rubric_text(counting).rubric)
    (counted,) = run(compiled, "Health, health and more health for all.").criteria
    assert 'topic 3, first "Health"' in counted.explanation


# QUIET_RUBRIC with its topic counted (min_hits 2) and read by nothing else: no signal's
# ``with`` names it.
COUNTED_RUBRIC = QUIET_RUBRIC.replace(
    "applies_when: {any_present: [topic]}", "applies_when: {any_present: [topic], min_hits: 2}",
).replace(
    "phrases: [health, patients]",
    "phrases: [heart, disease, heart disease, health, care, health care, heart and care home]",
).replace("      - id: with_topic\n        phrases: [study]\n        with: [topic]\n"
          "        points: 0.5\n", "")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["heart", "disease", "health", "care", "and", "home", "the",
                                 "journal", "walks", "."]), max_size=40))
def test_min_hits_counts_alike_whether_scoring_reads_a_helper_for_it_alone_or_whole(
        words: list[str]) -> None:
    # Read for applies_when alone, a helper's hits are read until enough are sure to count;
    # named by a rule too, every one is read. The criterion applies to the same texts, though a
    # hit that ends later ("heart and care home") may swallow ones counted before it.
    alone = compile_rubric(load_rubric_text(COUNTED_RUBRIC).rubric)
    named = COUNTED_RUBRIC.replace(
        "    signals:\n",
        "    rules:\n      - {id: any_topic, when: {present: [topic]}, points: 0}\n    signals:\n")
    assert named != COUNTED_RUBRIC
    whole = compile_rubric(load_rubric_text(named).rubric)
    assert alone.plans[0].counted_only and not whole.plans[0].counted_only
    for text in ("Walking study. " + " ".join(words) + " walks.",
                 "Walking study. heart and care home walks.",
                 "Walking study. health heart and care home walks."):
        (a,) = run(alone, text).criteria
        (b,) = run(whole, text).criteria
        assert (a.score is None) == (b.score is None), text


@pytest.fixture(scope="module")
def default_compiled():
    from credscore.rubric.load import load_rubric
    return compile_rubric(load_rubric().rubric)


PARAGRAPH_PIECES = [
    "In a randomized trial of 412 adults, ", "mice given the drug lived longer. ",
    "Smith et al. reported in the Journal of Medicine that ", "the cure works, ",
    "\"This is a breakthrough,\" said Dr. Ann Lee, who was not involved. ",
    "But the study was small and funded by the maker. ", "It costs $40 a month. ",
    "Studies show the remedy heals naturally! ", "Buy now and get 50% off. ",
    "word " * 150, "Café é 😀 — ", "However, experts caution that ",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PARAGRAPH_PIECES), min_size=1, max_size=10)
                .map("".join), min_size=1, max_size=10))
def test_searching_only_where_the_prefilter_allows_finds_the_same(default_compiled,
                                                                   paragraphs: list[str]) -> None:
    """Patterns are searched only in the paragraphs whose text holds the strings they need:
    every finding is as a search of every paragraph gives."""
    import credscore.engine.score as engine_score

    doc = parse_text(Document(id="p", source="p", format="text",
                              content="\n\n".join(["A headline for the test", *paragraphs])))
    everywhere = default_compiled.patterns.candidates
    filtered = score_rows(doc, default_compiled)
    original = engine_score.rubric_patterns_present
    engine_score.rubric_patterns_present = lambda compiled, index: {
        i: [(0, len(index.data))] for i in everywhere(index.data)}
    try:
        unfiltered = score_rows(doc, default_compiled)
    finally:
        engine_score.rubric_patterns_present = original
    assert filtered == unfiltered
