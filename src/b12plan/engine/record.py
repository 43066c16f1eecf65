"""The patient's record as dated events, the way the replay reads it (in date order).

A record holds what happened (doses given or missed, labs, symptoms) and what was decided (the
clinician's interval changes), each with its date. Every decision takes effect from its own date
and never rewrites what came before it (clinical/reference.md, "Records over time").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from b12plan.contract.intervals import Interval
from b12plan.contract.records import Patient
from b12plan.engine.labs import RENAL_UNRELIABLE, ClassifiedLab, describe


class Decision:
    """A clinician's interval change, in force from `date`."""

    __slots__ = ("date", "reason", "undated", "wanted")

    def __init__(self, when: date, wanted: Interval, reason: str | None, undated: bool) -> None:
        self.date = when
        self.wanted = wanted
        self.reason = reason
        self.undated = undated
        """Given as the single `interval` field: dated `as_of` (reference, "Records over
        time")."""


class Trigger:
    """The first event in a cycle that calls for a shorter interval."""

    __slots__ = ("date", "lab_only", "reason")

    def __init__(self, when: date, reason: str, *, lab_only: bool) -> None:
        self.date = when
        self.reason = reason
        self.lab_only = lab_only
        """No symptoms in the cycle: only labs triggered it."""


def decisions(patient: Patient, as_of: date) -> list[Decision]:
    """The clinician's interval decisions in date order."""
    if patient.interval is not None:
        return [Decision(as_of, Interval.parse(patient.interval), patient.override_reason, True)]
    return [
        Decision(change.date, Interval.parse(change.interval), change.reason, False)
        for change in patient.interval_changes
    ]


def renal_impairment(labs: Sequence[ClassifiedLab], on: date) -> ClassifiedLab | None:
    """The latest eGFR on or before `on`, when it is below 30 (MMA and homocysteine are then
    unreliable: reference, "More labs that change what happens")."""
    found = None
    for lab in labs:
        if lab.analyte == "egfr" and lab.date <= on:
            found = lab
    if found is not None and found.below_egfr_low:
        return found
    return None


def counts_as_marker(lab: ClassifiedLab, labs: Sequence[ClassifiedLab]) -> bool:
    """Whether a B12-status lab is used by the adjustment rules: MMA and homocysteine are not
    when the eGFR known on their date is below 30 [C]."""
    return lab.analyte not in RENAL_UNRELIABLE or renal_impairment(labs, lab.date) is None


def first_trigger(
    symptoms: Sequence[date], labs: Sequence[ClassifiedLab], after: date, upto: date | None
) -> Trigger | None:
    """The earliest shortening event in (after, upto]; `upto` None means open-ended."""
    if not symptoms and not labs:  # most plans: nothing that could trigger, in any cycle
        return None

    def inside(when: date) -> bool:
        return when > after and (upto is None or when <= upto)

    symptom_dates = [d for d in symptoms if inside(d)]
    in_cycle = [lab for lab in labs if inside(lab.date)]
    candidates: list[tuple[date, int, str]] = [
        (d, 0, f"symptoms returned on {d}") for d in symptom_dates
    ]
    candidates += [
        (lab.date, 1, f"deficiency lab: {describe(lab)}")
        for lab in in_cycle
        if lab.is_deficient and counts_as_marker(lab, labs)
    ]
    anaemic = [lab for lab in in_cycle if lab.is_anaemic]
    macrocytic = [lab for lab in in_cycle if lab.is_macrocytic]
    if anaemic and macrocytic:
        when = max(anaemic[0].date, macrocytic[0].date)
        why = f"anaemia with MCV > 100 fL: {describe(anaemic[0])}, {describe(macrocytic[0])}"
        candidates.append((when, 2, why))
    if not candidates:
        return None
    when, _, reason = min(candidates)
    return Trigger(when, reason, lab_only=not symptom_dates)


def normal_lab_between(labs: Sequence[ClassifiedLab], after: date, upto: date) -> bool:
    """A lab in (after, upto] that shows no deficiency, as lengthening needs."""
    return any(
        lab.is_normal_marker and after < lab.date <= upto and counts_as_marker(lab, labs)
        for lab in labs
    )
