"""Lab units: spellings, exact conversions, plausibility windows and NICE-NG239 classification.

A value without a unit is always an error, never a guess. Conversion factors are exact
fractions, so `150 ng/L` is exactly `110.7 pmol/L` and `62.5 ng/L` is exactly `46.125 pmol/L`
(which rounds half up to 46.13, not down through a truncated 1/0.738).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from b12plan.contract.text import quote

if TYPE_CHECKING:
    from b12plan.contract.vocab import Classification


class AnalyteUnits:
    """How one analyte may be reported and how its units convert (a plain slots class: the
    dataclass machinery would cost more to define than this table costs to build)."""

    __slots__ = (
        "alternate",
        "canonical",
        "factors",
        "unit_windows",
        "window",
        "window_source",
        "window_unit",
    )

    def __init__(
        self,
        *,
        canonical: str,
        factors: dict[str, Fraction],
        alternate: dict[str, str],
        window: tuple[Decimal, Decimal],
        window_unit: str | None,
        window_source: str,
        unit_windows: dict[str, tuple[Decimal, Decimal]] | None = None,
    ) -> None:
        self.canonical = canonical
        """The unit the engine reasons in."""
        self.factors = factors
        """Display unit -> exact factor that turns a value in that unit into the canonical
        unit."""
        self.alternate = alternate
        """Display unit -> the unit its `converted` value is shown in (absent: no
        conversion)."""
        self.window = window
        """Plausible range, inclusive."""
        self.window_unit = window_unit
        """Unit of `window`; None means the reported unit (total B12: both scales are alike)."""
        self.window_source = window_source
        """Where the window comes from."""
        self.unit_windows = unit_windows
        """Plausible range per reported unit, for analytes whose units do not convert
        (`window` is then unused)."""

    @property
    def convertible(self) -> bool:
        """Whether every unit of the analyte converts to every other."""
        return self.unit_windows is None


def _d(text: str | int) -> Decimal:
    return Decimal(text)


def _f(text: str | int) -> Fraction:
    return Fraction(text)


_B12_PER_NGL = _f("0.738")  # pmol/L = ng/L x 0.738 (reference: Units)

ANALYTE_UNITS: Final[dict[str, AnalyteUnits]] = {
    "b12": AnalyteUnits(
        canonical="ng/L",
        factors={"ng/L": _f(1), "pg/mL": _f(1), "pmol/L": 1 / _B12_PER_NGL},
        alternate={"ng/L": "pmol/L", "pg/mL": "pmol/L", "pmol/L": "ng/L"},
        window=(_d(20), _d(5000)),
        window_unit=None,
        window_source="reference",
    ),
    "active-b12": AnalyteUnits(
        canonical="pmol/L",
        factors={"pmol/L": _f(1)},
        alternate={},
        window=(_d(1), _d(400)),
        window_unit="pmol/L",
        window_source="reference",
    ),
    "mma": AnalyteUnits(
        canonical="µmol/L",
        factors={"µmol/L": _f(1), "nmol/L": _f("0.001")},
        alternate={"µmol/L": "nmol/L", "nmol/L": "µmol/L"},
        window=(_d("0.03"), _d(100)),
        window_unit="µmol/L",
        window_source="reference",
    ),
    "homocysteine": AnalyteUnits(
        canonical="µmol/L",
        factors={"µmol/L": _f(1), "mg/L": _f("7.397")},
        alternate={"µmol/L": "mg/L", "mg/L": "µmol/L"},
        window=(_d(2), _d(500)),
        window_unit="µmol/L",
        window_source="reference",
    ),
    "hb": AnalyteUnits(
        canonical="g/L",
        factors={"g/L": _f(1), "g/dL": _f(10), "mmol/L": _f("16.11")},
        alternate={"g/L": "g/dL", "g/dL": "g/L", "mmol/L": "g/L"},
        window=(_d(30), _d(250)),
        window_unit="g/L",
        window_source="reference",
    ),
    "mcv": AnalyteUnits(
        canonical="fL",
        factors={"fL": _f(1)},
        alternate={},
        window=(_d(50), _d(150)),
        window_unit="fL",
        window_source="reference",
    ),
    # Windows from the reference's "More labs that change what happens" (2026-12-01).
    "folate": AnalyteUnits(
        canonical="nmol/L",
        factors={"nmol/L": _f(1), "ng/mL": _f("2.266"), "µg/L": _f("2.266")},
        alternate={"nmol/L": "ng/mL", "ng/mL": "nmol/L", "µg/L": "nmol/L"},
        window=(_d("0.5"), _d(50)),
        window_unit="µg/L",
        window_source="reference",
    ),
    "potassium": AnalyteUnits(
        canonical="mmol/L",
        factors={"mmol/L": _f(1), "mEq/L": _f(1)},
        alternate={},
        window=(_d("1.5"), _d(9)),
        window_unit="mmol/L",
        window_source="reference",
    ),
    "egfr": AnalyteUnits(
        canonical="mL/min/1.73m2",
        factors={"mL/min/1.73m2": _f(1)},
        alternate={},
        window=(_d(2), _d(200)),
        window_unit="mL/min/1.73m2",
        window_source="reference",
    ),
    "inr": AnalyteUnits(
        canonical="ratio",
        factors={"ratio": _f(1)},
        alternate={},
        window=(_d("0.5"), _d(15)),
        window_unit="ratio",
        window_source="reference",
    ),
    # A percentage and an absolute count measure the same thing on scales that do not convert
    # (the count needs the red cell count): each unit has its own window.
    "retic": AnalyteUnits(
        canonical="%",
        factors={"%": _f(1), "10^9/L": _f(1)},
        alternate={},
        window=(_d("0.1"), _d(1000)),
        window_unit=None,
        window_source="reference",
        unit_windows={"%": (_d("0.1"), _d(30)), "10^9/L": (_d(5), _d(1000))},
    ),
    # The reference gives no window for platelets: a b12plan convention [C], wide enough for
    # any real result and narrow enough to catch a wrong unit.
    "platelets": AnalyteUnits(
        canonical="10^9/L",
        factors={"10^9/L": _f(1)},
        alternate={},
        window=(_d(1), _d(2000)),
        window_unit="10^9/L",
        window_source="b12plan convention",
    ),
}

# Normalised spelling -> display unit, per analyte. Normalisation folds case, spaces,
# µ/μ/u/mc, and the many ways of writing 10^9.
_SPELLINGS: Final[dict[str, dict[str, str]]] = {
    "b12": {"ng/l": "ng/L", "pg/ml": "pg/mL", "pmol/l": "pmol/L"},
    "active-b12": {"pmol/l": "pmol/L"},
    "mma": {"umol/l": "µmol/L", "nmol/l": "nmol/L"},
    "homocysteine": {"umol/l": "µmol/L", "mg/l": "mg/L"},
    "hb": {"g/l": "g/L", "g/dl": "g/dL", "mmol/l": "mmol/L"},
    "mcv": {"fl": "fL"},
    "folate": {"nmol/l": "nmol/L", "ng/ml": "ng/mL", "ug/l": "µg/L"},
    "potassium": {"mmol/l": "mmol/L", "meq/l": "mEq/L"},
    "egfr": {
        "ml/min/1.73m2": "mL/min/1.73m2",
        "ml/min/1.73m^2": "mL/min/1.73m2",
        "ml/min/1.73m²": "mL/min/1.73m2",
        "ml/min/{1.73_m2}": "mL/min/1.73m2",
        # eGFR is per 1.73 m² by definition: reports that print mL/min mean the same
        # (reference, "Labs as reports print them").
        "ml/min": "mL/min/1.73m2",
    },
    "platelets": {
        "10^9/l": "10^9/L",
        "x10^9/l": "10^9/L",
        "10*9/l": "10^9/L",
        "10⁹/l": "10^9/L",
        "x10⁹/l": "10^9/L",
        "g/l": "10^9/L",
    },
    "inr": {"ratio": "ratio", "1": "ratio", "inr": "ratio", "{inr}": "ratio"},
    "retic": {
        "%": "%",
        "percent": "%",
        "10^9/l": "10^9/L",
        "x10^9/l": "10^9/L",
        "10*9/l": "10^9/L",
        "10⁹/l": "10^9/L",
        "x10⁹/l": "10^9/L",
    },
}


def _normalise_spelling(unit: str) -> str:
    key = unit.strip().lower().replace(" ", "").replace("×", "x")
    key = key.replace("µ", "u").replace("μ", "u")
    if key.startswith("mc"):
        key = "u" + key[2:]
    return key


def display_unit(analyte: str, unit: str) -> str:
    """The accepted display spelling of `unit` for `analyte`; ValueError names the choices."""
    if not unit.strip():
        msg = f"a unit is required for {analyte}; allowed: {allowed_units(analyte)}"
        raise ValueError(msg)
    found = _SPELLINGS[analyte].get(_normalise_spelling(unit))
    if found is None:
        msg = f"unit {quote(unit)} is not accepted for {analyte}; allowed: {allowed_units(analyte)}"
        raise ValueError(msg)
    return found


def allowed_units(analyte: str) -> str:
    """Comma-separated display units for an analyte."""
    return ", ".join(ANALYTE_UNITS[analyte].factors)


def _decimal(value: Fraction) -> Decimal:
    """A fraction as a Decimal: exact whenever the value has a finite decimal expansion."""
    return Decimal(value.numerator) / Decimal(value.denominator)


# Digits a product value x numerator may have and still be exact in the default context.
_EXACT_DIGITS = 28


@lru_cache(maxsize=256)
def _ratio(analyte: str, unit: str, target: str) -> tuple[int, int]:
    """The exact factor from `unit` to `target`, as (numerator, denominator) in lowest terms."""
    factors = ANALYTE_UNITS[analyte].factors
    ratio = factors[unit] / factors[target]
    return ratio.numerator, ratio.denominator


def _rescale(analyte: str, value: Decimal, unit: str, target: str) -> Decimal:
    """`value` x the exact factor, rounded once to the context (28 digits).

    The same number as `_decimal(Fraction(value) * factor)`, which it replaces on the hot path:
    value x numerator is exact while it fits the precision, and Decimal division is correctly
    rounded, so dividing that by the denominator rounds the same exact rational the same way.
    """
    numerator, denominator = _ratio(analyte, unit, target)
    if numerator == denominator:
        return +value  # unary plus rounds to the context, as the division would
    if len(value.as_tuple().digits) + len(str(numerator)) <= _EXACT_DIGITS:
        return value * numerator / denominator
    return _decimal(Fraction(value) * Fraction(numerator, denominator))


def to_canonical(analyte: str, value: Decimal, unit: str) -> Decimal:
    """Convert `value` in display `unit` to the analyte's canonical unit, exactly."""
    return _rescale(analyte, value, unit, ANALYTE_UNITS[analyte].canonical)


def convert(analyte: str, value: Decimal, unit: str) -> tuple[Decimal, str] | None:
    """The value in the analyte's other common unit (for display), or None if it has one unit."""
    target = ANALYTE_UNITS[analyte].alternate.get(unit)
    if target is None:
        return None
    return _rescale(analyte, value, unit, target), target


def round_value(value: Decimal, places: int = 2) -> float:
    """Round half up to `places` decimals for output; deterministic across platforms."""
    quantum = Decimal(1).scaleb(-places)
    return float(value.quantize(quantum, rounding=ROUND_HALF_UP))


def check_plausible(analyte: str, value: Decimal, unit: str) -> None:
    """Raise ValueError when a value cannot be real in that unit (usually a wrong unit)."""
    spec = ANALYTE_UNITS[analyte]
    low, high = spec.window
    if spec.unit_windows is not None:
        low, high = spec.unit_windows[unit]
        shown, shown_unit = value, unit
    elif spec.window_unit is None:
        shown, shown_unit = value, unit
    else:
        shown = _rescale(analyte, value, unit, spec.window_unit)
        shown_unit = spec.window_unit
    if not low <= shown <= high:
        if shown_unit != unit:  # say the window in the unit the user typed
            low, high = (_hint(_rescale(analyte, x, shown_unit, unit)) for x in (low, high))
        msg = (
            f"{analyte}={_fmt(value)} {unit} is implausible (expected {_fmt(low)}–{_fmt(high)} "
            f"{unit}): check the unit"
        )
        raise ValueError(msg)


def _hint(value: Decimal) -> Decimal:
    """A window's end, converted, to three significant figures: a hint, not a threshold."""
    return Decimal(f"{value:.3g}") if value.adjusted() < 3 else value.quantize(Decimal(1))


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


# NICE-NG239 bands for total and active B12, in the unit reported: (low below, unlikely above).
_B12_BANDS: Final[dict[tuple[str, str], tuple[Decimal, Decimal]]] = {
    ("b12", "ng/L"): (_d(180), _d(350)),
    ("b12", "pg/mL"): (_d(180), _d(350)),
    ("b12", "pmol/L"): (_d(133), _d(258)),
    ("active-b12", "pmol/L"): (_d(25), _d(70)),
}
MMA_UPPER_UMOL_L: Final = _d("0.45")  # [C, to be checked against NG239]
HOMOCYSTEINE_UPPER_UMOL_L: Final = _d(15)
HB_LOW_G_L: Final = {"male": _d(130), "female": _d(120), None: _d(120)}
HB_SEVERE_G_L: Final = _d(80)
MCV_UPPER_FL: Final = _d(100)
EGFR_LOW: Final = _d(30)
PLATELETS_LOW: Final = _d(50)
POTASSIUM_LOW_MMOL_L: Final = _d("3.5")
# BSH-2014-FOLATE: deficiency below 3 µg/L (= ng/mL) or 7 nmol/L, compared in the unit reported.
FOLATE_LOW: Final = {"µg/L": _d(3), "ng/mL": _d(3), "nmol/L": _d(7)}
INR_HIGH: Final = _d("3.0")  # [C] the usual upper end of a warfarin target range


def b12_band(analyte: str, unit: str) -> tuple[Decimal, Decimal] | None:
    """The (deficient-below, unlikely-above) band for total/active B12 in that unit."""
    return _B12_BANDS.get((analyte, unit))


def classify(
    analyte: str,
    value: Decimal,
    unit: str,
    ref_low: Decimal | None,
    ref_high: Decimal | None,
    sex: str | None,
) -> Classification:
    """Classify a result; a lab's own reference limits (in its reported unit) win."""
    band = b12_band(analyte, unit)
    if band is not None:
        low, unlikely = band
        if ref_low is not None:
            low = ref_low
        if ref_high is not None and value > ref_high:
            return "high"
        if value < low:
            return "low"
        return "indeterminate" if value <= unlikely else "normal"
    canonical = to_canonical(analyte, value, unit)
    low_c = None if ref_low is None else to_canonical(analyte, ref_low, unit)
    high_c = None if ref_high is None else to_canonical(analyte, ref_high, unit)
    if analyte in ("mma", "homocysteine"):
        default = MMA_UPPER_UMOL_L if analyte == "mma" else HOMOCYSTEINE_UPPER_UMOL_L
        return "high" if canonical > (high_c if high_c is not None else default) else "normal"
    if analyte == "hb":
        if canonical < HB_SEVERE_G_L:
            return "severely-low"
        threshold = low_c if low_c is not None else HB_LOW_G_L.get(sex, HB_LOW_G_L[None])
        if canonical < threshold:
            return "low"
        return "high" if high_c is not None and canonical > high_c else "normal"
    if analyte == "mcv":
        if canonical > (high_c if high_c is not None else MCV_UPPER_FL):
            return "high"
        return "low" if low_c is not None and canonical < low_c else "normal"
    if analyte == "folate":
        low = ref_low if ref_low is not None else FOLATE_LOW[unit]
        if value < low:
            return "low"
        return "high" if ref_high is not None and value > ref_high else "normal"
    if analyte == "potassium" and low_c is None and canonical < POTASSIUM_LOW_MMOL_L:
        return "low"
    if analyte == "inr" and high_c is None:
        if canonical > INR_HIGH:
            return "high"
        return "low" if low_c is not None and canonical < low_c else "normal"
    if analyte == "egfr" and low_c is None and canonical < EGFR_LOW:
        return "low"
    if analyte == "platelets" and low_c is None and canonical < PLATELETS_LOW:
        return "low"
    if low_c is not None and canonical < low_c:
        return "low"
    if high_c is not None and canonical > high_c:
        return "high"
    if low_c is not None or high_c is not None or analyte == "potassium":
        return "normal"
    return "unclassified"


# Censored results (`<50`, `>90`): the classes an analyte's results fall in, lowest values
# first, and which end of that order is nearer deficiency (or the risk the analyte is read
# for: anaemia, renal impairment, low platelets, low potassium; a high INR). A censored result
# reads as the class nearest that end among those it could be in [C] (reference, "Labs as
# reports print them").
_VALUE_ORDER: Final[tuple[Classification, ...]] = (
    "severely-low",
    "low",
    "indeterminate",
    "normal",
    "unclassified",
    "high",
)
_RISK_HIGH: Final = frozenset({"mma", "homocysteine", "mcv", "inr"})
_NO_RISK_END: Final = frozenset({"retic"})
# Just past a strict bound, and the far ends of any result: classification is a step function
# of the value, so these points and the bound find every class a censored result could be in.
_NUDGE: Final = Decimal("1E-9")
_FAR: Final = (Decimal("1E-9"), Decimal("1E9"))


def classify_censored(
    analyte: str,
    bound: Decimal,
    comparator: str,
    unit: str,
    ref_low: Decimal | None,
    ref_high: Decimal | None,
    sex: str | None,
) -> Classification:
    """The class of a result below (<, <=) or above (>, >=) `bound`: where the bound does not
    settle it, the one nearer deficiency among those it could be in (B12 `<200 ng/L` is low)."""
    below = comparator.startswith("<")
    near = bound if comparator.endswith("=") else bound - _NUDGE if below else bound + _NUDGE
    far = _FAR[0] if below else _FAR[1]
    ends = [classify(analyte, x, unit, ref_low, ref_high, sex) for x in (near, far)]
    if analyte in _NO_RISK_END:
        return ends[0]
    lowest, highest = sorted(ends, key=_VALUE_ORDER.index)
    return highest if analyte in _RISK_HIGH else lowest
