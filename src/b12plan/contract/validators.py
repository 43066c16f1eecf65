"""Every check the input models make, as plain functions: no pydantic here.

`b12plan.contract.models` attaches these to its fields and classes, and the core schema
generated from the models (`_core_schema.py`) refers to the very same functions, so the two
validators cannot differ in what they accept or in what they say. A function whose job is a
whole document (`lab_plausible`, `regimen_one_form`) reads it by attribute: it runs on the model
and on the plain record (`b12plan.contract.records`) alike. Cross-field checks read the fields
validated so far from `info.data`, as pydantic-core passes them to both.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final

from b12plan.contract.intervals import Interval
from b12plan.contract.text import LazyPattern, clean_tree, iso_date_shaped, quote
from b12plan.contract.vocab import (
    CAUSE_ALIASES,
    CAUSES,
    COMPARATOR_SPELLINGS,
    COMPARATORS,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_DOSE_MCG,
    MIN_DOSE_MCG,
    REF_MAX_CHARS,
    canonical_cause,
    weekday_names,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType
    from typing import Protocol

    # The shapes the validators read, for the type checker only: defining five Protocol
    # classes cost every planning command ~0.3% of its start-up.
    class Info(Protocol):
        """What pydantic-core hands a validator that asks for it: the fields validated so far."""

        @property
        def data(self) -> dict[str, Any]: ...  # pragma: no cover - a protocol

        @property
        def field_name(self) -> str | None: ...  # pragma: no cover - a protocol

    class _LabFields(Protocol):
        analyte: str
        value: float
        unit: str
        ref_low: float | None
        ref_high: float | None

    class _Dated(Protocol):
        @property
        def date(self) -> date: ...  # pragma: no cover - a protocol

    class _Conditions(Protocol):
        pregnant: bool
        breastfeeding: bool

    class _Regimen(Protocol):
        steps: object
        regimen: str | None


__all__ = [
    "clean_tree",
    "clinic_open",
    "clinic_region",
    "conditions_fit_sex",
    "distinct_weekdays",
    "dob_before_start",
    "dose_mcg",
    "given_in_order",
    "given_item",
    "interval_or_none",
    "interval_text",
    "lab_censored",
    "lab_comparator",
    "lab_item",
    "lab_known_unit",
    "lab_plausible",
    "lab_unit_present",
    "lab_value",
    "missed_item",
    "missed_not_given",
    "not_before_start",
    "one_account_of_repletion",
    "one_change_a_day",
    "parse_iso_date",
    "parse_lab_string",
    "parse_strength",
    "patient_cause",
    "patient_protocol",
    "positive_number",
    "ref_raw",
    "ref_text",
    "regimen_grammar",
    "regimen_one_form",
    "start_from_given",
    "stopped_after_doses",
    "strength_text",
    "symptoms_after_start",
]

_STRENGTH_RE = LazyPattern(
    r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(mcg|µg|μg|ug|mg)\s*/\s*ml\s*$", re.IGNORECASE
)
_LAB_STRING_RE = LazyPattern(
    r"^\s*(?P<analyte>[A-Za-z0-9-]+)\s*=\s*(?P<result>[^@]*?)\s*@\s*(?P<date>\S+)\s*$"
)
# A result as a report prints it: an optional comparator, the number, then the unit, with or
# without a space between them (`<50 ng/L`, `150ng/L`, `3.4`).
_RESULT_RE = LazyPattern(
    r"^(?P<comparator><=|>=|<|>|≤|≥)?\s*"
    r"(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"(?![0-9.])\s*(?P<unit>.*)$"
)
# The form nearly every report gives, `b12=150 ng/L@2025-02-24`: no comparator, no space but
# the one before the unit. Wherever it matches, `_LAB_STRING_RE` then `_RESULT_RE` read the
# same four fields (a test checks), at a third of the cost of the two matches.
_PLAIN_LAB_RE = LazyPattern(r"([A-Za-z0-9-]+)=([0-9]+(?:\.[0-9]+)?) ([^\s@]+)@(\S+)")
_CENSORED_RE = LazyPattern(
    r"^\s*(?P<comparator><=|>=|<|>|≤|≥)\s*"
    r"(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*$"
)
CENSORED_PATTERN: Final = (
    r"^\s*(<=|>=|<|>|≤|≥)\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"
)
"""A censored value in the object form (`"value": "<50"`), for the JSON Schema."""
# [C] No number in a B12 record comes near 10^15 (and past 2^53 a JSON number is no longer
# exact): a bound checked before any arithmetic, so an integer of any size is a clean error.
MAX_NUMBER_EXPONENT: Final = 15
MAX_NUMBER: Final = 10**MAX_NUMBER_EXPONENT
REGION_PATTERN: Final = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"
_REGION_RE = LazyPattern(REGION_PATTERN)
# [C] Wider than any marketed B12 injection (100-5000 mcg/mL); outside it the unit is wrong.
STRENGTH_WINDOW_MCG_PER_ML: Final = (10, 10_000)


# ---------------------------------------------------------------- values


def parse_iso_date(value: Any) -> Any:
    """Accept `YYYY-MM-DD` strings and date objects only (no timestamps, no datetimes)."""
    if isinstance(value, str):
        return _date_text(value)
    return _accepted_date(value)


def _accepted_date(value: Any) -> date:
    """A date b12plan accepts: a `date` (not a datetime) within its years."""
    if type(value) is not date:
        msg = "must be a date of the form YYYY-MM-DD"
        raise ValueError(msg)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        msg = f"{value} is outside the years b12plan accepts ({FIRST_YEAR}–{LAST_YEAR})"
        raise ValueError(msg)
    return value


# A batch reads the same few thousand dates over and over (a dozen a patient): each is read
# and checked once. A spelling that is not a date, or not one accepted, raises and is not kept.
@lru_cache(maxsize=8192)
def _date_text(text: str) -> date:
    if not iso_date_shaped(text):
        msg = f"{quote(text)} is not a date of the form YYYY-MM-DD"
        raise ValueError(msg)
    try:
        value = date.fromisoformat(text)
    except ValueError:
        msg = f"{quote(text)} is not a real calendar date"
        raise ValueError(msg) from None
    return _accepted_date(value)


# Tuples, not unions: `isinstance(x, int | float)` builds the union at every call (~0.2 us), and
# these run for values of every batch line.
_NUMBERS: Final = (int, float)
_DATE_OR_TEXT: Final = (str, date)


def _above_zero(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, _NUMBERS):
        msg = "must be a number"
        raise ValueError(msg)
    # Integers are compared as integers: float() of a huge one raises OverflowError.
    if isinstance(value, float) and not math.isfinite(value):
        msg = "must be a finite number"
        raise ValueError(msg)
    if value <= 0:
        msg = f"must be greater than 0 (got {quote(value)})"
        raise ValueError(msg)
    return value


def positive_number(value: Any) -> Any:
    """A JSON number above zero and at most MAX_NUMBER (never a string)."""
    if _above_zero(value) > MAX_NUMBER:
        msg = f"must be at most 1e{MAX_NUMBER_EXPONENT} (got {quote(value)})"
        raise ValueError(msg)
    return value


def dose_mcg(value: Any) -> Any:
    """A dose in micrograms: a number from MIN_DOSE_MCG to MAX_DOSE_MCG."""
    if _above_zero(value) < MIN_DOSE_MCG:
        msg = (
            f"must be at least {MIN_DOSE_MCG} mcg, the smallest dose b12plan accepts "
            f"(got {quote(value)}); check the unit"
        )
        raise ValueError(msg)
    if value > MAX_DOSE_MCG:
        msg = (
            f"must be at most {MAX_DOSE_MCG} mcg, the largest dose b12plan accepts "
            f"(got {quote(value)}); check the unit"
        )
        raise ValueError(msg)
    return value


def parse_strength(text: str) -> float:
    """`"1000 mcg/mL"` or `"1 mg/mL"` -> micrograms per mL; ValueError says what is allowed."""
    match = _STRENGTH_RE.match(text)
    if match is None:
        msg = f"strength {quote(text)} must be like '1000 mcg/mL' or '1 mg/mL' (unit required)"
        raise ValueError(msg)
    amount = float(match.group(1)) * (1000 if match.group(2).lower() == "mg" else 1)
    if amount <= 0:
        msg = f"strength {quote(text)} must be greater than 0"
        raise ValueError(msg)
    low, high = STRENGTH_WINDOW_MCG_PER_ML
    if not low <= amount <= high:
        msg = (
            f"strength {quote(text)} is implausible (expected {low}–{high} mcg/mL): check the unit"
        )
        raise ValueError(msg)
    return int(amount) if amount.is_integer() else amount


def strength_text(value: Any) -> Any:
    """A strength string, checked but kept as written (None passes)."""
    if value is not None:
        if not isinstance(value, str):
            msg = "must be a string like '1000 mcg/mL' or '1 mg/mL'"
            raise ValueError(msg)
        parse_strength(value)
    return value


def interval_text(value: Any) -> str:
    """An interval `Nmo`, `Nw` or `Nd` in its canonical spelling."""
    if not isinstance(value, str):
        msg = "must be a string of the form Nmo, Nw or Nd (e.g. 3mo, 2w, 10d)"
        raise ValueError(msg)
    return str(Interval.parse(value))


def interval_or_none(value: Any) -> Any:
    """`interval_text`, letting None through."""
    return None if value is None else interval_text(value)


def patient_cause(value: Any) -> Any:
    """A cause id or alias, as its canonical id."""
    if not isinstance(value, str):
        msg = f"must be a cause id string; allowed: {', '.join((*CAUSES, *CAUSE_ALIASES))}"
        raise ValueError(msg)
    return canonical_cause(value)


def patient_protocol(value: Any) -> Any:
    """A protocol id (checked against the catalogue later, where custom ones are known)."""
    if not isinstance(value, str):
        msg = "must be a protocol id string or auto (see `b12plan protocols`)"
        raise ValueError(msg)
    return value


def clinic_region(value: Any) -> Any:
    """A region for the `holidays` package: ISO country, optional subdivision, in capitals."""
    if value is not None and not (isinstance(value, str) and _REGION_RE.fullmatch(value)):
        msg = (
            "must be a region: an ISO country code with an optional subdivision, in "
            "capitals, e.g. GB-ENG, US, US-CA"
        )
        raise ValueError(msg)
    return value


def clinic_open(value: Any) -> Any:
    """A clinic's open days as `--open` spells them (`"mon-fri"`, `"mon,wed,fri"`, in any case)
    or as a list of weekday names; a string becomes that list."""
    if isinstance(value, str):
        return weekday_names(value)
    if not isinstance(value, list):
        msg = (
            'must be weekdays: a string such as "mon-fri" or "mon,wed,fri", or a list such as '
            '["mon", "wed", "fri"]'
        )
        raise ValueError(msg)
    return value


def distinct_weekdays(value: list[str]) -> list[str]:
    """The clinic's open days, each once."""
    if len(set(value)) != len(value):
        msg = "lists a weekday twice"
        raise ValueError(msg)
    return value


# ---------------------------------------------------------------- labs


def parse_lab_string(text: str) -> dict[str, Any]:
    """`"b12=150 ng/L@2025-02-24"` -> the fields of a lab, as a report prints it: a censored
    value keeps its comparator (`b12=<50 ng/L`), the unit may follow the number without a
    space (`150ng/L`), and an INR needs none (`inr=3.4@...`)."""
    # The compiled patterns' own `fullmatch`/`match`, and each match's groups at once: a batch
    # reads every lab string here, and each Python call saved is a tenth of a microsecond a lab.
    plain = _PLAIN_LAB_RE.compiled.fullmatch(text)
    if plain is not None:
        analyte, number, unit, when = plain.groups()
        value: int | float = int(number) if number.isdigit() else float(number)
        return {"analyte": analyte.lower(), "value": value, "unit": unit, "date": when}
    return read_lab_string(text)


def read_lab_string(text: str) -> dict[str, Any]:
    """`parse_lab_string` by the general patterns alone: any spacing, a comparator, no unit."""
    match = _LAB_STRING_RE.compiled.match(text)
    if match is None or not match.group("result"):
        msg = (
            f"lab {quote(text)} must look like 'b12=150 ng/L@2025-02-24' (analyte=value unit@date)"
        )
        raise ValueError(msg)
    analyte, result, when = match.groups()
    found = _RESULT_RE.compiled.match(result)
    if found is None:
        signs = (*COMPARATORS, *COMPARATOR_SPELLINGS)
        comparator = next((c for c in signs if result.startswith(c)), None)
        if comparator is not None:
            msg = (
                f"lab {quote(text)}: the comparator {quote(comparator)} needs a number after it "
                "(e.g. 'b12=<50 ng/L@2025-02-24')"
            )
            raise ValueError(msg)
        return _lab_fields(text, analyte, result, when)
    comparator, number, unit = found.groups()
    value: int | float = int(number) if number.isdigit() else float(number)
    # "150" stays 150 in the plan, as it would from a JSON number.
    fields: dict[str, Any] = {
        "analyte": analyte.lower(),
        "value": value,
        "unit": unit,
        "date": when,
    }
    if comparator:
        fields["comparator"] = _comparator(comparator)
    return fields


def _lab_fields(text: str, analyte: str, result: str, when: str) -> dict[str, Any]:
    """A result that is not a plain number and unit: its first word read as Python reads a
    float (so `nan`, `inf` and `1e400` reach the value's own checks and say what is wrong)."""
    raw_value, _, unit = result.partition(" ")
    try:
        if not raw_value.isascii():  # float() would take other scripts' digits
            raise ValueError(raw_value)
        value = float(raw_value)
    except ValueError:
        msg = f"lab {quote(text)}: value {quote(raw_value)} is not a number"
        raise ValueError(msg) from None
    return {"analyte": analyte.lower(), "value": value, "unit": unit.strip(), "date": when}


def _comparator(text: str) -> str:
    return COMPARATOR_SPELLINGS.get(text, text)


def lab_censored(data: Any) -> Any:
    """A censored value in the object form (`"value": "<50"`): the number, and its comparator
    in `comparator`. Any other string is left to `lab_value`, which names the field."""
    if not (isinstance(data, dict) and isinstance(data.get("value"), str)):
        return data
    found = _CENSORED_RE.match(data["value"])
    if found is None:
        return data
    number = found.group("number")
    comparator = _comparator(found.group("comparator"))
    given = data.get("comparator")
    if isinstance(given, str) and _comparator(given) != comparator:
        msg = (
            f"value {quote(data['value'])} and comparator {quote(given)} disagree; give the "
            "comparator once"
        )
        raise ValueError(msg)
    value = int(number) if number.isdigit() else float(number)
    return {**data, "value": value, "comparator": comparator}


def lab_value(value: Any) -> Any:
    """A lab's value: a positive number (a censored string such as `"<50"` was read by
    `lab_censored`; any other string is an error saying what is allowed)."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "<>≤≥" and text:
            msg = (
                f"{quote(value)}: a comparator needs a number after it, e.g. '<50' "
                "(and the unit in unit)"
            )
        else:
            msg = (
                f"must be a number, or a censored value as the report prints it such as "
                f"'<50' or '>90' (got {quote(value)})"
            )
        raise ValueError(msg)
    return positive_number(value)


def lab_comparator(value: Any) -> Any:
    """A censored result's comparator: <, >, <= or >= (the signs ≤ and ≥ read as <= and >=)."""
    if value is None:
        return None
    if isinstance(value, str) and _comparator(value.strip()) in COMPARATORS:
        return _comparator(value.strip())
    msg = f"must be one of {', '.join(COMPARATORS)} (or ≤, ≥), not {quote(value)}"
    raise ValueError(msg)


def lab_item(value: Any) -> Any:
    """A lab: an object, or the one-string form."""
    if isinstance(value, str):
        return parse_lab_string(value)
    if isinstance(value, dict):
        return value
    msg = (
        "must be an object (analyte, value, unit, date) or a string like 'b12=150 ng/L@2025-02-24'"
    )
    raise ValueError(msg)


def lab_unit_present(data: Any) -> Any:
    """A missing unit gets the allowed list, not a bare "field required": never a guess. The
    one exception is the INR, a ratio that reports print without a unit."""
    if isinstance(data, dict) and data.get("analyte") == "inr":
        unit = data.get("unit")
        if unit is None or (isinstance(unit, str) and not unit.strip()):
            return {**data, "unit": "ratio"}
    if isinstance(data, dict) and data.get("unit") is None:
        # `import ... as`: `from b12plan.contract import units` runs importlib's `_handle_fromlist`
        # on every call on Python 3.11 (~0.5 us), and a batch makes these calls for every lab.
        import b12plan.contract.units as units  # noqa: PLR0402

        analyte = data.get("analyte")
        allowed = units.allowed_units(analyte) if analyte in units.ANALYTE_UNITS else "see docs"
        msg = f"a unit is required for {analyte}; allowed: {allowed}"
        raise ValueError(msg)
    return data


_units_module: ModuleType | None = None


def _units() -> ModuleType:
    """`b12plan.contract.units`, imported by the first lab validated (a patient without labs
    never needs it) and kept: an import statement costs ~0.3 us a call even once the module is
    loaded, and a batch would pay it twice for every lab."""
    global _units_module  # noqa: PLW0603 - set once, on first use
    if _units_module is None:
        import b12plan.contract.units as units  # noqa: PLR0402

        _units_module = units
    return _units_module


def lab_known_unit(value: Any, info: Info) -> Any:
    """The unit in its display spelling for the analyte (when the analyte is valid)."""
    analyte = info.data.get("analyte")
    if not isinstance(value, str):
        msg = "must be a unit string such as 'ng/L'"
        raise ValueError(msg)
    if analyte is None:
        return value
    return _units().display_unit(analyte, value)


def lab_plausible(lab: _LabFields) -> Any:
    """A value that can be real in its unit, and reference limits in order."""
    value = lab.value
    # An int is exact as it is; a float is read as it was written (`repr`), not as its binary
    # value (Decimal(0.1) is 0.1000000000000000055...). `type(...) is int`: never a bool here.
    exact = Decimal(value) if type(value) is int else Decimal(repr(value))
    _units().check_plausible(lab.analyte, exact, lab.unit)
    if lab.ref_low is not None and lab.ref_high is not None and lab.ref_low >= lab.ref_high:
        msg = f"ref_low {lab.ref_low} must be below ref_high {lab.ref_high}"
        raise ValueError(msg)
    return lab


# ---------------------------------------------------------------- the record


def given_item(value: Any) -> Any:
    """A dose given: a date, or an object."""
    if isinstance(value, _DATE_OR_TEXT):
        return {"date": value}
    if isinstance(value, dict):
        return value
    msg = (
        "must be a date (YYYY-MM-DD) or an object with date and optional dose_mcg, site, "
        "product, route"
    )
    raise ValueError(msg)


def missed_item(value: Any) -> Any:
    """A dose missed: a date, or an object."""
    if isinstance(value, _DATE_OR_TEXT):
        return {"date": value}
    if isinstance(value, dict):
        return value
    msg = "must be a date (YYYY-MM-DD) or an object with date and reason"
    raise ValueError(msg)


def start_from_given(data: Any) -> Any:
    """A patient already on treatment may be entered without the (unknown) start of the
    course: it defaults to the first dose on record."""
    if (
        isinstance(data, dict)
        and data.get("start") is None
        and data.get("repletion_done") is True
        and isinstance(data.get("given"), list)
        and data["given"]
    ):
        first = data["given"][0]
        when = first.get("date") if isinstance(first, dict) else first
        if isinstance(when, str | date):
            return {**data, "start": when}
    return data


# Checks against `start` are field validators (start is declared first, so it is in
# `info.data` when valid) so that errors carry the field's name in `loc`.


def dob_before_start(value: date | None, info: Info) -> date | None:
    """A date of birth before the start of treatment."""
    start = info.data.get("start")
    if value is not None and start is not None and value >= start:
        msg = f"dob {value} must be before start {start}"
        raise ValueError(msg)
    return value


def not_before_start(value: date | None, info: Info) -> date | None:
    """`repletion_end` and `until` on or after start."""
    start = info.data.get("start")
    if value is not None and start is not None and value < start:
        msg = f"{info.field_name} {value} must not be before start {start}"
        raise ValueError(msg)
    return value


def given_in_order(value: Sequence[_Dated], info: Info) -> Any:
    """Doses given in date order, none before start."""
    start = info.data.get("start")
    previous: date | None = None
    for i, dose in enumerate(value):
        if start is not None and dose.date < start:
            msg = f"given[{i}] {dose.date} is before start {start}"
            raise ValueError(msg)
        if previous is not None and dose.date <= previous:
            msg = f"given[{i}] {dose.date} is not after given[{i - 1}] {previous}"
            raise ValueError(msg)
        previous = dose.date
    return value


def symptoms_after_start(value: list[date], info: Info) -> list[date]:
    """Dates symptoms returned, none before start."""
    start = info.data.get("start")
    for i, when in enumerate(value):
        if start is not None and when < start:
            msg = f"symptoms_returned[{i}] {when} is before start {start}"
            raise ValueError(msg)
    return value


def one_account_of_repletion(value: bool, info: Info) -> bool:
    """`repletion_done` or `repletion_end`, not both."""
    if value and info.data.get("repletion_end") is not None:
        msg = (
            "give one account of the loading course: repletion_done (finished before these "
            "records) or repletion_end (the day it ended), not both"
        )
        raise ValueError(msg)
    return value


def one_change_a_day(value: Sequence[_Dated], info: Info) -> list[Any]:
    """Dated interval decisions, at most one a day, in date order (not with `interval`)."""
    if value and info.data.get("interval") is not None:
        msg = (
            "give interval (one change, dated as_of) or interval_changes (dated changes), not both"
        )
        raise ValueError(msg)
    seen: dict[date, int] = {}
    for i, change in enumerate(value):
        if change.date in seen:
            msg = (
                f"interval_changes[{i}] and interval_changes[{seen[change.date]}] are both "
                f"dated {change.date}; record one decision a day"
            )
            raise ValueError(msg)
        seen[change.date] = i
    return sorted(value, key=lambda change: change.date)


def missed_not_given(value: Sequence[_Dated], info: Info) -> list[Any]:
    """Misses after start, each once, none on a day a dose was given; in date order."""
    start = info.data.get("start")
    given = {dose.date for dose in info.data.get("given", [])}
    seen: set[date] = set()
    for i, miss in enumerate(value):
        if start is not None and miss.date < start:
            msg = f"missed[{i}] {miss.date} is before start {start}"
            raise ValueError(msg)
        if miss.date in given:
            msg = f"missed[{i}] {miss.date} is also a given date; a dose is given or missed"
            raise ValueError(msg)
        if miss.date in seen:
            msg = f"missed[{i}] {miss.date} is listed twice"
            raise ValueError(msg)
        seen.add(miss.date)
    return sorted(value, key=lambda miss: miss.date)


def stopped_after_doses(value: Any, info: Info) -> Any:
    """A stop on or after start, and after every dose given (naming both dates)."""
    if value is None:
        return value
    start = info.data.get("start")
    when = value.date
    if start is not None and when < start:
        msg = f"stopped.date {when} is before start {start}"
        raise ValueError(msg)
    for i, dose in enumerate(info.data.get("given", [])):
        if dose.date > when:
            msg = (
                f"given[{i}] {dose.date} is after stopped.date {when}: no dose is given once "
                "treatment has stopped; correct the stop date or the dose"
            )
            raise ValueError(msg)
    return value


class RefProblem:
    """What was wrong with a `ref` as it came in, before the sanitiser made it printable."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _ref_problem(text: str) -> str | None:
    allowed = f"a ref is 1–{REF_MAX_CHARS} printable characters"
    if not text:
        return f"is empty; {allowed}"
    if len(text) > REF_MAX_CHARS:
        return f"is {len(text)} characters long; {allowed}"
    for i, ch in enumerate(text):
        if not ch.isprintable():
            shown = ch.encode("unicode_escape", "backslashreplace").decode("ascii")
            return f"holds a control character ({shown}) at position {i + 1}; {allowed}"
    return None


def ref_raw(data: Any) -> Any:
    """Judge `ref` as typed, before the sanitiser escapes its control characters into
    printable text (a ref is never cleaned: a wrong one is refused)."""
    if isinstance(data, dict) and isinstance(data.get("ref"), str):
        problem = _ref_problem(data["ref"])
        if problem is not None:
            return {**data, "ref": RefProblem(problem)}
    return data


def ref_text(value: Any) -> Any:
    """The caller's reference: 1–64 printable characters, kept exactly as given."""
    if isinstance(value, RefProblem):
        raise ValueError(value.message)
    if not isinstance(value, str):
        msg = f"must be a string of 1–{REF_MAX_CHARS} printable characters"
        raise ValueError(msg)
    problem = _ref_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def conditions_fit_sex(value: _Conditions, info: Info) -> Any:
    """No pregnancy or breastfeeding for a male patient."""
    if info.data.get("sex") == "male" and (value.pregnant or value.breastfeeding):
        msg = "conditions contradict sex 'male' (pregnant/breastfeeding)"
        raise ValueError(msg)
    return value


# ---------------------------------------------------------------- regimen


def regimen_grammar(value: str | None, info: Info) -> str | None:
    """The one-string regimen: read as prescribers write it (the compact grammar included),
    and not given beside `steps`."""
    if value is not None:
        if info.data.get("steps") is not None:
            msg = "give the regimen once: as steps (a list) or as this string, not both"
            raise ValueError(msg)
        from b12plan.contract.wording import read_regimen

        read_regimen(value)  # WordingError is a ValueError naming the words and the readings
    return value


def regimen_one_form(regimen: _Regimen) -> Any:
    """Steps or the string: one of the two is required."""
    if regimen.steps is None and regimen.regimen is None:
        from b12plan.contract import grammar

        msg = (
            f"a regimen is required: steps (a list) or regimen (a string like {grammar.EXAMPLE!r})"
        )
        raise ValueError(msg)
    return regimen
