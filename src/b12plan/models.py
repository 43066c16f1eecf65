"""The documents of the contract as pydantic v2 models: patient and regimen in, plan and check out.

Input models are strict (`extra="forbid"`, no silent coercion of strings to numbers or booleans)
and check everything that needs nothing but the document itself; checks that need `as_of`
live in the engine.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from b12plan import grammar, units
from b12plan.intervals import Interval
from b12plan.text import clean_tree, quote
from b12plan.vocab import (
    CAUSE_ALIASES,
    CAUSES,
    FIRST_YEAR,
    LAST_YEAR,
    Analyte,
    FollowUpStatus,
    MissReason,
    Phase,
    Product,
    Route,
    Severity,
    Sex,
    Status,
    Weekday,
    canonical_cause,
)

if TYPE_CHECKING:
    from b12plan.protocols import Protocol

SCHEMA_VERSION = "1"
DISCLAIMER = (
    "Decision support only, not a prescription: the prescriber decides. Check every date, "
    "dose and finding against the patient and current guidance (NICE-NG239, BNF, product "
    "information) before use."
)

_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STRENGTH_RE = re.compile(
    r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(mcg|µg|μg|ug|mg)\s*/\s*ml\s*$", re.IGNORECASE
)
_LAB_STRING_RE = re.compile(
    r"^\s*(?P<analyte>[A-Za-z0-9-]+)\s*=\s*(?P<value>[^\s@]+)\s*(?P<unit>[^@]*?)\s*"
    r"@\s*(?P<date>\S+)\s*$"
)
MAX_ITEMS = 1000
# [C] No number in a B12 record comes near 10^15 (and past 2^53 a JSON number is no longer
# exact): a bound checked before any arithmetic, so an integer of any size is a clean error.
MAX_NUMBER_EXPONENT = 15
MAX_NUMBER = 10**MAX_NUMBER_EXPONENT
REGION_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"
_REGION_RE = re.compile(REGION_PATTERN)
# [C] Wider than any marketed B12 injection (100-5000 mcg/mL); outside it the unit is wrong.
STRENGTH_WINDOW_MCG_PER_ML = (10, 10_000)


def parse_iso_date(value: Any) -> Any:
    """Accept `YYYY-MM-DD` strings and date objects only (no timestamps, no datetimes)."""
    if isinstance(value, str):
        if not _ISO_DATE_RE.fullmatch(value):
            msg = f"{quote(value)} is not a date of the form YYYY-MM-DD"
            raise ValueError(msg)
        try:
            value = date.fromisoformat(value)
        except ValueError:
            msg = f"{quote(value)} is not a real calendar date"
            raise ValueError(msg) from None
    if type(value) is not date:
        msg = "must be a date of the form YYYY-MM-DD"
        raise ValueError(msg)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        msg = f"{value} is outside the years b12plan accepts ({FIRST_YEAR}–{LAST_YEAR})"
        raise ValueError(msg)
    return value


IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
"""A calendar date, given as `YYYY-MM-DD`."""


def _above_zero(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
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


def _positive_number(value: Any) -> Any:
    if _above_zero(value) > MAX_NUMBER:
        msg = f"must be at most 1e{MAX_NUMBER_EXPONENT} (got {quote(value)})"
        raise ValueError(msg)
    return value


def _dose_mcg(value: Any) -> Any:
    if _above_zero(value) > grammar.MAX_DOSE_MCG:
        msg = (
            f"must be at most {grammar.MAX_DOSE_MCG} mcg, the largest dose b12plan accepts "
            f"(got {quote(value)}); check the unit"
        )
        raise ValueError(msg)
    return value


Number = int | float
"""A JSON number; whole numbers stay integers so `1000` is not printed as `1000.0`."""

PositiveNumber = Annotated[Number, BeforeValidator(_positive_number)]
"""A finite number greater than zero and at most MAX_NUMBER, given as a JSON number (never a
string)."""

DoseMcg = Annotated[Number, BeforeValidator(_dose_mcg)]
"""A dose in micrograms: a PositiveNumber of at most `grammar.MAX_DOSE_MCG` ([C] 100 mg)."""


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


def parse_lab_string(text: str) -> dict[str, Any]:
    """`"b12=150 ng/L@2025-02-24"` -> the fields of a lab; the unit is required."""
    match = _LAB_STRING_RE.match(text)
    if match is None:
        msg = (
            f"lab {quote(text)} must look like 'b12=150 ng/L@2025-02-24' (analyte=value unit@date)"
        )
        raise ValueError(msg)
    raw_value = match.group("value")
    try:
        if not raw_value.isascii():  # float() would take other scripts' digits
            raise ValueError(raw_value)
        value: int | float = float(raw_value)
    except ValueError:
        msg = f"lab {quote(text)}: value {quote(raw_value)} is not a number"
        raise ValueError(msg) from None
    if raw_value.isdigit():
        value = int(raw_value)  # "150" stays 150 in the plan, as it would from a JSON number
    return {
        "analyte": match.group("analyte").lower(),
        "value": value,
        "unit": match.group("unit"),
        "date": match.group("date"),
    }


def _interval_text(value: Any) -> str:
    """An interval `Nmo`, `Nw` or `Nd` in its canonical spelling."""
    if not isinstance(value, str):
        msg = "must be a string of the form Nmo, Nw or Nd (e.g. 3mo, 2w, 10d)"
        raise ValueError(msg)
    return str(Interval.parse(value))


def _strength_text(value: Any) -> Any:
    """A strength string, checked but kept as written (None passes)."""
    if value is not None:
        if not isinstance(value, str):
            msg = "must be a string like '1000 mcg/mL' or '1 mg/mL'"
            raise ValueError(msg)
        parse_strength(value)
    return value


class _Input(BaseModel):
    # defer_build: validators and serialisers are built when first used, so a command pays only
    # for the documents it handles (`schedule --format json` never builds the Plan models: it
    # writes the engine's plain document).
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=2000, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _clean_text(cls, data: Any) -> Any:
        # Every input document, and so every free-text field, passes the one sanitiser before
        # the engine or any renderer sees it (see b12plan.text).
        return clean_tree(data)


class _Output(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Lab(_Input):
    """One laboratory result, with its unit and the date it was taken."""

    analyte: Analyte
    """What was measured."""
    value: PositiveNumber
    """The result, in `unit`."""
    unit: str
    """The unit as reported (required; accepted spellings in clinical/reference.md)."""
    date: IsoDate
    """When the sample was taken."""
    ref_low: PositiveNumber | None = None
    """The lab's own lower reference limit, in `unit`; wins over the default threshold."""
    ref_high: PositiveNumber | None = None
    """The lab's own upper reference limit, in `unit`; wins over the default threshold."""

    @model_validator(mode="before")
    @classmethod
    def _unit_present(cls, data: Any) -> Any:
        # A missing unit gets the allowed list, not a bare "field required": never a guess.
        if isinstance(data, dict) and data.get("unit") is None:
            analyte = data.get("analyte")
            allowed = units.allowed_units(analyte) if analyte in units.ANALYTE_UNITS else "see docs"
            msg = f"a unit is required for {analyte}; allowed: {allowed}"
            raise ValueError(msg)
        return data

    @field_validator("unit", mode="before")
    @classmethod
    def _known_unit(cls, value: Any, info: ValidationInfo) -> Any:
        analyte = info.data.get("analyte")
        if not isinstance(value, str):
            msg = "must be a unit string such as 'ng/L'"
            raise ValueError(msg)
        if analyte is None:
            return value
        return units.display_unit(analyte, value)

    @model_validator(mode="after")
    def _plausible(self) -> Lab:
        units.check_plausible(self.analyte, self.decimal_value, self.unit)
        if self.ref_low is not None and self.ref_high is not None and self.ref_low >= self.ref_high:
            msg = f"ref_low {self.ref_low} must be below ref_high {self.ref_high}"
            raise ValueError(msg)
        return self

    @property
    def decimal_value(self) -> Decimal:
        """The value as an exact decimal (from its shortest float spelling)."""
        return Decimal(repr(self.value))

    @property
    def canonical_value(self) -> Decimal:
        """The value in the analyte's canonical unit."""
        return units.to_canonical(self.analyte, self.decimal_value, self.unit)


LabText = Annotated[str, Field(pattern=r"^\s*[A-Za-z0-9-]+\s*=\s*[^\s@]+\s*[^@]*@\s*\S+\s*$")]
"""A lab as one string, `analyte=value unit@date` (e.g. `b12=150 ng/L@2025-02-24`); only the
JSON Schema uses this type: `parse_lab_string` reads the string and says what is wrong."""


def _lab_item(value: Any) -> Any:
    if isinstance(value, str):
        return parse_lab_string(value)
    if isinstance(value, dict | Lab):
        return value
    msg = (
        "must be an object (analyte, value, unit, date) or a string like 'b12=150 ng/L@2025-02-24'"
    )
    raise ValueError(msg)


class GivenDose(_Input):
    """A dose already given."""

    date: IsoDate
    """When it was given."""
    dose_mcg: DoseMcg | None = None
    """What was given, if it differs from the protocol dose."""
    site: Annotated[str, Field(max_length=100)] | None = None
    """Injection site, free text."""


def _given_item(value: Any) -> Any:
    if isinstance(value, str | date):
        return {"date": value}
    if isinstance(value, dict | GivenDose):
        return value
    msg = "must be a date (YYYY-MM-DD) or an object with date and optional dose_mcg, site"
    raise ValueError(msg)


class Conditions(_Input):
    """Conditions that change safety advice; all default to false / not started."""

    pregnant: StrictBool = False
    breastfeeding: StrictBool = False
    anticoagulant: StrictBool = False
    bleeding_disorder: StrictBool = False
    cobalt_allergy: StrictBool = False
    leber: StrictBool = False
    """Leber's hereditary optic neuropathy."""
    folic_acid_started: IsoDate | None = None
    """When folic acid was started, if it was."""


class IntervalChange(_Input):
    """A clinician's dated decision on the maintenance interval (it applies from its date)."""

    date: IsoDate
    """When the decision was made; it changes nothing before this date."""
    interval: str
    """The new interval: Nmo, Nw or Nd."""
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    """Why; required for an interval outside the protocol's steps (else it is capped)."""

    @field_validator("interval", mode="before")
    @classmethod
    def _interval(cls, value: Any) -> Any:
        return _interval_text(value)


class MissedDose(_Input):
    """A dose that was not given: declined, or the appointment was not kept."""

    date: IsoDate
    """When it was missed."""
    reason: MissReason = "other"
    """declined, did-not-attend, unavailable or other."""


def _missed_item(value: Any) -> Any:
    if isinstance(value, str | date):
        return {"date": value}
    if isinstance(value, dict | MissedDose):
        return value
    msg = "must be a date (YYYY-MM-DD) or an object with date and reason"
    raise ValueError(msg)


class Clinic(_Input):
    """When the practice gives injections (clinical/reference.md, "Clinic days and closures")."""

    open: Annotated[list[Weekday], Field(min_length=1, max_length=7)] = [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ]
    """The weekdays it is open (default: every day)."""
    closed: Annotated[list[IsoDate], Field(max_length=MAX_ITEMS)] = []
    """Dates it is closed, besides the weekdays it is not open."""
    holidays: Annotated[str, Field(pattern=REGION_PATTERN)] | None = None
    """A country's public holidays (`holidays` package): ISO country, optional subdivision,
    e.g. GB-ENG, US, US-CA."""

    @field_validator("holidays", mode="before")
    @classmethod
    def _region(cls, value: Any) -> Any:
        if value is not None and not (isinstance(value, str) and _REGION_RE.fullmatch(value)):
            msg = (
                "must be a region: an ISO country code with an optional subdivision, in "
                "capitals, e.g. GB-ENG, US, US-CA"
            )
            raise ValueError(msg)
        return value

    @field_validator("open")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            msg = "lists a weekday twice"
            raise ValueError(msg)
        return value


def _start_optional_on_record(schema: dict[str, Any]) -> None:
    # `start` may be left out for a patient already on treatment (repletion_done with doses
    # given): it then defaults to the first of them.
    schema["required"] = [name for name in schema.get("required", []) if name != "start"]
    schema["if"] = {
        "properties": {"repletion_done": {"const": True}},
        "required": ["repletion_done", "given"],
    }
    schema["then"] = {
        "anyOf": [{"required": ["start"]}, {"properties": {"given": {"minItems": 1}}}]
    }
    schema["else"] = {"required": ["start"]}


class Patient(_Input):
    """The patient document: what is known, and what has been given."""

    model_config = ConfigDict(json_schema_extra=_start_optional_on_record)

    start: IsoDate
    """First (planned) injection date; with repletion_done it defaults to the earliest given."""
    cause: str
    """Cause of deficiency (canonical id or alias)."""
    dob: IsoDate | None = None
    sex: Sex | None = None
    neuro: StrictBool = False
    """Neurological involvement."""
    product: Product | None = None
    """Default: the named protocol's product, else hydroxocobalamin."""
    route: Route | None = None
    """Default: the protocol's first route (IM for the UK protocols)."""
    strength: str | None = None
    """Product strength such as '1000 mcg/mL' (default 1000 mcg/mL)."""
    protocol: str = "auto"
    """A bundled protocol id, a custom protocol's id, or auto (unknown ids list the choices)."""
    labs: Annotated[
        list[Annotated[Lab, BeforeValidator(_lab_item, json_schema_input_type=Lab | LabText)]],
        Field(max_length=MAX_ITEMS),
    ] = []
    given: Annotated[
        list[
            Annotated[
                GivenDose, BeforeValidator(_given_item, json_schema_input_type=GivenDose | date)
            ]
        ],
        Field(max_length=MAX_ITEMS),
    ] = []
    repletion_end: IsoDate | None = None
    """The day the loading (repletion) phase ended: the neuro protocol's end of alternate-day
    doses, or an early end of a fixed course."""
    repletion_done: StrictBool = False
    """The loading course was completed before the doses recorded here: every one is maintenance."""
    symptoms_returned: Annotated[list[IsoDate], Field(max_length=MAX_ITEMS)] = []
    conditions: Conditions = Conditions()
    interval: str | None = None
    """Clinician-set maintenance interval: Nmo, Nw or Nd."""
    override_reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    interval_changes: Annotated[list[IntervalChange], Field(max_length=MAX_ITEMS)] = []
    """The clinician's dated interval decisions (instead of `interval`)."""
    missed: Annotated[
        list[
            Annotated[
                MissedDose,
                BeforeValidator(_missed_item, json_schema_input_type=MissedDose | date),
            ]
        ],
        Field(max_length=MAX_ITEMS),
    ] = []
    """Doses recorded as not given (declined, did not attend...)."""
    clinic: Clinic | None = None
    """The practice's open days and closures; without it no date moves."""
    until: IsoDate | None = None
    """Last date for listed maintenance doses (default 12 months after max(start, as_of))."""

    @model_validator(mode="before")
    @classmethod
    def _start_from_record(cls, data: Any) -> Any:
        # A patient already on treatment may be entered without the (unknown) start of the
        # course: it defaults to the first dose on record.
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

    @field_validator("cause", mode="before")
    @classmethod
    def _canonical_cause(cls, value: Any) -> Any:
        if not isinstance(value, str):
            msg = f"must be a cause id string; allowed: {', '.join((*CAUSES, *CAUSE_ALIASES))}"
            raise ValueError(msg)
        return canonical_cause(value)

    @field_validator("protocol", mode="before")
    @classmethod
    def _protocol_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            msg = "must be a protocol id string or auto (see `b12plan protocols`)"
            raise ValueError(msg)
        return value

    @field_validator("strength", mode="before")
    @classmethod
    def _strength(cls, value: Any) -> Any:
        return _strength_text(value)

    @field_validator("interval", mode="before")
    @classmethod
    def _interval(cls, value: Any) -> Any:
        return None if value is None else _interval_text(value)

    # Checks against `start` are field validators (start is declared first, so it is in
    # `info.data` when valid) so that errors carry the field's name in `loc`.
    @field_validator("dob")
    @classmethod
    def _dob_before_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if value is not None and start is not None and value >= start:
            msg = f"dob {value} must be before start {start}"
            raise ValueError(msg)
        return value

    @field_validator("repletion_end", "until")
    @classmethod
    def _not_before_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if value is not None and start is not None and value < start:
            msg = f"{info.field_name} {value} must not be before start {start}"
            raise ValueError(msg)
        return value

    @field_validator("given")
    @classmethod
    def _given_in_order(cls, value: list[GivenDose], info: ValidationInfo) -> list[GivenDose]:
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

    @field_validator("symptoms_returned")
    @classmethod
    def _symptoms_after_start(cls, value: list[date], info: ValidationInfo) -> list[date]:
        start = info.data.get("start")
        for i, when in enumerate(value):
            if start is not None and when < start:
                msg = f"symptoms_returned[{i}] {when} is before start {start}"
                raise ValueError(msg)
        return value

    @field_validator("repletion_done")
    @classmethod
    def _one_account_of_repletion(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("repletion_end") is not None:
            msg = (
                "give one account of the loading course: repletion_done (finished before these "
                "records) or repletion_end (the day it ended), not both"
            )
            raise ValueError(msg)
        return value

    @field_validator("interval_changes")
    @classmethod
    def _one_change_a_day(
        cls, value: list[IntervalChange], info: ValidationInfo
    ) -> list[IntervalChange]:
        if value and info.data.get("interval") is not None:
            msg = (
                "give interval (one change, dated as_of) or interval_changes (dated changes), "
                "not both"
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

    @field_validator("missed")
    @classmethod
    def _missed_not_given(cls, value: list[MissedDose], info: ValidationInfo) -> list[MissedDose]:
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

    @field_validator("conditions")
    @classmethod
    def _conditions_fit_sex(cls, value: Conditions, info: ValidationInfo) -> Conditions:
        if info.data.get("sex") == "male" and (value.pregnant or value.breastfeeding):
            msg = "conditions contradict sex 'male' (pregnant/breastfeeding)"
            raise ValueError(msg)
        return value

    @property
    def strength_mcg_per_ml(self) -> float | None:
        """The strength in micrograms per mL, if given."""
        return None if self.strength is None else parse_strength(self.strength)


# ---------------------------------------------------------------- plan (output)


class Generator(_Output):
    name: str = "b12plan"
    version: str


class ProtocolRef(_Output):
    """Which protocol the plan follows, and why it was chosen."""

    id: str
    title: str
    sources: list[str]
    chosen_because: str
    conventions: list[str] = []
    """Choices b12plan made where the source is vague ([C] in the reference)."""


class MissedRef(_Output):
    """A recorded miss, as shown on the dose it belongs to."""

    date: dt.date
    reason: MissReason


class IntervalInForce(_Output):
    """One entry of the maintenance interval's history: in force from `date`."""

    date: dt.date
    interval: str
    code: str
    """PROTOCOL_DEFAULT, or the code of the change (CLINICIAN_INTERVAL, OFFLABEL_INTERVAL,
    INTERVAL_CAPPED, INTERVAL_SHORTENED, INTERVAL_EXTENDED)."""
    why: str


class Dose(_Output):
    """One injection."""

    n: int
    date: dt.date
    phase: Phase
    dose_mcg: Number
    volume_ml: float
    route: Route
    status: Status
    why: str
    planned_date: dt.date | None = None
    """For a given dose: the date it was due, when that differs from `date`."""
    site: str | None = None
    moved_from: dt.date | None = None
    """For a dose moved off a clinic closure: the date the rules gave it."""
    missed: MissedRef | None = None
    """The recorded miss this dose answers to (the latest, if several)."""
    trace: list[str] = []
    """The chain of rules that placed this dose (shown by `--explain`)."""


class Maintenance(_Output):
    interval: str | None
    lifelong: bool
    next_due: dt.date | None
    steps: list[str] = []
    """The protocol's allowed intervals."""
    why: str = ""
    changes: list[IntervalInForce] = []
    """The interval in force by date, oldest first."""


class Adjustment(_Output):
    """A change of maintenance interval."""

    date: dt.date
    from_: str = Field(alias="from")
    to: str
    code: str
    why: str


class FollowUp(_Output):
    date: dt.date
    until: dt.date | None = None
    test: str
    why: str
    source: str = "NHS-PRACTICE"
    status: FollowUpStatus = "planned"
    """done (a lab of that kind on record from the window's first day), overdue (past its
    window), due (the window holds as_of) or planned."""


class Converted(_Output):
    value: float
    unit: str


class LabResult(_Output):
    analyte: Analyte
    value: Number
    unit: str
    date: dt.date
    classification: units.Classification
    converted: Converted | None = None
    ref_low: Number | None = None
    ref_high: Number | None = None
    baseline: bool = False
    """Taken on or before the start date (drives diagnosis findings)."""


class Finding(_Output):
    code: str
    severity: Severity
    message: str
    source: str


class Inputs(_Output):
    """The resolved product, route and strength, and which were defaults."""

    product: Product
    route: Route
    strength_mcg_per_ml: Number
    defaults_applied: list[str] = []


class _Document(_Output):
    """What every output document opens with: version, generator, date, disclaimer, protocol."""

    schema_version: Literal["1"] = "1"
    generator: Generator
    as_of: dt.date
    disclaimer: str = DISCLAIMER
    protocol: ProtocolRef

    def to_json(self) -> str:
        """The document as JSON, as `--format json` writes it (indented, ending in a newline)."""
        return self.model_dump_json(by_alias=True, indent=2) + "\n"


_WITHOUT_TRACE = {"doses": {"__all__": {"trace"}}}


class Plan(_Document):
    """The plan document (`schedule --format json`)."""

    complete: bool
    doses: list[Dose]
    maintenance: Maintenance | None
    adjustments: list[Adjustment] = []
    follow_up: list[FollowUp] = []
    labs: list[LabResult] = []
    findings: list[Finding] = []
    inputs: Inputs | None = None
    # What a plan from `b12plan.plan()` was made from: the ics format hashes the patient's
    # record into its UIDs, and the fhir format writes a custom protocol's segments.
    _patient: Patient | None = PrivateAttr(default=None)
    _custom: Protocol | None = PrivateAttr(default=None)

    @property
    def blocked(self) -> bool:
        """True when a `block` finding stopped the plan."""
        return any(f.severity == "block" for f in self.findings)

    def to_json(self, *, explain: bool = False, indent: int | None = 2) -> str:
        """The plan document as `schedule --format json` writes it, byte for byte; with
        `explain`, each dose keeps its `trace` (`--explain`); `indent=None` puts it on one line,
        as `schedule --batch` writes it."""
        exclude = None if explain else _WITHOUT_TRACE
        return self.model_dump_json(by_alias=True, indent=indent, exclude=exclude) + "\n"


# ---------------------------------------------------------------- regimen (input of check)


class RegimenStep(_Input):
    """One step of a proposed regimen: a dose, how often, and how many times."""

    dose_mcg: DoseMcg
    """Dose per injection, in micrograms."""
    every: str
    """Interval between doses: Nd, Nw or Nmo (e.g. 2d, 1w, 3mo)."""
    count: Annotated[StrictInt, Field(ge=1, le=grammar.MAX_COUNT)] | None = None
    """How many doses; absent: ongoing (only the last step may be ongoing)."""
    route: Route | None = None
    """This step's route; absent: the regimen's route."""

    @field_validator("every", mode="before")
    @classmethod
    def _every(cls, value: Any) -> Any:
        return _interval_text(value)


class Regimen(_Input):
    """The regimen document (input of `check`): a proposed regimen and the patient it is for.

    Give the steps either as `steps` or as one `regimen` string in the compact grammar.
    """

    patient: Patient
    """The patient, as for `schedule` (only `start` and `cause` are required)."""
    product: Product | None = None
    """Default: the patient's product, else the protocol's."""
    route: Route | None = None
    """Route of every step without its own; default: the patient's, else the protocol's first."""
    strength: str | None = None
    """Product strength such as '1000 mcg/mL'; default: the patient's, else 1000 mcg/mL."""
    steps: (
        Annotated[list[RegimenStep], Field(min_length=1, max_length=grammar.MAX_STEPS)] | None
    ) = None
    """The proposed steps in order: repletion first, then maintenance."""
    regimen: str | None = None
    """The same as one string: `DOSE ROUTE every N(d|w|mo) [xCOUNT]`, steps split by `;`."""

    @field_validator("strength", mode="before")
    @classmethod
    def _strength(cls, value: Any) -> Any:
        return _strength_text(value)

    @field_validator("regimen")
    @classmethod
    def _grammar(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            if info.data.get("steps") is not None:
                msg = "give the regimen once: as steps (a list) or as this string, not both"
                raise ValueError(msg)
            grammar.parse_regimen(value)  # GrammarError is a ValueError naming step and token
        return value

    @model_validator(mode="after")
    def _one_form(self) -> Regimen:
        if self.steps is None and self.regimen is None:
            msg = (
                "a regimen is required: steps (a list) or regimen (a string like "
                f"{grammar.EXAMPLE!r})"
            )
            raise ValueError(msg)
        return self

    def proposed_steps(self) -> list[RegimenStep]:
        """The steps, parsed from `regimen` when it was given as a string."""
        if self.steps is not None:
            return list(self.steps)
        assert self.regimen is not None  # noqa: S101 - _one_form guarantees one of the two
        return [
            RegimenStep(
                dose_mcg=step.dose_mcg, every=str(step.every), count=step.count, route=step.route
            )
            for step in grammar.parse_regimen(self.regimen)
        ]


# ---------------------------------------------------------------- check (output)


class StepView(_Output):
    """One step of a regimen as compared: resolved route, phase and volume."""

    n: int
    """Position in the regimen, from 1."""
    phase: Phase
    dose_mcg: Number
    every: str
    count: int | None
    """How many doses; null: ongoing."""
    route: Route
    volume_ml: float
    """dose_mcg / strength, rounded to 2 decimals."""
    text: str
    """The step in the compact grammar."""


class RegimenView(_Output):
    """A whole regimen: the protocol's (expected) or the proposed one."""

    product: Product
    strength_mcg_per_ml: Number
    steps: list[StepView]
    text: str
    """The regimen in the compact grammar."""


class CheckFinding(_Output):
    """A difference from the protocol, or a patient-level finding as `schedule` raises it."""

    code: str
    severity: Severity
    message: str
    source: str
    kind: Literal["regimen", "patient"]
    """`regimen`: a difference between the proposal and the protocol; `patient`: about the
    patient, product or labs, as `schedule` would raise it."""
    step: int | None = None
    """The proposed step it concerns (from 1), if one."""
    expected: str | Number | None = None
    """What the protocol gives (dose, interval, count, route or volume)."""
    proposed: str | Number | None = None
    """What the regimen proposes."""


class CheckReport(_Document):
    """The check document (`check --format json`)."""

    verdict: Literal["clean", "problems"]
    """`problems` when `regimen_verdict` or `patient_verdict` is."""
    fail_on: Severity
    """The severity at which a finding about the regimen is a problem."""
    fail_on_patient: Severity = "block"
    """The severity at which a finding about the patient is a problem."""
    regimen_verdict: Literal["clean", "problems"] = "clean"
    """`problems` when a finding of kind `regimen` is at or above `fail_on`."""
    patient_verdict: Literal["clean", "problems"] = "clean"
    """`problems` when a finding of kind `patient` is at or above `fail_on_patient`."""
    expected: RegimenView
    """The protocol's own regimen."""
    proposed: RegimenView
    findings: list[CheckFinding] = []
    labs: list[LabResult] = []
    inputs: Inputs | None = None
    not_used: list[str] = []
    """Patient fields that describe a schedule or history, which a regimen check does not use."""
