"""The patient's history as dated events, the way the replay reads it (in date order).

A history holds what happened (doses given or missed, labs, symptoms) and what was decided (the
clinician's interval changes), each with its date. Every decision takes effect from its own date
and never rewrites what came before it (clinical/reference.md, "Records over time").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from b12plan.contract.intervals import Interval
from b12plan.contract.records import Patient
from b12plan.engine.labs import RENAL_UNRELIABLE, ClassifiedLab, describe
from b12plan.errors import Loc


class Decision:
    """A clinician's interval change, in force from `date`."""

    __slots__ = ("date", "loc", "reason", "undated", "wanted")

    def __init__(
        self, when: date, wanted: Interval, reason: str | None, undated: bool, loc: Loc
    ) -> None:
        self.date = when
        self.wanted = wanted
        self.reason = reason
        self.undated = undated
        """Given as the single `interval` field: dated `as_of` (reference, "Records over
        time")."""
        self.loc = loc
        """Where the patient document says it, for an error message."""

    @property
    def reason_option(self) -> str:
        """Where a reason for this decision is given: the field, and the option on the command
        line."""
        if self.undated:
            return "override_reason (--override-reason)"
        return "the change's reason (--override-reason with --interval-from)"


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
        wanted = Interval.parse(patient.interval)
        return [Decision(as_of, wanted, patient.override_reason, True, ("interval",))]
    return [
        Decision(
            change.date,
            Interval.parse(change.interval),
            change.reason,
            False,
            ("interval_changes", i, "interval"),
        )
        for i, change in enumerate(patient.interval_changes)
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


def folate_low_on(labs: Sequence[ClassifiedLab], on: date) -> ClassifiedLab | None:
    """The latest folate on or before `on`, when it is low (a high homocysteine is then
    explained by it: reference, "Frequency follows symptoms")."""
    found = None
    for lab in labs:
        if lab.analyte == "folate" and lab.date <= on:
            found = lab
    if found is not None and found.classification == "low":
        return found
    return None


def shortens(lab: ClassifiedLab, labs: Sequence[ClassifiedLab]) -> bool:
    """Whether a lab calls for a shorter interval: total or active B12 low; MMA above range
    while eGFR is 30 or more (or unknown); homocysteine above range on those terms and while
    the latest folate is not low. Anaemia no longer shortens (ANAEMIA_ON_TREATMENT)."""
    if not lab.is_deficient or not counts_as_marker(lab, labs):
        return False
    return lab.analyte != "homocysteine" or folate_low_on(labs, lab.date) is None


def explained_by_folate(
    labs: Sequence[ClassifiedLab], after: date, upto: date | None
) -> list[tuple[ClassifiedLab, ClassifiedLab]]:
    """The high homocysteines in (after, upto] that would have shortened the interval but for a
    low folate, each with that folate (what `HOMOCYSTEINE_FOLATE` reports)."""
    out = []
    for lab in labs:
        if (
            lab.analyte == "homocysteine"
            and lab.date > after
            and (upto is None or lab.date <= upto)
            and lab.is_deficient
            and counts_as_marker(lab, labs)
        ):
            folate = folate_low_on(labs, lab.date)
            if folate is not None:
                out.append((lab, folate))
    return out


def first_trigger(
    symptoms: Sequence[date], labs: Sequence[ClassifiedLab], after: date, upto: date | None
) -> Trigger | None:
    """The earliest shortening event in (after, upto]; `upto` None means open-ended."""
    if not symptoms and not labs:  # most plans: nothing that could trigger, in any cycle
        return None

    def inside(when: date) -> bool:
        return when > after and (upto is None or when <= upto)

    symptom_dates = [d for d in symptoms if inside(d)]
    candidates: list[tuple[date, int, str]] = [
        (d, 0, f"symptoms returned on {d}") for d in symptom_dates
    ]
    candidates += [
        (lab.date, 1, f"deficiency lab: {describe(lab)}")
        for lab in labs
        if inside(lab.date) and shortens(lab, labs)
    ]
    if not candidates:
        return None
    when, _, reason = min(candidates)
    return Trigger(when, reason, lab_only=not symptom_dates)
