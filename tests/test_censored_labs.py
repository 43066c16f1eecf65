"""Labs as reports print them: censored values (`<50`, `>90`, `<=`, `>=`, `≤`, `≥`), an INR
without a unit, a unit without a space, eGFR in mL/min (contract and clinical rules, 2026-12-07).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b12plan.contract import units
from tests.conftest import run_patient

AS_OF = ("--as-of", "2026-12-05")
BASE: dict[str, Any] = {"start": "2026-12-10", "cause": "autoimmune-gastritis"}


def _plan(*labs: Any, patient: dict[str, Any] = BASE) -> dict[str, Any]:
    result = run_patient({**patient, "labs": list(labs)}, *AS_OF, "--format", "json")
    assert result.code == 0, result.err
    return result.json()


def _lab(*labs: Any) -> dict[str, Any]:
    return _plan(*labs)["labs"][0]


@pytest.mark.parametrize(
    ("text", "comparator", "value", "classification"),
    [
        ("b12=<50 ng/L@2026-12-01", "<", 50, "low"),
        ("b12=<200 ng/L@2026-12-01", "<", 200, "low"),
        ("b12=>150 ng/L@2026-12-01", ">", 150, "low"),
        ("b12=>400 ng/L@2026-12-01", ">", 400, "normal"),
        ("b12=>=350 ng/L@2026-12-01", ">=", 350, "indeterminate"),
        ("b12=>350 ng/L@2026-12-01", ">", 350, "normal"),
        ("b12=≤100 pmol/L@2026-12-01", "<=", 100, "low"),
        ("active-b12=≥128 pmol/L@2026-12-01", ">=", 128, "normal"),
        ("mma=<0.2 umol/L@2026-12-01", "<", 0.2, "normal"),
        ("mma=<0.6 umol/L@2026-12-01", "<", 0.6, "high"),
        ("folate=>20 ug/L@2026-12-01", ">", 20, "normal"),
        ("folate=<4 ug/L@2026-12-01", "<", 4, "low"),
        ("egfr=>90 mL/min/1.73m2@2026-12-01", ">", 90, "unclassified"),
        ("inr=>4@2026-12-01", ">", 4, "high"),
    ],
)
def test_a_censored_result_reads_as_the_band_nearer_deficiency(
    text: str, comparator: str, value: float, classification: str
) -> None:
    """Its bound is the value, the comparator is kept in `labs[]`, and where the bound does not
    settle the band it reads as the one nearer deficiency (or risk) it could be in."""
    lab = _lab(text)
    assert (lab["comparator"], lab["value"], lab["classification"]) == (
        comparator,
        value,
        classification,
    )


def test_a_censored_b12_settles_the_diagnosis_findings() -> None:
    """B12 '<200 ng/L' reads as low: no INDETERMINATE_B12, no DEFICIENCY_UNLIKELY; the
    convention is named and the table shows the comparator."""
    plan = _plan("b12=<200 ng/L@2026-12-01")
    found = {f["code"] for f in plan["findings"]}
    assert not {"INDETERMINATE_B12", "DEFICIENCY_UNLIKELY"} & found
    assert any(c.startswith("A censored result") for c in plan["protocol"]["conventions"])
    table = run_patient({**BASE, "labs": ["b12=<200 ng/L@2026-12-01"]}, *AS_OF).out
    assert "<200 ng/L" in table
    assert "<147.6 pmol/L" in table
    assert not any(c.startswith("A censored result") for c in _plan()["protocol"]["conventions"])


def test_egfr_above_90_is_not_renal_impairment_and_below_40_could_be() -> None:
    """eGFR '>90' is 30 or more: no RENAL_MARKERS; '<40' could be below 30 and reads so."""
    assert "RENAL_MARKERS" not in {
        f["code"] for f in _plan("egfr=>90 mL/min@2026-12-01")["findings"]
    }
    low = _plan("egfr=<40 mL/min/1.73m2@2026-12-01")
    (renal,) = [f for f in low["findings"] if f["code"] == "RENAL_MARKERS"]
    assert "egfr <40 mL/min/1.73m2" in renal["message"]


def test_the_object_form_takes_a_string_value() -> None:
    """`"value": "<50"` is read as the string form is; `comparator` may also be given alone."""
    lab = {"analyte": "b12", "value": "<50", "unit": "ng/L", "date": "2026-12-01"}
    assert _lab(lab)["comparator"] == "<"
    both = {**lab, "value": 50, "comparator": "≤"}
    assert _lab(both)["comparator"] == "<="


def test_an_inr_needs_no_unit_and_a_unit_needs_no_space() -> None:
    """`inr=3.4` is a ratio; `b12=150ng/L` is 150 ng/L; eGFR in mL/min is per 1.73 m²."""
    assert (_lab("inr=3.4@2026-12-01")["unit"], _lab("inr=3.4@2026-12-01")["value"]) == (
        "ratio",
        3.4,
    )
    inr = {"analyte": "inr", "value": 3.4, "date": "2026-12-01"}
    assert _lab(inr)["unit"] == "ratio"
    b12 = _lab("b12=150ng/L@2026-12-01")
    assert (b12["value"], b12["unit"], b12["comparator"]) == (150, "ng/L", None)
    assert _lab("egfr=45ml/min@2026-12-01")["unit"] == "mL/min/1.73m2"
    assert _lab("b12=<50ng/L@2026-12-01")["comparator"] == "<"


@pytest.mark.parametrize(
    ("lab", "wanted"),
    [
        (
            "b12=< ng/L@2026-12-01",
            "labs[0]: lab 'b12=< ng/L@2026-12-01': the comparator '<' needs a number after it",
        ),
        ("b12=<abc ng/L@2026-12-01", "labs[0]: lab 'b12=<abc ng/L@2026-12-01': the comparator"),
        (
            {"analyte": "b12", "value": "<", "unit": "ng/L", "date": "2026-12-01"},
            "labs[0].value: '<': a comparator needs a number after it",
        ),
        (
            {"analyte": "b12", "value": "150", "unit": "ng/L", "date": "2026-12-01"},
            "labs[0].value: must be a number, or a censored value",
        ),
        (
            {
                "analyte": "b12",
                "value": "<50",
                "comparator": ">",
                "unit": "ng/L",
                "date": "2026-12-01",
            },
            "labs[0]: value '<50' and comparator '>' disagree",
        ),
        (
            {
                "analyte": "b12",
                "value": 50,
                "comparator": "~",
                "unit": "ng/L",
                "date": "2026-12-01",
            },
            "labs[0].comparator: must be one of <, >, <=, >=",
        ),
        ("b12=150@2026-12-01", "labs[0].unit: a unit is required for b12"),
    ],
)
def test_a_bad_censored_value_is_exit_2_naming_the_field(lab: Any, wanted: str) -> None:
    """A comparator without a number, a plain number as a string, comparators that disagree, an
    unknown comparator, a unit missing (but for INR): one line naming the field, exit 2."""
    result = run_patient({**BASE, "labs": [lab]}, *AS_OF)
    assert result.code == 2, result.out
    assert result.out == ""
    assert result.err.startswith(f"b12plan: error: {wanted}"), result.err
    assert len(result.err.splitlines()) == 1


ORDER = ("severely-low", "low", "indeterminate", "normal", "unclassified", "high")
RISK_HIGH = {"mma", "homocysteine", "mcv", "inr"}
CENSORABLE = {
    "b12": ("ng/L", 20, 5000),
    "active-b12": ("pmol/L", 1, 400),
    "mma": ("µmol/L", Decimal("0.03"), 100),
    "homocysteine": ("µmol/L", 2, 500),
    "hb": ("g/L", 30, 250),
    "mcv": ("fL", 50, 150),
    "folate": ("µg/L", Decimal("0.5"), 50),
    "potassium": ("mmol/L", Decimal("1.5"), 9),
    "egfr": ("mL/min/1.73m2", 2, 200),
    "platelets": ("10^9/L", 1, 2000),
    "inr": ("ratio", Decimal("0.5"), 15),
}


@settings(max_examples=300, deadline=None)
@given(
    analyte=st.sampled_from(sorted(CENSORABLE)),
    fraction=st.decimals(min_value=0, max_value=1, places=3),
    comparator=st.sampled_from(["<", "<=", ">", ">="]),
)
def test_a_censored_class_is_one_it_could_be_and_the_nearest_deficiency(
    analyte: str, fraction: Decimal, comparator: str
) -> None:
    """Over the plausible range, sampled finely: the class read is among the classes of the
    values the result could be, and none of those is nearer deficiency (or risk)."""
    unit, low, high = CENSORABLE[analyte]
    bound = (Decimal(low) + (Decimal(high) - Decimal(low)) * fraction).quantize(Decimal("0.01"))
    got = units.classify_censored(analyte, bound, comparator, unit, None, None, None)
    step = (Decimal(high) - Decimal(low)) / 400
    near = (bound, bound - Decimal("0.0001"), bound + Decimal("0.0001"))
    points = [*near, *(Decimal(low) / 2 + step * i for i in range(1000))]
    inside = {
        ">": lambda x: x > bound,
        ">=": lambda x: x >= bound,
        "<": lambda x: x < bound,
        "<=": lambda x: x <= bound,
    }[comparator]
    possible = {units.classify(analyte, x, unit, None, None, None) for x in points if inside(x)}
    assert got in possible
    nearest = max if analyte in RISK_HIGH else min
    assert got == nearest(possible, key=ORDER.index), (bound, possible)


def test_the_json_error_object_names_the_lab() -> None:
    """With --format json: the contract's error object, `loc` pointing at the lab's value."""
    lab = {"analyte": "b12", "value": "<", "unit": "ng/L", "date": "2026-12-01"}
    result = run_patient({**BASE, "labs": [lab]}, *AS_OF, "--format", "json")
    assert json.loads(result.err)["error"]["errors"][0]["loc"] == ["labs", 0, "value"]
