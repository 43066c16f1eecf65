"""Forecast from today, and gaps in treatment (clinical/reference.md, "Treatment as it happens
(2026-12-07)": "Forecast from today" and "Gaps in treatment").

The record is history; the doses not yet given are a forecast from `as_of`. Placement marks the
first dose not given, when it falls before `as_of`, as the one overdue dose (`Slot.resumed_on`:
the day it is re-planned as given) and counts every later dose from that day; this module names
that dose in what comes after it and judges the gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from b12plan.contract.intervals import Interval
from b12plan.engine.findings import finding
from b12plan.engine.repletion import Slot

if TYPE_CHECKING:
    from b12plan.contract.documents import FindingDocument

# A given dose this many days after its planned date is on time: no LATE_DOSE [C].
GRACE_DAYS = {"maintenance": 7, "repletion": 2}
GAPS_SOURCE = "B12PLAN"


def overdue_slot(slots: Sequence[Slot]) -> Slot | None:
    """The one overdue dose, if any."""
    for slot in slots:
        if slot.resumed_on is not None:
            return slot
    return None


def note_replanned(slots: list[Slot], overdue: Slot | None, *, trace: bool) -> None:
    """Every dose after the overdue one (`overdue_slot`) says, in its `why`, that it was
    re-planned from it."""
    if overdue is None:
        return
    note = f"re-planned as if the overdue dose of {overdue.date} were given on {overdue.resumed_on}"
    # Most plans have an overdue dose, and the doses after it share a few texts (one a phase):
    # each text is re-written once.
    noted: dict[str, str] = {}
    for slot in slots[slots.index(overdue) + 1 :]:
        if slot.given is None:
            why = noted.get(slot.why)
            if why is None:
                # Before any "; moved from" note: the rule a run of doses shares comes first.
                rule, moved, closure = slot.why.partition("; moved from ")
                why = noted[slot.why] = f"{rule}; {note}{moved}{closure}"
            slot.why = why
            if trace and slot.trace is not None:
                slot.trace.append(note)


def is_late(slot: Slot) -> bool:
    """A given dose later than its phase's grace after its planned date (reference, "Gaps in
    treatment": 7 days in maintenance, 2 in repletion)."""
    return (slot.date - slot.planned_date).days > GRACE_DAYS[slot.phase]


def lapsed_overdue(
    slots: Sequence[Slot], interval: Interval, as_of: date
) -> FindingDocument | None:
    """`LAPSED` when the overdue dose is more than one interval in force late on `as_of`: two
    intervals without B12 since the last dose given. Only once treatment has started: before
    the first dose the patient has not lapsed, only not begun (OVERDUE_DOSE says that) [C]."""
    overdue = overdue_slot(slots)
    given = [slot.date for slot in slots if slot.given is not None]
    if overdue is None or not given or interval.after(overdue.date) >= as_of:
        return None
    days = (as_of - given[-1]).days
    return lapsed(
        f"no dose since {given[-1]} ({days} days by {as_of}); the dose due {overdue.date} is "
        f"more than {interval.words()} (the interval in force) overdue"
    )


def lapsed(gap: str) -> FindingDocument:
    """The `LAPSED` warning for a gap described in `gap`."""
    return finding(
        code="LAPSED",
        severity="warning",
        message=(
            f"treatment lapsed: {gap}; review symptoms and consider a new loading course (the "
            "clinician decides; nothing is added automatically)"
        ),
        source=GAPS_SOURCE,
    )


def lapsed_given(previous: date, given: date, interval: Interval) -> FindingDocument | None:
    """`LAPSED` when a maintenance dose was given more than two intervals in force after the
    previous dose given."""
    if given <= interval.after(previous, 2):
        return None
    return lapsed(
        f"{(given - previous).days} days without B12 between the doses given {previous} and "
        f"{given}, more than twice the interval in force ({interval.words()})"
    )
