"""The plan as an iCalendar file (RFC 5545, `--format ics`): one all-day event per dose.

Built so that importing a newer plan for the same course *updates* the events already in a
calendar instead of adding duplicates (choices documented in the README):
- UID: a hash of the inputs that identify the course (start, cause, dob, sex, product, route,
  protocol) and the dose number. History, labs, `until` and `as_of` are left out on purpose:
  recording a given dose must not change the UIDs of the doses around it.
- DTSTAMP and LAST-MODIFIED: `as_of` at midnight UTC, never the clock, so the same input gives
  the same bytes; SEQUENCE: days from 1900-01-01 to `as_of`, so a later plan supersedes an earlier.
- Every dose of the plan, given ones included (a recorded dose replaces its stale "planned" event).
- STATUS: TENTATIVE for a provisional dose (its date waits on the clinician's `repletion_end`),
  CONFIRMED otherwise (the date stands as the plan placed it or as it was given).

icalendar is imported here only, so the JSON path never loads it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from b12plan.models import Dose, Patient, Plan

SEQUENCE_EPOCH = date(1900, 1, 1)
UID_DOMAIN = "b12plan"
COURSE_HASH_CHARS = 24
"""Hex characters of sha256 kept for the course part of a UID (96 bits)."""


def course_inputs(patient: Patient, plan: Plan) -> dict[str, str | None]:
    """The inputs that identify one course of injections, as resolved for this plan."""
    resolved = plan.inputs
    return {
        "start": patient.start.isoformat(),
        "cause": patient.cause,
        "dob": None if patient.dob is None else patient.dob.isoformat(),
        "sex": patient.sex,
        "product": resolved.product if resolved is not None else patient.product,
        "route": resolved.route if resolved is not None else patient.route,
        "protocol": plan.protocol.id,
    }


def course_hash(patient: Patient, plan: Plan) -> str:
    """sha256 (hex, truncated) of the course inputs as compact JSON with sorted keys."""
    canonical = json.dumps(course_inputs(patient, plan), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:COURSE_HASH_CHARS]


def event_uid(course: str, n: int) -> str:
    """The UID of dose `n` of a course: stable across re-plans of that course."""
    return f"{course}-{n}@{UID_DOMAIN}"


def _phase_label(dose: Dose, plan: Plan) -> str:
    if dose.phase == "maintenance":
        return "maintenance"
    repletion = [d.n for d in plan.doses if d.phase == "repletion"]
    k = repletion.index(dose.n) + 1
    # An open-ended repletion has no known total yet: "repletion 3", not "3/8".
    return f"repletion {k}" if not plan.complete else f"repletion {k}/{len(repletion)}"


def summary(dose: Dose, plan: Plan) -> str:
    """`B12 1000 mcg IM — repletion 3/6`, with the status unless it is simply planned."""
    text = f"B12 {dose.dose_mcg:g} mcg {dose.route.upper()} — {_phase_label(dose, plan)}"
    return text if dose.status == "planned" else f"{text} ({dose.status})"


def description(dose: Dose, plan: Plan, *, explain: bool) -> str:
    """What to give and why, the status as of the plan's date, and the disclaimer."""
    product = f"{plan.inputs.product} " if plan.inputs is not None else ""
    lines = [
        f"Dose {dose.n}: {dose.dose_mcg:g} mcg = {dose.volume_ml:.2f} mL {product}"
        f"{dose.route.upper()} ({_phase_label(dose, plan)}).",
        f"Status as of {plan.as_of}: {dose.status}.",
        f"Why: {dose.why}.",
    ]
    if dose.planned_date is not None:
        lines.append(f"Given {dose.date}; it was due {dose.planned_date}.")
    if dose.site:
        lines.append(f"Site: {dose.site}.")
    lines.append(f"Protocol: {plan.protocol.id} ({plan.protocol.title}).")
    if explain and dose.trace:
        lines.append("Rules: " + " > ".join(dose.trace))
    lines.append(plan.disclaimer)
    return "\n".join(lines)


def plan_ics(plan: Plan, patient: Patient, *, explain: bool = False) -> str:
    """The calendar as text with CRLF line ends; a plan without doses gives no events."""
    stamp = datetime(plan.as_of.year, plan.as_of.month, plan.as_of.day, tzinfo=UTC)
    sequence = (plan.as_of - SEQUENCE_EPOCH).days
    course = course_hash(patient, plan)
    calendar = Calendar()
    calendar.add("prodid", f"-//b12plan//b12plan {plan.generator.version}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"B12 injections ({plan.protocol.id})")
    for dose in plan.doses:
        event = Event()
        event.add("uid", event_uid(course, dose.n))
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", dose.date)
        event.add("dtend", dose.date + timedelta(days=1))
        event.add("summary", summary(dose, plan))
        event.add("description", description(dose, plan, explain=explain))
        event.add("status", "TENTATIVE" if dose.status == "provisional" else "CONFIRMED")
        # An injection takes minutes: the all-day event must not mark the day as busy.
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["B12 injection", dose.phase])
        calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text
