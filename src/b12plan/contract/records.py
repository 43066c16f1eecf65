"""The input documents and the protocols as plain records (`b12plan.contract.plain`): what the
engine reads.

The models (`b12plan.contract.models`, `b12plan.contract.protocol`) define the documents; the
core schema generated from them (`_core_schema.py`) validates a document straight into these
records, which pydantic-core fills in without running any Python per field, and the generator
writes the bundled protocols as them (`b12plan.protocols._bundled`). Each has its model's fields
as slots, in its model's order (the generator checks the two are in step), and the few
conveniences the engine asks for.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from b12plan.contract.intervals import Interval
from b12plan.contract.plain import Record
from b12plan.contract.vocab import CONDITION_FLAGS

if TYPE_CHECKING:
    from datetime import date

    from b12plan.contract.vocab import (
        Analyte,
        Comparator,
        MissReason,
        Product,
        Route,
        Sex,
        StopReason,
        Weekday,
    )


class Lab(Record):
    """One laboratory result, with its unit and the date it was taken."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "analyte",
        "value",
        "unit",
        "date",
        "ref_low",
        "ref_high",
        "comparator",
    )
    analyte: Analyte
    value: float
    unit: str
    date: date
    ref_low: float | None
    ref_high: float | None
    comparator: Comparator | None
    """A censored result: the value is below (<, <=) or above (>, >=) `value`."""

    @property
    def decimal_value(self) -> Decimal:
        """The value as an exact decimal (from its shortest float spelling)."""
        return Decimal(repr(self.value))

    @property
    def canonical_value(self) -> Decimal:
        """The value in the analyte's canonical unit."""
        from b12plan.contract import units

        return units.to_canonical(self.analyte, self.decimal_value, self.unit)


class GivenDose(Record):
    """A dose already given."""

    __slots__ = ("date", "dose_mcg", "site", "product", "route")  # noqa: RUF023 - the model's
    date: date
    dose_mcg: float | None
    site: str | None
    product: Product | None
    route: Route | None


class Conditions(Record):
    """Conditions that change safety advice."""

    # The model's order: the flags `--condition` sets, then the one date.
    __slots__ = (*CONDITION_FLAGS, "folic_acid_started")
    pregnant: bool
    breastfeeding: bool
    anticoagulant: bool
    bleeding_disorder: bool
    cobalt_allergy: bool
    leber: bool
    b12_hypersensitivity: bool
    vegan: bool
    folic_acid_started: date | None


class IntervalChange(Record):
    """A clinician's dated decision on the maintenance interval."""

    __slots__ = ("date", "interval", "reason")
    date: date
    interval: str
    reason: str | None


class MissedDose(Record):
    """A dose that was not given."""

    __slots__ = ("date", "reason")
    date: date
    reason: MissReason


class Stopped(Record):
    """Treatment stopped: when, and why."""

    __slots__ = ("date", "reason", "note")  # noqa: RUF023 - the model's order
    date: date
    reason: StopReason
    note: str | None


class Clinic(Record):
    """When the practice gives injections."""

    __slots__ = ("open", "closed", "holidays")  # noqa: RUF023 - the model's order
    open: list[Weekday]
    closed: list[date]
    holidays: str | None


class Patient(Record):
    """The patient document: what is known, and what has been given."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "start",
        "cause",
        "dob",
        "sex",
        "neuro",
        "product",
        "route",
        "strength",
        "protocol",
        "labs",
        "given",
        "repletion_end",
        "repletion_done",
        "symptoms_returned",
        "conditions",
        "interval",
        "override_reason",
        "interval_changes",
        "missed",
        "clinic",
        "until",
        "stopped",
        "ref",
    )
    start: date
    cause: str
    dob: date | None
    sex: Sex | None
    neuro: bool
    product: Product | None
    route: Route | None
    strength: str | None
    protocol: str
    labs: list[Lab]
    given: list[GivenDose]
    repletion_end: date | None
    repletion_done: bool
    symptoms_returned: list[date]
    conditions: Conditions
    interval: str | None
    override_reason: str | None
    interval_changes: list[IntervalChange]
    missed: list[MissedDose]
    clinic: Clinic | None
    until: date | None
    stopped: Stopped | None
    ref: str | None

    @property
    def strength_mcg_per_ml(self) -> float | None:
        """The strength in micrograms per mL, if given."""
        if self.strength is None:
            return None
        from b12plan.contract.validators import parse_strength

        return parse_strength(self.strength)


class RegimenStep(Record):
    """One step of a proposed regimen."""

    __slots__ = ("dose_mcg", "every", "count", "route")  # noqa: RUF023 - the model's order
    dose_mcg: float
    every: str
    count: int | None
    route: Route | None


class Regimen(Record):
    """The regimen document (input of `check`)."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "patient",
        "product",
        "route",
        "strength",
        "steps",
        "regimen",
    )
    patient: Patient
    product: Product | None
    route: Route | None
    strength: str | None
    steps: list[RegimenStep] | None
    regimen: str | None

    def proposed_steps(self) -> list[RegimenStep]:
        """The steps, parsed from `regimen` when it was given as a string."""
        if self.steps is not None:
            return list(self.steps)
        assert self.regimen is not None  # noqa: S101 - validation guarantees one of the two
        from b12plan.contract import grammar

        return [
            RegimenStep(
                dose_mcg=step.dose_mcg, every=str(step.every), count=step.count, route=step.route
            )
            for step in grammar.parse_regimen(self.regimen)
        ]


RECORDS: dict[str, type[Record]] = {
    cls.__name__: cls
    for cls in (
        Lab,
        GivenDose,
        Conditions,
        IntervalChange,
        MissedDose,
        Stopped,
        Clinic,
        Patient,
        RegimenStep,
        Regimen,
    )
}
"""Each record by the name of the model it stands for."""


# ---------------------------------------------------------------- protocols


class RepletionSegment(Record):
    """A run of repletion doses with a repeating gap pattern."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "dose_mcg",
        "count",
        "gaps_days",
        "provisional_count",
        "review_day",
        "why",
        "source",
    )
    dose_mcg: int
    count: int | None
    """How many doses; absent: open-ended until the clinician's `repletion_end`."""
    gaps_days: list[int]
    """Days before each dose of the segment, cycled (the plan's first dose takes no gap)."""
    provisional_count: int | None
    review_day: int | None
    why: str
    source: str


class MaintenanceSpec(Record):
    """The maintenance phase: default interval and the steps it may move between."""

    __slots__ = ("dose_mcg", "default", "steps", "why", "source")  # noqa: RUF023 - as the model
    dose_mcg: int
    default: str
    steps: list[str]
    """Allowed intervals, shortest first."""
    why: str
    source: str

    @property
    def step_intervals(self) -> list[Interval]:
        """The steps as Interval values, shortest first."""
        return [Interval.parse(s) for s in self.steps]


class Protocol(Record):
    """One dosing protocol, with every value traced to a source."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "id",
        "title",
        "product",
        "routes",
        "region",
        "neuro",
        "named_only",
        "sources",
        "findings",
        "conventions",
        "repletion",
        "maintenance",
    )
    id: str
    title: str
    product: Product
    routes: list[str]
    region: str
    neuro: bool
    """Designed for neurological involvement."""
    named_only: bool
    """Prophylaxis protocols: used only when named, never chosen automatically."""
    sources: list[str]
    findings: list[str]
    """Protocol-level notices raised on every plan that uses it."""
    conventions: list[str]
    repletion: list[RepletionSegment]
    maintenance: MaintenanceSpec

    @property
    def open_repletion(self) -> bool:
        """True when repletion ends at the clinician's `repletion_end` (neuro)."""
        return bool(self.repletion) and self.repletion[-1].count is None
