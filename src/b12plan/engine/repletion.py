"""Repletion (loading) doses: gap patterns, given history, repletion_end and clinic closures.

Each dose is the previous dose's date (actual if given, else planned) plus the next gap, so a
late dose shifts the rest and the count is kept (clinical/reference.md, "Date conventions").
Given doses match planned doses in order in every phase: a dose given after `repletion_end`
that was owed to repletion (planned on or before that date) is a late repletion dose, not a
maintenance dose ("Clarified readings"). `repletion_end` ends the loading phase of any protocol:
no dose is planned after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from datetime import date, timedelta

from b12plan.contract.intervals import days as day_count
from b12plan.contract.records import GivenDose, Protocol, RepletionSegment
from b12plan.engine.clinic import ClinicCalendar

# A repletion longer than this is almost certainly a typo in repletion_end.
MAX_REPLETION_DAYS = 366


class Slot:
    """One dose as the engine places it, before statuses and numbering."""

    __slots__ = (
        "date",
        "dose_mcg",
        "given",
        "missed",
        "moved_from",
        "phase",
        "planned_date",
        "provisional",
        "resumed_on",
        "trace",
        "why",
    )

    def __init__(
        self,
        date: dt.date,
        planned_date: dt.date,
        phase: str,
        dose_mcg: float,
        why: str,
        given: GivenDose | None = None,
        *,
        moved_from: dt.date | None = None,
        trace: list[str] | None = None,
    ) -> None:
        self.date = date
        """Actual date if given, else planned (after any move off a closed day)."""
        self.planned_date = planned_date
        """When it was due by the rules (after any move)."""
        self.phase = phase
        self.dose_mcg = dose_mcg
        self.why = why
        self.given = given
        self.moved_from = moved_from
        """The date the rules gave a planned dose before a clinic closure moved it."""
        self.provisional = False
        self.missed: tuple[dt.date, str] | None = None
        """The recorded miss (date, reason) this dose answers to."""
        self.resumed_on: dt.date | None = None
        """For the one overdue dose: the day it is re-planned as given (as_of, or the next open
        day), which every later dose counts from (reference, "Forecast from today")."""
        self.trace = trace
        """The rules that placed it, only when the plan is explained (`--explain`): a list a
        dose made and freed for nothing was a measurable share of planning."""

    @property
    def counts_from(self) -> dt.date:
        """What the next repletion gap counts from: the day an overdue dose is re-planned as
        given, else its date (actual if given, else planned after any move)."""
        return self.date if self.resumed_on is None else self.resumed_on

    @property
    def rule_date(self) -> dt.date:
        """What maintenance counts from: the actual date if given, the day an overdue dose is
        re-planned as given, else the unmoved date."""
        if self.resumed_on is not None:
            return self.resumed_on
        if self.given is None and self.moved_from is not None:
            return self.moved_from
        return self.date


class Repletion:
    """The repletion phase as placed."""

    __slots__ = ("given_used", "open_ended", "review_date", "slots")

    def __init__(
        self,
        slots: list[Slot],
        given_used: int,
        open_ended: bool,
        review_date: dt.date | None = None,
    ) -> None:
        self.slots = slots
        self.given_used = given_used
        """How many of the patient's given doses this phase consumed."""
        self.open_ended = open_ended
        """True when neuro repletion has no end date yet (plan incomplete)."""
        self.review_date = review_date


def moved_note(slot: Slot, why: str | None) -> str:
    """The words a moved dose carries in its `why` and trace."""
    return f"moved from {slot.moved_from} ({why})"


def _describe_previous(previous: Slot) -> str:
    if previous.given is not None:
        return f"previous dose (given {previous.date})"
    if previous.resumed_on is not None:
        return f"previous dose (overdue, re-planned as given {previous.resumed_on})"
    return f"previous dose (planned {previous.date})"


def expand_repletion(
    protocol: Protocol,
    start: date,
    given: Sequence[GivenDose],
    repletion_end: date | None,
    *,
    as_of: date,
    clinic: ClinicCalendar,
    trace: bool = True,
) -> Repletion:
    """Place every repletion dose, matching given doses in order; the first dose not given, if
    its date is before `as_of`, is the one overdue dose and the rest count from the day it is
    re-planned as given (`resume_day`).

    Each slot's `trace` (the rules that placed it) is written only when `trace` is true: a plan
    shows it only with `--explain`, and writing it was a large share of planning.
    """
    slots: list[Slot] = []
    gi = 0
    open_ended = False
    review: date | None = None
    segments = len(protocol.repletion)
    limit = repletion_end

    def place(segment: RepletionSegment, s_idx: int, j: int, why: str) -> bool:
        """Place the next dose of `segment`; False when repletion_end has been reached."""
        nonlocal gi
        previous = slots[-1] if slots else None
        if previous is None:
            planned = start
        else:
            # The plan's first dose takes no gap, so the first segment's pattern starts at dose 2.
            gaps = segment.gaps_days
            days = gaps[(j - 1 if s_idx == 0 else j) % len(gaps)]
            planned = previous.counts_from + day_count(days)
        dose = given[gi] if gi < len(given) else None
        # Past repletion_end a dose is owed to none of the loading phase: only one given while
        # the phase lasted still belongs to it.
        if limit is not None and planned > limit and (dose is None or dose.date > limit):
            return False
        # A dose moved past repletion_end is kept (reference: "Readings ... settled").
        moved, closed = clinic.next_open(planned)
        # Slots are made with positional arguments only: a keyword costs a third of a slot.
        if dose is None:
            slot = Slot(moved, moved, "repletion", segment.dose_mcg, why)
            if closed is not None:  # the day was closed: the dose moved
                slot.moved_from = planned
                slot.why = f"{why}; {moved_note(slot, closed)}"
        else:
            gi += 1
            slot = Slot(dose.date, moved, "repletion", dose.dose_mcg or segment.dose_mcg, why, dose)
        if dose is None and (previous is None or previous.given is not None) and moved < as_of:
            # Given doses are matched first, so this is the first dose not given.
            slot.resumed_on = resume_day(as_of, clinic)
        if trace:
            if previous is None:
                step = f"first dose on the start date {start}"
            else:
                step = f"{_describe_previous(previous)} + {days} day{'s' if days != 1 else ''}"
            label = f"segment {s_idx + 1} of {segments}"
            lines = [f"protocol {protocol.id}, repletion {label}: {why}", step]
            if closed is not None:
                lines.append(f"{planned} {closed}: moved to the next open day {moved}")
            if dose is not None and dose.date != moved:
                lines.append(f"given {dose.date}, planned {moved}: later doses follow it")
            slot.trace = lines
        slots.append(slot)
        return True

    for s_idx, segment in enumerate(protocol.repletion):
        why = f"{segment.why} ({segment.source})"
        if segment.count is not None:
            j = 0
            while j < segment.count and place(segment, s_idx, j, why):
                j += 1
            if j < segment.count:
                break  # repletion_end came before the protocol's count
            continue
        # Open-ended (neuro): alternate days until the clinician's end date.
        j = 0
        if limit is not None:
            while place(segment, s_idx, j, why):
                j += 1
        else:
            open_ended = True
            assert segment.provisional_count is not None  # noqa: S101 - enforced by the model
            assert segment.review_day is not None  # noqa: S101
            wanted = max(segment.provisional_count, len(given) - gi + 1)
            j = 0
            # At least one dose after an overdue one: the course goes on from as_of.
            while j < wanted or slots[-1].resumed_on is not None:
                place(segment, s_idx, j, why)
                j += 1
            # Every dose of an open course waits on the clinician's review, those of its fixed
            # first segments too (Leber's: "18 provisional doses", reference, "Readings of the
            # 2026-12-07 sections, settled").
            for slot in slots:
                if slot.given is None:
                    slot.provisional = True
                    if slot.trace is not None:
                        slot.trace.append(
                            "provisional: no repletion_end yet; continue until no further "
                            "improvement"
                        )
            day0 = day_zero(given, start, as_of, clinic)
            review = day0 + timedelta(days=segment.review_day)
    if limit is not None and slots and (last := slots[-1].trace) is not None:
        last.append(f"repletion ends on or before repletion_end {limit}")
    return Repletion(slots, gi, open_ended, review)


def resume_day(as_of: date, clinic: ClinicCalendar) -> date:
    """The day an overdue dose is re-planned as given: `as_of`, or the next open day."""
    return clinic.next_open(as_of)[0]


def day_zero(given: Sequence[GivenDose], start: date, as_of: date, clinic: ClinicCalendar) -> date:
    """Day 0 of the course: the first dose given; before any, the first planned dose (`start`,
    or the next open day), or the day it is re-planned as given when it is overdue (reference,
    "Follow-up counts from the first dose" and its settled reading)."""
    if given:
        return given[0].date
    first = clinic.next_open(start)[0]
    return first if first >= as_of else resume_day(as_of, clinic)
