"""A course that stopped (`stopped`): what is still planned, owed and followed up
(clinical/reference.md, "Stopping treatment" and "Readings of the 2026-12-07 sections, settled").

- No dose is planned after the stop date; once the stop is on or before `as_of`, no dose is owed
  any more either (nothing is overdue): only the doses given remain.
- `cause-corrected` and `switched-to-oral` add a clinical review 3 months after the stop
  (SPS-NG239); after `died` and `transferred-out` the follow-up items dated after the stop are
  removed, and the earlier ones keep their status.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from b12plan.contract.intervals import Interval
from b12plan.contract.vocab import (
    STOP_ENDS_FOLLOW_UP,
    STOP_REASON_WORDS,
    STOP_REVIEW_WHY,
    STOP_REVIEWED,
)

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, FollowUpDocument
    from b12plan.contract.records import Stopped
    from b12plan.engine.repletion import Slot

REVIEW_AFTER = Interval(3, "mo")


def kept(stopped: Stopped, as_of: date, dose: DoseDocument) -> bool:
    """Whether a dose stays in the plan of a course that stopped."""
    if dose["status"] == "given":
        return True
    return stopped.date > as_of and dose["date"] <= stopped.date


def stopped_doses(
    doses: Sequence[DoseDocument], slots: Sequence[Slot], stopped: Stopped, as_of: date
) -> tuple[list[DoseDocument], list[Slot]]:
    """The doses (and the slots they were placed from) that a stop leaves in the plan."""
    pairs = [(d, s) for d, s in zip(doses, slots, strict=True) if kept(stopped, as_of, d)]
    return [d for d, _ in pairs], [s for _, s in pairs]


def stopped_next_due(next_due: date | None, stopped: Stopped, as_of: date) -> date | None:
    """Nothing is due once the stop has happened, nor after it."""
    if next_due is None or stopped.date <= as_of or next_due > stopped.date:
        return None
    return next_due


def stopped_follow_up(
    items: Sequence[FollowUpDocument], stopped: Stopped, as_of: date
) -> list[FollowUpDocument]:
    """The follow-up of a course that stopped, in date order."""
    out = list(items)
    if stopped.reason in STOP_ENDS_FOLLOW_UP:
        out = [item for item in out if item["date"] <= stopped.date]
    if stopped.reason in STOP_REVIEWED:
        when = REVIEW_AFTER.after(stopped.date)
        out.append(
            {
                "date": when,
                "until": None,
                "test": "clinical review",
                "why": (
                    f"{STOP_REVIEW_WHY} ({STOP_REASON_WORDS[stopped.reason]}): review "
                    "symptoms; restart if they return"
                ),
                "source": "SPS-NG239",
                "status": "overdue" if as_of > when else "due" if as_of == when else "planned",
            }
        )
        out.sort(key=lambda f: (f["date"], f["test"]))
    return out
