"""Stage 7, the doses: every dose numbered with its status (`engine/doses.py`), misses
attached, a recorded stop applied (`engine/stopping.py`), what the history shows (late,
overdue, lapsed), the IM doses a high INR holds (`engine/anticoag.py`) and, without clinic
days, the doses on a weekend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from b12plan.engine import stopping
from b12plan.engine.anticoag import anticoag_plan
from b12plan.engine.clinic import weekend_doses
from b12plan.engine.doses import attach_misses, history_findings, number_doses
from b12plan.engine.forecast import lapsed_overdue

if TYPE_CHECKING:
    from b12plan.engine.stages.state import Planning


def run(state: Planning) -> None:
    """Number the doses and judge them."""
    planned, maintenance = state.planned, state.maintenance
    if planned is None or maintenance is None:  # blocked: nothing is dated
        return
    patient, as_of, slots = state.patient, state.as_of, state.slots
    attach_misses(slots, patient.missed)
    doses = number_doses(slots, state.choice, as_of, state.explain)
    stopped = patient.stopped
    if stopped is not None:
        doses, slots = stopping.stopped_doses(doses, slots, stopped, as_of)
        maintenance["next_due"] = stopping.stopped_next_due(maintenance["next_due"], stopped, as_of)
    state.doses, state.slots = doses, slots
    state.raised += history_findings(doses, slots)
    lapse = lapsed_overdue(slots, planned.interval, as_of)
    if lapse is not None:
        state.raised.append(lapse)
    overdue = state.overdue
    # Neurological involvement, before the first dose or during open repletion: nothing held.
    neuro_exempt = patient.neuro and (not patient.given or state.repletion.open_ended)
    anticoag = state.anticoag = anticoag_plan(
        doses,
        state.classified,
        route=state.choice.route,
        as_of=as_of,
        resumed_on=None if overdue is None else overdue.resumed_on,
        neuro_exempt=neuro_exempt,
    )
    state.raised += anticoag.findings
    # Without clinic days nothing moves: doses on a weekend are said once (WEEKEND_DOSES).
    if patient.clinic is None and (weekend := weekend_doses(doses, as_of)) is not None:
        state.raised.append(weekend)
