"""What the engine reads off a record beyond its fields: records are plain values (generated from
the models, `b12plan.contract.records`), so what is worked out from them lives here."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from b12plan.contract.intervals import Interval

if TYPE_CHECKING:
    from b12plan.contract.records import Lab, MaintenanceSpec, Patient, Protocol


def decimal_value(lab: Lab) -> Decimal:
    """A lab's value as an exact decimal (from its shortest float spelling)."""
    return Decimal(repr(lab.value))


def canonical_value(lab: Lab) -> Decimal:
    """A lab's value in its analyte's canonical unit."""
    # `import ... as`: `from b12plan.contract import units` runs importlib's `_handle_fromlist`
    # on every call on Python 3.11 (~0.5 us), and a batch makes these calls for every lab.
    import b12plan.contract.units as units  # noqa: PLR0402

    return units.to_canonical(lab.analyte, decimal_value(lab), lab.unit)


def strength_mcg_per_ml(patient: Patient) -> float | None:
    """The patient's product strength in micrograms per mL, if given."""
    if patient.strength is None:
        return None
    from b12plan.contract.validators import parse_strength

    return parse_strength(patient.strength)


def step_intervals(spec: MaintenanceSpec) -> list[Interval]:
    """A maintenance phase's allowed intervals as Interval values, shortest first."""
    return [Interval.parse(step) for step in spec.steps]


def open_repletion(protocol: Protocol) -> bool:
    """True when the protocol's repletion ends at the clinician's `repletion_end` (neuro)."""
    return bool(protocol.repletion) and protocol.repletion[-1].count is None


def vegan_diet(patient: Patient) -> bool:
    """A vegan diet is a dietary cause that continues: treatment goes on while the diet does, as
    lifelong, never "review whether to stop" (reference, "Contraindications and special
    cases")."""
    return patient.cause == "dietary" and patient.conditions.vegan
