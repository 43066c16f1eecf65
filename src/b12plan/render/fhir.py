"""The plan as a FHIR R4 `MedicationRequest` (`--format fhir`): a draft proposal for an EHR.

Mapping (documented in the README):
- `status` draft, `intent` proposal: decision support, never an order. `subject` is a reference
  with a `display` (b12plan holds no identity) and, when the caller gave one, their `ref` as
  its `identifier`; `authoredOn` is `as_of`.
- `medicationCodeableConcept` has text only (product and strength): no drug code is invented.
- One `Dosage` per repletion segment of the protocol and one per maintenance interval in force
  (`maintenance.changes`, bounded by `repeat.boundsPeriod`), `sequence` 1..n in order, because a
  phase whose spacing changes (daily then weekly, 3-monthly then 2-monthly) cannot be one
  `repeat`.
  `timing.event` lists the dates of the plan's doses in that segment (given ones too), so every
  dose of the plan appears exactly once; `timing.repeat` states the rule (frequency 1, period
  and periodMax from the gap pattern, UCUM `d`/`wk`/`mo`, `count` for a repletion segment).
- A blocked plan has no `dosageInstruction` and a `statusReason` naming its block findings; it
  is not `doNotPerform`, which would be an order not to give B12 at all.
- `note` carries the disclaimer, the protocol and why it was chosen, every finding, interval
  change, follow-up test and convention of the plan.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from b12plan.contract.intervals import Interval
from b12plan.contract.records import Protocol, RepletionSegment
from b12plan.protocols import bundled
from b12plan.render.cite import cited

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, IntervalInForceDocument, PlanDocument

SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ROUTE_CODES = {
    "im": ("78421000", "Intramuscular route"),
    "sc": ("34206005", "Subcutaneous route"),
    "iv": ("47625008", "Intravenous route"),
}
PERIOD_UNITS = {"mo": "mo", "w": "wk", "d": "d"}
UNIT_WORDS = {"d": "days", "wk": "weeks", "mo": "months"}
ONCE_PER = {"d": "daily", "wk": "weekly", "mo": "monthly"}
SUBJECT_DISPLAY = "the patient of this plan (b12plan holds no patient identity)"


def _subject(ref: str | None) -> dict[str, Any]:
    """The patient: a display only, and the caller's `ref` as its identifier when given
    (b12plan knows no system for it, so none is named)."""
    if ref is None:
        return {"display": SUBJECT_DISPLAY}
    return {"identifier": {"value": ref}, "display": SUBJECT_DISPLAY}


def plan_protocol(plan: PlanDocument, custom: Protocol | None) -> Protocol:
    """The protocol the plan follows: the custom one if it is that, else the bundled one."""
    pid = plan["protocol"]["id"]
    if custom is not None and custom.id == pid:
        return custom
    return bundled()[pid]


def _dose_quantity(dose_mcg: float) -> dict[str, Any]:
    value = int(dose_mcg) if float(dose_mcg).is_integer() else dose_mcg
    return {"value": value, "unit": "ug", "system": UCUM, "code": "ug"}


def _route(route: str) -> dict[str, Any]:
    code, display = ROUTE_CODES[route]
    return {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": route.upper()}


def _every(period: int, period_max: int | None, unit: str) -> str:
    plural = UNIT_WORDS[unit]
    if period_max is not None:
        return f"every {period}–{period_max} {plural}"
    return ONCE_PER[unit] if period == 1 else f"every {period} {plural}"


def _gap_repeat(segment: RepletionSegment) -> tuple[dict[str, Any], str]:
    """frequency/period(/periodMax)/periodUnit from a gap pattern, in weeks when whole weeks."""
    gaps = segment.gaps_days
    unit, scale = ("wk", 7) if all(g % 7 == 0 for g in gaps) else ("d", 1)
    low, high = min(gaps) // scale, max(gaps) // scale
    repeat: dict[str, Any] = {"frequency": 1, "period": low}
    if high != low:
        repeat["periodMax"] = high
    repeat["periodUnit"] = unit
    return repeat, _every(low, high if high != low else None, unit)


def _dates(doses: Sequence[DoseDocument], dose_mcg: float) -> str:
    """Each date, with its status unless planned and its amount when a given dose differed."""
    parts = []
    for d in doses:
        notes: list[str] = [] if d["status"] == "planned" else [d["status"]]
        if d["dose_mcg"] != dose_mcg:
            notes.append(f"{d['dose_mcg']:g} mcg")
        parts.append(f"{d['date']} ({', '.join(notes)})" if notes else str(d["date"]))
    return ", ".join(parts)


def _timing(repeat: dict[str, Any], doses: Sequence[DoseDocument]) -> dict[str, Any]:
    timing: dict[str, Any] = {}
    if doses:
        timing["event"] = [d["date"].isoformat() for d in doses]
    timing["repeat"] = repeat
    return timing


def _dosage(
    sequence: int, text: str, timing: dict[str, Any], route: str, dose_mcg: float
) -> dict[str, Any]:
    return {
        "sequence": sequence,
        "text": text,
        "timing": timing,
        "route": _route(route),
        "doseAndRate": [{"doseQuantity": _dose_quantity(dose_mcg)}],
    }


def _amount(dose_mcg: float, doses: Sequence[DoseDocument], route: str) -> str:
    volume = f" ({doses[0]['volume_ml']:.2f} mL)" if doses else ""
    return f"{dose_mcg:g} mcg{volume} {route.upper()}"


def repletion_dosages(plan: PlanDocument, protocol: Protocol, route: str) -> list[dict[str, Any]]:
    """One Dosage per repletion segment, with the plan's doses of that segment as events."""
    repletion = [d for d in plan["doses"] if d["phase"] == "repletion"]
    dosages: list[dict[str, Any]] = []
    taken = 0
    segments = protocol.repletion
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        # The engine places exactly `count` doses per fixed segment (given ones matched in
        # order); the last segment takes any remainder so that no dose is ever dropped.
        wanted = len(repletion) - taken if last or segment.count is None else segment.count
        doses = repletion[taken : taken + wanted]
        taken += len(doses)
        if not doses:
            continue
        repeat, every = _gap_repeat(segment)
        open_ended = segment.count is None and not plan["complete"]
        if not open_ended:
            repeat = {"count": len(doses), **repeat}
        label = "Repletion" if len(segments) == 1 else f"Repletion {index + 1} of {len(segments)}"
        text = (
            f"{label}: {_amount(segment.dose_mcg, doses, route)}, {every}: {segment.why} "
            f"({segment.source}). "
        )
        if open_ended:
            text += (
                f"Open-ended: {len(doses)} doses planned so far, those not yet given are "
                "provisional until the clinician sets repletion_end; no maintenance is planned "
                "yet. "
            )
        else:
            text += f"{len(doses)} doses. "
        text += f"Dates: {_dates(doses, segment.dose_mcg)}."
        dosages.append(
            _dosage(len(dosages) + 1, text, _timing(repeat, doses), route, segment.dose_mcg)
        )
    return dosages


def maintenance_dosages(
    plan: PlanDocument, protocol: Protocol, route: str, sequence: int
) -> list[dict[str, Any]]:
    """One maintenance Dosage per interval in force (`maintenance.changes`), each with the doses
    it placed and `repeat.boundsPeriod` from the date it took effect; the interval in force now
    always has its Dosage, even when no dose of the plan falls in it."""
    spec = protocol.maintenance
    maintenance = plan["maintenance"]
    assert maintenance is not None  # noqa: S101 - the caller checks
    doses = [d for d in plan["doses"] if d["phase"] == "maintenance"]
    spans = maintenance["changes"] or [
        {
            "date": plan["doses"][0]["date"] if plan["doses"] else plan["as_of"],
            "interval": maintenance["interval"] or spec.default,
            "code": "PROTOCOL_DEFAULT",
            "why": f"{spec.why} ({spec.source})",
        }
    ]
    out: list[dict[str, Any]] = []
    for i, span in enumerate(spans):
        following = spans[i + 1] if i + 1 < len(spans) else None
        mine = [d for d in doses if _in_force(d, span, following)]
        current = following is None
        if not mine and not current:
            continue
        interval = Interval.parse(span["interval"])
        unit = PERIOD_UNITS[interval.unit]
        repeat: dict[str, Any] = {}
        if len(spans) > 1:  # a history of intervals: each bounded by the dates it was in force
            bounds = {"start": span["date"].isoformat()}
            if following is not None:
                bounds["end"] = (following["date"] - timedelta(days=1)).isoformat()
            repeat["boundsPeriod"] = bounds
        repeat |= {"frequency": 1, "period": interval.value, "periodUnit": unit}
        every = _every(interval.value, None, unit)
        code = span["code"]
        duration = "lifelong" if maintenance["lifelong"] else "review whether to continue"
        since = "" if code == "PROTOCOL_DEFAULT" else f" from {span['date']} ({code})"
        text = (
            f"Maintenance: {_amount(spec.dose_mcg, mine or doses, route)}, {every}{since} "
            f"({duration}): {spec.why} ({spec.source}); allowed intervals "
            f"{', '.join(maintenance['steps'])}."
        )
        if code != "PROTOCOL_DEFAULT":
            text += f" {span['why']}."
        if current and maintenance["next_due"] is not None:
            text += f" Next due {maintenance['next_due']}."
        if mine:
            text += f" Dates: {_dates(mine, spec.dose_mcg)}."
        else:
            text += " No dose falls within the plan's dates."
        out.append(_dosage(sequence + len(out), text, _timing(repeat, mine), route, spec.dose_mcg))
    return out


def _in_force(
    dose: DoseDocument,
    span: IntervalInForceDocument,
    following: IntervalInForceDocument | None,
) -> bool:
    """Whether `dose` was placed by the interval in force from `span` (until `following`).

    A change takes effect on its date, so a dose on that day is the new interval's, except a
    lengthening: it is dated on the dose that completed the stable cycles, judged by the old.
    """
    when = dose["date"]

    def starts_after(change: IntervalInForceDocument) -> bool:
        return when > change["date"] or (
            when == change["date"] and change["code"] != "INTERVAL_EXTENDED"
        )

    begun = span["code"] == "PROTOCOL_DEFAULT" or starts_after(span)
    return begun and (following is None or not starts_after(following))


def notes(plan: PlanDocument) -> list[dict[str, str]]:
    """The disclaimer first, then the protocol, findings, changes, follow-up and conventions."""
    p, generator = plan["protocol"], plan["generator"]
    texts = [
        plan["disclaimer"],
        f"Planned by {generator['name']} {generator['version']} as of {plan['as_of']}: "
        f"protocol {p['id']}, {p['title']} ({', '.join(p['sources'])}), chosen because "
        f"{p['chosen_because']}.",
    ]
    if not plan["complete"]:
        texts.append("The plan is incomplete (complete: false).")
    texts += [
        f"{f['severity']} {f['code']}: {cited(f['message'], f['source'])}" for f in plan["findings"]
    ]
    texts += [
        f"interval change {a['date']}: {a['from']} to {a['to']} ({a['code']}): {a['why']}"
        for a in plan["adjustments"]
    ]
    for f in plan["follow_up"]:
        when = f"{f['date']} to {f['until']}" if f["until"] else str(f["date"])
        texts.append(
            f"follow-up {when}: {f['test']}: {cited(f['why'], f['source'])}; {f['status']}"
        )
    if p["conventions"]:
        texts.append("Conventions [C]: " + " ".join(p["conventions"]))
    return [{"text": t} for t in texts]


def medication_request(plan: PlanDocument, protocol: Protocol) -> dict[str, Any]:
    """The MedicationRequest as a JSON-ready dict, elements in the order R4 defines them."""
    inputs = plan["inputs"]
    product = inputs["product"] if inputs else protocol.product
    strength = f" {inputs['strength_mcg_per_ml']:g} mcg/mL" if inputs else ""
    resource: dict[str, Any] = {"resourceType": "MedicationRequest", "status": "draft"}
    blocks = [f for f in plan["findings"] if f["severity"] == "block"]
    if blocks:
        reasons = "; ".join(f"{f['code']}: {cited(f['message'], f['source'])}" for f in blocks)
        resource["statusReason"] = {"text": f"blocked by b12plan, no doses planned: {reasons}"}
    resource |= {
        "intent": "proposal",
        "medicationCodeableConcept": {"text": f"{product}{strength} solution for injection"},
        "subject": _subject(plan.get("ref")),
        "authoredOn": plan["as_of"].isoformat(),
        "note": notes(plan),
    }
    if not blocks:
        route = inputs["route"] if inputs else protocol.routes[0]
        dosages = repletion_dosages(plan, protocol, route)
        if plan["complete"] and plan["maintenance"] is not None:
            dosages += maintenance_dosages(plan, protocol, route, len(dosages) + 1)
        if dosages:
            resource["dosageInstruction"] = dosages
    return resource


def plan_fhir(plan: PlanDocument, protocol: Protocol) -> str:
    """The MedicationRequest as indented JSON, deterministic, ending with a newline."""
    return json.dumps(medication_request(plan, protocol), indent=2, ensure_ascii=False) + "\n"
