"""A script as a user writes it against `b12plan`'s public names; `mypy --strict` must pass it.

tests/test_public_api.py runs mypy on this file; `assert_type` pins each name's type as a
caller sees it. Nothing here runs in the suite.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, assert_type

import b12plan


def dates_of(patient: dict[str, object]) -> list[date]:
    plan = b12plan.plan(patient, as_of="2026-11-24")
    assert_type(plan, b12plan.Plan)
    assert_type(plan.blocked, bool)
    assert_type(plan.to_json(), str)
    return [dose.date for dose in plan.doses]


def report_of(path: Path) -> str:
    report = b12plan.check(path, as_of=date(2026, 11, 24), fail_on="block")
    assert_type(report, b12plan.CheckReport)
    return b12plan.to_text(report, "json")


def lines_of(patients: list[bytes]) -> list[bytes]:
    out: list[bytes] = []
    for outcome in b12plan.plan_many(patients, jobs=2):
        if isinstance(outcome, b12plan.PlanResult):
            assert_type(outcome.plan, b12plan.Plan)
            out.append(outcome.to_json_line())
        elif isinstance(outcome, b12plan.InvalidInput):
            assert_type(outcome.errors, list[tuple[tuple[str | int, ...], str]])
        else:
            raise outcome
    return out


def fast_json(patient: dict[str, object]) -> str:
    planned = b12plan.plan(patient, as_of="2026-11-24", plain=True, explain=True)
    assert_type(planned, b12plan.PlanDocument)
    assert_type(planned.blocked, bool)
    checked = b12plan.check({"patient": patient, "regimen": "1000mcg im every 3mo"}, plain=True)
    assert_type(checked["verdict"], str)
    return planned.to_json() + b12plan.to_text(checked, "json") + b12plan.to_text(planned, "csv")


def either(patient: dict[str, object], plain: bool) -> str:
    made = b12plan.plan(patient, plain=plain)
    assert_type(made, b12plan.Plan | b12plan.PlanDocument)
    return b12plan.to_text(made, "json")


def doses_read(wording: str) -> list[object]:
    read = b12plan.read_regimen(wording)
    assert_type(read, dict[str, Any])
    steps: list[object] = read["steps"]
    return steps


def calendar(patient: Path) -> str:
    try:
        return b12plan.to_text(b12plan.plan(patient), "ics", explain=True)
    except b12plan.InvalidInput as error:
        return "\n".join(error.lines())


def overdue(records: Path) -> list[str]:
    with b12plan.audit(records, as_of="2026-12-07", status=["overdue", "lapsed"]) as worklist:
        assert_type(worklist, b12plan.Worklist)
        assert_type(worklist.head, dict[str, Any])
        assert_type(worklist.internal_errors, int)
        lines: list[bytes] = list(worklist.to_json_lines())
        assert_type(worklist.to_dict(), dict[str, Any])
        return [entry["ref"] for entry in worklist][: len(lines)]


assert_type(b12plan.__version__, str)
