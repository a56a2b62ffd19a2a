"""Reports: hostile article text renders as text; CSV, Markdown and explain carry the content."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore.cli import app
from credscore.report.html import heat_colour, histogram
from credscore.report.markdown import md_escape
from credscore.report.view import segments_of

from .conftest import SEEDS

runner = CliRunner()

HOSTILE = (
    '<script>alert("pwned")</script> <img src=x onerror="alert(1)"> </style><b>bold</b>\n\n'
    'A study published in the Journal of Hostile Markup found mice "may" respond. '
    'Sign up now! <iframe src="https://evil.example"></iframe> `code` | pipe | [link](javascript:x)'
)


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    (d / "evil.txt").write_text(HOSTILE)
    (d / "title.jsonl").write_text(json.dumps(
        {"id": "<svg onload=alert(2)>", "title": "</title><script>alert(3)</script>",
         "text": "Mice ran faster. It may help people."}) + "\n")
    return d


def test_html_report_escapes_everything(hostile_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(hostile_dir), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    # The report's own single script is the only one; nothing from the articles is live markup.
    assert page.count("<script>") == 1 and page.count("</script>") == 1
    for live in ('<img src=x onerror', "<iframe", "<svg onload", "</title><script>", "<b>bold</b>",
                 'onerror="alert'):
        assert live not in page
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page
    assert "&lt;/style&gt;" in page
    assert page.count("</style>") == 1


def test_html_report_runs_only_its_own_script_and_marks_are_reachable(tmp_path: Path) -> None:
    import base64
    import hashlib
    import re

    out = tmp_path / "r.html"
    runner.invoke(app, ["report", str(SEEDS), "-o", str(out), "-j", "1"])
    page = out.read_text()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "'unsafe-inline'; img" not in csp
    # Every mark takes keyboard focus and carries its details as text, not only a tooltip.
    marks = re.findall(r"<mark [^>]*>", page)
    assert marks and all('tabindex="0"' in m and "title=" not in m for m in marks)
    assert page.count('<span class="tip" role="tooltip"') == len(marks)
    assert "mark.f:focus .tip" in page
    # The score beside the grade is the one that decides the grade (one decimal).
    shown = re.findall(r'<div class="docscore"><b>([\d.]+)</b>', page)
    assert shown and all(re.fullmatch(r"\d+\.\d", s) for s in shown)
    assert '<code class="hash">' in page and "overflow-wrap:anywhere" in page


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    runner.invoke(app, ["report", str(SEEDS), "-o", str(out), "-j", "1"])
    page = out.read_text()
    assert "<link" not in page and "src=\"http" not in page and "@import" not in page
    assert "default-src 'none'" in page  # the page may load nothing from anywhere
    for section in ('id="overview"', 'id="heatmap"', 'id="articles"', 'id="rubric"'):
        assert section in page
    assert 'class="f ' in page  # findings are highlighted
    assert "not counted" in page  # comments and boilerplate are marked as such
    # A criterion that does not apply says so once, in its own words, and that it is left out.
    na = re.findall(r'<div class="na">(.*?)</div>', page)
    assert any("Left out of the total" in n for n in na)
    assert not any(n.count("Not applicable") > 1 for n in na)


def test_markdown_report_escapes_and_summarises(hostile_dir: Path) -> None:
    result = runner.invoke(app, ["score", str(hostile_dir), "-f", "markdown", "-j", "1"])
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith("# Credibility report")
    for live in ("<script", "<iframe", "<svg", "<img", "</style"):
        assert live not in md
    assert "&lt;script&gt;" in md and "&lt;svg onload=alert(2)&gt;" in md
    assert "## Ranking" in md and "What lowered it" in md


def test_csv_one_row_per_article() -> None:
    result = runner.invoke(app, ["score", str(SEEDS), "-f", "csv", "-j", "1"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5
    assert {"id", "title", "words", "score", "grade", "primary_sources", "sales_pitch"} <= set(rows[0])
    assert all(0 <= float(r["score"]) <= 100 for r in rows)
    assert any(r["animal_evidence"] == "" for r in rows)  # not applicable stays empty


def test_csv_streams_rows_in_input_order_as_workers_make_them(tmp_path: Path) -> None:
    from credscore.read import read_tasks
    from credscore.report.csv import header, row
    from credscore.rubric.load import load_rubric
    from credscore.run import ScoredLine, score_stream

    rubric = load_rubric().rubric
    corpus = tmp_path / "c.jsonl"
    texts = [p.read_text() for p in sorted(SEEDS.iterdir())]
    corpus.write_text("".join(json.dumps({"id": f"z{99 - i:02d}", "text": texts[i % 5]}) + "\n"
                              for i in range(100)))
    # With two workers each result arrives as its finished row, never as a result model.
    streamed = list(score_stream(read_tasks([corpus]), rubric, jobs=2, shape="csv"))
    assert all(isinstance(r, ScoredLine) for r in streamed)
    assert [r.id for r in streamed] == [f"z{99 - i:02d}" for i in range(100)]  # input order
    scores = list(score_stream(read_tasks([corpus]), rubric, jobs=1))
    assert [r.line for r in streamed] == [row(d) for d in scores]
    out = runner.invoke(app, ["score", str(corpus), "-f", "csv", "-j", "2"]).stdout
    assert out == header([c.id for c in rubric.criteria]) + "".join(r.line for r in streamed)


def test_csv_defuses_formulas(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text(json.dumps({"id": "=HYPERLINK(1)", "text": "Mice ran."}) + "\n")
    out = runner.invoke(app, ["score", str(tmp_path), "-f", "csv"]).stdout
    assert "'=HYPERLINK(1)" in out


def test_explain_prints_highlights_and_criteria() -> None:
    result = runner.invoke(app, ["explain", str(SEEDS / "002_e783488c8f71499a.txt"), "-c",
                                 "animal_evidence"])
    assert result.exit_code == 0
    # Not a terminal: each number carries its findings' sign (none: they gave no points).
    assert "Mouse[2] models won't necessarily translate[2+]" in result.stdout
    assert "Animal and cell results kept in their place" in result.stdout
    assert "Cites identifiable" not in result.stdout


def test_explain_says_raised_and_lowered_with_or_without_styling(seed_docs, seed_scores) -> None:
    from rich.console import Console

    from credscore.report.terminal import PLAIN_LEGEND, STYLED_LEGEND, explain_view

    shown = {}
    for styled in (False, True):
        out = io.StringIO()
        console = Console(file=out, width=200, highlight=False, force_terminal=styled,
                          color_system="standard" if styled else None)
        console.print(explain_view(seed_scores["004"], seed_docs["004"]))
        shown[styled] = out.getvalue()
    saved = shown[False]  # as in a file: an underline would not show, so the marks say it
    assert "\x1b[" not in saved
    assert "The Shocking[6-] Link" in saved and "you could[4+] be unknowingly" in saved
    assert PLAIN_LEGEND in " ".join(saved.split()) and "underlined" not in saved
    terminal = shown[True]  # underlined, the numbers as they were
    assert re.search(r"\x1b\[1;4;[0-9;]*mShocking", terminal), terminal
    assert not re.search(r"\[\d+[+-]\]", terminal)
    assert STYLED_LEGEND in terminal


def test_explain_unknown_criterion() -> None:
    result = runner.invoke(app, ["explain", str(SEEDS / "002_e783488c8f71499a.txt"), "-c", "nope"])
    assert result.exit_code == 2 and "no criterion 'nope'" in result.stderr


def test_segments_cover_block_exactly() -> None:
    from credscore.models import Finding
    from credscore.report.view import CriterionInfo, Mark

    info = CriterionInfo(1, "c", "C", 1.0, "#000")
    f1 = Finding(signal="a", zone="body", start=2, end=6, text="", sentence="", points=1)
    f2 = Finding(signal="b", zone="body", start=4, end=9, text="", sentence="", points=-1)
    text = "0123456789"
    segs = segments_of(text, 0, 10, [(2, 6, Mark(info, f1)), (4, 9, Mark(info, f2))])
    assert "".join(s.text for s in segs) == text
    assert [(s.text, len(s.marks)) for s in segs] == [("01", 0), ("23", 1), ("45", 2), ("678", 1),
                                                       ("9", 0)]


def test_histogram_and_heat_colours() -> None:
    assert histogram([0, 5, 10, 99.9, 100]) == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert "#eee" in heat_colour(None)
    assert heat_colour(0.0) != heat_colour(1.0)


def test_md_escape() -> None:
    assert md_escape("a|b <x> *y* & z") == "a\\|b &lt;x&gt; \\*y\\* &amp; z"


def test_a_json_document_block_is_laid_out_as_the_json_module_does(compiled, seed_scores) -> None:
    from credscore.engine.score import score
    from credscore.models import Document, DocumentScore
    from credscore.parse import parse
    from credscore.report.json import document_block, document_dict, dumps

    odd = parse(Document(id="é\u202e\x1b", source="x", format="text",
                         content='Mice "may" cure\tcancer \\ 中文.\n\nSign up now!'))
    docs = [*seed_scores.values(), score(odd, compiled),
            DocumentScore(id="empty", title=None, words=0, score=0.0, grade="?", criteria=(),
                          errors=("no criterion of the rubric applies", "second"))]
    for doc in docs:
        expected = dumps(document_dict(doc)).rstrip("\n").replace("\n", "\n    ")
        assert document_block(doc) == "    " + expected


def test_an_untitled_article_is_named_once_in_the_html_report(tmp_path: Path) -> None:
    # Its id stands in for its title: it is not shown a second time beside itself.
    src = tmp_path / "u.jsonl"
    src.write_text(json.dumps({"id": "untitled-one", "text": "A trial of 300 adults, published "
                               "in The Lancet, found the drug lowered blood pressure."}) + "\n")
    out = tmp_path / "u.html"
    runner.invoke(app, ["report", str(src), "-o", str(out), "-j", "1"])
    page = out.read_text()
    ranking = re.search(r'<table id="ranking".*?</table>', page, re.S).group(0)
    assert ranking.count("untitled-one") == 2  # the sort value and the link
    article = page[page.index('<h3>1. '):]
    assert article[:article.index("words")].count("untitled-one") == 1


def test_a_file_name_with_a_newline_is_shown_with_it_in_the_reports(tmp_path: Path) -> None:
    # Shown as a space it would name a file that does not exist.
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "new\nline.txt").write_text("")  # empty: not scored
    (folder / "ok.txt").write_text("A trial of 300 adults found the drug lowered blood pressure.\n")
    out = tmp_path / "r.html"
    runner.invoke(app, ["report", str(folder), "-o", str(out), "-j", "1"])
    errors = re.search(r'<ul class="errors">(.*?)</ul>', out.read_text(), re.S).group(1)
    assert "new\\nline.txt</code>" in errors and "new\nline" not in errors
    md = runner.invoke(app, ["score", str(folder), "-f", "markdown", "-j", "1"]).stdout
    shown = md[md.index("## Not scored"):]
    assert "new\\\\nline.txt" in shown and "new line.txt" not in shown


def test_what_raised_and_lowered_an_article_says_how_many_findings_it_leaves_out(
        tmp_path: Path) -> None:
    """Each list shows the six largest effects and then how many more findings there are, so a
    reader does not take the six for all."""
    article = SEEDS / "002_e783488c8f71499a.txt"
    scored = json.loads(runner.invoke(app, ["score", str(article), "-f", "json"]).stdout)
    (doc,) = scored["documents"]
    findings = [f for c in doc["criteria"] if c["score"] is not None and c["weight"]
                for f in c["findings"] if f["points"]]
    raised = sum(f["points"] > 0 for f in findings)
    lowered = sum(f["points"] < 0 for f in findings)
    assert raised > 6 and lowered > 6  # the seed has more of each than a list shows
    md = tmp_path / "r.md"
    assert runner.invoke(app, ["report", str(article), "-o", str(md)]).exit_code == 0
    text = md.read_text()
    assert (f"- and {raised - 6} more findings of no larger effect, each under its criterion"
            in text)
    assert (f"- and {lowered - 6} more findings of no larger effect, each under its criterion"
            in text)
    page = tmp_path / "r.html"
    assert runner.invoke(app, ["report", str(article), "-o", str(page)]).exit_code == 0
    shown = page.read_text()
    assert f"and {raised - 6} more findings of no larger effect" in shown
    assert f"and {lowered - 6} more findings of no larger effect" in shown


def test_the_html_report_counts_one_word_and_one_article_in_the_singular(tmp_path: Path) -> None:
    article = tmp_path / "c.txt"
    article.write_text("Cancer.\n")
    page = tmp_path / "c.html"
    assert runner.invoke(app, ["report", str(article), "-o", str(page)]).exit_code == 0
    shown = page.read_text()
    assert '<div class="docmeta">1 word' in shown and "1 words" not in shown
    assert "<b>1</b><span>article scored</span>" in shown
