"""The command line: its entry point, and a registry of its commands (`b12plan.cli._group` is
the lazy click group over one module per command).

`main` answers `--help` and `--version` itself when it can, without click: the help is the one
click writes at the width of any terminal of 80 columns or more, rendered ahead of time
(`tools/generate.py`; a test compares it with click's). Any other command line, or a narrower
terminal, goes to the group, which imports `b12plan.cli.<name>` only when that command runs,
completes or shows its own `--help`; so `--help` and `--version` load no command module (and no
pydantic or rich).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from b12plan import __version__

if TYPE_CHECKING:
    from b12plan.cli._group import LazyCommands, LazyGroup, cli

__all__ = ["COMMANDS", "LazyCommands", "LazyGroup", "cli", "main"]

COMMANDS: dict[str, str] = {
    "audit": (
        "Audit a clinic's records: one worklist, most urgent first (CSV, JSON Lines or FHIR)."
    ),
    "check": "Check a proposed regimen against a protocol: each difference is a finding.",
    "protocols": "List the bundled protocols with their sources (or validate a custom one).",
    "schedule": "Make a dated injection plan for one patient (file, `-` for stdin, or options).",
    "schema": ("Print the JSON Schema of a document: patient, plan, regimen, check or worklist."),
}
"""Command name -> the first line of its docstring (a test keeps them equal)."""

HELP_ARGS = (["--help"], ["-h"])
VERSION_ARGS = (["--version"], ["-V"])
# Click lays its help out `min(terminal columns, 80) - 2` wide (at least 50): 78 on any
# terminal of 80 columns or more, on a pipe, and in a file.
HELP_WIDTH = 78


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: exit 0/1/2, one line on error, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    text = _quick_answer(args)
    if text is not None:
        sys.exit(_write(text))
    from b12plan.cli._group import cli
    from b12plan.cli._shared import run

    _set_aside_what_is_loaded()
    sys.exit(run(cli, argv))


def _set_aside_what_is_loaded() -> None:
    """What is loaded by now (the interpreter, click, the command line) lives until exit: the
    cyclic garbage collector's passes while a command imports and runs need not walk it again
    and again (they cost ~2.5% of a command's start-up). Once a process: a caller that runs
    many commands, the tests, sets aside only what the first one found; and not where the
    embedding program froze its own objects already."""
    if gc.get_freeze_count() == 0:
        gc.freeze()


def _quick_answer(args: list[str]) -> str | None:
    """The group's own `--help` or `--version` text, when click would write exactly that."""
    if args in VERSION_ARGS:
        return f"b12plan, version {__version__}\n"  # click's version_option message
    if args in HELP_ARGS and max(min(_columns(), 80) - 2, 50) == HELP_WIDTH:
        from b12plan.cli._help import HELP

        return HELP
    return None


def _columns() -> int:
    """The terminal's width as click reads it (`shutil.get_terminal_size`, whose import costs
    more than this answer): `COLUMNS`, else stdout's terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _write(text: str) -> int:
    """Write `text` to stdout as the group would, and the exit code: 141 when the reader went
    away, 74 (with one line) when the system refused it."""
    from b12plan.errors import OutputError, ReaderGoneError
    from b12plan.io.output import (
        EXIT_IO,
        EXIT_READER_GONE,
        discard_stdout,
        setup_streams,
        write_err,
        write_out,
    )

    setup_streams()
    try:
        write_out(text)
    except ReaderGoneError:
        discard_stdout()
        return EXIT_READER_GONE
    except OutputError as exc:
        write_err(f"b12plan: error: {exc}\n")
        return EXIT_IO
    return 0


if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        """The group and its parts, from `b12plan.cli._group`, on first use."""
        if name not in ("cli", "LazyCommands", "LazyGroup"):
            msg = f"module 'b12plan.cli' has no attribute {name!r}"
            raise AttributeError(msg)
        from b12plan.cli import _group

        return getattr(_group, name)
