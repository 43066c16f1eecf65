"""Clinic days and closures (reference: "Clinic days and closures"), date by date.

The calendar used below (December 2026 - January 2027):

    Mon  Tue  Wed  Thu  Fri  Sat  Sun
     30    1    2    3    4    5    6     November 30 .. December 6
      7    8    9   10   11   12   13
     14   15   16   17   18   19   20
     21   22   23   24   25   26   27     25 Christmas Day, 26 Boxing Day (Saturday)
     28   29   30   31    1    2    3     28 Boxing Day (observed) in GB-ENG; 1 New Year's Day
      4    5    6    7    8    9   10

Non-neuro repletion from Friday 12-04 with a Monday-Friday clinic: 12-04; 12-06 (Sunday)
moves to Monday 12-07 and the gaps chain from it: 12-09; 12-12 (Saturday) moves to 12-14;
12-16; 12-18. Maintenance counts from the last repletion dose: 2027-03-18, 2027-06-18.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import processes
from tests.conftest import codes, dates, plan_for, run, run_patient

MON_FRI = {"open": ["mon", "tue", "wed", "thu", "fri"]}


def aig(start: str, **extra: Any) -> dict[str, Any]:
    """A new autoimmune-gastritis patient (uk-bnf-hydroxo-nonneuro)."""
    return {"start": start, "cause": "autoimmune-gastritis", "until": "2027-07-01", **extra}


def moved(plan: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(date, moved_from) of each dose."""
    return [(d["date"], d["moved_from"]) for d in plan["doses"]]


def test_repletion_gaps_chain_from_the_moved_date() -> None:
    """Weekend doses move to Monday; the next gap counts from Monday, so spacing never shrinks."""
    got = plan_for(aig("2026-12-04", clinic=MON_FRI), "2026-12-01")
    assert moved(got) == [
        ("2026-12-04", None),
        ("2026-12-07", "2026-12-06"),
        ("2026-12-09", None),
        ("2026-12-14", "2026-12-12"),
        ("2026-12-16", None),
        ("2026-12-18", None),
        ("2027-03-18", None),
        ("2027-06-18", None),
    ]
    assert got["doses"][1]["why"] == (
        "1 mg 3 times a week for 2 weeks (BNF-HYDROXO); moved from 2026-12-06 (closed on Sundays)"
    )
    assert got["doses"][3]["why"].endswith("moved from 2026-12-12 (closed on Saturdays)")


def test_without_clinic_input_nothing_moves() -> None:
    """No clinic: the same patient keeps the weekend dates."""
    got = plan_for(aig("2026-12-04"), "2026-12-01")
    assert dates(got, "repletion") == [
        "2026-12-04",
        "2026-12-06",
        "2026-12-08",
        "2026-12-11",
        "2026-12-13",
        "2026-12-15",
    ]
    assert all(d["moved_from"] is None for d in got["doses"])


def test_a_moved_last_repletion_dose_leaves_the_maintenance_anchor_unmoved() -> None:
    """From Monday 12-07 the 6th dose falls on Friday 12-18; closed that day, it moves to
    Saturday 12-19, but maintenance counts from 12-18: 2027-03-18, 2027-06-18."""
    got = plan_for(aig("2026-12-07", clinic={"closed": ["2026-12-18"]}), "2026-12-01")
    assert moved(got)[4:] == [
        ("2026-12-16", None),
        ("2026-12-19", "2026-12-18"),
        ("2027-03-18", None),
        ("2027-06-18", None),
    ]


def test_maintenance_months_count_from_the_unmoved_anchor() -> None:
    """records.json closed-new-year: 12-31 and 01-01 closed, the weekend too: the first dose
    moves to Monday 01-04, and later doses count from 12-31 (03-31, 06-30), never drifting."""
    clinic = {**MON_FRI, "closed": ["2026-12-31", "2027-01-01"]}
    doc = {
        "start": "2026-12-31",
        "cause": "autoimmune-gastritis",
        "protocol": "uk-hydroxo-prophylaxis",
        "clinic": clinic,
        "until": "2027-07-31",
    }
    got = plan_for(doc, "2026-12-01")
    assert moved(got) == [
        ("2027-01-04", "2026-12-31"),
        ("2027-03-31", None),
        ("2027-06-30", None),
    ]
    assert got["doses"][0]["why"].endswith(
        "moved from 2026-12-31 (closed on 2026-12-31; closed on 2027-01-01)"
    )
    assert got["maintenance"]["next_due"] == "2027-01-04"


def test_public_holidays_of_a_region() -> None:
    """GB-ENG: Christmas Day and Boxing Day (observed, Monday 12-28) are closed days."""
    got = plan_for(aig("2026-12-23", clinic={**MON_FRI, "holidays": "GB-ENG"}), "2026-12-01")
    assert moved(got)[:4] == [
        ("2026-12-23", None),
        ("2026-12-29", "2026-12-25"),
        ("2026-12-31", None),
        ("2027-01-04", "2027-01-03"),
    ]
    # Saturday and Sunday go unsaid (the practice's week); the Monday holiday is named.
    assert got["doses"][1]["why"].endswith(
        "moved from 2026-12-25 (public holiday: Christmas Day; "
        "public holiday on 2026-12-28: Boxing Day (observed))"
    )


def test_a_move_names_every_closed_date_it_passes_over() -> None:
    """Saturday 2027-12-25 moves to Wednesday 12-29: the reason names the weekday closure and
    both substitute bank holidays, so a reader sees why Monday and Tuesday would not do."""
    clinic = {**MON_FRI, "holidays": "GB-ENG"}
    patient = aig("2027-09-25", repletion_done=True, clinic=clinic, until="2027-12-31")
    got = plan_for(patient, "2027-09-01")
    assert moved(got)[-1] == ("2027-12-29", "2027-12-25")
    assert got["doses"][-1]["why"].endswith(
        "moved from 2027-12-25 (closed on Saturdays; "
        "public holiday on 2027-12-27: Christmas Day (observed); "
        "public holiday on 2027-12-28: Boxing Day (observed))"
    )


def test_explain_says_why_a_dose_moved() -> None:
    """--explain adds the closure and the open day it moved to."""
    result = run_patient(
        aig("2026-12-04", clinic=MON_FRI), "--as-of", "2026-12-01", "--format", "json", "--explain"
    )
    trace = result.json()["doses"][1]["trace"]
    assert trace[-1] == "2026-12-06 closed on Sundays: moved to the next open day 2026-12-07"


def test_given_doses_never_move_and_a_dose_on_its_moved_date_is_on_time() -> None:
    """Dose 2 was due Sunday 12-06, moved to Monday 12-07 and given then: on time, no LATE_DOSE;
    a dose given on a closed day stays on the day it was given."""
    doc = aig("2026-12-04", clinic=MON_FRI, given=["2026-12-04", "2026-12-07", "2026-12-12"])
    got = plan_for(doc, "2026-12-12")
    assert [(d["date"], d["status"], d["planned_date"]) for d in got["doses"][:4]] == [
        ("2026-12-04", "given", None),
        ("2026-12-07", "given", None),
        ("2026-12-12", "given", "2026-12-09"),
        ("2026-12-15", "planned", None),  # 12-12 + 3 days: Tuesday, open
    ]
    assert codes(got).count("LATE_DOSE") == 1


def test_follow_up_windows_do_not_move() -> None:
    """Follow-up windows count from start whatever the clinic's days."""
    with_clinic = plan_for(aig("2026-12-04", clinic=MON_FRI), "2026-12-01")
    without = plan_for(aig("2026-12-04"), "2026-12-01")
    assert with_clinic["follow_up"] == without["follow_up"]


def test_until_bounds_the_moved_date() -> None:
    """2027-06-18 is closed: its dose moves to 06-19, listed only when `until` reaches it."""
    closed = {"closed": ["2027-06-18"]}
    short = plan_for(aig("2026-12-07", clinic=closed, until="2027-06-18"), "2026-12-01")
    assert dates(short, "maintenance") == ["2027-03-18"]
    longer = plan_for(aig("2026-12-07", clinic=closed, until="2027-06-19"), "2026-12-01")
    assert dates(longer, "maintenance") == ["2027-03-18", "2027-06-19"]


def test_clinic_convention_is_named() -> None:
    """A plan shaped by clinic days names the convention."""
    got = plan_for(aig("2026-12-04", clinic=MON_FRI), "2026-12-01")
    assert any(c.startswith("Clinic days:") for c in got["protocol"]["conventions"])
    plain = plan_for(aig("2026-12-04"), "2026-12-01")
    assert not any(c.startswith("Clinic days:") for c in plain["protocol"]["conventions"])


def test_clinic_options_on_the_command_line() -> None:
    """--open, --closed and --holidays set the clinic, as the file would."""
    args = ("--start", "2026-12-23", "--cause", "autoimmune-gastritis", "--as-of", "2026-12-01")
    result = run(
        "schedule", *args, "--open", "mon-wed,thu-fri", "--closed", "2026-12-31",
        "--holidays", "GB-ENG", "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert moved(result.json())[1:3] == [("2026-12-29", "2026-12-25"), ("2027-01-04", "2026-12-31")]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", ["mon", "tue", "wed", "thu", "fri"]),
        ("mon,wed,fri", ["mon", "wed", "fri"]),
        ("Sat-Sun, mon", ["mon", "sat", "sun"]),
        ("tue", ["tue"]),
    ],
)
def test_open_days_spelling(text: str, days: list[str]) -> None:
    """Ranges and lists of weekday names, in any case, in week order."""
    from b12plan.cli._shared import weekdays

    assert weekdays(text) == days


SPELLINGS = ["mon-fri", "Mon-Wed, thu-fri", "mon,tue,wed,thu,fri"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_files_open_days_take_the_options_spellings(spelling: str, tmp_path: Path) -> None:
    """A patient file's `clinic.open` may be spelled as `--open` takes it, in JSON, in TOML and
    on a batch line: the plan is byte for byte the plan of the list."""
    as_list = run_patient(aig("2026-12-04", clinic=MON_FRI), "--as-of", "2026-12-01")
    assert as_list.code == 0, as_list.err
    assert "moved from 2026-12-06 (closed on Sundays)" in as_list.out
    patient = aig("2026-12-04", clinic={"open": spelling})
    (tmp_path / "p.json").write_text(json.dumps(patient), encoding="utf-8")
    toml = "".join(f'{k} = "{v}"\n' for k, v in patient.items() if k != "clinic")
    (tmp_path / "p.toml").write_text(f'{toml}[clinic]\nopen = "{spelling}"\n', encoding="utf-8")
    for path in ("p.json", "p.toml"):
        spelled = run("schedule", str(tmp_path / path), "--as-of", "2026-12-01")
        assert (spelled.code, spelled.out) == (0, as_list.out), spelled.err
    line = json.dumps(patient) + "\n"
    batch = run("schedule", "--batch", "--as-of", "2026-12-01", stdin=line)
    listed = run("schedule", "--batch", "--as-of", "2026-12-01", stdin=line.replace(
        json.dumps(spelling), json.dumps(MON_FRI["open"])
    ))  # fmt: skip
    assert (batch.code, batch.out) == (0, listed.out)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ('"mon-fry"', "clinic.open: 'mon-fry' is not a list of weekdays; use mon, tue, wed"),
        ('"fri-mon"', "clinic.open: 'fri-mon' runs backwards; write it as mon-fri"),
        ("5", 'clinic.open: must be weekdays: a string such as "mon-fri" or "mon,wed,fri", or'),
        ('["mon", "mon"]', "clinic.open: lists a weekday twice"),
    ],
)
def test_bad_open_days_in_a_file_say_what_is_allowed(value: str, says: str) -> None:
    """A `clinic.open` b12plan cannot read fails with one line naming it and what is allowed."""
    document = f'{{"start": "2026-12-04", "cause": "dietary", "clinic": {{"open": {value}}}}}'
    result = run("schedule", "-", "--as-of", "2026-12-01", stdin=document)
    assert result.code == 2
    assert result.err.startswith(f"b12plan: error: {says}")
    assert len(result.err.splitlines()) == 1


def test_a_toml_patient_files_errors_never_say_json_array(tmp_path: Path) -> None:
    """A TOML patient file whose list is not a list is told so in words true of TOML."""
    path = tmp_path / "p.toml"
    path.write_text(
        'start = "2026-12-04"\ncause = "dietary"\nlabs = "b12=100 ng/L@2026-11-01"\n',
        encoding="utf-8",
    )
    result = run("schedule", str(path), "--as-of", "2026-12-01")
    assert result.code == 2
    assert result.err == "b12plan: error: labs: must be a list (an array, [...])\n"


def test_holidays_package_loads_only_when_a_region_is_named() -> None:
    """A plan with no --holidays never imports the holidays package."""
    code = (
        "import sys\n"
        "from b12plan.cli import main\n"
        "try:\n"
        "    main(['schedule', '--start', '2026-12-04', '--cause', 'dietary', '--open', 'mon-fri',"
        " '--as-of', '2026-12-01', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('holidays' in sys.modules, file=sys.stderr)\n"
    )
    done = processes.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stderr.strip().splitlines()[-1] == "False"
