"""A course that stops, as the renderers tell it: read off the plan's STOPPED finding, whose
message begins `treatment stopped on DATE (REASON` (engine/findings.py), so that a renderer
needs nothing but the plan document."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from b12plan.contract.vocab import STOPPED_ON

if TYPE_CHECKING:
    from b12plan.contract.documents import FindingDocument, PlanDocument


def stop_finding(plan: PlanDocument) -> FindingDocument | None:
    """The plan's STOPPED finding, if treatment stops."""
    return next((f for f in plan["findings"] if f["code"] == "STOPPED"), None)


def stop_of(plan: PlanDocument) -> tuple[date, str] | None:
    """The day treatment stops (or stopped) and the words after it, starting with its
    reason, from the STOPPED finding."""
    found = stop_finding(plan)
    if found is None:
        return None
    day = date.fromisoformat(found["message"].removeprefix(STOPPED_ON).split()[0])
    return day, found["message"].partition("(")[2]
