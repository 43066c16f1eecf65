"""`b12plan schema NAME`: JSON Schemas from the models, committed under `schemas/` and kept current.

When a model changes, the committed schema is regenerated on purpose, with the other modules made
from the models (`python tools/generate.py`), and the diff reviewed.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
from jsonschema import Draft202012Validator

from b12plan.cli import cli
from b12plan.contract.json_schema import SCHEMAS, schema_json
from tests.conftest import EXAMPLES, ROOT, run

COMMITTED = ROOT / "schemas"
NAMES = sorted(SCHEMAS)


def _committed(name: str) -> Path:
    return COMMITTED / f"{name}.schema.json"


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads(_committed(name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _jsonable(value: Any) -> Any:
    """A TOML document as its JSON twin: native dates become YYYY-MM-DD strings."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def _load(path: Path) -> Any:
    if path.suffix == ".toml":
        return _jsonable(tomllib.loads(path.read_text(encoding="utf-8")))
    return json.loads(path.read_text(encoding="utf-8"))


def test_registry_holds_the_contracts_documents() -> None:
    """The registry names the five documents of the contract, and the CLI offers exactly those."""
    assert set(SCHEMAS) == {"patient", "plan", "regimen", "check", "worklist"}
    argument = cli.commands["schema"].params[0]
    assert isinstance(argument.type, click.Choice)
    assert list(argument.type.choices) == list(SCHEMAS)


@pytest.mark.parametrize("name", NAMES)
def test_committed_schema_is_current(name: str) -> None:
    """The committed schema is byte for byte what the models generate now."""
    text = schema_json(name)
    assert _committed(name).read_text(encoding="utf-8") == text, (
        f"the models changed: regenerate schemas/{name}.schema.json with "
        "`python tools/generate.py` and review the diff"
    )


@pytest.mark.parametrize("name", NAMES)
def test_cli_prints_the_committed_schema(name: str, tmp_path: Path) -> None:
    """`b12plan schema NAME` prints it, and `-o FILE` writes the same bytes."""
    result = run("schema", name)
    assert result.code == 0, result.err
    assert result.out == _committed(name).read_text(encoding="utf-8")
    target = tmp_path / f"{name}.schema.json"
    assert run("schema", name, "-o", str(target)).code == 0
    assert target.read_text(encoding="utf-8") == result.out


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_a_valid_2020_12_schema_with_id_and_title(name: str) -> None:
    """Each schema passes the 2020-12 meta-schema and names itself."""
    schema = json.loads(_committed(name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert list(schema)[:3] == ["$schema", "$id", "title"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:b12plan:schema:1:{name}"
    assert schema["title"].startswith(f"b12plan {name} document")


def test_unknown_schema_name_is_a_usage_error() -> None:
    """A name outside the registry exits 2 with one line listing the choices."""
    result = run("schema", "protocol")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "'patient', 'plan', 'regimen', 'check'" in result.err


PATIENTS = sorted(
    p
    for p in EXAMPLES.glob("patient-*")
    if p.suffix in (".json", ".toml") and ".plan" not in p.name
)
REGIMENS = sorted(
    p
    for p in EXAMPLES.glob("regimen-*")
    if p.suffix in (".json", ".toml") and ".check" not in p.name
)


@pytest.mark.parametrize("path", PATIENTS, ids=[p.name for p in PATIENTS])
def test_example_patients_are_valid_patient_documents(path: Path) -> None:
    """Example patients, string labs and date-only given doses included, match the schema."""
    _validator("patient").validate(_load(path))


def test_patient_schema_accepts_both_forms_of_labs_and_given_doses() -> None:
    """A lab may be an object or 'b12=150 ng/L@date'; a given dose a date or an object."""
    document = {
        "start": "2025-03-03",
        "cause": "pernicious-anaemia",
        "labs": [
            "b12=150 ng/L@2025-02-24",
            {"analyte": "hb", "value": 112, "unit": "g/L", "date": "2025-02-24"},
        ],
        "given": ["2025-03-03", {"date": "2025-03-05", "dose_mcg": 1000, "site": "left deltoid"}],
    }
    _validator("patient").validate(document)


def test_patient_schema_rejects_what_the_model_rejects_outright() -> None:
    """Unknown fields, a missing cause, a bad sex and a lab without a date fail the schema too."""
    validator = _validator("patient")
    base = {"start": "2025-03-03", "cause": "dietary"}
    for bad in (
        {**base, "colour": "blue"},
        {"start": "2025-03-03"},
        {**base, "sex": "other"},
        {**base, "labs": ["b12=150 ng/L"]},
        {**base, "given": [{"dose_mcg": 1000}]},
    ):
        assert not validator.is_valid(bad), bad


@pytest.mark.parametrize("path", PATIENTS, ids=[p.name for p in PATIENTS])
def test_golden_plans_are_valid_plan_documents(path: Path) -> None:
    """Every golden plan, and the same plan with --explain traces, matches the plan schema."""
    golden = path.with_name(path.stem + ".plan.json")
    plan = json.loads(golden.read_text(encoding="utf-8"))
    _validator("plan").validate(plan)
    explained = run(
        "schedule", str(path), "--as-of", plan["as_of"], "--format", "json", "--explain"
    )
    _validator("plan").validate(explained.json())


def test_blocked_and_adjusted_plans_are_valid_plan_documents() -> None:
    """A blocked plan (no doses, no maintenance) and one with an interval change (`from`) match."""
    blocked = ("--start", "2026-12-01", "--cause", "dietary", "--route", "iv")
    result = run("schedule", *blocked, "--format", "json")
    assert result.code == 1
    assert result.json()["doses"] == []
    _validator("plan").validate(result.json())
    late = json.loads((EXAMPLES / "patient-history-late-dose.plan.json").read_text("utf-8"))
    assert late["adjustments"][0]["from"] == "3mo"
    assert not _validator("plan").is_valid({**late, "adjustments": [{"from_": "3mo"}]})


@pytest.mark.parametrize("path", REGIMENS, ids=[p.name for p in REGIMENS])
def test_example_regimens_and_check_goldens_are_valid(path: Path) -> None:
    """Example regimens match the regimen schema and their golden reports the check schema."""
    _validator("regimen").validate(_load(path))
    report = json.loads(path.with_name(path.stem + ".check.json").read_text(encoding="utf-8"))
    _validator("check").validate(report)
