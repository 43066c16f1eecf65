"""Public holidays for a clinic's `holidays` region, from the `holidays` package: a region is
one of the contract's value types, and this is the calendar it names (a table, no I/O).

The engine only asks "which holiday is this day?" through the lookup built here, and the package
(a large table of countries) is imported only when a patient's clinic names a region.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from b12plan.errors import InvalidInput

HolidayLookup = Callable[[date], "str | None"]
"""The name of the public holiday on a day, or None."""
LOC = ("clinic", "holidays")


@cache  # one table a region: the package fills it year by year as days are asked for
def holiday_lookup(region: str) -> HolidayLookup:
    """The lookup for a region such as `GB-ENG`, `US` or `US-CA` (ISO country, optional
    subdivision); InvalidInput names the region when the package does not know it."""
    import holidays

    country, _, subdivision = region.partition("-")
    try:
        table = holidays.country_holidays(country, subdiv=subdivision or None, language="en_US")
    except NotImplementedError as exc:
        raise InvalidInput(
            LOC,
            f"unknown region {region!r} ({exc}); use an ISO country code with an optional "
            "subdivision, e.g. GB-ENG, US, US-CA",
        ) from None

    def lookup(day: date) -> str | None:
        name = table.get(day)
        return None if name is None else str(name)

    return lookup
