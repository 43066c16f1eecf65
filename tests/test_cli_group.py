"""The lazy click group: its registry, its help, bare `b12plan` and one-line usage errors."""

from __future__ import annotations

import contextlib
import io
import pkgutil

import click
import pytest
from click.shell_completion import ShellComplete

import b12plan.cli
from b12plan.cli import COMMANDS, cli
from b12plan.cli._help import HELP
from b12plan.cli._shared import run as run_group
from b12plan.cli._shared import usage_line
from tests.conftest import run

# Modules of the package that are not commands: what they share, and schedule's batch mode.
NOT_COMMANDS = {"_complete", "_group", "_help", "_shared", "batch"}


def test_registry_names_every_command_module() -> None:
    """The registry lists exactly the package's command modules, so none can be left out."""
    modules = {info.name for info in pkgutil.iter_modules(b12plan.cli.__path__)}
    assert set(COMMANDS) == modules - NOT_COMMANDS


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_registry_help_is_the_docstring_first_line(name: str) -> None:
    """Each command's one-line help in the registry equals its docstring's first line."""
    command = cli.commands[name]
    assert command.name == name
    assert command.help is not None
    assert COMMANDS[name] == command.help.splitlines()[0]


def test_group_help_lists_the_commands_as_click_would() -> None:
    """The `Commands:` section from the registry is the one click writes from the commands."""
    eager = click.Group("b12plan", commands={name: cli.commands[name] for name in COMMANDS})
    with click.Context(eager, info_name="b12plan") as ctx:
        formatter = ctx.make_formatter()
        eager.format_commands(ctx, formatter)
        expected = formatter.getvalue()
    assert expected.startswith("Commands:\n")
    assert expected in run("--help").out


def test_command_names_complete_with_their_help() -> None:
    """Command names complete with the short help click would give each command."""
    completer = ShellComplete(cli, {}, "b12plan", "_B12PLAN_COMPLETE")
    items = completer.get_completions([], "sch")
    assert [item.value for item in items] == ["schedule", "schema"]
    assert [item.help for item in items] == [
        cli.commands[item.value].get_short_help_str() for item in items
    ]


def test_bare_command_prints_the_whole_help_on_stderr() -> None:
    """`b12plan` alone prints the same help as `--help` (on stderr) and exits 2, as click does."""
    bare, helped = run(), run("--help")
    assert helped.code == 0
    assert (bare.code, bare.out) == (2, "")
    assert bare.err == helped.out
    assert bare.err.startswith("Usage: b12plan [OPTIONS] COMMAND [ARGS]...\n")
    assert "\nCommands:\n" in bare.err


def test_missing_choice_argument_reads_as_one_clean_line() -> None:
    """`b12plan schema` without NAME lists its choices on one line: no `\\t`, no double space."""
    result = run("schema")
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "b12plan: error: Missing argument '{patient|plan|regimen|check|worklist}'. "
        "Choose from: patient, plan, regimen, check, worklist\n"
    )


def test_usage_line_joins_click_lines_and_escapes_the_rest() -> None:
    """Line breaks with their indentation become one space; a typed tab stays escaped."""
    assert usage_line("Choose from:\n\tpatient,\n\tplan\n") == "Choose from: patient, plan"
    assert usage_line("Invalid value: 'a\tb'") == "Invalid value: 'a\\tb'"


def _clicks_own(*args: str) -> tuple[int, str]:
    """What the click group itself writes for ARGS (not main's answer without click)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run_group(cli, list(args))
    return code, out.getvalue()


@pytest.mark.parametrize("columns", ["80", "81", "120", "400", ""])
@pytest.mark.parametrize("flag", ["--help", "-h", "--version", "-V"])
def test_help_and_version_without_click_are_clicks_own(
    monkeypatch: pytest.MonkeyPatch, flag: str, columns: str
) -> None:
    """`b12plan --help` and `--version`, answered without click on a terminal of 80 columns or
    more (or none), are byte for byte what the click group writes."""
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    else:
        monkeypatch.delenv("COLUMNS")  # a pipe: 80 columns
    result = run(flag)
    assert (result.code, result.out, result.err) == (*_clicks_own(flag), "")
    if flag in ("--help", "-h"):
        assert result.out == HELP


@pytest.mark.parametrize("columns", ["40", "60", "79"])
def test_a_narrow_terminal_gets_clicks_narrower_help(
    monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    """Narrower than 80 columns, the help is click's, laid out to the terminal."""
    monkeypatch.setenv("COLUMNS", columns)
    result = run("--help")
    assert (result.code, result.out) == _clicks_own("--help")
    assert result.out != HELP
