"""``credscore explain``: the article in the terminal with its findings highlighted."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.text import Text

from credscore.engine.compile import rule_ceilings
from credscore.models import DocumentScore, ParsedDocument
from credscore.report.figures import out_of_100
from credscore.report.safe_text import plain, safe_text
from credscore.report.table import left_table
from credscore.report.trimmed import Trimmed
from credscore.report.view import (
    ArticleView,
    Segment,
    article_view,
    criterion_infos,
    held_from,
    raised_words,
)
from credscore.rubric.model import Rubric

STYLED_LEGEND = "Highlights: [n] = criterion number; underlined = lowered the score."
PLAIN_LEGEND = ("Highlights: [n] = criterion number; [n+] = raised the score, [n-] = lowered it, "
                "[n] alone = moved it by nothing (no points of its own, or a criterion of weight 0).")


def explain_view(doc: DocumentScore, parsed: ParsedDocument, criterion: str | None = None,
                 rubric: Rubric | None = None) -> Trimmed:
    """The article with its findings marked, under a title with its score (and, given the
    ``rubric`` that scored it, how a short text's scores were raised), then each criterion's
    explanation."""
    infos = criterion_infos([doc])
    ceilings = rule_ceilings(rubric) if rubric is not None else ()
    view = article_view(0, doc, parsed, infos, criterion, ceilings, rubric)
    held = held_from(doc)
    ceiling = f", held by a ceiling (weighted mean {held:.1f})" if held is not None else ""
    if view.short is not None:
        ceiling += f", {raised_words(doc, view.short, brief=True)}"
    why = "".join(f"; {e}" for e in doc.errors)  # no total: no criterion applies
    table = left_table(plain(f"{doc.title or doc.id}: {doc.score:.1f} ({doc.grade}){ceiling}{why}"))
    table.add_column("#", no_wrap=True)
    table.add_column("criterion", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("explanation", overflow="fold", ratio=1)
    for info, c in view.criteria:
        if criterion is not None and c.id != criterion:
            continue
        table.add_row(Text(str(info.number), style=f"bold {info.colour}"), plain(c.name),
                      out_of_100(c.score),
                      plain(c.explanation))
    return Trimmed(Group(MarkedArticle(view), table))


class MarkedArticle:
    """The article's text with its findings marked, and the legend of the marks. Where the
    output is styled (a terminal), a finding that lowered the score is underlined; where it is
    not (a file, a pipe), underlining would not show, so each criterion number carries the sign
    of its findings' points instead: ``[3+]`` raised the score, ``[3-]`` lowered it."""

    def __init__(self, view: ArticleView) -> None:
        self.view = view

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        signed = console.color_system is None  # no styling at all: not a terminal
        yield Panel(_body(self.view, signed), title=plain(self.view.score.id), title_align="left")
        yield Text(PLAIN_LEGEND if signed else STYLED_LEGEND, style="dim")


def _body(view: ArticleView, signed: bool) -> Text:
    body = Text()
    for block in view.blocks:
        if block.zone != "body":
            body.append(f"[{block.zone}{'' if block.counted else ', not counted'}] ", style="dim italic")
        for seg in block.segments:
            lead = seg.lead
            if lead is None:
                body.append(safe_text(seg.text), style="dim" if not block.counted else "")
                continue
            style = f"bold {lead.criterion.colour}" + (" underline" if lead.effect < 0 else "")
            body.append(safe_text(seg.text), style=style)
            for info in seg.closing:
                sign = _sign(seg, info.number) if signed else ""
                body.append(f"[{info.number}{sign}]", style=f"{info.colour}")
        body.append("\n\n")
    return body


def _sign(seg: Segment, number: int) -> str:
    """"+" when the findings of criterion ``number`` that end at ``seg`` raised the score in
    all, "-" when they lowered it, "" when they moved it by nothing (no points, or weight 0)."""
    points = sum(m.effect for m in seg.marks
                 if m.criterion.number == number and m.finding.end == seg.end)
    return "+" if points > 0 else "-" if points < 0 else ""
