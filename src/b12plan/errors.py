"""The exceptions b12plan raises on purpose, each with its exit code; nothing else.

`InvalidInput` is the one type for bad input from any layer (exit 2), public as
`b12plan.InvalidInput`. Pydantic's `ValidationError` becomes one in `b12plan.contract.validation`,
so a caller, the command line included, meets one type with one list of problems. The other
exceptions belong to the writer (`b12plan.io.output`): the output could not be written (exit 74), or
its reader went away (exit 141). The CLI turns each into its exit code and at most one line on
stderr; it never shows a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from b12plan.contract.text import clip_runs, format_loc, printable

__all__ = [
    "InvalidInput",
    "Loc",
    "OutputError",
    "ReaderGoneError",
    "TerminatedError",
]

Loc = tuple[str | int, ...]
"""Where a problem is: field names and list positions, `("labs", 0, "unit")`."""


class InvalidInput(ValueError):  # noqa: N818 - the public name (issue 15): says what was wrong
    """Input that cannot be planned from: every problem found, each with its location.

    Raised by `plan`, `check` and `to_text` (and yielded by `plan_many`) for any problem with
    what they were given: a field of the document, the file it came from, its JSON or TOML, a
    custom protocol, a date. `errors` lists every problem as a `(location, message)` pair, in
    the input's order, the list the command line prints; a location is a tuple of field names
    and list positions, such as `("labs", 0, "unit")`. `str()` of it is one line: the first
    problem and how many more there are. A subclass of ValueError.
    """

    __module__ = "b12plan"  # where callers find it; also how it pickles (batch workers)

    def __init__(
        self, loc: Sequence[str | int], msg: str, *, more: Sequence[tuple[Loc, str]] = ()
    ) -> None:
        self.loc: Loc = tuple(loc)
        """Where the first problem is."""
        self.msg = clip_runs(msg)
        """What is wrong with it, and what is allowed."""
        self.errors: list[tuple[Loc, str]] = [
            (self.loc, self.msg),
            *((tuple(where), clip_runs(text)) for where, text in more),
        ]
        """Every problem as `(location, message)`, the first one first, in the input's order."""
        self.ref: str | None = None
        """The `ref` of the patient whose document this is, where it could still be read (a
        batch line that failed names it in its error line)."""
        super().__init__(self.line())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.errors, self.ref))

    def line(self) -> str:
        """One line for the whole error: the first problem, and how many more there are."""
        more = len(self.errors) - 1
        return problem_line(self.loc, self.msg) + (f" (and {more} more)" if more else "")

    def lines(self) -> list[str]:
        """One line per problem, `labs[0].unit: ...`: what the command line prints."""
        return [problem_line(loc, msg) for loc, msg in self.errors]

    def within(self, *prefix: str | int) -> InvalidInput:
        """The same problems, each located inside `prefix` (a document within a document)."""
        (loc, msg), *more = [((*prefix, *loc), msg) for loc, msg in self.errors]
        return InvalidInput(loc, msg, more=more)


if not TYPE_CHECKING:  # hidden from type checkers: they would accept any name of the module

    def __getattr__(name: str) -> object:
        """`InputError`, the older name of InvalidInput: deprecated, gone in the next release."""
        if name == "InputError":
            import warnings

            warnings.warn(
                "b12plan.errors.InputError is deprecated; use b12plan.InvalidInput, the same class",
                DeprecationWarning,
                stacklevel=2,
            )
            return InvalidInput
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)


def _rebuild(errors: list[tuple[Loc, str]], ref: str | None = None) -> InvalidInput:
    (loc, msg), *more = errors
    made = InvalidInput(loc, msg, more=more)
    made.ref = ref
    return made


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
