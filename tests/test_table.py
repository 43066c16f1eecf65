"""The rich table a clinician reads (TERM=dumb, COLUMNS=120): columns, sections, disclaimer."""

from __future__ import annotations

import re
from typing import Any

from b12plan.models import DISCLAIMER
from tests.conftest import run_patient

PATIENT: dict[str, Any] = {
    "start": "2026-04-13",
    "dob": "1970-05-01",
    "cause": "autoimmune-gastritis",
    "given": ["2026-04-13"],
    "labs": ["b12=150 ng/L@2026-04-06", "hb=112 g/L@2026-04-06"],
    "until": "2026-10-31",
}


def table(doc: dict[str, Any], as_of: str, *args: str) -> list[str]:
    """The table's lines, right-stripped; the run must succeed."""
    result = run_patient(doc, "--as-of", as_of, *args)
    assert result.code == 0, result.err
    assert result.err == ""
    return [line.rstrip() for line in result.out.splitlines()]


def test_injection_columns_and_rows() -> None:
    """Columns #, date, day (weekday), phase, dose mcg, mL, route, status, why; exact rows."""
    lines = table(PATIENT, "2026-04-15")
    assert "  #   date         day   phase         dose mcg     mL   route   status    why" in lines
    for row in [
        "  1   2026-04-13   Mon   repletion         1000   1.00   IM      given     "
        "1 mg 3 times a week for 2 weeks",
        "  2   2026-04-15   Wed   repletion         1000   1.00   IM      due       "
        "1 mg 3 times a week for 2 weeks",
        "  4   2026-04-20   Mon   repletion         1000   1.00   IM      planned   "
        "1 mg 3 times a week for 2 weeks",
        "  7   2026-07-24   Fri   maintenance       1000   1.00   IM      planned   "
        "1000 mcg every 3 months (SMPC-HYDROXO)",
        "  8   2026-10-24   Sat   maintenance       1000   1.00   IM      planned   "
        "1000 mcg every 3 months (SMPC-HYDROXO)",
    ]:
        assert row in lines


def test_maintenance_follow_up_labs_and_findings() -> None:
    """The maintenance line and the follow-up, labs and findings sections, line by line."""
    lines = table(PATIENT, "2026-04-15")
    assert "Maintenance: every 3mo, lifelong; next due 2026-07-24; allowed 2mo, 3mo" in lines
    for row in [
        "  2026-04-20   2026-04-23   reticulocytes and FBC   response to treatment on days "
        "7–10 (Hb is low)   NHS-PRACTICE",
        "  2026-06-08                FBC                     blood count recovered by day 56 "
        "                 NHS-PRACTICE",
        "  2026-07-13                clinical review         clinical review at 3 months     "
        "                 NHS-PRACTICE",
        "  2026-04-06   b12       150 ng/L   110.7 pmol/L   low",
        "  2026-04-06   hb        112 g/L    11.2 g/dL      low",
        "  info       LIFELONG   autoimmune-gastritis is irreversible: maintenance is lifelong"
        "   NICE-NG239",
    ]:
        assert row in lines


def test_sections_in_order_with_disclaimer_last() -> None:
    """Header, injections, maintenance, changes, follow-up, labs, findings, conventions, then
    the disclaimer."""
    history = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": [
            *("2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14"),
            *("2026-01-16", "2026-04-16"),
        ],
        "labs": ["b12=150 ng/L@2026-01-01"],
        "symptoms_returned": ["2026-06-20"],
        "until": "2026-12-31",
    }
    text = "\n".join(table(history, "2026-06-20"))
    titles = ["b12plan", "Injections", "Maintenance:", "Interval changes", "Follow-up"]
    titles += ["Labs", "Findings", "Conventions [C]:"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert " ".join(text.split("Conventions [C]:")[1].split())[-len(DISCLAIMER) :] == DISCLAIMER
    assert text.rstrip().endswith("before use.")


def test_adjustments_section() -> None:
    """Interval changes have their own section with date, from, to, code and why."""
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": [
            *("2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14"),
            *("2026-01-16", "2026-04-16"),
        ],
        "symptoms_returned": ["2026-06-20"],
        "until": "2026-12-31",
    }
    lines = table(doc, "2026-06-20")
    start = lines.index("Interval changes")
    assert lines[start + 2].split() == ["date", "from", "to", "code", "why"]
    assert re.match(
        r"  2026-06-20   3mo    2mo   INTERVAL_SHORTENED   symptoms returned on 2026-06-20: "
        r"interval shortened one step",
        lines[start + 4],
    )


def test_statuses_overdue_and_provisional_are_shown() -> None:
    """The status column shows overdue and provisional doses as words."""
    doc = {"start": "2026-04-13", "cause": "autoimmune-gastritis", "neuro": True}
    lines = table(doc, "2026-04-16")
    statuses = [line.split()[7] for line in lines if re.match(r"\s+\d+\s+2026-", line)]
    assert statuses == ["overdue", "overdue", "provisional"] + ["provisional"] * 5
    assert any("PLAN INCOMPLETE" in line for line in lines)


def test_plain_text_within_the_width() -> None:
    """With TERM=dumb and COLUMNS=120: no escape codes and no line wider than 120."""
    result = run_patient(PATIENT, "--as-of", "2026-04-15", "--explain")
    assert "\x1b[" not in result.out
    assert max(len(line) for line in result.out.splitlines()) <= 120


def test_same_input_same_bytes() -> None:
    """The table is deterministic."""
    first = run_patient(PATIENT, "--as-of", "2026-04-15").out
    assert run_patient(PATIENT, "--as-of", "2026-04-15").out == first
