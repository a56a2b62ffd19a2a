"""The ``credscore`` command line.

Exit codes: 0 every document was scored; 1 some documents could not be read or scored (they are
listed under ``errors``); 2 a usage error or a rubric that cannot be used.
"""

from __future__ import annotations

import json
import math
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO, TypeVar

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperArgument, TyperCommand, TyperGroup

from credscore.engine.compile import compile_rubric, rule_ceilings
from credscore.evaluate.bootstrap import MAX_ROUNDS, MIN_ROUNDS
from credscore.interrupt import Interrupted, signals_raise
from credscore.models import (
    Document,
    DocumentScore,
    ParsedDocument,
    ReadError,
    ReadWarning,
    RubricRef,
)
from credscore.oneline import clipped
from credscore.parse import ParseError
from credscore.parse import parse as parse_document
from credscore.partitions import PARTITION_BYTES
from credscore.plural import counted, plural
from credscore.read import materialize, read_tasks
from credscore.read.files import (
    ARCHIVE_SUFFIXES,
    FORMATS,
    MAX_BYTES_LIMIT,
    MAX_DOCUMENT_BYTES,
    ReadOnce,
    found_in,
)
from credscore.read.urls import (
    FETCH_TIMEOUT,
    MAX_FETCH_TIMEOUT,
    MIN_FETCH_TIMEOUT,
    is_url,
    url_lines,
)
from credscore.read.warc import SkippedRecords
from credscore.repeats import Repeats
from credscore.report import csv as csv_report
from credscore.report import json as json_report
from credscore.report.progress import progress_for
from credscore.report.safe_text import safe_line, safe_text
from credscore.rubric.load import LoadedRubric, RubricError, default_rubric_path, load_rubric
from credscore.rubric.model import Rubric
from credscore.rubric.schema import rubric_json_schema
from credscore.run import Result, ScoredLine, ScoredText, Shape, default_jobs, score_stream
from credscore.version import __version__
from credscore.workers import MAX_JOBS
from credscore.write import (
    OutputError,
    atomic_output,
    check_output,
    check_writable,
    descriptor_file,
    descriptor_of,
    written_by_credscore,
)

if TYPE_CHECKING:
    from distributed import Client

    from credscore.evaluate.compare import Evaluation

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
# The reader of standard output went away (`credscore score ... | head`): 128 + SIGPIPE, what a
# shell reports for a program a closed pipe ended.
EXIT_CLOSED_PIPE = 141
# The longest first line of a labels file read to tell labels from articles (see labels_only).
MAX_LABEL_PEEK = 1 << 16

class NamedArgument(TyperArgument):
    """A positional argument whose help row is its value name alone (PATH_OR_URL, RUBRIC), not
    with the Python type of its annotation beside it (<str>, <list[str]>, <Path>) as typer 0.29
    shows it. Typer before 0.29 never asks for ``display_type_rich``."""

    def display_type_rich(self, ctx: typer.Context) -> str | None:
        return None


class HelpNamesValues(TyperCommand):
    """A command whose help names each value for a reader: an argument by its metavar alone, an
    option by its metavar (FILE, N, FORMAT; a flag by none), and --help, a flag, by nothing
    instead of ``<bool>``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = NamedArgument

    def get_help_option(self, ctx: typer.Context) -> Any:
        return _no_value_shown(super().get_help_option(ctx))


class HelpNamesValuesGroup(TyperGroup):
    """The group of commands: its --help shows no value, as :class:`HelpNamesValues`."""

    def get_help_option(self, ctx: typer.Context) -> Any:
        return _no_value_shown(super().get_help_option(ctx))


def _no_value_shown(option: Any) -> Any:
    """The help option (None when a command has none) with an empty metavar: its help row
    shows no value, as every flag's does."""
    if option is not None:
        option.metavar = ""
    return option


# The reasons inputs were skipped in this run, so that one repeated a million times is listed
# a few times and counted (see skipped).
REPEATS = Repeats()

app = typer.Typer(
    cls=HelpNamesValuesGroup,
    name="credscore",
    help="Score the evidence quality of health and science articles with a YAML rubric. "
    "Every score explains itself: criteria, findings, sentences and points.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)
rubric_app = typer.Typer(cls=HelpNamesValuesGroup, help="Check, describe and document rubric files.",
                         no_args_is_help=True)
app.add_typer(rubric_app, name="rubric")

err = Console(stderr=True, highlight=False)


class ScoreFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    html = "html"


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"


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


def path_value(text: str, kind: str = "file") -> Path:
    """A path option's value, naming a ``kind`` of path ("file", or "folder" for
    :func:`folder_value`). ``Path("")`` is the working folder, so an unset shell variable
    ("-o $OUT") would name it: an empty value is refused as the path arguments refuse it."""
    if not text.strip():
        raise typer.BadParameter(f"an empty path was given (an unset variable?); name a {kind}")
    return Path(text)


def folder_value(text: str) -> Path:
    """A folder option's value (:func:`path_value`)."""
    return path_value(text, "folder")


def format_option(kinds: type[StrEnum], command: str, help: str = "", show_default: bool = False) -> Any:
    """The --format option of ``command``, which writes the formats of ``kinds``: its value is
    named FORMAT and its help lists them ("Output format: table, json or csv.", then ``help``),
    words that wrap in a narrow terminal where "table|json|csv" would be cut mid-word, and a
    format it does not write is a plain usage error that names them."""
    choices = [kind.value for kind in kinds]
    listed = f"{', '.join(choices[:-1])} or {choices[-1]}" if len(choices) > 1 else choices[0]

    return typer.Option("--format", "-f", help=f"Output format: {listed}. {help}".rstrip(),
                        show_default=show_default, metavar="FORMAT",
                        parser=choice_value("--format", kinds, f"a format of {command}"))


def whole_number(option: str, least: int, most: int | None = None,
                 rule: str | None = None) -> Callable[[str | int], int]:
    """The parser of a whole-number option: a value that is not one, or lies outside
    [``least``, ``most``], is a usage error in the words of the other options' errors, which
    end with ``rule`` when the range alone is not the rule. (typer shows an option's ``min``
    and ``max`` in --help only in some versions, and checks them in pydantic's words: the help
    says the range where it matters.)"""
    span = f"from {least} to {most}" if most is not None else f"of {least} or more"

    def parse(text: str | int) -> int:
        try:
            value = int(text)
        except (TypeError, ValueError):
            raise fail(f"{option}: {clipped(str(text))!r} is not a whole number; "
                       f"{rule or f'give one {span}'}") from None
        if value < least or (most is not None and value > most):
            raise fail(f"{option}: {clipped(str(value))} is out of range; "
                       f"{rule or f'give a whole number {span}'}")
        return value

    return parse


RESAMPLES_RULE = (f"give 0 (none) or from {MIN_ROUNDS} to {MAX_ROUNDS:,} resamples (1000 is "
                  "usual)")


def resamples_value(text: str | int) -> int:
    """The parser of --bootstrap: 0 (no intervals) or MIN_ROUNDS to MAX_ROUNDS resamples, any
    other value a usage error that states that rule."""
    rounds = whole_number("--bootstrap", 0, MAX_ROUNDS, rule=RESAMPLES_RULE)(text)
    if 0 < rounds < MIN_ROUNDS:
        raise fail(f"--bootstrap: {rounds} is too few resamples to place the middle 95% of a "
                   f"figure; {RESAMPLES_RULE}")
    return rounds


def choice_value(option: str, kinds: type[StrEnum], what: str) -> Callable[[str], StrEnum]:
    """The parser of an option that takes one of ``kinds``: another value is a usage error that
    names them (as --format's is)."""
    def parse(text: str) -> StrEnum:
        try:
            return kinds(text)
        except ValueError:
            raise fail(f"{option}: {clipped(text)!r} is not {what}; choose one of: "
                       f"{', '.join(k.value for k in kinds)}") from None

    return parse


RubricOption = Annotated[
    Path | None,
    typer.Option("--rubric", "-r", help="Rubric YAML file. Default: the shipped default rubric.",
                 show_default=False, parser=path_value, metavar="FILE"),
]
# The extensions a folder walk reads, as the help shows them.
SEARCHED = " ".join([*FORMATS, *ARCHIVE_SUFFIXES])
PathsArgument = Annotated[
    list[str],  # not Path, which reads "" (an unset variable) as the working folder
    typer.Argument(help=f"Files, folders (searched recursively for {SEARCHED}), JSONL files "
                   "with one article per line or web archives.",
                   show_default=False, metavar="PATH"),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.",
                              parser=path_value, metavar="FILE")
]
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", metavar="N", parser=whole_number("--jobs", 1, MAX_JOBS),
                 help=f"Worker processes, 1 to {MAX_JOBS}. Default: all cores.", show_default=False),
]
MaxBytesOption = Annotated[
    int, typer.Option("--max-bytes", metavar="BYTES", parser=whole_number("--max-bytes", 1, MAX_BYTES_LIMIT),
                      help="Largest article read, in bytes (at most 2**40: 1 TiB).")
]
InputsArgument = Annotated[
    list[str] | None,
    typer.Argument(help=f"Files, folders (searched recursively for {SEARCHED}), JSONL files "
                   "with one article per line, web archives (.warc, .warc.gz) or http(s) URLs.",
                   show_default=False,
                   metavar="PATH_OR_URL"),
]
UrlsOption = Annotated[
    Path | None,
    typer.Option("--urls", help="A file of URLs to fetch and score, one a line.",
                 show_default=False, parser=path_value, metavar="FILE"),
]


def timeout_value(text: str | float) -> float:
    """A --timeout value: a finite number of seconds within bounds. A range alone let "nan"
    through to be refused as "less than or equal to 86400"."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not MIN_FETCH_TIMEOUT <= seconds <= MAX_FETCH_TIMEOUT:  # False for nan
        raise typer.BadParameter(f"the timeout must be a number of seconds between "
                                 f"{MIN_FETCH_TIMEOUT:g} and {MAX_FETCH_TIMEOUT:g} (a day)")
    return seconds


TimeoutOption = Annotated[
    float, typer.Option("--timeout", metavar="SECONDS", parser=timeout_value,
                        help=f"Seconds allowed for fetching one URL (connecting, redirects and "
                        f"download), {MIN_FETCH_TIMEOUT:g} to {MAX_FETCH_TIMEOUT:g}.")
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", metavar="ADDRESS", help="Score on a Dask cluster: the scheduler's address "
                 "(tcp://host:8786), a scheduler file, or local:N to start N worker processes "
                 "on this machine. Needs: pip install 'credscore[dask]'.", show_default=False),
]
OutputDirOption = Annotated[
    Path | None,
    typer.Option("--output-dir", help="With --scheduler: the workers write one JSONL file per "
                 "partition here, beside a manifest.json listing them (a new or empty folder).",
                 show_default=False, parser=folder_value, metavar="FOLDER"),
]
PartitionOption = Annotated[
    int, typer.Option("--partition-bytes", parser=whole_number("--partition-bytes", 1),
                      help="With --scheduler: input bytes in one partition (a web archive is "
                      "always one partition).", metavar="BYTES")
]
IdOption = Annotated[
    str | None,
    typer.Option("--id", metavar="ID", help="In a folder, JSONL file or web archive, the article "
                 "with this id (the first, with a note, when several have it), or at this FILE, "
                 "FILE:LINE or ARCHIVE:OFFSET. Default: the first.", show_default=False),
]


@dataclass(frozen=True)
class RunOptions:
    """Inputs beyond the paths (a --urls file), how URLs are fetched, and where scoring runs:
    local worker processes, or a Dask cluster when ``client`` is set."""

    urls: Iterable[str | ReadError] = ()  # a --urls file: its URLs, or why a line is none
    timeout: float = FETCH_TIMEOUT
    client: Client | None = None
    partition_bytes: int = PARTITION_BYTES
    skipped: SkippedRecords = field(default_factory=SkippedRecords)
    exclude: tuple[Path, ...] = ()  # the run's own output, never read as an input
    own_outputs: list[str] = field(default_factory=list)  # earlier outputs found in folders
    notes: bool = True  # say what was skipped (off for a second pass over the same inputs)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"credscore {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, metavar="",
                                          help="Print the version and exit.")] = False,
) -> None:
    """Score the evidence quality of health and science articles."""
    REPEATS.clear()
    ctx.call_on_close(say_unlisted)  # when the command ends, however it ends


def say(message: str, label: str = "", style: str = "") -> None:
    """A message on standard error; the text is shown as written, control characters escaped."""
    line = Text.assemble((label, style), " " if label else "", safe_text(message))
    err.print(line, soft_wrap=True, highlight=False)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    say_unlisted()  # the counts of inputs skipped so far, so that the error comes last
    say(message, "error:", "bold red")
    return typer.Exit(code)


# The output formats a file's extension names. A command takes the format from its output's
# extension when --format is not given, and refuses a --format that names another one.
EXTENSION_FORMATS = {
    ".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".yaml": "yaml", ".yml": "yaml",
}
FORMAT_HELP = "Default: the one the --output file's extension names ({}), else {}."
Format = TypeVar("Format", bound=StrEnum)
FORMAT_NAMES = {"csv": "CSV", "json": "JSON", "jsonl": "JSONL", "markdown": "Markdown",
                "html": "HTML", "yaml": "YAML"}


def output_format(ctx: typer.Context, fmt: Format, output: Path | None) -> Format:
    """The format to write: ``fmt`` as given, or, when --format was left out, the one the
    output's extension names (``-o scores.csv`` writes CSV). A --format that contradicts the
    extension is a usage error. An extension that names no format at all leaves the format as it
    is; one that names a format the command does not write leaves it too (see
    :func:`warn_format_kept`, said once nothing refuses the run)."""
    named = EXTENSION_FORMATS.get(output.suffix.lower()) if output is not None else None
    kinds = type(fmt)
    if output is None or named is None or named not in kinds.__members__:
        return fmt
    if ctx.get_parameter_source("fmt").name == "DEFAULT":
        return kinds(named)
    if fmt.value != named:
        raise fail(f"--format {fmt.value} does not match the output {output}, whose extension "
                   f"{output.suffix} names {FORMAT_NAMES[named]}: leave out --format to write "
                   f"{FORMAT_NAMES[named]} there, or name another file")
    return fmt


def warn_format_kept(ctx: typer.Context, fmt: StrEnum, output: Path | None) -> None:
    """A warning when the output's extension names a format the command does not write and
    --format was left out: the file's name then says one format and holds another. Said after
    every refusal of the run (an output that is one of its inputs, a rubric with problems), when
    the file is about to be written, never before a refusal that writes nothing."""
    named = EXTENSION_FORMATS.get(output.suffix.lower()) if output is not None else None
    kinds = type(fmt)
    if output is None or named is None or named in kinds.__members__ \
            or ctx.get_parameter_source("fmt").name != "DEFAULT":
        return
    command = " ".join(ctx.command_path.split()[1:]) or ctx.command_path
    written = "the table" if fmt.value == "table" else FORMAT_NAMES[fmt.value]
    say(f"{output}: its extension {output.suffix} names {FORMAT_NAMES[named]}, which "
        f"{command} does not write; {written} is written there ({command} writes "
        f"{', '.join(kind.value for kind in kinds)}: choose one with --format)",
        "warning:", "yellow")


def get_rubric(path: Path | None, output: Path | None = None) -> LoadedRubric:
    """The rubric, or exit 2 with its problems; an ``output`` that would replace the rubric or a
    file it is built from (a base, a lexicon file) is refused."""
    try:
        loaded = load_rubric(path)
        refuse_clash(output, rubric_files(path, loaded))
        return loaded
    except RubricError as exc:
        for problem in exc.problems:
            say(problem)
        n = len(exc.problems)
        say(f"the rubric has {counted(n, 'problem')}; fix {plural(n, 'it', 'them')} "
            "and run again", "error:", "bold red")
        raise typer.Exit(EXIT_USAGE) from None


def rubric_files(asked: Path | None, loaded: LoadedRubric) -> list[Path]:
    """The files a rubric was read from: itself, its bases and its lexicon files (the shipped
    default when none was asked for; its ``path`` is then only a name to show)."""
    own = asked if asked is not None else default_rubric_path()
    return [own, *(Path(s) for s in loaded.sources[1:])]


def rubric_ref(loaded: LoadedRubric) -> RubricRef:
    return RubricRef(id=loaded.rubric.id, version=loaded.rubric.version, sha256=loaded.sha256)


def refuse_clash(output: Path | None, inputs: Iterable[Path | None]) -> None:
    """Before any work: an output that is a folder or one of the run's inputs is refused, and so
    is an article in a folder the run reads (an earlier output of credscore's there is not one:
    it is replaced, and never read)."""
    if output is None:
        return
    inputs = list(inputs)
    try:
        check_output(output, inputs)
    except OutputError as exc:
        raise fail(str(exc)) from None
    fd = descriptor_of(output)
    place = output if fd is None else descriptor_file(fd)  # the file a descriptor writes to
    for folder in inputs:
        if place is not None and folder is not None and folder.is_dir() \
                and found_in(place, folder) and not written_by_credscore(place):
            raise fail(f"the output {output} is an article in {folder}, which this run reads; "
                       "write to another file")


@contextmanager
def output_stream(output: Path | None) -> Iterator[TextIO]:
    """Where a command writes: standard output, or ``output`` written whole or not at all (its
    temporary file is made on entry, so an output that cannot be written stops the run before
    any scoring). A write that fails on the way (a full disk) is a plain error, exit code 2;
    a file that was there is left as it was."""
    try:
        with ExitStack() as stack:
            try:
                out = stack.enter_context(atomic_output(output))
            except OutputError as exc:
                raise fail(str(exc)) from None
            yield out
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = str(output) if output is not None else "standard output"
        kept = (" (the file there is left as it was)" if output is not None and output.is_file()
                and descriptor_of(output) is None else "")
        raise fail(f"cannot write {where}: {exc.strerror or exc}{kept}") from None


def labels_only(labels: Path) -> tuple[Path, ...]:
    """``labels`` when it holds labels and no articles (its first line has no 'text' or 'html'),
    for a folder's walk to leave out: a labels file kept among the articles is no article, but a
    JSONL file of articles with their ratings is both."""
    try:
        with labels.open(encoding="utf-8-sig", errors="replace") as f:
            first = ""
            for _ in range(100):  # past blank lines; each read bounded, a line of articles is long
                first = f.readline(MAX_LABEL_PEEK + 1)
                if first.strip() or not first:
                    break
        row = json.loads(first) if len(first) <= MAX_LABEL_PEEK else None
    except (OSError, ValueError):
        return ()
    return (labels,) if isinstance(row, dict) and not ({"text", "html"} & row.keys()) else ()


def check_paths(paths: Sequence[str | Path]) -> None:
    if any(isinstance(p, str) and not p.strip() for p in paths):
        # Path("") is the working folder: an unset shell variable must not score all of it
        raise fail("an empty path was given (an unset variable?); name a file, folder or URL")
    missing = [str(p) for p in paths if not is_url(p) and _missing(Path(p))]
    if missing:
        stdin = " ('-' is not standard input: save the text to a file and name it)" \
            if "-" in missing else ""
        raise fail(f"no such file or folder: {', '.join(missing)}{stdin}")


def check_files(paths: Sequence[str]) -> None:
    """For the commands that score the same articles more than once or against labels: files
    and folders only (a page fetched twice may change between the fetches)."""
    if urls := [p for p in paths if is_url(p)]:
        raise fail(f"{urls[0]}: this command reads files and folders, not URLs; save the "
                   "pages first (with curl, wget or into a web archive) and give it the files")
    check_paths(paths)


def _missing(path: Path) -> bool:
    """Only a path that is not there is a usage error; one that cannot be looked at (no
    permission, a name too long) is reported among the documents, and the rest is scored."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


class DuplicateIds:
    """Warns for each of the first ids that more than one document carries; :meth:`finish`
    then says how many more there were (a file scored twice would otherwise print a warning
    per article)."""

    NAMED = 5

    def __init__(self) -> None:
        # Hashes rather than the ids keep a run over millions of documents small; two ids with
        # the same 64-bit hash are too unlikely to matter.
        self._seen: set[int] = set()
        self._shared: set[int] = set()

    def __call__(self, result: Result) -> None:
        doc_id = _result_id(result)
        if doc_id is None:
            return
        key = hash(doc_id)
        if key not in self._seen:
            self._seen.add(key)
        elif key not in self._shared:
            self._shared.add(key)
            if len(self._shared) <= self.NAMED:
                say(f"more than one document has the id {doc_id!r}; they are scored apart but "
                    "hard to tell apart in the output", "warning:", "yellow")

    def finish(self) -> None:
        more = len(self._shared) - self.NAMED
        if more > 0:
            say(f"{counted(more, 'more id', commas=True)} {plural(more, 'is', 'are')} each carried "
                "by more than one document (the first are named above)", "warning:", "yellow")


def _result_id(result: Result) -> str | None:
    if isinstance(result, ScoredText):
        return result.score.id
    return None if isinstance(result, ReadError) else result.id


def skipped(errors: Iterable[ReadError]) -> None:
    """Name each input skipped (or warned about) and why; past the first few for one reason,
    the rest are counted and said at the end of the run (:func:`say_unlisted`)."""
    for e in errors:
        label = "warning:" if isinstance(e, ReadWarning) else "skipped"
        reason = e.kind or e.error  # (without the particulars of one input, where it has them)
        if REPEATS.seen(label, reason):
            say(f"{safe_line(e.path)}: {safe_line(e.error)}", label, "yellow")
        elif REPEATS.first_unlisted(label, reason):
            say(f"more inputs {'with this warning' if label == 'warning:' else 'skipped for this reason'}"
                " are counted, not listed: the count is said at the end", "note:")


def say_unlisted() -> None:
    """How many inputs each reason left unlisted (see :func:`skipped`)."""
    for label, reason, n in REPEATS.unlisted():
        say(f"{counted(n, 'more input')}, not listed above: {safe_line(reason)}", label, "yellow")
    REPEATS.clear()


def check_inputs(paths: list[str] | None, urls: Path | None) -> list[str]:
    """The paths and URLs given, once each exists (a --urls file is read as scoring goes)."""
    if not paths and urls is None:
        raise fail("give the files, folders, web archives or URLs to score (or --urls FILE)")
    check_paths(paths or [])
    if urls is not None:
        try:
            mode = urls.stat().st_mode  # before opening: a named pipe would wait for a writer
            if stat.S_ISFIFO(mode):
                return paths or []  # a pipe (`--urls <(grep ...)`) is read as scoring goes
            if not stat.S_ISREG(mode):
                raise fail(f"--urls {urls}: not a file or a pipe (a folder or a device); "
                           "give a file of URLs, one a line")
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
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def scored(paths: Sequence[str | Path], rubric: Rubric, jobs: int | None, max_bytes: int,
           shape: Shape, advance: Callable[[], None], opts: RunOptions) -> Iterator[Result]:
    """Results in input order, from local worker processes or from the cluster, with a warning
    for ids more than one document carries; then a note for each web archive whose records
    were not all articles. Closing it stops the workers."""
    check = DuplicateIds()
    once = ReadOnce.over(paths)  # files named more than once, read once, locally or on a cluster
    count = 0
    if opts.client is None:
        tasks = read_tasks(chain(paths, opts.urls), max_bytes, timeout=opts.timeout,
                           skipped=opts.skipped, exclude=opts.exclude,
                           own_outputs=opts.own_outputs, once=once)
        with closing(score_stream(tasks, rubric, jobs or default_jobs(), shape=shape)) as stream:
            for result in stream:
                if isinstance(result, ReadWarning):  # (said, and neither scored nor failed)
                    skipped([result])
                    continue
                check(result)
                advance()
                count += 1
                yield result
    else:
        from credscore.cluster import ClusterUsageError, cluster_results

        try:
            for result in cluster_results(opts.client, paths, rubric, shape, urls=opts.urls,
                                          max_bytes=max_bytes, timeout=opts.timeout,
                                          partition_bytes=opts.partition_bytes,
                                          skipped=opts.skipped, exclude=opts.exclude,
                                          own_outputs=opts.own_outputs, once=once):
                if isinstance(result, ReadWarning):
                    skipped([result])
                    continue
                check(result)
                advance()
                count += 1
                yield result
        except ClusterUsageError as exc:
            raise fail(str(exc)) from None
    check.finish()
    if opts.notes:
        for line in [*once.lines(), *opts.skipped.lines()]:
            say(line, "note:")
        not_read(opts.own_outputs)
        if count == 0:
            nothing_found(paths)


def nothing_found(paths: Sequence[str | Path]) -> None:
    """A note when the inputs held no article at all (a folder of PDFs, a mistyped folder,
    an empty JSONL file): an empty result is otherwise indistinguishable from success."""
    given = ", ".join(str(p) for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
    say(f"no article found in {given or 'the --urls file'}: folders are searched for "
        f"{SEARCHED} (a file named directly is read whatever its extension)", "note:")


def not_read(own_outputs: Iterable[str]) -> None:
    """A note for each file a folder walk left out as an earlier output of credscore's."""
    for path in own_outputs:
        say(f"{path}: not read, an output of credscore rather than an article (name the file "
            "itself to read it)", "note:")


def run_scoring(paths: Sequence[str | Path], rubric: Rubric, jobs: int | None, max_bytes: int,
                opts: RunOptions | None = None) -> tuple[list[DocumentScore], list[ReadError]]:
    docs: list[DocumentScore] = []
    errors: list[ReadError] = []
    with progress_for(err) as advance, closing(scored(paths, rubric, jobs, max_bytes, "score",
                                                      advance, opts or RunOptions())) as results:
        for result in results:
            if isinstance(result, ReadError):
                errors.append(result)
            elif isinstance(result, DocumentScore):
                docs.append(result)
    return docs, errors


@app.command(cls=HelpNamesValues)
def score(
    ctx: typer.Context,
    paths: InputsArgument = None,
    rubric: RubricOption = None,
    fmt: Annotated[ScoreFormat, format_option(ScoreFormat, "score", FORMAT_HELP.format(
                                              "scores.csv: csv", "table"))]
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
    if scheduler is None and ctx.get_parameter_source("partition_bytes").name != "DEFAULT":
        raise fail("--partition-bytes sizes the partitions of a cluster run: add --scheduler "
                   "(local:N runs one on this machine), or leave it out")
    refuse_clash(output, [*(Path(p) for p in paths if not is_url(p)), rubric, urls])
    fmt = output_format(ctx, fmt, output)
    loaded = get_rubric(rubric, output)
    opts = RunOptions(urls=url_lines(urls) if urls else (), timeout=timeout,
                      client=open_cluster(ctx, scheduler), partition_bytes=partition_bytes,
                      exclude=(output,) if output else ())
    warn_format_kept(ctx, fmt, output)  # after the cluster: a wrong address is refused too
    if output_dir is not None:
        score_to_dir(paths, loaded, output_dir, max_bytes, opts)
    if fmt in (ScoreFormat.html, ScoreFormat.markdown):
        write_report(paths, loaded, fmt.value, output, jobs, max_bytes, opts)
        return
    with output_stream(output) as out:
        if fmt is ScoreFormat.jsonl:
            written, failed = _write_lines(paths, loaded, jobs, max_bytes, out, "line", opts)
        elif fmt is ScoreFormat.csv:
            out.write(csv_report.header([c.id for c in loaded.rubric.criteria]))
            written, failed = _write_lines(paths, loaded, jobs, max_bytes, out, "csv", opts)
        elif fmt is ScoreFormat.json:
            written, failed = _write_json(paths, loaded, jobs, max_bytes, out, opts)
        else:
            from credscore.report.table import score_table

            docs, errors = run_scoring(paths, loaded.rubric, jobs, max_bytes, opts)
            console = Console(file=out, highlight=False) if output else Console(highlight=False)
            if docs:  # (an empty table says less than the count below)
                console.print(score_table(json_report.ordered(docs), loaded.rubric))
            skipped(errors)
            console.print(f"{len(docs)} scored, {len(errors)} failed; rubric "
                          f"{safe_text(loaded.rubric.id)} {safe_text(loaded.rubric.version)}",
                          markup=False)
            written, failed = len(docs), len(errors)
    say_written(output, written)
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _write_lines(paths: Sequence[str | Path], loaded: LoadedRubric, jobs: int | None,
                 max_bytes: int, out: TextIO, shape: Shape, opts: RunOptions) -> tuple[int, int]:
    """Stream one line per document as it is scored (JSONL or CSV), in input order; how many
    were written and how many failed."""
    written = failed = 0
    with progress_for(err) as advance, closing(scored(paths, loaded.rubric, jobs, max_bytes,
                                                      shape, advance, opts)) as results:
        for result in results:
            if isinstance(result, ScoredLine):
                out.write(result.line)
                if shape != "csv":
                    out.write("\n")  # written apart: joined, a long line would be copied
                written += 1
            elif isinstance(result, ReadError):
                failed += 1
                skipped([result])
    return written, failed


def _write_json(paths: Sequence[str | Path], loaded: LoadedRubric, jobs: int | None,
                max_bytes: int, out: TextIO, opts: RunOptions) -> tuple[int, int]:
    """The JSON payload; each document waits as its text in a temporary file until all are
    in and can be sorted, so memory stays flat however many there are. How many documents were
    written and how many failed."""
    errors: list[ReadError] = []
    written = 0
    with json_report.Spool() as spool:
        with progress_for(err) as advance, closing(scored(paths, loaded.rubric, jobs, max_bytes,
                                                          "json", advance, opts)) as results:
            for result in results:
                if isinstance(result, ScoredLine):
                    spool.add(json_report.order_key(result.id, result.title, result.score),
                              result.line)
                    written += 1
                elif isinstance(result, ReadError):
                    errors.append(result)
        json_report.write_payload(out, rubric_ref(loaded), spool.in_order(), errors)
    skipped(errors)  # listed in the payload too; the terminal names them as every format does
    return written, len(errors)


def check_output_dir(output_dir: Path, scheduler: str | None, fmt: ScoreFormat,
                     output: Path | None) -> None:
    if scheduler is None:
        raise fail("--output-dir writes the partitions of a cluster run: add --scheduler "
                   "(local:N runs one on this machine)")
    if output is not None or fmt not in (ScoreFormat.table, ScoreFormat.jsonl):
        raise fail("--output-dir writes JSONL files and a manifest; leave out --output and "
                   "--format")
    if output_dir.exists() and (not output_dir.is_dir() or any(output_dir.iterdir())):
        raise fail(f"{output_dir} is not an empty folder: give a new or empty one, so that "
                   "nothing in it is overwritten")


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
    once = ReadOnce.over(paths)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(f"cannot create {output_dir}: {exc.strerror or exc}") from None
    header: dict[str, Any] = {"credscore_version": __version__,
                              "rubric": rubric_ref(loaded).model_dump(mode="json")}
    with progress_for(err) as advance:
        def on_partition(outcome: PartOutcome) -> None:
            if isinstance(outcome, PartDone):
                advance(outcome.documents  # (a warning is about a document scored)
                        + sum(not isinstance(e, ReadWarning) for e in outcome.errors))
                skipped(outcome.errors)

        try:
            manifest = write_partitions(opts.client, paths, loaded.rubric, output_dir.resolve(),
                                        header, urls=opts.urls, max_bytes=max_bytes,
                                        timeout=opts.timeout,
                                        partition_bytes=opts.partition_bytes,
                                        on_partition=on_partition, exclude=(output_dir,),
                                        own_outputs=opts.own_outputs, once=once)
        except ClusterUsageError as exc:
            raise fail(str(exc)) from None
        except Interrupted as stop:
            stop.add_note(f"{output_dir} holds the partitions finished so far and no "
                          "manifest.json; empty it (or name another folder) to run again")
            raise
    for part in manifest["partitions"]:
        if part["file"] is None:
            say(f"{describe_briefly(part['inputs'])}: {part['failed']}", "failed", "yellow")
    for line in once.lines():
        say(line, "note:")
    not_read(opts.own_outputs)
    for archive, kinds in manifest["skipped_records"].items():
        n = sum(kinds.values())
        say(f"{archive}: {counted(n, 'record')} skipped, not HTML or text responses "
            "(counted in the manifest)", "note:")
    written = sum(1 for part in manifest["partitions"] if part["file"])
    say(f"wrote {counted(manifest['documents'], 'document')} to {counted(written, 'file')} in "
        f"{output_dir} (listed in manifest.json); {manifest['errors']} failed, "
        f"{counted(manifest['failed_partitions'], 'partition')} failed")
    failed = manifest["errors"] or manifest["failed_partitions"]
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def write_report(paths: Sequence[str | Path], loaded: LoadedRubric, fmt: str,
                 output: Path | None, jobs: int | None, max_bytes: int,
                 opts: RunOptions | None = None) -> None:
    """Score, and write the HTML report (the article texts kept to be marked) or the Markdown
    one (scores only)."""
    from credscore.report.html import html_pieces
    from credscore.report.markdown import render_markdown

    results: list[tuple[DocumentScore, ParsedDocument | None]] = []
    errors: list[ReadError] = []
    # Only the HTML report shows the article text: the Markdown one keeps the scores alone.
    shape: Shape = "text" if fmt == "html" else "score"
    with output_stream(output) as out:
        with progress_for(err) as advance, closing(scored(paths, loaded.rubric, jobs, max_bytes,
                                                          shape, advance,
                                                          opts or RunOptions())) as stream:
            for r in stream:
                if isinstance(r, ScoredText):
                    results.append((r.score, r.parsed))
                elif isinstance(r, DocumentScore):
                    results.append((r, None))
                elif isinstance(r, ReadError):
                    errors.append(r)
        args = (results, rubric_ref(loaded), loaded.rubric.name, errors, loaded.rubric.criteria,
                rule_ceilings(loaded.rubric), loaded.rubric)
        if fmt == "html":
            out.writelines(html_pieces(*args))
        else:
            out.write(render_markdown(*args))
    skipped(errors)  # listed in the report too; the terminal names them as every command does
    say_written(output, len(results))
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


def say_written(output: Path | None, articles: int) -> None:
    """Name the file a run wrote, with how many articles it holds and its size (after the
    counts of inputs skipped, so that it comes last)."""
    say_unlisted()
    if output is not None and descriptor_of(output) is not None:
        say(f"wrote {output} ({counted(articles, 'article')})")  # the file may hold more
    elif output is not None and output.is_file():
        say(f"wrote {output} ({counted(articles, 'article')}, "
            f"{human_size(output.stat().st_size)})")


def human_size(n: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return counted(n, "byte")


@app.command(cls=HelpNamesValues)
def report(
    ctx: typer.Context,
    paths: InputsArgument = None,
    rubric: RubricOption = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="The report file to write. Default: report.html, or report.md "
        "with --format markdown.", show_default=False, parser=path_value)] = None,
    fmt: Annotated[ReportFormat, format_option(ReportFormat, "report", FORMAT_HELP.format(
                                               "report.md: markdown", "html"))]
    = ReportFormat.html,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
    urls: UrlsOption = None,
    timeout: TimeoutOption = FETCH_TIMEOUT,
) -> None:
    """Write a credibility report: one self-contained HTML page (or Markdown) with the ranking,
    a score chart, a criteria heat map, and every article with its evidence marked."""
    if output is None:
        output = Path("report.md" if fmt is ReportFormat.markdown else "report.html")
        if output.exists() and not written_by_credscore(output):
            raise fail(f"{output} is here already and is not a report of credscore's, so it is "
                       "left as it is; name the report with --output (-o FILE)")
    paths = check_inputs(paths, urls)
    refuse_clash(output, [*(Path(p) for p in paths if not is_url(p)), rubric, urls])
    fmt = output_format(ctx, fmt, output)
    loaded = get_rubric(rubric, output)
    warn_format_kept(ctx, fmt, output)
    write_report(paths, loaded, fmt.value, output, jobs, max_bytes,
                 RunOptions(urls=url_lines(urls) if urls else (), timeout=timeout,
                            exclude=(output,)))


@app.command(cls=HelpNamesValues)
def explain(
    file: Annotated[str, typer.Argument(help="One article file or URL, or a folder, JSONL file or "
                                        "web archive (the first article in it; see --id).",
                                        metavar="FILE_OR_URL")],
    rubric: RubricOption = None,
    criterion: Annotated[str | None, typer.Option("--criterion", "-c", metavar="CRITERION",
                                                  help="Only this criterion.")]
    = None,
    timeout: TimeoutOption = FETCH_TIMEOUT,
    doc_id: IdOption = None,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
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
    parsed = parsed_document(file, doc_id, timeout, max_bytes)
    result = score_(parsed, compile_(loaded.rubric))
    with output_stream(None) as out:
        Console(file=out, highlight=False).print(explain_view(result, parsed, criterion,
                                                              loaded.rubric))


def one_document(file: str, doc_id: str | None, timeout: float = FETCH_TIMEOUT,
                 max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """The article ``file`` names: in a JSONL file or web archive, the one with id ``doc_id``
    (the first that can be read without it, with a note saying how many there are and how many
    before it could not be read). When several articles have that id, the first is shown and a
    note says how many share it and where each is; ``doc_id`` may also be where an article is
    (``FILE:LINE``, ``ARCHIVE:OFFSET``) when no article has it as its id; an entry there that
    cannot be read is an error saying why."""
    tasks = read_tasks([file], max_bytes, timeout=timeout)
    unread: list[ReadError] = []
    doc: Document | None = None
    at_source: Document | None = None
    held: dict[str, Document] = {}  # the first few ids passed over, to name in an error
    for task in tasks:
        found = materialize(task)
        if isinstance(found, ReadWarning):
            continue  # (of an article passed over: it was read)
        if isinstance(found, ReadError):
            unread.append(found)
        elif doc_id is None or found.id == doc_id:
            doc = found
            break
        else:
            if found.source == doc_id and at_source is None:
                at_source = found
            if len(held) <= SAME_ID_SHOWN:
                held.setdefault(found.id, found)  # an id several articles share, once
    if doc is None and at_source is not None:
        return at_source
    if doc is None and (named := next((e for e in unread if e.path == doc_id), None)):
        raise fail(f"{named.path}: {named.error}", EXIT_SOME_FAILED)  # the place asked for
    if doc is None:
        if doc_id is None and len(unread) == 1:
            raise fail(f"{unread[0].path}: {unread[0].error}", EXIT_SOME_FAILED)
        wanted = f"no article with the id {doc_id!r}" if doc_id is not None else "no article found"
        reason = (f"; {len(unread)} could not be read, the first {unread[0].path}: "
                  f"{unread[0].error}") if unread else ""
        if doc_id is None and not unread and Path(file).is_dir():
            wanted += (f" (folders are searched for {SEARCHED}; a file named directly is read "
                       "whatever its extension)")
        # An id that no entry has, or a place that holds no article, is a usage error; when
        # some could not be read, the one asked for may be among them, and the run failed to
        # read it.
        code = EXIT_USAGE if not unread else EXIT_SOME_FAILED
        raise fail(f"{file}: {wanted}{reason}{ids_held_hint(list(held.values()))}", code)
    if doc_id is not None:
        same = [found.source for found in map(materialize, tasks)
                if not warned_about(found, doc) and isinstance(found, Document)
                and found.id == doc_id]
        if same:
            say(same_id_note(file, doc, same), "note:", "cyan")
    else:
        unread_after = more = unchecked = 0
        for task in tasks:  # read, so that only the articles that can be read are counted
            if more + unread_after >= COUNT_READ:
                unchecked += 1  # past that many, counted without being read
            elif warned_about(found := materialize(task), doc):
                pass
            elif isinstance(found, ReadError):
                unread_after += 1
            else:
                more += 1
        more += unchecked
        if more or unread or unread_after:
            bad = len(unread) + unread_after
            also = f" (and {bad} that could not be read)" if bad else ""
            if unchecked:
                also += f"; the last {unchecked} were counted, not read"
            skipped_note = (f"; {len(unread)} before it could not be read, the first "
                            f"{unread[0].path}: {unread[0].error}") if unread else ""
            which = "the first that can be read" if unread else "the first"
            held_count = f"{more + 1} articles" if more else "1 article"
            say(f"{file} holds {held_count}{also}; this is {which}, {doc.id!r} "
                f"(choose another with --id){skipped_note}", "note:", "cyan")
    return doc


def warned_about(found: Document | ReadError, doc: Document) -> bool:
    """Whether ``found`` is a warning (said when it is about ``doc``, the article shown)."""
    if isinstance(found, ReadWarning) and found.path == doc.source:
        skipped([found])
    return isinstance(found, ReadWarning)


SAME_ID_SHOWN = 5  # how many of the other articles sharing an id a note names
# How many of the articles after the one shown are read to count those that can be read; the
# rest of a large file is counted without reading it, so that showing one article stays quick.
COUNT_READ = 100_000


def ids_held_hint(held: list[Document]) -> str:
    """What to give ``--id`` instead, from the first articles a file holds (one for each id):
    their ids, and the place of the first (an article can also be chosen by where it is)."""
    if not held:
        return ""
    ids = ", ".join(repr(d.id) for d in held[:SAME_ID_SHOWN])
    more = " ..." if len(held) > SAME_ID_SHOWN else ""
    return (f"; it holds {ids}{more} (give one of these, or where an article is: "
            f"--id {held[0].source!r})")


def same_id_note(file: str, shown: Document, others: list[str]) -> str:
    """What ``parse`` and ``explain --id`` say when more articles than ``shown`` have its id:
    how many, where the one shown is and where the ``others`` are."""
    where = ", ".join(others[:SAME_ID_SHOWN])
    if len(others) > SAME_ID_SHOWN:
        where += f" and {len(others) - SAME_ID_SHOWN} more"
    return (f"{file} holds {len(others) + 1} articles with the id {shown.id!r}; this is the "
            f"first, at {shown.source} (the others are at {where}); to see another, give where "
            f"it is: --id {others[0]!r}")


def parsed_document(file: str, doc_id: str | None, timeout: float,
                    max_bytes: int) -> ParsedDocument:
    """:func:`one_document`, parsed; an article with no text to parse is a plain error."""
    try:
        return parse_document(one_document(file, doc_id, timeout, max_bytes))
    except ParseError as exc:
        raise fail(f"{file}: {exc}", EXIT_SOME_FAILED) from None


@app.command(cls=HelpNamesValues)
def evaluate(
    ctx: typer.Context,
    paths: PathsArgument,
    labels: Annotated[Path, typer.Option("--labels", "-l", help="Expert labels: JSONL or CSV "
                                         "keyed by document id.", show_default=False, parser=path_value,
                                         metavar="FILE")],
    rubric: RubricOption = None,
    against: Annotated[Path | None, typer.Option(
        "--against", "-a", metavar="FILE", parser=path_value, show_default=False,
        help="Another rubric to compare with: each figure under both rubrics, and its change on "
        "all the labelled articles and on each half of them (with --bootstrap, the change's "
        "95% interval).")] = None,
    fmt: Annotated[EvalFormat, format_option(EvalFormat, "evaluate", FORMAT_HELP.format(
                                             "eval.md: markdown", "table"))]
    = EvalFormat.table,
    rating: Annotated[str | None, typer.Option(
        "--rating", metavar="FIELD", help="Label field with an overall rating to correlate with the score. "
        "Default: the rubric's rating_field.", show_default=False)] = None,
    id_field: Annotated[str, typer.Option("--id-field", metavar="FIELD",
                                          help="Label field with the document id.")]
    = "id",
    top: Annotated[int, typer.Option(
        "--top", metavar="N", parser=whole_number("--top", 0),
        help="Disagreements shown per criterion, and for the overall rating.")] = 5,
    bootstrap: Annotated[int, typer.Option(
        "--bootstrap", metavar="N", parser=resamples_value,
        help="Resamples of the labelled articles for a 95% interval of each figure: 0 (none) "
        f"or {MIN_ROUNDS} to {MAX_ROUNDS:,}; 1000 is usual.")] = 0,
    seed: Annotated[int, typer.Option("--seed", metavar="N", parser=whole_number("--seed", 0),
                                      help="Seed of the resamples.")] = 0,
    output: OutputOption = None,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
) -> None:
    """Measure agreement with expert labels: per-criterion precision, recall, F1, macro-F1 and
    balanced accuracy; Spearman and Kendall of the score with an overall rating; and the
    articles with the largest disagreements, with credscore's explanation. --bootstrap adds how
    far each figure could move on another sample of articles; --against compares two rubrics."""
    from credscore.evaluate.compare import EvaluationError, nothing_labelled
    from credscore.evaluate.compare import evaluate as run_evaluation
    from credscore.report.evaluation import evaluation_markdown, evaluation_table

    check_files(paths)
    refuse_clash(output, [*map(Path, paths), rubric, labels, against])
    fmt = output_format(ctx, fmt, output)
    loaded = get_rubric(rubric, output)
    if against is not None:
        _evaluate_change(ctx, paths, labels, loaded, (rubric, against), fmt, rating, id_field,
                         bootstrap, seed, output, jobs, max_bytes)
        return
    if not any(c.label for c in loaded.rubric.criteria) and not (rating or loaded.rubric.rating_field):
        raise fail(f"the rubric {loaded.rubric.id} maps no criterion to a label field (add "
                   "'label:' to a criterion) and names no rating field (use --rating)")
    label_rows, rating_field = _labels_and_rating(labels, id_field, rating, loaded.rubric)
    warn_format_kept(ctx, fmt, output)
    with output_stream(output) as out:
        docs, errors = run_scoring(paths, loaded.rubric, jobs, max_bytes,
                                   RunOptions(exclude=(*labels_only(labels),
                                                       *((output,) if output else ()))))
        try:
            with progress_for(err, doing="resampling", unit="resamples", total=bootstrap) as tick:
                report = run_evaluation(docs, label_rows, loaded.rubric, rating_field=rating_field,
                                        top=top, bootstrap=bootstrap, seed=seed, on_round=tick,
                                        ).model_copy(update={"rubric": rubric_ref(loaded)})
        except EvaluationError as exc:
            for note in exc.notes:
                say(note, "note:", "cyan")
            skipped(errors)
            raise fail(f"{exc}; no report is written") from None
        for note in report.notes:
            say(note, "note:", "cyan")
        if report.labelled == 0:
            skipped(errors)
            raise fail(nothing_labelled(docs, label_rows, id_field, f" in {labels}"))
        if fmt is EvalFormat.json:
            out.write(json_report.dumps(report.model_dump(mode="json")))
        elif fmt is EvalFormat.markdown:
            out.write(evaluation_markdown(report))
        else:
            console = Console(file=out, highlight=False, width=160) if output else Console(highlight=False)
            console.print(evaluation_table(report))
    skipped(errors)
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


def _evaluate_change(ctx: typer.Context, paths: list[str], labels: Path, loaded: LoadedRubric,
                     files: tuple[Path | None, Path], fmt: EvalFormat, rating: str | None,
                     id_field: str, bootstrap: int, seed: int, output: Path | None,
                     jobs: int | None, max_bytes: int) -> None:
    """``evaluate --against``: the agreement of the rubric and of the one it is compared with,
    figure by figure, on the same articles."""
    from credscore.evaluate.change import compare_agreement
    from credscore.evaluate.compare import EvaluationError, nothing_labelled
    from credscore.report.evaluation import change_markdown, change_table

    old = get_rubric(files[1], output)
    if not any(c.label for r in (loaded, old) for c in r.rubric.criteria) and \
            not (rating or loaded.rubric.rating_field or old.rubric.rating_field):
        raise fail(f"neither {loaded.rubric.id} nor {old.rubric.id} maps a criterion to a label "
                   "field (add 'label:' to a criterion) or names a rating field (use --rating)")
    label_rows, rating_field = _labels_and_rating(
        labels, id_field, rating, loaded.rubric if loaded.rubric.rating_field or rating
        else old.rubric)
    warn_format_kept(ctx, fmt, output)
    names = diff_names((files[1], old), (files[0] or default_rubric_path(), loaded))
    opts = RunOptions(exclude=(*labels_only(labels), *((output,) if output else ())))
    with output_stream(output) as out:
        docs, errors = run_scoring(paths, loaded.rubric, jobs, max_bytes, opts)
        old_docs, _ = run_scoring(paths, old.rubric, jobs, max_bytes,
                                  RunOptions(exclude=opts.exclude, notes=False))
        try:
            with progress_for(err, doing="resampling", unit="resamples", total=bootstrap) as tick:
                change = compare_agreement(docs, old_docs, label_rows, loaded.rubric, old.rubric,
                                           rating_field, bootstrap, seed, tick)
        except EvaluationError as exc:
            for note in exc.notes:
                say(note, "note:", "cyan")
            skipped(errors)
            raise fail(f"{exc}; no report is written") from None
        if change.labelled == 0:
            skipped(errors)
            raise fail(nothing_labelled(docs, label_rows, id_field, f" in {labels}"))
        change = change.model_copy(update={"rubric": rubric_ref(loaded), "against": rubric_ref(old)})
        if fmt is EvalFormat.json:
            out.write(json_report.dumps(change.model_dump(mode="json")))
        elif fmt is EvalFormat.markdown:
            out.write(change_markdown(change, names))
        else:
            console = Console(file=out, highlight=False, width=160) if output else Console(highlight=False)
            console.print(change_table(change, names))
    skipped(errors)
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


def _labels_and_rating(labels: Path, id_field: str, rating: str | None, rubric: Rubric,
                       ) -> tuple[dict[str, dict[str, str]], str | None]:
    """The expert labels, by document id, and the rating column to correlate with (see
    :func:`_rating_field`); a label file that cannot be read is a usage error."""
    from credscore.evaluate.labels import LabelError, load_labels

    try:
        label_rows = load_labels(labels, id_field)
    except LabelError as exc:
        raise fail(str(exc)) from None
    return label_rows, _rating_field(rating, rubric, label_rows, labels)


def _rating_field(asked: str | None, rubric: Rubric, labels: dict[str, dict[str, str]],
                  path: Path) -> str | None:
    """The rating column to correlate with: one asked for must hold a number in some row (else a
    usage error that names the columns that do, the only ones a rating can be read from); the
    rubric's own is skipped with a note when no row has one. A blank cell is no value, so a
    column blank in every row counts as absent."""
    from credscore.evaluate.compare import is_number, number_fields

    wanted = asked or rubric.rating_field
    if wanted is None:
        return None
    if any(is_number(row.get(wanted, "")) for row in labels.values()):
        return wanted
    numbers = number_fields(labels.values())
    sample = next((row[wanted] for row in labels.values() if wanted in row), None)
    shown = (", ".join(numbers[:30]) + (f" and {len(numbers) - 30} more" if len(numbers) > 30
                                        else "") or "none")
    if asked is not None and sample is None:
        raise fail(f"--rating {asked!r}: {path} has no such column, or it is blank in every row; "
                   f"the columns with numbers are: {shown}")
    if asked is not None:
        raise fail(f"--rating {asked!r}: the rating field must be a number, and no row of {path} "
                   f"has one there (it holds text such as {clipped(sample)!r}); the columns "
                   f"with numbers are: {shown}")
    held = "value" if sample is None else "number"
    say(f"the rubric's rating field {wanted!r} has no {held} in {path}, so no rating is "
        f"correlated (give one with --rating; the columns with numbers are: {shown})", "note:",
        "cyan")
    return None


@app.command(cls=HelpNamesValues)
def diff(
    ctx: typer.Context,
    paths: PathsArgument,
    rubric: Annotated[Path, typer.Option("--rubric", "-r", help="The new rubric.", metavar="FILE",
                                         show_default=False, parser=path_value)],
    against: Annotated[Path, typer.Option("--against", "-a", metavar="FILE",
                                          help="The old rubric to compare with.",
                                          show_default=False, parser=path_value)],
    fmt: Annotated[DiffFormat, format_option(DiffFormat, "diff", FORMAT_HELP.format(
                                             "diff.json: json", "table"))]
    = DiffFormat.table,
    top: Annotated[int, typer.Option("--top", metavar="N", parser=whole_number("--top", 0),
                                     help="Articles listed (0: the summary line only).")] = 20,
    output: OutputOption = None,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
) -> None:
    """Score the same articles with two rubrics and show which scores moved, by how much, and
    which criteria and findings moved them."""
    from credscore.engine.compile import rule_ceilings
    from credscore.evaluate.diff import diff_scores
    from credscore.report.evaluation import diff_table

    check_files(paths)
    refuse_clash(output, [*map(Path, paths), rubric, against])
    fmt = output_format(ctx, fmt, output)
    new, old = get_rubric(rubric, output), get_rubric(against, output)
    warn_format_kept(ctx, fmt, output)
    new_ids = {c.id for c in new.rubric.criteria}
    old_ids = {c.id for c in old.rubric.criteria}
    if new_ids != old_ids:
        say(f"criteria are matched by id; {len(new_ids & old_ids)} of {len(new_ids | old_ids)} "
            "are in both rubrics, the others show as added or dropped", "note:")
    opts = RunOptions(exclude=(output,) if output else ())
    with output_stream(output) as out:
        new_docs, errors = run_scoring(paths, new.rubric, jobs, max_bytes, opts)
        old_docs, _ = run_scoring(paths, old.rubric, jobs, max_bytes,
                                  RunOptions(exclude=opts.exclude, notes=False))
        result = diff_scores(old_docs, new_docs,  # in input order, in which both were read
                             *diff_names((against, old), (rubric, new)),
                             ceilings=(rule_ceilings(old.rubric), rule_ceilings(new.rubric)))
        if fmt is DiffFormat.json:  # the N that moved most, as in the table; the counts cover all
            listed = result.model_copy(update={"documents": result.documents[:top]})
            out.write(json_report.dumps(listed.model_dump(mode="json")))
        else:
            console = Console(file=out, highlight=False, width=160) if output else Console(highlight=False)
            console.print(diff_table(result, top))
    skipped(errors)
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


def diff_names(old: tuple[Path, LoadedRubric], new: tuple[Path, LoadedRubric]) -> tuple[str, str]:
    """How ``diff`` names its two rubrics: id and version, and, when those are the same but the
    rubrics are not (a rubric that extends another keeps its id and version unless it gives its
    own), each one's file, or the start of its sha256 when both files have one name."""
    names = [f"{loaded.rubric.id} {loaded.rubric.version}" for _, loaded in (old, new)]
    if names[0] != names[1] or old[1].sha256 == new[1].sha256:
        return names[0], names[1]
    files = [path.as_posix() for path, _ in (old, new)]
    marks = files if files[0] != files[1] else [f"sha256 {loaded.sha256[:12]}"
                                                for _, loaded in (old, new)]
    return f"{names[0]} ({marks[0]})", f"{names[1]} ({marks[1]})"


class FitKind(StrEnum):
    weights = "weights"
    points = "points"
    both = "both"
    rewards = "rewards"


class CalibrateFormat(StrEnum):
    table = "table"
    json = "json"


CALIBRATE_NEEDS = ("numpy", "scipy", "ruamel")


@app.command(cls=HelpNamesValues)
def calibrate(
    paths: PathsArgument,
    labels: Annotated[Path, typer.Option("--labels", "-l", help="Expert labels: JSONL or CSV "
                                         "keyed by document id.", show_default=False, parser=path_value,
                                         metavar="FILE")],
    rubric: RubricOption = None,
    rating: Annotated[str | None, typer.Option(
        "--rating", metavar="FIELD", help="Label field with an overall rating the weights (or rewards) are "
        "fitted to. "
        "Default: the rubric's rating_field.", show_default=False)] = None,
    id_field: Annotated[str, typer.Option("--id-field", metavar="FIELD",
                                          help="Label field with the document id.")]
    = "id",
    folds: Annotated[int, typer.Option("--folds", metavar="K", parser=whole_number("--folds", 2),
                                       help="Cross-validation folds, 2 or more.")] = 5,
    seed: Annotated[int, typer.Option("--seed", metavar="N", parser=whole_number("--seed", 0),
                                       help="Seed of the fold split.")] = 0,
    fit: Annotated[FitKind, typer.Option("--fit", metavar="KIND",
                                         parser=choice_value("--fit", FitKind, "a kind of fit"),
                                         help="weights: criterion weights, to the "
                                         "rating; points: the points of criteria with a "
                                         "'label:', to that label; both: points, then weights; "
                                         "rewards: every criterion's rewards (points above 0), "
                                         "to the rating, penalties kept.")]
    = FitKind.weights,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE",
        help="Where to write the calibrated rubric. Default: NAME.calibrated.yaml "
        "(NAME.overlay.yaml) beside the rubric, or in the working folder for the shipped one; "
        "never the rubric itself.", show_default=False, parser=path_value)] = None,
    overlay: Annotated[bool, typer.Option("--overlay", metavar="", help="Write a small rubric that extends "
                                          "the input and holds only the fitted numbers.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", metavar="", help="Show the old and new numbers and "
                                          "the cross-validated figures; write nothing.")] = False,
    fmt: Annotated[CalibrateFormat, format_option(CalibrateFormat, "calibrate",
                                                  show_default=True)]
    = CalibrateFormat.table,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
    keep: Annotated[list[str] | None, typer.Option(
        "--keep", metavar="CRITERION",
        help="Leave this criterion's weight, and so its share of the total, as written and fit "
        "the others around it (a weight that is a policy, or that the labels cannot inform); "
        "with --fit rewards, leave its points as written. Repeatable.",
        show_default=False)] = None,
) -> None:
    """Fit the rubric's weights (or points, or rewards) to expert labels, say by cross-validation whether
    that agrees better with the experts on articles the fit never saw, and write the fitted
    numbers into a copy of the rubric (comments and layout kept) or an overlay that extends it."""
    try:
        from credscore.calibrate.calibration import calibrate as run_calibration
        from credscore.calibrate.calibration import check_labels, check_settings, may_change
        from credscore.calibrate.data import CalibrationError
        from credscore.calibrate.write import (
            WriteError,
            calibrated_text,
            check_layout,
            default_output,
            save,
        )
        from credscore.report.calibration import calibration_view
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in CALIBRATE_NEEDS:
            raise
        raise fail(f"credscore calibrate needs numpy, scipy and ruamel.yaml, and {exc.name} is "
                   "not installed: pip install 'credscore[calibrate]'") from None
    from credscore.evaluate.labels import LabelError, load_labels

    check_files(paths)
    loaded = get_rubric(rubric)
    target = output or default_output(rubric, overlay)
    if not dry_run and descriptor_of(target) is not None:
        # The rubric names its base and lexicon files by paths relative to its own folder, and
        # the fit's table goes to standard output: a rubric is a file of its own.
        raise fail(f"calibrate writes a rubric file, whose paths to its base and lexicon files "
                   f"are relative to its folder; {target} is not one: name a file to write")
    if not dry_run:  # never over an article, the labels, the rubric or a file it is built from
        refuse_clash(target, [*(Path(p) for p in paths if not is_url(p)), labels,
                              *rubric_files(rubric, loaded)])
        try:
            check_writable(target)
        except OutputError as exc:
            raise fail(str(exc)) from None
    try:
        check_settings(loaded.rubric, fit.value, rating, folds, frozenset(keep or []))
        label_rows = load_labels(labels, id_field)
        check_labels(loaded.rubric, fit.value, rating, label_rows)  # before any scoring
        if not dry_run and not overlay:  # a rubric that cannot take the numbers, said at once
            check_layout(loaded.rubric, rubric, target,
                         may_change(loaded.rubric, fit.value, frozenset(keep or [])))
    except (CalibrationError, LabelError, WriteError) as exc:
        raise fail(str(exc)) from None
    docs, errors = run_scoring(paths, loaded.rubric, jobs, max_bytes,
                               RunOptions(exclude=labels_only(labels)))
    try:
        result = run_calibration(docs, label_rows, loaded.rubric, fit=fit.value,
                                 rating_field=rating, folds=folds, seed=seed, id_field=id_field,
                                 keep=frozenset(keep or []))
    except CalibrationError as exc:
        skipped(errors)  # what could not be read may be why nothing could be fitted
        raise fail(str(exc)) from None
    for note in result.notes:  # on standard error, as evaluate says its notes
        say(note, "note:", "cyan")
    if fmt is CalibrateFormat.json:
        typer.echo(json_report.dumps(result.model_dump(mode="json")), nl=False)
    else:
        Console(highlight=False, width=160).print(calibration_view(result, written=not dry_run))
    skipped(errors)
    if not dry_run and not result.changes:
        say(unchanged_note(rubric, target), "note:", "cyan")
    elif not dry_run:
        try:
            text = calibrated_text(result, loaded.rubric, rubric, target, overlay)
            save(target, text)
        except (WriteError, OutputError) as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
        say(f"wrote {target}")
    raise typer.Exit(EXIT_SOME_FAILED if errors else EXIT_OK)


def unchanged_note(rubric: Path | None, target: Path) -> str:
    """What ``calibrate`` says when the fit kept every number, and so wrote nothing."""
    shown = "the default rubric" if rubric is None else str(rubric)
    earlier = f"; {target}, from before, was left as it was" if target.exists() else ""
    return (f"nothing changed: every number of {shown} was kept, so no calibrated rubric was "
            f"written{earlier}")


@app.command("parse", cls=HelpNamesValues)
def parse_cmd(
    file: Annotated[str, typer.Argument(help="One article file (read whatever its extension) or "
                                        "URL, or a folder, JSONL file or web archive (the first "
                                        "article in it; see --id).", metavar="FILE_OR_URL")],
    fmt: Annotated[ParseFormat, format_option(ParseFormat, "parse",
                                              show_default=True)]
    = ParseFormat.text,
    timeout: TimeoutOption = FETCH_TIMEOUT,
    doc_id: IdOption = None,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
) -> None:
    """Show how an article was cut: its normalised text, blocks, zones and sentences."""
    from credscore.report.table import parse_view

    check_paths([file])
    parsed = parsed_document(file, doc_id, timeout, max_bytes)
    with output_stream(None) as out:
        if fmt is ParseFormat.json:
            out.write(json_report.dumps(parsed.model_dump(mode="json")))
        else:
            Console(file=out, highlight=False).print(parse_view(parsed))


@rubric_app.command("check", cls=HelpNamesValues)
def rubric_check(
    file: Annotated[Path, typer.Argument(help="The rubric YAML file to check.", metavar="RUBRIC",
                                         parser=path_value)],
) -> None:
    """Validate a rubric and run every example it gives (must match / must not match)."""
    from credscore.engine.examples import run_examples

    loaded = get_rubric(file)
    report = run_examples(compile_rubric(loaded.rubric))
    for failure, at in zip(report.failures, report.failed_at, strict=True):
        say(f"{loaded.where(at)}: {failure}")
    n = len(loaded.rubric.criteria)
    say(f"{file}: {counted(n, 'criterion', 'criteria')}, {report.passed} of {report.total} "
        "examples pass", *(("FAILED", "bold red") if report.failures else ("ok", "green")))
    raise typer.Exit(EXIT_USAGE if report.failures else EXIT_OK)


class ShowFormat(StrEnum):
    yaml = "yaml"
    json = "json"


@rubric_app.command("show", cls=HelpNamesValues)
def rubric_show(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The rubric YAML file to resolve.",
                                         metavar="RUBRIC", parser=path_value)],
    fmt: Annotated[ShowFormat, format_option(ShowFormat, "rubric show", "json is the canonical "
                                             "form the sha256 is taken over. Default: the one "
                                             "the --output file's extension names, else yaml.")]
    = ShowFormat.yaml,
    output: OutputOption = None,
) -> None:
    """Print a rubric with its bases and lexicon files merged in: what it scores with."""
    from credscore.report.rubric_show import rubric_yaml
    from credscore.rubric.load import canonical_json

    refuse_clash(output, [file])
    fmt = output_format(ctx, fmt, output)
    loaded = get_rubric(file, output)
    warn_format_kept(ctx, fmt, output)
    with output_stream(output) as out:
        out.write(canonical_json(loaded.resolved) if fmt is ShowFormat.json
                  else rubric_yaml(loaded))


@rubric_app.command("docs", cls=HelpNamesValues)
def rubric_docs(
    file: Annotated[Path, typer.Argument(help="The rubric YAML file to describe.",
                                         metavar="RUBRIC", parser=path_value)],
    output: OutputOption = None,
    agreement: Annotated[list[str] | None, typer.Option(
        "--agreement", "-a", metavar="NAME=FILE",
        help="Show what each criterion is worth against expert labels: FILE is the output of "
        "'credscore evaluate --format json' on a labelled set, NAME a short name for the set. "
        "Repeatable.", show_default=False)] = None,
) -> None:
    """Write a Markdown page describing every criterion, its anchor, weight, signals and examples."""
    from credscore.report.rubric_docs import rubric_markdown

    specs = [_agreement_spec(spec) for spec in agreement or []]  # NAME=FILE, before any reading
    names = [name for name, _ in specs]
    if twice := sorted({name for name in names if names.count(name) > 1}):
        raise fail(f"--agreement names '{twice[0]}' twice: give each measured set its own NAME "
                   "(the page shows them side by side by name)")
    # A folder given as FILE is not a folder this run reads: reading it says what is wrong.
    refuse_clash(output, [file, *(path for _, path in specs if not path.is_dir())])
    loaded = get_rubric(file, output)
    measured = [_read_agreement(name, path) for name, path in specs]
    for (name, evaluation), spec in zip(measured, agreement or [], strict=True):
        if evaluation.rubric is not None and evaluation.rubric.id != loaded.rubric.id:
            raise fail(f"--agreement '{spec}' was measured with the rubric "
                       f"{evaluation.rubric.id!r}, not {loaded.rubric.id!r}: its figures would "
                       f"describe another rubric's criteria (evaluate {name} with this rubric)")
    command = " ".join(["credscore rubric docs", file.as_posix(),
                        *(f"--agreement '{spec}'" for spec in agreement or [])])
    with output_stream(output) as out:
        out.write(rubric_markdown(loaded.rubric, file.as_posix(), measured, command))


def _agreement_spec(spec: str) -> tuple[str, Path]:
    """The NAME and FILE of an --agreement value."""
    name, sep, path = spec.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise fail(f"--agreement takes NAME=FILE (for example 'stories=eval.json'), not '{spec}'")
    return name.strip(), Path(path)


def _read_agreement(name: str, path: Path) -> tuple[str, Evaluation]:
    from credscore.evaluate.compare import Evaluation

    try:
        return name, Evaluation.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise fail(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError:
        raise fail(f"{path}: not the JSON output of 'credscore evaluate --format json'") from None


@rubric_app.command("schema", cls=HelpNamesValues)
def rubric_schema() -> None:
    """Print the JSON Schema of the rubric format (for editor completion and validation)."""
    schema = rubric_json_schema()
    typer.echo(json.dumps(schema, indent=2))


def _stdout_stat() -> os.stat_result | None:
    try:
        return os.fstat(1)
    except OSError:
        return None


def _reader_went_away(before: os.stat_result | None) -> bool:
    """Whether the run ended because the reader of standard output closed it. typer (and the
    click it may carry) and rich end such a run with exit code 1, the code that says documents
    failed: typer puts a quiet wrapper on the stream, rich points it at the null device."""
    if type(sys.stdout).__name__ == "PacifyFlushWrapper":
        return True
    after = _stdout_stat()
    return (before is not None and after is not None and stat.S_ISFIFO(before.st_mode)
            and not os.path.samestat(before, after))


def main() -> None:
    before = _stdout_stat()
    with signals_raise():
        try:
            app()
        except SystemExit:
            if _reader_went_away(before):
                sys.exit(EXIT_CLOSED_PIPE)
            raise
        except Interrupted as stop:
            notes = "".join(f"; {note}" for note in getattr(stop, "__notes__", ()))
            say(f"stopped by {stop}{notes}", "credscore:", "bold red")
            sys.exit(stop.exit_code)
        except BrokenPipeError:
            raise
        except OSError as exc:  # writing to a full disk or a closed terminal, outside output_stream
            where = f"{exc.filename}: " if exc.filename else ""
            say(f"{where}{exc.strerror or exc}", "error:", "bold red")
            sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()
