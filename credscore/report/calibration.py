"""The view of a calibration: the numbers it changed, and agreement on held-out articles."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from credscore.calibrate.calibration import Calibration, fitted_on
from credscore.calibrate.crossval import Summary
from credscore.report.figures import fixed
from credscore.report.safe_text import plain
from credscore.report.table import left_table
from credscore.report.trimmed import Trimmed


def calibration_view(result: Calibration, written: bool) -> Trimmed:
    parts: list[Table | Text] = [_changes(result)]
    if result.spearman is not None and result.kendall is not None:
        parts.append(_ranking(result.spearman, result.kendall, result))
    if result.criteria:
        parts.append(_labels(result))
    if not written:
        parts.append(Text("dry run: nothing written"))
    return Trimmed(Group(*parts))


def _changes(result: Calibration) -> Table:
    table = left_table(plain(f"Fitted on {fitted_on(result)} (--fit {result.fit})"))
    for col in ("criterion", "signal or rule", "old", "new"):
        table.add_column(col, justify="right" if col in ("old", "new") else "left")
    for c in result.changes:
        table.add_row(c.criterion, c.item or "weight", f"{c.old:g}", f"{c.new:g}")
    if not result.changes:
        table.caption = "nothing changed: every written number was kept"
    elif result.weights_adopted is False:
        table.caption = ("weights kept as written: the fitted ones ranked the articles no "
                         "better than them")
    if result.rewards_adopted is False:
        table.caption = ("rewards kept as written: the fitted ones ranked the articles no "
                         "better than them")
    return table


def _ranking(spearman: Summary, kendall: Summary, result: Calibration) -> Table:
    # The rating field is a column of the labels file, shown as written ('stars [expert]').
    table = left_table(plain(f"Ranking by '{result.rating_field}', held-out folds "
                             f"({result.folds}, seed {result.seed})"))
    for col in ("fold", "n", "Spearman before", "after", "gain", "Kendall before", "after", "gain"):
        table.add_column(col, justify="right")
    for s, k in zip(spearman.folds, kendall.folds, strict=True):
        table.add_row(str(s.fold), str(s.n), fixed(s.before), fixed(s.after), _gain(s.before, s.after),
                      fixed(k.before), fixed(k.after), _gain(k.before, k.after))
    table.add_row("mean", "", fixed(spearman.before), fixed(spearman.after),
                  fixed(spearman.gain, signed=True), fixed(kendall.before), fixed(kendall.after),
                  fixed(kendall.gain, signed=True), end_section=True)
    table.add_row("sd", "", "", "", fixed(spearman.spread), "", "", fixed(kendall.spread))
    table.caption = ("each fold is scored with numbers fitted on the other folds. "
                     f"Spearman: {spearman.verdict}. Kendall: {kendall.verdict}.")
    return table


def _labels(result: Calibration) -> Table:
    table = left_table(f"Macro-F1 per criterion, held-out folds ({result.folds}, seed "
                       f"{result.seed})")
    for col in ("criterion", "n", "before", "after", "gain", "sd", "gain per fold", "claim",
                "points"):
        table.add_column(col, justify="left" if col in ("criterion", "gain per fold", "claim",
                                                         "points") else "right")
    for c in result.criteria:
        s = c.macro_f1
        per_fold = " ".join(_gain(f.before, f.after) for f in s.folds)
        table.add_row(c.id, str(c.support), fixed(s.before), fixed(s.after), fixed(s.gain, signed=True),
                      fixed(s.spread), per_fold, s.claim, "fitted" if c.adopted else "kept")
    table.caption = ("a gain counts only when it is larger than its spread (sd over the folds); "
                     "'kept': the fit on all articles did not beat the written points on them")
    return table


def _gain(before: float | None, after: float | None) -> str:
    return fixed(None if before is None or after is None else after - before, signed=True)
