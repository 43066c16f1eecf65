"""The one state a patient's plan is worked out in, stage by stage (`engine/stages`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from b12plan.contract.documents import (
        DoseDocument,
        FindingDocument,
        FollowUpDocument,
        MaintenanceDocument,
        PlanDocument,
    )
    from b12plan.contract.holidays import HolidayLookup
    from b12plan.contract.records import Patient, Protocol
    from b12plan.engine.anticoag import Anticoag
    from b12plan.engine.clinic import ClinicCalendar
    from b12plan.engine.facts import PatientFacts
    from b12plan.engine.history import Decision
    from b12plan.engine.labs import ClassifiedLab
    from b12plan.engine.maintenance import MaintenancePlan
    from b12plan.engine.repletion import Repletion, Slot
    from b12plan.engine.select import Choice


class Planning:
    """One patient on the way through the stages: the request, then what each stage worked out
    (set by that stage; a blocked plan has no maintenance, doses or follow-up)."""

    __slots__ = (  # noqa: RUF023 - in the order the stages set them
        # the request
        "patient",
        "as_of",
        "catalogue",
        "custom",
        "explain",
        "holidays",
        # facts
        "decided",
        # protocol
        "choice",
        "protocol",
        # labs
        "classified",
        # clinic_days
        "clinic",
        # loading
        "repletion",
        "day0",
        "facts",
        "blocks",
        # maintenance
        "slots",
        "planned",
        "overdue",
        "maintenance",
        "month_based",
        # doses
        "doses",
        "anticoag",
        # follow_up
        "follow_up",
        # every stage from loading on
        "raised",
        # findings
        "findings",
        # document
        "document",
    )
    patient: Patient
    as_of: date
    catalogue: Mapping[str, Protocol] | None
    custom: Protocol | None
    explain: bool
    """Doses carry their trace."""
    holidays: HolidayLookup | None
    decided: list[Decision]
    """The clinician's interval decisions, in date order."""
    choice: Choice
    protocol: Protocol
    classified: list[ClassifiedLab]
    clinic: ClinicCalendar
    repletion: Repletion
    day0: date
    facts: PatientFacts
    blocks: list[FindingDocument]
    """The safety findings: any, and nothing is dated."""
    slots: list[Slot]
    planned: MaintenancePlan | None
    overdue: Slot | None
    maintenance: MaintenanceDocument | None
    month_based: bool
    doses: list[DoseDocument]
    anticoag: Anticoag | None
    follow_up: list[FollowUpDocument]
    raised: list[FindingDocument]
    """Findings about the schedule, in the order the stages raised them."""
    findings: list[FindingDocument]
    """Every finding, most severe first."""
    document: PlanDocument

    def __init__(
        self,
        patient: Patient,
        as_of: date,
        *,
        catalogue: Mapping[str, Protocol] | None,
        custom: Protocol | None,
        explain: bool,
        holidays: HolidayLookup | None,
    ) -> None:
        self.patient, self.as_of, self.explain = patient, as_of, explain
        self.catalogue, self.custom, self.holidays = catalogue, custom, holidays
        # What a blocked plan shows of the stages it skips.
        self.slots, self.planned, self.overdue, self.maintenance = [], None, None, None
        self.month_based = False
        self.doses, self.anticoag, self.follow_up, self.raised = [], None, [], []

    @property
    def blocked(self) -> bool:
        """A safety finding stops the plan: nothing after loading is planned."""
        return bool(self.blocks)

    @property
    def ended(self) -> bool:
        """A recorded stop on or before `as_of`: the course waits on no clinician's
        `repletion_end`, it is complete as it is."""
        stopped = self.patient.stopped
        return stopped is not None and stopped.date <= self.as_of
