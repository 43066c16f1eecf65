"""Terminal output at widths 60, 80, 100 and 160 against goldens, and at many widths: nothing
wider than the terminal, and no date, number, unit or code split across lines.

Goldens (tests/golden/) were reviewed by eye when written. To regenerate on purpose after a
reviewed change: `UPDATE_GOLDEN=1 python -m pytest tests/test_table_widths.py`, then read the
diff before committing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run

GOLDEN = Path(__file__).parent / "golden"
DATA = Path(__file__).parent / "data"
WIDTHS = (60, 80, 100, 160)
HISTORY = str(EXAMPLES / "patient-history-late-dose.json")
COMMANDS: dict[str, tuple[str, ...]] = {
    # Three and a half years of a history with a late dose, a site and a shortened interval.
    "plan-3y": ("schedule", HISTORY, "--as-of", "2026-11-24", "--until", "2029-11-30"),
    "plan-upcoming-explain": (
        "schedule",
        HISTORY,
        "--as-of",
        "2026-11-24",
        "--upcoming",
        "--explain",
    ),
    # Weekday clinic with Christmas and English holidays; doses moved off Saturdays, one missed.
    "plan-clinic": ("schedule", str(DATA / "patient-clinic-missed.json"), "--as-of", "2026-12-10"),
    "check": ("check", str(EXAMPLES / "regimen-underdosed.json"), "--as-of", "2026-11-24"),
    "protocols": ("protocols",),
}
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
# A number at the end of a line whose unit starts the next one.
_SPLIT_UNIT = re.compile(
    r"\b\d+(?:\.\d+)?\n\s*(?:mcg|mL|ng/L|pmol/L|g/L|g/dL|fL|µmol/L|days?|mo\b)"
)


def _lines(*args: str) -> list[str]:
    result = run(*args)
    assert result.code in (0, 1), result.err
    return result.out.splitlines()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_golden(monkeypatch: pytest.MonkeyPatch, name: str, width: int) -> None:
    """The output at this width is the reviewed golden, byte for byte, and fits the width."""
    monkeypatch.setenv("COLUMNS", str(width))
    out = run(*COMMANDS[name]).out
    golden = GOLDEN / f"{name}.{width}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")
    assert max(len(line) for line in out.splitlines()) <= width


def _plan_tokens(patient: Path, as_of: str) -> set[str]:
    """What must be whole on a line: dates, doses, volumes, lab values, codes, sources."""
    result = run("schedule", str(patient), "--as-of", as_of, "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    tokens = {f["code"] for f in doc["findings"]} | {f["source"] for f in doc["findings"]}
    for dose in doc["doses"]:
        tokens |= {dose["date"], f"{dose['dose_mcg']:g} mcg", f"{dose['volume_ml']:.2f} mL"}
    for item in doc["follow_up"] + doc["adjustments"]:
        tokens.add(item["date"])
    for lab in doc["labs"]:
        tokens |= {lab["date"], f"{lab['value']:g} {lab['unit']}"}
        if lab.get("converted"):
            tokens.add(f"{lab['converted']['value']:g} {lab['converted']['unit']}")
    return tokens


def _as_of(patient: Path) -> str:
    golden = patient.with_name(patient.name.split(".")[0] + ".plan.json")
    as_of: str = json.loads(golden.read_text(encoding="utf-8"))["as_of"]
    return as_of


@pytest.mark.parametrize("width", [40, 47, 60, 73, 80, 91, 100, 133, 200])
@pytest.mark.parametrize("patient", PATIENTS, ids=[p.name for p in PATIENTS])
def test_plans_never_split_a_token(
    monkeypatch: pytest.MonkeyPatch, patient: Path, width: int
) -> None:
    """Every example's dates, doses, volumes, lab values and codes are whole on a line, each
    dose is a row of its own, and from 60 columns nothing is wider than the terminal."""
    as_of = _as_of(patient)
    tokens = _plan_tokens(patient, as_of)
    monkeypatch.setenv("COLUMNS", str(width))
    lines = _lines("schedule", str(patient), "--as-of", as_of, "--explain")
    for token in tokens:
        assert any(token in line for line in lines), (token, width)
    assert not _SPLIT_UNIT.search("\n".join(lines))
    if width >= 60:
        assert max(len(line) for line in lines) <= width


@pytest.mark.parametrize("width", [40, 53, 60, 80, 100, 160])
@pytest.mark.parametrize("regimen", REGIMENS, ids=[p.name for p in REGIMENS])
def test_check_reports_never_split_a_token(
    monkeypatch: pytest.MonkeyPatch, regimen: Path, width: int
) -> None:
    """Each check report keeps its codes, sources and proposed steps' volumes whole."""
    report = json.loads(run("check", str(regimen), "--as-of", "2026-11-24", "--format", "json").out)
    monkeypatch.setenv("COLUMNS", str(width))
    lines = _lines("check", str(regimen), "--as-of", "2026-11-24")
    tokens = {f["code"] for f in report["findings"]} | {f["source"] for f in report["findings"]}
    tokens |= {f"{s['volume_ml']:.2f} mL" for s in report["proposed"]["steps"]}
    for token in tokens:
        assert any(token in line for line in lines), (token, width)
    assert not _SPLIT_UNIT.search("\n".join(lines))
    if width >= 60:
        assert max(len(line) for line in lines) <= width
