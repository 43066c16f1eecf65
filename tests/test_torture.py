"""What a held-out torture run still found (issue 22): a dose of 1e-300 mcg, and an unknown key
of 500 KB echoed whole in the error line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import b12plan
from tests.conftest import ROOT, run

PATIENT = {"start": "2026-12-01", "cause": "dietary"}
TINY = [1e-300, 0.5, 0.999, 0]


@pytest.mark.parametrize("dose", TINY)
def test_a_given_dose_is_at_least_1_mcg(dose: float) -> None:
    """A given dose below 1 mcg is refused, naming the field and the bound."""
    patient = {**PATIENT, "given": [{"date": "2026-12-01", "dose_mcg": dose}]}
    result = run("schedule", "-", "--as-of", "2026-12-02", stdin=json.dumps(patient))
    assert result.code == 2
    assert result.err.startswith("b12plan: error: given[0].dose_mcg: ")
    assert "at least 1 mcg" in result.err or "greater than 0" in result.err


def test_a_dose_of_1_mcg_is_accepted() -> None:
    """1 mcg is the smallest dose b12plan reads (a plausible oral or paediatric amount)."""
    patient = {**PATIENT, "given": [{"date": "2026-12-01", "dose_mcg": 1}]}
    result = run("schedule", "-", "--as-of", "2026-12-02", stdin=json.dumps(patient))
    assert result.code == 0, result.err


@pytest.mark.parametrize("dose", [1e-300, 0.5])
def test_a_regimen_step_dose_is_at_least_1_mcg(dose: float) -> None:
    """A structured regimen step below 1 mcg is refused."""
    regimen = {"patient": PATIENT, "steps": [{"dose_mcg": dose, "every": "3mo"}]}
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.check(regimen, as_of="2026-11-24")
    assert "at least 1 mcg" in str(caught.value)
    assert caught.value.errors[0][0] == ("steps", 0, "dose_mcg")


@pytest.mark.parametrize(
    "text", ["0.5mcg im every 3mo", "0.9mcg im every 3mo", "0.0005mg sc every 1mo"]
)
def test_a_regimen_text_dose_is_at_least_1_mcg(text: str) -> None:
    """The regimen grammar refuses a dose below 1 mcg, naming the step and the bound."""
    result = run("check", "--regimen", text, "--start", "2026-12-01", "--cause", "dietary")
    assert result.code == 2
    assert "at least 1 mcg" in result.err
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize("dose", ["0", "0.5", "1e-300"])
def test_a_protocol_file_dose_is_at_least_1_mcg(dose: str, tmp_path: Path) -> None:
    """A custom protocol whose dose is below 1 mcg is refused by `protocols --validate`."""
    text = (ROOT / "src/b12plan/protocols/uk-bnf-hydroxo-nonneuro.toml").read_text(encoding="utf-8")
    text = text.replace('id = "uk-bnf-hydroxo-nonneuro"', 'id = "clinic-tiny"')
    assert "dose_mcg = 1000" in text
    path = tmp_path / "tiny.toml"
    path.write_text(text.replace("dose_mcg = 1000", f"dose_mcg = {dose}", 1), encoding="utf-8")
    result = run("protocols", "--validate", str(path))
    assert result.code == 2
    assert "dose_mcg" in result.err


def test_the_minimum_dose_is_one_constant() -> None:
    """The grammar, the validators and the docs share one minimum, 1 mcg."""
    from b12plan.contract.vocab import MIN_DOSE_MCG

    assert MIN_DOSE_MCG == 1
    patients = (ROOT / "docs" / "guide" / "patients.md").read_text(encoding="utf-8")
    assert "at least 1 mcg" in patients


HUGE = "k" * 500_000


@pytest.mark.parametrize(
    "document",
    [
        {**PATIENT, HUGE: 1},
        {**PATIENT, "conditions": {HUGE: True}},
        {
            **PATIENT,
            "labs": [
                {"analyte": "b12", "value": 150, "unit": "ng/L", "date": "2026-11-20", HUGE: 1}
            ],
        },
        {**PATIENT, "clinic": {("a b " * 100_000): 1}},
    ],
    ids=["top", "conditions", "lab", "spaced"],
)
def test_a_huge_unknown_key_is_quoted_short(document: dict[str, object]) -> None:
    """An unknown key of 500 KB is named through the quoting helper: one short line, its size
    said, in the text error and the JSON one alike."""
    result = run("schedule", "-", "--as-of", "2026-11-24", stdin=json.dumps(document))
    assert result.code == 2
    assert len(result.err) < 400, result.err[:400]
    assert "characters)" in result.err
    assert "unknown field" in result.err
    as_json = run(
        "schedule", "-", "--as-of", "2026-11-24", "--format", "json", stdin=json.dumps(document)
    )
    assert len(as_json.err) < 1000


def test_a_huge_key_in_a_regimen_and_a_protocol_file(tmp_path: Path) -> None:
    """The same in a regimen document and a custom protocol file."""
    regimen = {"patient": PATIENT, "regimen": "1000mcg im every 3mo", HUGE: 1}
    result = run("check", "-", "--as-of", "2026-11-24", stdin=json.dumps(regimen))
    assert result.code == 2
    assert len(result.err) < 400, result.err[:400]
    text = (ROOT / "src/b12plan/protocols/uk-bnf-hydroxo-nonneuro.toml").read_text(encoding="utf-8")
    text = text.replace('id = "uk-bnf-hydroxo-nonneuro"', 'id = "clinic-huge"')
    path = tmp_path / "huge.toml"
    path.write_text(text + f'\n"{"k" * 50_000}" = 1\n', encoding="utf-8")
    result = run("protocols", "--validate", str(path))
    assert result.code == 2
    assert len(result.err) < 400, result.err[:400]


def test_plain_keys_are_written_as_they_are() -> None:
    """An ordinary field path is written bare, as before: `labs[0].unit`."""
    from b12plan.errors import problem_line

    assert problem_line(("labs", 0, "unit"), "x") == "labs[0].unit: x"
    assert problem_line(("conditions", "cobalt_allergy"), "x") == "conditions.cobalt_allergy: x"
    assert problem_line(("clinic", "a b"), "x") == "clinic.'a b': x"
