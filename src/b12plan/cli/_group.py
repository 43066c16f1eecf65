"""The click group: every command of `b12plan.cli.COMMANDS`, each imported when it is used.

The group knows each command's name and one-line help from the registry and imports
`b12plan.cli.<name>` only when that command runs, completes or shows its own `--help`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING

import click

from b12plan import __version__
from b12plan.cli import COMMANDS

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands: every name in `COMMANDS`, each imported on first lookup."""

    def __init__(self) -> None:
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            module = importlib.import_module(f"b12plan.cli.{name}")
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
