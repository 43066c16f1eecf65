"""A FHIR R4 Bundle as an audit's patients: Patient, MedicationAdministration, Observation (by
LOINC code) and Condition (by SNOMED CT code or its text), linked by `subject`.

FHIR carries doses, labs and the cause; interval decisions, `repletion_end` and `stopped` come
from `--patients` (contract). A resource that cannot be read is a problem of its patient, named
by its entry number in the bundle; resources of other types, and Observations under codes not
in `b12plan.io.codes`, are left out with one notice each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from b12plan.contract.text import quote
from b12plan.errors import InvalidInput
from b12plan.io.codes import (
    CAUSE_WORDS,
    LOINC_ANALYTES,
    LOINC_SYSTEM,
    SNOMED_CAUSES,
    SNOMED_SYSTEM,
)
from b12plan.io.gathering import Gathered, PatientBuilder, Where, clean_ref

SOURCE: Final = "bundle"
ROUTE_CODES: Final = {
    "78421000": "im",  # SNOMED CT: intramuscular route
    "34206005": "sc",  # subcutaneous route
    "47625008": "iv",  # intravenous route
    "IM": "im",  # HL7 v3 RouteOfAdministration
    "SQ": "sc",
    "SC": "sc",
    "IV": "iv",
    "IVINJ": "iv",
    "IMINJ": "im",
    "SQINJ": "sc",
}
ROUTE_WORDS: Final = {
    "intramuscular": "im",
    "im": "im",
    "subcutaneous": "sc",
    "sc": "sc",
    "sq": "sc",
    "intravenous": "iv",
    "iv": "iv",
}
PRODUCT_WORDS: Final = ("hydroxocobalamin", "cyanocobalamin")
DECLINED_WORDS: Final = ("declin", "refus")
READ: Final = frozenset({"Patient", "MedicationAdministration", "Observation", "Condition"})


def bundle_patients(
    bundle: Any,
    notice: Callable[[str], None],
    *,
    dayfirst: bool = False,
    more: Callable[[PatientBuilder], None] | None = None,
) -> Iterator[Gathered]:
    """Every patient of the bundle, in the bundle's order of Patient resources (then subjects
    without one); `more` adds what another file says about each (`--patients`)."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise InvalidInput(["events"], "the JSON is not a FHIR Bundle (resourceType Bundle)")
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise InvalidInput(["events"], "Bundle.entry must be a list")
    builders: dict[str, PatientBuilder] = {}
    others: dict[str, int] = {}
    skipped = 0
    for n, entry in enumerate(entries, 1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if kind not in READ:
            name = kind if isinstance(kind, str) else "entries without a resource"
            others[name] = others.get(name, 0) + 1
            continue
        assert isinstance(resource, dict)  # noqa: S101 - kind came from it
        where: Where = (SOURCE, n)
        if kind == "Patient":
            _patient(builders, resource, where, entry)
            continue
        subject = (resource.get("subject") or {}).get("reference")
        if not isinstance(subject, str) or not subject:
            orphan = builders.setdefault("?", PatientBuilder("?"))
            orphan.problem(where, "subject", f"this {kind} names no subject (Patient/ID)")
            continue
        builder = builders.get(_key(subject))
        if builder is None:
            ref, _ = clean_ref(subject.rsplit("/", 1)[-1])
            builder = builders[_key(subject)] = PatientBuilder(ref, dayfirst=dayfirst)
            builder.problem(where, "subject", f"{quote(subject)} is not a Patient in the bundle")
        if kind == "MedicationAdministration":
            _administration(builder, resource, where)
        elif kind == "Observation":
            skipped += not _observation(builder, resource, where)
        else:
            _condition(builder, resource, where)
    if others:
        listed = ", ".join(f"{count} {name}" for name, count in sorted(others.items()))
        notice(f"bundle: left out resources b12plan does not read: {listed}")
    if skipped:
        notice(f"bundle: left out {skipped} Observation(s) under codes not about B12 treatment")
    for builder in dict.fromkeys(builders.values()):
        if more is not None:
            more(builder)
        yield builder.gathered()


def _key(reference: str) -> str:
    """`Patient/123` or `urn:uuid:...` as one key (a full URL ends the same way)."""
    return (
        reference.rsplit("/", 2)[-1]
        if reference.startswith("urn:")
        else reference.split("/_history", maxsplit=1)[0].rsplit("/", 1)[-1]
    )


def _patient(
    builders: dict[str, PatientBuilder], resource: dict[str, Any], where: Where, entry: Any
) -> None:
    rid = str(resource.get("id") or "")
    full = entry.get("fullUrl") if isinstance(entry, dict) else None
    identifiers = resource.get("identifier") or []
    value = next(
        (i.get("value") for i in identifiers if isinstance(i, dict) and i.get("value")), None
    )
    ref, problem = clean_ref(str(value or rid))
    builder = PatientBuilder(ref)
    if problem is not None:
        builder.problem(where, "identifier", problem)
    for key in {rid, _key(full) if isinstance(full, str) else rid} - {""}:
        builders[key] = builder
    if resource.get("birthDate"):
        builder.text_field("dob", str(resource["birthDate"]), where)
    gender = resource.get("gender")
    if gender in ("female", "male"):
        builder.field("sex", gender, where)


def _when(resource: Mapping[str, Any]) -> str:
    for name in ("effectiveDateTime", "occurrenceDateTime"):
        if isinstance(resource.get(name), str):
            return str(resource[name])
    period = resource.get("effectivePeriod")
    if isinstance(period, dict) and isinstance(period.get("start"), str):
        return str(period["start"])
    return ""


def _codes(concept: Any) -> list[tuple[str, str]]:
    if not isinstance(concept, dict):
        return []
    return [
        (str(c.get("system", "")), str(c.get("code", "")))
        for c in concept.get("coding") or []
        if isinstance(c, dict)
    ]


def _text(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    words = [str(concept.get("text") or "")]
    words += [
        str(c.get("display") or "") for c in concept.get("coding") or [] if isinstance(c, dict)
    ]
    return " ".join(words).lower()


def _administration(builder: PatientBuilder, resource: dict[str, Any], where: Where) -> None:
    status = resource.get("status")
    when = _when(resource)
    if status == "entered-in-error":
        return
    if status == "not-done":
        reasons = resource.get("statusReason") or []  # R4: a list of CodeableConcepts
        reason = " ".join(_text(r) for r in (reasons if isinstance(reasons, list) else [reasons]))
        kind = "declined" if any(w in reason for w in DECLINED_WORDS) else "missed"
        builder.event(where, kind, when, {"reason": "other"})
        return
    if status != "completed":
        builder.problem(where, "status", f"{quote(status)}: only completed and not-done are read")
        return
    row: dict[str, str] = {}
    medication = _text(resource.get("medicationCodeableConcept"))
    product = next((p for p in PRODUCT_WORDS if p in medication), None)
    if product is not None:
        row["product"] = product
    dosage = resource.get("dosage") or {}
    dose = dosage.get("dose") if isinstance(dosage, dict) else None
    if isinstance(dose, dict) and dose.get("value") is not None:
        row["dose"] = str(dose["value"])
        row["dose_unit"] = str(dose.get("code") or dose.get("unit") or "")
    route = dosage.get("route") if isinstance(dosage, dict) else None
    if route is not None:
        found = next((ROUTE_CODES[c] for _, c in _codes(route) if c in ROUTE_CODES), None)
        found = found or ROUTE_WORDS.get(_text(route).strip())
        if found is None:
            builder.problem(where, "dosage.route", "not intramuscular, subcutaneous or intravenous")
            return
        row["route"] = found
    site = _text(dosage.get("site") if isinstance(dosage, dict) else None).strip()
    if site:
        row["site"] = site[:100]
    builder.event(where, "given", when, row)


def _observation(builder: PatientBuilder, resource: dict[str, Any], where: Where) -> bool:
    if resource.get("status") in ("entered-in-error", "cancelled"):
        return True
    analyte = next(
        (
            LOINC_ANALYTES[code]
            for system, code in _codes(resource.get("code"))
            if system == LOINC_SYSTEM and code in LOINC_ANALYTES
        ),
        None,
    )
    if analyte is None:
        return False
    quantity = resource.get("valueQuantity")
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        builder.problem(where, "valueQuantity", f"the {analyte} result has no valueQuantity")
        return True
    value = f"{quantity.get('comparator') or ''}{quantity['value']}"
    unit = str(quantity.get("unit") or quantity.get("code") or "")
    builder.event(where, "lab", _when(resource), {"analyte": analyte, "value": value, "unit": unit})
    return True


def _condition(builder: PatientBuilder, resource: dict[str, Any], where: Where) -> None:
    status = _codes(resource.get("verificationStatus"))
    if any(code in ("entered-in-error", "refuted") for _, code in status):
        return
    concept = resource.get("code")
    cause = next(
        (
            SNOMED_CAUSES[code]
            for system, code in _codes(concept)
            if system == SNOMED_SYSTEM and code in SNOMED_CAUSES
        ),
        None,
    )
    if cause is None:
        text = _text(concept)
        cause = next(
            (CAUSE_WORDS[w] for w in sorted(CAUSE_WORDS, key=len, reverse=True) if w in text),
            None,
        )
    if cause is None:
        return  # a condition that is not a cause of B12 deficiency
    builder.cause(cause, where)
