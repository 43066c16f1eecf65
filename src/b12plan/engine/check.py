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
import itertools
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Final, cast

from b12plan import __version__
from b12plan.contract import grammar
from b12plan.contract.intervals import Interval
from b12plan.contract.records import Patient, Protocol, Regimen, RepletionSegment
from b12plan.contract.validators import parse_strength
from b12plan.contract.vocab import DISCLAIMER, SCHEMA_VERSION, SEVERITY_RANK
from b12plan.contract.wording import Reading, ReadStep, dose_count, read_regimen, week_gaps
from b12plan.engine import compare
from b12plan.engine import labs as labs_mod
from b12plan.engine.compare import Proposed
from b12plan.engine.conventions import AUTOMATIC_CHOICE, LAB_BANDS
from b12plan.engine.facts import PatientFacts, patient_facts, volume_ml
from b12plan.engine.findings import patient_findings, safety_findings
from b12plan.engine.repletion import day_zero
from b12plan.engine.select import DEFAULT_STRENGTH_MCG_PER_ML, Choice, choose_protocol
from b12plan.engine.stages.clinic_days import clinic_calendar
from b12plan.engine.stages.facts import check_against_as_of
from b12plan.engine.stages.loading import replete, repletion_until
from b12plan.errors import InvalidInput, Loc
from b12plan.protocols import bundled

if TYPE_CHECKING:
    from b12plan.contract.documents import (
        CheckDocument,
        CheckFindingDocument,
        FindingDocument,
        ReadDocument,
        RegimenViewDocument,
    )
    from b12plan.contract.holidays import HolidayLookup

MAINTENANCE_MIN_DAYS: Final = 28
# Fields of a patient document that describe a schedule, not a regimen: a check reads the
# record for what it says about the patient (treatment started, the loading course, labs),
# never for dates.
SCHEDULE_ONLY_FIELDS: Final = (
    "symptoms_returned",
    "missed",
    "until",
    "clinic",
)
CHECK_CONVENTIONS: Final = (
    "A step every 4 weeks or less often is maintenance; a more frequent one is repletion [C].",
    "Repletion spacing is judged dose by dose against the gap range of the protocol segment "
    "that dose falls in; the count against the protocol's total, or for open-ended repletion "
    "at least its provisional doses [C].",
    "The protocol's own regimen is written with each segment's most common gap (gaps 2,2,3,2,2 "
    "read 'every 2d') and, for open-ended repletion, its provisional count [C].",
)
WORDING_CONVENTIONS: Final = (
    "The regimen's wording is read by the clinical rules' 'Reading prescribers' wording'; what "
    "was read is in `read` [C].",
    "'N times a week' is dated as the reference's 3-a-week pattern: the week spread as evenly "
    "as whole days allow, the longer gaps last (3 a week: 2, 2, 3 days) [C].",
    "A duration is a count of doses: one on the first day and one each interval after, none "
    "on the last day (daily for 1 week: 7; 3 times a week for 2 weeks: 6) [C].",
    "A course 'until no further improvement' is open-ended repletion: its spacing is judged "
    "over the protocol's doses [C].",
)


def check_regimen(
    regimen: Regimen,
    *,
    as_of: date,
    fail_on: str = "warning",
    fail_on_patient: str = "block",
    catalogue: Mapping[str, Protocol] | None = None,
    custom: Protocol | None = None,
    holidays: HolidayLookup | None = None,
) -> CheckDocument:
    """The check document for `regimen` as seen on `as_of` (plain data, as the `CheckReport`
    model has it); InvalidInput for unusable input.

    The regimen is judged against the patient's record as of `as_of` (a loading course on
    record, treatment already started). `fail_on` judges the findings about the regimen,
    `fail_on_patient` those about the patient: by default only a `block` about the patient
    fails a check, so a protocol's own regimen checks clean for any patient it suits.
    """
    patient = regimen.patient
    with _patient_fields():
        check_against_as_of(patient, as_of)
        classified = labs_mod.classify_labs(patient.labs, patient.sex, as_of)
        clinic = clinic_calendar(patient, holidays)
    catalogue = bundled() if catalogue is None else catalogue
    reading = _reading(regimen)
    product = _named(_agree("product", regimen.product, patient.product), reading)
    strength = _agree("strength", regimen.strength, patient.strength, parse_strength)
    top_route = _agree("route", regimen.route, patient.route)
    raw_steps = list(reading.steps) if reading is not None else _document_steps(regimen)
    given_as_text = reading is not None
    step_routes = [_step_route(s, i, top_route, given_as_text) for i, s in enumerate(raw_steps)]
    injected = [route for route in step_routes if route != "oral"]

    with _patient_fields():
        choice, mismatch = _choose(
            patient, catalogue, custom, product, strength, injected[0] if injected else None
        )
    protocol = choice.protocol
    steps = _resolve_steps(raw_steps, step_routes, choice.route, given_as_text)
    with _patient_fields():
        repletion = replete(patient, protocol, as_of=as_of, clinic=clinic, trace=False)
    day0 = day_zero(patient.given, patient.start, as_of, clinic)
    facts = patient_facts(
        patient, choice, classified, repletion_until=repletion_until(patient, repletion), day0=day0
    )

    regimen_findings: list[CheckFindingDocument] = [mismatch] if mismatch else []
    regimen_findings += compare.oral(raw_steps, step_routes, protocol)
    patient_level = _patient_findings(facts, steps)
    codes = {f["code"] for f in patient_level}
    if steps:  # all oral: nothing to compare with an injection protocol
        regimen_findings += compare.route_and_volume(steps, choice, codes)
        regimen_findings += compare.repletion(steps, protocol, facts)
        regimen_findings += compare.maintenance(steps, protocol, patient)
    findings = sorted(regimen_findings + patient_level, key=lambda f: SEVERITY_RANK[f["severity"]])
    regimen_fails = _fails(regimen_findings, fail_on)
    patient_fails = _fails(patient_level, fail_on_patient)
    automatic = patient.protocol == "auto" and custom is None
    return {
        "schema_version": SCHEMA_VERSION,
        "ref": patient.ref,
        "generator": {"name": "b12plan", "version": __version__},
        "as_of": as_of,
        "disclaimer": DISCLAIMER,
        "protocol": {
            "id": protocol.id,
            "title": protocol.title,
            "sources": list(protocol.sources),
            "chosen_because": choice.chosen_because,
            "conventions": [
                *protocol.conventions,
                *([AUTOMATIC_CHOICE] if automatic else []),
                *CHECK_CONVENTIONS,
                *_wording_conventions(reading),
                *([LAB_BANDS] if classified else []),
            ],
        },
        "verdict": "problems" if regimen_fails or patient_fails else "clean",
        "fail_on": fail_on,
        "fail_on_patient": fail_on_patient,
        "regimen_verdict": "problems" if regimen_fails else "clean",
        "patient_verdict": "problems" if patient_fails else "clean",
        "expected": _view(
            expected_steps(protocol, choice.route), protocol.product, DEFAULT_STRENGTH_MCG_PER_ML
        ),
        "proposed": _view(steps, choice.product, choice.strength_mcg_per_ml),
        "read": None if reading is None else cast("ReadDocument", reading.as_document()),
        "findings": findings,
        "labs": labs_mod.lab_documents(classified, day0),
        "inputs": {
            "product": choice.product,
            "route": choice.route,
            "strength_mcg_per_ml": choice.strength_mcg_per_ml,
            "defaults_applied": list(choice.defaults_applied),
        },
        "not_used": [name for name in SCHEDULE_ONLY_FIELDS if getattr(patient, name)],
    }


def _wording_conventions(reading: Reading | None) -> list[str]:
    """The conventions of reading a wording that this reading used."""
    if reading is None:
        return []
    read, weekly, duration, until = WORDING_CONVENTIONS
    steps = reading.steps
    return [
        read,
        *([weekly] if any(s.times_per_week for s in steps) else []),
        *([duration] if any(s.duration for s in steps) else []),
        *([until] if any(s.until for s in steps) else []),
    ]


def _fails(findings: Sequence[CheckFindingDocument], at: str) -> bool:
    threshold = SEVERITY_RANK[at]
    return any(SEVERITY_RANK[f["severity"]] <= threshold for f in findings)


# ---------------------------------------------------------------- resolving the proposal


@contextlib.contextmanager
def _patient_fields() -> Iterator[None]:
    """Errors the shared rules raise about patient fields point inside the regimen's patient."""
    try:
        yield
    except InvalidInput as exc:
        if exc.loc[:1] == ("protocol_file",):
            raise
        raise exc.within("patient") from None


def _agree(
    field: str,
    regimen_value: str | None,
    patient_value: str | None,
    value: Callable[[str], object] = str,
) -> str | None:
    """The one value the regimen and the patient give (`value` says when two spellings agree)."""
    if regimen_value and patient_value and value(regimen_value) != value(patient_value):
        raise InvalidInput(
            [field],
            f"the regimen says {regimen_value} but the patient says {patient_value}; give it once",
        )
    return regimen_value or patient_value


def _reading(regimen: Regimen) -> Reading | None:
    """The regimen string as read (validation has read it once already), or None for steps."""
    if regimen.regimen is None or regimen.steps is not None:
        return None
    from b12plan.contract.wording import WordingError

    try:
        return read_regimen(regimen.regimen)
    except WordingError as exc:
        raise InvalidInput(["regimen"], str(exc)) from None


def _named(product: str | None, reading: Reading | None) -> str | None:
    """The product, with the one the wording names: two that differ are refused, since which
    one is proposed decides the protocol, and a guess here would check the wrong regimen."""
    if reading is None or reading.product is None:
        return product
    if product is not None and product != reading.product:
        raise InvalidInput(
            ["regimen"],
            f"the wording names {reading.product}, but the product given is {product} (the "
            "regimen's or the patient's product, or --product); give one product",
        )
    return reading.product


def _document_steps(regimen: Regimen) -> list[ReadStep]:
    """The document's `steps` as read steps: each an interval and an optional count."""
    return [
        ReadStep(s.dose_mcg, s.route, every=Interval.parse(s.every), count=s.count)
        for s in regimen.steps or ()
    ]


def _step_loc(i: int, given_as_text: bool) -> Loc:
    return ("regimen",) if given_as_text else ("steps", i)


def _step_route(step: ReadStep, i: int, top: str | None, given_as_text: bool) -> str | None:
    if step.route and top and step.route != top:
        raise InvalidInput(
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
) -> tuple[Choice, CheckFindingDocument | None]:
    """The protocol to compare with; a product that differs from a named one is a finding."""
    named = catalogue.get(patient.protocol) or (
        custom if custom is not None and patient.protocol in ("auto", custom.id) else None
    )
    differs = named is not None and product is not None and product != named.product
    chooser = patient.replaced(product=None if differs else product, route=route, strength=strength)
    choice = choose_protocol(chooser, catalogue, custom)
    if not differs or named is None or product is None:
        return choice, None
    defaults = tuple(d for d in choice.defaults_applied if not d.startswith("product "))
    choice = choice.replaced(product=product, defaults_applied=defaults)
    return choice, {
        "code": "PRODUCT_MISMATCH",
        "severity": "warning",
        "message": (
            f"the regimen is for {product}, but {named.id} is a {named.product} protocol: "
            "doses and intervals do not carry over between products"
        ),
        "source": named.sources[0],
        "kind": "regimen",
        "step": None,
        "expected": named.product,
        "proposed": product,
    }


def _phase(every: Interval | None) -> str:
    if every is None:
        return "repletion"  # a single dose
    return "maintenance" if every.approx_days >= MAINTENANCE_MIN_DAYS else "repletion"


def _spacing(step: ReadStep) -> tuple[Interval | None, tuple[int, ...]]:
    """The step's usual interval and the gaps its doses come at (see `Proposed`)."""
    if step.times_per_week is not None:
        gaps = week_gaps(step.times_per_week)
        usual = min(set(gaps), key=lambda g: (-gaps.count(g), g))
        return Interval(usual, "d"), gaps
    every = step.every
    if every is None or every.unit == "mo":
        return every, ()
    return every, (every.value * (7 if every.unit == "w" else 1),)


def _how_often(step: Proposed) -> str:
    if step.times_per_week is not None:
        return f"{step.times_per_week} times a week"
    return "a single dose" if step.every is None else f"every {step.every.words()}"


def _resolve_steps(
    raw: Sequence[ReadStep], routes: Sequence[str | None], default_route: str, as_text: bool
) -> list[Proposed]:
    """The injected steps resolved (oral ones are findings, not steps to compare)."""
    steps = []
    for i, (item, route) in enumerate(zip(raw, routes, strict=True)):
        if route == "oral":
            continue
        try:
            count = dose_count(item)
        except ValueError as exc:
            raise InvalidInput(_step_loc(i, as_text), f"step {i + 1}: {exc}") from None
        every, gaps = _spacing(item)
        steps.append(
            Proposed(
                n=i + 1,
                dose_mcg=item.dose_mcg,
                every=every,
                count=count,
                route=route or default_route,
                phase=_phase(every),
                loc=_step_loc(i, as_text),
                gaps_days=gaps,
                until=item.until,
                times_per_week=item.times_per_week,
            )
        )
    for step in steps[:-1]:
        if step.count is None and step.until is None:
            raise InvalidInput(
                step.loc,
                f"step {step.n} has no count, so it never ends, but a step follows it; only "
                "the last step may be ongoing (add xCOUNT)",
            )
    for before, after in itertools.pairwise(steps):
        if before.phase == "maintenance" and after.phase == "repletion":
            raise InvalidInput(
                after.loc,
                f"step {after.n} ({_how_often(after)}) is repletion after maintenance "
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
                gaps_days=segment.gaps_days,
                until=None,
                times_per_week=None,
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
            gaps_days=(),
            until=None,
            times_per_week=None,
        )
    )
    return steps


def protocol_regimen_text(protocol: Protocol, route: str | None = None) -> str:
    """The protocol's own regimen in the compact grammar (route: its first unless given)."""
    return _text(expected_steps(protocol, route or protocol.routes[0]))


def _text(steps: Sequence[Proposed]) -> str:
    return "; then ".join(_step_text(s) for s in steps)


def _step_text(step: Proposed) -> str:
    """The step in the compact grammar, or in the wording's terms where the grammar has none
    (`3 times a week`, `once`, `until no further improvement`); each reads back to the step."""
    count = f" x{step.count}" if step.count is not None else ""
    head = f"{grammar.dose_text(step.dose_mcg)}mcg {step.route}"
    if step.times_per_week is not None:
        return f"{head} {step.times_per_week} times a week{count}"
    if step.every is None:
        return f"{head} once"
    text = grammar.render_step(grammar.Step(step.dose_mcg, step.route, step.every, step.count))
    return text + (" until no further improvement" if step.until else "")


def _view(steps: Sequence[Proposed], product: str, strength: float) -> RegimenViewDocument:
    return {
        "product": product,
        "strength_mcg_per_ml": strength,
        "steps": [
            {
                "n": s.n,
                "phase": s.phase,
                "dose_mcg": s.dose_mcg,
                "every": None if s.every is None else str(s.every),
                "count": s.count,
                "route": s.route,
                "volume_ml": volume_ml(s.dose_mcg, strength),
                "text": _step_text(s),
            }
            for s in steps
        ],
        "text": _text(steps),
    }


# ---------------------------------------------------------------- patient-level findings


def _patient_findings(facts: PatientFacts, steps: Sequence[Proposed]) -> list[CheckFindingDocument]:
    """What `schedule` would raise, for each route the regimen uses (each finding once, even
    when two routes raise it; two findings of one code, such as two indeterminate B12
    results, both kept)."""
    seen: dict[tuple[str, str], FindingDocument] = {}
    # An all-oral regimen still has a patient: judged on the protocol's route.
    for route in dict.fromkeys(s.route for s in steps) or (facts.choice.route,):
        facts_on_route = facts.replaced(choice=facts.choice.replaced(route=route))
        # Volume is judged per proposed step (`compare.route_and_volume`): no doses passed.
        for found in safety_findings(facts_on_route) + patient_findings(facts_on_route, ()):
            seen.setdefault((found["code"], found["message"]), found)
    return [
        {**found, "kind": "patient", "step": None, "expected": None, "proposed": None}
        for found in seen.values()
    ]
