"""Stage 1, the facts: the record as seen on `as_of` (nothing can have happened after it) and
the clinician's interval decisions in it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from b12plan.contract.intervals import Interval
from b12plan.engine.history import decisions
from b12plan.engine.repletion import MAX_REPLETION_DAYS
from b12plan.errors import InvalidInput

if TYPE_CHECKING:
    from b12plan.contract.records import Patient
    from b12plan.engine.stages.state import Planning

MAX_PLAN_YEARS = 10


def run(state: Planning) -> None:
    """Refuse what is dated after `as_of`; read the clinician's decisions."""
    check_against_as_of(state.patient, state.as_of)
    state.decided = decisions(state.patient, state.as_of)


def check_against_as_of(patient: Patient, as_of: date) -> None:
    """Checks that need today's date: nothing can have happened after `as_of`."""
    for i, dose in enumerate(patient.given):
        if dose.date > as_of:
            raise InvalidInput(
                ["given", i], f"{dose.date} is after as_of {as_of}: a dose given in the future"
            )
    for i, when in enumerate(patient.symptoms_returned):
        if when > as_of:
            raise InvalidInput(["symptoms_returned", i], f"{when} is after as_of {as_of}")
    folic = patient.conditions.folic_acid_started
    if folic is not None and folic > as_of:
        raise InvalidInput(["conditions", "folic_acid_started"], f"{folic} is after as_of {as_of}")
    if patient.dob is not None and patient.dob > as_of:
        raise InvalidInput(["dob"], f"{patient.dob} is after as_of {as_of}")
    if patient.until is not None and patient.until > (
        horizon := Interval(12 * MAX_PLAN_YEARS, "mo").after(max(patient.start, as_of))
    ):
        raise InvalidInput(
            ["until"], f"must be within {MAX_PLAN_YEARS} years (on or before {horizon})"
        )
    if patient.repletion_end is not None and (
        (patient.repletion_end - patient.start).days > MAX_REPLETION_DAYS
    ):
        raise InvalidInput(["repletion_end"], f"must be within {MAX_REPLETION_DAYS} days of start")
    if patient.override_reason is not None and patient.interval is None:
        raise InvalidInput(["override_reason"], "applies only with interval (e.g. interval: 2mo)")
    for i, miss in enumerate(patient.missed):
        if miss.date > as_of:
            raise InvalidInput(
                ["missed", i], f"{miss.date} is after as_of {as_of}: a miss in the future"
            )
    latest = max(as_of, patient.start)
    for i, change in enumerate(patient.interval_changes):
        if change.date > latest:
            raise InvalidInput(
                ["interval_changes", i, "date"],
                f"{change.date} is after as_of {as_of}: record a decision on the day it is "
                "made (it applies from then on)",
            )
