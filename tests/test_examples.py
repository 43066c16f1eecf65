"""Examples in `examples/`: each golden plan is regenerated and compared byte for byte.

Goldens were reviewed by hand when written. To regenerate on purpose after a reviewed change:
`UPDATE_GOLDEN=1 python -m pytest tests/test_examples.py`, then read the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run

PATIENTS = sorted(
    p
    for p in EXAMPLES.glob("patient-*")
    if p.suffix in (".json", ".toml") and ".plan" not in p.name
)


# Golden suffix of each other format, next to `.plan.json`.
FORMAT_GOLDENS = {
    "ndjson": ".plan.ndjson",
    "csv": ".plan.csv",
    "ics": ".plan.ics",
    "fhir": ".plan.fhir.json",
    "html": ".plan.html",
}


def _golden(patient: Path, suffix: str = ".plan.json") -> Path:
    return patient.with_name(patient.stem + suffix)


def test_there_are_at_least_five_examples() -> None:
    """The README promises five example patients, each with a golden plan."""
    assert len(PATIENTS) >= 5
    assert all(_golden(p).exists() for p in PATIENTS)
    assert all(_golden(p, suffix).exists() for p in PATIENTS for suffix in FORMAT_GOLDENS.values())


@pytest.mark.parametrize("patient", PATIENTS, ids=[p.name for p in PATIENTS])
def test_example_matches_golden(patient: Path) -> None:
    """Re-running an example with the golden's as_of gives exactly the golden bytes."""
    golden = _golden(patient)
    as_of = json.loads(golden.read_text(encoding="utf-8"))["as_of"]
    result = run("schedule", str(patient), "--as-of", as_of, "--format", "json")
    assert result.code == 0, result.err
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("patient", PATIENTS, ids=[p.name for p in PATIENTS])
def test_example_table_renders(patient: Path) -> None:
    """Every example also renders as a table ending with the disclaimer."""
    as_of = json.loads(_golden(patient).read_text(encoding="utf-8"))["as_of"]
    result = run("schedule", str(patient), "--as-of", as_of)
    assert result.code == 0, result.err
    assert "Decision support only" in result.out
    assert "\x1b[" not in result.out


@pytest.mark.parametrize("fmt", sorted(FORMAT_GOLDENS))
@pytest.mark.parametrize("patient", PATIENTS, ids=[p.name for p in PATIENTS])
def test_example_matches_golden_in_every_format(patient: Path, fmt: str) -> None:
    """ndjson, csv, ics, fhir and html renderings of each example match their goldens exactly."""
    as_of = json.loads(_golden(patient).read_text(encoding="utf-8"))["as_of"]
    result = run("schedule", str(patient), "--as-of", as_of, "--format", fmt)
    assert result.code == 0, result.err
    assert result.err == ""
    golden = _golden(patient, FORMAT_GOLDENS[fmt])
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(result.out.encode("utf-8"))
    # Bytes, not text: csv and ics goldens keep their CRLF line ends.
    assert result.out.encode("utf-8") == golden.read_bytes()


REGIMENS = sorted(
    p
    for p in EXAMPLES.glob("regimen-*")
    if p.suffix in (".json", ".toml") and ".check" not in p.name
)


def _check_golden(regimen: Path) -> Path:
    return regimen.with_name(regimen.stem + ".check.json")


def test_there_are_regimen_examples() -> None:
    """A correct regimen, an under-dosed one and a neuro patient on a 3-monthly plan."""
    names = {p.stem for p in REGIMENS}
    assert {"regimen-correct", "regimen-underdosed", "regimen-neuro-3monthly"} <= names
    assert all(_check_golden(p).exists() for p in REGIMENS)


@pytest.mark.parametrize("regimen", REGIMENS, ids=[p.name for p in REGIMENS])
def test_regimen_example_matches_golden(regimen: Path) -> None:
    """Re-checking an example regimen gives exactly the golden check document."""
    golden = _check_golden(regimen)
    data = json.loads(golden.read_text(encoding="utf-8"))
    result = run("check", str(regimen), "--as-of", data["as_of"], "--format", "json")
    assert result.code == (0 if data["verdict"] == "clean" else 1), result.err
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")


def test_regimen_examples_say_what_they_show() -> None:
    """The correct regimen is clean; the others fail with their telling finding."""
    verdicts = {p.stem: json.loads(_check_golden(p).read_text(encoding="utf-8")) for p in REGIMENS}
    assert verdicts["regimen-correct"]["verdict"] == "clean"
    underdosed = {f["code"] for f in verdicts["regimen-underdosed"]["findings"]}
    assert {"DOSE_MISMATCH", "REPLETION_COUNT", "INTERVAL_TOO_LONG"} <= underdosed
    neuro = [f["code"] for f in verdicts["regimen-neuro-3monthly"]["findings"]]
    assert "NEURO_INTERVAL" in neuro
