"""The exceptions b12plan raises on purpose, each with its exit code.

`InputError` is the one the core raises for bad input (exit 2). The other two belong to the
writer (`output.py`): the output could not be written (exit 74), or its reader went away
(exit 141). The CLI turns each into its exit code and at most one line on stderr; it never
shows a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

from b12plan.text import format_loc, printable

__all__ = [
    "InputError",
    "Loc",
    "OutputError",
    "ReaderGoneError",
    "TerminatedError",
    "format_loc",
    "printable",
]

Loc = tuple[str | int, ...]


class InputError(ValueError):
    """Input that cannot be planned from, with the field it concerns and what is allowed;
    `more` holds any further problems found in the same document, each with its field."""

    def __init__(
        self, loc: Sequence[str | int], msg: str, *, more: Sequence[tuple[Loc, str]] = ()
    ) -> None:
        self.loc: Loc = tuple(loc)
        self.msg = msg
        self.errors: list[tuple[Loc, str]] = [(self.loc, msg), *more]
        super().__init__(self.line())

    def line(self) -> str:
        """One line for the whole error: the first problem, and how many more there are."""
        more = len(self.errors) - 1
        return problem_line(self.loc, self.msg) + (f" (and {more} more)" if more else "")

    def lines(self) -> list[str]:
        """One line per problem: the field, then what is wrong and what is allowed."""
        return [problem_line(loc, msg) for loc, msg in self.errors]


def problem_line(loc: Sequence[str | int], msg: str) -> str:
    """`labs[0].unit: ...`: the field, then the message, on one printable line."""
    return printable(f"{where}: {msg}" if (where := format_loc(loc)) else msg)


class OutputError(Exception):
    """The output could not be written (a full disk, an I/O error, a closed stream): exit 74.

    The message names the target and the system's reason, e.g. `cannot write stdout: No space
    left on device`.
    """


class ReaderGoneError(Exception):
    """Whoever read stdout went away (`| head`): exit 141, as a shell reports SIGPIPE."""


class TerminatedError(BaseException):
    """SIGTERM or SIGHUP arrived while a temporary file existed: unwind, remove it, and exit
    128 + the signal's number, as the signal itself would have.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` swallows it.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signum)
