"""The numbered doses of a plan, and what the record says about them (clinical/reference.md,
"Records over time"): statuses, recorded misses, late and overdue doses. The IM hold a high INR
puts on a dose is `engine.anticoag`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from b12plan.contract.records import MissedDose
from b12plan.engine.facts import volume_ml
from b12plan.engine.findings import finding
from b12plan.engine.forecast import is_late
from b12plan.engine.repletion import Slot
from b12plan.engine.select import Choice

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, FindingDocument

MISS_WORDS = {
    "declined": "declined",
    "did-not-attend": "did not attend",
    "unavailable": "unavailable",
    "other": "other reason",
}


def attach_misses(slots: Sequence[Slot], missed: Sequence[MissedDose]) -> None:
    """Each recorded miss belongs to the first dose not given by its date; it moves no date
    (reference, "Readings ... settled"). A dose answers to its latest miss."""
    for miss in missed:
        for slot in slots:
            if slot.given is None or slot.given.date > miss.date:
                slot.missed = (miss.date, miss.reason)
                break


def number_doses(
    slots: Sequence[Slot], choice: Choice, as_of: date, explain: bool
) -> list[DoseDocument]:
    """Each slot as the document's dose: numbered from 1, with its status and volume."""
    doses: list[DoseDocument] = []
    route, strength = choice.route, choice.strength_mcg_per_ml
    # A plan gives one or two amounts: each one's volume is worked out once, not per dose.
    volumes: dict[float, float] = {}
    for n, slot in enumerate(slots, start=1):
        given, missed, dose_mcg = slot.given, slot.missed, slot.dose_mcg
        if given is not None:
            status = "given"
        elif slot.date < as_of or (missed is not None and missed[0] >= slot.date):
            status = "overdue"  # a recorded miss keeps the dose owed
        elif slot.date == as_of:
            status = "due"
        else:
            status = "provisional" if slot.provisional else "planned"
        volume = volumes.get(dose_mcg)
        if volume is None:
            volume = volumes[dose_mcg] = volume_ml(dose_mcg, strength)
        dose: DoseDocument = {
            "n": n,
            "date": slot.date,
            "phase": slot.phase,
            "dose_mcg": dose_mcg,
            "volume_ml": volume,
            "route": route,
            "status": status,
            "why": slot.why,
            "planned_date": slot.planned_date if slot.planned_date != slot.date else None,
            "site": given.site if given is not None else None,
            "moved_from": slot.moved_from,
            "missed": None if missed is None else {"date": missed[0], "reason": missed[1]},
            "held": None,
        }
        if explain:
            dose["trace"] = slot.trace or []
        doses.append(dose)
    return doses


def _missed_words(slot: Slot) -> str:
    if slot.missed is None:
        return ""
    when, reason = slot.missed
    return f"; missed {when}, {MISS_WORDS[reason]}"


def history_findings(doses: Sequence[DoseDocument], slots: Sequence[Slot]) -> list[FindingDocument]:
    out = []
    overdue = []
    for dose, slot in zip(doses, slots, strict=True):
        status = dose["status"]
        if status == "overdue":
            overdue.append(f"dose {dose['n']} ({slot.date.isoformat()}{_missed_words(slot)})")
        # Most doses are given on their planned date: only one given off it can be late.
        elif status == "given" and slot.date != slot.planned_date and is_late(slot):
            late = (slot.date - slot.planned_date).days
            out.append(
                finding(
                    code="LATE_DOSE",
                    severity="info",
                    message=(
                        f"dose {dose['n']} given {slot.date}, {late} "
                        f"day{'s' if late != 1 else ''} after it was due ({slot.planned_date}"
                        f"{_missed_words(slot)}): later doses follow the actual date, count kept"
                    ),
                    source="B12PLAN",
                )
            )
    if overdue:
        listed = ", ".join(overdue)
        out.append(
            finding(
                code="OVERDUE_DOSE",
                severity="warning",
                message=f"not recorded as given: {listed}; give now or record it",
                source="B12PLAN",
            )
        )
    return out
