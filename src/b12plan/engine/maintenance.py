"""Maintenance as a replay of the dated record (clinical/reference.md, "Interval adjustment",
"Records over time" and their settled readings).

The replay walks maintenance cycle by cycle, in date order. A cycle runs from one given dose to
the next; events dated after a dose and up to (and including) the next one belong to that cycle.
Inside a cycle the decisions apply in date order:

- a clinician's interval change applies from its date: the next dose is the later of its date
  and the last given dose + the new interval (within the steps; outside them it needs a reason
  and is honoured as off-label; without one the record is refused);
- the first trigger (symptoms, a deficiency lab: see `record.shortens`) shortens one step: the
  next dose is the later of the trigger and the last given dose + the shorter interval; at most
  one automatic shortening a cycle, and on the day of a clinician's change the clinician wins;
- nothing lengthens the interval but a clinician's change (reference, "Frequency follows
  symptoms; labs never lengthen").

A given dose is judged against the interval in force when it was due, so a later decision never
rewrites it. Nothing is judged before the first maintenance cycle opens: the day after the last
repletion dose is given, or the first dose on a protocol without repletion. Planned doses count
from an anchor (`anchor + k x interval`), so month ends clamp and are never chained from; a
given dose re-anchors only when it was not on its planned date.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from b12plan.contract.intervals import Interval
from b12plan.contract.records import GivenDose, MaintenanceSpec
from b12plan.contract.text import quote
from b12plan.engine.clinic import ClinicCalendar
from b12plan.engine.derived import step_intervals
from b12plan.engine.findings import finding
from b12plan.engine.forecast import lapsed_given
from b12plan.engine.history import Decision, Trigger, explained_by_folate, first_trigger
from b12plan.engine.labs import ClassifiedLab, describe
from b12plan.engine.repletion import Slot, resume_day
from b12plan.errors import InvalidInput

if TYPE_CHECKING:
    from b12plan.contract.documents import AdjustmentDocument, FindingDocument

ADJUST_SOURCE = "NICE-NG239"


class MaintenancePlan:
    """Maintenance as placed: doses, the interval in force, and every change made."""

    __slots__ = ("adjustments", "changes", "findings", "interval", "next_due", "slots")

    def __init__(self, interval: Interval, next_due: date) -> None:
        self.slots: list[Slot] = []
        self.interval = interval
        self.next_due = next_due
        self.adjustments: list[AdjustmentDocument] = []
        self.findings: list[FindingDocument] = []
        self.changes: list[tuple[date, Interval, str, str]] = []
        """The interval in force by date: (from, interval, code, why)."""


def step_below(current: Interval, steps: Sequence[Interval]) -> Interval | None:
    """The longest allowed step shorter than `current`, or None at the floor."""
    shorter = [s for s in steps if s.approx_days < current.approx_days]
    return shorter[-1] if shorter else None


def resolve_decision(
    decision: Decision, spec: MaintenanceSpec
) -> tuple[Interval, str, str, FindingDocument | None]:
    """A clinician's change as (interval, code, why, finding): within the protocol's steps it is
    honoured; outside them it has a reason (`outside_steps` refused it otherwise) and is
    honoured as off-label (reference: "Frequency follows symptoms")."""
    wanted = decision.wanted
    allowed = ", ".join(spec.steps)
    when = f"from as_of {decision.date}" if decision.undated else f"from {decision.date}"
    because = f": {decision.reason}" if decision.reason else ""
    if within_steps(wanted, spec):
        why = (
            f"clinician set every {wanted.words()} {when}, within the protocol's steps "
            f"{allowed}{because}"
        )
        return wanted, "CLINICIAN_INTERVAL", why, None
    why = (
        f"clinician set every {wanted.words()} {when}, outside the protocol's steps "
        f"{allowed}{because}"
    )
    offlabel = finding(
        code="OFFLABEL_INTERVAL", severity="warning", message=why, source=spec.source
    )
    return wanted, "OFFLABEL_INTERVAL", why, offlabel


def within_steps(interval: Interval, spec: MaintenanceSpec) -> bool:
    """Whether `interval` lies within the protocol's allowed steps (shortest to longest)."""
    steps = step_intervals(spec)
    return steps[0].approx_days <= interval.approx_days <= steps[-1].approx_days


def outside_steps(decisions: Sequence[Decision], spec: MaintenanceSpec, protocol_id: str) -> None:
    """Refuse a clinician's interval outside the protocol's steps without a reason: nothing is
    substituted (reference, "Frequency follows symptoms"; `INTERVAL_CAPPED` is gone)."""
    for decision in decisions:
        if decision.reason is None and not within_steps(decision.wanted, spec):
            raise InvalidInput(
                decision.loc,
                f"{quote(str(decision.wanted))} is outside {protocol_id}'s steps "
                f"({', '.join(spec.steps)}): choose one of them, or give the reason for an "
                f"off-label interval with {decision.reason_option}",
            )


class _Replay:
    """The state the replay carries from cycle to cycle."""

    def __init__(
        self,
        spec: MaintenanceSpec,
        *,
        start: date,
        anchor: date,
        origin: str,
        first_on_anchor: bool,
        cycle_open: bool,
        symptoms: Sequence[date],
        labs: Sequence[ClassifiedLab],
        clinic: ClinicCalendar,
        trace: bool,
        from_record: Interval | None = None,
    ) -> None:
        self.spec, self.start = spec, start
        self.symptoms, self.labs, self.clinic, self.trace = symptoms, labs, clinic, trace
        default = Interval.parse(spec.default)
        self.result = MaintenancePlan(default, anchor)
        self.result.changes.append(
            (start, default, "PROTOCOL_DEFAULT", f"{spec.why} ({spec.source})")
        )
        self.reason = ""
        """What the dose texts add to `dose every interval`: the decision in force."""
        # `in_force` and `anchor_note` are read only by the doses' traces: without one they are
        # left empty, since formatting an interval or a date costs more than placing a dose.
        self.in_force = f"every {default}, the protocol's default ({spec.source})" if trace else ""
        if from_record is not None:
            # A transfer-in's record: in force for the whole record (settled reading).
            why = f"the interval on record (a transfer-in): every {from_record.words()}"
            self.result.interval = from_record
            self.result.changes[-1] = (start, from_record, "INTERVAL_FROM_RECORD", why)
            self.reason = "the interval on record (INTERVAL_FROM_RECORD)"
            self.in_force = f"every {from_record}, the interval on record (INTERVAL_FROM_RECORD)"
        self.base, self.k = anchor, 0 if first_on_anchor else 1
        self.anchor_note = f"anchor {anchor} ({origin})" if trace else ""
        self.cycle_start = anchor
        """The last given dose (or the anchor before any): where the current cycle began."""
        self.cycle_open = cycle_open

    @property
    def interval(self) -> Interval:
        return self.result.interval

    @property
    def steps(self) -> list[Interval]:
        """The protocol's steps, shortest first: read only when a trigger would shorten."""
        return step_intervals(self.spec)

    def why_text(self) -> str:
        text = f"{self.spec.dose_mcg:g} mcg every {self.interval.words()} ({self.spec.source})"
        return f"{text}; {self.reason}" if self.reason else text

    def _change(
        self, when: date, to: Interval, code: str, why: str, *, from_: Interval | None = None
    ) -> None:
        was = self.interval if from_ is None else from_
        self.result.adjustments.append(
            {"date": when, "from": str(was), "to": str(to), "code": code, "why": why}
        )
        # The history of the interval in force starts with the course: a decision made before
        # it is in force from the start, and replaces what was in force from the same day.
        changes = self.result.changes
        effective = max(when, self.start)
        if changes[-1][0] == effective:
            changes.pop()
        changes.append((effective, to, code, why))
        self.result.interval = to

    def _reanchor(self, due: date, note: str) -> None:
        self.base, self.k = due, 0
        if self.trace:
            self.anchor_note = f"anchor {due} ({note})"

    # ------------------------------------------------------------------ decisions

    def decide(self, decision: Decision, *, replan: bool = True) -> None:
        """Apply a clinician's change from its date, re-planning what is not yet given (unless
        it was made before maintenance began: then it only sets the interval)."""
        to, code, why, raised = resolve_decision(decision, self.spec)
        if raised is not None:
            self.result.findings.append(raised)
        if to == self.interval and code == "CLINICIAN_INTERVAL":
            self.in_force = f"every {to}, confirmed by the clinician on {decision.date}"
            return  # the interval in force, confirmed: nothing to re-plan
        self._change(decision.date, to, code, why)
        self.reason = {
            "CLINICIAN_INTERVAL": f"clinician-set interval from {decision.date}",
            "OFFLABEL_INTERVAL": f"off-label interval set by the clinician from {decision.date}",
        }[code]
        said = f": {decision.reason}" if decision.reason else ""
        self.in_force = f"every {to} from {decision.date} ({code}, the clinician's decision{said})"
        if replan and self.cycle_open:
            # Reference: the next dose is the later of the change's date and the last given
            # dose + the new interval, even where a dose was owed.
            due = max(decision.date, to.after(self.cycle_start))
            self._reanchor(due, f"the clinician's change on {decision.date}")

    def shorten(self, trigger: Trigger) -> None:
        """The shortening rule, once in a cycle."""
        current = self.interval
        shorter = step_below(current, self.steps)
        if shorter is None:
            self._no_shorter(trigger, current)
            return
        due = max(trigger.date, shorter.after(self.cycle_start))
        why = (
            f"{trigger.reason}: interval shortened one step, every {current.words()} to every "
            f"{shorter.words()}; next dose the later of {trigger.date} and last dose "
            f"{self.cycle_start} + {shorter} = {due}"
        )
        self._change(trigger.date, shorter, "INTERVAL_SHORTENED", why)
        findings = self.result.findings
        findings.append(
            finding(code="INTERVAL_SHORTENED", severity="info", message=why, source=ADJUST_SOURCE)
        )
        if trigger.lab_only:
            findings.append(
                finding(
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
        self.reason = f"shortened after {trigger.reason} ({ADJUST_SOURCE})"
        self.in_force = (
            f"every {shorter} from {trigger.date} (INTERVAL_SHORTENED, {trigger.reason})"
        )
        self._reanchor(due, "the adjusted dose")

    def _no_shorter(self, trigger: Trigger, current: Interval) -> None:
        shortest = self.steps[0]  # `steps` parses the protocol's steps: once here
        if current.approx_days < shortest.approx_days:
            # Below the protocol's shortest step only by the clinician's choice: that choice is
            # what stands, never "the shortest interval of this protocol" (reference).
            said = finding(
                code="OFFLABEL_INTERVAL",
                severity="warning",
                message=(
                    f"{trigger.reason}, while on the clinician's off-label interval of every "
                    f"{current.words()} (the protocol's shortest step is every "
                    f"{shortest.words()}): no automatic change; clinician decision"
                ),
                source=self.spec.source,
            )
        else:
            said = finding(
                code="INTERVAL_AT_MINIMUM",
                severity="warning",
                message=(
                    f"{trigger.reason}, but every {current.words()} is already the shortest "
                    "interval of this protocol; more frequent dosing is outside the product "
                    "information: clinician decision"
                ),
                source=self.spec.source,
            )
        self.result.findings.append(said)

    def cycle(self, upto: date | None, pending: deque[Decision]) -> list[str]:
        """Apply the decisions and the first trigger dated in (cycle start, upto], in date
        order; return the trace lines they leave."""
        decided: list[Decision] = []
        while pending and (upto is None or pending[0].date <= upto):
            decided.append(pending.popleft())
        trigger = None
        if self.cycle_open:
            trigger = first_trigger(self.symptoms, self.labs, self.cycle_start, upto)
            self._explained_by_folate(upto)
        if not decided and trigger is None:
            return []
        notes: list[str] = []
        decided_days = {d.date for d in decided}
        events: list[tuple[date, int, Decision | Trigger]] = [(d.date, 0, d) for d in decided]
        if trigger is not None:
            events.append((trigger.date, 1, trigger))
        for _, kind, event in sorted(events, key=lambda e: (e[0], e[1])):
            if isinstance(event, Decision):
                self.decide(event)
                notes.append(f"decided: {self.in_force}")
            elif kind == 1 and event.date in decided_days:
                notes.append(f"{event.reason}: the clinician's change that day stands")
            else:
                before = len(self.result.adjustments)
                self.shorten(event)
                if len(self.result.adjustments) > before:
                    notes.append(f"adjusted: {self.result.adjustments[-1]['why']}")
                else:
                    notes.append(f"{event.reason}: no shorter step, unchanged")
        return notes

    def _explained_by_folate(self, upto: date | None) -> None:
        """`HOMOCYSTEINE_FOLATE` for each high homocysteine of the cycle that a low folate
        explains: it changes nothing (reference, "Frequency follows symptoms")."""
        for lab, folate in explained_by_folate(self.labs, self.cycle_start, upto):
            self.result.findings.append(
                finding(
                    code="HOMOCYSTEINE_FOLATE",
                    severity="info",
                    message=(
                        f"{describe(lab)} with {describe(folate)}: the high homocysteine is "
                        "explained by low folate; no change to the interval"
                    ),
                    source="BSH-2014-FOLATE",
                )
            )

    # ------------------------------------------------------------------ doses

    def steps_trace(self, due: date, k: int) -> list[str]:
        placed = (
            f"{self.anchor_note}: this dose"
            if k == 0
            else f"{self.anchor_note} + {k} x {self.interval} = {due}"
        )
        return [
            f"maintenance every {self.interval} ({self.spec.source})",
            f"interval in force: {self.in_force}",
            placed,
        ]

    def judge(self, dose: GivenDose, notes: list[str]) -> None:
        """Place a given dose against the interval in force when it was due."""
        due = self.interval.after(self.base, self.k)
        moved, closed = self.clinic.next_open(due)
        chain = [*self.steps_trace(due, self.k), *notes] if self.trace else []
        if self.trace and closed is not None:
            chain.append(f"{due} {closed}: due on the next open day {moved}")
        self.result.slots.append(
            Slot(
                dose.date,
                moved,
                "maintenance",
                dose.dose_mcg or self.spec.dose_mcg,
                self.why_text(),
                dose,
                trace=chain if self.trace else None,
            )
        )
        if dose.date in (due, moved):
            self.k += 1  # on time: keep the anchor, so a clamped month end is never chained from
        else:
            self.base, self.k = dose.date, 1
            if self.trace:
                self.anchor_note = f"anchor {dose.date} (a dose given off its planned date)"
                chain.append(f"given {dose.date}, planned {moved}: re-anchored")
        if self.cycle_open:
            gap = lapsed_given(self.cycle_start, dose.date, self.interval)
            if gap is not None:
                self.result.findings.append(gap)
        self.cycle_start, self.cycle_open = dose.date, True

    def plan_ahead(self, notes: list[str], until: date, as_of: date) -> None:
        """The doses not yet given, from the anchor, up to `until` (moved dates included).

        The first of them, when it falls before `as_of`, is the one overdue dose: it keeps its
        date, and the rest count from the day it is re-planned as given (reference, "Forecast
        from today").
        """
        due = self.interval.after(self.base, self.k)
        self.result.next_due = self.clinic.next_open(due)[0]
        # From here the interval and reason no longer change: one text for every dose.
        interval, why, dose_mcg = self.interval, self.why_text(), self.spec.dose_mcg
        slots = self.result.slots
        first = True
        while True:
            when = interval.after(self.base, self.k)
            moved, closed = self.clinic.next_open(when)
            if slots and moved <= slots[-1].date:
                # A closure longer than the interval: never two doses on one day.
                moved, _ = self.clinic.next_open(slots[-1].date + timedelta(days=1))
            if moved > until:
                break
            # Positional arguments only: a keyword costs a third of a slot.
            slot = Slot(
                moved,
                moved,
                "maintenance",
                dose_mcg,
                why if closed is None else f"{why}; moved from {when} ({closed})",
            )
            if moved != when:
                slot.moved_from = when
            if self.trace:
                slot.trace = [*self.steps_trace(when, self.k), *(notes if first else [])]
                if closed is not None:
                    slot.trace.append(f"{when} {closed}: moved to the next open day {moved}")
            slots.append(slot)
            self.k += 1
            if first and moved < as_of:
                slot.resumed_on = resume_day(as_of, self.clinic)
                self._reanchor(
                    slot.resumed_on,
                    f"overdue dose {moved} re-planned as given" if self.trace else "",
                )
                self.k = 1
            first = False


def plan_maintenance(
    spec: MaintenanceSpec,
    *,
    start: date,
    anchor: date,
    origin: str,
    first_on_anchor: bool,
    cycle_open: bool,
    given: Sequence[GivenDose],
    decisions: Sequence[Decision],
    symptoms: Sequence[date],
    labs: Sequence[ClassifiedLab],
    until: date,
    as_of: date,
    clinic: ClinicCalendar,
    trace: bool = True,
    from_record: Interval | None = None,
) -> MaintenancePlan:
    """Replay the maintenance record and plan what is not yet given.

    `anchor` is where maintenance counts from (`origin` names it: the last repletion dose, the
    start date, or the first dose on record); `first_on_anchor` puts the first dose on it (no
    repletion before); `cycle_open` says whether the first cycle is open at the anchor (the
    last repletion dose was given); `from_record`, a transfer-in's interval read from its
    record, is in force from the start in place of the protocol's default. Each slot's `trace`
    is written only when `trace` is true.
    """
    replay = _Replay(
        spec,
        start=start,
        anchor=anchor,
        origin=origin,
        first_on_anchor=first_on_anchor,
        cycle_open=cycle_open,
        symptoms=symptoms,
        labs=labs,
        clinic=clinic,
        trace=trace,
        from_record=from_record,
    )
    pending = deque(decisions)
    # Decisions made before maintenance began set the interval it starts with.
    while pending and pending[0].date <= anchor:
        replay.decide(pending.popleft(), replan=False)
    for dose in given:
        replay.judge(dose, replay.cycle(dose.date, pending))
    notes = replay.cycle(None, pending)
    replay.plan_ahead(notes, until, as_of)
    return replay.result
