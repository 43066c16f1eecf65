"""Stage 10, the document: the plan as the contract gives it (`contract/documents.py`), with
the conventions that shaped what it shows (`engine/conventions.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from b12plan import __version__
from b12plan.contract.vocab import DISCLAIMER, SCHEMA_VERSION
from b12plan.engine.conventions import CENSORED, plan_conventions
from b12plan.engine.labs import lab_documents

if TYPE_CHECKING:
    from collections.abc import Sequence

    from b12plan.contract.documents import ProtocolDocument
    from b12plan.engine.repletion import Slot
    from b12plan.engine.stages.state import Planning


def run(state: Planning) -> None:
    """Write the plan document."""
    patient, choice, planned = state.patient, state.choice, state.planned
    state.document = {
        "schema_version": SCHEMA_VERSION,
        "ref": patient.ref,
        "generator": {"name": "b12plan", "version": __version__},
        "as_of": state.as_of,
        "disclaimer": DISCLAIMER,
        "protocol": _protocol(state),
        "complete": not state.blocked and (not state.repletion.open_ended or state.ended),
        "doses": state.doses,
        "maintenance": state.maintenance,
        "adjustments": [] if planned is None else planned.adjustments,
        "follow_up": state.follow_up,
        "labs": lab_documents(state.classified, state.day0),
        "findings": state.findings,
        "inputs": {
            "product": choice.product,
            "route": choice.route,
            "strength_mcg_per_ml": choice.strength_mcg_per_ml,
            "defaults_applied": list(choice.defaults_applied),
        },
    }


def _protocol(state: Planning) -> ProtocolDocument:
    """The protocol section: which, why, and every convention that shaped the plan."""
    patient, protocol, classified = state.patient, state.protocol, state.classified
    blocked = state.blocked
    conventions = plan_conventions(
        chosen_automatically=patient.protocol == "auto" and state.custom is None,
        has_labs=bool(classified),
        blocked=blocked,
        **(_NOTHING_SHAPED if blocked else _shaped(state)),
    )
    # Loops, not any() over a generator, here and in `_shaped`: every plan asks each of these,
    # and a generator's frame costs more than the question.
    for lab in classified:
        if lab.lab.comparator is not None:
            conventions.append(CENSORED)
            break
    return {
        "id": protocol.id,
        "title": protocol.title,
        "sources": list(protocol.sources),
        "chosen_because": state.choice.chosen_because,
        # The protocol's own conventions date its doses: a blocked plan has none to shape.
        "conventions": [*([] if blocked else protocol.conventions), *conventions],
    }


_NOTHING_SHAPED: Final = dict.fromkeys(
    (
        "month_based",
        "has_follow_up",
        "adjustment_judged",
        "clinic",
        "record",
        "forecast",
        "overdue_recheck",
    ),
    False,
)
"""A blocked plan dates nothing: no convention shaped a dose."""


def _shaped(state: Planning) -> dict[str, bool]:
    """What shaped a plan's doses, for the conventions it names."""
    patient, classified, slots, anticoag = (
        state.patient,
        state.classified,
        state.slots,
        state.anticoag,
    )
    planned = state.planned
    adjustments = [] if planned is None else planned.adjustments
    # One pass over the labs: one taken on treatment, an INR.
    on_treatment = inr = False
    for lab in classified:
        on_treatment = on_treatment or lab.date > patient.start
        inr = inr or lab.analyte == "inr"
    # The adjustment rule had something to judge: a change, symptoms, a dose given in
    # maintenance (the replay's own doses, fewer than the plan's: a stop keeps every dose
    # given), or a lab taken on treatment.
    judged = bool(
        adjustments
        or state.decided
        or patient.symptoms_returned
        or (planned is not None and _any_given(planned.slots))
        or on_treatment
    )
    return {
        "month_based": state.month_based,
        "has_follow_up": bool(state.follow_up),
        "adjustment_judged": judged and not state.repletion.open_ended,
        "clinic": patient.clinic is not None,
        "record": bool(state.decided or patient.missed or patient.repletion_done or inr),
        "overdue_recheck": anticoag is not None and anticoag.overdue_recheck,
        # A dose overdue, or one given off its date: the forecast and its grace applied.
        "forecast": state.overdue is not None or _any_given_off_date(slots),
    }


def _any_given(slots: Sequence[Slot]) -> bool:
    for slot in slots:  # noqa: SIM110 - see `_protocol`
        if slot.given is not None:
            return True
    return False


def _any_given_off_date(slots: Sequence[Slot]) -> bool:
    for slot in slots:  # noqa: SIM110 - see `_protocol`
        if slot.given is not None and slot.date != slot.planned_date:
            return True
    return False
