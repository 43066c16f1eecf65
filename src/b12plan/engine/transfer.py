"""A transfer-in's interval comes from its record (reference, "A transfer-in's interval comes from
its record [C]" and its settled reading).

A patient entered with `repletion_done`, no interval decision and at least two doses given has
been on some interval: the last gap between given doses, rounded to whole months (30.44 days)
when it is 25 days or more, else to whole weeks. Shorter than the protocol's default and within
its steps, it is the interval in force for the whole record (`INTERVAL_FROM_RECORD`): earlier
doses are judged by it. Outside the steps, or longer than the default, the default stays and
`INTERVAL_DIFFERS_FROM_RECORD` names both and how to keep the record's: a patient is never moved
to a longer interval without a clinician's decision.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from b12plan.contract.intervals import Interval
from b12plan.contract.records import MaintenanceSpec, Patient
from b12plan.engine.findings import finding
from b12plan.engine.maintenance import within_steps

if TYPE_CHECKING:
    from b12plan.contract.documents import FindingDocument

DAYS_A_MONTH = 30.44
MONTHS_FROM_DAYS = 25
SOURCE = "B12PLAN"


def rounded_gap(days: int) -> Interval:
    """A gap between doses as an interval: whole months from 25 days on, else whole weeks (at
    least one), rounding halves up."""
    if days >= MONTHS_FROM_DAYS:
        return Interval(math.floor(days / DAYS_A_MONTH + 0.5), "mo")
    return Interval(max(1, math.floor(days / 7 + 0.5)), "w")


def interval_from_record(
    patient: Patient, spec: MaintenanceSpec, protocol_id: str
) -> tuple[Interval | None, FindingDocument | None]:
    """The record's interval when it is the one in force, and the finding that says what was
    read (neither when the rule does not apply or the record agrees with the default)."""
    given = patient.given
    decided = patient.interval is not None or bool(patient.interval_changes)
    if not patient.repletion_done or decided or len(given) < 2:
        return None, None
    previous, last = given[-2].date, given[-1].date
    days = (last - previous).days
    record = rounded_gap(days)
    default = Interval.parse(spec.default)
    if record == default:
        return None, None
    read = (
        f"the last gap on record, {days} days between {previous} and {last}, reads as every "
        f"{record.words()}"
    )
    allowed = ", ".join(spec.steps)
    if within_steps(record, spec) and record.approx_days < default.approx_days:
        return record, finding(
            "INTERVAL_FROM_RECORD",
            "info",
            f"{read}: the interval in force (shorter than {protocol_id}'s default every "
            f"{default.words()}, within its steps {allowed}); a clinician's interval decision "
            "replaces it [C]",
            SOURCE,
        )
    if within_steps(record, spec):
        why, keep = f"longer than {protocol_id}'s default", f"--interval {record}"
    else:
        why = f"outside {protocol_id}'s steps {allowed}"
        keep = f"--interval {record} --override-reason TEXT"
    return None, finding(
        "INTERVAL_DIFFERS_FROM_RECORD",
        "warning",
        f"{read}, {why}: the default every {default.words()} stays until a clinician "
        f"decides; to keep the record's, give {keep} [C]",
        SOURCE,
    )
