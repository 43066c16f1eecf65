"""Stage 2, the protocol: the one the patient names (or a custom one), or the automatic choice,
with the product, route and strength (`engine/select.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from b12plan.engine.select import Choice, choose_protocol
from b12plan.protocols import bundled

if TYPE_CHECKING:
    from b12plan.contract.records import Patient
    from b12plan.engine.stages.state import Planning


def run(state: Planning) -> None:
    """Choose the protocol, product, route and strength."""
    if state.catalogue is None and state.custom is None:
        state.choice = bundled_choice(state.patient)
    else:
        catalogue = bundled() if state.catalogue is None else state.catalogue
        state.choice = choose_protocol(state.patient, catalogue, state.custom)
    state.protocol = state.choice.protocol


_CHOICES: dict[tuple[object, ...], Choice] = {}
MAX_CHOICES: Final = 1024


def bundled_choice(patient: Patient) -> Choice:
    """`choose_protocol` among the bundled protocols, made once for each combination of what it
    reads (a batch's patients share a handful; a Choice is never changed). A refusal raises
    each time, and is not kept."""
    key = (
        patient.protocol,
        patient.product,
        patient.route,
        patient.strength,
        patient.conditions.leber,
        patient.neuro,
        patient.cause,
    )
    choice = _CHOICES.get(key)
    if choice is None:
        choice = choose_protocol(patient, bundled())
        if len(_CHOICES) < MAX_CHOICES:
            _CHOICES[key] = choice
    return choice
