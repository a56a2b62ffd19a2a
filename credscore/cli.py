"""The ``credscore`` command line.

Exit codes: 0 every document was scored; 1 some documents could not be read or scored (they are
listed under ``errors``); 2 a usage error or a rubric that cannot be used.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from credscore import __version__
from credscore.engine.compile import compile_rubric
from credscore.engine.examples import run_examples
from credscore.evaluate.compare import Evaluation
from credscore.models import DocumentScore, ParsedDocument, ReadError, RubricRef
from credscore.parse import parse as parse_document
from credscore.partitions import PARTITION_BYTES
from credscore.read import read_paths, read_tasks
from credscore.read.files import MAX_DOCUMENT_BYTES
from credscore.read.urls import FETCH_TIMEOUT, is_url, url_lines
from credscore.read.warc import SkippedRecords
from credscore.report import json as json_report
from credscore.report.csv import scores_csv
from credscore.report.progress import progress_for
from credscore.report.rubric_docs import rubric_markdown
from credscore.report.table import parse_view, score_table
from credscore.rubric.load import LoadedRubric, RubricError, load_rubric
from credscore.rubric.model import Rubric
from credscore.run import Result, ScoredLine, Shape, default_jobs, score_stream

if TYPE_CHECKING:
    from distributed import Client

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="credscore",
    help="Score the evidence quality of health and science articles with a YAML rubric. "
    "Every score explains itself: criteria, findings, sentences and points.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)
rubric_app = typer.Typer(help="Check, describe and document rubric files.", no_args_is_help=True)
app.add_typer(rubric_app, name="rubric")

err = Console(stderr=True, highlight=False)


class ScoreFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    html = "html"


class ParseFormat(StrEnum):
    text = "text"
    json = "json"


class EvalFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class DiffFormat(StrEnum):
    table = "table"
    json = "json"


RubricOption = Annotated[
    Path | None,
    typer.Option("--rubric", "-r", help="Rubric YAML file. Default: the shipped default rubric.",
                 show_default=False),
]
PathsArgument = Annotated[
    list[Path],
    typer.Argument(help="Files, folders (searched recursively for .txt .md .html .htm .jsonl "
                   ".warc .warc.gz), JSONL files with one article per line or web archives.",
                   show_default=False),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes. Default: all cores.",
                 show_default=False),
]
MaxBytesOption = Annotated[
    int, typer.Option("--max-bytes", min=1, help="Largest article read, in bytes.")
]
InputsArgument = Annotated[
    list[str] | None,
    typer.Argument(help="Files, folders (searched recursively for .txt .md .html .htm .jsonl "
                   ".warc .warc.gz), JSONL files with one article per line, web archives "
                   "(.warc, .warc.gz) or http(s) URLs.", show_default=False,
                   metavar="PATH_OR_URL"),
]
UrlsOption = Annotated[
    Path | None,
    typer.Option("--urls", help="A file of URLs to fetch and score, one a line.",
                 show_default=False),
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0.001, help="Seconds allowed for fetching one URL "
                        "(connecting, redirects and download).")
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="Score on a Dask cluster: the scheduler's address "
                 "(tcp://host:8786), a scheduler file, or local:N to start N worker processes "
                 "on this machine. Needs: pip install 'credscore[dask]'.", show_default=False),
]
OutputDirOption = Annotated[
    Path | None,
    typer.Option("--output-dir", help="With --scheduler: the workers write one JSONL file per "
                 "partition here, beside a manifest.json listing them (a new or empty folder).",
                 show_default=False),
]
PartitionOption = Annotated[
    int, typer.Option("--partition-bytes", min=1, help="With --scheduler: input bytes in one "
                      "partition (a web archive is always one partition).")
]


@dataclass(frozen=True)
class RunOptions:
    """Inputs beyond the paths (a --urls file), how URLs are fetched, and where scoring runs:
    local worker processes, or a Dask cluster when ``client`` is set."""

    urls: Iterable[str] = ()
    timeout: float = FETCH_TIMEOUT
    client: Client | None = None
    partition_bytes: int = PARTITION_BYTES
    skipped: SkippedRecords = field(default_factory=SkippedRecords)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"credscore {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Score the evidence quality of health and science articles."""


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def get_rubric(path: Path | None) -> LoadedRubric:
    try:
        return load_rubric(path)
    except RubricError as exc:
        for problem in exc.problems:
            err.print(problem, markup=False, soft_wrap=True)
        n = len(exc.problems)
        err.print(f"[bold red]error:[/] the rubric has {n} problem{'s' * (n != 1)}; "
                  "fix them and run again", markup=True)
        raise typer.Exit(EXIT_USAGE) from None


def rubric_ref(loaded: LoadedRubric) -> RubricRef:
    return RubricRef(id=loaded.rubric.id, version=loaded.rubric.version, sha256=loaded.sha256)


@contextmanager
def output_stream(output: Path | None):  # type: ignore[no-untyped-def]
    if output is None:
        yield sys.stdout
        return
    try:
        handle = output.open("w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    with handle:
        yield handle


def check_paths(paths: Sequence[str | Path]) -> None:
    missing = [str(p) for p in paths if not is_url(p) and not Path(p).exists()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(missing)}")


def check_inputs(paths: list[str] | None, urls: Path | None) -> list[str]:
    """The paths and URLs given, once each exists (a --urls file is read as scoring goes)."""
    if not paths and urls is None:
        raise fail("give the files, folders, web archives or URLs to score (or --urls FILE)")
    check_paths(paths or [])
    if urls is not None:
        try:
            urls.open("rb").close()
        except OSError as exc:
            raise fail(f"cannot read {urls}: {exc.strerror or exc}") from None
    return paths or []


def open_cluster(ctx: typer.Context, scheduler: str | None) -> Client | None:
    """A client of the Dask cluster, connected now (so that a wrong address is a usage error
    before any output is written) and closed when the command ends."""
    if scheduler is None:
        return None
    from credscore.cluster import ClusterUsageError, DaskMissing, connect

    try:
        return ctx.with_resource(connect(scheduler))
    except (DaskMissing, ClusterUsageError) as exc:
        raise fail(escape(str(exc))) from None
    except OSError as exc:
        raise fail(escape(f"cannot reach the Dask scheduler at {scheduler}: {exc}")) from None


def scored(paths: Sequence[str | Path], rubric: Rubric, jobs: int | None, max_bytes: int,
           shape: Shape, advance: Callable[[], None], opts: RunOptions) -> Iterator[Result]:
    """Results in input order, from local worker processes or from the cluster; then a note
    for each web archive whose records were not all articles."""
    if opts.client is None:
        tasks = read_tasks(chain(paths, opts.urls), max_bytes, timeout=opts.timeout,
                           skipped=opts.skipped)
        yield from score_stream(tasks, rubric, jobs or default_jobs(),
                                on_result=lambda r: advance(), shape=shape)
    else:
        from credscore.cluster import ClusterUsageError, cluster_results

        try:
            for result in cluster_results(opts.client, paths, rubric, shape, urls=opts.urls,
                                          max_bytes=max_bytes, timeout=opts.timeout,
                                          partition_bytes=opts.partition_bytes,
                                          skipped=opts.skipped):
                advance()
                yield result
        except ClusterUsageError as exc:
            raise fail(escape(str(exc))) from None
    for line in opts.skipped.lines():
        err.print(f"note: {line}", markup=False, soft_wrap=True)


def run_scoring(paths: Sequence[str | Path], rubric: Rubric, jobs: int | None, max_bytes: int,
                opts: RunOptions | None = None) -> tuple[list[DocumentScore], list[ReadError]]:
    docs: list[DocumentScore] = []
    errors: list[ReadError] = []
    with progress_for(err) as advance:
        for result in scored(paths, rubric, jobs, max_bytes, "score", advance,
                             opts or RunOptions()):
            if isinstance(result, ReadError):
                errors.append(result)
            elif isinstance(result, DocumentScore):
                docs.append(result)
    return docs, errors


@app.command()
def score(
    ctx: typer.Context,
    paths: InputsArgument = None,
    rubric: RubricOption = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f", help="Output format.")]
    = ScoreFormat.table,
    output: OutputOption = None,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
    urls: UrlsOption = None,
    timeout: TimeoutOption = FETCH_TIMEOUT,
    scheduler: SchedulerOption = None,
    output_dir: OutputDirOption = None,
    partition_bytes: PartitionOption = PARTITION_BYTES,
) -> None:
    """Score articles and print each one's score, grade and explained criteria.

    JSON output follows the documented contract; JSONL streams one document per line in input
    order. Exit code 1 when some documents failed (they are listed), 2 on a usage or rubric error.
    """
    paths = check_inputs(paths, urls)
    if output_dir is not None:
        check_output_dir(output_dir, scheduler, fmt, output)
    loaded = get_rubric(rubric)
    opts = RunOptions(urls=url_lines(urls) if urls else (), timeout=timeout,
                      client=open_cluster(ctx, scheduler), partition_bytes=partition_bytes)
    if output_dir is not None:
        score_to_dir(paths, loaded, output_dir, max_bytes, opts)
    if fmt is ScoreFormat.jsonl:
        failed = _stream_jsonl(paths, loaded, jobs, max_bytes, output, opts)
        raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)
    if fmt in (ScoreFormat.html, ScoreFormat.markdown):
        write_report(paths, loaded, fmt.value, output, jobs, max_bytes, opts)
        return
    docs, errors = run_scoring(paths, loaded.rubric, jobs, max_bytes, opts)
    with output_stream(output) as out:
        if fmt is ScoreFormat.csv:
            out.write(scores_csv(json_report.ordered(docs)))
        elif fmt is ScoreFormat.json:
            out.write(json_report.dumps(json_report.payload(rubric_ref(loaded), docs, errors)))
        else:
            console = Console(file=out, highlight=False) if output else Console(highlight=False)
            console.print(score_table(json_report.ordered(docs), loaded.rubric))
            for e in errors:
                err.print(f"[yellow]skipped[/] {e.path}: {e.error}", markup=True, soft_wrap=True)
            console.print(f"{len(docs)} scored, {len(errors)} failed; rubric {loaded.rubric.id} "
                          f"{loaded.rubric.version}", markup=False)
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


def check_output_dir(output_dir: Path, scheduler: str | None, fmt: ScoreFormat,
                     output: Path | None) -> None:
    if scheduler is None:
        raise fail("--output-dir writes the partitions of a cluster run: add --scheduler "
                   "(local:N runs one on this machine)")
    if output is not None or fmt not in (ScoreFormat.table, ScoreFormat.jsonl):
        raise fail("--output-dir writes JSONL files and a manifest; leave out --output and "
                   "--format")
    if output_dir.exists() and (not output_dir.is_dir() or any(output_dir.iterdir())):
        raise fail(escape(f"{output_dir} is not an empty folder: give a new or empty one, so "
                          "that nothing in it is overwritten"))


def score_to_dir(paths: list[str], loaded: LoadedRubric, output_dir: Path, max_bytes: int,
                 opts: RunOptions) -> NoReturn:
    """Score on the cluster into one JSONL file per partition and a manifest."""
    from credscore.cluster import (
        ClusterUsageError,
        PartDone,
        PartOutcome,
        describe_briefly,
        write_partitions,
    )

    assert opts.client is not None
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(escape(f"cannot create {output_dir}: {exc.strerror or exc}")) from None
    header: dict[str, Any] = {"credscore_version": __version__,
                              "rubric": rubric_ref(loaded).model_dump(mode="json")}
    with progress_for(err) as advance:
        def on_partition(outcome: PartOutcome) -> None:
            if isinstance(outcome, PartDone):
                advance(outcome.documents + len(outcome.errors))
                for e in outcome.errors:
                    err.print(f"skipped {e.path}: {e.error}", markup=False, soft_wrap=True)

        try:
            manifest = write_partitions(opts.client, paths, loaded.rubric, output_dir.resolve(),
                                        header, urls=opts.urls, max_bytes=max_bytes,
                                        timeout=opts.timeout,
                                        partition_bytes=opts.partition_bytes,
                                        on_partition=on_partition)
        except ClusterUsageError as exc:
            raise fail(escape(str(exc))) from None
    for part in manifest["partitions"]:
        if part["file"] is None:
            err.print(f"failed {describe_briefly(part['inputs'])}: {part['failed']}", markup=False,
                      soft_wrap=True)
    for archive, kinds in manifest["skipped_records"].items():
        n = sum(kinds.values())
        err.print(f"note: {archive}: {n} record{'s' * (n != 1)} skipped, not HTML or text "
                  "responses (counted in the manifest)", markup=False, soft_wrap=True)
    written = sum(1 for part in manifest["partitions"] if part["file"])
    err.print(f"wrote {manifest['documents']} documents to {written} files in {output_dir} "
              f"(listed in manifest.json); {manifest['errors']} failed, "
              f"{manifest['failed_partitions']} partitions failed", markup=False, soft_wrap=True)
    failed = manifest["errors"] or manifest["failed_partitions"]
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def write_report(paths: Sequence[str | Path], loaded: LoadedRubric, fmt: str,
                 output: Path | None, jobs: int | None, max_bytes: int,
                 opts: RunOptions | None = None) -> None:
    """Score with the article texts kept, and write the HTML or Markdown report."""
    from credscore.report.html import render_html
    from credscore.report.markdown import render_markdown
    from credscore.run import ScoredText

    results: list[tuple[DocumentScore, ParsedDocument | None]] = []
    errors: list[ReadError] = []
    with progress_for(err) as advance:
        for r in scored(paths, loaded.rubric, jobs, max_bytes, "text", advance,
                        opts or RunOptions()):
            if isinstance(r, ScoredText):
                results.append((r.score, r.parsed))
            elif isinstance(r, ReadError):
                errors.append(r)
    render = render_html if fmt == "html" else render_markdown
    text = render(results, rubric_ref(loaded), loaded.rubric.name, errors)
    with output_stream(output) as out:
        out.write(text)
    if output is not None:
        err.print(f"wrote {output} ({len(results)} articles, {len(text) / 1e6:.1f} MB)",
                  markup=False)
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


@app.command()
def report(
    paths: InputsArgument = None,
    rubric: RubricOption = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The report file to write.")]
    = Path("report.html"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="html or markdown.")] = "html",
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
    urls: UrlsOption = None,
    timeout: TimeoutOption = FETCH_TIMEOUT,
) -> None:
    """Write a credibility report: one self-contained HTML page (or Markdown) with the ranking,
    a score chart, a criteria heat map, and every article with its evidence marked."""
    if fmt not in ("html", "markdown"):
        raise fail(f"--format must be html or markdown, not {fmt!r}")
    paths = check_inputs(paths, urls)
    write_report(paths, get_rubric(rubric), fmt, output, jobs, max_bytes,
                 RunOptions(urls=url_lines(urls) if urls else (), timeout=timeout))


@app.command()
def explain(
    file: Annotated[str, typer.Argument(help="One article file or URL.")],
    rubric: RubricOption = None,
    criterion: Annotated[str | None, typer.Option("--criterion", "-c", help="Only this criterion.")]
    = None,
    timeout: TimeoutOption = FETCH_TIMEOUT,
) -> None:
    """Print an article with its findings highlighted, then each criterion's explanation."""
    from credscore.engine.compile import compile_rubric as compile_
    from credscore.engine.score import score as score_
    from credscore.report.terminal import explain_view

    check_paths([file])
    loaded = get_rubric(rubric)
    if criterion is not None and criterion not in {c.id for c in loaded.rubric.criteria}:
        known = ", ".join(c.id for c in loaded.rubric.criteria)
        raise fail(f"no criterion {criterion!r} in rubric {loaded.rubric.id}; it has: {known}")
    results = list(read_paths([file], timeout=timeout))
    if not results or isinstance(results[0], ReadError):
        reason = results[0].error if results else "no article found"  # type: ignore[union-attr]
        raise fail(f"{file}: {reason}", EXIT_SOME_FAILED)
    parsed = parse_document(results[0])  # type: ignore[arg-type]
    result = score_(parsed, compile_(loaded.rubric))
    Console(highlight=False).print(explain_view(result, parsed, criterion))


def _stream_jsonl(paths: Sequence[str | Path], loaded: LoadedRubric, jobs: int | None,
                  max_bytes: int, output: Path | None, opts: RunOptions | None = None) -> int:
    failed = 0
    with output_stream(output) as out, progress_for(err) as advance:
        for result in scored(paths, loaded.rubric, jobs, max_bytes, "line", advance,
                             opts or RunOptions()):
            if isinstance(result, ScoredLine):
                out.write(result.line + "\n")
            elif isinstance(result, ReadError):
                failed += 1
                err.print(f"skipped {result.path}: {result.error}", markup=False, soft_wrap=True)
    return failed


@app.command()
def evaluate(
    paths: PathsArgument,
    labels: Annotated[Path, typer.Option("--labels", "-l", help="Expert labels: JSONL or CSV "
                                         "keyed by document id.", show_default=False)],
    rubric: RubricOption = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")]
    = EvalFormat.table,
    rating: Annotated[str | None, typer.Option(
        "--rating", help="Label field with an overall rating to correlate with the score. "
        "Default: the rubric's rating_field.", show_default=False)] = None,
    id_field: Annotated[str, typer.Option("--id-field", help="Label field with the document id.")]
    = "id",
    top: Annotated[int, typer.Option("--top", min=0, help="Disagreements shown per criterion.")]
    = 5,
    output: OutputOption = None,
    jobs: JobsOption = None,
) -> None:
    """Measure agreement with expert labels: per-criterion precision, recall, F1, macro-F1 and
    balanced accuracy; Spearman and Kendall of the score with an overall rating; and the
    articles with the largest disagreements, with credscore's explanation."""
    from credscore.evaluate.compare import evaluate as run_evaluation
    from credscore.evaluate.labels import LabelError, load_labels
    from credscore.report.evaluation import evaluation_markdown, evaluation_table

    check_paths(paths)
    loaded = get_rubric(rubric)
    if not any(c.label for c in loaded.rubric.criteria) and not (rating or loaded.rubric.rating_field):
        raise fail(f"the rubric {loaded.rubric.id} maps no criterion to a label field (add "
                   "'label:' to a criterion) and names no rating field (use --rating)")
    try:
        label_rows = load_labels(labels, id_field)
    except LabelError as exc:
        raise fail(str(exc)) from None
    docs, errors = run_scoring(paths, loaded.rubric, jobs, MAX_DOCUMENT_BYTES)
    report = run_evaluation(docs, label_rows, loaded.rubric,
                            rating_field=rating or loaded.rubric.rating_field, top=top)
    if report.labelled == 0:
        raise fail(f"none of the {len(docs)} scored documents has a label in {labels} "
                   f"(ids are matched on '{id_field}')")
    with output_stream(output) as out:
        if fmt is EvalFormat.json:
            out.write(json_report.dumps(report.model_dump(mode="json")))
        elif fmt is EvalFormat.markdown:
            out.write(evaluation_markdown(report))
        else:
            console = Console(file=out, highlight=False, width=160) if output else Console(highlight=False)
            console.print(evaluation_table(report))
    for e in errors:
        err.print(f"skipped {e.path}: {e.error}", markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


@app.command()
def diff(
    paths: PathsArgument,
    rubric: Annotated[Path, typer.Option("--rubric", "-r", help="The new rubric.",
                                         show_default=False)],
    against: Annotated[Path, typer.Option("--against", "-a", help="The old rubric to compare with.",
                                          show_default=False)],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")]
    = DiffFormat.table,
    top: Annotated[int, typer.Option("--top", min=1, help="Articles listed.")] = 20,
    output: OutputOption = None,
    jobs: JobsOption = None,
) -> None:
    """Score the same articles with two rubrics and show which scores moved, by how much, and
    which criteria and findings moved them."""
    from credscore.evaluate.diff import diff_scores
    from credscore.report.evaluation import diff_table

    check_paths(paths)
    new, old = get_rubric(rubric), get_rubric(against)
    new_ids = {c.id for c in new.rubric.criteria}
    old_ids = {c.id for c in old.rubric.criteria}
    if new_ids != old_ids:
        err.print(f"note: criteria are matched by id; {len(new_ids & old_ids)} of "
                  f"{len(new_ids | old_ids)} are in both rubrics, the others show as added "
                  f"(-> new score) or removed (old score ->)", markup=False, soft_wrap=True)
    new_docs, errors = run_scoring(paths, new.rubric, jobs, MAX_DOCUMENT_BYTES)
    old_docs, _ = run_scoring(paths, old.rubric, jobs, MAX_DOCUMENT_BYTES)
    result = diff_scores(json_report.ordered(old_docs), json_report.ordered(new_docs),
                         f"{old.rubric.id} {old.rubric.version}", f"{new.rubric.id} {new.rubric.version}")
    with output_stream(output) as out:
        if fmt is DiffFormat.json:
            out.write(json_report.dumps(result.model_dump(mode="json")))
        else:
            console = Console(file=out, highlight=False, width=160) if output else Console(highlight=False)
            console.print(diff_table(result, top))
    for e in errors:
        err.print(f"skipped {e.path}: {e.error}", markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


class FitKind(StrEnum):
    weights = "weights"
    points = "points"
    both = "both"


class CalibrateFormat(StrEnum):
    table = "table"
    json = "json"


CALIBRATE_NEEDS = ("numpy", "scipy", "ruamel")


@app.command()
def calibrate(
    paths: PathsArgument,
    labels: Annotated[Path, typer.Option("--labels", "-l", help="Expert labels: JSONL or CSV "
                                         "keyed by document id.", show_default=False)],
    rubric: RubricOption = None,
    rating: Annotated[str | None, typer.Option(
        "--rating", help="Label field with an overall rating the weights are fitted to. "
        "Default: the rubric's rating_field.", show_default=False)] = None,
    id_field: Annotated[str, typer.Option("--id-field", help="Label field with the document id.")]
    = "id",
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds.")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the fold split.")] = 0,
    fit: Annotated[FitKind, typer.Option("--fit", help="weights: criterion weights, to the "
                                         "rating; points: the points of criteria with a "
                                         "'label:', to that label; both: points, then weights.")]
    = FitKind.weights,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Where to write the calibrated rubric. Default: NAME.calibrated.yaml "
        "(NAME.overlay.yaml) beside the rubric, or in the working folder for the shipped one; "
        "never the rubric itself.", show_default=False)] = None,
    overlay: Annotated[bool, typer.Option("--overlay", help="Write a small rubric that extends "
                                          "the input and holds only the fitted numbers.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the old and new numbers and "
                                          "the cross-validated figures; write nothing.")] = False,
    fmt: Annotated[CalibrateFormat, typer.Option("--format", "-f", help="Output format.")]
    = CalibrateFormat.table,
    jobs: JobsOption = None,
    keep: Annotated[list[str] | None, typer.Option(
        "--keep", metavar="CRITERION",
        help="Leave this criterion's weight, and so its share of the total, as written and fit "
        "the others around it (a weight that is a policy, or that the labels cannot inform). "
        "Repeatable.",
        show_default=False)] = None,
) -> None:
    """Fit the rubric's weights (or points) to expert labels, say by cross-validation whether
    that agrees better with the experts on articles the fit never saw, and write the fitted
    numbers into a copy of the rubric (comments and layout kept) or an overlay that extends it."""
    from rich.markup import escape as markup_escape

    try:
        from credscore.calibrate.calibration import calibrate as run_calibration
        from credscore.calibrate.calibration import check_settings
        from credscore.calibrate.data import CalibrationError
        from credscore.calibrate.write import WriteError, calibrated_text, default_output, save
        from credscore.report.calibration import calibration_view
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in CALIBRATE_NEEDS:
            raise
        raise fail(markup_escape(f"credscore calibrate needs numpy, scipy and ruamel.yaml, and "
                          f"{exc.name} is not installed: pip install 'credscore[calibrate]'")
                   ) from None
    from credscore.evaluate.labels import LabelError, load_labels

    check_paths(paths)
    loaded = get_rubric(rubric)
    target = output or default_output(rubric, overlay)
    try:
        check_settings(loaded.rubric, fit.value, rating, folds, frozenset(keep or []))
        label_rows = load_labels(labels, id_field)
    except (CalibrationError, LabelError) as exc:
        raise fail(markup_escape(str(exc))) from None
    docs, errors = run_scoring(paths, loaded.rubric, jobs, MAX_DOCUMENT_BYTES)
    try:
        result = run_calibration(docs, label_rows, loaded.rubric, fit=fit.value,
                                 rating_field=rating, folds=folds, seed=seed, id_field=id_field,
                                 keep=frozenset(keep or []))
    except CalibrationError as exc:
        raise fail(markup_escape(str(exc))) from None
    if fmt is CalibrateFormat.json:
        typer.echo(json_report.dumps(result.model_dump(mode="json")), nl=False)
    else:
        Console(highlight=False, width=160).print(calibration_view(result, written=not dry_run))
    for e in errors:
        err.print(f"skipped {e.path}: {e.error}", markup=False, soft_wrap=True)
    if not dry_run:
        try:
            text = calibrated_text(result, loaded.rubric, rubric, target, overlay)
            save(target, text)
        except WriteError as exc:
            raise fail(markup_escape(str(exc))) from None
        except OSError as exc:
            raise fail(markup_escape(f"cannot write {target}: {exc.strerror or exc}")) from None
        err.print(f"wrote {target}", markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


@app.command("parse")
def parse_cmd(
    file: Annotated[str, typer.Argument(help="One article file (.txt .md .html .htm) or URL.")],
    fmt: Annotated[ParseFormat, typer.Option("--format", "-f", help="Output format.")]
    = ParseFormat.text,
    timeout: TimeoutOption = FETCH_TIMEOUT,
) -> None:
    """Show how an article was cut: its normalised text, blocks, zones and sentences."""
    check_paths([file])
    results = list(read_paths([file], timeout=timeout))
    if not results:
        raise fail(f"{file}: no article found")
    if isinstance(results[0], ReadError):
        raise fail(f"{results[0].path}: {results[0].error}", EXIT_SOME_FAILED)
    parsed = parse_document(results[0])
    if fmt is ParseFormat.json:
        data = parsed.model_dump(mode="json")
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(parse_view(parsed))


@rubric_app.command("check")
def rubric_check(
    file: Annotated[Path, typer.Argument(help="The rubric YAML file to check.")],
) -> None:
    """Validate a rubric and run every example it gives (must match / must not match)."""
    loaded = get_rubric(file)
    report = run_examples(compile_rubric(loaded.rubric))
    for failure in report.failures:
        err.print(f"{file}: {failure}", markup=False, soft_wrap=True)
    status = "[green]ok[/]" if not report.failures else "[bold red]FAILED[/]"
    err.print(f"{status} {file}: {len(loaded.rubric.criteria)} criteria, "
              f"{report.passed} of {report.total} examples pass", markup=True)
    raise typer.Exit(EXIT_USAGE if report.failures else EXIT_OK)


class ShowFormat(StrEnum):
    yaml = "yaml"
    json = "json"


@rubric_app.command("show")
def rubric_show(
    file: Annotated[Path, typer.Argument(help="The rubric YAML file to resolve.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="yaml, or json: the "
                                            "canonical form the sha256 is taken over.")]
    = ShowFormat.yaml,
    output: OutputOption = None,
) -> None:
    """Print a rubric with its bases and lexicon files merged in: what it scores with."""
    from credscore.report.rubric_show import rubric_yaml
    from credscore.rubric.load import canonical_json

    loaded = get_rubric(file)
    with output_stream(output) as out:
        out.write(canonical_json(loaded.resolved) if fmt is ShowFormat.json
                  else rubric_yaml(loaded))


@rubric_app.command("docs")
def rubric_docs(
    file: Annotated[Path, typer.Argument(help="The rubric YAML file to describe.")],
    output: OutputOption = None,
    agreement: Annotated[list[str] | None, typer.Option(
        "--agreement", "-a", metavar="NAME=FILE",
        help="Show what each criterion is worth against expert labels: FILE is the output of "
        "'credscore evaluate --format json' on a labelled set, NAME a short name for the set. "
        "Repeatable.", show_default=False)] = None,
) -> None:
    """Write a Markdown page describing every criterion, its anchor, weight, signals and examples."""
    loaded = get_rubric(file)
    measured = [_read_agreement(spec) for spec in agreement or []]
    command = " ".join(["credscore rubric docs", file.as_posix(),
                        *(f"--agreement '{spec}'" for spec in agreement or [])])
    with output_stream(output) as out:
        out.write(rubric_markdown(loaded.rubric, file.as_posix(), measured, command))


def _read_agreement(spec: str) -> tuple[str, Evaluation]:
    name, sep, path = spec.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise fail(f"--agreement takes NAME=FILE (for example 'stories=eval.json'), not '{spec}'")
    try:
        return name.strip(), Evaluation.model_validate_json(Path(path).read_bytes())
    except OSError as exc:
        raise fail(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError:
        raise fail(f"{path}: not the JSON output of 'credscore evaluate --format json'") from None


@rubric_app.command("schema")
def rubric_schema() -> None:
    """Print the JSON Schema of the rubric format (for editor completion and validation)."""
    schema = Rubric.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "credscore rubric"
    schema["properties"].update({
        "extends": {"type": "string", "description": "A base rubric: a shipped id or a path "
                    "relative to this file. Criteria, signals and rules then change it by id."},
        "remove": {"type": "array", "items": {"type": "string"},
                   "description": "Ids of the base's criteria to leave out."},
        "lexicon_files": {"type": "array", "items": {"type": "string"},
                          "description": "Files holding shared 'lexicons', relative to this one."},
    })
    typer.echo(json.dumps(schema, indent=2))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
