"""`ref` (`--ref TEXT`): the caller's reference for a patient, echoed in every output and never
interpreted (contract, "Additions of 2026-12-07")."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import icalendar
import pytest

from tests.conftest import run, run_patient

PATIENT = {"start": "2026-12-10", "cause": "autoimmune-gastritis"}
AS_OF = ("--as-of", "2026-12-05")


def test_the_plan_echoes_ref_at_its_top_and_null_without_one() -> None:
    """`ref` is the document's second key, as given (from the file or --ref), else null."""
    plan = run_patient({**PATIENT, "ref": "clinic-0042"}, *AS_OF, "--format", "json").json()
    assert list(plan)[:2] == ["schema_version", "ref"]
    assert plan["ref"] == "clinic-0042"
    assert run_patient(PATIENT, *AS_OF, "--format", "json").json()["ref"] is None
    given = run_patient(PATIENT, *AS_OF, "--ref", "MRN 12/34 é", "--format", "json")
    assert given.json()["ref"] == "MRN 12/34 é"


def test_the_check_document_echoes_the_patients_ref() -> None:
    """`check` echoes the ref of its patient (or `--ref`) at the top of its document."""
    regimen = {"patient": {**PATIENT, "ref": "r-7"}, "regimen": "1000mcg im every 3mo"}
    result = run("check", "-", *AS_OF, "--format", "json", stdin=json.dumps(regimen))
    assert result.json()["ref"] == "r-7"
    again = run("check", "-", *AS_OF, "--format", "json", "--ref", "r-8", stdin=json.dumps(regimen))
    assert again.json()["ref"] == "r-8"
    table = run("check", "-", *AS_OF, stdin=json.dumps(regimen)).out
    assert "ref r-7" in table


def test_csv_ndjson_table_fhir_and_handout_carry_it() -> None:
    """The last csv column, an ndjson field, the table's header, the FHIR subject's identifier,
    and a line of the handout."""
    args = (*AS_OF, "--ref", "clinic-0042")
    rows = list(csv.DictReader(io.StringIO(run_patient(PATIENT, *args, "--format", "csv").out)))
    assert {row["ref"] for row in rows} == {"clinic-0042"}
    assert list(rows[0])[-1] == "ref"
    lines = run_patient(PATIENT, *args, "--format", "ndjson").out.splitlines()
    assert {json.loads(line)["ref"] for line in lines} == {"clinic-0042"}
    assert "ref clinic-0042" in run_patient(PATIENT, *args).out
    fhir = run_patient(PATIENT, *args, "--format", "fhir").json()
    assert fhir["subject"]["identifier"] == {"value": "clinic-0042"}
    plain = run_patient(PATIENT, *AS_OF, "--format", "fhir").json()
    assert "identifier" not in plain["subject"]
    html = run_patient(PATIENT, *args, "--format", "html").out
    assert "Practice reference: clinic-0042" in html


def _uids(*args: str) -> set[str]:
    text = run_patient(PATIENT, *AS_OF, *args, "--format", "ics").out
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


def test_two_patients_alike_but_for_ref_never_share_a_uid() -> None:
    """The ref is part of the course hash, so two patients' calendars cannot collide; without a
    ref the UIDs are those of a calendar made before ref existed."""
    first, second, none = _uids("--ref", "A"), _uids("--ref", "B"), _uids()
    assert not first & second
    assert not first & none
    # Without ref: the hash of the seven course inputs, as before ref existed.
    inputs = {
        "start": "2026-12-10",
        "cause": "autoimmune-gastritis",
        "dob": None,
        "sex": None,
        "product": "hydroxocobalamin",
        "route": "im",
        "protocol": "uk-bnf-hydroxo-nonneuro",
    }
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()
    assert {uid.split("-")[0] for uid in none} == {hashlib.sha256(canonical).hexdigest()[:24]}


@pytest.mark.parametrize(
    ("ref", "wanted"),
    [
        ("", "ref: is empty; a ref is 1–64 printable characters"),
        ("x" * 65, "ref: is 65 characters long; a ref is 1–64 printable characters"),
        ("a\x1bb", "ref: holds a control character (\\x1b) at position 2"),
        ("tab\there", "ref: holds a control character (\\t) at position 4"),
        ("new\nline", "ref: holds a control character (\\n) at position 4"),
    ],
)
def test_a_bad_ref_is_exit_2_naming_the_field(ref: str, wanted: str) -> None:
    """An empty, too long or control-character ref is refused (never cleaned): one line naming
    `ref`, exit 2, nothing on stdout."""
    result = run_patient({**PATIENT, "ref": ref}, *AS_OF)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"b12plan: error: {wanted}")
    assert len(result.err.splitlines()) == 1


def test_a_ref_that_is_not_a_string_is_exit_2() -> None:
    """A number is not a ref: one line naming the field."""
    result = run_patient({**PATIENT, "ref": 42}, *AS_OF, "--format", "json")
    assert result.code == 2
    error = json.loads(result.err)["error"]["errors"]
    assert error == [{"loc": ["ref"], "msg": "must be a string of 1–64 printable characters"}]
