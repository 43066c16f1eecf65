"""The plan as an iCalendar file (RFC 5545, `--format ics`): all-day events for doses and tests.

Built so that importing a newer plan for the same course *updates* the events already in a
calendar instead of adding duplicates (choices documented in the README):
- One all-day event per dose of the plan, given ones included (a recorded dose replaces its
  stale "planned" event), and one per follow-up test or review, over its window. A blocked plan
  has no dose: it gets one event on `as_of` saying so, since a calendar needs a component.
- UID: a hash of the inputs that identify the course (start, cause, dob, sex, product, route,
  protocol, and the caller's `ref` when given), then the dose number, the test's name, or
  `blocked`. History, labs, `until` and `as_of` are left out on purpose: recording a dose must
  not change the UIDs around it.
- DTSTAMP and LAST-MODIFIED: `as_of` at midnight UTC, never the clock, so the same input gives
  the same bytes. SEQUENCE: days from 1900-01-01 to `as_of`, times 10,000, plus the entries of
  the history (given doses, labs, symptom dates, recorded decisions): a plan made later, or on
  the same day from a longer history, supersedes the earlier file.
- No METHOD: iTIP's PUBLISH needs an ORGANIZER (RFC 5546 3.2.1), and a plan has none.
- STATUS: TENTATIVE for a provisional dose (its date waits on the clinician's `repletion_end`)
  and for a held one (it waits on an INR check; the reason is in its SUMMARY), CONFIRMED
  otherwise (the date stands as the plan placed it or as it was given).

icalendar is imported here only, so the JSON path never loads it.
"""

from __future__ import annotations

import importlib
import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from icalendar import Calendar, Event

from b12plan.contract.records import Patient
from b12plan.contract.vocab import is_blocked
from b12plan.render.cite import cited
from b12plan.render.held import held_reason
from b12plan.render.stop import stop_finding, stop_of

SEQUENCE_EPOCH = date(1900, 1, 1)
ENTRIES_PER_DAY = 10_000
"""SEQUENCE counts this many history entries within one as_of day (more are capped)."""
# The patient fields that make up the history: items of dated lists, and decisions counted
# once when set. `missed`, `interval_changes` and `repletion_done` are announced (issue 12).
HISTORY_LISTS = ("given", "labs", "symptoms_returned", "missed", "interval_changes")
HISTORY_DECISIONS = ("interval", "repletion_end", "repletion_done", "stopped")
# Not the history: the course's identity (see course_inputs) and settings of the plan.
NOT_HISTORY = (
    *("start", "cause", "dob", "sex", "product", "route", "protocol", "ref"),
    *("neuro", "strength", "conditions", "override_reason", "until", "clinic"),
)

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, PlanDocument
UID_DOMAIN = "b12plan"
COURSE_HASH_CHARS = 24
"""Hex characters of sha256 kept for the course part of a UID (96 bits)."""


def course_inputs(patient: Patient, plan: PlanDocument) -> dict[str, str | None]:
    """The inputs that identify one course of injections, as resolved for this plan; the
    caller's `ref` too when given, so that two patients alike in all else never share a UID
    (left out without one, so the UIDs of calendars made before `ref` existed stay put)."""
    resolved = plan["inputs"]
    inputs = {
        "start": patient.start.isoformat(),
        "cause": patient.cause,
        "dob": None if patient.dob is None else patient.dob.isoformat(),
        "sex": patient.sex,
        "product": resolved["product"] if resolved is not None else patient.product,
        "route": resolved["route"] if resolved is not None else patient.route,
        "protocol": plan["protocol"]["id"],
    }
    if patient.ref is not None:
        inputs["ref"] = patient.ref
    return inputs


def course_hash(patient: Patient, plan: PlanDocument) -> str:
    """sha256 (hex, truncated) of the course inputs as compact JSON with sorted keys."""
    canonical = json.dumps(course_inputs(patient, plan), sort_keys=True, separators=(",", ":"))
    return sha256_hex(canonical.encode("utf-8"))[:COURSE_HASH_CHARS]


def sha256_hex(data: bytes) -> str:
    """The sha256 digest of `data`, in hex, as `hashlib.sha256(data).hexdigest()` gives it.

    `import hashlib` loads OpenSSL's libcrypto (~11 M instructions, 2% of `--format ics`'s
    start-up) to hash a hundred bytes. CPython's own sha256 is built in (the module `_sha2`
    from 3.12, `_sha256` before); hashlib only where a build leaves it out.
    """
    for name in ("_sha2", "_sha256"):
        try:
            builtin = importlib.import_module(name)
        except ImportError:
            continue
        digest: str = builtin.sha256(data).hexdigest()
        return digest
    import hashlib

    return hashlib.sha256(data).hexdigest()


def event_uid(course: str, n: int) -> str:
    """The UID of dose `n` of a course: stable across re-plans of that course."""
    return f"{course}-{n}@{UID_DOMAIN}"


def _phase_label(dose: DoseDocument, plan: PlanDocument) -> str:
    if dose["phase"] == "maintenance":
        return "maintenance"
    repletion = [d["n"] for d in plan["doses"] if d["phase"] == "repletion"]
    k = repletion.index(dose["n"]) + 1
    # An open-ended repletion has no known total yet: "repletion 3", not "3/8".
    return f"repletion {k}" if not plan["complete"] else f"repletion {k}/{len(repletion)}"


def summary(dose: DoseDocument, plan: PlanDocument) -> str:
    """`B12 1000 mcg IM — repletion 3/6`, with the status unless it is simply planned, and why
    a held dose waits (`held: INR 3.4 on 2026-12-05 is above 3.0`)."""
    text = f"B12 {dose['dose_mcg']:g} mcg {dose['route'].upper()} — {_phase_label(dose, plan)}"
    notes = [] if dose["status"] == "planned" else [dose["status"]]
    if held := held_reason(dose):
        notes.append(f"held: {held}")
    return f"{text} ({'; '.join(notes)})" if notes else text


def description(dose: DoseDocument, plan: PlanDocument, *, explain: bool) -> str:
    """What to give and why, the status as of the plan's date, and the disclaimer."""
    inputs, protocol, trace = plan["inputs"], plan["protocol"], dose.get("trace")
    product = f"{inputs['product']} " if inputs is not None else ""
    lines = [
        f"Dose {dose['n']}: {dose['dose_mcg']:g} mcg = {dose['volume_ml']:.2f} mL {product}"
        f"{dose['route'].upper()} ({_phase_label(dose, plan)}).",
        f"Status as of {plan['as_of']}: {dose['status']}.",
        f"Why: {dose['why']}.",
    ]
    if held := held_reason(dose):
        lines.append(f"Held: {held}; wait for the INR check before giving it.")
    if dose["planned_date"] is not None:
        lines.append(f"Given {dose['date']}; it was due {dose['planned_date']}.")
    if dose["site"]:
        lines.append(f"Site: {dose['site']}.")
    lines.append(f"Protocol: {protocol['id']} ({protocol['title']}).")
    if explain and trace:
        lines.append("Rules: " + " > ".join(trace))
    lines.append(plan["disclaimer"])
    return "\n".join(lines)


def history_entries(patient: Patient) -> int:
    """How many entries the patient's history holds: each item of its dated lists, and each
    recorded decision. Recording anything adds one, so a re-made calendar is newer."""
    lists = sum(len(getattr(patient, name, None) or ()) for name in HISTORY_LISTS)
    decisions = sum(getattr(patient, name, None) not in (None, False) for name in HISTORY_DECISIONS)
    return lists + decisions


def sequence(patient: Patient, as_of: date) -> int:
    """The revision of every event: as_of first, then the size of the history (RFC 5545 3.8.7.4
    asks only that it rises; 2199-12-31 gives 1,095,719,999, within its 32-bit integer)."""
    days = (as_of - SEQUENCE_EPOCH).days
    return days * ENTRIES_PER_DAY + min(history_entries(patient), ENTRIES_PER_DAY - 1)


def _event(uid: str, first: date, last: date, summary_text: str, text: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))
    event.add("summary", summary_text)
    event.add("description", text)
    # A dose or a test takes minutes: the all-day event must not mark the day as busy.
    event.add("transp", "TRANSPARENT")
    return event


def dose_event(course: str, dose: DoseDocument, plan: PlanDocument, *, explain: bool) -> Event:
    """One dose: on its date, tentative while its date waits on the clinician or an INR check
    holds it (RFC 5545 3.8.1.11)."""
    event = _event(
        event_uid(course, dose["n"]),
        dose["date"],
        dose["date"],
        summary(dose, plan),
        description(dose, plan, explain=explain),
    )
    tentative = dose["status"] == "provisional" or held_reason(dose) is not None
    event.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    event.add("categories", ["B12 injection", dose["phase"]])
    return event


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def follow_up_events(course: str, plan: PlanDocument) -> list[Event]:
    """One event per test or review, over its window; its UID names the test, which the engine
    derives from the course (start, protocol, baseline), so recording doses keeps it."""
    events = []
    seen: Counter[str] = Counter()
    protocol = plan["protocol"]
    for item in plan["follow_up"]:
        test, first = item["test"], item["date"]
        slug = _slug(test)
        seen[slug] += 1
        key = slug if seen[slug] == 1 else f"{slug}-{seen[slug]}"
        last = item["until"] or first
        when = f"on {first}" if last == first else f"between {first} and {last}"
        lines = [f"Follow-up: {test}, {when}.", f"Why: {cited(item['why'], item['source'])}."]
        # `status` is announced for follow-ups (done, overdue, due, planned): shown once present.
        status: str | None = item.get("status")
        title = f"B12 follow-up: {test}"
        if status is not None:
            lines.append(f"Status as of {plan['as_of']}: {status}.")
            title += "" if status == "planned" else f" ({status})"
        lines += [f"Protocol: {protocol['id']} ({protocol['title']}).", plan["disclaimer"]]
        event = _event(f"{course}-test-{key}@{UID_DOMAIN}", first, last, title, "\n".join(lines))
        event.add("status", "CONFIRMED")
        event.add("categories", ["B12 follow-up"])
        events.append(event)
    return events


def blocked_event(course: str, plan: PlanDocument) -> Event:
    """The one event of a blocked plan, on `as_of`: no schedule, and the findings that block it."""
    lines = [
        "No injection schedule could be made. Talk to the prescriber before any B12 injection."
    ]
    lines += [
        f"Blocked: {f['code']}: {cited(f['message'], f['source'])}."
        for f in plan["findings"]
        if f["severity"] == "block"
    ]
    lines.append(plan["disclaimer"])
    event = _event(
        f"{course}-blocked@{UID_DOMAIN}",
        plan["as_of"],
        plan["as_of"],
        "B12 injections: no schedule (blocked): see the prescriber",
        "\n".join(lines),
    )
    event.add("categories", ["B12 plan blocked"])
    return event


def stopped_event(course: str, plan: PlanDocument) -> Event | None:
    """An event on the day treatment stops (or stopped), saying why, when it does: so that a
    calendar imported over an older one shows the stop, and a stop that leaves no dose and no
    test still gives the calendar its one component (RFC 5545 3.6)."""
    stop = stop_of(plan)
    found = stop_finding(plan)
    if stop is None or found is None:
        return None
    lines = [f"{cited(found['message'], found['source'])}.", plan["disclaimer"]]
    day, words = stop
    reason = words.split(")")[0].split(";")[0]  # the reason's words come before any note
    event = _event(
        f"{course}-stopped@{UID_DOMAIN}",
        day,
        day,
        f"B12 injections stopped ({reason})",
        "\n".join(lines),
    )
    event.add("status", "CONFIRMED")
    event.add("categories", ["B12 plan stopped"])
    return event


def plan_ics(plan: PlanDocument, patient: Patient, *, explain: bool = False) -> str:
    """The calendar as text with CRLF line ends; never without an event."""
    as_of = plan["as_of"]
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    revision = sequence(patient, as_of)
    course = course_hash(patient, plan)
    calendar = Calendar()
    calendar.add("prodid", f"-//b12plan//b12plan {plan['generator']['version']}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"B12 injections ({plan['protocol']['id']})")
    events = [dose_event(course, dose, plan, explain=explain) for dose in plan["doses"]]
    events += follow_up_events(course, plan)
    if is_blocked(plan):
        events.append(blocked_event(course, plan))
    elif (stopped := stopped_event(course, plan)) is not None:
        events.append(stopped)
    for event in events:
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", revision)
        calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text
