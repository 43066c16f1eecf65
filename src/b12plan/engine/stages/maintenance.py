"""Stage 6, maintenance: from its anchor (the last loading dose, the first dose on record, or
the start), the replay of the record and the doses to come (`engine/maintenance.py`), and the
plan's `maintenance` section. A blocked plan has none."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from b12plan.contract.intervals import Interval
from b12plan.contract.vocab import REVERSIBLE_CAUSES
from b12plan.engine.derived import vegan_diet
from b12plan.engine.findings import finding
from b12plan.engine.forecast import note_replanned, overdue_slot
from b12plan.engine.maintenance import plan_maintenance
from b12plan.engine.transfer import interval_from_record

if TYPE_CHECKING:
    from b12plan.contract.documents import FindingDocument
    from b12plan.engine.repletion import Slot
    from b12plan.engine.stages.state import Planning


PLANNED_AHEAD = Interval(12, "mo")
"""Without `until`, doses are planned 12 months past the start or as_of, the later."""


def run(state: Planning) -> None:
    """Plan maintenance after the loading course, up to `until`."""
    if state.blocked:
        return
    patient, protocol, repletion, as_of = (
        state.patient,
        state.protocol,
        state.repletion,
        state.as_of,
    )
    until = patient.until or PLANNED_AHEAD.after(max(patient.start, as_of))
    spec = protocol.maintenance
    slots = list(repletion.slots)
    maintenance_given = patient.given[repletion.given_used :]
    if repletion.open_ended:
        # No maintenance yet: the replay only judges the clinician's decisions.
        anchor, origin, first_on_anchor, opened_on = patient.start, "", True, None
        maintenance_given, until = [], patient.start - timedelta(days=1)
    elif slots:
        last = slots[-1]
        anchor, origin, first_on_anchor = last.rule_date, "the last repletion dose", False
        opened_on = last.date if last.given is not None else None
    elif patient.repletion_done and maintenance_given:
        anchor, origin = maintenance_given[0].date, "the first dose on record"
        first_on_anchor, opened_on = True, maintenance_given[0].date
    else:
        anchor, origin, first_on_anchor = patient.start, "the start date", True
        opened_on = maintenance_given[0].date if maintenance_given else None
    _note_early_symptoms(patient.symptoms_returned, opened_on, state.raised)
    from_record, read = interval_from_record(patient, spec, protocol.id)
    if read is not None:
        state.raised.append(read)
    planned = state.planned = plan_maintenance(
        spec,
        start=patient.start,
        anchor=anchor,
        origin=origin,
        first_on_anchor=first_on_anchor,
        cycle_open=not first_on_anchor and opened_on is not None,
        given=maintenance_given,
        decisions=state.decided,
        symptoms=patient.symptoms_returned,
        labs=state.classified,
        until=until,
        as_of=as_of,
        clinic=state.clinic,
        trace=state.explain,
        from_record=from_record,
    )
    slots += planned.slots
    overdue = state.overdue = overdue_slot(slots)
    note_replanned(slots, overdue, trace=state.explain)
    state.slots = slots
    state.raised += planned.findings
    state.maintenance = {
        "interval": str(planned.interval),
        "lifelong": patient.cause not in REVERSIBLE_CAUSES or vegan_diet(patient),
        "next_due": _next_due(overdue, None if repletion.open_ended else planned.next_due),
        "steps": list(spec.steps),
        "why": (
            "set repletion_end to plan maintenance"
            if repletion.open_ended
            else f"{spec.why} ({spec.source})"
        ),
        "changes": [
            {"date": when, "interval": str(interval), "code": code, "why": why}
            for when, interval, code, why in planned.changes
        ],
    }
    state.month_based = planned.interval.unit == "mo" and not repletion.open_ended


def _next_due(overdue: Slot | None, planned: date | None) -> date | None:
    """`maintenance.next_due`: the overdue dose of either phase, else the next maintenance dose
    (reference, "Readings of the 2026-12-07 sections, settled")."""
    return planned if overdue is None else overdue.date


def _note_early_symptoms(
    symptoms: Sequence[date], opened_on: date | None, findings: list[FindingDocument]
) -> None:
    """Symptoms before the first maintenance cycle opened (the last repletion dose given, or
    the first dose given without repletion) change no interval: they are reported."""
    if not symptoms:
        return
    early = [d for d in symptoms if opened_on is None or d <= opened_on]
    if early:
        when = "before maintenance began" if opened_on is None else f"by {opened_on}"
        findings.append(
            finding(
                code="SYMPTOMS_BEFORE_MAINTENANCE",
                severity="info",
                message=(
                    f"symptoms recorded on {', '.join(map(str, early))}, {when}: they do not "
                    "change the maintenance interval; review the response to repletion"
                ),
                source="NICE-NG239",
            )
        )
