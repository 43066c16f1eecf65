"""`stopped` (`--stopped DATE:REASON`): treatment stopped (docs: clinical rules, "Stopping
treatment").

The patient: loading 01-05..01-16, maintenance every 3 months, 04-16 and 07-16 given; the next
dose would be 10-16.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import run, run_patient

LOADING = ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14", "2026-01-16"]
PATIENT: dict[str, Any] = {
    "start": "2026-01-05",
    "cause": "autoimmune-gastritis",
    "given": [*LOADING, "2026-04-16", "2026-07-16"],
}


def _plan(patient: dict[str, Any], as_of: str, *args: str) -> dict[str, Any]:
    result = run_patient(patient, "--as-of", as_of, "--format", "json", *args)
    assert result.code == 0, result.err
    return result.json()


def _stopped(date: str, reason: str, **more: str) -> dict[str, Any]:
    return {**PATIENT, "stopped": {"date": date, "reason": reason, **more}}


def codes(plan: dict[str, Any]) -> dict[str, str]:
    """Each finding's code and severity."""
    return {f["code"]: f["severity"] for f in plan["findings"]}


def test_nothing_is_planned_or_owed_after_a_past_stop() -> None:
    """Stopped 08-01, seen on 12-05: only the given doses, nothing overdue, no next date; info
    STOPPED names the date, the reason and the note."""
    plan = _plan(_stopped("2026-08-01", "declined", note="prefers not to"), "2026-12-05")
    assert [d["status"] for d in plan["doses"]] == ["given"] * 8
    assert plan["maintenance"]["next_due"] is None
    assert codes(plan)["STOPPED"] == "info"
    assert "OVERDUE_DOSE" not in codes(plan)
    (stopped,) = [f for f in plan["findings"] if f["code"] == "STOPPED"]
    assert stopped["message"].startswith(
        "treatment stopped on 2026-08-01 (declined by the patient; prefers not to)"
    )


def test_a_stop_to_come_keeps_the_doses_up_to_it() -> None:
    """Stopped 2027-02-01, seen on 2026-09-01: 10-16 and 2027-01-16 stay planned, nothing after
    the stop; next_due 10-16. Seen on 12-01, 10-16 is overdue as before the stop."""
    plan = _plan(_stopped("2027-02-01", "transferred-out"), "2026-09-01")
    planned = [d["date"] for d in plan["doses"] if d["status"] != "given"]
    assert planned == ["2026-10-16", "2027-01-16"]
    assert plan["maintenance"]["next_due"] == "2026-10-16"
    later = _plan(_stopped("2027-02-01", "transferred-out"), "2026-12-01")
    assert [d["date"] for d in later["doses"] if d["status"] == "overdue"] == ["2026-10-16"]


def test_a_next_dose_after_a_stop_to_come_is_not_due() -> None:
    """Stopped 2026-10-01, seen on 09-01: the next dose (10-16) falls after it, so nothing is
    planned and next_due is null."""
    plan = _plan(_stopped("2026-10-01", "switched-to-oral"), "2026-09-01")
    assert [d["status"] for d in plan["doses"]] == ["given"] * 8
    assert plan["maintenance"]["next_due"] is None


@pytest.mark.parametrize("reason", ["cause-corrected", "switched-to-oral"])
def test_a_review_3_months_after_a_stop_for_a_corrected_cause_or_oral_b12(reason: str) -> None:
    """cause-corrected and switched-to-oral add a clinical review on stop + 3 months
    (SPS-NG239), its status by date."""
    plan = _plan(_stopped("2026-08-01", reason), "2026-12-05")
    (review,) = [f for f in plan["follow_up"] if f["source"] == "SPS-NG239"]
    assert (review["test"], review["date"], review["status"]) == (
        "clinical review",
        "2026-11-01",
        "overdue",
    )
    assert review["why"].startswith("3 months after stopping")


@pytest.mark.parametrize("reason", ["died", "transferred-out"])
def test_follow_up_after_death_or_transfer_is_removed(reason: str) -> None:
    """Stopped 02-01 in the loading phase's follow-up: FBC (03-02) and the review (04-05) go,
    the baseline folate and the reticulocytes and FBC check (01-12..01-15) keep their status."""
    patient = {**PATIENT, "given": LOADING, "stopped": {"date": "2026-02-01", "reason": reason}}
    plan = _plan(patient, "2026-06-01")
    assert [(f["test"], f["status"]) for f in plan["follow_up"]] == [
        ("serum folate", "overdue"),
        ("reticulocytes and FBC", "overdue"),
    ]
    assert not any(f["source"] == "SPS-NG239" for f in plan["follow_up"])


@pytest.mark.parametrize("reason", ["declined", "other"])
def test_other_stops_keep_the_follow_up(reason: str) -> None:
    """declined and other neither add a review nor remove one."""
    plan = _plan(_stopped("2026-08-01", reason), "2026-12-05")
    reference = _plan(PATIENT, "2026-09-01")
    assert [f["test"] for f in plan["follow_up"]] == [f["test"] for f in reference["follow_up"]]


def test_cause_corrected_for_an_irreversible_cause_is_a_warning() -> None:
    """Autoimmune gastritis does not go away: STOP_IRREVERSIBLE (NICE-NG239); a dietary cause
    corrected is only STOPPED."""
    plan = _plan(_stopped("2026-08-01", "cause-corrected"), "2026-12-05")
    assert codes(plan)["STOP_IRREVERSIBLE"] == "warning"
    (found,) = [f for f in plan["findings"] if f["code"] == "STOP_IRREVERSIBLE"]
    assert found["source"] == "NICE-NG239"
    dietary = _plan({**_stopped("2026-08-01", "cause-corrected"), "cause": "dietary"}, "2026-12-05")
    assert "STOP_IRREVERSIBLE" not in codes(dietary)


def test_an_open_neuro_course_that_stopped_waits_for_nothing() -> None:
    """A neurological course stopped on 12-05 after two doses: complete, no provisional dose,
    no NEURO_REPLETION_OPEN."""
    patient = {
        "start": "2026-12-01",
        "cause": "autoimmune-gastritis",
        "neuro": True,
        "given": ["2026-12-01", "2026-12-03"],
        "stopped": {"date": "2026-12-05", "reason": "other"},
    }
    plan = _plan(patient, "2026-12-06")
    assert plan["complete"] is True
    assert [d["status"] for d in plan["doses"]] == ["given", "given"]
    assert "NEURO_REPLETION_OPEN" not in codes(plan)


def test_the_option_sets_the_stop() -> None:
    """`--stopped DATE:REASON` is the same as the field."""
    by_option = _plan(PATIENT, "2026-12-05", "--stopped", "2026-08-01:switched-to-oral")
    by_field = _plan(_stopped("2026-08-01", "switched-to-oral"), "2026-12-05")
    assert by_option == by_field


def test_check_reports_the_stop_as_schedule_does() -> None:
    """`check` raises the same STOPPED and STOP_IRREVERSIBLE findings about its patient."""
    regimen = {
        "patient": _stopped("2026-08-01", "cause-corrected"),
        "regimen": "1000mcg im every 3mo",
    }
    result = run(
        "check", "-", "--as-of", "2026-12-05", "--format", "json", stdin=json.dumps(regimen)
    )
    assert {"STOPPED", "STOP_IRREVERSIBLE"} <= {f["code"] for f in result.json()["findings"]}


@pytest.mark.parametrize(
    ("stopped", "wanted"),
    [
        (
            {"date": "2026-07-01", "reason": "died"},
            "stopped: given[7] 2026-07-16 is after stopped.date 2026-07-01",
        ),
        (
            {"date": "2025-12-01", "reason": "died"},
            "stopped: stopped.date 2025-12-01 is before start",
        ),
        ({"date": "2026-08-01", "reason": "bored"}, "stopped.reason: must be one of"),
        ({"date": "2026-08-01"}, "stopped.reason: is required"),
        ({"date": "2026-08-01", "reason": "died", "note": ""}, "stopped.note:"),
        ({"date": "2026-08-01", "reason": "died", "why": "x"}, "stopped.why: unknown field"),
    ],
)
def test_a_bad_stop_is_exit_2_naming_the_field(stopped: dict[str, str], wanted: str) -> None:
    """A dose given after the stop (both dates named), a stop before start, an unknown reason,
    a missing one, an empty note, an unknown key: one line naming the field, exit 2."""
    result = run_patient({**PATIENT, "stopped": stopped}, "--as-of", "2026-12-05")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"b12plan: error: {wanted}"), result.err
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize("text", ["2026-08-01", "2026-08-01:", "2026-08-01:bored", "x:died"])
def test_a_bad_stopped_option_is_exit_2(text: str) -> None:
    """`--stopped` without a reason, with an unknown one, or without a date: exit 2, naming
    stopped and the reasons allowed."""
    result = run_patient(PATIENT, "--as-of", "2026-12-05", "--stopped", text)
    assert result.code == 2
    assert result.err.startswith("b12plan: error: stopped"), result.err
    assert len(result.err.splitlines()) == 1


def test_the_calendar_shows_the_stop_and_is_never_empty() -> None:
    """ics: one event on the stop day (its reason in the SUMMARY, RFC 5545 all-day, UID
    `HASH-stopped`); a stop that leaves no dose and no test still gives one component."""
    import icalendar

    text = run_patient(
        _stopped("2026-08-01", "switched-to-oral", note="prefers tablets"),
        "--as-of",
        "2026-12-05",
        "--format",
        "ics",
    ).out
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    (stop,) = [e for e in events if "B12 plan stopped" in e["CATEGORIES"].cats]
    assert str(stop["SUMMARY"]) == "B12 injections stopped (switched to oral B12)"
    assert str(stop.decoded("DTSTART")) == "2026-08-01"
    assert str(stop["UID"]).endswith("-stopped@b12plan")
    empty = {
        "start": "2026-12-10",
        "cause": "autoimmune-gastritis",
        "stopped": {"date": "2026-12-10", "reason": "transferred-out"},
        "clinic": {"open": ["mon", "tue", "wed"]},
        "labs": ["folate=8 ug/L@2026-12-01"],  # no baseline folate to ask for
    }
    # 12-10 is a Thursday: the first dose moves to Monday 12-14, after the stop.
    none_left = run_patient(empty, "--as-of", "2026-12-10", "--format", "ics").out
    assert [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(none_left).walk("VEVENT")] == [
        "B12 injections stopped (transferred out)"
    ]
