"""The input documents and the protocols as plain records (`b12plan.contract.plain`): what the
engine reads. Each has its model's fields as slots, in its model's order; the core schema
(`_core_schema.py`) validates a document straight into them, and the bundled protocols
(`b12plan.protocols._bundled`) are written as them.

Generated from the models in `b12plan.contract.models` and `b12plan.contract.protocol`
by `python tools/generate.py`: do not edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from b12plan.contract.plain import Record

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


class GivenDose(Record):
    """A dose already given."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "date",
        "dose_mcg",
        "site",
        "product",
        "route",
    )
    date: date
    dose_mcg: float | None
    site: str | None
    product: Product | None
    route: Route | None


class Conditions(Record):
    """Conditions that change safety advice; all default to false / not started."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "pregnant",
        "breastfeeding",
        "anticoagulant",
        "bleeding_disorder",
        "cobalt_allergy",
        "leber",
        "b12_hypersensitivity",
        "vegan",
        "folic_acid_started",
    )
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
    """A clinician's dated decision on the maintenance interval (it applies from its date)."""

    __slots__ = (
        "date",
        "interval",
        "reason",
    )
    date: date
    interval: str
    reason: str | None


class MissedDose(Record):
    """A dose that was not given: declined, or the appointment was not kept."""

    __slots__ = (
        "date",
        "reason",
    )
    date: date
    reason: MissReason


class Clinic(Record):
    """When the practice gives injections (docs: "Clinic days")."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "open",
        "closed",
        "holidays",
    )
    open: list[Weekday]
    closed: list[date]
    holidays: str | None


class Stopped(Record):
    """Treatment stopped: when, and why (docs: the clinical rules, "Stopping treatment")."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "date",
        "reason",
        "note",
    )
    date: date
    reason: StopReason
    note: str | None


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


class RegimenStep(Record):
    """One step of a proposed regimen: a dose, how often, and how many times."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "dose_mcg",
        "every",
        "count",
        "route",
    )
    dose_mcg: float
    every: str
    count: int | None
    route: Route | None


class Regimen(Record):
    """The regimen document (input of `check`): a proposed regimen and the patient it is for."""

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
    gaps_days: list[int]
    provisional_count: int | None
    review_day: int | None
    why: str
    source: str


class MaintenanceSpec(Record):
    """The maintenance phase: default interval and the steps it may move between."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "dose_mcg",
        "default",
        "steps",
        "why",
        "source",
    )
    dose_mcg: int
    default: str
    steps: list[str]
    why: str
    source: str


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
    named_only: bool
    sources: list[str]
    findings: list[str]
    conventions: list[str]
    repletion: list[RepletionSegment]
    maintenance: MaintenanceSpec


RECORDS: dict[str, type[Record]] = {
    cls.__name__: cls
    for cls in (
        Lab,
        GivenDose,
        Conditions,
        IntervalChange,
        MissedDose,
        Clinic,
        Stopped,
        Patient,
        RegimenStep,
        Regimen,
        RepletionSegment,
        MaintenanceSpec,
        Protocol,
    )
}
"""Each record by the name of the model it stands for."""
