"""`b12plan audit`'s rules: one patient's worklist entry from their plan and their record.

Pure: no I/O, no clock (`as_of` is an argument), no click or rich. The plan is the engine's own
plan document for the patient (the same replay as `schedule`); this module only reads it, with
the record for what the plan does not repeat (what was given: dose, product, route) and the
protocol for its shortest repletion gap and its routes. Contract: "`b12plan audit`", status and
dose evaluation [C].

An entry is JSON-ready as the plan document is: dates are `datetime.date`s, which the JSON
writer (pydantic-core's, as the batch's) writes as `YYYY-MM-DD`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final

from b12plan.contract.intervals import Interval
from b12plan.contract.vocab import AUDIT_STATUSES, is_blocked

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, PlanDocument
    from b12plan.contract.records import GivenDose, Patient, Protocol

RANK: Final = {
    "needs-review": 0,
    "blocked": 1,
    "lapsed": 2,
    "overdue": 2,
    "due": 3,
    "loading": 4,
    "due-soon": 5,
    "up-to-date": 6,
    "stopped": 7,
}
"""The worklist's order: lapsed and overdue together (most days overdue first)."""
LISTED: Final = tuple(sorted(RANK, key=lambda s: (RANK[s], AUDIT_STATUSES.index(s))))
"""The statuses in worklist order (summaries count them in this order)."""
EVALUATIONS: Final = (
    "on-time",
    "late",
    "early",
    "extra",
    "wrong-dose",
    "wrong-product",
    "wrong-route",
)
DUE_WITHIN_DAYS: Final = 28
"""`--due-within` default: `due-soon` looks this many days ahead."""
MAINTENANCE_GRACE_DAYS: Final = 7
"""Gaps in treatment [C]: a maintenance dose up to 7 days off its date is on time."""
REPLETION_GRACE_DAYS: Final = 2
"""Gaps in treatment [C]: a repletion dose up to 2 days late is on time."""
NOT_GIVEN: Final = ("overdue", "due", "planned", "provisional")


def review_entry(ref: str, problems: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The entry of a patient whose rows cannot be planned from: every problem listed."""
    return _entry(ref, "needs-review", problems=[dict(p) for p in problems])


def audit_entry(
    ref: str,
    plan: PlanDocument,
    patient: Patient,
    protocol: Protocol,
    *,
    stopped_on: date | None = None,
    due_within_days: int = DUE_WITHIN_DAYS,
) -> dict[str, Any]:
    """One patient's worklist entry, from the plan `schedule` makes for them (seen on the
    plan's `as_of`), their record, and the protocol the plan follows.

    `stopped_on` is the date treatment was stopped, if it was.
    """
    as_of = plan["as_of"]
    given = [d.date for d in patient.given]
    last_given = max(given) if given else None
    maintenance = plan["maintenance"]
    findings = [
        {k: f[k] for k in ("code", "severity", "message", "source")}
        for f in plan["findings"]
        if f["severity"] in ("warning", "block")
    ]
    tests = [
        {"test": t["test"], "date": t["date"], "until": t["until"], "status": t["status"]}
        for t in plan["follow_up"]
        if t["status"] in ("due", "overdue")
    ]
    base: dict[str, Any] = {
        "last_given": last_given,
        "interval": None if maintenance is None else maintenance["interval"],
        "protocol": plan["protocol"]["id"],
        "tests_due": tests,
        "findings": findings,
    }
    if is_blocked(plan):
        return _entry(ref, "blocked", **base)
    doses = evaluate_doses(plan, patient, protocol)
    if stopped_on is not None and stopped_on <= as_of:
        return _entry(ref, "stopped", doses=doses, **base)
    upcoming = [d for d in plan["doses"] if d["status"] in NOT_GIVEN]
    overdue = next((d for d in upcoming if d["status"] == "overdue"), None)
    if overdue is not None:
        days = (as_of - overdue["date"]).days
        status = "lapsed" if lapsed(overdue, plan) else "overdue"
        return _entry(ref, status, next_due=overdue["date"], days_overdue=days, doses=doses, **base)
    following = upcoming[0] if upcoming else None
    if following is None:
        status = "up-to-date"
    elif following["date"] == as_of:
        status = "due"
    elif following["phase"] == "repletion":
        status = "loading"
    elif (following["date"] - as_of).days <= due_within_days:
        status = "due-soon"
    else:
        status = "up-to-date"
    next_due = None if following is None else following["date"]
    return _entry(ref, status, next_due=next_due, doses=doses, **base)


def _entry(ref: str, status: str, **fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ref": ref,
        "status": status,
        "next_due": None,
        "days_overdue": None,
        "last_given": None,
        "interval": None,
        "protocol": None,
        "tests_due": [],
        "findings": [],
        "doses": [],
        "problems": [],
    }
    entry.update(fields)
    return entry


def interval_in_force(plan: PlanDocument, on: date) -> Interval | None:
    """The maintenance interval in force on a date, from the plan's history of changes."""
    interval, changes = _history(plan)
    for changed, to in changes:
        if changed <= on:
            interval = to
    return interval


def lapsed(overdue: DoseDocument, plan: PlanDocument) -> bool:
    """The overdue dose is a maintenance dose later than one interval in force [C]: overdue
    by exactly one interval is overdue; a day more is lapsed."""
    if overdue["phase"] != "maintenance":
        return False
    interval = interval_in_force(plan, plan["as_of"])
    return interval is not None and plan["as_of"] > interval.after(overdue["date"])


def evaluate_doses(
    plan: PlanDocument, patient: Patient, protocol: Protocol
) -> list[dict[str, Any]]:
    """Each given dose's evaluation, in order: on-time, or every one of late, early, extra,
    wrong-dose, wrong-product and wrong-route that applies, each with its reason."""
    given_doses = [d for d in plan["doses"] if d["status"] == "given"]
    records = _matched(given_doses, patient.given)
    gaps = [g for segment in protocol.repletion for g in segment.gaps_days]
    shortest = min(gaps) if gaps else None
    # What does not change from dose to dose is worked out once a patient.
    expected = {
        "maintenance": [protocol.maintenance.dose_mcg],
        "repletion": list(dict.fromkeys(segment.dose_mcg for segment in protocol.repletion)),
    }
    start, changes = _history(plan)
    out: list[dict[str, Any]] = []
    previous: date | None = None
    for dose, record in zip(given_doses, records, strict=True):
        when, phase = dose["date"], dose["phase"]
        planned = dose["planned_date"] or when
        planned_day, late = _iso(planned), (when - planned).days
        if phase == "maintenance":
            interval = start  # in force on the day, as `interval_in_force` finds it
            for changed, to in changes:
                if changed <= when:
                    interval = to
            found = _maintenance_timing(when, planned_day, late, previous, interval)
        else:
            found = _repletion_timing(when, planned_day, late, previous, shortest)
        if record is not None:
            found += _what(phase, record, protocol, expected.get(phase, expected["repletion"]))
        if not found:
            found = [{"code": "on-time", "reason": _on_time(phase, planned_day, late)}]
        out.append(
            {
                "n": dose["n"],
                "date": when,
                "planned_date": planned,
                "phase": phase,
                "dose_mcg": record.dose_mcg if record and record.dose_mcg else dose["dose_mcg"],
                "product": record.product if record else None,
                "route": record.route if record else None,
                "evaluation": found,
            }
        )
        previous = when
    return out


def _history(plan: PlanDocument) -> tuple[Interval | None, list[tuple[date, Interval]]]:
    """The interval in force before any change (the plan's own, or else its first change's)
    and each change with the interval it brings, read once."""
    maintenance = plan["maintenance"]
    if maintenance is None:
        return None, []
    changes = [(c["date"], Interval.parse(c["interval"])) for c in maintenance["changes"]]
    text = maintenance["interval"]
    if text is not None:
        return Interval.parse(text), changes
    return (changes[0][1] if changes else None), changes


def _matched(doses: Sequence[DoseDocument], given: Sequence[GivenDose]) -> list[GivenDose | None]:
    """The record's given item behind each given dose of the plan (the plan lists them in the
    record's order; matched by date should a plan ever leave one out)."""
    if len(doses) == len(given):
        return list(given)
    by_date: dict[date, GivenDose] = {}
    for item in given:
        by_date.setdefault(item.date, item)
    return [by_date.get(d["date"]) for d in doses]


# A date written into a reason: a clinic's doses fall on the same few thousand days, and
# writing one out costs ten times looking it up.
_iso = lru_cache(maxsize=8192)(date.isoformat)


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _on_time(phase: str, planned_day: str, off: int) -> str:
    if off == 0:
        return f"given on its date ({planned_day})"
    grace = MAINTENANCE_GRACE_DAYS if phase == "maintenance" else REPLETION_GRACE_DAYS
    side = "after" if off > 0 else "before"
    return f"given {_days(abs(off))} {side} its date ({planned_day}), within {_days(grace)} [C]"


def _maintenance_timing(
    when: date, planned_day: str, late: int, previous: date | None, interval: Interval | None
) -> list[dict[str, str]]:
    found = []
    if late > MAINTENANCE_GRACE_DAYS:
        found.append(_late(late, planned_day, MAINTENANCE_GRACE_DAYS))
    if -late > MAINTENANCE_GRACE_DAYS:
        found.append(
            {
                "code": "early",
                "reason": f"given {_days(-late)} before its date ({planned_day}); "
                f"more than {_days(MAINTENANCE_GRACE_DAYS)} early [C]",
            }
        )
    if previous is None or interval is None:
        return found
    gap = (when - previous).days
    # A month is 28-31 days: a gap of more than 16 days a month in force is never extra, and
    # most gaps are, so the calendar is asked only about the others.
    short = gap * 2 <= interval.approx_days + interval.value * 2
    if short and gap * 2 < (interval.after(previous) - previous).days:
        found.append(
            {
                "code": "extra",
                "reason": f"{_days(gap)} after the dose before ({_iso(previous)}), "
                f"less than half the interval in force ({interval}); it still counts",
            }
        )
    return found


def _repletion_timing(
    when: date, planned_day: str, late: int, previous: date | None, shortest: int | None
) -> list[dict[str, str]]:
    found = []
    if late > REPLETION_GRACE_DAYS:
        found.append(_late(late, planned_day, REPLETION_GRACE_DAYS))
    if previous is not None and shortest is not None and (when - previous).days < shortest:
        gap = (when - previous).days
        found.append(
            {
                "code": "early",
                "reason": f"{_days(gap)} after the dose before ({_iso(previous)}), "
                f"sooner than the protocol's shortest gap of {_days(shortest)}",
            }
        )
    return found


def _late(days: int, planned_day: str, grace: int) -> dict[str, str]:
    return {
        "code": "late",
        "reason": f"given {_days(days)} after its date ({planned_day}); more than "
        f"{_days(grace)} late [C]",
    }


def _what(
    phase: str, record: GivenDose, protocol: Protocol, expected: list[int]
) -> list[dict[str, str]]:
    found = []
    if record.dose_mcg is not None and expected and record.dose_mcg not in expected:
        found.append(
            {
                "code": "wrong-dose",
                "reason": f"{_mcg(record.dose_mcg)} given; the protocol's {phase} dose "
                f"is {' or '.join(_mcg(d) for d in expected)}",
            }
        )
    if record.product is not None and record.product != protocol.product:
        found.append(
            {
                "code": "wrong-product",
                "reason": f"{record.product} given; the protocol ({protocol.id}) gives "
                f"{protocol.product}",
            }
        )
    if record.route is not None and record.route not in protocol.routes:
        found.append(
            {
                "code": "wrong-route",
                "reason": f"given {record.route.upper()}; the protocol ({protocol.id}) gives "
                f"{' or '.join(r.upper() for r in protocol.routes)} (a dose given is history, "
                "not a block)",
            }
        )
    return found


def _mcg(value: float) -> str:
    return f"{int(value) if float(value).is_integer() else value} mcg"


def order_key(entry: Mapping[str, Any]) -> tuple[int, int]:
    """Where an entry goes in the worklist (then by ref): rank of its status, then most days
    overdue first (lapsed, overdue) or soonest first (due-soon)."""
    status = entry["status"]
    rank, sub = RANK[status], 0
    if status in ("lapsed", "overdue"):
        sub = -int(entry["days_overdue"] or 0)
    elif status == "due-soon" and entry["next_due"]:
        sub = entry["next_due"].toordinal()
    return rank, sub
