"""`--format fhir`: an R4 MedicationRequest, validated with fhir.resources (R4B models)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.medicationrequest import MedicationRequest
from hypothesis import HealthCheck, given, settings

from b12plan.contract.validation import validated
from b12plan.contract.vocab import is_blocked
from b12plan.engine.plan import plan_document
from b12plan.render.fhir import medication_request, plan_protocol
from b12plan.render.jsonout import plan_document_json
from tests.conftest import EXAMPLES, ROOT, run
from tests.strategies import patients

PATIENTS = sorted(
    p
    for p in EXAMPLES.glob("patient-*")
    if p.suffix in (".json", ".toml") and ".plan" not in p.name
)
AS_OF = "2026-11-24"
# Required bindings of R4 that the pydantic models do not enforce.
STATUSES = {"active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft"}
INTENTS = {"proposal", "plan", "order", "original-order", "reflex-order", "filler-order"}
PERIOD_UNITS = {"s", "min", "h", "d", "wk", "mo", "a"}
IM = {"system": "http://snomed.info/sct", "code": "78421000", "display": "Intramuscular route"}
SC = {"system": "http://snomed.info/sct", "code": "34206005", "display": "Subcutaneous route"}


def _fhir(*args: str, code: int = 0) -> dict[str, Any]:
    result = run("schedule", *args, "--format", "fhir")
    assert result.code == code, result.err
    document: dict[str, Any] = json.loads(result.out)
    return document


def _plan(*args: str) -> dict[str, Any]:
    result = run("schedule", *args, "--format", "json")
    assert result.code == 0, result.err
    plan: dict[str, Any] = result.json()
    return plan


def check_resource(resource: dict[str, Any], plan: dict[str, Any]) -> None:
    """Valid R4 by fhir.resources and the bindings; every dose of the plan is one event."""
    MedicationRequest.model_validate(resource)
    assert resource["resourceType"] == "MedicationRequest"
    assert resource["status"] == "draft" in STATUSES
    assert resource["intent"] == "proposal" in INTENTS
    assert resource["authoredOn"] == plan["as_of"]
    assert resource["subject"] == {
        "display": "the patient of this plan (b12plan holds no patient identity)"
    }
    assert resource["note"][0]["text"] == plan["disclaimer"]
    dosages = resource.get("dosageInstruction", [])
    assert [d["sequence"] for d in dosages] == list(range(1, len(dosages) + 1))
    events = [day for d in dosages for day in d["timing"].get("event", [])]
    assert events == [d["date"] for d in plan["doses"]]
    for dosage in dosages:
        assert dosage["text"].strip()
        repeat = dosage["timing"]["repeat"]
        assert repeat["frequency"] == 1
        assert repeat["periodUnit"] in PERIOD_UNITS
        assert repeat.get("periodMax", repeat["period"]) >= repeat["period"] >= 1
        if "count" in repeat:
            assert repeat["count"] == len(dosage["timing"]["event"])
        [dose_and_rate] = dosage["doseAndRate"]
        quantity = dose_and_rate["doseQuantity"]
        assert quantity["unit"] == quantity["code"] == "ug"
        assert quantity["system"] == "http://unitsofmeasure.org"
        assert dosage["route"]["coding"][0]["system"] == "http://snomed.info/sct"


@pytest.mark.parametrize("patient", PATIENTS, ids=[p.name for p in PATIENTS])
def test_every_example_validates_and_carries_every_dose(patient: Path) -> None:
    """Each example's MedicationRequest is valid R4 and lists the plan's doses in order."""
    check_resource(_fhir(str(patient), "--as-of", AS_OF), _plan(str(patient), "--as-of", AS_OF))


def _repeats(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return [d["timing"]["repeat"] for d in resource["dosageInstruction"]]


def test_bnf_repletion_is_six_doses_every_two_to_three_days_then_three_monthly() -> None:
    """Gaps 2,2,3,2,2 read period 2, periodMax 3 days, count 6; maintenance every 3 months."""
    resource = _fhir(str(EXAMPLES / "patient-aig-new.json"), "--as-of", AS_OF)
    assert _repeats(resource) == [
        {"count": 6, "frequency": 1, "period": 2, "periodMax": 3, "periodUnit": "d"},
        {"frequency": 1, "period": 3, "periodUnit": "mo"},
    ]
    repletion, maintenance = resource["dosageInstruction"]
    assert repletion["timing"]["event"][:3] == ["2026-12-01", "2026-12-03", "2026-12-05"]
    assert repletion["route"] == {"coding": [IM], "text": "IM"}
    assert repletion["doseAndRate"][0]["doseQuantity"]["value"] == 1000
    assert repletion["text"].startswith("Repletion: 1000 mcg (1.00 mL) IM, every 2–3 days: ")
    assert maintenance["text"].startswith("Maintenance: 1000 mcg (1.00 mL) IM, every 3 months")
    assert resource["medicationCodeableConcept"] == {
        "text": "hydroxocobalamin 1000 mcg/mL solution for injection"
    }


def test_us_cyano_1000_has_one_dosage_per_segment_daily_then_weekly() -> None:
    """Daily x7 and weekly x4 cannot share one repeat: two repletion Dosages, then monthly."""
    resource = _fhir(str(EXAMPLES / "patient-us-cyano-1000.json"), "--as-of", AS_OF)
    assert _repeats(resource) == [
        {"count": 7, "frequency": 1, "period": 1, "periodUnit": "d"},
        {"count": 4, "frequency": 1, "period": 1, "periodUnit": "wk"},
        {"frequency": 1, "period": 1, "periodUnit": "mo"},
    ]
    first, second, _ = resource["dosageInstruction"]
    assert first["timing"]["event"] == [f"2026-12-0{d}" for d in range(1, 8)]
    assert second["timing"]["event"] == ["2026-12-14", "2026-12-21", "2026-12-28", "2027-01-04"]
    assert first["text"].startswith("Repletion 1 of 2: ")
    assert second["text"].startswith("Repletion 2 of 2: ")


def test_fda_label_has_three_segments_of_100_mcg_subcutaneously() -> None:
    """100 mcg daily x7, alternate days x7, every 3–4 days x6; SC coded; then monthly."""
    args = ("--start", "2026-12-01", "--cause", "dietary", "--product", "cyanocobalamin")
    args += ("--protocol", "us-fda-cyano-label", "--route", "sc", "--as-of", AS_OF)
    resource = _fhir(*args)
    check_resource(resource, _plan(*args))
    assert _repeats(resource) == [
        {"count": 7, "frequency": 1, "period": 1, "periodUnit": "d"},
        {"count": 7, "frequency": 1, "period": 2, "periodUnit": "d"},
        {"count": 6, "frequency": 1, "period": 3, "periodMax": 4, "periodUnit": "d"},
        {"frequency": 1, "period": 1, "periodUnit": "mo"},
    ]
    for dosage in resource["dosageInstruction"]:
        assert dosage["doseAndRate"][0]["doseQuantity"]["value"] == 100
        assert dosage["route"] == {"coding": [SC], "text": "SC"}


def test_prophylaxis_has_only_maintenance() -> None:
    """No repletion: a single maintenance Dosage, sequence 1."""
    args = ("--start", "2026-12-01", "--cause", "dietary", "--protocol", "uk-hydroxo-prophylaxis")
    resource = _fhir(*args, "--as-of", AS_OF)
    check_resource(resource, _plan(*args, "--as-of", AS_OF))
    [maintenance] = resource["dosageInstruction"]
    assert maintenance["sequence"] == 1
    assert maintenance["timing"]["repeat"] == {"frequency": 1, "period": 3, "periodUnit": "mo"}
    assert maintenance["timing"]["event"][0] == "2026-12-01"


def test_week_intervals_use_wk() -> None:
    """A clinician's 6-week interval (with its reason) reads period 6, periodUnit wk."""
    args = ("--start", "2026-12-01", "--cause", "gastrectomy", "--interval", "6w")
    args += ("--override-reason", "symptoms return at 8 weeks", "--as-of", AS_OF)
    resource = _fhir(*args)
    check_resource(resource, _plan(*args))
    assert _repeats(resource)[-1] == {"frequency": 1, "period": 6, "periodUnit": "wk"}


def test_open_neuro_repletion_is_provisional_without_count_or_maintenance() -> None:
    """Open-ended repletion: no count, the text says provisional, no maintenance Dosage yet."""
    args = ("--start", "2026-12-01", "--cause", "dietary", "--neuro", "--as-of", AS_OF)
    resource = _fhir(*args)
    check_resource(resource, _plan(*args))
    [repletion] = resource["dosageInstruction"]
    assert repletion["timing"]["repeat"] == {"frequency": 1, "period": 2, "periodUnit": "d"}
    assert len(repletion["timing"]["event"]) == 8
    assert "provisional until the clinician sets repletion_end" in repletion["text"]
    assert "2026-12-01 (provisional)" in repletion["text"]
    notes = [n["text"] for n in resource["note"]]
    assert "The plan is incomplete (complete: false)." in notes
    assert any(n.startswith("warning NEURO_REPLETION_OPEN: ") for n in notes)


def test_neuro_with_repletion_end_counts_its_doses() -> None:
    """With repletion_end the alternate-day segment has a count: the doses up to that date."""
    patient = str(EXAMPLES / "patient-neuro-repletion-end.json")
    resource = _fhir(patient, "--as-of", AS_OF)
    plan = _plan(patient, "--as-of", AS_OF)
    repletion = [d for d in plan["doses"] if d["phase"] == "repletion"]
    assert _repeats(resource)[0] == {
        "count": len(repletion),
        "frequency": 1,
        "period": 2,
        "periodUnit": "d",
    }
    assert _repeats(resource)[1] == {"frequency": 1, "period": 2, "periodUnit": "mo"}


def test_history_marks_given_and_overdue_doses_and_the_interval_change() -> None:
    """Given and overdue doses are named in the text; each interval in force is its own Dosage,
    bounded by the dates it was in force."""
    resource = _fhir(str(EXAMPLES / "patient-history-late-dose.json"), "--as-of", AS_OF)
    before, after = resource["dosageInstruction"][-2:]
    assert before["timing"]["repeat"] == {
        "boundsPeriod": {"start": "2026-05-04", "end": "2026-11-09"},
        "frequency": 1,
        "period": 3,
        "periodUnit": "mo",
    }
    assert before["text"].endswith("Dates: 2026-08-24 (given).")
    assert after["timing"]["repeat"]["boundsPeriod"] == {"start": "2026-11-10"}
    assert after["timing"]["repeat"]["period"] == 2
    assert "every 2 months from 2026-11-10 (INTERVAL_SHORTENED)" in after["text"]
    # Re-planned from as_of 11-24 as if the overdue dose were given then (2026-12-07).
    assert "Dates: 2026-11-10 (overdue), 2027-01-24," in after["text"]
    notes = [n["text"] for n in resource["note"]]
    assert any(n.startswith("warning ANTICOAG_IM: ") for n in notes)


def test_blocked_plan_has_a_status_reason_and_no_dosage() -> None:
    """A blocked plan is a valid draft with the block in statusReason, never doNotPerform."""
    args = ("--start", "2026-12-01", "--cause", "dietary", "--route", "iv", "--as-of", AS_OF)
    resource = _fhir(*args, code=1)
    MedicationRequest.model_validate(resource)
    assert "dosageInstruction" not in resource
    assert "doNotPerform" not in resource
    assert resource["statusReason"]["text"].startswith(
        "blocked by b12plan, no doses planned: IV_ROUTE: IV route: "
    )
    assert any(n["text"].startswith("block IV_ROUTE: ") for n in resource["note"])


def test_custom_protocol_segments_drive_the_dosages(tmp_path: Path) -> None:
    """With --protocol-file the Dosages follow the custom file's segments and interval."""
    text = (ROOT / "src/b12plan/protocols/us-cyano-1000.toml").read_text(encoding="utf-8")
    custom = tmp_path / "clinic.toml"
    custom.write_text(
        text.replace('id = "us-cyano-1000"', 'id = "clinic-cyano"').replace(
            "count = 4\ngaps_days = [7]", "count = 3\ngaps_days = [14]"
        ),
        encoding="utf-8",
    )
    args = ("--start", "2026-12-01", "--cause", "dietary", "--product", "cyanocobalamin")
    args += ("--protocol-file", str(custom), "--as-of", AS_OF)
    resource = _fhir(*args)
    check_resource(resource, _plan(*args))
    assert _repeats(resource)[1] == {"count": 3, "frequency": 1, "period": 2, "periodUnit": "wk"}


def test_same_input_gives_the_same_bytes() -> None:
    """Two runs give identical documents."""
    args = ("schedule", str(EXAMPLES / "patient-history-late-dose.json"), "--as-of", AS_OF)
    assert run(*args, "--format", "fhir").out == run(*args, "--format", "fhir").out


def test_explain_is_refused_with_fhir() -> None:
    """A Dosage covers a phase, not a dose: --explain with fhir is a usage error (exit 2)."""
    result = run(
        "schedule", "--start", "2026-12-01", "--cause", "dietary", "--explain", "--format", "fhir"
    )
    assert result.code == 2
    assert result.out == ""
    error = json.loads(result.err)["error"]
    assert error["errors"][0]["loc"] == ["explain"]
    assert "not available with --format fhir" in error["message"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=patients())
def test_random_patients_give_valid_resources_with_every_dose(
    case: tuple[dict[str, Any], date],
) -> None:
    """For generated patients and histories the resource validates and lists every dose once."""
    document, as_of = case
    plan = plan_document(validated("patient", document), as_of=as_of)
    resource = medication_request(plan, plan_protocol(plan, None))
    check_resource(resource, json.loads(plan_document_json(plan)))
    if is_blocked(plan):
        assert "dosageInstruction" not in resource


def test_a_given_dose_of_another_amount_is_named_in_the_text() -> None:
    """A dose given at 500 mcg keeps the protocol's doseQuantity; the text names the amount."""
    document = {
        "start": "2026-11-02",
        "cause": "gastrectomy",
        "given": ["2026-11-02", {"date": "2026-11-04", "dose_mcg": 500}],
    }
    result = run("schedule", "-", "--as-of", AS_OF, "--format", "fhir", stdin=json.dumps(document))
    assert result.code == 0, result.err
    repletion = json.loads(result.out)["dosageInstruction"][0]
    assert repletion["doseAndRate"][0]["doseQuantity"]["value"] == 1000
    assert (
        "2026-11-02 (given), 2026-11-04 (given, 500 mcg), 2026-11-06 (overdue),"
        in (repletion["text"])
    )
