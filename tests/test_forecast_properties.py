"""Invariants of treatment as it happens (reference, "Treatment as it happens (2026-12-07)"), over
random valid patients (tests/strategies.py): at most one dose overdue; nothing moves with as_of
before the next dose; no result from before day 0 completes a check; a held dose is marked in
the JSON document. (That the engine never lengthens an interval: test_interval_property.py.)"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from b12plan.contract.validation import validated
from b12plan.engine.followup import KINDS
from b12plan.engine.plan import plan_document
from tests.conftest import run_patient
from tests.strategies import patients

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLI = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RESUMED = re.compile(r"were given on (\d{4}-\d{2}-\d{2})")

Case = tuple[dict[str, Any], date]


def _plan(document: dict[str, Any], as_of: date) -> dict[str, Any]:
    plan: dict[str, Any] = plan_document(validated("patient", document), as_of=as_of)
    return plan


@FAST
@given(patients())
def test_at_most_one_dose_is_ever_overdue(case: Case) -> None:
    """However far behind the record is, one dose at most is overdue, it is the first dose not
    given, and next_due is its date."""
    document, as_of = case
    plan = _plan(document, as_of)
    overdue = [d for d in plan["doses"] if d["status"] == "overdue"]
    assert len(overdue) <= 1
    if overdue:
        first = next(d for d in plan["doses"] if d["status"] != "given")
        assert first is overdue[0]
        assert plan["maintenance"]["next_due"] == first["date"]
        later = [d for d in plan["doses"] if d["n"] > first["n"]]
        assert all(d["date"] >= as_of for d in later)


def _events(document: dict[str, Any]) -> list[date]:
    """Every dated entry of the record other than the doses: none may follow as_of."""
    found = [
        *(date.fromisoformat(d) for d in document.get("symptoms_returned", [])),
        *(date.fromisoformat(m["date"]) for m in document.get("missed", [])),
        *(date.fromisoformat(c["date"]) for c in document.get("interval_changes", [])),
    ]
    for lab in document.get("labs", []):
        text = lab if isinstance(lab, str) else lab["date"]
        found.append(date.fromisoformat(text.rsplit("@", 1)[-1]))
    folic = document.get("conditions", {}).get("folic_acid_started")
    if folic is not None:
        found.append(date.fromisoformat(folic))
    return found


def _without_as_of(plan: dict[str, Any]) -> str:
    """The plan as bytes, less what names as_of itself: the date and the follow-up statuses,
    which count days to as_of by their own rule."""
    rest = {k: v for k, v in plan.items() if k != "as_of"}
    rest["follow_up"] = [{**f, "status": None} for f in plan["follow_up"]]
    return json.dumps(rest, default=str)


# Many records have a dose due or overdue at their last entry: those are left out on purpose.
FILTERED = settings(FAST, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@FILTERED
@given(patients(), st.data())
def test_the_plan_is_the_same_for_every_as_of_before_the_next_dose(
    case: Case, data: st.DataObject
) -> None:
    """With nothing overdue, the plan is byte for byte the same for any as_of from the last
    thing on record to the day before the next dose (the single `interval` field, dated as_of,
    and the default horizon, counted from as_of, are given as dates here)."""
    document, as_of = case
    document = {k: v for k, v in document.items() if k not in ("interval", "override_reason")}
    document["until"] = str(max(date.fromisoformat(document["start"]), as_of) + timedelta(400))
    given_days = [
        date.fromisoformat(g if isinstance(g, str) else g["date"])
        for g in document.get("given", [])
    ]
    # The earliest as_of the record allows: nothing on record may follow it.
    earliest = max([*given_days, *_events(document)], default=as_of - timedelta(days=60))
    plan = _plan(document, earliest)
    assume(not any(d["status"] in ("overdue", "due") for d in plan["doses"]))
    upcoming = [d["date"] for d in plan["doses"] if d["status"] != "given"]
    assume(upcoming and earliest < upcoming[0])
    other = data.draw(st.dates(earliest, upcoming[0] - timedelta(days=1)))
    assert _without_as_of(_plan(document, other)) == _without_as_of(plan)


def _day0(plan: dict[str, Any]) -> date:
    """Day 0 as the plan shows it: the first dose given; else the first planned dose, or the
    day an overdue first dose is re-planned as given."""
    doses = plan["doses"]
    first = doses[0]
    if first["status"] == "given" or first["status"] != "overdue":
        return date.fromisoformat(str(first["date"]))
    found = RESUMED.search(doses[1]["why"]) if len(doses) > 1 else None
    return date.fromisoformat(found.group(1)) if found else plan["as_of"]


@FAST
@given(patients())
def test_no_result_from_before_day_0_completes_a_check(case: Case) -> None:
    """Each check marked done has, for every kind it names, a result dated on or after day 0
    and on or after its window's first day."""
    document, as_of = case
    plan = _plan(document, as_of)
    assume(plan["doses"])
    day0 = _day0(plan)
    labs = plan["labs"]
    for item in plan["follow_up"]:
        if item["status"] != "done":
            continue
        assert item["test"] in KINDS, item["test"]  # reviews and INR rechecks go by their rule
        for kind in KINDS[item["test"]]:
            assert any(
                lab["analyte"] in kind and lab["date"] >= max(day0, item["date"]) for lab in labs
            ), (item, day0)


@st.composite
def anticoagulated(draw: st.DrawFn) -> tuple[dict[str, Any], date, date]:
    """A patient from `patients()` on the IM route, not neurological, with a high INR drawn in
    the week before as_of: (document, as_of, the INR's date)."""
    document, as_of = draw(patients())
    assume("route" not in document or document["route"] == "im")
    assume(document.get("product") != "cyanocobalamin")
    document = {**document, "neuro": False, "route": "im"}
    document.pop("protocol", None)
    when = as_of - timedelta(days=draw(st.integers(0, 6)))
    value = draw(st.sampled_from(["3.1", "3.6", "4.4", "6.0"]))
    labs = [lab for lab in document.get("labs", []) if "inr" not in json.dumps(lab)]
    document["labs"] = [*labs, f"inr={value} ratio@{when}"]
    return document, as_of, when


@CLI
@given(anticoagulated())
def test_a_held_dose_carries_held_in_the_json_document(case: tuple[Any, date, date]) -> None:
    """Every dose not given within 7 days after the high INR (to as_of for the overdue one)
    carries `held` naming that INR in the JSON the command writes; no other dose does."""
    document, as_of, when = case
    result = run_patient(document, "--as-of", str(as_of), "--format", "json")
    assume(result.code == 0)
    plan = result.json()
    for dose in plan["doses"]:
        day = date.fromisoformat(dose["date"])
        last = max(day, as_of) if dose["status"] == "overdue" else day
        holds = dose["status"] != "given" and day - timedelta(days=7) <= when <= last
        assert (dose["held"] is not None) is holds, dose
        if holds:
            assert dose["held"].startswith("INR ") and f"on {when} is above " in dose["held"]
    held = [d for d in plan["doses"] if d["held"]]
    rechecks = [f for f in plan["follow_up"] if f["test"] == "INR recheck"]
    assert len(rechecks) >= len(held)
