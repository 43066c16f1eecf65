"""Maintenance doses and the interval adjustment rule (clinical/reference.md).

A *cycle* runs from one dose to the next. Events dated after a dose and up to (and including)
the next one belong to that cycle; an event on the day of a dose belongs to the cycle it ends.

- Shorten one step when symptoms recur or a lab shows deficiency in the current cycle; the next
  dose is the later of the event and the last dose + the new interval.
- Lengthen one step after 3 consecutive given doses at the current interval with no trigger and
  at least one normal B12-status lab in those 3 cycles [C]; never a clinician-set interval [C].
- Planned doses count from an anchor (`anchor + k x interval`), so month ends clamp and are never
  chained from; a given dose re-anchors only when it was not on its planned date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from b12plan.engine.labs import ClassifiedLab, describe
from b12plan.engine.repletion import Slot
from b12plan.intervals import Interval
from b12plan.models import Adjustment, Finding, GivenDose
from b12plan.protocols import MaintenanceSpec

STABLE_CYCLES_TO_LENGTHEN = 3
ADJUST_SOURCE = "NICE-NG239"


@dataclass(frozen=True)
class Trigger:
    """The first event in a cycle that calls for a shorter interval."""

    date: date
    reason: str
    lab_only: bool
    """No symptoms in the cycle: only labs triggered it."""


@dataclass
class MaintenancePlan:
    """Maintenance as placed: doses, the interval in force, and every change made."""

    slots: list[Slot]
    interval: Interval
    next_due: date
    adjustments: list[Adjustment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def step_below(current: Interval, steps: Sequence[Interval]) -> Interval | None:
    """The longest allowed step shorter than `current`, or None at the floor."""
    shorter = [s for s in steps if s.approx_days < current.approx_days]
    return shorter[-1] if shorter else None


def step_above(current: Interval, steps: Sequence[Interval]) -> Interval | None:
    """The shortest allowed step longer than `current`, or None at the ceiling."""
    longer = [s for s in steps if s.approx_days > current.approx_days]
    return longer[0] if longer else None


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
        (lab.date, 1, f"deficiency lab: {describe(lab)}") for lab in in_cycle if lab.is_deficient
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


def _normal_lab_between(labs: Sequence[ClassifiedLab], after: date, upto: date) -> bool:
    return any(lab.is_normal_marker and after < lab.date <= upto for lab in labs)


def plan_maintenance(
    spec: MaintenanceSpec,
    *,
    anchor: date,
    first_on_anchor: bool,
    interval: Interval,
    interval_reason: str,
    given: Sequence[GivenDose],
    symptoms: Sequence[date],
    labs: Sequence[ClassifiedLab],
    until: date,
    clinician_set: bool = False,
    trace: bool = True,
) -> MaintenancePlan:
    """Place given and planned maintenance doses, adjusting the interval cycle by cycle.

    Each slot's `trace` is written only when `trace` is true (see `expand_repletion`).

    A clinician-set interval is shortened on a trigger like any other, but never lengthened
    automatically [C]: the reference does not say how the two rules meet, and lengthening
    against the clinician's stated choice could under-treat.
    """
    steps = spec.step_intervals
    base, k = anchor, 0 if first_on_anchor else 1
    # With no repletion, nothing has been given before the first dose: no cycle to judge yet.
    cycle_start, has_prior_dose = anchor, not first_on_anchor
    stable, normal_seen = 0, False
    reason = interval_reason
    result = MaintenancePlan([], interval, anchor)
    origin = "the start date" if first_on_anchor else "the last repletion dose"
    anchor_note = f"anchor {base} ({origin})"

    def shorten(trigger: Trigger) -> date | None:
        """Apply the shortening rule; return the adjusted due date, or None at the floor."""
        nonlocal reason
        current = result.interval
        shorter = step_below(current, steps)
        if shorter is None:
            result.findings.append(
                Finding(
                    code="INTERVAL_AT_MINIMUM",
                    severity="warning",
                    message=(
                        f"{trigger.reason}, but every {current.words()} is already the "
                        f"shortest interval of this protocol; more frequent dosing is outside "
                        f"the product information: clinician decision"
                    ),
                    source=spec.source,
                )
            )
            return None
        due = max(trigger.date, shorter.after(cycle_start))
        why = (
            f"{trigger.reason}: interval shortened one step, every {current.words()} to every "
            f"{shorter.words()}; next dose the later of {trigger.date} and last dose "
            f"{cycle_start} + {shorter} = {due}"
        )
        result.adjustments.append(
            Adjustment(
                date=trigger.date,
                from_=str(current),
                to=str(shorter),
                code="INTERVAL_SHORTENED",
                why=why,
            )
        )
        result.findings.append(
            Finding(code="INTERVAL_SHORTENED", severity="info", message=why, source=ADJUST_SOURCE)
        )
        if trigger.lab_only:
            result.findings.append(
                Finding(
                    code="LAB_TRIGGERED_ADJUSTMENT",
                    severity="info",
                    message=(
                        f"The interval was shortened on a lab result alone ({trigger.reason}); "
                        "NICE-NG239 ties frequency to symptoms, and serum B12 on IM therapy is of "
                        "limited value: confirm clinically"
                    ),
                    source=ADJUST_SOURCE,
                )
            )
        result.interval = shorter
        reason = f"shortened after {trigger.reason} ({ADJUST_SOURCE})"
        return due

    def why_text() -> str:
        text = f"{spec.dose_mcg:g} mcg every {result.interval.words()} ({spec.source})"
        return f"{text}; {reason}" if reason else text

    def steps_trace(due: date) -> list[str]:
        return [
            f"maintenance every {result.interval} ({spec.source})",
            f"{anchor_note} + {k} x {result.interval} = {due}",
        ]

    for dose in given:
        due = result.interval.after(base, k)
        chain = steps_trace(due) if trace else []
        trigger = first_trigger(symptoms, labs, cycle_start, dose.date) if has_prior_dose else None
        if trigger is not None:
            stable, normal_seen = 0, False
            adjusted = shorten(trigger)
            if adjusted is not None:
                base, k, due = adjusted, 0, adjusted
                anchor_note = f"anchor {base} (the adjusted dose)"
                if trace:
                    chain.append(f"adjusted: {result.adjustments[-1].why}")
            elif trace:
                chain.append(f"{trigger.reason}: already at the shortest interval, unchanged")
        result.slots.append(
            Slot(
                date=dose.date,
                planned_date=due,
                phase="maintenance",
                dose_mcg=dose.dose_mcg or spec.dose_mcg,
                why=why_text(),
                given=dose,
                trace=chain,
            )
        )
        if dose.date == due:
            k += 1  # on time: keep the anchor, so a clamped month end is never chained from
        else:
            base, k = dose.date, 1
            anchor_note = f"anchor {base} (a dose given off its planned date)"
            if trace:
                chain.append(f"given {dose.date}, planned {due}: re-anchored")
        if trigger is None and has_prior_dose:
            stable += 1
            normal_seen = normal_seen or _normal_lab_between(labs, cycle_start, dose.date)
            if stable >= STABLE_CYCLES_TO_LENGTHEN and normal_seen:
                longer = None if clinician_set else step_above(result.interval, steps)
                if longer is not None:
                    why = (
                        f"{STABLE_CYCLES_TO_LENGTHEN} consecutive doses every "
                        f"{result.interval.words()} with no recurrence or deficiency lab and a "
                        f"normal lab: lengthened one step to every {longer.words()}"
                    )
                    result.adjustments.append(
                        Adjustment(
                            date=dose.date,
                            from_=str(result.interval),
                            to=str(longer),
                            code="INTERVAL_EXTENDED",
                            why=why,
                        )
                    )
                    result.findings.append(
                        Finding(
                            code="INTERVAL_EXTENDED",
                            severity="info",
                            message=why,
                            source=ADJUST_SOURCE,
                        )
                    )
                    result.interval = longer
                    reason = f"lengthened after {STABLE_CYCLES_TO_LENGTHEN} stable cycles"
                    base, k = dose.date, 1
                    anchor_note = f"anchor {base} (the dose given when it was lengthened)"
                stable, normal_seen = 0, False
        cycle_start, has_prior_dose = dose.date, True

    due = result.interval.after(base, k)
    chain = steps_trace(due) if trace else []
    trigger = first_trigger(symptoms, labs, cycle_start, None) if has_prior_dose else None
    if trigger is not None:
        adjusted = shorten(trigger)
        if adjusted is not None:
            base, k, due = adjusted, 0, adjusted
            anchor_note = f"anchor {base} (the adjusted dose)"
            if trace:
                chain.append(f"adjusted: {result.adjustments[-1].why}")
        elif trace:
            chain.append(f"{trigger.reason}: already at the shortest interval, unchanged")
    result.next_due = due
    # From here the interval, anchor and reason no longer change: one text for every dose.
    interval, why, dose_mcg = result.interval, why_text(), spec.dose_mcg
    j = 0
    while (when := interval.after(base, k + j)) <= until:
        if trace and j > 0:
            chain = [
                f"maintenance every {interval} ({spec.source})",
                f"{anchor_note} + {k + j} x {interval} = {when}",
            ]
        result.slots.append(
            Slot(
                date=when,
                planned_date=when,
                phase="maintenance",
                dose_mcg=dose_mcg,
                why=why,
                trace=list(chain),
            )
        )
        j += 1
    return result
