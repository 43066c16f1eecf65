"""`build_plan`: from a validated patient and a date to the plan document.

Pure: no clock (`as_of` is an argument), no I/O, no click or rich. `plan_document` builds the
document as plain data (see `b12plan.contract.documents`) from the patient's plain record
(`b12plan.contract.records`); `build_plan` returns it as the `Plan` model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from b12plan import __version__
from b12plan.contract.intervals import Interval
from b12plan.contract.records import Patient, Protocol
from b12plan.contract.vocab import DISCLAIMER, REVERSIBLE_CAUSES, SCHEMA_VERSION, SEVERITY_RANK
from b12plan.engine import labs as labs_mod
from b12plan.engine import stopping
from b12plan.engine.anticoag import anticoag_plan
from b12plan.engine.clinic import ALWAYS_OPEN, ClinicCalendar, weekend_doses
from b12plan.engine.conventions import CENSORED, plan_conventions
from b12plan.engine.derived import open_repletion
from b12plan.engine.doses import attach_misses, history_findings, number_doses
from b12plan.engine.findings import (
    PatientFacts,
    deficiency_evidence,
    finding,
    patient_facts,
    patient_findings,
    protocol_doses_mcg,
    safety_findings,
)
from b12plan.engine.followup import follow_up_tests
from b12plan.engine.forecast import lapsed_overdue, note_replanned, overdue_slot
from b12plan.engine.history import decisions
from b12plan.engine.maintenance import outside_steps, plan_maintenance
from b12plan.engine.repletion import (
    MAX_REPLETION_DAYS,
    Repletion,
    Slot,
    day_zero,
    expand_repletion,
)
from b12plan.engine.select import choose_protocol
from b12plan.engine.transfer import interval_from_record
from b12plan.errors import InvalidInput
from b12plan.protocols import bundled

if TYPE_CHECKING:
    from b12plan.contract.documents import (
        AdjustmentDocument,
        DoseDocument,
        FindingDocument,
        FollowUpDocument,
        GeneratorDocument,
        InputsDocument,
        MaintenanceDocument,
        PlanDocument,
        ProtocolDocument,
    )
    from b12plan.contract.holidays import HolidayLookup
    from b12plan.contract.models import Plan

MAX_PLAN_YEARS = 10
# NEURO_REPLETION_SHORT (reference, "Escalation"): neurological repletion ended before day 14,
# or with fewer than 6 doses given.
NEURO_REPLETION_MIN_DAYS = 14
NEURO_REPLETION_MIN_GIVEN = 6


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
    check_against_as_of(patient, as_of)
    choice = choose_protocol(patient, bundled() if catalogue is None else catalogue, custom)
    protocol = choice.protocol
    classified = labs_mod.classify_labs(patient.labs, patient.sex, as_of)
    clinic = clinic_calendar(patient, holidays)
    decided = decisions(patient, as_of)
    outside_steps(decided, protocol.maintenance, protocol.id)
    repletion = replete(patient, protocol, as_of=as_of, clinic=clinic, trace=explain)
    day0 = day_zero(patient.given, patient.start, as_of, clinic)
    facts = patient_facts(
        patient, choice, classified, repletion_until=repletion_until(patient, repletion), day0=day0
    )
    blocks = safety_findings(facts)
    findings = blocks + patient_findings(facts, protocol_doses_mcg(protocol))
    automatic = patient.protocol == "auto" and custom is None

    def protocol_ref(**shaped: bool) -> ProtocolDocument:
        conventions = plan_conventions(
            chosen_automatically=automatic, has_labs=bool(classified), **shaped
        )
        if any(lab.lab.comparator is not None for lab in classified):
            conventions.append(CENSORED)
        # The protocol's own conventions date its doses: a blocked plan has none to shape.
        own = [] if shaped["blocked"] else list(protocol.conventions)
        return {
            "id": protocol.id,
            "title": protocol.title,
            "sources": list(protocol.sources),
            "chosen_because": choice.chosen_because,
            "conventions": [*own, *conventions],
        }

    def document(
        *,
        protocol: ProtocolDocument,
        complete: bool,
        doses: list[DoseDocument],
        maintenance: MaintenanceDocument | None,
        adjustments: list[AdjustmentDocument],
        follow_up: list[FollowUpDocument],
        findings: list[FindingDocument],
    ) -> PlanDocument:
        generator: GeneratorDocument = {"name": "b12plan", "version": __version__}
        inputs: InputsDocument = {
            "product": choice.product,
            "route": choice.route,
            "strength_mcg_per_ml": choice.strength_mcg_per_ml,
            "defaults_applied": list(choice.defaults_applied),
        }
        return {
            "schema_version": SCHEMA_VERSION,
            "ref": patient.ref,
            "generator": generator,
            "as_of": as_of,
            "disclaimer": DISCLAIMER,
            "protocol": protocol,
            "complete": complete,
            "doses": doses,
            "maintenance": maintenance,
            "adjustments": adjustments,
            "follow_up": follow_up,
            "labs": labs_mod.lab_documents(classified, day0),
            "findings": _ordered(findings),
            "inputs": inputs,
        }

    if blocks:
        return document(
            protocol=protocol_ref(
                blocked=True,
                month_based=False,
                has_follow_up=False,
                adjustment_judged=False,
                clinic=False,
                record=False,
                forecast=False,
                overdue_recheck=False,
            ),
            complete=False,
            doses=[],
            maintenance=None,
            adjustments=[],
            follow_up=[],
            findings=findings,
        )

    until = patient.until or Interval(12, "mo").after(max(patient.start, as_of))
    spec = protocol.maintenance
    # A vegan diet is a dietary cause that continues (reference, "Contraindications and special
    # cases"): as lifelong, never "review whether to continue".
    vegan = patient.cause == "dietary" and patient.conditions.vegan
    lifelong = patient.cause not in REVERSIBLE_CAUSES or vegan
    slots = list(repletion.slots)
    maintenance_given = patient.given[repletion.given_used :]
    findings += _repletion_findings(patient, protocol, repletion, facts, as_of)
    if repletion.open_ended:
        findings.append(
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
        # No maintenance yet: the replay only judges the clinician's decisions.
        anchor, origin, first_on_anchor, opened_on = patient.start, "", True, None
        maintenance_given, until = [], patient.start - timedelta(days=1)
    elif slots:
        last = slots[-1]
        anchor, origin, first_on_anchor = last.rule_date, "the last repletion dose", False
        opened_on = last.date if last.given is not None else None
    elif patient.repletion_done and maintenance_given:
        anchor, origin = maintenance_given[0].date, "the first dose on record"
        first_on_anchor, opened_on = True, maintenance_given[0].date
    else:
        anchor, origin, first_on_anchor = patient.start, "the start date", True
        opened_on = maintenance_given[0].date if maintenance_given else None
    _note_early_symptoms(patient.symptoms_returned, opened_on, findings)
    from_record, read = interval_from_record(patient, spec, protocol.id)
    if read is not None:
        findings.append(read)
    planned = plan_maintenance(
        spec,
        start=patient.start,
        anchor=anchor,
        origin=origin,
        first_on_anchor=first_on_anchor,
        cycle_open=not first_on_anchor and opened_on is not None,
        given=maintenance_given,
        decisions=decided,
        symptoms=patient.symptoms_returned,
        labs=classified,
        until=until,
        as_of=as_of,
        clinic=clinic,
        trace=explain,
        from_record=from_record,
    )
    slots += planned.slots
    note_replanned(slots, trace=explain)
    overdue = overdue_slot(slots)
    adjustments = planned.adjustments
    findings += planned.findings
    maintenance: MaintenanceDocument = {
        "interval": str(planned.interval),
        "lifelong": lifelong,
        "next_due": _next_due(overdue, None if repletion.open_ended else planned.next_due),
        "steps": list(spec.steps),
        "why": (
            "set repletion_end to plan maintenance"
            if repletion.open_ended
            else f"{spec.why} ({spec.source})"
        ),
        "changes": [
            {"date": when, "interval": str(interval), "code": code, "why": why}
            for when, interval, code, why in planned.changes
        ],
    }
    month_based = planned.interval.unit == "mo" and not repletion.open_ended
    attach_misses(slots, patient.missed)
    doses = number_doses(slots, choice, as_of, explain)
    stopped = patient.stopped
    if stopped is not None:
        doses, slots = stopping.stopped_doses(doses, slots, stopped, as_of)
        maintenance["next_due"] = stopping.stopped_next_due(maintenance["next_due"], stopped, as_of)
    findings += history_findings(doses, slots)
    lapse = lapsed_overdue(slots, planned.interval, as_of)
    if lapse is not None:
        findings.append(lapse)
    # Neurological involvement, before the first dose or during open repletion: nothing held.
    neuro_exempt = patient.neuro and (not patient.given or repletion.open_ended)
    anticoag = anticoag_plan(
        doses,
        classified,
        route=choice.route,
        as_of=as_of,
        resumed_on=None if overdue is None else overdue.resumed_on,
        neuro_exempt=neuro_exempt,
    )
    findings += anticoag.findings
    if patient.clinic is None and (weekend := weekend_doses(doses, as_of)) is not None:
        findings.append(weekend)
    follow_up = follow_up_tests(
        patient,
        protocol,
        facts.baseline,
        repletion.review_date,
        day0=day0,
        as_of=as_of,
        labs=classified,
        judged=anticoag.rechecks,
    )
    if stopped is not None:
        follow_up = stopping.stopped_follow_up(follow_up, stopped, as_of)
    # A course that has stopped waits on no clinician's repletion_end: it is complete as it is.
    ended = stopped is not None and stopped.date <= as_of
    if ended:
        findings = [f for f in findings if f["code"] != "NEURO_REPLETION_OPEN"]
    # The adjustment rule had something to judge: a change, symptoms, a dose given in
    # maintenance, or a lab taken on treatment.
    judged = bool(
        adjustments
        or decided
        or patient.symptoms_returned
        or any(d["phase"] == "maintenance" and d["status"] == "given" for d in doses)
        or any(lab.date > patient.start for lab in classified)
    )
    return document(
        protocol=protocol_ref(
            blocked=False,
            month_based=month_based,
            has_follow_up=bool(follow_up),
            adjustment_judged=judged and not repletion.open_ended,
            clinic=patient.clinic is not None,
            record=bool(
                decided
                or patient.missed
                or patient.repletion_done
                or any(lab.analyte == "inr" for lab in classified)
            ),
            overdue_recheck=anticoag.overdue_recheck,
            # A dose overdue, or one given off its date: the forecast and its grace applied.
            forecast=overdue is not None
            or any(s.given is not None and s.date != s.planned_date for s in slots),
        ),
        complete=not repletion.open_ended or ended,
        doses=doses,
        maintenance=maintenance,
        adjustments=adjustments,
        follow_up=follow_up,
        findings=findings,
    )


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


def _next_due(overdue: Slot | None, planned: date | None) -> date | None:
    """`maintenance.next_due`: the overdue dose of either phase, else the next maintenance dose
    (reference, "Readings of the 2026-12-07 sections, settled")."""
    return planned if overdue is None else overdue.date


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
    early = end < day0 + timedelta(days=NEURO_REPLETION_MIN_DAYS)
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
    out: list[FindingDocument] = []
    fixed = [s for s in protocol.repletion if s.count is not None]
    if patient.repletion_end is not None and protocol.repletion and not open_repletion(protocol):
        expected = sum(s.count or 0 for s in fixed)
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
            because = labs_mod.describe(lab) if lab else "neurological involvement"
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
    horizon = Interval(12 * MAX_PLAN_YEARS, "mo").after(max(patient.start, as_of))
    if patient.until is not None and patient.until > horizon:
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


def _note_early_symptoms(
    symptoms: Sequence[date], opened_on: date | None, findings: list[FindingDocument]
) -> None:
    """Symptoms before the first maintenance cycle opened (the last repletion dose given, or
    the first dose given without repletion) change no interval: they are reported."""
    early = [d for d in symptoms if opened_on is None or d <= opened_on]
    if early:
        when = "before maintenance began" if opened_on is None else f"by {opened_on}"
        findings.append(
            finding(
                code="SYMPTOMS_BEFORE_MAINTENANCE",
                severity="info",
                message=(
                    f"symptoms recorded on {', '.join(map(str, early))}, {when}: they do not "
                    "change the maintenance interval; review the response to repletion"
                ),
                source="NICE-NG239",
            )
        )


def _ordered(findings: Sequence[FindingDocument]) -> list[FindingDocument]:
    """Most severe first; within a severity, the order the rules raised them."""
    return sorted(findings, key=lambda f: SEVERITY_RANK[f["severity"]])
