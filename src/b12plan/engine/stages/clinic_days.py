"""Stage 4, the clinic days: the practice's calendar a dose may fall on (`engine/clinic.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from b12plan.engine.clinic import ALWAYS_OPEN, ClinicCalendar

if TYPE_CHECKING:
    from b12plan.contract.holidays import HolidayLookup
    from b12plan.contract.records import Patient
    from b12plan.engine.stages.state import Planning


def run(state: Planning) -> None:
    """The calendar of the patient's `clinic` (every day open without one)."""
    state.clinic = clinic_calendar(state.patient, state.holidays)


def clinic_calendar(patient: Patient, holidays: HolidayLookup | None) -> ClinicCalendar:
    """The practice's calendar from the patient's `clinic` (every day open without it)."""
    clinic = patient.clinic
    if clinic is None:
        return ALWAYS_OPEN
    if clinic.holidays is not None and holidays is None:
        # Only here is the holidays package loaded: a region was named and no lookup given.
        from b12plan.contract.holidays import holiday_lookup

        holidays = holiday_lookup(clinic.holidays)
    return ClinicCalendar(clinic.open, clinic.closed, holidays if clinic.holidays else None)
