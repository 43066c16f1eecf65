"""The audit plans each patient exactly as `schedule` does: its entry is read off that plan."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import b12plan
from tests.conftest import run
from tests.strategies import patients

NOT_GIVEN = ("overdue", "due", "planned", "provisional")


def expected_entry(
    plan: dict[str, Any], as_of: date, stopped: dict[str, str] | None = None
) -> dict[str, Any]:
    """What the worklist should say, written out from the schedule's plan by the contract
    (and the patient's `stopped`, if any)."""
    doses = [d for d in plan["doses"] if d["status"] in NOT_GIVEN]
    blocked = any(f["severity"] == "block" for f in plan["findings"])
    overdue = [d for d in doses if d["status"] == "overdue"]
    if blocked:
        status, next_due = "blocked", None
    elif stopped is not None and date.fromisoformat(stopped["date"]) <= as_of:
        status, next_due = "stopped", None
    elif overdue:
        status, next_due = "overdue-or-lapsed", overdue[0]["date"]
    elif not doses:
        status, next_due = "up-to-date", None
    else:
        first = doses[0]
        next_due = first["date"]
        days = (date.fromisoformat(next_due) - as_of).days
        if days == 0:
            status = "due"
        elif first["phase"] == "repletion":
            status = "loading"
        else:
            status = "due-soon" if days <= 28 else "up-to-date"
    return {
        "status": status,
        "next_due": next_due,
        "protocol": plan["protocol"]["id"],
        "interval": (plan["maintenance"] or {}).get("interval"),
        "findings": [f for f in plan["findings"] if f["severity"] != "info"],
        "tests_due": [t["test"] for t in plan["follow_up"] if t["status"] in ("due", "overdue")],
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=patients(), ref=st.from_regex(r"[A-Za-z0-9-]{1,12}", fullmatch=True))
def test_audit_of_a_patient_is_schedule_of_their_document(
    case: tuple[dict[str, Any], date], ref: str
) -> None:
    """For any patient, the audit's entry says what `schedule` says of the same document:
    its status, next dose, protocol, interval, warnings and tests; or needs-review when
    schedule refuses the document."""
    document, as_of = case
    line = json.dumps({**document, "ref": ref}) + "\n"
    result = run("audit", "-", "--as-of", str(as_of), "--format", "ndjson", stdin=line)
    assert result.code == 0, result.err
    (entry,) = [json.loads(text) for text in result.out.splitlines()]
    assert entry["ref"] == ref
    try:
        planned = b12plan.plan(document, as_of=as_of, plain=True)
    except b12plan.InvalidInput as exc:
        assert entry["status"] == "needs-review"
        assert [p["msg"] for p in entry["problems"]] == [msg for _, msg in exc.errors]
        return
    plan = json.loads(planned.to_json())
    expected = expected_entry(plan, as_of, document.get("stopped"))
    status = entry["status"]
    if expected["status"] == "overdue-or-lapsed":
        assert status in ("overdue", "lapsed")
        days = (as_of - date.fromisoformat(expected["next_due"])).days
        assert entry["days_overdue"] == days
    else:
        assert status == expected["status"]
        assert entry["days_overdue"] is None
    assert entry["next_due"] == expected["next_due"]
    assert entry["protocol"] == expected["protocol"]
    assert entry["interval"] == expected["interval"]
    assert entry["findings"] == expected["findings"]
    assert [t["test"] for t in entry["tests_due"]] == expected["tests_due"]
    given_doses = [d for d in plan["doses"] if d["status"] == "given"]
    assert [d["date"] for d in entry["doses"]] == [d["date"] for d in given_doses]
