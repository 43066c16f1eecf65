"""Stage 5, loading: the clinician's decisions judged against the protocol's steps, the loading
(repletion) doses laid out (`engine/repletion.py`), day 0, the facts the findings read, and the
safety findings that block the plan before anything else is dated."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from b12plan.contract.intervals import days
from b12plan.engine.derived import open_repletion
from b12plan.engine.facts import PatientFacts, deficiency_evidence, patient_facts
from b12plan.engine.findings import finding, safety_findings
from b12plan.engine.labs import describe
from b12plan.engine.maintenance import outside_steps
from b12plan.engine.repletion import Repletion, day_zero, expand_repletion

if TYPE_CHECKING:
    from b12plan.contract.documents import FindingDocument
    from b12plan.contract.records import Patient, Protocol
    from b12plan.engine.clinic import ClinicCalendar
    from b12plan.engine.stages.state import Planning

# NEURO_REPLETION_SHORT (reference, "Escalation"): neurological repletion ended before day 14,
# or with fewer than 6 doses given.
NEURO_REPLETION_MIN_DAYS = 14
NEURO_REPLETION_MIN_GIVEN = 6


def run(state: Planning) -> None:
    """Lay out the loading course and day 0; block the plan on a safety finding, else raise
    what the loading course itself shows."""
    patient, protocol, as_of = state.patient, state.protocol, state.as_of
    outside_steps(state.decided, protocol.maintenance, protocol.id)
    repletion = state.repletion = replete(
        patient, protocol, as_of=as_of, clinic=state.clinic, trace=state.explain
    )
    day0 = state.day0 = day_zero(patient.given, patient.start, as_of, state.clinic)
    facts = state.facts = patient_facts(
        patient,
        state.choice,
        state.classified,
        repletion_until=repletion_until(patient, repletion),
        day0=day0,
    )
    state.blocks = safety_findings(facts)
    if state.blocks:
        return
    state.raised += _repletion_findings(patient, protocol, repletion, facts, as_of)
    if repletion.open_ended:
        state.raised.append(
            finding(
                code="NEURO_REPLETION_OPEN",
                severity="warning",
                message=(
                    f"{protocol.repletion[-1].why}: doses not yet given are provisional and "
                    "no maintenance is planned until the clinician sets repletion_end (review "
                    f"on {repletion.review_date})"
                ),
                source=protocol.repletion[-1].source,
            )
        )


def replete(
    patient: Patient, protocol: Protocol, *, as_of: date, clinic: ClinicCalendar, trace: bool
) -> Repletion:
    """The repletion phase of the record (none for a patient entered with `repletion_done`)."""
    if patient.repletion_done:
        return Repletion([], 0, open_ended=False)
    return expand_repletion(
        protocol,
        patient.start,
        patient.given,
        patient.repletion_end,
        as_of=as_of,
        clinic=clinic,
        trace=trace,
    )


def repletion_until(patient: Patient, repletion: Repletion) -> date:
    """The last day of the loading phase as planned: the last repletion dose, `start` without
    repletion, day 14 of open neuro repletion (where the hypokalaemia watch ends)."""
    if repletion.open_ended and repletion.review_date is not None:
        return max(repletion.review_date, repletion.slots[-1].date)
    return repletion.slots[-1].date if repletion.slots else patient.start


def _neuro_repletion_short(
    patient: Patient, protocol: Protocol, repletion: Repletion, day0: date, as_of: date
) -> FindingDocument | None:
    """`NEURO_REPLETION_SHORT`: the clinician ended neurological repletion before day 0 + 14,
    or (once that end has passed) with fewer than 6 doses given (reference, "Escalation" and
    its settled reading)."""
    end = patient.repletion_end
    if not protocol.neuro or not open_repletion(protocol) or end is None:
        return None
    given = sum(1 for slot in repletion.slots if slot.given is not None)
    early = end < day0 + days(NEURO_REPLETION_MIN_DAYS)
    few = end < as_of and given < NEURO_REPLETION_MIN_GIVEN
    if not early and not few:
        return None
    return finding(
        code="NEURO_REPLETION_SHORT",
        severity="warning",
        message=(
            f"neurological repletion ended on {end} (repletion_end), day {(end - day0).days} "
            f"of the course, with {given} dose{'s' if given != 1 else ''} given: BNF-HYDROXO "
            "gives alternate days until no further improvement; confirm the course was meant "
            "to end"
        ),
        source="BNF-HYDROXO",
    )


def _repletion_findings(
    patient: Patient,
    protocol: Protocol,
    repletion: Repletion,
    facts: PatientFacts,
    as_of: date,
) -> list[FindingDocument]:
    """A loading course shorter than the protocol's, ended early, or skipped."""
    out: list[FindingDocument] = []
    if patient.repletion_end is not None and protocol.repletion and not open_repletion(protocol):
        expected = sum(s.count or 0 for s in protocol.repletion)
        if len(repletion.slots) < expected:
            given = sum(1 for slot in repletion.slots if slot.given is not None)
            out.append(
                finding(
                    code="REPLETION_SHORT",
                    severity="warning",
                    message=(
                        f"{len(repletion.slots)} loading doses up to repletion_end "
                        f"{patient.repletion_end} ({given} on record as given); {protocol.id} "
                        f"gives {expected} ({protocol.repletion[0].why})"
                    ),
                    source=protocol.repletion[0].source,
                )
            )
    short = _neuro_repletion_short(patient, protocol, repletion, facts.day0, as_of)
    if short is not None:
        out.append(short)
    if not protocol.repletion and not facts.loading_in_history:
        lab = deficiency_evidence(facts.latest)
        if lab is not None or patient.neuro:
            because = describe(lab) if lab else "neurological involvement"
            out.append(
                finding(
                    code="REPLETION_SKIPPED",
                    severity="warning",
                    message=(
                        f"{protocol.id} is a maintenance-only protocol, but the patient needs "
                        f"loading doses first ({because}): treat the deficiency first, or "
                        "record the loading course (repletion_done)"
                    ),
                    source="NICE-NG239",
                )
            )
    return out
