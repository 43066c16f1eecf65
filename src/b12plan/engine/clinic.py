"""Clinic days and closures [C] (clinical/reference.md, "Clinic days and closures").

A planned dose that falls on a day the practice is closed moves to the next open day. The engine
only asks "is this day closed, and why?": the practice's weekdays and closed dates come from the
patient document, and a country's public holidays arrive as a lookup (`HolidayLookup`), built
by `b12plan.contract.holidays` from the `holidays` package only when a region is named.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from b12plan.contract.vocab import DAY_NAMES, WEEKDAYS
from b12plan.errors import InvalidInput

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, FindingDocument
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
        return self._date_closure(day, dated=False)

    def _date_closure(self, day: date, *, dated: bool) -> str | None:
        """Why the practice is closed on `day` though open that weekday (its own closed dates,
        a public holiday), or None; `dated` names a holiday's date too, for a day passed over
        after the one a dose moved from."""
        if day in self._closed:
            return f"closed on {day}"
        if self._holiday is not None and (name := self._holiday(day)) is not None:
            return f"public holiday on {day}: {name}" if dated else f"public holiday: {name}"
        return None

    def next_open(self, day: date) -> tuple[date, str | None]:
        """The first open day on or after `day`, and why it moved (None: `day` is open).

        The reason is why `day` was closed, then every closed date passed over on an open
        weekday: a dose moved from Saturday 25 December to Wednesday 29 says why Monday and
        Tuesday would not do (the substitute bank holidays). Closed weekdays after the first
        go unsaid: they are the practice's week.
        """
        if self._always:
            return day, None
        why = self.closure(day)
        if why is None:
            return day, None
        reasons = [why]
        moved = day
        for _ in range(MAX_CLOSED_RUN_DAYS):
            moved += timedelta(days=1)
            if moved.weekday() not in self._open:
                continue
            dated = self._date_closure(moved, dated=True)
            if dated is None:
                return moved, "; ".join(reasons)
            reasons.append(dated)
        raise InvalidInput(
            ["clinic"],
            f"no open day within {MAX_CLOSED_RUN_DAYS} days of {day}: check open and closed",
        )


ALWAYS_OPEN = ClinicCalendar()
"""No clinic input: nothing moves."""


WEEKEND: Final = frozenset({5, 6})
"""Saturday and Sunday, as `date.weekday()` numbers them."""


def weekend_doses(doses: Sequence[DoseDocument], as_of: date) -> FindingDocument | None:
    """`WEEKEND_DOSES` (info), for a plan made without clinic days, where nothing moves: the
    doses still to give, from `as_of` on, that fall on a Saturday or Sunday, said once with how
    many, the first, and where clinic days are set. Weekends only: without a region the public
    holidays are not known. It changes no date."""
    weekend = [
        day
        for d in doses
        if (day := d["date"]).weekday() in WEEKEND and day >= as_of and d["status"] != "given"
    ]
    if not weekend:
        return None
    first, many = min(weekend), len(weekend)
    return {
        "code": "WEEKEND_DOSES",
        "severity": "info",
        "message": (
            f"{many} planned dose{'s fall' if many > 1 else ' falls'} on a Saturday or Sunday, "
            f"{'the first ' if many > 1 else ''}on {DAY_NAMES[first.weekday()]} {first}; with "
            "no clinic days set nothing moves: set them with --open mon-fri, clinic.open or "
            "[clinic] in b12plan.toml (public holidays are not known without --holidays REGION)"
        ),
        "source": "B12PLAN",
    }
