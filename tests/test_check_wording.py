"""`b12plan check --regimen` on prescribers' wording: what was read is compared with the
protocol as a compact regimen always was, through the real CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest

import b12plan
from tests.conftest import run

PATIENT = ("--start", "2026-12-01", "--cause", "pernicious-anaemia", "--dob", "1961-07-09")
AS_OF = ("--as-of", "2026-11-24")


def check(text: str, *args: str) -> Any:
    """`check --regimen TEXT --format json` for the patient above (and `args`)."""
    return run("check", "--regimen", text, *PATIENT, *AS_OF, "--format", "json", *args)


def report(text: str, *args: str) -> dict[str, Any]:
    """The check document; fails unless the exit code is 0 or 1."""
    result = check(text, *args)
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = result.json()
    return data


def regimen_rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(code, step, expected, proposed) of each finding about the regimen."""
    return [
        (f["code"], f["step"], f["expected"], f["proposed"])
        for f in data["findings"]
        if f["kind"] == "regimen"
    ]


def test_three_times_a_week_for_two_weeks_is_the_protocols_six_doses() -> None:
    """3 times a week for 2 weeks is uk-bnf-hydroxo-nonneuro's 6-dose pattern (gaps 2,2,3):
    no difference, exit 0, and the proposed step says what was read."""
    text = "Hydroxocobalamin 1mg IM 3 times a week for 2 weeks then 1mg IM every 3 months"
    result = check(text)
    assert result.code == 0, result.out
    data = result.json()
    assert data["protocol"]["id"] == "uk-bnf-hydroxo-nonneuro"
    assert regimen_rows(data) == []
    assert [(s["every"], s["count"], s["text"]) for s in data["proposed"]["steps"]] == [
        ("2d", 6, "1000mcg im 3 times a week x6"),
        ("3mo", None, "1000mcg im every 3mo"),
    ]
    conventions = " ".join(data["protocol"]["conventions"])
    assert "the longer gaps last (3 a week: 2, 2, 3 days)" in conventions
    assert "3 times a week for 2 weeks: 6" in conventions


def test_twice_a_week_is_judged_dose_by_dose_on_its_gaps() -> None:
    """Twice a week comes at gaps of 3 and 4 days: the doses after a 4-day gap are outside
    the protocol's 2-3 days; the count (6) is the protocol's."""
    data = report("hydroxocobalamin 1mg IM twice weekly for 3 weeks then 3-monthly")
    assert regimen_rows(data) == [("REPLETION_SPACING", 1, "2–3 days", "4 days")]
    assert "doses 3 and 5 come every 4 days" in data["findings"][0]["message"]


def test_until_no_further_improvement_is_the_open_neurological_course() -> None:
    """ "Alternate days until no further improvement, then every 2 months" is the neuro
    protocol's own course: no difference."""
    text = "B12 1mg IM alternate days until no further improvement, then every 2 months"
    data = report(text, "--neuro")
    assert data["protocol"]["id"] == "uk-bnf-hydroxo-neuro"
    assert regimen_rows(data) == []
    assert data["proposed"]["steps"][0]["text"] == (
        "1000mcg im every 2d until no further improvement"
    )


def test_until_no_further_improvement_is_judged_over_the_protocols_doses() -> None:
    """An open course at the wrong spacing is found over the protocol's provisional doses."""
    data = report("1mg IM every 3 days until no further improvement then 2-monthly", "--neuro")
    assert regimen_rows(data)[0][:2] == ("REPLETION_SPACING", 1)
    assert "doses 2–8 come every 3 days" in data["findings"][0]["message"]


def test_an_open_course_where_the_protocol_counts_its_doses() -> None:
    """Without neurological involvement the protocol gives 6 doses: the open course is a
    count finding that says what was proposed."""
    data = report("1mg IM alt days until no further improvement then 3-monthly")
    assert ("REPLETION_COUNT", None, 6, "until no further improvement") in regimen_rows(data)


def test_an_oral_phase_is_a_finding_not_a_crash() -> None:
    """An oral regimen is reported as not an injection regimen (exit 1), and not compared."""
    result = check("cyanocobalamin 1000mcg tablet PO once daily")
    assert result.code == 1
    data = result.json()
    assert data["protocol"]["id"] == "us-cyano-1000"
    assert regimen_rows(data) == [("ORAL_NOT_INJECTION", 1, "im/sc", "oral")]
    assert data["proposed"]["steps"] == []
    assert "not an injection regimen" in data["findings"][0]["message"]
    assert any(f["kind"] == "patient" for f in data["findings"])


def test_an_oral_phase_after_injections_leaves_the_injections_compared() -> None:
    """Injections then tablets: the oral phase is a finding, the injections are compared."""
    data = report("1mg IM alt days x6 then 1000mcg PO daily")
    assert regimen_rows(data) == [
        ("ORAL_NOT_INJECTION", 2, "im", "oral"),
        ("MAINTENANCE_MISSING", None, "3mo", "none"),
    ]


def test_the_product_the_wording_names_chooses_the_protocol() -> None:
    """A product named in the wording is the regimen's product (here cyanocobalamin, so the
    automatic choice is us-cyano-1000, not a product default)."""
    data = report("Cyanocobalamin 1000 mcg IM daily for 7 days, then weekly x4, then monthly")
    assert data["protocol"]["id"] == "us-cyano-1000"
    assert data["inputs"]["product"] == "cyanocobalamin"
    assert regimen_rows(data) == []


@pytest.mark.parametrize(
    "args",
    [("--product", "hydroxocobalamin"), ("--protocol", "uk-bnf-hydroxo-nonneuro", "--product",
                                        "hydroxocobalamin")],
)  # fmt: skip
def test_a_product_that_disagrees_with_the_wording_is_refused(args: tuple[str, ...]) -> None:
    """Wording naming cyanocobalamin for a regimen said to be hydroxocobalamin: which one is
    proposed decides the protocol, so it is refused (exit 2), not guessed."""
    result = run("check", "--regimen", "cyanocobalamin 1mg IM monthly", *PATIENT, *AS_OF, *args)
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "the wording names cyanocobalamin, but the product given is hydroxocobalamin" in (
        result.err
    )


def test_the_regimen_documents_product_must_agree_too() -> None:
    """The regimen document's own `product` is held to the wording the same way."""
    document = {
        "patient": {"start": "2026-12-01", "cause": "dietary"},
        "product": "hydroxocobalamin",
        "regimen": "Cytamen 1mg IM monthly",
    }
    result = run("check", "-", *AS_OF, stdin=json.dumps(document))
    assert result.code == 2
    assert "regimen: the wording names cyanocobalamin" in result.err


def test_a_duration_of_no_whole_count_asks_for_the_count() -> None:
    """Weekly for 1 month is 4 or 5 doses by the month: exit 2 asking for xN, not a guess."""
    result = check("1mg IM weekly for 1/12 then monthly")
    assert result.code == 2
    assert "depends on the month's length; write the count of doses instead" in result.err


def test_a_single_dose_then_maintenance() -> None:
    """A stat dose is one repletion dose, written `once`."""
    data = report("1mg IM stat then 1mg IM every 3 months")
    assert data["proposed"]["steps"][0]["text"] == "1000mcg im once"
    assert data["proposed"]["steps"][0]["every"] is None
    assert ("REPLETION_COUNT", None, 6, 1) in regimen_rows(data)


def test_read_is_what_the_library_reads() -> None:
    """The check document's `read` is `b12plan.read_regimen` of the same text."""
    text = "hydroxo 1mg IM alt days x6 then 12/52"
    assert report(text)["read"] == b12plan.read_regimen(text)


def test_the_table_starts_with_the_regimen_as_read() -> None:
    """The table's first lines are the regimen as read, a step a line in plain words."""
    text = "Hydroxocobalamin 1mg IM 3 times a week for 2 weeks then 1mg IM every 3 months"
    result = run("check", "--regimen", text, *PATIENT, *AS_OF)
    assert result.code == 0
    assert result.out.splitlines()[:4] == [
        "Read as (hydroxocobalamin):",
        "  1 mg IM 3 times a week for 2 weeks (6 doses), then",
        "  1 mg IM every 3 months",
        "",
    ]


def test_steps_given_as_a_list_have_no_reading() -> None:
    """A regimen given as steps was not read from wording: `read` is null, no such lines."""
    document = {
        "patient": {"start": "2026-12-01", "cause": "dietary"},
        "steps": [
            {"dose_mcg": 1000, "every": "2d", "count": 6},
            {"dose_mcg": 1000, "every": "6mo"},
        ],
    }
    result = run("check", "-", *AS_OF, stdin=json.dumps(document))
    assert not result.out.startswith("Read as")
    as_json = run("check", "-", *AS_OF, "--format", "json", stdin=json.dumps(document))
    assert as_json.json()["read"] is None
