"""The one exception type the core raises for bad input.

The CLI turns it into exit code 2 and one line on stderr; it never shows a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def printable(text: str) -> str:
    """`text` with control and other invisible characters escaped (`\\n`, `\\x1b`).

    Errors echo what the user typed; a newline in a field name must not split the one line,
    and an escape sequence must not reach the terminal.
    """
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def format_loc(loc: Sequence[str | int]) -> str:
    """`("labs", 0, "unit")` -> `labs[0].unit`: list positions read as indexes, as in the docs."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
