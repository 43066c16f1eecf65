"""Repletion (loading) doses: gap patterns, given history, and open-ended neuro repletion.

Each dose is the previous dose's date (actual if given, else planned) plus the next gap, so a
late dose shifts the rest and the count is kept (clinical/reference.md, "Date conventions").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from b12plan.models import GivenDose
from b12plan.protocols import Protocol, RepletionSegment

# A neuro repletion longer than this is almost certainly a typo in repletion_end.
MAX_REPLETION_DAYS = 366


@dataclass(slots=True)
class Slot:
    """One dose as the engine places it, before statuses and numbering."""

    date: dt.date
    """Actual date if given, else planned."""
    planned_date: dt.date
    """When it was due by the rules."""
    phase: str
    dose_mcg: float
    why: str
    given: GivenDose | None = None
    provisional: bool = False
    trace: list[str] = field(default_factory=list)


@dataclass
class Repletion:
    """The repletion phase as placed."""

    slots: list[Slot]
    given_used: int
    """How many of the patient's given doses this phase consumed."""
    open_ended: bool
    """True when neuro repletion has no end date yet (plan incomplete)."""
    review_date: dt.date | None = None


def _describe_previous(previous: Slot) -> str:
    if previous.given is not None:
        return f"previous dose (given {previous.date})"
    return f"previous dose (planned {previous.date})"


def expand_repletion(
    protocol: Protocol,
    start: date,
    given: Sequence[GivenDose],
    repletion_end: date | None,
    *,
    trace: bool = True,
) -> Repletion:
    """Place every repletion dose, matching given doses in order.

    Each slot's `trace` (the rules that placed it) is written only when `trace` is true: a plan
    shows it only with `--explain`, and writing it was a large share of planning.
    """
    slots: list[Slot] = []
    gi = 0
    open_ended = False
    review: date | None = None
    segments = len(protocol.repletion)

    def place(segment: RepletionSegment, s_idx: int, j: int, limit: date | None, why: str) -> bool:
        nonlocal gi
        previous = slots[-1] if slots else None
        if previous is None:
            planned = start
        else:
            # The plan's first dose takes no gap, so the first segment's pattern starts at dose 2.
            gaps = segment.gaps_days
            days = gaps[(j - 1 if s_idx == 0 else j) % len(gaps)]
            planned = previous.date + timedelta(days=days)
        dose = given[gi] if gi < len(given) else None
        if dose is not None and limit is not None and dose.date > limit and previous is not None:
            # Given after repletion_end: a maintenance dose. Not for the first dose: the
            # patient's first injection is dose 1 even when it came after repletion_end.
            dose = None
        if dose is None:
            if limit is not None and planned > limit:
                return False
            slot = Slot(planned, planned, "repletion", segment.dose_mcg, why)
        else:
            gi += 1
            slot = Slot(
                dose.date, planned, "repletion", dose.dose_mcg or segment.dose_mcg, why, dose
            )
        if trace:
            if previous is None:
                step = f"first dose on the start date {start}"
            else:
                step = f"{_describe_previous(previous)} + {days} day{'s' if days != 1 else ''}"
            label = f"segment {s_idx + 1} of {segments}"
            slot.trace = [f"protocol {protocol.id}, repletion {label}: {why}", step]
            if dose is not None and dose.date != planned:
                slot.trace.append(f"given {dose.date}, planned {planned}: later doses follow it")
        slots.append(slot)
        return True

    for s_idx, segment in enumerate(protocol.repletion):
        why = f"{segment.why} ({segment.source})"
        if segment.count is not None:
            for j in range(segment.count):
                place(segment, s_idx, j, None, why)
            continue
        # Open-ended (neuro): alternate days until the clinician's end date.
        j = 0
        if repletion_end is not None:
            while place(segment, s_idx, j, repletion_end, why):
                j += 1
            if slots and trace:
                slots[-1].trace.append(f"repletion ends on or before repletion_end {repletion_end}")
        else:
            open_ended = True
            assert segment.provisional_count is not None  # noqa: S101 - enforced by the model
            assert segment.review_day is not None  # noqa: S101
            wanted = max(segment.provisional_count, len(given) - gi + 1)
            first = len(slots)
            for j in range(wanted):
                place(segment, s_idx, j, None, why)
            for slot in slots[first:]:
                if slot.given is None:
                    slot.provisional = True
                    if trace:
                        slot.trace.append(
                            "provisional: no repletion_end yet; continue until no further "
                            "improvement"
                        )
            review = start + timedelta(days=segment.review_day)
    return Repletion(slots, gi, open_ended, review)
