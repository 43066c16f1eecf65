"""The patient's handout (`--format html`): one printable page in plain language.

Written for a person without medical training: which phase they are in and what it means, each
upcoming injection, the blood tests and check-ups, what to do about a missed dose, when to call
the practice, and the decision-support notice. The page is self-contained (inline CSS, no script,
nothing fetched) and prints on A4.

This module turns the plan into plain words (`handout_view`); the Jinja2 template only lays them
out, with autoescaping on, so every text from the input (an injection site, a custom protocol's
title) is escaped. Jinja2 is imported here only, so no other format loads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from b12plan.errors import printable
from b12plan.models import Dose, FollowUp, Plan
from b12plan.render.handout_words import (
    DOSE_STATUS,
    INR_HOLD_NOTE,
    MISSED_REASONS,
    OPEN_REVIEW,
    PATIENT_NOTES,
    PLAIN_TESTS,
    ROUTES,
    TEST_STATUS,
    day_month,
    dose_amount,
    every,
    long_date,
    short_date,
)
from b12plan.vocab import INR_HOLD


@dataclass(frozen=True)
class DoseRow:
    """One upcoming injection as the patient reads it."""

    date: str
    what: str
    amount: str
    volume: str
    status: str
    kind: str
    """`overdue`, `due`, `provisional` or `planned`: picks the row's emphasis."""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TestRow:
    """One blood test or check-up, with its date or window."""

    when: str
    what: str
    why: str
    status: str
    kind: str


@dataclass(frozen=True)
class Handout:
    """Everything the template shows, already in plain words."""

    title: str
    as_of: str
    blocked: bool
    phase: str
    phase_lines: list[str]
    treatment: str
    given: str
    doses: list[DoseRow]
    horizon: str
    changes: list[str]
    tests: list[TestRow]
    notes: list[str]
    reasons: list[str]
    disclaimer: str
    protocol: str
    generator: str

    @property
    def dose_notes(self) -> bool:
        """Whether any injection has a note (else the table leaves the column out)."""
        return any(row.status or row.notes for row in self.doses)

    @property
    def test_notes(self) -> bool:
        """Whether any test or check-up has a note."""
        return any(row.status for row in self.tests)


def _dose_notes(dose: Dose) -> list[str]:
    notes = []
    if dose.moved_from is not None:
        notes.append(f"moved from {day_month(dose.moved_from)} (practice closed)")
    if dose.missed is not None:
        said = MISSED_REASONS.get(dose.missed.reason, dose.missed.reason)
        notes.append(f"missed on {day_month(dose.missed.date)} ({said})")
    if dose.planned_date is not None and dose.status != "given":
        notes.append(f"was due {day_month(dose.planned_date)}")
    return notes


def _dose_rows(plan: Plan) -> list[DoseRow]:
    loading = [d.n for d in plan.doses if d.phase == "repletion"]
    rows = []
    for dose in plan.doses:
        if dose.status == "given":
            continue
        if dose.phase == "repletion":
            k = loading.index(dose.n) + 1
            what = f"Loading dose {k} of {len(loading)}" if plan.complete else f"Loading dose {k}"
        else:
            what = "Maintenance dose"
        rows.append(
            DoseRow(
                date=short_date(dose.date),
                what=what,
                amount=dose_amount(dose.dose_mcg),
                volume=f"{dose.volume_ml:g} mL",
                status=DOSE_STATUS.get(dose.status, dose.status),
                kind=dose.status,
                notes=_dose_notes(dose),
            )
        )
    return rows


def _given(plan: Plan) -> str:
    given = [d for d in plan.doses if d.status == "given"]
    if not given:
        return ""
    last = given[-1]
    noun = "injection" if len(given) == 1 else "injections"
    return f"Already given: {len(given)} {noun}, the last on {long_date(last.date)}."


def _test_rows(plan: Plan) -> list[TestRow]:
    rows = []
    for item in plan.follow_up:
        what, why = PLAIN_TESTS.get(item.test, (item.test, item.why))
        rows.append(
            TestRow(
                when=_window(item),
                what=what,
                why=why,
                status=TEST_STATUS[item.status],
                kind=item.status,
            )
        )
    return rows


def _window(item: FollowUp) -> str:
    if item.until is None or item.until == item.date:
        return short_date(item.date)
    first = day_month(item.date) if item.until.year == item.date.year else short_date(item.date)
    return f"{first} to {short_date(item.until)}"


def _phase(plan: Plan, as_of: date) -> tuple[str, list[str]]:
    """The phase the patient is in at `as_of`, and what it means."""
    loading = [d for d in plan.doses if d.phase == "repletion"]
    maintenance = plan.maintenance
    if maintenance is not None and maintenance.interval is not None:
        then = f"one injection {every(maintenance.interval)}"
        if maintenance.lifelong:
            duration = (
                "for the rest of your life. The cause of your deficiency does not go away, "
                "and without injections it comes back."
            )
        else:
            duration = (
                "but not necessarily for life: your practice will review whether you still "
                "need them."
            )
        keep = f"Maintenance doses keep your B12 level up: {then}, {duration}"
    else:
        keep = "Your doctor will decide on maintenance doses at a check-up."
    if loading and any(d.status != "given" for d in loading):
        started = any(d.status == "given" for d in loading) or loading[0].date <= as_of
        title = "Loading doses" if started else "Starting with loading doses"
        refill = "Loading doses (also called repletion) refill your body's store of vitamin B12"
        if plan.complete:
            first, last = long_date(loading[0].date), long_date(loading[-1].date)
            lines = [f"{refill} quickly: {len(loading)} injections, from {first} to {last}."]
        else:
            # Only open-ended neuro repletion leaves a plan incomplete (alternate days).
            review = next((f.date for f in plan.follow_up if f.test == OPEN_REVIEW), None)
            at = f"a check-up on {long_date(review)}" if review else "a check-up"
            lines = [
                f"{refill}: one injection every other day until your nerve symptoms stop "
                "getting better.",
                f"Your doctor decides at {at} when they end, so the dates below are to be "
                "confirmed.",
            ]
        lines.append(f"After them, {keep[0].lower()}{keep[1:]}")
        return title, lines
    lines = [keep]
    if loading:
        lines.insert(0, "Your loading doses are finished.")
    return "Maintenance doses", lines


def _notes(plan: Plan) -> list[str]:
    notes = []
    for finding in plan.findings:
        if finding.code == "ANTICOAG_IM" and finding.message.startswith(INR_HOLD):
            inr = [lab for lab in plan.labs if lab.analyte == "inr"][-1]
            notes.append(INR_HOLD_NOTE.format(day=long_date(inr.date)))
        elif finding.code in PATIENT_NOTES:
            note = PATIENT_NOTES[finding.code]
            if note is not None and note not in notes:
                notes.append(note)
        elif finding.severity == "warning":
            notes.append(
                f"Your prescriber has a note about your plan ({finding.code}): ask them about "
                "it at your next appointment."
            )
    return notes


def _changes(plan: Plan) -> list[str]:
    """Each change of the interval in force, from when (clinicians' decisions included)."""
    history = plan.maintenance.changes if plan.maintenance is not None else []
    return [
        f"From {long_date(new.date)}: one injection {every(new.interval)} "
        f"(it was {every(old.interval)})."
        for old, new in pairwise(history)
        if new.interval != old.interval
    ]


def handout_view(plan: Plan) -> Handout:
    """The plan in the patient's words, ready for the template."""
    as_of = plan.as_of
    blocked = plan.blocked
    phase, lines = ("No schedule yet", []) if blocked else _phase(plan, as_of)
    treatment = ""
    if plan.inputs is not None and plan.doses:
        product, route = plan.inputs.product, ROUTES[plan.inputs.route]
        treatment = f"Each injection is {product} (vitamin B12), given {route}."
    horizon = ""
    if plan.doses and plan.complete:
        horizon = f"This plan lists dates up to {long_date(plan.doses[-1].date)}"
        lifelong = plan.maintenance is not None and plan.maintenance.lifelong
        horizon += (
            ": your injections go on after that, and your practice will give you the next dates."
            if lifelong
            else ". Your practice will tell you what happens after that."
        )
    return Handout(
        title="Your vitamin B12 injection plan",
        as_of=long_date(as_of),
        blocked=blocked,
        phase=phase,
        phase_lines=lines,
        treatment=treatment,
        given=_given(plan),
        doses=_dose_rows(plan),
        horizon=horizon,
        changes=_changes(plan),
        tests=[] if blocked else _test_rows(plan),
        notes=[] if blocked else _notes(plan),
        reasons=[f.message for f in plan.findings if f.severity == "block"],
        disclaimer=plan.disclaimer,
        protocol=f"{plan.protocol.title} ({', '.join(plan.protocol.sources)})",
        generator=f"{plan.generator.name} {plan.generator.version}",
    )


def plan_html(plan: Plan) -> str:
    """The handout as one HTML5 document (UTF-8 text, ending in a newline)."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("b12plan.render", "templates"),
        autoescape=True,
        # Control and direction-override characters from the input would be invalid HTML or
        # could reorder what the patient reads: they are shown escaped, as in error lines.
        finalize=lambda value: printable(value) if isinstance(value, str) else value,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("handout.html.j2").render(page=handout_view(plan))
