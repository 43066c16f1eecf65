"""`build_plan`: from a validated patient and a date to the plan document.

Pure: no clock (`as_of` is an argument), no I/O, no click or rich. `plan_document` builds the
document as plain data (see `b12plan.engine.document`); `build_plan` returns it as the `Plan` model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from b12plan import __version__
from b12plan.engine import labs as labs_mod
from b12plan.engine.conventions import plan_conventions
from b12plan.engine.document import (
    DoseDocument,
    FollowUpDocument,
    GeneratorDocument,
    InputsDocument,
    MaintenanceDocument,
    PlanDocument,
    ProtocolDocument,
)
from b12plan.engine.findings import (
    patient_facts,
    patient_findings,
    protocol_doses_mcg,
    safety_findings,
    volume_ml,
)
from b12plan.engine.followup import follow_up_tests
from b12plan.engine.maintenance import plan_maintenance
from b12plan.engine.repletion import MAX_REPLETION_DAYS, Slot, expand_repletion
from b12plan.engine.select import Choice, choose_protocol
from b12plan.errors import InputError
from b12plan.intervals import Interval
from b12plan.models import DISCLAIMER, SCHEMA_VERSION, Adjustment, Finding, Patient, Plan
from b12plan.protocols import MaintenanceSpec, Protocol, bundled
from b12plan.vocab import REVERSIBLE_CAUSES, SEVERITY_RANK

MAX_PLAN_YEARS = 10


def build_plan(
    patient: Patient,
    *,
    as_of: date,
    catalogue: Mapping[str, Protocol] | None = None,
    custom: Protocol | None = None,
) -> Plan:
    """The dated plan for `patient` as seen on `as_of`, every dose with its trace.

    Raises InputError for input that cannot be planned from.
    """
    document = plan_document(patient, as_of=as_of, catalogue=catalogue, custom=custom)
    return Plan.model_validate(document)


def plan_document(
    patient: Patient,
    *,
    as_of: date,
    catalogue: Mapping[str, Protocol] | None = None,
    custom: Protocol | None = None,
    explain: bool = True,
) -> PlanDocument:
    """The plan as a plain document; doses carry their trace only when `explain` is true.

    The same plan as `build_plan`, for writers that serialise it directly (JSON, batches).
    Raises InputError for input that cannot be planned from.
    """
    check_against_as_of(patient, as_of)
    choice = choose_protocol(patient, bundled() if catalogue is None else catalogue, custom)
    protocol = choice.protocol
    if patient.repletion_end is not None and not protocol.open_repletion:
        raise InputError(
            ["repletion_end"],
            f"applies only to open-ended repletion (uk-bnf-hydroxo-neuro), not {protocol.id}",
        )
    classified = labs_mod.classify_labs(patient.labs, patient.sex, as_of)
    facts = patient_facts(patient, choice, classified)
    blocks = safety_findings(facts)
    findings = blocks + patient_findings(facts, protocol_doses_mcg(protocol))
    automatic = patient.protocol == "auto" and custom is None

    def protocol_ref(**shaped: bool) -> ProtocolDocument:
        conventions = plan_conventions(
            chosen_automatically=automatic, has_labs=bool(classified), **shaped
        )
        return {
            "id": protocol.id,
            "title": protocol.title,
            "sources": list(protocol.sources),
            "chosen_because": choice.chosen_because,
            "conventions": [*protocol.conventions, *conventions],
        }

    def document(
        *,
        protocol: ProtocolDocument,
        complete: bool,
        doses: list[DoseDocument],
        maintenance: MaintenanceDocument | None,
        adjustments: list[Adjustment],
        follow_up: list[FollowUpDocument],
        findings: list[Finding],
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
            "generator": generator,
            "as_of": as_of,
            "disclaimer": DISCLAIMER,
            "protocol": protocol,
            "complete": complete,
            "doses": doses,
            "maintenance": maintenance,
            "adjustments": adjustments,
            "follow_up": follow_up,
            "labs": labs_mod.lab_documents(classified, patient.start),
            "findings": _ordered(findings),
            "inputs": inputs,
        }

    if blocks:
        return document(
            protocol=protocol_ref(
                blocked=True, month_based=False, has_follow_up=False, adjustment_judged=False
            ),
            complete=False,
            doses=[],
            maintenance=None,
            adjustments=[],
            follow_up=[],
            findings=findings,
        )

    until = patient.until or Interval(12, "mo").after(max(patient.start, as_of))
    repletion = expand_repletion(
        protocol, patient.start, patient.given, patient.repletion_end, trace=explain
    )
    spec = protocol.maintenance
    interval, reason, adjustments, interval_findings = resolve_interval(patient, spec)
    findings += interval_findings
    lifelong = patient.cause not in REVERSIBLE_CAUSES
    slots = list(repletion.slots)
    if repletion.open_ended:
        findings.append(
            Finding(
                code="NEURO_REPLETION_OPEN",
                severity="warning",
                message=(
                    "alternate-day repletion continues until no further improvement: doses "
                    "not yet given are provisional and no maintenance is planned until the "
                    f"clinician sets repletion_end (review on {repletion.review_date})"
                ),
                source="BNF-HYDROXO",
            )
        )
        maintenance: MaintenanceDocument = {
            "interval": str(interval),
            "lifelong": lifelong,
            "next_due": None,
            "steps": list(spec.steps),
            "why": "set repletion_end to plan maintenance",
        }
        month_based = False
    else:
        anchor = slots[-1].date if slots else patient.start
        _note_early_symptoms(patient.symptoms_returned, anchor, findings)
        planned = plan_maintenance(
            spec,
            anchor=anchor,
            first_on_anchor=not slots,
            interval=interval,
            interval_reason=reason,
            given=patient.given[repletion.given_used :],
            symptoms=patient.symptoms_returned,
            labs=classified,
            until=until,
            clinician_set=patient.interval is not None,
            trace=explain,
        )
        slots += planned.slots
        adjustments += planned.adjustments
        findings += planned.findings
        maintenance = {
            "interval": str(planned.interval),
            "lifelong": lifelong,
            "next_due": planned.next_due,
            "steps": list(spec.steps),
            "why": f"{spec.why} ({spec.source})",
        }
        month_based = planned.interval.unit == "mo"
    doses = _number(slots, choice, as_of, explain)
    findings += _history_findings(doses, slots)
    follow_up = follow_up_tests(patient, protocol, facts.baseline, repletion.review_date)
    # The adjustment rule had something to judge: a change, symptoms, a dose given in
    # maintenance, or a lab taken on treatment.
    judged = bool(
        adjustments
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
        ),
        complete=not repletion.open_ended,
        doses=doses,
        maintenance=maintenance,
        adjustments=adjustments,
        follow_up=follow_up,
        findings=findings,
    )


def check_against_as_of(patient: Patient, as_of: date) -> None:
    """Checks that need today's date: nothing can have happened after `as_of`."""
    for i, dose in enumerate(patient.given):
        if dose.date > as_of:
            raise InputError(
                ["given", i], f"{dose.date} is after as_of {as_of}: a dose given in the future"
            )
    for i, when in enumerate(patient.symptoms_returned):
        if when > as_of:
            raise InputError(["symptoms_returned", i], f"{when} is after as_of {as_of}")
    folic = patient.conditions.folic_acid_started
    if folic is not None and folic > as_of:
        raise InputError(["conditions", "folic_acid_started"], f"{folic} is after as_of {as_of}")
    if patient.dob is not None and patient.dob > as_of:
        raise InputError(["dob"], f"{patient.dob} is after as_of {as_of}")
    horizon = Interval(12 * MAX_PLAN_YEARS, "mo").after(max(patient.start, as_of))
    if patient.until is not None and patient.until > horizon:
        raise InputError(
            ["until"], f"must be within {MAX_PLAN_YEARS} years (on or before {horizon})"
        )
    if patient.repletion_end is not None and (
        (patient.repletion_end - patient.start).days > MAX_REPLETION_DAYS
    ):
        raise InputError(["repletion_end"], f"must be within {MAX_REPLETION_DAYS} days of start")
    if patient.override_reason is not None and patient.interval is None:
        raise InputError(["override_reason"], "applies only with interval (e.g. interval: 2mo)")


def resolve_interval(
    patient: Patient, spec: MaintenanceSpec
) -> tuple[Interval, str, list[Adjustment], list[Finding]]:
    """The starting maintenance interval: the protocol default, or the clinician's, or capped."""
    default = Interval.parse(spec.default)
    if patient.interval is None:
        return default, "", [], []
    wanted = Interval.parse(patient.interval)
    steps = spec.step_intervals
    low, high = steps[0].approx_days, steps[-1].approx_days
    when = patient.start
    if low <= wanted.approx_days <= high:
        if wanted == default:
            return default, "", [], []
        why = (
            f"clinician set every {wanted.words()}, within the protocol's steps "
            f"{', '.join(spec.steps)}"
        )
        return (
            wanted,
            "clinician-set interval",
            [
                Adjustment(
                    date=when,
                    from_=str(default),
                    to=str(wanted),
                    code="CLINICIAN_INTERVAL",
                    why=why,
                )
            ],
            [],
        )
    if patient.override_reason is not None:
        why = (
            f"clinician set every {wanted.words()}, outside the protocol's steps "
            f"{', '.join(spec.steps)}: {patient.override_reason}"
        )
        return (
            wanted,
            "off-label interval set by the clinician",
            [
                Adjustment(
                    date=when, from_=str(default), to=str(wanted), code="OFFLABEL_INTERVAL", why=why
                )
            ],
            [
                Finding(
                    code="OFFLABEL_INTERVAL", severity="warning", message=why, source=spec.source
                )
            ],
        )
    nearest = min(steps, key=lambda s: (abs(s.approx_days - wanted.approx_days), s.approx_days))
    why = (
        f"interval {wanted} is outside the protocol's steps {', '.join(spec.steps)} and no "
        f"override_reason was given: capped to {nearest}"
    )
    return (
        nearest,
        f"capped from {wanted}",
        [
            Adjustment(
                date=when, from_=str(wanted), to=str(nearest), code="INTERVAL_CAPPED", why=why
            )
        ],
        [Finding(code="INTERVAL_CAPPED", severity="warning", message=why, source=spec.source)],
    )


def _note_early_symptoms(symptoms: Sequence[date], anchor: date, findings: list[Finding]) -> None:
    early = [d for d in symptoms if d <= anchor]
    if early:
        findings.append(
            Finding(
                code="SYMPTOMS_BEFORE_MAINTENANCE",
                severity="info",
                message=(
                    f"symptoms recorded on {', '.join(map(str, early))}, before maintenance "
                    f"began ({anchor}): they do not change the maintenance interval; review the "
                    "response to repletion"
                ),
                source="NICE-NG239",
            )
        )


def _number(
    slots: Sequence[Slot], choice: Choice, as_of: date, explain: bool
) -> list[DoseDocument]:
    doses: list[DoseDocument] = []
    route, strength = choice.route, choice.strength_mcg_per_ml
    for n, slot in enumerate(slots, start=1):
        given = slot.given
        if given is not None:
            status = "given"
        elif slot.date < as_of:
            status = "overdue"
        elif slot.date == as_of:
            status = "due"
        else:
            status = "provisional" if slot.provisional else "planned"
        dose: DoseDocument = {
            "n": n,
            "date": slot.date,
            "phase": slot.phase,
            "dose_mcg": slot.dose_mcg,
            "volume_ml": volume_ml(slot.dose_mcg, strength),
            "route": route,
            "status": status,
            "why": slot.why,
            "planned_date": slot.planned_date if slot.planned_date != slot.date else None,
            "site": given.site if given is not None else None,
        }
        if explain:
            dose["trace"] = slot.trace
        doses.append(dose)
    return doses


def _history_findings(doses: Sequence[DoseDocument], slots: Sequence[Slot]) -> list[Finding]:
    out = []
    overdue = []
    for dose, slot in zip(doses, slots, strict=True):
        status = dose["status"]
        if status == "overdue":
            overdue.append(f"dose {dose['n']} ({slot.date.isoformat()})")
        elif status == "given" and slot.date > slot.planned_date:
            late = (slot.date - slot.planned_date).days
            out.append(
                Finding(
                    code="LATE_DOSE",
                    severity="info",
                    message=(
                        f"dose {dose['n']} given {slot.date}, {late} "
                        f"day{'s' if late != 1 else ''} after it was due ({slot.planned_date}): "
                        "later doses follow the actual date, count kept"
                    ),
                    source="B12PLAN",
                )
            )
    if overdue:
        listed = ", ".join(overdue)
        out.append(
            Finding(
                code="OVERDUE_DOSE",
                severity="warning",
                message=f"not recorded as given: {listed}; give now or record it",
                source="B12PLAN",
            )
        )
    return out


def _ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Most severe first; within a severity, the order the rules raised them."""
    return sorted(findings, key=lambda f: SEVERITY_RANK[f.severity])
