"""What `b12plan audit` reads: real CSV exports, a patients file, JSON Lines and FHIR Bundles
giving the same worklist for the same records, in any row order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run

AS_OF = "2026-12-07"

EVENTS = """patient_id,date,event,dose,dose_unit,route,product,analyte,value,unit,reason,interval
A1,2026-03-02,given,1,mg,im,hydroxocobalamin,,,,,
A1,2026-06-01,given,1000,mcg,IM,,,,,,
A1,2026-08-30,given,1,mg,im,,,,,,
A1,2026-11-20,lab,,,,,b12,140,ng/L,,
B2,2026-05-04,given,1,mg,im,,,,,,
B2,2026-05-06,given,1,mg,im,,,,,,
B2,2026-05-08,given,1,mg,im,,,,,,
B2,2026-05-11,given,1,mg,im,,,,,,
B2,2026-05-13,given,1,mg,im,,,,,,
B2,2026-05-15,given,1,mg,im,,,,,,
B2,2026-08-15,given,1,mg,iv,,,,,,
B2,2026-11-15,missed,,,,,,,,did-not-attend,
C3,2026-11-30,given,1,mg,im,,,,,,
C3,2026-11-30,lab,,,,,hb,95,g/L,,
"""
PATIENTS = """patient_id,dob,sex,cause,neuro,repletion_done,interval,interval_from,override_reason
A1,1950-02-01,female,pernicious-anaemia,no,yes,,,
B2,1961-07-09,male,autoimmune-gastritis,false,,,,
C3,1980-01-01,female,dietary,0,,,,
D4,1970-05-05,male,gastrectomy,,,,,
"""


def audit_json(*args: str, stdin: str | bytes = b"") -> dict[str, Any]:
    """The worklist `b12plan audit ARGS --format json` writes (exit 0 required)."""
    result = run("audit", *args, "--as-of", AS_OF, "--format", "json", stdin=stdin)
    assert result.code == 0, result.err
    worklist: dict[str, Any] = result.json()
    return worklist


def clinical(worklist: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries without where their problems came from (file names differ by format)."""
    return [
        {k: v for k, v in entry.items() if k != "problems"} | {"problems": len(entry["problems"])}
        for entry in worklist["patients"]
    ]


def files(tmp_path: Path, events: str = EVENTS, patients: str = PATIENTS) -> tuple[str, str]:
    """The two CSV files written, their paths."""
    (tmp_path / "records.csv").write_text(events, encoding="utf-8")
    (tmp_path / "patients.csv").write_text(patients, encoding="utf-8")
    return str(tmp_path / "records.csv"), str(tmp_path / "patients.csv")


def test_events_and_patients_make_the_worklist(tmp_path: Path) -> None:
    """Events and a patients file give one entry per patient, a patient without events
    included; doses in mg are micrograms, a `missed` row leaves its dose owed."""
    events, patients = files(tmp_path)
    worklist = audit_json(events, "--patients", patients)
    by_ref = {e["ref"]: e for e in worklist["patients"]}
    assert set(by_ref) == {"A1", "B2", "C3", "D4"}
    assert by_ref["A1"]["doses"][0]["dose_mcg"] == 1000
    assert by_ref["A1"]["doses"][0]["product"] == "hydroxocobalamin"
    assert by_ref["A1"]["interval"] == "2mo"  # shortened after the low B12
    assert by_ref["B2"]["doses"][6]["evaluation"][0]["code"] == "wrong-route"
    assert (by_ref["B2"]["status"], by_ref["B2"]["next_due"]) == ("overdue", "2026-11-15")
    assert by_ref["C3"]["protocol"] == "uk-hydroxo-dietary"
    # D4 has no event and no start date: it cannot be planned, and the problem names its row.
    assert by_ref["D4"]["status"] == "needs-review"
    assert by_ref["D4"]["problems"] == [
        {"source": "patients.csv", "row": 5, "field": "start", "msg": "is required"}
    ]


def test_real_export_quirks_read_the_same(tmp_path: Path) -> None:
    """A byte-order mark, CRLF line ends, quoted cells (with commas and line breaks), header
    names in another case and an extra column give the same worklist, with one notice."""
    plain, patients = files(tmp_path)
    lines = EVENTS.splitlines()
    header = lines[0].upper().replace("PATIENT_ID", " Patient_ID ") + ",comment"
    body = [f'"{line.split(",", 1)[0]}",{line.split(",", 1)[1]},"a, b\nc"' for line in lines[1:]]
    quirky = tmp_path / "export.csv"
    quirky.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([header, *body, ""]).encode())
    result = run("audit", str(quirky), "--patients", patients, "--as-of", AS_OF, "--format", "json")
    assert result.code == 0, result.err
    assert result.err.count("b12plan: note:") == 1
    assert "ignoring column b12plan does not use: 'comment'" in result.err
    assert clinical(result.json()) == clinical(audit_json(plain, "--patients", patients))


def test_dayfirst_reads_uk_dates(tmp_path: Path) -> None:
    """`--dayfirst` reads 02/03/2026 as 2 March; without it the row names the option."""
    uk = EVENTS.replace("2026-03-02", "02/03/2026")
    events, patients = files(tmp_path, uk)
    with_it = audit_json(events, "--patients", patients, "--dayfirst")
    (tmp_path / "iso").mkdir()
    plain, _ = files(tmp_path / "iso", EVENTS)
    assert clinical(with_it) == clinical(audit_json(plain, "--patients", patients))
    without = {e["ref"]: e for e in audit_json(events, "--patients", patients)["patients"]}
    (problem,) = without["A1"]["problems"]
    assert (problem["row"], problem["field"]) == (2, "date")
    assert "--dayfirst" in problem["msg"]


def test_a_patient_field_given_twice_differently_needs_review(tmp_path: Path) -> None:
    """The cause on an event row that contradicts the patients file names both rows."""
    events = "patient_id,date,event,cause\nA1,2026-03-02,given,dietary\n"
    events_path, patients = files(tmp_path, events)
    entry = audit_json(events_path, "--patients", patients)["patients"][0]
    assert entry["ref"] == "A1"
    assert entry["status"] == "needs-review"
    assert "given in" in entry["problems"][0]["msg"]


def test_unsorted_rows_give_the_worklist_of_sorted_ones(tmp_path: Path) -> None:
    """Rows in any order (grouped on disk) give what sorted rows (streamed) give."""
    header, *body = EVENTS.splitlines()
    shuffled = body[7:] + body[:7][::-1]  # C3 first: out of order from the first row
    events, patients = files(tmp_path, "\n".join([header, *shuffled, ""]))
    (tmp_path / "sorted").mkdir()
    sorted_path, _ = files(tmp_path / "sorted", EVENTS)
    assert clinical(audit_json(events, "--patients", patients)) == clinical(
        audit_json(sorted_path, "--patients", patients)
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(len(EVENTS.splitlines()) - 1)))
def test_row_order_never_changes_the_worklist(order: list[int]) -> None:
    """Any order of the event rows, from standard input, gives the same worklist bytes."""
    causes = {"A1": "pernicious-anaemia", "B2": "autoimmune-gastritis", "C3": "dietary"}
    header, *body = EVENTS.splitlines()
    header += ",cause"
    body = [f"{line},{causes[line[:2]]}" for line in body]
    shuffled = [body[i] for i in order]
    first = run(
        "audit", "-", "--as-of", AS_OF, "--format", "json", stdin="\n".join([header, *body, ""])
    )
    assert first.code == 0
    assert '"needs-review": 0' in first.out
    again = run(
        "audit", "-", "--as-of", AS_OF, "--format", "json", stdin="\n".join([header, *shuffled, ""])
    )
    assert first.out == again.out


# ---------------------------------------------------------------- three formats, one worklist


RECORDS: list[dict[str, Any]] = [
    {
        "ref": "A1",
        "dob": "1950-02-01",
        "sex": "female",
        "cause": "autoimmune-gastritis",
        "repletion_done": True,
        "given": [
            {"date": "2026-03-02", "dose_mcg": 1000, "route": "im"},
            {"date": "2026-06-01", "dose_mcg": 500, "route": "im"},
        ],
        "labs": ["b12=140 ng/L@2026-11-20"],
    },
    {
        "ref": "B2",
        "start": "2026-11-30",
        "dob": "1961-07-09",
        "sex": "male",
        "cause": "gastrectomy",
        "given": [{"date": "2026-11-30", "dose_mcg": 1000, "route": "iv"}],
        "missed": [{"date": "2026-12-02", "reason": "declined"}],
    },
]


def as_csv(records: list[dict[str, Any]]) -> tuple[str, str]:
    """The records as an events CSV and a patients CSV."""
    events = ["patient_id,date,event,dose_mcg,route,analyte,value,unit,reason"]
    patients = ["patient_id,dob,sex,cause,repletion_done"]
    for r in records:
        done = "yes" if r.get("repletion_done") else ""
        patients.append(f"{r['ref']},{r['dob']},{r['sex']},{r['cause']},{done}")
        events += [
            f"{r['ref']},{g['date']},given,{g['dose_mcg']},{g['route']},,,," for g in r["given"]
        ]
        for lab in r.get("labs", []):
            analyte, rest = lab.split("=")
            value, rest = rest.split(" ", 1)
            unit, when = rest.split("@")
            events.append(f"{r['ref']},{when},lab,,,{analyte},{value},{unit},")
        for miss in r.get("missed", []):
            events.append(f"{r['ref']},{miss['date']},missed,,,,,,{miss['reason']}")
    return "\n".join(events) + "\n", "\n".join(patients) + "\n"


def as_bundle(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The records as a FHIR R4 Bundle: Patient, MedicationAdministration, Observation and
    Condition resources linked by subject."""
    snomed = {"autoimmune-gastritis": "84027009", "gastrectomy": "65801008"}
    loinc = {"b12": "2132-9"}
    route = {"im": "78421000", "iv": "47625008"}
    entries: list[dict[str, Any]] = []
    for n, r in enumerate(records):
        pid = f"p{n}"
        subject = {"reference": f"Patient/{pid}"}
        entries.append(
            {
                "fullUrl": f"https://example.org/fhir/Patient/{pid}",
                "resource": {
                    "resourceType": "Patient",
                    "id": pid,
                    "identifier": [{"system": "https://clinic.example/ids", "value": r["ref"]}],
                    "birthDate": r["dob"],
                    "gender": r["sex"],
                },
            }
        )
        entries.append(
            {
                "resource": {
                    "resourceType": "Condition",
                    "subject": subject,
                    "code": {
                        "coding": [{"system": "http://snomed.info/sct", "code": snomed[r["cause"]]}]
                    },
                }
            }
        )
        for g in r["given"]:
            entries.append(
                {
                    "resource": {
                        "resourceType": "MedicationAdministration",
                        "status": "completed",
                        "subject": subject,
                        "medicationCodeableConcept": {"text": "Vitamin B12 injection"},
                        "effectiveDateTime": f"{g['date']}T10:30:00+00:00",
                        "dosage": {
                            "dose": {"value": g["dose_mcg"] / 1000, "unit": "mg"},
                            "route": {
                                "coding": [
                                    {"system": "http://snomed.info/sct", "code": route[g["route"]]}
                                ]
                            },
                        },
                    }
                }
            )
        for miss in r.get("missed", []):
            entries.append(
                {
                    "resource": {
                        "resourceType": "MedicationAdministration",
                        "status": "not-done",
                        "statusReason": [{"text": "Patient declined"}],
                        "subject": subject,
                        "effectiveDateTime": miss["date"],
                    }
                }
            )
        for lab in r.get("labs", []):
            analyte, rest = lab.split("=")
            value, rest = rest.split(" ", 1)
            unit, when = rest.split("@")
            entries.append(
                {
                    "resource": {
                        "resourceType": "Observation",
                        "status": "final",
                        "subject": subject,
                        "code": {
                            "coding": [{"system": "http://loinc.org", "code": loinc[analyte]}]
                        },
                        "effectiveDateTime": when,
                        "valueQuantity": {"value": float(value), "unit": unit},
                    }
                }
            )
        entries.append({"resource": {"resourceType": "Encounter", "subject": subject}})
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def test_csv_jsonl_and_fhir_give_the_same_worklist(tmp_path: Path) -> None:
    """The same records as events CSV + patients CSV, as JSON Lines and as a FHIR Bundle give
    one worklist; the bundle's Encounters are left out with a notice."""
    events, patients = as_csv(RECORDS)
    events_path, patients_path = files(tmp_path, events, patients)
    from_csv = audit_json(events_path, "--patients", patients_path)
    jsonl = "".join(json.dumps(r) + "\n" for r in RECORDS)
    from_jsonl = audit_json("-", stdin=jsonl)
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(as_bundle(RECORDS), indent=2), encoding="utf-8")
    # FHIR has no word for a loading course done elsewhere: the patients file says it.
    done = tmp_path / "done.csv"
    done.write_text("patient_id,repletion_done\nA1,yes\n", encoding="utf-8")
    result = run(
        "audit", str(bundle), "--patients", str(done), "--as-of", AS_OF, "--format", "json"
    )
    assert result.code == 0, result.err
    assert "left out resources b12plan does not read: 2 Encounter" in result.err
    assert clinical(from_csv) == clinical(from_jsonl) == clinical(result.json())
    refs = [e["ref"] for e in from_csv["patients"]]
    assert sorted(refs) == ["A1", "B2"]
    evaluated = {e["ref"]: e for e in from_csv["patients"]}
    assert evaluated["A1"]["doses"][1]["evaluation"][0]["code"] == "wrong-dose"
    assert evaluated["B2"]["doses"][0]["evaluation"][0]["code"] == "wrong-route"


def test_a_bad_json_line_needs_review_and_the_others_go_on() -> None:
    """A line that is not JSON is one needs-review entry (`line N`); the others are planned."""
    jsonl = json.dumps(RECORDS[0]) + "\n{not json\n" + json.dumps(RECORDS[1]) + "\n"
    worklist = audit_json("-", stdin=jsonl)
    by_ref = {e["ref"]: e for e in worklist["patients"]}
    assert by_ref["line 2"]["status"] == "needs-review"
    assert by_ref["line 2"]["problems"][0]["source"] == "line"
    assert by_ref["A1"]["status"] != "needs-review"


def test_a_fhir_patient_without_a_cause_needs_review(tmp_path: Path) -> None:
    """Without a Condition naming a cause, the patient cannot be planned: needs-review."""
    bundle = as_bundle(RECORDS[:1])
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Condition"]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    entry = audit_json(str(path))["patients"][0]
    assert entry["status"] == "needs-review"
    assert entry["problems"][0]["field"] == "cause"
