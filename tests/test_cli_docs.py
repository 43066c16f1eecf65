"""Every command and option has help text and is documented in the docs (sqlite-utils style)."""

from __future__ import annotations

import click
import pytest

from b12plan.cli import cli
from tests.conftest import ROOT, run

DOCS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))
COMMANDS = sorted(cli.commands)


def _long_options(command: click.Command) -> list[str]:
    return [
        name
        for param in command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
        if name.startswith("--") and name != "--help"
    ]


def test_the_contract_commands_exist() -> None:
    """The commands of the contract are all registered."""
    assert {"schedule", "check", "protocols", "schema"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    """`b12plan CMD --help` exits 0 and shows the command's own one-line summary."""
    command = cli.commands[name]
    assert command.help, f"{name} has no help text"
    result = run(name, "--help")
    assert result.code == 0, result.err
    summary = " ".join(command.help.split("\n\n")[0].split())
    assert summary in " ".join(result.out.split())


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented(name: str) -> None:
    """The docs show the command being used."""
    assert f"b12plan {name}" in DOCS


@pytest.mark.parametrize(
    ("name", "option"),
    [(name, option) for name in COMMANDS for option in _long_options(cli.commands[name])],
)
def test_option_has_help_and_is_documented(name: str, option: str) -> None:
    """Every long option has help text and is mentioned in the docs."""
    param = next(
        p
        for p in cli.commands[name].params
        if isinstance(p, click.Option) and option in (*p.opts, *p.secondary_opts)
    )
    assert param.help, f"{name} {option} has no help text"
    assert option in DOCS, f"{name} {option} is not in the docs"
