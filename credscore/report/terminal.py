"""``credscore explain``: the article in the terminal with its findings highlighted."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from credscore.models import DocumentScore, ParsedDocument
from credscore.report.safe_text import plain, safe_text
from credscore.report.view import article_view, criterion_infos, held_from


def explain_view(doc: DocumentScore, parsed: ParsedDocument, criterion: str | None = None) -> Group:
    infos = criterion_infos([doc])
    view = article_view(0, doc, parsed, infos, criterion)
    body = Text()
    for block in view.blocks:
        if block.zone != "body":
            body.append(f"[{block.zone}{'' if block.counted else ', not counted'}] ", style="dim italic")
        for seg in block.segments:
            lead = seg.lead
            if lead is None:
                body.append(safe_text(seg.text), style="dim" if not block.counted else "")
                continue
            style = f"bold {lead.criterion.colour}" + (" underline" if lead.finding.points < 0 else "")
            body.append(safe_text(seg.text), style=style)
            for info in seg.closing:
                body.append(f"[{info.number}]", style=f"{info.colour}")
        body.append("\n\n")
    held = held_from(doc)
    ceiling = f", held by a ceiling (weighted mean {held:.1f})" if held is not None else ""
    why = "".join(f"; {e}" for e in doc.errors)  # no total: no criterion applies
    table = Table(title=plain(f"{doc.title or doc.id}: {doc.score:.1f} ({doc.grade}){ceiling}{why}"),
                  title_justify="left")
    table.add_column("#", no_wrap=True)
    table.add_column("criterion", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("explanation", overflow="fold", ratio=1)
    for info, c in view.criteria:
        if criterion is not None and c.id != criterion:
            continue
        score = "n/a" if c.score is None else f"{100 * c.score:.0f}"
        table.add_row(Text(str(info.number), style=f"bold {info.colour}"), plain(c.name), score,
                      plain(c.explanation))
    legend = Text("Highlights: [n] = criterion number; underlined = lowered the score.", style="dim")
    return Group(Panel(body, title=plain(doc.id), title_align="left"), legend, table)
