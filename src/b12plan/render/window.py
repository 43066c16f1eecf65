"""`--from DATE` / `--upcoming`: the doses shown from a date on, and those left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, PlanDocument


def doses_from(
    doses: Sequence[DoseDocument], since: date
) -> tuple[list[DoseDocument], list[DoseDocument]]:
    """(shown, hidden): doses dated `since` or later, and those before it.

    An overdue dose is always shown: it is still to be given, whatever the date asked for.
    """
    shown = [d for d in doses if d["date"] >= since or d["status"] == "overdue"]
    hidden = [d for d in doses if not (d["date"] >= since or d["status"] == "overdue")]
    return shown, hidden


def plan_from(plan: PlanDocument, since: date) -> PlanDocument:
    """The plan with only the doses shown from `since` (numbers kept, so dose N is still N)."""
    return {**plan, "doses": doses_from(plan["doses"], since)[0]}


def hidden_line(hidden: Sequence[DoseDocument], since: date) -> str:
    """`7 earlier doses not shown (before 2026-11-24: 6 given, 1 planned)`."""
    if not hidden:
        return f"No earlier doses (none before {since})."
    counts = Counter(d["status"] for d in hidden)
    tally = ", ".join(f"{n} {status}" for status, n in counts.items())
    plural = "s" if len(hidden) != 1 else ""
    return f"{len(hidden)} earlier dose{plural} not shown (before {since}: {tally})"
