"""Reports: article text is cut into marked segments in one sweep, exactly as the direct
definition cuts it; a run that scored nothing gives a well-formed Markdown report; the Markdown
evaluation lists the largest rank disagreements as the table and JSON formats do."""

from __future__ import annotations

import html
import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from credscore.cli import app
from credscore.evaluate.compare import Evaluation, OverallAgreement, RatingDisagreement, evaluate
from credscore.models import CriterionScore, DocumentScore, Finding, ParsedDocument, ReadError, RubricRef
from credscore.report import view
from credscore.report.evaluation import evaluation_markdown
from credscore.report.markdown import md_escape, render_markdown
from credscore.report.view import CriterionInfo, Mark, Segment, article_view, criterion_infos, segments_of
from credscore.rubric.load import load_rubric

from .test_evaluate import RUBRIC

runner = CliRunner()
REF = RubricRef(id="r", version="1", sha256="0" * 64)


def reference_segments(text: str, start: int, end: int,
                       marks: list[tuple[int, int, Mark]]) -> list[Segment]:
    """The direct definition: every piece between two boundaries, with every mark that spans it
    (a scan of all marks per piece)."""
    inside = [(max(s, start), min(e, end), m) for s, e, m in marks if s < end and e > start]
    cuts = sorted({start, end, *(s for s, _, _ in inside), *(e for _, e, _ in inside)})
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        if a == b:
            continue
        covering = [m for s, e, m in inside if s <= a and b <= e]
        out.append(Segment(text[a:b], b, covering))
    return out


def _mark(number: int, start: int, end: int, points: float = 1.0) -> Mark:
    info = CriterionInfo(number, f"c{number}", f"C{number}", 1.0, "#E69F00")
    return Mark(info, Finding(signal="s", zone="body", start=start, end=end, text="", sentence="",
                              points=points))


def _shape(segments: list[Segment]) -> list[tuple[str, int, list[int]]]:
    """Segments as plain values, each mark named by its identity (equal marks stay apart)."""
    return [(s.text, s.end, [id(m) for m in s.marks]) for s in segments]


spans = st.tuples(st.integers(-5, 45), st.integers(-5, 45))


@settings(max_examples=400, deadline=None)
@given(spans=st.lists(spans, max_size=25), block=spans, in_order=st.booleans())
def test_segments_are_those_of_the_direct_definition(spans: list[tuple[int, int]],
                                                     block: tuple[int, int], in_order: bool) -> None:
    text = "".join(chr(ord("a") + i % 26) for i in range(40))
    marks = [(s, e, _mark(i % 5 + 1, s, e)) for i, (s, e) in enumerate(spans)]
    if in_order:
        marks.sort(key=lambda m: (m[0], m[1], m[2].criterion.number))
    start, end = block
    got = segments_of(text, start, end, marks)
    assert _shape(got) == _shape(reference_segments(text, start, end, marks))
    assert [(s.lead, s.closes) for s in got] == [
        (s.lead, s.closes) for s in reference_segments(text, start, end, marks)]


def test_seed_articles_are_cut_as_the_direct_definition_cuts_them(
        seed_docs: dict[str, ParsedDocument], seed_scores: dict[str, DocumentScore],
        monkeypatch: pytest.MonkeyPatch) -> None:
    infos = criterion_infos(list(seed_scores.values()))
    for key, doc in seed_scores.items():
        swept = article_view(1, doc, seed_docs[key], infos).blocks
        with monkeypatch.context() as patched:
            patched.setattr(view, "segments_of", reference_segments)
            direct = article_view(1, doc, seed_docs[key], infos).blocks
        assert [b.zone for b in swept] == [b.zone for b in direct]
        for ours, theirs in zip(swept, direct, strict=True):
            assert [(s.text, s.end, s.marks) for s in ours.segments] == [
                (s.text, s.end, s.marks) for s in theirs.segments]


def test_the_html_report_marks_one_article_at_a_time_as_it_writes(
        seed_docs: dict[str, ParsedDocument], seed_scores: dict[str, DocumentScore],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The page is made piece by piece: nothing of an article's marked text is made before the
    page starts, and each article's text is made once, for its own section; the pieces are the
    page render_html makes."""
    from credscore.report.html import html_pieces, render_html

    made: list[str] = []
    cut = view.segments_of

    def counted(text: str, start: int, end: int, marks: list) -> list[Segment]:  # type: ignore[type-arg]
        made.append(text)
        return cut(text, start, end, marks)

    results = [(seed_scores[k], seed_docs[k]) for k in sorted(seed_scores)]
    whole = render_html(results, REF, "R", [])
    monkeypatch.setattr(view, "segments_of", counted)
    pieces = html_pieces(results, REF, "R", [])
    first = next(pieces)
    assert first.startswith("<!DOCTYPE html>") and made == []
    page = first + "".join(pieces)
    assert page == whole
    assert len(made) == sum(len(seed_docs[k].blocks) for k in seed_scores)


class Offset(int):
    """An offset that counts how often it is ordered against another."""

    compared = 0

    def _count(self) -> None:
        Offset.compared += 1

    def __lt__(self, other: object) -> bool:
        self._count()
        return int(self) < other  # type: ignore[operator]

    def __le__(self, other: object) -> bool:
        self._count()
        return int(self) <= other  # type: ignore[operator]

    def __gt__(self, other: object) -> bool:
        self._count()
        return int(self) > other  # type: ignore[operator]

    def __ge__(self, other: object) -> bool:
        self._count()
        return int(self) >= other  # type: ignore[operator]

    __hash__ = int.__hash__


def test_cutting_grows_with_the_marks_not_with_marks_times_pieces() -> None:
    # 2000 marks, one every five characters with a few overlapping: scanning every mark for
    # each of the ~4000 pieces would order offsets millions of times; a sweep needs a sort.
    n = 2000
    text = "x" * (5 * n + 10)
    marks = [(Offset(5 * i), Offset(5 * i + (3 if i % 7 else 12)), _mark(1, 5 * i, 5 * i + 3))
             for i in range(n)]
    Offset.compared = 0
    segments = segments_of(text, 0, len(text), marks)
    assert "".join(s.text for s in segments) == text
    assert sum(len(s.marks) for s in segments) >= n
    assert Offset.compared < 40 * n


def test_the_markdown_report_does_not_cut_article_text(
        seed_docs: dict[str, ParsedDocument], seed_scores: dict[str, DocumentScore],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> list[Segment]:
        raise AssertionError("the Markdown report shows no highlighted text")

    monkeypatch.setattr(view, "segments_of", refuse)
    results = [(seed_scores[k], seed_docs[k]) for k in sorted(seed_scores)]
    md = render_markdown(results, REF, "R", [])
    assert md.count("**What raised it:**") == len(results)


def _tables_are_well_formed(md: str) -> None:
    """Every Markdown table's header, separator and rows have the same number of cells."""
    for chunk in re.split(r"\n(?!\|)", md):
        table = [line for line in chunk.splitlines() if line.startswith("|")]
        assert len({len(re.findall(r"(?<!\\)\|", line)) for line in table}) <= 1, chunk


def test_an_empty_run_gives_a_well_formed_markdown_report() -> None:
    md = render_markdown([], REF, "R", [])
    assert "No article was scored." in md
    assert "|" not in md and "Criteria:" not in md and "## Ranking" not in md
    failed = render_markdown([], REF, "R", [ReadError(path="a.txt", error="not UTF-8 text")])
    assert "No article was scored." in failed and "## Not scored\n\n- a.txt: not UTF-8 text" in failed


def test_an_empty_run_gives_an_html_report_that_says_so() -> None:
    from credscore.report.html import render_html

    assert "<p>No article was scored.</p>" in render_html([], REF, "R", [])
    failed = render_html([], REF, "R", [ReadError(path="a.txt", error="not UTF-8 text")])
    assert "No article was scored: none of the inputs could be read (see below)." in failed
    assert "not UTF-8 text" in failed


def rubric_legend(page: str) -> str:
    section = re.search(r'<section id="rubric">(.*?)</section>', page, re.S)
    assert section is not None
    return section.group(1)


def test_an_empty_html_report_names_the_rubrics_criteria(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    (tmp_path / "none").mkdir()
    result = runner.invoke(app, ["report", str(tmp_path / "none"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    legend = rubric_legend(out.read_text())
    criteria = load_rubric().rubric.criteria
    assert criteria and legend.count('class="crit-no"') == len(criteria)
    for number, c in enumerate(criteria, start=1):
        assert f">{number}</span>{html.escape(c.name)} (weight {c.weight:g})</span>" in legend


def test_an_empty_folder_scored_as_markdown(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(tmp_path), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert "No article was scored." in result.stdout and "|" not in result.stdout


def test_a_markdown_report_keeps_its_tables_square(
        seed_docs: dict[str, ParsedDocument], seed_scores: dict[str, DocumentScore]) -> None:
    results = [(seed_scores[k], seed_docs[k]) for k in sorted(seed_scores)]
    md = render_markdown(results, REF, "R", [])
    assert "## Ranking" in md and "Criteria: 1 = " in md
    _tables_are_well_formed(md)


def _scores(n: int) -> list[DocumentScore]:
    crit = (CriterionScore(id="a", name="a", weight=1, score=0.5, verdict="", explanation="",
                           findings=()),)
    return [DocumentScore(id=f"d{i}|x" if i == 0 else f"d{i}", title=None, words=100 + i,
                          score=float(10 * ((i * 3) % n)), grade="C", criteria=crit) for i in range(n)]


def test_the_markdown_evaluation_lists_the_largest_rank_disagreements() -> None:
    docs = _scores(6)
    labels = {d.id: {"id": d.id, "stars": str(i)} for i, d in enumerate(docs)}
    report = evaluate(docs, labels, load_rubric().rubric, rating_field="stars", top=3)
    assert report.overall is not None and len(report.overall.disagreements) == 3
    md = evaluation_markdown(report)
    head = "## overall: largest rank disagreements\n\n| document | rating | score | rank gap |\n"
    assert head + "|---|--:|--:|--:|\n" in md
    table = md.split(head, 1)[1].splitlines()[1:4]
    assert table == [f"| {md_escape(d.id)} | {d.rating:g} | {d.score:.1f} | "
                     f"{d.rank_gap:+.2f} |" for d in report.overall.disagreements]
    _tables_are_well_formed(md)


def test_the_markdown_evaluation_leaves_out_an_empty_rank_disagreement_table() -> None:
    overall = OverallAgreement(field="stars", support=2, spearman=1.0, kendall=1.0, disagreements=[])
    md = evaluation_markdown(Evaluation(documents=2, labelled=2, criteria=[], mean_macro_f1=None,
                                        overall=overall))
    assert "rank disagreements" not in md
    gap = RatingDisagreement(id="a<b>", rating=2, score=40.0, rank_gap=-0.5)
    md = evaluation_markdown(Evaluation(documents=2, labelled=2, criteria=[], mean_macro_f1=None,
                                        overall=overall.model_copy(update={"disagreements": [gap]})))
    assert "| a&lt;b&gt; | 2 | 40.0 | -0.50 |" in md


@pytest.mark.parametrize("top", [0, 1, 5])
def test_markdown_and_json_evaluations_show_the_same_rank_disagreements(tmp_path: Path,
                                                                        top: int) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {"a.txt": "Published in a journal. Results were modest.", "b.txt": "Buy now! Sign up.",
             "c.txt": "A journal paper. Buy now while stocks last.", "d.txt": "A quiet article."}
    for name, text in texts.items():
        (docs / name).write_text(text)
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"id": i, "no_pitch": p, "rating": r}) + "\n" for i, p, r in
                              [("a.txt", "yes", 1), ("b.txt", "no", 5), ("c.txt", "yes", 3),
                               ("d.txt", "n/a", 2)]))
    rubric = tmp_path / "tiny.yaml"
    rubric.write_text(RUBRIC)
    args = ["evaluate", str(docs), "-l", str(labels), "-r", str(rubric), "-j", "1", "--top", str(top)]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    md = runner.invoke(app, [*args, "-f", "markdown"]).stdout
    gaps = data["overall"]["disagreements"]
    assert len(gaps) == min(top, 4)
    assert ("## overall: largest rank disagreements" in md) == bool(gaps)
    for d in gaps:
        assert f"| {d['id']} | {d['rating']:g} | {d['score']:.1f} | {d['rank_gap']:+.2f} |" in md
    _tables_are_well_formed(md)


def test_a_figure_that_rounds_to_zero_has_no_minus_sign() -> None:
    from credscore.report.figures import fixed

    assert [fixed(-0.0004), fixed(-0.0004, signed=True), fixed(-0.0006)] == ["0.000", "+0.000", "-0.001"]


def test_a_finding_of_no_points_is_marked_apart_from_ones_that_raised_the_score(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Exercise and back pain\n\nExercise is no miracle cure for back pain, a "
                       "randomised trial of 300 adults in The Lancet found.\n")
    out = tmp_path / "r.html"
    assert CliRunner().invoke(app, ["report", str(article), "-o", str(out)]).exit_code == 0
    html = out.read_text(encoding="utf-8")
    marks = re.findall(r'<mark class="f (\w+)"[^>]*>([^<]*)', html)
    assert ("zero", "no miracle cure") in marks  # denied_hype: a helper of 0 points
    assert all(kind in ("pos", "neg", "zero") for kind, _ in marks)
    assert any(kind == "pos" for kind, _ in marks)


def test_rubric_docs_show_per_words_sorted_steps_and_overlap_scope() -> None:
    from credscore.report.rubric_docs import rubric_markdown
    from credscore.rubric.load import load_rubric_text

    rubric = load_rubric_text(
        'id: r\nversion: "1"\nname: R\ncriteria:\n  - id: studies\n    name: S\n'
        "    description: d\n    anchor: a\n    weight: 1\n"
        "    scoring: {method: steps, per_words: 100, steps: [{min_points: 2, score: 1}, "
        "{min_points: 0, score: 0.2}, {min_points: 1, score: 0.6}]}\n"
        "    signals:\n      - id: trial\n        points: 1\n        phrases: [trial]\n"
        "        without: [no_trial]\n        within: hit\n"
        "      - id: no_trial\n        points: 0\n        phrases: [no trial]\n").rubric
    page = rubric_markdown(rubric, "r.yaml")
    assert ("steps (+0 points: 0.2, +1 points: 0.6, +2 points: 1); points taken per 100 words "
            "(scaled down in a longer article)") in page
    assert "1 phrase (trial); not with no_trial overlapping it" in page


def test_rubric_docs_say_which_signals_match_case_sensitively() -> None:
    """'WHO' matched case-sensitively finds the organisation and not the pronoun: the page
    says so rather than leave the default (case ignored) to be assumed."""
    from credscore.report.rubric_docs import rubric_markdown
    from credscore.rubric.load import load_rubric_text

    rubric = load_rubric_text(
        'id: r\nversion: "1"\nname: R\ncriteria:\n  - id: sources\n    name: S\n'
        "    description: d\n    anchor: a\n    weight: 1\n    signals:\n"
        "      - id: who\n        case_sensitive: true\n        phrases: [WHO]\n"
        "      - id: fda\n        case_sensitive: true\n        pattern: 'FDA'\n"
        "      - id: agency\n        phrases: [agency]\n").rubric
    page = rubric_markdown(rubric, "r.yaml")
    assert "| 1 phrase (WHO); case-sensitive |" in page
    assert "| a regular expression; case-sensitive |" in page
    assert "| 1 phrase (agency) |" in page


# A rubric whose one criterion applies only to an article that mentions mice: any other article
# has no total.
ANIMALS_ONLY = ('id: r\nversion: "1"\nname: R\ncriteria:\n  - id: animals\n    name: A\n'
                "    description: d\n    anchor: a\n    weight: 1\n"
                "    applies_when: {any_present: [mouse]}\n    signals:\n"
                "      - id: mouse\n        points: 1\n        phrases: [mice]\n")


def test_an_article_with_no_total_stays_out_of_the_overview_and_says_why(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(ANIMALS_ONLY)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A study in mice found the drug helps.\n")
    (tmp_path / "in" / "b.txt").write_text("The weather was mild all week.\n")
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    for out, fmt in ((html, "html"), (md, "markdown")):
        result = CliRunner().invoke(app, ["report", str(tmp_path / "in"), "-r", str(rubric),
                                          "-o", str(out), "--format", fmt])
        assert result.exit_code == 0, result.stderr
    scored = json.loads(CliRunner().invoke(app, ["score", str(tmp_path / "in"), "-r", str(rubric),
                                                 "--format", "json"]).stdout)["documents"]
    a = next(d for d in scored if d["id"] == "a.txt")["score"]
    page = html.read_text(encoding="utf-8")
    # the overview cards show scores as the ranking does, to one decimal: a rounded 69 beside
    # a ranked 68.6 could disagree with its grade
    assert f"<b>{a:.1f}</b><span>mean score</span>" in page
    assert f"<b>{a:.1f}</b><span>lowest</span>" in page
    assert "<b>1</b><span>with no total (no criterion applies)</span>" in page
    assert "no criterion of the rubric applies to this document." in md.read_text(encoding="utf-8")


@settings(max_examples=200, deadline=None)
@given(spans=st.lists(spans, min_size=1, max_size=12))
def test_every_finding_shows_its_criterion_number_where_it_ends(spans: list[tuple[int, int]]) -> None:
    text = "".join(chr(ord("a") + i % 26) for i in range(40))
    marks = [(s, e, _mark(i % 4 + 1, s, e, points=(i % 3) - 1.0))
             for i, (s, e) in enumerate(spans) if 0 <= s < e <= 40]  # findings inside the block
    segments = segments_of(text, 0, 40, marks)
    shown = {(s.end, info.number) for s in segments for info in s.closing}
    ends = {(e, m.criterion.number) for _, e, m in marks}
    assert shown == ends
    assert all(len(s.closing) == len({i.number for i in s.closing}) for s in segments)


def test_the_markdown_report_escapes_a_rubric_grade_like_the_rest_of_the_rubric_text() -> None:
    # A grade is rubric text, like the rubric's name and its criteria's names and verdicts,
    # which were escaped: a grade "<b>E|x" was written as markup and split the ranking table.
    crit = (CriterionScore(id="a", name="a", weight=1, score=0.5, verdict="", explanation="",
                           findings=()),)
    doc = DocumentScore(id="d", title=None, words=10, score=50.0, grade="<img src=x>|E",
                        criteria=crit)
    md = render_markdown([(doc, None)], REF, "R", [])
    assert "<img" not in md and "&lt;img src=x&gt;\\|E" in md
    assert "grade &lt;img src=x&gt;\\|E**" in md
    _tables_are_well_formed(md)


def test_rubric_docs_open_no_html_tag_from_rubric_text() -> None:
    # The HTML and Markdown reports escape a rubric's text; its docs page, read on wikis, wrote
    # names, descriptions, grades and verdicts as markup.
    from credscore.report.rubric_docs import rubric_markdown
    from credscore.rubric.load import load_rubric_text

    rubric = load_rubric_text(
        'id: r\nversion: "1"\nname: "<script>alert(1)</script>"\n'
        'grades: [{min: 0, grade: "<b>E", label: "<i>poor"}]\ncriteria:\n  - id: c\n'
        '    name: "<img src=x onerror=alert(2)>"\n    description: "</textarea><svg onload=x>"\n'
        '    anchor: a\n    weight: 1\n    verdicts: [{min: 0, label: "<u>bad"}]\n'
        "    signals:\n      - id: s\n        points: 1\n        phrases: [trial]\n").rubric
    page = rubric_markdown(rubric, "r.yaml")
    tags = re.findall(r"<(/?[a-z]+)", page)
    assert set(tags) <= {"a", "/a", "details", "/details", "summary", "/summary"}, tags
    assert "# &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Grades: &lt;b&gt;E from 0 (&lt;i&gt;poor)" in page
    assert "- Verdicts: &lt;u&gt;bad from 0" in page


def test_the_markdown_evaluation_keeps_a_backslash_before_a_pipe_in_an_id() -> None:
    # 'x\|y' was written 'x\\|y': the pipe's escape was taken for the backslash's, and the id
    # showed as 'x|y' (or ended its cell).
    from markdown_it import MarkdownIt

    overall = OverallAgreement(field="stars", support=2, spearman=1.0, kendall=1.0,
                               disagreements=[RatingDisagreement(id="x\\|y", rating=2, score=40.0,
                                                                 rank_gap=-0.5)])
    md = evaluation_markdown(Evaluation(documents=2, labelled=2, criteria=[], mean_macro_f1=None,
                                        overall=overall))
    _tables_are_well_formed(md)
    page = MarkdownIt("commonmark").enable("table").render(md)
    assert "<td>x\\|y</td>" in page


def test_the_markdown_evaluation_shows_markup_in_an_id_or_explanation_as_text() -> None:
    # An id such as '**x**' was bold, and a finding quoted in an explanation could be a link.
    from markdown_it import MarkdownIt

    gap = RatingDisagreement(id="**x**_[a](http://e.com)", rating=2, score=40.0, rank_gap=-0.5)
    overall = OverallAgreement(field="stars", support=2, spearman=1.0, kendall=1.0,
                               disagreements=[gap])
    md = evaluation_markdown(Evaluation(documents=2, labelled=2, criteria=[], mean_macro_f1=None,
                                        overall=overall))
    _tables_are_well_formed(md)
    page = MarkdownIt("commonmark").enable("table").render(md)
    assert "<td>**x**_[a](http://e.com)</td>" in page


def test_an_empty_markdown_report_names_the_rubrics_criteria(tmp_path: Path) -> None:
    # As the HTML report does (the README: "so that a report of no articles has them too").
    (tmp_path / "none").mkdir()
    out = tmp_path / "r.md"
    result = runner.invoke(app, ["report", str(tmp_path / "none"), "-f", "markdown", "-o", str(out)])
    assert result.exit_code == 0, result.output
    md = out.read_text()
    assert "No article was scored." in md and "|" not in md
    criteria = load_rubric().rubric.criteria
    key = "; ".join(f"{n} = {c.name} (weight {c.weight:g})" for n, c in enumerate(criteria, 1))
    assert f"Criteria: {key}. n/a = not applicable." in md


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab `|\\*_[]()<>&"), min_size=1, max_size=12))
def test_a_field_name_shown_as_code_is_one_table_cell_showing_it_as_written(text: str) -> None:
    # A rating field named with a backtick or a pipe ended its code span or split the table.
    from markdown_it import MarkdownIt

    from credscore.report.markdown import md_code

    folded = " ".join(text.split())
    if not folded:
        return
    page = MarkdownIt("commonmark").enable("table").render(
        f"| a | {md_code(text, cell=True)} |\n|---|---|\n| 1 | 2 |\n")
    cells = re.findall(r"<th>(.*?)</th>", page)
    assert len(cells) == 2, page
    assert cells[1] == f"<code>{html.escape(folded, quote=False)}</code>", page
    line = MarkdownIt("commonmark").render(f"vs {md_code(text)}.")
    assert f"<code>{html.escape(folded, quote=False)}</code>" in line, line


def test_rubric_docs_show_rubric_text_as_text_not_links_or_code() -> None:
    # The docs page let a rubric's name or description open a link or an image, and a label
    # field with a backtick ended its code span.
    from markdown_it import MarkdownIt

    from credscore.report.rubric_docs import rubric_markdown
    from credscore.rubric.load import load_rubric_text

    rubric = load_rubric_text(
        'id: r\nversion: "1"\nname: "[win](http://e.com)"\ncriteria:\n  - id: c\n'
        '    name: "![x](http://e.com/x.png)"\n    description: "**bold** `tick"\n'
        "    anchor: a\n    weight: 1\n"
        '    label: {field: "a`b|c", positive: ["<b>yes"], negative: ["no"]}\n'
        "    signals:\n      - id: s\n        points: 1\n        phrases: [trial]\n").rubric
    md = rubric_markdown(rubric, "r.yaml")
    page = MarkdownIt("commonmark").enable("table").render(md)
    assert "http://e.com" not in re.findall(r'(?:href|src)="([^"]*)"', page)
    assert "<h1>[win](http://e.com)</h1>" in page
    assert "**bold** `tick" in page and "<strong>" not in page
    assert "<code>a`b|c</code>" in page and "&lt;b&gt;yes" in page
    _tables_are_well_formed(md)


@settings(max_examples=300, deadline=None)
@given(cuts=st.lists(st.integers(0, 60), max_size=12), spans=st.lists(spans, max_size=25))
def test_each_block_is_handed_the_marks_that_overlap_it(cuts: list[int],
                                                        spans: list[tuple[int, int]]) -> None:
    # Blocks were each handed every mark of the article, which took time in their product.
    from credscore.models import Block

    edges = sorted(set(cuts))
    blocks = [Block(zone="body", start=a, end=b) for a, b in pairwise(edges) if b - a > 1]
    marks = sorted(((s, e, _mark(i % 5 + 1, s, e)) for i, (s, e) in enumerate(spans) if s < e),
                   key=lambda m: (m[0], m[1], m[2].criterion.number))
    got = list(view._marks_by_block(blocks, marks))
    assert got == [[m for m in marks if m[0] < b.end and m[1] > b.start] for b in blocks]


@pytest.mark.parametrize("text", ["1. First step", "2) Second", "- a dash", "---", "=== x", "+ plus"])
def test_rubric_text_that_starts_like_a_list_or_rule_stays_text(text: str) -> None:
    # A rubric description "1. ..." or "---" became a list or a horizontal rule on its docs page.
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").render(f"{md_escape(text, starts_line=True)}\n")
    assert page == f"<p>{html.escape(text, quote=False)}</p>\n", page


def test_the_terminal_views_say_why_an_article_has_no_total(tmp_path: Path) -> None:
    # Without the reason, "0.0 (?)" reads as the worst score there is.
    rubric = tmp_path / "r.yaml"
    rubric.write_text(ANIMALS_ONLY)
    article = tmp_path / "b.txt"
    article.write_text("The weather was mild all week.\n")
    for command in ("explain", "score"):
        result = CliRunner().invoke(app, [command, str(article), "-r", str(rubric)],
                                    env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.stderr
        assert "no criterion of the rubric applies to this document" in result.stdout, command


WEIGHTLESS_RUBRIC = """\
id: w
version: "1"
name: W
criteria:
  - id: counted
    name: Counted
    description: d
    anchor: a
    weight: 1
    signals:
      - {id: trial, points: 1, phrases: [randomised trial]}
  - id: shown
    name: Shown only
    description: d
    anchor: a
    weight: 0
    signals:
      - {id: byline, points: 1, phrases: [jane roe]}
      - {id: hype, points: -1, phrases: [miracle]}
"""


def test_a_criterion_of_weight_0_raises_and_lowers_nothing_in_the_reports(tmp_path: Path) -> None:
    rubric = tmp_path / "w.yaml"
    rubric.write_text(WEIGHTLESS_RUBRIC, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Trial\n\nJane Roe reports on a randomised trial of a miracle pill.\n",
                       encoding="utf-8")
    runner = CliRunner()
    md = tmp_path / "r.md"
    result = runner.invoke(app, ["report", str(article), "-r", str(rubric), "-f", "markdown", "-o", str(md)])
    assert result.exit_code == 0, result.output
    page = md.read_text(encoding="utf-8")
    raised = page.split("**What raised it:**")[1].split("**What lowered it:**")
    assert "trial" in raised[0] and "byline" not in raised[0]
    assert "hype" not in raised[1].split("\n\n**")[0]
    html_out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(article), "-r", str(rubric), "-o", str(html_out)])
    assert result.exit_code == 0, result.output
    marks = re.findall(r'<mark class="f (\w+)"[^>]*>([^<]*)', html_out.read_text(encoding="utf-8"))
    assert ("pos", "randomised trial") in marks
    assert ("zero", "Jane Roe") in marks and ("zero", "miracle") in marks
    explained = runner.invoke(app, ["explain", str(article), "-r", str(rubric)])
    assert "randomised trial[1+]" in explained.stdout
    assert "Jane Roe[2]" in explained.stdout and "miracle[2]" in explained.stdout


TWO_CEILINGS = """\
id: two
version: "1"
name: Two
criteria:
  - id: first
    name: First criterion
    description: d
    anchor: a
    weight: 1
    signals:
      - {id: s, points: 1, phrases: [trial]}
    rules:
      - {id: capped, when: {present: [s]}, points: 0, ceiling: 60}
  - id: second
    name: Second criterion
    description: d
    anchor: a
    weight: 1
    signals:
      - {id: s, points: 1, phrases: [miracle]}
    rules:
      - {id: capped, when: {present: [s]}, points: 0, ceiling: 20}
"""


def test_the_score_table_names_the_criterion_whose_ceiling_held_the_score(tmp_path: Path) -> None:
    rubric = tmp_path / "two.yaml"
    rubric.write_text(TWO_CEILINGS, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Trial\n\nA trial of a miracle pill worked.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["score", str(article), "-r", str(rubric)], env={"COLUMNS": "200"})
    shown = " ".join(result.stdout.split())
    assert "held at 20.0 by a ceiling (Second criterion)" in shown


def test_reports_name_what_cost_an_article_most_as_the_score_table_does(tmp_path: Path) -> None:
    # "What lowered it" lists findings, so a criterion that lost its points for want of any
    # (no other views, no costs) went unnamed in the report while the table named it
    from .conftest import SEEDS

    seed = sorted(SEEDS.glob("*.txt"))[0]
    runner = CliRunner()
    scored = json.loads(runner.invoke(app, ["score", str(seed), "-f", "json"]).stdout)
    doc = scored["documents"][0] if "documents" in scored else scored
    lost = sorted((c for c in doc["criteria"] if c["score"] is not None and c["weight"] > 0
                   and c["score"] < 1), key=lambda c: -(c["weight"] * (1 - c["score"])))[:2]
    md = tmp_path / "r.md"
    assert runner.invoke(app, ["report", str(seed), "-f", "markdown", "-o", str(md)]).exit_code == 0
    line = next(x for x in md.read_text(encoding="utf-8").splitlines()
                if x.startswith("**What cost it most:**"))
    for c in lost:
        assert f"{c['name']} {100 * c['score']:.0f}/100 ({c['verdict']})" in line
