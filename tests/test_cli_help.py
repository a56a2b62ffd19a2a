"""--help names every value for a reader, at the width of a small terminal and of a wide one."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner

from credscore.cli import app

runner = CliRunner()
WIDTHS = ("80", "120")


def commands(command: typer.core.TyperGroup | typer.core.TyperCommand,
             path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], typer.core.TyperCommand]]:
    """Each command and group under ``command``, with the words that call it."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from commands(sub, (*path, name))


COMMANDS = [pytest.param(path, command, id=" ".join(path) or "credscore")
            for path, command in commands(typer.main.get_command(app))]


def shown(path: tuple[str, ...], width: str) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": width})
    assert result.exit_code == 0, result.output
    return result.output


def flat(text: str) -> str:
    """The help with its boxes taken out and its wrapped lines joined, one space between words."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_every_command_is_checked() -> None:
    names = {p.id for p in COMMANDS}
    assert {"score", "report", "explain", "evaluate", "diff", "calibrate", "parse", "rubric",
            "rubric check", "rubric show", "rubric docs", "rubric schema"} <= names


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "command"), COMMANDS)
def test_help_shows_no_python_type(path: tuple[str, ...], command: typer.core.TyperCommand,
                                   width: str) -> None:
    # typer 0.29 shows the annotation's type in a column of its own: "--help <bool>",
    # "PATH_OR_URL <list[str]>", "RUBRIC <Path>".
    text = shown(path, width)
    assert not re.search(r"<[A-Za-z_][^<>\s]*>", text), text
    assert not re.search(r"\b(BOOLEAN|TEXT|INTEGER|FLOAT)\b", text), text
    assert "--help Show this message and exit." in flat(text), text


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "command"), COMMANDS)
def test_every_value_name_is_shown_whole(path: tuple[str, ...], command: typer.core.TyperCommand,
                                         width: str) -> None:
    # An option's row reads "--jobs -j N", an argument's "PATH_OR_URL" then its help: a value
    # name cut across two lines would read "--format -f table|json|ma" / "rkdown|html".
    text = flat(shown(path, width))
    for param in command.params:
        if not param.metavar:  # a flag: no value
            continue
        if isinstance(param, typer.core.TyperArgument):
            assert re.search(rf"(?:^|\s){re.escape(param.metavar)} [A-Z]", text), param.metavar
        else:
            long = next(o for o in param.opts if o.startswith("--"))
            assert re.search(rf"{re.escape(long)}(?: -\w)? {re.escape(param.metavar)}(?:\s|$)", text), \
                (long, param.metavar, text)


FORMATS = {"score": "table, json, jsonl, csv, markdown or html", "report": "html or markdown",
           "evaluate": "table, json or markdown", "diff": "table or json", "calibrate": "table or json",
           "parse": "text or json", "rubric show": "yaml or json"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("command", "formats"), FORMATS.items())
def test_format_choices_are_whole_words(command: str, formats: str, width: str) -> None:
    text = flat(shown(tuple(command.split()), width))
    assert f"--format -f FORMAT Output format: {formats}." in text, text
