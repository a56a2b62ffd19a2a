"""Terminal views: the score table and the parse view, and the table every terminal view is
built on."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from rich.table import Table
from rich.text import Text

from credscore.engine.compile import rule_ceilings
from credscore.engine.score import short_raise
from credscore.models import DocumentScore, ParsedDocument
from credscore.report.safe_text import plain, safe_text
from credscore.report.trimmed import Trimmed
from credscore.report.view import cost_words, held_words, raised_words, what_cost
from credscore.rubric.model import Rubric


def left_table(title: str | Text, **options: Any) -> Table:
    """A terminal table with its title and caption set flush left, as every view shows them."""
    return Table(title=title, title_justify="left", caption_justify="left", **options)


ZONE_STYLES = {
    "title": "bold", "byline": "cyan", "body": "", "quote": "green", "references": "blue",
    "comments": "dim magenta", "promo": "yellow", "boilerplate": "dim",
}


def score_table(docs: list[DocumentScore], rubric: Rubric) -> Trimmed:
    # The rubric by name, id and version: a rubric that extends another without a name of its
    # own keeps its base's name, and only the id and version tell the two apart.
    title = f"credscore - {rubric.name} ({rubric.id} {rubric.version})"
    table = left_table(plain(title), expand=False)
    table.add_column("article", overflow="fold", max_width=48)
    table.add_column("score", justify="right")
    table.add_column("grade", justify="center")
    table.add_column("cost it most", overflow="fold")
    ceilings = rule_ceilings(rubric)
    for doc in docs:
        costs = "; ".join(_cost(doc, rubric, ceilings))
        label = doc.title or doc.id
        table.add_row(plain(f"{label}\n{doc.id}" if doc.title else label),
                      f"{doc.score:.1f}", plain(doc.grade),
                      plain(costs or "; ".join(doc.errors) or "-"))
    return Trimmed(table)


def _cost(doc: DocumentScore, rubric: Rubric, ceilings: tuple[dict[str, float], ...],
          ) -> list[str]:
    """What cost the article most, in the score table's words (:func:`what_cost`), each
    criterion with its score out of 100 (as ``explain`` and the reports show it); before the
    criteria, a short text's raise (:func:`short_raise`), which the score already holds."""
    costs = what_cost(doc, ceilings)
    held = ([held_words(doc, costs.held, costs.holder.name if costs.holder else None)]
            if costs.held is not None else [])
    short = short_raise(doc, rubric, ceilings)
    raised = [raised_words(doc, short, brief=True)] if short is not None else []
    return held + raised + [cost_words(c) for c in costs.criteria]


def parse_view(parsed: ParsedDocument) -> Trimmed:
    table = left_table(plain(f"{parsed.id}: {parsed.title or '(no title)'}"), show_lines=False)
    table.add_column("zone", no_wrap=True)
    table.add_column("span", justify="right", no_wrap=True)
    table.add_column("sentences / text", overflow="fold")
    starts = [s.start for s in parsed.sentences]  # sentences are in text order
    for block in parsed.blocks:
        sentences = parsed.sentences[bisect_left(starts, block.start):bisect_left(starts, block.end)]
        text = Text()
        for i, s in enumerate(sentences):
            if i:
                text.append(" | ", style="dim")
            zone_note = f"[{s.zone}] " if s.zone != block.zone else ""
            text.append(zone_note + safe_text(parsed.text[s.start : s.end]),
                        style=ZONE_STYLES[s.zone])
        table.add_row(Text(block.zone, style=ZONE_STYLES[block.zone] or "white"),
                      f"{block.start}-{block.end}", text)
    meta = ", ".join(f"{k}: {v}" for k, v in sorted(parsed.metadata.items()))
    if meta:
        table.caption = plain(meta)
    return Trimmed(table)
