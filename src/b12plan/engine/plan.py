"""`build_plan`: from a validated patient and a date to the plan document.

Pure: no clock (`as_of` is an argument), no I/O, no click or rich. `plan_document` takes the
patient's plain record (`b12plan.contract.records`) through the stages of `engine/stages`, in
order, over one state, and returns the document as plain data (see
`b12plan.contract.documents`); `build_plan` returns it as the `Plan` model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Final

from b12plan.engine.stages import (
    clinic_days,
    document,
    doses,
    facts,
    findings,
    follow_up,
    labs,
    loading,
    maintenance,
    protocol,
)
from b12plan.engine.stages.state import Planning

if TYPE_CHECKING:
    from b12plan.contract.documents import PlanDocument
    from b12plan.contract.holidays import HolidayLookup
    from b12plan.contract.models import Plan
    from b12plan.contract.records import Patient, Protocol

STAGES: Final[tuple[Callable[[Planning], None], ...]] = (
    facts.run,  # the record as of as_of; the clinician's decisions
    protocol.run,  # protocol, product, route, strength
    labs.run,  # every result classified
    clinic_days.run,  # the practice's calendar
    loading.run,  # the loading course, day 0, the facts; blocked on a safety finding
    maintenance.run,  # the replay of the record and the doses to come
    doses.run,  # numbered, a stop applied, late and held doses
    follow_up.run,  # the tests to arrange
    findings.run,  # every finding, most severe first
    document.run,  # the plan document
)
"""Planning, stage by stage: each reads what the ones before it worked out (`Planning`). A
blocked plan goes through every stage; those that date doses leave it without."""


def build_plan(
    patient: Patient,
    *,
    as_of: date,
    catalogue: Mapping[str, Protocol] | None = None,
    custom: Protocol | None = None,
    holidays: HolidayLookup | None = None,
) -> Plan:
    """The dated plan for `patient` as seen on `as_of`, every dose with its trace.

    Raises InvalidInput for input that cannot be planned from.
    """
    from b12plan.contract.models import Plan

    document = plan_document(
        patient, as_of=as_of, catalogue=catalogue, custom=custom, holidays=holidays
    )
    return Plan.model_validate(document)


def plan_document(
    patient: Patient,
    *,
    as_of: date,
    catalogue: Mapping[str, Protocol] | None = None,
    custom: Protocol | None = None,
    explain: bool = True,
    holidays: HolidayLookup | None = None,
) -> PlanDocument:
    """The plan as a plain document; doses carry their trace only when `explain` is true.

    The same plan as `build_plan`, for writers that serialise it directly (JSON, batches).
    `holidays` names the public holiday on a day, for a clinic that closes on them (default:
    the `holidays` package's table for `clinic.holidays`, loaded only then). Raises InvalidInput
    for input that cannot be planned from.
    """
    state = Planning(
        patient, as_of, catalogue=catalogue, custom=custom, explain=explain, holidays=holidays
    )
    for stage in STAGES:
        stage(state)
    return state.document
