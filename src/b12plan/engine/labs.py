"""Lab results in the plan: classification, conversion, baseline, and the events they signal.

Baseline labs (on or before day 0, the first dose) drive diagnostic findings; labs after it
only matter to maintenance, where a deficiency result can shorten the interval; nothing
lengthens it (clinical/reference.md, "Frequency follows symptoms; labs never lengthen").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING

from b12plan.contract.records import Lab
from b12plan.engine.derived import canonical_value
from b12plan.errors import InvalidInput

if TYPE_CHECKING:
    from b12plan.contract.documents import LabResultDocument
    from b12plan.contract.vocab import Classification, Comparator

# Markers of deficiency used by the adjustment rule, with the classification that counts.
DEFICIENCY_MARKERS = {"b12": "low", "active-b12": "low", "mma": "high", "homocysteine": "high"}
# Markers that renal impairment makes unreliable (reference: eGFR < 30).
RENAL_UNRELIABLE = frozenset({"mma", "homocysteine"})
# Two results for one analyte and day in different units agree if they differ by at most this
# fraction after conversion: reported values are rounded, so 150 ng/L and 111 pmol/L are the
# same result [C]. In the same unit (or an identical scale, ng/L and pg/mL) nothing was rounded
# by conversion, so they must be equal.
AGREEMENT = Decimal("0.01")
# The order of the classified labs: by date, then analyte, then position (a C key: every plan
# sorts its labs).
BY_DATE = attrgetter("date", "analyte", "index")


class ClassifiedLab:
    """A validated lab with its classification."""

    __slots__ = ("analyte", "classification", "date", "index", "lab")

    def __init__(self, lab: Lab, classification: Classification, index: int) -> None:
        self.lab = lab
        self.classification = classification
        self.index = index
        """Position in the patient's `labs`, for error messages."""
        # Copied, not properties: the rules read them a score of times a plan.
        self.analyte: str = lab.analyte
        """What was measured."""
        self.date: date = lab.date
        """When the sample was taken."""

    @property
    def is_deficient(self) -> bool:
        """A deficiency marker (total/active B12 low, MMA or homocysteine high)."""
        wanted = DEFICIENCY_MARKERS.get(self.analyte)
        return wanted is not None and self.classification == wanted

    @property
    def is_anaemic(self) -> bool:
        """Hb below the sex-specific threshold."""
        return self.analyte == "hb" and self.classification in ("low", "severely-low")

    # The thresholds compare the value in the canonical unit, whatever the lab's own limits.

    def below(self, threshold: Decimal) -> bool:
        """The value is below `threshold` (in the canonical unit). A censored `<` or `<=`
        result could always be, and reads so: each threshold asked about here marks a risk
        below it, and a censored result reads as the band nearer it [C]."""
        if self.lab.comparator in ("<", "<="):
            return True
        return canonical_value(self.lab) < threshold

    @property
    def below_severe_hb(self) -> bool:
        """Hb below 80 g/L."""
        if self.lab.comparator is None:
            # Its class says so without converting the value again: an uncensored Hb is
            # severely-low exactly when below 80 g/L, whatever the lab's limits (units.RULES).
            return self.classification == "severely-low"
        # `import ... as`: `from b12plan.contract import units` runs importlib's `_handle_fromlist`
        # on every call on Python 3.11 (~0.5 us), and a batch makes these calls for every lab.
        import b12plan.contract.units as units  # noqa: PLR0402

        return self.below(units.HB_SEVERE_G_L)

    @property
    def below_egfr_low(self) -> bool:
        """eGFR below 30 mL/min/1.73m2."""
        if self.lab.comparator is None and self.lab.ref_low is None:
            # As for Hb: with no lower limit of the lab's own, an eGFR is low exactly below 30.
            return self.classification == "low"
        import b12plan.contract.units as units  # noqa: PLR0402

        return self.below(units.EGFR_LOW)

    @property
    def below_platelets_low(self) -> bool:
        """Platelets below 50 x 10^9/L."""
        if self.lab.comparator is None and self.lab.ref_low is None:
            # As for eGFR: with no lower limit of the lab's own, low exactly below 50.
            return self.classification == "low"
        import b12plan.contract.units as units  # noqa: PLR0402

        return self.below(units.PLATELETS_LOW)

    @property
    def is_macrocytic(self) -> bool:
        """MCV above 100 fL (or the lab's upper limit)."""
        return self.analyte == "mcv" and self.classification == "high"


def classify_labs(labs: Sequence[Lab], sex: str | None, as_of: date) -> list[ClassifiedLab]:
    """Classify every lab; reject future dates and same-day results that disagree."""
    if not labs:
        return []
    seen: dict[tuple[str, date], tuple[int, Lab]] = {}
    out: list[ClassifiedLab] = []
    for i, lab in enumerate(labs):
        if lab.date > as_of:
            raise InvalidInput(["labs", i, "date"], f"{lab.date} is after as_of {as_of}")
        key = (lab.analyte, lab.date)
        if key in seen:
            j, other = seen[key]
            if not _agree(lab, other):
                raise InvalidInput(
                    ["labs", i],
                    f"{lab.analyte} on {lab.date} is {lab.value} {lab.unit} but labs[{j}] says "
                    f"{other.value} {other.unit}; give one result per analyte and date",
                )
            continue  # the same result twice (perhaps in two units): keep the first
        seen[key] = (i, lab)
        classification = _classified(
            lab.analyte, lab.value, lab.unit, lab.ref_low, lab.ref_high, lab.comparator, sex
        )
        out.append(ClassifiedLab(lab, classification, i))
    out.sort(key=BY_DATE)
    return out


# Pure, and a batch's labs repeat a few results: each classified once. A class depends on the
# numbers only (it compares them as exact decimals), so 150 and 150.0 may share an entry.
@lru_cache(maxsize=4096)
def _classified(
    analyte: str,
    value: float,
    unit: str,
    ref_low: float | None,
    ref_high: float | None,
    comparator: Comparator | None,
    sex: str | None,
) -> Classification:
    """One result's class, by its analyte's rule (`units.RULES`)."""
    import b12plan.contract.units as units  # noqa: PLR0402

    number = Decimal(repr(value))
    low = None if ref_low is None else Decimal(repr(ref_low))
    high = None if ref_high is None else Decimal(repr(ref_high))
    if comparator is None:
        return units.classify(analyte, number, unit, low, high, sex)
    return units.classify_censored(analyte, number, comparator, unit, low, high, sex)


def _agree(a: Lab, b: Lab) -> bool:
    """Two same-day results of one analyte are the same result (see AGREEMENT)."""
    import b12plan.contract.units as units  # noqa: PLR0402

    spec = units.ANALYTE_UNITS[a.analyte]
    if not spec.convertible and a.unit != b.unit:
        return True  # one test reported on two scales that do not convert: nothing to compare
    x, y = canonical_value(a), canonical_value(b)
    factors = spec.factors
    if factors[a.unit] == factors[b.unit]:
        return x == y
    return abs(x - y) <= AGREEMENT * max(x, y)


def latest_and_baseline(
    labs: Iterable[ClassifiedLab], day0: date
) -> tuple[dict[str, ClassifiedLab], dict[str, ClassifiedLab]]:
    """The latest result of each analyte, and the latest taken before treatment (on or before
    day 0), in one pass over the labs (in date order, so the last one wins)."""
    latest: dict[str, ClassifiedLab] = {}
    baseline: dict[str, ClassifiedLab] = {}
    for lab in labs:
        latest[lab.analyte] = lab
        if lab.date <= day0:
            baseline[lab.analyte] = lab
    return latest, baseline


def latest(labs: Iterable[ClassifiedLab], analyte: str) -> ClassifiedLab | None:
    """The most recent result of one analyte, at any date."""
    found = None
    for lab in labs:
        if lab.analyte == analyte:
            found = lab
    return found


def lab_documents(labs: Sequence[ClassifiedLab], day0: date) -> list[LabResultDocument]:
    """The plan's `labs` section, with conversions, as plain data (see engine.document)."""
    results: list[LabResultDocument] = []
    for item in labs:
        lab = item.lab
        converted = _converted(lab.analyte, repr(lab.value), lab.unit)
        results.append(
            {
                "analyte": lab.analyte,
                "value": lab.value,
                "unit": lab.unit,
                "date": lab.date,
                "classification": item.classification,
                "converted": None
                if converted is None
                else {"value": converted[0], "unit": converted[1]},
                "ref_low": lab.ref_low,
                "ref_high": lab.ref_high,
                "baseline": lab.date <= day0,
                "comparator": lab.comparator,
            }
        )
    return results


# Pure, and a batch's labs repeat a few values in each unit: each value (as written, its
# shortest float spelling) converted and rounded once.
@lru_cache(maxsize=4096)
def _converted(analyte: str, value: str, unit: str) -> tuple[float, str] | None:
    """The value in the analyte's other common unit, rounded for output, if it has one."""
    import b12plan.contract.units as units  # noqa: PLR0402

    found = units.convert(analyte, Decimal(value), unit)
    return None if found is None else (units.round_value(found[0]), found[1])


def describe(lab: ClassifiedLab) -> str:
    """`b12 150 ng/L on 2025-02-24 (low)`; a censored result keeps its comparator (`<50`)."""
    value = f"{lab.lab.comparator or ''}{lab.lab.value:g}"
    return f"{lab.analyte} {value} {lab.lab.unit} on {lab.date} ({lab.classification})"
