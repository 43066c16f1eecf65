"""Stage 2, the protocol: the one the patient names (or a custom one), or the automatic choice,
with the product, route and strength (`engine/select.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from b12plan.engine.select import choose_protocol
from b12plan.protocols import bundled

if TYPE_CHECKING:
    from b12plan.engine.stages.state import Planning


def run(state: Planning) -> None:
    """Choose the protocol, product, route and strength."""
    catalogue = bundled() if state.catalogue is None else state.catalogue
    state.choice = choose_protocol(state.patient, catalogue, state.custom)
    state.protocol = state.choice.protocol
