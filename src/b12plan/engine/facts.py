"""What the finding rules look at about one patient, resolved once (`PatientFacts`).

`schedule` and `check` build the same facts, so both raise the same patient-level findings
(`engine/findings.py`); `check` also judges each proposed step's volume with `volume_ml`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache

from b12plan.contract.plain import Record
from b12plan.contract.records import Patient, Protocol
from b12plan.engine.labs import ClassifiedLab, latest_and_baseline
from b12plan.engine.select import Choice

SITE_LIMIT_ML = {"im": 2.0, "sc": 1.0}  # [C]


class PatientFacts(Record):
    """What the finding rules look at, resolved once."""

    __slots__ = (  # noqa: RUF023 - in the order they are resolved
        "patient",
        "choice",
        "age_years",
        "baseline",
        "latest",
        "labs",
        "repletion_until",
        "day0",
    )
    patient: Patient
    choice: Choice
    age_years: int | None
    baseline: Mapping[str, ClassifiedLab]
    latest: Mapping[str, ClassifiedLab]
    labs: Sequence[ClassifiedLab]
    """Every classified lab, in date order."""
    repletion_until: date
    """The last day of the loading phase as planned (the last repletion dose; `start` without
    repletion; day 14 of open neuro repletion): where the hypokalaemia watch ends."""
    day0: date
    """The first dose given; before any, the first planned dose, or the day it is re-planned
    as given when overdue (`repletion.day_zero`): what "before treatment" and "on treatment"
    count from."""

    # Spelled out, where `Record` fills the slots from keywords by name: made for every plan.
    def __init__(
        self,
        *,
        patient: Patient,
        choice: Choice,
        age_years: int | None,
        baseline: Mapping[str, ClassifiedLab],
        latest: Mapping[str, ClassifiedLab],
        labs: Sequence[ClassifiedLab],
        repletion_until: date,
        day0: date,
    ) -> None:
        self.patient, self.choice, self.age_years = patient, choice, age_years
        self.baseline, self.latest, self.labs = baseline, latest, labs
        self.repletion_until, self.day0 = repletion_until, day0

    @property
    def treatment_started(self) -> bool:
        """A dose is on record (all are on or before as_of), or the loading course was done."""
        return bool(self.patient.given) or self.patient.repletion_done

    @property
    def loading_in_history(self) -> bool:
        """The loading course is on record: done before these records, or ended on a date."""
        patient = self.patient
        return patient.repletion_done or (
            patient.repletion_end is not None and not self.choice.protocol.repletion
        )


def patient_facts(
    patient: Patient,
    choice: Choice,
    classified: Sequence[ClassifiedLab],
    *,
    repletion_until: date,
    day0: date,
) -> PatientFacts:
    """The facts of one patient under one choice of protocol, product and route."""
    latest, baseline = latest_and_baseline(classified, day0)
    return PatientFacts(
        patient=patient,
        choice=choice,
        age_years=None if patient.dob is None else age_at(patient.dob, patient.start),
        baseline=baseline,
        latest=latest,
        labs=classified,
        repletion_until=repletion_until,
        day0=day0,
    )


def age_at(dob: date, start: date) -> int:
    """Whole years from `dob` to `start`; a 29 February birthday falls on 28 February.

    The same as `relativedelta(start, dob).years` (birthday clamped to the month end), without
    its cost on every plan of a batch.
    """
    try:
        birthday = date(start.year, dob.month, dob.day)
    except ValueError:  # 29 February, in a common year
        birthday = date(start.year, 2, 28)
    return start.year - dob.year - (start < birthday)


# Pure, and a plan asks for the same one or two volumes for every dose.
@lru_cache(maxsize=1024)
def volume_ml(dose_mcg: float, strength_mcg_per_ml: float) -> float:
    """Injection volume, rounded to 2 decimals (clinical/reference.md, "Volume")."""
    return round(dose_mcg / strength_mcg_per_ml + 1e-12, 2)


def largest_dose_mcg(protocol: Protocol) -> int:
    """The largest dose a protocol gives (repletion or maintenance): the one whose volume the
    VOLUME_SITE finding judges (a loop, not a list of every dose: made for every plan)."""
    largest = protocol.maintenance.dose_mcg
    for step in protocol.repletion:
        largest = max(largest, step.dose_mcg)
    return largest


def deficiency_evidence(latest: Mapping[str, ClassifiedLab]) -> ClassifiedLab | None:
    """The latest total B12, active B12 or MMA result that shows deficiency, if any (what
    `REPLETION_SKIPPED` reads: reference, "Readings ... settled")."""
    for analyte in ("b12", "active-b12", "mma"):
        lab = latest.get(analyte)
        if lab is not None and lab.is_deficient:
            return lab
    return None
