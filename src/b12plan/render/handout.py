"""The patient's handout (`--format html`): one printable page in plain language.

Written for a person without medical training: which phase they are in and what it means, each
upcoming injection, the blood tests and check-ups, what to do about a missed dose, when to call
the practice, and the decision-support notice. The page is self-contained (inline CSS, no script,
nothing fetched) and prints on A4.

This module turns the plan into plain words (`handout_view`); the Jinja2 template only lays them
out, with autoescaping on, so every text from the input (an injection site, a custom protocol's
title) is escaped. Jinja2 is imported here only, so no other format loads it. The templates are
compiled to Python ahead of time (`tools/generate.py`).
"""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import jinja2

from b12plan.contract.plain import Record
from b12plan.contract.text import printable
from b12plan.contract.vocab import INR_HOLD, STOP_REVIEW_WHY, is_blocked
from b12plan.render.handout_words import (
    DOSE_STATUS,
    DURATION_LIFELONG,
    DURATION_MEDICATION,
    DURATION_REVIEWED,
    DURATION_VEGAN,
    GENERIC_NOTE,
    INR_HOLD_NOTE,
    MISSED_REASONS,
    OPEN_COURSE,
    OPEN_COURSE_DEFAULT,
    OPEN_REVIEW,
    OTHER_TEST_WHY,
    OVERDUE_HELD,
    OVERDUE_LAPSED,
    OVERDUE_THEN,
    PATIENT_NOTES,
    PLAIN_TESTS,
    REVIEW_OVERDUE,
    REVIEW_TEST,
    ROUTES,
    START_CHECK_GRACE_DAYS,
    START_CHECKS,
    STOP_REVIEW,
    STOPPED_LINES,
    STOPPED_TITLE,
    TEST_STATUS,
    day_month,
    dose_amount,
    every,
    long_date,
    short_date,
)
from b12plan.render.held import HELD_NOTE, held_reason
from b12plan.render.stop import stop_of

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, FollowUpDocument, PlanDocument


class DoseRow(Record):
    """One upcoming injection as the patient reads it."""

    __slots__ = ("date", "what", "amount", "volume", "status", "kind", "notes")  # noqa: RUF023
    date: str
    what: str
    amount: str
    volume: str
    status: str
    kind: str
    """`overdue`, `due`, `provisional` or `planned`: picks the row's emphasis."""
    notes: list[str]


class TestRow(Record):
    """One blood test or check-up, with its date or window."""

    __slots__ = ("when", "what", "why", "status", "kind")  # noqa: RUF023 - as shown
    when: str
    what: str
    why: str
    status: str
    kind: str


class Handout(Record):
    """Everything the template shows, already in plain words."""

    __slots__ = (  # noqa: RUF023 - top to bottom
        "title",
        "as_of",
        "ref",
        "blocked",
        "stopped",
        "phase",
        "phase_lines",
        "treatment",
        "given",
        "overdue",
        "doses",
        "horizon",
        "changes",
        "tests",
        "notes",
        "reasons",
        "disclaimer",
        "protocol",
        "generator",
    )
    title: str
    as_of: str
    ref: str
    """The practice's reference for the patient (`ref`), or empty."""
    blocked: bool
    stopped: bool
    """Treatment stopped on or before the plan's date: no dates to come."""
    phase: str
    phase_lines: list[str]
    treatment: str
    given: str
    overdue: str
    """The one dose to book now, and what that means for the dates after it."""
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


def _dose_notes(dose: DoseDocument) -> list[str]:
    notes = [HELD_NOTE] if held_reason(dose) else []
    moved, missed, planned = dose["moved_from"], dose["missed"], dose["planned_date"]
    if moved is not None:
        notes.append(f"moved from {day_month(moved)} (practice closed)")
    if missed is not None:
        said = MISSED_REASONS.get(missed["reason"], missed["reason"])
        notes.append(f"missed on {day_month(missed['date'])} ({said})")
    if planned is not None and dose["status"] != "given":
        notes.append(f"was due {day_month(planned)}")
    return notes


def _open_review(plan: PlanDocument) -> date | None:
    """The check-up that decides when an open loading course ends, if there is one."""
    return next((f["date"] for f in plan["follow_up"] if f["test"] == OPEN_REVIEW), None)


def _dose_rows(plan: PlanDocument) -> list[DoseRow]:
    loading = [d["n"] for d in plan["doses"] if d["phase"] == "repletion"]
    review = _open_review(plan)
    rows = []
    booked = False
    for dose in plan["doses"]:
        status = dose["status"]
        if status == "given":
            continue
        # An open course's first doses are as planned as any: only those after the check-up
        # that decides its end are to be confirmed.
        if status == "provisional" and review is not None and dose["date"] <= review:
            status = "planned"
        # "Book it now" once: the first dose owed is the one to book.
        if status == "overdue" and booked:
            status = "planned"
        booked = booked or status == "overdue"
        if dose["phase"] == "repletion":
            k = loading.index(dose["n"]) + 1
            complete = plan["complete"]
            what = f"Loading dose {k} of {len(loading)}" if complete else f"Loading dose {k}"
        else:
            what = "Maintenance dose"
        rows.append(
            DoseRow(
                date=short_date(dose["date"]),
                what=what,
                amount=dose_amount(dose["dose_mcg"]),
                volume=f"{dose['volume_ml']:g} mL",
                status=DOSE_STATUS.get(status, status),
                kind=status,
                notes=_dose_notes(dose),
            )
        )
    return rows


def _given(plan: PlanDocument) -> str:
    given = [d for d in plan["doses"] if d["status"] == "given"]
    if not given:
        return ""
    last = given[-1]
    noun = "injection" if len(given) == 1 else "injections"
    return f"Already given: {len(given)} {noun}, the last on {long_date(last['date'])}."


def _test_rows(plan: PlanDocument) -> list[TestRow]:
    rows = []
    for item in plan["follow_up"]:
        if _moment_passed(item, plan["as_of"]):
            continue
        what, why = PLAIN_TESTS.get(item["test"], (item["test"], OTHER_TEST_WHY))
        if item["why"].startswith(STOP_REVIEW_WHY):
            what, why = STOP_REVIEW
        status = TEST_STATUS[item["status"]]
        if item["status"] == "overdue" and item["test"].startswith(REVIEW_TEST):
            status = REVIEW_OVERDUE
        rows.append(
            TestRow(
                when=_window(item),
                what=what,
                why=why,
                status=status,
                kind=item["status"],
            )
        )
    return rows


def _moment_passed(item: FollowUpDocument, as_of: date) -> bool:
    """A check for the start of treatment, missed, whose window closed more than four weeks
    ago: the patient's page no longer asks about it (handout_words.START_CHECKS)."""
    closed = item["until"] or item["date"]
    return (
        item["status"] == "overdue"
        and item["test"] in START_CHECKS
        and (as_of - closed).days > START_CHECK_GRACE_DAYS
    )


def _window(item: FollowUpDocument) -> str:
    first, until = item["date"], item["until"]
    if until is None or until == first:
        return short_date(first)
    shown = day_month(first) if until.year == first.year else short_date(first)
    return f"{shown} to {short_date(until)}"


def _duration(plan: PlanDocument) -> str:
    """How long maintenance goes on, in words: for life, while a vegan diet or a medicine
    goes on, or reviewed."""
    codes = {f["code"] for f in plan["findings"]}
    maintenance = plan["maintenance"]
    if "VEGAN_DIET" in codes:
        return DURATION_VEGAN
    if maintenance is not None and maintenance["lifelong"]:
        return DURATION_LIFELONG
    if "MEDICATION_CAUSE" in codes:
        return DURATION_MEDICATION
    return DURATION_REVIEWED


def _stopped(plan: PlanDocument) -> tuple[str, list[str]] | None:
    """The phase of a course that stopped on or before the plan's date, if it did."""
    stop = stop_of(plan)
    if stop is None or stop[0] > plan["as_of"]:
        return None
    day, reason = stop
    lines = [f"Your vitamin B12 injections stopped on {long_date(day)}."]
    lines += [words for key, words in STOPPED_LINES.items() if reason.startswith(key)]
    return STOPPED_TITLE, lines


def _phase(plan: PlanDocument, as_of: date) -> tuple[str, list[str]]:
    """The phase the patient is in at `as_of`, and what it means."""
    stopped = _stopped(plan)
    if stopped is not None:
        return stopped
    loading = [d for d in plan["doses"] if d["phase"] == "repletion"]
    maintenance = plan["maintenance"]
    if maintenance is not None and maintenance["interval"] is not None:
        then = f"one injection {every(maintenance['interval'])}"
        keep = f"Maintenance doses keep your B12 level up: {then}, {_duration(plan)}"
    else:
        keep = "Your doctor will decide on maintenance doses at a check-up."
    if loading and any(d["status"] != "given" for d in loading):
        started = any(d["status"] == "given" for d in loading) or loading[0]["date"] <= as_of
        title = "Loading doses" if started else "Starting with loading doses"
        refill = "Loading doses (also called repletion) refill your body's store of vitamin B12"
        if plan["complete"]:
            first, last = long_date(loading[0]["date"]), long_date(loading[-1]["date"])
            lines = [f"{refill} quickly: {len(loading)} injections, from {first} to {last}."]
        else:
            # Only an open loading course (neurological, Leber's) leaves a plan incomplete.
            review = _open_review(plan)
            at = f"a check-up on {long_date(review)}" if review else "a check-up"
            course = OPEN_COURSE.get(plan["protocol"]["id"], OPEN_COURSE_DEFAULT)
            lines = [
                f"{refill}: {course}",
                f"Your doctor decides at {at} when they end, so any date after that check-up "
                "is to be confirmed.",
            ]
        lines.append(f"After them, {keep[0].lower()}{keep[1:]}")
        return title, lines
    lines = [keep]
    if loading:
        lines.insert(0, "Your loading doses are finished.")
    return "Maintenance doses", lines


def _notes(plan: PlanDocument, *, lapse_told: bool) -> list[str]:
    """The findings the patient should hear about, each once; a lapse beside the overdue dose
    (`lapse_told`) is not said again here."""
    notes: list[str] = []
    for finding in plan["findings"]:
        code = finding["code"]
        note: str | None = None
        if code == "LAPSED" and lapse_told:
            continue
        if code == "ANTICOAG_IM" and finding["message"].startswith(INR_HOLD):
            inr = [lab for lab in plan["labs"] if lab["analyte"] == "inr"][-1]
            note = INR_HOLD_NOTE.format(day=long_date(inr["date"]))
        elif code in PATIENT_NOTES:
            note = PATIENT_NOTES[code]
        elif finding["severity"] == "warning":
            note = GENERIC_NOTE
        if note is not None and note not in notes:  # each said once, however often raised
            notes.append(note)
    return notes


def _changes(plan: PlanDocument) -> list[str]:
    """Each change of the interval in force, from when (clinicians' decisions included)."""
    maintenance = plan["maintenance"]
    history = maintenance["changes"] if maintenance is not None else []
    return [
        f"From {long_date(new['date'])}: one injection {every(new['interval'])} "
        f"(it was {every(old['interval'])})."
        for old, new in pairwise(history)
        if new["interval"] != old["interval"]
    ]


def _overdue_line(owed: DoseDocument, plan: PlanDocument) -> str:
    """The one dose owed: what the dates after it assume, an INR check first where it is
    held, and a lapse said here, beside it, rather than among the notes."""
    line = OVERDUE_THEN.format(due=long_date(owed["date"]))
    if held_reason(owed):
        line += f" {OVERDUE_HELD}"
    if _lapsed(plan):
        line += f" {OVERDUE_LAPSED}"
    return line


def _lapsed(plan: PlanDocument) -> bool:
    return any(f["code"] == "LAPSED" for f in plan["findings"])


def handout_view(plan: PlanDocument) -> Handout:
    """The plan in the patient's words, ready for the template."""
    as_of = plan["as_of"]
    blocked = is_blocked(plan)
    phase, lines = ("No schedule yet", []) if blocked else _phase(plan, as_of)
    inputs, doses, maintenance = plan["inputs"], plan["doses"], plan["maintenance"]
    horizon = ""
    stop = stop_of(plan)
    stopped = stop is not None and stop[0] <= as_of
    upcoming = [d for d in doses if d["status"] != "given"]
    treatment = ""
    if inputs is not None and upcoming:
        product, route = inputs["product"], ROUTES[inputs["route"]]
        treatment = f"Each injection is {product} (vitamin B12), given {route}."
    if stop is not None:
        if not stopped:
            horizon = f"Your injections are planned to stop on {long_date(stop[0])}."
    elif upcoming and plan["complete"]:
        horizon = f"This plan lists dates up to {long_date(doses[-1]['date'])}"
        lifelong = maintenance is not None and maintenance["lifelong"]
        horizon += (
            ": your injections go on after that, and your practice will give you the next dates."
            if lifelong
            else ". Your practice will tell you what happens after that."
        )
    owed = next((d for d in doses if d["status"] == "overdue"), None)
    return Handout(
        title="Your vitamin B12 injection plan",
        as_of=long_date(as_of),
        ref=plan.get("ref") or "",
        blocked=blocked,
        stopped=stopped,
        phase=phase,
        phase_lines=lines,
        treatment=treatment,
        given=_given(plan),
        overdue="" if owed is None else _overdue_line(owed, plan),
        doses=_dose_rows(plan),
        horizon=horizon,
        changes=_changes(plan),
        tests=[] if blocked else _test_rows(plan),
        notes=[] if blocked else _notes(plan, lapse_told=owed is not None),
        reasons=[f["message"] for f in plan["findings"] if f["severity"] == "block"],
        disclaimer=plan["disclaimer"],
        protocol=f"{plan['protocol']['title']} ({', '.join(plan['protocol']['sources'])})",
        generator=f"{plan['generator']['name']} {plan['generator']['version']}",
    )


# The templates, compiled to Python by `tools/generate.py` (a test fails until they are current):
# compiling them costs a run more than everything else the handout does. Each module records
# the Jinja2 it was compiled with; under another version the sources are compiled as before.
COMPILED = {
    "handout.html.j2": "b12plan.render._template_handout_html",
    "handout.css": "b12plan.render._template_handout_css",
}


def finalize(value: object) -> object:
    """What a template writes for `value` (the handout's and the worklist's): text printable.

    Control and direction-override characters from the input would be invalid HTML or could
    reorder what the patient reads: they are shown escaped, as in error lines.
    """
    return printable(value) if isinstance(value, str) else value


class CompiledLoader(jinja2.BaseLoader):
    """The compiled template modules, loaded as `jinja2.ModuleLoader` loads its own."""

    @staticmethod
    def usable() -> bool:
        """Whether every compiled template was compiled by the Jinja2 installed."""
        return all(
            getattr(importlib.import_module(module), "jinja2_version", None) == jinja2.__version__
            for module in COMPILED.values()
        )

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        """The compiled template `name`."""
        if name not in COMPILED:
            raise jinja2.TemplateNotFound(name)
        module = importlib.import_module(COMPILED[name])
        return environment.template_class.from_module_dict(
            environment, module.__dict__, globals or {}
        )


def environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """The handout's Jinja2 environment: the compiled templates when they fit the installed
    Jinja2, else the template sources (`loader` overrides both)."""
    if loader is None:
        usable = CompiledLoader.usable()
        loader = CompiledLoader() if usable else jinja2.PackageLoader("b12plan.render", "templates")
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def plan_html(plan: PlanDocument) -> str:
    """The handout as one HTML5 document (UTF-8 text, ending in a newline)."""
    return environment().get_template("handout.html.j2").render(page=handout_view(plan))
