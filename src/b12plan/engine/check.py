"""`check_regimen`: compare a proposed regimen with a protocol, difference by difference.

Pure, like the rest of the engine. Every difference is a finding with the value the protocol
gives (`expected`) and the one proposed; the patient-level findings of `schedule` come too, so a
check never says less about the patient than a plan would.

Choices where the reference is silent [C], named in the check document:
- A step every 4 weeks or less often is maintenance; a more frequent one is repletion.
- Repletion spacing is judged dose by dose, against the gap range of the protocol segment that
  dose falls in; the count against the protocol's total (open-ended neuro repletion: at least its
  provisional doses).
- The protocol's own regimen is written in the grammar with each segment's most common gap
  (gaps 2,2,3,2,2 read "every 2d") and, for open-ended repletion, its provisional count.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from b12plan import __version__, grammar
from b12plan.engine import labs as labs_mod
from b12plan.engine.conventions import AUTOMATIC_CHOICE, LAB_BANDS
from b12plan.engine.findings import (
    SITE_LIMIT_ML,
    PatientFacts,
    age_at,
    patient_findings,
    safety_findings,
    volume_ml,
)
from b12plan.engine.plan import check_against_as_of
from b12plan.engine.select import Choice, choose_protocol
from b12plan.errors import InputError, Loc
from b12plan.intervals import Interval
from b12plan.models import (
    CheckFinding,
    CheckReport,
    Finding,
    Generator,
    Inputs,
    Patient,
    ProtocolRef,
    Regimen,
    RegimenStep,
    RegimenView,
    StepView,
    parse_strength,
)
from b12plan.protocols import Protocol, RepletionSegment, bundled
from b12plan.vocab import REVERSIBLE_CAUSES, SEVERITY_RANK

MAINTENANCE_MIN_DAYS: Final = 28
NEURO_MAX_INTERVAL: Final = Interval(2, "mo")  # BNF-HYDROXO: neurological, every 2 months
# Fields of a patient document that describe a schedule or its history, not a regimen.
SCHEDULE_ONLY_FIELDS: Final = (
    "given",
    "repletion_end",
    "symptoms_returned",
    "interval",
    "until",
)
CHECK_CONVENTIONS: Final = (
    "A step every 4 weeks or less often is maintenance; a more frequent one is repletion [C].",
    "Repletion spacing is judged dose by dose against the gap range of the protocol segment "
    "that dose falls in; the count against the protocol's total, or for open-ended repletion "
    "at least its provisional doses [C].",
    "The protocol's own regimen is written with each segment's most common gap (gaps 2,2,3,2,2 "
    "read 'every 2d') and, for open-ended repletion, its provisional count [C].",
)


@dataclass(frozen=True)
class Proposed:
    """One proposed step with everything resolved."""

    n: int
    dose_mcg: float
    every: Interval
    count: int | None
    route: str
    phase: str
    loc: Loc


def check_regimen(
    regimen: Regimen,
    *,
    as_of: date,
    fail_on: str = "warning",
    catalogue: Mapping[str, Protocol] | None = None,
    custom: Protocol | None = None,
) -> CheckReport:
    """The check document for `regimen` as seen on `as_of`; InputError for unusable input."""
    patient = regimen.patient
    with _patient_fields():
        check_against_as_of(patient, as_of)
        classified = labs_mod.classify_labs(patient.labs, patient.sex, as_of)
    catalogue = bundled() if catalogue is None else catalogue
    product = _agree("product", regimen.product, patient.product)
    strength = _agree_strength(regimen.strength, patient.strength)
    top_route = _agree("route", regimen.route, patient.route)
    raw_steps = regimen.proposed_steps()
    given_as_text = regimen.steps is None
    step_routes = [_step_route(s, i, top_route, given_as_text) for i, s in enumerate(raw_steps)]

    with _patient_fields():
        choice, mismatch = _choose(patient, catalogue, custom, product, strength, step_routes[0])
    protocol = choice.protocol
    steps = _resolve_steps(raw_steps, step_routes, choice.route, given_as_text)
    baseline = labs_mod.baseline(classified, patient.start)

    regimen_findings: list[CheckFinding] = [mismatch] if mismatch else []
    patient_level = _patient_findings(patient, choice, steps, classified, baseline)
    regimen_findings += _route_and_volume(steps, choice, {f.code for f in patient_level})
    regimen_findings += _repletion(steps, protocol, patient, baseline)
    regimen_findings += _maintenance(steps, protocol, patient)
    findings = sorted(regimen_findings + patient_level, key=lambda f: SEVERITY_RANK[f.severity])
    threshold = SEVERITY_RANK[fail_on]
    failing = any(SEVERITY_RANK[f.severity] <= threshold for f in findings)
    automatic = patient.protocol == "auto" and custom is None
    return CheckReport(
        generator=Generator(version=__version__),
        as_of=as_of,
        protocol=ProtocolRef(
            id=protocol.id,
            title=protocol.title,
            sources=list(protocol.sources),
            chosen_because=choice.chosen_because,
            conventions=[
                *protocol.conventions,
                *([AUTOMATIC_CHOICE] if automatic else []),
                *CHECK_CONVENTIONS,
                *([LAB_BANDS] if classified else []),
            ],
        ),
        verdict="problems" if failing else "clean",
        fail_on=fail_on,
        expected=_view(expected_steps(protocol, choice.route), protocol.product, 1000),
        proposed=_view(steps, choice.product, choice.strength_mcg_per_ml),
        findings=findings,
        labs=labs_mod.lab_results(classified, patient.start),
        inputs=Inputs(
            product=choice.product,
            route=choice.route,
            strength_mcg_per_ml=choice.strength_mcg_per_ml,
            defaults_applied=list(choice.defaults_applied),
        ),
        not_used=[name for name in SCHEDULE_ONLY_FIELDS if getattr(patient, name)],
    )


# ---------------------------------------------------------------- resolving the proposal


@contextlib.contextmanager
def _patient_fields() -> Iterator[None]:
    """Errors the shared rules raise about patient fields point inside the regimen's patient."""
    try:
        yield
    except InputError as exc:
        if exc.loc[:1] == ("protocol_file",):
            raise
        raise InputError(("patient", *exc.loc), exc.msg) from None


def _agree(field: str, regimen_value: str | None, patient_value: str | None) -> str | None:
    if regimen_value and patient_value and regimen_value != patient_value:
        raise InputError(
            [field],
            f"the regimen says {regimen_value} but the patient says {patient_value}; give it once",
        )
    return regimen_value or patient_value


def _agree_strength(regimen_value: str | None, patient_value: str | None) -> str | None:
    if (
        regimen_value
        and patient_value
        and parse_strength(regimen_value) != parse_strength(patient_value)
    ):
        raise InputError(
            ["strength"],
            f"the regimen says {regimen_value} but the patient says {patient_value}; give it once",
        )
    return regimen_value or patient_value


def _step_loc(i: int, given_as_text: bool) -> Loc:
    return ("regimen",) if given_as_text else ("steps", i)


def _step_route(step: RegimenStep, i: int, top: str | None, given_as_text: bool) -> str | None:
    if step.route and top and step.route != top:
        raise InputError(
            [*_step_loc(i, given_as_text), *([] if given_as_text else ["route"])],
            f"step {i + 1} says {step.route} but the route is {top}; leave the route out "
            "when steps differ",
        )
    return step.route or top


def _choose(
    patient: Patient,
    catalogue: Mapping[str, Protocol],
    custom: Protocol | None,
    product: str | None,
    strength: str | None,
    route: str | None,
) -> tuple[Choice, CheckFinding | None]:
    """The protocol to compare with; a product that differs from a named one is a finding."""
    named = catalogue.get(patient.protocol) or (
        custom if custom is not None and patient.protocol in ("auto", custom.id) else None
    )
    differs = named is not None and product is not None and product != named.product
    chooser = patient.model_copy(
        update={"product": None if differs else product, "route": route, "strength": strength}
    )
    choice = choose_protocol(chooser, catalogue, custom)
    if not differs or named is None or product is None:
        return choice, None
    defaults = tuple(d for d in choice.defaults_applied if not d.startswith("product "))
    choice = dataclasses.replace(choice, product=product, defaults_applied=defaults)
    return choice, CheckFinding(
        code="PRODUCT_MISMATCH",
        severity="warning",
        message=(
            f"the regimen is for {product}, but {named.id} is a {named.product} protocol: "
            "doses and intervals do not carry over between products"
        ),
        source=named.sources[0],
        kind="regimen",
        expected=named.product,
        proposed=product,
    )


def _phase(every: Interval) -> str:
    return "maintenance" if every.approx_days >= MAINTENANCE_MIN_DAYS else "repletion"


def _resolve_steps(
    raw: Sequence[RegimenStep], routes: Sequence[str | None], default_route: str, as_text: bool
) -> list[Proposed]:
    steps = []
    for i, (item, route) in enumerate(zip(raw, routes, strict=True)):
        every = Interval.parse(item.every)
        steps.append(
            Proposed(
                n=i + 1,
                dose_mcg=item.dose_mcg,
                every=every,
                count=item.count,
                route=route or default_route,
                phase=_phase(every),
                loc=_step_loc(i, as_text),
            )
        )
    for step in steps[:-1]:
        if step.count is None:
            raise InputError(
                step.loc,
                f"step {step.n} has no count, so it never ends, but a step follows it; only "
                "the last step may be ongoing (add xCOUNT)",
            )
    for before, after in itertools.pairwise(steps):
        if before.phase == "maintenance" and after.phase == "repletion":
            raise InputError(
                after.loc,
                f"step {after.n} (every {after.every.words()}) is repletion after maintenance "
                f"(step {before.n}); a regimen gives repletion (intervals under "
                f"{MAINTENANCE_MIN_DAYS} days) first",
            )
    return steps


# ---------------------------------------------------------------- the protocol's own regimen


def _typical_gap(segment: RepletionSegment) -> Interval:
    """The most common gap (ties: the shortest), in weeks when it is whole weeks."""
    counts = Counter(segment.gaps_days)
    gap = min(counts, key=lambda g: (-counts[g], g))
    return Interval(gap // 7, "w") if gap % 7 == 0 else Interval(gap, "d")


def expected_steps(protocol: Protocol, route: str) -> list[Proposed]:
    """The protocol's regimen as steps (see the module's conventions)."""
    if route not in protocol.routes:
        route = protocol.routes[0]
    steps = []
    for i, segment in enumerate(protocol.repletion):
        steps.append(
            Proposed(
                n=i + 1,
                dose_mcg=segment.dose_mcg,
                every=_typical_gap(segment),
                count=segment.count or segment.provisional_count,
                route=route,
                phase="repletion",
                loc=(),
            )
        )
    spec = protocol.maintenance
    steps.append(
        Proposed(
            n=len(steps) + 1,
            dose_mcg=spec.dose_mcg,
            every=Interval.parse(spec.default),
            count=None,
            route=route,
            phase="maintenance",
            loc=(),
        )
    )
    return steps


def protocol_regimen_text(protocol: Protocol, route: str | None = None) -> str:
    """The protocol's own regimen in the compact grammar (route: its first unless given)."""
    return _text(expected_steps(protocol, route or protocol.routes[0]))


def _text(steps: Sequence[Proposed]) -> str:
    return grammar.render_regimen(
        [grammar.Step(s.dose_mcg, s.route, s.every, s.count) for s in steps]
    )


def _view(steps: Sequence[Proposed], product: str, strength: float) -> RegimenView:
    return RegimenView(
        product=product,
        strength_mcg_per_ml=strength,
        steps=[
            StepView(
                n=s.n,
                phase=s.phase,
                dose_mcg=s.dose_mcg,
                every=str(s.every),
                count=s.count,
                route=s.route,
                volume_ml=volume_ml(s.dose_mcg, strength),
                text=_text([s]),
            )
            for s in steps
        ],
        text=_text(steps),
    )


# ---------------------------------------------------------------- findings


def _finding(
    code: str,
    severity: str,
    message: str,
    source: str,
    *,
    step: int | None = None,
    expected: str | float | None = None,
    proposed: str | float | None = None,
) -> CheckFinding:
    return CheckFinding(
        code=code,
        severity=severity,
        message=message,
        source=source,
        kind="regimen",
        step=step,
        expected=expected,
        proposed=proposed,
    )


def _patient_findings(
    patient: Patient,
    choice: Choice,
    steps: Sequence[Proposed],
    classified: Sequence[labs_mod.ClassifiedLab],
    baseline: Mapping[str, labs_mod.ClassifiedLab],
) -> list[CheckFinding]:
    """What `schedule` would raise, for each route the regimen uses (one finding per code)."""
    seen: dict[str, Finding] = {}
    for route in dict.fromkeys(s.route for s in steps):
        facts = PatientFacts(
            patient=patient,
            choice=dataclasses.replace(choice, route=route),
            age_years=None if patient.dob is None else age_at(patient.dob, patient.start),
            baseline=baseline,
            latest={lab.analyte: lab for lab in classified},
        )
        # Volume is judged per proposed step (`_route_and_volume`), so no doses are passed.
        for found in safety_findings(facts) + patient_findings(facts, ()):
            seen.setdefault(found.code, found)
    return [CheckFinding(**f.model_dump(), kind="patient") for f in seen.values()]


# Patient-level findings that already say a route is wrong for the product.
_ROUTE_CODES: Final = frozenset({"IV_ROUTE", "OFFLABEL_ROUTE"})


def _route_and_volume(
    steps: Sequence[Proposed], choice: Choice, patient_codes: set[str]
) -> list[CheckFinding]:
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


def _gap_days(every: Interval) -> int:
    return every.value * (7 if every.unit == "w" else 1)


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
    return total, protocol.open_repletion


def _deficient(baseline: Mapping[str, labs_mod.ClassifiedLab]) -> str | None:
    for lab in baseline.values():
        if lab.is_deficient:
            return labs_mod.describe(lab)
    hb, mcv = baseline.get("hb"), baseline.get("mcv")
    if hb is not None and mcv is not None and hb.is_anaemic and mcv.is_macrocytic:
        return f"{labs_mod.describe(hb)} with {labs_mod.describe(mcv)}"
    return None


def _repletion(
    steps: Sequence[Proposed],
    protocol: Protocol,
    patient: Patient,
    baseline: Mapping[str, labs_mod.ClassifiedLab],
) -> list[CheckFinding]:
    proposed = [s for s in steps if s.phase == "repletion"]
    expected_total, at_least = _expected_count(protocol)
    if not proposed:
        return _no_repletion(protocol, patient, baseline, expected_total)
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
    out: list[CheckFinding] = []
    ongoing = proposed[-1].count is None
    total = sum(s.count or 1 for s in proposed)
    by_position = _segments_by_position(protocol, max(total, expected_total))
    position = 0
    for step in proposed:
        span = range(position, position + (step.count or 1))
        position = span.stop
        inside = [by_position[i] for i in span if i < len(by_position)]
        doses = sorted({s.dose_mcg for s in inside} or {protocol.repletion[-1].dose_mcg})
        if step.dose_mcg not in doses:
            out.append(_dose_finding(step, doses, protocol.repletion[0].source))
        gap = _gap_days(step.every)
        wrong = [
            i
            for i in span
            if 0 < i < len(by_position)
            and not min(by_position[i].gaps_days) <= gap <= max(by_position[i].gaps_days)
        ]
        if wrong:
            segment = by_position[wrong[0]]
            out.append(
                _finding(
                    "REPLETION_SPACING",
                    "warning",
                    f"step {step.n}: doses {wrong[0] + 1}–{wrong[-1] + 1} come every "
                    f"{_days(gap)}; {protocol.id} gives them {_gap_range(segment)} "
                    f"({segment.why})",
                    segment.source,
                    step=step.n,
                    expected=_gap_range(segment).removeprefix("every "),
                    proposed=_days(gap),
                )
            )
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
        out.append(
            _finding(
                "REPLETION_COUNT",
                "warning",
                f"{'ongoing repletion' if ongoing else f'{total} repletion doses'} proposed"
                f"{'' if ongoing else f' over {_days(proposed_span)}'}; {protocol.id} gives "
                f"{expected_total} over {_days(_protocol_span(protocol))}",
                source,
                expected=expected_total,
                proposed="ongoing" if ongoing else total,
            )
        )
    return out


def _span(steps: Sequence[Proposed]) -> int:
    """Days from the first proposed repletion dose to the last (ongoing steps: one gap)."""
    gaps = [_gap_days(s.every) for s in steps for _ in range(s.count or 1)]
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


def _dose_finding(step: Proposed, expected: Sequence[float], source: str) -> CheckFinding:
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
    protocol: Protocol,
    patient: Patient,
    baseline: Mapping[str, labs_mod.ClassifiedLab],
    expected_total: int,
) -> list[CheckFinding]:
    if patient.neuro:
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
    lab = _deficient(baseline)
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


def _maintenance(
    steps: Sequence[Proposed], protocol: Protocol, patient: Patient
) -> list[CheckFinding]:
    spec = protocol.maintenance
    allowed = spec.step_intervals
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
    reason = f"; override reason: {patient.override_reason}" if patient.override_reason else ""
    for step in proposed:
        if step.dose_mcg != spec.dose_mcg:
            out.append(_dose_finding(step, [spec.dose_mcg], spec.source))
        days = step.every.approx_days
        if patient.neuro and days > NEURO_MAX_INTERVAL.approx_days:
            out.append(
                _finding(
                    "NEURO_INTERVAL",
                    "warning",
                    f"step {step.n}: every {step.every.words()} for a patient with "
                    "neurological involvement; maintenance is every 2 months" + reason,
                    "BNF-HYDROXO",
                    step=step.n,
                    expected=str(NEURO_MAX_INTERVAL),
                    proposed=str(step.every),
                )
            )
        elif days > high.approx_days:
            out.append(
                _finding(
                    "INTERVAL_TOO_LONG",
                    "warning",
                    f"step {step.n}: every {step.every.words()} is longer than {protocol.id} "
                    f"allows (every {allowed_text}){reason}",
                    spec.source,
                    step=step.n,
                    expected=allowed_text,
                    proposed=str(step.every),
                )
            )
        if days < low.approx_days:
            out.append(
                _finding(
                    "INTERVAL_TOO_SHORT",
                    "warning",
                    f"step {step.n}: every {step.every.words()} is more often than {protocol.id} "
                    f"gives (every {allowed_text}): outside the product information, clinician "
                    f"decision{reason}",
                    spec.source,
                    step=step.n,
                    expected=allowed_text,
                    proposed=str(step.every),
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
