"""Views of an evaluation (agreement with expert labels), of its change from another rubric's,
and of a rubric diff."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from credscore.evaluate.change import AgreementChange, FigureChange
from credscore.evaluate.compare import Evaluation, OverallAgreement
from credscore.evaluate.diff import CriterionChange, DocumentChange, RubricDiff
from credscore.plural import counted, plural
from credscore.report.figures import fixed, interval, out_of_100
from credscore.report.markdown import md_code, md_escape
from credscore.report.safe_text import plain
from credscore.report.table import left_table
from credscore.report.trimmed import Trimmed


def evaluation_table(ev: Evaluation) -> Trimmed:
    heading = (f"Agreement with expert labels ({ev.labelled} of "
               f"{counted(ev.documents, 'document')} labelled)")
    table = left_table(heading)
    table.add_column("criterion", no_wrap=True)
    # With intervals, F1+ and F1- make room for them (JSON and Markdown keep both).
    f1s = () if ev.bootstrap else ("F1+", "F1-")
    for col in ("n", "P+", "R+", *f1s, "macroF1", *(("95% interval",) if ev.bootstrap else ()),
                "balAcc"):
        table.add_column(col, justify="right", no_wrap=True)
    for c in ev.criteria:
        table.add_row(plain(c.id), str(c.support), f"{c.precision_pos:.2f}", f"{c.recall_pos:.2f}",
                      *(() if ev.bootstrap else (f"{c.f1_pos:.2f}", f"{c.f1_neg:.2f}")),
                      f"{c.macro_f1:.3f}",
                      *((_interval_cell(c.macro_f1_interval),) if ev.bootstrap else ()),
                      f"{c.balanced_accuracy:.3f}")
    table.caption = ("+ = the positive label (e.g. Satisfactory), - = the negative one; "
                     "--format json or markdown adds the confusion counts"
                     + (" and F1 of each label" if ev.bootstrap else ""))
    # As in Markdown, a rubric whose criteria read no field of these labels gets no empty table.
    parts: list[Table | Text] = [table] if ev.criteria else []
    lines = Text() if ev.criteria else Text(f"{heading}\n")
    if ev.mean_macro_f1 is not None:
        lines.append(plain(f"{mean_said(ev)}: {ev.mean_macro_f1:.3f}"
                           f"{interval(ev.mean_macro_f1_interval)}\n"))
    if ev.overall is not None:
        o = ev.overall
        lines.append(plain(f"overall score vs {o.field}: Spearman {fixed(o.spearman)}"
                           f"{interval(o.spearman_interval)}, "
                           f"Kendall {fixed(o.kendall)} (n={o.support}); with word count held "
                           f"fixed {fixed(o.partial)}; word count alone {fixed(o.words_spearman)}"
                           f"{_auc_note(o)}\n"))
    if ev.bootstrap is not None:
        lines.append(_bootstrap_note(ev))
    parts.append(lines)
    if ev.overall is not None and ev.overall.criteria:
        ranked = left_table(plain(f"Each criterion against {ev.overall.field} (where it applies)"))
        ranked.add_column("criterion", no_wrap=True)
        two_valued = ev.overall.auc is not None
        # With intervals, Kendall makes room for them (JSON and Markdown keep it), and in a
        # narrow terminal an interval goes under its figure.
        boot = ev.bootstrap is not None
        for col in ("n", "Spearman", *(() if boot else ("Kendall",)), "given length",
                    *(("AUC",) if two_valued else ())):
            wraps = boot and col in ("Spearman", "AUC")
            ranked.add_column(col, justify="right", no_wrap=not wraps,
                              min_width=11 if wraps else 3 if col == "n" else None)
        for r in ev.overall.criteria:
            ranked.add_row(plain(r.id), str(r.support),
                           _with_interval(r.spearman, r.spearman_interval, boot),
                           *(() if boot else (fixed(r.kendall),)), fixed(r.partial),
                           *((_with_interval(r.auc, r.auc_interval, boot),) if two_valued else ()))
        ranked.caption = ("given length: Spearman with the article's word count held fixed; a "
                          "criterion near 0 there measures length, not evidence"
                          + ("; --format json or markdown adds Kendall" if boot else ""))
        parts.append(ranked)
    for c in ev.criteria:
        if not c.disagreements:
            continue
        dis = left_table(plain(f"{c.id}: largest disagreements"), show_lines=False)
        for col in ("document", "expert", "score", "credscore's explanation"):
            dis.add_column(col, overflow="fold", justify="right" if col == "score" else "left")
        for d in c.disagreements:
            dis.add_row(plain(d.id), plain(d.expert), out_of_100(d.score, 1), plain(d.explanation))
        parts.append(dis)
    if ev.overall is not None and ev.overall.disagreements:
        dis = left_table("overall: largest rank disagreements")
        for col in ("document", "rating", "score", "rank gap"):
            dis.add_column(col, justify="left" if col == "document" else "right")
        for r in ev.overall.disagreements:
            dis.add_row(plain(r.id), f"{r.rating:g}", f"{r.score:.1f}", f"{r.rank_gap:+z.2f}")
        parts.append(dis)
    return Trimmed(Group(*parts))


def mean_said(ev: Evaluation) -> str:
    """What the mean macro-F1 is the mean of: where some criteria that declare 'label:' have no
    expert answers, the criteria that have them."""
    n = len(ev.unanswered_criteria)
    if not n:
        return "mean macro-F1"
    return (f"mean macro-F1 over the {counted(len(ev.criteria), 'criterion', 'criteria')} with "
            f"expert answers (not the other {n}, which {plural(n, 'has', 'have')} none)")


def _auc_note(o: OverallAgreement) -> str:
    """For a two-valued rating, the AUC of the score and of word count alone."""
    if o.auc is None:
        return ""
    return (f"; AUC {fixed(o.auc)}{interval(o.auc_interval)} (the chance that an article rated "
            f"higher scores higher; word count alone {fixed(o.words_auc)})")


def _interval_cell(bounds: tuple[float, float] | None) -> str:
    """An interval in a table cell, to two places; "-" when none could be made."""
    return interval(bounds, 2).strip() or "-"


def _with_interval(x: float | None, bounds: tuple[float, float] | None, boot: bool = False) -> str:
    """A figure and, when it was measured, its interval to two places with no space inside, so
    that a narrow column breaks only between the two; with ``boot`` (intervals were asked
    for), "[-]" after a figure that has none, as the Markdown report shows it."""
    if boot and x is not None and bounds is None:
        return f"{fixed(x)} [-]"
    return fixed(x) + interval(bounds, 2).replace(", ", ",")


def _bootstrap_note(ev: Evaluation) -> str:
    """What the bracketed intervals are."""
    b = ev.bootstrap
    assert b is not None
    return (f"[lo, hi]: the middle {b.level:.0%} of the figure over {b.rounds} resamples of the "
            f"labelled articles (bootstrap, seed {b.seed}); \"-\" where too many resamples left "
            "no figure: too few articles measured, or a score that hardly varies across them\n")


def evaluation_markdown(ev: Evaluation) -> str:
    def shown(figure: float | None, bounds: tuple[float, float] | None, places: int = 3) -> str:
        """An interval after its figure; with --bootstrap, " [-]" after a figure where none
        could be made."""
        gap = " [-]" if ev.bootstrap is not None and figure is not None else ""
        return interval(bounds, places) or gap

    out = ["# Agreement with expert labels", "",
           f"{ev.labelled} of {counted(ev.documents, 'document')} labelled.", ""]
    if ev.criteria:
        out += ["| criterion | n | TP | FP | FN | TN | P+ | R+ | F1+ | P- | R- | F1- | macro-F1 "
                "| bal. acc. |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
        out += [f"| {c.id} | {c.support} | {c.tp} | {c.fp} | {c.fn} | {c.tn} | "
                f"{c.precision_pos:.2f} | {c.recall_pos:.2f} | {c.f1_pos:.2f} | "
                f"{c.precision_neg:.2f} | {c.recall_neg:.2f} | {c.f1_neg:.2f} | "
                f"{c.macro_f1:.3f}{shown(c.macro_f1, c.macro_f1_interval, 2)} | {c.balanced_accuracy:.3f} |"
                for c in ev.criteria]
        out.append("")
    if ev.mean_macro_f1 is not None:
        mean = ev.mean_macro_f1
        said = md_escape(mean_said(ev))
        out += [f"{said[0].upper()}{said[1:]}: **{mean:.3f}**{shown(mean, ev.mean_macro_f1_interval)}",
                ""]
    if ev.overall is not None:
        o = ev.overall
        out += [f"Overall score vs {md_code(o.field)}: Spearman {fixed(o.spearman)}"
                f"{shown(o.spearman, o.spearman_interval)}, "
                f"Kendall {fixed(o.kendall)} "
                f"(n={o.support}); with word count held fixed {fixed(o.partial)}; word count alone "
                f"{fixed(o.words_spearman)}{_auc_note(o)}.", ""]
        if o.criteria:
            two_valued = o.auc is not None
            out += [f"| criterion | n | Spearman vs {md_code(o.field, cell=True)} | Kendall | given length |"
                    + (" AUC |" if two_valued else ""),
                    "|---|--:|--:|--:|--:|" + ("--:|" if two_valued else "")]
            out += [f"| {r.id} | {r.support} | {fixed(r.spearman)}{shown(r.spearman, r.spearman_interval)} | "
                    f"{fixed(r.kendall)} | {fixed(r.partial)} |"
                    + (f" {fixed(r.auc)}{shown(r.auc, r.auc_interval)} |" if two_valued else "")
                    for r in o.criteria]
            out.append("")
    if ev.bootstrap is not None:
        out += [_bootstrap_note(ev).strip(), ""]
    for c in ev.criteria:
        if c.disagreements:
            out += [f"## {c.id}: largest disagreements", "",
                    "| document | expert | score | explanation |", "|---|---|--:|---|"]
            out += [f"| {md_escape(d.id)} | {md_escape(d.expert)} | {out_of_100(d.score, 1)} | "
                    f"{md_escape(d.explanation)} |" for d in c.disagreements]
            out.append("")
    if ev.overall is not None:
        out += _rank_disagreements_markdown(ev.overall)
    return "\n".join(out).rstrip() + "\n"


def change_table(ch: AgreementChange, names: tuple[str, str]) -> Trimmed:
    """The figures of ``names`` (the rubric compared against, then the one measured) side by
    side, with each change on all the labelled articles and on each half."""
    boot = ch.bootstrap is not None
    table = left_table(plain(f"Agreement with expert labels: {names[1]} against {names[0]} "
                             f"({ch.labelled} labelled articles; halves of {ch.halves[0]} and "
                             f"{ch.halves[1]})"))
    # Headers of two short lines, and an interval with no space inside, keep the table within
    # 80 columns; a long figure name folds in its own column.
    table.add_column("figure", overflow="fold", min_width=12)
    for col in ("against", "rubric", "change", *(("95%\ninterval",) if boot else ()),
                "first\nhalf", "second\nhalf"):
        table.add_column(col, justify="right", no_wrap=True)
    for f in ch.figures:
        table.add_row(plain(f.figure), fixed(f.against), fixed(f.value),
                      fixed(f.change, signed=True),
                      *((_change_interval(f),) if boot else ()),
                      fixed(f.first_half, signed=True), fixed(f.second_half, signed=True))
    table.caption = plain(_change_caption(ch, names))
    lines = Text("".join(f"note: {plain(n)}\n" for n in ch.notes))
    return Trimmed(Group(table, lines) if ch.notes else table)


def change_markdown(ch: AgreementChange, names: tuple[str, str]) -> str:
    boot = ch.bootstrap is not None
    out = [f"# Agreement with expert labels: {md_escape(names[1])} against {md_escape(names[0])}",
           "", f"{ch.labelled} labelled articles; halves of {ch.halves[0]} and {ch.halves[1]}.", "",
           "| figure | against | rubric | change |" + (" 95% interval |" if boot else "")
           + " first half | second half |",
           "|---|--:|--:|--:|" + ("--:|" if boot else "") + "--:|--:|"]
    out += [f"| {md_escape(f.figure)} | {fixed(f.against)} | {fixed(f.value)} | "
            f"{fixed(f.change, signed=True)} |"
            + (f" {_change_interval(f)} |" if boot else "")
            + f" {fixed(f.first_half, signed=True)} | {fixed(f.second_half, signed=True)} |"
            for f in ch.figures]
    out += ["", md_escape(_change_caption(ch, names)), ""]
    out += [f"Note: {md_escape(n)}" for n in ch.notes]
    return "\n".join(out).rstrip() + "\n"


def _change_interval(f: FigureChange) -> str:
    """A change's interval to three places (changes are small), with no space inside; "-"
    where none could be made."""
    return interval(f.change_interval).strip().replace(", ", ",") or "-"


def _change_caption(ch: AgreementChange, names: tuple[str, str]) -> str:
    """What the columns are, and which figures rise or fall on both halves."""
    def listed(figures: list[FigureChange]) -> str:
        return ", ".join(f.figure for f in figures) or "none"

    said = (f"change: {names[1]} minus {names[0]}; first and second half: the change on each "
            "half of the labelled articles (sorted by id). A change tuned to some articles "
            "tends to help on one half only. "
            f"Rises on both halves: {listed(ch.helped_on_both)}. "
            f"Falls on both: {listed(ch.hurt_on_both)}.")
    if ch.bootstrap is not None:
        b = ch.bootstrap
        said += (f" 95% interval: the middle {b.level:.0%} of the change over {b.rounds} "
                 f"resamples drawing the same articles for both rubrics (paired bootstrap, seed "
                 f"{b.seed}); an interval clear of 0 is a change this many articles can show.")
    return said


def _rank_disagreements_markdown(o: OverallAgreement) -> list[str]:
    """The articles whose rank by score is farthest from their rank by rating (``--top`` of
    them), as the table format shows them."""
    if not o.disagreements:
        return []
    return ["## overall: largest rank disagreements", "",
            "| document | rating | score | rank gap |", "|---|--:|--:|--:|",
            *(f"| {md_escape(r.id)} | {r.rating:g} | {r.score:.1f} | {r.rank_gap:+z.2f} |"
              for r in o.disagreements), ""]


DIFF_LEGEND = ("old and new score, with the grade where it changed; a ceiling that now holds the "
               "score otherwise (the criterion whose rule set it); then "
               "each criterion that moved the score, largest effect first: how many points of the "
               "score it moved (of the weighted mean, before any ceiling), then its old->new score "
               "(0-100; n/a: not applicable), or added or dropped with the rubric; weight old->new "
               "when it changed; + signals that gave points only under the new rubric, - only "
               "under the old, ~ under both with other points. No effect: criteria that changed "
               "but count in neither total")
NO_EFFECT = "no effect (weight 0 or not applicable):"
# The narrowest "what moved it" column the table is drawn with: where the terminal leaves it
# less, each article is a line of its own with what moved it under it, across the whole width.
MIN_MOVED_WIDTH = 50


def diff_table(diff: RubricDiff, top: int) -> Trimmed:
    return Trimmed(DiffView(diff, [d for d in diff.documents[:top] if d.moved]))


class DiffView:
    """A rubric diff in the terminal: the summary line, then the articles whose score moved
    most, each with the criteria that moved it, one a line. Where the terminal leaves the table
    too narrow a "what moved it" column, each article is a line of its own (id, old -> new,
    change) with its criteria under it, across the width, and the legend follows as a
    paragraph."""

    def __init__(self, diff: RubricDiff, documents: list[DocumentChange]) -> None:
        self.diff = diff
        self.documents = documents

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        d = self.diff
        regraded = f", {d.regraded} regraded" if d.regraded else ""
        counts = (f"{d.up} up, {d.down} down, {d.unchanged} unchanged "
                  f"(mean change {d.mean_change:+z.1f}{regraded});")
        names = f"{d.old_rubric} -> {d.new_rubric}"
        # The rubrics' names on a line of their own rather than one of them cut in two.
        fits = cell_len(f"{counts} {names}") <= width
        yield plain(f"{counts} {names}" if fits else f"{counts}\n{names}")
        if not self.documents:  # no score moved: the summary says all there is
            return
        rows = [(plain(doc.id), _scored(doc.old, doc.old_grade, doc.new_grade),
                 _scored(doc.new, doc.new_grade, doc.old_grade), f"{doc.change:+z.1f}")
                for doc in self.documents]
        headers = ("article", "old", "new", "change")
        used = sum(max(cell_len(str(row[i])) for row in [headers, *rows]) for i in range(4))
        if width - used - 3 * 5 - 1 >= MIN_MOVED_WIDTH:  # 6 rules, a space each side of a cell
            yield self._table(rows)
            return
        yield Text("Articles whose score or grade changed most", style="table.title")
        for doc, (name, old, new, change) in zip(self.documents, rows, strict=True):
            yield Text.assemble(name, f"  {old} -> {new} ({change})", style="bold")
            yield Padding(_moved_cell(doc), (0, 0, 1, 2))
        yield Text(DIFF_LEGEND, style="table.caption")

    def _table(self, rows: list[tuple[Text, str, str, str]]) -> Table:
        table = left_table("Articles whose score or grade changed most", caption=DIFF_LEGEND)
        for col in ("article", "old", "new", "change", "what moved it"):
            table.add_column(col, overflow="fold", justify="right" if col in ("old", "new", "change")
                             else "left")
        for doc, row in zip(self.documents, rows, strict=True):
            table.add_row(*row, _moved_cell(doc))
        return table


def _scored(score: float, grade: str, other: str) -> str:
    """A score, with its grade where the other rubric gives another."""
    return f"{score:.1f}" if grade == other else f"{score:.1f} ({grade})"


def _held(d: DocumentChange) -> str | None:
    """What a ceiling did to an article's score, when the ceiling that held it changed."""
    old, new = d.old_held, d.new_held
    if old == new:
        return None
    if new is None:
        assert old is not None
        return f"no longer held by a ceiling (was held at {old.ceiling:g} by {old.criterion}'s)"
    if old is None:
        was = "was not held"
    elif old.criterion == new.criterion:
        was = f"was {old.ceiling:g}"
    else:
        was = f"was {old.ceiling:g}, by {old.criterion}'s"
    return f"held at {new.ceiling:g} by {new.criterion}'s ceiling ({was})"


def _moved_cell(d: DocumentChange) -> Group:
    """What moved an article's score: a ceiling that now holds it otherwise, then each
    criterion that counts on a line of its own, its effect in a column of their own, then those
    that changed with no effect."""
    held = _held(d)
    counted = Table.grid(padding=(0, 1))
    counted.add_column(justify="right", no_wrap=True)
    counted.add_column(overflow="fold")
    for c in d.criteria:
        if c.counted:
            counted.add_row(f"{c.effect:+z.2f}", plain(_moved(c)))
    idle = [Padding(plain(_moved(c)), (0, 0, 0, 2)) for c in d.criteria if not c.counted]
    return Group(*([plain(held)] if held else []), *([counted] if counted.rows else []),
                 *([Text(NO_EFFECT), *idle] if idle else []))


def _moved(c: CriterionChange) -> str:
    if c.old_weight is None:  # a criterion only the new rubric has
        head = f"{c.id} added: {out_of_100(c.new, 1)}"
    elif c.new_weight is None:  # ... only the old one
        head = f"{c.id} dropped (was {out_of_100(c.old, 1)})"
    else:
        head = f"{c.id} {out_of_100(c.old, 1)}->{out_of_100(c.new, 1)}"
    parts = [head]
    if c.old_weight != c.new_weight and c.old_weight is not None and c.new_weight is not None:
        parts.append(f"weight {c.old_weight:g}->{c.new_weight:g}")
    parts += [f"{mark}{', '.join(names)}" for mark, names in
              (("+", c.added), ("-", c.removed), ("~", c.changed)) if names]
    return " ".join(parts[:1]) + "".join(f" ({p})" for p in parts[1:])
