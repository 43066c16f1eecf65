"""Invariants over random valid patients and histories (hypothesis, tests/strategies.py).

Most properties call the engine directly for speed; a few go through the real CLI.
"""

from __future__ import annotations

import calendar
import csv
import io
import itertools
import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import icalendar
import pytest
from hypothesis import HealthCheck, example, given, settings

from b12plan.cli.schedule import SCHEDULE_FORMATS
from b12plan.contract.intervals import Interval
from b12plan.contract.models import Plan
from b12plan.contract.validation import validated
from b12plan.contract.vocab import WEEKDAYS
from b12plan.engine import build_plan
from b12plan.protocols import bundled
from b12plan.render.jsonout import plan_json
from tests.conftest import run
from tests.strategies import patients

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLI = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Case = tuple[dict[str, Any], date]
RESUMED = re.compile(r"were given on (\d{4}-\d{2}-\d{2})")


def _plan(case: Case) -> Plan:
    document, as_of = case
    return build_plan(validated("patient", document), as_of=as_of)


def _month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _spans(first: date, second: date, interval: Interval) -> bool:
    """`second` is one `interval` after `first`, allowing month-end clamping (Jan 31 → Feb 28)."""
    if interval.unit != "mo":
        return (second - first).days == interval.value * (7 if interval.unit == "w" else 1)
    months = (second.year - first.year) * 12 + second.month - first.month
    same_day = first.day == second.day or _month_end(first) or _month_end(second)
    return months == interval.value and same_day


@FAST
@given(patients())
def test_a_valid_patient_always_gets_a_plan_or_a_block(case: Case) -> None:
    """The engine never rejects a valid patient; a blocked plan is incomplete with no doses."""
    plan = _plan(case)
    if plan.blocked:
        assert plan.complete is False
        assert plan.doses == []
        assert plan.maintenance is None
    elif plan.doses:
        assert plan.doses[0].date >= date.fromisoformat(case[0]["start"])
    elif case[0].get("stopped") is not None:
        # A stop before the first dose leaves nothing to list, and nothing is due.
        assert plan.maintenance is not None
        assert plan.maintenance.next_due is None
    else:
        # Only a clinic can leave nothing to list: the first dose moved past `until` (which
        # bounds the moved date). The next dose is still named.
        assert case[0].get("clinic") is not None, "an unblocked plan has at least its first dose"
        assert plan.maintenance is not None
        assert plan.maintenance.next_due is not None
        assert str(plan.maintenance.next_due) > case[0]["until"]


@FAST
@given(patients())
def test_dose_dates_strictly_increase_and_are_numbered_in_order(case: Case) -> None:
    """Doses are numbered 1..n, dates strictly increase, repletion before maintenance."""
    plan = _plan(case)
    assert [d.n for d in plan.doses] == list(range(1, len(plan.doses) + 1))
    when = [d.date for d in plan.doses]
    assert all(a < b for a, b in itertools.pairwise(when)), when
    phases = [d.phase for d in plan.doses]
    assert phases == sorted(phases, key=lambda p: p != "repletion")


# Found by this property: a first dose given after repletion_end was shown as a maintenance
# dose, with an "overdue" repletion dose on the start date before it.
LATE_FIRST_NEURO_DOSE: Case = (
    {
        "start": "2000-01-01",
        "cause": "autoimmune-gastritis",
        "neuro": True,
        "repletion_end": "2000-01-01",
        "given": ["2000-01-02"],
    },
    date(2000, 1, 2),
)


@FAST
@given(patients())
@example(LATE_FIRST_NEURO_DOSE)
def test_every_given_dose_is_in_the_plan_and_comes_first(case: Case) -> None:
    """Each given date appears once as a `given` dose, and given doses come before planned
    ones (except that repletion doses missed before repletion_end stay listed, as overdue)."""
    document, _ = case
    plan = _plan(case)
    if plan.blocked:
        return
    wanted = [g if isinstance(g, str) else g["date"] for g in document.get("given", [])]
    shown = [str(d.date) for d in plan.doses if d.status == "given"]
    assert shown == wanted
    if wanted:
        assert plan.doses[0].status == "given"
    if "repletion_end" not in document:
        statuses = [d.status == "given" for d in plan.doses]
        assert statuses == sorted(statuses, reverse=True)


@FAST
@given(patients())
def test_planned_maintenance_gaps_are_an_allowed_interval(case: Case) -> None:
    """Between planned maintenance doses the gap is the interval in force, which is a step of
    the protocol or one recorded in `adjustments` (and the default when nothing was adjusted)."""
    plan = _plan(case)
    if plan.maintenance is None:
        return
    spec = bundled()[plan.protocol.id].maintenance
    assert plan.maintenance.steps == spec.steps
    recorded = {a.to for a in plan.adjustments}
    assert plan.maintenance.interval in set(spec.steps) | recorded
    if not plan.adjustments:
        assert plan.maintenance.interval == spec.default
    assert plan.maintenance.interval is not None
    interval = Interval.parse(plan.maintenance.interval)
    planned = [d for d in plan.doses if d.phase == "maintenance" and d.status != "given"]
    # A clinic closure moves a dose, never the date the next one counts from.
    rule = [d.moved_from or d.date for d in planned]
    if len(planned) > 1 and planned[0].status == "overdue":
        # The one overdue dose: the next counts from the day it is re-planned as given.
        found = RESUMED.search(planned[1].why)
        assert found is not None, planned[1].why
        rule[0] = date.fromisoformat(found.group(1))
        assert rule[0] >= case[1]
    for first, second in itertools.pairwise(rule):
        assert _spans(first, second, interval), (first, second, interval)


@FAST
@given(patients())
def test_a_moved_dose_lands_on_the_first_open_day_after_its_date(case: Case) -> None:
    """Only a clinic moves doses, forward, to a weekday it is open, saying so; dose dates stay
    strictly increasing."""
    document, _ = case
    plan = _plan(case)
    clinic = document.get("clinic")
    days = [d.date for d in plan.doses]
    assert days == sorted(set(days))
    for dose in plan.doses:
        if dose.moved_from is None:
            continue
        assert clinic is not None
        assert dose.moved_from < dose.date
        assert "moved from" in dose.why
        open_days = clinic.get("open", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
        assert WEEKDAYS[dose.date.weekday()] in open_days


@FAST
@given(patients())
def test_volume_is_dose_over_strength_rounded_half_up_to_2_decimals(case: Case) -> None:
    """volume_ml = dose_mcg / strength, rounded half up to 2 decimals (reference: Volume)."""
    plan = _plan(case)
    assert plan.inputs is not None
    strength = Decimal(repr(plan.inputs.strength_mcg_per_ml))
    for dose in plan.doses:
        exact = Decimal(repr(dose.dose_mcg)) / strength
        expected = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert Decimal(repr(dose.volume_ml)) == expected, (dose.dose_mcg, strength)


@FAST
@given(patients())
def test_same_input_gives_the_same_bytes(case: Case) -> None:
    """Planning the same patient twice gives byte-identical JSON, with and without --explain."""
    first, second = _plan(case), _plan(case)
    assert plan_json(first) == plan_json(second)
    assert plan_json(first, explain=True) == plan_json(second, explain=True)


@FAST
@given(patients())
def test_json_round_trips_through_the_plan_model(case: Case) -> None:
    """The JSON plan parses back into `Plan` and dumps to the same bytes."""
    plan = _plan(case)
    for explain in (False, True):
        text = plan_json(plan, explain=explain)
        again = Plan.model_validate_json(text)
        assert plan_json(again, explain=explain) == text


@CLI
@given(patients())
def test_cli_exits_0_or_1_and_repeats_itself_byte_for_byte(case: Case) -> None:
    """Through the CLI: exit 0 (plan) or 1 (blocked), nothing on stderr, same bytes twice,
    and the same document as the engine."""
    document, as_of = case
    args = ("schedule", "-", "--as-of", str(as_of), "--format", "json")
    first = run(*args, stdin=json.dumps(document))
    second = run(*args, stdin=json.dumps(document))
    assert first.code in (0, 1), first.err
    assert first.err == ""
    assert (first.code, first.out) == (second.code, second.out)
    plan = _plan(case)
    assert first.code == (1 if plan.blocked else 0)
    assert first.out == plan_json(plan)


@CLI
@given(patients())
def test_cli_table_output_is_deterministic(case: Case) -> None:
    """The table rendering of the same patient is the same bytes twice, with exit 0 or 1."""
    document, as_of = case
    args = ("schedule", "-", "--as-of", str(as_of))
    first = run(*args, stdin=json.dumps(document))
    second = run(*args, stdin=json.dumps(document))
    assert first.code in (0, 1), first.err
    assert "Traceback" not in first.err
    assert (first.code, first.out) == (second.code, second.out)


def _doses_in(fmt: str, text: str) -> list[tuple[int, str]]:
    """(n, date) of every dose record in an ndjson or csv rendering."""
    if fmt == "ndjson":
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        records = list(csv.DictReader(io.StringIO(text)))
    return [
        (int(r["n"]), str(r["date"]))
        for r in records
        if isinstance(r, dict) and r.get("n") not in (None, "") and r.get("date")
    ]


@pytest.mark.parametrize("fmt", ["ndjson", "csv", "ics"])
@CLI
@given(case=patients())
def test_other_formats_carry_the_same_doses_as_json(fmt: str, case: Case) -> None:
    """ndjson, csv and ics list the same doses (numbers and dates) as the JSON plan; a calendar
    is never empty."""
    if fmt not in SCHEDULE_FORMATS:
        pytest.skip(f"--format {fmt} is not implemented yet (SCHEDULE_FORMATS={SCHEDULE_FORMATS})")
    document, as_of = case
    args = ("schedule", "-", "--as-of", str(as_of))
    reference = run(*args, "--format", "json", stdin=json.dumps(document))
    other = run(*args, "--format", fmt, stdin=json.dumps(document))
    assert other.code == reference.code, other.err
    expected = [(d["n"], d["date"]) for d in reference.json()["doses"]]
    if fmt == "ics":
        calendar_ = icalendar.Calendar.from_ical(other.out)
        events = calendar_.walk("VEVENT")
        assert events  # RFC 5545 3.6: a calendar has at least one component, blocked or not
        doses = [e for e in events if "B12 injection" in e["CATEGORIES"].cats]
        starts = sorted(str(e.decoded("DTSTART")) for e in doses)
        assert starts == [day for _, day in expected]
    else:
        assert _doses_in(fmt, other.out) == expected
