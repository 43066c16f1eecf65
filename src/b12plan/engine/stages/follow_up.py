"""Stage 8, the follow-up: the tests to arrange and when (`engine/followup.py`), the INR
rechecks a high INR asks for among them, none after a recorded stop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from b12plan.engine import stopping
from b12plan.engine.followup import follow_up_tests

if TYPE_CHECKING:
    from b12plan.engine.stages.state import Planning


def run(state: Planning) -> None:
    """List the follow-up tests."""
    anticoag = state.anticoag
    if anticoag is None:  # blocked: nothing is dated
        return
    patient, as_of = state.patient, state.as_of
    follow_up = follow_up_tests(
        patient,
        state.protocol,
        state.facts.baseline,
        state.repletion.review_date,
        day0=state.day0,
        as_of=as_of,
        labs=state.classified,
        latest=state.facts.latest,
        judged=anticoag.rechecks,
    )
    if patient.stopped is not None:
        follow_up = stopping.stopped_follow_up(follow_up, patient.stopped, as_of)
    state.follow_up = follow_up
