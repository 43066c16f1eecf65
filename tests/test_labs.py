"""Labs through the CLI: NICE-NG239 bands in both units, conversions, and every lab input error."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12plan.contract import units
from b12plan.contract.records import Lab
from b12plan.contract.vocab import Comparator
from b12plan.engine.labs import classify_labs, lab_documents
from tests.conftest import plan_for, run, run_patient
from tests.strategies import LAB_RANGES

START, LAB_DAY, AS_OF = "2025-03-03", "2025-02-24", "2025-03-01"


def patient(*labs: Any, sex: str | None = None) -> dict[str, Any]:
    """A new AIG patient with the given labs."""
    doc: dict[str, Any] = {"start": START, "cause": "autoimmune-gastritis", "labs": list(labs)}
    if sex is not None:
        doc["sex"] = sex
    return doc


def lab(analyte: str, value: float, unit: str, **refs: float) -> dict[str, Any]:
    """A lab document taken a week before the start."""
    return {"analyte": analyte, "value": value, "unit": unit, "date": LAB_DAY, **refs}


def classification(item: dict[str, Any], sex: str | None = None) -> str:
    """The classification the plan gives one lab."""
    plan = plan_for(patient(item, sex=sex), AS_OF)
    assert len(plan["labs"]) == 1
    value: str = plan["labs"][0]["classification"]
    return value


# (analyte, value, unit, classification): just below, at and just above each NICE-NG239
# boundary, compared in the unit reported; the middle band is inclusive at both ends [C].
B12_BANDS = [
    ("b12", 179.9, "ng/L", "low"),
    ("b12", 180, "ng/L", "indeterminate"),
    ("b12", 180.1, "ng/L", "indeterminate"),
    ("b12", 349.9, "ng/L", "indeterminate"),
    ("b12", 350, "ng/L", "indeterminate"),
    ("b12", 350.1, "ng/L", "normal"),
    ("b12", 179.9, "pg/mL", "low"),
    ("b12", 180, "pg/mL", "indeterminate"),
    ("b12", 350, "pg/mL", "indeterminate"),
    ("b12", 350.1, "pg/mL", "normal"),
    ("b12", 132.9, "pmol/L", "low"),
    ("b12", 133, "pmol/L", "indeterminate"),
    ("b12", 133.1, "pmol/L", "indeterminate"),
    ("b12", 257.9, "pmol/L", "indeterminate"),
    ("b12", 258, "pmol/L", "indeterminate"),
    ("b12", 258.1, "pmol/L", "normal"),
    ("active-b12", 24.9, "pmol/L", "low"),
    ("active-b12", 25, "pmol/L", "indeterminate"),
    ("active-b12", 25.1, "pmol/L", "indeterminate"),
    ("active-b12", 69.9, "pmol/L", "indeterminate"),
    ("active-b12", 70, "pmol/L", "indeterminate"),
    ("active-b12", 70.1, "pmol/L", "normal"),
]


@pytest.mark.parametrize(("analyte", "value", "unit", "want"), B12_BANDS)
def test_b12_bands(analyte: str, value: float, unit: str, want: str) -> None:
    """Total and active B12 fall in the reference's bands, in the unit reported."""
    assert classification(lab(analyte, value, unit)) == want


MARKERS = [
    # MMA: above 0.45 umol/L [C] (450 nmol/L)
    ("mma", 0.44, "µmol/L", "normal"),
    ("mma", 0.45, "µmol/L", "normal"),
    ("mma", 0.46, "µmol/L", "high"),
    ("mma", 449, "nmol/L", "normal"),
    ("mma", 450, "nmol/L", "normal"),
    ("mma", 451, "nmol/L", "high"),
    # homocysteine: above 15 umol/L (15 / 7.397 = 2.0278 mg/L)
    ("homocysteine", 14.9, "µmol/L", "normal"),
    ("homocysteine", 15, "µmol/L", "normal"),
    ("homocysteine", 15.1, "µmol/L", "high"),
    ("homocysteine", 2.02, "mg/L", "normal"),  # 14.94 umol/L
    ("homocysteine", 2.03, "mg/L", "high"),  # 15.02 umol/L
    # macrocytosis: MCV above 100 fL
    ("mcv", 99.9, "fL", "normal"),
    ("mcv", 100, "fL", "normal"),
    ("mcv", 100.1, "fL", "high"),
]


@pytest.mark.parametrize(("analyte", "value", "unit", "want"), MARKERS)
def test_marker_thresholds(analyte: str, value: float, unit: str, want: str) -> None:
    """MMA, homocysteine and MCV are high only strictly above their limits, in either unit."""
    assert classification(lab(analyte, value, unit)) == want


# (sex, value, unit, classification): anaemia below 130 g/L (male) / 120 g/L (female or
# unknown), severe below 80 g/L; g/L = g/dL x 10 = mmol/L x 16.11.
HB = [
    ("male", 129.9, "g/L", "low"),
    ("male", 130, "g/L", "normal"),
    ("male", 12.99, "g/dL", "low"),
    ("male", 13, "g/dL", "normal"),
    ("male", 8.06, "mmol/L", "low"),  # 129.85 g/L
    ("male", 8.07, "mmol/L", "normal"),  # 130.01 g/L
    ("female", 119.9, "g/L", "low"),
    ("female", 120, "g/L", "normal"),
    ("female", 11.99, "g/dL", "low"),
    ("female", 12, "g/dL", "normal"),
    ("female", 7.44, "mmol/L", "low"),  # 119.86 g/L
    ("female", 7.45, "mmol/L", "normal"),  # 120.02 g/L
    (None, 119.9, "g/L", "low"),
    (None, 120, "g/L", "normal"),
    (None, 12, "g/dL", "normal"),
    ("male", 79.9, "g/L", "severely-low"),
    ("male", 80, "g/L", "low"),
    ("female", 7.99, "g/dL", "severely-low"),
    ("female", 8, "g/dL", "low"),
    (None, 4.96, "mmol/L", "severely-low"),  # 79.91 g/L
    (None, 4.97, "mmol/L", "low"),  # 80.07 g/L
]


@pytest.mark.parametrize(("sex", "value", "unit", "want"), HB)
def test_haemoglobin_by_sex(sex: str | None, value: float, unit: str, want: str) -> None:
    """Hb thresholds depend on sex (unknown counts as female) and hold in every unit."""
    assert classification(lab("hb", value, unit), sex=sex) == want


REFS = [
    # the lab's own limits, in the unit reported, win over the defaults
    (lab("b12", 199, "ng/L", ref_low=200), "low"),
    (lab("b12", 200, "ng/L", ref_low=200), "indeterminate"),
    (lab("b12", 149, "pmol/L", ref_low=150), "low"),
    (lab("b12", 150, "pmol/L", ref_low=150), "indeterminate"),
    (lab("b12", 170, "ng/L", ref_low=160), "indeterminate"),
    (lab("b12", 901, "ng/L", ref_low=200, ref_high=900), "high"),
    (lab("active-b12", 29, "pmol/L", ref_low=30), "low"),
    (lab("mma", 0.3, "µmol/L", ref_high=0.3), "normal"),
    (lab("mma", 0.31, "µmol/L", ref_high=0.3), "high"),
    (lab("mma", 301, "nmol/L", ref_high=300), "high"),
    (lab("mma", 0.5, "µmol/L", ref_high=0.55), "normal"),
    (lab("homocysteine", 13, "µmol/L", ref_high=12), "high"),
    (lab("mcv", 99, "fL", ref_high=98), "high"),
    (lab("hb", 116, "g/L", ref_low=115), "normal"),
    (lab("hb", 114, "g/L", ref_low=115), "low"),
    (lab("hb", 11.4, "g/dL", ref_low=11.5), "low"),
]


@pytest.mark.parametrize(("item", "want"), REFS)
def test_reference_limits_win(item: dict[str, Any], want: str) -> None:
    """A lab's own ref_low/ref_high replace the default thresholds."""
    assert classification(item) == want


def test_reference_limits_are_shown() -> None:
    """The plan carries the lab's own limits beside the value."""
    plan = plan_for(patient(lab("b12", 190, "ng/L", ref_low=200, ref_high=900)), AS_OF)
    assert plan["labs"] == [
        {
            "analyte": "b12",
            "value": 190,
            "unit": "ng/L",
            "date": LAB_DAY,
            "classification": "low",
            "converted": {"value": 140.22, "unit": "pmol/L"},
            "ref_low": 200,
            "ref_high": 900,
            "baseline": True,
            "comparator": None,
        }
    ]


# Each analyte of the contract through `--lab`, with its classification and conversion.
LAB_STRINGS = [
    ("b12=150 ng/L@2025-02-24", "b12", 150, "ng/L", "low", {"value": 110.7, "unit": "pmol/L"}),
    ("active-b12=22 pmol/L@2025-02-24", "active-b12", 22, "pmol/L", "low", None),
    ("mma=0.6 umol/L@2025-02-24", "mma", 0.6, "µmol/L", "high", {"value": 600, "unit": "nmol/L"}),
    (
        "homocysteine=20 umol/L@2025-02-24",
        "homocysteine",
        20,
        "µmol/L",
        "high",
        {"value": 2.7, "unit": "mg/L"},
    ),
    ("hb=11.8 g/dL@2025-02-24", "hb", 11.8, "g/dL", "low", {"value": 118, "unit": "g/L"}),
    ("mcv=104 fL@2025-02-24", "mcv", 104, "fL", "high", None),
    (
        "folate=3 ng/mL@2025-02-24",
        "folate",
        3,
        "ng/mL",
        "normal",  # deficient below 3 ng/mL (BSH-2014-FOLATE)
        {"value": 6.8, "unit": "nmol/L"},
    ),
    ("potassium=3.1 mmol/L@2025-02-24", "potassium", 3.1, "mmol/L", "low", None),
    ("egfr=25 mL/min/1.73m2@2025-02-24", "egfr", 25, "mL/min/1.73m2", "low", None),
    ("platelets=40 10^9/L@2025-02-24", "platelets", 40, "10^9/L", "low", None),
    ("inr=2.5 ratio@2025-02-24", "inr", 2.5, "ratio", "normal", None),
    ("inr=3.4 ratio@2025-02-24", "inr", 3.4, "ratio", "high", None),
    ("retic=2.5 %@2025-02-24", "retic", 2.5, "%", "unclassified", None),
    ("retic=80 x10^9/L@2025-02-24", "retic", 80, "10^9/L", "unclassified", None),
    (
        "B12 = 400 pg/mL @ 2025-02-24",
        "b12",
        400,
        "pg/mL",
        "normal",
        {"value": 295.2, "unit": "pmol/L"},
    ),
]


@pytest.mark.parametrize(
    ("text", "analyte", "value", "unit", "want", "converted"),
    LAB_STRINGS,
    ids=[row[1] + "-" + row[3] for row in LAB_STRINGS],
)
def test_lab_option_for_each_analyte(
    text: str, analyte: str, value: float, unit: str, want: str, converted: Any
) -> None:
    """`--lab "analyte=value unit@date"` works for every analyte of the contract."""
    result = run(
        "schedule",
        "--start",
        START,
        "--cause",
        "autoimmune-gastritis",
        "--lab",
        text,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    (got,) = result.json()["labs"]
    assert got == {
        "analyte": analyte,
        "value": value,
        "unit": unit,
        "date": LAB_DAY,
        "classification": want,
        "converted": converted,
        "ref_low": None,
        "ref_high": None,
        "baseline": True,
        "comparator": None,
    }


def test_lab_after_the_first_dose_is_not_baseline() -> None:
    """Labs after day 0 (the first dose given) are listed but not marked baseline; before any
    dose is given every lab is from before treatment (reference, 2026-12-07: day 0)."""
    given = {**patient("b12=400 ng/L@2025-03-20"), "given": [START]}
    plan = plan_for(given, "2025-03-25")
    assert [(x["date"], x["baseline"]) for x in plan["labs"]] == [("2025-03-20", False)]
    plan = plan_for(patient("b12=400 ng/L@2025-03-20"), "2025-03-25")
    assert [(x["date"], x["baseline"]) for x in plan["labs"]] == [("2025-03-20", True)]


def fails(doc: dict[str, Any], as_of: str = AS_OF) -> str:
    """Run a patient that must be refused; return the one stderr line."""
    result = run_patient(doc, "--as-of", as_of)
    assert result.code == 2, result.out
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    return lines[0]


# Value/unit pairs a wrong unit produces: each refused, naming the lab and the unit.
IMPLAUSIBLE = [
    "hb=12.5 g/L@2025-02-24",
    "hb=125 g/dL@2025-02-24",
    "hb=125 mmol/L@2025-02-24",
    "b12=0.15 ng/L@2025-02-24",
    "b12=15000 pmol/L@2025-02-24",
    "active-b12=450 pmol/L@2025-02-24",
    "active-b12=0.5 pmol/L@2025-02-24",
    "mma=450 umol/L@2025-02-24",
    "mma=0.45 nmol/L@2025-02-24",
    "homocysteine=1500 umol/L@2025-02-24",
    "homocysteine=0.1 mg/L@2025-02-24",
    "mcv=1.05 fL@2025-02-24",
    "mcv=200 fL@2025-02-24",
]


@pytest.mark.parametrize("text", IMPLAUSIBLE)
def test_implausible_value_unit_pair(text: str) -> None:
    """An impossible value for its unit is exit 2 naming the lab and saying "check the unit"."""
    line = fails(patient("b12=150 ng/L@2025-02-24", text))
    value_unit = text.split("@", 1)[0]
    assert line.startswith("b12plan: error: labs[1]: ")
    assert value_unit.replace("umol", "µmol") + " is implausible" in line
    assert line.endswith(": check the unit")


def test_implausible_message_exactly() -> None:
    """The whole line for the classic g/L-for-g/dL mistake."""
    assert fails(patient("hb=12.5 g/L@2025-02-24")) == (
        "b12plan: error: labs[0]: hb=12.5 g/L is implausible (expected 30–250 g/L): check the unit"
    )


def test_lab_without_unit_in_file() -> None:
    """A lab document without a unit is refused with the units allowed."""
    line = fails(patient({"analyte": "b12", "value": 250, "date": LAB_DAY}))
    assert line == (
        "b12plan: error: labs[0]: a unit is required for b12; allowed: ng/L, pg/mL, pmol/L"
    )


def test_lab_string_without_unit() -> None:
    """`--lab "hb=12.5@date"` is refused: a unit is never guessed."""
    result = run(
        "schedule", "--start", START, "--cause", "dietary", "--lab", "hb=12.5@2025-02-24",
        "--as-of", AS_OF,
    )  # fmt: skip
    assert result.code == 2
    assert result.err == (
        "b12plan: error: labs[0].unit: a unit is required for hb; allowed: g/L, g/dL, mmol/L\n"
    )


def test_unknown_unit_for_analyte() -> None:
    """A unit that does not belong to the analyte is refused with the allowed list."""
    line = fails(patient("active-b12=40 ng/L@2025-02-24"))
    assert "labs[0]" in line
    assert "unit 'ng/L' is not accepted for active-b12; allowed: pmol/L" in line


def test_disagreeing_results_same_day() -> None:
    """Two results of one analyte on one day that disagree after conversion are an error."""
    line = fails(patient("b12=150 ng/L@2025-02-24", "b12=160 pmol/L@2025-02-24"))
    assert line == (
        "b12plan: error: labs[1]: b12 on 2025-02-24 is 160 pmol/L but labs[0] says 150 ng/L; "
        "give one result per analyte and date"
    )


def test_disagreeing_results_same_unit() -> None:
    """In the same unit nothing was rounded by conversion: 150 and 151 ng/L disagree."""
    line = fails(patient("b12=150 ng/L@2025-02-24", "b12=151 ng/L@2025-02-24"))
    assert line.startswith("b12plan: error: labs[1]: b12 on 2025-02-24 is 151 ng/L")


def test_disagreeing_hb_across_units() -> None:
    """12.5 g/dL and 120 g/L on one day are two different results."""
    line = fails(patient("hb=12.5 g/dL@2025-02-24", "hb=120 g/L@2025-02-24"))
    assert line.startswith("b12plan: error: labs[1]: hb on 2025-02-24 is 120 g/L")


def test_agreeing_results_in_two_units_are_one() -> None:
    """150 ng/L and 110.7 pmol/L (or 111, rounded) the same day are one result, listed once."""
    for second in ("b12=110.7 pmol/L@2025-02-24", "b12=111 pmol/L@2025-02-24"):
        plan = plan_for(patient("b12=150 ng/L@2025-02-24", second), AS_OF)
        assert [(x["value"], x["unit"]) for x in plan["labs"]] == [(150, "ng/L")]


def test_same_result_twice_is_accepted() -> None:
    """The same result entered twice is not a disagreement."""
    plan = plan_for(patient("hb=11.8 g/dL@2025-02-24", "hb=118 g/L@2025-02-24"), AS_OF)
    assert [(x["value"], x["unit"]) for x in plan["labs"]] == [(11.8, "g/dL")]


def test_lab_in_the_future() -> None:
    """A lab dated after as_of is refused, naming its date."""
    line = fails(patient("b12=150 ng/L@2025-03-02"))
    assert line == "b12plan: error: labs[0].date: 2025-03-02 is after as_of 2025-03-01"


def test_reference_limits_out_of_order() -> None:
    """ref_low must be below ref_high."""
    line = fails(patient(lab("b12", 150, "ng/L", ref_low=300, ref_high=200)))
    assert "labs[0]" in line
    assert "ref_low 300 must be below ref_high 200" in line


def test_json_error_for_a_lab() -> None:
    """With --format json the error is the contract's object, locating the lab."""
    result = run_patient(patient("hb=12.5 g/L@2025-02-24"), "--as-of", AS_OF, "--format", "json")
    assert result.code == 2
    assert result.out == ""
    assert json.loads(result.err)["error"]["errors"] == [
        {
            "loc": ["labs", 0],
            "msg": "hb=12.5 g/L is implausible (expected 30–250 g/L): check the unit",
        }
    ]


@pytest.mark.parametrize(
    ("value", "unit", "plausible"),
    [
        (0.03, "µmol/L", True),  # mma's lower end as written, though the float is below it
        (0.029, "µmol/L", False),
        (30, "g/L", True),  # hb's ends, as integers
        (250, "g/L", True),
        (29.99, "g/L", False),
        (250.01, "g/L", False),
        (3, "g/dL", True),  # hb in another unit: rescaled to g/L first
        (2.99, "g/dL", False),
    ],
)
def test_a_value_at_its_window_s_end_is_read_as_written(
    value: float, unit: str, plausible: bool
) -> None:
    """The plausibility window is checked on the value as typed, integer or decimal, in the
    window's own unit or rescaled to it: the ends are plausible, a hundredth beyond is not."""
    from b12plan.contract.validation import validated
    from b12plan.errors import InvalidInput

    analyte = "mma" if unit == "µmol/L" else "hb"
    document = patient(lab(analyte, value, unit))
    if plausible:
        assert validated("patient", document).labs[0].value == value
    else:
        with pytest.raises(InvalidInput, match="is implausible"):
            validated("patient", document)


@given(
    # The units as a validated record spells them (`umol/L` is read as `µmol/L`).
    spec=st.sampled_from([r for r in LAB_RANGES if r[1] in units.ANALYTE_UNITS[r[0]].factors]),
    raw=st.integers(0, 10_000),
    whole=st.booleans(),
    limits=st.sampled_from([(None, None), (100.0, None), (None, 12.5), (3, 400)]),
    comparator=st.sampled_from([None, "<", "<=", ">", ">="]),
    sex=st.sampled_from([None, "female", "male"]),
)
def test_a_result_kept_from_an_earlier_plan_reads_as_if_worked_out_afresh(
    spec: tuple[str, str, int, int, bool],
    raw: int,
    whole: bool,
    limits: tuple[float | None, float | None],
    comparator: Comparator | None,
    sex: str | None,
) -> None:
    """The class and the converted value a batch keeps for a repeated result (given as 150 or
    150.0) are those of classifying and converting it on its own."""
    analyte, unit, low, high, tenths = spec
    number = low + raw % (high - low + 1)
    value: float = number / 10 if tenths else float(number) if not whole else number
    lab = Lab(
        analyte=analyte,  # type: ignore[arg-type]
        value=value,
        unit=unit,
        date=date(2026, 1, 1),
        ref_low=limits[0],
        ref_high=limits[1],
        comparator=comparator,
    )
    exact = Decimal(repr(value))
    low_limit, high_limit = (None if x is None else Decimal(repr(x)) for x in limits)
    if comparator is None:
        fresh = units.classify(analyte, exact, unit, low_limit, high_limit, sex)
    else:
        fresh = units.classify_censored(
            analyte, exact, comparator, unit, low_limit, high_limit, sex
        )
    (classified,) = classify_labs([lab], sex, date(2026, 1, 2))
    assert classified.classification == fresh
    converted = units.convert(analyte, exact, unit)
    (document,) = lab_documents([classified], date(2026, 1, 2))
    assert document["converted"] == (
        None
        if converted is None
        else {"value": units.round_value(converted[0]), "unit": converted[1]}
    )


@given(
    text=st.one_of(
        st.from_regex(r"\A[A-Za-z0-9-]{1,6}=[0-9]{1,5}(\.[0-9]{1,3})? [^\s@]{1,8}@\S{1,12}\Z"),
        st.from_regex(r"\A[ A-Za-z0-9=<>≤≥.eE@/-]{0,24}\Z"),
    )
)
def test_the_plain_lab_form_reads_as_the_general_patterns_read_it(text: str) -> None:
    """A lab string reads to the same fields, or fails the same way, whether or not it has the
    plain form that `parse_lab_string` reads by one pattern."""
    from b12plan.contract.validators import parse_lab_string, read_lab_string

    try:
        want: Any = read_lab_string(text)
    except ValueError as exc:
        want = str(exc)
    try:
        got: Any = parse_lab_string(text)
    except ValueError as exc:
        got = str(exc)
    assert got == want
    assert type(got) is not dict or type(got["value"]) is type(want["value"])
