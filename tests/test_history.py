"""Dose history: given dates match planned doses in order, and late or early doses move the rest."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import codes, dates, plan_for, run_patient

# Non-neuro AIG patient starting Monday 2026-04-13: repletion planned 04-13, 04-15, 04-17,
# 04-20, 04-22, 04-24 (gaps 2, 2, 3, 2, 2), maintenance every 3 months from the last one.
START = "2026-04-13"
ON_TIME = ["2026-04-13", "2026-04-15", "2026-04-17", "2026-04-20", "2026-04-22", "2026-04-24"]


def aig(*given: Any, **extra: Any) -> dict[str, Any]:
    """A non-neuro AIG patient with this history, maintenance listed to 2027-03-31."""
    return {
        "start": START,
        "cause": "autoimmune-gastritis",
        "given": list(given),
        "until": "2027-03-31",
        **extra,
    }


def findings(plan: dict[str, Any], code: str) -> list[tuple[str, str, str]]:
    """(severity, message, source) of every finding with this code."""
    return [
        (f["severity"], f["message"], f["source"]) for f in plan["findings"] if f["code"] == code
    ]


def test_given_doses_match_in_order() -> None:
    """Doses given on their planned dates are marked given and move nothing."""
    got = plan_for(aig(*ON_TIME[:3]), "2026-04-18")
    assert [(d["date"], d["status"], d["planned_date"]) for d in got["doses"][:6]] == [
        ("2026-04-13", "given", None),
        ("2026-04-15", "given", None),
        ("2026-04-17", "given", None),
        ("2026-04-20", "planned", None),
        ("2026-04-22", "planned", None),
        ("2026-04-24", "planned", None),
    ]
    assert dates(got, "maintenance") == ["2026-07-24", "2026-10-24", "2027-01-24"]
    assert "LATE_DOSE" not in codes(got)


def test_late_repletion_dose_shifts_the_rest() -> None:
    """Dose 3 a day late: doses 4-6 follow it by the same gaps, the count stays 6; a day is
    within the 2-day repletion grace, so no LATE_DOSE (reference, "Gaps in treatment")."""
    got = plan_for(aig("2026-04-13", "2026-04-15", "2026-04-18"), "2026-04-18")
    assert dates(got, "repletion") == [
        "2026-04-13",
        "2026-04-15",
        "2026-04-18",
        "2026-04-21",
        "2026-04-23",
        "2026-04-25",
    ]
    assert got["doses"][2]["planned_date"] == "2026-04-17"
    assert dates(got, "maintenance") == ["2026-07-25", "2026-10-25", "2027-01-25"]
    assert findings(got, "LATE_DOSE") == []


@pytest.mark.parametrize(
    ("given", "late"),
    [("2026-04-19", False), ("2026-04-20", True)],
    ids=["2-days-on-time", "3-days-late"],
)
def test_repletion_grace_is_two_days(given: str, late: bool) -> None:
    """A repletion dose 2 days after its date is on time; 3 days after it is LATE_DOSE."""
    got = plan_for(aig("2026-04-13", "2026-04-15", given), given)
    days = int(given[-2:]) - 17
    want = [
        (
            "info",
            f"dose 3 given {given}, {days} days after it was due (2026-04-17): later doses "
            "follow the actual date, count kept",
            "B12PLAN",
        )
    ]
    assert findings(got, "LATE_DOSE") == (want if late else [])


@pytest.mark.parametrize(
    ("given", "late"),
    [("2026-07-31", False), ("2026-08-01", True)],
    ids=["7-days-on-time", "8-days-late"],
)
def test_maintenance_grace_is_seven_days(given: str, late: bool) -> None:
    """A maintenance dose 7 days after its date (07-24) is on time; 8 days after it is
    LATE_DOSE; either way the next counts from the day it was given."""
    got = plan_for(aig(*ON_TIME, given), given)
    assert ("LATE_DOSE" in codes(got)) is late
    assert dates(got, "maintenance")[1] == ("2026-10-31" if not late else "2026-11-01")


def test_late_maintenance_dose_reanchors() -> None:
    """A maintenance dose 10 days late: later doses count months from the day it was given."""
    got = plan_for(aig(*ON_TIME, "2026-08-03"), "2026-08-03")
    assert [(d["date"], d["status"]) for d in got["doses"] if d["phase"] == "maintenance"] == [
        ("2026-08-03", "given"),
        ("2026-11-03", "planned"),
        ("2027-02-03", "planned"),
    ]
    assert got["doses"][6]["planned_date"] == "2026-07-24"
    assert got["maintenance"]["next_due"] == "2026-11-03"
    assert findings(got, "LATE_DOSE") == [
        (
            "info",
            "dose 7 given 2026-08-03, 10 days after it was due (2026-07-24): later doses follow "
            "the actual date, count kept",
            "B12PLAN",
        )
    ]


def test_early_repletion_dose_shifts_the_rest_earlier() -> None:
    """Dose 2 a day early: the rest follow it; an early dose is not a late one."""
    got = plan_for(aig("2026-04-13", "2026-04-14"), "2026-04-14")
    assert dates(got, "repletion") == [
        "2026-04-13",
        "2026-04-14",
        "2026-04-16",
        "2026-04-19",
        "2026-04-21",
        "2026-04-23",
    ]
    assert got["doses"][1]["planned_date"] == "2026-04-15"
    assert dates(got, "maintenance")[0] == "2026-07-23"
    assert "LATE_DOSE" not in codes(got)


def test_early_maintenance_dose_reanchors() -> None:
    """A maintenance dose 4 days early: the next ones count from it."""
    got = plan_for(aig(*ON_TIME, "2026-07-20"), "2026-07-20")
    assert dates(got, "maintenance") == ["2026-07-20", "2026-10-20", "2027-01-20"]
    assert "LATE_DOSE" not in codes(got)


def test_on_time_dose_on_a_clamped_date_keeps_the_anchor() -> None:
    """Given on its clamped date (Feb 28), the next dose still counts from Nov 30: May 30."""
    doc = {
        "start": "2026-11-30",
        "cause": "malabsorption",
        "protocol": "uk-hydroxo-prophylaxis",
        "given": ["2026-11-30", "2027-02-28"],
        "until": "2027-12-31",
    }
    got = plan_for(doc, "2027-03-01")
    assert [(d["date"], d["status"]) for d in got["doses"]] == [
        ("2026-11-30", "given"),
        ("2027-02-28", "given"),
        ("2027-05-30", "planned"),
        ("2027-08-30", "planned"),
        ("2027-11-30", "planned"),
    ]


def test_late_dose_at_a_segment_boundary() -> None:
    """us-cyano-1000: the last daily dose 2 days late moves all four weekly doses."""
    given = ["2026-04-13", "2026-04-14", "2026-04-15", "2026-04-16", "2026-04-17", "2026-04-18"]
    doc = {
        "start": START,
        "cause": "autoimmune-gastritis",
        "product": "cyanocobalamin",
        "given": [*given, "2026-04-21"],
        "until": "2026-07-31",
    }
    got = plan_for(doc, "2026-04-21")
    assert dates(got, "repletion")[6:] == [
        "2026-04-21",
        "2026-04-28",
        "2026-05-05",
        "2026-05-12",
        "2026-05-19",
    ]
    assert dates(got, "maintenance") == ["2026-06-19", "2026-07-19"]


def test_late_neuro_dose_stops_at_repletion_end() -> None:
    """Neuro: a late dose shifts the alternate days, which still stop at repletion_end."""
    doc = {
        "start": START,
        "cause": "autoimmune-gastritis",
        "neuro": True,
        "repletion_end": "2026-04-27",
        "given": ["2026-04-13", "2026-04-16"],
        "until": "2026-08-31",
    }
    got = plan_for(doc, "2026-04-16")
    assert dates(got, "repletion") == [
        "2026-04-13",
        "2026-04-16",
        "2026-04-18",
        "2026-04-20",
        "2026-04-22",
        "2026-04-24",
        "2026-04-26",
    ]
    assert dates(got, "maintenance") == ["2026-06-26", "2026-08-26"]


def test_open_neuro_repletion_always_shows_the_next_dose() -> None:
    """With 9 alternate-day doses given and no repletion_end, one more is planned provisionally."""
    given = [
        "2026-04-13",
        "2026-04-15",
        "2026-04-17",
        "2026-04-19",
        "2026-04-21",
        "2026-04-23",
        "2026-04-25",
        "2026-04-27",
        "2026-04-29",
    ]
    doc = {"start": START, "cause": "autoimmune-gastritis", "neuro": True, "given": given}
    got = plan_for(doc, "2026-04-29")
    assert [(d["date"], d["status"]) for d in got["doses"]] == [
        *[(day, "given") for day in given],
        ("2026-05-01", "provisional"),
    ]
    assert got["complete"] is False


def test_given_document_carries_dose_and_site() -> None:
    """A given dose may record what was given and where; volume follows the dose given."""
    got = plan_for(aig({"date": START, "dose_mcg": 500, "site": "left deltoid"}), START)
    first = got["doses"][0]
    assert (first["dose_mcg"], first["volume_ml"], first["site"], first["status"]) == (
        500,
        0.5,
        "left deltoid",
        "given",
    )
    assert got["doses"][1]["dose_mcg"] == 1000


def test_doses_given_beyond_repletion_are_maintenance() -> None:
    """With no repletion phase, a dose given on the start date is the first maintenance dose."""
    doc = {
        "start": START,
        "cause": "bariatric-surgery",
        "protocol": "us-asmbs-bariatric",
        "given": [START],
        "until": "2026-07-31",
    }
    got = plan_for(doc, START)
    assert [(d["date"], d["phase"], d["status"]) for d in got["doses"]] == [
        ("2026-04-13", "maintenance", "given"),
        ("2026-05-13", "maintenance", "planned"),
        ("2026-06-13", "maintenance", "planned"),
        ("2026-07-13", "maintenance", "planned"),
    ]


def test_only_the_first_missed_dose_is_overdue() -> None:
    """Seen a week later with nothing recorded, only dose 1 is overdue (it keeps its date);
    the rest are planned as if it were given on as_of, each saying so (reference, "Forecast
    from today")."""
    got = plan_for(aig(), "2026-04-20")
    assert [(d["date"], d["status"]) for d in got["doses"][:6]] == [
        ("2026-04-13", "overdue"),
        ("2026-04-22", "planned"),
        ("2026-04-24", "planned"),
        ("2026-04-27", "planned"),
        ("2026-04-29", "planned"),
        ("2026-05-01", "planned"),
    ]
    assert got["maintenance"]["next_due"] == "2026-04-13"
    assert all(
        d["why"].endswith(
            "re-planned as if the overdue dose of 2026-04-13 were given on 2026-04-20"
        )
        for d in got["doses"][1:]
    )
    assert findings(got, "OVERDUE_DOSE") == [
        (
            "warning",
            "not recorded as given: dose 1 (2026-04-13); give now or record it",
            "B12PLAN",
        )
    ]


def refused(doc: dict[str, Any], as_of: str) -> str:
    """The one error line for a history that cannot be planned from."""
    result = run_patient(doc, "--as-of", as_of)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err
    return result.err.strip()


def test_given_in_the_future() -> None:
    """A dose dated after as_of is an input error naming given[i]."""
    line = refused(aig("2026-04-13", "2026-04-15", "2026-04-19"), "2026-04-18")
    assert line == (
        "b12plan: error: given[2]: 2026-04-19 is after as_of 2026-04-18: a dose given in the future"
    )


@pytest.mark.parametrize(
    ("given", "named", "why"),
    [
        (["2026-04-15", "2026-04-13"], "given[1]", "2026-04-13 is not after given[0] 2026-04-15"),
        (["2026-04-13", "2026-04-13"], "given[1]", "2026-04-13 is not after given[0] 2026-04-13"),
        (["2026-04-12"], "given[0]", "2026-04-12 is before start 2026-04-13"),
    ],
    ids=["out-of-order", "twice", "before-start"],
)
def test_impossible_history(given: list[str], named: str, why: str) -> None:
    """Out of order, repeated, or before the start: exit 2 naming the dose."""
    line = refused(aig(*given), "2026-05-01")
    assert line.startswith("b12plan: error: given")
    assert f"{named} {why}" in line


def test_symptoms_in_the_future() -> None:
    """Symptoms cannot be recorded after as_of."""
    line = refused(aig(*ON_TIME, symptoms_returned=["2026-06-01"]), "2026-05-01")
    assert line == "b12plan: error: symptoms_returned[0]: 2026-06-01 is after as_of 2026-05-01"


def test_given_option_overrides_file() -> None:
    """`--given` on the command line replaces the file's history."""
    result = run_patient(
        aig("2026-04-13"),
        "--given",
        "2026-04-13",
        "--given",
        "2026-04-16",
        "--as-of",
        "2026-04-16",
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    assert dates(result.json(), "repletion")[:3] == ["2026-04-13", "2026-04-16", "2026-04-18"]
