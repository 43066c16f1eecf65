"""Dosing intervals (`3mo`, `2w`, `10d`) and calendar arithmetic on them.

Month arithmetic always counts from an anchor with `relativedelta`, so month ends clamp
(Jan 31 + 1 month = Feb 28/29) and a clamped date is never chained from.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from b12plan.contract.text import LazyPattern, quote

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

    IntervalUnit = Literal["mo", "w", "d"]

_INTERVAL_RE = LazyPattern(r"^\s*([1-9][0-9]{0,2})\s*(mo|w|d)\s*$")
# Only for ordering intervals of different units; dates never use it.
_APPROX_DAYS: dict[str, float] = {"mo": 365.25 / 12, "w": 7.0, "d": 1.0}
_WORDS: dict[str, tuple[str, str]] = {
    "mo": ("month", "months"),
    "w": ("week", "weeks"),
    "d": ("day", "days"),
}


class Interval:
    """A dosing interval: a whole number of months, weeks or days (immutable)."""

    __slots__ = ("unit", "value")

    def __init__(self, value: int, unit: IntervalUnit) -> None:
        self.value = value
        """How many units; at least 1."""
        self.unit = unit
        """`mo` (calendar months), `w` (weeks) or `d` (days)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is Interval and self.value == other.value and self.unit == other.unit

    def __hash__(self) -> int:
        return hash((self.value, self.unit))

    def __repr__(self) -> str:
        return f"Interval(value={self.value!r}, unit={self.unit!r})"

    @classmethod
    def parse(cls, text: str) -> Interval:
        """Parse `Nmo`, `Nw` or `Nd`; raise ValueError saying what is allowed."""
        return _parse(text)

    def __str__(self) -> str:
        return f"{self.value}{self.unit}"

    @property
    def approx_days(self) -> float:
        """Length in days for comparing intervals of different units (months as 30.44 days)."""
        return self.value * _APPROX_DAYS[self.unit]

    def words(self) -> str:
        """Plain English, e.g. `3 months`, `1 week`."""
        singular, plural = _WORDS[self.unit]
        return f"{self.value} {singular if self.value == 1 else plural}"

    def after(self, anchor: date, times: int = 1) -> date:
        """The date `times` intervals after `anchor`, counted from the anchor (never chained)."""
        return add_interval(anchor, self.value * times, self.unit)


# Every plan re-reads its protocol's steps and default: an Interval is immutable, so one parse
# per distinct text serves them all (a failed parse raises and is not cached).
@lru_cache(maxsize=1024)
def _parse(text: str) -> Interval:
    match = _INTERVAL_RE.match(text)
    if match is None:
        msg = f"interval {quote(text)} is not of the form Nmo, Nw or Nd (e.g. 3mo, 2w, 10d)"
        raise ValueError(msg)
    unit: IntervalUnit = match.group(2)  # type: ignore[assignment]
    return Interval(int(match.group(1)), unit)


@lru_cache(maxsize=65536)
def add_interval(anchor: date, amount: int, unit: IntervalUnit) -> date:
    """`anchor` plus `amount` units; months clamp to the month end via relativedelta."""
    if unit == "mo":
        result: date = anchor + _months(amount)
        return result
    return anchor + days(amount * (7 if unit == "w" else 1))


# A relativedelta costs as much to make as to add: each month count is made once.
@lru_cache(maxsize=256)
def _months(amount: int) -> relativedelta:
    # Imported here: reading an interval (a regimen's wording) needs no calendar.
    from dateutil.relativedelta import relativedelta

    return relativedelta(months=amount)


@lru_cache(maxsize=1024)
def days(count: int) -> timedelta:
    """`timedelta(days=count)`, made once for each count: a plan adds a dozen day counts, most
    of them the same few, and making a timedelta costs several times looking one up."""
    return timedelta(days=count)
