"""Records are plain values; what the engine works out from them is in `engine/derived.py`."""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal

import pytest

from b12plan.contract.intervals import Interval
from b12plan.contract.plain import Record
from b12plan.contract.records import RECORDS, Lab
from b12plan.contract.validation import validated
from b12plan.engine.derived import (
    canonical_value,
    decimal_value,
    open_repletion,
    step_intervals,
    strength_mcg_per_ml,
)
from b12plan.protocols import bundled


@pytest.mark.parametrize("record", RECORDS.values(), ids=RECORDS)
def test_a_record_has_its_fields_and_nothing_else(record: type[Record]) -> None:
    """No record defines a method, property or value of its own: only its fields as slots."""
    own = {name for name in vars(record) if not name.startswith("__")}
    assert own == set(record.__slots__)
    assert all(name in record.__slots__ for name in inspect.get_annotations(record)), (
        record.__name__
    )


def test_a_lab_value_is_exact_and_converts_exactly() -> None:
    """0.1 ng/mL of folate is exactly 0.1 (not the float's binary expansion) and 0.2266 nmol/L."""
    lab = Lab(
        analyte="folate",
        value=0.1,
        unit="ng/mL",
        date=date(2026, 1, 1),
        ref_low=None,
        ref_high=None,
        comparator=None,
    )
    assert decimal_value(lab) == Decimal("0.1")
    assert canonical_value(lab) == Decimal("0.2266")


def test_strength_is_read_in_micrograms_per_ml_when_given() -> None:
    """'1 mg/mL' is 1000 mcg/mL; no strength is None (the protocol's default applies)."""
    patient = validated("patient", {"start": "2026-01-05", "cause": "dietary"})
    assert strength_mcg_per_ml(patient) is None
    assert strength_mcg_per_ml(patient.replaced(strength="1 mg/mL")) == 1000


def test_the_maintenance_steps_are_intervals_shortest_first() -> None:
    """A protocol's maintenance steps read as Interval values, in the protocol's order."""
    spec = bundled()["uk-bnf-hydroxo-nonneuro"].maintenance
    assert step_intervals(spec) == [Interval.parse(step) for step in spec.steps]
    assert [str(i) for i in step_intervals(spec)] == spec.steps


def test_only_the_courses_a_clinician_ends_have_an_open_repletion() -> None:
    """The neurological and Leber's protocols replete until the clinician's `repletion_end`;
    the others have a counted course."""
    opened = {pid for pid, protocol in bundled().items() if open_repletion(protocol)}
    assert opened == {"uk-bnf-hydroxo-neuro", "uk-hydroxo-leber"}
