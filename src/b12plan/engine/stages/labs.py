"""Stage 3, the labs: every result classified, in date order (`engine/labs.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from b12plan.engine.labs import classify_labs

if TYPE_CHECKING:
    from b12plan.engine.stages.state import Planning


def run(state: Planning) -> None:
    """Classify the patient's labs (none dated after `as_of`)."""
    state.classified = classify_labs(state.patient.labs, state.patient.sex, state.as_of)
