"""Clinic days and closures [C] (clinical/reference.md, "Clinic days and closures").

A planned dose that falls on a day the practice is closed moves to the next open day. The engine
only asks "is this day closed, and why?": the practice's weekdays and closed dates come from the
patient document, and a country's public holidays arrive as a lookup (`HolidayLookup`), built
by `b12plan.contract.holidays` from the `holidays` package only when a region is named.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from b12plan.contract.vocab import DAY_NAMES, WEEKDAYS
from b12plan.errors import InvalidInput

if TYPE_CHECKING:
    from b12plan.contract.holidays import HolidayLookup

# A closure longer than this is a mistake in `open`/`closed`, not a practice's holiday.
MAX_CLOSED_RUN_DAYS = 92


class ClinicCalendar:
    """The days a practice gives injections."""

    __slots__ = ("_always", "_closed", "_holiday", "_open")

    def __init__(
        self,
        open_days: Iterable[str] = WEEKDAYS,
        closed: Iterable[date] = (),
        holiday: HolidayLookup | None = None,
    ) -> None:
        self._open = frozenset(WEEKDAYS.index(day) for day in open_days)
        self._closed = frozenset(closed)
        self._holiday = holiday
        self._always = len(self._open) == len(WEEKDAYS) and not self._closed and holiday is None

    def closure(self, day: date) -> str | None:
        """Why the practice is closed on `day`, or None when it is open."""
        if day.weekday() not in self._open:
            return f"closed on {DAY_NAMES[day.weekday()]}s"
        if day in self._closed:
            return f"closed on {day}"
        if self._holiday is not None and (name := self._holiday(day)) is not None:
            return f"public holiday: {name}"
        return None

    def next_open(self, day: date) -> tuple[date, str | None]:
        """The first open day on or after `day`, and why `day` itself was closed (None: open)."""
        if self._always:
            return day, None
        why = self.closure(day)
        if why is None:
            return day, None
        moved = day
        for _ in range(MAX_CLOSED_RUN_DAYS):
            moved += timedelta(days=1)
            if self.closure(moved) is None:
                return moved, why
        raise InvalidInput(
            ["clinic"],
            f"no open day within {MAX_CLOSED_RUN_DAYS} days of {day}: check open and closed",
        )


ALWAYS_OPEN = ClinicCalendar()
"""No clinic input: nothing moves."""
