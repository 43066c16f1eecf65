"""The plan and check documents as plain data: what the engine builds, before any model sees it.

Dicts in the field order and spelling (aliases) of `b12plan.contract.models.Plan` and
`CheckReport`, holding plain values and dates; every format is written from them, and the
library's `plan()` and `check()` validate them into the models. For the type checker and the
tests: the engine and the renderers import them only when type checking.

Generated from the models in `b12plan.contract.models`
by `python tools/generate.py`: do not edit.
"""

from __future__ import annotations

import datetime as dt
from typing import NotRequired, TypedDict


class GeneratorDocument(TypedDict):
    """`Generator`."""

    name: str
    version: str


class ProtocolDocument(TypedDict):
    """`ProtocolRef`."""

    id: str
    title: str
    sources: list[str]
    chosen_because: str
    conventions: list[str]


class MissedDocument(TypedDict):
    """`MissedRef`."""

    date: dt.date
    reason: str


class DoseDocument(TypedDict):
    """`Dose`; `trace` only when the plan is explained (`--explain`)."""

    n: int
    date: dt.date
    phase: str
    dose_mcg: float
    volume_ml: float
    route: str
    status: str
    why: str
    planned_date: dt.date | None
    site: str | None
    moved_from: dt.date | None
    missed: MissedDocument | None
    held: str | None
    trace: NotRequired[list[str]]


class IntervalInForceDocument(TypedDict):
    """`IntervalInForce`."""

    date: dt.date
    interval: str
    code: str
    why: str


class MaintenanceDocument(TypedDict):
    """`Maintenance`."""

    interval: str | None
    lifelong: bool
    next_due: dt.date | None
    steps: list[str]
    why: str
    changes: list[IntervalInForceDocument]


AdjustmentDocument = TypedDict(
    "AdjustmentDocument",
    {
        "date": dt.date,
        "from": str,
        "to": str,
        "code": str,
        "why": str,
    },
)
"""`Adjustment` (its `from` is a keyword, hence this spelling)."""


class FollowUpDocument(TypedDict):
    """`FollowUp`."""

    date: dt.date
    until: dt.date | None
    test: str
    why: str
    source: str
    status: str


class ConvertedDocument(TypedDict):
    """`Converted`."""

    value: float
    unit: str


class LabResultDocument(TypedDict):
    """`LabResult`."""

    analyte: str
    value: float
    unit: str
    date: dt.date
    classification: str
    converted: ConvertedDocument | None
    ref_low: float | None
    ref_high: float | None
    baseline: bool
    comparator: str | None


class FindingDocument(TypedDict):
    """`Finding`."""

    code: str
    severity: str
    message: str
    source: str


class InputsDocument(TypedDict):
    """`Inputs`."""

    product: str
    route: str
    strength_mcg_per_ml: float
    defaults_applied: list[str]


class PlanDocument(TypedDict):
    """`Plan`; `settings` only when a settings file (b12plan.toml) was read."""

    schema_version: str
    ref: str | None
    generator: GeneratorDocument
    as_of: dt.date
    disclaimer: str
    protocol: ProtocolDocument
    complete: bool
    doses: list[DoseDocument]
    maintenance: MaintenanceDocument | None
    adjustments: list[AdjustmentDocument]
    follow_up: list[FollowUpDocument]
    labs: list[LabResultDocument]
    findings: list[FindingDocument]
    inputs: InputsDocument | None
    settings: NotRequired[str | None]


class StepViewDocument(TypedDict):
    """`StepView`."""

    n: int
    phase: str
    dose_mcg: float
    every: str | None
    count: int | None
    route: str
    volume_ml: float
    text: str


class RegimenViewDocument(TypedDict):
    """`RegimenView`."""

    product: str
    strength_mcg_per_ml: float
    steps: list[StepViewDocument]
    text: str


ReadStepDocument = TypedDict(
    "ReadStepDocument",
    {
        "dose_mcg": float,
        "route": str | None,
        "every": str | None,
        "times_per_week": int | None,
        "count": int | None,
        "for": str | None,
        "until": str | None,
    },
)
"""`ReadStep` (its `for` is a keyword, hence this spelling)."""


class ReadDocument(TypedDict):
    """`Read`."""

    text: str
    product: str | None
    steps: list[ReadStepDocument]


class CheckFindingDocument(TypedDict):
    """`CheckFinding`."""

    code: str
    severity: str
    message: str
    source: str
    kind: str
    step: int | None
    expected: str | float | None
    proposed: str | float | None


class CheckDocument(TypedDict):
    """`CheckReport`; `settings` only when a settings file (b12plan.toml) was read."""

    schema_version: str
    ref: str | None
    generator: GeneratorDocument
    as_of: dt.date
    disclaimer: str
    protocol: ProtocolDocument
    verdict: str
    fail_on: str
    fail_on_patient: str
    regimen_verdict: str
    patient_verdict: str
    expected: RegimenViewDocument
    proposed: RegimenViewDocument
    read: ReadDocument | None
    findings: list[CheckFindingDocument]
    labs: list[LabResultDocument]
    inputs: InputsDocument | None
    not_used: list[str]
    settings: NotRequired[str | None]
