"""The command line: a lazy click group over one module per command, and the entry point.

The group knows each command's name and one-line help from `COMMANDS` and imports
`b12plan.cli.<name>` only when that command runs, completes or shows its own `--help`, so
`b12plan --help` and `--version` load no command module (and no pydantic or rich).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, NoReturn

import click

from b12plan import __version__
from b12plan.cli._shared import run

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

COMMANDS: dict[str, str] = {
    "check": "Check a proposed regimen against a protocol: each difference is a finding.",
    "protocols": "List the bundled protocols with their sources (or validate a custom one).",
    "schedule": "Make a dated injection plan for one patient (file, `-` for stdin, or options).",
    "schema": (
        "Print the JSON Schema (draft 2020-12) of a document: patient, plan, regimen or check."
    ),
}
"""Command name -> the first line of its docstring (a test keeps them equal)."""


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands: every name in `COMMANDS`, each imported on first lookup."""

    def __init__(self) -> None:
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            module = importlib.import_module(f"{__name__}.{name}")
            self._loaded[name] = getattr(module, name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._loaded]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*COMMANDS, *self._loaded]))


class LazyGroup(click.Group):
    """A group that lists its commands from the registry, without importing them."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The `Commands:` section, as click writes it, from the registry's one-line help."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section("Commands"):
            formatter.write_dl([(name, _short_help(name, limit)) for name in names])

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Command names with their one-line help (as click offers them), then the options."""
        from click.shell_completion import CompletionItem

        results = [
            CompletionItem(name, help=_short_help(name, 45))
            for name in self.list_commands(ctx)
            if name.startswith(incomplete)
        ]
        results.extend(click.Command.shell_complete(self, ctx, incomplete))
        return results


def _short_help(name: str, limit: int) -> str:
    # Click shortens the help itself; a bare stand-in keeps the text as the real command's.
    return click.Command(name, help=COMMANDS[name]).get_short_help_str(limit)


@click.group(
    cls=LazyGroup,
    commands=LazyCommands(),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "-V", "--version", prog_name="b12plan")
def cli() -> None:
    """Vitamin B12 injection schedules: dated repletion and maintenance, traced to guidelines.

    Decision support only, not a prescription: the prescriber decides.
    """


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: exit 0/1/2, one line on error, never a traceback."""
    sys.exit(run(cli, argv))
