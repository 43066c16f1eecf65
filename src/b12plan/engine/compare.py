"""The rules of `check`: each difference between a proposed regimen and its protocol.

Every function takes the proposal as resolved `Proposed` steps and returns findings (plain
data) of kind `regimen`, with the protocol's value (`expected`) and the proposed one. Pure, like
the rest of the engine; `b12plan.engine.check` resolves the input and assembles the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from b12plan.contract import grammar
from b12plan.contract.intervals import Interval
from b12plan.contract.plain import Record
from b12plan.contract.records import Patient, Protocol, RepletionSegment
from b12plan.contract.vocab import REVERSIBLE_CAUSES
from b12plan.contract.wording import ReadStep, describe
from b12plan.engine import labs as labs_mod
from b12plan.engine.derived import open_repletion, step_intervals
from b12plan.engine.facts import (
    SITE_LIMIT_ML,
    PatientFacts,
    deficiency_evidence,
    volume_ml,
)
from b12plan.engine.select import Choice
from b12plan.errors import Loc

if TYPE_CHECKING:
    from b12plan.contract.documents import CheckFindingDocument

NEURO_MAX_INTERVAL: Final = Interval(2, "mo")  # BNF-HYDROXO: neurological, every 2 months


class Proposed(Record):
    """One proposed step with everything resolved: `every` is None for a single dose and, for
    "N times a week", the week's most common gap; `gaps_days` are the gaps its doses come at
    (in turn; empty where not in days); `until` ends a course clinically."""

    __slots__ = (  # noqa: RUF023 - the order they are read in
        "n", "dose_mcg", "every", "count", "route", "phase", "loc", "gaps_days", "until",
        "times_per_week",
    )  # fmt: skip
    n: int
    dose_mcg: float
    every: Interval | None
    count: int | None
    route: str
    phase: str
    loc: Loc
    gaps_days: tuple[int, ...]
    until: str | None
    times_per_week: int | None

    def gap_before(self, j: int) -> int | None:
        """The gap in days before this step's dose `j` (from 0), if known."""
        if not self.gaps_days:
            return None
        if j == 0:
            # From the step before: the step's usual gap (as it always was judged).
            return self.every.value * (7 if self.every.unit == "w" else 1) if self.every else None
        return self.gaps_days[(j - 1) % len(self.gaps_days)]


def _finding(
    code: str,
    severity: str,
    message: str,
    source: str,
    *,
    step: int | None = None,
    expected: str | float | None = None,
    proposed: str | float | None = None,
) -> CheckFindingDocument:
    return {
        "code": code,
        "severity": severity,
        "message": message,
        "source": source,
        "kind": "regimen",
        "step": step,
        "expected": expected,
        "proposed": proposed,
    }


# Patient-level findings that already say a route is wrong for the product.
_ROUTE_CODES: Final = frozenset({"IV_ROUTE", "OFFLABEL_ROUTE"})


def route_and_volume(
    steps: Sequence[Proposed], choice: Choice, patient_codes: set[str]
) -> list[CheckFindingDocument]:
    out = []
    protocol, strength = choice.protocol, choice.strength_mcg_per_ml
    for step in steps:
        if step.route not in protocol.routes and not patient_codes & _ROUTE_CODES:
            allowed = ", ".join(r.upper() for r in protocol.routes)
            out.append(
                _finding(
                    "ROUTE_NOT_IN_PROTOCOL",
                    "warning",
                    f"step {step.n} is {step.route.upper()}; {protocol.id} gives {allowed}",
                    protocol.sources[0],
                    step=step.n,
                    expected="/".join(protocol.routes),
                    proposed=step.route,
                )
            )
        limit = SITE_LIMIT_ML.get(step.route)
        volume = volume_ml(step.dose_mcg, strength)
        if limit is not None and volume > limit:
            out.append(
                _finding(
                    "VOLUME_SITE",
                    "warning",
                    f"step {step.n}: {grammar.dose_text(step.dose_mcg)} mcg at {strength:g} "
                    f"mcg/mL is {volume:g} mL per {step.route.upper()} injection, over "
                    f"{limit:g} mL per site [C]: split the dose or use a larger muscle",
                    "B12PLAN",
                    step=step.n,
                    expected=limit,
                    proposed=volume,
                )
            )
    return out


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _gap_range(segment: RepletionSegment) -> str:
    low, high = min(segment.gaps_days), max(segment.gaps_days)
    return f"every {_days(low)}" if low == high else f"every {low}–{high} days"


def _segments_by_position(protocol: Protocol, needed: int) -> list[RepletionSegment]:
    """The protocol segment of each repletion dose, up to `needed` doses for open repletion."""
    out: list[RepletionSegment] = []
    for segment in protocol.repletion:
        if segment.count is None:
            out += [segment] * max(needed - len(out), 0)
        else:
            out += [segment] * segment.count
    return out


def _expected_count(protocol: Protocol) -> tuple[int, bool]:
    """Total repletion doses, and whether that is a minimum (open-ended repletion)."""
    total = sum(s.count or s.provisional_count or 0 for s in protocol.repletion)
    return total, open_repletion(protocol)


def _deficient(facts: PatientFacts) -> str | None:
    lab = deficiency_evidence(facts.latest)
    if lab is not None:
        return labs_mod.describe(lab)
    hb, mcv = facts.baseline.get("hb"), facts.baseline.get("mcv")
    if hb is not None and mcv is not None and hb.is_anaemic and mcv.is_macrocytic:
        return f"{labs_mod.describe(hb)} with {labs_mod.describe(mcv)}"
    return None


def repletion(
    steps: Sequence[Proposed], protocol: Protocol, facts: PatientFacts
) -> list[CheckFindingDocument]:
    proposed = [s for s in steps if s.phase == "repletion"]
    expected_total, at_least = _expected_count(protocol)
    if not proposed:
        return _no_repletion(protocol, facts, expected_total)
    if not protocol.repletion:
        extra = sum(s.count or 1 for s in proposed)
        return [
            _finding(
                "REPLETION_NOT_IN_PROTOCOL",
                "info",
                f"{protocol.id} has no repletion phase; the regimen proposes "
                f"{'ongoing' if proposed[-1].count is None else extra} repletion doses first",
                protocol.maintenance.source,
                step=proposed[0].n,
                expected="none",
                proposed=extra if proposed[-1].count is not None else "ongoing",
            )
        ]
    out: list[CheckFindingDocument] = []
    ongoing = proposed[-1].count is None
    total = sum(s.count or 1 for s in proposed)
    by_position = _segments_by_position(protocol, max(total, expected_total))
    position = 0
    for step in proposed:
        # A course until no further improvement is judged over the protocol's doses.
        doses_judged = step.count or (max(expected_total - position, 1) if step.until else 1)
        span = range(position, position + doses_judged)
        position = span.stop
        inside = [by_position[i] for i in span if i < len(by_position)]
        doses = sorted({s.dose_mcg for s in inside} or {protocol.repletion[-1].dose_mcg})
        if step.dose_mcg not in doses:
            out.append(_dose_finding(step, doses, protocol.repletion[0].source))
        wrong = {
            i: gap
            for i in span
            if 0 < i < len(by_position)
            and (gap := step.gap_before(i - span.start)) is not None
            and not min(by_position[i].gaps_days) <= gap <= max(by_position[i].gaps_days)
        }
        if wrong:
            segment = by_position[min(wrong)]
            gaps = _gap_text(sorted(set(wrong.values())))
            out.append(
                _finding(
                    "REPLETION_SPACING",
                    "warning",
                    f"step {step.n}: doses {_positions(sorted(wrong))} come every {gaps}; "
                    f"{protocol.id} gives them {_gap_range(segment)} ({segment.why})",
                    segment.source,
                    step=step.n,
                    expected=_gap_range(segment).removeprefix("every "),
                    proposed=gaps,
                )
            )
        if step.until and step.count is None:
            position = span.start + 1  # counted as one dose, as an ongoing step
    source = protocol.repletion[0].source
    if at_least and not ongoing and total < expected_total:
        segment = protocol.repletion[-1]
        out.append(
            _finding(
                "REPLETION_COUNT",
                "warning",
                f"{total} repletion doses proposed; {segment.why.lower()}, reviewed after at "
                f"least {expected_total} doses ({_days(segment.review_day or 0)})",
                segment.source,
                expected=expected_total,
                proposed=total,
            )
        )
    elif not at_least and (ongoing or total != expected_total):
        proposed_span = _span(proposed)
        until = proposed[-1].until is not None
        open_course = "until no further improvement" if until else "ongoing"
        out.append(
            _finding(
                "REPLETION_COUNT",
                "warning",
                f"{f'repletion {open_course}' if ongoing else f'{total} repletion doses'} "
                f"proposed{'' if ongoing else f' over {_days(proposed_span)}'}; {protocol.id} "
                f"gives {expected_total} over {_days(_protocol_span(protocol))}",
                source,
                expected=expected_total,
                proposed=open_course if ongoing else total,
            )
        )
    return out


def oral(
    steps: Sequence[ReadStep], routes: Sequence[str | None], protocol: Protocol
) -> list[CheckFindingDocument]:
    """An oral step is reported, not compared: the protocols are injection regimens."""
    return [
        _finding(
            "ORAL_NOT_INJECTION",
            "warning",
            f"step {n}: {describe(step)} is by mouth, not an injection regimen, so it is not "
            f"compared with {protocol.id}; check oral treatment against its own guidance",
            "CKS-2019",
            step=n,
            expected="/".join(protocol.routes),
            proposed="oral",
        )
        for n, (step, route) in enumerate(zip(steps, routes, strict=True), start=1)
        if route == "oral"
    ]


def _positions(indexes: Sequence[int]) -> str:
    """Dose numbers from 0-based positions: `2–4` when they run on, else `3 and 5`."""
    first, last = indexes[0] + 1, indexes[-1] + 1
    if last - first + 1 == len(indexes):
        return f"{first}–{last}"
    numbers = [str(i + 1) for i in indexes]
    return ", ".join(numbers[:-1]) + f" and {numbers[-1]}"


def _gap_text(gaps: Sequence[int]) -> str:
    """`7 days`, `3–4 days`."""
    low, high = gaps[0], gaps[-1]
    return _days(low) if low == high else f"{low}–{high} days"


def _span(steps: Sequence[Proposed]) -> int:
    """Days from the first proposed repletion dose to the last (ongoing steps: one gap)."""
    gaps = [s.gap_before(j) or 0 for s in steps for j in range(s.count or 1)]
    return sum(gaps[1:])


def _protocol_span(protocol: Protocol) -> int:
    """Days from the protocol's first repletion dose to its last (provisional, if open)."""
    days = 0
    for s_idx, segment in enumerate(protocol.repletion):
        for j in range(segment.count or segment.provisional_count or 0):
            if s_idx == 0 and j == 0:
                continue  # the first dose is on the start date and takes no gap
            index = j - 1 if s_idx == 0 else j
            days += segment.gaps_days[index % len(segment.gaps_days)]
    return days


def _dose_finding(step: Proposed, expected: Sequence[float], source: str) -> CheckFindingDocument:
    wanted = " or ".join(grammar.dose_text(d) for d in expected)
    lower = step.dose_mcg < min(expected)
    return _finding(
        "DOSE_MISMATCH",
        "warning",
        f"step {step.n}: {grammar.dose_text(step.dose_mcg)} mcg per injection is "
        f"{'below' if lower else 'above'} the protocol's {wanted} mcg"
        f"{': under-dosed' if lower else ''}",
        source,
        step=step.n,
        expected=expected[0] if len(expected) == 1 else wanted,
        proposed=step.dose_mcg,
    )


def _no_repletion(
    protocol: Protocol, facts: PatientFacts, expected_total: int
) -> list[CheckFindingDocument]:
    if facts.loading_in_history:
        return []  # REPLETION_ON_RECORD: the loading course is behind the patient
    if facts.patient.neuro:
        return [
            _finding(
                "NEURO_REPLETION_MISSING",
                "warning",
                "neurological involvement but no repletion: give 1 mg on alternate days until "
                "no further improvement before maintenance",
                "BNF-HYDROXO",
                expected="alternate days until no further improvement",
                proposed="none",
            )
        ]
    lab = _deficient(facts)
    if protocol.repletion:
        because = f" ({lab})" if lab else ""
        return [
            _finding(
                "REPLETION_SKIPPED",
                "warning",
                f"no repletion for a deficient patient{because}: {protocol.id} gives "
                f"{expected_total} doses first ({protocol.repletion[0].why})",
                protocol.repletion[0].source,
                expected=expected_total,
                proposed=0,
            )
        ]
    if lab:
        return [
            _finding(
                "REPLETION_SKIPPED",
                "warning",
                f"no repletion although the labs show deficiency ({lab}): {protocol.id} is a "
                "maintenance-only protocol; treat the deficiency first",
                "NICE-NG239",
                expected="repletion first",
                proposed=0,
            )
        ]
    return []


def maintenance(
    steps: Sequence[Proposed], protocol: Protocol, patient: Patient
) -> list[CheckFindingDocument]:

    spec = protocol.maintenance
    allowed = step_intervals(spec)
    low, high = allowed[0], allowed[-1]
    allowed_text = str(low) if low == high else f"{low}–{high}"
    proposed = [s for s in steps if s.phase == "maintenance"]
    if not proposed:
        return [
            _finding(
                "MAINTENANCE_MISSING",
                "warning",
                f"no maintenance after repletion: {protocol.id} continues with {spec.why} "
                f"({spec.source})",
                spec.source,
                expected=spec.default,
                proposed="none",
            )
        ]
    out = []
    # The clinician's latest stated reason for an interval (single field or dated changes).
    reasons = [patient.override_reason, *(c.reason for c in patient.interval_changes)]
    stated = [r for r in reasons if r]
    reason = f"; override reason: {stated[-1]}" if stated else ""
    for step in proposed:
        if step.dose_mcg != spec.dose_mcg:
            out.append(_dose_finding(step, [spec.dose_mcg], spec.source))
        every = step.every
        if every is None:  # a single dose is never maintenance
            continue
        days = every.approx_days
        neuro_long = patient.neuro and days > NEURO_MAX_INTERVAL.approx_days
        if neuro_long:
            out.append(
                _finding(
                    "NEURO_INTERVAL",
                    "warning",
                    f"step {step.n}: every {every.words()} for a patient with "
                    "neurological involvement; maintenance is every 2 months" + reason,
                    "BNF-HYDROXO",
                    step=step.n,
                    expected=str(NEURO_MAX_INTERVAL),
                    proposed=str(every),
                )
            )
        outside = None
        if days > high.approx_days and not neuro_long:
            outside = ("INTERVAL_TOO_LONG", f"is longer than {protocol.id} allows")
        elif days < low.approx_days:
            outside = ("INTERVAL_TOO_SHORT", f"is more often than {protocol.id} gives")
        if outside is not None:
            code, how = outside
            beyond = (
                ": outside the product information, clinician decision"
                if code == "INTERVAL_TOO_SHORT"
                else ""
            )
            out.append(
                _finding(
                    code,
                    "warning",
                    f"step {step.n}: every {every.words()} {how} (every {allowed_text})"
                    f"{beyond}{reason}",
                    spec.source,
                    step=step.n,
                    expected=allowed_text,
                    proposed=str(every),
                )
            )
    last = proposed[-1]
    if last.count is not None and patient.cause not in REVERSIBLE_CAUSES:
        out.append(
            _finding(
                "MAINTENANCE_ENDS",
                "warning",
                f"maintenance stops after {last.count} doses, but {patient.cause} is not a "
                "reversible cause: maintenance is lifelong",
                "NICE-NG239",
                step=last.n,
                expected="ongoing",
                proposed=last.count,
            )
        )
    return out
