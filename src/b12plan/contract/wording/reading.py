"""What was read from a prescriber's wording: the `read` section of the check document.

`Reading` is the whole regimen (the text, the product it names, its steps); `ReadStep` one
phase as written: `every` or `times_per_week`, and its end as `count`, `duration` (the
document's `for`) or `until`. `plain_words` says a reading back in words the reader reads to the
same reading; `dose_count` and `week_gaps` are what `check` needs to date it. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from b12plan.contract.intervals import Interval

NO_FURTHER_IMPROVEMENT: Final = "no-further-improvement"
"""The one `until` read: the end of a neurological course, decided clinically [R8]."""
ROUTE_WORDS: Final = {"im": "IM", "sc": "SC", "iv": "IV", "oral": "orally"}
_UNITS: Final = {"d": ("day", "days"), "w": ("week", "weeks"), "mo": ("month", "months")}


class ReadStep:
    """One phase as written: a dose, a route (None: the regimen's), how often, and its end."""

    __slots__ = ("count", "dose_mcg", "duration", "every", "route", "times_per_week", "until")

    def __init__(
        self,
        dose_mcg: int | float,
        route: str | None = None,
        *,
        every: Interval | None = None,
        times_per_week: int | None = None,
        count: int | None = None,
        duration: Interval | None = None,
        until: str | None = None,
    ) -> None:
        self.dose_mcg = dose_mcg
        """Micrograms per injection (or per oral dose)."""
        self.route = route
        """`im`, `sc`, `iv`, `oral`, or None when the wording names none."""
        self.every = every
        """The interval between doses; None with `times_per_week`, or for a single dose."""
        self.times_per_week = times_per_week
        """N of "N times a week" (2-7), dated in the 3-a-week pattern's way (`week_gaps`)."""
        self.count = count
        """How many doses, where the wording counts them."""
        self.duration = duration
        """How long the phase lasts, where the wording says so (`for` in the document)."""
        self.until = until
        """`no-further-improvement` for a course that ends clinically, else None."""

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is ReadStep and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        inside = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"ReadStep({inside})"

    @property
    def ends(self) -> bool:
        """Whether the wording says when this phase ends (so another may follow it)."""
        return self.count is not None or self.duration is not None or self.until is not None

    @classmethod
    def from_document(cls, step: Mapping[str, Any]) -> ReadStep:
        """The step from the check document's `read.steps[]`."""
        every, duration = step["every"], step["for"]
        return cls(
            step["dose_mcg"],
            step["route"],
            every=None if every is None else Interval.parse(every),
            times_per_week=step["times_per_week"],
            count=step["count"],
            duration=None if duration is None else Interval.parse(duration),
            until=step["until"],
        )

    def as_document(self) -> dict[str, Any]:
        """The step as the check document's `read.steps[]` has it."""
        return {
            "dose_mcg": self.dose_mcg,
            "route": self.route,
            "every": None if self.every is None else str(self.every),
            "times_per_week": self.times_per_week,
            "count": self.count,
            "for": None if self.duration is None else str(self.duration),
            "until": self.until,
        }


class Reading:
    """A whole regimen as read: the text as given, the product it names, its steps in order."""

    __slots__ = ("product", "steps", "text")

    def __init__(self, text: str, product: str | None, steps: tuple[ReadStep, ...]) -> None:
        self.text = text
        """The wording, as given."""
        self.product = product
        """`hydroxocobalamin` or `cyanocobalamin` where the wording names one, else None."""
        self.steps = steps
        """The phases in order."""

    def __eq__(self, other: object) -> bool:
        return type(other) is Reading and (self.text, self.product, self.steps) == (
            other.text,
            other.product,
            other.steps,
        )

    def __hash__(self) -> int:
        return hash((self.text, self.product, self.steps))

    def __repr__(self) -> str:
        return f"Reading(text={self.text!r}, product={self.product!r}, steps={self.steps!r})"

    def as_document(self) -> dict[str, Any]:
        """The check document's `read`: `{"text", "product", "steps": [...]}`."""
        return {
            "text": self.text,
            "product": self.product,
            "steps": [step.as_document() for step in self.steps],
        }


# ---------------------------------------------------------------- dating what was read


def week_gaps(times: int) -> tuple[int, ...]:
    """The gaps in days of "N times a week": the week spread as evenly as whole days allow,
    the longer gaps last, as the reference dates 3 times a week (2, 2, 3) [C]."""
    short, longer = divmod(7, times)
    return (short,) * (times - longer) + (short + 1,) * longer


def _days(interval: Interval) -> int | None:
    """An interval in days, or None for months (their length varies)."""
    if interval.unit == "mo":
        return None
    return interval.value * (7 if interval.unit == "w" else 1)


def dose_count(step: ReadStep) -> int | None:
    """How many doses the step gives: its count, else its duration over its interval; None
    for a step that does not end. ValueError (saying what to write) where the duration does
    not give a whole number of doses, or one that does not depend on the month [R6]."""
    if step.count is not None:
        return step.count
    if step.duration is None:
        return None
    doses = _doses_in(step, step.duration)
    if doses is None:
        why = (
            "depends on the month's length"
            if "mo" in (step.duration.unit, step.every.unit if step.every else "")
            else "is not a whole number of doses"
        )
        msg = (
            f"{describe(step, with_end=False)} for {interval_words(step.duration)} {why}; "
            "write the count of doses instead, as xN"
        )
        raise ValueError(msg)
    return doses


def _doses_in(step: ReadStep, duration: Interval) -> int | None:
    """Doses in `duration` at the step's frequency (a dose on day 0, none on the last day)."""
    if step.times_per_week is not None:
        days = _days(duration)
        if days is None or days % 7:
            return None
        return step.times_per_week * days // 7
    if step.every is None:
        return None
    if step.every.unit == "mo" or duration.unit == "mo":
        if step.every.unit != duration.unit or duration.value % step.every.value:
            return None
        return duration.value // step.every.value
    gap, days = _days(step.every), _days(duration)
    if gap is None or days is None or days % gap:
        return None
    return days // gap


# ---------------------------------------------------------------- plain words


def dose_words(dose_mcg: float) -> str:
    """`1 mg`, `500 micrograms`: milligrams only when whole (no decimal point to misread)."""
    value = Decimal(repr(dose_mcg)) if isinstance(dose_mcg, float) else Decimal(dose_mcg)
    if value >= 1000 and value % 1000 == 0:
        return f"{int(value) // 1000} mg"
    whole = value == value.to_integral_value()
    text = str(int(value)) if whole else format(value.normalize(), "f")
    return f"{text} microgram{'' if value == 1 else 's'}"


def interval_words(interval: Interval) -> str:
    """`2 weeks`, `1 month`."""
    singular, plural = _UNITS[interval.unit]
    return f"{interval.value} {singular if interval.value == 1 else plural}"


def _every_words(step: ReadStep) -> str:
    if step.times_per_week is not None:
        return "twice a week" if step.times_per_week == 2 else f"{step.times_per_week} times a week"
    if step.every is None:
        return ""
    if step.every == Interval(1, "d"):
        return "daily"
    if step.every.value == 1:
        return f"every {_UNITS[step.every.unit][0]}"
    return f"every {interval_words(step.every)}"


def describe(step: ReadStep, *, with_end: bool = True) -> str:
    """One step in plain words: `1 mg IM 3 times a week for 2 weeks (6 doses)`."""
    parts = [dose_words(step.dose_mcg)]
    if step.route is not None:
        parts.append(ROUTE_WORDS[step.route])
    every = _every_words(step)
    if every:
        parts.append(every)
    if not with_end:
        return " ".join(parts)
    if step.until is not None:
        parts.append("until no further improvement")
    elif step.every is None and step.times_per_week is None and step.count == 1:
        parts.append("once")
    elif step.duration is not None and step.count is not None:
        parts.append(f"for {_doses(step.count)} over {interval_words(step.duration)}")
    elif step.duration is not None:
        derived = _doses_in(step, step.duration)
        made = f" ({_doses(derived)})" if derived is not None else ""
        parts.append(f"for {interval_words(step.duration)}{made}")
    elif step.count is not None:
        parts.append(f"for {_doses(step.count)}")
    return " ".join(parts)


def _doses(count: int) -> str:
    return f"{count} dose{'s' if count != 1 else ''}"


def plain_words(reading: Reading) -> str:
    """The whole reading in words that read back to it: the product, then each step, joined
    by `, then `."""
    steps = ", then ".join(describe(step) for step in reading.steps)
    return f"{reading.product} {steps}" if reading.product else steps


class WordingError(ValueError):
    """Wording that cannot be read without a guess: one line naming the words, what they could
    mean, and wording that would be read. `start`/`end` locate the words in the text."""

    def __init__(
        self, message: str, start: int = 0, end: int = 0, suggestions: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.start = start
        """Where the words begin in the text (a character offset)."""
        self.end = end
        """Where they end."""
        self.suggestions = suggestions
        """Whole wordings offered in the message, each of which reads."""
