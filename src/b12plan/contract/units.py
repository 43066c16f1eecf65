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


# Every lab of a batch asks, and a few spellings serve them all (a refused one is not kept).
@lru_cache(maxsize=1024)
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
def _ratio(analyte: str, unit: str, target: str) -> tuple[int, int, int]:
    """The exact factor from `unit` to `target`, as (numerator, denominator) in lowest terms,
    and the numerator's digits."""
    factors = ANALYTE_UNITS[analyte].factors
    ratio = factors[unit] / factors[target]
    return ratio.numerator, ratio.denominator, len(str(ratio.numerator))


def _rescale(analyte: str, value: Decimal, unit: str, target: str) -> Decimal:
    """`value` x the exact factor, rounded once to the context (28 digits).

    The same number as `_decimal(Fraction(value) * factor)`, which it replaces on the hot path:
    value x numerator is exact while it fits the precision, and Decimal division is correctly
    rounded, so dividing that by the denominator rounds the same exact rational the same way.
    """
    numerator, denominator, numerator_digits = _ratio(analyte, unit, target)
    if numerator == denominator:
        return +value  # unary plus rounds to the context, as the division would
    if len(value.as_tuple().digits) + numerator_digits <= _EXACT_DIGITS:
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
    quantum = _HUNDREDTH if places == 2 else Decimal(1).scaleb(-places)
    return float(value.quantize(quantum, rounding=ROUND_HALF_UP))


_HUNDREDTH: Final = Decimal(1).scaleb(-2)
"""The quantum of every converted value a plan shows (made once, not for each lab)."""


def check_plausible(analyte: str, value: Decimal, unit: str) -> None:
    """Raise ValueError when a value cannot be real in that unit (usually a wrong unit)."""
    spec = ANALYTE_UNITS[analyte]
    low, high = spec.window
    if spec.unit_windows is not None:
        low, high = spec.unit_windows[unit]
        shown, shown_unit = value, unit
    elif spec.window_unit is None or spec.window_unit == unit:  # the usual unit: no rescaling
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


# The thresholds the engine reads by name, besides classifying with them (reference: "Lab
# thresholds", "More labs that change what happens").
HB_SEVERE_G_L: Final = _d(80)
EGFR_LOW: Final = _d(30)
PLATELETS_LOW: Final = _d(50)
INR_HIGH: Final = _d("3.0")  # [C] the usual upper end of a warfarin target range


class Limit:
    """One step of a classification rule: a result beyond the limit (`op` "<", "<=" or ">")
    gets `result`. The limit is the lab's own `ref_low` or `ref_high` when `lab` names one and
    the lab gave it, else `default`: a number, or one per unit or per sex (`by`); no limit, no
    step."""

    __slots__ = ("by", "default", "lab", "op", "result")

    def __init__(
        self,
        result: Classification,
        op: str,
        *,
        lab: str | None = None,
        default: Decimal | dict[str | None, Decimal] | None = None,
        by: str | None = None,
    ) -> None:
        self.result, self.op, self.lab, self.default, self.by = result, op, lab, default, by


class Rule:
    """How one analyte's results are classified: its limits in order (the first a result is
    beyond decides), in the unit reported or in the canonical unit (`scale`), and the class of a
    result within them (`within`; None: normal within the lab's own limits, unclassified where
    the lab gave none and the rule has no range of its own). `source`: where the limits come
    from."""

    __slots__ = ("limits", "scale", "source", "within")

    def __init__(
        self,
        scale: str,
        limits: tuple[Limit, ...],
        source: str,
        within: Classification | None = "normal",
    ) -> None:
        self.scale, self.limits, self.source, self.within = scale, limits, source, within


def _band(low: dict[str | None, Decimal], unlikely: dict[str | None, Decimal]) -> Rule:
    """NICE-NG239's bands for total and active B12, in the unit reported; the middle band
    includes both boundaries [C]."""
    return Rule(
        "reported",
        (
            Limit("high", ">", lab="ref_high"),
            Limit("low", "<", lab="ref_low", default=low, by="unit"),
            Limit("indeterminate", "<=", default=unlikely, by="unit"),
        ),
        "NICE-NG239",
    )


def _low_risk(threshold: Decimal, source: str) -> Rule:
    """A threshold that marks a risk below it (no range of its own): low below the lab's
    `ref_low` or `threshold`, high above the lab's `ref_high`."""
    return Rule(
        "canonical",
        (Limit("low", "<", lab="ref_low", default=threshold), Limit("high", ">", lab="ref_high")),
        source,
        within=None,
    )


RULES: Final[dict[str, Rule]] = {
    "b12": _band(
        {"ng/L": _d(180), "pg/mL": _d(180), "pmol/L": _d(133)},
        {"ng/L": _d(350), "pg/mL": _d(350), "pmol/L": _d(258)},
    ),
    "active-b12": _band({"pmol/L": _d(25)}, {"pmol/L": _d(70)}),
    # Markers of deficiency: high above the lab's upper limit, else the default. MMA's default
    # is 0.45 µmol/L [C, to be checked against NG239].
    "mma": Rule(
        "canonical", (Limit("high", ">", lab="ref_high", default=_d("0.45")),), "NICE-NG239"
    ),
    "homocysteine": Rule(
        "canonical", (Limit("high", ">", lab="ref_high", default=_d(15)),), "NICE-NG239"
    ),
    # Anaemia below 130 g/L (male) or 120 g/L (female or unknown); severe below 80 g/L, whatever
    # the lab's own limits.
    "hb": Rule(
        "canonical",
        (
            Limit("severely-low", "<", default=HB_SEVERE_G_L),
            Limit(
                "low",
                "<",
                lab="ref_low",
                default={"male": _d(130), "female": _d(120), None: _d(120)},
                by="sex",
            ),
            Limit("high", ">", lab="ref_high"),
        ),
        "NICE-NG239",
    ),
    "mcv": Rule(
        "canonical",
        (Limit("high", ">", lab="ref_high", default=_d(100)), Limit("low", "<", lab="ref_low")),
        "NICE-NG239",
    ),
    # Deficiency below 3 µg/L (= ng/mL) or 7 nmol/L, compared in the unit reported.
    "folate": Rule(
        "reported",
        (
            Limit(
                "low",
                "<",
                lab="ref_low",
                default={"µg/L": _d(3), "ng/mL": _d(3), "nmol/L": _d(7)},
                by="unit",
            ),
            Limit("high", ">", lab="ref_high"),
        ),
        "BSH-2014-FOLATE",
    ),
    "potassium": Rule(
        "canonical",
        (Limit("low", "<", lab="ref_low", default=_d("3.5")), Limit("high", ">", lab="ref_high")),
        "FDA-CYANO",
    ),
    # Above the therapeutic range: the lab's upper limit, else 3.0 [C].
    "inr": Rule(
        "canonical",
        (Limit("high", ">", lab="ref_high", default=INR_HIGH), Limit("low", "<", lab="ref_low")),
        "SPS-ANTICOAG",
    ),
    # eGFR below 30 [C]: MMA and homocysteine unreliable.
    "egfr": _low_risk(EGFR_LOW, "NICE-NG239"),
    # Platelets below 50 x10^9/L: a haematoma risk with an IM injection.
    "platelets": _low_risk(PLATELETS_LOW, "SPS-ANTICOAG"),
}
"""Each analyte's classification, as the reference gives it; an analyte without a rule (`retic`)
is classified by the lab's own limits only."""
_LAB_LIMITS_ONLY: Final = Rule(
    "canonical",
    (Limit("low", "<", lab="ref_low"), Limit("high", ">", lab="ref_high")),
    "B12PLAN",
    within=None,
)
_BEYOND: Final = {"<": Decimal.__lt__, "<=": Decimal.__le__, ">": Decimal.__gt__}


def classify(
    analyte: str,
    value: Decimal,
    unit: str,
    ref_low: Decimal | None,
    ref_high: Decimal | None,
    sex: str | None,
) -> Classification:
    """Classify a result by its analyte's rule (`RULES`); a lab's own reference limits (in its
    reported unit) win over the rule's defaults."""
    rule = RULES.get(analyte, _LAB_LIMITS_ONLY)
    # The lab's own limits in the rule's scale, spelled out: a batch classifies every lab.
    own_low, own_high = ref_low, ref_high
    if rule.scale == "canonical":
        value = to_canonical(analyte, value, unit)
        if ref_low is not None:
            own_low = to_canonical(analyte, ref_low, unit)
        if ref_high is not None:
            own_high = to_canonical(analyte, ref_high, unit)
    for step in rule.limits:
        limit = own_low if step.lab == "ref_low" else own_high if step.lab == "ref_high" else None
        if limit is None:
            default = step.default
            by = unit if step.by == "unit" else sex
            limit = default.get(by) if isinstance(default, dict) else default
        if limit is not None and _BEYOND[step.op](value, limit):
            return step.result
    if rule.within is not None:
        return rule.within
    return "normal" if ref_low is not None or ref_high is not None else "unclassified"


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
