"""The compact regimen grammar of the contract: `DOSE ROUTE every N(d|w|mo) [xCOUNT]`, steps split
by `;`, as in `1000mcg im every 2d x6; then 1000mcg im every 3mo`.

Parsing names the step and the token that failed; rendering is canonical, so that
parse -> render -> parse gives the same steps. Pure: no pydantic, no I/O.
"""

from __future__ import annotations

import re
from decimal import Decimal

from b12plan.contract.intervals import Interval
from b12plan.contract.text import LazyPattern, quote
from b12plan.contract.vocab import MAX_DOSE_MCG, MIN_DOSE_MCG, ROUTES

STEP_GRAMMAR = "DOSE ROUTE every N(d|w|mo) [xCOUNT]"
EXAMPLE_STEP = "1000mcg im every 2d x6"
EXAMPLE = "1000mcg im every 2d x6; then 1000mcg im every 3mo"
MAX_STEPS = 20
MAX_COUNT = 200
_DOSE = LazyPattern(r"^([0-9]+(?:\.[0-9]+)?)(mcg|µg|μg|ug|mg)?$", re.IGNORECASE)
_UNIT = LazyPattern(r"^(mcg|µg|μg|ug|mg)$", re.IGNORECASE)
_EVERY = LazyPattern(r"^([0-9]+)(mo|w|d)?$")
_COUNT = LazyPattern(r"^[x×]([0-9]*)$", re.IGNORECASE)


class Step:
    """One parsed step: a dose in micrograms, a route, an interval, and an optional count."""

    __slots__ = ("count", "dose_mcg", "every", "route")

    def __init__(self, dose_mcg: float, route: str, every: Interval, count: int | None) -> None:
        self.dose_mcg = dose_mcg
        self.route = route
        self.every = every
        self.count = count

    def _values(self) -> tuple[float, str, Interval, int | None]:
        return self.dose_mcg, self.route, self.every, self.count

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Step) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return "Step(dose_mcg={!r}, route={!r}, every={!r}, count={!r})".format(*self._values())


class GrammarError(ValueError):
    """A regimen string that does not follow the grammar, naming the step and the token."""


def parse_regimen(text: str) -> list[Step]:
    """Parse the whole string; GrammarError names the step (1-based) and the failing token."""
    pieces = text.split(";")
    if len(pieces) > MAX_STEPS:
        msg = f"has {len(pieces)} steps; at most {MAX_STEPS} allowed"
        raise GrammarError(msg)
    return [_parse_step(piece, n) for n, piece in enumerate(pieces, start=1)]


def _fail(n: int, piece: str, problem: str) -> GrammarError:
    return GrammarError(
        f"step {n} {quote(piece.strip())}: {problem} "
        f"(expected {STEP_GRAMMAR}, e.g. {EXAMPLE_STEP!r})"
    )


def _parse_step(piece: str, n: int) -> Step:
    tokens = piece.split()
    if tokens and tokens[0].lower() == "then":
        if n == 1:
            raise _fail(n, piece, "the first step cannot start with 'then'")
        tokens = tokens[1:]
    if not tokens:
        raise _fail(n, piece, "is empty; expected a dose such as 1000mcg")
    dose, tokens = _take_dose(tokens, n, piece)
    if not tokens:
        raise _fail(n, piece, "a route (im, sc or iv) is missing after the dose")
    route = tokens[0].lower()
    if route not in ROUTES:
        raise _fail(
            n, piece, f"token {quote(tokens[0])} is not a route; allowed: {', '.join(ROUTES)}"
        )
    tokens = tokens[1:]
    if not tokens or tokens[0].lower() != "every":
        found = f"token {quote(tokens[0])}" if tokens else "the end of the step"
        raise _fail(n, piece, f"{found} where 'every' was expected")
    every, tokens = _take_interval(tokens[1:], n, piece)
    count, tokens = _take_count(tokens, n, piece)
    if tokens:
        raise _fail(n, piece, f"unexpected token {quote(tokens[0])} after the step")
    return Step(dose, route, every, count)


def _take_dose(tokens: list[str], n: int, piece: str) -> tuple[int | float, list[str]]:
    match = _DOSE.match(tokens[0])
    if match is None:
        raise _fail(n, piece, f"token {quote(tokens[0])} is not a dose such as 1000mcg or 1mg")
    amount, unit = match.group(1), match.group(2)
    rest = tokens[1:]
    if unit is None:
        if not rest or not _UNIT.match(rest[0]):
            raise _fail(n, piece, f"the dose {quote(tokens[0])} needs a unit: mcg (µg, ug) or mg")
        unit, rest = rest[0], rest[1:]
    # Decimal, so that 0.0015mg is exactly 1.5 mcg and renders back as written.
    value = Decimal(amount) * (1000 if unit.lower() == "mg" else 1)
    if not MIN_DOSE_MCG <= value <= MAX_DOSE_MCG:
        raise _fail(
            n,
            piece,
            f"dose {quote(tokens[0])} must be at least {MIN_DOSE_MCG} mcg and at most "
            f"{MAX_DOSE_MCG} mcg",
        )
    return (int(value) if value == value.to_integral_value() else float(value)), rest


def _take_interval(tokens: list[str], n: int, piece: str) -> tuple[Interval, list[str]]:
    if not tokens:
        raise _fail(n, piece, "an interval such as 2d, 1w or 3mo is missing after 'every'")
    match = _EVERY.match(tokens[0])
    if match is None:
        raise _fail(n, piece, f"token {quote(tokens[0])} is not an interval such as 2d, 1w or 3mo")
    text, rest = tokens[0], tokens[1:]
    if match.group(2) is None:
        if not rest or rest[0] not in ("d", "w", "mo"):
            raise _fail(n, piece, f"the interval {quote(tokens[0])} needs a unit: d, w or mo")
        text, rest = text + rest[0], rest[1:]
    try:
        return Interval.parse(text), rest
    except ValueError:
        raise _fail(
            n, piece, f"token {quote(text)} is not an interval of 1–999 d, w or mo"
        ) from None


def _take_count(tokens: list[str], n: int, piece: str) -> tuple[int | None, list[str]]:
    if not tokens:
        return None, tokens
    match = _COUNT.match(tokens[0])
    if match is None:
        return None, tokens  # the caller reports the unexpected token
    digits, rest = match.group(1), tokens[1:]
    if not digits:
        if not rest or not rest[0].isdigit() or not rest[0].isascii():
            raise _fail(
                n, piece, f"token {quote(tokens[0])} must be followed by a count such as x6"
            )
        digits, rest = rest[0], rest[1:]
    count = int(digits)
    if not 1 <= count <= MAX_COUNT:
        raise _fail(n, piece, f"count x{digits} must be from 1 to {MAX_COUNT}")
    return count, rest


def dose_text(dose_mcg: float) -> str:
    """A dose in plain decimals, never exponent form: `1000`, `0.5`, `0.00001`."""
    if isinstance(dose_mcg, int) or float(dose_mcg).is_integer():
        return str(int(dose_mcg))
    return format(Decimal(repr(dose_mcg)), "f")


def render_step(step: Step) -> str:
    """`1000mcg im every 2d x6`: micrograms, lower-case route, the count last."""
    count = f" x{step.count}" if step.count is not None else ""
    return f"{dose_text(step.dose_mcg)}mcg {step.route} every {step.every}{count}"


def render_regimen(steps: list[Step]) -> str:
    """The steps as one string, joined by `; then `."""
    return "; then ".join(render_step(step) for step in steps)
