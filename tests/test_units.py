"""Lab units (clinical/reference.md, "Units"): exact conversions, spellings and plausibility."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12plan.contract import units

# (analyte, value, unit, converted value, converted unit), worked out by hand from the
# reference's factors; rounding is half up to 2 decimals.
CONVERSIONS = [
    # total B12: pmol/L = ng/L x 0.738; pg/mL = ng/L
    ("b12", "150", "ng/L", "110.7", "pmol/L"),
    ("b12", "150", "pg/mL", "110.7", "pmol/L"),
    ("b12", "62.5", "ng/L", "46.13", "pmol/L"),  # 46.125 exactly: half up, not 46.12
    ("b12", "312.5", "ng/L", "230.63", "pmol/L"),  # 230.625 exactly
    ("b12", "110.7", "pmol/L", "150", "ng/L"),
    ("b12", "100", "pmol/L", "135.5", "ng/L"),  # 135.501...
    # MMA: nmol/L = umol/L x 1000
    ("mma", "0.6", "µmol/L", "600", "nmol/L"),
    ("mma", "450", "nmol/L", "0.45", "µmol/L"),
    # homocysteine: umol/L = mg/L x 7.397
    ("homocysteine", "2", "mg/L", "14.79", "µmol/L"),  # 14.794
    ("homocysteine", "15", "µmol/L", "2.03", "mg/L"),  # 2.0278...
    # Hb: g/L = g/dL x 10; g/L = mmol/L x 16.11
    ("hb", "11.8", "g/dL", "118", "g/L"),
    ("hb", "118", "g/L", "11.8", "g/dL"),
    ("hb", "7.5", "mmol/L", "120.83", "g/L"),  # 120.825 exactly
    # folate: nmol/L = ng/mL x 2.266 (ug/L is ng/mL)
    ("folate", "5", "ng/mL", "11.33", "nmol/L"),
    ("folate", "4", "µg/L", "9.06", "nmol/L"),
    ("folate", "11.33", "nmol/L", "5", "ng/mL"),
]


@pytest.mark.parametrize(("analyte", "value", "unit", "want", "want_unit"), CONVERSIONS)
def test_conversion_is_exact(
    analyte: str, value: str, unit: str, want: str, want_unit: str
) -> None:
    """Each conversion of the reference gives the hand-computed value, rounded half up."""
    converted = units.convert(analyte, Decimal(value), unit)
    assert converted is not None
    assert converted[1] == want_unit
    assert units.round_value(converted[0]) == float(want)


def test_ties_are_exact_before_rounding() -> None:
    """62.5 ng/L is exactly 46.125 pmol/L (no truncated reciprocal of 0.738)."""
    converted = units.convert("b12", Decimal("62.5"), "ng/L")
    assert converted == (Decimal("46.125"), "pmol/L")


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "canonical"),
    [
        ("b12", "110.7", "pmol/L", "150"),
        ("b12", "200", "pg/mL", "200"),
        ("mma", "450", "nmol/L", "0.45"),
        ("homocysteine", "2", "mg/L", "14.794"),
        ("hb", "12.5", "g/dL", "125"),
        ("hb", "5", "mmol/L", "80.55"),
        ("folate", "10", "ng/mL", "22.66"),
    ],
)
def test_canonical_value_is_exact(analyte: str, value: str, unit: str, canonical: str) -> None:
    """Values the engine reasons with are the exact products of the reference's factors."""
    assert units.to_canonical(analyte, Decimal(value), unit) == Decimal(canonical)


@pytest.mark.parametrize(
    ("analyte", "unit"),
    [("active-b12", "pmol/L"), ("mcv", "fL"), ("egfr", "mL/min/1.73m2"), ("inr", "ratio")],
)
def test_single_unit_analytes_have_no_conversion(analyte: str, unit: str) -> None:
    """Analytes reported in one unit only show no converted value."""
    assert units.convert(analyte, Decimal(10), unit) is None


SPELLINGS = [
    ("b12", "ng/L", "ng/L"),
    ("b12", "NG/L", "ng/L"),
    ("b12", "pg/ml", "pg/mL"),
    ("b12", " pmol / L ", "pmol/L"),
    ("active-b12", "pmol/l", "pmol/L"),
    ("mma", "µmol/L", "µmol/L"),  # micro sign U+00B5
    ("mma", "μmol/L", "µmol/L"),  # Greek mu U+03BC
    ("mma", "umol/L", "µmol/L"),
    ("mma", "mcmol/L", "µmol/L"),
    ("mma", "nmol/L", "nmol/L"),
    ("homocysteine", "umol/l", "µmol/L"),
    ("homocysteine", "mg/L", "mg/L"),
    ("hb", "g/dl", "g/dL"),
    ("hb", "G/L", "g/L"),
    ("hb", "mmol/L", "mmol/L"),
    ("mcv", "fl", "fL"),
    ("folate", "µg/L", "µg/L"),
    ("folate", "ug/L", "µg/L"),
    ("folate", "mcg/L", "µg/L"),
    ("folate", "ng/mL", "ng/mL"),
    ("potassium", "mEq/L", "mEq/L"),
    ("egfr", "mL/min/1.73m²", "mL/min/1.73m2"),
    ("platelets", "x10^9/L", "10^9/L"),
    ("platelets", "×10⁹/L", "10^9/L"),
    ("inr", "ratio", "ratio"),
]


@pytest.mark.parametrize(("analyte", "spelling", "display"), SPELLINGS)
def test_accepted_spellings(analyte: str, spelling: str, display: str) -> None:
    """The µ, u and mc spellings (and case and spacing) map to one display unit."""
    assert units.display_unit(analyte, spelling) == display


@pytest.mark.parametrize(
    ("analyte", "unit", "allowed"),
    [
        ("b12", "ng/dL", "ng/L, pg/mL, pmol/L"),
        ("b12", "mg/L", "ng/L, pg/mL, pmol/L"),
        ("active-b12", "ng/L", "pmol/L"),
        ("hb", "mg/dL", "g/L, g/dL, mmol/L"),
        ("mma", "mmol/L", "µmol/L, nmol/L"),
        ("mcv", "pL", "fL"),
    ],
)
def test_unknown_unit_lists_the_allowed(analyte: str, unit: str, allowed: str) -> None:
    """A unit not accepted for the analyte is refused with the allowed list."""
    with pytest.raises(ValueError, match="allowed: ") as caught:
        units.display_unit(analyte, unit)
    assert str(caught.value) == (f"unit {unit!r} is not accepted for {analyte}; allowed: {allowed}")


def test_blank_unit_is_refused() -> None:
    """A blank unit is never guessed."""
    with pytest.raises(ValueError, match=r"^a unit is required for b12; allowed: ng/L"):
        units.display_unit("b12", "  ")


# (analyte, value, unit, plausible): each window edge of the reference, just inside and just
# outside, in every unit the analyte may be reported in.
PLAUSIBILITY = [
    ("b12", "19.9", "ng/L", False),
    ("b12", "20", "ng/L", True),
    ("b12", "5000", "ng/L", True),
    ("b12", "5000.1", "ng/L", False),
    ("b12", "19.9", "pg/mL", False),
    ("b12", "5000", "pg/mL", True),
    ("b12", "19.9", "pmol/L", False),
    ("b12", "20", "pmol/L", True),
    ("b12", "5000", "pmol/L", True),
    ("b12", "5001", "pmol/L", False),
    ("active-b12", "0.9", "pmol/L", False),
    ("active-b12", "1", "pmol/L", True),
    ("active-b12", "400", "pmol/L", True),
    ("active-b12", "400.1", "pmol/L", False),
    ("mma", "0.029", "µmol/L", False),
    ("mma", "0.03", "µmol/L", True),
    ("mma", "100", "µmol/L", True),
    ("mma", "100.1", "µmol/L", False),
    ("mma", "29", "nmol/L", False),
    ("mma", "30", "nmol/L", True),
    ("mma", "100000", "nmol/L", True),
    ("mma", "100001", "nmol/L", False),
    ("homocysteine", "1.9", "µmol/L", False),
    ("homocysteine", "2", "µmol/L", True),
    ("homocysteine", "500", "µmol/L", True),
    ("homocysteine", "501", "µmol/L", False),
    ("homocysteine", "0.27", "mg/L", False),  # 1.997 umol/L
    ("homocysteine", "0.28", "mg/L", True),  # 2.071 umol/L
    ("homocysteine", "67.5", "mg/L", True),  # 499.3 umol/L
    ("homocysteine", "67.6", "mg/L", False),  # 500.04 umol/L
    ("hb", "29.9", "g/L", False),
    ("hb", "30", "g/L", True),
    ("hb", "250", "g/L", True),
    ("hb", "250.1", "g/L", False),
    ("hb", "2.9", "g/dL", False),
    ("hb", "3", "g/dL", True),
    ("hb", "25", "g/dL", True),
    ("hb", "25.1", "g/dL", False),
    ("hb", "1.86", "mmol/L", False),  # 29.96 g/L
    ("hb", "1.87", "mmol/L", True),  # 30.13 g/L
    ("hb", "15.5", "mmol/L", True),  # 249.7 g/L
    ("hb", "15.6", "mmol/L", False),  # 251.3 g/L
    ("mcv", "49.9", "fL", False),
    ("mcv", "50", "fL", True),
    ("mcv", "150", "fL", True),
    ("mcv", "150.1", "fL", False),
]


@pytest.mark.parametrize(("analyte", "value", "unit", "plausible"), PLAUSIBILITY)
def test_plausibility_window(analyte: str, value: str, unit: str, plausible: bool) -> None:
    """Values outside the reference's window are refused with "check the unit"."""
    if plausible:
        units.check_plausible(analyte, Decimal(value), unit)
    else:
        with pytest.raises(ValueError, match=r"is implausible .*: check the unit$"):
            units.check_plausible(analyte, Decimal(value), unit)


def test_implausible_message_names_value_unit_and_window() -> None:
    """The message shows what was given and the window it should fall in."""
    with pytest.raises(ValueError, match="check the unit") as caught:
        units.check_plausible("hb", Decimal("12.5"), "g/L")
    assert str(caught.value) == "hb=12.5 g/L is implausible (expected 30–250 g/L): check the unit"
    with pytest.raises(ValueError, match="check the unit") as caught:
        units.check_plausible("mma", Decimal("450"), "µmol/L")
    assert str(caught.value) == (
        "mma=450 µmol/L is implausible (expected 0.03–100 µmol/L): check the unit"
    )


@given(
    st.sampled_from(
        [
            (a, u, t)
            for a, spec in units.ANALYTE_UNITS.items()
            for u in spec.factors
            for t in spec.factors
        ]
    ),
    st.floats(min_value=1e-6, max_value=1e7, allow_nan=False, allow_infinity=False),
)
def test_fast_rescale_is_the_exact_fraction_rounded_once(
    units_pair: tuple[str, str, str], number: float
) -> None:
    """The hot-path rescale gives the same number as the exact fraction it replaced."""
    analyte, unit, target = units_pair
    value = Decimal(repr(number))
    factors = units.ANALYTE_UNITS[analyte].factors
    exact = units._decimal(Fraction(value) * factors[unit] / factors[target])
    assert units._rescale(analyte, value, unit, target) == exact


# (analyte, value, unit, ref_low, ref_high, classification): the reference's thresholds for the
# labs that change what happens ("More labs that change what happens"), in the unit reported.
RISKS = [
    ("folate", "2.9", "µg/L", None, None, "low"),
    ("folate", "3", "ng/mL", None, None, "normal"),  # 3 µg/L = 3 ng/mL
    ("folate", "6.9", "nmol/L", None, None, "low"),
    ("folate", "7", "nmol/L", None, None, "normal"),  # not 3 x 2.266: compared as reported
    ("folate", "4", "ng/mL", "5", None, "low"),  # the lab's own limit wins
    ("potassium", "3.49", "mmol/L", None, None, "low"),
    ("potassium", "3.5", "mEq/L", None, None, "normal"),
    ("potassium", "5.6", "mmol/L", None, "5.5", "high"),
    ("inr", "3.0", "ratio", None, None, "normal"),
    ("inr", "3.1", "ratio", None, None, "high"),
    ("inr", "3.1", "ratio", "3.5", None, "high"),  # above 3.0 first, whatever the low limit
    ("inr", "3.1", "ratio", "2.0", "3.5", "normal"),  # the lab's own range
    ("egfr", "29", "mL/min/1.73m2", None, None, "low"),
    ("egfr", "30", "mL/min/1.73m2", None, None, "unclassified"),  # only a risk below 30
    ("egfr", "30", "mL/min/1.73m2", "20", None, "normal"),
    ("platelets", "49", "10^9/L", None, None, "low"),
    ("platelets", "50", "10^9/L", None, None, "unclassified"),
    ("retic", "2", "%", None, None, "unclassified"),  # no rule: the lab's limits only
    ("retic", "2", "%", "0.5", "2.5", "normal"),
    ("retic", "3", "%", "0.5", "2.5", "high"),
]


@pytest.mark.parametrize(("analyte", "value", "unit", "low", "high", "want"), RISKS)
def test_the_risk_thresholds_classify_as_the_reference_says(
    analyte: str, value: str, unit: str, low: str | None, high: str | None, want: str
) -> None:
    """Folate, potassium, INR, eGFR and platelets fall on the reference's side of each
    threshold, a lab's own limits win, and an analyte with no range of its own is unclassified
    without them."""
    limits = [None if x is None else Decimal(x) for x in (low, high)]
    assert units.classify(analyte, Decimal(value), unit, *limits, None) == want


@pytest.mark.parametrize("analyte", sorted(units.RULES))
def test_every_rule_has_a_limit_for_each_unit_and_sex_and_a_known_source(analyte: str) -> None:
    """A rule's defaults by unit cover every unit the analyte is reported in, its defaults by
    sex every sex and the unknown one, and its source is one of the reference's."""
    from b12plan.contract.sources import SOURCES
    from b12plan.contract.vocab import SEXES

    rule = units.RULES[analyte]
    assert rule.source in SOURCES
    for limit in rule.limits:
        if limit.by == "unit":
            assert isinstance(limit.default, dict)
            assert set(limit.default) == set(units.ANALYTE_UNITS[analyte].factors)
        elif limit.by == "sex":
            assert isinstance(limit.default, dict)
            assert set(limit.default) == {*SEXES, None}
