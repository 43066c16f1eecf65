"""`schedule --from DATE` / `--upcoming`: doses from a date on in the formats that list doses
(table, ndjson, csv, ics); refused where the document is the whole plan (json, fhir, --batch).

The patient (examples/patient-history-late-dose.json, as of 2026-11-24): doses 1-7 given
(2026-05-04 to 2026-08-24), dose 8 overdue since 2026-11-10, then every 2 months from
2027-01-10 to 2027-11-10 (doses 9-14).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES, run

HISTORY = str(EXAMPLES / "patient-history-late-dose.json")
AS_OF = ("--as-of", "2026-11-24")


def test_ndjson_keeps_the_overdue_dose_and_the_ones_to_come() -> None:
    """`--upcoming` leaves out the given doses before as_of, keeps the overdue one, and keeps
    each dose's number."""
    result = run("schedule", HISTORY, *AS_OF, "--upcoming", "--format", "ndjson")
    assert result.code == 0, result.err
    doses = [json.loads(line) for line in result.out.splitlines()]
    assert [(d["n"], d["date"], d["status"]) for d in doses[:2]] == [
        (8, "2026-11-10", "overdue"),
        (9, "2027-01-24", "planned"),  # re-planned from as_of 11-24
    ]
    assert [d["n"] for d in doses] == list(range(8, 15))


def test_from_a_later_date_in_csv() -> None:
    """`--from 2027-06-01` keeps the overdue dose 8 and the doses from June 2027 on (re-planned
    from as_of 11-24)."""
    result = run("schedule", HISTORY, *AS_OF, "--from", "2027-06-01", "--format", "csv")
    assert result.code == 0, result.err
    rows = result.out.split("\r\n")
    assert rows[0].startswith("n,date,")
    assert [row.split(",")[:2] for row in rows[1:-1]] == [
        ["8", "2026-11-10"],
        ["12", "2027-07-24"],
        ["13", "2027-09-24"],
        ["14", "2027-11-24"],
    ]


def test_ics_has_an_event_for_each_dose_shown_only() -> None:
    """The calendar holds the doses from the date on, with the UIDs of the whole plan; the
    follow-up events stay (the option is about doses)."""
    whole = run("schedule", HISTORY, *AS_OF, "--format", "ics").out
    shown = run("schedule", HISTORY, *AS_OF, "--upcoming", "--format", "ics").out
    assert whole.count("CATEGORIES:B12 injection") == 14
    assert shown.count("CATEGORIES:B12 injection") == 7
    assert shown.count("CATEGORIES:B12 follow-up") == whole.count("CATEGORIES:B12 follow-up") == 4
    uids = [line for line in shown.split("\r\n") if line.startswith("UID:")]
    assert all(uid in whole for uid in uids)
    assert uids[0].endswith("-8@b12plan")


@pytest.mark.parametrize(
    ("fmt", "why"),
    [
        ("json", "the plan document holds every dose; filter them with jq"),
        ("fhir", "a MedicationRequest holds the whole course"),
        ("html", "the handout already lists only the doses still to come"),
    ],
)
@pytest.mark.parametrize("option", [("--upcoming",), ("--from", "2027-01-01")])
def test_whole_plan_documents_refuse_it(fmt: str, why: str, option: tuple[str, ...]) -> None:
    """json, fhir and the handout are whole documents: the option is refused (exit 2), saying
    why and naming the formats that take it, rather than ignored."""
    result = run("schedule", HISTORY, *AS_OF, *option, "--format", fmt)
    assert result.code == 2
    assert result.out == ""
    error = json.loads(result.err)["error"]
    name = option[0].removeprefix("--")
    assert error["errors"] == [
        {
            "loc": [name],
            "msg": f"not available with --format {fmt} ({why}); "
            f"use --{name} with table, ndjson, csv, ics",
        }
    ]


def test_batch_refuses_it() -> None:
    """A batch writes whole plan documents: `--upcoming` is refused."""
    result = run("schedule", "--batch", "-", *AS_OF, "--upcoming", stdin="{}\n")
    assert result.code == 2
    assert result.err == (
        "b12plan: error: upcoming: not available with --batch (each plan is a whole json "
        "document)\n"
    )


def test_from_and_upcoming_together_is_an_error() -> None:
    """Two answers to "from when" are refused, not resolved silently."""
    result = run("schedule", HISTORY, *AS_OF, "--upcoming", "--from", "2027-01-01")
    assert result.code == 2
    assert result.err.startswith("b12plan: error: upcoming: give --from DATE or --upcoming")


def test_from_must_be_a_date() -> None:
    """`--from` takes a calendar date, like every date option."""
    result = run("schedule", HISTORY, *AS_OF, "--from", "2027-02-30")
    assert result.code == 2
    assert "--from" in result.err
    assert "not a real calendar date" in result.err
