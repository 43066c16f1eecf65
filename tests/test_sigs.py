"""The prescribers' wordings of shared/cases/sigs.json, each through `b12plan check --regimen`
as the contract says: what was read (`read`) is what the case means, or the wording is refused
with one line (exit 2) saying why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED, run

PATIENT = ("--start", "2026-12-01", "--cause", "autoimmune-gastritis", "--as-of", "2026-11-24")
UNITS = {"day": "d", "week": "w", "month": "mo"}


def _load() -> list[dict[str, Any]]:
    """The shared cases when present (they may grow), else the committed snapshot."""
    shared = SHARED / "cases" / "sigs.json"
    path = shared if shared.exists() else ROOT / "tests" / "data" / "sigs_cases.json"
    cases: list[dict[str, Any]] = json.loads(Path(path).read_text(encoding="utf-8"))["cases"]
    return cases


CASES = _load()


def _interval(value: dict[str, Any] | None) -> str | None:
    return None if value is None else f"{value['n']}{UNITS[value['unit']]}"


def expected_read(case: dict[str, Any]) -> dict[str, Any]:
    """The case's phases as the check document's `read` writes them (Nd/Nw/Nmo, lower-case
    routes, `no-further-improvement`)."""
    expect = case["expect"]
    return {
        "text": case["text"],
        "product": expect["drug"],
        "steps": [
            {
                "dose_mcg": phase["dose_mcg"],
                "route": None if phase["route"] is None else phase["route"].lower(),
                "every": _interval(phase["every"]),
                "times_per_week": phase["times_per_week"],
                "count": phase["count"],
                "for": _interval(phase["for"]),
                "until": None if phase["until"] is None else phase["until"].replace("_", "-"),
            }
            for phase in expect["phases"]
        ],
    }


def test_the_sample_is_all_there() -> None:
    """All 25 wordings of the sample are run (the shared file may grow, never shrink)."""
    assert len(CASES) >= 25
    assert sum("error" in c["expect"] for c in CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_sig_through_the_cli(case: dict[str, Any]) -> None:
    """`check --regimen TEXT --format json` reads the wording as the case means it, or refuses
    it with exit 2 and one line that says why."""
    result = run("check", "--regimen", case["text"], *PATIENT, "--format", "json")
    if "error" in case["expect"]:
        assert result.code == 2, result.out[:300]
        assert result.out == ""
        error = json.loads(result.err)["error"]
        assert len(error["errors"]) == 1
        assert error["errors"][0]["loc"] == ["regimen"]
        assert case["expect"]["error"] in error["message"]
        assert "\n" not in error["message"]
        return
    assert result.code in (0, 1), result.err
    assert result.json()["read"] == expected_read(case)


@pytest.mark.parametrize("case", [c for c in CASES if "error" in c["expect"]], ids=str)
def test_a_refused_sig_is_one_line_on_a_terminal(case: dict[str, Any]) -> None:
    """Without --format json the refusal is one `b12plan: error: regimen: ...` line."""
    result = run("check", "--regimen", case["text"], *PATIENT)
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert result.err.startswith("b12plan: error: regimen: ")
    assert case["expect"]["error"] in result.err
